/* fest-routes-tiles.h: the festival's site plan (MBTiles) served as map tiles
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-router.h"

G_BEGIN_DECLS

/* GET /tiles/{z}/{x}/{y}.png for every member of the token's festival. */
void fest_routes_tiles_register (FestRouter *router);

G_END_DECLS
