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

G_END_DECLS
