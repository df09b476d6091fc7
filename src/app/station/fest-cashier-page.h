/* fest-cashier-page.h: the cashier station page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_CASHIER_PAGE (fest_cashier_page_get_type ())
G_DECLARE_FINAL_TYPE (FestCashierPage, fest_cashier_page, FEST, CASHIER_PAGE, GtkBox)

FestCashierPage *fest_cashier_page_new         (FestStationContext *context);
/* A scanned wallet code: charges the cart (or shows the balance when the cart is empty). */
void             fest_cashier_page_handle_scan   (FestCashierPage   *self,
                                                  const char        *code);
/* The wallet code field: where a code typed outside any field goes. */
GtkEditable     *fest_cashier_page_get_code_entry (FestCashierPage  *self);
/* Is @widget (the focus) a product tile, or inside one? */
gboolean         fest_cashier_page_is_product    (FestCashierPage   *self,
                                                  GtkWidget         *widget);
/* Reloads the product grid from the store (after a sync). */
void             fest_cashier_page_reload        (FestCashierPage   *self);
/* Tests. */
void             fest_cashier_page_add_product   (FestCashierPage   *self,
                                                  const char        *product_id);
gint64           fest_cashier_page_get_total     (FestCashierPage   *self);
guint            fest_cashier_page_get_n_items   (FestCashierPage   *self);
/* The last message shown to the cashier (receipt or refusal). */
const char      *fest_cashier_page_get_message   (FestCashierPage   *self);
/* TRUE while an online charge waits for the server. */
gboolean         fest_cashier_page_get_charging  (FestCashierPage   *self);
/* Is "Cancel Last Sale" offered (sensitive)? */
gboolean         fest_cashier_page_get_can_cancel (FestCashierPage *self);
/* The last end-of-shift report saved by this page, NULL if none. */
const char      *fest_cashier_page_get_report_path (FestCashierPage *self);
/* As the "Cancel Last Sale" button. */
void             fest_cashier_page_cancel_last   (FestCashierPage   *self);
/* As the "Shift Report" button: saves the end-of-shift report, a new shift starts. */
void             fest_cashier_page_shift_report  (FestCashierPage   *self);

G_END_DECLS
