/* test-sync-incidents.c: a security station resolves its guard's incident offline, against the real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The guard's incidents come from GET /incidents?assigned_to=me into the station store; resolved
 * while the server is gone, the resolution waits in the outbox as an incident.update op and is
 * pushed by the sync engine (with the guard's token: the server lets only the assignee resolve)
 * once the server is back: RESOLVED with the notes exactly once, one audit row, and a replayed
 * push answers "duplicate". The gates the scanner picks from are cached the same way.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

#define GUARD_EMAIL    "guard@test.festivals"
#define GUARD_PASSWORD "correct horse battery staple"
#define NOTES          "Calmed down; both escorted out by gate B.\nNo injury."

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

static const char *
member_string (JsonNode   *node,
               const char *name)
{
  g_assert_true (node != NULL && JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member_with_default (json_node_get_object (node), name, NULL);
}

typedef struct
{
  FestSyncServer   *server;
  char             *guard_id;
  char             *guard_token;
  char             *device_id;
  char             *device_token;
  FestStationStore *store;
  FestSyncEngine   *engine;
} Fixture;

/* An incident reported by the organiser and assigned to the guard; returns its id. */
static char *
new_assigned_incident (Fixture    *fixture,
                       const char *type,
                       const char *description)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = g_strdup_printf ("{\"type\":\"%s\",\"location\":{\"lat\":45.75,\"lng\":4.85},"
                                           "\"description\":\"%s\"}", type, description);
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *assign = NULL;

  g_assert_cmpuint (fest_sync_server_request (fixture->server, "POST", "/incidents", fixture->server->admin_token,
                                              body, NULL, &node), ==, 201);
  id = g_strdup (member_string (node, "id"));
  g_clear_pointer (&node, json_node_unref);
  path = g_strdup_printf ("/incidents/%s", id);
  assign = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->guard_id);
  g_assert_cmpuint (fest_sync_server_request (fixture->server, "PATCH", path, fixture->server->admin_token, assign,
                                              NULL, &node), ==, 200);
  g_assert_cmpstr (member_string (node, "status"), ==, "ASSIGNED");
  return g_steal_pointer (&id);
}

static void
fixture_open (Fixture *fixture)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;

  fixture->server = fest_sync_server_new ();
  fest_sync_server_setup_festival (fixture->server);

  /* The guard: a SECURITY member with an account of their own, signed in to the festival. */
  g_assert_cmpuint (fest_sync_server_request (fixture->server, "POST", "/members", fixture->server->admin_token,
                                              "{\"email\":\"" GUARD_EMAIL "\",\"name\":\"Gaby Guard\","
                                              "\"password\":\"" GUARD_PASSWORD "\",\"roles\":[\"SECURITY\"]}",
                                              NULL, &node), ==, 201);
  fixture->guard_id = g_strdup (member_string (node, "id"));
  g_clear_pointer (&node, json_node_unref);
  body = g_strdup_printf ("{\"email\":\"" GUARD_EMAIL "\",\"password\":\"" GUARD_PASSWORD "\","
                          "\"festival_id\":\"%s\"}", fixture->server->festival_id);
  g_assert_cmpuint (fest_sync_server_request (fixture->server, "POST", "/auth/login", NULL, body, NULL, &node), ==,
                    200);
  fixture->guard_token = g_strdup (member_string (node, "token"));

  /* The security station. */
  fixture->device_token = fest_sync_server_new_device (fixture->server, "security", fixture->server->stand_id,
                                                       &fixture->device_id);
  path = g_build_filename (g_get_user_data_dir (), "festivals", "security.db", NULL);
  fixture->store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (fixture->store, fixture->server->url, fixture->device_id, "security",
                             fixture->server->festival_id, fixture->server->stand_id, "security", &error);
  g_assert_no_error (error);
  fixture->engine = fest_sync_engine_new (fixture->store, fixture->server->url, fixture->device_token);
  g_assert_true (run_sync (fixture->engine, &error));
  g_assert_no_error (error);
}

static void
fixture_close (Fixture *fixture)
{
  g_clear_object (&fixture->engine);
  g_clear_object (&fixture->store);
  g_assert_true (fest_sync_server_stop (fixture->server));
  g_assert_true (fest_sync_server_check (fixture->server));
  fest_sync_server_free (fixture->server);
  g_free (fixture->guard_id);
  g_free (fixture->guard_token);
  g_free (fixture->device_id);
  g_free (fixture->device_token);
}

/* What the station does online: GET /incidents?assigned_to=me&status=ASSIGNED into the store. */
static void
pull_assigned (Fixture *fixture)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (fest_sync_server_request (fixture->server, "GET", "/incidents?assigned_to=me&status=ASSIGNED",
                                              fixture->guard_token, NULL, NULL, &node), ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_true (fest_station_store_replace_assigned_incidents (fixture->store, fixture->guard_id,
                                                                json_node_get_array (node), &error));
  g_assert_no_error (error);
}

/* The incident.update audit rows of @incident_id. */
static guint
count_update_audits (Fixture    *fixture,
                     const char *incident_id)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = g_strdup_printf ("/audit?entity_type=incident&entity_id=%s&action=incident.update"
                                           "&per_page=500", incident_id);

  g_assert_cmpuint (fest_sync_server_request (fixture->server, "GET", path, fixture->server->admin_token, NULL, NULL,
                                              &node), ==, 200);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  return json_array_get_length (json_node_get_array (node));
}

static FestStationIncident *
find_cached (GPtrArray  *incidents,
             const char *id)
{
  for (guint i = 0; i < incidents->len; i++)
    if (g_str_equal (((FestStationIncident *) g_ptr_array_index (incidents, i))->id, id))
      return g_ptr_array_index (incidents, i);
  return NULL;
}

static void
test_resolve_offline (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) cached = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(FestOutboxOp) again = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *older = NULL;
  g_autofree char *incident = NULL;
  g_autofree char *other = NULL;
  g_autofree char *path = NULL;
  g_autofree char *replay = NULL;
  g_autofree char *escaped_notes = NULL;
  FestStationIncident *item;
  guint audits_before;
  JsonObject *result;

  fixture_open (&fixture);
  older = new_assigned_incident (&fixture, "THEFT", "Bag taken near the bar");
  g_usleep (20000);
  incident = new_assigned_incident (&fixture, "FIGHT", "Two people fighting at the main stage");
  /* Not the guard's: it must not show on their station. */
  {
    g_autoptr(JsonNode) created = NULL;

    g_assert_cmpuint (fest_sync_server_request (fixture.server, "POST", "/incidents", fixture.server->admin_token,
                                                "{\"type\":\"OTHER\",\"location\":{\"lat\":45.7,\"lng\":4.8},"
                                                "\"description\":\"Nobody's\"}", NULL, &created), ==, 201);
    other = g_strdup (member_string (created, "id"));
  }

  /* Online: the guard's two incidents, newest first, with their positions. */
  pull_assigned (&fixture);
  cached = fest_station_store_list_assigned_incidents (fixture.store, fixture.guard_id);
  g_assert_cmpuint (cached->len, ==, 2);
  item = g_ptr_array_index (cached, 0);
  g_assert_cmpstr (item->id, ==, incident);
  g_assert_cmpstr (item->type, ==, "FIGHT");
  g_assert_cmpstr (item->status, ==, "ASSIGNED");
  g_assert_true (item->has_position);
  g_assert_cmpfloat_with_epsilon (item->lat, 45.75, 1e-9);
  g_assert_cmpint (item->resolution_state, ==, -1);
  g_assert_cmpstr (((FestStationIncident *) g_ptr_array_index (cached, 1))->id, ==, older);
  g_assert_null (find_cached (cached, other));
  g_clear_pointer (&cached, g_ptr_array_unref);
  audits_before = count_update_audits (&fixture, incident);

  /* The server goes away; the guard resolves the fight with notes. */
  g_assert_true (fest_sync_server_stop (fixture.server));
  op = fest_station_store_record_incident_update (fixture.store, incident, NOTES, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (op->op, ==, "incident.update");
  g_assert_cmpint (op->state, ==, FEST_OUTBOX_PENDING);
  /* Once only. */
  again = fest_station_store_record_incident_update (fixture.store, incident, "twice", &error);
  g_assert_null (again);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_clear_error (&error);

  cached = fest_station_store_list_assigned_incidents (fixture.store, fixture.guard_id);
  item = find_cached (cached, incident);
  g_assert_nonnull (item);
  if (item == NULL)
    return;
  g_assert_cmpint (item->resolution_state, ==, FEST_OUTBOX_PENDING);
  g_assert_cmpstr (item->resolution_notes, ==, NOTES);
  g_clear_pointer (&cached, g_ptr_array_unref);

  fest_sync_engine_set_operator_token (fixture.engine, fixture.guard_token);
  g_assert_false (run_sync (fixture.engine, &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpuint (fest_station_store_count_pending (fixture.store), ==, 1);

  /* Back: without the guard's token the op is not the device's to push, and waits. */
  fest_sync_server_start_same_port (fixture.server);
  fest_sync_engine_set_operator_token (fixture.engine, NULL);
  g_assert_true (run_sync (fixture.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (fixture.store), ==, 1);

  /* With it, the sync pushes it: the server has the incident RESOLVED with the notes. */
  fest_sync_engine_set_operator_token (fixture.engine, fixture.guard_token);
  g_assert_true (run_sync (fixture.engine, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (fest_station_store_count_pending (fixture.store), ==, 0);
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (fixture.store);
    FestOutboxOp *last = g_ptr_array_index (ops, ops->len - 1);

    g_assert_cmpstr (last->idempotency_key, ==, op->idempotency_key);
    g_assert_cmpint (last->state, ==, FEST_OUTBOX_ACKED);
  }
  path = g_strdup_printf ("/incidents/%s", incident);
  g_assert_cmpuint (fest_sync_server_request (fixture.server, "GET", path, fixture.server->admin_token, NULL, NULL,
                                              &node), ==, 200);
  g_assert_cmpstr (member_string (node, "status"), ==, "RESOLVED");
  g_assert_cmpstr (member_string (node, "resolution_notes"), ==, NOTES);
  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (count_update_audits (&fixture, incident), ==, audits_before + 1);

  /* The same op pushed again (a lost answer): "duplicate", nothing written twice. */
  {
    g_autoptr(JsonNode) notes_node = json_node_init_string (json_node_alloc (), NOTES);

    escaped_notes = fest_json_to_string (notes_node, NULL);
  }
  replay = g_strdup_printf ("{\"device_id\":\"%s\",\"operations\":[{\"op\":\"incident.update\","
                            "\"idempotency_key\":\"%s\",\"created_at\":\"%s\",\"payload\":{\"incident_id\":\"%s\","
                            "\"status\":\"RESOLVED\",\"resolution_notes\":%s}}]}",
                            fixture.device_id, op->idempotency_key, op->created_at, incident, escaped_notes);
  g_assert_cmpuint (fest_sync_server_request (fixture.server, "POST", "/sync", fixture.guard_token, replay, NULL,
                                              &node), ==, 200);
  result = json_array_get_object_element (JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                          : json_object_get_array_member (json_node_get_object (node), "results"), 0);
  g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "duplicate");
  g_assert_cmpuint (count_update_audits (&fixture, incident), ==, audits_before + 1);

  /* The next pull drops it from the guard's list; the other one stays. */
  pull_assigned (&fixture);
  cached = fest_station_store_list_assigned_incidents (fixture.store, fixture.guard_id);
  g_assert_cmpuint (cached->len, ==, 1);
  g_assert_cmpstr (((FestStationIncident *) g_ptr_array_index (cached, 0))->id, ==, older);
  g_clear_pointer (&cached, g_ptr_array_unref);

  fixture_close (&fixture);
}

/* The gates the scanner picks from: GET /gates into the store, in the server's order. */
static void
test_gates_cached (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) gates = NULL;

  fixture_open (&fixture);
  g_assert_cmpuint (fest_sync_server_request (fixture.server, "POST", "/gates", fixture.server->admin_token,
                                              "{\"name\":\"North gate\",\"location\":{\"lat\":45.76,\"lng\":4.84,"
                                              "\"zone\":\"North\"}}", NULL, NULL), ==, 201);
  g_assert_cmpuint (fest_sync_server_request (fixture.server, "POST", "/gates", fixture.server->admin_token,
                                              "{\"name\":\"South gate\",\"location\":null}", NULL, NULL), ==, 201);
  /* The scanner station's own token reads them. */
  g_assert_cmpuint (fest_sync_server_request (fixture.server, "GET", "/gates", fixture.device_token, NULL, NULL,
                                              &node), ==, 200);
  g_assert_true (fest_station_store_replace_gates (fixture.store, json_node_get_array (node), &error));
  g_assert_no_error (error);
  gates = fest_station_store_list_gates (fixture.store);
  g_assert_cmpuint (gates->len, ==, 2);
  for (guint i = 0; i < gates->len; i++)
    {
      FestStationGate *gate = g_ptr_array_index (gates, i);

      if (g_str_equal (gate->name, "North gate"))
        {
          g_assert_true (gate->has_position);
          g_assert_cmpstr (gate->zone, ==, "North");
        }
      else
        {
          g_assert_cmpstr (gate->name, ==, "South gate");
          g_assert_false (gate->has_position);
        }
    }
  fixture_close (&fixture);
}

/* The cache's rules, headless: a pull keeps an incident whose resolution is still queued (the
 * server does not know of it yet) and drops the others it no longer lists; the queued op is the
 * guard's to push, not the device's. */
static void
test_cache_rules (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", "cache-rules.db", NULL);
  g_autoptr(FestStationStore) store = fest_station_store_open (path, &error);
  g_autoptr(JsonNode) two = NULL;
  g_autoptr(JsonNode) none = fest_json_parse ("[]", -1, NULL);
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autofree char *results_text = NULL;
  const char *guard = "0190d7a8-0000-7000-8000-000000000001";

  g_assert_no_error (error);
  fest_station_store_enroll (store, "http://127.0.0.1:9", "0190d7a8-0000-7000-8000-0000000000d1", "security",
                             "0190d7a8-0000-7000-8000-0000000000f1", NULL, "security", &error);
  g_assert_no_error (error);
  two = fest_json_parse ("[{\"id\":\"a\",\"type\":\"FIGHT\",\"status\":\"ASSIGNED\","
                         "\"created_at\":\"2026-07-01T20:00:00Z\",\"location\":{\"lat\":45.7,\"lng\":4.8}},"
                         "{\"id\":\"b\",\"type\":\"THEFT\",\"status\":\"ASSIGNED\","
                         "\"created_at\":\"2026-07-01T21:00:00Z\",\"lat\":null,\"lng\":null}]", -1, &error);
  g_assert_no_error (error);
  g_assert_true (fest_station_store_replace_assigned_incidents (store, guard, json_node_get_array (two), &error));
  list = fest_station_store_list_assigned_incidents (store, guard);
  g_assert_cmpuint (list->len, ==, 2);
  /* Newest first; "b" has no position. */
  g_assert_cmpstr (((FestStationIncident *) g_ptr_array_index (list, 0))->id, ==, "b");
  g_assert_false (((FestStationIncident *) g_ptr_array_index (list, 0))->has_position);
  g_assert_true (((FestStationIncident *) g_ptr_array_index (list, 1))->has_position);
  g_clear_pointer (&list, g_ptr_array_unref);
  /* Another guard sees nothing of them. */
  list = fest_station_store_list_assigned_incidents (store, "0190d7a8-0000-7000-8000-000000000002");
  g_assert_cmpuint (list->len, ==, 0);
  g_clear_pointer (&list, g_ptr_array_unref);

  op = fest_station_store_record_incident_update (store, "a", "done", &error);
  g_assert_no_error (error);
  g_assert_null (fest_station_store_record_incident_update (store, "zzz", "done", &error));
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The guard's, not the device's. */
  pending = fest_station_store_list_pending_for (store, 100, FALSE);
  g_assert_cmpuint (pending->len, ==, 0);
  g_clear_pointer (&pending, g_ptr_array_unref);
  pending = fest_station_store_list_pending_for (store, 100, TRUE);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (pending, 0))->op, ==, "incident.update");

  /* A pull that lists neither: "a" stays (queued), "b" goes. */
  g_assert_true (fest_station_store_replace_assigned_incidents (store, guard, json_node_get_array (none), &error));
  list = fest_station_store_list_assigned_incidents (store, guard);
  g_assert_cmpuint (list->len, ==, 1);
  g_assert_cmpstr (((FestStationIncident *) g_ptr_array_index (list, 0))->id, ==, "a");
  g_assert_cmpint (((FestStationIncident *) g_ptr_array_index (list, 0))->resolution_state, ==, FEST_OUTBOX_PENDING);
  g_clear_pointer (&list, g_ptr_array_unref);

  /* Acknowledged: the next pull drops it too. */
  results_text = g_strdup_printf ("[{\"idempotency_key\":\"%s\",\"status\":\"applied\"}]", op->idempotency_key);
  results = fest_json_parse (results_text, -1, NULL);
  g_assert_true (fest_station_store_apply_results (store, json_node_get_array (results), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (fest_station_store_replace_assigned_incidents (store, guard, json_node_get_array (none), &error));
  list = fest_station_store_list_assigned_incidents (store, guard);
  g_assert_cmpuint (list->len, ==, 0);
}

int
main (int argc, char *argv[])
{
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

  if (g_getenv ("FESTIVALS_SERVER") == NULL)
    {
      g_printerr ("FESTIVALS_SERVER must name the festivals-server binary\n");
      return 1;
    }

  g_test_add_func ("/fest/sync/incidents/cache-rules", test_cache_rules);
  g_test_add_func ("/fest/sync/incidents/resolve-offline", test_resolve_offline);
  g_test_add_func ("/fest/sync/incidents/gates-cached", test_gates_cached);
  return g_test_run ();
}
