/* fest-festival-repo.c: the festival's own row (settings, ticket keys) in its festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>

#include "fest-festival-repo.h"
#include "fest-store-private.h"

#define FESTIVAL_COLUMNS \
  "id, name, starts_at, ends_at, timezone, currency_name, exchange_rate_cents, lat, lng," \
  " offline_allowance, created_at, updated_at, max_wallet_balance"

void
fest_festival_input_free (gpointer data)
{
  FestFestivalInput *input = data;

  sodium_memzero (input->secret_key, sizeof input->secret_key);
  g_free (input->id);
  g_free (input->name);
  g_free (input->starts_at);
  g_free (input->ends_at);
  g_free (input->timezone);
  g_free (input->currency_name);
  fest_actor_free (input->actor);
  g_free (input);
}

/* One `festival` row (FESTIVAL_COLUMNS) as API JSON. */
static JsonNode *
festival_from_row (FestDbStmt *stmt)
{
  JsonObject *festival = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *location = json_object_new ();

  json_object_set_string_member (festival, "id", fest_db_column_text (stmt, 0));
  json_object_set_string_member (festival, "name", fest_db_column_text (stmt, 1));
  json_object_set_string_member (festival, "starts_at", fest_db_column_text (stmt, 2));
  json_object_set_string_member (festival, "ends_at", fest_db_column_text (stmt, 3));
  json_object_set_string_member (festival, "timezone", fest_db_column_text (stmt, 4));
  json_object_set_string_member (festival, "currency_name",
                                 fest_db_column_text (stmt, 5));
  json_object_set_int_member (festival, "exchange_rate_cents", fest_db_column_int64 (stmt, 6));
  if (!fest_db_column_is_null (stmt, 7) && !fest_db_column_is_null (stmt, 8))
    {
      json_object_set_double_member (location, "lat", fest_db_column_double (stmt, 7));
      json_object_set_double_member (location, "lng", fest_db_column_double (stmt, 8));
      json_object_set_object_member (festival, "location", location);
    }
  else
    {
      json_object_unref (location);
      json_object_set_null_member (festival, "location");
    }
  json_object_set_int_member (festival, "offline_allowance", fest_db_column_int64 (stmt, 9));
  json_object_set_string_member (festival, "created_at",
                                 fest_db_column_text (stmt, 10));
  json_object_set_string_member (festival, "updated_at",
                                 fest_db_column_text (stmt, 11));
  json_object_set_int_member (festival, "max_wallet_balance", fest_db_column_int64 (stmt, 12));
  json_node_take_object (node, festival);
  return node;
}

/* Steps the festival row's statement (@db's) into its JSON; resets it. */
static JsonNode *
read_row (FestDb      *db,
          FestDbStmt  *stmt,
          GError     **error)
{
  JsonNode *node = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    node = festival_from_row (stmt);
  else if (rc == FEST_DB_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
  else
    fest_db_error (db, error);
  fest_db_reset (stmt);
  return node;
}

JsonNode *
fest_festival_repo_read (FestFestivalStore  *store,
                         GError            **error)
{
  return read_row (fest_festival_store_get_read_db (store),
                   fest_festival_store_prepare_read (store, "SELECT " FESTIVAL_COLUMNS " FROM festival LIMIT 1",
                                                     error),
                   error);
}

JsonNode *
fest_festival_repo_read_in (FestWriteCtx  *ctx,
                            GError       **error)
{
  return read_row (fest_write_ctx_get_db (ctx),
                   fest_write_ctx_prepare (ctx, "SELECT " FESTIVAL_COLUMNS " FROM festival LIMIT 1", error),
                   error);
}

gboolean
fest_festival_repo_insert (FestWriteCtx             *ctx,
                           const FestFestivalInput  *input,
                           GError                  **error)
{
  g_autofree char *now = fest_time_now ();
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO festival (id, name, starts_at, ends_at, timezone,"
                                 " currency_name, exchange_rate_cents, lat, lng, offline_allowance,"
                                 " ticket_public_key, ticket_secret_key, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, input->id);
  fest_db_bind_text (stmt, 2, input->name);
  fest_db_bind_text (stmt, 3, input->starts_at);
  fest_db_bind_text (stmt, 4, input->ends_at);
  fest_db_bind_text (stmt, 5, input->timezone);
  fest_db_bind_text (stmt, 6, input->currency_name);
  fest_db_bind_int64 (stmt, 7, input->exchange_rate_cents);
  if (input->has_location)
    {
      fest_db_bind_double (stmt, 8, input->lat);
      fest_db_bind_double (stmt, 9, input->lng);
    }
  fest_db_bind_int64 (stmt, 10, input->offline_allowance);
  fest_db_bind_blob (stmt, 11, input->public_key, sizeof input->public_key);
  fest_db_bind_blob (stmt, 12, input->secret_key, sizeof input->secret_key);
  fest_db_bind_text (stmt, 13, now);
  fest_db_bind_text (stmt, 14, now);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    {
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      fest_db_clear_bindings (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  fest_db_clear_bindings (stmt);

  if (input->has_max_wallet_balance)
    {
      stmt = fest_write_ctx_prepare (ctx, "UPDATE festival SET max_wallet_balance = ?1 WHERE id = ?2", error);
      if (stmt == NULL)
        return FALSE;
      fest_db_bind_int64 (stmt, 1, input->max_wallet_balance);
      fest_db_bind_text (stmt, 2, input->id);
      if (fest_db_step (stmt) != FEST_DB_DONE)
        {
          fest_db_error (fest_write_ctx_get_db (ctx), error);
          fest_db_reset (stmt);
          return FALSE;
        }
      fest_db_reset (stmt);
    }

  return TRUE;
}

gboolean
fest_festival_repo_update (FestWriteCtx             *ctx,
                           const FestFestivalInput  *input,
                           GError                  **error)
{
  g_autofree char *now = fest_time_now ();
  FestDbStmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE festival SET"
                                 " name = COALESCE(?1, name),"
                                 " starts_at = COALESCE(?2, starts_at),"
                                 " ends_at = COALESCE(?3, ends_at),"
                                 " timezone = COALESCE(?4, timezone),"
                                 " currency_name = COALESCE(?5, currency_name),"
                                 " exchange_rate_cents = COALESCE(?6, exchange_rate_cents),"
                                 " lat = CASE WHEN ?7 <> 0 THEN ?8 ELSE lat END,"
                                 " lng = CASE WHEN ?7 <> 0 THEN ?9 ELSE lng END,"
                                 " offline_allowance = COALESCE(?10, offline_allowance),"
                                 " updated_at = ?11,"
                                 " max_wallet_balance = COALESCE(?13, max_wallet_balance)"
                                 " WHERE id = ?12",
                                 error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, input->name);
  fest_db_bind_text (stmt, 2, input->starts_at);
  fest_db_bind_text (stmt, 3, input->ends_at);
  fest_db_bind_text (stmt, 4, input->timezone);
  fest_db_bind_text (stmt, 5, input->currency_name);
  if (input->has_rate)
    fest_db_bind_int64 (stmt, 6, input->exchange_rate_cents);
  fest_db_bind_int64 (stmt, 7, input->has_location || input->clear_location);
  if (input->has_location)
    {
      fest_db_bind_double (stmt, 8, input->lat);
      fest_db_bind_double (stmt, 9, input->lng);
    }
  if (input->has_offline_allowance)
    fest_db_bind_int64 (stmt, 10, input->offline_allowance);
  fest_db_bind_text (stmt, 11, now);
  fest_db_bind_text (stmt, 12, input->id);
  if (input->has_max_wallet_balance)
    fest_db_bind_int64 (stmt, 13, input->max_wallet_balance);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    {
      fest_db_error (fest_write_ctx_get_db (ctx), error);
      fest_db_reset (stmt);
      fest_db_clear_bindings (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  fest_db_clear_bindings (stmt);

  return TRUE;
}
