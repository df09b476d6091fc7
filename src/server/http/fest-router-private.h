/* fest-router-private.h: the route table as the server uses it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-router.h"

G_BEGIN_DECLS

typedef struct
{
  char                 *method;
  char                 *pattern;
  char                **segments;     /* pattern split on '/', without the leading empty one */
  guint                 n_segments;
  guint                 n_literals;   /* more literal segments wins over parameters */
  FestRouteFlags        flags;
  FestPermission        permission;
  FestRateClass         rate_class;
  gsize                 max_body;     /* 0: the server's default */
  FestHandler           handler;
  FestWebsocketHandler  ws_handler;
} FestRoute;

FestRouter      *_fest_router_new        (FestServer   *server);
void             _fest_router_free       (FestRouter   *router);
/* Finds the route of @method and @path (below /api/v1). NULL when none: *path_known then says
 * whether another method serves the path (405), and @allow gets the methods. When @params is
 * non-NULL it receives the decoded {name} values (transfer full, NULL if none). */
const FestRoute *_fest_router_match      (FestRouter   *router,
                                          const char   *method,
                                          const char   *path,
                                          GHashTable  **params,
                                          gboolean     *path_known,
                                          GString      *allow);
GPtrArray       *_fest_router_get_routes (FestRouter   *router);

G_END_DECLS
