/* fest-server.c: the festivals-server: SoupServer, route dispatch, stores, events
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Request path: SoupServer "request-started" attaches a small per-message state; "got-headers"
 * counts the request as in flight and enforces the body limit from Content-Length (413 before
 * a byte of the body is buffered, sent at once: see reply_before_body()), "got-chunk" caps bodies without a length; the /api/v1 handler
 * matches the route, authenticates the bearer token (cached, see fest-platform-store.h), checks
 * the festival and the permission, applies the rate limit and calls the handler; "finished"
 * ends the request.
 *
 * Connections: the listening sockets and every accepted connection belong to a FestNet
 * (fest-net.h): one epoll set, streams handed to libsoup with soup_server_accept_iostream(), idle
 * timeouts, header deadlines, per-address caps and the clean-up of connections their clients
 * closed. "got-headers" and "finished"
 * tell it when a request is under way; a WebSocket leaves its idle timeouts.
 *
 * Shutdown: stop accepting (the listening sockets are closed), answer 503 to requests that arrive
 * on already open connections, wait until every request in flight has been answered (a paused
 * request waiting for its group commit included), then disconnect and close every store.
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fest-net.h"
#include "fest-payment-provider.h"
#include "fest-rate-limit.h"
#include "fest-request-private.h"
#include "fest-router-private.h"
#include "fest-server-private.h"

#define API_PREFIX "/api/v1"
#define DEFAULT_MAX_BODY       (1024 * 1024)
#define DEFAULT_IDLE_TIMEOUT_S 60
#define DEFAULT_HEADER_TIMEOUT_S 15
#define DEFAULT_MAX_CLIENT_CONNECTIONS 128
/* Request line and headers: libsoup 3.2 resets the connection above 64 KiB; below, a 431. */
#define MAX_HEADER_BYTES       (32 * 1024)
#define SHUTDOWN_GRACE_S       30

typedef struct
{
  guint          id;
  FestEventSink  sink;
  gpointer       user_data;
  GDestroyNotify destroy;
} EventSink;

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

struct _FestServer
{
  GObject            parent_instance;

  FestServerConfig   config;
  SoupServer        *soup;
  FestNet           *net;
  GSocket           *anchor_peer;    /* see add_keepalive_listener() */
  GTlsCertificate   *tls_certificate;
  FestRouter        *router;
  FestPlatformStore *platform;
  GHashTable        *stores;         /* festival id → FestFestivalStore */
  FestRateLimiter   *limiter;        /* NULL when rate limiting is off */
  FestPaymentProvider *payment_provider; /* NULL: online top-ups are refused */
  GPtrArray         *trusted_proxies; /* of GInetAddressMask */
  GArray            *sinks;          /* of EventSink */
  guint              next_sink_id;
  char              *uri;

  guint              in_flight;
  gboolean           shutting_down;
  GTask             *shutdown_task;
  guint              shutdown_timeout_id;
  guint              prune_id;
};

G_DEFINE_FINAL_TYPE (FestServer, fest_server, G_TYPE_OBJECT)

static GQuark state_quark;
static GQuark request_quark;

static void finish_shutdown (FestServer *self);

static void
request_done (FestServer *self)
{
  g_assert (self->in_flight > 0);
  self->in_flight--;

  if (self->in_flight == 0 && self->shutting_down && self->shutdown_task != NULL)
    finish_shutdown (self);
}

/* Dispatch */

/* @allow_query_token: whether ?access_token= may stand in for the header. Only the WebSocket
 * upgrade needs it: a token in a URL ends up in proxy logs, browser history and Referer headers. */
static FestAuthEntry *
resolve_bearer (FestServer         *self,
                SoupServerMessage  *msg,
                gboolean            allow_query_token,
                gboolean           *sent,
                GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *query_token = NULL;
  const char *token = NULL;
  FestAuthEntry *entry;

  *sent = FALSE;

  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
        {
          *sent = TRUE;
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                       "Use an Authorization: Bearer token");
          return NULL;
        }
      token = authorization + 7;
      while (*token == ' ')
        token++;
    }
  else
    {
      /* Browsers cannot set headers on a WebSocket: accept ?access_token= there too. */
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

      if (query != NULL && strstr (query, "access_token=") != NULL && !allow_query_token)
        {
          *sent = TRUE;
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                       "Send the token in an Authorization: Bearer header (?access_token= is "
                       "only accepted on the /events WebSocket)");
          return NULL;
        }
      if (query != NULL && strstr (query, "access_token=") != NULL)
        {
          g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM,
                                                             NULL);
          if (params != NULL)
            query_token = g_strdup (g_hash_table_lookup (params, "access_token"));
          token = query_token;
        }
    }

  if (token == NULL)
    return NULL;

  *sent = TRUE;
  entry = fest_platform_store_resolve_token (self->platform, token, error);
  if (entry == NULL)
    return NULL;

  if (entry->auth.festival_id != NULL && entry->auth.store == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      entry->auth.store = fest_server_get_festival_store (self, entry->auth.festival_id,
                                                          &local_error);
      /* A full or failing disk (opening takes a write, for the WAL index): the client must retry
       * (503), not be told that it has no festival and should log in again. */
      if (entry->auth.store == NULL
          && (g_error_matches (local_error, FEST_STORE_ERROR, FEST_STORE_ERROR_DISK_FULL)
              || g_error_matches (local_error, FEST_STORE_ERROR, FEST_STORE_ERROR_IO)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          fest_auth_entry_unref (entry);
          return NULL;
        }
      if (entry->auth.store == NULL)
        g_warning ("Festival %s of a token cannot be opened: %s", entry->auth.festival_id,
                   local_error->message);
    }

  return entry;
}

/* Authenticates @req for @route; replies and returns FALSE when it may not go on. */
static gboolean
authorize (FestServer      *self,
           FestRequest     *req,
           const FestRoute *route)
{
  SoupServerMessage *msg = fest_request_get_message (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAuthEntry) entry = NULL;
  gboolean sent = FALSE;

  entry = resolve_bearer (self, msg, route->ws_handler != NULL, &sent, &error);
  if (entry == NULL && !(route->flags & FEST_ROUTE_PUBLIC))
    {
      if (!sent)
        fest_request_reply_error (req, FEST_ERROR_UNAUTHENTICATED, "Authentication required", NULL);
      else if (error != NULL && (error->domain == FEST_ERROR || error->domain == FEST_STORE_ERROR))
        fest_request_reply_gerror (req, error);
      else
        {
          if (error != NULL)
            g_warning ("Token lookup failed: %s", error->message);
          fest_request_reply_error (req, FEST_ERROR_INTERNAL, "Internal error", NULL);
        }
      return FALSE;
    }

  _fest_request_set_auth (req, entry);

  if ((route->flags & FEST_ROUTE_FESTIVAL)
      && (entry == NULL || entry->auth.festival_id == NULL || entry->auth.store == NULL))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND,
                                "No current festival: log in to one or switch with POST "
                                "/auth/festival", NULL);
      return FALSE;
    }

  if (route->permission != FEST_PERM_NONE
      && !fest_roles_allow (entry != NULL ? entry->auth.roles : 0, route->permission))
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN,
                                "Your role does not allow this action", NULL);
      return FALSE;
    }

  if (self->limiter != NULL)
    {
      const char *client;
      guint retry_after = 1;

      if (entry == NULL)
        client = _fest_request_get_ip (req);
      else
        client = entry->auth.token_hash;

      /* Logins are throttled by their handler, per account and per address. */
      if (route->rate_class != FEST_RATE_CLASS_LOGIN
          && !fest_rate_limiter_check (self->limiter, route->rate_class, client,
                                       entry != NULL && entry->auth.device_id != NULL,
                                       &retry_after))
        {
          _fest_request_reply_rate_limited (req, retry_after);
          return FALSE;
        }
    }

  return TRUE;
}

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

  if (!authorize (self, req, route))
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
  if (!authorize (ws->server, req, ws->route))
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
          request_done (ws->server);
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
      request_done (state->server);
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
  request_done (state->server);
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

/* Stores and events */

static void
store_event_cb (FestFestivalStore *store,
                const char        *name,
                JsonNode          *data,
                FestServer        *self)
{
  const char *festival_id = g_object_get_data (G_OBJECT (store), "fest-festival-id");

  fest_server_broadcast (self, festival_id, name, json_node_ref (data));
}

static FestFestivalStore *
adopt_store (FestServer        *self,
             const char        *festival_id,
             FestFestivalStore *store)
{
  g_object_set_data_full (G_OBJECT (store), "fest-festival-id", g_strdup (festival_id), g_free);
  g_signal_connect_object (store, "event", G_CALLBACK (store_event_cb), self, 0);
  g_hash_table_insert (self->stores, g_strdup (festival_id), store);
  return store;
}

char *
_fest_server_festival_path (FestServer *self,
                            const char *festival_id)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.db", festival_id);

  return g_build_filename (self->config.data_dir, name, NULL);
}

FestFestivalStore *
fest_server_get_festival_store (FestServer  *self,
                                const char  *festival_id,
                                GError     **error)
{
  g_autofree char *path = NULL;
  FestFestivalStore *store;

  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  if (festival_id == NULL || !fest_uuid_is_valid (festival_id))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }

  store = g_hash_table_lookup (self->stores, festival_id);
  if (store != NULL)
    return store;

  if (self->shutting_down && self->shutdown_task == NULL)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }

  path = _fest_server_festival_path (self, festival_id);
  if (!fest_platform_store_has_festival (self->platform, festival_id)
      || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }

  store = fest_festival_store_open (path, error);
  if (store == NULL)
    return NULL;

  return adopt_store (self, festival_id, store);
}

FestFestivalStore *
_fest_server_create_festival (FestServer  *self,
                              const char  *festival_id,
                              GError     **error)
{
  g_autofree char *path = _fest_server_festival_path (self, festival_id);
  FestFestivalStore *store;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Festival database exists");
      return NULL;
    }

  store = fest_festival_store_open (path, error);
  if (store == NULL)
    return NULL;

  return adopt_store (self, festival_id, store);
}

void
_fest_server_discard_festival (FestServer *self,
                               const char *festival_id)
{
  g_autofree char *path = _fest_server_festival_path (self, festival_id);
  FestFestivalStore *store = g_hash_table_lookup (self->stores, festival_id);
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (store != NULL)
    {
      fest_festival_store_close (store);
      g_hash_table_remove (self->stores, festival_id);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

void
fest_server_broadcast (FestServer *self,
                       const char *festival_id,
                       const char *event,
                       JsonNode   *data)
{
  g_return_if_fail (FEST_IS_SERVER (self));

  for (guint i = 0; i < self->sinks->len; i++)
    {
      EventSink *sink = &g_array_index (self->sinks, EventSink, i);
      sink->sink (self, festival_id, event, data, sink->user_data);
    }

  if (data != NULL)
    json_node_unref (data);
}

guint
fest_server_add_event_sink (FestServer     *self,
                            FestEventSink   sink,
                            gpointer        user_data,
                            GDestroyNotify  destroy)
{
  EventSink entry = { ++self->next_sink_id, sink, user_data, destroy };

  g_return_val_if_fail (FEST_IS_SERVER (self), 0);
  g_return_val_if_fail (sink != NULL, 0);

  g_array_append_val (self->sinks, entry);
  return entry.id;
}

void
fest_server_remove_event_sink (FestServer *self,
                               guint       sink_id)
{
  g_return_if_fail (FEST_IS_SERVER (self));

  for (guint i = 0; i < self->sinks->len; i++)
    {
      EventSink *sink = &g_array_index (self->sinks, EventSink, i);

      if (sink->id == sink_id)
        {
          EventSink copy = *sink;

          g_array_remove_index (self->sinks, i);
          if (copy.destroy != NULL)
            copy.destroy (copy.user_data);
          return;
        }
    }
}

/* Lifecycle */

static gboolean
prune_cb (gpointer user_data)
{
  FestServer *self = user_data;

  fest_rate_limiter_prune (self->limiter);
  return G_SOURCE_CONTINUE;
}

static void
close_stores (FestServer *self)
{
  GHashTableIter iter;
  FestFestivalStore *store;

  g_hash_table_iter_init (&iter, self->stores);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &store))
    fest_festival_store_close (store);
}

static void
fest_server_dispose (GObject *object)
{
  FestServer *self = (FestServer *) object;

  g_clear_handle_id (&self->prune_id, g_source_remove);
  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);

  if (self->soup != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->soup, self);
      soup_server_disconnect (self->soup);
      g_clear_object (&self->soup);
    }
  g_clear_pointer (&self->net, fest_net_free);
  g_clear_object (&self->anchor_peer);
  g_clear_object (&self->tls_certificate);
  g_clear_object (&self->payment_provider);

  if (self->sinks != NULL)
    {
      for (guint i = 0; i < self->sinks->len; i++)
        {
          EventSink *sink = &g_array_index (self->sinks, EventSink, i);
          if (sink->destroy != NULL)
            sink->destroy (sink->user_data);
        }
      g_clear_pointer (&self->sinks, g_array_unref);
    }

  if (self->stores != NULL)
    {
      close_stores (self);
      g_clear_pointer (&self->stores, g_hash_table_unref);
    }

  g_clear_pointer (&self->platform, fest_platform_store_free);

  G_OBJECT_CLASS (fest_server_parent_class)->dispose (object);
}

static void
fest_server_finalize (GObject *object)
{
  FestServer *self = (FestServer *) object;

  _fest_router_free (self->router);
  g_clear_pointer (&self->limiter, fest_rate_limiter_free);
  g_clear_pointer (&self->trusted_proxies, g_ptr_array_unref);
  g_free (self->config.data_dir);
  g_free (self->uri);

  G_OBJECT_CLASS (fest_server_parent_class)->finalize (object);
}

static void
fest_server_class_init (FestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_server_dispose;
  object_class->finalize = fest_server_finalize;

  state_quark = g_quark_from_static_string ("fest-message-state");
  request_quark = g_quark_from_static_string ("fest-websocket-request");
}

static void
fest_server_init (FestServer *self)
{
  self->stores = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->sinks = g_array_new (FALSE, FALSE, sizeof (EventSink));
}

/* libsoup 3.2 keeps a connection open after a response only while the SoupServer has a listener
 * (request_finished() checks its list), and every connection comes through
 * soup_server_accept_iostream() here. So it gets a listener that can never accept anything: one
 * end of a socket pair (soup_server_listen_socket() takes a connected socket too), whose other
 * end stays open and silent until the server goes. */
static gboolean
add_keepalive_listener (FestServer  *self,
                        GError     **error)
{
  g_autoptr(GSocket) anchor = NULL;
  int fds[2];

  if (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0)
    {
      int errsv = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (errsv), "socketpair: %s", g_strerror (errsv));
      return FALSE;
    }

  anchor = g_socket_new_from_fd (fds[0], error);
  self->anchor_peer = g_socket_new_from_fd (fds[1], error);
  if (anchor == NULL || self->anchor_peer == NULL)
    {
      if (anchor == NULL)
        close (fds[0]);
      if (self->anchor_peer == NULL)
        close (fds[1]);
      return FALSE;
    }

  return soup_server_listen_socket (self->soup, anchor, 0, error);
}

/* Headers over MAX_HEADER_BYTES get a 431 in the error envelope. FestNet reads them on the
 * wire: not through TLS, where libsoup's own limit (a reset at 64 KiB) stays. */
static void
set_header_limit (FestServer *self)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) envelope = NULL;
  g_autofree char *body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) refusal = NULL;
  gsize length = 0;

  if (self->tls_certificate != NULL)
    {
      fest_net_set_header_limit (self->net, 0, NULL);
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, "HEADERS_TOO_LARGE");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, "Request headers too large");
  json_builder_set_member_name (builder, "details");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "max_bytes");
  json_builder_add_int_value (builder, MAX_HEADER_BYTES);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  envelope = json_builder_get_root (builder);
  body = fest_json_to_string (envelope, &length);

  text = g_strdup_printf ("HTTP/1.1 431 Request Header Fields Too Large\r\n"
                          "Server: festivals-server/%s\r\n"
                          "Content-Type: application/json; charset=utf-8\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "Connection: close\r\n"
                          "\r\n"
                          "%s", PACKAGE_VERSION, length, body);
  refusal = g_bytes_new (text, strlen (text));
  fest_net_set_header_limit (self->net, MAX_HEADER_BYTES, refusal);
}

/* A connection accepted by the FestNet: over TLS when there is a certificate, then libsoup's. */
static void
accept_cb (GIOStream      *stream,
           GSocketAddress *local,
           GSocketAddress *remote,
           gpointer        user_data)
{
  FestServer *self = user_data;
  g_autoptr(GIOStream) tls = NULL;
  g_autoptr(GError) error = NULL;

  if (self->tls_certificate != NULL)
    {
      static const char *const protocols[] = { "http/1.1", "http/1.0", NULL };

      tls = G_IO_STREAM (g_tls_server_connection_new (stream, self->tls_certificate, &error));
      if (tls == NULL)
        {
          g_warning ("Cannot start TLS on a connection: %s", error->message);
          g_io_stream_close (stream, NULL, NULL);
          return;
        }
      /* As libsoup's own TLS listener: HTTP/1.1 frames its messages itself. */
      g_tls_connection_set_require_close_notify (G_TLS_CONNECTION (tls), FALSE);
      g_tls_connection_set_advertised_protocols (G_TLS_CONNECTION (tls), protocols);
      stream = tls;
    }

  soup_server_accept_iostream (self->soup, stream, local, remote, NULL);
}

FestServer *
fest_server_new (const FestServerConfig  *config,
                 GError                 **error)
{
  g_autoptr(FestServer) self = NULL;
  g_autofree char *platform_path = NULL;
  g_autofree char *server_header = NULL;

  g_return_val_if_fail (config != NULL, NULL);
  g_return_val_if_fail (config->data_dir != NULL, NULL);

  fest_core_init ();

  self = g_object_new (FEST_TYPE_SERVER, NULL);
  self->config = *config;
  self->config.data_dir = g_strdup (config->data_dir);
  self->config.trusted_proxies = NULL;  /* parsed below; the caller's array is not kept */
  if (self->config.max_body_size == 0)
    self->config.max_body_size = DEFAULT_MAX_BODY;
  if (self->config.token_lifetime_s == 0)
    self->config.token_lifetime_s = FEST_SESSION_LIFETIME_DEFAULT;

  if (g_mkdir_with_parents (self->config.data_dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", self->config.data_dir, g_strerror (saved_errno));
      return NULL;
    }

  self->trusted_proxies = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; config->trusted_proxies != NULL && config->trusted_proxies[i] != NULL; i++)
    {
      const char *proxy = config->trusted_proxies[i];
      GInetAddressMask *mask = g_inet_address_mask_new_from_string (proxy, NULL);

      if (mask == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                       "Invalid trusted proxy “%s”: expected an IP address or ADDRESS/PREFIX",
                       proxy);
          return NULL;
        }
      g_ptr_array_add (self->trusted_proxies, mask);
    }

  platform_path = g_build_filename (self->config.data_dir, "platform.db", NULL);
  self->platform = fest_platform_store_open (platform_path, error);
  if (self->platform == NULL)
    return NULL;

  if (self->config.rate_limit)
    {
      self->limiter = fest_rate_limiter_new ();
      self->prune_id = g_timeout_add_seconds (60, prune_cb, self);
    }

  self->router = _fest_router_new (self);
  if (self->config.register_routes != NULL)
    self->config.register_routes (self->router);

  server_header = g_strdup_printf ("festivals-server/%s", PACKAGE_VERSION);
  self->soup = soup_server_new ("server-header", server_header, NULL);
  g_signal_connect (self->soup, "request-started", G_CALLBACK (request_started_cb), self);
  soup_server_add_handler (self->soup, NULL, default_handler_cb, self, NULL);
  soup_server_add_handler (self->soup, API_PREFIX, api_handler_cb, self, NULL);
  install_websocket_routes (self);

  if (!add_keepalive_listener (self, error))
    return NULL;

  self->net = fest_net_new (accept_cb, self);
  fest_net_set_idle_timeout (self->net, self->config.idle_timeout_s);
  if (self->config.header_timeout_s == 0)
    self->config.header_timeout_s = DEFAULT_HEADER_TIMEOUT_S;
  fest_net_set_header_timeout (self->net, self->config.header_timeout_s);
  if (self->config.max_client_connections == 0)
    self->config.max_client_connections = DEFAULT_MAX_CLIENT_CONNECTIONS;
  fest_net_set_max_per_client (self->net, self->config.max_client_connections);
  fest_net_set_uncapped_peers (self->net, self->trusted_proxies);

  return g_steal_pointer (&self);
}

FestRateLimiter *
_fest_server_get_rate_limiter (FestServer *self)
{
  return self->limiter;
}

gboolean
_fest_server_is_trusted_proxy (FestServer   *self,
                               GInetAddress *address)
{
  for (guint i = 0; i < self->trusted_proxies->len; i++)
    if (g_inet_address_mask_matches (g_ptr_array_index (self->trusted_proxies, i), address))
      return TRUE;
  return FALSE;
}

static gboolean
parse_listen_address (const char  *address,
                      char       **host,
                      guint16     *port,
                      GError     **error)
{
  const char *colon;
  guint64 value;

  if (address[0] == '[')
    {
      const char *end = strchr (address, ']');

      if (end == NULL || end[1] != ':')
        goto invalid;
      *host = g_strndup (address + 1, end - address - 1);
      colon = end + 1;
    }
  else
    {
      colon = strrchr (address, ':');
      if (colon == NULL || colon == address)
        goto invalid;
      *host = g_strndup (address, colon - address);
    }

  if (!g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    {
      g_clear_pointer (host, g_free);
      goto invalid;
    }
  *port = (guint16) value;
  return TRUE;

invalid:
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
               "Invalid listen address “%s”: expected HOST:PORT", address);
  return FALSE;
}

gboolean
fest_server_listen (FestServer       *self,
                    const char       *address,
                    GTlsCertificate  *certificate,
                    GError          **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) socket_address = NULL;
  g_autofree char *host_text = NULL;
  guint16 port = 0;

  g_return_val_if_fail (FEST_IS_SERVER (self), FALSE);
  g_return_val_if_fail (address != NULL, FALSE);

  if (!parse_listen_address (address, &host, &port, error))
    return FALSE;

  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_autoptr(GResolver) resolver = g_resolver_get_default ();
      GList *addresses = g_resolver_lookup_by_name (resolver, host, NULL, error);

      if (addresses == NULL)
        return FALSE;
      inet = g_object_ref (addresses->data);
      g_resolver_free_addresses (addresses);
    }

  socket_address = g_inet_socket_address_new (inet, port);
  {
    /* A deep accept queue (GSocket's default backlog is 10): dozens of stations or load-test
     * clients connecting at once would otherwise see connections dropped or reset while the main
     * loop is busy. */
    g_autoptr(GSocket) listen_socket = g_socket_new (g_inet_address_get_family (inet), G_SOCKET_TYPE_STREAM,
                                                     G_SOCKET_PROTOCOL_TCP, error);
    g_autoptr(GSocketAddress) local = NULL;

    if (listen_socket == NULL)
      return FALSE;
    g_socket_set_listen_backlog (listen_socket, 1024);
    if (!g_socket_bind (listen_socket, socket_address, TRUE, error)
        || !g_socket_listen (listen_socket, error)
        || (local = g_socket_get_local_address (listen_socket, error)) == NULL
        || !fest_net_listen (self->net, listen_socket, error))
      return FALSE;
    port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local));
  }

  g_set_object (&self->tls_certificate, certificate);
  set_header_limit (self);

  host_text = g_inet_address_to_string (inet);
  g_free (self->uri);
  if (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6)
    self->uri = g_strdup_printf ("%s://[%s]:%u", certificate != NULL ? "https" : "http", host_text,
                                 port);
  else
    self->uri = g_strdup_printf ("%s://%s:%u", certificate != NULL ? "https" : "http", host_text,
                                 port);
  return TRUE;
}

char *
fest_server_get_uri (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  return g_strdup (self->uri);
}

static void
finish_shutdown (FestServer *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->shutdown_task);

  g_clear_handle_id (&self->shutdown_timeout_id, g_source_remove);
  g_clear_handle_id (&self->prune_id, g_source_remove);

  if (self->in_flight > 0)
    g_warning ("Shutting down with %u requests still in flight", self->in_flight);

  soup_server_disconnect (self->soup);
  close_stores (self);

  if (task != NULL)
    g_task_return_boolean (task, TRUE);
}

static gboolean
shutdown_timeout_cb (gpointer user_data)
{
  FestServer *self = user_data;

  self->shutdown_timeout_id = 0;
  finish_shutdown (self);
  return G_SOURCE_REMOVE;
}

static gboolean
shutdown_idle_cb (gpointer user_data)
{
  FestServer *self = user_data;

  if (self->shutdown_task != NULL && self->in_flight == 0)
    finish_shutdown (self);
  return G_SOURCE_REMOVE;
}

void
fest_server_shutdown_async (FestServer          *self,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (FEST_IS_SERVER (self));

  if (self->shutting_down)
    {
      g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
      g_task_return_boolean (task, TRUE);
      return;
    }

  self->shutting_down = TRUE;
  self->shutdown_task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (self->shutdown_task, fest_server_shutdown_async);

  /* Stop accepting: new connections are refused by the kernel from now on. */
  fest_net_stop_listening (self->net);

  self->shutdown_timeout_id = g_timeout_add_seconds (SHUTDOWN_GRACE_S, shutdown_timeout_cb, self);
  g_idle_add_full (G_PRIORITY_DEFAULT, shutdown_idle_cb, g_object_ref (self), g_object_unref);
}

gboolean
fest_server_shutdown_finish (FestServer    *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

const FestServerConfig *
fest_server_get_config (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  return &self->config;
}

FestPlatformStore *
fest_server_get_platform (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  return self->platform;
}

SoupServer *
fest_server_get_soup_server (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  return self->soup;
}

guint
fest_server_get_n_in_flight (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), 0);

  return self->in_flight;
}

void
fest_server_set_payment_provider (FestServer          *self,
                                  FestPaymentProvider *provider)
{
  g_return_if_fail (FEST_IS_SERVER (self));
  g_return_if_fail (provider == NULL || FEST_IS_PAYMENT_PROVIDER (provider));

  g_set_object (&self->payment_provider, provider);
}

FestPaymentProvider *
fest_server_get_payment_provider (FestServer *self)
{
  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  return self->payment_provider;
}

FestRequest *
fest_server_authenticate (FestServer         *self,
                          SoupServerMessage  *msg,
                          GError            **error)
{
  g_autoptr(FestAuthEntry) entry = NULL;
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  FestRequest *req;
  gboolean sent = FALSE;

  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  entry = resolve_bearer (self, msg, FALSE, &sent, error);
  if (entry == NULL)
    {
      if (!sent)
        g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Authentication required");
      return NULL;
    }

  if (g_str_has_prefix (path, API_PREFIX))
    path += strlen (API_PREFIX);
  req = _fest_request_new (self, msg, path);
  _fest_request_set_auth (req, entry);
  return req;
}
