/* fest-net-limits.c: what keeps clients from holding the FestNet's connections: the cap per
 * client address and the file descriptor reserve (which connection makes room), idle timeouts and
 * request header deadlines
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See "Limits against clients that hold connections" in fest-net.c.
 */

#include "config.h"

#include "fest-net-private.h"

/* A connection closed after a refusal reads (and drops) what its client still sends this long at
 * most, so that the refusal is not lost to a reset. */
#define DRAIN_US           (2 * G_USEC_PER_SEC)

void
_fest_net_client_free (gpointer data)
{
  NetClient *client = data;

  g_free (client->address);
  g_free (client);
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
      if (_fest_net_socket_has_input (s))
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
gboolean
_fest_net_make_room (FestNet    *net,
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
      _fest_net_socket_close (victim);
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
      _fest_net_socket_close (victim);
    }

  return TRUE;
}

/* Idle sweep */

gboolean
_fest_net_sweep (gpointer user_data)
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
            _fest_net_socket_close (s);
          continue;
        }
      if (s->lingering)
        {
          if (net->idle_timeout_s > 0 && s->last_progress < limit)
            {
              g_debug ("Dropping the unsent output of a closed connection idle for %u s",
                       net->idle_timeout_s);
              _fest_net_socket_close (s);
            }
          continue;
        }
      if (s->keep_alive)
        continue;

      /* A total deadline for a request's headers: each byte moves the idle timeout on, so that
       * one byte a second would otherwise hold the connection for ever. Not when what the client
       * sent waits unread: then the server is the slow one (a main loop busy with big batches). */
      if (net->header_timeout_s > 0 && !s->busy && s->request_started != 0
          && s->request_started < header_limit && !_fest_net_socket_has_input (s))
        {
          g_debug ("Closing a connection whose request took over %u s to arrive",
                   net->header_timeout_s);
          _fest_net_socket_close (s);
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
              _fest_net_socket_close (s);
              continue;
            }
          s->peer_gone_swept = TRUE;
        }
      else
        s->peer_gone_swept = FALSE;

      if (s->n_waits > 0 && s->last_progress < limit && !_fest_net_socket_has_input (s))
        {
          g_debug ("Closing a connection idle for %u s", net->idle_timeout_s);
          _fest_net_socket_close (s);
        }
    }

  return G_SOURCE_CONTINUE;
}
