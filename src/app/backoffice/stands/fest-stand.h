/* fest-stand.h: a stand (bar, food, merch, recharge desk), as the Stands page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A stand (bar, food, merch, recharge desk). Built from the API's JSON (DESIGN §5 resource
 * fields), with read-only properties for GtkExpression lookups in the page's column views and
 * ready-to-show "-text" properties formatted for the locale. */
#define FEST_TYPE_STAND (fest_stand_get_type ())
G_DECLARE_FINAL_TYPE (FestStand, fest_stand, FEST, STAND, GObject)

FestStand  *fest_stand_new_from_json     (JsonObject *object);
const char *fest_stand_get_id            (FestStand *self);
const char *fest_stand_get_name          (FestStand *self);
const char *fest_stand_get_stand_type    (FestStand *self);
const char *fest_stand_get_zone          (FestStand *self);
double      fest_stand_get_lat           (FestStand *self);
double      fest_stand_get_lng           (FestStand *self);
gboolean    fest_stand_get_has_location  (FestStand *self);
gboolean    fest_stand_get_is_active     (FestStand *self);
const char *fest_stand_get_type_label    (FestStand *self);
const char *fest_stand_get_active_text   (FestStand *self);
gint64      fest_stand_get_product_count (FestStand *self);
void        fest_stand_set_product_count (FestStand *self,
                                          gint64 value);

G_END_DECLS
