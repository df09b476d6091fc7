/* fest-routes-ledger-private.h: route helpers of fest-routes-ledger.c shared with other routes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-request.h"

G_BEGIN_DECLS

/* Pauses @req, runs @func as a write job and replies @status with the job's JsonNode result as
 * data, or the job's error, once the commit is durable. */
void        _fest_route_write          (FestRequest    *req,
                                        guint           status,
                                        FestWriteFunc   func,
                                        gpointer        data,
                                        GDestroyNotify  data_free);

/* The attendee account of the request, or NULL after replying 403 (a device or no account has no
 * wallet of its own). */
const char *_fest_route_self_account   (FestRequest    *req);

/* Parses an optional UUID query parameter: TRUE with *out NULL when absent; FALSE after replying
 * 400 VALIDATION_FAILED naming @name when malformed. */
gboolean    _fest_route_query_uuid     (FestRequest    *req,
                                        const char     *name,
                                        const char    **out);

G_END_DECLS
