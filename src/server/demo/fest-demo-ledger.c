/* fest-demo-ledger.c: the demo festival's wallets, recharges and sales
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Goes through fest_ledger_apply() like any sale, so the demo ledger is hash-chained and passes
 * `festivals-server --check`, and keeps each sale's idempotency key like POST /transactions.
 */

#include "config.h"

#include "fest-demo.h"
#include "fest-idempotency.h"
#include "fest-wallets-repo.h"
#include "fest-wallets.h"

/* A fixed, valid wallet code the README documents, so that a demo cashier station can be tried by
 * typing it. The last base32 character carries only 3 bits: 'A' keeps the padding bits zero. */
#define DEMO_WALLET_CODE "FW1.DEMOAAAAAAAAAAAAAAAAAAAAAA"

static const char * const demo_holders[] = {
  "Wristband demo", "Léa Martin", "Hugo Bernard", "Chloé Dubois", "Lucas Thomas", "Emma Robert",
  "Nathan Petit", "Manon Richard", "Zoë Durand", NULL, NULL, NULL,
};

typedef struct
{
  const FestDemoIds *ids;
  FestActor          actor;
} DemoWalletsJob;

static gboolean
apply (FestWriteCtx         *ctx,
       FestTransactionInput *input,
       const FestActor      *actor,
       GError              **error)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *request_hash = fest_idempotency_transaction_hash (input);
  g_autoptr(JsonNode) tx = fest_ledger_apply (ctx, input, actor, key, FALSE, error);

  /* As POST /transactions does: every ledger row's key is in the idempotency table. */
  return tx != NULL
         && fest_idempotency_store_transaction (ctx, key, request_hash, SOUP_STATUS_CREATED,
                                                json_object_get_string_member (json_node_get_object (tx), "id"),
                                                TRUE, error);
}

static gboolean
demo_wallets_job (FestWriteCtx    *ctx,
                  gpointer         job_data,
                  gpointer        *result,
                  GDestroyNotify  *result_free,
                  GError         **error)
{
  DemoWalletsJob *job = job_data;
  g_autoptr(GPtrArray) products = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) product_stands = g_ptr_array_new_with_free_func (g_free);

  if (!fest_wallets_repo_demo_products (ctx, products, product_stands, error))
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (demo_holders); i++)
    {
      g_autoptr(JsonNode) wallet = NULL;
      FestTransactionInput recharge = { 0 };
      const char *wallet_id;

      wallet = fest_wallet_create (ctx, demo_holders[i], NULL, &job->actor, error);
      if (wallet == NULL)
        return FALSE;
      wallet_id = json_object_get_string_member (json_node_get_object (wallet), "id");

      if (i == 0)
        {
          if (!fest_wallets_repo_set_code (ctx, wallet_id, DEMO_WALLET_CODE, error))
            return FALSE;
        }

      /* 20 to 75 Jetons (minor units: 100 = 1 Jeton), cash or card. */
      recharge.type = (char *) "RECHARGE";
      recharge.wallet_id = (char *) wallet_id;
      recharge.stand_id = (char *) job->ids->recharge_stand_id;
      recharge.payment_method = (char *) (i % 2 == 0 ? "CASH" : "CARD");
      recharge.amount = 2000 + (gint64) (i % 12) * 500;
      if (i == 0)
        recharge.amount = 100000;
      if (!apply (ctx, &recharge, &job->actor, error))
        return FALSE;

      /* A few sales each, spread over the bars and the food truck. */
      for (guint s = 0; s < i % 4 && products->len > 0; s++)
        {
          FestTransactionInput sale = { 0 };
          FestTransactionLineInput line = { 0 };
          guint p = (i * 3 + s * 5) % products->len;

          line.product_id = g_ptr_array_index (products, p);
          line.quantity = 1;
          sale.type = (char *) "PAYMENT";
          sale.wallet_id = (char *) wallet_id;
          sale.stand_id = g_ptr_array_index (product_stands, p);
          sale.lines = g_array_new (FALSE, FALSE, sizeof (FestTransactionLineInput));
          g_array_append_val (sale.lines, line);
          if (!apply (ctx, &sale, &job->actor, error))
            {
              /* Not enough left on this wallet for that product: the demo simply sells less. */
              if (g_error_matches (*error, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE))
                {
                  g_clear_error (error);
                  g_array_unref (sale.lines);
                  continue;
                }
              g_array_unref (sale.lines);
              return FALSE;
            }
          g_array_unref (sale.lines);
        }
    }

  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

/* The hook of `festivals-server --demo` (fest-demo.h). */
gboolean
fest_demo_add_wallets (FestServer         *server,
                       FestFestivalStore  *store,
                       const FestDemoIds  *ids,
                       GError            **error)
{
  DemoWalletsJob job = { ids, { (char *) ids->cashier_id, NULL, NULL, (char *) "festivals-server --demo" } };

  return fest_festival_store_write_sync (store, demo_wallets_job, &job, error) != NULL;
}
