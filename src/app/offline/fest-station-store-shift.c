/* fest-station-store-shift.c: the station's end-of-shift figures
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

static void
shift_product_line_free (FestShiftProductLine *line)
{
  g_free (line->product_id);
  g_free (line->name);
  g_free (line);
}

void
fest_shift_summary_free (FestShiftSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->since);
  g_free (summary->until);
  g_clear_pointer (&summary->products, g_ptr_array_unref);
  g_clear_pointer (&summary->vat, g_ptr_array_unref);
  g_free (summary);
}

/* Public API: shift report */

gboolean
fest_station_store_start_shift (FestStationStore  *self,
                                GError           **error)
{
  g_autofree char *now = fest_time_now ();

  /* The last cash shift's figures belong to the report just saved: the next one has its own. */
  if (!fest_station_store_has_cash_shift (self))
    {
      fest_station_store_set_setting (self, FEST_STATION_KEY_CASH_SHIFT_FLOAT, "", NULL);
      fest_station_store_set_setting (self, FEST_STATION_KEY_CASH_CLOSE_COUNTED, "", NULL);
    }
  return fest_station_store_set_setting (self, FEST_STATION_KEY_SHIFT_START, now, error);
}

static int
compare_product_lines (gconstpointer a,
                       gconstpointer b)
{
  const FestShiftProductLine *la = *(FestShiftProductLine * const *) a;
  const FestShiftProductLine *lb = *(FestShiftProductLine * const *) b;

  return g_utf8_collate (la->name, lb->name);
}

static int
compare_vat_lines (gconstpointer a,
                   gconstpointer b)
{
  const FestShiftVatLine *la = *(FestShiftVatLine * const *) a;
  const FestShiftVatLine *lb = *(FestShiftVatLine * const *) b;

  return (int) lb->vat_rate_bp - (int) la->vat_rate_bp;
}

FestShiftSummary *
fest_station_store_get_shift_summary (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) by_product = NULL;
  g_autoptr(GHashTable) by_rate = NULL;
  FestShiftSummary *summary;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  summary = g_new0 (FestShiftSummary, 1);
  summary->products = g_ptr_array_new_with_free_func ((GDestroyNotify) shift_product_line_free);
  summary->vat = g_ptr_array_new_with_free_func (g_free);
  summary->until = fest_time_now ();

  locker = _fest_station_lock (self);
  summary->since = _fest_station_get_setting_locked (self, FEST_STATION_KEY_SHIFT_START);
  if (summary->since == NULL)
    summary->since = g_strdup ("0000-01-01T00:00:00Z");
  {
    g_autofree char *open_key = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_KEY);
    g_autofree char *amount = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_SHIFT_FLOAT);

    g_autofree char *counted = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_COUNTED);
    g_autofree char *expected = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_EXPECTED);
    g_autofree char *estimate = _fest_station_get_setting_locked (self, FEST_STATION_KEY_CASH_CLOSE_ESTIMATE);

    summary->has_cash_shift = amount != NULL && *amount != '\0';
    summary->opening_float = amount != NULL ? g_ascii_strtoll (amount, NULL, 10) : 0;
    summary->cash_closed = (open_key == NULL || *open_key == '\0') && counted != NULL && *counted != '\0';
    if (summary->cash_closed)
      {
        summary->counted_cash = g_ascii_strtoll (counted, NULL, 10);
        summary->expected_cash = expected != NULL ? g_ascii_strtoll (expected, NULL, 10) : 0;
        summary->difference = summary->counted_cash - summary->expected_cash;
        summary->expected_is_estimate = g_strcmp0 (estimate, "0") != 0;
      }
  }

  by_product = g_hash_table_new (g_str_hash, g_str_equal);
  by_rate = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* Sales not cancelled and not refused by the server, line by line. */
  stmt = _fest_station_prepare (self,
                                "SELECT l.product_id, l.name, l.quantity, l.unit_price, l.vat_rate_bp "
                                "FROM outbox o JOIN sale_lines l ON l.op_key = o.idempotency_key "
                                "WHERE o.kind = 'PAYMENT' AND o.state IN (0, 1) AND (o.cancelled_by IS NULL OR o.cancelled_by IN "
                                "(SELECT idempotency_key FROM outbox WHERE state = 2)) "
                                "AND o.created_at >= ? ORDER BY o.seq, l.line_no", NULL);
  if (stmt != NULL)
    {
      _fest_station_bind_text (stmt, 1, summary->since);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *product_id = (const char *) sqlite3_column_text (stmt, 0);
          gint64 quantity = sqlite3_column_int64 (stmt, 2);
          gint64 unit_price = sqlite3_column_int64 (stmt, 3);
          guint rate = sqlite3_column_int (stmt, 4);
          FestShiftProductLine *line = g_hash_table_lookup (by_product, product_id);
          FestShiftVatLine *vat_line = g_hash_table_lookup (by_rate, GUINT_TO_POINTER (rate + 1));
          gint64 gross = 0, vat = 0;

          fest_money_mul (unit_price, quantity, &gross);
          fest_vat_line_amount (unit_price, quantity, rate, &vat);
          if (line == NULL)
            {
              line = g_new0 (FestShiftProductLine, 1);
              line->product_id = g_strdup (product_id);
              line->name = _fest_station_column_dup (stmt, 1);
              line->vat_rate_bp = rate;
              g_ptr_array_add (summary->products, line);
              g_hash_table_insert (by_product, line->product_id, line);
            }
          if (vat_line == NULL)
            {
              vat_line = g_new0 (FestShiftVatLine, 1);
              vat_line->vat_rate_bp = rate;
              g_ptr_array_add (summary->vat, vat_line);
              g_hash_table_insert (by_rate, GUINT_TO_POINTER (rate + 1), vat_line);
            }
          line->quantity += quantity;
          line->amount += gross;
          vat_line->gross += gross;
          vat_line->vat += vat;
          summary->sales_total += gross;
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = _fest_station_prepare (self,
                                "SELECT kind, note, amount_delta, cancelled_by IS NOT NULL AND cancelled_by NOT IN "
                                "(SELECT idempotency_key FROM outbox WHERE state = 2) FROM outbox "
                                "WHERE state IN (0, 1) AND created_at >= ? "
                                "AND kind IN ('PAYMENT', 'RECHARGE', 'CANCEL')", NULL);
  if (stmt != NULL)
    {
      _fest_station_bind_text (stmt, 1, summary->since);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *kind = (const char *) sqlite3_column_text (stmt, 0);
          const char *note = (const char *) sqlite3_column_text (stmt, 1);
          gint64 delta = sqlite3_column_int64 (stmt, 2);

          if (g_strcmp0 (kind, "PAYMENT") == 0 && sqlite3_column_int (stmt, 3) == 0)
            summary->n_sales++;
          else if (g_strcmp0 (kind, "CANCEL") == 0)
            summary->n_cancels++;
          else if (g_strcmp0 (kind, "RECHARGE") == 0)
            {
              summary->n_recharges++;
              if (g_strcmp0 (note, "CARD") == 0)
                summary->recharges_card += delta;
              else if (g_strcmp0 (note, "COMP") == 0 || g_strcmp0 (note, "ONLINE") == 0)
                summary->recharges_comp += delta;
              else
                summary->recharges_cash += delta;
            }
        }
    }

  g_ptr_array_sort (summary->products, compare_product_lines);
  g_ptr_array_sort (summary->vat, compare_vat_lines);
  return summary;
}
