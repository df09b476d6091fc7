/* test-tickets.c: ticket types, issuing, signed QR validation, scans, cancellation, QR images
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <qrencode.h>

#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Tickets fest", &fixture->fest);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  fest_test_server_free (fixture->server);
}

/* Creates a ticket type; @from_days/@until_days are offsets from now. Returns its id. */
static char *
create_type (Fixture    *fixture,
             const char *code,
             int         quota,
             int         from_days,
             int         until_days,
             gboolean    reentry)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, from_days);
  g_autoptr(GDateTime) until = g_date_time_add_days (now, until_days);
  g_autofree char *from_text = fest_time_format (from);
  g_autofree char *until_text = fest_time_format (until);
  g_autofree char *quota_text = quota < 0 ? g_strdup ("null") : g_strdup_printf ("%d", quota);
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                      &reply,
                                      "{\"name\":\"Pass %s\",\"code\":\"%s\",\"price\":4500,\"quota\":%s,"
                                      "\"valid_from\":\"%s\",\"valid_until\":\"%s\",\"reentry_allowed\":%s}",
                                      code, code, quota_text, from_text, until_text, reentry ? "true" : "false");
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.code"), ==, code);
  g_assert_cmpint (fest_test_json_int (reply, "data.issued"), ==, 0);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

/* Issues a ticket; returns the reply. */
static JsonNode *
issue (Fixture    *fixture,
       const char *type_id,
       const char *holder)
{
  JsonNode *reply = NULL;
  guint status;

  status = fest_test_server_requestf (fixture->server, "POST", "/tickets", fixture->fest.organiser_token, &reply,
                                      "{\"ticket_type_id\":\"%s\",\"holder_name\":\"%s\","
                                      "\"holder_email\":\"holder@example.org\"}",
                                      type_id, holder);
  g_assert_cmpuint (status, ==, 201);
  return reply;
}

static guint
scan (Fixture    *fixture,
      const char *token,
      const char *ticket_id,
      const char *key,
      const char *gate,
      const char *direction,
      JsonNode  **reply)
{
  g_autofree char *path = g_strdup_printf ("/tickets/%s/scan", ticket_id);
  g_autofree char *body = g_strdup_printf ("{\"gate\":\"%s\",\"direction\":\"%s\"}", gate, direction);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return fest_test_server_request_full (fixture->server, "POST", path, token, "application/json", bytes,
                                        key != NULL ? headers : NULL, NULL, reply);
}

static guint
validate (Fixture    *fixture,
          const char *qr,
          JsonNode  **reply)
{
  g_autofree char *escaped = g_uri_escape_string (qr, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/tickets/%s", escaped);

  return fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL, reply);
}

static void
assert_invalid (Fixture    *fixture,
                const char *qr,
                const char *reason)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (validate (fixture, qr, &reply), ==, 422);
  fest_test_assert_error (reply, "TICKET_INVALID", NULL);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, reason);
}

static void
test_issue_and_read (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "PASS3J", -1, -1, 3, FALSE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Zoë Ünïcødé 🎸");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  const char *id = fest_test_json_string (ticket, "data.id");
  const char *qr = fest_test_json_string (ticket, "data.qr_code");
  guint status;

  g_assert_true (fest_uuid_is_valid (id));
  g_assert_true (g_str_has_prefix (qr, "FT1."));
  g_assert_cmpstr (fest_test_json_string (ticket, "data.status"), ==, "VALID");
  g_assert_cmpstr (fest_test_json_string (ticket, "data.holder_name"), ==, "Zoë Ünïcødé 🎸");
  g_assert_cmpstr (fest_test_json_string (ticket, "data.ticket_type_id"), ==, type_id);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (ticket, "data.used_at")));

  /* By id */
  path = g_strdup_printf ("/tickets/%s", id);
  status = fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.qr_code"), ==, qr);
  g_clear_pointer (&reply, json_node_unref);

  /* The code verifies offline with the published key. */
  status = fest_test_server_request (fixture->server, "GET", "/ticket-key", fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.algorithm"), ==, "Ed25519");
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival_id"), ==, fixture->fest.festival_id);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_auto(FestTicketPayload) payload = { 0 };
    const char *key_text = fest_test_json_string (reply, "data.public_key");
    g_autofree guint8 *key = NULL;
    gsize key_len = 0;

    key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
    g_assert_nonnull (key);
    g_assert_cmpuint (key_len, ==, FEST_TICKET_PUBLIC_KEY_BYTES);
    g_assert_cmpint (fest_ticket_code_verify (qr, key, fixture->fest.festival_id, now, &payload), ==,
                     FEST_TICKET_CODE_VALID);
    g_assert_cmpstr (payload.ticket_id, ==, id);
    g_assert_cmpstr (payload.type_code, ==, "PASS3J");
  }
  g_clear_pointer (&reply, json_node_unref);

  /* The secret key never leaves the server. */
  status = fest_test_server_request (fixture->server, "GET", "/ticket-key", fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_null (fest_test_json_get (reply, "data.secret_key"));
  g_clear_pointer (&reply, json_node_unref);

  /* Types list with the issued count, tickets list with filters */
  status = fest_test_server_request (fixture->server, "GET", "/ticket-types", fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpint (fest_test_json_int (reply, "data.0.issued"), ==, 1);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.quota")));
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (fixture->server, "GET", "/tickets?status=VALID", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/tickets?status=USED", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/tickets?status=BOGUS", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "status");
}

static void
test_type_validation (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "DAY1", 10, 0, 1, FALSE);
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  /* Duplicate code */
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Other\",\"code\":\"DAY1\",\"valid_from\":\"2026-07-01T10:00:00Z\","
                                     "\"valid_until\":\"2026-07-02T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Window backwards */
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Other\",\"code\":\"DAY2\",\"valid_from\":\"2026-07-02T10:00:00Z\","
                                     "\"valid_until\":\"2026-07-01T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "valid_until");
  g_clear_pointer (&reply, json_node_unref);

  /* Missing code, negative quota, string price */
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Other\",\"valid_from\":\"2026-07-01T10:00:00Z\","
                                     "\"valid_until\":\"2026-07-02T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "code");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Other\",\"code\":\"X\",\"quota\":-1,"
                                     "\"valid_from\":\"2026-07-01T10:00:00Z\",\"valid_until\":\"2026-07-02T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "quota");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Other\",\"code\":\"X\",\"price\":\"12\","
                                     "\"valid_from\":\"2026-07-01T10:00:00Z\",\"valid_until\":\"2026-07-02T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "price");
  g_clear_pointer (&reply, json_node_unref);

  /* Issue: unknown type, bad id */
  status = fest_test_server_request (fixture->server, "POST", "/tickets", fixture->fest.organiser_token,
                                     "{\"ticket_type_id\":\"00000000-0000-4000-8000-000000000000\"}", &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/tickets", fixture->fest.organiser_token,
                                     "{\"ticket_type_id\":42}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "ticket_type_id");
}

/* Issue 14: a type created with only {name, code, price, quota} is valid for the festival's
 * dates (2026-07-10T12:00:00Z..2026-07-13T02:00:00Z, fest-test-server.c), and its tickets verify
 * within them. */
static void
test_type_default_validity (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) key_reply = NULL;
  g_autoptr(GDateTime) during = g_date_time_new_utc (2026, 7, 11, 20, 0, 0);
  g_autoptr(GDateTime) after = g_date_time_new_utc (2026, 7, 14, 0, 0, 0);
  g_auto(FestTicketPayload) payload = { 0 };
  g_autofree guint8 *key = NULL;
  g_autofree char *type_id = NULL;
  const char *key_text;
  gsize key_len = 0;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Pass festival\",\"code\":\"PASS\",\"price\":4500,"
                                     "\"quota\":100}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.valid_from"), ==, "2026-07-10T12:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.valid_until"), ==, "2026-07-13T02:00:00Z");
  type_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  ticket = issue (fixture, type_id, "Camille");
  status = fest_test_server_request (fixture->server, "GET", "/ticket-key", fixture->fest.organiser_token, NULL,
                                     &key_reply);
  g_assert_cmpuint (status, ==, 200);
  key_text = fest_test_json_string (key_reply, "data.public_key");
  key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
  g_assert_cmpuint (key_len, ==, FEST_TICKET_PUBLIC_KEY_BYTES);
  g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (ticket, "data.qr_code"), key,
                                            fixture->fest.festival_id, during, &payload), ==,
                   FEST_TICKET_CODE_VALID);
  g_assert_cmpstr (payload.ticket_id, ==, fest_test_json_string (ticket, "data.id"));
  g_assert_cmpint (fest_ticket_code_verify (fest_test_json_string (ticket, "data.qr_code"), key,
                                            fixture->fest.festival_id, after, NULL), !=,
                   FEST_TICKET_CODE_VALID);

  /* One bound given: the other is the festival's, and the window must still be forwards. */
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Last day\",\"code\":\"LAST\","
                                     "\"valid_from\":\"2026-07-12T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.valid_from"), ==, "2026-07-12T10:00:00Z");
  g_assert_cmpstr (fest_test_json_string (reply, "data.valid_until"), ==, "2026-07-13T02:00:00Z");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", fixture->fest.organiser_token,
                                     "{\"name\":\"Too late\",\"code\":\"LATE\","
                                     "\"valid_from\":\"2026-08-01T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "valid_from");
}

/* Quota race: many issue requests in flight at once on a quota of 5. */

typedef struct
{
  guint      pending;
  guint      created;
  guint      conflicts;
  guint      other;
  GMainLoop *loop;
} RaceState;

static void
race_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RaceState *state = user_data;
  SoupMessage *msg = soup_session_get_async_result_message (SOUP_SESSION (source), result);
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);
  guint status = soup_message_get_status (msg);

  g_assert_nonnull (body);
  if (status == 201)
    state->created++;
  else if (status == 409 && g_strstr_len (g_bytes_get_data (body, NULL), g_bytes_get_size (body), "\"CONFLICT\""))
    state->conflicts++;
  else
    state->other++;
  if (--state->pending == 0)
    g_main_loop_quit (state->loop);
}

static void
test_quota_race (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "VIP", 5, -1, 3, FALSE);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("max-conns", 64, "max-conns-per-host", 64, NULL);
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/api/v1/tickets", fest_test_server_get_url (fixture->server));
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fixture->fest.organiser_token);
  g_autofree char *body = g_strdup_printf ("{\"ticket_type_id\":\"%s\"}", type_id);
  g_autoptr(JsonNode) reply = NULL;
  RaceState state = { 0, };
  const guint n = 24;

  state.loop = loop;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SoupMessage) msg = soup_message_new ("POST", url);
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      state.pending++;
      soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, race_done_cb, &state);
    }
  g_main_loop_run (loop);

  g_assert_cmpuint (state.created, ==, 5);
  g_assert_cmpuint (state.conflicts, ==, n - 5);
  g_assert_cmpuint (state.other, ==, 0);

  fest_test_server_request (fixture->server, "GET", "/ticket-types", fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "data.0.issued"), ==, 5);
  g_clear_pointer (&reply, json_node_unref);
  fest_test_server_request (fixture->server, "GET", "/tickets", fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 5);
}

/* Re-encodes a code's payload with @holder changed, keeping the original signature. */
static char *
tamper_payload (const char *qr)
{
  g_auto(GStrv) parts = g_strsplit (qr, ".", -1);
  g_autofree guint8 *payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;
  g_autofree char *encoded = NULL;
  gsize len = 0;

  g_assert_cmpuint (g_strv_length (parts), ==, 3);
  payload = fest_base64url_decode (parts[1], strlen (parts[1]), &len);
  g_assert_nonnull (payload);
  node = fest_json_parse ((const char *) payload, len, NULL);
  g_assert_nonnull (node);
  json_object_set_string_member (json_node_get_object (node), "h", "Mallory");
  json = fest_json_to_string (node, &len);
  encoded = fest_base64url_encode ((const guint8 *) json, len);
  return g_strdup_printf ("FT1.%s.%s", encoded, parts[2]);
}

static char *
tamper_signature (const char *qr)
{
  char *copy = g_strdup (qr);
  char *last_dot = strrchr (copy, '.');

  g_assert_nonnull (last_dot);
  /* Flip a character in the middle of the signature (every base64url char there is significant). */
  last_dot[10] = last_dot[10] == 'A' ? 'B' : 'A';
  return copy;
}

/* A code signed with this festival's real secret key (read from its database file) for a ticket
 * the server never issued. */
static char *
sign_unknown_ticket (Fixture *fixture)
{
  guint8 secret[FEST_TICKET_SECRET_KEY_BYTES];
  FestTicketPayload payload = {
    .ticket_id = (char *) "00000000-0000-4000-8000-000000000001",
    .festival_id = fixture->fest.festival_id,
    .type_code = (char *) "PASS",
    .holder = (char *) "Nobody",
    .valid_from = (char *) "2020-01-01T00:00:00Z",
    .valid_until = (char *) "2099-01-01T00:00:00Z",
  };
  FestDb *db = fest_test_server_open_db (fixture->server, fixture->fest.festival_id, FALSE);
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;
  char *qr;

  stmt = fest_db_prepare_uncached (db, "SELECT ticket_secret_key FROM festival", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  g_assert_cmpuint (fest_db_column_bytes (stmt, 0), ==, FEST_TICKET_SECRET_KEY_BYTES);
  memcpy (secret, fest_db_column_blob (stmt, 0), sizeof secret);
  fest_db_stmt_free (stmt);
  fest_db_free (db);

  qr = fest_ticket_code_sign (&payload, secret);
  g_assert_nonnull (qr);
  return qr;
}

static void
test_validate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "PASS", -1, -1, 3, FALSE);
  g_autofree char *expired_type = create_type (fixture, "OLD", -1, -10, -2, FALSE);
  g_autofree char *future_type = create_type (fixture, "NEXT", -1, 5, 8, FALSE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Alice");
  g_autoptr(JsonNode) expired = issue (fixture, expired_type, "Bob");
  g_autoptr(JsonNode) future = issue (fixture, future_type, "Carol");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *tampered_payload = NULL;
  g_autofree char *tampered_signature = NULL;
  g_autofree char *unknown = NULL;
  const char *qr = fest_test_json_string (ticket, "data.qr_code");

  g_assert_cmpuint (validate (fixture, qr, &reply), ==, 200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.valid")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, fest_test_json_string (ticket, "data.id"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "VALID");
  g_clear_pointer (&reply, json_node_unref);

  tampered_payload = tamper_payload (qr);
  assert_invalid (fixture, tampered_payload, "BAD_SIGNATURE");
  tampered_signature = tamper_signature (qr);
  assert_invalid (fixture, tampered_signature, "BAD_SIGNATURE");
  assert_invalid (fixture, "FT1.garbage", "MALFORMED");
  assert_invalid (fixture, "FT1..", "MALFORMED");
  assert_invalid (fixture, fest_test_json_string (expired, "data.qr_code"), "EXPIRED");
  assert_invalid (fixture, fest_test_json_string (future, "data.qr_code"), "NOT_YET_VALID");
  unknown = sign_unknown_ticket (fixture);
  assert_invalid (fixture, unknown, "UNKNOWN");

  /* Validating does not use the ticket. */
  g_assert_cmpuint (validate (fixture, qr, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "VALID");
}

static void
test_foreign_festival (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "PASS", -1, -1, 3, FALSE);
  g_autoptr(JsonNode) mine = issue (fixture, type_id, "Alice");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *foreign_qr = NULL;
  g_autofree char *foreign_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) until = g_date_time_add_days (now, 2);
  g_autofree char *until_text = fest_time_format (until);
  guint status;

  /* A second festival with its own key and ticket. */
  other_id = fest_test_server_create_festival (fixture->server, fixture->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (fixture->server, fixture->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);
  status = fest_test_server_requestf (fixture->server, "POST", "/ticket-types", other_token, &reply,
                                      "{\"name\":\"Pass\",\"code\":\"PASS\",\"valid_from\":\"2020-01-01T00:00:00Z\","
                                      "\"valid_until\":\"%s\"}", until_text);
  g_assert_cmpuint (status, ==, 201);
  {
    g_autofree char *other_type = g_strdup (fest_test_json_string (reply, "data.id"));

    g_clear_pointer (&reply, json_node_unref);
    status = fest_test_server_requestf (fixture->server, "POST", "/tickets", other_token, &reply,
                                        "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Eve\"}", other_type);
    g_assert_cmpuint (status, ==, 201);
  }
  foreign_qr = g_strdup (fest_test_json_string (reply, "data.qr_code"));
  foreign_id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  /* Festival A's token: the foreign code is refused as such, its id does not exist here. */
  assert_invalid (fixture, foreign_qr, "WRONG_FESTIVAL");
  path = g_strdup_printf ("/tickets/%s", foreign_id);
  status = fest_test_server_request (fixture->server, "GET", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = scan (fixture, fixture->fest.organiser_token, foreign_id, "foreign-1", "N", "IN", &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* And the other way round. */
  {
    g_autofree char *escaped = g_uri_escape_string (fest_test_json_string (mine, "data.qr_code"), NULL, FALSE);
    g_autofree char *mine_path = g_strdup_printf ("/tickets/%s", escaped);

    status = fest_test_server_request (fixture->server, "GET", mine_path, other_token, NULL, &reply);
    g_assert_cmpuint (status, ==, 422);
    g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, "WRONG_FESTIVAL");
  }
}

static void
test_scan_twice (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "DAY", -1, -1, 1, FALSE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Alice");
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) replay = NULL;
  g_autofree char *scanner_token = NULL;
  g_autofree char *cashier_token = NULL;
  const char *id = fest_test_json_string (ticket, "data.id");
  guint status;

  scanner_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                               fixture->fest.festival_id, "scanner@test.festivals", "SCANNER", NULL);
  cashier_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                               fixture->fest.festival_id, "cashier@test.festivals", "CASHIER", NULL);

  /* No key, wrong role */
  status = scan (fixture, scanner_token, id, NULL, "Nord", "IN", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "Idempotency-Key");
  g_clear_pointer (&reply, json_node_unref);
  status = scan (fixture, cashier_token, id, "scan-0", "Nord", "IN", &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  /* First scan wins */
  status = scan (fixture, scanner_token, id, "scan-1", "Nord", "IN", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.result"), ==, "ENTRY");
  g_assert_cmpstr (fest_test_json_string (reply, "data.ticket.status"), ==, "USED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.ticket.used_gate"), ==, "Nord");

  /* A replay of the same request answers the same, and records nothing more. */
  status = scan (fixture, scanner_token, id, "scan-1", "Nord", "IN", &replay);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (replay, "data.scan.id"), ==, fest_test_json_string (reply, "data.scan.id"));
  g_clear_pointer (&replay, json_node_unref);
  /* The same key for another request */
  status = scan (fixture, scanner_token, id, "scan-1", "Sud", "IN", &replay);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (replay, "IDEMPOTENCY_KEY_REUSED", NULL);
  g_clear_pointer (&replay, json_node_unref);

  /* Second entry refused with when and where */
  status = scan (fixture, scanner_token, id, "scan-2", "Sud", "IN", &replay);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (replay, "TICKET_ALREADY_USED", NULL);
  g_assert_cmpstr (fest_test_json_string (replay, "error.details.gate"), ==, "Nord");
  g_assert_cmpstr (fest_test_json_string (replay, "error.details.used_at"), ==,
                   fest_test_json_string (reply, "data.ticket.used_at"));
  g_clear_pointer (&replay, json_node_unref);

  /* No way out for a type without re-entry */
  status = scan (fixture, scanner_token, id, "scan-3", "Nord", "OUT", &replay);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (replay, "CONFLICT", NULL);
  g_clear_pointer (&replay, json_node_unref);

  /* Bad direction */
  status = scan (fixture, scanner_token, id, "scan-4", "Nord", "SIDEWAYS", &replay);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (replay, "VALIDATION_FAILED", "direction");
}

static void
test_reentry (Fixture       *fixture,
              gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "CAMP", -1, -1, 3, TRUE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Alice");
  const char *id = fest_test_json_string (ticket, "data.id");
  static const struct
  {
    const char *direction;
    guint       status;
    const char *result;
  } steps[] = {
    { "OUT", 409, NULL },        /* not inside yet */
    { "IN", 200, "ENTRY" },
    { "IN", 409, NULL },         /* already inside */
    { "OUT", 200, "EXIT" },
    { "IN", 200, "ENTRY" },      /* back in */
    { "OUT", 200, "EXIT" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      g_autofree char *key = g_strdup_printf ("reentry-%u", i);
      guint status = scan (fixture, fixture->fest.organiser_token, id, key, "Camping", steps[i].direction, &reply);

      g_assert_cmpuint (status, ==, steps[i].status);
      if (steps[i].result != NULL)
        g_assert_cmpstr (fest_test_json_string (reply, "data.result"), ==, steps[i].result);
    }
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *type_id = create_type (fixture, "PASS", -1, -1, 3, FALSE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Alice");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *scanner_token = NULL;
  const char *id = fest_test_json_string (ticket, "data.id");
  guint status;

  scanner_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                               fixture->fest.festival_id, "scanner@test.festivals", "SCANNER", NULL);
  path = g_strdup_printf ("/tickets/%s/cancel", id);

  /* Only an organiser cancels */
  status = fest_test_server_request (fixture->server, "POST", path, scanner_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (fixture->server, "POST", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CANCELLED");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "POST", path, fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 409);
  g_clear_pointer (&reply, json_node_unref);

  assert_invalid (fixture, fest_test_json_string (ticket, "data.qr_code"), "CANCELLED");
  status = scan (fixture, scanner_token, id, "cancelled-1", "Nord", "IN", &reply);
  g_assert_cmpuint (status, ==, 422);
  fest_test_assert_error (reply, "TICKET_INVALID", NULL);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, "CANCELLED");
  g_clear_pointer (&reply, json_node_unref);

  /* The cancellation is in the audit log. */
  status = fest_test_server_request (fixture->server, "GET", "/audit?entity_type=ticket",
                                     fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "ticket.cancel");
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static void
test_qr_png (Fixture       *fixture,
             gconstpointer  data)
{
  static const guint8 png_signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *type_id = create_type (fixture, "PASS", -1, -1, 3, FALSE);
  g_autoptr(JsonNode) ticket = issue (fixture, type_id, "Alice");
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *url = NULL;
  g_autofree char *auth = g_strdup_printf ("Bearer %s", fixture->fest.organiser_token);
  const guint8 *bytes;
  gsize size = 0;
  QRcode *code;
  guint expected;

  url = g_strdup_printf ("%s/api/v1/tickets/%s/qr.png", fest_test_server_get_url (fixture->server),
                         fest_test_json_string (ticket, "data.id"));
  msg = soup_message_new ("GET", url);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  body = soup_session_send_and_read (session, msg, NULL, NULL);
  g_assert_nonnull (body);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL), ==,
                   "image/png");

  bytes = g_bytes_get_data (body, &size);
  g_assert_cmpuint (size, >, 33);
  g_assert_cmpmem (bytes, 8, png_signature, 8);
  g_assert_cmpmem (bytes + 12, 4, "IHDR", 4);

  /* 8 px per module and a 4-module quiet zone around the symbol of this exact text. */
  code = QRcode_encodeString (fest_test_json_string (ticket, "data.qr_code"), 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  g_assert_nonnull (code);
  expected = (code->width + 8) * 8;
  QRcode_free (code);
  g_assert_cmpuint (read_be32 (bytes + 16), ==, expected);
  g_assert_cmpuint (read_be32 (bytes + 20), ==, expected);

  /* Unknown ticket */
  {
    g_autoptr(JsonNode) reply = NULL;
    guint status = fest_test_server_request (fixture->server, "GET",
                                             "/tickets/00000000-0000-4000-8000-000000000000/qr.png",
                                             fixture->fest.organiser_token, NULL, &reply);

    g_assert_cmpuint (status, ==, 404);
  }
}

static void
test_permissions (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *cashier_token = NULL;
  g_autofree char *scanner_token = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  cashier_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                               fixture->fest.festival_id, "cashier@test.festivals", "CASHIER", NULL);
  scanner_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                               fixture->fest.festival_id, "scanner@test.festivals", "SCANNER", NULL);

  status = fest_test_server_request (fixture->server, "POST", "/ticket-types", scanner_token,
                                     "{\"name\":\"X\",\"code\":\"X\",\"valid_from\":\"2026-07-01T10:00:00Z\","
                                     "\"valid_until\":\"2026-07-02T10:00:00Z\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/tickets", cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/tickets", scanner_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (fixture->server, "GET", "/tickets", NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 401);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/tickets/issue-and-read", test_issue_and_read);
  ADD ("/fest/tickets/type-validation", test_type_validation);
  ADD ("/fest/tickets/type-default-validity", test_type_default_validity);
  ADD ("/fest/tickets/quota-race", test_quota_race);
  ADD ("/fest/tickets/validate", test_validate);
  ADD ("/fest/tickets/foreign-festival", test_foreign_festival);
  ADD ("/fest/tickets/scan-twice", test_scan_twice);
  ADD ("/fest/tickets/reentry", test_reentry);
  ADD ("/fest/tickets/cancel", test_cancel);
  ADD ("/fest/tickets/qr-png", test_qr_png);
  ADD ("/fest/tickets/permissions", test_permissions);
#undef ADD

  return g_test_run ();
}
