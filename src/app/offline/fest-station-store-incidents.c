/* fest-station-store-incidents.c: the incidents assigned to the guard on duty, and their resolution
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A security station lists the incidents assigned to the guard signed in there. The list is kept
 * here as the server last gave it, so that it shows offline; a resolution made offline is an
 * `incident.update` op of the outbox (kind INCIDENT_UPDATE, its own idempotency key), pushed by
 * the sync engine in POST /sync like any other, and the incident remembers its key until the
 * server has it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

#define INCIDENT_COLUMNS \
  "i.id, i.type, i.description, i.lat, i.lng, i.created_at, i.status, i.resolution_key, " \
  "i.resolution_notes, o.state, o.error_message"

void
fest_station_incident_free (FestStationIncident *incident)
{
  if (incident == NULL)
    return;
  g_free (incident->id);
  g_free (incident->type);
  g_free (incident->description);
  g_free (incident->created_at);
  g_free (incident->status);
  g_free (incident->resolution_key);
  g_free (incident->resolution_notes);
  g_free (incident->resolution_error);
  g_free (incident);
}

static FestStationIncident *
incident_from_row (sqlite3_stmt *stmt)
{
  FestStationIncident *incident = g_new0 (FestStationIncident, 1);

  incident->id = _fest_station_column_dup (stmt, 0);
  incident->type = _fest_station_column_dup (stmt, 1);
  incident->description = _fest_station_column_dup (stmt, 2);
  incident->has_position = sqlite3_column_type (stmt, 3) != SQLITE_NULL &&
                           sqlite3_column_type (stmt, 4) != SQLITE_NULL;
  incident->lat = sqlite3_column_double (stmt, 3);
  incident->lng = sqlite3_column_double (stmt, 4);
  incident->created_at = _fest_station_column_dup (stmt, 5);
  incident->status = _fest_station_column_dup (stmt, 6);
  incident->resolution_key = _fest_station_column_dup (stmt, 7);
  incident->resolution_notes = _fest_station_column_dup (stmt, 8);
  incident->resolution_state = sqlite3_column_type (stmt, 9) != SQLITE_NULL ? sqlite3_column_int (stmt, 9) : -1;
  incident->resolution_error = _fest_station_column_dup (stmt, 10);
  return incident;
}

static gboolean
member_double (JsonObject *object,
               const char *name,
               double     *value)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return FALSE;
  *value = json_node_get_double (node);
  return TRUE;
}

/* {lat, lng} of an object: its "location" member, else its own "lat" and "lng". */
static gboolean
object_position (JsonObject *object,
                 double     *lat,
                 double     *lng)
{
  JsonNode *location = json_object_get_member (object, "location");

  if (location != NULL && JSON_NODE_HOLDS_OBJECT (location))
    return member_double (json_node_get_object (location), "lat", lat) &&
           member_double (json_node_get_object (location), "lng", lng);
  return member_double (object, "lat", lat) && member_double (object, "lng", lng);
}

static void
bind_position (sqlite3_stmt *stmt,
               int           index,
               JsonObject   *object)
{
  double lat, lng;

  if (object_position (object, &lat, &lng))
    {
      sqlite3_bind_double (stmt, index, lat);
      sqlite3_bind_double (stmt, index + 1, lng);
    }
  else
    {
      sqlite3_bind_null (stmt, index);
      sqlite3_bind_null (stmt, index + 1);
    }
}

gboolean
fest_station_store_replace_assigned_incidents (FestStationStore  *self,
                                               const char        *account_id,
                                               JsonArray         *incidents,
                                               GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) upsert = NULL;
  g_autoptr(sqlite3_stmt) forget = NULL;
  g_autoptr(GString) ids = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (account_id != NULL && incidents != NULL, FALSE);

  locker = _fest_station_lock (self);
  if (!_fest_station_begin (self, error))
    return FALSE;
  /* The server's word on the incident; a resolution queued here stays until the server has it. */
  upsert = _fest_station_prepare (self,
                                  "INSERT INTO assigned_incidents (id, account_id, type, description, lat, lng, "
                                  "created_at, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                                  "ON CONFLICT(id) DO UPDATE SET account_id = excluded.account_id, "
                                  "type = excluded.type, description = excluded.description, lat = excluded.lat, "
                                  "lng = excluded.lng, created_at = excluded.created_at, status = excluded.status",
                                  error);
  if (upsert == NULL)
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  ids = g_string_new ("[");
  for (guint i = 0; i < json_array_get_length (incidents); i++)
    {
      JsonNode *node = json_array_get_element (incidents, i);
      JsonObject *incident = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *id = incident != NULL ? json_object_get_string_member_with_default (incident, "id", NULL) : NULL;
      g_autoptr(JsonNode) id_node = NULL;
      g_autofree char *id_json = NULL;

      if (id == NULL)
        continue;
      sqlite3_reset (upsert);
      _fest_station_bind_text (upsert, 1, id);
      _fest_station_bind_text (upsert, 2, account_id);
      _fest_station_bind_text (upsert, 3, json_object_get_string_member_with_default (incident, "type", "OTHER"));
      _fest_station_bind_text (upsert, 4, json_object_get_string_member_with_default (incident, "description", NULL));
      bind_position (upsert, 5, incident);
      _fest_station_bind_text (upsert, 7, json_object_get_string_member_with_default (incident, "created_at", ""));
      _fest_station_bind_text (upsert, 8, json_object_get_string_member_with_default (incident, "status", "ASSIGNED"));
      if (!_fest_station_step_done (self, upsert, error))
        {
          _fest_station_rollback (self);
          return FALSE;
        }
      id_node = json_node_init_string (json_node_alloc (), id);
      id_json = fest_json_to_string (id_node, NULL);
      g_string_append_printf (ids, "%s%s", ids->len > 1 ? "," : "", id_json);
    }
  g_string_append_c (ids, ']');

  /* What the server no longer lists for this guard leaves, unless its resolution is still queued
   * (then the server simply has not heard of it yet). */
  forget = _fest_station_prepare (self,
                                  "DELETE FROM assigned_incidents WHERE account_id = ?1 "
                                  "AND id NOT IN (SELECT value FROM json_each(?2)) "
                                  "AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.idempotency_key = resolution_key "
                                  "AND o.state = 0)", error);
  if (forget == NULL)
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  _fest_station_bind_text (forget, 1, account_id);
  _fest_station_bind_text (forget, 2, ids->str);
  if (!_fest_station_step_done (self, forget, error))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  return _fest_station_commit (self, error);
}

GPtrArray *
fest_station_store_list_assigned_incidents (FestStationStore *self,
                                            const char       *account_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_incident_free);
  if (account_id == NULL)
    return list;
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self,
                                "SELECT " INCIDENT_COLUMNS " FROM assigned_incidents i "
                                "LEFT JOIN outbox o ON o.idempotency_key = i.resolution_key "
                                "WHERE i.account_id = ? ORDER BY i.created_at DESC, i.id", NULL);
  if (stmt == NULL)
    return list;
  _fest_station_bind_text (stmt, 1, account_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (list, incident_from_row (stmt));
  return list;
}

FestOutboxOp *
fest_station_store_record_incident_update (FestStationStore  *self,
                                           const char        *incident_id,
                                           const char        *notes,
                                           GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *status = NULL;
  g_autofree char *pending = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  gboolean queued;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (incident_id != NULL, NULL);

  locker = _fest_station_lock (self);
  if (!_fest_station_require_enrolled_locked (self, error))
    return NULL;
  stmt = _fest_station_prepare (self,
                                "SELECT i.status, i.resolution_key, o.state FROM assigned_incidents i "
                                "LEFT JOIN outbox o ON o.idempotency_key = i.resolution_key WHERE i.id = ?", error);
  if (stmt == NULL)
    return NULL;
  _fest_station_bind_text (stmt, 1, incident_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_FOUND,
                           _("This incident is not among yours"));
      return NULL;
    }
  status = _fest_station_column_dup (stmt, 0);
  pending = _fest_station_column_dup (stmt, 1);
  /* A refused resolution may be tried again; a queued or accepted one may not. */
  queued = pending != NULL && sqlite3_column_type (stmt, 2) != SQLITE_NULL &&
           sqlite3_column_int (stmt, 2) != FEST_OUTBOX_REJECTED;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (g_strcmp0 (status, "RESOLVED") == 0 || queued)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("This incident is already resolved"));
      return NULL;
    }

  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "incident_id");
  json_builder_add_string_value (builder, incident_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "RESOLVED");
  json_builder_set_member_name (builder, "resolution_notes");
  json_builder_add_string_value (builder, notes != NULL ? notes : "");
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);

  if (!_fest_station_begin (self, error))
    return NULL;
  key = _fest_station_insert_op_locked (self, NULL, "incident.update", "INCIDENT_UPDATE", now, payload, NULL, 0,
                                        incident_id, error);
  if (key == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }
  stmt = _fest_station_prepare (self,
                                "UPDATE assigned_incidents SET resolution_key = ?2, resolution_notes = ?3 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    {
      _fest_station_rollback (self);
      return NULL;
    }
  _fest_station_bind_text (stmt, 1, incident_id);
  _fest_station_bind_text (stmt, 2, key);
  _fest_station_bind_text (stmt, 3, notes != NULL ? notes : "");
  if (!_fest_station_step_done (self, stmt, error))
    {
      _fest_station_rollback (self);
      return NULL;
    }
  if (!_fest_station_commit (self, error))
    return NULL;
  return _fest_station_get_op_by_key_locked (self, key);
}

gboolean
fest_station_store_set_incident_resolved (FestStationStore  *self,
                                          const char        *incident_id,
                                          const char        *notes,
                                          GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (incident_id != NULL, FALSE);

  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self,
                                "UPDATE assigned_incidents SET status = 'RESOLVED', resolution_notes = ?2 WHERE id = ?1",
                                error);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, incident_id);
  _fest_station_bind_text (stmt, 2, notes);
  return _fest_station_step_done (self, stmt, error);
}

/* Gates */

void
fest_station_gate_free (FestStationGate *gate)
{
  if (gate == NULL)
    return;
  g_free (gate->id);
  g_free (gate->name);
  g_free (gate->zone);
  g_free (gate);
}

gboolean
fest_station_store_replace_gates (FestStationStore  *self,
                                  JsonArray         *gates,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (gates != NULL, FALSE);

  locker = _fest_station_lock (self);
  if (!_fest_station_begin (self, error))
    return FALSE;
  insert = _fest_station_prepare (self,
                                  "INSERT OR REPLACE INTO gates (id, name, lat, lng, zone, position) "
                                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", error);
  if (insert == NULL || !_fest_station_exec_sql (self, "DELETE FROM gates", error))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  for (guint i = 0; i < json_array_get_length (gates); i++)
    {
      JsonNode *node = json_array_get_element (gates, i);
      JsonObject *gate = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      JsonNode *location = gate != NULL ? json_object_get_member (gate, "location") : NULL;
      const char *id = gate != NULL ? json_object_get_string_member_with_default (gate, "id", NULL) : NULL;
      const char *name = gate != NULL ? json_object_get_string_member_with_default (gate, "name", NULL) : NULL;

      if (id == NULL || name == NULL || *name == '\0')
        continue;
      sqlite3_reset (insert);
      _fest_station_bind_text (insert, 1, id);
      _fest_station_bind_text (insert, 2, name);
      bind_position (insert, 3, gate);
      _fest_station_bind_text (insert, 5, location != NULL && JSON_NODE_HOLDS_OBJECT (location)
                                          ? json_object_get_string_member_with_default (json_node_get_object (location),
                                                                                        "zone", NULL)
                                          : NULL);
      sqlite3_bind_int (insert, 6, (int) i);
      if (!_fest_station_step_done (self, insert, error))
        {
          _fest_station_rollback (self);
          return FALSE;
        }
    }
  return _fest_station_commit (self, error);
}

GPtrArray *
fest_station_store_list_gates (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *list;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  list = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_gate_free);
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self, "SELECT id, name, lat, lng, zone FROM gates ORDER BY position", NULL);
  if (stmt == NULL)
    return list;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      FestStationGate *gate = g_new0 (FestStationGate, 1);

      gate->id = _fest_station_column_dup (stmt, 0);
      gate->name = _fest_station_column_dup (stmt, 1);
      gate->has_position = sqlite3_column_type (stmt, 2) != SQLITE_NULL;
      gate->lat = sqlite3_column_double (stmt, 2);
      gate->lng = sqlite3_column_double (stmt, 3);
      gate->zone = _fest_station_column_dup (stmt, 4);
      g_ptr_array_add (list, gate);
    }
  return list;
}
