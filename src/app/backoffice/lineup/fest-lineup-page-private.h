/* fest-lineup-page-private.h: the Lineup page's fields, shared by its source files
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-lineup-page.h"

G_BEGIN_DECLS

struct _FestLineupPage
{
  FestPage            parent_instance;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkLabel           *day_label;
  GtkScrolledWindow  *timeline_scroller;
  GtkListView        *stages_list;
  GtkListView        *artists_list;
  GtkStringList      *stage_ids;     /* the side lists' models: ids into the lineup */
  GtkStringList      *artist_ids;
  FestTimeline       *timeline;

  GCancellable       *cancellable;   /* the load; edits are not cancelled by a reload */
  GCancellable       *dispose_cancellable;
  FestLineup         *lineup;
  FestLineupDays     *days;
  guint               day;
  JsonObject         *festival;
  JsonArray          *members;       /* nullable: GET /members may be refused */
  FestEventStream    *stream;
  GtkNativeDialog    *chooser;
  GHashTable         *moves;         /* slot id → its PATCH in flight (fest-lineup-page-slots.c) */

  guint               now_id;
  guint               scroll_id;
  guint               pending;
  guint               n_loads;
  gboolean            stream_dropped; /* the stream was connected and is not: reload when back */
  char               *last_toast;
  char               *highlight;     /* the slot last shown as in the way */
};

void  _fest_lineup_page_toast             (FestLineupPage       *self,
                                           const char           *message);
void  _fest_lineup_page_toast_error       (FestLineupPage       *self,
                                           const GError         *error);
/* "Nova Trio, 21:00–22:00" (transfer full). */
char *_fest_lineup_page_describe_slot     (FestLineupPage       *self,
                                           const FestLineupSlot *slot);
/* A request for the page, counted in "pending"; @callback gets the answer's data or NULL and
 * the error (never a cancelled one: the page is gone then and @callback is not called). */
typedef void (*FestLineupDoneFunc) (FestLineupPage *self,
                                    JsonNode       *data,
                                    const GError   *error,
                                    gpointer        user_data);
void  _fest_lineup_page_send              (FestLineupPage       *self,
                                           const char           *method,
                                           const char           *path,
                                           JsonNode             *body,
                                           FestLineupDoneFunc    callback,
                                           gpointer              user_data,
                                           GDestroyNotify        user_data_free);

/* fest-lineup-page.c */
int      _fest_lineup_page_day_start_hour   (void);
gboolean _fest_lineup_page_day_shown        (FestLineupPage       *self);
/* Shows @slot's block where the model has it, or takes it off the day shown. */
void     _fest_lineup_page_put_block        (FestLineupPage       *self,
                                             const FestLineupSlot *slot);

/* fest-lineup-page-slots.c: moving, editing and cancelling slots. */
/* The server's slot (an answer or a live event): the model and the block follow it. */
void  _fest_lineup_page_take_slot         (FestLineupPage       *self,
                                           JsonNode             *data);
void  _fest_lineup_page_connect_timeline  (FestLineupPage       *self);
GHashTable *_fest_lineup_page_new_moves   (void);
void  _fest_lineup_page_class_init_slots  (GtkWidgetClass       *widget_class);

/* fest-lineup-page-lists.c: the side lists of stages and artists and their actions. */
/* Sets the lists' models and factories up: only the rows in sight are built. */
void  _fest_lineup_page_init_lists        (FestLineupPage       *self);
void  _fest_lineup_page_fill_lists        (FestLineupPage       *self);
void  _fest_lineup_page_class_init_lists  (GtkWidgetClass       *widget_class);

/* fest-lineup-page-export.c: the export actions. */
void  _fest_lineup_page_class_init_export (GtkWidgetClass       *widget_class);

G_END_DECLS
