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
incident_json_from_stmt (FestDbStmt *stmt,
                         int         c)
{
  JsonObject *object = json_object_new ();
  JsonObject *location = json_object_new ();
  JsonNode *node;

  fest_db_set_text_member (object, "id", stmt, c + 0);
  fest_db_set_text_member (object, "type", stmt, c + 1);
  if (!fest_db_column_is_null (stmt, c + 2) && !fest_db_column_is_null (stmt, c + 3))
    {
      json_object_set_double_member (location, "lat", fest_db_column_double (stmt, c + 2));
      json_object_set_double_member (location, "lng", fest_db_column_double (stmt, c + 3));
      json_object_set_object_member (object, "location", location);
    }
  else
    {
      json_object_unref (location);
      json_object_set_null_member (object, "location");
    }
  fest_db_set_text_member (object, "description", stmt, c + 4);
  fest_db_set_text_member (object, "status", stmt, c + 5);
  fest_db_set_text_member (object, "reporter_id", stmt, c + 6);
  fest_db_set_text_member (object, "reporter_device_id", stmt, c + 7);
  fest_db_set_text_member (object, "assigned_to", stmt, c + 8);
  fest_db_set_text_member (object, "resolved_at", stmt, c + 9);
  fest_db_set_text_member (object, "resolution_notes", stmt, c + 10);
  json_object_set_boolean_member (object, "is_abuse", fest_db_column_int (stmt, c + 11) != 0);
  fest_db_set_text_member (object, "created_at", stmt, c + 12);
  fest_db_set_text_member (object, "updated_at", stmt, c + 13);
  /* The server's own time of arrival: created_at may be a station's clock (offline reports). */
  fest_db_set_text_member (object, "received_at", stmt, c + 14);
  {
    const char *details = fest_db_column_text (stmt, c + 15);
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
get_one (FestDbStmt  *stmt,
         const char  *id,
         GError     **error)
{
  JsonNode *node = NULL;
  int rc;

  if (!fest_db_bind_text_or_null (stmt, 1, id))
    return fest_db_stmt_fail (stmt, error), NULL;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    node = incident_json_from_stmt (stmt, 0);
  else if (rc == FEST_DB_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", id);
  else
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return node;
}

/* Writer thread */

JsonNode *
fest_incidents_repo_get (FestWriteCtx *ctx,
                         const char   *id,
                         GError      **error)
{
  FestDbStmt *stmt;

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
  FestDbStmt *stmt;

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
      if (fest_db_bind_double (stmt, 3, row->lat) != FEST_DB_OK ||
          fest_db_bind_double (stmt, 4, row->lng) != FEST_DB_OK)
        return fest_db_stmt_fail (stmt, error);
    }
  else if (fest_db_bind_null (stmt, 3) != FEST_DB_OK || fest_db_bind_null (stmt, 4) != FEST_DB_OK)
    return fest_db_stmt_fail (stmt, error);
  if (!fest_db_bind_text_or_null (stmt, 1, row->id) || !fest_db_bind_text_or_null (stmt, 2, row->type) ||
      !fest_db_bind_text_or_null (stmt, 10, row->details) ||
      !fest_db_bind_text_or_null (stmt, 11, row->source_key) ||
      !fest_db_bind_text_or_null (stmt, 5, row->description) ||
      !fest_db_bind_text_or_null (stmt, 6, row->reporter_id) ||
      !fest_db_bind_text_or_null (stmt, 7, row->reporter_device_id) ||
      !fest_db_bind_text_or_null (stmt, 8, row->created_at) ||
      !fest_db_bind_text_or_null (stmt, 9, row->received_at))
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_incidents_repo_has_source (FestWriteCtx *ctx,
                                const char   *source_key,
                                gboolean     *exists,
                                GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM incidents WHERE source_key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, source_key))
    return fest_db_stmt_fail (stmt, error);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_set_error (stmt, error);
  *exists = rc == FEST_DB_ROW;
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
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE incidents SET assigned_to = ?2, status = ?3, resolution_notes = ?4,"
                                 " is_abuse = ?5, resolved_at = ?6, updated_at = ?7 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, id) || !fest_db_bind_text_or_null (stmt, 2, assigned_to) ||
      !fest_db_bind_text_or_null (stmt, 3, status) || !fest_db_bind_text_or_null (stmt, 4, resolution_notes) ||
      fest_db_bind_int64 (stmt, 5, is_abuse ? 1 : 0) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 6, resolved_at) || !fest_db_bind_text_or_null (stmt, 7, updated_at))
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_incidents_repo_set_assigned (FestWriteCtx *ctx,
                                  const char   *id,
                                  const char   *assigned_to,
                                  GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "UPDATE incidents SET status = 'ASSIGNED', assigned_to = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, id) || !fest_db_bind_text_or_null (stmt, 2, assigned_to))
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_incidents_repo_set_resolved (FestWriteCtx *ctx,
                                  const char   *id,
                                  const char   *notes,
                                  GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE incidents SET status = 'RESOLVED', resolved_at = updated_at,"
                                 " resolution_notes = ?2 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, id) || !fest_db_bind_text_or_null (stmt, 2, notes))
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

/* Main thread */

JsonNode *
fest_incidents_repo_read (FestFestivalStore *store,
                          const char        *id,
                          GError           **error)
{
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store, "SELECT " INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                                           error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, id, error);
}

/* ?1 statuses (comma list), ?2 type, ?3 assigned_to, ?4 since, ?5 restricted, ?6 account, ?7 device.
 * Times are compared as times: a stored time leaves out a zero millisecond part, so as text
 * "…:00.250Z" would sort before "…:00Z"; AS_MILLIS gives every time its milliseconds (times are
 * fest_time_format()'s, since is normalised to it), and those compare as text. The status is
 * looked up in the list with replace(), which SQLite and PostgreSQL share (instr() is SQLite's,
 * LIKE would take a '_' for a wildcard). */
#define AS_MILLIS(t) "(CASE WHEN length(" t ") = 20 THEN substr(" t ", 1, 19) || '.000Z' ELSE " t " END)"
#define LIST_WHERE \
  " WHERE (CAST(?1 AS TEXT) IS NULL" \
  "  OR length(replace(',' || ?1 || ',', ',' || status || ',', '')) < length(',' || ?1 || ','))" \
  " AND (CAST(?2 AS TEXT) IS NULL OR type = ?2) AND (CAST(?3 AS TEXT) IS NULL OR assigned_to = ?3)" \
  " AND (CAST(?4 AS TEXT) IS NULL OR " AS_MILLIS ("created_at") " >= " AS_MILLIS ("?4") ")" \
  " AND (?5 = 0 OR (CAST(?6 AS TEXT) IS NOT NULL AND (assigned_to = ?6 OR reporter_id = ?6))" \
  " OR (CAST(?7 AS TEXT) IS NOT NULL AND reporter_device_id = ?7))"

static gboolean
bind_filter (FestDbStmt               *stmt,
             const FestIncidentFilter *filter)
{
  return fest_db_bind_text_or_null (stmt, 1, filter->statuses) && fest_db_bind_text_or_null (stmt, 2, filter->type) &&
         fest_db_bind_text_or_null (stmt, 3, filter->assigned_to) && fest_db_bind_text_or_null (stmt, 4, filter->since) &&
         fest_db_bind_int64 (stmt, 5, filter->restricted ? 1 : 0) == FEST_DB_OK &&
         fest_db_bind_text_or_null (stmt, 6, filter->visible_account) &&
         fest_db_bind_text_or_null (stmt, 7, filter->visible_device);
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
  FestDbStmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT COUNT(*) FROM incidents" LIST_WHERE, error);
  if (stmt == NULL)
    return NULL;
  if (!bind_filter (stmt, filter) || fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error), NULL;
  *total = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);

  /* NULLS LAST is SQLite's order, spelled out for PostgreSQL (which puts NULLs first in DESC). */
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " INCIDENT_COLUMNS " FROM incidents" LIST_WHERE
                                           " ORDER BY created_at DESC, received_at DESC NULLS LAST, id LIMIT ?8 OFFSET ?9",
                                           error);
  if (stmt == NULL)
    return NULL;
  if (!bind_filter (stmt, filter) || fest_db_bind_int64 (stmt, 8, per_page) != FEST_DB_OK ||
      fest_db_bind_int64 (stmt, 9, (gint64) (page - 1) * per_page) != FEST_DB_OK)
    return fest_db_stmt_fail (stmt, error), NULL;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    json_array_add_element (array, incident_json_from_stmt (stmt, 0));
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error), NULL;
  fest_db_reset (stmt);
  return json_node_init_array (json_node_alloc (), array);
}
