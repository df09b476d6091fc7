/* fest-ledger-repo-private.h: the ledger's columns, for the store's repositories only
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-ledger-repo.h"
#include "fest-store-private.h"

G_BEGIN_DECLS

/* Columns of a transactions row, in the order _fest_ledger_repo_row_read() expects. */
#define FEST_LEDGER_TX_COLUMNS \
  "seq, id, wallet_id, type, amount, balance_after, reference, payment_method, stand_id, " \
  "operator_id, device_id, idempotency_key, offline_created, created_at, recorded_at, " \
  "prev_hash, hash"

/* Lines of one transaction, bound to ?1 = transaction id. */
#define FEST_LEDGER_LINES_SQL \
  "SELECT product_id, name, quantity, unit_price, vat_rate_bp, vat_amount " \
  "FROM transaction_lines WHERE transaction_id = ?1 ORDER BY line_no"

/* Columns of a wallets row, in the order _fest_wallets_repo_to_json() expects. */
#define FEST_LEDGER_WALLET_COLUMNS \
  "id, code, holder_name, user_id, balance, overdrawn, created_at, updated_at"

/* Reads the current row of @stmt (FEST_LEDGER_TX_COLUMNS from column 0) and its lines through
 * @lines_stmt (FEST_LEDGER_LINES_SQL, reset here). */
gboolean  _fest_ledger_repo_row_read (FestLedgerRow  *row,
                                      FestDbStmt     *stmt,
                                      FestDbStmt     *lines_stmt,
                                      GError        **error);

G_END_DECLS
