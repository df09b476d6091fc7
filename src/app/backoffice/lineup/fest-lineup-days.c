/* fest-lineup-days.c: a festival's days, cut at a set hour in the festival's time zone
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-lineup-days.h"

/* No festival lasts longer; a bad ends_at must not make a million days. */
#define MAX_DAYS 62

struct _FestLineupDays
{
  GTimeZone *zone;
  GArray    *bounds;   /* gint64: n_days + 1 day starts */
};

/* The start of the festival day containing @time. */
static GDateTime *
day_start_of (gint64     time,
              GTimeZone *zone,
              int        hour)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);
  g_autoptr(GDateTime) shifted = g_date_time_add_hours (local, -hour);

  return g_date_time_new (zone, g_date_time_get_year (shifted), g_date_time_get_month (shifted),
                          g_date_time_get_day_of_month (shifted), hour, 0, 0);
}

/* The same hour @days calendar days later (DST-safe: built from the date, not by adding hours). */
static GDateTime *
next_day_start (GDateTime *start,
                GTimeZone *zone,
                int        hour)
{
  g_autoptr(GDateTime) noon = g_date_time_new (zone, g_date_time_get_year (start),
                                               g_date_time_get_month (start),
                                               g_date_time_get_day_of_month (start), 12, 0, 0);
  g_autoptr(GDateTime) next = g_date_time_add_days (noon, 1);

  return g_date_time_new (zone, g_date_time_get_year (next), g_date_time_get_month (next),
                          g_date_time_get_day_of_month (next), hour, 0, 0);
}

FestLineupDays *
fest_lineup_days_new (gint64     starts_at,
                      gint64     ends_at,
                      GTimeZone *zone,
                      int        day_start_hour)
{
  FestLineupDays *self = g_new0 (FestLineupDays, 1);
  g_autoptr(GDateTime) day = NULL;
  int hour = CLAMP (day_start_hour, 0, 23);

  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_utc ();
  self->bounds = g_array_new (FALSE, FALSE, sizeof (gint64));

  day = day_start_of (starts_at, self->zone, hour);
  for (guint i = 0; i <= MAX_DAYS; i++)
    {
      gint64 start = g_date_time_to_unix (day);
      GDateTime *next;

      g_array_append_val (self->bounds, start);
      if (i > 0 && start >= ends_at)
        break;
      next = next_day_start (day, self->zone, hour);
      g_date_time_unref (day);
      day = next;
    }
  return self;
}

void
fest_lineup_days_free (FestLineupDays *self)
{
  if (self == NULL)
    return;
  g_time_zone_unref (self->zone);
  g_array_unref (self->bounds);
  g_free (self);
}

guint
fest_lineup_days_get_n_days (FestLineupDays *self)
{
  return self->bounds->len - 1;
}

GTimeZone *
fest_lineup_days_get_zone (FestLineupDays *self)
{
  return self->zone;
}

gint64
fest_lineup_days_get_start (FestLineupDays *self,
                            guint           index)
{
  g_return_val_if_fail (index < fest_lineup_days_get_n_days (self), 0);

  return g_array_index (self->bounds, gint64, index);
}

gint64
fest_lineup_days_get_end (FestLineupDays *self,
                          guint           index)
{
  g_return_val_if_fail (index < fest_lineup_days_get_n_days (self), 0);

  return g_array_index (self->bounds, gint64, index + 1);
}

int
fest_lineup_days_find (FestLineupDays *self,
                       gint64          time)
{
  for (guint i = 0; i < fest_lineup_days_get_n_days (self); i++)
    if (time >= fest_lineup_days_get_start (self, i) && time < fest_lineup_days_get_end (self, i))
      return (int) i;
  return -1;
}

guint
fest_lineup_days_default_day (FestLineupDays *self,
                              gint64          now)
{
  int today = fest_lineup_days_find (self, now);

  return today >= 0 ? (guint) today : 0;
}

char *
fest_lineup_days_get_label (FestLineupDays *self,
                            guint           index)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (fest_lineup_days_get_start (self, index));
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);

  /* TRANSLATORS: a festival day in the Lineup page's day switcher, as g_date_time_format()
   * takes it: "Friday 10 July". */
  return g_date_time_format (local, _("%A %-d %B"));
}

char *
fest_lineup_days_format_clock (FestLineupDays *self,
                               gint64          time)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);

  return g_date_time_format (local, "%H:%M");
}
