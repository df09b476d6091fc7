/* test-sync.c: the offline stations' protocol: POST /sync batches and GET /sync/changes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), SQLite-only behaviour is skipped:
 * - /fest/sync/failure-after-write (its fault comes from an LD_PRELOAD wrapper of sqlite3_step,
 *   fest-sqlite-fault-preload.c).
 */

#include "config.h"

#include <string.h>


#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Sync fest", &fixture->fest);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  fest_test_server_free (fixture->server);
}

/* A wallet credited online with @amount; returns its id. */
static char *
create_wallet (Fixture *fixture,
               gint64   amount)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *id = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/wallets", fixture->fest.organiser_token,
                                     "{\"holder_name\":\"Attendee\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  if (amount > 0)
    {
      g_autofree char *body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%"
                                               G_GINT64_FORMAT ",\"payment_method\":\"CASH\"}", id, amount);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
      g_autofree char *key = fest_uuid_new ();
      const char *headers[] = { "Idempotency-Key", key, NULL };

      status = fest_test_server_request_full (fixture->server, "POST", "/transactions", fixture->fest.organiser_token,
                                              "application/json", bytes, headers, NULL, &reply);
      g_assert_cmpuint (status, ==, 201);
    }
  return g_steal_pointer (&id);
}

static JsonNode *
get_wallet (Fixture    *fixture,
            const char *id)
{
  g_autofree char *path = g_strdup_printf ("/wallets/%s", id);
  JsonNode *reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  return reply;
}

static gint64
count_wallet_transactions (Fixture    *fixture,
                           const char *id)
{
  g_autofree char *path = g_strdup_printf ("/wallets/%s/transactions", id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static JsonNode *
post_sync (Fixture    *fixture,
           const char *token,
           const char *body)
{
  JsonNode *reply = NULL;
  guint status = fest_test_server_request (fixture->server, "POST", "/sync", token, body, &reply);

  g_assert_cmpuint (status, ==, 200);
  return reply;
}

static void
assert_result (JsonNode   *reply,
               guint       index,
               const char *key,
               const char *status)
{
  g_autofree char *key_path = g_strdup_printf ("data.results.%u.idempotency_key", index);
  g_autofree char *status_path = g_strdup_printf ("data.results.%u.status", index);

  g_assert_cmpstr (fest_test_json_string (reply, key_path), ==, key);
  g_assert_cmpstr (fest_test_json_string (reply, status_path), ==, status);
}

static char *
payment_batch (const char *wallet,
               const char *ticket_type_hint)
{
  return g_strdup_printf ("{\"device_id\":\"bar-1\",\"pending\":0,\"operations\":["
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-1-op-1\","
                          " \"created_at\":\"2026-07-14T20:00:00Z\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}},"
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-1-op-2\","
                          " \"created_at\":\"2026-07-14T20:00:05Z\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"00000000-0000-4000-8000-000000000000\","
                          "  \"amount\":100}},"
                          "{\"op\":\"incident.create\",\"idempotency_key\":\"bar-1-op-3\","
                          " \"payload\":{\"type\":\"%s\",\"location\":{\"lat\":45.7,\"lng\":4.8}}},"
                          "{\"op\":\"teleport\",\"idempotency_key\":\"bar-1-op-4\",\"payload\":{}},"
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-1-op-5\","
                          " \"created_at\":\"2026-07-14T20:00:09Z\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":200}},"
                          "{\"op\":\"incident.create\",\"idempotency_key\":\"bar-1-op-6\","
                          " \"payload\":{\"type\":\"MEDICAL\",\"location\":{\"lat\":45.7,\"lng\":4.8},"
                          "  \"description\":\"Malaise au bar\"}}"
                          "]}",
                          wallet, ticket_type_hint, wallet);
}

static void
test_bad_op_in_the_middle (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *batch = payment_batch (wallet, "ALIENS");
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "bar-1-op-1", "applied");
  assert_result (reply, 1, "bar-1-op-2", "rejected");
  assert_result (reply, 2, "bar-1-op-3", "rejected");
  assert_result (reply, 3, "bar-1-op-4", "rejected");
  assert_result (reply, 4, "bar-1-op-5", "applied");
  assert_result (reply, 5, "bar-1-op-6", "applied");
  g_assert_cmpint (fest_test_json_int (reply, "data.applied"), ==, 3);
  g_assert_cmpint (fest_test_json_int (reply, "data.rejected"), ==, 3);

  /* Each rejection carries its error. */
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.error.code"), ==, "NOT_FOUND");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.2.error.code"), ==, "VALIDATION_FAILED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.2.error.details.field"), ==, "type");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.3.error.code"), ==, "VALIDATION_FAILED");
  g_assert_null (fest_test_json_get (reply, "data.results.1.entity"));

  /* The applied ones are there with their entities. */
  g_assert_cmpint (fest_test_json_int (reply, "data.results.0.entity.amount"), ==, -300);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.results.0.entity.offline_created")));
  g_assert_cmpint (fest_test_json_int (reply, "data.results.4.entity.balance_after"), ==, 500);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.5.entity.type"), ==, "MEDICAL");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.5.entity.reporter_id"), ==,
                   fixture->fest.organiser_id);

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 500);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 3);
}

static void
test_replay (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *batch = payment_batch (wallet, "ALIENS");
  g_autofree char *reused = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;
  g_autoptr(JsonNode) incidents = NULL;

  first = post_sync (fixture, fixture->fest.organiser_token, batch);
  /* A lost response: the station sends the same batch again. */
  second = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (second, 0, "bar-1-op-1", "duplicate");
  assert_result (second, 1, "bar-1-op-2", "rejected");
  assert_result (second, 4, "bar-1-op-5", "duplicate");
  assert_result (second, 5, "bar-1-op-6", "duplicate");
  g_assert_cmpint (fest_test_json_int (second, "data.duplicate"), ==, 3);
  g_assert_cmpint (fest_test_json_int (second, "data.applied"), ==, 0);

  /* The original entities come back. */
  g_assert_cmpstr (fest_test_json_string (second, "data.results.0.entity.id"), ==,
                   fest_test_json_string (first, "data.results.0.entity.id"));
  g_assert_cmpstr (fest_test_json_string (second, "data.results.5.entity.id"), ==,
                   fest_test_json_string (first, "data.results.5.entity.id"));

  /* Nothing doubled */
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 500);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 3);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/incidents", fixture->fest.organiser_token,
                                              NULL, &incidents), ==, 200);
  g_assert_cmpint (fest_test_json_int (incidents, "meta.total"), ==, 1);

  /* The same key for another operation */
  reused = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                            "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-1-op-1\","
                            " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":999}}]}",
                            wallet);
  third = post_sync (fixture, fixture->fest.organiser_token, reused);
  assert_result (third, 0, "bar-1-op-1", "rejected");
  g_assert_cmpstr (fest_test_json_string (third, "data.results.0.error.code"), ==, "IDEMPOTENCY_KEY_REUSED");
  g_clear_pointer (&wallet_reply, json_node_unref);
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 500);
}

/* A multi-line payment whose second line is bad must leave the first line's stock alone, and the
 * operations around it still apply. */
static void
test_rejected_op_leaves_nothing (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 5000);
  g_autofree char *stand = NULL;
  g_autofree char *product = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *product_path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/stands", fixture->fest.organiser_token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  stand = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/products", fixture->fest.organiser_token, &reply,
                                      "{\"stand_id\":\"%s\",\"name\":\"Bière\",\"price\":450,\"vat_rate\":20,"
                                      "\"stock\":10}", stand);
  g_assert_cmpuint (status, ==, 201);
  product = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  batch = g_strdup_printf ("{\"device_id\":\"bar-3\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-3-op-1\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                           "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":1}]}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-3-op-2\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                           "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":2},"
                           "           {\"product_id\":\"00000000-0000-4000-8000-000000000000\",\"quantity\":1}]}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-3-op-3\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                           "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":3}]}}"
                           "]}",
                           wallet, stand, product, wallet, stand, product, wallet, stand, product);
  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "bar-3-op-1", "applied");
  assert_result (reply, 1, "bar-3-op-2", "rejected");
  assert_result (reply, 2, "bar-3-op-3", "applied");

  product_path = g_strdup_printf ("/products/%s", product);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", product_path, fixture->fest.organiser_token,
                                              NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.stock"), ==, 10 - 1 - 3);
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 5000 - 4 * 450);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 3);
}

/* An operation that fails after it wrote is rolled back alone: the batch is retried with a
 * savepoint per operation. The server runs with fest-sqlite-fault-preload.c preloaded: just before
 * the ledger looks for the payment a CANCEL reverses (a refused CANCEL writes nothing of its own),
 * it takes 200 from every wallet on the same connection, as a write hit before a late refusal. */
#define SQLITE_FAULT_BEFORE "SELECT id FROM transactions WHERE operator_id = ?1 AND type = 'PAYMENT'"
#define SQLITE_FAULT_EXEC   "UPDATE wallets SET balance = balance - 200"

static char *
sqlite_fault_log (Fixture *fixture)
{
  return g_build_filename (fest_test_server_get_data_dir (fixture->server), "sqlite-fault.log", NULL);
}

static void
fail_after_write_setup (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *preload = NULL;
  g_autofree char *log = NULL;

  fixture->server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  preload = fest_test_preload_list (FEST_SQLITE_FAULT_PRELOAD);
  log = sqlite_fault_log (fixture);
  fest_test_server_setenv (fixture->server, "LD_PRELOAD", preload);
  fest_test_server_setenv (fixture->server, "FEST_SQLITE_FAULT_BEFORE", SQLITE_FAULT_BEFORE);
  fest_test_server_setenv (fixture->server, "FEST_SQLITE_FAULT_EXEC", SQLITE_FAULT_EXEC);
  fest_test_server_setenv (fixture->server, "FEST_SQLITE_FAULT_LOG", log);
  fest_test_server_start (fixture->server);
  fest_test_server_setup_festival (fixture->server, "Sync fest", &fixture->fest);
}

/* The number of faults the preloaded library made (each a successful write). */
static guint
count_sqlite_faults (Fixture *fixture)
{
  g_autofree char *log = sqlite_fault_log (fixture);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  guint n = 0;

  if (!g_file_get_contents (log, &text, NULL, NULL))
    return 0;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (lines[i][0] == '\0')
        continue;
      g_assert_true (g_str_has_prefix (lines[i], "0 before "));
      n++;
    }
  return n;
}

static void
test_failure_after_write (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *batch = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the fault is injected by an LD_PRELOAD wrapper of sqlite3_step");
      return;
    }

  /* The second operation cancels a payment that is not the station's last: a refusal
   * (CONFLICT) that comes after the preloaded library's write. */
  batch = g_strdup_printf ("{\"device_id\":\"bar-4\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-4-op-1\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":100}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-4-op-2\","
                           " \"payload\":{\"type\":\"CANCEL\",\"wallet_id\":\"%s\","
                           "  \"reference\":\"00000000-0000-4000-8000-000000000000\"}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-4-op-3\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}}"
                           "]}",
                           wallet, wallet, wallet);
  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "bar-4-op-1", "applied");
  assert_result (reply, 1, "bar-4-op-2", "rejected");
  assert_result (reply, 2, "bar-4-op-3", "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.error.code"), ==, "CONFLICT");
  g_assert_cmpint (fest_test_json_int (reply, "data.results.2.entity.balance_after"), ==, 600);
  /* It did write: once in the batch's first run, once more in its run with savepoints. */
  g_assert_cmpuint (count_sqlite_faults (fixture), ==, 2);

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 600);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 3);

  /* The rejected one was not remembered: it is rejected again, the others are duplicates. */
  again = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (again, 0, "bar-4-op-1", "duplicate");
  assert_result (again, 1, "bar-4-op-2", "rejected");
  assert_result (again, 2, "bar-4-op-3", "duplicate");
  g_clear_pointer (&wallet_reply, json_node_unref);
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 600);
}

static JsonNode *
get_changes (Fixture    *fixture,
             const char *since,
             guint       limit)
{
  g_autofree char *path = NULL;
  JsonNode *reply = NULL;

  if (limit > 0)
    path = g_strdup_printf ("/sync/changes?since=%s&limit=%u", since, limit);
  else
    path = g_strdup_printf ("/sync/changes?since=%s", since);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  return reply;
}

static JsonNode *
get_stats (Fixture *fixture)
{
  JsonNode *reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/stats", fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  return reply;
}

static void
test_offline_overdraw (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 100);
  g_autofree char *batch = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autoptr(JsonNode) stats = NULL;
  JsonArray *alerts;
  gboolean found = FALSE;

  batch = g_strdup_printf ("{\"device_id\":\"bar-2\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-2-op-1\","
                           " \"created_at\":\"2026-07-14T21:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":250}}]}",
                           wallet);
  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "bar-2-op-1", "applied");
  g_assert_cmpint (fest_test_json_int (reply, "data.results.0.entity.balance_after"), ==, -150);

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, -150);
  g_assert_true (json_node_get_boolean (fest_test_json_get (wallet_reply, "data.overdrawn")));

  /* Flagged for the stations and the dashboard */
  changes = get_changes (fixture, "0", 0);
  alerts = json_node_get_array (fest_test_json_get (changes, "data.alerts"));
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);

      if (g_str_equal (json_object_get_string_member (alert, "type"), "WALLET_OVERDRAWN") &&
          g_strcmp0 (json_object_get_string_member (alert, "entity_id"), wallet) == 0)
        found = TRUE;
    }
  g_assert_true (found);
  stats = get_stats (fixture);
  g_assert_cmpint (fest_test_json_int (stats, "data.overdrawn_wallets"), ==, 1);
  g_assert_cmpint (fest_test_json_int (stats, "data.float"), ==, -150);
}

/* Two gates admit the same ticket while offline; whatever the upload order, the earliest scan is
 * the ENTRY and the other a DUPLICATE_ENTRY raised as an alert. */
static void
check_duplicate_entry (Fixture    *fixture,
                       const char *device_a_token,
                       const char *device_b_token,
                       gboolean    later_first)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) changes = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *early = NULL;
  g_autofree char *late = NULL;
  g_autofree char *path = NULL;
  g_autofree char *code = g_strdup_printf ("DAY-%d", later_first);
  JsonArray *alerts;
  guint n_duplicates = 0;
  guint status;

  status = fest_test_server_requestf (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token, &reply,
                                      "{\"name\":\"Day\",\"code\":\"%s\",\"valid_from\":\"2026-01-01T00:00:00Z\","
                                      "\"valid_until\":\"2099-01-01T00:00:00Z\"}", code);
  g_assert_cmpuint (status, ==, 201);
  type_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/tickets", fixture->fest.organiser_token, &reply,
                                      "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Alice\"}", type_id);
  g_assert_cmpuint (status, ==, 201);
  ticket_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  early = g_strdup_printf ("{\"device_id\":\"gate-a\",\"operations\":[{\"op\":\"ticket.scan\","
                           "\"idempotency_key\":\"a-%s\",\"payload\":{\"ticket_id\":\"%s\",\"gate\":\"Nord\","
                           "\"direction\":\"IN\",\"scanned_at\":\"2026-07-14T18:00:00Z\"}}]}",
                           code, ticket_id);
  late = g_strdup_printf ("{\"device_id\":\"gate-b\",\"operations\":[{\"op\":\"ticket.scan\","
                          "\"idempotency_key\":\"b-%s\",\"payload\":{\"ticket_id\":\"%s\",\"gate\":\"Sud\","
                          "\"direction\":\"IN\",\"scanned_at\":\"2026-07-14T18:04:30.250Z\"}}]}",
                          code, ticket_id);
  if (later_first)
    {
      reply = post_sync (fixture, device_b_token, late);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.result"), ==, "ENTRY");
      g_clear_pointer (&reply, json_node_unref);
      reply = post_sync (fixture, device_a_token, early);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.result"), ==, "ENTRY");
    }
  else
    {
      reply = post_sync (fixture, device_a_token, early);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.result"), ==, "ENTRY");
      g_clear_pointer (&reply, json_node_unref);
      reply = post_sync (fixture, device_b_token, late);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.result"), ==, "DUPLICATE_ENTRY");
    }

  /* The ticket says when and where it was first used. */
  path = g_strdup_printf ("/tickets/%s", ticket_id);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &ticket), ==, 200);
  g_assert_cmpstr (fest_test_json_string (ticket, "data.status"), ==, "USED");
  g_assert_cmpstr (fest_test_json_string (ticket, "data.used_at"), ==, "2026-07-14T18:00:00Z");
  g_assert_cmpstr (fest_test_json_string (ticket, "data.used_gate"), ==, "Nord");

  /* One alert, about the later scan at gate Sud. */
  changes = get_changes (fixture, "0", 0);
  alerts = json_node_get_array (fest_test_json_get (changes, "data.alerts"));
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);
      JsonObject *details;

      if (!g_str_equal (json_object_get_string_member (alert, "type"), "DUPLICATE_ENTRY") ||
          g_strcmp0 (json_object_get_string_member (alert, "entity_id"), ticket_id) != 0)
        continue;
      n_duplicates++;
      details = json_object_get_object_member (alert, "details");
      g_assert_cmpstr (json_object_get_string_member (details, "gate"), ==, "Sud");
      g_assert_cmpstr (json_object_get_string_member (details, "scanned_at"), ==, "2026-07-14T18:04:30.250Z");
    }
  g_assert_cmpuint (n_duplicates, ==, 1);
}

static char *
create_device (Fixture    *fixture,
               const char *name)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (fixture->server, "POST", "/devices", fixture->fest.organiser_token, &reply,
                                      "{\"name\":\"%s\",\"mode\":\"scanner\"}", name);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.token"));
}

static void
test_duplicate_entry (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *gate_a = create_device (fixture, "Porte Nord");
  g_autofree char *gate_b = create_device (fixture, "Porte Sud");
  g_autoptr(JsonNode) stats = NULL;

  check_duplicate_entry (fixture, gate_a, gate_b, FALSE);
  check_duplicate_entry (fixture, gate_a, gate_b, TRUE);

  stats = get_stats (fixture);
  g_assert_cmpint (fest_test_json_int (stats, "data.duplicate_entries"), ==, 2);
  g_assert_cmpint (fest_test_json_int (stats, "data.entries.total"), ==, 2);
  /* Both devices reported in, under their names. */
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (stats, "data.stations"))), ==, 2);
  g_assert_nonnull (fest_test_json_string (stats, "data.stations.0.name"));
}

static void
test_changes_paging (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) wallets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *cursor = g_strdup ("0");
  g_autoptr(JsonNode) empty = NULL;
  guint pages = 0;
  gboolean has_more = TRUE;

  for (guint i = 0; i < 7; i++)
    g_ptr_array_add (wallets, create_wallet (fixture, 0));

  while (has_more)
    {
      g_autoptr(JsonNode) page = get_changes (fixture, cursor, 3);
      JsonArray *array = json_node_get_array (fest_test_json_get (page, "data.wallets"));
      gint64 previous = g_ascii_strtoll (cursor, NULL, 10);
      gint64 next = g_ascii_strtoll (fest_test_json_string (page, "data.cursor"), NULL, 10);

      g_assert_cmpuint (json_array_get_length (array), <=, 3);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonObject *wallet = json_array_get_object_element (array, i);
          gint64 rev = json_object_get_int_member (wallet, "rev");

          g_assert_cmpint (rev, >, previous);
          g_assert_cmpint (rev, <=, next);
          g_assert_true (g_hash_table_add (seen, g_strdup (json_object_get_string_member (wallet, "id"))));
          g_assert_true (json_object_has_member (wallet, "code"));
          g_assert_true (json_object_has_member (wallet, "balance"));
        }
      g_assert_cmpint (next, >, previous);
      has_more = json_node_get_boolean (fest_test_json_get (page, "data.has_more"));
      g_free (cursor);
      cursor = g_strdup (fest_test_json_string (page, "data.cursor"));
      g_assert_cmpuint (++pages, <, 10);
    }
  g_assert_cmpuint (pages, >=, 3);
  g_assert_cmpuint (g_hash_table_size (seen), ==, 7);
  for (guint i = 0; i < wallets->len; i++)
    g_assert_true (g_hash_table_contains (seen, g_ptr_array_index (wallets, i)));

  /* Up to date: nothing more, the cursor stays. */
  empty = get_changes (fixture, cursor, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (empty, "data.wallets"))), ==, 0);
  g_assert_false (json_node_get_boolean (fest_test_json_get (empty, "data.has_more")));
  g_assert_cmpstr (fest_test_json_string (empty, "data.cursor"), ==, cursor);

  /* Bad cursors */
  {
    g_autoptr(JsonNode) reply = NULL;

    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/sync/changes?since=abc",
                                                fixture->fest.organiser_token, NULL, &reply), ==, 400);
    fest_test_assert_error (reply, "VALIDATION_FAILED", "since");
  }
}

static void
test_cursor_survives_restart (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *first = create_wallet (fixture, 500);
  g_autofree char *second = NULL;
  g_autofree char *cursor = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  g_autoptr(JsonNode) fresh = NULL;
  JsonArray *array;

  before = get_changes (fixture, "0", 0);
  cursor = g_strdup (fest_test_json_string (before, "data.cursor"));
  g_assert_cmpint (g_ascii_strtoll (cursor, NULL, 10), >, 0);

  fest_test_server_stop (fixture->server);
  fest_test_server_start (fixture->server);

  /* Same cursor, same answer: nothing new. */
  after = get_changes (fixture, cursor, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (after, "data.wallets"))), ==, 0);
  g_assert_cmpstr (fest_test_json_string (after, "data.cursor"), ==, cursor);

  /* A change after the restart comes after the cursor. */
  second = create_wallet (fixture, 0);
  fresh = get_changes (fixture, cursor, 0);
  array = json_node_get_array (fest_test_json_get (fresh, "data.wallets"));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (array, 0), "id"), ==, second);
  g_assert_cmpint (g_ascii_strtoll (fest_test_json_string (fresh, "data.cursor"), NULL, 10), >,
                   g_ascii_strtoll (cursor, NULL, 10));
}

static void
test_permissions_and_validation (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autofree char *artist = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) stats = NULL;
  guint status;

  artist = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token, fixture->fest.festival_id,
                                        "artist@test.festivals", "ARTIST", NULL);
  status = fest_test_server_request (fixture->server, "POST", "/sync", artist,
                                     "{\"device_id\":\"x\",\"operations\":[]}", &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/sync/changes?since=0", artist, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/sync", NULL,
                                     "{\"device_id\":\"x\",\"operations\":[]}", &reply);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                     "{\"device_id\":\"x\",\"operations\":{}}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "operations");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                     "{\"device_id\":\"x\",\"operations\":[", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* An empty batch is a contact: the station's pending count shows on the dashboard. */
  status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                     "{\"device_id\":\"kiosk-7\",\"pending\":4,\"operations\":[]}", &reply);
  g_assert_cmpuint (status, ==, 200);
  stats = get_stats (fixture);
  g_assert_cmpstr (fest_test_json_string (stats, "data.stations.0.device_id"), ==, "kiosk-7");
  g_assert_cmpint (fest_test_json_int (stats, "data.stations.0.pending"), ==, 4);
  g_assert_nonnull (fest_test_json_string (stats, "data.stations.0.last_contact"));
}

/* A batch is allowed to every station, but each op needs its own route's permission: a scanner
 * cannot sell and a cashier cannot refund through /sync any more than through the routes. */
static void
test_op_permissions (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *cashier = NULL;
  g_autofree char *scanner = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) after = NULL;

  cashier = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token, fixture->fest.festival_id,
                                         "cashier@perm.test", "CASHIER", NULL);
  scanner = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token, fixture->fest.festival_id,
                                         "scanner@perm.test", "SCANNER", NULL);

  body = g_strdup_printf ("{\"device_id\":\"gate-1\",\"operations\":["
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"gate-1-sale\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}}]}", wallet);
  reply = post_sync (fixture, scanner, body);
  assert_result (reply, 0, "gate-1-sale", "rejected");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.code"), ==, "FORBIDDEN");
  g_clear_pointer (&reply, json_node_unref);
  g_clear_pointer (&body, g_free);

  body = g_strdup_printf ("{\"device_id\":\"bar-9\",\"operations\":["
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-refund\","
                          " \"payload\":{\"type\":\"REFUND\",\"wallet_id\":\"%s\",\"amount\":100,"
                          "  \"reference\":\"00000000-0000-4000-8000-000000000000\"}},"
                          "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-sale\","
                          " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":250}}]}",
                          wallet, wallet);
  reply = post_sync (fixture, cashier, body);
  assert_result (reply, 0, "bar-9-refund", "rejected");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.code"), ==, "FORBIDDEN");
  assert_result (reply, 1, "bar-9-sale", "applied");

  after = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (after, "data.balance"), ==, 750);
}

/* POST /transactions with an Idempotency-Key; returns the status, *reply the body. */
static guint
post_transaction (Fixture    *fixture,
                  const char *key,
                  const char *body,
                  JsonNode  **reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return fest_test_server_request_full (fixture->server, "POST", "/transactions", fixture->fest.organiser_token,
                                        "application/json", bytes, headers, NULL, reply);
}

/* A station's online attempt (POST /transactions) whose answer was lost, then the same operation
 * pushed from its outbox under the same key: one charge, the sync op answered "duplicate" with the
 * original transaction. The payload's member order and its created_at do not matter. */
static void
test_online_then_sync (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *online = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}", wallet);
  g_autofree char *batch = NULL;
  g_autofree char *other = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(JsonNode) reused = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  g_assert_cmpuint (post_transaction (fixture, "station-op-1", online, &posted), ==, 201);
  batch = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"station-op-1\","
                           " \"created_at\":\"2026-07-14T20:00:00Z\","
                           " \"payload\":{\"amount\":300,\"wallet_id\":\"%s\",\"type\":\"PAYMENT\","
                           "  \"created_at\":\"2026-07-14T20:00:00Z\"}}]}", wallet);
  synced = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (synced, 0, "station-op-1", "duplicate");
  g_assert_cmpstr (fest_test_json_string (synced, "data.results.0.entity.id"), ==,
                   fest_test_json_string (posted, "data.id"));
  g_assert_cmpint (fest_test_json_int (synced, "data.results.0.entity.amount"), ==, -300);
  g_assert_cmpint (fest_test_json_int (synced, "data.duplicate"), ==, 1);
  g_assert_cmpint (fest_test_json_int (synced, "data.applied"), ==, 0);

  /* Online again with the same key: still the original. */
  g_assert_cmpuint (post_transaction (fixture, "station-op-1", online, &again), ==, 201);
  g_assert_cmpstr (fest_test_json_string (again, "data.id"), ==, fest_test_json_string (posted, "data.id"));

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 700);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);

  /* Another operation under that key is still refused, by either route. */
  other = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"station-op-1\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":301}}]}", wallet);
  reused = post_sync (fixture, fixture->fest.organiser_token, other);
  assert_result (reused, 0, "station-op-1", "rejected");
  g_assert_cmpstr (fest_test_json_string (reused, "data.results.0.error.code"), ==, "IDEMPOTENCY_KEY_REUSED");
  g_clear_pointer (&reused, json_node_unref);
  g_free (other);
  other = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":301}", wallet);
  g_assert_cmpuint (post_transaction (fixture, "station-op-1", other, &reused), ==, 409);
  fest_test_assert_error (reused, "IDEMPOTENCY_KEY_REUSED", NULL);

  g_clear_pointer (&wallet_reply, json_node_unref);
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 700);

  /* A station whose answer never came asks whether its key landed. */
  {
    g_autoptr(JsonNode) found = NULL;
    g_autoptr(JsonNode) none = NULL;
    g_autoptr(JsonNode) cashier_view = NULL;
    g_autofree char *cashier = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                            fixture->fest.festival_id, "till@sync.test", "CASHIER",
                                                            NULL);

    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/transactions?idempotency_key=station-op-1",
                                                fixture->fest.organiser_token, NULL, &found), ==, 200);
    g_assert_cmpint (fest_test_json_int (found, "meta.total"), ==, 1);
    g_assert_cmpstr (fest_test_json_string (found, "data.0.id"), ==, fest_test_json_string (posted, "data.id"));
    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/transactions?idempotency_key=never-sent",
                                                fixture->fest.organiser_token, NULL, &none), ==, 200);
    g_assert_cmpint (fest_test_json_int (none, "meta.total"), ==, 0);
    /* A cashier (a till's device role) may ask too. */
    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/transactions?idempotency_key=station-op-1",
                                                cashier, NULL, &cashier_view), ==, 200);
    g_assert_cmpint (fest_test_json_int (cashier_view, "meta.total"), ==, 1);
  }
}

/* The reverse: the outbox got there first, then the station (or a retry) posts the same operation
 * online: the original transaction comes back, 201, nothing charged twice. */
static void
test_sync_then_online (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *batch = NULL;
  g_autofree char *online = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  batch = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"station-op-2\","
                           " \"created_at\":\"2026-07-14T20:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":250}}]}", wallet);
  synced = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (synced, 0, "station-op-2", "applied");

  online = g_strdup_printf ("{\"wallet_id\":\"%s\",\"type\":\"PAYMENT\",\"amount\":250}", wallet);
  g_assert_cmpuint (post_transaction (fixture, "station-op-2", online, &posted), ==, 201);
  g_assert_cmpstr (fest_test_json_string (posted, "data.id"), ==,
                   fest_test_json_string (synced, "data.results.0.entity.id"));
  g_assert_cmpint (fest_test_json_int (posted, "data.balance_after"), ==, 750);
  g_assert_true (json_node_get_boolean (fest_test_json_get (posted, "data.offline_created")));

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 750);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);
}

/* A station tried a sale online, the server refused it for the balance, and the answer was lost:
 * the station then served it within its offline allowance, under the same key. Pushed later, that
 * sale is a fact like any offline one (the beer was served): applied, the wallet flagged
 * overdrawn, and the key answers the sale from then on. Any other refusal stays the key's
 * answer. (Found by the seeded simulation: tests/sync/test-simulation.c.) */
static void
test_online_refusal_then_sync (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 100);
  g_autofree char *online = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}", wallet);
  g_autofree char *batch = NULL;
  g_autofree char *refund = NULL;
  g_autofree char *refund_batch = NULL;
  g_autoptr(JsonNode) posted = NULL;
  g_autoptr(JsonNode) replayed = NULL;
  g_autoptr(JsonNode) synced = NULL;
  g_autoptr(JsonNode) resynced = NULL;
  g_autoptr(JsonNode) refused = NULL;
  g_autoptr(JsonNode) refused_sync = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  g_assert_cmpuint (post_transaction (fixture, "station-op-3", online, &posted), ==, 422);
  fest_test_assert_error (posted, "INSUFFICIENT_BALANCE", NULL);
  g_assert_cmpint (fest_test_json_int (posted, "error.details.required"), ==, 300);
  g_assert_cmpint (fest_test_json_int (posted, "error.details.available"), ==, 100);

  batch = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"station-op-3\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}}]}", wallet);
  synced = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (synced, 0, "station-op-3", "applied");
  g_assert_true (json_node_get_boolean (fest_test_json_get (synced, "data.results.0.entity.offline_created")));

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, -200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (wallet_reply, "data.overdrawn")));
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);

  /* Once: the same push again is a duplicate, and the online request's replay is the sale. */
  resynced = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (resynced, 0, "station-op-3", "duplicate");
  g_assert_cmpuint (post_transaction (fixture, "station-op-3", online, &replayed), ==, 201);
  g_assert_cmpstr (fest_test_json_string (replayed, "data.id"), ==,
                   fest_test_json_string (synced, "data.results.0.entity.id"));
  g_clear_pointer (&wallet_reply, json_node_unref);
  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, -200);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);

  /* Another refusal stays the key's answer: a refund an operator may not make is not made later
   * by a push. */
  refund = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":-5}", wallet);
  g_assert_cmpuint (post_transaction (fixture, "station-op-4", refund, &refused), ==, 400);
  refund_batch = g_strdup_printf ("{\"device_id\":\"bar-1\",\"operations\":["
                                  "{\"op\":\"transaction.create\",\"idempotency_key\":\"station-op-4\","
                                  " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":-5}}]}",
                                  wallet);
  refused_sync = post_sync (fixture, fixture->fest.organiser_token, refund_batch);
  assert_result (refused_sync, 0, "station-op-4", "rejected");
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);
}

/* Keys stored before ledger operations were hashed by what they do carry the hash of the whole
 * operation's text: a station replaying such an operation after the upgrade still gets its
 * original result, and the key still refuses another operation. */
static void
test_legacy_key_hash (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 500);
  g_autofree char *op = NULL;
  g_autofree char *batch = NULL;
  g_autofree char *reused = NULL;
  g_autofree char *op_text = NULL;
  g_autofree char *legacy_input = NULL;
  g_autofree char *legacy_hash = NULL;
  g_autoptr(JsonNode) op_node = NULL;
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) third = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;
  g_autofree char *sql = NULL;
  FestDb *db = NULL;

  op = g_strdup_printf ("{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-7-op-1\","
                        "\"created_at\":\"2026-07-14T20:00:00Z\","
                        "\"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":120}}", wallet);
  batch = g_strdup_printf ("{\"device_id\":\"bar-7\",\"operations\":[%s]}", op);
  first = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (first, 0, "bar-7-op-1", "applied");

  /* Store the key as the earlier version did: SHA-256 of "SYNC\n<op>\n<the op as json-glib writes it>". */
  op_node = fest_json_parse (op, -1, NULL);
  g_assert_nonnull (op_node);
  op_text = fest_json_to_string (op_node, NULL);
  legacy_input = g_strconcat ("SYNC\ntransaction.create\n", op_text, NULL);
  legacy_hash = fest_sha256_hex (legacy_input, strlen (legacy_input));
  db = fest_test_server_open_db (fixture->server, fixture->fest.festival_id, FALSE);
  /* A hex digest: nothing to quote. */
  sql = g_strdup_printf ("UPDATE idempotency SET request_hash = '%s' WHERE key = 'bar-7-op-1'", legacy_hash);
  g_assert_cmpint (fest_test_db_change (db, "%s", sql), ==, 1);
  fest_db_free (db);

  second = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (second, 0, "bar-7-op-1", "duplicate");
  g_assert_cmpstr (fest_test_json_string (second, "data.results.0.entity.id"), ==,
                   fest_test_json_string (first, "data.results.0.entity.id"));

  reused = g_strdup_printf ("{\"device_id\":\"bar-7\",\"operations\":[{\"op\":\"transaction.create\","
                            "\"idempotency_key\":\"bar-7-op-1\",\"payload\":{\"type\":\"PAYMENT\","
                            "\"wallet_id\":\"%s\",\"amount\":121}}]}", wallet);
  third = post_sync (fixture, fixture->fest.organiser_token, reused);
  assert_result (third, 0, "bar-7-op-1", "rejected");
  g_assert_cmpstr (fest_test_json_string (third, "data.results.0.error.code"), ==, "IDEMPOTENCY_KEY_REUSED");

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 380);
}

/* A sync op's station time: a clock at 1970 or 9999 is refused, op by op; the rest of the batch is
 * applied. Each ledger row keeps the server's own receive time beside the station's. */
static void
test_created_at_bounds (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *batch = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) wallet_reply = NULL;

  /* The festival starts 2026-07-10T12:00:00Z: a week before it is still fine (set-up days). */
  batch = g_strdup_printf ("{\"device_id\":\"bar-9\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-future\","
                           " \"created_at\":\"9999-12-31T23:59:59Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":100}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-epoch\","
                           " \"created_at\":\"1970-01-01T00:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":100}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-payload-time\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":100,"
                           "  \"created_at\":\"2026-07-02T00:00:00Z\"}},"
                           "{\"op\":\"incident.create\",\"idempotency_key\":\"bar-9-incident\","
                           " \"created_at\":\"9999-12-31T23:59:59Z\","
                           " \"payload\":{\"type\":\"MEDICAL\",\"location\":{\"lat\":45.7,\"lng\":4.8}}},"
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"bar-9-ok\","
                           " \"created_at\":\"2026-07-04T12:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":300}},"
                           "{\"op\":\"incident.create\",\"idempotency_key\":\"bar-9-incident-ok\","
                           " \"created_at\":\"2026-07-05T08:00:00Z\","
                           " \"payload\":{\"type\":\"MEDICAL\",\"location\":{\"lat\":45.7,\"lng\":4.8},"
                           "  \"created_at\":\"2026-07-05T08:00:00Z\"}}"
                           "]}",
                           wallet, wallet, wallet, wallet);
  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "bar-9-future", "rejected");
  assert_result (reply, 1, "bar-9-epoch", "rejected");
  assert_result (reply, 2, "bar-9-payload-time", "rejected");
  assert_result (reply, 3, "bar-9-incident", "rejected");
  assert_result (reply, 4, "bar-9-ok", "applied");
  for (guint i = 0; i < 4; i++)
    {
      g_autofree char *code = g_strdup_printf ("data.results.%u.error.code", i);
      g_autofree char *field = g_strdup_printf ("data.results.%u.error.details.field", i);

      g_assert_cmpstr (fest_test_json_string (reply, code), ==, "VALIDATION_FAILED");
      g_assert_cmpstr (fest_test_json_string (reply, field), ==, "created_at");
    }

  /* The station's time is kept as created_at, the server's own as received_at. */
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.4.entity.created_at"), ==, "2026-07-04T12:00:00Z");
  {
    g_autoptr(GDateTime) received = fest_time_parse (fest_test_json_string (reply,
                                                                            "data.results.4.entity.received_at"));
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_nonnull (received);
    g_assert_cmpint (ABS (g_date_time_difference (now, received)), <, 60 * G_TIME_SPAN_SECOND);
  }
  /* An incident reported offline too. */
  assert_result (reply, 5, "bar-9-incident-ok", "applied");
  {
    g_autoptr(GDateTime) received = fest_time_parse (fest_test_json_string (reply,
                                                                            "data.results.5.entity.received_at"));
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    g_assert_nonnull (received);
    g_assert_cmpint (ABS (g_date_time_difference (now, received)), <, 60 * G_TIME_SPAN_SECOND);
  }

  wallet_reply = get_wallet (fixture, wallet);
  g_assert_cmpint (fest_test_json_int (wallet_reply, "data.balance"), ==, 700);
  g_assert_cmpint (count_wallet_transactions (fixture, wallet), ==, 2);
}

/* A batch is bounded before any work: 2,000 operations, 4 MiB. */
static void
test_batch_bounds (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) batch = g_string_new ("{\"device_id\":\"bar-10\",\"operations\":[");
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GBytes) bytes = NULL;
  guint status;

  for (guint i = 0; i < 2001; i++)
    g_string_append_printf (batch, "%s{\"op\":\"incident.create\",\"idempotency_key\":\"bar-10-%u\",\"payload\":{}}",
                            i > 0 ? "," : "", i);
  g_string_append (batch, "]}");
  status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token, batch->str,
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "operations");
  g_clear_pointer (&reply, json_node_unref);

  /* 4 MiB and one byte, of a description that would be valid. */
  g_string_assign (batch, "{\"device_id\":\"bar-10\",\"operations\":[],\"padding\":\"");
  while (batch->len < 4 * 1024 * 1024 - 1)
    g_string_append_c (batch, 'x');
  g_string_append (batch, "\"}");
  bytes = g_bytes_new (batch->str, batch->len);
  status = fest_test_server_request_full (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                          "application/json", bytes, NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 413);
  fest_test_assert_error (reply, "PAYLOAD_TOO_LARGE", NULL);
}

/* A stand's device sells at its own stand: a payment with lines and no stand_id takes the
 * device's, as POST /transactions does. */
static void
test_stand_default (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (fixture, 1000);
  g_autofree char *stand = NULL;
  g_autofree char *product = NULL;
  g_autofree char *device_token = NULL;
  g_autofree char *batch = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/stands", fixture->fest.organiser_token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  stand = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/products", fixture->fest.organiser_token, &reply,
                                      "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":250,\"vat_rate\":20}",
                                      stand);
  g_assert_cmpuint (status, ==, 201);
  product = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/devices", fixture->fest.organiser_token, &reply,
                                      "{\"name\":\"Bar till\",\"stand_id\":\"%s\",\"mode\":\"cashier\"}", stand);
  g_assert_cmpuint (status, ==, 201);
  device_token = g_strdup (fest_test_json_string (reply, "data.token"));
  g_clear_pointer (&reply, json_node_unref);

  batch = g_strdup_printf ("{\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"till-op-1\","
                           " \"created_at\":\"2026-07-14T20:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\","
                           "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":2}]}}"
                           "]}",
                           wallet, product);
  reply = post_sync (fixture, device_token, batch);
  assert_result (reply, 0, "till-op-1", "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.stand_id"), ==, stand);
  g_assert_cmpint (fest_test_json_int (reply, "data.results.0.entity.amount"), ==, -500);
  g_clear_pointer (&reply, json_node_unref);

  /* Without a stand of its own, the organiser's batch still needs one. */
  g_free (batch);
  batch = g_strdup_printf ("{\"device_id\":\"office\",\"operations\":["
                           "{\"op\":\"transaction.create\",\"idempotency_key\":\"office-op-1\","
                           " \"created_at\":\"2026-07-14T20:00:00Z\","
                           " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\","
                           "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":2}]}}"
                           "]}",
                           wallet, product);
  reply = post_sync (fixture, fixture->fest.organiser_token, batch);
  assert_result (reply, 0, "office-op-1", "rejected");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.details.field"), ==, "stand_id");
  g_clear_pointer (&reply, json_node_unref);

  /* Online, the same: the till's sale without a stand is its stand's. */
  {
    g_autofree char *body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\","
                                             "\"lines\":[{\"product_id\":\"%s\",\"quantity\":1}]}",
                                             wallet, product);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    const char *headers[] = { "Idempotency-Key", "till-op-2", NULL };

    status = fest_test_server_request_full (fixture->server, "POST", "/transactions", device_token,
                                            "application/json", bytes, headers, NULL, &reply);
    g_assert_cmpuint (status, ==, 201);
    g_assert_cmpstr (fest_test_json_string (reply, "data.stand_id"), ==, stand);
    g_assert_cmpint (fest_test_json_int (reply, "data.amount"), ==, -250);
  }
}

/* A batch is split into its operations without building the whole tree: what is not JSON is still
 * refused whole, and strings holding brackets, quotes and escapes survive the split. */
static void
test_batch_split (Fixture       *fixture,
                  gconstpointer  data)
{
  static const char *malformed[] = {
    "{\"device_id\":\"x\",\"operations\":[{\"op\":}]}",
    "{\"device_id\":\"x\",\"operations\":[{},]}",
    "{\"device_id\":\"x\",\"operations\":[{}{}]}",
    "{\"device_id\":\"x\",\"operations\":[{}]",
    "{\"device_id\":\"x\",\"operations\":[{}]} trailing",
    "{\"device_id\":\"x\" \"operations\":[]}",
    "{\"device_id\":\"x\",\"operations\":[{\"op\":\"incident.create\",\"payload\":{\"x\":\"]}\"}],}",
    "{\"device_id\":\"x\",\"operations\":[nul]}",
    "{\"device_id\":\"x\",\"operations\":[\"\\u00\"]}",
  };
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                         malformed[i], &reply);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
      g_clear_pointer (&reply, json_node_unref);
    }
  status = fest_test_server_request (fixture->server, "POST", "/sync", fixture->fest.organiser_token,
                                     "[{\"device_id\":\"x\",\"operations\":[]}]", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "body");
  g_clear_pointer (&reply, json_node_unref);

  reply = post_sync (fixture, fixture->fest.organiser_token,
                     " {\n \"operations\" : [ \"not an op\" ,\n"
                     "  {\"op\":\"incident.create\",\"idempotency_key\":\"split-1\",\"payload\":{\"type\":\"OTHER\","
                     "   \"location\":{\"lat\":45.7,\"lng\":4.8},\"description\":\"]},{[\\\"\\\\ \\u00e9t\\u00e9 [\"}} ,"
                     "  {\"op\":\"incident.create\",\"idempotency_key\":\"split-2\",\"payload\":{\"type\":\"FIRE\","
                     "   \"location\":{\"lat\":-45.7e0,\"lng\":4.8},\"description\":null}}\n ] ,"
                     " \"device_id\" : \"bar-11\", \"pending\": 0 }\n");
  g_assert_cmpstr (fest_test_json_string (reply, "data.device_id"), ==, "bar-11");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "rejected");
  assert_result (reply, 1, "split-1", "applied");
  assert_result (reply, 2, "split-2", "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.entity.description"), ==,
                   "]},{[\"\\ \xc3\xa9t\xc3\xa9 [");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.2.entity.type"), ==, "FIRE");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/sync/bad-op-in-the-middle", test_bad_op_in_the_middle);
  ADD ("/fest/sync/replay", test_replay);
  ADD ("/fest/sync/legacy-key-hash", test_legacy_key_hash);
  ADD ("/fest/sync/rejected-op-leaves-nothing", test_rejected_op_leaves_nothing);
  g_test_add ("/fest/sync/failure-after-write", Fixture, NULL, fail_after_write_setup, test_failure_after_write,
              fixture_teardown);
  ADD ("/fest/sync/offline-overdraw", test_offline_overdraw);
  ADD ("/fest/sync/duplicate-entry", test_duplicate_entry);
  ADD ("/fest/sync/changes-paging", test_changes_paging);
  ADD ("/fest/sync/cursor-survives-restart", test_cursor_survives_restart);
  ADD ("/fest/sync/permissions-and-validation", test_permissions_and_validation);
  ADD ("/fest/sync/op-permissions", test_op_permissions);
  ADD ("/fest/sync/online-then-sync", test_online_then_sync);
  ADD ("/fest/sync/sync-then-online", test_sync_then_online);
  ADD ("/fest/sync/online-refusal-then-sync", test_online_refusal_then_sync);
  ADD ("/fest/sync/created-at-bounds", test_created_at_bounds);
  ADD ("/fest/sync/batch-bounds", test_batch_bounds);
  ADD ("/fest/sync/stand-default", test_stand_default);
  ADD ("/fest/sync/batch-split", test_batch_split);
#undef ADD

  return g_test_run ();
}
