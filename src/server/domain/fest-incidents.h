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

/* What a PATCH /incidents/{id} (or an incident.update op of /sync) changes. */
typedef struct
{
  char     *id;
  /* A SECURITY member who is not a lead (nor an organiser): the incident must be assigned to
   * this account (NULL: a device token, which is assigned nothing), else NOT_FOUND when the
   * caller cannot see it (neither assigned nor reported by them) and FORBIDDEN otherwise. The
   * routes refuse what such a member may not change (assigned_to, is_abuse, a status but RESOLVED). */
  gboolean  restricted;
  char     *restricted_account;
  char     *restricted_device;
  /* incident.update from /sync: resolving an incident already RESOLVED changes nothing (the first
   * resolution stands) and is still "applied". */
  gboolean  resolve_once;
  char     *station_time;        /* incident.update: the op's created_at, nullable (only checked) */
  gboolean  set_assigned;
  char     *assigned_to;         /* NULL: unassign */
  char     *status;              /* nullable: unchanged */
  gboolean  set_notes;
  char     *resolution_notes;
  gboolean  set_abuse;
  gboolean  is_abuse;
} FestIncidentPatch;

/* One scan of a DUPLICATE_ENTRY: {gate, scanned_at, device_id}. */
typedef struct
{
  const char *scan_id;
  const char *gate;
  const char *scanned_at;
  const char *device_id;         /* nullable */
} FestIncidentScan;

/* FIGHT THEFT MEDICAL FIRE LOST_PERSON SOS OTHER DUPLICATE_ENTRY (the last raised by the server
 * only: POST /incidents refuses it) */
gboolean  fest_incident_type_is_valid   (const char              *type);
/* OPEN ASSIGNED RESOLVED */
gboolean  fest_incident_status_is_valid (const char              *status);

void      fest_incident_input_clear     (FestIncidentInput       *input);
/* Validates a POST /incidents body (or an incident.create op's payload). */
gboolean  fest_incident_input_parse     (JsonObject              *body,
                                         FestIncidentInput       *input,
                                         GError                 **error);
void      fest_incident_patch_clear     (FestIncidentPatch       *patch);
/* Validates a PATCH /incidents/{id} body (or an incident.update op's payload) into @patch (its
 * id is the caller's): assigned_to (UUID or null), status, resolution_notes (≤ 4000 characters or
 * null), is_abuse. Without @can_assign (a SECURITY member who is not a lead) only status RESOLVED
 * and resolution_notes are allowed: assigned_to, is_abuse or another status is FORBIDDEN. Whether
 * assigned_to is a SECURITY member is the caller's check (it needs the platform store). */
gboolean  fest_incident_patch_parse     (JsonObject              *body,
                                         gboolean                 can_assign,
                                         FestIncidentPatch       *patch,
                                         GError                 **error);

/* Writer thread: inserts the incident (reporter from @actor), audit, event "incident:new". */
JsonNode *fest_incidents_create         (FestWriteCtx            *ctx,
                                         const FestIncidentInput *input,
                                         const FestActor         *actor,
                                         GError                 **error);
/* Writer thread: the incident DUPLICATE_ENTRY for @second, a second entry of @ticket_id after
 * @first, unless one was raised for @second already (then *@incident stays NULL). Details:
 * {ticket_id, holder_name, first: {gate, scanned_at, device_id}, second: {…}}; the position is the
 * second gate's (a known gate with a position), else the festival's site centre, else none
 * (location null). Reporter: none (the server); audit "incident.create"; event "incident:new". */
gboolean  fest_incidents_raise_duplicate_entry (FestWriteCtx           *ctx,
                                                const char             *ticket_id,
                                                const char             *holder_name,
                                                const FestIncidentScan *first,
                                                const FestIncidentScan *second,
                                                const FestActor        *actor,
                                                JsonNode              **incident,
                                                GError                **error);
/* Writer thread: applies @patch (the status follows the assignment unless given), audit, events
 * "incident:assigned", "incident:resolved" or "incident:updated". */
JsonNode *fest_incidents_update         (FestWriteCtx            *ctx,
                                         const FestIncidentPatch *patch,
                                         const FestActor         *actor,
                                         GError                 **error);

G_END_DECLS
