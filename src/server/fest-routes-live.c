/* fest-routes-live.c: the live routes (to be written)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-router.h"

void
fest_routes_live_register (FestRouter *router)
{
}
