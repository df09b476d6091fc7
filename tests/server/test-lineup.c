/* test-lineup.c: stages, artists, slots and GET /lineup.ics over a real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), SQLite-only behaviour is skipped:
 * - /fest/lineup/migrate-from-v7 (it rewrites the festival file as SQLite schema version 7).
 */

#include "config.h"

#include <string.h>

#include <sqlite3.h>

#include "fest-core.h"
#include "fest-test-server.h"

static GDateTime *
parse_time (const char *text)
{
  GDateTime *time = g_date_time_new_from_iso8601 (text, NULL);

  g_assert_nonnull (time);
  return time;
}

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
  char             *cashier_token;
  char             *cashier_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Lineup fest", &f->fest);
  f->cashier_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                  "cashier@test.festivals", "CASHIER", &f->cashier_id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->cashier_token);
  g_free (f->cashier_id);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

/* POSTs @body to @path as the organiser, asserts 201 and returns data.id. */
static char *
create (Fixture    *f,
        const char *path,
        const char *body)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = fest_test_server_request (f->server, "POST", path, f->fest.organiser_token, body, &reply);

  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static char *
create_slot (Fixture    *f,
             const char *stage,
             const char *artist,
             const char *start,
             const char *end)
{
  g_autofree char *body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"%s\","
                                           "\"end_time\":\"%s\"}", stage, artist, start, end);

  return create (f, "/slots", body);
}

/* Asserts that @method @path with @body answers @status and error @code naming @field. */
static void
assert_refused (Fixture    *f,
                const char *method,
                const char *path,
                const char *token,
                const char *body,
                guint       status,
                const char *code,
                const char *field)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, method, path, token, body, &reply), ==, status);
  fest_test_assert_error (reply, code, field);
}

static void
test_stages (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *main_stage = create (f, "/stages", "{\"name\":\"Scène Été 🎸\",\"capacity\":12000,"
                                        "\"location\":{\"lat\":45.75,\"lng\":4.85}}");
  g_autofree char *tent = create (f, "/stages", "{\"name\":\"Acoustic tent\"}");
  g_autofree char *path = g_strdup_printf ("/stages/%s", main_stage);
  guint status;

  status = fest_test_server_request (f->server, "GET", path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Scène Été 🎸");
  g_assert_cmpint (fest_test_json_int (reply, "data.capacity"), ==, 12000);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.location.lng")), 4.85,
                                  1e-9);
  g_clear_pointer (&reply, json_node_unref);

  /* Listed by name. */
  status = fest_test_server_request (f->server, "GET", "/stages", f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, tent);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.capacity")));
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.location")));
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"capacity\":null,\"location\":null}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.capacity")));
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.location")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Scène Été 🎸");
  g_clear_pointer (&reply, json_node_unref);

  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"capacity\":10}", 400, "VALIDATION_FAILED",
                  "name");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":\"  \"}", 400, "VALIDATION_FAILED",
                  "name");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":\"A\",\"capacity\":-1}", 400,
                  "VALIDATION_FAILED", "capacity");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":\"A\",\"capacity\":\"big\"}", 400,
                  "VALIDATION_FAILED", "capacity");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token,
                  "{\"name\":\"A\",\"location\":{\"lat\":91,\"lng\":0}}", 400, "VALIDATION_FAILED", "location.lat");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":", 400, "MALFORMED_JSON", NULL);
  assert_refused (f, "GET", "/stages/not-a-uuid", f->fest.organiser_token, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "PATCH", "/stages/99999999-9999-4999-8999-999999999999", f->fest.organiser_token,
                  "{\"name\":\"X\"}", 404, "NOT_FOUND", NULL);

  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "GET", path, f->fest.organiser_token, NULL, 404, "NOT_FOUND", NULL);
}

static void
test_artists (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  guint status;

  status = fest_test_server_request (f->server, "POST", "/artists", f->fest.organiser_token,
                                     "{\"name\":\"Daft Punk\",\"type\":\"DJ\",\"guest_quota\":4,"
                                     "\"rider\":{\"technical\":\"2 CDJ-3000\",\"hospitality\":\"water, tea\"},"
                                     "\"contact_email\":\"booking@daft.example\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "DJ");
  g_assert_cmpint (fest_test_json_int (reply, "data.guest_quota"), ==, 4);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "2 CDJ-3000");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "water, tea");
  g_assert_cmpstr (fest_test_json_string (reply, "data.contact_email"), ==, "booking@daft.example");
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.user_id")));
  g_clear_pointer (&reply, json_node_unref);

  /* An artist account must be a member of the festival. */
  path = g_strdup_printf ("/artists/%s", id);
  body = g_strdup_printf ("{\"user_id\":\"%s\",\"type\":null}", f->cashier_id);
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token, body, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user_id"), ==, f->cashier_id);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.type")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "2 CDJ-3000");
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "PATCH", path, f->fest.organiser_token,
                  "{\"user_id\":\"99999999-9999-4999-8999-999999999999\"}", 400, "VALIDATION_FAILED", "user_id");

  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"type\":\"ORCHESTRA\"}", 400,
                  "VALIDATION_FAILED", "type");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"rider\":[1]}", 400,
                  "VALIDATION_FAILED", "rider");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"guest_quota\":1.5}", 400,
                  "VALIDATION_FAILED", "guest_quota");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"user_id\":\"me\"}", 400,
                  "VALIDATION_FAILED", "user_id");
  /* A rider is {technical, hospitality}, strings of at most 4,000 characters. */
  assert_refused (f, "POST", "/artists", f->fest.organiser_token,
                  "{\"name\":\"X\",\"rider\":{\"towels\":\"12\"}}", 400, "VALIDATION_FAILED", "rider.towels");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token,
                  "{\"name\":\"X\",\"rider\":{\"technical\":[\"CDJ\"]}}", 400, "VALIDATION_FAILED",
                  "rider.technical");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token,
                  "{\"name\":\"X\",\"rider\":{\"hospitality\":null}}", 400, "VALIDATION_FAILED",
                  "rider.hospitality");
  {
    g_autofree char *long_text = g_strnfill (4001, 'r');
    g_autofree char *long_body = g_strdup_printf ("{\"name\":\"X\",\"rider\":{\"technical\":\"%s\"}}",
                                                  long_text);

    assert_refused (f, "POST", "/artists", f->fest.organiser_token, long_body, 400, "VALIDATION_FAILED",
                    "rider.technical");
    long_body[strlen (long_body) - 4] = '\0';
    g_free (long_text);
    long_text = g_strdup_printf ("%s\"}}", long_body);
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/artists", f->fest.organiser_token, long_text,
                                                &reply), ==, 201);
    g_assert_cmpuint (strlen (fest_test_json_string (reply, "data.rider.technical")), ==, 4000);
    g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "");
    g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.contact_email")));
    g_clear_pointer (&reply, json_node_unref);
  }
  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"contact_email\":\"booking\"}",
                  400, "VALIDATION_FAILED", "contact_email");
  assert_refused (f, "POST", "/artists", f->fest.organiser_token, "{\"name\":\"X\",\"contact_email\":7}", 400,
                  "VALIDATION_FAILED", "contact_email");

  /* PATCH keeps the rider's other half; contact_email may be cleared; OTHER is a type. */
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"rider\":{\"hospitality\":\"Sparkling water\"},\"contact_email\":null,"
                                     "\"type\":\"OTHER\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "2 CDJ-3000");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Sparkling water");
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.contact_email")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "OTHER");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/artists", f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Daft Punk");
  g_clear_pointer (&reply, json_node_unref);

  /* A rider written before {technical, hospitality} (any JSON object) is served with both keys, ""
   * for what it lacks, and a PATCH of one half keeps the other. */
  {
    g_autofree char *sql = g_strdup_printf ("UPDATE artists SET rider = '{\"drinks\":[\"tea\"],\"technical\":5,"
                                            "\"hospitality\":\"Tea\"}' WHERE id = '%s'", id);
    FestDb *db;

    fest_test_server_stop (f->server);
    db = fest_test_server_open_db (f->server, f->fest.festival_id, FALSE);
    g_assert_cmpint (fest_test_db_change (db, "%s", sql), ==, 1);
    fest_db_free (db);
    fest_test_server_start (f->server);
  }
  status = fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Tea");
  g_assert_null (fest_test_json_get (reply, "data.rider.drinks"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"rider\":{\"technical\":\"Piano\"}}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "Piano");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Tea");
}

/* A stage's changeover is kept free between two of its sets; an artist's own sets need none. */
static void
test_changeover (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *main_stage = create (f, "/stages", "{\"name\":\"Main\",\"changeover_minutes\":15}");
  g_autofree char *tent = create (f, "/stages", "{\"name\":\"Tent\"}");
  g_autofree char *band = create (f, "/artists", "{\"name\":\"The Band\"}");
  g_autofree char *dj = create (f, "/artists", "{\"name\":\"DJ\"}");
  g_autofree char *solo = create (f, "/artists", "{\"name\":\"Solo\"}");
  g_autofree char *stage_path = g_strdup_printf ("/stages/%s", main_stage);
  g_autofree char *headliner = create_slot (f, main_stage, band, "2026-07-04T20:00:00Z", "2026-07-04T21:00:00Z");
  g_autofree char *after = NULL;
  g_autofree char *before = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (f->server, "GET", stage_path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.changeover_minutes"), ==, 15);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "GET", "/stages", f->cashier_token, NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "data.1.changeover_minutes"), ==, 0);   /* Tent, the default */
  g_clear_pointer (&reply, json_node_unref);

  /* Within the 15 minutes after the set, or before it: refused, naming the set. */
  {
    static const char *times[][2] = {
      { "2026-07-04T21:10:00Z", "2026-07-04T22:00:00Z" },
      { "2026-07-04T21:14:59Z", "2026-07-04T22:00:00Z" },
      { "2026-07-04T19:00:00Z", "2026-07-04T19:50:00Z" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (times); i++)
      {
        g_free (body);
        body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"%s\","
                                "\"end_time\":\"%s\"}", main_stage, dj, times[i][0], times[i][1]);
        status = fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply);
        g_assert_cmpuint (status, ==, 409);
        fest_test_assert_error (reply, "CONFLICT", "start_time");
        g_assert_cmpstr (fest_test_json_string (reply, "error.details.slot_id"), ==, headliner);
        g_clear_pointer (&reply, json_node_unref);
      }
  }
  /* Just after the buffer, or just before it: accepted. */
  after = create_slot (f, main_stage, dj, "2026-07-04T21:15:00Z", "2026-07-04T22:00:00Z");
  before = create_slot (f, main_stage, solo, "2026-07-04T18:45:00Z", "2026-07-04T19:45:00Z");
  /* The artist needs no buffer: the band plays the tent right after its main stage set. */
  g_free (create_slot (f, tent, band, "2026-07-04T21:00:00Z", "2026-07-04T21:30:00Z"));
  /* Moving a set into the buffer is refused too. */
  g_free (body);
  body = g_strdup_printf ("/slots/%s", after);
  assert_refused (f, "PATCH", body, f->fest.organiser_token, "{\"start_time\":\"2026-07-04T21:05:00Z\"}", 409,
                  "CONFLICT", "start_time");

  /* Validation. */
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":\"A\",\"changeover_minutes\":-1}", 400,
                  "VALIDATION_FAILED", "changeover_minutes");
  assert_refused (f, "POST", "/stages", f->fest.organiser_token, "{\"name\":\"A\",\"changeover_minutes\":241}",
                  400, "VALIDATION_FAILED", "changeover_minutes");
  assert_refused (f, "PATCH", stage_path, f->fest.organiser_token, "{\"changeover_minutes\":\"15\"}", 400,
                  "VALIDATION_FAILED", "changeover_minutes");
  assert_refused (f, "PATCH", stage_path, f->fest.organiser_token, "{\"changeover_minutes\":null}", 400,
                  "VALIDATION_FAILED", "changeover_minutes");

  /* A longer changeover keeps the sets already booked; the next write is checked against it. */
  status = fest_test_server_request (f->server, "PATCH", stage_path, f->fest.organiser_token,
                                     "{\"changeover_minutes\":30}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.changeover_minutes"), ==, 30);
  g_clear_pointer (&reply, json_node_unref);
  g_free (body);
  body = g_strdup_printf ("/slots?stage_id=%s", main_stage);
  status = fest_test_server_request (f->server, "GET", body, f->cashier_token, NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
  g_clear_pointer (&reply, json_node_unref);
  g_free (body);
  body = g_strdup_printf ("/slots/%s", after);
  status = fest_test_server_request (f->server, "PATCH", body, f->fest.organiser_token,
                                     "{\"status\":\"CONFIRMED\"}", &reply);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.slot_id"), ==, headliner);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "PATCH", body, f->fest.organiser_token,
                                     "{\"start_time\":\"2026-07-04T21:30:00Z\",\"status\":\"CONFIRMED\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CONFIRMED");
}

static void
test_slots (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *main_stage = create (f, "/stages", "{\"name\":\"Main\"}");
  g_autofree char *tent = create (f, "/stages", "{\"name\":\"Tent\"}");
  g_autofree char *band = create (f, "/artists", "{\"name\":\"The Band\",\"type\":\"BAND\"}");
  g_autofree char *dj = create (f, "/artists", "{\"name\":\"DJ Night\",\"type\":\"DJ\"}");
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  g_autofree char *late = NULL;
  g_autofree char *first = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* Times are answered in UTC, whole seconds. */
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"2026-07-04T22:00:00.250+02:00\","
                          "\"end_time\":\"2026-07-04T21:30:00Z\",\"status\":\"CONFIRMED\"}", main_stage, band);
  status = fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply);
  g_assert_cmpuint (status, ==, 201);
  first = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.start_time"), ==, "2026-07-04T20:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.end_time"), ==, "2026-07-04T21:30:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CONFIRMED");
  g_clear_pointer (&reply, json_node_unref);

  /* Back to back on the same stage is fine; overlapping is not, on the stage or for the artist. */
  late = create_slot (f, main_stage, dj, "2026-07-04T21:30:00Z", "2026-07-04T23:00:00Z");
  g_free (body);
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"2026-07-04T21:00:00Z\","
                          "\"end_time\":\"2026-07-04T22:00:00Z\"}", main_stage, band);
  status = fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (reply, "CONFLICT", "start_time");
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.slot_id"), ==, first);
  g_clear_pointer (&reply, json_node_unref);
  g_free (body);
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"2026-07-04T22:30:00Z\","
                          "\"end_time\":\"2026-07-04T23:30:00Z\"}", tent, dj);
  status = fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply);
  g_assert_cmpuint (status, ==, 409);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.slot_id"), ==, late);
  g_clear_pointer (&reply, json_node_unref);

  /* A cancelled slot frees its time. */
  path = g_strdup_printf ("/slots/%s", late);
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"status\":\"CANCELLED\"}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CANCELLED");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply);
  g_assert_cmpuint (status, ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  /* ... and cannot come back over the new one. */
  assert_refused (f, "PATCH", path, f->fest.organiser_token, "{\"status\":\"PENDING\"}", 409, "CONFLICT",
                  "start_time");

  /* Bad input. */
  {
    static const struct
    {
      const char *stage;       /* NULL: the tent; "" : left out */
      const char *start;
      const char *end;
      const char *extra;
      guint       status;
      const char *code;
      const char *field;
    } cases[] = {
      { NULL, "2026-07-05T10:00:00Z", "2026-07-05T10:00:00Z", "", 400, "VALIDATION_FAILED", "end_time" },
      { NULL, "2026-07-05T10:00:00Z", "2026-07-07T10:00:00Z", "", 400, "VALIDATION_FAILED", "end_time" },
      { "99999999-9999-4999-8999-999999999999", "2026-07-05T10:00:00Z", "2026-07-05T11:00:00Z", "",
        404, "NOT_FOUND", "stage_id" },
      { NULL, "tonight", "2026-07-05T11:00:00Z", "", 400, "VALIDATION_FAILED", "start_time" },
      { NULL, "2026-07-05T10:00:00Z", "2026-07-05T11:00:00Z", ",\"status\":\"MAYBE\"", 400, "VALIDATION_FAILED",
        "status" },
      { "", "2026-07-05T10:00:00Z", "2026-07-05T11:00:00Z", "", 400, "VALIDATION_FAILED", "stage_id" },
    };

    for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
      {
        const char *stage = cases[i].stage != NULL ? cases[i].stage : tent;
        g_autofree char *stage_member = *stage != '\0' ? g_strdup_printf ("\"stage_id\":\"%s\",", stage)
                                                        : g_strdup ("");

        g_free (body);
        body = g_strdup_printf ("{%s\"artist_id\":\"%s\",\"start_time\":\"%s\",\"end_time\":\"%s\"%s}",
                                stage_member, band, cases[i].start, cases[i].end, cases[i].extra);
        assert_refused (f, "POST", "/slots", f->fest.organiser_token, body, cases[i].status, cases[i].code,
                        cases[i].field);
      }
  }

  /* Listed by start time, filtered by stage or artist. */
  status = fest_test_server_request (f->server, "GET", "/slots", f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, first);
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.id"), ==, late);
  g_clear_pointer (&reply, json_node_unref);
  query = g_strdup_printf ("/slots?stage_id=%s", tent);
  status = fest_test_server_request (f->server, "GET", query, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.artist_id"), ==, dj);
  g_clear_pointer (&reply, json_node_unref);
  g_free (query);
  query = g_strdup_printf ("/slots?artist_id=%s&stage_id=%s", dj, main_stage);
  status = fest_test_server_request (f->server, "GET", query, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, late);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "GET", "/slots?stage_id=main", f->cashier_token, NULL, 400, "VALIDATION_FAILED", "stage_id");

  /* A stage or an artist with slots stays; an unused one goes. */
  g_free (path);
  path = g_strdup_printf ("/stages/%s", main_stage);
  assert_refused (f, "DELETE", path, f->fest.organiser_token, NULL, 409, "CONFLICT", NULL);
  g_free (path);
  path = g_strdup_printf ("/artists/%s", band);
  assert_refused (f, "DELETE", path, f->fest.organiser_token, NULL, 409, "CONFLICT", NULL);
  g_free (path);
  path = g_strdup_printf ("/slots/%s", first);
  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "GET", path, f->fest.organiser_token, NULL, 404, "NOT_FOUND", NULL);
  g_free (path);
  path = g_strdup_printf ("/artists/%s", band);
  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
}

/* Every member reads the lineup; only organisers change it; another festival sees none of it. */
static void
test_roles_and_festivals (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *stage = create (f, "/stages", "{\"name\":\"Main\"}");
  g_autofree char *artist = create (f, "/artists", "{\"name\":\"Solo act\",\"type\":\"SOLO\"}");
  g_autofree char *slot = create_slot (f, stage, artist, "2026-07-04T18:00:00Z", "2026-07-04T19:00:00Z");
  g_autofree char *slot_path = g_strdup_printf ("/slots/%s", slot);
  g_autofree char *stage_path = g_strdup_printf ("/stages/%s", stage);
  g_autofree char *other_festival = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (f->server, "GET", slot_path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "POST", "/stages", f->cashier_token, "{\"name\":\"Mine\"}", 403, "FORBIDDEN", NULL);
  assert_refused (f, "PATCH", slot_path, f->cashier_token, "{\"status\":\"CANCELLED\"}", 403, "FORBIDDEN", NULL);
  assert_refused (f, "DELETE", stage_path, f->cashier_token, NULL, 403, "FORBIDDEN", NULL);
  assert_refused (f, "GET", "/slots", NULL, NULL, 401, "UNAUTHENTICATED", NULL);

  other_festival = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD, other_festival);
  assert_refused (f, "GET", slot_path, other_token, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "PATCH", stage_path, other_token, "{\"name\":\"Taken\"}", 404, "NOT_FOUND", NULL);
  status = fest_test_server_request (f->server, "GET", "/slots", other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* Every change is in the audit log. */
  status = fest_test_server_request (f->server, "GET", "/audit?entity_type=slot", f->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "slot.create");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.new_values.artist_id"), ==, artist);
}

/* A festival database of schema version 7 (before changeovers, contacts and guest lists) is brought
 * up to date when opened: stages without a changeover, riders of any shape served as
 * {technical, hospitality}, no contact, and its slots still checked. */
static void
test_migrate_from_v7 (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *stage = create (f, "/stages", "{\"name\":\"Old stage\"}");
  g_autofree char *artist = create (f, "/artists", "{\"name\":\"Old act\",\"guest_quota\":3}");
  g_autofree char *slot = create_slot (f, stage, artist, "2026-07-04T18:00:00Z", "2026-07-04T19:00:00Z");
  g_autofree char *name = g_strdup_printf ("festival-%s.db", f->fest.festival_id);
  g_autofree char *db_path = g_build_filename (fest_test_server_get_data_dir (f->server), name, NULL);
  g_autofree char *stage_path = g_strdup_printf ("/stages/%s", stage);
  g_autofree char *artist_path = g_strdup_printf ("/artists/%s", artist);
  g_autoptr(JsonNode) reply = NULL;
  char *message = NULL;
  sqlite3 *db = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: rewrites the festival file as SQLite schema version 7");
      return;
    }

  fest_test_server_stop (f->server);
  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db,
                    "BEGIN;"
                    FEST_TEST_UNDO_MIGRATIONS_FROM_10
                    "DROP TABLE gates;"                      /* migration 9 */
                    "ALTER TABLE stages DROP COLUMN zone;"
                    "DROP INDEX idx_tickets_artist;"
                    "DROP INDEX idx_artists_user;"
                    "ALTER TABLE tickets DROP COLUMN artist_id;"
                    "ALTER TABLE artists DROP COLUMN contact_email;"
                    "ALTER TABLE stages DROP COLUMN changeover_minutes;"
                    "UPDATE artists SET rider = '{\"drinks\":[\"tea\"],\"towels\":12}';"
                    "PRAGMA user_version = 7;"
                    "COMMIT;", NULL, NULL, &message) != SQLITE_OK)
    g_error ("cannot write a version 7 festival: %s", message);
  sqlite3_close (db);
  fest_test_server_start (f->server);

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", stage_path, f->fest.organiser_token, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.changeover_minutes"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", artist_path, f->fest.organiser_token, NULL, &reply),
                    ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "");
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.contact_email")));
  g_assert_cmpint (fest_test_json_int (reply, "data.guest_quota"), ==, 3);
  g_clear_pointer (&reply, json_node_unref);

  /* The new columns work: a changeover set now refuses a set in it. */
  g_assert_cmpuint (fest_test_server_request (f->server, "PATCH", stage_path, f->fest.organiser_token,
                                              "{\"changeover_minutes\":30}", &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  {
    g_autofree char *other = create (f, "/artists", "{\"name\":\"New act\",\"contact_email\":\"a@b.example\"}");
    g_autofree char *body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\","
                                             "\"start_time\":\"2026-07-04T19:10:00Z\",\"end_time\":\"2026-07-04T20:00:00Z\"}",
                                             stage, other);

    g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/slots", f->fest.organiser_token, body, &reply),
                      ==, 409);
    g_assert_cmpstr (fest_test_json_string (reply, "error.details.slot_id"), ==, slot);
  }
}

/* GET /api/v1/lineup.ics, raw. */
static GBytes *
get_ics (Fixture     *f,
         const char  *token,
         guint       *status,
         char       **content_type)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/lineup.ics", fest_test_server_get_url (f->server));
  g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
  body = soup_session_send_and_read (fest_test_server_get_session (f->server), msg, NULL, &error);
  g_assert_no_error (error);
  *status = soup_message_get_status (msg);
  *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL));
  return body;
}

/* The logical lines of an iCalendar text, after checking its CRLF endings and 75-octet lines. */
static GStrv
ics_lines (const char *text)
{
  g_auto(GStrv) physical = g_strsplit (text, "\r\n", -1);
  g_autoptr(GRegex) fold = g_regex_new ("\r\n ", 0, 0, NULL);
  g_autofree char *unfolded = g_regex_replace_literal (fold, text, -1, 0, "", 0, NULL);
  guint n = g_strv_length (physical);

  g_assert_true (g_str_has_suffix (text, "\r\n"));
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpuint (strlen (physical[i]), <=, 75);
      g_assert_null (strchr (physical[i], '\n'));
      g_assert_true (g_utf8_validate (physical[i], -1, NULL));
    }
  g_assert_true (g_str_has_suffix (unfolded, "\r\n"));
  unfolded[strlen (unfolded) - 2] = '\0';
  return g_strsplit (unfolded, "\r\n", -1);
}

static void
test_ics (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *stage = create (f, "/stages", "{\"name\":\"Main, north\",\"location\":{\"lat\":45.75,\"lng\":4.85}}");
  g_autofree char *long_name = g_strnfill (60, 'x');
  g_autofree char *artist_body = g_strdup_printf ("{\"name\":\"AC/DC; live, loud — Zoë 🎸 %s\",\"type\":\"BAND\"}",
                                                  long_name);
  g_autofree char *artist = create (f, "/artists", artist_body);
  g_autofree char *other = create (f, "/artists", "{\"name\":\"Opening act\"}");
  g_autofree char *slot = create_slot (f, stage, artist, "2026-07-04T22:00:00+02:00", "2026-07-04T21:30:00Z");
  g_autofree char *opening = create_slot (f, stage, other, "2026-07-04T18:00:00Z", "2026-07-04T19:00:00Z");
  g_autofree char *path = g_strdup_printf ("/slots/%s", opening);
  g_autofree char *content_type = NULL;
  g_autofree char *expected_summary = g_strdup_printf ("SUMMARY:AC/DC\\; live\\, loud — Zoë 🎸 %s", long_name);
  g_autofree char *uid = g_strdup_printf ("UID:%s@festivals", slot);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *text = NULL;
  guint status;
  gint begin = -1, uid_at = -1, events = 0;

  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"status\":\"CONFIRMED\"}", &reply);
  g_assert_cmpuint (status, ==, 200);

  body = get_ics (f, f->cashier_token, &status, &content_type);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (content_type, ==, "text/calendar");
  text = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
  g_test_message ("%s", text);
  lines = ics_lines (text);

  g_assert_cmpstr (lines[0], ==, "BEGIN:VCALENDAR");
  g_assert_cmpstr (lines[1], ==, "VERSION:2.0");
  g_assert_true (g_str_has_prefix (lines[2], "PRODID:"));
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "END:VCALENDAR");
  g_assert_true (g_strv_contains ((const char * const *) lines, "X-WR-CALNAME:Lineup fest"));
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_equal (lines[i], "BEGIN:VEVENT"))
        {
          events++;
          begin = (gint) i;
        }
      if (g_str_equal (lines[i], uid))
        uid_at = (gint) i;
    }
  g_assert_cmpint (events, ==, 2);
  /* Ordered by start time: the headliner's event is the second one. */
  g_assert_cmpint (uid_at, ==, begin + 1);
  g_assert_true (g_str_has_prefix (lines[begin + 2], "DTSTAMP:"));
  g_assert_cmpuint (strlen (lines[begin + 2]), ==, strlen ("DTSTAMP:20260704T200000Z"));
  g_assert_true (g_str_has_suffix (lines[begin + 2], "Z"));
  g_assert_cmpstr (lines[begin + 3], ==, "DTSTART:20260704T200000Z");
  g_assert_cmpstr (lines[begin + 4], ==, "DTEND:20260704T213000Z");
  g_assert_true (g_strv_contains ((const char * const *) lines, expected_summary));
  g_assert_true (g_strv_contains ((const char * const *) lines, "LOCATION:Main\\, north"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "GEO:45.750000;4.850000"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "STATUS:TENTATIVE"));
  g_assert_true (g_strv_contains ((const char * const *) lines, "STATUS:CONFIRMED"));
  /* The long summary really was folded. */
  g_assert_nonnull (strstr (text, "\r\n "));

  /* Another festival's calendar is empty. */
  {
    g_autofree char *festival = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Empty");
    g_autofree char *token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD,
                                                     festival);
    g_autofree char *empty_type = NULL;
    g_autoptr(GBytes) empty = get_ics (f, token, &status, &empty_type);

    g_assert_cmpuint (status, ==, 200);
    g_assert_null (g_strstr_len (g_bytes_get_data (empty, NULL), g_bytes_get_size (empty), "BEGIN:VEVENT"));
  }
}

/* --demo gives the demo festival a real lineup: three stages, some thirty slots over its days, some
 * still PENDING and one CANCELLED, each of a known stage and artist, the stages' changeovers kept
 * free; artists with riders and contacts; an artist account with two guests. */
static void
test_demo (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autoptr(JsonNode) stages = NULL;
  g_autoptr(JsonNode) slots = NULL;
  g_autoptr(GHashTable) stage_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) changeovers = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) last_end = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autoptr(JsonNode) artists = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(JsonNode) guests = NULL;
  g_autoptr(JsonNode) key_reply = NULL;
  g_autofree char *artist_token = NULL;
  g_autoptr(GHashTable) days = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *token = NULL;
  JsonArray *array;
  guint pending = 0, cancelled = 0;

  fest_test_server_add_arg (server, "--demo");
  fest_test_server_start (server);
  token = fest_test_server_login (server, "organiser@demo.festivals", "festivals-demo", NULL);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stages", token, NULL, &stages), ==, 200);
  g_assert_cmpint (fest_test_json_int (stages, "meta.total"), ==, 3);
  array = json_node_get_array (fest_test_json_get (stages, "data"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *stage = json_array_get_object_element (array, i);

      g_hash_table_add (stage_ids, (gpointer) json_object_get_string_member (stage, "id"));
      g_assert_cmpint (json_object_get_int_member (stage, "changeover_minutes"), >=, 10);
      g_hash_table_insert (changeovers, (gpointer) json_object_get_string_member (stage, "id"),
                           GINT_TO_POINTER ((int) json_object_get_int_member (stage, "changeover_minutes")));
    }

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/slots?per_page=500", token, NULL, &slots), ==,
                    200);
  g_assert_cmpint (fest_test_json_int (slots, "meta.total"), >=, 25);
  array = json_node_get_array (fest_test_json_get (slots, "data"));
  g_assert_cmpuint (json_array_get_length (array), >=, 25);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *slot = json_array_get_object_element (array, i);
      const char *status = json_object_get_string_member (slot, "status");

      g_assert_true (g_hash_table_contains (stage_ids, json_object_get_string_member (slot, "stage_id")));
      g_hash_table_add (days, g_strndup (json_object_get_string_member (slot, "start_time"), 10));
      /* Listed by start time: each live slot starts at least the changeover after the stage's
       * previous live one ends. */
      if (!g_str_equal (status, "CANCELLED"))
        {
          const char *stage = json_object_get_string_member (slot, "stage_id");
          const char *previous = g_hash_table_lookup (last_end, stage);
          g_autoptr(GDateTime) start = parse_time (json_object_get_string_member (slot, "start_time"));

          if (previous != NULL)
            {
              g_autoptr(GDateTime) end = parse_time (previous);

              g_assert_cmpint (g_date_time_difference (start, end), >=,
                               (GTimeSpan) GPOINTER_TO_INT (g_hash_table_lookup (changeovers, stage)) * 60
                               * G_TIME_SPAN_SECOND);
            }
          g_hash_table_insert (last_end, (gpointer) stage, g_strdup (json_object_get_string_member (slot,
                                                                                                  "end_time")));
        }
      if (g_str_equal (status, "PENDING"))
        pending++;
      else if (g_str_equal (status, "CANCELLED"))
        cancelled++;
      else
        g_assert_cmpstr (status, ==, "CONFIRMED");
    }
  g_assert_cmpuint (pending, >=, 1);
  g_assert_cmpuint (cancelled, ==, 1);
  /* Over the festival's days, not all on one. */
  g_assert_cmpuint (g_hash_table_size (days), >=, 3);

  /* Riders and contacts. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/artists?per_page=500", token, NULL, &artists), ==,
                    200);
  array = json_node_get_array (fest_test_json_get (artists, "data"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *artist = json_array_get_object_element (array, i);
      JsonObject *rider = json_object_get_object_member (artist, "rider");

      g_assert_cmpstr (json_object_get_string_member (rider, "technical"), !=, "");
      g_assert_cmpstr (json_object_get_string_member (rider, "hospitality"), !=, "");
      g_assert_nonnull (strchr (json_object_get_string_member (artist, "contact_email"), '@'));
    }

  /* The artist account: one artist, its slot, two guests whose codes the festival's key verifies. */
  artist_token = fest_test_server_login (server, "artist@demo.festivals", "festivals-demo", NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me/artist", artist_token, NULL, &me), ==, 200);
  g_assert_cmpstr (fest_test_json_string (me, "data.name"), ==, "Polo & Pan");
  g_assert_cmpint (fest_test_json_int (me, "data.guests_used"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (me, "data.slots"))), >=, 1);
  g_assert_nonnull (fest_test_json_string (me, "data.slots.0.stage_name"));
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me/artist/guests", artist_token, NULL, &guests), ==,
                    200);
  g_assert_cmpint (fest_test_json_int (guests, "meta.total"), ==, 2);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/ticket-key", token, NULL, &key_reply), ==, 200);
  {
    const char *key_text = fest_test_json_string (key_reply, "data.public_key");
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autofree guint8 *key = NULL;
    gsize key_len = 0;

    key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
    for (guint i = 0; i < 2; i++)
      {
        g_autofree char *path = g_strdup_printf ("data.%u.qr_code", i);
        g_auto(FestTicketPayload) payload = { 0 };

        g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (guests, path), key,
                                                  fest_test_json_string (key_reply, "data.festival_id"), now,
                                                  &payload), ==, FEST_TICKET_CODE_VALID);
        g_assert_cmpstr (payload.type_code, ==, "GUEST");
      }
  }
  /* It sees only its own artist. */
  g_clear_pointer (&artists, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/artists", artist_token, NULL, &artists), ==, 200);
  g_assert_cmpint (fest_test_json_int (artists, "meta.total"), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/lineup/stages", test_stages);
  ADD ("/fest/lineup/artists", test_artists);
  ADD ("/fest/lineup/slots", test_slots);
  ADD ("/fest/lineup/changeover", test_changeover);
  ADD ("/fest/lineup/roles-and-festivals", test_roles_and_festivals);
  ADD ("/fest/lineup/ics", test_ics);
  ADD ("/fest/lineup/migrate-from-v7", test_migrate_from_v7);
#undef ADD
  g_test_add_func ("/fest/lineup/demo", test_demo);

  return g_test_run ();
}
