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

struct _FestRateLimiter
{
  GHashTable *buckets;  /* "class:client" → Bucket */
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
    case FEST_RATE_CLASS_LOGIN:
      *capacity = 10;
      break;
    case FEST_RATE_CLASS_POST:
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
  return self;
}

void
fest_rate_limiter_free (FestRateLimiter *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->buckets);
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

void
fest_rate_limiter_prune (FestRateLimiter *self)
{
  GHashTableIter iter;
  Bucket *bucket;
  gint64 now = g_get_monotonic_time ();

  g_hash_table_iter_init (&iter, self->buckets);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &bucket))
    {
      refill (bucket, now);
      if (bucket->tokens >= bucket->capacity)
        g_hash_table_iter_remove (&iter);
    }
}
