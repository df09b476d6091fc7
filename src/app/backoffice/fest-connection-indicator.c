/* fest-connection-indicator.c: online, reconnecting or offline, in the back office's header bar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-connection-indicator.h"

struct _FestConnectionIndicator
{
  GtkWidget        parent_instance;

  GtkImage        *image;

  FestClient      *client;
  FestEventStream *stream;
};

G_DEFINE_FINAL_TYPE (FestConnectionIndicator, fest_connection_indicator, GTK_TYPE_WIDGET)

static void
update (FestConnectionIndicator *self)
{
  FestConnectionState state = self->client != NULL
                              ? fest_client_get_connection_state (self->client)
                              : FEST_CONNECTION_OFFLINE;
  const char *icon;
  const char *tooltip;
  const char *css;

  if (state != FEST_CONNECTION_OFFLINE && self->stream != NULL
      && fest_event_stream_get_state (self->stream) != FEST_EVENT_STREAM_CONNECTED)
    state = FEST_CONNECTION_RECONNECTING;

  switch (state)
    {
    case FEST_CONNECTION_ONLINE:
      icon = "network-transmit-receive-symbolic";
      tooltip = _("Online: live updates are on");
      css = "success";
      break;
    case FEST_CONNECTION_RECONNECTING:
      icon = "emblem-synchronizing-symbolic";
      tooltip = _("Reconnecting: figures refresh every 5 seconds");
      css = "warning";
      break;
    case FEST_CONNECTION_OFFLINE:
    default:
      icon = "network-offline-symbolic";
      tooltip = _("Offline: the server cannot be reached");
      css = "error";
      break;
    }

  gtk_image_set_from_icon_name (self->image, icon);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->image), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "success");
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "warning");
  gtk_widget_remove_css_class (GTK_WIDGET (self->image), "error");
  gtk_widget_add_css_class (GTK_WIDGET (self->image), css);
}

static void
disconnect_source (FestConnectionIndicator *self)
{
  if (self->client != NULL)
    g_signal_handlers_disconnect_by_data (self->client, self);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->client);
  g_clear_object (&self->stream);
}

static void
fest_connection_indicator_dispose (GObject *object)
{
  FestConnectionIndicator *self = FEST_CONNECTION_INDICATOR (object);

  disconnect_source (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_CONNECTION_INDICATOR);

  G_OBJECT_CLASS (fest_connection_indicator_parent_class)->dispose (object);
}

static void
fest_connection_indicator_class_init (FestConnectionIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_connection_indicator_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-connection-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, FestConnectionIndicator, image);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_connection_indicator_init (FestConnectionIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
fest_connection_indicator_new (void)
{
  return g_object_new (FEST_TYPE_CONNECTION_INDICATOR, NULL);
}

void
fest_connection_indicator_set_source (FestConnectionIndicator *self,
                                      FestClient              *client,
                                      FestEventStream         *stream)
{
  g_return_if_fail (FEST_IS_CONNECTION_INDICATOR (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));
  g_return_if_fail (stream == NULL || FEST_IS_EVENT_STREAM (stream));

  if (self->client != client || self->stream != stream)
    {
      disconnect_source (self);
      if (client != NULL)
        {
          self->client = g_object_ref (client);
          g_signal_connect_object (client, "notify::connection-state", G_CALLBACK (update), self,
                                   G_CONNECT_SWAPPED);
        }
      if (stream != NULL)
        {
          self->stream = g_object_ref (stream);
          g_signal_connect_object (stream, "notify::state", G_CALLBACK (update), self,
                                   G_CONNECT_SWAPPED);
        }
    }
  update (self);
}
