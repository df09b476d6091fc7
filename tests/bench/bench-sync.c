/* bench-sync.c: a station's 10,000-operation offline backlog applied through POST /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the real server (fixture of tests/server), creates 200 wallets, then replays a backlog of
 * 10,000 offline payments: once in the largest batches POST /sync takes (2,000 operations) and once
 * as the station's engine sends it (batches of 200, one after the other), and prints the time each
 * took. Target: ≤ 1 s.
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define N_WALLETS 200
#define N_OPS     10000
#define MAX_BATCH 2000

static char *
build_batch (GPtrArray  *wallets,
             const char *prefix,
             guint       first,
             guint       count)
{
  GString *body = g_string_sized_new (count * 200);

  g_string_append_printf (body, "{\"device_id\":\"bench-%s\",\"pending\":%u,\"operations\":[", prefix,
                          N_OPS - first - count);
  for (guint i = first; i < first + count; i++)
    g_string_append_printf (body,
                            "%s{\"op\":\"transaction.create\",\"idempotency_key\":\"%s-%u\","
                            "\"created_at\":\"2026-07-14T20:%02u:%02uZ\","
                            "\"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%u}}",
                            i == first ? "" : ",", prefix, i, (i / 60) % 60, i % 60,
                            (const char *) g_ptr_array_index (wallets, i % wallets->len), 50 + i % 400);
  g_string_append (body, "]}");
  return g_string_free (body, FALSE);
}

/* CPU time (user + system, ms) the server process has used: on a shared machine the wall time
 * also counts other processes' load, this does not. */
static gdouble
server_cpu_ms (FestTestServer *server)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int) fest_test_server_get_pid (server));
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_comm;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return 0;
  after_comm = strrchr (text, ')');
  if (after_comm == NULL)
    return 0;
  fields = g_strsplit (after_comm + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return 0;
  /* Fields 14 and 15 of stat(5), counted from the state field (3). */
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) * 1000.0 / sysconf (_SC_CLK_TCK);
}

static gdouble
post_batch (FestTestServer *server,
            const char     *token,
            const char     *body,
            guint           expected)
{
  g_autoptr(JsonNode) reply = NULL;
  gint64 start = g_get_monotonic_time ();
  guint status;

  status = fest_test_server_request (server, "POST", "/sync", token, body, &reply);
  if (status != 200 || fest_test_json_int (reply, "data.applied") != expected)
    g_error ("sync failed: status %u", status);
  return (g_get_monotonic_time () - start) / 1000.0;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FestTestServer) server = NULL;
  g_autoptr(GPtrArray) wallets = g_ptr_array_new_with_free_func (g_free);
  FestTestFestival fest;
  gdouble single_ms, batched_ms = 0;
  gdouble cpu_start, single_cpu, batched_cpu;
  gboolean ok;

  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (server, "Bench fest", &fest);
  for (guint i = 0; i < N_WALLETS; i++)
    {
      g_autoptr(JsonNode) reply = NULL;

      if (fest_test_server_request (server, "POST", "/wallets", fest.organiser_token, "{}", &reply) != 201)
        g_error ("could not create a wallet");
      g_ptr_array_add (wallets, g_strdup (fest_test_json_string (reply, "data.id")));
    }

  cpu_start = server_cpu_ms (server);
  single_ms = 0;
  for (guint first = 0; first < N_OPS; first += MAX_BATCH)
    {
      g_autofree char *body = build_batch (wallets, "single", first, MAX_BATCH);

      single_ms += post_batch (server, fest.organiser_token, body, MAX_BATCH);
    }
  single_cpu = server_cpu_ms (server) - cpu_start;

  cpu_start = server_cpu_ms (server);
  for (guint first = 0; first < N_OPS; first += 200)
    {
      g_autofree char *body = build_batch (wallets, "batched", first, 200);

      batched_ms += post_batch (server, fest.organiser_token, body, 200);
    }
  batched_cpu = server_cpu_ms (server) - cpu_start;

  printf ("%-36s %10s %12s %16s\n", "sync backlog (offline payments)", "wall ms", "ops/s", "server CPU ms");
  printf ("%-36s %10.1f %12.0f %16.0f\n", "10,000 ops in 5 batches of 2,000", single_ms, N_OPS / (single_ms / 1000.0),
          single_cpu);
  printf ("%-36s %10.1f %12.0f %16.0f\n", "10,000 ops in 50 batches of 200", batched_ms,
          N_OPS / (batched_ms / 1000.0), batched_cpu);
  {
    gdouble load[1] = { 0 };

    if (getloadavg (load, 1) == 1)
      printf ("(load average during the run: %.2f on %ld cores)\n", load[0], sysconf (_SC_NPROCESSORS_ONLN));
  }
  ok = single_ms <= 1000.0 && batched_ms <= 1000.0;
  printf ("target: <= 1000 ms: %s\n", ok ? "met" : "MISSED");

  fest_test_festival_clear (&fest);
  return ok ? 0 : 1;
}
