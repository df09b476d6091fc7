/* fest-station-store-async.c: the store calls of a sale's path, run in a worker thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each _async function runs its synchronous counterpart in a GTask thread and calls back on the
 * caller's thread-default main context: the GTK thread never waits for the store's mutex (held a
 * few milliseconds at a time by the sync engine's pulls) nor for a durable commit.
 */

#include "config.h"

#include <string.h>

#include "fest-station-store-private.h"

typedef struct
{
  char            *key;           /* idempotency key, product id, QR text */
  char            *wallet_code;   /* wallet code, stand id, gate */
  char            *method;        /* recharge method, scan direction */
  char            *entity;
  FestSaleLine    *lines;
  guint            n_lines;
  gint64           number;        /* allowance, amount, max age */
  FestOutboxState  state;
  GDateTime       *now;
  /* Results besides the task's value. */
  gint64           total;
  gint64           balance;
  FestScanVerdict  verdict;
} Call;

static void
call_free (Call *call)
{
  for (guint i = 0; i < call->n_lines; i++)
    g_free ((char *) call->lines[i].product_id);
  g_free (call->lines);
  g_free (call->key);
  g_free (call->wallet_code);
  g_free (call->method);
  g_free (call->entity);
  g_clear_pointer (&call->now, g_date_time_unref);
  fest_scan_verdict_clear (&call->verdict);
  g_free (call);
}

static Call *
call_new (const FestSaleLine *lines,
          guint               n_lines)
{
  Call *call = g_new0 (Call, 1);

  call->n_lines = n_lines;
  call->lines = g_new0 (FestSaleLine, MAX (n_lines, 1));
  for (guint i = 0; i < n_lines; i++)
    {
      call->lines[i].product_id = g_strdup (lines[i].product_id);
      call->lines[i].quantity = lines[i].quantity;
    }
  return call;
}

static void
run_call (FestStationStore    *self,
          Call                *call,
          gpointer             source_tag,
          GTaskThreadFunc      func,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, call, (GDestroyNotify) call_free);
  g_task_run_in_thread (task, func);
}

static gpointer
propagate (FestStationStore  *self,
           GAsyncResult      *result,
           gpointer           source_tag,
           GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static Call *
result_call (GAsyncResult *result)
{
  return g_task_get_task_data (G_TASK (result));
}

/* Products */

static void
get_product_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Call *call = task_data;

  g_task_return_pointer (task, fest_station_store_get_product (source_object, call->key),
                         (GDestroyNotify) fest_station_product_free);
}

void
fest_station_store_get_product_async (FestStationStore    *self,
                                      const char          *product_id,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  call = call_new (NULL, 0);
  call->key = g_strdup (product_id);
  run_call (self, call, fest_station_store_get_product_async, get_product_thread, cancellable, callback,
            user_data);
}

FestStationProduct *
fest_station_store_get_product_finish (FestStationStore  *self,
                                       GAsyncResult      *result,
                                       GError           **error)
{
  return propagate (self, result, fest_station_store_get_product_async, error);
}

static void
list_products_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Call *call = task_data;

  g_task_return_pointer (task, fest_station_store_list_products (source_object, call->wallet_code),
                         (GDestroyNotify) g_ptr_array_unref);
}

void
fest_station_store_list_products_async (FestStationStore    *self,
                                        const char          *stand_id,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  call = call_new (NULL, 0);
  call->wallet_code = g_strdup (stand_id);
  run_call (self, call, fest_station_store_list_products_async, list_products_thread, cancellable,
            callback, user_data);
}

GPtrArray *
fest_station_store_list_products_finish (FestStationStore  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return propagate (self, result, fest_station_store_list_products_async, error);
}

/* Wallets */

static void
effective_balance_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  Call *call = task_data;

  call->balance = fest_station_store_get_effective_balance (source_object, call->wallet_code);
  g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
}

void
fest_station_store_get_effective_balance_async (FestStationStore    *self,
                                                const char          *wallet_code,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (wallet_code != NULL);
  call = call_new (NULL, 0);
  call->wallet_code = g_strdup (wallet_code);
  run_call (self, call, fest_station_store_get_effective_balance_async, effective_balance_thread,
            cancellable, callback, user_data);
}

gint64
fest_station_store_get_effective_balance_finish (FestStationStore  *self,
                                                 GAsyncResult      *result,
                                                 GError           **error)
{
  if (propagate (self, result, fest_station_store_get_effective_balance_async, error) == NULL)
    return 0;
  return result_call (result)->balance;
}

/* Sales */

static void
build_payment_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  JsonNode *body = fest_station_store_build_payment (source_object, call->wallet_code, call->lines,
                                                     call->n_lines, &call->total, &error);

  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) json_node_unref);
}

void
fest_station_store_build_payment_async (FestStationStore    *self,
                                        const char          *wallet_code,
                                        const FestSaleLine  *lines,
                                        guint                n_lines,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (wallet_code != NULL);
  call = call_new (lines, n_lines);
  call->wallet_code = g_strdup (wallet_code);
  run_call (self, call, fest_station_store_build_payment_async, build_payment_thread, cancellable,
            callback, user_data);
}

JsonNode *
fest_station_store_build_payment_finish (FestStationStore  *self,
                                         GAsyncResult      *result,
                                         gint64            *total,
                                         GError           **error)
{
  JsonNode *body = propagate (self, result, fest_station_store_build_payment_async, error);

  if (body != NULL && total != NULL)
    *total = result_call (result)->total;
  return body;
}

static void
record_payment_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  FestOutboxOp *op;

  op = fest_station_store_record_payment_full (source_object, call->key, call->wallet_code, call->lines,
                                               call->n_lines, call->number, call->state, call->entity,
                                               &call->total, &error);
  if (op == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, op, (GDestroyNotify) fest_outbox_op_free);
}

void
fest_station_store_record_payment_full_async (FestStationStore    *self,
                                              const char          *idempotency_key,
                                              const char          *wallet_code,
                                              const FestSaleLine  *lines,
                                              guint                n_lines,
                                              gint64               allowance,
                                              FestOutboxState      state,
                                              const char          *entity,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (wallet_code != NULL);
  call = call_new (lines, n_lines);
  call->key = g_strdup (idempotency_key);
  call->wallet_code = g_strdup (wallet_code);
  call->number = allowance;
  call->state = state;
  call->entity = g_strdup (entity);
  run_call (self, call, fest_station_store_record_payment_full_async, record_payment_thread, cancellable,
            callback, user_data);
}

FestOutboxOp *
fest_station_store_record_payment_full_finish (FestStationStore  *self,
                                               GAsyncResult      *result,
                                               gint64            *total,
                                               GError           **error)
{
  FestOutboxOp *op = propagate (self, result, fest_station_store_record_payment_full_async, error);

  if (op != NULL && total != NULL)
    *total = result_call (result)->total;
  return op;
}

/* Recharges */

static void
build_recharge_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  JsonNode *body = fest_station_store_build_recharge (source_object, call->wallet_code, call->number,
                                                      call->method, &error);

  if (body == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, body, (GDestroyNotify) json_node_unref);
}

void
fest_station_store_build_recharge_async (FestStationStore    *self,
                                         const char          *wallet_code,
                                         gint64               amount,
                                         const char          *method,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (wallet_code != NULL);
  call = call_new (NULL, 0);
  call->wallet_code = g_strdup (wallet_code);
  call->number = amount;
  call->method = g_strdup (method);
  run_call (self, call, fest_station_store_build_recharge_async, build_recharge_thread, cancellable,
            callback, user_data);
}

JsonNode *
fest_station_store_build_recharge_finish (FestStationStore  *self,
                                          GAsyncResult      *result,
                                          GError           **error)
{
  return propagate (self, result, fest_station_store_build_recharge_async, error);
}

static void
record_recharge_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  FestOutboxOp *op;

  op = fest_station_store_record_recharge_full (source_object, call->key, call->wallet_code, call->number,
                                                call->method, call->state, call->entity, &error);
  if (op == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, op, (GDestroyNotify) fest_outbox_op_free);
}

void
fest_station_store_record_recharge_full_async (FestStationStore    *self,
                                               const char          *idempotency_key,
                                               const char          *wallet_code,
                                               gint64               amount,
                                               const char          *method,
                                               FestOutboxState      state,
                                               const char          *entity,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (wallet_code != NULL);
  call = call_new (NULL, 0);
  call->key = g_strdup (idempotency_key);
  call->wallet_code = g_strdup (wallet_code);
  call->number = amount;
  call->method = g_strdup (method);
  call->state = state;
  call->entity = g_strdup (entity);
  run_call (self, call, fest_station_store_record_recharge_full_async, record_recharge_thread, cancellable,
            callback, user_data);
}

FestOutboxOp *
fest_station_store_record_recharge_full_finish (FestStationStore  *self,
                                                GAsyncResult      *result,
                                                GError           **error)
{
  return propagate (self, result, fest_station_store_record_recharge_full_async, error);
}

/* Cancelling the last sale */

static void
get_last_sale_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  g_task_return_pointer (task, fest_station_store_get_last_sale (source_object),
                         (GDestroyNotify) fest_outbox_op_free);
}

void
fest_station_store_get_last_sale_async (FestStationStore    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (FEST_IS_STATION_STORE (self));
  run_call (self, call_new (NULL, 0), fest_station_store_get_last_sale_async, get_last_sale_thread,
            cancellable, callback, user_data);
}

FestOutboxOp *
fest_station_store_get_last_sale_finish (FestStationStore  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return propagate (self, result, fest_station_store_get_last_sale_async, error);
}

static void
cancel_last_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;
  FestOutboxOp *op = fest_station_store_record_cancel_last (source_object, call->number, &error);

  if (op == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, op, (GDestroyNotify) fest_outbox_op_free);
}

void
fest_station_store_record_cancel_last_async (FestStationStore    *self,
                                             gint64               max_age_seconds,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  call = call_new (NULL, 0);
  call->number = max_age_seconds;
  run_call (self, call, fest_station_store_record_cancel_last_async, cancel_last_thread, cancellable,
            callback, user_data);
}

FestOutboxOp *
fest_station_store_record_cancel_last_finish (FestStationStore  *self,
                                              GAsyncResult      *result,
                                              GError           **error)
{
  return propagate (self, result, fest_station_store_record_cancel_last_async, error);
}

/* Gate */

static void
record_scan_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  Call *call = task_data;
  GError *error = NULL;

  if (!fest_station_store_record_scan_direction (source_object, call->key, call->wallet_code, call->method,
                                                 call->now, &call->verdict, &error))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, GINT_TO_POINTER (TRUE), NULL);
}

void
fest_station_store_record_scan_direction_async (FestStationStore    *self,
                                                const char          *qr,
                                                const char          *gate,
                                                const char          *direction,
                                                GDateTime           *now,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data)
{
  Call *call;

  g_return_if_fail (FEST_IS_STATION_STORE (self));
  g_return_if_fail (qr != NULL && gate != NULL && now != NULL);
  g_return_if_fail (g_strcmp0 (direction, "IN") == 0 || g_strcmp0 (direction, "OUT") == 0);
  call = call_new (NULL, 0);
  call->key = g_strdup (qr);
  call->wallet_code = g_strdup (gate);
  call->method = g_strdup (direction);
  call->now = g_date_time_ref (now);
  run_call (self, call, fest_station_store_record_scan_direction_async, record_scan_thread, cancellable,
            callback, user_data);
}

gboolean
fest_station_store_record_scan_direction_finish (FestStationStore  *self,
                                                 GAsyncResult      *result,
                                                 FestScanVerdict   *verdict,
                                                 GError           **error)
{
  Call *call;

  g_return_val_if_fail (verdict != NULL, FALSE);
  if (propagate (self, result, fest_station_store_record_scan_direction_async, error) == NULL)
    return FALSE;
  call = result_call (result);
  /* The verdict moves to the caller's. */
  *verdict = call->verdict;
  memset (&call->verdict, 0, sizeof call->verdict);
  return TRUE;
}
