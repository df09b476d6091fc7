/* fest-crud-private.h: the generic create/read/update/delete routes of simple festival entities
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands and products (fest-routes-catalog.c), stages, artists and slots (fest-routes-lineup.c)
 * share one shape: a row struct read from a SELECT, a JSON form, a job parsed from the request
 * body on the main thread and written by the writer thread with its audit row. A FestCrudKind
 * describes one entity; the functions below do the rest.
 */

#pragma once

#include "fest-routes-ledger-private.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

G_BEGIN_DECLS

/* What every write job starts with (the job structs of a kind embed it first). */
typedef struct
{
  char      *id;            /* PATCH/DELETE target */
  FestActor *actor;
} FestCrudJobHead;

void fest_crud_job_head_clear (FestCrudJobHead *head);

typedef struct
{
  const char     *name;           /* "stand": messages, audit entity type and action prefix */
  const char     *select_sql;     /* one live row by id (?1) */
  const char     *count_sql;      /* live rows; ?1 and ?4 = the list filters, or NULL */
  const char     *list_sql;       /* live rows; ?1 and ?4 = filters, ?2 = limit, ?3 = offset */
  const char     *filter_params[2]; /* query parameters (UUIDs) bound to ?1 and ?4, or NULL */
  const char     *in_use_sql;     /* how many rows still refer to ?1: a delete is a CONFLICT
                                   * while there are any; or NULL */
  const char     *delete_sql;     /* ?1 = id, ?2 = rev, ?3 = updated_at */
  const char     *cascade_sql;    /* what a delete takes along (same parameters), or NULL */
  const char     *event;          /* emitted by a delete with the old row and "deleted": true */
  gsize           row_size;       /* every row struct starts with its char *id */
  void          (*read) (gpointer row, sqlite3_stmt *stmt);
  JsonNode     *(*to_json) (gconstpointer row);
  GDestroyNotify  clear;
  gsize           job_size;       /* every job struct starts with a FestCrudJobHead */
  gboolean      (*parse) (JsonObject *body, gboolean create, gpointer job, GError **error);
  /* Main thread, after parse: checks what needs the request (e.g. the platform store), or NULL. */
  gboolean      (*check) (FestRequest *req, gpointer job, GError **error);
  GDestroyNotify  job_free;
} FestCrudKind;

/* Row and JSON helpers */
char     *fest_crud_column_dup          (sqlite3_stmt       *stmt,
                                         int                 column);
gboolean  fest_crud_member_is_null      (JsonObject         *object,
                                         const char         *member);
void      fest_crud_bind_nullable_text  (sqlite3_stmt       *stmt,
                                         int                 index,
                                         const char         *value);

/* Writer thread */
gboolean  fest_crud_step_done           (FestWriteCtx       *ctx,
                                         sqlite3_stmt       *stmt,
                                         GError            **error);
/* Loads the live row of @kind with this @id into @row; NOT_FOUND naming @field (nullable)
 * otherwise. */
gboolean  fest_crud_load_row            (FestWriteCtx       *ctx,
                                         const FestCrudKind *kind,
                                         const char         *id,
                                         const char         *field,
                                         gpointer            row,
                                         GError            **error);
/* Sets @node (transfer full) as a write job's result; returns TRUE. */
gboolean  fest_crud_take_result         (JsonNode           *node,
                                         gpointer           *result,
                                         GDestroyNotify     *result_free);
/* Deletes the row of @kind that @head names and what it takes along, with its audit row; the
 * result is the old row. */
gboolean  fest_crud_delete_write        (FestWriteCtx       *ctx,
                                         const FestCrudKind *kind,
                                         FestCrudJobHead    *head,
                                         gpointer           *result,
                                         GDestroyNotify     *result_free,
                                         GError            **error);

/* Handlers */
/* Validates the {id} parameter (when @with_id) and the body (when @with_body), then queues
 * @write with a job of @kind, replying @status with its result. */
void      fest_crud_queue_write         (FestRequest        *req,
                                         const FestCrudKind *kind,
                                         guint               status,
                                         FestWriteFunc       write,
                                         gboolean            with_id,
                                         gboolean            with_body);
/* GET /<kind>s/{id} */
void      fest_crud_reply_one           (FestRequest        *req,
                                         const FestCrudKind *kind);
/* GET /<kind>s, paged, with the kind's filters */
void      fest_crud_reply_list          (FestRequest        *req,
                                         const FestCrudKind *kind);
void      fest_crud_reply_read_error    (FestRequest        *req);

G_END_DECLS
