/* test-store.c: the festival store's writer and checkpointer threads, on a real SQLite file
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fest-festival-store.h"

#define BLOB_BYTES (100 * 4096)   /* about a hundred WAL pages per commit */
#define N_COMMITS 200             /* 80 MB written: twenty checkpoint thresholds */

static gboolean
insert_blob (FestWriteCtx   *ctx,
             gpointer        job_data,
             gpointer       *result,
             GDestroyNotify *result_free,
             GError        **error)
{
  sqlite3 *db = fest_write_ctx_get_db (ctx);
  sqlite3_stmt *stmt;

  if (sqlite3_exec (db, "CREATE TABLE IF NOT EXISTS scratch (data BLOB)", NULL, NULL, NULL) != SQLITE_OK)
    return fest_sqlite_error (db, error);
  stmt = fest_write_ctx_prepare (ctx, "INSERT INTO scratch (data) VALUES (randomblob(?1))", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, BLOB_BYTES);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return fest_sqlite_error (db, error);
    }
  sqlite3_reset (stmt);

  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

static goffset
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (goffset) st.st_size : 0;
}

/* No COMMIT runs a checkpoint (the writer's wal hook replaces SQLite's autocheckpoint), so only
 * the checkpointer thread can copy the WAL into the database: if it did not, the database file
 * would stay at its schema's size and the WAL would hold all 80 MB. */
static void
test_checkpointer_bounds_the_wal (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fest-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "festival.db", NULL);
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  g_autoptr(FestFestivalStore) store = NULL;
  goffset written = (goffset) BLOB_BYTES * N_COMMITS;
  goffset db_size, wal_size;

  g_assert_no_error (error);
  store = fest_festival_store_open (path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < N_COMMITS; i++)
    {
      gpointer result = fest_festival_store_write_sync (store, insert_blob, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (result);
    }

  /* The last threshold's checkpoint may still be copying: give it a moment. */
  for (guint i = 0; i < 100 && file_size (path) < written * 3 / 4; i++)
    g_usleep (50 * 1000);

  db_size = file_size (path);
  wal_size = file_size (wal_path);
  g_test_message ("database %" G_GOFFSET_FORMAT " bytes, WAL %" G_GOFFSET_FORMAT " bytes",
                  db_size, wal_size);
  g_assert_cmpint (db_size, >=, written * 3 / 4);
  g_assert_cmpint (wal_size, <, written / 2);

  /* And everything is there after a close and reopen. */
  fest_festival_store_close (store);
  g_clear_object (&store);
  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT COUNT(*), SUM(length(data)) FROM scratch", -1, &stmt, NULL),
                     ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpint (sqlite3_column_int (stmt, 0), ==, N_COMMITS);
    g_assert_cmpint (sqlite3_column_int64 (stmt, 1), ==, written);
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_unlink (wal_path);
  {
    g_autofree char *shm_path = g_strconcat (path, "-shm", NULL);
    g_unlink (shm_path);
  }
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/checkpointer-bounds-the-wal", test_checkpointer_bounds_the_wal);

  return g_test_run ();
}
