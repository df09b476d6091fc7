/* fest-station-context.h: what a station mode page works with (store, engine, client, money)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "fest-client.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_CONTEXT (fest_station_context_get_type ())
G_DECLARE_FINAL_TYPE (FestStationContext, fest_station_context, FEST, STATION_CONTEXT, GObject)

/* "Cashier", "Recharge Desk", "Gate Scanner", "Security" (translated). */
const char         *fest_station_mode_title                 (const char         *mode);

FestStationContext *fest_station_context_new                (const char         *mode,
                                                             const char         *server_url,
                                                             FestStationStore   *store);
/* "cashier", "recharge", "scanner" or "security". */
const char         *fest_station_context_get_mode           (FestStationContext *self);
/* The server the station is enrolled on (or enrolling on). */
const char         *fest_station_context_get_server_url     (FestStationContext *self);
void                fest_station_context_set_server_url     (FestStationContext *self,
                                                             const char         *server_url);
/* One store and one device token per server and mode: the keyring's "server" attribute, URL#mode. */
char               *fest_station_context_dup_secret_key     (FestStationContext *self);
FestStationStore   *fest_station_context_get_store          (FestStationContext *self);
void                fest_station_context_set_store          (FestStationContext *self,
                                                             FestStationStore   *store);
/* NULL before enrollment. */
FestSyncEngine     *fest_station_context_get_engine         (FestStationContext *self);
void                fest_station_context_set_engine         (FestStationContext *self,
                                                             FestSyncEngine     *engine);
/* A client carrying the device token (NULL before enrollment). */
FestClient         *fest_station_context_get_station_client (FestStationContext *self);
void                fest_station_context_set_station_client (FestStationContext *self,
                                                             FestClient         *client);
gboolean            fest_station_context_is_online          (FestStationContext *self);
/* "12.50 Jetons · €1.25" with the festival's currency and exchange rate. */
char               *fest_station_context_format_money       (FestStationContext *self,
                                                             gint64              amount);
/* Says @text to the person at the station (a toast of the window: the "toast" signal). */
void                fest_station_context_toast              (FestStationContext *self,
                                                             const char         *text);
/* After a record_* call: refresh the pending count and push right away ("operation-queued"). */
void                fest_station_context_operation_queued   (FestStationContext *self);

G_END_DECLS
