/* fest-end-of-shift.h: a station's end-of-shift report, saved as PDF and printable
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-store.h"

G_BEGIN_DECLS

#define FEST_TYPE_END_OF_SHIFT (fest_end_of_shift_get_type ())
G_DECLARE_FINAL_TYPE (FestEndOfShift, fest_end_of_shift, FEST, END_OF_SHIFT, GObject)

/* Saves the shift's report in the kiosk's fixed folder (no file chooser) and starts a new shift. */
FestEndOfShift *fest_end_of_shift_save     (FestStationStore *store,
                                            GError          **error);
/* The PDF written. */
const char     *fest_end_of_shift_get_path (FestEndOfShift   *self);
/* Opens the print dialog over @parent for the same report. */
gboolean        fest_end_of_shift_print    (FestEndOfShift   *self,
                                            GtkWindow        *parent,
                                            GError          **error);

G_END_DECLS
