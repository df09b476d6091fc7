/* fest-idempotency.h: idempotency keys of ledger, scan and sync mutations
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every mutating ledger or scan request carries an `Idempotency-Key` header. Inside the SAME write
 * job as the mutation the key is looked up in the festival's `idempotency` table:
 *
 *  - unknown: the mutation runs, and its final reply (status + exact body bytes) is stored with
 *    the key and the request hash, in the same transaction as the mutation;
 *  - known with the same request hash: the stored reply is returned byte for byte and nothing
 *    else happens;
 *  - known with another request hash: 409 IDEMPOTENCY_KEY_REUSED.
 *
 * A reply that is a ledger row's JSON is stored as a reference to the row instead of its bytes
 * (fest_idempotency_store_transaction()): rows never change, so a replay renders the same bytes
 * again, and each payment stores about 40 bytes where its reply takes about 800.
 *
 * Final errors (4xx from FEST_ERROR) are stored too so that a replay answers the same; 5xx and
 * non-FEST errors are never stored (the whole job rolls back and the client may retry). Keys are
 * kept for the festival's lifetime. Since one writer thread runs every job, the lookup and the
 * store cannot race.
 *
 * Two levels of API:
 *  - FestIdempotentJob: the whole write job of an idempotent request (lookup, mutation, stored
 *    reply); a route queues it with fest_idempotency_handle() (routes/fest-routes-idempotency.h),
 *    which adds the header check, the request hash and the reply;
 *  - fest_idempotency_lookup()/fest_idempotency_store(): the writer-thread primitives, e.g. for
 *    the ops of a POST /sync batch (there the "request hash" is the hash of the op's JSON).
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-ledger.h"

G_BEGIN_DECLS

#define FEST_IDEMPOTENCY_KEY_MAX 200

typedef enum
{
  FEST_IDEMPOTENCY_NEW,       /* unknown key: apply, then store */
  FEST_IDEMPOTENCY_REPLAY,    /* same key, same request: return the stored reply */
  FEST_IDEMPOTENCY_REUSED,    /* same key, other request: 409 IDEMPOTENCY_KEY_REUSED */
} FestIdempotencyState;

/* hex SHA-256 of method "\n" path "\n" body (body may be NULL). */
char      *fest_idempotency_request_hash (const char   *method,
                                          const char   *path,
                                          GBytes       *body);

/* hex SHA-256 of the canonical form of a ledger operation: what it does (type, wallet, stand,
 * reference, payment method, amount, lines in order), never how it arrived (route, JSON spelling,
 * member order) nor when (created_at). POST /transactions and a sync op `transaction.create` hash
 * the same operation alike, so a station's online attempt and its offline retry under the same key
 * are one operation: whichever comes second is a replay, never a second charge. */
char      *fest_idempotency_transaction_hash (const FestTransactionInput *input);

/* Validates a key: 1 to FEST_IDEMPOTENCY_KEY_MAX bytes of printable ASCII. */
gboolean   fest_idempotency_key_is_valid (const char   *key);

/* Writer thread. For FEST_IDEMPOTENCY_REPLAY, *status and *body (transfer full) are the stored
 * reply, a ledger row's rendered again when the key stored a reference; @status and @body may be
 * NULL. Returns FALSE only on a database error, or a reference to a missing row (INTERNAL). */
gboolean   fest_idempotency_lookup       (FestWriteCtx        *ctx,
                                          const char          *key,
                                          const char          *request_hash,
                                          FestIdempotencyState *state,
                                          guint               *status,
                                          GBytes             **body,
                                          GError             **error);

/* fest_idempotency_lookup() that also takes @legacy_hash (nullable) as the same request: the
 * hash a key stored before canonical ledger hashes were introduced was made with. */
gboolean   fest_idempotency_lookup_full  (FestWriteCtx        *ctx,
                                          const char          *key,
                                          const char          *request_hash,
                                          const char          *legacy_hash,
                                          FestIdempotencyState *state,
                                          guint               *status,
                                          GBytes             **body,
                                          GError             **error);

/* A stored reply is either a route's whole reply (an envelope, `{"data":…}` or `{"error":…}`) or
 * a sync op's bare entity. For a 2xx envelope, returns the `data` slice of @body (transfer full);
 * for a bare entity, @body itself; NULL for an error reply. */
GBytes    *fest_idempotency_stored_entity (GBytes *body,
                                           guint   status);

/* Writer thread. Stores the final reply of @key. */
/* Drops @key's stored answer. Only for a refusal that nothing was written for and that a later
 * request under the key may supersede: a station's offline sale whose online attempt was
 * refused while the station never heard it (see POST /sync). */
gboolean   fest_idempotency_forget       (FestWriteCtx  *ctx,
                                          const char    *key,
                                          GError       **error);
gboolean   fest_idempotency_store        (FestWriteCtx  *ctx,
                                          const char    *key,
                                          const char    *request_hash,
                                          guint          status,
                                          GBytes        *body,
                                          GError       **error);

/* Writer thread. Stores as the final reply of @key the JSON of the ledger row @transaction_id,
 * as a route's envelope (`{"data":…}`) when @envelope, else as a sync op's bare entity. Lookups
 * return those bytes. */
gboolean   fest_idempotency_store_transaction (FestWriteCtx  *ctx,
                                               const char    *key,
                                               const char    *request_hash,
                                               guint          status,
                                               const char    *transaction_id,
                                               gboolean       envelope,
                                               GError       **error);

/* Read side. Sets *@entity_id (transfer full) to the id of what @key's first use created: the
 * ledger row its reply refers to, or the `id` of the entity in a 2xx reply stored as bytes; NULL
 * when the key is unknown or was refused. Every ledger row's key is in the idempotency table, so
 * this is how a station asks whether an attempt it never got an answer to did land. */
gboolean   fest_idempotency_created_id   (FestFestivalStore *store,
                                          const char        *key,
                                          char             **entity_id,
                                          GError           **error);

/* The mutation of an idempotent request, run on the writer thread inside its own SAVEPOINT.
 * Returns the reply's `data` (transfer full) and sets *status (e.g. 201), or NULL with @error:
 * a FEST_ERROR with a 4xx status is a final answer (its changes are rolled back, the error reply
 * is stored), anything else fails the job (nothing stored, 500). */
typedef JsonNode *(*FestIdempotentFunc) (FestWriteCtx  *ctx,
                                         const char    *idempotency_key,
                                         gpointer       data,
                                         guint         *status,
                                         GError       **error);

/* Like FestIdempotentFunc, but appends the reply's `data` as JSON text to @data_out instead of
 * returning a tree (the bytes are the reply and the stored reply as they are). When that text is
 * exactly a ledger row's JSON, the function sets *@transaction_id (transfer full) to the row's id,
 * and the key stores a reference to the row (fest_idempotency_store_transaction()). Returns FALSE
 * with @error like FestIdempotentFunc returns NULL; @data_out is then discarded. */
typedef gboolean (*FestIdempotentTextFunc) (FestWriteCtx  *ctx,
                                            const char    *idempotency_key,
                                            gpointer       data,
                                            guint         *status,
                                            GString       *data_out,
                                            char         **transaction_id,
                                            GError       **error);

/* Sends the mutation's first reads ahead of the key's lookup (fest_db_prefetch(), through the
 * repositories), for PostgreSQL to answer them all in one round trip. */
typedef void (*FestIdempotentPrefetchFunc) (FestWriteCtx *ctx,
                                            gpointer      data);

/* The write job of an idempotent request (routes/fest-routes-idempotency.c queues it): looks the
 * key up, runs the mutation when the key is new (in a nested SAVEPOINT when the job has one),
 * keeps what a final refusal established, stores the reply. @request_hash is the request's hash;
 * @legacy_hash (nullable) is accepted as the same request; a replay of a key stored by a sync op
 * (a bare entity) is answered as an envelope with @entity_status (0: replies are stored as sent).
 * One of @func and @text_func; @prefetch is optional. @data is freed with @data_free with the
 * job. */
typedef struct _FestIdempotentJob FestIdempotentJob;

FestIdempotentJob *fest_idempotent_job_new   (const char             *key,
                                              const char             *request_hash,
                                              const char             *legacy_hash,
                                              guint                   entity_status,
                                              FestIdempotentFunc      func,
                                              FestIdempotentTextFunc  text_func,
                                              FestIdempotentPrefetchFunc prefetch,
                                              gpointer                data,
                                              GDestroyNotify          data_free);
void               fest_idempotent_job_free  (gpointer                job);

/* What the job answers: the reply's status and its exact bytes. */
typedef struct
{
  guint   status;
  GBytes *body;
} FestIdempotentReply;

void               fest_idempotent_reply_free (gpointer               reply);

/* A FestWriteFunc for fest_festival_store_write_rerunnable_async() with a FestIdempotentJob; its
 * result is a FestIdempotentReply. */
gboolean           fest_idempotent_job_write (FestWriteCtx           *ctx,
                                              gpointer                job_data,
                                              gpointer               *result,
                                              GDestroyNotify         *result_free,
                                              GError                **error);

/* Builds the exact reply bytes of a final FEST_ERROR (the {"error": …} envelope) and its status. */
GBytes     *fest_idempotency_error_body  (const GError       *error,
                                          guint              *status);

G_END_DECLS
