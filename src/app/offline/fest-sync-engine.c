/* fest-sync-engine.c: pushes a station's outbox to the server and pulls changes into its store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine-private.h"

#define DEFAULT_BATCH_SIZE      200
#define DEFAULT_INTERVAL_S      10
#define REQUEST_TIMEOUT_S       20
#define BACKOFF_MIN_MS          1000
#define BACKOFF_MAX_MS          60000
/* An unconfirmed online attempt is asked about once it is this old, so that a request still
 * crawling through the network cannot land after the answer. */
#define UNCONFIRMED_SETTLE_S    30

G_DEFINE_FINAL_TYPE (FestSyncEngine, fest_sync_engine, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ONLINE,
  PROP_PENDING_COUNT,
  PROP_LAST_SYNC,
  PROP_SYNCING,
  PROP_REVOKED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

guint _fest_sync_engine_signals[N_SIGNALS];


static void start_cycle (FestSyncEngine *self);

/* Helpers */

void
_fest_sync_engine_set_online (FestSyncEngine *self,
                              gboolean        online)
{
  if (self->online == online)
    return;
  self->online = online;
  _fest_sync_engine_update_probing (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

void
_fest_sync_engine_set_revoked (FestSyncEngine *self,
                               gboolean        revoked)
{
  if (self->revoked == revoked)
    return;
  self->revoked = revoked;
  _fest_sync_engine_update_probing (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVOKED]);
}

static void
set_syncing (FestSyncEngine *self,
             gboolean        syncing)
{
  if (self->syncing == syncing)
    return;
  self->syncing = syncing;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

void
_fest_sync_engine_update_pending (FestSyncEngine *self)
{
  guint count = fest_station_store_count_pending (self->store);

  if (count == self->pending_count)
    return;
  self->pending_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

SoupMessage *
_fest_sync_engine_new_message (FestSyncEngine *self,
                               const char     *method,
                               const char     *path,
                               JsonNode       *body)
{
  g_autofree char *uri = g_strconcat (self->base_url, "/api/v1", path, NULL);
  SoupMessage *message = soup_message_new (method, uri);

  if (message == NULL)
    return NULL;
  if (self->token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", self->token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", auth);
    }
  soup_message_headers_replace (soup_message_get_request_headers (message),
                                "Accept", "application/json");
  if (body != NULL)
    {
      gsize length = 0;
      char *text = fest_json_to_string (body, &length);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }
  return message;
}

/* Parses the envelope: the "data" node (transfer full) on 2xx, else a FEST_ERROR. */
JsonNode *
_fest_sync_engine_parse_envelope (SoupMessage  *message,
                                  GBytes       *bytes,
                                  GError      **error)
{
  return _fest_sync_engine_parse_reply (soup_message_get_status (message), bytes, error);
}

/* The same from the status alone: for a worker thread, which must not touch the message. */
JsonNode *
_fest_sync_engine_parse_reply (guint    status,
                               GBytes  *bytes,
                               GError **error)
{
  g_autoptr(JsonNode) root = NULL;
  gsize size = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &size) : NULL;
  JsonObject *object;

  root = data != NULL && size > 0 ? fest_json_parse (data, size, NULL) : NULL;
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, FEST_ERROR, status >= 500 ? FEST_ERROR_INTERNAL : FEST_ERROR_MALFORMED_JSON,
                   "Unexpected answer from the server (HTTP %u)", status);
      return NULL;
    }
  object = json_node_get_object (root);

  if (status >= 200 && status < 300 && json_object_has_member (object, "data"))
    return json_node_copy (json_object_get_member (object, "data"));

  if (json_object_has_member (object, "error") &&
      JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    {
      JsonObject *err = json_object_get_object_member (object, "error");
      FestErrorCode code = FEST_ERROR_INTERNAL;

      JsonNode *details = json_object_get_member (err, "details");

      fest_error_code_from_string (json_object_get_string_member_with_default (err, "code", ""),
                                   &code);
      if (status == SOUP_STATUS_UNAUTHORIZED)
        code = FEST_ERROR_UNAUTHENTICATED;
      g_propagate_error (error, fest_error_new_with_details (code,
                                                             details != NULL && JSON_NODE_HOLDS_OBJECT (details)
                                                               ? json_node_copy (details) : NULL,
                                                             "%s",
                                                             json_object_get_string_member_with_default (err, "message",
                                                                                                         "Server error")));
      return NULL;
    }

  g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Unexpected answer from the server (HTTP %u)",
               status);
  return NULL;
}

/* Is this failure "the server cannot be reached" (as opposed to an answer we did not like)? */
static gboolean
is_network_error (const GError *error)
{
  return error->domain != FEST_ERROR;
}

static void
schedule_retry (FestSyncEngine *self);

static gboolean
retry_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  self->retry_id = 0;
  if (!self->syncing)
    start_cycle (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (FestSyncEngine *self)
{
  guint64 base_ms;
  guint delay_ms;

  if (!self->started)
    return;
  base_ms = BACKOFF_MIN_MS;
  for (guint i = 1; i < self->failures && base_ms < BACKOFF_MAX_MS; i++)
    base_ms *= 2;
  base_ms = MIN (base_ms, BACKOFF_MAX_MS);
  /* Jitter: half to full delay, so that a room of stations does not retry in lockstep. */
  delay_ms = (guint) (base_ms / 2 + g_random_int_range (0, (gint32) (base_ms / 2) + 1));
  self->backoff_until = g_get_monotonic_time () + (gint64) delay_ms * 1000;
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (delay_ms, retry_cb, self);
}

void
_fest_sync_engine_finish_cycle (FestSyncEngine *self,
                                GError         *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->cycle_tasks);
  gboolean cancelled = error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&self->cycle_cancellable);
  _fest_sync_engine_update_pending (self);

  if (error == NULL)
    {
      self->failures = 0;
      self->backoff_until = 0;
      g_clear_handle_id (&self->retry_id, g_source_remove);
      _fest_sync_engine_set_online (self, TRUE);
      g_clear_pointer (&self->last_sync, g_date_time_unref);
      self->last_sync = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      g_signal_emit (self, _fest_sync_engine_signals[SIGNAL_SYNCED], 0);
    }
  else if (!cancelled && g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
    {
      /* The device token was revoked: retrying with it is pointless and noisy. Wait for a new one;
       * the outbox stays as it is. */
      g_debug ("Sync refused: the device token is no longer valid");
      _fest_sync_engine_set_online (self, TRUE);
      _fest_sync_engine_set_revoked (self, TRUE);
      g_clear_handle_id (&self->retry_id, g_source_remove);
    }
  else if (!cancelled)
    {
      g_debug ("Sync failed: %s", error->message);
      if (is_network_error (error))
        _fest_sync_engine_set_online (self, FALSE);
      else
        _fest_sync_engine_set_online (self, TRUE);
      self->failures++;
      schedule_retry (self);
    }

  set_syncing (self, FALSE);

  for (guint i = 0; tasks != NULL && i < tasks->len; i++)
    {
      GTask *task = g_ptr_array_index (tasks, i);

      if (error != NULL)
        g_task_return_error (task, g_error_copy (error));
      else
        g_task_return_boolean (task, TRUE);
    }
  if (tasks != NULL)
    g_ptr_array_set_free_func (tasks, g_object_unref);

  if (error != NULL)
    g_error_free (error);

  /* Someone asked while we were busy (or waits for a fresh cycle). */
  if (!cancelled && (self->again || (self->next_tasks != NULL && self->next_tasks->len > 0)))
    {
      self->again = FALSE;
      start_cycle (self);
    }
}

static void
start_cycle (FestSyncEngine *self)
{
  g_assert (!self->syncing);

  if (self->base_url == NULL)
    return;
  if (self->revoked)
    {
      g_autoptr(GPtrArray) waiting = g_steal_pointer (&self->next_tasks);

      for (guint i = 0; waiting != NULL && i < waiting->len; i++)
        {
          GTask *task = g_ptr_array_index (waiting, i);

          g_task_return_new_error (task, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                                   "This station's device token was revoked");
          g_object_unref (task);
        }
      return;
    }
  g_clear_handle_id (&self->retry_id, g_source_remove);
  set_syncing (self, TRUE);
  self->again = FALSE;
  self->push_rounds = 0;
  self->cycle_cancellable = g_cancellable_new ();
  self->cycle_tasks = g_steal_pointer (&self->next_tasks);
  if (self->cycle_tasks == NULL)
    self->cycle_tasks = g_ptr_array_new ();
  _fest_sync_engine_push_next (self);
}

/* Callbacks */

static gboolean
timer_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  if (!self->syncing && self->retry_id == 0 &&
      (self->backoff_until == 0 || g_get_monotonic_time () >= self->backoff_until))
    start_cycle (self);
  return G_SOURCE_CONTINUE;
}

/* GObject */

static void
fest_sync_engine_dispose (GObject *object)
{
  FestSyncEngine *self = FEST_SYNC_ENGINE (object);

  fest_sync_engine_stop (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (fest_sync_engine_parent_class)->dispose (object);
}

static void
fest_sync_engine_finalize (GObject *object)
{
  FestSyncEngine *self = FEST_SYNC_ENGINE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->last_sync, g_date_time_unref);
  g_clear_pointer (&self->next_tasks, g_ptr_array_unref);
  g_free (self->base_url);
  g_free (self->token);
  g_free (self->operator_token);

  G_OBJECT_CLASS (fest_sync_engine_parent_class)->finalize (object);
}

static void
fest_sync_engine_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FestSyncEngine *self = FEST_SYNC_ENGINE (object);

  switch (prop_id)
    {
    case PROP_ONLINE:
      g_value_set_boolean (value, self->online);
      break;
    case PROP_PENDING_COUNT:
      g_value_set_uint (value, self->pending_count);
      break;
    case PROP_LAST_SYNC:
      g_value_set_boxed (value, self->last_sync);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, self->syncing);
      break;
    case PROP_REVOKED:
      g_value_set_boolean (value, self->revoked);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_sync_engine_class_init (FestSyncEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_sync_engine_dispose;
  object_class->finalize = fest_sync_engine_finalize;
  object_class->get_property = fest_sync_engine_get_property;

  properties[PROP_ONLINE] =
    g_param_spec_boolean ("online", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING_COUNT] =
    g_param_spec_uint ("pending-count", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_boxed ("last-sync", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNCING] =
    g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_REVOKED] =
    g_param_spec_boolean ("revoked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
  /* (idempotency_key, charged) once the server said whether an UNCONFIRMED op landed. */
  _fest_sync_engine_signals[SIGNAL_UNCONFIRMED_RESOLVED] =
    g_signal_new ("unconfirmed-resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /* (idempotency_key, error code, error message) of an op the server refused. */
  _fest_sync_engine_signals[SIGNAL_REJECTED] =
    g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  _fest_sync_engine_signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* New alerts were pulled (fest_station_store_take_new_alerts). */
  _fest_sync_engine_signals[SIGNAL_ALERTS] =
    g_signal_new ("alerts", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /* A batch of n ops is about to be sent (tests use it to crash things mid-flight). */
  _fest_sync_engine_signals[SIGNAL_PUSH_STARTED] =
    g_signal_new ("push-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
fest_sync_engine_init (FestSyncEngine *self)
{
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->interval_s = DEFAULT_INTERVAL_S;
  self->unconfirmed_settle_s = UNCONFIRMED_SETTLE_S;
}

/* Public API */

FestSyncEngine *
fest_sync_engine_new (FestStationStore *store,
                      const char       *base_url,
                      const char       *token)
{
  FestSyncEngine *self;

  g_return_val_if_fail (FEST_IS_STATION_STORE (store), NULL);

  self = g_object_new (FEST_TYPE_SYNC_ENGINE, NULL);
  self->store = g_object_ref (store);
  self->base_url = g_strdup (base_url);
  self->token = g_strdup (token);
  self->session = soup_session_new_with_options ("timeout", REQUEST_TIMEOUT_S,
                                                 "idle-timeout", 60, NULL);
  self->pending_count = fest_station_store_count_pending (store);
  return self;
}

void
fest_sync_engine_set_session (FestSyncEngine *self,
                              SoupSession    *session)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_set_object (&self->session, session);
}

void
fest_sync_engine_set_base_url (FestSyncEngine *self,
                               const char     *base_url)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  g_free (self->base_url);
  self->base_url = g_strdup (base_url);
}

void
fest_sync_engine_set_token (FestSyncEngine *self,
                            const char     *token)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  if (g_strcmp0 (self->token, token) == 0)
    return;
  g_free (self->token);
  self->token = g_strdup (token);
  if (self->revoked)
    {
      _fest_sync_engine_set_revoked (self, FALSE);
      self->failures = 0;
      if (self->started)
        fest_sync_engine_sync_now (self);
    }
}

void
fest_sync_engine_set_operator_token (FestSyncEngine *self,
                                     const char     *token)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  if (g_strcmp0 (self->operator_token, token) == 0)
    return;
  g_free (self->operator_token);
  self->operator_token = g_strdup (token);
}

gboolean
fest_sync_engine_get_revoked (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), FALSE);
  return self->revoked;
}

void
fest_sync_engine_set_batch_size (FestSyncEngine *self,
                                 guint           batch_size)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  self->batch_size = CLAMP (batch_size, 1, 5000);
}

void
fest_sync_engine_set_interval (FestSyncEngine *self,
                               guint           seconds)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  self->interval_s = MAX (seconds, 1);
  if (self->timer_id != 0)
    {
      g_clear_handle_id (&self->timer_id, g_source_remove);
      self->timer_id = g_timeout_add_seconds (self->interval_s, timer_cb, self);
    }
}

void
fest_sync_engine_set_unconfirmed_settle (FestSyncEngine *self,
                                         guint           seconds)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  self->unconfirmed_settle_s = seconds;
}

FestStationStore *
fest_sync_engine_get_store (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), NULL);
  return self->store;
}

gboolean
fest_sync_engine_get_online (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), FALSE);
  return self->online;
}

guint
fest_sync_engine_get_pending_count (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), 0);
  return self->pending_count;
}

GDateTime *
fest_sync_engine_get_last_sync (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), NULL);
  return self->last_sync;
}

gboolean
fest_sync_engine_get_syncing (FestSyncEngine *self)
{
  g_return_val_if_fail (FEST_IS_SYNC_ENGINE (self), FALSE);
  return self->syncing;
}

void
fest_sync_engine_start (FestSyncEngine *self)
{
  GNetworkMonitor *monitor;

  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  if (self->started)
    return;
  self->started = TRUE;
  _fest_sync_engine_update_probing (self);
  self->timer_id = g_timeout_add_seconds (self->interval_s, timer_cb, self);
  monitor = g_network_monitor_get_default ();
  self->network_changed_id = g_signal_connect (monitor, "network-changed",
                                               G_CALLBACK (_fest_sync_engine_network_changed_cb), self);
  fest_sync_engine_sync_now (self);
}

void
fest_sync_engine_stop (FestSyncEngine *self)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  _fest_sync_engine_update_probing (self);
  g_clear_handle_id (&self->timer_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  if (self->network_changed_id != 0)
    {
      g_signal_handler_disconnect (g_network_monitor_get_default (), self->network_changed_id);
      self->network_changed_id = 0;
    }
  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  if (self->cycle_cancellable != NULL)
    g_cancellable_cancel (self->cycle_cancellable);
}

void
fest_sync_engine_sync_now (FestSyncEngine *self)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));

  self->backoff_until = 0;
  if (self->syncing)
    {
      self->again = TRUE;
      return;
    }
  start_cycle (self);
}

void
fest_sync_engine_refresh_pending (FestSyncEngine *self)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));
  _fest_sync_engine_update_pending (self);
}

void
fest_sync_engine_sync_async (FestSyncEngine      *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_sync_engine_sync_async);
  if (self->next_tasks == NULL)
    self->next_tasks = g_ptr_array_new ();
  /* Waits for a cycle that starts after this call, so that it covers what was just queued. */
  g_ptr_array_add (self->next_tasks, task);
  if (!self->syncing)
    start_cycle (self);
}

gboolean
fest_sync_engine_sync_finish (FestSyncEngine  *self,
                              GAsyncResult    *result,
                              GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
