/* fest-request.h: one HTTP request as the route handlers see it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The router resolves the route, authenticates the bearer token, checks the route's permission
 * against the roles the token has in its current festival, applies rate limits and the body limit,
 * then calls the handler with a FestRequest. A handler replies exactly once, either before it
 * returns or later (after fest_request_pause(), e.g. while its write job waits for the commit).
 * Replying after pause unpauses the message. The request is reference counted: hold a ref across
 * async work.
 */

#pragma once

#include <libsoup/soup.h>
#include <json-glib/json-glib.h>

#include "fest-core.h"
#include "fest-auth.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef struct _FestServer  FestServer;
typedef struct _FestRequest FestRequest;

GType              fest_request_get_type           (void) G_GNUC_CONST;
FestRequest       *fest_request_ref                (FestRequest   *req);
void               fest_request_unref              (FestRequest   *req);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestRequest, fest_request_unref)

FestServer        *fest_request_get_server         (FestRequest   *req);
SoupServerMessage *fest_request_get_message        (FestRequest   *req);
const char        *fest_request_get_method         (FestRequest   *req);
/* Path below /api/v1, e.g. "/stands/3f…" */
const char        *fest_request_get_path           (FestRequest   *req);
/* {name} segments of the route pattern. */
const char        *fest_request_get_param          (FestRequest   *req,
                                                    const char    *name);
/* Decoded query parameter, nullable. */
const char        *fest_request_get_query          (FestRequest   *req,
                                                    const char    *name);
const char        *fest_request_get_header         (FestRequest   *req,
                                                    const char    *name);
/* NULL when the route is public and no token was sent. */
const FestAuth    *fest_request_get_auth           (FestRequest   *req);
/* The token's festival store; routes flagged FEST_ROUTE_FESTIVAL always have one. */
FestFestivalStore *fest_request_get_store          (FestRequest   *req);
/* Actor for audit rows: account, device, IP, user agent. */
const FestActor   *fest_request_get_actor          (FestRequest   *req);
GBytes            *fest_request_get_body           (FestRequest   *req);

/* The body parsed as a JSON object. On failure it replies (400 MALFORMED_JSON, or
 * 400 VALIDATION_FAILED when the body is valid JSON but not an object, or when a string value
 * holds an escaped NUL, which json-glib would cut the string at) and returns NULL: the handler
 * just returns. */
JsonObject        *fest_request_get_json_object    (FestRequest   *req);

/* Paging from ?page=&per_page= (defaults 1 and 50, per_page ≤ 500). On bad values it replies 400
 * VALIDATION_FAILED and returns FALSE. */
gboolean           fest_request_get_paging         (FestRequest   *req,
                                                    guint         *page,
                                                    guint         *per_page);

void               fest_request_pause              (FestRequest   *req);

/* Replies. @data and @details are transfer full and may be NULL ({"data": null}). */
void               fest_request_reply_data         (FestRequest   *req,
                                                    guint          status,
                                                    JsonNode      *data);
void               fest_request_reply_list         (FestRequest   *req,
                                                    JsonNode      *array,
                                                    gint64         total,
                                                    guint          page,
                                                    guint          per_page);
void               fest_request_reply_error        (FestRequest   *req,
                                                    FestErrorCode  code,
                                                    const char    *message,
                                                    JsonNode      *details);
/* FEST_ERROR domain errors keep their code, and their details when set with
 * fest_error_set_details(); anything else is 500 INTERNAL (logged, message not leaked). */
void               fest_request_reply_gerror       (FestRequest   *req,
                                                    const GError  *error);
/* Raw body with a status, e.g. a stored idempotent reply or a PNG. */
void               fest_request_reply_bytes        (FestRequest   *req,
                                                    guint          status,
                                                    const char    *content_type,
                                                    GBytes        *body);
/* A streamed reply: @func fills each piece (about FEST_STREAM_PIECE_SIZE bytes) when the
 * previous one has been written, and returns FALSE after the last one. An error after the status
 * went out can only end the body early: @func logs it and returns FALSE. @destroy frees @data once
 * the message is gone. @content_disposition is nullable. No Content-Length: the body ends when the
 * connection closes (HTTP/1.1 "read until close"). Chunked encoding is not used: through the
 * server's gathered writes (fest-net.c) libsoup's terminating chunk got lost or went out before
 * the headers. */
#define FEST_STREAM_PIECE_SIZE (64 * 1024)
typedef gboolean (*FestStreamFunc) (GString  *piece,
                                    gpointer  data);
void               fest_request_reply_stream       (FestRequest   *req,
                                                    guint          status,
                                                    const char    *content_type,
                                                    const char    *content_disposition,
                                                    FestStreamFunc func,
                                                    gpointer       data,
                                                    GDestroyNotify destroy);
gboolean           fest_request_has_replied        (FestRequest   *req);

G_END_DECLS
