/* fest-festival-writer.c: the writer thread of a festival store: write jobs run in batches, each
 * in a SAVEPOINT of one BEGIN IMMEDIATE transaction committed once (group commit), completed on
 * the main context after the commit is durable; and the checkpointer thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-festival-store-internal.h"
#include "fest-idempotency-repo.h"

/* Largest number of jobs sharing one transaction. */
#define MAX_BATCH 512

/* WAL size (pages of 4 KiB) at which the checkpointer thread copies the WAL back into the
 * database: 16 MiB (SQLite's default autocheckpoint is 1000 pages, run inside a COMMIT). */
#define WAL_CHECKPOINT_PAGES 4000
/* The checkpointer's passes stop when at most this many frames are left for the writer to copy. */
#define WAL_CHECKPOINT_LEFT_PAGES 256
#define WAL_CHECKPOINT_MAX_PASSES 8

/* A job pointer value that tells the writer to stop. */
static Job stop_job;

void
_fest_festival_event_free (gpointer data)
{
  Event *event = data;

  g_free (event->name);
  g_clear_pointer (&event->data, json_node_unref);
  g_free (event->payload);
  g_free (event);
}

void
_fest_festival_job_free (Job *job)
{
  if (job->job_data_free != NULL && job->job_data != NULL)
    job->job_data_free (job->job_data);
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  g_free (job->idempotency_key);
  g_clear_object (&job->task);
  g_clear_object (&job->cancellable);
  g_clear_error (&job->error);
  g_clear_pointer (&job->events, g_ptr_array_unref);
  if (job->sync)
    {
      g_mutex_clear (&job->mutex);
      g_cond_clear (&job->cond);
    }
  g_free (job);
}

/* Writer thread */

/* Transaction control on the hot path: prepared once per connection, not parsed per job. */
static gboolean
exec_cached (FestWriteCtx  *ctx,
             const char    *sql,
             GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (ctx->db, error);
  return TRUE;
}

/* SQLite: the write lock at once, so that a batch never fails to upgrade a read lock. PostgreSQL
 * locks rows as the batch writes them; the change counter's row, taken first, serialises the
 * festival's batches across processes (_fest_write_ctx_load_rev). */
static const char *
begin_sql (FestWriteCtx *ctx)
{
  return fest_db_is_pg (ctx->db) ? "BEGIN" : "BEGIN IMMEDIATE";
}

/* Runs a job in a SAVEPOINT of its own: a failing job rolls back only itself. */
static void
run_job (FestWriteCtx *ctx,
         Job          *job)
{
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  GDestroyNotify result_free = NULL;

  ctx->job = job;
  ctx->savepoint = TRUE;

  if (job->cancellable != NULL && g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    goto out;

  if (!exec_cached (ctx, "SAVEPOINT job", &job->error))
    goto out;

  if (job->func (ctx, job->job_data, &result, &result_free, &error))
    {
      if (!exec_cached (ctx, "RELEASE job", &job->error))
        {
          if (result != NULL && result_free != NULL)
            result_free (result);
          g_clear_pointer (&job->events, g_ptr_array_unref);
          goto out;
        }
      job->result = result;
      job->result_free = result_free;
    }
  else
    {
      if (result != NULL && result_free != NULL)
        result_free (result);
      if (error == NULL)
        g_set_error_literal (&error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                             "Write job failed without an error");
      job->error = g_steal_pointer (&error);
      g_clear_pointer (&job->events, g_ptr_array_unref);
      /* The rev counter lives in memory: a rolled back job's increments leave a harmless gap. */
      exec_cached (ctx, "ROLLBACK TO job", NULL);
      exec_cached (ctx, "RELEASE job", NULL);
    }

out:
  ctx->job = NULL;
}

/* An I/O or full-disk error inside a job may have ended the batch's transaction itself (SQLite
 * rolls it back): then the jobs after it must not run, each would commit on its own. The batch
 * fails with the job's error, so that a full or failing disk reads as such (503), not as a bug. */
static gboolean
transaction_alive (FestWriteCtx  *ctx,
                   Job           *job,
                   GError       **error)
{
  if (fest_db_in_transaction (ctx->db))
    return TRUE;

  if (_fest_store_error_is_storage (job->error))
    g_propagate_error (error, g_error_copy (job->error));
  else
    g_set_error_literal (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                         "The transaction was rolled back");
  return FALSE;
}

/* Forgets what a job's run produced, so that it can run again. */
static void
job_reset (Job *job)
{
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
  job->result = NULL;
  job->result_free = NULL;
  g_clear_error (&job->error);
  g_clear_pointer (&job->events, g_ptr_array_unref);
}

/* Runs a rerunnable job without a SAVEPOINT. Returns FALSE when it failed after writing: its
 * changes (and those of the jobs run before it in this run) must be rolled back. A job that
 * fails before writing anything (the usual refusal: validation, balance) needs no rollback. */
static gboolean
run_job_unprotected (FestWriteCtx *ctx,
                     Job          *job)
{
  g_autoptr(GError) error = NULL;
  gpointer result = NULL;
  GDestroyNotify result_free = NULL;
  gint64 changes = fest_db_total_changes (ctx->db);
  gboolean clean = TRUE;
  gboolean ok;

  ctx->job = job;
  ctx->savepoint = FALSE;

  if (job->cancellable != NULL && g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    goto out;

  /* PostgreSQL: its writes go out without waiting for their answers, which come with its next
   * read or the run's end (run_rerunnable): a write that failed there makes the run go again. */
  fest_db_set_unanswered_writes (ctx->db, TRUE);
  ok = job->func (ctx, job->job_data, &result, &result_free, &error);
  fest_db_set_unanswered_writes (ctx->db, FALSE);
  if (ok)
    {
      job->result = result;
      job->result_free = result_free;
      goto out;
    }

  if (result != NULL && result_free != NULL)
    result_free (result);
  if (error == NULL)
    g_set_error_literal (&error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                         "Write job failed without an error");
  job->error = g_steal_pointer (&error);
  g_clear_pointer (&job->events, g_ptr_array_unref);
  /* PostgreSQL: a statement that failed aborted the transaction, whatever it changed. */
  clean = fest_db_total_changes (ctx->db) == changes && !fest_db_transaction_failed (ctx->db);

out:
  ctx->job = NULL;
  ctx->savepoint = TRUE;
  return clean;
}

typedef struct
{
  FestFestivalStore *store;
  GPtrArray         *jobs;
} Completion;

static gboolean
complete_batch_cb (gpointer user_data)
{
  Completion *completion = user_data;

  for (guint i = 0; i < completion->jobs->len; i++)
    {
      Job *job = g_ptr_array_index (completion->jobs, i);

      if (job->error == NULL && job->events != NULL)
        {
          for (guint e = 0; e < job->events->len; e++)
            {
              Event *event = g_ptr_array_index (job->events, e);
              if (event->data != NULL)
                _fest_festival_store_emit_event (completion->store, event->name, event->data);
            }
        }

      if (job->sync || job->task == NULL)
        continue;

      if (job->error != NULL)
        g_task_return_error (job->task, g_steal_pointer (&job->error));
      else
        {
          g_task_return_pointer (job->task, job->result, job->result_free);
          job->result = NULL;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
completion_free (gpointer data)
{
  Completion *completion = data;

  g_object_unref (completion->store);
  g_ptr_array_unref (completion->jobs);
  g_free (completion);
}

static void
finish_sync_job (Job *job)
{
  g_mutex_lock (&job->mutex);
  job->done = TRUE;
  g_cond_signal (&job->cond);
  g_mutex_unlock (&job->mutex);
}

/* A commit whose WAL frames were written but whose sync failed (EIO) leaves them in the WAL file,
 * commit frame included. SQLite ignores them while it runs (its WAL index never got them) and
 * writes the next transaction over them, but a crash before that would let recovery replay them:
 * payments answered 503 would be back. A small transaction written now, before any reply, takes
 * their place at the same offset and breaks their checksum chain. It must change a byte (SQLite
 * writes no page for an update to the same value): it bumps the rev counter, a gap that
 * /sync/changes cursors do not mind. Best effort: the disk may refuse it too, and a failed write
 * leaves no commit frame behind anyway. */
static void
overwrite_failed_commit (FestWriteCtx *ctx)
{
  if (!fest_db_exec (ctx->db,
                     "BEGIN IMMEDIATE;"
                     "UPDATE change_counter SET rev = rev + 1 WHERE id = 1;"
                     "COMMIT;",
                     NULL))
    fest_db_exec (ctx->db, "ROLLBACK", NULL);
}

/* PostgreSQL's NOTIFY payloads stop short of 8000 bytes. */
#define MAX_NOTIFY_PAYLOAD 7999

/* What a notification adds to its events: "ID [" and "]" (notification_cb() reads it). */
#define NOTIFY_FRAMING (strlen (_fest_festival_process_id ()) + 3)

/* Sends one notification holding @events, a JSON array's elements (the framing added here). */
static gboolean
notify (FestWriteCtx  *ctx,
        GString       *events,
        GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT pg_notify (?1, ?2)", error);

  if (stmt == NULL)
    return FALSE;
  g_string_prepend (events, " [");
  g_string_prepend (events, _fest_festival_process_id ());
  g_string_append_c (events, ']');
  fest_db_bind_text (stmt, 1, ctx->store->pg_schema);
  fest_db_bind_text (stmt, 2, events->str);
  if (fest_db_step_unanswered (stmt) == FEST_DB_ERROR)
    return fest_db_stmt_fail (stmt, error);
  fest_db_reset (stmt);
  g_string_truncate (events, 0);
  return TRUE;
}

/* PostgreSQL: the batch's events, for the other processes that serve this festival, packed into
 * as few notifications as their size allows. They go out with the COMMIT, in its round trip
 * (unanswered writes are on): a failed one fails the COMMIT. NOTIFY is transactional: the other
 * processes get them with the COMMIT, and never without it. */
static gboolean
notify_events (FestWriteCtx  *ctx,
               GPtrArray     *batch,
               GError       **error)
{
  g_autoptr(GString) events = g_string_new (NULL);

  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      for (guint j = 0; job->events != NULL && j < job->events->len; j++)
        {
          Event *event = g_ptr_array_index (job->events, j);
          const char *payload = event->payload;
          gsize length = strlen (payload);

          if (length + NOTIFY_FRAMING > MAX_NOTIFY_PAYLOAD)
            {
              g_warning ("Event %s (%zu bytes) is too large for the other processes", event->name, length);
              continue;
            }
          if (events->len > 0 && events->len + 1 + length + NOTIFY_FRAMING > MAX_NOTIFY_PAYLOAD
              && !notify (ctx, events, error))
            return FALSE;
          if (events->len > 0)
            g_string_append_c (events, ',');
          g_string_append_len (events, payload, length);
        }
    }
  return events->len == 0 || notify (ctx, events, error);
}

/* Adds @job (when not NULL), then the jobs waiting in the queue, to @batch, up to MAX_BATCH.
 * Returns TRUE when it met the stop request: the writer stops after this batch. */
static gboolean
take_jobs (FestFestivalStore *store,
           GPtrArray         *batch,
           Job               *job)
{
  while (batch->len < MAX_BATCH && (job != NULL || (job = g_async_queue_try_pop (store->queue)) != NULL))
    {
      if (job == &stop_job)
        return TRUE;
      g_ptr_array_add (batch, job);
      job = NULL;
    }
  return FALSE;
}

static GPtrArray *
keys_of (GPtrArray *batch,
         guint      from)
{
  GPtrArray *keys = g_ptr_array_new ();

  for (guint i = from; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (job->idempotency_key != NULL)
        g_ptr_array_add (keys, job->idempotency_key);
    }
  return keys;
}

/* The Idempotency-Keys of batch[from...] that no row holds yet, in one query (PostgreSQL). */
static gboolean
find_new_keys (FestWriteCtx  *ctx,
               GPtrArray     *batch,
               guint          from,
               GError       **error)
{
  g_autoptr(GPtrArray) keys = keys_of (batch, from);

  return fest_idempotency_repo_find_new (ctx, (const char * const *) keys->pdata, keys->len, error);
}

/* Opens the batch's transaction and reads the festival's change counter. PostgreSQL: locks it
 * (_fest_write_ctx_load_rev()), looks the batch's Idempotency-Keys up behind the lock, and takes
 * in the jobs that arrived while it waited for the lock (unless @rerun). BEGIN, the lock, the kept
 * rows other processes changed and the keys go in one round trip, once their statements are
 * prepared. On failure, the caller rolls back. */
static gboolean
begin_batch (FestWriteCtx  *ctx,
             GPtrArray     *batch,
             gboolean       rerun,
             GError       **error)
{
  g_autoptr(GPtrArray) late_keys = NULL;
  guint looked_up;
  gboolean prefetched;
  gboolean ok;

  if (!fest_db_is_pg (ctx->db))
    return exec_cached (ctx, begin_sql (ctx), error) && (ctx->rev >= 0 || _fest_write_ctx_load_rev (ctx, error));

  /* Other processes write the festival too: this process's copy of the counter is only good
   * while it holds the lock. */
  ctx->rev = -1;
  fest_db_set_unanswered_writes (ctx->db, TRUE);
  ok = exec_cached (ctx, begin_sql (ctx), error);
  prefetched = ok && _fest_write_ctx_prefetch_rev (ctx);
  if (prefetched)
    {
      _fest_write_ctx_prefetch_changed_rows (ctx);
      ok = find_new_keys (ctx, batch, 0, error);
    }
  ok = ok && _fest_write_ctx_load_rev (ctx, error) && (prefetched || find_new_keys (ctx, batch, 0, error));
  fest_db_set_unanswered_writes (ctx->db, FALSE);
  if (!ok)
    return FALSE;
  looked_up = batch->len;

  /* The jobs that arrived while the batch waited for the festival's lock (another process held
   * it) join it rather than wait for the next turn. Their keys are taken as new, without another
   * round trip: they are rerunnable jobs, run first without a SAVEPOINT, and a key that was stored
   * fails the run at the latest at the COMMIT (run_batch()). */
  if (rerun)
    return TRUE;
  if (take_jobs (ctx->store, batch, NULL))
    g_async_queue_push_front (ctx->store->queue, &stop_job);
  late_keys = keys_of (batch, looked_up);
  fest_idempotency_repo_presume_new (ctx, (const char * const *) late_keys->pdata, late_keys->len);
  return TRUE;
}

/* PostgreSQL: the events' notifications and the counter's UPDATE get their answers with the
 * COMMIT's. */
static gboolean
end_batch (FestWriteCtx  *ctx,
           GPtrArray     *batch,
           GError       **error)
{
  gboolean ok;

  fest_db_set_unanswered_writes (ctx->db, TRUE);
  ok = (!fest_db_is_pg (ctx->db) || notify_events (ctx, batch, error))
       && _fest_write_ctx_flush_rev (ctx, error);
  fest_db_set_unanswered_writes (ctx->db, FALSE);
  return ok && exec_cached (ctx, "COMMIT", error);
}

/* For a run that failed after writing, with nothing of the transaction before it: rolls back and
 * begins again (PostgreSQL: behind the lock, every job's key looked up, none taken as new). */
static gboolean
restart_batch (FestWriteCtx  *ctx,
               GPtrArray     *batch,
               GError       **error)
{
  if (!exec_cached (ctx, "ROLLBACK", error))
    return FALSE;
  ctx->rev = -1;
  ctx->rev_dirty = FALSE;
  return begin_batch (ctx, batch, TRUE, error);
}

/* Runs batch[start, end) again, each job in a SAVEPOINT of its own: a failing job fails alone. */
static gboolean
run_in_savepoints (FestWriteCtx  *ctx,
                   GPtrArray     *batch,
                   guint          start,
                   guint          end,
                   GError       **error)
{
  for (guint i = start; i < end; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      job_reset (job);
      run_job (ctx, job);
      if (!transaction_alive (ctx, job, error))
        return FALSE;
    }
  return TRUE;
}

/* Runs batch[start, end), all rerunnable, without a SAVEPOINT per job. When one fails after
 * writing, the run is rolled back and run again with a SAVEPOINT per job. @first: nothing of the
 * transaction precedes the run, so a ROLLBACK undoes it without a SAVEPOINT (whose page copies
 * are what the run avoids). @whole: the run is the whole batch, and its writes may go unchecked
 * (PostgreSQL): their answers come with the COMMIT's, and a failed one makes run_batch() run the
 * batch again. */
static gboolean
run_rerunnable (FestWriteCtx  *ctx,
                GPtrArray     *batch,
                guint          start,
                guint          end,
                gboolean       first,
                gboolean       whole,
                GError       **error)
{
  gboolean clean = TRUE;

  if (!first && !exec_cached (ctx, "SAVEPOINT run", error))
    return FALSE;

  for (guint i = start; i < end && clean; i++)
    {
      clean = run_job_unprotected (ctx, g_ptr_array_index (batch, i));
      if (!transaction_alive (ctx, g_ptr_array_index (batch, i), error))
        return FALSE;
    }
  /* The answers to the last job's writes, unless the COMMIT's round trip brings them. */
  if (clean && !whole && !fest_db_sync (ctx->db, NULL))
    clean = FALSE;

  if (!clean)
    {
      gboolean undone = first ? restart_batch (ctx, batch, error) : exec_cached (ctx, "ROLLBACK TO run", error);

      if (!undone || !run_in_savepoints (ctx, batch, start, end, error))
        return FALSE;
    }

  if (!first && !exec_cached (ctx, "RELEASE run", error))
    return FALSE;
  return TRUE;
}

/* Runs the batch's jobs in its transaction. PostgreSQL: a batch of rerunnable jobs only leaves
 * its writes unchecked until the COMMIT (run_rerunnable()), one round trip less. FALSE when the
 * transaction is lost (rolled back). */
static gboolean
run_jobs (FestWriteCtx  *ctx,
          GPtrArray     *batch,
          GError       **error)
{
  gboolean pg = fest_db_is_pg (ctx->db);

  for (guint i = 0; i < batch->len;)
    {
      Job *job = g_ptr_array_index (batch, i);
      guint end = i + 1;

      if (!job->rerunnable)
        {
          run_job (ctx, job);
          if (!transaction_alive (ctx, job, error))
            return FALSE;
          i++;
        }
      else
        {
          while (end < batch->len && ((Job *) g_ptr_array_index (batch, end))->rerunnable)
            end++;
          if (!run_rerunnable (ctx, batch, i, end, i == 0, pg && i == 0 && end == batch->len, error))
            {
              fest_db_exec (ctx->db, "ROLLBACK", NULL);
              return FALSE;
            }
          i = end;
        }
    }
  return TRUE;
}

static void
run_batch (FestWriteCtx *ctx,
           GPtrArray    *batch)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *async_jobs;
  gboolean has_events = FALSE;
  gboolean committed;

  if (!begin_batch (ctx, batch, FALSE, &error))
    {
      fest_db_exec (ctx->db, "ROLLBACK", NULL);
      goto failed;
    }
  if (!run_jobs (ctx, batch, &error))
    goto failed;

  committed = end_batch (ctx, batch, &error);
  /* PostgreSQL: a write of the batch failed, and the COMMIT after it did not run (the transaction
   * is still open, failed). The batch goes again, where the failing job fails alone. */
  if (!committed && fest_db_transaction_failed (ctx->db))
    {
      g_clear_error (&error);
      committed = restart_batch (ctx, batch, &error)
                  && run_in_savepoints (ctx, batch, 0, batch->len, &error)
                  && end_batch (ctx, batch, &error);
    }
  if (!committed)
    {
      fest_db_exec (ctx->db, "ROLLBACK", NULL);
      goto failed;
    }
  ctx->committed_rev = ctx->rev;
  _fest_write_ctx_forget_absent_keys (ctx);
  goto deliver;

failed:
  /* Nothing of the batch is durable: every job fails, even the ones whose own work succeeded. */
  if (_fest_store_error_is_storage (error) && !fest_db_is_pg (ctx->db))
    overwrite_failed_commit (ctx);
  ctx->rev = -1;
  ctx->rev_dirty = FALSE;
  _fest_write_ctx_forget_rows (ctx);
  _fest_write_ctx_forget_absent_keys (ctx);
  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (job->error == NULL)
        job->error = g_error_copy (error);
      if (job->result != NULL && job->result_free != NULL)
        job->result_free (job->result);
      job->result = NULL;
      g_clear_pointer (&job->events, g_ptr_array_unref);
    }

deliver:
  async_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) _fest_festival_job_free);
  for (guint i = 0; i < batch->len; i++)
    {
      Job *job = g_ptr_array_index (batch, i);

      if (job->events != NULL)
        has_events = TRUE;

      if (job->sync)
        {
          /* Events of a sync job still go through the main context; the caller owns the job. */
          if (job->events != NULL)
            {
              Job *carrier = g_new0 (Job, 1);
              carrier->events = g_steal_pointer (&job->events);
              g_ptr_array_add (async_jobs, carrier);
            }
          finish_sync_job (job);
        }
      else
        g_ptr_array_add (async_jobs, job);
    }

  if (async_jobs->len > 0 || has_events)
    {
      Completion *completion = g_new0 (Completion, 1);

      completion->store = g_object_ref (ctx->store);
      completion->jobs = async_jobs;
      g_main_context_invoke_full (ctx->store->main_context, G_PRIORITY_DEFAULT,
                                  complete_batch_cb, completion, completion_free);
    }
  else
    g_ptr_array_unref (async_jobs);
}

static gpointer
writer_thread (gpointer data)
{
  FestFestivalStore *self = data;
  FestWriteCtx ctx = { .store = self, .db = self->write_db, .rev = -1, .committed_rev = -1, .savepoint = TRUE };
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  gboolean stop = FALSE;

  while (!stop)
    {
      g_ptr_array_set_size (batch, 0);
      stop = take_jobs (self, batch, g_async_queue_pop (self->queue));
      if (batch->len > 0)
        run_batch (&ctx, batch);
    }

  g_free (ctx.head_hash);
  _fest_write_ctx_forget_rows (&ctx);
  return NULL;
}

/* Checkpointer thread */

/* Runs on the writer thread after each commit, with the WAL's size in pages.
 *
 * A checkpoint copies WAL frames into the database; the writer starts the WAL over only when
 * every frame is copied. Under a steady stream of commits a concurrent checkpoint never gets to
 * the end, so the work is split: the checkpointer thread copies the bulk while commits go on, then
 * the writer copies the few frames appended since, here, which lets its next transaction start
 * the WAL over. */
int
_fest_festival_writer_wal_hook (gpointer    data,
                                sqlite3    *db,
                                const char *db_name,
                                int         n_pages)
{
  FestFestivalStore *self = data;
  gboolean finish_here = FALSE;

  if (n_pages < WAL_CHECKPOINT_PAGES)
    return SQLITE_OK;

  g_mutex_lock (&self->checkpoint_lock);
  if (self->checkpoint_caught_up)
    {
      self->checkpoint_caught_up = FALSE;
      finish_here = TRUE;
    }
  else if (!self->checkpoint_wanted && !self->checkpoint_running)
    {
      self->checkpoint_wanted = TRUE;
      g_cond_signal (&self->checkpoint_cond);
    }
  g_mutex_unlock (&self->checkpoint_lock);

  if (finish_here)
    sqlite3_wal_checkpoint_v2 (db, db_name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);

  return SQLITE_OK;
}

/* PASSIVE checkpoints copy committed frames into the database without taking the write lock, so
 * payments keep committing meanwhile. Passes repeat while commits add frames faster than a pass
 * copies them. Durability does not depend on checkpoints: every commit's WAL frames are synced
 * (synchronous=FULL). */
static gpointer
checkpointer_thread (gpointer data)
{
  FestFestivalStore *self = data;

  g_mutex_lock (&self->checkpoint_lock);
  while (!self->checkpoint_stop)
    {
      int log_pages = 0, copied_pages = 0, rc = SQLITE_OK;

      if (!self->checkpoint_wanted)
        {
          g_cond_wait (&self->checkpoint_cond, &self->checkpoint_lock);
          continue;
        }
      self->checkpoint_wanted = FALSE;
      self->checkpoint_running = TRUE;
      g_mutex_unlock (&self->checkpoint_lock);

      for (guint pass = 0; pass < WAL_CHECKPOINT_MAX_PASSES; pass++)
        {
          rc = sqlite3_wal_checkpoint_v2 (self->checkpoint_db, NULL, SQLITE_CHECKPOINT_PASSIVE,
                                          &log_pages, &copied_pages);
          if (rc != SQLITE_OK || log_pages - copied_pages <= WAL_CHECKPOINT_LEFT_PAGES)
            break;
        }
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_warning ("Checkpoint of %s failed: %s", self->path, sqlite3_errmsg (self->checkpoint_db));
      else
        g_debug ("Checkpoint of %s: %d of %d WAL pages copied", self->path, copied_pages, log_pages);

      g_mutex_lock (&self->checkpoint_lock);
      self->checkpoint_running = FALSE;
      self->checkpoint_caught_up = rc == SQLITE_OK;
    }
  g_mutex_unlock (&self->checkpoint_lock);

  return NULL;
}

static void
stop_checkpointer (FestFestivalStore *self)
{
  if (self->checkpointer == NULL)
    return;

  g_mutex_lock (&self->checkpoint_lock);
  self->checkpoint_stop = TRUE;
  g_cond_signal (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_lock);
  g_thread_join (self->checkpointer);
  self->checkpointer = NULL;
}

void
_fest_festival_writer_start (FestFestivalStore *self)
{
  self->writer = g_thread_new ("fest-writer", writer_thread, self);
  /* PostgreSQL checkpoints by itself. */
  if (self->checkpoint_db != NULL)
    self->checkpointer = g_thread_new ("fest-checkpoint", checkpointer_thread, self);
}

void
_fest_festival_writer_stop (FestFestivalStore *self)
{
  if (self->writer != NULL)
    {
      g_async_queue_push (self->queue, &stop_job);
      g_thread_join (self->writer);
      self->writer = NULL;
    }
  stop_checkpointer (self);
}
