/* fest-live-util.h: small helpers shared by the tickets, sync, incidents and live routes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-request.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

G_BEGIN_DECLS

/* A stored reply: status and exact body bytes (idempotent routes). */
typedef struct
{
  guint   status;
  GBytes *body;
} FestRawReply;

FestRawReply *fest_raw_reply_new           (guint          status,
                                            GBytes        *body);
void          fest_raw_reply_free          (FestRawReply  *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestRawReply, fest_raw_reply_free)

/* Pauses @req and queues @func on the request's festival store. Once the commit is durable it
 * replies @status with the job's result (a JsonNode, transfer full) as data, or the job's error. */
void          fest_live_write_reply_data   (FestRequest   *req,
                                            FestWriteFunc  func,
                                            gpointer       job_data,
                                            GDestroyNotify job_data_free,
                                            guint          status);
/* Same, the job's result being a FestRawReply sent as is. */
void          fest_live_write_reply_raw    (FestRequest   *req,
                                            FestWriteFunc  func,
                                            gpointer       job_data,
                                            GDestroyNotify job_data_free);

/* Column → member; SQL NULL → JSON null. */
void          fest_live_set_text_column    (JsonObject    *object,
                                            const char    *member,
                                            sqlite3_stmt  *stmt,
                                            int            column);
gboolean      fest_live_bind_text          (sqlite3_stmt  *stmt,
                                            int            index,
                                            const char    *text);
/* Steps a statement that returns no row, then resets it. */
gboolean      fest_live_step_done          (sqlite3_stmt  *stmt,
                                            GError       **error);
/* Sets @error from the statement's connection, resets the statement; returns FALSE. */
gboolean      fest_live_stmt_error         (sqlite3_stmt  *stmt,
                                            GError       **error);
/* The envelope bytes of {"data": data} (takes @data). */
GBytes       *fest_live_data_body          (JsonNode      *data);
/* A copy sharing nothing with @node (json_node_copy shares objects and arrays), safe to hand to
 * another thread or to nest inside the original. */
JsonNode     *fest_live_json_deep_copy     (JsonNode      *node);
/* A JSON object node from key/value pairs built by the caller. */
JsonNode     *fest_live_object_node        (JsonObject    *object);

G_END_DECLS
