/* fest-event-stream.c: live events from /api/v1/events over a WebSocket, with reconnection
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-event-stream.h"
#include "fest-json.h"

#define BACKOFF_MIN_MS 1000
#define BACKOFF_MAX_MS 30000
#define KEEPALIVE_S 15

struct _FestEventStream
{
  GObject                  parent_instance;

  FestClient              *client;
  SoupWebsocketConnection *connection;
  GCancellable            *cancellable;
  FestEventStreamState     state;
  guint                    retry_id;
  guint                    backoff_ms;
};

G_DEFINE_FINAL_TYPE (FestEventStream, fest_event_stream, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CLIENT,
  PROP_STATE,
  N_PROPS
};

enum
{
  SIGNAL_EVENT,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void connect_now (FestEventStream *self);

static void
set_state (FestEventStream      *self,
           FestEventStreamState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
retry_cb (gpointer user_data)
{
  FestEventStream *self = user_data;

  self->retry_id = 0;
  connect_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_retry (FestEventStream *self)
{
  g_clear_handle_id (&self->retry_id, g_source_remove);
  self->retry_id = g_timeout_add (self->backoff_ms, retry_cb, self);
  self->backoff_ms = MIN (self->backoff_ms * 2, BACKOFF_MAX_MS);
  set_state (self, FEST_EVENT_STREAM_WAITING);
  if (fest_client_get_connection_state (self->client) == FEST_CONNECTION_ONLINE)
    fest_client_set_connection_state (self->client, FEST_CONNECTION_RECONNECTING);
}

static void
drop_connection (FestEventStream *self)
{
  if (self->connection == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->connection, self);
  if (soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&self->connection);
}

static void
message_cb (SoupWebsocketConnection *connection,
            gint                     type,
            GBytes                  *message,
            FestEventStream         *self)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *data;
  const char *name;
  gsize size = 0;
  const char *text = g_bytes_get_data (message, &size);

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;

  root = fest_json_parse (text, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return;

  object = json_node_get_object (root);
  name = json_object_get_string_member_with_default (object, "event", NULL);
  if (name == NULL)
    return;

  data = json_object_get_member (object, "data");
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, name, data);
}

static void
closed_cb (SoupWebsocketConnection *connection,
           FestEventStream         *self)
{
  g_debug ("Event stream closed (code %u)", soup_websocket_connection_get_close_code (connection));
  drop_connection (self);
  if (self->state != FEST_EVENT_STREAM_STOPPED)
    schedule_retry (self);
}

static void
error_cb (SoupWebsocketConnection *connection,
          GError                  *error,
          FestEventStream         *self)
{
  g_debug ("Event stream error: %s", error->message);
}

static void
websocket_connect_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  FestEventStream *self = user_data;
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *connection;

  connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (connection == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_debug ("Event stream could not connect: %s", error->message);
      schedule_retry (self);
      return;
    }

  self->connection = connection;
  self->backoff_ms = BACKOFF_MIN_MS;
  soup_websocket_connection_set_keepalive_interval (connection, KEEPALIVE_S);
  soup_websocket_connection_set_max_incoming_payload_size (connection, 1024 * 1024);
  g_signal_connect (connection, "message", G_CALLBACK (message_cb), self);
  g_signal_connect (connection, "closed", G_CALLBACK (closed_cb), self);
  g_signal_connect (connection, "error", G_CALLBACK (error_cb), self);
  set_state (self, FEST_EVENT_STREAM_CONNECTED);
  fest_client_set_connection_state (self->client, FEST_CONNECTION_ONLINE);
}

static void
connect_now (FestEventStream *self)
{
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) message = NULL;
  const char *token;

  g_clear_handle_id (&self->retry_id, g_source_remove);
  drop_connection (self);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  url = fest_client_build_url (self->client, "/events");
  /* ws:// and wss:// as libsoup expects them for a WebSocket handshake. */
  if (g_str_has_prefix (url, "http"))
    {
      char *ws_url = g_strconcat ("ws", url + 4, NULL);

      g_free (url);
      url = ws_url;
    }

  message = soup_message_new ("GET", url);
  if (message == NULL)
    {
      g_warning ("Invalid event stream URL %s", url);
      return;
    }

  token = fest_client_get_token (self->client);
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization",
                                    authorization);
    }

  set_state (self, FEST_EVENT_STREAM_CONNECTING);
  soup_session_websocket_connect_async (fest_client_get_session (self->client), message, NULL, NULL,
                                        G_PRIORITY_DEFAULT, self->cancellable,
                                        websocket_connect_cb, self);
}

static void
fest_event_stream_dispose (GObject *object)
{
  FestEventStream *self = FEST_EVENT_STREAM (object);

  fest_event_stream_stop (self);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (fest_event_stream_parent_class)->dispose (object);
}

static void
fest_event_stream_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FestEventStream *self = FEST_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_event_stream_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FestEventStream *self = FEST_EVENT_STREAM (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_event_stream_class_init (FestEventStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_event_stream_dispose;
  object_class->get_property = fest_event_stream_get_property;
  object_class->set_property = fest_event_stream_set_property;

  properties[PROP_CLIENT] =
    g_param_spec_object ("client", NULL, NULL, FEST_TYPE_CLIENT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, FEST_EVENT_STREAM_STOPPED, FEST_EVENT_STREAM_WAITING,
                      FEST_EVENT_STREAM_STOPPED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_EVENT] =
    g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING,
                  JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fest_event_stream_init (FestEventStream *self)
{
  self->backoff_ms = BACKOFF_MIN_MS;
}

FestEventStream *
fest_event_stream_new (FestClient *client)
{
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  return g_object_new (FEST_TYPE_EVENT_STREAM, "client", client, NULL);
}

FestClient *
fest_event_stream_get_client (FestEventStream *self)
{
  g_return_val_if_fail (FEST_IS_EVENT_STREAM (self), NULL);

  return self->client;
}

FestEventStreamState
fest_event_stream_get_state (FestEventStream *self)
{
  g_return_val_if_fail (FEST_IS_EVENT_STREAM (self), FEST_EVENT_STREAM_STOPPED);

  return self->state;
}

gboolean
fest_event_stream_is_connected (FestEventStream *self)
{
  g_return_val_if_fail (FEST_IS_EVENT_STREAM (self), FALSE);

  return self->state == FEST_EVENT_STREAM_CONNECTED;
}

void
fest_event_stream_start (FestEventStream *self)
{
  g_return_if_fail (FEST_IS_EVENT_STREAM (self));

  self->backoff_ms = BACKOFF_MIN_MS;
  connect_now (self);
}

void
fest_event_stream_stop (FestEventStream *self)
{
  g_return_if_fail (FEST_IS_EVENT_STREAM (self));

  g_clear_handle_id (&self->retry_id, g_source_remove);
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_connection (self);
  set_state (self, FEST_EVENT_STREAM_STOPPED);
}

void
fest_event_stream_reconnect_now (FestEventStream *self)
{
  g_return_if_fail (FEST_IS_EVENT_STREAM (self));

  if (self->state == FEST_EVENT_STREAM_WAITING)
    connect_now (self);
}
