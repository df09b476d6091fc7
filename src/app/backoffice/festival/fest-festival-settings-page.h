/* fest-festival-settings-page.h: the Festival Settings page (name, dates, time zone, money, site)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-page.h"
#include "fest-festival-form.h"

G_BEGIN_DECLS

#define FEST_TYPE_FESTIVAL_SETTINGS_PAGE (fest_festival_settings_page_get_type ())
G_DECLARE_FINAL_TYPE (FestFestivalSettingsPage, fest_festival_settings_page,
                      FEST, FESTIVAL_SETTINGS_PAGE, FestPage)

/* Loads the current festival (GET /festivals/{id}) into a FestFestivalForm and saves it with
 * PATCH /festivals/{id}.
 *
 * Actions: settings.save (Ctrl+S), settings.reload.
 * Signal: "festival-changed" (JsonObject *festival) with the server's festival after a save. */
GtkWidget        *fest_festival_settings_page_new       (FestClient               *client);
void              fest_festival_settings_page_reload    (FestFestivalSettingsPage *self);

/* For tests: "loading", "error" or "content"; TRUE while a save is on its way. */
const char       *fest_festival_settings_page_get_state (FestFestivalSettingsPage *self);
gboolean          fest_festival_settings_page_get_busy  (FestFestivalSettingsPage *self);
FestFestivalForm *fest_festival_settings_page_get_form  (FestFestivalSettingsPage *self);

G_END_DECLS
