/* fest-db-util.h: small helpers over fest-db.h for the store's repositories
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For store/ files only (included by fest-store-private.h).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-db.h"

G_BEGIN_DECLS

/* Column → member; SQL NULL → JSON null. */
void      fest_db_set_text_member    (JsonObject *object,
                                      const char *member,
                                      FestDbStmt *stmt,
                                      int         column);
/* Binds @text (SQL NULL when NULL), copied. */
gboolean  fest_db_bind_text_or_null  (FestDbStmt *stmt,
                                      int         index,
                                      const char *text);
/* Steps a statement that returns no row, then resets it. */
gboolean  fest_db_step_done          (FestDbStmt  *stmt,
                                      GError     **error);
/* Sets @error from the statement's connection, resets the statement; returns FALSE. */
gboolean  fest_db_stmt_fail          (FestDbStmt  *stmt,
                                      GError     **error);
/* The column as a new string (NULL for SQL NULL). */
char     *fest_db_column_dup         (FestDbStmt *stmt,
                                      int         column);

G_END_DECLS
