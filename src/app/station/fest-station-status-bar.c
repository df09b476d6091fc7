/* fest-station-status-bar.c: the station's always-visible status bar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Online or offline, operations not sent yet, the last sync, the operations the server refused
 * (a button that lists them) and whether the device token had to go to a private file.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-secrets.h"
#include "fest-station-status-bar.h"

struct _FestStationStatusBar
{
  GtkBox              parent_instance;

  FestStationContext *context;

  GtkImage           *status_icon;
  GtkLabel           *status_label;
  GtkLabel           *pending_label;
  GtkLabel           *last_sync_label;
  GtkLabel           *secrets_label;
  GtkButton          *rejected_button;
};

G_DEFINE_FINAL_TYPE (FestStationStatusBar, fest_station_status_bar, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
update (FestStationStatusBar *self)
{
  g_autofree char *pending = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  FestSyncEngine *engine = fest_station_context_get_engine (self->context);
  GDateTime *last_sync;
  gboolean online;

  if (engine == NULL)
    return;

  online = fest_sync_engine_get_online (engine);
  gtk_image_set_from_icon_name (self->status_icon, online ? "network-wired-symbolic"
                                                          : "network-offline-symbolic");
  gtk_label_set_text (self->status_label, online ? _("Online") : _("Offline"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                               online ? "status-offline" : "status-online");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                            online ? "status-online" : "status-offline");

  pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pending operation",
                                          "%u pending operations",
                                          fest_sync_engine_get_pending_count (engine)),
                             fest_sync_engine_get_pending_count (engine));
  gtk_label_set_text (self->pending_label, pending);

  last_sync = fest_sync_engine_get_last_sync (engine);
  if (last_sync != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (last_sync);
      g_autofree char *time = g_date_time_format (local, "%X");

      last = g_strdup_printf (_("Last sync: %s"), time);
    }
  else
    last = g_strdup (_("Never synced"));
  gtk_label_set_text (self->last_sync_label, last);

  rejected = fest_station_store_list_rejected (fest_station_context_get_store (self->context));
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_button), rejected->len > 0);
  if (rejected->len > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Refused by server: %u"), rejected->len);
      gtk_button_set_label (self->rejected_button, text);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->secrets_label), fest_secrets_is_fallback ());
}

static void
rejected_clicked_cb (FestStationStatusBar *self)
{
  g_autoptr(GPtrArray) rejected = fest_station_store_list_rejected (fest_station_context_get_store (self->context));
  g_autoptr(GString) body = g_string_new (NULL);
  AdwMessageDialog *dialog;

  for (guint i = rejected->len; i > 0 && rejected->len - i < 20; i--)
    {
      FestOutboxOp *op = g_ptr_array_index (rejected, i - 1);
      g_autoptr(GDateTime) when = fest_time_parse (op->created_at);
      g_autoptr(GDateTime) local = when ? g_date_time_to_local (when) : NULL;
      g_autofree char *time = local ? g_date_time_format (local, "%x %X") : g_strdup ("");

      g_string_append_printf (body, "%s — %s: %s\n", time, op->error_code ? op->error_code : "",
                              op->error_message ? op->error_message : "");
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Operations refused by the server"),
                                                       body->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
fest_station_status_bar_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_STATION_STATUS_BAR);
  G_OBJECT_CLASS (fest_station_status_bar_parent_class)->dispose (object);
}

static void
fest_station_status_bar_finalize (GObject *object)
{
  FestStationStatusBar *self = FEST_STATION_STATUS_BAR (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_status_bar_parent_class)->finalize (object);
}

static void
fest_station_status_bar_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  FestStationStatusBar *self = FEST_STATION_STATUS_BAR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_status_bar_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  FestStationStatusBar *self = FEST_STATION_STATUS_BAR (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_station_status_bar_class_init (FestStationStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_station_status_bar_dispose;
  object_class->finalize = fest_station_status_bar_finalize;
  object_class->get_property = fest_station_status_bar_get_property;
  object_class->set_property = fest_station_status_bar_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-station-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, status_icon);
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, status_label);
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, pending_label);
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, secrets_label);
  gtk_widget_class_bind_template_child (widget_class, FestStationStatusBar, rejected_button);
  gtk_widget_class_bind_template_callback (widget_class, rejected_clicked_cb);
}

static void
fest_station_status_bar_init (FestStationStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The status bar must not widen the window past the screen (a French warning and the refused
   * operations button did): the warning gives way, whole in its tooltip. */
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->secrets_label), gtk_label_get_text (self->secrets_label));
}

GtkWidget *
fest_station_status_bar_new (FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  return g_object_new (FEST_TYPE_STATION_STATUS_BAR, "context", context, NULL);
}

void
fest_station_status_bar_update (FestStationStatusBar *self)
{
  g_return_if_fail (FEST_IS_STATION_STATUS_BAR (self));
  update (self);
}
