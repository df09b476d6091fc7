/* test-incidents.c: incidents: report, list, assign to security, resolve, abuse, permissions
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), SQLite-only behaviour is skipped:
 * - /fest/incidents/migrate-from-v8 (it rewrites the festival file as SQLite schema version 8).
 */

#include "config.h"

#include <sqlite3.h>

#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *security_id;
  char            *security_token;
  char            *cashier_id;
  char            *cashier_token;
  char            *lead_id;
  char            *lead_token;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Incidents fest", &fixture->fest);
  fixture->security_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                         fixture->fest.festival_id, "security@test.festivals",
                                                         "SECURITY", &fixture->security_id);
  fixture->cashier_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                        fixture->fest.festival_id, "cashier@test.festivals",
                                                        "CASHIER", &fixture->cashier_id);
  /* A security lead: SECURITY and SECURITY_LEAD. */
  fixture->lead_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                     fixture->fest.festival_id, "lead@test.festivals",
                                                     "SECURITY\",\"SECURITY_LEAD", &fixture->lead_id);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->security_id);
  g_free (fixture->security_token);
  g_free (fixture->cashier_id);
  g_free (fixture->cashier_token);
  g_free (fixture->lead_id);
  g_free (fixture->lead_token);
  fest_test_festival_clear (&fixture->fest);
  fest_test_server_free (fixture->server);
}

static char *
report (Fixture    *fixture,
        const char *token,
        const char *type,
        const char *description)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (fixture->server, "POST", "/incidents", token, &reply,
                                      "{\"type\":\"%s\",\"location\":{\"lat\":45.7612,\"lng\":4.8421},"
                                      "\"description\":\"%s\"}",
                                      type, description);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, type);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "OPEN");
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.location.lat")), 45.7612,
                                  1e-9);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static guint
patch (Fixture    *fixture,
       const char *token,
       const char *id,
       const char *body,
       JsonNode  **reply)
{
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);

  return fest_test_server_request (fixture->server, "PATCH", path, token, body, reply);
}

static gint64
count (Fixture    *fixture,
       const char *query)
{
  g_autofree char *path = g_strdup_printf ("/incidents%s", query);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static void
test_create_and_list (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *medical = report (fixture, fixture->cashier_token, "MEDICAL", "Malaise près du bar");
  g_autofree char *theft = report (fixture, fixture->security_token, "THEFT", "Sac volé");
  g_autofree char *lost = report (fixture, fixture->fest.organiser_token, "LOST_PERSON", "Enfant, t-shirt jaune");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/incidents/%s", medical);
  guint status;

  /* The reporter comes from the token. A security lead reads every incident, a plain security
   * member only theirs. */
  status = fest_test_server_request (fixture->server, "GET", path, fixture->security_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", path, fixture->lead_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.reporter_id"), ==, fixture->cashier_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.description"), ==, "Malaise près du bar");
  g_assert_false (json_node_get_boolean (fest_test_json_get (reply, "data.is_abuse")));
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpint (count (fixture, ""), ==, 3);
  g_assert_cmpint (count (fixture, "?type=THEFT"), ==, 1);
  g_assert_cmpint (count (fixture, "?status=OPEN"), ==, 3);
  g_assert_cmpint (count (fixture, "?status=RESOLVED"), ==, 0);
  g_assert_cmpint (count (fixture, "?status=OPEN&type=FIRE"), ==, 0);

  status = fest_test_server_request (fixture->server, "GET", "/incidents?type=ALIENS", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "type");
  g_clear_pointer (&reply, json_node_unref);

  /* Validation */
  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->cashier_token,
                                     "{\"type\":\"ALIENS\",\"location\":{\"lat\":45,\"lng\":4}}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "type");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->cashier_token,
                                     "{\"type\":\"FIRE\",\"location\":{\"lat\":95,\"lng\":4}}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->cashier_token,
                                     "{\"type\":\"FIRE\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "location");
}

/* SOS, MEDICAL and FIRE are reported with their position alone (an empty or absent description),
 * directly and through a station's sync; the other types still need words. */
static void
test_urgent_without_description (Fixture       *fixture,
                                 gconstpointer  data)
{
  static const char * const urgent[] = { "SOS", "MEDICAL", "FIRE" };
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *key = fest_uuid_new ();
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *now_text = NULL;
  JsonObject *result;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (urgent); i++)
    {
      status = fest_test_server_requestf (fixture->server, "POST", "/incidents", fixture->security_token, &reply,
                                          "{\"type\":\"%s\",\"location\":{\"lat\":45.76,\"lng\":4.84},"
                                          "\"description\":\"%s\"}", urgent[i], i == 1 ? "  " : "");
      g_assert_cmpuint (status, ==, 201);
      g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, urgent[i]);
      g_assert_true (json_node_is_null (json_object_get_member (
        json_object_get_object_member (json_node_get_object (reply), "data"), "description")));
      g_clear_pointer (&reply, json_node_unref);
    }
  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->security_token,
                                     "{\"type\":\"SOS\",\"location\":{\"lat\":45.76,\"lng\":4.84}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->security_token,
                                     "{\"type\":\"FIGHT\",\"location\":{\"lat\":45.76,\"lng\":4.84},"
                                     "\"description\":\" \"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "description");
  g_clear_pointer (&reply, json_node_unref);

  /* A station's outbox: the SOS without words is applied, the theft without words is rejected with
   * the same error. */
  /* Now: the server refuses station times far from its own clock. */
  now = g_date_time_new_now_utc ();
  now_text = g_date_time_format (now, "%Y-%m-%dT%H:%M:%SZ");
  status = fest_test_server_requestf (fixture->server, "POST", "/sync", fixture->fest.organiser_token, &reply,
                                      "{\"device_id\":\"x\",\"operations\":["
                                      "{\"op\":\"incident.create\",\"idempotency_key\":\"%s\","
                                      "\"created_at\":\"%s\",\"payload\":{\"type\":\"SOS\","
                                      "\"location\":{\"lat\":45.76,\"lng\":4.84},\"description\":\"\"}},"
                                      "{\"op\":\"incident.create\",\"idempotency_key\":\"%s-2\","
                                      "\"created_at\":\"%s\",\"payload\":{\"type\":\"THEFT\","
                                      "\"location\":{\"lat\":45.76,\"lng\":4.84},\"description\":\"\"}}]}",
                                      key, now_text, key, now_text);
  g_assert_cmpuint (status, ==, 200);
  {
    JsonArray *results = json_object_get_array_member (json_object_get_object_member (json_node_get_object (reply),
                                                                                      "data"), "results");

    result = json_array_get_object_element (results, 0);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "applied");
    result = json_array_get_object_element (results, 1);
    g_assert_cmpstr (json_object_get_string_member (result, "status"), ==, "rejected");
    g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (result, "error"), "code"),
                     ==, "VALIDATION_FAILED");
  }
}

static void
test_assign_and_resolve (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *id = report (fixture, fixture->cashier_token, "FIGHT", "Bagarre au bar");
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* Not a security member */
  body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->cashier_id);
  status = patch (fixture, fixture->fest.organiser_token, id, body, &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "assigned_to");
  g_clear_pointer (&reply, json_node_unref);
  g_clear_pointer (&body, g_free);
  status = patch (fixture, fixture->fest.organiser_token, id,
                  "{\"assigned_to\":\"00000000-0000-4000-8000-000000000000\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "assigned_to");
  g_clear_pointer (&reply, json_node_unref);

  /* A security member */
  body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->security_id);
  status = patch (fixture, fixture->fest.organiser_token, id, body, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.assigned_to"), ==, fixture->security_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "ASSIGNED");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (count (fixture, "?status=ASSIGNED"), ==, 1);

  /* Security resolves it with notes */
  status = patch (fixture, fixture->security_token, id,
                  "{\"status\":\"RESOLVED\",\"resolution_notes\":\"Séparés, pas de blessé\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "RESOLVED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.resolution_notes"), ==, "Séparés, pas de blessé");
  g_assert_nonnull (fest_test_json_string (reply, "data.resolved_at"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (count (fixture, "?status=RESOLVED"), ==, 1);
  g_assert_cmpint (count (fixture, "?status=OPEN"), ==, 0);

  /* Bad values */
  status = patch (fixture, fixture->security_token, id, "{\"status\":\"DONE\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "status");
  g_clear_pointer (&reply, json_node_unref);
  status = patch (fixture, fixture->security_token, id, "{}", &reply);
  g_assert_cmpuint (status, ==, 400);
  g_clear_pointer (&reply, json_node_unref);

  /* Audit trail */
  status = fest_test_server_request (fixture->server, "GET", "/audit?entity_type=incident",
                                     fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
}

static void
test_abuse (Fixture       *fixture,
            gconstpointer  data)
{
  g_autofree char *id = report (fixture, fixture->cashier_token, "SOS", "Fausse alerte");
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* Flagging is a lead's (or an organiser's) call. */
  status = patch (fixture, fixture->security_token, id, "{\"is_abuse\":true}", &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = patch (fixture, fixture->lead_token, id, "{\"is_abuse\":true,\"status\":\"RESOLVED\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.is_abuse")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "RESOLVED");
  g_clear_pointer (&reply, json_node_unref);
  status = patch (fixture, fixture->lead_token, id, "{\"is_abuse\":\"yes\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "is_abuse");
}

static void
test_wrong_role (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *id = report (fixture, fixture->cashier_token, "THEFT", "Portefeuille");
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* A cashier reports but neither reads the list nor manages. */
  status = patch (fixture, fixture->cashier_token, id, "{\"status\":\"RESOLVED\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/incidents", fixture->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/incidents", NULL,
                                     "{\"type\":\"FIRE\",\"location\":{\"lat\":45,\"lng\":4}}", &reply);
  g_assert_cmpuint (status, ==, 401);
}

static void
test_other_festival (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = report (fixture, fixture->cashier_token, "FIRE", "Feu de poubelle");
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  other_id = fest_test_server_create_festival (fixture->server, fixture->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (fixture->server, fixture->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);

  status = fest_test_server_request (fixture->server, "GET", path, other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = patch (fixture, other_token, id, "{\"status\":\"RESOLVED\"}", &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/incidents", other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
}

/* A coordinate json-glib 1.6 alone writes as "2e-66.0", which no client can read: the reply
 * and every list holding the incident stay JSON (found by tests/fuzz/fuzz-members). */
static void
test_tiny_coordinates (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/incidents", fixture->cashier_token,
                                     "{\"type\":\"MEDICAL\",\"location\":{\"lat\":2e-66,\"lng\":4}}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_nonnull (reply);
  g_assert_cmpfloat (json_node_get_double (fest_test_json_get (reply, "data.location.lat")), ==, 2e-66);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (fixture->server, "GET", "/incidents", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
}

/* Issue 18: filters, the security roles, DUPLICATE_ENTRY incidents, incident.update in /sync. */

static JsonNode *
sync_batch (Fixture    *fixture,
            const char *token,
            const char *operations)
{
  JsonNode *reply = NULL;
  guint status = fest_test_server_requestf (fixture->server, "POST", "/sync", token, &reply,
                                            "{\"device_id\":\"test-station\",\"operations\":[%s]}", operations);

  g_assert_cmpuint (status, ==, 200);
  return reply;
}

/* An incident reported offline at @created_at, by @token's account. */
static char *
report_at (Fixture    *fixture,
           const char *token,
           const char *type,
           const char *created_at)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *op = g_strdup_printf ("{\"op\":\"incident.create\",\"idempotency_key\":\"%s\",\"created_at\":\"%s\","
                                         "\"payload\":{\"type\":\"%s\",\"location\":{\"lat\":45.76,\"lng\":4.84},"
                                         "\"description\":\"Reported at %s\"}}", key, created_at, type, created_at);
  g_autoptr(JsonNode) reply = sync_batch (fixture, token, op);

  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  return g_strdup (fest_test_json_string (reply, "data.results.0.entity.id"));
}

static void
assign (Fixture    *fixture,
        const char *id,
        const char *account_id)
{
  g_autofree char *body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", account_id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (patch (fixture, fixture->lead_token, id, body, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "ASSIGNED");
}

/* The ids of GET @path with @token, in order, space-separated; its meta.total in *@total. */
static char *
list_ids (Fixture    *fixture,
          const char *token,
          const char *path,
          gint64     *total)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GString) ids = g_string_new (NULL);
  JsonArray *array;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, token, NULL, &reply), ==, 200);
  array = json_node_get_array (fest_test_json_get (reply, "data"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (i > 0)
        g_string_append_c (ids, ' ');
      g_string_append (ids, json_object_get_string_member (json_array_get_object_element (array, i), "id"));
    }
  if (total != NULL)
    *total = fest_test_json_int (reply, "meta.total");
  return g_string_free (g_steal_pointer (&ids), FALSE);
}

static void
assert_list (Fixture    *fixture,
             const char *token,
             const char *path,
             gint64      expected_total,
             const char *first,
             ...)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *ids = NULL;
  gint64 total = -1;
  va_list args;

  va_start (args, first);
  for (const char *id = first; id != NULL; id = va_arg (args, const char *))
    {
      if (expected->len > 0)
        g_string_append_c (expected, ' ');
      g_string_append (expected, id);
    }
  va_end (args);
  ids = list_ids (fixture, token, path, &total);
  if (g_strcmp0 (ids, expected->str) != 0 || total != expected_total)
    g_error ("GET %s: expected [%s] of %" G_GINT64_FORMAT ", got [%s] of %" G_GINT64_FORMAT, path, expected->str,
             expected_total, ids, total);
}

static void
test_filters (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *fight = report_at (fixture, fixture->cashier_token, "FIGHT", "2026-07-11T10:00:00Z");
  g_autofree char *theft = report_at (fixture, fixture->cashier_token, "THEFT", "2026-07-11T11:00:00Z");
  g_autofree char *fire = report_at (fixture, fixture->cashier_token, "FIRE", "2026-07-11T12:00:00Z");
  g_autofree char *sos = report_at (fixture, fixture->cashier_token, "SOS", "2026-07-11T13:00:00Z");
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *org = fixture->fest.organiser_token;
  static const struct
  {
    const char *query;
    const char *field;
  } bad[] = {
    { "?status=DONE", "status" },
    { "?status=OPEN,DONE", "status" },
    { "?status=", "status" },
    { "?status=open", "status" },
    { "?type=DUPLICATE", "type" },
    { "?assigned_to=bob", "assigned_to" },
    { "?assigned_to=", "assigned_to" },
    { "?since=yesterday", "since" },
    { "?since=2026-07-11T12:00:00", "since" },
    { "?per_page=0", NULL },
    { "?page=x", NULL },
  };

  assign (fixture, theft, fixture->security_id);
  assign (fixture, fire, fixture->lead_id);
  g_assert_cmpuint (patch (fixture, org, fire, "{\"status\":\"RESOLVED\",\"resolution_notes\":\"Out\"}", &reply),
                    ==, 200);
  g_clear_pointer (&reply, json_node_unref);

  /* Newest first (created_at), paged with meta.total. */
  assert_list (fixture, org, "/incidents", 4, sos, fire, theft, fight, NULL);
  assert_list (fixture, org, "/incidents?per_page=2&page=2", 4, theft, fight, NULL);
  assert_list (fixture, org, "/incidents?status=OPEN", 2, sos, fight, NULL);
  assert_list (fixture, org, "/incidents?status=OPEN,ASSIGNED", 3, sos, theft, fight, NULL);
  assert_list (fixture, org, "/incidents?status=RESOLVED,ASSIGNED,OPEN", 4, sos, fire, theft, fight, NULL);
  assert_list (fixture, org, "/incidents?type=THEFT", 1, theft, NULL);
  assert_list (fixture, org, "/incidents?type=DUPLICATE_ENTRY", 0, NULL);
  path = g_strdup_printf ("/incidents?assigned_to=%s", fixture->security_id);
  assert_list (fixture, org, path, 1, theft, NULL);
  g_free (path);
  path = g_strdup_printf ("/incidents?assigned_to=%s&status=ASSIGNED", fixture->lead_id);
  assert_list (fixture, org, path, 0, NULL);
  assert_list (fixture, fixture->lead_token, "/incidents?assigned_to=me", 1, fire, NULL);
  assert_list (fixture, org, "/incidents?assigned_to=me", 0, NULL);
  assert_list (fixture, org, "/incidents?since=2026-07-11T11:00:00Z", 3, sos, fire, theft, NULL);
  /* Any offset: 13:30 in Paris is 11:30 UTC. */
  assert_list (fixture, org, "/incidents?since=2026-07-11T13:30:00%2B02:00", 2, sos, fire, NULL);
  assert_list (fixture, org, "/incidents?since=2026-07-11T11:00:00Z&status=OPEN&type=SOS", 1, sos, NULL);
  assert_list (fixture, org, "/incidents?since=2030-01-01T00:00:00Z", 0, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *bad_path = g_strdup_printf ("/incidents%s", bad[i].query);

      g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", bad_path, org, NULL, &reply), ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", bad[i].field);
      g_clear_pointer (&reply, json_node_unref);
    }

  /* since compares times, not their text (a stored time leaves out zero milliseconds). */
  {
    g_autofree char *lost = report_at (fixture, fixture->cashier_token, "LOST_PERSON", "2026-07-11T09:00:00.250Z");

    assert_list (fixture, org, "/incidents?type=LOST_PERSON&since=2026-07-11T09:00:00Z", 1, lost, NULL);
    assert_list (fixture, org, "/incidents?type=LOST_PERSON&since=2026-07-11T09:00:00.250Z", 1, lost, NULL);
    assert_list (fixture, org, "/incidents?type=LOST_PERSON&since=2026-07-11T09:00:00.500Z", 0, NULL);
  }

  /* Members cannot report a DUPLICATE_ENTRY: the server raises those. */
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/incidents", org,
                                              "{\"type\":\"DUPLICATE_ENTRY\",\"location\":{\"lat\":45,\"lng\":4}}",
                                              &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "type");
}

/* A plain SECURITY member sees what is assigned to them and what they reported, resolves what is
 * assigned to them, and assigns nothing; a lead sees, assigns and reassigns everything. */
static void
test_security_roles (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *mine = report_at (fixture, fixture->cashier_token, "FIGHT", "2026-07-11T10:00:00Z");
  g_autofree char *reported = report_at (fixture, fixture->security_token, "THEFT", "2026-07-11T11:00:00Z");
  g_autofree char *other = report_at (fixture, fixture->cashier_token, "MEDICAL", "2026-07-11T12:00:00Z");
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *sec = fixture->security_token;

  assign (fixture, mine, fixture->security_id);

  assert_list (fixture, sec, "/incidents", 2, reported, mine, NULL);
  assert_list (fixture, sec, "/incidents?assigned_to=me", 1, mine, NULL);
  assert_list (fixture, sec, "/incidents?status=OPEN", 1, reported, NULL);
  assert_list (fixture, fixture->lead_token, "/incidents", 3, other, reported, mine, NULL);
  path = g_strdup_printf ("/incidents/%s", other);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, sec, NULL, &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* No assigning, reassigning, flagging nor reopening. */
  body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->security_id);
  g_assert_cmpuint (patch (fixture, sec, reported, body, &reply), ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_free (body);
  body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->lead_id);
  g_assert_cmpuint (patch (fixture, sec, mine, body, &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (patch (fixture, sec, mine, "{\"assigned_to\":null}", &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (patch (fixture, sec, mine, "{\"status\":\"OPEN\"}", &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  /* Resolving: only what is assigned to them (403 for their own report, 404 for what they cannot see). */
  g_assert_cmpuint (patch (fixture, sec, reported, "{\"status\":\"RESOLVED\"}", &reply), ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (patch (fixture, sec, other, "{\"status\":\"RESOLVED\"}", &reply), ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (patch (fixture, sec, mine, "{\"status\":\"RESOLVED\",\"resolution_notes\":\"Calmed down\"}",
                           &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "RESOLVED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.resolution_notes"), ==, "Calmed down");
  g_assert_cmpstr (fest_test_json_string (reply, "data.assigned_to"), ==, fixture->security_id);
  g_clear_pointer (&reply, json_node_unref);

  /* A lead reassigns to another security member (a lead is one too), not to a cashier. */
  assign (fixture, other, fixture->security_id);
  assign (fixture, other, fixture->lead_id);
  g_free (body);
  body = g_strdup_printf ("{\"assigned_to\":\"%s\"}", fixture->cashier_id);
  g_assert_cmpuint (patch (fixture, fixture->lead_token, other, body, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "assigned_to");
  g_clear_pointer (&reply, json_node_unref);
  assert_list (fixture, sec, "/incidents", 2, reported, mine, NULL);

  /* A cashier neither lists nor resolves. */
  g_assert_cmpuint (patch (fixture, fixture->cashier_token, mine, "{\"status\":\"RESOLVED\"}", &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  /* The audit trail names who did it. */
  g_free (path);
  path = g_strdup_printf ("/audit?entity_type=incident&entity_id=%s", mine);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "incident.update");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.actor_id"), ==, fixture->security_id);
}

static char *
scanner_device (Fixture    *fixture,
                const char *name,
                char      **device_id)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_requestf (fixture->server, "POST", "/devices", fixture->fest.organiser_token,
                                               &reply, "{\"name\":\"%s\",\"mode\":\"scanner\"}", name), ==, 201);
  *device_id = g_strdup (fest_test_json_string (reply, "data.id"));
  return g_strdup (fest_test_json_string (reply, "data.token"));
}

static char *
scan_batch (const char *key,
            const char *ticket_id,
            const char *gate,
            const char *scanned_at)
{
  return g_strdup_printf ("{\"device_id\":\"ignored\",\"operations\":[{\"op\":\"ticket.scan\","
                          "\"idempotency_key\":\"%s\",\"payload\":{\"ticket_id\":\"%s\",\"gate\":\"%s\","
                          "\"direction\":\"IN\",\"scanned_at\":\"%s\"}}]}", key, ticket_id, gate, scanned_at);
}

/* Two offline gates admit the same ticket: one DUPLICATE_ENTRY incident, at the second gate, with
 * both scans, raised once however often the stations replay their batches. */
static void
test_duplicate_entry (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *north_id = NULL;
  g_autofree char *south_id = NULL;
  g_autofree char *north = scanner_device (fixture, "Scanner Nord", &north_id);
  g_autofree char *south = scanner_device (fixture, "Scanner Sud", &south_id);
  g_autofree char *type_id = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *ticket2_id = NULL;
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *third = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/gates", fixture->fest.organiser_token,
                                     "{\"name\":\"Porte Sud\",\"location\":{\"lat\":45.7570,\"lng\":4.8390,"
                                     "\"zone\":\"South field\"}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Day\",\"code\":\"DAY\",\"valid_from\":\"2026-01-01T00:00:00Z\","
                                     "\"valid_until\":\"2099-01-01T00:00:00Z\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  type_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/tickets", fixture->fest.organiser_token, &reply,
                                      "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Alice Martin\"}", type_id);
  g_assert_cmpuint (status, ==, 201);
  ticket_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  first = scan_batch ("dup-n", ticket_id, "Porte Nord", "2026-07-11T18:00:00Z");
  second = scan_batch ("dup-s", ticket_id, "Porte Sud", "2026-07-11T18:04:30Z");
  for (guint round = 0; round < 2; round++)
    {
      g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/sync", north, first, &reply), ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, round == 0 ? "applied"
                                                                                              : "duplicate");
      g_clear_pointer (&reply, json_node_unref);
      g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/sync", south, second, &reply), ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, round == 0 ? "applied"
                                                                                              : "duplicate");
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.result"), ==, "DUPLICATE_ENTRY");
      g_clear_pointer (&reply, json_node_unref);

      g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/incidents?type=DUPLICATE_ENTRY",
                                                  fixture->lead_token, NULL, &reply), ==, 200);
      g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.type"), ==, "DUPLICATE_ENTRY");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.status"), ==, "OPEN");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.ticket_id"), ==, ticket_id);
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.holder_name"), ==, "Alice Martin");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.first.gate"), ==, "Porte Nord");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.first.scanned_at"), ==, "2026-07-11T18:00:00Z");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.first.device_id"), ==, north_id);
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.second.gate"), ==, "Porte Sud");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.second.scanned_at"), ==, "2026-07-11T18:04:30Z");
      g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.second.device_id"), ==, south_id);
      /* At the second gate, a known gate with a position. */
      g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.0.location.lat")),
                                      45.7570, 1e-9);
      g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.0.location.lng")),
                                      4.8390, 1e-9);
      g_clear_pointer (&reply, json_node_unref);
    }

  /* At a gate nobody placed: the festival's site centre. */
  status = fest_test_server_requestf (fixture->server, "POST", "/tickets", fixture->fest.organiser_token, &reply,
                                      "{\"ticket_type_id\":\"%s\"}", type_id);
  g_assert_cmpuint (status, ==, 201);
  ticket2_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_free (first);
  first = scan_batch ("dup2-n", ticket2_id, "Porte Nord", "2026-07-11T19:00:00Z");
  third = scan_batch ("dup2-e", ticket2_id, "Parking", "2026-07-11T19:01:00Z");
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/sync", north, first, &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/sync", south, third, &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/incidents?type=DUPLICATE_ENTRY",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.ticket_id"), ==, ticket2_id);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.details.holder_name")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.details.second.gate"), ==, "Parking");
  {
    g_autofree char *festival_path = g_strdup_printf ("/festivals/%s", fixture->fest.festival_id);
    g_autoptr(JsonNode) festival = NULL;

    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", festival_path, fixture->fest.organiser_token,
                                                NULL, &festival), ==, 200);
    g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.0.location.lat")),
                                    json_node_get_double (fest_test_json_get (festival, "data.location.lat")), 1e-9);
    g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.0.location.lng")),
                                    json_node_get_double (fest_test_json_get (festival, "data.location.lng")), 1e-9);
  }
  g_clear_pointer (&reply, json_node_unref);

  /* It is an incident like the others: assigned and resolved. */
  {
    g_autofree char *id = NULL;

    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/incidents?type=DUPLICATE_ENTRY",
                                                fixture->fest.organiser_token, NULL, &reply), ==, 200);
    id = g_strdup (fest_test_json_string (reply, "data.1.id"));
    g_clear_pointer (&reply, json_node_unref);
    assign (fixture, id, fixture->security_id);
    g_assert_cmpuint (patch (fixture, fixture->security_token, id,
                             "{\"status\":\"RESOLVED\",\"resolution_notes\":\"Wristband checked\"}", &reply), ==, 200);
    g_assert_cmpstr (fest_test_json_string (reply, "data.details.second.gate"), ==, "Porte Sud");
  }
}

static char *
update_op (const char *key,
           const char *incident_id,
           const char *extra)
{
  return g_strdup_printf ("{\"op\":\"incident.update\",\"idempotency_key\":\"%s\",\"created_at\":\"2026-07-11T20:00:00Z\","
                          "\"payload\":{\"incident_id\":\"%s\"%s}}", key, incident_id, extra);
}

/* The security station resolves its incident offline: applied once, a replay answers duplicate. */
static void
test_sync_update (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *mine = report_at (fixture, fixture->cashier_token, "FIGHT", "2026-07-11T10:00:00Z");
  g_autofree char *other = report_at (fixture, fixture->cashier_token, "THEFT", "2026-07-11T11:00:00Z");
  g_autofree char *resolve = update_op ("upd-1", mine, ",\"status\":\"RESOLVED\",\"resolution_notes\":\"Done offline\"");
  g_autofree char *again = update_op ("upd-2", mine, ",\"status\":\"RESOLVED\",\"resolution_notes\":\"Late\"");
  g_autofree char *assign_op = NULL;
  g_autofree char *ops = NULL;
  g_autofree char *extra = NULL;
  g_autofree char *path = g_strdup_printf ("/incidents/%s", mine);
  g_autofree char *audit_path = g_strdup_printf ("/audit?entity_type=incident&entity_id=%s", mine);
  g_autoptr(JsonNode) reply = NULL;
  const char *sec = fixture->security_token;

  assign (fixture, mine, fixture->security_id);

  for (guint round = 0; round < 2; round++)
    {
      reply = sync_batch (fixture, sec, resolve);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.idempotency_key"), ==, "upd-1");
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, round == 0 ? "applied"
                                                                                              : "duplicate");
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.id"), ==, mine);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.status"), ==, "RESOLVED");
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.resolution_notes"), ==, "Done offline");
      g_clear_pointer (&reply, json_node_unref);
    }
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->lead_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "RESOLVED");
  g_assert_nonnull (fest_test_json_string (reply, "data.resolved_at"));
  g_clear_pointer (&reply, json_node_unref);

  /* Resolved already (by this station or anyone): applied, and the first resolution stands. */
  reply = sync_batch (fixture, sec, again);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.resolution_notes"), ==, "Done offline");
  g_clear_pointer (&reply, json_node_unref);
  /* The same key for something else. */
  g_free (ops);
  ops = update_op ("upd-1", mine, ",\"status\":\"RESOLVED\",\"resolution_notes\":\"Other text\"");
  reply = sync_batch (fixture, sec, ops);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "rejected");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.code"), ==, "IDEMPOTENCY_KEY_REUSED");
  g_clear_pointer (&reply, json_node_unref);
  /* One audit row for all of it, after the report and the lead's assignment. */
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", audit_path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "incident.update");
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.actor_id"), ==, fixture->lead_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.actor_id"), ==, fixture->security_id);
  g_clear_pointer (&reply, json_node_unref);

  /* PATCH's rules: not assigned to them (404), assigning (403), bad payloads (400); each op on its own. */
  extra = g_strdup_printf (",\"assigned_to\":\"%s\"", fixture->security_id);
  assign_op = update_op ("upd-3", other, extra);
  g_free (ops);
  {
    g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);

    g_ptr_array_add (parts, update_op ("upd-4", other, ",\"status\":\"RESOLVED\""));
    g_ptr_array_add (parts, g_strdup (assign_op));
    g_ptr_array_add (parts, g_strdup ("{\"op\":\"incident.update\",\"idempotency_key\":\"upd-5\","
                                      "\"payload\":{\"status\":\"RESOLVED\"}}"));
    g_ptr_array_add (parts, update_op ("upd-6", other, ",\"status\":\"CLOSED\""));
    g_ptr_array_add (parts, update_op ("upd-7", other, ",\"resolution_notes\":12"));
    g_ptr_array_add (parts, NULL);
    ops = g_strjoinv (",", (char **) parts->pdata);
  }
  reply = sync_batch (fixture, sec, ops);
  g_assert_cmpint (fest_test_json_int (reply, "data.rejected"), ==, 5);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.code"), ==, "NOT_FOUND");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.error.code"), ==, "FORBIDDEN");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.2.error.code"), ==, "VALIDATION_FAILED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.2.error.details.field"), ==, "incident_id");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.3.error.details.field"), ==, "status");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.4.error.details.field"), ==, "resolution_notes");
  g_clear_pointer (&reply, json_node_unref);

  /* A lead assigns through /sync too, to a security member only; a cashier does neither. */
  g_free (ops);
  {
    g_autofree char *to_cashier = g_strdup_printf (",\"assigned_to\":\"%s\"", fixture->cashier_id);
    g_autofree char *cashier_op = update_op ("upd-8", other, to_cashier);

    ops = g_strdup_printf ("%s,%s", assign_op, cashier_op);
  }
  reply = sync_batch (fixture, fixture->lead_token, ops);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.status"), ==, "ASSIGNED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.assigned_to"), ==, fixture->security_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.status"), ==, "rejected");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.error.details.field"), ==, "assigned_to");
  g_clear_pointer (&reply, json_node_unref);
  g_free (ops);
  ops = update_op ("upd-9", other, ",\"status\":\"RESOLVED\"");
  reply = sync_batch (fixture, fixture->cashier_token, ops);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.error.code"), ==, "FORBIDDEN");
  g_clear_pointer (&reply, json_node_unref);
  assert_list (fixture, fixture->lead_token, "/incidents?status=ASSIGNED", 1, other, NULL);
}

/* A festival database of schema version 8 keeps its incidents through migration 9. */
static void
test_migrate_from_v8 (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *id = report_at (fixture, fixture->cashier_token, "FIGHT", "2026-07-11T10:00:00Z");
  g_autofree char *name = g_strdup_printf ("festival-%s.db", fixture->fest.festival_id);
  g_autofree char *db_path = g_build_filename (fest_test_server_get_data_dir (fixture->server), name, NULL);
  g_autofree char *path = g_strdup_printf ("/incidents/%s", id);
  g_autofree char *received_at = NULL;
  g_autoptr(JsonNode) reply = NULL;
  char *message = NULL;
  sqlite3 *db = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: rewrites the festival file as SQLite schema version 8");
      return;
    }

  assign (fixture, id, fixture->security_id);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->lead_token, NULL, &reply), ==, 200);
  received_at = g_strdup (fest_test_json_string (reply, "data.received_at"));
  g_clear_pointer (&reply, json_node_unref);
  fest_test_server_stop (fixture->server);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db,
                    "BEGIN;"
                    FEST_TEST_UNDO_MIGRATIONS_FROM_10
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
                    "PRAGMA user_version = 8;"
                    "COMMIT;", NULL, NULL, &message) != SQLITE_OK)
    g_error ("cannot write a version 8 festival: %s", message);
  sqlite3_close (db);
  fest_test_server_start (fixture->server);

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->lead_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "FIGHT");
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "ASSIGNED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.assigned_to"), ==, fixture->security_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.created_at"), ==, "2026-07-11T10:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.received_at"), ==, received_at);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.details")));
  g_clear_pointer (&reply, json_node_unref);
  assert_list (fixture, fixture->security_token, "/incidents?assigned_to=me", 1, id, NULL);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/gates", fixture->fest.organiser_token,
                                              "{\"name\":\"Porte Nord\"}", &reply), ==, 201);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/incidents/create-and-list", test_create_and_list);
  ADD ("/fest/incidents/urgent-without-description", test_urgent_without_description);
  ADD ("/fest/incidents/assign-and-resolve", test_assign_and_resolve);
  ADD ("/fest/incidents/abuse", test_abuse);
  ADD ("/fest/incidents/wrong-role", test_wrong_role);
  ADD ("/fest/incidents/other-festival", test_other_festival);
  ADD ("/fest/incidents/tiny-coordinates", test_tiny_coordinates);
  ADD ("/fest/incidents/filters", test_filters);
  ADD ("/fest/incidents/security-roles", test_security_roles);
  ADD ("/fest/incidents/duplicate-entry", test_duplicate_entry);
  ADD ("/fest/incidents/sync-update", test_sync_update);
  ADD ("/fest/incidents/migrate-from-v8", test_migrate_from_v8);
#undef ADD

  return g_test_run ();
}
