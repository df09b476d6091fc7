/* fest-stands-page.h: the Stands & products page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_STANDS_PAGE (fest_stands_page_get_type ())
G_DECLARE_FINAL_TYPE (FestStandsPage, fest_stands_page, FEST, STANDS_PAGE, FestPage)

GtkWidget  *fest_stands_page_new           (FestClient     *client);
/* Fetches the festival's currency, stands and products again. */
void        fest_stands_page_reload        (FestStandsPage *self);

/* For tests and the window: "loading", "error", "empty" or "content". */
const char *fest_stands_page_get_state     (FestStandsPage *self);
/* Every stand (FestStand) and every product (FestProduct), unfiltered. */
GListModel *fest_stands_page_get_stands    (FestStandsPage *self);
GListModel *fest_stands_page_get_products  (FestStandsPage *self);
/* Selects the stand / product with that id in the lists; FALSE if it is not shown. */
gboolean    fest_stands_page_select_stand  (FestStandsPage *self,
                                            const char     *stand_id);
gboolean    fest_stands_page_select_product (FestStandsPage *self,
                                             const char     *product_id);

G_END_DECLS
