/* fest-festival-chooser.h: the list of the user's festivals, and New Festival when allowed
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FEST_TYPE_FESTIVAL_CHOOSER (fest_festival_chooser_get_type ())
G_DECLARE_FINAL_TYPE (FestFestivalChooser, fest_festival_chooser,
                      FEST, FESTIVAL_CHOOSER, GtkWidget)

/* One row per festival (name, start date); "Choose a Festival", or "No Festival Yet" with what
 * to do about it. Its New Festival button activates win.new-festival.
 *
 * Signal: "festival-activated" (const char *id): a row was activated. */
GtkWidget *fest_festival_chooser_new           (void);
/* Shows @festivals (nullable: none); @can_create shows New Festival. */
void       fest_festival_chooser_set_festivals (FestFestivalChooser *self,
                                                JsonArray           *festivals,
                                                gboolean             can_create);

G_END_DECLS
