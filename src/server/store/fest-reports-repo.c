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
  sqlite3_stmt *stmt;
};

gboolean
fest_reports_repo_festival (FestFestivalStore *store,
                            gint64            *rate_cents,
                            char             **currency_name,
                            char             **timezone,
                            GError           **error)
{
  sqlite3_stmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT exchange_rate_cents, currency_name, timezone FROM festival LIMIT 1",
                                           error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival row is missing");
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    return fest_sqlite_stmt_error (stmt, error);
  *rate_cents = sqlite3_column_int64 (stmt, 0);
  *currency_name = fest_sqlite_column_dup (stmt, 1);
  *timezone = fest_sqlite_column_dup (stmt, 2);
  return TRUE;
}

static const char *
sales_sql (FestReportGroup group)
{
#define SALES(key, label, joins) \
  "SELECT " key " AS k, " label ", SUM(" LINE_SIGN " * l.quantity)," \
  " SUM(" LINE_SIGN " * l.quantity * l.unit_price), SUM(" LINE_SIGN " * l.vat_amount)" \
  " FROM transactions t CROSS JOIN transaction_lines l ON l.transaction_id = t.id " joins \
  " WHERE t.type IN ('PAYMENT', 'CANCEL') AND " PERIOD " GROUP BY k ORDER BY k"

  switch (group)
    {
    case FEST_REPORT_GROUP_STAND:
      return SALES ("COALESCE(" LINE_STAND ", '')", "COALESCE(MAX(s.name), " LINE_STAND ", '')",
                    "LEFT JOIN stands s ON s.id = " LINE_STAND);
    case FEST_REPORT_GROUP_PRODUCT:
      return SALES ("l.product_id", "COALESCE(MAX(p.name), MAX(l.name))",
                    "LEFT JOIN products p ON p.id = l.product_id");
    case FEST_REPORT_GROUP_CATEGORY:
      return SALES ("COALESCE(p.category, '')", "COALESCE(p.category, '')",
                    "LEFT JOIN products p ON p.id = l.product_id");
    case FEST_REPORT_GROUP_HOUR:
      return SALES ("substr(t.created_at, 1, 13) || ':00:00Z'", "substr(t.created_at, 1, 13) || ':00:00Z'", "");
    case FEST_REPORT_GROUP_OPERATOR:
      return SALES ("COALESCE(t.operator_id, '')", "COALESCE(t.operator_id, '')", "");
    case FEST_REPORT_GROUP_VAT_RATE:
      return SALES ("printf('%d', l.vat_rate_bp)", "l.vat_rate_bp", "");
    default:
      g_assert_not_reached ();
    }
#undef SALES
}

static void
bind_period (sqlite3_stmt *stmt,
             const char   *from,
             const char   *to)
{
  fest_sqlite_bind_text (stmt, 1, from != NULL ? from : "");
  fest_sqlite_bind_text (stmt, 2, to != NULL ? to : "~");
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
  sqlite3_stmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store, sales_sql (group), error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autofree char *label = NULL;
      char key[G_ASCII_DTOSTR_BUF_SIZE];
      FestReportRow row = {
        .key = (const char *) sqlite3_column_text (stmt, 0),
        .quantity = sqlite3_column_int64 (stmt, 2),
        .amount = sqlite3_column_int64 (stmt, 3),
        .vat_amount = sqlite3_column_int64 (stmt, 4),
      };

      if (group == FEST_REPORT_GROUP_VAT_RATE)
        {
          /* The rate as the API writes it elsewhere: percent, "20", "5.5". */
          g_ascii_dtostr (key, sizeof key, fest_vat_rate_to_percent ((guint) sqlite3_column_int64 (stmt, 1)));
          row.key = key;
          label = g_strdup_printf ("%s %%", key);
        }
      else
        label = fest_sqlite_column_dup (stmt, 1);
      row.label = label != NULL ? label : "";
      if (row.key == NULL)
        row.key = "";
      func (&row, user_data);
    }
  if (rc != SQLITE_DONE)
    return fest_sqlite_stmt_error (stmt, error);
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
  sqlite3_stmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT l.vat_rate_bp, SUM(" LINE_SIGN " * l.quantity * l.unit_price),"
                                           " SUM(" LINE_SIGN " * l.vat_amount)"
                                           " FROM transactions t CROSS JOIN transaction_lines l ON l.transaction_id = t.id"
                                           " WHERE t.type IN ('PAYMENT', 'CANCEL') AND " PERIOD
                                           " GROUP BY l.vat_rate_bp ORDER BY l.vat_rate_bp DESC",
                                           error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func (sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1), sqlite3_column_int64 (stmt, 2),
          user_data);
  if (rc != SQLITE_DONE)
    return fest_sqlite_stmt_error (stmt, error);
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
  sqlite3_stmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  /* Recharges recorded before payment_method was required have none: they were cash. */
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT t.type,"
                                           " CASE t.type WHEN 'RECHARGE' THEN COALESCE(t.payment_method, 'CASH') END AS m,"
                                           " COUNT(*), SUM(t.amount)"
                                           " FROM transactions t WHERE " PERIOD
                                           " GROUP BY t.type, m ORDER BY t.type, m",
                                           error);
  if (stmt == NULL)
    return FALSE;
  bind_period (stmt, from, to);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    func ((const char *) sqlite3_column_text (stmt, 0), (const char *) sqlite3_column_text (stmt, 1),
          sqlite3_column_int64 (stmt, 2), sqlite3_column_int64 (stmt, 3), user_data);
  if (rc != SQLITE_DONE)
    return fest_sqlite_stmt_error (stmt, error);
  return TRUE;
}

gboolean
fest_reports_repo_wallets (FestFestivalStore *store,
                           gint64            *outstanding,
                           gint64            *overdrawn,
                           GError           **error)
{
  sqlite3_stmt *stmt FEST_STMT_AUTO_RESET = NULL;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT COALESCE(SUM(balance), 0),"
                                           " COALESCE(SUM(CASE WHEN balance < 0 THEN 1 ELSE 0 END), 0) FROM wallets",
                                           error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fest_sqlite_stmt_error (stmt, error);
  *outstanding = sqlite3_column_int64 (stmt, 0);
  *overdrawn = sqlite3_column_int64 (stmt, 1);
  return TRUE;
}

FestReportCursor *
fest_reports_cursor_open (FestFestivalStore *store,
                          const char        *from,
                          const char        *to,
                          GError           **error)
{
  sqlite3 *db = fest_festival_store_get_read_db (store);
  FestReportCursor *cursor = g_new0 (FestReportCursor, 1);

  if (sqlite3_prepare_v2 (db,
                          "SELECT t.created_at, t.id, t.type, " LINE_STAND ", s.name, t.operator_id, l.product_id,"
                          " l.name, " LINE_SIGN " * l.quantity, l.unit_price, " LINE_SIGN " * l.quantity * l.unit_price,"
                          " l.vat_rate_bp, " LINE_SIGN " * l.vat_amount"
                          " FROM transactions t CROSS JOIN transaction_lines l ON l.transaction_id = t.id"
                          " LEFT JOIN stands s ON s.id = " LINE_STAND
                          " WHERE " PERIOD " ORDER BY t.created_at, t.seq, l.line_no",
                          -1, &cursor->stmt, NULL) != SQLITE_OK)
    {
      fest_sqlite_error (db, error);
      fest_reports_cursor_free (cursor);
      return NULL;
    }
  bind_period (cursor->stmt, from, to);
  return cursor;
}

gboolean
fest_reports_cursor_next (FestReportCursor *cursor,
                          FestReportLine   *line,
                          GError          **error)
{
  sqlite3_stmt *stmt = cursor->stmt;
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_DONE)
    return FALSE;
  if (rc != SQLITE_ROW)
    return fest_sqlite_stmt_error (stmt, error);
  line->created_at = (const char *) sqlite3_column_text (stmt, 0);
  line->transaction_id = (const char *) sqlite3_column_text (stmt, 1);
  line->type = (const char *) sqlite3_column_text (stmt, 2);
  line->stand_id = (const char *) sqlite3_column_text (stmt, 3);
  line->stand_name = (const char *) sqlite3_column_text (stmt, 4);
  line->operator_id = (const char *) sqlite3_column_text (stmt, 5);
  line->product_id = (const char *) sqlite3_column_text (stmt, 6);
  line->product_name = (const char *) sqlite3_column_text (stmt, 7);
  line->quantity = sqlite3_column_int64 (stmt, 8);
  line->unit_price = sqlite3_column_int64 (stmt, 9);
  line->amount = sqlite3_column_int64 (stmt, 10);
  line->vat_rate_bp = sqlite3_column_int64 (stmt, 11);
  line->vat_amount = sqlite3_column_int64 (stmt, 12);
  return TRUE;
}

void
fest_reports_cursor_free (FestReportCursor *cursor)
{
  if (cursor == NULL)
    return;
  if (cursor->stmt != NULL)
    sqlite3_finalize (cursor->stmt);
  g_free (cursor);
}
