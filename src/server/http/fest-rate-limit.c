/* fest-rate-limit.c: token buckets per (route class, client)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>

#include "fest-rate-limit.h"

typedef struct
{
  double tokens;
  double capacity;
  double per_second;
  gint64 updated;     /* monotonic µs */
} Bucket;

/* POST /auth/login, see fest-rate-limit.h. */
#define LOGIN_FREE_FAILURES      9
#define LOGIN_FIRST_LOCK_S       60
#define LOGIN_MAX_LOCK_S         3600
#define LOGIN_FORGET_S           (G_GINT64_CONSTANT (24) * 3600)
#define LOGIN_ADDRESS_BUDGET     100
#define LOGIN_ADDRESS_PERIOD_S   60

typedef struct
{
  guint  failures;      /* consecutive */
  guint  pending;       /* attempts whose password is being checked */
  gint64 last_failure;  /* monotonic µs */
  gint64 locked_until;  /* monotonic µs; 0: not locked */
} LoginAccount;

typedef struct
{
  Bucket bucket;        /* refused attempts */
  guint  pending;
} LoginAddress;

struct _FestRateLimiter
{
  GHashTable *buckets;          /* "class:client" → Bucket */
  GHashTable *login_accounts;   /* account key → LoginAccount */
  GHashTable *login_addresses;  /* address → LoginAddress */
};

static void
budget (FestRateClass  rate_class,
        gboolean       device,
        double        *capacity,
        double        *period_s)
{
  *period_s = 60;
  switch (rate_class)
    {
    case FEST_RATE_CLASS_GET:
      *capacity = 1000;
      break;
    case FEST_RATE_CLASS_TRANSACTION:
      /* A busy bar sells far more than 100 drinks a minute. */
      *capacity = device ? 6000 : 100;
      break;
    case FEST_RATE_CLASS_INCIDENT:
      *capacity = 10;
      break;
    case FEST_RATE_CLASS_RECHARGE_SELF:
      *capacity = 20;
      *period_s = 3600;
      break;
    case FEST_RATE_CLASS_POST:
    case FEST_RATE_CLASS_LOGIN:
    case FEST_RATE_CLASS_NONE:
    default:
      *capacity = 100;
      break;
    }
}

FestRateLimiter *
fest_rate_limiter_new (void)
{
  FestRateLimiter *self = g_new0 (FestRateLimiter, 1);

  self->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->login_accounts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->login_addresses = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
fest_rate_limiter_free (FestRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
  g_hash_table_unref (self->login_accounts);
  g_hash_table_unref (self->login_addresses);
  g_free (self);
}

static void
refill (Bucket *bucket,
        gint64  now)
{
  double elapsed = (now - bucket->updated) / (double) G_USEC_PER_SEC;

  bucket->tokens = MIN (bucket->capacity, bucket->tokens + elapsed * bucket->per_second);
  bucket->updated = now;
}

gboolean
fest_rate_limiter_check (FestRateLimiter *self,
                         FestRateClass    rate_class,
                         const char      *client,
                         gboolean         device,
                         guint           *retry_after_s)
{
  char key[320];
  Bucket *bucket;
  gint64 now = g_get_monotonic_time ();

  if (rate_class == FEST_RATE_CLASS_NONE)
    return TRUE;

  g_snprintf (key, sizeof key, "%d%c:%s", rate_class, device ? 'd' : 'u',
              client != NULL ? client : "");
  bucket = g_hash_table_lookup (self->buckets, key);
  if (bucket == NULL)
    {
      double capacity, period_s;

      budget (rate_class, device, &capacity, &period_s);
      bucket = g_new0 (Bucket, 1);
      bucket->capacity = capacity;
      bucket->tokens = capacity;
      bucket->per_second = capacity / period_s;
      bucket->updated = now;
      g_hash_table_insert (self->buckets, g_strdup (key), bucket);
    }
  else
    refill (bucket, now);

  if (bucket->tokens >= 1.0)
    {
      bucket->tokens -= 1.0;
      return TRUE;
    }

  if (retry_after_s != NULL)
    *retry_after_s = MAX (1, (guint) ceil ((1.0 - bucket->tokens) / bucket->per_second));
  return FALSE;
}

static guint
seconds_until (gint64 now,
               gint64 then)
{
  return MAX (1, (guint) ((then - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC));
}

static LoginAddress *
login_address (FestRateLimiter *self,
               const char      *address,
               gint64           now)
{
  LoginAddress *entry = g_hash_table_lookup (self->login_addresses, address);

  if (entry == NULL)
    {
      entry = g_new0 (LoginAddress, 1);
      entry->bucket.capacity = LOGIN_ADDRESS_BUDGET;
      entry->bucket.tokens = LOGIN_ADDRESS_BUDGET;
      entry->bucket.per_second = LOGIN_ADDRESS_BUDGET / (double) LOGIN_ADDRESS_PERIOD_S;
      entry->bucket.updated = now;
      g_hash_table_insert (self->login_addresses, g_strdup (address), entry);
    }
  else
    refill (&entry->bucket, now);

  return entry;
}

/* A refused attempt; the bucket does not go below empty, so that an address that keeps
 * hammering is back to its steady rate as soon as it slows down. */
static void
login_address_charge (LoginAddress *entry)
{
  entry->bucket.tokens = MAX (0.0, entry->bucket.tokens - 1.0);
}

gboolean
fest_rate_limiter_login_begin (FestRateLimiter *self,
                               const char      *account_key,
                               const char      *address,
                               guint           *retry_after_s)
{
  return _fest_rate_limiter_login_begin_at (self, account_key, address, g_get_monotonic_time (),
                                            retry_after_s);
}

void
fest_rate_limiter_login_end (FestRateLimiter *self,
                             const char      *account_key,
                             const char      *address,
                             gboolean         succeeded)
{
  _fest_rate_limiter_login_end_at (self, account_key, address, g_get_monotonic_time (), succeeded);
}

gboolean
_fest_rate_limiter_login_begin_at (FestRateLimiter *self,
                                   const char      *account_key,
                                   const char      *address,
                                   gint64           now,
                                   guint           *retry_after_s)
{
  LoginAccount *account;
  LoginAddress *from;
  guint retry_after = 0;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (account_key != NULL, FALSE);

  if (address == NULL)
    address = "";
  from = login_address (self, address, now);
  account = g_hash_table_lookup (self->login_accounts, account_key);

  if (account != NULL && account->locked_until > now)
    retry_after = seconds_until (now, account->locked_until);
  else if (account != NULL && account->pending > 0
           && account->failures + account->pending > LOGIN_FREE_FAILURES)
    retry_after = 1;  /* the attempts in flight may lock it: no more guesses until they end */

  /* Attempts in flight are counted as refused until they end: a burst cannot overrun the
   * budget while the password checks run. */
  if (from->bucket.tokens - from->pending < 1.0)
    {
      double missing = 1.0 + from->pending - from->bucket.tokens;

      retry_after = MAX (retry_after, MAX (1, (guint) ceil (missing / from->bucket.per_second)));
    }

  if (retry_after > 0)
    {
      login_address_charge (from);
      if (retry_after_s != NULL)
        *retry_after_s = retry_after;
      return FALSE;
    }

  if (account == NULL)
    {
      account = g_new0 (LoginAccount, 1);
      g_hash_table_insert (self->login_accounts, g_strdup (account_key), account);
    }
  account->pending++;
  from->pending++;
  return TRUE;
}

void
_fest_rate_limiter_login_end_at (FestRateLimiter *self,
                                 const char      *account_key,
                                 const char      *address,
                                 gint64           now,
                                 gboolean         succeeded)
{
  LoginAccount *account;
  LoginAddress *from;

  g_return_if_fail (self != NULL);
  g_return_if_fail (account_key != NULL);

  from = login_address (self, address != NULL ? address : "", now);
  if (from->pending > 0)
    from->pending--;
  if (!succeeded)
    login_address_charge (from);

  account = g_hash_table_lookup (self->login_accounts, account_key);
  if (account == NULL)
    return;
  if (account->pending > 0)
    account->pending--;

  if (succeeded)
    {
      account->failures = 0;
      account->locked_until = 0;
      if (account->pending == 0)
        g_hash_table_remove (self->login_accounts, account_key);
      return;
    }

  account->failures++;
  account->last_failure = now;
  if (account->failures > LOGIN_FREE_FAILURES)
    {
      guint doublings = MIN (account->failures - LOGIN_FREE_FAILURES - 1, 6);
      gint64 lock_s = MIN ((gint64) LOGIN_FIRST_LOCK_S << doublings, LOGIN_MAX_LOCK_S);

      account->locked_until = now + lock_s * G_USEC_PER_SEC;
    }
}

char *
fest_rate_limiter_login_key (const char *email)
{
  g_autofree char *folded = NULL;

  g_return_val_if_fail (email != NULL, NULL);

  folded = g_ascii_strdown (email, -1);
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, folded, -1);
}

void
fest_rate_limiter_prune (FestRateLimiter *self)
{
  GHashTableIter iter;
  Bucket *bucket;
  LoginAccount *account;
  LoginAddress *address;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    {
      refill (bucket, now);
      if (bucket->tokens >= bucket->capacity)
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, self->login_addresses);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &address))
    {
      refill (&address->bucket, now);
      if (address->pending == 0 && address->bucket.tokens >= address->bucket.capacity)
        g_hash_table_iter_remove (&iter);
    }

  g_hash_table_iter_init (&iter, self->login_accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &account))
    if (account->pending == 0 && account->locked_until <= now
        && (account->failures == 0
            || now - account->last_failure > LOGIN_FORGET_S * G_USEC_PER_SEC))
      g_hash_table_iter_remove (&iter);
}
