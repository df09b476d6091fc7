/* fest-server-festivals.c: the festivals a server serves: their stores, opened on first use and
 * kept until shutdown, and the events their write jobs emit, broadcast to the event sinks
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include "fest-server-internal.h"
#include "fest-stats.h"

static void
store_event_cb (FestFestivalStore *store,
                const char        *name,
                JsonNode          *data,
                FestServer        *self)
{
  const char *festival_id = g_object_get_data (G_OBJECT (store), "fest-festival-id");

  fest_server_broadcast (self, festival_id, name, json_node_ref (data));
}

static FestFestivalStore *
adopt_store (FestServer        *self,
             const char        *festival_id,
             FestFestivalStore *store)
{
  g_object_set_data_full (G_OBJECT (store), "fest-festival-id", g_strdup (festival_id), g_free);
  g_signal_connect_object (store, "event", G_CALLBACK (store_event_cb), self, 0);
  g_hash_table_insert (self->stores, g_strdup (festival_id), store);
  return store;
}

char *
_fest_server_festival_path (FestServer *self,
                            const char *festival_id)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.db", festival_id);

  return g_build_filename (self->config.data_dir, name, NULL);
}

FestFestivalStore *
fest_server_get_festival_store (FestServer  *self,
                                const char  *festival_id,
                                GError     **error)
{
  g_autofree char *path = NULL;
  FestFestivalStore *store;

  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  if (festival_id == NULL || !fest_uuid_is_valid (festival_id))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }

  store = g_hash_table_lookup (self->stores, festival_id);
  if (store != NULL)
    return store;

  if (self->shutting_down && self->shutdown_task == NULL)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }

  if (!fest_platform_store_has_festival (self->platform, festival_id))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
      return NULL;
    }
  if (self->config.database != NULL)
    {
      store = fest_festival_store_open_pg (self->config.database, festival_id, FALSE, error);
    }
  else
    {
      path = _fest_server_festival_path (self, festival_id);
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such festival");
          return NULL;
        }
      store = fest_festival_store_open (path, error);
    }
  if (store == NULL)
    return NULL;
  /* Sums a previous run left unfolded (or an imported ledger) are folded in the background, so
   * that the first reports do not read every line. */
  fest_stats_fold (store);

  return adopt_store (self, festival_id, store);
}

FestFestivalStore *
_fest_server_create_festival (FestServer  *self,
                              const char  *festival_id,
                              GError     **error)
{
  g_autofree char *path = NULL;
  FestFestivalStore *store;

  if (self->config.database != NULL)
    {
      store = fest_festival_store_open_pg (self->config.database, festival_id, TRUE, error);
      return store != NULL ? adopt_store (self, festival_id, store) : NULL;
    }

  path = _fest_server_festival_path (self, festival_id);
  if (g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Festival database exists");
      return NULL;
    }

  store = fest_festival_store_open (path, error);
  if (store == NULL)
    return NULL;

  return adopt_store (self, festival_id, store);
}

void
_fest_server_discard_festival (FestServer *self,
                               const char *festival_id)
{
  g_autofree char *path = NULL;
  FestFestivalStore *store = g_hash_table_lookup (self->stores, festival_id);
  const char *suffixes[] = { "", "-wal", "-shm" };

  if (store != NULL)
    {
      fest_festival_store_close (store);
      g_hash_table_remove (self->stores, festival_id);
    }

  if (self->config.database != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (!fest_festival_store_drop_pg (self->config.database, festival_id, &error))
        g_warning ("Could not drop the schema of festival %s: %s", festival_id, error->message);
      return;
    }

  path = _fest_server_festival_path (self, festival_id);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
}

void
fest_server_broadcast (FestServer *self,
                       const char *festival_id,
                       const char *event,
                       JsonNode   *data)
{
  g_return_if_fail (FEST_IS_SERVER (self));

  for (guint i = 0; i < self->sinks->len; i++)
    {
      EventSink *sink = &g_array_index (self->sinks, EventSink, i);
      sink->sink (self, festival_id, event, data, sink->user_data);
    }

  if (data != NULL)
    json_node_unref (data);
}

guint
fest_server_add_event_sink (FestServer     *self,
                            FestEventSink   sink,
                            gpointer        user_data,
                            GDestroyNotify  destroy)
{
  EventSink entry = { ++self->next_sink_id, sink, user_data, destroy };

  g_return_val_if_fail (FEST_IS_SERVER (self), 0);
  g_return_val_if_fail (sink != NULL, 0);

  g_array_append_val (self->sinks, entry);
  return entry.id;
}

void
fest_server_remove_event_sink (FestServer *self,
                               guint       sink_id)
{
  g_return_if_fail (FEST_IS_SERVER (self));

  for (guint i = 0; i < self->sinks->len; i++)
    {
      EventSink *sink = &g_array_index (self->sinks, EventSink, i);

      if (sink->id == sink_id)
        {
          EventSink copy = *sink;

          g_array_remove_index (self->sinks, i);
          if (copy.destroy != NULL)
            copy.destroy (copy.user_data);
          return;
        }
    }
}

void
_fest_server_close_stores (FestServer *self)
{
  GHashTableIter iter;
  FestFestivalStore *store;

  g_hash_table_iter_init (&iter, self->stores);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &store))
    fest_festival_store_close (store);
}
