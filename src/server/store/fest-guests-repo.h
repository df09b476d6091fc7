/* fest-guests-repo.h: an artist's guest list (GUEST tickets with tickets.artist_id) in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A guest is a ticket whose artist_id names the artist whose list it is on; its API form is
 * {id (the ticket's), name, email, status, qr_code, created_at}. The tickets themselves are issued
 * and cancelled by domain/fest-tickets.c; this file only reads the lists and links a ticket to its
 * artist.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-core.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

/* The API form of a guest from a ticket's API JSON (borrowed). */
JsonNode  *fest_guest_from_ticket               (JsonNode           *ticket);

/* Writer thread */

/* How many tickets of the artist's list are not CANCELLED. -1 with @error on a storage error. */
gint64     fest_guests_repo_count_live          (FestWriteCtx       *ctx,
                                                 const char         *artist_id,
                                                 GError            **error);
/* The id of the ticket type with @code into *@type_id (NULL when none). */
gboolean   fest_guests_repo_find_type           (FestWriteCtx       *ctx,
                                                 const char         *code,
                                                 char              **type_id,
                                                 GError            **error);
/* Puts the ticket on the artist's list. */
gboolean   fest_guests_repo_set_artist          (FestWriteCtx       *ctx,
                                                 const char         *ticket_id,
                                                 const char         *artist_id,
                                                 GError            **error);
/* Whether ticket @ticket_id is on the list of @artist_id (*@found), and whether it was ever let in
 * (*@admitted: USED, a used_at, or a scan that was not refused). */
gboolean   fest_guests_repo_lookup              (FestWriteCtx       *ctx,
                                                 const char         *artist_id,
                                                 const char         *ticket_id,
                                                 gboolean           *found,
                                                 gboolean           *admitted,
                                                 GError            **error);

/* Main thread */

/* How many tickets of the artist's list are not CANCELLED; -1 with @error. */
gint64     fest_guests_repo_read_count_live     (FestFestivalStore  *store,
                                                 const char         *artist_id,
                                                 GError            **error);
/* A page of the artist's guests, every status, by creation (a JSON array), their number in
 * *@total. */
JsonNode  *fest_guests_repo_list                (FestFestivalStore  *store,
                                                 const char         *artist_id,
                                                 guint               page,
                                                 guint               per_page,
                                                 gint64             *total,
                                                 GError            **error);

G_END_DECLS
