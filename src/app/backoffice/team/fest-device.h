/* fest-device.h: an enrolled station device, as the Team page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An enrolled station device. Built from the API's JSON (DESIGN §5 resource fields), with read-
 * only properties for GtkExpression lookups in the page's column views and ready-to-show "-text"
 * properties formatted for the locale. */
#define FEST_TYPE_DEVICE (fest_device_get_type ())
G_DECLARE_FINAL_TYPE (FestDevice, fest_device, FEST, DEVICE, GObject)

FestDevice *fest_device_new_from_json       (JsonObject *object);
const char *fest_device_get_id              (FestDevice *self);
const char *fest_device_get_name            (FestDevice *self);
const char *fest_device_get_stand_id        (FestDevice *self);
const char *fest_device_get_mode            (FestDevice *self);
const char *fest_device_get_created_at      (FestDevice *self);
const char *fest_device_get_mode_label      (FestDevice *self);
const char *fest_device_get_created_at_text (FestDevice *self);
const char *fest_device_get_stand_name      (FestDevice *self);
void        fest_device_set_stand_name      (FestDevice *self,
                                             const char *value);
gboolean    fest_device_get_revoked         (FestDevice *self);
const char *fest_device_get_status_text     (FestDevice *self);

G_END_DECLS
