/* fest-station-keyboard.h: where the station's keys go (keyboard-wedge scanners and people)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"
#include "fest-station-enroll-view.h"
#include "fest-station-mode-host.h"
#include "fest-wedge.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_KEYBOARD (fest_station_keyboard_get_type ())
G_DECLARE_FINAL_TYPE (FestStationKeyboard, fest_station_keyboard, FEST, STATION_KEYBOARD, GObject)

/* Watches @window's keys; @stack's visible child ("enroll", "station", "settings"…) says where a
 * scan goes. The window owns the result and drops it before its widgets. */
FestStationKeyboard *fest_station_keyboard_new           (FestStationContext    *context,
                                                          GtkWindow             *window,
                                                          GtkStack              *stack,
                                                          FestStationEnrollView *enroll_view,
                                                          FestStationModeHost   *mode_host);
/* Feeds the keyboard-wedge detector as the key controller does. */
void                 fest_station_keyboard_feed          (FestStationKeyboard   *self,
                                                          FestWedgeKey           key,
                                                          const char            *text,
                                                          gint64                 time_us);
/* Types @text as a scanner would (keys 5 ms apart, then Enter). */
void                 fest_station_keyboard_simulate_scan (FestStationKeyboard   *self,
                                                          const char            *text);

G_END_DECLS
