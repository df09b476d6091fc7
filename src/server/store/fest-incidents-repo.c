/* fest-incidents-repo.c: incidents in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-incidents-repo.h"
#include "fest-store-private.h"

#define INCIDENT_COLUMNS \
  "id, type, lat, lng, description, status, reporter_id, reporter_device_id, assigned_to, resolved_at," \
  " resolution_notes, is_abuse, created_at, updated_at, received_at, details"

static JsonNode *
incident_json_from_stmt (sqlite3_stmt *stmt,
                         int           c)
{
  JsonObject *object = json_object_new ();
  JsonObject *location = json_object_new ();
  JsonNode *node;

  fest_sqlite_set_text_column (object, "id", stmt, c + 0);
  fest_sqlite_set_text_column (object, "type", stmt, c + 1);
  if (sqlite3_column_type (stmt, c + 2) != SQLITE_NULL && sqlite3_column_type (stmt, c + 3) != SQLITE_NULL)
    {
      json_object_set_double_member (location, "lat", sqlite3_column_double (stmt, c + 2));
      json_object_set_double_member (location, "lng", sqlite3_column_double (stmt, c + 3));
      json_object_set_object_member (object, "location", location);
    }
  else
    {
      json_object_unref (location);
      json_object_set_null_member (object, "location");
    }
  fest_sqlite_set_text_column (object, "description", stmt, c + 4);
  fest_sqlite_set_text_column (object, "status", stmt, c + 5);
  fest_sqlite_set_text_column (object, "reporter_id", stmt, c + 6);
  fest_sqlite_set_text_column (object, "reporter_device_id", stmt, c + 7);
  fest_sqlite_set_text_column (object, "assigned_to", stmt, c + 8);
  fest_sqlite_set_text_column (object, "resolved_at", stmt, c + 9);
  fest_sqlite_set_text_column (object, "resolution_notes", stmt, c + 10);
  json_object_set_boolean_member (object, "is_abuse", sqlite3_column_int (stmt, c + 11) != 0);
  fest_sqlite_set_text_column (object, "created_at", stmt, c + 12);
  fest_sqlite_set_text_column (object, "updated_at", stmt, c + 13);
  /* The server's own time of arrival: created_at may be a station's clock (offline reports). */
  fest_sqlite_set_text_column (object, "received_at", stmt, c + 14);
  {
    const char *details = (const char *) sqlite3_column_text (stmt, c + 15);
    JsonNode *parsed = details != NULL ? fest_json_parse (details, -1, NULL) : NULL;

    if (parsed != NULL && JSON_NODE_HOLDS_OBJECT (parsed))
      json_object_set_member (object, "details", parsed);
    else
      {
        g_clear_pointer (&parsed, json_node_unref);
        json_object_set_null_member (object, "details");
      }
  }
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static JsonNode *
get_one (sqlite3_stmt *stmt,
         const char   *id,
         GError      **error)
{
  JsonNode *node = NULL;
  int rc;

  if (!fest_sqlite_bind_text (stmt, 1, id))
    return fest_sqlite_stmt_error (stmt, error), NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = incident_json_from_stmt (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", id);
  else
    fest_sqlite_error (sqlite3_db_handle (stmt), error);
  sqlite3_reset (stmt);
  return node;
}

/* Writer thread */

JsonNode *
fest_incidents_repo_get (FestWriteCtx *ctx,
                         const char   *id,
                         GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, id, error);
}

gboolean
fest_incidents_repo_insert (FestWriteCtx          *ctx,
                            const FestIncidentRow *row,
                            GError               **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO incidents (id, type, lat, lng, description, status, reporter_id,"
                                 " reporter_device_id, is_abuse, created_at, updated_at, received_at, details,"
                                 " source_key)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'OPEN', ?6, ?7, 0, ?8, ?9, ?9, ?10, ?11)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (row->has_position)
    {
      if (sqlite3_bind_double (stmt, 3, row->lat) != SQLITE_OK ||
          sqlite3_bind_double (stmt, 4, row->lng) != SQLITE_OK)
        return fest_sqlite_stmt_error (stmt, error);
    }
  else if (sqlite3_bind_null (stmt, 3) != SQLITE_OK || sqlite3_bind_null (stmt, 4) != SQLITE_OK)
    return fest_sqlite_stmt_error (stmt, error);
  if (!fest_sqlite_bind_text (stmt, 1, row->id) || !fest_sqlite_bind_text (stmt, 2, row->type) ||
      !fest_sqlite_bind_text (stmt, 10, row->details) ||
      !fest_sqlite_bind_text (stmt, 11, row->source_key) ||
      !fest_sqlite_bind_text (stmt, 5, row->description) ||
      !fest_sqlite_bind_text (stmt, 6, row->reporter_id) ||
      !fest_sqlite_bind_text (stmt, 7, row->reporter_device_id) ||
      !fest_sqlite_bind_text (stmt, 8, row->created_at) ||
      !fest_sqlite_bind_text (stmt, 9, row->received_at))
    return fest_sqlite_stmt_error (stmt, error);
  return fest_sqlite_step_done (stmt, error);
}

gboolean
fest_incidents_repo_has_source (FestWriteCtx *ctx,
                                const char   *source_key,
                                gboolean     *exists,
                                GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM incidents WHERE source_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_sqlite_bind_text (stmt, 1, source_key))
    return fest_sqlite_stmt_error (stmt, error);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fest_sqlite_error (sqlite3_db_handle (stmt), error);
  *exists = rc == SQLITE_ROW;
  return TRUE;
}

gboolean
fest_incidents_repo_update (FestWriteCtx *ctx,
                            const char   *id,
                            const char   *assigned_to,
                            const char   *status,
                            const char   *resolution_notes,
                            gboolean      is_abuse,
                            const char   *resolved_at,
                            const char   *updated_at,
                            GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE incidents SET assigned_to = ?2, status = ?3, resolution_notes = ?4,"
                                 " is_abuse = ?5, resolved_at = ?6, updated_at = ?7 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_sqlite_bind_text (stmt, 1, id) || !fest_sqlite_bind_text (stmt, 2, assigned_to) ||
      !fest_sqlite_bind_text (stmt, 3, status) || !fest_sqlite_bind_text (stmt, 4, resolution_notes) ||
      sqlite3_bind_int (stmt, 5, is_abuse ? 1 : 0) != SQLITE_OK ||
      !fest_sqlite_bind_text (stmt, 6, resolved_at) || !fest_sqlite_bind_text (stmt, 7, updated_at))
    return fest_sqlite_stmt_error (stmt, error);
  return fest_sqlite_step_done (stmt, error);
}

gboolean
fest_incidents_repo_set_assigned (FestWriteCtx *ctx,
                                  const char   *id,
                                  const char   *assigned_to,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "UPDATE incidents SET status = 'ASSIGNED', assigned_to = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_sqlite_bind_text (stmt, 1, id) || !fest_sqlite_bind_text (stmt, 2, assigned_to))
    return fest_sqlite_stmt_error (stmt, error);
  return fest_sqlite_step_done (stmt, error);
}

gboolean
fest_incidents_repo_set_resolved (FestWriteCtx *ctx,
                                  const char   *id,
                                  const char   *notes,
                                  GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE incidents SET status = 'RESOLVED', resolved_at = updated_at,"
                                 " resolution_notes = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_sqlite_bind_text (stmt, 1, id) || !fest_sqlite_bind_text (stmt, 2, notes))
    return fest_sqlite_stmt_error (stmt, error);
  return fest_sqlite_step_done (stmt, error);
}

/* Main thread */

JsonNode *
fest_incidents_repo_read (FestFestivalStore *store,
                          const char        *id,
                          GError           **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_festival_store_prepare_read (store, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                                           error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, id, error);
}

/* ?1 statuses (comma list), ?2 type, ?3 assigned_to, ?4 since, ?5 restricted, ?6 account, ?7 device.
 * Times are compared as times: a stored time leaves out a zero millisecond part, so as text
 * "…:00.250Z" would sort before "…:00Z". */
#define LIST_WHERE \
  " WHERE (?1 IS NULL OR instr (',' || ?1 || ',', ',' || status || ',') > 0)" \
  " AND (?2 IS NULL OR type = ?2) AND (?3 IS NULL OR assigned_to = ?3) AND (?4 IS NULL OR julianday (created_at) >= julianday (?4))" \
  " AND (?5 = 0 OR (?6 IS NOT NULL AND (assigned_to = ?6 OR reporter_id = ?6))" \
  " OR (?7 IS NOT NULL AND reporter_device_id = ?7))"

static gboolean
bind_filter (sqlite3_stmt             *stmt,
             const FestIncidentFilter *filter)
{
  return fest_sqlite_bind_text (stmt, 1, filter->statuses) && fest_sqlite_bind_text (stmt, 2, filter->type) &&
         fest_sqlite_bind_text (stmt, 3, filter->assigned_to) && fest_sqlite_bind_text (stmt, 4, filter->since) &&
         sqlite3_bind_int (stmt, 5, filter->restricted ? 1 : 0) == SQLITE_OK &&
         fest_sqlite_bind_text (stmt, 6, filter->visible_account) &&
         fest_sqlite_bind_text (stmt, 7, filter->visible_device);
}

JsonNode *
fest_incidents_repo_list (FestFestivalStore        *store,
                          const FestIncidentFilter *filter,
                          guint                     page,
                          guint                     per_page,
                          gint64                   *total,
                          GError                  **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT COUNT(*) FROM incidents" LIST_WHERE, error);
  if (stmt == NULL)
    return NULL;
  if (!bind_filter (stmt, filter) || sqlite3_step (stmt) != SQLITE_ROW)
    return fest_sqlite_stmt_error (stmt, error), NULL;
  *total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " INCIDENT_COLUMNS " FROM incidents" LIST_WHERE
                                           " ORDER BY created_at DESC, received_at DESC, id LIMIT ?8 OFFSET ?9",
                                           error);
  if (stmt == NULL)
    return NULL;
  if (!bind_filter (stmt, filter) || sqlite3_bind_int64 (stmt, 8, per_page) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 9, (gint64) (page - 1) * per_page) != SQLITE_OK)
    return fest_sqlite_stmt_error (stmt, error), NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_element (array, incident_json_from_stmt (stmt, 0));
  if (rc != SQLITE_DONE)
    return fest_sqlite_stmt_error (stmt, error), NULL;
  sqlite3_reset (stmt);
  return json_node_init_array (json_node_alloc (), array);
}
