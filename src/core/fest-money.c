/* fest-money.c: money in minor units, VAT, exchange to EUR and locale-aware formatting
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <limits.h>
#include <locale.h>
#include <math.h>
#include <string.h>

#include "fest-money.h"

/* Largest rate fest_vat_line_amount computes with (1000 %); the API only uses the valid rates. */
#define VAT_RATE_MAX_BP 100000

gboolean
fest_money_add (gint64  a,
                gint64  b,
                gint64 *result)
{
  gint64 r;

  g_return_val_if_fail (result != NULL, FALSE);

  if (__builtin_add_overflow (a, b, &r))
    return FALSE;

  *result = r;
  return TRUE;
}

gboolean
fest_money_sub (gint64  a,
                gint64  b,
                gint64 *result)
{
  gint64 r;

  g_return_val_if_fail (result != NULL, FALSE);

  if (__builtin_sub_overflow (a, b, &r))
    return FALSE;

  *result = r;
  return TRUE;
}

gboolean
fest_money_mul (gint64  a,
                gint64  b,
                gint64 *result)
{
  gint64 r;

  g_return_val_if_fail (result != NULL, FALSE);

  if (__builtin_mul_overflow (a, b, &r))
    return FALSE;

  *result = r;
  return TRUE;
}

/* num / den rounded half away from zero, den > 0; FALSE if the result leaves gint64. */
static gboolean
divide_round_half_up (__int128  num,
                      __int128  den,
                      gint64   *result)
{
  __int128 q = num / den;
  __int128 r = num % den;

  g_assert (den > 0);

  /* C division truncates towards zero, so r has the sign of num. */
  if (r < 0)
    r = -r;
  if (2 * r >= den)
    q += num < 0 ? -1 : 1;

  if (q > G_MAXINT64 || q < G_MININT64)
    return FALSE;

  *result = (gint64) q;
  return TRUE;
}

gboolean
fest_money_to_eur_cents (gint64  amount,
                         gint64  rate_cents,
                         gint64 *eur_cents)
{
  g_return_val_if_fail (eur_cents != NULL, FALSE);

  if (rate_cents < 0)
    return FALSE;

  /* amount is in 1/100 units, rate in cents per unit: cents = amount × rate / 100. The product
   * of two gint64 always fits in 128 bits. */
  return divide_round_half_up ((__int128) amount * rate_cents, 100, eur_cents);
}

gboolean
fest_vat_line_amount (gint64  unit_price,
                      gint64  quantity,
                      guint   rate_bp,
                      gint64 *vat_amount)
{
  gint64 total;

  g_return_val_if_fail (vat_amount != NULL, FALSE);

  if (rate_bp > VAT_RATE_MAX_BP)
    return FALSE;

  /* The line total itself must be representable: it is what the customer pays. */
  if (__builtin_mul_overflow (unit_price, quantity, &total))
    return FALSE;

  /* VAT included in a price P at rate r: P × r / (1 + r) = P × bp / (10000 + bp). */
  return divide_round_half_up ((__int128) total * rate_bp, 10000 + (__int128) rate_bp, vat_amount);
}

gboolean
fest_vat_rate_is_valid (guint rate_bp)
{
  switch (rate_bp)
    {
    case 2000:
    case 1000:
    case 550:
    case 210:
    case 0:
      return TRUE;
    default:
      return FALSE;
    }
}

gboolean
fest_vat_rate_from_percent (double  percent,
                            guint  *rate_bp)
{
  double scaled;
  double rounded;

  g_return_val_if_fail (rate_bp != NULL, FALSE);

  if (!isfinite (percent) || percent < 0 || percent > 100)
    return FALSE;

  /* 5.5 is not exact in binary: accept what is a hundredth up to representation error. */
  scaled = percent * 100;
  rounded = round (scaled);
  if (fabs (scaled - rounded) > 1e-6)
    return FALSE;

  *rate_bp = (guint) rounded;
  return TRUE;
}

double
fest_vat_rate_to_percent (guint rate_bp)
{
  return rate_bp / 100.0;
}

/* Locale conventions for money, read from LC_MONETARY with LC_NUMERIC as a fallback (the C
 * locale leaves the monetary separators empty). */
typedef struct
{
  const char *decimal_point;
  const char *thousands_sep;
  const char *grouping;
} NumberFormat;

static void
number_format_from_locale (NumberFormat *format)
{
  const struct lconv *lc = localeconv ();

  format->decimal_point = lc->mon_decimal_point;
  format->thousands_sep = lc->mon_thousands_sep;
  format->grouping = lc->mon_grouping;

  if (format->decimal_point == NULL || format->decimal_point[0] == '\0')
    {
      format->decimal_point = lc->decimal_point;
      format->thousands_sep = lc->thousands_sep;
      format->grouping = lc->grouping;
    }

  if (format->decimal_point == NULL || format->decimal_point[0] == '\0')
    format->decimal_point = ".";
  if (format->thousands_sep == NULL)
    format->thousands_sep = "";
  if (format->grouping == NULL)
    format->grouping = "";
}

/* Appends the absolute value of @units with the locale's digit grouping. */
static void
append_grouped (GString            *out,
                guint64             units,
                const NumberFormat *format)
{
  char digits[32];
  gsize n_digits;
  gsize group_ends[32];
  gsize n_groups = 0;
  const char *grouping = format->grouping;
  gsize pos;
  guint size = 0;

  n_digits = g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, units);

  if (format->thousands_sep[0] != '\0')
    {
      /* Walk from the right: each grouping byte is a group size, the last one repeats, and
       * CHAR_MAX (or 0 at the start) means no more grouping. */
      pos = n_digits;
      while (TRUE)
        {
          if (*grouping != '\0')
            {
              if (*grouping == CHAR_MAX || *grouping <= 0)
                break;
              size = (guint) *grouping;
              grouping++;
            }
          else if (size == 0)
            {
              break;
            }

          if (pos <= size)
            break;
          pos -= size;
          group_ends[n_groups++] = pos;
        }
    }

  pos = 0;
  for (gsize g = n_groups; g > 0; g--)
    {
      g_string_append_len (out, digits + pos, group_ends[g - 1] - pos);
      g_string_append (out, format->thousands_sep);
      pos = group_ends[g - 1];
    }
  g_string_append (out, digits + pos);
}

static void
append_number (GString            *out,
               gint64              amount,
               gboolean            always_decimals,
               const NumberFormat *format)
{
  /* The absolute value of G_MININT64 does not fit in gint64 but does in guint64. */
  guint64 magnitude = amount < 0 ? -(guint64) amount : (guint64) amount;
  guint64 units = magnitude / 100;
  guint cents = magnitude % 100;

  append_grouped (out, units, format);
  if (always_decimals || cents != 0)
    g_string_append_printf (out, "%s%02u", format->decimal_point, cents);
}

char *
fest_money_format (gint64      amount,
                   const char *currency_name)
{
  NumberFormat format;
  GString *out = g_string_new (NULL);

  number_format_from_locale (&format);

  if (amount < 0)
    g_string_append_c (out, '-');
  append_number (out, amount, FALSE, &format);

  if (currency_name != NULL && currency_name[0] != '\0')
    {
      g_string_append_c (out, ' ');
      g_string_append (out, currency_name);
    }

  return g_string_free (out, FALSE);
}

char *
fest_money_format_eur (gint64 eur_cents)
{
  const struct lconv *lc = localeconv ();
  NumberFormat format;
  gboolean negative = eur_cents < 0;
  gboolean precedes;
  int sep_by_space;
  int sign_posn;
  const char *sign;
  g_autoptr(GString) value = g_string_new (NULL);
  GString *out = g_string_new (NULL);
  const char *symbol = "€";

  number_format_from_locale (&format);
  append_number (value, eur_cents, TRUE, &format);

  if (negative)
    {
      precedes = lc->n_cs_precedes;
      sep_by_space = lc->n_sep_by_space;
      sign_posn = lc->n_sign_posn;
      sign = lc->negative_sign != NULL && lc->negative_sign[0] != '\0' ? lc->negative_sign : "-";
    }
  else
    {
      precedes = lc->p_cs_precedes;
      sep_by_space = lc->p_sep_by_space;
      sign_posn = lc->p_sign_posn;
      sign = lc->positive_sign != NULL ? lc->positive_sign : "";
    }

  /* The C locale leaves these at CHAR_MAX: show "12.50 €" with a leading minus. */
  if (precedes == CHAR_MAX)
    precedes = FALSE;
  if (sep_by_space == CHAR_MAX)
    sep_by_space = 1;
  if (sign_posn == CHAR_MAX)
    sign_posn = 1;

  /* POSIX localeconv: sign_posn 0 parenthesises, 1 puts the sign before everything, 2 after
   * everything, 3 just before the symbol, 4 just after it. sep_by_space 1 separates the symbol
   * from the value, 2 the sign from the symbol when they are adjacent. */
  {
    g_autoptr(GString) symbol_part = g_string_new (NULL);
    g_autoptr(GString) body = g_string_new (NULL);

    if (sign_posn == 3)
      g_string_append_printf (symbol_part, "%s%s%s", sign, sep_by_space == 2 ? " " : "", symbol);
    else if (sign_posn == 4)
      g_string_append_printf (symbol_part, "%s%s%s", symbol, sep_by_space == 2 ? " " : "", sign);
    else
      g_string_append (symbol_part, symbol);

    if (precedes)
      g_string_append_printf (body, "%s%s%s", symbol_part->str, sep_by_space == 1 ? " " : "",
                              value->str);
    else
      g_string_append_printf (body, "%s%s%s", value->str, sep_by_space == 1 ? " " : "",
                              symbol_part->str);

    switch (sign_posn)
      {
      case 0:
        if (negative)
          g_string_append_printf (out, "(%s)", body->str);
        else
          g_string_append (out, body->str);
        break;
      case 2:
        g_string_append_printf (out, "%s%s", body->str, sign);
        break;
      case 3:
      case 4:
        g_string_append (out, body->str);
        break;
      case 1:
      default:
        g_string_append_printf (out, "%s%s", sign, body->str);
        break;
      }
  }

  return g_string_free (out, FALSE);
}

gboolean
fest_money_parse (const char *text,
                  gint64     *amount)
{
  const char *p;
  gint64 units = 0;
  gint64 cents = 0;
  gint64 result;
  guint n_int = 0;

  g_return_val_if_fail (amount != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  p = text;
  while (g_ascii_isspace (*p))
    p++;

  for (; g_ascii_isdigit (*p); p++, n_int++)
    {
      if (__builtin_mul_overflow (units, 10, &units) ||
          __builtin_add_overflow (units, *p - '0', &units))
        return FALSE;
    }

  if (n_int == 0)
    return FALSE;

  if (*p == '.' || *p == ',')
    {
      p++;
      if (!g_ascii_isdigit (p[0]))
        return FALSE;
      cents = (p[0] - '0') * 10;
      p++;
      if (g_ascii_isdigit (p[0]))
        {
          cents += p[0] - '0';
          p++;
        }
    }

  while (g_ascii_isspace (*p))
    p++;
  if (*p != '\0')
    return FALSE;

  if (__builtin_mul_overflow (units, 100, &result) ||
      __builtin_add_overflow (result, cents, &result))
    return FALSE;

  *amount = result;
  return TRUE;
}
