/* fest-station-store-outbox.c: queued operations, incidents, POST /sync results
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

FestOutboxOp *
_fest_station_op_from_row (sqlite3_stmt *stmt)
{
  FestOutboxOp *op = g_new0 (FestOutboxOp, 1);

  op->seq = sqlite3_column_int64 (stmt, 0);
  op->op = _fest_station_column_dup (stmt, 1);
  op->idempotency_key = _fest_station_column_dup (stmt, 2);
  op->created_at = _fest_station_column_dup (stmt, 3);
  op->payload = _fest_station_column_dup (stmt, 4);
  op->state = sqlite3_column_int (stmt, 5);
  op->error_code = _fest_station_column_dup (stmt, 6);
  op->error_message = _fest_station_column_dup (stmt, 7);
  op->entity = _fest_station_column_dup (stmt, 8);
  op->wallet_code = _fest_station_column_dup (stmt, 9);
  op->amount_delta = sqlite3_column_int64 (stmt, 10);
  return op;
}

FestOutboxOp *
_fest_station_get_op_by_key_locked (FestStationStore *self,
                                    const char       *key)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self,
                           "SELECT " OP_COLUMNS " FROM outbox WHERE idempotency_key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  _fest_station_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return _fest_station_op_from_row (stmt);
}

/* Inserts one op in the current transaction. Returns its idempotency key (transfer full). */
char *
_fest_station_insert_op_locked (FestStationStore  *self,
                                const char        *idempotency_key,
                                const char        *op,
                                const char        *kind,
                                const char        *created_at,
                                JsonNode          *payload,
                                const char        *wallet_code,
                                gint64             amount_delta,
                                const char        *note,
                                GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = idempotency_key != NULL ? g_strdup (idempotency_key) : fest_uuid_new ();
  g_autofree char *text = fest_json_to_string (payload, NULL);

  stmt = _fest_station_prepare (self,
                                "INSERT INTO outbox (op, kind, idempotency_key, created_at, payload, "
                                "wallet_code, amount_delta, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  _fest_station_bind_text (stmt, 1, op);
  _fest_station_bind_text (stmt, 2, kind);
  _fest_station_bind_text (stmt, 3, key);
  _fest_station_bind_text (stmt, 4, created_at);
  _fest_station_bind_text (stmt, 5, text);
  _fest_station_bind_text (stmt, 6, wallet_code);
  sqlite3_bind_int64 (stmt, 7, amount_delta);
  _fest_station_bind_text (stmt, 8, note);
  if (!_fest_station_step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&key);
}

/* Public API: sync */

static GPtrArray *
list_ops (FestStationStore *self,
          const char       *sql,
          gint64            limit)
{
  g_autoptr(GMutexLocker) locker = _fest_station_lock (self);
  g_autoptr(sqlite3_stmt) stmt = _fest_station_prepare (self, sql, NULL);
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_outbox_op_free);

  if (stmt == NULL)
    return ops;
  sqlite3_bind_int64 (stmt, 1, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ops, _fest_station_op_from_row (stmt));
  return ops;
}

GPtrArray *
fest_station_store_list_pending (FestStationStore *self,
                                 guint             limit)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 0 ORDER BY seq LIMIT ?",
                   limit);
}

GPtrArray *
fest_station_store_list_pending_for (FestStationStore *self,
                                     guint             limit,
                                     gboolean          person)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *ops;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_outbox_op_free);
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self,
                                "SELECT " OP_COLUMNS " FROM outbox WHERE state = 0 "
                                "AND (kind = 'INCIDENT_UPDATE') = ?1 ORDER BY seq LIMIT ?2", NULL);
  if (stmt == NULL)
    return ops;
  sqlite3_bind_int (stmt, 1, person ? 1 : 0);
  sqlite3_bind_int64 (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ops, _fest_station_op_from_row (stmt));
  return ops;
}

GPtrArray *
fest_station_store_list_rejected (FestStationStore *self)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 2 ORDER BY seq LIMIT ?",
                   G_MAXINT64);
}

GPtrArray *
fest_station_store_list_all_ops (FestStationStore *self)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox ORDER BY seq LIMIT ?", G_MAXINT64);
}

GPtrArray *
fest_station_store_list_recent_ops (FestStationStore *self,
                                    const char       *kind,
                                    guint             limit)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *ops;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_outbox_op_free);
  locker = _fest_station_lock (self);
  /* outbox_kind (kind, seq): the last @limit entries of the index, whatever the outbox's size. */
  stmt = _fest_station_prepare (self,
                                "SELECT " OP_COLUMNS " FROM outbox WHERE kind = ? ORDER BY seq DESC LIMIT ?", NULL);
  if (stmt == NULL)
    return ops;
  _fest_station_bind_text (stmt, 1, kind);
  sqlite3_bind_int64 (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ops, _fest_station_op_from_row (stmt));
  return ops;
}

GPtrArray *
fest_station_store_list_unconfirmed (FestStationStore *self)
{
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 3 ORDER BY seq LIMIT ?",
                   G_MAXINT);
}

gboolean
fest_station_store_resolve_unconfirmed (FestStationStore  *self,
                                        const char        *idempotency_key,
                                        const char        *entity,
                                        GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(FestOutboxOp) op = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);
  locker = _fest_station_lock (self);

  op = _fest_station_get_op_by_key_locked (self, idempotency_key);
  if (op == NULL || op->state != FEST_OUTBOX_UNCONFIRMED)
    return TRUE;
  if (!_fest_station_begin (self, error))
    return FALSE;
  if (!_fest_station_set_op_state_locked (self, idempotency_key, entity != NULL ? FEST_OUTBOX_ACKED : FEST_OUTBOX_VOID,
                                          entity, error) ||
      (entity != NULL && !_fest_station_take_acked_entity_locked (self, op->wallet_code, entity, error)))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  return _fest_station_commit (self, error);
}

guint
fest_station_store_count_pending (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self, "SELECT COUNT(*) FROM outbox WHERE state = 0", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

gboolean
fest_station_store_apply_results (FestStationStore  *self,
                                  JsonArray         *results,
                                  guint             *n_acked,
                                  guint             *n_rejected,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) ack = NULL;
  g_autoptr(sqlite3_stmt) reject = NULL;
  g_autoptr(sqlite3_stmt) restore = NULL;
  guint acked = 0, rejected = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  locker = _fest_station_lock (self);
  ack = _fest_station_prepare (self,
                               "UPDATE outbox SET state = 1, entity = ? WHERE idempotency_key = ? "
                               "AND state = 0", error);
  reject = _fest_station_prepare (self,
                                  "UPDATE outbox SET state = 2, error_code = ?, error_message = ? "
                                  "WHERE idempotency_key = ? AND state = 0", error);
  /* A refused cancel is no cancel: its sale stays a sale. */
  restore = _fest_station_prepare (self,
                                   "UPDATE outbox SET cancelled_by = NULL WHERE cancelled_by = ?", error);
  if (ack == NULL || reject == NULL || restore == NULL)
    return FALSE;
  if (!_fest_station_begin (self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result;
      const char *key, *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      result = json_node_get_object (node);
      key = json_object_get_string_member_with_default (result, "idempotency_key", NULL);
      status = json_object_get_string_member_with_default (result, "status", NULL);
      if (key == NULL || status == NULL)
        continue;

      if (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"))
        {
          JsonNode *entity = json_object_get_member (result, "entity");
          g_autofree char *entity_text = NULL;

          if (entity != NULL && !JSON_NODE_HOLDS_NULL (entity))
            entity_text = fest_json_to_string (entity, NULL);
          sqlite3_reset (ack);
          _fest_station_bind_text (ack, 1, entity_text);
          _fest_station_bind_text (ack, 2, key);
          if (!_fest_station_step_done (self, ack, error))
            {
              _fest_station_rollback (self);
              return FALSE;
            }
          acked += sqlite3_changes (self->db);
        }
      else if (g_str_equal (status, "rejected"))
        {
          JsonObject *err = NULL;
          const char *code = "INTERNAL";
          const char *message = "";

          if (json_object_has_member (result, "error") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "error")))
            err = json_object_get_object_member (result, "error");
          if (err != NULL)
            {
              code = json_object_get_string_member_with_default (err, "code", code);
              message = json_object_get_string_member_with_default (err, "message", message);
            }
          sqlite3_reset (reject);
          _fest_station_bind_text (reject, 1, code);
          _fest_station_bind_text (reject, 2, message);
          _fest_station_bind_text (reject, 3, key);
          if (!_fest_station_step_done (self, reject, error))
            {
              _fest_station_rollback (self);
              return FALSE;
            }
          rejected += sqlite3_changes (self->db);
          sqlite3_reset (restore);
          _fest_station_bind_text (restore, 1, key);
          if (!_fest_station_step_done (self, restore, error))
            {
              _fest_station_rollback (self);
              return FALSE;
            }
        }
    }

  if (!_fest_station_commit (self, error))
    return FALSE;
  if (n_acked != NULL)
    *n_acked = acked;
  if (n_rejected != NULL)
    *n_rejected = rejected;
  return TRUE;
}

FestOutboxOp *
fest_station_store_record_incident (FestStationStore  *self,
                                    const char        *type,
                                    double             lat,
                                    double             lng,
                                    const char        *description,
                                    GError           **error)
{
  static const char * const types[] = { "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS",
                                        "OTHER", NULL };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  if (type == NULL || !g_strv_contains (types, type))
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid incident type"));
      return NULL;
    }
  if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180))
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid position"));
      return NULL;
    }

  locker = _fest_station_lock (self);
  if (!_fest_station_require_enrolled_locked (self, error))
    return NULL;
  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, lat);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, lng);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description != NULL ? description : "");
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, NULL, "incident.create", "INCIDENT", now, payload, NULL, 0, type, error);
  if (key == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}
