/* fuzz-ical.c: libFuzzer harness for the iCalendar writer (GET /lineup.ics)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Artist names, stage names and descriptions are written as TEXT values. Whatever the text, the
 * output is content lines ending in CRLF with no bare CR or LF (no injected property), no
 * physical line longer than 75 octets, no UTF-8 character split by a fold, and unfolding and
 * unescaping gives the text back (CRLF and CR read as newlines). The first byte of the input
 * picks the property name.
 */

#include "config.h"

#include "fuzz-common.h"

static const char * const names[] = { "SUMMARY", "LOCATION", "X-WR-CALNAME", "UID", "CATEGORIES" };

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Splits @out (one content line) into physical lines, checks them and returns the unfolded line. */
static char *
check_folding (const GString *out,
               gboolean       utf8)
{
  GString *unfolded = g_string_new (NULL);
  const char *p = out->str;
  const char *end = out->str + out->len;
  gboolean first = TRUE;

  FUZZ_CHECK (out->len >= 2 && g_str_has_suffix (out->str, "\r\n"));
  while (p < end)
    {
      const char *eol = p;
      gsize length;

      while (eol < end && *eol != '\r' && *eol != '\n')
        eol++;
      /* Every line break is CRLF, and the output ends with one. */
      FUZZ_CHECK (eol + 1 < end && eol[0] == '\r' && eol[1] == '\n');
      length = eol - p;
      FUZZ_CHECK (length <= FEST_ICAL_LINE_OCTETS);
      if (!first)
        {
          /* A continuation starts with one space and carries at least one octet. */
          FUZZ_CHECK (length >= 2 && *p == ' ');
          p++;
          length--;
        }
      if (utf8)
        FUZZ_CHECK (g_utf8_validate (p, length, NULL));
      g_string_append_len (unfolded, p, length);
      first = FALSE;
      p = eol + 2;
    }
  return g_string_free (unfolded, FALSE);
}

/* TEXT unescaping (RFC 5545 §3.3.11); FALSE on a bare ';' or ',' or an unknown escape. */
static gboolean
unescape (const char *value,
          GString    *out)
{
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ';' || *p == ',')
        return FALSE;
      if (*p != '\\')
        {
          g_string_append_c (out, *p);
          continue;
        }
      p++;
      if (*p == '\\' || *p == ';' || *p == ',')
        g_string_append_c (out, *p);
      else if (*p == 'n' || *p == 'N')
        g_string_append_c (out, '\n');
      else
        return FALSE;
    }
  return TRUE;
}

/* @text with CRLF and lone CR turned into LF, as the writer reads newlines. */
static char *
newlines_to_lf (const char *text)
{
  GString *out = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\r')
        {
          g_string_append_c (out, '\n');
          if (p[1] == '\n')
            p++;
        }
      else
        {
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (out, FALSE);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) text_back = g_string_new (NULL);
  g_autofree char *text = NULL;
  g_autofree char *unfolded = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *date_time = NULL;
  const char *name;
  gboolean utf8;

  if (size == 0)
    return 0;
  name = names[data[0] % G_N_ELEMENTS (names)];
  text = fuzz_strndup (data + 1, size - 1);
  utf8 = g_utf8_validate (text, -1, NULL);

  fest_ical_append_text (out, name, text);
  unfolded = check_folding (out, utf8);
  FUZZ_CHECK (g_str_has_prefix (unfolded, name) && unfolded[strlen (name)] == ':');
  FUZZ_CHECK (unescape (unfolded + strlen (name) + 1, text_back));
  expected = newlines_to_lf (text);
  FUZZ_CHECK (g_str_equal (text_back->str, expected));

  /* Values written as is (dates, enumerations) fold the same way. */
  if (strpbrk (text, "\r\n") == NULL)
    {
      g_autofree char *unfolded_line = NULL;

      g_string_truncate (out, 0);
      fest_ical_append_line (out, name, text);
      unfolded_line = check_folding (out, utf8);
      FUZZ_CHECK (g_str_has_prefix (unfolded_line, name) &&
                  g_str_equal (unfolded_line + strlen (name) + 1, text));
    }

  date_time = fest_ical_date_time (text);
  if (date_time != NULL)
    {
      g_autoptr(GDateTime) time = fest_time_parse (text);

      FUZZ_CHECK (time != NULL);
      FUZZ_CHECK (strlen (date_time) == 16 && date_time[8] == 'T' && date_time[15] == 'Z');
    }
  return 0;
}
