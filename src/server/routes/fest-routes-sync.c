/* fest-routes-sync.c: the offline stations' protocol: POST /sync and GET /sync/changes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * POST /sync applies a station's outbox: every operation of the batch in order, in ONE write job
 * (one durable commit for the batch); a rejected operation must leave nothing behind. A SAVEPOINT
 * per operation does that but costs SQLite a copy of every page the operation touches (most of
 * the batch's time), so the batch first runs without them: an operation that fails before writing
 * anything (the usual case: unknown wallet, validation) is simply rejected; one that fails after
 * writing makes the whole job roll back and run again with a SAVEPOINT per operation. Each
 * operation is idempotent by its key: the key and the operation's hash are stored with the entity
 * it produced, so a replayed operation answers "duplicate" with the original entity and changes
 * nothing.
 *
 * GET /sync/changes pages through every row a station caches (wallets, tickets, products, stands,
 * ticket types, alerts) by the festival's change counter (`rev`): the cursor is a rev, kept in the
 * database, so it survives restarts.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-idempotency.h"
#include "fest-incidents.h"
#include "fest-ledger-private.h"
#include "fest-live-util.h"
#include "fest-router.h"
#include "fest-routes-sync-private.h"
#include "fest-tickets.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

/* A batch's bounds (README, "Offline sync"): what a station's outbox sends at once. With four
 * batches at both bounds in flight the server stays under 100 MB of RSS (test-sync-memory.c). */
#define SYNC_MAX_OPERATIONS   2000
#define SYNC_MAX_BODY         (4 * 1024 * 1024)
/* The station time an operation may claim: from a week before the festival starts (set-up days,
 * pre-sales) to five minutes after the server's clock (a station's clock drift). */
#define SYNC_EARLIEST_BEFORE_START (7 * G_TIME_SPAN_DAY)
#define SYNC_CLOCK_SKEW            (5 * G_TIME_SPAN_MINUTE)
#define CHANGES_DEFAULT_LIMIT 500
#define CHANGES_MAX_LIMIT     5000
#define RETRY_WITH_SAVEPOINTS "retry the batch with a savepoint per operation"

typedef enum
{
  OP_TRANSACTION_CREATE,
  OP_TICKET_SCAN,
  OP_INCIDENT_CREATE,
} OpKind;

typedef struct
{
  OpKind    kind;
  char     *key;
  char     *request_hash;
  /* transaction.create: a key stored by an earlier version holds the hash of the operation's
   * whole text. Computed while parsing: the JSON tree of the batch is freed before the batch
   * waits for the writer. */
  char     *legacy_hash;
  /* The station time the op claims (borrowed from u), checked against the festival's bounds, and
   * the member it came from. */
  const char *time;
  const char *time_field;
  GError   *parse_error;        /* the op is rejected as is */
  union
  {
    FestTransactionInput transaction;
    FestIncidentInput    incident;
    struct
    {
      char *ticket_id;
      char *gate;
      char *direction;
      char *scanned_at;
    } scan;
  } u;
} SyncOp;

typedef struct
{
  GArray      *ops;             /* of SyncOp */
  char        *device_id;
  gint64       pending;
  FestActor   *actor;
  gboolean     savepoints;      /* one SAVEPOINT per operation (the slow, always correct path) */
  FestRequest *req;
} SyncJob;

static void
sync_op_clear (gpointer data)
{
  SyncOp *op = data;

  g_free (op->key);
  g_free (op->request_hash);
  g_free (op->legacy_hash);
  if (op->parse_error != NULL)
    g_clear_error (&op->parse_error);
  else if (op->kind == OP_TRANSACTION_CREATE)
    fest_transaction_input_clear (&op->u.transaction);
  else if (op->kind == OP_INCIDENT_CREATE)
    fest_incident_input_clear (&op->u.incident);
  else
    {
      g_free (op->u.scan.ticket_id);
      g_free (op->u.scan.gate);
      g_free (op->u.scan.direction);
      g_free (op->u.scan.scanned_at);
    }
}

static void
sync_job_free (gpointer data)
{
  SyncJob *job = data;

  g_array_unref (job->ops);
  g_free (job->device_id);
  fest_actor_free (job->actor);
  g_clear_pointer (&job->req, fest_request_unref);
  g_free (job);
}

/* Parsing, on the main thread */

static gboolean
parse_scan_payload (JsonObject *payload,
                    const char *op_created_at,
                    SyncOp     *op,
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

/* @stand_id: the stand of the device posting the batch (nullable), the default of a ledger op's
 * stand as POST /transactions has it. */
static void
parse_op (JsonNode   *node,
          guint       index,
          const char *stand_id,
          SyncOp     *op)
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
      op->kind = OP_TRANSACTION_CREATE;
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
      op->kind = OP_TICKET_SCAN;
      op->time_field = json_object_has_member (payload, "scanned_at") ? "scanned_at" : "created_at";
      if (!parse_scan_payload (payload, created_at, op, &error))
        goto fail;
      op->time = op->u.scan.scanned_at;
    }
  else if (g_str_equal (name, "incident.create"))
    {
      op->kind = OP_INCIDENT_CREATE;
      if (!fest_incident_input_parse (payload, &op->u.incident, &error))
        {
          fest_incident_input_clear (&op->u.incident);
          goto fail;
        }
      op->u.incident.created_at = g_steal_pointer (&created_at);
      op->time = op->u.incident.created_at;
      op->time_field = "created_at";
    }
  else
    {
      error = fest_error_validation ("op", "op must be transaction.create, ticket.scan or incident.create");
      goto fail;
    }
  return;

fail:
  op->time = NULL;
  op->parse_error = g_steal_pointer (&error);
}

gboolean
_fest_sync_parse_operation (JsonNode  *node,
                            guint      index,
                            char     **request_hash,
                            GError   **error)
{
  SyncOp op = { 0 };
  gboolean parsed;

  parse_op (node, index, NULL, &op);
  parsed = op.parse_error == NULL;
  if (!parsed)
    g_propagate_error (error, g_error_copy (op.parse_error));
  else if (request_hash != NULL)
    *request_hash = g_strdup (op.request_hash);
  sync_op_clear (&op);
  return parsed;
}

/* Applying, on the writer thread */

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
offline_sale_supersedes (SyncOp *op,
                         GBytes *stored)
{
  gsize size = 0;
  const char *text = g_bytes_get_data (stored, &size);
  g_autoptr(JsonNode) root = NULL;
  JsonNode *error;
  const char *code;

  if (op->kind != OP_TRANSACTION_CREATE || g_strcmp0 (op->u.transaction.type, "PAYMENT") != 0)
    return FALSE;
  root = fest_json_parse (text, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || (error = json_object_get_member (json_node_get_object (root), "error")) == NULL
      || !JSON_NODE_HOLDS_OBJECT (error))
    return FALSE;
  code = json_object_get_string_member_with_default (json_node_get_object (error), "code", NULL);
  return g_strcmp0 (code, "INSUFFICIENT_BALANCE") == 0 || g_strcmp0 (code, "OUT_OF_STOCK") == 0;
}

static gboolean
exec_cached (FestWriteCtx *ctx,
             const char   *sql,
             GError      **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, sql, error);

  return stmt != NULL && fest_live_step_done (stmt, error);
}

static gboolean apply_op_kind (FestWriteCtx *ctx,
                               SyncJob      *job,
                               SyncOp       *op,
                               GString      *entity,
                               char        **transaction_id,
                               GError      **error);

static const char *test_fail_key (void);

/* Applies @op and appends the entity it produced, as JSON text, to @entity. For a ledger row,
 * sets *@transaction_id (transfer full) to its id. */
static gboolean
apply_op (FestWriteCtx  *ctx,
          SyncJob       *job,
          SyncOp        *op,
          GString       *entity,
          char         **transaction_id,
          GError       **error)
{
  if (!apply_op_kind (ctx, job, op, entity, transaction_id, error))
    return FALSE;

  if (test_fail_key () != NULL && g_str_equal (test_fail_key (), op->key))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Failed after writing (test)");
      return FALSE;
    }
  return TRUE;
}

static gboolean
apply_op_kind (FestWriteCtx  *ctx,
               SyncJob       *job,
               SyncOp        *op,
               GString       *entity,
               char         **transaction_id,
               GError       **error)
{
  g_autoptr(JsonNode) node = NULL;

  switch (op->kind)
    {
    case OP_TRANSACTION_CREATE:
      /* A backlog is mostly payments: their JSON is written straight from the row. */
      return _fest_ledger_apply_to_text (ctx, &op->u.transaction, job->actor, op->key, TRUE, entity,
                                         transaction_id, error);

    case OP_TICKET_SCAN:
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

    case OP_INCIDENT_CREATE:
      node = fest_incidents_create (ctx, &op->u.incident, job->actor, error);
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

/* Tests only: the operation with this idempotency key fails after it has written, as a ledger
 * bug or a constraint hit late would. Read once from FESTIVALS_TEST_SYNC_FAIL_KEY. */
static const char *
test_fail_key (void)
{
  static const char *key;
  static gsize initialised;

  if (g_once_init_enter (&initialised))
    {
      key = g_getenv ("FESTIVALS_TEST_SYNC_FAIL_KEY");
      g_once_init_leave (&initialised, 1);
    }
  return key;
}

/* Errors a station can act on reject the operation; a database failure fails the batch. */
static gboolean
is_op_error (const GError *error)
{
  return error->domain == FEST_ERROR && error->code != FEST_ERROR_INTERNAL;
}

/* The station times a batch's operations may claim, in µs since the epoch (see
 * SYNC_EARLIEST_BEFORE_START): a clock at 1970 or 9999 would put a sale outside every report and
 * closure, or a CANCEL inside any window. */
static gboolean
time_bounds (FestWriteCtx *ctx,
             gint64       *earliest,
             gint64       *latest,
             GError      **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, "SELECT starts_at FROM festival LIMIT 1", error);
  g_autoptr(GDateTime) starts = NULL;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    starts = fest_time_parse ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  *earliest = starts != NULL ? g_date_time_to_unix (starts) * G_USEC_PER_SEC - SYNC_EARLIEST_BEFORE_START
                             : G_MININT64;
  *latest = g_get_real_time () + SYNC_CLOCK_SKEW;
  return TRUE;
}

/* A VALIDATION_FAILED naming the op's time member when it lies outside [@earliest, @latest]. */
static GError *
check_op_time (const SyncOp *op,
               gint64        earliest,
               gint64        latest)
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
                                  op->time_field, (int) (SYNC_EARLIEST_BEFORE_START / G_TIME_SPAN_DAY));
  if (usec > latest)
    return fest_error_validation (op->time_field,
                                  "%s is more than %d minutes ahead of the server's clock: the station's clock is wrong",
                                  op->time_field, (int) (SYNC_CLOCK_SKEW / G_TIME_SPAN_MINUTE));
  return NULL;
}

static gboolean
sync_func (FestWriteCtx   *ctx,
           gpointer        job_data,
           gpointer       *result,
           GDestroyNotify *result_free,
           GError        **error)
{
  SyncJob *job = job_data;
  sqlite3 *db = fest_write_ctx_get_db (ctx);
  g_autoptr(GString) out = g_string_sized_new (256 + job->ops->len * 512);
  g_autoptr(GString) entity = g_string_sized_new (512);
  g_autofree char *transaction_id = NULL;
  g_autofree char *now = fest_time_now ();
  guint n_applied = 0, n_duplicate = 0, n_rejected = 0;
  gint64 earliest = 0, latest = 0;
  sqlite3_stmt *stmt;

  *result_free = (GDestroyNotify) fest_raw_reply_free;
  if (!time_bounds (ctx, &earliest, &latest, error))
    return FALSE;
  g_string_append (out, "{\"data\":{\"device_id\":");
  append_json_string (out, job->device_id);
  g_string_append (out, ",\"results\":[");

  for (guint i = 0; i < job->ops->len; i++)
    {
      SyncOp *op = &g_array_index (job->ops, SyncOp, i);
      g_autoptr(GBytes) stored = NULL;
      g_autoptr(GError) op_error = NULL;
      FestIdempotencyState state;
      guint status = 0;
      sqlite3_int64 changes_before;

      if (op->parse_error != NULL)
        {
          append_result (out, op->key, "rejected", NULL, 0, op->parse_error);
          n_rejected++;
          continue;
        }

      if (!fest_idempotency_lookup_full (ctx, op->key, op->request_hash, NULL, &state, &status, &stored, error))
        return FALSE;
      if (state == FEST_IDEMPOTENCY_REUSED && op->legacy_hash != NULL)
        {
          g_clear_pointer (&stored, g_bytes_unref);
          if (!fest_idempotency_lookup_full (ctx, op->key, op->request_hash, op->legacy_hash, &state, &status,
                                             &stored, error))
            return FALSE;
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
                return FALSE;
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

      changes_before = sqlite3_total_changes64 (db);
      if (job->savepoints && !exec_cached (ctx, "SAVEPOINT sync_op", error))
        return FALSE;
      g_string_truncate (entity, 0);
      g_clear_pointer (&transaction_id, g_free);
      if (apply_op (ctx, job, op, entity, &transaction_id, &op_error))
        {
          gboolean kept;

          if (transaction_id != NULL)
            kept = fest_idempotency_store_transaction (ctx, op->key, op->request_hash, SOUP_STATUS_OK,
                                                       transaction_id, FALSE, error);
          else
            {
              g_autoptr(GBytes) body = g_bytes_new_static (entity->str, entity->len);

              kept = fest_idempotency_store (ctx, op->key, op->request_hash, SOUP_STATUS_OK, body, error);
            }
          if (!kept || (job->savepoints && !exec_cached (ctx, "RELEASE sync_op", error)))
            return FALSE;
          append_result (out, op->key, "applied", entity->str, entity->len, NULL);
          n_applied++;
          continue;
        }

      if (!is_op_error (op_error))
        {
          g_propagate_error (error, g_steal_pointer (&op_error));
          return FALSE;
        }
      if (job->savepoints)
        {
          if (!exec_cached (ctx, "ROLLBACK TO sync_op", error) || !exec_cached (ctx, "RELEASE sync_op", error))
            return FALSE;
        }
      else if (sqlite3_total_changes64 (db) != changes_before)
        {
          /* It wrote before failing: start over with a SAVEPOINT per operation. */
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, RETRY_WITH_SAVEPOINTS);
          return FALSE;
        }
      if (!_fest_ledger_note_refusal (ctx, op_error, error))
        return FALSE;
      append_result (out, op->key, "rejected", NULL, 0, op_error);
      n_rejected++;
    }

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO station_status (device_id, last_contact, pending) VALUES (?1, ?2, ?3)"
                                 " ON CONFLICT (device_id) DO UPDATE SET last_contact = excluded.last_contact,"
                                 " pending = excluded.pending",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, job->device_id) || !fest_live_bind_text (stmt, 2, now) ||
      sqlite3_bind_int64 (stmt, 3, job->pending) != SQLITE_OK)
    return fest_live_stmt_error (stmt, error);
  if (!fest_live_step_done (stmt, error))
    return FALSE;
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

    *result = fest_raw_reply_new (SOUP_STATUS_OK, g_bytes_new_take (g_string_free (g_steal_pointer (&out), FALSE),
                                                                    length));
  }
  return TRUE;
}

/* Splitting a batch. The JSON tree json-glib builds for a body is about twenty times its size, so
 * a 4 MiB batch is never parsed whole: the body is scanned for the byte spans of its top-level
 * "operations" array's elements, each element is parsed on its own (and freed once it is an op),
 * and the rest of the body, with "operations" emptied, is parsed for its other members. Every byte
 * still goes through the JSON parser or this scanner's structure checks: a malformed body is
 * refused as before. */

typedef struct
{
  const char *p;
  const char *end;
} Scan;

static void
scan_ws (Scan *s)
{
  while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
    s->p++;
}

/* Skips one JSON value's bytes (its content is checked later by the parser). */
static gboolean
scan_value (Scan *s)
{
  guint depth = 0;

  do
    {
      if (s->p >= s->end)
        return FALSE;
      switch (*s->p)
        {
        case '"':
          for (s->p++; s->p < s->end && *s->p != '"'; s->p++)
            if (*s->p == '\\')
              s->p++;
          if (s->p >= s->end)
            return FALSE;
          s->p++;
          break;
        case '{':
        case '[':
          depth++;
          s->p++;
          break;
        case '}':
        case ']':
          if (depth == 0)
            return FALSE;
          depth--;
          s->p++;
          break;
        case ',':
        case ':':
        case ' ':
        case '\t':
        case '\n':
        case '\r':
          if (depth == 0)
            return FALSE;
          s->p++;
          break;
        default:
          {
            const char *start = s->p;

            /* A number, true, false or null: up to the next structural byte. */
            while (s->p < s->end && *s->p != '\0' && strchr (",:]} \t\n\r\"[{", *s->p) == NULL)
              s->p++;
            if (s->p == start)
              return FALSE;
            break;
          }
        }
    }
  while (depth > 0);
  return TRUE;
}

/* Finds the value of the top-level member "operations" of the object in @text: its span in
 * *@value_start, *@value_end (both NULL when there is none). FALSE if @text is not an object. */
static gboolean
scan_operations_member (const char  *text,
                        gsize        length,
                        const char **value_start,
                        const char **value_end)
{
  static const char member[] = "\"operations\"";
  Scan s = { text, text + length };

  *value_start = *value_end = NULL;
  scan_ws (&s);
  if (s.p >= s.end || *s.p != '{')
    return FALSE;
  s.p++;
  scan_ws (&s);
  if (s.p < s.end && *s.p == '}')
    return TRUE;
  for (;;)
    {
      const char *key = s.p;
      const char *value;

      if (s.p >= s.end || *s.p != '"' || !scan_value (&s))
        return FALSE;
      if ((gsize) (s.p - key) == strlen (member) && memcmp (key, member, strlen (member)) == 0)
        key = NULL;
      scan_ws (&s);
      if (s.p >= s.end || *s.p != ':')
        return FALSE;
      s.p++;
      scan_ws (&s);
      value = s.p;
      if (!scan_value (&s))
        return FALSE;
      if (key == NULL)
        {
          *value_start = value;
          *value_end = s.p;
        }
      scan_ws (&s);
      if (s.p < s.end && *s.p == '}')
        return TRUE;
      if (s.p >= s.end || *s.p != ',')
        return FALSE;
      s.p++;
      scan_ws (&s);
    }
}

/* The spans of the elements of the array [@start, @end): pairs of pointers in @spans. */
static gboolean
scan_array_elements (const char *start,
                     const char *end,
                     GPtrArray  *spans)
{
  Scan s = { start + 1, end - 1 };

  scan_ws (&s);
  if (s.p == s.end)
    return TRUE;
  for (;;)
    {
      g_ptr_array_add (spans, (gpointer) s.p);
      if (!scan_value (&s))
        return FALSE;
      g_ptr_array_add (spans, (gpointer) s.p);
      scan_ws (&s);
      if (s.p == s.end)
        return TRUE;
      if (*s.p != ',')
        return FALSE;
      s.p++;
      scan_ws (&s);
    }
}

/* POST /sync */

static void sync_done_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static void
sync_submit (SyncJob *job)
{
  fest_festival_store_write_async (fest_request_get_store (job->req), sync_func, job, NULL, NULL, sync_done_cb, job);
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncJob *job = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestRawReply) reply = NULL;

  reply = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (reply == NULL && !job->savepoints && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    {
      g_debug ("sync from %s: an operation failed after writing; retrying with a savepoint per operation",
               job->device_id);
      job->savepoints = TRUE;
      sync_submit (job);
      return;
    }
  if (reply == NULL)
    fest_request_reply_gerror (job->req, error);
  else
    fest_request_reply_bytes (job->req, reply->status, "application/json; charset=utf-8", reply->body);
  sync_job_free (job);
}

/* FEST_PERM_SYNC lets every station post a batch; each operation still needs the permission of
 * the route it stands for, so that a scanner cannot sell nor a cashier refund. */
static void
check_op_permission (const FestAuth *auth,
                     SyncOp         *op)
{
  FestPermission perm;

  if (op->parse_error != NULL)
    return;
  switch (op->kind)
    {
    case OP_TRANSACTION_CREATE:
      perm = g_strcmp0 (op->u.transaction.type, "REFUND") == 0 ? FEST_PERM_TRANSACTION_REFUND
                                                              : FEST_PERM_TRANSACTION_CREATE;
      break;
    case OP_TICKET_SCAN:
      perm = FEST_PERM_TICKET_SCAN;
      break;
    case OP_INCIDENT_CREATE:
      perm = FEST_PERM_INCIDENT_CREATE;
      break;
    default:
      return;
    }
  if (fest_roles_allow (auth->roles, perm))
    return;

  /* A rejected op keeps only its key and error (see sync_op_clear). */
  if (op->kind == OP_TRANSACTION_CREATE)
    fest_transaction_input_clear (&op->u.transaction);
  else if (op->kind == OP_INCIDENT_CREATE)
    fest_incident_input_clear (&op->u.incident);
  else
    {
      g_clear_pointer (&op->u.scan.ticket_id, g_free);
      g_clear_pointer (&op->u.scan.gate, g_free);
      g_clear_pointer (&op->u.scan.direction, g_free);
      g_clear_pointer (&op->u.scan.scanned_at, g_free);
    }
  op->time = NULL;
  op->parse_error = g_error_new (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                                 "This account or device may not perform this operation");
}

static void
post_sync (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  SoupMessageBody *request_body = soup_server_message_get_request_body (fest_request_get_message (req));
  g_autoptr(GBytes) bytes = soup_message_body_flatten (request_body);
  const char *device_id = NULL;
  JsonArray *operations = NULL;
  JsonObject *body;
  SyncJob *job;
  gsize length = 0;
  const char *text = g_bytes_get_data (bytes, &length);
  const char *ops_start = NULL, *ops_end = NULL;
  g_autoptr(GPtrArray) spans = g_ptr_array_new ();
  guint n_ops;

  if (length == 0)
    return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is empty", NULL);
  /* Not fest_request_get_json_object(): see "Splitting a batch" above. */
  if (scan_operations_member (text, length, &ops_start, &ops_end) && ops_start != NULL && *ops_start == '[')
    {
      g_autoptr(GString) rest = g_string_sized_new (length - (ops_end - ops_start) + 2);

      if (!scan_array_elements (ops_start, ops_end, spans))
        return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON", NULL);
      g_string_append_len (rest, text, ops_start - text);
      g_string_append (rest, "[]");
      g_string_append_len (rest, ops_end, text + length - ops_end);
      root = fest_json_parse (rest->str, rest->len, &error);
    }
  else
    root = fest_json_parse (text, length, &error);
  if (root == NULL)
    {
      if (error != NULL)
        return fest_request_reply_gerror (req, error);
      return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON", NULL);
    }
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      error = fest_error_validation ("body", "The request body must be a JSON object");
      return fest_request_reply_gerror (req, error);
    }
  body = json_node_get_object (root);
  if (!fest_json_get_text (body, "device_id", auth->device_id == NULL, 100, &device_id, &error) ||
      !fest_json_get_array (body, "operations", TRUE, &operations, &error))
    return fest_request_reply_gerror (req, error);
  /* Split: the array in the tree is empty, its elements are in spans. */
  n_ops = spans->len > 0 ? spans->len / 2 : json_array_get_length (operations);
  if (n_ops > SYNC_MAX_OPERATIONS)
    {
      error = fest_error_validation ("operations", "at most %d operations per batch", SYNC_MAX_OPERATIONS);
      return fest_request_reply_gerror (req, error);
    }

  job = g_new0 (SyncJob, 1);
  /* A device token speaks for its own device whatever the body says. */
  job->device_id = g_strdup (auth->device_id != NULL ? auth->device_id : device_id);
  if (!fest_json_get_int (body, "pending", FALSE, 0, G_MAXINT32, &job->pending, &error))
    {
      g_free (job->device_id);
      g_free (job);
      return fest_request_reply_gerror (req, error);
    }
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  if (job->actor->device_id == NULL)
    job->actor->device_id = g_strdup (job->device_id);
  job->ops = g_array_sized_new (FALSE, TRUE, sizeof (SyncOp), n_ops);
  g_array_set_clear_func (job->ops, sync_op_clear);
  g_array_set_size (job->ops, n_ops);
  for (guint i = 0; i < n_ops; i++)
    {
      SyncOp *op = &g_array_index (job->ops, SyncOp, i);
      g_autoptr(JsonNode) node = NULL;

      if (spans->len == 0)
        node = json_node_ref (json_array_get_element (operations, i));
      else
        {
          const char *start = g_ptr_array_index (spans, 2 * i);
          const char *end = g_ptr_array_index (spans, 2 * i + 1);

          /* Nothing is applied before the whole batch parsed: a body that is not JSON is refused
           * whole, as it always was. */
          node = fest_json_parse (start, end - start, &error);
          if (node == NULL)
            {
              sync_job_free (job);
              if (error != NULL)
                return fest_request_reply_gerror (req, error);
              return fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON",
                                               NULL);
            }
        }
      parse_op (node, i, auth->stand_id, op);
      check_op_permission (auth, op);
    }
  /* The ops are all the job needs: the body's bytes (libsoup's chunks and their flattened copy)
   * go now rather than when the reply is sent, after the batches queued before this one. */
  g_clear_pointer (&root, json_node_unref);
  g_clear_pointer (&bytes, g_bytes_unref);
  soup_message_body_truncate (request_body);

  job->req = fest_request_ref (req);
  fest_request_pause (req);
  sync_submit (job);
}

/* GET /sync/changes */

#define CHANGED_REVS(where) \
  "SELECT rev FROM wallets WHERE " where \
  " UNION ALL SELECT rev FROM tickets WHERE " where \
  " UNION ALL SELECT rev FROM products WHERE " where \
  " UNION ALL SELECT rev FROM stands WHERE " where \
  " UNION ALL SELECT rev FROM ticket_types WHERE " where \
  " UNION ALL SELECT rev FROM alerts WHERE " where

static gboolean
query_rows (FestFestivalStore *store,
            const char        *sql,
            gint64             since,
            gint64             until,
            JsonNode         *(*to_json) (sqlite3_stmt *stmt),
            JsonObject        *into,
            const char        *member,
            gint64            *max_rev,
            GError           **error)
{
  JsonArray *array = json_array_new ();
  sqlite3_stmt *stmt;
  int rc;

  json_object_set_array_member (into, member, array);
  stmt = fest_festival_store_prepare_read (store, sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, until);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      JsonNode *node = to_json (stmt);
      gint64 rev = json_object_get_int_member (json_node_get_object (node), "rev");

      *max_rev = MAX (*max_rev, rev);
      json_array_add_element (array, node);
    }
  if (rc != SQLITE_DONE)
    return fest_live_stmt_error (stmt, error);
  sqlite3_reset (stmt);
  return TRUE;
}

static JsonNode *
wallet_change (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  fest_live_set_text_column (object, "id", stmt, 0);
  fest_live_set_text_column (object, "code", stmt, 1);
  fest_live_set_text_column (object, "holder_name", stmt, 2);
  json_object_set_int_member (object, "balance", sqlite3_column_int64 (stmt, 3));
  json_object_set_boolean_member (object, "overdrawn", sqlite3_column_int (stmt, 4) != 0);
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 5));
  return fest_live_object_node (object);
}

static JsonNode *
ticket_change (sqlite3_stmt *stmt)
{
  return fest_ticket_json_from_stmt (stmt, 0);
}

static JsonNode *
ticket_type_change (sqlite3_stmt *stmt)
{
  return fest_ticket_type_json_from_stmt (stmt, 0);
}

static JsonNode *
product_change (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();

  fest_live_set_text_column (object, "id", stmt, 0);
  fest_live_set_text_column (object, "stand_id", stmt, 1);
  fest_live_set_text_column (object, "name", stmt, 2);
  json_object_set_int_member (object, "price", sqlite3_column_int64 (stmt, 3));
  json_object_set_double_member (object, "vat_rate", fest_vat_rate_to_percent (sqlite3_column_int (stmt, 4)));
  fest_live_set_text_column (object, "category", stmt, 5);
  if (sqlite3_column_type (stmt, 6) == SQLITE_NULL)
    json_object_set_null_member (object, "stock");
  else
    json_object_set_int_member (object, "stock", sqlite3_column_int64 (stmt, 6));
  json_object_set_boolean_member (object, "is_active", sqlite3_column_int (stmt, 7) != 0);
  json_object_set_boolean_member (object, "deleted", sqlite3_column_int (stmt, 8) != 0);
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 9));
  return fest_live_object_node (object);
}

static JsonNode *
stand_change (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonObject *location = json_object_new ();

  fest_live_set_text_column (object, "id", stmt, 0);
  fest_live_set_text_column (object, "name", stmt, 1);
  fest_live_set_text_column (object, "type", stmt, 2);
  if (sqlite3_column_type (stmt, 3) == SQLITE_NULL)
    json_object_set_null_member (location, "lat");
  else
    json_object_set_double_member (location, "lat", sqlite3_column_double (stmt, 3));
  if (sqlite3_column_type (stmt, 4) == SQLITE_NULL)
    json_object_set_null_member (location, "lng");
  else
    json_object_set_double_member (location, "lng", sqlite3_column_double (stmt, 4));
  fest_live_set_text_column (location, "zone", stmt, 5);
  json_object_set_object_member (object, "location", location);
  json_object_set_boolean_member (object, "is_active", sqlite3_column_int (stmt, 6) != 0);
  json_object_set_boolean_member (object, "deleted", sqlite3_column_int (stmt, 7) != 0);
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 8));
  return fest_live_object_node (object);
}

static JsonNode *
alert_change (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *details = NULL;

  fest_live_set_text_column (object, "id", stmt, 0);
  fest_live_set_text_column (object, "type", stmt, 1);
  fest_live_set_text_column (object, "entity_type", stmt, 2);
  fest_live_set_text_column (object, "entity_id", stmt, 3);
  if (sqlite3_column_type (stmt, 4) != SQLITE_NULL)
    details = fest_json_parse ((const char *) sqlite3_column_text (stmt, 4), sqlite3_column_bytes (stmt, 4), NULL);
  if (details != NULL)
    json_object_set_member (object, "details", details);
  else
    json_object_set_null_member (object, "details");
  json_object_set_boolean_member (object, "acknowledged", sqlite3_column_int (stmt, 5) != 0);
  fest_live_set_text_column (object, "created_at", stmt, 6);
  json_object_set_int_member (object, "rev", sqlite3_column_int64 (stmt, 7));
  return fest_live_object_node (object);
}

static void
get_changes (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const char *since_text = fest_request_get_query (req, "since");
  const char *limit_text = fest_request_get_query (req, "limit");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *cursor = NULL;
  guint64 since = 0;
  guint64 limit = CHANGES_DEFAULT_LIMIT;
  gint64 until = G_MAXINT64;
  gint64 max_rev;
  gboolean has_more = FALSE;
  sqlite3_stmt *stmt;
  int rc;

  if (since_text != NULL && since_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      error = fest_error_validation ("since", "since must be a cursor returned by /sync/changes");
      return fest_request_reply_gerror (req, error);
    }
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, CHANGES_MAX_LIMIT, &limit, NULL))
    {
      error = fest_error_validation ("limit", "limit must be between 1 and %d", CHANGES_MAX_LIMIT);
      return fest_request_reply_gerror (req, error);
    }

  /* The page ends at the limit-th change; rows sharing that rev all come with it. */
  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT rev FROM (" CHANGED_REVS ("rev > ?1") ")"
                                           " ORDER BY rev LIMIT 1 OFFSET ?2",
                                           &error);
  if (stmt == NULL)
    return fest_request_reply_gerror (req, error);
  sqlite3_bind_int64 (stmt, 1, since);
  sqlite3_bind_int64 (stmt, 2, limit - 1);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    until = sqlite3_column_int64 (stmt, 0);
  else if (rc != SQLITE_DONE)
    {
      fest_live_stmt_error (stmt, &error);
      return fest_request_reply_gerror (req, error);
    }
  sqlite3_reset (stmt);

  if (until != G_MAXINT64)
    {
      stmt = fest_festival_store_prepare_read (store,
                                               "SELECT EXISTS (" CHANGED_REVS ("rev > ?1") ")", &error);
      if (stmt == NULL)
        return fest_request_reply_gerror (req, error);
      sqlite3_bind_int64 (stmt, 1, until);
      if (sqlite3_step (stmt) != SQLITE_ROW)
        {
          fest_live_stmt_error (stmt, &error);
          return fest_request_reply_gerror (req, error);
        }
      has_more = sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
    }

  max_rev = since;
  if (!query_rows (store,
                   "SELECT id, code, holder_name, balance, overdrawn, rev FROM wallets"
                   " WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, wallet_change, object, "wallets", &max_rev, &error) ||
      !query_rows (store,
                   "SELECT " FEST_TICKET_COLUMNS " FROM tickets WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, ticket_change, object, "tickets", &max_rev, &error) ||
      !query_rows (store,
                   "SELECT id, stand_id, name, price, vat_rate_bp, category, stock, is_active, deleted, rev"
                   " FROM products WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, product_change, object, "products", &max_rev, &error) ||
      !query_rows (store,
                   "SELECT id, name, type, lat, lng, zone, is_active, deleted, rev"
                   " FROM stands WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, stand_change, object, "stands", &max_rev, &error) ||
      !query_rows (store,
                   "SELECT " FEST_TICKET_TYPE_COLUMNS " FROM ticket_types WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, ticket_type_change, object, "ticket_types", &max_rev, &error) ||
      !query_rows (store,
                   "SELECT id, type, entity_type, entity_id, details, acknowledged, created_at, rev"
                   " FROM alerts WHERE rev > ?1 AND rev <= ?2 ORDER BY rev",
                   since, until, alert_change, object, "alerts", &max_rev, &error))
    return fest_request_reply_gerror (req, error);

  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, max_rev);
  json_object_set_string_member (object, "cursor", cursor);
  json_object_set_boolean_member (object, "has_more", has_more);
  fest_request_reply_data (req, SOUP_STATUS_OK,
                           json_node_init_object (json_node_alloc (), object));
}

void
fest_routes_sync_register (FestRouter *router)
{
  fest_router_add (router, "POST", "/sync", FEST_ROUTE_FESTIVAL, FEST_PERM_SYNC, post_sync);
  fest_router_set_max_body (router, "POST", "/sync", SYNC_MAX_BODY);
  fest_router_add (router, "GET", "/sync/changes", FEST_ROUTE_FESTIVAL, FEST_PERM_SYNC, get_changes);
}
