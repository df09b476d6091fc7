/* fest-tickets.h: ticket types, tickets and scans as write jobs, shared by the routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Scans form a timeline per ticket ordered by scanned_at: the earliest IN is the ENTRY, an IN while
 * the holder is inside (or, for a type without re-entry, any IN after the ENTRY) is a
 * DUPLICATE_ENTRY, an OUT of a re-entry type while inside is an EXIT. The timeline is recomputed
 * whenever a scan is added, so offline scans uploaded in any order end in the same state; a scan
 * that becomes a DUPLICATE_ENTRY raises an alert (table alerts, event "alert:new").
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef struct
{
  char    *name;
  char    *code;
  gint64   price;
  gint64   quota;            /* -1: unlimited */
  char    *valid_from;       /* normalised RFC 3339 */
  char    *valid_until;
  gboolean reentry_allowed;
} FestTicketTypeInput;

void      fest_ticket_type_input_clear     (FestTicketTypeInput *input);
gboolean  fest_ticket_type_input_parse     (JsonObject          *body,
                                            FestTicketTypeInput *input,
                                            GError             **error);

/* Write-thread API. Each returns the entity as API JSON (transfer full), or NULL with a FEST_ERROR
 * (business refusal) or another error. */
JsonNode *fest_tickets_create_type         (FestWriteCtx              *ctx,
                                            const FestTicketTypeInput *input,
                                            const FestActor           *actor,
                                            GError                   **error);
JsonNode *fest_tickets_issue               (FestWriteCtx              *ctx,
                                            const char                *ticket_type_id,
                                            const char                *holder_name,
                                            const char                *holder_email,
                                            const FestActor           *actor,
                                            GError                   **error);
JsonNode *fest_tickets_cancel              (FestWriteCtx              *ctx,
                                            const char                *ticket_id,
                                            const FestActor           *actor,
                                            GError                   **error);

typedef struct
{
  const char *ticket_id;
  const char *gate;
  const char *direction;    /* IN OUT */
  const char *scanned_at;   /* normalised RFC 3339; NULL = now */
  const char *device_id;    /* nullable */
} FestScanInput;

/* Online scan (POST /tickets/{id}/scan). Returns FALSE only on internal errors. A refused scan is
 * still recorded (result REFUSED) and returns TRUE with *refusal set (TICKET_INVALID,
 * TICKET_ALREADY_USED, CONFLICT) and *entity NULL; otherwise *entity is {result, scan, ticket}.
 * An unknown ticket is a refusal NOT_FOUND with nothing recorded. */
gboolean  fest_tickets_scan_online         (FestWriteCtx              *ctx,
                                            const FestScanInput       *input,
                                            const FestActor           *actor,
                                            JsonNode                 **entity,
                                            GError                   **refusal,
                                            GError                   **error);
/* Offline scan replayed by /sync: a fact, placed in the ticket's timeline by scanned_at. Returns
 * {result, scan, ticket} or NULL with an error (unknown or cancelled ticket). */
JsonNode *fest_tickets_scan_offline        (FestWriteCtx              *ctx,
                                            const FestScanInput       *input,
                                            const FestActor           *actor,
                                            GError                   **error);

G_END_DECLS
