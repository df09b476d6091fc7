/* fest-json-text.c: JSON text in and out: a strict parser and the generator's output repaired
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fest-json.h"

/* Repairs two faults of json-glib 1.6's generator, whose output would not be JSON:
 *  - it marks a double as one by appending ".0" when its text has no point, even after an
 *    exponent: 2e-66 comes out as "2e-66.0" (a latitude of 2e-66 is in range). Found by
 *    tests/fuzz/fuzz-members.
 *  - it escapes every control character in a string but U+001F, which it writes raw. Found by
 *    tests/fuzz/fuzz-transaction.
 * Outside strings, an 'e' after a digit can only be an exponent. */
static char *
repair_generator_output (const char *text,
                         gsize       length,
                         gsize      *out_length)
{
  GString *out = g_string_sized_new (length + 1);
  const char *p = text;
  const char *end = text + length;
  char prev = '\0';
  gboolean in_string = FALSE;

  while (p < end)
    {
      char c = *p++;

      if (in_string)
        {
          if ((guchar) c < 0x20)
            {
              g_string_append_printf (out, "\\u%04x", (guint) (guchar) c);
              continue;
            }
          g_string_append_c (out, c);
          if (c == '\\' && p < end)
            g_string_append_c (out, *p++);
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      g_string_append_c (out, c);
      if (c == '"')
        {
          in_string = TRUE;
        }
      else if ((c == 'e' || c == 'E') && g_ascii_isdigit (prev))
        {
          if (p < end && (*p == '+' || *p == '-'))
            g_string_append_c (out, *p++);
          while (p < end && g_ascii_isdigit (*p))
            g_string_append_c (out, *p++);
          if (end - p >= 2 && p[0] == '.' && p[1] == '0')
            p += 2;
        }
      prev = c;
    }

  if (out_length != NULL)
    *out_length = out->len;
  return g_string_free (out, FALSE);
}

char *
fest_json_to_string (JsonNode *node,
                     gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;
  gsize text_length = 0;

  g_return_val_if_fail (node != NULL, NULL);

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &text_length);
  return repair_generator_output (text, text_length, length);
}

/* json-glib 1.6 reads JSON through GScanner and is lenient: it accepts single-quoted strings,
 * comments, hexadecimal and leading-zero numbers, raw control characters in strings and unknown
 * escapes. The API promises JSON (RFC 8259), and other clients must be able to read back what we
 * store, so the syntax is checked strictly first. This also bounds the nesting depth, which
 * json-glib's recursive parser does not. */
#define JSON_MAX_DEPTH 128

typedef struct
{
  const char *start;
  const char *p;
  const char *end;
  const char *error;
  guint depth;
  /* The innermost member whose value is being read, to name it in a range error. */
  const char *member;
  gsize member_len;
  gboolean out_of_range;
} JsonSyntax;

static gboolean syntax_value (JsonSyntax *s);

static gboolean
syntax_fail (JsonSyntax *s,
             const char *message)
{
  if (s->error == NULL)
    s->error = message;
  return FALSE;
}

static void
syntax_skip_space (JsonSyntax *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

static gboolean
syntax_literal (JsonSyntax *s,
                const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return syntax_fail (s, "unexpected character, expected a value");
  s->p += len;
  return TRUE;
}

static gboolean
syntax_digits (JsonSyntax *s)
{
  if (s->p >= s->end || !g_ascii_isdigit (*s->p))
    return syntax_fail (s, "invalid number");
  while (s->p < s->end && g_ascii_isdigit (*s->p))
    s->p++;
  return TRUE;
}

/* json-glib wraps integers beyond gint64 silently (99999999999999999999 reads as -1): an
 * amount must never change sign on the way in. */
static gboolean
integer_fits (const char *start,
              const char *end)
{
  gboolean negative = *start == '-';
  guint64 limit = negative ? (guint64) G_MAXINT64 + 1 : (guint64) G_MAXINT64;
  guint64 value = 0;

  for (const char *p = negative ? start + 1 : start; p < end; p++)
    {
      guint digit = *p - '0';

      if (value > (limit - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  return TRUE;
}

static gboolean
syntax_number (JsonSyntax *s)
{
  const char *start = s->p;
  gboolean is_integer = TRUE;

  if (*s->p == '-')
    s->p++;

  if (s->p < s->end && *s->p == '0')
    {
      s->p++;
      if (s->p < s->end && g_ascii_isdigit (*s->p))
        return syntax_fail (s, "invalid number (leading zero)");
    }
  else if (!syntax_digits (s))
    {
      return FALSE;
    }

  if (s->p < s->end && *s->p == '.')
    {
      is_integer = FALSE;
      s->p++;
      if (!syntax_digits (s))
        return FALSE;
    }

  if (s->p < s->end && (*s->p == 'e' || *s->p == 'E'))
    {
      is_integer = FALSE;
      s->p++;
      if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
        s->p++;
      if (!syntax_digits (s))
        return FALSE;
    }

  /* "0x10" or "12abc": a number must end at a delimiter. */
  if (s->p < s->end && (g_ascii_isalnum (*s->p) || *s->p == '.'))
    return syntax_fail (s, "invalid number");

  if (is_integer && !integer_fits (start, s->p))
    {
      s->out_of_range = TRUE;
      s->p = start;
      return syntax_fail (s, "integer out of range");
    }

  /* json-glib reads 1e400 as infinity, which no field accepts and which it writes back as
   * "inf.0", not JSON. */
  if (!is_integer)
    {
      g_autofree char *text = g_strndup (start, s->p - start);

      if (!isfinite (g_ascii_strtod (text, NULL)))
        {
          s->out_of_range = TRUE;
          s->p = start;
          return syntax_fail (s, "number out of range");
        }
    }

  return TRUE;
}

/* Reads the 4 hex digits of a \\u escape at @p. */
static gboolean
syntax_hex4 (JsonSyntax *s,
             const char *p,
             guint      *unit)
{
  guint value = 0;

  for (guint i = 0; i < 4; i++)
    {
      if (p + i >= s->end || !g_ascii_isxdigit (p[i]))
        return FALSE;
      value = value * 16 + g_ascii_xdigit_value (p[i]);
    }
  *unit = value;
  return TRUE;
}

static gboolean
syntax_string (JsonSyntax *s)
{
  s->p++; /* the opening quote */

  while (s->p < s->end)
    {
      guchar c = (guchar) *s->p;

      if (c == '"')
        {
          s->p++;
          return TRUE;
        }
      if (c < 0x20)
        return syntax_fail (s, "control character in a string");
      if (c == '\\')
        {
          s->p++;
          if (s->p >= s->end)
            break;
          if (*s->p == 'u')
            {
              guint unit;

              if (!syntax_hex4 (s, s->p + 1, &unit))
                return syntax_fail (s, "invalid \\u escape in a string");
              s->p += 5;
              /* json-glib cuts a string at U+0000: the rest of it would be lost silently. */
              if (unit == 0)
                return syntax_fail (s, "\\u0000 in a string");
              /* json-glib turns an unpaired surrogate into bytes that are not UTF-8: only a high
               * surrogate followed by a low one is a character. */
              if (unit >= 0xDC00 && unit <= 0xDFFF)
                return syntax_fail (s, "unpaired surrogate \\u escape in a string");
              if (unit >= 0xD800 && unit <= 0xDBFF)
                {
                  if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u' ||
                      !syntax_hex4 (s, s->p + 2, &unit) || unit < 0xDC00 || unit > 0xDFFF)
                    return syntax_fail (s, "unpaired surrogate \\u escape in a string");
                  s->p += 6;
                }
              continue;
            }
          if (strchr ("\"\\/bfnrt", *s->p) == NULL || *s->p == '\0')
            return syntax_fail (s, "invalid escape in a string");
        }
      s->p++;
    }

  return syntax_fail (s, "unterminated string");
}

static gboolean
syntax_container (JsonSyntax *s,
                  char        close,
                  gboolean    is_object)
{
  const char *outer_member = s->member;
  gsize outer_member_len = s->member_len;

  if (++s->depth > JSON_MAX_DEPTH)
    return syntax_fail (s, "nesting too deep");

  s->p++; /* the opening bracket */
  syntax_skip_space (s);
  if (s->p < s->end && *s->p == close)
    {
      s->p++;
      s->depth--;
      return TRUE;
    }

  while (TRUE)
    {
      if (is_object)
        {
          const char *name = s->p + 1;

          if (s->p >= s->end || *s->p != '"')
            return syntax_fail (s, "expected a member name in double quotes");
          if (!syntax_string (s))
            return FALSE;
          s->member = name;
          s->member_len = s->p - 1 - name;
          syntax_skip_space (s);
          if (s->p >= s->end || *s->p != ':')
            return syntax_fail (s, "expected ':' after a member name");
          s->p++;
          syntax_skip_space (s);
        }

      if (!syntax_value (s))
        return FALSE;
      syntax_skip_space (s);

      if (s->p < s->end && *s->p == ',')
        {
          s->p++;
          syntax_skip_space (s);
          continue;
        }
      if (s->p < s->end && *s->p == close)
        {
          s->p++;
          s->depth--;
          s->member = outer_member;
          s->member_len = outer_member_len;
          return TRUE;
        }
      return syntax_fail (s, is_object ? "expected ',' or '}'" : "expected ',' or ']'");
    }
}

static gboolean
syntax_value (JsonSyntax *s)
{
  if (s->p >= s->end)
    return syntax_fail (s, "unexpected end of data, expected a value");

  switch (*s->p)
    {
    case '{':
      return syntax_container (s, '}', TRUE);
    case '[':
      return syntax_container (s, ']', FALSE);
    case '"':
      return syntax_string (s);
    case 't':
      return syntax_literal (s, "true");
    case 'f':
      return syntax_literal (s, "false");
    case 'n':
      return syntax_literal (s, "null");
    default:
      if (*s->p == '-' || g_ascii_isdigit (*s->p))
        return syntax_number (s);
      return syntax_fail (s, "unexpected character, expected a value");
    }
}

/* Sets a MALFORMED_JSON error naming the byte offset of the first problem. */
static gboolean
json_syntax_check (const char  *data,
                   gsize        len,
                   GError     **error)
{
  JsonSyntax s = { data, data, data + len, NULL, 0, NULL, 0, FALSE };

  syntax_skip_space (&s);
  if (s.p == s.end)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                           "Malformed JSON: the document is empty");
      return FALSE;
    }

  if (syntax_value (&s))
    {
      syntax_skip_space (&s);
      if (s.p == s.end)
        return TRUE;
      syntax_fail (&s, "unexpected data after the JSON value");
    }

  /* Well-formed JSON whose integer does not fit: the field's value is wrong, not the syntax. */
  if (s.out_of_range && s.member != NULL)
    {
      g_autofree char *field = g_strndup (s.member, s.member_len);

      g_propagate_error (error, fest_error_validation (field, "%s is out of range", field));
      return FALSE;
    }

  g_set_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
               "Malformed JSON at offset %" G_GSIZE_FORMAT ": %s",
               (gsize) (s.p - s.start), s.error);
  return FALSE;
}

JsonNode *
fest_json_parse (const char  *data,
                 gssize       length,
                 GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize len;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  if (data == NULL)
    data = "";
  len = length < 0 ? strlen (data) : (gsize) length;

  /* json-glib stops at an embedded NUL and may accept some invalid UTF-8 in strings: check the
   * whole buffer first so that what we store is always valid text. */
  if (!g_utf8_validate_len (data, len, NULL))
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                           "The request body is not valid UTF-8");
      return NULL;
    }

  if (!json_syntax_check (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, len, &local_error))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                   "Malformed JSON: %s", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                           "Malformed JSON: the document is empty");
      return NULL;
    }

  return json_parser_steal_root (parser);
}
