/* fest-tiles-repo.h: the festival's site plan, an MBTiles file next to its database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An MBTiles file is SQLite: table tiles(zoom_level, tile_column, tile_row, tile_data), rows
 * counted TMS-style from the south, and table metadata(name, value).
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Where a festival's site plan lives: next to its database, festival-<id>.db →
 * festival-<id>.site-plan.mbtiles (transfer full). NULL for a festival in PostgreSQL, which has
 * no site plan yet. */
char              *fest_tiles_repo_site_plan_path (FestFestivalStore  *store);

/* Main thread. The tile at @z/@x/@tms_row of @store's site plan, or NULL. *@has_plan is FALSE
 * when the festival has no (usable) plan. The plan is opened read-only on first use and kept
 * open with one prepared statement; the file is stat()ed on each call, so a plan dropped in or
 * replaced is picked up without a restart. */
GBytes            *fest_tiles_repo_read_tile      (FestFestivalStore  *store,
                                                   guint               z,
                                                   guint64             x,
                                                   guint64             tms_row,
                                                   gboolean           *has_plan);

/* Writes a new MBTiles file: into @path.tmp (owner only), in one transaction, renamed over @path
 * by fest_mbtiles_writer_finish(). Blocking. */
typedef struct _FestMbtilesWriter FestMbtilesWriter;

FestMbtilesWriter *fest_mbtiles_writer_new        (const char         *path,
                                                   GError            **error);
gboolean           fest_mbtiles_writer_add_metadata (FestMbtilesWriter *self,
                                                   const char         *name,
                                                   const char         *value,
                                                   GError            **error);
gboolean           fest_mbtiles_writer_add_tile   (FestMbtilesWriter  *self,
                                                   int                 zoom,
                                                   int                 column,
                                                   int                 tms_row,
                                                   GBytes             *data,
                                                   GError            **error);
/* Commits, closes and renames the file into place. */
gboolean           fest_mbtiles_writer_finish     (FestMbtilesWriter  *self,
                                                   GError            **error);
/* Unfinished: closes and removes the temporary file. */
void               fest_mbtiles_writer_free       (FestMbtilesWriter  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestMbtilesWriter, fest_mbtiles_writer_free)

G_END_DECLS
