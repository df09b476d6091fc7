/* fest-artist-rows.h: the rows of the artist's view: a slot, a guest, and their labels
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "Band" for "BAND", "Artist" for anything unknown. */
const char *fest_artist_type_label    (const char    *type);
/* A GCompareFunc for g_ptr_array_sort over (JsonObject **) slots: by start time. */
gint        fest_artist_compare_slots (gconstpointer  a,
                                       gconstpointer  b);
/* A row for @slot of GET /me/artist (named after its id): the stage as title, the day and
 * start–end in @zone as subtitle ("Fri 17 Jul, 21:00–22:30"), the status as a coloured pill. */
GtkWidget  *fest_artist_slot_row_new  (JsonObject    *slot,
                                       GTimeZone     *zone);
/* A row for @guest of GET /me/artist/guests (named after its id): name, email and status, and
 * unless it is CANCELLED buttons for artist.show-qr, artist.export-qr and artist.remove-guest
 * with the guest's id; NULL for a guest without an id. */
GtkWidget  *fest_artist_guest_row_new (JsonObject    *guest);

G_END_DECLS
