/* fest-db.c: the store's connections and prepared statements (see fest-db.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-db-private.h"

static gboolean
starts_with (const char *sql,
             const char *word)
{
  while (g_ascii_isspace (*sql))
    sql++;
  return g_ascii_strncasecmp (sql, word, strlen (word)) == 0;
}

/* Whether @sql names @word, delimited by characters that are not part of an identifier. */
static gboolean
names_word (const char *sql,
            const char *word)
{
  gsize length = strlen (word);

  for (const char *at = strstr (sql, word); at != NULL; at = strstr (at + 1, word))
    if ((at == sql || !(g_ascii_isalnum (at[-1]) || at[-1] == '_'))
        && !(g_ascii_isalnum (at[length]) || at[length] == '_'))
      return TRUE;
  return FALSE;
}

/* Counts a run of @stmt as a write to the watched tables it may write. */
static void
count_watched_writes (FestDbStmt *stmt)
{
  FestDb *db = stmt->db;
  const char *sql = stmt->sql;

  if (stmt->writes_known < db->n_watched)
    {
      for (guint i = stmt->writes_known; i < db->n_watched; i++)
        if (!starts_with (sql, "SELECT") && names_word (sql, db->watched[i]))
          stmt->writes |= 1u << i;
      stmt->writes_known = db->n_watched;
    }
  for (guint i = 0; stmt->writes != 0 && i < db->n_watched; i++)
    if (stmt->writes & (1u << i))
      db->watched_writes[i]++;
}

static void
stmt_destroy (FestDbStmt *stmt,
              gboolean    closing)
{
  if (stmt->sqlite != NULL)
    sqlite3_finalize (stmt->sqlite);
  if (stmt->pg != NULL && !closing)
    _fest_db_pg_sync (stmt->db, NULL, NULL);
  /* A connection about to close drops its prepared statements itself. */
  _fest_db_pg_stmt_free (stmt->pg, closing ? NULL : stmt->db->pg);
  g_free (stmt->sql);
  g_free (stmt);
}

static void
cached_stmt_free (gpointer data)
{
  stmt_destroy (data, TRUE);
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
  FestDb *db;

  g_return_val_if_fail (sqlite != NULL, NULL);

  db = g_new0 (FestDb, 1);
  db->sqlite = sqlite;
  db->stmts = g_hash_table_new_full (sql_hash, g_str_equal, g_free, cached_stmt_free);
  return db;
}

/* The server's notices ("relation … already exists, skipping") are not the operator's business. */
static void
ignore_notice (void       *data,
               const char *message)
{
}

FestDb *
fest_db_new_pg (const char  *conninfo,
                GError     **error)
{
  PGconn *conn;
  FestDb *db;

  g_return_val_if_fail (conninfo != NULL, NULL);

  conn = PQconnectdb (conninfo);
  if (PQstatus (conn) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (conn)));

      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_IO,
                   "Cannot connect to PostgreSQL: %s", message);
      PQfinish (conn);
      return NULL;
    }

  db = g_new0 (FestDb, 1);
  db->pg = conn;
  db->pg_session = 1;
  db->pg_session_sql = g_ptr_array_new_with_free_func (g_free);
  db->pg_flight = g_ptr_array_new ();
  db->stmts = g_hash_table_new_full (sql_hash, g_str_equal, g_free, cached_stmt_free);
  PQsetNoticeProcessor (conn, ignore_notice, NULL);
  return db;
}

static gboolean exec_pg (FestDb      *db,
                         const char  *sql,
                         GError     **error);

/* PostgreSQL: a connection the server dropped (a restart, a failover, an administrator) is made
 * again before the next statement, with its session settings; statements are prepared again as
 * they are next used. What was in flight has failed (its transaction is gone): the caller saw the
 * error, and the client retries with the same Idempotency-Key. */
static gboolean
pg_ensure_connection (FestDb  *db,
                      GError **error)
{
  if (PQstatus (db->pg) == CONNECTION_OK)
    return TRUE;

  PQreset (db->pg);
  if (PQstatus (db->pg) != CONNECTION_OK)
    {
      g_autofree char *message = g_strchomp (g_strdup (PQerrorMessage (db->pg)));

      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_IO, "Cannot connect to PostgreSQL: %s",
                   message);
      return FALSE;
    }
  db->pg_session++;
  /* The transaction under way, if any, went with the connection. */
  db->rollbacks++;
  g_message ("Connected to PostgreSQL again");
  for (guint i = 0; i < db->pg_session_sql->len; i++)
    if (!exec_pg (db, g_ptr_array_index (db->pg_session_sql, i), error))
      return FALSE;
  return TRUE;
}

gboolean
fest_db_set_session (FestDb      *db,
                     const char  *sql,
                     GError     **error)
{
  g_return_val_if_fail (db->pg != NULL, FALSE);

  g_ptr_array_add (db->pg_session_sql, g_strdup (sql));
  return fest_db_exec (db, sql, error);
}

void
fest_db_free (FestDb *db)
{
  if (db == NULL)
    return;
  /* Statements first: a connection with statements left open does not close. */
  g_hash_table_destroy (db->stmts);
  if (db->sqlite != NULL)
    sqlite3_close_v2 (db->sqlite);
  if (db->pg != NULL)
    PQfinish (db->pg);
  g_clear_pointer (&db->pg_session_sql, g_ptr_array_unref);
  g_clear_pointer (&db->pg_flight, g_ptr_array_unref);
  g_free (db->pg_error);
  g_free (db->pg_sqlstate);
  g_free (db);
}

gboolean
fest_db_is_pg (FestDb *db)
{
  return db->pg != NULL;
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
  g_autoptr(FestDbStmt) stmt = NULL;

  if (db->sqlite != NULL)
    return sqlite3_table_column_metadata (db->sqlite, NULL, table, column, NULL, NULL, NULL, NULL,
                                          NULL) == SQLITE_OK;

  stmt = fest_db_prepare_uncached (db,
                                   "SELECT 1 FROM information_schema.columns"
                                   " WHERE table_schema = current_schema () AND table_name = ?1"
                                   " AND column_name = ?2",
                                   NULL);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, table);
  fest_db_bind_text (stmt, 2, column);
  return fest_db_step (stmt) == FEST_DB_ROW;
}

const char *
fest_db_errmsg (FestDb *db)
{
  if (db->sqlite != NULL)
    return sqlite3_errmsg (db->sqlite);
  return db->pg_error != NULL ? db->pg_error : "no error";
}

/* SQLSTATE class 23: integrity constraint violation; 53: insufficient resources (disk full);
 * 08: connection exception, 57P: the server shutting down. */
static FestStoreError
pg_error_code (const char *sqlstate)
{
  if (sqlstate == NULL)
    return FEST_STORE_ERROR_IO;
  if (g_str_has_prefix (sqlstate, "53"))
    return FEST_STORE_ERROR_DISK_FULL;
  if (g_str_has_prefix (sqlstate, "08") || g_str_has_prefix (sqlstate, "57P"))
    return FEST_STORE_ERROR_IO;
  return FEST_STORE_ERROR_SQLITE;
}

gboolean
fest_db_error (FestDb  *db,
               GError **error)
{
  if (db == NULL || db->sqlite != NULL)
    return fest_sqlite_error (db != NULL ? db->sqlite : NULL, error);
  g_set_error (error, FEST_STORE_ERROR, pg_error_code (db->pg_sqlstate), "PostgreSQL error %s: %s",
               db->pg_sqlstate != NULL ? db->pg_sqlstate : "(connection)", fest_db_errmsg (db));
  return FALSE;
}

static FestDbStmt *
prepare (FestDb      *db,
         const char  *sql,
         gboolean     cached,
         GError     **error)
{
  FestDbStmt *stmt = g_new0 (FestDbStmt, 1);

  if (db->sqlite != NULL)
    {
      if (sqlite3_prepare_v3 (db->sqlite, sql, -1, cached ? SQLITE_PREPARE_PERSISTENT : 0,
                              &stmt->sqlite, NULL) != SQLITE_OK)
        {
          fest_db_error (db, error);
          g_free (stmt);
          return NULL;
        }
    }
  else
    {
      char name[32];
      gboolean idle;

      g_snprintf (name, sizeof name, "fest_%u", db->next_stmt++);
      _fest_db_pg_sync (db, NULL, NULL);
      if (!pg_ensure_connection (db, error))
        {
          g_free (stmt);
          return NULL;
        }
      idle = PQtransactionStatus (db->pg) == PQTRANS_IDLE;
      stmt->pg = _fest_db_pg_stmt_prepare (db->pg, db->pg_session, name, sql, &db->pg_error,
                                           &db->pg_sqlstate);
      /* As in fest_db_step(): a dropped connection is noticed by the statement that fails on it. */
      if (stmt->pg == NULL && idle && PQstatus (db->pg) == CONNECTION_BAD && pg_ensure_connection (db, NULL))
        stmt->pg = _fest_db_pg_stmt_prepare (db->pg, db->pg_session, name, sql, &db->pg_error,
                                             &db->pg_sqlstate);
      if (stmt->pg == NULL)
        {
          fest_db_error (db, error);
          g_prefix_error (error, "%s: ", sql);
          g_free (stmt);
          return NULL;
        }
    }
  stmt->db = db;
  stmt->cached = cached;
  stmt->rolls_back = starts_with (sql, "ROLLBACK");
  stmt->sql = g_strdup (sql);
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
      /* A prefetched statement keeps its parameters, for its step to compare. */
      if (stmt->pg == NULL || !_fest_db_pg_is_prefetched (stmt->pg))
        {
          fest_db_reset (stmt);
          fest_db_clear_bindings (stmt);
        }
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
  stmt_destroy (stmt, FALSE);
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
  gboolean idle;

  /* Any statements: whichever tables they write, a ROLLBACK too. */
  for (guint i = 0; i < db->n_watched; i++)
    db->watched_writes[i]++;
  db->rollbacks++;
  if (db->sqlite != NULL)
    return _fest_sqlite_exec (db->sqlite, sql, error);
  db->pg_writes++;
  _fest_db_pg_sync (db, NULL, NULL);
  if (!pg_ensure_connection (db, error))
    return FALSE;
  idle = PQtransactionStatus (db->pg) == PQTRANS_IDLE;
  if (exec_pg (db, sql, NULL))
    return TRUE;
  /* As in fest_db_step(): a dropped connection is noticed by the statement that fails on it. */
  if (idle && PQstatus (db->pg) == CONNECTION_BAD && pg_ensure_connection (db, NULL))
    return exec_pg (db, sql, error);
  return fest_db_error (db, error);
}

static gboolean
exec_pg (FestDb      *db,
         const char  *sql,
         GError     **error)
{
  PGresult *result;
  ExecStatusType status;

  result = PQexec (db->pg, sql);
  status = PQresultStatus (result);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      _fest_db_pg_set_error (result, db->pg, &db->pg_error, &db->pg_sqlstate);
      PQclear (result);
      return fest_db_error (db, error);
    }
  /* As sqlite3_changes(): the rows of the last statement that changed any. */
  if (_fest_db_pg_result_changes (result) >= 0)
    {
      db->pg_changes = _fest_db_pg_result_changes (result);
      db->pg_total_changes += db->pg_changes;
    }
  PQclear (result);
  return TRUE;
}

gboolean
fest_db_in_transaction (FestDb *db)
{
  if (db->sqlite != NULL)
    return !sqlite3_get_autocommit (db->sqlite);
  return PQtransactionStatus (db->pg) != PQTRANS_IDLE;
}

int
fest_db_get_socket (FestDb *db)
{
  return db->pg != NULL ? PQsocket (db->pg) : -1;
}

gboolean
fest_db_read_notifications (FestDb           *db,
                            FestDbNotifyFunc  func,
                            gpointer          user_data)
{
  PGnotify *notify;

  g_return_val_if_fail (db->pg != NULL, FALSE);

  if (!PQconsumeInput (db->pg))
    return FALSE;
  while ((notify = PQnotifies (db->pg)) != NULL)
    {
      func (notify->relname, notify->extra, user_data);
      PQfreemem (notify);
    }
  return PQstatus (db->pg) == CONNECTION_OK;
}

gboolean
fest_db_transaction_failed (FestDb *db)
{
  if (db->pg == NULL)
    return FALSE;
  _fest_db_pg_sync (db, NULL, NULL);
  return PQtransactionStatus (db->pg) == PQTRANS_INERROR;
}

gint64
fest_db_changes (FestDb *db)
{
  if (db->sqlite != NULL)
    return sqlite3_changes64 (db->sqlite);
  _fest_db_pg_sync (db, NULL, NULL);
  return db->pg_changes;
}

guint64
fest_db_get_rollbacks (FestDb *db)
{
  return db->rollbacks;
}

guint64
fest_db_get_table_writes (FestDb     *db,
                          const char *table)
{
  for (guint i = 0; i < db->n_watched; i++)
    if (g_str_equal (db->watched[i], table))
      return db->watched_writes[i];
  if (db->n_watched == FEST_DB_MAX_WATCHED)
    {
      /* Too many to watch: a count that is never the same, so that no row is taken as current. */
      g_critical ("fest_db_get_table_writes: cannot watch %s too", table);
      return ++db->unwatched_writes;
    }
  /* Watched from now on: the writes before this call do not matter to rows read before it. */
  db->watched[db->n_watched] = table;
  db->watched_writes[db->n_watched] = 0;
  return db->watched_writes[db->n_watched++];
}

gint64
fest_db_total_changes (FestDb *db)
{
  if (db->sqlite != NULL)
    return sqlite3_total_changes64 (db->sqlite);
  return db->pg_total_changes;
}

/* PostgreSQL: parameters are kept until the statement runs, so binding cannot fail there. */

int
fest_db_bind_text (FestDbStmt *stmt,
                   int         index,
                   const char *text)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_STATIC);
  _fest_db_pg_bind_text (stmt->pg, index, text, FALSE);
  return FEST_DB_OK;
}

int
fest_db_bind_text_copy (FestDbStmt *stmt,
                        int         index,
                        const char *text)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_text (stmt->sqlite, index, text, -1, SQLITE_TRANSIENT);
  _fest_db_pg_bind_text (stmt->pg, index, text, TRUE);
  return FEST_DB_OK;
}

int
fest_db_bind_int64 (FestDbStmt *stmt,
                    int         index,
                    gint64      value)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_int64 (stmt->sqlite, index, value);
  _fest_db_pg_bind_int64 (stmt->pg, index, value);
  return FEST_DB_OK;
}

int
fest_db_bind_double (FestDbStmt *stmt,
                     int         index,
                     double      value)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_double (stmt->sqlite, index, value);
  _fest_db_pg_bind_double (stmt->pg, index, value);
  return FEST_DB_OK;
}

int
fest_db_bind_null (FestDbStmt *stmt,
                   int         index)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_null (stmt->sqlite, index);
  _fest_db_pg_bind_text (stmt->pg, index, NULL, FALSE);
  return FEST_DB_OK;
}

int
fest_db_bind_blob (FestDbStmt    *stmt,
                   int            index,
                   gconstpointer  data,
                   gsize          size)
{
  if (stmt->sqlite != NULL)
    return sqlite3_bind_blob64 (stmt->sqlite, index, data, size, SQLITE_STATIC);
  _fest_db_pg_bind_blob (stmt->pg, index, data, size);
  return FEST_DB_OK;
}

void
fest_db_clear_bindings (FestDbStmt *stmt)
{
  if (stmt->sqlite != NULL)
    sqlite3_clear_bindings (stmt->sqlite);
  else
    _fest_db_pg_clear_bindings (stmt->pg);
}

static int
pg_step_error (FestDb *db)
{
  return db->pg_sqlstate != NULL && g_str_has_prefix (db->pg_sqlstate, "23")
         ? FEST_DB_CONSTRAINT : FEST_DB_ERROR;
}

int
fest_db_step (FestDbStmt *stmt)
{
  FestDb *db = stmt->db;
  gint64 changes = -1;
  gboolean idle;
  int rc;

  if (stmt->rolls_back)
    db->rollbacks++;
  if (db->n_watched > 0)
    count_watched_writes (stmt);
  if (stmt->sqlite != NULL)
    return sqlite3_step (stmt->sqlite);

  if (!pg_ensure_connection (db, NULL))
    {
      g_free (db->pg_error);
      db->pg_error = g_strchomp (g_strdup (PQerrorMessage (db->pg)));
      g_clear_pointer (&db->pg_sqlstate, g_free);
      return FEST_DB_ERROR;
    }
  if (_fest_db_pg_is_prefetched (stmt->pg))
    {
      if (_fest_db_pg_is_sent (stmt->pg) && !_fest_db_pg_sync (db, NULL, NULL))
        return pg_step_error (db);
      _fest_db_pg_use_prefetched (stmt->pg, db->pg_writes);
    }
  if (!_fest_db_pg_has_run (stmt->pg) && !_fest_db_pg_returns_rows (stmt->pg))
    db->pg_writes++;
  if (db->pg_unanswered_ok && (_fest_db_pg_returns_nothing (stmt->pg) || stmt->unneeded)
      && _fest_db_pg_can_send (stmt->pg, db->pg_session))
    return _fest_db_pg_send_unanswered (db, stmt);
  if (PQpipelineStatus (db->pg) != PQ_PIPELINE_OFF && !_fest_db_pg_has_run (stmt->pg))
    {
      /* In the same round trip as what is in flight, when it needs no PQprepare. */
      if (_fest_db_pg_can_send (stmt->pg, db->pg_session))
        {
          if (!_fest_db_pg_sync (db, stmt, &changes))
            return pg_step_error (db);
          if (changes >= 0)
            {
              db->pg_changes = changes;
              db->pg_total_changes += changes;
            }
          changes = -1;
        }
      else if (!_fest_db_pg_sync (db, NULL, NULL))
        return pg_step_error (db);
    }

  idle = PQtransactionStatus (db->pg) == PQTRANS_IDLE;
  rc = _fest_db_pg_step (stmt->pg, db->pg, db->pg_session, &changes, &db->pg_error, &db->pg_sqlstate);
  /* libpq learns that the server dropped the connection from the statement that fails on it.
   * Outside a transaction nothing is lost with it: once more, on a new connection. */
  if (rc < 0 && idle && PQstatus (db->pg) == CONNECTION_BAD && pg_ensure_connection (db, NULL))
    rc = _fest_db_pg_step (stmt->pg, db->pg, db->pg_session, &changes, &db->pg_error, &db->pg_sqlstate);
  if (changes >= 0)
    {
      db->pg_changes = changes;
      db->pg_total_changes += changes;
    }
  if (rc < 0)
    return pg_step_error (db);
  return rc ? FEST_DB_ROW : FEST_DB_DONE;
}

int
fest_db_step_unanswered (FestDbStmt *stmt)
{
  int rc;

  stmt->unneeded = TRUE;
  rc = fest_db_step (stmt);
  stmt->unneeded = FALSE;
  return rc;
}

void
fest_db_reset (FestDbStmt *stmt)
{
  if (stmt->sqlite != NULL)
    sqlite3_reset (stmt->sqlite);
  else
    _fest_db_pg_reset (stmt->pg);
}

const char *
fest_db_column_text (FestDbStmt *stmt,
                     int         column)
{
  if (stmt->sqlite != NULL)
    return (const char *) sqlite3_column_text (stmt->sqlite, column);
  return _fest_db_pg_column_text (stmt->pg, column);
}

/* PostgreSQL: numbers come as text; a boolean as t or f. */
gint64
fest_db_column_int64 (FestDbStmt *stmt,
                      int         column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_int64 (stmt->sqlite, column);
  text = _fest_db_pg_column_text (stmt->pg, column);
  if (text == NULL)
    return 0;
  if (text[0] == 't' || text[0] == 'f')
    return text[0] == 't';
  return g_ascii_strtoll (text, NULL, 10);
}

int
fest_db_column_int (FestDbStmt *stmt,
                    int         column)
{
  return (int) fest_db_column_int64 (stmt, column);
}

double
fest_db_column_double (FestDbStmt *stmt,
                       int         column)
{
  const char *text;

  if (stmt->sqlite != NULL)
    return sqlite3_column_double (stmt->sqlite, column);
  text = _fest_db_pg_column_text (stmt->pg, column);
  return text != NULL ? g_ascii_strtod (text, NULL) : 0.0;
}

gboolean
fest_db_column_is_null (FestDbStmt *stmt,
                        int         column)
{
  if (stmt->sqlite != NULL)
    return sqlite3_column_type (stmt->sqlite, column) == SQLITE_NULL;
  return _fest_db_pg_column_text (stmt->pg, column) == NULL;
}

gconstpointer
fest_db_column_blob (FestDbStmt *stmt,
                     int         column)
{
  gsize size;

  if (stmt->sqlite != NULL)
    return sqlite3_column_blob (stmt->sqlite, column);
  return _fest_db_pg_column_blob (stmt->pg, column, &size);
}

gsize
fest_db_column_bytes (FestDbStmt *stmt,
                      int         column)
{
  gsize size = 0;

  if (stmt->sqlite != NULL)
    return sqlite3_column_bytes (stmt->sqlite, column);
  /* Text columns are their text's length, as in SQLite. */
  if (_fest_db_pg_column_blob (stmt->pg, column, &size) == NULL)
    return 0;
  return size;
}

gboolean
fest_db_stmt_set_error (FestDbStmt  *stmt,
                        GError     **error)
{
  return fest_db_error (stmt->db, error);
}
