/* fest-routes-tiles.h: the festival's site plan (MBTiles) served as map tiles
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-router.h"
#include "fest-server.h"

G_BEGIN_DECLS

/* GET /tiles/{z}/{x}/{y}.png for every member of the token's festival. */
void      fest_routes_tiles_register    (FestRouter         *router);

/* Where a festival's site plan lives: next to its database, festival-<id>.db →
 * festival-<id>.site-plan.mbtiles (transfer full). */
char     *fest_tiles_site_plan_path     (FestFestivalStore  *store);

/* Draws the demo festival's site plan (fest-site-plan.c) into @path, an MBTiles file
 * (replaced if it exists). Blocking: for `--demo` only. */
gboolean  fest_site_plan_write_demo     (const char         *path,
                                         GError            **error);

/* `--demo`: gives the demo festival its site plan. Never fails the demo: a plan that cannot be
 * written is logged and the map stays blank. */
void      fest_demo_add_site_plan       (FestServer         *server,
                                         FestFestivalStore  *store);

G_END_DECLS
