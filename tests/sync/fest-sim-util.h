/* fest-sim-util.h: helpers of the station/server simulation (test-simulation.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Waiting on the sync engine with a deadline (a step never hangs the test), reading the server's
 * state straight from its festival database (it may be down, or just killed), setting a
 * station's clock on what it queued, and the seed options.
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

G_BEGIN_DECLS

/* One sync; FALSE with @error on failure. *@timed_out (nullable) when it did not end within
 * @timeout_s seconds (the engine is then still busy). */
gboolean          fest_sim_run_sync        (FestSyncEngine  *engine,
                                            guint            timeout_s,
                                            gboolean        *timed_out,
                                            GError         **error);
/* POST /transactions through the engine, each attempt bounded by @timeout_ms; the entity of an
 * accepted one in @entity. *@timed_out as above. */
FestOnlineOutcome fest_sim_post_online     (FestSyncEngine  *engine,
                                            const char      *key,
                                            JsonNode        *body,
                                            guint            timeout_ms,
                                            guint            timeout_s,
                                            JsonNode       **entity,
                                            gboolean        *timed_out);

/* GET /transactions?idempotency_key=@key as the organiser: exactly one transaction, of @amount. */
gboolean          fest_sim_lookup_key      (FestSyncServer  *server,
                                            const char      *key,
                                            gint64           amount,
                                            GError         **error);

typedef struct
{
  char   *ticket_id;
  char   *gate;
  char   *result;
  double  when;          /* julianday(scanned_at) */
} FestSimScan;

typedef struct
{
  GHashTable *ledger;          /* idempotency key → amount (gint64 *) */
  GPtrArray  *doubled_keys;    /* keys found on more than one ledger row */
  GHashTable *wrong_balances;  /* wallet id → "balance B, ledger sum S", the wrong ones only */
  GHashTable *balances;        /* wallet id → balance (gint64 *) */
  GPtrArray  *scans;           /* FestSimScan */
  GHashTable *alerted;         /* ticket ids with a DUPLICATE_ENTRY alert */
} FestSimServerState;

/* Reads @db_path (a festival-ID.db) read-only, in one read transaction. */
gboolean          fest_sim_server_state_read  (const char          *db_path,
                                               FestSimServerState  *state,
                                               GError             **error);
void              fest_sim_server_state_clear (FestSimServerState  *state);

/* The station's clock is @seconds off: its queued op @key (still pending) carries that time, in
 * the outbox row and in the payload's created_at. */
gboolean          fest_sim_skew_op            (const char          *store_path,
                                               const char          *key,
                                               gint                 seconds,
                                               GError             **error);

/* Takes `NAME N` or `NAME=N` (N a positive number) out of argv; FALSE if absent. */
gboolean          fest_sim_take_option        (int                 *argc,
                                               char               **argv,
                                               const char          *name,
                                               guint64             *value);
/* The environment variable @name as a positive number; FALSE if unset. */
gboolean          fest_sim_env_option         (const char          *name,
                                               guint64             *value);

G_END_DECLS
