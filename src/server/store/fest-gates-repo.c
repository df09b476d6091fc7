/* fest-gates-repo.c: the festival's gates in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-crud-repo-private.h"
#include "fest-gates-repo.h"

#define GATE_COLUMNS "id, name, lat, lng, zone, created_at, updated_at"

void
fest_gate_row_clear (FestGateRow *gate)
{
  g_clear_pointer (&gate->id, g_free);
  g_clear_pointer (&gate->name, g_free);
  g_clear_pointer (&gate->zone, g_free);
  g_clear_pointer (&gate->created_at, g_free);
  g_clear_pointer (&gate->updated_at, g_free);
}

static void
gate_read (gpointer    row,
           FestDbStmt *stmt)
{
  FestGateRow *gate = row;

  gate->id = fest_crud_column_dup (stmt, 0);
  gate->name = fest_crud_column_dup (stmt, 1);
  gate->has_location = !fest_db_column_is_null (stmt, 2) && !fest_db_column_is_null (stmt, 3);
  gate->lat = fest_db_column_double (stmt, 2);
  gate->lng = fest_db_column_double (stmt, 3);
  gate->zone = fest_crud_column_dup (stmt, 4);
  gate->created_at = fest_crud_column_dup (stmt, 5);
  gate->updated_at = fest_crud_column_dup (stmt, 6);
}

const FestCrudTable fest_gates_table = {
  .select_sql = "SELECT " GATE_COLUMNS " FROM gates WHERE id = ?1",
  .count_sql = "SELECT COUNT(*) FROM gates",
  .list_sql = "SELECT " GATE_COLUMNS " FROM gates ORDER BY name COLLATE NOCASE, id LIMIT ?2 OFFSET ?3",
  .delete_sql = "DELETE FROM gates WHERE id = ?1",
  .row_size = sizeof (FestGateRow),
  .read = gate_read,
  .clear = (GDestroyNotify) fest_gate_row_clear,
};

gboolean
fest_gates_repo_write (FestWriteCtx      *ctx,
                       const FestGateRow *gate,
                       gboolean           insert,
                       GError           **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO gates (id, name, lat, lng, zone, created_at, updated_at)"
                                   " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE gates SET name = ?2, lat = ?3, lng = ?4, zone = ?5, updated_at = ?7"
                                   " WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, gate->id);
  fest_db_bind_text (stmt, 2, gate->name);
  if (gate->has_location)
    {
      fest_db_bind_double (stmt, 3, gate->lat);
      fest_db_bind_double (stmt, 4, gate->lng);
    }
  fest_crud_bind_nullable_text (stmt, 5, gate->has_location ? gate->zone : NULL);
  if (insert)
    fest_db_bind_text (stmt, 6, gate->created_at);
  fest_db_bind_text (stmt, 7, gate->updated_at);
  return fest_crud_step_done (ctx, stmt, error);
}

gboolean
fest_gates_repo_find_name (FestWriteCtx *ctx,
                           const char   *name,
                           const char   *except_id,
                           char        **other_id,
                           GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  *other_id = NULL;
  stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM gates WHERE name = ?1 AND (CAST(?2 AS TEXT) IS NULL OR id <> ?2) LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, name) || !fest_db_bind_text_or_null (stmt, 2, except_id))
    return fest_db_stmt_fail (stmt, error);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *other_id = fest_crud_column_dup (stmt, 0);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_set_error (stmt, error);
  return TRUE;
}

gboolean
fest_gates_repo_position (FestWriteCtx *ctx,
                          const char   *gate_name,
                          gboolean     *found,
                          double       *lat,
                          double       *lng,
                          GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  *found = FALSE;
  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT lat, lng FROM ("
                                 " SELECT 0 AS k, lat, lng FROM gates WHERE name = ?1"
                                 "  AND lat IS NOT NULL AND lng IS NOT NULL"
                                 " UNION ALL SELECT 1, lat, lng FROM festival WHERE lat IS NOT NULL AND lng IS NOT NULL) AS positions"
                                 " ORDER BY k LIMIT 1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, gate_name))
    return fest_db_stmt_fail (stmt, error);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      *found = TRUE;
      *lat = fest_db_column_double (stmt, 0);
      *lng = fest_db_column_double (stmt, 1);
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_set_error (stmt, error);
  return TRUE;
}
