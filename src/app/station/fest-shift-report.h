/* fest-shift-report.h: the end-of-shift report of a station as PDF (cairo + pango)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
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
/* Printing: draws page @page (0-based; none if out of range) of the same report on @cr, in
 * points on an A4 page, and returns the number of pages. */
int      fest_shift_report_draw_page (const FestShiftSummary *summary,
                                      const char             *station_name,
                                      const char             *currency,
                                      gint64                  rate_cents,
                                      cairo_t                *cr,
                                      int                     page);
/* Where a kiosk saves its reports, no file chooser: <Documents>/Festivals/shift-reports, or
 * <user data>/festivals/shift-reports when there is no documents folder. */
char    *fest_shift_report_default_dir (void);

G_END_DECLS
