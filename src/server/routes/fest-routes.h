/* fest-routes.h: every route area of the /api/v1 API, registered on the server's router
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-router.h"

G_BEGIN_DECLS

/* Registers the routes of every area below on @router, in this order. The FestServerRoutesFunc
 * that whoever builds the server (main.c) gives fest_server_new() in FestServerConfig. */
void fest_routes_register_all      (FestRouter *router);

/* Each area registers its routes (one file per area, src/server/routes/fest-routes-<area>.c). */
void fest_routes_platform_register (FestRouter *router);  /* health, auth, me, festivals */
void fest_routes_team_register     (FestRouter *router);  /* members, devices */
void fest_routes_catalog_register  (FestRouter *router);  /* stands, products */
void fest_routes_lineup_register   (FestRouter *router);  /* stages, artists, slots, lineup.ics */
void fest_routes_gates_register    (FestRouter *router);  /* gates */
void fest_routes_artist_portal_register (FestRouter *router); /* me/artist, me/artist/guests */
void fest_routes_audit_register    (FestRouter *router);  /* audit */
void fest_routes_ledger_register   (FestRouter *router);  /* wallets, transactions, me/wallet */
void fest_routes_topups_register   (FestRouter *router);  /* me/wallet/recharge, payments/webhook */
void fest_routes_tickets_register  (FestRouter *router);  /* ticket types, tickets, ticket-key */
void fest_routes_sync_register     (FestRouter *router);  /* sync, sync/changes */
void fest_routes_incidents_register(FestRouter *router);  /* incidents */
void fest_routes_live_register     (FestRouter *router);  /* stats, events */
void fest_routes_reports_register  (FestRouter *router);  /* reports/sales, vat, summary, lines */
void fest_routes_closures_register (FestRouter *router);  /* closures */
void fest_routes_shifts_register   (FestRouter *router);  /* shifts */
void fest_routes_tiles_register    (FestRouter *router);  /* tiles/{z}/{x}/{y}.png */

G_END_DECLS
