/* fest-stats.c: the live dashboard figures of one festival (GET /stats, event stats:update)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-live-util.h"
#include "fest-stats.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

#define QUARTER_S   (15 * 60)
#define N_QUARTERS  96

static gboolean
query_int (FestFestivalStore *store,
           const char        *sql,
           const char        *text_param,
           gint64            *out,
           GError           **error)
{
  sqlite3_stmt *stmt = fest_festival_store_prepare_read (store, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text_param != NULL)
    fest_live_bind_text (stmt, 1, text_param);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fest_live_stmt_error (stmt, error);
  *out = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static JsonObject *
money_object (gint64 amount,
              gint64 rate_cents)
{
  JsonObject *object = json_object_new ();
  gint64 eur_cents = 0;

  json_object_set_int_member (object, "amount", amount);
  if (fest_money_to_eur_cents (amount, rate_cents, &eur_cents))
    json_object_set_int_member (object, "eur_cents", eur_cents);
  else
    json_object_set_null_member (object, "eur_cents");
  return object;
}

/* Ledger rows per type. */
typedef struct
{
  gint64 count, payments, refunds, cancels, recharges;
  gint64 sales, recharge_amount, total;
} LedgerSums;

/* Rows with created_at in [@from, @to) (either nullable), or the whole ledger from the folded
 * totals plus the rows after the checkpoint when both are NULL. */
static gboolean
sum_ledger (FestFestivalStore *store,
            const char        *from,
            const char        *to,
            LedgerSums        *sums,
            GError           **error)
{
  sqlite3_stmt *stmt;
  gboolean period = from != NULL || to != NULL;
  int rc;

  memset (sums, 0, sizeof *sums);
  if (period)
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT type, COUNT(*), SUM(amount) FROM transactions"
                                             " WHERE (?1 IS NULL OR created_at >= ?1)"
                                             "  AND (?2 IS NULL OR created_at < ?2)"
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
                                             ") GROUP BY type",
                                             error);
  if (stmt == NULL)
    return FALSE;
  if (period && (!fest_live_bind_text (stmt, 1, from) || !fest_live_bind_text (stmt, 2, to)))
    return fest_live_stmt_error (stmt, error);

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *type = (const char *) sqlite3_column_text (stmt, 0);
      gint64 n = sqlite3_column_int64 (stmt, 1);
      gint64 amount = sqlite3_column_int64 (stmt, 2);

      sums->count += n;
      sums->total += amount;
      if (g_str_equal (type, "PAYMENT"))
        sums->payments = n, sums->sales -= amount;
      else if (g_str_equal (type, "REFUND"))
        sums->refunds = n, sums->sales -= amount;
      else if (g_str_equal (type, "CANCEL"))
        sums->cancels = n, sums->sales -= amount;
      else if (g_str_equal (type, "RECHARGE"))
        sums->recharges = n, sums->recharge_amount = amount;
    }
  if (rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
add_ledger_figures (FestFestivalStore *store,
                    JsonObject        *stats,
                    const char        *from,
                    const char        *to,
                    GError           **error)
{
  sqlite3_stmt *stmt;
  gint64 rate_cents = 0;
  gint64 float_amount;
  LedgerSums sums;
  g_autofree char *currency = NULL;
  JsonObject *transactions;
  JsonObject *recharge;
  JsonObject *money;
  JsonArray *per_stand;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT exchange_rate_cents, currency_name FROM festival LIMIT 1",
                                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival row is missing");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return fest_live_stmt_error (stmt, error);
  rate_cents = sqlite3_column_int64 (stmt, 0);
  currency = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
  sqlite3_reset (stmt);

  /* The float is the whole ledger's, whatever the period. */
  if (!sum_ledger (store, NULL, NULL, &sums, error))
    return FALSE;
  float_amount = sums.total;
  if ((from != NULL || to != NULL) && !sum_ledger (store, from, to, &sums, error))
    return FALSE;

  transactions = json_object_new ();
  json_object_set_int_member (transactions, "count", sums.count);
  json_object_set_int_member (transactions, "payments", sums.payments);
  json_object_set_int_member (transactions, "refunds", sums.refunds);
  json_object_set_int_member (transactions, "cancels", sums.cancels);
  json_object_set_object_member (stats, "transactions", transactions);

  money = money_object (sums.sales, rate_cents);
  json_object_set_string_member (money, "currency_name", currency);
  json_object_set_object_member (stats, "revenue", money);

  recharge = money_object (sums.recharge_amount, rate_cents);
  json_object_set_int_member (recharge, "count", sums.recharges);
  json_object_set_object_member (stats, "recharges", recharge);

  /* balance = Σ amount for every wallet, so the outstanding float is the ledger's total. */
  json_object_set_int_member (stats, "float", float_amount);
  {
    gint64 eur = 0;

    if (fest_money_to_eur_cents (float_amount, rate_cents, &eur))
      json_object_set_int_member (stats, "float_eur_cents", eur);
    else
      json_object_set_null_member (stats, "float_eur_cents");
  }

  per_stand = json_array_new ();
  json_object_set_array_member (stats, "revenue_per_stand", per_stand);
  if (from != NULL || to != NULL)
    stmt = fest_festival_store_prepare_read (store,
                                             "SELECT s.id, s.name, COALESCE(-SUM(t.amount), 0) AS revenue"
                                             " FROM stands s LEFT JOIN ("
                                             "  SELECT stand_id, amount FROM transactions"
                                             "  WHERE type IN ('PAYMENT', 'REFUND', 'CANCEL') AND stand_id IS NOT NULL"
                                             "   AND (?1 IS NULL OR created_at >= ?1) AND (?2 IS NULL OR created_at < ?2)"
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
      && (!fest_live_bind_text (stmt, 1, from) || !fest_live_bind_text (stmt, 2, to)))
    return fest_live_stmt_error (stmt, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *stand = json_object_new ();
      gint64 eur = 0;

      fest_live_set_text_column (stand, "stand_id", stmt, 0);
      fest_live_set_text_column (stand, "name", stmt, 1);
      json_object_set_int_member (stand, "amount", sqlite3_column_int64 (stmt, 2));
      if (fest_money_to_eur_cents (sqlite3_column_int64 (stmt, 2), rate_cents, &eur))
        json_object_set_int_member (stand, "eur_cents", eur);
      json_array_add_object_element (per_stand, stand);
    }
  if (rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);

  {
    gint64 overdrawn = 0;
    gint64 unfolded = 0;

    if (!query_int (store, "SELECT COUNT(*) FROM wallets WHERE overdrawn <> 0", NULL, &overdrawn, error) ||
        !query_int (store, "SELECT COALESCE(MAX(seq), 0) - (SELECT transactions_seq FROM stats_checkpoint"
                           " WHERE id = 1) FROM transactions", NULL, &unfolded, error))
      return FALSE;
    json_object_set_int_member (stats, "overdrawn_wallets", overdrawn);
    if (unfolded > FEST_STATS_FOLD_THRESHOLD)
      fest_stats_fold (store);
  }
  return TRUE;
}

static gboolean
add_entry_figures (FestFestivalStore *store,
                   JsonObject        *stats,
                   GDateTime         *now,
                   const char        *from,
                   const char        *to,
                   GError           **error)
{
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autofree char *hour_ago_text = fest_time_format (hour_ago);
  g_autoptr(GHashTable) quarters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) first = NULL;
  g_autofree char *first_text = NULL;
  gint64 total = 0, last_hour = 0, duplicates = 0, unique_tickets = 0;
  gint64 now_s = g_date_time_to_unix (now);
  JsonObject *entries;
  JsonArray *buckets;
  sqlite3_stmt *stmt;
  int rc;

  if (from != NULL || to != NULL)
    {
      sqlite3_stmt *period = fest_festival_store_prepare_read (store,
                                                               "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY'"
                                                               " AND (?1 IS NULL OR scanned_at >= ?1)"
                                                               " AND (?2 IS NULL OR scanned_at < ?2)",
                                                               error);

      if (period == NULL)
        return FALSE;
      if (!fest_live_bind_text (period, 1, from) || !fest_live_bind_text (period, 2, to)
          || sqlite3_step (period) != SQLITE_ROW)
        return fest_live_stmt_error (period, error);
      total = sqlite3_column_int64 (period, 0);
      sqlite3_reset (period);
    }
  else if (!query_int (store, "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY'", NULL, &total, error))
    return FALSE;

  if (!query_int (store, "SELECT COUNT(*) FROM scans WHERE result = 'ENTRY' AND scanned_at >= ?1", hour_ago_text,
                  &last_hour, error) ||
      !query_int (store, "SELECT COUNT(*) FROM scans WHERE result = 'DUPLICATE_ENTRY'", NULL, &duplicates, error) ||
      !query_int (store, "SELECT COUNT(*) FROM tickets WHERE used_at IS NOT NULL", NULL, &unique_tickets, error))
    return FALSE;

  entries = json_object_new ();
  json_object_set_int_member (entries, "total", total);
  json_object_set_int_member (entries, "last_hour", last_hour);
  json_object_set_int_member (entries, "unique_tickets", unique_tickets);
  json_object_set_object_member (stats, "entries", entries);
  json_object_set_int_member (stats, "duplicate_entries", duplicates);

  /* Quarter hours of the last 24 hours, keyed "YYYY-MM-DDTHH:MM" (UTC) in SQL and in C. */
  first = g_date_time_new_from_unix_utc ((now_s / QUARTER_S - (N_QUARTERS - 1)) * QUARTER_S);
  first_text = fest_time_format (first);
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT substr(scanned_at, 1, 14)"
                                           "  || printf('%02d', CAST(substr(scanned_at, 15, 2) AS INTEGER) / 15 * 15)"
                                           "  AS quarter, COUNT(*)"
                                           " FROM scans WHERE result = 'ENTRY' AND scanned_at >= ?1 GROUP BY quarter",
                                           error);
  if (stmt == NULL)
    return FALSE;
  fest_live_bind_text (stmt, 1, first_text);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_insert (quarters, g_strdup ((const char *) sqlite3_column_text (stmt, 0)),
                         GSIZE_TO_POINTER ((gsize) sqlite3_column_int64 (stmt, 1)));
  if (rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);

  buckets = json_array_new ();
  for (guint i = 0; i < N_QUARTERS; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_seconds (first, (gdouble) i * QUARTER_S);
      g_autofree char *key = g_date_time_format (start, "%Y-%m-%dT%H:%M");
      g_autofree char *start_text = fest_time_format (start);
      JsonObject *bucket = json_object_new ();

      json_object_set_string_member (bucket, "start", start_text);
      json_object_set_int_member (bucket, "count", GPOINTER_TO_SIZE (g_hash_table_lookup (quarters, key)));
      json_array_add_object_element (buckets, bucket);
    }
  json_object_set_array_member (stats, "entries_per_quarter_hour", buckets);
  return TRUE;
}

static gboolean
add_station_figures (FestFestivalStore *store,
                     FestPlatformStore *platform,
                     const char        *festival_id,
                     JsonObject        *stats,
                     GError           **error)
{
  JsonArray *stations = json_array_new ();
  sqlite3_stmt *stmt;
  gint64 open_incidents = 0;
  int rc;

  json_object_set_array_member (stats, "stations", stations);
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT device_id, last_contact, pending FROM station_status"
                                           " ORDER BY last_contact DESC",
                                           error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonObject *station = json_object_new ();
      const char *device_id = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(FestDevice) device = NULL;

      json_object_set_string_member (station, "device_id", device_id);
      if (platform != NULL && festival_id != NULL && fest_uuid_is_valid (device_id))
        device = fest_platform_store_get_device (platform, festival_id, device_id, NULL);
      if (device != NULL)
        json_object_set_string_member (station, "name", device->name);
      else
        json_object_set_null_member (station, "name");
      fest_live_set_text_column (station, "last_contact", stmt, 1);
      json_object_set_int_member (station, "pending", sqlite3_column_int64 (stmt, 2));
      json_array_add_object_element (stations, station);
    }
  if (rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);

  if (!query_int (store, "SELECT COUNT(*) FROM incidents WHERE status <> 'RESOLVED'", NULL, &open_incidents, error))
    return FALSE;
  json_object_set_int_member (stats, "open_incidents", open_incidents);
  return TRUE;
}

/* Folding */

#define FOLDING_KEY "fest-stats-folding"

gboolean
fest_stats_fold_in_job (FestWriteCtx  *ctx,
                        GError       **error)
{
  sqlite3_stmt *stmt;

  /* The writer runs one job at a time: no row can slip between the two statements. */
  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO stats_transactions (type, stand_id, count, amount)"
                                 " SELECT type, COALESCE(stand_id, ''), COUNT(*), SUM(amount) FROM transactions"
                                 " WHERE seq > (SELECT transactions_seq FROM stats_checkpoint WHERE id = 1)"
                                 " GROUP BY 1, 2"
                                 " ON CONFLICT (type, stand_id) DO UPDATE SET count = count + excluded.count,"
                                 "  amount = amount + excluded.amount",
                                 error);
  if (stmt == NULL || !fest_live_step_done (stmt, error))
    return FALSE;
  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE stats_checkpoint SET transactions_seq ="
                                 " (SELECT COALESCE(MAX(seq), 0) FROM transactions) WHERE id = 1",
                                 error);
  if (stmt == NULL || !fest_live_step_done (stmt, error))
    return FALSE;
  return TRUE;
}

static gboolean
fold_job (FestWriteCtx   *ctx,
          gpointer        job_data,
          gpointer       *result,
          GDestroyNotify *result_free,
          GError        **error)
{
  *result_free = NULL;
  if (!fest_stats_fold_in_job (ctx, error))
    return FALSE;
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

static void
fold_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_object_set_data (source, FOLDING_KEY, NULL);
  if (fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error) == NULL)
    g_warning ("Could not fold the statistics of %s: %s",
               fest_festival_store_get_path (FEST_FESTIVAL_STORE (source)), error->message);
}

void
fest_stats_fold (FestFestivalStore *store)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (store));

  if (g_object_get_data (G_OBJECT (store), FOLDING_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (store), FOLDING_KEY, GINT_TO_POINTER (TRUE));
  fest_festival_store_write_async (store, fold_job, NULL, NULL, NULL, fold_done_cb, NULL);
}

JsonNode *
fest_stats_compute (FestFestivalStore *store,
                    FestPlatformStore *platform,
                    const char        *festival_id,
                    GError           **error)
{
  return fest_stats_compute_period (store, platform, festival_id, NULL, NULL, error);
}

JsonNode *
fest_stats_compute_period (FestFestivalStore *store,
                           FestPlatformStore *platform,
                           const char        *festival_id,
                           const char        *from,
                           const char        *to,
                           GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = fest_time_format (now);
  g_autoptr(JsonObject) stats = json_object_new ();
  sqlite3 *db = fest_festival_store_get_read_db (store);
  gboolean own_snapshot = sqlite3_get_autocommit (db) != 0;
  gboolean ok;

  /* One snapshot for every figure. */
  if (own_snapshot && sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
    return fest_sqlite_error (db, error), NULL;
  ok = add_ledger_figures (store, stats, from, to, error) &&
       add_entry_figures (store, stats, now, from, to, error) &&
       add_station_figures (store, platform, festival_id, stats, error);
  if (own_snapshot)
    sqlite3_exec (db, "COMMIT", NULL, NULL, NULL);
  if (!ok)
    return NULL;

  json_object_set_string_member (stats, "generated_at", now_text);
  if (from != NULL || to != NULL)
    {
      JsonObject *period = json_object_new ();

      fest_json_set_nullable_string (period, "from", from);
      fest_json_set_nullable_string (period, "to", to);
      json_object_set_object_member (stats, "period", period);
    }
  return json_node_init_object (json_node_alloc (), stats);
}
