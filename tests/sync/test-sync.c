/* test-sync.c: the station store + sync engine against the real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "fest-core.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

#define N_SALES 1000

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} SyncWait;

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  SyncWait *wait = user_data;

  wait->ok = fest_sync_engine_sync_finish (FEST_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

static gboolean
run_sync (FestSyncEngine  *engine,
          GError         **error)
{
  SyncWait wait = { 0 };

  fest_sync_engine_sync_async (engine, NULL, sync_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static char *
temp_store_path (const char *name)
{
  return g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);
}

static FestStationStore *
new_enrolled_store (FestSyncServer *server,
                    const char     *name,
                    const char     *device_id,
                    const char     *stand_id,
                    const char     *mode)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = temp_store_path (name);
  FestStationStore *store = fest_station_store_open (path, &error);

  g_assert_no_error (error);
  fest_station_store_enroll (store, server->url, device_id, name, server->festival_id, stand_id,
                             mode, &error);
  g_assert_no_error (error);
  return store;
}

/* Every op of the store's outbox that is a transaction must be in the server's ledger exactly
 * once, and the ledger must hold nothing else of this device. Returns the number compared. */
static guint
assert_ledger_matches (FestSyncServer   *server,
                       FestStationStore *store,
                       guint             other_transactions)
{
  g_autoptr(JsonArray) ledger = fest_sync_server_list_transactions (server);
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n_ops = 0;

  for (guint i = 0; i < json_array_get_length (ledger); i++)
    {
      JsonObject *tx = json_array_get_object_element (ledger, i);
      const char *key = json_object_get_string_member_with_default (tx, "idempotency_key", NULL);

      g_assert_nonnull (key);
      /* Nothing doubled: one row per key. */
      g_assert_false (g_hash_table_contains (seen, key));
      g_hash_table_insert (seen, g_strdup (key), GINT_TO_POINTER (json_object_get_int_member (tx, "amount")));
    }

  for (guint i = 0; i < ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);

      if (g_strcmp0 (op->op, "transaction.create") != 0)
        continue;
      g_assert_cmpint (op->state, ==, FEST_OUTBOX_ACKED);
      /* Nothing lost, and the server's amount is the station's. */
      g_assert_true (g_hash_table_contains (seen, op->idempotency_key));
      g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (seen, op->idempotency_key)), ==,
                       op->amount_delta);
      n_ops++;
    }
  g_assert_cmpuint (json_array_get_length (ledger), ==, n_ops + other_transactions);
  return n_ops;
}

static gint64
server_balance (FestSyncServer *server,
                const char     *wallet_id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = g_strdup_printf ("/wallets/%s", wallet_id);

  g_assert_cmpuint (fest_sync_server_request (server, "GET", path, server->admin_token, NULL, NULL,
                                              &node), ==, 200);
  return json_object_get_int_member (json_node_get_object (node), "balance");
}

static void
record_sales (FestStationStore *store,
              const char       *product_id,
              const char       *wallet_code,
              guint             n)
{
  FestSaleLine line = { product_id, 1 };

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FestOutboxOp) op = fest_station_store_record_payment (store, wallet_code, &line, 1,
                                                                      0, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (op);
    }
}

/* 1,000 sales while the server is down; it comes back: the ledger is the station's records. */
static void
test_offline_backlog (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  gint64 cached = 0;
  gint64 start_time;

  fest_sync_server_setup_festival (server);
  wallet_id = fest_sync_server_new_wallet (server, 1000000, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);

  store = new_enrolled_store (server, "backlog.db", device_id, server->stand_id, "cashier");
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_true (fest_sync_engine_get_online (engine));
  g_assert_nonnull (fest_sync_engine_get_last_sync (engine));

  /* The catalog, the wallet and the festival's parameters are cached. */
  products = fest_station_store_list_products (store, server->stand_id);
  g_assert_cmpuint (products->len, ==, 1);
  g_assert_true (fest_station_store_get_wallet (store, code, NULL, &cached, NULL));
  g_assert_cmpint (cached, ==, 1000000);
  {
    g_autofree char *currency = fest_station_store_get_setting (store, FEST_STATION_KEY_CURRENCY_NAME);
    g_assert_cmpstr (currency, ==, "Jetons");
  }

  g_assert_true (fest_sync_server_stop (server));

  start_time = g_get_monotonic_time ();
  record_sales (store, server->product_id, code, N_SALES);
  g_test_message ("%u offline sales committed in %.1f ms (%.2f ms each)", N_SALES,
                  (g_get_monotonic_time () - start_time) / 1000.0,
                  (g_get_monotonic_time () - start_time) / 1000.0 / N_SALES);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, code), ==, 1000000 - 500 * N_SALES);

  /* Server down: the sync fails, the station says offline, nothing is lost. */
  g_assert_false (run_sync (engine, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (fest_sync_engine_get_online (engine));
  g_assert_cmpuint (fest_sync_engine_get_pending_count (engine), ==, N_SALES);

  fest_sync_server_start (server);
  fest_sync_engine_set_base_url (engine, server->url);
  start_time = g_get_monotonic_time ();
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_test_message ("backlog of %u pushed and pulled in %.1f ms", N_SALES,
                  (g_get_monotonic_time () - start_time) / 1000.0);
  g_assert_true (fest_sync_engine_get_online (engine));
  g_assert_cmpuint (fest_sync_engine_get_pending_count (engine), ==, 0);

  g_assert_cmpuint (assert_ledger_matches (server, store, 1), ==, N_SALES);
  g_assert_cmpint (server_balance (server, wallet_id), ==, 1000000 - 500 * N_SALES);
  /* The pulled balance replaced the cache, with nothing pending on top. */
  g_assert_cmpint (fest_station_store_get_effective_balance (store, code), ==, 1000000 - 500 * N_SALES);

  g_assert_true (fest_sync_server_stop (server));
  g_assert_true (fest_sync_server_check (server));
  fest_sync_server_free (server);
}

static gboolean
kill_server_cb (gpointer user_data)
{
  FestSyncServer *server = user_data;

  if (server->process != NULL)
    fest_sync_server_kill (server);
  return G_SOURCE_REMOVE;
}

static void
push_started_kill_cb (FestSyncEngine *engine,
                      guint           n_ops,
                      gpointer        user_data)
{
  FestSyncServer *server = user_data;
  guint *count = g_object_get_data (G_OBJECT (engine), "test-push-count");

  (*count)++;
  /* Third batch: kill -9 the server while the request is on its way / being applied. */
  if (*count == 3)
    g_timeout_add (2, kill_server_cb, server);
}

/* kill -9 of the server while a batch is in flight: after restart nothing lost, nothing doubled. */
static void
test_server_killed_mid_batch (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  guint push_count = 0;
  guint pending_after_crash;

  fest_sync_server_setup_festival (server);
  wallet_id = fest_sync_server_new_wallet (server, 1000000, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);
  store = new_enrolled_store (server, "killed.db", device_id, server->stand_id, "cashier");
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);

  record_sales (store, server->product_id, code, N_SALES);
  fest_sync_engine_set_batch_size (engine, 200);
  g_object_set_data (G_OBJECT (engine), "test-push-count", &push_count);
  g_signal_connect (engine, "push-started", G_CALLBACK (push_started_kill_cb), server);

  g_assert_false (run_sync (engine, &error));
  g_clear_error (&error);
  g_assert_cmpuint (push_count, >=, 3);
  g_assert_null (server->process);
  pending_after_crash = fest_station_store_count_pending (store);
  g_test_message ("pending after the crash: %u of %u", pending_after_crash, N_SALES);
  /* The first two batches were acknowledged; the third may or may not have been applied. */
  g_assert_cmpuint (pending_after_crash, <=, N_SALES - 400);
  g_assert_cmpuint (pending_after_crash, >=, N_SALES - 600);

  fest_sync_server_start (server);
  fest_sync_engine_set_base_url (engine, server->url);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_cmpuint (assert_ledger_matches (server, store, 1), ==, N_SALES);
  g_assert_cmpint (server_balance (server, wallet_id), ==, 1000000 - 500 * N_SALES);

  g_assert_true (fest_sync_server_stop (server));
  g_assert_true (fest_sync_server_check (server));
  g_signal_handlers_disconnect_by_data (engine, server);
  fest_sync_server_free (server);
}

/* The station process dies (kill -9) right after committing, and again in the middle of a push. */
static void
child_commit_then_die (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestStationStore) store = fest_station_store_open (g_getenv ("FEST_TEST_STORE"), &error);

  g_assert_no_error (error);
  record_sales (store, g_getenv ("FEST_TEST_PRODUCT"), g_getenv ("FEST_TEST_WALLET"), 50);
  /* The sales are committed; the process dies before any push. */
  raise (SIGKILL);
}

static gboolean
die_now_cb (gpointer user_data)
{
  raise (SIGKILL);
  return G_SOURCE_REMOVE;
}

static void
die_cb (FestSyncEngine *engine,
        guint           n_ops,
        gpointer        user_data)
{
  /* The request is on its way: die before its answer can be recorded. */
  g_timeout_add (3, die_now_cb, NULL);
}

static void
child_die_mid_push (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestStationStore) store = fest_station_store_open (g_getenv ("FEST_TEST_STORE"), &error);
  g_autoptr(FestSyncEngine) engine = NULL;

  g_assert_no_error (error);
  record_sales (store, g_getenv ("FEST_TEST_PRODUCT"), g_getenv ("FEST_TEST_WALLET"), 50);
  engine = fest_sync_engine_new (store, g_getenv ("FEST_TEST_URL"), g_getenv ("FEST_TEST_TOKEN"));
  g_signal_connect (engine, "push-started", G_CALLBACK (die_cb), NULL);
  run_sync (engine, NULL);
  raise (SIGKILL);
}

static void
test_station_killed (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = temp_store_path ("station-killed.db");

  /* Inside g_test_trap_subprocess: be the station that dies. */
  if (g_test_subprocess ())
    {
      fest_sync_server_free (server);
      if (g_strcmp0 (g_getenv ("FEST_TEST_CHILD"), "commit") == 0)
        child_commit_then_die ();
      else
        child_die_mid_push ();
      return;
    }

  fest_sync_server_setup_festival (server);
  wallet_id = fest_sync_server_new_wallet (server, 1000000, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);
  store = new_enrolled_store (server, "station-killed.db", device_id, server->stand_id, "cashier");
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_clear_object (&engine);
  g_clear_object (&store);

  g_setenv ("FEST_TEST_STORE", path, TRUE);
  g_setenv ("FEST_TEST_PRODUCT", server->product_id, TRUE);
  g_setenv ("FEST_TEST_WALLET", code, TRUE);
  g_setenv ("FEST_TEST_URL", server->url, TRUE);
  g_setenv ("FEST_TEST_TOKEN", token, TRUE);

  g_setenv ("FEST_TEST_CHILD", "commit", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();
  g_setenv ("FEST_TEST_CHILD", "push", TRUE);
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_failed ();

  /* Restart the station: the 100 sales are all there, pending or (some) acknowledged. */
  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);
    g_assert_cmpuint (ops->len, ==, 100);
  }
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_cmpuint (assert_ledger_matches (server, store, 1), ==, 100);
  g_assert_cmpint (server_balance (server, wallet_id), ==, 1000000 - 500 * 100);

  g_assert_true (fest_sync_server_stop (server));
  g_assert_true (fest_sync_server_check (server));
  fest_sync_server_free (server);
}

/* The server applied a batch but the station never recorded the answer (it crashed right after the
 * commit, or the answer was lost): the replay is answered "duplicate" and nothing is doubled. */
static void
test_lost_acks_replay (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *path = temp_store_path ("lost-acks.db");
  sqlite3 *db = NULL;

  fest_sync_server_setup_festival (server);
  wallet_id = fest_sync_server_new_wallet (server, 1000000, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);
  store = new_enrolled_store (server, "lost-acks.db", device_id, server->stand_id, "cashier");
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  record_sales (store, server->product_id, code, 300);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_clear_object (&engine);
  g_clear_object (&store);

  /* Forget every answer, as if the station died between the server's commit and its own. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET state = 0, entity = NULL", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_changes (db), ==, 300);
  sqlite3_close (db);

  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 300);
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_cmpuint (assert_ledger_matches (server, store, 1), ==, 300);
  g_assert_cmpint (server_balance (server, wallet_id), ==, 1000000 - 500 * 300);
  /* The replayed answers carry the original entities: the last sale can still be cancelled. */
  {
    g_autoptr(FestOutboxOp) last = fest_station_store_get_last_sale (store);
    g_assert_nonnull (last);
    g_assert_nonnull (last->entity);
  }

  g_assert_true (fest_sync_server_stop (server));
  g_assert_true (fest_sync_server_check (server));
  fest_sync_server_free (server);
}

static void
rejected_cb (FestSyncEngine *engine,
             const char     *key,
             const char     *code,
             const char     *message,
             gpointer        user_data)
{
  GPtrArray *keys = user_data;

  g_ptr_array_add (keys, g_strdup (key));
}

/* An op the server refuses is kept as rejected, announced, and does not block the others. */
static void
test_rejected_op (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rejected_keys = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(JsonNode) fake = NULL;
  g_autoptr(FestOutboxOp) bad = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *fake_id = fest_uuid_new ();
  g_autofree char *changes = NULL;
  FestSaleLine bad_line = { fake_id, 1 };

  fest_sync_server_setup_festival (server);
  wallet_id = fest_sync_server_new_wallet (server, 100000, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);
  store = new_enrolled_store (server, "rejected.db", device_id, server->stand_id, "cashier");
  engine = fest_sync_engine_new (store, server->url, token);
  g_signal_connect (engine, "rejected", G_CALLBACK (rejected_cb), rejected_keys);
  g_assert_true (run_sync (engine, &error));

  /* A product the server does not know (as if deleted and purged): its sale is refused. */
  changes = g_strdup_printf ("{\"products\":[{\"id\":\"%s\",\"stand_id\":\"%s\",\"name\":\"Ghost\","
                             "\"price\":100,\"vat_rate\":20,\"rev\":1}]}", fake_id, server->stand_id);
  fake = fest_json_parse (changes, -1, &error);
  fest_station_store_apply_changes (store, json_node_get_object (fake), NULL, &error);
  g_assert_no_error (error);
  record_sales (store, server->product_id, code, 2);
  bad = fest_station_store_record_payment (store, code, &bad_line, 1, 0, NULL, &error);
  g_assert_no_error (error);
  record_sales (store, server->product_id, code, 2);

  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  g_assert_cmpuint (rejected_keys->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rejected_keys, 0), ==, bad->idempotency_key);
  rejected = fest_station_store_list_rejected (store);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_nonnull (((FestOutboxOp *) g_ptr_array_index (rejected, 0))->error_code);
  g_assert_cmpint (server_balance (server, wallet_id), ==, 100000 - 4 * 500);

  g_assert_true (fest_sync_server_stop (server));
  fest_sync_server_free (server);
}

/* Two gates admit the same ticket offline: the server keeps one ENTRY and one DUPLICATE_ENTRY. */
static void
test_two_scanners (void)
{
  FestSyncServer *server = fest_sync_server_new ();
  g_autoptr(FestStationStore) store_a = NULL;
  g_autoptr(FestStationStore) store_b = NULL;
  g_autoptr(FestSyncEngine) engine_a = NULL;
  g_autoptr(FestSyncEngine) engine_b = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3);
  g_autoptr(GPtrArray) alerts = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *body = NULL;
  g_autofree char *device_a = NULL;
  g_autofree char *device_b = NULL;
  g_autofree char *token_a = NULL;
  g_autofree char *token_b = NULL;
  FestScanVerdict verdict;
  guint8 key[32];
  JsonObject *stats;
  gboolean found = FALSE;

  fest_sync_server_setup_festival (server);
  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/ticket-types", server->admin_token,
                                              "{\"name\":\"Pass\",\"code\":\"PASS\",\"price\":0,"
                                              "\"quota\":null,\"valid_from\":\"2026-01-01T00:00:00Z\","
                                              "\"valid_until\":\"2027-12-31T00:00:00Z\","
                                              "\"reentry_allowed\":false}", NULL, &node), ==, 201);
  type_id = g_strdup (json_object_get_string_member (json_node_get_object (node), "id"));
  g_clear_pointer (&node, json_node_unref);
  body = g_strdup_printf ("{\"ticket_type_id\":\"%s\",\"holder_name\":\"Ada\","
                          "\"holder_email\":\"ada@example.org\"}", type_id);
  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/tickets", server->admin_token, body,
                                              NULL, &node), ==, 201);
  qr = g_strdup (json_object_get_string_member (json_node_get_object (node), "qr_code"));
  g_clear_pointer (&node, json_node_unref);

  token_a = fest_sync_server_new_device (server, "scanner", NULL, &device_a);
  token_b = fest_sync_server_new_device (server, "scanner", NULL, &device_b);
  store_a = new_enrolled_store (server, "gate-a.db", device_a, NULL, "scanner");
  store_b = new_enrolled_store (server, "gate-b.db", device_b, NULL, "scanner");
  engine_a = fest_sync_engine_new (store_a, server->url, token_a);
  engine_b = fest_sync_engine_new (store_b, server->url, token_b);
  g_assert_true (run_sync (engine_a, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (engine_b, &error));
  g_assert_no_error (error);
  g_assert_true (fest_station_store_get_ticket_key (store_a, key));

  /* Both gates are cut off: each admits the ticket on its own. */
  fest_station_store_record_scan (store_a, qr, "North", now, &verdict, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ACCEPT);
  fest_scan_verdict_clear (&verdict);
  fest_station_store_record_scan (store_b, qr, "South", later, &verdict, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ACCEPT);
  fest_scan_verdict_clear (&verdict);

  /* The later gate uploads first: the earliest scan still wins. */
  g_assert_true (run_sync (engine_b, &error));
  g_assert_no_error (error);
  g_assert_true (run_sync (engine_a, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (fest_sync_server_request (server, "GET", "/stats", server->admin_token, NULL,
                                              NULL, &node), ==, 200);
  stats = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "entries"),
                                               "total"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (stats, "duplicate_entries"), ==, 1);

  /* The DUPLICATE_ENTRY alert reaches the gates. */
  g_assert_true (run_sync (engine_a, &error));
  alerts = fest_station_store_take_new_alerts (store_a);
  for (guint i = 0; i < alerts->len; i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (
                     json_node_get_object (g_ptr_array_index (alerts, i)), "type", ""),
                   "DUPLICATE_ENTRY") == 0)
      found = TRUE;
  g_assert_true (found);
  /* And then the ticket is known as used at the gate that really admitted it first. */
  fest_station_store_record_scan (store_b, qr, "South", later, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ALREADY_USED);
  fest_scan_verdict_clear (&verdict);

  g_assert_true (fest_sync_server_stop (server));
  fest_sync_server_free (server);
}

/* Online transactions (POST /transactions through the engine) */

typedef struct
{
  gboolean           done;
  FestOnlineOutcome  outcome;
  JsonNode          *entity;
  GError            *error;
} OnlineWait;

static void
online_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  OnlineWait *wait = user_data;

  wait->entity = fest_sync_engine_post_transaction_finish (FEST_SYNC_ENGINE (source), result, &wait->outcome,
                                                           &wait->error);
  wait->done = TRUE;
}

static FestOnlineOutcome
post_online (FestSyncEngine   *engine,
             const char       *key,
             JsonNode         *body,
             guint             timeout_ms,
             JsonNode        **entity,
             GError          **error)
{
  OnlineWait wait = { 0 };

  fest_sync_engine_post_transaction_async (engine, key, body, timeout_ms, NULL, online_done_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  if (entity != NULL)
    *entity = wait.entity;
  else
    g_clear_pointer (&wait.entity, json_node_unref);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.outcome;
}

/* The server's transactions with this idempotency key. */
static guint
count_key (FestSyncServer *server,
           const char     *key)
{
  g_autoptr(JsonArray) ledger = fest_sync_server_list_transactions (server);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (ledger); i++)
    if (g_strcmp0 (json_object_get_string_member_with_default (json_array_get_object_element (ledger, i),
                                                               "idempotency_key", NULL), key) == 0)
      n++;
  return n;
}

typedef struct
{
  FestSyncServer   *server;
  FestStationStore *store;
  FestSyncEngine   *engine;
  char             *code;
  char             *wallet_id;
  char             *device_id;
  char             *token;
} Station;

static void
station_open (Station    *station,
              const char *name,
              gint64      balance)
{
  g_autoptr(GError) error = NULL;

  station->server = fest_sync_server_new ();
  fest_sync_server_setup_festival (station->server);
  station->wallet_id = fest_sync_server_new_wallet (station->server, balance, &station->code);
  station->token = fest_sync_server_new_device (station->server, "cashier", station->server->stand_id,
                                                &station->device_id);
  station->store = new_enrolled_store (station->server, name, station->device_id, station->server->stand_id,
                                       "cashier");
  station->engine = fest_sync_engine_new (station->store, station->server->url, station->token);
  g_assert_true (run_sync (station->engine, &error));
  g_assert_no_error (error);
  g_assert_true (fest_sync_engine_get_online (station->engine));
}

static void
station_close (Station *station)
{
  g_clear_object (&station->engine);
  g_clear_object (&station->store);
  g_assert_true (fest_sync_server_stop (station->server));
  g_assert_true (fest_sync_server_check (station->server));
  fest_sync_server_free (station->server);
  g_free (station->code);
  g_free (station->wallet_id);
  g_free (station->device_id);
  g_free (station->token);
}

/* Online, the server's balance check decides: a refusal carries its figures, nothing is recorded. */
static void
test_online_refused (void)
{
  Station station = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autofree char *key = fest_uuid_new ();
  FestSaleLine line = { NULL, 1 };
  JsonObject *details;
  gint64 total = 0;

  station_open (&station, "online-refused.db", 300);
  line.product_id = station.server->product_id;
  body = fest_station_store_build_payment (station.store, station.code, &line, 1, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 500);

  g_assert_cmpint (post_online (station.engine, key, body, 4000, &entity, &error), ==, FEST_ONLINE_REFUSED);
  g_assert_null (entity);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE);
  details = json_node_get_object (fest_error_get_details (error));
  g_assert_cmpint (json_object_get_int_member (details, "required"), ==, 500);
  g_assert_cmpint (json_object_get_int_member (details, "available"), ==, 300);

  /* The page records nothing on a refusal: the outbox is empty and so is the shift. */
  ops = fest_station_store_list_all_ops (station.store);
  g_assert_cmpuint (ops->len, ==, 0);
  g_assert_cmpuint (count_key (station.server, key), ==, 0);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 300);
  station_close (&station);
}

/* Accepted online: an acknowledged op, counted in the shift, the cached balance is the server's. */
static void
test_online_accepted (void)
{
  Station station = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(FestOutboxOp) last = NULL;
  g_autoptr(FestOutboxOp) cancel = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *text = NULL;
  FestSaleLine line = { NULL, 2 };
  gint64 total = 0;

  station_open (&station, "online-accepted.db", 3000);
  line.product_id = station.server->product_id;
  body = fest_station_store_build_payment (station.store, station.code, &line, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (post_online (station.engine, key, body, 4000, &entity, &error), ==, FEST_ONLINE_ACCEPTED);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (entity), "amount"), ==, -1000);

  text = fest_json_to_string (entity, NULL);
  op = fest_station_store_record_payment_full (station.store, key, station.code, &line, 1, 0, FEST_OUTBOX_ACKED,
                                               text, &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (op->state, ==, FEST_OUTBOX_ACKED);
  g_assert_cmpstr (op->idempotency_key, ==, key);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  g_assert_cmpint (fest_station_store_get_effective_balance (station.store, station.code), ==, 2000);

  summary = fest_station_store_get_shift_summary (station.store);
  g_assert_cmpuint (summary->n_sales, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 1000);

  last = fest_station_store_get_last_sale (station.store);
  g_assert_cmpstr (last->idempotency_key, ==, key);
  /* It can be cancelled right away: the server's id is known. */
  cancel = fest_station_store_record_cancel_last (station.store, 120, &error);
  g_assert_no_error (error);
  g_assert_nonnull (cancel);

  g_assert_true (run_sync (station.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (assert_ledger_matches (station.server, station.store, 1), ==, 2);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 3000);
  station_close (&station);
}

/* The answer to an online sale is lost (here: the server is frozen while it has the request queued,
 * so every attempt times out); the station falls back to its outbox with the same key. However the
 * server's queue and the sync interleave, the customer is charged exactly once. */
static void
test_online_answer_lost (void)
{
  Station station = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autofree char *key = fest_uuid_new ();
  FestSaleLine line = { NULL, 1 };
  GPid pid;

  station_open (&station, "online-lost.db", 5000);
  line.product_id = station.server->product_id;
  body = fest_station_store_build_payment (station.store, station.code, &line, 1, NULL, &error);
  g_assert_no_error (error);

  pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (station.server->process), NULL, 10);
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  g_assert_cmpint (post_online (station.engine, key, body, 300, NULL, &error), ==, FEST_ONLINE_UNCERTAIN);
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (fest_sync_engine_get_online (station.engine));

  /* The page's fallback: the outbox, same key, same operation (the offline rules accept it). */
  op = fest_station_store_record_payment_full (station.store, key, station.code, &line, 1, 0, FEST_OUTBOX_PENDING,
                                               NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  /* The frozen attempts are now applied (one of them) and replayed (the others); the sync is
   * answered "duplicate" with the original transaction. */
  g_assert_true (run_sync (station.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  g_assert_cmpuint (count_key (station.server, key), ==, 1);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 4500);
  g_assert_cmpuint (assert_ledger_matches (station.server, station.store, 1), ==, 1);

  /* The other order: applied online first, the answer lost, then the same op pushed. */
  {
    g_autofree char *key2 = fest_uuid_new ();
    g_autoptr(FestOutboxOp) op2 = NULL;

    g_assert_cmpint (post_online (station.engine, key2, body, 4000, NULL, &error), ==, FEST_ONLINE_ACCEPTED);
    op2 = fest_station_store_record_payment_full (station.store, key2, station.code, &line, 1, 0,
                                                  FEST_OUTBOX_PENDING, NULL, NULL, &error);
    g_assert_no_error (error);
    g_assert_true (run_sync (station.engine, &error));
    g_assert_no_error (error);
    g_assert_cmpuint (count_key (station.server, key2), ==, 1);
    g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 4000);
    g_assert_cmpuint (assert_ledger_matches (station.server, station.store, 1), ==, 2);
  }
  station_close (&station);
}

static void
unconfirmed_cb (FestSyncEngine *engine,
                const char     *key,
                gboolean        charged,
                gpointer        user_data)
{
  g_hash_table_insert (user_data, g_strdup (key), GINT_TO_POINTER (charged ? 2 : 1));
}

/* In doubt and refused by the offline rules: kept UNCONFIRMED (not pushed); the engine later asks
 * the server: the one that had landed becomes a sale, the other is void and never charged. */
static void
test_unconfirmed_resolution (void)
{
  Station station = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(FestOutboxOp) landed = NULL;
  g_autoptr(FestOutboxOp) lost = NULL;
  g_autoptr(GPtrArray) ops = NULL;
  g_autoptr(GHashTable) resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *key_landed = fest_uuid_new ();
  g_autofree char *key_lost = fest_uuid_new ();
  FestSaleLine line = { NULL, 1 };

  station_open (&station, "unconfirmed.db", 600);
  fest_sync_engine_set_unconfirmed_settle (station.engine, 0);
  g_signal_connect (station.engine, "unconfirmed-resolved", G_CALLBACK (unconfirmed_cb), resolved);
  line.product_id = station.server->product_id;
  body = fest_station_store_build_payment (station.store, station.code, &line, 1, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (post_online (station.engine, key_landed, body, 4000, NULL, &error), ==, FEST_ONLINE_ACCEPTED);

  landed = fest_station_store_record_payment_full (station.store, key_landed, station.code, &line, 1, 0,
                                                   FEST_OUTBOX_UNCONFIRMED, NULL, NULL, &error);
  g_assert_no_error (error);
  lost = fest_station_store_record_payment_full (station.store, key_lost, station.code, &line, 1, 0,
                                                 FEST_OUTBOX_UNCONFIRMED, NULL, NULL, &error);
  g_assert_no_error (error);
  /* Not pending, not in the shift, not on the cached balance. */
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  {
    g_autoptr(FestShiftSummary) before = fest_station_store_get_shift_summary (station.store);
    g_assert_cmpuint (before->n_sales, ==, 0);
  }

  g_assert_true (run_sync (station.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolved, key_landed)), ==, 2);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (resolved, key_lost)), ==, 1);
  ops = fest_station_store_list_all_ops (station.store);
  g_assert_cmpuint (ops->len, ==, 2);
  for (guint i = 0; i < ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);

      if (g_str_equal (op->idempotency_key, key_landed))
        {
          g_assert_cmpint (op->state, ==, FEST_OUTBOX_ACKED);
          g_assert_nonnull (op->entity);
        }
      else
        g_assert_cmpint (op->state, ==, FEST_OUTBOX_VOID);
    }
  g_assert_cmpuint (count_key (station.server, key_landed), ==, 1);
  g_assert_cmpuint (count_key (station.server, key_lost), ==, 0);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 100);
  g_assert_cmpint (fest_station_store_get_effective_balance (station.store, station.code), ==, 100);
  {
    g_autoptr(FestShiftSummary) summary = fest_station_store_get_shift_summary (station.store);
    g_assert_cmpuint (summary->n_sales, ==, 1);
  }
  station_close (&station);
}

/* The organiser revokes the device: the engine says so and stops; the outbox is kept; enrolled
 * again with a new token of the same festival, it is pushed. */
static void
test_revoked_token (void)
{
  Station station = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *new_device_id = NULL;
  g_autofree char *new_token = NULL;
  FestSaleLine line = { NULL, 1 };

  station_open (&station, "revoked.db", 10000);
  line.product_id = station.server->product_id;
  record_sales (station.store, station.server->product_id, station.code, 3);

  path = g_strdup_printf ("/devices/%s", station.device_id);
  g_assert_cmpuint (fest_sync_server_request (station.server, "DELETE", path, station.server->admin_token, NULL,
                                              NULL, NULL), ==, 200);

  g_assert_false (run_sync (station.engine, &error));
  g_assert_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);
  g_assert_true (fest_sync_engine_get_revoked (station.engine));
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 3);
  /* No more requests with that token: a sync or an online sale is refused right away. */
  g_assert_false (run_sync (station.engine, &error));
  g_assert_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);
  g_clear_error (&error);
  body = fest_station_store_build_payment (station.store, station.code, &line, 1, NULL, &error);
  g_assert_cmpint (post_online (station.engine, "after-revoke", body, 4000, NULL, &error), ==, FEST_ONLINE_REVOKED);
  g_clear_error (&error);
  g_assert_cmpuint (count_key (station.server, "after-revoke"), ==, 0);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 10000);

  /* A token of another festival may not take the kept outbox. */
  g_assert_false (fest_station_store_enroll (station.store, station.server->url, "other-device", "Other",
                                             "00000000-0000-4000-8000-000000000001", station.server->stand_id,
                                             "cashier", &error));
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_clear_error (&error);

  /* Enrolled again, same festival: the kept outbox goes out. */
  new_token = fest_sync_server_new_device (station.server, "cashier", station.server->stand_id, &new_device_id);
  g_assert_true (fest_station_store_enroll (station.store, station.server->url, new_device_id, "Bar again",
                                            station.server->festival_id, station.server->stand_id, "cashier",
                                            &error));
  g_assert_no_error (error);
  fest_sync_engine_set_token (station.engine, new_token);
  g_assert_false (fest_sync_engine_get_revoked (station.engine));
  g_assert_true (run_sync (station.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  g_assert_cmpuint (assert_ledger_matches (station.server, station.store, 1), ==, 3);
  g_assert_cmpint (server_balance (station.server, station.wallet_id), ==, 10000 - 3 * 500);
  station_close (&station);
}

/* Iterates the main loop until the engine's online state is @online or @timeout_s passed; returns
 * how long it took in seconds (or a value above @timeout_s). */
static double
wait_online (FestSyncEngine *engine,
             gboolean        online,
             double          timeout_s)
{
  gint64 start = g_get_monotonic_time ();
  double elapsed = 0;

  while ((elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC) <= timeout_s
         && fest_sync_engine_get_online (engine) != online)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  return elapsed;
}

/* The server dies and stays away long enough for the sync backoff to grow; once it listens again
 * the station is back online within seconds, not at the end of the backoff (issue: 15–27 s). */
static void
test_back_online_after_restart (void)
{
  Station station = { 0 };
  double offline_s;
  double back_s;
  gint64 start;

  station_open (&station, "back-online.db", 10000);
  fest_sync_engine_start (station.engine);
  g_assert_cmpfloat (wait_online (station.engine, TRUE, 5), <=, 5);

  fest_sync_server_kill (station.server);
  fest_sync_engine_sync_now (station.engine);
  offline_s = wait_online (station.engine, FALSE, 10);
  g_assert_cmpfloat (offline_s, <=, 10);

  /* Several failed cycles: the backoff has grown to tens of seconds (a festival network outage
   * lasts longer than this). The server comes back right after one more failed cycle: a station
   * that waits for its backoff would stay offline for at least 8 s more. */
  start = g_get_monotonic_time ();
  while (g_get_monotonic_time () - start < 30 * G_USEC_PER_SEC)
    {
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  g_assert_false (fest_sync_engine_get_online (station.engine));
  while (!fest_sync_engine_get_syncing (station.engine))
    g_main_context_iteration (NULL, TRUE);
  while (fest_sync_engine_get_syncing (station.engine))
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (fest_sync_engine_get_online (station.engine));

  fest_sync_server_start_same_port (station.server);
  back_s = wait_online (station.engine, TRUE, 30);
  g_test_message ("back online %.2f s after the server listened again", back_s);
  g_assert_cmpfloat (back_s, <=, 5);

  fest_sync_engine_stop (station.engine);
  station_close (&station);
}

int
main (int argc, char *argv[])
{
  /* The isolated XDG dirs hide the GSettings schemas the default proxy resolver wants. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

  if (g_getenv ("FESTIVALS_SERVER") == NULL)
    {
      g_printerr ("FESTIVALS_SERVER must name the festivals-server binary\n");
      return 1;
    }

  g_test_add_func ("/fest/sync/offline-backlog", test_offline_backlog);
  g_test_add_func ("/fest/sync/server-killed-mid-batch", test_server_killed_mid_batch);
  g_test_add_func ("/fest/sync/station-killed", test_station_killed);
  g_test_add_func ("/fest/sync/lost-acks-replay", test_lost_acks_replay);
  g_test_add_func ("/fest/sync/rejected-op", test_rejected_op);
  g_test_add_func ("/fest/sync/two-scanners", test_two_scanners);
  g_test_add_func ("/fest/sync/online-refused", test_online_refused);
  g_test_add_func ("/fest/sync/online-accepted", test_online_accepted);
  g_test_add_func ("/fest/sync/online-answer-lost", test_online_answer_lost);
  g_test_add_func ("/fest/sync/unconfirmed-resolution", test_unconfirmed_resolution);
  g_test_add_func ("/fest/sync/revoked-token", test_revoked_token);
  g_test_add_func ("/fest/sync/back-online-after-restart", test_back_online_after_restart);

  return g_test_run ();
}
