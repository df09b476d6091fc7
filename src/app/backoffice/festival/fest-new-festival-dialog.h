/* fest-new-festival-dialog.h: the New Festival dialog (POST /festivals)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_NEW_FESTIVAL_DIALOG (fest_new_festival_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FestNewFestivalDialog, fest_new_festival_dialog,
                      FEST, NEW_FESTIVAL_DIALOG, AdwWindow)

/* A FestFestivalForm and Create: POST /festivals through @client. Server errors show on the field
 * they name, or below the form. Enter creates, Escape cancels.
 *
 * Signal: "created" (JsonObject *festival) with the server's festival, just before the dialog
 * closes. Closing it while the request is on its way drops the answer (the festival shows up in
 * the list later). */
GtkWidget *fest_new_festival_dialog_new (GtkWindow  *parent,
                                         FestClient *client);
/* Presents it with the focus in the form's first field. */
void       fest_new_festival_dialog_present (FestNewFestivalDialog *self);

G_END_DECLS
