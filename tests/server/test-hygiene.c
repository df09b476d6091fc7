/* test-hygiene.c: input the server must refuse rather than bend (NUL in JSON strings, malformed
 * filters), over a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-test-server.h"

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Hygiene festival", &fixture->fest);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  g_clear_pointer (&fixture->server, fest_test_server_free);
}

static gint64
count_stands (Fixture *fixture)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/stands",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

/* Asserts @status 400 and the error's code and field. */
static void
assert_refused (guint       status,
                JsonNode   *reply,
                const char *code,
                const char *field)
{
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, code, field);
}

/* json-glib cuts a string at an escaped NUL: "Bar\u0000…" would be stored as "Bar". */
static void
test_nul_in_json (Fixture       *fixture,
                  gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *token = fixture->fest.organiser_token;
  JsonNode *reply = NULL;
  guint status;

  status = fest_test_server_request (server, "POST", "/stands", token,
                                     "{\"name\":\"Bar\\u0000 hidden\",\"type\":\"BAR\"}", &reply);
  assert_refused (status, reply, "VALIDATION_FAILED", "name");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/stands", token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\",\"location\":"
                                     "{\"lat\":45.75,\"lng\":4.85,\"zone\":\"North\\u0000\"}}", &reply);
  assert_refused (status, reply, "VALIDATION_FAILED", "location.zone");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/members", token,
                                     "{\"email\":\"cashier@test.festivals\",\"name\":\"Cash\","
                                     "\"password\":\"" FEST_TEST_PASSWORD "\","
                                     "\"roles\":[\"CASHIER\",\"SCANNER\\u0000\"]}", &reply);
  assert_refused (status, reply, "VALIDATION_FAILED", "roles[1]");
  g_clear_pointer (&reply, json_node_unref);

  /* In a member name it belongs to no field. */
  status = fest_test_server_request (server, "POST", "/stands", token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\",\"x\\u0000\":1}", &reply);
  assert_refused (status, reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpint (count_stands (fixture), ==, 0);

  /* Cut at the NUL, this e-mail would be the admin's: it must not log in. */
  status = fest_test_server_requestf (server, "POST", "/auth/login", NULL, &reply,
                                      "{\"email\":\"%s\\u0000@evil.example\",\"password\":\"%s\"}",
                                      fixture->fest.superadmin_email, FEST_TEST_PASSWORD);
  assert_refused (status, reply, "VALIDATION_FAILED", "email");
  g_clear_pointer (&reply, json_node_unref);

  /* An escaped backslash followed by "u0000" is text, not a NUL. */
  status = fest_test_server_request (server, "POST", "/stands", token,
                                     "{\"name\":\"C:\\\\u0000\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "C:\\u0000");
  g_clear_pointer (&reply, json_node_unref);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/hygiene/nul-in-json", Fixture, NULL, fixture_setup, test_nul_in_json,
              fixture_teardown);

  return g_test_run ();
}
