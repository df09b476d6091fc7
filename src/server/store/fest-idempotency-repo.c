/* fest-idempotency-repo.c: the idempotency table (see fest-idempotency-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-idempotency-repo.h"
#include "fest-store-private.h"

/* Runs @stmt, a cached write statement, to its end and resets it. */
static gboolean
step_done (FestWriteCtx  *ctx,
           FestDbStmt    *stmt,
           GError       **error)
{
  gboolean done = fest_db_step (stmt) == FEST_DB_DONE;

  if (!done)
    fest_db_error (fest_write_ctx_get_db (ctx), error);
  fest_db_reset (stmt);
  return done;
}

gboolean
fest_idempotency_repo_get (FestWriteCtx  *ctx,
                           const char    *key,
                           gboolean      *found,
                           char         **request_hash,
                           guint         *status,
                           GBytes       **body,
                           GError       **error)
{
  FestDbStmt *stmt;
  int rc;

  if (fest_write_ctx_key_is_absent (ctx, key))
    {
      *found = FALSE;
      return TRUE;
    }
  stmt = fest_write_ctx_prepare (ctx, "SELECT request_hash, status, body FROM idempotency WHERE key = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, key);
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc == FEST_DB_ROW)
    {
      *request_hash = g_strdup (fest_db_column_text (stmt, 0));
      *status = (guint) fest_db_column_int (stmt, 1);
      if (body != NULL)
        *body = g_bytes_new (fest_db_column_blob (stmt, 2), fest_db_column_bytes (stmt, 2));
    }
  else if (rc != FEST_DB_DONE)
    fest_db_error (fest_write_ctx_get_db (ctx), error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_idempotency_repo_insert (FestWriteCtx  *ctx,
                              const char    *key,
                              const char    *request_hash,
                              guint          status,
                              gconstpointer  data,
                              gsize          size,
                              const char    *now,
                              GError       **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO idempotency (key, request_hash, status, body, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5)", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, key);
  fest_db_bind_text (stmt, 2, request_hash);
  fest_db_bind_int64 (stmt, 3, (int) status);
  fest_db_bind_blob (stmt, 4, data != NULL ? data : "", (int) size);
  fest_db_bind_text (stmt, 5, now);
  if (!step_done (ctx, stmt, error))
    return FALSE;
  fest_write_ctx_wrote_key (ctx, key);
  return TRUE;
}

gboolean
fest_idempotency_repo_delete (FestWriteCtx  *ctx,
                              const char    *key,
                              GError       **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "DELETE FROM idempotency WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, key);
  if (!step_done (ctx, stmt, error))
    return FALSE;
  fest_write_ctx_wrote_key (ctx, key);
  return TRUE;
}

/* @keys as a PostgreSQL array literal: every element quoted, its quotes and backslashes escaped. */
static char *
text_array (const char * const *keys,
            guint               n_keys)
{
  GString *array = g_string_new ("{");

  for (guint i = 0; i < n_keys; i++)
    {
      if (i > 0)
        g_string_append_c (array, ',');
      g_string_append_c (array, '"');
      for (const char *p = keys[i]; *p != '\0'; p++)
        {
          if (*p == '"' || *p == '\\')
            g_string_append_c (array, '\\');
          g_string_append_c (array, *p);
        }
      g_string_append_c (array, '"');
    }
  g_string_append_c (array, '}');
  return g_string_free (array, FALSE);
}

gboolean
fest_idempotency_repo_find_new (FestWriteCtx        *ctx,
                                const char * const  *keys,
                                guint                n_keys,
                                GError             **error)
{
  g_autoptr(GHashTable) found = NULL;
  g_autofree char *array = NULL;
  FestDbStmt *stmt;
  int rc;

  if (n_keys == 0 || !fest_db_is_pg (fest_write_ctx_get_db (ctx)))
    return TRUE;
  /* One index probe per key. Not `key = ANY (?1)`: PostgreSQL plans that for ten keys, and a
   * prepared statement keeps its generic plan, made while the table was small: a sequential
   * scan, which then reads the whole table every batch. */
  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT i.key FROM unnest (?1::text[]) AS k (key), "
                                 "LATERAL (SELECT key FROM idempotency WHERE key = k.key LIMIT 1) AS i",
                                 error);
  if (stmt == NULL)
    return FALSE;
  array = text_array (keys, n_keys);
  fest_db_bind_text (stmt, 1, array);
  found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_hash_table_add (found, g_strdup (fest_db_column_text (stmt, 0)));
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  for (guint i = 0; i < n_keys; i++)
    if (!g_hash_table_contains (found, keys[i]))
      fest_write_ctx_add_absent_key (ctx, keys[i]);
  return TRUE;
}

void
fest_idempotency_repo_presume_new (FestWriteCtx        *ctx,
                                   const char * const  *keys,
                                   guint                n_keys)
{
  if (!fest_db_is_pg (fest_write_ctx_get_db (ctx)))
    return;
  for (guint i = 0; i < n_keys; i++)
    fest_write_ctx_add_absent_key (ctx, keys[i]);
}

static gboolean
exec_cached (FestWriteCtx *ctx,
             const char   *sql,
             GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, sql, error);

  if (stmt == NULL)
    return FALSE;
  return step_done (ctx, stmt, error);
}

gboolean
fest_idempotency_repo_savepoint (FestWriteCtx  *ctx,
                                 GError       **error)
{
  return exec_cached (ctx, "SAVEPOINT fest_idempotent", error);
}

gboolean
fest_idempotency_repo_rollback (FestWriteCtx  *ctx,
                                GError       **error)
{
  return exec_cached (ctx, "ROLLBACK TO fest_idempotent", error);
}

gboolean
fest_idempotency_repo_release (FestWriteCtx  *ctx,
                               GError       **error)
{
  return exec_cached (ctx, "RELEASE fest_idempotent", error);
}

gint64
fest_idempotency_repo_changes (FestWriteCtx *ctx)
{
  return fest_db_total_changes (fest_write_ctx_get_db (ctx));
}

gboolean
fest_idempotency_repo_read (FestFestivalStore  *store,
                            const char         *key,
                            guint              *status,
                            GBytes            **body,
                            GError            **error)
{
  FestDbStmt *stmt;
  int rc;

  *body = NULL;
  stmt = fest_festival_store_prepare_read (store, "SELECT status, body FROM idempotency WHERE key = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, key);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    {
      *status = (guint) fest_db_column_int (stmt, 0);
      *body = g_bytes_new (fest_db_column_blob (stmt, 1), fest_db_column_bytes (stmt, 1));
    }
  else if (rc != FEST_DB_DONE)
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}
