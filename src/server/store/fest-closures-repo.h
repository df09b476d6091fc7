/* fest-closures-repo.h: the closures table and the ledger sums a closure records (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A closure covers the ledger rows with created_at in [starts_at, ends_at) and seq up to the
 * ledger's last row when it was written (a row that arrives later, an offline sale stamped in a
 * closed day, is in no closure and leaves the closure's figures as they were).
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-ledger-check-repo.h"
#include "fest-write-ctx.h"

G_BEGIN_DECLS

typedef struct
{
  gint64  seq;
  char   *id;
  char   *period;                 /* DAY MONTH YEAR */
  char   *date;                   /* 2026-07-10, 2026-07, 2026 */
  char   *starts_at;
  char   *ends_at;
  gint64  transaction_count;
  gint64  sales_total;
  gint64  grand_total;
  char   *totals;                 /* canonical JSON text */
  gint64  last_transaction_seq;   /* 0: the ledger was empty */
  char   *last_transaction_id;    /* nullable */
  char   *last_transaction_hash;  /* nullable */
  char   *closed_by;              /* nullable */
  char   *created_at;
  char   *prev_hash;
  char   *hash;
} FestClosureRow;

void      fest_closure_row_clear        (FestClosureRow      *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestClosureRow, fest_closure_row_clear)

/* What a closure records of the ledger: rows with created_at in [@starts_at, @ends_at) and
 * seq ≤ @max_seq. @totals: {"vat":[{rate_bp, gross, vat, net}…],"payment_methods":[{payment_method,
 * count, amount}…],"refunds":{count, amount},"cancels":{count, amount}}, written the same way
 * every time. */
typedef struct
{
  gint64  transaction_count;
  gint64  sales_total;
  char   *totals;
} FestClosureSums;

void      fest_closure_sums_clear       (FestClosureSums     *sums);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestClosureSums, fest_closure_sums_clear)

/* Writer thread */
gboolean  fest_closures_repo_exists     (FestWriteCtx        *ctx,
                                         const char          *period,
                                         const char          *date,
                                         gboolean            *exists,
                                         GError             **error);
gboolean  fest_closures_repo_has_rows   (FestWriteCtx        *ctx,
                                         const char          *starts_at,
                                         const char          *ends_at,
                                         gboolean            *has_rows,
                                         GError             **error);
/* The ledger's last row (seq 0 and NULLs when empty). */
gboolean  fest_closures_repo_last_ledger_row (FestWriteCtx   *ctx,
                                         gint64              *seq,
                                         char               **id,
                                         char               **hash,
                                         GError             **error);
gboolean  fest_closures_repo_sums       (FestWriteCtx        *ctx,
                                         const char          *starts_at,
                                         const char          *ends_at,
                                         gint64               max_seq,
                                         FestClosureSums     *sums,
                                         GError             **error);
/* The last closure's seq and hash (0 and NULL when none), and Σ sales_total of DAY closures. */
gboolean  fest_closures_repo_chain_head (FestWriteCtx        *ctx,
                                         gint64              *seq,
                                         char               **hash,
                                         gint64              *day_sales,
                                         GError             **error);
gboolean  fest_closures_repo_insert     (FestWriteCtx        *ctx,
                                         const FestClosureRow *row,
                                         GError             **error);

/* Main thread */
typedef void (*FestClosureFunc) (const FestClosureRow *row,
                                 gpointer              user_data);
/* Every closure, newest first; ?period filter nullable. */
gboolean  fest_closures_repo_list       (FestFestivalStore   *store,
                                         const char          *period,
                                         FestClosureFunc      func,
                                         gpointer             user_data,
                                         GError             **error);
/* FALSE without error when there is none. */
gboolean  fest_closures_repo_get        (FestFestivalStore   *store,
                                         const char          *id,
                                         FestClosureRow      *row,
                                         GError             **error);

/* --check: every closure in chain order, and the sums again from the ledger. A database without
 * the closures table (older than migration 10) has none. */
gboolean  fest_closures_check_db_each   (FestLedgerCheckDb   *db,
                                         FestClosureFunc      func,
                                         gpointer             user_data,
                                         GError             **error);
gboolean  fest_closures_check_db_sums   (FestLedgerCheckDb   *db,
                                         const char          *starts_at,
                                         const char          *ends_at,
                                         gint64               max_seq,
                                         FestClosureSums     *sums,
                                         GError             **error);

G_END_DECLS
