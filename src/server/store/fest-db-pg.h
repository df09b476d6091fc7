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

/* TRUE with a row, FALSE at the end; -1 on an error (@errmsg, @sqlstate set). @changes: the rows
 * the statement changed, once it ran. */
int            _fest_db_pg_step           (FestDbPgStmt  *stmt,
                                           PGconn        *conn,
                                           guint          session,
                                           gint64        *changes,
                                           char         **errmsg,
                                           char         **sqlstate);
void           _fest_db_pg_reset          (FestDbPgStmt  *stmt);

const char    *_fest_db_pg_column_text    (FestDbPgStmt  *stmt,
                                           int            column);
gconstpointer  _fest_db_pg_column_blob    (FestDbPgStmt  *stmt,
                                           int            column,
                                           gsize         *size);

G_END_DECLS
