/* test-wedge.c: keyboard-wedge burst detection and AZERTY layout garbage
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-wedge.h"

#define MS G_TIME_SPAN_MILLISECOND

typedef struct
{
  GString *typed;     /* what reached the focused field */
  GPtrArray *scans;   /* bursts */
  guint passed;       /* non-consumed keys (Enter reaching the UI, arrows…) */
} Sink;

static void
sink_init (Sink *sink)
{
  sink->typed = g_string_new (NULL);
  sink->scans = g_ptr_array_new_with_free_func (g_free);
  sink->passed = 0;
}

static void
sink_clear (Sink *sink)
{
  g_string_free (sink->typed, TRUE);
  g_ptr_array_unref (sink->scans);
}

static void
feed (FestWedge    *wedge,
      Sink         *sink,
      FestWedgeKey  key,
      const char   *text,
      gint64        time)
{
  FestWedgeResult result;

  fest_wedge_feed (wedge, key, text, time, &result);
  if (result.flush != NULL)
    g_string_append (sink->typed, result.flush);
  if (result.scanned != NULL)
    g_ptr_array_add (sink->scans, g_strdup (result.scanned));
  if (!result.consume)
    sink->passed++;
  fest_wedge_result_clear (&result);
}

/* Types @text one UTF-8 character at a time, @gap apart, from @start; returns the last time. */
static gint64
type_text (FestWedge  *wedge,
           Sink       *sink,
           const char *text,
           gint64      start,
           gint64      gap)
{
  gint64 time = start;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *ch = g_strndup (p, g_utf8_next_char (p) - p);

      feed (wedge, sink, FEST_WEDGE_KEY_CHAR, ch, time);
      time += gap;
    }
  return time - gap;
}

static void
flush_timeout (FestWedge *wedge,
               Sink      *sink,
               gint64     time)
{
  g_autofree char *text = fest_wedge_timeout (wedge, time);

  if (text != NULL)
    g_string_append (sink->typed, text);
}

static void
test_burst_enter (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t;

  sink_init (&sink);
  t = type_text (wedge, &sink, "FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ", 1000 * MS, 8 * MS);
  feed (wedge, &sink, FEST_WEDGE_KEY_ENTER, NULL, t + 10 * MS);

  g_assert_cmpuint (sink.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink.scans, 0), ==, "FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  /* Nothing landed in the focused field and Enter did not reach it either. */
  g_assert_cmpstr (sink.typed->str, ==, "");
  g_assert_cmpuint (sink.passed, ==, 0);
  g_assert_false (fest_wedge_is_holding (wedge));
  sink_clear (&sink);
}

static void
test_burst_tab_at_limit (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t;

  sink_init (&sink);
  /* Exactly 50 ms apart is still a scanner. */
  t = type_text (wedge, &sink, "ABC", 0, 50 * MS);
  feed (wedge, &sink, FEST_WEDGE_KEY_TAB, NULL, t + 50 * MS);
  g_assert_cmpuint (sink.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink.scans, 0), ==, "ABC");
  sink_clear (&sink);
}

static void
test_human_typing (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t = 0;

  sink_init (&sink);
  /* 120 ms between keys: a person. Every key comes back to the field, in order. */
  for (const char *p = "1234"; *p != '\0'; p++)
    {
      char ch[2] = { *p, '\0' };

      feed (wedge, &sink, FEST_WEDGE_KEY_CHAR, ch, t);
      flush_timeout (wedge, &sink, t + 60 * MS);
      t += 120 * MS;
    }
  feed (wedge, &sink, FEST_WEDGE_KEY_ENTER, NULL, t);
  g_assert_cmpstr (sink.typed->str, ==, "1234");
  g_assert_cmpuint (sink.scans->len, ==, 0);
  /* Enter was passed to the UI (e.g. to activate the field). */
  g_assert_cmpuint (sink.passed, ==, 1);
  sink_clear (&sink);
}

static void
test_too_short (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t;

  sink_init (&sink);
  /* Two fast keys and Enter: not a scan (fewer than 3 characters); text and Enter go through. */
  t = type_text (wedge, &sink, "12", 0, 5 * MS);
  feed (wedge, &sink, FEST_WEDGE_KEY_ENTER, NULL, t + 5 * MS);
  g_assert_cmpuint (sink.scans->len, ==, 0);
  g_assert_cmpstr (sink.typed->str, ==, "12");
  g_assert_cmpuint (sink.passed, ==, 1);
  sink_clear (&sink);
}

static void
test_slow_enter (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t;

  sink_init (&sink);
  /* A fast burst but Enter comes 200 ms later: a person pressing Enter after pasting/typing. */
  t = type_text (wedge, &sink, "ABCDEF", 0, 5 * MS);
  feed (wedge, &sink, FEST_WEDGE_KEY_ENTER, NULL, t + 200 * MS);
  g_assert_cmpuint (sink.scans->len, ==, 0);
  g_assert_cmpstr (sink.typed->str, ==, "ABCDEF");
  sink_clear (&sink);
}

static void
test_gap_in_middle (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;
  gint64 t;

  sink_init (&sink);
  /* "AB" typed by hand, a pause, then a real scan "XYZ1" + Enter: only the scan is a scan. */
  t = type_text (wedge, &sink, "AB", 0, 10 * MS);
  t = type_text (wedge, &sink, "XYZ1", t + 300 * MS, 10 * MS);
  feed (wedge, &sink, FEST_WEDGE_KEY_ENTER, NULL, t + 10 * MS);
  g_assert_cmpstr (sink.typed->str, ==, "AB");
  g_assert_cmpuint (sink.scans->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (sink.scans, 0), ==, "XYZ1");
  sink_clear (&sink);
}

static void
test_other_key_flushes (void)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  Sink sink;

  sink_init (&sink);
  feed (wedge, &sink, FEST_WEDGE_KEY_CHAR, "a", 0);
  feed (wedge, &sink, FEST_WEDGE_KEY_OTHER, NULL, 5 * MS);   /* e.g. BackSpace */
  g_assert_cmpstr (sink.typed->str, ==, "a");
  g_assert_cmpuint (sink.passed, ==, 1);
  g_assert_false (fest_wedge_is_holding (wedge));
  sink_clear (&sink);
}

static void
test_classify (void)
{
  g_assert_cmpint (fest_code_classify ("FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ"), ==, FEST_CODE_WALLET);
  g_assert_cmpint (fest_code_classify ("FW1.ABCDEFGHIJKLMNOPQRSTUVWXY"), ==, FEST_CODE_UNKNOWN);
  g_assert_cmpint (fest_code_classify ("FW1.ABCDEFGHIJKLMNOPQRSTUVWXY1"), ==, FEST_CODE_UNKNOWN);
  g_assert_cmpint (fest_code_classify ("FT1.eyJ0Ijo-_x.c2ln"), ==, FEST_CODE_TICKET);
  g_assert_cmpint (fest_code_classify ("FT1.eyJ0Ijo"), ==, FEST_CODE_UNKNOWN);
  g_assert_cmpint (fest_code_classify ("hello"), ==, FEST_CODE_UNKNOWN);
}

static void
test_us_layout_wallet (void)
{
  g_autofree char *fixed = NULL;

  /* "FW1.ABC…" typed by a US scanner on AZERTY (the example of the issue). */
  g_assert_true (fest_wedge_detect_us_layout ("FZ&:QBCDEFGHIJKL?NOPARSTUVZXYW", &fixed));
  g_assert_cmpstr (fixed, ==, "FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ");
  /* Digits become "&é\"'(-è_çà". */
  g_clear_pointer (&fixed, g_free);
  fixed = fest_wedge_azerty_to_us ("&é\"'(-è_çà");
  g_assert_cmpstr (fixed, ==, "1234567890");
}

static void
test_us_layout_ticket (void)
{
  g_autofree char *fixed = NULL;

  /* FT1.eyJ0-_.sig9 → F T & : e y J é " ) ° : s i g ç */
  g_assert_true (fest_wedge_detect_us_layout ("FT&:eyJé\")°:sigç", &fixed));
  g_assert_cmpstr (fixed, ==, "FT1.eyJ23-_.sig9");
}

static void
test_us_layout_negative (void)
{
  g_autofree char *fixed = NULL;

  /* A valid code is not garbage; random text that does not map to a code is not either. */
  g_assert_false (fest_wedge_detect_us_layout ("FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ", &fixed));
  g_assert_null (fixed);
  g_assert_false (fest_wedge_detect_us_layout ("bonjour", &fixed));
  g_assert_false (fest_wedge_detect_us_layout ("", &fixed));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/wedge/burst-enter", test_burst_enter);
  g_test_add_func ("/fest/wedge/burst-tab-at-limit", test_burst_tab_at_limit);
  g_test_add_func ("/fest/wedge/human-typing", test_human_typing);
  g_test_add_func ("/fest/wedge/too-short", test_too_short);
  g_test_add_func ("/fest/wedge/slow-enter", test_slow_enter);
  g_test_add_func ("/fest/wedge/gap-in-middle", test_gap_in_middle);
  g_test_add_func ("/fest/wedge/other-key-flushes", test_other_key_flushes);
  g_test_add_func ("/fest/wedge/classify", test_classify);
  g_test_add_func ("/fest/wedge/us-layout-wallet", test_us_layout_wallet);
  g_test_add_func ("/fest/wedge/us-layout-ticket", test_us_layout_ticket);
  g_test_add_func ("/fest/wedge/us-layout-negative", test_us_layout_negative);

  return g_test_run ();
}
