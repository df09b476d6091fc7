/* bench-app-startup.c: cold start of the festivals app to an interactive dashboard
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The parent starts a real festivals-server with a festival and a few sales, remembers it in the
 * app's settings and stores a session token (in the file store: no keyring here), then runs
 * this binary again with --child several times. Each child is a fresh process running the real
 * FestApplication: settings → client → token → GET /me → festival → GET /stats, and prints when
 * the dashboard shows figures. Target: ≤ 500 ms from exec to an interactive dashboard.
 */

#include "config.h"

#include <locale.h>
#include <stdlib.h>

#include <adwaita.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-dashboard-page.h"
#include "fest-secrets.h"
#include "fest-settings.h"
#include "fest-window.h"

#define RUNS 5
#define TARGET_MS 500

static gint64 child_start;

static void
trace (const char *what)
{
  if (g_getenv ("FEST_BENCH_TRACE") != NULL)
    g_printerr ("%6.1f ms  %s (%" G_GINT64_FORMAT ")\n", (g_get_monotonic_time () - child_start) / 1000.0, what, g_get_monotonic_time () / 1000 % 100000);
}

static void
view_changed_cb (GObject    *window,
                 GParamSpec *pspec)
{
  trace (fest_window_get_view (FEST_WINDOW (window)));
}

static void
window_added_cb (GtkApplication *app,
                 GtkWindow      *window)
{
  trace ("window added");
  if (FEST_IS_WINDOW (window))
    g_signal_connect (window, "notify::view", G_CALLBACK (view_changed_cb), NULL);
}

static void
startup_cb (GApplication *app)
{
  trace ("startup");
}

static gboolean
check_ready_cb (gpointer user_data)
{
  GApplication *app = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *dashboard;

  if (window == NULL || !FEST_IS_WINDOW (window))
    return G_SOURCE_CONTINUE;

  dashboard = fest_window_get_dashboard (FEST_WINDOW (window));
  if (dashboard == NULL
      || fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (dashboard)) != FEST_DASHBOARD_READY
      || !gtk_widget_get_mapped (dashboard))
    return G_SOURCE_CONTINUE;

  g_print ("ready %" G_GINT64_FORMAT "\n", (g_get_monotonic_time () - child_start) / 1000);
  fflush (stdout);
  g_application_quit (app);
  return G_SOURCE_REMOVE;
}

static int
run_child (void)
{
  g_autoptr(FestApplication) app = NULL;
  char *argv[] = { (char *) "festivals", NULL };

  child_start = g_get_monotonic_time ();
  fest_application_init_i18n ();
  fest_secrets_set_force_fallback (TRUE);
  trace ("i18n");
  app = fest_application_new ();
  g_signal_connect (app, "startup", G_CALLBACK (startup_cb), NULL);
  g_signal_connect (app, "window-added", G_CALLBACK (window_added_cb), NULL);
  g_timeout_add (2, check_ready_cb, app);
  return g_application_run (G_APPLICATION (app), 1, argv);
}

static void
stored_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  fest_secrets_store_finish (result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
store_token (const char *server,
             const char *token)
{
  gboolean done = FALSE;

  fest_secrets_set_force_fallback (TRUE);
  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, server, token, NULL, stored_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FestAppTestServer) server = NULL;
  g_autofree char *home = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) wallet = NULL;
  gint64 exec_ms[RUNS], ready_ms[RUNS];
  guint status;

  if (argc > 1 && g_str_equal (argv[1], "--child"))
    return run_child ();

  setlocale (LC_ALL, "");

  /* Private user dirs, shared with the children through the environment. */
  home = g_dir_make_tmp ("fest-bench-home-XXXXXX", &error);
  g_assert_no_error (error);
  {
    static const char *vars[] = { "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME" };

    for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
      {
        g_autofree char *dir = g_build_filename (home, vars[i], NULL);

        g_mkdir_with_parents (dir, 0700);
        g_setenv (vars[i], dir, TRUE);
      }
  }
  g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/festivals-bench-bus", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_unsetenv ("G_DEBUG");

  server = fest_app_test_server_new (TRUE);
  status = fest_app_test_request (server, "POST", "/wallets", server->token, &wallet,
                                  "{\"holder_name\":\"Bench\"}");
  g_assert_cmpuint (status, ==, 201);
  status = fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                  "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":5000}",
                                  fest_app_test_json_string (wallet, "data.id"));
  g_assert_cmpuint (status, ==, 201);

  fest_settings_set_server (FEST_SERVER_MODE_REMOTE, server->url, &error);
  g_assert_no_error (error);
  fest_settings_set_festival_id (server->festival_id, &error);
  g_assert_no_error (error);
  store_token (server->url, server->token);

  for (guint run = 0; run < RUNS; run++)
    {
      g_autoptr(GSubprocess) child = NULL;
      g_autofree char *output = NULL;
      gint64 start = g_get_monotonic_time ();
      gint64 in_child = -1;

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, argv[0], "--child", NULL);
      g_assert_no_error (error);
      g_subprocess_communicate_utf8 (child, NULL, NULL, &output, NULL, &error);
      g_assert_no_error (error);
      exec_ms[run] = (g_get_monotonic_time () - start) / 1000;
      if (output != NULL && g_str_has_prefix (output, "ready "))
        in_child = g_ascii_strtoll (output + strlen ("ready "), NULL, 10);
      if (in_child < 0)
        {
          g_printerr ("run %u: the dashboard never became ready (%s)\n", run, output);
          return 1;
        }
      ready_ms[run] = in_child;
      g_print ("run %u: dashboard ready %" G_GINT64_FORMAT " ms after main(), process done after %"
               G_GINT64_FORMAT " ms\n", run, ready_ms[run], exec_ms[run]);
    }

  qsort (ready_ms, RUNS, sizeof (gint64), (int (*) (const void *, const void *)) compare_gint64);
  qsort (exec_ms, RUNS, sizeof (gint64), (int (*) (const void *, const void *)) compare_gint64);
  {
    g_autofree char *loadavg = NULL;

    /* A busy machine (2 shared cores) dominates GTK's own start-up: say how busy it was. */
    if (g_file_get_contents ("/proc/loadavg", &loadavg, NULL, NULL))
      g_strstrip (loadavg);
    g_print ("app-startup: median %" G_GINT64_FORMAT " ms to an interactive dashboard "
             "(exec to exit %" G_GINT64_FORMAT " ms), target ≤ %d ms; load average %s\n",
             ready_ms[RUNS / 2], exec_ms[RUNS / 2], TARGET_MS, loadavg != NULL ? loadavg : "?");
  }

  g_clear_pointer (&server, fest_app_test_server_free);
  fest_app_test_remove_tree (home);

  return ready_ms[RUNS / 2] <= TARGET_MS ? 0 : 1;
}
