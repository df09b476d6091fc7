/* fest-routes-ledger.c: wallets, transactions and the attendee's own wallet
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads run on the main thread against the store's read connection; every mutation is a write
 * job (group commit) and replies once its commit is durable. Ledger mutations go through
 * fest_idempotency_handle(): the Idempotency-Key lookup, the mutation and the stored reply share
 * one write job.
 */

#include "config.h"

#include <string.h>

#include "fest-idempotency.h"
#include "fest-ledger-private.h"
#include "fest-live-util.h"
#include "fest-routes-util.h"
#include "fest-router.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

#define MAX_HOLDER_NAME_CHARS 200

/* Shared route helpers */

/* One mechanism for "reply once the write job is durable": fest-routes-util.c's. */
void
_fest_route_write (FestRequest    *req,
                   guint           status,
                   FestWriteFunc   func,
                   gpointer        data,
                   GDestroyNotify  data_free)
{
  fest_routes_write_reply_data (req, func, data, data_free, status);
}

gboolean
_fest_route_query_uuid (FestRequest *req,
                        const char  *name,
                        const char **out)
{
  const char *value = fest_request_get_query (req, name);

  *out = NULL;
  if (value == NULL || *value == '\0')
    return TRUE;
  if (!fest_uuid_is_valid (value))
    {
      g_autoptr(GError) error = fest_error_validation (name, "%s must be a UUID", name);

      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static void
reply_not_found (FestRequest *req,
                 const char  *what)
{
  g_autofree char *message = g_strdup_printf ("%s not found", what);

  fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, message, NULL);
}

static void
reply_sqlite_error (FestRequest *req)
{
  g_autoptr(GError) error = NULL;

  fest_sqlite_error (fest_festival_store_get_read_db (fest_request_get_store (req)), &error);
  fest_request_reply_gerror (req, error);
}

/* Reads */

/* Replies with the wallet selected by @sql bound to ?1 = @value; 404 when none. */
static void
reply_wallet (FestRequest *req,
              const char  *sql,
              const char  *value)
{
  g_autoptr(GError) error = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (fest_request_get_store (req), sql, &error);
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    fest_request_reply_data (req, 200, _fest_ledger_wallet_to_json (stmt));
  else if (rc == SQLITE_DONE)
    reply_not_found (req, "wallet");
  else
    reply_sqlite_error (req);
}

static void
wallets_get (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");

  if (!fest_uuid_is_valid (id))
    {
      reply_not_found (req, "wallet");
      return;
    }
  reply_wallet (req, "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE id = ?1", id);
}

static void
wallets_get_by_code (FestRequest *req)
{
  const char *code = fest_request_get_param (req, "code");

  if (!fest_wallet_code_is_valid (code))
    {
      reply_not_found (req, "wallet");
      return;
    }
  reply_wallet (req, "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE code = ?1", code);
}

/* The condition on the transactions table that selects one wallet's rows, by following its history
 * (wallets.last_seq, then each row's wallet_prev_seq) rather than an index a payment would have to
 * write. @wallet is a condition on the wallets table. */
#define WALLET_HISTORY_SQL(wallet) \
  "seq IN (WITH RECURSIVE history(seq) AS (SELECT last_seq FROM wallets WHERE " wallet \
  " UNION ALL SELECT t.wallet_prev_seq FROM transactions t JOIN history h ON t.seq = h.seq" \
  " WHERE t.wallet_prev_seq IS NOT NULL) SELECT seq FROM history)"

/* A page of transactions, newest first. @where is an SQL condition on the transactions table with
 * the parameters ?1… bound from @values (NULL entries skipped by the caller's SQL). */
static void
reply_transactions (FestRequest  *req,
                    const char   *where,
                    const char  **values,
                    guint         n_values)
{
  FestFestivalStore *store = fest_request_get_store (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *count_stmt = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *lines_stmt = NULL;
  JsonArray *array;
  JsonNode *node;
  guint page, per_page;
  gint64 total;
  int rc;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;

  count_sql = g_strdup_printf ("SELECT COUNT(*) FROM transactions WHERE %s", where);
  page_sql = g_strdup_printf ("SELECT " FEST_LEDGER_TX_COLUMNS " FROM transactions WHERE %s "
                              "ORDER BY seq DESC LIMIT ?%u OFFSET ?%u", where, n_values + 1, n_values + 2);

  count_stmt = fest_festival_store_prepare_read (store, count_sql, &error);
  if (count_stmt == NULL)
    goto error;
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (count_stmt, (int) i + 1, values[i], -1, SQLITE_STATIC);
  if (sqlite3_step (count_stmt) != SQLITE_ROW)
    {
      reply_sqlite_error (req);
      return;
    }
  total = sqlite3_column_int64 (count_stmt, 0);

  stmt = fest_festival_store_prepare_read (store, page_sql, &error);
  if (stmt == NULL)
    goto error;
  lines_stmt = fest_festival_store_prepare_read (store, FEST_LEDGER_LINES_SQL, &error);
  if (lines_stmt == NULL)
    goto error;
  for (guint i = 0; i < n_values; i++)
    sqlite3_bind_text (stmt, (int) i + 1, values[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, (int) n_values + 1, per_page);
  sqlite3_bind_int64 (stmt, (int) n_values + 2, (gint64) (page - 1) * per_page);

  array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(FestLedgerRow) row = { 0, };

      if (!_fest_ledger_row_read (&row, stmt, lines_stmt, &error))
        {
          json_node_unref (node);
          goto error;
        }
      json_array_add_element (array, _fest_ledger_row_to_json (&row));
    }
  if (rc != SQLITE_DONE)
    {
      json_node_unref (node);
      reply_sqlite_error (req);
      return;
    }
  fest_request_reply_list (req, node, total, page, per_page);
  return;

error:
  fest_request_reply_gerror (req, error);
}

static gboolean
wallet_exists (FestRequest *req,
               const char  *id)
{
  g_autoptr(GError) error = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  if (!fest_uuid_is_valid (id))
    {
      reply_not_found (req, "wallet");
      return FALSE;
    }
  stmt = fest_festival_store_prepare_read (fest_request_get_store (req),
                                           "SELECT 1 FROM wallets WHERE id = ?1", &error);
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    reply_not_found (req, "wallet");
  else
    reply_sqlite_error (req);
  return FALSE;
}

static void
wallets_transactions (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");

  if (!wallet_exists (req, id))
    return;
  reply_transactions (req, WALLET_HISTORY_SQL ("id = ?1"), &id, 1);
}

static void
transactions_list (FestRequest *req)
{
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *created_id = NULL;
  const char *values[8];
  const char *idempotency_key;
  const char *wallet_id = NULL;
  const char *stand_id = NULL;
  const char *type;
  const char *text;
  guint n = 0;

  if (!_fest_route_query_uuid (req, fest_request_get_query (req, "wallet_id") != NULL ? "wallet_id" : "wallet",
                               &wallet_id)
      || !_fest_route_query_uuid (req, fest_request_get_query (req, "stand_id") != NULL ? "stand_id" : "stand",
                                  &stand_id))
    return;

  type = fest_request_get_query (req, "type");
  if (type != NULL && *type != '\0' && !g_str_equal (type, "RECHARGE") && !g_str_equal (type, "PAYMENT")
      && !g_str_equal (type, "REFUND") && !g_str_equal (type, "CANCEL"))
    {
      g_autoptr(GError) error = fest_error_validation ("type", "type must be RECHARGE, PAYMENT, REFUND or CANCEL");

      fest_request_reply_gerror (req, error);
      return;
    }
  if (type != NULL && *type == '\0')
    type = NULL;

  text = fest_request_get_query (req, "from");
  if (text != NULL && *text != '\0' && (from = fest_time_normalize (text)) == NULL)
    {
      g_autoptr(GError) error = fest_error_validation ("from", "from must be an RFC 3339 time");

      fest_request_reply_gerror (req, error);
      return;
    }
  text = fest_request_get_query (req, "to");
  if (text != NULL && *text != '\0' && (to = fest_time_normalize (text)) == NULL)
    {
      g_autoptr(GError) error = fest_error_validation ("to", "to must be an RFC 3339 time");

      fest_request_reply_gerror (req, error);
      return;
    }

  if (wallet_id != NULL)
    {
      values[n++] = wallet_id;
      g_string_append_printf (where, " AND " WALLET_HISTORY_SQL ("id = ?%u"), n);
    }
  if (stand_id != NULL)
    {
      values[n++] = stand_id;
      g_string_append_printf (where, " AND stand_id = ?%u", n);
    }
  if (type != NULL)
    {
      values[n++] = type;
      g_string_append_printf (where, " AND type = ?%u", n);
    }
  /* A station asking whether an online attempt whose answer it never got did land. The ledger has
   * no index on the keys: the idempotency table, which owns them, names the row. */
  idempotency_key = fest_request_get_query (req, "idempotency_key");
  if (idempotency_key != NULL && *idempotency_key != '\0')
    {
      g_autoptr(GError) error = NULL;

      if (!fest_idempotency_key_is_valid (idempotency_key))
        error = fest_error_validation ("idempotency_key", "not an idempotency key");
      else
        fest_idempotency_created_id (fest_request_get_store (req), idempotency_key, &created_id, &error);
      if (error != NULL)
        {
          fest_request_reply_gerror (req, error);
          return;
        }
      values[n++] = idempotency_key;
      g_string_append_printf (where, " AND idempotency_key = ?%u", n);
      values[n++] = created_id != NULL ? created_id : "";
      g_string_append_printf (where, " AND id = ?%u", n);
    }
  if (from != NULL)
    {
      values[n++] = from;
      g_string_append_printf (where, " AND created_at >= ?%u", n);
    }
  if (to != NULL)
    {
      values[n++] = to;
      g_string_append_printf (where, " AND created_at < ?%u", n);
    }

  reply_transactions (req, where->str, values, n);
}

/* Wallet creation */

typedef struct
{
  char      *holder_name;
  char      *user_id;
  FestActor *actor;
} WalletJob;

static void
wallet_job_free (gpointer data)
{
  WalletJob *job = data;

  g_free (job->holder_name);
  g_free (job->user_id);
  g_clear_pointer (&job->actor, fest_actor_free);
  g_free (job);
}

static gboolean
wallet_create_write (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  WalletJob *job = job_data;
  JsonNode *wallet;

  if (job->user_id != NULL)
    {
      sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM wallets WHERE user_id = ?1", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, job->user_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc == SQLITE_ROW)
        {
          JsonObject *details = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_object_set_string_member (details, "field", "user_id");
          json_node_take_object (node, details);
          g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, node,
                                                                 "this user already has a wallet"));
          return FALSE;
        }
      if (rc != SQLITE_DONE)
        return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
    }

  wallet = _fest_ledger_create_wallet (ctx, job->holder_name, job->user_id, job->actor, error);
  if (wallet == NULL)
    return FALSE;
  *result = wallet;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
wallets_create (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  const char *holder_name = NULL;
  const char *user_id = NULL;
  JsonNode *member;
  WalletJob *job;

  if (body == NULL)
    return;

  member = json_object_get_member (body, "holder_name");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
      && !fest_json_get_text (body, "holder_name", FALSE, MAX_HOLDER_NAME_CHARS, &holder_name, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  member = json_object_get_member (body, "user_id");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member)
      && !fest_json_get_uuid (body, "user_id", FALSE, &user_id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  job = g_new0 (WalletJob, 1);
  job->holder_name = g_strdup (holder_name);
  job->user_id = g_strdup (user_id);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, 201, wallet_create_write, job, wallet_job_free);
}

/* The attendee's own wallet */

const char *
_fest_route_self_account (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);

  if (auth == NULL || auth->account_id == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "only an attendee account has its own wallet", NULL);
      return NULL;
    }
  return auth->account_id;
}

char *
_fest_route_ensure_user_wallet (FestWriteCtx    *ctx,
                                const char      *user_id,
                                const FestActor *actor,
                                JsonNode       **wallet_out,
                                GError         **error)
{
  sqlite3_stmt *stmt;
  char *id = NULL;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE user_id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, user_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      if (wallet_out != NULL)
        *wallet_out = _fest_ledger_wallet_to_json (stmt);
      sqlite3_reset (stmt);
      return id;
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
      return NULL;
    }

  {
    g_autoptr(JsonNode) wallet = _fest_ledger_create_wallet (ctx, NULL, user_id, actor, error);

    if (wallet == NULL)
      return NULL;
    id = g_strdup (json_object_get_string_member (json_node_get_object (wallet), "id"));
    if (wallet_out != NULL)
      *wallet_out = g_steal_pointer (&wallet);
  }
  return id;
}

static gboolean
me_wallet_write (FestWriteCtx   *ctx,
                 gpointer        job_data,
                 gpointer       *result,
                 GDestroyNotify *result_free,
                 GError        **error)
{
  WalletJob *job = job_data;
  JsonNode *wallet = NULL;
  g_autofree char *id = _fest_route_ensure_user_wallet (ctx, job->user_id, job->actor, &wallet, error);

  if (id == NULL)
    return FALSE;
  *result = wallet;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
me_wallet_get (FestRequest *req)
{
  const char *account_id = _fest_route_self_account (req);
  g_autoptr(GError) error = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  WalletJob *job;
  int rc;

  if (account_id == NULL)
    return;

  stmt = fest_festival_store_prepare_read (fest_request_get_store (req),
                                           "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE user_id = ?1",
                                           &error);
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      fest_request_reply_data (req, 200, _fest_ledger_wallet_to_json (stmt));
      return;
    }
  if (rc != SQLITE_DONE)
    {
      reply_sqlite_error (req);
      return;
    }

  job = g_new0 (WalletJob, 1);
  job->user_id = g_strdup (account_id);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, 200, me_wallet_write, job, wallet_job_free);
}

static void
me_wallet_transactions (FestRequest *req)
{
  const char *account_id = _fest_route_self_account (req);

  if (account_id == NULL)
    return;
  /* No wallet yet: an empty page (the wallet is created by GET /me/wallet or a recharge). */
  reply_transactions (req, WALLET_HISTORY_SQL ("user_id = ?1"), &account_id, 1);
}

/* Transactions */

typedef struct
{
  FestTransactionInput  input;
  FestActor            *actor;
} TransactionJob;

static void
transaction_job_free (gpointer data)
{
  TransactionJob *job = data;

  fest_transaction_input_clear (&job->input);
  g_clear_pointer (&job->actor, fest_actor_free);
  g_free (job);
}

/* May run twice (a rerunnable job): it only reads the job. */
static gboolean
transaction_apply (FestWriteCtx  *ctx,
                   const char    *idempotency_key,
                   gpointer       data,
                   guint         *status,
                   GString       *data_out,
                   char         **transaction_id,
                   GError       **error)
{
  TransactionJob *job = data;

  *status = 201;
  return _fest_ledger_apply_to_text (ctx, &job->input, job->actor, idempotency_key, FALSE, data_out,
                                     transaction_id, error);
}

static void
transactions_create (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *request_hash = NULL;
  g_autofree char *legacy_hash = NULL;
  TransactionJob *job;
  JsonObject *body;

  if (!fest_idempotency_require_key (req))
    return;
  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  job = g_new0 (TransactionJob, 1);
  /* A stand's till may leave its stand out of a sale with lines (set below, after the hash). */
  if (!_fest_transaction_input_parse_at_stand (body, auth != NULL ? auth->stand_id : NULL,
                                               &job->input, &error))
    {
      transaction_job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }
  if (g_str_equal (job->input.type, "REFUND")
      && (auth == NULL || !fest_roles_allow (auth->roles, FEST_PERM_TRANSACTION_REFUND)))
    {
      transaction_job_free (job);
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "only an organiser may refund", NULL);
      return;
    }
  /* The operation as the client asked for it, before the defaults below: the same key and
   * payload sent later as a sync op `transaction.create` hash alike (a replay, not a new sale). */
  request_hash = fest_idempotency_transaction_hash (&job->input);
  legacy_hash = fest_idempotency_request_hash (fest_request_get_method (req), fest_request_get_path (req),
                                               fest_request_get_body (req));
  /* Online: the server's clock is the time of the operation. */
  g_clear_pointer (&job->input.created_at, g_free);
  /* A stand's station sells at its own stand unless told otherwise. */
  if (job->input.stand_id == NULL && auth != NULL && auth->stand_id != NULL)
    job->input.stand_id = g_strdup (auth->stand_id);

  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_idempotency_handle_text_hashed (req, request_hash, legacy_hash, 201, transaction_apply, job,
                                       transaction_job_free);
}

void
fest_routes_ledger_register (FestRouter *router)
{
  fest_router_add (router, "POST", "/wallets", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_CREATE, wallets_create);
  fest_router_add (router, "GET", "/wallets/by-code/{code}", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_READ,
                   wallets_get_by_code);
  fest_router_add (router, "GET", "/wallets/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_READ, wallets_get);
  fest_router_add (router, "GET", "/wallets/{id}/transactions", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_READ,
                   wallets_transactions);
  fest_router_add (router, "GET", "/me/wallet", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_SELF, me_wallet_get);
  fest_router_add (router, "GET", "/me/wallet/transactions", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_SELF,
                   me_wallet_transactions);
  fest_router_add_full (router, "POST", "/transactions", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_CREATE,
                        FEST_RATE_CLASS_TRANSACTION, transactions_create);
  fest_router_add (router, "GET", "/transactions", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_READ,
                   transactions_list);
}
