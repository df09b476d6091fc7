/* bench-finance.c: the finance reports, the line export and a day closure with 1,000,000
 * transactions (issue 19 point 9)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the real server, creates 6 stands, 30 products and 200 wallets through the API, stops it
 * and writes 1,000,000 ledger rows (9 payments in 10, 1 to 5 lines each, 3 on average, over three
 * festival days; 1 recharge in 10) straight into its SQLite file in one transaction — the hashes
 * are placeholders, --check is not run — then starts it again, lets it fold those rows into its
 * hourly report sums (a live server folds as it writes; one that finds an unfolded ledger, as
 * here, does it in the background from when it opens the festival) and times:
 *   - each report, over the whole ledger (the worst case), median of 5: ≤ 500 ms;
 *   - GET /reports/lines?format=csv of every line: ≤ 5 s, the server's VmRSS ≤ 64 MB all along
 *     (sampled from /proc/PID/status while the body streams);
 *   - POST /closures for one day: ≤ 2 s.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define N_STANDS        6
#define N_PRODUCTS      30
#define N_WALLETS       200
#define N_TRANSACTIONS  1000000
#define REPORT_TARGET_MS  500.0
#define EXPORT_TARGET_S   5.0
#define RSS_TARGET_KB     (64 * 1024)
#define CLOSURE_TARGET_MS 2000.0
#define FIRST_EPOCH     1783684800        /* 2026-07-10T12:00:00Z */

static gboolean all_met = TRUE;

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

static void
exec_sql (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("SQL failed: %s\n%s", message, sql);
}

static void
fill_ledger (const char *db_path)
{
  sqlite3 *db = NULL;
  g_autofree char *sql = NULL;

  if (sqlite3_open (db_path, &db) != SQLITE_OK)
    g_error ("cannot open %s", db_path);
  exec_sql (db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF; BEGIN;"
                "CREATE TEMP TABLE w AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id FROM wallets;"
                "CREATE TEMP TABLE p AS SELECT row_number() OVER (ORDER BY id) - 1 AS n, id, stand_id, name, price,"
                " vat_rate_bp FROM products;"
                "CREATE TEMP TABLE k (k INTEGER PRIMARY KEY);"
                "INSERT INTO k VALUES (1), (2), (3), (4), (5);");
  /* Lines first: payment i (i % 10 != 0) has 1 + i % 5 lines, product (i + k) % 30 (its stand's
   * products: the stand is that of the first line's product), quantity 1 + (i + k) % 3. */
  sql = g_strdup_printf (
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
    "INSERT INTO transaction_lines (transaction_id, line_no, product_id, name, quantity, unit_price, vat_rate_bp,"
    " vat_amount) "
    "SELECT printf('00000000-0000-4000-8000-%%012d', c.i), k.k, p.id, p.name, 1 + (c.i + k.k) %% 3, p.price,"
    " p.vat_rate_bp,"
    " (2 * p.price * (1 + (c.i + k.k) %% 3) * p.vat_rate_bp + 10000 + p.vat_rate_bp)"
    "   / (2 * (10000 + p.vat_rate_bp)) "
    "FROM c JOIN k ON k.k <= 1 + c.i %% 5 JOIN p ON p.n = ((c.i %% %d) * 5 + (k.k - 1)) %% %d "
    "WHERE c.i %% 10 != 0;", N_TRANSACTIONS, N_STANDS, N_PRODUCTS);
  exec_sql (db, sql);
  g_free (sql);
  sql = g_strdup_printf (
    "WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < %d) "
    "INSERT INTO transactions (seq, id, wallet_id, type, amount, balance_after, payment_method, stand_id,"
    " operator_id, device_id, idempotency_key, offline_created, created_at, recorded_at, prev_hash, hash) "
    "SELECT c.i, printf('00000000-0000-4000-8000-%%012d', c.i), w.id,"
    " CASE WHEN c.i %% 10 = 0 THEN 'RECHARGE' ELSE 'PAYMENT' END,"
    " CASE WHEN c.i %% 10 = 0 THEN 5000 ELSE -(SELECT SUM(l.quantity * l.unit_price) FROM transaction_lines l"
    "   WHERE l.transaction_id = printf('00000000-0000-4000-8000-%%012d', c.i)) END,"
    " 0, CASE WHEN c.i %% 10 = 0 THEN (CASE WHEN c.i %% 20 = 0 THEN 'CASH' ELSE 'CARD' END) END,"
    " (SELECT stand_id FROM p WHERE p.n = ((c.i %% %d) * 5) %% %d),"
    " 'bench-operator-' || (c.i %% 12), 'bench-device-' || (c.i %% 12), 'bench-' || c.i, 1,"
    " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %d + c.i / 4, 'unixepoch'),"
    " strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', %d + c.i / 4, 'unixepoch'),"
    " printf('%%064d', c.i - 1), printf('%%064d', c.i) "
    "FROM c JOIN w ON w.n = c.i %% %d;", N_TRANSACTIONS, N_STANDS, N_PRODUCTS, FIRST_EPOCH, FIRST_EPOCH,
    N_WALLETS);
  exec_sql (db, sql);
  exec_sql (db, "UPDATE wallets SET balance = (SELECT SUM(amount) FROM transactions t WHERE t.wallet_id = wallets.id),"
                " last_seq = (SELECT MAX(seq) FROM transactions t WHERE t.wallet_id = wallets.id);"
                "COMMIT; PRAGMA wal_checkpoint(TRUNCATE); ANALYZE;");
  sqlite3_close (db);
}

/* A line of /proc/PID/status in kB ("VmRSS:", "RssAnon:", "RssFile:"). */
static gint64
status_kb (GPid        pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *text = NULL;
  const char *line;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (line = strstr (text, field)) == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static gint64
rss_kb (GPid pid)
{
  return status_kb (pid, "VmRSS:");
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The server folds a ledger it finds unfolded (here: written behind its back, as an imported one
 * would be) into the hourly report sums in the background, from when it opens the festival. Waits
 * until its checkpoint reached the last row, reading the database as the bench wrote it. */
static void
wait_folded (const char *db_path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 start = g_get_monotonic_time ();
  gboolean folded = FALSE;

  if (sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (db, "SELECT (SELECT transactions_seq FROM report_checkpoint)"
                                 " >= (SELECT MAX(seq) FROM transactions)", -1, &stmt, NULL) != SQLITE_OK)
    g_error ("cannot read %s: %s", db_path, sqlite3_errmsg (db));
  while (!folded)
    {
      if (sqlite3_step (stmt) == SQLITE_ROW)
        folded = sqlite3_column_int (stmt, 0) != 0;
      sqlite3_reset (stmt);
      if (!folded)
        g_usleep (100000);
      if (g_get_monotonic_time () - start > 600 * G_USEC_PER_SEC)
        g_error ("the server did not fold the ledger in 10 minutes");
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  printf ("the server folded the %d rows into the hourly report sums in %.1f s (in the background)\n",
          N_TRANSACTIONS, (g_get_monotonic_time () - start) / 1e6);
}

static double
time_get (FestTestServer *server,
          const char     *token,
          const char     *path)
{

  double times[5];
  double median;

  /* The median of 5, and the worst. */
  for (guint i = 0; i < G_N_ELEMENTS (times); i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      gint64 start = g_get_monotonic_time ();

      if (fest_test_server_request (server, "GET", path, token, NULL, &reply) != 200)
        g_error ("GET %s failed", path);
      times[i] = (g_get_monotonic_time () - start) / 1000.0;
    }
  qsort (times, G_N_ELEMENTS (times), sizeof times[0], compare_doubles);
  median = times[G_N_ELEMENTS (times) / 2];
  printf ("%-52s %9.1f ms  (max %.1f)  %s\n", path, median, times[G_N_ELEMENTS (times) - 1],
          median <= REPORT_TARGET_MS ? "ok" : "MISSED (≤ 500 ms)");
  if (median > REPORT_TARGET_MS)
    all_met = FALSE;
  return median;
}

static void
time_export (FestTestServer *server,
             const char     *token)
{
  g_autofree char *uri = g_strconcat (fest_test_server_get_url (server), "/api/v1/reports/lines?format=csv", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  GPid pid = fest_test_server_get_pid (server);
  static char buffer[256 * 1024];
  gint64 start = g_get_monotonic_time (), bytes = 0, lines = 0, max_rss = rss_kb (pid), before = max_rss;
  gint64 max_anon = status_kb (pid, "RssAnon:"), max_file = status_kb (pid, "RssFile:");
  gssize n;
  double seconds;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  stream = soup_session_send (fest_test_server_get_session (server), msg, NULL, &error);
  if (stream == NULL || soup_message_get_status (msg) != 200)
    g_error ("GET /reports/lines failed: %s", error != NULL ? error->message : "status");
  while ((n = g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error)) > 0)
    {
      bytes += n;
      for (gssize i = 0; i < n; i++)
        lines += buffer[i] == '\n';
      max_rss = MAX (max_rss, rss_kb (pid));
      max_anon = MAX (max_anon, status_kb (pid, "RssAnon:"));
      max_file = MAX (max_file, status_kb (pid, "RssFile:"));
    }
  if (n < 0)
    g_error ("reading the export: %s", error->message);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  printf ("%-52s %9.2f s   %s\n", "GET /reports/lines?format=csv", seconds,
          seconds <= EXPORT_TARGET_S ? "ok" : "MISSED (≤ 5 s)");
  printf ("  %" G_GINT64_FORMAT " lines, %.1f MB; server VmRSS %" G_GINT64_FORMAT " kB before, max %" G_GINT64_FORMAT
          " kB during  %s\n", lines - 1, bytes / 1e6, before, max_rss,
          max_rss <= RSS_TARGET_KB ? "ok" : "MISSED (≤ 64 MB)");
  printf ("  of which max RssAnon %" G_GINT64_FORMAT " kB (heap), max RssFile %" G_GINT64_FORMAT " kB (file pages)\n",
          max_anon, max_file);
  if (seconds > EXPORT_TARGET_S || max_rss > RSS_TARGET_KB)
    all_met = FALSE;
}

static void
time_closure (FestTestServer *server,
              const char     *token)
{
  g_autoptr(JsonNode) reply = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  if (fest_test_server_request (server, "POST", "/closures", token, "{\"period\":\"DAY\",\"date\":\"2026-07-11\"}",
                                &reply) != 201)
    g_error ("POST /closures failed");
  ms = (g_get_monotonic_time () - start) / 1000.0;
  printf ("%-52s %9.1f ms  %s\n", "POST /closures DAY 2026-07-11", ms,
          ms <= CLOSURE_TARGET_MS ? "ok" : "MISSED (≤ 2 s)");
  printf ("  %" G_GINT64_FORMAT " rows, sales %" G_GINT64_FORMAT "\n", fest_test_json_int (reply, "data.transaction_count"),
          fest_test_json_int (reply, "data.sales_total"));
  if (ms > CLOSURE_TARGET_MS)
    all_met = FALSE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FestTestServer) server = NULL;
  g_autoptr(GPtrArray) stands = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) totals = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *db_name = NULL;
  const char *groups[] = { "stand", "product", "category", "hour", "operator", "vat_rate" };
  const guint rates[] = { 2000, 1000, 550 };
  FestTestFestival fest;
  gint64 start;

  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (server, "Finance bench fest", &fest);
  for (guint i = 0; i < N_STANDS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"name\":\"Stand %u\",\"type\":\"BAR\"}", i);

      g_ptr_array_add (stands, create (server, fest.organiser_token, "/stands", body));
    }
  for (guint i = 0; i < N_PRODUCTS; i++)
    {
      g_autofree char *body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Product %u\",\"price\":%u,"
                                               "\"vat_rate\":%g,\"category\":\"cat-%u\"}",
                                               (const char *) g_ptr_array_index (stands, i % N_STANDS), i,
                                               150 + 50 * i, rates[i % 3] / 100.0, i % 4);
      g_free (create (server, fest.organiser_token, "/products", body));
    }
  for (guint i = 0; i < N_WALLETS; i++)
    g_free (create (server, fest.organiser_token, "/wallets", "{}"));

  fest_test_server_stop (server);
  db_name = g_strdup_printf ("festival-%s.db", fest.festival_id);
  db_path = g_build_filename (fest_test_server_get_data_dir (server), db_name, NULL);
  start = g_get_monotonic_time ();
  fill_ledger (db_path);
  printf ("wrote %d transactions into the stopped server's database in %.1f s\n", N_TRANSACTIONS,
          (g_get_monotonic_time () - start) / 1e6);
  fest_test_server_start (server);

  /* The first request opens the festival, which starts the fold. */
  if (fest_test_server_request (server, "GET", "/stands", fest.organiser_token, NULL, NULL) != 200)
    g_error ("GET /stands failed");
  wait_folded (db_path);
  printf ("server VmRSS after the fold: %" G_GINT64_FORMAT " kB\n", rss_kb (fest_test_server_get_pid (server)));
  if (fest_test_server_request (server, "GET", "/reports/summary", fest.organiser_token, NULL, &totals) != 200)
    g_error ("GET /reports/summary failed");
  printf ("ledger: %" G_GINT64_FORMAT " payments, %" G_GINT64_FORMAT " recharges\n",
          fest_test_json_int (totals, "data.payments.count"), fest_test_json_int (totals, "data.recharges_total.count"));

  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reports/sales?group_by=%s", groups[i]);

      time_get (server, fest.organiser_token, path);
    }
  time_get (server, fest.organiser_token, "/reports/vat");
  time_get (server, fest.organiser_token, "/reports/summary");
  time_get (server, fest.organiser_token, "/reports/sales?group_by=stand&from=2026-07-11&to=2026-07-11");
  time_export (server, fest.organiser_token);
  time_closure (server, fest.organiser_token);
  printf ("targets: %s\n", all_met ? "all met" : "SOME MISSED");

  fest_test_festival_clear (&fest);
  return all_met ? 0 : 1;
}
