/* fest-festival-store-internal.h: the inside of a FestFestivalStore, shared by its files
 * (fest-festival-store.c, fest-festival-writer.c, fest-write-ctx.c); nothing else includes it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-store-private.h"

G_BEGIN_DECLS

typedef struct
{
  char     *name;
  JsonNode *data;      /* for this process's clients; NULL when it has none */
  char     *payload;   /* PostgreSQL: for the other processes' (_fest_festival_event_payload) */
} Event;

typedef struct
{
  FestWriteFunc   func;
  gboolean        rerunnable;    /* may run without a SAVEPOINT of its own */
  char           *idempotency_key;  /* the key it looks up first; nullable */
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
  FestDb            *db;
  Job               *job;
  gint64             rev;        /* -1: not loaded in this connection's current state */
  gboolean           rev_dirty;
  gboolean           savepoint;  /* the current job runs in a SAVEPOINT of its own */
  /* The ledger's newest row, as the connection read or appended it: kept while it does not roll
   * back (head_rollbacks: fest_db_get_rollbacks()) and no other process writes the festival */
  gboolean           head_known;
  guint64            head_rollbacks;
  gint64             head_seq;
  char              *head_hash;
  /* fest_write_ctx_keep_row(): FestKeptTable* → KeptRows*; kept across transactions, and
   * brought up to date when the festival's counter is past what this connection committed last
   * (committed_rev) */
  GHashTable        *kept_rows;
  gint64             committed_rev;
  /* fest_write_ctx_add_absent_key(): the batch's new Idempotency-Keys, while the table's
   * writes (fest_db_get_table_writes()) and the connection's rollbacks are still these */
  GHashTable        *absent_keys;
  guint64            absent_writes;
  guint64            absent_rollbacks;
};

/* Drops the rows kept (fest_write_ctx_keep_row()): the transaction failed, or another process
 * may have changed them. */
void _fest_write_ctx_forget_rows (FestWriteCtx *ctx);
/* The batch ends: its keys known to be new (fest_write_ctx_add_absent_key()) may not be now. */
void _fest_write_ctx_forget_absent_keys (FestWriteCtx *ctx);

struct _FestFestivalStore
{
  GObject       parent_instance;

  char         *path;            /* SQLite; NULL on PostgreSQL */
  char         *pg_conninfo;     /* PostgreSQL: the database and the festival's schema */
  char         *pg_schema;       /* also the channel its events are notified on */
  FestDbListener *listener;     /* PostgreSQL: hears the events of other processes */
  FestDb       *read_db;         /* main thread only */

  FestDb       *write_db;        /* writer thread only */
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

/* fest-festival-store.c: emits FestFestivalStore::event (main thread). */
/* PostgreSQL: this process's id, which its NOTIFY payloads start with, and an event as the
 * writer notifies the other processes of it. */
const char *_fest_festival_process_id       (void);
char       *_fest_festival_event_payload    (const char        *name,
                                             JsonNode          *data);
void      _fest_festival_store_emit_event   (FestFestivalStore *self,
                                             const char        *name,
                                             JsonNode          *data);

/* fest-festival-writer.c: the group-commit writer and the checkpointer. */
void      _fest_festival_event_free         (gpointer           data);
void      _fest_festival_job_free           (Job               *job);
/* Starts the writer and checkpointer threads (under writer_lock, on the first job). */
void      _fest_festival_writer_start       (FestFestivalStore *self);
/* Stops the writer after the jobs queued, then the checkpointer (under writer_lock). */
void      _fest_festival_writer_stop        (FestFestivalStore *self);
/* The write connection's sqlite3_wal_hook(). */
int       _fest_festival_writer_wal_hook    (gpointer           data,
                                             sqlite3           *db,
                                             const char        *db_name,
                                             int                n_pages);

/* fest-write-ctx.c: the festival's change counter, kept in memory for a batch. */
/* PostgreSQL: sends the counter's locking read ahead (fest_db_prefetch()), for
 * _fest_write_ctx_load_rev() to read its answer; FALSE when it could not. */
gboolean  _fest_write_ctx_prefetch_rev      (FestWriteCtx      *ctx);
/* Then the reads of what this connection keeps that other processes may have changed (the
 * ledger's head, FestKeptTable.changed_sql) behind it, for _fest_write_ctx_load_rev() to bring
 * them up to date when the counter moved. */
void      _fest_write_ctx_prefetch_changed_rows (FestWriteCtx *ctx);
gboolean  _fest_write_ctx_load_rev          (FestWriteCtx      *ctx,
                                             GError           **error);
/* Writes it back before COMMIT, if the batch changed it. */
gboolean  _fest_write_ctx_flush_rev         (FestWriteCtx      *ctx,
                                             GError           **error);

G_END_DECLS
