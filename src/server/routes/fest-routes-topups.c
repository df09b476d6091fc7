/* fest-routes-topups.c: online top-ups of an attendee's wallet, paid through a payment provider
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /me/wallet/recharge used to credit the attendee's wallet on the attendee's word. Now it
 * only stores a PENDING top-up and starts the provider's checkout (202); the RECHARGE ledger row
 * is written when the provider confirms the payment on POST /payments/webhook, once per top-up.
 * With no provider configured the route answers 501 and writes nothing.
 */

#include "config.h"

#include <string.h>

#include "fest-ledger-private.h"
#include "fest-live-util.h"
#include "fest-payment-provider.h"
#include "fest-router.h"
#include "fest-routes-idempotency.h"
#include "fest-routes-ledger-private.h"
#include "fest-server-private.h"
#include "fest-topups-repo.h"
#include "fest-wallets.h"

/* Not a FestErrorCode: only this route answers it, and clients show its message. */
#define PAYMENT_PROVIDER_MISSING "PAYMENT_PROVIDER_MISSING"

static void
reply_provider_missing (FestRequest *req)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, PAYMENT_PROVIDER_MISSING);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Online top-ups need a payment provider; pay at a recharge desk");
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  bytes = g_bytes_new_take (text, strlen (text));
  fest_request_reply_bytes (req, SOUP_STATUS_NOT_IMPLEMENTED, "application/json", bytes);
}

/* Writer thread: the top-up @id as JSON; NOT_FOUND when there is none. */
static JsonNode *
load_topup (FestWriteCtx  *ctx,
            const char    *id,
            GError       **error)
{
  JsonNode *node = NULL;

  if (!fest_topups_repo_find (ctx, id, &node, error))
    return NULL;
  if (node == NULL)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "top-up not found");
  return node;
}

/* POST /me/wallet/recharge */

typedef struct
{
  char      *id;
  char      *user_id;
  char      *provider;
  char      *checkout_url;   /* nullable */
  gint64     amount;
  FestActor *actor;
} TopupJob;

static void
topup_job_free (gpointer data)
{
  TopupJob *job = data;

  g_free (job->id);
  g_free (job->user_id);
  g_free (job->provider);
  g_free (job->checkout_url);
  g_clear_pointer (&job->actor, fest_actor_free);
  g_free (job);
}

/* Rerunnable: it only reads the job. */
static JsonNode *
topup_create (FestWriteCtx  *ctx,
              const char    *idempotency_key,
              gpointer       data,
              guint         *status,
              GError       **error)
{
  TopupJob *job = data;
  g_autofree char *wallet_id = NULL;
  g_autofree char *now = fest_time_now ();
  g_autoptr(JsonNode) topup = NULL;

  wallet_id = fest_wallet_ensure_for_user (ctx, job->user_id, job->actor, NULL, error);
  if (wallet_id == NULL)
    return NULL;

  if (!fest_topups_repo_insert (ctx, job->id, wallet_id, job->user_id, job->amount, job->provider, now, error))
    return NULL;

  topup = load_topup (ctx, job->id, error);
  if (topup == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, job->actor, "topup.create", "topup", job->id, NULL, topup, error))
    return NULL;
  if (job->checkout_url != NULL)
    json_object_set_string_member (json_node_get_object (topup), "checkout_url", job->checkout_url);

  *status = SOUP_STATUS_ACCEPTED;
  return g_steal_pointer (&topup);
}

static void
me_wallet_recharge (FestRequest *req)
{
  FestPaymentProvider *provider = fest_server_get_payment_provider (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  const char *payment_method = NULL;
  const char *account_id;
  FestTopupRequest request;
  TopupJob *job;
  JsonObject *body;
  gint64 amount;

  account_id = _fest_route_self_account (req);
  if (account_id == NULL)
    return;
  /* Nobody took any money: never a credit. */
  if (provider == NULL)
    {
      reply_provider_missing (req);
      return;
    }
  if (!fest_idempotency_require_key (req))
    return;
  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_int (body, "amount", TRUE, 1, FEST_MONEY_MAX_AMOUNT, &amount, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  /* Older clients name how they pay; the provider decides, and the RECHARGE row says ONLINE. */
  if (json_object_has_member (body, "payment_method")
      && !JSON_NODE_HOLDS_NULL (json_object_get_member (body, "payment_method")))
    {
      if (!fest_json_get_string (body, "payment_method", FALSE, &payment_method, &error))
        {
          fest_request_reply_gerror (req, error);
          return;
        }
      if (!g_str_equal (payment_method, "CARD") && !g_str_equal (payment_method, "ONLINE"))
        {
          error = fest_error_validation ("payment_method", "payment_method must be CARD or ONLINE");
          fest_request_reply_gerror (req, error);
          return;
        }
    }

  job = g_new0 (TopupJob, 1);
  job->id = fest_uuid_new ();
  job->user_id = g_strdup (account_id);
  job->provider = g_strdup (fest_payment_provider_get_name (provider));
  job->amount = amount;
  job->actor = fest_actor_copy (fest_request_get_actor (req));

  request.id = job->id;
  request.festival_id = auth->festival_id;
  request.amount = amount;
  if (!fest_payment_provider_start_checkout (provider, &request, &job->checkout_url, &error))
    {
      topup_job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }

  fest_idempotency_handle (req, topup_create, job, topup_job_free);
}

/* GET /me/wallet/topups/{id} */

static void
me_wallet_topup_get (FestRequest *req)
{
  const char *account_id = _fest_route_self_account (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  JsonNode *topup = NULL;

  if (account_id == NULL)
    return;
  if (!fest_uuid_is_valid (id))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "top-up not found", NULL);
      return;
    }

  if (!fest_topups_repo_get (fest_request_get_store (req), id, account_id, &topup, &error))
    fest_request_reply_gerror (req, error);
  else if (topup != NULL)
    fest_request_reply_data (req, 200, topup);
  else
    fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "top-up not found", NULL);
}

/* POST /payments/webhook */

typedef struct
{
  FestPaymentConfirmation  confirmation;
  FestActor               *actor;
} ConfirmJob;

static void
confirm_job_free (gpointer data)
{
  ConfirmJob *job = data;

  fest_payment_confirmation_clear (&job->confirmation);
  g_clear_pointer (&job->actor, fest_actor_free);
  g_free (job);
}

/* Writer thread: credits the wallet for a paid top-up, exactly once. */
static gboolean
confirm_write (FestWriteCtx   *ctx,
               gpointer        job_data,
               gpointer       *result,
               GDestroyNotify *result_free,
               GError        **error)
{
  ConfirmJob *job = job_data;
  const FestPaymentConfirmation *confirmation = &job->confirmation;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autofree char *now = fest_time_now ();
  g_autofree char *user_id = NULL;
  g_autofree char *transaction_id = NULL;
  JsonObject *object;

  before = load_topup (ctx, confirmation->topup_id, error);
  if (before == NULL)
    return FALSE;
  object = json_node_get_object (before);

  if (json_object_get_int_member (object, "amount") != confirmation->amount)
    {
      g_propagate_error (error, fest_error_validation ("amount", "amount does not match the top-up's"));
      return FALSE;
    }
  /* A replayed or late confirmation: the top-up already has its outcome. */
  if (!g_str_equal (json_object_get_string_member (object, "status"), "PENDING"))
    {
      *result = g_steal_pointer (&before);
      *result_free = (GDestroyNotify) json_node_unref;
      return TRUE;
    }

  if (!fest_topups_repo_user_id (ctx, confirmation->topup_id, &user_id, error))
    return FALSE;
  /* The ledger row and audit name the attendee who paid, from the gateway's address. */
  g_free (job->actor->account_id);
  job->actor->account_id = g_strdup (user_id);

  if (confirmation->paid)
    {
      FestTransactionInput input = { 0, };
      /* The row's key names its top-up. It is not entered in the idempotency table, where a
       * client's own key could already hold it: the top-up's status is what makes this once. */
      g_autofree char *key = g_strdup_printf ("topup:%s", confirmation->topup_id);
      g_autoptr(GString) text = g_string_new (NULL);
      gboolean applied;

      input.type = g_strdup ("RECHARGE");
      input.wallet_id = g_strdup (json_object_get_string_member (object, "wallet_id"));
      input.amount = confirmation->amount;
      input.payment_method = g_strdup ("ONLINE");
      input.reference = g_strdup (confirmation->topup_id);
      /* Through the ledger like any recharge: balance, hash chain, audit, live events. */
      applied = _fest_ledger_apply_to_text (ctx, &input, job->actor, key, FALSE, text, &transaction_id, error);
      fest_transaction_input_clear (&input);
      if (!applied)
        return FALSE;
    }

  if (!fest_topups_repo_set_outcome (ctx, confirmation->topup_id, confirmation->paid ? "CONFIRMED" : "FAILED",
                                     confirmation->reference, now, transaction_id, error))
    return FALSE;

  after = load_topup (ctx, confirmation->topup_id, error);
  if (after == NULL
      || !fest_write_ctx_audit (ctx, job->actor, confirmation->paid ? "topup.confirm" : "topup.fail", "topup",
                                confirmation->topup_id, before, after, error))
    return FALSE;

  *result = g_steal_pointer (&after);
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
confirm_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestRequest) req = user_data;
  g_autoptr(GError) error = NULL;
  JsonNode *topup;

  topup = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (topup == NULL)
    fest_request_reply_gerror (req, error);
  else
    fest_request_reply_data (req, SOUP_STATUS_OK, topup);
}

/* The store of the festival that has top-up @id; NULL with NOT_FOUND when none has. Top-up ids
 * name no festival, so each is asked; only a request the provider signed gets this far. */
static FestFestivalStore *
find_topup_store (FestServer  *server,
                  const char  *id,
                  GError     **error)
{
  g_autoptr(GPtrArray) festivals = NULL;

  festivals = fest_platform_store_list_memberships (fest_server_get_platform (server), NULL, TRUE, 0, G_MAXINT32,
                                                    NULL, error);
  if (festivals == NULL)
    return NULL;

  for (guint i = 0; i < festivals->len; i++)
    {
      FestMembership *festival = g_ptr_array_index (festivals, i);
      g_autoptr(GError) local_error = NULL;
      FestFestivalStore *store;
      gboolean exists;

      store = fest_server_get_festival_store (server, festival->festival_id, &local_error);
      if (store == NULL)
        continue;
      if (!fest_topups_repo_exists (store, id, &exists, error))
        return NULL;
      if (exists)
        return store;
    }

  g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "top-up not found");
  return NULL;
}

static void
payments_webhook (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  FestPaymentProvider *provider = fest_server_get_payment_provider (server);
  SoupServerMessage *msg = fest_request_get_message (req);
  g_autoptr(GError) error = NULL;
  FestFestivalStore *store;
  ConfirmJob *job;

  if (provider == NULL)
    {
      reply_provider_missing (req);
      return;
    }

  job = g_new0 (ConfirmJob, 1);
  if (!fest_payment_provider_verify_confirmation (provider, soup_server_message_get_request_headers (msg),
                                                  fest_request_get_body (req), &job->confirmation, &error)
      || (store = find_topup_store (server, job->confirmation.topup_id, &error)) == NULL)
    {
      confirm_job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }

  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_request_pause (req);
  fest_festival_store_write_async (store, confirm_write, job, confirm_job_free, NULL, confirm_done_cb,
                                   fest_request_ref (req));
}

void
fest_routes_topups_register (FestRouter *router)
{
  fest_router_add_full (router, "POST", "/me/wallet/recharge", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_SELF,
                        FEST_RATE_CLASS_RECHARGE_SELF, me_wallet_recharge);
  fest_router_add (router, "GET", "/me/wallet/topups/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_WALLET_SELF,
                   me_wallet_topup_get);
  /* No token: the provider's signature is the authentication. */
  fest_router_add (router, "POST", "/payments/webhook", FEST_ROUTE_PUBLIC, FEST_PERM_NONE, payments_webhook);
}
