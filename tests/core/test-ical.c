/* test-ical.c: iCalendar content lines: CRLF, 75-octet folding, TEXT escaping, UTC times
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"

/* Checks the physical lines of @text (each ends with CRLF, no bare CR or LF, none over 75 octets,
 * continuation lines start with a space, every line valid UTF-8 on its own) and returns the
 * logical lines, unfolded. */
static GStrv
check_and_unfold (const char *text)
{
  g_autoptr(GStrvBuilder) lines = g_strv_builder_new ();
  g_autoptr(GString) logical = NULL;
  const char *p = text;

  g_assert_true (g_str_has_suffix (text, "\r\n"));
  while (*p != '\0')
    {
      const char *end = strstr (p, "\r\n");
      gsize length;

      g_assert_nonnull (end);
      length = end - p;
      g_assert_cmpuint (length, <=, FEST_ICAL_LINE_OCTETS);
      g_assert_null (memchr (p, '\n', length));
      g_assert_null (memchr (p, '\r', length));
      g_assert_true (g_utf8_validate (p, length, NULL));
      if (*p == ' ')
        {
          g_assert_nonnull (logical);
          g_string_append_len (logical, p + 1, length - 1);
        }
      else
        {
          if (logical != NULL)
            {
              g_strv_builder_add (lines, logical->str);
              g_string_free (logical, TRUE);
            }
          logical = g_string_new_len (p, length);
        }
      p = end + 2;
    }
  if (logical != NULL)
    g_strv_builder_add (lines, logical->str);
  return g_strv_builder_end (lines);
}

static void
test_short_line (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  fest_ical_append_line (out, "BEGIN", "VCALENDAR");
  fest_ical_append_line (out, "DTSTART", "20260704T213000Z");
  g_assert_cmpstr (out->str, ==, "BEGIN:VCALENDAR\r\nDTSTART:20260704T213000Z\r\n");
}

static void
test_text_escaping (void)
{
  g_autoptr(GString) out = g_string_new (NULL);

  fest_ical_append_text (out, "SUMMARY", "AC\\DC; live, loud\nand\r\nlate\rnight");
  g_assert_cmpstr (out->str, ==, "SUMMARY:AC\\\\DC\\; live\\, loud\\nand\\nlate\\nnight\r\n");
}

static void
test_folding_ascii (void)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autofree char *long_text = g_strnfill (200, 'a');
  g_auto(GStrv) lines = NULL;
  g_autofree char *expected = g_strconcat ("DESCRIPTION:", long_text, NULL);

  fest_ical_append_text (out, "DESCRIPTION", long_text);
  lines = check_and_unfold (out->str);
  g_assert_cmpuint (g_strv_length (lines), ==, 1);
  g_assert_cmpstr (lines[0], ==, expected);
  /* Full lines: 75 octets, then a space and 74. */
  g_assert_cmpuint (strstr (out->str, "\r\n") - out->str, ==, 75);
  g_assert_cmpuint (strstr (out->str + 77, "\r\n") - (out->str + 77), ==, 75);

  /* Exactly 75 octets: not folded. */
  g_string_truncate (out, 0);
  long_text[75 - strlen ("X:")] = '\0';
  fest_ical_append_line (out, "X", long_text);
  g_assert_cmpuint (out->len, ==, 77);
}

/* Multi-byte characters are never split, whatever the offset they fall on. */
static void
test_folding_utf8 (void)
{
  static const char *const samples[] = { "é", "€", "🎸", "Zoë 🎸 Scène Été" };

  for (guint s = 0; s < G_N_ELEMENTS (samples); s++)
    for (guint shift = 0; shift < 4; shift++)
      {
        g_autoptr(GString) text = g_string_new (NULL);
        g_autoptr(GString) out = g_string_new (NULL);
        g_auto(GStrv) lines = NULL;
        g_autofree char *expected = NULL;

        g_string_append_len (text, "xxx", shift);
        while (text->len < 400)
          g_string_append (text, samples[s]);
        fest_ical_append_text (out, "SUMMARY", text->str);
        lines = check_and_unfold (out->str);
        g_assert_cmpuint (g_strv_length (lines), ==, 1);
        expected = g_strconcat ("SUMMARY:", text->str, NULL);
        g_assert_cmpstr (lines[0], ==, expected);
      }
}

/* Text that is not UTF-8 (a run of continuation bytes longer than a line) still folds: the
 * writer once looked for a character boundary forever (found by tests/fuzz/fuzz-ical). */
static void
test_folding_not_utf8 (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GString) out = g_string_new (NULL);
      g_autoptr(GString) unfolded = g_string_new (NULL);
      g_autofree char *run = g_strnfill (200, '\x9a');
      g_autofree char *text = g_strconcat ("Stage ", run, " A", NULL);
      g_autofree char *expected = g_strconcat ("SUMMARY:", text, NULL);
      g_auto(GStrv) lines = NULL;

      fest_ical_append_text (out, "SUMMARY", text);
      g_assert_true (g_str_has_suffix (out->str, "\r\n"));
      g_string_truncate (out, out->len - 2);
      lines = g_strsplit (out->str, "\r\n", -1);
      for (guint i = 0; lines[i] != NULL; i++)
        {
          g_assert_cmpuint (strlen (lines[i]), <=, FEST_ICAL_LINE_OCTETS);
          g_assert_true (i == 0 || lines[i][0] == ' ');
          g_string_append (unfolded, lines[i] + (i == 0 ? 0 : 1));
        }
      g_assert_cmpstr (unfolded->str, ==, expected);
      return;
    }

  g_test_trap_subprocess (NULL, 10 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

static void
test_date_time (void)
{
  g_autofree char *utc = fest_ical_date_time ("2026-07-04T21:30:00Z");
  g_autofree char *offset = fest_ical_date_time ("2026-07-04T23:30:00+02:00");
  g_autofree char *bad = fest_ical_date_time ("tonight");
  /* Four-digit years, also before 1000 (found by tests/fuzz/fuzz-ical). */
  g_autofree char *early = fest_ical_date_time ("0226-07-14T21:30:00+02:00");
  g_autofree char *first = fest_ical_date_time ("0001-01-01T00:00:00Z");

  g_assert_cmpstr (utc, ==, "20260704T213000Z");
  g_assert_cmpstr (offset, ==, "20260704T213000Z");
  g_assert_cmpstr (early, ==, "02260714T193000Z");
  g_assert_cmpstr (first, ==, "00010101T000000Z");
  g_assert_null (bad);
  g_assert_null (fest_ical_date_time (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/ical/short-line", test_short_line);
  g_test_add_func ("/fest/ical/text-escaping", test_text_escaping);
  g_test_add_func ("/fest/ical/folding-ascii", test_folding_ascii);
  g_test_add_func ("/fest/ical/folding-utf8", test_folding_utf8);
  g_test_add_func ("/fest/ical/folding-not-utf8", test_folding_not_utf8);
  g_test_add_func ("/fest/ical/date-time", test_date_time);

  return g_test_run ();
}
