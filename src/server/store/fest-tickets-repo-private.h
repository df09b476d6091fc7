/* fest-tickets-repo-private.h: ticket rows as JSON, for the store's repositories
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-store-private.h"
#include "fest-tickets-repo.h"

G_BEGIN_DECLS

/* Column list read by _fest_ticket_json_from_stmt (), from table tickets. */
#define FEST_TICKET_COLUMNS \
  "id, ticket_type_id, holder_name, holder_email, qr_code, status, used_at, used_gate, inside, rev, created_at"
/* Column list read by _fest_ticket_type_json_from_stmt (), from table ticket_types. */
#define FEST_TICKET_TYPE_COLUMNS \
  "id, name, code, price, quota, valid_from, valid_until, reentry_allowed, issued, rev, created_at"

JsonNode *_fest_ticket_json_from_stmt       (FestDbStmt *stmt,
                                             int         first_column);
JsonNode *_fest_ticket_type_json_from_stmt  (FestDbStmt *stmt,
                                             int         first_column);

G_END_DECLS
