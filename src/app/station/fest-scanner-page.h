/* fest-scanner-page.h: the scanner station page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

#include "fest-camera-scanner.h"

G_BEGIN_DECLS

#define FEST_TYPE_SCANNER_PAGE (fest_scanner_page_get_type ())
G_DECLARE_FINAL_TYPE (FestScannerPage, fest_scanner_page, FEST, SCANNER_PAGE, GtkBox)

FestScannerPage *fest_scanner_page_new         (FestStationContext *context);
void             fest_scanner_page_handle_scan   (FestScannerPage   *self,
                                                  const char        *code);
/* Shows the alerts (DUPLICATE_ENTRY…) pulled since the last call. */
void             fest_scanner_page_show_alerts   (FestScannerPage   *self);
/* The festival's gates: the cached ones in the gate picker at once, then GET /gates (kept in the
 * store). With no gate at all, the station's gate is the typed name. */
void             fest_scanner_page_reload_gates  (FestScannerPage   *self);
/* Tests: the gate picker (shown when the festival has gates) and the typed gate name. */
GtkDropDown     *fest_scanner_page_get_gate_picker (FestScannerPage *self);
GtkWidget       *fest_scanner_page_get_gate_entry  (FestScannerPage *self);
/* Scans let people out (TRUE) or in. */
void             fest_scanner_page_set_exit      (FestScannerPage   *self,
                                                  gboolean           exit);
/* Tests: "accept", "used", "refused", "exit" or NULL, and the words shown. */
const char      *fest_scanner_page_get_verdict   (FestScannerPage   *self);
const char      *fest_scanner_page_get_reason    (FestScannerPage   *self);
guint            fest_scanner_page_get_entries   (FestScannerPage   *self);
/* Tests: the alert text shown, NULL when none is shown. */
const char      *fest_scanner_page_get_alert     (FestScannerPage   *self);
/* The webcam reader beside the verdict (running while the page is mapped). */
FestCameraScanner *fest_scanner_page_get_camera  (FestScannerPage   *self);
/* Human words for a scan refusal. */
const char      *fest_scan_reason_to_text        (FestScanReason     reason);

G_END_DECLS
