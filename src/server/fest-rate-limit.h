/* fest-rate-limit.h: token buckets per (route class, client)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * DESIGN §5: POST /transactions 100/min (station device tokens 6000/min), POST /incidents 10/min,
 * POST /me/wallet/recharge 20/h, other POST/PATCH/DELETE 100/min, GET 1000/min, POST /auth/login
 * 10/min per IP. A bucket holds a full period's budget (bursts up to it) and refills continuously.
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
/* Forgets buckets that are full again (idle clients); the server calls it every minute. */
void             fest_rate_limiter_prune (FestRateLimiter *self);

G_END_DECLS
