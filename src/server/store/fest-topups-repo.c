/* fest-topups-repo.c: the topups table (see fest-topups-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-store-private.h"
#include "fest-topups-repo.h"

#define TOPUP_COLUMNS \
  "id, wallet_id, amount, status, provider, provider_reference, created_at, confirmed_at, transaction_id"

static void
set_text_column (JsonObject *object,
                 const char *member,
                 FestDbStmt *stmt,
                 int         column)
{
  if (fest_db_column_is_null (stmt, column))
    json_object_set_null_member (object, member);
  else
    json_object_set_string_member (object, member, fest_db_column_text (stmt, column));
}

/* The current row of @stmt (TOPUP_COLUMNS from column 0). */
static JsonNode *
topup_to_json (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  set_text_column (object, "id", stmt, 0);
  set_text_column (object, "wallet_id", stmt, 1);
  json_object_set_int_member (object, "amount", fest_db_column_int64 (stmt, 2));
  set_text_column (object, "status", stmt, 3);
  set_text_column (object, "provider", stmt, 4);
  set_text_column (object, "reference", stmt, 5);
  set_text_column (object, "created_at", stmt, 6);
  set_text_column (object, "confirmed_at", stmt, 7);
  set_text_column (object, "transaction_id", stmt, 8);
  json_node_take_object (node, object);
  return node;
}

static gboolean
step_done (FestWriteCtx  *ctx,
           FestDbStmt    *stmt,
           GError       **error)
{
  gboolean done = fest_db_step (stmt) == FEST_DB_DONE;

  if (!done)
    fest_db_error (fest_write_ctx_get_db (ctx), error);
  fest_db_reset (stmt);
  return done;
}

static gboolean
step_topup (FestDbStmt  *stmt,
            JsonNode   **topup,
            GError     **error)
{
  int rc = fest_db_step (stmt);

  *topup = NULL;
  if (rc == FEST_DB_ROW)
    *topup = topup_to_json (stmt);
  else if (rc != FEST_DB_DONE)
    fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  return rc == FEST_DB_ROW || rc == FEST_DB_DONE;
}

gboolean
fest_topups_repo_insert (FestWriteCtx  *ctx,
                         const char    *id,
                         const char    *wallet_id,
                         const char    *user_id,
                         gint64         amount,
                         const char    *provider,
                         const char    *now,
                         GError       **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO topups (id, wallet_id, user_id, amount, status, provider, created_at)"
                                 " VALUES (?1, ?2, ?3, ?4, 'PENDING', ?5, ?6)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, wallet_id);
  fest_db_bind_text (stmt, 3, user_id);
  fest_db_bind_int64 (stmt, 4, amount);
  fest_db_bind_text (stmt, 5, provider);
  fest_db_bind_text (stmt, 6, now);
  return step_done (ctx, stmt, error);
}

gboolean
fest_topups_repo_find (FestWriteCtx  *ctx,
                       const char    *id,
                       JsonNode     **topup,
                       GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT " TOPUP_COLUMNS " FROM topups WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  return step_topup (stmt, topup, error);
}

gboolean
fest_topups_repo_user_id (FestWriteCtx  *ctx,
                          const char    *id,
                          char         **user_id,
                          GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT user_id FROM topups WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *user_id = g_strdup (fest_db_column_text (stmt, 0));
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

gboolean
fest_topups_repo_set_outcome (FestWriteCtx  *ctx,
                              const char    *id,
                              const char    *status,
                              const char    *provider_reference,
                              const char    *confirmed_at,
                              const char    *transaction_id,
                              GError       **error)
{
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE topups SET status = ?2, provider_reference = ?3, confirmed_at = ?4,"
                                 " transaction_id = ?5 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, status);
  fest_db_bind_text (stmt, 3, provider_reference);
  fest_db_bind_text (stmt, 4, confirmed_at);
  fest_db_bind_text (stmt, 5, transaction_id);
  return step_done (ctx, stmt, error);
}

gboolean
fest_topups_repo_get (FestFestivalStore  *store,
                      const char         *id,
                      const char         *user_id,
                      JsonNode          **topup,
                      GError            **error)
{
  FestDbStmt *stmt;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " TOPUP_COLUMNS " FROM topups WHERE id = ?1 AND user_id = ?2",
                                           error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, user_id);
  return step_topup (stmt, topup, error);
}

gboolean
fest_topups_repo_exists (FestFestivalStore  *store,
                         const char         *id,
                         gboolean           *exists,
                         GError            **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store, "SELECT 1 FROM topups WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, id);
  rc = fest_db_step (stmt);
  fest_db_reset (stmt);
  *exists = rc == FEST_DB_ROW;
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_error (fest_festival_store_get_read_db (store), error);
  return TRUE;
}
