/* fest-core.h: the domain rules shared by the server and the app (pure GLib)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-error.h"
#include "fest-ical.h"
#include "fest-id.h"
#include "fest-json.h"
#include "fest-money.h"
#include "fest-role.h"
#include "fest-ticket-code.h"

G_BEGIN_DECLS

/* Calls sodium_init() once; every entry point that needs libsodium calls it. */
void fest_core_init (void);

G_END_DECLS
