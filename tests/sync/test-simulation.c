/* test-simulation.c: a seeded simulation of stations and a server, invariants checked every step
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Five stations (two bar cashiers, a recharge desk, two gates) run the real station store and sync
 * engine against a real festivals-server, each through its own loopback proxy (fest-sim-proxy)
 * that can cut the network or lose the server's answers. A GRand seeded with the test's seed picks
 * every step: sales and recharges through the station's FestCheckout (online, or offline within
 * the allowance, or unconfirmed), ticket scans (two offline gates may both admit a ticket), syncs,
 * syncs whose answer is lost, network cuts, kill -9 of the server (between steps or in the middle
 * of a push) and its restart on the same data dir, a station restarted from its store file, a
 * station clock skewed by a few minutes.
 *
 * After every step, against the server's database (read-only, so it works while the server is
 * down) and over HTTP as the organiser:
 *  - every operation a station holds as acknowledged is in the ledger exactly once, with its
 *    amount (GET /transactions?idempotency_key= too), nothing the server refused, nothing void;
 *  - the ledger holds nothing but the organiser's and the stations' operations, each key once;
 *  - every wallet's balance is the sum of its ledger rows;
 *  - a ticket has one ENTRY, the earliest scan, and every further admission is a DUPLICATE_ENTRY
 *    scan with its alert;
 *  - a sync with the network and the server up and no fault injected succeeds.
 * At the end every station syncs: the ledger is exactly the union of the acknowledged operations,
 * nothing is left pending, and festivals-server --check passes.
 *
 * The operations are a function of the seed (timing may vary, the invariants may not). The seeds
 * 1..20 run by default (1..6 under AddressSanitizer); one seed is replayed with `--seed N` (or
 * FEST_SIM_SEED=N), the number of steps set with `--steps N` (or FEST_SIM_STEPS). What a seed
 * found is also kept as a plain scenario (lost-online-refusal).
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-checkout.h"
#include "fest-sim-proxy.h"
#include "fest-sim-util.h"
#include "fest-station-store.h"
#include "fest-sync-engine.h"
#include "fest-sync-fixture.h"

/* The sanitizers make a seed ten times slower: the memory checks need only a few seeds, the plain
 * build runs them all. */
#ifdef __SANITIZE_ADDRESS__
#define N_DEFAULT_SEEDS  6
#else
#define N_DEFAULT_SEEDS  20
#endif
#define DEFAULT_STEPS    50
#define N_WALLETS        4
#define N_TICKETS        6
#define N_STATIONS       5
#define STEP_TIMEOUT_S   30
#define ONLINE_TIMEOUT_MS 2000
#define OFFLINE_ALLOWANCE 1000

typedef struct
{
  const char       *name;
  const char       *mode;
  FestStationStore *store;
  FestSyncEngine   *engine;
  FestSimProxy     *proxy;
  char             *path;
  char             *device_id;
  char             *token;
  gint              skew_s;          /* the station's clock: now + skew_s */
} SimStation;

typedef struct
{
  guint32         seed;
  guint           step;
  GRand          *rand;
  FestSyncServer *server;
  char           *festival_db;
  GHashTable     *admin_ops;         /* idempotency key → amount (gint64 *), the organiser's */
  char           *wallet_ids[N_WALLETS];
  char           *wallet_codes[N_WALLETS];
  char           *ticket_ids[N_TICKETS];
  char           *ticket_qrs[N_TICKETS];
  SimStation      stations[N_STATIONS];
  gboolean        server_up;
  guint           down_steps;        /* steps left before the killed server is restarted */
  GHashTable     *verified;          /* keys already looked up over HTTP */
  guint           kill_id;           /* a kill -9 scheduled during a push */
  gboolean        push_started;
  guint           n_kills;
  guint           n_ledger;          /* at the last check */
  guint           n_duplicates;
  char           *failure;
} Sim;

static guint sim_steps = DEFAULT_STEPS;

static const struct
{
  const char *name;
  const char *mode;
} station_kinds[N_STATIONS] = {
  { "Bar 1", "cashier" },
  { "Bar 2", "cashier" },
  { "Recharge", "recharge" },
  { "North", "scanner" },
  { "South", "scanner" },
};

static void sim_fail (Sim *sim, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
sim_fail (Sim        *sim,
          const char *format,
          ...)
{
  va_list args;

  if (sim->failure != NULL)
    return;
  va_start (args, format);
  sim->failure = g_strdup_vprintf (format, args);
  va_end (args);
}

/* A step never waits more than STEP_TIMEOUT_S: the test cannot go on with an engine still busy. */
static gboolean
run_sync (Sim        *sim,
          SimStation *station,
          GError    **error)
{
  gboolean timed_out = FALSE;
  gboolean ok = fest_sim_run_sync (station->engine, STEP_TIMEOUT_S, &timed_out, error);

  if (timed_out)
    sim_fail (sim, "the sync of %s did not end within %d s", station->name, STEP_TIMEOUT_S);
  return ok;
}

static FestOnlineOutcome
post_online (Sim         *sim,
             SimStation  *station,
             const char  *key,
             JsonNode    *body,
             JsonNode   **entity)
{
  gboolean timed_out = FALSE;
  FestOnlineOutcome outcome = fest_sim_post_online (station->engine, key, body, ONLINE_TIMEOUT_MS,
                                                    STEP_TIMEOUT_S, entity, &timed_out);

  if (timed_out)
    sim_fail (sim, "the online sale of %s did not end within %d s", station->name, STEP_TIMEOUT_S);
  return outcome;
}

/* Setup */

static void
admin_recharge (Sim        *sim,
                const char *wallet_id,
                gint64      amount)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  char *key = fest_uuid_new ();

  body = g_strdup_printf ("{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":%" G_GINT64_FORMAT
                          ",\"payment_method\":\"CASH\"}", wallet_id, amount);
  g_assert_cmpuint (fest_sync_server_request (sim->server, "POST", "/transactions", sim->server->admin_token, body,
                                              key, &node), ==, 201);
  g_hash_table_insert (sim->admin_ops, key, g_memdup2 (&amount, sizeof amount));
}

static const char *
member_string (JsonNode   *node,
               const char *member)
{
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  return json_object_get_string_member (json_node_get_object (node), member);
}

static void
station_open (Sim        *sim,
              SimStation *station)
{
  g_autoptr(GError) error = NULL;

  station->store = fest_station_store_open (station->path, &error);
  g_assert_no_error (error);
  station->engine = fest_sync_engine_new (station->store, fest_sim_proxy_get_url (station->proxy), station->token);
}

static void
station_close (SimStation *station)
{
  g_clear_object (&station->engine);
  g_clear_object (&station->store);
}

static guint16
server_port (FestSyncServer *server)
{
  const char *colon = strrchr (server->url, ':');

  g_assert_nonnull (colon);
  return (guint16) g_ascii_strtoull (colon + 1, NULL, 10);
}

static void
sim_setup (Sim     *sim,
           guint32  seed)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *festival_path = NULL;
  g_autofree char *file = NULL;

  sim->seed = seed;
  sim->rand = g_rand_new_with_seed (seed);
  sim->admin_ops = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  sim->verified = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  sim->server = fest_sync_server_new ();
  fest_sync_server_setup_festival (sim->server);
  sim->server_up = TRUE;
  file = g_strdup_printf ("festival-%s.db", sim->server->festival_id);
  sim->festival_db = g_build_filename (sim->server->data_dir, file, NULL);

  /* Offline, a station may overdraw a wallet by this much. */
  festival_path = g_strdup_printf ("/festivals/%s", sim->server->festival_id);
  g_assert_cmpuint (fest_sync_server_request (sim->server, "PATCH", festival_path, sim->server->admin_token,
                                              "{\"offline_allowance\":" G_STRINGIFY (OFFLINE_ALLOWANCE) "}",
                                              NULL, NULL), ==, 200);

  for (guint i = 0; i < N_WALLETS; i++)
    {
      g_clear_pointer (&node, json_node_unref);
      g_assert_cmpuint (fest_sync_server_request (sim->server, "POST", "/wallets", sim->server->admin_token,
                                                  "{\"holder_name\":\"Sim\"}", NULL, &node), ==, 201);
      sim->wallet_ids[i] = g_strdup (member_string (node, "id"));
      sim->wallet_codes[i] = g_strdup (member_string (node, "code"));
      admin_recharge (sim, sim->wallet_ids[i], 1000 * g_rand_int_range (sim->rand, 1, 5));
    }

  g_clear_pointer (&node, json_node_unref);
  g_assert_cmpuint (fest_sync_server_request (sim->server, "POST", "/ticket-types", sim->server->admin_token,
                                              "{\"name\":\"Pass\",\"code\":\"PASS\",\"price\":0,"
                                              "\"quota\":null,\"valid_from\":\"2026-01-01T00:00:00Z\","
                                              "\"valid_until\":\"2027-12-31T00:00:00Z\","
                                              "\"reentry_allowed\":false}", NULL, &node), ==, 201);
  type_id = g_strdup (member_string (node, "id"));
  body = g_strdup_printf ("{\"ticket_type_id\":\"%s\",\"holder_name\":\"Sim\","
                          "\"holder_email\":\"sim@example.org\"}", type_id);
  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_clear_pointer (&node, json_node_unref);
      g_assert_cmpuint (fest_sync_server_request (sim->server, "POST", "/tickets", sim->server->admin_token, body,
                                                  NULL, &node), ==, 201);
      sim->ticket_ids[i] = g_strdup (member_string (node, "id"));
      sim->ticket_qrs[i] = g_strdup (member_string (node, "qr_code"));
    }

  for (guint i = 0; i < N_STATIONS; i++)
    {
      SimStation *station = &sim->stations[i];
      const char *stand_id = g_str_equal (station_kinds[i].mode, "scanner") ? NULL : sim->server->stand_id;
      g_autofree char *name = g_strdup_printf ("sim-%u-station-%u.db", seed, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(FestStationStore) store = NULL;

      station->name = station_kinds[i].name;
      station->mode = station_kinds[i].mode;
      station->path = g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);
      station->token = fest_sync_server_new_device (sim->server, station->mode, stand_id, &station->device_id);
      station->proxy = fest_sim_proxy_new (server_port (sim->server));
      store = fest_station_store_open (station->path, &error);
      g_assert_no_error (error);
      fest_station_store_enroll (store, fest_sim_proxy_get_url (station->proxy), station->device_id, station->name,
                                 sim->server->festival_id, stand_id, station->mode, &error);
      g_assert_no_error (error);
      g_clear_object (&store);
      station_open (sim, station);
      if (!run_sync (sim, station, &error))
        g_error ("first sync of %s: %s", station->name, error->message);
    }
}

static void
sim_teardown (Sim *sim)
{
  for (guint i = 0; i < N_STATIONS; i++)
    {
      SimStation *station = &sim->stations[i];

      station_close (station);
      g_clear_pointer (&station->proxy, fest_sim_proxy_free);
      g_free (station->path);
      g_free (station->device_id);
      g_free (station->token);
    }
  for (guint i = 0; i < N_WALLETS; i++)
    {
      g_free (sim->wallet_ids[i]);
      g_free (sim->wallet_codes[i]);
    }
  for (guint i = 0; i < N_TICKETS; i++)
    {
      g_free (sim->ticket_ids[i]);
      g_free (sim->ticket_qrs[i]);
    }
  fest_sync_server_free (sim->server);
  g_free (sim->festival_db);
  g_hash_table_unref (sim->admin_ops);
  g_hash_table_unref (sim->verified);
  g_rand_free (sim->rand);
  g_free (sim->failure);
}

/* Invariants */

typedef struct
{
  guint admitted;         /* acknowledged ACCEPTs of the gates */
  guint queued;           /* ACCEPTs still pending (may have reached the server) */
} TicketModel;

static void
verify_over_http (Sim        *sim,
                  const char *key,
                  gint64      amount)
{
  g_autoptr(GError) error = NULL;

  if (fest_sim_lookup_key (sim->server, key, amount, &error))
    g_hash_table_add (sim->verified, g_strdup (key));
  else
    sim_fail (sim, "%s", error->message);
}

/* @final: every station has synced after the last step: nothing may be pending any more. */
static void
check_invariants (Sim      *sim,
                  gboolean  final)
{
  FestSimServerState state = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) known = g_hash_table_new (g_str_hash, g_str_equal);
  TicketModel tickets[N_TICKETS] = { 0 };
  g_autoptr(GPtrArray) all_ops = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  GHashTableIter iter;
  gpointer key, value;

  if (!fest_sim_server_state_read (sim->festival_db, &state, &error))
    {
      sim_fail (sim, "%s", error->message);
      goto out;
    }
  for (guint i = 0; i < state.doubled_keys->len; i++)
    sim_fail (sim, "idempotency key %s appears twice in the ledger", (char *) g_ptr_array_index (state.doubled_keys, i));
  sim->n_ledger = g_hash_table_size (state.ledger);
  sim->n_duplicates = 0;

  g_hash_table_iter_init (&iter, state.wrong_balances);
  while (g_hash_table_iter_next (&iter, &key, &value))
    sim_fail (sim, "wallet %s: %s", (const char *) key, (const char *) value);

  g_hash_table_iter_init (&iter, sim->admin_ops);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      g_hash_table_add (known, key);
      if (!g_hash_table_contains (state.ledger, key))
        sim_fail (sim, "the organiser's recharge %s is not in the ledger", (const char *) key);
    }

  for (guint s = 0; s < N_STATIONS; s++)
    {
      SimStation *station = &sim->stations[s];
      GPtrArray *ops = fest_station_store_list_all_ops (station->store);

      g_ptr_array_add (all_ops, ops);
      for (guint i = 0; i < ops->len; i++)
        {
          FestOutboxOp *op = g_ptr_array_index (ops, i);
          gint64 *amount = g_hash_table_lookup (state.ledger, op->idempotency_key);

          /* What a station queued it showed as done (served, admitted): the server may not refuse it. */
          if (op->state == FEST_OUTBOX_REJECTED)
            sim_fail (sim, "%s: the server rejected %s %s, which the station had shown as done: %s %s",
                      station->name, op->op, op->idempotency_key, op->error_code, op->error_message);
          if (final && (op->state == FEST_OUTBOX_PENDING || op->state == FEST_OUTBOX_UNCONFIRMED))
            sim_fail (sim, "%s: %s %s still %s after the final sync", station->name, op->op, op->idempotency_key,
                      op->state == FEST_OUTBOX_PENDING ? "pending" : "unconfirmed");

          if (g_str_equal (op->op, "ticket.scan"))
            {
              g_autoptr(JsonNode) payload = fest_json_parse (op->payload, -1, NULL);
              const char *ticket_id = payload != NULL ? member_string (payload, "ticket_id") : NULL;
              guint t = 0;

              while (t < N_TICKETS && g_strcmp0 (sim->ticket_ids[t], ticket_id) != 0)
                t++;
              if (t == N_TICKETS)
                sim_fail (sim, "%s: scan %s of an unknown ticket", station->name, op->idempotency_key);
              else if (op->state == FEST_OUTBOX_ACKED)
                tickets[t].admitted++;
              else if (op->state == FEST_OUTBOX_PENDING)
                tickets[t].queued++;
              continue;
            }
          if (!g_str_equal (op->op, "transaction.create"))
            continue;

          g_hash_table_add (known, op->idempotency_key);
          switch (op->state)
            {
            case FEST_OUTBOX_ACKED:
              if (amount == NULL)
                sim_fail (sim, "%s: acknowledged %s is not in the ledger", station->name, op->idempotency_key);
              else if (*amount != op->amount_delta)
                sim_fail (sim, "%s: %s is %" G_GINT64_FORMAT " in the ledger, %" G_GINT64_FORMAT " at the station",
                          station->name, op->idempotency_key, *amount, op->amount_delta);
              else if (sim->server_up && !g_hash_table_contains (sim->verified, op->idempotency_key))
                verify_over_http (sim, op->idempotency_key, op->amount_delta);
              break;
            case FEST_OUTBOX_VOID:
            case FEST_OUTBOX_REJECTED:
              if (amount != NULL)
                sim_fail (sim, "%s: %s is in the ledger but the station holds it as %s", station->name,
                          op->idempotency_key, op->state == FEST_OUTBOX_VOID ? "void" : "rejected");
              break;
            case FEST_OUTBOX_PENDING:
            case FEST_OUTBOX_UNCONFIRMED:
            default:
              /* In flight: its answer may have been lost after the server applied it. */
              if (amount != NULL && *amount != op->amount_delta)
                sim_fail (sim, "%s: pending %s is %" G_GINT64_FORMAT " in the ledger, %" G_GINT64_FORMAT
                          " at the station", station->name, op->idempotency_key, *amount, op->amount_delta);
              break;
            }
        }
    }

  /* Server wins for balances: once nothing is pending, a station's cache is the server's balance. */
  for (guint s = 0; final && s < N_STATIONS; s++)
    for (guint w = 0; w < N_WALLETS; w++)
      {
        gint64 *balance = g_hash_table_lookup (state.balances, sim->wallet_ids[w]);
        gint64 cached = 0;

        if (balance != NULL &&
            fest_station_store_get_wallet (sim->stations[s].store, sim->wallet_codes[w], NULL, &cached, NULL) &&
            fest_station_store_get_effective_balance (sim->stations[s].store, sim->wallet_codes[w]) != *balance)
          sim_fail (sim, "%s shows wallet %u at %" G_GINT64_FORMAT " (cached %" G_GINT64_FORMAT "), the server at %"
                    G_GINT64_FORMAT, sim->stations[s].name, w,
                    fest_station_store_get_effective_balance (sim->stations[s].store, sim->wallet_codes[w]), cached,
                    *balance);
      }

  /* Nothing in the ledger that nobody did: the ledger is the union of the operations. */
  g_hash_table_iter_init (&iter, state.ledger);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_hash_table_contains (known, key))
      sim_fail (sim, "the ledger has %s, which no station and not the organiser made", (const char *) key);

  /* Tickets: first scan wins, every further admission is a flagged DUPLICATE_ENTRY. */
  for (guint t = 0; t < N_TICKETS; t++)
    {
      const char *ticket_id = sim->ticket_ids[t];
      guint admitted = tickets[t].admitted;
      guint queued = tickets[t].queued;
      guint entries = 0, duplicates = 0, others = 0;
      double first = G_MAXDOUBLE, entry_when = 0;

      for (guint i = 0; i < state.scans->len; i++)
        {
          FestSimScan *row = g_ptr_array_index (state.scans, i);

          if (!g_str_equal (row->ticket_id, ticket_id))
            continue;
          if (g_str_equal (row->result, "ENTRY"))
            {
              entries++;
              entry_when = row->when;
            }
          else if (g_str_equal (row->result, "DUPLICATE_ENTRY"))
            {
              duplicates++;
              sim->n_duplicates++;
            }
          else
            others++;
          first = MIN (first, row->when);
        }
      if (others > 0)
        sim_fail (sim, "ticket %u: %u scans neither ENTRY nor DUPLICATE_ENTRY", t, others);
      if (entries + duplicates < admitted || entries + duplicates > admitted + queued)
        sim_fail (sim, "ticket %u: %u scans on the server, the gates admitted %u (+%u pending)", t,
                  entries + duplicates, admitted, queued);
      if (entries + duplicates > 0 && entries != 1)
        sim_fail (sim, "ticket %u: %u ENTRY scans", t, entries);
      if (entries == 1 && entry_when > first)
        sim_fail (sim, "ticket %u: the ENTRY is not the earliest scan", t);
      if (duplicates > 0 && !g_hash_table_contains (state.alerted, ticket_id))
        sim_fail (sim, "ticket %u: admitted twice, no DUPLICATE_ENTRY alert", t);
    }

out:
  fest_sim_server_state_clear (&state);
}

/* Steps */

/* The station's clock runs skew_s off: what it records offline carries that time. */
static void
apply_skew (Sim          *sim,
            SimStation   *station,
            FestOutboxOp *op)
{
  g_autoptr(GError) error = NULL;

  if (station->skew_s != 0 && op != NULL && op->state == FEST_OUTBOX_PENDING &&
      !fest_sim_skew_op (station->path, op->idempotency_key, station->skew_s, &error))
    sim_fail (sim, "%s", error->message);
}

/* Whether this step loses the answers of the station's POSTs (decided by the seed). */
static gboolean
maybe_drop (Sim        *sim,
            SimStation *station,
            guint       one_in)
{
  gboolean drop = g_rand_int_range (sim->rand, 0, one_in) == 0;

  fest_sim_proxy_set_drop_responses (station->proxy, drop);
  return drop;
}

static FestOutboxOp *
find_op (SimStation *station,
         const char *key)
{
  g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (station->store);

  for (guint i = 0; i < ops->len; i++)
    if (g_strcmp0 (((FestOutboxOp *) g_ptr_array_index (ops, i))->idempotency_key, key) == 0)
      return g_ptr_array_steal_index (ops, i);
  return NULL;
}

typedef struct
{
  gboolean            done;
  FestCheckoutResult *result;
} CheckoutWait;

static void
checkout_done_cb (GObject      *source,
                  GAsyncResult *res,
                  gpointer      user_data)
{
  CheckoutWait *wait = user_data;

  if (g_async_result_is_tagged (res, fest_checkout_recharge_async))
    wait->result = fest_checkout_recharge_finish (FEST_CHECKOUT (source), res, NULL);
  else
    wait->result = fest_checkout_pay_finish (FEST_CHECKOUT (source), res, NULL);
  wait->done = TRUE;
}

static gboolean
checkout_deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* A sale or a recharge as the station pages do it: FestCheckout, online first when the station
 * believes it is online, with the outbox (same key) when the answer does not come, offline rules
 * otherwise, unconfirmed when in doubt and refused offline. */
static void
step_transaction (Sim        *sim,
                  SimStation *station,
                  gboolean    recharge,
                  GString    *what)
{
  guint w = g_rand_int_range (sim->rand, 0, N_WALLETS);
  const char *code = sim->wallet_codes[w];
  gint64 amount = 500 * g_rand_int_range (sim->rand, 1, 5);
  const char *method = g_rand_boolean (sim->rand) ? "CASH" : "CARD";
  gboolean drop = maybe_drop (sim, station, 4);
  g_autoptr(FestCheckout) checkout = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  CheckoutWait *wait = g_new0 (CheckoutWait, 1);
  gboolean expired = FALSE;
  FestCheckoutResult *result;
  FestSaleLine line;
  guint deadline_id;

  line.product_id = sim->server->product_id;
  line.quantity = g_rand_int_range (sim->rand, 1, 4);
  g_string_append_printf (what, "%s %s wallet %u", station->name, recharge ? "recharges" : "sells to", w);
  checkout = g_object_new (FEST_TYPE_CHECKOUT, "store", station->store, "engine", station->engine,
                           "online-timeout", ONLINE_TIMEOUT_MS, NULL);
  if (fest_checkout_get_online (checkout))
    g_string_append_printf (what, " online%s", drop ? " (answer lost)" : "");
  else
    g_string_append (what, " offline");
  if (recharge)
    fest_checkout_recharge_async (checkout, code, amount, method, NULL, checkout_done_cb, wait);
  else
    fest_checkout_pay_async (checkout, code, &line, 1, NULL, checkout_done_cb, wait);
  /* A step never waits more than STEP_TIMEOUT_S (the wait is then left to the late callback). */
  deadline_id = g_timeout_add_seconds (STEP_TIMEOUT_S, checkout_deadline_cb, &expired);
  while (!wait->done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!wait->done)
    {
      sim_fail (sim, "the online sale of %s did not end within %d s", station->name, STEP_TIMEOUT_S);
      goto out;
    }
  g_source_remove (deadline_id);
  result = wait->result;
  g_free (g_steal_pointer (&wait));

  switch (result->status)
    {
    case FEST_CHECKOUT_ACCEPTED:
      g_string_append (what, result->route == FEST_CHECKOUT_ROUTE_ONLINE ? ": accepted"
                             : result->route == FEST_CHECKOUT_ROUTE_NOT_SENT ? ": not sent, queued"
                             : result->route == FEST_CHECKOUT_ROUTE_NO_ANSWER ? ": uncertain, queued"
                             : ", queued");
      op = result->route != FEST_CHECKOUT_ROUTE_ONLINE ? find_op (station, result->key) : NULL;
      apply_skew (sim, station, op);
      break;

    case FEST_CHECKOUT_UNCONFIRMED:
      g_string_append (what, ": uncertain, refused offline, unconfirmed");
      break;

    case FEST_CHECKOUT_REFUSED:
      if (result->refusal == FEST_CHECKOUT_REFUSAL_LOCAL)
        sim_fail (sim, "%s cannot queue the operation: %s", station->name, result->error->message);
      g_string_append (what, result->route == FEST_CHECKOUT_ROUTE_ONLINE ? ": refused" : ", refused offline");
      break;

    case FEST_CHECKOUT_REVOKED:
    case FEST_CHECKOUT_QUEUED:
    default:
      g_string_append (what, ": revoked");
      break;
    }
  fest_checkout_result_free (result);

out:
  fest_sim_proxy_set_drop_responses (station->proxy, FALSE);
}

static void
step_scan (Sim        *sim,
           SimStation *station,
           GString    *what)
{
  guint t = g_rand_int_range (sim->rand, 0, N_TICKETS);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) skewed = g_date_time_add_seconds (now, station->skew_s);
  g_autoptr(GError) error = NULL;
  FestScanVerdict verdict = { 0 };

  if (!fest_station_store_record_scan (station->store, sim->ticket_qrs[t], station->name, skewed, &verdict, &error))
    sim_fail (sim, "%s cannot scan ticket %u: %s", station->name, t, error->message);
  else if (verdict.result == FEST_SCAN_REFUSED)
    sim_fail (sim, "%s refuses the valid ticket %u (reason %d)", station->name, t, verdict.reason);
  g_string_append_printf (what, "%s scans ticket %u: %s", station->name, t,
                          verdict.result == FEST_SCAN_ACCEPT ? "admitted" : "already used");
  fest_scan_verdict_clear (&verdict);
}

static void
step_sync (Sim        *sim,
           SimStation *station,
           gboolean    lose_answers,
           GString    *what)
{
  g_autoptr(GError) error = NULL;
  gboolean clean = sim->server_up && fest_sim_proxy_get_online (station->proxy) && !lose_answers;
  gboolean ok;

  fest_sim_proxy_set_drop_responses (station->proxy, lose_answers);
  ok = run_sync (sim, station, &error);
  fest_sim_proxy_set_drop_responses (station->proxy, FALSE);
  g_string_append_printf (what, "%s syncs%s: %s", station->name, lose_answers ? " (answers lost)" : "",
                          ok ? "ok" : error->message);
  if (!ok && clean && sim->failure == NULL)
    sim_fail (sim, "%s: a sync with the network and the server up failed: %s", station->name, error->message);
}

static void
restart_server (Sim *sim)
{
  if (!fest_sync_server_check (sim->server))
    sim_fail (sim, "festivals-server --check fails after the kill");
  fest_sync_server_start (sim->server);
  for (guint i = 0; i < N_STATIONS; i++)
    fest_sim_proxy_set_upstream_port (sim->stations[i].proxy, server_port (sim->server));
  sim->server_up = TRUE;
}

static gboolean
kill_now_cb (gpointer user_data)
{
  Sim *sim = user_data;

  sim->kill_id = 0;
  sim->n_kills++;
  if (sim->server->process != NULL)
    fest_sync_server_kill (sim->server);
  sim->server_up = FALSE;
  return G_SOURCE_REMOVE;
}

static void
push_started_cb (FestSyncEngine *engine,
                 guint           n_ops,
                 gpointer        user_data)
{
  Sim *sim = user_data;
  guint delay = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (engine), "sim-kill-delay"));

  g_object_set_data (G_OBJECT (engine), "sim-kill-delay", NULL);
  sim->push_started = TRUE;
  if (delay > 0)
    sim->kill_id = g_timeout_add (delay - 1, kill_now_cb, sim);
}

/* kill -9 while a station's batch is on its way (or being applied), then a restart. */
static void
step_kill_mid_push (Sim        *sim,
                    SimStation *station,
                    GString    *what)
{
  guint delay = g_rand_int_range (sim->rand, 0, 6);
  g_autoptr(GError) error = NULL;
  gulong handler;

  sim->push_started = FALSE;
  g_object_set_data (G_OBJECT (station->engine), "sim-kill-delay", GUINT_TO_POINTER (delay + 1));
  handler = g_signal_connect (station->engine, "push-started", G_CALLBACK (push_started_cb), sim);
  run_sync (sim, station, &error);
  g_signal_handler_disconnect (station->engine, handler);
  g_string_append_printf (what, "%s syncs, server killed %u ms into the push%s", station->name, delay,
                          sim->push_started ? "" : " (nothing to push)");
  g_object_set_data (G_OBJECT (station->engine), "sim-kill-delay", NULL);
  /* The push was quicker than the delay (or there was none): the kill happens now. */
  g_clear_handle_id (&sim->kill_id, g_source_remove);
  if (sim->server_up)
    kill_now_cb (sim);
  restart_server (sim);
}

typedef enum
{
  STEP_SELL,
  STEP_RECHARGE,
  STEP_SCAN,
  STEP_SYNC,
  STEP_SYNC_LOST,
  STEP_NETWORK,
  STEP_KILL,
  STEP_KILL_MID_PUSH,
  STEP_STATION_RESTART,
  STEP_SKEW,
  N_STEP_KINDS
} StepKind;

static const guint step_weights[N_STEP_KINDS] = { 24, 8, 16, 16, 8, 12, 3, 3, 5, 5 };

static SimStation *
pick_station (Sim        *sim,
              const char *mode)
{
  guint candidates[N_STATIONS];
  guint n = 0;

  for (guint i = 0; i < N_STATIONS; i++)
    if (mode == NULL || g_str_equal (sim->stations[i].mode, mode))
      candidates[n++] = i;
  return &sim->stations[candidates[g_rand_int_range (sim->rand, 0, n)]];
}

static void
run_step (Sim     *sim,
          GString *what)
{
  guint total = 0, pick;
  StepKind kind = 0;
  SimStation *station;

  for (guint i = 0; i < N_STEP_KINDS; i++)
    total += step_weights[i];
  pick = g_rand_int_range (sim->rand, 0, total);
  while (pick >= step_weights[kind])
    pick -= step_weights[kind++];

  /* A killed server comes back after the steps the seed gave it. */
  if (!sim->server_up && sim->down_steps-- == 0)
    {
      restart_server (sim);
      g_string_append (what, "server restarted; ");
    }

  switch (kind)
    {
    case STEP_SELL:
      step_transaction (sim, pick_station (sim, "cashier"), FALSE, what);
      break;
    case STEP_RECHARGE:
      step_transaction (sim, pick_station (sim, "recharge"), TRUE, what);
      break;
    case STEP_SCAN:
      step_scan (sim, pick_station (sim, "scanner"), what);
      break;
    case STEP_SYNC:
      step_sync (sim, pick_station (sim, NULL), FALSE, what);
      break;
    case STEP_SYNC_LOST:
      step_sync (sim, pick_station (sim, NULL), TRUE, what);
      break;
    case STEP_NETWORK:
      station = pick_station (sim, NULL);
      fest_sim_proxy_set_online (station->proxy, !fest_sim_proxy_get_online (station->proxy));
      g_string_append_printf (what, "%s network %s", station->name,
                              fest_sim_proxy_get_online (station->proxy) ? "back" : "cut");
      break;
    case STEP_KILL:
      if (!sim->server_up)
        {
          g_string_append (what, "server still down");
          break;
        }
      kill_now_cb (sim);
      sim->down_steps = g_rand_int_range (sim->rand, 0, 4);
      g_string_append_printf (what, "server killed (down for %u steps)", sim->down_steps);
      break;
    case STEP_KILL_MID_PUSH:
      station = pick_station (sim, NULL);
      if (!sim->server_up)
        restart_server (sim);
      step_kill_mid_push (sim, station, what);
      break;
    case STEP_STATION_RESTART:
      station = pick_station (sim, NULL);
      station_close (station);
      station_open (sim, station);
      g_string_append_printf (what, "%s restarted", station->name);
      break;
    case STEP_SKEW:
    case N_STEP_KINDS:
    default:
      station = pick_station (sim, NULL);
      station->skew_s = g_rand_int_range (sim->rand, -180, 181);
      g_string_append_printf (what, "%s clock skewed by %+d s", station->name, station->skew_s);
      break;
    }
}

/* Everything back: every station syncs until nothing is pending. */
static void
settle (Sim *sim)
{
  if (!sim->server_up)
    restart_server (sim);
  for (guint i = 0; i < N_STATIONS; i++)
    fest_sim_proxy_set_online (sim->stations[i].proxy, TRUE);
  /* Twice round: the gates also pull what the others pushed. */
  for (guint round = 0; round < 2 && sim->failure == NULL; round++)
    for (guint i = 0; i < N_STATIONS && sim->failure == NULL; i++)
      {
        g_autoptr(GString) what = g_string_new (NULL);

        step_sync (sim, &sim->stations[i], FALSE, what);
      }
}

static void
test_simulation (gconstpointer data)
{
  guint32 seed = GPOINTER_TO_UINT (data);
  Sim sim = { 0 };
  gint64 start = g_get_monotonic_time ();

  sim_setup (&sim, seed);
  check_invariants (&sim, FALSE);
  for (sim.step = 1; sim.step <= sim_steps && sim.failure == NULL; sim.step++)
    {
      g_autoptr(GString) what = g_string_new (NULL);

      run_step (&sim, what);
      g_test_message ("seed %u step %u: %s", seed, sim.step, what->str);
      if (sim.failure == NULL)
        check_invariants (&sim, FALSE);
      if (sim.failure != NULL)
        {
          g_autofree char *failure = g_strdup_printf ("%s (step: %s)", sim.failure, what->str);

          g_free (sim.failure);
          sim.failure = g_steal_pointer (&failure);
          break;
        }
    }
  if (sim.failure == NULL)
    {
      settle (&sim);
      if (sim.failure == NULL)
        check_invariants (&sim, TRUE);
      if (sim.failure == NULL && !fest_sync_server_stop (sim.server))
        sim_fail (&sim, "festivals-server did not stop cleanly");
      if (sim.failure == NULL && !fest_sync_server_check (sim.server))
        sim_fail (&sim, "festivals-server --check fails at the end");
      if (sim.failure != NULL)
        sim.step = 0;
    }

  if (sim.failure != NULL)
    {
      g_autofree char *where = sim.step > 0 ? g_strdup_printf ("step %u", sim.step) : g_strdup ("final sync");

      g_printerr ("simulation failed: seed %u %s: %s\n"
                  "replay: meson test -C _build test-simulation --test-args '--seed %u'"
                  " (or FEST_SIM_SEED=%u)\n", seed, where, sim.failure, seed, seed);
      g_test_fail_printf ("simulation failed: seed %u %s: %s", seed, where, sim.failure);
    }
  else
    {
      guint dropped = 0;

      for (guint i = 0; i < N_STATIONS; i++)
        dropped += fest_sim_proxy_get_dropped (sim.stations[i].proxy);
      g_test_message ("seed %u: %u steps in %.1f s: %u ledger rows, %u answers lost, %u kills, %u double entries",
                      seed, sim_steps, (g_get_monotonic_time () - start) / 1e6, sim.n_ledger, dropped, sim.n_kills,
                      sim.n_duplicates);
    }
  sim_teardown (&sim);
}

/* Found by seeds 15 and 18: the server refused an online sale (balance), its answer was lost, the
 * offline rules (balance + allowance) took the sale under the same key and the cashier served it.
 * The sync must charge it (an offline sale is a fact), not replay the online refusal. */
static void
test_lost_online_refusal (void)
{
  Sim sim = { 0 };
  SimStation *bar;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = fest_uuid_new ();
  FestSaleLine line = { NULL, 1 };
  gint64 balance = 0;

  sim_setup (&sim, 1);
  bar = &sim.stations[0];
  g_assert_true (fest_station_store_get_wallet (bar->store, sim.wallet_codes[0], NULL, &balance, NULL));
  /* Just over the balance, within the allowance. */
  line.product_id = sim.server->product_id;
  line.quantity = balance / 500 + 1;
  body = fest_station_store_build_payment (bar->store, sim.wallet_codes[0], &line, 1, NULL, &error);
  g_assert_no_error (error);
  fest_sim_proxy_set_drop_responses (bar->proxy, TRUE);
  g_assert_cmpint (post_online (&sim, bar, key, body, &entity), ==, FEST_ONLINE_UNCERTAIN);
  fest_sim_proxy_set_drop_responses (bar->proxy, FALSE);
  op = fest_station_store_record_payment_full (bar->store, key, sim.wallet_codes[0], &line, 1, OFFLINE_ALLOWANCE,
                                               FEST_OUTBOX_PENDING, NULL, NULL, &error);
  g_assert_no_error (error);

  settle (&sim);
  check_invariants (&sim, TRUE);
  if (sim.failure != NULL)
    g_test_fail_printf ("%s", sim.failure);
  sim_teardown (&sim);
}

int
main (int argc, char *argv[])
{
  guint64 seed = 0;
  guint64 steps = DEFAULT_STEPS;
  gboolean one_seed;
  g_autofree char **args = NULL;

  one_seed = fest_sim_take_option (&argc, argv, "--seed", &seed) || fest_sim_env_option ("FEST_SIM_SEED", &seed);
  if (fest_sim_take_option (&argc, argv, "--steps", &steps) || fest_sim_env_option ("FEST_SIM_STEPS", &steps))
    sim_steps = (guint) steps;

  /* The isolated XDG dirs hide the GSettings schemas the default proxy resolver wants. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);
  /* Unconfirmed sales are asked about at the next sync, not minutes later. */
  g_setenv ("FESTIVALS_UNCONFIRMED_SETTLE_S", "0", TRUE);
  /* Every failing seed is reported, not only the first. */
  args = g_new0 (char *, argc + 2);
  memcpy (args, argv, argc * sizeof (char *));
  args[argc++] = (char *) "--keep-going";
  g_test_init (&argc, &args, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  fest_core_init ();

  if (g_getenv ("FESTIVALS_SERVER") == NULL)
    {
      g_printerr ("FESTIVALS_SERVER must name the festivals-server binary\n");
      return 1;
    }

  if (one_seed)
    {
      g_autofree char *path = g_strdup_printf ("/fest/sync/simulation/seed-%" G_GUINT64_FORMAT, seed);

      g_test_add_data_func (path, GUINT_TO_POINTER ((guint) seed), test_simulation);
    }
  else
    {
      g_test_add_func ("/fest/sync/simulation/lost-online-refusal", test_lost_online_refusal);
      for (guint i = 1; i <= N_DEFAULT_SEEDS; i++)
        {
          g_autofree char *path = g_strdup_printf ("/fest/sync/simulation/seed-%u", i);

          g_test_add_data_func (path, GUINT_TO_POINTER (i), test_simulation);
        }
    }
  return g_test_run ();
}
