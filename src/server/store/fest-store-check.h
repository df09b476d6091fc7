/* fest-store-check.h: process-wide SQLite set-up and the platform database's `--check`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Before the first store is opened: no global mutex around every allocation SQLite makes for its
 * memory statistics (nothing reads them). */
void     fest_store_init            (void);

/* Opens @path read-only and runs SQLite's integrity check on it. Appends one line per problem to
 * @lines (also when it cannot be opened); TRUE if clean. */
gboolean fest_store_check_integrity (const char *path,
                                     GString    *lines);

G_END_DECLS
