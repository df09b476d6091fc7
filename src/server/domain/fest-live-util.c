/* fest-live-util.c: small helpers shared by the tickets, sync, incidents and live routes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-live-util.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

typedef struct
{
  FestRequest *req;
  guint        status;
  gboolean     raw;
} Pending;

FestRawReply *
fest_raw_reply_new (guint   status,
                    GBytes *body)
{
  FestRawReply *reply = g_new0 (FestRawReply, 1);

  reply->status = status;
  reply->body = body;
  return reply;
}

void
fest_raw_reply_free (FestRawReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  gpointer data;

  data = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (data == NULL)
    fest_request_reply_gerror (pending->req, error);
  else if (pending->raw)
    {
      FestRawReply *reply = data;

      fest_request_reply_bytes (pending->req, reply->status, "application/json; charset=utf-8", reply->body);
      fest_raw_reply_free (reply);
    }
  else
    fest_request_reply_data (pending->req, pending->status, data);

  fest_request_unref (pending->req);
  g_free (pending);
}

static void
write_reply (FestRequest   *req,
             FestWriteFunc  func,
             gpointer       job_data,
             GDestroyNotify job_data_free,
             guint          status,
             gboolean       raw)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->req = fest_request_ref (req);
  pending->status = status;
  pending->raw = raw;
  fest_request_pause (req);
  fest_festival_store_write_async (fest_request_get_store (req), func, job_data, job_data_free, NULL,
                                   write_done_cb, pending);
}

void
fest_live_write_reply_data (FestRequest   *req,
                            FestWriteFunc  func,
                            gpointer       job_data,
                            GDestroyNotify job_data_free,
                            guint          status)
{
  write_reply (req, func, job_data, job_data_free, status, FALSE);
}

void
fest_live_write_reply_raw (FestRequest   *req,
                           FestWriteFunc  func,
                           gpointer       job_data,
                           GDestroyNotify job_data_free)
{
  write_reply (req, func, job_data, job_data_free, 0, TRUE);
}

void
fest_live_set_text_column (JsonObject   *object,
                           const char   *member,
                           sqlite3_stmt *stmt,
                           int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, (const char *) sqlite3_column_text (stmt, column));
}

gboolean
fest_live_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

gboolean
fest_live_stmt_error (sqlite3_stmt *stmt,
                      GError      **error)
{
  fest_sqlite_error (sqlite3_db_handle (stmt), error);
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
fest_live_step_done (sqlite3_stmt *stmt,
                     GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);
  return TRUE;
}

GBytes *
fest_live_data_body (JsonNode *data)
{
  g_autoptr(JsonNode) envelope = fest_json_envelope_data (data);
  gsize length = 0;
  char *text = fest_json_to_string (envelope, &length);

  return g_bytes_new_take (text, length);
}

JsonNode *
fest_live_object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
fest_live_json_deep_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *source = json_node_get_object (node);
        JsonObject *copy = json_object_new ();
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        json_object_iter_init (&iter, source);
        while (json_object_iter_next (&iter, &member, &value))
          json_object_set_member (copy, member, fest_live_json_deep_copy (value));
        return fest_live_object_node (copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        JsonArray *copy = json_array_sized_new (json_array_get_length (source));

        for (guint i = 0; i < json_array_get_length (source); i++)
          json_array_add_element (copy, fest_live_json_deep_copy (json_array_get_element (source, i)));
        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}
