/* fest-crud.c: the generic create/read/update/delete routes of simple festival entities
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-crud-private.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

void
fest_crud_job_head_clear (FestCrudJobHead *head)
{
  g_free (head->id);
  g_clear_pointer (&head->actor, fest_actor_free);
}

char *
fest_crud_column_dup (sqlite3_stmt *stmt,
                      int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
fest_crud_member_is_null (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

void
fest_crud_bind_nullable_text (sqlite3_stmt *stmt,
                              int           index,
                              const char   *value)
{
  if (value != NULL)
    sqlite3_bind_text (stmt, index, value, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (stmt, index);
}

/* Writer thread */

gboolean
fest_crud_step_done (FestWriteCtx *ctx,
                     sqlite3_stmt *stmt,
                     GError      **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

static GError *
not_found_error (const char *what,
                 const char *field)
{
  JsonNode *details = NULL;

  if (field != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "field", field);
      details = json_node_new (JSON_NODE_OBJECT);
      json_node_take_object (details, object);
    }
  return fest_error_new_with_details (FEST_ERROR_NOT_FOUND, details, "%s not found", what);
}

gboolean
fest_crud_load_row (FestWriteCtx       *ctx,
                    const FestCrudKind *kind,
                    const char         *id,
                    const char         *field,
                    gpointer            row,
                    GError            **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, kind->select_sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    kind->read (row, stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc == SQLITE_DONE)
    g_propagate_error (error, not_found_error (kind->name, field));
  else
    fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
  return FALSE;
}

gboolean
fest_crud_take_result (JsonNode        *node,
                       gpointer        *result,
                       GDestroyNotify  *result_free)
{
  *result = node;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

/* CONFLICT while rows still refer to @id (kind->in_use_sql). */
static gboolean
check_not_in_use (FestWriteCtx       *ctx,
                  const FestCrudKind *kind,
                  const char         *id,
                  GError            **error)
{
  sqlite3_stmt *stmt;
  gint64 count;
  JsonObject *object;
  JsonNode *details;

  if (kind->in_use_sql == NULL)
    return TRUE;
  stmt = fest_write_ctx_prepare (ctx, kind->in_use_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
    }
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (count == 0)
    return TRUE;

  object = json_object_new ();
  json_object_set_int_member (object, "in_use", count);
  details = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (details, object);
  g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, details,
                                                         "This %s is still used %" G_GINT64_FORMAT
                                                         " times: remove those first", kind->name, count));
  return FALSE;
}

gboolean
fest_crud_delete_write (FestWriteCtx       *ctx,
                        const FestCrudKind *kind,
                        FestCrudJobHead    *head,
                        gpointer           *result,
                        GDestroyNotify     *result_free,
                        GError            **error)
{
  g_autofree gpointer row = g_malloc0 (kind->row_size);
  g_autofree char *now = fest_time_now ();
  g_autofree char *action = g_strconcat (kind->name, ".delete", NULL);
  const char *id;
  JsonNode *old_node;
  gint64 rev;
  gboolean ok = FALSE;

  if (!fest_crud_load_row (ctx, kind, head->id, NULL, row, error))
    return FALSE;
  id = *(const char **) row;    /* every row starts with its id */
  if (!check_not_in_use (ctx, kind, id, error))
    goto out;
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    goto out;

  for (guint i = 0; i < 2; i++)
    {
      const char *sql = i == 0 ? kind->delete_sql : kind->cascade_sql;
      sqlite3_stmt *stmt;

      if (sql == NULL)
        continue;
      stmt = fest_write_ctx_prepare (ctx, sql, error);
      if (stmt == NULL)
        goto out;
      sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, rev);
      sqlite3_bind_text (stmt, 3, now, -1, SQLITE_STATIC);
      if (!fest_crud_step_done (ctx, stmt, error))
        goto out;
    }

  old_node = kind->to_json (row);
  if (!fest_write_ctx_audit (ctx, head->actor, action, kind->name, id, old_node, NULL, error))
    {
      json_node_unref (old_node);
      goto out;
    }
  if (kind->event != NULL)
    {
      JsonNode *event = json_node_copy (old_node);

      json_object_set_boolean_member (json_node_get_object (event), "deleted", TRUE);
      fest_write_ctx_emit (ctx, kind->event, event);
    }
  ok = fest_crud_take_result (old_node, result, result_free);

out:
  kind->clear (row);
  return ok;
}

/* Handlers */

static void
reply_not_found (FestRequest *req,
                 const char  *what)
{
  g_autofree char *message = g_strdup_printf ("%s not found", what);

  fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, message, NULL);
}

void
fest_crud_reply_read_error (FestRequest *req)
{
  g_autoptr(GError) error = NULL;

  fest_sqlite_error (fest_festival_store_get_read_db (fest_request_get_store (req)), &error);
  fest_request_reply_gerror (req, error);
}

void
fest_crud_queue_write (FestRequest        *req,
                       const FestCrudKind *kind,
                       guint               status,
                       FestWriteFunc       write,
                       gboolean            with_id,
                       gboolean            with_body)
{
  const char *id = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body = NULL;
  FestCrudJobHead *job;

  if (with_id)
    {
      id = fest_request_get_param (req, "id");
      if (!fest_uuid_is_valid (id))
        {
          reply_not_found (req, kind->name);
          return;
        }
    }
  if (with_body)
    {
      body = fest_request_get_json_object (req);
      if (body == NULL)
        return;
    }
  job = g_malloc0 (kind->job_size);
  if (body != NULL && (!kind->parse (body, !with_id, job, &error)
                       || (kind->check != NULL && !kind->check (req, job, &error))))
    {
      kind->job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }
  job->id = g_strdup (id);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, status, write, job, kind->job_free);
}

void
fest_crud_reply_one (FestRequest        *req,
                     const FestCrudKind *kind)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  int rc;

  if (!fest_uuid_is_valid (id))
    {
      reply_not_found (req, kind->name);
      return;
    }
  stmt = fest_festival_store_prepare_read (fest_request_get_store (req), kind->select_sql, &error);
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree gpointer row = g_malloc0 (kind->row_size);

      kind->read (row, stmt);
      fest_request_reply_data (req, 200, kind->to_json (row));
      kind->clear (row);
    }
  else if (rc == SQLITE_DONE)
    reply_not_found (req, kind->name);
  else
    fest_crud_reply_read_error (req);
}

void
fest_crud_reply_list (FestRequest        *req,
                      const FestCrudKind *kind)
{
  static const int filter_index[G_N_ELEMENTS (kind->filter_params)] = { 1, 4 };
  FestFestivalStore *store = fest_request_get_store (req);
  g_autoptr(GError) error = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *count_stmt = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  g_autofree gpointer row = g_malloc0 (kind->row_size);
  const char *filters[G_N_ELEMENTS (kind->filter_params)] = { NULL, };
  JsonArray *array;
  JsonNode *node;
  guint page, per_page;
  gint64 total;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (kind->filter_params[i] != NULL && !_fest_route_query_uuid (req, kind->filter_params[i], &filters[i]))
      return;
  if (!fest_request_get_paging (req, &page, &per_page))
    return;

  count_stmt = fest_festival_store_prepare_read (store, kind->count_sql, &error);
  stmt = count_stmt != NULL ? fest_festival_store_prepare_read (store, kind->list_sql, &error) : NULL;
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (filters[i] != NULL)
      {
        sqlite3_bind_text (count_stmt, filter_index[i], filters[i], -1, SQLITE_STATIC);
        sqlite3_bind_text (stmt, filter_index[i], filters[i], -1, SQLITE_STATIC);
      }
  if (sqlite3_step (count_stmt) != SQLITE_ROW)
    {
      fest_crud_reply_read_error (req);
      return;
    }
  total = sqlite3_column_int64 (count_stmt, 0);

  sqlite3_bind_int64 (stmt, 2, per_page);
  sqlite3_bind_int64 (stmt, 3, (gint64) (page - 1) * per_page);
  array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      kind->read (row, stmt);
      json_array_add_element (array, kind->to_json (row));
      kind->clear (row);
    }
  if (rc != SQLITE_DONE)
    {
      json_node_unref (node);
      fest_crud_reply_read_error (req);
      return;
    }
  fest_request_reply_list (req, node, total, page, per_page);
}
