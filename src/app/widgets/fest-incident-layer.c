/* fest-incident-layer.c: incident markers drawn in one libshumate layer
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each (type, status) pair is drawn once into a texture (a white-rimmed disc of the status colour
 * with the type's symbolic icon in white) by the window's renderer; a frame then appends one
 * texture node per marker inside the layer's bounds. The selected marker is drawn last, larger,
 * with a dark ring.
 */

#include "config.h"

#include <math.h>

#include "fest-incident-kinds.h"
#include "fest-incident-layer.h"

#define DIAMETER      26.0
#define ICON_SIZE     16
#define SELECTED_SIZE 34.0
#define HIT_RADIUS    15.0
#define N_TYPES       8
#define N_STATUSES    3

typedef struct
{
  char    *id;
  char    *label;
  double   latitude;
  double   longitude;
  double   world_x;    /* Web Mercator, 0..1 across the world */
  double   world_y;
  guint8   type;
  guint8   status;
  gboolean visible;
} Marker;

struct _FestIncidentLayer
{
  ShumateLayer  parent_instance;

  GPtrArray    *markers;       /* Marker*, in drawing order */
  GHashTable   *by_id;         /* id → Marker* (borrowed) */
  Marker       *selected;      /* nullable, borrowed */
  guint         n_visible;
  guint         n_drawn;

  GdkTexture   *textures[N_TYPES][N_STATUSES];
  GdkTexture   *selected_texture;
  /* The same images as cairo surfaces: a frame paints every marker in one cairo node. */
  cairo_surface_t *surfaces[N_TYPES][N_STATUSES];
  int           texture_scale;
};

G_DEFINE_FINAL_TYPE (FestIncidentLayer, fest_incident_layer, SHUMATE_TYPE_LAYER)

G_STATIC_ASSERT (N_TYPES == 8);

static void
project (double  latitude,
         double  longitude,
         double *x,
         double *y)
{
  double phi = latitude * G_PI / 180.0;

  *x = (longitude + 180.0) / 360.0;
  *y = (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0;
}

static void
marker_free (gpointer data)
{
  Marker *marker = data;

  g_free (marker->id);
  g_free (marker->label);
  g_free (marker);
}

static void
clear_textures (FestIncidentLayer *self)
{
  for (guint t = 0; t < N_TYPES; t++)
    for (guint s = 0; s < N_STATUSES; s++)
      {
        g_clear_object (&self->textures[t][s]);
        g_clear_pointer (&self->surfaces[t][s], cairo_surface_destroy);
      }
  g_clear_object (&self->selected_texture);
}

static void
status_color (GtkWidget *widget,
              guint      status,
              GdkRGBA   *color)
{
  static const char * const names[] = {
    "fest_incident_open", "fest_incident_assigned", "fest_incident_resolved",
  };
  static const char * const fallbacks[] = { "#e01b24", "#ff7800", "#9a9996" };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), names[status], color))
    gdk_rgba_parse (color, fallbacks[status]);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
append_disc (GtkSnapshot   *snapshot,
             double         x,
             double         y,
             double         size,
             const GdkRGBA *color)
{
  GskRoundedRect disc;

  gsk_rounded_rect_init_from_rect (&disc, &GRAPHENE_RECT_INIT (x, y, size, size), size / 2);
  gtk_snapshot_push_rounded_clip (snapshot, &disc);
  gtk_snapshot_append_color (snapshot, color, &disc.bounds);
  gtk_snapshot_pop (snapshot);
}

static GdkTexture *
render_texture (FestIncidentLayer *self,
                GskRenderNode     *node,
                double             size)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GskRenderer *renderer = native != NULL ? gtk_native_get_renderer (native) : NULL;
  int scale = self->texture_scale;

  if (renderer == NULL || node == NULL)
    return NULL;
  return gsk_renderer_render_texture (renderer, node,
                                      &GRAPHENE_RECT_INIT (0, 0, ceil (size * scale), ceil (size * scale)));
}

static GdkTexture *
render_marker (FestIncidentLayer *self,
               guint              type,
               guint              status)
{
  GtkWidget *widget = GTK_WIDGET (self);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GtkIconPaintable) icon = NULL;
  GdkRGBA white = { 1, 1, 1, 1 }, shade = { 0, 0, 0, 0.35 }, color;
  GdkRGBA icon_colors[4] = { white, white, white, white };
  int scale = self->texture_scale;

  status_color (widget, status, &color);
  gtk_snapshot_scale (snapshot, scale, scale);
  append_disc (snapshot, 0, 0, DIAMETER, &shade);
  append_disc (snapshot, 1, 1, DIAMETER - 2, &white);
  append_disc (snapshot, 3, 3, DIAMETER - 6, &color);
  icon = gtk_icon_theme_lookup_icon (gtk_icon_theme_get_for_display (gtk_widget_get_display (widget)),
                                     fest_incident_type_icon (fest_incident_types[type]), NULL,
                                     ICON_SIZE, scale, GTK_TEXT_DIR_NONE, 0);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((DIAMETER - ICON_SIZE) / 2, (DIAMETER - ICON_SIZE) / 2));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON_SIZE, ICON_SIZE,
                                            icon_colors, G_N_ELEMENTS (icon_colors));
  node = gtk_snapshot_to_node (snapshot);
  return render_texture (self, node, DIAMETER);
}

static GdkTexture *
render_selection (FestIncidentLayer *self)
{
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GdkRGBA white = { 1, 1, 1, 1 }, dark = { 0.1, 0.1, 0.1, 1 };

  gtk_snapshot_scale (snapshot, self->texture_scale, self->texture_scale);
  append_disc (snapshot, 0, 0, SELECTED_SIZE, &dark);
  append_disc (snapshot, 2, 2, SELECTED_SIZE - 4, &white);
  node = gtk_snapshot_to_node (snapshot);
  return render_texture (self, node, SELECTED_SIZE);
}

static cairo_surface_t *
surface_from_texture (GdkTexture *texture,
                      int         scale)
{
  int width = gdk_texture_get_width (texture), height = gdk_texture_get_height (texture);
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);

  /* GdkTexture downloads in cairo's ARGB32 layout (premultiplied, native endian). */
  cairo_surface_flush (surface);
  gdk_texture_download (texture, cairo_image_surface_get_data (surface), cairo_image_surface_get_stride (surface));
  cairo_surface_mark_dirty (surface);
  cairo_surface_set_device_scale (surface, scale, scale);
  return surface;
}

static gboolean
ensure_textures (FestIncidentLayer *self)
{
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (self));

  if (scale != self->texture_scale)
    {
      clear_textures (self);
      self->texture_scale = scale;
    }
  if (self->selected_texture != NULL)
    return TRUE;

  for (guint t = 0; t < N_TYPES; t++)
    for (guint s = 0; s < N_STATUSES; s++)
      {
        self->textures[t][s] = render_marker (self, t, s);
        if (self->textures[t][s] == NULL)
          {
            clear_textures (self);
            return FALSE;
          }
        self->surfaces[t][s] = surface_from_texture (self->textures[t][s], self->texture_scale);
      }
  self->selected_texture = render_selection (self);
  if (self->selected_texture == NULL)
    {
      clear_textures (self);
      return FALSE;
    }
  return TRUE;
}

static void
fest_incident_layer_snapshot (GtkWidget   *widget,
                              GtkSnapshot *snapshot)
{
  FestIncidentLayer *self = FEST_INCIDENT_LAYER (widget);
  ShumateViewport *viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  double radius = DIAMETER / 2;
  double x, y, world = 0, center_x = 0, center_y = 0;
  ShumateMapSource *source;
  gboolean fast;
  cairo_t *cr;

  self->n_drawn = 0;
  if (width <= 0 || height <= 0 || self->n_visible == 0 || !ensure_textures (self))
    return;

  /* The map's Web Mercator projection, worked out once per frame: each marker is then a
   * multiply-add away from its position (libshumate's per-point call is the slower path). */
  source = shumate_viewport_get_reference_map_source (viewport);
  fast = source != NULL && shumate_viewport_get_rotation (viewport) == 0 &&
         shumate_map_source_get_projection (source) == SHUMATE_MAP_PROJECTION_MERCATOR;
  if (fast)
    {
      world = shumate_map_source_get_tile_size (source) * pow (2, shumate_viewport_get_zoom_level (viewport));
      project (shumate_location_get_latitude (SHUMATE_LOCATION (viewport)),
               shumate_location_get_longitude (SHUMATE_LOCATION (viewport)), &center_x, &center_y);
    }

  /* One cairo node for every marker: thousands of texture nodes cost far more per frame. */
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  for (guint i = 0; i < self->markers->len; i++)
    {
      Marker *marker = g_ptr_array_index (self->markers, i);

      if (!marker->visible || marker == self->selected)
        continue;
      if (fast)
        {
          x = (marker->world_x - center_x) * world + width / 2.0;
          y = (marker->world_y - center_y) * world + height / 2.0;
        }
      else
        shumate_viewport_location_to_widget_coords (viewport, widget, marker->latitude, marker->longitude, &x, &y);
      if (x < -radius || y < -radius || x > width + radius || y > height + radius)
        continue;
      cairo_set_source_surface (cr, self->surfaces[marker->type][marker->status], round (x - radius),
                                round (y - radius));
      cairo_paint (cr);
      self->n_drawn++;
    }
  cairo_destroy (cr);

  if (self->selected != NULL && self->selected->visible)
    {
      Marker *marker = self->selected;

      shumate_viewport_location_to_widget_coords (viewport, widget, marker->latitude, marker->longitude, &x, &y);
      gtk_snapshot_append_texture (snapshot, self->selected_texture,
                                   &GRAPHENE_RECT_INIT (x - SELECTED_SIZE / 2, y - SELECTED_SIZE / 2,
                                                        SELECTED_SIZE, SELECTED_SIZE));
      gtk_snapshot_append_texture (snapshot, self->textures[marker->type][marker->status],
                                   &GRAPHENE_RECT_INIT (x - radius, y - radius, DIAMETER, DIAMETER));
      self->n_drawn++;
    }
}

static void
fest_incident_layer_css_changed (GtkWidget         *widget,
                                 GtkCssStyleChange *change)
{
  GTK_WIDGET_CLASS (fest_incident_layer_parent_class)->css_changed (widget, change);
  clear_textures (FEST_INCIDENT_LAYER (widget));
  gtk_widget_queue_draw (widget);
}

static void
fest_incident_layer_unrealize (GtkWidget *widget)
{
  /* The textures belong to the renderer that goes away with the surface. */
  clear_textures (FEST_INCIDENT_LAYER (widget));
  GTK_WIDGET_CLASS (fest_incident_layer_parent_class)->unrealize (widget);
}

static void
viewport_changed_cb (FestIncidentLayer *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
fest_incident_layer_constructed (GObject *object)
{
  FestIncidentLayer *self = FEST_INCIDENT_LAYER (object);
  ShumateViewport *viewport;

  G_OBJECT_CLASS (fest_incident_layer_parent_class)->constructed (object);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  g_signal_connect_object (viewport, "notify::longitude", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::latitude", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::zoom-level", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (viewport, "notify::rotation", G_CALLBACK (viewport_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
fest_incident_layer_finalize (GObject *object)
{
  FestIncidentLayer *self = FEST_INCIDENT_LAYER (object);

  clear_textures (self);
  g_hash_table_unref (self->by_id);
  g_ptr_array_unref (self->markers);
  G_OBJECT_CLASS (fest_incident_layer_parent_class)->finalize (object);
}

static void
fest_incident_layer_class_init (FestIncidentLayerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fest_incident_layer_constructed;
  object_class->finalize = fest_incident_layer_finalize;
  widget_class->snapshot = fest_incident_layer_snapshot;
  widget_class->css_changed = fest_incident_layer_css_changed;
  widget_class->unrealize = fest_incident_layer_unrealize;
  gtk_widget_class_set_css_name (widget_class, "fest-incident-layer");
}

static void
fest_incident_layer_init (FestIncidentLayer *self)
{
  self->markers = g_ptr_array_new_with_free_func (marker_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  gtk_widget_set_can_target (GTK_WIDGET (self), FALSE);
}

FestIncidentLayer *
fest_incident_layer_new (ShumateViewport *viewport)
{
  g_return_val_if_fail (SHUMATE_IS_VIEWPORT (viewport), NULL);
  return g_object_new (FEST_TYPE_INCIDENT_LAYER, "viewport", viewport, NULL);
}

void
fest_incident_layer_set (FestIncidentLayer *self,
                         const char        *id,
                         const char        *type,
                         const char        *status,
                         double             latitude,
                         double             longitude,
                         const char        *label)
{
  Marker *marker;

  g_return_if_fail (FEST_IS_INCIDENT_LAYER (self));
  g_return_if_fail (id != NULL);

  marker = g_hash_table_lookup (self->by_id, id);
  if (marker == NULL)
    {
      marker = g_new0 (Marker, 1);
      marker->id = g_strdup (id);
      marker->visible = TRUE;
      g_ptr_array_add (self->markers, marker);
      g_hash_table_insert (self->by_id, marker->id, marker);
      self->n_visible++;
    }
  marker->type = fest_incident_type_index (type);
  marker->status = fest_incident_status_index (status);
  marker->latitude = CLAMP (latitude, SHUMATE_MIN_LATITUDE, SHUMATE_MAX_LATITUDE);
  marker->longitude = CLAMP (longitude, SHUMATE_MIN_LONGITUDE, SHUMATE_MAX_LONGITUDE);
  project (marker->latitude, marker->longitude, &marker->world_x, &marker->world_y);
  g_free (marker->label);
  marker->label = g_strdup (label);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fest_incident_layer_remove (FestIncidentLayer *self,
                            const char        *id)
{
  Marker *marker;

  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), FALSE);

  marker = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  if (marker == NULL)
    return FALSE;
  if (marker == self->selected)
    self->selected = NULL;
  if (marker->visible)
    self->n_visible--;
  g_hash_table_remove (self->by_id, id);
  g_ptr_array_remove (self->markers, marker);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  return TRUE;
}

void
fest_incident_layer_set_visible_id (FestIncidentLayer *self,
                                    const char        *id,
                                    gboolean           visible)
{
  Marker *marker;

  g_return_if_fail (FEST_IS_INCIDENT_LAYER (self));

  marker = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  if (marker == NULL || marker->visible == !!visible)
    return;
  marker->visible = !!visible;
  if (visible)
    self->n_visible++;
  else
    self->n_visible--;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_incident_layer_clear (FestIncidentLayer *self)
{
  g_return_if_fail (FEST_IS_INCIDENT_LAYER (self));

  self->selected = NULL;
  self->n_visible = 0;
  g_hash_table_remove_all (self->by_id);
  g_ptr_array_set_size (self->markers, 0);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
fest_incident_layer_get_n_visible (FestIncidentLayer *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), 0);
  return self->n_visible;
}

guint
fest_incident_layer_get_n_markers (FestIncidentLayer *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), 0);
  return self->markers->len;
}

gboolean
fest_incident_layer_lookup (FestIncidentLayer *self,
                            const char        *id,
                            const char       **type,
                            const char       **status,
                            double            *latitude,
                            double            *longitude,
                            gboolean          *visible)
{
  Marker *marker;

  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), FALSE);

  marker = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  if (marker == NULL)
    return FALSE;
  if (type != NULL)
    *type = fest_incident_types[marker->type];
  if (status != NULL)
    *status = fest_incident_statuses[marker->status];
  if (latitude != NULL)
    *latitude = marker->latitude;
  if (longitude != NULL)
    *longitude = marker->longitude;
  if (visible != NULL)
    *visible = marker->visible;
  return TRUE;
}

const char *
fest_incident_layer_get_label (FestIncidentLayer *self,
                               const char        *id)
{
  Marker *marker;

  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), NULL);

  marker = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  return marker != NULL ? marker->label : NULL;
}

const char *
fest_incident_layer_find_at (FestIncidentLayer *self,
                             double             x,
                             double             y)
{
  ShumateViewport *viewport;
  GtkWidget *widget = GTK_WIDGET (self);
  double mx, my;

  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), NULL);

  viewport = shumate_layer_get_viewport (SHUMATE_LAYER (self));
  /* The selected marker is drawn on top: it wins. */
  if (self->selected != NULL && self->selected->visible)
    {
      shumate_viewport_location_to_widget_coords (viewport, widget, self->selected->latitude,
                                                  self->selected->longitude, &mx, &my);
      if ((mx - x) * (mx - x) + (my - y) * (my - y) <= HIT_RADIUS * HIT_RADIUS)
        return self->selected->id;
    }
  for (guint i = self->markers->len; i > 0; i--)
    {
      Marker *marker = g_ptr_array_index (self->markers, i - 1);

      if (!marker->visible)
        continue;
      shumate_viewport_location_to_widget_coords (viewport, widget, marker->latitude, marker->longitude,
                                                  &mx, &my);
      if ((mx - x) * (mx - x) + (my - y) * (my - y) <= HIT_RADIUS * HIT_RADIUS)
        return marker->id;
    }
  return NULL;
}

void
fest_incident_layer_set_selected (FestIncidentLayer *self,
                                  const char        *id)
{
  Marker *marker;

  g_return_if_fail (FEST_IS_INCIDENT_LAYER (self));

  marker = id != NULL ? g_hash_table_lookup (self->by_id, id) : NULL;
  if (marker == self->selected)
    return;
  self->selected = marker;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

const char *
fest_incident_layer_get_selected (FestIncidentLayer *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), NULL);
  return self->selected != NULL ? self->selected->id : NULL;
}

guint
fest_incident_layer_get_n_drawn (FestIncidentLayer *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT_LAYER (self), 0);
  return self->n_drawn;
}
