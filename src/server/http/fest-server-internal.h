/* fest-server-internal.h: the FestServer's structure and what its files share (fest-server.c,
 * fest-server-auth.c, fest-server-dispatch.c, fest-server-festivals.c); nothing else includes it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-net.h"
#include "fest-payment-provider.h"
#include "fest-rate-limit.h"
#include "fest-request-private.h"
#include "fest-router-private.h"
#include "fest-server-private.h"

G_BEGIN_DECLS

#define API_PREFIX "/api/v1"

typedef struct
{
  guint          id;
  FestEventSink  sink;
  gpointer       user_data;
  GDestroyNotify destroy;
} EventSink;

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

/* fest-server.c: a request was answered (or left the server's hands); finishes a shutdown that
 * waited for it. */
void      _fest_server_request_done          (FestServer      *self);

/* fest-server-auth.c: authenticates @req for @route (token, festival, permission, rate limit);
 * replies and returns FALSE when it may not go on. */
gboolean  _fest_server_authorize             (FestServer      *self,
                                              FestRequest     *req,
                                              const FestRoute *route);

/* fest-server-dispatch.c: connects the SoupServer's handlers (/api/v1, WebSocket routes, the
 * per-message bookkeeping). Once, after the routes are registered. */
void      _fest_server_install_handlers      (FestServer      *self);

/* fest-server-festivals.c: closes every open festival store (they stay in the registry). */
void      _fest_server_close_stores          (FestServer      *self);

G_END_DECLS
