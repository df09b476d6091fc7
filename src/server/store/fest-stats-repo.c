/* fest-stats-repo.c: the queries behind the live dashboard figures (domain/fest-stats.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-stats-repo.h"
#include "fest-store-private.h"

gboolean
fest_stats_repo_begin (FestFestivalStore *store,
                       gboolean          *own_snapshot,
                       GError           **error)
{
  FestDb *db = fest_festival_store_get_read_db (store);

  *own_snapshot = !fest_db_in_transaction (db);
  if (*own_snapshot && !fest_db_exec (db, "BEGIN", error))
    {
      *own_snapshot = FALSE;
      return FALSE;
    }
  return TRUE;
}

void
fest_stats_repo_end (FestFestivalStore *store,
                     gboolean           own_snapshot)
{
  if (own_snapshot)
    fest_db_exec (fest_festival_store_get_read_db (store), "COMMIT", NULL);
}

gboolean
fest_stats_repo_festival_currency (FestFestivalStore *store,
                                   gint64            *rate_cents,
                                   char             **currency_name,
                                   GError           **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT exchange_rate_cents, currency_name FROM festival LIMIT 1",
                                           error);
  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_DONE)
    {
      fest_db_reset (stmt);
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival row is missing");
      return FALSE;
    }
  if (rc != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *rate_cents = fest_db_column_int64 (stmt, 0);
  *currency_name = fest_db_column_dup (stmt, 1);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_stats_repo_ledger_by_type (FestFestivalStore *store,
                                const char        *from,
                                const char        *to,
                                FestStatsTypeFunc  func,
                                gpointer           user_data,
                                GError           **error)
{
  FestDbStmt *stmt;
  gboolean period = from != NULL || to != NULL;
  int rc;

  if (period)
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT type, COUNT(*), SUM(amount) FROM transactions"
                                             " WHERE (CAST(?1 AS TEXT) IS NULL OR created_at >= ?1)"
                                             "  AND (CAST(?2 AS TEXT) IS NULL OR created_at < ?2)"
                                             " GROUP BY type",
                                             error);
  else
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT type, SUM(n), SUM(total) FROM ("
                                             "  SELECT type, count AS n, amount AS total FROM stats_transactions"
                                             "  UNION ALL"
                                             "  SELECT type, COUNT(*), SUM(amount) FROM transactions"
                                             "  WHERE seq > (SELECT transactions_seq FROM stats_checkpoint WHERE id = 1)"
                                             "  GROUP BY type"
                                             ") AS totals GROUP BY type",
                                             error);
  if (stmt == NULL)
    return FALSE;
  if (period && (!fest_db_bind_text_or_null (stmt, 1, from) || !fest_db_bind_text_or_null (stmt, 2, to)))
    return fest_db_stmt_fail (stmt, error);

  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_text (stmt, 0), fest_db_column_int64 (stmt, 1),
          fest_db_column_int64 (stmt, 2), user_data);
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_stats_repo_revenue_per_stand (FestFestivalStore  *store,
                                   const char         *from,
                                   const char         *to,
                                   FestStatsStandFunc  func,
                                   gpointer            user_data,
                                   GError            **error)
{
  FestDbStmt *stmt;
  int rc;

  if (from != NULL || to != NULL)
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT s.id, s.name, COALESCE(-SUM(t.amount), 0) AS revenue"
                                             " FROM stands s LEFT JOIN ("
                                             "  SELECT stand_id, amount FROM transactions"
                                             "  WHERE type IN ('PAYMENT', 'REFUND', 'CANCEL') AND stand_id IS NOT NULL"
                                             "   AND (CAST(?1 AS TEXT) IS NULL OR created_at >= ?1) AND (CAST(?2 AS TEXT) IS NULL OR created_at < ?2)"
                                             " ) t ON t.stand_id = s.id"
                                             " WHERE s.deleted = 0 OR t.stand_id IS NOT NULL"
                                             " GROUP BY s.id ORDER BY revenue DESC, s.name",
                                             error);
  else
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT s.id, s.name, COALESCE(-SUM(t.amount), 0) AS revenue"
                                             " FROM stands s LEFT JOIN ("
                                             "  SELECT stand_id, amount FROM stats_transactions"
                                             "  WHERE type IN ('PAYMENT', 'REFUND', 'CANCEL')"
                                             "  UNION ALL"
                                             "  SELECT stand_id, SUM(amount) FROM transactions"
                                             "  WHERE seq > (SELECT transactions_seq FROM stats_checkpoint WHERE id = 1)"
                                             "   AND type IN ('PAYMENT', 'REFUND', 'CANCEL') AND stand_id IS NOT NULL"
                                             "  GROUP BY stand_id"
                                             " ) t ON t.stand_id = s.id"
                                             " WHERE s.deleted = 0 OR t.stand_id IS NOT NULL"
                                             " GROUP BY s.id ORDER BY revenue DESC, s.name",
                                             error);
  if (stmt == NULL)
    return FALSE;
  if ((from != NULL || to != NULL)
      && (!fest_db_bind_text_or_null (stmt, 1, from) || !fest_db_bind_text_or_null (stmt, 2, to)))
    return fest_db_stmt_fail (stmt, error);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_text (stmt, 0), fest_db_column_text (stmt, 1),
          fest_db_column_int64 (stmt, 2), user_data);
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_stats_repo_overdrawn_wallets (FestFestivalStore *store,
                                   gint64            *count,
                                   GError           **error)
{
  return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM wallets WHERE overdrawn <> 0", NULL, count,
                                         error);
}

gboolean
fest_stats_repo_unfolded_rows (FestFestivalStore *store,
                               gint64            *count,
                               GError           **error)
{
  return fest_festival_store_read_int64 (store,
                                         "SELECT COALESCE(MAX(seq), 0) - (SELECT transactions_seq FROM stats_checkpoint"
                                         " WHERE id = 1) FROM transactions",
                                         NULL, count, error);
}

gboolean
fest_stats_repo_entries (FestFestivalStore *store,
                         const char        *from,
                         const char        *to,
                         gint64            *count,
                         GError           **error)
{
  FestDbStmt *period;

  if (from == NULL && to == NULL)
    return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY'", NULL, count,
                                           error);

  period = fest_festival_store_prepare_read (store,
                                             "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY'"
                                             " AND (CAST(?1 AS TEXT) IS NULL OR scanned_at >= ?1)"
                                             " AND (CAST(?2 AS TEXT) IS NULL OR scanned_at < ?2)",
                                             error);
  if (period == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (period, 1, from) || !fest_db_bind_text_or_null (period, 2, to)
      || fest_db_step (period) != FEST_DB_ROW)
    return fest_db_stmt_fail (period, error);
  *count = fest_db_column_int64 (period, 0);
  fest_db_reset (period);
  return TRUE;
}

gboolean
fest_stats_repo_entries_since (FestFestivalStore *store,
                               const char        *since,
                               gint64            *count,
                               GError           **error)
{
  return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY' AND scanned_at >= ?1",
                                         since, count, error);
}

gboolean
fest_stats_repo_duplicate_entries (FestFestivalStore *store,
                                   gint64            *count,
                                   GError           **error)
{
  return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM scans WHERE result = 'DUPLICATE_ENTRY'", NULL,
                                         count, error);
}

gboolean
fest_stats_repo_entered_tickets (FestFestivalStore *store,
                                 gint64            *count,
                                 GError           **error)
{
  return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM tickets WHERE used_at IS NOT NULL", NULL, count,
                                         error);
}

gboolean
fest_stats_repo_entries_per_quarter (FestFestivalStore *store,
                                     const char        *since,
                                     GHashTable        *quarters,
                                     GError           **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT substr(scanned_at, 1, 14)"
                                           "  || substr(CAST(100 + CAST(substr(scanned_at, 15, 2) AS INTEGER) / 15 * 15 AS TEXT), 2)"
                                           "  AS quarter, COUNT(*)"
                                           " FROM scans WHERE result = 'ENTRY' AND scanned_at >= ?1 GROUP BY quarter",
                                           error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, since);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_hash_table_insert (quarters, fest_db_column_dup (stmt, 0),
                         GSIZE_TO_POINTER ((gsize) fest_db_column_int64 (stmt, 1)));
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_stats_repo_stations (FestFestivalStore    *store,
                          FestStatsStationFunc  func,
                          gpointer              user_data,
                          GError              **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT device_id, last_contact, pending FROM station_status"
                                           " ORDER BY last_contact DESC",
                                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_text (stmt, 0), fest_db_column_text (stmt, 1),
          fest_db_column_int64 (stmt, 2), user_data);
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_stats_repo_open_incidents (FestFestivalStore *store,
                                gint64            *count,
                                GError           **error)
{
  return fest_festival_store_read_int64 (store, "SELECT COUNT(*) FROM incidents WHERE status <> 'RESOLVED'", NULL, count,
                                         error);
}

gboolean
fest_stats_repo_fold (FestWriteCtx  *ctx,
                      gint64         max_rows,
                      gboolean      *more,
                      GError       **error)
{
#define STATS_UPSERT \
  " ON CONFLICT (type, stand_id) DO UPDATE SET count = stats_transactions.count + excluded.count," \
  " amount = stats_transactions.amount + excluded.amount"
  /* SQLite adds each row to its sum as it reads it (no sorter: see fest_write_ctx_fold_ledger);
   * PostgreSQL refuses an upsert that meets the same row twice, so its rows are grouped first. */
  static const char * const inserts[] = {
    "INSERT INTO stats_transactions (type, stand_id, count, amount)"
    " SELECT type, COALESCE(stand_id, ''), 1, amount FROM transactions WHERE seq > ?1 AND seq <= ?2"
    STATS_UPSERT,
    NULL,
  };
  static const char * const pg_inserts[] = {
    "INSERT INTO stats_transactions (type, stand_id, count, amount)"
    " SELECT type, COALESCE(stand_id, ''), COUNT(*), SUM(amount) FROM transactions WHERE seq > ?1 AND seq <= ?2"
    " GROUP BY type, COALESCE(stand_id, '')"
    STATS_UPSERT,
    NULL,
  };

  return fest_write_ctx_fold_ledger (ctx, "stats_checkpoint",
                                     fest_db_is_pg (fest_write_ctx_get_db (ctx)) ? pg_inserts : inserts,
                                     max_rows, more, error);
}
