/* fest-ical.c: writing iCalendar (RFC 5545) content lines
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-ical.h"
#include "fest-id.h"

/* Appends @line (no line break) folded at FEST_ICAL_LINE_OCTETS octets, then CRLF. */
static void
append_folded (GString    *out,
               const char *line,
               gsize       length)
{
  gsize room = FEST_ICAL_LINE_OCTETS;
  gsize start = 0;

  while (length - start > room)
    {
      gsize end = start + room;

      /* Back up to the start of a UTF-8 character: continuation bytes are 10xxxxxx. */
      while (end > start && ((guchar) line[end] & 0xC0) == 0x80)
        end--;
      /* No character starts within reach: not UTF-8. Cut anyway, or this would loop forever. */
      if (end == start)
        end = start + room;
      g_string_append_len (out, line + start, end - start);
      g_string_append (out, "\r\n ");
      start = end;
      room = FEST_ICAL_LINE_OCTETS - 1;     /* the leading space counts */
    }
  g_string_append_len (out, line + start, length - start);
  g_string_append (out, "\r\n");
}

/* Appends "NAME:VALUE", @value escaped as TEXT when @escape, folded. */
static void
append_content_line (GString    *out,
                     const char *name,
                     const char *value,
                     gboolean    escape)
{
  g_autoptr(GString) line = g_string_new (name);

  g_string_append_c (line, ':');
  if (!escape)
    g_string_append (line, value);
  else
    for (const char *p = value; *p != '\0'; p++)
      {
        switch (*p)
          {
          case '\\':
          case ';':
          case ',':
            g_string_append_c (line, '\\');
            g_string_append_c (line, *p);
            break;
          case '\r':
            if (p[1] == '\n')
              p++;
            G_GNUC_FALLTHROUGH;
          case '\n':
            g_string_append (line, "\\n");
            break;
          default:
            g_string_append_c (line, *p);
            break;
          }
      }
  append_folded (out, line->str, line->len);
}

void
fest_ical_append_line (GString    *out,
                       const char *name,
                       const char *value)
{
  g_return_if_fail (out != NULL && name != NULL && value != NULL);

  append_content_line (out, name, value, FALSE);
}

void
fest_ical_append_text (GString    *out,
                       const char *name,
                       const char *text)
{
  g_return_if_fail (out != NULL && name != NULL && text != NULL);

  append_content_line (out, name, text, TRUE);
}

char *
fest_ical_date_time (const char *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 != NULL ? fest_time_parse (rfc3339) : NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (time == NULL)
    return NULL;
  utc = g_date_time_to_utc (time);
  /* Not g_date_time_format's %Y: it does not pad years before 1000 to the four digits that
   * RFC 5545's DATE-TIME requires. */
  return g_strdup_printf ("%04d%02d%02dT%02d%02d%02dZ", g_date_time_get_year (utc),
                          g_date_time_get_month (utc), g_date_time_get_day_of_month (utc),
                          g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                          g_date_time_get_second (utc));
}
