/* test-store.c: the festival store's writer and checkpointer threads, on a real SQLite file
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two cases test the SQLite store's WAL (the checkpointer thread, the batching WAL VFS) on a file
 * of their own: under `meson test --setup postgresql` they are skipped (skip_sqlite_only()), the
 * SQLite runs cover them. The rows a write job keeps for the next ones (fest_write_ctx_keep_row())
 * are tested on both backends, and what another process's writes do to them on PostgreSQL only
 * (skip_pg_only()).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fest-festival-store.h"
#include "fest-idempotency-repo.h"
#include "fest-store-private.h"

#define BLOB_BYTES (100 * 4096)   /* about a hundred WAL pages per commit */
#define N_COMMITS 200             /* 80 MB written: twenty checkpoint thresholds */

static gboolean
insert_blob (FestWriteCtx   *ctx,
             gpointer        job_data,
             gpointer       *result,
             GDestroyNotify *result_free,
             GError        **error)
{
  FestDb *db = fest_write_ctx_get_db (ctx);
  FestDbStmt *stmt;

  if (!fest_db_exec (db, "CREATE TABLE IF NOT EXISTS scratch (data BLOB)", error))
    return FALSE;
  stmt = fest_write_ctx_prepare (ctx, "INSERT INTO scratch (data) VALUES (randomblob(?1))", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, BLOB_BYTES);
  if (!fest_db_step_done (stmt, error))
    return FALSE;

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

static void
exec_ok (sqlite3    *db,
         const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
query_int (sqlite3    *db,
           const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* The stores' VFS buffers WAL writes until the sync: every commit, small, large (past its write
 * size and its flush threshold) or spilling pages to the WAL before it ends, must read back
 * whole, from the same connection and from another one on the default VFS, before and after a
 * reopen. */
static void
test_wal_batch_vfs (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fest-store-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "wal.db", NULL);
  sqlite3 *db;
  sqlite3 *other = NULL;

  g_assert_no_error (error);
  db = _fest_sqlite_open (path, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open_v2 (path, &other, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  /* No checkpoint: every page read back comes from the WAL. */
  exec_ok (db, "PRAGMA wal_autocheckpoint=0;"
               "CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB NOT NULL);");

  /* Small commits, each seen at once by the other connection. */
  for (guint i = 1; i <= 50; i++)
    {
      g_autofree char *sql = g_strdup_printf ("INSERT INTO t (id, data) VALUES (%u, zeroblob(%u))", i, 100 * i);

      exec_ok (db, sql);
      g_assert_cmpint (query_int (other, "SELECT COUNT(*) FROM t"), ==, i);
    }

  /* 6 MB in one commit: more than the flush threshold, written in many pieces. */
  exec_ok (db, "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 100)"
               " INSERT INTO t (id, data) SELECT 1000 + value, randomblob(60000) FROM s");
  g_assert_cmpint (query_int (other, "SELECT SUM(length(data)) FROM t WHERE id > 1000"), ==, 6000000);

  /* A transaction larger than a tiny page cache: pages spill to the WAL mid-transaction and are
   * read back (and rewritten) before the commit. */
  exec_ok (db, "PRAGMA cache_size=10;"
               "BEGIN;"
               "WITH RECURSIVE s(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM s WHERE value < 400)"
               " INSERT INTO t (id, data) SELECT 5000 + value, zeroblob(3000) FROM s;"
               "UPDATE t SET data = randomblob(2000) WHERE id > 5000;"
               "COMMIT;");
  g_assert_cmpint (query_int (db, "SELECT SUM(length(data)) FROM t WHERE id > 5000"), ==, 800000);
  g_assert_cmpint (query_int (other, "SELECT SUM(length(data)) FROM t WHERE id > 5000"), ==, 800000);

  g_assert_cmpint (query_int (other, "SELECT COUNT(*) FROM t"), ==, 550);
  sqlite3_close (other);
  sqlite3_close (db);

  /* Reopened on the default VFS: intact. */
  g_assert_cmpint (sqlite3_open_v2 (path, &other, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (query_int (other, "SELECT COUNT(*) FROM t"), ==, 550);
  g_assert_cmpint (query_int (other, "SELECT SUM(length(data)) FROM t"), ==, 127500 + 6000000 + 800000);
  {
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_prepare_v2 (other, "PRAGMA integrity_check", -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
    sqlite3_finalize (stmt);
  }
  sqlite3_close (other);

  {
    g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm_path = g_strconcat (path, "-shm", NULL);

    g_unlink (wal_path);
    g_unlink (shm_path);
  }
  g_unlink (path);
  g_rmdir (dir);
}

/* A festival store of its own for one test: a SQLite file in a new directory, or, on PostgreSQL
 * runs, a new festival schema. */
typedef struct
{
  FestFestivalStore *store;
  char              *festival_id;  /* PostgreSQL */
  char              *dir;          /* SQLite */
  char              *path;
} TestStore;

static void
test_store_open (TestStore  *test,
                 const char *name)
{
  g_autoptr(GError) error = NULL;
  const char *url = g_getenv ("FEST_TEST_DATABASE");

  test->festival_id = g_strdup_printf ("%s%d", name, (int) getpid ());
  if (url != NULL)
    test->store = fest_festival_store_open_pg (url, test->festival_id, TRUE, &error);
  else
    {
      test->dir = g_dir_make_tmp ("fest-store-XXXXXX", &error);
      g_assert_no_error (error);
      test->path = g_build_filename (test->dir, "festival.db", NULL);
      test->store = fest_festival_store_open (test->path, &error);
    }
  g_assert_no_error (error);
}

/* Closes the store and removes all it wrote. */
static void
test_store_close (TestStore *test)
{
  g_autoptr(GError) error = NULL;
  const char *url = g_getenv ("FEST_TEST_DATABASE");

  fest_festival_store_close (test->store);
  g_clear_object (&test->store);
  if (url != NULL)
    {
      g_assert_true (fest_festival_store_drop_pg (url, test->festival_id, &error));
      g_assert_no_error (error);
    }
  else
    {
      g_autofree char *wal_path = g_strconcat (test->path, "-wal", NULL);
      g_autofree char *shm_path = g_strconcat (test->path, "-shm", NULL);

      g_unlink (wal_path);
      g_unlink (shm_path);
      g_unlink (test->path);
      g_rmdir (test->dir);
    }
  g_clear_pointer (&test->festival_id, g_free);
  g_clear_pointer (&test->dir, g_free);
  g_clear_pointer (&test->path, g_free);
}

/* Steps @sql, a statement without parameters, on the write connection. */
static void
step_ok (FestWriteCtx *ctx,
         const char   *sql)
{
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, sql, &error);
  int rc;

  g_assert_no_error (error);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    g_error ("%s: %s", sql, fest_db_errmsg (fest_write_ctx_get_db (ctx)));
}

/* Tables of kept rows that are strings, dropped when another process writes the festival. */
static const FestKeptTable test_products = { "products", g_free, NULL, NULL };
static const FestKeptTable test_stands = { "stands", g_free, NULL, NULL };
static const FestKeptTable test_wallets = { "wallets", g_free, NULL, NULL };

static gpointer
lookup (FestWriteCtx        *ctx,
        const FestKeptTable *table,
        const char          *id)
{
  return fest_write_ctx_lookup_row (ctx, table, id);
}

/* One transaction (a job): what may have changed a kept row drops it, nothing else does. */
static gboolean
keep_rows_in_a_job (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  static const char product[] = "product";

  fest_write_ctx_keep_row (ctx, &test_products, "p1", g_strdup (product));
  fest_write_ctx_keep_row (ctx, &test_stands, "s1", g_strdup ("stand"));
  g_assert_cmpstr (lookup (ctx, &test_products, "p1"), ==, product);
  g_assert_null (lookup (ctx, &test_products, "p2"));

  /* Reads, and writes to other tables (one names a column product_id), keep it. */
  step_ok (ctx, "SELECT price FROM products WHERE id = 'p1'");
  step_ok (ctx, "UPDATE change_counter SET rev = rev WHERE id = 1");
  step_ok (ctx, "DELETE FROM transaction_lines WHERE product_id = 'none'");
  g_assert_cmpstr (lookup (ctx, &test_products, "p1"), ==, product);

  /* A write to its table drops it, even one that changed no row; a row of another table stays. */
  step_ok (ctx, "UPDATE products SET price = price WHERE id = 'none'");
  g_assert_null (lookup (ctx, &test_products, "p1"));
  g_assert_cmpstr (lookup (ctx, &test_stands, "s1"), ==, "stand");

  /* So does a rollback to a savepoint, for every table. */
  fest_write_ctx_keep_row (ctx, &test_products, "p1", g_strdup (product));
  step_ok (ctx, "SAVEPOINT kept");
  g_assert_cmpstr (lookup (ctx, &test_products, "p1"), ==, product);
  step_ok (ctx, "ROLLBACK TO kept");
  step_ok (ctx, "RELEASE kept");
  g_assert_null (lookup (ctx, &test_products, "p1"));
  g_assert_null (lookup (ctx, &test_stands, "s1"));

  /* And so does fest_db_exec(), which may run anything. */
  fest_write_ctx_keep_row (ctx, &test_products, "p1", g_strdup (product));
  g_assert_true (fest_db_exec (fest_write_ctx_get_db (ctx), "UPDATE change_counter SET rev = rev WHERE id = 1",
                               error));
  g_assert_null (lookup (ctx, &test_products, "p1"));

  /* A row as the write just run left it: the other rows of its table stay, unless that was not
   * the only write since. */
  fest_write_ctx_keep_row (ctx, &test_wallets, "w1", g_strdup ("w1 before"));
  fest_write_ctx_keep_row (ctx, &test_wallets, "w2", g_strdup ("w2"));
  step_ok (ctx, "UPDATE wallets SET balance = balance WHERE id = 'w1'");
  fest_write_ctx_keep_written_row (ctx, &test_wallets, "w1", g_strdup ("w1 after"));
  g_assert_cmpstr (lookup (ctx, &test_wallets, "w1"), ==, "w1 after");
  g_assert_cmpstr (lookup (ctx, &test_wallets, "w2"), ==, "w2");
  step_ok (ctx, "UPDATE wallets SET balance = balance WHERE id = 'w2'");
  step_ok (ctx, "UPDATE wallets SET balance = balance WHERE id = 'w1'");
  fest_write_ctx_keep_written_row (ctx, &test_wallets, "w1", g_strdup ("w1 again"));
  g_assert_cmpstr (lookup (ctx, &test_wallets, "w1"), ==, "w1 again");
  g_assert_null (lookup (ctx, &test_wallets, "w2"));

  /* Kept for the next jobs, in other transactions. */
  fest_write_ctx_keep_row (ctx, &test_products, "p1", g_strdup (product));
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

static gboolean
keep_rows_next_job (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  g_assert_cmpstr (lookup (ctx, &test_products, "p1"), ==, "product");
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* Writes, keeps a row, then fails: its writes are rolled back, and the row is gone. */
static gboolean
keep_rows_failing_job (FestWriteCtx   *ctx,
                       gpointer        job_data,
                       gpointer       *result,
                       GDestroyNotify *result_free,
                       GError        **error)
{
  step_ok (ctx, "UPDATE wallets SET balance = balance WHERE id = 'w3'");
  fest_write_ctx_keep_written_row (ctx, &test_wallets, "w3", g_strdup ("w3"));
  g_assert_cmpstr (lookup (ctx, &test_wallets, "w3"), ==, "w3");
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED, "refused");
  return FALSE;
}

static gboolean
keep_rows_after_failure (FestWriteCtx   *ctx,
                         gpointer        job_data,
                         gpointer       *result,
                         GDestroyNotify *result_free,
                         GError        **error)
{
  g_assert_null (lookup (ctx, &test_wallets, "w3"));
  g_assert_null (lookup (ctx, &test_products, "p1"));
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* The rows payments keep (a sale's wallet, stand and product, fest-ledger-repo.c) must never
 * outlive what they were read from: a price changed or a stand closed applies to the next sale,
 * and a balance is never one a rollback undid. (Another process's writes: below, and tests/pg.) */
static void
test_kept_rows (void)
{
  g_autoptr(GError) error = NULL;
  TestStore test = { 0, };

  test_store_open (&test, "kept");

  g_assert_nonnull (fest_festival_store_write_sync (test.store, keep_rows_in_a_job, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fest_festival_store_write_sync (test.store, keep_rows_next_job, NULL, &error));
  g_assert_no_error (error);
  g_assert_null (fest_festival_store_write_sync (test.store, keep_rows_failing_job, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  g_assert_nonnull (fest_festival_store_write_sync (test.store, keep_rows_after_failure, NULL, &error));
  g_assert_no_error (error);

  test_store_close (&test);
}

/* Wallet balances as text, brought up to date when another process writes the festival. */
static gpointer
balance_new (FestDbStmt *stmt)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, fest_db_column_int64 (stmt, 1));
}

static const FestKeptTable test_balances = {
  "wallets", g_free, "SELECT id, balance FROM wallets WHERE rev > ?1 ORDER BY rev LIMIT ?2", balance_new,
};

/* Steps @sql with the festival's next rev bound to ?1. */
static void
step_with_rev (FestWriteCtx *ctx,
               const char   *sql)
{
  g_autoptr(GError) error = NULL;
  gint64 rev = fest_write_ctx_next_rev (ctx, &error);
  FestDbStmt *stmt;

  g_assert_no_error (error);
  stmt = fest_write_ctx_prepare (ctx, sql, &error);
  g_assert_no_error (error);
  fest_db_bind_int64 (stmt, 1, rev);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    g_error ("%s: %s", sql, fest_db_errmsg (fest_write_ctx_get_db (ctx)));
  fest_db_reset (stmt);
}

static gboolean
balances_create (FestWriteCtx   *ctx,
                 gpointer        job_data,
                 gpointer       *result,
                 GDestroyNotify *result_free,
                 GError        **error)
{
  step_with_rev (ctx, "INSERT INTO wallets (id, code, balance, rev, created_at, updated_at)"
                      " VALUES ('w1', 'c1', 1, ?1, 'now', 'now'), ('w2', 'c2', 2, ?1, 'now', 'now'),"
                      " ('w3', 'c3', 3, ?1, 'now', 'now')");
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* Reads every wallet's balance and keeps it. */
static gboolean
balances_keep (FestWriteCtx   *ctx,
               gpointer        job_data,
               gpointer       *result,
               GDestroyNotify *result_free,
               GError        **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT id, balance FROM wallets WHERE id LIKE 'w%'", error);

  g_assert_nonnull (stmt);
  while (fest_db_step (stmt) == FEST_DB_ROW)
    fest_write_ctx_keep_row (ctx, &test_balances, fest_db_column_text (stmt, 0), balance_new (stmt));
  fest_db_reset (stmt);
  g_assert_cmpstr (lookup (ctx, &test_balances, "w2"), ==, "2");
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* @job_data: the SQL another process runs, with the next rev as ?1. */
static gboolean
balances_change (FestWriteCtx   *ctx,
                 gpointer        job_data,
                 gpointer       *result,
                 GDestroyNotify *result_free,
                 GError        **error)
{
  step_with_rev (ctx, job_data);
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* @job_data: "w1=1 w2=20 w3=3", what is kept ("-" none). */
static gboolean
balances_check (FestWriteCtx   *ctx,
                gpointer        job_data,
                gpointer       *result,
                GDestroyNotify *result_free,
                GError        **error)
{
  g_auto(GStrv) expected = g_strsplit (job_data, " ", -1);

  for (guint i = 0; expected[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (expected[i], "=", 2);

      g_assert_cmpstr (lookup (ctx, &test_balances, pair[0]), ==, g_str_equal (pair[1], "-") ? NULL : pair[1]);
    }
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

static void
write_ok (FestFestivalStore *store,
          FestWriteFunc      func,
          const char        *data)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (fest_festival_store_write_sync (store, func, (gpointer) data, &error));
  g_assert_no_error (error);
}

/* @job_data: "SEQ HASH", the ledger's head the write connection must give ("0 -": none). */
static gboolean
head_check (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  g_autofree char *head = NULL;
  const char *hash = NULL;
  gint64 seq = -1;

  g_assert_true (fest_write_ctx_get_ledger_head (ctx, &seq, &hash, error));
  head = g_strdup_printf ("%" G_GINT64_FORMAT " %s", seq, hash != NULL ? hash : "-");
  g_assert_cmpstr (head, ==, job_data);
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* Two server processes on one database: when one writes the festival, the other's next batch
 * reads again the rows it keeps that were changed, in the round trip that takes the festival's
 * lock, and keeps the others; when too many changed, it drops them all. The ledger's head, kept
 * from batch to batch, is read again too. */
static void
test_kept_rows_other_process (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestFestivalStore) other = NULL;
  TestStore test = { 0, };

  test_store_open (&test, "refresh");
  other = fest_festival_store_open_pg (g_getenv ("FEST_TEST_DATABASE"), test.festival_id, FALSE, &error);
  g_assert_no_error (error);

  write_ok (test.store, balances_create, NULL);
  write_ok (test.store, head_check, "0 -");
  write_ok (test.store, balances_keep, NULL);
  write_ok (test.store, balances_check, "w1=1 w2=2 w3=3");

  write_ok (other, balances_change, "UPDATE wallets SET balance = 20, rev = ?1 WHERE id = 'w2'");
  write_ok (test.store, balances_check, "w1=1 w2=20 w3=3");
  /* Changed twice, and a row this process does not keep: the last balance, and nothing new kept. */
  write_ok (other, balances_change, "UPDATE wallets SET balance = 30, rev = ?1 WHERE id = 'w3'");
  write_ok (other, balances_change, "UPDATE wallets SET balance = 31, rev = ?1 WHERE id = 'w3'");
  write_ok (other, balances_change, "INSERT INTO wallets (id, code, balance, rev, created_at, updated_at)"
                                    " VALUES ('w4', 'c4', 4, ?1, 'now', 'now')");
  write_ok (test.store, balances_check, "w1=1 w2=20 w3=31 w4=-");

  write_ok (other, balances_change, "INSERT INTO transactions (seq, id, wallet_id, type, amount, balance_after,"
                                    " idempotency_key, created_at, recorded_at, prev_hash, hash)"
                                    " SELECT 1, 't1', 'w1', 'RECHARGE', 1, 1, 'k1', 'now', 'now', '', 'h1'"
                                    " WHERE ?1 > 0");
  write_ok (test.store, head_check, "1 h1");

  /* More rows changed than one read brings: none is kept. */
  write_ok (other, balances_change, "INSERT INTO wallets (id, code, balance, rev, created_at, updated_at)"
                                    " SELECT 'x' || i, 'x' || i, i, ?1, 'now', 'now'"
                                    " FROM generate_series (1, 600) AS i");
  write_ok (test.store, balances_check, "w1=- w2=- w3=-");

  fest_festival_store_close (other);
  test_store_close (&test);
}

/* Whether fest_idempotency_repo_get() finds @key. */
static gboolean
key_found (FestWriteCtx *ctx,
           const char   *key)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *request_hash = NULL;
  gboolean found = FALSE;
  guint status = 0;

  g_assert_true (fest_idempotency_repo_get (ctx, key, &found, &request_hash, &status, NULL, &error));
  g_assert_no_error (error);
  return found;
}

static void
find_new_ok (FestWriteCtx *ctx)
{
  static const char * const keys[] = { "old", "new1", "new2", "we\"ird\\key,{x}" };
  g_autoptr(GError) error = NULL;

  g_assert_true (fest_idempotency_repo_find_new (ctx, keys, G_N_ELEMENTS (keys), &error));
  g_assert_no_error (error);
}

/* One batch: the keys found new at its start answer lookups without the database, until what
 * may have stored them. */
static gboolean
new_keys_in_a_batch (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  gboolean pg = fest_db_is_pg (fest_write_ctx_get_db (ctx));

  g_assert_true (fest_idempotency_repo_insert (ctx, "old", "h", 200, "", 0, "now", error));
  find_new_ok (ctx);
  /* SQLite keeps none: its lookups cost no round trip. */
  g_assert_true (fest_write_ctx_key_is_absent (ctx, "new1") == pg);
  g_assert_true (fest_write_ctx_key_is_absent (ctx, "we\"ird\\key,{x}") == pg);
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "old"));
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "not asked"));
  g_assert_true (key_found (ctx, "old"));
  g_assert_false (key_found (ctx, "new1"));

  /* Stored by the repository: that key is looked up again, the others stay new. */
  g_assert_true (fest_idempotency_repo_insert (ctx, "new1", "h", 200, "", 0, "now", error));
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "new1"));
  g_assert_true (key_found (ctx, "new1"));
  g_assert_true (fest_write_ctx_key_is_absent (ctx, "new2") == pg);
  g_assert_true (fest_idempotency_repo_delete (ctx, "new1", error));
  g_assert_false (key_found (ctx, "new1"));
  g_assert_true (fest_write_ctx_key_is_absent (ctx, "new2") == pg);

  /* Any other write to the table forgets them all. */
  step_ok (ctx, "INSERT INTO idempotency (key, request_hash, status, body, created_at) "
                "VALUES ('new2', 'h', 200, '', 'now')");
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "we\"ird\\key,{x}"));
  g_assert_true (key_found (ctx, "new2"));

  /* So does a rollback, even to a savepoint: what it undid is not known. */
  find_new_ok (ctx);
  g_assert_true (fest_write_ctx_key_is_absent (ctx, "we\"ird\\key,{x}") == pg);
  step_ok (ctx, "SAVEPOINT keys");
  step_ok (ctx, "ROLLBACK TO keys");
  step_ok (ctx, "RELEASE keys");
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "we\"ird\\key,{x}"));

  /* Found new for the next job of the batch only. */
  find_new_ok (ctx);
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

static gboolean
new_keys_next_batch (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  g_assert_false (fest_write_ctx_key_is_absent (ctx, "we\"ird\\key,{x}"));
  g_assert_true (key_found (ctx, "old"));
  g_assert_true (key_found (ctx, "new2"));
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

/* PostgreSQL looks a batch's Idempotency-Keys up at once (fest-festival-writer.c): a key found
 * new must never answer "new" once it may have been stored, or a replay would pay twice. (The
 * same key twice in one batch, and on two processes: tests/server/test-idempotency.c, tests/pg.) */
static void
test_new_keys (void)
{
  g_autoptr(GError) error = NULL;
  TestStore test = { 0, };

  test_store_open (&test, "keys");

  g_assert_nonnull (fest_festival_store_write_sync (test.store, new_keys_in_a_batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (fest_festival_store_write_sync (test.store, new_keys_next_batch, NULL, &error));
  g_assert_no_error (error);

  test_store_close (&test);
}

/* A job that holds a writer (and, on PostgreSQL, the festival's lock its batch took) while the
 * test queues other jobs behind it. */
typedef struct
{
  GMutex   lock;
  GCond    cond;
  gboolean started;         /* the blocking job runs */
  gboolean waited;          /* ... and another connection waits for its lock */
  gboolean released;        /* ... and may return */
  guint    n_done;          /* callbacks */
} Blocker;

static void
blocker_signal (Blocker  *blocker,
                gboolean *flag)
{
  g_mutex_lock (&blocker->lock);
  *flag = TRUE;
  g_cond_broadcast (&blocker->cond);
  g_mutex_unlock (&blocker->lock);
}

static void
blocker_wait (Blocker  *blocker,
              gboolean *flag)
{
  g_mutex_lock (&blocker->lock);
  while (!*flag)
    g_cond_wait (&blocker->cond, &blocker->lock);
  g_mutex_unlock (&blocker->lock);
}

/* Holds the writer until released, then creates the table of the jobs queued behind it. */
static gboolean
block_writer (FestWriteCtx   *ctx,
              gpointer        job_data,
              gpointer       *result,
              GDestroyNotify *result_free,
              GError        **error)
{
  Blocker *blocker = job_data;

  blocker_signal (blocker, &blocker->started);
  blocker_wait (blocker, &blocker->released);
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return fest_db_exec (fest_write_ctx_get_db (ctx),
                       "CREATE TABLE IF NOT EXISTS batch_rows (id integer PRIMARY KEY, run integer NOT NULL)",
                       error);
}

typedef struct
{
  int       id;
  guint     runs;
  gboolean  done;
  GError   *error;
} RowJob;

/* Inserts the job's row. Its write is checked where the writer checks writes: with unanswered
 * writes on (PostgreSQL, a job without a SAVEPOINT), a duplicate id fails in the database only. */
static gboolean
insert_row (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  RowJob *job = job_data;
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "INSERT INTO batch_rows (id, run) VALUES (?1, ?2)", error);

  job->runs++;
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, job->id);
  fest_db_bind_int64 (stmt, 2, job->runs);
  if (!fest_db_step_done (stmt, error))
    return FALSE;
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

static void
row_job_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RowJob *job = user_data;

  g_assert_null (job->error);
  if (fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &job->error) == NULL)
    g_assert_nonnull (job->error);
  job->done = TRUE;
}

static void
blocker_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error));
  g_assert_no_error (error);
  ((Blocker *) user_data)->n_done++;
}

static gboolean
rows_check (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM batch_rows ORDER BY id", error);
  GString *ids = g_string_new (NULL);
  int rc;

  g_assert_nonnull (stmt);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_string_append_printf (ids, "%s%" G_GINT64_FORMAT, ids->len > 0 ? " " : "", fest_db_column_int64 (stmt, 0));
  g_assert_cmpint (rc, ==, FEST_DB_DONE);
  fest_db_reset (stmt);
  *result = g_string_free (ids, FALSE);
  *result_free = g_free;
  return TRUE;
}

/* Rerunnable jobs of one batch, the second one's write failing: it fails alone, the others'
 * writes are committed once. On PostgreSQL, the batch's writes go unchecked until its COMMIT
 * (fest-festival-writer.c): the failure comes with the COMMIT's answer, and the batch runs again
 * from its BEGIN, each job in a SAVEPOINT. */
static void
test_failed_write_in_batch (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *ids = NULL;
  TestStore test = { 0, };
  Blocker blocker = { 0, };
  RowJob jobs[] = { { .id = 1 }, { .id = 1 }, { .id = 3 } };
  gboolean pg = g_getenv ("FEST_TEST_DATABASE") != NULL;

  test_store_open (&test, "failedwrite");

  /* The writer is busy with the blocker while the three jobs queue: they make one batch. */
  fest_festival_store_write_async (test.store, block_writer, &blocker, NULL, NULL, blocker_done, &blocker);
  blocker_wait (&blocker, &blocker.started);
  for (guint i = 0; i < G_N_ELEMENTS (jobs); i++)
    fest_festival_store_write_rerunnable_async (test.store, NULL, insert_row, &jobs[i], NULL, NULL,
                                                row_job_done, &jobs[i]);
  blocker_signal (&blocker, &blocker.released);
  while (blocker.n_done == 0 || !jobs[0].done || !jobs[1].done || !jobs[2].done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (jobs[0].error);
  g_assert_nonnull (jobs[1].error);
  g_assert_no_error (jobs[2].error);
  ids = fest_festival_store_write_sync (test.store, rows_check, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (ids, ==, "1 3");
  /* SQLite: the failed INSERT wrote nothing, nothing to roll back. */
  g_assert_cmpuint (jobs[0].runs, ==, pg ? 2 : 1);
  g_assert_cmpuint (jobs[2].runs, ==, pg ? 2 : 1);

  g_clear_error (&jobs[1].error);
  g_mutex_clear (&blocker.lock);
  g_cond_clear (&blocker.cond);
  test_store_close (&test);
}

/* Holds the festival's lock (its batch took it) until another connection waits for it, then
 * until released. */
static gboolean
hold_festival_lock (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  Blocker *blocker = job_data;
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT count(*) FROM pg_stat_activity"
                                                  " WHERE pg_backend_pid () = ANY (pg_blocking_pids (pid))",
                                             error);
  gint64 waiting = 0;

  g_assert_nonnull (stmt);
  blocker_signal (blocker, &blocker->started);
  for (guint i = 0; i < 10000 && waiting == 0; i++)
    {
      g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
      waiting = fest_db_column_int64 (stmt, 0);
      fest_db_reset (stmt);
      if (waiting == 0)
        g_usleep (1000);
    }
  g_assert_cmpint (waiting, ==, 1);

  blocker_signal (blocker, &blocker->waited);
  blocker_wait (blocker, &blocker->released);
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return TRUE;
}

typedef struct
{
  const char *key;
  guint       runs;
  gboolean    done;
  char       *answer;       /* "new" or "replayed" */
} KeyedJob;

/* An idempotent job in short: replays a stored key, else stores it. */
static gboolean
keyed_job (FestWriteCtx   *ctx,
           gpointer        job_data,
           gpointer       *result,
           GDestroyNotify *result_free,
           GError        **error)
{
  KeyedJob *job = job_data;
  g_autofree char *request_hash = NULL;
  gboolean found = FALSE;
  guint status = 0;

  job->runs++;
  if (!fest_idempotency_repo_get (ctx, job->key, &found, &request_hash, &status, NULL, error))
    return FALSE;
  if (!found && !fest_idempotency_repo_insert (ctx, job->key, "h", 200, "", 0, "now", error))
    return FALSE;
  *result = g_strdup (found ? "replayed" : "new");
  *result_free = g_free;
  return TRUE;
}

static void
keyed_job_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  KeyedJob *job = user_data;

  job->answer = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  g_assert_no_error (error);
  job->done = TRUE;
}

static gboolean
store_old_key (FestWriteCtx   *ctx,
               gpointer        job_data,
               gpointer       *result,
               GDestroyNotify *result_free,
               GError        **error)
{
  *result = GINT_TO_POINTER (1);
  *result_free = NULL;
  return fest_idempotency_repo_insert (ctx, "old", "h", 200, "", 0, "now", error);
}

/* Two processes: a job that joins a batch while it waits for the festival's lock has its
 * Idempotency-Key taken as new, without a round trip. When that key was stored, its job's write of
 * it fails the batch's COMMIT, and the batch runs again: the key's stored answer is replayed, and
 * the other job's write is committed once. */
static void
test_late_job_stored_key (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestFestivalStore) other = NULL;
  TestStore test = { 0, };
  Blocker blocker = { 0, };
  KeyedJob first = { .key = "first" };
  KeyedJob late = { .key = "old" };

  test_store_open (&test, "latekey");
  other = fest_festival_store_open_pg (g_getenv ("FEST_TEST_DATABASE"), test.festival_id, FALSE, &error);
  g_assert_no_error (error);
  write_ok (test.store, store_old_key, NULL);

  /* The other process holds the lock; this one's batch waits for it with its first job. */
  fest_festival_store_write_async (other, hold_festival_lock, &blocker, NULL, NULL, blocker_done, &blocker);
  blocker_wait (&blocker, &blocker.started);
  fest_festival_store_write_rerunnable_async (test.store, first.key, keyed_job, &first, NULL, NULL,
                                              keyed_job_done, &first);
  blocker_wait (&blocker, &blocker.waited);
  fest_festival_store_write_rerunnable_async (test.store, late.key, keyed_job, &late, NULL, NULL,
                                              keyed_job_done, &late);
  blocker_signal (&blocker, &blocker.released);
  while (blocker.n_done == 0 || !first.done || !late.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpstr (first.answer, ==, "new");
  g_assert_cmpstr (late.answer, ==, "replayed");
  /* Once taken as new, once looked up; the first job ran again with it. */
  g_assert_cmpuint (late.runs, ==, 2);
  g_assert_cmpuint (first.runs, ==, 2);

  g_free (first.answer);
  g_free (late.answer);
  g_mutex_clear (&blocker.lock);
  g_cond_clear (&blocker.cond);
  fest_festival_store_close (other);
  test_store_close (&test);
}

/* On PostgreSQL runs: see the top of the file. */
static void
skip_sqlite_only (void)
{
  g_test_skip ("SQLite only: the SQLite store's WAL checkpointer and WAL VFS");
}

static void
skip_pg_only (void)
{
  g_test_skip ("PostgreSQL only: two server processes on one database");
}

int
main (int   argc,
      char *argv[])
{
  /* Set by `meson test --setup postgresql` (see fest_test_backend_is_pg()). */
  gboolean pg = g_getenv ("FEST_TEST_DATABASE") != NULL;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/checkpointer-bounds-the-wal", pg ? skip_sqlite_only : test_checkpointer_bounds_the_wal);
  g_test_add_func ("/store/wal-batch-vfs", pg ? skip_sqlite_only : test_wal_batch_vfs);
  g_test_add_func ("/store/kept-rows", test_kept_rows);
  g_test_add_func ("/store/new-keys", test_new_keys);
  g_test_add_func ("/store/failed-write-in-batch", test_failed_write_in_batch);
  g_test_add_func ("/store/kept-rows-other-process", pg ? test_kept_rows_other_process : skip_pg_only);
  g_test_add_func ("/store/late-job-stored-key", pg ? test_late_job_stored_key : skip_pg_only);

  return g_test_run ();
}
