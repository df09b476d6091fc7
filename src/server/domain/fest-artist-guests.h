/* fest-artist-guests.h: an artist's guest list as write jobs
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A guest is a ticket of the festival's GUEST ticket type (code "GUEST", price 0, no quota; created
 * on first use, valid over the festival's dates), issued and signed like any ticket by
 * fest_tickets_issue() and put on the artist's list (tickets.artist_id). The artist's guest_quota
 * bounds the guests that are not CANCELLED. Cancelling a guest cancels the ticket, unless it was
 * ever let in.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

#define FEST_GUEST_TICKET_CODE "GUEST"

/* Writer thread. Issues a GUEST ticket to @name (<@email>, nullable) on the list of @artist_id,
 * whose quota is @guest_quota: CONFLICT with details {quota, used} when the list is full. Writes
 * the audit rows (ticket.issue, guest.create) and returns the guest's API form (transfer full). */
JsonNode *fest_artist_guests_issue  (FestWriteCtx     *ctx,
                                     const char       *artist_id,
                                     gint64            guest_quota,
                                     const char       *name,
                                     const char       *email,
                                     const FestActor  *actor,
                                     GError          **error);
/* Writer thread. Cancels ticket @ticket_id of the list of @artist_id: NOT_FOUND when it is not on
 * that list, CONFLICT when it was ever let in or is already cancelled. Writes the audit rows
 * (ticket.cancel, guest.cancel) and returns the guest's API form (transfer full). */
JsonNode *fest_artist_guests_cancel (FestWriteCtx     *ctx,
                                     const char       *artist_id,
                                     const char       *ticket_id,
                                     const FestActor  *actor,
                                     GError          **error);

G_END_DECLS
