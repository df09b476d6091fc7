/* fest-stands-dialogs.h: the New/Edit Stand and New/Edit Product dialogs of the Stands page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-form-dialog.h"
#include "fest-product.h"
#include "fest-stand.h"

G_BEGIN_DECLS

/* POST /stands, or PATCH /stands/{id} for @stand (nullable). A new stand with a zone sits at
 * @festival's location (nullable) until placed on the map. Not presented yet; "saved" says it
 * was, with the message to show in its "fest-saved-message" data. */
FestFormDialog *fest_stand_dialog_new   (GtkWidget   *parent,
                                         FestClient  *client,
                                         FestStand   *stand,
                                         JsonObject  *festival);
/* POST /products, or PATCH /products/{id} for @product (nullable), sold at one of @stands
 * (FestStand items; @stand_id preselected for a new product); prices in @currency. */
FestFormDialog *fest_product_dialog_new (GtkWidget   *parent,
                                         FestClient  *client,
                                         FestProduct *product,
                                         GListModel  *stands,
                                         const char  *stand_id,
                                         const char  *currency);

G_END_DECLS
