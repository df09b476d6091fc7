/* fest-camera-scanner.c: reads QR codes from a webcam (GStreamer + zbar) with a live preview
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GstDeviceMonitor finds the cameras (Video/Source) and tells when one is plugged in; the
 * pipeline is <camera> ! videoconvert ! zbar ! videoconvert ! appsink. zbar posts a "barcode"
 * element message per code read; each appsink frame becomes a GdkMemoryTexture shown by this
 * object's GdkPaintable interface. Frames are handed from the streaming thread to the main
 * thread through a FrameSlot (the latest frame only: a slow UI drops frames, never queues them).
 * State changes run on a worker thread so that a slow camera never stalls the UI.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <gst/gst.h>
#include <gst/app/gstappsink.h>
#include <gst/video/video.h>

#include "fest-camera-scanner.h"
#include "fest-gst-util.h"

/* The same code is emitted again only after it has been out of sight this long. */
#define DEBOUNCE_US (2 * G_USEC_PER_SEC)

/* zbar reads gray frames up to 1280 × 960; the preview is at most 640 × 480. The short queue
 * decouples the camera from zbar; not leaky, or a non-live test source would run ahead of the
 * clock while prerolling. */
#define SCAN_BRANCH \
  "queue max-size-buffers=2 max-size-bytes=0 max-size-time=0 ! videoconvert ! videoscale ! " \
  "video/x-raw,width=[16,1280],height=[16,960],pixel-aspect-ratio=1/1 ! " \
  "zbar name=zbar ! videoconvert ! videoscale ! " \
  "video/x-raw,format=RGB,width=[16,640],height=[16,480],pixel-aspect-ratio=1/1 ! " \
  "appsink name=preview max-buffers=1 drop=true sync=true"

typedef struct
{
  gatomicrefcount  ref;
  GMutex           lock;
  GBytes          *bytes;      /* the latest frame, RGB */
  int              width;
  int              height;
  gsize            stride;
  GSource         *source;     /* wakes the main thread */
} FrameSlot;

struct _FestCameraScanner
{
  GObject           parent_instance;

  FestCameraState   state;
  char             *message;
  char             *camera_name;
  gboolean          started;

  GstDeviceMonitor *monitor;
  guint             monitor_watch_id;
  gboolean          monitor_probing;
  gboolean          monitor_ready;
  GstDevice        *device;

  GstElement       *pipeline;
  guint             bus_watch_id;
  FrameSlot        *slot;

  GdkTexture       *texture;
  GHashTable       *seen;       /* code → last time read (monotonic µs) */
};

static void fest_camera_scanner_paintable_init (GdkPaintableInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestCameraScanner, fest_camera_scanner, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GDK_TYPE_PAINTABLE, fest_camera_scanner_paintable_init))

enum
{
  PROP_0,
  PROP_STATE,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  CODE_SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_pipeline (FestCameraScanner *self);

/* Frame slot: shared by the appsink's streaming thread and the main thread. */

static FrameSlot *
frame_slot_ref (FrameSlot *slot)
{
  g_atomic_ref_count_inc (&slot->ref);
  return slot;
}

static void
frame_slot_unref (FrameSlot *slot)
{
  if (!g_atomic_ref_count_dec (&slot->ref))
    return;
  g_clear_pointer (&slot->bytes, g_bytes_unref);
  g_source_unref (slot->source);
  g_mutex_clear (&slot->lock);
  g_free (slot);
}

static gboolean
frame_source_dispatch (GSource     *source,
                       GSourceFunc  callback,
                       gpointer     user_data)
{
  g_source_set_ready_time (source, -1);
  return callback (user_data);
}

static GSourceFuncs frame_source_funcs = {
  .dispatch = frame_source_dispatch,
};

static void
set_state (FestCameraScanner *self,
           FestCameraState    state,
           const char        *message)
{
  if (g_strcmp0 (self->message, message) != 0)
    {
      g_free (self->message);
      self->message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
    }
  if (self->state != state)
    {
      self->state = state;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
    }
}

static void
clear_texture (FestCameraScanner *self)
{
  if (self->texture == NULL)
    return;
  g_clear_object (&self->texture);
  gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
}

static void
stop_pipeline (FestCameraScanner *self)
{
  if (self->bus_watch_id != 0)
    {
      g_source_remove (self->bus_watch_id);
      self->bus_watch_id = 0;
    }
  if (self->slot != NULL)
    {
      g_source_destroy (self->slot->source);
      g_clear_pointer (&self->slot, frame_slot_unref);
    }
  if (self->pipeline != NULL)
    {
      fest_gst_queue_state_change (self->pipeline, GST_STATE_NULL);
      gst_clear_object (&self->pipeline);
    }
  clear_texture (self);
}

static gboolean
seen_recently (FestCameraScanner *self,
               const char        *code)
{
  gint64 now = g_get_monotonic_time ();
  gpointer last = NULL;
  gboolean recent;
  GHashTableIter iter;
  gpointer value;

  recent = g_hash_table_lookup_extended (self->seen, code, NULL, &last) &&
           now - *(gint64 *) last < DEBOUNCE_US;

  /* Forget what has been out of sight long enough (the table stays tiny). */
  g_hash_table_iter_init (&iter, self->seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (now - *(gint64 *) value >= DEBOUNCE_US)
      g_hash_table_iter_remove (&iter);

  g_hash_table_insert (self->seen, g_strdup (code), g_memdup2 (&now, sizeof now));
  return recent;
}

/* Callbacks */

static GstFlowReturn
new_sample_cb (GstAppSink *sink,
               gpointer    user_data)
{
  FrameSlot *slot = user_data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstVideoInfo info;
  GstVideoFrame frame;
  GBytes *bytes;
  gsize stride;

  if (sample == NULL)
    return GST_FLOW_EOS;
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample)) ||
      !gst_video_frame_map (&frame, &info, gst_sample_get_buffer (sample), GST_MAP_READ))
    return GST_FLOW_OK;

  stride = GST_VIDEO_FRAME_PLANE_STRIDE (&frame, 0);
  bytes = g_bytes_new (GST_VIDEO_FRAME_PLANE_DATA (&frame, 0), stride * GST_VIDEO_FRAME_HEIGHT (&frame));

  g_mutex_lock (&slot->lock);
  g_clear_pointer (&slot->bytes, g_bytes_unref);
  slot->bytes = bytes;
  slot->width = GST_VIDEO_FRAME_WIDTH (&frame);
  slot->height = GST_VIDEO_FRAME_HEIGHT (&frame);
  slot->stride = stride;
  g_mutex_unlock (&slot->lock);
  gst_video_frame_unmap (&frame);

  g_source_set_ready_time (slot->source, 0);
  return GST_FLOW_OK;
}

static gboolean
frame_ready_cb (gpointer user_data)
{
  FestCameraScanner *self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  int width, height;
  gsize stride;
  gboolean resized;

  g_mutex_lock (&self->slot->lock);
  bytes = g_steal_pointer (&self->slot->bytes);
  width = self->slot->width;
  height = self->slot->height;
  stride = self->slot->stride;
  g_mutex_unlock (&self->slot->lock);
  if (bytes == NULL)
    return G_SOURCE_CONTINUE;

  resized = self->texture == NULL ||
            gdk_texture_get_width (self->texture) != width ||
            gdk_texture_get_height (self->texture) != height;
  g_clear_object (&self->texture);
  self->texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, bytes, stride);
  if (resized)
    gdk_paintable_invalidate_size (GDK_PAINTABLE (self));
  gdk_paintable_invalidate_contents (GDK_PAINTABLE (self));
  return G_SOURCE_CONTINUE;
}

static gboolean
bus_cb (GstBus     *bus,
        GstMessage *message,
        gpointer    user_data)
{
  FestCameraScanner *self = user_data;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_ELEMENT:
      {
        const GstStructure *structure = gst_message_get_structure (message);
        const char *symbol;

        if (structure == NULL || !gst_structure_has_name (structure, "barcode"))
          break;
        symbol = gst_structure_get_string (structure, "symbol");
        if (symbol == NULL || *symbol == '\0' || seen_recently (self, symbol))
          break;
        g_debug ("Camera read a %s code of %u characters",
                 gst_structure_get_string (structure, "type"), (guint) strlen (symbol));
        g_signal_emit (self, signals[CODE_SCANNED], 0, symbol);
      }
      break;

    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;
        g_autofree char *text = NULL;

        gst_message_parse_error (message, &error, &debug);
        g_debug ("Camera pipeline error: %s (%s)", error->message, debug ? debug : "");
        text = g_strdup_printf (_("Camera error: %s"), error->message);
        /* The watch goes away with the pipeline. */
        self->bus_watch_id = 0;
        stop_pipeline (self);
        set_state (self, FEST_CAMERA_ERROR, text);
        return G_SOURCE_REMOVE;
      }

    case GST_MESSAGE_EOS:
      /* A test source that ran out: keep the last state, the camera is just idle. */
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static GstElement *
build_pipeline (FestCameraScanner  *self,
                GError            **error)
{
  g_autofree char *override = fest_gst_device_setting ("station-camera-pipeline");
  g_autoptr(GstElement) pipeline = NULL;

  if (override != NULL)
    {
      g_autofree char *description = g_strdup_printf ("%s ! " SCAN_BRANCH, override);

      pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
      if (pipeline == NULL)
        return NULL;
      gst_object_ref_sink (pipeline);
    }
  else
    {
      GstElement *source;
      GstElement *branch;

      pipeline = gst_object_ref_sink (gst_pipeline_new ("camera"));
      source = gst_device_create_element (self->device, "camera-source");
      if (source == NULL)
        {
          g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_MISSING_PLUGIN,
                       _("The camera cannot be opened"));
          return NULL;
        }
      branch = gst_parse_bin_from_description_full (SCAN_BRANCH, TRUE, NULL, GST_PARSE_FLAG_FATAL_ERRORS, error);
      if (branch == NULL)
        {
          gst_object_unref (gst_object_ref_sink (source));
          return NULL;
        }
      gst_bin_add_many (GST_BIN (pipeline), source, branch, NULL);
      if (!gst_element_link (source, branch))
        {
          g_set_error (error, GST_CORE_ERROR, GST_CORE_ERROR_NEGOTIATION,
                       _("The camera gives no picture that can be read"));
          return NULL;
        }
    }
  return g_steal_pointer (&pipeline);
}

static void
start_pipeline (FestCameraScanner *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstElementFactory) zbar = NULL;
  GstAppSinkCallbacks callbacks = { .new_sample = new_sample_cb };

  g_assert (self->pipeline == NULL);

  zbar = gst_element_factory_find ("zbar");
  if (zbar == NULL)
    {
      set_state (self, FEST_CAMERA_ERROR,
                 _("The camera cannot read codes: the GStreamer barcode plugin (zbar, in "
                   "gstreamer1.0-plugins-bad) is missing"));
      return;
    }

  self->pipeline = build_pipeline (self, &error);
  if (self->pipeline == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Camera error: %s"), error->message);

      set_state (self, FEST_CAMERA_ERROR, text);
      return;
    }

  self->slot = g_new0 (FrameSlot, 1);
  g_atomic_ref_count_init (&self->slot->ref);
  g_mutex_init (&self->slot->lock);
  self->slot->source = g_source_new (&frame_source_funcs, sizeof (GSource));
  g_source_set_name (self->slot->source, "[festivals] camera frame");
  g_source_set_callback (self->slot->source, frame_ready_cb, self, NULL);
  g_source_attach (self->slot->source, NULL);

  sink = gst_bin_get_by_name (GST_BIN (self->pipeline), "preview");
  g_assert (sink != NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (sink), &callbacks, frame_slot_ref (self->slot),
                              (GDestroyNotify) frame_slot_unref);

  bus = gst_element_get_bus (self->pipeline);
  self->bus_watch_id = gst_bus_add_watch (bus, bus_cb, self);
  set_state (self, FEST_CAMERA_RUNNING, NULL);
  fest_gst_queue_state_change (self->pipeline, GST_STATE_PLAYING);
}

static void
pick_camera (FestCameraScanner *self)
{
  GList *devices;

  g_assert (self->pipeline == NULL);

  devices = gst_device_monitor_get_devices (self->monitor);
  g_clear_object (&self->device);
  g_clear_pointer (&self->camera_name, g_free);
  if (devices != NULL)
    {
      self->device = g_object_ref (devices->data);
      self->camera_name = gst_device_get_display_name (self->device);
    }
  g_list_free_full (devices, gst_object_unref);

  if (self->device == NULL)
    {
      set_state (self, FEST_CAMERA_NONE, NULL);
      return;
    }
  g_debug ("Scanning with the camera %s", self->camera_name);
  start_pipeline (self);
}

static gboolean
monitor_bus_cb (GstBus     *bus,
                GstMessage *message,
                gpointer    user_data)
{
  FestCameraScanner *self = user_data;
  g_autoptr(GstDevice) device = NULL;

  if (!self->started || !self->monitor_ready)
    return G_SOURCE_CONTINUE;

  switch (GST_MESSAGE_TYPE (message))
    {
    case GST_MESSAGE_DEVICE_ADDED:
      if (self->pipeline == NULL && self->state == FEST_CAMERA_NONE)
        pick_camera (self);
      break;

    case GST_MESSAGE_DEVICE_REMOVED:
      gst_message_parse_device_removed (message, &device);
      if (device == self->device)
        {
          stop_pipeline (self);
          pick_camera (self);
        }
      break;

    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static void
monitor_start_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  /* Device providers may talk to udev or PipeWire: not on the main thread. */
  g_task_return_boolean (task, gst_device_monitor_start (task_data));
}

static void
monitor_started_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (object);

  self->monitor_probing = FALSE;
  self->monitor_ready = TRUE;
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    g_debug ("The camera monitor did not start: looking once");
  if (self->started && self->pipeline == NULL)
    pick_camera (self);
}

/* GdkPaintable */

static void
fest_camera_scanner_snapshot (GdkPaintable *paintable,
                              GdkSnapshot  *snapshot,
                              double        width,
                              double        height)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (paintable);

  if (self->texture != NULL)
    gdk_paintable_snapshot (GDK_PAINTABLE (self->texture), snapshot, width, height);
}

static GdkPaintable *
fest_camera_scanner_get_current_image (GdkPaintable *paintable)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (paintable);

  if (self->texture != NULL)
    return GDK_PAINTABLE (g_object_ref (self->texture));
  return gdk_paintable_new_empty (0, 0);
}

static int
fest_camera_scanner_get_intrinsic_width (GdkPaintable *paintable)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (paintable);

  return self->texture != NULL ? gdk_texture_get_width (self->texture) : 0;
}

static int
fest_camera_scanner_get_intrinsic_height (GdkPaintable *paintable)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (paintable);

  return self->texture != NULL ? gdk_texture_get_height (self->texture) : 0;
}

static void
fest_camera_scanner_paintable_init (GdkPaintableInterface *iface)
{
  iface->snapshot = fest_camera_scanner_snapshot;
  iface->get_current_image = fest_camera_scanner_get_current_image;
  iface->get_intrinsic_width = fest_camera_scanner_get_intrinsic_width;
  iface->get_intrinsic_height = fest_camera_scanner_get_intrinsic_height;
}

/* GObject */

static void
fest_camera_scanner_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (object);

  switch (prop_id)
    {
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_camera_scanner_dispose (GObject *object)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (object);

  stop_pipeline (self);
  if (self->monitor_watch_id != 0)
    {
      g_source_remove (self->monitor_watch_id);
      self->monitor_watch_id = 0;
    }
  if (self->monitor != NULL && self->monitor_ready)
    gst_device_monitor_stop (self->monitor);
  gst_clear_object (&self->monitor);
  gst_clear_object (&self->device);
  G_OBJECT_CLASS (fest_camera_scanner_parent_class)->dispose (object);
}

static void
fest_camera_scanner_finalize (GObject *object)
{
  FestCameraScanner *self = FEST_CAMERA_SCANNER (object);

  g_free (self->message);
  g_free (self->camera_name);
  g_hash_table_unref (self->seen);
  G_OBJECT_CLASS (fest_camera_scanner_parent_class)->finalize (object);
}

static void
fest_camera_scanner_class_init (FestCameraScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fest_camera_scanner_get_property;
  object_class->dispose = fest_camera_scanner_dispose;
  object_class->finalize = fest_camera_scanner_finalize;

  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, FEST_CAMERA_STOPPED, FEST_CAMERA_ERROR, FEST_CAMERA_STOPPED,
                      G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CODE_SCANNED] =
    g_signal_new ("code-scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fest_camera_scanner_init (FestCameraScanner *self)
{
  self->seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Public API */

FestCameraScanner *
fest_camera_scanner_new (void)
{
  g_autoptr(GError) error = NULL;
  FestCameraScanner *self = g_object_new (FEST_TYPE_CAMERA_SCANNER, NULL);

  if (!gst_init_check (NULL, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("Camera error: %s"), error->message);

      set_state (self, FEST_CAMERA_ERROR, text);
    }
  return self;
}

void
fest_camera_scanner_start (FestCameraScanner *self)
{
  g_autofree char *override = fest_gst_device_setting ("station-camera-pipeline");

  g_return_if_fail (FEST_IS_CAMERA_SCANNER (self));

  if (self->started || !gst_is_initialized ())
    return;
  self->started = TRUE;

  if (override != NULL)
    {
      g_free (self->camera_name);
      self->camera_name = g_strdup (override);
      start_pipeline (self);
      return;
    }

  if (self->monitor == NULL)
    {
      g_autoptr(GstCaps) caps = gst_caps_new_empty_simple ("video/x-raw");
      g_autoptr(GstBus) bus = NULL;

      self->monitor = gst_device_monitor_new ();
      gst_device_monitor_add_filter (self->monitor, "Video/Source", caps);
      bus = gst_device_monitor_get_bus (self->monitor);
      self->monitor_watch_id = gst_bus_add_watch (bus, monitor_bus_cb, self);
    }
  if (!self->monitor_ready)
    {
      set_state (self, FEST_CAMERA_SEARCHING, NULL);
      if (!self->monitor_probing)
        {
          g_autoptr(GTask) task = g_task_new (self, NULL, monitor_started_cb, NULL);

          self->monitor_probing = TRUE;
          g_task_set_source_tag (task, fest_camera_scanner_start);
          g_task_set_task_data (task, gst_object_ref (self->monitor), gst_object_unref);
          g_task_run_in_thread (task, monitor_start_thread);
        }
      return;
    }
  pick_camera (self);
}

void
fest_camera_scanner_stop (FestCameraScanner *self)
{
  g_return_if_fail (FEST_IS_CAMERA_SCANNER (self));

  if (!self->started)
    return;
  self->started = FALSE;
  stop_pipeline (self);
  set_state (self, FEST_CAMERA_STOPPED, NULL);
}

FestCameraState
fest_camera_scanner_get_state (FestCameraScanner *self)
{
  g_return_val_if_fail (FEST_IS_CAMERA_SCANNER (self), FEST_CAMERA_STOPPED);
  return self->state;
}

const char *
fest_camera_scanner_get_message (FestCameraScanner *self)
{
  g_return_val_if_fail (FEST_IS_CAMERA_SCANNER (self), NULL);
  return self->message;
}

const char *
fest_camera_scanner_get_camera_name (FestCameraScanner *self)
{
  g_return_val_if_fail (FEST_IS_CAMERA_SCANNER (self), NULL);
  return self->pipeline != NULL ? self->camera_name : NULL;
}
