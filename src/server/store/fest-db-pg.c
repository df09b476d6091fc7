/* fest-db-pg.c: the PostgreSQL side of fest-db.c (see fest-db-pg.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fest-db-pg.h"

/* pg_type.h's TEXTOID: the type a parameter the SQL never mentions is declared with, which
 * PostgreSQL could not infer otherwise. */
#define PG_TEXT_OID 25
#define PG_BYTEA_OID 17

struct _FestDbPgStmt
{
  char           *name;
  char           *sql;        /* as PostgreSQL reads it ($N) */
  Oid            *types;      /* of the parameters: 0 (inferred), or text for those never used */
  guint           session;    /* the connection's session it is prepared on */
  int             n_params;
  const char    **values;     /* what PQexecPrepared sends: into owned[] or the caller's text */
  int            *lengths;
  int            *formats;    /* 0 text, 1 binary (blobs) */
  char          **owned;      /* per parameter: a copy or a number's text, or NULL */
  PGresult       *result;     /* of the last run, until the reset */
  int             returns_rows; /* learnt from its first run: 1 rows, 0 a status only; -1 unknown */
  gboolean        sent;       /* in a pipeline, its answer not read yet */
  gboolean        prefetched; /* sent (or answered) ahead of its step, with these parameters... */
  gboolean        stale;      /* ...until one was bound to another value */
  guint64         writes;     /* the connection's write count when it was sent */
  int             row;        /* the current row; -1 before the first step's */
  unsigned char **blobs;      /* the current row's decoded bytea columns, by column */
  size_t         *blob_sizes;
  int             n_blobs;
};

char *
_fest_db_pg_translate (const char  *sql,
                       int         *n_params,
                       gboolean   **used)
{
  GString *out = g_string_sized_new (strlen (sql) + 16);
  GArray *seen = g_array_new (FALSE, TRUE, sizeof (gboolean));
  int highest = 0;
  const char *p = sql;

  while (*p != '\0')
    {
      if (*p == '\'' || *p == '"')
        {
          char quote = *p;

          /* A doubled quote inside is the quote itself: the loop reads it as two literals. */
          g_string_append_c (out, *p++);
          while (*p != '\0' && *p != quote)
            g_string_append_c (out, *p++);
          if (*p != '\0')
            g_string_append_c (out, *p++);
        }
      else if (p[0] == '-' && p[1] == '-')
        {
          while (*p != '\0' && *p != '\n')
            g_string_append_c (out, *p++);
        }
      else if (p[0] == '/' && p[1] == '*')
        {
          const char *end = strstr (p + 2, "*/");
          gsize len = end != NULL ? (gsize) (end + 2 - p) : strlen (p);

          g_string_append_len (out, p, len);
          p += len;
        }
      else if (*p == '?')
        {
          int number = 0;

          p++;
          if (g_ascii_isdigit (*p))
            {
              while (g_ascii_isdigit (*p))
                number = number * 10 + (*p++ - '0');
            }
          else
            {
              /* SQLite numbers a bare ? one past the highest so far. */
              number = highest + 1;
            }
          highest = MAX (highest, number);
          if ((guint) number >= seen->len)
            g_array_set_size (seen, number + 1);
          g_array_index (seen, gboolean, number) = TRUE;
          g_string_append_printf (out, "$%d", number);
        }
      else
        {
          g_string_append_c (out, *p++);
        }
    }

  g_array_set_size (seen, highest + 1);
  *n_params = highest;
  *used = (gboolean *) g_array_free (seen, FALSE);
  return g_string_free (out, FALSE);
}

void
_fest_db_pg_set_error (const PGresult  *result,
                       PGconn          *conn,
                       char           **errmsg,
                       char           **sqlstate)
{
  const char *message = result != NULL ? PQresultErrorMessage (result) : PQerrorMessage (conn);
  const char *state = result != NULL ? PQresultErrorField (result, PG_DIAG_SQLSTATE) : NULL;

  g_free (*errmsg);
  *errmsg = g_strchomp (g_strdup (message != NULL && *message != '\0' ? message : PQerrorMessage (conn)));
  g_free (*sqlstate);
  *sqlstate = g_strdup (state);
}

/* Prepares @stmt on @conn's session number @session. */
static gboolean
prepare_on (FestDbPgStmt  *stmt,
            PGconn        *conn,
            guint          session,
            char         **errmsg,
            char         **sqlstate)
{
  PGresult *result = PQprepare (conn, stmt->name, stmt->sql, stmt->n_params, stmt->types);

  if (PQresultStatus (result) != PGRES_COMMAND_OK)
    {
      _fest_db_pg_set_error (result, conn, errmsg, sqlstate);
      PQclear (result);
      return FALSE;
    }
  PQclear (result);
  stmt->session = session;
  return TRUE;
}

FestDbPgStmt *
_fest_db_pg_stmt_prepare (PGconn      *conn,
                          guint        session,
                          const char  *name,
                          const char  *sql,
                          char       **errmsg,
                          char       **sqlstate)
{
  g_autofree gboolean *used = NULL;
  FestDbPgStmt *stmt;
  int n_params = 0;

  stmt = g_new0 (FestDbPgStmt, 1);
  stmt->name = g_strdup (name);
  stmt->sql = _fest_db_pg_translate (sql, &n_params, &used);
  stmt->types = g_new0 (Oid, MAX (n_params, 1));
  for (int i = 1; i <= n_params; i++)
    stmt->types[i - 1] = used[i] ? 0 : PG_TEXT_OID;
  stmt->n_params = n_params;
  if (!prepare_on (stmt, conn, session, errmsg, sqlstate))
    {
      g_free (stmt->name);
      g_free (stmt->sql);
      g_free (stmt->types);
      g_free (stmt);
      return NULL;
    }

  stmt->values = g_new0 (const char *, MAX (n_params, 1));
  stmt->lengths = g_new0 (int, MAX (n_params, 1));
  stmt->formats = g_new0 (int, MAX (n_params, 1));
  stmt->owned = g_new0 (char *, MAX (n_params, 1));
  stmt->row = -1;
  stmt->returns_rows = -1;
  return stmt;
}

static void
clear_blobs (FestDbPgStmt *stmt)
{
  for (int i = 0; i < stmt->n_blobs; i++)
    if (stmt->blobs[i] != NULL)
      PQfreemem (stmt->blobs[i]);
  g_clear_pointer (&stmt->blobs, g_free);
  g_clear_pointer (&stmt->blob_sizes, g_free);
  stmt->n_blobs = 0;
}

void
_fest_db_pg_stmt_free (FestDbPgStmt *stmt,
                       PGconn       *conn)
{
  if (stmt == NULL)
    return;
  _fest_db_pg_reset (stmt);
  _fest_db_pg_clear_bindings (stmt);
  if (conn != NULL)
    {
      g_autofree char *sql = g_strdup_printf ("DEALLOCATE %s", stmt->name);

      /* Best effort: a statement the server keeps only costs it memory until the connection ends. */
      PQclear (PQexec (conn, sql));
    }
  g_free (stmt->name);
  g_free (stmt->sql);
  g_free (stmt->types);
  g_free (stmt->values);
  g_free (stmt->lengths);
  g_free (stmt->formats);
  g_free (stmt->owned);
  g_free (stmt);
}

static gboolean
param_index_ok (FestDbPgStmt *stmt,
                int           index)
{
  return index >= 1 && index <= stmt->n_params;
}

static gboolean
same_param (FestDbPgStmt *stmt,
            int           index,
            const char   *value,
            int           length,
            int           format)
{
  const char *old = stmt->values[index - 1];

  if (old == NULL || value == NULL || format != stmt->formats[index - 1])
    return old == value && format == stmt->formats[index - 1];
  if (format == 1)
    return length == stmt->lengths[index - 1] && memcmp (old, value, length) == 0;
  return strcmp (old, value) == 0;
}

/* Sets parameter @index to @value, taking @owned (NULL when @value is the caller's). */
static void
set_param (FestDbPgStmt *stmt,
           int           index,
           const char   *value,
           char         *owned,
           int           length,
           int           format)
{
  if (!param_index_ok (stmt, index))
    {
      g_free (owned);
      return;
    }
  if (stmt->prefetched)
    {
      if (!same_param (stmt, index, value, length, format))
        stmt->stale = TRUE;
      /* Compared again if it is prefetched once more without a step: it must outlive the caller. */
      if (owned == NULL && value != NULL)
        value = owned = format == 1 ? g_memdup2 (value, length) : g_strdup (value);
    }
  g_free (stmt->owned[index - 1]);
  stmt->owned[index - 1] = owned;
  stmt->values[index - 1] = value;
  stmt->lengths[index - 1] = length;
  stmt->formats[index - 1] = format;
}

void
_fest_db_pg_bind_text (FestDbPgStmt *stmt,
                       int           index,
                       const char   *text,
                       gboolean      copy)
{
  char *owned = copy ? g_strdup (text) : NULL;

  set_param (stmt, index, copy ? owned : text, owned, 0, 0);
}

void
_fest_db_pg_bind_int64 (FestDbPgStmt *stmt,
                        int           index,
                        gint64        value)
{
  char *text = g_strdup_printf ("%" G_GINT64_FORMAT, value);

  set_param (stmt, index, text, text, 0, 0);
}

void
_fest_db_pg_bind_double (FestDbPgStmt *stmt,
                         int           index,
                         double        value)
{
  char *text = g_malloc (G_ASCII_DTOSTR_BUF_SIZE);

  g_ascii_dtostr (text, G_ASCII_DTOSTR_BUF_SIZE, value);
  set_param (stmt, index, text, text, 0, 0);
}

void
_fest_db_pg_bind_blob (FestDbPgStmt  *stmt,
                       int            index,
                       gconstpointer  data,
                       gsize          size)
{
  /* Binary format: bytea's binary form is the bytes themselves. A zero-length blob still needs a
   * non-NULL pointer, or it would be SQL NULL. */
  set_param (stmt, index, data != NULL ? data : "", NULL, (int) size, 1);
}

void
_fest_db_pg_clear_bindings (FestDbPgStmt *stmt)
{
  /* A prefetched statement's parameters are gone: its answer is not theirs any more. */
  stmt->stale = TRUE;
  for (int i = 0; i < stmt->n_params; i++)
    {
      g_clear_pointer (&stmt->owned[i], g_free);
      stmt->values[i] = NULL;
      stmt->lengths[i] = 0;
      stmt->formats[i] = 0;
    }
}

gboolean
_fest_db_pg_send (FestDbPgStmt *stmt,
                  PGconn       *conn)
{
  return PQsendQueryPrepared (conn, stmt->name, stmt->n_params, stmt->values, stmt->lengths,
                              stmt->formats, 0);
}

gboolean
_fest_db_pg_can_send (FestDbPgStmt *stmt,
                      guint         session)
{
  return stmt->session == session && stmt->result == NULL;
}

gboolean
_fest_db_pg_returns_rows (FestDbPgStmt *stmt)
{
  return stmt->returns_rows == 1;
}

void
_fest_db_pg_set_prefetched (FestDbPgStmt *stmt,
                            guint64       writes)
{
  /* Its parameters are compared with those of its step: they must outlive the caller's. */
  for (int i = 0; i < stmt->n_params; i++)
    if (stmt->owned[i] == NULL && stmt->values[i] != NULL)
      {
        stmt->owned[i] = stmt->formats[i] == 1 ? g_memdup2 (stmt->values[i], stmt->lengths[i])
                                               : g_strdup (stmt->values[i]);
        stmt->values[i] = stmt->owned[i];
      }
  stmt->sent = TRUE;
  stmt->prefetched = TRUE;
  stmt->stale = FALSE;
  stmt->writes = writes;
}

gboolean
_fest_db_pg_is_prefetched (FestDbPgStmt *stmt)
{
  return stmt->prefetched;
}

gboolean
_fest_db_pg_is_sent (FestDbPgStmt *stmt)
{
  return stmt->sent;
}

void
_fest_db_pg_drop_result (FestDbPgStmt *stmt)
{
  clear_blobs (stmt);
  g_clear_pointer (&stmt->result, PQclear);
  stmt->row = -1;
}

void
_fest_db_pg_deliver (FestDbPgStmt *stmt,
                     PGresult     *answer)
{
  stmt->sent = FALSE;
  if (!stmt->prefetched || answer == NULL)
    {
      g_clear_pointer (&answer, PQclear);
      return;
    }
  clear_blobs (stmt);
  g_clear_pointer (&stmt->result, PQclear);
  stmt->result = answer;
  stmt->row = -1;
}

gboolean
_fest_db_pg_use_prefetched (FestDbPgStmt *stmt,
                            guint64       writes)
{
  gboolean usable = stmt->prefetched && stmt->result != NULL && !stmt->stale && stmt->writes == writes;

  stmt->prefetched = FALSE;
  stmt->stale = FALSE;
  if (!usable)
    _fest_db_pg_drop_result (stmt);
  return usable;
}

gboolean
_fest_db_pg_has_run (FestDbPgStmt *stmt)
{
  return stmt->result != NULL;
}

gboolean
_fest_db_pg_returns_nothing (FestDbPgStmt *stmt)
{
  return stmt->returns_rows == 0;
}

gint64
_fest_db_pg_result_changes (PGresult *result)
{
  /* PQcmdTuples() of a SELECT counts the rows it returned: they changed nothing. */
  if (*PQcmdTuples (result) == '\0' || g_str_has_prefix (PQcmdStatus (result), "SELECT"))
    return -1;
  return g_ascii_strtoll (PQcmdTuples (result), NULL, 10);
}

gboolean
_fest_db_pg_take_result (FestDbPgStmt  *stmt,
                         PGresult      *result,
                         PGconn        *conn,
                         gint64        *changes,
                         char         **errmsg,
                         char         **sqlstate)
{
  ExecStatusType status = PQresultStatus (result);

  clear_blobs (stmt);
  g_clear_pointer (&stmt->result, PQclear);
  if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK)
    {
      _fest_db_pg_set_error (result, conn, errmsg, sqlstate);
      PQclear (result);
      return FALSE;
    }
  stmt->result = result;
  stmt->returns_rows = status == PGRES_TUPLES_OK;
  *changes = _fest_db_pg_result_changes (result);
  stmt->row = -1;
  return TRUE;
}

int
_fest_db_pg_step (FestDbPgStmt  *stmt,
                  PGconn        *conn,
                  guint          session,
                  gint64        *changes,
                  char         **errmsg,
                  char         **sqlstate)
{
  clear_blobs (stmt);

  if (stmt->result == NULL)
    {
      PGresult *result;

      /* A new session (the connection was made again) knows none of the old one's statements. */
      if (stmt->session != session && !prepare_on (stmt, conn, session, errmsg, sqlstate))
        return -1;

      result = PQexecPrepared (conn, stmt->name, stmt->n_params, stmt->values, stmt->lengths,
                               stmt->formats, 0);
      if (!_fest_db_pg_take_result (stmt, result, conn, changes, errmsg, sqlstate))
        return -1;
    }

  if (stmt->row < PQntuples (stmt->result))
    stmt->row++;
  return stmt->row < PQntuples (stmt->result);
}

void
_fest_db_pg_reset (FestDbPgStmt *stmt)
{
  stmt->prefetched = FALSE;
  stmt->stale = FALSE;
  _fest_db_pg_drop_result (stmt);
}

static gboolean
has_value (FestDbPgStmt *stmt,
           int           column)
{
  return stmt->result != NULL && stmt->row >= 0 && stmt->row < PQntuples (stmt->result)
         && column >= 0 && column < PQnfields (stmt->result)
         && !PQgetisnull (stmt->result, stmt->row, column);
}

const char *
_fest_db_pg_column_text (FestDbPgStmt *stmt,
                         int           column)
{
  if (!has_value (stmt, column))
    return NULL;
  return PQgetvalue (stmt->result, stmt->row, column);
}

gconstpointer
_fest_db_pg_column_blob (FestDbPgStmt *stmt,
                         int           column,
                         gsize        *size)
{
  *size = 0;
  if (!has_value (stmt, column))
    return NULL;

  if (stmt->blobs == NULL)
    {
      stmt->n_blobs = PQnfields (stmt->result);
      stmt->blobs = g_new0 (unsigned char *, stmt->n_blobs);
      stmt->blob_sizes = g_new0 (size_t, stmt->n_blobs);
    }
  /* Other types read as their text, as SQLite reads a text column as a blob. */
  if (PQftype (stmt->result, column) != PG_BYTEA_OID)
    {
      *size = PQgetlength (stmt->result, stmt->row, column);
      return PQgetvalue (stmt->result, stmt->row, column);
    }
  if (stmt->blobs[column] == NULL)
    stmt->blobs[column] = PQunescapeBytea ((const unsigned char *) PQgetvalue (stmt->result, stmt->row,
                                                                              column),
                                           &stmt->blob_sizes[column]);
  *size = stmt->blob_sizes[column];
  return stmt->blobs[column];
}
