/* fest-time-zones.c: the system's time zones (zone1970.tab) and their UTC offsets
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-time-zones.h"

#define ZONE_TAB           "/usr/share/zoneinfo/zone1970.tab"

static void
zone_info_free (gpointer data)
{
  FestZoneInfo *zone = data;

  g_free (zone->name);
  g_free (zone);
}

static int
zone_info_compare (gconstpointer a,
                   gconstpointer b)
{
  const FestZoneInfo *za = *(const FestZoneInfo * const *) a;
  const FestZoneInfo *zb = *(const FestZoneInfo * const *) b;

  return g_strcmp0 (za->name, zb->name);
}

static guint
parse_digits (const char *text,
              guint       count)
{
  guint value = 0;

  for (guint i = 0; i < count; i++)
    value = value * 10 + (guint) (text[i] - '0');
  return value;
}

/* One ISO 6709 part of zone1970.tab: ±DDMM[SS] (latitude) or ±DDDMM[SS] (longitude). */
static gboolean
parse_coordinate (const char *text,
                  gsize       length,
                  guint       degree_digits,
                  double     *out)
{
  gsize n = length - 1;
  double value;

  if (length < 1 || (text[0] != '+' && text[0] != '-')
      || (n != degree_digits + 2 && n != degree_digits + 4))
    return FALSE;
  for (gsize i = 1; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;

  value = parse_digits (text + 1, degree_digits)
          + parse_digits (text + 1 + degree_digits, 2) / 60.0;
  if (n == degree_digits + 4)
    value += parse_digits (text + 3 + degree_digits, 2) / 3600.0;
  *out = text[0] == '-' ? -value : value;
  return TRUE;
}

GPtrArray *
fest_time_zones_get (void)
{
  static GPtrArray *zones;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  FestZoneInfo *utc;

  if (zones != NULL)
    return zones;

  zones = g_ptr_array_new_with_free_func (zone_info_free);
  if (g_file_get_contents (ZONE_TAB, &contents, NULL, NULL))
    lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_auto(GStrv) columns = NULL;
      FestZoneInfo *zone;
      const char *coordinates;
      const char *split;

      if (lines[i][0] == '#' || lines[i][0] == '\0')
        continue;
      columns = g_strsplit (lines[i], "\t", 4);
      if (g_strv_length (columns) < 3)
        continue;
      zone = g_new0 (FestZoneInfo, 1);
      zone->name = g_strdup (columns[2]);
      coordinates = columns[1];
      split = strpbrk (coordinates + 1, "+-");
      if (split != NULL
          && parse_coordinate (coordinates, split - coordinates, 2, &zone->latitude)
          && parse_coordinate (split, strlen (split), 3, &zone->longitude))
        zone->located = TRUE;
      g_ptr_array_add (zones, zone);
    }

  /* Without the table (a minimal system), at least what the server accepts everywhere. */
  if (zones->len == 0)
    {
      FestZoneInfo *paris = g_new0 (FestZoneInfo, 1);

      paris->name = g_strdup (FEST_TIME_ZONE_FALLBACK);
      paris->located = TRUE;
      paris->latitude = FEST_TIME_ZONE_FALLBACK_LATITUDE;
      paris->longitude = FEST_TIME_ZONE_FALLBACK_LONGITUDE;
      g_ptr_array_add (zones, paris);
    }
  utc = g_new0 (FestZoneInfo, 1);
  utc->name = g_strdup ("Etc/UTC");
  g_ptr_array_add (zones, utc);
  g_ptr_array_sort (zones, zone_info_compare);

  return zones;
}

const FestZoneInfo *
fest_time_zones_find (const char *name)
{
  GPtrArray *zones = fest_time_zones_get ();

  for (guint i = 0; i < zones->len; i++)
    {
      const FestZoneInfo *zone = g_ptr_array_index (zones, i);

      if (g_strcmp0 (zone->name, name) == 0)
        return zone;
    }

  return NULL;
}

GTimeZone *
fest_time_zone_new (const char *identifier)
{
  if (identifier == NULL || *identifier == '\0')
    return NULL;
  return g_time_zone_new_identifier (identifier);
}

char *
fest_time_zone_format_utc_offset (const char *identifier,
                                  GDateTime  *when)
{
  g_autoptr(GTimeZone) zone = fest_time_zone_new (identifier);
  g_autoptr(GDateTime) local = NULL;
  gint64 offset;
  gint64 minutes;

  if (zone == NULL)
    return g_strdup ("");
  local = g_date_time_to_timezone (when, zone);
  offset = g_date_time_get_utc_offset (local) / G_TIME_SPAN_MINUTE;
  if (offset == 0)
    return g_strdup ("UTC");
  minutes = ABS (offset);
  return g_strdup_printf ("UTC%c%02d:%02d", offset < 0 ? '-' : '+', (int) (minutes / 60),
                          (int) (minutes % 60));
}
