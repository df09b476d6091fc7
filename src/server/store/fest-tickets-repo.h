/* fest-tickets-repo.h: ticket types, tickets, scans and their alerts in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL side of domain/fest-tickets.c and of the ticket routes. Entities come back as the API's
 * JSON: a ticket {id, ticket_type_id, holder_name, holder_email, qr_code, status, used_at,
 * used_gate, inside, rev, created_at}, a ticket type {id, name, code, price, quota, valid_from,
 * valid_until, reentry_allowed, issued, rev, created_at}.
 */

#pragma once

#include "fest-core.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

/* A new ticket type, as inserted. */
typedef struct
{
  const char *id;
  const char *name;
  const char *code;
  gint64      price;
  gint64      quota;            /* -1: unlimited */
  const char *valid_from;
  const char *valid_until;
  gboolean    reentry_allowed;
  gint64      rev;
  const char *created_at;
} FestTicketTypeRow;

/* A new scan, as inserted. */
typedef struct
{
  const char *id;
  const char *ticket_id;
  const char *gate;
  const char *direction;        /* IN OUT */
  const char *result;
  const char *device_id;        /* nullable */
  const char *operator_id;      /* nullable */
  gboolean    offline_created;
  const char *scanned_at;
  const char *recorded_at;
} FestScanRow;

/* One scan of a ticket's timeline (fest_tickets_repo_timeline). */
typedef struct
{
  char       *id;
  char       *gate;
  char       *direction;
  char       *result;
  char       *scan_time;        /* scanned_at */
  char       *device_id;
  const char *new_result;       /* for the caller: the result the timeline gives it */
} FestTimelineScan;

void       fest_timeline_scan_free            (gpointer data);

/* Writer thread, inside a write job. */

/* NULL with FEST_ERROR_NOT_FOUND when unknown. */
JsonNode  *fest_tickets_repo_get_ticket        (FestWriteCtx            *ctx,
                                                const char              *ticket_id,
                                                GError                 **error);
JsonNode  *fest_tickets_repo_get_type          (FestWriteCtx            *ctx,
                                                const char              *type_id,
                                                GError                 **error);
/* The festival's starts_at and ends_at. */
gboolean   fest_tickets_repo_festival_window   (FestWriteCtx            *ctx,
                                                char                   **starts_at,
                                                char                   **ends_at,
                                                GError                 **error);
gboolean   fest_tickets_repo_type_code_exists  (FestWriteCtx            *ctx,
                                                const char              *code,
                                                gboolean                *exists,
                                                GError                 **error);
gboolean   fest_tickets_repo_insert_type       (FestWriteCtx            *ctx,
                                                const FestTicketTypeRow *row,
                                                GError                 **error);
/* The festival's id and ticket signing key; FEST_ERROR_INTERNAL when it has none. */
gboolean   fest_tickets_repo_read_secret_key   (FestWriteCtx            *ctx,
                                                char                   **festival_id,
                                                guint8                   secret_key[FEST_TICKET_SECRET_KEY_BYTES],
                                                GError                 **error);
/* One more ticket issued of the type. */
gboolean   fest_tickets_repo_count_issued      (FestWriteCtx            *ctx,
                                                const char              *type_id,
                                                gint64                   rev,
                                                const char              *now,
                                                GError                 **error);
/* A VALID ticket, not inside. */
gboolean   fest_tickets_repo_insert_ticket     (FestWriteCtx            *ctx,
                                                const char              *id,
                                                const char              *type_id,
                                                const char              *holder_name,
                                                const char              *holder_email,
                                                const char              *qr_code,
                                                gint64                   rev,
                                                const char              *now,
                                                GError                 **error);
/* CANCELLED, not inside. */
gboolean   fest_tickets_repo_cancel_ticket     (FestWriteCtx            *ctx,
                                                const char              *ticket_id,
                                                gint64                   rev,
                                                const char              *now,
                                                GError                 **error);
/* {id, ticket_id, gate, direction, result, device_id, offline_created, scanned_at, recorded_at};
 * FEST_ERROR_INTERNAL when unknown. */
JsonNode  *fest_tickets_repo_get_scan          (FestWriteCtx            *ctx,
                                                const char              *scan_id,
                                                GError                 **error);
gboolean   fest_tickets_repo_insert_scan       (FestWriteCtx            *ctx,
                                                const FestScanRow       *row,
                                                GError                 **error);
/* The ticket's scans but the REFUSED ones, in scanned_at order: FestTimelineScan elements. */
GPtrArray *fest_tickets_repo_timeline          (FestWriteCtx            *ctx,
                                                const char              *ticket_id,
                                                GError                 **error);
gboolean   fest_tickets_repo_set_scan_result   (FestWriteCtx            *ctx,
                                                const char              *scan_id,
                                                const char              *result,
                                                GError                 **error);
/* Stores the ticket's state as its timeline gives it, bumping rev only if it changed: USED once
 * entered (@had_entry; a cancellation stays), else VALID. */
gboolean   fest_tickets_repo_set_ticket_state  (FestWriteCtx            *ctx,
                                                const char              *ticket_id,
                                                gboolean                 had_entry,
                                                const char              *used_at,
                                                const char              *used_gate,
                                                gboolean                 inside,
                                                gint64                   rev,
                                                const char              *now,
                                                GError                 **error);
/* {used_at, gate} of the ticket's latest ENTRY, both null when none. */
JsonNode  *fest_tickets_repo_last_entry        (FestWriteCtx            *ctx,
                                                const char              *ticket_id,
                                                GError                 **error);
/* An unacknowledged DUPLICATE_ENTRY alert on the ticket; @details_json is its details as text. */
gboolean   fest_tickets_repo_insert_duplicate_alert (FestWriteCtx       *ctx,
                                                     const char         *id,
                                                     const char         *ticket_id,
                                                     const char         *details_json,
                                                     gint64              rev,
                                                     const char         *now,
                                                     GError            **error);

/* Main thread, on the read connection. */

JsonNode  *fest_tickets_repo_read_ticket       (FestFestivalStore       *store,
                                                const char              *ticket_id,
                                                GError                 **error);
JsonNode  *fest_tickets_repo_read_type         (FestFestivalStore       *store,
                                                const char              *type_id,
                                                GError                 **error);
/* The public key and id of the festival the database belongs to. */
gboolean   fest_tickets_repo_read_festival_key (FestFestivalStore       *store,
                                                char                   **festival_id,
                                                guint8                   public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                                                GError                 **error);
/* A page of ticket types by creation (a JSON array), and their number in *@total. */
JsonNode  *fest_tickets_repo_list_types        (FestFestivalStore       *store,
                                                guint                    page,
                                                guint                    per_page,
                                                gint64                  *total,
                                                GError                 **error);
/* A page of tickets by creation, of @status and @type_id when not NULL. */
JsonNode  *fest_tickets_repo_list_tickets      (FestFestivalStore       *store,
                                                const char              *status,
                                                const char              *type_id,
                                                guint                    page,
                                                guint                    per_page,
                                                gint64                  *total,
                                                GError                 **error);

G_END_DECLS
