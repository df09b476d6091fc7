/* fest-db-private.h: what fest-db.c and fest-db-pipeline.c share
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-db-pg.h"
#include "fest-store-private.h"

G_BEGIN_DECLS

/* Tables watched on one connection, at most (fest_db_get_table_writes()). */
#define FEST_DB_MAX_WATCHED 8

/* One of sqlite and pg is set. */
struct _FestDb
{
  sqlite3    *sqlite;
  PGconn     *pg;
  GHashTable *stmts;            /* sql → FestDbStmt*, the connection's statement cache */
  guint       next_stmt;        /* PostgreSQL: names prepared statements */
  guint       pg_session;       /* PostgreSQL: counts the connections made (the first is 1) */
  GPtrArray  *pg_session_sql;   /* PostgreSQL: what each new session runs first (search_path, LISTEN) */
  char       *pg_error;         /* PostgreSQL: the last error's message and SQLSTATE */
  char       *pg_sqlstate;
  gint64      pg_changes;
  gint64      pg_total_changes;
  gboolean    pg_unanswered_ok; /* PostgreSQL: fest_db_set_unanswered_writes() */
  GPtrArray  *pg_flight;        /* PostgreSQL: sent in pipeline mode, to be answered in this order:
                                 * a prefetched FestDbStmt, or NULL for one sent unanswered */
  guint64     pg_writes;        /* PostgreSQL: counts what may have changed the data it read */
  guint64     rollbacks;        /* fest_db_get_rollbacks() */
  /* fest_db_get_table_writes(): the tables watched, and the writes counted for each */
  const char *watched[FEST_DB_MAX_WATCHED];
  guint64     watched_writes[FEST_DB_MAX_WATCHED];
  guint       n_watched;
  guint64     unwatched_writes;
};

struct _FestDbStmt
{
  FestDb       *db;
  sqlite3_stmt *sqlite;
  FestDbPgStmt *pg;
  gboolean      cached;
  gboolean      rolls_back;   /* ROLLBACK, to a savepoint too */
  char         *sql;
  guint         writes;       /* bit i: may write the watched table i (fest_db_get_table_writes()) */
  guint         writes_known; /* how many watched tables @writes was computed for */
  gboolean      unneeded;     /* fest_db_step_unanswered(): its rows are not read */
};

/* Sends @stmt (when not NULL) after what is in flight, then a Sync, and reads the answers: each
 * prefetched statement gets its own, @stmt too (its changes in @changes). TRUE at once outside
 * pipeline mode; FALSE on an error. */
gboolean _fest_db_pg_sync             (FestDb     *db,
                                       FestDbStmt *stmt,
                                       gint64     *changes);
/* Sends @stmt, which returns no rows (or rows not read), without waiting for its answer. */
int      _fest_db_pg_send_unanswered  (FestDb     *db,
                                       FestDbStmt *stmt);

G_END_DECLS
