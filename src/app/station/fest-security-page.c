/* fest-security-page.c: the security station: report an incident, queued offline like the rest
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The incident's position is picked on the festival's site plan (FestSiteMap, tiles from our
 * server). The marker starts at the station's stand (else the festival's location, else the first
 * stand the server lists); "Use stand position" puts it back there. Those locations arrive after
 * the page is built, in any order: the stand's and the festival's with the first sync (the window
 * calls fest_security_page_reload()), the stands with our GET /stands. Each arrival re-evaluates
 * the origin and, unless the user moved the marker, puts the marker and the view there.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-security-assigned.h"
#include "fest-security-page.h"
#include "fest-station-context.h"
#include "fest-site-map.h"

typedef enum
{
  ORIGIN_NONE,       /* no position known yet */
  ORIGIN_STAND,      /* the station's stand */
  ORIGIN_FESTIVAL,   /* the festival's location */
  ORIGIN_FIRST_STAND,
} Origin;

struct _FestSecurityPage
{
  GtkBox             parent_instance;

  FestStationContext *context;
  char              *type;
  GCancellable      *cancellable;
  /* The report last sent online: "reported" is said once the server has it (or why not). */
  char              *sent_key;

  Origin             origin;
  double             origin_lat;
  double             origin_lng;
  gboolean           picked;        /* the marker was moved by the user */

  /* From GET /stands: this station's stand and the first stand, with their locations. */
  gboolean           listed_own_stand;
  double             own_stand_lat;
  double             own_stand_lng;
  gboolean           listed_first_stand;
  double             first_stand_lat;
  double             first_stand_lng;

  GtkFlowBox        *types;
  GtkTextView       *description;
  FestSiteMap       *map;
  GtkLabel          *position_label;
  GtkButton         *reset_button;
  GtkListBox        *reports;
  GtkBox            *where_box;
  FestSecurityAssigned *assigned;
  char              *shown_incident;  /* the assigned incident the marker shows, if any */
};

G_DEFINE_FINAL_TYPE (FestSecurityPage, fest_security_page, GTK_TYPE_BOX)

static const struct
{
  const char *type;
  const char *label;
  const char *icon;
} incident_types[] = {
  /* Our own icons (resources/icons): the icon theme of a kiosk may have none of these. */
  { "FIGHT", N_("Fight"), "fest-incident-fight-symbolic" },
  { "THEFT", N_("Theft"), "fest-incident-theft-symbolic" },
  { "MEDICAL", N_("Medical"), "fest-incident-medical-symbolic" },
  { "FIRE", N_("Fire"), "fest-incident-fire-symbolic" },
  { "LOST_PERSON", N_("Lost person"), "fest-incident-lost-person-symbolic" },
  { "SOS", N_("SOS"), "fest-incident-sos-symbolic" },
  { "OTHER", N_("Other"), "fest-incident-other-symbolic" },
};

/* Who reports these may have no time to type: the type and the position are the report (the
 * server takes them without a description; it wants one for the other types). */
static gboolean
is_urgent (const char *type)
{
  return g_strcmp0 (type, "SOS") == 0 || g_strcmp0 (type, "MEDICAL") == 0 || g_strcmp0 (type, "FIRE") == 0;
}

static const char *
type_label (const char *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (incident_types); i++)
    if (g_strcmp0 (incident_types[i].type, type) == 0)
      return _(incident_types[i].label);
  return type;
}

static gboolean
setting_double (FestStationStore *store,
                const char       *key,
                double           *value)
{
  g_autofree char *text = fest_station_store_get_setting (store, key);
  char *end = NULL;

  if (text == NULL || *text == '\0')
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != NULL && *end == '\0';
}

/* Where the marker starts, best first: the station's stand (as the last sync stored it, else as
 * GET /stands listed it), the festival's location, the first stand GET /stands listed. */
static Origin
find_origin (FestSecurityPage *self,
             double           *lat,
             double           *lng)
{
  FestStationStore *store = fest_station_context_get_store (self->context);

  if (setting_double (store, FEST_STATION_KEY_STAND_LAT, lat) &&
      setting_double (store, FEST_STATION_KEY_STAND_LNG, lng))
    return ORIGIN_STAND;
  if (self->listed_own_stand)
    {
      *lat = self->own_stand_lat;
      *lng = self->own_stand_lng;
      return ORIGIN_STAND;
    }
  if (setting_double (store, "festival_lat", lat) && setting_double (store, "festival_lng", lng))
    return ORIGIN_FESTIVAL;
  if (self->listed_first_stand)
    {
      *lat = self->first_stand_lat;
      *lng = self->first_stand_lng;
      return ORIGIN_FIRST_STAND;
    }
  *lat = *lng = 0;
  return ORIGIN_NONE;
}

#define N_RECENT_REPORTS 8

/* "12:04:31 — Theft (sent)": when, what, and where the report stands with the server. */
static char *
report_text (const FestOutboxOp *op)
{
  g_autoptr(JsonNode) payload = fest_json_parse (op->payload, -1, NULL);
  g_autoptr(GDateTime) when = fest_time_parse (op->created_at);
  g_autoptr(GDateTime) local = when != NULL ? g_date_time_to_local (when) : NULL;
  g_autofree char *time = local != NULL ? g_date_time_format (local, "%X") : g_strdup ("");
  JsonObject *object = payload != NULL && JSON_NODE_HOLDS_OBJECT (payload)
                       ? json_node_get_object (payload) : NULL;
  const char *type = object != NULL ? json_object_get_string_member_with_default (object, "type", "") : "";
  const char *state = op->state == FEST_OUTBOX_ACKED ? _("sent")
                    : op->state == FEST_OUTBOX_REJECTED ? _("refused by the server")
                    : _("waiting for the network");

  return g_strdup_printf ("%s — %s (%s)", time, type_label (type), state);
}

static GtkListBoxRow *
report_row_new (const FestOutboxOp *op)
{
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
  g_object_set_data_full (G_OBJECT (row), "idempotency-key", g_strdup (op->idempotency_key),
                          g_free);
  /* Not a state any op has: the first update fills the row in. */
  g_object_set_data (G_OBJECT (row), "state", GINT_TO_POINTER (-1));
  return GTK_LIST_BOX_ROW (row);
}

static void
report_row_update (GtkListBoxRow      *row,
                   const FestOutboxOp *op)
{
  g_autofree char *text = NULL;

  /* The text changes with the state only: an unchanged row is left alone. */
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "state")) == (int) op->state)
    return;
  g_object_set_data (G_OBJECT (row), "state", GINT_TO_POINTER (op->state));
  text = report_text (op);
  gtk_label_set_text (GTK_LABEL (gtk_list_box_row_get_child (row)), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
}

static const char *
report_row_key (GtkListBoxRow *row)
{
  return g_object_get_data (G_OBJECT (row), "idempotency-key");
}

/* The newest reports as the outbox has them now, after a report or a sync. The rows stay the same
 * widgets and only their text follows the state (no rebuilt list, the focus stays on its row);
 * new reports come in on top, the oldest fall off the end. */
static void
reload_reports (FestSecurityPage *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  g_autoptr(GPtrArray) ops = fest_station_store_list_recent_ops (store, "INCIDENT",
                                                                 N_RECENT_REPORTS);
  g_autoptr(GHashTable) keys = g_hash_table_new (g_str_hash, g_str_equal);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;
  gboolean lost_focus = FALSE;
  GtkListBoxRow *row;
  int i;

  for (guint j = 0; j < ops->len; j++)
    g_hash_table_add (keys, ((FestOutboxOp *) g_ptr_array_index (ops, j))->idempotency_key);

  /* Rows of reports no longer among the newest (or gone with a new enrolment) leave. The others
   * keep their order: both lists go newest first. */
  for (i = 0; (row = gtk_list_box_get_row_at_index (self->reports, i)) != NULL;)
    {
      if (g_hash_table_contains (keys, report_row_key (row)))
        {
          i++;
          continue;
        }
      if (focus != NULL &&
          (focus == GTK_WIDGET (row) || gtk_widget_is_ancestor (focus, GTK_WIDGET (row))))
        lost_focus = TRUE;
      gtk_list_box_remove (self->reports, GTK_WIDGET (row));
    }

  for (i = 0; i < (int) ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);

      row = gtk_list_box_get_row_at_index (self->reports, i);
      if (row == NULL || g_strcmp0 (report_row_key (row), op->idempotency_key) != 0)
        {
          row = report_row_new (op);
          gtk_list_box_insert (self->reports, GTK_WIDGET (row), i);
        }
      report_row_update (row, op);
    }

  /* The report sent online: now that a sync has answered, say how it went. */
  for (guint j = 0; self->sent_key != NULL && j < ops->len; j++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, j);
      g_autofree char *text = NULL;

      if (!g_str_equal (op->idempotency_key, self->sent_key) || op->state == FEST_OUTBOX_PENDING)
        continue;
      if (op->state == FEST_OUTBOX_ACKED)
        fest_station_context_toast (self->context, _("Incident reported"));
      else
        {
          text = g_strdup_printf (_("The server refused the incident: %s"),
                                  op->error_message != NULL ? op->error_message : "");
          fest_station_context_toast (self->context, text);
          gtk_widget_error_bell (GTK_WIDGET (self));
        }
      g_clear_pointer (&self->sent_key, g_free);
    }

  /* A focused row that fell off the end hands the focus to the last one left. */
  if (lost_focus && ops->len > 0)
    {
      row = gtk_list_box_get_row_at_index (self->reports, (int) ops->len - 1);
      gtk_widget_grab_focus (GTK_WIDGET (row));
    }
}

static void
update_position_label (FestSecurityPage *self)
{
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;
  double lat, lng;

  fest_site_map_get_position (self->map, &lat, &lng);
  g_ascii_formatd (lat_text, sizeof lat_text, "%.5f", lat);
  g_ascii_formatd (lng_text, sizeof lng_text, "%.5f", lng);
  /* %s, %s: latitude and longitude, in degrees. */
  if (self->picked && self->shown_incident != NULL)
    /* TRANSLATORS: an incident's kind, then its latitude and longitude */
    text = g_strdup_printf (_("Incident (%s): %s, %s"), self->shown_incident, lat_text, lng_text);
  else if (self->picked)
    text = g_strdup_printf (_("Picked on the map: %s, %s"), lat_text, lng_text);
  else if (self->origin == ORIGIN_STAND)
    text = g_strdup_printf (_("At the stand: %s, %s"), lat_text, lng_text);
  else if (self->origin == ORIGIN_FESTIVAL)
    text = g_strdup_printf (_("At the festival's location: %s, %s"), lat_text, lng_text);
  else if (self->origin == ORIGIN_FIRST_STAND)
    text = g_strdup_printf (_("At the first stand: %s, %s"), lat_text, lng_text);
  else
    text = g_strdup (_("Click the map where the incident is"));
  gtk_label_set_text (self->position_label, text);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "security.use-stand-position",
                                 self->origin != ORIGIN_NONE && self->picked);
  gtk_button_set_label (self->reset_button, self->origin == ORIGIN_FESTIVAL ? _("_Use festival position")
                                                                            : _("_Use stand position"));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->reset_button),
                               self->origin == ORIGIN_FESTIVAL ? _("Put the marker back at the festival's location")
                                                               : _("Put the marker back at this station's stand"));
}

static void
reset_to_origin (FestSecurityPage *self)
{
  self->picked = FALSE;
  g_clear_pointer (&self->shown_incident, g_free);
  if (self->origin != ORIGIN_NONE)
    {
      fest_site_map_set_position (self->map, self->origin_lat, self->origin_lng);
      fest_site_map_center_on (self->map, self->origin_lat, self->origin_lng);
    }
  update_position_label (self);
}

/* A location came in (a sync, the stands list): if the origin is now a better or another one, the
 * marker and the view go there, unless the user moved the marker (then only the label and the
 * reset button follow). */
static void
update_origin (FestSecurityPage *self)
{
  double lat, lng;
  Origin origin = find_origin (self, &lat, &lng);

  if (origin == self->origin && lat == self->origin_lat && lng == self->origin_lng)
    return;
  self->origin = origin;
  self->origin_lat = lat;
  self->origin_lng = lng;
  if (self->picked)
    update_position_label (self);
  else
    reset_to_origin (self);
}

static void
picked_cb (FestSiteMap *map,
           gpointer     user_data)
{
  FestSecurityPage *self = user_data;

  self->picked = TRUE;
  g_clear_pointer (&self->shown_incident, g_free);
  update_position_label (self);
}

/* An assigned incident selected in "My incidents": the marker and the view go to it. */
static void
incident_selected_cb (FestSecurityAssigned *assigned,
                      const char           *title,
                      double                lat,
                      double                lng,
                      gpointer              user_data)
{
  FestSecurityPage *self = user_data;

  self->picked = TRUE;
  g_free (self->shown_incident);
  self->shown_incident = g_strdup (title != NULL ? title : "");
  fest_site_map_set_position (self->map, lat, lng);
  fest_site_map_center_on (self->map, lat, lng);
  update_position_label (self);
}

static void
stands_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FestSecurityPage) self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *own_id = NULL;
  JsonArray *stands;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (data == NULL || !JSON_NODE_HOLDS_ARRAY (data))
    {
      /* Offline or not allowed: the map works without the stand markers. */
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("No stands for the site map: %s", error->message);
      return;
    }

  stands = json_node_get_array (data);
  own_id = fest_station_store_get_setting (fest_station_context_get_store (self->context),
                                           FEST_STATION_KEY_STAND_ID);
  fest_site_map_clear_stands (self->map);
  self->listed_own_stand = FALSE;
  self->listed_first_stand = FALSE;
  for (guint i = 0; i < json_array_get_length (stands); i++)
    {
      JsonObject *stand = json_array_get_object_element (stands, i);
      JsonObject *location = stand != NULL && json_object_has_member (stand, "location") &&
                             JSON_NODE_HOLDS_OBJECT (json_object_get_member (stand, "location"))
                             ? json_object_get_object_member (stand, "location") : NULL;
      double lat, lng;

      if (location == NULL || !json_object_has_member (location, "lat") || !json_object_has_member (location, "lng"))
        continue;
      lat = json_object_get_double_member (location, "lat");
      lng = json_object_get_double_member (location, "lng");
      fest_site_map_add_stand (self->map, json_object_get_string_member_with_default (stand, "name", ""), lat, lng);
      if (!self->listed_first_stand)
        {
          self->listed_first_stand = TRUE;
          self->first_stand_lat = lat;
          self->first_stand_lng = lng;
        }
      if (own_id != NULL &&
          g_strcmp0 (json_object_get_string_member_with_default (stand, "id", ""), own_id) == 0)
        {
          self->listed_own_stand = TRUE;
          self->own_stand_lat = lat;
          self->own_stand_lng = lng;
        }
    }
  update_origin (self);
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
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "security.report", TRUE);
}

static void
report (FestSecurityPage *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->description);
  GtkTextIter start, end;
  g_autofree char *description = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  double lat, lng;

  if (self->type == NULL)
    {
      fest_station_context_toast (self->context, _("Choose the kind of incident first"));
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  description = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  if (*description == '\0' && !is_urgent (self->type))
    {
      fest_station_context_toast (self->context, _("Say what happened (SOS, medical and fire can be reported "
                                                 "without a description)"));
      gtk_widget_error_bell (GTK_WIDGET (self));
      gtk_widget_grab_focus (GTK_WIDGET (self->description));
      return;
    }
  fest_site_map_get_position (self->map, &lat, &lng);
  op = fest_station_store_record_incident (fest_station_context_get_store (self->context), self->type, lat, lng,
                                           description, &error);
  if (op == NULL)
    {
      fest_station_context_toast (self->context, error->message);
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  gtk_text_buffer_set_text (buffer, "", -1);
  /* Kept in the outbox: online it goes out now, and "reported" waits for the server's answer. */
  g_clear_pointer (&self->sent_key, g_free);
  if (fest_station_context_is_online (self->context))
    {
      self->sent_key = g_strdup (op->idempotency_key);
      fest_station_context_toast (self->context, _("Sending the incident…"));
    }
  else
    fest_station_context_toast (self->context, _("Incident saved: it will be sent when the network is back"));
  fest_station_context_operation_queued (self->context);
  reload_reports (self);
  /* The next incident starts from the stand again. */
  reset_to_origin (self);
}

static void
report_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  report (FEST_SECURITY_PAGE (widget));
}

static void
use_stand_position_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  reset_to_origin (FEST_SECURITY_PAGE (widget));
}

static void
fest_security_page_dispose (GObject *object)
{
  FestSecurityPage *self = FEST_SECURITY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_SECURITY_PAGE);
  G_OBJECT_CLASS (fest_security_page_parent_class)->dispose (object);
}

static void
fest_security_page_finalize (GObject *object)
{
  FestSecurityPage *self = FEST_SECURITY_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->type);
  g_free (self->sent_key);
  g_free (self->shown_incident);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_security_page_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_security_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FestSecurityPage *self = FEST_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_security_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FestSecurityPage *self = FEST_SECURITY_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_security_page_class_init (FestSecurityPageClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = fest_security_page_dispose;
  G_OBJECT_CLASS (klass)->get_property = fest_security_page_get_property;
  G_OBJECT_CLASS (klass)->set_property = fest_security_page_set_property;

  /* What the page works with, from its station window. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (G_OBJECT_CLASS (klass), N_PROPS, properties);
  G_OBJECT_CLASS (klass)->finalize = fest_security_page_finalize;

  g_type_ensure (FEST_TYPE_SITE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class, "/app/festivals/Festivals/ui/station/fest-security-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, types);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, description);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, map);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, position_label);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, reset_button);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, reports);
  gtk_widget_class_bind_template_child (widget_class, FestSecurityPage, where_box);
  gtk_widget_class_bind_template_callback (widget_class, picked_cb);

  gtk_widget_class_install_action (widget_class, "security.report", NULL, report_action);
  gtk_widget_class_install_action (widget_class, "security.use-stand-position", NULL, use_stand_position_action);
}

static void
fest_security_page_init (FestSecurityPage *self)
{
  static gboolean css_done;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "security.report", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "security.use-stand-position", FALSE);
  /* Kind buttons lower than the cashier's product buttons: the map needs the room. */
  if (!css_done && gdk_display_get_default () != NULL)
    {
      g_autoptr(GtkCssProvider) provider = gtk_css_provider_new ();

      gtk_css_provider_load_from_data (provider,
                                       "button.fest-incident-type { min-height: 64px; min-width: 110px;"
                                       " font-size: 1.15em; font-weight: bold; }", -1);
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (provider),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      css_done = TRUE;
    }
}

static void
build (FestSecurityPage *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  FestClient *client = fest_station_context_get_station_client (self->context);
  g_autofree char *festival_id = fest_station_store_get_setting (store, FEST_STATION_KEY_FESTIVAL_ID);
  GtkToggleButton *group = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (incident_types); i++)
    {
      GtkWidget *button = gtk_toggle_button_new ();
      GtkWidget *content = adw_button_content_new ();

      adw_button_content_set_label (ADW_BUTTON_CONTENT (content), _(incident_types[i].label));
      adw_button_content_set_icon_name (ADW_BUTTON_CONTENT (content), incident_types[i].icon);
      gtk_button_set_child (GTK_BUTTON (button), content);
      gtk_widget_add_css_class (button, "fest-incident-type");
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

  /* The festival id names the tile cache's directory: only a well-formed one. */
  fest_site_map_set_client (self->map, client, fest_uuid_is_valid (festival_id) ? festival_id : NULL);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->map), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->position_label, NULL, -1);

  self->origin = find_origin (self, &self->origin_lat, &self->origin_lng);
  reset_to_origin (self);

  /* The guard's own incidents, above the map they are shown on. */
  self->assigned = fest_security_assigned_new (self->context);
  g_signal_connect_object (self->assigned, "incident-selected", G_CALLBACK (incident_selected_cb), self, 0);
  gtk_box_prepend (self->where_box, GTK_WIDGET (self->assigned));

  /* The stands as markers (and this station's, or else the first one, as the origin). */
  if (client != NULL)
    fest_client_request_async (client, "GET", "/stands?per_page=500", NULL, NULL, self->cancellable, stands_cb,
                               g_object_ref (self));
}

FestSecurityPage *
fest_security_page_new (FestStationContext *context)
{
  FestSecurityPage *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_SECURITY_PAGE, "context", context, NULL);

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

FestSiteMap *
fest_security_page_get_map (FestSecurityPage *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_PAGE (self), NULL);
  return self->map;
}

FestSecurityAssigned *
fest_security_page_get_assigned (FestSecurityPage *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_PAGE (self), NULL);
  return self->assigned;
}

GtkListBox *
fest_security_page_get_reports (FestSecurityPage *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_PAGE (self), NULL);
  return self->reports;
}

void
fest_security_page_reload (FestSecurityPage *self)
{
  g_return_if_fail (FEST_IS_SECURITY_PAGE (self));
  reload_reports (self);
  update_origin (self);
  fest_security_assigned_refresh (self->assigned);
}

void
fest_security_page_use_stand_position (FestSecurityPage *self)
{
  g_return_if_fail (FEST_IS_SECURITY_PAGE (self));
  reset_to_origin (self);
}
