/* fest-routes-sync.c: the offline stations' protocol: POST /sync (and GET /sync/changes)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /sync takes a station's outbox, parses its operations (domain/fest-sync-op.c) and applies
 * the batch in ONE write job (domain/fest-sync.c), run again with a savepoint per operation when
 * an operation failed after writing. GET /sync/changes is in fest-routes-sync-changes.c.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-router.h"
#include "fest-routes-incidents-private.h"
#include "fest-routes-sync-private.h"
#include "fest-routes-util.h"
#include "fest-sync.h"

/* A batch's bounds (README, "Offline sync"): what a station's outbox sends at once. With four
 * batches at both bounds in flight the server stays under 100 MB of RSS (test-sync-memory.c). */
#define SYNC_MAX_OPERATIONS   2000
#define SYNC_MAX_BODY         (4 * 1024 * 1024)

typedef struct
{
  FestSyncBatch batch;
  FestRequest  *req;
} SyncJob;

static void
sync_job_free (gpointer data)
{
  SyncJob *job = data;

  g_array_unref (job->batch.ops);
  g_free (job->batch.device_id);
  fest_actor_free (job->batch.actor);
  g_clear_pointer (&job->req, fest_request_unref);
  g_free (job);
}

gboolean
_fest_sync_parse_operation (JsonNode  *node,
                            guint      index,
                            char     **request_hash,
                            GError   **error)
{
  FestSyncOp op = { 0 };
  gboolean parsed;

  fest_sync_op_parse (node, index, NULL, &op);
  parsed = op.parse_error == NULL;
  if (!parsed)
    g_propagate_error (error, g_error_copy (op.parse_error));
  else if (request_hash != NULL)
    *request_hash = g_strdup (op.request_hash);
  fest_sync_op_clear (&op);
  return parsed;
}

/* Writer thread */
static gboolean
sync_func (FestWriteCtx   *ctx,
           gpointer        job_data,
           gpointer       *result,
           GDestroyNotify *result_free,
           GError        **error)
{
  SyncJob *job = job_data;
  GBytes *body;

  *result_free = (GDestroyNotify) fest_raw_reply_free;
  body = fest_sync_apply (ctx, &job->batch, error);
  if (body == NULL)
    return FALSE;
  *result = fest_raw_reply_new (SOUP_STATUS_OK, body);
  return TRUE;
}

/* Splitting a batch. The JSON tree json-glib builds for a body is about twenty times its size, so
 * a 4 MiB batch is never parsed whole: the body is scanned for the byte spans of its top-level
 * "operations" array's elements, each element is parsed on its own (and freed once it is an op),
 * and the rest of the body, with "operations" emptied, is parsed for its other members. Every byte
 * still goes through the JSON parser or this scanner's structure checks: a malformed body is
 * refused as before. */

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
scan_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* Skips one JSON value's bytes (its content is checked later by the parser). */
static gboolean
scan_value (Scan *s)
{
  guint depth = 0;

  do
    {
      if (s->p >= s->end)
        return FALSE;
      switch (*s->p)
        {
        case '"':
          for (s->p++; s->p < s->end && *s->p != '"'; s->p++)
            if (*s->p == '\\')
              s->p++;
          if (s->p >= s->end)
            return FALSE;
          s->p++;
          break;
        case '{':
        case '[':
          depth++;
          s->p++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return FALSE;
          depth--;
          s->p++;
          break;
        case ',':
        case ':':
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          if (depth == 0)
            return FALSE;
          s->p++;
          break;
        default:
          {
            const char *start = s->p;

            /* A number, true, false or null: up to the next structural byte. */
            while (s->p < s->end && *s->p != '\0' && strchr (",:]} \t\n\r\"[{", *s->p) == NULL)
              s->p++;
            if (s->p == start)
              return FALSE;
            break;
          }
        }
    }
  while (depth > 0);
  return TRUE;
}

/* Finds the value of the top-level member "operations" of the object in @text: its span in
 * *@value_start, *@value_end (both NULL when there is none). FALSE if @text is not an object. */
static gboolean
scan_operations_member (const char  *text,
                        gsize        length,
                        const char **value_start,
                        const char **value_end)
{
  static const char member[] = "\"operations\"";
  Scan s = { text, text + length };

  *value_start = *value_end = NULL;
  scan_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  s.p++;
  scan_ws (&s);
  if (s.p < s.end && *s.p == '}')
    return TRUE;
  for (;;)
    {
      const char *key = s.p;
      const char *value;

      if (s.p >= s.end || *s.p != '"' || !scan_value (&s))
        return FALSE;
      if ((gsize) (s.p - key) == strlen (member) && memcmp (key, member, strlen (member)) == 0)
        key = NULL;
      scan_ws (&s);
      if (s.p >= s.end || *s.p != ':')
        return FALSE;
      s.p++;
      scan_ws (&s);
      value = s.p;
      if (!scan_value (&s))
        return FALSE;
      if (key == NULL)
        {
          *value_start = value;
          *value_end = s.p;
        }
      scan_ws (&s);
      if (s.p < s.end && *s.p == '}')
        return TRUE;
      if (s.p >= s.end || *s.p != ',')
        return FALSE;
      s.p++;
      scan_ws (&s);
    }
}

/* The spans of the elements of the array [@start, @end): pairs of pointers in @spans. */
static gboolean
scan_array_elements (const char *start,
                     const char *end,
                     GPtrArray  *spans)
{
  Scan s = { start + 1, end - 1 };

  scan_ws (&s);
  if (s.p == s.end)
    return TRUE;
  for (;;)
    {
      g_ptr_array_add (spans, (gpointer) s.p);
      if (!scan_value (&s))
        return FALSE;
      g_ptr_array_add (spans, (gpointer) s.p);
      scan_ws (&s);
      if (s.p == s.end)
        return TRUE;
      if (*s.p != ',')
        return FALSE;
      s.p++;
      scan_ws (&s);
    }
}

/* POST /sync */

static void sync_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
sync_submit (SyncJob *job)
{
  fest_festival_store_write_async (fest_request_get_store (job->req), sync_func, job, NULL, NULL, sync_done_cb, job);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestRawReply) reply = NULL;

  reply = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (reply == NULL && !job->batch.savepoints && fest_sync_error_is_retry (error))
    {
      g_debug ("sync from %s: an operation failed after writing; retrying with a savepoint per operation",
               job->batch.device_id);
      job->batch.savepoints = TRUE;
      sync_submit (job);
      return;
    }
  if (reply == NULL)
    fest_request_reply_gerror (job->req, error);
  else
    fest_request_reply_bytes (job->req, reply->status, "application/json; charset=utf-8", reply->body);
  sync_job_free (job);
}

/* incident.update: the rules of PATCH /incidents/{id} (fest-routes-incidents.c): a SECURITY
 * member who is not a lead only resolves (status RESOLVED, resolution_notes) an incident assigned
 * to them; assigned_to must be a SECURITY member. */
static void
check_incident_update (FestRequest *req,
                       FestSyncOp  *op)
{
  FestIncidentPatch *patch = &op->u.incident_patch;
  GError *error = NULL;

  if (!fest_roles_allow (fest_request_get_auth (req)->roles, FEST_PERM_INCIDENT_ASSIGN))
    {
      if (patch->set_assigned)
        error = g_error_new_literal (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                                     "Only an organiser or a security lead may assign an incident");
      else if (patch->set_abuse)
        error = g_error_new_literal (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                                     "Only an organiser or a security lead may flag an incident as abuse");
      else if (patch->status != NULL && !g_str_equal (patch->status, "RESOLVED"))
        error = g_error_new_literal (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                                     "Only an organiser or a security lead may reopen an incident");
    }
  if (error == NULL && patch->set_assigned)
    _fest_incidents_check_assignee (req, patch->assigned_to, &error);
  if (error != NULL)
    {
      fest_sync_op_reject (op, error);
      return;
    }
  _fest_incidents_restrict_patch (req, patch);
}

/* FEST_PERM_SYNC lets every station post a batch; each operation still needs the permission of
 * the route it stands for, so that a scanner cannot sell nor a cashier refund. */
static void
check_op_permission (FestRequest *req,
                     FestSyncOp  *op)
{
  const FestAuth *auth = fest_request_get_auth (req);
  FestPermission perm;

  if (op->parse_error != NULL)
    return;
  switch (op->kind)
    {
    case FEST_SYNC_OP_TRANSACTION_CREATE:
      perm = g_strcmp0 (op->u.transaction.type, "REFUND") == 0 ? FEST_PERM_TRANSACTION_REFUND
                                                              : FEST_PERM_TRANSACTION_CREATE;
      break;
    case FEST_SYNC_OP_TICKET_SCAN:
      perm = FEST_PERM_TICKET_SCAN;
      break;
    case FEST_SYNC_OP_INCIDENT_CREATE:
      perm = FEST_PERM_INCIDENT_CREATE;
      break;
    case FEST_SYNC_OP_INCIDENT_UPDATE:
      perm = FEST_PERM_INCIDENT_MANAGE;
      break;
    case FEST_SYNC_OP_SHIFT_OPEN:
    case FEST_SYNC_OP_SHIFT_CLOSE:
      perm = FEST_PERM_TRANSACTION_CREATE;
      break;
    default:
      return;
    }
  if (fest_roles_allow (auth->roles, perm))
    {
      if (op->kind == FEST_SYNC_OP_INCIDENT_UPDATE)
        check_incident_update (req, op);
      return;
    }

  fest_sync_op_reject (op, g_error_new (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                                        "This account or device may not perform this operation"));
}

static void
post_sync (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (fest_request_get_message (req));
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  const char *device_id = NULL;
  JsonArray *operations = NULL;
  JsonObject *body;
  SyncJob *job;
  gsize length = 0;
  const char *text = g_bytes_get_data (bytes, &length);
  const char *ops_start = NULL, *ops_end = NULL;
  g_autoptr(GPtrArray) spans = g_ptr_array_new ();
  guint n_ops;

  if (length == 0)
    return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is empty", NULL);
  /* Not fest_request_get_json_object(): see "Splitting a batch" above. */
  if (scan_operations_member (text, length, &ops_start, &ops_end) && ops_start != NULL && *ops_start == '[')
    {
      g_autoptr(GString) rest = g_string_sized_new (length - (ops_end - ops_start) + 2);

      if (!scan_array_elements (ops_start, ops_end, spans))
        return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON", NULL);
      g_string_append_len (rest, text, ops_start - text);
      g_string_append (rest, "[]");
      g_string_append_len (rest, ops_end, text + length - ops_end);
      root = fest_json_parse (rest->str, rest->len, &error);
    }
  else
    root = fest_json_parse (text, length, &error);
  if (root == NULL)
    {
      if (error != NULL)
        return fest_request_reply_gerror (req, error);
      return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON", NULL);
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      error = fest_error_validation ("body", "The request body must be a JSON object");
      return fest_request_reply_gerror (req, error);
    }
  body = json_node_get_object (root);
  if (!fest_json_get_text (body, "device_id", auth->device_id == NULL, 100, &device_id, &error) ||
      !fest_json_get_array (body, "operations", TRUE, &operations, &error))
    return fest_request_reply_gerror (req, error);
  /* Split: the array in the tree is empty, its elements are in spans. */
  n_ops = spans->len > 0 ? spans->len / 2 : json_array_get_length (operations);
  if (n_ops > SYNC_MAX_OPERATIONS)
    {
      error = fest_error_validation ("operations", "at most %d operations per batch", SYNC_MAX_OPERATIONS);
      return fest_request_reply_gerror (req, error);
    }

  job = g_new0 (SyncJob, 1);
  /* A device token speaks for its own device whatever the body says. */
  job->batch.device_id = g_strdup (auth->device_id != NULL ? auth->device_id : device_id);
  if (!fest_json_get_int (body, "pending", FALSE, 0, G_MAXINT32, &job->batch.pending, &error))
    {
      g_free (job->batch.device_id);
      g_free (job);
      return fest_request_reply_gerror (req, error);
    }
  job->batch.actor = fest_actor_copy (fest_request_get_actor (req));
  if (job->batch.actor->device_id == NULL)
    job->batch.actor->device_id = g_strdup (job->batch.device_id);
  job->batch.ops = g_array_sized_new (FALSE, TRUE, sizeof (FestSyncOp), n_ops);
  g_array_set_clear_func (job->batch.ops, fest_sync_op_clear);
  g_array_set_size (job->batch.ops, n_ops);
  for (guint i = 0; i < n_ops; i++)
    {
      FestSyncOp *op = &g_array_index (job->batch.ops, FestSyncOp, i);
      g_autoptr(JsonNode) node = NULL;

      if (spans->len == 0)
        node = json_node_ref (json_array_get_element (operations, i));
      else
        {
          const char *start = g_ptr_array_index (spans, 2 * i);
          const char *end = g_ptr_array_index (spans, 2 * i + 1);

          /* Nothing is applied before the whole batch parsed: a body that is not JSON is refused
           * whole, as it always was. */
          node = fest_json_parse (start, end - start, &error);
          if (node == NULL)
            {
              sync_job_free (job);
              if (error != NULL)
                return fest_request_reply_gerror (req, error);
              return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON",
                                               NULL);
            }
        }
      fest_sync_op_parse (node, i, auth->stand_id, op);
      check_op_permission (req, op);
    }
  /* The ops are all the job needs: the body's bytes (libsoup's chunks and their flattened copy)
   * go now rather than when the reply is sent, after the batches queued before this one. */
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&bytes, g_bytes_unref);
  soup_message_body_truncate (request_body);

  job->req = fest_request_ref (req);
  fest_request_pause (req);
  sync_submit (job);
}

void
fest_routes_sync_register (FestRouter *router)
{
  fest_router_add (router, "POST", "/sync", FEST_ROUTE_FESTIVAL, FEST_PERM_SYNC, post_sync);
  fest_router_set_max_body (router, "POST", "/sync", SYNC_MAX_BODY);
  fest_router_add (router, "GET", "/sync/changes", FEST_ROUTE_FESTIVAL, FEST_PERM_SYNC,
                   _fest_routes_sync_get_changes);
}
