/* fest-incidents-repo.h: incidents in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL side of domain/fest-incidents.c and of the incidents routes. An incident comes back as
 * the API's JSON: {id, type, location {lat, lng}, description, status, reporter_id,
 * reporter_device_id, assigned_to, resolved_at, resolution_notes, is_abuse, created_at,
 * updated_at, received_at}.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* A new incident, as inserted (status OPEN, not abuse). */
typedef struct
{
  const char *id;
  const char *type;
  double      lat;
  double      lng;
  const char *description;          /* nullable */
  const char *reporter_id;          /* nullable */
  const char *reporter_device_id;   /* nullable */
  const char *created_at;
  const char *received_at;          /* the server's time: also updated_at */
} FestIncidentRow;

/* Writer thread, inside a write job. */

/* NULL with FEST_ERROR_NOT_FOUND when unknown. */
JsonNode *fest_incidents_repo_get          (FestWriteCtx          *ctx,
                                            const char            *id,
                                            GError               **error);
gboolean  fest_incidents_repo_insert       (FestWriteCtx          *ctx,
                                            const FestIncidentRow *row,
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
/* A page of incidents, latest first (a JSON array), of @status and @type when not NULL; their
 * number in *@total. */
JsonNode *fest_incidents_repo_list         (FestFestivalStore     *store,
                                            const char            *status,
                                            const char            *type,
                                            guint                  page,
                                            guint                  per_page,
                                            gint64                *total,
                                            GError               **error);

G_END_DECLS
