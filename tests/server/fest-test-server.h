/* fest-test-server.h: the fixture every server test uses: a real festivals-server on loopback
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fest_test_server_new() starts the binary named by $FESTIVALS_SERVER (set by tests/meson.build)
 * on a fresh temporary data dir with `--listen 127.0.0.1:0 --no-rate-limit`, reads the
 * `listening on URL` line, and talks to it through one SoupSession (sync API). Teardown
 * (fest_test_server_free) sends SIGTERM and asserts exit status 0, then deletes the data dir.
 *
 * Typical use:
 *
 *   g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
 *   FestTestFestival fest;
 *   fest_test_server_setup_festival (server, "Test fest", &fest);   // superadmin + festival
 *   g_autoptr(JsonNode) reply = NULL;
 *   guint status = fest_test_server_request (server, "POST", "/stands", fest.organiser_token,
 *                                            "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply);
 *   g_assert_cmpuint (status, ==, 201);
 *   g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bar");
 *
 * Every helper asserts on failure (g_assert*), so tests stay short. A test that aborts does not
 * leave its server behind (the child gets PR_SET_PDEATHSIG).
 *
 * The server has no test hooks of its own: tests pass it options (fest_test_server_add_arg(),
 * e.g. "--token-lifetime=2", "--idle-timeout=1") or preload a library into it
 * (fest_test_server_preload(): fest-disk-fault-preload.c, fest-slow-login-preload.c).
 */

#pragma once

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fest-db.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_TEST_SERVER_DEFAULT    = 0,
  FEST_TEST_SERVER_RATE_LIMIT = 1 << 0,  /* keep the rate limiter on (no --no-rate-limit) */
  FEST_TEST_SERVER_NO_START   = 1 << 1,  /* create the data dir only; call fest_test_server_start */
} FestTestServerFlags;

typedef struct _FestTestServer FestTestServer;

/* What fest_test_server_setup_festival() creates. Strings owned by the struct. */
typedef struct
{
  char *superadmin_email;     /* admin@test.festivals, password FEST_TEST_PASSWORD */
  char *superadmin_token;     /* current festival: the new festival */
  char *festival_id;
  char *organiser_id;         /* organiser@test.festivals, ORGANISER of the festival */
  char *organiser_token;
} FestTestFestival;

#define FEST_TEST_PASSWORD "correct horse battery"

FestTestServer *fest_test_server_new            (FestTestServerFlags  flags);
/* Extra environment for the server process ("NAME=value"), before start. */
void            fest_test_server_setenv         (FestTestServer      *server,
                                                 const char          *name,
                                                 const char          *value);
/* Extra command-line argument for the server (e.g. "--demo"), before start. */
void            fest_test_server_add_arg        (FestTestServer      *server,
                                                 const char          *arg);
/* Preloads @library (LD_PRELOAD) into the server, after the sanitizer runtime in ASan builds,
 * before start. */
void            fest_test_server_preload        (FestTestServer      *server,
                                                 const char          *library);
/* The server's file descriptor limit (soft and hard), before start; 0 (the default) inherits. */
void            fest_test_server_set_fd_limit   (FestTestServer      *server,
                                                 guint                limit);
/* The LD_PRELOAD value that loads @library (a test's preload module) into a server: after the
 * AddressSanitizer runtime this test runs with, if any (transfer full). */
char           *fest_test_preload_list          (const char          *library);
/* Starts (or restarts after stop) the server on the same data dir. */
void            fest_test_server_start          (FestTestServer      *server);
/* SIGTERM, waits, asserts exit 0. The data dir stays. */
void            fest_test_server_stop           (FestTestServer      *server);
/* Stops if running, deletes the data dir. */
void            fest_test_server_free           (FestTestServer      *server);
/* SIGKILL, as a crash or a power cut would stop it; waits for it to be gone. */
void            fest_test_server_kill           (FestTestServer      *server);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestTestServer, fest_test_server_free)

const char     *fest_test_server_get_url        (FestTestServer      *server);  /* http://127.0.0.1:N */
const char     *fest_test_server_get_data_dir   (FestTestServer      *server);
/* TRUE when the servers run on PostgreSQL (`meson test --setup postgresql`): their data is not in
 * the data directory's SQLite files. */
gboolean        fest_test_backend_is_pg         (void);
/* PostgreSQL runs: the URL of this server's own database (created on first use), else NULL. */
const char     *fest_test_server_get_database   (FestTestServer      *server);
/* What points a festivals-server at this server's store, for a test that spawns one of its own:
 * *option "--data-dir" and *value the data dir, or "--database" and the URL on PostgreSQL runs. */
void            fest_test_server_get_store_args (FestTestServer      *server,
                                                 const char         **option,
                                                 const char         **value);
/* PostgreSQL runs: @server (not started) serves @other's database, as a second process would. */
void            fest_test_server_share_database (FestTestServer      *server,
                                                 FestTestServer      *other);
GPid            fest_test_server_get_pid        (FestTestServer      *server);
SoupSession    *fest_test_server_get_session    (FestTestServer      *server);

/* Runs `festivals-server --data-dir DIR ARGS...` to completion (stdin from @input, nullable);
 * returns its exit status (WEXITSTATUS), output in @out / @err (nullable). */
int             fest_test_server_run_command    (FestTestServer      *server,
                                                 const char          *input,
                                                 char               **out,
                                                 char               **err,
                                                 const char          *first_arg,
                                                 ...) G_GNUC_NULL_TERMINATED;

/* `--create-superadmin EMAIL` with @password on stdin; asserts success. Works while serving. */
void            fest_test_server_create_superadmin (FestTestServer   *server,
                                                 const char          *email,
                                                 const char          *password);

/* POST /auth/login; asserts 200 and returns the token (transfer full). @festival_id nullable. */
char           *fest_test_server_login          (FestTestServer      *server,
                                                 const char          *email,
                                                 const char          *password,
                                                 const char          *festival_id);

/* One request to /api/v1@path. @json_body nullable (sent as application/json). Returns the
 * status; *reply (nullable) gets the parsed body, or NULL if it was empty / not JSON. */
guint           fest_test_server_request        (FestTestServer      *server,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *token,
                                                 const char          *json_body,
                                                 JsonNode           **reply);
/* printf-style body. */
guint           fest_test_server_requestf       (FestTestServer      *server,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *token,
                                                 JsonNode           **reply,
                                                 const char          *body_format,
                                                 ...) G_GNUC_PRINTF (6, 7);
/* Full control: raw body (nullable), content type, extra request headers (nullable, "Name",
 * "value" pairs NULL-terminated array), response headers out (nullable, transfer full). */
guint           fest_test_server_request_full   (FestTestServer      *server,
                                                 const char          *method,
                                                 const char          *path,
                                                 const char          *token,
                                                 const char          *content_type,
                                                 GBytes              *body,
                                                 const char * const  *headers,
                                                 SoupMessageHeaders **response_headers,
                                                 JsonNode           **reply);

/* Superadmin (created once per server) + a festival + an organiser member; fills @out. */
void            fest_test_server_setup_festival (FestTestServer      *server,
                                                 const char          *name,
                                                 FestTestFestival    *out);
void            fest_test_festival_clear        (FestTestFestival    *festival);
/* POST /festivals as @token; asserts 201 and returns the id. */
char           *fest_test_server_create_festival (FestTestServer     *server,
                                                 const char          *token,
                                                 const char          *name);
/* POST /members {email, name, password FEST_TEST_PASSWORD, roles} in @token's festival, then logs
 * the member in to @festival_id. @roles like "CASHIER" or "CASHIER\",\"SCANNER". Returns the
 * member's token; *account_id (nullable) gets its id. */
char           *fest_test_server_add_member     (FestTestServer      *server,
                                                 const char          *organiser_token,
                                                 const char          *festival_id,
                                                 const char          *email,
                                                 const char          *roles,
                                                 char               **account_id);

/* The server's data, whatever the backend, for tests that look behind the API (audit rows, state
 * after an operation) or tamper with it (then `--check` must tell). @festival_id: that festival's
 * store, NULL: the platform's. SQLite: the data dir's platform.db or festival-ID.db (asserts that
 * it exists). PostgreSQL: the server's database, search_path set to the festival's schema or
 * public; with @superuser, as user postgres with session_replication_role = replica, so that no
 * trigger fires (SQLite has no such thing: see fest_test_db_drop_trigger()). Free with
 * fest_db_free(). The SQL must run on both: ?N parameters, no SQLite-only functions. */
FestDb         *fest_test_server_open_db        (FestTestServer      *server,
                                                 const char          *festival_id,
                                                 gboolean             superuser);
/* Runs @sql (no rows); asserts that it succeeds. */
void            fest_test_db_exec               (FestDb              *db,
                                                 const char          *sql);
/* Runs @sql (no rows) and returns whether it succeeded (a refused change: FALSE). */
gboolean        fest_test_db_try_exec           (FestDb              *db,
                                                 const char          *sql);
/* Runs one INSERT, UPDATE or DELETE (printf-style); asserts that it succeeds and returns the number
 * of rows it changed. */
gint64          fest_test_db_change             (FestDb              *db,
                                                 const char          *sql_format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* The first column of the first row of @sql as an integer (printf-style); asserts a row. */
gint64          fest_test_db_query_int          (FestDb              *db,
                                                 const char          *sql_format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* The same as text (transfer full; NULL for SQL NULL). */
char           *fest_test_db_query_text         (FestDb              *db,
                                                 const char          *sql_format,
                                                 ...) G_GNUC_PRINTF (2, 3);
/* Takes the guard @trigger of @table out of the way, for good, as someone with the database could:
 * SQLite drops it, PostgreSQL disables it (ALTER TABLE ... DISABLE TRIGGER, as the tables' owner). */
void            fest_test_db_drop_trigger       (FestDb              *db,
                                                 const char          *table,
                                                 const char          *trigger);

/* Dotted paths into a reply: "data.user.email", "data.0.id" (array index), "error.code". */
JsonNode       *fest_test_json_get              (JsonNode            *node,
                                                 const char          *path);
const char     *fest_test_json_string           (JsonNode            *node,
                                                 const char          *path);
gint64          fest_test_json_int              (JsonNode            *node,
                                                 const char          *path);
/* Asserts {"error":{"code":code}} and, when @field is non-NULL, details.field == @field. */
void            fest_test_assert_error          (JsonNode            *reply,
                                                 const char          *code,
                                                 const char          *field);

/* SQL undoing the migrations after 9, for the tests that rewind a festival file to an older
 * version and let the server migrate it again: 13 (stands and products by rev), 12 (report sums),
 * 11 (shift seq, till indexes), 10 (closures, shifts). */
#define FEST_TEST_UNDO_MIGRATIONS_FROM_10 \
  "DROP INDEX idx_stands_rev; DROP INDEX idx_products_rev;" \
  "DROP TABLE report_sales; DROP TABLE report_ledger; DROP TABLE report_checkpoint;" \
  "DROP INDEX idx_transactions_operator_all;" \
  "DROP TABLE closures; DROP TABLE shifts;" \
  "DROP INDEX IF EXISTS idx_transactions_device_all;"

G_END_DECLS
