/* test-net.c: the server's connection layer (FestNet) on its own, over real loopback sockets:
 * writes gathered into one segment per main-loop turn, output the client is slow to take, and a
 * connection closed while its output is still on its way
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <linux/tcp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "fest-net.h"

#define CHUNK 1000

typedef struct
{
  FestNet        *net;
  GSocket        *listener;
  GSocketAddress *address;
  GIOStream      *accepted;   /* the last connection accepted */
} Fixture;

static void
accept_cb (GIOStream      *stream,
           GSocketAddress *local,
           GSocketAddress *remote,
           gpointer        user_data)
{
  Fixture *fixture = user_data;

  g_clear_object (&fixture->accepted);
  fixture->accepted = g_object_ref (stream);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GError) error = NULL;

  fixture->net = fest_net_new (accept_cb, fixture);
  fixture->listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                    G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (fixture->listener, any_port, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (fixture->listener, &error));
  g_assert_no_error (error);
  fixture->address = g_socket_get_local_address (fixture->listener, &error);
  g_assert_no_error (error);
  g_assert_true (fest_net_listen (fixture->net, fixture->listener, &error));
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->accepted);
  fest_net_free (fixture->net);
  g_object_unref (fixture->listener);
  g_object_unref (fixture->address);
}

/* Runs what is ready in the main context, without blocking. */
static void
turn (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* A connected client, non-blocking, with a small receive buffer when @rcvbuf is not 0; the
 * server side is in fixture->accepted. */
static GSocket *
connect_client (Fixture *fixture,
                int      rcvbuf)
{
  g_autoptr(GError) error = NULL;
  GSocket *client;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_clear_object (&fixture->accepted);
  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  if (rcvbuf > 0)
    {
      g_assert_true (g_socket_set_option (client, SOL_SOCKET, SO_RCVBUF, rcvbuf, &error));
      g_assert_no_error (error);
      /* The server side's send buffer is fixed too (an accepted socket has the listener's):
       * growing by itself, it could take in the output the test holds in FestNet, which would
       * then close a connection the test expects open. */
      g_assert_true (g_socket_set_option (fixture->listener, SOL_SOCKET, SO_SNDBUF, rcvbuf, &error));
      g_assert_no_error (error);
    }
  g_assert_true (g_socket_connect (client, fixture->address, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_blocking (client, FALSE);

  while (fixture->accepted == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  return client;
}

static guint
data_segments_in (GSocket *client)
{
  struct tcp_info info = { 0 };
  socklen_t length = sizeof info;

  g_assert_cmpint (getsockopt (g_socket_get_fd (client), IPPROTO_TCP, TCP_INFO, &info, &length), ==, 0);
  return info.tcpi_data_segs_in;
}

/* Receives what has arrived into @received, turning the server's main loop meanwhile, until
 * @want bytes are there, the end of the stream (returns TRUE), or @timeout_ms. */
static gboolean
receive (GSocket    *client,
         GByteArray *received,
         gsize       want,
         guint       timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (received->len < want && g_get_monotonic_time () < deadline)
    {
      g_autoptr(GError) error = NULL;
      guint8 buffer[64 * 1024];
      gssize n;

      turn ();
      n = g_socket_receive (client, (char *) buffer, sizeof buffer, NULL, &error);
      if (n == 0)
        return TRUE;
      if (n > 0)
        g_byte_array_append (received, buffer, (guint) n);
      else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        g_usleep (1000);
      else
        g_assert_no_error (error);
    }
  return FALSE;
}

/* Bytes of a known pattern, so that a lost or repeated piece shows. */
static void
fill_chunk (guint8 *chunk,
            gsize   offset)
{
  for (gsize i = 0; i < CHUNK; i++)
    chunk[i] = (guint8) ((offset + i) % 251);
}

static void
assert_pattern (GByteArray *received)
{
  for (gsize i = 0; i < received->len; i++)
    if (received->data[i] != (guint8) (i % 251))
      g_error ("byte %" G_GSIZE_FORMAT " of the output is wrong", i);
}

/* Writes chunks of the pattern, from @offset on, to the server side without blocking until the
 * output is full: the kernel's buffers and FestNet's own. Returns the bytes accepted. */
static gsize
write_more_until_full (Fixture *fixture,
                       gsize    offset)
{
  GPollableOutputStream *output =
    G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (fixture->accepted));
  gsize written = offset;

  for (;;)
    {
      g_autoptr(GError) error = NULL;
      guint8 chunk[CHUNK];
      gssize n;

      fill_chunk (chunk, written);
      n = g_pollable_output_stream_write_nonblocking (output, chunk, CHUNK, NULL, &error);
      if (n < 0)
        {
          g_assert_error (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
          g_assert_false (g_pollable_output_stream_is_writable (output));
          return written - offset;
        }
      /* A chunk is taken whole or not at all until the output is nearly full. */
      written += (gsize) n;
      if (n < CHUNK)
        return written - offset;
      /* Let the gathered output go to the kernel now and then, as the server's loop does. */
      if (written % (16 * CHUNK) == 0)
        turn ();
    }
}

static gsize
write_until_full (Fixture *fixture)
{
  return write_more_until_full (fixture, 0);
}

static guint
count_sockets (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/fd", name, NULL);
      g_autofree char *target = g_file_read_link (path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        count++;
    }
  return count;
}

/* Closes the server side of the connection as libsoup does; returns the sockets open before. */
static guint
close_accepted (Fixture *fixture)
{
  guint sockets = count_sockets ();

  g_assert_true (g_io_stream_close (fixture->accepted, NULL, NULL));
  g_clear_object (&fixture->accepted);
  return sockets;
}

/* Turns the main loop until at most @sockets are open; fails after 5 s. */
static void
wait_for_sockets (guint sockets)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (count_sockets () > sockets)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      turn ();
      g_usleep (10 * 1000);
    }
}

/* Closes @client with a reset (RST) instead of an orderly end. */
static void
reset_client (GSocket *client)
{
  struct linger reset = { .l_onoff = 1, .l_linger = 0 };

  g_assert_cmpint (setsockopt (g_socket_get_fd (client), SOL_SOCKET, SO_LINGER, &reset, sizeof reset), ==, 0);
  g_socket_close (client, NULL);
}

/* Ten writes in one main-loop turn leave as one TCP segment, after the turn. */
static void
test_gathered_writes (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 0);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  GPollableOutputStream *output =
    G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (fixture->accepted));
  guint segments = data_segments_in (client);
  guint8 chunk[100];

  for (guint i = 0; i < 10; i++)
    {
      g_autoptr(GError) error = NULL;

      for (gsize b = 0; b < sizeof chunk; b++)
        chunk[b] = (guint8) ((i * sizeof chunk + b) % 251);
      g_assert_cmpint (g_pollable_output_stream_write_nonblocking (output, chunk, sizeof chunk, NULL, &error),
                       ==, sizeof chunk);
      g_assert_no_error (error);
    }

  /* Nothing has left before the loop turns. */
  g_usleep (50 * 1000);
  g_assert_cmpuint (data_segments_in (client), ==, segments);

  g_assert_false (receive (client, received, 10 * sizeof chunk, 5000));
  g_assert_cmpuint (received->len, ==, 10 * sizeof chunk);
  assert_pattern (received);
  g_assert_cmpuint (data_segments_in (client) - segments, ==, 1);
}

/* Small and large writes in one turn, larger than the gathering buffer together: everything
 * arrives, in order. */
static void
test_mixed_writes (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 0);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  GPollableOutputStream *output =
    G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (fixture->accepted));
  const gsize sizes[] = { 10 * 1024, 100 * 1024, 100, 60 * 1024, 20 * 1024, 7 };
  g_autofree guint8 *pattern = g_malloc (256 * 1024);
  gsize total = 0;

  for (gsize i = 0; i < 256 * 1024; i++)
    pattern[i] = (guint8) (i % 251);

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      gsize done = 0;

      while (done < sizes[i])
        {
          g_autoptr(GError) error = NULL;
          gssize n = g_pollable_output_stream_write_nonblocking (output, pattern + total + done,
                                                                 sizes[i] - done, NULL, &error);

          g_assert_no_error (error);
          g_assert_cmpint (n, >, 0);
          done += (gsize) n;
        }
      total += done;
    }

  g_assert_false (receive (client, received, total, 5000));
  g_assert_cmpuint (received->len, ==, total);
  assert_pattern (received);
}

/* Output the client does not take: the writer meets G_IO_ERROR_WOULD_BLOCK, then the connection
 * is closed. What was accepted still arrives, whole and in order, then the end of the stream. */
static void
test_close_with_output_pending (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 4096);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  guint sockets;
  gsize written;

  written = write_until_full (fixture);
  g_test_message ("%" G_GSIZE_FORMAT " bytes taken before the output was full", written);
  g_assert_cmpuint (written, >, 64 * 1024);

  sockets = close_accepted (fixture);
  /* Closed for its user, not yet for the kernel: the rest is still to be sent. */
  turn ();
  g_assert_cmpuint (count_sockets (), ==, sockets);

  g_assert_true (receive (client, received, G_MAXSIZE, 20000));
  g_assert_cmpuint (received->len, ==, written);
  assert_pattern (received);
  /* The server's socket is closed once its output is out. */
  turn ();
  g_assert_cmpuint (count_sockets (), ==, sockets - 1);
}

/* A closed connection whose client never reads again is not kept forever: it is dropped after
 * the idle timeout. */
static void
test_close_pending_timeout (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 4096);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  guint sockets;
  gsize written;

  fest_net_set_idle_timeout (fixture->net, 1);
  written = write_until_full (fixture);
  sockets = close_accepted (fixture);
  wait_for_sockets (sockets - 1);
  g_assert_cmpuint (count_sockets (), ==, sockets - 1);

  /* What the kernel had still arrives, then the end of the stream. The rest of FestNet's own
   * buffer went at the close if the kernel had room by then, else it was dropped. */
  g_assert_true (receive (client, received, G_MAXSIZE, 20000));
  g_assert_cmpuint (received->len, <=, written);
  assert_pattern (received);
}

/* A client that closes its side after its request and reads the answer slowly: the output the
 * server still holds is not taken for an idle connection's. All of it arrives; then, with
 * nothing left to send, the server closes the connection. */
static void
test_half_closed_peer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 4096);
  g_autoptr(GByteArray) received = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  gint64 until;
  gsize written;

  fest_net_set_idle_timeout (fixture->net, 1);
  g_assert_true (g_socket_shutdown (client, FALSE, TRUE, &error));
  g_assert_no_error (error);
  written = write_until_full (fixture);

  /* Sweeps pass while the client does not read, and the server keeps its output full (the
   * kernel finds room now and then). */
  until = g_get_monotonic_time () + 2500 * 1000;
  while (g_get_monotonic_time () < until)
    {
      turn ();
      written += write_more_until_full (fixture, written);
      g_usleep (10 * 1000);
    }

  g_assert_false (receive (client, received, written, 20000));
  g_assert_cmpuint (received->len, ==, written);
  assert_pattern (received);
  /* Nothing more, then the end of the stream. */
  g_assert_true (receive (client, received, G_MAXSIZE, 10000));
  g_assert_cmpuint (received->len, ==, written);
}

/* A client that resets the connection while the server still has output for it: the server's
 * socket is closed at once, without waiting for a timeout (there is none here). */
static void
test_close_pending_reset (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 4096);
  guint sockets;

  write_until_full (fixture);
  sockets = close_accepted (fixture);
  turn ();
  g_assert_cmpuint (count_sockets (), ==, sockets);

  /* Both ends go: the client's at once, the server's when it meets the reset. */
  reset_client (client);
  wait_for_sockets (sockets - 2);
}

/* Writes on a closed connection fail; so does a write after the peer went away. */
static void
test_write_after_close (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GSocket) client = connect_client (fixture, 0);
  g_autoptr(GIOStream) stream = g_object_ref (fixture->accepted);
  GPollableOutputStream *output = G_POLLABLE_OUTPUT_STREAM (g_io_stream_get_output_stream (stream));
  g_autoptr(GError) error = NULL;
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  reset_client (client);

  /* The reset reaches the server at the first send; the write after it reports it. */
  for (;;)
    {
      gssize n = g_pollable_output_stream_write_nonblocking (output, "x", 1, NULL, &error);

      if (n < 0)
        break;
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      turn ();
      g_usleep (10 * 1000);
    }
  g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED) ||
                 g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE));
  g_clear_error (&error);

  g_assert_true (g_io_stream_close (stream, NULL, NULL));
  g_assert_cmpint (g_pollable_output_stream_write_nonblocking (output, "x", 1, NULL, &error), ==, -1);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/net/gathered-writes", Fixture, NULL, fixture_setup, test_gathered_writes,
              fixture_teardown);
  g_test_add ("/fest/net/mixed-writes", Fixture, NULL, fixture_setup, test_mixed_writes,
              fixture_teardown);
  g_test_add ("/fest/net/close-with-output-pending", Fixture, NULL, fixture_setup,
              test_close_with_output_pending, fixture_teardown);
  g_test_add ("/fest/net/close-pending-timeout", Fixture, NULL, fixture_setup,
              test_close_pending_timeout, fixture_teardown);
  g_test_add ("/fest/net/half-closed-peer", Fixture, NULL, fixture_setup, test_half_closed_peer,
              fixture_teardown);
  g_test_add ("/fest/net/close-pending-reset", Fixture, NULL, fixture_setup,
              test_close_pending_reset, fixture_teardown);
  g_test_add ("/fest/net/write-after-close", Fixture, NULL, fixture_setup, test_write_after_close,
              fixture_teardown);

  return g_test_run ();
}
