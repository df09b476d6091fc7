/* fest-ledger-private.h: the ledger's text path and refusals, for the ledger, idempotency and sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-ledger.h"
#include "fest-ledger-row.h"

G_BEGIN_DECLS

/* fest_ledger_apply(), appending the transaction's JSON text to @out instead of building a tree. */
/* Applies @input and appends the new row's JSON (fest_ledger_row_append_json()) to @out; sets
 * *@id_out (nullable, transfer full) to the row's id. */
gboolean  _fest_ledger_apply_to_text   (FestWriteCtx               *ctx,
                                        const FestTransactionInput *input,
                                        const FestActor            *actor,
                                        const char                 *idempotency_key,
                                        gboolean                    offline,
                                        GString                    *out,
                                        char                      **id_out,
                                        GError                    **error);
/* Writer thread. Appends the JSON of the ledger row with this id to @out, the same bytes that
 * _fest_ledger_apply_to_text() wrote when the row was made: rows never change. A NOT_FOUND error
 * when there is no such row. */
gboolean  _fest_ledger_append_json_by_id (FestWriteCtx *ctx,
                                          const char   *id,
                                          GString      *out,
                                          GError      **error);

/* Writer thread, after an operation was refused and its changes rolled back: keeps what the
 * refusal established. A CANCEL refused because its payment's window had passed closes that
 * payment to every later CANCEL, whatever time it claims. Other refusals are ignored. */
gboolean  _fest_ledger_note_refusal    (FestWriteCtx  *ctx,
                                        const GError  *refusal,
                                        GError       **error);

G_END_DECLS
