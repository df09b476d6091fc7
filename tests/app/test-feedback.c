/* test-feedback.c: the station tones are real, short and tell accept, already used and refuse apart
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each tone is played through FestFeedback's real GStreamer pipeline with the sink swapped for an
 * appsink (the "station-audio-sink" setting); the pulled samples are cut into bursts (sound between
 * silences) and each burst's dominant frequency is measured with the Goertzel algorithm.
 */

#include "config.h"

#include <math.h>
#include <gio/gio.h>
#include <gst/app/gstappsink.h>

#include "fest-feedback.h"
#include "fest-gst-util.h"

#define RATE       FEST_FEEDBACK_RATE
#define FRAME      (RATE / 500)   /* 2 ms frames to find the silences */

#define TEST_SINK "audio/x-raw,format=S16LE,channels=1,rate=48000 ! appsink name=sink sync=false"

/* The kiosk's sound output, as the station settings hold it (GSettings' memory backend here). */
static void
set_audio_sink (const char *description)
{
  g_autoptr(GSettings) settings = g_settings_new ("app.festivals.Festivals");

  g_settings_set_string (settings, "station-audio-sink", description);
}

typedef struct
{
  guint  start;       /* sample index */
  guint  length;      /* samples */
  double frequency;   /* dominant, Hz */
} Burst;

static gboolean
no_pipeline (gpointer data)
{
  g_autoptr(GstElement) pipeline = fest_feedback_dup_pipeline (data);

  return pipeline == NULL;
}

static gboolean
wait_until (GSourceFunc condition,
            gpointer    data,
            guint       timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static gboolean
sink_started (gpointer data)
{
  GstState state = GST_STATE_NULL;

  gst_element_get_state (data, &state, NULL, 0);
  return state >= GST_STATE_PAUSED;
}

/* Plays @kind into the appsink and returns every sample (gint16). */
static GArray *
record (FestFeedbackKind kind)
{
  FestFeedback *feedback = fest_feedback_get_default ();
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) sink = NULL;
  GArray *samples = g_array_new (FALSE, FALSE, sizeof (gint16));

  fest_feedback_play (feedback, kind);
  pipeline = fest_feedback_dup_pipeline (feedback);
  g_assert_nonnull (pipeline);
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_assert_nonnull (sink);
  /* The player starts the pipeline on its worker thread: a stopped appsink reads as EOS. */
  g_assert_true (wait_until (sink_started, sink, 5000));

  for (;;)
    {
      g_autoptr(GstSample) sample = gst_app_sink_try_pull_sample (GST_APP_SINK (sink), 10 * GST_SECOND);
      GstMapInfo map;
      GstBuffer *buffer;

      if (sample == NULL)
        {
          g_assert_true (gst_app_sink_is_eos (GST_APP_SINK (sink)));
          break;
        }
      buffer = gst_sample_get_buffer (sample);
      g_assert_true (gst_buffer_map (buffer, &map, GST_MAP_READ));
      g_array_append_vals (samples, map.data, map.size / sizeof (gint16));
      gst_buffer_unmap (buffer, &map);
    }

  /* At the end of the stream the player lets its pipeline go. */
  g_assert_true (wait_until (no_pipeline, feedback, 5000));
  return samples;
}

static double
goertzel (const gint16 *samples,
          guint         n,
          double        frequency)
{
  double coefficient = 2 * cos (2 * G_PI * frequency / RATE);
  double s1 = 0, s2 = 0;

  for (guint i = 0; i < n; i++)
    {
      double s0 = samples[i] / 32768.0 + coefficient * s1 - s2;

      s2 = s1;
      s1 = s0;
    }
  return s1 * s1 + s2 * s2 - coefficient * s1 * s2;
}

/* The strongest power within 10 Hz of @frequency (the measured pitch is only 2 Hz exact). */
static double
peak_near (const gint16 *samples,
           guint         n,
           double        frequency)
{
  double best = 0;

  for (double f = frequency - 10; f <= frequency + 10; f += 0.5)
    best = MAX (best, goertzel (samples, n, f));
  return best;
}

static double
dominant_frequency (const gint16 *samples,
                    guint         n)
{
  double best = 0, best_power = -1;

  for (double f = 80; f <= 3000; f += 2)
    {
      double power = goertzel (samples, n, f);

      if (power > best_power)
        {
          best_power = power;
          best = f;
        }
    }
  return best;
}

/* The bursts of sound separated by at least one silent 2 ms frame. */
static GArray *
find_bursts (GArray *samples)
{
  GArray *bursts = g_array_new (FALSE, TRUE, sizeof (Burst));
  const gint16 *data = (const gint16 *) samples->data;
  Burst current = { 0 };
  gboolean in_burst = FALSE;

  for (guint frame = 0; frame * FRAME < samples->len; frame++)
    {
      guint start = frame * FRAME;
      guint n = MIN (FRAME, samples->len - start);
      double energy = 0;
      gboolean loud;

      for (guint i = 0; i < n; i++)
        energy += (double) data[start + i] * data[start + i];
      loud = sqrt (energy / n) > 1000;
      if (loud && !in_burst)
        {
          current.start = start;
          in_burst = TRUE;
        }
      else if (!loud && in_burst)
        {
          current.length = start - current.start;
          g_array_append_val (bursts, current);
          in_burst = FALSE;
        }
    }
  if (in_burst)
    {
      current.length = samples->len - current.start;
      g_array_append_val (bursts, current);
    }

  for (guint i = 0; i < bursts->len; i++)
    {
      Burst *burst = &g_array_index (bursts, Burst, i);

      burst->frequency = dominant_frequency (data + burst->start, burst->length);
      g_test_message ("burst %u: %.0f ms at %.0f Hz", i, burst->length * 1000.0 / RATE, burst->frequency);
    }
  return bursts;
}

static double
ms (const Burst *burst)
{
  return burst->length * 1000.0 / RATE;
}

static void
test_tones_differ (void)
{
  g_autoptr(GArray) accept = record (FEST_FEEDBACK_ACCEPT);
  g_autoptr(GArray) warning = record (FEST_FEEDBACK_WARNING);
  g_autoptr(GArray) refuse = record (FEST_FEEDBACK_REFUSE);
  g_autoptr(GArray) accept_bursts = NULL;
  g_autoptr(GArray) warning_bursts = NULL;
  g_autoptr(GArray) refuse_bursts = NULL;
  Burst *a, *w, *r;

  /* Short: a tone never outlasts the verdict on screen, nor holds up the next scan for long. */
  for (guint i = 0; i < 3; i++)
    {
      GArray *samples = i == 0 ? accept : i == 1 ? warning : refuse;

      g_assert_cmpuint (samples->len, >, RATE / 10);
      g_assert_cmpuint (samples->len, <, RATE * 7 / 10);
    }

  /* Accept: two tones, the second higher (rising), both bright (above 800 Hz). */
  g_test_message ("accept");
  accept_bursts = find_bursts (accept);
  g_assert_cmpuint (accept_bursts->len, ==, 2);
  a = (Burst *) accept_bursts->data;
  g_assert_cmpfloat (a[0].frequency, >, 800);
  g_assert_cmpfloat (a[1].frequency, >, a[0].frequency * 1.3);
  g_assert_cmpfloat (fabs (a[0].frequency - 1046.5), <, 15);
  g_assert_cmpfloat (fabs (a[1].frequency - 1568), <, 15);

  /* Already used: two beeps of the same mid pitch and length. */
  g_test_message ("warning");
  warning_bursts = find_bursts (warning);
  g_assert_cmpuint (warning_bursts->len, ==, 2);
  w = (Burst *) warning_bursts->data;
  g_assert_cmpfloat (fabs (w[0].frequency - w[1].frequency), <, 5);
  g_assert_cmpfloat (w[0].frequency, >, 400);
  g_assert_cmpfloat (w[0].frequency, <, 800);
  g_assert_cmpfloat (fabs (ms (&w[0]) - ms (&w[1])), <, 6);
  g_assert_cmpfloat (w[1].start - (w[0].start + w[0].length), >, RATE / 20);   /* a real pause */

  /* Refuse: one long low buzz. */
  g_test_message ("refuse");
  refuse_bursts = find_bursts (refuse);
  g_assert_cmpuint (refuse_bursts->len, ==, 1);
  r = (Burst *) refuse_bursts->data;
  g_assert_cmpfloat (r->frequency, <, 250);
  g_assert_cmpfloat (ms (r), >, 350);
  /* A buzz, not a pure tone: strong odd harmonics. */
  g_assert_cmpfloat (peak_near ((gint16 *) refuse->data + r->start, r->length, r->frequency * 3), >,
                     peak_near ((gint16 *) refuse->data + r->start, r->length, r->frequency) / 20);

  /* Pairwise different: what an operator hears. */
  g_assert_cmpfloat (fabs (a[0].frequency - w[0].frequency), >, 200);
  g_assert_cmpfloat (fabs (w[0].frequency - r->frequency), >, 200);
  g_assert_cmpfloat (ms (r), >, 2 * ms (&w[0]));
}

static void
test_new_tone_cuts_old (void)
{
  FestFeedback *feedback = fest_feedback_get_default ();
  g_autoptr(GstElement) first = NULL;
  g_autoptr(GstElement) second = NULL;

  g_assert_true (fest_feedback_get_default () == feedback);
  /* Played in real time into a sink that needs no reader. */
  set_audio_sink ("fakesink sync=true");
  fest_feedback_play (feedback, FEST_FEEDBACK_REFUSE);
  first = fest_feedback_dup_pipeline (feedback);
  fest_feedback_play (feedback, FEST_FEEDBACK_ACCEPT);
  second = fest_feedback_dup_pipeline (feedback);
  g_assert_nonnull (first);
  g_assert_nonnull (second);
  g_assert_true (first != second);
  g_assert_true (wait_until (no_pipeline, feedback, 5000));
  set_audio_sink (TEST_SINK);
}

static void
test_muted (void)
{
  FestFeedback *feedback = fest_feedback_get_default ();
  g_autoptr(GSettings) settings = g_settings_new ("app.festivals.Festivals");
  g_autoptr(GstElement) pipeline = NULL;

  g_settings_set_boolean (settings, "station-sounds", FALSE);
  fest_feedback_play (feedback, FEST_FEEDBACK_ACCEPT);
  pipeline = fest_feedback_dup_pipeline (feedback);
  g_assert_null (pipeline);
  g_settings_set_boolean (settings, "station-sounds", TRUE);
  set_audio_sink ("fakesink sync=true");
  fest_feedback_play (feedback, FEST_FEEDBACK_ACCEPT);
  pipeline = fest_feedback_dup_pipeline (feedback);
  g_assert_nonnull (pipeline);
  g_assert_true (wait_until (no_pipeline, feedback, 5000));
  set_audio_sink (TEST_SINK);
}

/* No usable output: the tone is dropped, the pipeline released, nothing else happens. */
static void
test_broken_output (void)
{
  FestFeedback *feedback = fest_feedback_get_default ();
  g_autoptr(GstElement) pipeline = NULL;

  set_audio_sink ("filesink location=/nonexistent/festivals/tone.raw");
  fest_feedback_play (feedback, FEST_FEEDBACK_REFUSE);
  pipeline = fest_feedback_dup_pipeline (feedback);
  g_assert_nonnull (pipeline);
  g_assert_true (wait_until (no_pipeline, feedback, 5000));

  /* Not even an element of that name: silent too. */
  set_audio_sink ("no-such-audio-sink");
  fest_feedback_play (feedback, FEST_FEEDBACK_REFUSE);
  g_clear_object (&pipeline);
  pipeline = fest_feedback_dup_pipeline (feedback);
  g_assert_null (pipeline);
  set_audio_sink (TEST_SINK);
}

int
main (int    argc,
      char **argv)
{
  int status;

  set_audio_sink (TEST_SINK);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_test_init (&argc, &argv, NULL);
  gst_init (NULL, NULL);

  if (gst_element_factory_find ("appsrc") == NULL || gst_element_factory_find ("audioconvert") == NULL)
    g_error ("GStreamer's base plugins (appsrc, audioconvert) are missing: run build-aux/install-deps.sh "
             "(gstreamer1.0-plugins-base)");

  g_test_add_func ("/fest/feedback/tones-differ", test_tones_differ);
  g_test_add_func ("/fest/feedback/new-tone-cuts-old", test_new_tone_cuts_old);
  g_test_add_func ("/fest/feedback/muted", test_muted);
  g_test_add_func ("/fest/feedback/broken-output", test_broken_output);
  status = g_test_run ();
  /* As the app does on shutdown: the last pipelines reach NULL before the process exits. */
  fest_gst_flush_state_changes ();
  return status;
}
