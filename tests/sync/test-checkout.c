/* test-checkout.c: the station's payment policy (FestCheckout) against the real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every branch of a sale, a recharge and a cancel, headless: the station's store and sync engine
 * talk to a real server on loopback through a proxy (fest-sim-proxy) that can refuse connections
 * (never sent) or lose the server's answers; a SIGSTOPped server makes the online attempts time out.
 * Each case checks the result, the station's outbox and the server's ledger (GET /transactions,
 * GET /wallets/{id}): a wrong branch charges twice, loses a charge or records a refused sale.
 */

#include "config.h"

#include <signal.h>
#include <string.h>

#include "fest-core.h"
#include "fest-checkout.h"
#include "fest-sim-proxy.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

/* Short, so that a timed-out attempt (and its retry) costs about a second. */
#define ONLINE_TIMEOUT_MS 500
#define WAIT_TIMEOUT_S    30

typedef struct
{
  FestSyncServer   *server;
  FestSimProxy     *proxy;
  FestStationStore *store;
  FestSyncEngine   *engine;
  FestCheckout     *checkout;
  char             *wallet_id;
  char             *code;
  char             *device_id;
  char             *token;
  GHashTable       *resolved;    /* key → 1 (void) or 2 (charged), from "unconfirmed-resolved" */
} Station;

/* Main loop helpers */

static void
wait_for (gboolean *done)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_TIMEOUT_S * G_USEC_PER_SEC;

  while (!*done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

typedef struct
{
  gboolean            done;
  gboolean            ok;
  GError             *error;
  FestCheckoutResult *result;
} Wait;

static void
sync_done_cb (GObject      *source,
              GAsyncResult *res,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = fest_sync_engine_sync_finish (FEST_SYNC_ENGINE (source), res, &wait->error);
  wait->done = TRUE;
}

static gboolean
run_sync (Station  *station,
          GError  **error)
{
  Wait wait = { 0 };

  fest_sync_engine_sync_async (station->engine, NULL, sync_done_cb, &wait);
  wait_for (&wait.done);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.ok;
}

static void
sync_ok (Station *station)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (run_sync (station, &error));
  g_assert_no_error (error);
}

static void
pay_done_cb (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = fest_checkout_pay_finish (FEST_CHECKOUT (source), res, &wait->error);
  wait->done = TRUE;
}

static FestCheckoutResult *
pay (Station    *station,
     const char *product_id,
     gint64      quantity)
{
  FestSaleLine line = { product_id, quantity };
  Wait wait = { 0 };

  fest_checkout_pay_async (station->checkout, station->code, &line, 1, NULL, pay_done_cb, &wait);
  wait_for (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);
  return wait.result;
}

static void
recharge_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = fest_checkout_recharge_finish (FEST_CHECKOUT (source), res, &wait->error);
  wait->done = TRUE;
}

static FestCheckoutResult *
recharge (Station    *station,
          const char *code,
          gint64      amount)
{
  Wait wait = { 0 };

  fest_checkout_recharge_async (station->checkout, code, amount, "CASH", NULL, recharge_done_cb, &wait);
  wait_for (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);
  return wait.result;
}

static void
cancel_done_cb (GObject      *source,
                GAsyncResult *res,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = fest_checkout_cancel_last_finish (FEST_CHECKOUT (source), res, &wait->error);
  wait->done = TRUE;
}

static FestCheckoutResult *
cancel_last (Station *station)
{
  Wait wait = { 0 };

  fest_checkout_cancel_last_async (station->checkout, NULL, cancel_done_cb, &wait);
  wait_for (&wait.done);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.result);
  return wait.result;
}

/* The server's ledger */

/* The server's transactions under @key (0 or 1: never more). @amount gets the last one's. */
static guint
ledger_count (FestSyncServer *server,
              const char     *key,
              gint64         *amount)
{
  g_autoptr(JsonArray) ledger = fest_sync_server_list_transactions (server);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (ledger); i++)
    {
      JsonObject *tx = json_array_get_object_element (ledger, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (tx, "idempotency_key", NULL), key) != 0)
        continue;
      n++;
      if (amount != NULL)
        *amount = json_object_get_int_member (tx, "amount");
    }
  g_assert_cmpuint (n, <=, 1);
  return n;
}

/* The server's transactions of @type made by this station's stand. */
static guint
ledger_count_type (FestSyncServer *server,
                   const char     *type)
{
  g_autoptr(JsonArray) ledger = fest_sync_server_list_transactions (server);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (ledger); i++)
    {
      JsonObject *tx = json_array_get_object_element (ledger, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (tx, "type", NULL), type) == 0)
        n++;
    }
  return n;
}

static gint64
server_balance (Station *station)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *path = g_strdup_printf ("/wallets/%s", station->wallet_id);

  g_assert_cmpuint (fest_sync_server_request (station->server, "GET", path, station->server->admin_token, NULL,
                                              NULL, &node), ==, 200);
  return json_object_get_int_member (json_node_get_object (node), "balance");
}

/* A credit made elsewhere (the back office): the station does not know it until it syncs. */
static void
credit_on_server (Station *station,
                  gint64   amount)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%" G_GINT64_FORMAT
                                           ",\"payment_method\":\"CASH\"}", station->wallet_id, amount);

  g_assert_cmpuint (fest_sync_server_request (station->server, "POST", "/transactions",
                                              station->server->admin_token, body, key, &node), ==, 201);
}

/* The station's outbox */

static FestOutboxOp *
find_op (Station    *station,
         const char *key)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (station->store);

  for (guint i = 0; i < ops->len; i++)
    {
      FestOutboxOp *op = g_ptr_array_index (ops, i);

      if (g_strcmp0 (op->idempotency_key, key) == 0)
        return g_ptr_array_steal_index (ops, i);
    }
  return NULL;
}

static guint
count_ops (Station *station)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (station->store);

  return ops->len;
}

static void
assert_op_state (Station         *station,
                 const char      *key,
                 FestOutboxState  state,
                 gint64           amount_delta)
{
  g_autoptr(FestOutboxOp) op = find_op (station, key);

  g_assert_nonnull (op);
  g_assert_cmpint (op->state, ==, state);
  g_assert_cmpint (op->amount_delta, ==, amount_delta);
}

/* Setup */

static void
unconfirmed_cb (FestSyncEngine *engine,
                const char     *key,
                gboolean        charged,
                gpointer        user_data)
{
  g_hash_table_insert (user_data, g_strdup (key), GINT_TO_POINTER (charged ? 2 : 1));
}

static guint16
server_port (FestSyncServer *server)
{
  const char *colon = strrchr (server->url, ':');

  g_assert_nonnull (colon);
  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

/* A festival with a BAR stand selling Beer at 500, a wallet holding @balance, a cashier station
 * enrolled and synced through its proxy, its checkout. */
static void
station_open (Station    *station,
              const char *name,
              gint64      balance)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);

  station->server = fest_sync_server_new ();
  fest_sync_server_setup_festival (station->server);
  station->wallet_id = fest_sync_server_new_wallet (station->server, balance, &station->code);
  station->token = fest_sync_server_new_device (station->server, "cashier", station->server->stand_id,
                                                &station->device_id);
  station->proxy = fest_sim_proxy_new (server_port (station->server));
  station->store = fest_station_store_open (path, &error);
  g_assert_no_error (error);
  fest_station_store_enroll (station->store, fest_sim_proxy_get_url (station->proxy), station->device_id, name,
                             station->server->festival_id, station->server->stand_id, "cashier", &error);
  g_assert_no_error (error);
  station->engine = fest_sync_engine_new (station->store, fest_sim_proxy_get_url (station->proxy), station->token);
  station->resolved = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (station->engine, "unconfirmed-resolved", G_CALLBACK (unconfirmed_cb), station->resolved);
  station->checkout = g_object_new (FEST_TYPE_CHECKOUT, "store", station->store, "engine", station->engine,
                                    "online-timeout", ONLINE_TIMEOUT_MS, NULL);
  g_assert_true (fest_checkout_get_store (station->checkout) == station->store);
  g_assert_true (fest_checkout_get_engine (station->checkout) == station->engine);
  sync_ok (station);
  g_assert_true (fest_checkout_get_online (station->checkout));
}

static void
station_close (Station *station)
{
  g_assert_finalize_object (station->checkout);
  g_clear_object (&station->engine);
  g_clear_object (&station->store);
  g_clear_pointer (&station->proxy, fest_sim_proxy_free);
  g_clear_pointer (&station->resolved, g_hash_table_unref);
  g_assert_true (fest_sync_server_stop (station->server));
  g_assert_true (fest_sync_server_check (station->server));
  fest_sync_server_free (station->server);
  g_free (station->code);
  g_free (station->wallet_id);
  g_free (station->device_id);
  g_free (station->token);
}

static GPid
server_pid (Station *station)
{
  return (GPid) g_ascii_strtoll (g_subprocess_get_identifier (station->server->process), NULL, 10);
}

/* Sales */

/* Online and accepted: acknowledged at once, on the ledger once, the cached balance the server's;
 * then the same sale cancelled (online): given back on the ledger. */
static void
test_pay_online_accepted (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autoptr(FestCheckoutResult) cancel = NULL;
  g_autoptr(FestCheckoutResult) again = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;
  gint64 amount = 0;

  station_open (&station, "pay-online.db", 3000);
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), ==, 0);

  result = pay (&station, station.server->product_id, 2);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (result->route, ==, FEST_CHECKOUT_ROUTE_ONLINE);
  g_assert_cmpint (result->amount, ==, 1000);
  g_assert_cmpint (result->balance, ==, 2000);
  g_assert_null (result->error);
  assert_op_state (&station, result->key, FEST_OUTBOX_ACKED, -1000);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  g_assert_cmpuint (ledger_count (station.server, result->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, -1000);
  g_assert_cmpint (server_balance (&station), ==, 2000);
  summary = fest_station_store_get_shift_summary (station.store);
  g_assert_cmpuint (summary->n_sales, ==, 1);

  /* Acknowledged: it may be cancelled for the next two minutes. */
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), >, 100 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), <=,
                   FEST_CHECKOUT_CANCEL_WINDOW_S * G_TIME_SPAN_SECOND);
  cancel = cancel_last (&station);
  g_assert_cmpint (cancel->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (cancel->amount, ==, 1000);
  assert_op_state (&station, cancel->key, FEST_OUTBOX_ACKED, 1000);
  g_assert_cmpuint (ledger_count (station.server, cancel->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 1000);
  g_assert_cmpint (server_balance (&station), ==, 3000);
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), ==, 0);

  /* Nothing left to cancel: refused by the station, nothing sent. */
  again = fest_checkout_cancel_last (station.checkout);
  g_assert_cmpint (again->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (again->refusal, ==, FEST_CHECKOUT_REFUSAL_LOCAL);
  g_assert_nonnull (again->error);
  g_assert_cmpuint (ledger_count_type (station.server, "CANCEL"), ==, 1);
  station_close (&station);
}

/* Online and refused: the server's figures, nothing recorded, nothing charged. */
static void
test_pay_online_refused (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autoptr(FestCheckoutResult) stock = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  const char *crisps_id;

  station_open (&station, "pay-refused.db", 300);
  result = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (result->route, ==, FEST_CHECKOUT_ROUTE_ONLINE);
  g_assert_cmpint (result->refusal, ==, FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE);
  g_assert_error (result->error, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE);
  g_assert_cmpint (result->needed, ==, 500);
  g_assert_cmpint (result->available, ==, 300);
  g_assert_cmpuint (count_ops (&station), ==, 0);
  g_assert_cmpuint (ledger_count (station.server, result->key, NULL), ==, 0);
  g_assert_cmpint (server_balance (&station), ==, 300);

  /* One bag of crisps left, two asked for: out of stock, by name. */
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Crisps\",\"price\":100,\"vat_rate\":20,"
                          "\"category\":\"Food\",\"stock\":1}", station.server->stand_id);
  g_assert_cmpuint (fest_sync_server_request (station.server, "POST", "/products", station.server->admin_token,
                                              body, NULL, &node), ==, 201);
  crisps_id = json_object_get_string_member (json_node_get_object (node), "id");
  sync_ok (&station);
  stock = pay (&station, crisps_id, 2);
  g_assert_cmpint (stock->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (stock->refusal, ==, FEST_CHECKOUT_REFUSAL_OUT_OF_STOCK);
  g_assert_cmpstr (stock->product_name, ==, "Crisps");
  g_assert_cmpint (stock->available, ==, 1);
  g_assert_cmpuint (count_ops (&station), ==, 0);
  g_assert_cmpuint (ledger_count (station.server, stock->key, NULL), ==, 0);
  g_assert_cmpint (server_balance (&station), ==, 300);
  station_close (&station);
}

/* The network is cut: the attempt never reaches the server, the offline rules take the sale, and
 * the next ones are offline from the start; beyond the balance (no allowance) it is refused and
 * not recorded. The network back, the sync puts each sale on the ledger once. */
static void
test_pay_not_sent (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) not_sent = NULL;
  g_autoptr(FestCheckoutResult) offline = NULL;
  g_autoptr(FestCheckoutResult) refused = NULL;
  g_autoptr(FestCheckoutResult) now = NULL;
  FestSaleLine line = { NULL, 1 };
  gint64 amount = 0;

  station_open (&station, "pay-not-sent.db", 1200);
  fest_sim_proxy_set_online (station.proxy, FALSE);
  not_sent = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (not_sent->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (not_sent->route, ==, FEST_CHECKOUT_ROUTE_NOT_SENT);
  g_assert_cmpint (not_sent->amount, ==, 500);
  g_assert_cmpint (not_sent->balance, ==, 700);
  assert_op_state (&station, not_sent->key, FEST_OUTBOX_PENDING, -500);
  g_assert_false (fest_checkout_get_online (station.checkout));

  offline = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (offline->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (offline->route, ==, FEST_CHECKOUT_ROUTE_OFFLINE);
  g_assert_cmpint (offline->balance, ==, 200);
  assert_op_state (&station, offline->key, FEST_OUTBOX_PENDING, -500);

  /* 200 left, no offline allowance: refused by the station, at once, nothing recorded. */
  line.product_id = station.server->product_id;
  refused = fest_checkout_pay_offline (station.checkout, station.code, &line, 1);
  g_assert_cmpint (refused->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (refused->route, ==, FEST_CHECKOUT_ROUTE_OFFLINE);
  g_assert_cmpint (refused->refusal, ==, FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE);
  g_assert_error (refused->error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE);
  g_assert_cmpint (refused->needed, ==, 500);
  g_assert_cmpint (refused->available, ==, 200);
  g_assert_cmpuint (count_ops (&station), ==, 2);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 2);
  g_assert_cmpint (server_balance (&station), ==, 1200);

  fest_sim_proxy_set_online (station.proxy, TRUE);
  sync_ok (&station);
  g_assert_cmpuint (ledger_count (station.server, not_sent->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, -500);
  g_assert_cmpuint (ledger_count (station.server, offline->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, -500);
  assert_op_state (&station, not_sent->key, FEST_OUTBOX_ACKED, -500);
  assert_op_state (&station, offline->key, FEST_OUTBOX_ACKED, -500);
  g_assert_cmpint (server_balance (&station), ==, 200);
  g_assert_cmpuint (ledger_count_type (station.server, "PAYMENT"), ==, 2);

  /* Online again: the next sale asks the server, which refuses it too. */
  g_assert_true (fest_checkout_get_online (station.checkout));
  now = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (now->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (now->route, ==, FEST_CHECKOUT_ROUTE_ONLINE);
  g_assert_cmpuint (ledger_count_type (station.server, "PAYMENT"), ==, 2);
  station_close (&station);
}

/* The server does not answer in time (it is stopped): the attempt and its retry time out, the
 * offline rules take the sale under the attempt's key. Once the server runs again, the queued
 * attempts and the sync's push make one ledger row, not two. */
static void
test_pay_timeout_offline (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  gint64 amount = 0;
  GPid pid;

  station_open (&station, "pay-timeout.db", 5000);
  pid = server_pid (&station);
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  result = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (result->route, ==, FEST_CHECKOUT_ROUTE_NO_ANSWER);
  g_assert_cmpint (result->amount, ==, 500);
  g_assert_cmpint (result->balance, ==, 4500);
  assert_op_state (&station, result->key, FEST_OUTBOX_PENDING, -500);
  g_assert_false (fest_checkout_get_online (station.checkout));
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  sync_ok (&station);
  assert_op_state (&station, result->key, FEST_OUTBOX_ACKED, -500);
  g_assert_cmpuint (ledger_count (station.server, result->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, -500);
  g_assert_cmpuint (ledger_count_type (station.server, "PAYMENT"), ==, 1);
  g_assert_cmpint (server_balance (&station), ==, 4500);
  station_close (&station);
}

/* Unanswered, and the offline rules refuse it (the station's cached balance is short: the wallet
 * was credited at the back office since): not confirmed, do not serve, nothing on the balance or in
 * the shift. The attempt had landed: the next sync asks the server, and it becomes a sale. */
static void
test_pay_unconfirmed_charged (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autoptr(FestShiftSummary) before = NULL;
  g_autoptr(FestShiftSummary) after = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  gint64 amount = 0;
  GPid pid;

  station_open (&station, "pay-unconfirmed-charged.db", 300);
  credit_on_server (&station, 1000);
  pid = server_pid (&station);
  g_assert_cmpint (kill (pid, SIGSTOP), ==, 0);
  result = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_UNCONFIRMED);
  g_assert_cmpint (result->route, ==, FEST_CHECKOUT_ROUTE_NO_ANSWER);
  assert_op_state (&station, result->key, FEST_OUTBOX_UNCONFIRMED, -500);
  g_assert_cmpuint (fest_station_store_count_pending (station.store), ==, 0);
  g_assert_cmpint (fest_station_store_get_effective_balance (station.store, station.code), ==, 300);
  before = fest_station_store_get_shift_summary (station.store);
  g_assert_cmpuint (before->n_sales, ==, 0);
  g_assert_cmpint (kill (pid, SIGCONT), ==, 0);

  /* The stopped server takes the queued attempt (one of them) as it wakes up. */
  for (guint i = 0; ledger_count (station.server, result->key, NULL) == 0; i++)
    {
      g_assert_cmpuint (i, <, WAIT_TIMEOUT_S * 20);
      g_usleep (50000);
    }
  sync_ok (&station);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (station.resolved, result->key)), ==, 2);
  op = find_op (&station, result->key);
  g_assert_cmpint (op->state, ==, FEST_OUTBOX_ACKED);
  g_assert_nonnull (op->entity);
  g_assert_cmpuint (ledger_count (station.server, result->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, -500);
  g_assert_cmpint (server_balance (&station), ==, 800);
  g_assert_cmpint (fest_station_store_get_effective_balance (station.store, station.code), ==, 800);
  after = fest_station_store_get_shift_summary (station.store);
  g_assert_cmpuint (after->n_sales, ==, 1);
  station_close (&station);
}

/* Unanswered (the server's refusal is lost on the way) and refused offline: unconfirmed. The
 * server never took it: the next sync asks, and it is void, never charged, never pushed. */
static void
test_pay_unconfirmed_void (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autoptr(FestShiftSummary) summary = NULL;

  station_open (&station, "pay-unconfirmed-void.db", 300);
  fest_sim_proxy_set_drop_responses (station.proxy, TRUE);
  result = pay (&station, station.server->product_id, 1);
  fest_sim_proxy_set_drop_responses (station.proxy, FALSE);
  g_assert_cmpuint (fest_sim_proxy_get_dropped (station.proxy), >=, 1);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_UNCONFIRMED);
  g_assert_cmpint (result->route, ==, FEST_CHECKOUT_ROUTE_NO_ANSWER);
  assert_op_state (&station, result->key, FEST_OUTBOX_UNCONFIRMED, -500);

  sync_ok (&station);
  g_assert_cmpint (GPOINTER_TO_INT (g_hash_table_lookup (station.resolved, result->key)), ==, 1);
  assert_op_state (&station, result->key, FEST_OUTBOX_VOID, -500);
  g_assert_cmpuint (ledger_count (station.server, result->key, NULL), ==, 0);
  g_assert_cmpuint (ledger_count_type (station.server, "PAYMENT"), ==, 0);
  g_assert_cmpint (server_balance (&station), ==, 300);
  g_assert_cmpint (fest_station_store_get_effective_balance (station.store, station.code), ==, 300);
  summary = fest_station_store_get_shift_summary (station.store);
  g_assert_cmpuint (summary->n_sales, ==, 0);
  station_close (&station);
}

/* Recharges */

/* Online: accepted (on the ledger once) or refused (an unknown wallet: nothing recorded). Never
 * sent, or unanswered after the server applied it: a credit always passes offline, under the same
 * key, and the sync makes it one ledger row. */
static void
test_recharge (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) online = NULL;
  g_autoptr(FestCheckoutResult) unknown = NULL;
  g_autoptr(FestCheckoutResult) lost = NULL;
  g_autoptr(FestCheckoutResult) not_sent = NULL;
  g_autoptr(FestCheckoutResult) offline = NULL;
  g_autofree char *stranger = fest_wallet_code_new ();
  gint64 amount = 0;

  station_open (&station, "recharge.db", 1000);
  online = recharge (&station, station.code, 2000);
  g_assert_cmpint (online->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (online->route, ==, FEST_CHECKOUT_ROUTE_ONLINE);
  g_assert_cmpint (online->amount, ==, 2000);
  g_assert_cmpint (online->balance, ==, 3000);
  assert_op_state (&station, online->key, FEST_OUTBOX_ACKED, 2000);
  g_assert_cmpuint (ledger_count (station.server, online->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 2000);
  g_assert_cmpint (server_balance (&station), ==, 3000);

  unknown = recharge (&station, stranger, 2000);
  g_assert_cmpint (unknown->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (unknown->refusal, ==, FEST_CHECKOUT_REFUSAL_UNKNOWN_WALLET);
  g_assert_error (unknown->error, FEST_ERROR, FEST_ERROR_NOT_FOUND);
  g_assert_null (find_op (&station, unknown->key));
  g_assert_cmpuint (ledger_count (station.server, unknown->key, NULL), ==, 0);

  /* The server applies it, its answers are lost: the outbox, same key; the sync is a duplicate. */
  fest_sim_proxy_set_drop_responses (station.proxy, TRUE);
  lost = recharge (&station, station.code, 500);
  fest_sim_proxy_set_drop_responses (station.proxy, FALSE);
  g_assert_cmpint (lost->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (lost->route, ==, FEST_CHECKOUT_ROUTE_NO_ANSWER);
  g_assert_cmpint (lost->amount, ==, 500);
  g_assert_cmpint (lost->balance, ==, 3500);
  assert_op_state (&station, lost->key, FEST_OUTBOX_PENDING, 500);
  g_assert_cmpuint (ledger_count (station.server, lost->key, NULL), ==, 1);

  /* The network is cut: never sent, then offline from the start. */
  sync_ok (&station);
  fest_sim_proxy_set_online (station.proxy, FALSE);
  not_sent = recharge (&station, station.code, 300);
  g_assert_cmpint (not_sent->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (not_sent->route, ==, FEST_CHECKOUT_ROUTE_NOT_SENT);
  offline = fest_checkout_recharge_offline (station.checkout, station.code, 200, "CARD");
  g_assert_cmpint (offline->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (offline->route, ==, FEST_CHECKOUT_ROUTE_OFFLINE);
  g_assert_cmpint (offline->balance, ==, 4000);
  g_assert_cmpuint (ledger_count (station.server, not_sent->key, NULL), ==, 0);
  fest_sim_proxy_set_online (station.proxy, TRUE);

  sync_ok (&station);
  assert_op_state (&station, lost->key, FEST_OUTBOX_ACKED, 500);
  assert_op_state (&station, not_sent->key, FEST_OUTBOX_ACKED, 300);
  assert_op_state (&station, offline->key, FEST_OUTBOX_ACKED, 200);
  g_assert_cmpuint (ledger_count (station.server, lost->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 500);
  g_assert_cmpuint (ledger_count (station.server, not_sent->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 300);
  g_assert_cmpuint (ledger_count (station.server, offline->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 200);
  /* The wallet's first credit, and the four of this station. */
  g_assert_cmpuint (ledger_count_type (station.server, "RECHARGE"), ==, 5);
  g_assert_cmpint (server_balance (&station), ==, 4000);
  station_close (&station);
}

/* Cancels */

/* A cancel goes through the outbox: queued while the network is cut, the server's word comes with
 * the sync after; a sale refunded at the back office meanwhile cannot be cancelled too. */
static void
test_cancel_last (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) sale = NULL;
  g_autoptr(FestCheckoutResult) queued = NULL;
  g_autoptr(FestCheckoutResult) pending = NULL;
  g_autoptr(FestCheckoutResult) done = NULL;
  g_autoptr(FestCheckoutResult) second = NULL;
  g_autoptr(FestCheckoutResult) refused = NULL;
  g_autoptr(FestOutboxOp) last = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autofree char *body = NULL;
  gint64 amount = 0;

  station_open (&station, "cancel.db", 5000);
  /* An offline sale has no server id yet: nothing to cancel. */
  fest_sim_proxy_set_online (station.proxy, FALSE);
  sale = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (sale->route, ==, FEST_CHECKOUT_ROUTE_NOT_SENT);
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), ==, 0);
  queued = fest_checkout_cancel_last (station.checkout);
  g_assert_cmpint (queued->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_error (queued->error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL);
  g_clear_pointer (&queued, fest_checkout_result_free);

  /* Acknowledged by a sync; cancelled while the network is cut again: queued, not done. */
  fest_sim_proxy_set_online (station.proxy, TRUE);
  sync_ok (&station);
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), >, 0);
  fest_sim_proxy_set_online (station.proxy, FALSE);
  queued = cancel_last (&station);
  g_assert_cmpint (queued->status, ==, FEST_CHECKOUT_QUEUED);
  g_assert_cmpint (queued->amount, ==, 500);
  g_assert_nonnull (queued->key);
  pending = fest_checkout_get_cancel_outcome (station.checkout, queued->key);
  g_assert_cmpint (pending->status, ==, FEST_CHECKOUT_QUEUED);
  g_assert_cmpint (pending->route, ==, FEST_CHECKOUT_ROUTE_OFFLINE);
  g_assert_cmpuint (ledger_count (station.server, queued->key, NULL), ==, 0);
  g_assert_cmpint (server_balance (&station), ==, 4500);
  g_assert_null (fest_checkout_get_cancel_outcome (station.checkout, "no-such-cancel"));

  fest_sim_proxy_set_online (station.proxy, TRUE);
  sync_ok (&station);
  done = fest_checkout_get_cancel_outcome (station.checkout, queued->key);
  g_assert_cmpint (done->status, ==, FEST_CHECKOUT_ACCEPTED);
  g_assert_cmpint (done->amount, ==, 500);
  g_assert_cmpuint (ledger_count (station.server, queued->key, &amount), ==, 1);
  g_assert_cmpint (amount, ==, 500);
  g_assert_cmpint (server_balance (&station), ==, 5000);

  /* A second sale, online, refunded at the back office: the server refuses the cancel. */
  second = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (second->route, ==, FEST_CHECKOUT_ROUTE_ONLINE);
  last = fest_station_store_get_last_sale (station.store);
  entity = fest_json_parse (last->entity, -1, NULL);
  body = g_strdup_printf ("{\"type\":\"REFUND\",\"wallet_id\":\"%s\",\"amount\":500,\"reference\":\"%s\"}",
                          station.wallet_id, json_object_get_string_member (json_node_get_object (entity), "id"));
  {
    g_autofree char *key = fest_uuid_new ();

    g_assert_cmpuint (fest_sync_server_request (station.server, "POST", "/transactions",
                                                station.server->admin_token, body, key, NULL), ==, 201);
  }
  refused = cancel_last (&station);
  g_assert_cmpint (refused->status, ==, FEST_CHECKOUT_REFUSED);
  g_assert_cmpint (refused->refusal, ==, FEST_CHECKOUT_REFUSAL_SERVER);
  g_assert_nonnull (strstr (refused->error->message, "already cancelled or refunded"));
  g_assert_cmpuint (ledger_count (station.server, refused->key, NULL), ==, 0);
  g_assert_cmpuint (ledger_count_type (station.server, "CANCEL"), ==, 1);
  g_assert_cmpint (server_balance (&station), ==, 5000);
  /* The refusal is final: not offered again. */
  g_assert_cmpint (fest_checkout_get_cancel_time_left (station.checkout), ==, 0);
  station_close (&station);
}

/* Revoked */

/* The organiser revokes the device: the online attempt is refused (401), nothing recorded or
 * charged; from then on the station sells and credits nothing, not even offline. */
static void
test_revoked (void)
{
  Station station = { 0 };
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autoptr(FestCheckoutResult) after = NULL;
  g_autoptr(FestCheckoutResult) credit = NULL;
  g_autofree char *path = NULL;
  FestSaleLine line = { NULL, 1 };

  station_open (&station, "revoked.db", 5000);
  path = g_strdup_printf ("/devices/%s", station.device_id);
  g_assert_cmpuint (fest_sync_server_request (station.server, "DELETE", path, station.server->admin_token, NULL,
                                              NULL, NULL), ==, 200);
  g_assert_true (fest_checkout_get_online (station.checkout));
  result = pay (&station, station.server->product_id, 1);
  g_assert_cmpint (result->status, ==, FEST_CHECKOUT_REVOKED);
  g_assert_error (result->error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED);
  g_assert_true (fest_sync_engine_get_revoked (station.engine));
  g_assert_false (fest_checkout_get_online (station.checkout));
  g_assert_cmpuint (ledger_count (station.server, result->key, NULL), ==, 0);

  line.product_id = station.server->product_id;
  after = fest_checkout_pay_offline (station.checkout, station.code, &line, 1);
  g_assert_cmpint (after->status, ==, FEST_CHECKOUT_REVOKED);
  credit = recharge (&station, station.code, 1000);
  g_assert_cmpint (credit->status, ==, FEST_CHECKOUT_REVOKED);
  g_assert_cmpuint (count_ops (&station), ==, 0);
  g_assert_cmpuint (ledger_count_type (station.server, "PAYMENT"), ==, 0);
  g_assert_cmpint (server_balance (&station), ==, 5000);
  station_close (&station);
}

int
main (int argc, char *argv[])
{
  /* The isolated XDG dirs hide the GSettings schemas the default proxy resolver wants. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Unconfirmed sales are asked about at the next sync, not 30 s later. */
  g_setenv ("FESTIVALS_UNCONFIRMED_SETTLE_S", "0", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

  if (g_getenv ("FESTIVALS_SERVER") == NULL)
    {
      g_printerr ("FESTIVALS_SERVER must name the festivals-server binary\n");
      return 1;
    }

  g_test_add_func ("/fest/checkout/pay/online-accepted", test_pay_online_accepted);
  g_test_add_func ("/fest/checkout/pay/online-refused", test_pay_online_refused);
  g_test_add_func ("/fest/checkout/pay/not-sent", test_pay_not_sent);
  g_test_add_func ("/fest/checkout/pay/timeout-offline", test_pay_timeout_offline);
  g_test_add_func ("/fest/checkout/pay/unconfirmed-charged", test_pay_unconfirmed_charged);
  g_test_add_func ("/fest/checkout/pay/unconfirmed-void", test_pay_unconfirmed_void);
  g_test_add_func ("/fest/checkout/recharge", test_recharge);
  g_test_add_func ("/fest/checkout/cancel-last", test_cancel_last);
  g_test_add_func ("/fest/checkout/revoked", test_revoked);
  return g_test_run ();
}
