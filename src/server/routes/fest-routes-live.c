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

/* GET /stats[?from=&to=] */

/* An optional RFC 3339 bound, normalised as stored. FALSE after replying 400 when given but not a
 * time (empty included): ignoring it would answer for another period. */
static gboolean
query_time (FestRequest  *req,
            const char   *name,
            char        **out)
{
  const char *text = fest_request_get_query (req, name);

  *out = NULL;
  if (text == NULL)
    return TRUE;
  *out = fest_time_normalize (text);
  if (*out == NULL)
    {
      g_autoptr(GError) error = fest_error_validation (name, "%s must be an RFC 3339 time", name);

      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
get_stats (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  JsonNode *stats;

  if (!query_time (req, "from", &from) || !query_time (req, "to", &to))
    return;
  if (from != NULL && to != NULL)
    {
      g_autoptr(GDateTime) from_time = fest_time_parse (from);
      g_autoptr(GDateTime) to_time = fest_time_parse (to);

      if (g_date_time_compare (from_time, to_time) > 0)
        {
          g_autoptr(GError) order = fest_error_validation ("to", "to must not be before from");

          fest_request_reply_gerror (req, order);
          return;
        }
    }

  stats = fest_stats_compute_period (fest_request_get_store (req),
                                     fest_server_get_platform (server), auth->festival_id, from, to,
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

  fest_events_hub_add_client (fest_events_hub_get (fest_request_get_server (req)), auth->festival_id, auth->roles,
                              auth->account_id, connection,
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
