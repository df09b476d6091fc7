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

G_BEGIN_DECLS

#define FEST_STORE_ERROR (fest_store_error_quark ())

typedef enum
{
  FEST_STORE_ERROR_SQLITE,      /* message carries sqlite3_errmsg() */
  FEST_STORE_ERROR_MIGRATION,
  FEST_STORE_ERROR_CLOSED,
  /* SQLITE_FULL and SQLITE_IOERR*: the disk is full or failing. Nothing of the write is kept; the
   * same write may succeed once the disk recovers (HTTP 503 STORAGE_UNAVAILABLE). */
  FEST_STORE_ERROR_DISK_FULL,
  FEST_STORE_ERROR_IO,
} FestStoreError;

GQuark fest_store_error_quark (void);

#define FEST_TYPE_FESTIVAL_STORE (fest_festival_store_get_type ())
G_DECLARE_FINAL_TYPE (FestFestivalStore, fest_festival_store, FEST, FESTIVAL_STORE, GObject)

/* Who did it: copied into every write job that writes the audit log. */
typedef struct
{
  char *account_id;   /* nullable */
  char *device_id;    /* nullable */
  char *ip_address;   /* nullable */
  char *user_agent;   /* nullable */
} FestActor;

FestActor *fest_actor_copy (const FestActor *actor);
void       fest_actor_free (FestActor *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestActor, fest_actor_free)

/* Context handed to a write job, on the writer thread. */
typedef struct _FestWriteCtx FestWriteCtx;

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
/* Stops the writer after the queued jobs, closes both connections. Idempotent. */
void               fest_festival_store_close         (FestFestivalStore  *self);
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
 * job touches. */
void               fest_festival_store_write_rerunnable_async (FestFestivalStore  *self,
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

/* Writer-thread API, valid only inside a FestWriteFunc. */
/* FALSE when the job runs without a SAVEPOINT of its own (a rerunnable job on its first run): a
 * failure after writing then makes the store run it again in one, so do not try to undo it. */
gboolean           fest_write_ctx_has_savepoint      (FestWriteCtx       *ctx);
/* Whether a WebSocket client of the festival may receive events: when FALSE, an event that only
 * goes to clients need not be built. */
gboolean           fest_write_ctx_has_event_subscribers (FestWriteCtx    *ctx);
/* Next value of the festival's change counter (for the rev columns / sync cursor). */
gint64             fest_write_ctx_next_rev           (FestWriteCtx       *ctx,
                                                      GError            **error);
/* Queue an event for the /events WebSocket: delivered on the main thread only if the batch commits.
 * Takes @data (transfer full). */
void               fest_write_ctx_emit               (FestWriteCtx       *ctx,
                                                      const char         *event,
                                                      JsonNode           *data);
/* Writes one audit_log row. @old_values/@new_values are borrowed, may be NULL. */
gboolean           fest_write_ctx_audit              (FestWriteCtx       *ctx,
                                                      const FestActor    *actor,
                                                      const char         *action,
                                                      const char         *entity_type,
                                                      const char         *entity_id,
                                                      JsonNode           *old_values,
                                                      JsonNode           *new_values,
                                                      GError            **error);
/* fest_write_ctx_audit() with the values as JSON text already (nullable), for hot paths. */
gboolean           fest_write_ctx_audit_text         (FestWriteCtx       *ctx,
                                                      const FestActor    *actor,
                                                      const char         *action,
                                                      const char         *entity_type,
                                                      const char         *entity_id,
                                                      const char         *old_text,
                                                      const char         *new_text,
                                                      GError            **error);

/* Main thread: the number of /events clients of this festival (fest-events.c keeps it). */
void               fest_festival_store_set_event_subscribers (FestFestivalStore *self,
                                                              guint              n_subscribers);

/* Events committed by write jobs are delivered through this signal on the main thread:
 *   "event" (const char *name, JsonNode *data)
 * The events hub connects to it. */

G_END_DECLS
