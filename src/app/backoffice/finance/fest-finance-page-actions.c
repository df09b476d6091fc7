/* fest-finance-page-actions.c: the Finance page's exports (CSV) and day closures
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An export asks where to save with a GtkFileChooserNative, then writes what the server serves
 * (GET /reports/sales?format=…) for the table and period shown. Closing a day asks first (a
 * closure cannot be undone), then POSTs /closures; a refusal is a toast with the server's message.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "fest-finance-page-private.h"
#include "fest-finance-pdf.h"
#include "fest-page-util.h"

/* Exports */

typedef struct
{
  FestFinancePage *self;
  GFile           *file;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_object_unref (export->file);
  g_free (export);
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Cannot save the file: %s"), error->message);

      fest_page_toast (GTK_WIDGET (export->self), message);
    }
  else
    {
      g_autofree char *where = g_file_get_parse_name (export->file);
      g_autofree char *message = g_strdup_printf (_("Saved to %s"), where);

      fest_page_toast (GTK_WIDGET (export->self), message);
    }
  export_free (export);
}

static void
export_bytes_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fest_client_get_bytes_finish (FEST_CLIENT (source), result, NULL,
                                                          &error);

  if (bytes == NULL)
    {
      fest_page_toast_error (GTK_WIDGET (export->self), error);
      export_free (export);
      return;
    }
  g_file_replace_contents_bytes_async (export->file, bytes, NULL, FALSE,
                                       G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                                       export_written_cb, export);
}

void
fest_finance_page_export_csv_to (FestFinancePage *self,
                                 const char      *profile,
                                 GFile           *file)
{
  Export *export;
  g_autofree char *period = NULL;
  g_autofree char *path = NULL;
  gboolean lines;

  g_return_if_fail (FEST_IS_FINANCE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  lines = g_str_has_prefix (profile != NULL ? profile : "", "lines-");
  if (lines)
    profile += strlen ("lines-");
  if (g_strcmp0 (profile, "csv-excel-fr") != 0)
    profile = "csv";
  period = _fest_finance_page_period_query (self);
  if (lines)
    path = g_strdup_printf ("/reports/lines?format=%s%s", profile, period);
  else
    path = g_strdup_printf ("/reports/sales?group_by=%s&format=%s%s",
                            _fest_finance_page_group (self), profile, period);
  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  fest_client_get_bytes_async (fest_page_get_client (FEST_PAGE (self)), path, NULL,
                               export_bytes_cb, export);
}

static char *
period_text (FestFinancePage *self)
{
  GtkStringObject *item = gtk_drop_down_get_selected_item (self->period_dropdown);

  if (gtk_drop_down_get_selected (self->period_dropdown) == PERIOD_CUSTOM || item == NULL)
    return g_strdup_printf ("%s – %s", self->from != NULL ? self->from : "…",
                            self->to != NULL ? self->to : "…");
  return g_strdup (gtk_string_object_get_string (item));
}

void
fest_finance_page_export_pdf_to (FestFinancePage *self,
                                 GFile           *file)
{
  static const char * const names[] = { "revenue", "vat", "recharges", "float", "refunds",
                                         "overdrawn" };
  FestFinancePdfFigure figures[G_N_ELEMENTS (names)];
  FestFinancePdfTable tables[FETCH_SALES_VAT_RATE - FETCH_SALES + 1] = { { 0 } };
  GListModel *groups = gtk_drop_down_get_model (self->group_dropdown);
  g_autofree char *path = NULL;
  g_autofree char *period = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  const char *festival_name;

  g_return_if_fail (FEST_IS_FINANCE_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkWidget *value = g_hash_table_lookup (self->figures, names[i]);

      figures[i].title = gtk_label_get_text (GTK_LABEL (gtk_widget_get_prev_sibling (value)));
      figures[i].value = gtk_label_get_text (GTK_LABEL (value));
    }
  /* Every table of the page (per stand, product, hour, VAT rate), titled as in its dropdown. */
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      JsonNode *sales = self->answers[FETCH_SALES + i];

      tables[i].title = gtk_string_list_get_string (GTK_STRING_LIST (groups), i);
      if (sales != NULL && JSON_NODE_HOLDS_OBJECT (sales))
        {
          JsonNode *rows = json_object_get_member (json_node_get_object (sales), "rows");

          tables[i].rows = rows != NULL && JSON_NODE_HOLDS_ARRAY (rows) ? json_node_get_array (rows) : NULL;
        }
    }
  festival_name = fest_page_json_string (fest_page_get_festival (FEST_PAGE (self)), "name");
  period = period_text (self);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      fest_page_toast (GTK_WIDGET (self), _("Cannot save the file there."));
      return;
    }
  if (!fest_finance_pdf_write (path, festival_name != NULL ? festival_name : "", period, now,
                               self->currency_name, figures, G_N_ELEMENTS (figures), tables,
                               G_N_ELEMENTS (tables), &error))
    {
      fest_page_toast (GTK_WIDGET (self), error->message);
      return;
    }
  {
    g_autofree char *where = g_file_get_parse_name (file);
    g_autofree char *message = g_strdup_printf (_("Saved to %s"), where);

    fest_page_toast (GTK_WIDGET (self), message);
  }
}

static void
pdf_chosen_cb (GtkNativeDialog *chooser,
               int              response,
               gpointer         user_data)
{
  FestFinancePage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

      if (file != NULL)
        fest_finance_page_export_pdf_to (self, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
_fest_finance_page_export_pdf_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (widget);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (_("Export PDF"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "finance-report.pdf");
  g_signal_connect (chooser, "response", G_CALLBACK (pdf_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
csv_chosen_cb (GtkNativeDialog *chooser,
               int              response,
               gpointer         user_data)
{
  FestFinancePage *self = user_data;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      const char *profile = g_object_get_data (G_OBJECT (chooser), "profile");

      if (file != NULL)
        fest_finance_page_export_csv_to (self, profile, file);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  g_object_unref (self);
}

void
_fest_finance_page_export_csv_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (widget);
  const char *profile = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser;
  g_autofree char *name = g_strdup_printf ("sales-%s.csv", _fest_finance_page_group (self));

  chooser = gtk_file_chooser_native_new (_("Export CSV"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data_full (G_OBJECT (chooser), "profile", g_strdup (profile), g_free);
  g_signal_connect (chooser, "response", G_CALLBACK (csv_chosen_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Closures */

static void
closed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FestFinancePage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_client_request_finish (FEST_CLIENT (source), result, NULL,
                                                         &error);

  g_clear_pointer (&self->refusal, g_free);
  if (node == NULL)
    {
      self->refusal = fest_page_error_text (error);
      fest_page_toast (GTK_WIDGET (self), self->refusal);
      return;
    }
  fest_page_toast (GTK_WIDGET (self), _("Day closed"));
  _fest_finance_page_fetch (self);
}

void
fest_finance_page_close_day_now (FestFinancePage *self,
                                 const char      *date)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  g_return_if_fail (FEST_IS_FINANCE_PAGE (self));

  json_object_set_string_member (body, "period", "DAY");
  json_object_set_string_member (body, "date", date);
  json_node_set_object (node, body);
  fest_client_request_async (fest_page_get_client (FEST_PAGE (self)), "POST", "/closures", node,
                             NULL, NULL, closed_cb, g_object_ref (self));
}

const char *
fest_finance_page_get_refusal (FestFinancePage *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_PAGE (self), NULL);
  return self->refusal;
}

static void
confirm_close_cb (AdwMessageDialog *dialog,
                  const char       *response,
                  gpointer          user_data)
{
  FestFinancePage *self = user_data;

  if (g_strcmp0 (response, "close") == 0)
    fest_finance_page_close_day_now (self, g_object_get_data (G_OBJECT (dialog), "date"));
  g_object_unref (self);
}

void
_fest_finance_page_close_day_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  FestFinancePage *self = FEST_FINANCE_PAGE (widget);
  const char *date = g_variant_get_string (parameter, NULL);
  GtkRoot *root = gtk_widget_get_root (widget);
  g_autofree char *heading = g_strdup_printf (_("Close %s?"), date);
  GtkWidget *dialog;

  if (date[0] == '\0')
    {
      guint selected = gtk_drop_down_get_selected (self->period_dropdown);

      if (selected < N_FIXED_PERIODS || selected - N_FIXED_PERIODS >= self->period_dates->len)
        {
          fest_page_toast (widget, _("Choose a festival day to close"));
          return;
        }
      date = g_ptr_array_index (self->period_dates, selected - N_FIXED_PERIODS);
      g_free (heading);
      heading = g_strdup_printf (_("Close %s?"), date);
    }

  dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, heading,
                                   _("A closure records the day's totals for good: it cannot be "
                                     "undone. Corrections made later go on a later day."));
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "close", _("C_lose the Day"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "close",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_object_set_data_full (G_OBJECT (dialog), "date", g_strdup (date), g_free);
  g_signal_connect (dialog, "response", G_CALLBACK (confirm_close_cb), g_object_ref (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

