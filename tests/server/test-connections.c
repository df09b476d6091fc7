/* test-connections.c: what clients can do to the server's connections: WebSocket sessions that
 * come and go all day, many slow connections from one address, request headers that trickle or
 * never end, bodies announced larger than the limit. Raw sockets against a real festivals-server.
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <string.h>
#include <sys/socket.h>

#include "fest-test-server.h"

#define WS_WARMUP_SESSIONS 1000
#define WS_SESSIONS        10000
#define WS_RSS_GROWTH_KB   2048
/* Time bounds stretch under a sanitizer (and its instrumented server). */
#define SLOWDOWN           (FEST_TEST_SANITIZED ? 5 : 1)

typedef struct
{
  FestTestServer *server;
  GSocketAddress *address;
} Fixture;

/* Starts the server with the extra arguments @args (NULL-terminated, nullable) and, when not 0,
 * @fd_limit file descriptors at most. */
static void
fixture_start (Fixture            *fixture,
               guint               fd_limit,
               const char * const *args)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) host = NULL;

  fixture->server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  fest_test_server_set_fd_limit (fixture->server, fd_limit);
#if FEST_TEST_SANITIZED
  {
    /* Freed memory is reused at once instead of waiting in AddressSanitizer's quarantine, so
     * that the server's resident size shows what it keeps. */
    g_autofree char *options = g_strdup_printf ("%s:quarantine_size_mb=0:"
                                                "thread_local_quarantine_size_kb=0",
                                                g_getenv ("ASAN_OPTIONS") != NULL
                                                  ? g_getenv ("ASAN_OPTIONS") : "");

    fest_test_server_setenv (fixture->server, "ASAN_OPTIONS", options);
  }
#endif
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    fest_test_server_add_arg (fixture->server, args[i]);
  fest_test_server_start (fixture->server);

  uri = g_uri_parse (fest_test_server_get_url (fixture->server), G_URI_FLAGS_NONE, NULL);
  g_assert_nonnull (uri);
  host = g_inet_address_new_from_string (g_uri_get_host (uri));
  fixture->address = g_inet_socket_address_new (host, (guint16) g_uri_get_port (uri));
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_pointer (&fixture->server, fest_test_server_free);
  g_clear_object (&fixture->address);
}

/* A blocking client socket (operations time out after @timeout_s), connected from @source_ip
 * (any address of 127.0.0.0/8, so that tests can play several clients) or from 127.0.0.1. */
static GSocket *
client_connect_from (Fixture    *fixture,
                     const char *source_ip,
                     guint       timeout_s)
{
  g_autoptr(GError) error = NULL;
  GSocket *client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                                  &error);

  g_assert_no_error (error);
  if (source_ip != NULL)
    {
      g_autoptr(GInetAddress) ip = g_inet_address_new_from_string (source_ip);
      g_autoptr(GSocketAddress) local = g_inet_socket_address_new (ip, 0);

      g_assert_true (g_socket_bind (client, local, FALSE, &error));
      g_assert_no_error (error);
    }
  g_socket_set_timeout (client, timeout_s);
  g_assert_true (g_socket_connect (client, fixture->address, NULL, &error));
  g_assert_no_error (error);
  return client;
}

static GSocket *
client_connect (Fixture *fixture)
{
  return client_connect_from (fixture, NULL, 10);
}

/* FALSE when the server has closed or reset the connection. */
static gboolean
client_send (GSocket    *client,
             const void *data,
             gsize       length)
{
  gsize done = 0;

  while (done < length)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_send (client, (const char *) data + done, length - done, NULL, &error);

      if (n < 0)
        {
          if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE)
              || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
            return FALSE;
          g_assert_no_error (error);
        }
      done += (gsize) n;
    }
  return TRUE;
}

/* Reads until the end of the stream (or a reset, or @client's timeout); returns what came. */
static GString *
client_read_all (GSocket *client)
{
  GString *received = g_string_new (NULL);

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      char buffer[16 * 1024];
      gssize n = g_socket_receive (client, buffer, sizeof buffer, NULL, &error);

      if (n > 0)
        {
          g_string_append_len (received, buffer, n);
          continue;
        }
      if (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        g_assert_no_error (error);
      return received;
    }
}

/* Reads a response up to the end of its headers; returns them (the rest of what arrived is
 * dropped). Fails on the end of the stream. */
static char *
client_read_headers (GSocket *client)
{
  g_autoptr(GString) received = g_string_new (NULL);

  while (strstr (received->str, "\r\n\r\n") == NULL)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n = g_socket_receive (client, buffer, sizeof buffer, NULL, &error);

      g_assert_no_error (error);
      if (n == 0)
        g_error ("The connection ended before the response's headers: “%s”", received->str);
      g_string_append_len (received, buffer, n);
    }
  g_string_truncate (received, strstr (received->str, "\r\n\r\n") - received->str);
  return g_strdup (received->str);
}

/* The status of a whole response (@response as read from the wire), its JSON body in @body. */
static guint
parse_response (GString   *response,
                JsonNode **body)
{
  const char *end = strstr (response->str, "\r\n\r\n");
  guint64 status = 0;
  g_autofree char *code = NULL;

  g_assert_nonnull (end);
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 "));
  code = g_strndup (response->str + 9, 3);
  g_assert_true (g_ascii_string_to_unsigned (code, 10, 100, 599, &status, NULL));
  if (body != NULL)
    *body = json_from_string (end + 4, NULL);
  return (guint) status;
}

static guint64
server_status_value (Fixture    *fixture,
                     const char *name)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status",
                                           (int) fest_test_server_get_pid (fixture->server));
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (g_str_has_prefix (lines[i], name) && lines[i][strlen (name)] == ':')
      return g_ascii_strtoull (lines[i] + strlen (name) + 1, NULL, 10);
  g_error ("No %s in %s", name, path);
}

/* The server's resident memory, in KiB. */
static guint64
server_rss_kb (Fixture *fixture)
{
  return server_status_value (fixture, "VmRSS");
}

static guint
server_fd_count (Fixture *fixture)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) fest_test_server_get_pid (fixture->server));
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  guint count = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    count++;
  return count;
}

/* Waits until the server has at most @fds file descriptors open; returns how many it has. */
static guint
wait_for_server_fds (Fixture *fixture,
                     guint    fds,
                     guint    timeout_s)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_s * G_USEC_PER_SEC;
  guint count;

  while ((count = server_fd_count (fixture)) > fds && g_get_monotonic_time () < deadline)
    g_usleep (50 * 1000);
  return count;
}

/* Closes @client with a reset (RST) instead of an orderly end. */
static void
client_reset (GSocket *client)
{
  struct linger reset = { .l_onoff = 1, .l_linger = 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (client), SOL_SOCKET, SO_LINGER, &reset,
                               sizeof reset), ==, 0);
  g_socket_close (client, NULL);
}

/* WebSocket sessions */

/* One /events session: the handshake, then an end chosen by @how: a close frame (and the
 * server's close frame back), the client closing its socket, or the client resetting it. Or a
 * handshake the server refuses (no Sec-WebSocket-Key), once in four. */
static void
websocket_session (Fixture    *fixture,
                   const char *request,
                   guint       how)
{
  g_autoptr(GSocket) client = client_connect (fixture);
  g_autofree char *headers = NULL;

  if (how % 4 == 3)
    {
      g_autofree char *refused = g_strdup (request);
      char *key = strstr (refused, "Sec-WebSocket-Key");

      key[0] = 'X';
      g_assert_true (client_send (client, refused, strlen (refused)));
      headers = client_read_headers (client);
      g_assert_true (g_str_has_prefix (headers, "HTTP/1.1 400 "));
      g_socket_close (client, NULL);
      return;
    }

  g_assert_true (client_send (client, request, strlen (request)));
  headers = client_read_headers (client);
  if (!g_str_has_prefix (headers, "HTTP/1.1 101 "))
    g_error ("WebSocket handshake refused: %s", headers);

  switch (how % 4)
    {
    case 0:
      {
        /* FIN, opcode close, masked, 2 bytes: status 1000. */
        static const guint8 close_frame[] = { 0x88, 0x82, 0x12, 0x34, 0x56, 0x78,
                                              0x03 ^ 0x12, 0xe8 ^ 0x34 };
        g_autoptr(GString) rest = NULL;

        g_assert_true (client_send (client, close_frame, sizeof close_frame));
        /* The server answers with its close frame, then ends the connection. */
        rest = client_read_all (client);
        g_assert_cmpuint (rest->len, >, 0);
        g_socket_close (client, NULL);
        break;
      }
    case 1:
      g_socket_close (client, NULL);
      break;
    default:
      client_reset (client);
      break;
    }
}

/* Stations reconnect to /events all festival long: a session that ended, however it ended,
 * leaves nothing behind in the server (memory, file descriptors). LeakSanitizer alone would not
 * see the leak this guards against (the objects stayed reachable through GLib's signal
 * handler table), hence resident memory, also under AddressSanitizer. */
static void
test_websocket_sessions_freed (Fixture       *fixture,
                               gconstpointer  data)
{
  FestTestFestival fest;
  g_autofree char *request = NULL;
  guint64 rss_before, rss_after;
  guint fds_before, fds_after;
  gint64 started;

  fixture_start (fixture, 0, NULL);
  fest_test_server_setup_festival (fixture->server, "Reconnecting fest", &fest);
  request = g_strdup_printf ("GET /api/v1/events HTTP/1.1\r\n"
                             "Host: 127.0.0.1\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "Authorization: Bearer %s\r\n"
                             "\r\n", fest.organiser_token);

  /* The test's own keep-alive connection goes, so that only the sessions count. */
  soup_session_abort (fest_test_server_get_session (fixture->server));

  /* Caches and allocator pools fill up first. */
  for (guint i = 0; i < WS_WARMUP_SESSIONS; i++)
    websocket_session (fixture, request, i);
  /* Connections the clients closed while idle are swept within two seconds. */
  fds_before = wait_for_server_fds (fixture, 0, 3);
  rss_before = server_rss_kb (fixture);

  started = g_get_monotonic_time ();
  for (guint i = 0; i < WS_SESSIONS; i++)
    websocket_session (fixture, request, i);
  g_test_message ("%u WebSocket sessions in %.1f s", WS_SESSIONS,
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  /* Sessions the clients ended abruptly are closed once the server reads the end. */
  fds_after = wait_for_server_fds (fixture, fds_before, 20);
  rss_after = server_rss_kb (fixture);
  g_test_message ("server RSS %" G_GUINT64_FORMAT " KiB before, %" G_GUINT64_FORMAT
                  " KiB after %u sessions; %u fds before, %u after",
                  rss_before, rss_after, WS_SESSIONS, fds_before, fds_after);

  g_assert_cmpuint (fds_after, <=, fds_before);
  g_assert_cmpuint (rss_after, <=, rss_before + WS_RSS_GROWTH_KB);

  fest_test_festival_clear (&fest);
}

/* Slow clients */

#define TRICKLE_REQUEST "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: "

/* A connection from @source_ip that has sent the start of a request, and will say no more. */
static GSocket *
open_trickling (Fixture    *fixture,
                const char *source_ip)
{
  GSocket *client = client_connect_from (fixture, source_ip, 10);

  g_assert_true (client_send (client, TRICKLE_REQUEST, strlen (TRICKLE_REQUEST)));
  return client;
}

/* GET /health on a new connection from @source_ip: asserts a 200 within @max_ms. */
static void
assert_health (Fixture    *fixture,
               const char *source_ip,
               guint       max_ms)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Connection: close\r\n\r\n";
  g_autoptr(GSocket) client = client_connect_from (fixture, source_ip, 5);
  g_autoptr(GString) response = NULL;
  g_autoptr(JsonNode) body = NULL;
  gint64 started = g_get_monotonic_time ();
  guint elapsed_ms;

  g_assert_true (client_send (client, request, strlen (request)));
  response = client_read_all (client);
  elapsed_ms = (guint) ((g_get_monotonic_time () - started) / 1000);
  g_test_message ("/health from %s: %u ms", source_ip, elapsed_ms);
  g_assert_cmpuint (response->len, >, 0);
  g_assert_cmpuint (parse_response (response, &body), ==, 200);
  g_assert_cmpstr (fest_test_json_string (body, "data.status"), ==, "ok");
  g_assert_cmpuint (elapsed_ms, <, max_ms * SLOWDOWN);
}

/* GET /health on @client's keep-alive connection: asserts a 200. */
static void
assert_health_keep_alive (GSocket *client)
{
  static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  g_autoptr(GString) response = g_string_new (NULL);
  const char *length;
  gsize wanted = G_MAXSIZE;

  g_assert_true (client_send (client, request, strlen (request)));
  while (response->len < wanted)
    {
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n = g_socket_receive (client, buffer, sizeof buffer, NULL, &error);
      const char *end;

      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0);
      g_string_append_len (response, buffer, n);
      end = strstr (response->str, "\r\n\r\n");
      length = strstr (response->str, "Content-Length: ");
      if (end != NULL && length != NULL)
        wanted = (gsize) (end + 4 - response->str) + g_ascii_strtoull (length + 16, NULL, 10);
    }
  g_assert_cmpuint (parse_response (response, NULL), ==, 200);
}

/* More slow connections from one address than the server has descriptors for (the soft limit
 * of 1,024 in the field, 256 here): the address keeps a bounded number of them, and /health, from
 * that address (a station behind the same NAT, on its keep-alive connection or a new one) or
 * another one, is answered at once. */
static void
test_slow_clients_one_address (Fixture       *fixture,
                               gconstpointer  data)
{
  const char * const args[] = { "--max-client-connections", "16", NULL };
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GSocket) station = NULL;
  guint idle_fds;

  fixture_start (fixture, 256, args);
  idle_fds = server_fd_count (fixture);
  station = client_connect (fixture);
  assert_health_keep_alive (station);

  for (guint i = 0; i < 300; i++)
    g_ptr_array_add (slow, open_trickling (fixture, "127.0.0.1"));

  /* The station's connection, the oldest of the address, was not the one to go. */
  assert_health_keep_alive (station);
  assert_health (fixture, "127.0.0.1", 1000);
  assert_health (fixture, "127.0.0.2", 1000);
  /* The slow connections the address has left: at most its 16. */
  g_assert_cmpuint (server_fd_count (fixture), <=, idle_fds + 16 + 1);
}

/* Behind a trusted reverse proxy every client's connection comes from the proxy's address: the
 * per-address cap does not apply to it (the proxy limits its clients itself), so its keep-alive
 * connections are not closed under each other. Another address keeps its cap. */
static void
test_trusted_proxy_uncapped (Fixture       *fixture,
                             gconstpointer  data)
{
  const char * const args[] = { "--max-client-connections", "4", "--trusted-proxy", "127.0.0.1",
                                NULL };
  g_autoptr(GPtrArray) proxied = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other = g_ptr_array_new_with_free_func (g_object_unref);
  guint idle_fds;

  fixture_start (fixture, 0, args);
  idle_fds = server_fd_count (fixture);

  for (guint i = 0; i < 12; i++)
    {
      GSocket *client = client_connect (fixture);

      assert_health_keep_alive (client);
      g_ptr_array_add (proxied, client);
    }
  /* All twelve are still open and served. */
  for (guint i = 0; i < proxied->len; i++)
    assert_health_keep_alive (g_ptr_array_index (proxied, i));
  g_assert_cmpuint (server_fd_count (fixture), >=, idle_fds + 12);

  /* Not a proxy: at most 4 of its slow connections stay. */
  for (guint i = 0; i < 12; i++)
    g_ptr_array_add (other, open_trickling (fixture, "127.0.0.2"));
  for (guint i = 0; i < proxied->len; i++)
    assert_health_keep_alive (g_ptr_array_index (proxied, i));
  g_assert_cmpuint (server_fd_count (fixture), <=, idle_fds + 12 + 4 + 1);
}

/* Slow connections from many addresses, each within its cap, more than the descriptors: a
 * reserve stays free, so the server still answers and its own files still open. */
static void
test_slow_clients_many_addresses (Fixture       *fixture,
                                  gconstpointer  data)
{
  const char * const args[] = { "--max-client-connections", "16", NULL };
  g_autoptr(GPtrArray) slow = g_ptr_array_new_with_free_func (g_object_unref);
  guint idle_fds;

  fixture_start (fixture, 256, args);
  idle_fds = server_fd_count (fixture);

  for (guint a = 0; a < 20; a++)
    {
      g_autofree char *source_ip = g_strdup_printf ("127.0.1.%u", a + 1);

      for (guint i = 0; i < 16; i++)
        g_ptr_array_add (slow, open_trickling (fixture, source_ip));
    }

  assert_health (fixture, "127.0.0.1", 1000);
  /* An eighth of the descriptors (at least 64) is kept for everything but connections. */
  g_assert_cmpuint (server_fd_count (fixture), <=, idle_fds + 256 - 64);
  g_assert_cmpuint (server_fd_count (fixture), <, 256 - 32);
}

/* Clients that close their keep-alive connections after a request or two (a session under load
 * closes and reopens them): the server closes its side as soon as it sees the end, not a sweep or
 * two later (a second or two), so that such a client does not pile up dead connections against
 * its address's cap, where a new connection would make the server close a live one. */
static void
test_closed_by_client_freed (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GPtrArray) clients = g_ptr_array_new_with_free_func (g_object_unref);
  guint idle_fds;
  guint count;
  gint64 closed;
  guint elapsed_ms;

  fixture_start (fixture, 0, NULL);
  idle_fds = server_fd_count (fixture);

  for (guint i = 0; i < 20; i++)
    {
      GSocket *client = client_connect (fixture);

      assert_health_keep_alive (client);
      g_ptr_array_add (clients, client);
    }
  g_assert_cmpuint (server_fd_count (fixture), >=, idle_fds + 20);

  closed = g_get_monotonic_time ();
  for (guint i = 0; i < clients->len; i++)
    g_socket_close (g_ptr_array_index (clients, i), NULL);
  count = wait_for_server_fds (fixture, idle_fds, 5);
  elapsed_ms = (guint) ((g_get_monotonic_time () - closed) / 1000);
  g_test_message ("20 connections closed by their client: closed by the server after %u ms",
                  elapsed_ms);
  g_assert_cmpuint (count, <=, idle_fds);
  /* The idle sweep runs every second: it must not be what closed them. */
  g_assert_cmpuint (elapsed_ms, <, 700);
}

/* Waits until the process @pid is stopped (SIGSTOP), as /proc shows it. */
static void
wait_for_stopped (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  for (;;)
    {
      g_autofree char *text = NULL;
      const char *state;

      g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
      /* "pid (comm) S ...": the state follows the last parenthesis. */
      state = strrchr (text, ')');
      g_assert_nonnull (state);
      if (state[1] == ' ' && (state[2] == 'T' || state[2] == 't'))
        return;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_usleep (5 * 1000);
    }
}

/* A request whose headers reach the server in the same turn as a new connection from the same
 * address, at its cap: the server has not read them yet, so the request looks as if it had just
 * begun, yet its client is not slow, the server is. It is not the connection closed to make room
 * (its client would then see its body refused with a reset); the address's idle keep-alive
 * connection goes instead. */
static void
test_request_on_its_way_kept (Fixture       *fixture,
                              gconstpointer  data)
{
  static const char headers[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\nConnection: close\r\n"
                                "Content-Length: 50\r\n\r\n";
  static const char body[] = "{\"email\":\"nobody@example.com\",\"password\":\"wrong!\"}";
  const char * const args[] = { "--max-client-connections", "2", NULL };
  g_autoptr(GSocket) station = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) newcomer = NULL;
  g_autoptr(GString) response = NULL;
  g_autoptr(JsonNode) reply = NULL;
  GPid pid;
  guint idle_fds;
  guint status;

  g_assert_cmpuint (strlen (body), ==, 50);
  fixture_start (fixture, 0, args);
  pid = fest_test_server_get_pid (fixture->server);
  idle_fds = server_fd_count (fixture);

  /* The address's two connections: a station's, idle between requests, and a new one. */
  station = client_connect (fixture);
  assert_health_keep_alive (station);
  client = client_connect (fixture);
  /* Accepted (and its first read done) before the server stops. */
  while (server_fd_count (fixture) < idle_fds + 2)
    g_usleep (5 * 1000);
  g_usleep (50 * 1000);

  /* While the server is stopped, the request's headers arrive, and a third connection (the
   * kernel completes it): the server meets both in one turn. */
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  wait_for_stopped (pid);
  g_assert_true (client_send (client, headers, strlen (headers)));
  newcomer = client_connect (fixture);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  /* The body follows a moment later (a client writes headers and body apart), and the request
   * is answered. */
  g_usleep (100 * 1000);
  g_assert_true (client_send (client, body, strlen (body)));
  response = client_read_all (client);
  g_assert_cmpuint (response->len, >, 0);
  status = parse_response (response, &reply);
  g_assert_cmpuint (status, >=, 400);
  g_assert_cmpuint (status, <, 500);
  g_assert_nonnull (reply);

  /* The newcomer got in. */
  {
    static const char request[] = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                  "Connection: close\r\n\r\n";
    g_autoptr(GString) health = NULL;

    g_assert_true (client_send (newcomer, request, strlen (request)));
    health = client_read_all (newcomer);
    g_assert_cmpuint (health->len, >, 0);
    g_assert_cmpuint (parse_response (health, NULL), ==, 200);
  }
}

/* Headers sent one byte at a time (each byte used to put the idle timeout off again) are cut at
 * the header deadline. */
static void
test_header_deadline (Fixture       *fixture,
                      gconstpointer  data)
{
  const char * const args[] = { "--header-timeout", "2", NULL };
  g_autoptr(GSocket) client = NULL;
  gint64 started;
  gint64 elapsed_ms;
  gboolean closed = FALSE;

  fixture_start (fixture, 0, args);
  client = client_connect (fixture);
  started = g_get_monotonic_time ();

  for (guint i = 0; !closed && g_get_monotonic_time () - started < 8 * G_USEC_PER_SEC; i++)
    {
      g_autoptr(GError) error = NULL;
      char byte = TRICKLE_REQUEST[i % strlen (TRICKLE_REQUEST)];
      char buffer[256];

      closed = !client_send (client, &byte, 1);
      g_usleep (G_USEC_PER_SEC / 2);
      g_socket_set_blocking (client, FALSE);
      if (g_socket_receive (client, buffer, sizeof buffer, NULL, &error) == 0
          || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED))
        closed = TRUE;
      g_socket_set_blocking (client, TRUE);
    }
  elapsed_ms = (g_get_monotonic_time () - started) / 1000;
  g_test_message ("closed after %" G_GINT64_FORMAT " ms", elapsed_ms);

  g_assert_true (closed);
  /* The sweep runs every second. */
  g_assert_cmpint (elapsed_ms, >=, 1500);
  g_assert_cmpint (elapsed_ms, <=, 4500);
}

/* Headers over the limit get a 431 in the error envelope, not a reset. */
static void
test_headers_too_large (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GString) request = g_string_new ("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n");
  g_autoptr(GString) response = NULL;
  g_autoptr(JsonNode) body = NULL;

  fixture_start (fixture, 0, NULL);
  for (guint i = 0; request->len < 100 * 1024; i++)
    g_string_append_printf (request, "X-Filler-%u: %0200u\r\n", i, i);
  g_string_append (request, "\r\n");

  client = client_connect (fixture);
  /* The server may stop reading before the end. */
  client_send (client, request->str, request->len);
  response = client_read_all (client);
  g_assert_cmpuint (response->len, >, 0);
  g_assert_cmpuint (parse_response (response, &body), ==, 431);
  fest_test_assert_error (body, "HEADERS_TOO_LARGE", NULL);
  g_assert_nonnull (strstr (response->str, "Connection: close\r\n"));

  /* Headers within the limit are fine. */
  assert_health (fixture, "127.0.0.1", 1000);
}

/* A Content-Length over the body limit is answered with 413 as soon as the headers are in, not
 * after the body (or the idle timeout, when the client waits for an answer first). */
static void
test_body_too_large (Fixture       *fixture,
                     gconstpointer  data)
{
  static const char headers[] = "POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                                "Content-Type: application/json\r\n"
                                "Content-Length: 100000000\r\n\r\n";

  fixture_start (fixture, 0, NULL);

  /* Headers alone, then headers and the start of the body. */
  for (guint round = 0; round < 2; round++)
    {
      g_autoptr(GSocket) client = client_connect (fixture);
      g_autoptr(GString) response = NULL;
      g_autoptr(JsonNode) body = NULL;
      gint64 started = g_get_monotonic_time ();
      gint64 elapsed_ms;

      g_assert_true (client_send (client, headers, strlen (headers)));
      if (round == 1)
        {
          g_autofree char *start = g_strnfill (64 * 1024, 'x');

          client_send (client, start, 64 * 1024);
        }
      response = client_read_all (client);
      elapsed_ms = (g_get_monotonic_time () - started) / 1000;
      g_test_message ("413 after %" G_GINT64_FORMAT " ms", elapsed_ms);

      g_assert_cmpuint (response->len, >, 0);
      g_assert_cmpuint (parse_response (response, &body), ==, 413);
      fest_test_assert_error (body, "PAYLOAD_TOO_LARGE", NULL);
      g_assert_cmpint (elapsed_ms, <, 500 * SLOWDOWN);
    }

  assert_health (fixture, "127.0.0.1", 1000);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/connections/websocket-sessions-freed", Fixture, NULL, NULL,
              test_websocket_sessions_freed, fixture_teardown);
  g_test_add ("/fest/connections/slow-clients-one-address", Fixture, NULL, NULL,
              test_slow_clients_one_address, fixture_teardown);
  g_test_add ("/fest/connections/slow-clients-many-addresses", Fixture, NULL, NULL,
              test_slow_clients_many_addresses, fixture_teardown);
  g_test_add ("/fest/connections/trusted-proxy-uncapped", Fixture, NULL, NULL,
              test_trusted_proxy_uncapped, fixture_teardown);
  g_test_add ("/fest/connections/closed-by-client-freed", Fixture, NULL, NULL,
              test_closed_by_client_freed, fixture_teardown);
  g_test_add ("/fest/connections/request-on-its-way-kept", Fixture, NULL, NULL,
              test_request_on_its_way_kept, fixture_teardown);
  g_test_add ("/fest/connections/header-deadline", Fixture, NULL, NULL, test_header_deadline,
              fixture_teardown);
  g_test_add ("/fest/connections/headers-too-large", Fixture, NULL, NULL, test_headers_too_large,
              fixture_teardown);
  g_test_add ("/fest/connections/body-too-large", Fixture, NULL, NULL, test_body_too_large,
              fixture_teardown);

  return g_test_run ();
}
