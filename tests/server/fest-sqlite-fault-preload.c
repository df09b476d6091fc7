/* fest-sqlite-fault-preload.c: LD_PRELOAD library for tests: one more write just before a statement
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * test-sync.c starts the real festivals-server with this library preloaded to make an operation of
 * a POST /sync batch fail after it wrote, as a ledger bug or a constraint hit late would: the
 * operation (a CANCEL the ledger refuses) runs a statement this library recognises, and just before
 * that statement runs, on the same connection and inside the same transaction, it executes SQL of
 * the test's choosing. The server's code and SQLite are the ones shipped; nothing in the
 * production code knows about it (the disk-level twin is fest-disk-fault-preload.c).
 *
 * Three variables, read once at load time, configure it:
 *   FEST_SQLITE_FAULT_BEFORE  the start of the statement's SQL text, as the server prepares it;
 *   FEST_SQLITE_FAULT_EXEC    the SQL executed just before each step of such a statement;
 *   FEST_SQLITE_FAULT_LOG     a file that gets one line each time it did (so that the test knows
 *                             the fault happened).
 */

#define _GNU_SOURCE

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

static int (*real_step) (sqlite3_stmt *);

static const char *before;
static size_t before_len;
static const char *exec_sql;
static const char *log_path;
static __thread int injecting;

__attribute__((constructor)) static void
sqlite_fault_init (void)
{
  before = getenv ("FEST_SQLITE_FAULT_BEFORE");
  exec_sql = getenv ("FEST_SQLITE_FAULT_EXEC");
  log_path = getenv ("FEST_SQLITE_FAULT_LOG");
  if (before == NULL || exec_sql == NULL)
    before = exec_sql = NULL;
  else
    before_len = strlen (before);
}

static void
note_fault (const char *sql,
            int         rc)
{
  FILE *log;

  if (log_path == NULL || (log = fopen (log_path, "a")) == NULL)
    return;
  fprintf (log, "%d before %s\n", rc, sql);
  fclose (log);
}

int
sqlite3_step (sqlite3_stmt *stmt)
{
  const char *sql;

  if (real_step == NULL)
    real_step = (int (*) (sqlite3_stmt *)) dlsym (RTLD_NEXT, "sqlite3_step");

  if (before != NULL && !injecting && (sql = sqlite3_sql (stmt)) != NULL
      && strncmp (sql, before, before_len) == 0)
    {
      int rc;

      /* sqlite3_exec () steps its own statements: they must not inject again. */
      injecting = 1;
      rc = sqlite3_exec (sqlite3_db_handle (stmt), exec_sql, NULL, NULL, NULL);
      injecting = 0;
      note_fault (sql, rc);
    }
  return real_step (stmt);
}
