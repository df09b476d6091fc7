/* fest-stats.h: the live dashboard figures of one festival (GET /stats, event stats:update)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-platform-store.h"

G_BEGIN_DECLS

/* Reads the figures on the store's read connection (main thread). Constant time in the size of
 * the ledger: transaction counts and sums come from stats_transactions, kept by a trigger.
 * @platform (nullable) names the stations. */
JsonNode *fest_stats_compute (FestFestivalStore *store,
                              FestPlatformStore *platform,
                              const char        *festival_id,
                              GError           **error);

G_END_DECLS
