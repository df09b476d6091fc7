/* fest-station-settings-view.c: a running station's settings, behind the organiser PIN
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-secrets.h"
#include "fest-station-settings-view.h"

struct _FestStationSettingsView
{
  AdwBin              parent_instance;

  FestStationContext *context;
  GSettings          *sound_settings;   /* NULL when the schema is not installed */

  AdwActionRow       *station_row;
  AdwActionRow       *server_row;
  AdwActionRow       *pending_row;
  AdwActionRow       *sounds_row;
  GtkSwitch          *sounds_switch;
  GtkWidget          *back_button;
};

G_DEFINE_FINAL_TYPE (FestStationSettingsView, fest_station_settings_view, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  BACK,
  UNENROLLED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Settings: what an organiser checks or changes on a running station, behind the PIN. Nothing
 * here forgets anything: un-enrolling is its own confirmed action, refused while operations are
 * not sent, and it keeps the outbox (the shift's sales) on the device. */

static void
update (FestStationSettingsView *self)
{
  FestStationStore *store = fest_station_context_get_store (self->context);
  const char *mode_title = fest_station_mode_title (fest_station_context_get_mode (self->context));
  g_autofree char *stand = fest_station_store_get_setting (store, FEST_STATION_KEY_STAND_NAME);
  g_autofree char *device = fest_station_store_get_setting (store, FEST_STATION_KEY_DEVICE_NAME);
  g_autofree char *station = NULL;
  g_autofree char *pending = NULL;
  guint n = fest_station_store_count_pending (store);

  adw_action_row_set_subtitle (self->server_row, fest_station_context_get_server_url (self->context));
  if (stand != NULL && device != NULL)
    /* TRANSLATORS: station settings: "<mode> · <stand> · <device name>" */
    station = g_strdup_printf (_("%s · %s · %s"), mode_title, stand, device);
  else
    station = g_strdup (mode_title);
  adw_action_row_set_subtitle (self->station_row, station);
  if (n == 0)
    pending = g_strdup (_("Everything is sent"));
  else
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u operation not sent yet",
                                            "%u operations not sent yet", n), n);
  adw_action_row_set_subtitle (self->pending_row, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->sounds_row), self->sound_settings != NULL);
}

static void
sync_clicked_cb (FestStationSettingsView *self)
{
  FestSyncEngine *engine = fest_station_context_get_engine (self->context);

  if (engine != NULL)
    fest_sync_engine_sync_now (engine);
  fest_station_context_toast (self->context, _("Syncing…"));
}

static void
unenroll_refused (FestStationSettingsView *self,
                  const char              *message)
{
  AdwMessageDialog *dialog;

  gtk_widget_error_bell (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                                       _("Not Un-enrolled"), message));
  adw_message_dialog_add_responses (dialog, "close", _("_OK"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  update (self);
}

static void
unenroll_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  FestStationSettingsView *self = user_data;
  g_autofree char *secret_key = fest_station_context_dup_secret_key (self->context);
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "unenroll") != 0)
    return;
  /* The store checks again: an operation may have been queued meanwhile. */
  if (!fest_station_store_unenroll (fest_station_context_get_store (self->context), &error))
    {
      unenroll_refused (self, error->message);
      return;
    }
  if (fest_station_context_get_engine (self->context) != NULL)
    fest_sync_engine_stop (fest_station_context_get_engine (self->context));
  fest_station_context_set_engine (self->context, NULL);
  fest_secrets_clear_async (FEST_SECRET_KIND_DEVICE, secret_key, NULL, NULL, NULL);
  g_signal_emit (self, signals[UNENROLLED], 0);
}

static void
unenroll_clicked_cb (FestStationSettingsView *self)
{
  guint n = fest_station_store_count_pending (fest_station_context_get_store (self->context));
  AdwMessageDialog *dialog;

  if (n > 0)
    {
      g_autofree char *count = g_strdup_printf ("%u", n);
      g_autofree char *message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                               "%s operation of this station is not sent to the server yet: sync "
                                                               "the station before un-enrolling it",
                                                               "%s operations of this station are not sent to the server yet: sync "
                                                               "the station before un-enrolling it", n), count);

      unenroll_refused (self, message);
      return;
    }
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), _("Un-enroll This Station?"),
                                                       _("The station forgets its device token and shows the "
                                                         "enrollment form; a new device token brings it back. "
                                                         "The sales, scans and reports recorded here stay on this "
                                                         "device.")));
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "unenroll", _("_Un-enroll"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "unenroll", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect_object (dialog, "response", G_CALLBACK (unenroll_response_cb), self, 0);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
back_clicked_cb (FestStationSettingsView *self)
{
  g_signal_emit (self, signals[BACK], 0);
}

static void
fest_station_settings_view_dispose (GObject *object)
{
  FestStationSettingsView *self = FEST_STATION_SETTINGS_VIEW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_STATION_SETTINGS_VIEW);
  g_clear_object (&self->sound_settings);
  G_OBJECT_CLASS (fest_station_settings_view_parent_class)->dispose (object);
}

static void
fest_station_settings_view_finalize (GObject *object)
{
  FestStationSettingsView *self = FEST_STATION_SETTINGS_VIEW (object);

  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_settings_view_parent_class)->finalize (object);
}

static void
fest_station_settings_view_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  FestStationSettingsView *self = FEST_STATION_SETTINGS_VIEW (object);

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
fest_station_settings_view_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  FestStationSettingsView *self = FEST_STATION_SETTINGS_VIEW (object);

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
fest_station_settings_view_class_init (FestStationSettingsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_station_settings_view_dispose;
  object_class->finalize = fest_station_settings_view_finalize;
  object_class->get_property = fest_station_settings_view_get_property;
  object_class->set_property = fest_station_settings_view_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* "Back to the Station": leave the settings, nothing changed. */
  signals[BACK] =
    g_signal_new ("back", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
  /* The device token is forgotten: the enrollment form comes next. */
  signals[UNENROLLED] =
    g_signal_new ("unenrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-station-settings-view.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, station_row);
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, server_row);
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, pending_row);
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, sounds_row);
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, sounds_switch);
  gtk_widget_class_bind_template_child (widget_class, FestStationSettingsView, back_button);
  gtk_widget_class_bind_template_callback (widget_class, back_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, sync_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, unenroll_clicked_cb);
}

static void
fest_station_settings_view_init (FestStationSettingsView *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The same switch as the app's preferences (FestFeedback reads it); uninstalled runs have no
   * schema and keep the sounds on. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "app.festivals.Festivals", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "station-sounds"))
    self->sound_settings = g_settings_new_full (schema, NULL, NULL);
  if (self->sound_settings != NULL)
    g_settings_bind (self->sound_settings, "station-sounds", self->sounds_switch, "active",
                     G_SETTINGS_BIND_DEFAULT);
}

/* Public API */

GtkWidget *
fest_station_settings_view_new (FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  return g_object_new (FEST_TYPE_STATION_SETTINGS_VIEW, "context", context, NULL);
}

void
fest_station_settings_view_refresh (FestStationSettingsView *self)
{
  g_return_if_fail (FEST_IS_STATION_SETTINGS_VIEW (self));

  update (self);
  gtk_widget_grab_focus (self->back_button);
}
