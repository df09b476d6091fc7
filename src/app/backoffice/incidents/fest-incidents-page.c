/* fest-incidents-page.c: the Incidents page (operations room: map, list, assign, resolve)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reload fetches every incident (GET /incidents, newest first, a page of 500 at a time), the
 * festival's members (the SECURITY ones for the assign drop-down and the assignees' names), and
 * the stands, stages and gates with a position (the places layer, and "near …" in the list). The
 * incidents fill one list store; the list shows it through the filters, the map holds a marker
 * for each and hides the ones the filters leave out. Live events update both in place. When the
 * server goes away the page keeps what it has and says so above the map.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-feedback.h"
#include "fest-incidents-page-private.h"
#include "fest-page-util.h"

#define AGE_REFRESH_S 30

G_DEFINE_FINAL_TYPE (FestIncidentsPage, fest_incidents_page, FEST_TYPE_PAGE)

enum
{
  PROP_0,
  PROP_ATTENTION_COUNT,
  PROP_RECONNECTING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char * const status_filters[] = { NULL, "OPEN", "ASSIGNED", "RESOLVED" };

static void fest_incidents_page_real_reload (FestPage *page);
static void fest_incidents_page_stream_changed (FestPage        *page,
                                                FestEventStream *stream);

static void
update_marker (FestIncidentsPage *self,
               FestIncident      *incident)
{
  g_autofree char *label = NULL;

  if (!fest_incident_has_location (incident))
    {
      fest_incident_map_remove_incident (self->map, fest_incident_get_id (incident));
      return;
    }
  label = fest_incident_describe (incident);
  fest_incident_map_set_incident (self->map, fest_incident_get_id (incident),
                                  fest_incident_get_type_name (incident), fest_incident_get_status (incident),
                                  fest_incident_get_latitude (incident), fest_incident_get_longitude (incident),
                                  label);
}

/* Filters, counts, selection */

static gboolean
incident_matches (FestIncidentsPage *self,
                  FestIncident      *incident)
{
  if (self->status_filter != NULL && g_strcmp0 (fest_incident_get_status (incident), self->status_filter) != 0)
    return FALSE;
  if (self->type_filter != NULL && g_strcmp0 (fest_incident_get_type_name (incident), self->type_filter) != 0)
    return FALSE;
  return TRUE;
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  return incident_matches (user_data, item);
}

static void
update_counts (FestIncidentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  guint n_shown = g_list_model_get_n_items (G_LIST_MODEL (self->visible));
  guint n_open = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      if (g_strcmp0 (fest_incident_get_status (incident), "OPEN") == 0)
        n_open++;
    }
  if (n_open != self->attention_count)
    {
      self->attention_count = n_open;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTENTION_COUNT]);
    }

  if (n_shown == n)
    /* Translators: incidents in the list, and how many of them are open */
    text = g_strdup_printf (ngettext ("%u incident, %u open", "%u incidents, %u open", n), n, n_open);
  else
    /* Translators: incidents the filters show, of all the incidents loaded */
    text = g_strdup_printf (_("%u of %u incidents"), n_shown, n);
  gtk_label_set_text (self->count_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n_shown > 0 ? "list" : "empty");
}

static void
apply_filters (FestIncidentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));

  gtk_filter_changed (self->filter, GTK_FILTER_CHANGE_DIFFERENT);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      fest_incident_map_set_incident_visible (self->map, fest_incident_get_id (incident),
                                              incident_matches (self, incident));
    }
  update_counts (self);
}

FestIncident *
_fest_incidents_page_selected (FestIncidentsPage *self)
{
  return gtk_single_selection_get_selected_item (self->selection);
}

FestIncident *
_fest_incidents_page_lookup (FestIncidentsPage *self,
                             const char        *id)
{
  return id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
}

static void
update_details (FestIncidentsPage *self)
{
  FestIncident *incident = _fest_incidents_page_selected (self);
  g_autofree char *title = NULL;
  g_autofree char *details = NULL;
  const char *description;
  const char *assigned_to;

  if (incident == NULL)
    {
      gtk_label_set_text (self->details_title, _("No incident selected"));
      gtk_widget_set_visible (GTK_WIDGET (self->details_description), FALSE);
      _fest_incidents_page_update_actions (self);
      return;
    }
  title = fest_incident_describe (incident);
  if (fest_incident_get_assignee (incident) != NULL && fest_incident_get_assignee (incident)[0] != '\0')
    {
      g_autofree char *with = g_strdup_printf ("%s — %s", title, fest_incident_get_assignee (incident));

      g_free (title);
      title = g_steal_pointer (&with);
    }
  gtk_label_set_text (self->details_title, title);
  details = fest_incident_describe_details (incident);
  description = details != NULL ? details : fest_incident_get_description (incident);
  gtk_label_set_text (self->details_description, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->details_description), description != NULL && description[0] != '\0');

  /* The drop-down shows who has it, if anyone. */
  assigned_to = fest_incident_get_assigned_to (incident);
  for (guint i = 0; assigned_to != NULL && i + 1 < self->security_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->security_ids, i), assigned_to) == 0)
      gtk_drop_down_set_selected (self->assignee_dropdown, i);
  _fest_incidents_page_update_actions (self);
}

static void
scroll_to_selected (FestIncidentsPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position == GTK_INVALID_LIST_POSITION)
    return;
  /* GTK 4.8 has no gtk_column_view_scroll_to(): ask its inner list view. */
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->incidents_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", position);
}

static void
selection_changed_cb (FestIncidentsPage *self)
{
  FestIncident *incident = _fest_incidents_page_selected (self);

  if (!self->syncing)
    fest_incident_map_select (self->map, incident != NULL ? fest_incident_get_id (incident) : NULL, TRUE);
  update_details (self);
}

static void
incident_activated_cb (FestIncidentsPage *self,
                       const char        *id)
{
  self->syncing = TRUE;
  if (fest_page_select_id (self->selection, id))
    scroll_to_selected (self);
  self->syncing = FALSE;
}

static void
create_requested_cb (FestIncidentsPage *self,
                     double             latitude,
                     double             longitude)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "incidents.create-at", "(dd)", latitude, longitude);
}

/* Loading */

static void
set_reconnecting_notice (FestIncidentsPage *self)
{
  gboolean stream_down = self->stream != NULL && !fest_event_stream_is_connected (self->stream);
  gboolean show = self->loaded && (self->load_failed || stream_down);

  if (show)
    gtk_label_set_text (self->notice_label,
                        self->load_failed
                        ? _("Cannot reach the server — showing the incidents last loaded; reconnecting…")
                        : _("Live updates interrupted — reconnecting…"));
  if (show != gtk_widget_get_visible (GTK_WIDGET (self->notice_revealer)))
    {
      gtk_widget_set_visible (GTK_WIDGET (self->notice_revealer), show);
      gtk_revealer_set_reveal_child (self->notice_revealer, show);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECTING]);
    }
}

void
fest_incidents_page_set_incidents (FestIncidentsPage *self,
                                   JsonArray         *incidents)
{
  guint n = json_array_get_length (incidents);
  g_autoptr(GPtrArray) items = g_ptr_array_new_full (n, g_object_unref);
  g_autofree char *selected_id = NULL;
  gint64 now = g_get_real_time ();

  g_return_if_fail (FEST_IS_INCIDENTS_PAGE (self));

  if (_fest_incidents_page_selected (self) != NULL)
    selected_id = g_strdup (fest_incident_get_id (_fest_incidents_page_selected (self)));

  g_hash_table_remove_all (self->by_id);
  fest_incident_map_clear_incidents (self->map);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (incidents, i);
      FestIncident *incident;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      incident = fest_incident_new_from_json (json_node_get_object (node));
      if (incident == NULL || g_hash_table_contains (self->by_id, fest_incident_get_id (incident)))
        {
          g_clear_object (&incident);
          continue;
        }
      _fest_incidents_page_describe_place (self, incident);
      _fest_incidents_page_describe_assignee (self, incident);
      fest_incident_refresh_age (incident, now);
      g_hash_table_insert (self->by_id, g_strdup (fest_incident_get_id (incident)), incident);
      g_ptr_array_add (items, incident);
      update_marker (self, incident);
      if (!incident_matches (self, incident))
        fest_incident_map_set_incident_visible (self->map, fest_incident_get_id (incident), FALSE);
    }

  self->syncing = TRUE;
  g_list_store_splice (self->incidents, 0, g_list_model_get_n_items (G_LIST_MODEL (self->incidents)),
                       items->pdata, items->len);
  self->syncing = FALSE;
  if (selected_id == NULL || !fest_page_select_id (self->selection, selected_id))
    gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
  self->loaded = TRUE;
  update_counts (self);
  update_details (self);
  fest_page_set_state (FEST_PAGE (self), items->len > 0 ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
}

static gboolean
play_alert_cb (gpointer user_data)
{
  fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_WARNING);
  return G_SOURCE_REMOVE;
}

FestIncident *
_fest_incidents_page_upsert (FestIncidentsPage *self,
                             JsonObject        *object,
                             gboolean           announce)
{
  const char *id = fest_page_json_string (object, "id");
  FestIncident *incident = _fest_incidents_page_lookup (self, id);

  if (id == NULL)
    return NULL;

  if (incident != NULL)
    {
      if (fest_incident_update (incident, object))
        {
          _fest_incidents_page_describe_assignee (self, incident);
          update_marker (self, incident);
          if (self->status_filter != NULL || self->type_filter != NULL)
            apply_filters (self);
          else
            update_counts (self);
          if (incident == _fest_incidents_page_selected (self))
            update_details (self);
        }
      return incident;
    }

  incident = fest_incident_new_from_json (object);
  if (incident == NULL)
    return NULL;
  _fest_incidents_page_describe_place (self, incident);
  _fest_incidents_page_describe_assignee (self, incident);
  fest_incident_refresh_age (incident, g_get_real_time ());
  g_hash_table_insert (self->by_id, g_strdup (fest_incident_get_id (incident)), incident);
  update_marker (self, incident);
  if (!incident_matches (self, incident))
    fest_incident_map_set_incident_visible (self->map, id, FALSE);
  self->syncing = TRUE;
  g_list_store_insert (self->incidents, 0, incident);
  self->syncing = FALSE;
  g_object_unref (incident);
  update_counts (self);
  if (fest_page_get_state (FEST_PAGE (self)) == FEST_PAGE_STATE_EMPTY)
    fest_page_set_state (FEST_PAGE (self), FEST_PAGE_STATE_CONTENT);

  if (announce)
    {
      g_autofree char *what = fest_incident_describe (incident);
      /* Translators: a toast when an incident is reported; its type, status, place, age */
      g_autofree char *text = g_strdup_printf (_("New incident: %s"), what);

      fest_page_toast (GTK_WIDGET (self), text);
      /* After the frame that shows the marker. */
      g_idle_add_full (G_PRIORITY_LOW, play_alert_cb, NULL, NULL);
    }
  return incident;
}

static void
incidents_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FestIncidentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = fest_page_fetch_all_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (array == NULL)
    {
      /* What was loaded stays: the list and the map, with a notice. */
      self->load_failed = TRUE;
      if (self->loaded)
        set_reconnecting_notice (self);
      else
        fest_page_show_error (FEST_PAGE (self), error);
      return;
    }
  self->load_failed = FALSE;
  fest_incidents_page_set_incidents (self, array);
  set_reconnecting_notice (self);
}

void
_fest_incidents_page_refresh_descriptions (FestIncidentsPage *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      _fest_incidents_page_describe_place (self, incident);
      _fest_incidents_page_describe_assignee (self, incident);
      update_marker (self, incident);
    }
  update_details (self);
}

static void
reload_places (FestIncidentsPage *self)
{
  self->places_generation++;
  g_array_set_size (self->places, 0);
  fest_incident_map_clear_places (self->map);
  _fest_incidents_page_load_places (self, "/stands", "stand");
  _fest_incidents_page_load_places (self, "/stages", "stage");
  _fest_incidents_page_load_places (self, "/gates", "gate");
}

static void
fest_incidents_page_real_reload (FestPage *page)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (page);
  FestClient *client = fest_page_get_client (page);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (!self->loaded)
    fest_page_set_state (page, FEST_PAGE_STATE_LOADING);

  fest_page_fetch_all_async (client, "/incidents", self->cancellable, incidents_cb, g_object_ref (self));
  fest_page_fetch_all_async (client, "/members", self->cancellable, _fest_incidents_page_members_cb,
                             g_object_ref (self));
  reload_places (self);
}

/* Live */

static void
stream_event_cb (FestEventStream   *stream,
                 const char        *name,
                 JsonNode          *data,
                 FestIncidentsPage *self)
{
  /* A gate placed, moved or removed: the places layer again. */
  if (g_str_equal (name, "gate:updated") && self->loaded)
    {
      reload_places (self);
      return;
    }
  if (!g_str_has_prefix (name, "incident:") || data == NULL || !JSON_NODE_HOLDS_OBJECT (data))
    return;
  if (!self->loaded)
    return;
  _fest_incidents_page_upsert (self, json_node_get_object (data), g_str_equal (name, "incident:new"));
}

static void
stream_state_cb (FestEventStream   *stream,
                 GParamSpec        *pspec,
                 FestIncidentsPage *self)
{
  set_reconnecting_notice (self);
  /* What happened while the stream was down is fetched once it is back. */
  if (fest_event_stream_is_connected (stream) && self->loaded)
    fest_page_reload (FEST_PAGE (self));
}

static void
fest_incidents_page_stream_changed (FestPage        *page,
                                    FestEventStream *stream)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (page);

  if (self->stream == stream)
    return;
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_set_object (&self->stream, stream);
  if (stream != NULL)
    {
      g_signal_connect_object (stream, "event", G_CALLBACK (stream_event_cb), self, 0);
      g_signal_connect_object (stream, "notify::state", G_CALLBACK (stream_state_cb), self, 0);
    }
  set_reconnecting_notice (self);
}

static void
fest_incidents_page_festival_changed (FestPage   *page,
                                      JsonObject *festival)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (page);
  const char *id = fest_page_json_string (festival, "id");
  JsonNode *location = festival != NULL ? json_object_get_member (festival, "location") : NULL;
  JsonNode *roles = festival != NULL ? json_object_get_member (festival, "roles") : NULL;

  /* A plain SECURITY member resolves the incidents given to them; assigning and flagging are for
   * organisers and security leads (the server says so too). Without the roles: all shown. */
  self->can_assign = TRUE;
  if (roles != NULL && JSON_NODE_HOLDS_ARRAY (roles))
    {
      JsonArray *array = json_node_get_array (roles);

      self->can_assign = FALSE;
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          const char *role = json_array_get_string_element (array, i);

          if (g_strcmp0 (role, "ORGANISER") == 0 || g_strcmp0 (role, "SECURITY_LEAD") == 0 ||
              g_strcmp0 (role, "SUPERADMIN") == 0)
            self->can_assign = TRUE;
        }
    }
  _fest_incidents_page_update_actions (self);

  if (g_strcmp0 (id, self->festival_id) != 0 || fest_incident_map_get_tile_source (self->map) == NULL)
    {
      g_free (self->festival_id);
      self->festival_id = g_strdup (id);
      fest_incident_map_set_client (self->map, fest_page_get_client (page), id);
      if (location != NULL && JSON_NODE_HOLDS_OBJECT (location))
        fest_incident_map_center_on (self->map, fest_page_json_double (json_node_get_object (location), "lat", 0),
                                     fest_page_json_double (json_node_get_object (location), "lng", 0));
    }
}

static gboolean
age_timer_cb (gpointer user_data)
{
  FestIncidentsPage *self = user_data;
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->incidents));
  gint64 now = g_get_real_time ();

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (G_LIST_MODEL (self->incidents), i);

      fest_incident_refresh_age (incident, now);
    }
  return G_SOURCE_CONTINUE;
}

/* Filters */

static void
status_filter_cb (FestIncidentsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->status_dropdown);

  self->status_filter = selected < G_N_ELEMENTS (status_filters) ? status_filters[selected] : NULL;
  apply_filters (self);
}

static void
type_filter_cb (FestIncidentsPage *self)
{
  guint selected = gtk_drop_down_get_selected (self->type_dropdown);

  self->type_filter = selected > 0 && selected <= g_strv_length ((char **) fest_incident_types)
                      ? fest_incident_types[selected - 1] : NULL;
  apply_filters (self);
}

/* GObject */

static void
fest_incidents_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ATTENTION_COUNT:
      g_value_set_uint (value, self->attention_count);
      break;
    case PROP_RECONNECTING:
      g_value_set_boolean (value, fest_incidents_page_get_reconnecting (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_incidents_page_dispose (GObject *object)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->age_timer, g_source_remove);
  if (self->dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (self->dialog));
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_INCIDENTS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->selection);
  g_clear_object (&self->filter);
  g_clear_object (&self->incidents);
  g_clear_object (&self->security_names);
  G_OBJECT_CLASS (fest_incidents_page_parent_class)->dispose (object);
}

static void
fest_incidents_page_finalize (GObject *object)
{
  FestIncidentsPage *self = FEST_INCIDENTS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_hash_table_unref (self->by_id);
  g_hash_table_unref (self->member_names);
  g_ptr_array_unref (self->security_ids);
  g_array_unref (self->places);
  g_free (self->festival_id);
  G_OBJECT_CLASS (fest_incidents_page_parent_class)->finalize (object);
}

static void
fest_incidents_page_class_init (FestIncidentsPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_incidents_page_real_reload;
  page_class->stream_changed = fest_incidents_page_stream_changed;
  page_class->festival_changed = fest_incidents_page_festival_changed;
  object_class->get_property = fest_incidents_page_get_property;
  object_class->dispose = fest_incidents_page_dispose;
  object_class->finalize = fest_incidents_page_finalize;

  properties[PROP_ATTENTION_COUNT] =
    g_param_spec_uint ("attention-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECONNECTING] =
    g_param_spec_boolean ("reconnecting", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (FEST_TYPE_INCIDENT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/incidents/fest-incidents-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, type_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, count_label);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, notice_revealer);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, notice_label);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, map_box);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, incidents_view);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, details_title);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, details_description);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, assignee_dropdown);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, assign_box);
  gtk_widget_class_bind_template_child (widget_class, FestIncidentsPage, flag_button);

  _fest_incidents_page_install_actions (widget_class);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
page_state_cb (FestIncidentsPage *self)
{
  FestPageState state = fest_page_get_state (FEST_PAGE (self));

  /* Empty still shows the map (a report can be placed on it) with the list's placeholder. */
  gtk_spinner_set_spinning (self->spinner, state == FEST_PAGE_STATE_LOADING);
  gtk_stack_set_visible_child_name (self->stack, state == FEST_PAGE_STATE_EMPTY
                                                 ? "content" : fest_page_state_to_string (state));
  _fest_incidents_page_update_actions (self);
}

static void
fest_incidents_page_init (FestIncidentsPage *self)
{
  g_autoptr(GtkStringList) types = gtk_string_list_new (NULL);
  GtkSortListModel *sorted;

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The page maps its states onto its stack itself (see page_state_cb). */
  fest_page_set_state_widgets (FEST_PAGE (self), NULL, NULL, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->can_assign = TRUE;
  self->incidents = g_list_store_new (FEST_TYPE_INCIDENT);
  /* Keys copied: an update replaces the incident's JSON, where its id lives. */
  self->by_id = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->member_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->security_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (self->security_ids, NULL);
  self->security_names = gtk_string_list_new (NULL);
  self->places = g_array_new (FALSE, FALSE, sizeof (FestIncidentsPlace));
  g_array_set_clear_func (self->places, _fest_incidents_page_place_clear);

  self->map = fest_incident_map_new ();
  gtk_widget_set_hexpand (GTK_WIDGET (self->map), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->map), TRUE);
  gtk_box_append (self->map_box, GTK_WIDGET (self->map));
  fest_incident_map_set_client (self->map, NULL, NULL);
  g_signal_connect_object (self->map, "incident-activated", G_CALLBACK (incident_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->map, "create-requested", G_CALLBACK (create_requested_cb), self,
                           G_CONNECT_SWAPPED);

  _fest_incidents_page_add_column (self, _("Incident"), "type-label", TRUE);
  _fest_incidents_page_add_column (self, _("Reported"), "age", FALSE);
  _fest_incidents_page_add_column (self, _("Assignee"), "assignee", FALSE);
  _fest_incidents_page_add_column (self, _("Status"), "status-label", FALSE);

  self->filter = GTK_FILTER (gtk_custom_filter_new (filter_func, self, NULL));
  self->visible = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->incidents)),
                                             g_object_ref (self->filter));
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (self->visible), NULL);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (self->incidents_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected-item", G_CALLBACK (selection_changed_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_string_list_append (types, _("All types"));
  for (guint i = 0; fest_incident_types[i] != NULL; i++)
    gtk_string_list_append (types, fest_incident_type_label (fest_incident_types[i]));
  gtk_drop_down_set_model (self->type_dropdown, G_LIST_MODEL (types));
  gtk_drop_down_set_model (self->assignee_dropdown, G_LIST_MODEL (self->security_names));
  g_signal_connect_object (self->status_dropdown, "notify::selected", G_CALLBACK (status_filter_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->type_dropdown, "notify::selected", G_CALLBACK (type_filter_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self, "notify::state", G_CALLBACK (page_state_cb), self, G_CONNECT_SWAPPED);

  self->age_timer = g_timeout_add_seconds (AGE_REFRESH_S, age_timer_cb, self);
  fest_feedback_prepare ();
  fest_page_set_state (FEST_PAGE (self), FEST_PAGE_STATE_LOADING);
  page_state_cb (self);
  update_counts (self);
  update_details (self);
}

GtkWidget *
fest_incidents_page_new (FestClient *client)
{
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);
  return g_object_new (FEST_TYPE_INCIDENTS_PAGE, "client", client, NULL);
}

guint
fest_incidents_page_get_attention_count (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), 0);
  return self->attention_count;
}

gboolean
fest_incidents_page_get_reconnecting (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), FALSE);
  return gtk_widget_get_visible (GTK_WIDGET (self->notice_revealer));
}

GListModel *
fest_incidents_page_get_incidents (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->incidents);
}

GListModel *
fest_incidents_page_get_visible (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  return G_LIST_MODEL (self->selection);
}

FestIncidentMap *
fest_incidents_page_get_map (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  return self->map;
}

const char * const *
fest_incidents_page_get_security_ids (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  return (const char * const *) self->security_ids->pdata;
}

gboolean
fest_incidents_page_select (FestIncidentsPage *self,
                            const char        *incident_id)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), FALSE);
  if (!fest_page_select_id (self->selection, incident_id))
    return FALSE;
  scroll_to_selected (self);
  return TRUE;
}

const char *
fest_incidents_page_get_selected_id (FestIncidentsPage *self)
{
  FestIncident *incident;

  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  incident = _fest_incidents_page_selected (self);
  return incident != NULL ? fest_incident_get_id (incident) : NULL;
}

void
fest_incidents_page_set_status_filter (FestIncidentsPage *self,
                                       const char        *status)
{
  g_return_if_fail (FEST_IS_INCIDENTS_PAGE (self));
  for (guint i = 0; i < G_N_ELEMENTS (status_filters); i++)
    if (g_strcmp0 (status_filters[i], status) == 0)
      gtk_drop_down_set_selected (self->status_dropdown, i);
}

void
fest_incidents_page_set_type_filter (FestIncidentsPage *self,
                                     const char        *type)
{
  g_return_if_fail (FEST_IS_INCIDENTS_PAGE (self));
  if (type == NULL)
    gtk_drop_down_set_selected (self->type_dropdown, 0);
  for (guint i = 0; type != NULL && fest_incident_types[i] != NULL; i++)
    if (g_str_equal (fest_incident_types[i], type))
      gtk_drop_down_set_selected (self->type_dropdown, i + 1);
}

GtkWidget *
fest_incidents_page_get_dialog (FestIncidentsPage *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENTS_PAGE (self), NULL);
  return self->dialog;
}

static void
dialog_hidden_cb (GtkWidget         *dialog,
                  FestIncidentsPage *self)
{
  if (self->dialog == dialog)
    _fest_incidents_page_set_dialog (self, NULL);
}

void
_fest_incidents_page_set_dialog (FestIncidentsPage *self,
                                 GtkWidget         *dialog)
{
  if (self->dialog != NULL)
    {
      g_signal_handlers_disconnect_by_func (self->dialog, dialog_hidden_cb, self);
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
    }
  self->dialog = dialog;
  if (dialog != NULL)
    {
      g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
      /* Answered or closed: the page has no dialog open any more. */
      g_signal_connect (dialog, "hide", G_CALLBACK (dialog_hidden_cb), self);
    }
}
