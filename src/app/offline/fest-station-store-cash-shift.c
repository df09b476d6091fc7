/* fest-station-store-cash-shift.c: the station's cash shift (opening float, closing count)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Both ends of a shift are outbox ops like sales (shift.open, shift.close, POST /sync), so they
 * reach the server once whether the station is online or not. A shift opened offline has no
 * server id until its op is applied (the result's entity): the close op then names its open op
 * ("open_key"), and the push fills in the shift id.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

gboolean
fest_station_store_has_cash_shift (FestStationStore *self)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  key = fest_station_store_get_setting (self, FEST_STATION_KEY_CASH_SHIFT_KEY);
  return key != NULL && *key != '\0';
}

FestOutboxOp *
fest_station_store_open_cash_shift (FestStationStore  *self,
                                    gint64             opening_float,
                                    GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *amount = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  if (opening_float < 0 || opening_float > FEST_MONEY_MAX_AMOUNT)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid opening float"));
      return NULL;
    }

  locker = _fest_station_lock (self);
  if (!_fest_station_require_enrolled_locked (self, error))
    return NULL;
  now = fest_time_now ();
  stand_id = _fest_station_get_setting_locked (self, FEST_STATION_KEY_STAND_ID);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (stand_id != NULL && *stand_id != '\0')
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "opening_float");
  json_builder_add_int_value (builder, opening_float);
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);
  amount = g_strdup_printf ("%" G_GINT64_FORMAT, opening_float);

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, NULL, "shift.open", "SHIFT", now, payload, NULL, 0, NULL, error);
  if (key == NULL
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_KEY, key, error)
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_FLOAT, amount, error)
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_SHIFT_START, now, error))
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}

/* The "id" of an applied op's entity (transfer full), NULL otherwise. */
static char *
entity_id_locked (FestStationStore *self,
                  const char       *key)
{
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(JsonNode) entity = NULL;

  if (key == NULL)
    return NULL;
  op = _fest_station_get_op_by_key_locked (self, key);
  if (op == NULL || op->state != FEST_OUTBOX_ACKED || op->entity == NULL)
    return NULL;
  entity = fest_json_parse (op->entity, -1, NULL);
  if (entity == NULL || !JSON_NODE_HOLDS_OBJECT (entity))
    return NULL;
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (entity), "id", NULL));
}

char *
fest_station_store_get_cash_shift_id (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = _fest_station_lock (self);
  key = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_KEY);
  return entity_id_locked (self, key);
}

static gint64
estimate_locked (FestStationStore *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *since = _fest_station_get_setting_locked (self, FEST_STATION_KEY_SHIFT_START);
  g_autofree char *amount = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_FLOAT);
  gint64 total = amount != NULL ? g_ascii_strtoll (amount, NULL, 10) : 0;

  /* Cash recharges not refused by the server (a recharge without a method is cash). */
  stmt = _fest_station_prepare (self,
                                "SELECT COALESCE(SUM(amount_delta), 0) FROM outbox WHERE kind = 'RECHARGE' "
                                "AND state IN (0, 1) AND (note IS NULL OR note = 'CASH') AND created_at >= ?",
                                NULL);
  if (stmt == NULL)
    return total;
  _fest_station_bind_text (stmt, 1, since != NULL ? since : "0000-01-01T00:00:00Z");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    total += sqlite3_column_int64 (stmt, 0);
  return total;
}

gint64
fest_station_store_estimate_expected_cash (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = _fest_station_lock (self);
  return estimate_locked (self);
}

FestOutboxOp *
fest_station_store_close_cash_shift (FestStationStore  *self,
                                     gint64             counted_cash,
                                     const char        *note,
                                     gint64            *estimated_expected,
                                     GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *open_key = NULL;
  g_autofree char *shift_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  g_autofree char *counted_text = NULL;
  g_autofree char *expected_text = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  if (counted_cash < 0 || counted_cash > FEST_MONEY_MAX_AMOUNT)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid cash count"));
      return NULL;
    }

  locker = _fest_station_lock (self);
  open_key = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_KEY);
  if (open_key == NULL || *open_key == '\0')
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("No cash shift is open"));
      return NULL;
    }
  if (estimated_expected != NULL)
    *estimated_expected = estimate_locked (self);
  shift_id = entity_id_locked (self, open_key);
  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (shift_id != NULL)
    {
      json_builder_set_member_name (builder, "shift_id");
      json_builder_add_string_value (builder, shift_id);
    }
  else
    {
      json_builder_set_member_name (builder, "open_key");
      json_builder_add_string_value (builder, open_key);
    }
  json_builder_set_member_name (builder, "counted_cash");
  json_builder_add_int_value (builder, counted_cash);
  if (note != NULL && *note != '\0')
    {
      json_builder_set_member_name (builder, "note");
      json_builder_add_string_value (builder, note);
    }
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, NULL, "shift.close", "SHIFT", now, payload, NULL, counted_cash,
                                        NULL, error);
  counted_text = g_strdup_printf ("%" G_GINT64_FORMAT, counted_cash);
  expected_text = g_strdup_printf ("%" G_GINT64_FORMAT, estimate_locked (self));
  if (key == NULL || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_KEY, "", error)
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_COUNTED, counted_text, error)
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_EXPECTED, expected_text, error)
      || !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_ESTIMATE, "1", error))
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}

JsonNode *
fest_station_store_resolve_shift_close (FestStationStore   *self,
                                        const FestOutboxOp *op)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(FestOutboxOp) open = NULL;
  g_autofree char *shift_id = NULL;
  JsonObject *object;
  const char *open_key;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (op != NULL, NULL);

  payload = fest_json_parse (op->payload, -1, NULL);
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return NULL;
  object = json_node_get_object (payload);
  if (!json_object_has_member (object, "open_key"))
    return g_steal_pointer (&payload);
  open_key = json_object_get_string_member_with_default (object, "open_key", NULL);

  locker = _fest_station_lock (self);
  open = _fest_station_get_op_by_key_locked (self, open_key);
  if (open != NULL && open->state == FEST_OUTBOX_PENDING)
    return NULL;
  shift_id = entity_id_locked (self, open_key);
  /* An open the server refused has no id: the close goes with an empty one and is refused too. */
  json_object_set_string_member (object, "shift_id", shift_id != NULL ? shift_id : "");
  json_object_remove_member (object, "open_key");
  return g_steal_pointer (&payload);
}

gboolean
fest_station_store_get_close_result (FestStationStore *self,
                                     const char       *close_key,
                                     gint64           *expected,
                                     gint64           *difference)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (close_key != NULL, FALSE);

  locker = _fest_station_lock (self);
  op = _fest_station_get_op_by_key_locked (self, close_key);
  if (op == NULL || op->state != FEST_OUTBOX_ACKED || op->entity == NULL)
    return FALSE;
  entity = fest_json_parse (op->entity, -1, NULL);
  if (entity == NULL || !JSON_NODE_HOLDS_OBJECT (entity))
    return FALSE;
  object = json_node_get_object (entity);
  if (!json_object_has_member (object, "expected_cash") || !json_object_has_member (object, "difference"))
    return FALSE;
  *expected = json_object_get_int_member (object, "expected_cash");
  *difference = json_object_get_int_member (object, "difference");
  text = g_strdup_printf ("%" G_GINT64_FORMAT, *expected);
  _fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_EXPECTED, text, NULL);
  _fest_station_set_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_ESTIMATE, "0", NULL);
  return TRUE;
}
