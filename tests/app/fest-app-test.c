/* fest-app-test.c: helpers for the app's tests: a real festivals-server and main-loop waits
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <glib/gstdio.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "fest-app-test.h"
#include "fest-station-window-private.h"
#include "fest-sync-engine.h"

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
superadmin_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static void
start_server (FestAppTestServer *self,
              const char        *listen)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fest_local_server_start_async (self->server, FALSE, listen, NULL, started_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  fest_local_server_start_finish (self->server, result, &error);
  g_assert_no_error (error);

  g_free (self->url);
  self->url = g_strdup (fest_local_server_get_base_url (self->server));
  g_assert_nonnull (self->url);
}

FestAppTestServer *
fest_app_test_server_new (gboolean with_festival)
{
  FestAppTestServer *self = g_new0 (FestAppTestServer, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* Every test starts without remembered servers, festivals or tokens. */
  fest_app_test_reset_user_dirs ();

  self->data_dir = g_dir_make_tmp ("fest-app-test-XXXXXX", &error);
  g_assert_no_error (error);
  self->server = fest_local_server_new (self->data_dir);
  self->session = soup_session_new_with_options ("timeout", 10, NULL);

  fest_local_server_create_superadmin_async (self->server, FEST_APP_TEST_EMAIL,
                                             FEST_APP_TEST_PASSWORD, NULL, superadmin_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  fest_local_server_create_superadmin_finish (self->server, result, &error);
  g_assert_no_error (error);

  start_server (self, NULL);

  status = fest_app_test_request (self, "POST", "/auth/login", NULL, &reply,
                                  "{\"email\":\"%s\",\"password\":\"%s\"}",
                                  FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_cmpuint (status, ==, 200);
  self->token = g_strdup (fest_app_test_json_string (reply, "data.token"));
  g_assert_nonnull (self->token);

  if (with_festival)
    {
      g_autoptr(JsonNode) festival = NULL;

      status = fest_app_test_request (self, "POST", "/festivals", self->token, &festival,
                                      "{\"name\":\"Test Fest\",\"starts_at\":\"2026-07-01T00:00:00Z\","
                                      "\"ends_at\":\"2026-07-03T23:59:59Z\",\"timezone\":\"Europe/Paris\","
                                      "\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10,"
                                      "\"location\":{\"lat\":48.85,\"lng\":2.35}}");
      g_assert_cmpuint (status, ==, 201);
      self->festival_id = g_strdup (fest_app_test_json_string (festival, "data.id"));
      g_assert_nonnull (self->festival_id);

      g_clear_pointer (&reply, json_node_unref);
      status = fest_app_test_request (self, "POST", "/auth/festival", self->token, &reply,
                                      "{\"festival_id\":\"%s\"}", self->festival_id);
      g_assert_cmpuint (status, ==, 200);
    }

  return self;
}

void
fest_app_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    {
      g_unlink (path);
      return;
    }

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        fest_app_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

void
fest_app_test_server_free (FestAppTestServer *self)
{
  if (self == NULL)
    return;

  fest_local_server_stop (self->server);
  g_clear_object (&self->server);
  g_clear_object (&self->session);
  fest_app_test_remove_tree (self->data_dir);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self->token);
  g_free (self->festival_id);
  g_free (self);
}

void
fest_app_test_server_stop (FestAppTestServer *self)
{
  fest_local_server_stop (self->server);
  g_assert_false (fest_local_server_is_running (self->server));
}

void
fest_app_test_server_restart (FestAppTestServer *self)
{
  g_autoptr(GUri) uri = g_uri_parse (self->url, G_URI_FLAGS_NONE, NULL);
  g_autofree char *listen = NULL;
  g_autofree char *old_url = g_strdup (self->url);

  g_assert_nonnull (uri);
  listen = g_strdup_printf ("127.0.0.1:%d", g_uri_get_port (uri));
  start_server (self, listen);
  g_assert_cmpstr (self->url, ==, old_url);
}

guint
fest_app_test_request (FestAppTestServer  *self,
                       const char         *method,
                       const char         *path,
                       const char         *token,
                       JsonNode          **reply,
                       const char         *body_format,
                       ...)
{
  g_autofree char *url = g_strconcat (self->url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, url);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  gsize size = 0;
  const char *data;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    authorization);
    }
  if (body_format != NULL)
    {
      va_list args;
      char *body;
      g_autoptr(GBytes) bytes = NULL;
      g_autofree char *key = g_uuid_string_random ();

      va_start (args, body_format);
      body = g_strdup_vprintf (body_format, args);
      va_end (args);
      bytes = g_bytes_new_take (body, strlen (body));
      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key",
                                    key);
    }

  response = soup_session_send_and_read (self->session, message, NULL, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (response, &size);
  if (reply != NULL)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();

      *reply = NULL;
      if (size > 0 && json_parser_load_from_data (parser, data, size, NULL))
        *reply = json_node_copy (json_parser_get_root (parser));
    }

  return soup_message_get_status (message);
}

const char *
fest_app_test_json_string (JsonNode   *node,
                           const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; parts[i] != NULL && node != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        node = json_object_get_member (json_node_get_object (node), parts[i]);
      else if (JSON_NODE_HOLDS_ARRAY (node))
        {
          guint index = g_ascii_strtoull (parts[i], NULL, 10);
          JsonArray *array = json_node_get_array (node);

          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
fest_app_test_wait (gboolean (*condition) (gpointer),
                    gpointer   data,
                    guint      timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!condition (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);

  return condition (data);
}

static gboolean
flag_condition (gpointer data)
{
  return *(gboolean *) data;
}

gboolean
fest_app_test_wait_flag (gboolean *flag,
                         guint     timeout_ms)
{
  return fest_app_test_wait (flag_condition, flag, timeout_ms);
}

void
fest_app_test_render_png (GtkWidget  *widget,
                          const char *name)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  GskRenderer *renderer;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  /* A widget between two frames (a view switching, a toast being added) may have no render node
   * yet: let it draw, a bounded number of times. */
  for (guint i = 0; node == NULL && i < 50; i++)
    {
      g_autoptr(GtkSnapshot) again = gtk_snapshot_new ();

      gtk_test_widget_wait_for_draw (widget);
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
      gdk_paintable_snapshot (paintable, again, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&again));
    }
  g_assert_nonnull (node);

  renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  texture = gsk_renderer_render_texture (renderer, node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_nonnull (texture);

  path = g_test_build_filename (G_TEST_BUILT, "screenshots", name, NULL);
  {
    g_autofree char *dir = g_path_get_dirname (path);

    g_mkdir_with_parents (dir, 0755);
  }
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("Saved %s", path);
}

void
fest_app_test_load_style (void)
{
  static gboolean loaded;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/app/festivals/Festivals/style.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* GtkApplication adds the resource base path's icons/ itself. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/app/festivals/Festivals/icons");
  loaded = TRUE;
}

static char *test_home;

static void
remove_test_home (void)
{
  if (test_home != NULL)
    fest_app_test_remove_tree (test_home);
  g_clear_pointer (&test_home, g_free);
}

void
fest_app_test_reset_user_dirs (void)
{
  g_autofree char *data = g_build_filename (g_get_user_data_dir (), "festivals", NULL);
  g_autofree char *config = g_build_filename (g_get_user_config_dir (), "festivals", NULL);

  fest_app_test_remove_tree (data);
  fest_app_test_remove_tree (config);
}

static gboolean
fatal_log_cb (const char     *log_domain,
              GLogLevelFlags  log_level,
              const char     *message,
              gpointer        user_data)
{
  /* Without a window manager GTK 4.8 warns when a focused entry's window goes away. */
  if (message != NULL && strstr (message, "did not receive a focus-out event") != NULL)
    return FALSE;

  return TRUE;
}

static GLogWriterOutput
log_writer_cb (GLogLevelFlags   log_level,
               const GLogField *fields,
               gsize            n_fields,
               gpointer         user_data)
{
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE") && fields[i].length < 0)
      message = fields[i].value;

  /* GTK logs through the structured writer, which aborts on fatal levels without asking the
   * test's fatal handler: filter the same known messages here. */
  if ((log_level & G_LOG_LEVEL_WARNING) && !fatal_log_cb (NULL, log_level, message, NULL))
    {
      g_test_message ("Ignored warning: %s", message);
      return G_LOG_WRITER_HANDLED;
    }

  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

void
fest_app_test_init (int    *argc,
                    char ***argv)
{
  g_autoptr(GError) error = NULL;
  char *home;

  g_log_set_writer_func (log_writer_cb, NULL, NULL);

  /* Private user dirs for the whole run, set before GLib caches them. G_TEST_OPTION_ISOLATE_DIRS
   * would also hide the system's GSettings schemas that GTK and libadwaita need. */
  home = g_dir_make_tmp ("fest-app-home-XXXXXX", &error);
  g_assert_no_error (error);
  test_home = home;
  for (guint i = 0; i < 3; i++)
    {
      static const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };
      g_autofree char *dir = g_build_filename (home, vars[i], NULL);

      g_mkdir_with_parents (dir, 0700);
      g_setenv (vars[i], dir, TRUE);
    }
  atexit (remove_test_home);

  /* What gtk_test_init does, with the environment's locale (for the French screenshots). */
  g_test_init (argc, argv, NULL);
  gtk_disable_setlocale ();
  setlocale (LC_ALL, "");
  gtk_init ();
  adw_init ();
  /* Screenshots and waits must not catch a crossfade halfway. */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  g_test_log_set_fatal_handler (fatal_log_cb, NULL);
  /* GLib read G_DEBUG for this process already; the server children run as in production
   * (their own tests check their criticals). */
  g_unsetenv ("G_DEBUG");
}

static gboolean
both_gone (gpointer data)
{
  gpointer *pointers = data;

  return pointers[0] == NULL && pointers[1] == NULL;
}

static gboolean
is_gone (gpointer data)
{
  return *(gpointer *) data == NULL;
}

void
fest_app_test_assert_finalized (gpointer object)
{
  gpointer pointer = object;

  g_object_add_weak_pointer (G_OBJECT (object), &pointer);
  g_object_unref (object);
  if (!fest_app_test_wait (is_gone, &pointer, 5000))
    g_error ("%s %p still has %u references 5 s after its last owner let go", G_OBJECT_TYPE_NAME (object),
             object, G_OBJECT (object)->ref_count);
}

void
fest_app_test_destroy_and_check (GtkWindow *window,
                                 gpointer   object)
{
  gpointer pointers[2] = { window, object };

  g_object_add_weak_pointer (G_OBJECT (window), &pointers[0]);
  if (object != NULL)
    g_object_add_weak_pointer (G_OBJECT (object), &pointers[1]);

  gtk_window_destroy (window);
  /* Cancelled requests still call back once: let them drop their references. */
  g_assert_true (fest_app_test_wait (both_gone, pointers, 5000));
}

gboolean
fest_app_test_station_shown (gpointer window)
{
  return g_strcmp0 (fest_station_window_get_view (window), "station") == 0;
}

gboolean
fest_app_test_station_synced (gpointer window)
{
  FestSyncEngine *engine = fest_station_window_get_engine (window);

  return engine != NULL && fest_sync_engine_get_online (engine) &&
         fest_sync_engine_get_last_sync (engine) != NULL &&
         fest_sync_engine_get_pending_count (engine) == 0 &&
         !fest_sync_engine_get_syncing (engine);
}

/* Real input through the X server (xdotool) */

static void
subprocess_done_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (source), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

void
fest_app_test_xdotool (const char *first,
                       ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, (gpointer) "xdotool");
  va_start (args, first);
  for (arg = first; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, subprocess_done_cb, &done);
  g_assert_true (fest_app_test_wait_flag (&done, 60000));
}

char *
fest_app_test_create_device (FestAppTestServer *server,
                             const char        *stand_id,
                             const char        *mode)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/devices", server->token, &reply,
                                           "{\"name\":\"%s station\",\"stand_id\":\"%s\",\"mode\":\"%s\"}",
                                           mode, stand_id, mode), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.token"));
}

FestStationWindow *
fest_app_test_enrolled_station (FestAppTestServer *server,
                                FestClient        *client,
                                const char        *stand_id,
                                const char        *mode)
{
  g_autofree char *token = fest_app_test_create_device (server, stand_id, mode);
  FestStationWindow *window = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, mode, NULL));

  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (fest_station_window_get_view (window), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  fest_station_window_enroll (window, server->url, token, "1357");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  return window;
}

GtkWindow *
fest_app_test_find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WINDOW (window);
    }
  return NULL;
}

static gboolean
widget_laid_out (gpointer data)
{
  GtkWidget *widget = data;

  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0 && gtk_widget_get_height (widget) > 0;
}

void
fest_app_test_click (GtkWidget *widget)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t middle;
  graphene_point_t point;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  double dx, dy;

  /* A widget just shown (a dialog's next button) has no size until the next layout: a click
   * computed before it would land beside it. */
  g_assert_true (fest_app_test_wait (widget_laid_out, widget, 10000));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (native));
  middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));
  fest_app_test_xdotool ("windowfocus", "--sync", xid, NULL);
  /* The click may close the window it landed in (a dialog's button): then there is nothing to draw. */
  g_object_ref (native);
  fest_app_test_xdotool ("mousemove", "--window", xid, x, y, "click", "1", NULL);
  if (gtk_widget_get_mapped (GTK_WIDGET (native)))
    gtk_test_widget_wait_for_draw (GTK_WIDGET (native));
  g_object_unref (native);
}
