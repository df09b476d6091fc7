/* fest-ledger.h: the cashless ledger as write jobs, shared by POST /transactions and POST /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-transaction-input.h"

G_BEGIN_DECLS

/* Seconds after a payment during which its cashier may CANCEL it, unless the server is told
 * otherwise (festivals-server --cancel-window). */
#define FEST_LEDGER_CANCEL_WINDOW_DEFAULT 120

/* Sets the CANCEL window of this process, at startup before any write job runs. */
void      fest_ledger_set_cancel_window (gint64                      seconds);
gint64    fest_ledger_get_cancel_window (void);

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
/* Before the job's first query (its Idempotency-Key's): sends the reads a PAYMENT starts with
 * ahead, so that PostgreSQL answers them all in one round trip (fest_db_prefetch()). */
void      fest_ledger_prefetch        (FestWriteCtx               *ctx,
                                       const FestTransactionInput *input);

G_END_DECLS
