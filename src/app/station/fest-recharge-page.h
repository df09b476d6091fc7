/* fest-recharge-page.h: the recharge station page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_RECHARGE_PAGE (fest_recharge_page_get_type ())
G_DECLARE_FINAL_TYPE (FestRechargePage, fest_recharge_page, FEST, RECHARGE_PAGE, GtkBox)

FestRechargePage *fest_recharge_page_new         (FestStationContext *context);
void             fest_recharge_page_handle_scan  (FestRechargePage  *self,
                                                  const char        *code);
/* The wallet code field: where a code typed outside any field goes. */
GtkEditable     *fest_recharge_page_get_code_entry (FestRechargePage *self);
/* Tests: the money received on the keypad, in euro cents (whole euros); the credit it makes, in
 * minor units (0 unless it converts exactly); the line that shows that credit (or why not). */
void             fest_recharge_page_set_received (FestRechargePage  *self,
                                                  gint64             eur_cents);
gint64           fest_recharge_page_get_amount   (FestRechargePage  *self);
const char      *fest_recharge_page_get_conversion (FestRechargePage *self);
const char      *fest_recharge_page_get_message  (FestRechargePage  *self);
/* TRUE while an online credit waits for the server. */
gboolean         fest_recharge_page_get_crediting (FestRechargePage *self);
/* End of shift (Ctrl+R): the till counted and the cash shift closed when one is open, then the
 * shift report saved as PDF (its path, NULL before). */
void             fest_recharge_page_shift_report (FestRechargePage  *self);
const char      *fest_recharge_page_get_report_path (FestRechargePage *self);

G_END_DECLS
