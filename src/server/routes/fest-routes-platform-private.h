/* fest-routes-platform-private.h: platform route helpers shared by the festival, team and demo code
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-server.h"

G_BEGIN_DECLS

/* ["ORGANISER", "CASHIER"] */
JsonNode *_fest_strv_node       (FestRoles           roles);
gboolean  _fest_email_is_valid  (const char         *email);
/* The festival's JSON with the caller's @roles in it; NULL with NOT_FOUND. */
JsonNode *_fest_festival_json_for (FestServer         *server,
                                   const char         *festival_id,
                                   FestRoles           roles,
                                   GError            **error);
/* The roles @auth has in @festival_id (a superadmin sees every festival, with no roles); FALSE
 * when it may not see it. */
gboolean  _fest_festival_roles_of (FestServer         *server,
                                   const FestAuth     *auth,
                                   const char         *festival_id,
                                   FestRoles          *roles);
/* GET/POST /festivals, GET/PATCH /festivals/{id} (fest-routes-festivals.c). */
void      _fest_routes_festivals_register (FestRouter *router);
/* Blocking insert of the festival row with a fresh Ed25519 key pair (command line only). */
gboolean  _fest_festival_insert (FestFestivalStore  *store,
                                 const char         *festival_id,
                                 const char         *name,
                                 const char         *starts_at,
                                 const char         *ends_at,
                                 const char         *timezone,
                                 const char         *currency_name,
                                 gint64              exchange_rate_cents,
                                 double              lat,
                                 double              lng,
                                 const FestActor    *actor,
                                 GError            **error);

G_END_DECLS
