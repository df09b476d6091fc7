/* fest-net-input.c: the input stream of a FestNet connection, over its socket
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-net-private.h"

#define FEST_TYPE_NET_INPUT (fest_net_input_get_type ())
G_DECLARE_FINAL_TYPE (FestNetInput, fest_net_input, FEST, NET_INPUT, GInputStream)

struct _FestNetInput
{
  GInputStream  parent_instance;
  NetSocket    *socket;
};

static void fest_net_input_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestNetInput, fest_net_input, G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      fest_net_input_pollable_init))

static gssize
fest_net_input_read (GInputStream  *stream,
                     void          *buffer,
                     gsize          count,
                     GCancellable  *cancellable,
                     GError       **error)
{
  return _fest_net_socket_blocking (FEST_NET_INPUT (stream)->socket, G_IO_IN, buffer, count,
                                    cancellable, error);
}

static gboolean
fest_net_input_close (GInputStream  *stream,
                      GCancellable  *cancellable,
                      GError       **error)
{
  /* The connection closes the socket. */
  return TRUE;
}

static gboolean
fest_net_input_can_poll (GPollableInputStream *pollable)
{
  return TRUE;
}

static gboolean
fest_net_input_is_readable (GPollableInputStream *pollable)
{
  return FEST_NET_INPUT (pollable)->socket->readable;
}

static GSource *
fest_net_input_create_source (GPollableInputStream *pollable,
                              GCancellable         *cancellable)
{
  return _fest_net_wait_source_new (FEST_NET_INPUT (pollable)->socket, G_OBJECT (pollable), G_IO_IN,
                                    cancellable);
}

static gssize
fest_net_input_read_nonblocking (GPollableInputStream  *pollable,
                                 void                  *buffer,
                                 gsize                  count,
                                 GError               **error)
{
  return _fest_net_socket_recv (FEST_NET_INPUT (pollable)->socket, buffer, count, error);
}

static void
fest_net_input_finalize (GObject *object)
{
  _fest_net_socket_unref (FEST_NET_INPUT (object)->socket);

  G_OBJECT_CLASS (fest_net_input_parent_class)->finalize (object);
}

static void
fest_net_input_class_init (FestNetInputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *stream_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = fest_net_input_finalize;
  stream_class->read_fn = fest_net_input_read;
  stream_class->close_fn = fest_net_input_close;
}

static void
fest_net_input_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = fest_net_input_can_poll;
  iface->is_readable = fest_net_input_is_readable;
  iface->create_source = fest_net_input_create_source;
  iface->read_nonblocking = fest_net_input_read_nonblocking;
}

static void
fest_net_input_init (FestNetInput *self)
{
}

GInputStream *
_fest_net_input_new (NetSocket *s)
{
  FestNetInput *self = g_object_new (FEST_TYPE_NET_INPUT, NULL);

  self->socket = net_socket_ref (s);
  return G_INPUT_STREAM (self);
}
