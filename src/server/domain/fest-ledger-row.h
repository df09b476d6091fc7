/* fest-ledger-row.h: a ledger row's API JSON (tree and text) and its hash
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-ledger-repo.h"

G_BEGIN_DECLS

JsonNode *fest_ledger_row_to_json        (const FestLedgerRow *row);
/* The row's JSON: the reply to the request that made it, and also what a replay of that request
 * returns, rendered again from the stored row (fest_idempotency_store_transaction()). Appends the
 * same JSON as fest_ledger_row_to_json() would generate, byte for byte, as text. A change to
 * these bytes also changes the replays of keys stored before it: a client that retries across a
 * server upgrade gets the new form. */
void      fest_ledger_row_append_json    (const FestLedgerRow *row,
                                          GString             *out);
/* hex SHA-256 (prev_hash ‖ canonical row); see fest-ledger-row.c for the canonical form. */
char     *fest_ledger_row_hash           (const FestLedgerRow *row);

/* Appends @value (nullable) as a JSON string exactly as json-glib 1.6's generator writes it. */
void      fest_ledger_append_json_string (GString             *out,
                                          const char          *value);

G_END_DECLS
