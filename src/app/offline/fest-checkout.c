/* fest-checkout.c: the station's payment policy: sell, recharge, cancel the last sale
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See fest-checkout.h for the rules. Every record_* call commits before it returns, so what a
 * result reports as recorded is on the disk.
 */

#include "config.h"

#include "fest-core.h"
#include "fest-checkout.h"

struct _FestCheckout
{
  GObject           parent_instance;

  FestStationStore *store;
  FestSyncEngine   *engine;
  guint             online_timeout_ms;
};

G_DEFINE_FINAL_TYPE (FestCheckout, fest_checkout, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ENGINE,
  PROP_ONLINE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Results */

G_DEFINE_BOXED_TYPE (FestCheckoutResult, fest_checkout_result, fest_checkout_result_copy,
                     fest_checkout_result_free)

static FestCheckoutResult *
result_new (FestCheckoutStatus status,
            FestCheckoutRoute  route,
            const char        *key)
{
  FestCheckoutResult *result = g_new0 (FestCheckoutResult, 1);

  result->status = status;
  result->route = route;
  result->key = g_strdup (key);
  return result;
}

/* Nothing recorded: @error (transfer full) says why. */
static FestCheckoutResult *
result_refused (FestCheckoutRoute    route,
                const char          *key,
                FestCheckoutRefusal  refusal,
                GError              *error)
{
  FestCheckoutResult *result = result_new (FEST_CHECKOUT_REFUSED, route, key);

  result->refusal = refusal;
  result->error = error;
  return result;
}

FestCheckoutResult *
fest_checkout_result_copy (const FestCheckoutResult *result)
{
  FestCheckoutResult *copy;

  g_return_val_if_fail (result != NULL, NULL);
  copy = g_memdup2 (result, sizeof *result);
  copy->error = result->error != NULL ? g_error_copy (result->error) : NULL;
  copy->key = g_strdup (result->key);
  copy->product_name = g_strdup (result->product_name);
  return copy;
}

void
fest_checkout_result_free (FestCheckoutResult *result)
{
  if (result == NULL)
    return;
  g_clear_error (&result->error);
  g_free (result->key);
  g_free (result->product_name);
  g_free (result);
}

/* One operation in flight: a sale (lines) or a credit (amount, method). */

/* What the next store step of an operation does (see run_store_step()). */
typedef enum
{
  STEP_OFFLINE,     /* the offline rules, a new key */
  STEP_PREPARE,     /* the body to post online */
  STEP_ACCEPTED,    /* record the server's transaction */
  STEP_REFUSED,     /* the server's refusal, with the figures the store knows */
  STEP_NOT_SENT,    /* the offline rules under the attempt's key */
  STEP_NO_ANSWER,   /* the same, or kept unconfirmed */
} Step;

typedef struct
{
  gboolean            recharge;
  char               *key;
  char               *wallet_code;
  GPtrArray          *product_ids;   /* owns the strings the lines point to */
  GArray             *lines;         /* FestSaleLine */
  gint64              amount;        /* the sale's total, or the credit */
  char               *method;

  Step                step;
  JsonNode           *entity;        /* STEP_ACCEPTED: the server's transaction */
  GError             *error;         /* STEP_REFUSED: the server's refusal; STEP_PREPARE: why no body */
  JsonNode           *body;          /* STEP_PREPARE's output */
  FestCheckoutResult *result;        /* the other steps' output */
} Operation;

static void
operation_free (Operation *operation)
{
  g_free (operation->key);
  g_free (operation->wallet_code);
  g_clear_pointer (&operation->product_ids, g_ptr_array_unref);
  g_clear_pointer (&operation->lines, g_array_unref);
  g_free (operation->method);
  g_clear_pointer (&operation->entity, json_node_unref);
  g_clear_error (&operation->error);
  g_clear_pointer (&operation->body, json_node_unref);
  g_clear_pointer (&operation->result, fest_checkout_result_free);
  g_free (operation);
}

static Operation *
operation_new_sale (const char         *wallet_code,
                    const FestSaleLine *lines,
                    guint               n_lines)
{
  Operation *operation = g_new0 (Operation, 1);

  operation->wallet_code = g_strdup (wallet_code);
  operation->product_ids = g_ptr_array_new_with_free_func (g_free);
  operation->lines = g_array_sized_new (FALSE, FALSE, sizeof (FestSaleLine), n_lines);
  for (guint i = 0; i < n_lines; i++)
    {
      char *id = g_strdup (lines[i].product_id);
      FestSaleLine line = { id, lines[i].quantity };

      g_ptr_array_add (operation->product_ids, id);
      g_array_append_val (operation->lines, line);
    }
  return operation;
}

/* The offline rules */

static gint64
offline_allowance (FestCheckout *self)
{
  return fest_station_store_get_setting_int (self->store, FEST_STATION_KEY_OFFLINE_ALLOWANCE, 0);
}

/* What the sale costs at the cached catalog's prices (0 if it cannot be priced). */
static gint64
sale_total (FestCheckout       *self,
            const char         *wallet_code,
            const FestSaleLine *lines,
            guint               n_lines)
{
  g_autoptr(JsonNode) body = NULL;
  gint64 total = 0;

  body = fest_station_store_build_payment (self->store, wallet_code, lines, n_lines, &total, NULL);
  return body != NULL ? total : 0;
}

/* A sale by the offline rules, under @key when an online attempt preceded (NULL: a new key). */
static FestCheckoutResult *
pay_offline (FestCheckout       *self,
             const char         *key,
             const char         *wallet_code,
             const FestSaleLine *lines,
             guint               n_lines,
             FestCheckoutRoute   route)
{
  gint64 allowance = offline_allowance (self);
  g_autoptr(FestOutboxOp) op = NULL;
  GError *error = NULL;
  FestCheckoutResult *result;
  gint64 total = 0;

  op = fest_station_store_record_payment_full (self->store, key, wallet_code, lines, n_lines, allowance,
                                               FEST_OUTBOX_PENDING, NULL, &total, &error);
  if (op == NULL)
    {
      if (!g_error_matches (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE))
        return result_refused (route, key, FEST_CHECKOUT_REFUSAL_LOCAL, error);
      result = result_refused (route, key, FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE, error);
      result->needed = sale_total (self, wallet_code, lines, n_lines);
      result->available = fest_station_store_get_effective_balance (self->store, wallet_code) + MAX (allowance, 0);
      return result;
    }
  result = result_new (FEST_CHECKOUT_ACCEPTED, route, op->idempotency_key);
  result->amount = total;
  result->balance = fest_station_store_get_effective_balance (self->store, wallet_code);
  return result;
}

/* A credit by the offline rules: always taken (only the store itself may fail). */
static FestCheckoutResult *
recharge_offline (FestCheckout      *self,
                  const char        *key,
                  const char        *wallet_code,
                  gint64             amount,
                  const char        *method,
                  FestCheckoutRoute  route)
{
  g_autoptr(FestOutboxOp) op = NULL;
  GError *error = NULL;
  FestCheckoutResult *result;

  op = fest_station_store_record_recharge_full (self->store, key, wallet_code, amount, method, FEST_OUTBOX_PENDING,
                                                NULL, &error);
  if (op == NULL)
    return result_refused (route, key, FEST_CHECKOUT_REFUSAL_LOCAL, error);
  result = result_new (FEST_CHECKOUT_ACCEPTED, route, op->idempotency_key);
  result->amount = op->amount_delta;
  result->balance = fest_station_store_get_effective_balance (self->store, wallet_code);
  return result;
}

/* The organiser revoked this device: it sells nothing more, not even offline (nothing it records
 * could be sent with that token; what it holds waits for a new enrollment). */
static gboolean
is_revoked (FestCheckout *self)
{
  return self->engine != NULL && fest_sync_engine_get_revoked (self->engine);
}

static FestCheckoutResult *
result_revoked (void)
{
  FestCheckoutResult *result = result_new (FEST_CHECKOUT_REVOKED, FEST_CHECKOUT_ROUTE_OFFLINE, NULL);

  result->error = g_error_new_literal (FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                                       "This station's device token was revoked");
  return result;
}

/* Online: one operation (a sale or a credit) under one key */

/* The server's refusal of @operation, with the figures its details carry. */
static FestCheckoutResult *
refused_by_server (FestCheckout *self,
                   Operation    *operation,
                   GError       *error)
{
  JsonNode *details = fest_error_get_details (error);
  JsonObject *object = details != NULL && JSON_NODE_HOLDS_OBJECT (details) ? json_node_get_object (details) : NULL;
  FestCheckoutRefusal refusal = FEST_CHECKOUT_REFUSAL_SERVER;
  FestCheckoutResult *result;

  if (g_error_matches (error, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE))
    refusal = FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE;
  else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_OUT_OF_STOCK))
    refusal = FEST_CHECKOUT_REFUSAL_OUT_OF_STOCK;
  else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_NOT_FOUND))
    refusal = FEST_CHECKOUT_REFUSAL_UNKNOWN_WALLET;
  else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_FORBIDDEN))
    refusal = FEST_CHECKOUT_REFUSAL_FORBIDDEN;
  result = result_refused (FEST_CHECKOUT_ROUTE_ONLINE, operation->key, refusal, error);

  if (refusal == FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE)
    {
      result->needed = object ? json_object_get_int_member_with_default (object, "required", operation->amount)
                              : operation->amount;
      result->available = object ? json_object_get_int_member_with_default (object, "available", 0) : 0;
    }
  else if (refusal == FEST_CHECKOUT_REFUSAL_OUT_OF_STOCK)
    {
      const char *product_id = object ? json_object_get_string_member_with_default (object, "product_id", NULL)
                                      : NULL;
      g_autoptr(FestStationProduct) product =
        product_id != NULL ? fest_station_store_get_product (self->store, product_id) : NULL;

      result->available = object ? json_object_get_int_member_with_default (object, "available", 0) : 0;
      result->product_name = product != NULL ? g_strdup (product->name) : NULL;
    }
  return result;
}

/* Accepted by the server: recorded as acknowledged, with the server's transaction. */
static FestCheckoutResult *
record_accepted (FestCheckout *self,
                 Operation    *operation,
                 JsonNode     *entity)
{
  g_autofree char *text = fest_json_to_string (entity, NULL);
  FestCheckoutResult *result = result_new (FEST_CHECKOUT_ACCEPTED, FEST_CHECKOUT_ROUTE_ONLINE, operation->key);
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  gint64 total = operation->amount;

  if (operation->recharge)
    op = fest_station_store_record_recharge_full (self->store, operation->key, operation->wallet_code,
                                                  operation->amount, operation->method, FEST_OUTBOX_ACKED, text,
                                                  &error);
  else
    op = fest_station_store_record_payment_full (self->store, operation->key, operation->wallet_code,
                                                 (const FestSaleLine *) operation->lines->data, operation->lines->len,
                                                 0, FEST_OUTBOX_ACKED, text, &total, &error);
  /* Charged (or credited) on the server: say so whatever the local bookkeeping says. */
  if (op == NULL)
    g_warning ("Cannot record the accepted %s %s: %s", operation->recharge ? "recharge" : "sale", operation->key,
               error->message);
  result->amount = op != NULL ? total : operation->amount;
  result->balance = fest_station_store_get_effective_balance (self->store, operation->wallet_code);
  return result;
}

/* Never sent, or sent and unanswered: the offline rules under the attempt's key. If the attempt
 * had landed, the later sync is a "duplicate" of it; if not, it is applied then. */
static FestCheckoutResult *
fall_back_offline (FestCheckout      *self,
                   Operation         *operation,
                   FestCheckoutRoute  route)
{
  const FestSaleLine *lines = operation->recharge ? NULL : (const FestSaleLine *) operation->lines->data;
  guint n_lines = operation->recharge ? 0 : operation->lines->len;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  FestCheckoutResult *result;

  if (operation->recharge)
    return recharge_offline (self, operation->key, operation->wallet_code, operation->amount, operation->method,
                             route);
  result = pay_offline (self, operation->key, operation->wallet_code, lines, n_lines, route);
  if (route != FEST_CHECKOUT_ROUTE_NO_ANSWER || result->status != FEST_CHECKOUT_REFUSED ||
      result->refusal != FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE)
    return result;

  /* In doubt and refused offline: kept to be asked about, never pushed, not on the balance nor in
   * the shift. Pushed, it would charge a customer told "no"; dropped, a charge that did happen
   * would be lost. */
  fest_checkout_result_free (result);
  op = fest_station_store_record_payment_full (self->store, operation->key, operation->wallet_code, lines, n_lines,
                                               0, FEST_OUTBOX_UNCONFIRMED, NULL, NULL, &error);
  if (op == NULL)
    g_warning ("Cannot keep the unconfirmed sale %s: %s", operation->key, error->message);
  result = result_new (FEST_CHECKOUT_UNCONFIRMED, FEST_CHECKOUT_ROUTE_NO_ANSWER, operation->key);
  result->amount = operation->amount;
  return result;
}

static void
return_result (GTask              *task,
               FestCheckoutResult *result)
{
  g_task_return_pointer (task, result, (GDestroyNotify) fest_checkout_result_free);
  g_object_unref (task);
}

/* Store steps run in a worker thread: the station store serialises them with its own lock, and a
 * sync engine applying a page of pulled changes holds that lock for one short slice at a time, so
 * the GTK thread never waits on it (tests/bench/bench-ui-latency.c). */
static void
store_step_thread (GTask        *step,
                   gpointer      source,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  FestCheckout *self = source;
  Operation *operation = task_data;
  const FestSaleLine *lines = operation->recharge ? NULL : (const FestSaleLine *) operation->lines->data;
  guint n_lines = operation->recharge ? 0 : operation->lines->len;

  switch (operation->step)
    {
    case STEP_OFFLINE:
      operation->result = operation->recharge
                          ? recharge_offline (self, NULL, operation->wallet_code, operation->amount,
                                              operation->method, FEST_CHECKOUT_ROUTE_OFFLINE)
                          : pay_offline (self, NULL, operation->wallet_code, lines, n_lines,
                                         FEST_CHECKOUT_ROUTE_OFFLINE);
      break;

    case STEP_PREPARE:
      operation->body = operation->recharge
                        ? fest_station_store_build_recharge (self->store, operation->wallet_code, operation->amount,
                                                             operation->method, &operation->error)
                        : fest_station_store_build_payment (self->store, operation->wallet_code, lines, n_lines,
                                                            &operation->amount, &operation->error);
      break;

    case STEP_ACCEPTED:
      operation->result = record_accepted (self, operation, operation->entity);
      break;

    case STEP_REFUSED:
      operation->result = refused_by_server (self, operation, g_steal_pointer (&operation->error));
      break;

    case STEP_NOT_SENT:
      operation->result = fall_back_offline (self, operation, FEST_CHECKOUT_ROUTE_NOT_SENT);
      break;

    case STEP_NO_ANSWER:
    default:
      operation->result = fall_back_offline (self, operation, FEST_CHECKOUT_ROUTE_NO_ANSWER);
      break;
    }
  g_task_return_boolean (step, TRUE);
}

static void post_online (FestCheckout *self,
                         GTask        *task,
                         Operation    *operation);

static void
store_step_done_cb (GObject      *source,
                    GAsyncResult *res,
                    gpointer      user_data)
{
  GTask *task = user_data;
  FestCheckout *self = FEST_CHECKOUT (source);
  Operation *operation = g_task_get_task_data (task);

  if (operation->step != STEP_PREPARE)
    return_result (task, g_steal_pointer (&operation->result));
  else if (operation->body == NULL)
    return_result (task, result_refused (FEST_CHECKOUT_ROUTE_OFFLINE, NULL, FEST_CHECKOUT_REFUSAL_LOCAL,
                                         g_steal_pointer (&operation->error)));
  else
    post_online (self, task, operation);
}

/* Runs @operation's next store step off the GTK thread, then finishes @task with its result, or
 * posts the prepared body online. */
static void
run_store_step (FestCheckout *self,
                GTask        *task,
                Operation    *operation,
                Step          step)
{
  g_autoptr(GTask) store_step = g_task_new (self, NULL, store_step_done_cb, task);

  operation->step = step;
  g_task_set_source_tag (store_step, run_store_step);
  g_task_set_task_data (store_step, operation, NULL);
  g_task_run_in_thread (store_step, store_step_thread);
}

static void
online_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  GTask *task = user_data;
  FestCheckout *self = g_task_get_source_object (task);
  Operation *operation = g_task_get_task_data (task);
  g_autoptr(JsonNode) entity = NULL;
  GError *error = NULL;
  FestOnlineOutcome outcome;

  entity = fest_sync_engine_post_transaction_finish (FEST_SYNC_ENGINE (source), res, &outcome, &error);
  /* The caller is gone: nothing is recorded (the server's pull brings the balance back in line). */
  if (entity == NULL && g_task_return_error_if_cancelled (task))
    {
      g_clear_error (&error);
      g_object_unref (task);
      return;
    }

  switch (outcome)
    {
    case FEST_ONLINE_ACCEPTED:
      operation->entity = g_steal_pointer (&entity);
      run_store_step (self, task, operation, STEP_ACCEPTED);
      return;

    case FEST_ONLINE_REFUSED:
      operation->error = error;
      run_store_step (self, task, operation, STEP_REFUSED);
      return;

    case FEST_ONLINE_REVOKED:
      {
        FestCheckoutResult *result = result_new (FEST_CHECKOUT_REVOKED, FEST_CHECKOUT_ROUTE_ONLINE, operation->key);

        result->error = error;
        return_result (task, result);
        return;
      }

    case FEST_ONLINE_NOT_SENT:
      g_clear_error (&error);
      run_store_step (self, task, operation, STEP_NOT_SENT);
      return;

    case FEST_ONLINE_UNCERTAIN:
    default:
      g_clear_error (&error);
      run_store_step (self, task, operation, STEP_NO_ANSWER);
      return;
    }
}

/* Posts @operation's prepared body under a key allocated before the first attempt: every retry,
 * and the outbox fallback, use it. */
static void
post_online (FestCheckout *self,
             GTask        *task,
             Operation    *operation)
{
  g_autoptr(JsonNode) body = g_steal_pointer (&operation->body);

  operation->key = fest_uuid_new ();
  fest_sync_engine_post_transaction_async (self->engine, operation->key, body, self->online_timeout_ms,
                                           g_task_get_cancellable (task), online_cb, task);
}

/* Starts @operation: revoked at once; else its first store step (offline rules, or the body to
 * post online) in a worker thread. */
static void
start_operation (FestCheckout *self,
                 GTask        *task,
                 Operation    *operation)
{
  g_task_set_task_data (task, operation, (GDestroyNotify) operation_free);
  if (is_revoked (self))
    {
      return_result (task, result_revoked ());
      return;
    }
  run_store_step (self, task, operation, fest_checkout_get_online (self) ? STEP_PREPARE : STEP_OFFLINE);
}

/* Sales */

void
fest_checkout_pay_async (FestCheckout        *self,
                         const char          *wallet_code,
                         const FestSaleLine  *lines,
                         guint                n_lines,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FEST_IS_CHECKOUT (self));
  g_return_if_fail (wallet_code != NULL);
  g_return_if_fail (lines != NULL || n_lines == 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_checkout_pay_async);
  start_operation (self, task, operation_new_sale (wallet_code, lines, n_lines));
}

FestCheckoutResult *
fest_checkout_pay_finish (FestCheckout  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, fest_checkout_pay_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

FestCheckoutResult *
fest_checkout_pay_offline (FestCheckout       *self,
                           const char         *wallet_code,
                           const FestSaleLine *lines,
                           guint               n_lines)
{
  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);

  if (is_revoked (self))
    return result_revoked ();
  return pay_offline (self, NULL, wallet_code, lines, n_lines, FEST_CHECKOUT_ROUTE_OFFLINE);
}

/* Recharges */

void
fest_checkout_recharge_async (FestCheckout        *self,
                              const char          *wallet_code,
                              gint64               amount,
                              const char          *method,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Operation *operation;
  GTask *task;

  g_return_if_fail (FEST_IS_CHECKOUT (self));
  g_return_if_fail (wallet_code != NULL && method != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_checkout_recharge_async);
  operation = g_new0 (Operation, 1);
  operation->recharge = TRUE;
  operation->wallet_code = g_strdup (wallet_code);
  operation->amount = amount;
  operation->method = g_strdup (method);
  start_operation (self, task, operation);
}

FestCheckoutResult *
fest_checkout_recharge_finish (FestCheckout  *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, fest_checkout_recharge_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

FestCheckoutResult *
fest_checkout_recharge_offline (FestCheckout *self,
                                const char   *wallet_code,
                                gint64        amount,
                                const char   *method)
{
  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);
  g_return_val_if_fail (wallet_code != NULL && method != NULL, NULL);

  if (is_revoked (self))
    return result_revoked ();
  return recharge_offline (self, NULL, wallet_code, amount, method, FEST_CHECKOUT_ROUTE_OFFLINE);
}

/* Cancelling the last sale */

GTimeSpan
fest_checkout_get_cancel_time_left (FestCheckout *self)
{
  g_autoptr(FestOutboxOp) sale = NULL;
  g_autoptr(GDateTime) sold_at = NULL;
  g_autoptr(GDateTime) now = NULL;

  g_return_val_if_fail (FEST_IS_CHECKOUT (self), 0);

  sale = fest_station_store_get_last_sale (self->store);
  if (sale == NULL || sale->state != FEST_OUTBOX_ACKED || sale->entity == NULL)
    return 0;
  sold_at = fest_time_parse (sale->created_at);
  if (sold_at == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  return MAX (FEST_CHECKOUT_CANCEL_WINDOW_S * G_TIME_SPAN_SECOND - g_date_time_difference (now, sold_at), 0);
}

FestCheckoutResult *
fest_checkout_cancel_last (FestCheckout *self)
{
  g_autoptr(FestOutboxOp) op = NULL;
  FestCheckoutResult *result;
  GError *error = NULL;

  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);

  op = fest_station_store_record_cancel_last (self->store, FEST_CHECKOUT_CANCEL_WINDOW_S, &error);
  if (op == NULL)
    return result_refused (FEST_CHECKOUT_ROUTE_OFFLINE, NULL, FEST_CHECKOUT_REFUSAL_LOCAL, error);
  result = result_new (FEST_CHECKOUT_QUEUED,
                       self->engine != NULL && fest_sync_engine_get_online (self->engine)
                       ? FEST_CHECKOUT_ROUTE_ONLINE : FEST_CHECKOUT_ROUTE_OFFLINE,
                       op->idempotency_key);
  result->amount = op->amount_delta;
  return result;
}

FestCheckoutResult *
fest_checkout_get_cancel_outcome (FestCheckout *self,
                                  const char   *key)
{
  g_autoptr(GPtrArray) ops = NULL;

  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);
  g_return_val_if_fail (key != NULL, NULL);

  ops = fest_station_store_list_recent_ops (self->store, "CANCEL", 4);
  for (guint i = 0; i < ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);
      FestCheckoutResult *result;

      if (!g_str_equal (op->idempotency_key, key))
        continue;
      if (op->state == FEST_OUTBOX_ACKED)
        {
          result = result_new (FEST_CHECKOUT_ACCEPTED, FEST_CHECKOUT_ROUTE_ONLINE, key);
          result->amount = op->amount_delta;
          return result;
        }
      if (op->state == FEST_OUTBOX_REJECTED)
        {
          FestErrorCode code = FEST_ERROR_CONFLICT;

          /* The store gave the sale back its place: it stands, and the wallet keeps its balance. */
          fest_error_code_from_string (op->error_code, &code);
          return result_refused (FEST_CHECKOUT_ROUTE_ONLINE, key, FEST_CHECKOUT_REFUSAL_SERVER,
                                 g_error_new_literal (FEST_ERROR, code,
                                                      op->error_message != NULL ? op->error_message : ""));
        }
      result = result_new (FEST_CHECKOUT_QUEUED,
                           self->engine != NULL && fest_sync_engine_get_online (self->engine)
                           ? FEST_CHECKOUT_ROUTE_ONLINE : FEST_CHECKOUT_ROUTE_OFFLINE,
                           key);
      result->amount = op->amount_delta;
      return result;
    }
  return NULL;
}

static void
cancel_sync_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  GTask *task = user_data;
  FestCheckout *self = g_task_get_source_object (task);
  FestCheckoutResult *queued = g_task_get_task_data (task);
  FestCheckoutResult *result;
  g_autoptr(GError) error = NULL;

  /* A failed sync leaves the cancel queued: it goes out with a later one. */
  if (!fest_sync_engine_sync_finish (FEST_SYNC_ENGINE (source), res, &error))
    g_debug ("The cancel %s is not sent yet: %s", queued->key, error->message);
  result = fest_checkout_get_cancel_outcome (self, queued->key);
  return_result (task, result != NULL ? result : fest_checkout_result_copy (queued));
}

void
fest_checkout_cancel_last_async (FestCheckout        *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  FestCheckoutResult *result;
  GTask *task;

  g_return_if_fail (FEST_IS_CHECKOUT (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_checkout_cancel_last_async);
  result = fest_checkout_cancel_last (self);
  if (result->status != FEST_CHECKOUT_QUEUED || self->engine == NULL ||
      fest_sync_engine_get_revoked (self->engine))
    {
      return_result (task, result);
      return;
    }
  g_task_set_task_data (task, result, (GDestroyNotify) fest_checkout_result_free);
  fest_sync_engine_refresh_pending (self->engine);
  fest_sync_engine_sync_async (self->engine, cancellable, cancel_sync_cb, task);
}

FestCheckoutResult *
fest_checkout_cancel_last_finish (FestCheckout  *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, fest_checkout_cancel_last_async), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* GObject */

static void
fest_checkout_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FestCheckout *self = FEST_CHECKOUT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;

    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;

    case PROP_ONLINE_TIMEOUT:
      g_value_set_uint (value, self->online_timeout_ms);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_checkout_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FestCheckout *self = FEST_CHECKOUT (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;

    case PROP_ENGINE:
      self->engine = g_value_dup_object (value);
      break;

    case PROP_ONLINE_TIMEOUT:
      self->online_timeout_ms = g_value_get_uint (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_checkout_constructed (GObject *object)
{
  FestCheckout *self = FEST_CHECKOUT (object);

  G_OBJECT_CLASS (fest_checkout_parent_class)->constructed (object);
  g_assert (FEST_IS_STATION_STORE (self->store));
}

static void
fest_checkout_dispose (GObject *object)
{
  FestCheckout *self = FEST_CHECKOUT (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (fest_checkout_parent_class)->dispose (object);
}

static void
fest_checkout_class_init (FestCheckoutClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fest_checkout_get_property;
  object_class->set_property = fest_checkout_set_property;
  object_class->constructed = fest_checkout_constructed;
  object_class->dispose = fest_checkout_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, FEST_TYPE_STATION_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, FEST_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ONLINE_TIMEOUT] =
    g_param_spec_uint ("online-timeout", NULL, NULL, 100, G_MAXUINT, FEST_CHECKOUT_ONLINE_TIMEOUT_MS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fest_checkout_init (FestCheckout *self)
{
  self->online_timeout_ms = FEST_CHECKOUT_ONLINE_TIMEOUT_MS;
}

/* Public API */

FestCheckout *
fest_checkout_new (FestStationStore *store,
                   FestSyncEngine   *engine)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (store), NULL);
  g_return_val_if_fail (engine == NULL || FEST_IS_SYNC_ENGINE (engine), NULL);

  return g_object_new (FEST_TYPE_CHECKOUT, "store", store, "engine", engine, NULL);
}

FestStationStore *
fest_checkout_get_store (FestCheckout *self)
{
  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);
  return self->store;
}

FestSyncEngine *
fest_checkout_get_engine (FestCheckout *self)
{
  g_return_val_if_fail (FEST_IS_CHECKOUT (self), NULL);
  return self->engine;
}

gboolean
fest_checkout_get_online (FestCheckout *self)
{
  g_return_val_if_fail (FEST_IS_CHECKOUT (self), FALSE);
  return self->engine != NULL && fest_sync_engine_get_online (self->engine) &&
         !fest_sync_engine_get_revoked (self->engine);
}
