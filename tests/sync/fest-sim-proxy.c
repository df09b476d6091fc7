/* fest-sim-proxy.c: a loopback TCP proxy between one station and the server, for the simulation
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-sim-proxy.h"

#define BUFFER_SIZE 16384

struct _FestSimProxy
{
  GSocketService *service;        /* NULL while offline */
  guint16         port;
  guint16         upstream_port;
  char           *url;
  gboolean        drop_responses;
  guint           dropped;
  GList          *links;          /* Link, open connections */
};

/* One station connection and its upstream twin. Every pending async call holds a reference. */
typedef struct
{
  gint               refs;
  FestSimProxy      *proxy;       /* NULL once cut */
  GSocketConnection *client;
  GSocketConnection *upstream;
  GCancellable      *cancellable;
  /* A POST went up and its answer has not come back yet: the answer to drop, if asked. */
  gboolean           post_pending;
  guint8             up[BUFFER_SIZE];
  guint8             down[BUFFER_SIZE];
} Link;

static Link *
link_ref (Link *link)
{
  link->refs++;
  return link;
}

static void
link_unref (Link *link)
{
  if (--link->refs > 0)
    return;
  g_clear_object (&link->client);
  g_clear_object (&link->upstream);
  g_clear_object (&link->cancellable);
  g_free (link);
}

static void
link_cut (Link *link)
{
  if (link->proxy == NULL)
    return;
  link->proxy->links = g_list_remove (link->proxy->links, link);
  link->proxy = NULL;
  /* Shut down rather than close: reads may be pending on the streams; the peers see the cut now,
   * the descriptors go with the last reference. */
  if (link->client != NULL)
    g_socket_shutdown (g_socket_connection_get_socket (link->client), TRUE, TRUE, NULL);
  if (link->upstream != NULL)
    g_socket_shutdown (g_socket_connection_get_socket (link->upstream), TRUE, TRUE, NULL);
  g_cancellable_cancel (link->cancellable);
  link_unref (link);   /* the proxy's own reference */
}

static void read_client (Link *link);
static void read_upstream (Link *link);

static void
client_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Link *link = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    link_cut (link);
  else if (link->proxy != NULL)
    read_upstream (link);
  link_unref (link);
}

static void
upstream_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Link *link = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (link->proxy == NULL)
    ;
  else if (n <= 0)
    link_cut (link);
  else if (link->post_pending && link->proxy->drop_responses)
    {
      /* The server has answered, so it has applied the request: the station never hears it. */
      link->proxy->dropped++;
      link_cut (link);
    }
  else
    {
      link->post_pending = FALSE;
      g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (link->client)),
                                       link->down, n, G_PRIORITY_DEFAULT, link->cancellable,
                                       client_written_cb, link_ref (link));
    }
  link_unref (link);
}

static void
read_upstream (Link *link)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (link->upstream)), link->down,
                             sizeof link->down, G_PRIORITY_DEFAULT, link->cancellable, upstream_read_cb,
                             link_ref (link));
}

static void
upstream_written_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Link *link = user_data;

  if (!g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL))
    link_cut (link);
  else if (link->proxy != NULL)
    read_client (link);
  link_unref (link);
}

static void
client_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Link *link = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (link->proxy == NULL)
    ;
  else if (n <= 0)
    link_cut (link);
  else
    {
      /* libsoup writes a request's head in one piece: a chunk that starts a POST starts its head. */
      if (n >= 5 && memcmp (link->up, "POST ", 5) == 0)
        link->post_pending = TRUE;
      g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (link->upstream)),
                                       link->up, n, G_PRIORITY_DEFAULT, link->cancellable,
                                       upstream_written_cb, link_ref (link));
    }
  link_unref (link);
}

static void
read_client (Link *link)
{
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (link->client)), link->up,
                             sizeof link->up, G_PRIORITY_DEFAULT, link->cancellable, client_read_cb,
                             link_ref (link));
}

static void
upstream_connected_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  Link *link = user_data;
  GSocketConnection *upstream = g_socket_client_connect_finish (G_SOCKET_CLIENT (source), result, NULL);

  if (link->proxy == NULL)
    g_clear_object (&upstream);
  else if (upstream == NULL)
    link_cut (link);   /* the server is down: the station sees its connection closed */
  else
    {
      link->upstream = upstream;
      read_client (link);
      read_upstream (link);
    }
  link_unref (link);
}

static gboolean
incoming_cb (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  FestSimProxy *proxy = user_data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  Link *link = g_new0 (Link, 1);

  link->refs = 1;
  link->proxy = proxy;
  link->client = g_object_ref (connection);
  link->cancellable = g_cancellable_new ();
  proxy->links = g_list_prepend (proxy->links, link);
  g_socket_client_connect_to_host_async (client, "127.0.0.1", proxy->upstream_port, link->cancellable,
                                         upstream_connected_cb, link_ref (link));
  return TRUE;
}

static void
listen_on (FestSimProxy *proxy)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, proxy->port);
  g_autoptr(GSocketAddress) effective = NULL;
  g_autoptr(GError) error = NULL;

  proxy->service = g_socket_service_new ();
  /* The same port again after an offline period (SO_REUSEADDR is set by GSocketListener). */
  g_socket_listener_add_address (G_SOCKET_LISTENER (proxy->service), address, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
  g_assert_no_error (error);
  proxy->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  g_signal_connect (proxy->service, "incoming", G_CALLBACK (incoming_cb), proxy);
  g_socket_service_start (proxy->service);
}

FestSimProxy *
fest_sim_proxy_new (guint16 upstream_port)
{
  FestSimProxy *proxy = g_new0 (FestSimProxy, 1);

  proxy->upstream_port = upstream_port;
  listen_on (proxy);
  proxy->url = g_strdup_printf ("http://127.0.0.1:%u", proxy->port);
  return proxy;
}

static void
cut_all (FestSimProxy *proxy)
{
  while (proxy->links != NULL)
    link_cut (proxy->links->data);
}

void
fest_sim_proxy_free (FestSimProxy *proxy)
{
  fest_sim_proxy_set_online (proxy, FALSE);
  g_free (proxy->url);
  g_free (proxy);
}

const char *
fest_sim_proxy_get_url (FestSimProxy *proxy)
{
  return proxy->url;
}

void
fest_sim_proxy_set_upstream_port (FestSimProxy *proxy,
                                  guint16       upstream_port)
{
  proxy->upstream_port = upstream_port;
  /* Connections to the old server are dead anyway. */
  cut_all (proxy);
}

void
fest_sim_proxy_set_online (FestSimProxy *proxy,
                           gboolean      online)
{
  if (online && proxy->service == NULL)
    listen_on (proxy);
  else if (!online && proxy->service != NULL)
    {
      g_socket_service_stop (proxy->service);
      g_socket_listener_close (G_SOCKET_LISTENER (proxy->service));
      g_signal_handlers_disconnect_by_data (proxy->service, proxy);
      g_clear_object (&proxy->service);
      cut_all (proxy);
    }
}

gboolean
fest_sim_proxy_get_online (FestSimProxy *proxy)
{
  return proxy->service != NULL;
}

void
fest_sim_proxy_set_drop_responses (FestSimProxy *proxy,
                                   gboolean      drop)
{
  proxy->drop_responses = drop;
}

guint
fest_sim_proxy_get_dropped (FestSimProxy *proxy)
{
  return proxy->dropped;
}
