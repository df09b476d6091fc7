/* fest-shifts.c: opening and closing a till's cash shift (issue 19, DESIGN §12)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-shifts-repo.h"
#include "fest-shifts.h"

static char *
owner_of (const FestActor *actor)
{
  if (actor != NULL && actor->device_id != NULL)
    return g_strconcat ("device:", actor->device_id, NULL);
  return g_strconcat ("account:", actor != NULL && actor->account_id != NULL ? actor->account_id : "", NULL);
}

static GError *
conflict (const char *reason,
          const char *shift_id,
          const char *message)
{
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (details, "reason", reason);
  if (shift_id != NULL)
    json_object_set_string_member (details, "shift_id", shift_id);
  json_node_take_object (node, details);
  return fest_error_new_with_details (FEST_ERROR_CONFLICT, node, "%s", message);
}

gboolean
fest_shifts_open (FestWriteCtx     *ctx,
                  const char       *stand_id,
                  gint64            opening_float,
                  const char       *opened_at,
                  const FestActor  *actor,
                  JsonNode        **out,
                  GError          **error)
{
  g_autofree char *owner = owner_of (actor);
  g_autofree char *open_id = NULL;
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  gboolean exists;

  if (!fest_shifts_repo_stand_exists (ctx, stand_id, &exists, error))
    return FALSE;
  if (!exists)
    {
      g_propagate_error (error, fest_error_validation ("stand_id", "no such stand"));
      return FALSE;
    }
  if (!fest_shifts_repo_open_of (ctx, owner, &open_id, error))
    return FALSE;
  if (open_id != NULL)
    {
      g_propagate_error (error, conflict ("SHIFT_ALREADY_OPEN", open_id, "this till already has an open shift"));
      return FALSE;
    }
  if (!fest_shifts_repo_insert (ctx, id, stand_id, owner, actor != NULL ? actor->device_id : NULL,
                                actor != NULL ? actor->account_id : NULL, opening_float,
                                opened_at != NULL ? opened_at : now, now, error)
      || !fest_shifts_repo_read (ctx, id, out, error))
    return FALSE;
  if (!fest_write_ctx_audit (ctx, actor, "shift.open", "shift", id, NULL, *out, error))
    {
      g_clear_pointer (out, json_node_unref);
      return FALSE;
    }
  return TRUE;
}

gboolean
fest_shifts_close (FestWriteCtx     *ctx,
                   const char       *shift_id,
                   gint64            counted_cash,
                   const char       *note,
                   const char       *closed_at,
                   gboolean          any_owner,
                   const FestActor  *actor,
                   JsonNode        **out,
                   GError          **error)
{
  g_autoptr(JsonNode) before = NULL;
  g_autofree char *now = fest_time_now ();
  g_autofree char *owner = owner_of (actor);
  g_autofree char *shift_owner = NULL;
  JsonObject *shift;
  const char *device_id, *operator_id;
  gint64 recharges, payouts, expected;

  if (!fest_shifts_repo_read (ctx, shift_id, &before, error))
    return FALSE;
  if (before == NULL)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such shift");
      return FALSE;
    }
  shift = json_node_get_object (before);
  device_id = json_object_get_string_member_with_default (shift, "device_id", NULL);
  operator_id = json_object_get_string_member_with_default (shift, "operator_id", NULL);
  shift_owner = device_id != NULL ? g_strconcat ("device:", device_id, NULL)
                                  : g_strconcat ("account:", operator_id != NULL ? operator_id : "", NULL);
  if (!any_owner && !g_str_equal (owner, shift_owner))
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_FORBIDDEN, "Only the till that opened a shift closes it");
      return FALSE;
    }
  if (g_strcmp0 (json_object_get_string_member (shift, "status"), "CLOSED") == 0)
    {
      g_propagate_error (error, conflict ("SHIFT_CLOSED", shift_id, "the shift is already closed"));
      return FALSE;
    }
  if (closed_at == NULL)
    closed_at = now;
  if (!fest_shifts_repo_cash_sums (ctx, shift_id, device_id, operator_id, &recharges, &payouts, error))
    return FALSE;
  if (!fest_money_add (json_object_get_int_member (shift, "opening_float"), recharges, &expected)
      || !fest_money_sub (expected, payouts, &expected))
    {
      g_propagate_error (error, fest_error_validation ("counted_cash", "the shift's cash overflows"));
      return FALSE;
    }
  if (!fest_shifts_repo_close (ctx, shift_id, closed_at, counted_cash, recharges, payouts, expected, note,
                               actor != NULL ? (actor->account_id != NULL ? actor->account_id : actor->device_id) : NULL,
                               error)
      || !fest_shifts_repo_read (ctx, shift_id, out, error))
    return FALSE;
  if (!fest_write_ctx_audit (ctx, actor, "shift.close", "shift", shift_id, before, *out, error))
    {
      g_clear_pointer (out, json_node_unref);
      return FALSE;
    }
  return TRUE;
}
