/* fest-wedge.c: keyboard-wedge barcode scanner burst detection and keyboard-layout garbage
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-wedge.h"

struct _FestWedge
{
  GString *held;       /* printable keys held back while a burst may be starting */
  guint    n_chars;
  gint64   last_time;  /* time of the last held key */
};

void
fest_wedge_result_clear (FestWedgeResult *result)
{
  g_clear_pointer (&result->flush, g_free);
  g_clear_pointer (&result->scanned, g_free);
  result->consume = FALSE;
}

FestWedge *
fest_wedge_new (void)
{
  FestWedge *wedge = g_new0 (FestWedge, 1);

  wedge->held = g_string_new (NULL);
  return wedge;
}

void
fest_wedge_free (FestWedge *wedge)
{
  if (wedge == NULL)
    return;
  g_string_free (wedge->held, TRUE);
  g_free (wedge);
}

gboolean
fest_wedge_is_holding (FestWedge *wedge)
{
  return wedge->n_chars > 0;
}

static char *
take_held (FestWedge *wedge)
{
  char *text;

  if (wedge->n_chars == 0)
    return NULL;
  text = g_strndup (wedge->held->str, wedge->held->len);
  g_string_truncate (wedge->held, 0);
  wedge->n_chars = 0;
  return text;
}

void
fest_wedge_feed (FestWedge       *wedge,
                 FestWedgeKey     key,
                 const char      *text,
                 gint64           time_us,
                 FestWedgeResult *result)
{
  gboolean in_time;

  g_return_if_fail (wedge != NULL && result != NULL);

  memset (result, 0, sizeof *result);
  in_time = wedge->n_chars > 0 && time_us - wedge->last_time <= FEST_WEDGE_MAX_GAP_US;

  /* A pause longer than the gap ends any would-be burst: hand its keys back first. */
  if (wedge->n_chars > 0 && !in_time)
    result->flush = take_held (wedge);

  switch (key)
    {
    case FEST_WEDGE_KEY_CHAR:
      if (text == NULL || *text == '\0')
        return;
      g_string_append (wedge->held, text);
      wedge->n_chars++;
      wedge->last_time = time_us;
      result->consume = TRUE;
      return;

    case FEST_WEDGE_KEY_ENTER:
    case FEST_WEDGE_KEY_TAB:
      if (in_time && wedge->n_chars >= FEST_WEDGE_MIN_LENGTH)
        {
          result->scanned = take_held (wedge);
          result->consume = TRUE;
          return;
        }
      /* A human pressing Enter: the held keys go first, then Enter does its usual job. */
      if (result->flush == NULL)
        result->flush = take_held (wedge);
      return;

    case FEST_WEDGE_KEY_OTHER:
    default:
      if (result->flush == NULL)
        result->flush = take_held (wedge);
      return;
    }
}

char *
fest_wedge_timeout (FestWedge *wedge,
                    gint64     time_us)
{
  g_return_val_if_fail (wedge != NULL, NULL);

  if (wedge->n_chars == 0 || time_us - wedge->last_time <= FEST_WEDGE_MAX_GAP_US)
    return NULL;
  return take_held (wedge);
}

/* Code shapes */

static gboolean
is_base32_char (char c)
{
  return (c >= 'A' && c <= 'Z') || (c >= '2' && c <= '7');
}

static gboolean
is_base64url_char (char c)
{
  return g_ascii_isalnum (c) || c == '-' || c == '_';
}

FestCodeKind
fest_code_classify (const char *text)
{
  gsize len;

  if (text == NULL)
    return FEST_CODE_UNKNOWN;
  len = strlen (text);

  if (g_str_has_prefix (text, "FW1."))
    {
      if (len != 4 + 26)
        return FEST_CODE_UNKNOWN;
      for (gsize i = 4; i < len; i++)
        if (!is_base32_char (text[i]))
          return FEST_CODE_UNKNOWN;
      return FEST_CODE_WALLET;
    }

  if (g_str_has_prefix (text, "FT1."))
    {
      const char *dot = strchr (text + 4, '.');

      if (dot == NULL || dot == text + 4 || dot[1] == '\0')
        return FEST_CODE_UNKNOWN;
      for (const char *p = text + 4; *p != '\0'; p++)
        if (p != dot && !is_base64url_char (*p))
          return FEST_CODE_UNKNOWN;
      return FEST_CODE_TICKET;
    }

  return FEST_CODE_UNKNOWN;
}

/* What a key of the US layout produces on the French AZERTY layout, undone: each pair is
 * (character seen on AZERTY, character the US scanner meant). */
static const struct
{
  const char *azerty;
  const char *us;
} azerty_to_us[] = {
  { "&", "1" }, { "é", "2" }, { "\"", "3" }, { "'", "4" }, { "(", "5" },
  { "-", "6" }, { "è", "7" }, { "_", "8" }, { "ç", "9" }, { "à", "0" },
  { "q", "a" }, { "a", "q" }, { "z", "w" }, { "w", "z" }, { ",", "m" }, { "m", ";" },
  { "Q", "A" }, { "A", "Q" }, { "Z", "W" }, { "W", "Z" }, { "?", "M" }, { "M", ":" },
  { ":", "." }, { ";", "," }, { "!", "/" }, { ")", "-" }, { "°", "_" }, { ".", "<" },
};

char *
fest_wedge_azerty_to_us (const char *text)
{
  GString *out;

  g_return_val_if_fail (text != NULL, NULL);
  if (!g_utf8_validate (text, -1, NULL))
    return NULL;

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gsize char_len = g_utf8_next_char (p) - p;
      gboolean mapped = FALSE;

      for (guint i = 0; i < G_N_ELEMENTS (azerty_to_us); i++)
        if (strlen (azerty_to_us[i].azerty) == char_len &&
            strncmp (p, azerty_to_us[i].azerty, char_len) == 0)
          {
            g_string_append (out, azerty_to_us[i].us);
            mapped = TRUE;
            break;
          }
      if (!mapped)
        g_string_append_len (out, p, char_len);
    }
  return g_string_free (out, FALSE);
}

gboolean
fest_wedge_detect_us_layout (const char  *text,
                             char       **fixed)
{
  g_autofree char *candidate = NULL;

  if (fixed != NULL)
    *fixed = NULL;
  if (text == NULL || fest_code_classify (text) != FEST_CODE_UNKNOWN)
    return FALSE;
  candidate = fest_wedge_azerty_to_us (text);
  if (candidate == NULL || fest_code_classify (candidate) == FEST_CODE_UNKNOWN)
    return FALSE;
  if (fixed != NULL)
    *fixed = g_steal_pointer (&candidate);
  return TRUE;
}
