/* test-closures.c: POST /closures, GET /closures and --check of the closure chain (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test festival runs in July 2026 (Europe/Paris); its sales there arrive through /sync as
 * offline operations stamped on those days, so that the days have ended and can be closed.
 */

#include "config.h"

#include <string.h>


#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *bar;
  char            *beer;     /* 5.50, 20 % */
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

/* A card recharge and a payment of @beers beers, offline, at @time. */
static void
offline_sales (Fixture    *f,
               const char *time,
               guint       beers)
{
  g_autofree char *k1 = fest_uuid_new ();
  g_autofree char *k2 = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf (
    "{\"device_id\":\"bar-1\",\"pending\":0,\"operations\":["
    "{\"op\":\"transaction.create\",\"idempotency_key\":\"%s\",\"created_at\":\"%s\","
    " \"payload\":{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":5000,\"payment_method\":\"CARD\"}},"
    "{\"op\":\"transaction.create\",\"idempotency_key\":\"%s\",\"created_at\":\"%s\","
    " \"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
    "  \"lines\":[{\"product_id\":\"%s\",\"quantity\":%u}]}}]}",
    k1, time, f->wallet, k2, time, f->wallet, f->bar, f->beer, beers);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->fest.organiser_token, body, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.0.status"), ==, "applied");
  g_assert_cmpstr (fest_test_json_string (reply, "data.results.1.status"), ==, "applied");
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *body = NULL;

  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Closures fest", &f->fest);
  f->bar = create (f, "/stands", "{\"name\":\"Bar\",\"type\":\"BAR\"}");
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":550,\"vat_rate\":20}", f->bar);
  f->beer = create (f, "/products", body);
  f->wallet = create (f, "/wallets", "{}");
  /* 2026-07-11 and 2026-07-12 in Paris (UTC+2). */
  offline_sales (f, "2026-07-11T20:00:00Z", 2);
  offline_sales (f, "2026-07-12T21:30:00Z", 3);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->bar);
  g_free (f->beer);
  g_free (f->wallet);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

static guint
close_period (Fixture     *f,
              const char  *token,
              const char  *period,
              const char  *date,
              JsonNode   **reply)
{
  return fest_test_server_requestf (f->server, "POST", "/closures", token, reply,
                                    "{\"period\":\"%s\",\"date\":\"%s\"}", period, date);
}

static void
assert_conflict (JsonNode   *reply,
                 const char *reason)
{
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_assert_cmpstr (fest_test_json_string (reply, "error.details.reason"), ==, reason);
}

static void
test_close (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(GDateTime) now = g_date_time_new_now (paris);
  g_autofree char *today = g_date_time_format (now, "%Y-%m-%d");
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) day1 = NULL;
  g_autoptr(JsonNode) day2 = NULL;
  g_autoptr(JsonNode) month = NULL;
  g_autofree char *path = NULL;
  JsonArray *missing, *list, *vat;

  /* Today has not ended. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", today, &reply), ==, 409);
  assert_conflict (reply, "PERIOD_NOT_ENDED");
  g_clear_pointer (&reply, json_node_unref);

  /* A month before its days: both days with sales are named. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "MONTH", "2026-07", &reply), ==, 409);
  assert_conflict (reply, "PERIOD_NOT_CLOSED");
  missing = json_node_get_array (fest_test_json_get (reply, "error.details.missing"));
  g_assert_cmpuint (json_array_get_length (missing), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (missing, 0), ==, "2026-07-11");
  g_assert_cmpstr (json_array_get_string_element (missing, 1), ==, "2026-07-12");
  g_clear_pointer (&reply, json_node_unref);

  /* The first day. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-11", &day1), ==, 201);
  g_assert_cmpstr (fest_test_json_string (day1, "data.period"), ==, "DAY");
  g_assert_cmpstr (fest_test_json_string (day1, "data.starts_at"), ==, "2026-07-10T22:00:00Z");
  g_assert_cmpstr (fest_test_json_string (day1, "data.ends_at"), ==, "2026-07-11T22:00:00Z");
  g_assert_cmpint (fest_test_json_int (day1, "data.transaction_count"), ==, 2);
  g_assert_cmpint (fest_test_json_int (day1, "data.sales_total"), ==, 1100);
  g_assert_cmpint (fest_test_json_int (day1, "data.grand_total"), ==, 1100);
  vat = json_node_get_array (fest_test_json_get (day1, "data.totals.vat"));
  g_assert_cmpuint (json_array_get_length (vat), ==, 1);
  g_assert_cmpint (fest_test_json_int (day1, "data.totals.vat.0.rate_bp"), ==, 2000);
  g_assert_cmpint (fest_test_json_int (day1, "data.totals.vat.0.gross"), ==, 1100);
  g_assert_cmpint (fest_test_json_int (day1, "data.totals.vat.0.vat"), ==, 183);   /* 1100 × 20 / 120 */
  g_assert_cmpstr (fest_test_json_string (day1, "data.totals.payment_methods.0.payment_method"), ==, "CARD");
  g_assert_cmpint (fest_test_json_int (day1, "data.totals.payment_methods.0.amount"), ==, 5000);
  g_assert_cmpstr (fest_test_json_string (day1, "data.prev_hash"), ==,
                   "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpuint (strlen (fest_test_json_string (day1, "data.hash")), ==, 64);
  g_assert_cmpint (fest_test_json_int (day1, "data.last_transaction.seq"), >, 0);
  g_assert_cmpuint (strlen (fest_test_json_string (day1, "data.last_transaction.hash")), ==, 64);

  /* Once. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-11", &reply), ==, 409);
  assert_conflict (reply, "ALREADY_CLOSED");
  g_clear_pointer (&reply, json_node_unref);

  /* Still not the month: one day is open. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "MONTH", "2026-07", &reply), ==, 409);
  missing = json_node_get_array (fest_test_json_get (reply, "error.details.missing"));
  g_assert_cmpuint (json_array_get_length (missing), ==, 1);
  g_clear_pointer (&reply, json_node_unref);

  /* The second day chains to the first; the grand total runs on. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-12", &day2), ==, 201);
  g_assert_cmpstr (fest_test_json_string (day2, "data.prev_hash"), ==, fest_test_json_string (day1, "data.hash"));
  g_assert_cmpint (fest_test_json_int (day2, "data.sales_total"), ==, 1650);
  g_assert_cmpint (fest_test_json_int (day2, "data.grand_total"), ==, 2750);

  /* Now the month; the year has not ended. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "MONTH", "2026-07", &month), ==, 201);
  g_assert_cmpint (fest_test_json_int (month, "data.sales_total"), ==, 2750);
  g_assert_cmpint (fest_test_json_int (month, "data.transaction_count"), ==, 4);
  g_assert_cmpint (fest_test_json_int (month, "data.grand_total"), ==, 2750);
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "YEAR", "2026", &reply), ==, 409);
  assert_conflict (reply, "PERIOD_NOT_ENDED");
  g_clear_pointer (&reply, json_node_unref);

  /* Listed newest first; one by id. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/closures", f->fest.organiser_token, NULL, &reply), ==,
                    200);
  list = json_node_get_array (fest_test_json_get (reply, "data"));
  g_assert_cmpuint (json_array_get_length (list), ==, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.period"), ==, "MONTH");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/closures?period=DAY", f->fest.organiser_token, NULL,
                                              &reply), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data"))), ==, 2);
  g_clear_pointer (&reply, json_node_unref);
  path = g_strdup_printf ("/closures/%s", fest_test_json_string (day1, "data.id"));
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.hash"), ==, fest_test_json_string (day1, "data.hash"));
  g_clear_pointer (&reply, json_node_unref);

  /* The audit row. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/audit?action=closure.create",
                                              f->fest.organiser_token, NULL, &reply), ==, 200);
  {
    g_autofree char *audit = json_to_string (reply, FALSE);

    g_assert_nonnull (strstr (audit, fest_test_json_string (day1, "data.id")));
  }
}

static void
test_bad_input_and_roles (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *body; const char *field; } cases[] = {
    { "{\"period\":\"WEEK\",\"date\":\"2026-07-11\"}", "period" },
    { "{\"date\":\"2026-07-11\"}", "period" },
    { "{\"period\":\"DAY\"}", "date" },
    { "{\"period\":\"DAY\",\"date\":\"2026-07\"}", "date" },
    { "{\"period\":\"DAY\",\"date\":\"2026-02-30\"}", "date" },
    { "{\"period\":\"MONTH\",\"date\":\"2026-13\"}", "date" },
    { "{\"period\":\"YEAR\",\"date\":\"26\"}", "date" },
  };
  g_autofree char *cashier = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                          "cashier@test.festivals", "CASHIER", NULL);
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) day = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) r = NULL;

      g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/closures", f->fest.organiser_token, cases[i].body,
                                                  &r), ==, 400);
      fest_test_assert_error (r, "VALIDATION_FAILED", cases[i].field);
    }
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/closures?period=WEEK", f->fest.organiser_token, NULL,
                                              &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "period");
  g_clear_pointer (&reply, json_node_unref);

  /* A cashier neither closes nor reads closures. */
  g_assert_cmpuint (close_period (f, cashier, "DAY", "2026-07-11", &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/closures", cashier, NULL, &reply), ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival does not see this one's closure, and closes its own days independently. */
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-11", &day), ==, 201);
  path = g_strdup_printf ("/closures/%s", fest_test_json_string (day, "data.id"));
  other_id = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, other_token, NULL, &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (close_period (f, other_token, "DAY", "2026-07-11", &reply), ==, 201);
  g_assert_cmpint (fest_test_json_int (reply, "data.transaction_count"), ==, 0);
}

/* --check: clean after closing; a ledger line of a closed day edited behind the server's back
 * (its trigger dropped) makes it name the closure. */
static void
test_check (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) day = NULL;
  g_autoptr(JsonNode) day2 = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  FestDb *db = NULL;

  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-11", &day), ==, 201);
  g_assert_cmpuint (close_period (f, f->fest.organiser_token, "DAY", "2026-07-12", &day2), ==, 201);
  fest_test_server_stop (f->server);
  g_assert_cmpint (fest_test_server_run_command (f->server, NULL, &out, &err, "--check", NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The closures themselves refuse changes. */
  db = fest_test_server_open_db (f->server, f->fest.festival_id, FALSE);
  g_assert_false (fest_test_db_try_exec (db, "UPDATE closures SET sales_total = 0"));
  g_assert_false (fest_test_db_try_exec (db, "DELETE FROM closures"));

  /* One more beer on the first day's payment. */
  fest_test_db_drop_trigger (db, "transaction_lines", "transaction_lines_no_update");
  fest_test_db_exec (db, "UPDATE transaction_lines SET quantity = quantity + 1 WHERE transaction_id IN"
                         " (SELECT id FROM transactions WHERE type = 'PAYMENT' AND created_at < '2026-07-12')");
  fest_db_free (db);

  g_assert_cmpint (fest_test_server_run_command (f->server, NULL, &out, &err, "--check", NULL), !=, 0);
  g_test_message ("%s%s", out, err);
  {
    g_autofree char *all = g_strconcat (out, err, NULL);
    g_autofree char *needle = g_strdup_printf ("closure %s (DAY 2026-07-11): the ledger no longer matches it",
                                               fest_test_json_string (day, "data.id"));

    g_assert_nonnull (strstr (all, needle));
    /* The second day is untouched. */
    g_assert_null (strstr (all, fest_test_json_string (day2, "data.id")));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/closures/close", Fixture, NULL, fixture_setup, test_close, fixture_teardown);
  g_test_add ("/fest/closures/bad-input-roles", Fixture, NULL, fixture_setup, test_bad_input_and_roles,
              fixture_teardown);
  g_test_add ("/fest/closures/check", Fixture, NULL, fixture_setup, test_check, fixture_teardown);
  return g_test_run ();
}
