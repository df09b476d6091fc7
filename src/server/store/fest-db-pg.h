/* fest-db-pg.h: the PostgreSQL side of fest-db.c (libpq)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For fest-db.c only. A statement is prepared once per connection (PQprepare, parameter types
 * left to the server), its parameters are sent as text (blobs as binary) and its results read as
 * text, a whole result at a time: the first step executes it, the next ones walk its rows.
 */

#pragma once

#include <glib.h>
#include <libpq-fe.h>

G_BEGIN_DECLS

typedef struct _FestDbPgStmt FestDbPgStmt;

/* Sets @errmsg and @sqlstate from @result, or from @conn without a result. */
void           _fest_db_pg_set_error      (const PGresult *result,
                                           PGconn         *conn,
                                           char          **errmsg,
                                           char          **sqlstate);

/* The SQL with ?N (and bare ?) rewritten to $N, outside literals, quoted names and comments.
 * @n_params: the highest parameter number; @used: which of 1..n_params appear (index 0 unused),
 * free with g_free(). */
char          *_fest_db_pg_translate      (const char    *sql,
                                           int           *n_params,
                                           gboolean     **used);

/* @session: the connection's session number (fest-db.c counts them); a statement is prepared
 * again on the first step in a later session. */
FestDbPgStmt  *_fest_db_pg_stmt_prepare   (PGconn        *conn,
                                           guint          session,
                                           const char    *name,
                                           const char    *sql,
                                           char         **errmsg,
                                           char         **sqlstate);
void           _fest_db_pg_stmt_free      (FestDbPgStmt  *stmt,
                                           PGconn        *conn);

void           _fest_db_pg_bind_text      (FestDbPgStmt  *stmt,
                                           int            index,
                                           const char    *text,
                                           gboolean       copy);
void           _fest_db_pg_bind_int64     (FestDbPgStmt  *stmt,
                                           int            index,
                                           gint64         value);
void           _fest_db_pg_bind_double    (FestDbPgStmt  *stmt,
                                           int            index,
                                           double         value);
void           _fest_db_pg_bind_blob      (FestDbPgStmt  *stmt,
                                           int            index,
                                           gconstpointer  data,
                                           gsize          size);
void           _fest_db_pg_clear_bindings (FestDbPgStmt  *stmt);

/* TRUE with a row, FALSE at the end; -1 on an error (@errmsg, @sqlstate set). @changes: as
 * _fest_db_pg_result_changes(), once it ran. */
int            _fest_db_pg_step           (FestDbPgStmt  *stmt,
                                           PGconn        *conn,
                                           guint          session,
                                           gint64        *changes,
                                           char         **errmsg,
                                           char         **sqlstate);
void           _fest_db_pg_reset          (FestDbPgStmt  *stmt);

/* Pipeline mode (fest-db.c keeps the connection in it while statements are unanswered). */
gboolean       _fest_db_pg_send           (FestDbPgStmt  *stmt,
                                           PGconn        *conn);
/* Whether @stmt's next step sends it, prepared on the connection's @session as it is (no PQprepare
 * needed, which pipeline mode refuses). */
gboolean       _fest_db_pg_can_send       (FestDbPgStmt  *stmt,
                                           guint          session);
/* Whether @stmt is known to return rows (a query), from its first run. */
gboolean       _fest_db_pg_returns_rows   (FestDbPgStmt  *stmt);
/* @stmt was sent ahead of its step, with its parameters as bound (kept: a step with other values,
 * or after a write, runs it again), while the connection had done @writes writes. */
void           _fest_db_pg_set_prefetched (FestDbPgStmt  *stmt,
                                           guint64        writes);
gboolean       _fest_db_pg_is_prefetched  (FestDbPgStmt  *stmt);
/* Whether @stmt's answer is still to be read from the pipeline. */
gboolean       _fest_db_pg_is_sent        (FestDbPgStmt  *stmt);
/* Forgets @stmt's result (an answer nobody stepped through, before it is prefetched again). */
void           _fest_db_pg_drop_result    (FestDbPgStmt  *stmt);
/* The answer to @stmt sent in the pipeline (NULL: it failed or was skipped); @answer is taken. */
void           _fest_db_pg_deliver        (FestDbPgStmt  *stmt,
                                           PGresult      *answer);
/* Whether @stmt's prefetched answer stands for its step now: bound the same, no write since (the
 * connection has done @writes). Else the answer is dropped and the step runs it again. */
gboolean       _fest_db_pg_use_prefetched (FestDbPgStmt  *stmt,
                                           guint64        writes);
/* Whether @stmt ran and holds its result, whose rows the next steps walk without the server. */
gboolean       _fest_db_pg_has_run        (FestDbPgStmt  *stmt);
/* Whether @stmt returns no rows (an INSERT, UPDATE or DELETE without RETURNING), as its first run
 * showed; FALSE until it ran once. */
gboolean       _fest_db_pg_returns_nothing (FestDbPgStmt *stmt);
/* The answer to @stmt, sent in a pipeline, as if its first step had run it (@result is taken).
 * FALSE on an error (@errmsg, @sqlstate set). */
gboolean       _fest_db_pg_take_result    (FestDbPgStmt  *stmt,
                                           PGresult      *result,
                                           PGconn        *conn,
                                           gint64        *changes,
                                           char         **errmsg,
                                           char         **sqlstate);
/* The rows @result's INSERT, UPDATE or DELETE changed; -1 for any other statement (a SELECT's
 * count is of the rows it returned). */
gint64         _fest_db_pg_result_changes (PGresult      *result);

const char    *_fest_db_pg_column_text    (FestDbPgStmt  *stmt,
                                           int            column);
gconstpointer  _fest_db_pg_column_blob    (FestDbPgStmt  *stmt,
                                           int            column,
                                           gsize         *size);

G_END_DECLS
