/* fest-routes-sync-private.h: the POST /sync operation parser (for tests/fuzz) and GET /sync/changes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-request.h"

G_BEGIN_DECLS

/* Parses element @index of a batch's "operations" as POST /sync does, without a store or a
 * device (no stand to default to): TRUE when the operation would go on to be applied, with its
 * idempotency hash in @request_hash (nullable, transfer full); FALSE with the error it would be
 * rejected with. */
gboolean _fest_sync_parse_operation (JsonNode  *node,
                                     guint      index,
                                     char     **request_hash,
                                     GError   **error);

/* GET /sync/changes (fest-routes-sync-changes.c), registered by fest_routes_sync_register (). */
void     _fest_routes_sync_get_changes (FestRequest *req);

G_END_DECLS
