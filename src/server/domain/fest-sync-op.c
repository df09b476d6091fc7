/* fest-sync-op.c: one operation of a station's POST /sync batch, parsed
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-idempotency.h"
#include "fest-ledger-private.h"
#include "fest-sync-op.h"

static void
clear_payload (FestSyncOp *op)
{
  if (op->kind == FEST_SYNC_OP_TRANSACTION_CREATE)
    fest_transaction_input_clear (&op->u.transaction);
  else if (op->kind == FEST_SYNC_OP_INCIDENT_CREATE)
    fest_incident_input_clear (&op->u.incident);
  else if (op->kind == FEST_SYNC_OP_INCIDENT_UPDATE)
    fest_incident_patch_clear (&op->u.incident_patch);
  else if (op->kind == FEST_SYNC_OP_SHIFT_OPEN || op->kind == FEST_SYNC_OP_SHIFT_CLOSE)
    {
      g_clear_pointer (&op->u.shift.shift_id, g_free);
      g_clear_pointer (&op->u.shift.stand_id, g_free);
      g_clear_pointer (&op->u.shift.note, g_free);
      g_clear_pointer (&op->u.shift.at, g_free);
    }
  else
    {
      g_clear_pointer (&op->u.scan.ticket_id, g_free);
      g_clear_pointer (&op->u.scan.gate, g_free);
      g_clear_pointer (&op->u.scan.direction, g_free);
      g_clear_pointer (&op->u.scan.scanned_at, g_free);
    }
}

void
fest_sync_op_clear (gpointer data)
{
  FestSyncOp *op = data;

  g_free (op->key);
  g_free (op->request_hash);
  g_free (op->legacy_hash);
  if (op->parse_error != NULL)
    g_clear_error (&op->parse_error);
  else
    clear_payload (op);
}

void
fest_sync_op_reject (FestSyncOp *op,
                     GError     *error)
{
  g_return_if_fail (op->parse_error == NULL);

  /* A rejected op keeps only its key and error (see fest_sync_op_clear). */
  clear_payload (op);
  op->time = NULL;
  op->parse_error = error;
}

static gboolean
parse_scan_payload (JsonObject *payload,
                    const char *op_created_at,
                    FestSyncOp *op,
                    GError    **error)
{
  const char *ticket_id = NULL;
  const char *gate = NULL;
  const char *direction = NULL;
  char *scanned_at = NULL;

  if (!fest_json_get_uuid (payload, "ticket_id", TRUE, &ticket_id, error) ||
      !fest_json_get_text (payload, "gate", TRUE, 100, &gate, error) ||
      !fest_json_get_string (payload, "direction", TRUE, &direction, error) ||
      !fest_json_get_time (payload, "scanned_at", op_created_at == NULL, &scanned_at, error))
    return FALSE;
  if (!g_str_equal (direction, "IN") && !g_str_equal (direction, "OUT"))
    {
      g_free (scanned_at);
      g_propagate_error (error, fest_error_validation ("direction", "direction must be IN or OUT"));
      return FALSE;
    }
  op->u.scan.ticket_id = g_strdup (ticket_id);
  op->u.scan.gate = g_strstrip (g_strdup (gate));
  op->u.scan.direction = g_strdup (direction);
  op->u.scan.scanned_at = scanned_at != NULL ? scanned_at : g_strdup (op_created_at);
  return TRUE;
}

void
fest_sync_op_parse (JsonNode   *node,
                    guint       index,
                    const char *stand_id,
                    FestSyncOp *op)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *created_at = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  JsonObject *payload = NULL;
  const char *name = NULL;
  const char *key = NULL;
  gsize length = 0;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      op->parse_error = fest_error_validation ("operations", "operations[%u] must be an object", index);
      return;
    }
  object = json_node_get_object (node);
  if (!fest_json_get_string (object, "idempotency_key", TRUE, &key, &error))
    goto fail;
  if (!fest_idempotency_key_is_valid (key))
    {
      error = fest_error_validation ("idempotency_key", "idempotency_key must be 1 to %d printable characters",
                                     FEST_IDEMPOTENCY_KEY_MAX);
      goto fail;
    }
  op->key = g_strdup (key);
  if (!fest_json_get_string (object, "op", TRUE, &name, &error) ||
      !fest_json_get_object (object, "payload", TRUE, &payload, &error) ||
      !fest_json_get_time (object, "created_at", FALSE, &created_at, &error))
    goto fail;

  /* The hash of the whole operation: a key reused for something else is told apart by it. */
  text = fest_json_to_string (node, &length);
  bytes = g_bytes_new_static (text, length);

  if (g_str_equal (name, "transaction.create"))
    {
      op->kind = FEST_SYNC_OP_TRANSACTION_CREATE;
      if (!_fest_transaction_input_parse_at_stand (payload, stand_id, &op->u.transaction, &error))
        {
          fest_transaction_input_clear (&op->u.transaction);
          goto fail;
        }
      if (op->u.transaction.created_at == NULL && created_at != NULL)
        op->u.transaction.created_at = g_steal_pointer (&created_at);
      op->time = op->u.transaction.created_at;
      op->time_field = "created_at";
      /* A ledger operation is hashed by what it does, as POST /transactions hashes it (as the client
       * sent it, before the stand's default), so that a station's online attempt and this offline
       * retry of it under the same key are one sale. */
      op->request_hash = fest_idempotency_transaction_hash (&op->u.transaction);
      op->legacy_hash = fest_idempotency_request_hash ("SYNC", name, bytes);
      if (op->u.transaction.stand_id == NULL)
        op->u.transaction.stand_id = g_strdup (stand_id);
      return;
    }

  op->request_hash = fest_idempotency_request_hash ("SYNC", name, bytes);

  if (g_str_equal (name, "ticket.scan"))
    {
      op->kind = FEST_SYNC_OP_TICKET_SCAN;
      op->time_field = json_object_has_member (payload, "scanned_at") ? "scanned_at" : "created_at";
      if (!parse_scan_payload (payload, created_at, op, &error))
        goto fail;
      op->time = op->u.scan.scanned_at;
    }
  else if (g_str_equal (name, "incident.create"))
    {
      op->kind = FEST_SYNC_OP_INCIDENT_CREATE;
      if (!fest_incident_input_parse (payload, &op->u.incident, &error))
        {
          fest_incident_input_clear (&op->u.incident);
          goto fail;
        }
      op->u.incident.created_at = g_steal_pointer (&created_at);
      op->time = op->u.incident.created_at;
      op->time_field = "created_at";
    }
  else if (g_str_equal (name, "incident.update"))
    {
      const char *incident_id = NULL;

      op->kind = FEST_SYNC_OP_INCIDENT_UPDATE;
      if (!fest_json_get_uuid (payload, "incident_id", TRUE, &incident_id, &error) ||
          !fest_incident_patch_parse (payload, TRUE, &op->u.incident_patch, &error))
        {
          fest_incident_patch_clear (&op->u.incident_patch);
          goto fail;
        }
      op->u.incident_patch.id = g_strdup (incident_id);
      /* Offline, someone may have resolved it first: that resolution stands (fest-incidents.h). */
      op->u.incident_patch.resolve_once = TRUE;
      op->time = created_at != NULL ? g_steal_pointer (&created_at) : NULL;
      op->u.incident_patch.station_time = (char *) op->time;
      op->time_field = "created_at";
    }
  else if (g_str_equal (name, "shift.open") || g_str_equal (name, "shift.close"))
    {
      gboolean is_open = g_str_equal (name, "shift.open");
      const char *id = NULL, *note = NULL;

      op->kind = is_open ? FEST_SYNC_OP_SHIFT_OPEN : FEST_SYNC_OP_SHIFT_CLOSE;
      if (is_open
          ? (!fest_json_get_uuid (payload, "stand_id", stand_id == NULL, &id, &error)
             || !fest_json_get_int (payload, "opening_float", TRUE, 0, FEST_MONEY_MAX_AMOUNT, &op->u.shift.amount,
                                    &error))
          : (!fest_json_get_uuid (payload, "shift_id", TRUE, &id, &error)
             || !fest_json_get_int (payload, "counted_cash", TRUE, 0, FEST_MONEY_MAX_AMOUNT, &op->u.shift.amount,
                                    &error)
             || (json_object_has_member (payload, "note") && !json_object_get_null_member (payload, "note")
                 && !fest_json_get_text (payload, "note", FALSE, 500, &note, &error))))
        goto fail;
      if (is_open)
        op->u.shift.stand_id = g_strdup (id != NULL ? id : stand_id);
      else
        op->u.shift.shift_id = g_strdup (id);
      op->u.shift.note = g_strdup (note);
      op->u.shift.at = g_steal_pointer (&created_at);
      op->time = op->u.shift.at;
      op->time_field = "created_at";
    }
  else
    {
      error = fest_error_validation ("op", "op must be transaction.create, ticket.scan, incident.create,"
                                           " incident.update, shift.open or shift.close");
      goto fail;
    }
  return;

fail:
  op->time = NULL;
  op->parse_error = g_steal_pointer (&error);
}
