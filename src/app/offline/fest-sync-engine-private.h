/* fest-sync-engine-private.h: what the parts of FestSyncEngine share (offline/ only)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FestSyncEngine is one object in several files: fest-sync-engine.c (properties, the cycle, its
 * retries and the public API), -push.c (POST /sync, unconfirmed ops), -pull.c (bootstrap and
 * GET /sync/changes), -online.c (POST /transactions for an online sale) and -health.c (the
 * GET /health probe while the server is unreachable). All of it runs on the main loop, except
 * the store calls the pull hands to a GTask thread.
 */

#pragma once

#include "fest-sync-engine.h"

G_BEGIN_DECLS

struct _FestSyncEngine
{
  GObject           parent_instance;

  FestStationStore *store;
  SoupSession      *session;
  char             *base_url;
  char             *token;
  char             *operator_token;    /* the person's, for their own ops; nullable */
  gboolean          pushing_operator;  /* the batch in flight carries operator_token */
  guint             batch_size;
  guint             interval_s;
  guint             unconfirmed_settle_s;

  gboolean          online;
  gboolean          revoked;
  guint             pending_count;
  GDateTime        *last_sync;

  gboolean          started;
  guint             timer_id;
  guint             retry_id;
  gulong            network_changed_id;
  guint             failures;
  gint64            backoff_until;     /* monotonic µs; 0 = none */

  /* The cycle in flight, if any. */
  gboolean          syncing;
  gboolean          again;
  GCancellable     *cycle_cancellable;
  GPtrArray        *cycle_tasks;       /* GTask waiting for this cycle */
  GPtrArray        *next_tasks;        /* GTask waiting for the next cycle */
  guint             push_rounds;
  gboolean          bootstrapped;      /* festival parameters and ticket key fetched */
  GCancellable     *probe_cancellable;
  guint             probe_timer_id;    /* while unreachable */
  guint             probe_timeout_id;  /* the probe in flight gives up */
};

enum {
  SIGNAL_REJECTED,
  SIGNAL_SYNCED,
  SIGNAL_ALERTS,
  SIGNAL_PUSH_STARTED,
  SIGNAL_UNCONFIRMED_RESOLVED,
  N_SIGNALS
};

extern guint _fest_sync_engine_signals[N_SIGNALS];

void
_fest_sync_engine_set_online (FestSyncEngine *self,
                              gboolean        online);

void
_fest_sync_engine_set_revoked (FestSyncEngine *self,
                               gboolean        revoked);

void
_fest_sync_engine_update_pending (FestSyncEngine *self);

SoupMessage *
_fest_sync_engine_new_message (FestSyncEngine *self,
                               const char     *method,
                               const char     *path,
                               JsonNode       *body);

JsonNode *
_fest_sync_engine_parse_envelope (SoupMessage  *message,
                                  GBytes       *bytes,
                                  GError      **error);

JsonNode *
_fest_sync_engine_parse_reply (guint    status,
                               GBytes  *bytes,
                               GError **error);

void
_fest_sync_engine_finish_cycle (FestSyncEngine *self,
                                GError         *error);

void
_fest_sync_engine_push_next (FestSyncEngine *self);

void
_fest_sync_engine_bootstrap (FestSyncEngine *self);

void
_fest_sync_engine_update_probing (FestSyncEngine *self);

void
_fest_sync_engine_network_changed_cb (GNetworkMonitor *monitor,
                                      gboolean         available,
                                      gpointer         user_data);

G_END_DECLS
