/* fest-sync-engine-online.c: an online sale: POST /transactions, one idempotency key
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine-private.h"

/* Online transactions */

#define ONLINE_ATTEMPTS       2
#define ONLINE_RETRY_DELAY_MS 300

typedef struct
{
  char         *key;
  GBytes       *body;
  guint         timeout_ms;
  guint         attempt;
  gboolean      timed_out;
  guint         timeout_id;
  GCancellable *attempt_cancellable;
  SoupMessage  *message;
  FestOnlineOutcome outcome;
} OnlineData;

static void
online_data_free (OnlineData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_clear_object (&data->attempt_cancellable);
  g_clear_object (&data->message);
  g_clear_pointer (&data->body, g_bytes_unref);
  g_free (data->key);
  g_free (data);
}

static void online_attempt (GTask *task);

/* Did the request certainly never reach the server? Then nothing can have been applied. */
static gboolean
is_not_sent_error (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND)
         || error->domain == G_RESOLVER_ERROR;
}

static gboolean
online_timeout_cb (gpointer user_data)
{
  OnlineData *data = user_data;

  data->timeout_id = 0;
  data->timed_out = TRUE;
  g_cancellable_cancel (data->attempt_cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
online_retry_cb (gpointer user_data)
{
  online_attempt (G_TASK (user_data));
  return G_SOURCE_REMOVE;
}

static void
online_return_error (GTask             *task,
                     FestOnlineOutcome  outcome,
                     GError            *error)
{
  OnlineData *data = g_task_get_task_data (task);

  data->outcome = outcome;
  g_task_return_error (task, error);
  g_object_unref (task);
}

static void
online_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GTask *task = user_data;
  OnlineData *data = g_task_get_task_data (task);
  FestSyncEngine *self = g_task_get_source_object (task);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) entity = NULL;
  GError *error = NULL;
  guint status;

  g_clear_handle_id (&data->timeout_id, g_source_remove);
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      if (g_task_return_error_if_cancelled (task))
        {
          g_error_free (error);
          g_object_unref (task);
          return;
        }
      if (is_not_sent_error (error) && data->attempt == 1)
        {
          _fest_sync_engine_set_online (self, FALSE);
          online_return_error (task, FEST_ONLINE_NOT_SENT, error);
          return;
        }
      /* Sent (or maybe sent) and unanswered: the same key again can only replay or apply once. */
      g_debug ("Online attempt %u of %s failed: %s", data->attempt, data->key, error->message);
      if (data->attempt < ONLINE_ATTEMPTS)
        {
          g_error_free (error);
          g_timeout_add (ONLINE_RETRY_DELAY_MS, online_retry_cb, task);
          return;
        }
      _fest_sync_engine_set_online (self, FALSE);
      if (data->timed_out)
        {
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The server did not answer in time");
        }
      online_return_error (task, FEST_ONLINE_UNCERTAIN, error);
      return;
    }

  status = soup_message_get_status (data->message);
  entity = _fest_sync_engine_parse_envelope (data->message, bytes, &error);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      _fest_sync_engine_set_revoked (self, TRUE);
      g_clear_error (&error);
      online_return_error (task, FEST_ONLINE_REVOKED,
                           g_error_new_literal (FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                                                "This station's device token was revoked"));
      return;
    }
  _fest_sync_engine_set_online (self, TRUE);
  if (entity != NULL && status >= 200 && status < 300)
    {
      data->outcome = FEST_ONLINE_ACCEPTED;
      g_task_return_pointer (task, g_steal_pointer (&entity), (GDestroyNotify) json_node_unref);
      g_object_unref (task);
      return;
    }
  if (error == NULL)
    error = g_error_new (FEST_ERROR, FEST_ERROR_INTERNAL, "Unexpected answer from the server (HTTP %u)", status);
  if (status >= 500 && data->attempt < ONLINE_ATTEMPTS)
    {
      /* A 5xx is not final (nothing stored under the key): try again. */
      g_error_free (error);
      g_timeout_add (ONLINE_RETRY_DELAY_MS, online_retry_cb, task);
      return;
    }
  online_return_error (task, status >= 500 ? FEST_ONLINE_UNCERTAIN : FEST_ONLINE_REFUSED, error);
}

static void
online_attempt (GTask *task)
{
  FestSyncEngine *self = g_task_get_source_object (task);
  OnlineData *data = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  data->attempt++;
  data->timed_out = FALSE;
  g_clear_object (&data->message);
  data->message = _fest_sync_engine_new_message (self, "POST", "/transactions", NULL);
  if (data->message == NULL)
    {
      online_return_error (task, FEST_ONLINE_NOT_SENT,
                           g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                        "Invalid server address %s", self->base_url));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (data->message), "Idempotency-Key", data->key);
  soup_message_set_request_body_from_bytes (data->message, "application/json", data->body);
  g_clear_object (&data->attempt_cancellable);
  data->attempt_cancellable = g_cancellable_new ();
  if (g_task_get_cancellable (task) != NULL)
    g_signal_connect_object (g_task_get_cancellable (task), "cancelled", G_CALLBACK (g_cancellable_cancel),
                             data->attempt_cancellable, G_CONNECT_SWAPPED);
  data->timeout_id = g_timeout_add (data->timeout_ms, online_timeout_cb, data);
  soup_session_send_and_read_async (self->session, data->message, G_PRIORITY_DEFAULT, data->attempt_cancellable,
                                    online_cb, task);
}

void
fest_sync_engine_post_transaction_async (FestSyncEngine      *self,
                                         const char          *key,
                                         JsonNode            *body,
                                         guint                timeout_ms,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  OnlineData *data;
  gsize length = 0;
  char *text;

  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  g_return_if_fail (key != NULL && body != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_sync_engine_post_transaction_async);
  data = g_new0 (OnlineData, 1);
  data->key = g_strdup (key);
  text = fest_json_to_string (body, &length);
  data->body = g_bytes_new_take (text, length);
  data->timeout_ms = MAX (timeout_ms, 100);
  data->outcome = FEST_ONLINE_UNCERTAIN;
  g_task_set_task_data (task, data, (GDestroyNotify) online_data_free);
  if (self->revoked)
    {
      online_return_error (task, FEST_ONLINE_REVOKED,
                           g_error_new_literal (FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                                                "This station's device token was revoked"));
      return;
    }
  online_attempt (task);
}

JsonNode *
fest_sync_engine_post_transaction_finish (FestSyncEngine     *self,
                                          GAsyncResult       *result,
                                          FestOnlineOutcome  *outcome,
                                          GError            **error)
{
  OnlineData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  data = g_task_get_task_data (G_TASK (result));
  if (outcome != NULL)
    *outcome = g_task_had_error (G_TASK (result)) ? data->outcome : FEST_ONLINE_ACCEPTED;
  return g_task_propagate_pointer (G_TASK (result), error);
}
