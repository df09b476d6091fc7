/* fest-tickets.c: ticket types, tickets and scans as write jobs, shared by the routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <sodium.h>

#include "fest-core.h"
#include "fest-demo.h"
#include "fest-live-util.h"
#include "fest-tickets.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

/* Helpers */

static gboolean
bind_failed (sqlite3_stmt *stmt,
             GError      **error)
{
  fest_live_stmt_error (stmt, error);
  sqlite3_clear_bindings (stmt);
  return FALSE;
}

JsonNode *
fest_ticket_json_from_stmt (sqlite3_stmt *stmt,
                            int           c)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  fest_live_set_text_column (object, "id", stmt, c + 0);
  fest_live_set_text_column (object, "ticket_type_id", stmt, c + 1);
  fest_live_set_text_column (object, "holder_name", stmt, c + 2);
  fest_live_set_text_column (object, "holder_email", stmt, c + 3);
  fest_live_set_text_column (object, "qr_code", stmt, c + 4);
  fest_live_set_text_column (object, "status", stmt, c + 5);
  fest_live_set_text_column (object, "used_at", stmt, c + 6);
  fest_live_set_text_column (object, "used_gate", stmt, c + 7);
  json_object_set_boolean_member (object, "inside", sqlite3_column_int (stmt, c + 8) != 0);
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, c + 9));
  fest_live_set_text_column (object, "created_at", stmt, c + 10);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

JsonNode *
fest_ticket_type_json_from_stmt (sqlite3_stmt *stmt,
                                 int           c)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  fest_live_set_text_column (object, "id", stmt, c + 0);
  fest_live_set_text_column (object, "name", stmt, c + 1);
  fest_live_set_text_column (object, "code", stmt, c + 2);
  json_object_set_int_member (object, "price", sqlite3_column_int64 (stmt, c + 3));
  if (sqlite3_column_type (stmt, c + 4) == SQLITE_NULL)
    json_object_set_null_member (object, "quota");
  else
    json_object_set_int_member (object, "quota", sqlite3_column_int64 (stmt, c + 4));
  fest_live_set_text_column (object, "valid_from", stmt, c + 5);
  fest_live_set_text_column (object, "valid_until", stmt, c + 6);
  json_object_set_boolean_member (object, "reentry_allowed", sqlite3_column_int (stmt, c + 7) != 0);
  json_object_set_int_member (object, "issued", sqlite3_column_int64 (stmt, c + 8));
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, c + 9));
  fest_live_set_text_column (object, "created_at", stmt, c + 10);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

gboolean
fest_tickets_read_festival_key (sqlite3_stmt *stmt,
                                char        **festival_id,
                                guint8        public_key[32],
                                GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 1) == FEST_TICKET_PUBLIC_KEY_BYTES)
    {
      *festival_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      memcpy (public_key, sqlite3_column_blob (stmt, 1), FEST_TICKET_PUBLIC_KEY_BYTES);
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival has no ticket key");
  else
    fest_sqlite_error (sqlite3_db_handle (stmt), error);
  sqlite3_reset (stmt);
  return FALSE;
}

/* Loads one ticket on the writer thread; NULL with NOT_FOUND if unknown. */
static JsonNode *
load_ticket (FestWriteCtx *ctx,
             const char   *ticket_id,
             GError      **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_TICKET_COLUMNS " FROM tickets WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, ticket_id))
    {
      bind_failed (stmt, error);
      return NULL;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      node = fest_ticket_json_from_stmt (stmt, 0);
      sqlite3_reset (stmt);
      return node;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No ticket %s", ticket_id);
  else
    fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
  sqlite3_reset (stmt);
  return NULL;
}

static JsonNode *
load_ticket_type (FestWriteCtx *ctx,
                  const char   *type_id,
                  GError      **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, type_id))
    {
      bind_failed (stmt, error);
      return NULL;
    }
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      node = fest_ticket_type_json_from_stmt (stmt, 0);
      sqlite3_reset (stmt);
      return node;
    }
  if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No ticket type %s", type_id);
  else
    fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
  sqlite3_reset (stmt);
  return NULL;
}

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

  if (input->valid_from == NULL || input->valid_until == NULL)
    {
      sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, "SELECT starts_at, ends_at FROM festival", error);
      int rc;

      if (stmt == NULL)
        return FALSE;
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *valid_from = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
          *valid_until = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
    }
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
  sqlite3_stmt *stmt;
  gint64 rev;
  int rc;

  if (!type_validity (ctx, input, &valid_from, &valid_until, error))
    return NULL;

  stmt = fest_write_ctx_prepare (ctx, "SELECT id FROM ticket_types WHERE code = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, input->code))
    return bind_failed (stmt, error), NULL;
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
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
  if (rc != SQLITE_DONE)
    return fest_sqlite_error (fest_write_ctx_get_db (ctx), error), NULL;

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO ticket_types (id, name, code, price, quota, issued, valid_from,"
                                 " valid_until, reentry_allowed, rev, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 0, ?6, ?7, ?8, ?9, ?10, ?10)",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, id) ||
      !fest_live_bind_text (stmt, 2, input->name) ||
      !fest_live_bind_text (stmt, 3, input->code) ||
      sqlite3_bind_int64 (stmt, 4, input->price) != SQLITE_OK ||
      (input->quota < 0 ? sqlite3_bind_null (stmt, 5) : sqlite3_bind_int64 (stmt, 5, input->quota)) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 6, valid_from) ||
      !fest_live_bind_text (stmt, 7, valid_until) ||
      sqlite3_bind_int (stmt, 8, input->reentry_allowed ? 1 : 0) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 9, rev) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 10, now))
    return bind_failed (stmt, error), NULL;
  if (!fest_live_step_done (stmt, error))
    return NULL;

  node = load_ticket_type (ctx, id, error);
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
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT id, ticket_secret_key FROM festival LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW && sqlite3_column_bytes (stmt, 1) == FEST_TICKET_SECRET_KEY_BYTES)
    {
      secret->festival_id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      memcpy (secret->secret_key, sqlite3_column_blob (stmt, 1), FEST_TICKET_SECRET_KEY_BYTES);
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The festival has no ticket key");
  else
    fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
  sqlite3_reset (stmt);
  return FALSE;
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
  sqlite3_stmt *stmt;
  gint64 rev;

  type = load_ticket_type (ctx, ticket_type_id, error);
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

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE ticket_types SET issued = issued + 1, rev = ?2, updated_at = ?3"
                                 " WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, ticket_type_id) || sqlite3_bind_int64 (stmt, 2, rev) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 3, now))
    return bind_failed (stmt, error), NULL;
  if (!fest_live_step_done (stmt, error))
    return NULL;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO tickets (id, ticket_type_id, holder_name, holder_email, qr_code,"
                                 " status, inside, rev, created_at, updated_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'VALID', 0, ?6, ?7, ?7)",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, id) || !fest_live_bind_text (stmt, 2, ticket_type_id) || !fest_live_bind_text (stmt, 3, holder_name) ||
      !fest_live_bind_text (stmt, 4, holder_email) || !fest_live_bind_text (stmt, 5, qr) ||
      sqlite3_bind_int64 (stmt, 6, rev) != SQLITE_OK || !fest_live_bind_text (stmt, 7, now))
    return bind_failed (stmt, error), NULL;
  if (!fest_live_step_done (stmt, error))
    return NULL;

  ticket = load_ticket (ctx, id, error);
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
  sqlite3_stmt *stmt;
  gint64 rev;

  old = load_ticket (ctx, ticket_id, error);
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
  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE tickets SET status = 'CANCELLED', inside = 0, rev = ?2, updated_at = ?3"
                                 " WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, ticket_id) || sqlite3_bind_int64 (stmt, 2, rev) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 3, now))
    return bind_failed (stmt, error), NULL;
  if (!fest_live_step_done (stmt, error))
    return NULL;

  ticket = load_ticket (ctx, ticket_id, error);
  if (ticket == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "ticket.cancel", "ticket", ticket_id, old, ticket, error))
    return NULL;
  fest_write_ctx_emit (ctx, "ticket:updated", fest_live_json_deep_copy (ticket));
  return g_steal_pointer (&ticket);
}

/* Scans */

typedef struct
{
  char      *id;
  char      *gate;
  char      *direction;
  char      *result;
  char      *scanned_at;
  char      *device_id;
  char      *new_result;  /* borrowed constant */
} ScanRow;

static void
scan_row_free (gpointer data)
{
  ScanRow *row = data;

  g_free (row->id);
  g_free (row->gate);
  g_free (row->direction);
  g_free (row->result);
  g_free (row->scanned_at);
  g_free (row->device_id);
  g_free (row);
}

static JsonNode *
load_scan (FestWriteCtx *ctx,
           const char   *scan_id,
           GError      **error)
{
  sqlite3_stmt *stmt;
  JsonObject *object;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, ticket_id, gate, direction, result, device_id, offline_created,"
                                 " scanned_at, recorded_at FROM scans WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, scan_id))
    return bind_failed (stmt, error), NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Scan %s vanished", scan_id);
      else
        fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
      sqlite3_reset (stmt);
      return NULL;
    }
  object = json_object_new ();
  fest_live_set_text_column (object, "id", stmt, 0);
  fest_live_set_text_column (object, "ticket_id", stmt, 1);
  fest_live_set_text_column (object, "gate", stmt, 2);
  fest_live_set_text_column (object, "direction", stmt, 3);
  fest_live_set_text_column (object, "result", stmt, 4);
  fest_live_set_text_column (object, "device_id", stmt, 5);
  json_object_set_boolean_member (object, "offline_created", sqlite3_column_int (stmt, 6) != 0);
  fest_live_set_text_column (object, "scanned_at", stmt, 7);
  fest_live_set_text_column (object, "recorded_at", stmt, 8);
  sqlite3_reset (stmt);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

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
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO scans (id, ticket_id, gate, direction, result, device_id,"
                                 " operator_id, offline_created, scanned_at, recorded_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, scan_id) || !fest_live_bind_text (stmt, 2, input->ticket_id) || !fest_live_bind_text (stmt, 3, input->gate) ||
      !fest_live_bind_text (stmt, 4, input->direction) || !fest_live_bind_text (stmt, 5, result) ||
      !fest_live_bind_text (stmt, 6, input->device_id != NULL ? input->device_id : (actor ? actor->device_id : NULL)) ||
      !fest_live_bind_text (stmt, 7, actor ? actor->account_id : NULL) ||
      sqlite3_bind_int (stmt, 8, offline ? 1 : 0) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 9, scanned_at != NULL ? scanned_at : now) || !fest_live_bind_text (stmt, 10, now))
    return bind_failed (stmt, error);
  return fest_live_step_done (stmt, error);
}

static gboolean
raise_duplicate_alert (FestWriteCtx *ctx,
                       const char   *ticket_id,
                       ScanRow      *duplicate,
                       ScanRow      *entry,
                       GError      **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autofree char *details_text = NULL;
  g_autoptr(JsonNode) details_node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *details = json_object_new ();
  JsonObject *alert = json_object_new ();
  JsonNode *alert_node;
  sqlite3_stmt *stmt;
  gint64 rev;

  json_object_set_string_member (details, "ticket_id", ticket_id);
  json_object_set_string_member (details, "scan_id", duplicate->id);
  json_object_set_string_member (details, "gate", duplicate->gate);
  json_object_set_string_member (details, "scanned_at", duplicate->scanned_at);
  if (duplicate->device_id != NULL)
    json_object_set_string_member (details, "device_id", duplicate->device_id);
  else
    json_object_set_null_member (details, "device_id");
  if (entry != NULL)
    {
      json_object_set_string_member (details, "entry_gate", entry->gate);
      json_object_set_string_member (details, "entry_at", entry->scanned_at);
    }
  json_node_take_object (details_node, details);
  details_text = fest_json_to_string (details_node, NULL);

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO alerts (id, type, entity_type, entity_id, details, acknowledged,"
                                 " rev, created_at) VALUES (?1, 'DUPLICATE_ENTRY', 'ticket', ?2, ?3, 0, ?4, ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, id) || !fest_live_bind_text (stmt, 2, ticket_id) || !fest_live_bind_text (stmt, 3, details_text) ||
      sqlite3_bind_int64 (stmt, 4, rev) != SQLITE_OK || !fest_live_bind_text (stmt, 5, now))
    return bind_failed (stmt, error);
  if (!fest_live_step_done (stmt, error))
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
recompute_timeline (FestWriteCtx *ctx,
                    const char   *ticket_id,
                    gboolean      reentry_allowed,
                    GError      **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (scan_row_free);
  g_autofree char *now = NULL;
  sqlite3_stmt *stmt;
  ScanRow *first_entry = NULL;
  ScanRow *last_entry = NULL;
  gboolean inside = FALSE;
  gboolean had_entry = FALSE;
  gint64 rev;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, gate, direction, result, scanned_at, device_id FROM scans"
                                 " WHERE ticket_id = ?1 AND result <> 'REFUSED'"
                                 " ORDER BY julianday(scanned_at), seq",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, ticket_id))
    return bind_failed (stmt, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      ScanRow *row = g_new0 (ScanRow, 1);

      row->id = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
      row->gate = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      row->direction = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      row->result = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
      row->scanned_at = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
      row->device_id = g_strdup ((const char *) sqlite3_column_text (stmt, 5));
      g_ptr_array_add (rows, row);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);

  for (guint i = 0; i < rows->len; i++)
    {
      ScanRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->direction, "IN"))
        {
          if (!inside && (reentry_allowed || !had_entry))
            {
              row->new_result = (char *) "ENTRY";
              inside = TRUE;
              had_entry = TRUE;
              if (first_entry == NULL)
                first_entry = row;
              last_entry = row;
            }
          else
            row->new_result = (char *) "DUPLICATE_ENTRY";
        }
      else if (reentry_allowed && inside)
        {
          row->new_result = (char *) "EXIT";
          inside = FALSE;
        }
      else
        row->new_result = (char *) "UNMATCHED_EXIT";
    }

  stmt = fest_write_ctx_prepare (ctx, "UPDATE scans SET result = ?2 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < rows->len; i++)
    {
      ScanRow *row = g_ptr_array_index (rows, i);

      if (g_str_equal (row->result, row->new_result))
        continue;
      if (!fest_live_bind_text (stmt, 1, row->id) || !fest_live_bind_text (stmt, 2, row->new_result))
        return bind_failed (stmt, error);
      if (!fest_live_step_done (stmt, error))
        return FALSE;
      if (g_str_equal (row->new_result, "DUPLICATE_ENTRY") &&
          !raise_duplicate_alert (ctx, ticket_id, row, last_entry, error))
        return FALSE;
    }

  /* The ticket's state: USED once entered (a cancellation stays), the first entry's time and gate. */
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return FALSE;
  now = fest_time_now ();
  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE tickets SET"
                                 " status = CASE WHEN status = 'CANCELLED' THEN status"
                                 "               WHEN ?2 THEN 'USED' ELSE 'VALID' END,"
                                 " used_at = ?3, used_gate = ?4, inside = ?5, rev = ?6, updated_at = ?7"
                                 " WHERE id = ?1 AND (status IS NOT (CASE WHEN status = 'CANCELLED' THEN status"
                                 "                     WHEN ?2 THEN 'USED' ELSE 'VALID' END)"
                                 "  OR used_at IS NOT ?3 OR used_gate IS NOT ?4 OR inside IS NOT ?5)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, ticket_id) || sqlite3_bind_int (stmt, 2, had_entry) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 3, first_entry ? first_entry->scanned_at : NULL) ||
      !fest_live_bind_text (stmt, 4, first_entry ? first_entry->gate : NULL) ||
      sqlite3_bind_int (stmt, 5, inside ? 1 : 0) != SQLITE_OK ||
      sqlite3_bind_int64 (stmt, 6, rev) != SQLITE_OK || !fest_live_bind_text (stmt, 7, now))
    return bind_failed (stmt, error);
  return fest_live_step_done (stmt, error);
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

  scan = load_scan (ctx, scan_id, error);
  if (scan == NULL)
    return NULL;
  ticket = load_ticket (ctx, ticket_id, error);
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
  sqlite3_stmt *stmt;
  JsonObject *details;
  JsonNode *node;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT scanned_at, gate FROM scans WHERE ticket_id = ?1 AND result = 'ENTRY'"
                                 " ORDER BY julianday(scanned_at) DESC, seq DESC LIMIT 1",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, ticket_id))
    return bind_failed (stmt, error), NULL;
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
      sqlite3_reset (stmt);
      return NULL;
    }
  details = json_object_new ();
  if (rc == SQLITE_ROW)
    {
      fest_live_set_text_column (details, "used_at", stmt, 0);
      fest_live_set_text_column (details, "gate", stmt, 1);
    }
  else
    {
      json_object_set_null_member (details, "used_at");
      json_object_set_null_member (details, "gate");
    }
  sqlite3_reset (stmt);
  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, details);
  return node;
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

  ticket = load_ticket (ctx, input->ticket_id, &local_error);
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
  type = load_ticket_type (ctx, json_object_get_string_member (ticket_object, "ticket_type_id"), error);
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
      !recompute_timeline (ctx, input->ticket_id, reentry, error))
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

  ticket = load_ticket (ctx, input->ticket_id, error);
  if (ticket == NULL)
    return NULL;
  ticket_object = json_node_get_object (ticket);
  if (g_str_equal (json_object_get_string_member (ticket_object, "status"), "CANCELLED"))
    {
      g_propagate_error (error, ticket_invalid ("CANCELLED", "The ticket was cancelled"));
      return NULL;
    }
  type = load_ticket_type (ctx, json_object_get_string_member (ticket_object, "ticket_type_id"), error);
  if (type == NULL)
    return NULL;

  if (!insert_scan (ctx, scan_id, input, is_in ? "ENTRY" : "EXIT", actor, TRUE, input->scanned_at, error) ||
      !recompute_timeline (ctx, input->ticket_id,
                           json_object_get_boolean_member (json_node_get_object (type), "reentry_allowed"),
                           error))
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

/* Demo */

typedef struct
{
  guint n_tickets;
} DemoJob;

static gboolean
demo_populate_job (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  static const char * const holders[] = {
    "Camille Martin", "Léa Bernard", "Hugo Dubois", "Chloé Thomas", "Lucas Robert", "Manon Richard",
    "Louis Petit", "Inès Durand", "Jules Leroy", "Zoé Moreau", "Gabriel Simon", "Jade Laurent",
    "Arthur Lefebvre", "Lina Michel", "Raphaël Garcia", "Emma David", "Nathan Bertrand", "Alice Roux",
    "Adam Vincent", "Louise Fournier",
  };
  DemoJob *job = job_data;
  FestTicketTypeInput type_input = { NULL, };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) until = g_date_time_add_days (now, 3);
  g_autoptr(JsonNode) type = NULL;
  const char *type_id;
  gboolean ok = FALSE;

  type_input.name = g_strdup ("Pass 3 jours");
  type_input.code = g_strdup ("PASS3J");
  type_input.price = 12900;
  type_input.quota = 5000;
  type_input.valid_from = fest_time_format (from);
  type_input.valid_until = fest_time_format (until);
  type_input.reentry_allowed = TRUE;

  type = fest_tickets_create_type (ctx, &type_input, NULL, error);
  if (type == NULL)
    goto out;
  type_id = json_object_get_string_member (json_node_get_object (type), "id");

  for (guint i = 0; i < job->n_tickets; i++)
    {
      g_autoptr(JsonNode) ticket = NULL;
      g_autofree char *email = NULL;
      const char *holder = holders[i % G_N_ELEMENTS (holders)];

      email = g_strdup_printf ("festivalier%u@demo.festivals", i + 1);
      ticket = fest_tickets_issue (ctx, type_id, holder, email, NULL, error);
      if (ticket == NULL)
        goto out;

      /* A third of the holders are already on site. */
      if (i % 3 == 0)
        {
          g_autoptr(GDateTime) at = g_date_time_add_minutes (now, -(gint) (10 + 7 * i));
          g_autofree char *scanned_at = fest_time_format (at);
          g_autoptr(JsonNode) entity = NULL;
          FestScanInput scan = {
            .ticket_id = json_object_get_string_member (json_node_get_object (ticket), "id"),
            .gate = i % 2 == 0 ? "Porte Nord" : "Porte Sud",
            .direction = "IN",
            .scanned_at = scanned_at,
          };

          entity = fest_tickets_scan_offline (ctx, &scan, NULL, error);
          if (entity == NULL)
            goto out;

          /* And one ticket that two offline gates both let in: a DUPLICATE_ENTRY alert. */
          if (i == 0)
            {
              g_autoptr(GDateTime) later = g_date_time_add_minutes (at, 4);
              g_autofree char *later_at = fest_time_format (later);
              g_autoptr(JsonNode) duplicate = NULL;

              scan.gate = "Porte Sud";
              scan.scanned_at = later_at;
              duplicate = fest_tickets_scan_offline (ctx, &scan, NULL, error);
              if (duplicate == NULL)
                goto out;
            }
        }
    }
  ok = TRUE;

out:
  fest_ticket_type_input_clear (&type_input);
  *result = GINT_TO_POINTER (ok);
  *result_free = NULL;
  return ok;
}

gboolean
fest_tickets_demo_populate (FestFestivalStore *store,
                            guint              n_tickets,
                            GError           **error)
{
  DemoJob job = { n_tickets };

  return fest_festival_store_write_sync (store, demo_populate_job, &job, error) != NULL;
}

/* The hook of `festivals-server --demo` (fest-demo.h). */
gboolean
fest_demo_add_tickets (FestServer         *server,
                       FestFestivalStore  *store,
                       const FestDemoIds  *ids,
                       GError            **error)
{
  return fest_tickets_demo_populate (store, 20, error);
}
