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

static char *
money (FestFinancePage *self,
       gint64           amount)
{
  return _fest_finance_page_money (self, amount);
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* The closure's detail as text: its totals per VAT rate and per payment method, the count, the
 * grand total and the chain (last transaction, hashes). */
static char *
closure_text (FestFinancePage *self,
              JsonObject      *closure)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonNode *totals_node = json_object_get_member (closure, "totals");
  JsonObject *totals = totals_node != NULL && JSON_NODE_HOLDS_OBJECT (totals_node)
                       ? json_node_get_object (totals_node) : NULL;
  JsonNode *last_node = json_object_get_member (closure, "last_transaction");
  JsonObject *last = last_node != NULL && JSON_NODE_HOLDS_OBJECT (last_node)
                     ? json_node_get_object (last_node) : NULL;
  JsonArray *vat = totals != NULL && json_object_has_member (totals, "vat")
                   ? json_object_get_array_member (totals, "vat") : NULL;
  JsonArray *methods = totals != NULL && json_object_has_member (totals, "payment_methods")
                       ? json_object_get_array_member (totals, "payment_methods") : NULL;
  g_autofree char *sales =
    money (self, fest_page_json_int (closure, "sales_total", 0));
  g_autofree char *grand =
    money (self, fest_page_json_int (closure, "grand_total", 0));

  g_string_append_printf (text, _("Transactions: %d"),
                          (int) fest_page_json_int (closure, "transaction_count", 0));
  g_string_append_printf (text, "\n%s: %s\n%s: %s\n\n%s\n", _("Sales"), sales, _("Grand total"),
                          grand, _("Per VAT rate"));
  for (guint i = 0; vat != NULL && i < json_array_get_length (vat); i++)
    {
      JsonObject *rate = json_array_get_object_element (vat, i);
      gint64 bp = fest_page_json_int (rate, "rate_bp", 0);
      g_autofree char *gross =
        money (self, fest_page_json_int (rate, "gross", 0));
      g_autofree char *amount =
        money (self, fest_page_json_int (rate, "vat", 0));
      g_autofree char *net = money (self, fest_page_json_int (rate, "net", 0));

      g_string_append_printf (text, _("%d.%02d %%: gross %s, VAT %s, net %s"), (int) (bp / 100),
                              (int) (bp % 100), gross, amount, net);
      g_string_append_c (text, '\n');
    }
  g_string_append_printf (text, "\n%s\n", _("Per payment method"));
  for (guint i = 0; methods != NULL && i < json_array_get_length (methods); i++)
    {
      JsonObject *method = json_array_get_object_element (methods, i);
      g_autofree char *amount =
        money (self, fest_page_json_int (method, "amount", 0));

      g_string_append_printf (text, "%s: %s (%d)\n",
                              fest_page_json_string (method, "payment_method"), amount,
                              (int) fest_page_json_int (method, "count", 0));
    }
  g_string_append_printf (text, "\n%s: %s\n", _("Last transaction"),
                          last != NULL ? fest_page_json_string (last, "id") : _("none"));
  g_string_append_printf (text, "%s: %s\n", _("Hash"), fest_page_json_string (closure, "hash"));
  g_string_append_printf (text, "%s: %s", _("Previous hash"),
                          fest_page_json_string (closure, "prev_hash"));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

GtkWidget *
fest_finance_page_show_closure (FestFinancePage *self,
                                guint            position)
{
  JsonNode *node = self->answers[FETCH_CLOSURES];
  JsonArray *closures = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                     : NULL;
  JsonObject *closure;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autofree char *heading = NULL;
  g_autofree char *text = NULL;
  GtkWidget *dialog;
  GtkWidget *label;

  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), NULL);
  if (closures == NULL || position >= json_array_get_length (closures))
    return NULL;

  closure = json_array_get_object_element (closures, position);
  heading = g_strdup_printf (_("Closure %s %s"), fest_page_json_string (closure, "period"),
                             fest_page_json_string (closure, "date"));
  text = closure_text (self, closure);
  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading, NULL);
  label = gtk_label_new (text);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "monospace");
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  heading, -1);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), label);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
  return dialog;
}

static void
closure_activated_cb (AdwActionRow    *row,
                      FestFinancePage *self)
{
  fest_finance_page_show_closure (self, GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (row),
                                                                             "position")));
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
      g_autofree char *sales =
        money (self, fest_page_json_int (closure, "sales_total", 0));
      g_autofree char *grand =
        money (self, fest_page_json_int (closure, "grand_total", 0));
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
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      g_object_set_data (G_OBJECT (row), "position", GUINT_TO_POINTER (i));
      g_signal_connect_object (row, "activated", G_CALLBACK (closure_activated_cb), self, 0);
      gtk_list_box_append (self->closures_list, row);
    }
}

/* The name of the stand @id in @stands (GET /stands), else @id. */
static const char *
stand_name (JsonArray  *stands,
            const char *id)
{
  for (guint i = 0; stands != NULL && id != NULL && i < json_array_get_length (stands); i++)
    {
      JsonObject *stand = json_array_get_object_element (stands, i);

      if (g_strcmp0 (fest_page_json_string (stand, "id"), id) == 0
          && fest_page_json_string (stand, "name") != NULL)
        return fest_page_json_string (stand, "name");
    }
  return id != NULL ? id : "";
}

void
_fest_finance_page_show_shifts (FestFinancePage *self,
                                JsonArray       *shifts,
                                JsonArray       *stands)
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
      g_autofree char *opening =
        money (self, fest_page_json_int (shift, "opening_float", 0));
      g_autofree char *title = g_strdup_printf (_("Stand %s · %s"),
                                                stand_name (stands,
                                                            fest_page_json_string (shift,
                                                                                   "stand_id")),
                                                who != NULL ? who
                                                : fest_page_json_string (shift, "operator_id"));
      g_autofree char *subtitle = NULL;

      if (closed)
        {
          g_autofree char *expected =
            money (self, fest_page_json_int (shift, "expected_cash", 0));
          g_autofree char *counted =
            money (self, fest_page_json_int (shift, "counted_cash", 0));
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

      /* Stand and station names are the organiser's text, not markup ("Bar & Grill"). */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_list_box_append (self->shifts_list, row);
    }
}

