/* fest-closures.c: legal closures of a day, a month or a year (issue 19, DESIGN §12)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fest-closures.h"
#include "fest-core.h"

static void
part_free (gpointer data)
{
  FestClosurePart *part = data;

  g_free (part->date);
  g_free (part->starts_at);
  g_free (part->ends_at);
  g_free (part);
}

void
fest_closure_input_clear (FestClosureInput *input)
{
  g_clear_pointer (&input->period, g_free);
  g_clear_pointer (&input->date, g_free);
  g_clear_pointer (&input->starts_at, g_free);
  g_clear_pointer (&input->ends_at, g_free);
  g_clear_pointer (&input->parts, g_ptr_array_unref);
}

static char *
utc_text (GDateTime *local)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (local);

  return fest_time_format (utc);
}

static gboolean
digits (const char *text,
        guint       from,
        guint       to)
{
  for (guint i = from; i < to; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
fest_closure_input_init (FestClosureInput *input,
                         const char       *period,
                         const char       *date,
                         GTimeZone        *zone,
                         GError          **error)
{
  int year, month = 1, day = 1;
  gsize len = date != NULL ? strlen (date) : 0;
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) end = NULL;
  gboolean ok;

  memset (input, 0, sizeof *input);
  if (g_strcmp0 (period, "DAY") == 0)
    ok = len == 10 && digits (date, 0, 4) && date[4] == '-' && digits (date, 5, 7) && date[7] == '-'
         && digits (date, 8, 10);
  else if (g_strcmp0 (period, "MONTH") == 0)
    ok = len == 7 && digits (date, 0, 4) && date[4] == '-' && digits (date, 5, 7);
  else if (g_strcmp0 (period, "YEAR") == 0)
    ok = len == 4 && digits (date, 0, 4);
  else
    {
      g_propagate_error (error, fest_error_validation ("period", "period must be DAY, MONTH or YEAR"));
      return FALSE;
    }
  if (ok)
    {
      year = atoi (date);
      if (len >= 7)
        month = atoi (date + 5);
      if (len == 10)
        day = atoi (date + 8);
      ok = year >= 2000 && year <= 9998 && g_date_valid_dmy ((GDateDay) day, (GDateMonth) month, (GDateYear) year);
    }
  if (!ok)
    {
      g_propagate_error (error, fest_error_validation ("date", "date must be YYYY-MM-DD, YYYY-MM or YYYY for a %s",
                                                       period));
      return FALSE;
    }

  start = g_date_time_new (zone, year, month, day, 0, 0, 0);
  end = len == 10 ? g_date_time_add_days (start, 1) : len == 7 ? g_date_time_add_months (start, 1)
                                                                 : g_date_time_add_years (start, 1);
  input->period = g_strdup (period);
  input->date = g_strdup (date);
  input->starts_at = utc_text (start);
  input->ends_at = utc_text (end);
  input->parts = g_ptr_array_new_with_free_func (part_free);
  if (len == 10)
    return TRUE;

  input->part_period = len == 7 ? "DAY" : "MONTH";
  for (g_autoptr(GDateTime) part = g_date_time_ref (start); g_date_time_compare (part, end) < 0;)
    {
      FestClosurePart *p = g_new0 (FestClosurePart, 1);
      GDateTime *next = len == 7 ? g_date_time_add_days (part, 1) : g_date_time_add_months (part, 1);

      p->date = len == 7 ? g_date_time_format (part, "%Y-%m-%d") : g_date_time_format (part, "%Y-%m");
      p->starts_at = utc_text (part);
      p->ends_at = utc_text (next);
      g_ptr_array_add (input->parts, p);
      g_date_time_unref (part);
      part = next;
    }
  return TRUE;
}

static void
canon (GString    *out,
       const char *name,
       const char *value)
{
  g_string_append_printf (out, "%s=%s\n", name, value != NULL ? value : "");
}

static void
canon_int (GString    *out,
           const char *name,
           gint64      value)
{
  g_string_append_printf (out, "%s=%" G_GINT64_FORMAT "\n", name, value);
}

char *
fest_closure_hash (const FestClosureRow *row)
{
  g_autoptr(GString) text = g_string_new ("festivals-closure-1\n");

  canon (text, "id", row->id);
  canon_int (text, "seq", row->seq);
  canon (text, "period", row->period);
  canon (text, "date", row->date);
  canon (text, "starts_at", row->starts_at);
  canon (text, "ends_at", row->ends_at);
  canon_int (text, "transaction_count", row->transaction_count);
  canon_int (text, "sales_total", row->sales_total);
  canon_int (text, "grand_total", row->grand_total);
  canon (text, "totals", row->totals);
  canon_int (text, "last_transaction_seq", row->last_transaction_seq);
  canon (text, "last_transaction_id", row->last_transaction_id);
  canon (text, "last_transaction_hash", row->last_transaction_hash);
  canon (text, "closed_by", row->closed_by);
  canon (text, "created_at", row->created_at);
  canon (text, "prev_hash", row->prev_hash);
  return fest_sha256_hex (text->str, text->len);
}

JsonNode *
fest_closure_to_json (const FestClosureRow *row)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonParser) parser = json_parser_new ();

  json_object_set_string_member (object, "id", row->id);
  json_object_set_int_member (object, "seq", row->seq);
  json_object_set_string_member (object, "period", row->period);
  json_object_set_string_member (object, "date", row->date);
  json_object_set_string_member (object, "starts_at", row->starts_at);
  json_object_set_string_member (object, "ends_at", row->ends_at);
  json_object_set_int_member (object, "transaction_count", row->transaction_count);
  json_object_set_int_member (object, "sales_total", row->sales_total);
  json_object_set_int_member (object, "grand_total", row->grand_total);
  if (row->totals != NULL && json_parser_load_from_data (parser, row->totals, -1, NULL))
    json_object_set_member (object, "totals", json_node_copy (json_parser_get_root (parser)));
  else
    json_object_set_null_member (object, "totals");
  if (row->last_transaction_seq > 0)
    {
      JsonObject *last = json_object_new ();

      json_object_set_int_member (last, "seq", row->last_transaction_seq);
      fest_json_set_nullable_string (last, "id", row->last_transaction_id);
      fest_json_set_nullable_string (last, "hash", row->last_transaction_hash);
      json_object_set_object_member (object, "last_transaction", last);
    }
  else
    json_object_set_null_member (object, "last_transaction");
  fest_json_set_nullable_string (object, "closed_by", row->closed_by);
  json_object_set_string_member (object, "created_at", row->created_at);
  json_object_set_string_member (object, "prev_hash", row->prev_hash);
  json_object_set_string_member (object, "hash", row->hash);
  json_node_take_object (node, object);
  return node;
}

static GError *
conflict (const char *reason,
          JsonArray  *missing,
          const char *message)
{
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (details, "reason", reason);
  if (missing != NULL)
    json_object_set_array_member (details, "missing", missing);
  json_node_take_object (node, details);
  return fest_error_new_with_details (FEST_ERROR_CONFLICT, node, "%s", message);
}

gboolean
fest_closures_close (FestWriteCtx           *ctx,
                     const FestClosureInput *input,
                     const FestActor        *actor,
                     JsonNode              **out,
                     GError                **error)
{
  g_auto(FestClosureRow) row = { 0 };
  g_auto(FestClosureSums) sums = { 0 };
  g_autoptr(JsonArray) missing = json_array_new ();
  g_autofree char *now = fest_time_now ();
  g_autoptr(GDateTime) now_time = fest_time_parse (now);
  g_autoptr(GDateTime) end_time = fest_time_parse (input->ends_at);
  gint64 head_seq, day_sales;
  gboolean exists;
  JsonNode *node;

  if (g_date_time_compare (now_time, end_time) < 0)
    {
      g_propagate_error (error, conflict ("PERIOD_NOT_ENDED", NULL, "the period has not ended yet"));
      return FALSE;
    }
  if (!fest_closures_repo_exists (ctx, input->period, input->date, &exists, error))
    return FALSE;
  if (exists)
    {
      g_propagate_error (error, conflict ("ALREADY_CLOSED", NULL, "the period is already closed"));
      return FALSE;
    }
  for (guint i = 0; input->parts != NULL && i < input->parts->len; i++)
    {
      const FestClosurePart *part = g_ptr_array_index (input->parts, i);
      gboolean has_rows, closed;

      if (!fest_closures_repo_has_rows (ctx, part->starts_at, part->ends_at, &has_rows, error)
          || !fest_closures_repo_exists (ctx, input->part_period, part->date, &closed, error))
        return FALSE;
      if (has_rows && !closed)
        json_array_add_string_element (missing, part->date);
    }
  if (json_array_get_length (missing) > 0)
    {
      g_propagate_error (error, conflict ("PERIOD_NOT_CLOSED", g_steal_pointer (&missing),
                                          g_str_equal (input->period, "MONTH") ? "close the month's days first"
                                                                                : "close the year's months first"));
      return FALSE;
    }

  if (!fest_closures_repo_last_ledger_row (ctx, &row.last_transaction_seq, &row.last_transaction_id,
                                           &row.last_transaction_hash, error)
      || !fest_closures_repo_sums (ctx, input->starts_at, input->ends_at, row.last_transaction_seq, &sums, error)
      || !fest_closures_repo_chain_head (ctx, &head_seq, &row.prev_hash, &day_sales, error))
    return FALSE;

  row.seq = head_seq + 1;
  row.id = fest_uuid_new ();
  row.period = g_strdup (input->period);
  row.date = g_strdup (input->date);
  row.starts_at = g_strdup (input->starts_at);
  row.ends_at = g_strdup (input->ends_at);
  row.transaction_count = sums.transaction_count;
  row.sales_total = sums.sales_total;
  row.grand_total = day_sales + (g_str_equal (input->period, "DAY") ? sums.sales_total : 0);
  row.totals = g_steal_pointer (&sums.totals);
  row.closed_by = actor != NULL ? g_strdup (actor->account_id) : NULL;
  row.created_at = g_steal_pointer (&now);
  if (row.prev_hash == NULL)
    row.prev_hash = g_strdup (FEST_CLOSURE_GENESIS_HASH);
  row.hash = fest_closure_hash (&row);
  if (!fest_closures_repo_insert (ctx, &row, error))
    return FALSE;

  node = fest_closure_to_json (&row);
  if (!fest_write_ctx_audit (ctx, actor, "closure.create", "closure", row.id, NULL, node, error))
    {
      json_node_unref (node);
      return FALSE;
    }
  *out = node;
  return TRUE;
}

typedef struct
{
  FestLedgerCheckDb *db;
  GString           *report;
  gboolean           ok;
  char              *prev_hash;
} ClosureCheck;

static void
check_closure (const FestClosureRow *row,
               gpointer              user_data)
{
  ClosureCheck *check = user_data;
  g_autofree char *hash = fest_closure_hash (row);
  g_auto(FestClosureSums) sums = { 0 };
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (row->prev_hash, check->prev_hash) != 0)
    {
      g_string_append_printf (check->report, "closure %s (%s %s): prev_hash does not follow the chain\n", row->id,
                              row->period, row->date);
      check->ok = FALSE;
    }
  if (g_strcmp0 (hash, row->hash) != 0)
    {
      g_string_append_printf (check->report, "closure %s (%s %s): hash mismatch, stored %s, computed %s\n", row->id,
                              row->period, row->date, row->hash, hash);
      check->ok = FALSE;
    }
  g_free (check->prev_hash);
  check->prev_hash = g_strdup (row->hash);

  if (!fest_closures_check_db_sums (check->db, row->starts_at, row->ends_at, row->last_transaction_seq, &sums,
                                    &error))
    {
      g_string_append_printf (check->report, "closure %s: %s\n", row->id, error->message);
      check->ok = FALSE;
      return;
    }
  if (sums.transaction_count != row->transaction_count || sums.sales_total != row->sales_total
      || g_strcmp0 (sums.totals, row->totals) != 0)
    {
      g_string_append_printf (check->report,
                              "closure %s (%s %s): the ledger no longer matches it: %" G_GINT64_FORMAT
                              " rows and sales %" G_GINT64_FORMAT " now, %" G_GINT64_FORMAT " and %" G_GINT64_FORMAT
                              " closed\n", row->id, row->period, row->date, sums.transaction_count,
                              sums.sales_total, row->transaction_count, row->sales_total);
      check->ok = FALSE;
    }
}

gboolean
fest_closures_check (FestLedgerCheckDb *db,
                     GString           *report)
{
  ClosureCheck check = { db, report, TRUE, g_strdup (FEST_CLOSURE_GENESIS_HASH) };
  g_autoptr(GError) error = NULL;

  if (!fest_closures_check_db_each (db, check_closure, &check, &error))
    {
      g_string_append_printf (report, "closures: %s\n", error->message);
      check.ok = FALSE;
    }
  g_free (check.prev_hash);
  return check.ok;
}
