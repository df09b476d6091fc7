/* fest-server-dispatch.c: the request path: the /api/v1 handler, WebSocket routes, and the
 * per-message bookkeeping (requests in flight, body limits, refusals sent before the body)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Request path: SoupServer "request-started" attaches a small per-message state; "got-headers"
 * counts the request as in flight and enforces the body limit from Content-Length (413 before
 * a byte of the body is buffered, sent at once: see reply_before_body()), "got-chunk" caps bodies
 * without a length; the /api/v1 handler matches the route, authenticates the bearer token
 * (cached, see fest-platform-store.h), checks the festival and the permission, applies the rate
 * limit (fest-server-auth.c) and calls the handler; "finished" ends the request.
 */

#include "config.h"

#include <string.h>

#include "fest-server-internal.h"

/* Per message, attached at "request-started". */
typedef struct
{
  FestServer *server;
  gsize       max_body;
  gsize       received;
  gint64      started;
  gboolean    counted;    /* counted in in_flight */
  gboolean    rejected;   /* answered before its body was read */
} MessageState;

static GQuark state_quark;
static GQuark request_quark;

static void
reply_not_found (SoupServerMessage *msg)
{
  _fest_message_reply_error (msg, FEST_ERROR_NOT_FOUND, "No such route", NULL);
}

static void
api_handler_cb (SoupServer        *soup,
                SoupServerMessage *msg,
                const char        *full_path,
                GHashTable        *query,
                gpointer           user_data)
{
  FestServer *self = user_data;
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GString) allow = g_string_new (NULL);
  g_autoptr(FestRequest) req = NULL;
  GHashTable *params = NULL;
  const FestRoute *route;
  gboolean path_known = FALSE;

  if (!g_str_has_prefix (path, API_PREFIX) || path[strlen (API_PREFIX)] != '/')
    {
      reply_not_found (msg);
      return;
    }
  path += strlen (API_PREFIX);

  route = _fest_router_match (self->router, method, path, &params, &path_known, allow);
  if (route == NULL || (route->flags & FEST_ROUTE_WEBSOCKET))
    {
      if (path_known)
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        allow->str);
          _fest_message_reply_error (msg, FEST_ERROR_METHOD_NOT_ALLOWED,
                                     "Method not allowed on this route", NULL);
        }
      else
        reply_not_found (msg);
      if (params != NULL)
        g_hash_table_unref (params);
      return;
    }

  req = _fest_request_new (self, msg, path);
  _fest_request_set_params (req, params);

  if (!_fest_server_authorize (self, req, route))
    return;

  route->handler (req);

  if (!fest_request_has_replied (req) && !_fest_request_is_paused (req))
    {
      g_critical ("Handler of %s %s returned without replying", method, route->pattern);
      fest_request_reply_error (req, FEST_ERROR_INTERNAL, "Internal error", NULL);
    }
}

static void
default_handler_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    const char        *path,
                    GHashTable        *query,
                    gpointer           user_data)
{
  reply_not_found (msg);
}

/* WebSocket routes */

typedef struct
{
  FestServer *server;
  FestRoute  *route;
} WebsocketRoute;

static void
websocket_pre_cb (SoupServer        *soup,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  WebsocketRoute *ws = user_data;
  g_autoptr(FestRequest) req = NULL;

  if (!g_str_equal (soup_server_message_get_method (msg), "GET"))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", "GET");
      _fest_message_reply_error (msg, FEST_ERROR_METHOD_NOT_ALLOWED, "Method not allowed", NULL);
      return;
    }

  if (!g_str_equal (path, API_PREFIX) && !g_str_has_suffix (path, ws->route->pattern))
    {
      reply_not_found (msg);
      return;
    }

  req = _fest_request_new (ws->server, msg, path + strlen (API_PREFIX));
  if (!_fest_server_authorize (ws->server, req, ws->route))
    return;

  /* No status set: libsoup goes on with the handshake, then calls websocket_cb. */
  g_object_set_qdata_full (G_OBJECT (msg), request_quark, fest_request_ref (req),
                           (GDestroyNotify) fest_request_unref);
}

static void
websocket_cb (SoupServer              *soup,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  WebsocketRoute *ws = user_data;
  MessageState *state = g_object_get_qdata (G_OBJECT (msg), state_quark);
  /* Taken off the message: the request holds the message, and a stolen message never emits
   * "finished", so the pair would keep each other (and libsoup's socket, and ours) forever. */
  g_autoptr(FestRequest) req = g_object_steal_qdata (G_OBJECT (msg), request_quark);

  /* Pings check the peer from now on. */
  fest_net_message_keep_alive (msg);
  fest_net_message_set_busy (msg, FALSE);

  /* A stolen connection never emits "finished". */
  if (state != NULL)
    {
      if (state->counted)
        {
          state->counted = FALSE;
          _fest_server_request_done (ws->server);
        }
    }

  if (req == NULL)
    {
      soup_websocket_connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, NULL);
      return;
    }

  ws->route->ws_handler (req, connection);
}

static void
install_websocket_routes (FestServer *self)
{
  GPtrArray *routes = _fest_router_get_routes (self->router);

  for (guint i = 0; i < routes->len; i++)
    {
      FestRoute *route = g_ptr_array_index (routes, i);
      g_autofree char *full = NULL;
      WebsocketRoute *ws;

      if (!(route->flags & FEST_ROUTE_WEBSOCKET) || route->ws_handler == NULL)
        continue;

      if (strchr (route->pattern, '{') != NULL)
        {
          g_critical ("WebSocket route %s: parameters are not supported", route->pattern);
          continue;
        }

      full = g_strconcat (API_PREFIX, route->pattern, NULL);
      ws = g_new0 (WebsocketRoute, 1);
      ws->server = self;
      ws->route = route;
      soup_server_add_handler (self->soup, full, websocket_pre_cb, ws, g_free);
      soup_server_add_websocket_handler (self->soup, full, NULL, NULL, websocket_cb, ws, NULL);
    }
}

/* Per-message bookkeeping */

static gsize
route_body_limit (FestServer        *self,
                  SoupServerMessage *msg)
{
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  const FestRoute *route;

  if (path != NULL && g_str_has_prefix (path, API_PREFIX))
    {
      route = _fest_router_match (self->router, soup_server_message_get_method (msg),
                                  path + strlen (API_PREFIX), NULL, NULL, NULL);
      if (route != NULL && route->max_body > 0)
        return route->max_body;
    }

  return self->config.max_body_size;
}

static void
reject_body (MessageState      *state,
             SoupServerMessage *msg)
{
  SoupMessageBody *body = soup_server_message_get_request_body (msg);
  JsonNode *details = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  state->rejected = TRUE;
  /* Whatever still arrives is read and dropped, never kept; then the connection closes. */
  soup_message_body_set_accumulate (body, FALSE);
  soup_message_body_truncate (body);

  json_object_set_int_member (object, "max_bytes", state->max_body);
  json_node_take_object (details, object);
  _fest_message_reply_error (msg, FEST_ERROR_PAYLOAD_TOO_LARGE, "Request body too large", details);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
}

static void
reply_now_written_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GIOStream) stream = user_data;

  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  g_io_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
}

/* libsoup 3.2 reads a request's whole body before it sends the response (unless the client sent
 * "Expect: 100-continue"): the refusal of a body announced too large would wait for all of it,
 * or for the idle timeout when the client sends nothing. The response set on @msg goes out now
 * instead, on the connection taken from libsoup, which then closes. */
static void
reply_before_body (MessageState      *state,
                   SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_response_body (msg));
  guint status = soup_server_message_get_status (msg);
  GString *text = g_string_new (NULL);
  SoupMessageHeadersIter iter;
  const char *name, *value;
  GIOStream *stream;
  GBytes *response;

  soup_message_headers_set_content_length (headers, g_bytes_get_size (body));
  g_string_append_printf (text, "HTTP/1.%c %u %s\r\n",
                          soup_server_message_get_http_version (msg) == SOUP_HTTP_1_0 ? '0' : '1',
                          status, soup_status_get_phrase (status));
  soup_message_headers_iter_init (&iter, headers);
  while (soup_message_headers_iter_next (&iter, &name, &value))
    g_string_append_printf (text, "%s: %s\r\n", name, value);
  g_string_append (text, "\r\n");
  g_string_append_len (text, g_bytes_get_data (body, NULL), (gssize) g_bytes_get_size (body));
  response = g_string_free_to_bytes (text);

  /* The body the client may already be sending must not turn the close into a reset. */
  fest_net_message_close_gracefully (msg);
  /* A stolen message never emits "finished". */
  if (state->counted)
    {
      state->counted = FALSE;
      _fest_server_request_done (state->server);
    }

  stream = soup_server_message_steal_connection (msg);
  if (stream == NULL)
    {
      g_bytes_unref (response);
      return;
    }
  g_object_set_data_full (G_OBJECT (stream), "fest-response", response,
                          (GDestroyNotify) g_bytes_unref);
  g_output_stream_write_all_async (g_io_stream_get_output_stream (stream),
                                   g_bytes_get_data (response, NULL), g_bytes_get_size (response),
                                   G_PRIORITY_DEFAULT, NULL, reply_now_written_cb, stream);
}

static void
got_headers_cb (SoupServerMessage *msg,
                MessageState      *state)
{
  FestServer *self = state->server;
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  state->started = g_get_monotonic_time ();
  state->counted = TRUE;
  self->in_flight++;
  fest_net_message_set_busy (msg, TRUE);

  if (self->shutting_down)
    {
      static const char body[] =
        "{\"error\":{\"code\":\"SERVICE_UNAVAILABLE\",\"message\":\"The server is shutting down\"}}";

      state->rejected = TRUE;
      soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
      soup_server_message_set_status (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_STATIC,
                                        body, strlen (body));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
      return;
    }

  /* Cheap path first: no body announced. */
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_NONE)
    {
      state->max_body = self->config.max_body_size;
      return;
    }

  state->max_body = route_body_limit (self, msg);

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > state->max_body)
    {
      reject_body (state, msg);
      reply_before_body (state, msg);
    }
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              MessageState      *state)
{
  if (state->rejected)
    return;

  state->received += g_bytes_get_size (chunk);
  if (state->received > state->max_body)
    reject_body (state, msg);
}

static void
finished_cb (SoupServerMessage *msg,
             MessageState      *state)
{
  fest_net_message_set_busy (msg, FALSE);
  /* A WebSocket handshake that failed: its request would keep the message alive. */
  g_object_set_qdata (G_OBJECT (msg), request_quark, NULL);

  if (!state->counted)
    return;

  state->counted = FALSE;
  /* g_debug formats its message before the log writer drops it. */
  if (!g_log_writer_default_would_drop (G_LOG_LEVEL_DEBUG, G_LOG_DOMAIN))
    g_debug ("%s %s %u %.1f ms", soup_server_message_get_method (msg),
             g_uri_get_path (soup_server_message_get_uri (msg)), soup_server_message_get_status (msg),
             (g_get_monotonic_time () - state->started) / 1000.0);
  _fest_server_request_done (state->server);
}

static void
request_started_cb (SoupServer        *soup,
                    SoupServerMessage *msg,
                    FestServer        *self)
{
  MessageState *state = g_new0 (MessageState, 1);

  state->server = self;
  state->max_body = self->config.max_body_size;

  g_object_set_qdata_full (G_OBJECT (msg), state_quark, state, g_free);
  g_signal_connect (msg, "got-headers", G_CALLBACK (got_headers_cb), state);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), state);
  g_signal_connect (msg, "finished", G_CALLBACK (finished_cb), state);
}

void
_fest_server_install_handlers (FestServer *self)
{
  state_quark = g_quark_from_static_string ("fest-message-state");
  request_quark = g_quark_from_static_string ("fest-websocket-request");

  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->soup, NULL, default_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, API_PREFIX, api_handler_cb, self, NULL);
  install_websocket_routes (self);
}
