/* fest-guests-repo.c: an artist's guest list (GUEST tickets with tickets.artist_id) in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-guests-repo.h"
#include "fest-db-util.h"
#include "fest-store-private.h"

#define GUEST_COLUMNS "id, holder_name, holder_email, status, qr_code, created_at"

static JsonNode *
guest_from_stmt (FestDbStmt *stmt)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "name", stmt, 1);
  fest_db_set_text_member (object, "email", stmt, 2);
  fest_db_set_text_member (object, "status", stmt, 3);
  fest_db_set_text_member (object, "qr_code", stmt, 4);
  fest_db_set_text_member (object, "created_at", stmt, 5);
  json_node_take_object (node, object);
  return node;
}

static void
copy_member (JsonObject *to,
             const char *to_name,
             JsonObject *from,
             const char *from_name)
{
  JsonNode *node = json_object_get_member (from, from_name);

  if (node != NULL)
    json_object_set_member (to, to_name, json_node_copy (node));
  else
    json_object_set_null_member (to, to_name);
}

JsonNode *
fest_guest_from_ticket (JsonNode *ticket)
{
  JsonObject *from = json_node_get_object (ticket);
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  copy_member (object, "id", from, "id");
  copy_member (object, "name", from, "holder_name");
  copy_member (object, "email", from, "holder_email");
  copy_member (object, "status", from, "status");
  copy_member (object, "qr_code", from, "qr_code");
  copy_member (object, "created_at", from, "created_at");
  json_node_take_object (node, object);
  return node;
}

/* Steps a COUNT(*) bound to @artist_id; -1 with @error on failure. */
static gint64
step_count (FestDbStmt  *stmt,
            const char  *artist_id,
            GError     **error)
{
  gint64 count;

  if (!fest_db_bind_text_or_null (stmt, 1, artist_id) || fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_stmt_fail (stmt, error);
      return -1;
    }
  count = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return count;
}

#define COUNT_LIVE_SQL "SELECT COUNT(*) FROM tickets WHERE artist_id = ?1 AND status != 'CANCELLED'"

gint64
fest_guests_repo_count_live (FestWriteCtx  *ctx,
                             const char    *artist_id,
                             GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, COUNT_LIVE_SQL, error);

  return stmt != NULL ? step_count (stmt, artist_id, error) : -1;
}

gint64
fest_guests_repo_read_count_live (FestFestivalStore  *store,
                                  const char         *artist_id,
                                  GError            **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store, COUNT_LIVE_SQL, error);

  return stmt != NULL ? step_count (stmt, artist_id, error) : -1;
}

gboolean
fest_guests_repo_find_type (FestWriteCtx  *ctx,
                            const char    *code,
                            char         **type_id,
                            GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM ticket_types WHERE code = ?1", error);
  int rc;

  *type_id = NULL;
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, code))
    return fest_db_stmt_fail (stmt, error);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *type_id = fest_db_column_dup (stmt, 0);
  else if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_guests_repo_set_artist (FestWriteCtx  *ctx,
                             const char    *ticket_id,
                             const char    *artist_id,
                             GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "UPDATE tickets SET artist_id = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id) || !fest_db_bind_text_or_null (stmt, 2, artist_id))
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_guests_repo_lookup (FestWriteCtx  *ctx,
                         const char    *artist_id,
                         const char    *ticket_id,
                         gboolean      *found,
                         gboolean      *admitted,
                         GError       **error)
{
  FestDbStmt *stmt;
  int rc;

  *found = *admitted = FALSE;
  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT CASE WHEN t.status = 'USED' OR t.used_at IS NOT NULL"
                                 " OR EXISTS (SELECT 1 FROM scans s WHERE s.ticket_id = t.id AND s.result != 'REFUSED')"
                                 " THEN 1 ELSE 0 END "
                                 "FROM tickets t WHERE t.id = ?1 AND t.artist_id = ?2", error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id) || !fest_db_bind_text_or_null (stmt, 2, artist_id))
    return fest_db_stmt_fail (stmt, error);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      *found = TRUE;
      *admitted = fest_db_column_int (stmt, 0) != 0;
    }
  else if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

JsonNode *
fest_guests_repo_list (FestFestivalStore  *store,
                       const char         *artist_id,
                       guint               page,
                       guint               per_page,
                       gint64             *total,
                       GError            **error)
{
  g_autoptr(JsonArray) array = NULL;
  FestDbStmt *stmt;
  int rc;

  *total = 0;
  stmt = fest_festival_store_prepare_read (store, "SELECT COUNT(*) FROM tickets WHERE artist_id = ?1", error);
  if (stmt == NULL || (*total = step_count (stmt, artist_id, error)) < 0)
    return NULL;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " GUEST_COLUMNS " FROM tickets WHERE artist_id = ?1"
                                           " ORDER BY created_at, rowid LIMIT ?2 OFFSET ?3", error);
  if (stmt == NULL)
    return NULL;
  if (!fest_db_bind_text_or_null (stmt, 1, artist_id))
    return fest_db_stmt_fail (stmt, error), NULL;
  fest_db_bind_int64 (stmt, 2, per_page);
  fest_db_bind_int64 (stmt, 3, (gint64) (page - 1) * per_page);
  array = json_array_new ();
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    json_array_add_element (array, guest_from_stmt (stmt));
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error), NULL;
  fest_db_reset (stmt);
  return json_node_init_array (json_node_alloc (), array);
}
