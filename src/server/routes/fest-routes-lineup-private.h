/* fest-routes-lineup-private.h: what the stage/artist and the slot routes share
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-crud-private.h"
#include "fest-router.h"

G_BEGIN_DECLS

/* fest-routes-lineup.c */
extern const FestCrudKind _fest_stage_kind;
extern const FestCrudKind _fest_artist_kind;

JsonNode *_fest_artist_to_json     (gconstpointer     row);
/* Parses body.rider ({technical, hospitality}, both optional strings, no other key): each
 * given one into a copy. 400 VALIDATION_FAILED naming "rider" or "rider.<key>" otherwise. */
gboolean  _fest_artist_parse_rider (JsonObject       *body,
                                    char            **technical,
                                    char            **hospitality,
                                    GError          **error);
/* The stored rider text with @technical and @hospitality (each nullable: kept) replaced. */
char     *_fest_artist_rider_merge (const char       *old_text,
                                    const char       *technical,
                                    const char       *hospitality);
/* An email address in body.@member (at most 254 characters): a copy in *@email when present. */
gboolean  _fest_lineup_parse_email (JsonObject       *body,
                                    const char       *member,
                                    gboolean          required,
                                    char            **email,
                                    GError          **error);

/* Replaces *@field by a copy of @value (nullable). */
void     _fest_lineup_replace_str  (char            **field,
                                    const char       *value);
/* Writer thread: audits and answers a created (@old_node NULL) or updated row; emits @event when
 * set. */
gboolean _fest_lineup_finish_write (FestWriteCtx     *ctx,
                                    const char       *action,
                                    const char       *entity,
                                    const char       *id,
                                    const FestActor  *actor,
                                    JsonNode         *old_node,
                                    JsonNode         *new_node,
                                    const char       *event,
                                    gpointer         *result,
                                    GDestroyNotify   *result_free,
                                    GError          **error);

/* fest-routes-slots.c: GET/POST /slots, GET/PATCH/DELETE /slots/{id}, GET /lineup.ics */
void     _fest_slots_list          (FestRequest      *req);
void     _fest_slots_get           (FestRequest      *req);
void     _fest_slots_create        (FestRequest      *req);
void     _fest_slots_update        (FestRequest      *req);
void     _fest_slots_delete        (FestRequest      *req);
void     _fest_lineup_ics          (FestRequest      *req);
JsonNode *_fest_slot_to_json       (gconstpointer     row);

/* fest-routes-artist-portal.c */
/* Whether the caller sees only their own artist (a member whose only role is ARTIST): *@scoped,
 * and *@artist_id their artist (NULL when none is linked). FALSE after replying an error. */
gboolean _fest_artist_scope        (FestRequest      *req,
                                    gboolean         *scoped,
                                    char            **artist_id);

G_END_DECLS
