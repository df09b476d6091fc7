/* fest-incident-map.c: the site plan with every incident, and the stands, stages and gates
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <shumate/shumate.h>

#include "fest-incident-layer.h"
#include "fest-incident-map.h"
#include "fest-map-controls.h"

#define MIN_ZOOM     14
#define MAX_ZOOM     19
#define DEFAULT_ZOOM 17

struct _FestIncidentMap
{
  GtkWidget           parent_instance;

  GtkWidget          *overlay;
  ShumateSimpleMap   *simple_map;
  ShumateMap         *map;
  ShumateViewport    *viewport;
  ShumateMarkerLayer *places_layer;
  FestIncidentLayer  *incident_layer;
  GtkWidget          *status;

  FestTileSource     *tile_source;     /* nullable */
  gulong              tile_done_id;
  guint               n_places;
};

G_DEFINE_FINAL_TYPE (FestIncidentMap, fest_incident_map, GTK_TYPE_WIDGET)

enum
{
  INCIDENT_ACTIVATED,
  CREATE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char incident_map_css[] =
  "@define-color fest_incident_open #e01b24;\n"
  "@define-color fest_incident_assigned #ff7800;\n"
  "@define-color fest_incident_resolved #9a9996;\n"
  ".fest-incident-map { background-color: #ecebe2; }\n"
  ".fest-incident-map:focus-visible { outline: 3px solid @accent_color; outline-offset: -3px; }\n"
  ".fest-incident-map-place { font-size: smaller; font-weight: bold; color: #241f31;"
  " text-shadow: 0 0 2px white, 0 0 2px white; }\n"
  ".fest-incident-map-dot { border-radius: 9999px; min-width: 10px; min-height: 10px;"
  " box-shadow: 0 0 0 2px white; background-color: #1c71d8; }\n"
  ".fest-incident-map-dot.stage { background-color: #813d9c; }\n"
  ".fest-incident-map-dot.gate { background-color: #26a269; }\n"
  ".fest-incident-map-status { margin: 12px; }\n"
  ".fest-incident-map-zoom { margin: 6px; }\n";

static void
ensure_css (void)
{
  static gboolean done;
  g_autoptr(GtkCssProvider) provider = NULL;
  GdkDisplay *display = gdk_display_get_default ();

  if (done || display == NULL)
    return;
  done = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_data (provider, incident_map_css, -1);
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
}

static void
tile_done_cb (FestTileSource *source,
              gboolean        ok,
              gpointer        user_data)
{
  FestIncidentMap *self = user_data;

  gtk_widget_set_visible (self->status, fest_tile_source_get_n_loaded (source) == 0 &&
                                        fest_tile_source_get_n_failed (source) > 0);
}

/* Gestures: coordinates are the ShumateMap's, the same as the layers'. */

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   gpointer         user_data)
{
  FestIncidentMap *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 1)
    fest_incident_map_click_at (self, x, y);
}

static void
secondary_pressed_cb (GtkGestureClick *gesture,
                      int              n_press,
                      double           x,
                      double           y,
                      gpointer         user_data)
{
  FestIncidentMap *self = user_data;

  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  fest_incident_map_secondary_click_at (self, x, y);
}

static void
long_pressed_cb (GtkGestureLongPress *gesture,
                 double               x,
                 double               y,
                 gpointer             user_data)
{
  fest_incident_map_secondary_click_at (user_data, x, y);
}

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  gpointer    user_data)
{
  FestIncidentMap *self = user_data;
  const char *id;
  const char *label;
  graphene_point_t point;

  if (keyboard_mode)
    return FALSE;
  if (!gtk_widget_compute_point (widget, GTK_WIDGET (self->incident_layer), &GRAPHENE_POINT_INIT (x, y), &point))
    return FALSE;
  id = fest_incident_layer_find_at (self->incident_layer, point.x, point.y);
  label = fest_incident_layer_get_label (self->incident_layer, id);
  if (label == NULL)
    return FALSE;
  gtk_tooltip_set_text (tooltip, label);
  return TRUE;
}

/* Actions */

static void
create_at_center_action (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  FestIncidentMap *self = FEST_INCIDENT_MAP (widget);
  double lat, lng;

  fest_incident_map_get_center (self, &lat, &lng);
  g_signal_emit (self, signals[CREATE_REQUESTED], 0, lat, lng);
}

/* Overrides */

static void
fest_incident_map_dispose (GObject *object)
{
  FestIncidentMap *self = FEST_INCIDENT_MAP (object);

  if (self->tile_source != NULL)
    g_clear_signal_handler (&self->tile_done_id, self->tile_source);
  g_clear_object (&self->tile_source);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  G_OBJECT_CLASS (fest_incident_map_parent_class)->dispose (object);
}

static void
fest_incident_map_class_init (FestIncidentMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_incident_map_dispose;

  signals[INCIDENT_ACTIVATED] = g_signal_new ("incident-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                              0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CREATE_REQUESTED] = g_signal_new ("create-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  fest_map_controls_install_actions (widget_class, "incident-map");
  gtk_widget_class_install_action (widget_class, "incident-map.create-at-center", NULL, create_at_center_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Menu, 0, "incident-map.create-at-center", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F10, GDK_SHIFT_MASK,
                                       "incident-map.create-at-center", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fest-incident-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_incident_map_init (FestIncidentMap *self)
{
  GtkGesture *click, *secondary, *long_press;

  ensure_css ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "fest-incident-map");
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Incident map"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Arrow keys move the map, plus and minus zoom, the Menu key reports a new "
                                    "incident at the centre"),
                                  -1);

  self->overlay = gtk_overlay_new ();
  gtk_widget_set_parent (self->overlay, GTK_WIDGET (self));

  self->simple_map = shumate_simple_map_new ();
  self->map = shumate_simple_map_get_map (self->simple_map);
  self->viewport = shumate_simple_map_get_viewport (self->simple_map);
  gtk_widget_set_focusable (GTK_WIDGET (self->map), FALSE);
  shumate_viewport_set_min_zoom_level (self->viewport, MIN_ZOOM);
  shumate_viewport_set_max_zoom_level (self->viewport, MAX_ZOOM);
  shumate_viewport_set_zoom_level (self->viewport, DEFAULT_ZOOM);
  shumate_map_set_animate_zoom (self->map, FALSE);
  gtk_overlay_set_child (GTK_OVERLAY (self->overlay), GTK_WIDGET (self->simple_map));

  self->places_layer = shumate_marker_layer_new_full (self->viewport, GTK_SELECTION_NONE);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->places_layer));
  self->incident_layer = fest_incident_layer_new (self->viewport);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->incident_layer));

  self->status = gtk_label_new (_("Site plan unavailable: the incidents are still placed"));
  fest_map_controls_attach (GTK_WIDGET (self), "incident-map", self->simple_map, GTK_OVERLAY (self->overlay),
                            self->status);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  secondary = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (secondary), GDK_BUTTON_SECONDARY);
  g_signal_connect_object (secondary, "pressed", G_CALLBACK (secondary_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (secondary));

  long_press = gtk_gesture_long_press_new ();
  gtk_gesture_single_set_touch_only (GTK_GESTURE_SINGLE (long_press), TRUE);
  g_signal_connect_object (long_press, "pressed", G_CALLBACK (long_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (long_press));

  gtk_widget_set_has_tooltip (GTK_WIDGET (self->map), TRUE);
  g_signal_connect_object (self->map, "query-tooltip", G_CALLBACK (query_tooltip_cb), self, 0);
}

FestIncidentMap *
fest_incident_map_new (void)
{
  return g_object_new (FEST_TYPE_INCIDENT_MAP, NULL);
}

static void
raise_overlay_layers (FestIncidentMap *self)
{
  g_object_ref (self->places_layer);
  g_object_ref (self->incident_layer);
  shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (self->places_layer));
  shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (self->incident_layer));
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->places_layer));
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->incident_layer));
  g_object_unref (self->places_layer);
  g_object_unref (self->incident_layer);
}

void
fest_incident_map_set_client (FestIncidentMap *self,
                              FestClient      *client,
                              const char      *cache_key)
{
  g_autoptr(ShumateRasterRenderer) renderer = NULL;

  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  if (self->tile_source != NULL)
    g_clear_signal_handler (&self->tile_done_id, self->tile_source);
  g_clear_object (&self->tile_source);
  gtk_widget_set_visible (self->status, FALSE);

  if (client == NULL)
    {
      /* The markers still need the plan's projection: a reference source no layer draws. */
      if (shumate_viewport_get_reference_map_source (self->viewport) == NULL)
        {
          renderer = shumate_raster_renderer_new_full_from_url ("festivals-no-plan", _("Festival site plan"),
                                                                NULL, NULL, MIN_ZOOM, MAX_ZOOM, 256,
                                                                SHUMATE_MAP_PROJECTION_MERCATOR,
                                                                "https://site-plan.invalid/{z}/{x}/{y}.png");
          shumate_viewport_set_reference_map_source (self->viewport, SHUMATE_MAP_SOURCE (renderer));
        }
      return;
    }

  self->tile_source = fest_tile_source_new (client, cache_key);
  self->tile_done_id = g_signal_connect (self->tile_source, "tile-done", G_CALLBACK (tile_done_cb), self);
  renderer = shumate_raster_renderer_new_full ("festivals-site-plan", _("Festival site plan"), NULL, NULL,
                                               MIN_ZOOM, MAX_ZOOM, 256, SHUMATE_MAP_PROJECTION_MERCATOR,
                                               SHUMATE_DATA_SOURCE (self->tile_source));
  shumate_simple_map_set_map_source (self->simple_map, SHUMATE_MAP_SOURCE (renderer));
  raise_overlay_layers (self);
  shumate_viewport_set_min_zoom_level (self->viewport, MIN_ZOOM);
  shumate_viewport_set_max_zoom_level (self->viewport, MAX_ZOOM);
}

FestTileSource *
fest_incident_map_get_tile_source (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), NULL);
  return self->tile_source;
}

void
fest_incident_map_set_incident (FestIncidentMap *self,
                                const char      *id,
                                const char      *type,
                                const char      *status,
                                double           latitude,
                                double           longitude,
                                const char      *label)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  fest_incident_layer_set (self->incident_layer, id, type, status, latitude, longitude, label);
}

gboolean
fest_incident_map_remove_incident (FestIncidentMap *self,
                                   const char      *id)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), FALSE);
  return fest_incident_layer_remove (self->incident_layer, id);
}

void
fest_incident_map_set_incident_visible (FestIncidentMap *self,
                                        const char      *id,
                                        gboolean         visible)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  fest_incident_layer_set_visible_id (self->incident_layer, id, visible);
}

void
fest_incident_map_clear_incidents (FestIncidentMap *self)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  fest_incident_layer_clear (self->incident_layer);
}

guint
fest_incident_map_get_n_shown (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), 0);
  return fest_incident_layer_get_n_visible (self->incident_layer);
}

guint
fest_incident_map_get_n_incidents (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), 0);
  return fest_incident_layer_get_n_markers (self->incident_layer);
}

gboolean
fest_incident_map_lookup (FestIncidentMap *self,
                          const char      *id,
                          const char     **type,
                          const char     **status,
                          double          *latitude,
                          double          *longitude,
                          gboolean        *shown)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), FALSE);
  return fest_incident_layer_lookup (self->incident_layer, id, type, status, latitude, longitude, shown);
}

void
fest_incident_map_select (FestIncidentMap *self,
                          const char      *id,
                          gboolean         center)
{
  double lat, lng;

  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));

  fest_incident_layer_set_selected (self->incident_layer, id);
  if (center && fest_incident_layer_lookup (self->incident_layer, id, NULL, NULL, &lat, &lng, NULL))
    shumate_map_center_on (self->map, lat, lng);
}

const char *
fest_incident_map_get_selected (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), NULL);
  return fest_incident_layer_get_selected (self->incident_layer);
}

gboolean
fest_incident_map_get_marker_point (FestIncidentMap *self,
                                    const char      *id,
                                    double          *x,
                                    double          *y)
{
  double lat, lng;

  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), FALSE);

  if (!fest_incident_layer_lookup (self->incident_layer, id, NULL, NULL, &lat, &lng, NULL))
    return FALSE;
  shumate_viewport_location_to_widget_coords (self->viewport, GTK_WIDGET (self->map), lat, lng, x, y);
  return TRUE;
}

const char *
fest_incident_map_click_at (FestIncidentMap *self,
                            double           x,
                            double           y)
{
  const char *id;

  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), NULL);

  /* The layer fills the map: the same coordinates. */
  id = fest_incident_layer_find_at (self->incident_layer, x, y);
  if (id != NULL)
    {
      g_autofree char *copy = g_strdup (id);

      fest_incident_layer_set_selected (self->incident_layer, copy);
      g_signal_emit (self, signals[INCIDENT_ACTIVATED], 0, copy);
    }
  return id;
}

void
fest_incident_map_secondary_click_at (FestIncidentMap *self,
                                      double           x,
                                      double           y)
{
  double lat, lng;

  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));

  shumate_viewport_widget_coords_to_location (self->viewport, GTK_WIDGET (self->map), x, y, &lat, &lng);
  g_signal_emit (self, signals[CREATE_REQUESTED], 0, lat, lng);
}

void
fest_incident_map_add_place (FestIncidentMap *self,
                             const char      *kind,
                             const char      *name,
                             double           latitude,
                             double           longitude)
{
  ShumateMarker *marker;
  GtkWidget *box, *dot, *label;

  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  g_return_if_fail (name != NULL);

  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  dot = gtk_image_new ();
  gtk_widget_add_css_class (dot, "fest-incident-map-dot");
  if (kind != NULL)
    gtk_widget_add_css_class (dot, kind);
  gtk_widget_set_halign (dot, GTK_ALIGN_CENTER);
  label = gtk_label_new (name);
  gtk_widget_add_css_class (label, "fest-incident-map-place");
  /* The dot is the position: the name hangs below it, balanced by an empty line above. */
  gtk_widget_set_margin_top (dot, 16);
  gtk_box_append (GTK_BOX (box), dot);
  gtk_box_append (GTK_BOX (box), label);
  gtk_widget_set_can_target (box, FALSE);

  marker = shumate_marker_new ();
  shumate_marker_set_child (marker, box);
  shumate_location_set_location (SHUMATE_LOCATION (marker), latitude, longitude);
  gtk_accessible_update_property (GTK_ACCESSIBLE (marker), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  shumate_marker_layer_add_marker (self->places_layer, marker);
  self->n_places++;
}

void
fest_incident_map_clear_places (FestIncidentMap *self)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  shumate_marker_layer_remove_all (self->places_layer);
  self->n_places = 0;
}

guint
fest_incident_map_get_n_places (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), 0);
  return self->n_places;
}

void
fest_incident_map_center_on (FestIncidentMap *self,
                             double           latitude,
                             double           longitude)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  shumate_map_center_on (self->map, latitude, longitude);
}

void
fest_incident_map_get_center (FestIncidentMap *self,
                              double          *latitude,
                              double          *longitude)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  if (latitude != NULL)
    *latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  if (longitude != NULL)
    *longitude = shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport));
}

double
fest_incident_map_get_zoom (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), 0);
  return shumate_viewport_get_zoom_level (self->viewport);
}

void
fest_incident_map_set_zoom (FestIncidentMap *self,
                            double           zoom)
{
  g_return_if_fail (FEST_IS_INCIDENT_MAP (self));
  shumate_viewport_set_zoom_level (self->viewport, zoom);
}

GtkWidget *
fest_incident_map_get_incident_layer (FestIncidentMap *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_MAP (self), NULL);
  return GTK_WIDGET (self->incident_layer);
}
