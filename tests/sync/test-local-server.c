/* test-local-server.c: the app's bundled server is supervised: a dead one comes back by itself
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "fest-local-server.h"

/* The pid of our child festivals-server, from /proc (the object keeps its process private). */
static GPid
find_child_server (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc", 0, NULL);
  const char *name;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *stat_path = g_build_filename ("/proc", name, "stat", NULL);
      g_autofree char *stat = NULL;
      const char *end;
      int ppid = 0;

      if (!g_ascii_isdigit (name[0]) || !g_file_get_contents (stat_path, &stat, NULL, NULL))
        continue;
      /* "pid (comm) state ppid ...": comm may hold spaces, so parse after its last ')'. */
      end = strrchr (stat, ')');
      if (end == NULL || sscanf (end + 1, " %*c %d", &ppid) != 1 || ppid != getpid ())
        continue;
      if (strstr (stat, "(festivals-serv") != NULL)
        return (GPid) atoi (name);
    }
  return 0;
}

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (fest_local_server_start_finish (FEST_LOCAL_SERVER (source), result, &error));
  g_assert_no_error (error);
  *done = TRUE;
}

static void
restarted_cb (FestLocalServer *server,
              gpointer         user_data)
{
  guint *restarts = user_data;

  (*restarts)++;
}

static guint
health_status (const char *base_url)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *uri = g_strconcat (base_url, "/api/v1/health", NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", uri);
  g_autoptr(GBytes) body = soup_session_send_and_read (session, message, NULL, NULL);

  return soup_message_get_status (message);
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Kills the child and waits (≤ @timeout_s) for one more ::restarted. */
static void
kill_and_wait_restart (FestLocalServer *server,
                       guint           *restarts,
                       guint            timeout_s)
{
  guint before = *restarts;
  gboolean timed_out = FALSE;
  guint timeout_id;
  GPid pid = find_child_server ();

  g_assert_cmpint (pid, >, 0);
  g_assert_cmpint (kill (pid, SIGKILL), ==, 0);

  timeout_id = g_timeout_add_seconds (timeout_s, timeout_cb, &timed_out);
  while (*restarts == before && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (timed_out);
  g_source_remove (timeout_id);
  g_assert_cmpint (find_child_server (), !=, pid);
}

static void
test_restarted_after_kill (void)
{
  g_autofree char *data_dir = g_build_filename (g_get_user_data_dir (), "festivals", "server",
                                                NULL);
  g_autoptr(FestLocalServer) server = fest_local_server_new (data_dir);
  g_autofree char *url = NULL;
  gboolean done = FALSE;
  guint restarts = 0;

  g_signal_connect (server, "restarted", G_CALLBACK (restarted_cb), &restarts);
  fest_local_server_start_async (server, FALSE, NULL, NULL, started_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  url = g_strdup (fest_local_server_get_base_url (server));
  g_assert_cmpuint (health_status (url), ==, 200);

  /* Killed: the death is logged, and it serves again on the same address. */
  g_test_expect_message ("festivals", G_LOG_LEVEL_WARNING,
                         "The festival server killed by signal 9*restarting it in 250 ms");
  kill_and_wait_restart (server, &restarts, 10);
  g_test_assert_expected_messages ();
  g_assert_cmpstr (fest_local_server_get_base_url (server), ==, url);
  g_assert_cmpuint (health_status (url), ==, 200);

  /* A crash loop is slowed down: the second death within a minute waits twice as long. */
  g_test_expect_message ("festivals", G_LOG_LEVEL_WARNING,
                         "The festival server killed by signal 9*restarting it in 500 ms");
  kill_and_wait_restart (server, &restarts, 10);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (health_status (url), ==, 200);

  /* Stopped on purpose: nothing comes back. */
  fest_local_server_stop (server);
  g_assert_false (fest_local_server_is_running (server));
  g_assert_cmpint (find_child_server (), ==, 0);
  g_assert_cmpuint (restarts, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/fest/local-server/restarted-after-kill", test_restarted_after_kill);

  return g_test_run ();
}
