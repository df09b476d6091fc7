/* fest-rate-limit.h: token buckets per (route class, client)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN §5: POST /transactions 100/min (station device tokens 6000/min), POST /incidents 10/min,
 * POST /me/wallet/recharge 20/h, other POST/PATCH/DELETE 100/min, GET 1000/min. A bucket holds a
 * full period's budget (bursts up to it) and refills continuously.
 *
 * POST /auth/login is throttled apart (fest_rate_limiter_login_begin/_end), on two keys:
 *  - per account (the e-mail as the database compares it, known or not, so that the answer says
 *    nothing about whether the account exists): 9 consecutive failures are free; the 10th locks
 *    the e-mail for 1 min, each further one doubles the lock, up to 1 h. A correct password
 *    clears it; so does a day without a failure.
 *  - per client address: 100 refused attempts a minute (token bucket). Large enough that the
 *    users behind one reverse proxy are not locked out together, small enough to stop one
 *    address from spraying passwords over many accounts.
 * A correct password is never counted, and an attempt is refused before its password is checked,
 * so a throttled account or address learns nothing from its guesses.
 *
 * Main thread only.
 */

#pragma once

#include "fest-router.h"

G_BEGIN_DECLS

typedef struct _FestRateLimiter FestRateLimiter;

FestRateLimiter *fest_rate_limiter_new   (void);
void             fest_rate_limiter_free  (FestRateLimiter *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestRateLimiter, fest_rate_limiter_free)

/* Takes one token from the bucket of (@rate_class, @client). FALSE when empty: *retry_after_s is
 * then the whole seconds until a token is back (≥ 1). @device: a station's device token. */
gboolean         fest_rate_limiter_check (FestRateLimiter *self,
                                          FestRateClass    rate_class,
                                          const char      *client,
                                          gboolean         device,
                                          guint           *retry_after_s);
/* Before a login's password check: FALSE when @account_key or @address is throttled, with
 * *retry_after_s (≥ 1); such a refusal counts against @address. TRUE counts the attempt as in
 * flight: call fest_rate_limiter_login_end() with the same keys when its password was checked.
 * @account_key: the normalised e-mail (fest_rate_limiter_login_key()). */
gboolean         fest_rate_limiter_login_begin (FestRateLimiter *self,
                                                const char      *account_key,
                                                const char      *address,
                                                guint           *retry_after_s);
void             fest_rate_limiter_login_end   (FestRateLimiter *self,
                                                const char      *account_key,
                                                const char      *address,
                                                gboolean         succeeded);
/* The same at @now (monotonic µs): the unit test drives the clock. */
gboolean         _fest_rate_limiter_login_begin_at (FestRateLimiter *self,
                                                    const char      *account_key,
                                                    const char      *address,
                                                    gint64           now,
                                                    guint           *retry_after_s);
void             _fest_rate_limiter_login_end_at   (FestRateLimiter *self,
                                                    const char      *account_key,
                                                    const char      *address,
                                                    gint64           now,
                                                    gboolean         succeeded);
/* The throttle key of an e-mail: ASCII case folded as the accounts table compares e-mails
 * (COLLATE NOCASE), hashed so that memory stays small whatever the caller sends. */
char            *fest_rate_limiter_login_key   (const char      *email);

/* Forgets buckets that are full again (idle clients); the server calls it every minute. */
void             fest_rate_limiter_prune (FestRateLimiter *self);

G_END_DECLS
