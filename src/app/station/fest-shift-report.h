/* fest-shift-report.h: the end-of-shift report of a station as PDF (cairo + pango)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "fest-station-store.h"

G_BEGIN_DECLS

/* Writes an A4 PDF: station, period, sales per product, totals, VAT per rate, recharges.
 * @currency: the festival's currency name; @rate_cents: euro-cents per unit (0 = unknown). */
gboolean fest_shift_report_write_pdf (const FestShiftSummary *summary,
                                      const char             *station_name,
                                      const char             *currency,
                                      gint64                  rate_cents,
                                      const char             *path,
                                      GError                **error);

G_END_DECLS
