/* fest-station-settings-view.h: a running station's settings, behind the organiser PIN
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_SETTINGS_VIEW (fest_station_settings_view_get_type ())
G_DECLARE_FINAL_TYPE (FestStationSettingsView, fest_station_settings_view, FEST, STATION_SETTINGS_VIEW, AdwBin)

GtkWidget *fest_station_settings_view_new     (FestStationContext      *context);
/* Before it is shown: station, server and unsent operations as they are now; the focus on
 * "Back to the Station". */
void       fest_station_settings_view_refresh (FestStationSettingsView *self);

G_END_DECLS
