/* fest-sync-engine-push.c: the outbox to POST /sync, then unconfirmed ops resolved
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine-private.h"

static void resolve_next (FestSyncEngine *self);

/* Safety net: a cycle never loops forever on a server that acknowledges nothing. */
#define MAX_PUSH_ROUNDS         100000

/* Push */

static void
push_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  JsonArray *results = NULL;
  guint acked = 0, rejected = 0;

  message = g_object_steal_data (G_OBJECT (self), "push-message");
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }

  if (self->pushing_operator && soup_message_get_status (message) == SOUP_STATUS_UNAUTHORIZED)
    {
      /* The person's token expired or they signed out elsewhere: their ops wait for them to sign
       * in again; the device is fine. */
      g_debug ("Sync: the operator's token was refused; their operations wait");
      g_clear_pointer (&self->operator_token, g_free);
      _fest_sync_engine_push_next (self);
      return;
    }

  if (soup_message_get_status (message) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE &&
      self->batch_size > 1)
    {
      /* The server's body limit is smaller than our batch: halve it and go on. */
      self->batch_size = MAX (1, self->batch_size / 2);
      _fest_sync_engine_push_next (self);
      return;
    }

  data = _fest_sync_engine_parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  _fest_sync_engine_set_online (self, TRUE);

  if (JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "results") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (data), "results")))
    results = json_object_get_array_member (json_node_get_object (data), "results");
  else if (JSON_NODE_HOLDS_ARRAY (data))
    results = json_node_get_array (data);

  if (results == NULL)
    {
      _fest_sync_engine_finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                                                                 "The sync answer has no results"));
      return;
    }

  if (!fest_station_store_apply_results (self->store, results, &acked, &rejected, &error))
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *item, *err = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (item, "status", ""),
                     "rejected") != 0)
        continue;
      if (json_object_has_member (item, "error") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (item, "error")))
        err = json_object_get_object_member (item, "error");
      g_signal_emit (self, _fest_sync_engine_signals[SIGNAL_REJECTED], 0,
                     json_object_get_string_member_with_default (item, "idempotency_key", ""),
                     err ? json_object_get_string_member_with_default (err, "code", "") : "",
                     err ? json_object_get_string_member_with_default (err, "message", "") : "");
    }

  _fest_sync_engine_update_pending (self);

  if (acked + rejected == 0)
    {
      _fest_sync_engine_finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_INTERNAL,
                                                                 "The server acknowledged none of the operations"));
      return;
    }
  _fest_sync_engine_push_next (self);
}

void
_fest_sync_engine_push_next (FestSyncEngine *self)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *device_id = NULL;
  SoupMessage *message;

  if (++self->push_rounds > MAX_PUSH_ROUNDS)
    {
      _fest_sync_engine_finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_INTERNAL,
                                                                 "Too many sync rounds"));
      return;
    }

  /* The device's own ops first; then, with the person's token, the ops only they may make. */
  batch = fest_station_store_list_pending_for (self->store, self->batch_size, FALSE);
  self->pushing_operator = FALSE;
  if (batch->len == 0 && self->operator_token != NULL)
    {
      g_ptr_array_unref (batch);
      batch = fest_station_store_list_pending_for (self->store, self->batch_size, TRUE);
      self->pushing_operator = TRUE;
    }
  if (batch->len == 0)
    {
      self->pushing_operator = FALSE;
      resolve_next (self);
      return;
    }

  device_id = fest_station_store_get_setting (self->store, FEST_STATION_KEY_DEVICE_ID);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "device_id");
  if (device_id != NULL)
    json_builder_add_string_value (builder, device_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "pending");
  json_builder_add_int_value (builder, fest_station_store_count_pending (self->store));
  json_builder_set_member_name (builder, "operations");
  json_builder_begin_array (builder);
  for (guint i = 0; i < batch->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (batch, i);
      JsonNode *payload = NULL;

      if (g_strcmp0 (op->op, "shift.close") == 0)
        {
          /* Its shift's id comes with its open op's result: that op goes first, alone. */
          payload = fest_station_store_resolve_shift_close (self->store, op);
          if (payload == NULL && i > 0)
            break;
        }
      if (payload == NULL)
        payload = fest_json_parse (op->payload, -1, NULL);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "op");
      json_builder_add_string_value (builder, op->op);
      json_builder_set_member_name (builder, "idempotency_key");
      json_builder_add_string_value (builder, op->idempotency_key);
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, op->created_at);
      json_builder_set_member_name (builder, "payload");
      if (payload != NULL)
        json_builder_add_value (builder, payload);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  message = _fest_sync_engine_new_message (self, "POST", "/sync", body);
  if (message == NULL)
    {
      _fest_sync_engine_finish_cycle (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                         "Invalid server address %s", self->base_url));
      return;
    }
  if (self->pushing_operator)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->operator_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
    }
  g_object_set_data_full (G_OBJECT (self), "push-message", message, g_object_unref);
  g_signal_emit (self, _fest_sync_engine_signals[SIGNAL_PUSH_STARTED], 0, batch->len);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, push_cb, g_object_ref (self));
}

/* Unconfirmed online attempts: once the outbox is pushed, ask the server whether each one landed
 * (GET /transactions?idempotency_key=). Only attempts older than unconfirmed_settle_s are asked
 * about, so that a request still crawling through the network cannot land after the answer. */

static void
resolve_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (self), "resolve-message");
  g_autofree char *key = g_object_steal_data (G_OBJECT (self), "resolve-key");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *entity = NULL;
  GError *error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL || (data = _fest_sync_engine_parse_envelope (message, bytes, &error)) == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (data) && json_array_get_length (json_node_get_array (data)) > 0)
    entity = fest_json_to_string (json_array_get_element (json_node_get_array (data), 0), NULL);
  if (!fest_station_store_resolve_unconfirmed (self->store, key, entity, &error))
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  g_signal_emit (self, _fest_sync_engine_signals[SIGNAL_UNCONFIRMED_RESOLVED], 0, key, entity != NULL);
  resolve_next (self);
}

static void
resolve_next (FestSyncEngine *self)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_unconfirmed (self->store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 settle_s = self->unconfirmed_settle_s;

  for (guint i = 0; i < ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);
      g_autoptr(GDateTime) created = fest_time_parse (op->created_at);
      g_autofree char *escaped = NULL;
      g_autofree char *path = NULL;
      SoupMessage *message;

      if (created != NULL && g_date_time_difference (now, created) < settle_s * G_TIME_SPAN_SECOND)
        continue;
      escaped = g_uri_escape_string (op->idempotency_key, NULL, TRUE);
      path = g_strdup_printf ("/transactions?idempotency_key=%s&per_page=1", escaped);
      message = _fest_sync_engine_new_message (self, "GET", path, NULL);
      if (message == NULL)
        break;
      g_object_set_data_full (G_OBJECT (self), "resolve-message", message, g_object_unref);
      g_object_set_data_full (G_OBJECT (self), "resolve-key", g_strdup (op->idempotency_key), g_free);
      soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                        self->cycle_cancellable, resolve_cb, g_object_ref (self));
      return;
    }
  _fest_sync_engine_bootstrap (self);
}
