/* fest-incident-layer.h: incident markers drawn in one libshumate layer
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <shumate/shumate.h>

G_BEGIN_DECLS

#define FEST_TYPE_INCIDENT_LAYER (fest_incident_layer_get_type ())
G_DECLARE_FINAL_TYPE (FestIncidentLayer, fest_incident_layer, FEST, INCIDENT_LAYER, ShumateLayer)

/* Thousands of incidents as one layer that draws every marker in its snapshot (a disc coloured
 * per status with the symbolic icon of the type), rather than a ShumateMarker widget each:
 * adding 2,000 markers and redrawing them while the map pans stays cheap. The colours are the
 * named CSS colours fest_incident_open, fest_incident_assigned and fest_incident_resolved
 * (@define-color in the style sheet). Not targetable: the map that holds it asks
 * fest_incident_layer_find_at() where a click landed. */
FestIncidentLayer *fest_incident_layer_new            (ShumateViewport   *viewport);
/* Adds or updates the marker of incident @id. */
void               fest_incident_layer_set            (FestIncidentLayer *self,
                                                       const char        *id,
                                                       const char        *type,
                                                       const char        *status,
                                                       double             latitude,
                                                       double             longitude,
                                                       const char        *label);
gboolean           fest_incident_layer_remove         (FestIncidentLayer *self,
                                                       const char        *id);
void               fest_incident_layer_set_visible_id (FestIncidentLayer *self,
                                                       const char        *id,
                                                       gboolean           visible);
void               fest_incident_layer_clear          (FestIncidentLayer *self);
/* Markers shown (not hidden by fest_incident_layer_set_visible_id()). */
guint              fest_incident_layer_get_n_visible  (FestIncidentLayer *self);
guint              fest_incident_layer_get_n_markers  (FestIncidentLayer *self);
gboolean           fest_incident_layer_lookup         (FestIncidentLayer *self,
                                                       const char        *id,
                                                       const char       **type,
                                                       const char       **status,
                                                       double            *latitude,
                                                       double            *longitude,
                                                       gboolean          *visible);
const char        *fest_incident_layer_get_label      (FestIncidentLayer *self,
                                                       const char        *id);
/* The id of the topmost visible marker under (@x, @y) in the layer's coordinates, or NULL. */
const char        *fest_incident_layer_find_at        (FestIncidentLayer *self,
                                                       double             x,
                                                       double             y);
void               fest_incident_layer_set_selected   (FestIncidentLayer *self,
                                                       const char        *id);
const char        *fest_incident_layer_get_selected   (FestIncidentLayer *self);
/* Markers drawn by the last snapshot (inside the layer's bounds). */
guint              fest_incident_layer_get_n_drawn    (FestIncidentLayer *self);

G_END_DECLS
