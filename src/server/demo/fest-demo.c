/* fest-demo.c: the demo festival of `festivals-server --demo`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-catalog-repo.h"
#include "fest-demo.h"
#include "fest-gates-repo.h"
#include "fest-routes-platform-private.h"
#include "fest-platform-store.h"
#include "fest-server-private.h"

typedef struct
{
  const char *email;
  const char *name;
  gboolean    superadmin;
  FestRoles   roles;
} DemoAccount;

static const DemoAccount demo_accounts[] = {
  { "admin@demo.festivals", "Alice Admin", TRUE, FEST_ROLE_ORGANISER },
  { "organiser@demo.festivals", "Odile Organisatrice", FALSE, FEST_ROLE_ORGANISER },
  { "cashier@demo.festivals", "Camille Caisse", FALSE, FEST_ROLE_CASHIER },
  { "scanner@demo.festivals", "Sacha Scan", FALSE, FEST_ROLE_SCANNER },
  { "security@demo.festivals", "Samir Sécurité", FALSE, FEST_ROLE_SECURITY },
  { "artist@demo.festivals", "Paul Polo", FALSE, FEST_ROLE_ARTIST },
  /* The security lead assigns the incidents (issue 18). */
  { "lead@demo.festivals", "Léa Lead", FALSE, FEST_ROLE_SECURITY | FEST_ROLE_SECURITY_LEAD },
};

typedef struct
{
  const char *name;
  double      lat, lng;
  const char *zone;
} DemoGate;

/* The entrances the scanner stations pick from; the demo's duplicate entry happens at Porte Sud. */
static const DemoGate demo_gates[] = {
  { "Porte Nord", 45.7524, 4.8502, "Nord" },
  { "Porte Sud", 45.7486, 4.8497, "Sud" },
};

typedef struct
{
  const char *name;
  const char *type;
  double      lat, lng;
  const char *zone;
} DemoStand;

static const DemoStand demo_stands[] = {
  { "Bar du Lac", "BAR", 45.7512, 4.8491, "Nord" },
  { "Bar de la Scène", "BAR", 45.7497, 4.8512, "Grande scène" },
  { "Food Truck Lumière", "FOOD", 45.7503, 4.8478, "Village" },
  { "Merch Officiel", "MERCH", 45.7508, 4.8523, "Entrée" },
  { "Recharge Entrée", "RECHARGE", 45.7515, 4.8530, "Entrée" },
};

typedef struct
{
  guint       stand;      /* index in demo_stands */
  const char *name;
  gint64      price;      /* minor units: 100 = 1 Jeton = 0.10 EUR */
  guint       vat_rate_bp;
  const char *category;
  gint64      stock;      /* -1: unlimited */
} DemoProduct;

static const DemoProduct demo_products[] = {
  { 0, "Bière pression 25 cl", 5000, 2000, "Bières", -1 },
  { 0, "Bière pression 50 cl", 9000, 2000, "Bières", -1 },
  { 0, "Verre de vin", 6000, 2000, "Vins", -1 },
  { 0, "Eau minérale 50 cl", 2000, 1000, "Sans alcool", -1 },
  { 1, "Bière pression 25 cl", 5000, 2000, "Bières", -1 },
  { 1, "Cocktail Lumière", 10000, 2000, "Cocktails", 300 },
  { 1, "Soda 33 cl", 3000, 1000, "Sans alcool", -1 },
  { 2, "Burger lyonnais", 11000, 1000, "Plats", 400 },
  { 2, "Frites", 4000, 1000, "Accompagnements", -1 },
  { 2, "Crêpe au sucre", 3500, 1000, "Desserts", -1 },
  { 3, "T-shirt du festival", 25000, 2000, "Textile", 150 },
  { 3, "Gobelet collector", 3000, 2000, "Accessoires", 1000 },
};

typedef struct
{
  FestActor  *actor;
  char       *stand_ids[G_N_ELEMENTS (demo_stands)];
} CatalogJob;

static gboolean
catalog_job (FestWriteCtx    *ctx,
             gpointer         job_data,
             gpointer        *result,
             GDestroyNotify  *result_free,
             GError         **error)
{
  CatalogJob *job = job_data;
  g_autofree char *now = fest_time_now ();

  for (guint i = 0; i < G_N_ELEMENTS (demo_stands); i++)
    {
      FestStandRow stand = {
        .id = job->stand_ids[i],
        .name = (char *) demo_stands[i].name,
        .type = (char *) demo_stands[i].type,
        .has_location = TRUE,
        .lat = demo_stands[i].lat,
        .lng = demo_stands[i].lng,
        .zone = (char *) demo_stands[i].zone,
        .is_active = TRUE,
        .created_at = now,
        .updated_at = now,
      };
      gint64 rev = fest_write_ctx_next_rev (ctx, error);

      if (rev < 0 || !fest_catalog_repo_write_stand (ctx, &stand, TRUE, rev, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_products); i++)
    {
      const DemoProduct *demo = &demo_products[i];
      g_autofree char *id = fest_uuid_new ();
      FestProductRow product = {
        .id = id,
        .stand_id = job->stand_ids[demo->stand],
        .name = (char *) demo->name,
        .price = demo->price,
        .vat_rate_bp = demo->vat_rate_bp,
        .category = (char *) demo->category,
        .has_stock = demo->stock >= 0,
        .stock = demo->stock,
        .is_active = TRUE,
        .created_at = now,
        .updated_at = now,
      };
      gint64 rev = fest_write_ctx_next_rev (ctx, error);

      if (rev < 0 || !fest_catalog_repo_write_product (ctx, &product, TRUE, TRUE, rev, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_gates); i++)
    {
      g_autofree char *id = fest_uuid_new ();
      FestGateRow gate = {
        .id = id,
        .name = (char *) demo_gates[i].name,
        .has_location = TRUE,
        .lat = demo_gates[i].lat,
        .lng = demo_gates[i].lng,
        .zone = (char *) demo_gates[i].zone,
        .created_at = now,
        .updated_at = now,
      };

      if (!fest_gates_repo_write (ctx, &gate, TRUE, error))
        return FALSE;
    }

  if (!fest_write_ctx_audit (ctx, job->actor, "demo.populate", "festival", NULL, NULL, NULL, error))
    return FALSE;

  /* write_sync returns the result: non-NULL says it worked. */
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

static char *
iso_day_offset (GDateTime *base,
                int        days,
                int        hour)
{
  g_autoptr(GDateTime) day = g_date_time_add_days (base, days);
  g_autoptr(GDateTime) at = g_date_time_new_utc (g_date_time_get_year (day),
                                                 g_date_time_get_month (day),
                                                 g_date_time_get_day_of_month (day), hour, 0, 0);

  return fest_time_format (at);
}

gboolean
fest_demo_populate (FestServer  *server,
                    GError     **error)
{
  FestPlatformStore *platform = fest_server_get_platform (server);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *festival_id = fest_uuid_new ();
  g_autofree char *starts_at = NULL;
  g_autofree char *ends_at = NULL;
  g_autoptr(GPtrArray) account_ids = g_ptr_array_new_with_free_func (g_free);
  FestActor actor = { 0 };
  CatalogJob job = { 0 };
  FestFestivalStore *store;
  FestDemoIds ids = { 0 };
  gboolean ok = FALSE;

  g_return_val_if_fail (FEST_IS_SERVER (server), FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
    {
      g_autofree char *hash = fest_password_hash (FEST_DEMO_PASSWORD, error);
      g_autoptr(FestAccount) account = NULL;

      if (hash == NULL)
        return FALSE;
      account = fest_platform_store_create_account (platform, demo_accounts[i].email,
                                                    demo_accounts[i].name, hash,
                                                    demo_accounts[i].superadmin, error);
      if (account == NULL)
        return FALSE;
      g_ptr_array_add (account_ids, g_strdup (account->id));
    }

  /* Running now: it started yesterday and ends in three days, in Lyon. */
  starts_at = iso_day_offset (now, -1, 10);
  ends_at = iso_day_offset (now, 3, 22);

  actor.account_id = g_ptr_array_index (account_ids, 0);
  actor.user_agent = (char *) "festivals-server --demo";

  store = _fest_server_create_festival (server, festival_id, error);
  if (store == NULL)
    return FALSE;
  if (!_fest_festival_insert (store, festival_id, "Festival des Lumières", starts_at, ends_at,
                              "Europe/Paris", "Jetons", 10, 45.75, 4.85, &actor, error)
      || !fest_platform_store_add_festival (platform, festival_id, "Festival des Lumières",
                                            actor.account_id, error))
    {
      _fest_server_discard_festival (server, festival_id);
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
    if (!fest_platform_store_set_roles (platform, festival_id, g_ptr_array_index (account_ids, i),
                                        demo_accounts[i].roles, TRUE, error))
      return FALSE;

  job.actor = &actor;
  for (guint i = 0; i < G_N_ELEMENTS (demo_stands); i++)
    job.stand_ids[i] = fest_uuid_new ();
  if (fest_festival_store_write_sync (store, catalog_job, &job, error) == NULL)
    goto out;
  fest_demo_add_site_plan (server, store);

  ids.festival_id = festival_id;
  ids.admin_id = g_ptr_array_index (account_ids, 0);
  ids.organiser_id = g_ptr_array_index (account_ids, 1);
  ids.cashier_id = g_ptr_array_index (account_ids, 2);
  ids.scanner_id = g_ptr_array_index (account_ids, 3);
  ids.security_id = g_ptr_array_index (account_ids, 4);
  ids.artist_account_id = g_ptr_array_index (account_ids, 5);
  ids.bar_stand_ids[0] = job.stand_ids[0];
  ids.bar_stand_ids[1] = job.stand_ids[1];
  ids.food_stand_id = job.stand_ids[2];
  ids.merch_stand_id = job.stand_ids[3];
  ids.recharge_stand_id = job.stand_ids[4];

  if (!fest_demo_add_wallets (server, store, &ids, error))
    goto out;
  if (!fest_demo_add_tickets (server, store, &ids, error))
    goto out;
  if (!fest_demo_add_lineup (server, store, &ids, error))
    goto out;
  if (!fest_demo_add_artist_guests (server, store, &ids, error))
    goto out;
  if (!fest_demo_add_incidents (server, store, &ids, error))
    goto out;

  g_message ("Demo festival “Festival des Lumières” ready: log in as admin@demo.festivals, "
             "organiser@, cashier@, scanner@, security@, lead@ or artist@demo.festivals, password %s",
             FEST_DEMO_PASSWORD);
  ok = TRUE;

out:
  for (guint i = 0; i < G_N_ELEMENTS (demo_stands); i++)
    g_free (job.stand_ids[i]);
  return ok;
}
