/* fest-incident-map.h: the site plan with every incident, and the stands, stages and gates
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-incident-kinds.h"
#include "fest-tile-source.h"

G_BEGIN_DECLS

#define FEST_TYPE_INCIDENT_MAP (fest_incident_map_get_type ())
G_DECLARE_FINAL_TYPE (FestIncidentMap, fest_incident_map, FEST, INCIDENT_MAP, GtkWidget)

/* A libshumate map of the festival's site plan (our server's tiles through FestTileSource and
 * its disk cache) with two layers over it: the places (stands, stages, gates: a dot and a small
 * name each) and the incidents (FestIncidentLayer: a disc per incident, colour per status, icon
 * per type; the selected one ringed and on top).
 *
 * Clicking a marker emits "incident-activated" (const char *id); a secondary click or a long
 * press emits "create-requested" (double latitude, double longitude) for that point. From the
 * keyboard: arrows pan, + and - zoom, the Menu key or Shift+F10 asks to create at the centre.
 * Actions: incident-map.pan "(ii)", incident-map.zoom-in, incident-map.zoom-out,
 * incident-map.create-at-center. */
FestIncidentMap *fest_incident_map_new              (void);
/* Tiles through @client; @cache_key (nullable, the festival id) keeps them on disk for offline
 * use. NULL @client: no tiles, the markers still work. */
void             fest_incident_map_set_client       (FestIncidentMap *self,
                                                     FestClient      *client,
                                                     const char      *cache_key);
FestTileSource  *fest_incident_map_get_tile_source  (FestIncidentMap *self);

/* Adds or updates incident @id's marker; @label is its tooltip ("Fight, open, 12 min ago"). */
void             fest_incident_map_set_incident     (FestIncidentMap *self,
                                                     const char      *id,
                                                     const char      *type,
                                                     const char      *status,
                                                     double           latitude,
                                                     double           longitude,
                                                     const char      *label);
gboolean         fest_incident_map_remove_incident  (FestIncidentMap *self,
                                                     const char      *id);
/* Hides a marker the list's filters leave out, without forgetting it. */
void             fest_incident_map_set_incident_visible (FestIncidentMap *self,
                                                         const char      *id,
                                                         gboolean         visible);
void             fest_incident_map_clear_incidents  (FestIncidentMap *self);
/* Markers shown; all markers, hidden ones included. */
guint            fest_incident_map_get_n_shown      (FestIncidentMap *self);
guint            fest_incident_map_get_n_incidents  (FestIncidentMap *self);
/* FALSE when there is no marker for @id; out arguments nullable, strings borrowed. */
gboolean         fest_incident_map_lookup           (FestIncidentMap *self,
                                                     const char      *id,
                                                     const char     **type,
                                                     const char     **status,
                                                     double          *latitude,
                                                     double          *longitude,
                                                     gboolean        *shown);
/* Rings @id's marker (NULL: none) and, with @center, centres the map on it. */
void             fest_incident_map_select           (FestIncidentMap *self,
                                                     const char      *id,
                                                     gboolean         center);
const char      *fest_incident_map_get_selected     (FestIncidentMap *self);
/* Where @id's marker is, in the map widget's coordinates; FALSE without such a marker. */
gboolean         fest_incident_map_get_marker_point (FestIncidentMap *self,
                                                     const char      *id,
                                                     double          *x,
                                                     double          *y);
/* As a click at (@x, @y): emits "incident-activated" when a marker is there; returns its id. */
const char      *fest_incident_map_click_at         (FestIncidentMap *self,
                                                     double           x,
                                                     double           y);
/* As a secondary click at (@x, @y): emits "create-requested". */
void             fest_incident_map_secondary_click_at (FestIncidentMap *self,
                                                       double           x,
                                                       double           y);

/* @kind: "stand", "stage" or "gate" (its dot's colour). */
void             fest_incident_map_add_place        (FestIncidentMap *self,
                                                     const char      *kind,
                                                     const char      *name,
                                                     double           latitude,
                                                     double           longitude);
void             fest_incident_map_clear_places     (FestIncidentMap *self);
guint            fest_incident_map_get_n_places     (FestIncidentMap *self);

void             fest_incident_map_center_on        (FestIncidentMap *self,
                                                     double           latitude,
                                                     double           longitude);
void             fest_incident_map_get_center       (FestIncidentMap *self,
                                                     double          *latitude,
                                                     double          *longitude);
double           fest_incident_map_get_zoom         (FestIncidentMap *self);
void             fest_incident_map_set_zoom         (FestIncidentMap *self,
                                                     double           zoom);
/* The incident layer's widget (benchmarks and tests: what it drew). */
GtkWidget       *fest_incident_map_get_incident_layer (FestIncidentMap *self);

G_END_DECLS
