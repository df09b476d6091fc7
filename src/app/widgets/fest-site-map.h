/* fest-site-map.h: the festival's site plan with a position the user picks on it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-tile-source.h"

G_BEGIN_DECLS

#define FEST_TYPE_SITE_MAP (fest_site_map_get_type ())
G_DECLARE_FINAL_TYPE (FestSiteMap, fest_site_map, FEST, SITE_MAP, GtkWidget)

/* A libshumate map over the festival's site plan served by our server (GET /tiles/...), a
 * "picked position" marker and optional stand markers. Clicking or tapping the map moves the
 * marker there; from the keyboard, arrow keys pan, + and - zoom, Enter (or Space) puts the marker
 * at the centre (a crosshair shows it while the map has the focus). Without tiles (offline, no
 * site plan) the map stays blank and the markers still work.
 *
 * Actions: site-map.pan "(ii)" (steps right, down), site-map.zoom-in, site-map.zoom-out,
 * site-map.place-marker.
 * Signals: "picked" () after the user moved the marker (not after fest_site_map_set_position()).
 * Properties: "latitude", "longitude" (read-only, of the marker). */
FestSiteMap    *fest_site_map_new             (void);
/* Tiles through @client (its session, base URL and token); @cache_key (nullable, e.g. the
 * festival id) keeps them on disk for offline use. NULL @client: no tiles (call it once). */
void            fest_site_map_set_client      (FestSiteMap *self,
                                               FestClient  *client,
                                               const char  *cache_key);
FestTileSource *fest_site_map_get_tile_source (FestSiteMap *self);
/* What the marker stands for, when it is not an incident ("Festival location"), and the map's
 * accessible description (how to place it). */
void            fest_site_map_set_marker_title (FestSiteMap *self,
                                                const char  *title,
                                                const char  *description);
void            fest_site_map_center_on       (FestSiteMap *self,
                                               double       latitude,
                                               double       longitude);
void            fest_site_map_get_center      (FestSiteMap *self,
                                               double      *latitude,
                                               double      *longitude);
double          fest_site_map_get_zoom        (FestSiteMap *self);
/* Moves the marker without emitting "picked". */
void            fest_site_map_set_position    (FestSiteMap *self,
                                               double       latitude,
                                               double       longitude);
void            fest_site_map_get_position    (FestSiteMap *self,
                                               double      *latitude,
                                               double      *longitude);
/* As a click at (@x, @y) in the map's coordinates: moves the marker there, emits "picked". */
void            fest_site_map_pick_at         (FestSiteMap *self,
                                               double       x,
                                               double       y);
void            fest_site_map_add_stand       (FestSiteMap *self,
                                               const char  *name,
                                               double       latitude,
                                               double       longitude);
void            fest_site_map_clear_stands    (FestSiteMap *self);
guint           fest_site_map_get_n_stands    (FestSiteMap *self);

G_END_DECLS
