/* fest-net-output.c: the output stream of a FestNet connection; its writes are gathered (see
 * fest-net.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-net-private.h"

#define FEST_TYPE_NET_OUTPUT (fest_net_output_get_type ())
G_DECLARE_FINAL_TYPE (FestNetOutput, fest_net_output, FEST, NET_OUTPUT, GOutputStream)

struct _FestNetOutput
{
  GOutputStream  parent_instance;
  NetSocket     *socket;
};

static void fest_net_output_pollable_init (GPollableOutputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestNetOutput, fest_net_output, G_TYPE_OUTPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_OUTPUT_STREAM,
                                                      fest_net_output_pollable_init))

static gssize
fest_net_output_write (GOutputStream  *stream,
                       const void     *buffer,
                       gsize           count,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return _fest_net_socket_blocking (FEST_NET_OUTPUT (stream)->socket, G_IO_OUT, (void *) buffer,
                                    count, cancellable, error);
}

static gboolean
fest_net_output_close (GOutputStream  *stream,
                       GCancellable   *cancellable,
                       GError        **error)
{
  return TRUE;
}

static gboolean
fest_net_output_can_poll (GPollableOutputStream *pollable)
{
  return TRUE;
}

static gboolean
fest_net_output_is_writable (GPollableOutputStream *pollable)
{
  return FEST_NET_OUTPUT (pollable)->socket->writable;
}

static GSource *
fest_net_output_create_source (GPollableOutputStream *pollable,
                               GCancellable          *cancellable)
{
  return _fest_net_wait_source_new (FEST_NET_OUTPUT (pollable)->socket, G_OBJECT (pollable),
                                    G_IO_OUT, cancellable);
}

static gssize
fest_net_output_write_nonblocking (GPollableOutputStream  *pollable,
                                   const void             *buffer,
                                   gsize                   count,
                                   GError                **error)
{
  return _fest_net_socket_send (FEST_NET_OUTPUT (pollable)->socket, buffer, count, TRUE, error);
}

static void
fest_net_output_finalize (GObject *object)
{
  _fest_net_socket_unref (FEST_NET_OUTPUT (object)->socket);

  G_OBJECT_CLASS (fest_net_output_parent_class)->finalize (object);
}

static void
fest_net_output_class_init (FestNetOutputClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  object_class->finalize = fest_net_output_finalize;
  stream_class->write_fn = fest_net_output_write;
  stream_class->close_fn = fest_net_output_close;
}

static void
fest_net_output_pollable_init (GPollableOutputStreamInterface *iface)
{
  iface->can_poll = fest_net_output_can_poll;
  iface->is_writable = fest_net_output_is_writable;
  iface->create_source = fest_net_output_create_source;
  iface->write_nonblocking = fest_net_output_write_nonblocking;
}

static void
fest_net_output_init (FestNetOutput *self)
{
}

GOutputStream *
_fest_net_output_new (NetSocket *s)
{
  FestNetOutput *self = g_object_new (FEST_TYPE_NET_OUTPUT, NULL);

  self->socket = net_socket_ref (s);
  return G_OUTPUT_STREAM (self);
}
