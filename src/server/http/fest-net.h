/* fest-net.h: the server's sockets: one epoll set for every connection, the streams libsoup
 * reads and writes through, idle timeouts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _FestNet FestNet;

/* Called for every accepted connection, with the stream to hand to libsoup
 * (soup_server_accept_iostream) and its addresses. */
typedef void (*FestNetAcceptFunc) (GIOStream      *stream,
                                   GSocketAddress *local,
                                   GSocketAddress *remote,
                                   gpointer        user_data);

/* Attaches its source to the thread-default main context. */
FestNet  *fest_net_new                  (FestNetAcceptFunc   accept_func,
                                         gpointer            user_data);
/* Closes every listening socket and every connection still open. */
void      fest_net_free                 (FestNet            *net);

/* Accepts connections on @listener (bound and listening) from now on. */
gboolean  fest_net_listen               (FestNet            *net,
                                         GSocket            *listener,
                                         GError            **error);
/* Stops accepting: the listening sockets are closed, open connections stay. */
void      fest_net_stop_listening       (FestNet            *net);

/* 0 (the default) turns idle timeouts off. */
void      fest_net_set_idle_timeout     (FestNet            *net,
                                         guint               seconds);
/* A connection gets this long for a request's line and headers, from its first byte (or from the
 * accept). 0 (the default) turns the deadline off. */
void      fest_net_set_header_timeout   (FestNet            *net,
                                         guint               seconds);
/* At most this many connections per client address (0, the default: no cap). Over it, the
 * address's oldest connection that waits for a request makes room. */
void      fest_net_set_max_per_client   (FestNet            *net,
                                         guint               max_connections);
/* Peers in @masks (GInetAddressMask) are not held to the per-address cap: a trusted reverse proxy
 * carries every client's connections under its one address, and limits them itself. */
void      fest_net_set_uncapped_peers   (FestNet            *net,
                                         GPtrArray          *masks);
/* Request headers over @max_bytes (0, the default: libsoup's own limit) get @refusal (a whole
 * HTTP response) and the connection ends. Plain-text connections only: TLS hides the headers. */
void      fest_net_set_header_limit     (FestNet            *net,
                                         gsize               max_bytes,
                                         GBytes             *refusal);

/* The socket of the connection @msg arrived on, or NULL when it did not come through a FestNet.
 * Transfer none. */
GSocket  *fest_net_message_get_socket   (SoupServerMessage  *msg);
/* A request is under way on @msg's connection (from its headers to its end). */
void      fest_net_message_set_busy     (SoupServerMessage  *msg,
                                         gboolean            busy);
/* @msg's connection leaves the idle timeouts for good (a WebSocket, checked by its pings). */
void      fest_net_message_keep_alive   (SoupServerMessage  *msg);
/* When @msg's connection closes, its output is sent, our side ended, and what the client still
 * sends is read and dropped for a moment, so that a refusal sent before its request was read
 * whole reaches the client instead of being lost to a reset. */
void      fest_net_message_close_gracefully (SoupServerMessage *msg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestNet, fest_net_free)

G_END_DECLS
