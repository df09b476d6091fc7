/* test-disk-faults.c: a full or failing disk under a running festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server runs with fest-disk-fault-preload.c preloaded: while the test's control file exists,
 * write(2)-family calls on the files of its data dir fail with ENOSPC, or fsync(2)/fdatasync(2)
 * with EIO, under the unchanged production binary, SQLite and WAL VFS. A write that meets the
 * fault must answer 503 STORAGE_UNAVAILABLE with Retry-After and leave nothing behind (no ledger
 * row, no balance change, no idempotency record); reads go on; the first write after the disk
 * recovers succeeds without a restart; every payment acknowledged 2xx survives a restart exactly
 * once, and one refused is not brought back by a crash; `festivals-server --check` passes
 * afterwards.
 *
 * SQLite only: the faults hit the festivals-server's own data files, and on PostgreSQL
 * (`meson test --setup postgresql`) the database server writes and syncs the data, out of reach of
 * the preloaded library. There every case is skipped (skip_sqlite_only()).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>

#include "fest-test-server.h"

#define INITIAL_BALANCE 100000

typedef struct
{
  const char *control;      /* what the control file says */
  const char *message;      /* a part of the error message the server must give */
} Fault;

static const Fault write_enospc = { "write ENOSPC", "no space left" };
static const Fault fsync_eio = { "fsync EIO", "input/output error" };

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
  char             *control_dir;
  char             *control_path;
  char             *wallet_id;
} Fixture;

static guint
request (Fixture             *f,
         const char          *method,
         const char          *path,
         const char          *key,
         const char          *body,
         SoupMessageHeaders **response_headers,
         JsonNode           **reply)
{
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return fest_test_server_request_full (f->server, method, path, f->fest.organiser_token, NULL, bytes,
                                        key != NULL ? headers : NULL, response_headers, reply);
}

static gint64
wallet_balance (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/wallets/%s", f->wallet_id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (request (f, "GET", path, NULL, NULL, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "data.balance");
}

static gint64
wallet_transaction_count (Fixture *f)
{
  g_autofree char *path = g_strdup_printf ("/wallets/%s/transactions", f->wallet_id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (request (f, "GET", path, NULL, NULL, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static char *
payment_body (Fixture *f,
              gint64   amount)
{
  return g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%" G_GINT64_FORMAT "}",
                          f->wallet_id, amount);
}

/* POST /transactions to the server at @base_url, as the organiser. */
static SoupMessage *
payment_message (Fixture    *f,
                 const char *base_url,
                 const char *key,
                 const char *body)
{
  g_autofree char *url = g_strconcat (base_url, "/api/v1/transactions", NULL);
  g_autofree char *authorization = g_strconcat ("Bearer ", f->fest.organiser_token, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  SoupMessage *msg = soup_message_new ("POST", url);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Idempotency-Key", key);
  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  return msg;
}

static JsonNode *
parse_reply (GBytes *bytes)
{
  g_autofree char *text = NULL;

  if (bytes == NULL || g_bytes_get_size (bytes) == 0)
    return NULL;
  text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  return json_from_string (text, NULL);
}

static void
fault_start (Fixture     *f,
             const Fault *fault)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (f->control_path, fault->control, -1, &error);
  g_assert_no_error (error);
}

static void
fault_end (Fixture *f)
{
  g_assert_cmpint (g_unlink (f->control_path), ==, 0);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *preload = fest_test_preload_list (FEST_DISK_FAULT_PRELOAD);
  g_autofree char *body = NULL;
  g_autofree char *key = g_uuid_string_random ();

  f->control_dir = g_dir_make_tmp ("festivals-disk-fault-XXXXXX", &error);
  g_assert_no_error (error);
  f->control_path = g_build_filename (f->control_dir, "fault", NULL);

  f->server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  fest_test_server_setenv (f->server, "LD_PRELOAD", preload);
  fest_test_server_setenv (f->server, "FEST_DISK_FAULT_DIR", fest_test_server_get_data_dir (f->server));
  fest_test_server_setenv (f->server, "FEST_DISK_FAULT_CONTROL", f->control_path);
  fest_test_server_start (f->server);
  fest_test_server_setup_festival (f->server, "Disk fest", &f->fest);

  g_assert_cmpuint (request (f, "POST", "/wallets", NULL, "{\"holder_name\":\"Zoë\"}", NULL, &reply), ==, 201);
  f->wallet_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%d,\"payment_method\":\"CASH\"}",
                          f->wallet_id, INITIAL_BALANCE);
  g_assert_cmpuint (request (f, "POST", "/transactions", key, body, NULL, NULL), ==, 201);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_unlink (f->control_path);
  g_rmdir (f->control_dir);
  g_free (f->control_path);
  g_free (f->control_dir);
  g_free (f->wallet_id);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

/* Asserts a 503 STORAGE_UNAVAILABLE reply that names the fault and says when to retry. */
static void
assert_storage_unavailable (guint               status,
                            SoupMessageHeaders *headers,
                            JsonNode           *reply,
                            const Fault        *fault)
{
  const char *retry_after;
  g_autofree char *message = NULL;
  guint64 seconds = 0;

  g_assert_cmpuint (status, ==, 503);
  fest_test_assert_error (reply, "STORAGE_UNAVAILABLE", NULL);
  message = g_ascii_strdown (fest_test_json_string (reply, "error.message"), -1);
  g_assert_nonnull (strstr (message, "disk"));
  g_assert_nonnull (strstr (message, fault->message));
  g_assert_nonnull (headers);
  retry_after = soup_message_headers_get_one (headers, "Retry-After");
  g_assert_nonnull (retry_after);
  g_assert_true (g_ascii_string_to_unsigned (retry_after, 10, 1, 3600, &seconds, NULL));
}

/* While the disk fails: the wallet, its history, the dashboard and the health probe answer. */
static void
assert_reads_work (Fixture *f,
                   gint64   balance,
                   gint64   n_transactions)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpint (wallet_balance (f), ==, balance);
  g_assert_cmpint (wallet_transaction_count (f), ==, n_transactions);
  g_assert_cmpuint (request (f, "GET", "/stats", NULL, NULL, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "GET", "/health", NULL, NULL, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "ok");
}

static sqlite3 *
open_festival_db (Fixture *f)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.db", f->fest.festival_id);
  g_autofree char *path = g_build_filename (fest_test_server_get_data_dir (f->server), name, NULL);
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  return db;
}

/* Rows of @table whose @column is @key, in the stopped server's database. */
static gint64
count_rows (sqlite3    *db,
            const char *table,
            const char *column,
            const char *key)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s WHERE %s = ?", table, column);
  sqlite3_stmt *stmt = NULL;
  gint64 count;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return count;
}

/* Once applied (one ledger row, one idempotency record), or not at all. */
static void
assert_applied (sqlite3    *db,
                const char *key,
                gint64      times)
{
  g_assert_cmpint (count_rows (db, "transactions", "idempotency_key", key), ==, times);
  g_assert_cmpint (count_rows (db, "idempotency", "key", key), ==, times);
}

static void
assert_check_passes (Fixture *f)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  int exit_status = fest_test_server_run_command (f->server, NULL, &out, &err, "--check", NULL);

  if (exit_status != 0)
    g_error ("--check failed (exit %d): %s %s", exit_status, out, err);
}

static void
test_payment (Fixture       *f,
              gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *lost_key = g_uuid_string_random ();
  g_autofree char *body = payment_body (f, 250);
  g_autofree char *tx_id = NULL;
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gint64 n_transactions = wallet_transaction_count (f);
  sqlite3 *db;
  guint status;

  fault_start (f, fault);
  status = request (f, "POST", "/transactions", key, body, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  assert_reads_work (f, INITIAL_BALANCE, n_transactions);

  /* The fault lasts: another payment fails the same way, it is not half-applied. */
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_clear_pointer (&reply, json_node_unref);
  status = request (f, "POST", "/transactions", lost_key, body, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  assert_reads_work (f, INITIAL_BALANCE, n_transactions);

  /* The disk recovers: the station's retry with the same key applies, once, without a restart. */
  fault_end (f);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/transactions", key, body, NULL, &reply), ==, 201);
  g_assert_cmpint (fest_test_json_int (reply, "data.balance_after"), ==, INITIAL_BALANCE - 250);
  tx_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/transactions", key, body, NULL, &reply), ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, tx_id);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - 250);
  g_assert_cmpint (wallet_transaction_count (f), ==, n_transactions + 1);

  fest_test_server_stop (f->server);
  db = open_festival_db (f);
  assert_applied (db, key, 1);
  assert_applied (db, lost_key, 0);
  sqlite3_close (db);
  assert_check_passes (f);
}

static gint64
stand_count (Fixture *f)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (request (f, "GET", "/stands", NULL, NULL, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static gint64
festival_count (Fixture *f)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (request (f, "GET", "/festivals", NULL, NULL, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

/* festival-*.db files in the data dir. */
static guint
festival_files (Fixture *f)
{
  g_autoptr(GDir) dir = g_dir_open (fest_test_server_get_data_dir (f->server), 0, NULL);
  const char *name;
  guint n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "festival-") && g_str_has_suffix (name, ".db"))
      n++;
  return n;
}

/* Writes beyond the ledger: the festival's catalog, the platform's sessions, a new festival. */
static void
test_other_writes (Fixture       *f,
                   gconstpointer  data)
{
  const Fault *fault = data;
  const char *stand = "{\"name\":\"Bar du fond\",\"type\":\"BAR\"}";
  const char *festival = "{\"name\":\"Second fest\",\"starts_at\":\"2026-07-10T12:00:00Z\","
                         "\"ends_at\":\"2026-07-13T02:00:00Z\",\"timezone\":\"Europe/Paris\","
                         "\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10,"
                         "\"location\":{\"lat\":45.75,\"lng\":4.85}}";
  g_autofree char *login = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}",
                                            f->fest.superadmin_email, FEST_TEST_PASSWORD);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gint64 n_stands = stand_count (f);
  guint status;

  fault_start (f, fault);
  status = request (f, "POST", "/stands", NULL, stand, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  g_assert_cmpint (stand_count (f), ==, n_stands);

  g_clear_pointer (&headers, soup_message_headers_unref);
  g_clear_pointer (&reply, json_node_unref);
  status = request (f, "POST", "/auth/login", NULL, login, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  assert_reads_work (f, INITIAL_BALANCE, wallet_transaction_count (f));

  /* A new festival is a new database file: none is left half-made. */
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_clear_pointer (&reply, json_node_unref);
  status = request (f, "POST", "/festivals", NULL, festival, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  g_assert_cmpint (festival_count (f), ==, 1);
  g_assert_cmpuint (festival_files (f), ==, 1);

  fault_end (f);
  g_assert_cmpuint (request (f, "POST", "/stands", NULL, stand, NULL, NULL), ==, 201);
  g_assert_cmpint (stand_count (f), ==, n_stands + 1);
  g_assert_cmpuint (request (f, "POST", "/auth/login", NULL, login, NULL, NULL), ==, 200);
  g_assert_cmpuint (request (f, "POST", "/festivals", NULL, festival, NULL, NULL), ==, 201);
  g_assert_cmpint (festival_count (f), ==, 2);

  fest_test_server_stop (f->server);
  assert_check_passes (f);
}

static char *
sync_batch (Fixture    *f,
            const char *prefix)
{
  return g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"%s-1\","
                          " \"created_at\":\"2026-07-14T20:00:00Z\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}},"
                          "{\"op\":\"incident.create\",\"idempotency_key\":\"%s-2\","
                          " \"payload\":{\"type\":\"MEDICAL\",\"location\":{\"lat\":45.7,\"lng\":4.8}}},"
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"%s-3\","
                          " \"created_at\":\"2026-07-14T20:00:09Z\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":200}}"
                          "]}",
                          prefix, f->wallet_id, prefix, prefix, f->wallet_id);
}

static gint64
incident_count (Fixture *f)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (request (f, "GET", "/incidents", NULL, NULL, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *prefix = g_uuid_string_random ();
  g_autofree char *batch = sync_batch (f, prefix);
  g_autofree char *key1 = g_strdup_printf ("%s-1", prefix);
  g_autofree char *key3 = g_strdup_printf ("%s-3", prefix);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  gint64 n_transactions = wallet_transaction_count (f);
  gint64 n_incidents = incident_count (f);
  sqlite3 *db;
  guint status;

  /* The whole batch fails: the station keeps every operation in its outbox and retries. */
  fault_start (f, fault);
  status = request (f, "POST", "/sync", NULL, batch, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, fault);
  assert_reads_work (f, INITIAL_BALANCE, n_transactions);
  g_assert_cmpint (incident_count (f), ==, n_incidents);

  /* Nothing of it was kept: after recovery every operation is applied, none is a duplicate. */
  fault_end (f);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/sync", NULL, batch, NULL, &reply), ==, 200);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strdup_printf ("data.results.%u.status", i);

      g_assert_cmpstr (fest_test_json_string (reply, path), ==, "applied");
    }
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - 500);
  g_assert_cmpint (wallet_transaction_count (f), ==, n_transactions + 2);
  g_assert_cmpint (incident_count (f), ==, n_incidents + 1);

  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/sync", NULL, batch, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "duplicate");
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - 500);

  fest_test_server_stop (f->server);
  db = open_festival_db (f);
  assert_applied (db, key1, 1);
  assert_applied (db, key3, 1);
  sqlite3_close (db);
  assert_check_passes (f);
}

/* Group commit: payments from many connections in flight when the disk fails, then recovers. */

#define BURST_PAYMENTS  240
#define BURST_IN_FLIGHT 16
#define FAULT_AFTER_OK  40     /* payments acknowledged before the fault starts */
#define FAULT_FAILURES  30     /* 503s before it ends */

typedef struct
{
  Fixture     *f;
  const Fault *fault;
  SoupSession *session;
  char        *body;
  guint        sent;
  guint        pending;
  gboolean     fault_started;
  gboolean     fault_on;
  gboolean     fault_done;
  guint        ok_after_fault;
  GHashTable  *acknowledged;  /* key → transaction id */
  GPtrArray   *refused;       /* keys answered 503 */
} Burst;

static void send_next (Burst *burst);

static void
burst_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  Burst *burst = g_object_get_data (G_OBJECT (msg), "burst");
  const char *key = g_object_get_data (G_OBJECT (msg), "key");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonNode) reply = NULL;
  guint status = soup_message_get_status (msg);

  g_assert_no_error (error);
  reply = parse_reply (bytes);
  burst->pending--;

  if (status == 201)
    {
      g_assert_true (g_hash_table_insert (burst->acknowledged, g_strdup (key),
                                          g_strdup (fest_test_json_string (reply, "data.id"))));
      if (burst->fault_done)
        burst->ok_after_fault++;
    }
  else
    {
      /* Only the fault may fail a payment: one in flight when it started, or sent during it. */
      g_assert_true (burst->fault_started);
      assert_storage_unavailable (status, soup_message_get_response_headers (msg), reply, burst->fault);
      g_ptr_array_add (burst->refused, g_strdup (key));
    }

  if (!burst->fault_on && !burst->fault_done && g_hash_table_size (burst->acknowledged) >= FAULT_AFTER_OK)
    {
      fault_start (burst->f, burst->fault);
      burst->fault_started = TRUE;
      burst->fault_on = TRUE;
    }
  else if (burst->fault_on && burst->refused->len >= FAULT_FAILURES)
    {
      fault_end (burst->f);
      burst->fault_on = FALSE;
      burst->fault_done = TRUE;
    }

  send_next (burst);
}

static void
send_next (Burst *burst)
{
  g_autoptr(SoupMessage) msg = NULL;
  char *key;

  if (burst->sent >= BURST_PAYMENTS)
    return;

  key = g_uuid_string_random ();
  msg = payment_message (burst->f, fest_test_server_get_url (burst->f->server), key, burst->body);
  g_object_set_data (G_OBJECT (msg), "burst", burst);
  g_object_set_data_full (G_OBJECT (msg), "key", key, g_free);

  burst->sent++;
  burst->pending++;
  soup_session_send_and_read_async (burst->session, msg, G_PRIORITY_DEFAULT, NULL, burst_cb, NULL);
}

static void
test_group_commit (Fixture       *f,
                   gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *body = payment_body (f, 1);
  g_autoptr(JsonNode) reply = NULL;
  GHashTableIter iter;
  gpointer key, value;
  Burst burst = { 0, };
  gint64 n_transactions = wallet_transaction_count (f);
  gint64 n_acknowledged;
  sqlite3 *db;

  burst.f = f;
  burst.fault = fault;
  burst.body = body;
  burst.session = soup_session_new_with_options ("max-conns", BURST_IN_FLIGHT,
                                                 "max-conns-per-host", BURST_IN_FLIGHT,
                                                 "timeout", 60, NULL);
  burst.acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  burst.refused = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < BURST_IN_FLIGHT; i++)
    send_next (&burst);
  while (burst.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  n_acknowledged = g_hash_table_size (burst.acknowledged);
  g_test_message ("%u payments: %" G_GINT64_FORMAT " acknowledged, %u refused by the fault, %u after it",
                  BURST_PAYMENTS, n_acknowledged, burst.refused->len, burst.ok_after_fault);
  g_assert_true (burst.fault_done);
  g_assert_cmpuint (burst.refused->len, >=, FAULT_FAILURES);
  g_assert_cmpuint (burst.ok_after_fault, >, 0);
  g_assert_cmpint (n_acknowledged + burst.refused->len, ==, BURST_PAYMENTS);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - n_acknowledged);
  g_assert_cmpint (wallet_transaction_count (f), ==, n_transactions + n_acknowledged);

  /* After a restart: each acknowledged payment is there once, each refused one is not. */
  fest_test_server_stop (f->server);
  db = open_festival_db (f);
  g_hash_table_iter_init (&iter, burst.acknowledged);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      assert_applied (db, key, 1);
      g_assert_cmpint (count_rows (db, "transactions", "id", value), ==, 1);
    }
  for (guint i = 0; i < burst.refused->len; i++)
    assert_applied (db, g_ptr_array_index (burst.refused, i), 0);
  sqlite3_close (db);
  assert_check_passes (f);

  fest_test_server_start (f->server);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - n_acknowledged);

  /* The stations retry what was refused: each applies once. */
  for (guint i = 0; i < burst.refused->len; i++)
    g_assert_cmpuint (request (f, "POST", "/transactions", g_ptr_array_index (burst.refused, i), body, NULL,
                               NULL), ==, 201);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - BURST_PAYMENTS);

  fest_test_server_stop (f->server);
  assert_check_passes (f);

  g_object_unref (burst.session);
  g_hash_table_unref (burst.acknowledged);
  g_ptr_array_unref (burst.refused);
}

/* A crash right after a refusal: a payment answered 503 is not brought back by the WAL's recovery
 * (after an fsync failure its frames were written, commit frame included). */
static void
test_crash_after_refusal (Fixture       *f,
                          gconstpointer  data)
{
  const Fault *fault = data;
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *body = payment_body (f, 250);
  g_autofree char *acked_key = g_uuid_string_random ();
  g_autofree char *acked_body = payment_body (f, 100);
  g_autofree char *preload = fest_test_preload_list (FEST_DISK_FAULT_PRELOAD);
  g_autofree char *line = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  gint64 n_transactions = wallet_transaction_count (f);
  sqlite3 *db;

  /* A server of our own on the same data dir, so that it can die by SIGKILL. */
  fest_test_server_stop (f->server);
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, "LD_PRELOAD", preload, TRUE);
  g_subprocess_launcher_setenv (launcher, "FEST_DISK_FAULT_DIR", fest_test_server_get_data_dir (f->server), TRUE);
  g_subprocess_launcher_setenv (launcher, "FEST_DISK_FAULT_CONTROL", f->control_path, TRUE);
  process = g_subprocess_launcher_spawn (launcher, &error, g_getenv ("FESTIVALS_SERVER"), "--data-dir",
                                         fest_test_server_get_data_dir (f->server), "--listen", "127.0.0.1:0",
                                         "--no-rate-limit", NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (process));
  line = g_data_input_stream_read_line_utf8 (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (line != NULL && g_str_has_prefix (line, "listening on "));

  /* One payment goes through first (and opens the festival's database, which takes a write). */
  msg = payment_message (f, line + strlen ("listening on "), acked_key, acked_body);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 201);
  g_clear_object (&msg);
  g_clear_pointer (&bytes, g_bytes_unref);

  fault_start (f, fault);
  msg = payment_message (f, line + strlen ("listening on "), key, body);
  bytes = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  reply = parse_reply (bytes);
  assert_storage_unavailable (soup_message_get_status (msg), soup_message_get_response_headers (msg), reply,
                              fault);
  g_subprocess_send_signal (process, SIGKILL);
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (g_subprocess_get_if_exited (process));
  fault_end (f);

  /* Recovery replays what was committed, and only that. */
  fest_test_server_start (f->server);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE - 100);
  g_assert_cmpint (wallet_transaction_count (f), ==, n_transactions + 1);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/transactions", key, body, NULL, &reply), ==, 201);
  g_assert_cmpint (fest_test_json_int (reply, "data.balance_after"), ==, INITIAL_BALANCE - 350);

  fest_test_server_stop (f->server);
  db = open_festival_db (f);
  assert_applied (db, acked_key, 1);
  assert_applied (db, key, 1);
  sqlite3_close (db);
  assert_check_passes (f);
}

/* A festival that the server has not opened since it started: opening it takes a write (the
 * WAL's shared-memory index grows), so on a full disk its requests wait for the disk (503), they
 * are not told that there is no festival and to log in again. */
static void
test_unopened_festival (Fixture       *f,
                        gconstpointer  data)
{
  /* SQLite reports a failed growth of the index as an I/O error, whatever the errno. */
  static const Fault index_full = { "write ENOSPC", "disk" };
  g_autofree char *path = g_strdup_printf ("/wallets/%s", f->wallet_id);
  g_autofree char *key = g_uuid_string_random ();
  g_autofree char *body = payment_body (f, 250);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  fest_test_server_stop (f->server);
  fest_test_server_start (f->server);

  fault_start (f, &index_full);
  status = request (f, "GET", path, NULL, NULL, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, &index_full);
  g_clear_pointer (&headers, soup_message_headers_unref);
  g_clear_pointer (&reply, json_node_unref);
  status = request (f, "POST", "/transactions", key, body, &headers, &reply);
  assert_storage_unavailable (status, headers, reply, &index_full);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "GET", "/health", NULL, NULL, NULL, &reply), ==, 200);

  fault_end (f);
  g_assert_cmpint (wallet_balance (f), ==, INITIAL_BALANCE);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (request (f, "POST", "/transactions", key, body, NULL, &reply), ==, 201);
  g_assert_cmpint (fest_test_json_int (reply, "data.balance_after"), ==, INITIAL_BALANCE - 250);

  fest_test_server_stop (f->server);
  assert_check_passes (f);
}

/* On PostgreSQL: see the top of the file. */
static void
skip_sqlite_only (Fixture       *f,
                  gconstpointer  data)
{
  g_test_skip ("SQLite only: the faults hit the server's SQLite files; PostgreSQL writes its own");
}

int
main (int    argc,
      char **argv)
{
  gboolean pg;

  g_test_init (&argc, &argv, NULL);
  pg = fest_test_backend_is_pg ();

  /* On PostgreSQL no server is started, every case is skipped. */
#define ADD(path, fault, func) \
  g_test_add (path, Fixture, fault, pg ? NULL : fixture_setup, pg ? skip_sqlite_only : func, \
              pg ? NULL : fixture_teardown)

  ADD ("/fest/disk-faults/payment/write-enospc", &write_enospc, test_payment);
  ADD ("/fest/disk-faults/payment/fsync-eio", &fsync_eio, test_payment);
  ADD ("/fest/disk-faults/sync/write-enospc", &write_enospc, test_sync);
  ADD ("/fest/disk-faults/sync/fsync-eio", &fsync_eio, test_sync);
  ADD ("/fest/disk-faults/other-writes/write-enospc", &write_enospc, test_other_writes);
  ADD ("/fest/disk-faults/other-writes/fsync-eio", &fsync_eio, test_other_writes);
  ADD ("/fest/disk-faults/group-commit/write-enospc", &write_enospc, test_group_commit);
  ADD ("/fest/disk-faults/group-commit/fsync-eio", &fsync_eio, test_group_commit);

  ADD ("/fest/disk-faults/crash-after-refusal/write-enospc", &write_enospc, test_crash_after_refusal);
  ADD ("/fest/disk-faults/crash-after-refusal/fsync-eio", &fsync_eio, test_crash_after_refusal);
  ADD ("/fest/disk-faults/unopened-festival/write-enospc", NULL, test_unopened_festival);
#undef ADD

  return g_test_run ();
}
