/* fest-finance-page-show.c: the Finance page's figures, table and charts from the answers
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-bar-chart.h"
#include "fest-finance-page-private.h"
#include "fest-finance-row.h"
#include "fest-money.h"
#include "fest-page-util.h"

static void
set_figure (FestFinancePage *self,
            const char      *name,
            const char      *text)
{
  GtkLabel *label = g_hash_table_lookup (self->figures, name);

  g_return_if_fail (label != NULL);
  gtk_label_set_text (label, text);
}

static char *
money (FestFinancePage *self,
       gint64           amount)
{
  return _fest_finance_page_money (self, amount);
}

static JsonObject *
answer_object (FestFinancePage *self,
               guint            which)
{
  JsonNode *node = self->answers[which];

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
answer_array (FestFinancePage *self,
              guint            which)
{
  JsonNode *node = self->answers[which];

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static JsonObject *
object_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
payment_method_name (const char *method)
{
  if (g_strcmp0 (method, "CASH") == 0)
    return _("Cash");
  if (g_strcmp0 (method, "CARD") == 0)
    return _("Card");
  if (g_strcmp0 (method, "COMP") == 0)
    return _("Staff credit");
  if (g_strcmp0 (method, "ONLINE") == 0)
    return _("Online");
  return method != NULL ? method : "";
}

static void
show_figures (FestFinancePage *self)
{
  JsonObject *summary = answer_object (self, FETCH_SUMMARY);
  JsonObject *sales = answer_object (self, FETCH_SALES);
  JsonObject *totals = object_member (sales, "totals");
  JsonObject *wallets = object_member (summary, "wallets");
  JsonObject *refunds = object_member (summary, "refunds");
  JsonObject *recharges_total = object_member (summary, "recharges_total");
  JsonArray *recharges = array_member (summary, "recharges");
  g_autoptr(GString) recharge_text = g_string_new (NULL);
  g_autofree char *revenue = money (self, fest_page_json_int (totals, "amount", 0));
  g_autofree char *revenue_eur = fest_money_format_eur (fest_page_json_int (totals,
                                                                            "amount_eur_cents", 0));
  g_autofree char *revenue_text = g_strdup_printf ("%s (%s)", revenue, revenue_eur);
  g_autofree char *vat = money (self, fest_page_json_int (totals, "vat_amount", 0));
  g_autofree char *total = money (self, fest_page_json_int (recharges_total, "amount", 0));
  g_autofree char *float_text = money (self, fest_page_json_int (wallets, "outstanding_float", 0));
  g_autofree char *refund_amount = money (self, fest_page_json_int (refunds, "amount", 0));
  g_autofree char *refund_text = NULL;
  g_autofree char *overdrawn = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                fest_page_json_int (wallets, "overdrawn_wallets",
                                                                    0));
  guint n = recharges != NULL ? json_array_get_length (recharges) : 0;

  g_string_append (recharge_text, total);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (recharges, i);
      g_autofree char *amount = money (self, fest_page_json_int (row, "amount", 0));

      g_string_append_c (recharge_text, '\n');
      /* Translators: a payment method and its amount, "Cash: 200 Jetons". */
      g_string_append_printf (recharge_text, _("%s: %s"),
                              payment_method_name (fest_page_json_string (row, "payment_method")),
                              amount);
    }
  refund_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s (%d refund)",
                                              "%s (%d refunds)",
                                              fest_page_json_int (refunds, "count", 0)),
                                 refund_amount, (int) fest_page_json_int (refunds, "count", 0));

  set_figure (self, "revenue", revenue_text);
  set_figure (self, "vat", vat);
  set_figure (self, "recharges", recharge_text->str);
  set_figure (self, "float", float_text);
  set_figure (self, "refunds", refund_text);
  set_figure (self, "overdrawn", overdrawn);
}

/* The table chosen in the dropdown (all four were fetched: switching shows another at once). */
void
_fest_finance_page_show_rows (FestFinancePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->group_dropdown);
  JsonArray *rows = array_member (answer_object (self, FETCH_SALES + MIN (selected, (guint) (FETCH_SALES_VAT_RATE - FETCH_SALES))),
                                  "rows");
  guint n = rows != NULL ? json_array_get_length (rows) : 0;

  g_list_store_remove_all (self->rows);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestFinanceRow) row =
        fest_finance_row_new_from_json (json_array_get_object_element (rows, i));

      g_list_store_append (self->rows, row);
    }
}

/* Revenue per stand, whichever table is shown. */
static void
show_stands (FestFinancePage *self)
{
  JsonArray *rows = array_member (answer_object (self, FETCH_SALES), "rows");
  guint n = rows != NULL ? json_array_get_length (rows) : 0;

  fest_bar_chart_clear (self->chart);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *label = fest_page_json_string (row, "label");
      gint64 amount = fest_page_json_int (row, "amount", 0);
      g_autofree char *text = money (self, amount);

      fest_bar_chart_append (self->chart, label != NULL && label[0] != '\0' ? label : _("No stand"), amount, text);
    }
  fest_bar_chart_commit (self->chart);
}

/* Revenue per hour: the hours' keys are UTC, shown in the festival's zone. */
static void
show_hours (FestFinancePage *self)
{
  JsonArray *rows = array_member (answer_object (self, FETCH_HOURS), "rows");
  guint n = rows != NULL ? json_array_get_length (rows) : 0;
  g_autoptr(GTimeZone) zone = _fest_finance_page_festival_zone (self);

  fest_bar_chart_clear (self->hour_chart);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *key = fest_page_json_string (row, "key");
      g_autoptr(GDateTime) utc = key != NULL ? g_date_time_new_from_iso8601 (key, NULL) : NULL;
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_timezone (utc, zone) : NULL;
      g_autofree char *label = local != NULL ? g_date_time_format (local, "%d/%m %H:%M")
                                             : g_strdup (key);
      gint64 amount = fest_page_json_int (row, "amount", 0);
      g_autofree char *text = money (self, amount);

      /* The table and the PDF show the hour as the chart does. */
      json_object_set_string_member (row, "label", label);
      fest_bar_chart_append (self->hour_chart, label, amount, text);
    }
  fest_bar_chart_commit (self->hour_chart);
}

void
_fest_finance_page_show_answers (FestFinancePage *self)
{
  JsonObject *summary = answer_object (self, FETCH_SUMMARY);
  JsonObject *totals = object_member (answer_object (self, FETCH_SALES), "totals");
  gboolean empty;

  show_figures (self);
  show_hours (self);
  _fest_finance_page_show_rows (self);
  show_stands (self);
  _fest_finance_page_show_closures (self, answer_array (self, FETCH_CLOSURES));
  _fest_finance_page_show_shifts (self, answer_array (self, FETCH_SHIFTS),
                                  answer_array (self, FETCH_STANDS));

  empty = fest_page_json_int (totals, "quantity", 0) == 0
          && fest_page_json_int (object_member (summary, "recharges_total"), "count", 0) == 0
          && fest_page_json_int (object_member (summary, "refunds"), "count", 0) == 0
          && fest_page_json_int (object_member (summary, "payments"), "count", 0) == 0;
  fest_page_set_state (FEST_PAGE (self), empty ? FEST_PAGE_STATE_EMPTY : FEST_PAGE_STATE_CONTENT);
}
