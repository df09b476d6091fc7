/* fest-wallets.c: creating wallets and finding an attendee's own
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-wallets-repo.h"
#include "fest-wallets.h"

JsonNode *
fest_wallet_create (FestWriteCtx    *ctx,
                    const char      *holder_name,
                    const char      *user_id,
                    const FestActor *actor,
                    GError         **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *code = fest_wallet_code_new ();
  g_autofree char *now = fest_time_now ();
  g_autoptr(JsonNode) wallet = NULL;
  gint64 rev;

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;
  if (!fest_wallets_repo_insert (ctx, id, code, holder_name, user_id, rev, now, &wallet, error))
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "wallet.create", "wallet", id, NULL, wallet, error))
    return NULL;
  return g_steal_pointer (&wallet);
}

JsonNode *
fest_wallet_create_unique (FestWriteCtx    *ctx,
                           const char      *holder_name,
                           const char      *user_id,
                           const FestActor *actor,
                           GError         **error)
{
  gboolean exists;

  if (user_id != NULL)
    {
      if (!fest_wallets_repo_user_has_wallet (ctx, user_id, &exists, error))
        return NULL;
      if (exists)
        {
          JsonObject *details = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);

          json_object_set_string_member (details, "field", "user_id");
          json_node_take_object (node, details);
          g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, node,
                                                                 "this user already has a wallet"));
          return NULL;
        }
    }
  return fest_wallet_create (ctx, holder_name, user_id, actor, error);
}

char *
fest_wallet_ensure_for_user (FestWriteCtx    *ctx,
                             const char      *user_id,
                             const FestActor *actor,
                             JsonNode       **wallet_out,
                             GError         **error)
{
  g_autoptr(JsonNode) wallet = NULL;
  char *id;

  if (!fest_wallets_repo_find (ctx, FEST_WALLET_BY_USER, user_id, &wallet, error))
    return NULL;
  if (wallet == NULL)
    {
      wallet = fest_wallet_create (ctx, NULL, user_id, actor, error);
      if (wallet == NULL)
        return NULL;
    }
  id = g_strdup (json_object_get_string_member (json_node_get_object (wallet), "id"));
  if (wallet_out != NULL)
    *wallet_out = g_steal_pointer (&wallet);
  return id;
}
