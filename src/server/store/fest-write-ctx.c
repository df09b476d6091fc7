/* fest-write-ctx.c: what a write job may do on the writer thread: its connection and cached
 * statements, the festival's change counter, events delivered after the commit, the audit log
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-festival-store-internal.h"
#include "fest-write-ctx.h"

FestActor *
fest_actor_copy (const FestActor *actor)
{
  FestActor *copy;

  if (actor == NULL)
    return NULL;

  copy = g_new0 (FestActor, 1);
  copy->account_id = g_strdup (actor->account_id);
  copy->device_id = g_strdup (actor->device_id);
  copy->ip_address = g_strdup (actor->ip_address);
  copy->user_agent = g_strdup (actor->user_agent);
  return copy;
}

void
fest_actor_free (FestActor *actor)
{
  if (actor == NULL)
    return;

  g_free (actor->account_id);
  g_free (actor->device_id);
  g_free (actor->ip_address);
  g_free (actor->user_agent);
  g_free (actor);
}

static FestDbStmt *
head_stmt (FestWriteCtx  *ctx,
           GError       **error)
{
  return fest_write_ctx_prepare (ctx, "SELECT seq, hash FROM transactions ORDER BY seq DESC LIMIT 1", error);
}

/* The ledger's head as this connection read or appended it, unless it rolled back since (the
 * head is forgotten when another process writes the festival: _fest_write_ctx_load_rev()). */
static gboolean
head_known (FestWriteCtx *ctx)
{
  return ctx->head_known && ctx->head_rollbacks == fest_db_get_rollbacks (ctx->db);
}

static gboolean
read_ledger_head (FestWriteCtx  *ctx,
                  GError       **error)
{
  FestDbStmt *stmt = head_stmt (ctx, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    fest_write_ctx_set_ledger_head (ctx, fest_db_column_int64 (stmt, 0), fest_db_column_text (stmt, 1));
  else if (rc == FEST_DB_DONE)
    fest_write_ctx_set_ledger_head (ctx, 0, NULL);
  else
    ctx->head_known = FALSE;
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE || fest_db_error (ctx->db, error);
}

gboolean
fest_write_ctx_get_ledger_head (FestWriteCtx  *ctx,
                                gint64        *seq,
                                const char   **hash,
                                GError       **error)
{
  if (!head_known (ctx) && !read_ledger_head (ctx, error))
    return FALSE;
  *seq = ctx->head_seq;
  *hash = ctx->head_hash;
  return TRUE;
}

void
fest_write_ctx_set_ledger_head (FestWriteCtx *ctx,
                                gint64        seq,
                                const char   *hash)
{
  char *copy = g_strdup (hash);

  g_free (ctx->head_hash);
  ctx->head_hash = copy;
  ctx->head_known = TRUE;
  ctx->head_rollbacks = fest_db_get_rollbacks (ctx->db);
  ctx->head_seq = seq;
}

static gboolean refresh_kept_rows (FestWriteCtx  *ctx,
                                   GError       **error);

static FestDbStmt *
rev_stmt (FestWriteCtx  *ctx,
          GError       **error)
{
  /* PostgreSQL: FOR UPDATE holds the counter's row until the batch commits, so that no other
   * process writes this festival meanwhile: revs, the ledger's chain and every balance check
   * follow commit order. */
  return fest_write_ctx_prepare (ctx,
                                 fest_db_is_pg (ctx->db)
                                 ? "SELECT rev FROM change_counter WHERE id = 1 FOR UPDATE"
                                 : "SELECT rev FROM change_counter WHERE id = 1",
                                 error);
}

gboolean
_fest_write_ctx_prefetch_rev (FestWriteCtx *ctx)
{
  FestDbStmt *stmt = rev_stmt (ctx, NULL);

  return stmt != NULL && fest_db_prefetch (stmt);
}

gboolean
_fest_write_ctx_load_rev (FestWriteCtx  *ctx,
                          GError       **error)
{
  FestDbStmt *stmt = rev_stmt (ctx, error);

  if (stmt == NULL)
    return FALSE;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_error (ctx->db, error);
  ctx->rev = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  if (ctx->rev == ctx->committed_rev)
    return TRUE;
  /* Another process wrote the festival since this connection's last commit (every write moves
   * the counter): what it keeps may be out of date. */
  if (head_known (ctx) && !read_ledger_head (ctx, error))
    return FALSE;
  return refresh_kept_rows (ctx, error);
}

gboolean
_fest_write_ctx_flush_rev (FestWriteCtx  *ctx,
                           GError       **error)
{
  FestDbStmt *stmt;

  if (!ctx->rev_dirty)
    return TRUE;

  stmt = fest_write_ctx_prepare (ctx, "UPDATE change_counter SET rev = ?1 WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, ctx->rev);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    return fest_db_error (ctx->db, error);
  fest_db_reset (stmt);
  ctx->rev_dirty = FALSE;
  return TRUE;
}

FestDb *
fest_write_ctx_get_db (FestWriteCtx *ctx)
{
  return ctx->db;
}

/* The rows kept of one table, and the state of the connection they were read in. */
typedef struct
{
  const FestKeptTable *table;
  GHashTable          *rows;       /* id → row */
  guint64              rollbacks;  /* fest_db_get_rollbacks() */
  guint64              writes;     /* fest_db_get_table_writes() */
} KeptRows;

static void
kept_rows_free (gpointer data)
{
  KeptRows *kept = data;

  g_hash_table_unref (kept->rows);
  g_free (kept);
}

/* The rows of @table, emptied of any that may be out of date (@written: the last write to @table
 * does not count); NULL when none was kept. */
static KeptRows *
kept_rows (FestWriteCtx        *ctx,
           const FestKeptTable *table,
           guint64              written)
{
  KeptRows *kept = ctx->kept_rows != NULL ? g_hash_table_lookup (ctx->kept_rows, table) : NULL;
  guint64 rollbacks = fest_db_get_rollbacks (ctx->db);
  guint64 writes = fest_db_get_table_writes (ctx->db, table->name);

  if (kept == NULL)
    return NULL;
  if (kept->rollbacks != rollbacks || kept->writes + written != writes)
    g_hash_table_remove_all (kept->rows);
  kept->rollbacks = rollbacks;
  kept->writes = writes;
  return kept;
}

static void
keep_row (FestWriteCtx        *ctx,
          const FestKeptTable *table,
          guint64              written,
          const char          *id,
          gpointer             row)
{
  KeptRows *kept = kept_rows (ctx, table, written);

  if (kept == NULL)
    {
      if (ctx->kept_rows == NULL)
        ctx->kept_rows = g_hash_table_new_full (NULL, NULL, NULL, kept_rows_free);
      kept = g_new0 (KeptRows, 1);
      kept->table = table;
      kept->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, table->row_free);
      kept->rollbacks = fest_db_get_rollbacks (ctx->db);
      kept->writes = fest_db_get_table_writes (ctx->db, table->name);
      g_hash_table_insert (ctx->kept_rows, (gpointer) table, kept);
    }
  g_hash_table_replace (kept->rows, g_strdup (id), row);
}

void
fest_write_ctx_keep_row (FestWriteCtx        *ctx,
                         const FestKeptTable *table,
                         const char          *id,
                         gpointer             row)
{
  keep_row (ctx, table, 0, id, row);
}

void
fest_write_ctx_keep_written_row (FestWriteCtx        *ctx,
                                 const FestKeptTable *table,
                                 const char          *id,
                                 gpointer             row)
{
  keep_row (ctx, table, 1, id, row);
}

gpointer
fest_write_ctx_lookup_row (FestWriteCtx        *ctx,
                           const FestKeptTable *table,
                           const char          *id)
{
  KeptRows *kept = kept_rows (ctx, table, 0);

  return kept != NULL ? g_hash_table_lookup (kept->rows, id) : NULL;
}

/* The rows another process changed, read at most this many at a time: beyond, the rows kept of
 * the table are dropped rather than read again (a process that sat idle while another sold). */
#define CHANGED_ROWS_MAX 512

/* @kept's statement reading the rows changed since this connection's last commit, bound. */
static FestDbStmt *
changed_rows_stmt (FestWriteCtx  *ctx,
                   KeptRows      *kept,
                   GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, kept->table->changed_sql, error);

  if (stmt != NULL)
    {
      fest_db_bind_int64 (stmt, 1, ctx->committed_rev);
      fest_db_bind_int64 (stmt, 2, CHANGED_ROWS_MAX);
    }
  return stmt;
}

/* The tables whose kept rows another process may have changed. */
static gboolean
can_refresh (FestWriteCtx *ctx,
             KeptRows     *kept)
{
  return kept->table->changed_sql != NULL && ctx->committed_rev >= 0 && g_hash_table_size (kept->rows) > 0;
}

void
_fest_write_ctx_prefetch_changed_rows (FestWriteCtx *ctx)
{
  GHashTableIter iter;
  KeptRows *kept;
  FestDbStmt *stmt;

  if (head_known (ctx) && (stmt = head_stmt (ctx, NULL)) != NULL)
    fest_db_prefetch (stmt);
  if (ctx->kept_rows == NULL)
    return;
  g_hash_table_iter_init (&iter, ctx->kept_rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &kept))
    if (can_refresh (ctx, kept) && (stmt = changed_rows_stmt (ctx, kept, NULL)) != NULL)
      fest_db_prefetch (stmt);
}

/* Another process wrote the festival since this connection's last commit: reads again the kept
 * rows of @kept it changed, or drops them all when they cannot be read again. */
static gboolean
refresh_rows (FestWriteCtx  *ctx,
              KeptRows      *kept,
              GError       **error)
{
  FestDbStmt *stmt;
  guint n = 0;
  int rc;

  if (!can_refresh (ctx, kept))
    {
      g_hash_table_remove_all (kept->rows);
      return TRUE;
    }
  stmt = changed_rows_stmt (ctx, kept, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      const char *id = fest_db_column_text (stmt, 0);

      n++;
      if (id != NULL && g_hash_table_contains (kept->rows, id))
        g_hash_table_replace (kept->rows, g_strdup (id), kept->table->row_new (stmt));
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (ctx->db, error);
  /* Some changed rows were not read. */
  if (n >= CHANGED_ROWS_MAX)
    g_hash_table_remove_all (kept->rows);
  return TRUE;
}

/* Another process wrote the festival since this connection's last commit: the rows kept may be
 * out of date. */
static gboolean
refresh_kept_rows (FestWriteCtx  *ctx,
                   GError       **error)
{
  GHashTableIter iter;
  KeptRows *kept;

  if (ctx->kept_rows == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, ctx->kept_rows);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &kept))
    {
      /* First what this connection's own rollbacks and writes may have changed. */
      kept_rows (ctx, kept->table, 0);
      if (!refresh_rows (ctx, kept, error))
        {
          _fest_write_ctx_forget_rows (ctx);
          return FALSE;
        }
    }
  return TRUE;
}

void
_fest_write_ctx_forget_rows (FestWriteCtx *ctx)
{
  g_clear_pointer (&ctx->kept_rows, g_hash_table_unref);
}

/* The keys known to be new, NULL when there are none or they may be out of date. */
static GHashTable *
absent_keys (FestWriteCtx *ctx)
{
  if (ctx->absent_keys != NULL
      && (ctx->absent_rollbacks != fest_db_get_rollbacks (ctx->db)
          || ctx->absent_writes != fest_db_get_table_writes (ctx->db, "idempotency")))
    g_clear_pointer (&ctx->absent_keys, g_hash_table_unref);
  return ctx->absent_keys;
}

void
fest_write_ctx_add_absent_key (FestWriteCtx *ctx,
                               const char   *key)
{
  if (absent_keys (ctx) == NULL)
    {
      ctx->absent_keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
      ctx->absent_writes = fest_db_get_table_writes (ctx->db, "idempotency");
      ctx->absent_rollbacks = fest_db_get_rollbacks (ctx->db);
    }
  g_hash_table_add (ctx->absent_keys, g_strdup (key));
}

gboolean
fest_write_ctx_key_is_absent (FestWriteCtx *ctx,
                              const char   *key)
{
  GHashTable *keys = absent_keys (ctx);

  return keys != NULL && g_hash_table_contains (keys, key);
}

void
fest_write_ctx_wrote_key (FestWriteCtx *ctx,
                          const char   *key)
{
  if (ctx->absent_keys == NULL)
    return;
  /* That write is accepted; any other since the keys were read forgets them. */
  ctx->absent_writes++;
  if (absent_keys (ctx) != NULL)
    g_hash_table_remove (ctx->absent_keys, key);
}

void
_fest_write_ctx_forget_absent_keys (FestWriteCtx *ctx)
{
  g_clear_pointer (&ctx->absent_keys, g_hash_table_unref);
}

gboolean
fest_write_ctx_has_savepoint (FestWriteCtx *ctx)
{
  return ctx->savepoint;
}

gboolean
fest_write_ctx_has_event_subscribers (FestWriteCtx *ctx)
{
  /* PostgreSQL: the clients of other processes count too (their events travel by NOTIFY). */
  return fest_db_is_pg (ctx->db) || g_atomic_int_get (&ctx->store->event_subscribers) > 0;
}

FestDbStmt *
fest_write_ctx_prepare (FestWriteCtx  *ctx,
                        const char    *sql,
                        GError       **error)
{
  return fest_db_prepare (ctx->db, sql, error);
}

gboolean
fest_write_ctx_fold_ledger (FestWriteCtx        *ctx,
                            const char          *checkpoint_table,
                            const char * const  *inserts,
                            gint64               max_rows,
                            gboolean            *more,
                            GError             **error)
{
  g_autofree char *read_sql = g_strdup_printf ("SELECT (SELECT transactions_seq FROM %s WHERE id = 1),"
                                               " (SELECT COALESCE(MAX(seq), 0) FROM transactions)",
                                               checkpoint_table);
  g_autofree char *move_sql = g_strdup_printf ("UPDATE %s SET transactions_seq = ?1 WHERE id = 1", checkpoint_table);
  FestDbStmt *stmt;
  gint64 checkpoint, last, upto;

  /* The writer runs one job at a time: no row can slip in between these statements. */
  stmt = fest_write_ctx_prepare (ctx, read_sql, error);
  if (stmt == NULL)
    return FALSE;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  checkpoint = fest_db_column_int64 (stmt, 0);
  last = fest_db_column_int64 (stmt, 1);
  fest_db_reset (stmt);
  upto = MIN (last, checkpoint + max_rows);
  *more = upto < last;
  if (upto <= checkpoint)
    return TRUE;

  for (guint i = 0; inserts[i] != NULL; i++)
    {
      stmt = fest_write_ctx_prepare (ctx, inserts[i], error);
      if (stmt == NULL)
        return FALSE;
      fest_db_bind_int64 (stmt, 1, checkpoint);
      fest_db_bind_int64 (stmt, 2, upto);
      if (!fest_db_step_done (stmt, error))
        return FALSE;
    }

  stmt = fest_write_ctx_prepare (ctx, move_sql, error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_int64 (stmt, 1, upto);
  return fest_db_step_done (stmt, error);
}

gint64
fest_write_ctx_next_rev (FestWriteCtx  *ctx,
                         GError       **error)
{
  /* The counter lives in memory for the batch and is written once before COMMIT. */
  if (ctx->rev < 0 && !_fest_write_ctx_load_rev (ctx, error))
    return -1;

  ctx->rev++;
  ctx->rev_dirty = TRUE;
  return ctx->rev;
}

void
fest_write_ctx_emit (FestWriteCtx *ctx,
                     const char   *event,
                     JsonNode     *data)
{
  Event *e;

  g_return_if_fail (ctx->job != NULL);

  e = g_new0 (Event, 1);
  e->name = g_strdup (event);
  e->data = data;
  /* PostgreSQL: the event goes to the other processes as text, made now. A batch of 2,000
   * synced sales holds its events until the commit: as text they take a fraction of the trees'
   * memory, and a process without clients of its own keeps no tree at all. */
  if (fest_db_is_pg (ctx->db))
    {
      e->payload = _fest_festival_event_payload (event, data);
      if (g_atomic_int_get (&ctx->store->event_subscribers) == 0)
        g_clear_pointer (&e->data, json_node_unref);
    }

  if (ctx->job->events == NULL)
    ctx->job->events = g_ptr_array_new_with_free_func (_fest_festival_event_free);
  g_ptr_array_add (ctx->job->events, e);
}

static char *
json_text (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  return fest_json_to_string (node, NULL);
}

gboolean
fest_write_ctx_audit (FestWriteCtx     *ctx,
                      const FestActor  *actor,
                      const char       *action,
                      const char       *entity_type,
                      const char       *entity_id,
                      JsonNode         *old_values,
                      JsonNode         *new_values,
                      GError          **error)
{
  g_autofree char *old_text = json_text (old_values);
  g_autofree char *new_text = json_text (new_values);

  g_return_val_if_fail (action != NULL, FALSE);

  return fest_write_ctx_audit_text (ctx, actor, action, entity_type, entity_id, old_text, new_text, error);
}

gboolean
fest_write_ctx_audit_text (FestWriteCtx     *ctx,
                           const FestActor  *actor,
                           const char       *action,
                           const char       *entity_type,
                           const char       *entity_id,
                           const char       *old_text,
                           const char       *new_text,
                           GError          **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  FestDbStmt *stmt;

  g_return_val_if_fail (action != NULL, FALSE);

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO audit_log (id, actor_id, device_id, action, entity_type,"
                                 " entity_id, old_values, new_values, ip_address, user_agent, created_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, actor != NULL ? actor->account_id : NULL);
  fest_db_bind_text (stmt, 3, actor != NULL ? actor->device_id : NULL);
  fest_db_bind_text (stmt, 4, action);
  fest_db_bind_text (stmt, 5, entity_type);
  fest_db_bind_text (stmt, 6, entity_id);
  fest_db_bind_text (stmt, 7, old_text);
  fest_db_bind_text (stmt, 8, new_text);
  fest_db_bind_text (stmt, 9, actor != NULL ? actor->ip_address : NULL);
  fest_db_bind_text (stmt, 10, actor != NULL ? actor->user_agent : NULL);
  fest_db_bind_text (stmt, 11, now);

  if (fest_db_step (stmt) != FEST_DB_DONE)
    {
      fest_db_error (ctx->db, error);
      fest_db_reset (stmt);
      fest_db_clear_bindings (stmt);
      return FALSE;
    }

  fest_db_reset (stmt);
  fest_db_clear_bindings (stmt);
  return TRUE;
}

