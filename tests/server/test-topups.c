/* test-topups.c: online top-ups, paid through the signed-webhook payment provider
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Issue 14: POST /me/wallet/recharge credited an attendee's wallet with no payment at all. Now it
 * stores a pending top-up, and only the provider's signed confirmation credits the wallet, once.
 * (test-ledger.c's /fest/ledger/me-wallet covers the server with no provider: 501.)
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define SECRET "a shared secret only the gateway and the server know"
#define UNKNOWN_ID "00000000-0000-4000-8000-000000000000"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *attendee;        /* FESTIVALIER of the festival */
  char            *other_attendee;  /* FESTIVALIER of the same festival */
  char            *foreign_attendee; /* FESTIVALIER of another festival */
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *secret_path = NULL;
  g_autofree char *other_festival = NULL;
  g_autoptr(GError) error = NULL;

  f->server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  /* Surrounding white space is not part of the secret (a file written by echo ends in \n). */
  secret_path = g_build_filename (fest_test_server_get_data_dir (f->server), "webhook-secret", NULL);
  g_file_set_contents (secret_path, "  " SECRET "\n", -1, &error);
  g_assert_no_error (error);
  fest_test_server_add_arg (f->server, "--payment-webhook-secret");
  fest_test_server_add_arg (f->server, secret_path);
  fest_test_server_start (f->server);

  fest_test_server_setup_festival (f->server, "Top-up fest", &f->fest);
  f->attendee = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                             "attendee@test.festivals", "FESTIVALIER", NULL);
  f->other_attendee = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                   "neighbour@test.festivals", "FESTIVALIER", NULL);

  other_festival = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  g_assert_cmpuint (fest_test_server_requestf (f->server, "POST", "/auth/festival", f->fest.superadmin_token, NULL,
                                               "{\"festival_id\":\"%s\"}", other_festival), ==, 200);
  f->foreign_attendee = fest_test_server_add_member (f->server, f->fest.superadmin_token, other_festival,
                                                     "foreign@test.festivals", "FESTIVALIER", NULL);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  fest_test_festival_clear (&f->fest);
  g_free (f->attendee);
  g_free (f->other_attendee);
  g_free (f->foreign_attendee);
  fest_test_server_free (f->server);
}

static guint
recharge (Fixture    *f,
          const char *token,
          const char *key,
          gint64      amount,
          JsonNode  **reply)
{
  g_autofree char *body = g_strdup_printf ("{\"amount\":%" G_GINT64_FORMAT "}", amount);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  const char *headers[] = { "Idempotency-Key", key, NULL };

  return fest_test_server_request_full (f->server, "POST", "/me/wallet/recharge", token, "application/json",
                                        bytes, headers, NULL, reply);
}

/* POST /payments/webhook with @body, signed with @secret (NULL: no signature header). */
static guint
webhook (Fixture    *f,
         const char *secret,
         const char *body,
         JsonNode  **reply)
{
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  g_autofree char *hmac = NULL;
  g_autofree char *signature = NULL;
  const char *headers[] = { "X-Festivals-Signature", NULL, NULL };

  if (secret != NULL)
    {
      hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret),
                                      (const guchar *) body, strlen (body));
      signature = g_strdup_printf ("sha256=%s", hmac);
      headers[1] = signature;
    }
  return fest_test_server_request_full (f->server, "POST", "/payments/webhook", NULL, "application/json", bytes,
                                        secret != NULL ? headers : NULL, NULL, reply);
}

static char *
confirmation (const char *topup_id,
              const char *status,
              gint64      amount)
{
  return g_strdup_printf ("{\"topup_id\":\"%s\",\"status\":\"%s\",\"amount\":%" G_GINT64_FORMAT ","
                          "\"reference\":\"gw-%s\"}",
                          topup_id, status, amount, status);
}

static gint64
balance (Fixture    *f,
         const char *token)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/wallet", token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "data.balance");
}

static char *
topup_status (Fixture    *f,
              const char *token,
              const char *id)
{
  g_autofree char *path = g_strdup_printf ("/me/wallet/topups/%s", id);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, id);
  return g_strdup (fest_test_json_string (reply, "data.status"));
}

static void
test_confirm_once (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *id = NULL;
  g_autofree char *wallet_id = NULL;
  g_autofree char *transaction_id = NULL;
  g_autofree char *status_text = NULL;
  g_autofree char *paid = NULL;
  g_autofree char *forged = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *check_out = NULL;
  g_autofree char *check_err = NULL;

  /* The attendee asks: a pending top-up, nothing credited. A retry is the same top-up. */
  g_assert_cmpuint (recharge (f, f->attendee, "topup-1", 2500, &reply), ==, 202);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "PENDING");
  g_assert_cmpint (fest_test_json_int (reply, "data.amount"), ==, 2500);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  wallet_id = g_strdup (fest_test_json_string (reply, "data.wallet_id"));
  g_assert_true (fest_uuid_is_valid (id));
  g_assert_true (fest_uuid_is_valid (wallet_id));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (recharge (f, f->attendee, "topup-1", 2500, &reply), ==, 202);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, id);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (balance (f, f->attendee), ==, 0);
  status_text = topup_status (f, f->attendee, id);
  g_assert_cmpstr (status_text, ==, "PENDING");

  /* Not the provider: no signature, or one made with another secret. */
  paid = confirmation (id, "PAID", 2500);
  g_assert_cmpuint (webhook (f, NULL, paid, &reply), ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (webhook (f, "a guessed secret, not the real one", paid, &reply), ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_clear_pointer (&reply, json_node_unref);
  /* A body changed after signing. */
  {
    g_autofree char *hmac = g_compute_hmac_for_data (G_CHECKSUM_SHA256, (const guchar *) SECRET, strlen (SECRET),
                                                     (const guchar *) paid, strlen (paid));
    g_autofree char *signature = g_strdup_printf ("sha256=%s", hmac);
    g_autofree char *tampered = confirmation (id, "PAID", 250000);
    g_autoptr(GBytes) bytes = g_bytes_new (tampered, strlen (tampered));
    const char *headers[] = { "X-Festivals-Signature", signature, NULL };

    g_assert_cmpuint (fest_test_server_request_full (f->server, "POST", "/payments/webhook", NULL,
                                                     "application/json", bytes, headers, NULL, &reply), ==, 401);
    g_clear_pointer (&reply, json_node_unref);
  }
  g_assert_cmpint (balance (f, f->attendee), ==, 0);

  /* Signed, but for another amount than the top-up's. */
  forged = confirmation (id, "PAID", 250000);
  g_assert_cmpuint (webhook (f, SECRET, forged, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "amount");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (balance (f, f->attendee), ==, 0);

  /* An unknown top-up. */
  unknown = confirmation (UNKNOWN_ID, "PAID", 2500);
  g_assert_cmpuint (webhook (f, SECRET, unknown, &reply), ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* The provider's confirmation credits the wallet through the ledger... */
  g_assert_cmpuint (webhook (f, SECRET, paid, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CONFIRMED");
  g_assert_cmpstr (fest_test_json_string (reply, "data.reference"), ==, "gw-PAID");
  transaction_id = g_strdup (fest_test_json_string (reply, "data.transaction_id"));
  g_assert_true (fest_uuid_is_valid (transaction_id));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (balance (f, f->attendee), ==, 2500);

  /* ... once: a replayed webhook answers the same and credits nothing more. */
  for (guint i = 0; i < 2; i++)
    {
      g_assert_cmpuint (webhook (f, SECRET, paid, &reply), ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "CONFIRMED");
      g_assert_cmpstr (fest_test_json_string (reply, "data.transaction_id"), ==, transaction_id);
      g_clear_pointer (&reply, json_node_unref);
    }
  g_assert_cmpint (balance (f, f->attendee), ==, 2500);
  g_clear_pointer (&status_text, g_free);
  status_text = topup_status (f, f->attendee, id);
  g_assert_cmpstr (status_text, ==, "CONFIRMED");

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/wallet/transactions", f->attendee, NULL,
                                              &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, transaction_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.type"), ==, "RECHARGE");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.wallet_id"), ==, wallet_id);
  g_assert_cmpint (fest_test_json_int (reply, "data.0.amount"), ==, 2500);
  g_clear_pointer (&reply, json_node_unref);

  /* The ledger's invariants and hash chain hold. */
  g_assert_cmpint (fest_test_server_run_command (f->server, NULL, &check_out, &check_err, "--check", NULL), ==, 0);
}

static void
test_failed_and_foreign (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autofree char *failed = NULL;
  g_autofree char *paid = NULL;

  g_assert_cmpuint (recharge (f, f->attendee, "topup-f", 700, &reply), ==, 202);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  path = g_strdup_printf ("/me/wallet/topups/%s", id);

  /* Only its attendee sees it: not a neighbour, not another festival's attendee. */
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->other_attendee, NULL, &reply), ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->foreign_attendee, NULL, &reply), ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/me/wallet/topups/" UNKNOWN_ID, f->attendee, NULL,
                                              &reply), ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* A failed payment credits nothing, and a later "paid" for it does not either. */
  failed = confirmation (id, "FAILED", 700);
  g_assert_cmpuint (webhook (f, SECRET, failed, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "FAILED");
  g_assert_null (fest_test_json_string (reply, "data.transaction_id"));
  g_clear_pointer (&reply, json_node_unref);
  paid = confirmation (id, "PAID", 700);
  g_assert_cmpuint (webhook (f, SECRET, paid, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.status"), ==, "FAILED");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (balance (f, f->attendee), ==, 0);

  /* Bad input. */
  g_assert_cmpuint (recharge (f, f->attendee, "topup-0", 0, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "amount");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (webhook (f, SECRET, "{\"topup_id\":\"x\",\"status\":\"PAID\",\"amount\":1}", &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "topup_id");
  g_clear_pointer (&reply, json_node_unref);
  {
    g_autofree char *odd = g_strdup_printf ("{\"topup_id\":\"%s\",\"status\":\"MAYBE\",\"amount\":700}", id);

    g_assert_cmpuint (webhook (f, SECRET, odd, &reply), ==, 400);
    fest_test_assert_error (reply, "VALIDATION_FAILED", "status");
    g_clear_pointer (&reply, json_node_unref);
  }

  /* Staff have no wallet of their own to top up. */
  g_assert_cmpuint (recharge (f, f->fest.organiser_token, "topup-o", 700, &reply), ==, 403);
}

/* Without a provider, the webhook has nobody to verify it. */
static void
test_no_provider (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (server, "POST", "/payments/webhook", NULL,
                                              "{\"topup_id\":\"" UNKNOWN_ID "\",\"status\":\"PAID\",\"amount\":1}",
                                              &reply), ==, 501);
  g_assert_cmpstr (fest_test_json_string (reply, "error.code"), ==, "PAYMENT_PROVIDER_MISSING");
}

/* A secret too short to authenticate anything, or missing, stops the server from starting. */
static void
test_bad_secret (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *path = g_build_filename (fest_test_server_get_data_dir (server), "short-secret", NULL);
  g_autofree char *missing = g_build_filename (fest_test_server_get_data_dir (server), "no-such-file", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *err_missing = NULL;

  g_file_set_contents (path, "short\n", -1, &error);
  g_assert_no_error (error);
  g_assert_cmpint (fest_test_server_run_command (server, NULL, NULL, &err, "--payment-webhook-secret", path,
                                                 "--listen", "127.0.0.1:0", NULL), ==, 2);
  g_assert_nonnull (strstr (err, "secret"));
  g_assert_cmpint (fest_test_server_run_command (server, NULL, NULL, &err_missing, "--payment-webhook-secret",
                                                 missing, "--listen", "127.0.0.1:0", NULL), ==, 2);
  g_assert_nonnull (strstr (err_missing, "no-such-file"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  g_test_add ("/fest/topups/confirm-once", Fixture, NULL, fixture_setup, test_confirm_once, fixture_teardown);
  g_test_add ("/fest/topups/failed-and-foreign", Fixture, NULL, fixture_setup, test_failed_and_foreign,
              fixture_teardown);
  g_test_add_func ("/fest/topups/no-provider", test_no_provider);
  g_test_add_func ("/fest/topups/bad-secret", test_bad_secret);

  return g_test_run ();
}
