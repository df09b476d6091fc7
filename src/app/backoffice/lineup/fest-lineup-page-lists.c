/* fest-lineup-page-lists.c: the Lineup page's side lists of stages and artists
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each row names a stage or an artist with its figures and carries Edit and Delete buttons that
 * name the page's actions with the row's id. The lists are GtkListViews over the ids: a festival
 * with a hundred artists builds only the rows in sight. A stage or an artist with slots is not deleted:
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
            const char *action)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  /* The row's id comes at bind time; the action needs a target of its type from the start. */
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  return button;
}

static char *
slots_text (guint n)
{
  if (n == 0)
    return g_strdup (_("no slots"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u slot", "%u slots", n), n);
}

static char *
stage_subtitle (FestLineupPage        *self,
                const FestLineupStage *stage)
{
  GString *subtitle = g_string_new (NULL);
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
  return g_string_free (subtitle, FALSE);
}

static char *
artist_subtitle (FestLineupPage         *self,
                 const FestLineupArtist *artist)
{
  GString *subtitle = g_string_new (NULL);
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
  return g_string_free (subtitle, FALSE);
}

/* A row: the name and its figures, Edit and Delete. Built once per row in sight and bound to
 * whichever stage or artist scrolls into it. */
static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  const char *kind = user_data;
  g_autofree char *edit_action = g_strdup_printf ("lineup.edit-%s", kind);
  g_autofree char *delete_action = g_strdup_printf ("lineup.delete-%s", kind);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (NULL);
  GtkWidget *subtitle = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_wrap (GTK_LABEL (subtitle), TRUE);
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_set_hexpand (labels, TRUE);
  gtk_widget_set_valign (labels, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (row), labels);
  gtk_box_append (GTK_BOX (row), row_button ("document-edit-symbolic", edit_action));
  gtk_box_append (GTK_BOX (row), row_button ("user-trash-symbolic", delete_action));
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_list_item_set_activatable (item, FALSE);
  gtk_list_item_set_child (item, row);
}

static void
bind_row (GtkListItem *item,
          const char  *name,
          const char  *subtitle_text)
{
  GtkWidget *row = gtk_list_item_get_child (item);
  GtkWidget *labels = gtk_widget_get_first_child (row);
  GtkWidget *edit = gtk_widget_get_next_sibling (labels);
  GtkWidget *delete = gtk_widget_get_next_sibling (edit);
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (item));
  /* TRANSLATORS: a button's accessible name, with a stage's or an artist's name */
  g_autofree char *edit_label = g_strdup_printf (_("Edit %s"), name);
  /* TRANSLATORS: a button's accessible name, with a stage's or an artist's name */
  g_autofree char *delete_label = g_strdup_printf (_("Delete %s"), name);

  gtk_label_set_text (GTK_LABEL (gtk_widget_get_first_child (labels)), name);
  gtk_label_set_text (GTK_LABEL (gtk_widget_get_last_child (labels)), subtitle_text);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (edit), "s", id);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (delete), "s", id);
  gtk_widget_set_tooltip_text (edit, edit_label);
  gtk_widget_set_tooltip_text (delete, delete_label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (edit), GTK_ACCESSIBLE_PROPERTY_LABEL, edit_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (delete), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  delete_label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle_text, -1);
}

static void
bind_stage_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  FestLineupPage *self = user_data;
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const FestLineupStage *stage = fest_lineup_lookup_stage (self->lineup, id);
  g_autofree char *subtitle = NULL;

  if (stage == NULL)
    return;
  subtitle = stage_subtitle (self, stage);
  bind_row (item, stage->name, subtitle);
}

static void
bind_artist_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                gpointer                  user_data)
{
  FestLineupPage *self = user_data;
  const char *id = gtk_string_object_get_string (gtk_list_item_get_item (item));
  const FestLineupArtist *artist = fest_lineup_lookup_artist (self->lineup, id);
  g_autofree char *subtitle = NULL;

  if (artist == NULL)
    return;
  subtitle = artist_subtitle (self, artist);
  bind_row (item, artist->name, subtitle);
}

static GtkStringList *
init_list (FestLineupPage *self,
           GtkListView    *view,
           const char     *kind,
           GCallback       bind)
{
  GtkStringList *ids = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), (gpointer) kind);
  g_signal_connect (factory, "bind", bind, self);
  gtk_list_view_set_factory (view, factory);
  g_object_unref (factory);
  /* The view owns the model; the page keeps a borrowed pointer to fill it. */
  gtk_list_view_set_model (view, GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (ids))));
  g_object_unref (gtk_list_view_get_model (view));
  return ids;
}

void
_fest_lineup_page_init_lists (FestLineupPage *self)
{
  self->stage_ids = init_list (self, self->stages_list, "stage", G_CALLBACK (bind_stage_cb));
  self->artist_ids = init_list (self, self->artists_list, "artist", G_CALLBACK (bind_artist_cb));
}

/* Replaces every id of @list: the rows in sight are bound again, figures included. */
static void
refill (GtkStringList *list,
        GPtrArray     *ids)
{
  g_ptr_array_add (ids, NULL);
  gtk_string_list_splice (list, 0, g_list_model_get_n_items (G_LIST_MODEL (list)),
                          (const char * const *) ids->pdata);
}

void
_fest_lineup_page_fill_lists (FestLineupPage *self)
{
  g_autoptr(GPtrArray) stages = g_ptr_array_new ();
  g_autoptr(GPtrArray) artists = g_ptr_array_new ();

  for (guint i = 0; i < fest_lineup_get_n_stages (self->lineup); i++)
    g_ptr_array_add (stages, fest_lineup_get_stage (self->lineup, i)->id);
  for (guint i = 0; i < fest_lineup_get_n_artists (self->lineup); i++)
    g_ptr_array_add (artists, fest_lineup_get_artist (self->lineup, i)->id);
  refill (self->stage_ids, stages);
  refill (self->artist_ids, artists);
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

  present (self, fest_lineup_stage_dialog_new (widget, fest_page_get_client (FEST_PAGE (self)), NULL,
                                               fest_page_get_festival (FEST_PAGE (self))));
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
                                                 stage, fest_page_get_festival (FEST_PAGE (self))));
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
