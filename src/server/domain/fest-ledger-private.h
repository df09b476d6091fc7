/* fest-ledger-private.h: ledger rows and wallets shared by the ledger routes and the ledger core
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-ledger.h"
#include "fest-request.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

G_BEGIN_DECLS

/* Resets a cached statement when it goes out of scope, so that a read statement never keeps a
 * read transaction (and an old WAL snapshot) open. */
static inline void
_fest_stmt_reset_cleanup (sqlite3_stmt **stmt)
{
  if (*stmt != NULL)
    sqlite3_reset (*stmt);
}
#define FEST_STMT_AUTO_RESET __attribute__ ((cleanup (_fest_stmt_reset_cleanup)))

/* Columns of a transactions row, in the order _fest_ledger_row_read() expects. */
#define FEST_LEDGER_TX_COLUMNS \
  "seq, id, wallet_id, type, amount, balance_after, reference, payment_method, stand_id, " \
  "operator_id, device_id, idempotency_key, offline_created, created_at, recorded_at, " \
  "prev_hash, hash"

/* Lines of one transaction, bound to ?1 = transaction id. */
#define FEST_LEDGER_LINES_SQL \
  "SELECT product_id, name, quantity, unit_price, vat_rate_bp, vat_amount " \
  "FROM transaction_lines WHERE transaction_id = ?1 ORDER BY line_no"

/* Columns of a wallets row, in the order _fest_ledger_wallet_to_json() expects. */
#define FEST_LEDGER_WALLET_COLUMNS \
  "id, code, holder_name, user_id, balance, overdrawn, created_at, updated_at"

#define FEST_LEDGER_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char   *product_id;
  char   *name;
  gint64  quantity;
  gint64  unit_price;
  gint64  vat_rate_bp;
  gint64  vat_amount;
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

/* fest_transaction_input_parse() for a device enrolled on a stand: a PAYMENT with lines may omit
 * stand_id when @default_stand_id (nullable) is given. input->stand_id stays as the body has it
 * (the operation's hash is of what the client sent): the caller sets the default. */
gboolean  _fest_transaction_input_parse_at_stand (JsonObject           *body,
                                                  const char           *default_stand_id,
                                                  FestTransactionInput *input,
                                                  GError              **error);

void      _fest_ledger_row_clear       (FestLedgerRow *row);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestLedgerRow, _fest_ledger_row_clear)
/* Reads the current row of @stmt (FEST_LEDGER_TX_COLUMNS from column 0) and its lines through
 * @lines_stmt (FEST_LEDGER_LINES_SQL, reset here). */
gboolean  _fest_ledger_row_read        (FestLedgerRow *row,
                                        sqlite3_stmt  *stmt,
                                        sqlite3_stmt  *lines_stmt,
                                        GError       **error);
JsonNode *_fest_ledger_row_to_json     (const FestLedgerRow *row);
/* Appends the same JSON as _fest_ledger_row_to_json() would generate, byte for byte, as text. */
/* The row's JSON: the reply to the request that made it, and also what a replay of that request
 * returns, rendered again from the stored row (fest_idempotency_store_transaction()). A change to
 * these bytes also changes the replays of keys stored before it: a client that retries across a
 * server upgrade gets the new form. */
void      _fest_ledger_row_append_json (const FestLedgerRow *row,
                                        GString             *out);
/* fest_ledger_apply(), appending the transaction's JSON text to @out instead of building a tree. */
/* Applies @input and appends the new row's JSON (_fest_ledger_row_append_json()) to @out; sets
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
/* hex SHA-256 (prev_hash ‖ canonical row); see fest-ledger.c for the canonical form. */
char     *_fest_ledger_row_hash        (const FestLedgerRow *row);

/* The current row of @stmt (FEST_LEDGER_WALLET_COLUMNS from column 0). */
JsonNode *_fest_ledger_wallet_to_json  (sqlite3_stmt *stmt);

/* Writer thread: creates a wallet (code from fest_wallet_code_new), audit row, returns its JSON. */
JsonNode *_fest_ledger_create_wallet   (FestWriteCtx    *ctx,
                                        const char      *holder_name,
                                        const char      *user_id,
                                        const FestActor *actor,
                                        GError         **error);

/* Seconds after a payment during which its cashier may CANCEL it: 120, or the environment variable
 * FESTIVALS_CANCEL_WINDOW_S (tests). */
gint64    _fest_ledger_cancel_window   (void);

/* Writer thread, after an operation was refused and its changes rolled back: keeps what the
 * refusal established. A CANCEL refused because its payment's window had passed closes that
 * payment to every later CANCEL, whatever time it claims. Other refusals are ignored. */
gboolean  _fest_ledger_note_refusal    (FestWriteCtx  *ctx,
                                        const GError  *refusal,
                                        GError       **error);

/* Route helper (fest-routes-ledger.c): pauses @req, runs @func as a write job and replies @status
 * with the job's JsonNode result as data, or the job's error, once the commit is durable. */
void      _fest_route_write            (FestRequest    *req,
                                        guint           status,
                                        FestWriteFunc   func,
                                        gpointer        data,
                                        GDestroyNotify  data_free);

/* Route helper: the attendee account of the request, or NULL after replying 403 (a device or
 * no account has no wallet of its own). */
const char *_fest_route_self_account   (FestRequest    *req);

/* Writer thread: the wallet of @user_id, created when missing. Returns its id (transfer full);
 * *@wallet_out (nullable) gets its JSON. */
char      *_fest_route_ensure_user_wallet (FestWriteCtx    *ctx,
                                           const char      *user_id,
                                           const FestActor *actor,
                                           JsonNode       **wallet_out,
                                           GError         **error);

/* Parses an optional UUID query parameter: TRUE with *out NULL when absent; FALSE after replying
 * 400 VALIDATION_FAILED naming @name when malformed. */
gboolean  _fest_route_query_uuid       (FestRequest    *req,
                                        const char     *name,
                                        const char    **out);

G_END_DECLS
