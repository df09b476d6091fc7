/* fest-sync-engine.h: pushes a station's outbox to the server and pulls changes into its store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * GLib + libsoup only (no GTK). A sync pushes the pending outbox in batches to POST /api/v1/sync
 * (each op with its idempotency key: a retry after a lost answer cannot apply twice), records the
 * per-op results (applied/duplicate → acked, rejected → kept with the error and announced by the
 * "rejected" signal), then pulls GET /api/v1/sync/changes?since=CURSOR until has_more is false.
 * It runs when started, every 10 s, on demand (fest_sync_engine_sync_now), and when the network
 * comes back (GNetworkMonitor, then a GET /api/v1/health probe); failures back off exponentially
 * with jitter from 1 s to 60 s. Everything is asynchronous: the main loop never waits on it.
 */

#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "fest-station-store.h"

G_BEGIN_DECLS

#define FEST_TYPE_SYNC_ENGINE (fest_sync_engine_get_type ())
G_DECLARE_FINAL_TYPE (FestSyncEngine, fest_sync_engine, FEST, SYNC_ENGINE, GObject)

/* @base_url without /api/v1 ("http://127.0.0.1:8080"); @token: the device token. */
FestSyncEngine *fest_sync_engine_new            (FestStationStore    *store,
                                                 const char          *base_url,
                                                 const char          *token);
/* Share the app's SoupSession instead of a private one (call before start). */
void            fest_sync_engine_set_session    (FestSyncEngine      *self,
                                                 SoupSession         *session);
void            fest_sync_engine_set_base_url   (FestSyncEngine      *self,
                                                 const char          *base_url);
void            fest_sync_engine_set_token      (FestSyncEngine      *self,
                                                 const char          *token);
/* The token of the person at the station (the guard signed in at a security station), nullable.
 * The ops only a person may make (INCIDENT_UPDATE: resolving their own incident) are pushed with
 * it, in POST /sync batches of their own after the device's; without it they wait in the outbox.
 * A 401 to it drops it (the device's state is not touched). */
void            fest_sync_engine_set_operator_token (FestSyncEngine  *self,
                                                     const char      *token);
void            fest_sync_engine_set_batch_size (FestSyncEngine      *self,
                                                 guint                batch_size);
/* Seconds between periodic syncs (default 10). */
void            fest_sync_engine_set_interval   (FestSyncEngine      *self,
                                                 guint                seconds);

/* Seconds an UNCONFIRMED op waits before the engine asks the server whether it landed (default
 * 30; tests that want it asked at the next sync set 0). */
void            fest_sync_engine_set_unconfirmed_settle (FestSyncEngine *self,
                                                         guint           seconds);

FestStationStore *fest_sync_engine_get_store    (FestSyncEngine      *self);
gboolean        fest_sync_engine_get_online     (FestSyncEngine      *self);
guint           fest_sync_engine_get_pending_count (FestSyncEngine   *self);
/* Last successful sync, NULL if none yet. */
GDateTime      *fest_sync_engine_get_last_sync  (FestSyncEngine      *self);
gboolean        fest_sync_engine_get_syncing    (FestSyncEngine      *self);

/* Periodic and network-triggered syncs; a first sync right away. */
void            fest_sync_engine_start          (FestSyncEngine      *self);
void            fest_sync_engine_stop           (FestSyncEngine      *self);
/* Ask for a sync soon (coalesced with one in flight; skips the backoff wait). */
void            fest_sync_engine_sync_now       (FestSyncEngine      *self);
/* Re-reads the pending count from the store (after a record_* call) and notifies. */
void            fest_sync_engine_refresh_pending (FestSyncEngine     *self);

/* The server answered 401 to the device token (the device was revoked, or the token is unknown):
 * the engine stops using it (no retries, no probes) until fest_sync_engine_set_token() gives a new
 * one. The outbox is kept. */
gboolean        fest_sync_engine_get_revoked    (FestSyncEngine      *self);

/* How an online POST /transactions ended. */
typedef enum
{
  FEST_ONLINE_ACCEPTED,     /* 2xx: the transaction entity is returned */
  FEST_ONLINE_REFUSED,      /* a final answer (4xx): FEST_ERROR with the server's code and details */
  FEST_ONLINE_NOT_SENT,     /* the request never reached the server (refused, unreachable, DNS) */
  FEST_ONLINE_UNCERTAIN,    /* sent, no answer (timeout, reset) even after retrying the same key */
  FEST_ONLINE_REVOKED,      /* 401: the device token is no longer valid */
} FestOnlineOutcome;

/* POST /transactions with the device token and Idempotency-Key @key, @body as given. An uncertain
 * failure is retried with the same key (so at most one transaction can exist) for a few seconds;
 * each attempt times out after @timeout_ms. */
void            fest_sync_engine_post_transaction_async  (FestSyncEngine      *self,
                                                          const char          *key,
                                                          JsonNode            *body,
                                                          guint                timeout_ms,
                                                          GCancellable        *cancellable,
                                                          GAsyncReadyCallback  callback,
                                                          gpointer             user_data);
/* Returns the transaction (transfer full) for ACCEPTED, else NULL with @error set (REFUSED: the
 * FEST_ERROR whose details fest_error_get_details() gives). */
JsonNode       *fest_sync_engine_post_transaction_finish (FestSyncEngine      *self,
                                                          GAsyncResult        *result,
                                                          FestOnlineOutcome   *outcome,
                                                          GError             **error);

/* One full sync (push then pull) for callers that wait for it (tests, "Sync now" with feedback). */
void            fest_sync_engine_sync_async     (FestSyncEngine      *self,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean        fest_sync_engine_sync_finish    (FestSyncEngine      *self,
                                                 GAsyncResult        *result,
                                                 GError             **error);

G_END_DECLS
