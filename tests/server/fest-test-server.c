/* fest-test-server.c: the fixture every server test uses: a real festivals-server on loopback
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* dl_iterate_phdr */
#define _GNU_SOURCE

#include "config.h"

#include <gio/gio.h>
#include <link.h>
#include <glib/gstdio.h>
#include <link.h>
#include <signal.h>
#include <stdarg.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fest-test-server.h"

#define STOP_TIMEOUT_S 60

struct _FestTestServer
{
  FestTestServerFlags  flags;
  char                *binary;
  char                *data_dir;
  char                *database;     /* PostgreSQL runs: this server's own database */
  char                *url;
  GSubprocess         *process;
  GPtrArray           *env;          /* "NAME=value" */
  GPtrArray           *args;
  SoupSession         *session;
  gboolean             has_superadmin;
  guint                n_festivals;
  guint                fd_limit;
};

/* ASan builds link the sanitizer runtime dynamically (gcc): it refuses to start when another
 * preloaded library comes before it, so the runtime this test runs with goes first. */
static int
find_asan_cb (struct dl_phdr_info *info,
              size_t               size,
              void                *data)
{
  char **path = data;

  if (*path == NULL && info->dlpi_name != NULL && strstr (info->dlpi_name, "/libasan.so") != NULL)
    *path = g_strdup (info->dlpi_name);
  return 0;
}

char *
fest_test_preload_list (const char *library)
{
  g_autofree char *asan = NULL;

  dl_iterate_phdr (find_asan_cb, &asan);
  if (asan != NULL)
    return g_strconcat (asan, ":", library, NULL);
  return g_strdup (library);
}

gboolean
fest_test_backend_is_pg (void)
{
  return g_getenv ("FEST_TEST_DATABASE") != NULL;
}

/* PostgreSQL runs: a new database for one server, in the cluster of FEST_TEST_DATABASE
 * (postgresql://USER@HOST:PORT/DB; `meson test --setup postgresql` starts it). Byte-order
 * collation, as the store requires. */
static char *
create_database (void)
{
  static guint counter;
  const char *url = g_getenv ("FEST_TEST_DATABASE");
  g_autofree char *name = g_strdup_printf ("fest_test_%d_%u", (int) getpid (), counter++);
  g_autofree char *base = g_strndup (url, strrchr (url, '/') - url);
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;
  g_autofree char *maintenance = g_strconcat ("--maintenance-db=", url, NULL);
  const char *argv[] = { "createdb", maintenance, "--template=template0", "--locale=C",
                         "--encoding=UTF8", name, NULL };

  /* createdb connects to the maintenance database to create the new one. */
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL,
                NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("createdb %s failed: %s", name, err);
  return g_strconcat (base, "/", name, NULL);
}

void
fest_test_server_share_database (FestTestServer *server,
                                 FestTestServer *other)
{
  g_assert_true (fest_test_backend_is_pg ());
  g_assert_null (server->process);
  if (other->database == NULL)
    other->database = create_database ();
  g_free (server->database);
  server->database = g_strdup (other->database);
}

/* --data-dir DIR, or --database URL on PostgreSQL runs. */
static void
add_store_args (FestTestServer *server,
                GPtrArray      *argv)
{
  if (fest_test_backend_is_pg ())
    {
      if (server->database == NULL)
        server->database = create_database ();
      g_ptr_array_add (argv, (char *) "--database");
      g_ptr_array_add (argv, server->database);
    }
  else
    {
      g_ptr_array_add (argv, (char *) "--data-dir");
      g_ptr_array_add (argv, server->data_dir);
    }
}

static const char *
server_binary (void)
{
  const char *binary = g_getenv ("FESTIVALS_SERVER");

  if (binary == NULL)
    g_error ("FESTIVALS_SERVER is not set: run the tests through meson test");
  return binary;
}

FestTestServer *
fest_test_server_new (FestTestServerFlags flags)
{
  FestTestServer *server = g_new0 (FestTestServer, 1);
  g_autoptr(GError) error = NULL;

  server->flags = flags;
  server->binary = g_strdup (server_binary ());
  server->data_dir = g_dir_make_tmp ("festivals-test-XXXXXX", &error);
  g_assert_no_error (error);
  server->env = g_ptr_array_new_with_free_func (g_free);
  server->args = g_ptr_array_new_with_free_func (g_free);
  server->session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 120,
                                                   "user-agent", "festivals-tests", NULL);

  if (!(flags & FEST_TEST_SERVER_NO_START))
    fest_test_server_start (server);
  return server;
}

void
fest_test_server_setenv (FestTestServer *server,
                         const char     *name,
                         const char     *value)
{
  g_ptr_array_add (server->env, g_strdup_printf ("%s=%s", name, value));
}

void
fest_test_server_preload (FestTestServer *server,
                          const char     *library)
{
  g_autofree char *list = fest_test_preload_list (library);

  g_ptr_array_add (server->env, g_strdup_printf ("LD_PRELOAD=%s", list));
}

void
fest_test_server_add_arg (FestTestServer *server,
                          const char     *arg)
{
  g_ptr_array_add (server->args, g_strdup (arg));
}

static void
child_setup (gpointer user_data)
{
  FestTestServer *server = user_data;

  /* A test that aborts must not leave its server running. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
  if (server->fd_limit > 0)
    {
      struct rlimit limit = { server->fd_limit, server->fd_limit };

      setrlimit (RLIMIT_NOFILE, &limit);
    }
}

static GSubprocessLauncher *
new_launcher (FestTestServer   *server,
              GSubprocessFlags  flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, server, NULL);

  for (guint i = 0; i < server->env->len; i++)
    {
      const char *entry = g_ptr_array_index (server->env, i);
      const char *equal = strchr (entry, '=');
      g_autofree char *name = g_strndup (entry, equal - entry);

      g_subprocess_launcher_setenv (launcher, name, equal + 1, TRUE);
    }
  return launcher;
}

void
fest_test_server_set_fd_limit (FestTestServer *server,
                               guint           limit)
{
  server->fd_limit = limit;
}

void
fest_test_server_start (FestTestServer *server)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_assert_null (server->process);

  g_ptr_array_add (argv, server->binary);
  add_store_args (server, argv);
  g_ptr_array_add (argv, (char *) "--listen");
  g_ptr_array_add (argv, (char *) "127.0.0.1:0");
  if (!(server->flags & FEST_TEST_SERVER_RATE_LIMIT))
    g_ptr_array_add (argv, (char *) "--no-rate-limit");
  for (guint i = 0; i < server->args->len; i++)
    g_ptr_array_add (argv, g_ptr_array_index (server->args, i));
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (server, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on "))
    g_error ("festivals-server did not start: first line “%s”", line != NULL ? line : "(EOF)");

  g_free (server->url);
  server->url = g_strdup (line + strlen ("listening on "));
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* Waits for the process with a bound; FALSE on timeout. */
static gboolean
wait_process (GSubprocess *process,
              guint        timeout_s)
{
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(GSource) timeout = g_timeout_source_new_seconds (timeout_s);
  gboolean done = FALSE;
  gboolean timed_out = FALSE;

  g_main_context_push_thread_default (context);
  g_source_set_callback (timeout, timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (timeout);
  /* Let a cancelled wait settle before the context goes. */
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return done;
}

void
fest_test_server_stop (FestTestServer *server)
{
  g_autoptr(GSubprocess) process = g_steal_pointer (&server->process);

  g_assert_nonnull (process);

  /* Close pooled keep-alive connections first: the server waits for nothing of ours. */
  soup_session_abort (server->session);

  g_subprocess_send_signal (process, SIGTERM);
  if (!wait_process (process, STOP_TIMEOUT_S))
    {
      g_subprocess_force_exit (process);
      wait_process (process, 10);
      g_error ("festivals-server did not stop within %d s of SIGTERM", STOP_TIMEOUT_S);
    }

  g_assert_true (g_subprocess_get_if_exited (process));
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
}

void
fest_test_server_kill (FestTestServer *server)
{
  g_autoptr(GSubprocess) process = g_steal_pointer (&server->process);

  g_assert_nonnull (process);
  g_subprocess_force_exit (process);
  g_assert_true (wait_process (process, 10));
  g_assert_true (g_subprocess_get_if_signaled (process));
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    while ((name = g_dir_read_name (dir)) != NULL)
      {
        g_autofree char *child = g_build_filename (path, name, NULL);

        if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
          remove_tree (child);
        else
          g_unlink (child);
      }
  g_rmdir (path);
}

void
fest_test_server_free (FestTestServer *server)
{
  if (server == NULL)
    return;

  if (server->process != NULL)
    fest_test_server_stop (server);

  remove_tree (server->data_dir);
  g_clear_object (&server->session);
  g_ptr_array_unref (server->env);
  g_ptr_array_unref (server->args);
  g_free (server->binary);
  g_free (server->data_dir);
  g_free (server->database);
  g_free (server->url);
  g_free (server);
}

const char *
fest_test_server_get_url (FestTestServer *server)
{
  return server->url;
}

const char *
fest_test_server_get_data_dir (FestTestServer *server)
{
  return server->data_dir;
}

const char *
fest_test_server_get_database (FestTestServer *server)
{
  if (fest_test_backend_is_pg () && server->database == NULL)
    server->database = create_database ();
  return server->database;
}

void
fest_test_server_get_store_args (FestTestServer  *server,
                                 const char     **option,
                                 const char     **value)
{
  if (fest_test_backend_is_pg ())
    {
      *option = "--database";
      *value = fest_test_server_get_database (server);
    }
  else
    {
      *option = "--data-dir";
      *value = server->data_dir;
    }
}

/* @url (postgresql://USER@HOST:PORT/DB, as create_database() makes it) for user @user. */
static char *
database_url_as (const char *url,
                 const char *user)
{
  const char *authority = strstr (url, "://");
  const char *at;

  g_assert_nonnull (authority);
  authority += strlen ("://");
  at = strchr (authority, '@');
  g_assert_nonnull (at);
  return g_strdup_printf ("%.*s%s%s", (int) (authority - url), url, user, at);
}

FestDb *
fest_test_server_open_db (FestTestServer *server,
                          const char     *festival_id,
                          gboolean        superuser)
{
  g_autoptr(GError) error = NULL;
  FestDb *db;

  if (fest_test_backend_is_pg ())
    {
      g_autofree char *url = NULL;
      g_autofree char *schema = NULL;
      g_autofree char *sql = NULL;

      url = superuser ? database_url_as (fest_test_server_get_database (server), "postgres")
                      : g_strdup (fest_test_server_get_database (server));
      db = fest_db_new_pg (url, &error);
      g_assert_no_error (error);
      /* The store names a festival's schema festival_ID (quoted: the id has '-'). */
      if (festival_id != NULL)
        {
          g_assert_null (strchr (festival_id, '"'));
          schema = g_strdup_printf ("\"festival_%s\"", festival_id);
        }
      sql = g_strdup_printf ("SET search_path TO %s", schema != NULL ? schema : "public");
      fest_test_db_exec (db, sql);
      if (superuser)
        fest_test_db_exec (db, "SET session_replication_role = replica");
    }
  else
    {
      g_autofree char *name = festival_id != NULL ? g_strdup_printf ("festival-%s.db", festival_id)
                                                  : g_strdup ("platform.db");
      g_autofree char *path = g_build_filename (server->data_dir, name, NULL);
      sqlite3 *sqlite = NULL;

      /* Not created here: a store the server did not make is a test's mistake. */
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
      g_assert_cmpint (sqlite3_open_v2 (path, &sqlite, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
      /* The server may be writing while the test reads. */
      sqlite3_busy_timeout (sqlite, 10000);
      db = fest_db_new_sqlite (sqlite);
    }
  return db;
}

gboolean
fest_test_db_try_exec (FestDb     *db,
                       const char *sql)
{
  g_autoptr(GError) error = NULL;

  if (!fest_db_exec (db, sql, &error))
    {
      g_test_message ("%s: %s", sql, error->message);
      return FALSE;
    }
  return TRUE;
}

void
fest_test_db_exec (FestDb     *db,
                   const char *sql)
{
  if (!fest_test_db_try_exec (db, sql))
    g_error ("%s failed (the database's message is above)", sql);
}

/* Prepares @sql and steps to its first row; asserts there is one. */
static FestDbStmt *
query_first_row (FestDb     *db,
                 const char *sql)
{
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt = fest_db_prepare_uncached (db, sql, &error);

  if (stmt == NULL)
    g_error ("%s: %s", sql, error->message);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_stmt_set_error (stmt, &error);
      g_error ("%s: no row (%s)", sql, error != NULL ? error->message : "done");
    }
  return stmt;
}

gint64
fest_test_db_change (FestDb     *db,
                     const char *sql_format,
                     ...)
{
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestDbStmt) stmt = NULL;
  va_list args;

  va_start (args, sql_format);
  sql = g_strdup_vprintf (sql_format, args);
  va_end (args);
  /* A statement, not fest_db_exec(): the row count is the statement's. */
  stmt = fest_db_prepare_uncached (db, sql, &error);
  if (stmt == NULL)
    g_error ("%s: %s", sql, error->message);
  if (fest_db_step (stmt) != FEST_DB_DONE)
    {
      fest_db_stmt_set_error (stmt, &error);
      g_error ("%s: %s", sql, error != NULL ? error->message : "returned rows");
    }
  return fest_db_changes (db);
}

gint64
fest_test_db_query_int (FestDb     *db,
                        const char *sql_format,
                        ...)
{
  g_autofree char *sql = NULL;
  g_autoptr(FestDbStmt) stmt = NULL;
  va_list args;

  va_start (args, sql_format);
  sql = g_strdup_vprintf (sql_format, args);
  va_end (args);
  stmt = query_first_row (db, sql);
  return fest_db_column_int64 (stmt, 0);
}

char *
fest_test_db_query_text (FestDb     *db,
                         const char *sql_format,
                         ...)
{
  g_autofree char *sql = NULL;
  g_autoptr(FestDbStmt) stmt = NULL;
  va_list args;

  va_start (args, sql_format);
  sql = g_strdup_vprintf (sql_format, args);
  va_end (args);
  stmt = query_first_row (db, sql);
  return g_strdup (fest_db_column_text (stmt, 0));
}

void
fest_test_db_drop_trigger (FestDb     *db,
                           const char *table,
                           const char *trigger)
{
  g_autofree char *sql = NULL;

  if (fest_db_is_pg (db))
    sql = g_strdup_printf ("ALTER TABLE %s DISABLE TRIGGER %s", table, trigger);
  else
    sql = g_strdup_printf ("DROP TRIGGER %s", trigger);
  fest_test_db_exec (db, sql);
}

GPid
fest_test_server_get_pid (FestTestServer *server)
{
  const char *id;

  g_assert_nonnull (server->process);
  id = g_subprocess_get_identifier (server->process);
  g_assert_nonnull (id);
  return (GPid) g_ascii_strtoll (id, NULL, 10);
}

SoupSession *
fest_test_server_get_session (FestTestServer *server)
{
  return server->session;
}

int
fest_test_server_run_command (FestTestServer  *server,
                              const char      *input,
                              char           **out,
                              char           **err,
                              const char      *first_arg,
                              ...)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *stdout_text = NULL;
  g_autofree char *stderr_text = NULL;
  const char *arg;
  va_list args;

  g_ptr_array_add (argv, server->binary);
  add_store_args (server, argv);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (server, G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                   | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate_utf8 (process, input, NULL, &stdout_text, &stderr_text, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_exited (process));

  if (out != NULL)
    *out = g_steal_pointer (&stdout_text);
  if (err != NULL)
    *err = g_steal_pointer (&stderr_text);
  return g_subprocess_get_exit_status (process);
}

void
fest_test_server_create_superadmin (FestTestServer *server,
                                    const char     *email,
                                    const char     *password)
{
  g_autofree char *input = g_strdup_printf ("%s\n", password);
  g_autofree char *err = NULL;
  int status;

  status = fest_test_server_run_command (server, input, NULL, &err, "--create-superadmin", email,
                                         NULL);
  if (status != 0)
    g_error ("--create-superadmin %s failed (%d): %s", email, status, err);
}

guint
fest_test_server_request_full (FestTestServer      *server,
                               const char          *method,
                               const char          *path,
                               const char          *token,
                               const char          *content_type,
                               GBytes              *body,
                               const char * const  *headers,
                               SoupMessageHeaders **response_headers,
                               JsonNode           **reply)
{
  g_autofree char *uri = g_strconcat (server->url, "/api/v1", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, uri);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *request_headers;

  g_assert_nonnull (msg);
  request_headers = soup_message_get_request_headers (msg);

  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);
      soup_message_headers_replace (request_headers, "Authorization", authorization);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    soup_message_headers_replace (request_headers, headers[i], headers[i + 1]);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type != NULL ? content_type
                                                                        : "application/json",
                                              body);

  if (reply != NULL)
    *reply = NULL;

  response = soup_session_send_and_read (server->session, msg, NULL, &error);
  if (response == NULL)
    {
      g_test_message ("%s %s: transport error: %s", method, path, error->message);
      return 0;
    }

  if (response_headers != NULL)
    *response_headers = g_boxed_copy (SOUP_TYPE_MESSAGE_HEADERS,
                                      soup_message_get_response_headers (msg));

  if (reply != NULL && g_bytes_get_size (response) > 0)
    {
      gsize size;
      const char *data = g_bytes_get_data (response, &size);
      g_autofree char *text = g_strndup (data, size);

      *reply = json_from_string (text, NULL);
    }

  return soup_message_get_status (msg);
}

guint
fest_test_server_request (FestTestServer  *server,
                          const char      *method,
                          const char      *path,
                          const char      *token,
                          const char      *json_body,
                          JsonNode       **reply)
{
  g_autoptr(GBytes) body = NULL;

  if (json_body != NULL)
    body = g_bytes_new (json_body, strlen (json_body));
  return fest_test_server_request_full (server, method, path, token, "application/json", body, NULL,
                                        NULL, reply);
}

guint
fest_test_server_requestf (FestTestServer  *server,
                           const char      *method,
                           const char      *path,
                           const char      *token,
                           JsonNode       **reply,
                           const char      *body_format,
                           ...)
{
  g_autofree char *body = NULL;
  va_list args;

  va_start (args, body_format);
  body = g_strdup_vprintf (body_format, args);
  va_end (args);
  return fest_test_server_request (server, method, path, token, body, reply);
}

char *
fest_test_server_login (FestTestServer *server,
                        const char     *email,
                        const char     *password,
                        const char     *festival_id)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (festival_id != NULL)
    {
      json_builder_set_member_name (builder, "festival_id");
      json_builder_add_string_value (builder, festival_id);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL, text, &reply);
  g_assert_cmpuint (status, ==, 200);
  return g_strdup (fest_test_json_string (reply, "data.token"));
}

char *
fest_test_server_create_festival (FestTestServer *server,
                                  const char     *token,
                                  const char     *name)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *text = NULL;
  guint status;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "starts_at");
  json_builder_add_string_value (builder, "2026-07-10T12:00:00Z");
  json_builder_set_member_name (builder, "ends_at");
  json_builder_add_string_value (builder, "2026-07-13T02:00:00Z");
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, "Europe/Paris");
  json_builder_set_member_name (builder, "currency_name");
  json_builder_add_string_value (builder, "Jetons");
  json_builder_set_member_name (builder, "exchange_rate_cents");
  json_builder_add_int_value (builder, 10);
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, 45.75);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, 4.85);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  text = json_to_string (body, FALSE);

  status = fest_test_server_request (server, "POST", "/festivals", token, text, &reply);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

char *
fest_test_server_add_member (FestTestServer  *server,
                             const char      *organiser_token,
                             const char      *festival_id,
                             const char      *email,
                             const char      *roles,
                             char           **account_id)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (server, "POST", "/members", organiser_token, &reply,
                                      "{\"email\":\"%s\",\"name\":\"Member %s\",\"password\":\"%s\","
                                      "\"roles\":[\"%s\"]}",
                                      email, email, FEST_TEST_PASSWORD, roles);
  g_assert_cmpuint (status, ==, 201);
  if (account_id != NULL)
    *account_id = g_strdup (fest_test_json_string (reply, "data.id"));
  return fest_test_server_login (server, email, FEST_TEST_PASSWORD, festival_id);
}

void
fest_test_server_setup_festival (FestTestServer   *server,
                                 const char       *name,
                                 FestTestFestival *out)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *organiser_email = NULL;
  guint status;

  memset (out, 0, sizeof *out);
  out->superadmin_email = g_strdup ("admin@test.festivals");
  if (!server->has_superadmin)
    {
      fest_test_server_create_superadmin (server, out->superadmin_email, FEST_TEST_PASSWORD);
      server->has_superadmin = TRUE;
    }

  out->superadmin_token = fest_test_server_login (server, out->superadmin_email, FEST_TEST_PASSWORD,
                                                  NULL);
  out->festival_id = fest_test_server_create_festival (server, out->superadmin_token, name);

  /* Make the new festival the superadmin token's current one. */
  status = fest_test_server_requestf (server, "POST", "/auth/festival", out->superadmin_token,
                                      &reply, "{\"festival_id\":\"%s\"}", out->festival_id);
  g_assert_cmpuint (status, ==, 200);

  organiser_email = g_strdup_printf ("organiser%u@test.festivals", ++server->n_festivals);
  out->organiser_token = fest_test_server_add_member (server, out->superadmin_token,
                                                      out->festival_id, organiser_email,
                                                      "ORGANISER", &out->organiser_id);
}

void
fest_test_festival_clear (FestTestFestival *festival)
{
  g_clear_pointer (&festival->superadmin_email, g_free);
  g_clear_pointer (&festival->superadmin_token, g_free);
  g_clear_pointer (&festival->festival_id, g_free);
  g_clear_pointer (&festival->organiser_id, g_free);
  g_clear_pointer (&festival->organiser_token, g_free);
}

JsonNode *
fest_test_json_get (JsonNode   *node,
                    const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path, ".", -1);

  for (guint i = 0; node != NULL && parts[i] != NULL; i++)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *object = json_node_get_object (node);
          node = json_object_has_member (object, parts[i]) ? json_object_get_member (object, parts[i])
                                                           : NULL;
        }
      else if (JSON_NODE_HOLDS_ARRAY (node) && g_ascii_isdigit (parts[i][0]))
        {
          JsonArray *array = json_node_get_array (node);
          guint index = (guint) g_ascii_strtoull (parts[i], NULL, 10);
          node = index < json_array_get_length (array) ? json_array_get_element (array, index) : NULL;
        }
      else
        node = NULL;
    }

  return node;
}

const char *
fest_test_json_string (JsonNode   *node,
                       const char *path)
{
  JsonNode *member = fest_test_json_get (node, path);

  if (member == NULL || JSON_NODE_HOLDS_NULL (member))
    return NULL;
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_STRING);
  return json_node_get_string (member);
}

gint64
fest_test_json_int (JsonNode   *node,
                    const char *path)
{
  JsonNode *member = fest_test_json_get (node, path);

  g_assert_nonnull (member);
  g_assert_true (JSON_NODE_HOLDS_VALUE (member));
  g_assert_cmpint (json_node_get_value_type (member), ==, G_TYPE_INT64);
  return json_node_get_int (member);
}

void
fest_test_assert_error (JsonNode   *reply,
                        const char *code,
                        const char *field)
{
  g_assert_nonnull (reply);
  g_assert_null (fest_test_json_get (reply, "data"));
  g_assert_cmpstr (fest_test_json_string (reply, "error.code"), ==, code);
  g_assert_nonnull (fest_test_json_string (reply, "error.message"));
  if (field != NULL)
    g_assert_cmpstr (fest_test_json_string (reply, "error.details.field"), ==, field);
}
