/* fest-crud-private.h: the generic create/read/update/delete routes of simple festival entities
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Stands and products (fest-routes-catalog.c), stages, artists and slots (fest-routes-lineup.c)
 * share one shape: a row struct read by the store (a FestCrudTable of its repository), a JSON
 * form, a job parsed from the request body on the main thread and written by the writer thread
 * with its audit row. A FestCrudKind describes one entity; the functions below do the rest.
 */

#pragma once

#include "fest-crud-repo.h"
#include "fest-request.h"
#include "fest-routes-ledger-private.h"

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
  const char          *name;          /* "stand": messages, audit entity type and action prefix */
  const FestCrudTable *table;         /* how its rows are stored */
  const char          *filter_params[2]; /* query parameters (UUIDs): the table's list filters */
  const char          *event;         /* emitted by a delete with the old row and "deleted": true */
  JsonNode          *(*to_json) (gconstpointer row);
  gsize                job_size;      /* every job struct starts with a FestCrudJobHead */
  gboolean           (*parse) (JsonObject *body, gboolean create, gpointer job, GError **error);
  /* Main thread, after parse: checks what needs the request (e.g. the platform store), or NULL. */
  gboolean           (*check) (FestRequest *req, gpointer job, GError **error);
  GDestroyNotify       job_free;
} FestCrudKind;

/* JSON helpers */
gboolean  fest_crud_member_is_null      (JsonObject         *object,
                                         const char         *member);

/* Writer thread */
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
/* Whether the caller may see @row. */
typedef gboolean (*FestCrudRowVisible) (gconstpointer row,
                                        gpointer      user_data);
/* fest_crud_reply_one() answering NOT_FOUND for a row @visible (nullable) refuses. */
void      fest_crud_reply_one_visible   (FestRequest        *req,
                                         const FestCrudKind *kind,
                                         FestCrudRowVisible  visible,
                                         gpointer            user_data);
/* GET /<kind>s, paged, with the kind's filters */
void      fest_crud_reply_list          (FestRequest        *req,
                                         const FestCrudKind *kind);
/* Same, only the rows whose @scope ("id" or one of the kind's filters; NULL: no scope) is @value
 * (NULL: no row at all). */
void      fest_crud_reply_list_scoped   (FestRequest        *req,
                                         const FestCrudKind *kind,
                                         const char         *scope,
                                         const char         *value);

G_END_DECLS
