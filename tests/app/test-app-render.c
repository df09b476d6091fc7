/* test-app-render.c: renders every shell page to PNG (screenshots/ in the build dir), with data,
 * empty and in error, in the language of the environment ($FEST_RENDER_LANG names the files)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-client.h"
#include "fest-connect-page.h"
#include "fest-dashboard-page.h"
#include "fest-login-page.h"
#include "fest-secrets.h"
#include "fest-window.h"

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static void
render (GtkWidget  *widget,
        const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, lang ());

  /* Let layout, the spinner and CSS settle. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  gtk_test_widget_wait_for_draw (widget);
  fest_app_test_render_png (widget, file);
}

static GtkWidget *
window_with (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

typedef struct
{
  FestWindow *window;
  const char *view;
} ViewWait;

static gboolean
view_is (gpointer data)
{
  ViewWait *wait = data;

  return g_strcmp0 (fest_window_get_view (wait->window), wait->view) == 0;
}

static gboolean
dashboard_ready (gpointer data)
{
  return fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (data)) == FEST_DASHBOARD_READY;
}

static gboolean
dashboard_error (gpointer data)
{
  return fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (data)) == FEST_DASHBOARD_ERROR;
}

static gboolean
connect_idle (gpointer data)
{
  return !fest_connect_page_get_busy (FEST_CONNECT_PAGE (data));
}

static gboolean
login_idle (gpointer data)
{
  return !fest_login_page_get_busy (FEST_LOGIN_PAGE (data));
}

static void
test_render_first_run (void)
{
  GtkWidget *page = fest_connect_page_new ();
  GtkWidget *window = window_with (page, 900, 640);

  render (window, "first-run");

  gtk_widget_activate_action (page, "connect.show-remote", NULL);
  fest_connect_page_set_url (FEST_CONNECT_PAGE (page), "http://127.0.0.1:9");
  gtk_widget_activate_action (page, "connect.connect", NULL);
  g_assert_true (fest_app_test_wait (connect_idle, page, 15000));
  g_assert_nonnull (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  render (window, "connect-error");

  gtk_widget_activate_action (page, "connect.back", NULL);
  gtk_widget_activate_action (page, "connect.show-local", NULL);
  render (window, "first-account");

  /* A password too short is marked while it is typed. */
  fest_connect_page_set_name (FEST_CONNECT_PAGE (page), "Camille Durand");
  fest_connect_page_set_account (FEST_CONNECT_PAGE (page), "camille@example.org", "short");
  render (window, "first-account-short-password");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_render_login (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (FALSE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  GtkWidget *page = fest_login_page_new (client);
  GtkWidget *window = window_with (page, 900, 640);

  render (window, "login");

  fest_login_page_set_email (FEST_LOGIN_PAGE (page), FEST_APP_TEST_EMAIL);
  fest_login_page_set_password (FEST_LOGIN_PAGE (page), "wrong");
  gtk_widget_activate_action (page, "login.sign-in", NULL);
  g_assert_true (fest_app_test_wait (login_idle, page, 15000));
  g_assert_nonnull (fest_login_page_get_error (FEST_LOGIN_PAGE (page)));
  render (window, "login-error");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
fill_festival (FestAppTestServer *server)
{
  static const struct { const char *name; int price; int quantity; } sales[] = {
    { "Main Bar", 450, 6 }, { "Food Truck", 900, 3 }, { "Merch", 2500, 1 },
  };
  g_autoptr(JsonNode) wallet = NULL;
  guint status;

  status = fest_app_test_request (server, "POST", "/wallets", server->token, &wallet,
                                  "{\"holder_name\":\"Camille\"}");
  g_assert_cmpuint (status, ==, 201);
  status = fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                  "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":20000}",
                                  fest_app_test_json_string (wallet, "data.id"));
  g_assert_cmpuint (status, ==, 201);

  /* A few entries at the gate. */
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GDateTime) from = g_date_time_add_days (now, -1);
    g_autoptr(GDateTime) until = g_date_time_add_days (now, 1);
    g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
    g_autofree char *until_text = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");
    g_autoptr(JsonNode) type = NULL;

    status = fest_app_test_request (server, "POST", "/ticket-types", server->token, &type,
                                    "{\"name\":\"Day pass\",\"code\":\"DAY\",\"price\":4500,"
                                    "\"valid_from\":\"%s\",\"valid_until\":\"%s\"}",
                                    from_text, until_text);
    g_assert_cmpuint (status, ==, 201);
    for (guint i = 0; i < 7; i++)
      {
        g_autoptr(JsonNode) ticket = NULL;
        g_autofree char *path = NULL;

        status = fest_app_test_request (server, "POST", "/tickets", server->token, &ticket,
                                        "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Guest %u\"}",
                                        fest_app_test_json_string (type, "data.id"), i);
        g_assert_cmpuint (status, ==, 201);
        path = g_strdup_printf ("/tickets/%s/scan", fest_app_test_json_string (ticket, "data.id"));
        status = fest_app_test_request (server, "POST", path, server->token, NULL,
                                        "{\"gate\":\"North\",\"direction\":\"IN\"}");
        g_assert_cmpuint (status, <, 300);
      }
  }

  for (guint i = 0; i < G_N_ELEMENTS (sales); i++)
    {
      g_autoptr(JsonNode) stand = NULL;
      g_autoptr(JsonNode) product = NULL;

      status = fest_app_test_request (server, "POST", "/stands", server->token, &stand,
                                      "{\"name\":\"%s\",\"type\":\"BAR\"}", sales[i].name);
      g_assert_cmpuint (status, ==, 201);
      status = fest_app_test_request (server, "POST", "/products", server->token, &product,
                                      "{\"stand_id\":\"%s\",\"name\":\"Item\",\"price\":%d,"
                                      "\"vat_rate\":20,\"category\":\"drink\"}",
                                      fest_app_test_json_string (stand, "data.id"), sales[i].price);
      g_assert_cmpuint (status, ==, 201);
      status = fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                      "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                                      "\"lines\":[{\"product_id\":\"%s\",\"quantity\":%d}]}",
                                      fest_app_test_json_string (wallet, "data.id"),
                                      fest_app_test_json_string (stand, "data.id"),
                                      fest_app_test_json_string (product, "data.id"),
                                      sales[i].quantity);
      g_assert_cmpuint (status, ==, 201);
    }
}

static FestWindow *
signed_in_window (FestAppTestServer *server,
                  FestClient        *client)
{
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "backoffice" };

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_true (fest_app_test_wait (dashboard_ready, fest_window_get_dashboard (window), 15000));

  return window;
}

static void
settle (guint ms)
{
  for (guint i = 0; i < ms / 10; i++)
    {
      g_usleep (10000);
      g_main_context_iteration (NULL, FALSE);
    }
}

static void
test_render_empty (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window = signed_in_window (server, client);

  render (GTK_WIDGET (window), "dashboard-empty");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_render_backoffice (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window;
  GtkWidget *dashboard;

  fill_festival (server);
  window = signed_in_window (server, client);
  dashboard = fest_window_get_dashboard (window);
  settle (300);
  render (GTK_WIDGET (window), "dashboard");

  /* Every other page the window lists. */
  {
    static const char *pages[] = { "stands", "tickets", "team", "audit" };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      if (fest_window_show_page (window, pages[i]))
        {
          g_autofree char *name = g_strdup_printf ("page-%s", pages[i]);

          settle (500);
          render (GTK_WIDGET (window), name);
        }
    fest_window_show_page (window, "dashboard");
  }

  /* Narrow: the leaflet folds. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  settle (300);
  render (GTK_WIDGET (window), "dashboard-narrow");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.back", NULL);
  settle (300);
  render (GTK_WIDGET (window), "sidebar-narrow");
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  fest_window_show_page (window, "dashboard");

  /* The server goes away: last figures with the banner. */
  fest_app_test_server_stop (server);
  g_assert_true (fest_app_test_wait (dashboard_error, dashboard, 15000));
  settle (300);
  render (GTK_WIDGET (window), "dashboard-error");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* A cashier in the back office: pointed to the station modes. */
static void
test_render_cashier_role (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "role" };

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/members", server->token, NULL,
                                           "{\"email\":\"cashier@test.festivals\","
                                           "\"name\":\"Camille\",\"password\":\"%s\","
                                           "\"roles\":[\"CASHIER\"]}",
                                           FEST_APP_TEST_PASSWORD), ==, 201);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, "cashier@test.festivals",
                       FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  settle (300);
  render (GTK_WIDGET (window), "role-cashier");
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_render_dashboard_unreachable (void)
{
  g_autoptr(FestClient) client = fest_client_new ("http://127.0.0.1:9");
  GtkWidget *page = fest_dashboard_page_new (client);
  GtkWidget *window = window_with (page, 900, 640);

  fest_dashboard_page_reload (FEST_DASHBOARD_PAGE (page));
  g_assert_true (fest_app_test_wait (dashboard_error, page, 15000));
  render (window, "dashboard-unreachable");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  fest_application_init_i18n ();
  fest_app_test_init (&argc, &argv);
  fest_app_test_load_style ();
  /* No keyring in this test: the file keeps the token. */
  fest_secrets_set_force_fallback (TRUE);

  g_test_add_func ("/fest/app/render/first-run", test_render_first_run);
  g_test_add_func ("/fest/app/render/login", test_render_login);
  g_test_add_func ("/fest/app/render/dashboard-empty", test_render_empty);
  g_test_add_func ("/fest/app/render/backoffice", test_render_backoffice);
  g_test_add_func ("/fest/app/render/dashboard-unreachable", test_render_dashboard_unreachable);
  g_test_add_func ("/fest/app/render/cashier-role", test_render_cashier_role);

  return g_test_run ();
}
