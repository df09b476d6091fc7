/* fest-timeline.c: a day of the lineup as lanes of blocks: the model, its API and the input
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The drawing is in fest-timeline-snapshot.c; both share fest-timeline-private.h.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>

#include "fest-timeline.h"
#include "fest-timeline-private.h"

#define NAME_PADDING       12
#define NAME_WIDTH_MIN     96
#define NAME_WIDTH_MAX     220
#define HIGHLIGHT_MS       4000

G_DEFINE_FINAL_TYPE (FestTimeline, fest_timeline, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_SELECTED,
  PROP_PIXELS_PER_HOUR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  BLOCK_CHANGED,
  BLOCK_ACTIVATED,
  CREATE_REQUESTED,
  DELETE_REQUESTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Model */

static void
lane_free (gpointer data)
{
  FestTimelineLaneData *lane = data;

  g_free (lane->id);
  g_free (lane->name);
  g_clear_object (&lane->layout);
  g_free (lane);
}

static void
block_drop_layouts (FestTimelineBlockData *block)
{
  g_clear_object (&block->title_layout);
  g_clear_object (&block->time_layout);
}

static void
block_free (gpointer data)
{
  FestTimelineBlockData *block = data;

  g_free (block->id);
  g_free (block->lane_id);
  g_free (block->title);
  block_drop_layouts (block);
  g_free (block);
}

static FestTimelineBlockData *
block_new (const FestTimelineBlock *source)
{
  FestTimelineBlockData *block = g_new0 (FestTimelineBlockData, 1);

  block->id = g_strdup (source->id);
  block->lane_id = g_strdup (source->lane_id);
  block->title = g_strdup (source->title != NULL ? source->title : "");
  block->start = source->start;
  block->end = MAX (source->end, source->start);
  block->status = source->status;
  return block;
}

FestTimelineBlockData *
_fest_timeline_find_block (FestTimeline *self,
                           const char   *id)
{
  return id != NULL ? g_hash_table_lookup (self->block_by_id, id) : NULL;
}

FestTimelineLaneData *
_fest_timeline_lane_at (FestTimeline *self,
                        int           index)
{
  if (index < 0 || (guint) index >= self->lanes->len)
    return NULL;
  return g_ptr_array_index (self->lanes, index);
}

int
_fest_timeline_lane_of (FestTimeline *self,
                        const char   *lane_id)
{
  gpointer value;

  if (lane_id == NULL || !g_hash_table_lookup_extended (self->lane_index, lane_id, NULL, &value))
    return -1;
  return GPOINTER_TO_UINT (value) - 1;
}

gboolean
_fest_timeline_block_visible (FestTimeline          *self,
                              FestTimelineBlockData *block)
{
  return _fest_timeline_lane_of (self, block->lane_id) >= 0 && block->end > self->range_start
         && block->start < self->range_end;
}

static gint64
zone_offset (FestTimeline *self,
             gint64        time)
{
  int interval = g_time_zone_find_interval (self->zone, G_TIME_TYPE_UNIVERSAL, time);

  return interval >= 0 ? g_time_zone_get_offset (self->zone, interval) : 0;
}

static gint64
floor_div (gint64 a,
           gint64 b)
{
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}

gint64
_fest_timeline_snap (FestTimeline *self,
                     gint64        time,
                     int           direction)
{
  gint64 offset = zone_offset (self, time);
  gint64 local = time + offset;
  gint64 down = floor_div (local, FEST_TIMELINE_SNAP) * FEST_TIMELINE_SNAP;

  if (direction < 0 || (direction == 0 && local - down < FEST_TIMELINE_SNAP / 2) || down == local)
    return down - offset;
  return down + FEST_TIMELINE_SNAP - offset;
}

gint64
_fest_timeline_time_for_x (FestTimeline *self,
                           double        x)
{
  return self->range_start
         + (gint64) llround ((x - _fest_timeline_name_width (self)) / self->pixels_per_hour * 3600);
}

static double
lane_top (int index)
{
  return FEST_TIMELINE_RULER_HEIGHT + index * FEST_TIMELINE_LANE_HEIGHT;
}

/* The lane under @y, or -1; @clamp picks the nearest lane instead. */
int
_fest_timeline_lane_at_y (FestTimeline *self,
                          double        y,
                          gboolean      clamp)
{
  int index = (int) floor ((y - FEST_TIMELINE_RULER_HEIGHT) / FEST_TIMELINE_LANE_HEIGHT);

  if (self->lanes->len == 0)
    return -1;
  if (clamp)
    return CLAMP (index, 0, (int) self->lanes->len - 1);
  return index >= 0 && (guint) index < self->lanes->len ? index : -1;
}

gboolean
_fest_timeline_block_rect (FestTimeline          *self,
                           FestTimelineBlockData *block,
                           graphene_rect_t       *rect)
{
  int lane = _fest_timeline_lane_of (self, block->lane_id);
  double x0, x1;

  if (lane < 0 || block->end <= self->range_start || block->start >= self->range_end)
    return FALSE;
  x0 = fest_timeline_x_for_time (self, block->start);
  x1 = fest_timeline_x_for_time (self, block->end);
  graphene_rect_init (rect, x0, lane_top (lane) + FEST_TIMELINE_BLOCK_INSET, MAX (x1 - x0, 2),
                      FEST_TIMELINE_LANE_HEIGHT - 2 * FEST_TIMELINE_BLOCK_INSET);
  return TRUE;
}

/* The topmost block under (@x, @y); *@edge: -1 on its start edge, 1 on its end edge, 0 inside. */
FestTimelineBlockData *
_fest_timeline_block_at (FestTimeline *self,
                         double        x,
                         double        y,
                         int          *edge)
{
  FestTimelineBlockData *dragged = NULL;
  graphene_rect_t view;

  /* The names and the ruler are drawn over the blocks scrolled under them. */
  _fest_timeline_get_view (self, &view);
  if (x < view.origin.x + _fest_timeline_name_width (self)
      || y < view.origin.y + FEST_TIMELINE_RULER_HEIGHT)
    return NULL;
  /* The dragged block is drawn last, over the others. */
  if (self->drag.block_id != NULL)
    dragged = _fest_timeline_find_block (self, self->drag.block_id);
  for (int i = (int) self->blocks->len; i >= 0; i--)
    {
      FestTimelineBlockData *block;
      graphene_rect_t rect;
      double grab;

      if (i == (int) self->blocks->len)
        block = dragged;
      else
        block = g_ptr_array_index (self->blocks, i);
      if (block == NULL || (i < (int) self->blocks->len && block == dragged)
          || !_fest_timeline_block_rect (self, block, &rect)
          || !graphene_rect_contains_point (&rect, &GRAPHENE_POINT_INIT (x, y)))
        continue;
      grab = MIN (FEST_TIMELINE_EDGE_GRAB, rect.size.width / 4);
      if (edge != NULL)
        *edge = x - rect.origin.x < grab ? -1 : rect.origin.x + rect.size.width - x < grab ? 1 : 0;
      return block;
    }
  return NULL;
}

char *
_fest_timeline_format_times (FestTimeline *self,
                             gint64        start,
                             gint64        end)
{
  g_autoptr(GDateTime) start_utc = g_date_time_new_from_unix_utc (start);
  g_autoptr(GDateTime) end_utc = g_date_time_new_from_unix_utc (end);
  g_autoptr(GDateTime) start_local = NULL;
  g_autoptr(GDateTime) end_local = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (start_utc == NULL || end_utc == NULL)
    return g_strdup ("");
  start_local = g_date_time_to_timezone (start_utc, self->zone);
  end_local = g_date_time_to_timezone (end_utc, self->zone);
  from = g_date_time_format (start_local, "%H:%M");
  to = g_date_time_format (end_local, "%H:%M");
  return g_strconcat (from, "–", to, NULL);
}

static const char *
status_name (FestTimelineStatus status)
{
  switch (status)
    {
    case FEST_TIMELINE_STATUS_PENDING:
      return C_("timeline", "Pending");
    case FEST_TIMELINE_STATUS_CONFIRMED:
      return C_("timeline", "Confirmed");
    case FEST_TIMELINE_STATUS_CANCELLED:
    default:
      return C_("timeline", "Cancelled");
    }
}

/* "Artist, Stage, 21:00–22:30, Confirmed" */
static char *
describe_block (FestTimeline          *self,
                FestTimelineBlockData *block,
                const char            *separator)
{
  FestTimelineLaneData *lane =
    _fest_timeline_lane_at (self, _fest_timeline_lane_of (self, block->lane_id));
  g_autofree char *times = _fest_timeline_format_times (self, block->start, block->end);

  return g_strjoin (separator, block->title, lane != NULL ? lane->name : block->lane_id, times,
                    status_name (block->status), NULL);
}

static void
update_description (FestTimeline *self)
{
  FestTimelineBlockData *block = _fest_timeline_find_block (self, self->selected);
  g_autofree char *description = NULL;

  if (block != NULL)
    description = describe_block (self, block, ", ");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description != NULL ? description : "", -1);
}

/* The block moved or changed its times: its time text is stale. */
void
_fest_timeline_block_set_place (FestTimelineBlockData *block,
                                const char            *lane_id,
                                gint64                 start,
                                gint64                 end)
{
  if (g_strcmp0 (block->lane_id, lane_id) != 0)
    {
      char *copy = g_strdup (lane_id);

      g_free (block->lane_id);
      block->lane_id = copy;
    }
  block->start = start;
  block->end = end;
}

void
_fest_timeline_drop_layouts (FestTimeline *self)
{
  for (guint i = 0; i < self->lanes->len; i++)
    g_clear_object (&((FestTimelineLaneData *) g_ptr_array_index (self->lanes, i))->layout);
  for (guint i = 0; i < self->blocks->len; i++)
    block_drop_layouts (g_ptr_array_index (self->blocks, i));
  g_clear_pointer (&self->hour_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->hour_times, g_array_unref);
  self->name_width = -1;
}

int
_fest_timeline_name_width (FestTimeline *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self));
  int widest = 0;

  if (pango_context_get_serial (context) != self->pango_serial)
    {
      _fest_timeline_drop_layouts (self);
      self->pango_serial = pango_context_get_serial (context);
    }
  if (self->name_width >= 0)
    return self->name_width;

  for (guint i = 0; i < self->lanes->len; i++)
    {
      FestTimelineLaneData *lane = g_ptr_array_index (self->lanes, i);
      int width;

      if (lane->layout == NULL)
        {
          lane->layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), lane->name);
          pango_layout_set_ellipsize (lane->layout, PANGO_ELLIPSIZE_END);
        }
      pango_layout_set_width (lane->layout, -1);
      pango_layout_get_pixel_size (lane->layout, &width, NULL);
      widest = MAX (widest, width);
    }
  self->name_width = CLAMP (widest + 2 * NAME_PADDING, NAME_WIDTH_MIN, NAME_WIDTH_MAX);
  for (guint i = 0; i < self->lanes->len; i++)
    pango_layout_set_width (((FestTimelineLaneData *) g_ptr_array_index (self->lanes, i))->layout,
                            (self->name_width - 2 * NAME_PADDING) * PANGO_SCALE);
  return self->name_width;
}

/* Selection, scrolling */

static void
clear_highlight (FestTimeline *self)
{
  g_clear_handle_id (&self->highlight_timeout, g_source_remove);
  if (self->highlight != NULL)
    {
      g_clear_pointer (&self->highlight, g_free);
      gtk_widget_queue_draw (GTK_WIDGET (self));
    }
}

static gboolean
highlight_timeout_cb (gpointer user_data)
{
  FestTimeline *self = user_data;

  self->highlight_timeout = 0;
  clear_highlight (self);
  return G_SOURCE_REMOVE;
}

void
_fest_timeline_scroll_to_block (FestTimeline          *self,
                                FestTimelineBlockData *block)
{
  GtkWidget *parent = gtk_widget_get_parent (GTK_WIDGET (self));
  graphene_rect_t rect;
  GtkAdjustment *adjustment;
  int name_width = _fest_timeline_name_width (self);

  if (!GTK_IS_SCROLLABLE (parent) || !_fest_timeline_block_rect (self, block, &rect))
    return;
  adjustment = gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (parent));
  if (adjustment != NULL)
    gtk_adjustment_clamp_page (adjustment, MAX (0, rect.origin.x - name_width),
                               rect.origin.x + rect.size.width + NAME_PADDING);
  adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (parent));
  if (adjustment != NULL)
    gtk_adjustment_clamp_page (adjustment, MAX (0, rect.origin.y - FEST_TIMELINE_RULER_HEIGHT),
                               rect.origin.y + rect.size.height + FEST_TIMELINE_BLOCK_INSET);
}

void
_fest_timeline_set_selected (FestTimeline *self,
                             const char   *id)
{
  if (g_strcmp0 (self->selected, id) == 0)
    return;
  g_free (self->selected);
  self->selected = g_strdup (id);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED]);
}

/* Edits */

/* The block is where the user put it: say so. */
void
_fest_timeline_emit_changed (FestTimeline          *self,
                             FestTimelineBlockData *block)
{
  g_autofree char *id = g_strdup (block->id);
  g_autofree char *lane_id = g_strdup (block->lane_id);
  gint64 start = block->start;
  gint64 end = block->end;

  clear_highlight (self);
  if (g_strcmp0 (id, self->selected) == 0)
    update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  _fest_timeline_scroll_to_block (self, block);
  /* A handler may replace the blocks: @block is not used past this point. */
  g_signal_emit (self, signals[BLOCK_CHANGED], 0, id, lane_id, start, end);
}

void
_fest_timeline_emit_activated (FestTimeline *self,
                               const char   *id)
{
  g_autofree char *copy = g_strdup (id);

  g_signal_emit (self, signals[BLOCK_ACTIVATED], 0, copy);
}

void
_fest_timeline_emit_delete (FestTimeline *self,
                            const char   *id)
{
  g_autofree char *copy = g_strdup (id);

  g_signal_emit (self, signals[DELETE_REQUESTED], 0, copy);
}

void
_fest_timeline_emit_create (FestTimeline *self,
                            const char   *lane_id,
                            gint64        start,
                            gint64        end)
{
  g_autofree char *copy = g_strdup (lane_id);

  g_signal_emit (self, signals[CREATE_REQUESTED], 0, copy, start, end);
}

/* Overrides */

static void
fest_timeline_root (GtkWidget *widget)
{
  GtkWidget *parent = gtk_widget_get_parent (widget);

  GTK_WIDGET_CLASS (fest_timeline_parent_class)->root (widget);

  /* A GtkViewport would scroll back to the start of the day whenever the timeline takes the
   * focus (it is larger than the view); the timeline scrolls to its selected block itself. */
  if (GTK_IS_VIEWPORT (parent))
    gtk_viewport_set_scroll_to_focus (GTK_VIEWPORT (parent), FALSE);
}

/* Tab from another widget into the timeline lands on its first slot (Shift+Tab on its last) when
 * none is selected, so that the keys have one to act on and screen readers one to read. (Not the
 * window's initial focus: showing the page selects nothing.) */
static gboolean
fest_timeline_focus (GtkWidget        *widget,
                     GtkDirectionType  direction)
{
  FestTimeline *self = FEST_TIMELINE (widget);
  FestTimelineBlockData *selected = _fest_timeline_find_block (self, self->selected);
  GtkRoot *root = gtk_widget_get_root (widget);

  if (!gtk_widget_has_focus (widget) && gtk_widget_get_focusable (widget)
      && root != NULL && gtk_root_get_focus (root) != NULL
      && (direction == GTK_DIR_TAB_FORWARD || direction == GTK_DIR_TAB_BACKWARD)
      && (selected == NULL || !_fest_timeline_block_visible (self, selected)))
    _fest_timeline_select_step (self, direction == GTK_DIR_TAB_BACKWARD ? -1 : 1);

  return GTK_WIDGET_CLASS (fest_timeline_parent_class)->focus (widget, direction);
}

static void
fest_timeline_measure (GtkWidget      *widget,
                       GtkOrientation  orientation,
                       int             for_size,
                       int            *minimum,
                       int            *natural,
                       int            *minimum_baseline,
                       int            *natural_baseline)
{
  FestTimeline *self = FEST_TIMELINE (widget);
  double size;

  /* The whole day, as the minimum too: a GtkViewport gives its child its minimum size. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    size = _fest_timeline_name_width (self)
           + ceil ((self->range_end - self->range_start) / 3600.0 * self->pixels_per_hour);
  else
    size = FEST_TIMELINE_RULER_HEIGHT + MAX (self->lanes->len, 1) * FEST_TIMELINE_LANE_HEIGHT;
  *minimum = *natural = (int) MIN (size, 32000);
}

static gboolean
fest_timeline_query_tooltip (GtkWidget  *widget,
                             int         x,
                             int         y,
                             gboolean    keyboard_mode,
                             GtkTooltip *tooltip)
{
  FestTimeline *self = FEST_TIMELINE (widget);
  FestTimelineBlockData *block;
  g_autofree char *text = NULL;

  if (keyboard_mode)
    block = _fest_timeline_find_block (self, self->selected);
  else
    block = _fest_timeline_block_at (self, x, y, NULL);
  if (block == NULL || !_fest_timeline_block_visible (self, block))
    return FALSE;
  text = describe_block (self, block, "\n");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
fest_timeline_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FestTimeline *self = FEST_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      g_value_set_string (value, self->selected);
      break;
    case PROP_PIXELS_PER_HOUR:
      g_value_set_double (value, self->pixels_per_hour);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_timeline_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  FestTimeline *self = FEST_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SELECTED:
      fest_timeline_select (self, g_value_get_string (value));
      break;
    case PROP_PIXELS_PER_HOUR:
      fest_timeline_set_pixels_per_hour (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_timeline_dispose (GObject *object)
{
  FestTimeline *self = FEST_TIMELINE (object);

  g_clear_handle_id (&self->highlight_timeout, g_source_remove);
  _fest_timeline_drag_clear (self);
  _fest_timeline_forget_view (self);

  G_OBJECT_CLASS (fest_timeline_parent_class)->dispose (object);
}

static void
fest_timeline_finalize (GObject *object)
{
  FestTimeline *self = FEST_TIMELINE (object);

  _fest_timeline_drag_clear (self);
  g_clear_pointer (&self->block_by_id, g_hash_table_unref);
  g_clear_pointer (&self->blocks, g_ptr_array_unref);
  g_clear_pointer (&self->lane_index, g_hash_table_unref);
  g_clear_pointer (&self->lanes, g_ptr_array_unref);
  g_clear_pointer (&self->hour_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->hour_times, g_array_unref);
  g_clear_pointer (&self->zone, g_time_zone_unref);
  g_clear_pointer (&self->selected, g_free);
  g_clear_pointer (&self->highlight, g_free);

  G_OBJECT_CLASS (fest_timeline_parent_class)->finalize (object);
}

static void
fest_timeline_class_init (FestTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = fest_timeline_get_property;
  object_class->set_property = fest_timeline_set_property;
  object_class->dispose = fest_timeline_dispose;
  object_class->finalize = fest_timeline_finalize;
  widget_class->root = fest_timeline_root;
  widget_class->focus = fest_timeline_focus;
  widget_class->measure = fest_timeline_measure;
  widget_class->snapshot = _fest_timeline_snapshot;
  widget_class->query_tooltip = fest_timeline_query_tooltip;

  properties[PROP_SELECTED] =
    g_param_spec_string ("selected", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PIXELS_PER_HOUR] =
    g_param_spec_double ("pixels-per-hour", NULL, NULL, 12, 2400, 120,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[BLOCK_CHANGED] =
    g_signal_new ("block-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 4, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  signals[BLOCK_ACTIVATED] =
    g_signal_new ("block-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[CREATE_REQUESTED] =
    g_signal_new ("create-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT64, G_TYPE_INT64);
  signals[DELETE_REQUESTED] =
    g_signal_new ("delete-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_css_name (widget_class, "timeline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_timeline_init (FestTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);

  self->lanes = g_ptr_array_new_with_free_func (lane_free);
  self->lane_index = g_hash_table_new (g_str_hash, g_str_equal);
  self->blocks = g_ptr_array_new_with_free_func (block_free);
  self->block_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->zone = g_time_zone_new_local ();
  self->pixels_per_hour = 120;
  self->now = -1;
  self->name_width = -1;
  self->range_start = 0;
  self->range_end = 24 * 3600;

  gtk_widget_set_focusable (widget, TRUE);
  gtk_widget_set_focus_on_click (widget, TRUE);
  gtk_widget_set_has_tooltip (widget, TRUE);
  gtk_widget_set_overflow (widget, GTK_OVERFLOW_HIDDEN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Timeline"), -1);

  _fest_timeline_add_controllers (self);
}

/* Public API */

GtkWidget *
fest_timeline_new (void)
{
  return g_object_new (FEST_TYPE_TIMELINE, NULL);
}

void
fest_timeline_set_range (FestTimeline *self,
                         gint64        start,
                         gint64        end,
                         GTimeZone    *zone)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));
  g_return_if_fail (end > start);

  _fest_timeline_drag_abandon (self, TRUE);
  self->range_start = start;
  self->range_end = end;
  g_clear_pointer (&self->zone, g_time_zone_unref);
  self->zone = zone != NULL ? g_time_zone_ref (zone) : g_time_zone_new_local ();
  g_clear_pointer (&self->hour_layouts, g_ptr_array_unref);
  g_clear_pointer (&self->hour_times, g_array_unref);
  for (guint i = 0; i < self->blocks->len; i++)
    g_clear_object (&((FestTimelineBlockData *) g_ptr_array_index (self->blocks, i))->time_layout);
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

gint64
fest_timeline_get_range_start (FestTimeline *self)
{
  g_return_val_if_fail (FEST_IS_TIMELINE (self), 0);

  return self->range_start;
}

gint64
fest_timeline_get_range_end (FestTimeline *self)
{
  g_return_val_if_fail (FEST_IS_TIMELINE (self), 0);

  return self->range_end;
}

void
fest_timeline_set_lanes (FestTimeline           *self,
                         const FestTimelineLane *lanes,
                         guint                   n_lanes)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));
  g_return_if_fail (lanes != NULL || n_lanes == 0);

  _fest_timeline_drag_abandon (self, TRUE);
  g_hash_table_remove_all (self->lane_index);
  g_ptr_array_set_size (self->lanes, 0);
  for (guint i = 0; i < n_lanes; i++)
    {
      FestTimelineLaneData *lane;

      g_return_if_fail (lanes[i].id != NULL);
      lane = g_new0 (FestTimelineLaneData, 1);
      lane->id = g_strdup (lanes[i].id);
      lane->name = g_strdup (lanes[i].name != NULL ? lanes[i].name : "");
      lane->changeover_minutes = MAX (lanes[i].changeover_minutes, 0);
      g_ptr_array_add (self->lanes, lane);
      g_hash_table_insert (self->lane_index, lane->id, GUINT_TO_POINTER (i + 1));
    }
  self->name_width = -1;
  update_description (self);
  gtk_widget_queue_resize (GTK_WIDGET (self));
}

void
fest_timeline_set_blocks (FestTimeline            *self,
                          const FestTimelineBlock *blocks,
                          guint                    n_blocks)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));
  g_return_if_fail (blocks != NULL || n_blocks == 0);

  _fest_timeline_drag_abandon (self, FALSE);
  g_hash_table_remove_all (self->block_by_id);
  g_ptr_array_set_size (self->blocks, 0);
  for (guint i = 0; i < n_blocks; i++)
    {
      FestTimelineBlockData *block;

      g_return_if_fail (blocks[i].id != NULL);
      block = block_new (&blocks[i]);
      if (g_hash_table_contains (self->block_by_id, block->id))
        {
          g_critical ("fest_timeline_set_blocks: block %s given twice", block->id);
          block_free (block);
          continue;
        }
      g_ptr_array_add (self->blocks, block);
      g_hash_table_insert (self->block_by_id, block->id, block);
    }
  if (self->selected != NULL && _fest_timeline_find_block (self, self->selected) == NULL)
    _fest_timeline_set_selected (self, NULL);
  update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_timeline_update_block (FestTimeline            *self,
                            const FestTimelineBlock *block)
{
  FestTimelineBlockData *existing;

  g_return_if_fail (FEST_IS_TIMELINE (self));
  g_return_if_fail (block != NULL && block->id != NULL);

  existing = _fest_timeline_find_block (self, block->id);
  if (existing != NULL && g_strcmp0 (self->drag.block_id, block->id) == 0)
    _fest_timeline_drag_abandon (self, FALSE);
  if (existing == NULL)
    {
      existing = block_new (block);
      g_ptr_array_add (self->blocks, existing);
      g_hash_table_insert (self->block_by_id, existing->id, existing);
    }
  else
    {
      if (g_strcmp0 (existing->title, block->title) != 0 || existing->status != block->status)
        {
          g_free (existing->title);
          existing->title = g_strdup (block->title != NULL ? block->title : "");
          existing->status = block->status;
          block_drop_layouts (existing);
        }
      _fest_timeline_block_set_place (existing, block->lane_id, block->start,
                                      MAX (block->end, block->start));
    }
  if (g_strcmp0 (self->selected, block->id) == 0)
    update_description (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_timeline_remove_block (FestTimeline *self,
                            const char   *id)
{
  FestTimelineBlockData *block;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  block = _fest_timeline_find_block (self, id);
  if (block == NULL)
    return;
  if (g_strcmp0 (self->drag.block_id, id) == 0)
    _fest_timeline_drag_abandon (self, FALSE);
  if (g_strcmp0 (self->selected, id) == 0)
    _fest_timeline_set_selected (self, NULL);
  if (g_strcmp0 (self->highlight, id) == 0)
    clear_highlight (self);
  g_hash_table_remove (self->block_by_id, block->id);
  g_ptr_array_remove (self->blocks, block);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

gboolean
fest_timeline_lookup_block (FestTimeline      *self,
                            const char        *id,
                            FestTimelineBlock *out)
{
  FestTimelineBlockData *block;

  g_return_val_if_fail (FEST_IS_TIMELINE (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  block = _fest_timeline_find_block (self, id);
  if (block == NULL)
    return FALSE;
  out->id = block->id;
  out->lane_id = block->lane_id;
  out->title = block->title;
  out->start = block->start;
  out->end = block->end;
  out->status = block->status;
  return TRUE;
}

guint
fest_timeline_get_n_blocks (FestTimeline *self)
{
  g_return_val_if_fail (FEST_IS_TIMELINE (self), 0);

  return self->blocks->len;
}

const char *
fest_timeline_get_selected (FestTimeline *self)
{
  g_return_val_if_fail (FEST_IS_TIMELINE (self), NULL);

  return self->selected;
}

void
fest_timeline_select (FestTimeline *self,
                      const char   *id)
{
  FestTimelineBlockData *block;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  block = _fest_timeline_find_block (self, id);
  _fest_timeline_set_selected (self, block != NULL ? block->id : NULL);
  if (block != NULL)
    _fest_timeline_scroll_to_block (self, block);
}

void
fest_timeline_set_highlight (FestTimeline *self,
                             const char   *id)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));

  clear_highlight (self);
  if (id == NULL)
    return;
  self->highlight = g_strdup (id);
  self->highlight_timeout = g_timeout_add (HIGHLIGHT_MS, highlight_timeout_cb, self);
  if (_fest_timeline_find_block (self, id) != NULL)
    _fest_timeline_scroll_to_block (self, _fest_timeline_find_block (self, id));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_timeline_set_now (FestTimeline *self,
                       gint64        now)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));

  if (self->now == now)
    return;
  self->now = now;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_timeline_set_pixels_per_hour (FestTimeline *self,
                                   double        pixels_per_hour)
{
  g_return_if_fail (FEST_IS_TIMELINE (self));

  pixels_per_hour = CLAMP (pixels_per_hour, 12, 2400);
  if (self->pixels_per_hour == pixels_per_hour)
    return;
  self->pixels_per_hour = pixels_per_hour;
  gtk_widget_queue_resize (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PIXELS_PER_HOUR]);
}

double
fest_timeline_x_for_time (FestTimeline *self,
                          gint64        time)
{
  g_return_val_if_fail (FEST_IS_TIMELINE (self), 0);

  return _fest_timeline_name_width (self)
         + (time - self->range_start) / 3600.0 * self->pixels_per_hour;
}

double
fest_timeline_y_for_lane (FestTimeline *self,
                          const char   *lane_id)
{
  int index;

  g_return_val_if_fail (FEST_IS_TIMELINE (self), -1);

  index = _fest_timeline_lane_of (self, lane_id);
  if (index < 0)
    return -1;
  return lane_top (index) + FEST_TIMELINE_LANE_HEIGHT / 2.0;
}
