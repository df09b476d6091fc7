/* fest-ledger-check-repo.h: what `festivals-server --check` reads of a festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A read-only connection to one festival file and one pass per check, handing each row to the
 * domain's callback (fest-ledger-check.c decides what is wrong). A function returns FALSE with
 * @error when the query cannot run or stops; the message is the report line, e.g. "cannot read
 * wallets: …".
 */

#pragma once

#include "fest-ledger-repo.h"

G_BEGIN_DECLS

typedef struct _FestLedgerCheckDb FestLedgerCheckDb;

FestLedgerCheckDb *fest_ledger_check_db_open  (const char         *path,
                                               GError            **error);
/* Festival @festival_id's schema in a PostgreSQL database, read-only. */
FestLedgerCheckDb *fest_ledger_check_db_open_pg (const char       *conninfo,
                                                 const char       *festival_id,
                                                 GError          **error);
void               fest_ledger_check_db_close (FestLedgerCheckDb  *db);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestLedgerCheckDb, fest_ledger_check_db_close)

/* SQLite's PRAGMA integrity_check: each line it returns. PostgreSQL checks its pages itself. */
typedef void     (*FestCheckTextFunc)    (const char *line,
                                          gpointer    user_data);
gboolean  fest_ledger_check_db_integrity (FestLedgerCheckDb  *db,
                                          FestCheckTextFunc   func,
                                          gpointer            user_data,
                                          GError            **error);

/* One wallet against the sum of its rows. */
typedef struct
{
  const char *wallet_id;
  gint64      balance;
  gint64      sum;                /* Σ amount of its rows */
  gboolean    overdrawn;
  gint64      last_seq;           /* the wallet's cached newest row, 0 for none */
  gint64      expected_last_seq;  /* its newest row */
} FestCheckWallet;
typedef void     (*FestCheckWalletFunc)  (const FestCheckWallet *wallet,
                                          gpointer               user_data);
gboolean  fest_ledger_check_db_wallets   (FestLedgerCheckDb    *db,
                                          FestCheckWalletFunc   func,
                                          gpointer              user_data,
                                          GError              **error);

/* The rows of every wallet, by wallet then seq. */
typedef struct
{
  const char *wallet_id;
  gint64      seq;
  const char *id;
  gint64      amount;
  gint64      balance_after;
  gint64      wallet_prev_seq;    /* 0 for none */
} FestCheckBalanceRow;
typedef void     (*FestCheckBalanceFunc) (const FestCheckBalanceRow *row,
                                          gpointer                   user_data);
gboolean  fest_ledger_check_db_balance_rows (FestLedgerCheckDb     *db,
                                             FestCheckBalanceFunc   func,
                                             gpointer               user_data,
                                             GError               **error);

/* Every row with its lines, in seq order, until @func returns FALSE. */
typedef gboolean (*FestCheckRowFunc)     (const FestLedgerRow *row,
                                          gpointer             user_data);
gboolean  fest_ledger_check_db_rows      (FestLedgerCheckDb  *db,
                                          FestCheckRowFunc    func,
                                          gpointer            user_data,
                                          GError            **error);

/* Each product that counts its stock, with the stock its ledger lines leave. */
typedef struct
{
  const char *product_id;
  gboolean    has_stock;
  gint64      stock;
  gboolean    has_expected;
  gint64      expected;
} FestCheckStock;
typedef void     (*FestCheckStockFunc)   (const FestCheckStock *stock,
                                          gpointer              user_data);
gboolean  fest_ledger_check_db_stock     (FestLedgerCheckDb   *db,
                                          FestCheckStockFunc   func,
                                          gpointer             user_data,
                                          GError             **error);

/* Each idempotency key whose stored reply refers to a ledger row that is missing. */
typedef void     (*FestCheckKeyFunc)     (const char *key,
                                          const char *transaction_id,
                                          gpointer    user_data);
gboolean  fest_ledger_check_db_dangling_keys (FestLedgerCheckDb  *db,
                                              FestCheckKeyFunc    func,
                                              gpointer            user_data,
                                              GError            **error);

G_END_DECLS
