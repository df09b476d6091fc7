/* fest-incident.h: one incident of the Incidents page, as the server last described it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FEST_TYPE_INCIDENT (fest_incident_get_type ())
G_DECLARE_FINAL_TYPE (FestIncident, fest_incident, FEST, INCIDENT, GObject)

/* Properties (read-only, notified on update): "id", "type", "status", "type-label",
 * "status-label", "description", "place", "assignee", "age" (e.g. "12 min ago", against
 * fest_incident_refresh_age()'s clock). NULL when @object has no id. */
FestIncident *fest_incident_new_from_json (JsonObject   *object);
/* Takes the server's newer object; TRUE when something shown changed. */
gboolean      fest_incident_update        (FestIncident *self,
                                           JsonObject   *object);
JsonObject   *fest_incident_get_json      (FestIncident *self);
const char   *fest_incident_get_id        (FestIncident *self);
const char   *fest_incident_get_type_name (FestIncident *self);
const char   *fest_incident_get_status    (FestIncident *self);
const char   *fest_incident_get_assigned_to (FestIncident *self);
const char   *fest_incident_get_description (FestIncident *self);
gboolean      fest_incident_get_is_abuse  (FestIncident *self);
/* FALSE for an incident without a position (a DUPLICATE_ENTRY at a gate the server could not
 * place): no marker on the map. */
gboolean      fest_incident_has_location  (FestIncident *self);
double        fest_incident_get_latitude  (FestIncident *self);
double        fest_incident_get_longitude (FestIncident *self);
/* Server time of creation, in µs since the epoch (0 when unknown). */
gint64        fest_incident_get_created   (FestIncident *self);
const char   *fest_incident_get_place     (FestIncident *self);
void          fest_incident_set_place     (FestIncident *self,
                                           const char   *place);
const char   *fest_incident_get_assignee  (FestIncident *self);
void          fest_incident_set_assignee  (FestIncident *self,
                                           const char   *assignee);
/* The "age" text against @now_us (µs since the epoch); notifies "age" when it changed. */
void          fest_incident_refresh_age   (FestIncident *self,
                                           gint64        now_us);
const char   *fest_incident_get_age       (FestIncident *self);
/* What the server's details say (a DUPLICATE_ENTRY: the ticket's holder and both scans, gate and
 * time), or NULL. */
char         *fest_incident_describe_details (FestIncident *self);
/* The gate of the second scan of a DUPLICATE_ENTRY, or NULL. */
const char   *fest_incident_get_gate      (FestIncident *self);
/* "Fight, open, near Main Stage, 12 min ago": the marker's tooltip and the row's name. */
char         *fest_incident_describe      (FestIncident *self);

/* "just now", "12 min ago", "3 h ago", "2 days ago". */
char         *fest_incident_format_age    (gint64        created_us,
                                           gint64        now_us);

G_END_DECLS
