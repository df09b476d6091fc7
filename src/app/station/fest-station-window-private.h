/* fest-station-window-private.h: what tests use of the station window (pages get a context)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-station-context.h"
#include "fest-station-window.h"
#include "fest-wedge.h"

G_BEGIN_DECLS

/* Tests: what the page was given, and shortcuts into it. */
FestStationContext *fest_station_window_get_context        (FestStationWindow *self);
FestStationStore   *fest_station_window_get_store          (FestStationWindow *self);
FestSyncEngine     *fest_station_window_get_engine         (FestStationWindow *self);
/* A client carrying the device token (NULL before enrollment). */
FestClient         *fest_station_window_get_station_client (FestStationWindow *self);
gboolean            fest_station_window_is_online          (FestStationWindow *self);
void                fest_station_window_toast              (FestStationWindow *self,
                                                            const char        *text);
/* "12.50 Jetons · €1.25" with the festival's currency and exchange rate. */
char               *fest_station_window_format_money       (FestStationWindow *self,
                                                            gint64             amount);
/* After a record_* call: refresh the pending count and push right away. */
void                fest_station_window_operation_queued   (FestStationWindow *self);

/* Tests: a window over an already enrolled store, without keyring or enrollment. */
GtkWindow          *fest_station_window_new_with_store     (GtkApplication    *app,
                                                            FestClient        *client,
                                                            const char        *mode,
                                                            FestStationStore  *store,
                                                            const char        *device_token);
/* Tests: feeds the keyboard-wedge detector as the key controller does. */
void                fest_station_window_feed_key           (FestStationWindow *self,
                                                            FestWedgeKey       key,
                                                            const char        *text,
                                                            gint64             time_us);
/* Tests: types @text as a scanner would (keys 5 ms apart, then Enter). */
void                fest_station_window_simulate_scan      (FestStationWindow *self,
                                                            const char        *text);
GtkWidget          *fest_station_window_get_page           (FestStationWindow *self);
/* Tests: fills the enrollment form and presses Enroll. */
void                fest_station_window_enroll             (FestStationWindow *self,
                                                            const char        *url,
                                                            const char        *token,
                                                            const char        *pin);
/* Tests: the visible stack child: "loading", "enroll", "station", "revoked" or "settings". */
const char         *fest_station_window_get_view           (FestStationWindow *self);

/* Tests: the text of the last toast shown (NULL if none yet). */
const char         *fest_station_window_get_last_toast     (FestStationWindow *self);

G_END_DECLS
