/* fest-finance-page-lists.c: the Finance page's lists of day closures and cash shifts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A shift whose count differs from what the till should hold shows the difference in the error
 * colour (a shortfall) or the warning colour (a surplus).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-finance-page-private.h"
#include "fest-page-util.h"

#define money _fest_finance_page_money

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

void
_fest_finance_page_show_closures (FestFinancePage *self,
                                  JsonArray       *closures)
{
  guint n = closures != NULL ? json_array_get_length (closures) : 0;

  clear_list (self->closures_list);
  self->n_closures = n;
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No closures yet"));
      gtk_list_box_append (self->closures_list, row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *closure = json_array_get_object_element (closures, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = g_strdup_printf ("%s %s",
                                                fest_page_json_string (closure, "period"),
                                                fest_page_json_string (closure, "date"));
      g_autofree char *sales = money (self, fest_page_json_int (closure, "sales_total", 0));
      g_autofree char *grand = money (self, fest_page_json_int (closure, "grand_total", 0));
      g_autofree char *created = fest_page_format_time (fest_page_json_string (closure,
                                                                               "created_at"));
      g_autofree char *subtitle = g_strdup_printf (_("Sales %s · grand total %s · %d "
                                                     "transactions · closed %s"), sales, grand,
                                                   (int) fest_page_json_int (closure,
                                                                             "transaction_count",
                                                                             0), created);
      g_autofree char *hash = g_strdup_printf (_("Hash %s"), fest_page_json_string (closure,
                                                                                   "hash"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_tooltip_text (row, hash);
      gtk_list_box_append (self->closures_list, row);
    }
}

void
_fest_finance_page_show_shifts (FestFinancePage *self,
                                JsonArray       *shifts)
{
  guint n = shifts != NULL ? json_array_get_length (shifts) : 0;

  clear_list (self->shifts_list);
  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No cash shifts yet"));
      gtk_list_box_append (self->shifts_list, row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *shift = json_array_get_object_element (shifts, i);
      GtkWidget *row = adw_action_row_new ();
      gboolean closed = g_strcmp0 (fest_page_json_string (shift, "status"), "CLOSED") == 0;
      gint64 difference = fest_page_json_int (shift, "difference", 0);
      const char *who = fest_page_json_string (shift, "device_id");
      g_autofree char *opened = fest_page_format_time (fest_page_json_string (shift, "opened_at"));
      g_autofree char *opening = money (self, fest_page_json_int (shift, "opening_float", 0));
      g_autofree char *title = g_strdup_printf (_("Stand %s · %s"),
                                                fest_page_json_string (shift, "stand_id"),
                                                who != NULL ? who
                                                : fest_page_json_string (shift, "operator_id"));
      g_autofree char *subtitle = NULL;

      if (closed)
        {
          g_autofree char *expected = money (self, fest_page_json_int (shift, "expected_cash", 0));
          g_autofree char *counted = money (self, fest_page_json_int (shift, "counted_cash", 0));
          g_autofree char *diff = money (self, difference);
          g_autofree char *closed_at = fest_page_format_time (fest_page_json_string (shift,
                                                                                     "closed_at"));
          GtkWidget *diff_label = gtk_label_new (diff);

          subtitle = g_strdup_printf (_("Opened %s, closed %s · float %s · expected %s · "
                                        "counted %s"), opened, closed_at, opening, expected,
                                      counted);
          gtk_widget_add_css_class (diff_label, "numeric");
          if (difference < 0)
            gtk_widget_add_css_class (diff_label, "error");
          else if (difference > 0)
            gtk_widget_add_css_class (diff_label, "warning");
          gtk_widget_set_tooltip_text (diff_label, _("Difference"));
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), diff_label);
        }
      else
        subtitle = g_strdup_printf (_("Open since %s · float %s"), opened, opening);

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->shifts_list, row);
    }
}

