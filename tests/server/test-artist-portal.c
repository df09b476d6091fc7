/* test-artist-portal.c: /me/artist, its rider and guest list, and what an artist's member sees
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Over a real festivals-server: an organiser links an ARTIST member to an artist, who then reads
 * their artist and slots, edits their rider and manages their guests (tickets of the GUEST type,
 * signed like any ticket).
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
  char             *stage;         /* "Main", changeover 15 */
  char             *tent;
  char             *artist;        /* "Nova", quota 2, linked to artist_token */
  char             *other;         /* "Echo", quota 5, linked to other_token */
  char             *artist_slot;
  char             *other_slot;
  char             *artist_token;
  char             *artist_account;
  char             *other_token;
  char             *cashier_token;
} Fixture;

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

static void
link_artist (Fixture    *f,
             const char *artist,
             const char *account)
{
  g_autofree char *path = g_strdup_printf ("/artists/%s", artist);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_requestf (f->server, "PATCH", path, f->fest.organiser_token, &reply,
                                               "{\"user_id\":\"%s\"}", account), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user_id"), ==, account);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *other_account = NULL;
  g_autofree char *body = NULL;

  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Portal fest", &f->fest);
  f->stage = create (f, "/stages", "{\"name\":\"Main\",\"changeover_minutes\":15}");
  f->tent = create (f, "/stages", "{\"name\":\"Tent\"}");
  f->artist = create (f, "/artists", "{\"name\":\"Nova\",\"type\":\"DJ\",\"guest_quota\":2,"
                      "\"rider\":{\"technical\":\"2 CDJ\",\"hospitality\":\"Tea\"},"
                      "\"contact_email\":\"nova@example.org\"}");
  f->other = create (f, "/artists", "{\"name\":\"Echo\",\"type\":\"BAND\",\"guest_quota\":5}");
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"2026-07-04T20:00:00Z\","
                          "\"end_time\":\"2026-07-04T21:00:00Z\",\"status\":\"CONFIRMED\"}", f->tent, f->artist);
  f->artist_slot = create (f, "/slots", body);
  g_free (body);
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"2026-07-04T20:00:00Z\","
                          "\"end_time\":\"2026-07-04T21:00:00Z\"}", f->stage, f->other);
  f->other_slot = create (f, "/slots", body);

  f->artist_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                 "nova@test.festivals", "ARTIST", &f->artist_account);
  f->other_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                "echo@test.festivals", "ARTIST", &other_account);
  f->cashier_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                  "cashier@test.festivals", "CASHIER", NULL);
  link_artist (f, f->artist, f->artist_account);
  link_artist (f, f->other, other_account);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->stage);
  g_free (f->tent);
  g_free (f->artist);
  g_free (f->other);
  g_free (f->artist_slot);
  g_free (f->other_slot);
  g_free (f->artist_token);
  g_free (f->artist_account);
  g_free (f->other_token);
  g_free (f->cashier_token);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

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

/* POST /me/artist/guests as @token; asserts 201 and returns the reply. */
static JsonNode *
add_guest (Fixture    *f,
           const char *token,
           const char *name,
           const char *email)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *body = email != NULL ? g_strdup_printf ("{\"name\":\"%s\",\"email\":\"%s\"}", name, email)
                                        : g_strdup_printf ("{\"name\":\"%s\"}", name);

  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/me/artist/guests", token, body, &reply), ==, 201);
  return g_steal_pointer (&reply);
}

static gint64
audit_count (Fixture    *f,
             const char *query,
             const char *action)
{
  g_autofree char *path = g_strdup_printf ("/audit?%s&per_page=500", query);
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *array;
  gint64 count = 0;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply), ==,
                    200);
  array = json_node_get_array (fest_test_json_get (reply, "data"));
  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (array, i), "action"), action) == 0)
      count++;
  return count;
}

static void
test_me_artist (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *long_text = g_strnfill (4001, 'a');
  g_autofree char *body = NULL;
  g_autofree char *unlinked = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist", f->artist_token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, f->artist);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Nova");
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "DJ");
  g_assert_cmpstr (fest_test_json_string (reply, "data.user_id"), ==, f->artist_account);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "2 CDJ");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Tea");
  g_assert_cmpstr (fest_test_json_string (reply, "data.contact_email"), ==, "nova@example.org");
  g_assert_cmpint (fest_test_json_int (reply, "data.guest_quota"), ==, 2);
  g_assert_cmpint (fest_test_json_int (reply, "data.guests_used"), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data.slots"))), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.slots.0.id"), ==, f->artist_slot);
  g_assert_cmpstr (fest_test_json_string (reply, "data.slots.0.stage_id"), ==, f->tent);
  g_assert_cmpstr (fest_test_json_string (reply, "data.slots.0.stage_name"), ==, "Tent");
  g_assert_cmpstr (fest_test_json_string (reply, "data.slots.0.start_time"), ==, "2026-07-04T20:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.slots.0.status"), ==, "CONFIRMED");
  g_clear_pointer (&reply, json_node_unref);

  /* The rider, and only the rider. */
  g_assert_cmpuint (fest_test_server_request (f->server, "PATCH", "/me/artist", f->artist_token,
                                              "{\"rider\":{\"technical\":\"4 CDJ, 1 DJM-V10\"}}", &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "4 CDJ, 1 DJM-V10");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Tea");
  g_assert_cmpint (fest_test_json_int (reply, "data.guest_quota"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "PATCH", "/me/artist", f->artist_token,
                                              "{\"rider\":{\"technical\":\"\",\"hospitality\":\"Été 🍵\"}}", &reply),
                    ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.technical"), ==, "");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Été 🍵");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (audit_count (f, "entity_type=artist", "artist.update"), ==, 4);   /* 2 links + 2 riders */

  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"guest_quota\":100}", 400, "VALIDATION_FAILED",
                  "guest_quota");
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"name\":\"Renamed\"}", 400, "VALIDATION_FAILED",
                  "name");
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"rider\":\"all\"}", 400, "VALIDATION_FAILED",
                  "rider");
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"rider\":{\"technical\":5}}", 400,
                  "VALIDATION_FAILED", "rider.technical");
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"rider\":{\"food\":\"cake\"}}", 400,
                  "VALIDATION_FAILED", "rider.food");
  body = g_strdup_printf ("{\"rider\":{\"hospitality\":\"%s\"}}", long_text);
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, body, 400, "VALIDATION_FAILED", "rider.hospitality");
  assert_refused (f, "PATCH", "/me/artist", f->artist_token, "{\"rider\":", 400, "MALFORMED_JSON", NULL);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist", f->artist_token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Nova");
  g_assert_cmpstr (fest_test_json_string (reply, "data.rider.hospitality"), ==, "Été 🍵");
  g_clear_pointer (&reply, json_node_unref);

  /* Roles: a cashier has no artist; an organiser or an artist not linked to one finds none. */
  assert_refused (f, "GET", "/me/artist", f->cashier_token, NULL, 403, "FORBIDDEN", NULL);
  assert_refused (f, "PATCH", "/me/artist", f->cashier_token, "{\"rider\":{}}", 403, "FORBIDDEN", NULL);
  assert_refused (f, "GET", "/me/artist/guests", f->cashier_token, NULL, 403, "FORBIDDEN", NULL);
  assert_refused (f, "POST", "/me/artist/guests", f->cashier_token, "{\"name\":\"A\"}", 403, "FORBIDDEN", NULL);
  assert_refused (f, "GET", "/me/artist", f->fest.organiser_token, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "POST", "/me/artist/guests", f->fest.organiser_token, "{\"name\":\"A\"}", 404, "NOT_FOUND",
                  NULL);
  unlinked = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                          "unlinked@test.festivals", "ARTIST", NULL);
  assert_refused (f, "GET", "/me/artist", unlinked, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "PATCH", "/me/artist", unlinked, "{\"rider\":{\"technical\":\"x\"}}", 404, "NOT_FOUND", NULL);
  assert_refused (f, "GET", "/me/artist/guests", unlinked, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "GET", "/me/artist", NULL, NULL, 401, "UNAUTHENTICATED", NULL);
}

static guint
scan (Fixture    *f,
      const char *ticket_id,
      const char *key)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s/scan", ticket_id);
  const char *body = "{\"gate\":\"Backstage\",\"direction\":\"IN\"}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", key, NULL };
  g_autoptr(JsonNode) reply = NULL;

  return fest_test_server_request_full (f->server, "POST", path, f->fest.organiser_token, "application/json", bytes,
                                        headers, NULL, &reply);
}

/* The festival's GUEST type, made by the organiser to be valid now (the test festival is over, and
 * a type made on demand is valid over the festival's dates); the guests are tickets of it. */
static void
create_guest_type (Fixture *f)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) until = g_date_time_add_days (now, 1);
  g_autofree char *from_text = g_date_time_format (from, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *until_text = g_date_time_format (until, "%Y-%m-%dT%H:%M:%SZ");
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_requestf (f->server, "POST", "/ticket-types", f->fest.organiser_token, &reply,
                                               "{\"name\":\"Guests\",\"code\":\"GUEST\",\"price\":0,"
                                               "\"valid_from\":\"%s\",\"valid_until\":\"%s\"}", from_text,
                                               until_text), ==, 201);
}

static void
test_guests (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonNode) first = NULL;
  g_autoptr(JsonNode) second = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) key_reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *first_path = NULL;
  g_autofree char *second_path = NULL;
  g_autofree char *third_id = NULL;
  const char *key_text;
  g_autofree guint8 *key = NULL;
  gsize key_len = 0;

  create_guest_type (f);
  first = add_guest (f, f->artist_token, "Alice Martin", "alice@example.org");
  second = add_guest (f, f->artist_token, "Bob", NULL);
  g_assert_cmpstr (fest_test_json_string (first, "data.name"), ==, "Alice Martin");
  g_assert_cmpstr (fest_test_json_string (first, "data.email"), ==, "alice@example.org");
  g_assert_cmpstr (fest_test_json_string (first, "data.status"), ==, "VALID");
  g_assert_nonnull (fest_test_json_string (first, "data.created_at"));
  g_assert_true (fest_uuid_is_valid (fest_test_json_string (first, "data.id")));
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (second, "data.email")));

  /* Each guest's QR code verifies with the festival's public key, as a GUEST ticket. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/ticket-key", f->fest.organiser_token, NULL,
                                              &key_reply), ==, 200);
  key_text = fest_test_json_string (key_reply, "data.public_key");
  key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
  g_assert_cmpuint (key_len, ==, FEST_TICKET_PUBLIC_KEY_BYTES);
  {
    g_auto(FestTicketPayload) payload = { 0 };

    g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (first, "data.qr_code"), key,
                                              f->fest.festival_id, now, &payload), ==, FEST_TICKET_CODE_VALID);
    g_assert_cmpstr (payload.ticket_id, ==, fest_test_json_string (first, "data.id"));
    g_assert_cmpstr (payload.type_code, ==, "GUEST");
    g_assert_cmpstr (payload.holder, ==, "Alice Martin");
  }
  /* ... of the festival's GUEST type: no other type was made. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/ticket-types", f->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpint (fest_test_json_int (reply, "data.0.issued"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  /* The quota counts the guests that are not cancelled. */
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/me/artist/guests", f->artist_token,
                                              "{\"name\":\"Carol\"}", &reply), ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_assert_cmpint (fest_test_json_int (reply, "error.details.quota"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist", f->artist_token, NULL, &reply), ==,
                    200);
  g_assert_cmpint (fest_test_json_int (reply, "data.guests_used"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  /* Bad input names the field. */
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"email\":\"a@b.c\"}", 400, "VALIDATION_FAILED",
                  "name");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\":\"  \"}", 400, "VALIDATION_FAILED",
                  "name");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\":5}", 400, "VALIDATION_FAILED", "name");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\":\"A\",\"email\":\"nope\"}", 400,
                  "VALIDATION_FAILED", "email");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\":\"A\",\"email\":\"a b@c.d\"}", 400,
                  "VALIDATION_FAILED", "email");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\":\"A\",\"status\":\"USED\"}", 400,
                  "VALIDATION_FAILED", "status");
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "[1]", 400, "VALIDATION_FAILED", NULL);
  assert_refused (f, "POST", "/me/artist/guests", f->other_token, "{\"name\"", 400, "MALFORMED_JSON", NULL);

  /* A guest who came in cannot be removed; one who did not is cancelled and frees a place. */
  first_path = g_strdup_printf ("/me/artist/guests/%s", fest_test_json_string (first, "data.id"));
  second_path = g_strdup_printf ("/me/artist/guests/%s", fest_test_json_string (second, "data.id"));
  g_assert_cmpuint (scan (f, fest_test_json_string (first, "data.id"), "guest-scan-1"), ==, 200);
  assert_refused (f, "DELETE", first_path, f->artist_token, NULL, 409, "CONFLICT", NULL);
  g_assert_cmpuint (fest_test_server_request (f->server, "DELETE", second_path, f->artist_token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CANCELLED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bob");
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "DELETE", second_path, f->artist_token, NULL, 409, "CONFLICT", NULL);
  {
    g_autoptr(JsonNode) third = add_guest (f, f->artist_token, "Carol", "carol@example.org");

    third_id = g_strdup (fest_test_json_string (third, "data.id"));
  }

  /* The list: every guest by creation, the cancelled one with its status. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist/guests", f->artist_token, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Alice Martin");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.status"), ==, "USED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.qr_code"), ==, fest_test_json_string (first, "data.qr_code"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.status"), ==, "CANCELLED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.id"), ==, third_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.email"), ==, "carol@example.org");
  g_clear_pointer (&reply, json_node_unref);

  /* Another artist's list is theirs: neither sees nor removes the other's guests. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist/guests", f->other_token, NULL, &reply),
                    ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  {
    g_autofree char *path = g_strdup_printf ("/me/artist/guests/%s", third_id);

    assert_refused (f, "DELETE", path, f->other_token, NULL, 404, "NOT_FOUND", NULL);
  }
  assert_refused (f, "DELETE", "/me/artist/guests/99999999-9999-4999-8999-999999999999", f->artist_token, NULL, 404,
                  "NOT_FOUND", NULL);
  assert_refused (f, "DELETE", "/me/artist/guests/not-an-id", f->artist_token, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "DELETE", first_path, f->cashier_token, NULL, 403, "FORBIDDEN", NULL);

  /* Audited. */
  g_assert_cmpint (audit_count (f, "entity_type=guest", "guest.create"), ==, 3);
  g_assert_cmpint (audit_count (f, "entity_type=guest", "guest.cancel"), ==, 1);
  g_assert_cmpint (audit_count (f, "entity_type=ticket", "ticket.issue"), ==, 3);
}

/* A guest of festival B is not found from festival A. */
static void
test_other_festival (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *festival = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Festival B");
  g_autofree char *admin_b = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD,
                                                     festival);
  g_autofree char *account_b = NULL;
  g_autofree char *token_b = fest_test_server_add_member (f->server, admin_b, festival, "b-artist@test.festivals",
                                                          "ARTIST", &account_b);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) guest = NULL;

  g_assert_cmpuint (fest_test_server_requestf (f->server, "POST", "/artists", admin_b, &reply,
                                               "{\"name\":\"B side\",\"guest_quota\":1,\"user_id\":\"%s\"}",
                                               account_b), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  guest = add_guest (f, token_b, "Dora", NULL);
  path = g_strdup_printf ("/me/artist/guests/%s", fest_test_json_string (guest, "data.id"));

  assert_refused (f, "DELETE", path, f->artist_token, NULL, 404, "NOT_FOUND", NULL);
  /* Festival A's artist account is not a member of B. */
  g_assert_cmpuint (fest_test_server_requestf (f->server, "PATCH", "/me/artist", admin_b, &reply, "{}"), ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist/guests", token_b, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.status"), ==, "VALID");
  g_clear_pointer (&reply, json_node_unref);

  /* B had no GUEST type: the first guest made it, free, without a quota of its own, over the
   * festival's dates; the code verifies with B's key within them. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/ticket-types", admin_b, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.code"), ==, "GUEST");
  g_assert_cmpint (fest_test_json_int (reply, "data.0.price"), ==, 0);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.quota")));
  {
    g_autoptr(GDateTime) during = fest_time_parse (fest_test_json_string (reply, "data.0.valid_from"));
    g_autoptr(JsonNode) key_reply = NULL;
    g_auto(FestTicketPayload) payload = { 0 };
    g_auto(FestTicketPayload) foreign = { 0 };
    g_autofree guint8 *key = NULL;
    const char *key_text;
    gsize key_len = 0;

    g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/ticket-key", admin_b, NULL, &key_reply), ==, 200);
    key_text = fest_test_json_string (key_reply, "data.public_key");
    key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
    g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (guest, "data.qr_code"), key, festival, during,
                                              &payload), ==, FEST_TICKET_CODE_VALID);
    g_assert_cmpstr (payload.type_code, ==, "GUEST");
    g_assert_cmpstr (payload.holder, ==, "Dora");
    /* ... and not with A's. */
    g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (guest, "data.qr_code"), key,
                                              f->fest.festival_id, during, &foreign), !=, FEST_TICKET_CODE_VALID);
  }
  /* Full at 1. */
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/me/artist/guests", token_b, "{\"name\":\"Eve\"}",
                                              &reply), ==, 409);
  g_assert_cmpint (fest_test_json_int (reply, "error.details.quota"), ==, 1);
}

/* An ARTIST-only member sees their own artist and slots; organisers see everything. */
static void
test_scope (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *other_path = g_strdup_printf ("/artists/%s", f->other);
  g_autofree char *own_path = g_strdup_printf ("/artists/%s", f->artist);
  g_autofree char *other_slot_path = g_strdup_printf ("/slots/%s", f->other_slot);
  g_autofree char *own_slot_path = g_strdup_printf ("/slots/%s", f->artist_slot);
  g_autofree char *query = g_strdup_printf ("/slots?artist_id=%s", f->other);
  g_autofree char *unlinked = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/artists", f->artist_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, f->artist);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", own_path, f->artist_token, NULL, &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "GET", other_path, f->artist_token, NULL, 404, "NOT_FOUND", NULL);

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/slots", f->artist_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, f->artist_slot);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", query, f->artist_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", own_slot_path, f->artist_token, NULL, &reply), ==,
                    200);
  g_clear_pointer (&reply, json_node_unref);
  assert_refused (f, "GET", other_slot_path, f->artist_token, NULL, 404, "NOT_FOUND", NULL);
  assert_refused (f, "PATCH", own_slot_path, f->artist_token, "{\"status\":\"CANCELLED\"}", 403, "FORBIDDEN", NULL);
  assert_refused (f, "PATCH", own_path, f->artist_token, "{\"guest_quota\":99}", 403, "FORBIDDEN", NULL);

  /* Stages stay readable. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/stages", f->artist_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  /* Not linked yet: nothing. */
  unlinked = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                          "new@test.festivals", "ARTIST", NULL);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/artists", unlinked, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/slots", unlinked, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* Others see everything. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/slots", f->cashier_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", other_path, f->fest.organiser_token, NULL, &reply),
                    ==, 200);
  g_clear_pointer (&reply, json_node_unref);
}

/* user_id: a member of the festival, linked to one artist at most. */
static void
test_link (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *third = create (f, "/artists", "{\"name\":\"Third\"}");
  g_autofree char *path = g_strdup_printf ("/artists/%s", third);
  g_autoptr(JsonNode) reply = NULL;

  assert_refused (f, "PATCH", path, f->fest.organiser_token,
                  "{\"user_id\":\"99999999-9999-4999-8999-999999999999\"}", 400, "VALIDATION_FAILED", "user_id");
  g_assert_cmpuint (fest_test_server_requestf (f->server, "PATCH", path, f->fest.organiser_token, &reply,
                                               "{\"user_id\":\"%s\"}", f->artist_account), ==, 409);
  fest_test_assert_error (reply, "CONFLICT", "user_id");
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.artist_id"), ==, f->artist);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_requestf (f->server, "POST", "/artists", f->fest.organiser_token, &reply,
                                               "{\"name\":\"Fourth\",\"user_id\":\"%s\"}", f->artist_account), ==,
                    409);
  fest_test_assert_error (reply, "CONFLICT", "user_id");
  g_clear_pointer (&reply, json_node_unref);

  /* Unlinked, the account can be linked elsewhere. */
  {
    g_autofree char *own = g_strdup_printf ("/artists/%s", f->artist);

    g_assert_cmpuint (fest_test_server_request (f->server, "PATCH", own, f->fest.organiser_token,
                                                "{\"user_id\":null}", &reply), ==, 200);
    g_clear_pointer (&reply, json_node_unref);
  }
  link_artist (f, third, f->artist_account);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/artist", f->artist_token, NULL, &reply), ==,
                    200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Third");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/artist-portal/me", test_me_artist);
  ADD ("/fest/artist-portal/guests", test_guests);
  ADD ("/fest/artist-portal/other-festival", test_other_festival);
  ADD ("/fest/artist-portal/scope", test_scope);
  ADD ("/fest/artist-portal/link", test_link);
#undef ADD

  return g_test_run ();
}
