/* fest-timeline-snapshot.c: how the timeline draws itself
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Everything comes from cached PangoLayouts (lane names, hour labels, each block's title and
 * times): a frame only positions them, so that a day of ~75 blocks redraws at every step of a drag.
 */

#include "config.h"

#include <math.h>

#include "fest-timeline.h"
#include "fest-timeline-private.h"

#define NAME_PADDING  12
#define TEXT_PADDING  8
#define BLOCK_RADIUS  6
#define RULER_TICK    6
#define MAX_HOURS     (24 * 14)

typedef struct
{
  GdkRGBA view_bg;
  GdkRGBA header_bg;
  GdkRGBA fg;
  GdkRGBA dim;
  GdkRGBA band;
  GdkRGBA line;
  GdkRGBA grid;
  GdkRGBA grid_minor;
  GdkRGBA accent;
  GdkRGBA accent_fg;
  GdkRGBA accent_soft;
  GdkRGBA pending_fill;
  GdkRGBA pending_stripe;
  GdkRGBA pending_border;
  GdkRGBA cancelled_fill;
  GdkRGBA cancelled_border;
  GdkRGBA buffer_fill;
  GdkRGBA buffer_edge;
  GdkRGBA red;
  GdkRGBA red_soft;
  GdkRGBA clear;
} Palette;

static GdkRGBA
with_alpha (const GdkRGBA *color,
            float          alpha)
{
  GdkRGBA result = *color;

  result.alpha = alpha;
  return result;
}

/* The theme's foreground and accent; the status colours are fixed, picked per light or dark style
 * (told apart by the foreground's lightness), so that the text on them stays legible in both. */
static void
get_palette (FestTimeline *self,
             Palette      *palette)
{
  GtkStyleContext *context;
  gboolean dark;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  gtk_style_context_get_color (context, &palette->fg);
  if (!gtk_style_context_lookup_color (context, "accent_bg_color", &palette->accent))
    gdk_rgba_parse (&palette->accent, "#3584e4");
  if (!gtk_style_context_lookup_color (context, "accent_fg_color", &palette->accent_fg))
    gdk_rgba_parse (&palette->accent_fg, "#ffffff");
  dark = 0.299 * palette->fg.red + 0.587 * palette->fg.green + 0.114 * palette->fg.blue > 0.5;
  if (!gtk_style_context_lookup_color (context, "view_bg_color", &palette->view_bg))
    gdk_rgba_parse (&palette->view_bg, dark ? "#1e1e1e" : "#ffffff");
  if (!gtk_style_context_lookup_color (context, "window_bg_color", &palette->header_bg))
    gdk_rgba_parse (&palette->header_bg, dark ? "#242424" : "#fafafa");
  G_GNUC_END_IGNORE_DEPRECATIONS

  palette->fg.alpha = MAX (palette->fg.alpha, 0.8f);
  palette->dim = with_alpha (&palette->fg, 0.6f);
  palette->band = with_alpha (&palette->fg, 0.03f);
  palette->line = with_alpha (&palette->fg, 0.12f);
  palette->grid = with_alpha (&palette->fg, 0.16f);
  palette->grid_minor = with_alpha (&palette->fg, 0.06f);
  palette->accent_soft = with_alpha (&palette->accent, 0.3f);
  gdk_rgba_parse (&palette->pending_fill, dark ? "rgba(245,194,17,0.26)" : "rgba(246,211,45,0.42)");
  gdk_rgba_parse (&palette->pending_stripe,
                  dark ? "rgba(245,194,17,0.16)" : "rgba(229,165,10,0.2)");
  gdk_rgba_parse (&palette->pending_border, dark ? "#f8e45c" : "#c88800");
  palette->cancelled_fill = with_alpha (&palette->fg, 0.08f);
  palette->cancelled_border = with_alpha (&palette->fg, 0.3f);
  palette->buffer_fill = with_alpha (&palette->fg, 0.1f);
  palette->buffer_edge = with_alpha (&palette->fg, 0.25f);
  gdk_rgba_parse (&palette->red, dark ? "#ff7b63" : "#e01b24");
  palette->red_soft = with_alpha (&palette->red, 0.18f);
  palette->clear = (GdkRGBA) { 0, 0, 0, 0 };
}

static void
append_rect (GtkSnapshot   *snapshot,
             const GdkRGBA *color,
             float          x,
             float          y,
             float          width,
             float          height)
{
  gtk_snapshot_append_color (snapshot, color, &GRAPHENE_RECT_INIT (x, y, width, height));
}

static void
append_outline (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                float                  grow,
                float                  radius,
                float                  width,
                const GdkRGBA         *color)
{
  graphene_rect_t bounds;
  GskRoundedRect outline;
  const float widths[4] = { width, width, width, width };
  const GdkRGBA colors[4] = { *color, *color, *color, *color };

  graphene_rect_inset_r (rect, -grow, -grow, &bounds);
  gsk_rounded_rect_init_from_rect (&outline, &bounds, radius + grow);
  gtk_snapshot_append_border (snapshot, &outline, widths, colors);
}

/* Diagonal stripes of @color over @rect. */
static void
append_stripes (GtkSnapshot           *snapshot,
                const graphene_rect_t *rect,
                const GdkRGBA         *color,
                const GdkRGBA         *clear)
{
  const GskColorStop stops[4] = { { 0, *color }, { 0.5, *color }, { 0.5, *clear }, { 1, *clear } };

  gtk_snapshot_append_repeating_linear_gradient (
    snapshot, rect, &GRAPHENE_POINT_INIT (rect->origin.x, rect->origin.y),
    &GRAPHENE_POINT_INIT (rect->origin.x + 6, rect->origin.y + 6), stops, G_N_ELEMENTS (stops));
}

static void
append_layout_at (GtkSnapshot   *snapshot,
                  PangoLayout   *layout,
                  float          x,
                  float          y,
                  const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

/* What is in sight */

static void
track_adjustment (FestTimeline   *self,
                  GtkAdjustment **tracked,
                  GtkAdjustment  *adjustment)
{
  if (*tracked == adjustment)
    return;
  if (*tracked != NULL)
    g_signal_handlers_disconnect_by_func (*tracked, gtk_widget_queue_draw, self);
  g_set_object (tracked, adjustment);
  /* Scrolling moves the names and the ruler along. */
  if (adjustment != NULL)
    g_signal_connect_object (adjustment, "value-changed", G_CALLBACK (gtk_widget_queue_draw),
                             self, G_CONNECT_SWAPPED);
}

void
_fest_timeline_get_view (FestTimeline    *self,
                         graphene_rect_t *view)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  int width = gtk_widget_get_width (GTK_WIDGET (self));
  int height = gtk_widget_get_height (GTK_WIDGET (self));
  GtkAdjustment *hadjustment = NULL;
  GtkAdjustment *vadjustment = NULL;
  double x = 0, y = 0, view_width = width, view_height = height;

  if (GTK_IS_SCROLLABLE (parent))
    {
      hadjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (parent));
      vadjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (parent));
    }
  track_adjustment (self, &self->hadjustment, hadjustment);
  track_adjustment (self, &self->vadjustment, vadjustment);
  if (hadjustment != NULL && gtk_adjustment_get_page_size (hadjustment) > 0)
    {
      x = CLAMP (gtk_adjustment_get_value (hadjustment), 0, width);
      view_width = MIN (gtk_adjustment_get_page_size (hadjustment), width - x);
    }
  if (vadjustment != NULL && gtk_adjustment_get_page_size (vadjustment) > 0)
    {
      y = CLAMP (gtk_adjustment_get_value (vadjustment), 0, height);
      view_height = MIN (gtk_adjustment_get_page_size (vadjustment), height - y);
    }
  graphene_rect_init (view, x, y, view_width, view_height);
}

void
_fest_timeline_forget_view (FestTimeline *self)
{
  track_adjustment (self, &self->hadjustment, NULL);
  track_adjustment (self, &self->vadjustment, NULL);
}

/* Hour ticks */

static gint64
next_hour (FestTimeline *self,
           gint64        time)
{
  int interval = g_time_zone_find_interval (self->zone, G_TIME_TYPE_UNIVERSAL, time);
  gint64 offset = interval >= 0 ? g_time_zone_get_offset (self->zone, interval) : 0;
  gint64 local = time + offset;
  gint64 hour = local >= 0 ? (local + 3599) / 3600 * 3600 : -((-local) / 3600 * 3600);

  return hour - offset;
}

static void
ensure_hours (FestTimeline *self)
{
  gint64 time;

  if (self->hour_times != NULL)
    return;
  self->hour_times = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->hour_layouts = g_ptr_array_new_with_free_func (g_object_unref);
  for (time = next_hour (self, self->range_start);
       time < self->range_end && self->hour_times->len < MAX_HOURS;
       time = next_hour (self, time + 1))
    {
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, self->zone);
      g_autofree char *label = g_date_time_format (local, "%H:%M");

      g_array_append_val (self->hour_times, time);
      g_ptr_array_add (self->hour_layouts,
                       gtk_widget_create_pango_layout (GTK_WIDGET (self), label));
    }
}

/* Blocks */

static void
ensure_block_layouts (FestTimeline          *self,
                      FestTimelineBlockData *block)
{
  if (block->title_layout == NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      if (block->status == FEST_TIMELINE_STATUS_CANCELLED)
        pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
      block->title_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), block->title);
      pango_layout_set_attributes (block->title_layout, attrs);
      pango_layout_set_ellipsize (block->title_layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_single_paragraph_mode (block->title_layout, TRUE);
      pango_attr_list_unref (attrs);
    }
  if (block->time_layout == NULL || block->time_layout_start != block->start
      || block->time_layout_end != block->end)
    {
      g_autofree char *times = _fest_timeline_format_times (self, block->start, block->end);

      if (block->time_layout == NULL)
        {
          block->time_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
          pango_layout_set_ellipsize (block->time_layout, PANGO_ELLIPSIZE_END);
          if (block->status == FEST_TIMELINE_STATUS_CANCELLED)
            {
              PangoAttrList *attrs = pango_attr_list_new ();

              pango_attr_list_insert (attrs, pango_attr_strikethrough_new (TRUE));
              pango_layout_set_attributes (block->time_layout, attrs);
              pango_attr_list_unref (attrs);
            }
        }
      pango_layout_set_text (block->time_layout, times, -1);
      block->time_layout_start = block->start;
      block->time_layout_end = block->end;
    }
}

static void
draw_buffer (FestTimeline          *self,
             GtkSnapshot           *snapshot,
             FestTimelineBlockData *block,
             const Palette         *palette,
             const graphene_rect_t *area)
{
  FestTimelineLaneData *lane;
  graphene_rect_t rect;
  graphene_rect_t buffer;
  int index;

  if (block->status == FEST_TIMELINE_STATUS_CANCELLED
      || !_fest_timeline_block_rect (self, block, &rect))
    return;
  index = _fest_timeline_lane_of (self, block->lane_id);
  lane = g_ptr_array_index (self->lanes, index);
  if (lane->changeover_minutes <= 0)
    return;
  graphene_rect_init (&buffer, rect.origin.x + rect.size.width, rect.origin.y + 4,
                      lane->changeover_minutes / 60.0 * self->pixels_per_hour,
                      rect.size.height - 8);
  if (!graphene_rect_intersection (&buffer, area, NULL))
    return;
  /* Translucent, not hatched: there is one after nearly every block, and a plain fill is the
   * cheapest thing to repaint at every frame of a drag. */
  gtk_snapshot_append_color (snapshot, &palette->buffer_fill, &buffer);
  append_rect (snapshot, &palette->buffer_edge, buffer.origin.x + buffer.size.width - 1,
               buffer.origin.y, 1, buffer.size.height);
}

/* @area: the lane space in sight. */
static void
draw_block (FestTimeline          *self,
            GtkSnapshot           *snapshot,
            FestTimelineBlockData *block,
            const Palette         *palette,
            const graphene_rect_t *area,
            gboolean               focused)
{
  graphene_rect_t rect;
  graphene_rect_t grown;
  GskRoundedRect outline;
  const GdkRGBA *text;
  float text_x, avail;

  if (!_fest_timeline_block_rect (self, block, &rect))
    return;
  /* Its outlines reach 6 px beyond it. */
  graphene_rect_inset_r (&rect, -6, -6, &grown);
  if (!graphene_rect_intersection (&grown, area, NULL))
    return;

  gsk_rounded_rect_init_from_rect (&outline, &rect, BLOCK_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  switch (block->status)
    {
    case FEST_TIMELINE_STATUS_CONFIRMED:
      gtk_snapshot_append_color (snapshot, &palette->accent, &rect);
      text = &palette->accent_fg;
      break;
    case FEST_TIMELINE_STATUS_PENDING:
      gtk_snapshot_append_color (snapshot, &palette->pending_fill, &rect);
      append_stripes (snapshot, &rect, &palette->pending_stripe, &palette->clear);
      text = &palette->fg;
      break;
    case FEST_TIMELINE_STATUS_CANCELLED:
    default:
      gtk_snapshot_append_color (snapshot, &palette->cancelled_fill, &rect);
      text = &palette->dim;
      break;
    }
  if (g_strcmp0 (block->id, self->highlight) == 0)
    gtk_snapshot_append_color (snapshot, &palette->red_soft, &rect);
  gtk_snapshot_pop (snapshot);
  if (block->status == FEST_TIMELINE_STATUS_PENDING)
    append_outline (snapshot, &rect, 0, BLOCK_RADIUS, 2, &palette->pending_border);
  else if (block->status == FEST_TIMELINE_STATUS_CANCELLED)
    append_outline (snapshot, &rect, 0, BLOCK_RADIUS, 1, &palette->cancelled_border);

  /* The text stays in sight when the block starts before the range or the view. */
  text_x = MAX (rect.origin.x, area->origin.x) + TEXT_PADDING;
  avail = rect.origin.x + rect.size.width - TEXT_PADDING - text_x;
  if (avail >= 12)
    {
      int title_height, time_height;
      float y;

      ensure_block_layouts (self, block);
      pango_layout_set_width (block->title_layout, (int) avail * PANGO_SCALE);
      pango_layout_set_width (block->time_layout, (int) avail * PANGO_SCALE);
      pango_layout_get_pixel_size (block->title_layout, NULL, &title_height);
      pango_layout_get_pixel_size (block->time_layout, NULL, &time_height);
      y = rect.origin.y + MAX (2, (rect.size.height - title_height - time_height) / 2);
      gtk_snapshot_push_clip (snapshot, &rect);
      append_layout_at (snapshot, block->title_layout, text_x, y, text);
      append_layout_at (snapshot, block->time_layout, text_x, y + title_height, text);
      gtk_snapshot_pop (snapshot);
    }

  if (g_strcmp0 (block->id, self->selected) == 0)
    {
      append_outline (snapshot, &rect, 1, BLOCK_RADIUS, 2, &palette->fg);
      if (focused)
        append_outline (snapshot, &rect, 4, BLOCK_RADIUS, 2, &palette->accent);
    }
  if (g_strcmp0 (block->id, self->highlight) == 0)
    append_outline (snapshot, &rect, 2, BLOCK_RADIUS, 3, &palette->red);
}

static void
draw_create_band (FestTimeline  *self,
                  GtkSnapshot   *snapshot,
                  const Palette *palette)
{
  graphene_rect_t rect;
  GskRoundedRect outline;
  gint64 start, end;
  int lane;
  double x0, x1;

  if (!_fest_timeline_create_span (self, &lane, &start, &end))
    return;
  x0 = fest_timeline_x_for_time (self, start);
  x1 = fest_timeline_x_for_time (self, end);
  graphene_rect_init (&rect, x0,
                      FEST_TIMELINE_RULER_HEIGHT + lane * FEST_TIMELINE_LANE_HEIGHT
                      + FEST_TIMELINE_BLOCK_INSET,
                      x1 - x0, FEST_TIMELINE_LANE_HEIGHT - 2 * FEST_TIMELINE_BLOCK_INSET);
  gsk_rounded_rect_init_from_rect (&outline, &rect, BLOCK_RADIUS);
  gtk_snapshot_push_rounded_clip (snapshot, &outline);
  gtk_snapshot_append_color (snapshot, &palette->accent_soft, &rect);
  gtk_snapshot_pop (snapshot);
  append_outline (snapshot, &rect, 0, BLOCK_RADIUS, 1, &palette->accent);
}

/* The frame */

static float
lanes_bottom (FestTimeline *self)
{
  return FEST_TIMELINE_RULER_HEIGHT + self->lanes->len * FEST_TIMELINE_LANE_HEIGHT;
}

/* Lane bands and hour lines across @view. */
static void
draw_grid (FestTimeline          *self,
           GtkSnapshot           *snapshot,
           const Palette         *palette,
           const graphene_rect_t *view,
           int                    name_width)
{
  float left = view->origin.x;
  float right = view->origin.x + view->size.width;
  float bottom = lanes_bottom (self);

  /* Nothing below the last lane: what does not change is not repainted. */
  append_rect (snapshot, &palette->view_bg, left, view->origin.y, view->size.width,
               MAX (bottom - view->origin.y, 0));
  for (guint i = 0; i < self->lanes->len; i++)
    {
      float top = FEST_TIMELINE_RULER_HEIGHT + i * FEST_TIMELINE_LANE_HEIGHT;

      if (i % 2 == 1)
        append_rect (snapshot, &palette->band, left, top, view->size.width,
                     FEST_TIMELINE_LANE_HEIGHT);
      append_rect (snapshot, &palette->line, left, top + FEST_TIMELINE_LANE_HEIGHT - 1,
                   view->size.width, 1);
    }
  for (guint i = 0; i < self->hour_times->len; i++)
    {
      gint64 hour = g_array_index (self->hour_times, gint64, i);
      float x = floorf (fest_timeline_x_for_time (self, hour));
      float half = floorf (fest_timeline_x_for_time (self, hour + 1800));

      if (x > right)
        break;
      if (x >= left + name_width)
        append_rect (snapshot, &palette->grid, x, FEST_TIMELINE_RULER_HEIGHT, 1,
                     bottom - FEST_TIMELINE_RULER_HEIGHT);
      if (hour + 1800 < self->range_end && half >= left + name_width && half <= right)
        append_rect (snapshot, &palette->grid_minor, half, FEST_TIMELINE_RULER_HEIGHT, 1,
                     bottom - FEST_TIMELINE_RULER_HEIGHT);
    }
}

/* The hour ruler, at the top of @view. */
static void
draw_ruler (FestTimeline          *self,
            GtkSnapshot           *snapshot,
            const Palette         *palette,
            const graphene_rect_t *view,
            int                    name_width)
{
  float left = view->origin.x;
  float right = view->origin.x + view->size.width;
  float top = view->origin.y;

  append_rect (snapshot, &palette->header_bg, left, top, view->size.width,
               FEST_TIMELINE_RULER_HEIGHT);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (left + name_width, top,
                                                         MAX (view->size.width - name_width, 0),
                                                         FEST_TIMELINE_RULER_HEIGHT));
  guint step = 1;

  /* Zoomed out, one label every @step hours, so that they do not run into each other. */
  if (self->hour_layouts->len > 0)
    {
      int label_width;

      pango_layout_get_pixel_size (g_ptr_array_index (self->hour_layouts, 0), &label_width, NULL);
      step = MAX (1, (guint) ceil ((label_width + 8) / self->pixels_per_hour));
    }
  for (guint i = 0; i < self->hour_layouts->len; i++)
    {
      PangoLayout *layout = g_ptr_array_index (self->hour_layouts, i);
      gint64 hour = g_array_index (self->hour_times, gint64, i);
      float x = floorf (fest_timeline_x_for_time (self, hour));
      int text_height;

      if (x > right)
        break;
      /* No tick, nor half a label, under the names. */
      if (x < left + name_width)
        continue;
      append_rect (snapshot, &palette->grid, x, top + FEST_TIMELINE_RULER_HEIGHT - RULER_TICK, 1,
                   RULER_TICK);
      if (i % step != 0)
        continue;
      pango_layout_get_pixel_size (layout, NULL, &text_height);
      append_layout_at (snapshot, layout, x + 4,
                        top + (FEST_TIMELINE_RULER_HEIGHT - RULER_TICK - text_height) / 2.0 + 1,
                        &palette->dim);
    }
  gtk_snapshot_pop (snapshot);
  append_rect (snapshot, &palette->line, left, top + FEST_TIMELINE_RULER_HEIGHT - 1,
               view->size.width, 1);
}

/* The stage names, at the left of @view. */
static void
draw_names (FestTimeline          *self,
            GtkSnapshot           *snapshot,
            const Palette         *palette,
            const graphene_rect_t *view,
            int                    name_width)
{
  float left = view->origin.x;

  float height = MAX (MIN (lanes_bottom (self), view->origin.y + view->size.height)
                      - view->origin.y, 0);

  append_rect (snapshot, &palette->header_bg, left, view->origin.y, name_width, height);
  gtk_snapshot_push_clip (snapshot, &GRAPHENE_RECT_INIT (left, view->origin.y, name_width, height));
  for (guint i = 0; i < self->lanes->len; i++)
    {
      FestTimelineLaneData *lane = g_ptr_array_index (self->lanes, i);
      float top = FEST_TIMELINE_RULER_HEIGHT + i * FEST_TIMELINE_LANE_HEIGHT;
      int text_height;

      if (i % 2 == 1)
        append_rect (snapshot, &palette->band, left, top, name_width, FEST_TIMELINE_LANE_HEIGHT);
      append_rect (snapshot, &palette->line, left, top + FEST_TIMELINE_LANE_HEIGHT - 1,
                   name_width, 1);
      pango_layout_get_pixel_size (lane->layout, NULL, &text_height);
      append_layout_at (snapshot, lane->layout, left + NAME_PADDING,
                        top + (FEST_TIMELINE_LANE_HEIGHT - text_height) / 2.0, &palette->fg);
    }
  gtk_snapshot_pop (snapshot);
  append_rect (snapshot, &palette->grid, left + name_width - 1, view->origin.y, 1, height);
}

void
_fest_timeline_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  FestTimeline *self = FEST_TIMELINE (widget);
  int name_width = _fest_timeline_name_width (self);
  gboolean focused = gtk_widget_has_focus (widget);
  FestTimelineBlockData *dragged = NULL;
  FestTimelineBlockData *selected;
  graphene_rect_t view;
  graphene_rect_t area;
  Palette palette;

  self->n_snapshots++;
  get_palette (self, &palette);
  ensure_hours (self);
  /* Only what is in sight: a day is several screens wide. */
  _fest_timeline_get_view (self, &view);
  graphene_rect_init (&area, view.origin.x + name_width,
                      view.origin.y + FEST_TIMELINE_RULER_HEIGHT,
                      MAX (view.size.width - name_width, 0),
                      MAX (view.size.height - FEST_TIMELINE_RULER_HEIGHT, 0));

  draw_grid (self, snapshot, &palette, &view, name_width);

  gtk_snapshot_push_clip (snapshot, &area);
  for (guint i = 0; i < self->blocks->len; i++)
    draw_buffer (self, snapshot, g_ptr_array_index (self->blocks, i), &palette, &area);
  if (self->drag.block_id != NULL)
    dragged = g_hash_table_lookup (self->block_by_id, self->drag.block_id);
  for (guint i = 0; i < self->blocks->len; i++)
    {
      FestTimelineBlockData *block = g_ptr_array_index (self->blocks, i);

      if (block != dragged)
        draw_block (self, snapshot, block, &palette, &area, focused);
    }
  if (dragged != NULL)
    draw_block (self, snapshot, dragged, &palette, &area, focused);
  draw_create_band (self, snapshot, &palette);
  if (self->now >= self->range_start && self->now < self->range_end)
    append_rect (snapshot, &palette.red, floorf (fest_timeline_x_for_time (self, self->now)) - 1,
                 FEST_TIMELINE_RULER_HEIGHT, 2, lanes_bottom (self) - FEST_TIMELINE_RULER_HEIGHT);
  gtk_snapshot_pop (snapshot);

  draw_names (self, snapshot, &palette, &view, name_width);
  draw_ruler (self, snapshot, &palette, &view, name_width);
  if (self->now >= self->range_start && self->now < self->range_end)
    {
      float x = floorf (fest_timeline_x_for_time (self, self->now));
      graphene_rect_t marker;
      GskRoundedRect round;

      if (x >= area.origin.x)
        {
          graphene_rect_init (&marker, x - 4, view.origin.y + FEST_TIMELINE_RULER_HEIGHT - 8, 8, 8);
          gsk_rounded_rect_init_from_rect (&round, &marker, 4);
          gtk_snapshot_push_rounded_clip (snapshot, &round);
          gtk_snapshot_append_color (snapshot, &palette.red, &marker);
          gtk_snapshot_pop (snapshot);
        }
    }

  /* With nothing selected to carry it, the focus ring goes around what is in sight. */
  selected = _fest_timeline_find_block (self, self->selected);
  if (focused && (selected == NULL || !_fest_timeline_block_visible (self, selected)))
    {
      graphene_rect_t ring;

      graphene_rect_init (&ring, view.origin.x + 2, view.origin.y + 2, view.size.width - 4,
                          MAX (MIN (lanes_bottom (self), view.origin.y + view.size.height)
                               - view.origin.y - 4, 0));
      append_outline (snapshot, &ring, 0, BLOCK_RADIUS, 2, &palette.accent);
    }
}
