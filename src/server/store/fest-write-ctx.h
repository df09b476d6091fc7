/* fest-write-ctx.h: what a write job may do on the writer thread (fest-festival-store.h): the
 * festival's change counter, events delivered after the commit, the audit log
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Context handed to a write job, on the writer thread. */
typedef struct _FestWriteCtx FestWriteCtx;

/* Who did it: copied into every write job that writes the audit log. */
typedef struct
{
  char *account_id;   /* nullable */
  char *device_id;    /* nullable */
  char *ip_address;   /* nullable */
  char *user_agent;   /* nullable */
} FestActor;

FestActor *fest_actor_copy (const FestActor *actor);
void       fest_actor_free (FestActor *actor);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestActor, fest_actor_free)

/* Writer-thread API, valid only inside a FestWriteFunc. */
/* FALSE when the job runs without a SAVEPOINT of its own (a rerunnable job on its first run): a
 * failure after writing then makes the store run it again in one, so do not try to undo it. */
gboolean           fest_write_ctx_has_savepoint      (FestWriteCtx       *ctx);
/* Whether a WebSocket client of the festival may receive events: when FALSE, an event that only
 * goes to clients need not be built. */
gboolean           fest_write_ctx_has_event_subscribers (FestWriteCtx    *ctx);
/* Next value of the festival's change counter (for the rev columns / sync cursor). */
gint64             fest_write_ctx_next_rev           (FestWriteCtx       *ctx,
                                                      GError            **error);
/* Queue an event for the /events WebSocket: delivered on the main thread only if the batch commits.
 * Takes @data (transfer full). */
void               fest_write_ctx_emit               (FestWriteCtx       *ctx,
                                                      const char         *event,
                                                      JsonNode           *data);
/* Writes one audit_log row. @old_values/@new_values are borrowed, may be NULL. */
gboolean           fest_write_ctx_audit              (FestWriteCtx       *ctx,
                                                      const FestActor    *actor,
                                                      const char         *action,
                                                      const char         *entity_type,
                                                      const char         *entity_id,
                                                      JsonNode           *old_values,
                                                      JsonNode           *new_values,
                                                      GError            **error);
/* fest_write_ctx_audit() with the values as JSON text already (nullable), for hot paths. */
gboolean           fest_write_ctx_audit_text         (FestWriteCtx       *ctx,
                                                      const FestActor    *actor,
                                                      const char         *action,
                                                      const char         *entity_type,
                                                      const char         *entity_id,
                                                      const char         *old_text,
                                                      const char         *new_text,
                                                      GError            **error);

G_END_DECLS
