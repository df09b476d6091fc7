/* fest-net.c: the server's sockets: one epoll set for every connection, the streams libsoup
 * reads and writes through, idle timeouts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Why not libsoup's own listener and GSocketConnection streams: each time libsoup 3.2 waits on a
 * socket it attaches a GSocketSource nested two or three deep (SoupMessageIOSource, then
 * GPollableSources, then the GSocketSource). GLib 2.74 adds the socket to the main context's
 * poll set when it is attached, removes it while each level is dispatched (non-recursive
 * sources are blocked) and adds it back after, and every add or remove writes to the context's
 * wakeup eventfd: about eight write(2) per HTTP request, and as many extra main-loop iterations,
 * each polling every connection again. On a paravirtualised machine, where a syscall costs
 * microseconds, that was most of the HTTP thread's time.
 *
 * Here each accepted socket is registered once, edge-triggered, in one epoll set. The epoll fd
 * is the only fd of ours in the main context, in a permanent source that may recurse (GLib
 * never blocks it). Its dispatch only records which sockets became readable or writable. The
 * streams libsoup gets (FestNetConnection, a GIOStream over the socket) make sources without
 * fds, ready when their socket's flag is set: waiting and ceasing to wait cost no syscall. A
 * read or write clears the flag when the kernel had less than was asked (a short transfer or
 * EAGAIN); with edge triggering, the next arrival of data or of buffer space sets it again.
 *
 * Idle timeouts (libsoup 3.2 has none): a connection on which libsoup has been waiting (one of
 * our sources alive) without a byte moving for the timeout is closed. That covers a client that
 * connects and says nothing, trickles its headers or body, does not read its response, or leaves
 * a keep-alive connection idle. A request libsoup is not waiting on (paused while its group
 * commit runs) never times out; WebSocket connections leave the timeouts (their peers are checked
 * by pings).
 *
 * Closed by the peer: libsoup 3.2.3 never closes a keep-alive connection the client closes while
 * it is idle (fixed upstream in 3.3.0, "Don't leak idle connections closed by the client"). When
 * a read meets the end of the peer's stream and no request is under way, the connection is
 * closed here before the next poll, once its output is out (a client may close its side and
 * still read the answer): a client that closes and reopens connections quickly would otherwise
 * pile dead ones up against its address's cap. A hang-up libsoup does not read, seen on two
 * sweeps in a row with no request under way, is closed too. What libsoup keeps of such a
 * connection is a few hundred bytes until shutdown.
 *
 * Limits against clients that hold connections (slowloris): a total deadline for each request's
 * line and headers (the idle timeout alone restarts at every byte), a cap per client address, and
 * a reserve of file descriptors below the process's limit (see make_room()). Headers over a
 * limit get a canned refusal (431) instead of libsoup's reset. A refused connection drains: our
 * side ends once the refusal is sent, and what the client still sends is dropped until it ends
 * too (or DRAIN_US), since closing with unread input would reset the connection and the client
 * could lose the refusal.
 *
 * Closing a socket here is always safe: every read and write goes through these streams, which
 * answer G_IO_ERROR_CLOSED from then on, and the fd leaves the epoll set before it is closed.
 *
 * Writes are gathered: libsoup writes a response's headers and its body in two calls, and each
 * send(2) on its own is a whole trip through TCP (and, over loopback or to a LAN client, a wakeup
 * of the reader per segment): about a third of the HTTP thread's time under load. What the main
 * thread writes without blocking is appended to the socket's output buffer (up to
 * OUT_BUFFER_MAX) and sent before the main context polls again, by the prepare function of a
 * source of the highest priority that is never ready itself: once per loop turn, after every
 * callback of the turn has written. A response is therefore one send(2), and so are the responses
 * of a group commit that go to one pipelining client. A send the kernel cannot take whole keeps
 * the rest for the next EPOLLOUT. A blocking write goes straight to the socket unless output is
 * already gathered (it then queues behind it); writes from other threads (glib-networking's TLS
 * handshake thread, before any response) always go straight to the socket.
 * When libsoup closes a connection whose output is not all sent yet, the socket lingers: the
 * streams are closed, and the fd stays open until the output is out, the peer fails, or the idle
 * timeout passes without progress.
 */

#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fest-net.h"

#define MAX_EVENTS   256
/* Output gathered per connection before a write must reach the kernel first. */
#define OUT_BUFFER_MAX (64 * 1024)
/* An idle connection keeps a buffer that held at most this much (a usual response). */
#define OUT_BUFFER_KEPT (8 * 1024)
#define MAX_ACCEPTS  64
#define SWEEP_PERIOD 1 /* s */
/* After a failed accept (out of file descriptors...), the listener rests this long. */
#define ACCEPT_PAUSE_MS    250
#define ACCEPT_WARNING_US  (10 * G_USEC_PER_SEC)
/* File descriptors kept for everything but connections (databases, their WAL files, pipes): at
 * least this many, or an eighth of the limit. */
#define FD_RESERVE_MIN     64
/* A connection closed after a refusal reads (and drops) what its client still sends this long at
 * most, so that the refusal is not lost to a reset. */
#define DRAIN_US           (2 * G_USEC_PER_SEC)

typedef enum
{
  ITEM_LISTENER,
  ITEM_SOCKET,
} ItemKind;

/* What an epoll event's data.ptr points to. */
typedef struct
{
  ItemKind kind;
} Item;

typedef struct
{
  Item     item;
  FestNet *net;
  GSocket *socket;
  guint    resume_id;     /* paused after a failed accept */
  gint64   warned_at;
} Listener;

/* The open connections of one remote address. */
typedef struct
{
  char   *address;
  GQueue  sockets;         /* of NetSocket* (unowned), oldest first */
} NetClient;

/* An accepted socket, shared (refcounted, main thread only) by its connection, its two streams,
 * their sources and the qdata of its remote address. */
typedef struct
{
  Item     item;
  FestNet *net;            /* NULL once closed */
  GSocket *socket;
  int      fd;             /* -1 once closed */
  GList    link;           /* in net->sockets while open */
  NetClient *client;       /* NULL once closed */
  GList    client_link;    /* in client->sockets while open */
  GList    dirty_link;     /* in net->dirty while it may have output to send */
  GByteArray *out;         /* written, not yet sent (NULL until the first buffered write) */
  int      send_errno;     /* a gathered send failed: the next write reports it */
  gint64   last_progress;  /* monotonic µs of the last byte moved (or of the accept) */
  gint64   request_started; /* monotonic µs of the accept or of a request's first byte; 0 when
                             * no request is on its way */
  gint64   drain_started;  /* monotonic µs of the refusal, when draining */
  gsize    header_bytes;   /* of the request on its way, while its headers last */
  guint    header_line;    /* characters of its current header line (CR aside) */
  guint    n_waits;        /* our sources alive */
  guint    readable : 1;
  guint    writable : 1;
  guint    peer_gone : 1;  /* hang-up seen by epoll */
  guint    peer_ended : 1; /* a read met the end of the peer's stream */
  guint    peer_gone_swept : 1;
  guint    busy : 1;       /* a request is under way */
  guint    keep_alive : 1; /* never timed out */
  guint    dirty : 1;      /* in net->dirty */
  guint    finished : 1;   /* closed by libsoup: the streams answer G_IO_ERROR_CLOSED */
  guint    lingering : 1;  /* finished with output left: the net holds a reference */
  guint    headers_done : 1; /* the end of the request's headers went by */
  guint    drain : 1;      /* once finished: end our side, drop the peer's input until it ends */
  guint    write_shut : 1; /* our side is ended (draining) */
} NetSocket;

typedef struct
{
  GSource  source;
  FestNet *net;
} NetSource;

struct _FestNet
{
  NetSource         *source;
  NetSource         *flush_source;
  GThread           *thread;      /* the one whose writes are gathered */
  GQueue             dirty;       /* of NetSocket* (unowned) with output to send */
  int                epfd;
  GPtrArray         *listeners;   /* of Listener* */
  GQueue             sockets;     /* of NetSocket* (unowned), open ones */
  FestNetAcceptFunc  accept_func;
  gpointer           user_data;
  guint              idle_timeout_s;
  guint              header_timeout_s;
  guint              max_per_client;
  GPtrArray         *uncapped_peers;  /* of GInetAddressMask: no per-address cap (proxies) */
  guint              max_connections; /* below the file descriptor limit */
  gsize              header_limit;
  GBytes            *header_refusal;  /* the response to headers over the limit */
  GHashTable        *clients;         /* remote address → NetClient */
  guint              sweep_id;
  gint64             now;         /* monotonic µs, at the last epoll dispatch */
};

static GQuark socket_quark;

/* NetSocket */

static NetSocket *
net_socket_ref (NetSocket *s)
{
  return g_rc_box_acquire (s);
}

static void net_socket_unref (NetSocket *s);
static gboolean net_socket_flush (NetSocket *s);
static void net_socket_mark_dirty (NetSocket *s);

/* Closes now; output the kernel cannot take at once is dropped. */
static void
net_socket_close (NetSocket *s)
{
  gboolean lingered = s->lingering;

  if (s->fd >= 0)
    net_socket_flush (s);
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
    net_socket_unref (s);
}

/* Ends our side once the output is out; the socket closes when the peer ends its side too (see
 * net_socket_drain_input()) or after DRAIN_US. */
static void
net_socket_shut_write (NetSocket *s)
{
  if (s->write_shut || s->fd < 0)
    return;
  s->write_shut = TRUE;
  shutdown (s->fd, SHUT_WR);
}

/* Reads and drops what the peer of a refused connection still sends: closing with unread input
 * would reset the connection, and the client could lose the refusal. */
static void
net_socket_drain_input (NetSocket *s)
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
      net_socket_close (s);
      return;
    }
}

/* Closes once its output is sent (libsoup is done with it). */
static void
net_socket_finish (NetSocket *s)
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
      && !net_socket_flush (s) && s->send_errno == 0)
    {
      s->lingering = TRUE;
      net_socket_ref (s);
      return;
    }
  net_socket_close (s);
}

/* The peer ended its stream and libsoup, done with the connection's last request, waits for
 * another that cannot come (see "Closed by the peer" at the top). Closed once its output is out:
 * a client that closes only its side after a request still gets all of the answer. Left to
 * libsoup while a request is under way, and a WebSocket to its own close handshake. */
static void
net_socket_close_if_ended (NetSocket *s)
{
  if (s->peer_ended && !s->finished && !s->busy && !s->keep_alive
      && (s->out == NULL || s->out->len == 0))
    net_socket_close (s);
}

static void
net_socket_clear (gpointer data)
{
  NetSocket *s = data;

  net_socket_close (s);
  if (s->out != NULL)
    g_byte_array_unref (s->out);
  g_object_unref (s->socket);
}

static void
net_socket_unref (NetSocket *s)
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

static void
note_progress (NetSocket *s)
{
  if (s->net != NULL)
    s->last_progress = s->net->now;
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
  net_socket_finish (s);
}

static gssize
net_socket_recv (NetSocket  *s,
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
               * net_socket_close_if_ended()): libsoup 3.2 would keep it open. */
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
static gboolean
net_socket_flush (NetSocket *s)
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

static void
net_socket_mark_dirty (NetSocket *s)
{
  if (!s->dirty && s->net != NULL)
    {
      s->dirty = TRUE;
      g_queue_push_tail_link (&s->net->dirty, &s->dirty_link);
    }
}

static gssize
net_socket_send (NetSocket   *s,
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
      if (s->out->len + count > OUT_BUFFER_MAX && !net_socket_flush (s))
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
static gssize
net_socket_blocking (NetSocket     *s,
                     GIOCondition   condition,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  for (;;)
    {
      g_autoptr(GError) local_error = NULL;
      gssize n = condition == G_IO_IN ? net_socket_recv (s, buffer, count, &local_error)
                                      : net_socket_send (s, buffer, count, FALSE, &local_error);

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
  net_socket_unref (ws->socket);
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

static GSource *
wait_source_new (NetSocket    *s,
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

/* FestNetInput */

#define FEST_TYPE_NET_INPUT (fest_net_input_get_type ())
G_DECLARE_FINAL_TYPE (FestNetInput, fest_net_input, FEST, NET_INPUT, GInputStream)

struct _FestNetInput
{
  GInputStream  parent_instance;
  NetSocket    *socket;
};

static void fest_net_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestNetInput, fest_net_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      fest_net_input_pollable_init))

static gssize
fest_net_input_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return net_socket_blocking (FEST_NET_INPUT (stream)->socket, G_IO_IN, buffer, count, cancellable,
                              error);
}

static gboolean
fest_net_input_close (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  /* The connection closes the socket. */
  return TRUE;
}

static gboolean
fest_net_input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gboolean
fest_net_input_is_readable (GPollableInputStream *pollable)
{
  return FEST_NET_INPUT (pollable)->socket->readable;
}

static GSource *
fest_net_input_create_source (GPollableInputStream *pollable,
                              GCancellable         *cancellable)
{
  return wait_source_new (FEST_NET_INPUT (pollable)->socket, G_OBJECT (pollable), G_IO_IN,
                          cancellable);
}

static gssize
fest_net_input_read_nonblocking (GPollableInputStream  *pollable,
                                 void                  *buffer,
                                 gsize                  count,
                                 GError               **error)
{
  return net_socket_recv (FEST_NET_INPUT (pollable)->socket, buffer, count, error);
}

static void
fest_net_input_finalize (GObject *object)
{
  net_socket_unref (FEST_NET_INPUT (object)->socket);

  G_OBJECT_CLASS (fest_net_input_parent_class)->finalize (object);
}

static void
fest_net_input_class_init (FestNetInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = fest_net_input_finalize;
  stream_class->read_fn = fest_net_input_read;
  stream_class->close_fn = fest_net_input_close;
}

static void
fest_net_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = fest_net_input_can_poll;
  iface->is_readable = fest_net_input_is_readable;
  iface->create_source = fest_net_input_create_source;
  iface->read_nonblocking = fest_net_input_read_nonblocking;
}

static void
fest_net_input_init (FestNetInput *self)
{
}

/* FestNetOutput */

#define FEST_TYPE_NET_OUTPUT (fest_net_output_get_type ())
G_DECLARE_FINAL_TYPE (FestNetOutput, fest_net_output, FEST, NET_OUTPUT, GOutputStream)

struct _FestNetOutput
{
  GOutputStream  parent_instance;
  NetSocket     *socket;
};

static void fest_net_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestNetOutput, fest_net_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      fest_net_output_pollable_init))

static gssize
fest_net_output_write (GOutputStream  *stream,
                       const void     *buffer,
                       gsize           count,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return net_socket_blocking (FEST_NET_OUTPUT (stream)->socket, G_IO_OUT, (void *) buffer, count,
                              cancellable, error);
}

static gboolean
fest_net_output_close (GOutputStream  *stream,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return TRUE;
}

static gboolean
fest_net_output_can_poll (GPollableOutputStream *pollable)
{
  return TRUE;
}

static gboolean
fest_net_output_is_writable (GPollableOutputStream *pollable)
{
  return FEST_NET_OUTPUT (pollable)->socket->writable;
}

static GSource *
fest_net_output_create_source (GPollableOutputStream *pollable,
                               GCancellable          *cancellable)
{
  return wait_source_new (FEST_NET_OUTPUT (pollable)->socket, G_OBJECT (pollable), G_IO_OUT,
                          cancellable);
}

static gssize
fest_net_output_write_nonblocking (GPollableOutputStream  *pollable,
                                   const void             *buffer,
                                   gsize                   count,
                                   GError                **error)
{
  return net_socket_send (FEST_NET_OUTPUT (pollable)->socket, buffer, count, TRUE, error);
}

static void
fest_net_output_finalize (GObject *object)
{
  net_socket_unref (FEST_NET_OUTPUT (object)->socket);

  G_OBJECT_CLASS (fest_net_output_parent_class)->finalize (object);
}

static void
fest_net_output_class_init (FestNetOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = fest_net_output_finalize;
  stream_class->write_fn = fest_net_output_write;
  stream_class->close_fn = fest_net_output_close;
}

static void
fest_net_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = fest_net_output_can_poll;
  iface->is_writable = fest_net_output_is_writable;
  iface->create_source = fest_net_output_create_source;
  iface->write_nonblocking = fest_net_output_write_nonblocking;
}

static void
fest_net_output_init (FestNetOutput *self)
{
}

/* FestNetConnection: the GIOStream libsoup gets */

#define FEST_TYPE_NET_CONNECTION (fest_net_connection_get_type ())
G_DECLARE_FINAL_TYPE (FestNetConnection, fest_net_connection, FEST, NET_CONNECTION, GIOStream)

struct _FestNetConnection
{
  GIOStream      parent_instance;
  NetSocket     *socket;
  GInputStream  *input;
  GOutputStream *output;
};

G_DEFINE_FINAL_TYPE (FestNetConnection, fest_net_connection, G_TYPE_IO_STREAM)

static GInputStream *
fest_net_connection_get_input_stream (GIOStream *stream)
{
  return FEST_NET_CONNECTION (stream)->input;
}

static GOutputStream *
fest_net_connection_get_output_stream (GIOStream *stream)
{
  return FEST_NET_CONNECTION (stream)->output;
}

static gboolean
fest_net_connection_close (GIOStream     *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  FestNetConnection *self = FEST_NET_CONNECTION (stream);

  g_output_stream_close (self->output, NULL, NULL);
  g_input_stream_close (self->input, NULL, NULL);
  net_socket_finish (self->socket);
  return TRUE;
}

/* Closing never blocks: no thread (GIOStream's default runs close_fn in one). */
static void
fest_net_connection_close_async (GIOStream           *stream,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, fest_net_connection_close_async);
  fest_net_connection_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fest_net_connection_close_finish (GIOStream     *stream,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fest_net_connection_finalize (GObject *object)
{
  FestNetConnection *self = FEST_NET_CONNECTION (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  net_socket_unref (self->socket);

  G_OBJECT_CLASS (fest_net_connection_parent_class)->finalize (object);
}

static void
fest_net_connection_class_init (FestNetConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = fest_net_connection_finalize;
  stream_class->get_input_stream = fest_net_connection_get_input_stream;
  stream_class->get_output_stream = fest_net_connection_get_output_stream;
  stream_class->close_fn = fest_net_connection_close;
  stream_class->close_async = fest_net_connection_close_async;
  stream_class->close_finish = fest_net_connection_close_finish;
}

static void
fest_net_connection_init (FestNetConnection *self)
{
}

static GIOStream *
fest_net_connection_new (NetSocket *s)
{
  FestNetConnection *self = g_object_new (FEST_TYPE_NET_CONNECTION, NULL);
  FestNetInput *input = g_object_new (FEST_TYPE_NET_INPUT, NULL);
  FestNetOutput *output = g_object_new (FEST_TYPE_NET_OUTPUT, NULL);

  input->socket = net_socket_ref (s);
  output->socket = net_socket_ref (s);
  self->socket = net_socket_ref (s);
  self->input = G_INPUT_STREAM (input);
  self->output = G_OUTPUT_STREAM (output);
  return G_IO_STREAM (self);
}

/* Accepting */

static void
net_client_free (gpointer data)
{
  NetClient *client = data;

  g_free (client->address);
  g_free (client);
}

/* Whether the peer has sent what the server has not read yet (the epoll turn that saw it has not
 * reached libsoup, or it came since). The readable flag would not tell: it is also set on a new
 * connection before anything came, and by a hang-up. */
static gboolean
net_socket_has_input (NetSocket *s)
{
  int pending = 0;

  return ioctl (s->fd, FIONREAD, &pending) == 0 && pending > 0;
}

/* The connection of @client that can best go to make room: one already closed for libsoup or by
 * its peer (nothing left to send, nothing unread), else the one whose request has been on its way
 * the longest (trickling its headers, or saying nothing since the accept), else the oldest idle
 * between requests (a client that had its answers, such as a station's keep-alive connection,
 * goes last). One with a request under way, or a WebSocket, is never taken; nor one whose client
 * has sent what the server has not read yet (a request's headers that arrived in the very epoll
 * turn that accepts the new connection): that client is waiting for the server, not the server
 * for it, however young or old its request. */
static NetSocket *
net_client_find_evictable (NetClient *client)
{
  NetSocket *slowest = NULL;
  NetSocket *idle = NULL;

  for (GList *l = client->sockets.head; l != NULL; l = l->next)
    {
      NetSocket *s = l->data;

      if (s->finished)
        return s;
      if (s->busy || s->keep_alive)
        continue;
      if (net_socket_has_input (s))
        continue;
      if ((s->peer_ended || s->peer_gone) && (s->out == NULL || s->out->len == 0))
        return s;
      if (s->request_started != 0)
        {
          if (slowest == NULL || s->request_started < slowest->request_started)
            slowest = s;
        }
      else if (idle == NULL)
        idle = s;
    }
  return slowest != NULL ? slowest : idle;
}

/* Makes room for a new connection from @address; FALSE when it must be refused.
 *
 * Per address, at most max_per_client connections. Over it, the new connection is not refused:
 * the address's oldest connection that waits for a request is closed instead. A station behind
 * the same NAT as an attacker (one address for both) therefore still gets in, and it is the
 * attacker's slow connections that go, not the requests under way or the WebSockets; only an
 * address whose every connection is busy is refused.
 *
 * Near the file descriptor limit (max_connections, a reserve below it), the same happens to the
 * address that holds the most connections, so that the last descriptors go neither to accept()
 * failures nor to one client, and the server's own files still open. */
static gboolean
make_room (FestNet    *net,
           const char *address,
           gboolean    capped)
{
  NetClient *client = g_hash_table_lookup (net->clients, address);
  NetSocket *victim;

  if (capped && client != NULL && net->max_per_client > 0
      && client->sockets.length >= net->max_per_client)
    {
      victim = net_client_find_evictable (client);
      if (victim == NULL)
        {
          g_debug ("Refusing a connection from %s: %u connections, all busy", address,
                   client->sockets.length);
          return FALSE;
        }
      g_debug ("%s is at its %u connections: closing its oldest waiting one", address,
               net->max_per_client);
      net_socket_close (victim);
    }

  if (net->max_connections > 0 && net->sockets.length >= net->max_connections)
    {
      NetClient *heaviest = NULL;
      GHashTableIter iter;
      gpointer value;

      g_hash_table_iter_init (&iter, net->clients);
      while (g_hash_table_iter_next (&iter, NULL, &value))
        if (heaviest == NULL || ((NetClient *) value)->sockets.length > heaviest->sockets.length)
          heaviest = value;

      victim = heaviest != NULL ? net_client_find_evictable (heaviest) : NULL;
      if (victim == NULL)
        {
          g_debug ("Refusing a connection from %s: %u connections open", address,
                   net->sockets.length);
          return FALSE;
        }
      g_debug ("%u connections open: closing the oldest waiting one of %s", net->sockets.length,
               heaviest->address);
      net_socket_close (victim);
    }

  return TRUE;
}

static void
accept_socket (FestNet *net,
               GSocket *socket)
{
  g_autoptr(GSocketAddress) local = NULL;
  g_autoptr(GSocketAddress) remote = NULL;
  g_autoptr(GIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  struct epoll_event event = { 0 };
  gboolean capped = TRUE;
  NetClient *client;
  NetSocket *s;

  local = g_socket_get_local_address (socket, &error);
  if (local != NULL)
    remote = g_socket_get_remote_address (socket, &error);
  if (remote == NULL)
    {
      /* Reset by its client already. */
      g_debug ("Accepted connection dropped: %s", error->message);
      g_socket_close (socket, NULL);
      return;
    }

  if (G_IS_INET_SOCKET_ADDRESS (remote))
    {
      GInetAddress *inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));

      address = g_inet_address_to_string (inet);
      for (guint i = 0; net->uncapped_peers != NULL && i < net->uncapped_peers->len; i++)
        if (g_inet_address_mask_matches (g_ptr_array_index (net->uncapped_peers, i), inet))
          capped = FALSE;
    }
  else
    address = g_strdup ("");
  if (!make_room (net, address, capped))
    {
      g_socket_close (socket, NULL);
      return;
    }

  g_socket_set_option (socket, IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  s = g_rc_box_new0 (NetSocket);
  s->item.kind = ITEM_SOCKET;
  s->socket = g_object_ref (socket);
  s->fd = g_socket_get_fd (socket);
  s->readable = TRUE;
  s->writable = TRUE;
  s->last_progress = net->now;
  /* A new connection's request is due from now on. */
  s->request_started = net->now;
  s->link.data = s;
  s->dirty_link.data = s;
  s->client_link.data = s;

  event.events = EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET;
  event.data.ptr = s;
  if (epoll_ctl (net->epfd, EPOLL_CTL_ADD, s->fd, &event) != 0)
    {
      int errsv = errno;

      g_warning ("Cannot watch an accepted connection: %s", g_strerror (errsv));
      net_socket_unref (s);
      return;
    }
  s->net = net;
  g_queue_push_tail_link (&net->sockets, &s->link);
  client = g_hash_table_lookup (net->clients, address);
  if (client == NULL)
    {
      client = g_new0 (NetClient, 1);
      client->address = g_steal_pointer (&address);
      g_hash_table_insert (net->clients, client->address, client);
    }
  s->client = client;
  g_queue_push_tail_link (&client->sockets, &s->client_link);

  stream = fest_net_connection_new (s);
  /* How a SoupServerMessage finds its socket: libsoup keeps this very address object. */
  g_object_set_qdata_full (G_OBJECT (remote), socket_quark, s, (GDestroyNotify) net_socket_unref);
  net->accept_func (stream, local, remote, net->user_data);
}

static gboolean
resume_listener_cb (gpointer data)
{
  Listener *listener = data;
  struct epoll_event event = { .events = EPOLLIN, .data.ptr = listener };

  listener->resume_id = 0;
  epoll_ctl (listener->net->epfd, EPOLL_CTL_MOD, g_socket_get_fd (listener->socket), &event);
  return G_SOURCE_REMOVE;
}

/* Out of file descriptors and the like: the pending connection stays in the queue and the
 * listener readable, so retrying at once would spin. It rests a moment instead. */
static void
pause_listener (Listener     *listener,
                const GError *error)
{
  struct epoll_event event = { .events = 0, .data.ptr = listener };
  gint64 now = g_get_monotonic_time ();

  if (listener->warned_at == 0 || now - listener->warned_at >= ACCEPT_WARNING_US)
    {
      g_warning ("Cannot accept connections, retrying every %u ms: %s", ACCEPT_PAUSE_MS,
                 error->message);
      listener->warned_at = now;
    }
  epoll_ctl (listener->net->epfd, EPOLL_CTL_MOD, g_socket_get_fd (listener->socket), &event);
  if (listener->resume_id == 0)
    listener->resume_id = g_timeout_add (ACCEPT_PAUSE_MS, resume_listener_cb, listener);
}

static void
accept_connections (FestNet  *net,
                    Listener *listener)
{
  for (guint i = 0; i < MAX_ACCEPTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSocket) socket = g_socket_accept (listener->socket, NULL, &error);

      if (socket == NULL)
        {
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
            pause_listener (listener, error);
          return;
        }
      accept_socket (net, socket);
    }
}

/* The epoll source */

static gboolean
net_source_dispatch (GSource     *source,
                     GSourceFunc  callback,
                     gpointer     user_data)
{
  FestNet *net = ((NetSource *) source)->net;
  struct epoll_event events[MAX_EVENTS];
  int n;

  n = epoll_wait (net->epfd, events, MAX_EVENTS, 0);
  net->now = g_get_monotonic_time ();

  /* Flags only: nothing is freed while the batch is read. Accepting comes after. */
  for (int i = 0; i < n; i++)
    {
      Item *item = events[i].data.ptr;
      guint32 ev = events[i].events;
      NetSocket *s;

      if (item->kind != ITEM_SOCKET)
        continue;

      s = (NetSocket *) item;
      if (ev & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        s->readable = TRUE;
      if (ev & (EPOLLOUT | EPOLLHUP | EPOLLERR))
        {
          s->writable = TRUE;
          if (s->out != NULL && s->out->len > 0)
            net_socket_mark_dirty (s);
        }
      if (ev & (EPOLLRDHUP | EPOLLHUP | EPOLLERR))
        s->peer_gone = TRUE;
      /* A refused connection: the flush source reads and drops its input. */
      if (s->drain)
        net_socket_mark_dirty (s);
    }

  for (int i = 0; i < n; i++)
    {
      Item *item = events[i].data.ptr;

      if (item->kind == ITEM_LISTENER)
        accept_connections (net, (Listener *) item);
    }

  return G_SOURCE_CONTINUE;
}

static GSourceFuncs net_source_funcs = {
  NULL,
  NULL,
  net_source_dispatch,
  NULL,
  NULL,
  NULL,
};

/* The flush source: called before every poll, never ready. */

static gboolean
flush_source_prepare (GSource *source,
                      gint    *timeout)
{
  FestNet *net = ((NetSource *) source)->net;

  *timeout = -1;
  while (net->dirty.head != NULL)
    {
      NetSocket *s = net->dirty.head->data;
      gboolean sent;

      g_queue_unlink (&net->dirty, &s->dirty_link);
      s->dirty = FALSE;
      /* Not writable: the rest goes at the next EPOLLOUT, which marks it dirty again. */
      if (s->out == NULL || s->out->len == 0)
        sent = TRUE;
      else
        sent = s->writable && net_socket_flush (s);
      if (s->lingering && s->drain)
        {
          if (sent || s->send_errno != 0)
            net_socket_shut_write (s);
          net_socket_drain_input (s);
        }
      else if (s->lingering && (sent || s->send_errno != 0))
        net_socket_close (s);
      else if (sent)
        net_socket_close_if_ended (s);
    }
  return FALSE;
}

static gboolean
flush_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  return G_SOURCE_CONTINUE;
}

static GSourceFuncs flush_source_funcs = {
  flush_source_prepare,
  NULL,
  flush_source_dispatch,
  NULL,
  NULL,
  NULL,
};

/* Idle sweep */

static gboolean
sweep_cb (gpointer user_data)
{
  FestNet *net = user_data;
  gint64 now = g_get_monotonic_time ();
  gint64 limit = now - (gint64) net->idle_timeout_s * G_USEC_PER_SEC;
  gint64 header_limit = now - (gint64) net->header_timeout_s * G_USEC_PER_SEC;
  GList *l = net->sockets.head;

  /* Waits that start before the next epoll turn are stamped with this. */
  net->now = now;

  while (l != NULL)
    {
      NetSocket *s = l->data;

      l = l->next;
      if (s->lingering && s->drain)
        {
          if (s->drain_started < now - DRAIN_US)
            net_socket_close (s);
          continue;
        }
      if (s->lingering)
        {
          if (net->idle_timeout_s > 0 && s->last_progress < limit)
            {
              g_debug ("Dropping the unsent output of a closed connection idle for %u s",
                       net->idle_timeout_s);
              net_socket_close (s);
            }
          continue;
        }
      if (s->keep_alive)
        continue;

      /* A total deadline for a request's headers: each byte moves the idle timeout on, so that
       * one byte a second would otherwise hold the connection for ever. Not when what the client
       * sent waits unread: then the server is the slow one (a main loop busy with big batches). */
      if (net->header_timeout_s > 0 && !s->busy && s->request_started != 0
          && s->request_started < header_limit && !net_socket_has_input (s))
        {
          g_debug ("Closing a connection whose request took over %u s to arrive",
                   net->header_timeout_s);
          net_socket_close (s);
          continue;
        }

      if (net->idle_timeout_s == 0)
        continue;

      /* Output still to send: the peer may have closed only its side. */
      if (s->peer_gone && !s->busy && (s->out == NULL || s->out->len == 0))
        {
          /* Seen on the previous sweep too: libsoup had its chance and left it open. */
          if (s->peer_gone_swept)
            {
              net_socket_close (s);
              continue;
            }
          s->peer_gone_swept = TRUE;
        }
      else
        s->peer_gone_swept = FALSE;

      if (s->n_waits > 0 && s->last_progress < limit && !net_socket_has_input (s))
        {
          g_debug ("Closing a connection idle for %u s", net->idle_timeout_s);
          net_socket_close (s);
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Public */

FestNet *
fest_net_new (FestNetAcceptFunc accept_func,
              gpointer          user_data)
{
  FestNet *net;
  int epfd;

  g_return_val_if_fail (accept_func != NULL, NULL);

  epfd = epoll_create1 (EPOLL_CLOEXEC);
  if (epfd < 0)
    g_error ("epoll_create1: %s", g_strerror (errno));

  if (socket_quark == 0)
    socket_quark = g_quark_from_static_string ("fest-net-socket");

  net = g_new0 (FestNet, 1);
  net->epfd = epfd;
  net->accept_func = accept_func;
  net->user_data = user_data;
  net->listeners = g_ptr_array_new ();
  net->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, net_client_free);
  net->now = g_get_monotonic_time ();

  {
    struct rlimit limit;

    /* Read once: main() raises the soft limit to the hard one before the server starts. */
    if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
      {
        rlim_t reserve = MAX (FD_RESERVE_MIN, limit.rlim_cur / 8);

        net->max_connections = (guint) MIN (limit.rlim_cur > 2 * reserve ? limit.rlim_cur - reserve
                                                                         : limit.rlim_cur / 2,
                                            G_MAXUINT);
      }
  }

  net->source = (NetSource *) g_source_new (&net_source_funcs, sizeof (NetSource));
  net->source->net = net;
  g_source_set_static_name ((GSource *) net->source, "FestNet");
  /* Never blocked while dispatched: blocking would take the fd out of the poll set and put it
   * back, two wakeup writes per turn. */
  g_source_set_can_recurse ((GSource *) net->source, TRUE);
  g_source_add_unix_fd ((GSource *) net->source, epfd, G_IO_IN);
  g_source_attach ((GSource *) net->source, g_main_context_get_thread_default ());

  net->thread = g_thread_self ();
  net->flush_source = (NetSource *) g_source_new (&flush_source_funcs, sizeof (NetSource));
  net->flush_source->net = net;
  g_source_set_static_name ((GSource *) net->flush_source, "FestNetFlush");
  /* First in the turn's prepare phase, which GLib cuts short after a ready source only for the
   * sources of lower priority. */
  g_source_set_priority ((GSource *) net->flush_source, G_PRIORITY_HIGH);
  g_source_attach ((GSource *) net->flush_source, g_main_context_get_thread_default ());

  /* Timeouts, deadlines, refused connections that drain. */
  net->sweep_id = g_timeout_add_seconds (SWEEP_PERIOD, sweep_cb, net);

  return net;
}

gboolean
fest_net_listen (FestNet  *net,
                 GSocket  *listener,
                 GError  **error)
{
  struct epoll_event event = { 0 };
  Listener *l;

  g_return_val_if_fail (net != NULL, FALSE);
  g_return_val_if_fail (G_IS_SOCKET (listener), FALSE);

  g_socket_set_blocking (listener, FALSE);

  l = g_new0 (Listener, 1);
  l->item.kind = ITEM_LISTENER;
  l->net = net;
  l->socket = g_object_ref (listener);

  event.events = EPOLLIN;
  event.data.ptr = l;
  if (epoll_ctl (net->epfd, EPOLL_CTL_ADD, g_socket_get_fd (listener), &event) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "Cannot watch the listening socket: %s",
                   g_strerror (errsv));
      g_object_unref (l->socket);
      g_free (l);
      return FALSE;
    }

  g_ptr_array_add (net->listeners, l);
  return TRUE;
}

void
fest_net_stop_listening (FestNet *net)
{
  g_return_if_fail (net != NULL);

  for (guint i = 0; i < net->listeners->len; i++)
    {
      Listener *l = g_ptr_array_index (net->listeners, i);

      g_clear_handle_id (&l->resume_id, g_source_remove);
      epoll_ctl (net->epfd, EPOLL_CTL_DEL, g_socket_get_fd (l->socket), NULL);
      g_socket_close (l->socket, NULL);
      g_object_unref (l->socket);
      g_free (l);
    }
  g_ptr_array_set_size (net->listeners, 0);
}

void
fest_net_set_idle_timeout (FestNet *net,
                           guint    seconds)
{
  g_return_if_fail (net != NULL);

  net->idle_timeout_s = seconds;
}

void
fest_net_set_header_timeout (FestNet *net,
                             guint    seconds)
{
  g_return_if_fail (net != NULL);

  net->header_timeout_s = seconds;
}

void
fest_net_set_max_per_client (FestNet *net,
                             guint    max_connections)
{
  g_return_if_fail (net != NULL);

  net->max_per_client = max_connections;
}

void
fest_net_set_uncapped_peers (FestNet   *net,
                             GPtrArray *masks)
{
  g_return_if_fail (net != NULL);

  g_clear_pointer (&net->uncapped_peers, g_ptr_array_unref);
  if (masks != NULL)
    net->uncapped_peers = g_ptr_array_ref (masks);
}

void
fest_net_set_header_limit (FestNet *net,
                           gsize    max_bytes,
                           GBytes  *refusal)
{
  g_return_if_fail (net != NULL);
  g_return_if_fail (max_bytes == 0 || refusal != NULL);

  net->header_limit = max_bytes;
  g_clear_pointer (&net->header_refusal, g_bytes_unref);
  if (refusal != NULL)
    net->header_refusal = g_bytes_ref (refusal);
}

void
fest_net_free (FestNet *net)
{
  if (net == NULL)
    return;

  fest_net_stop_listening (net);
  g_clear_handle_id (&net->sweep_id, g_source_remove);
  while (net->sockets.head != NULL)
    net_socket_close (net->sockets.head->data);

  g_source_destroy ((GSource *) net->flush_source);
  g_source_unref ((GSource *) net->flush_source);
  g_source_destroy ((GSource *) net->source);
  g_source_unref ((GSource *) net->source);
  close (net->epfd);
  g_ptr_array_unref (net->listeners);
  g_hash_table_unref (net->clients);
  g_clear_pointer (&net->uncapped_peers, g_ptr_array_unref);
  g_clear_pointer (&net->header_refusal, g_bytes_unref);
  g_free (net);
}

static NetSocket *
message_socket (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  return remote != NULL && socket_quark != 0 ? g_object_get_qdata (G_OBJECT (remote), socket_quark)
                                             : NULL;
}

GSocket *
fest_net_message_get_socket (SoupServerMessage *msg)
{
  NetSocket *s = message_socket (msg);

  return s != NULL ? s->socket : soup_server_message_get_socket (msg);
}

void
fest_net_message_set_busy (SoupServerMessage *msg,
                           gboolean           busy)
{
  NetSocket *s = message_socket (msg);

  if (s != NULL)
    {
      s->busy = busy;
      /* Busy: the headers are in. Not busy: between requests, until the next one's first
       * byte. */
      s->request_started = 0;
      s->headers_done = busy;
      s->header_bytes = 0;
      s->header_line = 0;
      /* Its peer ended during the request: closed once the answer is out. */
      if (!busy && s->peer_ended)
        net_socket_mark_dirty (s);
    }
}

void
fest_net_message_close_gracefully (SoupServerMessage *msg)
{
  NetSocket *s = message_socket (msg);

  if (s != NULL)
    s->drain = TRUE;
}

void
fest_net_message_keep_alive (SoupServerMessage *msg)
{
  NetSocket *s = message_socket (msg);

  if (s != NULL)
    s->keep_alive = TRUE;
}
