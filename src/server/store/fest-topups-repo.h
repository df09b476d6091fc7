/* fest-topups-repo.h: the topups table: online top-ups of an attendee's wallet
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A top-up's JSON: id, wallet_id, amount, status, provider, reference, created_at, confirmed_at,
 * transaction_id. Lookups set *topup to NULL when there is none; FALSE only on a database error.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Writer thread */

/* A PENDING top-up. */
gboolean  fest_topups_repo_insert      (FestWriteCtx       *ctx,
                                        const char         *id,
                                        const char         *wallet_id,
                                        const char         *user_id,
                                        gint64              amount,
                                        const char         *provider,
                                        const char         *now,
                                        GError            **error);
gboolean  fest_topups_repo_find        (FestWriteCtx       *ctx,
                                        const char         *id,
                                        JsonNode          **topup,
                                        GError            **error);
/* The account that asked for top-up @id (transfer full). */
gboolean  fest_topups_repo_user_id     (FestWriteCtx       *ctx,
                                        const char         *id,
                                        char              **user_id,
                                        GError            **error);
/* Its outcome: @status CONFIRMED or FAILED, the provider's reference, the ledger row (nullable). */
gboolean  fest_topups_repo_set_outcome (FestWriteCtx       *ctx,
                                        const char         *id,
                                        const char         *status,
                                        const char         *provider_reference,
                                        const char         *confirmed_at,
                                        const char         *transaction_id,
                                        GError            **error);

/* Main thread */

/* Top-up @id of account @user_id. */
gboolean  fest_topups_repo_get         (FestFestivalStore  *store,
                                        const char         *id,
                                        const char         *user_id,
                                        JsonNode          **topup,
                                        GError            **error);
gboolean  fest_topups_repo_exists      (FestFestivalStore  *store,
                                        const char         *id,
                                        gboolean           *exists,
                                        GError            **error);

G_END_DECLS
