/* fest-ledger-check-repo.c: the queries of `festivals-server --check` (see fest-ledger-check-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-ledger-check-repo.h"
#include "fest-ledger-repo-private.h"

struct _FestLedgerCheckDb
{
  FestDb *db;
};

FestLedgerCheckDb *
fest_ledger_check_db_open (const char  *path,
                           GError     **error)
{
  sqlite3 *db = NULL;
  FestLedgerCheckDb *self;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "cannot open: %s",
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }
  self = g_new0 (FestLedgerCheckDb, 1);
  self->db = fest_db_new_sqlite (db);
  return self;
}

FestLedgerCheckDb *
fest_ledger_check_db_open_pg (const char  *conninfo,
                              const char  *festival_id,
                              GError     **error)
{
  g_autofree char *schema = _fest_pg_festival_schema (festival_id);
  FestLedgerCheckDb *self;
  FestDb *db;

  db = _fest_pg_connect (conninfo, schema, error);
  if (db == NULL)
    return NULL;
  if (!fest_db_set_session (db, "SET default_transaction_read_only = on", error))
    {
      fest_db_free (db);
      return NULL;
    }
  self = g_new0 (FestLedgerCheckDb, 1);
  self->db = db;
  return self;
}

FestDb *
_fest_ledger_check_db_get_db (FestLedgerCheckDb *self)
{
  return self->db;
}

void
fest_ledger_check_db_close (FestLedgerCheckDb *self)
{
  if (self == NULL)
    return;
  fest_db_free (self->db);
  g_free (self);
}

static FestDbStmt *
check_prepare (FestLedgerCheckDb  *self,
               const char         *sql,
               const char         *what,
               GError            **error)
{
  FestDbStmt *stmt = fest_db_prepare_uncached (self->db, sql, NULL);

  if (stmt == NULL)
    g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "%s: %s", what, fest_db_errmsg (self->db));
  return stmt;
}

static gboolean
check_done (FestLedgerCheckDb  *self,
            int                 rc,
            const char         *what,
            GError            **error)
{
  if (rc == FEST_DB_DONE)
    return TRUE;
  g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "%s: %s", what, fest_db_errmsg (self->db));
  return FALSE;
}

gboolean
fest_ledger_check_db_integrity (FestLedgerCheckDb  *self,
                                FestCheckTextFunc   func,
                                gpointer            user_data,
                                GError            **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  if (fest_db_is_pg (self->db))
    return TRUE;
  stmt = check_prepare (self, "PRAGMA integrity_check", "cannot query the ledger", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    func (fest_db_column_text (stmt, 0), user_data);
  return check_done (self, rc, "integrity_check failed", error);
}

gboolean
fest_ledger_check_db_wallets (FestLedgerCheckDb    *self,
                              FestCheckWalletFunc   func,
                              gpointer              user_data,
                              GError              **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  /* One pass over the ledger for all the wallets: no index leads from a wallet to its rows. */
  stmt = check_prepare (self,
                        "SELECT w.id, w.balance, COALESCE(t.total, 0), w.overdrawn, COALESCE(w.last_seq, 0),"
                        " COALESCE(t.last_seq, 0) "
                        "FROM wallets w LEFT JOIN (SELECT wallet_id, SUM(amount) AS total, MAX(seq) AS last_seq"
                        "  FROM transactions GROUP BY wallet_id) t ON t.wallet_id = w.id "
                        "ORDER BY w.id", "cannot query the ledger", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestCheckWallet wallet;

      wallet.wallet_id = fest_db_column_text (stmt, 0);
      wallet.balance = fest_db_column_int64 (stmt, 1);
      wallet.sum = fest_db_column_int64 (stmt, 2);
      wallet.overdrawn = fest_db_column_int (stmt, 3) != 0;
      wallet.last_seq = fest_db_column_int64 (stmt, 4);
      wallet.expected_last_seq = fest_db_column_int64 (stmt, 5);
      func (&wallet, user_data);
    }
  return check_done (self, rc, "cannot read wallets", error);
}

gboolean
fest_ledger_check_db_balance_rows (FestLedgerCheckDb     *self,
                                   FestCheckBalanceFunc   func,
                                   gpointer               user_data,
                                   GError               **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  stmt = check_prepare (self,
                        "SELECT wallet_id, seq, id, amount, balance_after, COALESCE(wallet_prev_seq, 0) "
                        "FROM transactions ORDER BY wallet_id, seq", "cannot query the ledger", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestCheckBalanceRow row;

      row.wallet_id = fest_db_column_text (stmt, 0);
      row.seq = fest_db_column_int64 (stmt, 1);
      row.id = fest_db_column_text (stmt, 2);
      row.amount = fest_db_column_int64 (stmt, 3);
      row.balance_after = fest_db_column_int64 (stmt, 4);
      row.wallet_prev_seq = fest_db_column_int64 (stmt, 5);
      func (&row, user_data);
    }
  return check_done (self, rc, "cannot read transactions", error);
}

gboolean
fest_ledger_check_db_rows (FestLedgerCheckDb  *self,
                           FestCheckRowFunc    func,
                           gpointer            user_data,
                           GError            **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  g_autoptr(FestDbStmt) lines_stmt = NULL;
  int rc;

  stmt = check_prepare (self, "SELECT " FEST_LEDGER_TX_COLUMNS " FROM transactions ORDER BY seq",
                        "cannot query the ledger", error);
  if (stmt == NULL)
    return FALSE;
  lines_stmt = check_prepare (self, FEST_LEDGER_LINES_SQL, "cannot query the ledger", error);
  if (lines_stmt == NULL)
    return FALSE;

  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      g_auto(FestLedgerRow) row = { 0, };
      g_autoptr(GError) local_error = NULL;

      if (!_fest_ledger_repo_row_read (&row, stmt, lines_stmt, &local_error))
        {
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "cannot read transaction lines: %s",
                       local_error->message);
          return FALSE;
        }
      if (!func (&row, user_data))
        return TRUE;
    }
  return check_done (self, rc, "cannot read transactions", error);
}

gboolean
fest_ledger_check_db_stock (FestLedgerCheckDb   *self,
                            FestCheckStockFunc   func,
                            gpointer             user_data,
                            GError             **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  /* One pass over the lines for all the products: no index leads from a product to its lines. */
  stmt = check_prepare (self,
                        "SELECT p.id, p.stock, p.stock_base - COALESCE(s.sold, 0) "
                        "FROM products p LEFT JOIN ("
                        "  SELECT l.product_id,"
                        "   SUM(CASE t.type WHEN 'PAYMENT' THEN l.quantity ELSE -l.quantity END) AS sold"
                        "  FROM transaction_lines l JOIN transactions t ON t.id = l.transaction_id"
                        "   JOIN products q ON q.id = l.product_id"
                        "  WHERE t.seq > q.stock_base_seq AND t.type IN ('PAYMENT', 'CANCEL')"
                        "  GROUP BY l.product_id) s ON s.product_id = p.id "
                        "WHERE p.stock IS NOT NULL OR p.stock_base IS NOT NULL "
                        "ORDER BY p.id", "cannot query the ledger", error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestCheckStock stock;

      stock.product_id = fest_db_column_text (stmt, 0);
      stock.has_stock = !fest_db_column_is_null (stmt, 1);
      stock.stock = fest_db_column_int64 (stmt, 1);
      stock.has_expected = !fest_db_column_is_null (stmt, 2);
      stock.expected = fest_db_column_int64 (stmt, 2);
      func (&stock, user_data);
    }
  return check_done (self, rc, "cannot read products", error);
}

gboolean
fest_ledger_check_db_dangling_keys (FestLedgerCheckDb  *self,
                                    FestCheckKeyFunc    func,
                                    gpointer            user_data,
                                    GError            **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  g_autoptr(FestDbStmt) lookup = NULL;
  int rc;

  /* A body that starts with byte 1 is a stored reference to a ledger row (fest-idempotency.c):
   * the id follows from its third byte. The bodies are read as bytes, whatever type they were
   * stored as, and decoded here: SQLite and PostgreSQL share no way to cut a blob. */
  stmt = check_prepare (self, "SELECT key, body FROM idempotency ORDER BY key", "cannot read the idempotency keys",
                        error);
  if (stmt == NULL)
    return FALSE;
  lookup = check_prepare (self, "SELECT 1 FROM transactions WHERE id = ?1", "cannot read the idempotency keys", error);
  if (lookup == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      const guint8 *body = fest_db_column_blob (stmt, 1);
      gsize size = fest_db_column_bytes (stmt, 1);
      g_autofree char *ref = NULL;
      int found;

      if (body == NULL || size < 1 || body[0] != 0x01)
        continue;
      ref = size > 2 ? g_strndup ((const char *) body + 2, size - 2) : g_strdup ("");
      fest_db_bind_text (lookup, 1, ref);
      found = fest_db_step (lookup);
      fest_db_reset (lookup);
      if (found == FEST_DB_DONE)
        func (fest_db_column_text (stmt, 0), ref, user_data);
      else if (found != FEST_DB_ROW)
        return check_done (self, found, "cannot read the idempotency keys", error);
    }
  return check_done (self, rc, "cannot read the idempotency keys", error);
}
