/* fest-ledger-repo.h: the ledger's tables: transactions and their lines, the hash chain's head,
 * wallets' balance cache, payments, cancel refusals, stock moves and alerts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What fest-ledger.c reads and writes, statement by statement, with no rule of its own: the domain
 * decides, the repository runs the SQL. Writer-thread functions take the job's FestWriteCtx (they
 * run inside its SAVEPOINT, statements cached on the write connection); the read functions take
 * the store and run on the main thread. Functions return FALSE only on a database error; "no such
 * row" is an out parameter.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* The prev_hash of the ledger's first row. */
#define FEST_LEDGER_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char     *product_id;
  char     *name;
  gint64    quantity;
  gint64    unit_price;
  gint64    vat_rate_bp;
  gint64    vat_amount;
  gboolean  stockless;   /* its product is known to count no stock (FALSE when not known) */
} FestLedgerLine;

typedef struct
{
  gint64  seq;
  char   *id;
  char   *wallet_id;
  char   *type;
  gint64  amount;              /* signed */
  gint64  balance_after;
  char   *reference;
  char   *payment_method;
  char   *stand_id;
  char   *operator_id;
  char   *device_id;
  char   *idempotency_key;
  gboolean offline_created;
  char   *created_at;
  char   *recorded_at;
  char   *prev_hash;
  char   *hash;
  GArray *lines;               /* of FestLedgerLine */
} FestLedgerRow;

/* An empty array of FestLedgerLine that frees its lines' strings. */
GArray   *fest_ledger_lines_new              (void);
void      fest_ledger_row_clear              (FestLedgerRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestLedgerRow, fest_ledger_row_clear)

/* A wallet as the ledger sees it when it applies a transaction. */
typedef struct
{
  char   *id;
  gint64  balance;
  gint64  last_seq;            /* the wallet's newest transaction, 0 for none */
} FestLedgerWallet;

/* A product of a sale's line. */
typedef struct
{
  gboolean  at_stand;          /* sold at the stand asked for */
  gboolean  deleted;
  gboolean  active;
  char     *name;
  gint64    price;
  gint64    vat_rate_bp;
  gboolean  has_stock;
  gint64    stock;
} FestLedgerProduct;

void      fest_ledger_product_clear          (FestLedgerProduct *product);

/* The payment a REFUND or CANCEL refers to. */
typedef struct
{
  char    *id;
  char    *wallet_id;
  char    *type;
  gint64   amount;             /* signed, negative for a payment */
  char    *created_at;
  char    *recorded_at;
  char    *operator_id;
  char    *device_id;
} FestLedgerPayment;

void      fest_ledger_payment_clear          (FestLedgerPayment *payment);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestLedgerPayment, fest_ledger_payment_clear)

/* Writer thread */

/* The wallet with @wallet_id, or else with @wallet_code; *found FALSE when there is none. */
gboolean  fest_ledger_repo_load_wallet       (FestWriteCtx       *ctx,
                                              const char         *wallet_id,
                                              const char         *wallet_code,
                                              FestLedgerWallet   *wallet,
                                              gboolean           *found,
                                              GError            **error);
gboolean  fest_ledger_repo_wallet_code       (FestWriteCtx       *ctx,
                                              const char         *wallet_id,
                                              char              **code,
                                              GError            **error);
/* The balance cache after a new row: balance, overdrawn flag, rev, updated_at, the newest row. */
gboolean  fest_ledger_repo_update_wallet     (FestWriteCtx       *ctx,
                                              const char         *wallet_id,
                                              gint64              balance,
                                              gboolean            overdrawn,
                                              gint64              rev,
                                              const char         *now,
                                              gint64              last_seq,
                                              GError            **error);
/* The festival's max_wallet_balance; *has_max FALSE when the festival row is missing. */
gboolean  fest_ledger_repo_max_wallet_balance (FestWriteCtx      *ctx,
                                               gboolean          *has_max,
                                               gint64            *max,
                                               GError           **error);
/* *usable: the stand is active and not deleted. */
gboolean  fest_ledger_repo_get_stand         (FestWriteCtx       *ctx,
                                              const char         *stand_id,
                                              gboolean           *found,
                                              gboolean           *usable,
                                              GError            **error);
/* @stand_id: the stand of the sale (sets product->at_stand). */
gboolean  fest_ledger_repo_get_product       (FestWriteCtx       *ctx,
                                              const char         *product_id,
                                              const char         *stand_id,
                                              FestLedgerProduct  *product,
                                              gboolean           *found,
                                              GError            **error);
/* Adds @delta to the stock of a product that counts its stock (flags it when it goes below 0);
 * *moved FALSE for a product without stock, else *stock is the new stock. */
gboolean  fest_ledger_repo_move_stock        (FestWriteCtx       *ctx,
                                              const char         *product_id,
                                              gint64              delta,
                                              gint64              rev,
                                              const char         *now,
                                              gboolean           *moved,
                                              gint64             *stock,
                                              GError            **error);
/* @details_text: JSON text, nullable. */
gboolean  fest_ledger_repo_insert_alert      (FestWriteCtx       *ctx,
                                              const char         *id,
                                              const char         *type,
                                              const char         *entity_type,
                                              const char         *entity_id,
                                              const char         *details_text,
                                              gint64              rev,
                                              const char         *now,
                                              GError            **error);
/* The row @id, whatever its type; *found FALSE when none. */
gboolean  fest_ledger_repo_load_payment      (FestWriteCtx       *ctx,
                                              const char         *id,
                                              FestLedgerPayment  *payment,
                                              gboolean           *found,
                                              GError            **error);
/* The newest PAYMENT made by @operator_id, or else by @device_id; *id NULL when none. */
gboolean  fest_ledger_repo_last_payment      (FestWriteCtx       *ctx,
                                              const char         *operator_id,
                                              const char         *device_id,
                                              char              **id,
                                              GError            **error);
/* Σ and number of the rows referring to @payment_id (REFUND and CANCEL rows). */
gboolean  fest_ledger_repo_reversed_amount   (FestWriteCtx       *ctx,
                                              const char         *payment_id,
                                              gint64             *reversed,
                                              gint64             *count,
                                              GError            **error);
gboolean  fest_ledger_repo_cancel_refused    (FestWriteCtx       *ctx,
                                              const char         *payment_id,
                                              gboolean           *refused,
                                              GError            **error);
gboolean  fest_ledger_repo_add_cancel_refusal (FestWriteCtx      *ctx,
                                               const char        *payment_id,
                                               const char        *now,
                                               GError           **error);
/* Appends the lines of transaction @transaction_id to @lines, in line order. */
gboolean  fest_ledger_repo_read_lines        (FestWriteCtx       *ctx,
                                              const char         *transaction_id,
                                              GArray             *lines,
                                              GError            **error);
/* PostgreSQL: sends a payment's first reads ahead (fest_db_prefetch()): its wallet (by id, else
 * by code), stand and first product, each when not NULL, to be answered in one round trip with
 * the next query. SQLite: nothing. */
void      fest_ledger_repo_prefetch_payment  (FestWriteCtx       *ctx,
                                              const char         *wallet_id,
                                              const char         *wallet_code,
                                              const char         *stand_id,
                                              const char         *product_id);
/* The seq and hash of the newest row; 0 and NULL when the ledger is empty. Read once per
 * transaction: a transaction's rows are appended by this connection alone (the festival's change
 * counter is locked first, on PostgreSQL). */
gboolean  fest_ledger_repo_chain_head        (FestWriteCtx       *ctx,
                                              gint64             *seq,
                                              char              **hash,
                                              GError            **error);
/* Appends @row (hash computed, seq the head's + 1) and its lines, after @wallet_prev_seq in its
 * wallet's history (0: its first row). */
gboolean  fest_ledger_repo_insert_row        (FestWriteCtx       *ctx,
                                              FestLedgerRow      *row,
                                              const char         *refers_to,
                                              gint64              wallet_prev_seq,
                                              GError            **error);
/* The row @id with its lines; *found FALSE when none. */
gboolean  fest_ledger_repo_load_row          (FestWriteCtx       *ctx,
                                              const char         *id,
                                              FestLedgerRow      *row,
                                              gboolean           *found,
                                              GError            **error);

/* Main thread */

/* Which transactions a page lists; NULL members do not filter. */
typedef struct
{
  const char *wallet_id;       /* the wallet's history */
  const char *wallet_user_id;  /* the history of the wallet of this account */
  const char *stand_id;
  const char *type;
  const char *idempotency_key; /* with created_id: the row this key created ("" for none) */
  const char *created_id;
  const char *from;            /* created_at >= */
  const char *to;              /* created_at < */
} FestLedgerFilter;

/* A page of rows, newest first: *rows (transfer full) of FestLedgerRow, *total the number of all
 * the rows that match. */
gboolean  fest_ledger_repo_list              (FestFestivalStore       *store,
                                              const FestLedgerFilter  *filter,
                                              guint                    limit,
                                              gint64                   offset,
                                              GArray                 **rows,
                                              gint64                  *total,
                                              GError                 **error);

G_END_DECLS
