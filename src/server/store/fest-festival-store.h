/* fest-festival-store.h: one festival's SQLite database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A festival store owns two connections to festival-<id>.db (WAL, synchronous=FULL, foreign keys):
 *
 *  - a read connection used on the main thread only (GET handlers), with a cache of prepared
 *    statements;
 *  - a writer thread that owns the write connection. Write jobs queue up; the writer takes every
 *    job waiting, runs them in one BEGIN IMMEDIATE transaction, each inside its own SAVEPOINT
 *    (a failing job rolls back only itself), then COMMITs once: requests that arrive together share
 *    one fsync (group commit). Each job's GTask completes on the main context after the commit is
 *    durable, so a handler replies only once its change is on disk.
 *
 * This is the narrow interface a PostgreSQL backend would implement later.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fest-write-ctx.h"

G_BEGIN_DECLS

#define FEST_STORE_ERROR (fest_store_error_quark ())

typedef enum
{
  FEST_STORE_ERROR_SQLITE,      /* message carries sqlite3_errmsg() */
  FEST_STORE_ERROR_MIGRATION,
  FEST_STORE_ERROR_CLOSED,
  /* SQLITE_FULL and SQLITE_IOERR*, PostgreSQL's classes 53, 08 and 57P: the disk is full or
   * failing, the database server unreachable. Nothing of the write is kept; the same write may
   * succeed once the disk or the server recovers (HTTP 503 STORAGE_UNAVAILABLE). */
  FEST_STORE_ERROR_DISK_FULL,
  FEST_STORE_ERROR_IO,
} FestStoreError;

GQuark fest_store_error_quark (void);

#define FEST_TYPE_FESTIVAL_STORE (fest_festival_store_get_type ())
G_DECLARE_FINAL_TYPE (FestFestivalStore, fest_festival_store, FEST, FESTIVAL_STORE, GObject)

/* Runs on the writer thread inside a SAVEPOINT of the batch's transaction. Return TRUE to keep the
 * job's changes; FALSE with @error set rolls back this job only. *result is handed to the job's
 * callback (transfer full, freed with @result_free if nobody takes it). */
typedef gboolean (*FestWriteFunc) (FestWriteCtx   *ctx,
                                   gpointer        job_data,
                                   gpointer       *result,
                                   GDestroyNotify *result_free,
                                   GError        **error);

FestFestivalStore *fest_festival_store_open          (const char         *path,
                                                      GError            **error);
/* The festival @festival_id in its schema of a PostgreSQL database (@conninfo). @create: make the
 * schema (an error if it exists); otherwise it must exist. Migrations are applied either way. */
FestFestivalStore *fest_festival_store_open_pg       (const char         *conninfo,
                                                      const char         *festival_id,
                                                      gboolean            create,
                                                      GError            **error);
/* Drops the schema of festival @festival_id and all it holds (a festival whose creation failed). */
gboolean           fest_festival_store_drop_pg       (const char         *conninfo,
                                                      const char         *festival_id,
                                                      GError            **error);
/* Stops the writer after the queued jobs, closes both connections. Idempotent. */
void               fest_festival_store_close         (FestFestivalStore  *self);
/* The SQLite file; NULL for a store in PostgreSQL. */
const char        *fest_festival_store_get_path      (FestFestivalStore  *self);

void               fest_festival_store_write_async   (FestFestivalStore  *self,
                                                      FestWriteFunc       func,
                                                      gpointer            job_data,
                                                      GDestroyNotify      job_data_free,
                                                      GCancellable       *cancellable,
                                                      GAsyncReadyCallback callback,
                                                      gpointer            user_data);
/* A job that may run without a SAVEPOINT of its own. Its function must be safe to run again from
 * the start (the job data as queued, the database as before it): when it fails after writing,
 * the store rolls back every such job since the last one that was not, and runs them again, each
 * in a SAVEPOINT (see fest_write_ctx_has_savepoint()). Saves SQLite a copy of every page the
 * job touches. @idempotency_key (nullable): the Idempotency-Key the job looks up first
 * (fest_idempotency_repo_get()); PostgreSQL looks the keys of a batch's jobs up in one query
 * (fest_idempotency_repo_find_new()). */
void               fest_festival_store_write_rerunnable_async (FestFestivalStore  *self,
                                                               const char         *idempotency_key,
                                                               FestWriteFunc       func,
                                                               gpointer            job_data,
                                                               GDestroyNotify      job_data_free,
                                                               GCancellable       *cancellable,
                                                               GAsyncReadyCallback callback,
                                                               gpointer            user_data);
/* Returns the job's result (transfer full) or NULL with @error. */
gpointer           fest_festival_store_write_finish  (FestFestivalStore  *self,
                                                      GAsyncResult       *result,
                                                      GError            **error);
/* Blocking variant for command-line paths (--demo, --check, festival creation). Never from a
 * request handler. */
gpointer           fest_festival_store_write_sync    (FestFestivalStore  *self,
                                                      FestWriteFunc       func,
                                                      gpointer            job_data,
                                                      GError            **error);

/* Main thread: the number of /events clients of this festival (fest-events.c keeps it). */
void               fest_festival_store_set_event_subscribers (FestFestivalStore *self,
                                                              guint              n_subscribers);

/* Events committed by write jobs are delivered through this signal on the main thread:
 *   "event" (const char *name, JsonNode *data)
 * The events hub connects to it. */

G_END_DECLS
