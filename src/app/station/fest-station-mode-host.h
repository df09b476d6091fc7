/* fest-station-mode-host.h: holds the station's mode page and speaks to it for the window
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_MODE_HOST (fest_station_mode_host_get_type ())
G_DECLARE_FINAL_TYPE (FestStationModeHost, fest_station_mode_host, FEST, STATION_MODE_HOST, AdwBin)

GtkWidget   *fest_station_mode_host_new            (FestStationContext  *context);
/* Builds the page of the context's mode (again: after an enrollment, a new page). */
void         fest_station_mode_host_open           (FestStationModeHost *self);
/* The cashier, recharge, scanner or security page (NULL before the first open). */
GtkWidget   *fest_station_mode_host_get_page       (FestStationModeHost *self);
/* The page's code field: where text typed outside any field goes (NULL: nowhere). */
GtkEditable *fest_station_mode_host_get_code_entry (FestStationModeHost *self);
/* Is @widget (the focus) a product tile of the cashier, or inside one? */
gboolean     fest_station_mode_host_is_product     (FestStationModeHost *self,
                                                    GtkWidget           *widget);
/* A scanned code, for the page. */
void         fest_station_mode_host_handle_scan    (FestStationModeHost *self,
                                                    const char          *code);
/* After a sync: products, alerts, reports as the store has them now. */
void         fest_station_mode_host_synced         (FestStationModeHost *self);
/* The gate's alerts pulled since the last call. */
void         fest_station_mode_host_show_alerts    (FestStationModeHost *self);
/* Moves the focus into the page. */
void         fest_station_mode_host_focus_page     (FestStationModeHost *self);
/* As the page's buttons: Charge (cashier) or Credit (recharge desk) the code typed, Cancel Last
 * Sale and Shift Report (cashier). FALSE when the page has no such button or it is not offered. */
gboolean     fest_station_mode_host_charge         (FestStationModeHost *self);
gboolean     fest_station_mode_host_cancel_last    (FestStationModeHost *self);
gboolean     fest_station_mode_host_shift_report   (FestStationModeHost *self);

G_END_DECLS
