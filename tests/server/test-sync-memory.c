/* test-sync-memory.c: POST /sync stays within its memory bound with maximal batches in flight
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A station's batch is bounded (README, "Offline sync"): at most 2,000 operations and 4 MiB. This
 * test sends four batches at that bound at once, the worst a few stations coming back together
 * can do, and reads how far the server's peak resident set (VmHWM) rose above its resident set
 * before them: what the batches cost, not the libraries the server maps (libpq's dependencies
 * alone are 4 MB). Under the sanitizers the figure is printed but not asserted: their shadow
 * memory and quarantine are most of it.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define MAX_OPERATIONS   2000
#define MAX_BODY         (4 * 1024 * 1024)
#define BATCHES          4
#define PEAK_GROWTH_LIMIT_KB (90 * 1024)
/* On PostgreSQL the batches' events are also kept, as text, for the other processes serving the
 * festival until the batch commits (8,000 events here; measured 8 to 16 MB more than on SQLite,
 * whose single process builds none without a client of its own). */
#define PG_EVENTS_KB (30 * 1024)

typedef struct
{
  const char *url;
  const char *token;
  GBytes     *body;
  guint       status;
  gint64      applied;
} Batch;

static char *
create_entity (FestTestServer *server,
               const char     *token,
               const char     *path,
               const char     *body)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (server, "POST", path, token, body, &reply), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

/* 2,000 offline payments of as many lines as fit in 4 MiB: the most JSON values a batch can carry,
 * each op applied (lines priced, stock moved, row chained) and answered with its whole entity. */
static GBytes *
maximal_batch (guint       number,
               const char *wallet,
               const char *stand,
               const char *product)
{
  g_autofree char *line = g_strdup_printf ("{\"product_id\":\"%s\",\"quantity\":1}", product);
  GString *out = g_string_sized_new (MAX_BODY);
  gsize op_base, n_lines;

  /* The op without lines, with the longest key it will have. */
  op_base = strlen ("{\"op\":\"transaction.create\",\"idempotency_key\":\"rss-0-0000\","
                    "\"created_at\":\"2026-07-14T20:00:00Z\",\"payload\":{\"type\":\"PAYMENT\","
                    "\"wallet_id\":\"\",\"stand_id\":\"\",\"lines\":[]}},")
            + strlen (wallet) + strlen (stand);
  n_lines = ((MAX_BODY - 200) / MAX_OPERATIONS - op_base) / (strlen (line) + 1);

  g_string_append (out, "{\"device_id\":\"rss\",\"operations\":[");
  for (guint i = 0; i < MAX_OPERATIONS; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out,
                              "{\"op\":\"transaction.create\",\"idempotency_key\":\"rss-%u-%04u\","
                              "\"created_at\":\"2026-07-14T20:00:00Z\",\"payload\":{\"type\":\"PAYMENT\","
                              "\"wallet_id\":\"%s\",\"stand_id\":\"%s\",\"lines\":[",
                              number, i, wallet, stand);
      for (gsize l = 0; l < n_lines; l++)
        {
          if (l > 0)
            g_string_append_c (out, ',');
          g_string_append (out, line);
        }
      g_string_append (out, "]}}");
    }
  g_string_append (out, "]}");
  g_assert_cmpuint (out->len, <=, MAX_BODY);
  g_assert_cmpuint (out->len, >, MAX_BODY - MAX_BODY / 20);
  return g_string_free_to_bytes (out);
}

static gpointer
post_batch_thread (gpointer data)
{
  Batch *batch = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 300, NULL);
  g_autofree char *uri = g_strconcat (batch->url, "/api/v1/sync", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", batch->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) reply = NULL;
  g_autoptr(JsonNode) root = NULL;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_message_set_request_body_from_bytes (msg, "application/json", batch->body);
  reply = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  batch->status = soup_message_get_status (msg);
  root = json_from_string (g_bytes_get_data (reply, NULL), NULL);
  if (root != NULL && batch->status == SOUP_STATUS_OK)
    batch->applied = fest_test_json_int (root, "data.applied");
  return NULL;
}

/* @field of /proc/PID/status in kB: "VmHWM:" (peak) or "VmRSS:" (now). */
static gint64
status_kb (GPid        pid,
           const char *field)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/status", (int) pid);
  g_autofree char *status = NULL;
  const char *line;

  g_assert_true (g_file_get_contents (path, &status, NULL, NULL));
  line = strstr (status, field);
  g_assert_nonnull (line);
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

static void
test_four_maximal_batches (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *stand = NULL;
  g_autofree char *product = NULL;
  g_autofree char *body = NULL;
  FestTestFestival fest;
  Batch batches[BATCHES] = { { 0 } };
  GThread *threads[BATCHES];
  gint64 before;
  gint64 peak;

#if FEST_TEST_SANITIZED
  /* Under the sanitizers the four batches take minutes, and a connection whose batch waits that
   * long without a byte moving would meet the server's 60 s idle timeout. */
  fest_test_server_add_arg (server, "--idle-timeout=900");
#endif
  fest_test_server_start (server);
  fest_test_server_setup_festival (server, "Memory fest", &fest);
  stand = create_entity (server, fest.organiser_token, "/stands", "{\"name\":\"Bar\",\"type\":\"BAR\"}");
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Water\",\"price\":1,\"vat_rate\":5.5}", stand);
  product = create_entity (server, fest.organiser_token, "/products", body);

  for (guint i = 0; i < BATCHES; i++)
    {
      g_autofree char *wallet = create_entity (server, fest.organiser_token, "/wallets", "{}");

      batches[i].url = fest_test_server_get_url (server);
      batches[i].token = fest.organiser_token;
      batches[i].body = maximal_batch (i, wallet, stand, product);
    }
  before = status_kb (fest_test_server_get_pid (server), "VmRSS:");
  for (guint i = 0; i < BATCHES; i++)
    threads[i] = g_thread_new ("batch", post_batch_thread, &batches[i]);
  for (guint i = 0; i < BATCHES; i++)
    {
      g_thread_join (threads[i]);
      g_assert_cmpuint (batches[i].status, ==, SOUP_STATUS_OK);
      g_assert_cmpint (batches[i].applied, ==, MAX_OPERATIONS);
      g_bytes_unref (batches[i].body);
    }

  peak = status_kb (fest_test_server_get_pid (server), "VmHWM:");
  g_test_message ("festivals-server peak RSS with %d maximal batches in flight: %" G_GINT64_FORMAT
                  " kB, %" G_GINT64_FORMAT " kB before them", BATCHES, peak, before);
#if !FEST_TEST_SANITIZED
  g_assert_cmpint (peak - before, <, PEAK_GROWTH_LIMIT_KB + (fest_test_backend_is_pg () ? PG_EVENTS_KB : 0));
#endif
  fest_test_festival_clear (&fest);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  g_test_add_func ("/fest/sync/memory/four-maximal-batches", test_four_maximal_batches);
  return g_test_run ();
}
