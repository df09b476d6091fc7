/* fest-timeline.h: a day of the lineup as lanes of blocks, edited with the pointer and the keys
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  FEST_TIMELINE_STATUS_PENDING,
  FEST_TIMELINE_STATUS_CONFIRMED,
  FEST_TIMELINE_STATUS_CANCELLED,
} FestTimelineStatus;

/* A lane (a stage). The strings are copied. */
typedef struct
{
  const char *id;
  const char *name;
  int         changeover_minutes;  /* drawn as a buffer after each live block of the lane */
} FestTimelineLane;

/* A block (a slot). Times are Unix seconds. The strings are copied. */
typedef struct
{
  const char        *id;
  const char        *lane_id;
  const char        *title;        /* the artist's name */
  gint64             start;
  gint64             end;
  FestTimelineStatus status;
} FestTimelineBlock;

#define FEST_TYPE_TIMELINE (fest_timeline_get_type ())

G_DECLARE_FINAL_TYPE (FestTimeline, fest_timeline, FEST, TIMELINE, GtkWidget)

/* One day of the lineup: stages as horizontal lanes (their names in a column on the left), time
 * along the x axis with hour ticks labelled in the timeline's time zone, slots as blocks coloured
 * by status with their changeover buffer after them, and a "now" line. Drawn in snapshot();
 * edited with a GtkGestureDrag (move a block in time and across lanes, drag either edge to resize,
 * drag on empty lane space to ask for a new block; 5-minute snap), a GtkGestureClick (select;
 * double-click activates) and a GtkEventControllerKey (Left/Right move the selected block by
 * 5 minutes, Up/Down to the lane above/below, Shift+Left/Right shorten/lengthen it by 5 minutes,
 * Tab/Shift+Tab select the next/previous block in time order, Return activates, Delete asks to
 * delete). The widget is focusable; its accessible description names the selected block.
 *
 * An edit moves the block at once and emits "block-changed"; the owner sends it to the server and,
 * if refused, puts the block back with fest_timeline_update_block(). Its natural width follows
 * the "pixels-per-hour" property, so it is meant to sit in a GtkScrolledWindow. */
GtkWidget  *fest_timeline_new                (void);

/* The day shown: [start, end) in Unix seconds; hour labels and the 5-minute grid use @zone. */
void        fest_timeline_set_range          (FestTimeline            *self,
                                              gint64                   start,
                                              gint64                   end,
                                              GTimeZone               *zone);
gint64      fest_timeline_get_range_start    (FestTimeline            *self);
gint64      fest_timeline_get_range_end      (FestTimeline            *self);

/* Replace every lane / every block. Blocks of unknown lanes or outside the range are kept but
 * not drawn. The selection is kept when its block still exists. */
void        fest_timeline_set_lanes          (FestTimeline            *self,
                                              const FestTimelineLane  *lanes,
                                              guint                    n_lanes);
void        fest_timeline_set_blocks         (FestTimeline            *self,
                                              const FestTimelineBlock *blocks,
                                              guint                    n_blocks);
/* Insert or replace one block by id (a live update, or a refused edit put back). */
void        fest_timeline_update_block       (FestTimeline            *self,
                                              const FestTimelineBlock *block);
void        fest_timeline_remove_block       (FestTimeline            *self,
                                              const char              *id);
/* The block @id as the widget has it now (strings borrowed, valid until the next change), or
 * FALSE when there is none. */
gboolean    fest_timeline_lookup_block       (FestTimeline            *self,
                                              const char              *id,
                                              FestTimelineBlock       *out);
guint       fest_timeline_get_n_blocks       (FestTimeline            *self);

/* The selected block's id (nullable), also the "selected" property. */
const char *fest_timeline_get_selected       (FestTimeline            *self);
void        fest_timeline_select             (FestTimeline            *self,
                                              const char              *id);
/* Marks @id (a conflicting slot) until the next edit or 4 seconds; NULL clears. */
void        fest_timeline_set_highlight      (FestTimeline            *self,
                                              const char              *id);
/* The "now" line, in Unix seconds; -1 hides it. */
void        fest_timeline_set_now            (FestTimeline            *self,
                                              gint64                   now);
void        fest_timeline_set_pixels_per_hour (FestTimeline           *self,
                                               double                  pixels_per_hour);
/* The x of a time and the time of an x, in widget coordinates (for tests and benchmarks that
 * drag with the pointer); the lane's vertical centre. */
double      fest_timeline_x_for_time         (FestTimeline            *self,
                                              gint64                   time);
double      fest_timeline_y_for_lane         (FestTimeline            *self,
                                              const char              *lane_id);

/* Signals:
 *   "block-changed"     (const char *id, const char *lane_id, gint64 start, gint64 end): the user
 *                       moved or resized a block (drag released, or a key); the widget already
 *                       shows it there.
 *   "block-activated"   (const char *id): double-click or Return on a block.
 *   "create-requested"  (const char *lane_id, gint64 start, gint64 end): a drag on empty space.
 *   "delete-requested"  (const char *id): Delete on the selected block.
 * Properties: "selected" (string), "pixels-per-hour" (double). */

G_END_DECLS
