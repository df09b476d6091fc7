/* fest-net-socket.c: one accepted connection of the FestNet: reads, gathered writes, the
 * request headers followed on the wire, closing, draining, and the sources libsoup waits on
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See fest-net.c for why the server has its own sockets and streams.
 */

#include "config.h"

#include <errno.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fest-net-private.h"

/* An idle connection keeps a buffer that held at most this much (a usual response). */
#define OUT_BUFFER_KEPT (8 * 1024)

/* NetSocket */

/* Closes now; output the kernel cannot take at once is dropped. */
void
_fest_net_socket_close (NetSocket *s)
{
  gboolean lingered = s->lingering;

  if (s->fd >= 0)
    _fest_net_socket_flush (s);
  if (s->out != NULL)
    g_byte_array_set_size (s->out, 0);

  if (s->net != NULL)
    {
      /* Before close(): a duplicated fd (a fork) would otherwise stay in the set. */
      epoll_ctl (s->net->epfd, EPOLL_CTL_DEL, s->fd, NULL);
      g_queue_unlink (&s->net->sockets, &s->link);
      if (s->dirty)
        g_queue_unlink (&s->net->dirty, &s->dirty_link);
      if (s->client != NULL)
        {
          g_queue_unlink (&s->client->sockets, &s->client_link);
          if (s->client->sockets.length == 0)
            g_hash_table_remove (s->net->clients, s->client->address);
          s->client = NULL;
        }
      s->net = NULL;
    }
  s->dirty = FALSE;
  if (s->fd >= 0)
    {
      g_socket_close (s->socket, NULL);
      s->fd = -1;
    }
  /* Whatever waits on it runs, and meets G_IO_ERROR_CLOSED. */
  s->finished = TRUE;
  s->readable = TRUE;
  s->writable = TRUE;
  s->lingering = FALSE;
  s->drain = FALSE;
  if (lingered)
    _fest_net_socket_unref (s);
}

/* Ends our side once the output is out; the socket closes when the peer ends its side too (see
 * _fest_net_socket_drain_input()) or after DRAIN_US. */
void
_fest_net_socket_shut_write (NetSocket *s)
{
  if (s->write_shut || s->fd < 0)
    return;
  s->write_shut = TRUE;
  shutdown (s->fd, SHUT_WR);
}

/* Reads and drops what the peer of a refused connection still sends: closing with unread input
 * would reset the connection, and the client could lose the refusal. */
void
_fest_net_socket_drain_input (NetSocket *s)
{
  for (;;)
    {
      char buffer[16 * 1024];
      ssize_t n = recv (s->fd, buffer, sizeof buffer, 0);

      if (n > 0)
        continue;
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
      /* The end of its stream (once our output is out), or an error: nothing more to wait
       * for. */
      if (n == 0 && !s->write_shut && s->send_errno == 0)
        return;
      _fest_net_socket_close (s);
      return;
    }
}

/* Closes once its output is sent (libsoup is done with it). */
void
_fest_net_socket_finish (NetSocket *s)
{
  if (s->finished)
    return;

  s->finished = TRUE;
  /* Whatever waits on it runs, and meets G_IO_ERROR_CLOSED. */
  s->readable = TRUE;
  s->writable = TRUE;
  if (s->drain && s->fd >= 0 && s->net != NULL)
    {
      /* The flush source sends, ends our side and drains. */
      s->lingering = TRUE;
      s->drain_started = s->net->now;
      net_socket_ref (s);
      net_socket_mark_dirty (s);
      return;
    }
  if (s->fd >= 0 && s->net != NULL && s->out != NULL && s->out->len > 0
      && !_fest_net_socket_flush (s) && s->send_errno == 0)
    {
      s->lingering = TRUE;
      net_socket_ref (s);
      return;
    }
  _fest_net_socket_close (s);
}

/* The peer ended its stream and libsoup, done with the connection's last request, waits for
 * another that cannot come (see "Closed by the peer" at the top). Closed once its output is out:
 * a client that closes only its side after a request still gets all of the answer. Left to
 * libsoup while a request is under way, and a WebSocket to its own close handshake. */
void
_fest_net_socket_close_if_ended (NetSocket *s)
{
  if (s->peer_ended && !s->finished && !s->busy && !s->keep_alive
      && (s->out == NULL || s->out->len == 0))
    _fest_net_socket_close (s);
}

static void
net_socket_clear (gpointer data)
{
  NetSocket *s = data;

  _fest_net_socket_close (s);
  if (s->out != NULL)
    g_byte_array_unref (s->out);
  g_object_unref (s->socket);
}

void
_fest_net_socket_unref (NetSocket *s)
{
  g_rc_box_release_full (s, net_socket_clear);
}

static void
set_closed_error (GError **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, "Socket is already closed");
}

static void
set_errno_error (GError     **error,
                 int          errsv,
                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "Error %s data: %s", what,
               g_strerror (errsv));
}

/* Follows the headers of the request on its way as they arrive. FALSE when they have grown over
 * the limit. */
static gboolean
net_socket_scan_headers (NetSocket    *s,
                         const guint8 *data,
                         gsize         length)
{
  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == '\n')
        {
          /* An empty line ends them. */
          if (s->header_line == 0)
            {
              s->headers_done = TRUE;
              s->header_bytes += i + 1;
              return s->header_bytes <= s->net->header_limit;
            }
          s->header_line = 0;
        }
      else if (data[i] != '\r')
        s->header_line++;
    }
  s->header_bytes += length;
  return s->header_bytes <= s->net->header_limit;
}

/* Headers over the limit: libsoup 3.2 would reset the connection (at 64 KiB). The client gets
 * the refusal set with fest_net_set_header_limit() instead, then the connection ends. */
static void
net_socket_refuse_headers (NetSocket *s)
{
  gsize size;
  const guint8 *refusal = g_bytes_get_data (s->net->header_refusal, &size);

  g_debug ("Refusing a request whose headers exceed %" G_GSIZE_FORMAT " bytes",
           s->net->header_limit);
  if (s->out == NULL)
    s->out = g_byte_array_sized_new ((guint) size);
  g_byte_array_append (s->out, refusal, (guint) size);
  s->drain = TRUE;
  _fest_net_socket_finish (s);
}

gssize
_fest_net_socket_recv (NetSocket  *s,
                       void       *buffer,
                       gsize       count,
                       GError    **error)
{
  if (s->finished)
    {
      set_closed_error (error);
      return -1;
    }

  for (;;)
    {
      ssize_t n = recv (s->fd, buffer, count, 0);
      int errsv;

      if (n >= 0)
        {
          /* Less than asked: the kernel had no more (the next arrival is a new edge). At the
           * end of the stream (0) reads must go on returning 0. */
          if (n == 0 && count > 0)
            {
              /* The flush source closes it once libsoup is done with it (see
               * _fest_net_socket_close_if_ended()): libsoup 3.2 would keep it open. */
              s->peer_ended = TRUE;
              net_socket_mark_dirty (s);
            }
          if (n > 0)
            {
              note_progress (s);
              if ((gsize) n < count)
                s->readable = FALSE;
              if (!s->busy && !s->keep_alive && s->net != NULL)
                {
                  /* The header deadline runs from a request's first byte. */
                  if (s->request_started == 0)
                    s->request_started = s->net->now;
                  if (s->net->header_limit > 0 && !s->headers_done
                      && !net_socket_scan_headers (s, buffer, (gsize) n))
                    {
                      net_socket_refuse_headers (s);
                      set_closed_error (error);
                      return -1;
                    }
                }
            }
          return n;
        }

      errsv = errno;
      if (errsv == EINTR)
        continue;
      if (errsv == EAGAIN || errsv == EWOULDBLOCK)
        s->readable = FALSE;
      set_errno_error (error, errsv, "receiving");
      return -1;
    }
}

/* Sends what was gathered, as far as the kernel takes it. Returns TRUE when nothing is left. A
 * failure drops the output and is reported by the next write. */
gboolean
_fest_net_socket_flush (NetSocket *s)
{
  gsize done = 0;

  if (s->out == NULL)
    return TRUE;

  while (done < s->out->len)
    {
      ssize_t n = send (s->fd, s->out->data + done, s->out->len - done, MSG_NOSIGNAL);

      if (n >= 0)
        {
          done += (gsize) n;
          if (done < s->out->len)
            {
              /* Short: the kernel's buffer is full until the next EPOLLOUT. */
              s->writable = FALSE;
              break;
            }
        }
      else if (errno == EINTR)
        continue;
      else if (errno == EAGAIN || errno == EWOULDBLOCK)
        {
          s->writable = FALSE;
          break;
        }
      else
        {
          s->send_errno = errno;
          done = s->out->len;
          /* Waiters run, and meet the error. */
          s->readable = TRUE;
          s->writable = TRUE;
        }
    }

  if (done == s->out->len && done > OUT_BUFFER_KEPT)
    {
      /* A burst: do not keep its memory for the life of the connection. */
      note_progress (s);
      g_clear_pointer (&s->out, g_byte_array_unref);
      return TRUE;
    }
  if (done > 0)
    {
      note_progress (s);
      g_byte_array_remove_range (s->out, 0, (guint) done);
    }
  return s->out->len == 0;
}

gssize
_fest_net_socket_send (NetSocket   *s,
                       const void  *buffer,
                       gsize        count,
                       gboolean     gather,
                       GError     **error)
{
  if (s->finished)
    {
      set_closed_error (error);
      return -1;
    }
  if (s->send_errno != 0)
    {
      set_errno_error (error, s->send_errno, "sending");
      return -1;
    }

  if (s->out != NULL && s->out->len > 0)
    {
      if (s->out->len + count > OUT_BUFFER_MAX && !_fest_net_socket_flush (s))
        {
          if (s->send_errno != 0)
            set_errno_error (error, s->send_errno, "sending");
          else
            g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                                 "Error sending data: the output buffer is full");
          return -1;
        }
      /* What is left of earlier output goes first. */
      if (s->out != NULL && s->out->len > 0)
        gather = TRUE;
    }

  if (gather && count <= OUT_BUFFER_MAX && s->net != NULL && g_thread_self () == s->net->thread)
    {
      gsize room = OUT_BUFFER_MAX - (s->out != NULL ? s->out->len : 0);

      if (s->out == NULL)
        s->out = g_byte_array_sized_new (4096);
      count = MIN (count, room);
      g_byte_array_append (s->out, buffer, (guint) count);
      net_socket_mark_dirty (s);
      return (gssize) count;
    }

  for (;;)
    {
      ssize_t n = send (s->fd, buffer, count, MSG_NOSIGNAL);
      int errsv;

      if (n >= 0)
        {
          note_progress (s);
          if ((gsize) n < count)
            s->writable = FALSE;
          return n;
        }

      errsv = errno;
      if (errsv == EINTR)
        continue;
      if (errsv == EAGAIN || errsv == EWOULDBLOCK)
        s->writable = FALSE;
      set_errno_error (error, errsv, "sending");
      return -1;
    }
}

static gboolean
net_socket_wait (NetSocket     *s,
                 GIOCondition   condition,
                 GCancellable  *cancellable,
                 GError       **error)
{
  GPollFD fds[2] = { { .fd = s->fd, .events = condition } };
  guint n_fds = 1;

  if (s->fd < 0)
    {
      set_closed_error (error);
      return FALSE;
    }
  if (g_cancellable_make_pollfd (cancellable, &fds[1]))
    n_fds++;

  while (g_poll (fds, n_fds, -1) < 0 && errno == EINTR)
    ;
  if (n_fds > 1)
    g_cancellable_release_fd (cancellable);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}

/* Blocking I/O (nothing in the server uses it, but the stream classes must offer it): the
 * non-blocking call, and a wait for the socket in between. */
gssize
_fest_net_socket_blocking (NetSocket     *s,
                           GIOCondition   condition,
                           void          *buffer,
                           gsize          count,
                           GCancellable  *cancellable,
                           GError       **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = condition == G_IO_IN
                 ? _fest_net_socket_recv (s, buffer, count, &local_error)
                 : _fest_net_socket_send (s, buffer, count, FALSE, &local_error);

      if (n >= 0 || !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return n;
        }
      if (!net_socket_wait (s, condition, cancellable, error))
        return -1;
    }
}

/* Sources: no fd, ready when the socket's flag is */

typedef struct
{
  GSource       source;
  NetSocket    *socket;
  GObject      *stream;
  GIOCondition  condition;
} WaitSource;

static gboolean
wait_source_ready (WaitSource *ws)
{
  NetSocket *s = ws->socket;

  /* Closed: whatever waits runs, and meets G_IO_ERROR_CLOSED. */
  if (s->finished)
    return TRUE;
  return (ws->condition & G_IO_IN) ? s->readable : s->writable;
}

static gboolean
wait_source_prepare (GSource *source,
                     gint    *timeout)
{
  *timeout = -1;
  return wait_source_ready ((WaitSource *) source);
}

static gboolean
wait_source_check (GSource *source)
{
  return wait_source_ready ((WaitSource *) source);
}

static gboolean
wait_source_dispatch (GSource     *source,
                      GSourceFunc  callback,
                      gpointer     user_data)
{
  WaitSource *ws = (WaitSource *) source;
  GPollableSourceFunc func = (GPollableSourceFunc) (void (*) (void)) callback;

  return func != NULL ? func (ws->stream, user_data) : G_SOURCE_REMOVE;
}

static void
wait_source_finalize (GSource *source)
{
  WaitSource *ws = (WaitSource *) source;

  ws->socket->n_waits--;
  _fest_net_socket_unref (ws->socket);
  g_object_unref (ws->stream);
}

/* As GPollableSource's, for g_source_set_closure() and g_source_set_dummy_callback(). */
static gboolean
wait_source_closure_callback (GObject  *stream,
                              gpointer  data)
{
  GClosure *closure = data;
  GValue param = G_VALUE_INIT;
  GValue result_value = G_VALUE_INIT;
  gboolean result;

  g_value_init (&result_value, G_TYPE_BOOLEAN);
  g_value_init (&param, G_TYPE_OBJECT);
  g_value_set_object (&param, stream);
  g_closure_invoke (closure, &result_value, 1, &param, NULL);
  result = g_value_get_boolean (&result_value);
  g_value_unset (&result_value);
  g_value_unset (&param);
  return result;
}

static GSourceFuncs wait_source_funcs = {
  wait_source_prepare,
  wait_source_check,
  wait_source_dispatch,
  wait_source_finalize,
  G_SOURCE_FUNC (wait_source_closure_callback),
  NULL,
};

GSource *
_fest_net_wait_source_new (NetSocket    *s,
                           GObject      *stream,
                           GIOCondition  condition,
                           GCancellable *cancellable)
{
  GSource *source = g_source_new (&wait_source_funcs, sizeof (WaitSource));
  WaitSource *ws = (WaitSource *) source;

  g_source_set_static_name (source, "FestNetWait");
  ws->socket = net_socket_ref (s);
  ws->stream = g_object_ref (stream);
  ws->condition = condition;
  if (s->n_waits++ == 0)
    note_progress (s);

  if (cancellable != NULL)
    {
      GSource *cancellable_source = g_cancellable_source_new (cancellable);

      g_source_set_dummy_callback (cancellable_source);
      g_source_add_child_source (source, cancellable_source);
      g_source_unref (cancellable_source);
    }
  return source;
}

/* Whether the peer has sent what the server has not read yet (the epoll turn that saw it has not
 * reached libsoup, or it came since). The readable flag would not tell: it is also set on a new
 * connection before anything came, and by a hang-up. */
gboolean
_fest_net_socket_has_input (NetSocket *s)
{
  int pending = 0;

  return ioctl (s->fd, FIONREAD, &pending) == 0 && pending > 0;
}
