/* fest-idempotency-repo.h: the idempotency table: stored replies by key
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Writer thread */

/* The key's row: *found FALSE when unknown, else *request_hash (transfer full), *status and
 * *body (transfer full, the stored bytes; not read when @body is NULL). */
gboolean  fest_idempotency_repo_get         (FestWriteCtx       *ctx,
                                             const char         *key,
                                             gboolean           *found,
                                             char              **request_hash,
                                             guint              *status,
                                             GBytes            **body,
                                             GError            **error);
gboolean  fest_idempotency_repo_insert      (FestWriteCtx       *ctx,
                                             const char         *key,
                                             const char         *request_hash,
                                             guint               status,
                                             gconstpointer       data,
                                             gsize               size,
                                             const char         *now,
                                             GError            **error);
gboolean  fest_idempotency_repo_delete      (FestWriteCtx       *ctx,
                                             const char         *key,
                                             GError            **error);
/* PostgreSQL: looks @keys up at once, and keeps those no row holds as new for the rest of the
 * batch (fest_write_ctx_add_absent_key()): fest_idempotency_repo_get() then answers them without
 * a round trip to the server. The writer calls it after the statement that takes the festival's
 * lock, whose answer may come in the same round trip (PostgreSQL runs them in order). SQLite:
 * nothing (a lookup costs no round trip). */
gboolean  fest_idempotency_repo_find_new    (FestWriteCtx       *ctx,
                                             const char * const *keys,
                                             guint               n_keys,
                                             GError            **error);
/* PostgreSQL: takes @keys as new without looking them up, as fest_idempotency_repo_find_new()
 * would keep them. Only for jobs that run without a SAVEPOINT of their own and store their key
 * with any final answer (fest_idempotency_store()): a key that was stored makes that INSERT fail
 * (the key is unique), which rolls their run back, and they run again after a rollback, when
 * every key is looked up. (A 5xx is not stored: it is answered as it is, and the client's retry
 * gets the stored answer.) */
void      fest_idempotency_repo_presume_new (FestWriteCtx       *ctx,
                                             const char * const *keys,
                                             guint               n_keys);

/* The nested savepoint of one idempotent mutation inside its job. */
gboolean  fest_idempotency_repo_savepoint   (FestWriteCtx       *ctx,
                                             GError            **error);
gboolean  fest_idempotency_repo_rollback    (FestWriteCtx       *ctx,
                                             GError            **error);
gboolean  fest_idempotency_repo_release     (FestWriteCtx       *ctx,
                                             GError            **error);
/* A counter of the rows the write connection changed so far: equal before and after a mutation
 * when it wrote nothing. */
gint64    fest_idempotency_repo_changes     (FestWriteCtx       *ctx);

/* Main thread */

/* The key's stored status and bytes; *body NULL when the key is unknown. */
gboolean  fest_idempotency_repo_read        (FestFestivalStore  *store,
                                             const char         *key,
                                             guint              *status,
                                             GBytes            **body,
                                             GError            **error);

G_END_DECLS
