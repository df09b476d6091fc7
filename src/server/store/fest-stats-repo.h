/* fest-stats-repo.h: the queries behind the live dashboard figures (domain/fest-stats.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-thread reads on the festival store's read connection, but fest_stats_repo_fold (writer
 * thread). Period bounds are RFC 3339 UTC as stored, either nullable.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef void (*FestStatsTypeFunc)    (const char *type,
                                      gint64      count,
                                      gint64      amount,
                                      gpointer    user_data);
typedef void (*FestStatsStandFunc)   (const char *stand_id,
                                      const char *name,
                                      gint64      amount,
                                      gpointer    user_data);
typedef void (*FestStatsStationFunc) (const char *device_id,
                                      const char *last_contact,   /* nullable */
                                      gint64      pending,
                                      gpointer    user_data);

/* One snapshot for every figure read between the two: *@own_snapshot tells _end whether this
 * call opened it. */
gboolean  fest_stats_repo_begin              (FestFestivalStore     *store,
                                              gboolean              *own_snapshot,
                                              GError               **error);
void      fest_stats_repo_end                (FestFestivalStore     *store,
                                              gboolean               own_snapshot);

/* The festival's exchange rate (cents per unit) and currency name. */
gboolean  fest_stats_repo_festival_currency  (FestFestivalStore     *store,
                                              gint64                *rate_cents,
                                              char                 **currency_name,
                                              GError               **error);
/* Ledger rows per type (count, sum of amounts): those with created_at in [@from, @to), or the
 * whole ledger from the folded totals plus the rows after the checkpoint when both are NULL. */
gboolean  fest_stats_repo_ledger_by_type     (FestFestivalStore     *store,
                                              const char            *from,
                                              const char            *to,
                                              FestStatsTypeFunc      func,
                                              gpointer               user_data,
                                              GError               **error);
/* Sales per stand (the opposite of the PAYMENT, REFUND and CANCEL amounts), best first; stands
 * deleted with no sale left out. Over [@from, @to), or the whole ledger when both are NULL. */
gboolean  fest_stats_repo_revenue_per_stand  (FestFestivalStore     *store,
                                              const char            *from,
                                              const char            *to,
                                              FestStatsStandFunc     func,
                                              gpointer               user_data,
                                              GError               **error);
gboolean  fest_stats_repo_overdrawn_wallets  (FestFestivalStore     *store,
                                              gint64                *count,
                                              GError               **error);
/* Ledger rows after the statistics' checkpoint. */
gboolean  fest_stats_repo_unfolded_rows      (FestFestivalStore     *store,
                                              gint64                *count,
                                              GError               **error);
/* ENTRY scans in [@from, @to), all of them when both are NULL. */
gboolean  fest_stats_repo_entries            (FestFestivalStore     *store,
                                              const char            *from,
                                              const char            *to,
                                              gint64                *count,
                                              GError               **error);
gboolean  fest_stats_repo_entries_since      (FestFestivalStore     *store,
                                              const char            *since,
                                              gint64                *count,
                                              GError               **error);
gboolean  fest_stats_repo_duplicate_entries  (FestFestivalStore     *store,
                                              gint64                *count,
                                              GError               **error);
/* Tickets that entered at least once. */
gboolean  fest_stats_repo_entered_tickets    (FestFestivalStore     *store,
                                              gint64                *count,
                                              GError               **error);
/* ENTRY scans since @since per quarter hour: keys "YYYY-MM-DDTHH:MM" (UTC, owned by @quarters,
 * freed with g_free), counts as GSIZE_TO_POINTER. */
gboolean  fest_stats_repo_entries_per_quarter (FestFestivalStore    *store,
                                              const char            *since,
                                              GHashTable            *quarters,
                                              GError               **error);
/* The stations' last contacts, latest first. */
gboolean  fest_stats_repo_stations           (FestFestivalStore     *store,
                                              FestStatsStationFunc   func,
                                              gpointer               user_data,
                                              GError               **error);
gboolean  fest_stats_repo_open_incidents     (FestFestivalStore     *store,
                                              gint64                *count,
                                              GError               **error);

/* Writer thread: folds up to @max_rows ledger rows after the checkpoint into stats_transactions;
 * @more when rows remain. */
gboolean  fest_stats_repo_fold               (FestWriteCtx          *ctx,
                                              gint64                 max_rows,
                                              gboolean              *more,
                                              GError               **error);

G_END_DECLS
