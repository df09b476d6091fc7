/* fest-routes-team-private.h: the team routes' body parsing, for tests/fuzz
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-role.h"

G_BEGIN_DECLS

/* The "roles" member of a POST or PATCH /members body: a non-empty list of role names, never
 * SUPERADMIN. @present tells whether the member was given (it is optional when !@required). */
gboolean _fest_team_parse_roles (JsonObject  *body,
                                 gboolean     required,
                                 gboolean    *present,
                                 FestRoles   *roles,
                                 GError     **error);

G_END_DECLS
