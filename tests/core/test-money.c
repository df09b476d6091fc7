/* test-money.c: overflow-checked arithmetic, VAT, EUR exchange, formatting and parsing
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>
#include <math.h>

#include "fest-core.h"

static void
test_add_sub_mul (void)
{
  gint64 r = 42;

  g_assert_true (fest_money_add (1250, 350, &r));
  g_assert_cmpint (r, ==, 1600);
  g_assert_true (fest_money_add (-500, 200, &r));
  g_assert_cmpint (r, ==, -300);
  g_assert_true (fest_money_sub (200, 500, &r));
  g_assert_cmpint (r, ==, -300);
  g_assert_true (fest_money_mul (450, 3, &r));
  g_assert_cmpint (r, ==, 1350);
  g_assert_true (fest_money_mul (-450, 3, &r));
  g_assert_cmpint (r, ==, -1350);

  /* Boundaries are reachable exactly, one step further is refused and *result untouched. */
  g_assert_true (fest_money_add (G_MAXINT64 - 1, 1, &r));
  g_assert_cmpint (r, ==, G_MAXINT64);
  r = 42;
  g_assert_false (fest_money_add (G_MAXINT64, 1, &r));
  g_assert_cmpint (r, ==, 42);
  g_assert_false (fest_money_add (G_MININT64, -1, &r));
  g_assert_true (fest_money_add (G_MININT64, G_MAXINT64, &r));
  g_assert_cmpint (r, ==, -1);

  g_assert_true (fest_money_sub (G_MININT64 + 1, 1, &r));
  g_assert_cmpint (r, ==, G_MININT64);
  r = 42;
  g_assert_false (fest_money_sub (G_MININT64, 1, &r));
  g_assert_cmpint (r, ==, 42);
  g_assert_false (fest_money_sub (0, G_MININT64, &r));
  g_assert_false (fest_money_sub (G_MAXINT64, -1, &r));

  g_assert_false (fest_money_mul (G_MAXINT64, 2, &r));
  g_assert_false (fest_money_mul (G_MININT64, -1, &r));
  g_assert_false (fest_money_mul (G_GINT64_CONSTANT (4294967296), G_GINT64_CONSTANT (4294967296), &r));
  g_assert_true (fest_money_mul (G_MININT64, 1, &r));
  g_assert_cmpint (r, ==, G_MININT64);
  g_assert_true (fest_money_mul (G_MAXINT64, -1, &r));
  g_assert_cmpint (r, ==, -G_MAXINT64);
}

static void
test_to_eur (void)
{
  gint64 eur = 7;

  /* Seed: 1 jeton = 0.10 EUR = 10 cents. 1250 minor units (12.50 jetons) = 125 cents. */
  g_assert_true (fest_money_to_eur_cents (1250, 10, &eur));
  g_assert_cmpint (eur, ==, 125);
  g_assert_true (fest_money_to_eur_cents (0, 10, &eur));
  g_assert_cmpint (eur, ==, 0);

  /* 5 minor units × 10 / 100 = 0.5 cent: half rounds up; 4 → 0.4 rounds down. */
  g_assert_true (fest_money_to_eur_cents (5, 10, &eur));
  g_assert_cmpint (eur, ==, 1);
  g_assert_true (fest_money_to_eur_cents (4, 10, &eur));
  g_assert_cmpint (eur, ==, 0);
  g_assert_true (fest_money_to_eur_cents (15, 10, &eur));
  g_assert_cmpint (eur, ==, 2);
  g_assert_true (fest_money_to_eur_cents (149, 1, &eur));
  g_assert_cmpint (eur, ==, 1);
  g_assert_true (fest_money_to_eur_cents (150, 1, &eur));
  g_assert_cmpint (eur, ==, 2);

  /* Negatives round half away from zero. */
  g_assert_true (fest_money_to_eur_cents (-5, 10, &eur));
  g_assert_cmpint (eur, ==, -1);
  g_assert_true (fest_money_to_eur_cents (-4, 10, &eur));
  g_assert_cmpint (eur, ==, 0);
  g_assert_true (fest_money_to_eur_cents (-150, 1, &eur));
  g_assert_cmpint (eur, ==, -2);
  g_assert_true (fest_money_to_eur_cents (-1250, 10, &eur));
  g_assert_cmpint (eur, ==, -125);

  /* No intermediate overflow: G_MAXINT64 × 10 does not fit in 64 bits but the result does. */
  g_assert_true (fest_money_to_eur_cents (G_MAXINT64, 10, &eur));
  g_assert_cmpint (eur, ==, G_MAXINT64 / 10 + 1); /* ...807 / 10 = ...80.7, rounds up */
  g_assert_true (fest_money_to_eur_cents (G_MININT64, 10, &eur));
  g_assert_cmpint (eur, ==, G_MININT64 / 10 - 1);
  g_assert_true (fest_money_to_eur_cents (G_MAXINT64, 100, &eur));
  g_assert_cmpint (eur, ==, G_MAXINT64);

  /* A result beyond gint64 is refused, and so is a negative rate. */
  eur = 7;
  g_assert_false (fest_money_to_eur_cents (G_MAXINT64, 101, &eur));
  g_assert_false (fest_money_to_eur_cents (G_MININT64, 1000, &eur));
  g_assert_false (fest_money_to_eur_cents (100, -1, &eur));
  g_assert_cmpint (eur, ==, 7);
}

static void
test_vat (void)
{
  gint64 vat = 7;

  /* 450 × 3 = 1350 at 20 %: 1350 × 2000 / 12000 = 225 exactly. */
  g_assert_true (fest_vat_line_amount (450, 3, 2000, &vat));
  g_assert_cmpint (vat, ==, 225);
  /* At 10 %: 1350 × 1000 / 11000 = 122.727 → 123. */
  g_assert_true (fest_vat_line_amount (450, 3, 1000, &vat));
  g_assert_cmpint (vat, ==, 123);
  /* At 5.5 %: 1350 × 550 / 10550 = 70.379 → 70. */
  g_assert_true (fest_vat_line_amount (450, 3, 550, &vat));
  g_assert_cmpint (vat, ==, 70);
  /* At 2.1 %: 1350 × 210 / 10210 = 27.767 → 28. */
  g_assert_true (fest_vat_line_amount (450, 3, 210, &vat));
  g_assert_cmpint (vat, ==, 28);
  g_assert_true (fest_vat_line_amount (450, 3, 0, &vat));
  g_assert_cmpint (vat, ==, 0);

  /* Exactly half rounds up: 3 × 2000 / 12000 = 0.5 → 1, 9 × 2000 / 12000 = 1.5 → 2. */
  g_assert_true (fest_vat_line_amount (3, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, 1);
  g_assert_true (fest_vat_line_amount (9, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, 2);
  g_assert_true (fest_vat_line_amount (2, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, 0); /* 0.333 */
  g_assert_true (fest_vat_line_amount (1055, 1, 550, &vat));
  g_assert_cmpint (vat, ==, 55);
  /* 10210 × 210 / 10210 = 210 exactly; 5105 → 105; 2.1 % of 1 cent stays 0. */
  g_assert_true (fest_vat_line_amount (5105, 2, 210, &vat));
  g_assert_cmpint (vat, ==, 210);
  g_assert_true (fest_vat_line_amount (1, 1, 210, &vat));
  g_assert_cmpint (vat, ==, 0);

  /* Negative lines (refunds) round half away from zero. */
  g_assert_true (fest_vat_line_amount (-3, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, -1);
  g_assert_true (fest_vat_line_amount (450, -3, 1000, &vat));
  g_assert_cmpint (vat, ==, -123);

  /* A line total beyond gint64 is refused; a huge but representable one is computed exactly. */
  vat = 7;
  g_assert_false (fest_vat_line_amount (G_MAXINT64, 2, 2000, &vat));
  g_assert_cmpint (vat, ==, 7);
  g_assert_true (fest_vat_line_amount (G_MAXINT64, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, G_MAXINT64 / 6); /* ...301.17 rounds down */
  g_assert_true (fest_vat_line_amount (G_MININT64, 1, 2000, &vat));
  g_assert_cmpint (vat, ==, G_MININT64 / 6); /* -...301.33 rounds towards zero */
}

static void
test_vat_rates (void)
{
  guint bp = 7;
  const guint valid[] = { 2000, 1000, 550, 210, 0 };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (fest_vat_rate_is_valid (valid[i]));
  g_assert_false (fest_vat_rate_is_valid (1));
  g_assert_false (fest_vat_rate_is_valid (500));
  g_assert_false (fest_vat_rate_is_valid (1960));
  g_assert_false (fest_vat_rate_is_valid (G_MAXUINT));

  g_assert_true (fest_vat_rate_from_percent (5.5, &bp));
  g_assert_cmpuint (bp, ==, 550);
  g_assert_true (fest_vat_rate_from_percent (2.1, &bp));
  g_assert_cmpuint (bp, ==, 210);
  g_assert_true (fest_vat_rate_from_percent (20, &bp));
  g_assert_cmpuint (bp, ==, 2000);
  g_assert_true (fest_vat_rate_from_percent (0, &bp));
  g_assert_cmpuint (bp, ==, 0);
  g_assert_true (fest_vat_rate_from_percent (19.6, &bp));
  g_assert_cmpuint (bp, ==, 1960);

  bp = 7;
  g_assert_false (fest_vat_rate_from_percent (5.555, &bp));
  g_assert_false (fest_vat_rate_from_percent (-1, &bp));
  g_assert_false (fest_vat_rate_from_percent (100.01, &bp));
  g_assert_false (fest_vat_rate_from_percent (NAN, &bp));
  g_assert_false (fest_vat_rate_from_percent (INFINITY, &bp));
  g_assert_cmpuint (bp, ==, 7);

  g_assert_cmpfloat (fest_vat_rate_to_percent (550), ==, 5.5);
  g_assert_cmpfloat (fest_vat_rate_to_percent (210), ==, 2.1);
  g_assert_cmpfloat (fest_vat_rate_to_percent (2000), ==, 20.0);

  /* The percent the API shows converts back to the same rate. */
  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_assert_true (fest_vat_rate_from_percent (fest_vat_rate_to_percent (valid[i]), &bp));
      g_assert_cmpuint (bp, ==, valid[i]);
    }
}

#define NNBSP "\u202f"

static void
check_format (gint64      amount,
              const char *currency,
              const char *expected)
{
  g_autofree char *text = fest_money_format (amount, currency);

  g_assert_cmpstr (text, ==, expected);
}

static void
check_format_eur (gint64      cents,
                  const char *expected)
{
  g_autofree char *text = fest_money_format_eur (cents);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_format_fr (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  g_assert_nonnull (setlocale (LC_ALL, "fr_FR.UTF-8"));

  check_format (1250, "Jetons", "12,50 Jetons");
  check_format (12500, "Jetons", "125 Jetons");
  check_format (125000, "Jetons", "1" NNBSP "250 Jetons");
  check_format (125050, "Jetons", "1" NNBSP "250,50 Jetons");
  check_format (5, "Jetons", "0,05 Jetons");
  check_format (0, "Jetons", "0 Jetons");
  check_format (-1250, "Jetons", "-12,50 Jetons");
  check_format (123456789000, "Jetons", "1" NNBSP "234" NNBSP "567" NNBSP "890 Jetons");
  check_format (G_MININT64, "Jetons",
                "-92" NNBSP "233" NNBSP "720" NNBSP "368" NNBSP "547" NNBSP "758,08 Jetons");

  check_format_eur (1250, "12,50 €");
  check_format_eur (1200, "12,00 €");
  check_format_eur (5, "0,05 €");
  check_format_eur (125000, "1" NNBSP "250,00 €");
  check_format_eur (-1250, "-12,50 €");

  setlocale (LC_ALL, saved);
}

static void
test_format_en (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  g_assert_nonnull (setlocale (LC_ALL, "en_US.UTF-8"));

  check_format (1250, "Jetons", "12.50 Jetons");
  check_format (12500, "Jetons", "125 Jetons");
  check_format (125000, "Jetons", "1,250 Jetons");
  check_format (123456789012, "Jetons", "1,234,567,890.12 Jetons");
  check_format (-5, "Jetons", "-0.05 Jetons");
  check_format (999, NULL, "9.99");

  check_format_eur (1250, "€12.50");
  check_format_eur (1200, "€12.00");
  check_format_eur (125000, "€1,250.00");
  check_format_eur (-1250, "-€12.50");

  setlocale (LC_ALL, saved);
}

static void
test_format_c (void)
{
  g_autofree char *saved = g_strdup (setlocale (LC_ALL, NULL));

  g_assert_nonnull (setlocale (LC_ALL, "C"));

  check_format (125050, "Jetons", "1250.50 Jetons");
  check_format_eur (1250, "12.50 €");
  check_format_eur (-1250, "-12.50 €");

  setlocale (LC_ALL, saved);
}

static void
test_parse (void)
{
  gint64 amount = 7;
  const char *bad[] = {
    "", " ", "abc", "12,", "12.", ",50", ".5", "12,505", "12.5.0", "1 250", "12€", "-12",
    "+12", "12,50 Jetons", "0x10", "1e3", "92233720368547759", "99999999999999999999",
  };

  g_assert_true (fest_money_parse ("12,50", &amount));
  g_assert_cmpint (amount, ==, 1250);
  g_assert_true (fest_money_parse ("12.50", &amount));
  g_assert_cmpint (amount, ==, 1250);
  g_assert_true (fest_money_parse ("12", &amount));
  g_assert_cmpint (amount, ==, 1200);
  g_assert_true (fest_money_parse ("12,5", &amount));
  g_assert_cmpint (amount, ==, 1250);
  g_assert_true (fest_money_parse ("0.05", &amount));
  g_assert_cmpint (amount, ==, 5);
  g_assert_true (fest_money_parse (" 7 ", &amount));
  g_assert_cmpint (amount, ==, 700);
  g_assert_true (fest_money_parse ("0", &amount));
  g_assert_cmpint (amount, ==, 0);
  /* The largest amount that fits: 92233720368547758.07. */
  g_assert_true (fest_money_parse ("92233720368547758.07", &amount));
  g_assert_cmpint (amount, ==, G_MAXINT64);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      amount = 7;
      if (fest_money_parse (bad[i], &amount))
        g_error ("\"%s\" parsed as %" G_GINT64_FORMAT, bad[i], amount);
      g_assert_cmpint (amount, ==, 7);
    }
  g_assert_false (fest_money_parse ("92233720368547758.08", &amount));
  g_assert_false (fest_money_parse (NULL, &amount));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/money/add-sub-mul", test_add_sub_mul);
  g_test_add_func ("/fest/money/to-eur", test_to_eur);
  g_test_add_func ("/fest/money/vat", test_vat);
  g_test_add_func ("/fest/money/vat-rates", test_vat_rates);
  g_test_add_func ("/fest/money/format-fr", test_format_fr);
  g_test_add_func ("/fest/money/format-en", test_format_en);
  g_test_add_func ("/fest/money/format-c", test_format_c);
  g_test_add_func ("/fest/money/parse", test_parse);

  return g_test_run ();
}
