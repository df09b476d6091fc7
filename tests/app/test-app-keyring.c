/* test-app-keyring.c: the session token in a real keyring (run under run-with-keyring.sh), and
 * the 0600 file without one
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/stat.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <libsecret/secret.h>

#include "fest-app-test.h"
#include "fest-client.h"
#include "fest-dashboard-page.h"
#include "fest-money.h"
#include "fest-secrets.h"
#include "fest-window.h"

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

static GAsyncResult *
wait_result (AsyncWait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return wait->result;
}

static char *
lookup_sync (const char *server)
{
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;
  char *secret;

  fest_secrets_lookup_async (FEST_SECRET_KIND_SESSION, server, NULL, async_ready_cb, &wait);
  secret = fest_secrets_lookup_finish (wait_result (&wait), &error);
  g_assert_no_error (error);
  g_object_unref (wait.result);

  return secret;
}

static void
store_sync (const char *server,
            const char *secret)
{
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;

  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, server, secret, NULL, async_ready_cb, &wait);
  g_assert_true (fest_secrets_store_finish (wait_result (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
}

static void
clear_sync (const char *server)
{
  AsyncWait wait = { NULL };
  g_autoptr(GError) error = NULL;

  fest_secrets_clear_async (FEST_SECRET_KIND_SESSION, server, NULL, async_ready_cb, &wait);
  g_assert_true (fest_secrets_clear_finish (wait_result (&wait), &error));
  g_assert_no_error (error);
  g_object_unref (wait.result);
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

typedef struct
{
  const char *server;
  gboolean    present;
} SecretWait;

static gboolean
secret_presence_is (gpointer data)
{
  SecretWait *wait = data;
  g_autofree char *secret = lookup_sync (wait->server);

  return (secret != NULL) == wait->present;
}

static gboolean
dashboard_ready (gpointer data)
{
  return fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (data)) == FEST_DASHBOARD_READY;
}

static void
test_keyring_restore (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) first_client = fest_client_new (server->url);
  g_autoptr(FestClient) second_client = fest_client_new (server->url);
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *token = NULL;
  g_autofree char *keyring_secret = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tokens_file = g_build_filename (g_get_user_data_dir (), "festivals",
                                                   "tokens.json", NULL);
  SecretWait secret_wait = { server->url, TRUE };
  g_autofree char *zero = fest_money_format (0, "Jetons");
  FestWindow *window;
  ViewWait view_wait;
  guint status;

  /* Sign in: the token goes to the keyring. */
  window = fest_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, first_client, server->url, FEST_APP_TEST_EMAIL,
                       FEST_APP_TEST_PASSWORD);
  view_wait = (ViewWait) { window, "backoffice" };
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_true (fest_app_test_wait (dashboard_ready, fest_window_get_dashboard (window), 10000));
  /* The login lists festivals without their details: the currency still shows. */
  g_assert_cmpstr (fest_dashboard_page_get_figure (FEST_DASHBOARD_PAGE (fest_window_get_dashboard (window)),
                                                   "revenue", FALSE), ==, zero);
  g_assert_true (fest_app_test_wait (secret_presence_is, &secret_wait, 10000));
  g_assert_false (fest_secrets_is_fallback ());
  g_assert_false (g_file_test (tokens_file, G_FILE_TEST_EXISTS));
  token = g_strdup (fest_client_get_token (first_client));
  stored = lookup_sync (server->url);
  g_assert_cmpstr (stored, ==, token);

  /* It really is in the Secret Service, under our schema. */
  keyring_secret = secret_password_lookup_sync (&(const SecretSchema) {
                                                  "app.festivals.Festivals.Token",
                                                  SECRET_SCHEMA_NONE,
                                                  { { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
                                                    { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
                                                    { NULL, 0 } } },
                                                NULL, &error,
                                                "kind", "session", "server", server->url, NULL);
  g_assert_no_error (error);
  g_assert_cmpstr (keyring_secret, ==, token);
  gtk_window_destroy (GTK_WINDOW (window));

  /* Next start: restored without typing anything. */
  window = fest_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  fest_window_open_server (window, second_client, server->url);
  view_wait = (ViewWait) { window, "backoffice" };
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 15000));
  g_assert_cmpstr (fest_client_get_token (second_client), ==, token);

  /* Sign out: the server forgets the token and so does the keyring. */
  fest_window_sign_out (window);
  view_wait = (ViewWait) { window, "login" };
  g_assert_true (fest_app_test_wait (view_is, &view_wait, 5000));
  secret_wait.present = FALSE;
  g_assert_true (fest_app_test_wait (secret_presence_is, &secret_wait, 10000));

  /* POST /auth/logout went out: the old token is refused (it may take a moment). */
  for (guint i = 0; i < 50; i++)
    {
      g_clear_pointer (&me, json_node_unref);
      status = fest_app_test_request (server, "GET", "/me", token, &me, NULL);
      if (status == 401)
        break;
      g_usleep (100 * 1000);
      while (g_main_context_iteration (NULL, FALSE));
    }
  g_assert_cmpuint (status, ==, 401);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_keyring_file_fallback (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", "tokens.json",
                                            NULL);
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *missing = NULL;
  g_autofree char *contents = NULL;
  struct stat info;

  fest_secrets_set_force_fallback (TRUE);
  g_assert_true (fest_secrets_is_fallback ());

  store_sync ("http://one.example", "token-one");
  store_sync ("http://two.example", "token-two");
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);

  first = lookup_sync ("http://one.example");
  second = lookup_sync ("http://two.example");
  missing = lookup_sync ("http://three.example");
  g_assert_cmpstr (first, ==, "token-one");
  g_assert_cmpstr (second, ==, "token-two");
  g_assert_null (missing);

  clear_sync ("http://one.example");
  g_clear_pointer (&first, g_free);
  first = lookup_sync ("http://one.example");
  g_assert_null (first);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_null (strstr (contents, "token-one"));

  clear_sync ("http://two.example");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  fest_secrets_set_force_fallback (FALSE);
}

int
main (int   argc,
      char *argv[])
{
  fest_app_test_init (&argc, &argv);

  g_test_add_func ("/fest/app/secrets/keyring-restore-and-sign-out", test_keyring_restore);
  g_test_add_func ("/fest/app/secrets/file-fallback", test_keyring_file_fallback);

  return g_test_run ();
}
