/* fest-product.h: a product sold at a stand, as the Stands page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A product sold at a stand. Built from the API's JSON (DESIGN §5 resource fields), with read-only
 * properties for GtkExpression lookups in the page's column views and ready-to-show "-text"
 * properties formatted for the locale. */
#define FEST_TYPE_PRODUCT (fest_product_get_type ())
G_DECLARE_FINAL_TYPE (FestProduct, fest_product, FEST, PRODUCT, GObject)

FestProduct *fest_product_new_from_json   (JsonObject *object,
                                           const char *currency_name);
const char  *fest_product_get_id          (FestProduct *self);
const char  *fest_product_get_stand_id    (FestProduct *self);
const char  *fest_product_get_name        (FestProduct *self);
gint64       fest_product_get_price       (FestProduct *self);
double       fest_product_get_vat_rate    (FestProduct *self);
const char  *fest_product_get_category    (FestProduct *self);
gint64       fest_product_get_stock       (FestProduct *self);
gboolean     fest_product_get_is_active   (FestProduct *self);
const char  *fest_product_get_active_text (FestProduct *self);
const char  *fest_product_get_price_text  (FestProduct *self);
const char  *fest_product_get_vat_text    (FestProduct *self);
const char  *fest_product_get_stock_text  (FestProduct *self);

G_END_DECLS
