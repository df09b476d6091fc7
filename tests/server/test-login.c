/* test-login.c: the login throttle (per account, per address) and --trusted-proxy, over a real
 * server with its rate limiter on
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-test-server.h"

#define ORGANISER_EMAIL "organiser@test.festivals"
#define WRONG_PASSWORD  "a wrong guess"

/* Free consecutive failures of one account before it is locked (README, fest-rate-limit.h). */
#define FREE_FAILURES   9
/* Refused attempts a minute per address. More than that are sent to exhaust it: the bucket
 * refills while the test runs. */
#define ADDRESS_BUDGET  100
#define EXHAUST         (ADDRESS_BUDGET + 40)

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
} Fixture;

static void
start_server (Fixture    *fixture,
              const char *trusted_proxy)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_RATE_LIMIT | FEST_TEST_SERVER_NO_START);
  if (trusted_proxy != NULL)
    {
      fest_test_server_add_arg (fixture->server, "--trusted-proxy");
      fest_test_server_add_arg (fixture->server, trusted_proxy);
    }
  fest_test_server_start (fixture->server);
  fest_test_server_setup_festival (fixture->server, "Throttled festival", &fixture->fest);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  start_server (fixture, NULL);
}

static void
fixture_setup_proxy (Fixture       *fixture,
                     gconstpointer  data)
{
  start_server (fixture, "127.0.0.1");
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  g_clear_pointer (&fixture->server, fest_test_server_free);
}

/* POST /auth/login with an optional X-Forwarded-For. Returns the status; on 429 asserts
 * RATE_LIMITED with a Retry-After of 1 s to 1 h and stores it in *retry_after (nullable). */
static guint
login (FestTestServer *server,
       const char     *email,
       const char     *password,
       const char     *forwarded_for,
       guint64        *retry_after)
{
  g_autofree char *body = g_strdup_printf ("{\"email\":\"%s\",\"password\":\"%s\"}", email,
                                           password);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "X-Forwarded-For", forwarded_for, NULL };
  g_autoptr(SoupMessageHeaders) response_headers = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request_full (server, "POST", "/auth/login", NULL, "application/json",
                                          bytes, forwarded_for != NULL ? headers : NULL,
                                          &response_headers, &reply);
  if (status == 429)
    {
      guint64 seconds = 0;

      fest_test_assert_error (reply, "RATE_LIMITED", NULL);
      g_assert_true (g_ascii_string_to_unsigned (soup_message_headers_get_one (response_headers,
                                                                               "Retry-After"),
                                                 10, 1, 3600, &seconds, NULL));
      if (retry_after != NULL)
        *retry_after = seconds;
    }
  else if (status == 401)
    fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  return status;
}

/* Locks @email with wrong passwords, then keeps trying until the address has no budget left. */
static void
exhaust_address (FestTestServer *server,
                 const char     *email,
                 const char     *forwarded_for)
{
  for (guint i = 0; i < FREE_FAILURES + 1; i++)
    g_assert_cmpuint (login (server, email, WRONG_PASSWORD, forwarded_for, NULL), ==, 401);
  for (guint i = FREE_FAILURES + 1; i < EXHAUST; i++)
    g_assert_cmpuint (login (server, email, WRONG_PASSWORD, forwarded_for, NULL), ==, 429);
}

/* One account guessed at is locked; the others, from the same address, still log in. */
static void
test_per_account (Fixture       *fixture,
                  gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *admin = fixture->fest.superadmin_email;
  guint64 retry_after = 0;

  for (guint i = 0; i < FREE_FAILURES + 1; i++)
    g_assert_cmpuint (login (server, ORGANISER_EMAIL, WRONG_PASSWORD, NULL, NULL), ==, 401);

  /* Locked for a minute: even the right password is not checked. */
  g_assert_cmpuint (login (server, ORGANISER_EMAIL, WRONG_PASSWORD, NULL, &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, >, 50);
  g_assert_cmpuint (retry_after, <=, 60);
  g_assert_cmpuint (login (server, ORGANISER_EMAIL, FEST_TEST_PASSWORD, NULL, NULL), ==, 429);
  /* The e-mail as the database compares it: case does not make a new account. */
  g_assert_cmpuint (login (server, "Organiser@TEST.festivals", FEST_TEST_PASSWORD, NULL, NULL), ==,
                    429);

  /* Another account from the same address. */
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, NULL, NULL), ==, 200);

  /* A correct password clears the count: failures must be consecutive. */
  for (guint round = 0; round < 2; round++)
    {
      for (guint i = 0; i < FREE_FAILURES; i++)
        g_assert_cmpuint (login (server, admin, WRONG_PASSWORD, NULL, NULL), ==, 401);
      g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, NULL, NULL), ==, 200);
    }

  /* An unknown e-mail is throttled exactly like a known one. */
  for (guint i = 0; i < FREE_FAILURES + 1; i++)
    g_assert_cmpuint (login (server, "nobody@test.festivals", WRONG_PASSWORD, NULL, NULL), ==, 401);
  g_assert_cmpuint (login (server, "nobody@test.festivals", WRONG_PASSWORD, NULL, &retry_after), ==,
                    429);
  g_assert_cmpuint (retry_after, >, 50);
  g_assert_cmpuint (retry_after, <=, 60);
}

/* Without --trusted-proxy, X-Forwarded-For is the client's word: it neither spreads one address
 * over many buckets nor reaches the audit log. */
static void
test_forged_forwarded_for (Fixture       *fixture,
                           gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  const char *headers[] = { "X-Forwarded-For", "192.0.2.44", NULL };
  g_autoptr(GBytes) stand = g_bytes_new_static ("{\"name\":\"Bar\",\"type\":\"BAR\"}", 27);
  guint64 retry_after = 0;

  for (guint i = 0; i < EXHAUST; i++)
    {
      g_autofree char *forged = g_strdup_printf ("198.51.100.%u", i % 250 + 1);
      guint expected = i <= FREE_FAILURES ? 401 : 429;

      g_assert_cmpuint (login (server, ORGANISER_EMAIL, WRONG_PASSWORD, forged, NULL), ==, expected);
    }

  /* The address is spent: another account's right password waits too, whatever it claims. */
  g_assert_cmpuint (login (server, fixture->fest.superadmin_email, FEST_TEST_PASSWORD,
                           "203.0.113.9", &retry_after), ==, 429);
  g_assert_cmpuint (retry_after, <=, 60);

  g_assert_cmpuint (fest_test_server_request_full (server, "POST", "/stands",
                                                   fixture->fest.organiser_token,
                                                   "application/json", stand, headers, NULL, NULL),
                    ==, 201);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/audit?entity_type=stand",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.ip_address"), ==, "127.0.0.1");
}

/* Behind a trusted proxy, each forwarded client has its own budget and its address is audited. */
static void
test_trusted_proxy (Fixture       *fixture,
                    gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *admin = fixture->fest.superadmin_email;
  g_autoptr(JsonNode) reply = NULL;
  const char *headers[] = { "X-Forwarded-For", "10.9.8.7, 192.0.2.44", NULL };
  g_autoptr(GBytes) stand = g_bytes_new_static ("{\"name\":\"Bar\",\"type\":\"BAR\"}", 27);

  exhaust_address (server, "nobody@test.festivals", "203.0.113.1");
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, "203.0.113.1", NULL), ==, 429);
  /* A trusted hop after it changes nothing. */
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, "203.0.113.1, 127.0.0.1", NULL), ==,
                    429);

  /* Other clients of the proxy, and the proxy's own requests, are not held. */
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, "198.51.100.2", NULL), ==, 200);
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, NULL, NULL), ==, 200);
  /* What the client put left of the proxy's entry is not believed: the right-most one counts. */
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, "198.51.100.2, 203.0.113.1", NULL),
                    ==, 429);
  g_assert_cmpuint (login (server, admin, FEST_TEST_PASSWORD, "203.0.113.1, 198.51.100.3", NULL),
                    ==, 200);

  g_assert_cmpuint (fest_test_server_request_full (server, "POST", "/stands",
                                                   fixture->fest.organiser_token,
                                                   "application/json", stand, headers, NULL, NULL),
                    ==, 201);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/audit?entity_type=stand",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.ip_address"), ==, "192.0.2.44");
}

static void
test_bad_trusted_proxy (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *err = NULL;
  int status;

  status = fest_test_server_run_command (server, NULL, NULL, &err, "--listen", "127.0.0.1:0",
                                         "--trusted-proxy", "proxy.example", NULL);
  g_assert_cmpint (status, !=, 0);
  g_assert_nonnull (strstr (err, "proxy.example"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/login/throttle-per-account", Fixture, NULL, fixture_setup, test_per_account,
              fixture_teardown);
  g_test_add ("/fest/login/forged-forwarded-for", Fixture, NULL, fixture_setup,
              test_forged_forwarded_for, fixture_teardown);
  g_test_add ("/fest/login/trusted-proxy", Fixture, NULL, fixture_setup_proxy, test_trusted_proxy,
              fixture_teardown);
  g_test_add_func ("/fest/login/bad-trusted-proxy", test_bad_trusted_proxy);

  return g_test_run ();
}
