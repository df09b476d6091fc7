/* fest-lineup-dialogs.h: the Stage, Artist and Slot dialogs of the Lineup page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-form-dialog.h"
#include "fest-lineup-days.h"
#include "fest-lineup-model.h"

G_BEGIN_DECLS

/* New (@stage NULL) or Edit Stage: name, capacity, changeover minutes, its place on the site map
 * of @festival (nullable: the festival's JSON) and zone → POST /stages or PATCH /stages/{id}. */
FestFormDialog *fest_lineup_stage_dialog_new  (GtkWidget              *parent,
                                               FestClient             *client,
                                               const FestLineupStage  *stage,
                                               JsonObject             *festival);

/* New or Edit Artist: name, type, rider (technical and hospitality, several lines each), guest
 * quota, contact e-mail and the linked account, chosen among @members (the festival's members,
 * GET /members; those with the ARTIST role are offered) or "None". */
FestFormDialog *fest_lineup_artist_dialog_new (GtkWidget              *parent,
                                               FestClient             *client,
                                               const FestLineupArtist *artist,
                                               JsonArray              *members);

/* New or Edit Slot: artist, stage, start and end (a date and a time each, in the festival's zone
 * of @days), status. A new slot is prefilled with @stage_id, @start and @end (Unix seconds; 0:
 * none); an edited one with @slot's. */
FestFormDialog *fest_lineup_slot_dialog_new   (GtkWidget              *parent,
                                               FestClient             *client,
                                               FestLineup             *lineup,
                                               FestLineupDays         *days,
                                               const FestLineupSlot   *slot,
                                               const char             *stage_id,
                                               gint64                  start,
                                               gint64                  end);

/* The multi-line text of the artist dialog's "rider_technical" or "rider_hospitality" field. */
GtkTextView    *fest_lineup_dialog_get_text_view (FestFormDialog     *dialog,
                                                  const char         *field);

/* Reads "2026-07-10" and "21:30" in @zone; FALSE if either is not a valid date or time. */
gboolean        fest_lineup_parse_local       (const char             *date,
                                               const char             *time,
                                               GTimeZone              *zone,
                                               gint64                 *out);

G_END_DECLS
