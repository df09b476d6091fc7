/* fest-cash-shift-dialog.h: opening float and closing count of a station's cash shift
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_CASH_SHIFT_DIALOG (fest_cash_shift_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FestCashShiftDialog, fest_cash_shift_dialog, FEST, CASH_SHIFT_DIALOG, GtkWindow)

/* Modal over @parent. Opening: the float in euros, typed; "Open shift" queues shift.open and
 * emits "done". Closing: a count per note and coin, the total live; "Close shift" queues
 * shift.close, syncs, and shows expected, counted and difference (the server's once it answers,
 * the station's estimate until then); "Save report" emits "done". */
FestCashShiftDialog *fest_cash_shift_dialog_new_open  (GtkWindow          *parent,
                                                      FestStationContext *context);
FestCashShiftDialog *fest_cash_shift_dialog_new_close (GtkWindow          *parent,
                                                      FestStationContext *context);
/* The gate before a station's first cash sale or recharge of the shift: with a cash shift open,
 * returns NULL; without one, presents the opening dialog over @page's window and returns the
 * message the page shows (it then sells nothing). */
const char          *fest_cash_shift_dialog_require_open (GtkWidget          *page,
                                                          FestStationContext *context);
/* Counted total in euro cents (closing). */
gint64               fest_cash_shift_dialog_get_counted_cents (FestCashShiftDialog *self);
/* Closing: the expected/counted/difference text shown (NULL before closing), and whether its
 * figures are the server's (TRUE) or the station's estimate. */
const char          *fest_cash_shift_dialog_get_result_text (FestCashShiftDialog *self);
gboolean             fest_cash_shift_dialog_get_confirmed   (FestCashShiftDialog *self);

G_END_DECLS
