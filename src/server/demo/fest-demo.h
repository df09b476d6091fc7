/* fest-demo.h: the demo festival of `festivals-server --demo`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-server.h"

G_BEGIN_DECLS

#define FEST_DEMO_PASSWORD "festivals-demo"

/* What the framework's part of the demo created, for the other areas' hooks. */
typedef struct
{
  const char *festival_id;
  const char *admin_id;          /* admin@demo.festivals, SUPERADMIN (and ORGANISER) */
  const char *organiser_id;      /* organiser@demo.festivals */
  const char *cashier_id;        /* cashier@demo.festivals */
  const char *scanner_id;        /* scanner@demo.festivals */
  const char *security_id;       /* security@demo.festivals */
  const char *artist_account_id; /* artist@demo.festivals, ARTIST, linked to an artist */
  const char *bar_stand_ids[2];  /* Bar du Lac, Bar de la Scène */
  const char *food_stand_id;
  const char *merch_stand_id;
  const char *recharge_stand_id;
} FestDemoIds;

/* Fills the (empty) server with the demo accounts (password FEST_DEMO_PASSWORD), the festival
 * "Festival des Lumières" and its catalog, then calls each part below.
 * Blocking (fest_festival_store_write_sync): call before serving. */
gboolean fest_demo_populate       (FestServer  *server,
                                   GError     **error);

/* The parts of the demo, called in this order by fest_demo_populate (), blocking, with the
 * festival's store: site plan, wallets with recharges and sales, tickets, lineup, the artist
 * account's guests, incidents. */
gboolean fest_demo_add_wallets    (FestServer         *server,
                                   FestFestivalStore  *store,
                                   const FestDemoIds  *ids,
                                   GError            **error);
gboolean fest_demo_add_tickets    (FestServer         *server,
                                   FestFestivalStore  *store,
                                   const FestDemoIds  *ids,
                                   GError            **error);
gboolean fest_demo_add_lineup     (FestServer         *server,
                                   FestFestivalStore  *store,
                                   const FestDemoIds  *ids,
                                   GError            **error);
/* fest-demo-artist.c: two guests on the list of the artist linked to ids->artist_account_id. */
gboolean fest_demo_add_artist_guests (FestServer         *server,
                                   FestFestivalStore  *store,
                                   const FestDemoIds  *ids,
                                   GError            **error);
gboolean fest_demo_add_incidents  (FestServer         *server,
                                   FestFestivalStore  *store,
                                   const FestDemoIds  *ids,
                                   GError            **error);

/* The site plan (fest-site-plan.c), drawn into the festival's MBTiles file. Never fails the
 * demo: a plan that cannot be written is logged and the map stays blank. */
void     fest_demo_add_site_plan  (FestServer         *server,
                                   FestFestivalStore  *store);
/* Draws the demo festival's site plan into @path, an MBTiles file (replaced if it exists).
 * Blocking: for `--demo` only. */
gboolean fest_site_plan_write_demo (const char        *path,
                                   GError            **error);

G_END_DECLS
