/* fest-location-picker.h: the site map of a stand, stage or gate dialog, where its place is picked
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-form-dialog.h"
#include "fest-site-map.h"

G_BEGIN_DECLS

#define FEST_TYPE_LOCATION_PICKER (fest_location_picker_get_type ())
G_DECLARE_FINAL_TYPE (FestLocationPicker, fest_location_picker, FEST, LOCATION_PICKER, GtkWidget)

/* Adds to @dialog a "Position" row (field "location": the site map, about 360×240, what is placed
 * and a "Clear position" button) and a "Zone (optional)" entry (field "location.zone"). @location
 * (nullable): the thing's {lat, lng, zone}, shown; @festival (nullable): the festival's JSON, whose
 * id keeps the tiles on disk and whose location centres the map when the thing has no place yet. */
FestLocationPicker *fest_location_picker_add     (FestFormDialog     *dialog,
                                                  FestClient         *client,
                                                  JsonObject         *festival,
                                                  JsonObject         *location);
FestSiteMap        *fest_location_picker_get_map (FestLocationPicker *self);
/* TRUE once a position is shown (the thing's, or one the user picked since). */
gboolean            fest_location_picker_get_placed (FestLocationPicker *self);
/* Forgets the position: the "Clear position" button. */
void                fest_location_picker_clear   (FestLocationPicker *self);
/* Adds the "location" member to the object @builder is building when the user changed something:
 * {lat, lng, zone} or null (cleared); nothing when unchanged. A zone without a position is put at
 * the festival's location when @zone_at_festival and the festival has one; otherwise it is an
 * error: FALSE, with the message shown on the dialog. */
gboolean            fest_location_picker_build   (FestLocationPicker *self,
                                                  JsonBuilder        *builder,
                                                  gboolean            zone_at_festival);

G_END_DECLS
