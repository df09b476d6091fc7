/* fest-routes-idempotency.h: idempotent route handlers: Idempotency-Key header, write job, reply
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The HTTP side of fest-idempotency.h: a handler parses its request, then hands the mutation to
 * one of these; the key lookup, the mutation and the stored reply share one write job
 * (FestIdempotentJob), and the reply goes out once its commit is durable.
 */

#pragma once

#include "fest-idempotency.h"
#include "fest-request.h"

G_BEGIN_DECLS

/* For a route handler, before it parses the body: TRUE if the request has a valid Idempotency-Key
 * header, else replies 400 VALIDATION_FAILED (field "Idempotency-Key") and returns FALSE. */
gboolean    fest_idempotency_require_key (FestRequest        *req);

/* For a route handler: requires the Idempotency-Key header (else replies 400 VALIDATION_FAILED,
 * field "Idempotency-Key"), hashes the request, queues one write job that looks the key up, runs
 * @func when the key is new, stores the reply, and replies once the commit is durable. @data is
 * freed with @data_free once the job is done. */
void        fest_idempotency_handle      (FestRequest        *req,
                                          FestIdempotentFunc  func,
                                          gpointer            data,
                                          GDestroyNotify      data_free);

/* fest_idempotency_handle() with a FestIdempotentTextFunc. The job may run again from the start
 * (see fest_festival_store_write_rerunnable_async()): @func must allow that. */
void        fest_idempotency_handle_text (FestRequest            *req,
                                          FestIdempotentTextFunc  func,
                                          gpointer                data,
                                          GDestroyNotify          data_free);
/* fest_idempotency_handle_text() with the caller's request hash (e.g. the canonical hash of a
 * ledger operation) and an optional legacy hash accepted as the same request. A replay of a key
 * stored by a sync op (a bare entity) is answered as an envelope with @entity_status. @prefetch
 * (nullable) sends the mutation's first reads ahead of the key's lookup. */
void        fest_idempotency_handle_text_hashed (FestRequest            *req,
                                                 const char             *request_hash,
                                                 const char             *legacy_hash,
                                                 guint                   entity_status,
                                                 FestIdempotentTextFunc  func,
                                                 FestIdempotentPrefetchFunc prefetch,
                                                 gpointer                data,
                                                 GDestroyNotify          data_free);

G_END_DECLS
