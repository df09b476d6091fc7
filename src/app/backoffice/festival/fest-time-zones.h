/* fest-time-zones.h: the system's time zones (zone1970.tab) and their UTC offsets
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* What the server accepts everywhere, when the system has no zone table. */
#define FEST_TIME_ZONE_FALLBACK           "Europe/Paris"
#define FEST_TIME_ZONE_FALLBACK_LATITUDE  48.8566
#define FEST_TIME_ZONE_FALLBACK_LONGITUDE 2.3522

typedef struct
{
  char     *name;
  gboolean  located;
  double    latitude;
  double    longitude;
} FestZoneInfo;

/* The canonical zones of the system's tz database with their main city's position (FestZoneInfo,
 * borrowed), sorted; UTC added. Read once. */
GPtrArray          *fest_time_zones_get              (void);
const FestZoneInfo *fest_time_zones_find             (const char *name);
/* NULL for NULL, "" or an unknown identifier (transfer full). */
GTimeZone          *fest_time_zone_new               (const char *identifier);
/* "UTC+02:00" for @identifier at @when (its offset changes with summer time); "" for an unknown
 * zone (transfer full). */
char               *fest_time_zone_format_utc_offset (const char *identifier,
                                                      GDateTime  *when);

G_END_DECLS
