/* fest-lineup-pdf.h: a festival day's running order as PDF, one A4 page per stage
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "fest-lineup-days.h"
#include "fest-lineup-model.h"

G_BEGIN_DECLS

/* Writes day @day of @days as the stage managers' running order to @path: one A4 page per stage
 * of @lineup (in its order), each with the festival's name, the stage and the day as title and a
 * table of the slots that start that day: start–end, artist, status and the changeover after the
 * set; times in the festival's zone (that of @days). */
gboolean fest_lineup_pdf_write (const char      *path,
                                FestLineup      *lineup,
                                FestLineupDays  *days,
                                guint            day,
                                const char      *festival_name,
                                GError         **error);

G_END_DECLS
