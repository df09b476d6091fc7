/* fest-stats.h: the live dashboard figures of one festival (GET /stats, event stats:update)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-platform-store.h"

G_BEGIN_DECLS

/* Reads the figures on the store's read connection (main thread). Transaction counts and sums
 * come from stats_transactions (folded up to a checkpoint) plus the ledger rows after the
 * checkpoint, so the cost does not grow with the ledger. @platform (nullable) names the stations.
 * Queues a fold when many rows are past the checkpoint. */
JsonNode *fest_stats_compute (FestFestivalStore *store,
                              FestPlatformStore *platform,
                              const char        *festival_id,
                              GError           **error);

/* The same with the period figures (transactions, revenue, recharges, revenue_per_stand,
 * entries.total) counted over [@from, @to) only, RFC 3339 UTC as stored (fest_time_format), either
 * nullable; the float, wallets, stations, incidents and the last 24 hours stay as they are now. */
JsonNode *fest_stats_compute_period (FestFestivalStore *store,
                                     FestPlatformStore *platform,
                                     const char        *festival_id,
                                     const char        *from,
                                     const char        *to,
                                     GError           **error);

/* Rows past the checkpoint above which a fold is queued. */
#define FEST_STATS_FOLD_THRESHOLD 1000

/* Queues a write job folding the ledger rows after the checkpoints into stats_transactions and the
 * report sums (a chunk at a time: the job queues the next until none remain); at most one is
 * queued per store at a time. Main thread. */
void      fest_stats_fold    (FestFestivalStore *store);

/* Writer thread, inside a write job: folds the ledger rows after the checkpoints now (the report
 * sums: one chunk). The ledger calls it every FEST_STATS_FOLD_THRESHOLD rows, so that the unfolded
 * tails stay short. */
gboolean  fest_stats_fold_in_job (FestWriteCtx  *ctx,
                                  GError       **error);

G_END_DECLS
