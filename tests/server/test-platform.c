/* test-platform.c: health, auth, me, festivals and the framework's defences, over a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-test-server.h"

#define UNICODE_NAME "Zoë 🎸 Ünïcødé"
#define SQL_NAME     "Robert'); DROP TABLE stands;--"

#define FESTIVAL_BODY \
  "{\"name\":\"%s\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\"," \
  "\"timezone\":\"Europe/Paris\",\"currency_name\":\"Jetons\",\"exchange_rate_cents\":10," \
  "\"location\":{\"lat\":45.75,\"lng\":4.85}}"

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
  fest_test_server_setup_festival (fixture->server, "Main festival", &fixture->fest);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  g_clear_pointer (&fixture->server, fest_test_server_free);
}

static void
test_health (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request_full (server, "GET", "/health", NULL, NULL, NULL, NULL,
                                          &headers, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "ok");
  g_assert_cmpstr (soup_message_headers_get_content_type (headers, NULL), ==, "application/json");
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Type"), ==,
                   "application/json; charset=utf-8");

  /* A bad token does not matter on a public route. */
  status = fest_test_server_request (server, "GET", "/health", "not-a-token", NULL, NULL);
  g_assert_cmpuint (status, ==, 200);
}

static void
test_unknown_route (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *uri = NULL;
  guint status;

  status = fest_test_server_request (server, "GET", "/no/such/route", NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* A trailing slash is another path. */
  status = fest_test_server_request (server, "GET", "/health/", NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* A known path with another method is 405, still in the envelope. */
  status = fest_test_server_request_full (server, "DELETE", "/health", NULL, NULL, NULL, NULL,
                                          &headers, &reply);
  g_assert_cmpuint (status, ==, 405);
  fest_test_assert_error (reply, "METHOD_NOT_ALLOWED", NULL);
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Allow"), ==, "GET");
  g_clear_pointer (&reply, json_node_unref);

  /* Outside /api/v1 as well. */
  uri = g_strconcat (fest_test_server_get_url (server), "/index.html", NULL);
  msg = soup_message_new ("GET", uri);
  body = soup_session_send_and_read (fest_test_server_get_session (server), msg, NULL, NULL);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 404);
  g_assert_nonnull (g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body),
                                  "\"NOT_FOUND\""));
}

static void
test_login (Fixture       *fixture,
            gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GDateTime) expires = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  guint status;

  status = fest_test_server_requestf (server, "POST", "/auth/login", NULL, &reply,
                                      "{\"email\":\"ORGANISER1@test.festivals\",\"password\":\"%s\"}",
                                      FEST_TEST_PASSWORD);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpuint (strlen (fest_test_json_string (reply, "data.token")), ==, 64);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.id"), ==, fixture->fest.organiser_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.email"), ==,
                   "organiser1@test.festivals");
  g_assert_false (json_node_get_boolean (fest_test_json_get (reply, "data.user.is_superadmin")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.festivals.0.id"), ==,
                   fixture->fest.festival_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festivals.0.name"), ==, "Main festival");
  g_assert_cmpstr (fest_test_json_string (reply, "data.festivals.0.roles.0"), ==, "ORGANISER");
  expires = g_date_time_new_from_iso8601 (fest_test_json_string (reply, "data.expires_at"), NULL);
  g_assert_nonnull (expires);
  g_assert_cmpint (g_date_time_difference (expires, now), >, 11 * G_TIME_SPAN_HOUR);
  /* The only membership is the current festival. */
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival_id"), ==,
                   fixture->fest.festival_id);
  g_clear_pointer (&reply, json_node_unref);

  /* Wrong password and unknown email: the same answer. */
  status = fest_test_server_request (server, "POST", "/auth/login", NULL,
                                     "{\"email\":\"organiser1@test.festivals\",\"password\":\"nope-nope\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  {
    g_autoptr(JsonNode) other = NULL;

    status = fest_test_server_request (server, "POST", "/auth/login", NULL,
                                       "{\"email\":\"nobody@test.festivals\",\"password\":\"nope-nope\"}",
                                       &other);
    g_assert_cmpuint (status, ==, 401);
    g_assert_cmpstr (fest_test_json_string (reply, "error.message"), ==,
                     fest_test_json_string (other, "error.message"));
  }
  g_clear_pointer (&reply, json_node_unref);

  /* Bad bodies. */
  status = fest_test_server_request (server, "POST", "/auth/login", NULL, "{\"email\": ", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL, "", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL, "[1,2]", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", NULL);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL,
                                     "{\"password\":\"x\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "email");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL,
                                     "{\"email\":\"a@b.c\",\"password\":12345678}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "password");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "POST", "/auth/login", NULL,
                                     "{\"email\":\"a@b.c\",\"password\":\"x\",\"festival_id\":42}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "festival_id");
}

static void
test_login_festival_choice (Fixture       *fixture,
                            gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *second = NULL;
  g_autofree char *token = NULL;
  guint status;

  /* The superadmin creates a second festival and makes organiser1 a cashier there. */
  second = fest_test_server_create_festival (server, fixture->fest.superadmin_token, "Second");
  status = fest_test_server_requestf (server, "POST", "/auth/festival",
                                      fixture->fest.superadmin_token, NULL,
                                      "{\"festival_id\":\"%s\"}", second);
  g_assert_cmpuint (status, ==, 200);
  status = fest_test_server_request (server, "POST", "/members", fixture->fest.superadmin_token,
                                     "{\"email\":\"organiser1@test.festivals\",\"name\":\"Organiser\","
                                     "\"password\":\"ignored for an existing account\",\"roles\":[\"CASHIER\"]}",
                                     NULL);
  g_assert_cmpuint (status, ==, 201);

  token = fest_test_server_login (server, "organiser1@test.festivals", FEST_TEST_PASSWORD, second);
  status = fest_test_server_request (server, "GET", "/me", token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.id"), ==, second);
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "CASHIER");
  g_assert_null (fest_test_json_get (reply, "data.roles.1"));
  g_clear_pointer (&reply, json_node_unref);

  /* Switch to the first festival: now an organiser. */
  status = fest_test_server_requestf (server, "POST", "/auth/festival", token, &reply,
                                      "{\"festival_id\":\"%s\"}", fixture->fest.festival_id);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.id"), ==,
                   fixture->fest.festival_id);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/me", token, NULL, &reply);
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "ORGANISER");
  g_clear_pointer (&reply, json_node_unref);

  /* A festival one is not a member of is unknown. */
  {
    g_autofree char *third = fest_test_server_create_festival (server, fixture->fest.superadmin_token,
                                                                "Third");
    status = fest_test_server_requestf (server, "POST", "/auth/festival", token, &reply,
                                        "{\"festival_id\":\"%s\"}", third);
    g_assert_cmpuint (status, ==, 404);
    fest_test_assert_error (reply, "NOT_FOUND", NULL);
    g_clear_pointer (&reply, json_node_unref);

    /* ... except for a superadmin. */
    status = fest_test_server_requestf (server, "POST", "/auth/festival",
                                        fixture->fest.superadmin_token, NULL,
                                        "{\"festival_id\":\"%s\"}", third);
    g_assert_cmpuint (status, ==, 200);
  }

  status = fest_test_server_request (server, "POST", "/auth/festival", token,
                                     "{\"festival_id\":\"not-a-uuid\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "festival_id");
}

static void
test_logout (Fixture       *fixture,
             gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *token = fest_test_server_login (server, "organiser1@test.festivals",
                                                   FEST_TEST_PASSWORD, NULL);
  guint status;

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, NULL), ==, 200);
  status = fest_test_server_request (server, "POST", "/auth/logout", token, NULL, NULL);
  g_assert_cmpuint (status, ==, 200);

  status = fest_test_server_request (server, "GET", "/me", token, NULL, &reply);
  g_assert_cmpuint (status, ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);

  /* The other session of the same account is untouched. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", fixture->fest.organiser_token,
                                              NULL, NULL), ==, 200);
}

static void
test_no_token (Fixture       *fixture,
               gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *routes[][2] = {
    { "GET", "/me" }, { "POST", "/auth/logout" }, { "POST", "/auth/festival" },
    { "GET", "/festivals" }, { "POST", "/festivals" }, { "GET", "/members" },
    { "POST", "/members" }, { "GET", "/devices" }, { "POST", "/devices" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      g_autofree char *bad = g_strnfill (64, 'a');
      const char *basic[] = { "Authorization", "Basic YWRtaW46YWRtaW4=", NULL };
      guint status;

      status = fest_test_server_request (server, routes[i][0], routes[i][1], NULL, "{}", &reply);
      g_assert_cmpuint (status, ==, 401);
      fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
      g_clear_pointer (&reply, json_node_unref);

      status = fest_test_server_request (server, routes[i][0], routes[i][1], bad, "{}", &reply);
      g_assert_cmpuint (status, ==, 401);
      fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
      g_clear_pointer (&reply, json_node_unref);

      status = fest_test_server_request_full (server, routes[i][0], routes[i][1], NULL, NULL, NULL,
                                              basic, NULL, &reply);
      g_assert_cmpuint (status, ==, 401);
      fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
    }
}

static void
test_token_expiry (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *token = NULL;

  fest_test_server_add_arg (server, "--token-lifetime=2");
  fest_test_server_start (server);
  fest_test_server_create_superadmin (server, "admin@test.festivals", FEST_TEST_PASSWORD);

  token = fest_test_server_login (server, "admin@test.festivals", FEST_TEST_PASSWORD, NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, NULL), ==, 200);

  g_usleep (3 * G_USEC_PER_SEC);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, &reply), ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Expired also after a restart (the expiry is stored, not only cached). */
  fest_test_server_stop (server);
  fest_test_server_start (server);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, &reply), ==, 401);
}

static void
test_me (Fixture       *fixture,
         gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (server, "GET", "/me", fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.id"), ==, fixture->fest.organiser_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.email"), ==,
                   "organiser1@test.festivals");
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.id"), ==,
                   fixture->fest.festival_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.currency_name"), ==, "Jetons");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "ORGANISER");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "GET", "/me", fixture->fest.superadmin_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.user.is_superadmin")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "SUPERADMIN");
}

/* The first account comes from --create-superadmin, which takes no name: the app names it. */
static void
test_me_rename (Fixture       *fixture,
                gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *device_token = NULL;
  guint status;
  const char *invalid[] = { "{}", "{\"name\":\"   \"}", "{\"name\":42}", "{\"name\":null}" };

  status = fest_test_server_request (server, "PATCH", "/me", fixture->fest.superadmin_token,
                                     "{\"name\":\"Camille Durand\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, "Camille Durand");
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.user.is_superadmin")));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/me", fixture->fest.superadmin_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, "Camille Durand");
  g_clear_pointer (&reply, json_node_unref);

  /* Any account names itself, not another one. */
  status = fest_test_server_request (server, "PATCH", "/me", fixture->fest.organiser_token,
                                     "{\"name\":\"" UNICODE_NAME "\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, UNICODE_NAME);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.id"), ==, fixture->fest.organiser_id);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/me", fixture->fest.superadmin_token, NULL,
                                     &reply);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, "Camille Durand");
  g_clear_pointer (&reply, json_node_unref);

  /* Bad input changes nothing. */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      status = fest_test_server_request (server, "PATCH", "/me", fixture->fest.superadmin_token,
                                         invalid[i], &reply);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", "name");
      g_clear_pointer (&reply, json_node_unref);
    }
  {
    g_autofree char *long_name = g_strnfill (201, 'a');

    status = fest_test_server_requestf (server, "PATCH", "/me", fixture->fest.superadmin_token,
                                        &reply, "{\"name\":\"%s\"}", long_name);
    g_assert_cmpuint (status, ==, 400);
    fest_test_assert_error (reply, "VALIDATION_FAILED", "name");
    g_clear_pointer (&reply, json_node_unref);
  }
  status = fest_test_server_request (server, "PATCH", "/me", fixture->fest.superadmin_token,
                                     "{\"name\": ", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/me", fixture->fest.superadmin_token, NULL,
                                     &reply);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, "Camille Durand");
  g_clear_pointer (&reply, json_node_unref);

  /* Without a token, or with a bad one: nobody to rename. */
  status = fest_test_server_request (server, "PATCH", "/me", NULL, "{\"name\":\"Mallory\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "PATCH", "/me", "not-a-token",
                                     "{\"name\":\"Mallory\"}", &reply);
  g_assert_cmpuint (status, ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* A station's device token has no account. */
  status = fest_test_server_requestf (server, "POST", "/devices", fixture->fest.organiser_token,
                                      &reply, "{\"name\":\"Gate 1\",\"mode\":\"scanner\"}");
  g_assert_cmpuint (status, ==, 201);
  device_token = g_strdup (fest_test_json_string (reply, "data.token"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "PATCH", "/me", device_token,
                                     "{\"name\":\"Mallory\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
}

static void
test_festival_create (Fixture       *fixture,
                      gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *cashier = NULL;
  guint status;
  struct
  {
    const char *body;
    const char *field;
  } invalid[] = {
    { "{\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10}", "name" },
    { "{\"name\":42,\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10}", "name" },
    { "{\"name\":\"F\",\"starts_at\":\"yesterday\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10}", "starts_at" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-10T12:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10}", "ends_at" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Mars/Olympus\",\"currency_name\":\"J\",\"exchange_rate_cents\":10}", "timezone" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":0}",
      "exchange_rate_cents" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":\"10\"}",
      "exchange_rate_cents" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10.5}",
      "exchange_rate_cents" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"exchange_rate_cents\":10}", "currency_name" },
    { "{\"name\":\"F\",\"starts_at\":\"2026-07-10T12:00:00Z\",\"ends_at\":\"2026-07-13T02:00:00Z\","
      "\"timezone\":\"Europe/Paris\",\"currency_name\":\"J\",\"exchange_rate_cents\":10,"
      "\"location\":{\"lat\":91,\"lng\":0}}", "location.lat" },
  };

  /* An organiser creates one and becomes its organiser. */
  status = fest_test_server_requestf (server, "POST", "/festivals", fixture->fest.organiser_token,
                                      &reply, FESTIVAL_BODY, "Festival des Lumières");
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (g_uuid_string_is_valid (fest_test_json_string (reply, "data.id")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Festival des Lumières");
  g_assert_cmpstr (fest_test_json_string (reply, "data.starts_at"), ==, "2026-07-10T12:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.ends_at"), ==, "2026-07-13T02:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.timezone"), ==, "Europe/Paris");
  g_assert_cmpstr (fest_test_json_string (reply, "data.currency_name"), ==, "Jetons");
  g_assert_cmpint (fest_test_json_int (reply, "data.exchange_rate_cents"), ==, 10);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.location.lat")),
                                  45.75, 1e-9);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.location.lng")),
                                  4.85, 1e-9);
  g_assert_cmpint (fest_test_json_int (reply, "data.offline_allowance"), ==, 0);
  g_assert_nonnull (fest_test_json_string (reply, "data.created_at"));
  g_assert_nonnull (fest_test_json_string (reply, "data.updated_at"));

  /* Its store exists, with the key pair. */
  {
    FestDb *db = fest_test_server_open_db (server, fest_test_json_string (reply, "data.id"), FALSE);
    g_autoptr(JsonNode) switched = NULL;

    g_assert_cmpint (fest_test_db_query_int (db, "SELECT length(ticket_public_key) FROM festival"), ==, 32);
    g_assert_cmpint (fest_test_db_query_int (db, "SELECT length(ticket_secret_key) FROM festival"), ==, 64);
    g_assert_cmpint (fest_test_db_query_int (db, "SELECT count(*) FROM audit_log WHERE action = 'festival.create'"
                                                 " AND actor_id = '%s' AND ip_address = '127.0.0.1'",
                                             fixture->fest.organiser_id), ==, 1);
    fest_db_free (db);

    /* The creator's current token can switch to it, as ORGANISER. */
    g_assert_cmpuint (fest_test_server_requestf (server, "POST", "/auth/festival",
                                                 fixture->fest.organiser_token, &switched,
                                                 "{\"festival_id\":\"%s\"}",
                                                 fest_test_json_string (reply, "data.id")), ==, 200);
    g_assert_cmpstr (fest_test_json_string (switched, "data.roles.0"), ==, "ORGANISER");
  }
  g_clear_pointer (&reply, json_node_unref);

  /* Validation names the field. */
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      status = fest_test_server_request (server, "POST", "/festivals",
                                         fixture->fest.superadmin_token, invalid[i].body, &reply);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", invalid[i].field);
      g_clear_pointer (&reply, json_node_unref);
    }

  /* A cashier may not create festivals. */
  cashier = fest_test_server_add_member (server, fixture->fest.superadmin_token,
                                         fixture->fest.festival_id, "cashier@test.festivals",
                                         "CASHIER", NULL);
  status = fest_test_server_requestf (server, "POST", "/festivals", cashier, &reply, FESTIVAL_BODY,
                                      "Nope");
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
}

static void
test_festival_list (Fixture       *fixture,
                    gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("Extra %u", i);
      g_autofree char *id = fest_test_server_create_festival (server, fixture->fest.superadmin_token,
                                                              name);
    }

  /* The organiser sees only their festival... */
  status = fest_test_server_request (server, "GET", "/festivals", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, fixture->fest.festival_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.roles.0"), ==, "ORGANISER");
  g_clear_pointer (&reply, json_node_unref);

  /* ... the superadmin every one, paginated. */
  status = fest_test_server_request (server, "GET", "/festivals?page=2&per_page=3",
                                     fixture->fest.superadmin_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 4);
  g_assert_cmpint (fest_test_json_int (reply, "meta.page"), ==, 2);
  g_assert_cmpint (fest_test_json_int (reply, "meta.perPage"), ==, 3);
  g_assert_nonnull (fest_test_json_get (reply, "data.0"));
  g_assert_null (fest_test_json_get (reply, "data.1"));
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "GET", "/festivals?per_page=501",
                                     fixture->fest.superadmin_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "per_page");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "GET", "/festivals?page=zero",
                                     fixture->fest.superadmin_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "page");
}

static void
test_festival_get_patch (Fixture       *fixture,
                         gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/festivals/%s", fixture->fest.festival_id);
  g_autofree char *other_id = NULL;
  g_autofree char *other_path = NULL;
  g_autofree char *cashier = NULL;
  guint status;

  status = fest_test_server_request (server, "GET", path, fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Main festival");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"name\":\"Renamed\",\"offline_allowance\":500,"
                                     "\"location\":{\"lat\":48.85,\"lng\":2.35}}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Renamed");
  g_assert_cmpint (fest_test_json_int (reply, "data.offline_allowance"), ==, 500);
  g_assert_cmpstr (fest_test_json_string (reply, "data.currency_name"), ==, "Jetons");
  g_clear_pointer (&reply, json_node_unref);

  /* The login list follows the rename. */
  status = fest_test_server_requestf (server, "POST", "/auth/login", NULL, &reply,
                                      "{\"email\":\"organiser1@test.festivals\",\"password\":\"%s\"}",
                                      FEST_TEST_PASSWORD);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festivals.0.name"), ==, "Renamed");
  g_clear_pointer (&reply, json_node_unref);

  /* ends_at must stay after starts_at, also when only one of them changes. */
  status = fest_test_server_request (server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"ends_at\":\"2026-07-01T00:00:00Z\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "ends_at");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"exchange_rate_cents\":-3}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "exchange_rate_cents");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "PATCH", path, fixture->fest.organiser_token,
                                     "{\"name\":", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* A cashier of the festival may read it but not change it. */
  cashier = fest_test_server_add_member (server, fixture->fest.organiser_token,
                                         fixture->fest.festival_id, "cashier@test.festivals",
                                         "CASHIER", NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", path, cashier, NULL, NULL), ==, 200);
  status = fest_test_server_request (server, "PATCH", path, cashier, "{\"name\":\"Mine\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival's id is unknown to this organiser. */
  other_id = fest_test_server_create_festival (server, fixture->fest.superadmin_token, "Other");
  other_path = g_strdup_printf ("/festivals/%s", other_id);
  status = fest_test_server_request (server, "GET", other_path, fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "PATCH", other_path, fixture->fest.organiser_token,
                                     "{\"name\":\"Taken over\"}", &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/festivals/not-an-id",
                                     fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* The superadmin still sees the other festival unchanged. */
  status = fest_test_server_request (server, "GET", other_path, fixture->fest.superadmin_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Other");
}

static void
test_unicode_and_sql (Fixture       *fixture,
                      gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *names[] = { UNICODE_NAME, SQL_NAME };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) reply = NULL;
      g_autofree char *text = NULL;
      g_autofree char *path = NULL;
      guint status;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, names[i]);
      json_builder_set_member_name (builder, "currency_name");
      json_builder_add_string_value (builder, names[i]);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      text = json_to_string (body, FALSE);

      path = g_strdup_printf ("/festivals/%s", fixture->fest.festival_id);
      status = fest_test_server_request (server, "PATCH", path, fixture->fest.organiser_token, text,
                                         &reply);
      g_assert_cmpuint (status, ==, 200);
      g_clear_pointer (&reply, json_node_unref);

      status = fest_test_server_request (server, "GET", path, fixture->fest.organiser_token, NULL,
                                         &reply);
      g_assert_cmpuint (status, ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, names[i]);
      g_assert_cmpstr (fest_test_json_string (reply, "data.currency_name"), ==, names[i]);
    }
}

/* A body over 1 MiB is refused with 413, announced by Content-Length... */
static void
test_body_limit_length (Fixture       *fixture,
                        gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  gsize size = 2 * 1024 * 1024;
  char *text = g_malloc (size);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  memset (text, ' ', size);
  text[0] = '{';
  text[size - 1] = '}';
  body = g_bytes_new_take (text, size);

  status = fest_test_server_request_full (server, "POST", "/members", fixture->fest.organiser_token,
                                          "application/json", body, NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 413);
  fest_test_assert_error (reply, "PAYLOAD_TOO_LARGE", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Just under the limit is parsed (and then validated). */
  {
    gsize small = 1024 * 1024 - 16;
    char *under = g_malloc (small);
    g_autoptr(GBytes) under_body = NULL;

    memset (under, ' ', small);
    under[0] = '{';
    under[small - 1] = '}';
    under_body = g_bytes_new_take (under, small);
    status = fest_test_server_request_full (server, "POST", "/members",
                                            fixture->fest.organiser_token, "application/json",
                                            under_body, NULL, NULL, &reply);
    g_assert_cmpuint (status, ==, 400);
    fest_test_assert_error (reply, "VALIDATION_FAILED", "email");
  }

  /* The server is still fine. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

/* ... or arriving in chunks without a length. */
typedef struct
{
  GInputStream parent_instance;
  gsize        remaining;
} BigStream;

typedef GInputStreamClass BigStreamClass;

GType big_stream_get_type (void);
G_DEFINE_TYPE (BigStream, big_stream, G_TYPE_INPUT_STREAM)

static gssize
big_stream_read (GInputStream  *stream,
                 void          *buffer,
                 gsize          count,
                 GCancellable  *cancellable,
                 GError       **error)
{
  BigStream *self = (BigStream *) stream;
  gsize n = MIN (count, self->remaining);

  memset (buffer, ' ', n);
  self->remaining -= n;
  return n;
}

static gboolean
big_stream_close (GInputStream  *stream,
                  GCancellable  *cancellable,
                  GError       **error)
{
  return TRUE;
}

static void
big_stream_class_init (BigStreamClass *klass)
{
  klass->read_fn = big_stream_read;
  klass->close_fn = big_stream_close;
}

static void
big_stream_init (BigStream *self)
{
}

static void
test_body_limit_chunked (Fixture       *fixture,
                         gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autofree char *uri = g_strconcat (fest_test_server_get_url (server), "/api/v1/members", NULL);
  g_autofree char *authorization = g_strdup_printf ("Bearer %s", fixture->fest.organiser_token);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GInputStream) stream = g_object_new (big_stream_get_type (), NULL);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) reply = NULL;

  ((BigStream *) stream)->remaining = 8 * 1024 * 1024;
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  /* Length -1: Transfer-Encoding: chunked. */
  soup_message_set_request_body (msg, "application/json", stream, -1);
  g_assert_cmpint (soup_message_headers_get_encoding (soup_message_get_request_headers (msg)), ==,
                   SOUP_ENCODING_CHUNKED);

  response = soup_session_send_and_read (fest_test_server_get_session (server), msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 413);
  reply = json_from_string (g_bytes_get_data (response, NULL), NULL);
  fest_test_assert_error (reply, "PAYLOAD_TOO_LARGE", NULL);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

static void
test_rate_limit (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_RATE_LIMIT);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  const char *body = "{\"email\":\"nobody@test.festivals\",\"password\":\"guess-guess\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  guint status;
  guint64 retry_after;

  /* Login: 10 wrong passwords lock the e-mail, then 429 with Retry-After. */
  for (guint i = 0; i < 10; i++)
    {
      status = fest_test_server_request (server, "POST", "/auth/login", NULL, body, NULL);
      g_assert_cmpuint (status, ==, 401);
    }

  status = fest_test_server_request_full (server, "POST", "/auth/login", NULL, "application/json",
                                          bytes, NULL, &headers, &reply);
  g_assert_cmpuint (status, ==, 429);
  fest_test_assert_error (reply, "RATE_LIMITED", NULL);
  g_assert_nonnull (soup_message_headers_get_one (headers, "Retry-After"));
  g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (headers, "Retry-After"),
                                             10, 1, 60, &retry_after, NULL));

  /* Other routes have their own budget. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/health", NULL, NULL, NULL), ==, 200);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/platform/health", test_health);
  g_test_add_func ("/fest/platform/unknown-route", test_unknown_route);
  g_test_add ("/fest/platform/login", Fixture, NULL, fixture_setup, test_login, fixture_teardown);
  g_test_add ("/fest/platform/login-festival-choice", Fixture, NULL, fixture_setup,
              test_login_festival_choice, fixture_teardown);
  g_test_add ("/fest/platform/logout", Fixture, NULL, fixture_setup, test_logout, fixture_teardown);
  g_test_add ("/fest/platform/no-token", Fixture, NULL, fixture_setup, test_no_token,
              fixture_teardown);
  g_test_add_func ("/fest/platform/token-expiry", test_token_expiry);
  g_test_add ("/fest/platform/me", Fixture, NULL, fixture_setup, test_me, fixture_teardown);
  g_test_add ("/fest/platform/me-rename", Fixture, NULL, fixture_setup, test_me_rename,
              fixture_teardown);
  g_test_add ("/fest/platform/festival-create", Fixture, NULL, fixture_setup, test_festival_create,
              fixture_teardown);
  g_test_add ("/fest/platform/festival-list", Fixture, NULL, fixture_setup, test_festival_list,
              fixture_teardown);
  g_test_add ("/fest/platform/festival-get-patch", Fixture, NULL, fixture_setup,
              test_festival_get_patch, fixture_teardown);
  g_test_add ("/fest/platform/unicode-and-sql", Fixture, NULL, fixture_setup, test_unicode_and_sql,
              fixture_teardown);
  g_test_add ("/fest/platform/body-limit-length", Fixture, NULL, fixture_setup,
              test_body_limit_length, fixture_teardown);
  g_test_add ("/fest/platform/body-limit-chunked", Fixture, NULL, fixture_setup,
              test_body_limit_chunked, fixture_teardown);
  g_test_add_func ("/fest/platform/rate-limit", test_rate_limit);

  return g_test_run ();
}
