/* fest-ledger-repo.c: the ledger's SQL (see fest-ledger-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-ledger-repo.h"
#include "fest-ledger-repo-private.h"
#include "fest-store-page.h"

/* Rows and lines */

static void
ledger_line_clear (gpointer data)
{
  FestLedgerLine *line = data;

  g_clear_pointer (&line->product_id, g_free);
  g_clear_pointer (&line->name, g_free);
}

GArray *
fest_ledger_lines_new (void)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (FestLedgerLine));

  g_array_set_clear_func (lines, ledger_line_clear);
  return lines;
}

void
fest_ledger_row_clear (FestLedgerRow *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->wallet_id, g_free);
  g_clear_pointer (&row->type, g_free);
  g_clear_pointer (&row->reference, g_free);
  g_clear_pointer (&row->payment_method, g_free);
  g_clear_pointer (&row->stand_id, g_free);
  g_clear_pointer (&row->operator_id, g_free);
  g_clear_pointer (&row->device_id, g_free);
  g_clear_pointer (&row->idempotency_key, g_free);
  g_clear_pointer (&row->created_at, g_free);
  g_clear_pointer (&row->recorded_at, g_free);
  g_clear_pointer (&row->prev_hash, g_free);
  g_clear_pointer (&row->hash, g_free);
  g_clear_pointer (&row->lines, g_array_unref);
}

void
fest_ledger_product_clear (FestLedgerProduct *product)
{
  g_clear_pointer (&product->name, g_free);
}

void
fest_ledger_payment_clear (FestLedgerPayment *payment)
{
  g_clear_pointer (&payment->id, g_free);
  g_clear_pointer (&payment->wallet_id, g_free);
  g_clear_pointer (&payment->type, g_free);
  g_clear_pointer (&payment->created_at, g_free);
  g_clear_pointer (&payment->recorded_at, g_free);
  g_clear_pointer (&payment->operator_id, g_free);
  g_clear_pointer (&payment->device_id, g_free);
}

static char *
column_dup (FestDbStmt *stmt,
            int         column)
{
  return g_strdup (fest_db_column_text (stmt, column));
}

/* Appends the lines @lines_stmt (FEST_LEDGER_LINES_SQL, bound here to @id) returns. */
static gboolean
read_lines (FestDbStmt  *lines_stmt,
            const char  *id,
            GArray      *lines,
            GError     **error)
{
  int rc;

  fest_db_reset (lines_stmt);
  fest_db_bind_text (lines_stmt, 1, id);
  while ((rc = fest_db_step (lines_stmt)) == FEST_DB_ROW)
    {
      FestLedgerLine line = { 0, };

      line.product_id = column_dup (lines_stmt, 0);
      line.name = column_dup (lines_stmt, 1);
      line.quantity = fest_db_column_int64 (lines_stmt, 2);
      line.unit_price = fest_db_column_int64 (lines_stmt, 3);
      line.vat_rate_bp = fest_db_column_int64 (lines_stmt, 4);
      line.vat_amount = fest_db_column_int64 (lines_stmt, 5);
      g_array_append_val (lines, line);
    }
  if (rc != FEST_DB_DONE)
    {
      fest_db_stmt_set_error (lines_stmt, error);
      fest_db_reset (lines_stmt);
      return FALSE;
    }
  fest_db_reset (lines_stmt);
  return TRUE;
}

gboolean
_fest_ledger_repo_row_read (FestLedgerRow  *row,
                            FestDbStmt     *stmt,
                            FestDbStmt     *lines_stmt,
                            GError        **error)
{
  memset (row, 0, sizeof *row);
  row->seq = fest_db_column_int64 (stmt, 0);
  row->id = column_dup (stmt, 1);
  row->wallet_id = column_dup (stmt, 2);
  row->type = column_dup (stmt, 3);
  row->amount = fest_db_column_int64 (stmt, 4);
  row->balance_after = fest_db_column_int64 (stmt, 5);
  row->reference = column_dup (stmt, 6);
  row->payment_method = column_dup (stmt, 7);
  row->stand_id = column_dup (stmt, 8);
  row->operator_id = column_dup (stmt, 9);
  row->device_id = column_dup (stmt, 10);
  row->idempotency_key = column_dup (stmt, 11);
  row->offline_created = fest_db_column_int (stmt, 12) != 0;
  row->created_at = column_dup (stmt, 13);
  row->recorded_at = column_dup (stmt, 14);
  row->prev_hash = column_dup (stmt, 15);
  row->hash = column_dup (stmt, 16);
  row->lines = fest_ledger_lines_new ();
  return read_lines (lines_stmt, row->id, row->lines, error);
}

/* Writer thread */

static gboolean
ctx_error (FestWriteCtx *ctx,
           GError      **error)
{
  return fest_db_error (fest_write_ctx_get_db (ctx), error);
}

static gboolean
step_done (FestWriteCtx  *ctx,
           FestDbStmt    *stmt,
           GError       **error)
{
  int rc = fest_db_step (stmt);

  if (rc != FEST_DB_DONE)
    {
      ctx_error (ctx, error);
      fest_db_reset (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  return TRUE;
}

/* What payments read of a wallet, a stand and a product, kept for the next ones
 * (fest_write_ctx_keep_row()): a festival's sales mostly go to the same few stands and products,
 * and a wallet's balance is what its last payment left. */
typedef struct
{
  gint64 balance;
  gint64 last_seq;
} KeptWallet;

typedef struct
{
  gboolean usable;
} KeptStand;

typedef struct
{
  char    *stand_id;
  char    *name;
  gint64   price;
  gint64   vat_rate_bp;
  gboolean has_stock;
  gint64   stock;
  gboolean active;
  gboolean deleted;
} KeptProduct;

static void
kept_product_free (gpointer data)
{
  KeptProduct *product = data;

  g_free (product->stand_id);
  g_free (product->name);
  g_free (product);
}

/* The kept rows, from a row of the statements below (and of their table's changed_sql): the id,
 * then the columns kept. */
static gpointer
kept_wallet_new (FestDbStmt *stmt)
{
  KeptWallet *kept = g_new0 (KeptWallet, 1);

  kept->balance = fest_db_column_int64 (stmt, 1);
  kept->last_seq = fest_db_column_int64 (stmt, 2);
  return kept;
}

static gpointer
kept_stand_new (FestDbStmt *stmt)
{
  KeptStand *kept = g_new0 (KeptStand, 1);

  kept->usable = fest_db_column_int (stmt, 1) != 0 && fest_db_column_int (stmt, 2) == 0;
  return kept;
}

static gpointer
kept_product_new (FestDbStmt *stmt)
{
  KeptProduct *kept = g_new0 (KeptProduct, 1);

  kept->stand_id = column_dup (stmt, 1);
  kept->name = column_dup (stmt, 2);
  kept->price = fest_db_column_int64 (stmt, 3);
  kept->vat_rate_bp = fest_db_column_int64 (stmt, 4);
  kept->has_stock = !fest_db_column_is_null (stmt, 5);
  kept->stock = fest_db_column_int64 (stmt, 5);
  kept->active = fest_db_column_int (stmt, 6) != 0;
  kept->deleted = fest_db_column_int (stmt, 7) != 0;
  return kept;
}

#define WALLET_COLUMNS  "SELECT id, balance, last_seq FROM wallets"
#define STAND_COLUMNS   "SELECT id, is_active, deleted FROM stands"
#define PRODUCT_COLUMNS "SELECT id, stand_id, name, price, vat_rate_bp, stock, is_active, deleted" \
                        " FROM products"
#define CHANGED_ROWS    " WHERE rev > ?1 ORDER BY rev LIMIT ?2"

static const FestKeptTable kept_wallets = {
  "wallets", g_free, WALLET_COLUMNS CHANGED_ROWS, kept_wallet_new,
};
static const FestKeptTable kept_stands = {
  "stands", g_free, STAND_COLUMNS CHANGED_ROWS, kept_stand_new,
};
static const FestKeptTable kept_products = {
  "products", kept_product_free, PRODUCT_COLUMNS CHANGED_ROWS, kept_product_new,
};

/* The reads of a payment, bound: the same for their step and for fest_ledger_repo_prefetch_payment(). */
static FestDbStmt *
wallet_stmt (FestWriteCtx  *ctx,
             const char    *wallet_id,
             const char    *wallet_code,
             GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                             wallet_id != NULL
                                               ? WALLET_COLUMNS " WHERE id = ?1"
                                               : WALLET_COLUMNS " WHERE code = ?1",
                                             error);

  if (stmt != NULL)
    fest_db_bind_text (stmt, 1, wallet_id != NULL ? wallet_id : wallet_code);
  return stmt;
}

static FestDbStmt *
stand_stmt (FestWriteCtx  *ctx,
            const char    *stand_id,
            GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, STAND_COLUMNS " WHERE id = ?1", error);

  if (stmt != NULL)
    fest_db_bind_text (stmt, 1, stand_id);
  return stmt;
}

static FestDbStmt *
product_stmt (FestWriteCtx  *ctx,
              const char    *product_id,
              GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, PRODUCT_COLUMNS " WHERE id = ?1", error);

  if (stmt != NULL)
    fest_db_bind_text (stmt, 1, product_id);
  return stmt;
}

void
fest_ledger_repo_prefetch_payment (FestWriteCtx *ctx,
                                   const char   *wallet_id,
                                   const char   *wallet_code,
                                   const char   *stand_id,
                                   const char   *product_id)
{
  FestDbStmt *stmt;

  if (!fest_db_is_pg (fest_write_ctx_get_db (ctx)))
    return;
  if ((wallet_code != NULL || (wallet_id != NULL && fest_write_ctx_lookup_row (ctx, &kept_wallets, wallet_id) == NULL))
      && (stmt = wallet_stmt (ctx, wallet_id, wallet_code, NULL)) != NULL)
    fest_db_prefetch (stmt);
  if (stand_id != NULL && fest_write_ctx_lookup_row (ctx, &kept_stands, stand_id) == NULL
      && (stmt = stand_stmt (ctx, stand_id, NULL)) != NULL)
    fest_db_prefetch (stmt);
  if (product_id != NULL && fest_write_ctx_lookup_row (ctx, &kept_products, product_id) == NULL
      && (stmt = product_stmt (ctx, product_id, NULL)) != NULL)
    fest_db_prefetch (stmt);
}

gboolean
fest_ledger_repo_load_wallet (FestWriteCtx     *ctx,
                              const char       *wallet_id,
                              const char       *wallet_code,
                              FestLedgerWallet *wallet,
                              gboolean         *found,
                              GError          **error)
{
  KeptWallet *kept = wallet_id != NULL ? fest_write_ctx_lookup_row (ctx, &kept_wallets, wallet_id) : NULL;
  FestDbStmt *stmt;
  int rc;

  if (kept != NULL)
    {
      *found = TRUE;
      wallet->id = g_strdup (wallet_id);
      wallet->balance = kept->balance;
      wallet->last_seq = kept->last_seq;
      return TRUE;
    }
  stmt = wallet_stmt (ctx, wallet_id, wallet_code, error);
  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc == FEST_DB_ROW)
    {
      kept = kept_wallet_new (stmt);
      wallet->id = column_dup (stmt, 0);
      wallet->balance = kept->balance;
      wallet->last_seq = kept->last_seq;
      fest_write_ctx_keep_row (ctx, &kept_wallets, wallet->id, kept);
    }
  else if (rc != FEST_DB_DONE)
    ctx_error (ctx, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_ledger_repo_wallet_code (FestWriteCtx *ctx,
                              const char   *wallet_id,
                              char        **code,
                              GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT code FROM wallets WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, wallet_id);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      ctx_error (ctx, error);
      fest_db_reset (stmt);
      return FALSE;
    }
  *code = column_dup (stmt, 0);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_ledger_repo_update_wallet (FestWriteCtx *ctx,
                                const char   *wallet_id,
                                gint64        balance,
                                gboolean      overdrawn,
                                gint64        rev,
                                const char   *now,
                                gint64        last_seq,
                                GError      **error)
{
  KeptWallet *kept;
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE wallets SET balance = ?2, overdrawn = ?3, rev = ?4, updated_at = ?5,"
                                 " last_seq = ?6 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, wallet_id);
  fest_db_bind_int64 (stmt, 2, balance);
  fest_db_bind_int64 (stmt, 3, overdrawn ? 1 : 0);
  fest_db_bind_int64 (stmt, 4, rev);
  fest_db_bind_text (stmt, 5, now);
  fest_db_bind_int64 (stmt, 6, last_seq);
  if (!step_done (ctx, stmt, error))
    return FALSE;
  kept = g_new0 (KeptWallet, 1);
  kept->balance = balance;
  kept->last_seq = last_seq;
  fest_write_ctx_keep_written_row (ctx, &kept_wallets, wallet_id, kept);
  return TRUE;
}

gboolean
fest_ledger_repo_max_wallet_balance (FestWriteCtx *ctx,
                                     gboolean     *has_max,
                                     gint64       *max,
                                     GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT max_wallet_balance FROM festival LIMIT 1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  *max = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  *has_max = rc == FEST_DB_ROW;
  if (rc == FEST_DB_DONE || rc == FEST_DB_ROW)
    return TRUE;
  return ctx_error (ctx, error);
}

gboolean
fest_ledger_repo_get_stand (FestWriteCtx *ctx,
                            const char   *stand_id,
                            gboolean     *found,
                            gboolean     *usable,
                            GError      **error)
{
  KeptStand *kept = fest_write_ctx_lookup_row (ctx, &kept_stands, stand_id);
  FestDbStmt *stmt;
  int rc;

  if (kept != NULL)
    {
      *found = TRUE;
      *usable = kept->usable;
      return TRUE;
    }
  stmt = stand_stmt (ctx, stand_id, error);
  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc == FEST_DB_ROW)
    {
      kept = kept_stand_new (stmt);
      *usable = kept->usable;
      fest_write_ctx_keep_row (ctx, &kept_stands, stand_id, kept);
    }
  else if (rc != FEST_DB_DONE)
    ctx_error (ctx, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_ledger_repo_get_product (FestWriteCtx      *ctx,
                              const char        *product_id,
                              const char        *stand_id,
                              FestLedgerProduct *product,
                              gboolean          *found,
                              GError           **error)
{
  KeptProduct *kept = fest_write_ctx_lookup_row (ctx, &kept_products, product_id);
  FestDbStmt *stmt;
  int rc;

  if (kept == NULL)
    {
      stmt = product_stmt (ctx, product_id, error);
      if (stmt == NULL)
        return FALSE;
      rc = fest_db_step (stmt);
      if (rc == FEST_DB_ROW)
        {
          kept = kept_product_new (stmt);
          fest_write_ctx_keep_row (ctx, &kept_products, product_id, kept);
        }
      else if (rc != FEST_DB_DONE)
        ctx_error (ctx, error);
      fest_db_reset (stmt);
      if (rc != FEST_DB_ROW)
        {
          *found = FALSE;
          return rc == FEST_DB_DONE;
        }
    }

  *found = TRUE;
  product->at_stand = g_strcmp0 (kept->stand_id, stand_id) == 0;
  product->name = g_strdup (kept->name);
  product->price = kept->price;
  product->vat_rate_bp = kept->vat_rate_bp;
  product->has_stock = kept->has_stock;
  product->stock = kept->stock;
  product->active = kept->active;
  product->deleted = kept->deleted;
  return TRUE;
}

gboolean
fest_ledger_repo_move_stock (FestWriteCtx *ctx,
                             const char   *product_id,
                             gint64        delta,
                             gint64        rev,
                             const char   *now,
                             gboolean     *moved,
                             gint64       *stock,
                             GError      **error)
{
  FestDbStmt *stmt;
  FestDbStmt *stock_stmt;
  int rc;

  /* Not UPDATE … RETURNING: SQLite collects RETURNING rows in a temporary table, opened and
   * dropped for every statement (most products have no stock to move, either). */
  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE products SET stock = stock + ?2,"
                                 " stock_overdrawn = CASE WHEN stock + ?2 < 0 THEN 1 ELSE stock_overdrawn END,"
                                 " rev = ?3, updated_at = ?4 WHERE id = ?1 AND stock IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  stock_stmt = fest_write_ctx_prepare (ctx, "SELECT stock FROM products WHERE id = ?1", error);
  if (stock_stmt == NULL)
    return FALSE;

  *moved = FALSE;
  *stock = 0;
  fest_db_bind_text (stmt, 1, product_id);
  fest_db_bind_int64 (stmt, 2, delta);
  fest_db_bind_int64 (stmt, 3, rev);
  fest_db_bind_text (stmt, 4, now);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return ctx_error (ctx, error);
  if (fest_db_changes (fest_write_ctx_get_db (ctx)) == 0)
    return TRUE;

  fest_db_bind_text (stock_stmt, 1, product_id);
  rc = fest_db_step (stock_stmt);
  if (rc != FEST_DB_ROW)
    {
      fest_db_reset (stock_stmt);
      return ctx_error (ctx, error);
    }
  *stock = fest_db_column_int64 (stock_stmt, 0);
  *moved = TRUE;
  fest_db_reset (stock_stmt);
  return TRUE;
}

gboolean
fest_ledger_repo_insert_alert (FestWriteCtx *ctx,
                               const char   *id,
                               const char   *type,
                               const char   *entity_type,
                               const char   *entity_id,
                               const char   *details_text,
                               gint64        rev,
                               const char   *now,
                               GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO alerts (id, type, entity_type, entity_id, details, rev, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, type);
  fest_db_bind_text (stmt, 3, entity_type);
  fest_db_bind_text (stmt, 4, entity_id);
  fest_db_bind_text (stmt, 5, details_text);
  fest_db_bind_int64 (stmt, 6, rev);
  fest_db_bind_text (stmt, 7, now);
  return step_done (ctx, stmt, error);
}

gboolean
fest_ledger_repo_load_payment (FestWriteCtx      *ctx,
                               const char        *id,
                               FestLedgerPayment *payment,
                               gboolean          *found,
                               GError           **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, wallet_id, amount, created_at, recorded_at, operator_id, device_id, type "
                                 "FROM transactions WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc == FEST_DB_ROW)
    {
      payment->id = column_dup (stmt, 0);
      payment->wallet_id = column_dup (stmt, 1);
      payment->amount = fest_db_column_int64 (stmt, 2);
      payment->created_at = column_dup (stmt, 3);
      payment->recorded_at = column_dup (stmt, 4);
      payment->operator_id = column_dup (stmt, 5);
      payment->device_id = column_dup (stmt, 6);
      payment->type = column_dup (stmt, 7);
    }
  else if (rc != FEST_DB_DONE)
    ctx_error (ctx, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_ledger_repo_last_payment (FestWriteCtx *ctx,
                               const char   *operator_id,
                               const char   *device_id,
                               char        **id,
                               GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  if (operator_id != NULL)
    stmt = fest_write_ctx_prepare (ctx,
                                   "SELECT id FROM transactions WHERE operator_id = ?1 AND type = 'PAYMENT' "
                                   "ORDER BY seq DESC LIMIT 1", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "SELECT id FROM transactions WHERE device_id = ?1 AND type = 'PAYMENT' "
                                   "ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;

  *id = NULL;
  fest_db_bind_text (stmt, 1, operator_id != NULL ? operator_id : device_id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *id = column_dup (stmt, 0);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return ctx_error (ctx, error);
  return TRUE;
}

gboolean
fest_ledger_repo_reversed_amount (FestWriteCtx *ctx,
                                  const char   *payment_id,
                                  gint64       *reversed,
                                  gint64       *count,
                                  GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM transactions "
                                 "WHERE refers_to = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, payment_id);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      ctx_error (ctx, error);
      fest_db_reset (stmt);
      return FALSE;
    }
  *reversed = fest_db_column_int64 (stmt, 0);
  *count = fest_db_column_int64 (stmt, 1);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_ledger_repo_cancel_refused (FestWriteCtx *ctx,
                                 const char   *payment_id,
                                 gboolean     *refused,
                                 GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM cancel_refusals WHERE payment_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, payment_id);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  *refused = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return ctx_error (ctx, error);
  return TRUE;
}

gboolean
fest_ledger_repo_add_cancel_refusal (FestWriteCtx *ctx,
                                     const char   *payment_id,
                                     const char   *now,
                                     GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO cancel_refusals (payment_id, refused_at) VALUES (?1, ?2)"
                                 " ON CONFLICT (payment_id) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_copy (stmt, 1, payment_id);
  fest_db_bind_text (stmt, 2, now);
  return step_done (ctx, stmt, error);
}

gboolean
fest_ledger_repo_read_lines (FestWriteCtx *ctx,
                             const char   *transaction_id,
                             GArray       *lines,
                             GError      **error)
{
  FestDbStmt *lines_stmt = fest_write_ctx_prepare (ctx, FEST_LEDGER_LINES_SQL, error);

  if (lines_stmt == NULL)
    return FALSE;
  return read_lines (lines_stmt, transaction_id, lines, error);
}

gboolean
fest_ledger_repo_chain_head (FestWriteCtx  *ctx,
                             gint64        *seq,
                             char         **hash,
                             GError       **error)
{
  const char *known;

  if (!fest_write_ctx_get_ledger_head (ctx, seq, &known, error))
    return FALSE;
  *hash = g_strdup (known);
  return TRUE;
}

gboolean
fest_ledger_repo_insert_row (FestWriteCtx  *ctx,
                             FestLedgerRow *row,
                             const char    *refers_to,
                             gint64         wallet_prev_seq,
                             GError       **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO transactions (id, wallet_id, type, amount, balance_after, reference,"
                                 " refers_to, payment_method, stand_id, operator_id, device_id, idempotency_key,"
                                 " offline_created, created_at, recorded_at, prev_hash, hash, wallet_prev_seq, seq) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                                 " ?18, ?19)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, row->id);
  fest_db_bind_text (stmt, 2, row->wallet_id);
  fest_db_bind_text (stmt, 3, row->type);
  fest_db_bind_int64 (stmt, 4, row->amount);
  fest_db_bind_int64 (stmt, 5, row->balance_after);
  fest_db_bind_text (stmt, 6, row->reference);
  fest_db_bind_text (stmt, 7, refers_to);
  fest_db_bind_text (stmt, 8, row->payment_method);
  fest_db_bind_text (stmt, 9, row->stand_id);
  fest_db_bind_text (stmt, 10, row->operator_id);
  fest_db_bind_text (stmt, 11, row->device_id);
  fest_db_bind_text (stmt, 12, row->idempotency_key);
  fest_db_bind_int64 (stmt, 13, row->offline_created ? 1 : 0);
  fest_db_bind_text (stmt, 14, row->created_at);
  fest_db_bind_text (stmt, 15, row->recorded_at);
  fest_db_bind_text (stmt, 16, row->prev_hash);
  fest_db_bind_text (stmt, 17, row->hash);
  if (wallet_prev_seq > 0)
    fest_db_bind_int64 (stmt, 18, wallet_prev_seq);
  else
    fest_db_bind_null (stmt, 18);
  fest_db_bind_int64 (stmt, 19, row->seq);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return ctx_error (ctx, error);
  fest_write_ctx_set_ledger_head (ctx, row->seq, row->hash);

  if (row->lines->len > 0)
    {
      stmt = fest_write_ctx_prepare (ctx,
                                     "INSERT INTO transaction_lines (transaction_id, line_no, product_id, name,"
                                     " quantity, unit_price, vat_rate_bp, vat_amount) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < row->lines->len; i++)
        {
          const FestLedgerLine *line = &g_array_index (row->lines, FestLedgerLine, i);

          fest_db_bind_text (stmt, 1, row->id);
          fest_db_bind_int64 (stmt, 2, (int) i);
          fest_db_bind_text (stmt, 3, line->product_id);
          fest_db_bind_text (stmt, 4, line->name);
          fest_db_bind_int64 (stmt, 5, line->quantity);
          fest_db_bind_int64 (stmt, 6, line->unit_price);
          fest_db_bind_int64 (stmt, 7, line->vat_rate_bp);
          fest_db_bind_int64 (stmt, 8, line->vat_amount);
          if (!step_done (ctx, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

gboolean
fest_ledger_repo_load_row (FestWriteCtx  *ctx,
                           const char    *id,
                           FestLedgerRow *row,
                           gboolean      *found,
                           GError       **error)
{
  FestDbStmt *stmt, *lines_stmt;
  gboolean ok;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_LEDGER_TX_COLUMNS " FROM transactions WHERE id = ?1", error);
  lines_stmt = stmt != NULL ? fest_write_ctx_prepare (ctx, FEST_LEDGER_LINES_SQL, error) : NULL;
  if (lines_stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc == FEST_DB_DONE)
    {
      fest_db_reset (stmt);
      return TRUE;
    }
  if (rc != FEST_DB_ROW)
    {
      fest_db_reset (stmt);
      return ctx_error (ctx, error);
    }
  ok = _fest_ledger_repo_row_read (row, stmt, lines_stmt, error);
  fest_db_reset (stmt);
  return ok;
}

/* Main thread */

/* The condition on the transactions table that selects one wallet's rows, by following its history
 * (wallets.last_seq, then each row's wallet_prev_seq) rather than an index a payment would have to
 * write. @wallet is a condition on the wallets table. */
#define WALLET_HISTORY_SQL(wallet) \
  "seq IN (WITH RECURSIVE history(seq) AS (SELECT last_seq FROM wallets WHERE " wallet \
  " UNION ALL SELECT t.wallet_prev_seq FROM transactions t JOIN history h ON t.seq = h.seq" \
  " WHERE t.wallet_prev_seq IS NOT NULL) SELECT seq FROM history)"

static void
reset_stmt (FestDbStmt *stmt)
{
  if (stmt != NULL)
    fest_db_reset (stmt);
}

gboolean
fest_ledger_repo_list (FestFestivalStore       *store,
                       const FestLedgerFilter  *filter,
                       guint                    limit,
                       gint64                   offset,
                       GArray                 **rows_out,
                       gint64                  *total,
                       GError                 **error)
{
  g_autoptr(GString) where = g_string_new ("TRUE");
  g_autoptr(GArray) rows = NULL;
  FestDbStmt *stmt = NULL;
  FestDbStmt *lines_stmt = NULL;
  const char *values[8];
  gboolean ok = FALSE;
  guint n = 0;
  int rc;

  if (filter->wallet_id != NULL)
    {
      values[n++] = filter->wallet_id;
      g_string_append_printf (where, " AND " WALLET_HISTORY_SQL ("id = ?%u"), n);
    }
  if (filter->wallet_user_id != NULL)
    {
      values[n++] = filter->wallet_user_id;
      g_string_append_printf (where, " AND " WALLET_HISTORY_SQL ("user_id = ?%u"), n);
    }
  if (filter->stand_id != NULL)
    {
      values[n++] = filter->stand_id;
      g_string_append_printf (where, " AND stand_id = ?%u", n);
    }
  if (filter->type != NULL)
    {
      values[n++] = filter->type;
      g_string_append_printf (where, " AND type = ?%u", n);
    }
  if (filter->idempotency_key != NULL)
    {
      values[n++] = filter->idempotency_key;
      g_string_append_printf (where, " AND idempotency_key = ?%u", n);
      values[n++] = filter->created_id != NULL ? filter->created_id : "";
      g_string_append_printf (where, " AND id = ?%u", n);
    }
  if (filter->from != NULL)
    {
      values[n++] = filter->from;
      g_string_append_printf (where, " AND created_at >= ?%u", n);
    }
  if (filter->to != NULL)
    {
      values[n++] = filter->to;
      g_string_append_printf (where, " AND created_at < ?%u", n);
    }

  lines_stmt = fest_festival_store_prepare_read (store, FEST_LEDGER_LINES_SQL, error);
  if (lines_stmt == NULL)
    goto out;
  stmt = _fest_store_prepare_page (store, "transactions", FEST_LEDGER_TX_COLUMNS, where->str, values, n, limit,
                                   offset, total, error);
  if (stmt == NULL)
    goto out;

  rows = g_array_new (FALSE, TRUE, sizeof (FestLedgerRow));
  g_array_set_clear_func (rows, (GDestroyNotify) fest_ledger_row_clear);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestLedgerRow row;

      g_array_set_size (rows, rows->len + 1);
      if (!_fest_ledger_repo_row_read (&row, stmt, lines_stmt, error))
        {
          g_array_index (rows, FestLedgerRow, rows->len - 1) = row;
          goto out;
        }
      g_array_index (rows, FestLedgerRow, rows->len - 1) = row;
    }
  if (rc != FEST_DB_DONE)
    {
      fest_db_error (fest_festival_store_get_read_db (store), error);
      goto out;
    }
  *rows_out = g_steal_pointer (&rows);
  ok = TRUE;

out:
  /* A read statement must not keep a read transaction (and an old WAL snapshot) open. */
  reset_stmt (stmt);
  reset_stmt (lines_stmt);
  return ok;
}
