/* fest-sqlite-util.c: small SQLite helpers for the store's repositories
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-sqlite-util.h"
#include "fest-store-private.h"

void
fest_sqlite_set_text_column (JsonObject   *object,
                             const char   *member,
                             sqlite3_stmt *stmt,
                             int           column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, (const char *) sqlite3_column_text (stmt, column));
}

gboolean
fest_sqlite_bind_text (sqlite3_stmt *stmt,
                       int           index,
                       const char   *text)
{
  if (text == NULL)
    return sqlite3_bind_null (stmt, index) == SQLITE_OK;
  return sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT) == SQLITE_OK;
}

gboolean
fest_sqlite_stmt_error (sqlite3_stmt *stmt,
                        GError      **error)
{
  fest_sqlite_error (sqlite3_db_handle (stmt), error);
  sqlite3_reset (stmt);
  return FALSE;
}

gboolean
fest_sqlite_step_done (sqlite3_stmt *stmt,
                       GError      **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fest_sqlite_stmt_error (stmt, error);
  sqlite3_reset (stmt);
  return TRUE;
}

char *
fest_sqlite_column_dup (sqlite3_stmt *stmt,
                        int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}
