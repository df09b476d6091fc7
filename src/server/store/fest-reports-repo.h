/* fest-reports-repo.h: the queries behind the finance reports (GET /reports/...)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Main-thread reads on the festival store's read connection. Period bounds are RFC 3339 UTC as
 * stored ([@from, @to) on created_at), either nullable. Sales are the lines of PAYMENT rows, the
 * lines a CANCEL copied from its payment counting negative; a REFUND has no lines and is only a
 * money figure of the summary. VAT is the lines' stored vat_amount, never recomputed.
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-write-ctx.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_REPORT_GROUP_STAND,
  FEST_REPORT_GROUP_PRODUCT,
  FEST_REPORT_GROUP_CATEGORY,
  FEST_REPORT_GROUP_HOUR,
  FEST_REPORT_GROUP_OPERATOR,
  FEST_REPORT_GROUP_VAT_RATE,
} FestReportGroup;

typedef struct
{
  const char *key;        /* "" for rows without (no stand, no category, no operator) */
  const char *label;
  gint64      quantity;
  gint64      amount;     /* Σ quantity × unit_price, VAT included */
  gint64      vat_amount;
} FestReportRow;

/* One line of the line export; strings nullable. quantity, amount and VAT are negative on a
 * CANCEL's lines. */
typedef struct
{
  const char *created_at;
  const char *transaction_id;
  const char *type;
  const char *stand_id;
  const char *stand_name;
  const char *operator_id;
  const char *product_id;
  const char *product_name;
  gint64      quantity;
  gint64      unit_price;
  gint64      amount;
  gint64      vat_rate_bp;
  gint64      vat_amount;
} FestReportLine;

typedef void (*FestReportRowFunc)    (const FestReportRow *row,
                                      gpointer             user_data);
typedef void (*FestReportVatFunc)    (gint64               rate_bp,
                                      gint64               gross,
                                      gint64               vat,
                                      gpointer             user_data);
/* @payment_method: RECHARGE rows only (NULL read as CASH), NULL for the other types. */
typedef void (*FestReportLedgerFunc) (const char          *type,
                                      const char          *payment_method,
                                      gint64               count,
                                      gint64               amount,
                                      gpointer             user_data);

typedef struct _FestReportCursor FestReportCursor;

/* The festival's exchange rate (euro-cents per unit), currency name and time zone. */
gboolean  fest_reports_repo_festival      (FestFestivalStore     *store,
                                           gint64                *rate_cents,
                                           char                 **currency_name,
                                           char                 **timezone,
                                           GError               **error);
/* Sales grouped by @group, ordered by key. */
gboolean  fest_reports_repo_sales         (FestFestivalStore     *store,
                                           const char            *from,
                                           const char            *to,
                                           FestReportGroup        group,
                                           FestReportRowFunc      func,
                                           gpointer               user_data,
                                           GError               **error);
/* Sales per VAT rate (basis points), highest rate first. */
gboolean  fest_reports_repo_vat           (FestFestivalStore     *store,
                                           const char            *from,
                                           const char            *to,
                                           FestReportVatFunc      func,
                                           gpointer               user_data,
                                           GError               **error);
/* Ledger rows per type (and payment method for RECHARGE): count and sum of signed amounts. */
gboolean  fest_reports_repo_ledger        (FestFestivalStore     *store,
                                           const char            *from,
                                           const char            *to,
                                           FestReportLedgerFunc   func,
                                           gpointer               user_data,
                                           GError               **error);
/* Now, whatever the period: the sum of wallet balances and the wallets below zero. */
gboolean  fest_reports_repo_wallets       (FestFestivalStore     *store,
                                           gint64                *outstanding,
                                           gint64                *overdrawn,
                                           GError               **error);

/* Rows of the ledger the hourly report sums do not hold yet. */
gboolean  fest_reports_repo_unfolded_rows (FestFestivalStore     *store,
                                           gint64                *count,
                                           GError               **error);
/* Writer: folds up to @max_rows more ledger rows into the hourly sums; @more when rows remain. */
gboolean  fest_reports_repo_fold          (FestWriteCtx          *ctx,
                                           gint64                 max_rows,
                                           gboolean              *more,
                                           GError               **error);
/* Every line with created_at in the period, in time order, read one at a time on a connection of
 * the cursor's own (one snapshot for the whole export, constant memory). */
FestReportCursor *fest_reports_cursor_open (FestFestivalStore    *store,
                                            const char           *from,
                                            const char           *to,
                                            GError              **error);
/* TRUE with @line filled (valid until the next call), FALSE at the end or on error (@error set). */
gboolean  fest_reports_cursor_next        (FestReportCursor      *cursor,
                                           FestReportLine        *line,
                                           GError               **error);
void      fest_reports_cursor_free        (FestReportCursor      *cursor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestReportCursor, fest_reports_cursor_free)

G_END_DECLS
