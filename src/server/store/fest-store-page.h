/* fest-store-page.h: one page of a list, with the number of all the rows it is a page of
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For the store's repositories only (it hands out a FestDbStmt).
 */

#pragma once

#include "fest-store-private.h"

G_BEGIN_DECLS

/* Main thread. Counts the rows of @table matching @where (an SQL condition with the parameters
 * ?1…?@n_values, bound to @values) into *total, then prepares the page of them newest first:
 * "SELECT @columns FROM @table WHERE @where ORDER BY seq DESC LIMIT @limit OFFSET @offset", bound.
 * Returns that statement (cached: the caller steps it and resets it), or NULL with @error. */
FestDbStmt *_fest_store_prepare_page (FestFestivalStore   *store,
                                        const char          *table,
                                        const char          *columns,
                                        const char          *where,
                                        const char * const  *values,
                                        guint                n_values,
                                        guint                limit,
                                        gint64               offset,
                                        gint64              *total,
                                        GError             **error);

G_END_DECLS
