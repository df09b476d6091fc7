/* fest-cart-row.h: one line of the cashier's cart (product, quantity, line total)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FEST_TYPE_CART_ROW (fest_cart_row_get_type ())
G_DECLARE_FINAL_TYPE (FestCartRow, fest_cart_row, FEST, CART_ROW, GtkBox)

/* @line_total: the line's amount, formatted ("—" when it cannot be computed). */
GtkWidget  *fest_cart_row_new            (const char  *product_id,
                                          const char  *name,
                                          gint64       quantity,
                                          const char  *line_total);
const char *fest_cart_row_get_product_id (FestCartRow *self);

G_END_DECLS
