/* fest-sync.h: applying a station's POST /sync batch, on the writer thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every operation of the batch is applied in order, in ONE write job (one durable commit for the
 * batch); a rejected operation must leave nothing behind. A SAVEPOINT per operation does that but
 * costs SQLite a copy of every page the operation touches (most of the batch's time), so the batch
 * first runs without them: an operation that fails before writing anything (the usual case:
 * unknown wallet, validation) is simply rejected; one that fails after writing makes the whole job
 * fail with an error fest_sync_error_is_retry() recognises, to be run again with a SAVEPOINT per
 * operation. Each operation is idempotent by its key: the key and the operation's hash are stored
 * with the entity it produced, so a replayed operation answers "duplicate" with the original
 * entity and changes nothing.
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-sync-op.h"

G_BEGIN_DECLS

/* The station time an operation may claim: from a week before the festival starts (set-up days,
 * pre-sales) to five minutes after the server's clock (a station's clock drift). */
#define FEST_SYNC_EARLIEST_BEFORE_START (7 * G_TIME_SPAN_DAY)
#define FEST_SYNC_CLOCK_SKEW            (5 * G_TIME_SPAN_MINUTE)

typedef struct
{
  GArray    *ops;             /* of FestSyncOp, cleared with fest_sync_op_clear */
  char      *device_id;
  gint64     pending;         /* operations still in the station's outbox */
  FestActor *actor;
  gboolean   savepoints;      /* one SAVEPOINT per operation (the slow, always correct path) */
} FestSyncBatch;

/* Writer thread: applies @batch, records the station's contact (event "station:updated") and
 * returns the reply's body, {"data": {device_id, results, applied, duplicate, rejected,
 * server_time}}, written as text. NULL with @error when the batch fails as a whole. */
GBytes   *fest_sync_apply           (FestWriteCtx        *ctx,
                                     FestSyncBatch       *batch,
                                     GError             **error);
/* TRUE for the error of a batch run without savepoints that must run again with them. */
gboolean  fest_sync_error_is_retry  (const GError        *error);

G_END_DECLS
