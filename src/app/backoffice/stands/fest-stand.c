/* fest-stand.c: a stand (bar, food, merch, recharge desk), as the Stands page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-stand.h"

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
