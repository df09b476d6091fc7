/* fest-incidents.h: incidents as write jobs, shared by the incidents routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

G_BEGIN_DECLS

#define FEST_INCIDENT_COLUMNS \
  "id, type, lat, lng, description, status, reporter_id, reporter_device_id, assigned_to, resolved_at," \
  " resolution_notes, is_abuse, created_at, updated_at, received_at"

typedef struct
{
  char   *type;          /* FIGHT THEFT MEDICAL FIRE LOST_PERSON SOS OTHER */
  double  lat;
  double  lng;
  char   *description;   /* nullable */
  char   *created_at;    /* offline: station time; NULL = now */
} FestIncidentInput;

void      fest_incident_input_clear   (FestIncidentInput *input);
/* Validates a POST /incidents body (or an incident.create op's payload). */
gboolean  fest_incident_input_parse   (JsonObject        *body,
                                       FestIncidentInput *input,
                                       GError           **error);
JsonNode *fest_incident_json_from_stmt (sqlite3_stmt     *stmt,
                                        int               first_column);

/* Writer thread: inserts the incident (reporter from @actor), audit, event "incident:new". */
JsonNode *fest_incidents_create       (FestWriteCtx            *ctx,
                                       const FestIncidentInput *input,
                                       const FestActor         *actor,
                                       GError                 **error);

/* Fills a demo festival with a few incidents around (@lat, @lng), one of them assigned to
 * @security_id (nullable), one resolved. Blocking; for --demo only. */
gboolean  fest_incidents_demo_populate (FestFestivalStore      *store,
                                        double                  lat,
                                        double                  lng,
                                        const char             *security_id,
                                        GError                **error);

G_END_DECLS
