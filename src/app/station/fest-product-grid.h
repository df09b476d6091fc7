/* fest-product-grid.h: the cashier's product tiles, filtered by category
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_PRODUCT_GRID (fest_product_grid_get_type ())
G_DECLARE_FINAL_TYPE (FestProductGrid, fest_product_grid, FEST, PRODUCT_GRID, GtkBox)

GtkWidget *fest_product_grid_new      (FestStationContext *context);
/* The stand's products as the store has them now (stock, prices, categories). */
void       fest_product_grid_reload   (FestProductGrid    *self);
/* Is @widget (the focus) a product tile, or inside one? */
gboolean   fest_product_grid_contains (FestProductGrid    *self,
                                       GtkWidget          *widget);

G_END_DECLS
