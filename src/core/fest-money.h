/* fest-money.h: money in the festival currency's minor units, VAT, exchange to EUR
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Amounts are gint64 minor units: 1/100 of a currency unit ("Jetons"), like cents. The exchange
 * rate is exact: integer euro-cents per currency unit. VAT rates are basis points (2000 = 20 %,
 * 550 = 5.5 %) and prices include VAT. Every operation checks for overflow and returns FALSE
 * instead of wrapping.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Largest amount the API accepts in one operation (10^12 minor units). */
#define FEST_MONEY_MAX_AMOUNT G_GINT64_CONSTANT (1000000000000)

gboolean fest_money_add           (gint64       a,
                                   gint64       b,
                                   gint64      *result);
gboolean fest_money_sub           (gint64       a,
                                   gint64       b,
                                   gint64      *result);
gboolean fest_money_mul           (gint64       a,
                                   gint64       b,
                                   gint64      *result);

/* EUR cents for @amount minor units at @rate_cents euro-cents per unit, rounded half up (away from
 * zero for negatives). */
gboolean fest_money_to_eur_cents  (gint64       amount,
                                   gint64       rate_cents,
                                   gint64      *eur_cents);

/* VAT included in a line: round-half-up(unit_price × quantity × rate / (1 + rate)).
 * @rate_bp is in basis points. */
gboolean fest_vat_line_amount     (gint64       unit_price,
                                   gint64       quantity,
                                   guint        rate_bp,
                                   gint64      *vat_amount);

/* Is it one of 2000, 1000, 550, 210 or 0? */
gboolean fest_vat_rate_is_valid   (guint        rate_bp);
/* 5.5 → 550; FALSE if not a multiple of 0.01 or out of range. */
gboolean fest_vat_rate_from_percent (double     percent,
                                     guint     *rate_bp);
double   fest_vat_rate_to_percent (guint        rate_bp);

/* Locale-aware: "12,50 Jetons" / "125 Jetons" (no decimals when whole) in French,
 * "12.50 Jetons" in English; thousands grouped by the locale. */
char    *fest_money_format        (gint64       amount,
                                   const char  *currency_name);
/* "12,50 €" in French, "€12.50" in English. */
char    *fest_money_format_eur    (gint64       eur_cents);
/* Parses "12,50", "12.50", "12" into minor units; FALSE on anything else or overflow. */
gboolean fest_money_parse         (const char  *text,
                                   gint64      *amount);

G_END_DECLS
