/* fest-festival-store.c: one festival's SQLite database, with a group-committing writer thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fest-core.h"
#include "fest-festival-schema.h"
#include "fest-festival-store.h"
#include "fest-store-private.h"

/* Largest number of jobs sharing one transaction. */
#define MAX_BATCH 512
/* The writer connection's page cache, in KiB (see fest_festival_store_open()). */
#define WRITER_CACHE_KIB 8192

/* WAL size (pages of 4 KiB) at which the checkpointer thread copies the WAL back into the
 * database: 16 MiB (SQLite's default autocheckpoint is 1000 pages, run inside a COMMIT). */
#define WAL_CHECKPOINT_PAGES 4000
/* The checkpointer's passes stop when at most this many frames are left for the writer to copy. */
#define WAL_CHECKPOINT_LEFT_PAGES 256
#define WAL_CHECKPOINT_MAX_PASSES 8

typedef struct
{
  char     *name;
  JsonNode *data;
} Event;

typedef struct
{
  FestWriteFunc   func;
  gboolean        rerunnable;    /* may run without a SAVEPOINT of its own */
  gpointer        job_data;
  GDestroyNotify  job_data_free;
  GTask          *task;          /* async jobs */
  GCancellable   *cancellable;

  /* write_sync jobs: the caller waits on cond */
  gboolean        sync;
  gboolean        done;
  GMutex          mutex;
  GCond           cond;

  /* outcome */
  gpointer        result;
  GDestroyNotify  result_free;
  GError         *error;
  GPtrArray      *events;        /* of Event*, nullable */
} Job;

struct _FestWriteCtx
{
  FestFestivalStore *store;
  sqlite3           *db;
  Job               *job;
  gint64             rev;        /* -1: not loaded in this connection's current state */
  gboolean           rev_dirty;
  gboolean           savepoint;  /* the current job runs in a SAVEPOINT of its own */
};

struct _FestFestivalStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *read_db;
  GHashTable   *read_stmts;      /* sql → sqlite3_stmt*, main thread only */

  sqlite3      *write_db;
  GHashTable   *write_stmts;     /* sql → sqlite3_stmt*, writer thread only */
  GMainContext *main_context;
  GAsyncQueue  *queue;
  GThread      *writer;          /* started on the first write */
  GMutex        writer_lock;

  /* Checkpoints run on a thread of their own, so that no COMMIT waits for one. */
  sqlite3      *checkpoint_db;
  GThread      *checkpointer;    /* started with the writer */
  GMutex        checkpoint_lock;
  GCond         checkpoint_cond;
  gboolean      checkpoint_wanted;
  gboolean      checkpoint_running;
  gboolean      checkpoint_caught_up;  /* a pass left only a few frames behind */
  gboolean      checkpoint_stop;
  gboolean      closed;
  gint          event_subscribers;   /* atomic: written on the main thread, read by the writer */
};

G_DEFINE_FINAL_TYPE (FestFestivalStore, fest_festival_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (fest-store-error-quark, fest_store_error)

enum
{
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* A job pointer value that tells the writer to stop. */
static Job stop_job;

static void
event_free (gpointer data)
{
  Event *event = data;

  g_free (event->name);
  g_clear_pointer (&event->data, json_node_unref);
  g_free (event);
}

static void
job_free (Job *job)
{
  if (job->job_data_free != NULL && job->job_data != NULL)
    job->job_data_free (job->job_data);
  if (job->result != NULL && job->result_free != NULL)
    job->result_free (job->result);
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

FestStoreError
_fest_sqlite_error_code (int result_code)
{
  switch (result_code & 0xff)
    {
    case SQLITE_FULL:
      return FEST_STORE_ERROR_DISK_FULL;
    case SQLITE_IOERR:
      return FEST_STORE_ERROR_IO;
    default:
      return FEST_STORE_ERROR_SQLITE;
    }
}

gboolean
_fest_store_error_is_storage (const GError *error)
{
  return error != NULL && error->domain == FEST_STORE_ERROR
         && (error->code == FEST_STORE_ERROR_DISK_FULL || error->code == FEST_STORE_ERROR_IO);
}

gboolean
fest_sqlite_error (sqlite3  *db,
                   GError  **error)
{
  int code = db != NULL ? sqlite3_extended_errcode (db) : SQLITE_MISUSE;

  g_set_error (error, FEST_STORE_ERROR, _fest_sqlite_error_code (code), "SQLite error %d: %s", code,
               db != NULL ? sqlite3_errmsg (db) : "no database");
  return FALSE;
}

gboolean
_fest_sqlite_exec (sqlite3     *db,
                   const char  *sql,
                   GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      int code = sqlite3_extended_errcode (db);

      g_set_error (error, FEST_STORE_ERROR, _fest_sqlite_error_code (code), "SQLite error %d: %s",
                   code, message != NULL ? message : sqlite3_errmsg (db));
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

/* Databases hold password hashes, tokens and the ledger: owner only, whatever the umask or how
 * an older version or a restored backup left them. SQLite creates a database 0644 but gives its
 * -wal and -shm files the database's own mode, so the database is created here first, 0600. */
static gboolean
make_private (const char  *path,
              gboolean     create,
              GError     **error)
{
  static const char * const suffixes[] = { "", "-wal", "-shm" };

  if (create)
    {
      int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "Cannot open %s: %s", path,
                       g_strerror (saved_errno));
          return FALSE;
        }
      close (fd);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      GStatBuf st;

      if (g_stat (file, &st) == 0 && (st.st_mode & 077) != 0
          && g_chmod (file, st.st_mode & 0700) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                       "Cannot make %s private: %s", file, g_strerror (saved_errno));
          return FALSE;
        }
    }

  return TRUE;
}

sqlite3 *
_fest_sqlite_open (const char  *path,
                   gboolean     create,
                   GError     **error)
{
  sqlite3 *db = NULL;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc;

  if (create)
    flags |= SQLITE_OPEN_CREATE;

  if (!make_private (path, create, error))
    return NULL;

  rc = sqlite3_open_v2 (path, &db, flags, _fest_wal_vfs_name ());
  if (rc != SQLITE_OK)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "Cannot open %s: %s", path,
                   db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return NULL;
    }

  sqlite3_extended_result_codes (db, 1);
  if (sqlite3_busy_timeout (db, 10000) != SQLITE_OK
      || !_fest_sqlite_exec (db,
                             "PRAGMA journal_mode=WAL;"
                             "PRAGMA synchronous=FULL;"
                             "PRAGMA foreign_keys=ON;"
                             /* Write jobs run in SAVEPOINTs: keep their statement journals in
                              * memory, not in temp files (the payments hot path), and keep the
                              * working set of a busy festival in the page cache. */
                             "PRAGMA temp_store=MEMORY;"
                             "PRAGMA cache_size=-32768;",
                             error))
    {
      if (error != NULL && *error == NULL)
        fest_sqlite_error (db, error);
      sqlite3_close_v2 (db);
      return NULL;
    }

  return db;
}

static gboolean
migrate (sqlite3             *db,
         const char * const  *migrations,
         guint                n_migrations,
         GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gint64 version;

  /* BEGIN IMMEDIATE so that two processes (or two connections) never migrate at once. */
  if (!_fest_sqlite_exec (db, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    {
      fest_sqlite_error (db, error);
      goto failed;
    }
  version = sqlite3_column_int64 (stmt, 0);
  /* A statement still running would lock the tables a migration drops. */
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > n_migrations)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "Database schema version %" G_GINT64_FORMAT " is newer than this program's %u",
                   version, n_migrations);
      goto failed;
    }

  for (guint i = version; i < n_migrations; i++)
    {
      g_autofree char *pragma = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!_fest_sqlite_exec (db, migrations[i], &local_error))
        {
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "Migration %u failed: %s", i + 1, local_error->message);
          goto failed;
        }
      pragma = g_strdup_printf ("PRAGMA user_version = %u", i + 1);
      if (!_fest_sqlite_exec (db, pragma, error))
        goto failed;
    }

  if (version < n_migrations)
    {
      if (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL) != SQLITE_OK)
        {
          fest_sqlite_error (db, error);
          goto failed;
        }
      switch (sqlite3_step (stmt))
        {
        case SQLITE_DONE:
          break;
        case SQLITE_ROW:
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "After migration %u: a row of %s refers to a missing row of %s", n_migrations,
                       sqlite3_column_text (stmt, 0), sqlite3_column_text (stmt, 2));
          goto failed;
        default:
          fest_sqlite_error (db, error);
          goto failed;
        }
    }

  return _fest_sqlite_exec (db, "COMMIT", error);

failed:
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
_fest_sqlite_migrate (sqlite3             *db,
                      const char * const  *migrations,
                      guint                n_migrations,
                      GError             **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean foreign_keys;
  gboolean ok;

  /* A migration may rebuild a table that others refer to (CREATE new, copy, DROP old, RENAME):
   * with foreign keys on, the DROP would delete the rows they refer to. SQLite's recipe: turn them
   * off (only possible outside a transaction), then check them all before committing. */
  if (sqlite3_prepare_v2 (db, "PRAGMA foreign_keys", -1, &stmt, NULL) != SQLITE_OK
      || sqlite3_step (stmt) != SQLITE_ROW)
    return fest_sqlite_error (db, error);
  foreign_keys = sqlite3_column_int (stmt, 0) != 0;
  g_clear_pointer (&stmt, sqlite3_finalize);
  if (foreign_keys && !_fest_sqlite_exec (db, "PRAGMA foreign_keys=OFF", error))
    return FALSE;

  ok = migrate (db, migrations, n_migrations, error);

  if (foreign_keys && !_fest_sqlite_exec (db, "PRAGMA foreign_keys=ON", ok ? error : NULL))
    return FALSE;
  return ok;
}

sqlite3_stmt *
_fest_sqlite_prepare_cached (sqlite3     *db,
                             GHashTable  *cache,
                             const char  *sql,
                             GError     **error)
{
  sqlite3_stmt *stmt = g_hash_table_lookup (cache, sql);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return stmt;
    }

  if (sqlite3_prepare_v3 (db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL) != SQLITE_OK)
    {
      fest_sqlite_error (db, error);
      return NULL;
    }

  g_hash_table_insert (cache, g_strdup (sql), stmt);
  return stmt;
}

static void
stmt_finalize (gpointer stmt)
{
  sqlite3_finalize (stmt);
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

GHashTable *
_fest_sqlite_stmt_cache_new (void)
{
  return g_hash_table_new_full (sql_hash, g_str_equal, g_free, stmt_finalize);
}

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

/* Writer thread */

/* Transaction control on the hot path: prepared once per connection, not parsed per job. */
static gboolean
exec_cached (FestWriteCtx  *ctx,
             const char    *sql,
             GError       **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, sql, error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fest_sqlite_error (ctx->db, error);
  return TRUE;
}

static gboolean
load_rev (FestWriteCtx  *ctx,
          GError       **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx, "SELECT rev FROM change_counter WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return fest_sqlite_error (ctx->db, error);
  ctx->rev = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
flush_rev (FestWriteCtx  *ctx,
           GError       **error)
{
  sqlite3_stmt *stmt;

  if (!ctx->rev_dirty)
    return TRUE;

  stmt = fest_write_ctx_prepare (ctx, "UPDATE change_counter SET rev = ? WHERE id = 1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, ctx->rev);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return fest_sqlite_error (ctx->db, error);
  sqlite3_reset (stmt);
  ctx->rev_dirty = FALSE;
  return TRUE;
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
  if (!sqlite3_get_autocommit (ctx->db))
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
  sqlite3_int64 changes = sqlite3_total_changes64 (ctx->db);
  gboolean clean = TRUE;

  ctx->job = job;
  ctx->savepoint = FALSE;

  if (job->cancellable != NULL && g_cancellable_set_error_if_cancelled (job->cancellable, &job->error))
    goto out;

  if (job->func (ctx, job->job_data, &result, &result_free, &error))
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
  clean = sqlite3_total_changes64 (ctx->db) == changes;

out:
  ctx->job = NULL;
  ctx->savepoint = TRUE;
  return clean;
}

/* Runs batch[start, end), all rerunnable, without a SAVEPOINT per job. When one fails after
 * writing, the run is rolled back and run again with a SAVEPOINT per job. @first: nothing of the
 * transaction precedes the run, so a ROLLBACK undoes it without a SAVEPOINT (whose page copies
 * are what the run avoids). */
static gboolean
run_rerunnable (FestWriteCtx  *ctx,
                GPtrArray     *batch,
                guint          start,
                guint          end,
                gboolean       first,
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

  if (!clean)
    {
      if (first)
        {
          if (!exec_cached (ctx, "ROLLBACK", error))
            return FALSE;
          ctx->rev = -1;
          ctx->rev_dirty = FALSE;
          if (!exec_cached (ctx, "BEGIN IMMEDIATE", error) || !load_rev (ctx, error))
            return FALSE;
        }
      else if (!exec_cached (ctx, "ROLLBACK TO run", error))
        return FALSE;

      for (guint i = start; i < end; i++)
        {
          Job *job = g_ptr_array_index (batch, i);

          job_reset (job);
          run_job (ctx, job);
          if (!transaction_alive (ctx, job, error))
            return FALSE;
        }
    }

  if (!first && !exec_cached (ctx, "RELEASE run", error))
    return FALSE;
  return TRUE;
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
              g_signal_emit (completion->store, signals[SIGNAL_EVENT], 0, event->name, event->data);
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
  if (sqlite3_exec (ctx->db,
                    "BEGIN IMMEDIATE;"
                    "UPDATE change_counter SET rev = rev + 1 WHERE id = 1;"
                    "COMMIT;",
                    NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec (ctx->db, "ROLLBACK", NULL, NULL, NULL);
}

static void
run_batch (FestWriteCtx *ctx,
           GPtrArray    *batch)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *async_jobs;
  gboolean has_events = FALSE;

  if (!exec_cached (ctx, "BEGIN IMMEDIATE", &error))
    goto failed;

  if (ctx->rev < 0 && !load_rev (ctx, &error))
    {
      sqlite3_exec (ctx->db, "ROLLBACK", NULL, NULL, NULL);
      goto failed;
    }

  for (guint i = 0; i < batch->len;)
    {
      Job *job = g_ptr_array_index (batch, i);
      guint end = i + 1;

      if (!job->rerunnable)
        {
          run_job (ctx, job);
          if (!transaction_alive (ctx, job, &error))
            goto failed;
          i++;
        }
      else
        {
          while (end < batch->len && ((Job *) g_ptr_array_index (batch, end))->rerunnable)
            end++;
          if (!run_rerunnable (ctx, batch, i, end, i == 0, &error))
            {
              sqlite3_exec (ctx->db, "ROLLBACK", NULL, NULL, NULL);
              goto failed;
            }
          i = end;
        }
    }

  if (!flush_rev (ctx, &error) || !exec_cached (ctx, "COMMIT", &error))
    {
      sqlite3_exec (ctx->db, "ROLLBACK", NULL, NULL, NULL);
      goto failed;
    }
  goto deliver;

failed:
  /* Nothing of the batch is durable: every job fails, even the ones whose own work succeeded. */
  if (_fest_store_error_is_storage (error))
    overwrite_failed_commit (ctx);
  ctx->rev = -1;
  ctx->rev_dirty = FALSE;
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
  async_jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
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
  FestWriteCtx ctx = { .store = self, .db = self->write_db, .rev = -1, .savepoint = TRUE };
  g_autoptr(GPtrArray) batch = g_ptr_array_new ();
  gboolean stop = FALSE;

  while (!stop)
    {
      Job *job = g_async_queue_pop (self->queue);

      g_ptr_array_set_size (batch, 0);
      while (job != NULL)
        {
          if (job == &stop_job)
            {
              stop = TRUE;
              break;
            }
          g_ptr_array_add (batch, job);
          if (batch->len >= MAX_BATCH)
            break;
          job = g_async_queue_try_pop (self->queue);
        }

      if (batch->len > 0)
        run_batch (&ctx, batch);
    }

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
static int
wal_hook_cb (gpointer    data,
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

/* Main thread side */

static void
fest_festival_store_finalize (GObject *object)
{
  FestFestivalStore *self = (FestFestivalStore *) object;

  fest_festival_store_close (self);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->main_context, g_main_context_unref);
  g_mutex_clear (&self->writer_lock);
  g_mutex_clear (&self->checkpoint_lock);
  g_cond_clear (&self->checkpoint_cond);
  g_free (self->path);

  G_OBJECT_CLASS (fest_festival_store_parent_class)->finalize (object);
}

static void
fest_festival_store_class_init (FestFestivalStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_festival_store_finalize;

  /**
   * FestFestivalStore::event:
   * @name: event name, e.g. "transaction:new"
   * @data: the event's data (borrowed: ref it to keep it)
   *
   * Emitted on the main context for each event a committed write job emitted.
   */
  signals[SIGNAL_EVENT] = g_signal_new ("event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                        G_TYPE_STRING | G_SIGNAL_TYPE_STATIC_SCOPE,
                                        JSON_TYPE_NODE | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
fest_festival_store_init (FestFestivalStore *self)
{
  g_mutex_init (&self->writer_lock);
  g_mutex_init (&self->checkpoint_lock);
  g_cond_init (&self->checkpoint_cond);
  self->queue = g_async_queue_new ();
}

static FestFestivalStore *
open_store (const char  *path,
            GError     **error)
{
  g_autoptr(FestFestivalStore) self = NULL;
  const char * const *migrations;
  guint n_migrations;

  fest_core_init ();

  self = g_object_new (FEST_TYPE_FESTIVAL_STORE, NULL);
  self->path = g_strdup (path);
  self->main_context = g_main_context_ref_thread_default ();

  self->write_db = _fest_sqlite_open (path, TRUE, error);
  if (self->write_db == NULL)
    return NULL;
  /* No checkpoint inside a COMMIT: wal_hook_cb hands them to the checkpointer thread. */
  sqlite3_wal_hook (self->write_db, wal_hook_cb, self);
  /* The writer's cache holds the pages writes touch: the B-trees' right edges and the hot wallets.
   * Keep it small, because SQLite's page cache scans its whole hash table at the end of a
   * transaction whose B-tree balancing renumbered a page (it parks pages at the pending-byte page
   * number, which looks like a far end of the file): with 32 MiB that scan was an eighth of the
   * writer's time under payments. Dirty pages past the limit spill into the WAL, still in the
   * transaction. */
  if (!_fest_sqlite_exec (self->write_db, "PRAGMA cache_size=-" G_STRINGIFY (WRITER_CACHE_KIB) ";", error))
    return NULL;

  migrations = fest_festival_schema_get_migrations (&n_migrations);
  if (!_fest_sqlite_migrate (self->write_db, migrations, n_migrations, error))
    return NULL;

  self->read_db = _fest_sqlite_open (path, FALSE, error);
  if (self->read_db == NULL)
    return NULL;

  self->checkpoint_db = _fest_sqlite_open (path, FALSE, error);
  if (self->checkpoint_db == NULL)
    return NULL;

  self->read_stmts = _fest_sqlite_stmt_cache_new ();
  self->write_stmts = _fest_sqlite_stmt_cache_new ();

  return g_steal_pointer (&self);
}

FestFestivalStore *
fest_festival_store_open (const char  *path,
                          GError     **error)
{
  gboolean existed;
  FestFestivalStore *self;

  g_return_val_if_fail (path != NULL, NULL);

  existed = g_file_test (path, G_FILE_TEST_EXISTS);
  self = open_store (path, error);

  /* A database this call created but could not set up (the disk filled up during the migrations)
   * goes: a half-made file would fail --check and stand in the way of creating it again. */
  if (self == NULL && !existed)
    {
      const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

      for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
        {
          g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

          g_unlink (file);
        }
    }

  return self;
}

void
fest_festival_store_close (FestFestivalStore *self)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));

  g_mutex_lock (&self->writer_lock);
  self->closed = TRUE;
  if (self->writer != NULL)
    {
      g_async_queue_push (self->queue, &stop_job);
      g_thread_join (self->writer);
      self->writer = NULL;
    }
  stop_checkpointer (self);
  g_mutex_unlock (&self->writer_lock);

  g_clear_pointer (&self->read_stmts, g_hash_table_unref);
  g_clear_pointer (&self->write_stmts, g_hash_table_unref);
  if (self->read_db != NULL)
    {
      sqlite3_close_v2 (self->read_db);
      self->read_db = NULL;
    }
  if (self->checkpoint_db != NULL)
    {
      sqlite3_close_v2 (self->checkpoint_db);
      self->checkpoint_db = NULL;
    }
  if (self->write_db != NULL)
    {
      /* Fold the WAL back into the database so that a closed festival is one file. */
      sqlite3_wal_checkpoint_v2 (self->write_db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (self->write_db);
      self->write_db = NULL;
    }
}

const char *
fest_festival_store_get_path (FestFestivalStore *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (self), NULL);

  return self->path;
}

sqlite3_stmt *
fest_festival_store_prepare_read (FestFestivalStore  *self,
                                  const char         *sql,
                                  GError            **error)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (self), NULL);
  g_return_val_if_fail (sql != NULL, NULL);

  if (self->read_db == NULL)
    {
      g_set_error_literal (error, FEST_STORE_ERROR, FEST_STORE_ERROR_CLOSED, "Store is closed");
      return NULL;
    }

  return _fest_sqlite_prepare_cached (self->read_db, self->read_stmts, sql, error);
}

sqlite3 *
fest_festival_store_get_read_db (FestFestivalStore *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (self), NULL);

  return self->read_db;
}

static gboolean
enqueue (FestFestivalStore  *self,
         Job                *job,
         GError            **error)
{
  gboolean ok = TRUE;

  g_mutex_lock (&self->writer_lock);
  if (self->closed)
    {
      g_set_error_literal (error, FEST_STORE_ERROR, FEST_STORE_ERROR_CLOSED, "Store is closed");
      ok = FALSE;
    }
  else
    {
      if (self->writer == NULL)
        {
          self->writer = g_thread_new ("fest-writer", writer_thread, self);
          self->checkpointer = g_thread_new ("fest-checkpoint", checkpointer_thread, self);
        }
      g_async_queue_push (self->queue, job);
    }
  g_mutex_unlock (&self->writer_lock);

  return ok;
}

static void
write_async (FestFestivalStore   *self,
             gboolean             rerunnable,
             FestWriteFunc        func,
             gpointer             job_data,
             GDestroyNotify       job_data_free,
             GCancellable        *cancellable,
             GAsyncReadyCallback  callback,
             gpointer             user_data)
{
  GError *error = NULL;
  Job *job;

  job = g_new0 (Job, 1);
  job->func = func;
  job->rerunnable = rerunnable;
  job->job_data = job_data;
  job->job_data_free = job_data_free;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, fest_festival_store_write_async);

  if (!enqueue (self, job, &error))
    {
      g_task_return_error (job->task, error);
      job_free (job);
    }
}

void
fest_festival_store_write_async (FestFestivalStore   *self,
                                 FestWriteFunc        func,
                                 gpointer             job_data,
                                 GDestroyNotify       job_data_free,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));
  g_return_if_fail (func != NULL);

  write_async (self, FALSE, func, job_data, job_data_free, cancellable, callback, user_data);
}

void
fest_festival_store_write_rerunnable_async (FestFestivalStore   *self,
                                            FestWriteFunc        func,
                                            gpointer             job_data,
                                            GDestroyNotify       job_data_free,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));
  g_return_if_fail (func != NULL);

  write_async (self, TRUE, func, job_data, job_data_free, cancellable, callback, user_data);
}

gpointer
fest_festival_store_write_finish (FestFestivalStore  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

gpointer
fest_festival_store_write_sync (FestFestivalStore  *self,
                                FestWriteFunc       func,
                                gpointer            job_data,
                                GError            **error)
{
  Job *job;
  gpointer result;

  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (self), NULL);
  g_return_val_if_fail (func != NULL, NULL);

  job = g_new0 (Job, 1);
  job->func = func;
  job->job_data = job_data;
  job->sync = TRUE;
  g_mutex_init (&job->mutex);
  g_cond_init (&job->cond);

  if (!enqueue (self, job, error))
    {
      job_free (job);
      return NULL;
    }

  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      job_free (job);
      return NULL;
    }

  result = g_steal_pointer (&job->result);
  job_free (job);
  return result;
}

sqlite3 *
fest_write_ctx_get_db (FestWriteCtx *ctx)
{
  return ctx->db;
}

gboolean
fest_write_ctx_has_savepoint (FestWriteCtx *ctx)
{
  return ctx->savepoint;
}

gboolean
fest_write_ctx_has_event_subscribers (FestWriteCtx *ctx)
{
  return g_atomic_int_get (&ctx->store->event_subscribers) > 0;
}

void
fest_festival_store_set_event_subscribers (FestFestivalStore *self,
                                           guint              n_subscribers)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));

  g_atomic_int_set (&self->event_subscribers, (gint) MIN (n_subscribers, G_MAXINT));
}

sqlite3_stmt *
fest_write_ctx_prepare (FestWriteCtx  *ctx,
                        const char    *sql,
                        GError       **error)
{
  return _fest_sqlite_prepare_cached (ctx->db, ctx->store->write_stmts, sql, error);
}

gint64
fest_write_ctx_next_rev (FestWriteCtx  *ctx,
                         GError       **error)
{
  /* The counter lives in memory for the batch and is written once before COMMIT. */
  if (ctx->rev < 0 && !load_rev (ctx, error))
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

  e = g_new (Event, 1);
  e->name = g_strdup (event);
  e->data = data;

  if (ctx->job->events == NULL)
    ctx->job->events = g_ptr_array_new_with_free_func (event_free);
  g_ptr_array_add (ctx->job->events, e);
}

static char *
json_text (JsonNode *node)
{
  if (node == NULL)
    return NULL;
  return json_to_string (node, FALSE);
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
  sqlite3_stmt *stmt;

  g_return_val_if_fail (action != NULL, FALSE);

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO audit_log (id, actor_id, device_id, action, entity_type,"
                                 " entity_id, old_values, new_values, ip_address, user_agent, created_at)"
                                 " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                 error);
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, actor != NULL ? actor->account_id : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, actor != NULL ? actor->device_id : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, entity_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, old_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, new_text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, actor != NULL ? actor->ip_address : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, actor != NULL ? actor->user_agent : NULL, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, now, -1, SQLITE_STATIC);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      fest_sqlite_error (ctx->db, error);
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      return FALSE;
    }

  sqlite3_reset (stmt);
  sqlite3_clear_bindings (stmt);
  return TRUE;
}
