/* fest-sync-repo.c: the offline stations' protocol in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-sync-repo.h"
#include "fest-tickets-repo-private.h"

/* Writer thread */

gboolean
fest_sync_repo_festival_start (FestWriteCtx *ctx,
                               char        **starts_at,
                               GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT starts_at FROM festival LIMIT 1", error);
  int rc;

  *starts_at = NULL;
  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *starts_at = fest_db_column_dup (stmt, 0);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

static gboolean
exec_cached (FestWriteCtx *ctx,
             const char   *sql,
             GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, sql, error);

  return stmt != NULL && fest_db_step_done (stmt, error);
}

gboolean
fest_sync_repo_savepoint (FestWriteCtx *ctx,
                          GError      **error)
{
  return exec_cached (ctx, "SAVEPOINT sync_op", error);
}

gboolean
fest_sync_repo_release (FestWriteCtx *ctx,
                        GError      **error)
{
  return exec_cached (ctx, "RELEASE sync_op", error);
}

gboolean
fest_sync_repo_rollback (FestWriteCtx *ctx,
                         GError      **error)
{
  return exec_cached (ctx, "ROLLBACK TO sync_op", error);
}

gint64
fest_sync_repo_total_changes (FestWriteCtx *ctx)
{
  return fest_db_total_changes (fest_write_ctx_get_db (ctx));
}

gboolean
fest_sync_repo_station_contact (FestWriteCtx *ctx,
                                const char   *device_id,
                                const char   *last_contact,
                                gint64        pending,
                                GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO station_status (device_id, last_contact, pending) VALUES (?1, ?2, ?3)"
                                 " ON CONFLICT (device_id) DO UPDATE SET last_contact = excluded.last_contact,"
                                 " pending = excluded.pending",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, device_id) || !fest_db_bind_text_or_null (stmt, 2, last_contact) ||
      fest_db_bind_int64 (stmt, 3, pending) != FEST_DB_OK)
    return fest_db_stmt_fail (stmt, error);
  return fest_db_step_done (stmt, error);
}

/* Main thread: GET /sync/changes */

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

#define CHANGED_REVS(where) \
  "SELECT rev FROM wallets WHERE " where \
  " UNION ALL SELECT rev FROM tickets WHERE " where \
  " UNION ALL SELECT rev FROM products WHERE " where \
  " UNION ALL SELECT rev FROM stands WHERE " where \
  " UNION ALL SELECT rev FROM ticket_types WHERE " where \
  " UNION ALL SELECT rev FROM alerts WHERE " where

static gboolean
query_rows (FestFestivalStore *store,
            const char        *sql,
            gint64             since,
            gint64             until,
            JsonNode         *(*to_json) (FestDbStmt *stmt),
            JsonObject        *into,
            const char        *member,
            gint64            *max_rev,
            GError           **error)
{
  JsonArray *array = json_array_new ();
  FestDbStmt *stmt;
  int rc;

  json_object_set_array_member (into, member, array);
  stmt = fest_festival_store_prepare_read (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, since);
  fest_db_bind_int64 (stmt, 2, until);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      JsonNode *node = to_json (stmt);
      gint64 rev = json_object_get_int_member (json_node_get_object (node), "rev");

      *max_rev = MAX (*max_rev, rev);
      json_array_add_element (array, node);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

static JsonNode *
wallet_change (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "code", stmt, 1);
  fest_db_set_text_member (object, "holder_name", stmt, 2);
  json_object_set_int_member (object, "balance", fest_db_column_int64 (stmt, 3));
  json_object_set_boolean_member (object, "overdrawn", fest_db_column_int (stmt, 4) != 0);
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, 5));
  return object_node (object);
}

static JsonNode *
ticket_change (FestDbStmt *stmt)
{
  return _fest_ticket_json_from_stmt (stmt, 0);
}

static JsonNode *
ticket_type_change (FestDbStmt *stmt)
{
  return _fest_ticket_type_json_from_stmt (stmt, 0);
}

static JsonNode *
product_change (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "stand_id", stmt, 1);
  fest_db_set_text_member (object, "name", stmt, 2);
  json_object_set_int_member (object, "price", fest_db_column_int64 (stmt, 3));
  json_object_set_double_member (object, "vat_rate", fest_vat_rate_to_percent (fest_db_column_int (stmt, 4)));
  fest_db_set_text_member (object, "category", stmt, 5);
  if (fest_db_column_is_null (stmt, 6))
    json_object_set_null_member (object, "stock");
  else
    json_object_set_int_member (object, "stock", fest_db_column_int64 (stmt, 6));
  json_object_set_boolean_member (object, "is_active", fest_db_column_int (stmt, 7) != 0);
  json_object_set_boolean_member (object, "deleted", fest_db_column_int (stmt, 8) != 0);
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, 9));
  return object_node (object);
}

static JsonNode *
stand_change (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonObject *location = json_object_new ();

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "name", stmt, 1);
  fest_db_set_text_member (object, "type", stmt, 2);
  if (fest_db_column_is_null (stmt, 3))
    json_object_set_null_member (location, "lat");
  else
    json_object_set_double_member (location, "lat", fest_db_column_double (stmt, 3));
  if (fest_db_column_is_null (stmt, 4))
    json_object_set_null_member (location, "lng");
  else
    json_object_set_double_member (location, "lng", fest_db_column_double (stmt, 4));
  fest_db_set_text_member (location, "zone", stmt, 5);
  json_object_set_object_member (object, "location", location);
  json_object_set_boolean_member (object, "is_active", fest_db_column_int (stmt, 6) != 0);
  json_object_set_boolean_member (object, "deleted", fest_db_column_int (stmt, 7) != 0);
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, 8));
  return object_node (object);
}

static JsonNode *
alert_change (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *details = NULL;

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "type", stmt, 1);
  fest_db_set_text_member (object, "entity_type", stmt, 2);
  fest_db_set_text_member (object, "entity_id", stmt, 3);
  if (!fest_db_column_is_null (stmt, 4))
    details = fest_json_parse (fest_db_column_text (stmt, 4), fest_db_column_bytes (stmt, 4), NULL);
  if (details != NULL)
    json_object_set_member (object, "details", details);
  else
    json_object_set_null_member (object, "details");
  json_object_set_boolean_member (object, "acknowledged", fest_db_column_int (stmt, 5) != 0);
  fest_db_set_text_member (object, "created_at", stmt, 6);
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, 7));
  return object_node (object);
}

gboolean
fest_sync_repo_read_changes (FestFestivalStore *store,
                             gint64             since,
                             gint64             limit,
                             JsonObject        *object,
                             gint64            *max_rev,
                             gboolean          *has_more,
                             GError           **error)
{
  gint64 until = G_MAXINT64;
  FestDbStmt *stmt;
  int rc;

  *has_more = FALSE;
  /* The page ends at the limit-th change; rows sharing that rev all come with it. */
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT rev FROM (" CHANGED_REVS ("rev > ?1") ") AS changed"
                                           " ORDER BY rev LIMIT 1 OFFSET ?2",
                                           error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, since);
  fest_db_bind_int64 (stmt, 2, limit - 1);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    until = fest_db_column_int64 (stmt, 0);
  else if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);

  if (until != G_MAXINT64)
    {
      stmt = fest_festival_store_prepare_read (store,
                                               "SELECT CASE WHEN EXISTS (" CHANGED_REVS ("rev > ?1") ") THEN 1 ELSE 0 END",
                                               error);
      if (stmt == NULL)
        return FALSE;
      fest_db_bind_int64 (stmt, 1, until);
      if (fest_db_step (stmt) != FEST_DB_ROW)
        return fest_db_stmt_fail (stmt, error);
      *has_more = fest_db_column_int (stmt, 0) != 0;
      fest_db_reset (stmt);
    }

  *max_rev = since;
  return query_rows (store,
                     "SELECT id, code, holder_name, balance, overdrawn, rev FROM wallets"
                     " WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, wallet_change, object, "wallets", max_rev, error) &&
         query_rows (store,
                     "SELECT " FEST_TICKET_COLUMNS " FROM tickets WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, ticket_change, object, "tickets", max_rev, error) &&
         query_rows (store,
                     "SELECT id, stand_id, name, price, vat_rate_bp, category, stock, is_active, deleted, rev"
                     " FROM products WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, product_change, object, "products", max_rev, error) &&
         query_rows (store,
                     "SELECT id, name, type, lat, lng, zone, is_active, deleted, rev"
                     " FROM stands WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, stand_change, object, "stands", max_rev, error) &&
         query_rows (store,
                     "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, ticket_type_change, object, "ticket_types", max_rev, error) &&
         query_rows (store,
                     "SELECT id, type, entity_type, entity_id, details, acknowledged, created_at, rev"
                     " FROM alerts WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                     since, until, alert_change, object, "alerts", max_rev, error);
}
