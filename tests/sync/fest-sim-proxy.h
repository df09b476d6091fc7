/* fest-sim-proxy.h: a loopback TCP proxy between one station and the server, for the simulation
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each station talks to its own proxy, which forwards bytes both ways to the server's current
 * port (the server gets a new port when it is restarted; the station's address never changes).
 * The proxy plays the network's faults deterministically, on the caller's main context:
 *  - offline: nothing listens on the station's address (connection refused) and every open
 *    connection is cut;
 *  - drop responses: a POST reaches the server, and when its answer comes back the connection
 *    is cut instead (the server applied it; the station never learns it).
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _FestSimProxy FestSimProxy;

FestSimProxy *fest_sim_proxy_new                (guint16       upstream_port);
void          fest_sim_proxy_free               (FestSimProxy *proxy);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestSimProxy, fest_sim_proxy_free)

/* http://127.0.0.1:PORT, the station's server address. */
const char   *fest_sim_proxy_get_url            (FestSimProxy *proxy);
void          fest_sim_proxy_set_upstream_port  (FestSimProxy *proxy,
                                                 guint16       upstream_port);
void          fest_sim_proxy_set_online         (FestSimProxy *proxy,
                                                 gboolean      online);
gboolean      fest_sim_proxy_get_online         (FestSimProxy *proxy);
void          fest_sim_proxy_set_drop_responses (FestSimProxy *proxy,
                                                 gboolean      drop);
/* Answers dropped so far. */
guint         fest_sim_proxy_get_dropped        (FestSimProxy *proxy);

G_END_DECLS
