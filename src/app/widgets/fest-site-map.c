/* fest-site-map.c: the festival's site plan with a position the user picks on it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <shumate/shumate.h>

#include "fest-map-controls.h"
#include "fest-site-map.h"

#define MIN_ZOOM     14
#define MAX_ZOOM     19
#define DEFAULT_ZOOM 17

struct _FestSiteMap
{
  GtkWidget           parent_instance;

  GtkWidget          *overlay;
  ShumateSimpleMap   *simple_map;
  ShumateMap         *map;
  ShumateViewport    *viewport;
  ShumateMapLayer    *tiles_layer;     /* nullable */
  ShumateMarkerLayer *stands_layer;
  ShumateMarkerLayer *marker_layer;
  ShumateMarker      *marker;
  GtkWidget          *crosshair;
  GtkWidget          *status;

  FestTileSource     *tile_source;     /* nullable */
  gulong              tile_done_id;
  guint               n_stands;
  char               *marker_title;    /* nullable: the incident position */
};

G_DEFINE_FINAL_TYPE (FestSiteMap, fest_site_map, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  PICKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static const char site_map_css[] =
  ".fest-site-map { background-color: #ecebe2; }\n"
  ".fest-site-map:focus-visible { outline: 3px solid @accent_color; outline-offset: -3px; }\n"
  ".fest-site-map-pin { color: #e01b24; -gtk-icon-shadow: 0 1px 2px rgba(0,0,0,0.6); }\n"
  ".fest-site-map-stand { border: 3px solid #1c71d8; border-radius: 9999px; min-width: 14px;"
  " min-height: 14px; box-shadow: 0 0 0 1px white, inset 0 0 0 1px white; }\n"
  ".fest-site-map-status { margin: 12px; }\n"
  ".fest-site-map-zoom { margin: 6px; }\n";

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
  gtk_css_provider_load_from_data (provider, site_map_css, -1);
  /* Below the application's own style.css, so that it can restyle the map. */
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION - 1);
}

static void
update_marker_label (FestSiteMap *self)
{
  double lat = shumate_location_get_latitude (SHUMATE_LOCATION (self->marker));
  double lng = shumate_location_get_longitude (SHUMATE_LOCATION (self->marker));
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;

  g_ascii_formatd (lat_text, sizeof lat_text, "%.5f", lat);
  g_ascii_formatd (lng_text, sizeof lng_text, "%.5f", lng);
  if (self->marker_title != NULL)
    /* Translators: a marker on the map (its title, e.g. "Festival location"); latitude,
     * longitude in degrees. */
    text = g_strdup_printf (_("%s: %s, %s"), self->marker_title, lat_text, lng_text);
  else
    /* Translators: the incident marker on the map; latitude, longitude in degrees. */
    text = g_strdup_printf (_("Incident position: %s, %s"), lat_text, lng_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->marker), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->marker), text);
}

static void
move_marker (FestSiteMap *self,
             double       latitude,
             double       longitude,
             gboolean     by_user)
{
  latitude = CLAMP (latitude, SHUMATE_MIN_LATITUDE, SHUMATE_MAX_LATITUDE);
  longitude = CLAMP (longitude, SHUMATE_MIN_LONGITUDE, SHUMATE_MAX_LONGITUDE);

  g_object_freeze_notify (G_OBJECT (self));
  if (latitude != shumate_location_get_latitude (SHUMATE_LOCATION (self->marker)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LATITUDE]);
  if (longitude != shumate_location_get_longitude (SHUMATE_LOCATION (self->marker)))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LONGITUDE]);
  shumate_location_set_location (SHUMATE_LOCATION (self->marker), latitude, longitude);
  update_marker_label (self);
  g_object_thaw_notify (G_OBJECT (self));

  if (by_user)
    g_signal_emit (self, signals[PICKED], 0);
}

static void
tile_done_cb (FestTileSource *source,
              gboolean        ok,
              gpointer        user_data)
{
  FestSiteMap *self = user_data;

  /* Only when nothing ever loaded: a few missing tiles at the edge of the plan are normal. */
  gtk_widget_set_visible (self->status, fest_tile_source_get_n_loaded (source) == 0 &&
                                        fest_tile_source_get_n_failed (source) > 0);
}

static void
click_released_cb (GtkGestureClick *gesture,
                   int              n_press,
                   double           x,
                   double           y,
                   gpointer         user_data)
{
  FestSiteMap *self = user_data;

  gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press == 1)
    fest_site_map_pick_at (self, x, y);
}

static void
focus_changed_cb (GtkEventControllerFocus *controller,
                  GParamSpec              *pspec,
                  gpointer                 user_data)
{
  FestSiteMap *self = user_data;

  gtk_widget_set_visible (self->crosshair, gtk_event_controller_focus_is_focus (controller));
}

static void
draw_crosshair (GtkDrawingArea *area,
                cairo_t        *cr,
                int             width,
                int             height,
                gpointer        user_data)
{
  double cx = width / 2.0, cy = height / 2.0;

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  for (guint pass = 0; pass < 2; pass++)
    {
      cairo_move_to (cr, cx - 14, cy);
      cairo_line_to (cr, cx - 4, cy);
      cairo_move_to (cr, cx + 4, cy);
      cairo_line_to (cr, cx + 14, cy);
      cairo_move_to (cr, cx, cy - 14);
      cairo_line_to (cr, cx, cy - 4);
      cairo_move_to (cr, cx, cy + 4);
      cairo_line_to (cr, cx, cy + 14);
      if (pass == 0)
        {
          cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
          cairo_set_line_width (cr, 5);
        }
      else
        {
          cairo_set_source_rgb (cr, 0.1, 0.1, 0.1);
          cairo_set_line_width (cr, 2);
        }
      cairo_stroke (cr);
    }
}

/* Actions */

static void
place_marker_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestSiteMap *self = FEST_SITE_MAP (widget);
  double lat, lng;

  fest_site_map_get_center (self, &lat, &lng);
  move_marker (self, lat, lng, TRUE);
}

/* Overrides */

static void
fest_site_map_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FestSiteMap *self = FEST_SITE_MAP (object);

  switch (prop_id)
    {
    case PROP_LATITUDE:
      g_value_set_double (value, shumate_location_get_latitude (SHUMATE_LOCATION (self->marker)));
      break;
    case PROP_LONGITUDE:
      g_value_set_double (value, shumate_location_get_longitude (SHUMATE_LOCATION (self->marker)));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_site_map_dispose (GObject *object)
{
  FestSiteMap *self = FEST_SITE_MAP (object);

  if (self->tile_source != NULL)
    g_clear_signal_handler (&self->tile_done_id, self->tile_source);
  g_clear_object (&self->tile_source);
  g_clear_pointer (&self->overlay, gtk_widget_unparent);
  g_clear_pointer (&self->marker_title, g_free);
  G_OBJECT_CLASS (fest_site_map_parent_class)->dispose (object);
}

static void
fest_site_map_class_init (FestSiteMapClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const guint place_keys[] = { GDK_KEY_Return, GDK_KEY_KP_Enter, GDK_KEY_ISO_Enter, GDK_KEY_space };

  object_class->get_property = fest_site_map_get_property;
  object_class->dispose = fest_site_map_dispose;

  properties[PROP_LATITUDE] =
    g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LONGITUDE] =
    g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PICKED] = g_signal_new ("picked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 0);

  fest_map_controls_install_actions (widget_class, "site-map");
  gtk_widget_class_install_action (widget_class, "site-map.place-marker", NULL, place_marker_action);
  for (guint i = 0; i < G_N_ELEMENTS (place_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, place_keys[i], 0, "site-map.place-marker", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "fest-site-map");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_site_map_init (FestSiteMap *self)
{
  GtkGesture *click;
  GtkEventController *focus;
  GtkWidget *pin;

  ensure_css ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "fest-site-map");
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Site map"),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  _("Arrow keys move the map, plus and minus zoom, Enter places the incident "
                                    "at the centre"),
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

  self->stands_layer = shumate_marker_layer_new_full (self->viewport, GTK_SELECTION_NONE);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->stands_layer));
  self->marker_layer = shumate_marker_layer_new_full (self->viewport, GTK_SELECTION_NONE);
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->marker_layer));

  /* A pin whose tip is the position: the marker centres its child, so the icon sits at the top of
   * a taller box (the glyph's tip is a few pixels above the icon's bottom edge). */
  self->marker = shumate_marker_new ();
  pin = gtk_image_new_from_icon_name ("mark-location-symbolic");
  gtk_image_set_pixel_size (GTK_IMAGE (pin), 40);
  gtk_widget_set_margin_bottom (pin, 26);
  gtk_widget_add_css_class (pin, "fest-site-map-pin");
  shumate_marker_set_child (self->marker, pin);
  shumate_marker_layer_add_marker (self->marker_layer, self->marker);
  update_marker_label (self);

  self->crosshair = gtk_drawing_area_new ();
  gtk_drawing_area_set_content_width (GTK_DRAWING_AREA (self->crosshair), 32);
  gtk_drawing_area_set_content_height (GTK_DRAWING_AREA (self->crosshair), 32);
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->crosshair), draw_crosshair, NULL, NULL);
  gtk_widget_set_halign (self->crosshair, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (self->crosshair, GTK_ALIGN_CENTER);
  gtk_widget_set_can_target (self->crosshair, FALSE);
  gtk_widget_set_visible (self->crosshair, FALSE);
  gtk_overlay_add_overlay (GTK_OVERLAY (self->overlay), self->crosshair);

  self->status = gtk_label_new (_("Site plan unavailable: the position is still recorded"));
  fest_map_controls_attach (GTK_WIDGET (self), "site-map", self->simple_map, GTK_OVERLAY (self->overlay),
                            self->status);

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect_object (click, "released", G_CALLBACK (click_released_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->map), GTK_EVENT_CONTROLLER (click));

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "notify::is-focus", G_CALLBACK (focus_changed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);
}

FestSiteMap *
fest_site_map_new (void)
{
  return g_object_new (FEST_TYPE_SITE_MAP, NULL);
}

void
fest_site_map_set_client (FestSiteMap *self,
                          FestClient  *client,
                          const char  *cache_key)
{
  g_autoptr(ShumateRasterRenderer) renderer = NULL;

  g_return_if_fail (FEST_IS_SITE_MAP (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  if (self->tile_source != NULL)
    g_clear_signal_handler (&self->tile_done_id, self->tile_source);
  g_clear_object (&self->tile_source);
  gtk_widget_set_visible (self->status, FALSE);
  /* libshumate 1.0 cannot take the map source away again (a NULL source makes a broken layer):
   * without a client the map keeps what it has, usually nothing. */
  if (client == NULL)
    {
      /* Placing a marker still needs the plan's projection: a reference source that no layer
       * draws, so nothing is ever fetched from its URL. */
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
                                               MIN_ZOOM, MAX_ZOOM, 256,
                                               SHUMATE_MAP_PROJECTION_MERCATOR,
                                               SHUMATE_DATA_SOURCE (self->tile_source));
  shumate_simple_map_set_map_source (self->simple_map, SHUMATE_MAP_SOURCE (renderer));
  /* The new tiles layer goes on top: put the markers back above it. */
  g_object_ref (self->stands_layer);
  g_object_ref (self->marker_layer);
  shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (self->stands_layer));
  shumate_simple_map_remove_overlay_layer (self->simple_map, SHUMATE_LAYER (self->marker_layer));
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->stands_layer));
  shumate_simple_map_add_overlay_layer (self->simple_map, SHUMATE_LAYER (self->marker_layer));
  g_object_unref (self->stands_layer);
  g_object_unref (self->marker_layer);
  /* The map source sets the viewport's zoom range from its own; keep ours. */
  shumate_viewport_set_min_zoom_level (self->viewport, MIN_ZOOM);
  shumate_viewport_set_max_zoom_level (self->viewport, MAX_ZOOM);
}

FestTileSource *
fest_site_map_get_tile_source (FestSiteMap *self)
{
  g_return_val_if_fail (FEST_IS_SITE_MAP (self), NULL);
  return self->tile_source;
}

void
fest_site_map_set_marker_title (FestSiteMap *self,
                                const char  *title,
                                const char  *description)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));

  g_free (self->marker_title);
  self->marker_title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
  update_marker_label (self);
}

void
fest_site_map_center_on (FestSiteMap *self,
                         double       latitude,
                         double       longitude)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));
  shumate_map_center_on (self->map, latitude, longitude);
}

void
fest_site_map_get_center (FestSiteMap *self,
                          double      *latitude,
                          double      *longitude)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));
  if (latitude != NULL)
    *latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->viewport));
  if (longitude != NULL)
    *longitude = shumate_location_get_longitude (SHUMATE_LOCATION (self->viewport));
}

double
fest_site_map_get_zoom (FestSiteMap *self)
{
  g_return_val_if_fail (FEST_IS_SITE_MAP (self), 0);
  return shumate_viewport_get_zoom_level (self->viewport);
}

void
fest_site_map_set_position (FestSiteMap *self,
                            double       latitude,
                            double       longitude)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));
  move_marker (self, latitude, longitude, FALSE);
}

void
fest_site_map_get_position (FestSiteMap *self,
                            double      *latitude,
                            double      *longitude)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));
  if (latitude != NULL)
    *latitude = shumate_location_get_latitude (SHUMATE_LOCATION (self->marker));
  if (longitude != NULL)
    *longitude = shumate_location_get_longitude (SHUMATE_LOCATION (self->marker));
}

void
fest_site_map_pick_at (FestSiteMap *self,
                       double       x,
                       double       y)
{
  double lat, lng;

  g_return_if_fail (FEST_IS_SITE_MAP (self));

  shumate_viewport_widget_coords_to_location (self->viewport, GTK_WIDGET (self->map), x, y, &lat, &lng);
  move_marker (self, lat, lng, TRUE);
}

void
fest_site_map_add_stand (FestSiteMap *self,
                         const char  *name,
                         double       latitude,
                         double       longitude)
{
  ShumateMarker *marker;
  GtkWidget *dot;

  g_return_if_fail (FEST_IS_SITE_MAP (self));
  g_return_if_fail (name != NULL);

  marker = shumate_marker_new ();
  dot = gtk_image_new ();
  gtk_widget_add_css_class (dot, "fest-site-map-stand");
  gtk_widget_set_can_target (dot, FALSE);
  shumate_marker_set_child (marker, dot);
  shumate_location_set_location (SHUMATE_LOCATION (marker), latitude, longitude);
  gtk_widget_set_tooltip_text (GTK_WIDGET (marker), name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (marker), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  shumate_marker_layer_add_marker (self->stands_layer, marker);
  self->n_stands++;
}

void
fest_site_map_clear_stands (FestSiteMap *self)
{
  g_return_if_fail (FEST_IS_SITE_MAP (self));
  shumate_marker_layer_remove_all (self->stands_layer);
  self->n_stands = 0;
}

guint
fest_site_map_get_n_stands (FestSiteMap *self)
{
  g_return_val_if_fail (FEST_IS_SITE_MAP (self), 0);
  return self->n_stands;
}
