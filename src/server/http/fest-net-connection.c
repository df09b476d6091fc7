/* fest-net-connection.c: the GIOStream libsoup gets for a FestNet connection
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-net-private.h"

#define FEST_TYPE_NET_CONNECTION (fest_net_connection_get_type ())
G_DECLARE_FINAL_TYPE (FestNetConnection, fest_net_connection, FEST, NET_CONNECTION, GIOStream)

struct _FestNetConnection
{
  GIOStream      parent_instance;
  NetSocket     *socket;
  GInputStream  *input;
  GOutputStream *output;
};

G_DEFINE_FINAL_TYPE (FestNetConnection, fest_net_connection, G_TYPE_IO_STREAM)

static GInputStream *
fest_net_connection_get_input_stream (GIOStream *stream)
{
  return FEST_NET_CONNECTION (stream)->input;
}

static GOutputStream *
fest_net_connection_get_output_stream (GIOStream *stream)
{
  return FEST_NET_CONNECTION (stream)->output;
}

static gboolean
fest_net_connection_close (GIOStream     *stream,
                           GCancellable  *cancellable,
                           GError       **error)
{
  FestNetConnection *self = FEST_NET_CONNECTION (stream);

  g_output_stream_close (self->output, NULL, NULL);
  g_input_stream_close (self->input, NULL, NULL);
  _fest_net_socket_finish (self->socket);
  return TRUE;
}

/* Closing never blocks: no thread (GIOStream's default runs close_fn in one). */
static void
fest_net_connection_close_async (GIOStream           *stream,
                                 int                  io_priority,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, fest_net_connection_close_async);
  fest_net_connection_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
fest_net_connection_close_finish (GIOStream     *stream,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
fest_net_connection_finalize (GObject *object)
{
  FestNetConnection *self = FEST_NET_CONNECTION (object);

  g_clear_object (&self->input);
  g_clear_object (&self->output);
  _fest_net_socket_unref (self->socket);

  G_OBJECT_CLASS (fest_net_connection_parent_class)->finalize (object);
}

static void
fest_net_connection_class_init (FestNetConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GIOStreamClass *stream_class = G_IO_STREAM_CLASS (klass);

  object_class->finalize = fest_net_connection_finalize;
  stream_class->get_input_stream = fest_net_connection_get_input_stream;
  stream_class->get_output_stream = fest_net_connection_get_output_stream;
  stream_class->close_fn = fest_net_connection_close;
  stream_class->close_async = fest_net_connection_close_async;
  stream_class->close_finish = fest_net_connection_close_finish;
}

static void
fest_net_connection_init (FestNetConnection *self)
{
}

GIOStream *
_fest_net_connection_new (NetSocket *s)
{
  FestNetConnection *self = g_object_new (FEST_TYPE_NET_CONNECTION, NULL);

  self->socket = net_socket_ref (s);
  self->input = _fest_net_input_new (s);
  self->output = _fest_net_output_new (s);
  return G_IO_STREAM (self);
}
