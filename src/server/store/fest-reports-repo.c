/* fest-reports-repo.c: the queries behind the finance reports (GET /reports/...)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-reports-repo.h"
#include "fest-store-private.h"

/* A CANCEL copies its payment's lines: they count negative. */
#define LINE_SIGN "(CASE t.type WHEN 'CANCEL' THEN -1 ELSE 1 END)"
/* A CANCEL sent without a stand counts at its payment's stand. */
#define LINE_STAND "COALESCE(t.stand_id, (SELECT p.stand_id FROM transactions p WHERE p.id = t.refers_to))"
/* Bound as '' and '~' when open (every time sorts between), so that idx_transactions_created
 * ranges over the period. */
#define PERIOD "t.created_at >= ?1 AND t.created_at < ?2"

struct _FestReportCursor
{
  FestDb      *db;     /* its own: see fest_reports_cursor_open */
  FestDbStmt *stmt;
};

/* A line export reads for seconds. On a connection of its own it keeps its snapshot to itself (on
 * the shared read connection every other read would see the ledger as it was when the export
 * began), and a small page cache: it reads each page once, in order. */
#define CURSOR_CACHE_KIB 2048

gboolean
fest_reports_repo_festival (FestFestivalStore *store,
                            gint64            *rate_cents,
                            char             **currency_name,
                            char             **timezone,
                            GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT exchange_rate_cents, currency_name, timezone FROM festival LIMIT 1",
                                           error);
  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_DONE)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival row is missing");
      return FALSE;
    }
  if (rc != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *rate_cents = fest_db_column_int64 (stmt, 0);
  *currency_name = fest_db_column_dup (stmt, 1);
  *timezone = fest_db_column_dup (stmt, 2);
  return TRUE;
}

/* Where a report reads a period from (migration 12). The folded hours it covers whole come from
 * the hourly sums; the partial hours at its bounds and the rows after the checkpoint from the
 * ledger itself. One statement, so one snapshot: a fold between two reads cannot count a row twice.
 *   ?1, ?2  the period [from, to) ('' and '~' when open)
 *   ?3, ?4  the whole hours [first, end) as hour keys ("2026-07-10T21"): an hour key compares with a
 *           created_at as that hour's start, so they bound the lines too. Equal when the period
 *           covers no whole hour; then the lines of [from, to) are read instead.
 * The rows after the checkpoint are found by seq: "created_at || ''" keeps SQLite from scanning the
 * period's created_at index for them (as SQLite's unary "+created_at" would, which PostgreSQL lacks).
 * CROSS JOIN keeps SQLite from reading the lines first; its join condition is in the WHERE clause,
 * for PostgreSQL has no CROSS JOIN ... ON. */
#define RAW_LINES(cond) \
  " SELECT substr(t.created_at, 1, 13) AS hour, COALESCE(" LINE_STAND ", '') AS stand_id," \
  "  COALESCE(t.operator_id, '') AS operator_id, l.product_id AS product_id, l.vat_rate_bp AS vat_rate_bp," \
  "  l.name AS name, " LINE_SIGN " * l.quantity AS quantity, " LINE_SIGN " * l.quantity * l.unit_price AS amount," \
  "  " LINE_SIGN " * l.vat_amount AS vat_amount" \
  " FROM transactions t CROSS JOIN transaction_lines l" \
  " WHERE l.transaction_id = t.id AND t.type IN ('PAYMENT', 'CANCEL') AND " cond
#define SALES_SOURCE \
  "(SELECT hour, stand_id, operator_id, product_id, vat_rate_bp, name, quantity, amount, vat_amount" \
  " FROM report_sales WHERE hour >= ?3 AND hour < ?4" \
  " UNION ALL" RAW_LINES ("t.created_at >= ?1 AND t.created_at < ?3") \
  " UNION ALL" RAW_LINES ("t.created_at >= ?4 AND t.created_at < ?2") \
  " UNION ALL" RAW_LINES ("t.seq > (SELECT transactions_seq FROM report_checkpoint WHERE id = 1)" \
                          " AND t.created_at || '' >= ?3 AND t.created_at || '' < ?4") \
  ") r"
#define RAW_ROWS(cond) \
  " SELECT substr(t.created_at, 1, 13) AS hour, t.type AS type," \
  "  CASE t.type WHEN 'RECHARGE' THEN COALESCE(t.payment_method, 'CASH') ELSE '' END AS method," \
  "  1 AS count, t.amount AS amount FROM transactions t WHERE " cond
#define LEDGER_SOURCE \
  "(SELECT hour, type, method, count, amount FROM report_ledger WHERE hour >= ?3 AND hour < ?4" \
  " UNION ALL" RAW_ROWS ("t.created_at >= ?1 AND t.created_at < ?3") \
  " UNION ALL" RAW_ROWS ("t.created_at >= ?4 AND t.created_at < ?2") \
  " UNION ALL" RAW_ROWS ("t.seq > (SELECT transactions_seq FROM report_checkpoint WHERE id = 1)" \
                         " AND t.created_at || '' >= ?3 AND t.created_at || '' < ?4") \
  ") r"

static const char *
sales_sql (FestReportGroup group)
{
#define SALES(key, label, joins) \
  "SELECT " key " AS k, " label ", SUM(r.quantity), SUM(r.amount), SUM(r.vat_amount)" \
  " FROM " SALES_SOURCE " " joins " GROUP BY k ORDER BY k"

  switch (group)
    {
    case FEST_REPORT_GROUP_STAND:
      return SALES ("r.stand_id", "COALESCE(MAX(s.name), r.stand_id)", "LEFT JOIN stands s ON s.id = r.stand_id");
    case FEST_REPORT_GROUP_PRODUCT:
      return SALES ("r.product_id", "COALESCE(MAX(p.name), MAX(r.name))", "LEFT JOIN products p ON p.id = r.product_id");
    case FEST_REPORT_GROUP_CATEGORY:
      return SALES ("COALESCE(p.category, '')", "COALESCE(p.category, '')", "LEFT JOIN products p ON p.id = r.product_id");
    case FEST_REPORT_GROUP_HOUR:
      return SALES ("r.hour || ':00:00Z'", "r.hour || ':00:00Z'", "");
    case FEST_REPORT_GROUP_OPERATOR:
      return SALES ("r.operator_id", "r.operator_id", "");
    case FEST_REPORT_GROUP_VAT_RATE:
      return SALES ("CAST(r.vat_rate_bp AS TEXT)", "MAX(r.vat_rate_bp)", "");
    default:
      g_assert_not_reached ();
    }
#undef SALES
}

/* The hour key ("2026-07-10T21") of the hour @time starts or is in, the next one when @ceil and
 * @time is past the hour's start. */
static void
hour_key (const char *time,
          gboolean    ceil,
          char        key[14])
{
  g_autoptr(GDateTime) parsed = fest_time_parse (time);
  g_autoptr(GDateTime) hour = NULL;
  g_autofree char *text = NULL;

  g_strlcpy (key, time, 14);
  if (parsed == NULL)
    return;
  hour = g_date_time_add_full (parsed, 0, 0, 0, 0, -g_date_time_get_minute (parsed),
                               -g_date_time_get_seconds (parsed));
  if (ceil && g_date_time_compare (hour, parsed) < 0)
    {
      GDateTime *next = g_date_time_add_hours (hour, 1);

      g_date_time_unref (hour);
      hour = next;
    }
  text = g_date_time_format (hour, "%Y-%m-%dT%H");
  g_strlcpy (key, text, 14);
}

static void
bind_period (FestDbStmt *stmt,
             const char *from,
             const char *to)
{
  const char *start = from != NULL ? from : "";
  const char *end = to != NULL ? to : "~";
  char first[14] = "";
  char last[14] = "~";

  if (from != NULL)
    hour_key (from, TRUE, first);
  if (to != NULL)
    hour_key (to, FALSE, last);
  fest_db_bind_text_or_null (stmt, 1, start);
  fest_db_bind_text_or_null (stmt, 2, end);
  if (strcmp (first, last) >= 0)
    {
      /* No whole hour: all of [from, to) from the lines. */
      fest_db_bind_text_or_null (stmt, 3, end);
      fest_db_bind_text_or_null (stmt, 4, end);
    }
  else
    {
      fest_db_bind_text_or_null (stmt, 3, first);
      fest_db_bind_text_or_null (stmt, 4, last);
    }
}

gboolean
fest_reports_repo_sales (FestFestivalStore *store,
                         const char        *from,
                         const char        *to,
                         FestReportGroup    group,
                         FestReportRowFunc  func,
                         gpointer           user_data,
                         GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store, sales_sql (group), error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      g_autofree char *label = NULL;
      char key[G_ASCII_DTOSTR_BUF_SIZE];
      FestReportRow row = {
        .key = fest_db_column_text (stmt, 0),
        .quantity = fest_db_column_int64 (stmt, 2),
        .amount = fest_db_column_int64 (stmt, 3),
        .vat_amount = fest_db_column_int64 (stmt, 4),
      };

      if (group == FEST_REPORT_GROUP_VAT_RATE)
        {
          /* The rate as the API writes it elsewhere: percent, "20", "5.5". */
          g_ascii_dtostr (key, sizeof key, fest_vat_rate_to_percent ((guint) fest_db_column_int64 (stmt, 1)));
          row.key = key;
          label = g_strdup_printf ("%s %%", key);
        }
      else
        label = fest_db_column_dup (stmt, 1);
      row.label = label != NULL ? label : "";
      if (row.key == NULL)
        row.key = "";
      func (&row, user_data);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return TRUE;
}

gboolean
fest_reports_repo_vat (FestFestivalStore *store,
                       const char        *from,
                       const char        *to,
                       FestReportVatFunc  func,
                       gpointer           user_data,
                       GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT r.vat_rate_bp, SUM(r.amount), SUM(r.vat_amount)"
                                           " FROM " SALES_SOURCE
                                           " GROUP BY r.vat_rate_bp ORDER BY r.vat_rate_bp DESC",
                                           error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_int64 (stmt, 0), fest_db_column_int64 (stmt, 1), fest_db_column_int64 (stmt, 2),
          user_data);
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return TRUE;
}

gboolean
fest_reports_repo_ledger (FestFestivalStore    *store,
                          const char           *from,
                          const char           *to,
                          FestReportLedgerFunc  func,
                          gpointer              user_data,
                          GError              **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT r.type, NULLIF(r.method, ''), SUM(r.count), SUM(r.amount)"
                                           " FROM " LEDGER_SOURCE
                                           " GROUP BY r.type, r.method ORDER BY r.type, r.method",
                                           error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_text (stmt, 0), fest_db_column_text (stmt, 1),
          fest_db_column_int64 (stmt, 2), fest_db_column_int64 (stmt, 3), user_data);
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return TRUE;
}

gboolean
fest_reports_repo_unfolded_rows (FestFestivalStore *store,
                                 gint64            *count,
                                 GError           **error)
{
  return fest_festival_store_read_int64 (store,
                                         "SELECT COALESCE(MAX(seq), 0) - (SELECT transactions_seq FROM report_checkpoint"
                                         " WHERE id = 1) FROM transactions",
                                         NULL, count, error);
}

gboolean
fest_reports_repo_fold (FestWriteCtx  *ctx,
                        gint64         max_rows,
                        gboolean      *more,
                        GError       **error)
{
#define SALES_INSERT \
  "INSERT INTO report_sales (hour, stand_id, operator_id, product_id, vat_rate_bp, name, quantity, amount," \
  " vat_amount)"
#define SALES_UPSERT \
  " ON CONFLICT (hour, stand_id, operator_id, product_id, vat_rate_bp) DO UPDATE SET" \
  "  name = CASE WHEN excluded.name > report_sales.name THEN excluded.name ELSE report_sales.name END," \
  "  quantity = report_sales.quantity + excluded.quantity, amount = report_sales.amount + excluded.amount," \
  "  vat_amount = report_sales.vat_amount + excluded.vat_amount"
#define LEDGER_UPSERT \
  " ON CONFLICT (hour, type, method) DO UPDATE SET count = report_ledger.count + excluded.count," \
  "  amount = report_ledger.amount + excluded.amount"
  /* The SELECTs' columns are in the INSERTs' order; their WHERE keeps SQLite from reading
   * ON CONFLICT as a join constraint. SQLite adds each row to its sum as it reads it (no sorter:
   * see fest_write_ctx_fold_ledger); PostgreSQL refuses an upsert that meets the same row twice,
   * so its rows are grouped first. */
  static const char * const inserts[] = {
    SALES_INSERT RAW_LINES ("t.seq > ?1 AND t.seq <= ?2") SALES_UPSERT,
    "INSERT INTO report_ledger (hour, type, method, count, amount)"
    RAW_ROWS ("t.seq > ?1 AND t.seq <= ?2") LEDGER_UPSERT,
    NULL,
  };
  static const char * const pg_inserts[] = {
    SALES_INSERT
    " SELECT hour, stand_id, operator_id, product_id, vat_rate_bp, MAX(name), SUM(quantity), SUM(amount),"
    "  SUM(vat_amount) FROM (" RAW_LINES ("t.seq > ?1 AND t.seq <= ?2") ") raw"
    " GROUP BY hour, stand_id, operator_id, product_id, vat_rate_bp" SALES_UPSERT,
    "INSERT INTO report_ledger (hour, type, method, count, amount)"
    " SELECT hour, type, method, SUM(count), SUM(amount) FROM (" RAW_ROWS ("t.seq > ?1 AND t.seq <= ?2") ") raw"
    " GROUP BY hour, type, method" LEDGER_UPSERT,
    NULL,
  };

  return fest_write_ctx_fold_ledger (ctx, "report_checkpoint",
                                     fest_db_is_pg (fest_write_ctx_get_db (ctx)) ? pg_inserts : inserts,
                                     max_rows, more, error);
}

gboolean
fest_reports_repo_wallets (FestFestivalStore *store,
                           gint64            *outstanding,
                           gint64            *overdrawn,
                           GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT COALESCE(SUM(balance), 0),"
                                           " COALESCE(SUM(CASE WHEN balance < 0 THEN 1 ELSE 0 END), 0) FROM wallets",
                                           error);
  if (stmt == NULL)
    return FALSE;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *outstanding = fest_db_column_int64 (stmt, 0);
  *overdrawn = fest_db_column_int64 (stmt, 1);
  return TRUE;
}

FestReportCursor *
fest_reports_cursor_open (FestFestivalStore *store,
                          const char        *from,
                          const char        *to,
                          GError           **error)
{
  FestReportCursor *cursor = g_new0 (FestReportCursor, 1);

  cursor->db = _fest_festival_store_connect (store, error);
  if (cursor->db == NULL
      || (!fest_db_is_pg (cursor->db)
          && !fest_db_exec (cursor->db, "PRAGMA query_only=ON; PRAGMA temp_store=FILE;"
                                        "PRAGMA cache_size=-" G_STRINGIFY (CURSOR_CACHE_KIB) ";", error)))
    {
      fest_reports_cursor_free (cursor);
      return NULL;
    }
  cursor->stmt = fest_db_prepare_uncached (cursor->db,
                          "SELECT t.created_at, t.id, t.type, " LINE_STAND ", s.name, t.operator_id, l.product_id,"
                          " l.name, " LINE_SIGN " * l.quantity, l.unit_price, " LINE_SIGN " * l.quantity * l.unit_price,"
                          " l.vat_rate_bp, " LINE_SIGN " * l.vat_amount"
                          " FROM transactions t CROSS JOIN transaction_lines l"
                          " LEFT JOIN stands s ON s.id = " LINE_STAND
                          " WHERE l.transaction_id = t.id AND " PERIOD " ORDER BY t.created_at, t.seq, l.line_no", error);
  if (cursor->stmt == NULL)
    {
      fest_reports_cursor_free (cursor);
      return NULL;
    }
  fest_db_bind_text_or_null (cursor->stmt, 1, from != NULL ? from : "");
  fest_db_bind_text_or_null (cursor->stmt, 2, to != NULL ? to : "~");
  return cursor;
}

gboolean
fest_reports_cursor_next (FestReportCursor *cursor,
                          FestReportLine   *line,
                          GError          **error)
{
  FestDbStmt *stmt = cursor->stmt;
  int rc = fest_db_step (stmt);

  if (rc == FEST_DB_DONE)
    return FALSE;
  if (rc != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  line->created_at = fest_db_column_text (stmt, 0);
  line->transaction_id = fest_db_column_text (stmt, 1);
  line->type = fest_db_column_text (stmt, 2);
  line->stand_id = fest_db_column_text (stmt, 3);
  line->stand_name = fest_db_column_text (stmt, 4);
  line->operator_id = fest_db_column_text (stmt, 5);
  line->product_id = fest_db_column_text (stmt, 6);
  line->product_name = fest_db_column_text (stmt, 7);
  line->quantity = fest_db_column_int64 (stmt, 8);
  line->unit_price = fest_db_column_int64 (stmt, 9);
  line->amount = fest_db_column_int64 (stmt, 10);
  line->vat_rate_bp = fest_db_column_int64 (stmt, 11);
  line->vat_amount = fest_db_column_int64 (stmt, 12);
  return TRUE;
}

void
fest_reports_cursor_free (FestReportCursor *cursor)
{
  if (cursor == NULL)
    return;
  /* The statement before its connection. */
  g_clear_pointer (&cursor->stmt, fest_db_stmt_free);
  g_clear_pointer (&cursor->db, fest_db_free);
  g_free (cursor);
}
