/* fest-incidents-page.h: the Incidents page (operations room: map, list, assign, resolve)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-incident-map.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_INCIDENTS_PAGE (fest_incidents_page_get_type ())
G_DECLARE_FINAL_TYPE (FestIncidentsPage, fest_incidents_page, FEST, INCIDENTS_PAGE, FestPage)

/* The festival's incidents on the site plan (FestIncidentMap) and in a list beside it, newest
 * first, with status and type filters; selecting in either selects in both. Live through the
 * page's event stream (incident:new, incident:assigned, incident:resolved, incident:updated).
 *
 * Actions (group "incidents"): reload, new (a report at the map's centre),
 * assign "(ss)" (incident id, account id), resolve "(ss)" (id, notes), flag-abuse "s",
 * create-at "(dd)" (latitude, longitude: the "New incident here" dialog), and on the selected
 * incident: assign-selected (the member picked in the drop-down), resolve-selected (a notes
 * dialog), flag-abuse-selected (a confirmation).
 *
 * Properties: "attention-count" (guint, read-only): the open incidents, for the sidebar's badge;
 * "reconnecting" (gboolean, read-only): the server or the live updates are gone and the page
 * shows what it last loaded. */
GtkWidget       *fest_incidents_page_new            (FestClient        *client);
guint            fest_incidents_page_get_attention_count (FestIncidentsPage *self);
gboolean         fest_incidents_page_get_reconnecting (FestIncidentsPage *self);
/* Every incident loaded (FestIncident), newest first; the ones the filters let through. */
GListModel      *fest_incidents_page_get_incidents  (FestIncidentsPage *self);
GListModel      *fest_incidents_page_get_visible    (FestIncidentsPage *self);
FestIncidentMap *fest_incidents_page_get_map        (FestIncidentsPage *self);
/* The account ids of the SECURITY members in the assign drop-down, in its order. */
const char * const *fest_incidents_page_get_security_ids (FestIncidentsPage *self);
gboolean         fest_incidents_page_select         (FestIncidentsPage *self,
                                                     const char        *incident_id);
const char      *fest_incidents_page_get_selected_id (FestIncidentsPage *self);
/* NULL: every status (or type). */
void             fest_incidents_page_set_status_filter (FestIncidentsPage *self,
                                                        const char        *status);
void             fest_incidents_page_set_type_filter   (FestIncidentsPage *self,
                                                        const char        *type);
/* Replaces the incidents with @incidents (the server's objects, newest first), as a load does;
 * the page is interactive when it returns (benchmarks time it). */
void             fest_incidents_page_set_incidents  (FestIncidentsPage *self,
                                                     JsonArray         *incidents);
/* The dialog the page has open (resolve, abuse, new incident), or NULL. */
GtkWidget       *fest_incidents_page_get_dialog     (FestIncidentsPage *self);

G_END_DECLS
