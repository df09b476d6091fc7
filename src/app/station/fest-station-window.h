/* fest-station-window.h: the fullscreen kiosk station (cashier, recharge desk, gate, security)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_WINDOW (fest_station_window_get_type ())
G_DECLARE_FINAL_TYPE (FestStationWindow, fest_station_window, FEST, STATION_WINDOW, AdwApplicationWindow)

/* Opens the fullscreen station window for mode "cashier"|"recharge"|"scanner"|"security". If this
 * computer is not enrolled and @organiser_token is given (demo), it enrolls itself (POST /devices)
 * on the festival's first stand that fits the mode. */
GtkWindow *fest_station_window_new (GtkApplication *app,
                                    FestClient     *client,
                                    const char     *mode,
                                    const char     *organiser_token);

G_END_DECLS
