/* fest-db-util.c: small helpers over fest-db.h for the store's repositories
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-db-util.h"
#include "fest-store-private.h"

void
fest_db_set_text_member (JsonObject *object,
                         const char *member,
                         FestDbStmt *stmt,
                         int         column)
{
  if (fest_db_column_is_null (stmt, column))
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, fest_db_column_text (stmt, column));
}

gboolean
fest_db_bind_text_or_null (FestDbStmt *stmt,
                           int         index,
                           const char *text)
{
  if (text == NULL)
    return fest_db_bind_null (stmt, index) == FEST_DB_OK;
  return fest_db_bind_text_copy (stmt, index, text) == FEST_DB_OK;
}

gboolean
fest_db_stmt_fail (FestDbStmt  *stmt,
                   GError     **error)
{
  fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return FALSE;
}

gboolean
fest_db_step_done (FestDbStmt  *stmt,
                   GError     **error)
{
  if (fest_db_step (stmt) != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  return TRUE;
}

char *
fest_db_column_dup (FestDbStmt *stmt,
                    int         column)
{
  return g_strdup (fest_db_column_text (stmt, column));
}
