/* bench-stats.c: GET /stats with 100,000 transactions in the festival
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the real server (fixture of tests/server), loads 100,000 transactions through POST /sync
 * (offline payments and recharges over 200 wallets and 6 stands, plus ticket entries), then
 * times GET /stats. Target: ≤ 50 ms.
 */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define N_WALLETS       200
#define N_STANDS        6
#define N_TRANSACTIONS  100000
#define BATCH           2000            /* POST /sync takes at most 2,000 operations */
#define N_SAMPLES       30
#define TARGET_MS       50.0

static char *
create (FestTestServer *server,
        const char     *token,
        const char     *path,
        const char     *body)
{
  g_autoptr(JsonNode) reply = NULL;

  if (fest_test_server_request (server, "POST", path, token, body, &reply) != 201)
    g_error ("POST %s failed", path);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  gdouble x = *(const gdouble *) a, y = *(const gdouble *) b;

  return x < y ? -1 : x > y;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FestTestServer) server = NULL;
  g_autoptr(GPtrArray) wallets = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) stands = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) stats = NULL;
  FestTestFestival fest;
  gdouble samples[N_SAMPLES];
  gint64 load_start;

  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (server, "Stats bench fest", &fest);
  for (guint i = 0; i < N_STANDS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Stand %u\",\"type\":\"BAR\"}", i);

      g_ptr_array_add (stands, create (server, fest.organiser_token, "/stands", body));
    }
  for (guint i = 0; i < N_WALLETS; i++)
    g_ptr_array_add (wallets, create (server, fest.organiser_token, "/wallets", "{}"));

  load_start = g_get_monotonic_time ();
  for (guint first = 0; first < N_TRANSACTIONS; first += BATCH)
    {
      g_autoptr(GString) body = g_string_sized_new (BATCH * 220);
      g_autoptr(JsonNode) reply = NULL;

      g_string_append (body, "{\"device_id\":\"bench-stats\",\"operations\":[");
      for (guint i = first; i < first + BATCH; i++)
        {
          const char *wallet = g_ptr_array_index (wallets, i % N_WALLETS);

          if (i % 5 == 0)
            g_string_append_printf (body, "%s{\"op\":\"transaction.create\",\"idempotency_key\":\"s-%u\","
                                    "\"payload\":{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":2000,"
                                    "\"payment_method\":\"CASH\"}}",
                                    i == first ? "" : ",", i, wallet);
          else
            g_string_append_printf (body, "%s{\"op\":\"transaction.create\",\"idempotency_key\":\"s-%u\","
                                    "\"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%u,"
                                    "\"stand_id\":\"%s\"}}",
                                    i == first ? "" : ",", i, wallet, 100 + i % 300,
                                    (const char *) g_ptr_array_index (stands, i % N_STANDS));
        }
      g_string_append (body, "]}");
      if (fest_test_server_request (server, "POST", "/sync", fest.organiser_token, body->str, &reply) != 200 ||
          fest_test_json_int (reply, "data.applied") != BATCH)
        g_error ("sync batch at %u failed", first);
    }
  printf ("loaded %d transactions through POST /sync in %.1f s\n", N_TRANSACTIONS,
          (g_get_monotonic_time () - load_start) / 1e6);

  /* Warm the read connection's statement cache once, then measure. */
  fest_test_server_request (server, "GET", "/stats", fest.organiser_token, NULL, &stats);
  if (fest_test_json_int (stats, "data.transactions.count") != N_TRANSACTIONS)
    g_error ("/stats counts %" G_GINT64_FORMAT " transactions", fest_test_json_int (stats, "data.transactions.count"));
  for (guint i = 0; i < N_SAMPLES; i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      gint64 start = g_get_monotonic_time ();

      if (fest_test_server_request (server, "GET", "/stats", fest.organiser_token, NULL, &reply) != 200)
        g_error ("GET /stats failed");
      samples[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (samples, N_SAMPLES, sizeof samples[0], compare_doubles);

  printf ("%-40s %10s %10s %10s\n", "GET /stats, 100,000 transactions", "min ms", "median ms", "max ms");
  printf ("%-40s %10.2f %10.2f %10.2f\n", "", samples[0], samples[N_SAMPLES / 2], samples[N_SAMPLES - 1]);
  printf ("target: median <= %.0f ms: %s\n", TARGET_MS, samples[N_SAMPLES / 2] <= TARGET_MS ? "met" : "MISSED");

  fest_test_festival_clear (&fest);
  return samples[N_SAMPLES / 2] <= TARGET_MS ? 0 : 1;
}
