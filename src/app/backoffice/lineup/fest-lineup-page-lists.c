/* fest-lineup-page-lists.c: the Lineup page's side lists of stages and artists
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row names a stage or an artist with its figures and carries Edit and Delete buttons that
 * name the page's actions with the row's id. A stage or an artist with slots is not deleted:
 * the page says why before asking the server (which refuses it too).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-form-dialog.h"
#include "fest-lineup-dialogs.h"
#include "fest-lineup-page-private.h"
#include "fest-page-util.h"

static GtkWidget *
row_button (const char *icon,
            const char *action,
            const char *id,
            const char *label)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", id);
  gtk_widget_set_tooltip_text (button, label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  return button;
}

static void
add_row (GtkListBox *list,
         const char *kind,
         const char *id,
         const char *name,
         const char *subtitle)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *edit = NULL;
  g_autofree char *delete = NULL;
  g_autofree char *edit_action = g_strdup_printf ("lineup.edit-%s", kind);
  g_autofree char *delete_action = g_strdup_printf ("lineup.delete-%s", kind);

  /* TRANSLATORS: a button's accessible name, with a stage's or an artist's name */
  edit = g_strdup_printf (_("Edit %s"), name);
  /* TRANSLATORS: a button's accessible name, with a stage's or an artist's name */
  delete = g_strdup_printf (_("Delete %s"), name);

  /* Before the title: libadwaita 1.2 parses a title as markup as soon as it is set. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button ("document-edit-symbolic", edit_action,
                                                               id, edit));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), row_button ("user-trash-symbolic", delete_action,
                                                               id, delete));
  gtk_widget_set_name (row, id);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  gtk_list_box_append (list, row);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

static char *
slots_text (guint n)
{
  if (n == 0)
    return g_strdup (_("no slots"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u slot", "%u slots", n), n);
}

void
_fest_lineup_page_fill_lists (FestLineupPage *self)
{
  clear_list (self->stages_list);
  clear_list (self->artists_list);

  for (guint i = 0; i < fest_lineup_get_n_stages (self->lineup); i++)
    {
      const FestLineupStage *stage = fest_lineup_get_stage (self->lineup, i);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autofree char *slots = slots_text (fest_lineup_count_slots (self->lineup, stage->id, NULL));

      if (stage->capacity >= 0)
        {
          g_autofree char *capacity = g_strdup_printf ("%" G_GINT64_FORMAT, stage->capacity);

          g_string_append_printf (subtitle, _("Capacity %s"), capacity);
        }
      else
        g_string_append (subtitle, _("No capacity set"));
      g_string_append (subtitle, " · ");
      g_string_append_printf (subtitle, _("changeover %d min"), stage->changeover_minutes);
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, slots);
      add_row (self->stages_list, "stage", stage->id, stage->name, subtitle->str);
    }

  for (guint i = 0; i < fest_lineup_get_n_artists (self->lineup); i++)
    {
      const FestLineupArtist *artist = fest_lineup_get_artist (self->lineup, i);
      g_autoptr(GString) subtitle = g_string_new (NULL);
      g_autofree char *slots = slots_text (fest_lineup_count_slots (self->lineup, NULL, artist->id));
      const char *account = NULL;

      for (guint j = 0; artist->user_id != NULL && self->members != NULL
                        && j < json_array_get_length (self->members); j++)
        {
          JsonNode *node = json_array_get_element (self->members, j);

          if (JSON_NODE_HOLDS_OBJECT (node)
              && g_strcmp0 (fest_page_json_string (json_node_get_object (node), "id"),
                            artist->user_id) == 0)
            account = fest_page_json_string (json_node_get_object (node), "email");
        }

      if (artist->type != NULL)
        {
          g_string_append (subtitle, fest_lineup_artist_type_label (artist->type));
          g_string_append (subtitle, " · ");
        }
      g_string_append_printf (subtitle, g_dngettext (GETTEXT_PACKAGE, "%u guest", "%u guests",
                                                     (gulong) artist->guest_quota),
                              (guint) artist->guest_quota);
      g_string_append (subtitle, " · ");
      g_string_append (subtitle, slots);
      g_string_append (subtitle, " · ");
      if (artist->user_id == NULL)
        g_string_append (subtitle, _("no linked account"));
      else
        g_string_append_printf (subtitle, _("account %s"), account != NULL ? account : _("linked"));
      add_row (self->artists_list, "artist", artist->id, artist->name, subtitle->str);
    }
}

/* Dialogs */

static void
saved_cb (FestFormDialog *dialog,
          JsonNode       *data,
          gpointer        user_data)
{
  FestLineupPage *self = user_data;
  const char *message = g_object_get_data (G_OBJECT (dialog), "fest-saved-message");

  if (message != NULL)
    _fest_lineup_page_toast (self, message);
  fest_page_reload (FEST_PAGE (self));
}

static void
present (FestLineupPage *self,
         FestFormDialog *dialog)
{
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_stage_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);

  present (self, fest_lineup_stage_dialog_new (widget, fest_page_get_client (FEST_PAGE (self)), NULL));
}

static void
edit_stage_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  const FestLineupStage *stage = fest_lineup_lookup_stage (self->lineup,
                                                           g_variant_get_string (parameter, NULL));

  if (stage != NULL)
    present (self, fest_lineup_stage_dialog_new (widget, fest_page_get_client (FEST_PAGE (self)),
                                                 stage));
}

static void
new_artist_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);

  present (self, fest_lineup_artist_dialog_new (widget, fest_page_get_client (FEST_PAGE (self)),
                                                NULL, self->members));
}

static void
edit_artist_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  const FestLineupArtist *artist = fest_lineup_lookup_artist (self->lineup,
                                                              g_variant_get_string (parameter, NULL));

  if (artist != NULL)
    present (self, fest_lineup_artist_dialog_new (widget, fest_page_get_client (FEST_PAGE (self)),
                                                  artist, self->members));
}

/* Deleting */

static void
deleted_done (FestLineupPage *self,
              JsonNode       *data,
              const GError   *error,
              gpointer        user_data)
{
  if (data == NULL)
    {
      /* The server's reason, e.g. a slot added meanwhile by someone else. */
      _fest_lineup_page_toast_error (self, error);
      return;
    }
  _fest_lineup_page_toast (self, _("Deleted"));
  fest_page_reload (FEST_PAGE (self));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestLineupPage *self = user_data;

  _fest_lineup_page_send (self, "DELETE", g_object_get_data (G_OBJECT (dialog), "fest-path"), NULL,
                          deleted_done, NULL, NULL);
}

static void
ask_delete (FestLineupPage *self,
            const char     *name,
            guint           n_slots,
            const char     *body,
            const char     *path)
{
  g_autofree char *heading = NULL;
  AdwMessageDialog *dialog;

  if (n_slots > 0)
    {
      g_autofree char *message = NULL;

      /* TRANSLATORS: "Nova Trio has 2 slots: delete or move them first" */
      message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "%s has %u slot: delete or move it first",
                                              "%s has %u slots: delete or move them first",
                                              n_slots),
                                 name, n_slots);
      _fest_lineup_page_toast (self, message);
      return;
    }

  heading = g_strdup_printf (_("Delete “%s”?"), name);
  dialog = fest_page_confirm (GTK_WIDGET (self), heading, body, _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-path", g_strdup (path), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (delete_response_cb), self, 0);
}

static void
delete_stage_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  const FestLineupStage *stage = fest_lineup_lookup_stage (self->lineup,
                                                           g_variant_get_string (parameter, NULL));
  g_autofree char *path = NULL;

  if (stage == NULL)
    return;
  path = g_strdup_printf ("/stages/%s", stage->id);
  ask_delete (self, stage->name, fest_lineup_count_slots (self->lineup, stage->id, NULL),
              _("The stage leaves the lineup."), path);
}

static void
delete_artist_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  const FestLineupArtist *artist = fest_lineup_lookup_artist (self->lineup,
                                                              g_variant_get_string (parameter, NULL));
  g_autofree char *path = NULL;

  if (artist == NULL)
    return;
  path = g_strdup_printf ("/artists/%s", artist->id);
  ask_delete (self, artist->name, fest_lineup_count_slots (self->lineup, NULL, artist->id),
              _("The artist leaves the lineup, with their rider and guest quota."), path);
}

void
_fest_lineup_page_class_init_lists (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "lineup.new-stage", NULL, new_stage_action);
  gtk_widget_class_install_action (widget_class, "lineup.edit-stage", "s", edit_stage_action);
  gtk_widget_class_install_action (widget_class, "lineup.delete-stage", "s", delete_stage_action);
  gtk_widget_class_install_action (widget_class, "lineup.new-artist", NULL, new_artist_action);
  gtk_widget_class_install_action (widget_class, "lineup.edit-artist", "s", edit_artist_action);
  gtk_widget_class_install_action (widget_class, "lineup.delete-artist", "s", delete_artist_action);
}
