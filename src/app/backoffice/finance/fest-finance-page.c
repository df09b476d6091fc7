/* fest-finance-page.c: the Finance page (reports per period, CSV exports, day closures, shifts)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A reload fetches, for the period chosen, GET /reports/summary and /reports/sales grouped each
 * of the four ways the table can show (the PDF has them all), the closures, the cash shifts and
 * the stands; the page shows them (fest-finance-page-show.c) when all have answered. A newer
 * reload makes the answers of an older one stale (the generation number).
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-bar-chart.h"
#include "fest-finance-page-private.h"
#include "fest-finance-row.h"
#include "fest-money.h"
#include "fest-page-util.h"

/* The table's groupings, in the dropdown's order. */
static const char * const group_keys[] = { "stand", "product", "hour", "vat_rate" };
G_STATIC_ASSERT (G_N_ELEMENTS (group_keys) == FETCH_SALES_VAT_RATE - FETCH_SALES + 1);
G_STATIC_ASSERT (FETCH_HOURS == FETCH_SALES + 2);

G_DEFINE_FINAL_TYPE (FestFinancePage, fest_finance_page, FEST_TYPE_PAGE)


static char *
escape_query (const char *value)
{
  return g_uri_escape_string (value, NULL, TRUE);
}

static void
add_card (FestFinancePage *self,
          const char      *name,
          const char      *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("—");

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "figure-card");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_widget_add_css_class (title_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_wrap (GTK_LABEL (value), TRUE);
  gtk_label_set_selectable (GTK_LABEL (value), TRUE);
  gtk_widget_add_css_class (value, "title-3");
  gtk_widget_add_css_class (value, "numeric");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_widget_set_name (box, name);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title_label, NULL, -1);
  g_hash_table_insert (self->figures, g_strdup (name), value);
  gtk_flow_box_append (self->cards, box);
}

char *
_fest_finance_page_money (FestFinancePage *self,
                          gint64           amount)
{
  return fest_money_format (amount, self->currency_name);
}

static void
group_changed_cb (FestFinancePage *self)
{
  if (self->pending == 0 && !self->failed && self->answers[FETCH_SALES] != NULL)
    _fest_finance_page_show_rows (self);
  else
    _fest_finance_page_fetch (self);
}

typedef struct
{
  FestFinancePage *self;
  guint            which;
  guint            generation;
} Fetch;

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Fetch *fetch = user_data;
  g_autoptr(FestFinancePage) self = fetch->self;
  g_autoptr(GError) error = NULL;
  JsonNode *node;
  guint which = fetch->which;
  gboolean stale = fetch->generation != self->generation;

  g_free (fetch);
  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (stale || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_clear_pointer (&node, json_node_unref);
      return;
    }

  g_clear_pointer (&self->answers[which], json_node_unref);
  self->answers[which] = node;
  if (node == NULL && !self->failed)
    {
      self->failed = TRUE;
      fest_page_show_error (FEST_PAGE (self), error);
    }

  if (--self->pending == 0 && !self->failed)
    _fest_finance_page_show_answers (self);
}

static void
request (FestFinancePage *self,
         guint            which,
         const char      *path)
{
  Fetch *fetch = g_new0 (Fetch, 1);

  fetch->self = g_object_ref (self);
  fetch->which = which;
  fetch->generation = self->generation;
  self->pending++;
  fest_client_request_async (fest_page_get_client (FEST_PAGE (self)), "GET", path, NULL, NULL,
                             self->cancellable, fetch_cb, fetch);
}

/* "from=…&to=…" for the period chosen ("" when it is open on both sides). */
char *
_fest_finance_page_period_query (FestFinancePage *self)
{
  g_autoptr(GString) query = g_string_new (NULL);

  if (self->from != NULL && self->from[0] != '\0')
    {
      g_autofree char *value = escape_query (self->from);

      g_string_append_printf (query, "&from=%s", value);
    }
  if (self->to != NULL && self->to[0] != '\0')
    {
      g_autofree char *value = escape_query (self->to);

      g_string_append_printf (query, "&to=%s", value);
    }
  return g_string_free (g_steal_pointer (&query), FALSE);
}

const char *
_fest_finance_page_group (FestFinancePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->group_dropdown);

  return group_keys[selected < G_N_ELEMENTS (group_keys) ? selected : 0];
}

void
_fest_finance_page_fetch (FestFinancePage *self)
{
  g_autofree char *period = _fest_finance_page_period_query (self);
  g_autofree char *summary = g_strdup_printf ("/reports/summary?%s", period[0] ? period + 1 : "");

  if (fest_page_get_client (FEST_PAGE (self)) == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->pending = 0;
  self->failed = FALSE;
  fest_page_set_state (FEST_PAGE (self), FEST_PAGE_STATE_LOADING);

  request (self, FETCH_SUMMARY, summary);
  for (guint i = 0; i < G_N_ELEMENTS (group_keys); i++)
    {
      g_autofree char *sales = g_strdup_printf ("/reports/sales?group_by=%s%s", group_keys[i], period);

      request (self, FETCH_SALES + i, sales);
    }
  request (self, FETCH_CLOSURES, "/closures");
  request (self, FETCH_SHIFTS, "/shifts");
  request (self, FETCH_STANDS, "/stands?per_page=500");
}

static void
set_period (FestFinancePage *self,
            const char      *from,
            const char      *to)
{
  g_free (self->from);
  g_free (self->to);
  g_free (self->refusal);
  self->from = from != NULL && from[0] != '\0' ? g_strdup (from) : NULL;
  self->to = to != NULL && to[0] != '\0' ? g_strdup (to) : NULL;
  _fest_finance_page_fetch (self);
}

/* The festival's time zone (UTC when unknown). */
GTimeZone *
_fest_finance_page_festival_zone (FestFinancePage *self)
{
  const char *identifier = fest_page_json_string (fest_page_get_festival (FEST_PAGE (self)),
                                                  "timezone");
  GTimeZone *zone = identifier != NULL ? g_time_zone_new_identifier (identifier) : NULL;

  return zone != NULL ? zone : g_time_zone_new_utc ();
}

static void
period_selected_cb (FestFinancePage *self)
{
  guint selected = gtk_drop_down_get_selected (self->period_dropdown);

  gtk_widget_set_visible (self->custom_box, selected == PERIOD_CUSTOM);
  if (selected == PERIOD_FESTIVAL)
    set_period (self, NULL, NULL);
  else if (selected == PERIOD_TODAY)
    {
      g_autoptr(GTimeZone) zone = _fest_finance_page_festival_zone (self);
      g_autoptr(GDateTime) now = g_date_time_new_now (zone);
      g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");

      set_period (self, today, today);
    }
  else if (selected >= N_FIXED_PERIODS && selected - N_FIXED_PERIODS < self->period_dates->len)
    {
      const char *day = g_ptr_array_index (self->period_dates, selected - N_FIXED_PERIODS);

      set_period (self, day, day);
    }
}

static void
apply_custom_cb (FestFinancePage *self)
{
  set_period (self, gtk_editable_get_text (GTK_EDITABLE (self->from_entry)),
              gtk_editable_get_text (GTK_EDITABLE (self->to_entry)));
}

/* The dropdown's days: each date of the festival in its time zone. */
static void
fill_days (FestFinancePage *self,
           JsonObject      *festival)
{
  const char *starts_at = fest_page_json_string (festival, "starts_at");
  const char *ends_at = fest_page_json_string (festival, "ends_at");
  g_autoptr(GTimeZone) zone = _fest_finance_page_festival_zone (self);
  g_autoptr(GDateTime) start = starts_at != NULL ? g_date_time_new_from_iso8601 (starts_at, NULL)
                                                 : NULL;
  g_autoptr(GDateTime) end = ends_at != NULL ? g_date_time_new_from_iso8601 (ends_at, NULL)
                                             : NULL;
  g_autoptr(GDateTime) day = NULL;
  guint old = g_list_model_get_n_items (G_LIST_MODEL (self->period_names));

  g_ptr_array_set_size (self->period_dates, 0);
  if (start != NULL && end != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_timezone (start, zone);

      day = g_date_time_new (zone, g_date_time_get_year (local), g_date_time_get_month (local),
                             g_date_time_get_day_of_month (local), 0, 0, 0);
      for (guint i = 0; i < 60 && g_date_time_compare (day, end) < 0; i++)
        {
          GDateTime *next = g_date_time_add_days (day, 1);

          g_ptr_array_add (self->period_dates, g_date_time_format (day, "%Y-%m-%d"));
          g_date_time_unref (day);
          day = next;
        }
    }

  {
    g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

    for (guint i = 0; i < self->period_dates->len; i++)
      g_ptr_array_add (names, g_strdup (g_ptr_array_index (self->period_dates, i)));
    g_ptr_array_add (names, NULL);
    gtk_string_list_splice (self->period_names, N_FIXED_PERIODS, old - N_FIXED_PERIODS,
                            (const char * const *) names->pdata);
  }
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  _fest_finance_page_fetch (FEST_FINANCE_PAGE (widget));
}

static void
set_period_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (widget);
  const char *from = NULL;
  const char *to = NULL;

  g_variant_get (parameter, "(&s&s)", &from, &to);
  gtk_editable_set_text (GTK_EDITABLE (self->from_entry), from);
  gtk_editable_set_text (GTK_EDITABLE (self->to_entry), to);
  g_signal_handlers_block_by_func (self->period_dropdown, period_selected_cb, self);
  gtk_drop_down_set_selected (self->period_dropdown, PERIOD_CUSTOM);
  g_signal_handlers_unblock_by_func (self->period_dropdown, period_selected_cb, self);
  gtk_widget_set_visible (self->custom_box, TRUE);
  set_period (self, from, to);
}

static void
set_group_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (widget);
  const char *group = g_variant_get_string (parameter, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (group_keys); i++)
    if (g_strcmp0 (group, group_keys[i]) == 0)
      gtk_drop_down_set_selected (self->group_dropdown, i);
}

/* The page's widgets */

typedef enum { COL_LABEL, COL_QUANTITY, COL_AMOUNT, COL_VAT, COL_EUR } Column;

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), GPOINTER_TO_INT (user_data) == COL_LABEL ? 0 : 1);
  if (GPOINTER_TO_INT (user_data) != COL_LABEL)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  FestFinanceRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  FestFinancePage *self = g_object_get_data (G_OBJECT (factory), "page");
  gint64 quantity, amount, vat, eur;
  g_autofree char *text = NULL;

  g_object_get (row, "quantity", &quantity, "amount", &amount, "vat-amount", &vat,
                "amount-eur-cents", &eur, NULL);
  switch ((Column) GPOINTER_TO_INT (user_data))
    {
    case COL_LABEL:
      text = g_strdup (fest_finance_row_get_label (row));
      break;
    case COL_QUANTITY:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, quantity);
      break;
    case COL_AMOUNT:
      text = _fest_finance_page_money (self, amount);
      break;
    case COL_VAT:
      text = _fest_finance_page_money (self, vat);
      break;
    case COL_EUR:
      text = fest_money_format_eur (eur);
      break;
    default:
      break;
    }
  gtk_label_set_text (GTK_LABEL (label), text);
}

static void
add_column (FestFinancePage *self,
            const char      *title,
            Column           column,
            const char      *property)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *view_column;
  GtkExpression *expression = gtk_property_expression_new (FEST_TYPE_FINANCE_ROW, NULL, property);
  GtkSorter *sorter = column == COL_LABEL
                      ? GTK_SORTER (gtk_string_sorter_new (expression))
                      : GTK_SORTER (gtk_numeric_sorter_new (expression));

  g_object_set_data (G_OBJECT (factory), "page", self);
  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), GINT_TO_POINTER (column));
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), GINT_TO_POINTER (column));
  view_column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_sorter (view_column, sorter);
  gtk_column_view_column_set_expand (view_column, column == COL_LABEL);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  gtk_column_view_append_column (self->table, view_column);
  g_object_unref (view_column);
  g_object_unref (sorter);
}

static GtkWidget *
group_new (const char *title,
           GtkWidget  *child)
{
  GtkWidget *group = adw_preferences_group_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), child);
  return group;
}

static GtkWidget *
boxed_list_new (const char *name)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return list;
}

static GtkWidget *
build_toolbar (FestFinancePage *self)
{
  GtkWidget *bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *button;
  GMenu *menu = g_menu_new ();
  const char * const fixed[] = { _("Whole Festival"), _("Today"), _("Custom Dates"), NULL };
  const char * const groups[] = { _("Per Stand"), _("Per Product"), _("Per Hour"),
                                  _("Per VAT Rate"), NULL };

  gtk_widget_set_margin_start (bar, 12);
  gtk_widget_set_margin_end (bar, 12);
  gtk_widget_set_margin_top (bar, 6);
  gtk_widget_set_margin_bottom (bar, 6);

  /* The dropdown owns the list. */
  self->period_names = gtk_string_list_new (fixed);
  self->period_dropdown = GTK_DROP_DOWN (gtk_drop_down_new (G_LIST_MODEL (self->period_names),
                                                            NULL));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->period_dropdown), _("Period"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->period_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Period"), -1);
  g_signal_connect_swapped (self->period_dropdown, "notify::selected",
                            G_CALLBACK (period_selected_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->period_dropdown));

  self->custom_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->from_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->from_entry, _("From (YYYY-MM-DD)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->from_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("From"), -1);
  self->to_entry = GTK_ENTRY (gtk_entry_new ());
  gtk_entry_set_placeholder_text (self->to_entry, _("To (YYYY-MM-DD)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->to_entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("To"), -1);
  g_signal_connect_swapped (self->from_entry, "activate", G_CALLBACK (apply_custom_cb), self);
  g_signal_connect_swapped (self->to_entry, "activate", G_CALLBACK (apply_custom_cb), self);
  button = gtk_button_new_with_mnemonic (_("_Apply"));
  g_signal_connect_swapped (button, "clicked", G_CALLBACK (apply_custom_cb), self);
  gtk_box_append (GTK_BOX (self->custom_box), GTK_WIDGET (self->from_entry));
  gtk_box_append (GTK_BOX (self->custom_box), GTK_WIDGET (self->to_entry));
  gtk_box_append (GTK_BOX (self->custom_box), button);
  gtk_widget_set_visible (self->custom_box, FALSE);
  gtk_box_append (GTK_BOX (bar), self->custom_box);

  self->group_dropdown = GTK_DROP_DOWN (gtk_drop_down_new_from_strings (groups));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->group_dropdown), _("Table"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->group_dropdown),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Table"), -1);
  g_signal_connect_swapped (self->group_dropdown, "notify::selected",
                            G_CALLBACK (group_changed_cb), self);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->group_dropdown));

  button = gtk_label_new (NULL);
  gtk_widget_set_hexpand (button, TRUE);
  gtk_box_append (GTK_BOX (bar), button);

  g_menu_append (menu, _("CSV"), "finance.export-csv::csv");
  g_menu_append (menu, _("Excel (French)"), "finance.export-csv::csv-excel-fr");
  g_menu_append (menu, _("Every Line, CSV"), "finance.export-csv::lines-csv");
  g_menu_append (menu, _("Every Line, Excel (French)"), "finance.export-csv::lines-csv-excel-fr");
  /* The exports as icons, as on the Lineup page: the sidebar keeps its room beside the page. */
  button = gtk_menu_button_new ();
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "x-office-spreadsheet-symbolic");
  gtk_widget_set_tooltip_text (button, _("Export CSV"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export CSV"), -1);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  g_object_unref (menu);
  gtk_box_append (GTK_BOX (bar), button);

  button = gtk_button_new_from_icon_name ("printer-symbolic");
  gtk_widget_set_tooltip_text (button, _("Export PDF"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Export PDF"), -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "finance.export-pdf");
  gtk_box_append (GTK_BOX (bar), button);

  button = gtk_button_new_with_mnemonic (_("_Close the Day…"));
  gtk_widget_set_tooltip_text (button, _("Close the festival day chosen as the period"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "finance.close-day");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "");
  gtk_box_append (GTK_BOX (bar), button);

  button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (button, _("Reload"));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "finance.reload");
  gtk_box_append (GTK_BOX (bar), button);

  return bar;
}

static GtkWidget *
build_content (FestFinancePage *self)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 24);
  GtkWidget *widget;
  g_autoptr(GtkSortListModel) sorted = NULL;
  GtkNoSelection *selection;

  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1100);

  self->cards = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_flow_box_set_selection_mode (self->cards, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->cards, TRUE);
  gtk_flow_box_set_max_children_per_line (self->cards, 3);
  gtk_flow_box_set_column_spacing (self->cards, 12);
  gtk_flow_box_set_row_spacing (self->cards, 12);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->cards), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Key figures"), -1);
  add_card (self, "revenue", _("Revenue"));
  add_card (self, "vat", _("VAT"));
  add_card (self, "recharges", _("Recharges"));
  add_card (self, "float", _("Outstanding Float"));
  add_card (self, "refunds", _("Refunds"));
  add_card (self, "overdrawn", _("Overdrawn Wallets"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->cards));

  self->chart = FEST_BAR_CHART (fest_bar_chart_new (GTK_ORIENTATION_HORIZONTAL));
  fest_bar_chart_set_title (self->chart, _("Revenue per Stand"));
  fest_bar_chart_set_empty_text (self->chart, _("No sales in this period"));
  gtk_box_append (GTK_BOX (box), group_new (_("Revenue per Stand"), GTK_WIDGET (self->chart)));

  self->hour_chart = FEST_BAR_CHART (fest_bar_chart_new (GTK_ORIENTATION_VERTICAL));
  fest_bar_chart_set_title (self->hour_chart, _("Revenue per hour"));
  fest_bar_chart_set_empty_text (self->hour_chart, _("No sales in this period"));
  gtk_box_append (GTK_BOX (box), group_new (_("Revenue per Hour"), GTK_WIDGET (self->hour_chart)));

  self->rows = g_list_store_new (FEST_TYPE_FINANCE_ROW);
  self->table = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Sales"), -1);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->table)));
  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&sorted)));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  gtk_column_view_set_show_column_separators (self->table, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->table), "card");
  add_column (self, _("Label"), COL_LABEL, "label");
  add_column (self, _("Quantity"), COL_QUANTITY, "quantity");
  add_column (self, _("Amount"), COL_AMOUNT, "amount");
  add_column (self, _("VAT"), COL_VAT, "vat-amount");
  add_column (self, _("EUR"), COL_EUR, "amount-eur-cents");
  gtk_box_append (GTK_BOX (box), group_new (_("Sales"), GTK_WIDGET (self->table)));

  widget = boxed_list_new (_("Closures"));
  self->closures_list = GTK_LIST_BOX (widget);
  gtk_box_append (GTK_BOX (box), group_new (_("Closures"), widget));

  widget = boxed_list_new (_("Cash shifts"));
  self->shifts_list = GTK_LIST_BOX (widget);
  gtk_box_append (GTK_BOX (box), group_new (_("Cash Shifts"), widget));

  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_widget_set_vexpand (scrolled, TRUE);
  return scrolled;
}

static void
fest_finance_page_real_reload (FestPage *page)
{
  _fest_finance_page_fetch (FEST_FINANCE_PAGE (page));
}

static void
fest_finance_page_festival_changed (FestPage   *page,
                                    JsonObject *festival)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (page);
  g_autofree char *currency = fest_page_festival_currency (festival);

  if (currency != NULL && currency[0] != '\0')
    {
      g_free (self->currency_name);
      self->currency_name = g_steal_pointer (&currency);
    }
  g_signal_handlers_block_by_func (self->period_dropdown, period_selected_cb, self);
  fill_days (self, festival);
  g_signal_handlers_unblock_by_func (self->period_dropdown, period_selected_cb, self);
}

static void
fest_finance_page_dispose (GObject *object)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (fest_finance_page_parent_class)->dispose (object);
}

static void
fest_finance_page_finalize (GObject *object)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (object);

  for (guint i = 0; i < N_FETCHES; i++)
    g_clear_pointer (&self->answers[i], json_node_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_hash_table_unref (self->figures);
  g_ptr_array_unref (self->period_dates);
  g_free (self->currency_name);
  g_free (self->from);
  g_free (self->to);
  g_free (self->refusal);
  G_OBJECT_CLASS (fest_finance_page_parent_class)->finalize (object);
}

static void
fest_finance_page_class_init (FestFinancePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);

  object_class->dispose = fest_finance_page_dispose;
  object_class->finalize = fest_finance_page_finalize;
  page_class->reload = fest_finance_page_real_reload;
  page_class->festival_changed = fest_finance_page_festival_changed;

  gtk_widget_class_install_action (widget_class, "finance.reload", NULL, reload_action);
  gtk_widget_class_install_action (widget_class, "finance.set-period", "(ss)", set_period_action);
  gtk_widget_class_install_action (widget_class, "finance.set-group", "s", set_group_action);
  gtk_widget_class_install_action (widget_class, "finance.export-csv", "s",
                                   _fest_finance_page_export_csv_action);
  gtk_widget_class_install_action (widget_class, "finance.export-pdf", NULL,
                                   _fest_finance_page_export_pdf_action);
  gtk_widget_class_install_action (widget_class, "finance.close-day", "s",
                                   _fest_finance_page_close_day_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "finance.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "finance.reload", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "finance");
}

static GtkWidget *
status_page_new (const char *icon,
                 const char *title,
                 const char *description)
{
  GtkWidget *status = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (status), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (status), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (status), description);
  return status;
}

static void
fest_finance_page_init (FestFinancePage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *stack = gtk_stack_new ();
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *error = status_page_new ("network-offline-symbolic", _("Could Not Load the Books"),
                                      NULL);
  GtkWidget *empty = status_page_new ("accessories-calculator-symbolic",
                                      _("No Transactions in This Period"),
                                      _("Sales, recharges and refunds show here once stations "
                                        "record them."));
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Try Again"));

  self->figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->period_dates = g_ptr_array_new_with_free_func (g_free);
  self->cancellable = g_cancellable_new ();
  self->currency_name = g_strdup (_("Tokens"));

  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Loading the books"), -1);
  gtk_widget_set_halign (retry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (retry, "pill");
  gtk_widget_add_css_class (retry, "suggested-action");
  gtk_actionable_set_action_name (GTK_ACTIONABLE (retry), "finance.reload");
  adw_status_page_set_child (ADW_STATUS_PAGE (error), retry);

  gtk_box_append (GTK_BOX (box), build_toolbar (self));
  gtk_stack_add_named (GTK_STACK (stack), spinner, "loading");
  gtk_stack_add_named (GTK_STACK (stack), error, "error");
  gtk_stack_add_named (GTK_STACK (stack), empty, "empty");
  gtk_stack_add_named (GTK_STACK (stack), build_content (self), "content");
  gtk_widget_set_vexpand (stack, TRUE);
  gtk_box_append (GTK_BOX (box), stack);
  gtk_widget_set_parent (box, GTK_WIDGET (self));

  self->stack = GTK_STACK (stack);
  self->spinner = GTK_SPINNER (spinner);
  self->error_status = ADW_STATUS_PAGE (error);
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);
}

GtkWidget *
fest_finance_page_new (FestClient *client)
{
  return g_object_new (FEST_TYPE_FINANCE_PAGE, "client", client, NULL);
}

const char *
fest_finance_page_get_figure (FestFinancePage *self,
                              const char      *name)
{
  GtkLabel *label;

  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), NULL);

  label = g_hash_table_lookup (self->figures, name);
  return label != NULL ? gtk_label_get_text (label) : NULL;
}

guint
fest_finance_page_get_n_rows (FestFinancePage *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->rows));
}

const char *
fest_finance_page_get_row_label (FestFinancePage *self,
                                 guint            position)
{
  g_autoptr(FestFinanceRow) row = NULL;

  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), NULL);
  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  /* The store keeps the row alive. */
  return row != NULL ? fest_finance_row_get_label (row) : NULL;
}

gint64
fest_finance_page_get_row_amount (FestFinancePage *self,
                                  guint            position)
{
  g_autoptr(FestFinanceRow) row = NULL;

  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), 0);
  row = g_list_model_get_item (G_LIST_MODEL (self->rows), position);
  return row != NULL ? fest_finance_row_get_amount (row) : 0;
}

guint
fest_finance_page_get_n_closures (FestFinancePage *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), 0);
  return self->n_closures;
}

guint
fest_finance_page_get_n_hours (FestFinancePage *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), 0);
  return fest_bar_chart_get_n_bars (self->hour_chart);
}
