/* fest-gst-util.h: GStreamer helpers shared by the tones and the station's camera
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gst/gst.h>

G_BEGIN_DECLS

/* Sets @pipeline to @state on a worker thread, so that a slow state change (an audio device
 * opening, a camera starting) never stalls the UI. One thread: changes happen in the order they
 * were queued. Takes a reference on @pipeline until it is done. */
void fest_gst_queue_state_change  (GstElement *pipeline,
                                   GstState    state);

/* Waits until every queued state change is done. Call it before the process exits: a camera or
 * an audio device is only released once its pipeline has reached GST_STATE_NULL. */
void fest_gst_flush_state_changes (void);

/* A kiosk's GStreamer device setting ("station-camera-pipeline", "station-audio-sink"): NULL when
 * it is empty or the settings schema is not installed (transfer full). */
char *fest_gst_device_setting     (const char *key);

G_END_DECLS
