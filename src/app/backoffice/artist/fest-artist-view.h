/* fest-artist-view.h: an artist's own view: their slots, rider and guest list
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_ARTIST_VIEW (fest_artist_view_get_type ())
G_DECLARE_FINAL_TYPE (FestArtistView, fest_artist_view, FEST, ARTIST_VIEW, FestPage)

/* What a member with role ARTIST sees instead of the organisers' sidebar (GET /me/artist and
 * /me/artist/guests through @client, reloaded whenever it is shown). Times are shown in the time
 * zone of the festival given with fest_page_set_festival().
 *
 * State ("state" property of FestPage): "loading", "error" (with Retry), "empty" (the account is
 * not linked to an artist: 404 from GET /me/artist) or "content".
 *
 * Actions: artist.reload (F5), artist.save-rider (Ctrl+S), artist.add-guest (the name and email
 * rows), artist.remove-guest, artist.show-qr and artist.export-qr (the guest's id, "s"). */
GtkWidget  *fest_artist_view_new         (FestClient     *client);
const char *fest_artist_view_get_state   (FestArtistView *self);
/* GET /me/artist's data as last loaded (borrowed; NULL before). */
JsonObject *fest_artist_view_get_artist  (FestArtistView *self);
/* The guests as last loaded (borrowed; NULL before). */
JsonArray  *fest_artist_view_get_guests  (FestArtistView *self);
/* Writes the QR code of the guest @guest_id (as last loaded) to @file as a PNG: what the export
 * dialog does once a file is chosen. */
gboolean    fest_artist_view_export_guest_qr (FestArtistView  *self,
                                              const char      *guest_id,
                                              GFile           *file,
                                              GError         **error);
/* TRUE while a rider save, a guest addition or a removal waits for the server. */
gboolean    fest_artist_view_get_busy    (FestArtistView *self);

G_END_DECLS
