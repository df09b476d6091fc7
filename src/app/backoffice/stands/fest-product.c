/* fest-product.c: a product sold at a stand, as the Stands page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-money.h"
#include "fest-page-util.h"
#include "fest-product.h"

struct _FestProduct
{
  GObject parent_instance;

  char *id;
  char *stand_id;
  char *name;
  gint64 price;
  double vat_rate;
  char *category;
  gint64 stock;
  gboolean is_active;
  char *active_text;
  char *price_text;
  char *vat_text;
  char *stock_text;
};

G_DEFINE_FINAL_TYPE (FestProduct, fest_product, G_TYPE_OBJECT)

enum {
  PRODUCT_PROP_0,
  PRODUCT_PROP_ID,
  PRODUCT_PROP_STAND_ID,
  PRODUCT_PROP_NAME,
  PRODUCT_PROP_PRICE,
  PRODUCT_PROP_VAT_RATE,
  PRODUCT_PROP_CATEGORY,
  PRODUCT_PROP_STOCK,
  PRODUCT_PROP_IS_ACTIVE,
  PRODUCT_PROP_ACTIVE_TEXT,
  PRODUCT_PROP_PRICE_TEXT,
  PRODUCT_PROP_VAT_TEXT,
  PRODUCT_PROP_STOCK_TEXT,
  N_PRODUCT_PROPS
};

static GParamSpec *product_properties[N_PRODUCT_PROPS];

static void
fest_product_finalize (GObject *object)
{
  FestProduct *self = FEST_PRODUCT (object);

  g_free (self->id);
  g_free (self->stand_id);
  g_free (self->name);
  g_free (self->category);
  g_free (self->active_text);
  g_free (self->price_text);
  g_free (self->vat_text);
  g_free (self->stock_text);

  G_OBJECT_CLASS (fest_product_parent_class)->finalize (object);
}

static void
fest_product_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FestProduct *self = FEST_PRODUCT (object);

  switch (prop_id)
    {
    case PRODUCT_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PRODUCT_PROP_STAND_ID:
      g_value_set_string (value, self->stand_id);
      break;
    case PRODUCT_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PRODUCT_PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case PRODUCT_PROP_VAT_RATE:
      g_value_set_double (value, self->vat_rate);
      break;
    case PRODUCT_PROP_CATEGORY:
      g_value_set_string (value, self->category);
      break;
    case PRODUCT_PROP_STOCK:
      g_value_set_int64 (value, self->stock);
      break;
    case PRODUCT_PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->is_active);
      break;
    case PRODUCT_PROP_ACTIVE_TEXT:
      g_value_set_string (value, self->active_text);
      break;
    case PRODUCT_PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;
    case PRODUCT_PROP_VAT_TEXT:
      g_value_set_string (value, self->vat_text);
      break;
    case PRODUCT_PROP_STOCK_TEXT:
      g_value_set_string (value, self->stock_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_product_class_init (FestProductClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_product_finalize;
  object_class->get_property = fest_product_get_property;

  product_properties[PRODUCT_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_STAND_ID] =
    g_param_spec_string ("stand-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_VAT_RATE] =
    g_param_spec_double ("vat-rate", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_CATEGORY] =
    g_param_spec_string ("category", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_STOCK] =
    g_param_spec_int64 ("stock", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_ACTIVE_TEXT] =
    g_param_spec_string ("active-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_VAT_TEXT] =
    g_param_spec_string ("vat-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  product_properties[PRODUCT_PROP_STOCK_TEXT] =
    g_param_spec_string ("stock-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PRODUCT_PROPS, product_properties);
}

static void
fest_product_init (FestProduct *self)
{
}

static void
fest_product_fill_from_json (FestProduct *self,
                            JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->stand_id = g_strdup (fest_page_json_string (object, "stand_id"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
  self->price = fest_page_json_int (object, "price", 0);
  self->vat_rate = fest_page_json_double (object, "vat_rate", 0);
  self->category = g_strdup (fest_page_json_string (object, "category"));
  self->is_active = fest_page_json_bool (object, "is_active", FALSE);
}

const char *
fest_product_get_id (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->id;
}

const char *
fest_product_get_stand_id (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->stand_id;
}

const char *
fest_product_get_name (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->name;
}

gint64
fest_product_get_price (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), 0);

  return self->price;
}

double
fest_product_get_vat_rate (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), 0);

  return self->vat_rate;
}

const char *
fest_product_get_category (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->category;
}

gint64
fest_product_get_stock (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), 0);

  return self->stock;
}

gboolean
fest_product_get_is_active (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), FALSE);

  return self->is_active;
}

const char *
fest_product_get_active_text (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->active_text;
}

const char *
fest_product_get_price_text (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->price_text;
}

const char *
fest_product_get_vat_text (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->vat_text;
}

const char *
fest_product_get_stock_text (FestProduct *self)
{
  g_return_val_if_fail (FEST_IS_PRODUCT (self), NULL);

  return self->stock_text;
}

FestProduct *
fest_product_new_from_json (JsonObject *object,
                            const char *currency_name)
{
  FestProduct *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_PRODUCT, NULL);
  fest_product_fill_from_json (self, object);
  self->is_active = fest_page_json_bool (object, "is_active", TRUE);
  self->stock = fest_page_json_is_null (object, "stock") ? -1 : fest_page_json_int (object, "stock", 0);
  self->active_text = g_strdup (self->is_active ? _("On sale") : _("Not on sale"));

  self->price_text = fest_money_format (self->price, currency_name != NULL ? currency_name : "");
  /* Translators: a VAT rate, "5.5 %" */
  self->vat_text = g_strdup_printf (_("%g %%"), self->vat_rate);
  if (self->stock < 0)
    self->stock_text = g_strdup (_("Unlimited"));
  else
    self->stock_text = g_strdup_printf ("%" G_GINT64_FORMAT, self->stock);

  return self;
}
