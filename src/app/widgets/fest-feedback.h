/* fest-feedback.h: short distinct tones for accept, already used and refuse (stations, incidents)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <gst/gst.h>

G_BEGIN_DECLS

typedef enum
{
  FEST_FEEDBACK_ACCEPT,
  FEST_FEEDBACK_WARNING,
  FEST_FEEDBACK_REFUSE,
} FestFeedbackKind;

/* The synthesized tones: signed 16-bit little-endian mono at this rate. */
#define FEST_FEEDBACK_RATE 48000

#define FEST_TYPE_FEEDBACK (fest_feedback_get_type ())
G_DECLARE_FINAL_TYPE (FestFeedback, fest_feedback, FEST, FEEDBACK, GObject)

/* The process-wide player, created on first use (never NULL); use it from the main thread. */
FestFeedback *fest_feedback_get_default    (void);
/* Loads GStreamer (its plugin registry) on a worker thread, once per process, so that the first
 * tone of a window that may play one (e.g. the incidents page) does not stall a frame. */
void          fest_feedback_prepare        (void);
/* Starts the tone of @kind and returns at once; a new tone cuts the one still playing. Silent
 * when muted (GSettings key station-sounds) or when there is no audio output. */
void          fest_feedback_play           (FestFeedback     *self,
                                            FestFeedbackKind  kind);

/* Tests: the pipeline of the tone playing now, NULL when none (transfer full). The sink is
 * autoaudiosink unless the "station-audio-sink" setting holds a gst-launch description of another
 * one (e.g. "appsink name=sink sync=false"), read at every play. */
GstElement   *fest_feedback_dup_pipeline   (FestFeedback     *self);

G_END_DECLS
