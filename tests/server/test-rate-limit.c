/* test-rate-limit.c: the login throttle's arithmetic over time (locks, their expiry and doubling,
 * attempts in flight, the address budget), on a clock the test drives
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-rate-limit.h"

#define S(seconds) ((gint64) (seconds) * G_USEC_PER_SEC)
#define T0         S (1000000)
#define ADDRESS    "192.0.2.1"

/* One whole attempt at @now: TRUE when it was let through (and then failed or succeeded). */
static gboolean
attempt (FestRateLimiter *limiter,
         const char      *key,
         const char      *address,
         gint64           now,
         gboolean         correct,
         guint           *retry_after)
{
  if (!_fest_rate_limiter_login_begin_at (limiter, key, address, now, retry_after))
    return FALSE;
  _fest_rate_limiter_login_end_at (limiter, key, address, now, correct);
  return TRUE;
}

static void
test_account_lock (void)
{
  g_autoptr(FestRateLimiter) limiter = fest_rate_limiter_new ();
  g_autofree char *key = fest_rate_limiter_login_key ("Someone@Example.org");
  g_autofree char *same = fest_rate_limiter_login_key ("someone@example.ORG");
  guint retry_after = 0;
  gint64 now = T0;

  g_assert_cmpstr (key, ==, same);

  for (guint i = 0; i < 9; i++)
    g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
  /* The 10th failure locks for a minute, the right password included. */
  g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
  g_assert_false (attempt (limiter, key, ADDRESS, now + S (1), TRUE, &retry_after));
  g_assert_cmpuint (retry_after, ==, 59);

  /* When the lock runs out, one more try; failing doubles the lock. */
  now += S (60);
  g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
  g_assert_false (attempt (limiter, key, ADDRESS, now, FALSE, &retry_after));
  g_assert_cmpuint (retry_after, ==, 120);

  /* Doubling stops at an hour. */
  for (guint lock = 120; lock < 3600; lock *= 2)
    {
      now += S (lock);
      g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
    }
  g_assert_false (attempt (limiter, key, ADDRESS, now, FALSE, &retry_after));
  g_assert_cmpuint (retry_after, ==, 3600);
  now += S (3600);
  g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
  g_assert_false (attempt (limiter, key, ADDRESS, now, FALSE, &retry_after));
  g_assert_cmpuint (retry_after, ==, 3600);

  /* The right password once the lock is over clears everything. */
  now += S (3600);
  g_assert_true (attempt (limiter, key, ADDRESS, now, TRUE, NULL));
  for (guint i = 0; i < 9; i++)
    g_assert_true (attempt (limiter, key, ADDRESS, now, FALSE, NULL));
  g_assert_true (attempt (limiter, key, ADDRESS, now, TRUE, NULL));
}

/* Attempts whose password is still being checked count: a burst cannot get past the lock. */
static void
test_in_flight (void)
{
  g_autoptr(FestRateLimiter) limiter = fest_rate_limiter_new ();
  g_autofree char *key = fest_rate_limiter_login_key ("someone@example.org");
  guint retry_after = 0;
  guint admitted = 0;

  for (guint i = 0; i < 50; i++)
    if (_fest_rate_limiter_login_begin_at (limiter, key, ADDRESS, T0, &retry_after))
      admitted++;
  g_assert_cmpuint (admitted, ==, 10);
  g_assert_cmpuint (retry_after, ==, 1);

  for (guint i = 0; i < admitted; i++)
    _fest_rate_limiter_login_end_at (limiter, key, ADDRESS, T0, FALSE);
  g_assert_false (_fest_rate_limiter_login_begin_at (limiter, key, ADDRESS, T0, &retry_after));
  g_assert_cmpuint (retry_after, ==, 60);
}

/* 100 refused attempts a minute per address, whatever the accounts; other addresses unaffected. */
static void
test_address_budget (void)
{
  g_autoptr(FestRateLimiter) limiter = fest_rate_limiter_new ();
  g_autofree char *victim = fest_rate_limiter_login_key ("victim@example.org");
  g_autofree char *user = fest_rate_limiter_login_key ("user@example.org");
  guint retry_after = 0;

  for (guint i = 0; i < 100; i++)
    {
      g_autofree char *email = g_strdup_printf ("guess%u@example.org", i);
      g_autofree char *key = fest_rate_limiter_login_key (email);

      g_assert_true (attempt (limiter, key, ADDRESS, T0, FALSE, NULL));
    }

  /* Spent: even the right password of a fresh account waits. */
  g_assert_false (attempt (limiter, user, ADDRESS, T0, TRUE, &retry_after));
  g_assert_cmpuint (retry_after, ==, 1);
  g_assert_true (attempt (limiter, user, "192.0.2.2", T0, TRUE, NULL));

  /* It refills at 100 a minute; successes never cost anything. */
  g_assert_true (attempt (limiter, user, ADDRESS, T0 + S (1), TRUE, NULL));
  for (guint i = 0; i < 200; i++)
    g_assert_true (attempt (limiter, user, "192.0.2.3", T0, TRUE, NULL));

  /* Attempts on a locked account are refusals too. */
  for (guint i = 0; i < 10; i++)
    g_assert_true (attempt (limiter, victim, "192.0.2.4", T0, FALSE, NULL));
  for (guint i = 10; i < 100; i++)
    g_assert_false (attempt (limiter, victim, "192.0.2.4", T0, FALSE, NULL));
  g_assert_false (attempt (limiter, user, "192.0.2.4", T0, TRUE, &retry_after));
  g_assert_true (attempt (limiter, user, "192.0.2.4", T0 + S (60), TRUE, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/rate-limit/login-account-lock", test_account_lock);
  g_test_add_func ("/fest/rate-limit/login-in-flight", test_in_flight);
  g_test_add_func ("/fest/rate-limit/login-address-budget", test_address_budget);

  return g_test_run ();
}
