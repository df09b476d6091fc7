/* fest-auth.h: what a bearer token grants, as the platform store resolves it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The platform store resolves tokens into this; the HTTP layer hands it to the route handlers
 * (fest_request_get_auth()). It knows nothing of HTTP.
 */

#pragma once

#include "fest-core.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

/* What the bearer token says. */
typedef struct
{
  char              *account_id;   /* NULL for a device token */
  char              *email;        /* NULL for a device token */
  char              *device_id;    /* device tokens only */
  char              *stand_id;     /* device tokens only, nullable */
  char              *mode;         /* device tokens only: cashier recharge scanner security */
  char              *festival_id;  /* current festival, nullable */
  FestRoles          roles;        /* roles in the current festival, plus SUPERADMIN if platform admin */
  FestFestivalStore *store;        /* the current festival's store (borrowed), nullable */
  char              *token_hash;   /* hex SHA-256 of the token */
} FestAuth;

G_END_DECLS
