/* fest-sync-fixture.c: a real festivals-server on loopback for the station sync tests
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <gio/gunixoutputstream.h>

#include "fest-core.h"
#include "fest-sync-fixture.h"

#define ADMIN_EMAIL    "admin@sync.test"
#define ADMIN_PASSWORD "sync-test-password"

static const char *
server_binary (void)
{
  const char *path = g_getenv ("FESTIVALS_SERVER");

  g_assert_nonnull (path);
  return path;
}

FestSyncServer *
fest_sync_server_new (void)
{
  FestSyncServer *server = g_new0 (FestSyncServer, 1);
  g_autoptr(GError) error = NULL;

  server->data_dir = g_dir_make_tmp ("fest-sync-server-XXXXXX", &error);
  g_assert_no_error (error);
  server->session = soup_session_new_with_options ("timeout", 60, NULL);
  return server;
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

void
fest_sync_server_free (FestSyncServer *server)
{
  if (server->process != NULL)
    fest_sync_server_kill (server);
  remove_tree (server->data_dir);
  g_free (server->data_dir);
  g_free (server->url);
  g_free (server->admin_token);
  g_free (server->festival_id);
  g_free (server->stand_id);
  g_free (server->product_id);
  g_clear_object (&server->session);
  g_free (server);
}

/* The server dies with the test, even when an assertion aborts it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
start_listening (FestSyncServer *server,
                 const char     *listen)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GOutputStream) null_stream = NULL;
  g_autofree char *line = NULL;
  const char *url;

  g_assert_null (server->process);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawn (launcher, &error, server_binary (),
                                                 "--data-dir", server->data_dir, "--listen",
                                                 listen, "--no-rate-limit", NULL);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  url = strstr (line, "http://");
  g_assert_nonnull (url);
  g_free (server->url);
  server->url = g_strdup (url);

  /* Keep draining its stdout so that it never blocks on a full pipe. */
  null_stream = g_unix_output_stream_new (open ("/dev/null", O_WRONLY | O_CLOEXEC), TRUE);
  g_output_stream_splice_async (null_stream, G_INPUT_STREAM (lines),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET, G_PRIORITY_DEFAULT, NULL,
                                NULL, NULL);
}

void
fest_sync_server_start (FestSyncServer *server)
{
  start_listening (server, "127.0.0.1:0");
}

void
fest_sync_server_start_same_port (FestSyncServer *server)
{
  g_assert_nonnull (server->url);
  g_assert_true (g_str_has_prefix (server->url, "http://"));
  start_listening (server, server->url + strlen ("http://"));
}

gboolean
fest_sync_server_stop (FestSyncServer *server)
{
  g_autoptr(GError) error = NULL;
  gboolean ok;

  g_assert_nonnull (server->process);
  g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, &error);
  g_assert_no_error (error);
  ok = g_subprocess_get_if_exited (server->process) && g_subprocess_get_exit_status (server->process) == 0;
  g_clear_object (&server->process);
  return ok;
}

void
fest_sync_server_kill (FestSyncServer *server)
{
  g_assert_nonnull (server->process);
  g_subprocess_force_exit (server->process);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

guint
fest_sync_server_request (FestSyncServer  *server,
                          const char      *method,
                          const char      *path,
                          const char      *token,
                          const char      *json_body,
                          const char      *idempotency_key,
                          JsonNode       **out)
{
  g_autofree char *uri = g_strconcat (server->url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) message = soup_message_new (method, uri);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize size = 0;
  const char *data;

  g_assert_nonnull (message);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key",
                                  idempotency_key);
  if (json_body != NULL)
    {
      g_autoptr(GBytes) body = g_bytes_new (json_body, strlen (json_body));
      soup_message_set_request_body_from_bytes (message, "application/json", body);
    }
  bytes = soup_session_send_and_read (server->session, message, NULL, &error);
  g_assert_no_error (error);

  data = g_bytes_get_data (bytes, &size);
  if (size > 0)
    root = fest_json_parse (data, size, NULL);
  if (out != NULL)
    {
      *out = NULL;
      if (root != NULL && JSON_NODE_HOLDS_OBJECT (root) &&
          json_object_has_member (json_node_get_object (root), "data"))
        *out = json_node_copy (json_object_get_member (json_node_get_object (root), "data"));
      else if (root != NULL)
        *out = json_node_ref (root);
    }
  if (soup_message_get_status (message) >= 300)
    g_test_message ("%s %s → %u %.*s", method, path, soup_message_get_status (message),
                    (int) size, data != NULL ? data : "");
  return soup_message_get_status (message);
}

static const char *
data_string (JsonNode   *node,
             const char *member)
{
  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member (json_node_get_object (node), member);
}

void
fest_sync_server_setup_festival (FestSyncServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) create = NULL;
  g_autoptr(GBytes) input = g_bytes_new_static (ADMIN_PASSWORD "\n", strlen (ADMIN_PASSWORD) + 1);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  guint status;

  create = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE, &error, server_binary (), "--data-dir",
                             server->data_dir, "--create-superadmin", ADMIN_EMAIL, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (create, input, NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (create));

  fest_sync_server_start (server);

  status = fest_sync_server_request (server, "POST", "/auth/login", NULL,
                                     "{\"email\":\"" ADMIN_EMAIL "\",\"password\":\"" ADMIN_PASSWORD "\"}",
                                     NULL, &node);
  g_assert_cmpuint (status, ==, 200);
  server->admin_token = g_strdup (data_string (node, "token"));
  g_clear_pointer (&node, json_node_unref);

  status = fest_sync_server_request (server, "POST", "/festivals", server->admin_token,
                                     "{\"name\":\"Sync Fest\",\"starts_at\":\"2026-01-01T00:00:00Z\","
                                     "\"ends_at\":\"2027-12-31T00:00:00Z\",\"timezone\":\"Europe/Paris\","
                                     "\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10,"
                                     "\"location\":{\"lat\":47.2,\"lng\":-1.55}}", NULL, &node);
  g_assert_cmpuint (status, ==, 201);
  server->festival_id = g_strdup (data_string (node, "id"));
  g_clear_pointer (&node, json_node_unref);

  body = g_strdup_printf ("{\"festival_id\":\"%s\"}", server->festival_id);
  status = fest_sync_server_request (server, "POST", "/auth/festival", server->admin_token, body,
                                     NULL, &node);
  g_assert_cmpuint (status, ==, 200);
  if (JSON_NODE_HOLDS_OBJECT (node) && json_object_has_member (json_node_get_object (node), "token"))
    {
      g_free (server->admin_token);
      server->admin_token = g_strdup (data_string (node, "token"));
    }
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&body, g_free);

  status = fest_sync_server_request (server, "POST", "/stands", server->admin_token,
                                     "{\"name\":\"Main bar\",\"type\":\"BAR\","
                                     "\"location\":{\"lat\":47.21,\"lng\":-1.56,\"zone\":\"A\"}}",
                                     NULL, &node);
  g_assert_cmpuint (status, ==, 201);
  server->stand_id = g_strdup (data_string (node, "id"));
  g_clear_pointer (&node, json_node_unref);

  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":500,\"vat_rate\":20,"
                          "\"category\":\"Drinks\",\"stock\":null}", server->stand_id);
  status = fest_sync_server_request (server, "POST", "/products", server->admin_token, body, NULL,
                                     &node);
  g_assert_cmpuint (status, ==, 201);
  server->product_id = g_strdup (data_string (node, "id"));
}

char *
fest_sync_server_new_wallet (FestSyncServer  *server,
                             gint64           balance,
                             char           **code)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) tx = NULL;
  g_autofree char *body = NULL;
  g_autofree char *key = fest_uuid_new ();
  char *id;

  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/wallets", server->admin_token,
                                              "{\"holder_name\":\"Test\"}", NULL, &node), ==, 201);
  id = g_strdup (data_string (node, "id"));
  if (code != NULL)
    *code = g_strdup (data_string (node, "code"));
  if (balance > 0)
    {
      body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%" G_GINT64_FORMAT
                              ",\"payment_method\":\"CASH\"}", id, balance);
      g_assert_cmpuint (fest_sync_server_request (server, "POST", "/transactions", server->admin_token,
                                                  body, key, &tx), ==, 201);
    }
  return id;
}

char *
fest_sync_server_new_device (FestSyncServer  *server,
                             const char      *mode,
                             const char      *stand_id,
                             char           **device_id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *name = g_strdup_printf ("%s %u", mode, g_random_int_range (0, 100000));

  if (stand_id != NULL)
    body = g_strdup_printf ("{\"name\":\"%s\",\"stand_id\":\"%s\",\"mode\":\"%s\"}", name, stand_id, mode);
  else
    body = g_strdup_printf ("{\"name\":\"%s\",\"stand_id\":null,\"mode\":\"%s\"}", name, mode);
  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/devices", server->admin_token, body,
                                              NULL, &node), ==, 201);
  if (device_id != NULL)
    *device_id = g_strdup (data_string (node, "id"));
  return g_strdup (data_string (node, "token"));
}

JsonArray *
fest_sync_server_list_transactions (FestSyncServer *server)
{
  JsonArray *all = json_array_new ();

  for (guint page = 1; page < 1000; page++)
    {
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *path = g_strdup_printf ("/transactions?page=%u&per_page=500", page);
      JsonArray *items;
      guint n;

      g_assert_cmpuint (fest_sync_server_request (server, "GET", path, server->admin_token, NULL,
                                                  NULL, &node), ==, 200);
      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      items = json_node_get_array (node);
      n = json_array_get_length (items);
      for (guint i = 0; i < n; i++)
        json_array_add_element (all, json_node_copy (json_array_get_element (items, i)));
      if (n < 500)
        break;
    }
  return all;
}

gboolean
fest_sync_server_check (FestSyncServer *server)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) check = NULL;
  g_autofree char *out = NULL;

  check = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                            server_binary (), "--data-dir", server->data_dir, "--check", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (check, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_successful (check))
    g_test_message ("--check: %s", out);
  return g_subprocess_get_successful (check);
}
