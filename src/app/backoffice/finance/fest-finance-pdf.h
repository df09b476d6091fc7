/* fest-finance-pdf.h: the Finance page's report as PDF (A4, numbered pages)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  const char *title;   /* "Revenue" */
  const char *value;   /* as shown: "54 Jetons (€5.40)" */
} FestFinancePdfFigure;

typedef struct
{
  const char *title;   /* "Sales per stand" */
  JsonArray  *rows;    /* GET /reports/sales's rows: label (or key), quantity, amount,
                        * vat_amount, amount_eur_cents */
} FestFinancePdfTable;

/* Writes the report to @path: a header with @festival_name, @period and @generated (shown in
 * the local zone), the headline @figures, then each table (amounts in @currency_name and EUR),
 * flowing over as many A4 pages as needed, each numbered "Page N of M". */
gboolean fest_finance_pdf_write (const char                 *path,
                                 const char                 *festival_name,
                                 const char                 *period,
                                 GDateTime                  *generated,
                                 const char                 *currency_name,
                                 const FestFinancePdfFigure *figures,
                                 guint                       n_figures,
                                 const FestFinancePdfTable  *tables,
                                 guint                       n_tables,
                                 GError                    **error);

G_END_DECLS
