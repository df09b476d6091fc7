/* fest-sync-engine.c: pushes a station's outbox to the server and pulls changes into its store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine.h"

#define DEFAULT_BATCH_SIZE      200
#define DEFAULT_INTERVAL_S      10
#define REQUEST_TIMEOUT_S       20
#define BACKOFF_MIN_MS          1000
#define BACKOFF_MAX_MS          60000
/* While the server is unreachable, a GET /health every PROBE_INTERVAL_MS (answered or given up
 * after PROBE_TIMEOUT_MS) brings the station back within seconds of the server, whatever the
 * sync backoff has grown to. A probe is a few hundred bytes: cheap for any number of stations. */
#define PROBE_INTERVAL_MS       1000
#define PROBE_TIMEOUT_MS        2000
/* Safety net: a cycle never loops forever on a server that acknowledges nothing. */
#define MAX_PUSH_ROUNDS         100000

struct _FestSyncEngine
{
  GObject           parent_instance;

  FestStationStore *store;
  SoupSession      *session;
  char             *base_url;
  char             *token;
  guint             batch_size;
  guint             interval_s;

  gboolean          online;
  gboolean          revoked;
  guint             pending_count;
  GDateTime        *last_sync;

  gboolean          started;
  guint             timer_id;
  guint             retry_id;
  gulong            network_changed_id;
  guint             failures;
  gint64            backoff_until;     /* monotonic µs; 0 = none */

  /* The cycle in flight, if any. */
  gboolean          syncing;
  gboolean          again;
  GCancellable     *cycle_cancellable;
  GPtrArray        *cycle_tasks;       /* GTask waiting for this cycle */
  GPtrArray        *next_tasks;        /* GTask waiting for the next cycle */
  guint             push_rounds;
  gboolean          bootstrapped;      /* festival parameters and ticket key fetched */
  GCancellable     *probe_cancellable;
  guint             probe_timer_id;    /* while unreachable */
  guint             probe_timeout_id;  /* the probe in flight gives up */
};

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

enum {
  SIGNAL_REJECTED,
  SIGNAL_SYNCED,
  SIGNAL_ALERTS,
  SIGNAL_PUSH_STARTED,
  SIGNAL_UNCONFIRMED_RESOLVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_cycle (FestSyncEngine *self);
static void push_next (FestSyncEngine *self);
static void pull_next (FestSyncEngine *self);
static void bootstrap (FestSyncEngine *self);
static void resolve_next (FestSyncEngine *self);
static void update_probing (FestSyncEngine *self);

/* Helpers */

static void
set_online (FestSyncEngine *self,
            gboolean        online)
{
  if (self->online == online)
    return;
  self->online = online;
  update_probing (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ONLINE]);
}

static void
set_revoked (FestSyncEngine *self,
             gboolean        revoked)
{
  if (self->revoked == revoked)
    return;
  self->revoked = revoked;
  update_probing (self);
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

static void
update_pending (FestSyncEngine *self)
{
  guint count = fest_station_store_count_pending (self->store);

  if (count == self->pending_count)
    return;
  self->pending_count = count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING_COUNT]);
}

static SoupMessage *
new_message (FestSyncEngine *self,
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
static JsonNode *
parse_envelope (SoupMessage  *message,
                GBytes       *bytes,
                GError      **error)
{
  guint status = soup_message_get_status (message);
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

static void
finish_cycle (FestSyncEngine *self,
              GError         *error)
{
  g_autoptr(GPtrArray) tasks = g_steal_pointer (&self->cycle_tasks);
  gboolean cancelled = error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  g_clear_object (&self->cycle_cancellable);
  update_pending (self);

  if (error == NULL)
    {
      self->failures = 0;
      self->backoff_until = 0;
      g_clear_handle_id (&self->retry_id, g_source_remove);
      set_online (self, TRUE);
      g_clear_pointer (&self->last_sync, g_date_time_unref);
      self->last_sync = g_date_time_new_now_utc ();
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
      g_signal_emit (self, signals[SIGNAL_SYNCED], 0);
    }
  else if (!cancelled && g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
    {
      /* The device token was revoked: retrying with it is pointless and noisy. Wait for a new one;
       * the outbox stays as it is. */
      g_debug ("Sync refused: the device token is no longer valid");
      set_online (self, TRUE);
      set_revoked (self, TRUE);
      g_clear_handle_id (&self->retry_id, g_source_remove);
    }
  else if (!cancelled)
    {
      g_debug ("Sync failed: %s", error->message);
      if (is_network_error (error))
        set_online (self, FALSE);
      else
        set_online (self, TRUE);
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
      finish_cycle (self, error);
      return;
    }

  if (soup_message_get_status (message) == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE &&
      self->batch_size > 1)
    {
      /* The server's body limit is smaller than our batch: halve it and go on. */
      self->batch_size = MAX (1, self->batch_size / 2);
      push_next (self);
      return;
    }

  data = parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  set_online (self, TRUE);

  if (JSON_NODE_HOLDS_OBJECT (data) &&
      json_object_has_member (json_node_get_object (data), "results") &&
      JSON_NODE_HOLDS_ARRAY (json_object_get_member (json_node_get_object (data), "results")))
    results = json_object_get_array_member (json_node_get_object (data), "results");
  else if (JSON_NODE_HOLDS_ARRAY (data))
    results = json_node_get_array (data);

  if (results == NULL)
    {
      finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                                               "The sync answer has no results"));
      return;
    }

  if (!fest_station_store_apply_results (self->store, results, &acked, &rejected, &error))
    {
      finish_cycle (self, error);
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
      g_signal_emit (self, signals[SIGNAL_REJECTED], 0,
                     json_object_get_string_member_with_default (item, "idempotency_key", ""),
                     err ? json_object_get_string_member_with_default (err, "code", "") : "",
                     err ? json_object_get_string_member_with_default (err, "message", "") : "");
    }

  update_pending (self);

  if (acked + rejected == 0)
    {
      finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_INTERNAL,
                                               "The server acknowledged none of the operations"));
      return;
    }
  push_next (self);
}

static void
push_next (FestSyncEngine *self)
{
  g_autoptr(GPtrArray) batch = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *device_id = NULL;
  SoupMessage *message;

  if (++self->push_rounds > MAX_PUSH_ROUNDS)
    {
      finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_INTERNAL,
                                               "Too many sync rounds"));
      return;
    }

  batch = fest_station_store_list_pending (self->store, self->batch_size);
  if (batch->len == 0)
    {
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
      JsonNode *payload = fest_json_parse (op->payload, -1, NULL);

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

  message = new_message (self, "POST", "/sync", body);
  if (message == NULL)
    {
      finish_cycle (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                       "Invalid server address %s", self->base_url));
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "push-message", message, g_object_unref);
  g_signal_emit (self, signals[SIGNAL_PUSH_STARTED], 0, batch->len);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, push_cb, g_object_ref (self));
}

/* Unconfirmed online attempts: once the outbox is pushed, ask the server whether each one landed
 * (GET /transactions?idempotency_key=). Only attempts older than UNCONFIRMED_SETTLE_S are asked
 * about, so that a request still crawling through the network cannot land after the answer. */

#define UNCONFIRMED_SETTLE_S 30

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
  if (bytes == NULL || (data = parse_envelope (message, bytes, &error)) == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (JSON_NODE_HOLDS_ARRAY (data) && json_array_get_length (json_node_get_array (data)) > 0)
    entity = fest_json_to_string (json_array_get_element (json_node_get_array (data), 0), NULL);
  if (!fest_station_store_resolve_unconfirmed (self->store, key, entity, &error))
    {
      finish_cycle (self, error);
      return;
    }
  g_signal_emit (self, signals[SIGNAL_UNCONFIRMED_RESOLVED], 0, key, entity != NULL);
  resolve_next (self);
}

/* UNCONFIRMED_SETTLE_S, or $FESTIVALS_UNCONFIRMED_SETTLE_S (tests). */
static gint64
unconfirmed_settle_s (void)
{
  const char *text = g_getenv ("FESTIVALS_UNCONFIRMED_SETTLE_S");

  return text != NULL ? g_ascii_strtoll (text, NULL, 10) : UNCONFIRMED_SETTLE_S;
}

static void
resolve_next (FestSyncEngine *self)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_unconfirmed (self->store);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 settle_s = unconfirmed_settle_s ();

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
      message = new_message (self, "GET", path, NULL);
      if (message == NULL)
        break;
      g_object_set_data_full (G_OBJECT (self), "resolve-message", message, g_object_unref);
      g_object_set_data_full (G_OBJECT (self), "resolve-key", g_strdup (op->idempotency_key), g_free);
      soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                        self->cycle_cancellable, resolve_cb, g_object_ref (self));
      return;
    }
  bootstrap (self);
}

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
          set_online (self, FALSE);
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
      set_online (self, FALSE);
      if (data->timed_out)
        {
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "The server did not answer in time");
        }
      online_return_error (task, FEST_ONLINE_UNCERTAIN, error);
      return;
    }

  status = soup_message_get_status (data->message);
  entity = parse_envelope (data->message, bytes, &error);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      set_revoked (self, TRUE);
      g_clear_error (&error);
      online_return_error (task, FEST_ONLINE_REVOKED,
                           g_error_new_literal (FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                                                "This station's device token was revoked"));
      return;
    }
  set_online (self, TRUE);
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
  data->message = new_message (self, "POST", "/transactions", NULL);
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

/* Bootstrap: the festival's currency, exchange rate and offline allowance, and the ticket public
 * key, fetched once per engine (they are not part of /sync/changes). */

static void
store_setting_from (FestSyncEngine *self,
                    JsonObject     *object,
                    const char     *member,
                    const char     *key)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *value = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    value = g_strdup (json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    return;
  fest_station_store_set_setting (self->store, key, value, NULL);
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (self), "key-message");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  data = parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      /* Not fatal: a cashier may not need the ticket key. */
      g_debug ("No ticket key: %s", error->message);
      g_clear_error (&error);
    }
  else if (JSON_NODE_HOLDS_OBJECT (data))
    {
      store_setting_from (self, json_node_get_object (data), "public_key",
                          FEST_STATION_KEY_TICKET_KEY);
      self->bootstrapped = TRUE;
    }
  pull_next (self);
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (self), "festival-message");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  SoupMessage *next;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  data = parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      g_debug ("No festival parameters: %s", error->message);
      g_clear_error (&error);
    }
  else if (JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *festival = json_node_get_object (data);

      store_setting_from (self, festival, "currency_name", FEST_STATION_KEY_CURRENCY_NAME);
      store_setting_from (self, festival, "exchange_rate_cents", FEST_STATION_KEY_EXCHANGE_RATE);
      store_setting_from (self, festival, "offline_allowance", FEST_STATION_KEY_OFFLINE_ALLOWANCE);
      store_setting_from (self, festival, "name", "festival_name");
      if (json_object_has_member (festival, "location") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (festival, "location")))
        {
          JsonObject *location = json_object_get_object_member (festival, "location");
          char text[G_ASCII_DTOSTR_BUF_SIZE];

          if (json_object_has_member (location, "lat") && json_object_has_member (location, "lng") &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (location, "lat")) &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (location, "lng")))
            {
              g_ascii_dtostr (text, sizeof text, json_object_get_double_member (location, "lat"));
              fest_station_store_set_setting (self->store, "festival_lat", text, NULL);
              g_ascii_dtostr (text, sizeof text, json_object_get_double_member (location, "lng"));
              fest_station_store_set_setting (self->store, "festival_lng", text, NULL);
            }
        }
    }

  next = new_message (self, "GET", "/ticket-key", NULL);
  g_object_set_data_full (G_OBJECT (self), "key-message", next, g_object_unref);
  soup_session_send_and_read_async (self->session, next, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, key_cb, g_object_ref (self));
}

static void
bootstrap (FestSyncEngine *self)
{
  g_autofree char *festival_id = NULL;
  g_autofree char *path = NULL;
  SoupMessage *message;

  festival_id = fest_station_store_get_setting (self->store, FEST_STATION_KEY_FESTIVAL_ID);
  if (self->bootstrapped || festival_id == NULL)
    {
      pull_next (self);
      return;
    }
  path = g_strdup_printf ("/festivals/%s", festival_id);
  message = new_message (self, "GET", path, NULL);
  if (message == NULL)
    {
      pull_next (self);
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "festival-message", message, g_object_unref);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, festival_cb, g_object_ref (self));
}

/* Pull */

static void
apply_changes_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  FestSyncEngine *self = source_object;
  JsonNode *data = task_data;
  GError *error = NULL;
  guint n_alerts = 0;

  if (!fest_station_store_apply_changes (self->store, json_node_get_object (data), &n_alerts,
                                         &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n_alerts);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FestSyncEngine *self = FEST_SYNC_ENGINE (source);
  JsonNode *data = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gssize n_alerts;
  gboolean has_more;

  n_alerts = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (n_alerts > 0)
    g_signal_emit (self, signals[SIGNAL_ALERTS], 0, (guint) n_alerts);

  has_more = json_object_get_boolean_member_with_default (json_node_get_object (data), "has_more",
                                                          FALSE);
  if (has_more && GPOINTER_TO_INT (user_data))
    pull_next (self);
  else
    finish_cycle (self, NULL);
}

static void
pull_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *old_cursor = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  const char *new_cursor;
  gboolean advanced;

  message = g_object_steal_data (G_OBJECT (self), "pull-message");
  old_cursor = g_object_steal_data (G_OBJECT (self), "pull-cursor");
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  data = parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      finish_cycle (self, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      finish_cycle (self, g_error_new_literal (FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                                               "The changes answer is not an object"));
      return;
    }
  set_online (self, TRUE);

  /* has_more without progress would loop: stop after this page. */
  new_cursor = json_object_get_string_member_with_default (json_node_get_object (data), "cursor",
                                                           NULL);
  advanced = new_cursor != NULL && g_strcmp0 (new_cursor, old_cursor) != 0;

  task = g_task_new (self, self->cycle_cancellable, applied_cb, GINT_TO_POINTER (advanced));
  g_task_set_source_tag (task, pull_cb);
  g_task_set_task_data (task, g_steal_pointer (&data), (GDestroyNotify) json_node_unref);
  g_task_run_in_thread (task, apply_changes_thread);
}

static void
pull_next (FestSyncEngine *self)
{
  g_autofree char *cursor = fest_station_store_get_cursor (self->store);
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
  g_autofree char *path = g_strdup_printf ("/sync/changes?since=%s&limit=500", escaped);
  SoupMessage *message = new_message (self, "GET", path, NULL);

  if (message == NULL)
    {
      finish_cycle (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                       "Invalid server address %s", self->base_url));
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "pull-message", message, g_object_unref);
  g_object_set_data_full (G_OBJECT (self), "pull-cursor", g_steal_pointer (&cursor), g_free);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, pull_cb, g_object_ref (self));
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
  push_next (self);
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

typedef struct
{
  FestSyncEngine *self;      /* owned */
  SoupMessage    *message;   /* owned */
} Probe;

static void
probe_free (Probe *probe)
{
  g_object_unref (probe->self);
  g_object_unref (probe->message);
  g_free (probe);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Probe, probe_free)

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Probe) probe = user_data;
  FestSyncEngine *self = probe->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  /* Cancelled with its time-out still pending: replaced by a newer probe, or the engine
   * stopped. Cancelled by its time-out: a failed probe. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && (self->probe_timeout_id != 0 || !self->started))
    return;
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  if (bytes == NULL || soup_message_get_status (probe->message) != SOUP_STATUS_OK)
    {
      set_online (self, FALSE);
      return;
    }
  /* Reachable again: sync now, not at the end of the backoff. */
  fest_sync_engine_sync_now (self);
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  /* probe_cb sees the cancellation with no timeout pending: a failed probe. */
  self->probe_timeout_id = 0;
  g_cancellable_cancel (self->probe_cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_server (FestSyncEngine *self)
{
  SoupMessage *message;
  Probe *probe;

  if (self->base_url == NULL)
    return;

  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  self->probe_cancellable = g_cancellable_new ();
  message = new_message (self, "GET", "/health", NULL);
  if (message == NULL)
    return;
  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->message = message;
  self->probe_timeout_id = g_timeout_add (PROBE_TIMEOUT_MS, probe_timeout_cb, self);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->probe_cancellable, probe_cb, probe);
}

static gboolean
probe_timer_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  if (!self->syncing && self->probe_timeout_id == 0)
    probe_server (self);
  return G_SOURCE_CONTINUE;
}

/* Probes run while a started engine cannot reach its server (and its token is still valid). */
static void
update_probing (FestSyncEngine *self)
{
  gboolean want = self->started && !self->online && !self->revoked;

  if (want && self->probe_timer_id == 0)
    self->probe_timer_id = g_timeout_add (PROBE_INTERVAL_MS, probe_timer_cb, self);
  else if (!want)
    g_clear_handle_id (&self->probe_timer_id, g_source_remove);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    gpointer         user_data)
{
  FestSyncEngine *self = user_data;

  if (!available)
    {
      set_online (self, FALSE);
      return;
    }
  probe_server (self);
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
  signals[SIGNAL_UNCONFIRMED_RESOLVED] =
    g_signal_new ("unconfirmed-resolved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_BOOLEAN);

  /* (idempotency_key, error code, error message) of an op the server refused. */
  signals[SIGNAL_REJECTED] =
    g_signal_new ("rejected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  signals[SIGNAL_SYNCED] =
    g_signal_new ("synced", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* New alerts were pulled (fest_station_store_take_new_alerts). */
  signals[SIGNAL_ALERTS] =
    g_signal_new ("alerts", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT);
  /* A batch of n ops is about to be sent (tests use it to crash things mid-flight). */
  signals[SIGNAL_PUSH_STARTED] =
    g_signal_new ("push-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
fest_sync_engine_init (FestSyncEngine *self)
{
  self->batch_size = DEFAULT_BATCH_SIZE;
  self->interval_s = DEFAULT_INTERVAL_S;
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
      set_revoked (self, FALSE);
      self->failures = 0;
      if (self->started)
        fest_sync_engine_sync_now (self);
    }
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
  update_probing (self);
  self->timer_id = g_timeout_add_seconds (self->interval_s, timer_cb, self);
  monitor = g_network_monitor_get_default ();
  self->network_changed_id = g_signal_connect (monitor, "network-changed",
                                               G_CALLBACK (network_changed_cb), self);
  fest_sync_engine_sync_now (self);
}

void
fest_sync_engine_stop (FestSyncEngine *self)
{
  g_return_if_fail (FEST_IS_SYNC_ENGINE (self));

  self->started = FALSE;
  update_probing (self);
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
  update_pending (self);
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
