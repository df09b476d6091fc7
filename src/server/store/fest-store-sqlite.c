/* fest-store-sqlite.c: SQLite helpers shared by the festival and platform stores: opening a
 * private database file, migrations, the prepared-statement cache and SQLite errors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fest-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

FestStoreError
_fest_sqlite_error_code (int result_code)
{
  switch (result_code & 0xff)
    {
    case SQLITE_FULL:
      return FEST_STORE_ERROR_DISK_FULL;
    case SQLITE_IOERR:
      return FEST_STORE_ERROR_IO;
    default:
      return FEST_STORE_ERROR_SQLITE;
    }
}

gboolean
_fest_store_error_is_storage (const GError *error)
{
  return error != NULL && error->domain == FEST_STORE_ERROR
         && (error->code == FEST_STORE_ERROR_DISK_FULL || error->code == FEST_STORE_ERROR_IO);
}

gboolean
fest_sqlite_error (sqlite3  *db,
                   GError  **error)
{
  int code = db != NULL ? sqlite3_extended_errcode (db) : SQLITE_MISUSE;

  g_set_error (error, FEST_STORE_ERROR, _fest_sqlite_error_code (code), "SQLite error %d: %s", code,
               db != NULL ? sqlite3_errmsg (db) : "no database");
  return FALSE;
}

gboolean
_fest_sqlite_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (db);

      g_set_error (error, FEST_STORE_ERROR, _fest_sqlite_error_code (code), "SQLite error %d: %s",
                   code, message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Databases hold password hashes, tokens and the ledger: owner only, whatever the umask or how
 * an older version or a restored backup left them. SQLite creates a database 0644 but gives its
 * -wal and -shm files the database's own mode, so the database is created here first, 0600. */
static gboolean
make_private (const char  *path,
              gboolean     create,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  if (create)
    {
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "Cannot open %s: %s", path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      close (fd);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) == 0 && (st.st_mode & 077) != 0
          && g_chmod (file, st.st_mode & 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                       "Cannot make %s private: %s", file, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

sqlite3 *
_fest_sqlite_open (const char  *path,
                   gboolean     create,
                   GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc;

  if (create)
    flags |= SQLITE_OPEN_CREATE;

  if (!make_private (path, create, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db, flags, _fest_wal_vfs_name ());
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "Cannot open %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  if (sqlite3_busy_timeout (db, 10000) != SQLITE_OK
      || !_fest_sqlite_exec (db,
                             "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=FULL;"
                             "PRAGMA foreign_keys=ON;"
                             /* Write jobs run in SAVEPOINTs: keep their statement journals in
                              * memory, not in temp files (the payments hot path), and keep the
                              * working set of a busy festival in the page cache. */
                             "PRAGMA temp_store=MEMORY;"
                             "PRAGMA cache_size=-32768;",
                             error))
    {
      if (error != NULL && *error == NULL)
        fest_sqlite_error (db, error);
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

static gboolean
migrate (sqlite3             *db,
         const char * const  *migrations,
         guint                n_migrations,
         GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 version;

  /* BEGIN IMMEDIATE so that two processes (or two connections) never migrate at once. */
  if (!_fest_sqlite_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      fest_sqlite_error (db, error);
      goto failed;
    }
  version = sqlite3_column_int64 (stmt, 0);
  /* A statement still running would lock the tables a migration drops. */
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > n_migrations)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "Database schema version %" G_GINT64_FORMAT " is newer than this program's %u",
                   version, n_migrations);
      goto failed;
    }

  for (guint i = version; i < n_migrations; i++)
    {
      g_autofree char *pragma = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!_fest_sqlite_exec (db, migrations[i], &local_error))
        {
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "Migration %u failed: %s", i + 1, local_error->message);
          goto failed;
        }
      pragma = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      if (!_fest_sqlite_exec (db, pragma, error))
        goto failed;
    }

  if (version < n_migrations)
    {
      if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
        {
          fest_sqlite_error (db, error);
          goto failed;
        }
      switch (sqlite3_step (stmt))
        {
        case SQLITE_DONE:
          break;
        case SQLITE_ROW:
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "After migration %u: a row of %s refers to a missing row of %s", n_migrations,
                       sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 2));
          goto failed;
        default:
          fest_sqlite_error (db, error);
          goto failed;
        }
    }

  return _fest_sqlite_exec (db, "COMMIT", error);

failed:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
_fest_sqlite_migrate (sqlite3             *db,
                      const char * const  *migrations,
                      guint                n_migrations,
                      GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean foreign_keys;
  gboolean ok;

  /* A migration may rebuild a table that others refer to (CREATE new, copy, DROP old, RENAME):
   * with foreign keys on, the DROP would delete the rows they refer to. SQLite's recipe: turn them
   * off (only possible outside a transaction), then check them all before committing. */
  if (sqlite3_prepare_v2 (db, "PRAGMA foreign_keys", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return fest_sqlite_error (db, error);
  foreign_keys = sqlite3_column_int (stmt, 0) != 0;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (foreign_keys && !_fest_sqlite_exec (db, "PRAGMA foreign_keys=OFF", error))
    return FALSE;

  ok = migrate (db, migrations, n_migrations, error);

  if (foreign_keys && !_fest_sqlite_exec (db, "PRAGMA foreign_keys=ON", ok ? error : NULL))
    return FALSE;
  return ok;
}
