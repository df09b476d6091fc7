/* test-station-store-async.c: pulled changes in slices, and the store's async calls
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
  FestStationStore *store;
} Fixture;

static gboolean
apply_text (FestStationStore  *store,
            const char        *json,
            guint             *n_alerts,
            GError           **error)
{
  g_autoptr(JsonNode) node = fest_json_parse (json, -1, NULL);

  g_assert_nonnull (node);
  return fest_station_store_apply_changes (store, json_node_get_object (node), n_alerts, error);
}

/* A page of @n wallets (ids and codes numbered from @first, balance = 10 × number, rev @rev),
 * @n_alerts alerts and @cursor. Wallet @clash, if below @n, takes wallet 0's code. */
static char *
wallets_page (guint       first,
              guint       n,
              guint       clash,
              gint64      rev,
              guint       n_alerts,
              const char *cursor)
{
  GString *page = g_string_new ("{\"wallets\":[");

  for (guint i = first; i < first + n; i++)
    g_string_append_printf (page, "%s{\"id\":\"w-%u\",\"code\":\"FW1.C%u\",\"balance\":%u,\"rev\":%" G_GINT64_FORMAT "}",
                            i == first ? "" : ",", i, i == clash ? 0 : i, i * 10, rev);
  g_string_append (page, "],\"alerts\":[");
  for (guint i = 0; i < n_alerts; i++)
    g_string_append_printf (page, "%s{\"id\":\"a-%u\",\"message\":\"Alert %u\",\"rev\":%u}", i == 0 ? "" : ",",
                            i, i, i + 1);
  g_string_append_printf (page, "],\"cursor\":\"%s\",\"has_more\":false}", cursor);
  return g_string_free (page, FALSE);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("fest-station-async-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "station.db", NULL);
  fixture->store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (fixture->store, "http://127.0.0.1:1", "dev-1", "Bar 1", FESTIVAL_ID,
                             STAND_ID, "cashier", &error);
  g_assert_no_error (error);
  apply_text (fixture->store,
              "{\"products\":["
              " {\"id\":\"" BEER_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Beer\",\"price\":500,"
              "  \"vat_rate\":20,\"category\":\"Drinks\",\"is_active\":true,\"rev\":3},"
              " {\"id\":\"" FRIES_ID "\",\"stand_id\":\"" STAND_ID "\",\"name\":\"Fries\",\"price\":350,"
              "  \"vat_rate\":5.5,\"category\":\"Food\",\"stock\":12,\"is_active\":true,\"rev\":4}],"
              "\"wallets\":[{\"id\":\"" WALLET_ID "\",\"code\":\"" WALLET_CODE "\",\"balance\":2000,"
              "  \"overdrawn\":false,\"rev\":5}],"
              "\"cursor\":\"5\",\"has_more\":false}", NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_strdup (fest_station_store_get_path (fixture->store));
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_finalize_object (fixture->store);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gint64
cached_balance (FestStationStore *store,
                const char       *code)
{
  gint64 balance = -1;

  g_assert_true (fest_station_store_get_wallet (store, code, NULL, &balance, NULL));
  return balance;
}

/* A page far larger than a slice: every row and the cursor land, and alerts are counted. */
static void
test_changes_sliced (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *page = wallets_page (1, 1000, G_MAXUINT, 7, 300, "1300");
  g_autofree char *cursor = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  guint n_alerts = 0;

  g_assert_true (apply_text (fixture->store, page, &n_alerts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_alerts, ==, 300);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C1"), ==, 10);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C1000"), ==, 10000);
  cursor = fest_station_store_get_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "1300");
  alerts = fest_station_store_take_new_alerts (fixture->store);
  g_assert_cmpuint (alerts->len, ==, 300);
}

/* A page that fails after some slices were committed keeps its cursor: pulled again, it applies
 * again, and a row already newer in the cache is not overwritten by an older one. */
static void
test_changes_cut_short (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *broken = wallets_page (0, 400, 350, 7, 0, "800");
  g_autofree char *fixed = wallets_page (0, 400, G_MAXUINT, 7, 0, "800");
  g_autofree char *newer = wallets_page (0, 1, G_MAXUINT, 9, 0, "801");
  g_autofree char *cursor = NULL;

  g_assert_false (apply_text (fixture->store, broken, NULL, &error));
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_SQLITE);
  g_clear_error (&error);
  cursor = fest_station_store_get_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "5");
  g_clear_pointer (&cursor, g_free);
  g_assert_false (fest_station_store_get_wallet (fixture->store, "FW1.C399", NULL, NULL, NULL));

  /* Wallet 0 moves on (rev 9) before the page is pulled again (rev 7): it keeps rev 9's balance. */
  fest_station_store_update_wallet (fixture->store, "w-0", "FW1.C0", 12345, FALSE, 9, &error);
  g_assert_no_error (error);
  g_assert_true (apply_text (fixture->store, fixed, NULL, &error));
  g_assert_no_error (error);
  cursor = fest_station_store_get_cursor (fixture->store);
  g_assert_cmpstr (cursor, ==, "800");
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C0"), ==, 12345);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C350"), ==, 3500);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C399"), ==, 3990);
  g_assert_true (apply_text (fixture->store, newer, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C0"), ==, 0);
}

typedef struct
{
  FestStationStore *store;
  const char       *page;
  gint              done;
} ApplyJob;

static gpointer
apply_thread (gpointer user_data)
{
  ApplyJob *job = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (apply_text (job->store, job->page, NULL, &error));
  g_assert_no_error (error);
  g_atomic_int_set (&job->done, 1);
  return NULL;
}

/* While a thread applies a 20,000-row page, the store answers other threads between its slices
 * (one transaction for the page would keep them waiting until its end). */
static void
test_changes_let_others_in (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *page = wallets_page (1, 20000, G_MAXUINT, 7, 0, "20005");
  ApplyJob job = { fixture->store, page, 0 };
  GThread *thread;
  guint during = 0;
  gint64 longest = 0;

  thread = g_thread_new ("apply", apply_thread, &job);
  while (!g_atomic_int_get (&job.done))
    {
      gint64 start = g_get_monotonic_time ();

      g_assert_cmpint (fest_station_store_get_effective_balance (fixture->store, WALLET_CODE), ==, 2000);
      longest = MAX (longest, g_get_monotonic_time () - start);
      if (!g_atomic_int_get (&job.done))
        during++;
      g_usleep (1000);
    }
  g_thread_join (thread);
  g_test_message ("%u calls answered while the page was applied, longest %.1f ms", during, longest / 1000.0);
  g_assert_cmpuint (during, >=, 10);
  g_assert_cmpint (cached_balance (fixture->store, "FW1.C20000"), ==, 200000);
}

/* The async calls */

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_result (GAsyncResult **slot)
{
  while (*slot == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *slot;
}

static void
test_async_sale (Fixture       *fixture,
                 gconstpointer  data)
{
  FestStationStore *store = fixture->store;
  g_autoptr(GError) error = NULL;
  FestSaleLine lines[] = { { BEER_ID, 2 }, { FRIES_ID, 1 } };
  FestSaleLine too_much[] = { { BEER_ID, 10 } };
  GAsyncResult *result = NULL;
  g_autoptr(FestStationProduct) product = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(FestOutboxOp) recharge = NULL;
  g_autoptr(FestOutboxOp) last = NULL;
  g_autoptr(FestOutboxOp) cancel = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  FestScanVerdict verdict = { 0 };
  gint64 total = 0;

  fest_station_store_get_product_async (store, BEER_ID, NULL, result_cb, &result);
  product = fest_station_store_get_product_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (product->name, ==, "Beer");
  g_clear_object (&result);
  g_clear_pointer (&product, fest_station_product_free);
  fest_station_store_get_product_async (store, "no-such-product", NULL, result_cb, &result);
  product = fest_station_store_get_product_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_null (product);
  g_clear_object (&result);

  fest_station_store_list_products_async (store, STAND_ID, NULL, result_cb, &result);
  products = fest_station_store_list_products_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (products->len, ==, 2);
  g_clear_object (&result);

  fest_station_store_get_effective_balance_async (store, WALLET_CODE, NULL, result_cb, &result);
  g_assert_cmpint (fest_station_store_get_effective_balance_finish (store, wait_result (&result), &error), ==, 2000);
  g_assert_no_error (error);
  g_clear_object (&result);

  fest_station_store_build_payment_async (store, WALLET_CODE, lines, G_N_ELEMENTS (lines), NULL, result_cb,
                                          &result);
  body = fest_station_store_build_payment_finish (store, wait_result (&result), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 1350);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "type"), ==, "PAYMENT");
  g_clear_object (&result);

  total = 0;
  fest_station_store_record_payment_full_async (store, NULL, WALLET_CODE, lines, G_N_ELEMENTS (lines), 0,
                                                FEST_OUTBOX_PENDING, NULL, NULL, result_cb, &result);
  op = fest_station_store_record_payment_full_finish (store, wait_result (&result), &total, &error);
  g_assert_no_error (error);
  g_assert_cmpint (total, ==, 1350);
  g_assert_cmpint (op->state, ==, FEST_OUTBOX_PENDING);
  g_assert_cmpint (op->amount_delta, ==, -1350);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 650);
  g_clear_object (&result);

  /* The offline rules hold the same through the async call. */
  fest_station_store_record_payment_full_async (store, NULL, WALLET_CODE, too_much, 1, 0, FEST_OUTBOX_PENDING,
                                                NULL, NULL, result_cb, &result);
  g_assert_null (fest_station_store_record_payment_full_finish (store, wait_result (&result), NULL, &error));
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE);
  g_clear_error (&error);
  g_clear_object (&result);

  fest_station_store_build_recharge_async (store, WALLET_CODE, 1000, "CARD", NULL, result_cb, &result);
  g_clear_pointer (&body, json_node_unref);
  body = fest_station_store_build_recharge_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (body), "amount"), ==, 1000);
  g_clear_object (&result);

  fest_station_store_record_recharge_full_async (store, NULL, WALLET_CODE, 1000, "CARD", FEST_OUTBOX_PENDING,
                                                 NULL, NULL, result_cb, &result);
  recharge = fest_station_store_record_recharge_full_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpint (recharge->amount_delta, ==, 1000);
  g_assert_cmpint (fest_station_store_get_effective_balance (store, WALLET_CODE), ==, 1650);
  g_clear_object (&result);

  fest_station_store_get_last_sale_async (store, NULL, result_cb, &result);
  last = fest_station_store_get_last_sale_finish (store, wait_result (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (last->idempotency_key, ==, op->idempotency_key);
  g_clear_object (&result);

  /* Not acknowledged by the server yet: it cannot be cancelled. */
  fest_station_store_record_cancel_last_async (store, 600, NULL, result_cb, &result);
  cancel = fest_station_store_record_cancel_last_finish (store, wait_result (&result), &error);
  g_assert_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL);
  g_assert_null (cancel);
  g_clear_error (&error);
  g_clear_object (&result);

  /* No ticket key cached: a verdict, not an error. */
  fest_station_store_record_scan_direction_async (store, "not a ticket", "North", "IN", now, NULL, result_cb,
                                                  &result);
  g_assert_true (fest_station_store_record_scan_direction_finish (store, wait_result (&result), &verdict,
                                                                  &error));
  g_assert_no_error (error);
  g_assert_cmpint (verdict.result, ==, FEST_SCAN_REFUSED);
  g_assert_cmpint (verdict.reason, ==, FEST_SCAN_REASON_NO_KEY);
  fest_scan_verdict_clear (&verdict);
  g_clear_object (&result);

  /* A worker thread drops its task (and the task its store) just after the callback is queued. */
  while (G_OBJECT (store)->ref_count > 1)
    g_usleep (1000);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/station-store/changes-sliced", test_changes_sliced);
  ADD ("/fest/station-store/changes-cut-short", test_changes_cut_short);
  ADD ("/fest/station-store/changes-let-others-in", test_changes_let_others_in);
  ADD ("/fest/station-store/async-sale", test_async_sale);
#undef ADD

  return g_test_run ();
}
