/* test-cli.c: the festivals-server command line, storage lifecycle, shutdown and timeouts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), SQLite-only behaviour is skipped:
 * - /fest/cli/migrate-from-v1 and /fest/cli/migrate-ledger-from-v3 (they rewrite a festival file
 *   as an older SQLite schema version);
 * - the end of /fest/cli/restart-keeps-data (user_version, WAL mode of the files) and of
 *   /fest/cli/check (a festival file with smashed pages).
 */

#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>

#include <gio/gio.h>
#include <sqlite3.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "fest-festival-schema.h"
#include "fest-test-server.h"

static char *
festival_path (FestTestServer *server,
               const char     *festival_id)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.db", festival_id);

  return g_build_filename (fest_test_server_get_data_dir (server), name, NULL);
}

static gint64
query_int (const char *path,
           const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
test_version (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *out = NULL;

  g_assert_cmpint (fest_test_server_run_command (server, NULL, &out, NULL, "--version", NULL), ==, 0);
  g_assert_true (g_str_has_prefix (out, "festivals-server " PACKAGE_VERSION));
}

static void
test_data_dir (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *sub = g_build_filename (fest_test_server_get_data_dir (server), "new", "dir", NULL);
  g_autofree char *err = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  struct stat st;

  /* --data-dir is required. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDERR_SILENCE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, g_getenv ("FESTIVALS_SERVER"), "--check", NULL);
  g_assert_no_error (error);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), !=, 0);
  g_clear_object (&process);

  /* A missing one is created, private to the user. */
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE,
                              &error, g_getenv ("FESTIVALS_SERVER"), "--data-dir", sub,
                              "--create-superadmin", "root@test.festivals", NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, "long enough password\n", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (g_subprocess_get_exit_status (process), ==, 0);
  g_assert_cmpint (g_stat (sub, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
}

static void
test_create_superadmin (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *err = NULL;
  g_autofree char *token = NULL;
  int status;

  /* Too short a password: refused, nothing created. */
  status = fest_test_server_run_command (server, "short\n", NULL, &err, "--create-superadmin",
                                         "root@test.festivals", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "8"));
  g_clear_pointer (&err, g_free);

  status = fest_test_server_run_command (server, "", NULL, &err, "--create-superadmin",
                                         "root@test.festivals", NULL);
  g_assert_cmpint (status, !=, 0);
  g_clear_pointer (&err, g_free);

  status = fest_test_server_run_command (server, "long enough\n", NULL, &err,
                                         "--create-superadmin", "not-an-email", NULL);
  g_assert_cmpint (status, !=, 0);
  g_clear_pointer (&err, g_free);

  fest_test_server_create_superadmin (server, "root@test.festivals", "the password 🔑");

  /* The same email again (any case): an error. */
  status = fest_test_server_run_command (server, "another password\n", NULL, &err,
                                         "--create-superadmin", "ROOT@test.festivals", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "ROOT@test.festivals"));

  fest_test_server_start (server);
  token = fest_test_server_login (server, "root@test.festivals", "the password 🔑", NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, &reply), ==, 200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.user.is_superadmin")));
  g_clear_pointer (&reply, json_node_unref);

  /* The first password is not the second one's. */
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/auth/login", NULL,
                                              "{\"email\":\"root@test.festivals\","
                                              "\"password\":\"another password\"}", NULL), ==, 401);

  /* Password hashes are argon2id with at least OWASP's parameters. */
  {
    FestDb *db = fest_test_server_open_db (server, NULL, FALSE);
    g_autofree char *hash = fest_test_db_query_text (db, "SELECT password_hash FROM accounts");

    g_assert_true (g_str_has_prefix (hash, "$argon2id$v=19$m=19456,t=2,")
                   || g_str_has_prefix (hash, "$argon2id$v=19$m="));
    {
      guint64 memory_kib = g_ascii_strtoull (strstr (hash, "m=") + 2, NULL, 10);
      guint64 passes = g_ascii_strtoull (strstr (hash, "t=") + 2, NULL, 10);

      g_assert_cmpuint (memory_kib, >=, 19 * 1024);
      g_assert_cmpuint (passes, >=, 2);
    }
    g_assert_null (strstr (hash, "the password"));
    fest_db_free (db);
  }
}

static void
test_restart_keeps_data (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *platform = NULL;
  FestTestFestival fest;
  guint n_migrations;

  fest_test_server_setup_festival (server, "Persistent", &fest);
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/stands", fest.organiser_token,
                                              "{\"name\":\"Bar\",\"type\":\"BAR\"}", NULL), ==, 201);

  fest_test_server_stop (server);
  fest_test_server_start (server);

  /* The same token, festival, members and stand after a restart: migrations ran again as no-ops. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.name"), ==, "Persistent");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stands", fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  fest_test_server_stop (server);

  if (fest_test_backend_is_pg ())
    {
      /* The festival's schema is there, with what the API showed. */
      FestDb *db = fest_test_server_open_db (server, fest.festival_id, FALSE);

      g_assert_cmpint (fest_test_db_query_int (db, "SELECT count(*) FROM stands"), ==, 1);
      fest_db_free (db);
      fest_test_festival_clear (&fest);
      return;
    }

  /* SQLite: the files are at the latest schema version, in WAL mode. */
  path = festival_path (server, fest.festival_id);
  fest_festival_schema_get_migrations (&n_migrations);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, n_migrations);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM pragma_journal_mode() WHERE journal_mode = 'wal'"),
                   ==, 1);
  platform = g_build_filename (fest_test_server_get_data_dir (server), "platform.db", NULL);
  g_assert_cmpint (query_int (platform, "PRAGMA user_version"), >=, 1);

  fest_test_festival_clear (&fest);
}

/* A festival database left at schema version 1 is brought up to date when it is opened. */
static void
test_migrate_from_v1 (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  g_autofree char *get_path = NULL;
  g_autofree char *insert = NULL;
  const char * const *migrations;
  FestTestFestival fest;
  guint n_migrations;
  sqlite3 *db = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: rewrites the festival file as SQLite schema version 1");
      return;
    }

  fest_test_server_setup_festival (server, "Old", &fest);
  fest_test_server_stop (server);

  /* Replace the festival's file by one at version 1 holding the same festival. */
  path = festival_path (server, fest.festival_id);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_assert_cmpint (g_unlink (path), ==, 0);
  g_unlink (wal);
  g_unlink (shm);

  migrations = fest_festival_schema_get_migrations (&n_migrations);
  g_assert_cmpuint (n_migrations, >=, 1);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, migrations[0], NULL, NULL, NULL), ==, SQLITE_OK);
  insert = sqlite3_mprintf ("INSERT INTO festival (id, name, starts_at, ends_at, timezone,"
                            " currency_name, exchange_rate_cents, ticket_public_key,"
                            " ticket_secret_key, created_at, updated_at) VALUES (%Q, 'Old v1',"
                            " '2026-07-10T12:00:00Z', '2026-07-13T02:00:00Z', 'Europe/Paris',"
                            " 'Jetons', 10, zeroblob(32), zeroblob(64), '2026-01-01T00:00:00Z',"
                            " '2026-01-01T00:00:00Z');"
                            "INSERT INTO stands (id, name, type, created_at, updated_at) VALUES"
                            " ('11111111-1111-4111-8111-111111111111', 'Old bar', 'BAR',"
                            " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                            "INSERT INTO products (id, stand_id, name, price, vat_rate_bp, stock,"
                            " created_at, updated_at) VALUES ('22222222-2222-4222-8222-222222222222',"
                            " '11111111-1111-4111-8111-111111111111', 'Old beer', 500, 2000, 40,"
                            " '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');"
                            "PRAGMA user_version = 1;",
                            fest.festival_id);
  g_assert_cmpint (sqlite3_exec (db, insert, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_free (g_steal_pointer (&insert));
  sqlite3_close (db);

  fest_test_server_start (server);
  get_path = g_strdup_printf ("/festivals/%s", fest.festival_id);
  g_assert_cmpuint (fest_test_server_request (server, "GET", get_path, fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Old v1");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/products", fest.organiser_token,
                                              NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Old beer");
  fest_test_server_stop (server);

  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, n_migrations);
  if (n_migrations >= 2)
    g_assert_cmpint (query_int (path, "SELECT stock_base FROM products"), ==, 40);

  fest_test_festival_clear (&fest);
}

/* POST /transactions {type, wallet_id, amount} under @key; returns the row's id. */
static char *
post_transaction (FestTestServer *server,
                  const char     *token,
                  const char     *key,
                  const char     *type,
                  const char     *wallet,
                  int             amount)
{
  const char * const headers[] = { "Idempotency-Key", key, NULL };
  g_autofree char *body = g_strdup_printf ("{\"type\":\"%s\",\"wallet_id\":\"%s\",\"amount\":%d}", type, wallet,
                                           amount);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request_full (server, "POST", "/transactions", token, "application/json", bytes,
                                                   headers, NULL, &reply), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static char *
history (FestTestServer *server,
         const char     *token,
         const char     *wallet)
{
  g_autofree char *path = g_strdup_printf ("/wallets/%s/transactions", wallet);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *array;

  g_assert_cmpuint (fest_test_server_request (server, "GET", path, token, NULL, &reply), ==, 200);
  array = json_node_get_array (fest_test_json_get (reply, "data"));
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, json_array_get_length (array));
  for (guint i = 0; i < json_array_get_length (array); i++)
    g_string_append_printf (ids, "%s%s", i > 0 ? " " : "",
                            json_object_get_string_member (json_array_get_object_element (array, i), "id"));
  return g_strdup (ids->str);
}

/* GET /audit's total, for one entity or all. */
static gint64
audit_total (FestTestServer *server,
             const char     *token,
             const char     *entity_id)
{
  g_autofree char *path = g_strdup_printf ("/audit%s%s", entity_id != NULL ? "?entity_id=" : "",
                                           entity_id != NULL ? entity_id : "");
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (server, "GET", path, token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

/* A ledger written by schema version 3 (an index on (wallet_id, seq), UNIQUE idempotency keys)
 * keeps its wallet histories and keys through migration 4, which links each wallet's rows and
 * rebuilds the ledger table. */
static void
test_migrate_ledger_from_v3 (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *a = NULL;
  g_autofree char *b = NULL;
  g_autofree char *a_recharge = NULL;
  g_autofree char *a_pay1 = NULL;
  g_autofree char *a_pay2 = NULL;
  g_autofree char *a_pay3 = NULL;
  g_autofree char *b_recharge = NULL;
  g_autofree char *b_pay = NULL;
  g_autofree char *replayed = NULL;
  g_autofree char *ids = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  FestTestFestival fest;
  guint n_migrations;
  gint64 n_audit;
  sqlite3 *db = NULL;
  char *message = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: rewrites the festival file as SQLite schema version 3");
      return;
    }

  fest_test_server_setup_festival (server, "Ledger v3", &fest);
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/wallets", fest.organiser_token, "{}", &reply), ==, 201);
  a = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/wallets", fest.organiser_token, "{}", &reply), ==, 201);
  b = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  a_recharge = post_transaction (server, fest.organiser_token, "m-1", "RECHARGE", a, 1000);
  b_recharge = post_transaction (server, fest.organiser_token, "m-2", "RECHARGE", b, 1000);
  a_pay1 = post_transaction (server, fest.organiser_token, "m-3", "PAYMENT", a, 100);
  b_pay = post_transaction (server, fest.organiser_token, "m-4", "PAYMENT", b, 50);
  a_pay2 = post_transaction (server, fest.organiser_token, "m-5", "PAYMENT", a, 30);
  n_audit = audit_total (server, fest.organiser_token, a_pay2);
  g_assert_cmpint (n_audit, ==, 1);
  fest_test_server_stop (server);

  /* Put the ledger back as schema version 3 wrote it. */
  path = festival_path (server, fest.festival_id);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db,
                    "BEGIN;"
                    FEST_TEST_UNDO_MIGRATIONS_FROM_10
                    "CREATE TABLE v3 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
                    " wallet_id TEXT NOT NULL REFERENCES wallets(id), type TEXT NOT NULL, amount INTEGER NOT NULL,"
                    " balance_after INTEGER NOT NULL, reference TEXT, refers_to TEXT, payment_method TEXT,"
                    " stand_id TEXT, operator_id TEXT, device_id TEXT, idempotency_key TEXT NOT NULL UNIQUE,"
                    " offline_created INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
                    " recorded_at TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL);"
                    "INSERT INTO v3 SELECT seq, id, wallet_id, type, amount, balance_after, reference, refers_to,"
                    " payment_method, stand_id, operator_id, device_id, idempotency_key, offline_created,"
                    " created_at, recorded_at, prev_hash, hash FROM transactions;"
                    "DROP TABLE transactions;"
                    "ALTER TABLE v3 RENAME TO transactions;"
                    "CREATE INDEX idx_transactions_wallet ON transactions(wallet_id, seq);"
                    "CREATE INDEX idx_transactions_stand ON transactions(stand_id, seq);"
                    "CREATE INDEX idx_transactions_created ON transactions(created_at);"
                    "CREATE INDEX idx_transactions_refers ON transactions(refers_to) WHERE refers_to IS NOT NULL;"
                    "CREATE INDEX idx_transactions_operator ON transactions(operator_id, seq) WHERE type = 'PAYMENT';"
                    "CREATE INDEX idx_transactions_device ON transactions(device_id, seq) WHERE type = 'PAYMENT';"
                    "CREATE TRIGGER transactions_no_update BEFORE UPDATE ON transactions"
                    " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
                    "CREATE TRIGGER transactions_no_delete BEFORE DELETE ON transactions"
                    " BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;"
                    "ALTER TABLE wallets DROP COLUMN last_seq;"
                    "CREATE INDEX idx_lines_product ON transaction_lines(product_id);"
                    "CREATE TABLE audit_v3 (seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, actor_id TEXT,"
                    " device_id TEXT, action TEXT NOT NULL, entity_type TEXT, entity_id TEXT, old_values TEXT,"
                    " new_values TEXT, ip_address TEXT, user_agent TEXT, created_at TEXT NOT NULL);"
                    "INSERT INTO audit_v3 SELECT * FROM audit_log;"
                    "DROP TABLE audit_log;"
                    "ALTER TABLE audit_v3 RENAME TO audit_log;"
                    "CREATE INDEX idx_audit_created ON audit_log(created_at);"
                    "CREATE INDEX idx_audit_entity ON audit_log(entity_type, entity_id, seq);"
                    "CREATE INDEX idx_audit_actor ON audit_log(actor_id, seq);"
                    "DROP TABLE topups;"   /* migration 5 */
                    /* Migration 6 (wallet ceiling, refused cancels) */
                    "ALTER TABLE festival DROP COLUMN max_wallet_balance;"
                    "DROP TABLE cancel_refusals;"
                    /* Migration 9 (incident map: DUPLICATE_ENTRY incidents, gates, stage zones) */
                    "CREATE TABLE incidents_v8 (id TEXT PRIMARY KEY,"
                    " type TEXT NOT NULL CHECK (type IN ('FIGHT','THEFT','MEDICAL','FIRE','LOST_PERSON','SOS',"
                    " 'OTHER')), lat REAL NOT NULL, lng REAL NOT NULL, description TEXT,"
                    " status TEXT NOT NULL DEFAULT 'OPEN' CHECK (status IN ('OPEN','ASSIGNED','RESOLVED')),"
                    " reporter_id TEXT, reporter_device_id TEXT, assigned_to TEXT, resolved_at TEXT,"
                    " resolution_notes TEXT, is_abuse INTEGER NOT NULL DEFAULT 0, created_at TEXT NOT NULL,"
                    " updated_at TEXT NOT NULL, received_at TEXT);"
                    "INSERT INTO incidents_v8 SELECT id, type, lat, lng, description, status, reporter_id,"
                    " reporter_device_id, assigned_to, resolved_at, resolution_notes, is_abuse, created_at,"
                    " updated_at, received_at FROM incidents;"
                    "DROP TABLE incidents;"
                    "ALTER TABLE incidents_v8 RENAME TO incidents;"
                    "CREATE INDEX idx_incidents_status ON incidents(status);"
                    "DROP TABLE gates;"
                    "ALTER TABLE stages DROP COLUMN zone;"
                    "ALTER TABLE incidents DROP COLUMN received_at;"   /* migration 7 */
                    /* Migration 8 (changeover, artist contact, guest tickets) */
                    "DROP INDEX idx_tickets_artist;"
                    "DROP INDEX idx_artists_user;"
                    "ALTER TABLE tickets DROP COLUMN artist_id;"
                    "ALTER TABLE artists DROP COLUMN contact_email;"
                    "ALTER TABLE stages DROP COLUMN changeover_minutes;"
                    "PRAGMA user_version = 3;"
                    "COMMIT;",
                    NULL, NULL, &message) != SQLITE_OK)
    g_error ("cannot write a version 3 ledger: %s", message);
  sqlite3_close (db);

  fest_test_server_start (server);
  ids = history (server, fest.organiser_token, a);
  expected = g_strdup_printf ("%s %s %s", a_pay2, a_pay1, a_recharge);
  g_assert_cmpstr (ids, ==, expected);
  g_free (ids);
  ids = history (server, fest.organiser_token, b);
  g_free (expected);
  expected = g_strdup_printf ("%s %s", b_pay, b_recharge);
  g_assert_cmpstr (ids, ==, expected);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/transactions?idempotency_key=m-4",
                                              fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, b_pay);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (audit_total (server, fest.organiser_token, a_pay2), ==, n_audit);
  g_assert_cmpint (audit_total (server, fest.organiser_token, NULL), >=, 7);

  /* The migrated chain goes on; a key is still answered once. */
  a_pay3 = post_transaction (server, fest.organiser_token, "m-6", "PAYMENT", a, 7);
  g_free (ids);
  ids = history (server, fest.organiser_token, a);
  g_free (expected);
  expected = g_strdup_printf ("%s %s %s %s", a_pay3, a_pay2, a_pay1, a_recharge);
  g_assert_cmpstr (ids, ==, expected);
  replayed = post_transaction (server, fest.organiser_token, "m-6", "PAYMENT", a, 7);
  g_assert_cmpstr (replayed, ==, a_pay3);
  fest_test_server_stop (server);

  fest_festival_schema_get_migrations (&n_migrations);
  g_assert_cmpint (query_int (path, "PRAGMA user_version"), ==, n_migrations);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM pragma_index_list('transactions')"
                                    " WHERE name = 'idx_transactions_wallet' OR origin = 'u'"), ==, 1);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema WHERE type = 'trigger'"
                                    " AND tbl_name = 'transactions'"), ==, 2);
  g_assert_cmpint (query_int (path, "SELECT count(*) FROM sqlite_schema WHERE name IN"
                                    " ('idx_audit_created', 'idx_lines_product', 'sqlite_autoindex_audit_log_1')"),
                   ==, 0);
  g_assert_cmpint (fest_test_server_run_command (server, NULL, &out, &err, "--check", NULL), ==, 0);

  fest_test_festival_clear (&fest);
}

static void
corrupt_file (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileIOStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  static const guint8 garbage[16] = { 0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef,
                                      0xde, 0xad, 0xbe, 0xef, 0xde, 0xad, 0xbe, 0xef };
  goffset size;

  stream = g_file_open_readwrite (file, NULL, &error);
  g_assert_no_error (error);
  g_seekable_seek (G_SEEKABLE (stream), 0, G_SEEK_END, NULL, &error);
  size = g_seekable_tell (G_SEEKABLE (stream));
  g_assert_cmpint (size, >, 8 * 4096);

  /* Smash the header of every b-tree page after the first. */
  for (goffset offset = 4096; offset + (goffset) sizeof garbage <= size; offset += 4096)
    {
      g_seekable_seek (G_SEEKABLE (stream), offset, G_SEEK_SET, NULL, &error);
      g_assert_no_error (error);
      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (stream)), garbage,
                                 sizeof garbage, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_io_stream_close (G_IO_STREAM (stream), NULL, &error);
  g_assert_no_error (error);
}

static void
test_check (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *path = NULL;
  g_autofree char *name = NULL;
  FestTestFestival fest;
  FestTestFestival second;
  int status;

  fest_test_server_setup_festival (server, "Healthy", &fest);
  fest_test_server_setup_festival (server, "Also healthy", &second);
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/stands", fest.organiser_token,
                                              "{\"name\":\"Bar\",\"type\":\"BAR\"}", NULL), ==, 201);

  /* Healthy, even while serving. */
  status = fest_test_server_run_command (server, NULL, &out, &err, "--check", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  fest_test_server_stop (server);
  status = fest_test_server_run_command (server, NULL, &out, &err, "--check", NULL);
  g_assert_cmpint (status, ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* One festival's file damaged: non-zero, and the report names that file. SQLite only: a
   * PostgreSQL schema is not a file to smash (test-ledger and test-closures tamper with rows). */
  if (fest_test_backend_is_pg ())
    {
      fest_test_festival_clear (&fest);
      fest_test_festival_clear (&second);
      return;
    }
  path = festival_path (server, fest.festival_id);
  name = g_path_get_basename (path);
  corrupt_file (path);
  status = fest_test_server_run_command (server, NULL, &out, &err, "--check", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, name));
  g_assert_null (strstr (err, second.festival_id));

  fest_test_festival_clear (&fest);
  fest_test_festival_clear (&second);
}

typedef struct
{
  char  *url;
  guint  status;
  char  *token;
} SlowLogin;

static gpointer
slow_login_thread (gpointer data)
{
  SlowLogin *login = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *uri = g_strconcat (login->url, "/api/v1/auth/login", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autofree char *body = g_strdup_printf ("{\"email\":\"admin@test.festivals\",\"password\":\"%s\"}",
                                           FEST_TEST_PASSWORD);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autoptr(GBytes) response = NULL;
  g_autoptr(JsonNode) reply = NULL;

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  response = soup_session_send_and_read (session, msg, NULL, NULL);
  login->status = soup_message_get_status (msg);
  if (response != NULL)
    {
      g_autofree char *text = g_strndup (g_bytes_get_data (response, NULL),
                                         g_bytes_get_size (response));
      reply = json_from_string (text, NULL);
      if (reply != NULL && fest_test_json_string (reply, "data.token") != NULL)
        login->token = g_strdup (fest_test_json_string (reply, "data.token"));
    }
  return NULL;
}

/* SIGTERM while a (slow) login is being verified: it still gets its 200, then exit 0. */
static void
test_sigterm_in_flight (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  SlowLogin login = { 0 };
  GThread *thread;
  gint64 started;

  fest_test_server_create_superadmin (server, "admin@test.festivals", FEST_TEST_PASSWORD);
  /* Each password check sleeps 1.5 s first (fest-slow-login-preload.c). */
  fest_test_server_preload (server, FEST_SLOW_LOGIN_PRELOAD);
  fest_test_server_setenv (server, "FEST_SLOW_LOGIN_MS", "1500");
  fest_test_server_start (server);

  login.url = g_strdup (fest_test_server_get_url (server));
  thread = g_thread_new ("slow-login", slow_login_thread, &login);

  /* The login is surely in the server by now, sleeping in its worker. */
  g_usleep (500 * 1000);
  started = g_get_monotonic_time ();
  fest_test_server_stop (server);  /* SIGTERM; asserts exit status 0 */
  g_thread_join (thread);

  g_assert_cmpuint (login.status, ==, 200);
  g_assert_nonnull (login.token);
  g_assert_cmpuint (strlen (login.token), ==, 64);
  /* It waited for the login rather than dying at once. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 700 * 1000);

  g_free (login.url);
  g_free (login.token);
}

static void
test_sigterm_idle (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  gint64 started;

  /* An idle keep-alive connection does not hold the shutdown up. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
  started = g_get_monotonic_time ();
  fest_test_server_stop (server);
  g_assert_cmpint (g_get_monotonic_time () - started, <, 5 * G_USEC_PER_SEC);
}

static GSocketConnection *
connect_raw (FestTestServer *server)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GUri) uri = g_uri_parse (fest_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GError) error = NULL;
  GSocketConnection *connection;

  connection = g_socket_client_connect_to_host (client, g_uri_get_host (uri), g_uri_get_port (uri),
                                                NULL, &error);
  g_assert_no_error (error);
  return connection;
}

/* Reads until EOF or @timeout_s; returns the seconds it took to see EOF, or -1. */
static double
seconds_until_closed (GSocketConnection *connection,
                      guint              timeout_s)
{
  GSocket *socket = g_socket_connection_get_socket (connection);
  gint64 started = g_get_monotonic_time ();
  char buffer[4096];

  g_socket_set_timeout (socket, timeout_s);
  for (;;)
    {
      g_autoptr(GError) error = NULL;
      gssize n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);

      if (n == 0 || (n < 0 && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT)))
        return (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC;
      if (n < 0)
        return -1;
    }
}

static void
test_idle_timeout (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(GSocketConnection) silent = NULL;
  g_autoptr(GSocketConnection) trickle = NULL;
  g_autoptr(GSocketConnection) keepalive = NULL;
  g_autoptr(GError) error = NULL;
  const char *partial = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  const char *full = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  double seconds;

  fest_test_server_add_arg (server, "--idle-timeout=1");
  fest_test_server_start (server);

  /* Connected, never a byte. */
  silent = connect_raw (server);
  seconds = seconds_until_closed (silent, 10);
  g_assert_cmpfloat (seconds, >=, 0.5);
  g_assert_cmpfloat (seconds, <, 6);

  /* Headers started, never finished. */
  trickle = connect_raw (server);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (trickle)), partial,
                             strlen (partial), NULL, NULL, &error);
  g_assert_no_error (error);
  seconds = seconds_until_closed (trickle, 10);
  g_assert_cmpfloat (seconds, >=, 0);
  g_assert_cmpfloat (seconds, <, 6);

  /* A keep-alive connection is answered, then closed once idle. */
  keepalive = connect_raw (server);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (keepalive)), full,
                             strlen (full), NULL, NULL, &error);
  g_assert_no_error (error);
  {
    char buffer[1024] = { 0 };
    gssize n = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (keepalive)), buffer,
                                    sizeof buffer - 1, NULL, &error);
    g_assert_no_error (error);
    g_assert_cmpint (n, >, 0);
    g_assert_true (g_str_has_prefix (buffer, "HTTP/1.1 200"));
  }
  seconds = seconds_until_closed (keepalive, 10);
  g_assert_cmpfloat (seconds, >=, 0);
  g_assert_cmpfloat (seconds, <, 6);

  /* The server is fine. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

static guint
count_sockets (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/fd", (int) pid);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;
  guint count = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *link_path = g_build_filename (path, name, NULL);
      g_autofree char *target = g_file_read_link (link_path, NULL);

      if (target != NULL && g_str_has_prefix (target, "socket:"))
        count++;
    }
  return count;
}

/* Connections the clients close are released (libsoup 3.2.3 alone would keep every one). */
static void
test_closed_connections_released (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  const char *request = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  GPid pid = fest_test_server_get_pid (server);
  guint before, after = 0;

  before = count_sockets (pid);
  for (guint i = 0; i < 100; i++)
    {
      g_autoptr(GSocketConnection) connection = connect_raw (server);
      g_autoptr(GError) error = NULL;
      char buffer[512];

      g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                                 strlen (request), NULL, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (connection)),
                                            buffer, sizeof buffer, NULL, &error), >, 0);
      g_assert_no_error (error);
      g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
    }

  /* Within a few seconds the server holds no more sockets than before. */
  for (guint i = 0; i < 50; i++)
    {
      after = count_sockets (pid);
      if (after <= before + 2)
        break;
      g_usleep (100 * 1000);
    }
  g_assert_cmpuint (after, <=, before + 2);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

/* Reads one HTTP response (headers and a Content-Length body) from @socket, keeping what follows
 * it in @pending; returns its status code. */
static guint
read_response (GSocket *socket,
               GString *pending)
{
  for (;;)
    {
      const char *end = strstr (pending->str, "\r\n\r\n");
      g_autoptr(GError) error = NULL;
      char buffer[4096];
      gssize n;

      if (end != NULL)
        {
          const char *length = strstr (pending->str, "Content-Length: ");
          gsize header_size = end + 4 - pending->str;
          gsize body_size;
          guint status;

          g_assert_nonnull (length);
          g_assert_true (length < end);
          body_size = g_ascii_strtoull (length + strlen ("Content-Length: "), NULL, 10);
          if (pending->len >= header_size + body_size)
            {
              g_assert_true (g_str_has_prefix (pending->str, "HTTP/1.1 "));
              status = (guint) g_ascii_strtoull (pending->str + strlen ("HTTP/1.1 "), NULL, 10);
              g_string_erase (pending, 0, header_size + body_size);
              return status;
            }
        }

      n = g_socket_receive (socket, buffer, sizeof buffer, NULL, &error);
      g_assert_no_error (error);
      g_assert_cmpint (n, >, 0); /* not closed */
      g_string_append_len (pending, buffer, n);
    }
}

static void
send_text (GSocket    *socket,
           const char *text)
{
  g_autoptr(GError) error = NULL;
  gsize sent = 0;

  while (sent < strlen (text))
    {
      gssize n = g_socket_send (socket, text + sent, strlen (text) - sent, NULL, &error);

      g_assert_no_error (error);
      sent += n;
    }
}

/* One connection carries request after request: sequential, pipelined, with a body that comes
 * in two pieces. */
static void
test_keep_alive (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(GSocketConnection) connection = connect_raw (server);
  GSocket *socket = g_socket_connection_get_socket (connection);
  g_autoptr(GString) pending = g_string_new (NULL);
  const char *health = "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  const char *body = "{\"email\":\"nobody@example.org\",\"password\":\"wrong password\"}";
  g_autofree char *login = NULL;
  g_autofree char *pipelined = NULL;

  g_socket_set_timeout (socket, 10);

  for (guint i = 0; i < 3; i++)
    {
      send_text (socket, health);
      g_assert_cmpuint (read_response (socket, pending), ==, 200);
    }

  pipelined = g_strconcat (health, health, health, NULL);
  send_text (socket, pipelined);
  for (guint i = 0; i < 3; i++)
    g_assert_cmpuint (read_response (socket, pending), ==, 200);

  /* Headers and half the body, a pause, the rest: the whole body is read (a wrong password, not
   * a malformed body). */
  login = g_strdup_printf ("POST /api/v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                           "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%.*s",
                           strlen (body), (int) (strlen (body) / 2), body);
  send_text (socket, login);
  g_usleep (300 * 1000);
  send_text (socket, body + strlen (body) / 2);
  g_assert_cmpuint (read_response (socket, pending), ==, 401);

  send_text (socket, health);
  g_assert_cmpuint (read_response (socket, pending), ==, 200);
  g_assert_cmpuint (pending->len, ==, 0);
}

/* A client that pipelines a thousand requests, the last with "Connection: close", and reads the
 * responses only after a pause, through a small receive window: every response arrives, whole
 * and in order, then the end of the stream. */
static void
test_pipelined_backlog (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(GUri) uri = g_uri_parse (fest_test_server_get_url (server), G_URI_FLAGS_NONE, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, g_uri_get_port (uri));
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GString) requests = g_string_new (NULL);
  g_autoptr(GString) pending = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  const guint n_requests = 1000;
  char buffer[512];

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_set_option (socket, SOL_SOCKET, SO_RCVBUF, 4096, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_connect (socket, address, NULL, &error));
  g_assert_no_error (error);
  g_socket_set_timeout (socket, 20);

  for (guint i = 0; i < n_requests; i++)
    g_string_append_printf (requests, "GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\n%s\r\n",
                            i == n_requests - 1 ? "Connection: close\r\n" : "");
  send_text (socket, requests->str);
  g_usleep (G_USEC_PER_SEC);

  for (guint i = 0; i < n_requests; i++)
    g_assert_cmpuint (read_response (socket, pending), ==, 200);
  g_assert_cmpuint (pending->len, ==, 0);

  /* Then the end of the stream, not a reset. */
  g_assert_cmpint (g_socket_receive (socket, buffer, sizeof buffer, NULL, &error), ==, 0);
  g_assert_no_error (error);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

static guint64
process_cpu_ticks (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) pid);
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;

  g_assert_true (g_file_get_contents (path, &stat, NULL, NULL));
  /* Fields after the command name, which may hold spaces: utime and stime are the 12th and 13th. */
  fields = g_strsplit (strrchr (stat, ')') + 2, " ", -1);
  return g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10);
}

/* Out of file descriptors the server neither spins nor stops: it serves again once some are
 * released. */
static void
test_out_of_descriptors (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  struct rlimit saved, low;
  guint64 before, after;
  long ticks_per_s = sysconf (_SC_CLK_TCK);

  /* The server inherits a low limit: a few dozen descriptors. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  low = saved;
  low.rlim_cur = 48;
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);
  fest_test_server_start (server);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);

  /* More connections than it can accept: the kernel queues the rest. */
  for (guint i = 0; i < 60; i++)
    g_ptr_array_add (connections, connect_raw (server));
  g_usleep (500 * 1000);

  before = process_cpu_ticks (fest_test_server_get_pid (server));
  g_usleep (G_USEC_PER_SEC);
  after = process_cpu_ticks (fest_test_server_get_pid (server));
  g_test_message ("server CPU while out of descriptors: %" G_GUINT64_FORMAT " ticks in 1 s",
                  after - before);
  /* A spinning accept loop uses the whole second. */
  g_assert_cmpuint (after - before, <, (guint64) ticks_per_s / 4);

  g_ptr_array_set_size (connections, 0);
  for (guint i = 0; i < 100; i++)
    {
      if (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL) == 200)
        return;
      g_usleep (100 * 1000);
    }
  g_assert_not_reached ();
}

static void
test_demo (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(JsonNode) reply = NULL;
  const char *accounts[] = { "admin@demo.festivals", "organiser@demo.festivals",
                             "cashier@demo.festivals", "scanner@demo.festivals",
                             "security@demo.festivals", "artist@demo.festivals", "lead@demo.festivals" };
  g_autofree char *organiser = NULL;

  fest_test_server_add_arg (server, "--demo");
  fest_test_server_start (server);

  for (guint i = 0; i < G_N_ELEMENTS (accounts); i++)
    {
      g_autofree char *token = fest_test_server_login (server, accounts[i], "festivals-demo", NULL);
      g_autoptr(JsonNode) me = NULL;

      g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, &me), ==, 200);
      g_assert_cmpstr (fest_test_json_string (me, "data.festival.name"), ==, "Festival des Lumières");
      g_assert_cmpstr (fest_test_json_string (me, "data.festival.currency_name"), ==, "Jetons");
      g_assert_cmpint (fest_test_json_int (me, "data.festival.exchange_rate_cents"), ==, 10);
    }

  organiser = fest_test_server_login (server, "organiser@demo.festivals", "festivals-demo", NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stands", organiser, NULL, &reply), ==,
                    200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 5);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/products?per_page=500", organiser,
                                              NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), >=, 10);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", organiser, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 7);
  g_clear_pointer (&reply, json_node_unref);
  /* Its gates, and the duplicate entry at Porte Sud as an incident placed there. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/gates", organiser, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.name"), ==, "Porte Sud");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/incidents?type=DUPLICATE_ENTRY", organiser, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.second.gate"), ==, "Porte Sud");
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.0.location.lat")), 45.7486,
                                  1e-9);
  g_clear_pointer (&reply, json_node_unref);

  /* --demo on a data dir that is not empty serves it as it is. */
  fest_test_server_stop (server);
  fest_test_server_start (server);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/festivals", organiser, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  fest_test_server_stop (server);

  /* And it passes --check. */
  g_assert_cmpint (fest_test_server_run_command (server, NULL, NULL, NULL, "--check", NULL), ==, 0);
}

static gboolean
accept_certificate_cb (SoupMessage          *msg,
                       GTlsCertificate      *certificate,
                       GTlsCertificateFlags  errors,
                       gpointer              user_data)
{
  /* Our self-signed test certificate, and nothing else. */
  GTlsCertificate *expected = user_data;

  return g_tls_certificate_is_same (certificate, expected);
}

static char *
test_file (const char *name)
{
  return g_test_build_filename (G_TEST_DIST, "server", name, NULL);
}

/* The HTTPS client side, in a subprocess (see test_tls). */
static void
tls_client (void)
{
  g_autofree char *cert = test_file ("tls-test-cert.pem");
  g_autofree char *uri = g_strconcat (g_getenv ("FESTIVALS_TEST_TLS_URL"), "/api/v1/health", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(GTlsCertificate) expected = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  expected = g_tls_certificate_new_from_file (cert, &error);
  g_assert_no_error (error);

  msg = soup_message_new ("GET", uri);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (accept_certificate_cb), expected);
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"ok\""));
}

static void
test_tls (void)
{
  g_autoptr(FestTestServer) server = NULL;
  g_autofree char *cert = NULL;
  g_autofree char *key = NULL;
  g_autofree char *saved_asan = NULL;

  if (g_test_subprocess ())
    {
      tls_client ();
      return;
    }

  /* LeakSanitizer's tracer crashes ("Tracer caught signal 11") when it stops a process that has
   * GnuTLS loaded, before it can report anything. So in sanitizer builds the TLS server and the
   * TLS client (a subprocess) run without leak checking; every other test covers the same code
   * without TLS. */
  saved_asan = g_strdup (g_getenv ("ASAN_OPTIONS"));
  if (saved_asan != NULL)
    {
      g_autofree char *options = g_strconcat (saved_asan, ":detect_leaks=0", NULL);
      g_setenv ("ASAN_OPTIONS", options, TRUE);
    }

  cert = test_file ("tls-test-cert.pem");
  key = test_file ("tls-test-key.pem");
  server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  fest_test_server_add_arg (server, "--tls-cert");
  fest_test_server_add_arg (server, cert);
  fest_test_server_add_arg (server, "--tls-key");
  fest_test_server_add_arg (server, key);
  fest_test_server_start (server);
  g_assert_true (g_str_has_prefix (fest_test_server_get_url (server), "https://127.0.0.1:"));

  g_setenv ("FESTIVALS_TEST_TLS_URL", fest_test_server_get_url (server), TRUE);
  g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_unsetenv ("FESTIVALS_TEST_TLS_URL");

  fest_test_server_stop (server);
  if (saved_asan != NULL)
    g_setenv ("ASAN_OPTIONS", saved_asan, TRUE);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/cli/version", test_version);
  g_test_add_func ("/fest/cli/data-dir", test_data_dir);
  g_test_add_func ("/fest/cli/create-superadmin", test_create_superadmin);
  g_test_add_func ("/fest/cli/restart-keeps-data", test_restart_keeps_data);
  g_test_add_func ("/fest/cli/migrate-from-v1", test_migrate_from_v1);
  g_test_add_func ("/fest/cli/migrate-ledger-from-v3", test_migrate_ledger_from_v3);
  g_test_add_func ("/fest/cli/check", test_check);
  g_test_add_func ("/fest/cli/sigterm-in-flight", test_sigterm_in_flight);
  g_test_add_func ("/fest/cli/sigterm-idle", test_sigterm_idle);
  g_test_add_func ("/fest/cli/idle-timeout", test_idle_timeout);
  g_test_add_func ("/fest/cli/closed-connections-released", test_closed_connections_released);
  g_test_add_func ("/fest/cli/keep-alive", test_keep_alive);
  g_test_add_func ("/fest/cli/pipelined-backlog", test_pipelined_backlog);
  g_test_add_func ("/fest/cli/out-of-descriptors", test_out_of_descriptors);
  g_test_add_func ("/fest/cli/demo", test_demo);
  g_test_add_func ("/fest/cli/tls", test_tls);

  return g_test_run ();
}
