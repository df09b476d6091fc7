/* bench-scan-verdict.c: gate scanner, Enter → verdict (store lookup + Ed25519 verify + outbox commit)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times fest_station_store_record_scan on a real station store file (WAL, synchronous=FULL) with
 * 20,000 cached tickets: 1,000 first admissions (each a durable outbox commit) and 1,000 repeated
 * scans (already used, no write). Prints p50/p99/max in ms; exits 1 if p99 > 50 ms.
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fest-core.h"
#include "fest-station-store.h"

#define FESTIVAL_ID "0b5f6c3e-8a51-4c55-9d3a-6a3a8e1f0001"
#define N_SCANS     1000
#define N_CACHED    20000
#define TARGET_MS   50.0

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y ? 1 : 0;
}

static void
report (const char *what,
        double     *ms,
        guint       n,
        double     *p99_out)
{
  qsort (ms, n, sizeof (double), compare_double);
  g_print ("%-28s %6u scans   p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms\n", what, n,
           ms[n / 2], ms[(n * 99) / 100], ms[n - 1]);
  *p99_out = ms[(n * 99) / 100];
}

int
main (int argc, char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-scan-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *key_text = NULL;
  g_autoptr(FestStationStore) store = NULL;
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GString) changes = g_string_new ("{\"tickets\":[");
  g_autoptr(JsonNode) node = NULL;
  guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  guint8 secret_key[FEST_TICKET_SECRET_KEY_BYTES];
  double first[N_SCANS], again[N_SCANS], p99_first, p99_again;

  fest_core_init ();
  g_assert_no_error (error);
  path = g_build_filename (dir, "station.db", NULL);
  store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (store, "http://127.0.0.1:9", "dev", "Gate", FESTIVAL_ID, NULL, "scanner",
                             &error);
  g_assert_no_error (error);
  fest_ticket_keypair_new (public_key, secret_key);
  key_text = fest_base64url_encode (public_key, sizeof public_key);
  fest_station_store_set_setting (store, FEST_STATION_KEY_TICKET_KEY, key_text, &error);
  g_assert_no_error (error);

  /* A festival's worth of cached ticket states. */
  for (guint i = 0; i < N_CACHED; i++)
    {
      g_autofree char *id = fest_uuid_new ();

      if (i < N_SCANS)
        {
          FestTicketPayload payload = {
            .ticket_id = id, .festival_id = (char *) FESTIVAL_ID, .type_code = (char *) "PASS",
            .holder = (char *) "Bench", .valid_from = (char *) "2020-01-01T00:00:00Z",
            .valid_until = (char *) "2040-01-01T00:00:00Z",
          };
          g_ptr_array_add (codes, fest_ticket_code_sign (&payload, secret_key));
        }
      g_string_append_printf (changes, "%s{\"id\":\"%s\",\"status\":\"VALID\",\"rev\":%u}",
                              i > 0 ? "," : "", id, i + 1);
    }
  g_string_append (changes, "],\"cursor\":\"20000\"}");
  node = fest_json_parse (changes->str, changes->len, &error);
  g_assert_no_error (error);
  fest_station_store_apply_changes (store, json_node_get_object (node), NULL, &error);
  g_assert_no_error (error);

  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < N_SCANS; i++)
      {
        FestScanVerdict verdict;
        gint64 start = g_get_monotonic_time ();

        if (!fest_station_store_record_scan (store, g_ptr_array_index (codes, i), "North", now,
                                             &verdict, &error))
          g_error ("scan: %s", error->message);
        (round == 0 ? first : again)[i] = (g_get_monotonic_time () - start) / 1000.0;
        g_assert_cmpint (verdict.result, ==, round == 0 ? FEST_SCAN_ACCEPT : FEST_SCAN_ALREADY_USED);
        fest_scan_verdict_clear (&verdict);
      }

  g_print ("Gate scanner: Enter -> verdict on a station store (WAL, synchronous=FULL), %u cached tickets\n",
           N_CACHED);
  report ("accept (durable commit)", first, N_SCANS, &p99_first);
  report ("already used (read only)", again, N_SCANS, &p99_again);

  g_clear_object (&store);
  {
    g_autofree char *wal = g_strconcat (path, "-wal", NULL);
    g_autofree char *shm = g_strconcat (path, "-shm", NULL);
    g_unlink (path);
    g_unlink (wal);
    g_unlink (shm);
    g_rmdir (dir);
  }

  if (p99_first > TARGET_MS || p99_again > TARGET_MS)
    {
      g_print ("MISSED: p99 above %.0f ms\n", TARGET_MS);
      return 1;
    }
  return 0;
}
