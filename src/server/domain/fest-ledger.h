/* fest-ledger.h: the cashless ledger as write jobs, shared by POST /transactions and POST /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

G_BEGIN_DECLS

typedef struct
{
  gint64 quantity;
  char  *product_id;
} FestTransactionLineInput;

typedef struct
{
  char    *type;              /* RECHARGE PAYMENT REFUND CANCEL */
  char    *wallet_id;         /* one of wallet_id / wallet_code */
  char    *wallet_code;
  char    *stand_id;          /* nullable */
  char    *reference;         /* nullable; REFUND/CANCEL: the payment id */
  char    *payment_method;    /* RECHARGE: CASH CARD ONLINE, nullable */
  gint64   amount;            /* positive, for bare amounts; 0 when lines are given */
  GArray  *lines;             /* of FestTransactionLineInput, nullable */
  char    *created_at;        /* offline: station time; NULL = now */
} FestTransactionInput;

void     fest_transaction_input_clear (FestTransactionInput *input);

/* Validates a POST /transactions body (or a sync op's payload). VALIDATION_FAILED names the field. */
gboolean fest_transaction_input_parse (JsonObject           *body,
                                       FestTransactionInput *input,
                                       GError              **error);

/* Applies one transaction on the writer thread: balance check (online only), stock, VAT per line,
 * balance cache, hash chain, audit, events. @offline: the operation happened on a station while
 * offline: applied even if it overdraws (wallet flagged overdrawn, stock flagged). Returns the
 * transaction as API JSON (transfer full). @idempotency_key is stored on the row. */
JsonNode *fest_ledger_apply           (FestWriteCtx               *ctx,
                                       const FestTransactionInput *input,
                                       const FestActor            *actor,
                                       const char                 *idempotency_key,
                                       gboolean                    offline,
                                       GError                    **error);

/* Verifies every ledger invariant of a festival database (Σ amounts = balance per wallet, the
 * balance_after chain, the hash chain, stock against lines, stored replies against the ledger rows
 * they refer to, PRAGMA integrity_check). Appends one
 * line per violation to @report, naming the wallet or the first broken row. TRUE if clean. */
gboolean  fest_ledger_check           (sqlite3                    *db,
                                       GString                    *report);

G_END_DECLS
