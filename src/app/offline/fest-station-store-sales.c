/* fest-station-store-sales.c: payments, recharges, cancelling the station's last sale
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

/* The body of a PAYMENT, as POST /transactions takes it and as the outbox keeps it (plus
 * created_at there). One builder for both, so that the online attempt and its outbox fallback are
 * the same operation for the server's idempotency check. */
static JsonNode *
payment_payload_locked (FestStationStore   *self,
                        const char         *wallet_code,
                        const FestSaleLine *lines,
                        guint               n_lines,
                        const char         *created_at,
                        GPtrArray          *products_out,
                        gint64             *total_out,
                        GError            **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *stand_id = NULL;
  gint64 total = 0;

  if (n_lines == 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("The cart is empty"));
      return NULL;
    }
  if (!_fest_station_require_enrolled_locked (self, error))
    return NULL;
  stand_id = _fest_station_get_setting_locked (self, FEST_STATION_KEY_STAND_ID);

  for (guint i = 0; i < n_lines; i++)
    {
      FestStationProduct *product = _fest_station_get_product_locked (self, lines[i].product_id);
      gint64 line_total;

      if (product == NULL)
        {
          g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_FOUND,
                       _("Unknown product %s"), lines[i].product_id);
          return NULL;
        }
      if (lines[i].quantity <= 0 ||
          !fest_money_mul (product->price, lines[i].quantity, &line_total) ||
          !fest_money_add (total, line_total, &total))
        {
          fest_station_product_free (product);
          g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                               _("Invalid quantity"));
          return NULL;
        }
      if (products_out != NULL)
        g_ptr_array_add (products_out, product);
      else
        fest_station_product_free (product);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "PAYMENT");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_lines; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product_id");
      json_builder_add_string_value (builder, lines[i].product_id);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, lines[i].quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (created_at != NULL)
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
    }
  json_builder_end_object (builder);
  if (total_out != NULL)
    *total_out = total;
  return json_builder_get_root (builder);
}

JsonNode *
fest_station_store_build_payment (FestStationStore   *self,
                                  const char         *wallet_code,
                                  const FestSaleLine *lines,
                                  guint               n_lines,
                                  gint64             *total,
                                  GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  locker = _fest_station_lock (self);
  return payment_payload_locked (self, wallet_code, lines, n_lines, NULL, NULL, total, error);
}

/* An operation the server already answered: its entity (a transaction) gives the wallet's balance
 * right after it, which the cache takes (the op is not pending, so it is not added on top). */
gboolean
_fest_station_take_acked_entity_locked (FestStationStore  *self,
                                        const char        *wallet_code,
                                        const char        *entity,
                                        GError           **error)
{
  g_autoptr(JsonNode) node = entity != NULL ? fest_json_parse (entity, -1, NULL) : NULL;
  JsonObject *object;
  const char *wallet_id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  object = json_node_get_object (node);
  wallet_id = json_object_get_string_member_with_default (object, "wallet_id", NULL);
  if (wallet_id == NULL || !json_object_has_member (object, "balance_after"))
    return TRUE;
  return _fest_station_upsert_wallet_locked (self, wallet_id, wallet_code,
                                             json_object_get_int_member (object, "balance_after"),
                                             json_object_get_int_member (object, "balance_after") < 0, -1, error);
}

gboolean
_fest_station_set_op_state_locked (FestStationStore  *self,
                                   const char        *key,
                                   FestOutboxState    state,
                                   const char        *entity,
                                   GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self,
                           "UPDATE outbox SET state = ?, entity = ? WHERE idempotency_key = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, state);
  _fest_station_bind_text (stmt, 2, entity);
  _fest_station_bind_text (stmt, 3, key);
  return _fest_station_step_done (self, stmt, error);
}

FestOutboxOp *
fest_station_store_record_payment (FestStationStore    *self,
                                   const char          *wallet_code,
                                   const FestSaleLine  *lines,
                                   guint                n_lines,
                                   gint64               allowance,
                                   gint64              *total_out,
                                   GError             **error)
{
  return fest_station_store_record_payment_full (self, NULL, wallet_code, lines, n_lines, allowance,
                                                 FEST_OUTBOX_PENDING, NULL, total_out, error);
}

FestOutboxOp *
fest_station_store_record_payment_full (FestStationStore    *self,
                                        const char          *idempotency_key,
                                        const char          *wallet_code,
                                        const FestSaleLine  *lines,
                                        guint                n_lines,
                                        gint64               allowance,
                                        FestOutboxState      state,
                                        const char          *entity,
                                        gint64              *total_out,
                                        GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  gint64 total = 0;
  gint64 balance = 0;
  gint64 available;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  g_return_val_if_fail (state == FEST_OUTBOX_PENDING || state == FEST_OUTBOX_ACKED ||
                        state == FEST_OUTBOX_UNCONFIRMED, NULL);

  locker = _fest_station_lock (self);
  now = fest_time_now ();
  products = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_product_free);
  payload = payment_payload_locked (self, wallet_code, lines, n_lines, now, products, &total, error);
  if (payload == NULL)
    return NULL;

  if (!_fest_station_begin (self, error))
    return NULL;

  /* Checked inside the transaction, so two sales racing on this station cannot both pass. An op
   * the server already accepted (ACKED) or that is in doubt (UNCONFIRMED) is not checked: it is
   * recorded as what it is. */
  if (state == FEST_OUTBOX_PENDING)
    {
      _fest_station_get_wallet_locked (self, wallet_code, NULL, &balance, NULL);
      available = balance + _fest_station_pending_delta_locked (self, wallet_code) + MAX (allowance, 0);
      if (available < total)
        {
          _fest_station_rollback (self);
          g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE,
                       "required %" G_GINT64_FORMAT ", available %" G_GINT64_FORMAT,
                       total, MAX (available, 0));
          return NULL;
        }
    }

  key = _fest_station_insert_op_locked (self, idempotency_key, "transaction.create", "PAYMENT", now, payload,
                                        wallet_code, -total, NULL, error);
  if (key == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }

  for (guint i = 0; i < n_lines; i++)
    {
      FestStationProduct *product = g_ptr_array_index (products, i);
      g_autoptr(sqlite3_stmt) stmt =
        _fest_station_prepare (self,
                               "INSERT INTO sale_lines (op_key, line_no, product_id, name, quantity, "
                               "unit_price, vat_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

      if (stmt == NULL)
        {
          _fest_station_rollback (self);
          return NULL;
        }
      _fest_station_bind_text (stmt, 1, key);
      sqlite3_bind_int (stmt, 2, i);
      _fest_station_bind_text (stmt, 3, product->id);
      _fest_station_bind_text (stmt, 4, product->name);
      sqlite3_bind_int64 (stmt, 5, lines[i].quantity);
      sqlite3_bind_int64 (stmt, 6, product->price);
      sqlite3_bind_int (stmt, 7, product->vat_rate_bp);
      if (!_fest_station_step_done (self, stmt, error))
        {
          _fest_station_rollback (self);
          return NULL;
        }
    }

  if (state != FEST_OUTBOX_PENDING &&
      (!_fest_station_set_op_state_locked (self, key, state, entity, error) ||
       (state == FEST_OUTBOX_ACKED && !_fest_station_take_acked_entity_locked (self, wallet_code, entity, error))))
    {
      _fest_station_rollback (self);
      return NULL;
    }

  if (!_fest_station_commit (self, error))
    return NULL;
  if (total_out != NULL)
    *total_out = total;
  return _fest_station_get_op_by_key_locked (self, key);
}

static JsonNode *
recharge_payload_locked (FestStationStore  *self,
                         const char        *wallet_code,
                         gint64             amount,
                         const char        *method,
                         const char        *created_at,
                         GError           **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *stand_id = NULL;

  if (amount <= 0 || amount > FEST_MONEY_MAX_AMOUNT)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid amount"));
      return NULL;
    }
  if (g_strcmp0 (method, "CASH") != 0 && g_strcmp0 (method, "CARD") != 0 && g_strcmp0 (method, "COMP") != 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid payment method"));
      return NULL;
    }
  if (!_fest_station_require_enrolled_locked (self, error))
    return NULL;
  stand_id = _fest_station_get_setting_locked (self, FEST_STATION_KEY_STAND_ID);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "RECHARGE");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount);
  json_builder_set_member_name (builder, "payment_method");
  json_builder_add_string_value (builder, method);
  if (created_at != NULL)
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

JsonNode *
fest_station_store_build_recharge (FestStationStore  *self,
                                   const char        *wallet_code,
                                   gint64             amount,
                                   const char        *method,
                                   GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  locker = _fest_station_lock (self);
  return recharge_payload_locked (self, wallet_code, amount, method, NULL, error);
}

FestOutboxOp *
fest_station_store_record_recharge (FestStationStore  *self,
                                    const char        *wallet_code,
                                    gint64             amount,
                                    const char        *method,
                                    GError           **error)
{
  return fest_station_store_record_recharge_full (self, NULL, wallet_code, amount, method,
                                                  FEST_OUTBOX_PENDING, NULL, error);
}

FestOutboxOp *
fest_station_store_record_recharge_full (FestStationStore  *self,
                                         const char        *idempotency_key,
                                         const char        *wallet_code,
                                         gint64             amount,
                                         const char        *method,
                                         FestOutboxState    state,
                                         const char        *entity,
                                         GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  g_return_val_if_fail (state == FEST_OUTBOX_PENDING || state == FEST_OUTBOX_ACKED, NULL);

  locker = _fest_station_lock (self);
  now = fest_time_now ();
  payload = recharge_payload_locked (self, wallet_code, amount, method, now, error);
  if (payload == NULL)
    return NULL;

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, idempotency_key, "transaction.create", "RECHARGE", now, payload,
                                        wallet_code, amount, method, error);
  if (key == NULL ||
      (state != FEST_OUTBOX_PENDING &&
       (!_fest_station_set_op_state_locked (self, key, state, entity, error) ||
        !_fest_station_take_acked_entity_locked (self, wallet_code, entity, error))))
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}

/* The station's last sale, if it can still be cancelled. The server cancels only a device's own
 * last payment: once that one is cancelled, the sale before it can no longer be (the cancel would
 * be refused), so it is not offered. A cancel the server refused does not count as one, but its
 * sale is not offered again: the refusal is final (already refunded, too old). */
static FestOutboxOp *
get_last_sale_locked (FestStationStore *self)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self, "SELECT " OP_COLUMNS " FROM outbox o WHERE kind = 'PAYMENT' "
                                 "AND state IN (0, 1) AND (cancelled_by IS NULL OR cancelled_by IN "
                                 "(SELECT idempotency_key FROM outbox WHERE state = 2)) "
                                 "AND seq = (SELECT MAX(seq) FROM outbox WHERE kind = 'PAYMENT' AND state IN (0, 1)) "
                                 "AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.kind = 'CANCEL' AND c.state = 2 "
                                 "AND o.entity IS NOT NULL AND json_valid (o.entity) AND json_valid (c.payload) "
                                 "AND json_extract (c.payload, '$.reference') = json_extract (o.entity, '$.id'))", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return _fest_station_op_from_row (stmt);
}

FestOutboxOp *
fest_station_store_get_last_sale (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = _fest_station_lock (self);
  return get_last_sale_locked (self);
}

FestOutboxOp *
fest_station_store_record_cancel_last (FestStationStore  *self,
                                       gint64             max_age_seconds,
                                       GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(FestOutboxOp) sale = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GDateTime) sold_at = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  const char *payment_id = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = _fest_station_lock (self);

  sale = get_last_sale_locked (self);
  if (sale == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("There is no sale to cancel"));
      return NULL;
    }
  sold_at = fest_time_parse (sale->created_at);
  now_time = g_date_time_new_now_utc ();
  if (sold_at == NULL ||
      g_date_time_difference (now_time, sold_at) > max_age_seconds * G_TIME_SPAN_SECOND)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The last sale is too old to be cancelled"));
      return NULL;
    }
  if (sale->state != FEST_OUTBOX_ACKED || sale->entity == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The last sale is not confirmed by the server yet"));
      return NULL;
    }
  entity = fest_json_parse (sale->entity, -1, NULL);
  if (entity != NULL && JSON_NODE_HOLDS_OBJECT (entity))
    payment_id = json_object_get_string_member_with_default (json_node_get_object (entity),
                                                            "id", NULL);
  if (payment_id == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The server did not return the sale's id"));
      return NULL;
    }

  stand_id = _fest_station_get_setting_locked (self, FEST_STATION_KEY_STAND_ID);
  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "CANCEL");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, sale->wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, payment_id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, NULL, "transaction.create", "CANCEL", now, payload, sale->wallet_code,
                                        -sale->amount_delta, NULL, error);
  if (key == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }
  mark = _fest_station_prepare (self, "UPDATE outbox SET cancelled_by = ? WHERE seq = ?", error);
  if (mark == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }
  _fest_station_bind_text (mark, 1, key);
  sqlite3_bind_int64 (mark, 2, sale->seq);
  if (!_fest_station_step_done (self, mark, error))
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}
