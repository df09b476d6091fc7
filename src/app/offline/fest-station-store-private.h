/* fest-station-store-private.h: what the parts of FestStationStore share (offline/ only)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * FestStationStore is one object implemented in several files, one per responsibility:
 * fest-station-store.c (opening, schema, SQLite helpers), -settings.c (enrollment, PIN),
 * -catalog.c (products, wallets), -sales.c (payments, recharges, cancels), -gate.c (scans),
 * -incidents.c (a guard's assigned incidents and their resolution, the festival's gates),
 * -outbox.c (queued operations, POST /sync results), -changes.c (GET /sync/changes), -shift.c
 * (end-of-shift figures) and -async.c (GTask variants for the UI). Functions named *_locked run
 * with the store's mutex held (and inside the caller's transaction, if any).
 */

#pragma once

#include <sqlite3.h>

#include "fest-station-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _FestStationStore
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
  GMutex   mutex;
  /* Threads waiting for the mutex: a long job (pulled changes) lets them in between slices. */
  gint     waiters;
};

/* Takes the store's mutex (for a g_autoptr(GMutexLocker)), counted in waiters meanwhile. */
static inline GMutexLocker *
_fest_station_lock (FestStationStore *self)
{
  GMutexLocker *locker;

  g_atomic_int_inc (&self->waiters);
  locker = g_mutex_locker_new (&self->mutex);
  g_atomic_int_dec_and_test (&self->waiters);
  return locker;
}

/* A wallet's code never changes; a newer rev wins. rev < 0 (a direct lookup without rev) always
 * wins over the cache. Bound by _fest_station_bind_wallet. */
#define WALLET_UPSERT_SQL \
  "INSERT INTO wallets (id, code, balance, overdrawn, rev) VALUES (?1, ?2, ?3, ?4, MAX(?5, 0)) " \
  "ON CONFLICT(id) DO UPDATE SET balance = excluded.balance, overdrawn = excluded.overdrawn, " \
  "rev = MAX(wallets.rev, excluded.rev) WHERE ?5 < 0 OR excluded.rev >= wallets.rev"

#define OP_COLUMNS "seq, op, idempotency_key, created_at, payload, state, error_code, " \
                   "error_message, entity, wallet_code, amount_delta"

gboolean
_fest_station_exec_sql (FestStationStore  *self,
                        const char        *sql,
                        GError           **error);

sqlite3_stmt *
_fest_station_prepare (FestStationStore  *self,
                       const char        *sql,
                       GError           **error);

void
_fest_station_bind_text (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text);

char *
_fest_station_column_dup (sqlite3_stmt *stmt,
                          int           index);

gboolean
_fest_station_step_done (FestStationStore  *self,
                         sqlite3_stmt      *stmt,
                         GError           **error);

gboolean
_fest_station_begin (FestStationStore  *self,
                     GError           **error);

gboolean
_fest_station_commit (FestStationStore  *self,
                      GError           **error);

void
_fest_station_rollback (FestStationStore *self);

char *
_fest_station_get_setting_locked (FestStationStore *self,
                                  const char       *key);

gboolean
_fest_station_set_setting_locked (FestStationStore  *self,
                                  const char        *key,
                                  const char        *value,
                                  GError           **error);

gboolean
_fest_station_require_enrolled_locked (FestStationStore  *self,
                                       GError           **error);

FestStationProduct *
_fest_station_get_product_locked (FestStationStore *self,
                                  const char       *product_id);

gboolean
_fest_station_upsert_wallet_locked (FestStationStore  *self,
                                    const char        *wallet_id,
                                    const char        *code,
                                    gint64             balance,
                                    gboolean           overdrawn,
                                    gint64             rev,
                                    GError           **error);

void
_fest_station_bind_wallet (sqlite3_stmt *stmt,
                           const char   *wallet_id,
                           const char   *code,
                           gint64        balance,
                           gboolean      overdrawn,
                           gint64        rev);

gint64
_fest_station_pending_delta_locked (FestStationStore *self,
                                    const char       *wallet_code);

gboolean
_fest_station_get_wallet_locked (FestStationStore  *self,
                                 const char        *code,
                                 char             **wallet_id,
                                 gint64            *balance,
                                 gboolean          *overdrawn);

FestOutboxOp *
_fest_station_op_from_row (sqlite3_stmt *stmt);

FestOutboxOp *
_fest_station_get_op_by_key_locked (FestStationStore *self,
                                    const char       *key);

char *
_fest_station_insert_op_locked (FestStationStore  *self,
                                const char        *idempotency_key,
                                const char        *op,
                                const char        *kind,
                                const char        *created_at,
                                JsonNode          *payload,
                                const char        *wallet_code,
                                gint64             amount_delta,
                                const char        *note,
                                GError           **error);

gboolean
_fest_station_take_acked_entity_locked (FestStationStore  *self,
                                        const char        *wallet_code,
                                        const char        *entity,
                                        GError           **error);

gboolean
_fest_station_set_op_state_locked (FestStationStore  *self,
                                   const char        *key,
                                   FestOutboxState    state,
                                   const char        *entity,
                                   GError           **error);

G_END_DECLS
