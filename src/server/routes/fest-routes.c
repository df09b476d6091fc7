/* fest-routes.c: every route area of the /api/v1 API, registered on the server's router
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-routes.h"

void
fest_routes_register_all (FestRouter *router)
{
  fest_routes_platform_register (router);
  fest_routes_team_register (router);
  fest_routes_catalog_register (router);
  fest_routes_lineup_register (router);
  fest_routes_gates_register (router);
  fest_routes_artist_portal_register (router);
  fest_routes_audit_register (router);
  fest_routes_ledger_register (router);
  fest_routes_topups_register (router);
  fest_routes_tickets_register (router);
  fest_routes_sync_register (router);
  fest_routes_incidents_register (router);
  fest_routes_live_register (router);
  fest_routes_reports_register (router);
  fest_routes_closures_register (router);
  fest_routes_shifts_register (router);
  fest_routes_tiles_register (router);
}
