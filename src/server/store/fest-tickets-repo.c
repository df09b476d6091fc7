/* fest-tickets-repo.c: ticket types, tickets, scans and their alerts in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-tickets-repo-private.h"

/* A stored time (fest_time_format()) with its milliseconds, even zero ones: times of that form
 * sort as times when sorted as text ("…:00Z" would sort after "…:00.250Z"). */
#define AS_MILLIS(t) "(CASE WHEN length(" t ") = 20 THEN substr(" t ", 1, 19) || '.000Z' ELSE " t " END)"

static gboolean
bind_failed (FestDbStmt  *stmt,
             GError     **error)
{
  fest_db_stmt_fail (stmt, error);
  fest_db_clear_bindings (stmt);
  return FALSE;
}

JsonNode *
_fest_ticket_json_from_stmt (FestDbStmt *stmt,
                             int         c)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  fest_db_set_text_member (object, "id", stmt, c + 0);
  fest_db_set_text_member (object, "ticket_type_id", stmt, c + 1);
  fest_db_set_text_member (object, "holder_name", stmt, c + 2);
  fest_db_set_text_member (object, "holder_email", stmt, c + 3);
  fest_db_set_text_member (object, "qr_code", stmt, c + 4);
  fest_db_set_text_member (object, "status", stmt, c + 5);
  fest_db_set_text_member (object, "used_at", stmt, c + 6);
  fest_db_set_text_member (object, "used_gate", stmt, c + 7);
  json_object_set_boolean_member (object, "inside", fest_db_column_int (stmt, c + 8) != 0);
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, c + 9));
  fest_db_set_text_member (object, "created_at", stmt, c + 10);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

JsonNode *
_fest_ticket_type_json_from_stmt (FestDbStmt *stmt,
                                  int         c)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  fest_db_set_text_member (object, "id", stmt, c + 0);
  fest_db_set_text_member (object, "name", stmt, c + 1);
  fest_db_set_text_member (object, "code", stmt, c + 2);
  json_object_set_int_member (object, "price", fest_db_column_int64 (stmt, c + 3));
  if (fest_db_column_is_null (stmt, c + 4))
    json_object_set_null_member (object, "quota");
  else
    json_object_set_int_member (object, "quota", fest_db_column_int64 (stmt, c + 4));
  fest_db_set_text_member (object, "valid_from", stmt, c + 5);
  fest_db_set_text_member (object, "valid_until", stmt, c + 6);
  json_object_set_boolean_member (object, "reentry_allowed", fest_db_column_int (stmt, c + 7) != 0);
  json_object_set_int_member (object, "issued", fest_db_column_int64 (stmt, c + 8));
  json_object_set_int_member (object, "rev", fest_db_column_int64 (stmt, c + 9));
  fest_db_set_text_member (object, "created_at", stmt, c + 10);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* One row by id from @stmt (bound to nothing yet): NULL with NOT_FOUND ("No @what @id") if none. */
static JsonNode *
get_one (FestDbStmt  *stmt,
         const char    *id,
         JsonNode    *(*to_json) (FestDbStmt *stmt, int first_column),
         const char    *what,
         GError       **error)
{
  JsonNode *node = NULL;
  int rc;

  if (!fest_db_bind_text_or_null (stmt, 1, id))
    return bind_failed (stmt, error), NULL;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    node = to_json (stmt, 0);
  else if (rc == FEST_DB_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No %s %s", what, id);
  else
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return node;
}

/* Writer thread */

JsonNode *
fest_tickets_repo_get_ticket (FestWriteCtx *ctx,
                              const char   *ticket_id,
                              GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_TICKET_COLUMNS " FROM tickets WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, ticket_id, _fest_ticket_json_from_stmt, "ticket", error);
}

JsonNode *
fest_tickets_repo_get_type (FestWriteCtx *ctx,
                            const char   *type_id,
                            GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, type_id, _fest_ticket_type_json_from_stmt, "ticket type", error);
}

gboolean
fest_tickets_repo_festival_window (FestWriteCtx *ctx,
                                   char        **starts_at,
                                   char        **ends_at,
                                   GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT starts_at, ends_at FROM festival", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      *starts_at = fest_db_column_dup (stmt, 0);
      *ends_at = fest_db_column_dup (stmt, 1);
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

gboolean
fest_tickets_repo_type_code_exists (FestWriteCtx *ctx,
                                    const char   *code,
                                    gboolean     *exists,
                                    GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM ticket_types WHERE code = ?1", error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, code))
    return bind_failed (stmt, error);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  *exists = rc == FEST_DB_ROW;
  return TRUE;
}

gboolean
fest_tickets_repo_insert_type (FestWriteCtx            *ctx,
                               const FestTicketTypeRow *row,
                               GError                 **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO ticket_types (id, name, code, price, quota, issued, valid_from,"
                                 " valid_until, reentry_allowed, rev, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?10)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, row->id) ||
      !fest_db_bind_text_or_null (stmt, 2, row->name) ||
      !fest_db_bind_text_or_null (stmt, 3, row->code) ||
      fest_db_bind_int64 (stmt, 4, row->price) != FEST_DB_OK ||
      (row->quota < 0 ? fest_db_bind_null (stmt, 5) : fest_db_bind_int64 (stmt, 5, row->quota)) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 6, row->valid_from) ||
      !fest_db_bind_text_or_null (stmt, 7, row->valid_until) ||
      fest_db_bind_int64 (stmt, 8, row->reentry_allowed ? 1 : 0) != FEST_DB_OK ||
      fest_db_bind_int64 (stmt, 9, row->rev) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 10, row->created_at))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

/* The festival's id and a key column of @size bytes (SELECT id, key FROM festival). */
static gboolean
read_festival_key (FestDbStmt  *stmt,
                   char       **festival_id,
                   guint8      *key,
                   gsize        size,
                   GError     **error)
{
  int rc = fest_db_step (stmt);

  if (rc == FEST_DB_ROW && fest_db_column_bytes (stmt, 1) == size)
    {
      *festival_id = fest_db_column_dup (stmt, 0);
      memcpy (key, fest_db_column_blob (stmt, 1), size);
      fest_db_reset (stmt);
      return TRUE;
    }
  if (rc == FEST_DB_ROW || rc == FEST_DB_DONE)
    g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival has no ticket key");
  else
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return FALSE;
}

gboolean
fest_tickets_repo_read_secret_key (FestWriteCtx *ctx,
                                   char        **festival_id,
                                   guint8        secret_key[FEST_TICKET_SECRET_KEY_BYTES],
                                   GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "SELECT id, ticket_secret_key FROM festival LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  return read_festival_key (stmt, festival_id, secret_key, FEST_TICKET_SECRET_KEY_BYTES, error);
}

gboolean
fest_tickets_repo_count_issued (FestWriteCtx *ctx,
                                const char   *type_id,
                                gint64        rev,
                                const char   *now,
                                GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE ticket_types SET issued = issued + 1, rev = ?2, updated_at = ?3"
                                 " WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, type_id) || fest_db_bind_int64 (stmt, 2, rev) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 3, now))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_tickets_repo_insert_ticket (FestWriteCtx *ctx,
                                 const char   *id,
                                 const char   *type_id,
                                 const char   *holder_name,
                                 const char   *holder_email,
                                 const char   *qr_code,
                                 gint64        rev,
                                 const char   *now,
                                 GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO tickets (id, ticket_type_id, holder_name, holder_email, qr_code,"
                                 " status, inside, rev, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'VALID', 0, ?6, ?7, ?7)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, id) || !fest_db_bind_text_or_null (stmt, 2, type_id) ||
      !fest_db_bind_text_or_null (stmt, 3, holder_name) || !fest_db_bind_text_or_null (stmt, 4, holder_email) ||
      !fest_db_bind_text_or_null (stmt, 5, qr_code) || fest_db_bind_int64 (stmt, 6, rev) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 7, now))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_tickets_repo_cancel_ticket (FestWriteCtx *ctx,
                                 const char   *ticket_id,
                                 gint64        rev,
                                 const char   *now,
                                 GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE tickets SET status = 'CANCELLED', inside = 0, rev = ?2, updated_at = ?3"
                                 " WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id) || fest_db_bind_int64 (stmt, 2, rev) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 3, now))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

/* Scans */

void
fest_timeline_scan_free (gpointer data)
{
  FestTimelineScan *scan = data;

  g_free (scan->id);
  g_free (scan->gate);
  g_free (scan->direction);
  g_free (scan->result);
  g_free (scan->scan_time);
  g_free (scan->device_id);
  g_free (scan);
}

JsonNode *
fest_tickets_repo_get_scan (FestWriteCtx *ctx,
                            const char   *scan_id,
                            GError      **error)
{
  FestDbStmt *stmt;
  JsonObject *object;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, ticket_id, gate, direction, result, device_id, offline_created,"
                                 " scanned_at, recorded_at FROM scans WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_db_bind_text_or_null (stmt, 1, scan_id))
    return bind_failed (stmt, error), NULL;
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW)
    {
      if (rc == FEST_DB_DONE)
        g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Scan %s vanished", scan_id);
      else
        fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      return NULL;
    }
  object = json_object_new ();
  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "ticket_id", stmt, 1);
  fest_db_set_text_member (object, "gate", stmt, 2);
  fest_db_set_text_member (object, "direction", stmt, 3);
  fest_db_set_text_member (object, "result", stmt, 4);
  fest_db_set_text_member (object, "device_id", stmt, 5);
  json_object_set_boolean_member (object, "offline_created", fest_db_column_int (stmt, 6) != 0);
  fest_db_set_text_member (object, "scanned_at", stmt, 7);
  fest_db_set_text_member (object, "recorded_at", stmt, 8);
  fest_db_reset (stmt);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

gboolean
fest_tickets_repo_insert_scan (FestWriteCtx      *ctx,
                               const FestScanRow *row,
                               GError           **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO scans (id, ticket_id, gate, direction, result, device_id,"
                                 " operator_id, offline_created, scanned_at, recorded_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, row->id) || !fest_db_bind_text_or_null (stmt, 2, row->ticket_id) ||
      !fest_db_bind_text_or_null (stmt, 3, row->gate) || !fest_db_bind_text_or_null (stmt, 4, row->direction) ||
      !fest_db_bind_text_or_null (stmt, 5, row->result) || !fest_db_bind_text_or_null (stmt, 6, row->device_id) ||
      !fest_db_bind_text_or_null (stmt, 7, row->operator_id) ||
      fest_db_bind_int64 (stmt, 8, row->offline_created ? 1 : 0) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 9, row->scanned_at) || !fest_db_bind_text_or_null (stmt, 10, row->recorded_at))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

GPtrArray *
fest_tickets_repo_timeline (FestWriteCtx *ctx,
                            const char   *ticket_id,
                            GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (fest_timeline_scan_free);
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, gate, direction, result, scanned_at, device_id FROM scans"
                                 " WHERE ticket_id = ?1 AND result <> 'REFUSED'"
                                 " ORDER BY " AS_MILLIS ("scanned_at") ", seq",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id))
    return bind_failed (stmt, error), NULL;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestTimelineScan *row = g_new0 (FestTimelineScan, 1);

      row->id = fest_db_column_dup (stmt, 0);
      row->gate = fest_db_column_dup (stmt, 1);
      row->direction = fest_db_column_dup (stmt, 2);
      row->result = fest_db_column_dup (stmt, 3);
      row->scan_time = fest_db_column_dup (stmt, 4);
      row->device_id = fest_db_column_dup (stmt, 5);
      g_ptr_array_add (rows, row);
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error), NULL;
  return g_steal_pointer (&rows);
}

gboolean
fest_tickets_repo_set_scan_result (FestWriteCtx *ctx,
                                   const char   *scan_id,
                                   const char   *result,
                                   GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "UPDATE scans SET result = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, scan_id) || !fest_db_bind_text_or_null (stmt, 2, result))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_tickets_repo_set_ticket_state (FestWriteCtx *ctx,
                                    const char   *ticket_id,
                                    gboolean      had_entry,
                                    const char   *used_at,
                                    const char   *used_gate,
                                    gboolean      inside,
                                    gint64        rev,
                                    const char   *now,
                                    GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE tickets SET"
                                 " status = CASE WHEN status = 'CANCELLED' THEN status"
                                 "               WHEN ?2 <> 0 THEN 'USED' ELSE 'VALID' END,"
                                 " used_at = ?3, used_gate = ?4, inside = ?5, rev = ?6, updated_at = ?7"
                                 " WHERE id = ?1 AND (status IS DISTINCT FROM (CASE WHEN status = 'CANCELLED' THEN status"
                                 "                     WHEN ?2 <> 0 THEN 'USED' ELSE 'VALID' END)"
                                 "  OR used_at IS DISTINCT FROM ?3 OR used_gate IS DISTINCT FROM ?4"
                                 "  OR inside IS DISTINCT FROM ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id) || fest_db_bind_int64 (stmt, 2, had_entry) != FEST_DB_OK ||
      !fest_db_bind_text_or_null (stmt, 3, used_at) || !fest_db_bind_text_or_null (stmt, 4, used_gate) ||
      fest_db_bind_int64 (stmt, 5, inside ? 1 : 0) != FEST_DB_OK ||
      fest_db_bind_int64 (stmt, 6, rev) != FEST_DB_OK || !fest_db_bind_text_or_null (stmt, 7, now))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

JsonNode *
fest_tickets_repo_last_entry (FestWriteCtx *ctx,
                              const char   *ticket_id,
                              GError      **error)
{
  FestDbStmt *stmt;
  JsonObject *details;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT scanned_at, gate FROM scans WHERE ticket_id = ?1 AND result = 'ENTRY'"
                                 " ORDER BY " AS_MILLIS ("scanned_at") " DESC, seq DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_db_bind_text_or_null (stmt, 1, ticket_id))
    return bind_failed (stmt, error), NULL;
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    {
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      return NULL;
    }
  details = json_object_new ();
  if (rc == FEST_DB_ROW)
    {
      fest_db_set_text_member (details, "used_at", stmt, 0);
      fest_db_set_text_member (details, "gate", stmt, 1);
    }
  else
    {
      json_object_set_null_member (details, "used_at");
      json_object_set_null_member (details, "gate");
    }
  fest_db_reset (stmt);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, details);
  return node;
}

gboolean
fest_tickets_repo_insert_duplicate_alert (FestWriteCtx *ctx,
                                          const char   *id,
                                          const char   *ticket_id,
                                          const char   *details_json,
                                          gint64        rev,
                                          const char   *now,
                                          GError      **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO alerts (id, type, entity_type, entity_id, details, acknowledged,"
                                 " rev, created_at) VALUES (?1, 'DUPLICATE_ENTRY', 'ticket', ?2, ?3, 0, ?4, ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_db_bind_text_or_null (stmt, 1, id) || !fest_db_bind_text_or_null (stmt, 2, ticket_id) ||
      !fest_db_bind_text_or_null (stmt, 3, details_json) ||
      fest_db_bind_int64 (stmt, 4, rev) != FEST_DB_OK || !fest_db_bind_text_or_null (stmt, 5, now))
    return bind_failed (stmt, error);
  return fest_db_step_done (stmt, error);
}

/* Main thread */

JsonNode *
fest_tickets_repo_read_ticket (FestFestivalStore *store,
                               const char        *ticket_id,
                               GError           **error)
{
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store, "SELECT " FEST_TICKET_COLUMNS " FROM tickets WHERE id = ?1",
                                           error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, ticket_id, _fest_ticket_json_from_stmt, "ticket", error);
}

JsonNode *
fest_tickets_repo_read_type (FestFestivalStore *store,
                             const char        *type_id,
                             GError           **error)
{
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types WHERE id = ?1",
                                           error);
  if (stmt == NULL)
    return NULL;
  return get_one (stmt, type_id, _fest_ticket_type_json_from_stmt, "ticket type", error);
}

gboolean
fest_tickets_repo_read_festival_key (FestFestivalStore *store,
                                     char             **festival_id,
                                     guint8             public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                                     GError           **error)
{
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store, "SELECT id, ticket_public_key FROM festival LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  return read_festival_key (stmt, festival_id, public_key, FEST_TICKET_PUBLIC_KEY_BYTES, error);
}

/* Runs @count_stmt and @list_stmt (with their filters bound, the list's LIMIT and OFFSET at
 * @limit_index and the next one) into a JSON array. */
static JsonNode *
list_page (FestDbStmt  *count_stmt,
           FestDbStmt  *list_stmt,
           int            limit_index,
           guint          page,
           guint          per_page,
           JsonNode    *(*to_json) (FestDbStmt *stmt, int first_column),
           gint64        *total,
           GError       **error)
{
  g_autoptr(JsonArray) array = json_array_new ();
  int rc;

  if (fest_db_step (count_stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (count_stmt, error), NULL;
  *total = fest_db_column_int64 (count_stmt, 0);
  fest_db_reset (count_stmt);

  fest_db_bind_int64 (list_stmt, limit_index, per_page);
  fest_db_bind_int64 (list_stmt, limit_index + 1, (gint64) (page - 1) * per_page);
  while ((rc = fest_db_step (list_stmt)) == FEST_DB_ROW)
    json_array_add_element (array, to_json (list_stmt, 0));
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (list_stmt, error), NULL;
  fest_db_reset (list_stmt);
  return json_node_init_array (json_node_alloc (), array);
}

JsonNode *
fest_tickets_repo_list_types (FestFestivalStore *store,
                              guint              page,
                              guint              per_page,
                              gint64            *total,
                              GError           **error)
{
  FestDbStmt *count_stmt;
  FestDbStmt *list_stmt;

  count_stmt = fest_festival_store_prepare_read (store, "SELECT COUNT(*) FROM ticket_types", error);
  if (count_stmt == NULL)
    return NULL;
  list_stmt = fest_festival_store_prepare_read (store,
                                                "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types"
                                                " ORDER BY created_at, id LIMIT ?1 OFFSET ?2",
                                                error);
  if (list_stmt == NULL)
    return NULL;
  return list_page (count_stmt, list_stmt, 1, page, per_page, _fest_ticket_type_json_from_stmt, total, error);
}

JsonNode *
fest_tickets_repo_list_tickets (FestFestivalStore *store,
                                const char        *status,
                                const char        *type_id,
                                guint              page,
                                guint              per_page,
                                gint64            *total,
                                GError           **error)
{
  FestDbStmt *count_stmt;
  FestDbStmt *list_stmt;

  count_stmt = fest_festival_store_prepare_read (store,
                                                 "SELECT COUNT(*) FROM tickets"
                                                 " WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR ticket_type_id = ?2)",
                                                 error);
  if (count_stmt == NULL)
    return NULL;
  fest_db_bind_text_or_null (count_stmt, 1, status);
  fest_db_bind_text_or_null (count_stmt, 2, type_id);
  list_stmt = fest_festival_store_prepare_read (store,
                                                "SELECT " FEST_TICKET_COLUMNS " FROM tickets"
                                                " WHERE (CAST(?1 AS TEXT) IS NULL OR status = ?1) AND (CAST(?2 AS TEXT) IS NULL OR ticket_type_id = ?2)"
                                                " ORDER BY created_at, id LIMIT ?3 OFFSET ?4",
                                                error);
  if (list_stmt == NULL)
    {
      fest_db_reset (count_stmt);
      fest_db_clear_bindings (count_stmt);
      return NULL;
    }
  fest_db_bind_text_or_null (list_stmt, 1, status);
  fest_db_bind_text_or_null (list_stmt, 2, type_id);
  return list_page (count_stmt, list_stmt, 3, page, per_page, _fest_ticket_json_from_stmt, total, error);
}
