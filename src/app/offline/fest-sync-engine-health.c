/* fest-sync-engine-health.c: GET /health while the station's server is unreachable
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine-private.h"

/* While the server is unreachable, a GET /health every PROBE_INTERVAL_MS (answered or given up
 * after PROBE_TIMEOUT_MS) brings the station back within seconds of the server, whatever the
 * sync backoff has grown to. A probe is a few hundred bytes: cheap for any number of stations. */
#define PROBE_INTERVAL_MS       1000
#define PROBE_TIMEOUT_MS        2000
typedef struct
{
  FestSyncEngine *self;      /* owned */
  SoupMessage    *message;   /* owned */
} Probe;

static void
probe_free (Probe *probe)
{
  g_object_unref (probe->self);
  g_object_unref (probe->message);
  g_free (probe);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Probe, probe_free)

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Probe) probe = user_data;
  FestSyncEngine *self = probe->self;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  /* Cancelled with its time-out still pending: replaced by a newer probe, or the engine
   * stopped. Cancelled by its time-out: a failed probe. */
  if (error != NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && (self->probe_timeout_id != 0 || !self->started))
    return;
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  if (bytes == NULL || soup_message_get_status (probe->message) != SOUP_STATUS_OK)
    {
      _fest_sync_engine_set_online (self, FALSE);
      return;
    }
  /* Reachable again: sync now, not at the end of the backoff. */
  fest_sync_engine_sync_now (self);
}

static gboolean
probe_timeout_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  /* probe_cb sees the cancellation with no timeout pending: a failed probe. */
  self->probe_timeout_id = 0;
  g_cancellable_cancel (self->probe_cancellable);
  return G_SOURCE_REMOVE;
}

static void
probe_server (FestSyncEngine *self)
{
  SoupMessage *message;
  Probe *probe;

  if (self->base_url == NULL)
    return;

  if (self->probe_cancellable != NULL)
    g_cancellable_cancel (self->probe_cancellable);
  g_clear_object (&self->probe_cancellable);
  g_clear_handle_id (&self->probe_timeout_id, g_source_remove);
  self->probe_cancellable = g_cancellable_new ();
  message = _fest_sync_engine_new_message (self, "GET", "/health", NULL);
  if (message == NULL)
    return;
  probe = g_new0 (Probe, 1);
  probe->self = g_object_ref (self);
  probe->message = message;
  self->probe_timeout_id = g_timeout_add (PROBE_TIMEOUT_MS, probe_timeout_cb, self);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->probe_cancellable, probe_cb, probe);
}

static gboolean
probe_timer_cb (gpointer user_data)
{
  FestSyncEngine *self = user_data;

  if (!self->syncing && self->probe_timeout_id == 0)
    probe_server (self);
  return G_SOURCE_CONTINUE;
}

/* Probes run while a started engine cannot reach its server (and its token is still valid). */
void
_fest_sync_engine_update_probing (FestSyncEngine *self)
{
  gboolean want = self->started && !self->online && !self->revoked;

  if (want && self->probe_timer_id == 0)
    self->probe_timer_id = g_timeout_add (PROBE_INTERVAL_MS, probe_timer_cb, self);
  else if (!want)
    g_clear_handle_id (&self->probe_timer_id, g_source_remove);
}

void
_fest_sync_engine_network_changed_cb (GNetworkMonitor *monitor,
                                      gboolean         available,
                                      gpointer         user_data)
{
  FestSyncEngine *self = user_data;

  if (!available)
    {
      _fest_sync_engine_set_online (self, FALSE);
      return;
    }
  probe_server (self);
}
