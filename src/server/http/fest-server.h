/* fest-server.h: the festivals-server: SoupServer, route dispatch, stores, events
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <libsoup/soup.h>

#include "fest-festival-store.h"
#include "fest-request.h"

G_BEGIN_DECLS

typedef struct _FestPlatformStore FestPlatformStore;
typedef struct _FestPaymentProvider FestPaymentProvider;
typedef struct _FestRouter FestRouter;

/* Registers the routes of the API on the server's router, once, from fest_server_new(). The
 * server knows no route area itself: whoever builds it passes fest_routes_register_all()
 * (routes/fest-routes.h). */
typedef void (*FestServerRoutesFunc) (FestRouter *router);

typedef struct
{
  char     *data_dir;            /* SQLite: platform.db and festival-<id>.db */
  char     *database;            /* PostgreSQL (libpq conninfo or URI) instead of data_dir's files */
  gboolean  rate_limit;          /* --no-rate-limit clears it */
  gsize     max_body_size;       /* bytes; 413 above (default 1 MiB) */
  guint     idle_timeout_s;      /* idle keep-alive connections are closed after it */
  guint     token_lifetime_s;    /* session tokens (default 12 h) */
  char    **trusted_proxies;     /* --trusted-proxy ADDR[/PREFIX]: their X-Forwarded-For counts */
  guint     header_timeout_s;    /* a request's line and headers, in total (default 15 s) */
  guint     max_client_connections; /* per client address (default 128) */
  FestServerRoutesFunc register_routes; /* NULL: no route, every /api/v1 request is a 404 */
} FestServerConfig;

#define FEST_TYPE_SERVER (fest_server_get_type ())
G_DECLARE_FINAL_TYPE (FestServer, fest_server, FEST, SERVER, GObject)

FestServer        *fest_server_new                  (const FestServerConfig *config,
                                                     GError                **error);
/* Listens on "HOST:PORT" (port 0 picks one); TLS when a certificate is given. */
gboolean           fest_server_listen               (FestServer     *self,
                                                     const char     *address,
                                                     GTlsCertificate *certificate,
                                                     GError        **error);
/* "http://127.0.0.1:41234" once listening. */
char              *fest_server_get_uri              (FestServer     *self);
/* Stop accepting, let in-flight requests finish, close the stores. @callback runs once drained. */
void               fest_server_shutdown_async       (FestServer     *self,
                                                     GAsyncReadyCallback callback,
                                                     gpointer        user_data);
gboolean           fest_server_shutdown_finish      (FestServer     *self,
                                                     GAsyncResult   *result,
                                                     GError        **error);

const FestServerConfig *fest_server_get_config      (FestServer     *self);
FestPlatformStore *fest_server_get_platform         (FestServer     *self);
/* The open store of a festival, opened on first use; NULL with NOT_FOUND if unknown. Main thread
 * only; the store stays open until shutdown, so the pointer may be kept without a ref. */
FestFestivalStore *fest_server_get_festival_store   (FestServer     *self,
                                                     const char     *festival_id,
                                                     GError        **error);

/* Sends {"event": name, "data": data} to every /events client of @festival_id. Takes @data.
 * Events emitted by write jobs (fest_write_ctx_emit) arrive here after their commit. */
void               fest_server_broadcast            (FestServer     *self,
                                                     const char     *festival_id,
                                                     const char     *event,
                                                     JsonNode       *data);

/* Event sinks: the /events WebSocket hub (and anything else) receives every broadcast, on the main
 * thread, in commit order. @data is borrowed: ref it to keep it. Returns an id for
 * fest_server_remove_event_sink(). */
typedef void (*FestEventSink) (FestServer  *server,
                               const char  *festival_id,
                               const char  *event,
                               JsonNode    *data,
                               gpointer     user_data);

guint              fest_server_add_event_sink       (FestServer     *self,
                                                     FestEventSink   sink,
                                                     gpointer        user_data,
                                                     GDestroyNotify  destroy);
void               fest_server_remove_event_sink    (FestServer     *self,
                                                     guint           sink_id);

/* The underlying SoupServer, for what the router does not cover. Prefer
 * fest_router_add_websocket() for WebSocket routes: it authenticates before the upgrade. */
SoupServer        *fest_server_get_soup_server      (FestServer     *self);

/* Authenticates a message the router did not dispatch (e.g. in a handler added directly on the
 * SoupServer): resolves the bearer token (Authorization header only) and the
 * token's festival store. Returns a request carrying the auth (fest_request_get_auth(),
 * fest_request_get_store()), or NULL with UNAUTHENTICATED. Main thread only. */
FestRequest       *fest_server_authenticate         (FestServer        *self,
                                                     SoupServerMessage *msg,
                                                     GError           **error);

/* Who takes the money of online top-ups (fest-payment-provider.h); NULL (the default) refuses
 * them. Set before serving. */
void               fest_server_set_payment_provider (FestServer          *self,
                                                     FestPaymentProvider *provider);
FestPaymentProvider *fest_server_get_payment_provider (FestServer        *self);

/* Number of requests received and not yet answered (for tests and shutdown). */
guint              fest_server_get_n_in_flight      (FestServer     *self);

G_END_DECLS
