/* fest-sync.c: applying a station's POST /sync batch, on the writer thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-idempotency.h"
#include "fest-ledger-private.h"
#include "fest-live-util.h"
#include "fest-shifts.h"
#include "fest-sync-repo.h"
#include "fest-sync.h"
#include "fest-tickets.h"

#define RETRY_WITH_SAVEPOINTS "retry the batch with a savepoint per operation"
/* The HTTP status an applied operation's entity is stored with for its idempotency key. */
#define STATUS_OK 200

/* The reply is written as text as it goes: each applied entity is serialised once (for the
 * idempotency table) and that text is reused in the reply; a duplicate's stored text is copied
 * as is. No JSON tree of the whole batch is ever built. */

static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        g_string_append_printf (out, "\\u%04x", c);
      else
        g_string_append_c (out, c);
    }
  g_string_append_c (out, '"');
}

static void
append_error (GString      *out,
              const GError *error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  JsonObject *object = json_object_new ();
  JsonNode *details;
  FestErrorCode code = FEST_ERROR_INTERNAL;

  if (error->domain == FEST_ERROR)
    code = error->code;
  json_object_set_string_member (object, "code", fest_error_code_to_string (code));
  json_object_set_string_member (object, "message", code == FEST_ERROR_INTERNAL ? "Internal error" : error->message);
  details = fest_error_get_details (error);
  if (details != NULL)
    json_object_set_member (object, "details", fest_live_json_deep_copy (details));
  node = fest_live_object_node (object);
  text = fest_json_to_string (node, NULL);
  g_string_append (out, text);
}

/* {"idempotency_key":…,"status":…,"error"?:…,"entity"?:…} */
static void
append_result_full (GString      *out,
                    const char   *key,
                    const char   *status,
                    const char   *entity,
                    gsize         entity_length,
                    const GError *error,
                    const char   *error_json);

static void
append_result (GString      *out,
               const char   *key,
               const char   *status,
               const char   *entity,
               gsize         entity_length,
               const GError *error)
{
  append_result_full (out, key, status, entity, entity_length, error, NULL);
}

/* @error_json: an error object already as JSON text (a stored reply's), instead of @error. */
static void
append_result_full (GString      *out,
                    const char   *key,
                    const char   *status,
                    const char   *entity,
                    gsize         entity_length,
                    const GError *error,
                    const char   *error_json)
{
  if (out->str[out->len - 1] != '[')
    g_string_append_c (out, ',');
  g_string_append (out, "{\"idempotency_key\":");
  if (key != NULL)
    append_json_string (out, key);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"status\":\"");
  g_string_append (out, status);
  g_string_append_c (out, '"');
  if (error != NULL)
    {
      g_string_append (out, ",\"error\":");
      append_error (out, error);
    }
  else if (error_json != NULL)
    {
      g_string_append (out, ",\"error\":");
      g_string_append (out, error_json);
    }
  if (entity != NULL)
    {
      g_string_append (out, ",\"entity\":");
      g_string_append_len (out, entity, entity_length);
    }
  g_string_append_c (out, '}');
}

/* The "error" object of a stored error reply, as JSON text. */
static char *
stored_error_json (GBytes *stored)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (stored, &size);
  g_autoptr(JsonNode) root = fest_json_parse (text, size, NULL);
  JsonNode *error;

  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root)
      && (error = json_object_get_member (json_node_get_object (root), "error")) != NULL
      && JSON_NODE_HOLDS_OBJECT (error))
    return fest_json_to_string (error, NULL);
  return g_strdup ("{\"code\":\"IDEMPOTENCY_KEY_REUSED\",\"message\":\"This idempotency_key was already answered\"}");
}

/* TRUE when @op, an offline payment, replaces the online refusal stored under its key: the
 * refusals the offline rules overrule (balance, stock), and nothing else. */
static gboolean
offline_sale_supersedes (FestSyncOp *op,
                         GBytes     *stored)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (stored, &size);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *error;
  const char *code;

  if (op->kind != FEST_SYNC_OP_TRANSACTION_CREATE || g_strcmp0 (op->u.transaction.type, "PAYMENT") != 0)
    return FALSE;
  root = fest_json_parse (text, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (error = json_object_get_member (json_node_get_object (root), "error")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (error))
    return FALSE;
  code = json_object_get_string_member_with_default (json_node_get_object (error), "code", NULL);
  return g_strcmp0 (code, "INSUFFICIENT_BALANCE") == 0 || g_strcmp0 (code, "OUT_OF_STOCK") == 0;
}

/* Applies @op and appends the entity it produced, as JSON text, to @entity. For a ledger row,
 * sets *@transaction_id (transfer full) to its id. */
static gboolean
apply_op (FestWriteCtx   *ctx,
          FestSyncBatch  *job,
          FestSyncOp     *op,
          GString        *entity,
          char          **transaction_id,
          GError        **error)
{
  g_autoptr(JsonNode) node = NULL;

  switch (op->kind)
    {
    case FEST_SYNC_OP_TRANSACTION_CREATE:
      /* A backlog is mostly payments: their JSON is written straight from the row. */
      return _fest_ledger_apply_to_text (ctx, &op->u.transaction, job->actor, op->key, TRUE, entity,
                                         transaction_id, error);

    case FEST_SYNC_OP_TICKET_SCAN:
      {
        FestScanInput input = {
          .ticket_id = op->u.scan.ticket_id,
          .gate = op->u.scan.gate,
          .direction = op->u.scan.direction,
          .scanned_at = op->u.scan.scanned_at,
          .device_id = job->actor->device_id,
        };

        node = fest_tickets_scan_offline (ctx, &input, job->actor, error);
        break;
      }

    case FEST_SYNC_OP_INCIDENT_CREATE:
      node = fest_incidents_create (ctx, &op->u.incident, job->actor, error);
      break;

    case FEST_SYNC_OP_INCIDENT_UPDATE:
      node = fest_incidents_update (ctx, &op->u.incident_patch, job->actor, error);
      break;

    case FEST_SYNC_OP_SHIFT_OPEN:
      if (!fest_shifts_open (ctx, op->u.shift.stand_id, op->u.shift.amount, op->u.shift.at, job->actor, &node,
                             error))
        return FALSE;
      break;

    case FEST_SYNC_OP_SHIFT_CLOSE:
      if (!fest_shifts_close (ctx, op->u.shift.shift_id, op->u.shift.amount, op->u.shift.note, op->u.shift.at, FALSE,
                              job->actor, &node, error))
        return FALSE;
      break;

    default:
      g_assert_not_reached ();
    }

  if (node == NULL)
    return FALSE;
  {
    gsize length = 0;
    g_autofree char *text = fest_json_to_string (node, &length);

    g_string_append_len (entity, text, length);
  }
  return TRUE;
}

/* Errors a station can act on reject the operation; a database failure fails the batch. */
static gboolean
is_op_error (const GError *error)
{
  return error->domain == FEST_ERROR && error->code != FEST_ERROR_INTERNAL;
}

/* The station times a batch's operations may claim, in µs since the epoch (see
 * FEST_SYNC_EARLIEST_BEFORE_START): a clock at 1970 or 9999 would put a sale outside every report and
 * closure, or a CANCEL inside any window. */
static gboolean
time_bounds (FestWriteCtx *ctx,
             gint64       *earliest,
             gint64       *latest,
             GError      **error)
{
  g_autofree char *starts_at = NULL;
  g_autoptr(GDateTime) starts = NULL;

  if (!fest_sync_repo_festival_start (ctx, &starts_at, error))
    return FALSE;
  if (starts_at != NULL)
    starts = fest_time_parse (starts_at);
  *earliest = starts != NULL ? g_date_time_to_unix (starts) * G_USEC_PER_SEC - FEST_SYNC_EARLIEST_BEFORE_START
                             : G_MININT64;
  *latest = g_get_real_time () + FEST_SYNC_CLOCK_SKEW;
  return TRUE;
}

/* A VALIDATION_FAILED naming the op's time member when it lies outside [@earliest, @latest]. */
static GError *
check_op_time (const FestSyncOp *op,
               gint64            earliest,
               gint64            latest)
{
  g_autoptr(GDateTime) time = NULL;
  gint64 usec;

  if (op->time == NULL)
    return NULL;
  time = fest_time_parse (op->time);
  if (time == NULL)
    return fest_error_validation (op->time_field, "%s is not an RFC 3339 time", op->time_field);
  usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  if (usec < earliest)
    return fest_error_validation (op->time_field,
                                  "%s is more than %d days before the festival starts: the station's clock is wrong",
                                  op->time_field, (int) (FEST_SYNC_EARLIEST_BEFORE_START / G_TIME_SPAN_DAY));
  if (usec > latest)
    return fest_error_validation (op->time_field,
                                  "%s is more than %d minutes ahead of the server's clock: the station's clock is wrong",
                                  op->time_field, (int) (FEST_SYNC_CLOCK_SKEW / G_TIME_SPAN_MINUTE));
  return NULL;
}

GBytes *
fest_sync_apply (FestWriteCtx   *ctx,
                 FestSyncBatch  *job,
                 GError        **error)
{
  g_autoptr(GString) out = g_string_sized_new (256 + job->ops->len * 512);
  g_autoptr(GString) entity = g_string_sized_new (512);
  g_autofree char *transaction_id = NULL;
  g_autofree char *now = fest_time_now ();
  guint n_applied = 0, n_duplicate = 0, n_rejected = 0;
  gint64 earliest = 0, latest = 0;

  if (!time_bounds (ctx, &earliest, &latest, error))
    return NULL;
  g_string_append (out, "{\"data\":{\"device_id\":");
  append_json_string (out, job->device_id);
  g_string_append (out, ",\"results\":[");

  for (guint i = 0; i < job->ops->len; i++)
    {
      FestSyncOp *op = &g_array_index (job->ops, FestSyncOp, i);
      g_autoptr(GBytes) stored = NULL;
      g_autoptr(GError) op_error = NULL;
      FestIdempotencyState state;
      guint status = 0;
      gint64 changes_before;

      if (op->parse_error != NULL)
        {
          append_result (out, op->key, "rejected", NULL, 0, op->parse_error);
          n_rejected++;
          continue;
        }

      if (!fest_idempotency_lookup_full (ctx, op->key, op->request_hash, NULL, &state, &status, &stored, error))
        return NULL;
      if (state == FEST_IDEMPOTENCY_REUSED && op->legacy_hash != NULL)
        {
          g_clear_pointer (&stored, g_bytes_unref);
          if (!fest_idempotency_lookup_full (ctx, op->key, op->request_hash, op->legacy_hash, &state, &status,
                                             &stored, error))
            return NULL;
        }
      if (state == FEST_IDEMPOTENCY_REPLAY)
        {
          g_autoptr(GBytes) entity_bytes = fest_idempotency_stored_entity (stored, status);
          gsize size = 0;
          const char *data;

          if (entity_bytes == NULL && !offline_sale_supersedes (op, stored))
            {
              /* The key's first use was a POST /transactions that was refused (say a validation
               * error): the operation keeps that answer, as any replay does. */
              g_autofree char *error_json = stored_error_json (stored);

              append_result_full (out, op->key, "rejected", NULL, 0, NULL, error_json);
              n_rejected++;
              continue;
            }
          if (entity_bytes == NULL)
            {
              /* The station tried the sale online, the server refused it for the balance or the
               * stock, and the answer never reached the station, which then served it within
               * its offline allowance under the same key. Nothing was written for the refusal:
               * the sale is now a fact like any offline one (DESIGN §4), applied below. */
              if (!fest_idempotency_forget (ctx, op->key, error))
                return NULL;
              state = FEST_IDEMPOTENCY_NEW;
            }
          else
            {
              data = g_bytes_get_data (entity_bytes, &size);
              append_result (out, op->key, "duplicate", data, size, NULL);
              n_duplicate++;
              continue;
            }
        }
      if (state == FEST_IDEMPOTENCY_REUSED)
        {
          op_error = g_error_new_literal (FEST_ERROR, FEST_ERROR_IDEMPOTENCY_KEY_REUSED,
                                          "This idempotency_key was used for another operation");
          append_result (out, op->key, "rejected", NULL, 0, op_error);
          n_rejected++;
          continue;
        }

      op_error = check_op_time (op, earliest, latest);
      if (op_error != NULL)
        {
          append_result (out, op->key, "rejected", NULL, 0, op_error);
          n_rejected++;
          continue;
        }

      changes_before = fest_sync_repo_total_changes (ctx);
      if (job->savepoints && !fest_sync_repo_savepoint (ctx, error))
        return NULL;
      g_string_truncate (entity, 0);
      g_clear_pointer (&transaction_id, g_free);
      if (apply_op (ctx, job, op, entity, &transaction_id, &op_error))
        {
          gboolean kept;

          if (transaction_id != NULL)
            kept = fest_idempotency_store_transaction (ctx, op->key, op->request_hash, STATUS_OK,
                                                       transaction_id, FALSE, error);
          else
            {
              g_autoptr(GBytes) body = g_bytes_new_static (entity->str, entity->len);

              kept = fest_idempotency_store (ctx, op->key, op->request_hash, STATUS_OK, body, error);
            }
          if (!kept || (job->savepoints && !fest_sync_repo_release (ctx, error)))
            return NULL;
          append_result (out, op->key, "applied", entity->str, entity->len, NULL);
          n_applied++;
          continue;
        }

      if (!is_op_error (op_error))
        {
          g_propagate_error (error, g_steal_pointer (&op_error));
          return NULL;
        }
      if (job->savepoints)
        {
          if (!fest_sync_repo_rollback (ctx, error) || !fest_sync_repo_release (ctx, error))
            return NULL;
        }
      else if (fest_sync_repo_total_changes (ctx) != changes_before)
        {
          /* It wrote before failing: start over with a SAVEPOINT per operation. */
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, RETRY_WITH_SAVEPOINTS);
          return NULL;
        }
      if (!_fest_ledger_note_refusal (ctx, op_error, error))
        return NULL;
      append_result (out, op->key, "rejected", NULL, 0, op_error);
      n_rejected++;
    }

  if (!fest_sync_repo_station_contact (ctx, job->device_id, now, job->pending, error))
    return NULL;
  {
    JsonObject *station = json_object_new ();

    json_object_set_string_member (station, "device_id", job->device_id);
    json_object_set_string_member (station, "last_contact", now);
    json_object_set_int_member (station, "pending", job->pending);
    fest_write_ctx_emit (ctx, "station:updated", fest_live_object_node (station));
  }

  g_string_append_printf (out, "],\"applied\":%u,\"duplicate\":%u,\"rejected\":%u,\"server_time\":\"%s\"}}",
                          n_applied, n_duplicate, n_rejected, now);
  {
    gsize length = out->len;

    return g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE), length);
  }
}

gboolean
fest_sync_error_is_retry (const GError *error)
{
  return g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK);
}
