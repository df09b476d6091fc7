/* fest-security-page.c: the security station: report an incident, queued offline like the rest
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The position is the stand's location when the station has one, else the festival's location;
 * the operator can adjust latitude and longitude.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-security-page.h"
#include "fest-station-window-private.h"

struct _FestSecurityPage
{
  GtkBox             parent_instance;

  FestStationWindow *window;
  char              *type;

  GtkFlowBox        *types;
  GtkTextView       *description;
  GtkSpinButton     *lat;
  GtkSpinButton     *lng;
  GtkButton         *report_button;
  GtkListBox        *reports;
};

G_DEFINE_FINAL_TYPE (FestSecurityPage, fest_security_page, GTK_TYPE_BOX)

static const struct
{
  const char *type;
  const char *label;
  const char *icon;
} incident_types[] = {
  { "FIGHT", N_("Fight"), "dialog-warning-symbolic" },
  { "THEFT", N_("Theft"), "security-medium-symbolic" },
  { "MEDICAL", N_("Medical"), "emblem-important-symbolic" },
  { "FIRE", N_("Fire"), "dialog-error-symbolic" },
  { "LOST_PERSON", N_("Lost person"), "system-search-symbolic" },
  { "SOS", N_("SOS"), "emergency-number-symbolic" },
  { "OTHER", N_("Other"), "dialog-question-symbolic" },
};

static const char *
type_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (incident_types); i++)
    if (g_strcmp0 (incident_types[i].type, type) == 0)
      return _(incident_types[i].label);
  return type;
}

static void
reload_reports (FestSecurityPage *self)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (fest_station_window_get_store (self->window));
  GtkWidget *child;
  guint shown = 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->reports))) != NULL)
    gtk_list_box_remove (self->reports, child);

  for (guint i = ops->len; i > 0 && shown < 8; i--)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i - 1);
      g_autoptr(JsonNode) payload = NULL;
      g_autoptr(GDateTime) when = NULL;
      g_autoptr(GDateTime) local = NULL;
      g_autofree char *time = NULL;
      g_autofree char *text = NULL;
      const char *state;
      GtkWidget *row;

      if (g_strcmp0 (op->op, "incident.create") != 0)
        continue;
      payload = fest_json_parse (op->payload, -1, NULL);
      when = fest_time_parse (op->created_at);
      local = when ? g_date_time_to_local (when) : NULL;
      time = local ? g_date_time_format (local, "%X") : g_strdup ("");
      state = op->state == FEST_OUTBOX_ACKED ? _("sent")
            : op->state == FEST_OUTBOX_REJECTED ? _("refused by the server") : _("waiting for the network");
      text = g_strdup_printf ("%s — %s (%s)", time,
                              type_label (payload ? json_object_get_string_member_with_default (json_node_get_object (payload), "type", "") : ""),
                              state);
      row = gtk_label_new (text);
      gtk_label_set_xalign (GTK_LABEL (row), 0);
      gtk_widget_set_margin_top (row, 8);
      gtk_widget_set_margin_bottom (row, 8);
      gtk_widget_set_margin_start (row, 12);
      gtk_list_box_append (self->reports, row);
      shown++;
    }
}

static void
type_toggled_cb (GtkToggleButton *button,
                 gpointer         user_data)
{
  FestSecurityPage *self = user_data;

  if (!gtk_toggle_button_get_active (button))
    return;
  g_free (self->type);
  self->type = g_strdup (g_object_get_data (G_OBJECT (button), "type"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), TRUE);
}

static void
report (FestSecurityPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description);
  GtkTextIter start, end;
  g_autofree char *description = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;

  if (self->type == NULL)
    {
      fest_station_window_toast (self->window, _("Choose the kind of incident first"));
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  op = fest_station_store_record_incident (fest_station_window_get_store (self->window), self->type,
                                           gtk_spin_button_get_value (self->lat),
                                           gtk_spin_button_get_value (self->lng), description, &error);
  if (op == NULL)
    {
      fest_station_window_toast (self->window, error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  gtk_text_buffer_set_text (buffer, "", -1);
  fest_station_window_toast (self->window, fest_station_window_is_online (self->window)
                                           ? _("Incident reported")
                                           : _("Incident saved: it will be sent when the network is back"));
  fest_station_window_operation_queued (self->window);
  reload_reports (self);
}

static void
report_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  report (FEST_SECURITY_PAGE (user_data));
}

static void
fest_security_page_finalize (GObject *object)
{
  FestSecurityPage *self = FEST_SECURITY_PAGE (object);

  g_free (self->type);
  G_OBJECT_CLASS (fest_security_page_parent_class)->finalize (object);
}

static void
fest_security_page_class_init (FestSecurityPageClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fest_security_page_finalize;
}

static void
fest_security_page_init (FestSecurityPage *self)
{
}

static double
setting_double (FestStationStore *store,
                const char       *key,
                const char       *fallback_key)
{
  g_autofree char *value = fest_station_store_get_setting (store, key);

  if (value == NULL && fallback_key != NULL)
    value = fest_station_store_get_setting (store, fallback_key);
  return value != NULL ? g_ascii_strtod (value, NULL) : 0.0;
}

static void
build (FestSecurityPage *self)
{
  FestStationStore *store = fest_station_window_get_store (self->window);
  GtkWidget *left, *right, *label, *frame, *position, *title, *scrolled;
  GtkToggleButton *group = NULL;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_HORIZONTAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  gtk_widget_set_margin_start (GTK_WIDGET (self), 24);
  gtk_widget_set_margin_end (GTK_WIDGET (self), 24);
  gtk_widget_set_margin_top (GTK_WIDGET (self), 24);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self), 24);

  left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_hexpand (left, TRUE);
  title = gtk_label_new (_("Report an incident"));
  gtk_widget_add_css_class (title, "title-2");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (left), title);

  self->types = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->types, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->types, TRUE);
  gtk_flow_box_set_max_children_per_line (self->types, 4);
  gtk_flow_box_set_min_children_per_line (self->types, 4);
  gtk_flow_box_set_row_spacing (self->types, 8);
  gtk_flow_box_set_column_spacing (self->types, 8);
  for (guint i = 0; i < G_N_ELEMENTS (incident_types); i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(incident_types[i].label));
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), incident_types[i].icon);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_add_css_class (button, "station-product");
      if (g_str_equal (incident_types[i].type, "SOS") || g_str_equal (incident_types[i].type, "FIRE"))
        gtk_widget_add_css_class (button, "destructive-action");
      if (group != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      else
        group = GTK_TOGGLE_BUTTON (button);
      g_object_set_data (G_OBJECT (button), "type", (gpointer) incident_types[i].type);
      g_signal_connect_object (button, "toggled", G_CALLBACK (type_toggled_cb), self, 0);
      gtk_flow_box_append (self->types, button);
    }
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->types));

  label = gtk_label_new_with_mnemonic (_("_What happened?"));
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_box_append (GTK_BOX (left), label);
  self->description = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_wrap_mode (self->description, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (self->description, 8);
  gtk_text_view_set_left_margin (self->description, 8);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->description));
  frame = gtk_frame_new (NULL);
  gtk_widget_set_size_request (frame, -1, 120);
  gtk_frame_set_child (GTK_FRAME (frame), GTK_WIDGET (self->description));
  gtk_box_append (GTK_BOX (left), frame);

  position = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
  label = gtk_label_new_with_mnemonic (_("_Latitude"));
  gtk_box_append (GTK_BOX (position), label);
  self->lat = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (-90, 90, 0.0001));
  gtk_spin_button_set_digits (self->lat, 5);
  gtk_spin_button_set_value (self->lat, setting_double (store, FEST_STATION_KEY_STAND_LAT, "festival_lat"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->lat));
  gtk_box_append (GTK_BOX (position), GTK_WIDGET (self->lat));
  label = gtk_label_new_with_mnemonic (_("L_ongitude"));
  gtk_box_append (GTK_BOX (position), label);
  self->lng = GTK_SPIN_BUTTON (gtk_spin_button_new_with_range (-180, 180, 0.0001));
  gtk_spin_button_set_digits (self->lng, 5);
  gtk_spin_button_set_value (self->lng, setting_double (store, FEST_STATION_KEY_STAND_LNG, "festival_lng"));
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->lng));
  gtk_box_append (GTK_BOX (position), GTK_WIDGET (self->lng));
  gtk_box_append (GTK_BOX (left), position);

  self->report_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Report")));
  gtk_widget_add_css_class (GTK_WIDGET (self->report_button), "destructive-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->report_button), "station-big-button");
  gtk_widget_set_sensitive (GTK_WIDGET (self->report_button), FALSE);
  g_signal_connect_object (self->report_button, "clicked", G_CALLBACK (report_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (left), GTK_WIDGET (self->report_button));
  gtk_box_append (GTK_BOX (self), left);

  right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_size_request (right, 380, -1);
  title = gtk_label_new (_("Recent reports"));
  gtk_widget_add_css_class (title, "title-3");
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_box_append (GTK_BOX (right), title);
  self->reports = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->reports, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->reports), "boxed-list");
  gtk_list_box_set_placeholder (self->reports, gtk_label_new (_("No report yet")));
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->reports));
  gtk_box_append (GTK_BOX (right), scrolled);
  gtk_box_append (GTK_BOX (self), right);
}

FestSecurityPage *
fest_security_page_new (FestStationWindow *window)
{
  FestSecurityPage *self = g_object_new (FEST_TYPE_SECURITY_PAGE, NULL);

  self->window = window;
  build (self);
  reload_reports (self);
  return self;
}

void
fest_security_page_report (FestSecurityPage *self,
                           const char       *type,
                           const char       *description)
{
  GtkWidget *child;

  g_return_if_fail (FEST_IS_SECURITY_PAGE (self));

  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->types)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *button = gtk_flow_box_child_get_child (GTK_FLOW_BOX_CHILD (child));

      if (g_strcmp0 (g_object_get_data (G_OBJECT (button), "type"), type) == 0)
        gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
    }
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->description), description, -1);
  report (self);
}
