/* fest-festival-form.h: a festival's settings as controls (name, dates, time zone, money, site)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-site-map.h"

G_BEGIN_DECLS

#define FEST_TYPE_FESTIVAL_FORM (fest_festival_form_get_type ())
G_DECLARE_FINAL_TYPE (FestFestivalForm, fest_festival_form, FEST, FESTIVAL_FORM, GtkWidget)

/* The controls of both the New Festival dialog and the Festival Settings page: name, start and
 * end as a date (calendar) and a time (hour, minute) in the festival's own time zone, the time
 * zone from the system's list (searchable, with its UTC offset), the currency's name, the value of
 * one unit in euros (exact cents) and the location picked on the site map.
 *
 * Action: festival-form.set-timezone "s" (what choosing a zone in the list does).
 * Signal: "submit" () when Enter is pressed in a text field. */
GtkWidget   *fest_festival_form_new             (void);
/* Site plan tiles through @client for @festival_id; without it (a festival not created yet) the
 * map is blank and the location can still be picked. Call it at most once. */
void         fest_festival_form_set_client      (FestFestivalForm *self,
                                                 FestClient       *client,
                                                 const char       *festival_id);
/* Fills the controls from an API festival object (times shown in its time zone). */
void         fest_festival_form_set_festival    (FestFestivalForm *self,
                                                 JsonObject       *festival);
/* Checks the controls and shows what is wrong on the field itself (focusing the first). Valid:
 * the body for POST /festivals or PATCH /festivals/{id} (transfer full); invalid: NULL. */
JsonNode    *fest_festival_form_build_body      (FestFestivalForm *self);
/* Shows a server VALIDATION_FAILED error on the field it names; FALSE when it names none of the
 * form's fields (then the caller shows it). */
gboolean     fest_festival_form_show_error      (FestFestivalForm *self,
                                                 const GError     *error);
void         fest_festival_form_clear_errors    (FestFestivalForm *self);
/* The inline message shown on @field ("name", "starts_at", "ends_at", "timezone",
 * "currency_name", "exchange_rate_cents", "location"), NULL when none. */
const char  *fest_festival_form_get_error       (FestFestivalForm *self,
                                                 const char       *field);
const char  *fest_festival_form_get_timezone    (FestFestivalForm *self);
FestSiteMap *fest_festival_form_get_map         (FestFestivalForm *self);

G_END_DECLS
