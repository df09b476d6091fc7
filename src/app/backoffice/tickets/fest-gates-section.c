/* fest-gates-section.c: the Gates list of the Tickets page (where tickets are scanned)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-page-util.h"
#include "fest-tickets-dialogs.h"
#include "fest-gates-section.h"

struct _FestGatesSection
{
  GtkWidget        parent_instance;

  GtkWidget       *box;
  GtkListBox      *list;
  GtkLabel        *error_label;

  FestClient      *client;
  FestEventStream *stream;
  JsonObject      *festival;
  JsonArray       *gates;
  GCancellable    *cancellable;
};

G_DEFINE_FINAL_TYPE (FestGatesSection, fest_gates_section, GTK_TYPE_WIDGET)

static void
update_actions (FestGatesSection *self)
{
  gboolean selected = gtk_list_box_get_selected_row (self->list) != NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gates.new", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gates.reload", self->client != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gates.edit", selected);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "gates.delete", selected);
}

static GtkWidget *
gate_row_new (JsonObject *gate)
{
  GtkWidget *row = adw_action_row_new ();
  JsonObject *location = NULL;
  const char *zone = NULL;
  g_autofree char *label = NULL;
  const char *subtitle;

  if (json_object_has_member (gate, "location")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (gate, "location")))
    location = json_object_get_object_member (gate, "location");
  if (location != NULL)
    zone = fest_page_json_string (location, "zone");
  if (location == NULL)
    subtitle = _("Not placed on the map");
  else if (zone == NULL)
    subtitle = _("On the map, no zone");
  else
    subtitle = zone;

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), fest_page_json_string (gate, "name"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  /* Translators: a gate in the list: its name, then its zone (or where it is). */
  label = g_strdup_printf (_("%s, %s"), fest_page_json_string (gate, "name"), subtitle);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  g_object_set_data_full (G_OBJECT (row), "fest-gate", json_object_ref (gate),
                          (GDestroyNotify) json_object_unref);
  return row;
}

static void
show_gates (FestGatesSection *self,
            JsonArray        *gates)
{
  g_autofree char *selected_id = NULL;
  JsonObject *selected = fest_gates_section_get_selected (self);
  GtkListBoxRow *row;

  if (selected != NULL)
    selected_id = g_strdup (fest_page_json_string (selected, "id"));

  g_clear_pointer (&self->gates, json_array_unref);
  self->gates = json_array_ref (gates);
  while ((row = gtk_list_box_get_row_at_index (self->list, 0)) != NULL)
    gtk_list_box_remove (self->list, GTK_WIDGET (row));
  for (guint i = 0; i < json_array_get_length (gates); i++)
    {
      JsonNode *node = json_array_get_element (gates, i);

      if (JSON_NODE_HOLDS_OBJECT (node)
          && fest_page_json_string (json_node_get_object (node), "id") != NULL)
        gtk_list_box_append (self->list, gate_row_new (json_node_get_object (node)));
    }
  if (selected_id != NULL)
    fest_gates_section_select_gate (self, selected_id);
  update_actions (self);
}

static void
gates_loaded_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestGatesSection) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) gates = NULL;
  g_autofree char *text = NULL;

  gates = fest_page_fetch_all_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (gates == NULL)
    {
      text = fest_page_error_text (error);
      gtk_label_set_text (self->error_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  show_gates (self, gates);
}

static void
reload (FestGatesSection *self)
{
  if (self->client == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  fest_page_fetch_all_async (self->client, "/gates", self->cancellable, gates_loaded_cb,
                             g_object_ref (self));
}

static void
saved_cb (FestFormDialog *dialog,
          JsonNode       *data,
          gpointer        user_data)
{
  FestGatesSection *self = user_data;

  fest_page_toast (GTK_WIDGET (self), g_object_get_data (G_OBJECT (dialog), "fest-saved-message"));
  reload (self);
}

static void
open_dialog (FestGatesSection *self,
             JsonObject       *gate)
{
  FestFormDialog *dialog;

  if (self->client == NULL)
    return;

  dialog = fest_gate_dialog_new (GTK_WIDGET (self), self->client, gate, self->festival);
  g_signal_connect_object (dialog, "saved", G_CALLBACK (saved_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  open_dialog (FEST_GATES_SECTION (widget), NULL);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestGatesSection *self = FEST_GATES_SECTION (widget);
  JsonObject *gate = fest_gates_section_get_selected (self);

  if (gate != NULL)
    open_dialog (self, gate);
}

static void
deleted_cb (GtkWidget *widget,
            JsonNode  *data)
{
  reload (FEST_GATES_SECTION (widget));
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    gpointer          user_data)
{
  FestGatesSection *self = user_data;
  const char *path = g_object_get_data (G_OBJECT (dialog), "fest-path");

  fest_page_send (GTK_WIDGET (self), self->client, NULL, "DELETE", path, NULL,
                  _("Gate deleted"), deleted_cb);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FestGatesSection *self = FEST_GATES_SECTION (widget);
  JsonObject *gate = fest_gates_section_get_selected (self);
  AdwMessageDialog *dialog;
  g_autofree char *heading = NULL;

  if (gate == NULL || self->client == NULL)
    return;

  heading = g_strdup_printf (_("Delete the gate “%s”?"), fest_page_json_string (gate, "name"));
  dialog = fest_page_confirm (GTK_WIDGET (self), heading,
                              _("Stations can no longer choose it. Tickets already scanned there "
                                "keep its name."),
                              _("_Delete"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-path",
                          g_strdup_printf ("/gates/%s", fest_page_json_string (gate, "id")), g_free);
  g_signal_connect_object (dialog, "response::confirm", G_CALLBACK (delete_response_cb), self, 0);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  reload (FEST_GATES_SECTION (widget));
}

static void
row_activated_cb (FestGatesSection *self,
                  GtkListBoxRow    *row)
{
  open_dialog (self, g_object_get_data (G_OBJECT (row), "fest-gate"));
}

static void
fest_gates_section_dispose (GObject *object)
{
  FestGatesSection *self = FEST_GATES_SECTION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_pointer (&self->box, gtk_widget_unparent);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  g_clear_object (&self->client);
  g_clear_pointer (&self->festival, json_object_unref);
  g_clear_pointer (&self->gates, json_array_unref);

  G_OBJECT_CLASS (fest_gates_section_parent_class)->dispose (object);
}

static void
fest_gates_section_finalize (GObject *object)
{
  FestGatesSection *self = FEST_GATES_SECTION (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fest_gates_section_parent_class)->finalize (object);
}

static void
fest_gates_section_class_init (FestGatesSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_gates_section_dispose;
  object_class->finalize = fest_gates_section_finalize;

  gtk_widget_class_install_action (widget_class, "gates.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "gates.edit", NULL, edit_action);
  gtk_widget_class_install_action (widget_class, "gates.delete", NULL, delete_action);
  gtk_widget_class_install_action (widget_class, "gates.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Delete, 0, "gates.delete", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static GtkWidget *
tool_button (const char *icon,
             const char *action,
             const char *tooltip)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  return button;
}

static void
fest_gates_section_init (FestGatesSection *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title = gtk_label_new (_("Gates"));
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *placeholder = gtk_label_new (_("No gates yet: add the entrances where tickets are scanned."));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Gates"), -1);
  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  gtk_widget_set_margin_start (header, 12);
  gtk_widget_set_margin_end (header, 6);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_set_hexpand (title, TRUE);
  gtk_widget_add_css_class (title, "heading");
  gtk_box_append (GTK_BOX (header), title);
  gtk_box_append (GTK_BOX (header), tool_button ("list-add-symbolic", "gates.new", _("Add a gate")));
  gtk_box_append (GTK_BOX (header), tool_button ("document-edit-symbolic", "gates.edit",
                                                 _("Edit the gate")));
  gtk_box_append (GTK_BOX (header), tool_button ("user-trash-symbolic", "gates.delete",
                                                 _("Delete the gate")));
  gtk_box_append (GTK_BOX (self->box), header);

  self->error_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->error_label, TRUE);
  gtk_label_set_xalign (self->error_label, 0);
  gtk_widget_set_margin_start (GTK_WIDGET (self->error_label), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->error_label), 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->error_label), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->error_label));

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_SINGLE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "navigation-sidebar");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Gates"), -1);
  gtk_label_set_wrap (GTK_LABEL (placeholder), TRUE);
  gtk_widget_set_margin_top (placeholder, 12);
  gtk_widget_set_margin_start (placeholder, 12);
  gtk_widget_set_margin_end (placeholder, 12);
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_list_box_set_placeholder (self->list, placeholder);
  g_signal_connect_object (self->list, "row-activated", G_CALLBACK (row_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list, "row-selected", G_CALLBACK (update_actions), self,
                           G_CONNECT_SWAPPED);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_box_append (GTK_BOX (self->box), scrolled);

  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

GtkWidget *
fest_gates_section_new (void)
{
  return g_object_new (FEST_TYPE_GATES_SECTION, NULL);
}

void
fest_gates_section_load (FestGatesSection *self,
                         FestClient       *client,
                         JsonObject       *festival)
{
  g_return_if_fail (FEST_IS_GATES_SECTION (self));
  g_return_if_fail (FEST_IS_CLIENT (client));

  g_set_object (&self->client, client);
  if (festival != self->festival)
    {
      g_clear_pointer (&self->festival, json_object_unref);
      self->festival = festival != NULL ? json_object_ref (festival) : NULL;
    }
  update_actions (self);
  reload (self);
}

static void
stream_event_cb (FestEventStream  *stream,
                 const char       *name,
                 JsonNode         *data,
                 FestGatesSection *self)
{
  if (g_strcmp0 (name, "gate:updated") == 0)
    reload (self);
}

void
fest_gates_section_set_event_stream (FestGatesSection *self,
                                     FestEventStream  *stream)
{
  g_return_if_fail (FEST_IS_GATES_SECTION (self));
  g_return_if_fail (stream == NULL || FEST_IS_EVENT_STREAM (stream));

  if (self->stream == stream)
    return;
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_set_object (&self->stream, stream);
  if (stream != NULL)
    g_signal_connect_object (stream, "event", G_CALLBACK (stream_event_cb), self, 0);
}

JsonArray *
fest_gates_section_get_gates (FestGatesSection *self)
{
  g_return_val_if_fail (FEST_IS_GATES_SECTION (self), NULL);

  return self->gates;
}

gboolean
fest_gates_section_select_gate (FestGatesSection *self,
                                const char       *id)
{
  g_return_val_if_fail (FEST_IS_GATES_SECTION (self), FALSE);

  for (int i = 0; gtk_list_box_get_row_at_index (self->list, i) != NULL; i++)
    {
      GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->list, i);
      JsonObject *gate = g_object_get_data (G_OBJECT (row), "fest-gate");

      if (gate != NULL && g_strcmp0 (fest_page_json_string (gate, "id"), id) == 0)
        {
          gtk_list_box_select_row (self->list, row);
          return TRUE;
        }
    }
  return FALSE;
}

JsonObject *
fest_gates_section_get_selected (FestGatesSection *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (FEST_IS_GATES_SECTION (self), NULL);

  row = gtk_list_box_get_selected_row (self->list);
  return row != NULL ? g_object_get_data (G_OBJECT (row), "fest-gate") : NULL;
}
