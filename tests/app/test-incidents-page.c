/* test-incidents-page.c: the back office's Incidents page against a real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb (see meson.build). Each test starts its own server (fest-app-test.h) with a
 * festival, a SECURITY member, a stand with a position and a few incidents, all made through the
 * API; the page is shown in a real window with a toast overlay, live through a real event stream,
 * and driven through its actions and dialogs. What the server holds afterwards is read back
 * through the API. Screenshots incidents-{data,empty,error}-{en,fr}.png.
 */

#include "config.h"

#include <adwaita.h>
#include <cairo.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <math.h>
#include <sqlite3.h>

#include "fest-app-test.h"
#include "fest-client.h"
#include "fest-event-stream.h"
#include "fest-incident-kinds.h"
#include "fest-incident-layer.h"
#include "fest-incident.h"
#include "fest-incidents-page-private.h"
#include "fest-page-util.h"

#define TIMEOUT_MS 15000
#define STAND_LAT  48.8502
#define STAND_LNG  2.3503

typedef struct
{
  FestAppTestServer *server;
  FestClient        *client;
  FestEventStream   *stream;
  GtkWindow         *window;
  AdwToastOverlay   *overlay;
  FestIncidentsPage *page;
  char              *security_id;
} Fixture;

static const struct
{
  const char *type;
  double      lat, lng;
  const char *description;
} seeded[] = {
  { "FIGHT", 48.8504, 2.3501, "Two people at the bar" },
  { "MEDICAL", 48.8497, 2.3510, "Dehydration" },
  { "THEFT", 48.8510, 2.3490, "Phone stolen" },
  { "LOST_PERSON", 48.8500, 2.3500, "Child, red cap" },
  { "FIRE", 48.8493, 2.3515, "Smoke behind the stage" },
};

static char *
post_incident (FestAppTestServer *server,
               const char        *type,
               double             lat,
               double             lng,
               const char        *description)
{
  g_autoptr(JsonNode) reply = NULL;
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_dtostr (lat_text, sizeof lat_text, lat);
  g_ascii_dtostr (lng_text, sizeof lng_text, lng);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/incidents", server->token, &reply,
                                           "{\"type\":\"%s\",\"location\":{\"lat\":%s,\"lng\":%s},"
                                           "\"description\":\"%s\"}", type, lat_text, lng_text, description),
                    ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

static JsonObject *
server_incident (Fixture    *fixture,
                 const char *id)
{
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "GET", path, fixture->server->token, &reply, NULL),
                    ==, 200);
  return json_object_ref (json_object_get_object_member (json_node_get_object (reply), "data"));
}

static JsonArray *
server_incidents (Fixture    *fixture,
                  const char *query)
{
  g_autofree char *path = g_strdup_printf ("/incidents?per_page=500%s", query != NULL ? query : "");
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "GET", path, fixture->server->token, &reply, NULL),
                    ==, 200);
  return json_array_ref (json_object_get_array_member (json_node_get_object (reply), "data"));
}

static void
fixture_seed (Fixture *fixture)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/members", fixture->server->token, &reply,
                                           "{\"email\":\"guard@incidents.test\",\"name\":\"Gaëlle Garde\","
                                           "\"password\":\"a long enough password\",\"roles\":[\"SECURITY\"]}"),
                    ==, 201);
  fixture->security_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_assert_nonnull (fixture->security_id);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/stands", fixture->server->token, &reply,
                                           "{\"name\":\"Grand Bar\",\"type\":\"BAR\",\"location\":"
                                           "{\"lat\":48.8502,\"lng\":2.3503,\"zone\":\"Nord\"}}"), ==, 201);
  for (guint i = 0; i < G_N_ELEMENTS (seeded); i++)
    {
      g_autofree char *id = post_incident (fixture->server, seeded[i].type, seeded[i].lat, seeded[i].lng,
                                           seeded[i].description);

      g_assert_nonnull (id);
      /* created_at has a millisecond resolution: keep the order unambiguous. */
      g_usleep (5000);
    }
}

static gboolean
page_settled (gpointer data)
{
  const char *state = fest_page_get_state_name (FEST_PAGE (data));

  return g_strcmp0 (state, "loading") != 0;
}

static void
fixture_show (Fixture    *fixture,
              FestClient *client)
{
  g_autoptr(JsonNode) festival = NULL;

  fixture->client = g_object_ref (client);
  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1100, 700);
  fixture->overlay = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  fixture->page = FEST_INCIDENTS_PAGE (fest_incidents_page_new (client));
  adw_toast_overlay_set_child (fixture->overlay, GTK_WIDGET (fixture->page));
  gtk_window_set_child (fixture->window, GTK_WIDGET (fixture->overlay));
  gtk_window_present (fixture->window);

  if (fixture->server->festival_id != NULL)
    {
      g_autofree char *path = g_strdup_printf ("/festivals/%s", fixture->server->festival_id);

      g_assert_cmpuint (fest_app_test_request (fixture->server, "GET", path, fixture->server->token, &festival,
                                               NULL), ==, 200);
      fest_page_set_festival (FEST_PAGE (fixture->page),
                              json_object_get_object_member (json_node_get_object (festival), "data"));
    }
  fixture->stream = fest_event_stream_new (client);
  fest_page_set_event_stream (FEST_PAGE (fixture->page), fixture->stream);
  fest_event_stream_start (fixture->stream);
  fest_page_reload (FEST_PAGE (fixture->page));
  g_assert_true (fest_app_test_wait (page_settled, fixture->page, TIMEOUT_MS));
}

static gboolean
stream_connected (gpointer data)
{
  return fest_event_stream_is_connected (data);
}

static gboolean
team_and_places_loaded (gpointer data)
{
  return fest_incidents_page_get_security_ids (data)[0] != NULL &&
         fest_incident_map_get_n_places (fest_incidents_page_get_map (data)) == 1;
}

static void write_site_plan (FestAppTestServer *server);

static Fixture *
fixture_new_full (gboolean seed,
                  gboolean site_plan)
{
  Fixture *fixture = g_new0 (Fixture, 1);
  g_autoptr(FestClient) client = NULL;

  fixture->server = fest_app_test_server_new (TRUE);
  if (site_plan)
    write_site_plan (fixture->server);
  if (seed)
    fixture_seed (fixture);
  client = fest_client_new (fixture->server->url);
  fest_client_set_token (client, fixture->server->token);
  fixture_show (fixture, client);
  g_assert_true (fest_app_test_wait (stream_connected, fixture->stream, TIMEOUT_MS));
  /* The team and the places come with their own requests. */
  if (seed)
    g_assert_true (fest_app_test_wait (team_and_places_loaded, fixture->page, TIMEOUT_MS));
  return fixture;
}

static Fixture *
fixture_new (gboolean seed)
{
  return fixture_new_full (seed, FALSE);
}

static Fixture *
fixture_new_with_plan (gboolean seed)
{
  return fixture_new_full (seed, TRUE);
}

static void
fixture_free (Fixture *fixture)
{
  fest_event_stream_stop (fixture->stream);
  gtk_window_destroy (fixture->window);
  g_clear_object (&fixture->stream);
  g_clear_object (&fixture->client);
  g_free (fixture->security_id);
  fest_app_test_server_free (fixture->server);
  g_free (fixture);
}

static FestIncident *
page_incident (Fixture    *fixture,
               const char *id)
{
  GListModel *model = fest_incidents_page_get_incidents (fixture->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (model, i);

      if (g_strcmp0 (fest_incident_get_id (incident), id) == 0)
        return incident;
    }
  return NULL;
}

/* A label anywhere under @widget whose text contains @text. */
static gboolean
find_label (GtkWidget  *widget,
            const char *text)
{
  if (GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL &&
      gtk_widget_get_mapped (widget))
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (find_label (child, text))
      return TRUE;
  return FALSE;
}

static GtkWidget *
find_widget (GtkWidget *widget,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void spin (guint ms);

/* <builddir>/tests/app/screenshots/incidents-@what-{en,fr}.png */
static void
screenshot (GtkWidget  *widget,
            const char *what)
{
  const char *lang = g_getenv ("FEST_RENDER_LANG");
  g_autofree char *name = g_strdup_printf ("incidents-%s-%s.png", what, lang != NULL ? lang : "en");

  spin (300);
  fest_app_test_render_png (widget, name);
}

/* What a response button does: the response, then the dialog closes. */
static void
answer (AdwMessageDialog *dialog,
        const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (2000);
}

/* Markers and rows are the server's incidents */

static gboolean
one_place (gpointer data)
{
  return fest_incident_map_get_n_places (data) == 1;
}

static void
test_markers_and_rows (void)
{
  Fixture *fixture = fixture_new (TRUE);
  g_autoptr(JsonArray) incidents = server_incidents (fixture, NULL);
  FestIncidentMap *map = fest_incidents_page_get_map (fixture->page);
  GListModel *rows = fest_incidents_page_get_visible (fixture->page);
  guint n = json_array_get_length (incidents);
  const char *first_id;
  double x, y, lat, lng;

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (seeded));
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (fixture->page)), ==, "content");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, n);
  g_assert_cmpuint (fest_incident_map_get_n_incidents (map), ==, n);
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, n);
  g_assert_cmpuint (fest_incidents_page_get_attention_count (fixture->page), ==, n);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *expected = json_array_get_object_element (incidents, i);
      JsonObject *location = json_object_get_object_member (expected, "location");
      g_autoptr(FestIncident) row = g_list_model_get_item (rows, i);
      const char *type, *status;
      gboolean shown;

      /* Newest first, as the server lists them. */
      g_assert_cmpstr (fest_incident_get_id (row), ==, fest_page_json_string (expected, "id"));
      g_assert_true (fest_incident_map_lookup (map, fest_incident_get_id (row), &type, &status, &lat, &lng, &shown));
      g_assert_cmpstr (type, ==, fest_page_json_string (expected, "type"));
      g_assert_cmpstr (status, ==, "OPEN");
      g_assert_cmpfloat_with_epsilon (lat, json_object_get_double_member (location, "lat"), 1e-9);
      g_assert_cmpfloat_with_epsilon (lng, json_object_get_double_member (location, "lng"), 1e-9);
      g_assert_true (shown);
    }
  /* The last seeded is the newest. */
  g_autoptr(FestIncident) newest = g_list_model_get_item (rows, 0);
  g_assert_cmpstr (fest_incident_get_type_name (newest), ==, "FIRE");
  /* The stand is on the places layer, and an incident next to it is "near" it. */
  g_assert_true (fest_app_test_wait (one_place, map, TIMEOUT_MS));
  {
    g_autoptr(FestIncident) oldest = g_list_model_get_item (rows, n - 1);

    g_autofree char *near = g_strdup_printf (_("near %s"), "Grand Bar");

    g_assert_cmpstr (fest_incident_get_place (oldest), ==, near);
  }

  /* A row selected: the marker is ringed and the map centred on it. */
  first_id = fest_incident_get_id (newest);
  g_assert_true (fest_incidents_page_select (fixture->page, first_id));
  g_assert_cmpstr (fest_incident_map_get_selected (map), ==, first_id);
  {
    double clat, clng;

    fest_incident_map_get_center (map, &clat, &clng);
    g_assert_cmpfloat_with_epsilon (clat, 48.8493, 1e-6);
    g_assert_cmpfloat_with_epsilon (clng, 2.3515, 1e-6);
  }

  /* A marker clicked: its row is selected. */
  {
    g_autoptr(FestIncident) other = g_list_model_get_item (rows, 2);
    const char *other_id = fest_incident_get_id (other);

    spin (100);
    g_assert_true (fest_incident_map_get_marker_point (map, other_id, &x, &y));
    g_assert_cmpstr (fest_incident_map_click_at (map, x, y), ==, other_id);
    g_assert_cmpstr (fest_incidents_page_get_selected_id (fixture->page), ==, other_id);
    g_assert_cmpstr (fest_incident_map_get_selected (map), ==, other_id);
    /* Nothing there: nothing selected anew. */
    g_assert_null (fest_incident_map_click_at (map, 2, 2));
    g_assert_cmpstr (fest_incidents_page_get_selected_id (fixture->page), ==, other_id);
  }

  /* The layer draws every marker: they are all on screen. */
  gtk_widget_queue_draw (fest_incident_map_get_incident_layer (map));
  spin (200);
  g_assert_cmpuint (fest_incident_layer_get_n_drawn (FEST_INCIDENT_LAYER (fest_incident_map_get_incident_layer (map))),
                    ==, n);

  screenshot (GTK_WIDGET (fixture->window), "data");
  fixture_free (fixture);
}

/* Filters */

static gboolean
one_less_open (gpointer data)
{
  return fest_incidents_page_get_attention_count (data) == G_N_ELEMENTS (seeded) - 1;
}

static void
test_filters (void)
{
  Fixture *fixture = fixture_new (TRUE);
  FestIncidentMap *map = fest_incidents_page_get_map (fixture->page);
  GListModel *rows = fest_incidents_page_get_visible (fixture->page);
  g_autoptr(JsonArray) all = server_incidents (fixture, NULL);
  g_autoptr(JsonArray) fights = NULL;
  const char *assigned_id = fest_page_json_string (json_array_get_object_element (all, 1), "id");
  g_autofree char *path = g_strdup_printf ("/incidents/%s", assigned_id);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonArray) assigned = NULL;

  /* One ASSIGNED through the API (the page follows the event). */
  g_assert_cmpuint (fest_app_test_request (fixture->server, "PATCH", path, fixture->server->token, &reply,
                                           "{\"assigned_to\":\"%s\"}", fixture->security_id), ==, 200);
  g_assert_true (fest_app_test_wait (one_less_open, fixture->page, TIMEOUT_MS));

  assigned = server_incidents (fixture, "&status=ASSIGNED");
  fest_incidents_page_set_status_filter (fixture->page, "ASSIGNED");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, json_array_get_length (assigned));
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 1);
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, 1);
  {
    g_autoptr(FestIncident) row = g_list_model_get_item (rows, 0);

    g_assert_cmpstr (fest_incident_get_id (row), ==, assigned_id);
    g_assert_cmpstr (fest_incident_get_assignee (row), ==, "Gaëlle Garde");
  }

  fest_incidents_page_set_status_filter (fixture->page, "OPEN");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, G_N_ELEMENTS (seeded) - 1);
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, G_N_ELEMENTS (seeded) - 1);

  fest_incidents_page_set_status_filter (fixture->page, NULL);
  fest_incidents_page_set_type_filter (fixture->page, "FIGHT");
  fights = server_incidents (fixture, "&type=FIGHT");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, json_array_get_length (fights));
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, 1);
  /* Both at once: nothing is an assigned fight; the list says so, the map is empty. */
  fest_incidents_page_set_status_filter (fixture->page, "ASSIGNED");
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 0);
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, 0);
  g_assert_cmpuint (fest_incident_map_get_n_incidents (map), ==, G_N_ELEMENTS (seeded));
  spin (100);
  g_assert_true (find_label (GTK_WIDGET (fixture->page), _("No Incidents")));

  fest_incidents_page_set_type_filter (fixture->page, NULL);
  fest_incidents_page_set_status_filter (fixture->page, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, G_N_ELEMENTS (seeded));
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, G_N_ELEMENTS (seeded));
  fixture_free (fixture);
}

/* Assign, resolve, flag from the page */

typedef struct
{
  Fixture    *fixture;
  const char *id;
  const char *status;
} StatusWait;

static gboolean
row_has_status (gpointer data)
{
  StatusWait *wait = data;
  FestIncident *incident = page_incident (wait->fixture, wait->id);

  return incident != NULL && g_strcmp0 (fest_incident_get_status (incident), wait->status) == 0;
}

static gboolean
flagged (gpointer data)
{
  StatusWait *wait = data;

  return fest_incident_get_is_abuse (page_incident (wait->fixture, wait->id));
}

static gboolean
refused_toast (gpointer data)
{
  return find_label (GTK_WIDGET (((Fixture *) data)->overlay), "SECURITY");
}

static gboolean
has_dialog (gpointer data)
{
  return fest_incidents_page_get_dialog (data) != NULL;
}

static void
test_assign_resolve_flag (void)
{
  Fixture *fixture = fixture_new (TRUE);
  FestIncidentMap *map = fest_incidents_page_get_map (fixture->page);
  g_autoptr(JsonArray) all = server_incidents (fixture, NULL);
  g_autofree char *id = g_strdup (fest_page_json_string (json_array_get_object_element (all, 0), "id"));
  g_autoptr(JsonObject) on_server = NULL;
  StatusWait wait = { fixture, id, "ASSIGNED" };
  const char * const *security = fest_incidents_page_get_security_ids (fixture->page);
  const char *status;
  GtkWidget *dialog, *notes;

  /* The drop-down holds the SECURITY member. */
  g_assert_nonnull (security[0]);
  g_assert_cmpstr (security[0], ==, fixture->security_id);
  g_assert_null (security[1]);

  /* Assign: the row and the marker follow the server's answer. */
  g_assert_true (fest_incidents_page_select (fixture->page, id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.assign-selected", NULL));
  g_assert_true (fest_app_test_wait (row_has_status, &wait, TIMEOUT_MS));
  on_server = server_incident (fixture, id);
  g_assert_cmpstr (fest_page_json_string (on_server, "status"), ==, "ASSIGNED");
  g_assert_cmpstr (fest_page_json_string (on_server, "assigned_to"), ==, fixture->security_id);
  g_assert_true (fest_incident_map_lookup (map, id, NULL, &status, NULL, NULL, NULL));
  g_assert_cmpstr (status, ==, "ASSIGNED");
  g_assert_cmpstr (fest_incident_get_assignee (page_incident (fixture, id)), ==, "Gaëlle Garde");
  g_assert_cmpuint (fest_incidents_page_get_attention_count (fixture->page), ==, G_N_ELEMENTS (seeded) - 1);

  /* Resolve through its dialog: notes typed, then Resolve. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.resolve-selected", NULL));
  g_assert_true (fest_app_test_wait (has_dialog, fixture->page, TIMEOUT_MS));
  dialog = fest_incidents_page_get_dialog (fixture->page);
  g_assert_false (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "resolve"));
  notes = find_widget (dialog, GTK_TYPE_TEXT_VIEW);
  g_assert_nonnull (notes);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "Separated, both left", -1);
  g_assert_true (adw_message_dialog_get_response_enabled (ADW_MESSAGE_DIALOG (dialog), "resolve"));
  answer (ADW_MESSAGE_DIALOG (dialog), "resolve");
  wait.status = "RESOLVED";
  g_assert_true (fest_app_test_wait (row_has_status, &wait, TIMEOUT_MS));
  g_clear_pointer (&on_server, json_object_unref);
  on_server = server_incident (fixture, id);
  g_assert_cmpstr (fest_page_json_string (on_server, "status"), ==, "RESOLVED");
  g_assert_cmpstr (fest_page_json_string (on_server, "resolution_notes"), ==, "Separated, both left");
  g_assert_true (fest_incident_map_lookup (map, id, NULL, &status, NULL, NULL, NULL));
  g_assert_cmpstr (status, ==, "RESOLVED");
  /* A resolved incident cannot be resolved again from the page. */
  spin (100);
  g_assert_null (fest_incidents_page_get_dialog (fixture->page));
  gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.resolve-selected", NULL);
  spin (100);
  g_assert_null (fest_incidents_page_get_dialog (fixture->page));

  /* Flag as abuse: a confirmation first. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.flag-abuse-selected", NULL));
  g_assert_true (fest_app_test_wait (has_dialog, fixture->page, TIMEOUT_MS));
  answer (ADW_MESSAGE_DIALOG (fest_incidents_page_get_dialog (fixture->page)), "confirm");
  g_assert_true (fest_app_test_wait (flagged, &wait, TIMEOUT_MS));
  g_clear_pointer (&on_server, json_object_unref);
  on_server = server_incident (fixture, id);
  g_assert_true (json_object_get_boolean_member (on_server, "is_abuse"));

  /* The "(ss)" action with an account that is no SECURITY member: the server refuses, a toast
   * says why, the row does not change. */
  {
    g_autofree char *other = g_strdup (fest_page_json_string (json_array_get_object_element (all, 1), "id"));

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.assign", "(ss)", other,
                                               "00000000-0000-4000-8000-000000000000"));
    g_assert_true (fest_app_test_wait (refused_toast, fixture, TIMEOUT_MS));
    g_assert_cmpstr (fest_incident_get_status (page_incident (fixture, other)), ==, "OPEN");
  }
  fixture_free (fixture);
}

/* Live: an incident reported elsewhere appears with a toast */

typedef struct
{
  Fixture *fixture;
  char    *id;
} LiveWait;

static gboolean
live_arrived (gpointer data)
{
  LiveWait *wait = data;

  return page_incident (wait->fixture, wait->id) != NULL &&
         fest_incident_map_lookup (fest_incidents_page_get_map (wait->fixture->page), wait->id, NULL, NULL, NULL,
                                   NULL, NULL);
}

static gboolean
toast_shown (gpointer data)
{
  /* The toast's words before the incident's description. */
  g_autofree char *prefix = g_strdup (_("New incident: %s"));

  *strstr (prefix, "%s") = '\0';
  return find_label (GTK_WIDGET (((Fixture *) data)->overlay), prefix);
}

static void
test_live (void)
{
  Fixture *fixture = fixture_new (TRUE);
  LiveWait wait = { fixture, NULL };
  GtkWidget *badge;

  g_assert_false (toast_shown (fixture));
  wait.id = post_incident (fixture->server, "SOS", 48.8501, 2.3502, "Help button");
  g_assert_true (fest_app_test_wait (live_arrived, &wait, TIMEOUT_MS));
  g_assert_true (fest_app_test_wait (toast_shown, fixture, TIMEOUT_MS));
  g_assert_true (find_label (GTK_WIDGET (fixture->overlay), fest_incident_type_label ("SOS")));
  {
    g_autoptr(FestIncident) first = g_list_model_get_item (fest_incidents_page_get_visible (fixture->page), 0);

    g_assert_cmpstr (fest_incident_get_id (first), ==, wait.id);
  }
  g_assert_cmpuint (fest_incidents_page_get_attention_count (fixture->page), ==, G_N_ELEMENTS (seeded) + 1);
  /* The sidebar's badge (fest-window.c builds it the same way) follows the open count. */
  g_assert_true (fest_page_type_has_attention (FEST_TYPE_INCIDENTS_PAGE));
  badge = g_object_ref_sink (fest_page_attention_badge_new (FEST_PAGE (fixture->page)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "6");
  g_assert_true (gtk_widget_get_visible (badge));

  /* Resolved elsewhere: both views follow. */
  {
    g_autofree char *path = g_strdup_printf ("/incidents/%s", wait.id);
    g_autoptr(JsonNode) reply = NULL;
    StatusWait status_wait = { fixture, wait.id, "RESOLVED" };
    const char *status;

    g_assert_cmpuint (fest_app_test_request (fixture->server, "PATCH", path, fixture->server->token, &reply,
                                             "{\"status\":\"RESOLVED\",\"resolution_notes\":\"False alarm\"}"),
                      ==, 200);
    g_assert_true (fest_app_test_wait (row_has_status, &status_wait, TIMEOUT_MS));
    g_assert_true (fest_incident_map_lookup (fest_incidents_page_get_map (fixture->page), wait.id, NULL, &status,
                                             NULL, NULL, NULL));
    g_assert_cmpstr (status, ==, "RESOLVED");
    g_assert_cmpuint (fest_incidents_page_get_attention_count (fixture->page), ==, G_N_ELEMENTS (seeded));
    g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (badge)), ==, "5");
  }
  g_object_unref (badge);
  g_free (wait.id);
  fixture_free (fixture);
}

/* A plain SECURITY member: only what is theirs, resolved from the page; no assigning */

static void
test_security_member (void)
{
  Fixture *fixture = fixture_new (TRUE);
  g_autoptr(JsonArray) all = server_incidents (fixture, NULL);
  g_autofree char *id = g_strdup (fest_page_json_string (json_array_get_object_element (all, 2), "id"));
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);
  g_autofree char *festival_path = g_strdup_printf ("/festivals/%s", fixture->server->festival_id);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) festival = NULL;
  g_autoptr(FestClient) guard = NULL;
  g_autoptr(JsonObject) on_server = NULL;
  Fixture *mine;
  StatusWait wait = { NULL, id, "RESOLVED" };

  /* One incident given to the guard. */
  g_assert_cmpuint (fest_app_test_request (fixture->server, "PATCH", path, fixture->server->token, &reply,
                                           "{\"assigned_to\":\"%s\"}", fixture->security_id), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/auth/login", NULL, &reply,
                                           "{\"email\":\"guard@incidents.test\","
                                           "\"password\":\"a long enough password\",\"festival_id\":\"%s\"}",
                                           fixture->server->festival_id), ==, 200);
  guard = fest_client_new (fixture->server->url);
  fest_client_set_token (guard, fest_app_test_json_string (reply, "data.token"));

  /* The same server, seen by the guard. */
  mine = g_new0 (Fixture, 1);
  mine->server = fixture->server;
  fixture_show (mine, guard);
  g_assert_cmpuint (fest_app_test_request (fixture->server, "GET", festival_path,
                                           fest_client_get_token (guard), &festival, NULL), ==, 200);
  fest_page_set_festival (FEST_PAGE (mine->page),
                          json_object_get_object_member (json_node_get_object (festival), "data"));
  g_assert_cmpuint (g_list_model_get_n_items (fest_incidents_page_get_visible (mine->page)), ==, 1);
  g_assert_nonnull (page_incident (mine, id));
  g_assert_true (fest_incidents_page_select (mine->page, id));
  /* No assigning nor flagging for them: not offered. */
  g_assert_false (gtk_widget_get_visible (mine->page->assign_box));
  g_assert_false (gtk_widget_get_visible (mine->page->flag_button));
  gtk_widget_activate_action (GTK_WIDGET (mine->page), "incidents.flag-abuse-selected", NULL);
  spin (100);
  g_assert_null (fest_incidents_page_get_dialog (mine->page));
  /* Resolving theirs: yes. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (mine->page), "incidents.resolve-selected", NULL));
  g_assert_true (fest_app_test_wait (has_dialog, mine->page, TIMEOUT_MS));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                              find_widget (fest_incidents_page_get_dialog (mine->page), GTK_TYPE_TEXT_VIEW))),
                            "Found the phone", -1);
  answer (ADW_MESSAGE_DIALOG (fest_incidents_page_get_dialog (mine->page)), "resolve");
  wait.fixture = mine;
  g_assert_true (fest_app_test_wait (row_has_status, &wait, TIMEOUT_MS));
  on_server = server_incident (fixture, id);
  g_assert_cmpstr (fest_page_json_string (on_server, "status"), ==, "RESOLVED");
  g_assert_cmpstr (fest_page_json_string (on_server, "resolution_notes"), ==, "Found the phone");

  gtk_window_destroy (mine->window);
  fest_event_stream_stop (mine->stream);
  g_clear_object (&mine->stream);
  g_clear_object (&mine->client);
  g_free (mine);
  fixture_free (fixture);
}

/* Two offline gates admitted the same ticket: a DUPLICATE_ENTRY incident arrives live, at the
 * second gate, with the holder and both scans in its details */

static char *
scanner_token (Fixture    *fixture,
               const char *name)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/devices", fixture->server->token, &reply,
                                           "{\"name\":\"%s\",\"mode\":\"scanner\"}", name), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.token"));
}

static void
sync_scan (Fixture    *fixture,
           const char *token,
           const char *key,
           const char *ticket_id,
           const char *gate,
           const char *scanned_at)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/sync", token, &reply,
                                           "{\"device_id\":\"ignored\",\"operations\":[{\"op\":\"ticket.scan\","
                                           "\"idempotency_key\":\"%s\",\"payload\":{\"ticket_id\":\"%s\","
                                           "\"gate\":\"%s\",\"direction\":\"IN\",\"scanned_at\":\"%s\"}}]}",
                                           key, ticket_id, gate, scanned_at), ==, 200);
}

typedef struct
{
  Fixture *fixture;
  char    *id;
} DuplicateWait;

static gboolean
duplicate_arrived (gpointer data)
{
  DuplicateWait *wait = data;
  GListModel *model = fest_incidents_page_get_incidents (wait->fixture->page);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(FestIncident) incident = g_list_model_get_item (model, i);

      if (g_strcmp0 (fest_incident_get_type_name (incident), "DUPLICATE_ENTRY") == 0)
        {
          g_free (wait->id);
          wait->id = g_strdup (fest_incident_get_id (incident));
          return TRUE;
        }
    }
  return FALSE;
}

static gboolean
two_places (gpointer data)
{
  return fest_incident_map_get_n_places (data) == 2;
}

static void
test_duplicate_entry (void)
{
  Fixture *fixture = fixture_new (TRUE);
  FestIncidentMap *map = fest_incidents_page_get_map (fixture->page);
  g_autofree char *north = scanner_token (fixture, "Scanner Nord");
  g_autofree char *south = scanner_token (fixture, "Scanner Sud");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *ticket_id = NULL;
  DuplicateWait wait = { fixture, NULL };
  const char *type;
  double lat, lng;

  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/gates", fixture->server->token, &reply,
                                           "{\"name\":\"Porte Sud\",\"location\":{\"lat\":48.8490,"
                                           "\"lng\":2.3520,\"zone\":\"Sud\"}}"), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  /* The new gate joins the places layer (gate:updated). */
  g_assert_true (fest_app_test_wait (two_places, map, TIMEOUT_MS));
  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/ticket-types", fixture->server->token, &reply,
                                           "{\"name\":\"Day\",\"code\":\"DAY\","
                                           "\"valid_from\":\"2026-01-01T00:00:00Z\","
                                           "\"valid_until\":\"2099-01-01T00:00:00Z\"}"), ==, 201);
  type_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (fixture->server, "POST", "/tickets", fixture->server->token, &reply,
                                           "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Alice Martin\"}",
                                           type_id), ==, 201);
  ticket_id = g_strdup (fest_app_test_json_string (reply, "data.id"));

  sync_scan (fixture, north, "dup-n", ticket_id, "Porte Nord", "2026-07-11T18:00:00Z");
  sync_scan (fixture, south, "dup-s", ticket_id, "Porte Sud", "2026-07-11T18:04:30Z");
  g_assert_true (fest_app_test_wait (duplicate_arrived, &wait, TIMEOUT_MS));
  g_assert_true (fest_app_test_wait (toast_shown, fixture, TIMEOUT_MS));

  /* On the map at the second gate, with its own symbol. */
  g_assert_true (fest_incident_map_lookup (map, wait.id, &type, NULL, &lat, &lng, NULL));
  g_assert_cmpstr (type, ==, "DUPLICATE_ENTRY");
  g_assert_cmpfloat_with_epsilon (lat, 48.8490, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, 2.3520, 1e-9);
  /* Selected: the details name the holder and both gates. */
  g_assert_true (fest_incidents_page_select (fixture->page, wait.id));
  spin (100);
  g_assert_true (find_label (GTK_WIDGET (fixture->page), "Alice Martin"));
  g_assert_true (find_label (GTK_WIDGET (fixture->page), "Porte Nord"));
  g_assert_true (find_label (GTK_WIDGET (fixture->page), "Porte Sud"));
  /* And it filters like the others. */
  fest_incidents_page_set_type_filter (fixture->page, "DUPLICATE_ENTRY");
  g_assert_cmpuint (g_list_model_get_n_items (fest_incidents_page_get_visible (fixture->page)), ==, 1);
  g_assert_cmpuint (fest_incident_map_get_n_shown (map), ==, 1);
  g_free (wait.id);
  fixture_free (fixture);
}

/* A secondary click on the map reports an incident there */

static gboolean
n_incidents_is (gpointer data)
{
  gpointer *args = data;

  return g_list_model_get_n_items (fest_incidents_page_get_incidents (args[0])) == GPOINTER_TO_UINT (args[1]);
}

static void
test_create_at (void)
{
  Fixture *fixture = fixture_new (TRUE);
  FestIncidentMap *map = fest_incidents_page_get_map (fixture->page);
  gpointer args[2] = { fixture->page, GUINT_TO_POINTER (G_N_ELEMENTS (seeded) + 1) };
  g_autoptr(JsonArray) all = NULL;
  GtkWidget *dialog, *entry, *type;
  JsonObject *created = NULL;
  double lat, lng;
  int width, height;

  spin (100);
  width = gtk_widget_get_width (GTK_WIDGET (map));
  height = gtk_widget_get_height (GTK_WIDGET (map));
  g_assert_cmpint (width, >, 0);
  fest_incident_map_secondary_click_at (map, width / 3.0, height / 3.0);
  g_assert_true (fest_app_test_wait (has_dialog, fixture->page, TIMEOUT_MS));
  dialog = fest_incidents_page_get_dialog (fixture->page);
  type = find_widget (dialog, GTK_TYPE_DROP_DOWN);
  entry = find_widget (dialog, GTK_TYPE_ENTRY);
  g_assert_nonnull (type);
  g_assert_nonnull (entry);
  gtk_drop_down_set_selected (GTK_DROP_DOWN (type), 2);  /* MEDICAL */
  gtk_editable_set_text (GTK_EDITABLE (entry), "Fainted near the bar");
  answer (ADW_MESSAGE_DIALOG (dialog), "create");
  g_assert_true (fest_app_test_wait (n_incidents_is, args, TIMEOUT_MS));

  all = server_incidents (fixture, NULL);
  g_assert_cmpuint (json_array_get_length (all), ==, G_N_ELEMENTS (seeded) + 1);
  for (guint i = 0; i < json_array_get_length (all); i++)
    if (g_strcmp0 (fest_page_json_string (json_array_get_object_element (all, i), "description"),
                   "Fainted near the bar") == 0)
      created = json_array_get_object_element (all, i);
  g_assert_nonnull (created);
  g_assert_cmpstr (fest_page_json_string (created, "type"), ==, "MEDICAL");
  /* Where the click was. */
  {
    JsonObject *location = json_object_get_object_member (created, "location");
    double x, y;

    g_assert_true (fest_incident_map_lookup (map, fest_page_json_string (created, "id"), NULL, NULL, &lat, &lng,
                                             NULL));
    g_assert_cmpfloat_with_epsilon (lat, json_object_get_double_member (location, "lat"), 1e-9);
    g_assert_cmpfloat_with_epsilon (lng, json_object_get_double_member (location, "lng"), 1e-9);
    g_assert_true (fest_incident_map_get_marker_point (map, fest_page_json_string (created, "id"), &x, &y));
    g_assert_cmpfloat_with_epsilon (x, width / 3.0, 1.0);
    g_assert_cmpfloat_with_epsilon (y, height / 3.0, 1.0);
  }
  fixture_free (fixture);
}

/* Empty, error, server gone */

static void
test_empty (void)
{
  Fixture *fixture = fixture_new (FALSE);

  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (fixture->page)), ==, "empty");
  g_assert_cmpuint (fest_incident_map_get_n_incidents (fest_incidents_page_get_map (fixture->page)), ==, 0);
  spin (100);
  /* The map stays, for a report; the list says there is nothing. */
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (fest_incidents_page_get_map (fixture->page))));
  g_assert_true (find_label (GTK_WIDGET (fixture->page), _("No Incidents")));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->page), "incidents.new", NULL));
  g_assert_true (fest_app_test_wait (has_dialog, fixture->page, TIMEOUT_MS));
  gtk_window_destroy (GTK_WINDOW (fest_incidents_page_get_dialog (fixture->page)));
  screenshot (GTK_WIDGET (fixture->window), "empty");
  fixture_free (fixture);
}

/* A site plan of green tiles (zoom 15 to 19) around the seeded incidents. */
static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static void
write_site_plan (FestAppTestServer *server)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.site-plan.mbtiles", server->festival_id);
  g_autofree char *path = g_build_filename (server->data_dir, name, NULL);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  g_autoptr(GByteArray) png = g_byte_array_new ();
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  cairo_set_source_rgb (cr, 0.55, 0.8, 0.45);
  cairo_paint (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN; CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
                                 " tile_data BLOB);", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int z = 15; z <= 19; z++)
    {
      double n = (double) (1 << z), phi = STAND_LAT * G_PI / 180.0;
      int cx = (int) ((STAND_LNG + 180.0) / 360.0 * n);
      int cy = (int) ((1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0 * n);
      int radius = 1 << (z - 15);

      for (int x = cx - radius; x <= cx + radius; x++)
        for (int y = cy - radius; y <= cy + radius; y++)
          {
            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, x);
            sqlite3_bind_int (stmt, 3, (1 << z) - 1 - y);
            sqlite3_bind_blob (stmt, 4, png->data, (int) png->len, SQLITE_STATIC);
            g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
            sqlite3_reset (stmt);
          }
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static gboolean
tiles_loaded (gpointer data)
{
  FestTileSource *source = fest_incident_map_get_tile_source (data);

  return source != NULL && fest_tile_source_get_n_loaded (source) >= 4;
}

static gboolean
reconnecting (gpointer data)
{
  return fest_incidents_page_get_reconnecting (data);
}

static gboolean
not_reconnecting (gpointer data)
{
  return !fest_incidents_page_get_reconnecting (data);
}

static void
test_error_and_server_gone (void)
{
  Fixture *fixture = fixture_new_with_plan (TRUE);
  g_autoptr(FestClient) nowhere = fest_client_new ("http://127.0.0.1:9");
  GtkWidget *page;
  guint n = G_N_ELEMENTS (seeded);

  /* The map shows the site plan's tiles, kept on disk. */
  g_assert_true (fest_app_test_wait (tiles_loaded, fest_incidents_page_get_map (fixture->page), TIMEOUT_MS));
  g_assert_cmpuint (fest_tile_source_get_n_failed (fest_incident_map_get_tile_source (
                      fest_incidents_page_get_map (fixture->page))), ==, 0);

  /* The server goes away: the page keeps the list and the markers and says it reconnects. */
  g_assert_false (fest_incidents_page_get_reconnecting (fixture->page));
  fest_app_test_server_stop (fixture->server);
  g_assert_true (fest_app_test_wait (reconnecting, fixture->page, TIMEOUT_MS));
  fest_page_reload (FEST_PAGE (fixture->page));
  spin (1000);
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (fixture->page)), ==, "content");
  g_assert_cmpuint (g_list_model_get_n_items (fest_incidents_page_get_visible (fixture->page)), ==, n);
  g_assert_cmpuint (fest_incident_map_get_n_incidents (fest_incidents_page_get_map (fixture->page)), ==, n);
  g_assert_true (find_label (GTK_WIDGET (fixture->page),
                             _("Cannot reach the server — showing the incidents last loaded; reconnecting…")));

  /* A map opened now, the server still gone, draws the plan from the disk cache. */
  {
    FestIncidentMap *offline_map = fest_incident_map_new ();
    GtkWidget *offline_window = gtk_window_new ();

    gtk_window_set_default_size (GTK_WINDOW (offline_window), 600, 400);
    gtk_window_set_child (GTK_WINDOW (offline_window), GTK_WIDGET (offline_map));
    fest_incident_map_set_client (offline_map, fixture->client, fixture->server->festival_id);
    fest_incident_map_center_on (offline_map, STAND_LAT, STAND_LNG);
    gtk_window_present (GTK_WINDOW (offline_window));
    g_assert_true (fest_app_test_wait (tiles_loaded, offline_map, TIMEOUT_MS));
    gtk_window_destroy (GTK_WINDOW (offline_window));
  }

  /* Back: the notice goes once the stream is live again. */
  fest_app_test_server_restart (fixture->server);
  fest_event_stream_reconnect_now (fixture->stream);
  g_assert_true (fest_app_test_wait (not_reconnecting, fixture->page, TIMEOUT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (fest_incidents_page_get_visible (fixture->page)), ==, n);

  /* A page that never loaded shows the error state. */
  page = fest_incidents_page_new (nowhere);
  adw_toast_overlay_set_child (fixture->overlay, page);
  fest_page_reload (FEST_PAGE (page));
  g_assert_true (fest_app_test_wait (page_settled, page, TIMEOUT_MS));
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (page)), ==, "error");
  spin (100);
  g_assert_true (find_label (page, _("Cannot Load the Incidents")));
  screenshot (GTK_WIDGET (fixture->window), "error");
  fixture_free (fixture);
}

int
main (int   argc,
      char *argv[])
{
  const char *localedir;

  fest_app_test_init (&argc, &argv);
  /* The page's strings in the run's language (en or fr): the test looks for them translated. */
  localedir = g_getenv ("FESTIVALS_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  fest_app_test_load_style ();

  g_test_add_func ("/incidents-page/markers-and-rows", test_markers_and_rows);
  g_test_add_func ("/incidents-page/filters", test_filters);
  g_test_add_func ("/incidents-page/assign-resolve-flag", test_assign_resolve_flag);
  g_test_add_func ("/incidents-page/live", test_live);
  g_test_add_func ("/incidents-page/security-member", test_security_member);
  g_test_add_func ("/incidents-page/duplicate-entry", test_duplicate_entry);
  g_test_add_func ("/incidents-page/create-at", test_create_at);
  g_test_add_func ("/incidents-page/empty", test_empty);
  g_test_add_func ("/incidents-page/error-and-server-gone", test_error_and_server_gone);

  return g_test_run ();
}
