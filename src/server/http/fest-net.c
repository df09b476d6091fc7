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
 * a reserve of file descriptors below the process's limit (see fest-net-limits.c). Headers over a
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
 *
 * Files: fest-net.c (listening, accepting, the epoll and flush sources, the API),
 * fest-net-socket.c (one connection: reads, gathered writes, headers, closing), the streams
 * libsoup gets (fest-net-connection.c, fest-net-input.c, fest-net-output.c), fest-net-limits.c
 * (per-address cap, file descriptor reserve, idle timeouts, header deadlines) and
 * fest-net-private.h, which they share.
 */


#include "config.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fest-net-private.h"

#define MAX_EVENTS   256
#define MAX_ACCEPTS  64
#define SWEEP_PERIOD 1 /* s */
/* After a failed accept (out of file descriptors...), the listener rests this long. */
#define ACCEPT_PAUSE_MS    250
#define ACCEPT_WARNING_US  (10 * G_USEC_PER_SEC)
/* File descriptors kept for everything but connections (databases, their WAL files, pipes): at
 * least this many, or an eighth of the limit. */
#define FD_RESERVE_MIN     64

static GQuark socket_quark;

/* Accepting */

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
  if (!_fest_net_make_room (net, address, capped))
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
      _fest_net_socket_unref (s);
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

  stream = _fest_net_connection_new (s);
  /* How a SoupServerMessage finds its socket: libsoup keeps this very address object. */
  g_object_set_qdata_full (G_OBJECT (remote), socket_quark, s,
                           (GDestroyNotify) _fest_net_socket_unref);
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
        sent = s->writable && _fest_net_socket_flush (s);
      if (s->lingering && s->drain)
        {
          if (sent || s->send_errno != 0)
            _fest_net_socket_shut_write (s);
          _fest_net_socket_drain_input (s);
        }
      else if (s->lingering && (sent || s->send_errno != 0))
        _fest_net_socket_close (s);
      else if (sent)
        _fest_net_socket_close_if_ended (s);
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
  net->clients = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, _fest_net_client_free);
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
  net->sweep_id = g_timeout_add_seconds (SWEEP_PERIOD, _fest_net_sweep, net);

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
    _fest_net_socket_close (net->sockets.head->data);

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

