/* fest-wallets.h: creating wallets and finding an attendee's own
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Writer thread: creates a wallet (code from fest_wallet_code_new) with its audit row, returns its
 * JSON (transfer full). @holder_name and @user_id nullable. */
JsonNode *fest_wallet_create            (FestWriteCtx    *ctx,
                                         const char      *holder_name,
                                         const char      *user_id,
                                         const FestActor *actor,
                                         GError         **error);
/* fest_wallet_create(), refused with CONFLICT (field user_id) when @user_id has a wallet already. */
JsonNode *fest_wallet_create_unique     (FestWriteCtx    *ctx,
                                         const char      *holder_name,
                                         const char      *user_id,
                                         const FestActor *actor,
                                         GError         **error);
/* Writer thread: the wallet of @user_id, created when missing. Returns its id (transfer full);
 * *@wallet_out (nullable) gets its JSON. */
char     *fest_wallet_ensure_for_user   (FestWriteCtx    *ctx,
                                         const char      *user_id,
                                         const FestActor *actor,
                                         JsonNode       **wallet_out,
                                         GError         **error);

G_END_DECLS
