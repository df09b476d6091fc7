/* fest-station-store-catalog.c: the stand's catalog and cached wallet balances
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

/* Public API: catalog and wallets */

static FestStationProduct *
product_from_row (sqlite3_stmt *stmt)
{
  FestStationProduct *product = g_new0 (FestStationProduct, 1);

  product->id = _fest_station_column_dup (stmt, 0);
  product->stand_id = _fest_station_column_dup (stmt, 1);
  product->name = _fest_station_column_dup (stmt, 2);
  product->price = sqlite3_column_int64 (stmt, 3);
  product->vat_rate_bp = sqlite3_column_int (stmt, 4);
  product->category = _fest_station_column_dup (stmt, 5);
  product->has_stock = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
  product->stock = sqlite3_column_int64 (stmt, 6);
  product->is_active = sqlite3_column_int (stmt, 7) != 0;
  return product;
}

#define PRODUCT_COLUMNS "id, stand_id, name, price, vat_rate_bp, category, stock, is_active"

GPtrArray *
fest_station_store_list_products (FestStationStore *self,
                                  const char       *stand_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *products = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_product_free);

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), products);
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self, "SELECT " PRODUCT_COLUMNS " FROM products "
                                      "WHERE (?1 IS NULL OR stand_id = ?1) AND is_active AND NOT deleted "
                                      "ORDER BY COALESCE(category, ''), name", NULL);
  if (stmt == NULL)
    return products;
  _fest_station_bind_text (stmt, 1, stand_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (products, product_from_row (stmt));
  return products;
}

FestStationProduct *
_fest_station_get_product_locked (FestStationStore *self,
                                  const char       *product_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self, "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  _fest_station_bind_text (stmt, 1, product_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return product_from_row (stmt);
}

FestStationProduct *
fest_station_store_get_product (FestStationStore *self,
                                const char       *product_id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = _fest_station_lock (self);
  return _fest_station_get_product_locked (self, product_id);
}

gboolean
fest_station_store_get_wallet (FestStationStore  *self,
                               const char        *code,
                               char             **wallet_id,
                               gint64            *balance,
                               gboolean          *overdrawn)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = _fest_station_lock (self);
  return _fest_station_get_wallet_locked (self, code, wallet_id, balance, overdrawn);
}

gint64
fest_station_store_get_pending_delta (FestStationStore *self,
                                      const char       *wallet_code)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = _fest_station_lock (self);
  return _fest_station_pending_delta_locked (self, wallet_code);
}

gint64
fest_station_store_get_effective_balance (FestStationStore *self,
                                          const char       *wallet_code)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 balance = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = _fest_station_lock (self);
  _fest_station_get_wallet_locked (self, wallet_code, NULL, &balance, NULL);
  return balance + _fest_station_pending_delta_locked (self, wallet_code);
}

void
_fest_station_bind_wallet (sqlite3_stmt *stmt,
                           const char   *wallet_id,
                           const char   *code,
                           gint64        balance,
                           gboolean      overdrawn,
                           gint64        rev)
{
  _fest_station_bind_text (stmt, 1, wallet_id);
  _fest_station_bind_text (stmt, 2, code);
  sqlite3_bind_int64 (stmt, 3, balance);
  sqlite3_bind_int (stmt, 4, overdrawn ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, rev);
}

gboolean
_fest_station_upsert_wallet_locked (FestStationStore  *self,
                                    const char        *wallet_id,
                                    const char        *code,
                                    gint64             balance,
                                    gboolean           overdrawn,
                                    gint64             rev,
                                    GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = _fest_station_prepare (self, WALLET_UPSERT_SQL, error);

  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_wallet (stmt, wallet_id, code, balance, overdrawn, rev);
  return _fest_station_step_done (self, stmt, error);
}

gboolean
fest_station_store_update_wallet (FestStationStore  *self,
                                  const char        *wallet_id,
                                  const char        *code,
                                  gint64             balance,
                                  gboolean           overdrawn,
                                  gint64             rev,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (wallet_id != NULL && code != NULL, FALSE);
  locker = _fest_station_lock (self);
  return _fest_station_upsert_wallet_locked (self, wallet_id, code, balance, overdrawn, rev, error);
}

gint64
_fest_station_pending_delta_locked (FestStationStore *self,
                                    const char       *wallet_code)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self, "SELECT COALESCE(SUM(amount_delta), 0) FROM outbox "
                                 "WHERE wallet_code = ? AND state = 0", NULL);

  if (stmt == NULL)
    return 0;
  _fest_station_bind_text (stmt, 1, wallet_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

gboolean
_fest_station_get_wallet_locked (FestStationStore  *self,
                                 const char        *code,
                                 char             **wallet_id,
                                 gint64            *balance,
                                 gboolean          *overdrawn)
{
  g_autoptr(sqlite3_stmt) stmt =
    _fest_station_prepare (self, "SELECT id, balance, overdrawn FROM wallets WHERE code = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, code);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (wallet_id != NULL)
    *wallet_id = _fest_station_column_dup (stmt, 0);
  if (balance != NULL)
    *balance = sqlite3_column_int64 (stmt, 1);
  if (overdrawn != NULL)
    *overdrawn = sqlite3_column_int (stmt, 2) != 0;
  return TRUE;
}
