/* fest-crud-repo.c: rows of the simple festival entities, run from their FestCrudTable
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-crud-repo-private.h"

/* Resets a cached read statement when it goes out of scope, so that it never keeps a read
 * transaction (and an old WAL snapshot) open. */
static inline void
stmt_reset_cleanup (FestDbStmt **stmt)
{
  if (*stmt != NULL)
    fest_db_reset (*stmt);
}
#define STMT_AUTO_RESET __attribute__ ((cleanup (stmt_reset_cleanup)))

char *
fest_crud_column_dup (FestDbStmt *stmt,
                      int         column)
{
  return g_strdup (fest_db_column_text (stmt, column));
}

void
fest_crud_bind_nullable_text (FestDbStmt *stmt,
                              int         index,
                              const char *value)
{
  if (value != NULL)
    fest_db_bind_text (stmt, index, value);
  else
    fest_db_bind_null (stmt, index);
}

gboolean
fest_crud_step_done (FestWriteCtx  *ctx,
                     FestDbStmt    *stmt,
                     GError       **error)
{
  int rc = fest_db_step (stmt);

  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

gsize
fest_crud_table_row_size (const FestCrudTable *table)
{
  return table->row_size;
}

void
fest_crud_table_clear_row (const FestCrudTable *table,
                           gpointer             row)
{
  table->clear (row);
}

/* Steps @stmt (bound to ?1 = id) into @row. */
static gboolean
load_from (FestDb               *db,
           FestDbStmt           *stmt,
           const FestCrudTable  *table,
           const char           *id,
           gpointer              row,
           gboolean             *found,
           GError              **error)
{
  int rc;

  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    table->read (row, stmt);
  *found = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    fest_db_error (db, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_crud_repo_load (FestWriteCtx         *ctx,
                     const FestCrudTable  *table,
                     const char           *id,
                     gpointer              row,
                     gboolean             *found,
                     GError              **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, table->select_sql, error);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  return load_from (fest_write_ctx_get_db (ctx), stmt, table, id, row, found, error);
}

gboolean
fest_crud_repo_get (FestFestivalStore    *store,
                    const FestCrudTable  *table,
                    const char           *id,
                    gpointer              row,
                    gboolean             *found,
                    GError              **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store, table->select_sql, error);

  *found = FALSE;
  if (stmt == NULL)
    return FALSE;
  return load_from (fest_festival_store_get_read_db (store), stmt, table, id, row, found, error);
}

gboolean
fest_crud_repo_list (FestFestivalStore    *store,
                     const FestCrudTable  *table,
                     const char           *filters[2],
                     guint                 limit,
                     gint64                offset,
                     gint64               *total,
                     FestCrudRowFunc       func,
                     gpointer              user_data,
                     GError              **error)
{
  static const int filter_index[2] = { 1, 4 };
  STMT_AUTO_RESET FestDbStmt *count_stmt = NULL;
  STMT_AUTO_RESET FestDbStmt *stmt = NULL;
  g_autofree gpointer row = g_malloc0 (table->row_size);
  int rc;

  count_stmt = fest_festival_store_prepare_read (store, table->count_sql, error);
  stmt = count_stmt != NULL ? fest_festival_store_prepare_read (store, table->list_sql, error) : NULL;
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (filter_index); i++)
    if (filters[i] != NULL)
      {
        fest_db_bind_text (count_stmt, filter_index[i], filters[i]);
        fest_db_bind_text (stmt, filter_index[i], filters[i]);
      }
  if (fest_db_step (count_stmt) != FEST_DB_ROW)
    return fest_db_error (fest_festival_store_get_read_db (store), error);
  *total = fest_db_column_int64 (count_stmt, 0);

  fest_db_bind_int64 (stmt, 2, limit);
  fest_db_bind_int64 (stmt, 3, offset);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      table->read (row, stmt);
      func (row, user_data);
      table->clear (row);
    }
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_festival_store_get_read_db (store), error);
  return TRUE;
}

gint64
fest_crud_repo_count_in_use (FestWriteCtx         *ctx,
                             const FestCrudTable  *table,
                             const char           *id,
                             GError              **error)
{
  FestDbStmt *stmt;
  gint64 count;

  if (table->in_use_sql == NULL)
    return 0;
  stmt = fest_write_ctx_prepare (ctx, table->in_use_sql, error);
  if (stmt == NULL)
    return -1;
  fest_db_bind_text (stmt, 1, id);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_reset (stmt);
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      return -1;
    }
  count = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return count;
}

gboolean
fest_crud_repo_delete (FestWriteCtx         *ctx,
                       const FestCrudTable  *table,
                       const char           *id,
                       gint64                rev,
                       const char           *now,
                       GError              **error)
{
  for (guint i = 0; i < 2; i++)
    {
      const char *sql = i == 0 ? table->delete_sql : table->cascade_sql;
      FestDbStmt *stmt;

      if (sql == NULL)
        continue;
      stmt = fest_write_ctx_prepare (ctx, sql, error);
      if (stmt == NULL)
        return FALSE;
      fest_db_bind_text (stmt, 1, id);
      fest_db_bind_int64 (stmt, 2, rev);
      fest_db_bind_text (stmt, 3, now);
      if (!fest_crud_step_done (ctx, stmt, error))
        return FALSE;
    }
  return TRUE;
}
