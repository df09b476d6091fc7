/* fest-platform-routes.h: helpers shared by the platform, team and demo code
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-server.h"
#include "fest-platform-store.h"

G_BEGIN_DECLS

/* ["ORGANISER", "CASHIER"] */
JsonNode *_fest_strv_node       (FestRoles           roles);
gboolean  _fest_email_is_valid  (const char         *email);
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
