/* main.c: the festivals-server command line
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <locale.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "fest-demo.h"
#include "fest-ledger-check.h"
#include "fest-ledger.h"
#include "fest-platform-store.h"
#include "fest-routes.h"
#include "fest-server-private.h"
#include "fest-store-check.h"
#include "fest-store-import.h"
#include "fest-webhook-payment-provider.h"

#define DEFAULT_LISTEN "127.0.0.1:8080"

#define DEFAULT_IDLE_TIMEOUT_S 60

typedef struct
{
  GMainLoop  *loop;
  FestServer *server;
  int         status;
} App;

/* Every connection is a file descriptor: the usual soft limit (1024) would let a few hundred
 * slow clients starve the server. The hard limit is what the administrator allows. */
static void
raise_fd_limit (void)
{
  struct rlimit limit;

  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    return;
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_warning ("Cannot raise the file descriptor limit: %s", g_strerror (errno));
      getrlimit (RLIMIT_NOFILE, &limit);
    }
  g_debug ("File descriptor limit: %" G_GUINT64_FORMAT, (guint64) limit.rlim_cur);
}

static char *
read_password_line (GError **error)
{
  char buffer[1024];
  gsize len;

  if (fgets (buffer, sizeof buffer, stdin) == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "Expected the password as one line on standard input");
      return NULL;
    }

  len = strlen (buffer);
  while (len > 0 && (buffer[len - 1] == '\n' || buffer[len - 1] == '\r'))
    buffer[--len] = '\0';

  return g_strdup (buffer);
}

/* The platform's store: platform.db in @data_dir, or schema public of @database. */
static FestPlatformStore *
open_platform (const char  *data_dir,
               const char  *database,
               GError     **error)
{
  g_autofree char *path = NULL;

  if (database != NULL)
    return fest_platform_store_open_pg (database, error);
  path = g_build_filename (data_dir, "platform.db", NULL);
  return fest_platform_store_open (path, error);
}

static int
create_superadmin (const char *data_dir,
                   const char *database,
                   const char *email)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestPlatformStore) platform = NULL;
  g_autoptr(FestAccount) account = NULL;
  g_autofree char *password = NULL;
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  if (strchr (email, '@') == NULL || g_utf8_strlen (email, -1) > 254)
    {
      g_printerr ("festivals-server: “%s” is not an email address\n", email);
      return 2;
    }

  password = read_password_line (&error);
  if (password == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 2;
    }
  if (g_utf8_strlen (password, -1) < FEST_PASSWORD_MIN_CHARS)
    {
      g_printerr ("festivals-server: the password must have at least %d characters\n",
                  FEST_PASSWORD_MIN_CHARS);
      return 2;
    }

  platform = open_platform (data_dir, database, &error);
  if (platform == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }

  hash = fest_password_hash (password, &error);
  if (hash == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }

  name = g_strndup (email, strchr (email, '@') - email);
  account = fest_platform_store_create_account (platform, email, name, hash, TRUE, &error);
  if (account == NULL)
    {
      g_printerr ("festivals-server: cannot create %s: %s\n", email, error->message);
      return 1;
    }

  g_print ("created superadmin %s (%s)\n", account->email, account->id);
  return 0;
}

/* Checks one database file; appends to @report. */
static gboolean
check_database (const char *path,
                gboolean    ledger,
                GString    *report)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr(GString) lines = g_string_new (NULL);
  gboolean ok;

  /* A festival's database: its ledger invariants (fest_ledger_check runs the integrity check too). */
  ok = ledger ? fest_ledger_check (path, lines) : fest_store_check_integrity (path, lines);

  if (!ok)
    {
      g_auto(GStrv) split = g_strsplit (lines->str, "\n", -1);

      if (lines->len == 0)
        g_string_append_printf (report, "%s: check failed\n", name);
      for (guint i = 0; split[i] != NULL; i++)
        if (split[i][0] != '\0')
          g_string_append_printf (report, "%s: %s\n", name, split[i]);
    }

  return ok;
}

static int
run_check (const char *data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *platform = g_build_filename (data_dir, "platform.db", NULL);
  const char *entry;
  guint n_bad = 0;

  if (!g_file_test (platform, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("festivals-server: %s has no platform.db\n", data_dir);
      return 1;
    }
  if (!check_database (platform, FALSE, report))
    n_bad++;

  dir = g_dir_open (data_dir, 0, &error);
  if (dir == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }
  while ((entry = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (entry, "festival-") && g_str_has_suffix (entry, ".db"))
      g_ptr_array_add (files, g_build_filename (data_dir, entry, NULL));
  g_ptr_array_sort (files, (GCompareFunc) g_strcmp0);

  for (guint i = 0; i < files->len; i++)
    if (!check_database (g_ptr_array_index (files, i), TRUE, report))
      n_bad++;

  if (n_bad > 0)
    {
      g_printerr ("%s", report->str);
      g_printerr ("festivals-server: %u of %u databases have problems\n", n_bad, files->len + 1);
      return 1;
    }

  g_print ("ok: platform.db and %u festival databases checked\n", files->len);
  return 0;
}

/* --check on PostgreSQL: each festival's schema (the database checks its own pages). */
static int
run_check_pg (const char *database)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) report = g_string_new (NULL);
  g_autoptr(FestPlatformStore) platform = NULL;
  g_auto(GStrv) festivals = NULL;
  guint n_bad = 0;
  guint n = 0;

  platform = fest_platform_store_open_pg (database, &error);
  if (platform != NULL)
    festivals = fest_platform_store_list_festivals (platform, &error);
  if (festivals == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }

  for (n = 0; festivals[n] != NULL; n++)
    {
      g_autoptr(FestLedgerCheckDb) db = NULL;
      g_autoptr(GError) local_error = NULL;
      g_autoptr(GString) lines = g_string_new (NULL);
      gboolean ok;

      db = fest_ledger_check_db_open_pg (database, festivals[n], &local_error);
      if (db == NULL)
        g_string_append_printf (lines, "%s\n", local_error->message);
      ok = db != NULL && fest_ledger_check_db (db, lines);
      if (!ok)
        {
          g_auto(GStrv) split = g_strsplit (lines->str, "\n", -1);

          n_bad++;
          for (guint i = 0; split[i] != NULL; i++)
            if (split[i][0] != '\0')
              g_string_append_printf (report, "festival_%s: %s\n", festivals[n], split[i]);
        }
    }

  if (n_bad > 0)
    {
      g_printerr ("%s", report->str);
      g_printerr ("festivals-server: %u of %u festivals have problems\n", n_bad, n);
      return 1;
    }

  g_print ("ok: the platform and %u festival schemas checked\n", n);
  return 0;
}

static void
shutdown_done_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  App *app = user_data;
  g_autoptr(GError) error = NULL;

  if (!fest_server_shutdown_finish (FEST_SERVER (object), result, &error))
    {
      g_printerr ("festivals-server: shutdown: %s\n", error->message);
      app->status = 1;
    }
  g_main_loop_quit (app->loop);
}

static gboolean
signal_cb (gpointer user_data)
{
  App *app = user_data;

  g_message ("Stopping: finishing requests in flight");
  fest_server_shutdown_async (app->server, shutdown_done_cb, app);
  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *database = NULL;
  g_autofree char *database_file = NULL;
  g_autofree char *import_sqlite = NULL;
  g_autofree char *listen = NULL;
  g_autofree char *superadmin = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *payment_webhook_secret = NULL;
  g_autoptr(FestWebhookPaymentProvider) payment_provider = NULL;
  g_auto(GStrv) trusted_proxies = NULL;
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(FestServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *uri = NULL;
  gboolean demo = FALSE;
  gboolean check = FALSE;
  gboolean no_rate_limit = FALSE;
  gboolean version = FALSE;
  int header_timeout = 15;
  int max_client_connections = 128;
  int cancel_window = FEST_LEDGER_CANCEL_WINDOW_DEFAULT;
  int idle_timeout = DEFAULT_IDLE_TIMEOUT_S;
  int token_lifetime = FEST_SESSION_LIFETIME_DEFAULT;
  FestServerConfig config = { 0 };
  App app = { 0 };
  guint sigterm_id, sigint_id;
  GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &data_dir,
      "Directory of platform.db and the festival databases (created 0700)", "DIR" },
    { "database", 0, 0, G_OPTION_ARG_STRING, &database,
      "Keep the data in PostgreSQL instead (postgresql://USER[:PASSWORD]@HOST[:PORT]/DB or a "
      "libpq conninfo; what it leaves out comes from the PG* environment variables)", "URL" },
    { "database-file", 0, 0, G_OPTION_ARG_FILENAME, &database_file,
      "Read --database from the first line of FILE (keeps a password off the command line)",
      "FILE" },
    { "import-sqlite", 0, 0, G_OPTION_ARG_FILENAME, &import_sqlite,
      "Move the festival of FILE (a festival-<id>.db beside its platform.db) into --database, "
      "then exit", "FILE" },
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address to serve on (default " DEFAULT_LISTEN "; port 0 picks a free one)", "HOST:PORT" },
    { "create-superadmin", 0, 0, G_OPTION_ARG_STRING, &superadmin,
      "Create a platform administrator (password as one line on stdin) and exit", "EMAIL" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Fill an empty data directory with the demo festival, then serve", NULL },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      "Verify every database's integrity and ledger invariants and exit", NULL },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "TLS certificate (PEM)", "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "TLS private key (PEM)", "FILE" },
    { "no-rate-limit", 0, 0, G_OPTION_ARG_NONE, &no_rate_limit,
      "Turn the rate limiter off (benchmarks, load tests)", NULL },
    { "payment-webhook-secret", 0, 0, G_OPTION_ARG_FILENAME, &payment_webhook_secret,
      "Take online top-ups through a payment gateway that signs its webhooks with the secret in "
      "FILE (without it, online top-ups are refused)", "FILE" },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING_ARRAY, &trusted_proxies,
      "A reverse proxy whose X-Forwarded-For is believed (repeatable)", "ADDR[/PREFIX]" },
    { "header-timeout", 0, 0, G_OPTION_ARG_INT, &header_timeout,
      "Seconds a client gets to send a request's line and headers (default 15)", "SECONDS" },
    { "max-client-connections", 0, 0, G_OPTION_ARG_INT, &max_client_connections,
      "Connections per client address (default 128); over it, the address's oldest idle one "
      "is closed", "N" },
    { "cancel-window", 0, 0, G_OPTION_ARG_INT, &cancel_window,
      "Seconds after a payment during which its cashier may cancel it (default 120)", "SECONDS" },
    { "idle-timeout", 0, 0, G_OPTION_ARG_INT, &idle_timeout,
      "Seconds a connection may stay idle between requests before it is closed (default 60)",
      "SECONDS" },
    { "token-lifetime", 0, 0, G_OPTION_ARG_INT, &token_lifetime,
      "Seconds a session token stays valid after login (default 43200, 12 hours)", "SECONDS" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version and exit", NULL },
    { NULL }
  };

  setlocale (LC_ALL, "");
  /* Before the stores' first use (fest-store-check.h). When glibc's allocator is the one in use (a
   * build without jemalloc), no heap trimming after each write batch: glibc would give the
   * writer's arena back to the kernel and grow it again. */
  fest_store_init ();
  mallopt (M_TRIM_THRESHOLD, 64 * 1024 * 1024);
  mallopt (M_TOP_PAD, 16 * 1024 * 1024);

  context = g_option_context_new ("— the Festivals server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 2;
    }

  if (version)
    {
      g_print ("festivals-server %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (database_file != NULL)
    {
      g_autofree char *contents = NULL;

      if (database != NULL)
        {
          g_printerr ("festivals-server: --database and --database-file are exclusive\n");
          return 2;
        }
      if (!g_file_get_contents (database_file, &contents, NULL, &error))
        {
          g_printerr ("festivals-server: %s\n", error->message);
          return 2;
        }
      if (strchr (contents, '\n') != NULL)
        *strchr (contents, '\n') = '\0';
      database = g_strdup (g_strstrip (contents));
    }
  if (database != NULL && data_dir != NULL)
    {
      g_printerr ("festivals-server: --data-dir (SQLite) and --database (PostgreSQL) are exclusive\n");
      return 2;
    }
  if (database != NULL && database[0] == '\0')
    {
      g_printerr ("festivals-server: --database is empty\n");
      return 2;
    }
  if (data_dir == NULL && database == NULL)
    {
      g_printerr ("festivals-server: --data-dir or --database is required\n");
      return 2;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("festivals-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (header_timeout < 1 || max_client_connections < 1 || idle_timeout < 1 || token_lifetime < 1)
    {
      g_printerr ("festivals-server: --header-timeout, --max-client-connections, --idle-timeout "
                  "and --token-lifetime take a positive number\n");
      return 2;
    }
  if (cancel_window < 0)
    {
      g_printerr ("festivals-server: --cancel-window takes a number of seconds, 0 or more\n");
      return 2;
    }
  fest_ledger_set_cancel_window (cancel_window);

  if (data_dir != NULL && g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      g_printerr ("festivals-server: cannot create %s: %s\n", data_dir, g_strerror (errno));
      return 1;
    }

  if (import_sqlite != NULL)
    {
      g_autoptr(GString) summary = g_string_new (NULL);

      if (database == NULL)
        {
          g_printerr ("festivals-server: --import-sqlite needs --database\n");
          return 2;
        }
      if (!fest_store_import_sqlite (import_sqlite, database, summary, &error))
        {
          g_printerr ("festivals-server: import: %s\n", error->message);
          return 1;
        }
      g_print ("%s", summary->str);
      return 0;
    }

  if (superadmin != NULL)
    return create_superadmin (data_dir, database, superadmin);

  if (check)
    return database != NULL ? run_check_pg (database) : run_check (data_dir);

  if (tls_cert != NULL)
    {
      certificate = g_tls_certificate_new_from_files (tls_cert, tls_key, &error);
      if (certificate == NULL)
        {
          g_printerr ("festivals-server: TLS: %s\n", error->message);
          return 1;
        }
    }

  if (payment_webhook_secret != NULL)
    {
      payment_provider = fest_webhook_payment_provider_new_from_file (payment_webhook_secret, &error);
      if (payment_provider == NULL)
        {
          g_printerr ("festivals-server: %s\n", error->message);
          return 2;
        }
    }

  config.data_dir = data_dir;
  config.database = database;
  config.rate_limit = !no_rate_limit;
  config.max_body_size = 1024 * 1024;
  config.idle_timeout_s = (guint) idle_timeout;
  config.token_lifetime_s = (guint) token_lifetime;
  config.trusted_proxies = trusted_proxies;
  config.header_timeout_s = (guint) header_timeout;
  config.max_client_connections = (guint) max_client_connections;
  config.register_routes = fest_routes_register_all;

  raise_fd_limit ();

  server = fest_server_new (&config, &error);
  if (server == NULL)
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }

  if (payment_provider != NULL)
    fest_server_set_payment_provider (server, FEST_PAYMENT_PROVIDER (payment_provider));

  if (demo)
    {
      if (fest_platform_store_is_empty (fest_server_get_platform (server)))
        {
          if (!fest_demo_populate (server, &error))
            {
              g_printerr ("festivals-server: demo: %s\n", error->message);
              return 1;
            }
        }
      else
        g_message ("The data directory is not empty: serving its data instead of a new demo");
    }

  if (!fest_server_listen (server, listen != NULL ? listen : DEFAULT_LISTEN, certificate, &error))
    {
      g_printerr ("festivals-server: %s\n", error->message);
      return 1;
    }

  /* Handlers first: a SIGTERM sent as soon as the line below is read must still stop cleanly. */
  loop = g_main_loop_new (NULL, FALSE);
  app.loop = loop;
  app.server = server;
  sigterm_id = g_unix_signal_add (SIGTERM, signal_cb, &app);
  sigint_id = g_unix_signal_add (SIGINT, signal_cb, &app);

  uri = fest_server_get_uri (server);
  g_print ("listening on %s\n", uri);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);

  /* Let completions already queued by the writers run before the stores go. */
  while (g_main_context_iteration (NULL, FALSE))
    ;

  g_clear_object (&server);
  return app.status;
}
