/* fest-incidents-actions.c: the Incidents page's actions: assign, resolve, flag, report
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each change is one PATCH /incidents/{id}; the server's answer replaces the incident in the
 * list and on the map at once (the live event that follows finds nothing new), an error is a
 * toast. A report from the back office is a POST /incidents at the point clicked.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-incidents-page-private.h"
#include "fest-page-util.h"

typedef struct
{
  FestIncidentsPage *self;
  char              *success;
} Request;

static void
request_free (Request *request)
{
  g_object_unref (request->self);
  g_free (request->success);
  g_free (request);
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  Request *request = user_data;
  FestIncidentsPage *self = request->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);

  if (node == NULL)
    fest_page_toast_error (GTK_WIDGET (self), error);
  else if (JSON_NODE_HOLDS_OBJECT (node))
    {
      FestIncident *incident = _fest_incidents_page_upsert (self, json_node_get_object (node), FALSE);

      if (incident != NULL && request->success != NULL)
        fest_page_toast (GTK_WIDGET (self), request->success);
    }
  request_free (request);
}

static void
send (FestIncidentsPage *self,
      const char        *method,
      const char        *path,
      JsonNode          *body,
      const char        *success)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->success = g_strdup (success);
  fest_client_request_async (fest_page_get_client (FEST_PAGE (self)), method, path, body, NULL,
                             self->cancellable, request_cb, request);
}

static void
patch (FestIncidentsPage *self,
       const char        *id,
       JsonBuilder       *builder,
       const char        *success)
{
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);
  g_autoptr(JsonNode) body = json_builder_get_root (builder);

  send (self, "PATCH", path, body, success);
}

/* incidents.assign "(ss)", incidents.resolve "(ss)", incidents.flag-abuse "s" */

static void
assign_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *id, *account;

  g_variant_get (parameter, "(&s&s)", &id, &account);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "assigned_to");
  json_builder_add_string_value (builder, account);
  json_builder_end_object (builder);
  patch (FEST_INCIDENTS_PAGE (widget), id, builder, _("Incident assigned"));
}

static void
resolve_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *id, *notes;

  g_variant_get (parameter, "(&s&s)", &id, &notes);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "RESOLVED");
  json_builder_set_member_name (builder, "resolution_notes");
  json_builder_add_string_value (builder, notes);
  json_builder_end_object (builder);
  patch (FEST_INCIDENTS_PAGE (widget), id, builder, _("Incident resolved"));
}

static void
flag_abuse_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "is_abuse");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_end_object (builder);
  patch (FEST_INCIDENTS_PAGE (widget), g_variant_get_string (parameter, NULL), builder,
         _("Report flagged as abuse"));
}

/* On the selected incident */

static void
assign_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (widget);
  FestIncident *incident = _fest_incidents_page_selected (self);
  guint member = gtk_drop_down_get_selected (self->assignee_dropdown);

  if (!self->can_assign || incident == NULL || member == GTK_INVALID_LIST_POSITION ||
      member + 1 >= self->security_ids->len ||
      g_strcmp0 (fest_incident_get_status (incident), "RESOLVED") == 0)
    return;
  gtk_widget_activate_action (widget, "incidents.assign", "(ss)", fest_incident_get_id (incident),
                              (const char *) g_ptr_array_index (self->security_ids, member));
}

static GtkWidget *
text_view_get (GtkWidget *dialog)
{
  return g_object_get_data (G_OBJECT (dialog), "fest-notes");
}

static void
notes_changed_cb (GtkTextBuffer *buffer,
                  GtkWidget     *dialog)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "resolve", g_strstrip (text)[0] != '\0');
}

static void
resolve_response_cb (AdwMessageDialog  *dialog,
                     const char        *response,
                     FestIncidentsPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (text_view_get (GTK_WIDGET (dialog))));
  const char *id = g_object_get_data (G_OBJECT (dialog), "fest-incident-id");
  GtkTextIter start, end;
  g_autofree char *notes = NULL;

  if (!g_str_equal (response, "resolve"))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  notes = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self), "incidents.resolve", "(ss)", id, g_strstrip (notes));
}

static void
resolve_selected_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (widget);
  FestIncident *incident = _fest_incidents_page_selected (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *what = NULL;
  GtkWidget *dialog, *scrolled, *notes;

  if (incident == NULL || g_strcmp0 (fest_incident_get_status (incident), "RESOLVED") == 0)
    return;
  what = fest_incident_describe (incident);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("Resolve Incident"), what);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "resolve", _("_Resolve"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resolve", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "resolve", FALSE);
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  notes = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (notes), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (notes), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (notes), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resolution notes"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, _("What was done, for the report"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), notes);
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled), 96);
  gtk_widget_add_css_class (scrolled, "card");
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  g_object_set_data (G_OBJECT (dialog), "fest-notes", notes);
  g_object_set_data_full (G_OBJECT (dialog), "fest-incident-id", g_strdup (fest_incident_get_id (incident)), g_free);
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "changed",
                           G_CALLBACK (notes_changed_cb), dialog, 0);
  g_signal_connect_object (dialog, "response", G_CALLBACK (resolve_response_cb), self, 0);
  _fest_incidents_page_set_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (notes);
}

static void
abuse_response_cb (AdwMessageDialog  *dialog,
                   const char        *response,
                   FestIncidentsPage *self)
{
  if (g_str_equal (response, "confirm"))
    gtk_widget_activate_action (GTK_WIDGET (self), "incidents.flag-abuse", "s",
                                (const char *) g_object_get_data (G_OBJECT (dialog), "fest-incident-id"));
}

static void
flag_abuse_selected_action (GtkWidget  *widget,
                            const char *action_name,
                            GVariant   *parameter)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (widget);
  FestIncident *incident = _fest_incidents_page_selected (self);
  g_autofree char *what = NULL;
  AdwMessageDialog *dialog;

  if (!self->can_assign || incident == NULL || fest_incident_get_is_abuse (incident))
    return;
  what = fest_incident_describe (incident);
  dialog = fest_page_confirm (widget, _("Flag as Abuse?"), what, _("_Flag as Abuse"));
  g_object_set_data_full (G_OBJECT (dialog), "fest-incident-id", g_strdup (fest_incident_get_id (incident)), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (abuse_response_cb), self, 0);
  _fest_incidents_page_set_dialog (self, GTK_WIDGET (dialog));
}

/* New incident here */

static void
create_response_cb (AdwMessageDialog  *dialog,
                    const char        *response,
                    FestIncidentsPage *self)
{
  GtkDropDown *type = g_object_get_data (G_OBJECT (dialog), "fest-type");
  GtkEditable *description = g_object_get_data (G_OBJECT (dialog), "fest-description");
  double *where = g_object_get_data (G_OBJECT (dialog), "fest-location");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint selected;

  if (!g_str_equal (response, "create"))
    return;
  selected = gtk_drop_down_get_selected (type);
  if (selected == GTK_INVALID_LIST_POSITION || fest_incident_types[selected] == NULL)
    return;
  text = g_strstrip (g_strdup (gtk_editable_get_text (description)));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, fest_incident_types[selected]);
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, where[0]);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, where[1]);
  json_builder_end_object (builder);
  if (text[0] != '\0')
    {
      json_builder_set_member_name (builder, "description");
      json_builder_add_string_value (builder, text);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  send (self, "POST", "/incidents", body, _("Incident reported"));
}

static void
create_at_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkWidget *dialog, *box, *type, *description;
  double *where = g_new (double, 2);

  g_variant_get (parameter, "(dd)", &where[0], &where[1]);
  /* The types a person reports: a duplicate entry is raised by the server only. */
  for (guint i = 0; fest_incident_types[i] != NULL; i++)
    if (!g_str_equal (fest_incident_types[i], "DUPLICATE_ENTRY"))
      gtk_string_list_append (types, fest_incident_type_label (fest_incident_types[i]));

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, _("New Incident Here"),
                                   _("The incident is placed where you clicked on the map."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "create", _("_Report"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "create", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "create");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  type = gtk_drop_down_new (G_LIST_MODEL (g_object_ref (types)), NULL);
  gtk_accessible_update_property (GTK_ACCESSIBLE (type), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Incident type"), -1);
  gtk_widget_set_tooltip_text (type, _("Incident type"));
  description = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (description), _("Description"));
  gtk_entry_set_activates_default (GTK_ENTRY (description), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (description), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Description"),
                                  -1);
  gtk_box_append (GTK_BOX (box), type);
  gtk_box_append (GTK_BOX (box), description);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), box);
  g_object_set_data (G_OBJECT (dialog), "fest-type", type);
  g_object_set_data (G_OBJECT (dialog), "fest-description", description);
  g_object_set_data_full (G_OBJECT (dialog), "fest-location", where, g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (create_response_cb), self, 0);
  _fest_incidents_page_set_dialog (self, dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (type);
}

static void
new_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (widget);
  double lat, lng;

  fest_incident_map_get_center (self->map, &lat, &lng);
  gtk_widget_activate_action (widget, "incidents.create-at", "(dd)", lat, lng);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_page_reload (FEST_PAGE (widget));
}

void
_fest_incidents_page_update_actions (FestIncidentsPage *self)
{
  FestIncident *incident = _fest_incidents_page_selected (self);
  gboolean open = incident != NULL && g_strcmp0 (fest_incident_get_status (incident), "RESOLVED") != 0;
  FestPageState state = fest_page_get_state (FEST_PAGE (self));
  gboolean loaded = state == FEST_PAGE_STATE_CONTENT || state == FEST_PAGE_STATE_EMPTY;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.assign-selected",
                                 self->can_assign && open && self->security_ids->len > 1);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.resolve-selected", open);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.flag-abuse-selected",
                                 self->can_assign && incident != NULL && !fest_incident_get_is_abuse (incident));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "incidents.new", loaded);
  gtk_widget_set_sensitive (GTK_WIDGET (self->assignee_dropdown), open && self->security_ids->len > 1);
  gtk_widget_set_visible (self->assign_box, self->can_assign);
  gtk_widget_set_visible (self->flag_button, self->can_assign);
}

void
_fest_incidents_page_install_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "incidents.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "incidents.new", NULL, new_action);
  gtk_widget_class_install_action (widget_class, "incidents.assign", "(ss)", assign_action);
  gtk_widget_class_install_action (widget_class, "incidents.resolve", "(ss)", resolve_action);
  gtk_widget_class_install_action (widget_class, "incidents.flag-abuse", "s", flag_abuse_action);
  gtk_widget_class_install_action (widget_class, "incidents.create-at", "(dd)", create_at_action);
  gtk_widget_class_install_action (widget_class, "incidents.assign-selected", NULL, assign_selected_action);
  gtk_widget_class_install_action (widget_class, "incidents.resolve-selected", NULL, resolve_selected_action);
  gtk_widget_class_install_action (widget_class, "incidents.flag-abuse-selected", NULL,
                                   flag_abuse_selected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "incidents.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "incidents.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK, "incidents.new", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_A, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "incidents.assign-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "incidents.resolve-selected", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_B, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "incidents.flag-abuse-selected", NULL);
}
