/* fest-feedback.c: short distinct tones for accept, already used and refuse (stations, incidents)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tones are synthesized here (no sound files) and played through GStreamer:
 * appsrc ! audioconvert ! audioresample ! autoaudiosink. Accept is a bright rising two-tone,
 * already used two mid beeps, refuse a low buzz: an operator who is not looking at the screen
 * still tells them apart. State changes run on a worker thread, so opening a slow audio device
 * never stalls the UI; without an audio output the tones are dropped after one debug message.
 */

#include "config.h"

#include <math.h>
#include <gio/gio.h>
#include <gst/app/gstappsrc.h>

#include "fest-feedback.h"
#include "fest-gst-util.h"

#define SCHEMA_ID   "app.festivals.Festivals"
#define SOUNDS_KEY  "station-sounds"
#define AMPLITUDE   0.45
#define RAMP_S      0.006

struct _FestFeedback
{
  GObject     parent_instance;

  GSettings  *settings;       /* NULL when the schema is not installed */
  GBytes     *tones[3];       /* synthesized on first use */
  GstElement *pipeline;       /* the tone playing, or NULL */
  guint       bus_watch_id;
  gboolean    reported;       /* the "no audio" debug message was given */
};

G_DEFINE_FINAL_TYPE (FestFeedback, fest_feedback, G_TYPE_OBJECT)

typedef struct
{
  double frequency;   /* Hz, 0 for silence */
  double seconds;
  gboolean buzz;      /* band-limited square wave instead of a sine */
} Segment;

static void
append_segment (GByteArray    *samples,
                const Segment *segment)
{
  guint n = (guint) (segment->seconds * FEST_FEEDBACK_RATE);
  guint ramp = (guint) (RAMP_S * FEST_FEEDBACK_RATE);

  for (guint i = 0; i < n; i++)
    {
      double t = (double) i / FEST_FEEDBACK_RATE;
      double value = 0;
      double envelope = 1;
      gint16 sample;

      if (segment->frequency > 0)
        {
          if (segment->buzz)
            {
              /* Odd harmonics up to 4 kHz: rough and audible on small speakers. */
              for (guint h = 1; h * segment->frequency < 4000; h += 2)
                value += sin (2 * G_PI * h * segment->frequency * t) / h;
              value *= 0.75;
            }
          else
            {
              /* A touch of the octave makes the beep brighter. */
              value = 0.85 * sin (2 * G_PI * segment->frequency * t) +
                      0.15 * sin (4 * G_PI * segment->frequency * t);
            }
        }
      /* Short ramps: no clicks at the edges. */
      if (i < ramp)
        envelope = (double) i / ramp;
      else if (n - i < ramp)
        envelope = (double) (n - i) / ramp;
      sample = (gint16) CLAMP (value * envelope * AMPLITUDE * G_MAXINT16, -G_MAXINT16, G_MAXINT16);
      sample = GINT16_TO_LE (sample);
      g_byte_array_append (samples, (const guint8 *) &sample, sizeof sample);
    }
}

static GBytes *
synthesize (FestFeedbackKind kind)
{
  static const Segment accept[] = {
    { 1046.5, 0.09, FALSE }, { 0, 0.02, FALSE }, { 1568.0, 0.16, FALSE },
  };
  static const Segment warning[] = {
    { 659.3, 0.12, FALSE }, { 0, 0.09, FALSE }, { 659.3, 0.12, FALSE },
  };
  static const Segment refuse[] = {
    { 155.0, 0.45, TRUE },
  };
  const Segment *segments;
  guint n_segments;
  GByteArray *samples = g_byte_array_new ();

  switch (kind)
    {
    case FEST_FEEDBACK_ACCEPT:
      segments = accept;
      n_segments = G_N_ELEMENTS (accept);
      break;
    case FEST_FEEDBACK_WARNING:
      segments = warning;
      n_segments = G_N_ELEMENTS (warning);
      break;
    case FEST_FEEDBACK_REFUSE:
    default:
      segments = refuse;
      n_segments = G_N_ELEMENTS (refuse);
      break;
    }
  for (guint i = 0; i < n_segments; i++)
    append_segment (samples, &segments[i]);
  return g_byte_array_free_to_bytes (samples);
}

static void
report_silence (FestFeedback *self,
                const char   *why)
{
  if (self->reported)
    return;
  self->reported = TRUE;
  g_debug ("Station sounds are off: %s", why);
}

static void
stop_current (FestFeedback *self)
{
  if (self->pipeline == NULL)
    return;
  if (self->bus_watch_id != 0)
    {
      g_source_remove (self->bus_watch_id);
      self->bus_watch_id = 0;
    }
  fest_gst_queue_state_change (self->pipeline, GST_STATE_NULL);
  gst_clear_object (&self->pipeline);
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  FestFeedback *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;

        gst_message_parse_error (message, &error, NULL);
        report_silence (self, error->message);
      }
      G_GNUC_FALLTHROUGH;
    case GST_MESSAGE_EOS:
      /* The watch is removed by stop_current: tell GLib it is gone already. */
      self->bus_watch_id = 0;
      stop_current (self);
      return G_SOURCE_REMOVE;

    default:
      return G_SOURCE_CONTINUE;
    }
}

static void
need_data_cb (GstAppSrc *src,
              guint      length,
              gpointer   user_data)
{
  GBytes *tone = user_data;
  GstBuffer *buffer;
  gsize size = g_bytes_get_size (tone);

  /* The whole tone in one buffer, then the end: called again only after a flush. */
  buffer = gst_buffer_new_wrapped_bytes (tone);
  GST_BUFFER_PTS (buffer) = 0;
  GST_BUFFER_DURATION (buffer) = gst_util_uint64_scale (size / 2, GST_SECOND, FEST_FEEDBACK_RATE);
  gst_app_src_push_buffer (src, buffer);
  gst_app_src_end_of_stream (src);
}

static GstElement *
build_pipeline (FestFeedback  *self,
                GBytes        *tone,
                GError       **error)
{
  g_autofree char *sink_setting = fest_gst_device_setting ("station-audio-sink");
  const char *sink_description = sink_setting != NULL ? sink_setting : "autoaudiosink";
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstCaps) caps = NULL;
  g_autofree char *description = NULL;
  GstAppSrcCallbacks callbacks = { .need_data = need_data_cb };

  description = g_strdup_printf ("appsrc name=src format=time ! audioconvert ! audioresample ! %s",
                                 sink_description);
  pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
  if (pipeline == NULL)
    return NULL;
  gst_object_ref_sink (pipeline);
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  g_assert (src != NULL);
  caps = gst_caps_new_simple ("audio/x-raw",
                              "format", G_TYPE_STRING, "S16LE",
                              "layout", G_TYPE_STRING, "interleaved",
                              "channels", G_TYPE_INT, 1,
                              "rate", G_TYPE_INT, FEST_FEEDBACK_RATE,
                              NULL);
  gst_app_src_set_caps (GST_APP_SRC (src), caps);
  gst_app_src_set_callbacks (GST_APP_SRC (src), &callbacks, g_bytes_ref (tone),
                             (GDestroyNotify) g_bytes_unref);
  return g_steal_pointer (&pipeline);
}

static void
fest_feedback_dispose (GObject *object)
{
  FestFeedback *self = FEST_FEEDBACK (object);

  stop_current (self);
  g_clear_object (&self->settings);
  G_OBJECT_CLASS (fest_feedback_parent_class)->dispose (object);
}

static void
fest_feedback_finalize (GObject *object)
{
  FestFeedback *self = FEST_FEEDBACK (object);

  for (guint i = 0; i < G_N_ELEMENTS (self->tones); i++)
    g_clear_pointer (&self->tones[i], g_bytes_unref);
  G_OBJECT_CLASS (fest_feedback_parent_class)->finalize (object);
}

static void
fest_feedback_class_init (FestFeedbackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_feedback_dispose;
  object_class->finalize = fest_feedback_finalize;
}

static void
fest_feedback_init (FestFeedback *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  /* Uninstalled runs and some tests have no compiled schema: sounds stay on. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SCHEMA_ID, TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, SOUNDS_KEY))
    self->settings = g_settings_new_full (schema, NULL, NULL);
}

static gpointer
prepare_thread (gpointer data)
{
  gst_init_check (NULL, NULL, NULL);
  return NULL;
}

void
fest_feedback_prepare (void)
{
  static gsize started;

  if (g_once_init_enter (&started))
    {
      g_thread_unref (g_thread_new ("fest-gst-init", prepare_thread, NULL));
      g_once_init_leave (&started, 1);
    }
}

FestFeedback *
fest_feedback_get_default (void)
{
  static FestFeedback *feedback;

  if (g_once_init_enter (&feedback))
    {
      g_autoptr(GError) error = NULL;
      FestFeedback *created;

      if (!gst_init_check (NULL, NULL, &error))
        g_debug ("GStreamer is not available: %s", error->message);
      created = g_object_new (FEST_TYPE_FEEDBACK, NULL);
      if (error != NULL)
        report_silence (created, error->message);
      g_once_init_leave (&feedback, created);
    }
  return feedback;
}

void
fest_feedback_play (FestFeedback     *self,
                    FestFeedbackKind  kind)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;

  g_return_if_fail (FEST_IS_FEEDBACK (self));
  g_return_if_fail (kind <= FEST_FEEDBACK_REFUSE);

  stop_current (self);
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, SOUNDS_KEY))
    return;
  if (!gst_is_initialized ())
    return;

  if (self->tones[kind] == NULL)
    self->tones[kind] = synthesize (kind);
  self->pipeline = build_pipeline (self, self->tones[kind], &error);
  if (self->pipeline == NULL)
    {
      report_silence (self, error->message);
      return;
    }
  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch_id = gst_bus_add_watch (bus, bus_cb, self);
  fest_gst_queue_state_change (self->pipeline, GST_STATE_PLAYING);
}

GstElement *
fest_feedback_dup_pipeline (FestFeedback *self)
{
  g_return_val_if_fail (FEST_IS_FEEDBACK (self), NULL);
  return self->pipeline != NULL ? gst_object_ref (self->pipeline) : NULL;
}
