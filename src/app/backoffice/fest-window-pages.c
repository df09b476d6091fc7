/* fest-window-pages.c: the back-office window's pages: the table, the sidebar, building and
 * showing them
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A page is built when first shown (the first one at once), except a page with an attention count
 * (fest-page.h), built with the sidebar for its row's badge. Only the page shown keeps polling.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-audit-page.h"
#include "fest-dashboard-page.h"
#include "fest-festival-settings-page.h"
#include "fest-finance-page.h"
#include "fest-incidents-page.h"
#include "fest-lineup-page.h"
#include "fest-page-util.h"
#include "fest-stands-page.h"
#include "fest-team-page.h"
#include "fest-tickets-page.h"
#include "fest-window-private.h"

/* The back office's pages, in the sidebar's order (Alt+1… follow it): each a FestPage. */
static const FestWindowPageInfo page_infos[] = {
  { "dashboard", N_("Dashboard"), "view-grid-symbolic", FEST_PERM_STATS_READ,
    fest_dashboard_page_get_type, GDK_KEY_1 },
  { "finance", N_("Finance"), "accessories-calculator-symbolic", FEST_PERM_STATS_READ,
    fest_finance_page_get_type, GDK_KEY_2 },
  { "incidents", N_("Incidents"), "dialog-warning-symbolic", FEST_PERM_INCIDENT_READ,
    fest_incidents_page_get_type, GDK_KEY_3 },
  { "lineup", N_("Lineup"), "x-office-calendar-symbolic", FEST_PERM_LINEUP_MANAGE,
    fest_lineup_page_get_type, GDK_KEY_4 },
  { "stands", N_("Stands & Products"), "package-x-generic-symbolic", FEST_PERM_CATALOG_MANAGE,
    fest_stands_page_get_type, GDK_KEY_5 },
  { "tickets", N_("Tickets"), "emblem-documents-symbolic", FEST_PERM_TICKET_MANAGE,
    fest_tickets_page_get_type, GDK_KEY_6 },
  { "team", N_("Team"), "system-users-symbolic", FEST_PERM_TEAM_MANAGE,
    fest_team_page_get_type, GDK_KEY_7 },
  { "audit", N_("Audit"), "document-open-recent-symbolic", FEST_PERM_AUDIT_READ,
    fest_audit_page_get_type, GDK_KEY_8 },
  { "settings", N_("Festival Settings"), "emblem-system-symbolic", FEST_PERM_FESTIVAL_MANAGE,
    fest_festival_settings_page_get_type, 0 },
};

static GtkWidget *
create_page (FestWindow               *self,
             const FestWindowPageInfo *info)
{
  FestPage *page = g_object_new (info->get_type (), "client", self->client, NULL);

  g_signal_connect_object (page, "festival-changed",
                           G_CALLBACK (_fest_window_festival_changed_cb), self, G_CONNECT_SWAPPED);
  if (fest_session_get_festival (self->session) != NULL)
    fest_page_set_festival (page, fest_session_get_festival (self->session));
  fest_page_set_event_stream (page, self->stream);
  return GTK_WIDGET (page);
}

/* Meant for the roles the user has in the current festival. */
gboolean
_fest_window_page_available (FestWindow               *self,
                             const FestWindowPageInfo *info)
{
  return fest_roles_allow (self->pages_roles, info->perm);
}

/* Calls @func on every page built so far. */
void
_fest_window_foreach_page (FestWindow *self,
                           void      (*func) (FestPage *page,
                                              gpointer  data),
                           gpointer    data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->content_stack));
       child != NULL; child = gtk_widget_get_next_sibling (child))
    if (FEST_IS_PAGE (child))
      func (FEST_PAGE (child), data);
}

void
_fest_window_set_page_festival (FestPage *page,
                                gpointer  festival)
{
  fest_page_set_festival (page, festival);
}

void
_fest_window_set_page_stream (FestPage *page,
                              gpointer  stream)
{
  fest_page_set_event_stream (page, stream);
}

void
_fest_window_pause_page (FestPage *page,
                         gpointer  visible)
{
  if (GTK_WIDGET (page) != visible)
    fest_page_pause (page);
}

void
_fest_window_clear_pages (FestWindow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->content_stack))) != NULL)
    gtk_stack_remove (self->content_stack, child);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list))) != NULL)
    gtk_list_box_remove (self->sidebar_list, child);
  self->pages_roles = FEST_ROLE_NONE;
  g_clear_object (&self->pages_client);
}

/* A page with an attention count (fest-page.h) is built with the sidebar and loaded in the
 * background, for its row's badge. */
void
_fest_window_reload_attention_page (FestPage *page,
                                    gpointer  visible)
{
  if (GTK_WIDGET (page) != visible && fest_page_type_has_attention (G_OBJECT_TYPE (page)))
    fest_page_reload (page);
}

/* Builds the sidebar for @roles; returns the number of pages in it. */
guint
_fest_window_ensure_pages (FestWindow *self,
                           FestRoles   roles)
{
  guint n_pages = 0;

  if (self->pages_client == self->client && self->pages_roles == roles)
    {
      for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list));
           row != NULL; row = gtk_widget_get_next_sibling (row))
        n_pages++;
      return n_pages;
    }

  _fest_window_clear_pages (self);
  self->pages_client = g_object_ref (self->client);
  self->pages_roles = roles;

  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    {
      GtkWidget *row, *box, *image, *label, *page = NULL;

      if (!_fest_window_page_available (self, &page_infos[i]))
        continue;
      n_pages++;

      /* Only the first page is built now: the others when first shown (a faster start). */
      if (n_pages == 1 || fest_page_type_has_attention (page_infos[i].get_type ()))
        {
          page = create_page (self, &page_infos[i]);
          gtk_stack_add_named (self->content_stack, page, page_infos[i].name);
        }

      box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      image = gtk_image_new_from_icon_name (page_infos[i].icon);
      gtk_accessible_update_state (GTK_ACCESSIBLE (image), GTK_ACCESSIBLE_STATE_HIDDEN, TRUE, -1);
      label = gtk_label_new (_(page_infos[i].title));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_hexpand (label, TRUE);
      gtk_box_append (GTK_BOX (box), image);
      gtk_box_append (GTK_BOX (box), label);
      if (page != NULL && fest_page_type_has_attention (G_OBJECT_TYPE (page)))
        gtk_box_append (GTK_BOX (box), fest_page_attention_badge_new (FEST_PAGE (page)));
      row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      gtk_widget_set_name (row, page_infos[i].name);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(page_infos[i].title), -1);
      gtk_list_box_append (self->sidebar_list, row);
    }

  return n_pages;
}

const FestWindowPageInfo *
_fest_window_find_page_info (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    if (g_strcmp0 (page_infos[i].name, name) == 0)
      return &page_infos[i];

  return NULL;
}

void
_fest_window_select_page (FestWindow *self,
                          const char *name,
                          gboolean    navigate)
{
  GtkWidget *page = gtk_stack_get_child_by_name (self->content_stack, name);
  const FestWindowPageInfo *info = _fest_window_find_page_info (name);
  GtkWidget *row;

  if (info == NULL || !_fest_window_page_available (self, info) || self->client == NULL)
    return;

  if (page == NULL)
    {
      page = create_page (self, info);
      gtk_stack_add_named (self->content_stack, page, name);
    }

  /* Only the page shown keeps polling. */
  _fest_window_foreach_page (self, _fest_window_pause_page, page);

  gtk_stack_set_visible_child (self->content_stack, page);
  adw_window_title_set_title (self->content_title, _(info->title));
  adw_window_title_set_subtitle (self->content_title,
                                 fest_page_json_string (fest_session_get_festival (self->session),
                                                        "name"));

  for (row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
      {
        gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
        break;
      }

  fest_page_reload (FEST_PAGE (page));

  if (navigate)
    adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_FORWARD);
}

void
_fest_window_sidebar_row_activated_cb (FestWindow    *self,
                                       GtkListBoxRow *row)
{
  _fest_window_select_page (self, gtk_widget_get_name (GTK_WIDGET (row)), TRUE);
}

void
_fest_window_folded_changed_cb (FestWindow *self)
{
  /* Folded, the sidebar is a page of its own: nothing is selected in it. */
  if (adw_leaflet_get_folded (self->leaflet))
    gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_NONE);
  else
    {
      const char *name = gtk_stack_get_visible_child_name (self->content_stack);
      GtkWidget *row;

      gtk_list_box_set_selection_mode (self->sidebar_list, GTK_SELECTION_SINGLE);
      for (row = gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)); row != NULL;
           row = gtk_widget_get_next_sibling (row))
        if (g_strcmp0 (gtk_widget_get_name (row), name) == 0)
          gtk_list_box_select_row (self->sidebar_list, GTK_LIST_BOX_ROW (row));
    }
}

void
_fest_window_class_init_pages (GtkWidgetClass *widget_class)
{
  for (guint i = 0; i < G_N_ELEMENTS (page_infos); i++)
    if (page_infos[i].alt_key != 0)
      gtk_widget_class_add_binding_action (widget_class, page_infos[i].alt_key, GDK_ALT_MASK,
                                           "win.show-page", "s", page_infos[i].name);
}
