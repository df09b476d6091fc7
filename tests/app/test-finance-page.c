/* test-finance-page.c: the Finance page against a real festivals-server, under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One real server (fest-app-test.h) with one festival (1–3 July 2026, past) serves the cases,
 * which run in order: the empty state, figures and tables equal to the server's reports after
 * recharges and sales made through the API, the CSV exports (plain and Excel French), closing a
 * past day from the page and the refusal of closing it twice, and the error state once the
 * server is stopped. Screenshots finance-{content,empty,error}-{en,fr}.png go to
 * <builddir>/tests/app/screenshots/.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-client.h"
#include "fest-finance-page.h"
#include "fest-finance-pdf.h"
#include "fest-money.h"
#include "fest-page-util.h"

#define TIMEOUT_MS 15000

static struct
{
  FestAppTestServer *server;
} fixture;

typedef struct
{
  GtkWidget       *window;
  FestFinancePage *page;
  FestClient      *client;
} Shown;

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static void
settle (guint ms)
{
  for (guint i = 0; i < ms / 10; i++)
    {
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
screenshot (Shown      *shown,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("finance-%s-%s.png", name, lang ());

  settle (300);
  gtk_test_widget_wait_for_draw (shown->window);
  fest_app_test_render_png (shown->window, file);
}

static JsonNode *
api_get (const char *path)
{
  JsonNode *reply = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture.server, "GET", path, fixture.server->token,
                                           &reply, NULL), ==, 200);
  return reply;
}

static JsonObject *
data_object (JsonNode *reply)
{
  return json_object_get_object_member (json_node_get_object (reply), "data");
}

static gboolean
page_loaded (gpointer data)
{
  return g_strcmp0 (fest_page_get_state_name (data), "loading") != 0;
}

static void
show_page (Shown *shown)
{
  GtkWidget *overlay = adw_toast_overlay_new ();
  g_autofree char *path = g_strdup_printf ("/festivals/%s", fixture.server->festival_id);
  g_autoptr(JsonNode) festival = api_get (path);

  shown->client = fest_client_new (fixture.server->url);
  fest_client_set_token (shown->client, fixture.server->token);
  shown->page = FEST_FINANCE_PAGE (fest_finance_page_new (shown->client));
  fest_page_set_festival (FEST_PAGE (shown->page), data_object (festival));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (shown->page));
  shown->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (shown->window), 1200, 900);
  adw_window_set_content (ADW_WINDOW (shown->window), overlay);
  gtk_window_present (GTK_WINDOW (shown->window));
  fest_page_reload (FEST_PAGE (shown->page));
  g_assert_true (fest_app_test_wait (page_loaded, shown->page, TIMEOUT_MS));
}

static void
reload_page (Shown *shown)
{
  gtk_widget_activate_action (GTK_WIDGET (shown->page), "finance.reload", NULL);
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (shown->page)), ==, "loading");
  g_assert_true (fest_app_test_wait (page_loaded, shown->page, TIMEOUT_MS));
}

static void
close_page (Shown *shown)
{
  fest_app_test_destroy_and_check (GTK_WINDOW (shown->window), shown->page);
  g_clear_object (&shown->client);
}

static char *
create (const char *path,
        const char *format,
        ...) G_GNUC_PRINTF (2, 3);

static char *
create (const char *path,
        const char *format,
        ...)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *body = NULL;
  va_list args;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);
  g_assert_cmpuint (fest_app_test_request (fixture.server, "POST", path, fixture.server->token,
                                           &reply, "%s", body), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

static void
test_empty (void)
{
  Shown shown = { 0 };

  show_page (&shown);
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (shown.page)), ==, "empty");
  screenshot (&shown, "empty");
  close_page (&shown);
}

static void
make_sales (void)
{
  static const struct { const char *name; int price; int quantity; } sales[] = {
    { "Main Bar", 450, 6 }, { "Food Truck", 900, 3 },
  };
  g_autofree char *wallet = create ("/wallets", "{\"holder_name\":\"Camille\"}");
  g_autofree char *other = create ("/wallets", "{\"holder_name\":\"Sacha\"}");
  g_autofree char *r1 = create ("/transactions", "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\","
                                "\"amount\":20000,\"payment_method\":\"CASH\"}", wallet);
  g_autofree char *r2 = create ("/transactions", "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\","
                                "\"amount\":5000,\"payment_method\":\"CARD\"}", other);

  for (guint i = 0; i < G_N_ELEMENTS (sales); i++)
    {
      g_autofree char *stand = create ("/stands", "{\"name\":\"%s\",\"type\":\"BAR\"}",
                                       sales[i].name);
      g_autofree char *product = create ("/products", "{\"stand_id\":\"%s\",\"name\":\"Item\","
                                         "\"price\":%d,\"vat_rate\":20,\"category\":\"drink\"}",
                                         stand, sales[i].price);
      g_autofree char *payment = create ("/transactions", "{\"type\":\"PAYMENT\",\"wallet_id\":"
                                         "\"%s\",\"stand_id\":\"%s\",\"lines\":[{\"product_id\":"
                                         "\"%s\",\"quantity\":%d}]}", wallet, stand, product,
                                         sales[i].quantity);
    }
}

static void
test_figures (void)
{
  Shown shown = { 0 };
  g_autoptr(JsonNode) sales = NULL;
  g_autoptr(JsonNode) summary = NULL;
  JsonObject *totals;
  JsonArray *rows;
  g_autofree char *revenue = NULL;
  g_autofree char *vat = NULL;
  g_autofree char *recharges = NULL;
  g_autofree char *floating = NULL;

  make_sales ();
  sales = api_get ("/reports/sales?group_by=stand");
  summary = api_get ("/reports/summary");
  totals = json_object_get_object_member (data_object (sales), "totals");
  rows = json_object_get_array_member (data_object (sales), "rows");
  g_assert_cmpint (json_object_get_int_member (totals, "amount"), ==, 450 * 6 + 900 * 3);

  show_page (&shown);
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (shown.page)), ==, "content");

  revenue = fest_money_format (json_object_get_int_member (totals, "amount"), "Jetons");
  vat = fest_money_format (json_object_get_int_member (totals, "vat_amount"), "Jetons");
  recharges = fest_money_format (fest_page_json_int (json_object_get_object_member (
                                   data_object (summary), "recharges_total"), "amount", -1),
                                 "Jetons");
  floating = fest_money_format (fest_page_json_int (json_object_get_object_member (
                                  data_object (summary), "wallets"), "outstanding_float", -1),
                                "Jetons");
  g_assert_true (g_str_has_prefix (fest_finance_page_get_figure (shown.page, "revenue"), revenue));
  g_assert_cmpstr (fest_finance_page_get_figure (shown.page, "vat"), ==, vat);
  g_assert_true (g_str_has_prefix (fest_finance_page_get_figure (shown.page, "recharges"),
                                   recharges));
  g_assert_nonnull (strstr (fest_finance_page_get_figure (shown.page, "recharges"), _("Card")));
  g_assert_cmpstr (fest_finance_page_get_figure (shown.page, "float"), ==, floating);
  g_assert_cmpstr (fest_finance_page_get_figure (shown.page, "overdrawn"), ==, "0");

  g_assert_cmpuint (fest_finance_page_get_n_rows (shown.page), ==, json_array_get_length (rows));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpstr (fest_finance_page_get_row_label (shown.page, i), ==,
                       json_object_get_string_member (row, "label"));
      g_assert_cmpint (fest_finance_page_get_row_amount (shown.page, i), ==,
                       json_object_get_int_member (row, "amount"));
    }
  g_assert_cmpuint (fest_finance_page_get_n_hours (shown.page), ==, 1);
  screenshot (&shown, "content");

  /* Per VAT rate: the other table's rows are the server's too. */
  gtk_widget_activate_action (GTK_WIDGET (shown.page), "finance.set-group", "s", "vat_rate");
  g_assert_true (fest_app_test_wait (page_loaded, shown.page, TIMEOUT_MS));
  {
    g_autoptr(JsonNode) rates = api_get ("/reports/sales?group_by=vat_rate");
    JsonArray *rate_rows = json_object_get_array_member (data_object (rates), "rows");

    g_assert_cmpuint (json_array_get_length (rate_rows), ==, 1);
    g_assert_cmpuint (fest_finance_page_get_n_rows (shown.page), ==, 1);
    g_assert_cmpstr (fest_finance_page_get_row_label (shown.page, 0), ==,
                     json_object_get_string_member (json_array_get_object_element (rate_rows, 0),
                                                    "label"));
    g_assert_cmpint (fest_finance_page_get_row_amount (shown.page, 0), ==, 450 * 6 + 900 * 3);
  }

  /* A past period has no transactions. */
  gtk_widget_activate_action (GTK_WIDGET (shown.page), "finance.set-period", "(ss)",
                              "2026-07-01", "2026-07-03");
  g_assert_true (fest_app_test_wait (page_loaded, shown.page, TIMEOUT_MS));
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (shown.page)), ==, "empty");
  close_page (&shown);
}

typedef struct
{
  const char *path;
} FileWait;

static gboolean
file_written (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_EXISTS);
}

static char *
export (Shown      *shown,
        const char *profile)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "finance-export-XXXXXX", NULL);
  g_autofree char *target = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  int fd = g_mkstemp (path);

  g_assert_cmpint (fd, >=, 0);
  close (fd);
  g_unlink (path);
  target = g_strconcat (path, ".csv", NULL);
  file = g_file_new_for_path (target);
  fest_finance_page_export_csv_to (shown->page, profile, file);
  g_assert_true (fest_app_test_wait (file_written, target, TIMEOUT_MS));
  settle (200);
  g_assert_true (g_file_get_contents (target, &contents, NULL, &error));
  g_assert_no_error (error);
  g_unlink (target);
  return g_steal_pointer (&contents);
}

static char *
pdf_text (const char *path)
{
  g_autofree char *out = NULL;
  int status = -1;
  const char *argv[] = { "pdftotext", "-enc", "UTF-8", path, "-", NULL };

  if (!g_file_test (path, G_FILE_TEST_EXISTS))
    return g_strdup ("");
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  return g_steal_pointer (&out);
}

static guint
pdf_pages (const char *path)
{
  g_autofree char *out = NULL;
  int status = -1;
  const char *argv[] = { "pdfinfo", path, NULL };
  const char *pages;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out,
                               NULL, &status, NULL));
  g_assert_cmpint (status, ==, 0);
  pages = strstr (out, "Pages:");
  g_assert_nonnull (pages);
  return (guint) g_ascii_strtoull (pages + strlen ("Pages:"), NULL, 10);
}

static void
test_exports (void)
{
  Shown shown = { 0 };
  g_autofree char *csv = NULL;
  g_autofree char *excel = NULL;
  g_auto(GStrv) lines = NULL;

  show_page (&shown);
  csv = export (&shown, "csv");
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
  g_assert_true (g_str_has_prefix (lines[0], "key,label,quantity,amount"));
  g_assert_nonnull (strstr (csv, ",Main Bar,6,27.00,"));
  g_assert_nonnull (strstr (csv, ",Food Truck,3,27.00,"));

  excel = export (&shown, "csv-excel-fr");
  g_assert_true (g_str_has_prefix (excel, "\xEF\xBB\xBF"));
  g_assert_nonnull (strstr (excel, ";Main Bar;6;27,00;"));

  /* Every ledger line (streamed, no Content-Length): a header and the two payments' lines. */
  {
    g_autofree char *all = export (&shown, "lines-csv");
    g_auto(GStrv) all_lines = g_strsplit (all, "\r\n", -1);

    g_assert_true (g_str_has_prefix (all_lines[0], "time,transaction_id,type,stand_id,stand"));
    g_assert_nonnull (strstr (all, "Food Truck"));
    g_assert_cmpuint (g_strv_length (all_lines), >=, 3);
  }

  /* The PDF: the festival, a stand, numbered pages. */
  {
    g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "finance-test-report.pdf", NULL);
    g_autoptr(GFile) file = g_file_new_for_path (pdf);
    g_autofree char *text = pdf_text (pdf);

    g_unlink (pdf);
    fest_finance_page_export_pdf_to (shown.page, file);
    g_clear_pointer (&text, g_free);
    text = pdf_text (pdf);
    g_assert_nonnull (strstr (text, "Test Fest"));
    g_assert_nonnull (strstr (text, "Main Bar"));
    g_assert_cmpuint (pdf_pages (pdf), >=, 1);
    /* All four tables, whichever the page shows: per stand, product ("Item"), hour, VAT rate. */
    g_assert_nonnull (strstr (text, _("Per Stand")));
    g_assert_nonnull (strstr (text, _("Per Product")));
    g_assert_nonnull (strstr (text, "Item"));
    g_assert_nonnull (strstr (text, _("Per Hour")));
    g_assert_nonnull (strstr (text, _("Per VAT Rate")));
    g_assert_nonnull (strstr (text, "20 %"));
    g_unlink (pdf);
  }
  close_page (&shown);
}

/* Many rows flow over numbered pages. */
static void
test_pdf_pages (void)
{
  g_autofree char *pdf = g_build_filename (g_get_tmp_dir (), "finance-test-long.pdf", NULL);
  g_autoptr(JsonArray) rows = json_array_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *last = NULL;
  FestFinancePdfFigure figures[] = { { "Revenue", "123 Jetons" } };
  FestFinancePdfTable table = { "Per Product", rows };
  guint pages;

  for (guint i = 0; i < 150; i++)
    {
      JsonObject *row = json_object_new ();
      g_autofree char *label = g_strdup_printf ("Product %u", i);

      json_object_set_string_member (row, "label", label);
      json_object_set_int_member (row, "quantity", i);
      json_object_set_int_member (row, "amount", i * 100);
      json_array_add_object_element (rows, row);
    }
  g_assert_true (fest_finance_pdf_write (pdf, "Long Fest", "Whole Festival", now, "Jetons",
                                         figures, 1, &table, 1, &error));
  g_assert_no_error (error);
  pages = pdf_pages (pdf);
  g_assert_cmpuint (pages, >=, 3);
  text = pdf_text (pdf);
  last = g_strdup_printf (_("Page %u of %u"), pages, pages);
  g_assert_nonnull (strstr (text, "Long Fest"));
  g_assert_nonnull (strstr (text, "Product 149"));
  {
    g_autofree char *first = g_strdup_printf (_("Page %u of %u"), 1, pages);

    g_assert_nonnull (strstr (text, first));
  }
  g_assert_nonnull (strstr (text, last));
  g_unlink (pdf);

  /* Not writable: an error, no crash. */
  g_assert_false (fest_finance_pdf_write ("/nonexistent/dir/report.pdf", "Long Fest", "", now,
                                          "Jetons", figures, 1, &table, 1, &error));
  g_assert_nonnull (error);
}

static gboolean
closures_at_least (gpointer data)
{
  return fest_finance_page_get_n_closures (data) >= 1 && page_loaded (data);
}

static gboolean
refused (gpointer data)
{
  return fest_finance_page_get_refusal (data) != NULL;
}

static void
test_close_day (void)
{
  Shown shown = { 0 };
  g_autoptr(JsonNode) closures = NULL;
  JsonArray *list;

  show_page (&shown);
  g_assert_cmpuint (fest_finance_page_get_n_closures (shown.page), ==, 0);
  fest_finance_page_close_day_now (shown.page, "2026-07-01");
  g_assert_true (fest_app_test_wait (closures_at_least, shown.page, TIMEOUT_MS));
  g_assert_null (fest_finance_page_get_refusal (shown.page));

  closures = api_get ("/closures");
  list = json_node_get_array (json_object_get_member (json_node_get_object (closures), "data"));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  g_assert_cmpstr (fest_page_json_string (json_array_get_object_element (list, 0), "date"), ==,
                   "2026-07-01");
  g_assert_cmpuint (fest_finance_page_get_n_closures (shown.page), ==, 1);

  /* Its detail: the hash the server stored, selectable. */
  {
    GtkWidget *dialog = fest_finance_page_show_closure (shown.page, 0);
    GtkWidget *label;
    const char *hash = fest_page_json_string (json_array_get_object_element (list, 0), "hash");

    g_assert_nonnull (dialog);
    label = adw_message_dialog_get_extra_child (ADW_MESSAGE_DIALOG (dialog));
    g_assert_true (gtk_label_get_selectable (GTK_LABEL (label)));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), hash));
    g_assert_null (fest_finance_page_show_closure (shown.page, 1));
    gtk_window_destroy (GTK_WINDOW (dialog));
  }

  /* Twice: the server refuses and the page says so. */
  fest_finance_page_close_day_now (shown.page, "2026-07-01");
  g_assert_true (fest_app_test_wait (refused, shown.page, TIMEOUT_MS));
  g_test_message ("refusal: %s", fest_finance_page_get_refusal (shown.page));
  g_clear_pointer (&closures, json_node_unref);
  closures = api_get ("/closures");
  list = json_node_get_array (json_object_get_member (json_node_get_object (closures), "data"));
  g_assert_cmpuint (json_array_get_length (list), ==, 1);
  close_page (&shown);
}

/* Through the action and its confirmation, as a user does. */
static gboolean
find_message_dialog (gpointer data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      {
        *(gpointer *) data = l->data;
        return TRUE;
      }
  return FALSE;
}

static gboolean
closures_at_least_two (gpointer data)
{
  return fest_finance_page_get_n_closures (data) >= 2 && page_loaded (data);
}

static void
test_close_day_confirmed (void)
{
  Shown shown = { 0 };
  AdwMessageDialog *dialog = NULL;
  g_autoptr(JsonNode) closures = NULL;

  show_page (&shown);
  gtk_widget_activate_action (GTK_WIDGET (shown.page), "finance.close-day", "s", "2026-07-02");
  g_assert_true (fest_app_test_wait (find_message_dialog, &dialog, TIMEOUT_MS));
  g_assert_true (adw_message_dialog_has_response (dialog, "close"));
  adw_message_dialog_response (dialog, "close");
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_true (fest_app_test_wait (closures_at_least_two, shown.page, TIMEOUT_MS));
  closures = api_get ("/closures");
  g_assert_cmpstr (fest_app_test_json_string (closures, "data.0.date"), ==, "2026-07-02");
  close_page (&shown);
}

/* A label with @css_class showing @text somewhere under @widget. */
static gboolean
has_label (GtkWidget  *widget,
           const char *css_class,
           const char *text)
{
  if (GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, css_class)
      && g_strcmp0 (gtk_label_get_text (GTK_LABEL (widget)), text) == 0)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (has_label (child, css_class, text))
      return TRUE;
  return FALSE;
}

/* A closed shift short of cash shows its difference in the error colour. */
static void
test_shifts (void)
{
  Shown shown = { 0 };
  g_autoptr(JsonNode) stands = api_get ("/stands");
  const char *stand = fest_app_test_json_string (stands, "data.0.id");
  const char *stand_name = fest_app_test_json_string (stands, "data.0.name");
  g_autofree char *shift = create ("/shifts", "{\"stand_id\":\"%s\",\"opening_float\":10000}",
                                   stand);
  g_autofree char *path = g_strdup_printf ("/shifts/%s/close", shift);
  g_autoptr(JsonNode) closed = NULL;
  g_autofree char *difference = NULL;

  g_assert_cmpuint (fest_app_test_request (fixture.server, "POST", path, fixture.server->token,
                                           &closed, "{\"counted_cash\":9500}"), <, 300);
  g_assert_cmpint (json_object_get_int_member (data_object (closed), "difference"), <, 0);
  difference = fest_money_format (json_object_get_int_member (data_object (closed), "difference"),
                                  "Jetons");

  show_page (&shown);
  g_assert_true (has_label (GTK_WIDGET (shown.page), "error", difference));
  /* The row names the stand, not its id. */
  {
    g_autofree char *title = g_strdup_printf (_("Stand %s · %s"), stand_name,
                                              fest_app_test_json_string (closed,
                                                                         "data.operator_id"));
    g_assert_nonnull (stand_name);
    g_assert_true (has_label (GTK_WIDGET (shown.page), "title", title));
  }
  close_page (&shown);
}

static void
test_error (void)
{
  Shown shown = { 0 };

  show_page (&shown);
  fest_app_test_server_stop (fixture.server);
  reload_page (&shown);
  g_assert_cmpstr (fest_page_get_state_name (FEST_PAGE (shown.page)), ==, "error");
  screenshot (&shown, "error");
  close_page (&shown);
  fest_app_test_server_restart (fixture.server);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fest_application_init_i18n ();
  fest_app_test_init (&argc, &argv);
  fest_app_test_load_style ();

  fixture.server = fest_app_test_server_new (TRUE);

  g_test_add_func ("/fest/finance-page/empty", test_empty);
  g_test_add_func ("/fest/finance-page/figures", test_figures);
  g_test_add_func ("/fest/finance-page/exports", test_exports);
  g_test_add_func ("/fest/finance-page/pdf-pages", test_pdf_pages);
  g_test_add_func ("/fest/finance-page/close-day", test_close_day);
  g_test_add_func ("/fest/finance-page/close-day-confirmed", test_close_day_confirmed);
  g_test_add_func ("/fest/finance-page/shifts", test_shifts);
  g_test_add_func ("/fest/finance-page/error", test_error);

  status = g_test_run ();

  g_clear_pointer (&fixture.server, fest_app_test_server_free);
  return status;
}
