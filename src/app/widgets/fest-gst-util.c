/* fest-gst-util.c: GStreamer helpers shared by the tones and the station's camera
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "fest-gst-util.h"

typedef struct
{
  GstElement *pipeline;
  GstState    state;
} StateChange;

static void
state_change_func (gpointer data,
                   gpointer user_data)
{
  StateChange *change = data;

  gst_element_set_state (change->pipeline, change->state);
  gst_object_unref (change->pipeline);
  g_free (change);
}

static GMutex pool_lock;
static GThreadPool *pool;

void
fest_gst_queue_state_change (GstElement *pipeline,
                             GstState    state)
{
  StateChange *change;

  g_return_if_fail (GST_IS_ELEMENT (pipeline));

  change = g_new0 (StateChange, 1);
  change->pipeline = gst_object_ref (pipeline);
  change->state = state;

  g_mutex_lock (&pool_lock);
  if (pool == NULL)
    pool = g_thread_pool_new (state_change_func, NULL, 1, FALSE, NULL);
  g_thread_pool_push (pool, change, NULL);
  g_mutex_unlock (&pool_lock);
}

void
fest_gst_flush_state_changes (void)
{
  GThreadPool *queued;

  g_mutex_lock (&pool_lock);
  queued = g_steal_pointer (&pool);
  g_mutex_unlock (&pool_lock);

  /* Runs what is still queued, then waits for it. */
  if (queued != NULL)
    g_thread_pool_free (queued, FALSE, TRUE);
}

char *
fest_gst_device_setting (const char *key)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autofree char *value = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, key))
    return NULL;
  settings = g_settings_new_full (schema, NULL, NULL);
  value = g_settings_get_string (settings, key);
  return value[0] != '\0' ? g_steal_pointer (&value) : NULL;
}
