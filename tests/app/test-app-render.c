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
#include "fest-festival-form.h"
#include "fest-festival-settings-page.h"
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

/* The first widget of @type under @root, depth first (popovers included). */
static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_of_type (child, type);

      if (found != NULL)
        return found;
    }

  return NULL;
}

static gboolean
settings_loaded (gpointer data)
{
  return g_strcmp0 (fest_festival_settings_page_get_state (data), "content") == 0;
}

/* Pops up @button's popover and renders it on its own (it is a surface of its own). */
static void
render_popover (GtkWidget  *button,
                const char *name)
{
  GtkPopover *popover = gtk_menu_button_get_popover (GTK_MENU_BUTTON (button));

  gtk_menu_button_popup (GTK_MENU_BUTTON (button));
  settle (300);
  render (GTK_WIDGET (popover), name);
  gtk_menu_button_popdown (GTK_MENU_BUTTON (button));
  settle (100);
}

static void
test_render_festival_settings (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window = signed_in_window (server, client);
  GtkWidget *page, *form;
  GtkWidget *zone_button = NULL;
  GtkWidget *date_button = NULL;

  g_assert_true (fest_window_show_page (window, "settings"));
  page = find_of_type (GTK_WIDGET (window), FEST_TYPE_FESTIVAL_SETTINGS_PAGE);
  g_assert_nonnull (page);
  g_assert_true (fest_app_test_wait (settings_loaded, page, 15000));
  settle (500);
  render (GTK_WIDGET (window), "page-settings");

  /* The date and zone pickers. */
  form = GTK_WIDGET (fest_festival_settings_page_get_form (FEST_FESTIVAL_SETTINGS_PAGE (page)));
  {
    g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
    GPtrArray *stack = g_ptr_array_new ();

    g_ptr_array_add (stack, form);
    while (stack->len > 0)
      {
        GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);

        if (GTK_IS_MENU_BUTTON (w))
          g_ptr_array_add (buttons, w);
        for (GtkWidget *c = gtk_widget_get_last_child (w); c != NULL; c = gtk_widget_get_prev_sibling (c))
          g_ptr_array_add (stack, c);
      }
    g_ptr_array_unref (stack);
    /* Start date, end date, time zone. */
    g_assert_cmpuint (buttons->len, ==, 3);
    date_button = buttons->pdata[0];
    zone_button = buttons->pdata[2];
  }
  render_popover (date_button, "settings-date-popover");
  render_popover (zone_button, "settings-zone-popover");

  /* An end before the start, said on the field. */
  {
    GtkWidget *calendar = find_of_type (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (date_button))),
                                        GTK_TYPE_CALENDAR);
    g_autoptr(GDateTime) day = g_date_time_new_local (2026, 8, 1, 12, 0, 0);

    g_assert_nonnull (calendar);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    gtk_widget_activate_action (page, "settings.save", NULL);
    g_assert_nonnull (fest_festival_form_get_error (FEST_FESTIVAL_FORM (form), "ends_at"));
    settle (300);
    render (GTK_WIDGET (window), "page-settings-error");
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static GtkWindow *
find_other_toplevel (GtkWindow *main_window)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (l->data != (gpointer) main_window && gtk_widget_get_visible (l->data)
        && gtk_window_get_transient_for (l->data) == main_window)
      return l->data;

  return NULL;
}

static void
test_render_new_festival (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (FALSE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "festivals" };
  GtkWindow *dialog;
  GtkWidget *form;

  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 860);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-festival", NULL);
  dialog = find_other_toplevel (GTK_WINDOW (window));
  g_assert_nonnull (dialog);
  form = find_of_type (GTK_WIDGET (dialog), FEST_TYPE_FESTIVAL_FORM);
  g_assert_nonnull (form);
  gtk_widget_activate_action (form, "festival-form.set-timezone", "s", "Europe/Paris");
  settle (300);
  render (GTK_WIDGET (dialog), "new-festival");

  /* Nothing typed: the name is asked for on its field. */
  g_assert_null (fest_festival_form_build_body (FEST_FESTIVAL_FORM (form)));
  settle (300);
  render (GTK_WIDGET (dialog), "new-festival-error");

  gtk_window_destroy (dialog);
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
  g_test_add_func ("/fest/app/render/festival-settings", test_render_festival_settings);
  g_test_add_func ("/fest/app/render/new-festival", test_render_new_festival);

  return g_test_run ();
}
