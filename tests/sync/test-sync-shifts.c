/* test-sync-shifts.c: a station's cash shift opened and closed offline, against the real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The server goes away; the station opens a shift with its float, takes cash, card and staff
 * (COMP) recharges and closes with its count. Back online, one sync push: shift.open first (the
 * server's shift id comes back as its entity), then shift.close with that id. The server has one
 * shift, CLOSED, whose expected cash is what the station estimated (float + cash recharges only)
 * and whose difference is counted − expected; replaying both ops answers "duplicate".
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

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

static JsonObject *
first_result (JsonNode *node)
{
  JsonArray *results = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                       : json_object_get_array_member (json_node_get_object (node), "results");

  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_array_get_object_element (results, 0);
}

static void
record (FestStationStore *store,
        const char       *code,
        gint64            amount,
        const char       *method)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestOutboxOp) op = NULL;

  g_usleep (5000);
  op = fest_station_store_record_recharge (store, code, amount, method, &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
}

static void
test_shift_offline (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(FestSyncEngine) engine = NULL;
  g_autoptr(FestOutboxOp) open = NULL;
  g_autoptr(FestOutboxOp) close = NULL;
  g_autoptr(FestOutboxOp) again = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *token = NULL;
  g_autofree char *code = NULL;
  g_autofree char *wallet = NULL;
  g_autofree char *path = NULL;
  g_autofree char *shift_id = NULL;
  g_autofree char *list_path = NULL;
  g_autofree char *replay = NULL;
  FestSyncServer *server = fest_sync_server_new ();
  JsonObject *shift;
  JsonArray *shifts;
  gint64 estimate = 0;

  fest_sync_server_setup_festival (server);
  wallet = fest_sync_server_new_wallet (server, 0, &code);
  token = fest_sync_server_new_device (server, "cashier", server->stand_id, &device_id);
  path = g_build_filename (g_get_user_data_dir (), "festivals", "shift.db", NULL);
  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, server->url, device_id, "till", server->festival_id, server->stand_id,
                             "cashier", &error);
  g_assert_no_error (error);
  engine = fest_sync_engine_new (store, server->url, token);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_false (fest_station_store_has_cash_shift (store));

  /* Offline: open with a 50.00 float, take cash, card and staff credit, count, close. */
  g_assert_true (fest_sync_server_stop (server));
  open = fest_station_store_open_cash_shift (store, 5000, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (open->op, ==, "shift.open");
  g_assert_true (fest_station_store_has_cash_shift (store));
  g_assert_null (fest_station_store_get_cash_shift_id (store));
  record (store, code, 2000, "CASH");
  record (store, code, 1500, "CARD");
  record (store, code, 700, "CASH");
  record (store, code, 300, "COMP");
  summary = fest_station_store_get_shift_summary (store);
  g_assert_true (summary->has_cash_shift);
  g_assert_cmpint (summary->opening_float, ==, 5000);
  g_assert_cmpint (summary->recharges_cash, ==, 2700);
  g_assert_cmpint (summary->recharges_card, ==, 1500);
  g_assert_cmpint (summary->recharges_comp, ==, 300);
  g_usleep (5000);
  close = fest_station_store_close_cash_shift (store, 7650, "one coin short?", &estimate, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (close->op, ==, "shift.close");
  g_assert_cmpint (estimate, ==, 5000 + 2000 + 700);
  g_assert_false (fest_station_store_has_cash_shift (store));
  /* Closed twice: no. */
  again = fest_station_store_close_cash_shift (store, 1, NULL, NULL, &error);
  g_assert_null (again);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (run_sync (engine, &error));
  g_clear_error (&error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 6);

  /* Back: everything goes, in order, once. */
  fest_sync_server_start_same_port (server);
  g_assert_true (run_sync (engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 0);
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    for (guint i = 0; i < ops->len; i++)
      {
        FestOutboxOp *op = g_ptr_array_index (ops, i);

        g_assert_cmpint (op->state, ==, FEST_OUTBOX_ACKED);
        if (g_strcmp0 (op->idempotency_key, open->idempotency_key) == 0)
          {
            g_autoptr(JsonNode) entity = fest_json_parse (op->entity, -1, NULL);

            shift_id = g_strdup (json_object_get_string_member (json_node_get_object (entity), "id"));
          }
        else if (g_strcmp0 (op->idempotency_key, close->idempotency_key) == 0)
          {
            g_autoptr(JsonNode) entity = fest_json_parse (op->entity, -1, NULL);
            JsonObject *object = json_node_get_object (entity);

            g_assert_cmpint (json_object_get_int_member (object, "expected_cash"), ==, estimate);
            g_assert_cmpint (json_object_get_int_member (object, "counted_cash"), ==, 7650);
            g_assert_cmpint (json_object_get_int_member (object, "difference"), ==, 7650 - estimate);
          }
      }
  }
  g_assert_nonnull (shift_id);

  /* The server has that one shift, closed, with the station's figures. */
  list_path = g_strdup_printf ("/shifts?stand_id=%s", server->stand_id);
  g_assert_cmpuint (fest_sync_server_request (server, "GET", list_path, server->admin_token, NULL, NULL, &node), ==,
                    200);
  shifts = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
           : json_object_get_array_member (json_node_get_object (node), "items");
  g_assert_cmpuint (json_array_get_length (shifts), ==, 1);
  shift = json_array_get_object_element (shifts, 0);
  g_assert_cmpstr (json_object_get_string_member (shift, "id"), ==, shift_id);
  g_assert_cmpstr (json_object_get_string_member (shift, "status"), ==, "CLOSED");
  g_assert_cmpstr (json_object_get_string_member (shift, "device_id"), ==, device_id);
  g_assert_cmpint (json_object_get_int_member (shift, "opening_float"), ==, 5000);
  g_assert_cmpint (json_object_get_int_member (shift, "cash_recharges"), ==, 2700);
  g_assert_cmpint (json_object_get_int_member (shift, "expected_cash"), ==, estimate);
  g_assert_cmpint (json_object_get_int_member (shift, "difference"), ==, -50);
  g_assert_cmpstr (json_object_get_string_member (shift, "note"), ==, "one coin short?");
  g_clear_pointer (&node, json_node_unref);

  /* A lost answer: both ops pushed again are duplicates, and the shift is still the one. */
  replay = g_strdup_printf ("{\"device_id\":\"%s\",\"operations\":[{\"op\":\"shift.open\",\"idempotency_key\":\"%s\","
                            "\"created_at\":\"%s\",\"payload\":%s}]}", device_id, open->idempotency_key,
                            open->created_at, open->payload);
  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/sync", token, replay, NULL, &node), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (node), "status"), ==, "duplicate");
  g_clear_pointer (&node, json_node_unref);
  g_clear_pointer (&replay, g_free);
  replay = g_strdup_printf ("{\"device_id\":\"%s\",\"operations\":[{\"op\":\"shift.close\",\"idempotency_key\":\"%s\","
                            "\"created_at\":\"%s\",\"payload\":{\"counted_cash\":7650,\"note\":\"one coin short?\",\"shift_id\":\"%s\"}}]}",
                            device_id, close->idempotency_key, close->created_at, shift_id);
  g_assert_cmpuint (fest_sync_server_request (server, "POST", "/sync", token, replay, NULL, &node), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (first_result (node), "status"), ==, "duplicate");
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (fest_sync_server_request (server, "GET", list_path, server->admin_token, NULL, NULL, &node), ==,
                    200);
  shifts = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
           : json_object_get_array_member (json_node_get_object (node), "items");
  g_assert_cmpuint (json_array_get_length (shifts), ==, 1);

  g_clear_object (&engine);
  g_clear_object (&store);
  g_assert_true (fest_sync_server_stop (server));
  g_assert_true (fest_sync_server_check (server));
  fest_sync_server_free (server);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  g_test_add_func ("/sync/shift/offline", test_shift_offline);
  return g_test_run ();
}
