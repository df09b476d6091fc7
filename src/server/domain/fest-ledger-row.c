/* fest-ledger-row.c: a ledger row's API JSON (tree and text) and its hash
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
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

#include "fest-core.h"
#include "fest-ledger-row.h"

JsonNode *
fest_ledger_row_to_json (const FestLedgerRow *row)
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
 * path built them): strings with only plain bytes are copied, others go through
 * fest_json_to_string (the generator's escaping, repaired); doubles as g_ascii_dtostr with ".0" when integral. */
void
fest_ledger_append_json_string (GString    *out,
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
      g_autofree char *text = fest_json_to_string (node, NULL);

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
fest_ledger_row_append_json (const FestLedgerRow *row,
                              GString             *out)
{
  g_string_append (out, "{\"id\":");
  fest_ledger_append_json_string (out, row->id);
  g_string_append (out, ",\"wallet_id\":");
  fest_ledger_append_json_string (out, row->wallet_id);
  g_string_append (out, ",\"type\":");
  fest_ledger_append_json_string (out, row->type);
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
      fest_ledger_append_json_string (out, line->product_id);
      g_string_append (out, ",\"name\":");
      fest_ledger_append_json_string (out, line->name);
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
  fest_ledger_append_json_string (out, row->stand_id);
  append_json_member (out, ",\"operator_id");
  fest_ledger_append_json_string (out, row->operator_id);
  append_json_member (out, ",\"device_id");
  fest_ledger_append_json_string (out, row->device_id);
  append_json_member (out, ",\"reference");
  fest_ledger_append_json_string (out, row->reference);
  append_json_member (out, ",\"payment_method");
  fest_ledger_append_json_string (out, row->payment_method);
  append_json_member (out, ",\"idempotency_key");
  fest_ledger_append_json_string (out, row->idempotency_key);
  g_string_append (out, row->offline_created ? ",\"offline_created\":true" : ",\"offline_created\":false");
  append_json_member (out, ",\"created_at");
  fest_ledger_append_json_string (out, row->created_at);
  append_json_member (out, ",\"recorded_at");
  fest_ledger_append_json_string (out, row->recorded_at);
  append_json_member (out, ",\"received_at");
  fest_ledger_append_json_string (out, row->recorded_at);
  append_json_member (out, ",\"hash");
  fest_ledger_append_json_string (out, row->hash);
  append_json_member (out, ",\"prev_hash");
  fest_ledger_append_json_string (out, row->prev_hash);
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
fest_ledger_row_hash (const FestLedgerRow *row)
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

