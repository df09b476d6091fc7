/* fest-timeline-input.c: the timeline's pointer and keyboard editing
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fest-timeline.h"
#include "fest-timeline-private.h"

#define DEFAULT_CREATE 3600
#define AUTOSCROLL_ZONE  40  /* pixels from an edge of the view where a drag scrolls it */
#define AUTOSCROLL_SPEED 24  /* pixels per frame at most */

static void
key_edit (FestTimeline          *self,
          FestTimelineBlockData *block,
          int                    lane_step,
          int                    move,
          int                    resize)
{
  gint64 start = block->start;
  gint64 end = block->end;
  const char *lane_id = block->lane_id;

  if (lane_step != 0)
    {
      FestTimelineLaneData *lane =
        _fest_timeline_lane_at (self, _fest_timeline_lane_of (self, block->lane_id) + lane_step);

      if (lane == NULL)
        return;
      lane_id = lane->id;
    }
  if (move != 0)
    {
      start = _fest_timeline_snap (self, start, -move) + move * FEST_TIMELINE_SNAP;
      end = start + (block->end - block->start);
    }
  if (resize != 0)
    end = MAX (_fest_timeline_snap (self, end, -resize) + resize * FEST_TIMELINE_SNAP,
               start + FEST_TIMELINE_MIN_LENGTH);
  if (start == block->start && end == block->end && lane_id == block->lane_id)
    return;
  _fest_timeline_block_set_place (block, lane_id, start, end);
  _fest_timeline_emit_changed (self, block);
}

/* Tab order */

static int
compare_time_order (gconstpointer a,
                    gconstpointer b,
                    gpointer      user_data)
{
  FestTimeline *self = user_data;
  FestTimelineBlockData *block_a = *(FestTimelineBlockData **) a;
  FestTimelineBlockData *block_b = *(FestTimelineBlockData **) b;
  int lane_a, lane_b;

  if (block_a->start != block_b->start)
    return block_a->start < block_b->start ? -1 : 1;
  lane_a = _fest_timeline_lane_of (self, block_a->lane_id);
  lane_b = _fest_timeline_lane_of (self, block_b->lane_id);
  if (lane_a != lane_b)
    return lane_a - lane_b;
  return strcmp (block_a->id, block_b->id);
}

gboolean
_fest_timeline_select_step (FestTimeline *self,
                            int           step)
{
  g_autoptr(GPtrArray) order = g_ptr_array_new ();
  FestTimelineBlockData *block;
  int index = -1;
  int next;

  for (guint i = 0; i < self->blocks->len; i++)
    if (_fest_timeline_block_visible (self, g_ptr_array_index (self->blocks, i)))
      g_ptr_array_add (order, g_ptr_array_index (self->blocks, i));
  g_ptr_array_sort_with_data (order, compare_time_order, self);
  for (guint i = 0; i < order->len; i++)
    if (g_strcmp0 (((FestTimelineBlockData *) g_ptr_array_index (order, i))->id,
                   self->selected) == 0)
      index = (int) i;

  if (index < 0)
    next = step > 0 ? 0 : (int) order->len - 1;
  else
    next = index + step;
  if (next < 0 || next >= (int) order->len)
    return FALSE;
  block = g_ptr_array_index (order, next);
  _fest_timeline_set_selected (self, block->id);
  _fest_timeline_scroll_to_block (self, block);
  return TRUE;
}

/* Drags */

void
_fest_timeline_drag_clear (FestTimeline *self)
{
  g_clear_pointer (&self->drag.block_id, g_free);
  g_clear_pointer (&self->drag.orig_lane_id, g_free);
  self->drag.mode = FEST_TIMELINE_DRAG_NONE;
  self->drag.started = FALSE;
  if (self->autoscroll_tick != 0)
    {
      gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->autoscroll_tick);
      self->autoscroll_tick = 0;
    }
}

/* Pixels a frame to scroll by with the pointer at @x: toward the edge of the view it is close to,
 * faster the closer it is. */
static double
autoscroll_speed (FestTimeline *self,
                  double        x)
{
  graphene_rect_t view;
  double left, right;

  _fest_timeline_get_view (self, &view);
  left = view.origin.x + _fest_timeline_name_width (self);
  right = view.origin.x + view.size.width;
  if (right - left < 4 * AUTOSCROLL_ZONE)
    return 0;
  if (x < left + AUTOSCROLL_ZONE)
    return -AUTOSCROLL_SPEED * MIN (1, (left + AUTOSCROLL_ZONE - x) / AUTOSCROLL_ZONE);
  if (x > right - AUTOSCROLL_ZONE)
    return AUTOSCROLL_SPEED * MIN (1, (x - right + AUTOSCROLL_ZONE) / AUTOSCROLL_ZONE);
  return 0;
}

/* While a drag holds the pointer near an edge of the view, the view scrolls and the block goes
 * along (the pointer stays where it is on the screen, so it moves over the widget). */
static gboolean
autoscroll_tick_cb (GtkWidget     *widget,
                    GdkFrameClock *clock,
                    gpointer       user_data)
{
  FestTimeline *self = FEST_TIMELINE (widget);
  double speed = autoscroll_speed (self, self->drag.x);
  double before, scrolled;

  if (!self->drag.started || self->hadjustment == NULL || speed == 0)
    {
      self->autoscroll_tick = 0;
      return G_SOURCE_REMOVE;
    }
  before = gtk_adjustment_get_value (self->hadjustment);
  gtk_adjustment_set_value (self->hadjustment, before + speed);
  scrolled = gtk_adjustment_get_value (self->hadjustment) - before;
  if (scrolled != 0)
    _fest_timeline_drag_update (self, self->drag.x + scrolled, self->drag.y);
  return G_SOURCE_CONTINUE;
}

void
_fest_timeline_drag_abandon (FestTimeline *self,
                             gboolean      restore)
{
  FestTimelineBlockData *block = _fest_timeline_find_block (self, self->drag.block_id);

  if (self->drag.mode == FEST_TIMELINE_DRAG_NONE || self->drag.mode == FEST_TIMELINE_DRAG_IGNORED)
    return;
  if (restore && block != NULL)
    _fest_timeline_block_set_place (block, self->drag.orig_lane_id, self->drag.orig_start,
                                    self->drag.orig_end);
  _fest_timeline_drag_clear (self);
  self->drag.mode = FEST_TIMELINE_DRAG_IGNORED;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
update_cursor (FestTimeline *self,
               double        x,
               double        y)
{
  const char *name = NULL;
  int edge = 0;

  if (self->drag.mode == FEST_TIMELINE_DRAG_MOVE && self->drag.started)
    name = "grabbing";
  else if (self->drag.mode == FEST_TIMELINE_DRAG_RESIZE_START
           || self->drag.mode == FEST_TIMELINE_DRAG_RESIZE_END)
    name = "ew-resize";
  else if (self->drag.mode == FEST_TIMELINE_DRAG_CREATE)
    name = "crosshair";
  else if (_fest_timeline_block_at (self, x, y, &edge) != NULL)
    name = edge != 0 ? "ew-resize" : "grab";
  if (name != self->cursor_name)
    {
      self->cursor_name = name;
      gtk_widget_set_cursor_from_name (GTK_WIDGET (self), name);
    }
}

/* Is (@x, @y) on lane space, not under the names or the ruler? */
static gboolean
in_lanes (FestTimeline *self,
          double        x,
          double        y)
{
  graphene_rect_t view;

  _fest_timeline_get_view (self, &view);
  return x >= view.origin.x + _fest_timeline_name_width (self)
         && y >= view.origin.y + FEST_TIMELINE_RULER_HEIGHT
         && _fest_timeline_lane_at_y (self, y, FALSE) >= 0;
}

void
_fest_timeline_drag_begin (FestTimeline *self,
                           double        x,
                           double        y)
{
  FestTimelineBlockData *block;
  int edge = 0;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  _fest_timeline_drag_clear (self);
  self->drag.start_x = self->drag.x = x;
  self->drag.start_y = self->drag.y = y;
  block = _fest_timeline_block_at (self, x, y, &edge);
  if (block != NULL)
    {
      _fest_timeline_set_selected (self, block->id);
      self->drag.mode = edge < 0 ? FEST_TIMELINE_DRAG_RESIZE_START
                        : edge > 0 ? FEST_TIMELINE_DRAG_RESIZE_END : FEST_TIMELINE_DRAG_MOVE;
      self->drag.block_id = g_strdup (block->id);
      self->drag.orig_lane_id = g_strdup (block->lane_id);
      self->drag.orig_start = block->start;
      self->drag.orig_end = block->end;
    }
  else if (in_lanes (self, x, y))
    {
      _fest_timeline_set_selected (self, NULL);
      self->drag.mode = FEST_TIMELINE_DRAG_CREATE;
      self->drag.create_lane = _fest_timeline_lane_at_y (self, y, FALSE);
    }
  else
    self->drag.mode = FEST_TIMELINE_DRAG_IGNORED;
  update_cursor (self, x, y);
}

void
_fest_timeline_drag_update (FestTimeline *self,
                            double        x,
                            double        y)
{
  FestTimelineBlockData *block;
  gint64 delta;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  if (self->drag.mode == FEST_TIMELINE_DRAG_NONE || self->drag.mode == FEST_TIMELINE_DRAG_IGNORED)
    return;
  self->drag.x = x;
  self->drag.y = y;
  if (!self->drag.started)
    {
      if (hypot (x - self->drag.start_x, y - self->drag.start_y) < FEST_TIMELINE_DRAG_THRESHOLD)
        return;
      self->drag.started = TRUE;
      update_cursor (self, x, y);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (self->autoscroll_tick == 0 && autoscroll_speed (self, x) != 0)
    self->autoscroll_tick = gtk_widget_add_tick_callback (GTK_WIDGET (self), autoscroll_tick_cb,
                                                          NULL, NULL);
  if (self->drag.mode == FEST_TIMELINE_DRAG_CREATE)
    return;

  block = _fest_timeline_find_block (self, self->drag.block_id);
  g_assert (block != NULL);
  delta = (gint64) llround ((x - self->drag.start_x) / self->pixels_per_hour * 3600);
  switch (self->drag.mode)
    {
    case FEST_TIMELINE_DRAG_MOVE:
      {
        FestTimelineLaneData *lane =
          _fest_timeline_lane_at (self, _fest_timeline_lane_at_y (self, y, TRUE));
        gint64 start = _fest_timeline_snap (self, self->drag.orig_start + delta, 0);

        _fest_timeline_block_set_place (block, lane != NULL ? lane->id : block->lane_id, start,
                         start + (self->drag.orig_end - self->drag.orig_start));
      }
      break;
    case FEST_TIMELINE_DRAG_RESIZE_START:
      block->start = MIN (_fest_timeline_snap (self, self->drag.orig_start + delta, 0),
                          block->end - FEST_TIMELINE_MIN_LENGTH);
      break;
    case FEST_TIMELINE_DRAG_RESIZE_END:
      block->end = MAX (_fest_timeline_snap (self, self->drag.orig_end + delta, 0),
                        block->start + FEST_TIMELINE_MIN_LENGTH);
      break;
    case FEST_TIMELINE_DRAG_NONE:
    case FEST_TIMELINE_DRAG_CREATE:
    case FEST_TIMELINE_DRAG_IGNORED:
    default:
      g_assert_not_reached ();
    }
}

gboolean
_fest_timeline_create_span (FestTimeline *self,
                            int          *lane,
                            gint64       *start,
                            gint64       *end)
{
  gint64 from, to;

  if (self->drag.mode != FEST_TIMELINE_DRAG_CREATE || !self->drag.started)
    return FALSE;
  from = _fest_timeline_time_for_x (self, MIN (self->drag.start_x, self->drag.x));
  to = _fest_timeline_time_for_x (self, MAX (self->drag.start_x, self->drag.x));
  from = _fest_timeline_snap (self, from, 0);
  to = _fest_timeline_snap (self, to, 0);
  from = CLAMP (from, self->range_start, self->range_end);
  to = CLAMP (MAX (to, from + FEST_TIMELINE_MIN_CREATE), self->range_start, self->range_end);
  *lane = self->drag.create_lane;
  *start = from;
  *end = to;
  return to > from;
}

void
_fest_timeline_drag_end (FestTimeline *self,
                         double        x,
                         double        y)
{
  FestTimelineBlockData *block;
  FestTimelineLaneData *lane;
  gint64 start, end;
  int lane_index;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  _fest_timeline_drag_update (self, x, y);
  switch (self->drag.mode)
    {
    case FEST_TIMELINE_DRAG_MOVE:
    case FEST_TIMELINE_DRAG_RESIZE_START:
    case FEST_TIMELINE_DRAG_RESIZE_END:
      block = _fest_timeline_find_block (self, self->drag.block_id);
      if (block != NULL
          && (block->start != self->drag.orig_start || block->end != self->drag.orig_end
              || g_strcmp0 (block->lane_id, self->drag.orig_lane_id) != 0))
        {
          _fest_timeline_drag_clear (self);
          _fest_timeline_emit_changed (self, block);
        }
      break;
    case FEST_TIMELINE_DRAG_CREATE:
      if (_fest_timeline_create_span (self, &lane_index, &start, &end)
          && (lane = _fest_timeline_lane_at (self, lane_index)) != NULL)
        {
          g_autofree char *lane_id = g_strdup (lane->id);

          _fest_timeline_drag_clear (self);
          gtk_widget_queue_draw (GTK_WIDGET (self));
          _fest_timeline_emit_create (self, lane_id, start, end);
        }
      break;
    case FEST_TIMELINE_DRAG_NONE:
    case FEST_TIMELINE_DRAG_IGNORED:
    default:
      break;
    }
  _fest_timeline_drag_clear (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  update_cursor (self, x, y);
}

void
_fest_timeline_click (FestTimeline *self,
                      int           n_press,
                      double        x,
                      double        y)
{
  FestTimelineBlockData *block;
  int lane;

  g_return_if_fail (FEST_IS_TIMELINE (self));

  if (gtk_widget_get_focusable (GTK_WIDGET (self)))
    gtk_widget_grab_focus (GTK_WIDGET (self));
  if (n_press != 2)
    return;
  block = _fest_timeline_block_at (self, x, y, NULL);
  if (block != NULL)
    {
      g_autofree char *id = g_strdup (block->id);

      _fest_timeline_set_selected (self, id);
      _fest_timeline_emit_activated (self, id);
    }
  else if (in_lanes (self, x, y) && (lane = _fest_timeline_lane_at_y (self, y, FALSE)) >= 0)
    {
      /* A double-click on empty space asks for an hour there. */
      g_autofree char *lane_id = g_strdup (_fest_timeline_lane_at (self, lane)->id);
      gint64 start = _fest_timeline_snap (self, _fest_timeline_time_for_x (self, x), -1);

      _fest_timeline_emit_create (self, lane_id, start, start + DEFAULT_CREATE);
    }
}

gboolean
_fest_timeline_handle_key (FestTimeline    *self,
                           guint            keyval,
                           GdkModifierType  state)
{
  FestTimelineBlockData *block;
  gboolean shift = (state & GDK_SHIFT_MASK) != 0;

  g_return_val_if_fail (FEST_IS_TIMELINE (self), FALSE);

  if (keyval == GDK_KEY_Escape)
    {
      if (self->drag.mode == FEST_TIMELINE_DRAG_NONE
          || self->drag.mode == FEST_TIMELINE_DRAG_IGNORED)
        return FALSE;
      _fest_timeline_drag_abandon (self, TRUE);
      return TRUE;
    }
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0)
    return FALSE;
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab || keyval == GDK_KEY_ISO_Left_Tab)
    return _fest_timeline_select_step (self, keyval == GDK_KEY_ISO_Left_Tab || shift ? -1 : 1);

  block = _fest_timeline_find_block (self, self->selected);
  if (block != NULL && !_fest_timeline_block_visible (self, block))
    block = NULL;
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      if (block == NULL)
        return FALSE;
      {
        g_autofree char *id = g_strdup (block->id);

        _fest_timeline_emit_activated (self, id);
      }
      return TRUE;
    case GDK_KEY_Delete:
    case GDK_KEY_KP_Delete:
      if (block == NULL)
        return FALSE;
      {
        g_autofree char *id = g_strdup (block->id);

        _fest_timeline_emit_delete (self, id);
      }
      return TRUE;
    default:
      return FALSE;
    }

  /* The arrows: a drag in progress owns the block; with nothing selected, they select. */
  if (self->drag.mode != FEST_TIMELINE_DRAG_NONE && self->drag.mode != FEST_TIMELINE_DRAG_IGNORED)
    return TRUE;
  if (block == NULL)
    return _fest_timeline_select_step (self, 1);
  switch (keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      key_edit (self, block, 0, shift ? 0 : -1, shift ? -1 : 0);
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      key_edit (self, block, 0, shift ? 0 : 1, shift ? 1 : 0);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      key_edit (self, block, -1, 0, 0);
      break;
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
    default:
      key_edit (self, block, 1, 0, 0);
      break;
    }
  return TRUE;
}

guint
_fest_timeline_get_n_snapshots (FestTimeline *self)
{
  return self->n_snapshots;
}

/* Controller callbacks */

static void
drag_begin_cb (GtkGestureDrag *gesture,
               double          start_x,
               double          start_y,
               FestTimeline   *self)
{
  _fest_timeline_drag_begin (self, start_x, start_y);
  if (self->drag.mode != FEST_TIMELINE_DRAG_IGNORED)
    gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
}

static void
drag_update_cb (GtkGestureDrag *gesture,
                double          offset_x,
                double          offset_y,
                FestTimeline   *self)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  _fest_timeline_drag_update (self, start_x + offset_x, start_y + offset_y);
}

static void
drag_end_cb (GtkGestureDrag *gesture,
             double          offset_x,
             double          offset_y,
             FestTimeline   *self)
{
  double start_x, start_y;

  gtk_gesture_drag_get_start_point (gesture, &start_x, &start_y);
  _fest_timeline_drag_end (self, start_x + offset_x, start_y + offset_y);
}

static void
drag_cancel_cb (GtkGesture       *gesture,
                GdkEventSequence *sequence,
                FestTimeline     *self)
{
  _fest_timeline_drag_abandon (self, TRUE);
  _fest_timeline_drag_clear (self);
}

static void
click_pressed_cb (GtkGestureClick *gesture,
                  int              n_press,
                  double           x,
                  double           y,
                  FestTimeline    *self)
{
  _fest_timeline_click (self, n_press, x, y);
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                FestTimeline          *self)
{
  return _fest_timeline_handle_key (self, keyval, state);
}

static void
motion_cb (GtkEventControllerMotion *controller,
           double                    x,
           double                    y,
           FestTimeline             *self)
{
  update_cursor (self, x, y);
}

static void
focus_changed_cb (GtkEventControllerFocus *controller,
                  FestTimeline            *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
_fest_timeline_add_controllers (FestTimeline *self)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkGesture *drag;
  GtkGesture *click;
  GtkEventController *controller;

  drag = gtk_gesture_drag_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (drag), GDK_BUTTON_PRIMARY);
  g_signal_connect (drag, "drag-begin", G_CALLBACK (drag_begin_cb), self);
  g_signal_connect (drag, "drag-update", G_CALLBACK (drag_update_cb), self);
  g_signal_connect (drag, "drag-end", G_CALLBACK (drag_end_cb), self);
  g_signal_connect (drag, "cancel", G_CALLBACK (drag_cancel_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (drag));

  click = gtk_gesture_click_new ();
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "pressed", G_CALLBACK (click_pressed_cb), self);
  gtk_widget_add_controller (widget, GTK_EVENT_CONTROLLER (click));
  /* One group: the drag claiming the press does not deny the click its double-click. */
  gtk_gesture_group (click, drag);

  controller = gtk_event_controller_key_new ();
  g_signal_connect (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_motion_new ();
  g_signal_connect (controller, "motion", G_CALLBACK (motion_cb), self);
  gtk_widget_add_controller (widget, controller);

  controller = gtk_event_controller_focus_new ();
  g_signal_connect (controller, "enter", G_CALLBACK (focus_changed_cb), self);
  g_signal_connect (controller, "leave", G_CALLBACK (focus_changed_cb), self);
  gtk_widget_add_controller (widget, controller);
}
