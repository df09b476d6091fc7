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
  FEST_RATE_CLASS_LOGIN,              /* POST /auth/login: per IP */
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

/* Each area registers its routes (one file per area, src/server/fest-routes-<area>.c). */
void fest_routes_platform_register (FestRouter *router);  /* health, auth, me, festivals */
void fest_routes_team_register     (FestRouter *router);  /* members, devices */
void fest_routes_catalog_register  (FestRouter *router);  /* stands, products */
void fest_routes_audit_register    (FestRouter *router);  /* audit */
void fest_routes_ledger_register   (FestRouter *router);  /* wallets, transactions, me/wallet */
void fest_routes_tickets_register  (FestRouter *router);  /* ticket types, tickets, ticket-key */
void fest_routes_sync_register     (FestRouter *router);  /* sync, sync/changes */
void fest_routes_incidents_register(FestRouter *router);  /* incidents */
void fest_routes_live_register     (FestRouter *router);  /* stats, events */

G_END_DECLS
