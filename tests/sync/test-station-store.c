/* test-station-store.c: the station's offline store (real SQLite files)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "fest-core.h"
#include "fest-station-store.h"

#define FESTIVAL_ID "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0001"
#define STAND_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0002"
#define BEER_ID     "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0003"
#define FRIES_ID    "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0004"
#define WALLET_ID   "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0005"
#define WALLET_CODE "FW1.AAAAAAAAAAAAAAAAAAAAAAAAAA"

typedef struct
{
  char             *dir;
  char             *path;
  FestStationStore *store;
  guint8            public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  guint8            secret_key[FEST_TICKET_SECRET_KEY_BYTES];
} Fixture;

static void
apply_json (FestStationStore *store,
            const char       *json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_json_parse (json, -1, &error);

  g_assert_no_error (error);
  fest_station_store_apply_changes (store, json_node_get_object (node), NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *changes = NULL;

  fixture->dir = g_dir_make_tmp ("fest-station-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "sub", "station.db", NULL);
  fixture->store = fest_station_store_open (fixture->path, &error);
  g_assert_no_error (error);

  g_assert_false (fest_station_store_is_enrolled (fixture->store));
  fest_station_store_enroll (fixture->store, "http://127.0.0.1:1", "dev-1", "Bar 1", FESTIVAL_ID,
                             STAND_ID, "cashier", &error);
  g_assert_no_error (error);
  g_assert_true (fest_station_store_is_enrolled (fixture->store));

  fest_ticket_keypair_new (fixture->public_key, fixture->secret_key);
  key = fest_base64url_encode (fixture->public_key, sizeof fixture->public_key);
  fest_station_store_set_setting (fixture->store, FEST_STATION_KEY_TICKET_KEY, key, &error);
  g_assert_no_error (error);

  changes = g_strdup_printf (
    "{\"products\":["
    " {\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Beer\",\"price\":500,"
    "  \"vat_rate\":20,\"category\":\"Drinks\",\"stock\":null,\"is_active\":true,\"rev\":3},"
    " {\"id\":\"" FRIES_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Fries\",\"price\":350,"
    "  \"vat_rate\":5.5,\"category\":\"Food\",\"stock\":12,\"is_active\":true,\"rev\":4}],"
    "\"wallets\":[{\"id\":\"" WALLET_ID "\",\"code\":\"" WALLET_CODE "\",\"balance\":2000,"
    "  \"overdrawn\":false,\"rev\":5}],"
    "\"cursor\":\"5\",\"has_more\":false}");
  apply_json (fixture->store, changes);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *sub = g_path_get_dirname (fixture->path);
  g_autofree char *wal = g_strconcat (fixture->path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (fixture->path, "-shm", NULL);

  g_assert_finalize_object (fixture->store);
  g_unlink (fixture->path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (sub);
  g_rmdir (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
test_catalog_and_cursor (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GPtrArray) products = fest_station_store_list_products (fixture->store, STAND_ID);
  g_autofree char *cursor = fest_station_store_get_cursor (fixture->store);
  FestStationProduct *beer, *fries;

  g_assert_cmpuint (products->len, ==, 2);
  beer = g_ptr_array_index (products, 0);   /* Drinks before Food */
  fries = g_ptr_array_index (products, 1);
  g_assert_cmpstr (beer->name, ==, "Beer");
  g_assert_cmpuint (beer->vat_rate_bp, ==, 2000);
  g_assert_false (beer->has_stock);
  g_assert_cmpuint (fries->vat_rate_bp, ==, 550);
  g_assert_true (fries->has_stock);
  g_assert_cmpint (fries->stock, ==, 12);
  g_assert_cmpstr (cursor, ==, "5");

  /* An older rev never overwrites a newer one; a newer one does; deletions hide the product. */
  apply_json (fixture->store, "{\"products\":[{\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID
                              "\",\"name\":\"Old\",\"price\":1,\"vat_rate\":20,\"rev\":2}],"
                              "\"cursor\":\"6\"}");
  g_clear_pointer (&products, g_ptr_array_unref);
  products = fest_station_store_list_products (fixture->store, STAND_ID);
  g_assert_cmpstr (((FestStationProduct *) g_ptr_array_index (products, 0))->name, ==, "Beer");
  apply_json (fixture->store, "{\"products\":[{\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID
                              "\",\"name\":\"Beer\",\"price\":500,\"vat_rate\":20,"
                              "\"is_active\":false,\"rev\":9}],\"cursor\":\"9\"}");
  g_clear_pointer (&products, g_ptr_array_unref);
  products = fest_station_store_list_products (fixture->store, STAND_ID);
  g_assert_cmpuint (products->len, ==, 1);
}

static void
test_payment_limits (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  FestSaleLine two_beers[] = { { BEER_ID, 2 } };
  FestSaleLine three_beers[] = { { BEER_ID, 3 } };
  gint64 total = 0;

  /* Balance 2000: 2 beers (1000) pass, then 3 beers (1500) exceed 2000 − 1000 pending. */
  op = fest_station_store_record_payment (fixture->store, WALLET_CODE, two_beers, 1, 0, &total,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (total, ==, 1000);
  g_assert_cmpint (op->amount_delta, ==, -1000);
  g_assert_true (fest_uuid_is_valid (op->idempotency_key));
  g_assert_cmpint (fest_station_store_get_effective_balance (fixture->store, WALLET_CODE), ==, 1000);
  g_clear_pointer (&op, fest_outbox_op_free);

  op = fest_station_store_record_payment (fixture->store, WALLET_CODE, three_beers, 1, 0, &total,
                                          &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE);
  g_assert_null (op);
  g_assert_nonnull (strstr (error->message, "1500"));
  g_clear_error (&error);
  g_assert_cmpuint (fest_station_store_count_pending (fixture->store), ==, 1);

  /* The organiser's offline allowance covers the difference. */
  op = fest_station_store_record_payment (fixture->store, WALLET_CODE, three_beers, 1, 500, &total,
                                          &error);
  g_assert_no_error (error);
  g_assert_nonnull (op);
  g_assert_cmpint (fest_station_store_get_effective_balance (fixture->store, WALLET_CODE), ==, -500);
  g_clear_pointer (&op, fest_outbox_op_free);

  /* An unknown wallet has nothing cached: refused without allowance. */
  op = fest_station_store_record_payment (fixture->store, "FW1.BBBBBBBBBBBBBBBBBBBBBBBBBB",
                                          two_beers, 1, 0, &total, &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE);
  g_clear_error (&error);

  /* Recharges are credits and always accepted. */
  op = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 700, "CASH", &error);
  g_assert_no_error (error);
  g_assert_cmpint (fest_station_store_get_effective_balance (fixture->store, WALLET_CODE), ==, 200);
  g_clear_pointer (&op, fest_outbox_op_free);
  op = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 700, "BITCOIN", &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  op = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 0, "CARD", &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
}

static void
test_results_and_persistence (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  g_autoptr(JsonNode) results = NULL;
  g_autoptr(FestOutboxOp) a = NULL;
  g_autoptr(FestOutboxOp) b = NULL;
  g_autoptr(FestOutboxOp) cancel = NULL;
  g_autofree char *json = NULL;
  FestSaleLine beer[] = { { BEER_ID, 1 } };
  guint acked = 0, n_rejected = 0;

  a = fest_station_store_record_payment (fixture->store, WALLET_CODE, beer, 1, 0, NULL, &error);
  g_assert_no_error (error);
  b = fest_station_store_record_payment (fixture->store, WALLET_CODE, beer, 1, 0, NULL, &error);
  g_assert_no_error (error);

  /* Cancelling a sale the server has not confirmed is not possible yet. */
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL);
  g_clear_error (&error);

  /* Reopen the file: what was committed is there, in order. */
  g_assert_finalize_object (fixture->store);
  fixture->store = fest_station_store_open (fixture->path, &error);
  g_assert_no_error (error);
  pending = fest_station_store_list_pending (fixture->store, 10);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (pending, 0))->idempotency_key, ==,
                   a->idempotency_key);

  json = g_strdup_printf ("[{\"idempotency_key\":\"%s\",\"status\":\"applied\","
                          "\"entity\":{\"id\":\"tx-a\",\"balance_after\":1500}},"
                          "{\"idempotency_key\":\"%s\",\"status\":\"rejected\","
                          "\"error\":{\"code\":\"VALIDATION_FAILED\",\"message\":\"bad\"}}]",
                          a->idempotency_key, b->idempotency_key);
  results = fest_json_parse (json, -1, &error);
  g_assert_no_error (error);
  fest_station_store_apply_results (fixture->store, json_node_get_array (results), &acked,
                                    &n_rejected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acked, ==, 1);
  g_assert_cmpuint (n_rejected, ==, 1);
  g_assert_cmpuint (fest_station_store_count_pending (fixture->store), ==, 0);
  rejected = fest_station_store_list_rejected (fixture->store);
  g_assert_cmpuint (rejected->len, ==, 1);
  g_assert_cmpstr (((FestOutboxOp *) g_ptr_array_index (rejected, 0))->error_code, ==,
                   "VALIDATION_FAILED");
  /* Nothing pending any more: the effective balance is the cached one. */
  g_assert_cmpint (fest_station_store_get_effective_balance (fixture->store, WALLET_CODE), ==, 2000);

  /* Replaying the same results changes nothing. */
  fest_station_store_apply_results (fixture->store, json_node_get_array (results), &acked,
                                    &n_rejected, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (acked + n_rejected, ==, 0);

  /* The last valid sale (a, acknowledged as tx-a) can now be cancelled, once. */
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (cancel->payload, "\"reference\":\"tx-a\""));
  g_assert_cmpint (cancel->amount_delta, ==, 500);
  g_clear_pointer (&cancel, fest_outbox_op_free);
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL);
}

static char *
sign_ticket (Fixture    *fixture,
             const char *ticket_id,
             const char *festival_id,
             const char *from,
             const char *until)
{
  FestTicketPayload payload = {
    .ticket_id = (char *) ticket_id, .festival_id = (char *) festival_id,
    .type_code = (char *) "PASS", .holder = (char *) "Ada", .valid_from = (char *) from,
    .valid_until = (char *) until,
  };

  return fest_ticket_code_sign (&payload, fixture->secret_key);
}

static void
test_scan_verdicts (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 7, 14, 20, 0, 0);
  g_autofree char *good = sign_ticket (fixture, "11111111-1111-4111-8111-111111111111", FESTIVAL_ID,
                                       "2026-07-13T00:00:00Z", "2026-07-16T00:00:00Z");
  g_autofree char *other = sign_ticket (fixture, "22222222-2222-4222-8222-222222222222",
                                        "99999999-9999-4999-8999-999999999999",
                                        "2026-07-13T00:00:00Z", "2026-07-16T00:00:00Z");
  g_autofree char *expired = sign_ticket (fixture, "33333333-3333-4333-8333-333333333333",
                                          FESTIVAL_ID, "2026-07-01T00:00:00Z",
                                          "2026-07-02T00:00:00Z");
  g_autofree char *cancelled = sign_ticket (fixture, "44444444-4444-4444-8444-444444444444",
                                            FESTIVAL_ID, "2026-07-13T00:00:00Z",
                                            "2026-07-16T00:00:00Z");
  g_autofree char *tampered = g_strdup (good);
  FestScanVerdict verdict;

  tampered[strlen (tampered) - 3] = tampered[strlen (tampered) - 3] == 'A' ? 'B' : 'A';
  apply_json (fixture->store, "{\"tickets\":[{\"id\":\"44444444-4444-4444-8444-444444444444\","
                              "\"status\":\"CANCELLED\",\"rev\":7}],\"cursor\":\"7\"}");

  g_assert_true (fest_station_store_record_scan (fixture->store, good, "North", now, &verdict,
                                                 &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ACCEPT);
  g_assert_cmpstr (verdict.holder, ==, "Ada");
  fest_scan_verdict_clear (&verdict);
  g_assert_cmpuint (fest_station_store_count_entries (fixture->store), ==, 1);
  g_assert_cmpuint (fest_station_store_count_pending (fixture->store), ==, 1);

  /* Second time: already used, with when and where. */
  fest_station_store_record_scan (fixture->store, good, "South", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ALREADY_USED);
  g_assert_cmpstr (verdict.first_gate, ==, "North");
  g_assert_cmpstr (verdict.first_scan_at, ==, "2026-07-14T20:00:00Z");
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan (fixture->store, other, "North", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_REFUSED);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_WRONG_FESTIVAL);
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan (fixture->store, expired, "North", now, &verdict, &error);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_EXPIRED);
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan (fixture->store, cancelled, "North", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_REFUSED);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_CANCELLED);
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan (fixture->store, tampered, "North", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_REFUSED);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_BAD_SIGNATURE);
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan (fixture->store, "FW1.AAAA", "North", now, &verdict, &error);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_MALFORMED);
  fest_scan_verdict_clear (&verdict);

  /* Refusals are not queued: only the one admission is. */
  g_assert_cmpuint (fest_station_store_count_pending (fixture->store), ==, 1);
  g_assert_no_error (error);
}

/* A re-entry ticket type may go out and back in; a plain one may not go out. */
static void
test_scan_reentry (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 7, 14, 20, 0, 0);
  g_autofree char *ticket = sign_ticket (fixture, "55555555-5555-4555-8555-555555555555", FESTIVAL_ID,
                                         "2026-07-13T00:00:00Z", "2026-07-16T00:00:00Z");
  FestScanVerdict verdict;

  /* Without the type cached as re-entry: OUT is refused. */
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "OUT", now, &verdict, &error);
  g_assert_no_error (error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_REFUSED);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_NO_REENTRY);
  fest_scan_verdict_clear (&verdict);

  apply_json (fixture->store, "{\"ticket_types\":[{\"id\":\"t1\",\"code\":\"PASS\",\"name\":\"Pass\","
                              "\"reentry_allowed\":true,\"rev\":8}],\"cursor\":\"8\"}");

  /* Not inside yet: cannot go out. */
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "OUT", now, &verdict, &error);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_NOT_INSIDE);
  fest_scan_verdict_clear (&verdict);

  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "IN", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ACCEPT);
  fest_scan_verdict_clear (&verdict);
  /* Inside: a second IN is a second entry. */
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "IN", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ALREADY_USED);
  fest_scan_verdict_clear (&verdict);
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "OUT", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_EXIT);
  fest_scan_verdict_clear (&verdict);
  /* Back in, once. */
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "IN", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ACCEPT);
  fest_scan_verdict_clear (&verdict);
  fest_station_store_record_scan_direction (fixture->store, ticket, "North", "IN", now, &verdict, &error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_ALREADY_USED);
  g_assert_cmpstr (verdict.first_scan_at, ==, "2026-07-14T20:00:00Z");
  fest_scan_verdict_clear (&verdict);
  g_assert_no_error (error);

  /* IN, OUT, IN queued; one ticket counted once. */
  g_assert_cmpuint (fest_station_store_count_pending (fixture->store), ==, 3);
  g_assert_cmpuint (fest_station_store_count_entries (fixture->store), ==, 1);
}

/* Feeds the store one server result for @key: "applied" with @entity_json, or "rejected". */
static void
apply_result (FestStationStore *store,
              const char       *key,
              const char       *entity_json)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) results = NULL;

  if (entity_json != NULL)
    json = g_strdup_printf ("[{\"idempotency_key\":\"%s\",\"status\":\"applied\",\"entity\":%s}]",
                            key, entity_json);
  else
    json = g_strdup_printf ("[{\"idempotency_key\":\"%s\",\"status\":\"rejected\",\"error\":"
                            "{\"code\":\"CONFLICT\",\"message\":\"the payment was already cancelled or refunded\"}}]",
                            key);
  results = fest_json_parse (json, -1, &error);
  g_assert_no_error (error);
  fest_station_store_apply_results (store, json_node_get_array (results), NULL, NULL, &error);
  g_assert_no_error (error);
}

/* A cancel counts only once the server took it: a refused one gives the sale back (shift report:
 * a sale, no cancel) and that sale is not offered for cancelling again; once the last sale is
 * cancelled, the one before it is not offered (the server cancels only the last). */
static void
test_cancel_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestOutboxOp) a = NULL;
  g_autoptr(FestOutboxOp) b = NULL;
  g_autoptr(FestOutboxOp) cancel = NULL;
  g_autoptr(FestOutboxOp) last = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  FestSaleLine beer[] = { { BEER_ID, 1 } };

  a = fest_station_store_record_payment (fixture->store, WALLET_CODE, beer, 1, 0, NULL, &error);
  g_assert_no_error (error);
  apply_result (fixture->store, a->idempotency_key, "{\"id\":\"tx-a\",\"balance_after\":1500}");
  b = fest_station_store_record_payment (fixture->store, WALLET_CODE, beer, 1, 0, NULL, &error);
  g_assert_no_error (error);
  apply_result (fixture->store, b->idempotency_key, "{\"id\":\"tx-b\",\"balance_after\":1000}");

  /* b is cancelled (and the server took it): a is not offered. */
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (cancel->payload, "\"reference\":\"tx-b\""));
  apply_result (fixture->store, cancel->idempotency_key, "{\"id\":\"tx-c\",\"balance_after\":1500}");
  g_clear_pointer (&cancel, fest_outbox_op_free);
  g_assert_null (fest_station_store_get_last_sale (fixture->store));
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL);
  g_assert_null (cancel);
  g_clear_error (&error);
  summary = fest_station_store_get_shift_summary (fixture->store);
  g_assert_cmpuint (summary->n_sales, ==, 1);
  g_assert_cmpuint (summary->n_cancels, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 500);
  g_clear_pointer (&summary, fest_shift_summary_free);

  /* A third sale; its cancel is refused: it stays a sale, and is not offered again. */
  g_clear_pointer (&a, fest_outbox_op_free);
  a = fest_station_store_record_payment (fixture->store, WALLET_CODE, beer, 1, 0, NULL, &error);
  g_assert_no_error (error);
  apply_result (fixture->store, a->idempotency_key, "{\"id\":\"tx-d\",\"balance_after\":1000}");
  cancel = fest_station_store_record_cancel_last (fixture->store, 120, &error);
  g_assert_no_error (error);
  summary = fest_station_store_get_shift_summary (fixture->store);
  g_assert_cmpuint (summary->n_sales, ==, 1);
  g_clear_pointer (&summary, fest_shift_summary_free);
  apply_result (fixture->store, cancel->idempotency_key, NULL);
  summary = fest_station_store_get_shift_summary (fixture->store);
  g_assert_cmpuint (summary->n_sales, ==, 2);
  g_assert_cmpuint (summary->n_cancels, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 1000);
  last = fest_station_store_get_last_sale (fixture->store);
  g_assert_null (last);
}

static void
test_shift_summary (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  g_autoptr(FestOutboxOp) op1 = NULL;
  g_autoptr(FestOutboxOp) op2 = NULL;
  g_autoptr(FestOutboxOp) op3 = NULL;
  FestSaleLine mixed[] = { { BEER_ID, 2 }, { FRIES_ID, 1 } };
  FestShiftVatLine *vat20, *vat55;

  fest_station_store_start_shift (fixture->store, &error);
  g_assert_no_error (error);
  op1 = fest_station_store_record_payment (fixture->store, WALLET_CODE, mixed, 2, 0, NULL, &error);
  g_assert_no_error (error);
  op2 = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 1000, "CARD", &error);
  op3 = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 300, "CASH", &error);
  g_assert_no_error (error);

  summary = fest_station_store_get_shift_summary (fixture->store);
  g_assert_cmpuint (summary->n_sales, ==, 1);
  g_assert_cmpint (summary->sales_total, ==, 1350);
  g_assert_cmpuint (summary->products->len, ==, 2);
  g_assert_cmpuint (summary->n_recharges, ==, 2);
  g_assert_cmpint (summary->recharges_card, ==, 1000);
  g_assert_cmpint (summary->recharges_cash, ==, 300);
  g_assert_cmpuint (summary->vat->len, ==, 2);
  vat20 = g_ptr_array_index (summary->vat, 0);
  vat55 = g_ptr_array_index (summary->vat, 1);
  g_assert_cmpuint (vat20->vat_rate_bp, ==, 2000);
  g_assert_cmpint (vat20->gross, ==, 1000);
  g_assert_cmpint (vat20->vat, ==, 167);   /* 1000 × 0.2 / 1.2 = 166.67 */
  g_assert_cmpuint (vat55->vat_rate_bp, ==, 550);
  g_assert_cmpint (vat55->vat, ==, 18);    /* 350 × 0.055 / 1.055 = 18.25 */
}

static void
test_pin (Fixture       *fixture,
          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (fest_station_store_has_pin (fixture->store));
  g_assert_false (fest_station_store_check_pin (fixture->store, "1234"));
  fest_station_store_set_pin (fixture->store, "12", &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_clear_error (&error);
  fest_station_store_set_pin (fixture->store, "2468", &error);
  g_assert_no_error (error);
  g_assert_true (fest_station_store_check_pin (fixture->store, "2468"));
  g_assert_false (fest_station_store_check_pin (fixture->store, "2469"));
  /* Not stored in clear. */
  {
    g_autofree char *hash = fest_station_store_get_setting (fixture->store, "pin_hash");
    g_assert_null (strstr (hash, "2468"));
    g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  }
}

static void
test_unenroll_keeps_pending (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FestOutboxOp) op = NULL;

  op = fest_station_store_record_recharge (fixture->store, WALLET_CODE, 100, "CASH", &error);
  g_assert_no_error (error);
  /* Pending work would be lost: refused. */
  g_assert_false (fest_station_store_unenroll (fixture->store, &error));
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID);
  g_assert_true (fest_station_store_is_enrolled (fixture->store));
}

static void
test_default_path (void)
{
  g_autofree char *a = fest_station_store_default_path ("http://a:1");
  g_autofree char *b = fest_station_store_default_path ("http://b:1");
  g_autofree char *base = g_path_get_basename (a);

  g_assert_cmpstr (a, !=, b);
  g_assert_true (g_str_has_prefix (base, "station-"));
  g_assert_true (g_str_has_suffix (base, ".db"));
  g_assert_true (g_str_has_prefix (a, g_get_user_data_dir ()));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/station-store/catalog-and-cursor", test_catalog_and_cursor);
  ADD ("/fest/station-store/payment-limits", test_payment_limits);
  ADD ("/fest/station-store/results-and-persistence", test_results_and_persistence);
  ADD ("/fest/station-store/scan-verdicts", test_scan_verdicts);
  ADD ("/fest/station-store/scan-reentry", test_scan_reentry);
  ADD ("/fest/station-store/shift-summary", test_shift_summary);
  ADD ("/fest/station-store/cancel-refused", test_cancel_refused);
  ADD ("/fest/station-store/pin", test_pin);
  ADD ("/fest/station-store/unenroll-keeps-pending", test_unenroll_keeps_pending);
#undef ADD
  g_test_add_func ("/fest/station-store/default-path", test_default_path);

  return g_test_run ();
}
