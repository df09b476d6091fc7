/* fest-tile-source.c: map tiles of the festival's site plan, fetched from our server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-tile-source.h"

#define CACHE_SIZE_LIMIT (64 * 1024 * 1024)

struct _FestTileSource
{
  ShumateDataSource  parent_instance;

  FestClient        *client;
  ShumateFileCache  *cache;      /* nullable */
  guint              n_loaded;
  guint              n_failed;
};

G_DEFINE_FINAL_TYPE (FestTileSource, fest_tile_source, SHUMATE_TYPE_DATA_SOURCE)

enum
{
  TILE_DONE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  int     x;
  int     y;
  int     zoom;
  GBytes *cached;   /* nullable */
  char   *etag;     /* of the cached tile, nullable */
} TileJob;

static void
tile_job_free (gpointer data)
{
  TileJob *job = data;

  g_clear_pointer (&job->cached, g_bytes_unref);
  g_free (job->etag);
  g_free (job);
}

/* libshumate 1.0's raster renderer takes the image from the "received-data" signal and drops the
 * finish result without unreffing it: the result is a shared empty marker, not the tile. */
static GBytes *
delivered_marker (void)
{
  static GBytes *marker;

  if (g_once_init_enter (&marker))
    g_once_init_leave (&marker, g_bytes_new_static ("", 0));
  return marker;
}

static void
complete_with_bytes (GTask  *task,
                     GBytes *bytes)
{
  FestTileSource *self = g_task_get_source_object (task);
  TileJob *job = g_task_get_task_data (task);

  self->n_loaded++;
  g_signal_emit_by_name (self, "received-data", job->x, job->y, job->zoom, bytes);
  g_task_return_pointer (task, g_bytes_ref (delivered_marker ()), NULL);
  g_signal_emit (self, signals[TILE_DONE], 0, TRUE);
}

static void
complete_with_error (GTask  *task,
                     GError *error)
{
  FestTileSource *self = g_task_get_source_object (task);
  gboolean cancelled = g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  if (!cancelled)
    self->n_failed++;
  g_task_return_error (task, error);
  if (!cancelled)
    g_signal_emit (self, signals[TILE_DONE], 0, FALSE);
}

static void
fetch_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  FestTileSource *self = g_task_get_source_object (task);
  TileJob *job = g_task_get_task_data (task);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  guint status;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      /* Offline: the cached copy, if any, is better than a blank tile. */
      if (job->cached != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        complete_with_bytes (task, job->cached);
      else
        complete_with_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_MODIFIED && job->cached != NULL)
    {
      shumate_file_cache_mark_up_to_date (self->cache, job->x, job->y, job->zoom);
      complete_with_bytes (task, job->cached);
    }
  else if (status == SOUP_STATUS_OK && g_bytes_get_size (body) > 0)
    {
      if (self->cache != NULL)
        shumate_file_cache_store_tile_async (self->cache, job->x, job->y, job->zoom, body,
                                             soup_message_headers_get_one (soup_message_get_response_headers (message),
                                                                           "ETag"),
                                             NULL, NULL, NULL);
      complete_with_bytes (task, body);
    }
  else if (status != SOUP_STATUS_NOT_FOUND && job->cached != NULL)
    /* A server error or a refused token: keep showing what we had. */
    complete_with_bytes (task, job->cached);
  else
    complete_with_error (task, g_error_new (G_IO_ERROR, status == SOUP_STATUS_NOT_FOUND ? G_IO_ERROR_NOT_FOUND : G_IO_ERROR_FAILED,
                                            "Tile %d/%d/%d: HTTP %u", job->zoom, job->x, job->y, status));
}

static void
fetch (GTask *task)
{
  FestTileSource *self = g_task_get_source_object (task);
  TileJob *job = g_task_get_task_data (task);
  g_autofree char *path = g_strdup_printf ("/tiles/%d/%d/%d.png", job->zoom, job->x, job->y);
  g_autofree char *url = fest_client_build_url (self->client, path);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  SoupMessageHeaders *headers;
  const char *token = fest_client_get_token (self->client);

  if (message == NULL)
    {
      complete_with_error (task, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT, "Bad tile URL %s", url));
      g_object_unref (task);
      return;
    }
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "image/png");
  if (token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (job->etag != NULL)
    soup_message_headers_replace (headers, "If-None-Match", job->etag);

  /* Tiles wait behind the station's own requests (sales, sync). */
  soup_session_send_and_read_async (fest_client_get_session (self->client), message, G_PRIORITY_LOW,
                                    g_task_get_cancellable (task), fetch_cb, task);
}

static void
cache_read_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  TileJob *job = g_task_get_task_data (task);

  /* A miss is an error here: nothing to do but fetch. */
  job->cached = shumate_file_cache_get_tile_finish (SHUMATE_FILE_CACHE (source), &job->etag, NULL, result, NULL);
  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }
  fetch (task);
}

static void
fest_tile_source_get_tile_data_async (ShumateDataSource   *source,
                                      int                  x,
                                      int                  y,
                                      int                  zoom_level,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  FestTileSource *self = FEST_TILE_SOURCE (source);
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  TileJob *job = g_new0 (TileJob, 1);

  g_task_set_source_tag (task, fest_tile_source_get_tile_data_async);
  job->x = x;
  job->y = y;
  job->zoom = zoom_level;
  g_task_set_task_data (task, job, tile_job_free);

  if (self->cache != NULL)
    shumate_file_cache_get_tile_async (self->cache, x, y, zoom_level, cancellable, cache_read_cb, task);
  else
    fetch (task);
}

static GBytes *
fest_tile_source_get_tile_data_finish (ShumateDataSource  *source,
                                       GAsyncResult       *result,
                                       GError            **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
fest_tile_source_dispose (GObject *object)
{
  FestTileSource *self = FEST_TILE_SOURCE (object);

  g_clear_object (&self->client);
  g_clear_object (&self->cache);
  G_OBJECT_CLASS (fest_tile_source_parent_class)->dispose (object);
}

static void
fest_tile_source_class_init (FestTileSourceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  ShumateDataSourceClass *source_class = SHUMATE_DATA_SOURCE_CLASS (klass);

  object_class->dispose = fest_tile_source_dispose;
  source_class->get_tile_data_async = fest_tile_source_get_tile_data_async;
  source_class->get_tile_data_finish = fest_tile_source_get_tile_data_finish;

  signals[TILE_DONE] = g_signal_new ("tile-done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                                     NULL, G_TYPE_NONE, 1, G_TYPE_BOOLEAN);
}

static void
fest_tile_source_init (FestTileSource *self)
{
}

FestTileSource *
fest_tile_source_new (FestClient *client,
                      const char *cache_key)
{
  FestTileSource *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_TILE_SOURCE, NULL);
  self->client = g_object_ref (client);
  if (cache_key != NULL)
    {
      g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "festivals", "site-plan", NULL);

      self->cache = shumate_file_cache_new_full (CACHE_SIZE_LIMIT, cache_key, dir);
    }
  return self;
}

FestClient *
fest_tile_source_get_client (FestTileSource *self)
{
  g_return_val_if_fail (FEST_IS_TILE_SOURCE (self), NULL);
  return self->client;
}

guint
fest_tile_source_get_n_loaded (FestTileSource *self)
{
  g_return_val_if_fail (FEST_IS_TILE_SOURCE (self), 0);
  return self->n_loaded;
}

guint
fest_tile_source_get_n_failed (FestTileSource *self)
{
  g_return_val_if_fail (FEST_IS_TILE_SOURCE (self), 0);
  return self->n_failed;
}
