/* test-app-shell.c: the app's shell against a real server: client, first run, sign-in, window,
 * live dashboard, outage and recovery
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <adwaita.h>
#include <signal.h>

#include <glib/gstdio.h>

#include "fest-app-test.h"
#include "fest-client.h"
#include "fest-connect-page.h"
#include "fest-dashboard-page.h"
#include "fest-event-stream.h"
#include "fest-festival-form.h"
#include "fest-festival-settings-page.h"
#include "fest-login-page.h"
#include "fest-money.h"
#include "fest-secrets.h"
#include "fest-window.h"
#include "fest-application.h"
#include "fest-settings.h"

/* Helpers */

typedef struct
{
  GAsyncResult *result;
} AsyncWait;

static void
async_ready_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
}

static JsonNode *
request_sync (FestClient  *client,
              const char  *method,
              const char  *path,
              const char  *body_text,
              GError     **error)
{
  AsyncWait wait = { NULL };
  g_autoptr(JsonNode) body = NULL;
  JsonNode *node;

  if (body_text != NULL)
    body = json_from_string (body_text, NULL);

  fest_client_request_async (client, method, path, body, NULL, NULL, async_ready_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  node = fest_client_request_finish (client, wait.result, NULL, error);
  g_object_unref (wait.result);

  return node;
}

/* A URL where nothing listens: bind a port, then close it. */
static char *
dead_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);

  return g_strdup_printf ("http://127.0.0.1:%u", port);
}

/* Some other web server: answers HTML to everything. */
static void
foreign_handler (SoupServer        *server,
                 SoupServerMessage *message,
                 const char        *path,
                 GHashTable        *query,
                 gpointer           user_data)
{
  static const char page[] = "<html><body>It works!</body></html>";

  soup_server_message_set_status (message, g_str_equal (path, "/") ? 200 : 404, NULL);
  soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC, page,
                                    sizeof page - 1);
}

/* The server listens on a socket of ours and the URL comes from that socket, as festivals-server
 * does (fest-server.c): libsoup 3.2's soup_server_listen_local() and soup_server_get_uris() cache
 * the listener's address and never free it, a leak LeakSanitizer reports. */
static SoupServer *
foreign_server_new (char **url)
{
  SoupServer *server = soup_server_new (NULL, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GError) error = NULL;

  soup_server_add_handler (server, NULL, foreign_handler, NULL, NULL);
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (socket, &error);
  g_assert_no_error (error);
  soup_server_listen_socket (server, socket, 0, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  /* No trailing slash: the client appends paths. */
  *url = g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  return server;
}

static GtkWidget *
show_in_window (GtkWidget *child)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), 800, 600);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

/* Client */

static void
test_client_envelopes (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (FALSE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) health = NULL;
  g_autoptr(JsonNode) login = NULL;
  g_autofree char *message = NULL;

  health = request_sync (client, "GET", "/health", NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (health));
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (health), "status"), ==,
                   "ok");
  g_assert_cmpint (fest_client_get_connection_state (client), ==, FEST_CONNECTION_ONLINE);

  /* An error envelope becomes a FEST_ERROR with the server's code. */
  login = request_sync (client, "POST", "/auth/login",
                        "{\"email\":\"" FEST_APP_TEST_EMAIL "\",\"password\":\"wrong password\"}",
                        &error);
  g_assert_null (login);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);
  message = fest_client_describe_error (error);
  g_assert_cmpstr (message, ==, error->message);
  g_clear_error (&error);

  /* Without a token, festival routes answer 401 too. */
  g_clear_pointer (&login, json_node_unref);
  login = request_sync (client, "GET", "/me", NULL, &error);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);

  fest_client_set_token (client, server->token);
  g_clear_pointer (&login, json_node_unref);
  login = request_sync (client, "GET", "/me", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fest_app_test_json_string (login, "user.email"), ==, FEST_APP_TEST_EMAIL);

  /* Raw bytes, with their content type; errors still come from the envelope. */
  {
    AsyncWait wait = { NULL };
    g_autoptr(GBytes) bytes = NULL;
    g_autofree char *content_type = NULL;

    fest_client_get_bytes_async (client, "/health", NULL, async_ready_cb, &wait);
    while (wait.result == NULL)
      g_main_context_iteration (NULL, TRUE);
    bytes = fest_client_get_bytes_finish (client, wait.result, &content_type, &error);
    g_clear_object (&wait.result);
    g_assert_no_error (error);
    g_assert_cmpstr (content_type, ==, "application/json");
    g_assert_nonnull (g_strstr_len (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                    "\"ok\""));
    g_clear_pointer (&bytes, g_bytes_unref);

    fest_client_get_bytes_async (client, "/no-such-route", NULL, async_ready_cb, &wait);
    while (wait.result == NULL)
      g_main_context_iteration (NULL, TRUE);
    bytes = fest_client_get_bytes_finish (client, wait.result, NULL, &error);
    g_clear_object (&wait.result);
    g_assert_null (bytes);
    g_assert_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND);
  }
}

static void
test_client_offline (void)
{
  g_autofree char *url = dead_url ();
  g_autoptr(FestClient) client = fest_client_new (url);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *message = NULL;

  node = request_sync (client, "GET", "/health", NULL, &error);
  g_assert_null (node);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED);
  g_assert_cmpint (fest_client_get_connection_state (client), ==, FEST_CONNECTION_OFFLINE);
  message = fest_client_describe_error (error);
  g_assert_nonnull (strstr (message, "cannot be reached"));
}

/* First run */

static void
connected_cb (FestConnectPage *page,
              FestClient      *client,
              FestClient     **out)
{
  *out = g_object_ref (client);
}

static gboolean
connect_page_idle (gpointer data)
{
  return !fest_connect_page_get_busy (FEST_CONNECT_PAGE (data));
}

static void
test_connect_remote (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (FALSE);
  g_autofree char *dead = dead_url ();
  g_autofree char *foreign_url = NULL;
  g_autoptr(SoupServer) foreign = foreign_server_new (&foreign_url);
  g_autoptr(FestClient) connected = NULL;
  GtkWidget *page = fest_connect_page_new ();
  GtkWidget *window = show_in_window (page);

  g_signal_connect (page, "server-connected", G_CALLBACK (connected_cb), &connected);

  gtk_widget_activate_action (page, "connect.show-remote", NULL);
  g_assert_cmpstr (fest_connect_page_get_view (FEST_CONNECT_PAGE (page)), ==, "remote");

  /* Nothing listens there. */
  fest_connect_page_set_url (FEST_CONNECT_PAGE (page), dead);
  gtk_widget_activate_action (page, "connect.connect", NULL);
  g_assert_true (fest_connect_page_get_busy (FEST_CONNECT_PAGE (page)));
  g_assert_true (fest_app_test_wait (connect_page_idle, page, 15000));
  g_assert_nonnull (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  g_assert_nonnull (strstr (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)),
                            "cannot be reached"));
  g_assert_null (connected);

  /* A web server that is not ours. */
  fest_connect_page_set_url (FEST_CONNECT_PAGE (page), foreign_url);
  gtk_widget_activate_action (page, "connect.connect", NULL);
  g_assert_true (fest_app_test_wait (connect_page_idle, page, 15000));
  g_assert_cmpstr (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)), ==,
                   "This is not a Festivals server");
  g_assert_null (connected);

  /* Ours, typed without the scheme and with the API path. */
  {
    g_autofree char *typed = g_strconcat (server->url + strlen ("http://"), "/api/v1/", NULL);

    fest_connect_page_set_url (FEST_CONNECT_PAGE (page), typed);
  }
  gtk_widget_activate_action (page, "connect.connect", NULL);
  g_assert_true (fest_app_test_wait (connect_page_idle, page, 15000));
  g_assert_null (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  g_assert_nonnull (connected);
  g_assert_cmpstr (fest_client_get_base_url (connected), ==, server->url);

  fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
  soup_server_disconnect (foreign);
}

static void
test_connect_normalize (void)
{
  static const struct { const char *text; const char *url; } cases[] = {
    { "https://festival.example.org/", "https://festival.example.org" },
    { "festival.example.org", "https://festival.example.org" },
    { "192.168.1.10:8080", "http://192.168.1.10:8080" },
    { "  http://127.0.0.1:8080/api/v1 ", "http://127.0.0.1:8080" },
    { "localhost:8080", "http://localhost:8080" },
    { "ftp://example.org", NULL },
    { "", NULL },
    { "http://", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = fest_connect_page_normalize_url (cases[i].text);

      g_assert_cmpstr (url, ==, cases[i].url);
    }
}

typedef struct
{
  FestLocalServer *server;
  char            *email;
  char            *password;
} LocalStarted;

static void
local_started_cb (FestConnectPage *page,
                  FestLocalServer *server,
                  const char      *email,
                  const char      *password,
                  LocalStarted    *out)
{
  out->server = g_object_ref (server);
  out->email = g_strdup (email);
  out->password = g_strdup (password);
}

/* The first widget under @root that is an entry row titled @title. */
static GtkWidget *
find_entry_row (GtkWidget  *root,
                const char *title)
{
  if (ADW_IS_ENTRY_ROW (root)
      && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (root)), title) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry_row (child, title);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_label (child, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
test_connect_local (void)
{
  GtkWidget *page;
  GtkWidget *window;
  LocalStarted started = { NULL };
  g_autofree char *data_dir = fest_local_server_default_data_dir ();
  g_autoptr(FestClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *platform = NULL;
  GtkWidget *rule;
  GtkWidget *password_row;

  fest_app_test_reset_user_dirs ();
  page = fest_connect_page_new ();
  window = show_in_window (page);
  g_signal_connect (page, "local-started", G_CALLBACK (local_started_cb), &started);

  gtk_widget_activate_action (page, "connect.show-local", NULL);
  g_assert_cmpstr (fest_connect_page_get_view (FEST_CONNECT_PAGE (page)), ==, "local");

  /* The form asks for a name, and the password rule is there before any attempt. */
  g_assert_true (gtk_widget_get_mapped (find_entry_row (page, "Your Name")));
  rule = find_label (page, fest_connect_page_get_password_rule (FEST_CONNECT_PAGE (page)));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (rule)), ==,
                   "The password needs at least 8 characters");
  g_assert_true (gtk_widget_get_mapped (rule));
  g_assert_null (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  password_row = find_entry_row (page, "Password");
  g_assert_false (gtk_widget_has_css_class (password_row, "error"));

  /* No name: nothing runs. */
  fest_connect_page_set_account (FEST_CONNECT_PAGE (page), "boss@example.org", "long enough 1");
  gtk_widget_activate_action (page, "connect.create-local", NULL);
  g_assert_false (fest_connect_page_get_busy (FEST_CONNECT_PAGE (page)));
  g_assert_null (started.server);

  /* A too short password is marked while typed and caught before anything runs. */
  fest_connect_page_set_name (FEST_CONNECT_PAGE (page), "Camille Durand");
  fest_connect_page_set_account (FEST_CONNECT_PAGE (page), "boss@example.org", "short");
  g_assert_true (gtk_widget_has_css_class (password_row, "error"));
  g_assert_true (gtk_widget_has_css_class (rule, "error"));
  gtk_widget_activate_action (page, "connect.create-local", NULL);
  g_assert_nonnull (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  g_assert_false (fest_connect_page_get_busy (FEST_CONNECT_PAGE (page)));
  g_assert_null (started.server);

  fest_connect_page_set_account (FEST_CONNECT_PAGE (page), "boss@example.org", "long enough 1");
  g_assert_false (gtk_widget_has_css_class (password_row, "error"));
  gtk_widget_activate_action (page, "connect.create-local", NULL);
  g_assert_true (fest_connect_page_get_busy (FEST_CONNECT_PAGE (page)));
  g_assert_true (fest_app_test_wait (connect_page_idle, page, 30000));
  g_assert_null (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  g_assert_nonnull (started.server);
  g_assert_cmpstr (started.email, ==, "boss@example.org");
  g_assert_cmpstr (started.password, ==, "long enough 1");

  /* The server runs in the user data dir and the new account signs in. */
  g_assert_cmpstr (fest_local_server_get_data_dir (started.server), ==, data_dir);
  platform = g_build_filename (data_dir, "platform.db", NULL);
  g_assert_true (g_file_test (platform, G_FILE_TEST_EXISTS));
  client = fest_client_new (fest_local_server_get_base_url (started.server));
  login = request_sync (client, "POST", "/auth/login",
                        "{\"email\":\"boss@example.org\",\"password\":\"long enough 1\"}", &error);
  g_assert_no_error (error);
  g_assert_nonnull (fest_app_test_json_string (login, "token"));

  /* The account has the name typed. */
  fest_client_set_token (client, fest_app_test_json_string (login, "token"));
  me = request_sync (client, "GET", "/me", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fest_app_test_json_string (me, "user.name"), ==, "Camille Durand");
  g_assert_cmpstr (fest_app_test_json_string (me, "user.email"), ==, "boss@example.org");

  /* Stopping it frees the port: the server is gone. */
  fest_local_server_stop (started.server);
  g_assert_false (fest_local_server_is_running (started.server));
  g_clear_pointer (&login, json_node_unref);
  login = request_sync (client, "GET", "/health", NULL, &error);
  g_assert_null (login);
  g_assert_nonnull (error);

  gtk_window_destroy (GTK_WINDOW (window));
  g_clear_object (&started.server);
  g_free (started.email);
  g_free (started.password);
}

/* Sign-in */

static gboolean
login_page_idle (gpointer data)
{
  return !fest_login_page_get_busy (FEST_LOGIN_PAGE (data));
}

static void
signed_in_cb (FestLoginPage *page,
              JsonNode      *login,
              JsonNode     **out)
{
  *out = json_node_copy (login);
}

static void
test_login_page (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) login = NULL;
  GtkWidget *page = fest_login_page_new (client);
  GtkWidget *window = show_in_window (page);

  g_signal_connect (page, "signed-in", G_CALLBACK (signed_in_cb), &login);

  /* Nothing to send yet: the action is off. */
  gtk_widget_activate_action (page, "login.sign-in", NULL);
  g_assert_false (fest_login_page_get_busy (FEST_LOGIN_PAGE (page)));

  fest_login_page_set_email (FEST_LOGIN_PAGE (page), FEST_APP_TEST_EMAIL);
  fest_login_page_set_password (FEST_LOGIN_PAGE (page), "not the password");
  gtk_widget_activate_action (page, "login.sign-in", NULL);
  /* The request runs while the window stays responsive. */
  g_assert_true (fest_login_page_get_busy (FEST_LOGIN_PAGE (page)));
  g_assert_true (fest_app_test_wait (login_page_idle, page, 15000));
  g_assert_cmpstr (fest_login_page_get_error (FEST_LOGIN_PAGE (page)), ==,
                   "Wrong email or password");
  g_assert_null (login);
  g_assert_null (fest_client_get_token (client));

  fest_login_page_set_password (FEST_LOGIN_PAGE (page), FEST_APP_TEST_PASSWORD);
  gtk_widget_activate_action (page, "login.sign-in", NULL);
  g_assert_true (fest_app_test_wait (login_page_idle, page, 15000));
  g_assert_null (fest_login_page_get_error (FEST_LOGIN_PAGE (page)));
  g_assert_nonnull (login);
  g_assert_nonnull (fest_client_get_token (client));
  g_assert_cmpstr (fest_app_test_json_string (login, "token"), ==, fest_client_get_token (client));
  g_assert_cmpstr (fest_app_test_json_string (login, "user.email"), ==, FEST_APP_TEST_EMAIL);

  fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
}

static void
test_login_unreachable (void)
{
  g_autofree char *url = dead_url ();
  g_autoptr(FestClient) client = fest_client_new (url);
  GtkWidget *page = fest_login_page_new (client);
  GtkWidget *window = show_in_window (page);

  fest_login_page_set_email (FEST_LOGIN_PAGE (page), "someone@example.org");
  fest_login_page_set_password (FEST_LOGIN_PAGE (page), "whatever");
  gtk_widget_activate_action (page, "login.sign-in", NULL);
  g_assert_true (fest_app_test_wait (login_page_idle, page, 15000));
  g_assert_nonnull (fest_login_page_get_error (FEST_LOGIN_PAGE (page)));
  g_assert_nonnull (strstr (fest_login_page_get_error (FEST_LOGIN_PAGE (page)),
                            "cannot be reached"));

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Window and dashboard */

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
dashboard_ready_and_live (gpointer data)
{
  FestDashboardPage *page = data;

  return fest_dashboard_page_get_state (page) == FEST_DASHBOARD_READY
         && fest_dashboard_page_get_live (page);
}

typedef struct
{
  FestDashboardPage *page;
  const char        *figure;
  const char        *expected;
} FigureWait;

static gboolean
figure_is (gpointer data)
{
  FigureWait *wait = data;

  return g_strcmp0 (fest_dashboard_page_get_figure (wait->page, wait->figure, FALSE),
                    wait->expected) == 0;
}

static void
test_window_payment (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) stand = NULL;
  g_autoptr(JsonNode) product = NULL;
  g_autoptr(JsonNode) wallet = NULL;
  g_autoptr(JsonNode) reply = NULL;
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "backoffice" };
  FigureWait figure_wait;
  FestDashboardPage *dashboard;
  g_autofree char *revenue = NULL;
  gint64 start;
  guint status;

  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_cmpstr (json_object_get_string_member (fest_window_get_festival (window), "id"), ==,
                   server->festival_id);

  dashboard = FEST_DASHBOARD_PAGE (fest_window_get_dashboard (window));
  g_assert_nonnull (dashboard);
  g_assert_true (fest_app_test_wait (dashboard_ready_and_live, dashboard, 15000));
  g_assert_cmpstr (fest_dashboard_page_get_figure (dashboard, "transactions", FALSE), ==, "0");
  revenue = fest_money_format (0, "Jetons");
  g_assert_cmpstr (fest_dashboard_page_get_figure (dashboard, "revenue", FALSE), ==, revenue);
  g_clear_pointer (&revenue, g_free);
  g_assert_null (fest_dashboard_page_get_banner (dashboard));

  /* A sale made by someone else, through the API. */
  status = fest_app_test_request (server, "POST", "/stands", server->token, &stand,
                                  "{\"name\":\"Main Bar\",\"type\":\"BAR\"}");
  g_assert_cmpuint (status, ==, 201);
  status = fest_app_test_request (server, "POST", "/products", server->token, &product,
                                  "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":450,"
                                  "\"vat_rate\":20,\"category\":\"drink\"}",
                                  fest_app_test_json_string (stand, "data.id"));
  g_assert_cmpuint (status, ==, 201);
  status = fest_app_test_request (server, "POST", "/wallets", server->token, &wallet,
                                  "{\"holder_name\":\"Alex\"}");
  g_assert_cmpuint (status, ==, 201);
  status = fest_app_test_request (server, "POST", "/transactions", server->token, &reply,
                                  "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":2000}",
                                  fest_app_test_json_string (wallet, "data.id"));
  g_assert_cmpuint (status, ==, 201);

  /* Wait for the dashboard to settle on the recharge before the payment. */
  figure_wait = (FigureWait) { dashboard, "float", NULL };
  revenue = fest_money_format (2000, "Jetons");
  figure_wait.expected = revenue;
  g_assert_true (fest_app_test_wait (figure_is, &figure_wait, 5000));
  g_clear_pointer (&revenue, g_free);

  g_clear_pointer (&reply, json_node_unref);
  start = g_get_monotonic_time ();
  status = fest_app_test_request (server, "POST", "/transactions", server->token, &reply,
                                  "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                                  "\"lines\":[{\"product_id\":\"%s\",\"quantity\":2}]}",
                                  fest_app_test_json_string (wallet, "data.id"),
                                  fest_app_test_json_string (stand, "data.id"),
                                  fest_app_test_json_string (product, "data.id"));
  g_assert_cmpuint (status, ==, 201);

  /* The live stream brings it within a second, well before any 5 s poll. */
  revenue = fest_money_format (900, "Jetons");
  figure_wait = (FigureWait) { dashboard, "revenue", revenue };
  g_assert_true (fest_app_test_wait (figure_is, &figure_wait, 1500));
  g_test_message ("payment shown after %" G_GINT64_FORMAT " ms",
                  (g_get_monotonic_time () - start) / 1000);
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  fest_app_test_destroy_and_check (GTK_WINDOW (window), dashboard);
}


/* New festival, festival settings */

/* The first widget of @type under @root (depth first, popovers included) whose accessible label
 * is @label (any label when NULL): found as a screen reader would name it. */
static GtkWidget *
find_control (GtkWidget  *root,
              GType       type,
              const char *label)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    {
      g_autofree char *mismatch = NULL;

      if (label == NULL)
        return root;
      mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (root),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, label);
      if (mismatch == NULL)
        return root;
    }

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_control (child, type, label);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* The header's title widget showing @title. */
static AdwWindowTitle *
find_window_title (GtkWidget  *root,
                   const char *title)
{
  if (ADW_IS_WINDOW_TITLE (root)
      && g_strcmp0 (adw_window_title_get_title (ADW_WINDOW_TITLE (root)), title) == 0)
    return ADW_WINDOW_TITLE (root);

  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      AdwWindowTitle *found = find_window_title (child, title);

      if (found != NULL)
        return found;
    }

  return NULL;
}

/* Picks a day on the "@which date" calendar and a time on the "@which hour/minute" spin buttons,
 * as a user does; @which is "Start" or "End". */
static void
set_date_time (GtkWidget  *root,
               const char *which,
               int         year,
               int         month,
               int         day,
               int         hour,
               int         minute)
{
  g_autofree char *date_label = g_strdup_printf ("%s date", which);
  g_autofree char *hour_label = g_strdup_printf ("%s hour", which);
  g_autofree char *minute_label = g_strdup_printf ("%s minute", which);
  GtkWidget *calendar = find_control (root, GTK_TYPE_CALENDAR, date_label);
  GtkWidget *hours = find_control (root, GTK_TYPE_SPIN_BUTTON, hour_label);
  GtkWidget *minutes = find_control (root, GTK_TYPE_SPIN_BUTTON, minute_label);
  g_autoptr(GDateTime) date = g_date_time_new_local (year, month, day, 12, 0, 0);

  g_assert_nonnull (calendar);
  g_assert_nonnull (hours);
  g_assert_nonnull (minutes);
  gtk_calendar_select_day (GTK_CALENDAR (calendar), date);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (hours), hour);
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (minutes), minute);
}

/* Clicks the site map at a fraction of its size; returns where the marker went. */
static void
pick_on_map (GtkWidget *root,
             double     fx,
             double     fy,
             double    *lat,
             double    *lng)
{
  FestSiteMap *map = FEST_SITE_MAP (find_control (root, FEST_TYPE_SITE_MAP, "Site map"));
  double old_lat, old_lng;

  g_assert_nonnull (map);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (map));
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (map)), >, 0);
  fest_site_map_get_position (map, &old_lat, &old_lng);
  fest_site_map_pick_at (map, gtk_widget_get_width (GTK_WIDGET (map)) * fx,
                         gtk_widget_get_height (GTK_WIDGET (map)) * fy);
  fest_site_map_get_position (map, lat, lng);
  g_assert_true (*lat != old_lat && *lng != old_lng);
}

/* The festival as the server has it (GET /festivals/{id}), its "data" object. */
static JsonObject *
server_festival (FestAppTestServer *server,
                 const char        *id,
                 JsonNode         **reply)
{
  g_autofree char *path = g_strdup_printf ("/festivals/%s", id);

  g_clear_pointer (reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, reply, NULL), ==,
                    200);
  return json_object_get_object_member (json_node_get_object (*reply), "data");
}

static void
collect_entry_rows (GtkWidget  *widget,
                    GPtrArray  *rows)
{
  if (ADW_IS_ENTRY_ROW (widget))
    g_ptr_array_add (rows, widget);

  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_entry_rows (child, rows);
}

static GtkWindow *
find_dialog (const char *title)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      /* The list keeps its own reference. */
      if (g_strcmp0 (gtk_window_get_title (window), title) == 0
          && gtk_widget_get_visible (GTK_WIDGET (window)))
        return window;
    }

  return NULL;
}

static gboolean
dialog_gone (gpointer data)
{
  return find_dialog (data) == NULL;
}

static gboolean
form_has_error (gpointer data)
{
  return fest_festival_form_get_error (data, "ends_at") != NULL;
}

static void
test_window_new_festival (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (FALSE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(JsonNode) list = NULL;
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "festivals" };
  FestFestivalForm *form;
  GtkWindow *dialog;
  JsonObject *created, *location;
  double lat, lng;

  /* A superadmin without festivals: the empty picker offers to create one. */
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.new-festival", NULL);
  dialog = find_dialog ("New Festival");
  g_assert_nonnull (dialog);
  form = FEST_FESTIVAL_FORM (find_control (GTK_WIDGET (dialog), FEST_TYPE_FESTIVAL_FORM, NULL));
  g_assert_nonnull (form);
  /* Name, currency and rate are typed; dates, zone and site are picked, not typed. */
  collect_entry_rows (GTK_WIDGET (dialog), rows);
  g_assert_cmpuint (rows->len, ==, 3);

  /* Bad dates stay in the dialog with an inline error, and nothing is sent. */
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Name")), "Solidays");
  gtk_widget_activate_action (GTK_WIDGET (form), "festival-form.set-timezone", "s",
                              "Europe/Paris");
  g_assert_cmpstr (fest_festival_form_get_timezone (form), ==, "Europe/Paris");
  set_date_time (GTK_WIDGET (dialog), "Start", 2026, 6, 30, 2, 0);
  set_date_time (GTK_WIDGET (dialog), "End", 2026, 6, 28, 23, 59);
  gtk_widget_activate_default (find_entry_row (GTK_WIDGET (dialog), "Name"));
  /* The default button clicks after showing itself pressed for a moment. */
  g_assert_true (fest_app_test_wait (form_has_error, form, 5000));
  g_assert_nonnull (find_dialog ("New Festival"));
  g_assert_cmpstr (fest_festival_form_get_error (form, "ends_at"), ==,
                   "The festival must end after it starts");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (gtk_window_get_default_widget (dialog))));
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/festivals", server->token, &list,
                                           NULL), ==, 200);
  g_assert_null (fest_app_test_json_string (list, "data.0.name"));
  g_clear_pointer (&list, json_node_unref);

  set_date_time (GTK_WIDGET (dialog), "End", 2026, 7, 2, 23, 30);
  g_assert_null (fest_festival_form_get_error (form, "ends_at"));
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Currency Name")), "Jetons");
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (dialog), "Value of One Unit in Euros")),
                         "0,10");
  pick_on_map (GTK_WIDGET (dialog), 0.25, 0.75, &lat, &lng);
  gtk_widget_activate_default (find_entry_row (GTK_WIDGET (dialog), "Name"));
  g_assert_true (fest_app_test_wait (dialog_gone, (gpointer) "New Festival", 15000));

  /* Created on the server, and opened. */
  view_wait.view = "backoffice";
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_cmpstr (json_object_get_string_member (fest_window_get_festival (window), "name"), ==,
                   "Solidays");
  g_assert_cmpuint (fest_app_test_request (server, "GET", "/festivals", server->token, &list,
                                           NULL), ==, 200);
  g_assert_cmpstr (fest_app_test_json_string (list, "data.0.name"), ==, "Solidays");
  /* 02:00 and 23:30 in Paris (summer time, UTC+2). */
  g_assert_cmpstr (fest_app_test_json_string (list, "data.0.starts_at"), ==,
                   "2026-06-30T00:00:00Z");
  g_assert_cmpstr (fest_app_test_json_string (list, "data.0.ends_at"), ==,
                   "2026-07-02T21:30:00Z");
  g_assert_cmpstr (fest_app_test_json_string (list, "data.0.timezone"), ==, "Europe/Paris");
  g_assert_cmpstr (fest_app_test_json_string (list, "data.0.currency_name"), ==, "Jetons");
  created = json_array_get_object_element (
    json_object_get_array_member (json_node_get_object (list), "data"), 0);
  g_assert_cmpint (json_object_get_int_member (created, "exchange_rate_cents"), ==, 10);
  location = json_object_get_object_member (created, "location");
  g_assert_cmpfloat (json_object_get_double_member (location, "lat"), ==, lat);
  g_assert_cmpfloat (json_object_get_double_member (location, "lng"), ==, lng);

  gtk_window_destroy (GTK_WINDOW (window));
}

static const char *
body_string (JsonNode   *body,
             const char *member)
{
  return json_object_get_string_member (json_node_get_object (body), member);
}

/* The form alone: the zone found by typing in the list's search, the rate read exactly, times
 * converted with the chosen zone's offset on that day. */
static void
test_festival_form_fields (void)
{
  GtkWidget *form = fest_festival_form_new ();
  GtkWidget *window = adw_window_new ();
  GtkWidget *zone_button, *search;
  GtkEditable *rate;
  g_autoptr(JsonNode) body = NULL;
  FestFestivalForm *self = FEST_FESTIVAL_FORM (form);

  adw_window_set_content (ADW_WINDOW (window), form);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_widget_wait_for_draw (window);

  /* Typing "new york" in the zone search and pressing Enter picks America/New_York. */
  zone_button = find_control (form, GTK_TYPE_MENU_BUTTON, "Time zone");
  g_assert_nonnull (zone_button);
  gtk_menu_button_popup (GTK_MENU_BUTTON (zone_button));
  search = find_control (form, GTK_TYPE_SEARCH_ENTRY, "Search time zones");
  g_assert_nonnull (search);
  gtk_editable_set_text (GTK_EDITABLE (search), "new york");
  /* The search applies after the entry's short delay. */
  for (guint i = 0; i < 50; i++)
    {
      g_usleep (10000);
      g_main_context_iteration (NULL, FALSE);
    }
  g_signal_emit_by_name (search, "activate");
  g_assert_cmpstr (fest_festival_form_get_timezone (self), ==, "America/New_York");

  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (form, "Name")), "  Winter Fest  ");
  set_date_time (form, "Start", 2026, 12, 30, 18, 0);
  set_date_time (form, "End", 2027, 1, 2, 4, 15);
  /* The buttons say the days picked. */
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_control (form,
                                                                             GTK_TYPE_MENU_BUTTON,
                                                                             "Start date"))),
                   ==, "30 Dec 2026");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_control (form,
                                                                             GTK_TYPE_MENU_BUTTON,
                                                                             "End date"))),
                   ==, "2 Jan 2027");
  /* Picking a day on the calendar alone updates its button too. */
  {
    GtkWidget *calendar = find_control (form, GTK_TYPE_CALENDAR, "Start date");
    g_autoptr(GDateTime) day = g_date_time_new_local (2026, 11, 29, 12, 0, 0);

    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
    g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (find_control (form,
                                                                               GTK_TYPE_MENU_BUTTON,
                                                                               "Start date"))),
                     ==, "29 Nov 2026");
    g_clear_pointer (&day, g_date_time_unref);
    day = g_date_time_new_local (2026, 12, 30, 12, 0, 0);
    gtk_calendar_select_day (GTK_CALENDAR (calendar), day);
  }

  /* Money is read exactly: one and a half euros is 150 cents; a third decimal is refused. */
  rate = GTK_EDITABLE (find_entry_row (form, "Value of One Unit in Euros"));
  gtk_editable_set_text (rate, "0.105");
  g_assert_null (fest_festival_form_build_body (self));
  g_assert_nonnull (fest_festival_form_get_error (self, "exchange_rate_cents"));
  gtk_editable_set_text (rate, "0");
  g_assert_null (fest_festival_form_build_body (self));
  g_assert_nonnull (fest_festival_form_get_error (self, "exchange_rate_cents"));
  gtk_editable_set_text (rate, "1,5");
  g_assert_null (fest_festival_form_get_error (self, "exchange_rate_cents"));

  body = fest_festival_form_build_body (self);
  g_assert_nonnull (body);
  g_assert_cmpstr (body_string (body, "name"), ==, "Winter Fest");
  g_assert_cmpstr (body_string (body, "timezone"), ==, "America/New_York");
  /* New York in winter is UTC-5. */
  g_assert_cmpstr (body_string (body, "starts_at"), ==, "2026-12-30T23:00:00Z");
  g_assert_cmpstr (body_string (body, "ends_at"), ==, "2027-01-02T09:15:00Z");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "exchange_rate_cents"),
                   ==, 150);

  /* An unknown zone is refused on its field. */
  gtk_widget_activate_action (form, "festival-form.set-timezone", "s", "Mars/Olympus_Mons");
  g_assert_nonnull (fest_festival_form_get_error (self, "timezone"));
  g_assert_cmpstr (fest_festival_form_get_timezone (self), ==, "America/New_York");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
settings_page_loaded (gpointer data)
{
  return g_strcmp0 (fest_festival_settings_page_get_state (data), "content") == 0;
}

static gboolean
settings_page_idle (gpointer data)
{
  return !fest_festival_settings_page_get_busy (data);
}

static void
test_window_festival_settings (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *long_name = g_strnfill (201, 'x');
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "backoffice" };
  FestFestivalSettingsPage *page;
  FestFestivalForm *form;
  GtkWidget *hours;
  JsonObject *festival, *location;
  AdwWindowTitle *title;
  double lat, lng;

  gtk_window_set_default_size (GTK_WINDOW (window), 1100, 900);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));

  /* The organiser has the page; it shows the festival in its own time zone. */
  g_assert_true (fest_window_show_page (window, "settings"));
  page = FEST_FESTIVAL_SETTINGS_PAGE (find_control (GTK_WIDGET (window),
                                                    FEST_TYPE_FESTIVAL_SETTINGS_PAGE, NULL));
  g_assert_nonnull (page);
  g_assert_true (fest_app_test_wait (settings_page_loaded, page, 15000));
  form = fest_festival_settings_page_get_form (page);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (page), "Name"))), ==,
                   "Test Fest");
  g_assert_cmpstr (fest_festival_form_get_timezone (form), ==, "Europe/Paris");
  hours = find_control (GTK_WIDGET (page), GTK_TYPE_SPIN_BUTTON, "Start hour");
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (hours)), ==, 2);

  /* An end before the start is refused on the spot: no request, nothing changed. */
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (page), "Name")), "Renamed Fest");
  set_date_time (GTK_WIDGET (page), "End", 2026, 6, 30, 20, 0);
  gtk_widget_activate_action (GTK_WIDGET (page), "settings.save", NULL);
  g_assert_false (fest_festival_settings_page_get_busy (page));
  g_assert_cmpstr (fest_festival_form_get_error (form, "ends_at"), ==,
                   "The festival must end after it starts");
  festival = server_festival (server, server->festival_id, &reply);
  g_assert_cmpstr (json_object_get_string_member (festival, "name"), ==, "Test Fest");

  /* The server's refusal lands on the field it names, with what was typed kept. */
  set_date_time (GTK_WIDGET (page), "End", 2026, 7, 3, 20, 0);
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (page), "Name")), long_name);
  gtk_widget_activate_action (GTK_WIDGET (page), "settings.save", NULL);
  g_assert_true (fest_festival_settings_page_get_busy (page));
  g_assert_true (fest_app_test_wait (settings_page_idle, page, 15000));
  g_assert_nonnull (fest_festival_form_get_error (form, "name"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (page), "Name"))), ==,
                   long_name);
  festival = server_festival (server, server->festival_id, &reply);
  g_assert_cmpstr (json_object_get_string_member (festival, "name"), ==, "Test Fest");

  /* Name, zone, times and site changed through the controls, then saved. */
  gtk_editable_set_text (GTK_EDITABLE (find_entry_row (GTK_WIDGET (page), "Name")), "Renamed Fest");
  gtk_widget_activate_action (GTK_WIDGET (form), "festival-form.set-timezone", "s",
                              "America/New_York");
  set_date_time (GTK_WIDGET (page), "Start", 2026, 7, 14, 14, 0);
  set_date_time (GTK_WIDGET (page), "End", 2026, 7, 16, 22, 30);
  pick_on_map (GTK_WIDGET (page), 0.7, 0.3, &lat, &lng);
  gtk_widget_activate_action (GTK_WIDGET (page), "settings.save", NULL);
  g_assert_true (fest_festival_settings_page_get_busy (page));
  g_assert_true (fest_app_test_wait (settings_page_idle, page, 15000));
  g_assert_null (fest_festival_form_get_error (form, "name"));

  festival = server_festival (server, server->festival_id, &reply);
  g_assert_cmpstr (json_object_get_string_member (festival, "name"), ==, "Renamed Fest");
  g_assert_cmpstr (json_object_get_string_member (festival, "timezone"), ==, "America/New_York");
  /* New York in July is UTC-4. */
  g_assert_cmpstr (json_object_get_string_member (festival, "starts_at"), ==,
                   "2026-07-14T18:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (festival, "ends_at"), ==,
                   "2026-07-17T02:30:00Z");
  g_assert_cmpstr (json_object_get_string_member (festival, "currency_name"), ==, "Jetons");
  g_assert_cmpint (json_object_get_int_member (festival, "exchange_rate_cents"), ==, 10);
  location = json_object_get_object_member (festival, "location");
  g_assert_cmpfloat (json_object_get_double_member (location, "lat"), ==, lat);
  g_assert_cmpfloat (json_object_get_double_member (location, "lng"), ==, lng);

  /* The window says the new name: its title, the page's header and the festival it holds. */
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Renamed Fest");
  title = find_window_title (GTK_WIDGET (window), "Festival Settings");
  g_assert_nonnull (title);
  g_assert_cmpstr (adw_window_title_get_subtitle (title), ==, "Renamed Fest");
  g_assert_cmpstr (json_object_get_string_member (fest_window_get_festival (window), "name"), ==,
                   "Renamed Fest");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
dashboard_in_error (gpointer data)
{
  return fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (data)) == FEST_DASHBOARD_ERROR;
}

static void
test_dashboard_recovery (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(FestEventStream) stream = NULL;
  GtkWidget *page;
  GtkWidget *window;

  fest_client_set_token (client, server->token);
  stream = fest_event_stream_new (client);
  page = fest_dashboard_page_new (client);
  window = show_in_window (page);
  fest_dashboard_page_set_event_stream (FEST_DASHBOARD_PAGE (page), stream);
  fest_event_stream_start (stream);
  fest_dashboard_page_reload (FEST_DASHBOARD_PAGE (page));
  g_assert_true (fest_app_test_wait (dashboard_ready_and_live, page, 15000));

  /* The server goes away: the stream drops, polling fails, the page says so and keeps the last
   * figures. */
  fest_app_test_server_stop (server);
  g_assert_true (fest_app_test_wait (dashboard_in_error, page, 15000));
  g_assert_false (fest_dashboard_page_get_live (FEST_DASHBOARD_PAGE (page)));
  g_assert_nonnull (fest_dashboard_page_get_banner (FEST_DASHBOARD_PAGE (page)));
  g_assert_cmpstr (fest_dashboard_page_get_figure (FEST_DASHBOARD_PAGE (page), "transactions",
                                                   FALSE), ==, "0");
  g_assert_cmpint (fest_client_get_connection_state (client), ==, FEST_CONNECTION_OFFLINE);

  /* Back on the same port: the next poll succeeds and the stream reconnects. */
  fest_app_test_server_restart (server);
  g_assert_true (fest_app_test_wait (dashboard_ready_and_live, page, 20000));
  g_assert_null (fest_dashboard_page_get_banner (FEST_DASHBOARD_PAGE (page)));
  g_assert_cmpint (fest_client_get_connection_state (client), ==, FEST_CONNECTION_ONLINE);

  fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
}

static void
test_window_bad_token (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "login" };
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;

  /* A token the server no longer knows is in the store: the window asks to sign in again. */
  fest_secrets_set_force_fallback (TRUE);
  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, server->url, "0123456789abcdef", NULL,
                            async_ready_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fest_secrets_store_finish (wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  gtk_window_present (GTK_WINDOW (window));
  fest_window_open_server (window, client, server->url);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_cmpstr (fest_login_page_get_error (FEST_LOGIN_PAGE (fest_window_get_login_page (window))),
                   ==, "Your session has ended. Sign in again.");
  g_assert_null (fest_client_get_token (client));

  gtk_window_destroy (GTK_WINDOW (window));
  fest_secrets_set_force_fallback (FALSE);
}

static void
test_window_festival_picker (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) second = NULL;
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "festivals" };
  g_autofree char *action_target = NULL;
  guint status;

  status = fest_app_test_request (server, "POST", "/festivals", server->token, &second,
                                  "{\"name\":\"Second Fest\",\"starts_at\":\"2026-08-01T00:00:00Z\","
                                  "\"ends_at\":\"2026-08-02T23:59:59Z\",\"timezone\":\"Europe/Paris\","
                                  "\"currency_name\":\"Tickets\",\"exchange_rate_cents\":50,"
                                  "\"location\":{\"lat\":45.0,\"lng\":4.0}}");
  g_assert_cmpuint (status, ==, 201);

  /* Two festivals and none remembered: the picker. */
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, FEST_APP_TEST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));

  gtk_widget_activate_action (GTK_WIDGET (window), "win.switch-festival", "s",
                              fest_app_test_json_string (second, "data.id"));
  view_wait.view = "backoffice";
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_cmpstr (json_object_get_string_member (fest_window_get_festival (window), "name"), ==,
                   "Second Fest");

  /* Its figures come in its own currency. */
  {
    FestDashboardPage *dashboard = FEST_DASHBOARD_PAGE (fest_window_get_dashboard (window));
    g_autofree char *zero = fest_money_format (0, "Tickets");
    FigureWait figure_wait = { dashboard, "revenue", zero };

    g_assert_true (fest_app_test_wait (figure_is, &figure_wait, 10000));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The first descendant of @root (depth first) for which @match returns TRUE, or NULL. */
static GtkWidget *
find_descendant (GtkWidget *root,
                 gboolean (*match) (GtkWidget *, gconstpointer),
                 gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
is_station_button (GtkWidget     *widget,
                   gconstpointer  mode)
{
  GVariant *target;

  if (!GTK_IS_BUTTON (widget)
      || g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), "app.open-station") != 0)
    return FALSE;
  target = gtk_actionable_get_action_target_value (GTK_ACTIONABLE (widget));
  return target != NULL && g_strcmp0 (g_variant_get_string (target, NULL), mode) == 0;
}

static gboolean
is_mapped_status_page (GtkWidget     *widget,
                       gconstpointer  title)
{
  return ADW_IS_STATUS_PAGE (widget) && gtk_widget_get_mapped (widget)
         && g_strcmp0 (adw_status_page_get_title (ADW_STATUS_PAGE (widget)), title) == 0;
}

/* A cashier signing in to the back office is pointed to the station modes, not shown organiser
 * pages that only answer "forbidden"; a refused load says "Not Allowed", not "network". */
static void
test_window_cashier_role (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(FestClient) cashier_client = fest_client_new (server->url);
  g_autoptr(JsonNode) login = NULL;
  FestWindow *window = fest_window_new (NULL);
  ViewWait view_wait = { window, "role" };
  GtkWidget *status;
  GtkWidget *page;
  GtkWidget *page_window;
  guint status_code;

  status_code = fest_app_test_request (server, "POST", "/members", server->token, NULL,
                                       "{\"email\":\"cashier@test.festivals\",\"name\":\"Camille\","
                                       "\"password\":\"%s\",\"roles\":[\"CASHIER\"]}",
                                       FEST_APP_TEST_PASSWORD);
  g_assert_cmpuint (status_code, ==, 201);

  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, server->url, "cashier@test.festivals",
                       FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));

  status = find_descendant (GTK_WIDGET (window), is_mapped_status_page,
                            "Your Work Is at a Station");
  g_assert_nonnull (status);
  g_assert_true (gtk_widget_get_visible (find_descendant (status, is_station_button, "cashier")));
  g_assert_true (gtk_widget_get_visible (find_descendant (status, is_station_button, "recharge")));
  g_assert_false (gtk_widget_get_visible (find_descendant (status, is_station_button, "scanner")));
  g_assert_false (gtk_widget_get_visible (find_descendant (status, is_station_button, "security")));
  /* No organiser page can be opened, not even by its name. */
  g_assert_false (fest_window_show_page (window, "dashboard"));
  g_assert_false (fest_window_show_page (window, "stands"));
  g_assert_null (fest_window_get_dashboard (window));
  gtk_window_destroy (GTK_WINDOW (window));

  /* The figures refused by the server: "Not Allowed", not a network failure. */
  status_code = fest_app_test_request (server, "POST", "/auth/login", NULL, &login,
                                       "{\"email\":\"cashier@test.festivals\",\"password\":\"%s\","
                                       "\"festival_id\":\"%s\"}",
                                       FEST_APP_TEST_PASSWORD, server->festival_id);
  g_assert_cmpuint (status_code, ==, 200);
  fest_client_set_token (cashier_client, fest_app_test_json_string (login, "data.token"));
  page = fest_dashboard_page_new (cashier_client);
  page_window = show_in_window (page);
  fest_dashboard_page_reload (FEST_DASHBOARD_PAGE (page));
  g_assert_true (fest_app_test_wait (dashboard_in_error, page, 15000));
  status = find_descendant (page, is_mapped_status_page, "Not Allowed");
  g_assert_nonnull (status);
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (status)), ==,
                   "action-unavailable-symbolic");
  fest_app_test_destroy_and_check (GTK_WINDOW (page_window), page);
}

/* The application: a festival on this computer comes back at the next start */

typedef struct
{
  FestLocalServer *server;
  gboolean         ready;
  gboolean         timed_out;
  guint            ticks;
} AppRun;

static gboolean
app_check_cb (gpointer user_data)
{
  GApplication *app = user_data;
  AppRun *run = g_object_get_data (G_OBJECT (app), "run");
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  GtkWidget *dashboard = window != NULL && FEST_IS_WINDOW (window)
                         ? fest_window_get_dashboard (FEST_WINDOW (window)) : NULL;

  if (dashboard != NULL
      && fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (dashboard)) == FEST_DASHBOARD_READY
      && g_strcmp0 (fest_window_get_view (FEST_WINDOW (window)), "backoffice") == 0)
    {
      run->ready = TRUE;
      run->server = g_object_ref (fest_application_get_local_server (FEST_APPLICATION (app)));
      g_assert_true (fest_local_server_is_running (run->server));
      g_application_quit (app);
      return G_SOURCE_REMOVE;
    }

  if (++run->ticks > 1500)
    {
      run->timed_out = TRUE;
      g_application_quit (app);
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

static void
test_application_local_restart (void)
{
  g_autofree char *data_dir = NULL;
  g_autoptr(FestLocalServer) server = NULL;
  g_autoptr(FestClient) client = NULL;
  g_autoptr(JsonNode) login = NULL;
  g_autoptr(JsonNode) festival = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestApplication) app = NULL;
  AsyncWait wait = { NULL };
  AppRun run = { NULL };
  char *argv[] = { (char *) "festivals", NULL };
  int status;

  /* What "Run a festival on this computer" left behind: an account, a festival, the settings and
   * a stored sign-in (in the file: no keyring in this test). */
  fest_app_test_reset_user_dirs ();
  fest_secrets_set_force_fallback (TRUE);
  data_dir = fest_local_server_default_data_dir ();
  server = fest_local_server_new (data_dir);
  fest_local_server_create_superadmin_async (server, "boss@example.org", "long enough 1", NULL,
                                             async_ready_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fest_local_server_create_superadmin_finish (server, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);
  fest_local_server_start_async (server, FALSE, NULL, NULL, async_ready_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fest_local_server_start_finish (server, wait.result, &error));
  g_assert_no_error (error);
  g_clear_object (&wait.result);

  client = fest_client_new (fest_local_server_get_base_url (server));
  login = request_sync (client, "POST", "/auth/login",
                        "{\"email\":\"boss@example.org\",\"password\":\"long enough 1\"}", &error);
  g_assert_no_error (error);
  fest_client_set_token (client, fest_app_test_json_string (login, "token"));
  festival = request_sync (client, "POST", "/festivals",
                           "{\"name\":\"Home Fest\",\"starts_at\":\"2026-07-01T00:00:00Z\","
                           "\"ends_at\":\"2026-07-02T23:59:59Z\",\"timezone\":\"Europe/Paris\","
                           "\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10,"
                           "\"location\":{\"lat\":48.85,\"lng\":2.35}}", &error);
  g_assert_no_error (error);
  fest_local_server_stop (server);

  fest_settings_set_server (FEST_SERVER_MODE_LOCAL, NULL, &error);
  g_assert_no_error (error);
  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, "local", fest_client_get_token (client),
                            NULL, async_ready_cb, &wait);
  while (wait.result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (fest_secrets_store_finish (wait.result, &error));
  g_clear_object (&wait.result);

  /* Next start: the app starts the bundled server itself and opens the dashboard, signed in. */
  app = fest_application_new ();
  g_object_set_data (G_OBJECT (app), "run", &run);
  g_timeout_add (10, app_check_cb, app);
  status = g_application_run (G_APPLICATION (app), 1, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.ready);

  /* Quitting stopped it. */
  g_assert_nonnull (run.server);
  g_assert_false (fest_local_server_is_running (run.server));
  g_clear_object (&run.server);
  fest_secrets_set_force_fallback (FALSE);
}

/* `festivals --demo`: the bundled server with the demo festival, signed in as its organiser */

static gboolean
server_supports_demo (void)
{
  g_autofree char *dir = g_dir_make_tmp ("fest-demo-probe-XXXXXX", NULL);
  g_autofree char *binary = fest_local_server_find_binary ();
  g_autoptr(GSubprocess) process = NULL;
  g_autofree char *output = NULL;
  gboolean supported;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                              NULL, binary, "--data-dir", dir, "--listen", "127.0.0.1:0", "--demo",
                              NULL);
  g_assert_nonnull (process);
  {
    g_autoptr(GDataInputStream) out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));

    /* Messages on stderr may come first; the listening line or the end decides. */
    for (guint i = 0; i < 50; i++)
      {
        g_clear_pointer (&output, g_free);
        output = g_data_input_stream_read_line_utf8 (out, NULL, NULL, NULL);
        if (output == NULL || g_str_has_prefix (output, "listening on "))
          break;
      }
  }
  supported = output != NULL && g_str_has_prefix (output, "listening on ");
  g_subprocess_send_signal (process, SIGTERM);
  g_subprocess_wait (process, NULL, NULL);
  fest_app_test_remove_tree (dir);

  return supported;
}

static void
test_application_demo (void)
{
  g_autoptr(FestApplication) app = NULL;
  g_autofree char *demo_dir = fest_local_server_demo_data_dir ();
  AppRun run = { NULL };
  char *argv[] = { (char *) "festivals", (char *) "--demo", NULL };
  GtkWindow *window;
  int status;

  if (!server_supports_demo ())
    {
      g_test_skip ("festivals-server --demo is not implemented in this build");
      return;
    }

  fest_app_test_reset_user_dirs ();
  fest_secrets_set_force_fallback (TRUE);

  app = fest_application_new ();
  g_object_set_data (G_OBJECT (app), "run", &run);
  g_timeout_add (10, app_check_cb, app);
  status = g_application_run (G_APPLICATION (app), 2, argv);
  g_assert_cmpint (status, ==, 0);
  g_assert_false (run.timed_out);
  g_assert_true (run.ready);

  /* Signed in as the demo organiser, in the user data dir's demo server, stopped at quit. */
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  (void) window;
  g_assert_true (g_file_test (demo_dir, G_FILE_TEST_IS_DIR));
  g_assert_cmpstr (fest_local_server_get_data_dir (run.server), ==, demo_dir);
  g_assert_false (fest_local_server_is_running (run.server));
  g_clear_object (&run.server);
  fest_secrets_set_force_fallback (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  /* GTK's in-memory accessibility backend: controls are found by their accessible names. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  fest_app_test_init (&argc, &argv);

  g_test_add_func ("/fest/app/client/envelopes", test_client_envelopes);
  g_test_add_func ("/fest/app/client/offline", test_client_offline);
  g_test_add_func ("/fest/app/connect/normalize", test_connect_normalize);
  g_test_add_func ("/fest/app/connect/remote", test_connect_remote);
  g_test_add_func ("/fest/app/connect/local-first-run", test_connect_local);
  g_test_add_func ("/fest/app/login/sign-in", test_login_page);
  g_test_add_func ("/fest/app/window/cashier-role", test_window_cashier_role);
  g_test_add_func ("/fest/app/login/unreachable", test_login_unreachable);
  g_test_add_func ("/fest/app/window/payment-on-dashboard", test_window_payment);
  g_test_add_func ("/fest/app/window/expired-token", test_window_bad_token);
  g_test_add_func ("/fest/app/window/festival-picker", test_window_festival_picker);
  g_test_add_func ("/fest/app/window/new-festival", test_window_new_festival);
  g_test_add_func ("/fest/app/window/festival-settings", test_window_festival_settings);
  g_test_add_func ("/fest/app/festival-form/fields", test_festival_form_fields);
  g_test_add_func ("/fest/app/dashboard/outage-and-recovery", test_dashboard_recovery);
  g_test_add_func ("/fest/app/application/local-restart", test_application_local_restart);
  g_test_add_func ("/fest/app/application/demo", test_application_demo);

  return g_test_run ();
}
