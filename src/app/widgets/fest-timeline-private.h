/* fest-timeline-private.h: the timeline's state, shared by its input and drawing code, and the
 * entry points its event controllers call (tests and benchmarks call them too)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-timeline.h"

G_BEGIN_DECLS

#define FEST_TIMELINE_RULER_HEIGHT   28
#define FEST_TIMELINE_LANE_HEIGHT    56
#define FEST_TIMELINE_BLOCK_INSET    5   /* between a block and its lane's edges */
#define FEST_TIMELINE_EDGE_GRAB      6   /* the pointer resizes within this of a block's edge */
#define FEST_TIMELINE_SNAP           300 /* seconds: the 5-minute grid */
#define FEST_TIMELINE_MIN_LENGTH     300
#define FEST_TIMELINE_MIN_CREATE     900
#define FEST_TIMELINE_DRAG_THRESHOLD 4   /* pixels before a press becomes a drag */

typedef struct
{
  char        *id;
  char        *name;
  int          changeover_minutes;
  PangoLayout *layout;           /* the name, ellipsized to the name column */
} FestTimelineLaneData;

typedef struct
{
  char               *id;
  char               *lane_id;
  char               *title;
  gint64              start;
  gint64              end;
  FestTimelineStatus  status;

  /* Drawing caches: rebuilt when the text they show changes, or the widget's font. */
  PangoLayout        *title_layout;
  PangoLayout        *time_layout;
  gint64              time_layout_start;
  gint64              time_layout_end;
} FestTimelineBlockData;

typedef enum
{
  FEST_TIMELINE_DRAG_NONE,
  FEST_TIMELINE_DRAG_MOVE,
  FEST_TIMELINE_DRAG_RESIZE_START,
  FEST_TIMELINE_DRAG_RESIZE_END,
  FEST_TIMELINE_DRAG_CREATE,
  FEST_TIMELINE_DRAG_IGNORED,     /* cancelled with Escape, or a press on nothing: until release */
} FestTimelineDragMode;

typedef struct
{
  FestTimelineDragMode  mode;
  gboolean              started;  /* moved past the threshold */
  double                start_x;
  double                start_y;
  double                x;
  double                y;
  char                 *block_id;
  char                 *orig_lane_id;
  gint64                orig_start;
  gint64                orig_end;
  int                   create_lane;
} FestTimelineDrag;

struct _FestTimeline
{
  GtkWidget              parent_instance;

  GPtrArray             *lanes;        /* FestTimelineLaneData */
  GHashTable            *lane_index;   /* id → GUINT_TO_POINTER (index + 1) */
  GPtrArray             *blocks;       /* FestTimelineBlockData, in the order they were given */
  GHashTable            *block_by_id;  /* borrowed id → FestTimelineBlockData */

  gint64                 range_start;
  gint64                 range_end;
  GTimeZone             *zone;
  double                 pixels_per_hour;
  gint64                 now;

  char                  *selected;
  char                  *highlight;
  guint                  highlight_timeout;

  FestTimelineDrag       drag;
  guint                  autoscroll_tick;
  const char            *cursor_name;

  /* The parent's adjustments when it scrolls us (a GtkViewport): what is in sight. */
  GtkAdjustment         *hadjustment;
  GtkAdjustment         *vadjustment;

  /* Drawing caches */
  int                    name_width;   /* -1: to measure */
  GPtrArray             *hour_layouts; /* PangoLayout, one per hour tick of the range */
  GArray                *hour_times;   /* gint64, the ticks */
  guint                  pango_serial;
  guint                  n_snapshots;
};

/* Geometry and model helpers (fest-timeline.c) */
int                    _fest_timeline_name_width    (FestTimeline          *self);
int                    _fest_timeline_lane_of       (FestTimeline          *self,
                                                     const char            *lane_id);
gboolean               _fest_timeline_block_visible (FestTimeline          *self,
                                                     FestTimelineBlockData *block);
/* The part of the widget in sight (all of it unless a GtkViewport scrolls it); the lane names
 * stay at its left edge and the hour ruler at its top. */
void                   _fest_timeline_get_view      (FestTimeline          *self,
                                                     graphene_rect_t       *view);
/* Drops the adjustments _fest_timeline_get_view() follows. */
void                   _fest_timeline_forget_view   (FestTimeline          *self);
/* Scrolls the parent (a GtkViewport in a GtkScrolledWindow) to show @block. */
void                   _fest_timeline_scroll_to_block (FestTimeline        *self,
                                                       FestTimelineBlockData *block);
/* The block's rectangle in widget coordinates (not clipped to the range); FALSE when it is not
 * drawn (unknown lane, outside the range). */
gboolean               _fest_timeline_block_rect    (FestTimeline          *self,
                                                     FestTimelineBlockData *block,
                                                     graphene_rect_t       *rect);
char                  *_fest_timeline_format_times  (FestTimeline          *self,
                                                     gint64                 start,
                                                     gint64                 end);
/* The lane and times a create-drag in progress covers; FALSE when there is none. */
gboolean               _fest_timeline_create_span   (FestTimeline          *self,
                                                     int                   *lane,
                                                     gint64                *start,
                                                     gint64                *end);
/* Drops the cached layouts (font or text changed). */
void                   _fest_timeline_drop_layouts  (FestTimeline          *self);

FestTimelineBlockData *_fest_timeline_find_block    (FestTimeline          *self,
                                                     const char            *id);
FestTimelineLaneData  *_fest_timeline_lane_at       (FestTimeline          *self,
                                                     int                    index);
/* The lane under @y, or -1; @clamp picks the nearest lane instead. */
int                    _fest_timeline_lane_at_y     (FestTimeline          *self,
                                                     double                 y,
                                                     gboolean               clamp);
/* @time on the 5-minute grid of the timeline's zone: rounded (@direction 0), down (-1) or
 * up (1). */
gint64                 _fest_timeline_snap          (FestTimeline          *self,
                                                     gint64                 time,
                                                     int                    direction);
gint64                 _fest_timeline_time_for_x    (FestTimeline          *self,
                                                     double                 x);
/* The topmost block under (@x, @y); *@edge (nullable): -1 on its start edge, 1 on its end edge,
 * 0 inside. */
FestTimelineBlockData *_fest_timeline_block_at      (FestTimeline          *self,
                                                     double                 x,
                                                     double                 y,
                                                     int                   *edge);
void                   _fest_timeline_block_set_place (FestTimelineBlockData *block,
                                                       const char          *lane_id,
                                                       gint64               start,
                                                       gint64               end);
void                   _fest_timeline_set_selected  (FestTimeline          *self,
                                                     const char            *id);
/* Selects the next (@step 1) or previous (-1) drawn block in time order; FALSE past the ends. */
gboolean               _fest_timeline_select_step   (FestTimeline          *self,
                                                     int                    step);
/* The user put the block where it is: clears the highlight, scrolls to it, emits
 * "block-changed". */
void                   _fest_timeline_emit_changed  (FestTimeline          *self,
                                                     FestTimelineBlockData *block);
void                   _fest_timeline_emit_activated (FestTimeline         *self,
                                                      const char           *id);
void                   _fest_timeline_emit_delete   (FestTimeline          *self,
                                                     const char            *id);
void                   _fest_timeline_emit_create   (FestTimeline          *self,
                                                     const char            *lane_id,
                                                     gint64                 start,
                                                     gint64                 end);

/* Input (fest-timeline-input.c) */
void                   _fest_timeline_add_controllers (FestTimeline        *self);
void                   _fest_timeline_drag_clear    (FestTimeline          *self);
/* The drag stops following the pointer until the button is released; @restore puts the block
 * back where it was. */
void                   _fest_timeline_drag_abandon  (FestTimeline          *self,
                                                     gboolean               restore);

/* Drawing (fest-timeline-snapshot.c) */
void                   _fest_timeline_snapshot      (GtkWidget             *widget,
                                                     GtkSnapshot           *snapshot);

/* What the controllers do; widget coordinates. */
gboolean               _fest_timeline_handle_key    (FestTimeline          *self,
                                                     guint                  keyval,
                                                     GdkModifierType        state);
void                   _fest_timeline_drag_begin    (FestTimeline          *self,
                                                     double                 x,
                                                     double                 y);
void                   _fest_timeline_drag_update   (FestTimeline          *self,
                                                     double                 x,
                                                     double                 y);
void                   _fest_timeline_drag_end      (FestTimeline          *self,
                                                     double                 x,
                                                     double                 y);
/* The click gesture's press (@n_press 2 activates a block, or asks for a new one on empty
 * space). */
void                   _fest_timeline_click         (FestTimeline          *self,
                                                     int                    n_press,
                                                     double                 x,
                                                     double                 y);
/* How many times snapshot() ran (benchmarks wait for the frame that drew their change). */
guint                  _fest_timeline_get_n_snapshots (FestTimeline        *self);

G_END_DECLS
