/* fest-station-enroll-view.h: the station's enrollment form (server, device token, organiser PIN)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_STATION_ENROLL_VIEW (fest_station_enroll_view_get_type ())
G_DECLARE_FINAL_TYPE (FestStationEnrollView, fest_station_enroll_view, FEST, STATION_ENROLL_VIEW, AdwBin)

GtkWidget *fest_station_enroll_view_new         (FestStationContext    *context);
/* The form again for a new token: the server address of the context, no token. */
void       fest_station_enroll_view_reset       (FestStationEnrollView *self);
void       fest_station_enroll_view_focus_token (FestStationEnrollView *self);
/* A token scanned while no field had the focus. */
void       fest_station_enroll_view_set_token   (FestStationEnrollView *self,
                                                 const char            *token);
/* Demo: enrolls with the organiser token (POST /devices), PIN 0000. */
void       fest_station_enroll_view_start_demo  (FestStationEnrollView *self,
                                                 const char            *organiser_token);
/* Fills the form and presses Enroll. */
void       fest_station_enroll_view_enroll      (FestStationEnrollView *self,
                                                 const char            *url,
                                                 const char            *token,
                                                 const char            *pin);

G_END_DECLS
