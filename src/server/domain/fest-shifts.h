/* fest-shifts.h: opening and closing a till's cash shift (issue 19, DESIGN §12)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A shift belongs to the device whose token opened it, or to the account for a person's token;
 * each has at most one open shift (409 CONFLICT, reason SHIFT_ALREADY_OPEN, details.shift_id). At
 * the close the server computes expected_cash = opening_float + cash recharges − cash payouts of
 * the owner with created_at between opened_at and closed_at (a recharge without a method counts as
 * cash), and stores counted_cash and difference = counted − expected. Only the owner or an
 * organiser closes a shift (403); a closed shift stays closed (409, SHIFT_CLOSED).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-write-ctx.h"

G_BEGIN_DECLS

/* @opened_at nullable (now). */
gboolean  fest_shifts_open   (FestWriteCtx     *ctx,
                              const char       *stand_id,
                              gint64            opening_float,
                              const char       *opened_at,
                              const FestActor  *actor,
                              JsonNode        **out,
                              GError          **error);
/* @closed_at and @note nullable. */
gboolean  fest_shifts_close  (FestWriteCtx     *ctx,
                              const char       *shift_id,
                              gint64            counted_cash,
                              const char       *note,
                              const char       *closed_at,
                              gboolean          any_owner,
                              const FestActor  *actor,
                              JsonNode        **out,
                              GError          **error);

G_END_DECLS
