/* fest-station-lock.h: the organiser PIN that guards leaving, settings and enrolling again
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_STATION_LOCK_LEAVE,         /* close the station window */
  FEST_STATION_LOCK_SETTINGS,      /* open the station's settings */
  FEST_STATION_LOCK_ENROLL_AGAIN,  /* a revoked station: enroll with a new device token */
} FestStationLockPurpose;

#define FEST_TYPE_STATION_LOCK (fest_station_lock_get_type ())
G_DECLARE_FINAL_TYPE (FestStationLock, fest_station_lock, FEST, STATION_LOCK, GObject)

FestStationLock *fest_station_lock_new     (FestStationContext     *context);
/* Asks for the PIN over @parent; "unlocked" (purpose) when it is right, "refused" when not. */
void             fest_station_lock_ask     (FestStationLock        *self,
                                            GtkWindow              *parent,
                                            FestStationLockPurpose  purpose);
/* Closes the dialog and forgets a check under way (the window is going away). */
void             fest_station_lock_dismiss (FestStationLock        *self);

G_END_DECLS
