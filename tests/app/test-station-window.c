/* test-station-window.c: the kiosk station window in every mode, under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each mode is built over a real station store (offline: the server address does not answer),
 * fed a keyboard-wedge burst as a USB scanner types it, and checked (cart, receipt, verdict,
 * outbox). Screenshots go to <builddir>/tests/app/screenshots/station-<mode>-<lang>.png.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-core.h"
#include "fest-station-window-private.h"
#include "fest-cash-shift-dialog.h"
#include "fest-cashier-page.h"
#include "fest-recharge-page.h"
#include "fest-scanner-page.h"
#include "fest-security-page.h"
#include "fest-shift-report.h"

#define FESTIVAL_ID "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0001"
#define STAND_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0002"
#define BEER_ID     "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0003"
#define FRIES_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0004"
#define WALLET_ID   "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0005"
#define WALLET_CODE "FW1.ABCDEFGHIJKLMNOPQRSTUVWXYZ"
/* The same code typed by a US-layout scanner on an AZERTY keyboard. */
#define WALLET_CODE_AZERTY "FZ&:QBCDEFGHIJKL?NOPARSTUVZXYW"

static guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
static guint8 secret_key[FEST_TICKET_SECRET_KEY_BYTES];

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static FestStationStore *
new_store (const char *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strdup_printf ("station-%s.db", mode);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);
  g_autofree char *key = fest_base64url_encode (public_key, sizeof public_key);
  g_autoptr(JsonNode) changes = NULL;
  FestStationStore *store;

  /* Each test starts from an empty outbox. */
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *file = g_strconcat (path, (const char *[]) { "", "-wal", "-shm" }[i], NULL);

      g_unlink (file);
    }
  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, "http://127.0.0.1:9", "dev-1", "Main bar", FESTIVAL_ID,
                             g_str_equal (mode, "cashier") || g_str_equal (mode, "recharge") ? STAND_ID : NULL,
                             mode, &error);
  g_assert_no_error (error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_TICKET_KEY, key, &error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_CURRENCY_NAME, "Jetons", &error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_EXCHANGE_RATE, "10", &error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_STAND_NAME, "Main bar", &error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_STAND_LAT, "47.2101", &error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_STAND_LNG, "-1.5602", &error);
  g_assert_no_error (error);
  changes = fest_json_parse (
    "{\"products\":["
    " {\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Beer 50 cl\",\"price\":500,"
    "  \"vat_rate\":20,\"category\":\"Drinks\",\"stock\":null,\"is_active\":true,\"rev\":3},"
    " {\"id\":\"" FRIES_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Fries\",\"price\":350,"
    "  \"vat_rate\":5.5,\"category\":\"Food\",\"stock\":12,\"is_active\":true,\"rev\":4}],"
    "\"wallets\":[{\"id\":\"" WALLET_ID "\",\"code\":\"" WALLET_CODE "\",\"balance\":2000,"
    "  \"overdrawn\":false,\"rev\":5}],\"cursor\":\"5\"}", -1, &error);
  g_assert_no_error (error);
  fest_station_store_apply_changes (store, json_node_get_object (changes), NULL, &error);
  g_assert_no_error (error);
  return store;
}

static FestStationWindow *
new_window (const char        *mode,
            FestStationStore **store_out)
{
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  FestStationStore *store = new_store (mode);
  GtkWindow *window = fest_station_window_new_with_store (NULL, client, mode, store, "device-token");

  g_assert_nonnull (window);
  gtk_window_set_default_size (window, 1280, 800);
  gtk_window_present (window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  g_assert_cmpstr (fest_station_window_get_view (FEST_STATION_WINDOW (window)), ==, "station");
  *store_out = store;
  return FEST_STATION_WINDOW (window);
}

static void
screenshot (FestStationWindow *window,
            const char        *name)
{
  g_autofree char *file = g_strdup_printf ("station-%s-%s.png", name, lang ());

  gtk_test_widget_wait_for_draw (GTK_WIDGET (window));
  fest_app_test_render_png (GTK_WIDGET (window), file);
}

static void
close_window (FestStationWindow *window,
              FestStationStore  *store)
{
  gtk_window_destroy (GTK_WINDOW (window));
  /* The window releases the store once pending callbacks have run. */
  fest_app_test_assert_finalized (store);
}

/* A cash station sells once its shift is open: opened as the open dialog does it (a 0 € float
 * here), which queues one shift.open op and hands it to the engine. */
static void
open_shift (FestStationWindow *window)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestOutboxOp) op = fest_station_store_open_cash_shift (fest_station_window_get_store (window), 0,
                                                                   &error);

  g_assert_no_error (error);
  g_assert_nonnull (op);
  fest_station_window_operation_queued (window);
}

static FestCashShiftDialog *
find_shift_dialog (void)
{
  return (FestCashShiftDialog *) fest_app_test_find_toplevel (FEST_TYPE_CASH_SHIFT_DIALOG);
}

static gboolean
shift_dialog_shown (gpointer data)
{
  return find_shift_dialog () != NULL;
}

static gboolean
shift_dialog_gone (gpointer data)
{
  return find_shift_dialog () == NULL;
}

/* A sale or a credit is answered once the checkout ran its store steps off the GTK thread (and,
 * online, heard from the server). */
static gboolean
is_charge_answered (gpointer data)
{
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (data));

  return !fest_cashier_page_get_charging (page) && fest_cashier_page_get_message (page) != NULL &&
         fest_cashier_page_get_message (page)[0] != '\0';
}

static gboolean
is_credit_answered (gpointer data)
{
  return !fest_recharge_page_get_crediting (FEST_RECHARGE_PAGE (fest_station_window_get_page (data)));
}

static void
test_cashier (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  g_autoptr(GPtrArray) pending = NULL;
  g_autofree char *balance = fest_station_window_format_money (window, 2000);
  g_autofree char *balance_message = g_strdup_printf (_("The cart is empty. Wallet balance: %s"), balance);

  /* A balance check needs no cash shift: a wallet scanned with an empty cart shows its balance. */
  g_assert_false (fest_station_store_has_cash_shift (store));
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_true (fest_app_test_wait (is_charge_answered, window, 20000));
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, balance_message);
  g_assert_null (find_shift_dialog ());

  /* Two beers and fries: 13.50 Jetons. */
  fest_cashier_page_add_product (page, BEER_ID);
  fest_cashier_page_add_product (page, BEER_ID);
  fest_cashier_page_add_product (page, FRIES_ID);
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 2);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 1350);
  screenshot (window, "cashier-cart");

  /* The day's first sale asks for the opening float first: nothing is sold, the cart is kept. */
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_true (fest_app_test_wait (shift_dialog_shown, NULL, 5000));
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, _("Open the cash shift first: type the opening float"));
  g_assert_false (fest_cashier_page_get_charging (page));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 2);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 2000);
  g_assert_false (fest_station_store_has_cash_shift (store));
  gtk_window_destroy (GTK_WINDOW (find_shift_dialog ()));
  open_shift (window);

  /* The wallet is scanned (a burst wherever the focus is): sold offline, queued. */
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_true (fest_app_test_wait (is_charge_answered, window, 20000));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 0);
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), "13"));
  /* The shift's opening, then the sale. */
  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (pending, 0))->op, ==, "shift.open");
  g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (pending, 1))->amount_delta, ==, -1350);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 650);
  screenshot (window, "cashier-receipt");

  /* Beyond the balance (650 left, no offline allowance): refused with the reason. */
  fest_cashier_page_add_product (page, BEER_ID);
  fest_cashier_page_add_product (page, BEER_ID);
  fest_station_window_simulate_scan (window, WALLET_CODE_AZERTY);   /* layout garbage, fixed */
  g_assert_true (fest_app_test_wait (is_charge_answered, window, 20000));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 1);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 1000);
  g_assert_nonnull (fest_cashier_page_get_message (page));
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 650);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 2);
  screenshot (window, "cashier-refused");

  close_window (window, store);
}

static void
test_recharge (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("recharge", &store);
  FestRechargePage *page = FEST_RECHARGE_PAGE (fest_station_window_get_page (window));

  /* The day's first recharge asks for the opening float first: nothing is credited. */
  fest_recharge_page_set_received (page, 200);
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_false (fest_station_store_has_cash_shift (store));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FestOutboxOp) open = fest_station_store_open_cash_shift (store, 0, &error);

    g_assert_no_error (error);
  }

  fest_recharge_page_set_received (page, 200);
  g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 2000);
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_true (fest_app_test_wait (is_credit_answered, window, 20000));
  g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 0);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 2);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 4000);
  g_assert_nonnull (fest_recharge_page_get_message (page));
  {
    g_autoptr(GPtrArray) pending = fest_station_store_list_pending (store, 10);

    g_assert_nonnull (strstr (((FestOutboxOp *) g_ptr_array_index (pending, 1))->payload, "\"payment_method\":\"CASH\""));
  }
  fest_recharge_page_set_received (page, 500);
  screenshot (window, "recharge");

  /* At 15 cents a jeton, 1 € is 6.666… jetons: refused, said why, nothing credited; 3 € is 20. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *received = fest_money_format_eur (100);
    g_autofree char *unit = fest_money_format_eur (15);
    g_autofree char *refusal = NULL;
    g_autofree char *units = fest_money_format (2000, "Jetons");
    g_autofree char *credits = g_strdup_printf (_("Credits %s"), units);

    fest_station_store_set_setting (store, FEST_STATION_KEY_EXCHANGE_RATE, "15", &error);
    g_assert_no_error (error);
    refusal = g_strdup_printf (_("%s does not make an exact amount of %s (%s each): type another amount"),
                               received, "Jetons", unit);
    fest_recharge_page_set_received (page, 100);
    g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 0);
    g_assert_cmpstr (fest_recharge_page_get_conversion (page), ==, refusal);
    screenshot (window, "recharge-inexact");
    fest_station_window_simulate_scan (window, WALLET_CODE);
    g_assert_cmpstr (fest_recharge_page_get_message (page), ==, refusal);
    g_assert_cmpuint (fest_station_store_count_pending (store), ==, 2);
    fest_recharge_page_set_received (page, 300);
    g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 2000);
    g_assert_cmpstr (fest_recharge_page_get_conversion (page), ==, credits);
  }

  close_window (window, store);
}

static char *
sign (const char *ticket_id,
      const char *festival_id)
{
  FestTicketPayload payload = {
    .ticket_id = (char *) ticket_id, .festival_id = (char *) festival_id,
    .type_code = (char *) "PASS3D", .holder = (char *) "Ada Lovelace",
    .valid_from = (char *) "2026-01-01T00:00:00Z", .valid_until = (char *) "2030-01-01T00:00:00Z",
  };

  return fest_ticket_code_sign (&payload, secret_key);
}

static void
test_scanner (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("scanner", &store);
  FestScannerPage *page = FEST_SCANNER_PAGE (fest_station_window_get_page (window));
  g_autofree char *ticket = sign ("11111111-1111-4111-8111-111111111111", FESTIVAL_ID);
  g_autofree char *foreign = sign ("22222222-2222-4222-8222-222222222222",
                                   "99999999-9999-4999-8999-999999999999");

  fest_station_window_simulate_scan (window, ticket);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  g_assert_cmpuint (fest_scanner_page_get_entries (page), ==, 1);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);
  screenshot (window, "scanner-accept");

  fest_station_window_simulate_scan (window, ticket);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "used");
  g_assert_cmpuint (fest_scanner_page_get_entries (page), ==, 1);
  screenshot (window, "scanner-used");

  fest_station_window_simulate_scan (window, foreign);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "refused");
  g_assert_cmpstr (fest_scanner_page_get_reason (page), ==, fest_scan_reason_to_text (FEST_SCAN_REASON_WRONG_FESTIVAL));
  screenshot (window, "scanner-refused");
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);

  /* Exit mode: this ticket type has no re-entry: refused with the reason. */
  fest_scanner_page_set_exit (page, TRUE);
  fest_station_window_simulate_scan (window, ticket);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "refused");
  g_assert_cmpstr (fest_scanner_page_get_reason (page), ==, fest_scan_reason_to_text (FEST_SCAN_REASON_NO_REENTRY));
  fest_scanner_page_set_exit (page, FALSE);

  /* A DUPLICATE_ENTRY alert pulled from the server is shown to the gate. */
  g_assert_null (fest_scanner_page_get_alert (page));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) changes = fest_json_parse (
      "{\"alerts\":[{\"id\":\"a1\",\"type\":\"DUPLICATE_ENTRY\",\"entity_type\":\"ticket\","
      "\"entity_id\":\"11111111-1111-4111-8111-111111111111\",\"details\":{\"gate\":\"South\"},"
      "\"rev\":9}],\"cursor\":\"9\"}", -1, &error);

    g_assert_no_error (error);
    fest_station_store_apply_changes (store, json_node_get_object (changes), NULL, &error);
    g_assert_no_error (error);
  }
  fest_scanner_page_show_alerts (page);
  g_assert_nonnull (fest_scanner_page_get_alert (page));
  g_assert_nonnull (strstr (fest_scanner_page_get_alert (page), "South"));
  screenshot (window, "scanner-alert");

  close_window (window, store);
}

static void
test_security (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("security", &store);
  FestSecurityPage *page = FEST_SECURITY_PAGE (fest_station_window_get_page (window));
  g_autoptr(GPtrArray) pending = NULL;

  fest_security_page_report (page, "MEDICAL", "Someone fainted near the main stage");
  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (pending, 0))->op, ==, "incident.create");
  g_assert_nonnull (strstr (((FestOutboxOp *) g_ptr_array_index (pending, 0))->payload, "47.21"));
  screenshot (window, "security");

  /* Leaving kiosk mode needs the organiser PIN: closing only asks for it. */
  {
    g_autoptr(GError) error = NULL;

    fest_station_store_set_pin (store, "1234", &error);
    g_assert_no_error (error);
    gtk_window_close (GTK_WINDOW (window));
    g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
    screenshot (window, "pin");
  }

  close_window (window, store);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Human typing through the wedge still reaches the focused field. */
static void
test_wedge_typing (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("scanner", &store);
  GtkWidget *focus;
  gint64 t = g_get_monotonic_time ();

  /* Focus the ticket code entry (the first editable after the gate). */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  if (focus == NULL || !GTK_IS_EDITABLE (focus))
    {
      GtkWidget *page = fest_station_window_get_page (window);
      gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
      focus = gtk_root_get_focus (GTK_ROOT (window));
    }
  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), "");
  fest_station_window_feed_key (window, FEST_WEDGE_KEY_CHAR, "G", t);
  fest_station_window_feed_key (window, FEST_WEDGE_KEY_CHAR, "2", t + 300 * G_TIME_SPAN_MILLISECOND);
  /* The held key comes back after the gap. */
  fest_app_test_wait (never, NULL, 150);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focus)), ==, "G2");

  close_window (window, store);
}

typedef struct
{
  FestStationWindow *window;
} WaitData;

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

static gboolean
is_revoked_view (gpointer data)
{
  return g_strcmp0 (fest_station_window_get_view (data), "revoked") == 0;
}

/* Enrollment with a device token from the Team page, then online sales through the outbox. */
static void
test_enroll_online (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *bar_id = NULL;
  g_autofree char *desk_id = NULL;
  g_autofree char *beer_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *desk_token = NULL;
  g_autofree char *bar_token = NULL;
  FestStationWindow *desk, *bar;
  FestStationStore *store;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Main bar\",\"type\":\"BAR\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}"), ==, 201);
  bar_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Tokens desk\",\"type\":\"RECHARGE\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}"), ==, 201);
  desk_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/products", server->token, &reply,
                                           "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":500,"
                                           "\"vat_rate\":20,\"category\":\"Drinks\",\"stock\":null}", bar_id), ==, 201);
  beer_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  wallet_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));
  desk_token = fest_app_test_create_device (server, desk_id, "recharge");
  bar_token = fest_app_test_create_device (server, bar_id, "cashier");

  client = fest_client_new (server->url);

  /* The recharge desk: enrolled from the form, then 2 € received credit 20 Jetons online. */
  desk = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, "recharge", NULL));
  g_assert_nonnull (desk);
  gtk_window_unfullscreen (GTK_WINDOW (desk));
  gtk_window_set_default_size (GTK_WINDOW (desk), 1280, 800);
  gtk_window_present (GTK_WINDOW (desk));
  while (g_strcmp0 (fest_station_window_get_view (desk), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (fest_station_window_get_view (desk), ==, "enroll");
  screenshot (desk, "enroll");
  fest_station_window_enroll (desk, server->url, desk_token, "2468");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FestOutboxOp) open = fest_station_store_open_cash_shift (fest_station_window_get_store (desk), 0,
                                                                       &error);

    g_assert_no_error (error);
  }
  fest_recharge_page_set_received (FEST_RECHARGE_PAGE (fest_station_window_get_page (desk)), 200);
  fest_station_window_simulate_scan (desk, wallet_code);
  /* Online: POST /transactions, then recorded as acknowledged. */
  g_assert_true (fest_recharge_page_get_crediting (FEST_RECHARGE_PAGE (fest_station_window_get_page (desk))));
  g_assert_true (fest_app_test_wait (is_credit_answered, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  g_assert_cmpuint (fest_station_store_count_pending (fest_station_window_get_store (desk)), ==, 0);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 2000);
  screenshot (desk, "recharge-online");
  store = g_object_ref (fest_station_window_get_store (desk));
  g_assert_true (fest_station_store_check_pin (store, "2468"));
  gtk_window_destroy (GTK_WINDOW (desk));
  g_object_unref (store);

  /* The bar: enrolled the same way; a beer sold online. */
  bar = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, "cashier", NULL));
  gtk_window_unfullscreen (GTK_WINDOW (bar));
  gtk_window_present (GTK_WINDOW (bar));
  while (g_strcmp0 (fest_station_window_get_view (bar), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  fest_station_window_enroll (bar, server->url, bar_token, "1357");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, bar, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  open_shift (bar);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  fest_cashier_page_add_product (FEST_CASHIER_PAGE (fest_station_window_get_page (bar)), beer_id);
  g_assert_cmpint (fest_cashier_page_get_total (FEST_CASHIER_PAGE (fest_station_window_get_page (bar))), ==, 500);
  fest_station_window_simulate_scan (bar, wallet_code);
  /* The online path: POST /transactions, the Charge button spins meanwhile. */
  g_assert_true (fest_cashier_page_get_charging (FEST_CASHIER_PAGE (fest_station_window_get_page (bar))));
  g_assert_true (fest_app_test_wait (is_charge_answered, bar, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  while (fest_cashier_page_get_n_items (FEST_CASHIER_PAGE (fest_station_window_get_page (bar))) > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 1500);
  screenshot (bar, "cashier-online");

  /* Undo it (acknowledged, within 2 minutes): a CANCEL goes through the outbox too. */
  fest_cashier_page_cancel_last (FEST_CASHIER_PAGE (fest_station_window_get_page (bar)));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 2000);
  {
    g_autoptr(GPtrArray) rejected = fest_station_store_list_rejected (fest_station_window_get_store (bar));
    g_assert_cmpuint (rejected->len, ==, 0);
  }
  gtk_window_destroy (GTK_WINDOW (bar));
}

/* The demo path: given the organiser's token, the station enrolls itself (POST /devices), pulls
 * the ticket key and admits a ticket issued by the server; the entry reaches the server. */
static void
test_demo_enroll_scanner (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *qr = NULL;
  FestStationWindow *gate;
  FestScannerPage *page;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/ticket-types", server->token, &reply,
                                           "{\"name\":\"Pass\",\"code\":\"PASS\",\"price\":0,\"quota\":null,"
                                           "\"valid_from\":\"2026-01-01T00:00:00Z\","
                                           "\"valid_until\":\"2030-01-01T00:00:00Z\",\"reentry_allowed\":false}"), ==, 201);
  type_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/tickets", server->token, &reply,
                                           "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Grace Hopper\","
                                           "\"holder_email\":\"grace@example.org\"}", type_id), ==, 201);
  qr = g_strdup (fest_app_test_json_string (reply, "data.qr_code"));
  g_clear_pointer (&reply, json_node_unref);

  gate = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, "scanner", server->token));
  gtk_window_unfullscreen (GTK_WINDOW (gate));
  gtk_window_present (GTK_WINDOW (gate));
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, gate, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, gate, 20000));
  page = FEST_SCANNER_PAGE (fest_station_window_get_page (gate));

  fest_station_window_simulate_scan (gate, qr);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, gate, 20000));
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/stats", server->token, &reply, NULL), ==, 200);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (
                     json_object_get_object_member (json_node_get_object (reply), "data"), "entries"), "total"), ==, 1);
  screenshot (gate, "scanner-demo");
  gtk_window_destroy (GTK_WINDOW (gate));
}

/* Online, the server decides: its refusal is shown in words with its figures and nothing is
 * recorded; an accepted sale is recorded as acknowledged. Then the organiser revokes the device: the
 * station blocks with the count of operations it keeps; enrolled again, it sends them. */
static void
test_online_refusal_and_revoked (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bar_id = NULL;
  g_autofree char *beer_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *token = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *device_path = NULL;
  g_autofree char *new_token = NULL;
  g_autofree char *available = NULL;
  FestStationWindow *bar;
  FestCashierPage *page;
  FestStationStore *store;
  FestSaleLine line = { NULL, 1 };

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
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/devices", server->token, &reply,
                                           "{\"name\":\"Bar station\",\"stand_id\":\"%s\",\"mode\":\"cashier\"}",
                                           bar_id), ==, 201);
  token = g_strdup (fest_app_test_json_string (reply, "data.token"));
  device_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  client = fest_client_new (server->url);
  bar = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, "cashier", NULL));
  gtk_window_unfullscreen (GTK_WINDOW (bar));
  gtk_window_set_default_size (GTK_WINDOW (bar), 1280, 800);
  gtk_window_present (GTK_WINDOW (bar));
  while (g_strcmp0 (fest_station_window_get_view (bar), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  fest_station_window_enroll (bar, server->url, token, "1357");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, bar, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  page = FEST_CASHIER_PAGE (fest_station_window_get_page (bar));
  store = fest_station_window_get_store (bar);
  open_shift (bar);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));

  /* An empty wallet: the server refuses, the station says why, with the server's figures. */
  fest_cashier_page_add_product (page, beer_id);
  fest_cashier_page_add_product (page, beer_id);
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (is_charge_answered, bar, 20000));
  available = fest_station_window_format_money (bar, 0);
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), available));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 1);
  /* Only the shift's opening is in the outbox: the refused sale is not. */
  ops = fest_station_store_list_all_ops (store);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (ops, 0))->op, ==, "shift.open");
  screenshot (bar, "cashier-server-refused");

  /* Credited at the desk (elsewhere); the same sale goes through online, acknowledged at once. */
  {
    g_autofree char *key = fest_uuid_new ();
    g_autoptr(SoupMessage) message = NULL;
    g_autofree char *url = g_strdup_printf ("%s/api/v1/transactions", server->url);
    g_autofree char *auth = g_strdup_printf ("Bearer %s", server->token);
    g_autofree char *body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":2000,"
                                             "\"payment_method\":\"CASH\"}", wallet_id);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr(GBytes) answer = NULL;

    message = soup_message_new ("POST", url);
    soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
    soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key", key);
    soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    answer = soup_session_send_and_read (fest_client_get_session (client), message, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (soup_message_get_status (message), ==, 201);
  }
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (is_charge_answered, bar, 20000));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 0);
  g_clear_pointer (&ops, g_ptr_array_unref);
  ops = fest_station_store_list_all_ops (store);
  g_assert_cmpuint (ops->len, ==, 2);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (ops, 1))->op, ==, "transaction.create");
  g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (ops, 1))->state, ==, FEST_OUTBOX_ACKED);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, wallet_code), ==, 1000);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 1000);

  /* Revoked on the Team page; meanwhile a sale was queued offline on this station. */
  device_path = g_strdup_printf ("/devices/%s", device_id);
  g_assert_cmpuint (fest_app_test_request (server, "DELETE", device_path, server->token, NULL, NULL), ==, 200);
  line.product_id = beer_id;
  {
    g_autoptr(FestOutboxOp) op = fest_station_store_record_payment (store, wallet_code, &line, 1, 0, NULL, &error);
    g_assert_no_error (error);
  }
  fest_station_window_operation_queued (bar);
  g_assert_true (fest_app_test_wait (is_revoked_view, bar, 20000));
  g_assert_true (fest_sync_engine_get_revoked (fest_station_window_get_engine (bar)));
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);
  screenshot (bar, "revoked");

  /* Enrolled again with a new token of the same festival: the kept sale goes out. */
  new_token = fest_app_test_create_device (server, bar_id, "cashier");
  fest_station_window_enroll (bar, server->url, new_token, "1357");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, bar, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_false (fest_sync_engine_get_revoked (fest_station_window_get_engine (bar)));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 500);
  gtk_window_destroy (GTK_WINDOW (bar));
}

/* Real keys: xdotool types into the Xvfb display as a person (or a scanner) would, through the X
 * server, the window's key controller and the focused widget. */


/* Types @text with @delay_ms between keys. */
static void
type_text (const char *text,
           guint       delay_ms)
{
  g_autofree char *delay = g_strdup_printf ("%u", delay_ms);

  fest_app_test_xdotool ("type", "--delay", delay, text, NULL);
}

static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *product_id)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) &&
      (product_id == NULL || g_strcmp0 (g_object_get_data (G_OBJECT (root), "product-id"), product_id) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, product_id);

      if (found != NULL)
        return found;
    }
  return NULL;
}

typedef struct
{
  GtkEditable *editable;
  const char  *text;
} TextWait;

static gboolean
editable_has_text (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (wait->editable), wait->text) == 0;
}

static gboolean
cart_is_empty (gpointer data)
{
  return fest_cashier_page_get_n_items (data) == 0;
}

/* A wallet code typed by hand after tapping a product: every character reaches the wallet field
 * (scanner speed and human speed), the cart keeps one item, and Enter pays. */
static void
check_typed_code (guint delay_ms)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  GtkEditable *entry = fest_cashier_page_get_code_entry (page);
  GtkWidget *tile = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, BEER_ID);
  TextWait wait = { entry, WALLET_CODE };
  g_autoptr(GPtrArray) pending = NULL;

  open_shift (window);
  g_assert_nonnull (tile);
  fest_app_test_click (tile);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);
  g_assert_true (gtk_widget_has_focus (tile));

  /* Enter on the tile with nothing typed: no second beer. */
  fest_app_test_xdotool ("key", "Return", NULL);
  fest_app_test_wait (never, NULL, 200);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);

  type_text (WALLET_CODE, delay_ms);
  g_assert_true (fest_app_test_wait (editable_has_text, &wait, 5000));
  g_assert_cmpstr (gtk_editable_get_text (entry), ==, WALLET_CODE);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);

  fest_app_test_xdotool ("key", "Return", NULL);
  g_assert_true (fest_app_test_wait (cart_is_empty, page, 5000));
  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 2);   /* the shift's opening, then the sale */
  g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (pending, 1))->amount_delta, ==, -500);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 1500);
  screenshot (window, delay_ms < 50 ? "cashier-typed-fast" : "cashier-typed");

  close_window (window, store);
}

static void
test_typed_code_scanner_speed (void)
{
  check_typed_code (20);
}

static void
test_typed_code_human_speed (void)
{
  check_typed_code (150);
}

/* A scanner set to a US layout typing into the focused wallet field: the code is fixed (and the
 * cashier told), as for a burst caught outside any field. */
static void
test_typed_code_us_layout (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  GtkEditable *entry = fest_cashier_page_get_code_entry (page);
  TextWait wait = { entry, WALLET_CODE_AZERTY };
  g_autoptr(GPtrArray) pending = NULL;

  open_shift (window);
  fest_cashier_page_add_product (page, BEER_ID);
  fest_app_test_click (GTK_WIDGET (entry));
  type_text (WALLET_CODE_AZERTY, 5);
  g_assert_true (fest_app_test_wait (editable_has_text, &wait, 5000));
  fest_app_test_xdotool ("key", "Return", NULL);
  g_assert_true (fest_app_test_wait (cart_is_empty, page, 5000));
  g_assert_cmpstr (fest_station_window_get_last_toast (window), ==,
                   _("Your scanner is set to a US keyboard layout: set it to French (AZERTY)"));
  pending = fest_station_store_list_pending (store, 10);
  g_assert_cmpuint (pending->len, ==, 2);   /* the shift's opening, then the sale */
  g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (pending, 1))->amount_delta, ==, -500);

  close_window (window, store);
}

typedef struct
{
  GtkTextBuffer *buffer;
  const char    *text;
} BufferWait;

static gboolean
buffer_has_text (gpointer data)
{
  BufferWait *wait = data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (wait->buffer, &start, &end);
  text = gtk_text_buffer_get_text (wait->buffer, &start, &end, FALSE);
  return g_strcmp0 (text, wait->text) == 0;
}

/* "What happened?" takes what the guard types, slowly or fast. */
static void
test_security_typing (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("security", &store);
  GtkWidget *page = fest_station_window_get_page (window);
  GtkWidget *description = find_widget (page, GTK_TYPE_TEXT_VIEW, NULL);
  BufferWait wait = { NULL, "Fight near the bar, two people" };

  g_assert_nonnull (description);
  wait.buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (description));
  fest_app_test_click (description);
  g_assert_true (gtk_widget_has_focus (description));
  type_text ("Fight near the bar", 20);
  type_text (", two people", 150);
  g_assert_true (fest_app_test_wait (buffer_has_text, &wait, 5000));
  screenshot (window, "security-typed");

  close_window (window, store);
}

typedef struct
{
  FestStationWindow *window;
  const char        *text;
} ToastWait;

static gboolean
toast_is (gpointer data)
{
  ToastWait *wait = data;

  return g_strcmp0 (fest_station_window_get_last_toast (wait->window), wait->text) == 0;
}

static char *
create_stand (FestAppTestServer *server,
              const char        *name)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"%s\",\"type\":\"BAR\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}", name), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

static guint
count_incidents (FestAppTestServer *server,
                 const char        *type)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/incidents?type=%s", type);

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "data"));
}

/* "Incident reported" only for what the server took: a theft without words is not queued (the
 * server would refuse it) and the guard is told; an SOS goes with its position alone and is
 * reported once the server has it. */
static void
test_security_report_truthful (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *stand_id = create_stand (server, "Gate A");
  FestStationWindow *window = fest_app_test_enrolled_station (server, client, stand_id, "security");
  FestSecurityPage *page = FEST_SECURITY_PAGE (fest_station_window_get_page (window));
  FestStationStore *store = fest_station_window_get_store (window);
  ToastWait wait = { window, NULL };
  g_autoptr(GPtrArray) ops = NULL;

  fest_security_page_report (page, "THEFT", "  ");
  g_assert_cmpstr (fest_station_window_get_last_toast (window), ==,
                   _("Say what happened (SOS, medical and fire can be reported without a description)"));
  ops = fest_station_store_list_recent_ops (store, "INCIDENT", 10);
  g_assert_cmpuint (ops->len, ==, 0);
  g_clear_pointer (&ops, g_ptr_array_unref);

  fest_security_page_report (page, "SOS", "");
  g_assert_cmpstr (fest_station_window_get_last_toast (window), ==, _("Sending the incident…"));
  wait.text = _("Incident reported");
  g_assert_true (fest_app_test_wait (toast_is, &wait, 20000));
  g_assert_cmpuint (count_incidents (server, "SOS"), ==, 1);
  ops = fest_station_store_list_recent_ops (store, "INCIDENT", 10);
  g_assert_cmpuint (ops->len, ==, 1);
  g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (ops, 0))->state, ==, FEST_OUTBOX_ACKED);
  screenshot (window, "security-reported");

  /* A report the server refuses (a description beyond its 2000 characters) is not said to be
   * reported: the guard gets the server's reason. */
  {
    g_autofree char *long_text = g_strnfill (2001, 'x');
    g_autofree char *refused = NULL;

    fest_security_page_report (page, "FIGHT", long_text);
    g_assert_cmpstr (fest_station_window_get_last_toast (window), ==, _("Sending the incident…"));
    g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
    refused = g_strdup_printf (_("The server refused the incident: %s"), "description must be at most 2000 characters");
    wait.text = refused;
    g_assert_true (fest_app_test_wait (toast_is, &wait, 20000));
    g_assert_cmpuint (count_incidents (server, "FIGHT"), ==, 0);
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
post_transaction (FestAppTestServer *server,
                  FestClient        *client,
                  const char        *body)
{
  g_autofree char *key = fest_uuid_new ();
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = g_strdup_printf ("%s/api/v1/transactions", server->url);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", server->token);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  message = soup_message_new ("POST", url);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Authorization", auth);
  soup_message_headers_replace (soup_message_get_request_headers (message), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (message, "application/json", bytes);
  answer = soup_session_send_and_read (fest_client_get_session (client), message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 201);
}

/* A 5.00 beer at @bar_id and a wallet holding 50.00, recharged online. */
static void
beer_and_wallet (FestAppTestServer *server,
                 FestClient        *client,
                 const char        *bar_id,
                 char             **beer_id,
                 char             **wallet_id,
                 char             **wallet_code)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *body = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/products", server->token, &reply,
                                           "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":500,"
                                           "\"vat_rate\":20,\"category\":\"Drinks\",\"stock\":null}", bar_id), ==, 201);
  *beer_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  *wallet_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  *wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));
  body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":5000,\"payment_method\":\"CASH\"}",
                          *wallet_id);
  post_transaction (server, client, body);
}

static void
sell (FestStationWindow *bar,
      const char        *product_id,
      guint              quantity,
      const char        *wallet_code)
{
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (bar));

  for (guint i = 0; i < quantity; i++)
    fest_cashier_page_add_product (page, product_id);
  fest_station_window_simulate_scan (bar, wallet_code);
  g_assert_true (fest_app_test_wait (is_charge_answered, bar, 20000));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 0);
}

static gboolean
cancel_answered (gpointer data)
{
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (data));

  return g_strcmp0 (fest_cashier_page_get_message (page), _("Cancelling the last sale…")) != 0;
}

/* The sale id the station's outbox has for its last acknowledged payment. */
static char *
last_sale_id (FestStationStore *store)
{
  g_autoptr(FestOutboxOp) sale = fest_station_store_get_last_sale (store);
  g_autoptr(JsonNode) entity = NULL;

  g_assert_nonnull (sale);
  entity = fest_json_parse (sale->entity, -1, NULL);
  return g_strdup (json_object_get_string_member (json_node_get_object (entity), "id"));
}

/* How many transactions of @type a station made at @stand_id, as the server's ledger has them;
 * @amount (nullable) gets their total. */
static guint
count_station_transactions (FestAppTestServer *server,
                            const char        *stand_id,
                            const char        *type,
                            gint64            *amount)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/transactions?stand_id=%s&type=%s&per_page=500", stand_id, type);
  JsonArray *rows;
  guint n = 0;

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  rows = json_object_get_array_member (json_node_get_object (reply), "data");
  if (amount != NULL)
    *amount = 0;
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (json_object_get_string_member_with_default (row, "device_id", NULL) == NULL)
        continue;
      n++;
      if (amount != NULL)
        *amount += json_object_get_int_member (row, "amount");
    }
  return n;
}

/* "Cancel last sale" says done only when the server took the cancel; a second press after a
 * cancel is not offered; a cancel the server refuses leaves the sale a sale, says why, and the
 * shift report agrees with the server. */
static void
test_cancel_truthful (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *bar_id = create_stand (server, "Main bar");
  g_autofree char *beer_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *body = NULL;
  g_autofree char *sale_id = NULL;
  g_autofree char *back = NULL;
  g_autofree char *done = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  FestStationWindow *bar;
  FestCashierPage *page;
  FestStationStore *store;
  guint n_ops;

  beer_and_wallet (server, client, bar_id, &beer_id, &wallet_id, &wallet_code);

  bar = fest_app_test_enrolled_station (server, client, bar_id, "cashier");
  page = FEST_CASHIER_PAGE (fest_station_window_get_page (bar));
  open_shift (bar);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  store = fest_station_window_get_store (bar);
  g_assert_false (fest_cashier_page_get_can_cancel (page));

  /* Two sales; the second is cancelled, said so once the server took it. */
  sell (bar, beer_id, 1, wallet_code);
  sell (bar, beer_id, 2, wallet_code);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 3500);
  g_assert_true (fest_cashier_page_get_can_cancel (page));
  fest_cashier_page_cancel_last (page);
  g_assert_false (fest_cashier_page_get_can_cancel (page));
  g_assert_true (fest_app_test_wait (cancel_answered, bar, 20000));
  back = fest_station_window_format_money (bar, 1000);
  done = g_strdup_printf (_("Last sale cancelled: %s back on the wallet"), back);
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, done);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4500);

  /* The first sale is no longer this station's last one: nothing to cancel, nothing queued. */
  g_assert_false (fest_cashier_page_get_can_cancel (page));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    n_ops = ops->len;
  }
  fest_cashier_page_cancel_last (page);
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), _("There is no sale to cancel")));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    g_assert_cmpuint (ops->len, ==, n_ops);
  }
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4500);
  summary = fest_station_store_get_shift_summary (store);
  g_assert_cmpuint (summary->n_sales, ==, 1);
  g_assert_cmpuint (summary->n_cancels, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 500);
  g_clear_pointer (&summary, fest_shift_summary_free);

  /* A third sale, refunded at the back office meanwhile: the server refuses the cancel. The
   * station says why, the sale stays a sale, the wallet keeps what the server says. */
  sell (bar, beer_id, 1, wallet_code);
  sale_id = last_sale_id (store);
  g_free (body);
  body = g_strdup_printf ("{\"type\":\"REFUND\",\"wallet_id\":\"%s\",\"amount\":500,\"reference\":\"%s\"}",
                          wallet_id, sale_id);
  post_transaction (server, client, body);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4500);
  g_assert_true (fest_cashier_page_get_can_cancel (page));
  fest_cashier_page_cancel_last (page);
  g_assert_true (fest_app_test_wait (cancel_answered, bar, 20000));
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), "already cancelled or refunded"));
  g_assert_cmpstr (fest_cashier_page_get_message (page), !=, done);
  screenshot (bar, "cashier-cancel-refused");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4500);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, wallet_code), ==, 4500);
  summary = fest_station_store_get_shift_summary (store);
  g_assert_cmpuint (summary->n_sales, ==, 2);
  g_assert_cmpuint (summary->n_cancels, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 1000);
  /* The server's ledger for this station: 3 payments (−2000), 1 cancel (+1000). */
  {
    gint64 paid = 0, cancelled = 0;
    guint n_payments = count_station_transactions (server, bar_id, "PAYMENT", &paid);
    guint n_cancels = count_station_transactions (server, bar_id, "CANCEL", &cancelled);

    g_assert_cmpuint (summary->n_sales, ==, n_payments - n_cancels);
    g_assert_cmpuint (summary->n_cancels, ==, n_cancels);
    g_assert_cmpint (summary->sales_total, ==, -(paid + cancelled));
  }
  /* The refusal is final: that sale is not offered for cancelling again. */
  g_assert_false (fest_cashier_page_get_can_cancel (page));

  gtk_window_destroy (GTK_WINDOW (bar));
}

/* Collects the texts of the labels under @root. */
static void
collect_labels (GtkWidget *root,
                GPtrArray *texts)
{
  if (GTK_IS_LABEL (root))
    g_ptr_array_add (texts, (gpointer) gtk_label_get_text (GTK_LABEL (root)));
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, texts);
}

static gboolean
has_label (GtkWidget  *root,
           const char *text)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new ();

  collect_labels (root, texts);
  return g_ptr_array_find_with_equal_func (texts, text, g_str_equal, NULL);
}

/* The button under @root labelled @label (with its mnemonic), or with the action @action. */
static GtkWidget *
find_button (GtkWidget  *root,
             const char *label,
             const char *action)
{
  if (GTK_IS_BUTTON (root) &&
      ((label != NULL && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0) ||
       (action != NULL && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (root)), action) == 0)))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label, action);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Is a window of @type (a class or an interface) open? */
static gboolean
has_toplevel (GType type)
{
  return fest_app_test_find_toplevel (type) != NULL;
}

static gboolean
any_file_chooser (void)
{
  return has_toplevel (GTK_TYPE_FILE_CHOOSER);
}

/* With a cash shift open, the shift report first asks for the till's count: the count dialog is
 * shown, the shift closed with nothing counted, and the report saved from the dialog. */
static void
close_shift_and_save (FestStationWindow *window)
{
  FestCashShiftDialog *dialog;

  g_assert_true (fest_app_test_wait (shift_dialog_shown, NULL, 5000));
  dialog = find_shift_dialog ();
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Close shift"), NULL));
  g_assert_nonnull (fest_cash_shift_dialog_get_result_text (dialog));
  fest_app_test_click (find_button (GTK_WIDGET (dialog), _("Save the report"), NULL));
  g_assert_true (fest_app_test_wait (shift_dialog_gone, NULL, 5000));
  g_assert_false (fest_station_store_has_cash_shift (fest_station_window_get_store (window)));
}

/* Each cart line shows its own total; the last sale's "Paid" goes once the next cart starts; the
 * shift report is saved to a fixed folder (no file chooser on a kiosk) and can be printed. */
static void
test_cashier_cart_and_report (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  GtkWidget *beer = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, BEER_ID);
  GtkWidget *fries = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, FRIES_ID);
  GtkWidget *cart = find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_BOX, NULL);
  GtkWidget *report, *print;
  g_autofree char *two_beers = fest_money_format (1000, "Jetons");
  g_autofree char *one_fries = fest_money_format (350, "Jetons");
  g_autofree char *one_beer = fest_money_format (500, "Jetons");
  g_autofree char *dir = fest_shift_report_default_dir ();
  g_autofree char *contents = NULL;
  g_autofree char *paid = NULL;
  gsize length = 0;

  open_shift (window);
  g_assert_nonnull (cart);
  fest_app_test_click (beer);
  fest_app_test_click (beer);
  fest_app_test_click (fries);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 1350);
  g_assert_true (has_label (cart, two_beers));
  g_assert_true (has_label (cart, one_fries));
  screenshot (window, "cashier-line-totals");

  /* Paid; then the next customer's first product clears the banner. */
  fest_station_window_simulate_scan (window, WALLET_CODE);
  g_assert_true (fest_app_test_wait (is_charge_answered, window, 20000));
  g_assert_cmpuint (fest_cashier_page_get_n_items (page), ==, 0);
  paid = g_strdup_printf (_("Paid %s"), "");
  g_assert_true (g_str_has_prefix (fest_cashier_page_get_message (page), paid));
  g_assert_true (has_label (GTK_WIDGET (page), fest_cashier_page_get_message (page)));
  fest_app_test_click (beer);
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);
  g_assert_null (fest_cashier_page_get_message (page));
  g_assert_true (has_label (cart, one_beer));
  {
    g_autoptr(GPtrArray) texts = g_ptr_array_new ();

    collect_labels (GTK_WIDGET (page), texts);
    for (guint i = 0; i < texts->len; i++)
      g_assert_false (g_str_has_prefix (g_ptr_array_index (texts, i), paid));
  }
  screenshot (window, "cashier-next-cart");

  /* The shift report: saved in the fixed folder, no file chooser, printable. */
  report = find_button (GTK_WIDGET (page), _("Shift _Report"), NULL);
  print = find_button (GTK_WIDGET (page), NULL, "cashier.print-report");
  g_assert_nonnull (report);
  g_assert_nonnull (print);
  g_assert_false (gtk_widget_get_visible (print));
  fest_app_test_click (report);
  close_shift_and_save (window);
  fest_app_test_wait (never, NULL, 300);
  g_assert_false (any_file_chooser ());
  g_assert_nonnull (fest_cashier_page_get_report_path (page));
  g_assert_true (g_str_has_prefix (fest_cashier_page_get_report_path (page), dir));
  g_assert_true (g_file_get_contents (fest_cashier_page_get_report_path (page), &contents, &length, NULL));
  g_assert_cmpuint (length, >, 4);
  g_assert_true (g_str_has_prefix (contents, "%PDF"));
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), fest_cashier_page_get_report_path (page)));
  g_assert_true (gtk_widget_get_visible (print));
  g_assert_true (gtk_widget_is_sensitive (print));
  screenshot (window, "cashier-report-saved");

  close_window (window, store);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(char * const *) a, *(char * const *) b);
}

/* The server's RECHARGE transactions of @wallet_id, oldest first: "amount:METHOD" each. */
static char *
wallet_recharges (FestAppTestServer *server,
                  const char        *wallet_id)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/transactions?wallet_id=%s&type=RECHARGE&per_page=500", wallet_id);
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  JsonArray *rows;

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  rows = json_object_get_array_member (json_node_get_object (reply), "data");
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_ptr_array_add (items, g_strdup_printf ("%" G_GINT64_FORMAT ":%s", json_object_get_int_member (row, "amount"),
                                               json_object_get_string_member_with_default (row, "payment_method", "")));
    }
  g_ptr_array_sort (items, compare_strings);
  g_ptr_array_add (items, NULL);
  return g_strjoinv (" ", (char **) items->pdata);
}

static gboolean
is_credit_done (gpointer data)
{
  FestRechargePage *page = FEST_RECHARGE_PAGE (fest_station_window_get_page (data));

  return !fest_recharge_page_get_crediting (page) && fest_recharge_page_get_amount (page) == 0;
}

/* The recharge desk takes euros: a tap on "€20.00" at 10 cents a jeton shows and credits 200
 * jetons, paid in cash; 15 € typed on the keypad and paid by card credit 150, recorded CARD. */
static void
test_recharge_euros (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *desk_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *twenty = fest_money_format_eur (2000);
  g_autofree char *units = fest_money_format (20000, "Jetons");
  g_autofree char *credits = g_strdup_printf (_("Credits %s"), units);
  g_autofree char *recharges = NULL;
  FestStationWindow *desk;
  FestRechargePage *page;
  GtkWidget *button;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Tokens desk\",\"type\":\"RECHARGE\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}"), ==, 201);
  desk_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  wallet_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));

  desk = fest_app_test_enrolled_station (server, client, desk_id, "recharge");
  page = FEST_RECHARGE_PAGE (fest_station_window_get_page (desk));
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(FestOutboxOp) open = fest_station_store_open_cash_shift (fest_station_window_get_store (desk), 0,
                                                                       &error);

    g_assert_no_error (error);
  }
  /* The page laid out and on screen before a pointer goes to it. */
  gtk_test_widget_wait_for_draw (GTK_WIDGET (desk));

  /* A 20 € note: the page shows the 200 jetons it makes before anything is credited. */
  button = find_button (GTK_WIDGET (page), twenty, NULL);
  g_assert_nonnull (button);
  fest_app_test_click (button);
  g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 20000);
  g_assert_cmpstr (fest_recharge_page_get_conversion (page), ==, credits);
  g_assert_true (has_label (GTK_WIDGET (page), credits));
  g_assert_true (has_label (GTK_WIDGET (page), twenty));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 0);
  screenshot (desk, "recharge-note");
  fest_station_window_simulate_scan (desk, wallet_code);
  g_assert_true (fest_app_test_wait (is_credit_done, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 20000);
  recharges = wallet_recharges (server, wallet_id);
  g_assert_cmpstr (recharges, ==, "20000:CASH");
  g_clear_pointer (&recharges, g_free);

  /* By card, 15 € typed on the keypad. */
  fest_app_test_click (find_button (GTK_WIDGET (page), _("Ca_rd"), NULL));
  fest_app_test_click (find_button (GTK_WIDGET (page), "1", NULL));
  fest_app_test_click (find_button (GTK_WIDGET (page), "5", NULL));
  g_assert_cmpint (fest_recharge_page_get_amount (page), ==, 15000);
  {
    g_autofree char *card_units = fest_money_format (15000, "Jetons");
    g_autofree char *card_credits = g_strdup_printf (_("Credits %s"), card_units);

    g_assert_cmpstr (fest_recharge_page_get_conversion (page), ==, card_credits);
  }
  screenshot (desk, "recharge-card");
  fest_station_window_simulate_scan (desk, wallet_code);
  g_assert_true (fest_app_test_wait (is_credit_done, desk, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 35000);
  recharges = wallet_recharges (server, wallet_id);
  g_assert_cmpstr (recharges, ==, "15000:CARD 20000:CASH");

  gtk_window_destroy (GTK_WINDOW (desk));
}

/* A gate scanner enrolled on @server with a store of its own (two stations on one machine). */
static FestStationWindow *
gate_station (FestAppTestServer *server,
              FestClient        *client,
              const char        *gate)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestStationStore) store = NULL;
  g_autofree char *name = g_strdup_printf ("gate-%s.db", gate);
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);
  FestStationWindow *window;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/devices", server->token, &reply,
                                           "{\"name\":\"%s\",\"mode\":\"scanner\"}", gate), ==, 201);
  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, server->url, fest_app_test_json_string (reply, "data.id"), gate,
                             server->festival_id, NULL, "scanner", &error);
  g_assert_no_error (error);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GATE, gate, &error);
  g_assert_no_error (error);
  window = FEST_STATION_WINDOW (fest_station_window_new_with_store (NULL, client, "scanner", store,
                                                                    fest_app_test_json_string (reply, "data.token")));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  return window;
}

/* The local time of the entry @gate_window queued, as the scanner page shows times. */
static char *
queued_scan_time (FestStationWindow *gate_window)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (fest_station_window_get_store (gate_window));
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GDateTime) local = NULL;

  g_assert_cmpuint (ops->len, ==, 1);
  payload = fest_json_parse (((FestOutboxOp *) g_ptr_array_index (ops, 0))->payload, -1, NULL);
  time = fest_time_parse (json_object_get_string_member (json_node_get_object (payload), "scanned_at"));
  g_assert_nonnull (time);
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%X");
}

typedef struct
{
  FestStationWindow *north;
  FestStationWindow *south;
} GatePair;

static gboolean
any_gate_alert (gpointer data)
{
  GatePair *gates = data;

  return fest_scanner_page_get_alert (FEST_SCANNER_PAGE (fest_station_window_get_page (gates->north))) != NULL ||
         fest_scanner_page_get_alert (FEST_SCANNER_PAGE (fest_station_window_get_page (gates->south))) != NULL;
}

/* Two gates, offline, both let the same ticket in: after the sync, the duplicate-entry alert says
 * whose ticket it is, of which type, and where and when each admission was. */
static void
test_duplicate_entry_alert (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *north_at = NULL;
  g_autofree char *south_at = NULL;
  g_autofree char *expected = NULL;
  GatePair gates;
  FestStationWindow *shown;
  const char *alert;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/ticket-types", server->token, &reply,
                                           "{\"name\":\"3-day pass\",\"code\":\"PASS3D\",\"price\":0,"
                                           "\"quota\":null,\"valid_from\":\"2026-01-01T00:00:00Z\","
                                           "\"valid_until\":\"2030-01-01T00:00:00Z\",\"reentry_allowed\":false}"), ==, 201);
  type_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/tickets", server->token, &reply,
                                           "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Ada Lovelace\","
                                           "\"holder_email\":\"ada@example.org\"}", type_id), ==, 201);
  qr = g_strdup (fest_app_test_json_string (reply, "data.qr_code"));

  gates.north = gate_station (server, client, "North gate");
  gates.south = gate_station (server, client, "South gate");

  /* The network goes: each gate decides alone, and both admit the ticket. */
  fest_app_test_server_stop (server);
  fest_station_window_simulate_scan (gates.north, qr);
  g_assert_cmpstr (fest_scanner_page_get_verdict (FEST_SCANNER_PAGE (fest_station_window_get_page (gates.north))), ==,
                   "accept");
  fest_app_test_wait (never, NULL, 1100);
  fest_station_window_simulate_scan (gates.south, qr);
  g_assert_cmpstr (fest_scanner_page_get_verdict (FEST_SCANNER_PAGE (fest_station_window_get_page (gates.south))), ==,
                   "accept");
  north_at = queued_scan_time (gates.north);
  south_at = queued_scan_time (gates.south);

  /* Back online: the later admission is the duplicate, raised to the gates. */
  fest_app_test_server_restart (server);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, gates.north, 30000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, gates.south, 30000));
  fest_sync_engine_sync_now (fest_station_window_get_engine (gates.north));
  fest_sync_engine_sync_now (fest_station_window_get_engine (gates.south));
  g_assert_true (fest_app_test_wait (any_gate_alert, &gates, 30000));
  shown = fest_scanner_page_get_alert (FEST_SCANNER_PAGE (fest_station_window_get_page (gates.north))) != NULL
          ? gates.north : gates.south;
  alert = fest_scanner_page_get_alert (FEST_SCANNER_PAGE (fest_station_window_get_page (shown)));
  expected = g_strdup_printf (_("Duplicate entry: %s (%s) was admitted at %s at %s, and again at %s at %s"),
                              "Ada Lovelace", "3-day pass", "North gate", north_at, "South gate", south_at);
  g_assert_cmpstr (alert, ==, expected);
  screenshot (shown, "scanner-duplicate-alert");

  gtk_window_destroy (GTK_WINDOW (gates.north));
  gtk_window_destroy (GTK_WINDOW (gates.south));
}

/* Station actions by their shortcuts, as real keys through the X server: Ctrl+Return charges the
 * code typed, Ctrl+Z does nothing while no sale can be cancelled (an offline sale is not yet the
 * server's), Ctrl+R saves the shift report, Ctrl+comma asks the PIN and opens the settings. */

static void
key (const char *name)
{
  fest_app_test_xdotool ("key", name, NULL);
}

static gboolean
has_message_dialog (gpointer data)
{
  return has_toplevel (ADW_TYPE_MESSAGE_DIALOG);
}

static gboolean
settings_shown (gpointer window)
{
  return g_strcmp0 (fest_station_window_get_view (window), "settings") == 0;
}

static gboolean
cannot_cancel (gpointer data)
{
  return !fest_cashier_page_get_can_cancel (data);
}

static gboolean
has_report (gpointer data)
{
  return fest_cashier_page_get_report_path (data) != NULL;
}

static void
test_shortcuts_cashier (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  GtkEditable *entry = fest_cashier_page_get_code_entry (page);
  GtkWidget *tile = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, BEER_ID);
  TextWait wait = { entry, WALLET_CODE };
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  g_autofree char *dir = fest_shift_report_default_dir ();
  guint n_ops;

  g_assert_true (fest_station_store_set_pin (store, "1357", &error));
  g_assert_no_error (error);
  open_shift (window);

  /* Ctrl+Return: the cart is charged to the code typed. */
  fest_app_test_click (tile);
  type_text (WALLET_CODE, 20);
  g_assert_true (fest_app_test_wait (editable_has_text, &wait, 5000));
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);
  key ("ctrl+Return");
  g_assert_true (fest_app_test_wait (cart_is_empty, page, 5000));
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 1500);
  {
    g_autoptr(GPtrArray) pending = fest_station_store_list_pending (store, 10);

    g_assert_cmpuint (pending->len, ==, 2);   /* the shift's opening, then the sale */
    g_assert_cmpint (((FestOutboxOp *) g_ptr_array_index (pending, 1))->amount_delta, ==, -500);
  }

  /* Ctrl+Z: an offline sale cannot be cancelled yet; nothing is queued, nothing said. */
  g_assert_false (fest_cashier_page_get_can_cancel (page));
  message = g_strdup (fest_cashier_page_get_message (page));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    n_ops = ops->len;
  }
  key ("ctrl+z");
  fest_app_test_wait (never, NULL, 200);
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, message);
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    g_assert_cmpuint (ops->len, ==, n_ops);
  }

  /* Ctrl+R: the till is counted and the shift report saved, as its button does. */
  g_assert_null (fest_cashier_page_get_report_path (page));
  key ("ctrl+r");
  close_shift_and_save (window);
  g_assert_true (fest_app_test_wait (has_report, page, 5000));
  g_assert_true (g_str_has_prefix (fest_cashier_page_get_report_path (page), dir));
  g_assert_nonnull (strstr (fest_cashier_page_get_message (page), fest_cashier_page_get_report_path (page)));

  /* Ctrl+comma: the PIN, then the settings; Escape back to the station. */
  key ("ctrl+comma");
  g_assert_true (fest_app_test_wait (has_message_dialog, NULL, 5000));
  fest_app_test_wait (never, NULL, 200);
  type_text ("1357", 30);
  key ("Return");
  g_assert_true (fest_app_test_wait (settings_shown, window, 20000));
  key ("Escape");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 5000));

  close_window (window, store);
}

/* A code typed by hand, then Enter with a product tile focused: the cart is charged to it. */
static void
test_enter_on_tile (void)
{
  FestStationStore *store = NULL;
  FestStationWindow *window = new_window ("cashier", &store);
  FestCashierPage *page = FEST_CASHIER_PAGE (fest_station_window_get_page (window));
  GtkEditable *entry = fest_cashier_page_get_code_entry (page);
  GtkWidget *tile = find_widget (GTK_WIDGET (page), GTK_TYPE_BUTTON, BEER_ID);
  TextWait wait = { entry, WALLET_CODE };

  open_shift (window);
  fest_app_test_click (tile);
  type_text (WALLET_CODE, 20);
  g_assert_true (fest_app_test_wait (editable_has_text, &wait, 5000));
  g_assert_cmpint (fest_cashier_page_get_total (page), ==, 500);
  gtk_widget_grab_focus (tile);
  key ("Return");
  g_assert_true (fest_app_test_wait (cart_is_empty, page, 5000));
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 1500);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 2);   /* the shift's opening, the sale */

  close_window (window, store);
}

/* Ctrl+Z cancels the last sale once the server has it, as the "Cancel Last Sale" button does. */
static void
test_shortcut_cancel_last (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *bar_id = create_stand (server, "Main bar");
  g_autofree char *beer_id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *back = NULL;
  g_autofree char *done = NULL;
  FestStationWindow *bar;
  FestCashierPage *page;

  beer_and_wallet (server, client, bar_id, &beer_id, &wallet_id, &wallet_code);

  bar = fest_app_test_enrolled_station (server, client, bar_id, "cashier");
  page = FEST_CASHIER_PAGE (fest_station_window_get_page (bar));
  open_shift (bar);
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, bar, 20000));
  sell (bar, beer_id, 2, wallet_code);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 4000);
  g_assert_true (fest_cashier_page_get_can_cancel (page));

  /* A click on the cart (nothing there to press) gives the window the keyboard. */
  fest_app_test_click (find_widget (GTK_WIDGET (page), GTK_TYPE_LIST_BOX, NULL));
  key ("ctrl+z");
  g_assert_true (fest_app_test_wait (cannot_cancel, page, 5000));
  g_assert_true (fest_app_test_wait (cancel_answered, bar, 20000));
  back = fest_station_window_format_money (bar, 1000);
  done = g_strdup_printf (_("Last sale cancelled: %s back on the wallet"), back);
  g_assert_cmpstr (fest_cashier_page_get_message (page), ==, done);
  g_assert_cmpint (wallet_balance (server, wallet_id), ==, 5000);
  g_assert_false (fest_cashier_page_get_can_cancel (page));
  gtk_window_destroy (GTK_WINDOW (bar));
}

int
main (int argc, char *argv[])
{
  fest_app_test_init (&argc, &argv);
  /* The French run shows the French strings, as the app does (FESTIVALS_LOCALEDIR). */
  fest_application_init_i18n ();
  fest_core_init ();
  fest_ticket_keypair_new (public_key, secret_key);

  g_test_add_func ("/fest/station-window/cashier", test_cashier);
  g_test_add_func ("/fest/station-window/recharge", test_recharge);
  g_test_add_func ("/fest/station-window/scanner", test_scanner);
  g_test_add_func ("/fest/station-window/security", test_security);
  g_test_add_func ("/fest/station-window/wedge-typing", test_wedge_typing);
  g_test_add_func ("/fest/station-window/enroll-online", test_enroll_online);
  g_test_add_func ("/fest/station-window/demo-enroll-scanner", test_demo_enroll_scanner);
  g_test_add_func ("/fest/station-window/online-refusal-and-revoked", test_online_refusal_and_revoked);
  g_test_add_func ("/fest/station-window/typed-code-scanner-speed", test_typed_code_scanner_speed);
  g_test_add_func ("/fest/station-window/typed-code-human-speed", test_typed_code_human_speed);
  g_test_add_func ("/fest/station-window/typed-code-us-layout", test_typed_code_us_layout);
  g_test_add_func ("/fest/station-window/security-typing", test_security_typing);
  g_test_add_func ("/fest/station-window/security-report-truthful", test_security_report_truthful);
  g_test_add_func ("/fest/station-window/cancel-truthful", test_cancel_truthful);
  g_test_add_func ("/fest/station-window/cashier-cart-and-report", test_cashier_cart_and_report);
  g_test_add_func ("/fest/station-window/recharge-euros", test_recharge_euros);
  g_test_add_func ("/fest/station-window/duplicate-entry-alert", test_duplicate_entry_alert);
  g_test_add_func ("/fest/station-window/shortcuts-cashier", test_shortcuts_cashier);
  g_test_add_func ("/fest/station-window/enter-on-tile", test_enter_on_tile);
  g_test_add_func ("/fest/station-window/shortcut-cancel-last", test_shortcut_cancel_last);

  return g_test_run ();
}
