/* fest-tickets.c: ticket types, tickets and scans as write jobs, shared by the routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "fest-core.h"
#include "fest-incidents.h"
#include "fest-live-util.h"
#include "fest-tickets-repo.h"
#include "fest-tickets.h"

/* Helpers */

static GError *
ticket_invalid (const char *reason,
                const char *message)
{
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (details, "reason", reason);
  json_node_take_object (node, details);
  return fest_error_new_with_details (FEST_ERROR_TICKET_INVALID, node, "%s", message);
}

/* Ticket types */

void
fest_ticket_type_input_clear (FestTicketTypeInput *input)
{
  g_clear_pointer (&input->name, g_free);
  g_clear_pointer (&input->code, g_free);
  g_clear_pointer (&input->valid_from, g_free);
  g_clear_pointer (&input->valid_until, g_free);
}

static gboolean
code_is_valid (const char *code)
{
  for (const char *p = code; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }
  return TRUE;
}

gboolean
fest_ticket_type_input_parse (JsonObject          *body,
                              FestTicketTypeInput *input,
                              GError             **error)
{
  const char *name = NULL;
  const char *code = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;
  gboolean quota_null = FALSE;

  input->price = 0;
  input->quota = -1;
  input->reentry_allowed = FALSE;

  if (!fest_json_get_text (body, "name", TRUE, 200, &name, error) ||
      !fest_json_get_text (body, "code", TRUE, 64, &code, error) ||
      !fest_json_get_int (body, "price", FALSE, 0, FEST_MONEY_MAX_AMOUNT, &input->price, error))
    return FALSE;
  if (!code_is_valid (code))
    {
      g_propagate_error (error, fest_error_validation ("code", "code may only contain letters, digits, - and _"));
      return FALSE;
    }
  if (json_object_has_member (body, "quota") && JSON_NODE_HOLDS_NULL (json_object_get_member (body, "quota")))
    quota_null = TRUE;
  if (!quota_null && !fest_json_get_int (body, "quota", FALSE, 0, G_MAXINT32, &input->quota, error))
    return FALSE;
  /* An omitted bound defaults to the festival's (DESIGN §5), filled in by
   * fest_tickets_create_type(), which reads the festival. */
  if (!fest_json_get_time (body, "valid_from", FALSE, &input->valid_from, error) ||
      !fest_json_get_time (body, "valid_until", FALSE, &input->valid_until, error) ||
      !fest_json_get_bool (body, "reentry_allowed", FALSE, &input->reentry_allowed, error))
    return FALSE;

  if (input->valid_from != NULL && input->valid_until != NULL)
    {
      from = fest_time_parse (input->valid_from);
      until = fest_time_parse (input->valid_until);
      if (from == NULL || until == NULL || g_date_time_compare (until, from) <= 0)
        {
          g_propagate_error (error, fest_error_validation ("valid_until", "valid_until must be after valid_from"));
          return FALSE;
        }
    }

  input->name = g_strstrip (g_strdup (name));
  input->code = g_strstrip (g_strdup (code));
  return TRUE;
}

/* The validity window of a new type: each bound as given, or the festival's own. */
static gboolean
type_validity (FestWriteCtx               *ctx,
               const FestTicketTypeInput  *input,
               char                      **valid_from,
               char                      **valid_until,
               GError                    **error)
{
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;

  if ((input->valid_from == NULL || input->valid_until == NULL) &&
      !fest_tickets_repo_festival_window (ctx, valid_from, valid_until, error))
    return FALSE;
  if (input->valid_from != NULL)
    {
      g_free (*valid_from);
      *valid_from = g_strdup (input->valid_from);
    }
  if (input->valid_until != NULL)
    {
      g_free (*valid_until);
      *valid_until = g_strdup (input->valid_until);
    }

  from = fest_time_parse (*valid_from);
  until = fest_time_parse (*valid_until);
  if (from == NULL || until == NULL || g_date_time_compare (until, from) <= 0)
    {
      const char *field = input->valid_until != NULL ? "valid_until" : "valid_from";

      g_propagate_error (error, fest_error_validation (field, "valid_until must be after valid_from"));
      return FALSE;
    }
  return TRUE;
}

JsonNode *
fest_tickets_create_type (FestWriteCtx              *ctx,
                          const FestTicketTypeInput *input,
                          const FestActor           *actor,
                          GError                   **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autofree char *valid_from = NULL;
  g_autofree char *valid_until = NULL;
  g_autoptr(JsonNode) node = NULL;
  FestTicketTypeRow row = { NULL, };
  gboolean exists = FALSE;
  gint64 rev;

  if (!type_validity (ctx, input, &valid_from, &valid_until, error))
    return NULL;

  if (!fest_tickets_repo_type_code_exists (ctx, input->code, &exists, error))
    return NULL;
  if (exists)
    {
      JsonObject *details = json_object_new ();
      JsonNode *details_node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (details, "field", "code");
      json_node_take_object (details_node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, details_node,
                                                             "A ticket type with code %s exists",
                                                             input->code));
      return NULL;
    }

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;

  row.id = id;
  row.name = input->name;
  row.code = input->code;
  row.price = input->price;
  row.quota = input->quota;
  row.valid_from = valid_from;
  row.valid_until = valid_until;
  row.reentry_allowed = input->reentry_allowed;
  row.rev = rev;
  row.created_at = now;
  if (!fest_tickets_repo_insert_type (ctx, &row, error))
    return NULL;

  node = fest_tickets_repo_get_type (ctx, id, error);
  if (node == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "ticket_type.create", "ticket_type", id, NULL, node, error))
    return NULL;
  fest_write_ctx_emit (ctx, "ticket_type:updated", fest_live_json_deep_copy (node));
  return g_steal_pointer (&node);
}

/* Issuing */

typedef struct
{
  char   *festival_id;
  guint8  secret_key[FEST_TICKET_SECRET_KEY_BYTES];
} FestivalSecret;

static gboolean
read_festival_secret (FestWriteCtx   *ctx,
                      FestivalSecret *secret,
                      GError        **error)
{
  return fest_tickets_repo_read_secret_key (ctx, &secret->festival_id, secret->secret_key, error);
}

JsonNode *
fest_tickets_issue (FestWriteCtx    *ctx,
                    const char      *ticket_type_id,
                    const char      *holder_name,
                    const char      *holder_email,
                    const FestActor *actor,
                    GError         **error)
{
  g_autoptr(JsonNode) type = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autofree char *qr = NULL;
  FestivalSecret secret = { NULL, };
  FestTicketPayload payload = { NULL, };
  JsonObject *type_object;
  gint64 rev;

  type = fest_tickets_repo_get_type (ctx, ticket_type_id, error);
  if (type == NULL)
    return NULL;
  type_object = json_node_get_object (type);

  /* The writer thread runs one job at a time: this check and the increment below are atomic. */
  if (!JSON_NODE_HOLDS_NULL (json_object_get_member (type_object, "quota")) &&
      json_object_get_int_member (type_object, "issued") >= json_object_get_int_member (type_object, "quota"))
    {
      JsonObject *details = json_object_new ();
      JsonNode *details_node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_int_member (details, "quota", json_object_get_int_member (type_object, "quota"));
      json_object_set_int_member (details, "issued", json_object_get_int_member (type_object, "issued"));
      json_node_take_object (details_node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, details_node, "quota reached"));
      return NULL;
    }

  if (!read_festival_secret (ctx, &secret, error))
    return NULL;

  payload.ticket_id = id;
  payload.festival_id = secret.festival_id;
  payload.type_code = (char *) json_object_get_string_member (type_object, "code");
  payload.holder = (char *) (holder_name != NULL ? holder_name : "");
  payload.valid_from = (char *) json_object_get_string_member (type_object, "valid_from");
  payload.valid_until = (char *) json_object_get_string_member (type_object, "valid_until");
  qr = fest_ticket_code_sign (&payload, secret.secret_key);
  sodium_memzero (secret.secret_key, sizeof secret.secret_key);
  g_free (secret.festival_id);
  if (qr == NULL)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Could not sign the ticket");
      return NULL;
    }

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;

  if (!fest_tickets_repo_count_issued (ctx, ticket_type_id, rev, now, error) ||
      !fest_tickets_repo_insert_ticket (ctx, id, ticket_type_id, holder_name, holder_email, qr, rev, now, error))
    return NULL;

  ticket = fest_tickets_repo_get_ticket (ctx, id, error);
  if (ticket == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "ticket.issue", "ticket", id, NULL, ticket, error))
    return NULL;
  fest_write_ctx_emit (ctx, "ticket:updated", fest_live_json_deep_copy (ticket));
  return g_steal_pointer (&ticket);
}

JsonNode *
fest_tickets_cancel (FestWriteCtx    *ctx,
                     const char      *ticket_id,
                     const FestActor *actor,
                     GError         **error)
{
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autofree char *now = fest_time_now ();
  gint64 rev;

  old = fest_tickets_repo_get_ticket (ctx, ticket_id, error);
  if (old == NULL)
    return NULL;
  if (g_strcmp0 (json_object_get_string_member (json_node_get_object (old), "status"), "CANCELLED") == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "The ticket is already cancelled");
      return NULL;
    }

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;
  if (!fest_tickets_repo_cancel_ticket (ctx, ticket_id, rev, now, error))
    return NULL;

  ticket = fest_tickets_repo_get_ticket (ctx, ticket_id, error);
  if (ticket == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "ticket.cancel", "ticket", ticket_id, old, ticket, error))
    return NULL;
  fest_write_ctx_emit (ctx, "ticket:updated", fest_live_json_deep_copy (ticket));
  return g_steal_pointer (&ticket);
}

/* Scans */

static gboolean
insert_scan (FestWriteCtx        *ctx,
             const char          *scan_id,
             const FestScanInput *input,
             const char          *result,
             const FestActor     *actor,
             gboolean             offline,
             const char          *scanned_at,
             GError             **error)
{
  g_autofree char *now = fest_time_now ();
  FestScanRow row = {
    .id = scan_id,
    .ticket_id = input->ticket_id,
    .gate = input->gate,
    .direction = input->direction,
    .result = result,
    .device_id = input->device_id != NULL ? input->device_id : (actor ? actor->device_id : NULL),
    .operator_id = actor ? actor->account_id : NULL,
    .offline_created = offline,
    .scanned_at = scanned_at != NULL ? scanned_at : now,
    .recorded_at = now,
  };

  return fest_tickets_repo_insert_scan (ctx, &row, error);
}

static gboolean
raise_duplicate_alert (FestWriteCtx *ctx,
                       const char   *ticket_id,
                       FestTimelineScan *duplicate,
                       FestTimelineScan *entry,
                       GError      **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autofree char *details_text = NULL;
  g_autoptr(JsonNode) details_node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *details = json_object_new ();
  JsonObject *alert = json_object_new ();
  JsonNode *alert_node;
  gint64 rev;

  json_object_set_string_member (details, "ticket_id", ticket_id);
  json_object_set_string_member (details, "scan_id", duplicate->id);
  json_object_set_string_member (details, "gate", duplicate->gate);
  json_object_set_string_member (details, "scanned_at", duplicate->scan_time);
  if (duplicate->device_id != NULL)
    json_object_set_string_member (details, "device_id", duplicate->device_id);
  else
    json_object_set_null_member (details, "device_id");
  if (entry != NULL)
    {
      json_object_set_string_member (details, "entry_gate", entry->gate);
      json_object_set_string_member (details, "entry_at", entry->scan_time);
    }
  json_node_take_object (details_node, details);
  details_text = fest_json_to_string (details_node, NULL);

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  if (!fest_tickets_repo_insert_duplicate_alert (ctx, id, ticket_id, details_text, rev, now, error))
    return FALSE;

  json_object_set_string_member (alert, "id", id);
  json_object_set_string_member (alert, "type", "DUPLICATE_ENTRY");
  json_object_set_string_member (alert, "entity_type", "ticket");
  json_object_set_string_member (alert, "entity_id", ticket_id);
  json_object_set_member (alert, "details", g_steal_pointer (&details_node));
  json_object_set_boolean_member (alert, "acknowledged", FALSE);
  json_object_set_int_member (alert, "rev", rev);
  json_object_set_string_member (alert, "created_at", now);
  alert_node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (alert_node, alert);
  fest_write_ctx_emit (ctx, "alert:new", alert_node);
  return TRUE;
}

/* Replays the ticket's accepted scans in scanned_at order and stores each scan's result and the
 * ticket's state (see the header). Scans refused online (REFUSED) are not part of the timeline. */
static gboolean
recompute_timeline (FestWriteCtx    *ctx,
                    const char      *ticket_id,
                    gboolean         reentry_allowed,
                    const FestActor *actor,
                    GError         **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autofree char *now = NULL;
  FestTimelineScan *first_entry = NULL;
  FestTimelineScan *last_entry = NULL;
  g_autofree FestTimelineScan **entry_before = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  gboolean inside = FALSE;
  gboolean had_entry = FALSE;
  gint64 rev;

  rows = fest_tickets_repo_timeline (ctx, ticket_id, error);
  if (rows == NULL)
    return FALSE;
  /* The entry each second entry came after: the first scan of its DUPLICATE_ENTRY incident. */
  entry_before = g_new0 (FestTimelineScan *, rows->len + 1);

  for (guint i = 0; i < rows->len; i++)
    {
      FestTimelineScan *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->direction, "IN"))
        {
          if (!inside && (reentry_allowed || !had_entry))
            {
              row->new_result = "ENTRY";
              inside = TRUE;
              had_entry = TRUE;
              if (first_entry == NULL)
                first_entry = row;
              last_entry = row;
            }
          else
            {
              row->new_result = "DUPLICATE_ENTRY";
              entry_before[i] = last_entry;
            }
        }
      else if (reentry_allowed && inside)
        {
          row->new_result = "EXIT";
          inside = FALSE;
        }
      else
        row->new_result = "UNMATCHED_EXIT";
    }

  for (guint i = 0; i < rows->len; i++)
    {
      FestTimelineScan *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->result, row->new_result))
        continue;
      if (!fest_tickets_repo_set_scan_result (ctx, row->id, row->new_result, error))
        return FALSE;
      if (g_str_equal (row->new_result, "DUPLICATE_ENTRY"))
        {
          FestTimelineScan *entry = entry_before[i];
          FestIncidentScan first = { 0, };
          FestIncidentScan second = {
            .scan_id = row->id, .gate = row->gate, .scanned_at = row->scan_time, .device_id = row->device_id,
          };
          g_autoptr(JsonNode) incident = NULL;

          if (!raise_duplicate_alert (ctx, ticket_id, row, last_entry, error))
            return FALSE;
          if (entry != NULL)
            {
              first.scan_id = entry->id;
              first.gate = entry->gate;
              first.scanned_at = entry->scan_time;
              first.device_id = entry->device_id;
            }
          if (ticket == NULL && (ticket = fest_tickets_repo_get_ticket (ctx, ticket_id, error)) == NULL)
            return FALSE;
          /* The gate alert, also in the incidents' list (issue 18): once per duplicate scan. */
          if (!fest_incidents_raise_duplicate_entry (ctx, ticket_id,
                                                     json_object_get_string_member_with_default (
                                                       json_node_get_object (ticket), "holder_name", NULL),
                                                     entry != NULL ? &first : NULL, &second, actor, &incident,
                                                     error))
            return FALSE;
        }
    }

  /* The ticket's state: USED once entered (a cancellation stays), the first entry's time and gate. */
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  now = fest_time_now ();
  return fest_tickets_repo_set_ticket_state (ctx, ticket_id, had_entry,
                                             first_entry ? first_entry->scan_time : NULL,
                                             first_entry ? first_entry->gate : NULL,
                                             inside, rev, now, error);
}

static JsonNode *
scan_entity (FestWriteCtx *ctx,
             const char   *scan_id,
             const char   *ticket_id,
             GError      **error)
{
  g_autoptr(JsonNode) scan = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  JsonObject *object;
  JsonNode *node;

  scan = fest_tickets_repo_get_scan (ctx, scan_id, error);
  if (scan == NULL)
    return NULL;
  ticket = fest_tickets_repo_get_ticket (ctx, ticket_id, error);
  if (ticket == NULL)
    return NULL;

  object = json_object_new ();
  json_object_set_string_member (object, "result",
                                 json_object_get_string_member (json_node_get_object (scan), "result"));
  json_object_set_member (object, "scan", g_steal_pointer (&scan));
  json_object_set_member (object, "ticket", g_steal_pointer (&ticket));
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* Details of the entry that makes a new IN a second entry: the latest ENTRY. */
static JsonNode *
already_used_details (FestWriteCtx *ctx,
                      const char   *ticket_id,
                      GError      **error)
{
  return fest_tickets_repo_last_entry (ctx, ticket_id, error);
}

gboolean
fest_tickets_scan_online (FestWriteCtx        *ctx,
                          const FestScanInput *input,
                          const FestActor     *actor,
                          JsonNode           **entity,
                          GError             **refusal,
                          GError             **error)
{
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) type = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) until = NULL;
  g_autofree char *scan_id = fest_uuid_new ();
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GError) refused = NULL;
  JsonObject *ticket_object;
  JsonObject *type_object;
  const char *status;
  gboolean reentry;
  gboolean inside;
  gboolean is_in = g_str_equal (input->direction, "IN");

  *entity = NULL;

  ticket = fest_tickets_repo_get_ticket (ctx, input->ticket_id, &local_error);
  if (ticket == NULL)
    {
      if (g_error_matches (local_error, FEST_ERROR, FEST_ERROR_NOT_FOUND))
        {
          g_propagate_error (refusal, g_steal_pointer (&local_error));
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  ticket_object = json_node_get_object (ticket);
  type = fest_tickets_repo_get_type (ctx, json_object_get_string_member (ticket_object, "ticket_type_id"), error);
  if (type == NULL)
    return FALSE;
  type_object = json_node_get_object (type);

  status = json_object_get_string_member (ticket_object, "status");
  reentry = json_object_get_boolean_member (type_object, "reentry_allowed");
  inside = json_object_get_boolean_member (ticket_object, "inside");
  from = fest_time_parse (json_object_get_string_member (type_object, "valid_from"));
  until = fest_time_parse (json_object_get_string_member (type_object, "valid_until"));

  if (g_str_equal (status, "CANCELLED"))
    refused = ticket_invalid ("CANCELLED", "The ticket was cancelled");
  else if (is_in && from != NULL && g_date_time_compare (now, from) < 0)
    refused = ticket_invalid ("NOT_YET_VALID", "The ticket is not valid yet");
  else if (is_in && until != NULL && g_date_time_compare (now, until) >= 0)
    refused = ticket_invalid ("EXPIRED", "The ticket has expired");
  else if (is_in && (inside || (!reentry && g_str_equal (status, "USED"))))
    {
      JsonNode *details = already_used_details (ctx, input->ticket_id, error);

      if (details == NULL)
        return FALSE;
      refused = fest_error_new_with_details (FEST_ERROR_TICKET_ALREADY_USED, details,
                                             "The ticket was already used");
    }
  else if (!is_in && !reentry)
    refused = g_error_new_literal (FEST_ERROR, FEST_ERROR_CONFLICT,
                                   "This ticket type does not allow leaving and coming back");
  else if (!is_in && !inside)
    refused = g_error_new_literal (FEST_ERROR, FEST_ERROR_CONFLICT, "The ticket holder is not inside");

  if (refused != NULL)
    {
      if (!insert_scan (ctx, scan_id, input, "REFUSED", actor, FALSE, NULL, error))
        return FALSE;
      g_propagate_error (refusal, g_steal_pointer (&refused));
      return TRUE;
    }

  if (!insert_scan (ctx, scan_id, input, is_in ? "ENTRY" : "EXIT", actor, FALSE, NULL, error) ||
      !recompute_timeline (ctx, input->ticket_id, reentry, actor, error))
    return FALSE;

  *entity = scan_entity (ctx, scan_id, input->ticket_id, error);
  if (*entity == NULL)
    return FALSE;
  if (!fest_write_ctx_audit (ctx, actor, "ticket.scan", "ticket", input->ticket_id, NULL,
                             json_object_get_member (json_node_get_object (*entity), "scan"), error))
    {
      g_clear_pointer (entity, json_node_unref);
      return FALSE;
    }
  fest_write_ctx_emit (ctx, "ticket:scanned", fest_live_json_deep_copy (*entity));
  return TRUE;
}

JsonNode *
fest_tickets_scan_offline (FestWriteCtx        *ctx,
                           const FestScanInput *input,
                           const FestActor     *actor,
                           GError             **error)
{
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) type = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *scan_id = fest_uuid_new ();
  JsonObject *ticket_object;
  gboolean is_in = g_str_equal (input->direction, "IN");

  ticket = fest_tickets_repo_get_ticket (ctx, input->ticket_id, error);
  if (ticket == NULL)
    return NULL;
  ticket_object = json_node_get_object (ticket);
  if (g_str_equal (json_object_get_string_member (ticket_object, "status"), "CANCELLED"))
    {
      g_propagate_error (error, ticket_invalid ("CANCELLED", "The ticket was cancelled"));
      return NULL;
    }
  type = fest_tickets_repo_get_type (ctx, json_object_get_string_member (ticket_object, "ticket_type_id"), error);
  if (type == NULL)
    return NULL;

  if (!insert_scan (ctx, scan_id, input, is_in ? "ENTRY" : "EXIT", actor, TRUE, input->scanned_at, error) ||
      !recompute_timeline (ctx, input->ticket_id,
                           json_object_get_boolean_member (json_node_get_object (type), "reentry_allowed"),
                           actor, error))
    return NULL;

  entity = scan_entity (ctx, scan_id, input->ticket_id, error);
  if (entity == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "ticket.scan", "ticket", input->ticket_id, NULL,
                             json_object_get_member (json_node_get_object (entity), "scan"), error))
    return NULL;
  fest_write_ctx_emit (ctx, "ticket:scanned", fest_live_json_deep_copy (entity));
  return g_steal_pointer (&entity);
}
