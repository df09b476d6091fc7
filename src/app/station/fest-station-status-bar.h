/* fest-station-status-bar.h: the station's always-visible status bar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_STATUS_BAR (fest_station_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (FestStationStatusBar, fest_station_status_bar, FEST, STATION_STATUS_BAR, GtkBox)

GtkWidget *fest_station_status_bar_new    (FestStationContext   *context);
/* Shows the engine's state now (online, pending, last sync, refused operations). */
void       fest_station_status_bar_update (FestStationStatusBar *self);

G_END_DECLS
