/* fest-incidents-repo.h: incidents in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL side of domain/fest-incidents.c and of the incidents routes. An incident comes back as
 * the API's JSON: {id, type, location {lat, lng} or null, description, status, reporter_id,
 * reporter_device_id, assigned_to, resolved_at, resolution_notes, is_abuse, details (object or
 * null), created_at, updated_at, received_at}. Only a DUPLICATE_ENTRY incident may lack a position.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* A new incident, as inserted (status OPEN, not abuse). */
typedef struct
{
  const char *id;
  const char *type;
  gboolean    has_position;
  double      lat;
  double      lng;
  const char *description;          /* nullable */
  const char *details;              /* nullable: a JSON object, as text */
  const char *source_key;           /* nullable: unique, what raised it (e.g. "scan:<id>") */
  const char *reporter_id;          /* nullable */
  const char *reporter_device_id;   /* nullable */
  const char *created_at;
  const char *received_at;          /* the server's time: also updated_at */
} FestIncidentRow;

/* What GET /incidents lists (every member nullable: no filter). */
typedef struct
{
  const char *statuses;             /* a comma-separated list of statuses */
  const char *type;
  const char *assigned_to;          /* an account id */
  const char *since;                /* normalised RFC 3339: created_at >= since */
  /* Only incidents assigned to or reported by this account (a SECURITY member who is not a lead)
   * or reported by this device (a security station's device token), when set. */
  const char *visible_account;
  const char *visible_device;
  gboolean    restricted;           /* apply visible_account / visible_device */
} FestIncidentFilter;

/* Writer thread, inside a write job. */

/* NULL with FEST_ERROR_NOT_FOUND when unknown. */
JsonNode *fest_incidents_repo_get          (FestWriteCtx          *ctx,
                                            const char            *id,
                                            GError               **error);
gboolean  fest_incidents_repo_insert       (FestWriteCtx          *ctx,
                                            const FestIncidentRow *row,
                                            GError               **error);
/* Whether an incident with this source_key exists. */
gboolean  fest_incidents_repo_has_source   (FestWriteCtx          *ctx,
                                            const char            *source_key,
                                            gboolean              *exists,
                                            GError               **error);
/* Sets the members an update may change (@assigned_to, @resolution_notes, @resolved_at nullable). */
gboolean  fest_incidents_repo_update       (FestWriteCtx          *ctx,
                                            const char            *id,
                                            const char            *assigned_to,
                                            const char            *status,
                                            const char            *resolution_notes,
                                            gboolean               is_abuse,
                                            const char            *resolved_at,
                                            const char            *updated_at,
                                            GError               **error);
/* ASSIGNED to @assigned_to, nothing else touched (no updated_at): for the demo's fixtures. */
gboolean  fest_incidents_repo_set_assigned (FestWriteCtx          *ctx,
                                            const char            *id,
                                            const char            *assigned_to,
                                            GError               **error);
/* RESOLVED at its updated_at with @notes, nothing else touched: for the demo's fixtures. */
gboolean  fest_incidents_repo_set_resolved (FestWriteCtx          *ctx,
                                            const char            *id,
                                            const char            *notes,
                                            GError               **error);

/* Main thread, on the read connection. */

JsonNode *fest_incidents_repo_read         (FestFestivalStore     *store,
                                            const char            *id,
                                            GError               **error);
/* A page of the incidents @filter keeps, latest (created_at) first, as a JSON array; their number
 * in *@total. */
JsonNode *fest_incidents_repo_list         (FestFestivalStore        *store,
                                            const FestIncidentFilter *filter,
                                            guint                  page,
                                            guint                  per_page,
                                            gint64                *total,
                                            GError               **error);

G_END_DECLS
