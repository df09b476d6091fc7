/* fest-incidents.h: incidents as write jobs, shared by the incidents routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

typedef struct
{
  char   *type;          /* FIGHT THEFT MEDICAL FIRE LOST_PERSON SOS OTHER */
  double  lat;
  double  lng;
  char   *description;   /* nullable */
  char   *created_at;    /* offline: station time; NULL = now */
} FestIncidentInput;

/* What a PATCH /incidents/{id} changes. */
typedef struct
{
  char     *id;
  gboolean  set_assigned;
  char     *assigned_to;         /* NULL: unassign */
  char     *status;              /* nullable: unchanged */
  gboolean  set_notes;
  char     *resolution_notes;
  gboolean  set_abuse;
  gboolean  is_abuse;
} FestIncidentPatch;

/* FIGHT THEFT MEDICAL FIRE LOST_PERSON SOS OTHER */
gboolean  fest_incident_type_is_valid   (const char              *type);
/* OPEN ASSIGNED RESOLVED */
gboolean  fest_incident_status_is_valid (const char              *status);

void      fest_incident_input_clear     (FestIncidentInput       *input);
/* Validates a POST /incidents body (or an incident.create op's payload). */
gboolean  fest_incident_input_parse     (JsonObject              *body,
                                         FestIncidentInput       *input,
                                         GError                 **error);
void      fest_incident_patch_clear     (FestIncidentPatch       *patch);

/* Writer thread: inserts the incident (reporter from @actor), audit, event "incident:new". */
JsonNode *fest_incidents_create         (FestWriteCtx            *ctx,
                                         const FestIncidentInput *input,
                                         const FestActor         *actor,
                                         GError                 **error);
/* Writer thread: applies @patch (the status follows the assignment unless given), audit, events
 * "incident:assigned", "incident:resolved" or "incident:updated". */
JsonNode *fest_incidents_update         (FestWriteCtx            *ctx,
                                         const FestIncidentPatch *patch,
                                         const FestActor         *actor,
                                         GError                 **error);

G_END_DECLS
