/* fest-routes-live.c: GET /stats and the /events WebSocket
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-events.h"
#include "fest-net.h"
#include "fest-router.h"
#include "fest-server.h"
#include "fest-stats.h"

/* GET /stats */

static void
get_stats (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  JsonNode *stats;

  stats = fest_stats_compute (fest_request_get_store (req), fest_server_get_platform (server), auth->festival_id,
                              &error);
  if (stats == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_data (req, SOUP_STATUS_OK, stats);
}

/* GET /events (WebSocket) */

static void
events_connected (FestRequest             *req,
                  SoupWebsocketConnection *connection)
{
  const FestAuth *auth = fest_request_get_auth (req);
  SoupServerMessage *msg = fest_request_get_message (req);
  GSocket *socket = msg != NULL ? fest_net_message_get_socket (msg) : NULL;

  fest_events_hub_add_client (fest_events_hub_get (fest_request_get_server (req)), auth->festival_id, connection,
                              socket);
}

void
fest_routes_live_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/stats", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_stats);
  fest_router_add_websocket (router, "/events", FEST_ROUTE_FESTIVAL, FEST_PERM_EVENTS, events_connected);
  /* Subscribe to the server's events now, so that none is missed before the first client. */
  fest_events_hub_get (fest_router_get_server (router));
}
