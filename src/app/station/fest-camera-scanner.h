/* fest-camera-scanner.h: reads QR codes from a webcam (GStreamer + zbar) with a live preview
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef enum
{
  FEST_CAMERA_STOPPED,     /* not started, or stopped */
  FEST_CAMERA_SEARCHING,   /* looking for a camera */
  FEST_CAMERA_NONE,        /* no camera plugged in */
  FEST_CAMERA_RUNNING,     /* scanning */
  FEST_CAMERA_ERROR,       /* see fest_camera_scanner_get_message() */
} FestCameraState;

#define FEST_TYPE_CAMERA_SCANNER (fest_camera_scanner_get_type ())
G_DECLARE_FINAL_TYPE (FestCameraScanner, fest_camera_scanner, FEST, CAMERA_SCANNER, GObject)

/* Also a GdkPaintable: the latest camera frame (nothing before the first one), for a GtkPicture.
 * Signal "code-scanned" (const char *text): a code was read; the same code is emitted again only
 * after it has been out of sight for 2 s.
 * $FESTIVALS_CAMERA_PIPELINE (tests): a gst-launch description of the source part used instead
 * of a camera, e.g. "filesrc location=qr.png ! pngdec ! imagefreeze". */
FestCameraScanner *fest_camera_scanner_new          (void);
/* Looks for a camera (and watches for one being plugged in) and scans; never blocks. */
void               fest_camera_scanner_start        (FestCameraScanner *self);
/* Stops scanning and releases the camera. */
void               fest_camera_scanner_stop         (FestCameraScanner *self);
FestCameraState    fest_camera_scanner_get_state    (FestCameraScanner *self);
/* Words for the operator when the state is ERROR, else NULL. */
const char        *fest_camera_scanner_get_message  (FestCameraScanner *self);
/* The camera's name when one is in use, else NULL. */
const char        *fest_camera_scanner_get_camera_name (FestCameraScanner *self);

G_END_DECLS
