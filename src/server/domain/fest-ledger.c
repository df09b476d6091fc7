/* fest-ledger.c: the cashless ledger: transactions as write jobs, hash chain, invariant checks
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger is the append-only `transactions` table of a festival database. Every row is applied
 * on the store's writer thread (fest_ledger_apply) inside the caller's SAVEPOINT, together with the
 * wallet's balance cache, the stock of the products sold, the audit row and the events: either all
 * of it commits or none.
 *
 * Tamper evidence: rows form one hash chain per festival in `seq` (commit) order:
 *
 *   hash = lower-case hex SHA-256 (prev_hash ‖ canonical row)
 *
 * prev_hash is the previous row's hash (the first row's is 64 "0"). The canonical row is the
 * concatenation of netstrings `<byte length>:<bytes>,` (a NULL value is `-,`, integers in decimal,
 * booleans 0/1) of, in this order: id, wallet_id, type, amount (signed), balance_after, reference,
 * payment_method, stand_id, operator_id, device_id, idempotency_key, offline_created, created_at,
 * recorded_at, the number of lines, then for each line in line_no order: product_id, name,
 * quantity, unit_price, vat_rate_bp, vat_amount. Netstrings make the form unambiguous whatever
 * bytes a field holds. Rows are never updated or deleted: corrections are new CANCEL/REFUND rows.
 */

#include "config.h"

#include <string.h>

#include "fest-idempotency.h"
#include "fest-ledger-private.h"
#include "fest-stats.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

#define MAX_LINES 200
#define MAX_REFERENCE_CHARS 255
/* The member of a CANCEL refusal's details that says the window had passed (and
 * _fest_ledger_note_refusal() remembers it). */
#define CANCEL_WINDOW_DETAIL "cancel_window_s"
/* How far before its payment a CANCEL may claim to be: two clocks (an offline sale's station, the
 * server's or another station's) disagree by that much (POST /sync bounds a station's clock alike). */
#define CANCEL_CLOCK_SKEW_S 300

/* Ledger row */

void
_fest_ledger_row_clear (FestLedgerRow *row)
{
  g_clear_pointer (&row->id, g_free);
  g_clear_pointer (&row->wallet_id, g_free);
  g_clear_pointer (&row->type, g_free);
  g_clear_pointer (&row->reference, g_free);
  g_clear_pointer (&row->payment_method, g_free);
  g_clear_pointer (&row->stand_id, g_free);
  g_clear_pointer (&row->operator_id, g_free);
  g_clear_pointer (&row->device_id, g_free);
  g_clear_pointer (&row->idempotency_key, g_free);
  g_clear_pointer (&row->created_at, g_free);
  g_clear_pointer (&row->recorded_at, g_free);
  g_clear_pointer (&row->prev_hash, g_free);
  g_clear_pointer (&row->hash, g_free);
  g_clear_pointer (&row->lines, g_array_unref);
}

static void
ledger_line_clear (gpointer data)
{
  FestLedgerLine *line = data;

  g_clear_pointer (&line->product_id, g_free);
  g_clear_pointer (&line->name, g_free);
}

static GArray *
ledger_lines_new (void)
{
  GArray *lines = g_array_new (FALSE, TRUE, sizeof (FestLedgerLine));

  g_array_set_clear_func (lines, ledger_line_clear);
  return lines;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

gboolean
_fest_ledger_row_read (FestLedgerRow *row,
                       sqlite3_stmt  *stmt,
                       sqlite3_stmt  *lines_stmt,
                       GError       **error)
{
  int rc;

  memset (row, 0, sizeof *row);
  row->seq = sqlite3_column_int64 (stmt, 0);
  row->id = column_dup (stmt, 1);
  row->wallet_id = column_dup (stmt, 2);
  row->type = column_dup (stmt, 3);
  row->amount = sqlite3_column_int64 (stmt, 4);
  row->balance_after = sqlite3_column_int64 (stmt, 5);
  row->reference = column_dup (stmt, 6);
  row->payment_method = column_dup (stmt, 7);
  row->stand_id = column_dup (stmt, 8);
  row->operator_id = column_dup (stmt, 9);
  row->device_id = column_dup (stmt, 10);
  row->idempotency_key = column_dup (stmt, 11);
  row->offline_created = sqlite3_column_int (stmt, 12) != 0;
  row->created_at = column_dup (stmt, 13);
  row->recorded_at = column_dup (stmt, 14);
  row->prev_hash = column_dup (stmt, 15);
  row->hash = column_dup (stmt, 16);
  row->lines = ledger_lines_new ();

  sqlite3_reset (lines_stmt);
  sqlite3_bind_text (lines_stmt, 1, row->id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (lines_stmt)) == SQLITE_ROW)
    {
      FestLedgerLine line;

      line.product_id = column_dup (lines_stmt, 0);
      line.name = column_dup (lines_stmt, 1);
      line.quantity = sqlite3_column_int64 (lines_stmt, 2);
      line.unit_price = sqlite3_column_int64 (lines_stmt, 3);
      line.vat_rate_bp = sqlite3_column_int64 (lines_stmt, 4);
      line.vat_amount = sqlite3_column_int64 (lines_stmt, 5);
      g_array_append_val (row->lines, line);
    }
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (sqlite3_db_handle (lines_stmt), error);
      sqlite3_reset (lines_stmt);
      return FALSE;
    }
  sqlite3_reset (lines_stmt);
  return TRUE;
}

JsonNode *
_fest_ledger_row_to_json (const FestLedgerRow *row)
{
  JsonObject *object = json_object_new ();
  JsonArray *lines = json_array_sized_new (row->lines != NULL ? row->lines->len : 0);
  JsonNode *node;

  json_object_set_string_member (object, "id", row->id);
  json_object_set_string_member (object, "wallet_id", row->wallet_id);
  json_object_set_string_member (object, "type", row->type);
  json_object_set_int_member (object, "amount", row->amount);
  json_object_set_int_member (object, "balance_after", row->balance_after);
  for (guint i = 0; row->lines != NULL && i < row->lines->len; i++)
    {
      const FestLedgerLine *line = &g_array_index (row->lines, FestLedgerLine, i);
      JsonObject *l = json_object_new ();

      json_object_set_string_member (l, "product_id", line->product_id);
      json_object_set_string_member (l, "name", line->name);
      json_object_set_int_member (l, "quantity", line->quantity);
      json_object_set_int_member (l, "unit_price", line->unit_price);
      json_object_set_double_member (l, "vat_rate", fest_vat_rate_to_percent ((guint) line->vat_rate_bp));
      json_object_set_int_member (l, "vat_amount", line->vat_amount);
      json_array_add_object_element (lines, l);
    }
  json_object_set_array_member (object, "lines", lines);
  fest_json_set_nullable_string (object, "stand_id", row->stand_id);
  fest_json_set_nullable_string (object, "operator_id", row->operator_id);
  fest_json_set_nullable_string (object, "device_id", row->device_id);
  fest_json_set_nullable_string (object, "reference", row->reference);
  fest_json_set_nullable_string (object, "payment_method", row->payment_method);
  json_object_set_string_member (object, "idempotency_key", row->idempotency_key);
  json_object_set_boolean_member (object, "offline_created", row->offline_created);
  json_object_set_string_member (object, "created_at", row->created_at);
  json_object_set_string_member (object, "recorded_at", row->recorded_at);
  /* When the server received it: the same as recorded_at (a row is written as it arrives), under
   * the name stations and reports use next to an offline row's created_at. */
  json_object_set_string_member (object, "received_at", row->recorded_at);
  json_object_set_string_member (object, "hash", row->hash);
  json_object_set_string_member (object, "prev_hash", row->prev_hash);

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

/* JSON text exactly as json-glib 1.6's generator writes it (the reply bytes do not depend on which
 * path built them): strings with only plain bytes are copied, others go through the generator
 * (it has its own escaping rules); doubles as g_ascii_dtostr with ".0" when integral. */
static void
append_json_string (GString    *out,
                    const char *value)
{
  const guchar *p;

  if (value == NULL)
    {
      g_string_append (out, "null");
      return;
    }
  for (p = (const guchar *) value; *p != '\0'; p++)
    if (*p < 0x20 || *p == 0x7f || *p == '"' || *p == '\\')
      break;
  if (*p == '\0')
    {
      g_string_append_c (out, '"');
      g_string_append_len (out, value, (const char *) p - value);
      g_string_append_c (out, '"');
    }
  else
    {
      g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autofree char *text = NULL;

      json_generator_set_root (generator, node);
      text = json_generator_to_data (generator, NULL);
      g_string_append (out, text);
    }
}

/* @prefix: the separator and the opening quote of the member's name, e.g. ",\"name". */
static void
append_json_member (GString    *out,
                    const char *prefix)
{
  g_string_append (out, prefix);
  g_string_append (out, "\":");
}

void
_fest_ledger_row_append_json (const FestLedgerRow *row,
                              GString             *out)
{
  g_string_append (out, "{\"id\":");
  append_json_string (out, row->id);
  g_string_append (out, ",\"wallet_id\":");
  append_json_string (out, row->wallet_id);
  g_string_append (out, ",\"type\":");
  append_json_string (out, row->type);
  g_string_append (out, ",\"amount\":");
  fest_string_append_int (out, row->amount);
  g_string_append (out, ",\"balance_after\":");
  fest_string_append_int (out, row->balance_after);
  g_string_append (out, ",\"lines\":[");
  for (guint i = 0; row->lines != NULL && i < row->lines->len; i++)
    {
      const FestLedgerLine *line = &g_array_index (row->lines, FestLedgerLine, i);
      char buf[G_ASCII_DTOSTR_BUF_SIZE];

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append (out, "{\"product_id\":");
      append_json_string (out, line->product_id);
      g_string_append (out, ",\"name\":");
      append_json_string (out, line->name);
      g_string_append (out, ",\"quantity\":");
      fest_string_append_int (out, line->quantity);
      g_string_append (out, ",\"unit_price\":");
      fest_string_append_int (out, line->unit_price);
      g_string_append (out, ",\"vat_rate\":");
      g_ascii_dtostr (buf, sizeof buf, fest_vat_rate_to_percent ((guint) line->vat_rate_bp));
      g_string_append (out, buf);
      if (strchr (buf, '.') == NULL)
        g_string_append (out, ".0");
      g_string_append (out, ",\"vat_amount\":");
      fest_string_append_int (out, line->vat_amount);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "]");
  append_json_member (out, ",\"stand_id");
  append_json_string (out, row->stand_id);
  append_json_member (out, ",\"operator_id");
  append_json_string (out, row->operator_id);
  append_json_member (out, ",\"device_id");
  append_json_string (out, row->device_id);
  append_json_member (out, ",\"reference");
  append_json_string (out, row->reference);
  append_json_member (out, ",\"payment_method");
  append_json_string (out, row->payment_method);
  append_json_member (out, ",\"idempotency_key");
  append_json_string (out, row->idempotency_key);
  g_string_append (out, row->offline_created ? ",\"offline_created\":true" : ",\"offline_created\":false");
  append_json_member (out, ",\"created_at");
  append_json_string (out, row->created_at);
  append_json_member (out, ",\"recorded_at");
  append_json_string (out, row->recorded_at);
  append_json_member (out, ",\"received_at");
  append_json_string (out, row->recorded_at);
  append_json_member (out, ",\"hash");
  append_json_string (out, row->hash);
  append_json_member (out, ",\"prev_hash");
  append_json_string (out, row->prev_hash);
  g_string_append_c (out, '}');
}

/* The canonical row is built whole, then hashed once. Its bytes must never change: every stored
 * hash was computed from them. */
static void
canon_bytes (GString    *canon,
             const char *value,
             gsize       len)
{
  fest_string_append_int (canon, (gint64) len);
  g_string_append_c (canon, ':');
  g_string_append_len (canon, value, len);
  g_string_append_c (canon, ',');
}

static void
canon_string (GString    *canon,
              const char *value)
{
  if (value == NULL)
    g_string_append_len (canon, "-,", 2);
  else
    canon_bytes (canon, value, strlen (value));
}

static void
canon_int (GString *canon,
           gint64   value)
{
  char text[FEST_DECIMAL_SIZE];
  gsize len = fest_format_int (value, text);

  canon_bytes (canon, text, len);
}

char *
_fest_ledger_row_hash (const FestLedgerRow *row)
{
  g_autoptr(GString) canon = g_string_sized_new (512);
  guint n_lines = row->lines != NULL ? row->lines->len : 0;

  g_string_append (canon, row->prev_hash);
  canon_string (canon, row->id);
  canon_string (canon, row->wallet_id);
  canon_string (canon, row->type);
  canon_int (canon, row->amount);
  canon_int (canon, row->balance_after);
  canon_string (canon, row->reference);
  canon_string (canon, row->payment_method);
  canon_string (canon, row->stand_id);
  canon_string (canon, row->operator_id);
  canon_string (canon, row->device_id);
  canon_string (canon, row->idempotency_key);
  canon_int (canon, row->offline_created ? 1 : 0);
  canon_string (canon, row->created_at);
  canon_string (canon, row->recorded_at);
  canon_int (canon, n_lines);
  for (guint i = 0; i < n_lines; i++)
    {
      const FestLedgerLine *line = &g_array_index (row->lines, FestLedgerLine, i);

      canon_string (canon, line->product_id);
      canon_string (canon, line->name);
      canon_int (canon, line->quantity);
      canon_int (canon, line->unit_price);
      canon_int (canon, line->vat_rate_bp);
      canon_int (canon, line->vat_amount);
    }

  return fest_sha256_hex (canon->str, canon->len);
}

JsonNode *
_fest_ledger_wallet_to_json (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node;

  json_object_set_string_member (object, "id", (const char *) sqlite3_column_text (stmt, 0));
  json_object_set_string_member (object, "code", (const char *) sqlite3_column_text (stmt, 1));
  fest_json_set_nullable_string (object, "holder_name", (const char *) sqlite3_column_text (stmt, 2));
  fest_json_set_nullable_string (object, "user_id", (const char *) sqlite3_column_text (stmt, 3));
  json_object_set_int_member (object, "balance", sqlite3_column_int64 (stmt, 4));
  json_object_set_boolean_member (object, "overdrawn", sqlite3_column_int (stmt, 5) != 0);
  json_object_set_string_member (object, "created_at", (const char *) sqlite3_column_text (stmt, 6));
  json_object_set_string_member (object, "updated_at", (const char *) sqlite3_column_text (stmt, 7));

  node = json_node_new (JSON_NODE_OBJECT);
  json_node_take_object (node, object);
  return node;
}

gint64
_fest_ledger_cancel_window (void)
{
  static gsize window_init = 0;
  static gint64 window = 120;

  if (g_once_init_enter (&window_init))
    {
      const char *env = g_getenv ("FESTIVALS_CANCEL_WINDOW_S");

      if (env != NULL && *env != '\0')
        window = g_ascii_strtoll (env, NULL, 10);
      g_once_init_leave (&window_init, 1);
    }
  return window;
}

/* Input */

void
fest_transaction_input_clear (FestTransactionInput *input)
{
  g_clear_pointer (&input->type, g_free);
  g_clear_pointer (&input->wallet_id, g_free);
  g_clear_pointer (&input->wallet_code, g_free);
  g_clear_pointer (&input->stand_id, g_free);
  g_clear_pointer (&input->reference, g_free);
  g_clear_pointer (&input->payment_method, g_free);
  g_clear_pointer (&input->lines, g_array_unref);
  g_clear_pointer (&input->created_at, g_free);
  input->amount = 0;
}

static void
line_input_clear (gpointer data)
{
  FestTransactionLineInput *line = data;

  g_clear_pointer (&line->product_id, g_free);
}

static gboolean
member_present (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* Re-targets a field error of a line member at "lines[i].member". */
static void
line_field_error (GError    **error,
                  GError     *inner,
                  guint       index,
                  const char *member)
{
  g_autofree char *field = g_strdup_printf ("lines[%u].%s", index, member);

  g_propagate_error (error, fest_error_validation (field, "%s", inner->message));
  g_error_free (inner);
}

static gboolean
parse_lines (JsonArray *array,
             GArray   **out,
             GError   **error)
{
  g_autoptr(GArray) lines = NULL;
  guint n = json_array_get_length (array);

  if (n == 0 || n > MAX_LINES)
    {
      g_propagate_error (error, fest_error_validation ("lines",
                                                       "between 1 and %d lines are required",
                                                       MAX_LINES));
      return FALSE;
    }

  lines = g_array_sized_new (FALSE, TRUE, sizeof (FestTransactionLineInput), n);
  g_array_set_clear_func (lines, line_input_clear);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      FestTransactionLineInput line = { 0, NULL };
      const char *product_id = NULL;
      GError *inner = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *field = g_strdup_printf ("lines[%u]", i);

          g_propagate_error (error, fest_error_validation (field, "a line must be an object"));
          return FALSE;
        }
      object = json_node_get_object (node);
      if (!fest_json_get_uuid (object, "product_id", TRUE, &product_id, &inner))
        {
          line_field_error (error, inner, i, "product_id");
          return FALSE;
        }
      if (!fest_json_get_int (object, "quantity", TRUE, 1, G_MAXINT64, &line.quantity, &inner))
        {
          line_field_error (error, inner, i, "quantity");
          return FALSE;
        }
      line.product_id = g_strdup (product_id);
      g_array_append_val (lines, line);
    }

  *out = g_steal_pointer (&lines);
  return TRUE;
}

gboolean
fest_transaction_input_parse (JsonObject           *body,
                              FestTransactionInput *input,
                              GError              **error)
{
  return _fest_transaction_input_parse_at_stand (body, NULL, input, error);
}

gboolean
_fest_transaction_input_parse_at_stand (JsonObject           *body,
                                        const char           *default_stand_id,
                                        FestTransactionInput *input,
                                        GError              **error)
{
  const char *type = NULL;
  const char *wallet_id = NULL;
  const char *wallet_code = NULL;
  const char *stand_id = NULL;
  const char *reference = NULL;
  const char *payment_method = NULL;
  JsonArray *lines = NULL;
  gboolean is_recharge, is_payment, is_refund, is_cancel;
  gboolean has_amount, has_lines;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (input != NULL, FALSE);

  memset (input, 0, sizeof *input);

  if (!fest_json_get_string (body, "type", TRUE, &type, error))
    return FALSE;
  is_recharge = g_str_equal (type, "RECHARGE");
  is_payment = g_str_equal (type, "PAYMENT");
  is_refund = g_str_equal (type, "REFUND");
  is_cancel = g_str_equal (type, "CANCEL");
  if (!is_recharge && !is_payment && !is_refund && !is_cancel)
    {
      g_propagate_error (error, fest_error_validation ("type",
                                                       "type must be RECHARGE, PAYMENT, REFUND or CANCEL"));
      return FALSE;
    }
  input->type = g_strdup (type);

  if (member_present (body, "wallet_id")
      && !fest_json_get_uuid (body, "wallet_id", FALSE, &wallet_id, error))
    goto fail;
  if (member_present (body, "wallet_code"))
    {
      if (!fest_json_get_string (body, "wallet_code", FALSE, &wallet_code, error))
        goto fail;
      if (!fest_wallet_code_is_valid (wallet_code))
        {
          g_propagate_error (error, fest_error_validation ("wallet_code", "not a wallet code"));
          goto fail;
        }
    }
  if (wallet_id != NULL && wallet_code != NULL)
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "give wallet_id or wallet_code, not both"));
      goto fail;
    }
  if (wallet_id == NULL && wallet_code == NULL && (is_recharge || is_payment))
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "wallet_id or wallet_code is required"));
      goto fail;
    }
  input->wallet_id = g_strdup (wallet_id);
  input->wallet_code = g_strdup (wallet_code);

  if (member_present (body, "stand_id")
      && !fest_json_get_uuid (body, "stand_id", FALSE, &stand_id, error))
    goto fail;
  input->stand_id = g_strdup (stand_id);

  if (is_refund || is_cancel)
    {
      if (!fest_json_get_uuid (body, "reference", is_refund, &reference, error))
        goto fail;
    }
  else if (member_present (body, "reference")
           && !fest_json_get_text (body, "reference", FALSE, MAX_REFERENCE_CHARS, &reference, error))
    goto fail;
  input->reference = g_strdup (reference);

  if (is_recharge && member_present (body, "payment_method"))
    {
      if (!fest_json_get_string (body, "payment_method", FALSE, &payment_method, error))
        goto fail;
      if (!g_str_equal (payment_method, "CASH") && !g_str_equal (payment_method, "CARD")
          && !g_str_equal (payment_method, "ONLINE"))
        {
          g_propagate_error (error, fest_error_validation ("payment_method",
                                                           "payment_method must be CASH, CARD or ONLINE"));
          goto fail;
        }
      input->payment_method = g_strdup (payment_method);
    }

  has_amount = member_present (body, "amount");
  has_lines = member_present (body, "lines");
  if (has_amount
      && !fest_json_get_int (body, "amount", TRUE, 1, FEST_MONEY_MAX_AMOUNT, &input->amount, error))
    goto fail;
  if (has_lines && !is_payment)
    {
      g_propagate_error (error, fest_error_validation ("lines", "lines are only for a PAYMENT"));
      goto fail;
    }
  if (is_payment)
    {
      if (has_amount == has_lines)
        {
          g_propagate_error (error, fest_error_validation (has_amount ? "lines" : "amount",
                                                           "a PAYMENT takes either lines or an amount"));
          goto fail;
        }
      if (has_lines)
        {
          if (!fest_json_get_array (body, "lines", TRUE, &lines, error))
            goto fail;
          if (!parse_lines (lines, &input->lines, error))
            goto fail;
          if (input->stand_id == NULL && default_stand_id == NULL)
            {
              g_propagate_error (error, fest_error_validation ("stand_id",
                                                               "stand_id is required with lines"));
              goto fail;
            }
        }
    }
  else if (is_recharge && !has_amount)
    {
      g_propagate_error (error, fest_error_validation ("amount", "amount is required"));
      goto fail;
    }
  else if (is_cancel && has_amount)
    {
      g_propagate_error (error, fest_error_validation ("amount",
                                                       "a CANCEL reverses the whole payment: no amount"));
      goto fail;
    }

  if (member_present (body, "created_at")
      && !fest_json_get_time (body, "created_at", FALSE, &input->created_at, error))
    goto fail;

  return TRUE;

fail:
  fest_transaction_input_clear (input);
  return FALSE;
}

/* Apply */

static gboolean
ctx_error (FestWriteCtx *ctx,
           GError      **error)
{
  return fest_sqlite_error (fest_write_ctx_get_db (ctx), error);
}

static gboolean
step_done (FestWriteCtx *ctx,
           sqlite3_stmt *stmt,
           GError      **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static GError *
not_found (const char *field,
           const char *what)
{
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (details, "field", field);
  json_node_take_object (node, details);
  return fest_error_new_with_details (FEST_ERROR_NOT_FOUND, node, "%s not found", what);
}

typedef struct
{
  char   *id;
  gint64  balance;
  gint64  last_seq;   /* the wallet's newest transaction, 0 for none */
} WalletState;

static gboolean
load_wallet (FestWriteCtx               *ctx,
             const FestTransactionInput *input,
             const char                 *wallet_id,
             WalletState                *wallet,
             GError                    **error)
{
  sqlite3_stmt *stmt;
  int rc;

  if (wallet_id != NULL)
    {
      stmt = fest_write_ctx_prepare (ctx, "SELECT id, balance, last_seq FROM wallets WHERE id = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, wallet_id, -1, SQLITE_STATIC);
    }
  else
    {
      stmt = fest_write_ctx_prepare (ctx, "SELECT id, balance, last_seq FROM wallets WHERE code = ?1", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_text (stmt, 1, input->wallet_code, -1, SQLITE_STATIC);
    }

  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      wallet->id = column_dup (stmt, 0);
      wallet->balance = sqlite3_column_int64 (stmt, 1);
      wallet->last_seq = sqlite3_column_int64 (stmt, 2);
      sqlite3_reset (stmt);
      return TRUE;
    }
  if (rc != SQLITE_DONE)
    ctx_error (ctx, error);
  else
    g_propagate_error (error, not_found (wallet_id != NULL ? "wallet_id" : "wallet_code", "wallet"));
  sqlite3_reset (stmt);
  return FALSE;
}

static gboolean
insert_alert (FestWriteCtx *ctx,
              const char   *type,
              const char   *entity_type,
              const char   *entity_id,
              JsonNode     *details,
              gint64        rev,
              const char   *now,
              GError      **error)
{
  sqlite3_stmt *stmt;
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *details_text = details != NULL ? fest_json_to_string (details, NULL) : NULL;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO alerts (id, type, entity_type, entity_id, details, rev, created_at) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, entity_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, entity_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, details_text, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, rev);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  return step_done (ctx, stmt, error);
}

/* Prices the lines of a PAYMENT and checks them (stand, products, overflow, stock online) without
 * writing anything. Returns the (positive) total in *total. */
static gboolean
price_payment_lines (FestWriteCtx               *ctx,
                     const FestTransactionInput *input,
                     gboolean                    offline,
                     GArray                     *lines,
                     gint64                     *total,
                     GError                    **error)
{
  sqlite3_stmt *stand_stmt;
  sqlite3_stmt *product_stmt;
  gint64 sum = 0;
  int rc;

  stand_stmt = fest_write_ctx_prepare (ctx, "SELECT is_active, deleted FROM stands WHERE id = ?1", error);
  if (stand_stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stand_stmt, 1, input->stand_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stand_stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_propagate_error (error, not_found ("stand_id", "stand"));
      else
        ctx_error (ctx, error);
      sqlite3_reset (stand_stmt);
      return FALSE;
    }
  if (!offline && (sqlite3_column_int (stand_stmt, 0) == 0 || sqlite3_column_int (stand_stmt, 1) != 0))
    {
      sqlite3_reset (stand_stmt);
      g_propagate_error (error, fest_error_validation ("stand_id", "the stand is not active"));
      return FALSE;
    }
  sqlite3_reset (stand_stmt);

  product_stmt = fest_write_ctx_prepare (ctx,
                                         "SELECT stand_id, name, price, vat_rate_bp, stock, is_active, deleted "
                                         "FROM products WHERE id = ?1", error);
  if (product_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < input->lines->len; i++)
    {
      const FestTransactionLineInput *in = &g_array_index (input->lines, FestTransactionLineInput, i);
      FestLedgerLine line = { 0, };
      gboolean has_stock;
      gint64 stock;
      gint64 line_total;

      sqlite3_bind_text (product_stmt, 1, in->product_id, -1, SQLITE_STATIC);
      rc = sqlite3_step (product_stmt);
      if (rc != SQLITE_ROW)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].product_id", i);

          if (rc == SQLITE_DONE)
            g_propagate_error (error, not_found (field, "product"));
          else
            ctx_error (ctx, error);
          sqlite3_reset (product_stmt);
          return FALSE;
        }
      if (g_strcmp0 ((const char *) sqlite3_column_text (product_stmt, 0), input->stand_id) != 0)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].product_id", i);

          sqlite3_reset (product_stmt);
          g_propagate_error (error, fest_error_validation (field, "the product is not sold at this stand"));
          return FALSE;
        }
      if (!offline && sqlite3_column_int (product_stmt, 6) != 0)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].product_id", i);

          sqlite3_reset (product_stmt);
          g_propagate_error (error, not_found (field, "product"));
          return FALSE;
        }
      if (!offline && sqlite3_column_int (product_stmt, 5) == 0)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].product_id", i);

          sqlite3_reset (product_stmt);
          g_propagate_error (error, fest_error_validation (field, "the product is not on sale"));
          return FALSE;
        }

      line.product_id = g_strdup (in->product_id);
      line.name = column_dup (product_stmt, 1);
      line.quantity = in->quantity;
      line.unit_price = sqlite3_column_int64 (product_stmt, 2);
      line.vat_rate_bp = sqlite3_column_int64 (product_stmt, 3);
      has_stock = sqlite3_column_type (product_stmt, 4) != SQLITE_NULL;
      stock = sqlite3_column_int64 (product_stmt, 4);
      sqlite3_reset (product_stmt);
      g_array_append_val (lines, line);

      if (!fest_money_mul (line.unit_price, line.quantity, &line_total)
          || line_total > FEST_MONEY_MAX_AMOUNT
          || !fest_money_add (sum, line_total, &sum)
          || sum > FEST_MONEY_MAX_AMOUNT)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].quantity", i);

          g_propagate_error (error, fest_error_validation (field,
                                                           "the amount would exceed the largest amount allowed"));
          return FALSE;
        }
      if (!fest_vat_line_amount (line.unit_price, line.quantity, (guint) line.vat_rate_bp,
                                 &g_array_index (lines, FestLedgerLine, lines->len - 1).vat_amount))
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].quantity", i);

          g_propagate_error (error, fest_error_validation (field, "VAT overflow"));
          return FALSE;
        }

      if (has_stock && !offline)
        {
          gint64 taken = 0;

          /* The same product may come on several lines. */
          for (guint j = 0; j + 1 < lines->len; j++)
            if (g_str_equal (g_array_index (lines, FestLedgerLine, j).product_id, in->product_id))
              taken += g_array_index (lines, FestLedgerLine, j).quantity;
          if (stock - taken < line.quantity)
            {
              JsonObject *details = json_object_new ();
              JsonNode *node = json_node_new (JSON_NODE_OBJECT);

              json_object_set_string_member (details, "product_id", in->product_id);
              json_object_set_int_member (details, "available", MAX (stock - taken, 0));
              json_node_take_object (node, details);
              g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_OUT_OF_STOCK, node,
                                                                     "not enough stock"));
              return FALSE;
            }
        }
    }

  *total = sum;
  return TRUE;
}

/* Moves the stock of priced lines: @sign -1 for a PAYMENT, +1 for a CANCEL. Offline, a sale beyond
 * the stock is a fact: the product is flagged and an alert raised. */
static gboolean
move_stock (FestWriteCtx *ctx,
            GArray       *lines,
            gint64        sign,
            gint64        rev,
            const char   *now,
            GError      **error)
{
  sqlite3_stmt *stmt;
  sqlite3_stmt *stock_stmt;
  int rc;

  /* Not UPDATE … RETURNING: SQLite collects RETURNING rows in a temporary table, opened and
   * dropped for every statement (most products have no stock to move, either). */
  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE products SET stock = stock + ?2,"
                                 " stock_overdrawn = CASE WHEN stock + ?2 < 0 THEN 1 ELSE stock_overdrawn END,"
                                 " rev = ?3, updated_at = ?4 WHERE id = ?1 AND stock IS NOT NULL", error);
  if (stmt == NULL)
    return FALSE;
  stock_stmt = fest_write_ctx_prepare (ctx, "SELECT stock FROM products WHERE id = ?1", error);
  if (stock_stmt == NULL)
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      const FestLedgerLine *line = &g_array_index (lines, FestLedgerLine, i);
      gboolean overdrawn = FALSE;
      gint64 stock = 0;

      sqlite3_bind_text (stmt, 1, line->product_id, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, sign * line->quantity);
      sqlite3_bind_int64 (stmt, 3, rev);
      sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return ctx_error (ctx, error);
      if (sqlite3_changes (fest_write_ctx_get_db (ctx)) > 0)
        {
          sqlite3_bind_text (stock_stmt, 1, line->product_id, -1, SQLITE_STATIC);
          rc = sqlite3_step (stock_stmt);
          if (rc != SQLITE_ROW)
            {
              sqlite3_reset (stock_stmt);
              return ctx_error (ctx, error);
            }
          stock = sqlite3_column_int64 (stock_stmt, 0);
          sqlite3_reset (stock_stmt);
          overdrawn = sign < 0 && stock < 0;
        }

      if (overdrawn)
        {
          JsonObject *details = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);
          gboolean ok;

          json_object_set_string_member (details, "product_id", line->product_id);
          json_object_set_int_member (details, "stock", stock);
          json_node_take_object (node, details);
          ok = insert_alert (ctx, "STOCK_OVERDRAWN", "product", line->product_id, node, rev, now, error);
          json_node_unref (node);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  char   *id;
  char   *wallet_id;
  gint64  amount;          /* signed, negative */
  char   *created_at;
  char   *recorded_at;
  char   *operator_id;
  char   *device_id;
} PaymentRef;

static void
payment_ref_clear (PaymentRef *payment)
{
  g_clear_pointer (&payment->id, g_free);
  g_clear_pointer (&payment->wallet_id, g_free);
  g_clear_pointer (&payment->created_at, g_free);
  g_clear_pointer (&payment->recorded_at, g_free);
  g_clear_pointer (&payment->operator_id, g_free);
  g_clear_pointer (&payment->device_id, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PaymentRef, payment_ref_clear)

static gboolean
load_payment (FestWriteCtx *ctx,
              const char   *id,
              PaymentRef   *payment,
              GError      **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT id, wallet_id, amount, created_at, recorded_at, operator_id, device_id, type "
                                 "FROM transactions WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_propagate_error (error, not_found ("reference", "payment"));
      else
        ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  if (!g_str_equal ((const char *) sqlite3_column_text (stmt, 7), "PAYMENT"))
    {
      sqlite3_reset (stmt);
      g_propagate_error (error, fest_error_validation ("reference", "the reference is not a payment"));
      return FALSE;
    }
  payment->id = column_dup (stmt, 0);
  payment->wallet_id = column_dup (stmt, 1);
  payment->amount = sqlite3_column_int64 (stmt, 2);
  payment->created_at = column_dup (stmt, 3);
  payment->recorded_at = column_dup (stmt, 4);
  payment->operator_id = column_dup (stmt, 5);
  payment->device_id = column_dup (stmt, 6);
  sqlite3_reset (stmt);
  return TRUE;
}

/* Σ of the REFUND and CANCEL rows already referring to a payment (positive). */
static gboolean
reversed_amount (FestWriteCtx *ctx,
                 const char   *payment_id,
                 gint64       *reversed,
                 gint64       *count,
                 GError      **error)
{
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "SELECT COALESCE(SUM(amount), 0), COUNT(*) FROM transactions "
                                 "WHERE refers_to = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payment_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *reversed = sqlite3_column_int64 (stmt, 0);
  *count = sqlite3_column_int64 (stmt, 1);
  sqlite3_reset (stmt);
  return TRUE;
}

static gboolean
check_wallet_matches (const FestTransactionInput *input,
                      const char                 *wallet_id,
                      const char                 *wallet_code,
                      GError                    **error)
{
  if (input->wallet_id != NULL && g_strcmp0 (input->wallet_id, wallet_id) != 0)
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "the payment was not made from this wallet"));
      return FALSE;
    }
  if (input->wallet_code != NULL && g_strcmp0 (input->wallet_code, wallet_code) != 0)
    {
      g_propagate_error (error, fest_error_validation ("wallet_code",
                                                       "the payment was not made from this wallet"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
wallet_code_of (FestWriteCtx *ctx,
                const char   *wallet_id,
                char        **code,
                GError      **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, "SELECT code FROM wallets WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, wallet_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  *code = column_dup (stmt, 0);
  sqlite3_reset (stmt);
  return TRUE;
}

static gint64
seconds_between (const char *earlier,
                 const char *later)
{
  g_autoptr(GDateTime) a = fest_time_parse (earlier);
  g_autoptr(GDateTime) b = fest_time_parse (later);

  if (a == NULL || b == NULL)
    return G_MAXINT64;
  return g_date_time_difference (b, a) / G_TIME_SPAN_SECOND;
}

/* CANCEL: the caller's own last payment, within the window, not yet reversed. */
static gboolean
prepare_cancel (FestWriteCtx               *ctx,
                const FestTransactionInput *input,
                const FestActor            *actor,
                gboolean                    offline,
                const char                 *created_at,
                PaymentRef                 *payment,
                GError                    **error)
{
  sqlite3_stmt *stmt;
  const char *who;
  gint64 reversed, count, elapsed;
  int rc;

  if (actor != NULL && actor->account_id != NULL)
    {
      who = actor->account_id;
      stmt = fest_write_ctx_prepare (ctx,
                                     "SELECT id FROM transactions WHERE operator_id = ?1 AND type = 'PAYMENT' "
                                     "ORDER BY seq DESC LIMIT 1", error);
    }
  else if (actor != NULL && actor->device_id != NULL)
    {
      who = actor->device_id;
      stmt = fest_write_ctx_prepare (ctx,
                                     "SELECT id FROM transactions WHERE device_id = ?1 AND type = 'PAYMENT' "
                                     "ORDER BY seq DESC LIMIT 1", error);
    }
  else
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "no payment of yours to cancel");
      return FALSE;
    }
  if (stmt == NULL)
    return FALSE;

  sqlite3_bind_text (stmt, 1, who, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      g_autofree char *last_id = column_dup (stmt, 0);

      sqlite3_reset (stmt);
      if (input->reference != NULL && !g_str_equal (input->reference, last_id))
        {
          g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                       "only your own last payment can be cancelled");
          return FALSE;
        }
      if (!load_payment (ctx, last_id, payment, error))
        return FALSE;
    }
  else
    {
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return ctx_error (ctx, error);
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "no payment of yours to cancel");
      return FALSE;
    }

  /* The window runs from the sale as it happened (the station's time for an offline sale, synced
   * maybe hours later), not from when the server heard of it. */
  elapsed = seconds_between (payment->created_at, created_at);
  if (elapsed > _fest_ledger_cancel_window () || elapsed < -CANCEL_CLOCK_SKEW_S)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (details, "reference", payment->id);
      json_object_set_int_member (details, CANCEL_WINDOW_DETAIL, _fest_ledger_cancel_window ());
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, node,
                                                             "a payment can only be cancelled within %"
                                                             G_GINT64_FORMAT " seconds",
                                                             _fest_ledger_cancel_window ()));
      return FALSE;
    }
  /* Once the server said the window had passed, a CANCEL claiming an earlier time (an offline one,
   * from a station whose clock was set back) is not believed. */
  stmt = fest_write_ctx_prepare (ctx, "SELECT 1 FROM cancel_refusals WHERE payment_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, payment->id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_reset (stmt);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                   "a cancel of this payment was already refused: its window had passed");
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    return ctx_error (ctx, error);
  if (!reversed_amount (ctx, payment->id, &reversed, &count, error))
    return FALSE;
  if (count > 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                   "the payment was already cancelled or refunded");
      return FALSE;
    }
  return TRUE;
}

gboolean
_fest_ledger_note_refusal (FestWriteCtx *ctx,
                           const GError *refusal,
                           GError      **error)
{
  JsonNode *details = refusal->domain == FEST_ERROR ? fest_error_get_details (refusal) : NULL;
  g_autofree char *now = NULL;
  JsonObject *object;
  sqlite3_stmt *stmt;

  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return TRUE;
  object = json_node_get_object (details);
  if (!json_object_has_member (object, CANCEL_WINDOW_DETAIL) || !json_object_has_member (object, "reference"))
    return TRUE;

  now = fest_time_now ();
  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO cancel_refusals (payment_id, refused_at) VALUES (?1, ?2)"
                                 " ON CONFLICT (payment_id) DO NOTHING", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, json_object_get_string_member (object, "reference"), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (stmt, 2, now, -1, SQLITE_STATIC);
  return step_done (ctx, stmt, error);
}

/* A CANCEL copies the payment's lines (their stock comes back in move_stock). */
static gboolean
read_payment_lines (FestWriteCtx *ctx,
                    const char   *payment_id,
                    GArray       *lines,
                    GError      **error)
{
  sqlite3_stmt *lines_stmt;
  int rc;

  lines_stmt = fest_write_ctx_prepare (ctx, FEST_LEDGER_LINES_SQL, error);
  if (lines_stmt == NULL)
    return FALSE;
  sqlite3_bind_text (lines_stmt, 1, payment_id, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (lines_stmt)) == SQLITE_ROW)
    {
      FestLedgerLine line;

      line.product_id = column_dup (lines_stmt, 0);
      line.name = column_dup (lines_stmt, 1);
      line.quantity = sqlite3_column_int64 (lines_stmt, 2);
      line.unit_price = sqlite3_column_int64 (lines_stmt, 3);
      line.vat_rate_bp = sqlite3_column_int64 (lines_stmt, 4);
      line.vat_amount = sqlite3_column_int64 (lines_stmt, 5);
      g_array_append_val (lines, line);
    }
  sqlite3_reset (lines_stmt);
  if (rc != SQLITE_DONE)
    return ctx_error (ctx, error);
  return TRUE;
}

/* Appends @row to the ledger, after @wallet_prev_seq in its wallet's chain (0: its first row). */
static gboolean
insert_row (FestWriteCtx  *ctx,
            FestLedgerRow *row,
            const char    *refers_to,
            gint64         wallet_prev_seq,
            GError       **error)
{
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT hash FROM transactions ORDER BY seq DESC LIMIT 1", error);
  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    row->prev_hash = column_dup (stmt, 0);
  else if (rc == SQLITE_DONE)
    row->prev_hash = g_strdup (FEST_LEDGER_GENESIS_HASH);
  sqlite3_reset (stmt);
  if (row->prev_hash == NULL)
    return ctx_error (ctx, error);

  row->hash = _fest_ledger_row_hash (row);

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO transactions (id, wallet_id, type, amount, balance_after, reference,"
                                 " refers_to, payment_method, stand_id, operator_id, device_id, idempotency_key,"
                                 " offline_created, created_at, recorded_at, prev_hash, hash, wallet_prev_seq) "
                                 "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17,"
                                 " ?18)",
                                 error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, row->wallet_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, row->type, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 4, row->amount);
  sqlite3_bind_int64 (stmt, 5, row->balance_after);
  sqlite3_bind_text (stmt, 6, row->reference, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 7, refers_to, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 8, row->payment_method, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 9, row->stand_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 10, row->operator_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 11, row->device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 12, row->idempotency_key, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 13, row->offline_created ? 1 : 0);
  sqlite3_bind_text (stmt, 14, row->created_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 15, row->recorded_at, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 16, row->prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 17, row->hash, -1, SQLITE_STATIC);
  if (wallet_prev_seq > 0)
    sqlite3_bind_int64 (stmt, 18, wallet_prev_seq);
  else
    sqlite3_bind_null (stmt, 18);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      return ctx_error (ctx, error);
    }
  row->seq = sqlite3_last_insert_rowid (fest_write_ctx_get_db (ctx));
  sqlite3_reset (stmt);

  if (row->lines->len > 0)
    {
      stmt = fest_write_ctx_prepare (ctx,
                                     "INSERT INTO transaction_lines (transaction_id, line_no, product_id, name,"
                                     " quantity, unit_price, vat_rate_bp, vat_amount) "
                                     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
      if (stmt == NULL)
        return FALSE;
      for (guint i = 0; i < row->lines->len; i++)
        {
          const FestLedgerLine *line = &g_array_index (row->lines, FestLedgerLine, i);

          sqlite3_bind_text (stmt, 1, row->id, -1, SQLITE_STATIC);
          sqlite3_bind_int (stmt, 2, (int) i);
          sqlite3_bind_text (stmt, 3, line->product_id, -1, SQLITE_STATIC);
          sqlite3_bind_text (stmt, 4, line->name, -1, SQLITE_STATIC);
          sqlite3_bind_int64 (stmt, 5, line->quantity);
          sqlite3_bind_int64 (stmt, 6, line->unit_price);
          sqlite3_bind_int64 (stmt, 7, line->vat_rate_bp);
          sqlite3_bind_int64 (stmt, 8, line->vat_amount);
          if (!step_done (ctx, stmt, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* A RECHARGE may not take a wallet beyond the festival's max_wallet_balance, online or from a
 * station's outbox alike: unlike a sale, a recharge refused offline served nothing yet. */
static gboolean
check_balance_ceiling (FestWriteCtx *ctx,
                       gint64        balance,
                       gint64        amount,
                       GError      **error)
{
  sqlite3_stmt *stmt = fest_write_ctx_prepare (ctx, "SELECT max_wallet_balance FROM festival LIMIT 1", error);
  gint64 max;
  int rc;

  if (stmt == NULL)
    return FALSE;
  rc = sqlite3_step (stmt);
  max = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    return ctx_error (ctx, error);
  if (amount > max - balance)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (details, "field", "amount");
      json_object_set_int_member (details, "max", max);
      json_object_set_int_member (details, "balance", balance);
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_VALIDATION_FAILED, node,
                                                             "the wallet's balance would exceed %"
                                                             G_GINT64_FORMAT, max));
      return FALSE;
    }
  return TRUE;
}

/* Applies @input and fills @out (cleared by the caller, also on failure). */
static gboolean
ledger_apply (FestWriteCtx               *ctx,
              const FestTransactionInput *input,
              const FestActor            *actor,
              const char                 *idempotency_key,
              gboolean                    offline,
              FestLedgerRow              *out,
              GError                    **error)
{
  FestLedgerRow row = { 0, };
  g_auto(PaymentRef) payment = { 0, };
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *now = fest_time_now ();
  WalletState wallet = { NULL, 0, 0 };
  gboolean overdrawn;
  sqlite3_stmt *stmt;
  JsonNode *event_data;
  JsonObject *object;
  gint64 rev;


  row.id = fest_uuid_new ();
  row.type = g_strdup (input->type);
  row.idempotency_key = g_strdup (idempotency_key);
  row.offline_created = offline;
  row.recorded_at = g_strdup (now);
  row.created_at = g_strdup (offline && input->created_at != NULL ? input->created_at : now);
  row.operator_id = actor != NULL ? g_strdup (actor->account_id) : NULL;
  row.device_id = actor != NULL ? g_strdup (actor->device_id) : NULL;
  row.stand_id = g_strdup (input->stand_id);
  row.lines = ledger_lines_new ();

  if (g_str_equal (input->type, "REFUND") || g_str_equal (input->type, "CANCEL"))
    {
      gboolean is_cancel = g_str_equal (input->type, "CANCEL");

      if (is_cancel)
        {
          if (!prepare_cancel (ctx, input, actor, offline, row.created_at, &payment, error))
            goto fail;
        }
      else if (!load_payment (ctx, input->reference, &payment, error))
        goto fail;

      if (!wallet_code_of (ctx, payment.wallet_id, &wallet_code, error))
        goto fail;
      if (!check_wallet_matches (input, payment.wallet_id, wallet_code, error))
        goto fail;
      wallet_id = g_strdup (payment.wallet_id);
      if (!load_wallet (ctx, input, wallet_id, &wallet, error))
        goto fail;

      if (is_cancel)
        {
          row.amount = -payment.amount;
          if (!read_payment_lines (ctx, payment.id, row.lines, error))
            goto fail;
        }
      else
        {
          gint64 reversed, count, refundable;

          if (!reversed_amount (ctx, payment.id, &reversed, &count, error))
            goto fail;
          refundable = -payment.amount - reversed;
          row.amount = input->amount > 0 ? input->amount : refundable;
          if (refundable <= 0 || row.amount > refundable)
            {
              JsonObject *details = json_object_new ();
              JsonNode *node = json_node_new (JSON_NODE_OBJECT);

              json_object_set_string_member (details, "field", "amount");
              json_object_set_int_member (details, "refundable", MAX (refundable, 0));
              json_node_take_object (node, details);
              g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_VALIDATION_FAILED, node,
                                                                     "refunds cannot exceed the payment"));
              goto fail;
            }
        }
      row.reference = g_strdup (payment.id);
    }
  else
    {
      if (!load_wallet (ctx, input, input->wallet_id, &wallet, error))
        goto fail;
      row.reference = g_strdup (input->reference);

      if (g_str_equal (input->type, "RECHARGE"))
        {
          row.amount = input->amount;
          row.payment_method = g_strdup (input->payment_method);
          if (!check_balance_ceiling (ctx, wallet.balance, row.amount, error))
            goto fail;
        }
      else
        {
          gint64 total = input->amount;

          if (input->lines != NULL
              && !price_payment_lines (ctx, input, offline, row.lines, &total, error))
            goto fail;
          row.amount = -total;
        }
    }

  row.wallet_id = g_strdup (wallet.id);
  if (!fest_money_add (wallet.balance, row.amount, &row.balance_after))
    {
      g_propagate_error (error, fest_error_validation ("amount", "the wallet balance would overflow"));
      goto fail;
    }
  if (row.balance_after < 0 && row.amount < 0 && !offline)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_int_member (details, "required", -row.amount);
      json_object_set_int_member (details, "available", wallet.balance);
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_INSUFFICIENT_BALANCE, node,
                                                             "insufficient balance"));
      goto fail;
    }
  overdrawn = row.balance_after < 0;

  /* Every check passed: from here on only writes, so a refused operation never wrote anything. */
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    goto fail;
  if (row.lines->len > 0
      && !move_stock (ctx, row.lines, g_str_equal (row.type, "CANCEL") ? 1 : -1, rev, now, error))
    goto fail;
  if (!insert_row (ctx, &row, payment.id, wallet.last_seq, error))
    goto fail;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE wallets SET balance = ?2, overdrawn = ?3, rev = ?4, updated_at = ?5,"
                                 " last_seq = ?6 WHERE id = ?1", error);
  if (stmt == NULL)
    goto fail;
  sqlite3_bind_text (stmt, 1, row.wallet_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, row.balance_after);
  sqlite3_bind_int (stmt, 3, overdrawn ? 1 : 0);
  sqlite3_bind_int64 (stmt, 4, rev);
  sqlite3_bind_text (stmt, 5, now, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, row.seq);
  if (!step_done (ctx, stmt, error))
    goto fail;

  if (overdrawn && offline)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      gboolean ok;

      json_object_set_int_member (details, "balance", row.balance_after);
      json_object_set_string_member (details, "transaction_id", row.id);
      json_node_take_object (node, details);
      ok = insert_alert (ctx, "WALLET_OVERDRAWN", "wallet", row.wallet_id, node, rev, now, error);
      json_node_unref (node);
      if (!ok)
        goto fail;
    }

  {
    g_autofree char *action = g_ascii_strdown (row.type, -1);
    g_autofree char *audit_action = g_strconcat ("transaction.", action, NULL);
    g_autoptr(GString) audit = g_string_sized_new (256);

    /* The same text as json-glib would generate for these members, without the tree. */
    g_string_append (audit, "{\"wallet_id\":");
    append_json_string (audit, row.wallet_id);
    g_string_append (audit, ",\"type\":");
    append_json_string (audit, row.type);
    g_string_append (audit, ",\"amount\":");
    fest_string_append_int (audit, row.amount);
    g_string_append (audit, ",\"balance_after\":");
    fest_string_append_int (audit, row.balance_after);
    g_string_append (audit, ",\"reference\":");
    append_json_string (audit, row.reference);
    g_string_append_c (audit, '}');
    if (!fest_write_ctx_audit_text (ctx, actor, audit_action, "transaction", row.id, NULL, audit->str, error))
      goto fail;
  }

  /* Keep the statistics' unfolded tail short (GET /stats adds the rows after the checkpoint). */
  if (row.seq % FEST_STATS_FOLD_THRESHOLD == 0 && !fest_stats_fold_in_job (ctx, error))
    goto fail;

  /* The events only go to the festival's WebSocket clients: with none, do not build them. */
  if (fest_write_ctx_has_event_subscribers (ctx))
    {
      fest_write_ctx_emit (ctx, "transaction:new", _fest_ledger_row_to_json (&row));
      event_data = json_node_new (JSON_NODE_OBJECT);
      object = json_object_new ();
      json_object_set_string_member (object, "wallet_id", row.wallet_id);
      json_object_set_int_member (object, "balance", row.balance_after);
      json_object_set_boolean_member (object, "overdrawn", overdrawn);
      json_node_take_object (event_data, object);
      fest_write_ctx_emit (ctx, "wallet:updated", event_data);
    }

  g_free (wallet.id);
  *out = row;
  return TRUE;

fail:
  g_free (wallet.id);
  *out = row;
  return FALSE;
}

JsonNode *
fest_ledger_apply (FestWriteCtx               *ctx,
                   const FestTransactionInput *input,
                   const FestActor            *actor,
                   const char                 *idempotency_key,
                   gboolean                    offline,
                   GError                    **error)
{
  g_auto(FestLedgerRow) row = { 0, };

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->type != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  if (!ledger_apply (ctx, input, actor, idempotency_key, offline, &row, error))
    return NULL;
  return _fest_ledger_row_to_json (&row);
}

gboolean
_fest_ledger_apply_to_text (FestWriteCtx               *ctx,
                            const FestTransactionInput *input,
                            const FestActor            *actor,
                            const char                 *idempotency_key,
                            gboolean                    offline,
                            GString                    *out,
                            char                      **id_out,
                            GError                    **error)
{
  g_auto(FestLedgerRow) row = { 0, };

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (input != NULL && input->type != NULL, FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  if (!ledger_apply (ctx, input, actor, idempotency_key, offline, &row, error))
    return FALSE;
  _fest_ledger_row_append_json (&row, out);
  if (id_out != NULL)
    *id_out = g_steal_pointer (&row.id);
  return TRUE;
}

gboolean
_fest_ledger_append_json_by_id (FestWriteCtx *ctx,
                                const char   *id,
                                GString      *out,
                                GError      **error)
{
  g_auto(FestLedgerRow) row = { 0, };
  sqlite3_stmt *stmt, *lines_stmt;
  gboolean ok;
  int rc;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_LEDGER_TX_COLUMNS " FROM transactions WHERE id = ?1", error);
  lines_stmt = stmt != NULL ? fest_write_ctx_prepare (ctx, FEST_LEDGER_LINES_SQL, error) : NULL;
  if (lines_stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      g_propagate_error (error, not_found ("id", "transaction"));
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      sqlite3_reset (stmt);
      return ctx_error (ctx, error);
    }
  ok = _fest_ledger_row_read (&row, stmt, lines_stmt, error);
  sqlite3_reset (stmt);
  if (ok)
    _fest_ledger_row_append_json (&row, out);
  return ok;
}

/* Wallets */

JsonNode *
_fest_ledger_create_wallet (FestWriteCtx    *ctx,
                            const char      *holder_name,
                            const char      *user_id,
                            const FestActor *actor,
                            GError         **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *code = fest_wallet_code_new ();
  g_autofree char *now = fest_time_now ();
  g_autoptr(JsonNode) wallet = NULL;
  sqlite3_stmt *stmt;
  gint64 rev;

  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    return NULL;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO wallets (id, code, holder_name, user_id, balance, overdrawn, rev,"
                                 " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, 0, 0, ?5, ?6, ?6) "
                                 "RETURNING " FEST_LEDGER_WALLET_COLUMNS, error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, code, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, holder_name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, user_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 5, rev);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  wallet = _fest_ledger_wallet_to_json (stmt);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      ctx_error (ctx, error);
      sqlite3_reset (stmt);
      return NULL;
    }
  sqlite3_reset (stmt);

  if (!fest_write_ctx_audit (ctx, actor, "wallet.create", "wallet", id, NULL, wallet, error))
    return NULL;
  return g_steal_pointer (&wallet);
}

/* Checks */

static gboolean
check_prepare (sqlite3       *db,
               const char    *sql,
               sqlite3_stmt **stmt,
               GString       *report)
{
  if (sqlite3_prepare_v2 (db, sql, -1, stmt, NULL) != SQLITE_OK)
    {
      g_string_append_printf (report, "cannot query the ledger: %s\n", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_integrity (sqlite3 *db,
                 GString *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  if (!check_prepare (db, "PRAGMA integrity_check", &stmt, report))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          g_string_append_printf (report, "integrity_check: %s\n", line);
          ok = FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_string_append_printf (report, "integrity_check failed: %s\n", sqlite3_errmsg (db));
      ok = FALSE;
    }
  return ok;
}

static gboolean
check_balances (sqlite3 *db,
                GString *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  /* One pass over the ledger for all the wallets: no index leads from a wallet to its rows. */
  if (!check_prepare (db,
                      "SELECT w.id, w.balance, COALESCE(t.total, 0), w.overdrawn, COALESCE(w.last_seq, 0),"
                      " COALESCE(t.last_seq, 0) "
                      "FROM wallets w LEFT JOIN (SELECT wallet_id, SUM(amount) AS total, MAX(seq) AS last_seq"
                      "  FROM transactions GROUP BY wallet_id) t ON t.wallet_id = w.id "
                      "ORDER BY w.id", &stmt, report))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 balance = sqlite3_column_int64 (stmt, 1);
      gint64 sum = sqlite3_column_int64 (stmt, 2);
      gint64 last_seq = sqlite3_column_int64 (stmt, 4);
      gint64 expected_last_seq = sqlite3_column_int64 (stmt, 5);

      if (last_seq != expected_last_seq)
        {
          g_string_append_printf (report,
                                  "wallet %s: its history starts from transaction seq %" G_GINT64_FORMAT
                                  " but its newest transaction is seq %" G_GINT64_FORMAT "\n",
                                  sqlite3_column_text (stmt, 0), last_seq, expected_last_seq);
          ok = FALSE;
        }
      if (balance != sum)
        {
          g_string_append_printf (report,
                                  "wallet %s: balance %" G_GINT64_FORMAT " but the sum of its transactions is %"
                                  G_GINT64_FORMAT "\n",
                                  sqlite3_column_text (stmt, 0), balance, sum);
          ok = FALSE;
        }
      else if ((balance < 0) != (sqlite3_column_int (stmt, 3) != 0))
        {
          g_string_append_printf (report, "wallet %s: overdrawn flag does not match balance %" G_GINT64_FORMAT "\n",
                                  sqlite3_column_text (stmt, 0), balance);
          ok = FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_string_append_printf (report, "cannot read wallets: %s\n", sqlite3_errmsg (db));
      ok = FALSE;
    }
  return ok;
}

static gboolean
check_balance_chains (sqlite3 *db,
                      GString *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *wallet = NULL;
  gboolean wallet_broken = FALSE;
  gboolean ok = TRUE;
  gint64 running = 0;
  gint64 prev_seq = 0;
  int rc;

  if (!check_prepare (db,
                      "SELECT wallet_id, seq, id, amount, balance_after, COALESCE(wallet_prev_seq, 0) "
                      "FROM transactions ORDER BY wallet_id, seq", &stmt, report))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *wallet_id = (const char *) sqlite3_column_text (stmt, 0);
      gint64 seq = sqlite3_column_int64 (stmt, 1);
      gint64 amount = sqlite3_column_int64 (stmt, 3);
      gint64 balance_after = sqlite3_column_int64 (stmt, 4);
      gint64 wallet_prev_seq = sqlite3_column_int64 (stmt, 5);

      if (g_strcmp0 (wallet, wallet_id) != 0)
        {
          g_free (wallet);
          wallet = g_strdup (wallet_id);
          wallet_broken = FALSE;
          running = 0;
          prev_seq = 0;
        }
      if (wallet_broken)
        continue;
      /* The wallet's history (GET /wallets/{id}/transactions) follows these links. */
      if (wallet_prev_seq != prev_seq)
        {
          g_string_append_printf (report,
                                  "wallet %s: transaction seq %" G_GINT64_FORMAT " (%s) follows seq %"
                                  G_GINT64_FORMAT " in the wallet's history, expected %" G_GINT64_FORMAT "\n",
                                  wallet_id, seq, sqlite3_column_text (stmt, 2), wallet_prev_seq, prev_seq);
          wallet_broken = TRUE;
          ok = FALSE;
          continue;
        }
      prev_seq = seq;
      if (!fest_money_add (running, amount, &running) || running != balance_after)
        {
          g_string_append_printf (report,
                                  "wallet %s: transaction seq %" G_GINT64_FORMAT " (%s) has balance_after %"
                                  G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT "\n",
                                  wallet_id, (gint64) sqlite3_column_int64 (stmt, 1), sqlite3_column_text (stmt, 2),
                                  balance_after, running);
          wallet_broken = TRUE;
          ok = FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_string_append_printf (report, "cannot read transactions: %s\n", sqlite3_errmsg (db));
      ok = FALSE;
    }
  return ok;
}

static gboolean
check_hash_chain (sqlite3 *db,
                  GString *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(sqlite3_stmt) lines_stmt = NULL;
  g_autofree char *prev = g_strdup (FEST_LEDGER_GENESIS_HASH);
  int rc;

  if (!check_prepare (db, "SELECT " FEST_LEDGER_TX_COLUMNS " FROM transactions ORDER BY seq", &stmt, report)
      || !check_prepare (db, FEST_LEDGER_LINES_SQL, &lines_stmt, report))
    return FALSE;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_auto(FestLedgerRow) row = { 0, };
      g_autoptr(GError) error = NULL;
      g_autofree char *expected = NULL;

      if (!_fest_ledger_row_read (&row, stmt, lines_stmt, &error))
        {
          g_string_append_printf (report, "cannot read transaction lines: %s\n", error->message);
          return FALSE;
        }
      if (g_strcmp0 (row.prev_hash, prev) != 0)
        {
          g_string_append_printf (report,
                                  "hash chain broken at transaction seq %" G_GINT64_FORMAT " (%s): prev_hash "
                                  "does not match the previous row's hash\n", row.seq, row.id);
          return FALSE;
        }
      expected = _fest_ledger_row_hash (&row);
      if (g_strcmp0 (row.hash, expected) != 0)
        {
          g_string_append_printf (report,
                                  "hash chain broken at transaction seq %" G_GINT64_FORMAT " (%s) of wallet %s: "
                                  "the row does not match its hash\n", row.seq, row.id, row.wallet_id);
          return FALSE;
        }
      g_free (prev);
      prev = g_steal_pointer (&row.hash);
    }
  if (rc != SQLITE_DONE)
    {
      g_string_append_printf (report, "cannot read transactions: %s\n", sqlite3_errmsg (db));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_stock (sqlite3 *db,
             GString *report)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;
  int rc;

  /* One pass over the lines for all the products: no index leads from a product to its lines. */
  if (!check_prepare (db,
                      "SELECT p.id, p.stock, p.stock_base - COALESCE(s.sold, 0) "
                      "FROM products p LEFT JOIN ("
                      "  SELECT l.product_id,"
                      "   SUM(CASE t.type WHEN 'PAYMENT' THEN l.quantity ELSE -l.quantity END) AS sold"
                      "  FROM transaction_lines l JOIN transactions t ON t.id = l.transaction_id"
                      "   JOIN products q ON q.id = l.product_id"
                      "  WHERE t.seq > q.stock_base_seq AND t.type IN ('PAYMENT', 'CANCEL')"
                      "  GROUP BY l.product_id) s ON s.product_id = p.id "
                      "WHERE p.stock IS NOT NULL OR p.stock_base IS NOT NULL "
                      "ORDER BY p.id", &stmt, report))
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (sqlite3_column_type (stmt, 1) == SQLITE_NULL || sqlite3_column_type (stmt, 2) == SQLITE_NULL
          || sqlite3_column_int64 (stmt, 1) != sqlite3_column_int64 (stmt, 2))
        {
          g_string_append_printf (report, "product %s: stock %s does not match the ledger (expected %s)\n",
                                  sqlite3_column_text (stmt, 0),
                                  sqlite3_column_type (stmt, 1) == SQLITE_NULL
                                    ? "null" : (const char *) sqlite3_column_text (stmt, 1),
                                  sqlite3_column_type (stmt, 2) == SQLITE_NULL
                                    ? "null" : (const char *) sqlite3_column_text (stmt, 2));
          ok = FALSE;
        }
    }
  if (rc != SQLITE_DONE)
    {
      g_string_append_printf (report, "cannot read products: %s\n", sqlite3_errmsg (db));
      ok = FALSE;
    }
  return ok;
}

gboolean
fest_ledger_check (sqlite3 *db,
                   GString *report)
{
  gboolean ok = TRUE;

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* Integrity first: on a damaged file the other checks may read garbage. */
  if (!check_integrity (db, report))
    return FALSE;
  ok &= check_balances (db, report);
  ok &= check_balance_chains (db, report);
  ok &= check_hash_chain (db, report);
  ok &= check_stock (db, report);
  ok &= fest_idempotency_check (db, report);
  return ok;
}
