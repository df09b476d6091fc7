/* fest-db.c: the store's connections and prepared statements (see fest-db.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-store-private.h"

struct _FestDb
{
  sqlite3    *sqlite;
  GHashTable *stmts;     /* sql → FestDbStmt*, the connection's statement cache */
};

struct _FestDbStmt
{
  FestDb       *db;
  sqlite3_stmt *sqlite;
  gboolean      cached;
};

static void
stmt_destroy (FestDbStmt *stmt)
{
  sqlite3_finalize (stmt->sqlite);
  g_free (stmt);
}

static void
cached_stmt_free (gpointer data)
{
  stmt_destroy (data);
}

/* The cache is looked up for every statement a write job runs: g_str_hash reads a long SQL text
 * a byte at a time, this samples it a word at a time (g_str_equal settles collisions). */
static guint
sql_hash (gconstpointer key)
{
  const char *sql = key;
  gsize len = strlen (sql);
  guint64 h = len * G_GUINT64_CONSTANT (0x9e3779b97f4a7c15);

  if (len >= 8)
    {
      gsize last = len - 8;
      gsize positions[4] = { 0, last / 3, 2 * last / 3, last };

      for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
        {
          guint64 word;

          memcpy (&word, sql + positions[i], sizeof word);
          h = (h ^ word) * G_GUINT64_CONSTANT (0x100000001b3);
        }
    }
  else
    {
      for (gsize i = 0; i < len; i++)
        h = (h ^ (guchar) sql[i]) * G_GUINT64_CONSTANT (0x100000001b3);
    }

  return (guint) (h ^ (h >> 32));
}

FestDb *
fest_db_new_sqlite (sqlite3 *sqlite)
{
  FestDb *db = g_new0 (FestDb, 1);

  g_return_val_if_fail (sqlite != NULL, NULL);

  db->sqlite = sqlite;
  db->stmts = g_hash_table_new_full (sql_hash, g_str_equal, g_free, cached_stmt_free);
  return db;
}

void
fest_db_free (FestDb *db)
{
  if (db == NULL)
    return;
  /* Statements first: a connection with statements left open does not close. */
  g_hash_table_destroy (db->stmts);
  sqlite3_close_v2 (db->sqlite);
  g_free (db);
}

sqlite3 *
fest_db_get_sqlite (FestDb *db)
{
  return db->sqlite;
}

gboolean
fest_db_has_column (FestDb     *db,
                    const char *table,
                    const char *column)
{
  return sqlite3_table_column_metadata (db->sqlite, NULL, table, column, NULL, NULL, NULL, NULL,
                                        NULL) == SQLITE_OK;
}

const char *
fest_db_errmsg (FestDb *db)
{
  return sqlite3_errmsg (db->sqlite);
}

gboolean
fest_db_error (FestDb  *db,
               GError **error)
{
  return fest_sqlite_error (db != NULL ? db->sqlite : NULL, error);
}

static FestDbStmt *
prepare (FestDb      *db,
         const char  *sql,
         gboolean     cached,
         GError     **error)
{
  FestDbStmt *stmt = g_new0 (FestDbStmt, 1);
  int rc;

  rc = sqlite3_prepare_v3 (db->sqlite, sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0,
                           &stmt->sqlite, NULL);
  if (rc != SQLITE_OK)
    {
      fest_db_error (db, error);
      g_free (stmt);
      return NULL;
    }
  stmt->db = db;
  stmt->cached = cached;
  return stmt;
}

FestDbStmt *
fest_db_prepare (FestDb      *db,
                 const char  *sql,
                 GError     **error)
{
  FestDbStmt *stmt = g_hash_table_lookup (db->stmts, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt->sqlite);
      sqlite3_clear_bindings (stmt->sqlite);
      return stmt;
    }

  stmt = prepare (db, sql, TRUE, error);
  if (stmt != NULL)
    g_hash_table_insert (db->stmts, g_strdup (sql), stmt);
  return stmt;
}

FestDbStmt *
fest_db_prepare_uncached (FestDb      *db,
                          const char  *sql,
                          GError     **error)
{
  return prepare (db, sql, FALSE, error);
}

void
fest_db_stmt_free (FestDbStmt *stmt)
{
  if (stmt == NULL)
    return;
  g_return_if_fail (!stmt->cached);
  stmt_destroy (stmt);
}

FestDb *
fest_db_stmt_get_db (FestDbStmt *stmt)
{
  return stmt->db;
}

gboolean
fest_db_exec (FestDb      *db,
              const char  *sql,
              GError     **error)
{
  return _fest_sqlite_exec (db->sqlite, sql, error);
}

gboolean
fest_db_in_transaction (FestDb *db)
{
  return !sqlite3_get_autocommit (db->sqlite);
}

gint64
fest_db_changes (FestDb *db)
{
  return sqlite3_changes64 (db->sqlite);
}

gint64
fest_db_total_changes (FestDb *db)
{
  return sqlite3_total_changes64 (db->sqlite);
}

int
fest_db_bind_text (FestDbStmt *stmt,
                   int         index,
                   const char *text)
{
  return sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_STATIC);
}

int
fest_db_bind_text_copy (FestDbStmt *stmt,
                        int         index,
                        const char *text)
{
  return sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_TRANSIENT);
}

int
fest_db_bind_int64 (FestDbStmt *stmt,
                    int         index,
                    gint64      value)
{
  return sqlite3_bind_int64 (stmt->sqlite, index, value);
}

int
fest_db_bind_double (FestDbStmt *stmt,
                     int         index,
                     double      value)
{
  return sqlite3_bind_double (stmt->sqlite, index, value);
}

int
fest_db_bind_null (FestDbStmt *stmt,
                   int         index)
{
  return sqlite3_bind_null (stmt->sqlite, index);
}

int
fest_db_bind_blob (FestDbStmt    *stmt,
                   int            index,
                   gconstpointer  data,
                   gsize          size)
{
  return sqlite3_bind_blob64 (stmt->sqlite, index, data, size, SQLITE_STATIC);
}

void
fest_db_clear_bindings (FestDbStmt *stmt)
{
  sqlite3_clear_bindings (stmt->sqlite);
}

int
fest_db_step (FestDbStmt *stmt)
{
  return sqlite3_step (stmt->sqlite);
}

void
fest_db_reset (FestDbStmt *stmt)
{
  sqlite3_reset (stmt->sqlite);
}

const char *
fest_db_column_text (FestDbStmt *stmt,
                     int         column)
{
  return (const char *) sqlite3_column_text (stmt->sqlite, column);
}

gint64
fest_db_column_int64 (FestDbStmt *stmt,
                      int         column)
{
  return sqlite3_column_int64 (stmt->sqlite, column);
}

int
fest_db_column_int (FestDbStmt *stmt,
                    int         column)
{
  return sqlite3_column_int (stmt->sqlite, column);
}

double
fest_db_column_double (FestDbStmt *stmt,
                       int         column)
{
  return sqlite3_column_double (stmt->sqlite, column);
}

gboolean
fest_db_column_is_null (FestDbStmt *stmt,
                        int         column)
{
  return sqlite3_column_type (stmt->sqlite, column) == SQLITE_NULL;
}

gconstpointer
fest_db_column_blob (FestDbStmt *stmt,
                     int         column)
{
  return sqlite3_column_blob (stmt->sqlite, column);
}

gsize
fest_db_column_bytes (FestDbStmt *stmt,
                      int         column)
{
  return sqlite3_column_bytes (stmt->sqlite, column);
}

gboolean
fest_db_stmt_set_error (FestDbStmt  *stmt,
                        GError     **error)
{
  return fest_db_error (stmt->db, error);
}
