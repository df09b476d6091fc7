/* fest-catalog-repo.h: stands and products in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-crud-repo.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  char     *name;
  char     *type;
  gboolean  has_location;
  double    lat;
  double    lng;
  char     *zone;
  gboolean  is_active;
  char     *created_at;
  char     *updated_at;
} FestStandRow;

typedef struct
{
  char     *id;
  char     *stand_id;
  char     *name;
  gint64    price;
  guint     vat_rate_bp;
  char     *category;
  gboolean  has_stock;
  gint64    stock;
  gboolean  is_active;
  char     *created_at;
  char     *updated_at;
} FestProductRow;

void fest_stand_row_clear   (FestStandRow   *stand);
void fest_product_row_clear (FestProductRow *product);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestStandRow, fest_stand_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestProductRow, fest_product_row_clear)

/* Live (not deleted) stands; a delete marks the stand's products deleted too. */
extern const FestCrudTable fest_catalog_stands;
/* Live products; list filter 1: stand_id. */
extern const FestCrudTable fest_catalog_products;

/* Writer thread: every column of @stand (INSERT when @insert, else UPDATE). */
gboolean    fest_catalog_repo_write_stand   (FestWriteCtx          *ctx,
                                             const FestStandRow    *stand,
                                             gboolean               insert,
                                             gint64                 rev,
                                             GError               **error);
/* Writer thread: every column of @product. When the stock is set (@stock_changed), it also
 * records the new stock base for fest_ledger_check(). */
gboolean    fest_catalog_repo_write_product (FestWriteCtx          *ctx,
                                             const FestProductRow  *product,
                                             gboolean               insert,
                                             gboolean               stock_changed,
                                             gint64                 rev,
                                             GError               **error);
/* Main thread: whether a live stand has this id. */
gboolean    fest_catalog_repo_stand_exists  (FestFestivalStore     *store,
                                             const char            *stand_id,
                                             gboolean              *found,
                                             GError               **error);
/* Main thread: {id, name, type} of a live stand, or NULL. */
JsonObject *fest_catalog_repo_stand_brief   (FestFestivalStore     *store,
                                             const char            *stand_id);

G_END_DECLS
