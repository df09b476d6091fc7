/* fest-closures-repo.c: the closures table and the ledger sums a closure records (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-closures-repo.h"
#include "fest-core.h"
#include "fest-store-private.h"

#define CLOSURE_COLUMNS \
  "seq, id, period, date, starts_at, ends_at, transaction_count, sales_total, grand_total, totals," \
  " last_transaction_seq, last_transaction_id, last_transaction_hash, closed_by, created_at, prev_hash, hash"

/* Rows of the closure: created_at in the period, recorded up to the ledger's last row then. */
#define CLOSED_ROWS "t.created_at >= ?1 AND t.created_at < ?2 AND t.seq <= ?3"

void
fest_closure_row_clear (FestClosureRow *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->period, g_free);
  g_clear_pointer (&row->date, g_free);
  g_clear_pointer (&row->starts_at, g_free);
  g_clear_pointer (&row->ends_at, g_free);
  g_clear_pointer (&row->totals, g_free);
  g_clear_pointer (&row->last_transaction_id, g_free);
  g_clear_pointer (&row->last_transaction_hash, g_free);
  g_clear_pointer (&row->closed_by, g_free);
  g_clear_pointer (&row->created_at, g_free);
  g_clear_pointer (&row->prev_hash, g_free);
  g_clear_pointer (&row->hash, g_free);
}

void
fest_closure_sums_clear (FestClosureSums *sums)
{
  g_clear_pointer (&sums->totals, g_free);
}

static void
read_row (FestDbStmt     *stmt,
          FestClosureRow *row)
{
  row->seq = fest_db_column_int64 (stmt, 0);
  row->id = fest_db_column_dup (stmt, 1);
  row->period = fest_db_column_dup (stmt, 2);
  row->date = fest_db_column_dup (stmt, 3);
  row->starts_at = fest_db_column_dup (stmt, 4);
  row->ends_at = fest_db_column_dup (stmt, 5);
  row->transaction_count = fest_db_column_int64 (stmt, 6);
  row->sales_total = fest_db_column_int64 (stmt, 7);
  row->grand_total = fest_db_column_int64 (stmt, 8);
  row->totals = fest_db_column_dup (stmt, 9);
  row->last_transaction_seq = fest_db_column_int64 (stmt, 10);
  row->last_transaction_id = fest_db_column_dup (stmt, 11);
  row->last_transaction_hash = fest_db_column_dup (stmt, 12);
  row->closed_by = fest_db_column_dup (stmt, 13);
  row->created_at = fest_db_column_dup (stmt, 14);
  row->prev_hash = fest_db_column_dup (stmt, 15);
  row->hash = fest_db_column_dup (stmt, 16);
}

static FestDbStmt *
prepare (FestDb      *db,
         const char  *sql,
         GError     **error)
{
  return fest_db_prepare_uncached (db, sql, error);
}

static void
bind_closed_rows (FestDbStmt *stmt,
                  const char *starts_at,
                  const char *ends_at,
                  gint64      max_seq)
{
  fest_db_bind_text_or_null (stmt, 1, starts_at);
  fest_db_bind_text_or_null (stmt, 2, ends_at);
  fest_db_bind_int64 (stmt, 3, max_seq);
}

/* The sums, on any connection (the writer's, or --check's read-only one). */
static gboolean
sums_on (FestDb           *db,
         const char       *starts_at,
         const char       *ends_at,
         gint64            max_seq,
         FestClosureSums  *sums,
         GError          **error)
{
  g_autoptr(FestDbStmt) count = NULL;
  g_autoptr(FestDbStmt) vat = NULL;
  g_autoptr(FestDbStmt) methods = NULL;
  g_autoptr(FestDbStmt) reversals = NULL;
  g_autoptr(GString) out = g_string_new ("{\"vat\":[");
  gboolean first = TRUE;
  gint64 refund_count = 0, refund_amount = 0, cancel_count = 0, cancel_amount = 0;
  int rc;

  count = prepare (db, "SELECT COUNT(*) FROM transactions t WHERE " CLOSED_ROWS, error);
  vat = prepare (db,
                 "SELECT l.vat_rate_bp,"
                 " SUM((CASE t.type WHEN 'CANCEL' THEN -1 ELSE 1 END) * l.quantity * l.unit_price),"
                 " SUM((CASE t.type WHEN 'CANCEL' THEN -1 ELSE 1 END) * l.vat_amount)"
                 " FROM transactions t JOIN transaction_lines l ON l.transaction_id = t.id"
                 " WHERE t.type IN ('PAYMENT', 'CANCEL') AND " CLOSED_ROWS
                 " GROUP BY l.vat_rate_bp ORDER BY l.vat_rate_bp DESC", error);
  methods = prepare (db,
                     "SELECT COALESCE(t.payment_method, 'CASH') AS m, COUNT(*), SUM(t.amount) FROM transactions t"
                     " WHERE t.type = 'RECHARGE' AND " CLOSED_ROWS " GROUP BY m ORDER BY m", error);
  reversals = prepare (db,
                       "SELECT t.type, COUNT(*), SUM(t.amount) FROM transactions t"
                       " WHERE t.type IN ('REFUND', 'CANCEL') AND " CLOSED_ROWS " GROUP BY t.type", error);
  if (count == NULL || vat == NULL || methods == NULL || reversals == NULL)
    return FALSE;

  bind_closed_rows (count, starts_at, ends_at, max_seq);
  if (fest_db_step (count) != FEST_DB_ROW)
    return fest_db_error (db, error);
  sums->transaction_count = fest_db_column_int64 (count, 0);

  sums->sales_total = 0;
  bind_closed_rows (vat, starts_at, ends_at, max_seq);
  while ((rc = fest_db_step (vat)) == FEST_DB_ROW)
    {
      gint64 gross = (gint64) fest_db_column_int64 (vat, 1), tax = (gint64) fest_db_column_int64 (vat, 2);

      g_string_append_printf (out, "%s{\"rate_bp\":%" G_GINT64_FORMAT ",\"gross\":%" G_GINT64_FORMAT
                              ",\"vat\":%" G_GINT64_FORMAT ",\"net\":%" G_GINT64_FORMAT "}",
                              first ? "" : ",", (gint64) fest_db_column_int64 (vat, 0), gross, tax, gross - tax);
      sums->sales_total += gross;
      first = FALSE;
    }
  if (rc != FEST_DB_DONE)
    return fest_db_error (db, error);

  g_string_append (out, "],\"payment_methods\":[");
  first = TRUE;
  bind_closed_rows (methods, starts_at, ends_at, max_seq);
  while ((rc = fest_db_step (methods)) == FEST_DB_ROW)
    {
      g_autofree char *method = g_strescape (fest_db_column_text (methods, 0), NULL);

      g_string_append_printf (out, "%s{\"payment_method\":\"%s\",\"count\":%" G_GINT64_FORMAT ",\"amount\":%"
                              G_GINT64_FORMAT "}", first ? "" : ",", method, (gint64) fest_db_column_int64 (methods, 1),
                              (gint64) fest_db_column_int64 (methods, 2));
      first = FALSE;
    }
  if (rc != FEST_DB_DONE)
    return fest_db_error (db, error);

  bind_closed_rows (reversals, starts_at, ends_at, max_seq);
  while ((rc = fest_db_step (reversals)) == FEST_DB_ROW)
    {
      gboolean is_cancel = g_strcmp0 (fest_db_column_text (reversals, 0), "CANCEL") == 0;

      *(is_cancel ? &cancel_count : &refund_count) = fest_db_column_int64 (reversals, 1);
      *(is_cancel ? &cancel_amount : &refund_amount) = fest_db_column_int64 (reversals, 2);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_error (db, error);
  g_string_append_printf (out, "],\"refunds\":{\"count\":%" G_GINT64_FORMAT ",\"amount\":%" G_GINT64_FORMAT "},"
                          "\"cancels\":{\"count\":%" G_GINT64_FORMAT ",\"amount\":%" G_GINT64_FORMAT "}}",
                          refund_count, refund_amount, cancel_count, cancel_amount);
  sums->totals = g_string_free (g_steal_pointer (&out), FALSE);
  return TRUE;
}

gboolean
fest_closures_repo_exists (FestWriteCtx *ctx,
                           const char   *period,
                           const char   *date,
                           gboolean     *exists,
                           GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM closures WHERE period = ?1 AND date = ?2", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, period);
  fest_db_bind_text_or_null (stmt, 2, date);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *exists = rc == FEST_DB_ROW;
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_closures_repo_has_rows (FestWriteCtx *ctx,
                             const char   *starts_at,
                             const char   *ends_at,
                             gboolean     *has_rows,
                             GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "SELECT 1 FROM transactions WHERE created_at >= ?1 AND created_at < ?2"
                                               " LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, starts_at);
  fest_db_bind_text_or_null (stmt, 2, ends_at);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *has_rows = rc == FEST_DB_ROW;
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_closures_repo_last_ledger_row (FestWriteCtx *ctx,
                                    gint64       *seq,
                                    char        **id,
                                    char        **hash,
                                    GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT seq, id, hash FROM transactions ORDER BY seq DESC LIMIT 1",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  *seq = 0;
  *id = *hash = NULL;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      *seq = fest_db_column_int64 (stmt, 0);
      *id = fest_db_column_dup (stmt, 1);
      *hash = fest_db_column_dup (stmt, 2);
    }
  else if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_closures_repo_sums (FestWriteCtx    *ctx,
                         const char      *starts_at,
                         const char      *ends_at,
                         gint64           max_seq,
                         FestClosureSums *sums,
                         GError         **error)
{
  return sums_on (fest_write_ctx_get_db (ctx), starts_at, ends_at, max_seq, sums, error);
}

gboolean
fest_closures_repo_chain_head (FestWriteCtx *ctx,
                               gint64       *seq,
                               char        **hash,
                               gint64       *day_sales,
                               GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "SELECT (SELECT seq FROM closures ORDER BY seq DESC LIMIT 1),"
                                               " (SELECT hash FROM closures ORDER BY seq DESC LIMIT 1),"
                                               " (SELECT COALESCE(SUM(sales_total), 0) FROM closures WHERE period = 'DAY')",
                                               error);

  if (stmt == NULL)
    return FALSE;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *seq = fest_db_column_int64 (stmt, 0);
  *hash = fest_db_column_dup (stmt, 1);
  *day_sales = fest_db_column_int64 (stmt, 2);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_closures_repo_insert (FestWriteCtx         *ctx,
                           const FestClosureRow *row,
                           GError              **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "INSERT INTO closures (" CLOSURE_COLUMNS ") VALUES"
                                               " (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15,"
                                               " ?16, ?17)", error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, row->seq);
  fest_db_bind_text_or_null (stmt, 2, row->id);
  fest_db_bind_text_or_null (stmt, 3, row->period);
  fest_db_bind_text_or_null (stmt, 4, row->date);
  fest_db_bind_text_or_null (stmt, 5, row->starts_at);
  fest_db_bind_text_or_null (stmt, 6, row->ends_at);
  fest_db_bind_int64 (stmt, 7, row->transaction_count);
  fest_db_bind_int64 (stmt, 8, row->sales_total);
  fest_db_bind_int64 (stmt, 9, row->grand_total);
  fest_db_bind_text_or_null (stmt, 10, row->totals);
  if (row->last_transaction_seq > 0)
    fest_db_bind_int64 (stmt, 11, row->last_transaction_seq);
  fest_db_bind_text_or_null (stmt, 12, row->last_transaction_id);
  fest_db_bind_text_or_null (stmt, 13, row->last_transaction_hash);
  fest_db_bind_text_or_null (stmt, 14, row->closed_by);
  fest_db_bind_text_or_null (stmt, 15, row->created_at);
  fest_db_bind_text_or_null (stmt, 16, row->prev_hash);
  fest_db_bind_text_or_null (stmt, 17, row->hash);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_closures_repo_list (FestFestivalStore *store,
                         const char        *period,
                         FestClosureFunc    func,
                         gpointer           user_data,
                         GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT " CLOSURE_COLUMNS " FROM closures"
                                           " WHERE CAST(?1 AS TEXT) IS NULL OR period = ?1 ORDER BY seq DESC", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, period);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      g_auto(FestClosureRow) row = { 0 };

      read_row (stmt, &row);
      func (&row, user_data);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return TRUE;
}

gboolean
fest_closures_repo_get (FestFestivalStore *store,
                        const char        *id,
                        FestClosureRow    *row,
                        GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT " CLOSURE_COLUMNS " FROM closures WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      read_row (stmt, row);
      return TRUE;
    }
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return FALSE;
}

gboolean
fest_closures_check_db_each (FestLedgerCheckDb *check_db,
                             FestClosureFunc    func,
                             gpointer           user_data,
                             GError           **error)
{
  FestDb *db = _fest_ledger_check_db_get_db (check_db);
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  if (!fest_db_has_column (db, "closures", "seq"))
    return TRUE;
  stmt = prepare (db, "SELECT " CLOSURE_COLUMNS " FROM closures ORDER BY seq", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      g_auto(FestClosureRow) row = { 0 };

      read_row (stmt, &row);
      func (&row, user_data);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_error (db, error);
  return TRUE;
}

gboolean
fest_closures_check_db_sums (FestLedgerCheckDb *check_db,
                             const char        *starts_at,
                             const char        *ends_at,
                             gint64             max_seq,
                             FestClosureSums   *sums,
                             GError           **error)
{
  return sums_on (_fest_ledger_check_db_get_db (check_db), starts_at, ends_at, max_seq, sums, error);
}
