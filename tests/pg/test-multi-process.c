/* test-multi-process.c: two festivals-server processes on one PostgreSQL database serve the same
 * festival at once, and the ledger stays exact
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * PostgreSQL only: tests/pg/meson.build runs it through build-aux/pg-cluster.sh. Both processes
 * serve the same database; concurrency is PostgreSQL's row locks, events travel by NOTIFY.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

#define PRICE 300
#define AFFORDABLE 17
#define N_PAYMENTS 60

typedef struct
{
  FestTestServer  *a;
  FestTestServer  *b;
  FestTestFestival fest;
  char            *wallet;
} Fixture;

/* One POST /transactions from a thread of its own (its own session). */
typedef struct
{
  const char *url;
  const char *token;
  char       *body;
  char       *key;
  guint       status;
  char       *reply;
} Payment;

static gpointer pay_thread (gpointer data);

static char *
create_wallet (Fixture *f,
               gint64   balance)
{
  g_autoptr(JsonNode) reply = NULL;
  char *wallet;

  g_assert_cmpuint (fest_test_server_request (f->a, "POST", "/wallets", f->fest.organiser_token, "{}", &reply),
                    ==, 201);
  wallet = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  if (balance > 0)
    {
      g_autofree char *key = fest_uuid_new ();
      g_autofree char *body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%"
                                               G_GINT64_FORMAT ",\"payment_method\":\"CASH\"}", wallet, balance);
      Payment recharge = { fest_test_server_get_url (f->a), f->fest.organiser_token, body, key, 0, NULL };

      pay_thread (&recharge);
      g_assert_cmpuint (recharge.status, ==, 201);
      g_free (recharge.reply);
    }
  return wallet;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->a = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->a, "Two processes", &f->fest);
  f->b = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  fest_test_server_share_database (f->b, f->a);
  fest_test_server_start (f->b);
  f->wallet = create_wallet (f, PRICE * AFFORDABLE);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_free (f->wallet);
  fest_test_festival_clear (&f->fest);
  g_clear_pointer (&f->b, fest_test_server_free);
  g_clear_pointer (&f->a, fest_test_server_free);
}


static gpointer
pay_thread (gpointer data)
{
  Payment *payment = data;
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 60, NULL);
  g_autofree char *uri = g_strconcat (payment->url, "/api/v1/transactions", NULL);
  g_autofree char *auth = g_strconcat ("Bearer ", payment->token, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) body = g_bytes_new (payment->body, strlen (payment->body));
  g_autoptr(GBytes) reply = NULL;
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);

  soup_message_headers_replace (headers, "Authorization", auth);
  soup_message_headers_replace (headers, "Idempotency-Key", payment->key);
  soup_message_set_request_body_from_bytes (msg, "application/json", body);
  reply = soup_session_send_and_read (session, msg, NULL, NULL);
  payment->status = soup_message_get_status (msg);
  if (reply != NULL)
    payment->reply = g_strndup (g_bytes_get_data (reply, NULL), g_bytes_get_size (reply));
  return NULL;
}

/* One payment of @amount from the fixture's wallet, through @server, under a new key: its status. */
static guint
pay (FestTestServer *server,
     Fixture        *f,
     int             amount)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%d}",
                                           f->wallet, amount);
  Payment payment = { fest_test_server_get_url (server), f->fest.organiser_token, body, key, 0, NULL };

  pay_thread (&payment);
  g_free (payment.reply);
  return payment.status;
}

static gint64
wallet_balance (FestTestServer *server,
                Fixture        *f)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/wallets/%s", f->wallet);

  g_assert_cmpuint (fest_test_server_request (server, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "data.balance");
}

static gint64
count_payments (FestTestServer *server,
                Fixture        *f)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/transactions?wallet_id=%s&type=PAYMENT", f->wallet);

  g_assert_cmpuint (fest_test_server_request (server, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
  return fest_test_json_int (reply, "meta.total");
}

static void
assert_check_passes (FestTestServer *server)
{
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;

  g_assert_cmpint (fest_test_server_run_command (server, NULL, &out, &err, "--check", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "ok:"));
}

/* 60 payments at once, half to each process, on a wallet that can afford 17: exactly 17 pass, the
 * others are refused for the balance, and both processes then read the same ledger. */
static void
test_balance_race (Fixture       *f,
                   gconstpointer  data)
{
  Payment payments[N_PAYMENTS] = { { 0 } };
  GThread *threads[N_PAYMENTS];
  guint accepted = 0;

  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      payments[i].url = fest_test_server_get_url (i % 2 == 0 ? f->a : f->b);
      payments[i].token = f->fest.organiser_token;
      payments[i].body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%d}",
                                          f->wallet, PRICE);
      payments[i].key = fest_uuid_new ();
    }
  for (guint i = 0; i < N_PAYMENTS; i++)
    threads[i] = g_thread_new ("pay", pay_thread, &payments[i]);
  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      g_thread_join (threads[i]);
      if (payments[i].status == 201)
        accepted++;
      else
        g_assert_nonnull (strstr (payments[i].reply, "INSUFFICIENT_BALANCE"));
      g_free (payments[i].body);
      g_free (payments[i].key);
      g_free (payments[i].reply);
    }

  g_assert_cmpuint (accepted, ==, AFFORDABLE);
  g_assert_cmpint (wallet_balance (f->a, f), ==, 0);
  g_assert_cmpint (wallet_balance (f->b, f), ==, 0);
  g_assert_cmpint (count_payments (f->b, f), ==, AFFORDABLE);
  assert_check_passes (f->a);
}

/* A sale of one @product at @stand from the fixture's wallet, through @server: its status, and the
 * amount charged in @amount. */
static guint
sell (FestTestServer *server,
      Fixture        *f,
      const char     *stand,
      const char     *product,
      gint64         *amount)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                                           "\"lines\":[{\"product_id\":\"%s\",\"quantity\":1}]}",
                                           f->wallet, stand, product);
  Payment payment = { fest_test_server_get_url (server), f->fest.organiser_token, body, key, 0, NULL };
  g_autoptr(JsonNode) reply = NULL;

  pay_thread (&payment);
  *amount = 0;
  if (payment.status == 201)
    {
      reply = json_from_string (payment.reply, NULL);
      *amount = -fest_test_json_int (reply, "data.amount");
    }
  g_free (payment.reply);
  return payment.status;
}

/* The processes take turns: each one's payment, sale, price or stand change is what the other's
 * next one starts from (each process keeps the rows it read for its next batches, until the other
 * writes the festival). */
static void
test_turns (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stand = NULL;
  g_autofree char *product = NULL;
  g_autofree char *path = NULL;
  gint64 amount;

  /* Payments in turn: every one sees the balance the other process left. */
  for (guint i = 0; i < AFFORDABLE - 4; i++)
    g_assert_cmpuint (pay (i % 2 == 0 ? f->a : f->b, f, PRICE), ==, 201);
  g_assert_cmpint (wallet_balance (f->a, f), ==, 4 * PRICE);

  g_assert_cmpuint (fest_test_server_request (f->a, "POST", "/stands", f->fest.organiser_token,
                                              "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply), ==, 201);
  stand = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  path = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":%d,\"vat_rate\":20}", stand, PRICE);
  g_assert_cmpuint (fest_test_server_request (f->a, "POST", "/products", f->fest.organiser_token, path, &reply),
                    ==, 201);
  product = g_strdup (fest_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_clear_pointer (&path, g_free);

  /* A sells, B doubles the price, A sells at the new price. */
  g_assert_cmpuint (sell (f->a, f, stand, product, &amount), ==, 201);
  g_assert_cmpint (amount, ==, PRICE);
  path = g_strdup_printf ("/products/%s", product);
  g_assert_cmpuint (fest_test_server_request (f->b, "PATCH", path, f->fest.organiser_token,
                                              "{\"price\":600}", &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_clear_pointer (&path, g_free);
  g_assert_cmpuint (sell (f->a, f, stand, product, &amount), ==, 201);
  g_assert_cmpint (amount, ==, 2 * PRICE);
  g_assert_cmpint (wallet_balance (f->b, f), ==, PRICE);

  /* B closes the stand: A's next sale there is refused; a payment of the rest passes on B. */
  path = g_strdup_printf ("/stands/%s", stand);
  g_assert_cmpuint (fest_test_server_request (f->b, "PATCH", path, f->fest.organiser_token,
                                              "{\"is_active\":false}", &reply), ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (sell (f->a, f, stand, product, &amount), !=, 201);
  g_assert_cmpuint (pay (f->b, f, PRICE), ==, 201);

  /* Nothing left: refused on both. */
  g_assert_cmpuint (pay (f->a, f, 1), ==, 422);
  g_assert_cmpuint (pay (f->b, f, 1), ==, 422);
  g_assert_cmpint (wallet_balance (f->a, f), ==, 0);
  g_assert_cmpint (count_payments (f->b, f), ==, AFFORDABLE - 4 + 3);
  assert_check_passes (f->a);
}

/* The same Idempotency-Key sent to both processes at once: one payment, and both replies are the
 * same bytes. */
static void
test_same_key_both_processes (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%d}",
                                           f->wallet, PRICE);
  Payment payments[2] = {
    { fest_test_server_get_url (f->a), f->fest.organiser_token, body, key, 0, NULL },
    { fest_test_server_get_url (f->b), f->fest.organiser_token, body, key, 0, NULL },
  };
  GThread *threads[2];

  for (guint i = 0; i < 2; i++)
    threads[i] = g_thread_new ("pay", pay_thread, &payments[i]);
  for (guint i = 0; i < 2; i++)
    g_thread_join (threads[i]);

  g_assert_cmpuint (payments[0].status, ==, 201);
  g_assert_cmpuint (payments[1].status, ==, 201);
  g_assert_cmpstr (payments[0].reply, ==, payments[1].reply);
  g_assert_cmpint (count_payments (f->a, f), ==, 1);
  g_assert_cmpint (wallet_balance (f->b, f), ==, PRICE * (AFFORDABLE - 1));
  g_free (payments[0].reply);
  g_free (payments[1].reply);
}

/* A WebSocket client of process A sees the payment process B took. */
typedef struct
{
  SoupSession             *session;
  SoupWebsocketConnection *connection;
  GPtrArray               *names;
  GError                  *error;
  gboolean                 connected;
} WsClient;

static void
ws_message_cb (SoupWebsocketConnection *connection,
               int                      type,
               GBytes                  *message,
               gpointer                 user_data)
{
  WsClient *client = user_data;
  g_autoptr(JsonNode) node = fest_json_parse (g_bytes_get_data (message, NULL), g_bytes_get_size (message), NULL);

  g_assert_nonnull (node);
  g_ptr_array_add (client->names, g_strdup (fest_test_json_string (node, "event")));
}

static void
ws_connected_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  WsClient *client = user_data;

  client->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &client->error);
  client->connected = TRUE;
}

static gboolean
ws_has (WsClient   *client,
        const char *name)
{
  for (guint i = 0; i < client->names->len; i++)
    if (g_strcmp0 (g_ptr_array_index (client->names, i), name) == 0)
      return TRUE;
  return FALSE;
}

static void
ws_wait (WsClient   *client,
         const char *name)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!ws_has (client, name) && g_get_monotonic_time () < deadline)
    if (!g_main_context_iteration (NULL, FALSE))
      g_usleep (5000);
  g_assert_true (ws_has (client, name));
}

/* A WebSocket client of @server's /events as @token, once greeted. */
static WsClient *
ws_connect (FestTestServer *server,
            const char     *token)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1/events", fest_test_server_get_url (server));
  g_autofree char *auth = g_strdup_printf ("Bearer %s", token);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  WsClient *client = g_new0 (WsClient, 1);

  client->session = soup_session_new ();
  client->names = g_ptr_array_new_with_free_func (g_free);
  soup_message_headers_append (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_websocket_connect_async (client->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        ws_connected_cb, client);
  while (!client->connected)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (client->error);
  g_signal_connect (client->connection, "message", G_CALLBACK (ws_message_cb), client);
  ws_wait (client, "hello");
  return client;
}

static void
ws_client_free (WsClient *client)
{
  soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_object_unref (client->connection);
  g_ptr_array_unref (client->names);
  g_object_unref (client->session);
  g_free (client);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WsClient, ws_client_free)

static void
test_events_cross_processes (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WsClient) client = ws_connect (f->a, f->fest.organiser_token);

  g_assert_cmpuint (pay (f->b, f, PRICE), ==, 201);
  ws_wait (client, "transaction:new");
}

/* Process B is killed (SIGKILL) in the middle of a burst sent to both: every payment either
 * process acknowledged is in the ledger exactly once, and --check passes. */
static void
test_kill_one_process (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *wallet = create_wallet (f, 1000000);
  Payment payments[N_PAYMENTS] = { { 0 } };
  GThread *threads[N_PAYMENTS];
  g_autoptr(GPtrArray) acknowledged = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  JsonArray *rows;

  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      payments[i].url = fest_test_server_get_url (i % 2 == 0 ? f->a : f->b);
      payments[i].token = f->fest.organiser_token;
      payments[i].body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":1}", wallet);
      payments[i].key = fest_uuid_new ();
    }
  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      threads[i] = g_thread_new ("pay", pay_thread, &payments[i]);
      if (i == N_PAYMENTS / 2)
        fest_test_server_kill (f->b);
    }
  for (guint i = 0; i < N_PAYMENTS; i++)
    {
      g_thread_join (threads[i]);
      if (payments[i].status == 201)
        {
          g_autoptr(JsonNode) node = fest_json_parse (payments[i].reply, -1, NULL);

          g_ptr_array_add (acknowledged, g_strdup (fest_test_json_string (node, "data.id")));
        }
      g_free (payments[i].body);
      g_free (payments[i].key);
      g_free (payments[i].reply);
    }
  g_assert_cmpuint (acknowledged->len, >=, N_PAYMENTS / 2);

  path = g_strdup_printf ("/transactions?wallet_id=%s&type=PAYMENT&per_page=100", wallet);
  g_assert_cmpuint (fest_test_server_request (f->a, "GET", path, f->fest.organiser_token, NULL, &reply), ==, 200);
  rows = json_node_get_array (fest_test_json_get (reply, "data"));
  for (guint i = 0; i < acknowledged->len; i++)
    {
      guint seen = 0;

      for (guint r = 0; r < json_array_get_length (rows); r++)
        if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (rows, r), "id"),
                       g_ptr_array_index (acknowledged, i)) == 0)
          seen++;
      g_assert_cmpuint (seen, ==, 1);
    }
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), >=, acknowledged->len);
  assert_check_passes (f->a);
}

/* A session both processes have cached: signed out on A, it is refused by B at once. */
static void
test_sign_out_reaches_other_process (Fixture       *f,
                                     gconstpointer  data)
{
  g_autofree char *token = fest_test_server_add_member (f->a, f->fest.organiser_token, f->fest.festival_id,
                                                        "cashier@two.test", "CASHIER", NULL);
  g_autofree char *path = g_strdup_printf ("/wallets/%s", f->wallet);
  gint64 deadline;
  guint status = 0;

  g_assert_cmpuint (fest_test_server_request (f->a, "GET", path, token, NULL, NULL), ==, 200);
  g_assert_cmpuint (fest_test_server_request (f->b, "GET", path, token, NULL, NULL), ==, 200);
  g_assert_cmpuint (fest_test_server_request (f->a, "POST", "/auth/logout", token, NULL, NULL), ==, 200);

  /* The NOTIFY travels after the sign-out's reply: allow it a moment, not a cache lifetime. */
  deadline = g_get_monotonic_time () + G_USEC_PER_SEC;
  do
    status = fest_test_server_request (f->b, "GET", path, token, NULL, NULL);
  while (status == 200 && g_get_monotonic_time () < deadline);
  g_assert_cmpuint (status, ==, 401);
}

/* The database drops every connection of both processes (a restart, a failover): the next
 * payment may be answered 503 once, then goes through on connections made again, exactly once,
 * and the listeners hear each other again. */
static void
test_connections_lost (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(WsClient) client = ws_connect (f->a, f->fest.organiser_token);
  g_autofree char *superuser = NULL;
  const char *database = fest_test_server_get_database (f->a);
  g_autofree char *name = g_strdup (strrchr (database, '/') + 1);
  g_autofree char *sql = g_strdup_printf ("SELECT count (pg_terminate_backend (pid)) FROM pg_stat_activity"
                                          " WHERE datname = '%s' AND pid <> pg_backend_pid ()", name);
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  gint64 deadline;
  gint64 paid = 1;

  /* As the superuser (PGHOST and PGPORT are the cluster's). */
  superuser = g_strdup_printf ("postgresql://postgres@%s:%s/%s", g_getenv ("PGHOST"), g_getenv ("PGPORT"), name);
  {
    const char *argv[] = { "psql", superuser, "-At", "-c", sql, NULL };

    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL, &status, &error);
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    g_assert_cmpint (g_ascii_strtoll (out, NULL, 10), >=, 6);   /* 3 connections per process at least */
  }

  /* One payment, retried under its key while the server answers 503: it is taken exactly once. */
  {
    g_autofree char *key = fest_uuid_new ();
    g_autofree char *body = g_strdup_printf ("{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"amount\":%d}",
                                             f->wallet, PRICE);
    Payment payment = { fest_test_server_get_url (f->b), f->fest.organiser_token, body, key, 0, NULL };

    deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
    do
      {
        g_clear_pointer (&payment.reply, g_free);
        pay_thread (&payment);
        if (payment.status != 201)
          {
            g_assert_cmpuint (payment.status, ==, 503);
            g_usleep (100000);
          }
      }
    while (payment.status != 201 && g_get_monotonic_time () < deadline);
    g_assert_cmpuint (payment.status, ==, 201);
    g_free (payment.reply);
  }

  /* Notifications sent while A's listener was cut off are lost; once it listens again (within a
   * second or two), B's payments reach A's client again. */
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!ws_has (client, "transaction:new") && g_get_monotonic_time () < deadline)
    {
      g_assert_cmpuint (pay (f->b, f, 1), ==, 201);
      paid++;
      for (int i = 0; i < 30 && !ws_has (client, "transaction:new"); i++)
        if (!g_main_context_iteration (NULL, FALSE))
          g_usleep (10000);
    }
  g_assert_true (ws_has (client, "transaction:new"));
  g_assert_cmpint (count_payments (f->a, f), ==, paid);
  assert_check_passes (f->a);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (!fest_test_backend_is_pg ())
    g_error ("PostgreSQL only: run through build-aux/pg-cluster.sh run (tests/pg/meson.build does)");

  g_test_add ("/pg/two-processes/balance-race", Fixture, NULL, fixture_set_up, test_balance_race,
              fixture_tear_down);
  g_test_add ("/pg/two-processes/turns", Fixture, NULL, fixture_set_up, test_turns, fixture_tear_down);
  g_test_add ("/pg/two-processes/same-key", Fixture, NULL, fixture_set_up, test_same_key_both_processes,
              fixture_tear_down);
  g_test_add ("/pg/two-processes/events", Fixture, NULL, fixture_set_up, test_events_cross_processes,
              fixture_tear_down);
  g_test_add ("/pg/two-processes/sign-out", Fixture, NULL, fixture_set_up, test_sign_out_reaches_other_process,
              fixture_tear_down);
  g_test_add ("/pg/two-processes/connections-lost", Fixture, NULL, fixture_set_up, test_connections_lost,
              fixture_tear_down);
  g_test_add ("/pg/two-processes/kill-one", Fixture, NULL, fixture_set_up, test_kill_one_process,
              fixture_tear_down);

  return g_test_run ();
}
