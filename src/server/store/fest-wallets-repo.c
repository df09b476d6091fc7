/* fest-wallets-repo.c: the wallets table (see fest-wallets-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-ledger-repo-private.h"
#include "fest-wallets-repo.h"

/* The current row of @stmt (FEST_LEDGER_WALLET_COLUMNS from column 0). */
static JsonNode *
wallet_to_json (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (object, "id", fest_db_column_text (stmt, 0));
  json_object_set_string_member (object, "code", fest_db_column_text (stmt, 1));
  fest_json_set_nullable_string (object, "holder_name", fest_db_column_text (stmt, 2));
  fest_json_set_nullable_string (object, "user_id", fest_db_column_text (stmt, 3));
  json_object_set_int_member (object, "balance", fest_db_column_int64 (stmt, 4));
  json_object_set_boolean_member (object, "overdrawn", fest_db_column_int (stmt, 5) != 0);
  json_object_set_string_member (object, "created_at", fest_db_column_text (stmt, 6));
  json_object_set_string_member (object, "updated_at", fest_db_column_text (stmt, 7));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

static const char *
select_sql (FestWalletKey key)
{
  switch (key)
    {
    case FEST_WALLET_BY_ID:
      return "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE id = ?1";
    case FEST_WALLET_BY_CODE:
      return "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE code = ?1";
    case FEST_WALLET_BY_USER:
    default:
      return "SELECT " FEST_LEDGER_WALLET_COLUMNS " FROM wallets WHERE user_id = ?1";
    }
}

/* Steps @stmt once (bound, cached): *wallet the row's JSON or NULL. Resets @stmt. */
static gboolean
step_wallet (FestDbStmt  *stmt,
             JsonNode   **wallet,
             GError     **error)
{
  int rc = fest_db_step (stmt);

  *wallet = NULL;
  if (rc == FEST_DB_ROW)
    *wallet = wallet_to_json (stmt);
  else if (rc != FEST_DB_DONE)
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

/* Writer thread */

gboolean
fest_wallets_repo_insert (FestWriteCtx  *ctx,
                          const char    *id,
                          const char    *code,
                          const char    *holder_name,
                          const char    *user_id,
                          gint64         rev,
                          const char    *now,
                          JsonNode     **wallet,
                          GError       **error)
{
  g_autoptr(JsonNode) node = NULL;
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO wallets (id, code, holder_name, user_id, balance, overdrawn, rev,"
                                 " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?6, ?6) "
                                 "RETURNING " FEST_LEDGER_WALLET_COLUMNS, error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, code);
  fest_db_bind_text (stmt, 3, holder_name);
  fest_db_bind_text (stmt, 4, user_id);
  fest_db_bind_int64 (stmt, 5, rev);
  fest_db_bind_text (stmt, 6, now);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      return FALSE;
    }
  node = wallet_to_json (stmt);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    {
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  *wallet = g_steal_pointer (&node);
  return TRUE;
}

gboolean
fest_wallets_repo_find (FestWriteCtx  *ctx,
                        FestWalletKey  key,
                        const char    *value,
                        JsonNode     **wallet,
                        GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, select_sql (key), error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, value);
  return step_wallet (stmt, wallet, error);
}

gboolean
fest_wallets_repo_user_has_wallet (FestWriteCtx *ctx,
                                   const char   *user_id,
                                   gboolean     *exists,
                                   GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM wallets WHERE user_id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, user_id);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  *exists = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

gboolean
fest_wallets_repo_set_code (FestWriteCtx *ctx,
                            const char   *id,
                            const char   *code,
                            GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "UPDATE wallets SET code = ?2 WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_copy (stmt, 1, id);
  fest_db_bind_text (stmt, 2, code);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

gboolean
fest_wallets_repo_demo_products (FestWriteCtx *ctx,
                                 GPtrArray    *ids,
                                 GPtrArray    *stand_ids,
                                 GError      **error)
{
  FestDbStmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, stand_id FROM products "
                                 "WHERE deleted = 0 AND is_active = 1 AND stock IS NULL "
                                 "ORDER BY created_at, id",
                                 error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      g_ptr_array_add (ids, g_strdup (fest_db_column_text (stmt, 0)));
      g_ptr_array_add (stand_ids, g_strdup (fest_db_column_text (stmt, 1)));
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

/* Main thread */

gboolean
fest_wallets_repo_get (FestFestivalStore  *store,
                       FestWalletKey       key,
                       const char         *value,
                       JsonNode          **wallet,
                       GError            **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store, select_sql (key), error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, value);
  return step_wallet (stmt, wallet, error);
}

gboolean
fest_wallets_repo_exists (FestFestivalStore *store,
                          const char        *id,
                          gboolean          *exists,
                          GError           **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store, "SELECT 1 FROM wallets WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  *exists = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    fest_db_error (fest_festival_store_get_read_db (store), error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}
