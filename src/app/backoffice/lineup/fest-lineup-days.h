/* fest-lineup-days.h: a festival's days, cut at a set hour in the festival's time zone
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Festival nights run past midnight, so a festival day starts at @day_start_hour (0..23) local
 * time and ends at the same hour the next day: a set at 01:30 on Saturday belongs to Friday when
 * days start at 06:00. A slot belongs to the day whose window contains its start. */
typedef struct _FestLineupDays FestLineupDays;

/* The days from the one containing @starts_at to the one containing @ends_at (Unix seconds;
 * at least one day), in @zone (borrowed; NULL: UTC). */
FestLineupDays *fest_lineup_days_new           (gint64          starts_at,
                                                gint64          ends_at,
                                                GTimeZone      *zone,
                                                int             day_start_hour);
void            fest_lineup_days_free          (FestLineupDays *self);

guint           fest_lineup_days_get_n_days    (FestLineupDays *self);
GTimeZone      *fest_lineup_days_get_zone      (FestLineupDays *self);
/* Day @index's window [start, end) in Unix seconds (23 or 25 hours across a DST change). */
gint64          fest_lineup_days_get_start     (FestLineupDays *self,
                                                guint           index);
gint64          fest_lineup_days_get_end       (FestLineupDays *self,
                                                guint           index);
/* The day whose window contains @time, or -1 before the first and after the last. */
int             fest_lineup_days_find          (FestLineupDays *self,
                                                gint64          time);
/* The day to show first: today's festival day while the festival runs (@now inside its days),
 * else the first day. */
guint           fest_lineup_days_default_day   (FestLineupDays *self,
                                                gint64          now);
/* "Friday 10 July" in the festival's zone, translated (transfer full). */
char           *fest_lineup_days_get_label     (FestLineupDays *self,
                                                guint           index);
/* "21:00" for @time in the festival's zone (transfer full). */
char           *fest_lineup_days_format_clock  (FestLineupDays *self,
                                                gint64          time);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestLineupDays, fest_lineup_days_free)

G_END_DECLS
