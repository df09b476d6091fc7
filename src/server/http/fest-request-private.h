/* fest-request-private.h: how the router builds a FestRequest
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-request.h"
#include "fest-platform-store.h"

G_BEGIN_DECLS

/* @path is below /api/v1 (borrowed from the message's URI, which outlives the request). */
FestRequest *_fest_request_new        (FestServer        *server,
                                       SoupServerMessage *msg,
                                       const char        *path);
/* Takes @params (name → decoded value), may be NULL. */
void         _fest_request_set_params (FestRequest       *req,
                                       GHashTable        *params);
/* Takes a reference on @entry. */
void         _fest_request_set_auth   (FestRequest       *req,
                                       FestAuthEntry     *entry);
FestAuthEntry *_fest_request_get_auth_entry (FestRequest *req);
gboolean     _fest_request_is_paused  (FestRequest       *req);
/* Client address for rate limiting and audit: the TCP peer, or when the peer is a trusted proxy
 * (--trusted-proxy) the right-most X-Forwarded-For entry that is not one. */
const char  *_fest_request_get_ip     (FestRequest       *req);
/* 429 RATE_LIMITED with Retry-After and details.retry_after. */
void         _fest_request_reply_rate_limited (FestRequest *req,
                                               guint        retry_after_s);

/* Replies to a bare message with the error envelope (before any FestRequest exists). */
void         _fest_message_reply_error (SoupServerMessage *msg,
                                        FestErrorCode      code,
                                        const char        *message,
                                        JsonNode          *details);

G_END_DECLS
