/* fest-lineup-page.h: the Lineup page, a day's timeline of stages and slots, edited live
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-lineup-days.h"
#include "fest-lineup-model.h"
#include "fest-page.h"
#include "fest-timeline.h"

G_BEGIN_DECLS

#define FEST_TYPE_LINEUP_PAGE (fest_lineup_page_get_type ())
G_DECLARE_FINAL_TYPE (FestLineupPage, fest_lineup_page, FEST, LINEUP_PAGE, FestPage)

/* The page's actions ("lineup" group), which its buttons and the tests use:
 *   lineup.move-slot "(ssxx)"  slot id, stage id, start, end (Unix seconds): PATCH /slots/{id}
 *   lineup.edit-slot "s", lineup.cancel-slot "s" (asks first), lineup.new-slot
 *   lineup.previous-day, lineup.next-day, lineup.reload
 *   lineup.new-stage, lineup.edit-stage "s", lineup.delete-stage "s"
 *   lineup.new-artist, lineup.edit-artist "s", lineup.delete-artist "s"
 *   lineup.export-ical, lineup.export-pdf (a save dialog each) */
GtkWidget      *fest_lineup_page_new            (FestClient     *client);

/* For tests: "loading", "error", "empty" or "content". */
const char     *fest_lineup_page_get_state      (FestLineupPage *self);
FestLineup     *fest_lineup_page_get_lineup     (FestLineupPage *self);
/* NULL before the festival is known. */
FestLineupDays *fest_lineup_page_get_days       (FestLineupPage *self);
guint           fest_lineup_page_get_day        (FestLineupPage *self);
void            fest_lineup_page_set_day        (FestLineupPage *self,
                                                 guint           day);
FestTimeline   *fest_lineup_page_get_timeline   (FestLineupPage *self);
/* The last message shown in a toast, or NULL. */
const char     *fest_lineup_page_get_last_toast (FestLineupPage *self);
/* Requests to the server in flight (edits, exports). */
guint           fest_lineup_page_get_pending    (FestLineupPage *self);
/* The slot last highlighted as the one in the way of a refused edit, or NULL. */
const char     *fest_lineup_page_get_highlight  (FestLineupPage *self);
/* How many times the page's data was loaded (a live update does not load it again). */
guint           fest_lineup_page_get_n_loads    (FestLineupPage *self);

/* What the export actions do once the save dialog gave a file; a toast says how it went. */
void            fest_lineup_page_export_ical_to (FestLineupPage *self,
                                                 GFile          *file);
void            fest_lineup_page_export_pdf_to  (FestLineupPage *self,
                                                 GFile          *file);

G_END_DECLS
