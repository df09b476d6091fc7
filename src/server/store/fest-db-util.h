/* fest-sqlite-util.h: small SQLite helpers for the store's repositories
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For store/ files only (included by fest-store-private.h).
 */

#pragma once

#include <json-glib/json-glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Column → member; SQL NULL → JSON null. */
void          fest_sqlite_set_text_column  (JsonObject    *object,
                                            const char    *member,
                                            sqlite3_stmt  *stmt,
                                            int            column);
/* Binds @text (SQL NULL when NULL), copied. */
gboolean      fest_sqlite_bind_text        (sqlite3_stmt  *stmt,
                                            int            index,
                                            const char    *text);
/* Steps a statement that returns no row, then resets it. */
gboolean      fest_sqlite_step_done        (sqlite3_stmt  *stmt,
                                            GError       **error);
/* Sets @error from the statement's connection, resets the statement; returns FALSE. */
gboolean      fest_sqlite_stmt_error       (sqlite3_stmt  *stmt,
                                            GError       **error);
/* The column as a new string (NULL for SQL NULL). */
char         *fest_sqlite_column_dup       (sqlite3_stmt  *stmt,
                                            int            column);

G_END_DECLS
