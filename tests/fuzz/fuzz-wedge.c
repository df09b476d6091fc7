/* fuzz-wedge.c: libFuzzer harness for the keyboard-wedge scanner decoder
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The input is a stream of key events: one byte for the kind (and, for a printable key, how many
 * bytes of UTF-8 text follow) and one for the time since the previous key. Whatever the timing,
 * every character typed comes out exactly once and in order, either handed back (flush, timeout)
 * or in a scan; a scan is at least FEST_WEDGE_MIN_LENGTH keys. The whole input is also read as one
 * scanned code: classifying it, and undoing the AZERTY substitution, must agree with each other.
 */

#include "config.h"

#include "fest-wedge.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_code (const uint8_t *data,
            size_t         size)
{
  g_autofree char *text = fuzz_strndup (data, size);
  g_autofree char *us = fest_wedge_azerty_to_us (text);
  g_autofree char *fixed = NULL;
  FestCodeKind kind = fest_code_classify (text);

  if (kind == FEST_CODE_WALLET)
    FUZZ_CHECK (strlen (text) == 30 && g_str_has_prefix (text, "FW1."));
  else if (kind == FEST_CODE_TICKET)
    FUZZ_CHECK (g_str_has_prefix (text, "FT1.") && strchr (text + 4, '.') != NULL);
  /* A canonical wallet code is a wallet code by shape too. */
  if (fest_wallet_code_is_valid (text))
    FUZZ_CHECK (kind == FEST_CODE_WALLET);

  FUZZ_CHECK ((us != NULL) == g_utf8_validate (text, -1, NULL));
  if (us != NULL)
    FUZZ_CHECK (g_utf8_validate (us, -1, NULL));

  if (fest_wedge_detect_us_layout (text, &fixed))
    {
      FUZZ_CHECK (kind == FEST_CODE_UNKNOWN);
      FUZZ_CHECK (fixed != NULL && g_str_equal (fixed, us));
      FUZZ_CHECK (fest_code_classify (fixed) != FEST_CODE_UNKNOWN);
    }
  else
    {
      FUZZ_CHECK (fixed == NULL);
    }
}

static void
take (GString *out,
      char    *text)
{
  if (text != NULL)
    g_string_append (out, text);
  g_free (text);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(FestWedge) wedge = fest_wedge_new ();
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autoptr(GString) received = g_string_new (NULL);
  gint64 time_us = 1000 * G_TIME_SPAN_SECOND;
  guint held = 0;       /* keys the wedge should be holding back */
  size_t i = 0;

  check_code (data, size);

  while (i + 2 <= size)
    {
      FestWedgeResult result = { 0 };
      guint8 op = data[i];
      /* 0 to 255 ms in 1 ms steps around the 50 ms gap; the top values are long pauses. */
      gint64 gap = data[i + 1] >= 250 ? (data[i + 1] - 249) * G_TIME_SPAN_SECOND
                                     : data[i + 1] * G_TIME_SPAN_MILLISECOND;
      g_autofree char *text = NULL;

      i += 2;
      time_us += gap;

      if (op & 0x80)
        {
          /* A timeout firing: only the held text, and only after the gap. */
          gboolean holding = fest_wedge_is_holding (wedge);
          char *flushed = fest_wedge_timeout (wedge, time_us);

          if (flushed != NULL)
            {
              FUZZ_CHECK (holding && flushed[0] != '\0');
              held = 0;
            }
          take (received, flushed);
          FUZZ_CHECK (fest_wedge_is_holding (wedge) == (held > 0));
          continue;
        }

      switch (op & 0x3)
        {
        case 0:
          {
            size_t len = MIN ((size_t) ((op >> 2) & 0x3) + 1, size - i);

            text = g_strndup ((const char *) data + i, len);
            i += len;
            fest_wedge_feed (wedge, FEST_WEDGE_KEY_CHAR, text, time_us, &result);
            g_string_append (typed, text);
            if (result.flush != NULL)
              held = 0;
            if (text[0] != '\0')
              held++;
            /* A printable key is always held back, to come out later. */
            FUZZ_CHECK (text[0] == '\0' ? !result.consume : result.consume);
            break;
          }
        case 1:
          fest_wedge_feed (wedge, FEST_WEDGE_KEY_ENTER, NULL, time_us, &result);
          break;
        case 2:
          fest_wedge_feed (wedge, FEST_WEDGE_KEY_TAB, NULL, time_us, &result);
          break;
        default:
          fest_wedge_feed (wedge, FEST_WEDGE_KEY_OTHER, NULL, time_us, &result);
          break;
        }

      if (result.scanned != NULL)
        {
          /* Enter or Tab ended a burst: it is swallowed, and nothing was flushed before it. */
          FUZZ_CHECK ((op & 0x3) == 1 || (op & 0x3) == 2);
          FUZZ_CHECK (result.consume && result.flush == NULL);
          FUZZ_CHECK (result.scanned[0] != '\0');
          FUZZ_CHECK (held >= FEST_WEDGE_MIN_LENGTH);
          held = 0;
        }
      if (result.flush != NULL)
        {
          FUZZ_CHECK (result.flush[0] != '\0');
          if ((op & 0x3) != 0)
            held = 0;
        }
      take (received, g_steal_pointer (&result.flush));
      take (received, g_steal_pointer (&result.scanned));
      fest_wedge_result_clear (&result);
      FUZZ_CHECK (fest_wedge_is_holding (wedge) == (held > 0));
    }

  /* The last held keys come out once the gap has passed. */
  take (received, fest_wedge_timeout (wedge, time_us + FEST_WEDGE_MAX_GAP_US + 1));
  FUZZ_CHECK (!fest_wedge_is_holding (wedge));
  FUZZ_CHECK (g_str_equal (typed->str, received->str));
  return 0;
}
