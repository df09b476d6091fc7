/* fest-sync-engine-pull.c: festival parameters, then GET /sync/changes into the store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-sync-engine-private.h"

static void pull_next (FestSyncEngine *self);

/* Bootstrap: the festival's currency, exchange rate and offline allowance, and the ticket public
 * key, fetched once per engine (they are not part of /sync/changes). */

static void
store_setting_from (FestSyncEngine *self,
                    JsonObject     *object,
                    const char     *member,
                    const char     *key)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autofree char *value = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    value = g_strdup (json_node_get_string (node));
  else if (json_node_get_value_type (node) == G_TYPE_INT64)
    value = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  else
    return;
  fest_station_store_set_setting (self->store, key, value, NULL);
}

static void
key_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (self), "key-message");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  data = _fest_sync_engine_parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      /* Not fatal: a cashier may not need the ticket key. */
      g_debug ("No ticket key: %s", error->message);
      g_clear_error (&error);
    }
  else if (JSON_NODE_HOLDS_OBJECT (data))
    {
      store_setting_from (self, json_node_get_object (data), "public_key",
                          FEST_STATION_KEY_TICKET_KEY);
      self->bootstrapped = TRUE;
    }
  pull_next (self);
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = g_object_steal_data (G_OBJECT (self), "festival-message");
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  SoupMessage *next;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  data = _fest_sync_engine_parse_envelope (message, bytes, &error);
  if (data == NULL)
    {
      g_debug ("No festival parameters: %s", error->message);
      g_clear_error (&error);
    }
  else if (JSON_NODE_HOLDS_OBJECT (data))
    {
      JsonObject *festival = json_node_get_object (data);

      store_setting_from (self, festival, "currency_name", FEST_STATION_KEY_CURRENCY_NAME);
      store_setting_from (self, festival, "exchange_rate_cents", FEST_STATION_KEY_EXCHANGE_RATE);
      store_setting_from (self, festival, "offline_allowance", FEST_STATION_KEY_OFFLINE_ALLOWANCE);
      store_setting_from (self, festival, "name", "festival_name");
      if (json_object_has_member (festival, "location") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (festival, "location")))
        {
          JsonObject *location = json_object_get_object_member (festival, "location");
          char text[G_ASCII_DTOSTR_BUF_SIZE];

          if (json_object_has_member (location, "lat") && json_object_has_member (location, "lng") &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (location, "lat")) &&
              JSON_NODE_HOLDS_VALUE (json_object_get_member (location, "lng")))
            {
              g_ascii_dtostr (text, sizeof text, json_object_get_double_member (location, "lat"));
              fest_station_store_set_setting (self->store, "festival_lat", text, NULL);
              g_ascii_dtostr (text, sizeof text, json_object_get_double_member (location, "lng"));
              fest_station_store_set_setting (self->store, "festival_lng", text, NULL);
            }
        }
    }

  next = _fest_sync_engine_new_message (self, "GET", "/ticket-key", NULL);
  g_object_set_data_full (G_OBJECT (self), "key-message", next, g_object_unref);
  soup_session_send_and_read_async (self->session, next, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, key_cb, g_object_ref (self));
}

void
_fest_sync_engine_bootstrap (FestSyncEngine *self)
{
  g_autofree char *festival_id = NULL;
  g_autofree char *path = NULL;
  SoupMessage *message;

  festival_id = fest_station_store_get_setting (self->store, FEST_STATION_KEY_FESTIVAL_ID);
  if (self->bootstrapped || festival_id == NULL)
    {
      pull_next (self);
      return;
    }
  path = g_strdup_printf ("/festivals/%s", festival_id);
  message = _fest_sync_engine_new_message (self, "GET", path, NULL);
  if (message == NULL)
    {
      pull_next (self);
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "festival-message", message, g_object_unref);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, festival_cb, g_object_ref (self));
}

/* Pull */

/* A page of changes, parsed and applied in a worker thread: the main loop (the cashier's screen)
 * neither parses the page nor waits for the store while it is applied (in slices, see
 * fest_station_store_apply_changes). */
typedef struct
{
  GBytes   *bytes;
  guint     status;
  char     *old_cursor;
  gboolean  parsed;       /* a well-formed answer: the server is reachable */
  gboolean  more;         /* has_more, and the cursor advanced */
} PullPage;

static void
pull_page_free (PullPage *page)
{
  g_bytes_unref (page->bytes);
  g_free (page->old_cursor);
  g_free (page);
}

static void
apply_changes_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  FestSyncEngine *self = source_object;
  PullPage *page = task_data;
  g_autoptr(JsonNode) data = NULL;
  GError *error = NULL;
  JsonObject *changes;
  const char *new_cursor;
  guint n_alerts = 0;

  data = _fest_sync_engine_parse_reply (page->status, page->bytes, &error);
  if (data == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (data))
    {
      g_task_return_new_error (task, FEST_ERROR, FEST_ERROR_MALFORMED_JSON,
                               "The changes answer is not an object");
      return;
    }
  page->parsed = TRUE;
  changes = json_node_get_object (data);

  /* has_more without progress would loop: stop after this page. */
  new_cursor = json_object_get_string_member_with_default (changes, "cursor", NULL);
  page->more = json_object_get_boolean_member_with_default (changes, "has_more", FALSE) &&
               new_cursor != NULL && g_strcmp0 (new_cursor, page->old_cursor) != 0;

  if (!fest_station_store_apply_changes (self->store, changes, &n_alerts, &error))
    g_task_return_error (task, error);
  else
    g_task_return_int (task, n_alerts);
}

static void
applied_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  FestSyncEngine *self = FEST_SYNC_ENGINE (source);
  PullPage *page = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;
  gssize n_alerts;

  if (page->parsed)
    _fest_sync_engine_set_online (self, TRUE);
  n_alerts = g_task_propagate_int (G_TASK (result), &error);
  if (error != NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }
  if (n_alerts > 0)
    g_signal_emit (self, _fest_sync_engine_signals[SIGNAL_ALERTS], 0, (guint) n_alerts);

  if (page->more)
    pull_next (self);
  else
    _fest_sync_engine_finish_cycle (self, NULL);
}

static void
pull_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(FestSyncEngine) self = user_data;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *old_cursor = NULL;
  g_autoptr(GTask) task = NULL;
  GError *error = NULL;
  PullPage *page;

  message = g_object_steal_data (G_OBJECT (self), "pull-message");
  old_cursor = g_object_steal_data (G_OBJECT (self), "pull-cursor");
  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (bytes == NULL)
    {
      _fest_sync_engine_finish_cycle (self, error);
      return;
    }

  page = g_new0 (PullPage, 1);
  page->bytes = g_steal_pointer (&bytes);
  page->status = soup_message_get_status (message);
  page->old_cursor = g_steal_pointer (&old_cursor);
  task = g_task_new (self, self->cycle_cancellable, applied_cb, NULL);
  g_task_set_source_tag (task, pull_cb);
  g_task_set_task_data (task, page, (GDestroyNotify) pull_page_free);
  g_task_run_in_thread (task, apply_changes_thread);
}

static void
pull_next (FestSyncEngine *self)
{
  g_autofree char *cursor = fest_station_store_get_cursor (self->store);
  g_autofree char *escaped = g_uri_escape_string (cursor, NULL, TRUE);
  g_autofree char *path = g_strdup_printf ("/sync/changes?since=%s&limit=500", escaped);
  SoupMessage *message = _fest_sync_engine_new_message (self, "GET", path, NULL);

  if (message == NULL)
    {
      _fest_sync_engine_finish_cycle (self, g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                                                         "Invalid server address %s", self->base_url));
      return;
    }
  g_object_set_data_full (G_OBJECT (self), "pull-message", message, g_object_unref);
  g_object_set_data_full (G_OBJECT (self), "pull-cursor", g_steal_pointer (&cursor), g_free);
  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT,
                                    self->cycle_cancellable, pull_cb, g_object_ref (self));
}
