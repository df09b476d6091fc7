/* fest-events.c: the /events WebSocket hub: per-festival clients, bounded queues, stats:update
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sys/socket.h>

#include "fest-core.h"
#include "fest-events.h"
#include "fest-server.h"
#include "fest-stats.h"

#define HUB_KEY "fest-events-hub"
#define STATS_MIN_DELAY_MS 100

typedef struct _Festival Festival;

typedef struct
{
  FestEventsHub           *hub;
  Festival                *festival;
  SoupWebsocketConnection *connection;
  GSocket                 *socket;
  FestRoles                roles;         /* of the client's token in the festival */
  char                    *account_id;    /* nullable (a device token) */
  gulong                   closed_id;
  guint                    blocked_messages;
  gsize                    blocked_bytes;
  gboolean                 dropped;
} Client;

struct _Festival
{
  FestEventsHub *hub;
  char      *id;
  GPtrArray *clients;           /* of Client */
  guint      stats_source;
  gint64     last_stats_us;
};

struct _FestEventsHub
{
  FestServer *server;           /* owns the hub */
  GHashTable *festivals;        /* id → Festival */
  guint       sink_id;
};

static void
client_free (gpointer data)
{
  Client *client = data;

  g_clear_signal_handler (&client->closed_id, client->connection);
  if (soup_websocket_connection_get_state (client->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, NULL);
  g_clear_object (&client->connection);
  g_clear_object (&client->socket);
  g_free (client->account_id);
  g_free (client);
}

static gboolean
client_free_idle_cb (gpointer user_data)
{
  return G_SOURCE_REMOVE;
}

static void
festival_free (gpointer data)
{
  Festival *festival = data;

  g_clear_handle_id (&festival->stats_source, g_source_remove);
  g_ptr_array_unref (festival->clients);
  g_free (festival->id);
  g_free (festival);
}

static void
hub_free (gpointer data)
{
  FestEventsHub *hub = data;

  g_hash_table_unref (hub->festivals);
  g_free (hub);
}

/* Can the client's socket take more bytes right now? */
static gboolean
client_is_writable (Client *client)
{
  GIOStream *stream = soup_websocket_connection_get_io_stream (client->connection);
  GOutputStream *output = stream != NULL ? g_io_stream_get_output_stream (stream) : NULL;

  if (output != NULL && G_IS_POLLABLE_OUTPUT_STREAM (output) &&
      g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)))
    return g_pollable_output_stream_is_writable (G_POLLABLE_OUTPUT_STREAM (output));
  if (client->socket != NULL)
    return (g_socket_condition_check (client->socket, G_IO_OUT) & G_IO_OUT) != 0;
  return TRUE;
}

static void
client_drop (Client *client)
{
  if (client->dropped)
    return;
  client->dropped = TRUE;
  g_debug ("dropping a /events client of festival %s: %u messages (%" G_GSIZE_FORMAT " bytes) not taken",
           client->festival->id, client->blocked_messages, client->blocked_bytes);
  soup_websocket_connection_close (client->connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "too slow");
  /* The close frame cannot get past a full socket: shut it down so that libsoup ends the
   * connection (and frees its queue) now; its "closed" handler removes the client. */
  if (client->socket != NULL)
    g_socket_shutdown (client->socket, TRUE, TRUE, NULL);
}

static void
client_send (Client     *client,
             const char *text,
             gsize       length)
{
  if (client->dropped || soup_websocket_connection_get_state (client->connection) != SOUP_WEBSOCKET_STATE_OPEN)
    return;

  if (client_is_writable (client))
    {
      client->blocked_messages = 0;
      client->blocked_bytes = 0;
    }
  else
    {
      client->blocked_messages++;
      client->blocked_bytes += length;
      if (client->blocked_messages > FEST_EVENTS_MAX_BLOCKED_MESSAGES ||
          client->blocked_bytes > FEST_EVENTS_MAX_BLOCKED_BYTES)
        {
          client_drop (client);
          return;
        }
    }
  soup_websocket_connection_send_text (client->connection, text);
}

/* An event reaches the clients whose token may read the same data through the API: a member with
 * only ARTIST sees the lineup, not the wallets; a guard the incidents assigned to them. */
static gboolean
client_may_see (const Client *client,
                const char   *event,
                JsonNode     *data)
{
  if (g_str_has_prefix (event, "incident:"))
    {
      JsonObject *incident = data != NULL && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
      const char *assigned_to;

      if (fest_roles_allow (client->roles, FEST_PERM_INCIDENT_ASSIGN))
        return TRUE;
      if (!fest_roles_allow (client->roles, FEST_PERM_INCIDENT_READ) || incident == NULL || client->account_id == NULL)
        return FALSE;
      assigned_to = json_object_get_string_member_with_default (incident, "assigned_to", NULL);
      return g_strcmp0 (assigned_to, client->account_id) == 0;
    }
  if (g_str_equal (event, "transaction:new") || g_str_equal (event, "wallet:updated"))
    return fest_roles_allow (client->roles, FEST_PERM_TRANSACTION_READ);
  if (g_str_has_prefix (event, "ticket") || g_str_equal (event, "alert:new"))
    return fest_roles_allow (client->roles, FEST_PERM_TICKET_READ);
  if (g_str_equal (event, "slot:updated"))
    return fest_roles_allow (client->roles, FEST_PERM_LINEUP_READ);
  if (g_str_equal (event, "gate:updated"))
    return fest_roles_allow (client->roles, FEST_PERM_CATALOG_READ);
  /* stats:update, station:updated and whatever comes next: the organisers'. */
  return fest_roles_allow (client->roles, FEST_PERM_STATS_READ);
}

static void
festival_send (Festival   *festival,
               const char *event,
               JsonNode   *data)
{
  g_autoptr(JsonObject) envelope = json_object_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  json_object_set_string_member (envelope, "event", event);
  json_object_set_member (envelope, "data", data != NULL ? json_node_ref (data) : json_node_new (JSON_NODE_NULL));
  node = json_node_init_object (json_node_alloc (), envelope);
  text = fest_json_to_string (node, &length);

  /* A client may be removed while we iterate (its socket shut down): iterate over a copy. */
  {
    g_autoptr(GPtrArray) clients = g_ptr_array_copy (festival->clients, NULL, NULL);

    /* The copy would inherit the free function: it only borrows. */
    g_ptr_array_set_free_func (clients, NULL);

    for (guint i = 0; i < clients->len; i++)
      {
        Client *client = g_ptr_array_index (clients, i);

        if (client_may_see (client, event, data))
          client_send (client, text, length);
      }
  }
}

static gboolean
stats_timeout_cb (gpointer user_data)
{
  Festival *festival = user_data;
  FestEventsHub *hub = festival->hub;
  FestFestivalStore *store;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) stats = NULL;

  festival->stats_source = 0;
  if (festival->clients->len == 0)
    return G_SOURCE_REMOVE;

  store = fest_server_get_festival_store (hub->server, festival->id, &error);
  if (store != NULL)
    stats = fest_stats_compute (store, fest_server_get_platform (hub->server), festival->id, &error);
  if (stats == NULL)
    {
      g_warning ("stats:update for festival %s: %s", festival->id, error->message);
      return G_SOURCE_REMOVE;
    }
  festival->last_stats_us = g_get_monotonic_time ();
  festival_send (festival, "stats:update", stats);
  return G_SOURCE_REMOVE;
}

static void
festival_schedule_stats (Festival *festival)
{
  gint64 since_ms;
  gint64 delay_ms;

  if (festival->stats_source != 0 || festival->clients->len == 0)
    return;
  since_ms = (g_get_monotonic_time () - festival->last_stats_us) / 1000;
  delay_ms = MAX (STATS_MIN_DELAY_MS, FEST_EVENTS_STATS_INTERVAL_MS - since_ms);
  festival->stats_source = g_timeout_add ((guint) delay_ms, stats_timeout_cb, festival);
}

static void
event_sink_cb (FestServer *server,
               const char *festival_id,
               const char *event,
               JsonNode   *data,
               gpointer    user_data)
{
  FestEventsHub *hub = user_data;
  Festival *festival;

  if (festival_id == NULL)
    return;

  festival = g_hash_table_lookup (hub->festivals, festival_id);
  if (festival == NULL || festival->clients->len == 0)
    return;

  festival_send (festival, event, data);
  if (!g_str_equal (event, "stats:update"))
    festival_schedule_stats (festival);
}

/* Tells the festival's store how many clients it has: the writer builds client-only events (the
 * ledger's) only when there are some. Called before a new client's "hello", so that every job
 * that starts after it builds them. */
static void
festival_update_subscribers (FestEventsHub *hub,
                             const char    *festival_id,
                             guint          n_clients)
{
  FestFestivalStore *store = fest_server_get_festival_store (hub->server, festival_id, NULL);

  if (store != NULL)
    fest_festival_store_set_event_subscribers (store, n_clients);
}

static void
connection_closed_cb (SoupWebsocketConnection *connection,
                      gpointer                 user_data)
{
  Client *client = user_data;
  Festival *festival = client->festival;
  FestEventsHub *hub = client->hub;
  guint index;

  g_debug ("/events client of festival %s closed (code %u)", festival->id,
           soup_websocket_connection_get_close_code (connection));

  if (!g_ptr_array_find (festival->clients, client, &index))
    return;
  /* Freed once the emission is over: our ref may be the connection's last. */
  g_ptr_array_steal_index (festival->clients, index);
  g_idle_add_full (G_PRIORITY_DEFAULT, client_free_idle_cb, client, client_free);
  festival_update_subscribers (hub, festival->id, festival->clients->len);
  if (festival->clients->len == 0)
    g_hash_table_remove (hub->festivals, festival->id);
}

FestEventsHub *
fest_events_hub_get (FestServer *server)
{
  FestEventsHub *hub = g_object_get_data (G_OBJECT (server), HUB_KEY);

  if (hub != NULL)
    return hub;

  hub = g_new0 (FestEventsHub, 1);
  hub->server = server;
  hub->festivals = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, festival_free);
  g_object_set_data_full (G_OBJECT (server), HUB_KEY, hub, hub_free);
  hub->sink_id = fest_server_add_event_sink (server, event_sink_cb, hub, NULL);
  return hub;
}

void
fest_events_hub_add_client (FestEventsHub           *hub,
                            const char              *festival_id,
                            FestRoles                roles,
                            const char              *account_id,
                            SoupWebsocketConnection *connection,
                            GSocket                 *socket)
{
  g_autoptr(JsonObject) hello = json_object_new ();
  g_autoptr(JsonNode) hello_node = NULL;
  Festival *festival;
  Client *client;

  g_return_if_fail (hub != NULL);
  g_return_if_fail (festival_id != NULL);
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (connection));

  festival = g_hash_table_lookup (hub->festivals, festival_id);
  if (festival == NULL)
    {
      festival = g_new0 (Festival, 1);
      festival->hub = hub;
      festival->id = g_strdup (festival_id);
      festival->clients = g_ptr_array_new_with_free_func (client_free);
      g_hash_table_insert (hub->festivals, festival->id, festival);
    }

  client = g_new0 (Client, 1);
  client->hub = hub;
  client->festival = festival;
  client->connection = g_object_ref (connection);
  client->socket = socket != NULL ? g_object_ref (socket) : NULL;
  client->roles = roles;
  client->account_id = g_strdup (account_id);
  if (client->socket != NULL)
    {
      /* Cap what the kernel buffers for this client, so that a peer that stops reading is seen
       * (and dropped) after a bounded amount of data. */
      g_socket_set_option (client->socket, SOL_SOCKET, SO_SNDBUF, FEST_EVENTS_SEND_BUFFER, NULL);
    }
  soup_websocket_connection_set_keepalive_interval (connection, FEST_EVENTS_KEEPALIVE_S);
  client->closed_id = g_signal_connect (connection, "closed", G_CALLBACK (connection_closed_cb), client);
  g_ptr_array_add (festival->clients, client);
  festival_update_subscribers (hub, festival_id, festival->clients->len);

  /* Tells the client it is subscribed: events from now on reach it. */
  json_object_set_string_member (hello, "festival_id", festival_id);
  hello_node = json_node_init_object (json_node_alloc (), hello);
  {
    g_autoptr(JsonObject) envelope = json_object_new ();
    g_autoptr(JsonNode) node = NULL;
    g_autofree char *text = NULL;

    json_object_set_string_member (envelope, "event", "hello");
    json_object_set_member (envelope, "data", g_steal_pointer (&hello_node));
    node = json_node_init_object (json_node_alloc (), envelope);
    text = fest_json_to_string (node, NULL);
    soup_websocket_connection_send_text (connection, text);
  }
}

guint
fest_events_hub_count_clients (FestEventsHub *hub,
                               const char    *festival_id)
{
  Festival *festival = g_hash_table_lookup (hub->festivals, festival_id);

  return festival != NULL ? festival->clients->len : 0;
}
