/* fest-db.h: the store's connections and prepared statements, whatever the database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The repositories of src/server/store/ run their SQL through this interface, not through
 * sqlite3_* (or PQ*) calls, so that one set of repositories serves every backend. It follows
 * SQLite's statement model, which the repositories were written against: prepare (cached per
 * connection), bind by 1-based index, step row by row, read columns by 0-based index, reset.
 * The SQL is written once, in the common dialect of SQLite and PostgreSQL, with numbered
 * parameters (?1, ?2, …).
 *
 * A FestDb is one connection, used by one thread at a time. Statements belong to it.
 *
 * For store/ files only (included by fest-store-private.h).
 */

#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

typedef struct _FestDb FestDb;
typedef struct _FestDbStmt FestDbStmt;

/* Result codes, with SQLite's values. */
#define FEST_DB_OK         0
#define FEST_DB_ERROR      1
#define FEST_DB_CONSTRAINT 19    /* a UNIQUE, CHECK or foreign key refused the change */
#define FEST_DB_ROW        100
#define FEST_DB_DONE       101

FestDb     *fest_db_new_sqlite        (sqlite3      *db);
/* A PostgreSQL connection (libpq's conninfo string or URI). */
FestDb     *fest_db_new_pg            (const char   *conninfo,
                                       GError      **error);
/* PostgreSQL: runs @sql now and again first thing in every new session, should the connection
 * be made again (a dropped connection is, before the next statement): SET, LISTEN. */
gboolean    fest_db_set_session       (FestDb       *db,
                                       const char   *sql,
                                       GError      **error);
void        fest_db_free              (FestDb       *db);
gboolean    fest_db_is_pg             (FestDb       *db);
/* The SQLite connection (for the SQLite-only parts: WAL, checkpoints, integrity check), or NULL. */
sqlite3    *fest_db_get_sqlite        (FestDb       *db);

/* A statement kept in the connection's cache for its lifetime: reset it after use, never
 * finalize it. */
FestDbStmt *fest_db_prepare           (FestDb      *db,
                                       const char  *sql,
                                       GError     **error);
/* A statement of its own (a cursor that must not share a cached one); fest_db_stmt_free(). */
FestDbStmt *fest_db_prepare_uncached  (FestDb      *db,
                                       const char  *sql,
                                       GError     **error);
void        fest_db_stmt_free         (FestDbStmt   *stmt);
FestDb     *fest_db_stmt_get_db       (FestDbStmt   *stmt);

/* Runs one or more statements that return no rows. */
gboolean    fest_db_exec              (FestDb      *db,
                                       const char  *sql,
                                       GError     **error);
/* PostgreSQL: while @unanswered, a statement that returns no rows (an INSERT, UPDATE or DELETE
 * without RETURNING, from its second run on) is sent without waiting for its answer, in pipeline
 * mode: fest_db_step() says FEST_DB_DONE at once, and fest_db_total_changes() counts it as one
 * change. The answers are read with the next statement that needs one, in the same round trip,
 * or by fest_db_sync(). A failure among them fails that statement (which did not run) and the
 * transaction: for work that is run again, a SAVEPOINT per job, when anything in it failed.
 * SQLite: no effect. */
void        fest_db_set_unanswered_writes (FestDb   *db,
                                           gboolean  unanswered);
/* fest_db_step() for a statement whose rows are not read (SELECT pg_notify (…)): on PostgreSQL,
 * while unanswered writes are on, it is sent as they are, FEST_DB_DONE at once. */
int         fest_db_step_unanswered   (FestDbStmt   *stmt);
/* PostgreSQL, while unanswered writes are on: sends @stmt, a query that ran before on this
 * connection, with its parameters as bound, in the same round trip as the next statement that
 * needs an answer. Its step reads that answer, if it then has the same parameters (prepare it and
 * bind them again the same way) and nothing was written since; else the step runs it again.
 * Otherwise, and on SQLite, nothing: the step runs it. Returns whether it sent @stmt. */
gboolean    fest_db_prefetch          (FestDbStmt   *stmt);
/* Reads the answers to the statements sent unanswered. FALSE when one failed, or any other
 * statement of the open transaction did. SQLite: TRUE. */
gboolean    fest_db_sync              (FestDb       *db,
                                       GError      **error);
/* Whether a transaction is open on the connection (it may have ended on its own: SQLite rolls
 * back on an I/O error). */
gboolean    fest_db_in_transaction    (FestDb       *db);
/* PostgreSQL: a statement failed inside the open transaction, which now refuses every other until
 * a ROLLBACK (TO SAVEPOINT). SQLite: never. */
gboolean    fest_db_transaction_failed (FestDb      *db);
/* Rows changed by the last INSERT, UPDATE or DELETE, and by all since the connection opened. */
gint64      fest_db_changes           (FestDb       *db);
gint64      fest_db_total_changes     (FestDb       *db);
/* Changes with every ROLLBACK (to a savepoint too) and every fest_db_exec() the connection runs,
 * and when it connects again: what it wrote since may not be in the database. */
guint64     fest_db_get_rollbacks     (FestDb       *db);
/* How many statements that may write @table (a static string) ran on this connection since the
 * first call for @table: every statement but a SELECT that names it as a word, and every
 * fest_db_exec(). A connection watches a few tables: past them, the count changes at every call. */
guint64     fest_db_get_table_writes  (FestDb       *db,
                                       const char   *table);
/* Whether @table has @column (a database from before the migration that added it). */
gboolean    fest_db_has_column        (FestDb     *db,
                                       const char *table,
                                       const char *column);
/* The connection's last error message. */
const char *fest_db_errmsg            (FestDb       *db);
/* Sets @error from the connection's last failure; returns FALSE. */
gboolean    fest_db_error             (FestDb  *db,
                                       GError **error);

/* PostgreSQL's LISTEN/NOTIFY. The connection's socket, to watch for input (-1 on SQLite); then
 * fest_db_read_notifications() calls @func for each notification that arrived. FALSE when the
 * connection is lost. */
typedef void (*FestDbNotifyFunc) (const char *channel,
                                  const char *payload,
                                  gpointer    user_data);
int         fest_db_get_socket        (FestDb       *db);
gboolean    fest_db_read_notifications (FestDb           *db,
                                        FestDbNotifyFunc  func,
                                        gpointer          user_data);

/* A connection that LISTENs on @channel and calls @func on @context (NULL: the global default)
 * for each notification. A lost connection is made again (every second, LISTENing again);
 * notifications sent meanwhile are lost. */
typedef struct _FestDbListener FestDbListener;
FestDbListener *fest_db_listener_new  (const char        *conninfo,
                                       const char        *channel,
                                       GMainContext      *context,
                                       FestDbNotifyFunc   func,
                                       gpointer           user_data,
                                       GError           **error);
void        fest_db_listener_free     (FestDbListener    *listener);
/* Which connection is listening (it changes each time it is made again; notifications may have
 * been missed in between); 0 while none is. */
guint       fest_db_listener_get_session (FestDbListener *listener);

/* Binding. Text and blobs are not copied (they must live until the statement is reset), except
 * by fest_db_bind_text_copy(). A NULL text binds SQL NULL. */
int         fest_db_bind_text         (FestDbStmt *stmt,
                                       int         index,
                                       const char *text);
int         fest_db_bind_text_copy    (FestDbStmt *stmt,
                                       int         index,
                                       const char *text);
int         fest_db_bind_int64        (FestDbStmt *stmt,
                                       int         index,
                                       gint64      value);
int         fest_db_bind_double       (FestDbStmt *stmt,
                                       int         index,
                                       double      value);
int         fest_db_bind_null         (FestDbStmt *stmt,
                                       int         index);
int         fest_db_bind_blob         (FestDbStmt    *stmt,
                                       int            index,
                                       gconstpointer  data,
                                       gsize          size);
void        fest_db_clear_bindings    (FestDbStmt   *stmt);

/* FEST_DB_ROW, FEST_DB_DONE or an error code (then fest_db_stmt_set_error() says which). */
int         fest_db_step              (FestDbStmt   *stmt);
void        fest_db_reset             (FestDbStmt   *stmt);

const char *fest_db_column_text       (FestDbStmt *stmt,
                                       int         column);
gint64      fest_db_column_int64      (FestDbStmt *stmt,
                                       int         column);
int         fest_db_column_int        (FestDbStmt *stmt,
                                       int         column);
double      fest_db_column_double     (FestDbStmt *stmt,
                                       int         column);
gboolean    fest_db_column_is_null    (FestDbStmt *stmt,
                                       int         column);
gconstpointer fest_db_column_blob     (FestDbStmt *stmt,
                                       int         column);
gsize       fest_db_column_bytes      (FestDbStmt *stmt,
                                       int         column);

/* Sets @error from the statement's connection; returns FALSE. */
gboolean    fest_db_stmt_set_error    (FestDbStmt  *stmt,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestDbStmt, fest_db_stmt_free)

G_END_DECLS
