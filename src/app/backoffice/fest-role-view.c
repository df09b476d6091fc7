/* fest-role-view.c: for a member with no back-office page, what this app holds for their role
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-role-view.h"

struct _FestRoleView
{
  GtkWidget      parent_instance;

  AdwStatusPage *role_status;
  GtkButton     *cashier_station_button;
  GtkButton     *recharge_station_button;
  GtkButton     *scanner_station_button;
  GtkButton     *security_station_button;
};

G_DEFINE_FINAL_TYPE (FestRoleView, fest_role_view, GTK_TYPE_WIDGET)

static void
fest_role_view_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_ROLE_VIEW);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fest_role_view_parent_class)->dispose (object);
}

static void
fest_role_view_class_init (FestRoleViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_role_view_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-role-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FestRoleView, role_status);
  gtk_widget_class_bind_template_child (widget_class, FestRoleView, cashier_station_button);
  gtk_widget_class_bind_template_child (widget_class, FestRoleView, recharge_station_button);
  gtk_widget_class_bind_template_child (widget_class, FestRoleView, scanner_station_button);
  gtk_widget_class_bind_template_child (widget_class, FestRoleView, security_station_button);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_role_view_init (FestRoleView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fest_role_view_new (void)
{
  return g_object_new (FEST_TYPE_ROLE_VIEW, NULL);
}

void
fest_role_view_set_roles (FestRoleView *self,
                          FestRoles     roles)
{
  gboolean cashier = fest_roles_allow (roles, FEST_PERM_TRANSACTION_CREATE);
  gboolean scanner = fest_roles_allow (roles, FEST_PERM_TICKET_SCAN);
  gboolean security = fest_roles_allow (roles, FEST_PERM_INCIDENT_MANAGE);

  gtk_widget_set_visible (GTK_WIDGET (self->cashier_station_button), cashier);
  gtk_widget_set_visible (GTK_WIDGET (self->recharge_station_button), cashier);
  gtk_widget_set_visible (GTK_WIDGET (self->scanner_station_button), scanner);
  gtk_widget_set_visible (GTK_WIDGET (self->security_station_button), security);

  if (cashier || scanner || security)
    {
      adw_status_page_set_icon_name (self->role_status, "system-users-symbolic");
      adw_status_page_set_title (self->role_status, _("Your Work Is at a Station"));
      adw_status_page_set_description (self->role_status,
                                       _("The back office is for organisers. Open the station "
                                         "you work at; the organiser gives you its device "
                                         "token or enters their PIN to set it up."));
    }
  else
    {
      adw_status_page_set_icon_name (self->role_status, "action-unavailable-symbolic");
      adw_status_page_set_title (self->role_status, _("Nothing to Manage Here"));
      adw_status_page_set_description (self->role_status,
                                       _("Your account has no role in this festival’s back "
                                         "office. Ask its organiser if you need one."));
    }
}
