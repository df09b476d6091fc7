/* fest-tile-source.h: map tiles of the festival's site plan, fetched from our server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_TILE_SOURCE (fest_tile_source_get_type ())
G_DECLARE_FINAL_TYPE (FestTileSource, fest_tile_source, FEST, TILE_SOURCE, ShumateDataSource)

/* Tiles come from GET /api/v1/tiles/{z}/{x}/{y}.png with @client's session, base URL and token
 * (ShumateTileDownloader cannot send an Authorization header). With a @cache_key (nullable; one
 * per festival, e.g. its id) tiles are also kept on disk in the user cache dir: revalidated with
 * If-None-Match, and served from there when the server cannot be reached. Emits "tile-done"
 * (gboolean ok) on the main context after each tile. */
FestTileSource *fest_tile_source_new          (FestClient     *client,
                                               const char     *cache_key);
FestClient     *fest_tile_source_get_client   (FestTileSource *self);
/* Tiles delivered (from the server or the cache) and tiles that failed, since creation. */
guint           fest_tile_source_get_n_loaded (FestTileSource *self);
guint           fest_tile_source_get_n_failed (FestTileSource *self);

G_END_DECLS
