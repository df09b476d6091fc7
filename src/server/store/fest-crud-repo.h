/* fest-crud-repo.h: rows of the simple festival entities (stands, products, stages, artists, slots)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A FestCrudTable (store-private) says how one entity is stored: its SELECT, count, list, in-use
 * and delete statements and how a row struct is read. The repositories of each area export theirs
 * (fest-catalog-repo.h, fest-lineup-repo.h); the generic routes (routes/fest-crud.c) run them
 * through the functions below. Every row struct starts with its char *id.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-core.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef struct _FestCrudTable FestCrudTable;

/* Called for each listed row; the row is cleared after the call. */
typedef void (*FestCrudRowFunc) (gpointer row,
                                 gpointer user_data);

gsize     fest_crud_table_row_size     (const FestCrudTable  *table);
/* Frees the members of @row (not @row itself). */
void      fest_crud_table_clear_row    (const FestCrudTable  *table,
                                        gpointer              row);

/* Writer thread: loads the row with this @id into @row. FALSE with @error on a storage error;
 * TRUE with *@found FALSE when there is no such row. */
gboolean  fest_crud_repo_load          (FestWriteCtx         *ctx,
                                        const FestCrudTable  *table,
                                        const char           *id,
                                        gpointer              row,
                                        gboolean             *found,
                                        GError              **error);
/* Same on the main thread's read connection. */
gboolean  fest_crud_repo_get           (FestFestivalStore    *store,
                                        const FestCrudTable  *table,
                                        const char           *id,
                                        gpointer              row,
                                        gboolean             *found,
                                        GError              **error);
/* Main thread: the rows matching @filters (each nullable; the table's two list filters), paged,
 * and their *@total. */
gboolean  fest_crud_repo_list          (FestFestivalStore    *store,
                                        const FestCrudTable  *table,
                                        const char           *filters[2],
                                        guint                 limit,
                                        gint64                offset,
                                        gint64               *total,
                                        FestCrudRowFunc       func,
                                        gpointer              user_data,
                                        GError              **error);
/* Writer thread: how many rows still refer to @id (0 when the table has no such rule); -1 with
 * @error on a storage error. */
gint64    fest_crud_repo_count_in_use  (FestWriteCtx         *ctx,
                                        const FestCrudTable  *table,
                                        const char           *id,
                                        GError              **error);
/* Writer thread: deletes the row and what it takes along, at @rev and @now. */
gboolean  fest_crud_repo_delete        (FestWriteCtx         *ctx,
                                        const FestCrudTable  *table,
                                        const char           *id,
                                        gint64                rev,
                                        const char           *now,
                                        GError              **error);

G_END_DECLS
