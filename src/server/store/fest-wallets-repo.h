/* fest-wallets-repo.h: the wallets table: creation, lookups as API JSON
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A wallet's JSON is its row as the API shows it: id, code, holder_name, user_id, balance,
 * overdrawn, created_at, updated_at. Lookups set *wallet to NULL when there is no such wallet and
 * return FALSE only on a database error.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_WALLET_BY_ID,
  FEST_WALLET_BY_CODE,
  FEST_WALLET_BY_USER,
} FestWalletKey;

/* Writer thread */

/* Inserts a wallet with balance 0; *wallet (transfer full) is its JSON. */
gboolean  fest_wallets_repo_insert        (FestWriteCtx       *ctx,
                                           const char         *id,
                                           const char         *code,
                                           const char         *holder_name,
                                           const char         *user_id,
                                           gint64              rev,
                                           const char         *now,
                                           JsonNode          **wallet,
                                           GError            **error);
gboolean  fest_wallets_repo_find          (FestWriteCtx       *ctx,
                                           FestWalletKey       key,
                                           const char         *value,
                                           JsonNode          **wallet,
                                           GError            **error);
/* Whether account @user_id has a wallet. */
gboolean  fest_wallets_repo_user_has_wallet (FestWriteCtx     *ctx,
                                             const char       *user_id,
                                             gboolean         *exists,
                                             GError          **error);
gboolean  fest_wallets_repo_set_code      (FestWriteCtx       *ctx,
                                           const char         *id,
                                           const char         *code,
                                           GError            **error);
/* The products a demo sells by the unit: active, not deleted, without stock, oldest first.
 * @ids and @stand_ids get one string each per product. */
gboolean  fest_wallets_repo_demo_products (FestWriteCtx       *ctx,
                                           GPtrArray          *ids,
                                           GPtrArray          *stand_ids,
                                           GError            **error);

/* Main thread */

gboolean  fest_wallets_repo_get           (FestFestivalStore  *store,
                                           FestWalletKey       key,
                                           const char         *value,
                                           JsonNode          **wallet,
                                           GError            **error);
gboolean  fest_wallets_repo_exists        (FestFestivalStore  *store,
                                           const char         *id,
                                           gboolean           *exists,
                                           GError            **error);

G_END_DECLS
