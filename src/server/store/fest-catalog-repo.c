/* fest-catalog-repo.c: stands and products in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-catalog-repo.h"
#include "fest-crud-repo-private.h"

#define STAND_COLUMNS "id, name, type, lat, lng, zone, is_active, created_at, updated_at"
#define PRODUCT_COLUMNS \
  "id, stand_id, name, price, vat_rate_bp, category, stock, is_active, created_at, updated_at"

void
fest_stand_row_clear (FestStandRow *stand)
{
  g_clear_pointer (&stand->id, g_free);
  g_clear_pointer (&stand->name, g_free);
  g_clear_pointer (&stand->type, g_free);
  g_clear_pointer (&stand->zone, g_free);
  g_clear_pointer (&stand->created_at, g_free);
  g_clear_pointer (&stand->updated_at, g_free);
}

void
fest_product_row_clear (FestProductRow *product)
{
  g_clear_pointer (&product->id, g_free);
  g_clear_pointer (&product->stand_id, g_free);
  g_clear_pointer (&product->name, g_free);
  g_clear_pointer (&product->category, g_free);
  g_clear_pointer (&product->created_at, g_free);
  g_clear_pointer (&product->updated_at, g_free);
}

static void
stand_read (gpointer    row,
            FestDbStmt *stmt)
{
  FestStandRow *stand = row;

  stand->id = fest_crud_column_dup (stmt, 0);
  stand->name = fest_crud_column_dup (stmt, 1);
  stand->type = fest_crud_column_dup (stmt, 2);
  stand->has_location = !fest_db_column_is_null (stmt, 3);
  stand->lat = fest_db_column_double (stmt, 3);
  stand->lng = fest_db_column_double (stmt, 4);
  stand->zone = fest_crud_column_dup (stmt, 5);
  stand->is_active = fest_db_column_int (stmt, 6) != 0;
  stand->created_at = fest_crud_column_dup (stmt, 7);
  stand->updated_at = fest_crud_column_dup (stmt, 8);
}

static void
product_read (gpointer    row,
              FestDbStmt *stmt)
{
  FestProductRow *product = row;

  product->id = fest_crud_column_dup (stmt, 0);
  product->stand_id = fest_crud_column_dup (stmt, 1);
  product->name = fest_crud_column_dup (stmt, 2);
  product->price = fest_db_column_int64 (stmt, 3);
  product->vat_rate_bp = (guint) fest_db_column_int (stmt, 4);
  product->category = fest_crud_column_dup (stmt, 5);
  product->has_stock = !fest_db_column_is_null (stmt, 6);
  product->stock = fest_db_column_int64 (stmt, 6);
  product->is_active = fest_db_column_int (stmt, 7) != 0;
  product->created_at = fest_crud_column_dup (stmt, 8);
  product->updated_at = fest_crud_column_dup (stmt, 9);
}

const FestCrudTable fest_catalog_stands = {
  .select_sql = "SELECT " STAND_COLUMNS " FROM stands WHERE id = ?1 AND deleted = 0",
  .count_sql = "SELECT COUNT(*) FROM stands WHERE deleted = 0",
  .list_sql = "SELECT " STAND_COLUMNS " FROM stands WHERE deleted = 0 ORDER BY rowid LIMIT ?2 OFFSET ?3",
  .delete_sql = "UPDATE stands SET deleted = 1, rev = ?2, updated_at = ?3 WHERE id = ?1",
  .cascade_sql = "UPDATE products SET deleted = 1, rev = ?2, updated_at = ?3 WHERE stand_id = ?1 AND deleted = 0",
  .row_size = sizeof (FestStandRow),
  .read = stand_read,
  .clear = (GDestroyNotify) fest_stand_row_clear,
};

const FestCrudTable fest_catalog_products = {
  .select_sql = "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ?1 AND deleted = 0",
  .count_sql = "SELECT COUNT(*) FROM products WHERE deleted = 0 AND (CAST(?1 AS TEXT) IS NULL OR stand_id = ?1)",
  .list_sql = "SELECT " PRODUCT_COLUMNS " FROM products WHERE deleted = 0 AND (CAST(?1 AS TEXT) IS NULL OR stand_id = ?1) "
              "ORDER BY rowid LIMIT ?2 OFFSET ?3",
  .delete_sql = "UPDATE products SET deleted = 1, rev = ?2, updated_at = ?3 WHERE id = ?1",
  .row_size = sizeof (FestProductRow),
  .read = product_read,
  .clear = (GDestroyNotify) fest_product_row_clear,
};

gboolean
fest_catalog_repo_write_stand (FestWriteCtx        *ctx,
                               const FestStandRow  *stand,
                               gboolean             insert,
                               gint64               rev,
                               GError             **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO stands (id, name, type, lat, lng, zone, is_active, rev, created_at,"
                                   " updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE stands SET name = ?2, type = ?3, lat = ?4, lng = ?5, zone = ?6,"
                                   " is_active = ?7, rev = ?8, updated_at = ?10 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, stand->id);
  fest_db_bind_text (stmt, 2, stand->name);
  fest_db_bind_text (stmt, 3, stand->type);
  if (stand->has_location)
    {
      fest_db_bind_double (stmt, 4, stand->lat);
      fest_db_bind_double (stmt, 5, stand->lng);
    }
  fest_crud_bind_nullable_text (stmt, 6, stand->zone);
  fest_db_bind_int64 (stmt, 7, stand->is_active ? 1 : 0);
  fest_db_bind_int64 (stmt, 8, rev);
  if (insert)
    fest_db_bind_text (stmt, 9, stand->created_at);
  fest_db_bind_text (stmt, 10, stand->updated_at);
  return fest_crud_step_done (ctx, stmt, error);
}

gboolean
fest_catalog_repo_write_product (FestWriteCtx          *ctx,
                                 const FestProductRow  *product,
                                 gboolean               insert,
                                 gboolean               stock_changed,
                                 gint64                 rev,
                                 GError               **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO products (id, stand_id, name, price, vat_rate_bp, category, stock,"
                                   " is_active, rev, created_at, updated_at, stock_base, stock_base_seq) "
                                   "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?7,"
                                   " (SELECT COALESCE(MAX(seq), 0) FROM transactions))", error);
  else if (stock_changed)
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE products SET stand_id = ?2, name = ?3, price = ?4, vat_rate_bp = ?5,"
                                   " category = ?6, stock = ?7, is_active = ?8, rev = ?9, updated_at = ?11,"
                                   " stock_base = ?7, stock_overdrawn = 0,"
                                   " stock_base_seq = (SELECT COALESCE(MAX(seq), 0) FROM transactions) "
                                   "WHERE id = ?1", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE products SET stand_id = ?2, name = ?3, price = ?4, vat_rate_bp = ?5,"
                                   " category = ?6, is_active = ?8, rev = ?9, updated_at = ?11 "
                                   "WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, product->id);
  fest_db_bind_text (stmt, 2, product->stand_id);
  fest_db_bind_text (stmt, 3, product->name);
  fest_db_bind_int64 (stmt, 4, product->price);
  fest_db_bind_int64 (stmt, 5, (int) product->vat_rate_bp);
  fest_crud_bind_nullable_text (stmt, 6, product->category);
  if (product->has_stock && (insert || stock_changed))
    fest_db_bind_int64 (stmt, 7, product->stock);
  fest_db_bind_int64 (stmt, 8, product->is_active ? 1 : 0);
  fest_db_bind_int64 (stmt, 9, rev);
  if (insert)
    fest_db_bind_text (stmt, 10, product->created_at);
  fest_db_bind_text (stmt, 11, product->updated_at);
  return fest_crud_step_done (ctx, stmt, error);
}

JsonObject *
fest_catalog_repo_stand_brief (FestFestivalStore *store,
                               const char        *stand_id)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store,
                                                         "SELECT id, name, type FROM stands"
                                                         " WHERE id = ?1 AND deleted = 0",
                                                         NULL);
  JsonObject *stand = NULL;

  if (stmt == NULL)
    return NULL;
  fest_db_bind_text_copy (stmt, 1, stand_id);
  if (fest_db_step (stmt) == FEST_DB_ROW)
    {
      stand = json_object_new ();
      json_object_set_string_member (stand, "id", fest_db_column_text (stmt, 0));
      json_object_set_string_member (stand, "name", fest_db_column_text (stmt, 1));
      json_object_set_string_member (stand, "type", fest_db_column_text (stmt, 2));
    }
  fest_db_reset (stmt);
  fest_db_clear_bindings (stmt);
  return stand;
}

gboolean
fest_catalog_repo_stand_exists (FestFestivalStore  *store,
                                const char         *stand_id,
                                gboolean           *found,
                                GError            **error)
{
  FestDbStmt *stmt;
  int rc;

  *found = FALSE;
  stmt = fest_festival_store_prepare_read (store, "SELECT 1 FROM stands WHERE id = ?1 AND deleted = 0",
                                           error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, stand_id);
  rc = fest_db_step (stmt);
  *found = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    fest_db_error (fest_festival_store_get_read_db (store), error);
  fest_db_reset (stmt);
  fest_db_clear_bindings (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}
