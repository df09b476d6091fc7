/* fest-store-page.c: one page of a list, with the number of all the rows it is a page of
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-store-page.h"

FestDbStmt *
_fest_store_prepare_page (FestFestivalStore   *store,
                          const char          *table,
                          const char          *columns,
                          const char          *where,
                          const char * const  *values,
                          guint                n_values,
                          guint                limit,
                          gint64               offset,
                          gint64              *total,
                          GError             **error)
{
  g_autofree char *count_sql = g_strdup_printf ("SELECT COUNT(*) FROM %s WHERE %s", table, where);
  g_autofree char *page_sql = g_strdup_printf ("SELECT %s FROM %s WHERE %s ORDER BY seq DESC LIMIT ?%u OFFSET ?%u",
                                               columns, table, where, n_values + 1, n_values + 2);
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store, count_sql, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_values; i++)
    fest_db_bind_text (stmt, (int) i + 1, values[i]);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_error (fest_festival_store_get_read_db (store), error);
      fest_db_reset (stmt);
      return NULL;
    }
  *total = fest_db_column_int64 (stmt, 0);
  /* A read statement must not keep a read transaction (and an old WAL snapshot) open. */
  fest_db_reset (stmt);

  stmt = fest_festival_store_prepare_read (store, page_sql, error);
  if (stmt == NULL)
    return NULL;
  for (guint i = 0; i < n_values; i++)
    fest_db_bind_text (stmt, (int) i + 1, values[i]);
  fest_db_bind_int64 (stmt, (int) n_values + 1, limit);
  fest_db_bind_int64 (stmt, (int) n_values + 2, offset);
  return stmt;
}
