/* fest-crud.c: the generic create/read/update/delete routes of simple festival entities
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-crud-private.h"
#include "fest-ledger-private.h" /* _fest_route_write, _fest_route_query_uuid */

void
fest_crud_job_head_clear (FestCrudJobHead *head)
{
  g_free (head->id);
  g_clear_pointer (&head->actor, fest_actor_free);
}

gboolean
fest_crud_member_is_null (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
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
  gboolean found;

  if (!fest_crud_repo_load (ctx, kind->table, id, row, &found, error))
    return FALSE;
  if (!found)
    g_propagate_error (error, not_found_error (kind->name, field));
  return found;
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
  gint64 count = fest_crud_repo_count_in_use (ctx, kind->table, id, error);
  JsonObject *object;
  JsonNode *details;

  if (count < 0)
    return FALSE;
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
  g_autofree gpointer row = g_malloc0 (fest_crud_table_row_size (kind->table));
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

  if (!fest_crud_repo_delete (ctx, kind->table, id, rev, now, error))
    goto out;

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
  fest_crud_table_clear_row (kind->table, row);
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
  fest_crud_reply_one_visible (req, kind, NULL, NULL);
}

void
fest_crud_reply_one_visible (FestRequest        *req,
                             const FestCrudKind *kind,
                             FestCrudRowVisible  visible,
                             gpointer            user_data)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  g_autofree gpointer row = NULL;
  gboolean found;

  if (!fest_uuid_is_valid (id))
    {
      reply_not_found (req, kind->name);
      return;
    }
  row = g_malloc0 (fest_crud_table_row_size (kind->table));
  if (!fest_crud_repo_get (fest_request_get_store (req), kind->table, id, row, &found, &error))
    fest_request_reply_gerror (req, error);
  else if (!found)
    reply_not_found (req, kind->name);
  else if (visible != NULL && !visible (row, user_data))
    {
      fest_crud_table_clear_row (kind->table, row);
      reply_not_found (req, kind->name);
    }
  else
    {
      fest_request_reply_data (req, 200, kind->to_json (row));
      fest_crud_table_clear_row (kind->table, row);
    }
}

typedef struct
{
  const FestCrudKind *kind;
  JsonArray          *array;
} ListCall;

static void
list_add_row (gpointer row,
              gpointer user_data)
{
  ListCall *call = user_data;

  json_array_add_element (call->array, call->kind->to_json (row));
}

void
fest_crud_reply_list (FestRequest        *req,
                      const FestCrudKind *kind)
{
  fest_crud_reply_list_scoped (req, kind, NULL, NULL);
}

void
fest_crud_reply_list_scoped (FestRequest        *req,
                             const FestCrudKind *kind,
                             const char         *scope,
                             const char         *value)
{
  g_autoptr(GError) error = NULL;
  const char *filters[G_N_ELEMENTS (kind->filter_params)] = { NULL, };
  ListCall call = { kind, NULL };
  JsonNode *node;
  guint page, per_page;
  gint64 total = 0;
  gboolean empty = scope != NULL && value == NULL;
  gboolean by_id = scope != NULL && g_str_equal (scope, "id");

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (kind->filter_params[i] != NULL && !_fest_route_query_uuid (req, kind->filter_params[i], &filters[i]))
      return;
  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  /* The scope replaces its filter; asking for another value finds nothing. */
  for (guint i = 0; scope != NULL && !by_id && i < G_N_ELEMENTS (filters); i++)
    if (g_strcmp0 (kind->filter_params[i], scope) == 0)
      {
        empty = empty || (filters[i] != NULL && g_strcmp0 (filters[i], value) != 0);
        filters[i] = value;
      }

  call.array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, call.array);
  if (empty)
    {
      fest_request_reply_list (req, node, 0, page, per_page);
      return;
    }
  if (by_id)
    {
      g_autofree gpointer row = g_malloc0 (fest_crud_table_row_size (kind->table));
      gboolean found = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
        empty = empty || filters[i] != NULL;
      if (!empty && !fest_crud_repo_get (fest_request_get_store (req), kind->table, value, row, &found, &error))
        {
          json_node_unref (node);
          fest_request_reply_gerror (req, error);
          return;
        }
      if (found)
        {
          if (page == 1)
            list_add_row (row, &call);
          fest_crud_table_clear_row (kind->table, row);
        }
      fest_request_reply_list (req, node, found ? 1 : 0, page, per_page);
      return;
    }
  if (!fest_crud_repo_list (fest_request_get_store (req), kind->table, filters, per_page,
                            (gint64) (page - 1) * per_page, &total, list_add_row, &call, &error))
    {
      json_node_unref (node);
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_list (req, node, total, page, per_page);
}
