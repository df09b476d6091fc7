/* test-station-shift.c: the cash shift of a recharge desk and of a bar's cashier, from the keyboard,
 * against the real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Enrolled and synced, the desk is handed 20 € for a wallet: it asks for the opening float first
 * (typed with real keys), then credits. Ctrl+R's end of shift counts the till note by note and
 * coin by coin (typed), closes, and shows the server's expected cash and difference: the same
 * difference as GET /shifts; the report is saved.
 *
 * The bar's cashier likewise: a sale asks for the float first and sells nothing until it is typed;
 * then the sale goes through; the end of shift counts the till against the float alone (a bar
 * takes no cash).
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-core.h"
#include "fest-cash-shift-dialog.h"
#include "fest-cashier-page.h"
#include "fest-recharge-page.h"
#include "fest-station-window-private.h"

static FestCashShiftDialog *
find_dialog (void)
{
  return (FestCashShiftDialog *) fest_app_test_find_toplevel (FEST_TYPE_CASH_SHIFT_DIALOG);
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog () == NULL;
}

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();

  collect (root, GTK_TYPE_BUTTON, buttons);
  for (guint i = 0; i < buttons->len; i++)
    if (g_strcmp0 (gtk_button_get_label (g_ptr_array_index (buttons, i)), label) == 0)
      return g_ptr_array_index (buttons, i);
  return NULL;
}

static gboolean
has_shift (gpointer data)
{
  return fest_station_store_has_cash_shift (fest_station_window_get_store (data));
}

static gboolean
is_credit_done (gpointer data)
{
  FestRechargePage *page = FEST_RECHARGE_PAGE (fest_station_window_get_page (data));

  return !fest_recharge_page_get_crediting (page) && fest_recharge_page_get_amount (page) == 0;
}

static gboolean
is_confirmed (gpointer data)
{
  return fest_cash_shift_dialog_get_confirmed (data);
}

static void
type_into (GtkWidget  *entry,
           const char *text)
{
  fest_app_test_click (entry);
  fest_app_test_xdotool ("type", "--delay", "25", text, NULL);
}

static void
test_shift_keyboard (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree char *desk_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *shifts_path = NULL;
  g_autofree char *difference_text = NULL;
  g_autofree char *counted_text = NULL;
  FestStationWindow *desk;
  FestRechargePage *page;
  FestCashShiftDialog *dialog;
  JsonObject *shift;
  gint64 rate;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Tokens desk\",\"type\":\"RECHARGE\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}"), ==, 201);
  desk_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));
  g_clear_pointer (&reply, json_node_unref);

  desk = fest_app_test_enrolled_station (server, client, desk_id, "recharge");
  page = FEST_RECHARGE_PAGE (fest_station_window_get_page (desk));
  rate = fest_station_store_get_setting_int (fest_station_window_get_store (desk), FEST_STATION_KEY_EXCHANGE_RATE, 0);
  g_assert_cmpint (rate, >, 0);

  /* 20 € handed over: the float first, nothing credited yet. */
  fest_recharge_page_set_received (page, 2000);
  fest_station_window_simulate_scan (desk, wallet_code);
  g_assert_true (fest_app_test_wait (dialog_shown, NULL, 10000));
  dialog = find_dialog ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_assert_cmpuint (fest_station_store_count_pending (fest_station_window_get_store (desk)), ==, 0);
  collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  type_into (g_ptr_array_index (entries, 0), "150");
  fest_app_test_xdotool ("key", "Return", NULL);
  g_assert_true (fest_app_test_wait (has_shift, desk, 10000));
  g_assert_true (fest_app_test_wait (dialog_gone, NULL, 10000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  shifts_path = g_strdup_printf ("/shifts?stand_id=%s", desk_id);
  g_assert_cmpuint (fest_app_test_request (server, "GET", shifts_path, server->token, &reply, NULL), ==, 200);
  {
    JsonArray *data = json_object_get_array_member (json_node_get_object (reply), "data");

    g_assert_cmpuint (json_array_get_length (data), ==, 1);
    shift = json_array_get_object_element (data, 0);
    g_assert_cmpstr (json_object_get_string_member (shift, "status"), ==, "OPEN");
    g_assert_cmpint (json_object_get_int_member (shift, "opening_float"), ==, 15000 * 100 / rate);
  }
  g_clear_pointer (&reply, json_node_unref);

  /* The cash recharge, online. */
  fest_recharge_page_set_received (page, 2000);
  fest_station_window_simulate_scan (desk, wallet_code);
  g_assert_true (fest_app_test_wait (is_credit_done, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));

  /* Staff credit (COMP), picked with a real click: no money in the till, so not expected. */
  fest_app_test_click (find_button (GTK_WIDGET (page), _("Sta_ff credit")));
  fest_recharge_page_set_received (page, 5000);
  fest_station_window_simulate_scan (desk, wallet_code);
  g_assert_true (fest_app_test_wait (is_credit_done, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (fest_station_window_get_store (desk));

    g_assert_nonnull (strstr (((FestOutboxOp *) g_ptr_array_index (ops, ops->len - 1))->payload,
                              "\"payment_method\":\"COMP\""));
  }

  /* End of shift: 1 × 100 €, 1 × 50 €, 1 × 10 €, 1 × 5 €, 2 × 2 € = 169 € for 170 € expected. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (desk), "station.shift-report", NULL));
  g_assert_true (fest_app_test_wait (dialog_shown, NULL, 10000));
  dialog = find_dialog ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_ptr_array_set_size (entries, 0);
  collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 15);
  type_into (g_ptr_array_index (entries, 2), "1");    /* 100 € */
  type_into (g_ptr_array_index (entries, 3), "1");    /* 50 € */
  type_into (g_ptr_array_index (entries, 5), "1");    /* 10 € */
  type_into (g_ptr_array_index (entries, 6), "1");    /* 5 € */
  type_into (g_ptr_array_index (entries, 7), "2");    /* 2 € */
  g_assert_cmpint (fest_cash_shift_dialog_get_counted_cents (dialog), ==, 16900);
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Close shift")));
  g_assert_nonnull (fest_cash_shift_dialog_get_result_text (dialog));
  g_assert_true (fest_app_test_wait (is_confirmed, dialog, 20000));

  g_assert_cmpuint (fest_app_test_request (server, "GET", shifts_path, server->token, &reply, NULL), ==, 200);
  shift = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (shift, "status"), ==, "CLOSED");
  g_assert_cmpint (json_object_get_int_member (shift, "counted_cash"), ==, 16900 * 100 / rate);
  g_assert_cmpint (json_object_get_int_member (shift, "expected_cash"), ==, 17000 * 100 / rate);
  g_assert_cmpint (json_object_get_int_member (shift, "difference"), ==, -100 * 100 / rate);
  /* The page shows the server's difference, in euros. */
  difference_text = fest_money_format_eur (json_object_get_int_member (shift, "difference") * rate / 100);
  g_assert_nonnull (strstr (fest_cash_shift_dialog_get_result_text (dialog), difference_text));
  counted_text = fest_money_format_eur (16900);
  g_assert_nonnull (strstr (fest_cash_shift_dialog_get_result_text (dialog), counted_text));
  g_clear_pointer (&reply, json_node_unref);

  /* The report is saved once the count is done. */
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Save the report")));
  g_assert_true (fest_app_test_wait (dialog_gone, NULL, 10000));
  g_assert_nonnull (fest_recharge_page_get_report_path (page));
  g_assert_true (g_file_test (fest_recharge_page_get_report_path (page), G_FILE_TEST_EXISTS));
  g_assert_false (fest_station_store_has_cash_shift (fest_station_window_get_store (desk)));

  gtk_window_destroy (GTK_WINDOW (desk));
}

static gboolean
is_sale_done (gpointer data)
{
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (data));

  return !fest_cashier_page_get_charging (page) && fest_cashier_page_get_n_items (page) == 0;
}

static gint64
wallet_balance (FestAppTestServer *server,
                const char        *wallet_id)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/wallets/%s", wallet_id);

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  return json_object_get_int_member (json_object_get_object_member (json_node_get_object (reply), "data"),
                                     "balance");
}

/* How many ops of @op ("shift.open", "transaction.create", …) the station's outbox holds. */
static guint
count_ops (FestStationWindow *window,
           const char        *op)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (fest_station_window_get_store (window));
  guint n = 0;

  for (guint i = 0; i < ops->len; i++)
    if (g_strcmp0 (((FestOutboxOp *) g_ptr_array_index (ops, i))->op, op) == 0)
      n++;
  return n;
}

static void
test_cashier_shift_keyboard (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new ();
  g_autofree char *bar_id = NULL;
  g_autofree char *beer_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *shifts_path = NULL;
  g_autofree char *expected_text = NULL;
  g_autofree char *counted_text = NULL;
  g_autofree char *difference_text = NULL;
  FestStationWindow *bar;
  FestCashierPage *page;
  FestCashShiftDialog *dialog;
  JsonObject *shift;
  gint64 rate;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Main bar\",\"type\":\"BAR\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}"), ==, 201);
  bar_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/products", server->token, &reply,
                                           "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":500,"
                                           "\"vat_rate\":20,\"category\":\"Drinks\",\"stock\":null}", bar_id), ==, 201);
  beer_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  wallet_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                           "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":5000,"
                                           "\"payment_method\":\"CASH\"}", wallet_id), ==, 201);

  bar = fest_app_test_enrolled_station (server, client, bar_id, "cashier");
  page = FEST_CASHIER_PAGE (fest_station_window_get_page (bar));
  rate = fest_station_store_get_setting_int (fest_station_window_get_store (bar), FEST_STATION_KEY_EXCHANGE_RATE, 0);
  g_assert_cmpint (rate, >, 0);
  g_assert_false (fest_station_store_has_cash_shift (fest_station_window_get_store (bar)));

  /* A beer, the wallet scanned: the float first, nothing sold, the cart kept. */
  fest_cashier_page_add_product (page, beer_id);
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (dialog_shown, NULL, 10000));
  dialog = find_dialog ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, _("Open the cash shift first: type the opening float"));
  g_assert_false (fest_cashier_page_get_charging (page));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 1);
  g_assert_cmpuint (count_ops (bar, "transaction.create"), ==, 0);
  g_assert_cmpuint (fest_station_store_count_pending (fest_station_window_get_store (bar)), ==, 0);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 5000);

  /* 80 € typed in the till's float, Enter. */
  collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 1);
  type_into (g_ptr_array_index (entries, 0), "80");
  fest_app_test_xdotool ("key", "Return", NULL);
  g_assert_true (fest_app_test_wait (has_shift, bar, 10000));
  g_assert_true (fest_app_test_wait (dialog_gone, NULL, 10000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpuint (count_ops (bar, "shift.open"), ==, 1);
  g_assert_cmpuint (count_ops (bar, "transaction.create"), ==, 0);
  shifts_path = g_strdup_printf ("/shifts?stand_id=%s", bar_id);
  g_assert_cmpuint (fest_app_test_request (server, "GET", shifts_path, server->token, &reply, NULL), ==, 200);
  {
    JsonArray *data = json_object_get_array_member (json_node_get_object (reply), "data");

    g_assert_cmpuint (json_array_get_length (data), ==, 1);
    shift = json_array_get_object_element (data, 0);
    g_assert_cmpstr (json_object_get_string_member (shift, "status"), ==, "OPEN");
    g_assert_cmpint (json_object_get_int_member (shift, "opening_float"), ==, 8000 * 100 / rate);
  }
  g_clear_pointer (&reply, json_node_unref);

  /* The same cart, scanned again: sold online. */
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 1);
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (is_sale_done, bar, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpuint (count_ops (bar, "transaction.create"), ==, 1);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4500);

  /* End of shift: 1 × 50 €, 1 × 20 €, 1 × 5 €, 2 × 2 € = 79 € for the 80 € float. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (bar), "station.shift-report", NULL));
  g_assert_true (fest_app_test_wait (dialog_shown, NULL, 10000));
  dialog = find_dialog ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  g_ptr_array_set_size (entries, 0);
  collect (GTK_WIDGET (dialog), GTK_TYPE_ENTRY, entries);
  g_assert_cmpuint (entries->len, ==, 15);
  type_into (g_ptr_array_index (entries, 3), "1");    /* 50 € */
  type_into (g_ptr_array_index (entries, 4), "1");    /* 20 € */
  type_into (g_ptr_array_index (entries, 6), "1");    /* 5 € */
  type_into (g_ptr_array_index (entries, 7), "2");    /* 2 € */
  g_assert_cmpint (fest_cash_shift_dialog_get_counted_cents (dialog), ==, 7900);
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Close shift")));
  g_assert_nonnull (fest_cash_shift_dialog_get_result_text (dialog));
  g_assert_true (fest_app_test_wait (is_confirmed, dialog, 20000));

  g_assert_cmpuint (fest_app_test_request (server, "GET", shifts_path, server->token, &reply, NULL), ==, 200);
  shift = json_array_get_object_element (json_object_get_array_member (json_node_get_object (reply), "data"), 0);
  g_assert_cmpstr (json_object_get_string_member (shift, "status"), ==, "CLOSED");
  g_assert_cmpint (json_object_get_int_member (shift, "counted_cash"), ==, 7900 * 100 / rate);
  g_assert_cmpint (json_object_get_int_member (shift, "expected_cash"), ==, 8000 * 100 / rate);
  g_assert_cmpint (json_object_get_int_member (shift, "difference"), ==, -100 * 100 / rate);
  /* The dialog shows the server's figures, in euros. */
  expected_text = fest_money_format_eur (json_object_get_int_member (shift, "expected_cash") * rate / 100);
  counted_text = fest_money_format_eur (json_object_get_int_member (shift, "counted_cash") * rate / 100);
  difference_text = fest_money_format_eur (json_object_get_int_member (shift, "difference") * rate / 100);
  g_assert_nonnull (strstr (fest_cash_shift_dialog_get_result_text (dialog), expected_text));
  g_assert_nonnull (strstr (fest_cash_shift_dialog_get_result_text (dialog), counted_text));
  g_assert_nonnull (strstr (fest_cash_shift_dialog_get_result_text (dialog), difference_text));
  g_clear_pointer (&reply, json_node_unref);

  /* The report is saved once the count is done; the next sale asks for a new float. */
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Save the report")));
  g_assert_true (fest_app_test_wait (dialog_gone, NULL, 10000));
  g_assert_nonnull (fest_cashier_page_get_report_path (page));
  g_assert_true (g_file_test (fest_cashier_page_get_report_path (page), G_FILE_TEST_EXISTS));
  g_assert_false (fest_station_store_has_cash_shift (fest_station_window_get_store (bar)));
  fest_cashier_page_add_product (page, beer_id);
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (dialog_shown, NULL, 10000));
  g_assert_cmpuint (count_ops (bar, "transaction.create"), ==, 1);
  gtk_window_destroy (GTK_WINDOW (find_dialog ()));

  gtk_window_destroy (GTK_WINDOW (bar));
}

int
main (int argc, char *argv[])
{
  fest_app_test_init (&argc, &argv);
  fest_application_init_i18n ();
  fest_core_init ();
  g_test_add_func ("/fest/station-shift/keyboard", test_shift_keyboard);
  g_test_add_func ("/fest/station-shift/cashier-keyboard", test_cashier_shift_keyboard);
  return g_test_run ();
}
