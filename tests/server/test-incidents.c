/* test-incidents.c: incidents: report, list, assign to security, resolve, abuse, permissions
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

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
#undef ADD

  return g_test_run ();
}
