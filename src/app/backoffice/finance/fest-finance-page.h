/* fest-finance-page.h: the Finance page (reports per period, CSV exports, day closures, shifts)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_FINANCE_PAGE (fest_finance_page_get_type ())
G_DECLARE_FINAL_TYPE (FestFinancePage, fest_finance_page, FEST, FINANCE_PAGE, FestPage)

/* Actions (group "finance"):
 *   finance.reload, finance.set-period "(ss)" (from, to: dates or RFC 3339, "" for open),
 *   finance.set-group "s" (stand, product, hour, vat_rate: the table shown),
 *   finance.export-csv "s" ("csv" or "csv-excel-fr": the table shown; "lines-csv",
 *   "lines-csv-excel-fr": every ledger line of the period; a save dialog), finance.export-pdf,
 *   finance.close-day "s" (a date: confirmation, then POST /closures). */
GtkWidget  *fest_finance_page_new           (FestClient      *client);

/* Shown text of a headline figure: "revenue", "vat", "recharges", "float", "refunds",
 * "overdrawn". For tests and screen readers. */
const char *fest_finance_page_get_figure    (FestFinancePage *self,
                                             const char      *name);
/* The table's rows (the current grouping) and a row's label and amount. */
guint       fest_finance_page_get_n_rows    (FestFinancePage *self);
const char *fest_finance_page_get_row_label (FestFinancePage *self,
                                             guint            position);
gint64      fest_finance_page_get_row_amount (FestFinancePage *self,
                                              guint            position);
/* The bars of the revenue-per-hour chart. */
guint       fest_finance_page_get_n_hours   (FestFinancePage *self);
/* Writes the export of @profile (as finance.export-csv's) to @file; a toast says
 * how it went. */
void        fest_finance_page_export_csv_to (FestFinancePage *self,
                                             const char      *profile,
                                             GFile           *file);
/* Writes the PDF report (fest-finance-pdf.h) of what the page shows to @file; a toast says how it
 * went. */
void        fest_finance_page_export_pdf_to (FestFinancePage *self,
                                             GFile           *file);
/* POSTs the closure of @date without asking (what the confirmation's "Close" does). */
void        fest_finance_page_close_day_now (FestFinancePage *self,
                                             const char      *date);
/* The server's message when the last closure was refused (e.g. already closed), else NULL. */
const char *fest_finance_page_get_refusal   (FestFinancePage *self);
/* Shows the detail of the closure at @position of the list (newest first) in a dialog with
 * selectable text, as activating its row does; returns the dialog (NULL: no such closure). */
GtkWidget  *fest_finance_page_show_closure  (FestFinancePage *self,
                                             guint            position);
/* The closures listed (newest first). */
guint       fest_finance_page_get_n_closures (FestFinancePage *self);

G_END_DECLS
