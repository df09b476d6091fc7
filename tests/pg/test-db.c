/* test-db.c: the store's statement API (fest-db.h) behaves the same on SQLite and PostgreSQL
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every case runs twice: on a real SQLite file and on the throw-away PostgreSQL cluster whose URL
 * build-aux/pg-cluster.sh puts in FEST_TEST_DATABASE (tests/pg/meson.build runs it that way).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fest-db-pg.h"
#include "fest-store-private.h"

typedef struct
{
  char   *dir;
  FestDb *db;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  gboolean pg = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;

  if (pg)
    {
      const char *url = g_getenv ("FEST_TEST_DATABASE");

      if (url == NULL)
        g_error ("FEST_TEST_DATABASE is not set: run this test through build-aux/pg-cluster.sh run");
      fixture->db = fest_db_new_pg (url, &error);
      g_assert_no_error (error);
      g_assert_true (fest_db_exec (fixture->db,
                                   "DROP SCHEMA IF EXISTS fest_db_test CASCADE;"
                                   "CREATE SCHEMA fest_db_test; SET search_path TO fest_db_test;"
                                   "CREATE TABLE t (id bigint PRIMARY KEY, name text,"
                                   " amount bigint NOT NULL CHECK (amount >= 0), ratio double precision,"
                                   " data bytea)",
                                   &error));
    }
  else
    {
      g_autofree char *path = NULL;
      sqlite3 *sqlite = NULL;

      fixture->dir = g_dir_make_tmp ("fest-db-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (fixture->dir, "test.db", NULL);
      g_assert_cmpint (sqlite3_open (path, &sqlite), ==, SQLITE_OK);
      fixture->db = fest_db_new_sqlite (sqlite);
      g_assert_true (fest_db_exec (fixture->db,
                                   "CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT,"
                                   " amount INTEGER NOT NULL CHECK (amount >= 0), ratio REAL, data BLOB)",
                                   &error));
    }
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  if (GPOINTER_TO_INT (data))
    g_assert_true (fest_db_exec (fixture->db, "DROP SCHEMA fest_db_test CASCADE", NULL));
  g_clear_pointer (&fixture->db, fest_db_free);
  if (fixture->dir != NULL)
    {
      g_autofree char *path = g_build_filename (fixture->dir, "test.db", NULL);

      g_unlink (path);
      g_rmdir (fixture->dir);
      g_free (fixture->dir);
    }
}

static void
insert (FestDb       *db,
        gint64        id,
        const char   *name,
        gint64        amount,
        int           expected)
{
  FestDbStmt *stmt = fest_db_prepare (db, "INSERT INTO t (id, name, amount) VALUES (?1, ?2, ?3)", NULL);

  g_assert_nonnull (stmt);
  fest_db_bind_int64 (stmt, 1, id);
  fest_db_bind_text (stmt, 2, name);
  fest_db_bind_int64 (stmt, 3, amount);
  g_assert_cmpint (fest_db_step (stmt) & 0xff, ==, expected);
  fest_db_reset (stmt);
}

/* Every type in, the same values out, NULL as NULL; a cached statement reused with new values. */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  static const guint8 bytes[] = { 0x00, 0x01, 0xff, '\\', 'x', 0x00 };
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;

  stmt = fest_db_prepare (fixture->db,
                          "INSERT INTO t (id, name, amount, ratio, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                          &error);
  g_assert_no_error (error);
  fest_db_bind_int64 (stmt, 1, 1);
  fest_db_bind_text_copy (stmt, 2, "Bière «pression» 'x' ?1");
  fest_db_bind_int64 (stmt, 3, G_MAXINT64);
  fest_db_bind_double (stmt, 4, 0.055);
  fest_db_bind_blob (stmt, 5, bytes, sizeof bytes);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  g_assert_cmpint (fest_db_changes (fixture->db), ==, 1);
  g_assert_true (fest_db_step_done (fest_db_prepare (fixture->db, "DELETE FROM t WHERE id = 99", NULL), NULL));
  g_assert_cmpint (fest_db_changes (fixture->db), ==, 0);

  /* The same cached statement again, with NULLs and an empty blob. */
  stmt = fest_db_prepare (fixture->db,
                          "INSERT INTO t (id, name, amount, ratio, data) VALUES (?1, ?2, ?3, ?4, ?5)",
                          &error);
  fest_db_bind_int64 (stmt, 1, 2);
  fest_db_bind_null (stmt, 2);
  fest_db_bind_int64 (stmt, 3, 0);
  fest_db_bind_null (stmt, 4);
  fest_db_bind_blob (stmt, 5, "", 0);
  g_assert_true (fest_db_step_done (stmt, &error));
  g_assert_no_error (error);

  stmt = fest_db_prepare (fixture->db, "SELECT id, name, amount, ratio, data FROM t ORDER BY id", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  g_assert_cmpint (fest_db_column_int64 (stmt, 0), ==, 1);
  g_assert_cmpstr (fest_db_column_text (stmt, 1), ==, "Bière «pression» 'x' ?1");
  g_assert_cmpint (fest_db_column_int64 (stmt, 2), ==, G_MAXINT64);
  g_assert_cmpfloat (fest_db_column_double (stmt, 3), ==, 0.055);
  g_assert_cmpuint (fest_db_column_bytes (stmt, 4), ==, sizeof bytes);
  g_assert_cmpmem (fest_db_column_blob (stmt, 4), sizeof bytes, bytes, sizeof bytes);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  g_assert_true (fest_db_column_is_null (stmt, 1));
  g_assert_null (fest_db_column_text (stmt, 1));
  g_assert_true (fest_db_column_is_null (stmt, 3));
  g_assert_false (fest_db_column_is_null (stmt, 2));
  g_assert_cmpuint (fest_db_column_bytes (stmt, 4), ==, 0);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  fest_db_reset (stmt);
}

/* Sums, counts and comparisons read as integers whatever type the database gives them. */
static void
test_expressions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(FestDbStmt) stmt = NULL;

  insert (fixture->db, 1, "a", 5, FEST_DB_DONE);
  insert (fixture->db, 2, "b", 7, FEST_DB_DONE);
  /* ?1 is never used: the statement still prepares, and ?3 binds by its number. */
  stmt = fest_db_prepare_uncached (fixture->db,
                                   "SELECT COUNT(*), SUM(amount), CASE WHEN ?2 > 0 THEN 1 ELSE 0 END,"
                                   " '?' || ?3 FROM t -- a ? in a comment\n",
                                   NULL);
  g_assert_nonnull (stmt);
  fest_db_bind_int64 (stmt, 2, 1);
  fest_db_bind_text (stmt, 3, "x");
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  g_assert_cmpint (fest_db_column_int64 (stmt, 0), ==, 2);
  g_assert_cmpint (fest_db_column_int64 (stmt, 1), ==, 12);
  g_assert_cmpint (fest_db_column_int (stmt, 2), ==, 1);
  g_assert_cmpstr (fest_db_column_text (stmt, 3), ==, "?x");
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
}

/* A refused change is a constraint error with the database's message; a syntax error fails at
 * prepare with one. */
static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;

  insert (fixture->db, 1, "a", 5, FEST_DB_DONE);
  insert (fixture->db, 1, "again", 5, FEST_DB_CONSTRAINT);
  insert (fixture->db, 2, "negative", -1, FEST_DB_CONSTRAINT);
  g_assert_cmpstr (fest_db_errmsg (fixture->db), !=, "");

  stmt = fest_db_prepare (fixture->db, "SELEKT 1", &error);
  g_assert_null (stmt);
  g_assert_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE);
}

/* Transactions and savepoints, as the group-commit writer uses them: a job's savepoint rolls back
 * only that job, even after one of its statements failed. */
static void
test_savepoints (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestDbStmt) count = NULL;

  g_assert_false (fest_db_in_transaction (fixture->db));
  g_assert_true (fest_db_exec (fixture->db, "BEGIN", &error));
  g_assert_true (fest_db_in_transaction (fixture->db));

  g_assert_true (fest_db_exec (fixture->db, "SAVEPOINT job", &error));
  insert (fixture->db, 1, "kept", 1, FEST_DB_DONE);
  g_assert_true (fest_db_exec (fixture->db, "RELEASE job", &error));

  g_assert_true (fest_db_exec (fixture->db, "SAVEPOINT job", &error));
  insert (fixture->db, 2, "undone", 1, FEST_DB_DONE);
  insert (fixture->db, 1, "duplicate", 1, FEST_DB_CONSTRAINT);
  g_assert_true (fest_db_exec (fixture->db, "ROLLBACK TO job", &error));
  g_assert_true (fest_db_exec (fixture->db, "RELEASE job", &error));

  g_assert_true (fest_db_exec (fixture->db, "COMMIT", &error));
  g_assert_no_error (error);
  g_assert_false (fest_db_in_transaction (fixture->db));

  count = fest_db_prepare_uncached (fixture->db, "SELECT COUNT(*), MIN(name) FROM t", NULL);
  g_assert_cmpint (fest_db_step (count), ==, FEST_DB_ROW);
  g_assert_cmpint (fest_db_column_int64 (count, 0), ==, 1);
  g_assert_cmpstr (fest_db_column_text (count, 1), ==, "kept");
}

static gint64
count_rows (FestDb *db)
{
  FestDbStmt *stmt = fest_db_prepare (db, "SELECT COUNT(*) FROM t", NULL);
  gint64 n;

  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  n = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return n;
}

/* Writes sent without waiting for their answers (PostgreSQL's pipeline mode, as the writer runs
 * rerunnable jobs): the next query sees them; a failed one fails the next query and the
 * transaction, and nothing of it stays. SQLite answers each at once. */
static void
test_unanswered_writes (Fixture       *fixture,
                        gconstpointer  data)
{
  gboolean pg = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;
  gint64 changes;

  g_assert_true (fest_db_exec (fixture->db, "BEGIN", &error));
  fest_db_set_unanswered_writes (fixture->db, TRUE);
  changes = fest_db_total_changes (fixture->db);
  insert (fixture->db, 1, "first run: answered", 1, FEST_DB_DONE);
  insert (fixture->db, 2, "sent", 2, FEST_DB_DONE);
  insert (fixture->db, 3, "sent", 3, FEST_DB_DONE);
  g_assert_cmpint (fest_db_total_changes (fixture->db), ==, changes + 3);
  g_assert_cmpint (count_rows (fixture->db), ==, 3);

  /* The rows a write changed, once asked for, are its own. */
  stmt = fest_db_prepare (fixture->db, "UPDATE t SET amount = amount + 1 WHERE id = ?1", NULL);
  fest_db_bind_int64 (stmt, 1, 42);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  fest_db_reset (stmt);
  fest_db_bind_int64 (stmt, 1, 42);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  fest_db_reset (stmt);
  g_assert_cmpint (fest_db_changes (fixture->db), ==, 0);
  g_assert_true (fest_db_sync (fixture->db, &error));
  g_assert_no_error (error);

  /* A duplicate: PostgreSQL learns it with the next query, SQLite at once. */
  insert (fixture->db, 2, "duplicate", 1, pg ? FEST_DB_DONE : FEST_DB_CONSTRAINT);
  insert (fixture->db, 4, "after it", 1, FEST_DB_DONE);
  if (pg)
    {
      stmt = fest_db_prepare (fixture->db, "SELECT COUNT(*) FROM t", NULL);
      g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_CONSTRAINT);
      fest_db_reset (stmt);
      g_assert_nonnull (strstr (fest_db_errmsg (fixture->db), "duplicate key"));
      g_assert_true (fest_db_transaction_failed (fixture->db));
      g_assert_false (fest_db_sync (fixture->db, &error));
      g_assert_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE);
      g_clear_error (&error);
    }
  fest_db_set_unanswered_writes (fixture->db, FALSE);
  g_assert_true (fest_db_exec (fixture->db, "ROLLBACK", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (fixture->db), ==, 0);
}

/* A query whose rows are not read (SELECT pg_notify (…)): on PostgreSQL it goes out unanswered,
 * as writes do; it changes no row; it fails the next statement that waits
 * for an answer, and the transaction, when it fails. */
static void
test_unneeded_rows (Fixture       *fixture,
                    gconstpointer  data)
{
  gboolean pg = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;
  gint64 changes;

  insert (fixture->db, 1, "ten", 10, FEST_DB_DONE);
  g_assert_true (fest_db_exec (fixture->db, "BEGIN", &error));
  fest_db_set_unanswered_writes (fixture->db, TRUE);
  changes = fest_db_total_changes (fixture->db);
  stmt = fest_db_prepare (fixture->db, "SELECT 100 / amount FROM t WHERE id = ?1", NULL);
  for (int run = 0; run < 2; run++)
    {
      fest_db_bind_int64 (stmt, 1, 1);
      g_assert_cmpint (fest_db_step_unanswered (stmt), ==, pg ? FEST_DB_DONE : FEST_DB_ROW);
      fest_db_reset (stmt);
    }
  g_assert_true (fest_db_sync (fixture->db, &error));
  g_assert_no_error (error);
  g_assert_cmpint (fest_db_total_changes (fixture->db), ==, changes);

  if (pg)
    {
      insert (fixture->db, 2, "zero", 0, FEST_DB_DONE);
      fest_db_bind_int64 (stmt, 1, 2);
      g_assert_cmpint (fest_db_step_unanswered (stmt), ==, FEST_DB_DONE);
      fest_db_reset (stmt);
      g_assert_false (fest_db_sync (fixture->db, &error));
      g_assert_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE);
      g_assert_nonnull (strstr (fest_db_errmsg (fixture->db), "division by zero"));
      g_assert_true (fest_db_transaction_failed (fixture->db));
    }
  fest_db_set_unanswered_writes (fixture->db, FALSE);
  g_assert_true (fest_db_exec (fixture->db, "ROLLBACK", NULL));
}

static gint64
amount_of (FestDb   *db,
           gint64    id,
           gboolean  prefetch)
{
  FestDbStmt *stmt = fest_db_prepare (db, "SELECT amount FROM t WHERE id = ?1", NULL);
  gint64 amount = -1;

  fest_db_bind_int64 (stmt, 1, id);
  if (prefetch)
    {
      fest_db_prefetch (stmt);
      return 0;
    }
  if (fest_db_step (stmt) == FEST_DB_ROW)
    amount = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return amount;
}

/* A query sent ahead of its step answers it only for the same parameters and when nothing was
 * written since; else the step runs it again. */
static void
test_prefetch (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;

  insert (fixture->db, 1, "a", 5, FEST_DB_DONE);
  insert (fixture->db, 2, "b", 7, FEST_DB_DONE);
  g_assert_true (fest_db_exec (fixture->db, "BEGIN", &error));
  fest_db_set_unanswered_writes (fixture->db, TRUE);
  g_assert_cmpint (amount_of (fixture->db, 1, FALSE), ==, 5);

  amount_of (fixture->db, 1, TRUE);
  g_assert_cmpint (amount_of (fixture->db, 1, FALSE), ==, 5);

  amount_of (fixture->db, 1, TRUE);
  g_assert_cmpint (amount_of (fixture->db, 2, FALSE), ==, 7);

  /* Answered with another query's round trip, then used. */
  amount_of (fixture->db, 2, TRUE);
  g_assert_cmpint (count_rows (fixture->db), ==, 2);
  g_assert_cmpint (amount_of (fixture->db, 2, FALSE), ==, 7);

  /* A write after it: the step sees the write. */
  amount_of (fixture->db, 1, TRUE);
  stmt = fest_db_prepare (fixture->db, "UPDATE t SET amount = ?2 WHERE id = ?1", NULL);
  fest_db_bind_int64 (stmt, 1, 1);
  fest_db_bind_int64 (stmt, 2, 9);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  fest_db_reset (stmt);
  g_assert_cmpint (amount_of (fixture->db, 1, FALSE), ==, 9);

  /* A second update, now sent unanswered, after a prefetch of the row it changes. */
  amount_of (fixture->db, 1, TRUE);
  stmt = fest_db_prepare (fixture->db, "UPDATE t SET amount = ?2 WHERE id = ?1", NULL);
  fest_db_bind_int64 (stmt, 1, 1);
  fest_db_bind_int64 (stmt, 2, 11);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_DONE);
  fest_db_reset (stmt);
  g_assert_cmpint (amount_of (fixture->db, 1, FALSE), ==, 11);

  /* Prefetched again and again without a step (jobs that replayed their keys), each time with a
   * value the caller frees at once: the last one answers. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup (i % 2 == 0 ? "a" : "b");

      stmt = fest_db_prepare (fixture->db, "SELECT amount FROM t WHERE name = ?1", NULL);
      fest_db_bind_text (stmt, 1, name);
      if (i == 0)
        {
          g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
          fest_db_reset (stmt);
          continue;
        }
      fest_db_prefetch (stmt);
      g_assert_cmpint (count_rows (fixture->db), ==, 2);
    }
  {
    g_autofree char *name = g_strdup ("a");

    stmt = fest_db_prepare (fixture->db, "SELECT amount FROM t WHERE name = ?1", NULL);
    fest_db_bind_text (stmt, 1, name);
    fest_db_prefetch (stmt);
    stmt = fest_db_prepare (fixture->db, "SELECT amount FROM t WHERE name = ?1", NULL);
    fest_db_bind_text (stmt, 1, "b");
    g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
    g_assert_cmpint (fest_db_column_int64 (stmt, 0), ==, 7);
    fest_db_reset (stmt);
  }

  /* One left unused: the rollback reads its answer and drops it. */
  amount_of (fixture->db, 2, TRUE);
  fest_db_set_unanswered_writes (fixture->db, FALSE);
  g_assert_true (fest_db_exec (fixture->db, "ROLLBACK", &error));
  g_assert_no_error (error);
  g_assert_cmpint (amount_of (fixture->db, 1, FALSE), ==, 5);
}

/* ?N becomes $N outside literals, quoted names and comments; a bare ? takes the next number. */
static void
test_translate (void)
{
  struct { const char *sql; const char *expected; int n_params; } cases[] = {
    { "SELECT ?1, ?2", "SELECT $1, $2", 2 },
    { "SELECT ?, ?", "SELECT $1, $2", 2 },
    { "SELECT ?3, ?", "SELECT $3, $4", 4 },
    { "SELECT '?1', \"a?\", ?1 -- ?2\n", "SELECT '?1', \"a?\", $1 -- ?2\n", 1 },
    { "SELECT 'it''s ?', /* ?9 */ ?2", "SELECT 'it''s ?', /* ?9 */ $2", 2 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree gboolean *used = NULL;
      g_autofree char *out = NULL;
      int n = -1;

      out = _fest_db_pg_translate (cases[i].sql, &n, &used);
      g_assert_cmpstr (out, ==, cases[i].expected);
      g_assert_cmpint (n, ==, cases[i].n_params);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/db/translate", test_translate);
  for (int pg = 0; pg <= 1; pg++)
    {
      const char *backend = pg ? "postgresql" : "sqlite";
      struct { const char *name; void (*func) (Fixture *, gconstpointer); } cases[] = {
        { "round-trip", test_round_trip },
        { "expressions", test_expressions },
        { "errors", test_errors },
        { "savepoints", test_savepoints },
        { "unanswered-writes", test_unanswered_writes },
        { "unneeded-rows", test_unneeded_rows },
        { "prefetch", test_prefetch },
      };

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          g_autofree char *path = g_strdup_printf ("/fest/db/%s/%s", backend, cases[i].name);

          g_test_add (path, Fixture, GINT_TO_POINTER (pg), fixture_set_up, cases[i].func,
                      fixture_tear_down);
        }
    }

  return g_test_run ();
}
