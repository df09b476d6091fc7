/* fest-device.c: an enrolled station device, as the Team page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-device.h"
#include "fest-page-util.h"

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
