/* test-gates.c: the festival's gates (GET/POST /gates, GET/PATCH/DELETE /gates/{id}) and the
 * location {lat, lng, zone} of gates, stages and stands, over a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *cashier_token;
  char            *festivalier_token;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Gates fest", &fixture->fest);
  fixture->cashier_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                        fixture->fest.festival_id, "cashier@test.festivals",
                                                        "CASHIER", NULL);
  fixture->festivalier_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                            fixture->fest.festival_id, "fan@test.festivals",
                                                            "FESTIVALIER", NULL);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->cashier_token);
  g_free (fixture->festivalier_token);
  fest_test_festival_clear (&fixture->fest);
  fest_test_server_free (fixture->server);
}

static double
json_double (JsonNode   *reply,
             const char *path)
{
  JsonNode *node = fest_test_json_get (reply, path);

  g_assert_nonnull (node);
  return json_node_get_double (node);
}

static gboolean
json_is_null (JsonNode   *reply,
              const char *path)
{
  JsonNode *node = fest_test_json_get (reply, path);

  return node != NULL && JSON_NODE_HOLDS_NULL (node);
}

static char *
create_gate (Fixture    *fixture,
             const char *body)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/gates", fixture->fest.organiser_token, body,
                                              &reply), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static guint
expect_error (Fixture    *fixture,
              const char *method,
              const char *path,
              const char *token,
              const char *body,
              const char *code,
              const char *field)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = fest_test_server_request (fixture->server, method, path, token, body, &reply);

  fest_test_assert_error (reply, code, field);
  return status;
}

static void
test_crud (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *north = NULL;
  g_autofree char *south = NULL;
  g_autofree char *path = NULL;
  g_autofree char *device_token = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/gates", fixture->fest.organiser_token,
                                     "{\"name\":\"  Porte Nord \",\"location\":{\"lat\":45.7651,\"lng\":4.8402,"
                                     "\"zone\":\"North field\"}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  north = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_true (fest_uuid_is_valid (north));
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Porte Nord");
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lat"), 45.7651, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lng"), 4.8402, 1e-9);
  g_assert_cmpstr (fest_test_json_string (reply, "data.location.zone"), ==, "North field");
  g_assert_nonnull (fest_test_json_string (reply, "data.created_at"));
  g_assert_nonnull (fest_test_json_string (reply, "data.updated_at"));
  g_clear_pointer (&reply, json_node_unref);

  /* No position yet: location null. */
  south = create_gate (fixture, "{\"name\":\"Porte Sud\"}");

  /* Every staff member reads them, a scanner station too; sorted by name. */
  status = fest_test_server_request (fixture->server, "GET", "/gates", fixture->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Porte Nord");
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.name"), ==, "Porte Sud");
  g_assert_true (json_is_null (reply, "data.1.location"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (fixture->server, "POST", "/devices", fixture->fest.organiser_token, &reply,
                                      "{\"name\":\"Scanner 1\",\"mode\":\"scanner\"}");
  g_assert_cmpuint (status, ==, 201);
  device_token = g_strdup (fest_test_json_string (reply, "data.token"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/gates?per_page=1&page=2", device_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, south);
  g_clear_pointer (&reply, json_node_unref);

  /* Placed and renamed */
  path = g_strdup_printf ("/gates/%s", south);
  status = fest_test_server_request (fixture->server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"location\":{\"lat\":45.7570,\"lng\":4.8390,\"zone\":null}}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Porte Sud");
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lat"), 45.7570, 1e-9);
  g_assert_true (json_is_null (reply, "data.location.zone"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"name\":\"Porte Sud-Est\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Porte Sud-Est");
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lng"), 4.8390, 1e-9);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", path, fixture->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Porte Sud-Est");
  g_clear_pointer (&reply, json_node_unref);

  /* Deleted: gone, and its name free again. */
  status = fest_test_server_request (fixture->server, "DELETE", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, south);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (expect_error (fixture, "GET", path, fixture->fest.organiser_token, NULL, "NOT_FOUND", NULL),
                    ==, 404);
  g_assert_cmpuint (expect_error (fixture, "DELETE", path, fixture->fest.organiser_token, NULL, "NOT_FOUND", NULL),
                    ==, 404);
  g_free (create_gate (fixture, "{\"name\":\"Porte Sud-Est\"}"));

  /* The audit trail: create ×3, update ×2, delete. */
  status = fest_test_server_request (fixture->server, "GET", "/audit?entity_type=gate", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 6);
  g_clear_pointer (&reply, json_node_unref);
  g_free (path);
  path = g_strdup_printf ("/audit?entity_type=gate&entity_id=%s", south);
  status = fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 4);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "gate.delete");
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *id = create_gate (fixture, "{\"name\":\"Porte Nord\"}");
  g_autofree char *path = g_strdup_printf ("/gates/%s", id);
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *org = fixture->fest.organiser_token;
  char name[82];

  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, "{\"name\":", "MALFORMED_JSON", NULL), ==, 400);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, "{}", "VALIDATION_FAILED", "name"), ==, 400);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, "{\"name\":12}", "VALIDATION_FAILED", "name"),
                    ==, 400);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, "{\"name\":\"   \"}", "VALIDATION_FAILED", "name"),
                    ==, 400);
  memset (name, 'g', 81);
  name[81] = '\0';
  body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, body, "VALIDATION_FAILED", "name"), ==, 400);
  name[80] = '\0';
  g_free (body);
  body = g_strdup_printf ("{\"name\":\"%s\"}", name);
  g_free (create_gate (fixture, body));
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org,
                                  "{\"name\":\"Est\",\"location\":{\"lat\":95,\"lng\":4}}", "VALIDATION_FAILED", NULL),
                    ==, 400);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org, "{\"name\":\"Est\",\"location\":\"here\"}",
                                  "VALIDATION_FAILED", "location"), ==, 400);
  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", org,
                                  "{\"name\":\"Est\",\"location\":{\"lat\":45,\"lng\":4,\"zone\":7}}",
                                  "VALIDATION_FAILED", "location.zone"), ==, 400);

  /* One name per festival, whatever its case. */
  {
    guint status = fest_test_server_request (fixture->server, "POST", "/gates", org, "{\"name\":\"porte nord\"}",
                                             &reply);

    g_assert_cmpuint (status, ==, 409);
    fest_test_assert_error (reply, "CONFLICT", "name");
    g_assert_cmpstr (fest_test_json_string (reply, "error.details.gate_id"), ==, id);
    g_clear_pointer (&reply, json_node_unref);
  }
  {
    g_autofree char *other = create_gate (fixture, "{\"name\":\"Porte Ouest\"}");
    g_autofree char *other_path = g_strdup_printf ("/gates/%s", other);

    g_assert_cmpuint (expect_error (fixture, "PATCH", other_path, org, "{\"name\":\"PORTE NORD\"}", "CONFLICT", "name"),
                      ==, 409);
  }
  g_assert_cmpuint (expect_error (fixture, "PATCH", path, org, "{}", "VALIDATION_FAILED", NULL), ==, 400);
  g_assert_cmpuint (expect_error (fixture, "PATCH", path, org, "[1]", "VALIDATION_FAILED", NULL), ==, 400);
  g_assert_cmpuint (expect_error (fixture, "GET", "/gates/not-a-uuid", org, NULL, "NOT_FOUND", NULL), ==, 404);
  g_assert_cmpuint (expect_error (fixture, "GET", "/gates?per_page=0", org, NULL, "VALIDATION_FAILED", NULL), ==, 400);
}

static void
test_wrong_role (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *id = create_gate (fixture, "{\"name\":\"Porte Nord\"}");
  g_autofree char *path = g_strdup_printf ("/gates/%s", id);

  g_assert_cmpuint (expect_error (fixture, "POST", "/gates", fixture->cashier_token, "{\"name\":\"Mine\"}",
                                  "FORBIDDEN", NULL), ==, 403);
  g_assert_cmpuint (expect_error (fixture, "PATCH", path, fixture->cashier_token, "{\"name\":\"Mine\"}",
                                  "FORBIDDEN", NULL), ==, 403);
  g_assert_cmpuint (expect_error (fixture, "DELETE", path, fixture->cashier_token, NULL, "FORBIDDEN", NULL), ==, 403);
  /* Attendees are not staff. */
  g_assert_cmpuint (expect_error (fixture, "GET", "/gates", fixture->festivalier_token, NULL, "FORBIDDEN", NULL),
                    ==, 403);
  g_assert_cmpuint (expect_error (fixture, "GET", "/gates", NULL, NULL, "UNAUTHENTICATED", NULL), ==, 401);
}

static void
test_other_festival (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *id = create_gate (fixture, "{\"name\":\"Porte Nord\"}");
  g_autofree char *path = g_strdup_printf ("/gates/%s", id);
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr(JsonNode) reply = NULL;

  other_id = fest_test_server_create_festival (fixture->server, fixture->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (fixture->server, fixture->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);

  g_assert_cmpuint (expect_error (fixture, "GET", path, other_token, NULL, "NOT_FOUND", NULL), ==, 404);
  g_assert_cmpuint (expect_error (fixture, "PATCH", path, other_token, "{\"name\":\"Taken\"}", "NOT_FOUND", NULL),
                    ==, 404);
  g_assert_cmpuint (expect_error (fixture, "DELETE", path, other_token, NULL, "NOT_FOUND", NULL), ==, 404);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/gates", other_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  /* Names are per festival. */
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/gates", other_token,
                                              "{\"name\":\"Porte Nord\"}", &reply), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Porte Nord");
}

/* Stages and stands: location {lat, lng, zone}, editable, null to clear. */
static void
test_stage_and_stand_locations (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *path = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/stages", fixture->fest.organiser_token,
                                     "{\"name\":\"Grande scène\",\"location\":{\"lat\":45.76,\"lng\":4.84,"
                                     "\"zone\":\" Main field \"}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  stage = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.location.zone"), ==, "Main field");
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lat"), 45.76, 1e-9);
  g_clear_pointer (&reply, json_node_unref);

  path = g_strdup_printf ("/stages/%s", stage);
  status = fest_test_server_request (fixture->server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"location\":{\"lat\":45.761,\"lng\":4.841}}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lat"), 45.761, 1e-9);
  g_assert_true (json_is_null (reply, "data.location.zone"));
  g_clear_pointer (&reply, json_node_unref);
  /* Other changes keep the place. */
  status = fest_test_server_request (fixture->server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"capacity\":5000}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpfloat_with_epsilon (json_double (reply, "data.location.lng"), 4.841, 1e-9);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (expect_error (fixture, "PATCH", path, fixture->fest.organiser_token,
                                  "{\"location\":{\"lat\":45,\"lng\":4,\"zone\":[]}}", "VALIDATION_FAILED",
                                  "location.zone"), ==, 400);
  status = fest_test_server_request (fixture->server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"location\":null}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_is_null (reply, "data.location"));
  g_clear_pointer (&reply, json_node_unref);

  /* Stands had it already. */
  status = fest_test_server_request (fixture->server, "POST", "/stands", fixture->fest.organiser_token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\",\"location\":{\"lat\":45.7,\"lng\":4.8,"
                                     "\"zone\":\"North field\"}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.location.zone"), ==, "North field");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/gates/crud", test_crud);
  ADD ("/fest/gates/bad-input", test_bad_input);
  ADD ("/fest/gates/wrong-role", test_wrong_role);
  ADD ("/fest/gates/other-festival", test_other_festival);
  ADD ("/fest/gates/stage-and-stand-locations", test_stage_and_stand_locations);
#undef ADD

  return g_test_run ();
}
