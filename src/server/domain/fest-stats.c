/* fest-stats.c: the live dashboard figures of one festival (GET /stats, event stats:update)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-reports-repo.h"
#include "fest-stats-repo.h"
#include "fest-stats.h"

#define QUARTER_S   (15 * 60)
#define N_QUARTERS  96

static JsonObject *
money_object (gint64 amount,
              gint64 rate_cents)
{
  JsonObject *object = json_object_new ();
  gint64 eur_cents = 0;

  json_object_set_int_member (object, "amount", amount);
  if (fest_money_to_eur_cents (amount, rate_cents, &eur_cents))
    json_object_set_int_member (object, "eur_cents", eur_cents);
  else
    json_object_set_null_member (object, "eur_cents");
  return object;
}

/* Ledger rows per type. */
typedef struct
{
  gint64 count, payments, refunds, cancels, recharges;
  gint64 sales, recharge_amount, total;
} LedgerSums;

/* Rows with created_at in [@from, @to) (either nullable), or the whole ledger from the folded
 * totals plus the rows after the checkpoint when both are NULL. */
static void
add_type_sums (const char *type,
               gint64      n,
               gint64      amount,
               gpointer    user_data)
{
  LedgerSums *sums = user_data;

  sums->count += n;
  sums->total += amount;
  if (g_str_equal (type, "PAYMENT"))
    sums->payments = n, sums->sales -= amount;
  else if (g_str_equal (type, "REFUND"))
    sums->refunds = n, sums->sales -= amount;
  else if (g_str_equal (type, "CANCEL"))
    sums->cancels = n, sums->sales -= amount;
  else if (g_str_equal (type, "RECHARGE"))
    sums->recharges = n, sums->recharge_amount = amount;
}

static gboolean
sum_ledger (FestFestivalStore *store,
            const char        *from,
            const char        *to,
            LedgerSums        *sums,
            GError           **error)
{
  memset (sums, 0, sizeof *sums);
  return fest_stats_repo_ledger_by_type (store, from, to, add_type_sums, sums, error);
}

typedef struct
{
  JsonArray *per_stand;
  gint64     rate_cents;
} StandSums;

static void
add_stand (const char *stand_id,
           const char *name,
           gint64      amount,
           gpointer    user_data)
{
  StandSums *sums = user_data;
  JsonObject *stand = json_object_new ();
  gint64 eur = 0;

  fest_json_set_nullable_string (stand, "stand_id", stand_id);
  fest_json_set_nullable_string (stand, "name", name);
  json_object_set_int_member (stand, "amount", amount);
  if (fest_money_to_eur_cents (amount, sums->rate_cents, &eur))
    json_object_set_int_member (stand, "eur_cents", eur);
  json_array_add_object_element (sums->per_stand, stand);
}

static gboolean
add_ledger_figures (FestFestivalStore *store,
                    JsonObject        *stats,
                    const char        *from,
                    const char        *to,
                    GError           **error)
{
  gint64 rate_cents = 0;
  gint64 float_amount;
  LedgerSums sums;
  g_autofree char *currency = NULL;
  JsonObject *transactions;
  JsonObject *recharge;
  JsonObject *money;
  StandSums stand_sums;

  if (!fest_stats_repo_festival_currency (store, &rate_cents, &currency, error))
    return FALSE;

  /* The float is the whole ledger's, whatever the period. */
  if (!sum_ledger (store, NULL, NULL, &sums, error))
    return FALSE;
  float_amount = sums.total;
  if ((from != NULL || to != NULL) && !sum_ledger (store, from, to, &sums, error))
    return FALSE;

  transactions = json_object_new ();
  json_object_set_int_member (transactions, "count", sums.count);
  json_object_set_int_member (transactions, "payments", sums.payments);
  json_object_set_int_member (transactions, "refunds", sums.refunds);
  json_object_set_int_member (transactions, "cancels", sums.cancels);
  json_object_set_object_member (stats, "transactions", transactions);

  money = money_object (sums.sales, rate_cents);
  json_object_set_string_member (money, "currency_name", currency);
  json_object_set_object_member (stats, "revenue", money);

  recharge = money_object (sums.recharge_amount, rate_cents);
  json_object_set_int_member (recharge, "count", sums.recharges);
  json_object_set_object_member (stats, "recharges", recharge);

  /* balance = Σ amount for every wallet, so the outstanding float is the ledger's total. */
  json_object_set_int_member (stats, "float", float_amount);
  {
    gint64 eur = 0;

    if (fest_money_to_eur_cents (float_amount, rate_cents, &eur))
      json_object_set_int_member (stats, "float_eur_cents", eur);
    else
      json_object_set_null_member (stats, "float_eur_cents");
  }

  stand_sums.per_stand = json_array_new ();
  stand_sums.rate_cents = rate_cents;
  json_object_set_array_member (stats, "revenue_per_stand", stand_sums.per_stand);
  if (!fest_stats_repo_revenue_per_stand (store, from, to, add_stand, &stand_sums, error))
    return FALSE;

  {
    gint64 overdrawn = 0;
    gint64 unfolded = 0;

    if (!fest_stats_repo_overdrawn_wallets (store, &overdrawn, error) ||
        !fest_stats_repo_unfolded_rows (store, &unfolded, error))
      return FALSE;
    json_object_set_int_member (stats, "overdrawn_wallets", overdrawn);
    if (unfolded > FEST_STATS_FOLD_THRESHOLD)
      fest_stats_fold (store);
  }
  return TRUE;
}

static gboolean
add_entry_figures (FestFestivalStore *store,
                   JsonObject        *stats,
                   GDateTime         *now,
                   const char        *from,
                   const char        *to,
                   GError           **error)
{
  g_autoptr(GDateTime) hour_ago = g_date_time_add_hours (now, -1);
  g_autofree char *hour_ago_text = fest_time_format (hour_ago);
  g_autoptr(GHashTable) quarters = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) first = NULL;
  g_autofree char *first_text = NULL;
  gint64 total = 0, last_hour = 0, duplicates = 0, unique_tickets = 0;
  gint64 now_s = g_date_time_to_unix (now);
  JsonObject *entries;
  JsonArray *buckets;

  if (!fest_stats_repo_entries (store, from, to, &total, error) ||
      !fest_stats_repo_entries_since (store, hour_ago_text, &last_hour, error) ||
      !fest_stats_repo_duplicate_entries (store, &duplicates, error) ||
      !fest_stats_repo_entered_tickets (store, &unique_tickets, error))
    return FALSE;

  entries = json_object_new ();
  json_object_set_int_member (entries, "total", total);
  json_object_set_int_member (entries, "last_hour", last_hour);
  json_object_set_int_member (entries, "unique_tickets", unique_tickets);
  json_object_set_object_member (stats, "entries", entries);
  json_object_set_int_member (stats, "duplicate_entries", duplicates);

  /* Quarter hours of the last 24 hours, keyed "YYYY-MM-DDTHH:MM" (UTC) in SQL and in C. */
  first = g_date_time_new_from_unix_utc ((now_s / QUARTER_S - (N_QUARTERS - 1)) * QUARTER_S);
  first_text = fest_time_format (first);
  if (!fest_stats_repo_entries_per_quarter (store, first_text, quarters, error))
    return FALSE;

  buckets = json_array_new ();
  for (guint i = 0; i < N_QUARTERS; i++)
    {
      g_autoptr(GDateTime) start = g_date_time_add_seconds (first, (gdouble) i * QUARTER_S);
      g_autofree char *key = g_date_time_format (start, "%Y-%m-%dT%H:%M");
      g_autofree char *start_text = fest_time_format (start);
      JsonObject *bucket = json_object_new ();

      json_object_set_string_member (bucket, "start", start_text);
      json_object_set_int_member (bucket, "count", GPOINTER_TO_SIZE (g_hash_table_lookup (quarters, key)));
      json_array_add_object_element (buckets, bucket);
    }
  json_object_set_array_member (stats, "entries_per_quarter_hour", buckets);
  return TRUE;
}

typedef struct
{
  FestPlatformStore *platform;
  const char        *festival_id;
  JsonArray         *stations;
} StationsData;

static void
add_station (const char *device_id,
             const char *last_contact,
             gint64      pending,
             gpointer    user_data)
{
  StationsData *data = user_data;
  JsonObject *station = json_object_new ();
  g_autoptr(FestDevice) device = NULL;

  json_object_set_string_member (station, "device_id", device_id);
  if (data->platform != NULL && data->festival_id != NULL && fest_uuid_is_valid (device_id))
    device = fest_platform_store_get_device (data->platform, data->festival_id, device_id, NULL);
  if (device != NULL)
    json_object_set_string_member (station, "name", device->name);
  else
    json_object_set_null_member (station, "name");
  fest_json_set_nullable_string (station, "last_contact", last_contact);
  json_object_set_int_member (station, "pending", pending);
  json_array_add_object_element (data->stations, station);
}

static gboolean
add_station_figures (FestFestivalStore *store,
                     FestPlatformStore *platform,
                     const char        *festival_id,
                     JsonObject        *stats,
                     GError           **error)
{
  JsonArray *stations = json_array_new ();
  StationsData data = { platform, festival_id, stations };
  gint64 open_incidents = 0;

  json_object_set_array_member (stats, "stations", stations);
  if (!fest_stats_repo_stations (store, add_station, &data, error))
    return FALSE;

  if (!fest_stats_repo_open_incidents (store, &open_incidents, error))
    return FALSE;
  json_object_set_int_member (stats, "open_incidents", open_incidents);
  return TRUE;
}

/* Folding */

#define FOLDING_KEY "fest-stats-folding"

/* The ledger rows one fold adds to each of the sums at most: a write job stays short (tens of ms)
 * even after a restart on a big unfolded ledger (an imported one); the job queues the next chunk. */
#define FOLD_CHUNK 5000

/* Both sums, a chunk each; @more when either has rows left. */
static gboolean
fold_chunk (FestWriteCtx  *ctx,
            gboolean      *more,
            GError       **error)
{
  gboolean stats_more = FALSE, reports_more = FALSE;

  if (!fest_stats_repo_fold (ctx, FOLD_CHUNK, &stats_more, error)
      || !fest_reports_repo_fold (ctx, FOLD_CHUNK, &reports_more, error))
    return FALSE;
  *more = stats_more || reports_more;
  return TRUE;
}

gboolean
fest_stats_fold_in_job (FestWriteCtx  *ctx,
                        GError       **error)
{
  gboolean more;

  return fold_chunk (ctx, &more, error);
}

/* Result: "more" (rows remain) or "done". */
static gboolean
fold_job (FestWriteCtx   *ctx,
          gpointer        job_data,
          gpointer       *result,
          GDestroyNotify *result_free,
          GError        **error)
{
  gboolean more = FALSE;

  *result_free = NULL;
  if (!fold_chunk (ctx, &more, error))
    return FALSE;
  *result = (gpointer) (more ? "more" : "done");
  return TRUE;
}

static void
fold_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  FestFestivalStore *store = FEST_FESTIVAL_STORE (source);
  g_autoptr(GError) error = NULL;
  const char *outcome;

  g_object_set_data (source, FOLDING_KEY, NULL);
  outcome = fest_festival_store_write_finish (store, result, &error);
  if (outcome == NULL)
    g_warning ("Could not fold the statistics of %s: %s", fest_festival_store_get_path (store), error->message);
  else if (g_str_equal (outcome, "more"))
    fest_stats_fold (store);
}

void
fest_stats_fold (FestFestivalStore *store)
{
  g_return_if_fail (FEST_IS_FESTIVAL_STORE (store));

  if (g_object_get_data (G_OBJECT (store), FOLDING_KEY) != NULL)
    return;
  g_object_set_data (G_OBJECT (store), FOLDING_KEY, GINT_TO_POINTER (TRUE));
  fest_festival_store_write_async (store, fold_job, NULL, NULL, NULL, fold_done_cb, NULL);
}

JsonNode *
fest_stats_compute (FestFestivalStore *store,
                    FestPlatformStore *platform,
                    const char        *festival_id,
                    GError           **error)
{
  return fest_stats_compute_period (store, platform, festival_id, NULL, NULL, error);
}

JsonNode *
fest_stats_compute_period (FestFestivalStore *store,
                           FestPlatformStore *platform,
                           const char        *festival_id,
                           const char        *from,
                           const char        *to,
                           GError           **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = fest_time_format (now);
  g_autoptr(JsonObject) stats = json_object_new ();
  gboolean own_snapshot = FALSE;
  gboolean ok;

  /* One snapshot for every figure. */
  if (!fest_stats_repo_begin (store, &own_snapshot, error))
    return NULL;
  ok = add_ledger_figures (store, stats, from, to, error) &&
       add_entry_figures (store, stats, now, from, to, error) &&
       add_station_figures (store, platform, festival_id, stats, error);
  fest_stats_repo_end (store, own_snapshot);
  if (!ok)
    return NULL;

  json_object_set_string_member (stats, "generated_at", now_text);
  if (from != NULL || to != NULL)
    {
      JsonObject *period = json_object_new ();

      fest_json_set_nullable_string (period, "from", from);
      fest_json_set_nullable_string (period, "to", to);
      json_object_set_object_member (stats, "period", period);
    }
  return json_node_init_object (json_node_alloc (), stats);
}
