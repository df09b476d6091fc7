/* fest-models.c: the GObjects the back-office pages list (stands, products, tickets, team, audit)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-money.h"
#include "fest-role.h"
#include "fest-page-util.h"
#include "fest-audit-format.h"
#include "fest-models.h"

struct _FestStand
{
  GObject parent_instance;

  char *id;
  char *name;
  char *stand_type;
  char *zone;
  double lat;
  double lng;
  gboolean has_location;
  gboolean is_active;
  char *type_label;
  char *active_text;
  gint64 product_count;
};

G_DEFINE_FINAL_TYPE (FestStand, fest_stand, G_TYPE_OBJECT)

enum {
  STAND_PROP_0,
  STAND_PROP_ID,
  STAND_PROP_NAME,
  STAND_PROP_STAND_TYPE,
  STAND_PROP_ZONE,
  STAND_PROP_LAT,
  STAND_PROP_LNG,
  STAND_PROP_HAS_LOCATION,
  STAND_PROP_IS_ACTIVE,
  STAND_PROP_TYPE_LABEL,
  STAND_PROP_ACTIVE_TEXT,
  STAND_PROP_PRODUCT_COUNT,
  N_STAND_PROPS
};

static GParamSpec *stand_properties[N_STAND_PROPS];

static void
fest_stand_finalize (GObject *object)
{
  FestStand *self = FEST_STAND (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->stand_type);
  g_free (self->zone);
  g_free (self->type_label);
  g_free (self->active_text);

  G_OBJECT_CLASS (fest_stand_parent_class)->finalize (object);
}

static void
fest_stand_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  FestStand *self = FEST_STAND (object);

  switch (prop_id)
    {
    case STAND_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case STAND_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case STAND_PROP_STAND_TYPE:
      g_value_set_string (value, self->stand_type);
      break;
    case STAND_PROP_ZONE:
      g_value_set_string (value, self->zone);
      break;
    case STAND_PROP_LAT:
      g_value_set_double (value, self->lat);
      break;
    case STAND_PROP_LNG:
      g_value_set_double (value, self->lng);
      break;
    case STAND_PROP_HAS_LOCATION:
      g_value_set_boolean (value, self->has_location);
      break;
    case STAND_PROP_IS_ACTIVE:
      g_value_set_boolean (value, self->is_active);
      break;
    case STAND_PROP_TYPE_LABEL:
      g_value_set_string (value, self->type_label);
      break;
    case STAND_PROP_ACTIVE_TEXT:
      g_value_set_string (value, self->active_text);
      break;
    case STAND_PROP_PRODUCT_COUNT:
      g_value_set_int64 (value, self->product_count);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_stand_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  FestStand *self = FEST_STAND (object);

  switch (prop_id)
    {
    case STAND_PROP_PRODUCT_COUNT:
      fest_stand_set_product_count (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_stand_class_init (FestStandClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_stand_finalize;
  object_class->get_property = fest_stand_get_property;
  object_class->set_property = fest_stand_set_property;

  stand_properties[STAND_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_STAND_TYPE] =
    g_param_spec_string ("stand-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_ZONE] =
    g_param_spec_string ("zone", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_LAT] =
    g_param_spec_double ("lat", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_LNG] =
    g_param_spec_double ("lng", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_HAS_LOCATION] =
    g_param_spec_boolean ("has-location", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_IS_ACTIVE] =
    g_param_spec_boolean ("is-active", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_TYPE_LABEL] =
    g_param_spec_string ("type-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_ACTIVE_TEXT] =
    g_param_spec_string ("active-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  stand_properties[STAND_PROP_PRODUCT_COUNT] =
    g_param_spec_int64 ("product-count", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_STAND_PROPS, stand_properties);
}

static void
fest_stand_init (FestStand *self)
{
}

static void
fest_stand_fill_from_json (FestStand *self,
                          JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
  self->stand_type = g_strdup (fest_page_json_string (object, "type"));
  self->is_active = fest_page_json_bool (object, "is_active", FALSE);
}

const char *
fest_stand_get_id (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->id;
}

const char *
fest_stand_get_name (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->name;
}

const char *
fest_stand_get_stand_type (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->stand_type;
}

const char *
fest_stand_get_zone (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->zone;
}

double
fest_stand_get_lat (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), 0);

  return self->lat;
}

double
fest_stand_get_lng (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), 0);

  return self->lng;
}

gboolean
fest_stand_get_has_location (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), FALSE);

  return self->has_location;
}

gboolean
fest_stand_get_is_active (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), FALSE);

  return self->is_active;
}

const char *
fest_stand_get_type_label (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->type_label;
}

const char *
fest_stand_get_active_text (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), NULL);

  return self->active_text;
}

gint64
fest_stand_get_product_count (FestStand *self)
{
  g_return_val_if_fail (FEST_IS_STAND (self), 0);

  return self->product_count;
}

void
fest_stand_set_product_count (FestStand *self,
                             gint64 value)
{
  g_return_if_fail (FEST_IS_STAND (self));

  if (self->product_count == value)
    return;

  self->product_count = value;
  g_object_notify_by_pspec (G_OBJECT (self), stand_properties[STAND_PROP_PRODUCT_COUNT]);
}

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

struct _FestTicketType
{
  GObject parent_instance;

  char *id;
  char *name;
  char *code;
  gint64 price;
  gint64 quota;
  gint64 issued;
  char *valid_from;
  char *valid_until;
  gboolean reentry_allowed;
  char *reentry_text;
  char *price_text;
  char *quota_text;
  char *validity_text;
};

G_DEFINE_FINAL_TYPE (FestTicketType, fest_ticket_type, G_TYPE_OBJECT)

enum {
  TICKET_TYPE_PROP_0,
  TICKET_TYPE_PROP_ID,
  TICKET_TYPE_PROP_NAME,
  TICKET_TYPE_PROP_CODE,
  TICKET_TYPE_PROP_PRICE,
  TICKET_TYPE_PROP_QUOTA,
  TICKET_TYPE_PROP_ISSUED,
  TICKET_TYPE_PROP_VALID_FROM,
  TICKET_TYPE_PROP_VALID_UNTIL,
  TICKET_TYPE_PROP_REENTRY_ALLOWED,
  TICKET_TYPE_PROP_REENTRY_TEXT,
  TICKET_TYPE_PROP_PRICE_TEXT,
  TICKET_TYPE_PROP_QUOTA_TEXT,
  TICKET_TYPE_PROP_VALIDITY_TEXT,
  N_TICKET_TYPE_PROPS
};

static GParamSpec *ticket_type_properties[N_TICKET_TYPE_PROPS];

static void
fest_ticket_type_finalize (GObject *object)
{
  FestTicketType *self = FEST_TICKET_TYPE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->code);
  g_free (self->valid_from);
  g_free (self->valid_until);
  g_free (self->reentry_text);
  g_free (self->price_text);
  g_free (self->quota_text);
  g_free (self->validity_text);

  G_OBJECT_CLASS (fest_ticket_type_parent_class)->finalize (object);
}

static void
fest_ticket_type_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FestTicketType *self = FEST_TICKET_TYPE (object);

  switch (prop_id)
    {
    case TICKET_TYPE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case TICKET_TYPE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case TICKET_TYPE_PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case TICKET_TYPE_PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case TICKET_TYPE_PROP_QUOTA:
      g_value_set_int64 (value, self->quota);
      break;
    case TICKET_TYPE_PROP_ISSUED:
      g_value_set_int64 (value, self->issued);
      break;
    case TICKET_TYPE_PROP_VALID_FROM:
      g_value_set_string (value, self->valid_from);
      break;
    case TICKET_TYPE_PROP_VALID_UNTIL:
      g_value_set_string (value, self->valid_until);
      break;
    case TICKET_TYPE_PROP_REENTRY_ALLOWED:
      g_value_set_boolean (value, self->reentry_allowed);
      break;
    case TICKET_TYPE_PROP_REENTRY_TEXT:
      g_value_set_string (value, self->reentry_text);
      break;
    case TICKET_TYPE_PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;
    case TICKET_TYPE_PROP_QUOTA_TEXT:
      g_value_set_string (value, self->quota_text);
      break;
    case TICKET_TYPE_PROP_VALIDITY_TEXT:
      g_value_set_string (value, self->validity_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_type_class_init (FestTicketTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_ticket_type_finalize;
  object_class->get_property = fest_ticket_type_get_property;

  ticket_type_properties[TICKET_TYPE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_QUOTA] =
    g_param_spec_int64 ("quota", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_ISSUED] =
    g_param_spec_int64 ("issued", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALID_FROM] =
    g_param_spec_string ("valid-from", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALID_UNTIL] =
    g_param_spec_string ("valid-until", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_REENTRY_ALLOWED] =
    g_param_spec_boolean ("reentry-allowed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_REENTRY_TEXT] =
    g_param_spec_string ("reentry-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_QUOTA_TEXT] =
    g_param_spec_string ("quota-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALIDITY_TEXT] =
    g_param_spec_string ("validity-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_TICKET_TYPE_PROPS, ticket_type_properties);
}

static void
fest_ticket_type_init (FestTicketType *self)
{
}

static void
fest_ticket_type_fill_from_json (FestTicketType *self,
                                JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
  self->code = g_strdup (fest_page_json_string (object, "code"));
  self->price = fest_page_json_int (object, "price", 0);
  self->issued = fest_page_json_int (object, "issued", 0);
  self->valid_from = g_strdup (fest_page_json_string (object, "valid_from"));
  self->valid_until = g_strdup (fest_page_json_string (object, "valid_until"));
  self->reentry_allowed = fest_page_json_bool (object, "reentry_allowed", FALSE);
}

const char *
fest_ticket_type_get_id (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->id;
}

const char *
fest_ticket_type_get_name (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->name;
}

const char *
fest_ticket_type_get_code (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->code;
}

gint64
fest_ticket_type_get_price (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->price;
}

gint64
fest_ticket_type_get_quota (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->quota;
}

gint64
fest_ticket_type_get_issued (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->issued;
}

const char *
fest_ticket_type_get_valid_from (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->valid_from;
}

const char *
fest_ticket_type_get_valid_until (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->valid_until;
}

gboolean
fest_ticket_type_get_reentry_allowed (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), FALSE);

  return self->reentry_allowed;
}

const char *
fest_ticket_type_get_reentry_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->reentry_text;
}

const char *
fest_ticket_type_get_price_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->price_text;
}

const char *
fest_ticket_type_get_quota_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->quota_text;
}

const char *
fest_ticket_type_get_validity_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->validity_text;
}

struct _FestTicket
{
  GObject parent_instance;

  char *id;
  char *ticket_type_id;
  char *holder_name;
  char *holder_email;
  char *qr_code;
  char *status;
  char *used_at;
  char *created_at;
  char *status_label;
  char *used_at_text;
  char *type_name;
};

G_DEFINE_FINAL_TYPE (FestTicket, fest_ticket, G_TYPE_OBJECT)

enum {
  TICKET_PROP_0,
  TICKET_PROP_ID,
  TICKET_PROP_TICKET_TYPE_ID,
  TICKET_PROP_HOLDER_NAME,
  TICKET_PROP_HOLDER_EMAIL,
  TICKET_PROP_QR_CODE,
  TICKET_PROP_STATUS,
  TICKET_PROP_USED_AT,
  TICKET_PROP_CREATED_AT,
  TICKET_PROP_STATUS_LABEL,
  TICKET_PROP_USED_AT_TEXT,
  TICKET_PROP_TYPE_NAME,
  N_TICKET_PROPS
};

static GParamSpec *ticket_properties[N_TICKET_PROPS];

static void
fest_ticket_finalize (GObject *object)
{
  FestTicket *self = FEST_TICKET (object);

  g_free (self->id);
  g_free (self->ticket_type_id);
  g_free (self->holder_name);
  g_free (self->holder_email);
  g_free (self->qr_code);
  g_free (self->status);
  g_free (self->used_at);
  g_free (self->created_at);
  g_free (self->status_label);
  g_free (self->used_at_text);
  g_free (self->type_name);

  G_OBJECT_CLASS (fest_ticket_parent_class)->finalize (object);
}

static void
fest_ticket_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FestTicket *self = FEST_TICKET (object);

  switch (prop_id)
    {
    case TICKET_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case TICKET_PROP_TICKET_TYPE_ID:
      g_value_set_string (value, self->ticket_type_id);
      break;
    case TICKET_PROP_HOLDER_NAME:
      g_value_set_string (value, self->holder_name);
      break;
    case TICKET_PROP_HOLDER_EMAIL:
      g_value_set_string (value, self->holder_email);
      break;
    case TICKET_PROP_QR_CODE:
      g_value_set_string (value, self->qr_code);
      break;
    case TICKET_PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case TICKET_PROP_USED_AT:
      g_value_set_string (value, self->used_at);
      break;
    case TICKET_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case TICKET_PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;
    case TICKET_PROP_USED_AT_TEXT:
      g_value_set_string (value, self->used_at_text);
      break;
    case TICKET_PROP_TYPE_NAME:
      g_value_set_string (value, self->type_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FestTicket *self = FEST_TICKET (object);

  switch (prop_id)
    {
    case TICKET_PROP_TYPE_NAME:
      fest_ticket_set_type_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_class_init (FestTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_ticket_finalize;
  object_class->get_property = fest_ticket_get_property;
  object_class->set_property = fest_ticket_set_property;

  ticket_properties[TICKET_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_TICKET_TYPE_ID] =
    g_param_spec_string ("ticket-type-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_HOLDER_NAME] =
    g_param_spec_string ("holder-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_HOLDER_EMAIL] =
    g_param_spec_string ("holder-email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_QR_CODE] =
    g_param_spec_string ("qr-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_USED_AT] =
    g_param_spec_string ("used-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_USED_AT_TEXT] =
    g_param_spec_string ("used-at-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_TICKET_PROPS, ticket_properties);
}

static void
fest_ticket_init (FestTicket *self)
{
}

static void
fest_ticket_fill_from_json (FestTicket *self,
                           JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->ticket_type_id = g_strdup (fest_page_json_string (object, "ticket_type_id"));
  self->holder_name = g_strdup (fest_page_json_string (object, "holder_name"));
  self->holder_email = g_strdup (fest_page_json_string (object, "holder_email"));
  self->qr_code = g_strdup (fest_page_json_string (object, "qr_code"));
  self->status = g_strdup (fest_page_json_string (object, "status"));
  self->used_at = g_strdup (fest_page_json_string (object, "used_at"));
  self->created_at = g_strdup (fest_page_json_string (object, "created_at"));
}

const char *
fest_ticket_get_id (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->id;
}

const char *
fest_ticket_get_ticket_type_id (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->ticket_type_id;
}

const char *
fest_ticket_get_holder_name (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->holder_name;
}

const char *
fest_ticket_get_holder_email (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->holder_email;
}

const char *
fest_ticket_get_qr_code (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->qr_code;
}

const char *
fest_ticket_get_status (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->status;
}

const char *
fest_ticket_get_used_at (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->used_at;
}

const char *
fest_ticket_get_created_at (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->created_at;
}

const char *
fest_ticket_get_status_label (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->status_label;
}

const char *
fest_ticket_get_used_at_text (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->used_at_text;
}

const char *
fest_ticket_get_type_name (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->type_name;
}

void
fest_ticket_set_type_name (FestTicket *self,
                          const char *value)
{
  g_return_if_fail (FEST_IS_TICKET (self));

  if (g_strcmp0 (self->type_name, value) == 0)
    return;

  g_free (self->type_name);
  self->type_name = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), ticket_properties[TICKET_PROP_TYPE_NAME]);
}

struct _FestMember
{
  GObject parent_instance;

  char *id;
  char *email;
  char *name;
  gint64 roles;
  char *roles_text;
};

G_DEFINE_FINAL_TYPE (FestMember, fest_member, G_TYPE_OBJECT)

enum {
  MEMBER_PROP_0,
  MEMBER_PROP_ID,
  MEMBER_PROP_EMAIL,
  MEMBER_PROP_NAME,
  MEMBER_PROP_ROLES,
  MEMBER_PROP_ROLES_TEXT,
  N_MEMBER_PROPS
};

static GParamSpec *member_properties[N_MEMBER_PROPS];

static void
fest_member_finalize (GObject *object)
{
  FestMember *self = FEST_MEMBER (object);

  g_free (self->id);
  g_free (self->email);
  g_free (self->name);
  g_free (self->roles_text);

  G_OBJECT_CLASS (fest_member_parent_class)->finalize (object);
}

static void
fest_member_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FestMember *self = FEST_MEMBER (object);

  switch (prop_id)
    {
    case MEMBER_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case MEMBER_PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case MEMBER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case MEMBER_PROP_ROLES:
      g_value_set_int64 (value, self->roles);
      break;
    case MEMBER_PROP_ROLES_TEXT:
      g_value_set_string (value, self->roles_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_member_class_init (FestMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_member_finalize;
  object_class->get_property = fest_member_get_property;

  member_properties[MEMBER_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_ROLES] =
    g_param_spec_int64 ("roles", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_ROLES_TEXT] =
    g_param_spec_string ("roles-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_MEMBER_PROPS, member_properties);
}

static void
fest_member_init (FestMember *self)
{
}

static void
fest_member_fill_from_json (FestMember *self,
                           JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->email = g_strdup (fest_page_json_string (object, "email"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
}

const char *
fest_member_get_id (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->id;
}

const char *
fest_member_get_email (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->email;
}

const char *
fest_member_get_name (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->name;
}

gint64
fest_member_get_roles (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), 0);

  return self->roles;
}

const char *
fest_member_get_roles_text (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->roles_text;
}

struct _FestDevice
{
  GObject parent_instance;

  char *id;
  char *name;
  char *stand_id;
  char *mode;
  char *created_at;
  char *mode_label;
  char *created_at_text;
  char *stand_name;
  gboolean revoked;
  char *status_text;
};

G_DEFINE_FINAL_TYPE (FestDevice, fest_device, G_TYPE_OBJECT)

enum {
  DEVICE_PROP_0,
  DEVICE_PROP_ID,
  DEVICE_PROP_NAME,
  DEVICE_PROP_STAND_ID,
  DEVICE_PROP_MODE,
  DEVICE_PROP_CREATED_AT,
  DEVICE_PROP_MODE_LABEL,
  DEVICE_PROP_CREATED_AT_TEXT,
  DEVICE_PROP_STAND_NAME,
  DEVICE_PROP_REVOKED,
  DEVICE_PROP_STATUS_TEXT,
  N_DEVICE_PROPS
};

static GParamSpec *device_properties[N_DEVICE_PROPS];

static void
fest_device_finalize (GObject *object)
{
  FestDevice *self = FEST_DEVICE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->stand_id);
  g_free (self->mode);
  g_free (self->created_at);
  g_free (self->mode_label);
  g_free (self->created_at_text);
  g_free (self->stand_name);
  g_free (self->status_text);

  G_OBJECT_CLASS (fest_device_parent_class)->finalize (object);
}

static void
fest_device_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FestDevice *self = FEST_DEVICE (object);

  switch (prop_id)
    {
    case DEVICE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case DEVICE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case DEVICE_PROP_STAND_ID:
      g_value_set_string (value, self->stand_id);
      break;
    case DEVICE_PROP_MODE:
      g_value_set_string (value, self->mode);
      break;
    case DEVICE_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case DEVICE_PROP_MODE_LABEL:
      g_value_set_string (value, self->mode_label);
      break;
    case DEVICE_PROP_CREATED_AT_TEXT:
      g_value_set_string (value, self->created_at_text);
      break;
    case DEVICE_PROP_STAND_NAME:
      g_value_set_string (value, self->stand_name);
      break;
    case DEVICE_PROP_REVOKED:
      g_value_set_boolean (value, self->revoked);
      break;
    case DEVICE_PROP_STATUS_TEXT:
      g_value_set_string (value, self->status_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_device_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FestDevice *self = FEST_DEVICE (object);

  switch (prop_id)
    {
    case DEVICE_PROP_STAND_NAME:
      fest_device_set_stand_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_device_class_init (FestDeviceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_device_finalize;
  object_class->get_property = fest_device_get_property;
  object_class->set_property = fest_device_set_property;

  device_properties[DEVICE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_STAND_ID] =
    g_param_spec_string ("stand-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_MODE] =
    g_param_spec_string ("mode", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_MODE_LABEL] =
    g_param_spec_string ("mode-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_CREATED_AT_TEXT] =
    g_param_spec_string ("created-at-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_STAND_NAME] =
    g_param_spec_string ("stand-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_REVOKED] =
    g_param_spec_boolean ("revoked", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  device_properties[DEVICE_PROP_STATUS_TEXT] =
    g_param_spec_string ("status-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_DEVICE_PROPS, device_properties);
}

static void
fest_device_init (FestDevice *self)
{
}

static void
fest_device_fill_from_json (FestDevice *self,
                           JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
  self->stand_id = g_strdup (fest_page_json_string (object, "stand_id"));
  self->mode = g_strdup (fest_page_json_string (object, "mode"));
  self->created_at = g_strdup (fest_page_json_string (object, "created_at"));
  self->revoked = fest_page_json_bool (object, "revoked", FALSE);
}

const char *
fest_device_get_id (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->id;
}

const char *
fest_device_get_name (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->name;
}

const char *
fest_device_get_stand_id (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->stand_id;
}

const char *
fest_device_get_mode (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->mode;
}

const char *
fest_device_get_created_at (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->created_at;
}

const char *
fest_device_get_mode_label (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->mode_label;
}

const char *
fest_device_get_created_at_text (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->created_at_text;
}

const char *
fest_device_get_stand_name (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->stand_name;
}

void
fest_device_set_stand_name (FestDevice *self,
                           const char *value)
{
  g_return_if_fail (FEST_IS_DEVICE (self));

  if (g_strcmp0 (self->stand_name, value) == 0)
    return;

  g_free (self->stand_name);
  self->stand_name = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), device_properties[DEVICE_PROP_STAND_NAME]);
}

gboolean
fest_device_get_revoked (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), FALSE);

  return self->revoked;
}

const char *
fest_device_get_status_text (FestDevice *self)
{
  g_return_val_if_fail (FEST_IS_DEVICE (self), NULL);

  return self->status_text;
}

struct _FestAuditEntry
{
  GObject parent_instance;

  char *id;
  char *actor_id;
  char *device_id;
  char *action;
  char *entity_type;
  char *entity_id;
  char *old_values;
  char *new_values;
  char *ip_address;
  char *user_agent;
  char *created_at;
  char *created_at_text;
  char *actor_name;
  char *entity_text;
  char *action_text;
  char *changes;
};

G_DEFINE_FINAL_TYPE (FestAuditEntry, fest_audit_entry, G_TYPE_OBJECT)

enum {
  AUDIT_ENTRY_PROP_0,
  AUDIT_ENTRY_PROP_ID,
  AUDIT_ENTRY_PROP_ACTOR_ID,
  AUDIT_ENTRY_PROP_DEVICE_ID,
  AUDIT_ENTRY_PROP_ACTION,
  AUDIT_ENTRY_PROP_ENTITY_TYPE,
  AUDIT_ENTRY_PROP_ENTITY_ID,
  AUDIT_ENTRY_PROP_OLD_VALUES,
  AUDIT_ENTRY_PROP_NEW_VALUES,
  AUDIT_ENTRY_PROP_IP_ADDRESS,
  AUDIT_ENTRY_PROP_USER_AGENT,
  AUDIT_ENTRY_PROP_CREATED_AT,
  AUDIT_ENTRY_PROP_CREATED_AT_TEXT,
  AUDIT_ENTRY_PROP_ACTOR_NAME,
  AUDIT_ENTRY_PROP_ENTITY_TEXT,
  AUDIT_ENTRY_PROP_ACTION_TEXT,
  AUDIT_ENTRY_PROP_CHANGES,
  N_AUDIT_ENTRY_PROPS
};

static GParamSpec *audit_entry_properties[N_AUDIT_ENTRY_PROPS];

static void
fest_audit_entry_finalize (GObject *object)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  g_free (self->id);
  g_free (self->actor_id);
  g_free (self->device_id);
  g_free (self->action);
  g_free (self->entity_type);
  g_free (self->entity_id);
  g_free (self->old_values);
  g_free (self->new_values);
  g_free (self->ip_address);
  g_free (self->user_agent);
  g_free (self->created_at);
  g_free (self->created_at_text);
  g_free (self->actor_name);
  g_free (self->entity_text);
  g_free (self->action_text);
  g_free (self->changes);

  G_OBJECT_CLASS (fest_audit_entry_parent_class)->finalize (object);
}

static void
fest_audit_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case AUDIT_ENTRY_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case AUDIT_ENTRY_PROP_ACTOR_ID:
      g_value_set_string (value, self->actor_id);
      break;
    case AUDIT_ENTRY_PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case AUDIT_ENTRY_PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_TYPE:
      g_value_set_string (value, self->entity_type);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_ID:
      g_value_set_string (value, self->entity_id);
      break;
    case AUDIT_ENTRY_PROP_OLD_VALUES:
      g_value_set_string (value, self->old_values);
      break;
    case AUDIT_ENTRY_PROP_NEW_VALUES:
      g_value_set_string (value, self->new_values);
      break;
    case AUDIT_ENTRY_PROP_IP_ADDRESS:
      g_value_set_string (value, self->ip_address);
      break;
    case AUDIT_ENTRY_PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case AUDIT_ENTRY_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case AUDIT_ENTRY_PROP_CREATED_AT_TEXT:
      g_value_set_string (value, self->created_at_text);
      break;
    case AUDIT_ENTRY_PROP_ACTOR_NAME:
      g_value_set_string (value, self->actor_name);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_TEXT:
      g_value_set_string (value, self->entity_text);
      break;
    case AUDIT_ENTRY_PROP_ACTION_TEXT:
      g_value_set_string (value, self->action_text);
      break;
    case AUDIT_ENTRY_PROP_CHANGES:
      g_value_set_string (value, self->changes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_audit_entry_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case AUDIT_ENTRY_PROP_ACTOR_NAME:
      fest_audit_entry_set_actor_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_audit_entry_class_init (FestAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_audit_entry_finalize;
  object_class->get_property = fest_audit_entry_get_property;
  object_class->set_property = fest_audit_entry_set_property;

  audit_entry_properties[AUDIT_ENTRY_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_ID] =
    g_param_spec_string ("actor-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_DEVICE_ID] =
    g_param_spec_string ("device-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_TYPE] =
    g_param_spec_string ("entity-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_ID] =
    g_param_spec_string ("entity-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_OLD_VALUES] =
    g_param_spec_string ("old-values", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_NEW_VALUES] =
    g_param_spec_string ("new-values", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_IP_ADDRESS] =
    g_param_spec_string ("ip-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CREATED_AT_TEXT] =
    g_param_spec_string ("created-at-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_NAME] =
    g_param_spec_string ("actor-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_TEXT] =
    g_param_spec_string ("entity-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTION_TEXT] =
    g_param_spec_string ("action-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CHANGES] =
    g_param_spec_string ("changes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_AUDIT_ENTRY_PROPS, audit_entry_properties);
}

static void
fest_audit_entry_init (FestAuditEntry *self)
{
}

static void
fest_audit_entry_fill_from_json (FestAuditEntry *self,
                                JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->actor_id = g_strdup (fest_page_json_string (object, "actor_id"));
  self->device_id = g_strdup (fest_page_json_string (object, "device_id"));
  self->action = g_strdup (fest_page_json_string (object, "action"));
  self->entity_type = g_strdup (fest_page_json_string (object, "entity_type"));
  self->entity_id = g_strdup (fest_page_json_string (object, "entity_id"));
  self->ip_address = g_strdup (fest_page_json_string (object, "ip_address"));
  self->user_agent = g_strdup (fest_page_json_string (object, "user_agent"));
  self->created_at = g_strdup (fest_page_json_string (object, "created_at"));
}

const char *
fest_audit_entry_get_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->id;
}

const char *
fest_audit_entry_get_actor_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->actor_id;
}

const char *
fest_audit_entry_get_device_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->device_id;
}

const char *
fest_audit_entry_get_action (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->action;
}

const char *
fest_audit_entry_get_entity_type (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_type;
}

const char *
fest_audit_entry_get_entity_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_id;
}

const char *
fest_audit_entry_get_old_values (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->old_values;
}

const char *
fest_audit_entry_get_new_values (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->new_values;
}

const char *
fest_audit_entry_get_ip_address (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->ip_address;
}

const char *
fest_audit_entry_get_user_agent (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->user_agent;
}

const char *
fest_audit_entry_get_created_at (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->created_at;
}

const char *
fest_audit_entry_get_created_at_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->created_at_text;
}

const char *
fest_audit_entry_get_actor_name (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->actor_name;
}

void
fest_audit_entry_set_actor_name (FestAuditEntry *self,
                                const char *value)
{
  g_return_if_fail (FEST_IS_AUDIT_ENTRY (self));

  if (g_strcmp0 (self->actor_name, value) == 0)
    return;

  g_free (self->actor_name);
  self->actor_name = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_NAME]);
}

const char *
fest_audit_entry_get_entity_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_text;
}

static const char *
stand_type_label (const char *type)
{
  if (g_strcmp0 (type, "BAR") == 0)
    return _("Bar");
  if (g_strcmp0 (type, "FOOD") == 0)
    return _("Food");
  if (g_strcmp0 (type, "MERCH") == 0)
    return _("Merchandise");
  if (g_strcmp0 (type, "RECHARGE") == 0)
    return _("Recharge desk");
  return type != NULL ? type : "";
}

FestStand *
fest_stand_new_from_json (JsonObject *object)
{
  FestStand *self;
  JsonObject *location = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_STAND, NULL);
  fest_stand_fill_from_json (self, object);
  self->is_active = fest_page_json_bool (object, "is_active", TRUE);

  if (json_object_has_member (object, "location")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "location")))
    location = json_object_get_object_member (object, "location");
  self->zone = g_strdup (fest_page_json_string (location, "zone"));
  if (location != NULL && !fest_page_json_is_null (location, "lat")
      && !fest_page_json_is_null (location, "lng"))
    {
      self->has_location = TRUE;
      self->lat = fest_page_json_double (location, "lat", 0);
      self->lng = fest_page_json_double (location, "lng", 0);
    }
  self->active_text = g_strdup (self->is_active ? _("Open") : _("Closed"));
  self->type_label = g_strdup (stand_type_label (self->stand_type));

  return self;
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

FestTicketType *
fest_ticket_type_new_from_json (JsonObject *object,
                                const char *currency_name)
{
  FestTicketType *self;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *issued = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_TICKET_TYPE, NULL);
  fest_ticket_type_fill_from_json (self, object);
  self->quota = fest_page_json_is_null (object, "quota") ? -1 : fest_page_json_int (object, "quota", 0);

  self->price_text = fest_money_format (self->price, currency_name != NULL ? currency_name : "");
  issued = g_strdup_printf ("%" G_GINT64_FORMAT, self->issued);
  if (self->quota < 0)
    {
      /* Translators: tickets issued of a type without a quota, "12 issued" */
      self->quota_text = g_strdup_printf (_("%s issued"), issued);
    }
  else
    {
      g_autofree char *quota = g_strdup_printf ("%" G_GINT64_FORMAT, self->quota);

      /* Translators: tickets issued / quota of a ticket type, "12 / 100" */
      self->quota_text = g_strdup_printf (_("%s / %s"), issued, quota);
    }

  self->reentry_text = g_strdup (self->reentry_allowed ? _("Yes") : _("No"));

  from = fest_page_format_time (self->valid_from);
  until = fest_page_format_time (self->valid_until);
  /* Translators: a validity window, "from – until" */
  self->validity_text = g_strdup_printf (_("%s – %s"), from, until);

  return self;
}

static const char *
ticket_status_label (const char *status)
{
  if (g_strcmp0 (status, "VALID") == 0)
    return _("Valid");
  if (g_strcmp0 (status, "USED") == 0)
    return _("Used");
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return _("Cancelled");
  return status != NULL ? status : "";
}

FestTicket *
fest_ticket_new_from_json (JsonObject *object)
{
  FestTicket *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_TICKET, NULL);
  fest_ticket_fill_from_json (self, object);
  self->status_label = g_strdup (ticket_status_label (self->status));
  self->used_at_text = fest_page_format_time (self->used_at);

  return self;
}

static const char *
role_label (FestRole role)
{
  switch (role)
    {
    case FEST_ROLE_SUPERADMIN:
      return _("Platform admin");
    case FEST_ROLE_ORGANISER:
      return _("Organiser");
    case FEST_ROLE_CASHIER:
      return _("Cashier");
    case FEST_ROLE_SCANNER:
      return _("Scanner");
    case FEST_ROLE_SECURITY:
      return _("Security");
    case FEST_ROLE_ARTIST:
      return _("Artist");
    case FEST_ROLE_FESTIVALIER:
      return _("Attendee");
    case FEST_ROLE_NONE:
    default:
      return "";
    }
}

const char *
fest_member_role_label (guint role)
{
  return role_label (role);
}

FestMember *
fest_member_new_from_json (JsonObject *object)
{
  FestMember *self;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *roles = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_MEMBER, NULL);
  fest_member_fill_from_json (self, object);

  if (json_object_has_member (object, "roles")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "roles")))
    roles = json_object_get_array_member (object, "roles");

  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonNode *node = json_array_get_element (roles, i);
      FestRole role;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      if (fest_role_from_string (json_node_get_string (node), &role))
        self->roles |= role;
    }

  for (guint bit = 0; bit < 7; bit++)
    {
      if ((self->roles & (1u << bit)) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, role_label (1u << bit));
    }
  self->roles_text = g_string_free (g_steal_pointer (&text), FALSE);

  return self;
}

static const char *
device_mode_label (const char *mode)
{
  if (g_strcmp0 (mode, "cashier") == 0)
    return _("Cashier");
  if (g_strcmp0 (mode, "recharge") == 0)
    return _("Recharge desk");
  if (g_strcmp0 (mode, "scanner") == 0)
    return _("Gate scanner");
  if (g_strcmp0 (mode, "security") == 0)
    return _("Security");
  return mode != NULL ? mode : "";
}

FestDevice *
fest_device_new_from_json (JsonObject *object)
{
  FestDevice *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_DEVICE, NULL);
  fest_device_fill_from_json (self, object);
  self->mode_label = g_strdup (device_mode_label (self->mode));
  self->created_at_text = fest_page_format_time (self->created_at);
  self->status_text = g_strdup (self->revoked ? _("Revoked") : _("Active"));

  return self;
}

static char *
pretty_json (JsonObject *object,
             const char *member)
{
  g_autoptr(JsonGenerator) generator = NULL;

  if (fest_page_json_is_null (object, member))
    return g_strdup ("—");

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_object_get_member (object, member));
  return json_generator_to_data (generator, NULL);
}

FestAuditEntry *
fest_audit_entry_new_from_json (JsonObject *object,
                                const char *currency)
{
  FestAuditEntry *self;
  JsonObject *old_values;
  JsonObject *new_values;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_AUDIT_ENTRY, NULL);
  fest_audit_entry_fill_from_json (self, object);
  self->old_values = pretty_json (object, "old_values");
  self->new_values = pretty_json (object, "new_values");
  self->created_at_text = fest_page_format_time (self->created_at);
  /* Rows without an actor are the server's own (the demo, migrations). */
  self->actor_name = g_strdup (self->actor_id != NULL ? self->actor_id
                               : self->device_id != NULL ? self->device_id : _("the server"));

  old_values = fest_page_json_is_null (object, "old_values")
               || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "old_values"))
               ? NULL : json_object_get_object_member (object, "old_values");
  new_values = fest_page_json_is_null (object, "new_values")
               || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "new_values"))
               ? NULL : json_object_get_object_member (object, "new_values");
  self->action_text = fest_audit_action_text (self->action);
  self->entity_text = fest_audit_entity_label (self->entity_type, self->entity_id, old_values,
                                               new_values, currency);
  self->changes = fest_audit_changes_text (old_values, new_values, currency);

  return self;
}

const char *
fest_audit_entry_get_action_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);
  return self->action_text;
}

const char *
fest_audit_entry_get_changes (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);
  return self->changes;
}
