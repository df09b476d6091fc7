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

#include "fest-ledger-private.h"
#include "fest-ledger-repo.h"
#include "fest-live-util.h"
#include "fest-routes-util.h"
#include "fest-router.h"
#include "fest-routes-idempotency.h"
#include "fest-routes-ledger-private.h"
#include "fest-wallets-repo.h"
#include "fest-wallets.h"

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

/* Reads */

/* Replies with the wallet whose @key is @value; 404 when none. */
static void
reply_wallet (FestRequest   *req,
              FestWalletKey  key,
              const char    *value)
{
  g_autoptr(GError) error = NULL;
  JsonNode *wallet = NULL;

  if (!fest_wallets_repo_get (fest_request_get_store (req), key, value, &wallet, &error))
    fest_request_reply_gerror (req, error);
  else if (wallet != NULL)
    fest_request_reply_data (req, 200, wallet);
  else
    reply_not_found (req, "wallet");
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
  reply_wallet (req, FEST_WALLET_BY_ID, id);
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
  reply_wallet (req, FEST_WALLET_BY_CODE, code);
}

/* A page of transactions, newest first. */
static void
reply_transactions (FestRequest            *req,
                    const FestLedgerFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) rows = NULL;
  JsonArray *array;
  JsonNode *node;
  guint page, per_page;
  gint64 total;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  if (!fest_ledger_repo_list (fest_request_get_store (req), filter, per_page, (gint64) (page - 1) * per_page,
                              &rows, &total, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  array = json_array_sized_new (rows->len);
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  for (guint i = 0; i < rows->len; i++)
    json_array_add_element (array, fest_ledger_row_to_json (&g_array_index (rows, FestLedgerRow, i)));
  fest_request_reply_list (req, node, total, page, per_page);
}

static gboolean
wallet_exists (FestRequest *req,
               const char  *id)
{
  g_autoptr(GError) error = NULL;
  gboolean exists;

  if (!fest_uuid_is_valid (id))
    {
      reply_not_found (req, "wallet");
      return FALSE;
    }
  if (!fest_wallets_repo_exists (fest_request_get_store (req), id, &exists, &error))
    {
      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  if (!exists)
    reply_not_found (req, "wallet");
  return exists;
}

static void
wallets_transactions (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");

  FestLedgerFilter filter = { 0, };

  if (!wallet_exists (req, id))
    return;
  filter.wallet_id = id;
  reply_transactions (req, &filter);
}

static void
transactions_list (FestRequest *req)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *created_id = NULL;
  FestLedgerFilter filter = { 0, };
  const char *idempotency_key;
  const char *wallet_id = NULL;
  const char *stand_id = NULL;
  const char *type;
  const char *text;

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

  filter.wallet_id = wallet_id;
  filter.stand_id = stand_id;
  filter.type = type;
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
      filter.idempotency_key = idempotency_key;
      filter.created_id = created_id != NULL ? created_id : "";
    }
  filter.from = from;
  filter.to = to;

  reply_transactions (req, &filter);
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

  wallet = fest_wallet_create_unique (ctx, job->holder_name, job->user_id, job->actor, error);
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

static gboolean
me_wallet_write (FestWriteCtx   *ctx,
                 gpointer        job_data,
                 gpointer       *result,
                 GDestroyNotify *result_free,
                 GError        **error)
{
  WalletJob *job = job_data;
  JsonNode *wallet = NULL;
  g_autofree char *id = fest_wallet_ensure_for_user (ctx, job->user_id, job->actor, &wallet, error);

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
  JsonNode *wallet = NULL;
  WalletJob *job;

  if (account_id == NULL)
    return;

  if (!fest_wallets_repo_get (fest_request_get_store (req), FEST_WALLET_BY_USER, account_id, &wallet, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  if (wallet != NULL)
    {
      fest_request_reply_data (req, 200, wallet);
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
  FestLedgerFilter filter = { 0, };

  if (account_id == NULL)
    return;
  /* No wallet yet: an empty page (the wallet is created by GET /me/wallet or a recharge). */
  filter.wallet_user_id = account_id;
  reply_transactions (req, &filter);
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
transaction_prefetch (FestWriteCtx *ctx,
                      gpointer      data)
{
  TransactionJob *job = data;

  fest_ledger_prefetch (ctx, &job->input);
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
  fest_idempotency_handle_text_hashed (req, request_hash, legacy_hash, 201, transaction_apply,
                                       transaction_prefetch, job, transaction_job_free);
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
