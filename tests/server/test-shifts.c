/* test-shifts.c: cash shifts, POST /shifts, POST /shifts/{id}/close, GET /shifts (issue 19)
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
  char            *desk;
  char            *device_token;   /* a recharge station at the desk */
  char            *device2_token;
  char            *cashier_token;
  char            *wallet;
} Fixture;

static char *
create (Fixture    *f,
        const char *path,
        const char *body)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "POST", path, f->fest.organiser_token, body, &reply), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static char *
create_device (Fixture    *f,
               const char *name)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_requestf (f->server, "POST", "/devices", f->fest.organiser_token, &reply,
                                               "{\"name\":\"%s\",\"mode\":\"recharge\",\"stand_id\":\"%s\"}", name,
                                               f->desk), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.token"));
}

static void
recharge (Fixture    *f,
          const char *token,
          gint64      amount,
          const char *method)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%" G_GINT64_FORMAT
                                           ",\"payment_method\":\"%s\"}", f->wallet, amount, method);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", key, NULL };

  g_assert_cmpuint (fest_test_server_request_full (f->server, "POST", "/transactions", token, "application/json", bytes,
                                                   headers, NULL, NULL), ==, 201);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Shifts fest", &f->fest);
  f->desk = create (f, "/stands", "{\"name\":\"Desk\",\"type\":\"RECHARGE\"}");
  f->device_token = create_device (f, "Desk 1");
  f->device2_token = create_device (f, "Desk 2");
  f->cashier_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                  "cashier@test.festivals", "CASHIER", NULL);
  f->wallet = create (f, "/wallets", "{}");
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->desk);
  g_free (f->device_token);
  g_free (f->device2_token);
  g_free (f->cashier_token);
  g_free (f->wallet);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

static guint
open_shift (Fixture     *f,
            const char  *token,
            gint64       opening_float,
            JsonNode   **reply)
{
  return fest_test_server_requestf (f->server, "POST", "/shifts", token, reply,
                                    "{\"stand_id\":\"%s\",\"opening_float\":%" G_GINT64_FORMAT "}", f->desk,
                                    opening_float);
}

static void
test_expected_cash (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) shift = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *close_path = NULL;
  g_autofree char *get_path = NULL;

  /* Before the shift: not counted. */
  recharge (f, f->device_token, 999, "CASH");

  g_assert_cmpuint (open_shift (f, f->device_token, 10000, &shift), ==, 201);
  g_assert_cmpstr (fest_test_json_string (shift, "data.status"), ==, "OPEN");
  g_assert_cmpint (fest_test_json_int (shift, "data.opening_float"), ==, 10000);
  close_path = g_strdup_printf ("/shifts/%s/close", fest_test_json_string (shift, "data.id"));
  get_path = g_strdup_printf ("/shifts/%s", fest_test_json_string (shift, "data.id"));

  /* One open shift per device. */
  g_assert_cmpuint (open_shift (f, f->device_token, 500, &reply), ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, "SHIFT_ALREADY_OPEN");
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.shift_id"), ==, fest_test_json_string (shift, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  /* Cash and card mixed; another device's cash is not this till's. */
  recharge (f, f->device_token, 2000, "CASH");
  recharge (f, f->device_token, 5000, "CARD");
  recharge (f, f->device_token, 1500, "CASH");
  recharge (f, f->device_token, 700, "COMP");
  recharge (f, f->device2_token, 3000, "CASH");

  /* Another device may not close it. */
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, f->device2_token, "{\"counted_cash\":1}",
                                              &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  /* 10000 + 2000 + 1500 = 13500 expected; 13450 counted. */
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, f->device_token,
                                              "{\"counted_cash\":13450,\"note\":\"one coin short\"}", &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CLOSED");
  g_assert_cmpint (fest_test_json_int (reply, "data.cash_recharges"), ==, 3500);
  g_assert_cmpint (fest_test_json_int (reply, "data.expected_cash"), ==, 13500);
  g_assert_cmpint (fest_test_json_int (reply, "data.counted_cash"), ==, 13450);
  g_assert_cmpint (fest_test_json_int (reply, "data.difference"), ==, -50);
  g_assert_cmpstr (fest_test_json_string (reply, "data.note"), ==, "one coin short");
  g_clear_pointer (&reply, json_node_unref);

  /* Closed once; stored. */
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, f->device_token, "{\"counted_cash\":1}",
                                              &reply), ==, 409);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, "SHIFT_CLOSED");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", get_path, f->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.difference"), ==, -50);
  g_clear_pointer (&reply, json_node_unref);

  /* A new shift may open now; the list filters. */
  g_assert_cmpuint (open_shift (f, f->device_token, 0, &reply), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  {
    g_autofree char *path = g_strdup_printf ("/shifts?stand_id=%s&status=closed", f->desk);

    g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data"))), ==, 1);
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/shifts?status=open", f->fest.organiser_token, NULL,
                                                &reply), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data"))), ==, 1);
    g_clear_pointer (&reply, json_node_unref);
    g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/shifts?from=2999-01-01T00:00:00Z",
                                                f->fest.organiser_token, NULL, &reply), ==, 200);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data"))), ==, 0);
  }
}

/* A cashier's own shift (a person's token) counts that cashier's cash only; an organiser closes it. */
static void
test_cashier_shift (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(JsonNode) shift = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *close_path = NULL;

  g_assert_cmpuint (open_shift (f, f->cashier_token, 2000, &shift), ==, 201);
  close_path = g_strdup_printf ("/shifts/%s/close", fest_test_json_string (shift, "data.id"));
  recharge (f, f->cashier_token, 1000, "CASH");
  recharge (f, f->fest.organiser_token, 4000, "CASH");
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, f->fest.organiser_token,
                                              "{\"counted_cash\":3000}", &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.expected_cash"), ==, 3000);
  g_assert_cmpint (fest_test_json_int (reply, "data.difference"), ==, 0);
}

static void
test_bad_input_and_roles (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *body; const char *field; } cases[] = {
    { "{\"opening_float\":100}", "stand_id" },
    { "{\"stand_id\":\"nope\",\"opening_float\":100}", "stand_id" },
    { "{\"stand_id\":\"00000000-0000-4000-8000-000000000000\",\"opening_float\":100}", "stand_id" },
    { "{\"stand_id\":\"DESK\",\"opening_float\":-1}", "opening_float" },
    { "{\"stand_id\":\"DESK\",\"opening_float\":\"100\"}", "opening_float" },
    { "{\"stand_id\":\"DESK\"}", "opening_float" },
  };
  g_autofree char *scanner = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                          "scanner@test.festivals", "SCANNER", NULL);
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *path = NULL;
  g_autofree char *close_path = NULL;
  g_autoptr(JsonNode) shift = NULL;
  g_autoptr(JsonNode) reply = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) r = NULL;
      g_auto(GStrv) parts = g_strsplit (cases[i].body, "DESK", -1);
      g_autofree char *body = g_strjoinv (f->desk, parts);

      g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/shifts", f->device_token, body, &r), ==, 400);
      fest_test_assert_error (r, "VALIDATION_FAILED", cases[i].field);
    }
  g_assert_cmpuint (open_shift (f, f->device_token, 100, &shift), ==, 201);
  close_path = g_strdup_printf ("/shifts/%s/close", fest_test_json_string (shift, "data.id"));
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, f->device_token, "{\"counted_cash\":-5}",
                                              &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "counted_cash");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/shifts/00000000-0000-4000-8000-000000000000/close",
                                              f->device_token, "{\"counted_cash\":5}", &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/shifts?status=maybe", f->fest.organiser_token, NULL,
                                              &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "status");
  g_clear_pointer (&reply, json_node_unref);

  /* A scanner does not hold a till. */
  g_assert_cmpuint (open_shift (f, scanner, 100, &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival: neither the shift nor the stand exist there. */
  other_id = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);
  path = g_strdup_printf ("/shifts/%s", fest_test_json_string (shift, "data.id"));
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, other_token, NULL, &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", close_path, other_token, "{\"counted_cash\":5}",
                                              &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (open_shift (f, other_token, 100, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "stand_id");
}

/* Offline: shift.open, cash recharges and shift.close through POST /sync; a replayed batch
 * changes nothing. */
static void
test_sync (Fixture       *f,
           gconstpointer  data)
{
  g_autofree char *open_batch = g_strdup_printf (
    "{\"device_id\":\"desk-1\",\"operations\":["
    "{\"op\":\"shift.open\",\"idempotency_key\":\"desk-1-shift-1\",\"created_at\":\"2026-07-11T08:00:00Z\","
    " \"payload\":{\"opening_float\":5000}},"
    "{\"op\":\"transaction.create\",\"idempotency_key\":\"desk-1-r1\",\"created_at\":\"2026-07-11T09:00:00Z\","
    " \"payload\":{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":2500,\"payment_method\":\"CASH\"}},"
    "{\"op\":\"transaction.create\",\"idempotency_key\":\"desk-1-r2\",\"created_at\":\"2026-07-11T09:30:00Z\","
    " \"payload\":{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":4000,\"payment_method\":\"CARD\"}}]}",
    f->wallet, f->wallet);
  g_autofree char *close_batch = NULL;
  g_autofree char *shift_id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->device_token, open_batch, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.stand_id"), ==, f->desk);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.entity.opened_at"), ==, "2026-07-11T08:00:00Z");
  shift_id = g_strdup (fest_test_json_string (reply, "data.results.0.entity.id"));
  g_clear_pointer (&reply, json_node_unref);

  close_batch = g_strdup_printf (
    "{\"device_id\":\"desk-1\",\"operations\":["
    "{\"op\":\"shift.close\",\"idempotency_key\":\"desk-1-shift-1-close\",\"created_at\":\"2026-07-11T20:00:00Z\","
    " \"payload\":{\"shift_id\":\"%s\",\"counted_cash\":7600,\"note\":\"a note too many\"}}]}", shift_id);
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->device_token, close_batch, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  g_assert_cmpint (fest_test_json_int (reply, "data.results.0.entity.expected_cash"), ==, 7500);
  g_assert_cmpint (fest_test_json_int (reply, "data.results.0.entity.difference"), ==, 100);
  g_clear_pointer (&reply, json_node_unref);

  /* Replayed: duplicates, nothing changes. */
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->device_token, open_batch, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "duplicate");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->device_token, close_batch, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "duplicate");
  g_clear_pointer (&reply, json_node_unref);
  path = g_strdup_printf ("/shifts/%s", shift_id);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.counted_cash"), ==, 7600);
  g_assert_cmpstr (fest_test_json_string (reply, "data.closed_at"), ==, "2026-07-11T20:00:00Z");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/shifts", f->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data"))), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/shifts/expected-cash", Fixture, NULL, fixture_setup, test_expected_cash, fixture_teardown);
  g_test_add ("/fest/shifts/sync", Fixture, NULL, fixture_setup, test_sync, fixture_teardown);
  g_test_add ("/fest/shifts/cashier", Fixture, NULL, fixture_setup, test_cashier_shift, fixture_teardown);
  g_test_add ("/fest/shifts/bad-input-roles", Fixture, NULL, fixture_setup, test_bad_input_and_roles, fixture_teardown);
  return g_test_run ();
}
