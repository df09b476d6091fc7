/* fest-server.c: the festivals-server: configuration, listening, lifecycle and shutdown
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Files: fest-server.c (configuration, listening, lifecycle and shutdown), fest-server-dispatch.c
 * (the request path: handlers, WebSocket routes, body limits), fest-server-auth.c (tokens,
 * permissions, rate limits), fest-server-festivals.c (the festivals' stores and their events), and
 * fest-server-internal.h, which they share. The routes come from FestServerConfig.register_routes.
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
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fest-server-internal.h"

#define DEFAULT_MAX_BODY       (1024 * 1024)
#define DEFAULT_IDLE_TIMEOUT_S 60
#define DEFAULT_HEADER_TIMEOUT_S 15
#define DEFAULT_MAX_CLIENT_CONNECTIONS 128
/* Request line and headers: libsoup 3.2 resets the connection above 64 KiB; below, a 431. */
#define MAX_HEADER_BYTES       (32 * 1024)
#define SHUTDOWN_GRACE_S       30

G_DEFINE_FINAL_TYPE (FestServer, fest_server, G_TYPE_OBJECT)

static void finish_shutdown (FestServer *self);

void
_fest_server_request_done (FestServer *self)
{
  g_assert (self->in_flight > 0);
  self->in_flight--;

  if (self->in_flight == 0 && self->shutting_down && self->shutdown_task != NULL)
    finish_shutdown (self);
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
      _fest_server_close_stores (self);
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
  g_free (self->config.database);
  g_free (self->uri);

  G_OBJECT_CLASS (fest_server_parent_class)->finalize (object);
}

static void
fest_server_class_init (FestServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_server_dispose;
  object_class->finalize = fest_server_finalize;
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
  g_return_val_if_fail (config->data_dir != NULL || config->database != NULL, NULL);

  fest_core_init ();

  self = g_object_new (FEST_TYPE_SERVER, NULL);
  self->config = *config;
  self->config.data_dir = g_strdup (config->data_dir);
  self->config.database = g_strdup (config->database);
  self->config.trusted_proxies = NULL;  /* parsed below; the caller's array is not kept */
  if (self->config.max_body_size == 0)
    self->config.max_body_size = DEFAULT_MAX_BODY;
  if (self->config.token_lifetime_s == 0)
    self->config.token_lifetime_s = FEST_SESSION_LIFETIME_DEFAULT;

  if (self->config.database == NULL && g_mkdir_with_parents (self->config.data_dir, 0700) != 0)
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

  if (self->config.database != NULL)
    {
      self->platform = fest_platform_store_open_pg (self->config.database, error);
    }
  else
    {
      platform_path = g_build_filename (self->config.data_dir, "platform.db", NULL);
      self->platform = fest_platform_store_open (platform_path, error);
    }
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
  _fest_server_install_handlers (self);

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
  _fest_server_close_stores (self);

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
