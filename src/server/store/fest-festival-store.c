/* fest-festival-store.c: one festival's SQLite database, with a group-committing writer thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The store's files: fest-festival-store.c (opening, closing, the read connection, queueing
 * write jobs), fest-festival-writer.c (the group-commit writer and the checkpointer),
 * fest-write-ctx.c (what a write job may do), fest-store-sqlite.c (SQLite helpers shared with the
 * platform store) and fest-festival-store-internal.h, which they share.
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "fest-core.h"
#include "fest-festival-schema.h"
#include "fest-festival-store-internal.h"

/* The writer connection's page cache, in KiB (see fest_festival_store_open()). */
#define WRITER_CACHE_KIB 8192

G_DEFINE_FINAL_TYPE (FestFestivalStore, fest_festival_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (fest-store-error-quark, fest_store_error)

enum
{
  SIGNAL_EVENT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

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
  g_free (self->pg_conninfo);
  g_free (self->pg_schema);

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
  sqlite3 *write_db;
  sqlite3 *read_db;

  fest_core_init ();

  self = g_object_new (FEST_TYPE_FESTIVAL_STORE, NULL);
  self->path = g_strdup (path);
  self->main_context = g_main_context_ref_thread_default ();

  write_db = _fest_sqlite_open (path, TRUE, error);
  if (write_db == NULL)
    return NULL;
  self->write_db = fest_db_new_sqlite (write_db);
  /* No checkpoint inside a COMMIT: _fest_festival_writer_wal_hook hands them to the checkpointer thread. */
  sqlite3_wal_hook (write_db, _fest_festival_writer_wal_hook, self);
  /* The writer's cache holds the pages writes touch: the B-trees' right edges and the hot wallets.
   * Keep it small, because SQLite's page cache scans its whole hash table at the end of a
   * transaction whose B-tree balancing renumbered a page (it parks pages at the pending-byte page
   * number, which looks like a far end of the file): with 32 MiB that scan was an eighth of the
   * writer's time under payments. Dirty pages past the limit spill into the WAL, still in the
   * transaction. */
  if (!_fest_sqlite_exec (write_db, "PRAGMA cache_size=-" G_STRINGIFY (WRITER_CACHE_KIB) ";", error))
    return NULL;

  migrations = fest_festival_schema_get_migrations (&n_migrations);
  if (!_fest_sqlite_migrate (write_db, migrations, n_migrations, error))
    return NULL;

  read_db = _fest_sqlite_open (path, FALSE, error);
  if (read_db == NULL)
    return NULL;
  self->read_db = fest_db_new_sqlite (read_db);
  /* The reads sort whole periods (the finance reports' GROUP BY): past the page cache their sorters
   * spill to a temporary file rather than grow the server's memory. */
  if (!_fest_sqlite_exec (read_db, "PRAGMA temp_store=FILE;", error))
    return NULL;

  self->checkpoint_db = _fest_sqlite_open (path, FALSE, error);
  if (self->checkpoint_db == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

const char *
_fest_festival_process_id (void)
{
  static char *id;

  if (g_once_init_enter (&id))
    g_once_init_leave (&id, fest_uuid_new ());
  return id;
}

char *
_fest_festival_event_payload (const char *name,
                              JsonNode   *data)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "name", name);
  json_object_set_member (object, "data", json_node_ref (data));
  json_node_set_object (node, object);
  return fest_json_to_string (node, NULL);
}

/* A notification is the id of the process that sent it, a space, and a JSON array of the events
 * of one batch (or of a part of it). This process's own are not read again: their clients had
 * them from the batch itself. Nor are any while this process has no /events client of the
 * festival: nobody would get them. */
static void
notification_cb (const char *channel,
                 const char *payload,
                 gpointer    user_data)
{
  FestFestivalStore *self = user_data;
  const char *id = _fest_festival_process_id ();
  g_autoptr(JsonNode) node = NULL;
  const char *space = strchr (payload, ' ');
  JsonArray *events;

  if (g_atomic_int_get (&self->event_subscribers) == 0)
    return;
  if (space == NULL || ((gsize) (space - payload) == strlen (id) && strncmp (payload, id, strlen (id)) == 0))
    return;
  node = fest_json_parse (space + 1, -1, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;
  events = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *element = json_array_get_element (events, i);
      JsonObject *object;
      JsonNode *data;
      const char *name;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      object = json_node_get_object (element);
      name = json_object_get_string_member_with_default (object, "name", NULL);
      data = json_object_get_member (object, "data");
      if (name == NULL || data == NULL)
        continue;
      _fest_festival_store_emit_event (self, name, data);
    }
}

FestFestivalStore *
fest_festival_store_open_pg (const char  *conninfo,
                             const char  *festival_id,
                             gboolean     create,
                             GError     **error)
{
  g_autoptr(FestFestivalStore) self = NULL;
  gboolean exists = FALSE;

  g_return_val_if_fail (conninfo != NULL, NULL);
  g_return_val_if_fail (festival_id != NULL, NULL);

  fest_core_init ();

  self = g_object_new (FEST_TYPE_FESTIVAL_STORE, NULL);
  self->pg_conninfo = g_strdup (conninfo);
  self->pg_schema = _fest_pg_festival_schema (festival_id);
  self->main_context = g_main_context_ref_thread_default ();

  self->write_db = _fest_pg_connect (conninfo, self->pg_schema, error);
  if (self->write_db == NULL || !_fest_pg_schema_exists (self->write_db, self->pg_schema, &exists, error))
    return NULL;
  if (exists == create)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION, "Schema %s %s",
                   self->pg_schema, exists ? "exists" : "does not exist");
      return NULL;
    }
  /* Also brings a schema an older server made up to date. */
  if (!_fest_pg_migrate (self->write_db, self->pg_schema, TRUE, error))
    return NULL;

  self->read_db = _fest_pg_connect (conninfo, self->pg_schema, error);
  if (self->read_db == NULL)
    return NULL;
  /* The events other processes commit for this festival reach this one's clients. */
  self->listener = fest_db_listener_new (conninfo, self->pg_schema, self->main_context, notification_cb,
                                         self, error);
  if (self->listener == NULL)
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
fest_festival_store_drop_pg (const char  *conninfo,
                             const char  *festival_id,
                             GError     **error)
{
  g_autofree char *schema = _fest_pg_festival_schema (festival_id);
  g_autofree char *sql = g_strdup_printf ("DROP SCHEMA IF EXISTS \"%s\" CASCADE", schema);
  FestDb *db = fest_db_new_pg (conninfo, error);
  gboolean ok;

  if (db == NULL)
    return FALSE;
  /* The schema's name is festival_ and a UUID: nothing to escape in it. */
  ok = fest_db_exec (db, sql, error);
  fest_db_free (db);
  return ok;
}

FestDb *
_fest_festival_store_connect (FestFestivalStore  *self,
                              GError            **error)
{
  sqlite3 *db;

  if (self->pg_conninfo != NULL)
    return _fest_pg_connect (self->pg_conninfo, self->pg_schema, error);
  db = _fest_sqlite_open (self->path, FALSE, error);
  return db != NULL ? fest_db_new_sqlite (db) : NULL;
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
  _fest_festival_writer_stop (self);
  g_mutex_unlock (&self->writer_lock);

  g_clear_pointer (&self->read_db, fest_db_free);
  g_clear_pointer (&self->listener, fest_db_listener_free);
  if (self->checkpoint_db != NULL)
    {
      sqlite3_close_v2 (self->checkpoint_db);
      self->checkpoint_db = NULL;
    }
  /* Fold the WAL back into the database so that a closed festival is one file. */
  if (self->write_db != NULL && fest_db_get_sqlite (self->write_db) != NULL)
    sqlite3_wal_checkpoint_v2 (fest_db_get_sqlite (self->write_db), NULL,
                               SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
  g_clear_pointer (&self->write_db, fest_db_free);
}

const char *
fest_festival_store_get_path (FestFestivalStore *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (self), NULL);

  return self->path;
}

FestDbStmt *
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

  return fest_db_prepare (self->read_db, sql, error);
}

gboolean
fest_festival_store_read_int64 (FestFestivalStore  *self,
                                const char         *sql,
                                const char         *text_param,
                                gint64             *out,
                                GError            **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (self, sql, error);

  if (stmt == NULL)
    return FALSE;
  if (text_param != NULL)
    fest_db_bind_text_or_null (stmt, 1, text_param);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *out = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return TRUE;
}

FestDb *
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
        _fest_festival_writer_start (self);
      g_async_queue_push (self->queue, job);
    }
  g_mutex_unlock (&self->writer_lock);

  return ok;
}

static void
write_async (FestFestivalStore   *self,
             gboolean             rerunnable,
             const char          *idempotency_key,
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
  job->idempotency_key = g_strdup (idempotency_key);
  job->job_data = job_data;
  job->job_data_free = job_data_free;
  job->cancellable = cancellable != NULL ? g_object_ref (cancellable) : NULL;
  job->task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (job->task, fest_festival_store_write_async);

  if (!enqueue (self, job, &error))
    {
      g_task_return_error (job->task, error);
      _fest_festival_job_free (job);
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

  write_async (self, FALSE, NULL, func, job_data, job_data_free, cancellable, callback, user_data);
}

void
fest_festival_store_write_rerunnable_async (FestFestivalStore   *self,
                                            const char          *idempotency_key,
                                            FestWriteFunc        func,
                                            gpointer             job_data,
                                            GDestroyNotify       job_data_free,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));
  g_return_if_fail (func != NULL);

  write_async (self, TRUE, idempotency_key, func, job_data, job_data_free, cancellable, callback, user_data);
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
      _fest_festival_job_free (job);
      return NULL;
    }

  g_mutex_lock (&job->mutex);
  while (!job->done)
    g_cond_wait (&job->cond, &job->mutex);
  g_mutex_unlock (&job->mutex);

  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      _fest_festival_job_free (job);
      return NULL;
    }

  result = g_steal_pointer (&job->result);
  _fest_festival_job_free (job);
  return result;
}

void
fest_festival_store_set_event_subscribers (FestFestivalStore *self,
                                           guint              n_subscribers)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (self));

  g_atomic_int_set (&self->event_subscribers, (gint) MIN (n_subscribers, G_MAXINT));
}

void
_fest_festival_store_emit_event (FestFestivalStore *self,
                                 const char        *name,
                                 JsonNode          *data)
{
  g_signal_emit (self, signals[SIGNAL_EVENT], 0, name, data);
}
