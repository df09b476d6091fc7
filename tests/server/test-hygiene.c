/* test-hygiene.c: input the server must refuse rather than bend (NUL in JSON strings, malformed
 * filters) and the modes of the files it writes, over a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), SQLite-only behaviour is skipped:
 * - /fest/hygiene/file-modes (the modes of the SQLite files, their WAL files, in the data dir).
 */

#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>

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

/* GET @path as the organiser; asserts 400 VALIDATION_FAILED on @field. */
static void
assert_bad_filter (Fixture    *fixture,
                   const char *path,
                   const char *field)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token,
                                     NULL, &reply);
  if (status != 400)
    g_error ("GET %s answered %u, not 400", path, status);
  fest_test_assert_error (reply, "VALIDATION_FAILED", field);
}

static gint64
total_of (Fixture    *fixture,
          const char *path)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", path,
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static void
test_audit_filters (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/stands",
                                              fixture->fest.organiser_token,
                                              "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply), ==, 201);
  stand_id = g_strdup (fest_test_json_string (reply, "data.id"));
  path = g_strdup_printf ("/stands/%s", stand_id);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "PATCH", path,
                                              fixture->fest.organiser_token, "{\"name\":\"Bar 2\"}",
                                              NULL), ==, 200);

  /* The action filter answers what it is asked. */
  g_assert_cmpint (total_of (fixture, "/audit?action=stand.create"), ==, 1);
  g_assert_cmpint (total_of (fixture, "/audit?action=stand.update&entity_type=stand"), ==, 1);
  g_assert_cmpint (total_of (fixture, "/audit?action=ticket.scan"), ==, 0);

  assert_bad_filter (fixture, "/audit?action=", "action");
  assert_bad_filter (fixture, "/audit?action=stand", "action");
  assert_bad_filter (fixture, "/audit?action=stand.create'%20OR%201=1--", "action");
  assert_bad_filter (fixture, "/audit?entity_type=", "entity_type");
  assert_bad_filter (fixture, "/audit?entity_type=Stand!", "entity_type");
  assert_bad_filter (fixture, "/audit?entity_id=42", "entity_id");
  assert_bad_filter (fixture, "/audit?actor_id=someone", "actor_id");
}

static void
test_stats_filters (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *key = g_strdup_printf ("hygiene-%d", g_random_int ());
  const char *headers[] = { "Idempotency-Key", key, NULL };
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *wallet = NULL;

  assert_bad_filter (fixture, "/stats?from=", "from");
  assert_bad_filter (fixture, "/stats?from=yesterday", "from");
  assert_bad_filter (fixture, "/stats?to=2026-13-45T99:00:00Z", "to");
  assert_bad_filter (fixture, "/stats?from=2026-07-12T00:00:00Z&to=2026-07-11T00:00:00Z", "to");

  /* A recharge now: inside a period that contains now, outside one in the past. */
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/wallets",
                                              fixture->fest.organiser_token, "{}", &reply), ==, 201);
  wallet = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":500,"
                          "\"payment_method\":\"CASH\"}", wallet);
  bytes = g_bytes_new (body, strlen (body));
  g_assert_cmpuint (fest_test_server_request_full (fixture->server, "POST", "/transactions",
                                                   fixture->fest.organiser_token,
                                                   "application/json", bytes, headers, NULL, NULL),
                    ==, 201);

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET",
                                              "/stats?from=2000-01-01T00:00:00Z",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.recharges.count"), ==, 1);
  g_assert_cmpint (fest_test_json_int (reply, "data.recharges.amount"), ==, 500);
  g_assert_cmpstr (fest_test_json_string (reply, "data.period.from"), ==, "2000-01-01T00:00:00Z");
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET",
                                              "/stats?from=2000-01-01T00:00:00Z&to=2001-01-01T00:00:00%2B01:00",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.recharges.count"), ==, 0);
  g_assert_cmpint (fest_test_json_int (reply, "data.transactions.count"), ==, 0);
  /* The float is what the wallets hold now, whatever the period. */
  g_assert_cmpint (fest_test_json_int (reply, "data.float"), ==, 500);
}

/* Every file of the data dir is the owner's only: 0600 in a 0700 directory. */
static void
assert_private (const char *data_dir)
{
  g_autoptr(GDir) dir = g_dir_open (data_dir, 0, NULL);
  const char *name;
  GStatBuf st;
  guint wal_files = 0;

  g_assert_nonnull (dir);
  g_assert_cmpint (g_stat (data_dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (data_dir, name, NULL);

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      if ((st.st_mode & 0777) != 0600)
        g_error ("%s has mode %o, not 600", name, st.st_mode & 0777);
      if (g_str_has_suffix (name, "-wal") || g_str_has_suffix (name, "-shm"))
        wal_files++;
    }

  /* platform.db's and the festival's, while the server runs. */
  g_assert_cmpuint (wal_files, >=, 4);
}

static void
test_file_modes (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(FestTestServer) demo = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the modes of the store's files and their WAL files in the data dir");
      return;
    }
  g_assert_cmpuint (fest_test_server_request (fixture->server, "POST", "/stands",
                                              fixture->fest.organiser_token,
                                              "{\"name\":\"Bar\",\"type\":\"BAR\"}", NULL), ==, 201);
  assert_private (fest_test_server_get_data_dir (fixture->server));

  /* The demo writes a site plan (an MBTiles database) next to its festival. */
  demo = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  fest_test_server_add_arg (demo, "--demo");
  fest_test_server_start (demo);
  assert_private (fest_test_server_get_data_dir (demo));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  /* What most systems use: files the server does not restrict itself would come out 0644. */
  umask (022);

  g_test_add ("/fest/hygiene/nul-in-json", Fixture, NULL, fixture_setup, test_nul_in_json,
              fixture_teardown);
  g_test_add ("/fest/hygiene/audit-filters", Fixture, NULL, fixture_setup, test_audit_filters,
              fixture_teardown);
  g_test_add ("/fest/hygiene/stats-filters", Fixture, NULL, fixture_setup, test_stats_filters,
              fixture_teardown);
  g_test_add ("/fest/hygiene/file-modes", Fixture, NULL, fixture_setup, test_file_modes,
              fixture_teardown);

  return g_test_run ();
}
