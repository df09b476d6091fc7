/* fest-finance-row.h: one row of a sales report (a stand, product, hour or VAT rate)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FEST_TYPE_FINANCE_ROW (fest_finance_row_get_type ())
G_DECLARE_FINAL_TYPE (FestFinanceRow, fest_finance_row, FEST, FINANCE_ROW, GObject)

/* From a row of GET /reports/sales: "label" (the key when empty), "quantity", "amount",
 * "vat_amount", "amount_eur_cents" become the properties of the same names. */
FestFinanceRow *fest_finance_row_new_from_json (JsonObject     *object);
const char     *fest_finance_row_get_label     (FestFinanceRow *self);
gint64          fest_finance_row_get_amount    (FestFinanceRow *self);

G_END_DECLS
