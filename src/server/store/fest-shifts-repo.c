/* fest-shifts-repo.c: cash shifts of the tills (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-shifts-repo.h"
#include "fest-store-private.h"

#define SHIFT_COLUMNS \
  "id, stand_id, device_id, operator_id, opening_float, opened_at, closed_at, counted_cash, cash_recharges," \
  " cash_payouts, expected_cash, difference, note, closed_by"

static void
set_nullable_int (JsonObject *object,
                  const char *member,
                  FestDbStmt *stmt,
                  int         column)
{
  if (fest_db_column_is_null (stmt, column))
    json_object_set_null_member (object, member);
  else
    json_object_set_int_member (object, member, fest_db_column_int64 (stmt, column));
}

static JsonNode *
shift_json (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  gboolean closed = !fest_db_column_is_null (stmt, 6);

  fest_db_set_text_member (object, "id", stmt, 0);
  fest_db_set_text_member (object, "stand_id", stmt, 1);
  fest_db_set_text_member (object, "device_id", stmt, 2);
  fest_db_set_text_member (object, "operator_id", stmt, 3);
  json_object_set_string_member (object, "status", closed ? "CLOSED" : "OPEN");
  json_object_set_int_member (object, "opening_float", fest_db_column_int64 (stmt, 4));
  fest_db_set_text_member (object, "opened_at", stmt, 5);
  fest_db_set_text_member (object, "closed_at", stmt, 6);
  set_nullable_int (object, "counted_cash", stmt, 7);
  set_nullable_int (object, "cash_recharges", stmt, 8);
  set_nullable_int (object, "cash_payouts", stmt, 9);
  set_nullable_int (object, "expected_cash", stmt, 10);
  set_nullable_int (object, "difference", stmt, 11);
  fest_db_set_text_member (object, "note", stmt, 12);
  fest_db_set_text_member (object, "closed_by", stmt, 13);
  json_node_take_object (node, object);
  return node;
}

gboolean
fest_shifts_repo_stand_exists (FestWriteCtx *ctx,
                               const char   *stand_id,
                               gboolean     *exists,
                               GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM stands WHERE id = ?1 AND deleted = 0", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, stand_id);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *exists = rc == FEST_DB_ROW;
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_shifts_repo_open_of (FestWriteCtx *ctx,
                          const char   *owner,
                          char        **shift_id,
                          GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM shifts WHERE owner = ?1 AND closed_at IS NULL",
                                               error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, owner);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *shift_id = rc == FEST_DB_ROW ? fest_db_column_dup (stmt, 0) : NULL;
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_shifts_repo_insert (FestWriteCtx *ctx,
                         const char   *id,
                         const char   *stand_id,
                         const char   *owner,
                         const char   *device_id,
                         const char   *operator_id,
                         gint64        opening_float,
                         const char   *opened_at,
                         const char   *now,
                         GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "INSERT INTO shifts (id, stand_id, owner, device_id, operator_id,"
                                               " opening_float, opened_at, opened_seq, created_at, updated_at)"
                                               " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7,"
                                               "  (SELECT COALESCE(MAX(seq), 0) FROM transactions), ?8, ?8)", error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, id);
  fest_db_bind_text_or_null (stmt, 2, stand_id);
  fest_db_bind_text_or_null (stmt, 3, owner);
  fest_db_bind_text_or_null (stmt, 4, device_id);
  fest_db_bind_text_or_null (stmt, 5, operator_id);
  fest_db_bind_int64 (stmt, 6, opening_float);
  fest_db_bind_text_or_null (stmt, 7, opened_at);
  fest_db_bind_text_or_null (stmt, 8, now);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_shifts_repo_read (FestWriteCtx  *ctx,
                       const char    *id,
                       JsonNode     **shift,
                       GError       **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx, "SELECT " SHIFT_COLUMNS " FROM shifts WHERE id = ?1", error);
  int rc;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, id);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *shift = rc == FEST_DB_ROW ? shift_json (stmt) : NULL;
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_shifts_repo_cash_sums (FestWriteCtx *ctx,
                            const char   *shift_id,
                            const char   *device_id,
                            const char   *operator_id,
                            gint64       *recharges,
                            gint64       *payouts,
                            GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "SELECT"
                                               " COALESCE(SUM(CASE WHEN type = 'RECHARGE' THEN amount END), 0),"
                                               " COALESCE(-SUM(CASE WHEN type = 'PAYOUT' THEN amount END), 0)"
                                               " FROM transactions"
                                               " WHERE type IN ('RECHARGE', 'PAYOUT') AND COALESCE(payment_method, 'CASH') = 'CASH'"
                                               "  AND seq > (SELECT opened_seq FROM shifts WHERE id = ?3)"
                                               "  AND (CASE WHEN CAST(?1 AS TEXT) IS NOT NULL THEN device_id = ?1"
                                               "       ELSE device_id IS NULL AND operator_id = ?2 END)",
                                               error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, device_id);
  fest_db_bind_text_or_null (stmt, 2, operator_id);
  fest_db_bind_text_or_null (stmt, 3, shift_id);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_fail (stmt, error);
  *recharges = fest_db_column_int64 (stmt, 0);
  *payouts = fest_db_column_int64 (stmt, 1);
  fest_db_reset (stmt);
  return TRUE;
}

gboolean
fest_shifts_repo_close (FestWriteCtx *ctx,
                        const char   *id,
                        const char   *closed_at,
                        gint64        counted,
                        gint64        recharges,
                        gint64        payouts,
                        gint64        expected,
                        const char   *note,
                        const char   *closed_by,
                        GError      **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "UPDATE shifts SET closed_at = ?2, counted_cash = ?3, cash_recharges = ?4,"
                                               " cash_payouts = ?5, expected_cash = ?6, difference = CAST(?3 AS BIGINT) - CAST(?6 AS BIGINT), note = ?7,"
                                               " closed_by = ?8, updated_at = ?2 WHERE id = ?1 AND closed_at IS NULL",
                                               error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, id);
  fest_db_bind_text_or_null (stmt, 2, closed_at);
  fest_db_bind_int64 (stmt, 3, counted);
  fest_db_bind_int64 (stmt, 4, recharges);
  fest_db_bind_int64 (stmt, 5, payouts);
  fest_db_bind_int64 (stmt, 6, expected);
  fest_db_bind_text_or_null (stmt, 7, note);
  fest_db_bind_text_or_null (stmt, 8, closed_by);
  return fest_db_step_done (stmt, error);
}

gboolean
fest_shifts_repo_get (FestFestivalStore *store,
                      const char        *id,
                      JsonNode         **shift,
                      GError           **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store, "SELECT " SHIFT_COLUMNS " FROM shifts WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, id);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  *shift = rc == FEST_DB_ROW ? shift_json (stmt) : NULL;
  return TRUE;
}

gboolean
fest_shifts_repo_list (FestFestivalStore     *store,
                       const FestShiftFilter *filter,
                       JsonArray             *out,
                       GError               **error)
{
  FestDbStmt *stmt FEST_STMT_AUTO_RESET = NULL;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " SHIFT_COLUMNS " FROM shifts"
                                           " WHERE (CAST(?1 AS TEXT) IS NULL OR stand_id = ?1)"
                                           "  AND (CAST(?2 AS TEXT) IS NULL OR (?2 = 'open') = (closed_at IS NULL))"
                                           "  AND (CAST(?3 AS TEXT) IS NULL OR opened_at >= ?3) AND (CAST(?4 AS TEXT) IS NULL OR opened_at < ?4)"
                                           " ORDER BY opened_at DESC, id", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_or_null (stmt, 1, filter->stand_id);
  fest_db_bind_text_or_null (stmt, 2, filter->status);
  fest_db_bind_text_or_null (stmt, 3, filter->from);
  fest_db_bind_text_or_null (stmt, 4, filter->to);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    json_array_add_element (out, shift_json (stmt));
  if (rc != FEST_DB_DONE)
    return fest_db_stmt_fail (stmt, error);
  return TRUE;
}
