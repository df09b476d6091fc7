/* fest-routes-sync.c: the sync routes (to be written)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-router.h"

void
fest_routes_sync_register (FestRouter *router)
{
}
