/* fest-router.h: route table of the /api/v1 API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-request.h"

G_BEGIN_DECLS

typedef void (*FestHandler) (FestRequest *req);

typedef enum
{
  FEST_ROUTE_AUTHENTICATED = 0,       /* a valid token is required (default) */
  FEST_ROUTE_PUBLIC        = 1 << 0,  /* no token needed; a token sent is still resolved */
  FEST_ROUTE_FESTIVAL      = 1 << 1,  /* the token must have a current festival (404 otherwise) */
  FEST_ROUTE_WEBSOCKET     = 1 << 2,  /* handled by the WebSocket handler, not as plain HTTP */
} FestRouteFlags;

typedef enum
{
  FEST_RATE_CLASS_GET,                /* 1000/min */
  FEST_RATE_CLASS_POST,               /* other POST/PATCH/DELETE, 100/min */
  FEST_RATE_CLASS_TRANSACTION,        /* POST /transactions, 100/min (devices: higher) */
  FEST_RATE_CLASS_INCIDENT,           /* POST /incidents, 10/min */
  FEST_RATE_CLASS_RECHARGE_SELF,      /* POST /me/wallet/recharge, 20/h */
  FEST_RATE_CLASS_LOGIN,              /* POST /auth/login: per account and address (handler) */
  FEST_RATE_CLASS_NONE,
} FestRateClass;

typedef struct _FestRouter FestRouter;

/* @pattern is below /api/v1 with {name} segments: "/stands/{id}". @permission is checked against
 * the token's roles before the handler runs (FEST_PERM_NONE: any authenticated caller). The rate
 * class is derived from the method unless set with fest_router_add_full(). */
void fest_router_add      (FestRouter     *router,
                           const char     *method,
                           const char     *pattern,
                           FestRouteFlags  flags,
                           FestPermission  permission,
                           FestHandler     handler);
void fest_router_add_full (FestRouter     *router,
                           const char     *method,
                           const char     *pattern,
                           FestRouteFlags  flags,
                           FestPermission  permission,
                           FestRateClass   rate_class,
                           FestHandler     handler);

/* The server the routes are registered on (for areas that need it at registration time, e.g. to
 * add an event sink with fest_server_add_event_sink()). */
FestServer *fest_router_get_server   (FestRouter     *router);

/* Request body limit of one route, in bytes (default: the server's max_body_size, 1 MiB).
 * Bodies over it are refused with 413 PAYLOAD_TOO_LARGE while they arrive, before buffering:
 * on the Content-Length header, or while counting chunks. Call after adding the route. */
void fest_router_set_max_body        (FestRouter     *router,
                                      const char     *method,
                                      const char     *pattern,
                                      gsize           max_body);

/* WebSocket routes. The router authenticates the upgrade request (bearer token in the
 * Authorization header, or ?access_token= since browsers cannot set headers on WebSockets),
 * checks FEST_ROUTE_FESTIVAL and @permission, and answers 401/403/404 in the JSON envelope
 * instead of upgrading when they fail. Once the handshake is done @handler gets the request
 * (auth, store and server as for plain routes; do not reply on it) and the connection: ref the
 * connection (and the request, if needed) to keep them. The socket's idle timeout is lifted for
 * WebSocket connections: use soup_websocket_connection_set_keepalive_interval() to detect dead
 * peers. */
typedef void (*FestWebsocketHandler) (FestRequest             *req,
                                      SoupWebsocketConnection *connection);

void fest_router_add_websocket       (FestRouter           *router,
                                      const char           *pattern,
                                      FestRouteFlags        flags,
                                      FestPermission        permission,
                                      FestWebsocketHandler  handler);

G_END_DECLS
