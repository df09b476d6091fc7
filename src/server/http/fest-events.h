/* fest-events.h: the /events WebSocket hub: per-festival clients, bounded queues, stats:update
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The hub is a sink of the server's events (fest_server_add_event_sink): each event goes, as
 * {"event": name, "data": {...}}, to the WebSocket clients of its festival only, serialised once,
 * and only to those whose roles may read that data (client_may_see).
 * After any change it sends stats:update to that festival's clients, at most once a second.
 *
 * A client that does not read never stalls the server: what the hub queues while the client's
 * socket cannot take more is counted, and past FEST_EVENTS_MAX_BLOCKED_MESSAGES messages or
 * FEST_EVENTS_MAX_BLOCKED_BYTES bytes the client is dropped (close frame, then the socket is shut
 * down). The kernel's send buffer of event sockets is capped too, so that the bound is reached
 * quickly. Keepalive pings detect dead peers.
 */

#pragma once

#include <libsoup/soup.h>

#include "fest-request.h"

G_BEGIN_DECLS

#define FEST_EVENTS_MAX_BLOCKED_MESSAGES 256
#define FEST_EVENTS_MAX_BLOCKED_BYTES    (1024 * 1024)
#define FEST_EVENTS_SEND_BUFFER          (64 * 1024)
#define FEST_EVENTS_KEEPALIVE_S          20
#define FEST_EVENTS_STATS_INTERVAL_MS    1000

typedef struct _FestEventsHub FestEventsHub;

/* The hub of @server, created on first use and freed with the server. */
FestEventsHub *fest_events_hub_get          (FestServer              *server);
/* Takes a ref on @connection; @socket (nullable) is the connection's socket. The client gets the
 * events its token's @roles may read through the API (a plain SECURITY member: the incidents
 * assigned to @account_id, nullable). */
void           fest_events_hub_add_client   (FestEventsHub           *hub,
                                             const char              *festival_id,
                                             FestRoles                roles,
                                             const char              *account_id,
                                             SoupWebsocketConnection *connection,
                                             GSocket                 *socket);
guint          fest_events_hub_count_clients (FestEventsHub          *hub,
                                              const char             *festival_id);

G_END_DECLS
