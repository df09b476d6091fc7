/* test-security-map.c: the security station's map picker against a real server, under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A security station enrolled on a stand of a festival that has a site plan: the map shows the
 * plan's tiles (fetched with the device token), the marker starts at the stand, the operator moves
 * it with a click and then from the keyboard, reports, and the incident reaches the server with
 * that position. Offline, the map stays blank and the position is still recorded. The stand's
 * location may come with a sync after the page is shown: the marker then goes there. A report
 * queued offline shows as sent in "Recent reports" once a sync has sent it. Screenshots:
 * <builddir>/tests/app/screenshots/security-map-<lang>.png.
 */

#include "config.h"

#include <math.h>
#include <cairo.h>
#include <sqlite3.h>
#include <glib/gi18n.h>

#include "fest-app-test.h"
#include "fest-core.h"
#include "fest-station-window-private.h"
#include "fest-security-page.h"
#include "fest-site-map.h"

#define STAND_LAT 45.7512
#define STAND_LNG 4.8491
/* The same stand after the organiser moved it. */
#define MOVED_LAT 45.7521
#define MOVED_LNG 4.8478

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
solid_png (double r,
           double g,
           double b)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, 256, 256);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();

  cairo_set_source_rgb (cr, r, g, b);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_set_line_width (cr, 2);
  cairo_rectangle (cr, 1, 1, 254, 254);
  cairo_stroke (cr);
  cairo_destroy (cr);
  g_assert_cmpint (cairo_surface_write_to_png_stream (surface, append_png, png), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (surface);
  return g_byte_array_free_to_bytes (png);
}

/* A site plan of green tiles (zoom 15 to 19) over a square of about 1 km around the stand. */
static void
write_site_plan (FestAppTestServer *server)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.site-plan.mbtiles", server->festival_id);
  g_autofree char *path = g_build_filename (server->data_dir, name, NULL);
  g_autoptr(GBytes) png = solid_png (0.55, 0.8, 0.45);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "BEGIN;"
                                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER,"
                                 " tile_data BLOB);"
                                 "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==, SQLITE_OK);
  for (int z = 15; z <= 19; z++)
    {
      double n = (double) (1 << z);
      double phi = STAND_LAT * G_PI / 180.0;
      int cx = (int) ((STAND_LNG + 180.0) / 360.0 * n);
      int cy = (int) ((1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0 * n);
      int radius = 1 << (z - 15);

      for (int x = cx - radius; x <= cx + radius; x++)
        for (int y = cy - radius; y <= cy + radius; y++)
          {
            sqlite3_bind_int (stmt, 1, z);
            sqlite3_bind_int (stmt, 2, x);
            sqlite3_bind_int (stmt, 3, (1 << z) - 1 - y);
            sqlite3_bind_blob (stmt, 4, g_bytes_get_data (png, NULL), (int) g_bytes_get_size (png), SQLITE_STATIC);
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
  FestTileSource *source = fest_site_map_get_tile_source (data);

  return source != NULL && fest_tile_source_get_n_loaded (source) >= 4;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static gboolean
has_stands (gpointer data)
{
  return fest_site_map_get_n_stands (data) >= 2;
}

static gboolean
tiles_failed (gpointer data)
{
  FestTileSource *source = fest_site_map_get_tile_source (data);

  return source != NULL && fest_tile_source_get_n_failed (source) > 0;
}

/* Is @keyval bound to @action_name (with @args, nullable) on @widget? */
static gboolean
has_key_binding (GtkWidget  *widget,
                 guint       keyval,
                 const char *action_name,
                 GVariant   *args)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);
  g_autoptr(GVariant) owned_args = args != NULL ? g_variant_ref_sink (args) : NULL;
  gboolean found = FALSE;

  for (guint i = 0; !found && i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;
      for (guint j = 0; !found && j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);
          GtkShortcutAction *action = gtk_shortcut_get_action (shortcut);
          GVariant *shortcut_args = gtk_shortcut_get_arguments (shortcut);

          found = GTK_IS_KEYVAL_TRIGGER (trigger) && gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
                  GTK_IS_NAMED_ACTION (action) &&
                  g_strcmp0 (gtk_named_action_get_action_name (GTK_NAMED_ACTION (action)), action_name) == 0 &&
                  (owned_args == NULL || (shortcut_args != NULL && g_variant_equal (shortcut_args, owned_args)));
        }
    }
  return found;
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, lang ());

  gtk_test_widget_wait_for_draw (window);
  fest_app_test_render_png (window, file);
}

/* The incident whose description is @description, from GET /incidents. */
static JsonObject *
find_incident (FestAppTestServer *server,
               JsonNode          *reply,
               const char        *description)
{
  JsonArray *incidents = json_object_get_array_member (json_node_get_object (reply), "data");

  for (guint i = 0; i < json_array_get_length (incidents); i++)
    {
      JsonObject *incident = json_array_get_object_element (incidents, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (incident, "description", ""), description) == 0)
        return incident;
    }
  return NULL;
}

/* A security station enrolled on @server as device @device_name at the stand "Bar du Lac" (at
 * STAND_LAT, STAND_LNG), shown and synced. */
static FestStationWindow *
enrolled_station_new (FestAppTestServer *server,
                      FestClient        *client,
                      const char        *device_name)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *token = NULL;
  FestStationWindow *window;

  /* The positions as JSON numbers whatever the locale's decimal separator. */
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Bar du Lac\",\"type\":\"BAR\","
                                           "\"location\":{\"lat\":%s,\"lng\":%s,\"zone\":\"Nord\"}}",
                                           G_STRINGIFY (STAND_LAT), G_STRINGIFY (STAND_LNG)), ==, 201);
  stand_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/devices", server->token, &reply,
                                           "{\"name\":\"%s\",\"stand_id\":\"%s\",\"mode\":\"security\"}",
                                           device_name, stand_id), ==, 201);
  token = g_strdup (fest_app_test_json_string (reply, "data.token"));

  window = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, "security", NULL));
  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (fest_station_window_get_view (window), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  fest_station_window_enroll (window, server->url, token, "2468");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  return window;
}

static void
test_pick_and_report (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  FestStationWindow *window;
  FestSecurityPage *page;
  FestSiteMap *map;
  JsonObject *incident, *location;
  double lat, lng, picked_lat, picked_lng, center_lat, center_lng, clicked_lat, clicked_lng;

  write_site_plan (server);
  /* Another stand first: the server lists it first, so the marker starting there (the fallback
   * for a station without a stand) cannot pass for starting at the station's own stand. */
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Food court\",\"type\":\"FOOD\","
                                           "\"location\":{\"lat\":45.7502,\"lng\":4.8519,\"zone\":\"Sud\"}}"), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  window = enrolled_station_new (server, client, "Security north");

  page = FEST_SECURITY_PAGE (fest_station_window_get_page (window));
  map = fest_security_page_get_map (page);
  g_assert_nonnull (map);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));

  /* From the stand: marker and view start there (the first sync brought its location, whether
   * or not the page's own GET /stands has answered yet). */
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, STAND_LAT, 1e-6);
  g_assert_cmpfloat_with_epsilon (lng, STAND_LNG, 1e-6);
  fest_site_map_get_center (map, &center_lat, &center_lng);
  g_assert_cmpfloat_with_epsilon (center_lat, STAND_LAT, 1e-5);
  g_assert_cmpfloat_with_epsilon (center_lng, STAND_LNG, 1e-5);

  /* The plan's tiles come from our server with the device token; the stands are marked. */
  g_assert_true (fest_app_test_wait (tiles_loaded, map, 20000));
  g_assert_cmpuint (fest_tile_source_get_n_failed (fest_site_map_get_tile_source (map)), ==, 0);
  g_assert_true (fest_app_test_wait (has_stands, map, 20000));

  /* A click 80 px left of and 60 px above the centre: the marker goes there, north-west. */
  fest_site_map_pick_at (map, gtk_widget_get_width (GTK_WIDGET (map)) / 2.0 - 80,
                         gtk_widget_get_height (GTK_WIDGET (map)) / 2.0 - 60);
  fest_site_map_get_position (map, &clicked_lat, &clicked_lng);
  g_assert_cmpfloat (clicked_lat, >, STAND_LAT + 1e-5);
  g_assert_cmpfloat (clicked_lng, <, STAND_LNG - 1e-5);

  /* The keys are bound to the map's actions... */
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_Right, "site-map.pan", g_variant_new ("(ii)", 1, 0)));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_Left, "site-map.pan", g_variant_new ("(ii)", -1, 0)));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_Down, "site-map.pan", g_variant_new ("(ii)", 0, 1)));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_Up, "site-map.pan", g_variant_new ("(ii)", 0, -1)));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_plus, "site-map.zoom-in", NULL));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_minus, "site-map.zoom-out", NULL));
  g_assert_true (has_key_binding (GTK_WIDGET (map), GDK_KEY_Return, "site-map.place-marker", NULL));
  g_assert_false (has_key_binding (GTK_WIDGET (map), GDK_KEY_Return, "site-map.zoom-in", NULL));
  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (map)));

  /* ...and the keyboard path runs them: the view moves right twice and down once, Enter puts the
   * marker at the new centre. */
  gtk_widget_grab_focus (GTK_WIDGET (map));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.pan", "(ii)", 1, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.pan", "(ii)", 1, 0));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.pan", "(ii)", 0, 1));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.place-marker", NULL));
  fest_site_map_get_center (map, &center_lat, &center_lng);
  fest_site_map_get_position (map, &picked_lat, &picked_lng);
  g_assert_cmpfloat_with_epsilon (picked_lat, center_lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (picked_lng, center_lng, 1e-9);
  g_assert_cmpfloat (picked_lat, <, STAND_LAT - 1e-5);   /* south of the stand */
  g_assert_cmpfloat (picked_lng, >, STAND_LNG + 1e-5);   /* east of it */
  /* Let the tiles around the new centre arrive (and fade in) before the screenshot. */
  fest_app_test_wait (never, NULL, 800);
  screenshot (GTK_WIDGET (window), "security-map");

  /* + and - zoom. */
  {
    double zoom = fest_site_map_get_zoom (map);

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.zoom-in", NULL));
    g_assert_cmpfloat (fest_site_map_get_zoom (map), >, zoom);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.zoom-out", NULL));
    g_assert_cmpfloat_with_epsilon (fest_site_map_get_zoom (map), zoom, 1e-9);
  }

  /* Reported through the outbox: the server has the picked position. */
  fest_security_page_report (page, "FIGHT", "Altercation east of the bar");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/incidents?per_page=500", server->token, &reply, NULL),
                    ==, 200);
  incident = find_incident (server, reply, "Altercation east of the bar");
  g_assert_nonnull (incident);
  g_assert_cmpstr (json_object_get_string_member (incident, "type"), ==, "FIGHT");
  location = json_object_get_object_member (incident, "location");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lat"), picked_lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lng"), picked_lng, 1e-9);
  g_clear_pointer (&reply, json_node_unref);

  /* The next report starts from the stand again; a moved marker comes back with the button. */
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, STAND_LAT, 1e-6);
  g_assert_cmpfloat_with_epsilon (lng, STAND_LNG, 1e-6);
  fest_site_map_pick_at (map, 10, 10);
  fest_security_page_use_stand_position (page);
  fest_security_page_report (page, "MEDICAL", "At the bar");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/incidents?per_page=500", server->token, &reply, NULL),
                    ==, 200);
  incident = find_incident (server, reply, "At the bar");
  g_assert_nonnull (incident);
  location = json_object_get_object_member (incident, "location");
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lat"), STAND_LAT, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lng"), STAND_LNG, 1e-9);

  /* The server goes away: a new map of the same festival shows the tiles seen so far, from the
   * disk cache. */
  fest_app_test_server_stop (server);
  {
    GtkWidget *other = gtk_window_new ();
    FestSiteMap *cached = fest_site_map_new ();

    fest_site_map_set_client (cached, fest_station_window_get_station_client (window), server->festival_id);
    gtk_window_set_child (GTK_WINDOW (other), GTK_WIDGET (cached));
    gtk_window_set_default_size (GTK_WINDOW (other), 500, 400);
    fest_site_map_center_on (cached, STAND_LAT, STAND_LNG);
    gtk_window_present (GTK_WINDOW (other));
    g_assert_true (fest_app_test_wait (tiles_loaded, cached, 20000));
    fest_app_test_destroy_and_check (GTK_WINDOW (other), cached);
  }

  fest_app_test_destroy_and_check (GTK_WINDOW (window), map);
}

/* A security station enrolled offline on @store (at @path), with @stand_id (nullable) and only the
 * festival's location known, in its window. */
static GtkWindow *
offline_station_new (const char         *path,
                     FestClient         *client,
                     const char         *device_id,
                     const char         *name,
                     const char         *stand_id,
                     FestStationStore  **store,
                     FestSecurityPage  **page)
{
  g_autoptr(GError) error = NULL;
  GtkWindow *window;

  *store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (*store, "http://127.0.0.1:9", device_id, name,
                             "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0001", stand_id, "security", &error);
  g_assert_no_error (error);
  fest_station_store_set_setting (*store, "festival_lat", "45.75", &error);
  fest_station_store_set_setting (*store, "festival_lng", "4.85", &error);
  g_assert_no_error (error);

  window = fest_station_window_new_with_store (NULL, client, "security", *store, "device-token");
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  *page = FEST_SECURITY_PAGE (fest_station_window_get_page (FEST_STATION_WINDOW (window)));
  return window;
}

static void
offline_station_destroy (GtkWindow        *window,
                         FestStationStore *store)
{
  gtk_window_destroy (window);
  fest_app_test_assert_finalized (store);
}

/* No server: blank map (the tiles fail), the marker still moves and the incident is queued with
 * the picked position. */
static void
test_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", "station-offline.db", NULL);
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) payload = NULL;
  FestStationStore *store;
  GtkWindow *window;
  FestSecurityPage *page;
  FestSiteMap *map;
  double lat, lng;

  window = offline_station_new (path, client, "dev-9", "Security south", NULL, &store, &page);
  map = fest_security_page_get_map (page);

  /* No stand: the festival's location. */
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, 45.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, 4.85, 1e-9);
  g_assert_true (fest_app_test_wait (tiles_failed, map, 20000));
  g_assert_cmpuint (fest_tile_source_get_n_loaded (fest_site_map_get_tile_source (map)), ==, 0);

  fest_site_map_pick_at (map, 40, 40);
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat (lat, >, 45.75);
  g_assert_cmpfloat (lng, <, 4.85);
  screenshot (GTK_WIDGET (window), "security-map-offline");
  fest_security_page_report (page, "LOST_PERSON", "Child in a yellow t-shirt");

  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 1);
  payload = fest_json_parse (((FestOutboxOp *) g_ptr_array_index (pending, 0))->payload, -1, &error);
  g_assert_no_error (error);
  {
    JsonObject *location = json_object_get_object_member (json_node_get_object (payload), "location");

    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lat"), lat, 1e-9);
    g_assert_cmpfloat_with_epsilon (json_object_get_double_member (location, "lng"), lng, 1e-9);
  }

  offline_station_destroy (window, store);
}

/* What a pull of GET /sync/changes stores for the station's stand, then the engine's "synced". */
static void
sync_stand (FestStationWindow *window,
            const char        *stand_id,
            const char        *lat,
            const char        *lng)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_strdup_printf ("{\"stands\":[{\"id\":\"%s\",\"name\":\"Bar du Lac\","
                                           "\"location\":{\"lat\":%s,\"lng\":%s}}]}",
                                           stand_id, lat, lng);
  g_autoptr(JsonNode) changes = fest_json_parse (text, -1, &error);
  guint n_alerts = 0;

  g_assert_no_error (error);
  g_assert_true (fest_station_store_apply_changes (fest_station_window_get_store (window),
                                                   json_node_get_object (changes), &n_alerts, &error));
  g_assert_no_error (error);
  g_signal_emit_by_name (fest_station_window_get_engine (window), "synced");
}

/* The page is shown before the first sync has brought the stand's location (only the festival's
 * is known): when it comes, the marker and the view go to the stand. Once the user moved the
 * marker, a later sync (the stand moved) leaves it where it is and the button goes to the new
 * stand position. */
static void
test_stand_from_sync (void)
{
  const char *stand_id = "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0102";
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", "station-late-stand.db", NULL);
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  FestStationStore *store;
  GtkWindow *window;
  FestSecurityPage *page;
  FestSiteMap *map;
  double lat, lng, picked_lat, picked_lng;

  window = offline_station_new (path, client, "dev-10", "Security north", stand_id, &store, &page);
  map = fest_security_page_get_map (page);

  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, 45.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, 4.85, 1e-9);

  sync_stand (FEST_STATION_WINDOW (window), stand_id, G_STRINGIFY (STAND_LAT), G_STRINGIFY (STAND_LNG));
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, STAND_LAT, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, STAND_LNG, 1e-9);
  fest_site_map_get_center (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, STAND_LAT, 1e-5);
  g_assert_cmpfloat_with_epsilon (lng, STAND_LNG, 1e-5);

  fest_site_map_pick_at (map, 40, 40);
  fest_site_map_get_position (map, &picked_lat, &picked_lng);
  g_assert_cmpfloat (picked_lat, >, STAND_LAT + 1e-5);
  sync_stand (FEST_STATION_WINDOW (window), stand_id, G_STRINGIFY (MOVED_LAT), G_STRINGIFY (MOVED_LNG));
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, picked_lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, picked_lng, 1e-9);
  fest_security_page_use_stand_position (page);
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, MOVED_LAT, 1e-9);
  g_assert_cmpfloat_with_epsilon (lng, MOVED_LNG, 1e-9);

  offline_station_destroy (window, store);
}

static gboolean
station_offline (gpointer window)
{
  FestSyncEngine *engine = fest_station_window_get_engine (window);

  return engine != NULL && !fest_sync_engine_get_online (engine) &&
         !fest_sync_engine_get_syncing (engine);
}

/* Is the list's placeholder ("No report yet") shown? */
static gboolean
placeholder_shown (GtkListBox *list)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (list)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (!GTK_IS_LIST_BOX_ROW (child) && gtk_widget_get_child_visible (child) &&
        gtk_widget_get_mapped (child))
      return TRUE;
  return FALSE;
}

static const char *
report_row_text (GtkListBoxRow *row)
{
  return gtk_label_get_text (GTK_LABEL (gtk_list_box_row_get_child (row)));
}

/* A report made while the server is away says it waits for the network; once the sync engine has
 * sent it, the same row (it keeps the keyboard focus) says it was sent, with no other report made
 * in between, and screen readers hear the same. */
static void
test_reports_after_sync (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *waiting = g_strdup_printf ("(%s)", _("waiting for the network"));
  g_autofree char *sent = g_strdup_printf ("(%s)", _("sent"));
  g_autofree char *text = NULL;
  g_autofree char *mismatch = NULL;
  FestStationWindow *window;
  FestSecurityPage *page;
  GtkListBox *reports;
  GtkListBoxRow *row;

  window = enrolled_station_new (server, client, "Security gate");
  page = FEST_SECURITY_PAGE (fest_station_window_get_page (window));
  reports = fest_security_page_get_reports (page);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_null (gtk_list_box_get_row_at_index (reports, 0));
  g_assert_true (placeholder_shown (reports));

  /* The server goes away: the report is queued, and its row says so. */
  fest_app_test_server_stop (server);
  fest_security_page_report (page, "THEFT", "Bag taken behind the bar");
  g_assert_true (fest_app_test_wait (station_offline, window, 20000));
  row = gtk_list_box_get_row_at_index (reports, 0);
  g_assert_nonnull (row);
  g_assert_null (gtk_list_box_get_row_at_index (reports, 1));
  g_assert_true (g_str_has_suffix (report_row_text (row), waiting));
  g_object_add_weak_pointer (G_OBJECT (row), (gpointer *) &row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (row)));

  /* Back: the engine's retry sends it... */
  fest_app_test_server_restart (server);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/incidents?per_page=500", server->token, &reply, NULL),
                    ==, 200);
  g_assert_nonnull (find_incident (server, reply, "Bag taken behind the bar"));

  /* ...and the list shows it sent, in the same row, still focused, with its accessible label. */
  g_assert_nonnull (row);
  g_assert_true (gtk_list_box_get_row_at_index (reports, 0) == row);
  g_assert_null (gtk_list_box_get_row_at_index (reports, 1));
  text = g_strdup (report_row_text (row));
  g_assert_false (g_str_has_suffix (text, waiting));
  g_assert_true (g_str_has_suffix (text, sent));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (row)));
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (row),
                                                 GTK_ACCESSIBLE_PROPERTY_LABEL, text);
  g_assert_null (mismatch);
  g_assert_false (placeholder_shown (reports));
  screenshot (GTK_WIDGET (window), "security-reports");

  fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
}

int
main (int argc, char *argv[])
{
  const char *localedir;

  /* GTK's in-memory test accessibility backend (no bus, unlike AT-SPI): the rows' accessible
   * labels can be checked. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  fest_app_test_init (&argc, &argv);
  fest_core_init ();
  /* The French run shows the French strings (the application object, not used here, binds them
   * otherwise). */
  localedir = g_getenv ("FESTIVALS_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/fest/security-map/pick-and-report", test_pick_and_report);
  g_test_add_func ("/fest/security-map/offline", test_offline);
  g_test_add_func ("/fest/security-map/stand-from-sync", test_stand_from_sync);
  g_test_add_func ("/fest/security-map/reports-after-sync", test_reports_after_sync);

  return g_test_run ();
}
