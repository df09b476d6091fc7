/* fest-station-window.c: the fullscreen kiosk station (cashier, recharge desk, gate, security)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window hosts the mode page (cashier, recharge, scanner, security) and hands it the station
 * context (store, sync engine, device client); it owns the keyboard-wedge detector, the status
 * bar, the enrollment and settings views, the organiser PIN and the station's actions
 * ("station.charge", "station.cancel-last", "station.shift-report", "station.settings"…, with
 * their keyboard shortcuts). Keys are watched in the CAPTURE phase on the window: a focused text
 * field gets them untouched; anywhere else a scanner burst is handed to the page (or to the
 * enrollment form) and a human's keys go to the page's code field (see "Keyboard wedge").
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-feedback.h"
#include "fest-secrets.h"
#include "fest-station-context.h"
#include "fest-station-enroll-view.h"
#include "fest-station-keyboard.h"
#include "fest-station-lock.h"
#include "fest-station-mode-host.h"
#include "fest-station-settings-view.h"
#include "fest-station-status-bar.h"
#include "fest-station-window-private.h"

struct _FestStationWindow
{
  AdwApplicationWindow     parent_instance;

  FestStationContext      *context;         /* store, engine, device client: what the page gets */
  char                    *organiser_token; /* demo: enrolls itself with it */
  FestStationKeyboard     *keyboard;        /* scanners' and people's keys */
  GCancellable            *cancellable;
  gboolean                 unlocked;
  FestStationLock         *lock;            /* the organiser PIN */
  AdwToast                *toast;           /* the one shown, until dismissed */
  char                    *last_toast;      /* tests: what the last toast said */
  gboolean                 page_open;

  AdwToastOverlay         *toasts;
  AdwWindowTitle          *title;
  GtkStack                *stack;
  GtkBox                  *station_box;
  FestStationModeHost     *mode_host;
  AdwStatusPage           *revoked_page;
  FestStationEnrollView   *enroll_view;
  FestStationSettingsView *settings_view;
  FestStationStatusBar    *status_bar;
};

G_DEFINE_FINAL_TYPE (FestStationWindow, fest_station_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void show_station (FestStationWindow *self,
                          const char        *device_token);
static void show_settings (FestStationWindow *self);
static void leave_settings (FestStationWindow *self);

/* Helpers */

static FestStationStore *
station_store (FestStationWindow *self)
{
  return fest_station_context_get_store (self->context);
}

static FestSyncEngine *
station_engine (FestStationWindow *self)
{
  return fest_station_context_get_engine (self->context);
}

static void
load_css (void)
{
  static gboolean loaded = FALSE;
  g_autoptr(GtkCssProvider) provider = NULL;

  if (loaded)
    return;
  loaded = TRUE;
  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, "/app/festivals/Festivals/fest-station.css");
  gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                              GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  /* The incident types' icons are ours (no icon theme has them all); a GtkApplication adds this
   * path itself, a station window without one does not. */
  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                    "/app/festivals/Festivals/icons");
}

static void
update_status (FestStationWindow *self)
{
  fest_station_status_bar_update (self->status_bar);
}

/* The enrollment form, for a new device token (after a revocation or an un-enrollment). */
static void
show_enroll (FestStationWindow *self)
{
  fest_station_enroll_view_reset (self->enroll_view);
  gtk_stack_set_visible_child_name (self->stack, "enroll");
  fest_station_enroll_view_focus_token (self->enroll_view);
}

/* PIN */

static void
ask_pin (FestStationWindow      *self,
         FestStationLockPurpose  purpose)
{
  fest_station_lock_ask (self->lock, GTK_WINDOW (self), purpose);
}

static void
pin_refused_cb (FestStationWindow *self)
{
  gtk_widget_error_bell (GTK_WIDGET (self));
  fest_station_window_toast (self, _("Wrong PIN"));
}

static void
unlocked_cb (FestStationWindow *self,
             int                purpose)
{
  if (purpose == FEST_STATION_LOCK_LEAVE)
    {
      self->unlocked = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (purpose == FEST_STATION_LOCK_ENROLL_AGAIN)
    {
      /* Revoked: enroll again WITHOUT forgetting anything; the kept outbox goes out with the new
       * token (the store refuses a token of another festival). */
      show_enroll (self);
    }
  else
    show_settings (self);
}

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   user_data)
{
  FestStationWindow *self = FEST_STATION_WINDOW (window);

  /* Not enrolled yet, or unlocked with the PIN: let it close. */
  if (self->unlocked || !fest_station_store_has_pin (station_store (self)))
    return FALSE;
  ask_pin (self, FEST_STATION_LOCK_LEAVE);
  return TRUE;
}

/* Engine */

/* A revoked device token blocks the station: nothing it sells could be sent. What it holds stays
 * on the device until it is enrolled again with a new token of the same festival. */
static void
update_revoked (FestStationWindow *self)
{
  const char *view = gtk_stack_get_visible_child_name (self->stack);
  guint kept;
  g_autofree char *description = NULL;
  g_autoptr(GPtrArray) unconfirmed = NULL;

  if (station_engine (self) == NULL)
    return;
  if (!fest_sync_engine_get_revoked (station_engine (self)))
    {
      if (g_strcmp0 (view, "revoked") == 0)
        gtk_stack_set_visible_child_name (self->stack, "station");
      return;
    }
  unconfirmed = fest_station_store_list_unconfirmed (station_store (self));
  kept = fest_station_store_count_pending (station_store (self)) + unconfirmed->len;
  description = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "The organiser revoked this station's device token: it can no longer "
                                              "sell or send anything.\n%u operation not yet sent is kept on this "
                                              "device. Enroll the station again with a new device token of the "
                                              "same festival (organiser PIN) to send it.",
                                              "The organiser revoked this station's device token: it can no longer "
                                              "sell or send anything.\n%u operations not yet sent are kept on this "
                                              "device. Enroll the station again with a new device token of the "
                                              "same festival (organiser PIN) to send them.",
                                              kept),
                                 kept);
  adw_status_page_set_description (self->revoked_page, description);
  if (g_strcmp0 (view, "enroll") != 0)
    gtk_stack_set_visible_child_name (self->stack, "revoked");
}

static void
engine_notify_cb (GObject    *object,
                  GParamSpec *pspec,
                  gpointer    user_data)
{
  update_status (FEST_STATION_WINDOW (user_data));
  update_revoked (FEST_STATION_WINDOW (user_data));
}

static void
engine_unconfirmed_cb (FestSyncEngine *engine,
                       const char     *key,
                       gboolean        charged,
                       gpointer        user_data)
{
  FestStationWindow *self = user_data;

  if (charged)
    {
      fest_station_window_toast (self, _("A payment shown as not confirmed did go through: it is now in the sales. "
                                         "Serve the customer or cancel it."));
      fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_WARNING);
    }
  else
    fest_station_window_toast (self, _("A payment shown as not confirmed was not charged: nothing to do."));
  update_status (self);
}

static void
engine_rejected_cb (FestSyncEngine *engine,
                    const char     *key,
                    const char     *code,
                    const char     *message,
                    gpointer        user_data)
{
  FestStationWindow *self = user_data;
  g_autofree char *text = g_strdup_printf (_("The server refused an operation: %s"), message);

  gtk_widget_error_bell (GTK_WIDGET (self));
  fest_station_window_toast (self, text);
  update_status (self);
}

static void
engine_alerts_cb (FestSyncEngine *engine,
                  guint           n_alerts,
                  gpointer        user_data)
{
  FestStationWindow *self = user_data;

  fest_station_mode_host_show_alerts (self->mode_host);
}

static void
update_subtitle (FestStationWindow *self)
{
  g_autofree char *name = fest_station_store_get_setting (station_store (self), FEST_STATION_KEY_STAND_NAME);

  if (name == NULL)
    name = fest_station_store_get_setting (station_store (self), FEST_STATION_KEY_DEVICE_NAME);
  adw_window_title_set_subtitle (self->title, name != NULL ? name : "");
}

static void
engine_synced_cb (FestSyncEngine *engine,
                  gpointer        user_data)
{
  FestStationWindow *self = user_data;

  update_subtitle (self);
  fest_station_mode_host_synced (self->mode_host);
  update_status (self);
}

static void
show_station (FestStationWindow *self,
              const char        *device_token)
{
  const char *server_url = fest_station_context_get_server_url (self->context);
  g_autoptr(FestClient) station_client = fest_client_new (server_url);
  FestSyncEngine *engine = station_engine (self);

  fest_client_set_token (station_client, device_token);
  fest_station_context_set_station_client (self->context, station_client);
  if (engine == NULL)
    {
      g_autoptr(FestSyncEngine) new_engine = fest_sync_engine_new (station_store (self), server_url,
                                                                   device_token);

      fest_station_context_set_engine (self->context, new_engine);
      fest_sync_engine_set_session (new_engine, fest_client_get_session (station_client));
      g_signal_connect_object (new_engine, "notify::online", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (new_engine, "notify::pending-count", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (new_engine, "notify::last-sync", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (new_engine, "rejected", G_CALLBACK (engine_rejected_cb), self, 0);
      g_signal_connect_object (new_engine, "alerts", G_CALLBACK (engine_alerts_cb), self, 0);
      g_signal_connect_object (new_engine, "synced", G_CALLBACK (engine_synced_cb), self, 0);
      g_signal_connect_object (new_engine, "notify::revoked", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (new_engine, "unconfirmed-resolved", G_CALLBACK (engine_unconfirmed_cb), self, 0);
    }
  else
    {
      /* Enrolled again (after a revocation): the kept outbox goes out with the new token. */
      fest_sync_engine_set_base_url (station_engine (self), server_url);
      fest_sync_engine_set_token (station_engine (self), device_token);
    }

  fest_station_mode_host_open (self->mode_host);
  self->page_open = TRUE;

  update_subtitle (self);

  gtk_stack_set_visible_child_name (self->stack, "station");
  fest_sync_engine_start (station_engine (self));
  update_status (self);
  update_revoked (self);
}

static void
token_lookup_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestStationWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = fest_secrets_lookup_finish (result, &error);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (token != NULL && fest_station_store_is_enrolled (station_store (self)))
    {
      show_station (self, token);
      return;
    }
  if (error != NULL)
    g_warning ("Cannot read the device token: %s", error->message);
  gtk_stack_set_visible_child_name (self->stack, "enroll");
  fest_station_enroll_view_focus_token (self->enroll_view);
  if (self->organiser_token != NULL)
    fest_station_enroll_view_start_demo (self->enroll_view, self->organiser_token);
}

/* Settings */

static void
show_settings (FestStationWindow *self)
{
  gtk_stack_set_visible_child_name (self->stack, "settings");
  fest_station_settings_view_refresh (self->settings_view);
}

static void
leave_settings (FestStationWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "settings") != 0)
    return;
  if (!fest_station_store_is_enrolled (station_store (self)))
    {
      gtk_stack_set_visible_child_name (self->stack, "enroll");
      return;
    }
  gtk_stack_set_visible_child_name (self->stack, "station");
  update_revoked (self);
  fest_station_mode_host_focus_page (self->mode_host);
}

/* Actions
 *
 * The station's buttons name these; their shortcuts hold Ctrl, which no scanner sends, so they
 * never mix with a keyboard-wedge burst. Those that act on the mode page do nothing outside the
 * station view (enrollment, settings, revoked). */

static gboolean
station_shown (FestStationWindow *self)
{
  return self->page_open && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "station") == 0;
}

/* As the Charge (cashier) or Credit (recharge desk) button: the code typed or scanned. */
static void
charge_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FestStationWindow *self = FEST_STATION_WINDOW (widget);

  if (station_shown (self))
    fest_station_mode_host_charge (self->mode_host);
}

static void
cancel_last_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FestStationWindow *self = FEST_STATION_WINDOW (widget);

  /* Not offered (the sale is too old, or already cancelled): a bell, as a greyed button. */
  if (station_shown (self) && !fest_station_mode_host_cancel_last (self->mode_host))
    gtk_widget_error_bell (widget);
}

static void
shift_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestStationWindow *self = FEST_STATION_WINDOW (widget);

  if (station_shown (self))
    fest_station_mode_host_shift_report (self->mode_host);
}

static void
settings_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  ask_pin (FEST_STATION_WINDOW (widget), FEST_STATION_LOCK_SETTINGS);
}

static void
enroll_again_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  ask_pin (FEST_STATION_WINDOW (widget), FEST_STATION_LOCK_ENROLL_AGAIN);
}

static void
leave_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  gtk_window_close (GTK_WINDOW (widget));
}

static void
sync_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestStationWindow *self = FEST_STATION_WINDOW (widget);

  if (station_engine (self) != NULL)
    fest_sync_engine_sync_now (station_engine (self));
}

/* Views */

static void
enrolled_cb (FestStationWindow *self,
             const char        *device_token)
{
  show_station (self, device_token);
}

static void
unenrolled_cb (FestStationWindow *self)
{
  show_enroll (self);
}

static void
context_toast_cb (FestStationWindow *self,
                  const char        *text)
{
  fest_station_window_toast (self, text);
}

static void
toast_dismissed_cb (AdwToast *toast,
                    gpointer  user_data)
{
  FestStationWindow *self = user_data;

  if (self->toast == toast)
    self->toast = NULL;
}

/* GObject */

static void
fest_station_window_constructed (GObject *object)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);
  const char *mode = fest_station_context_get_mode (self->context);
  gboolean sells = g_strcmp0 (mode, "cashier") == 0 || g_strcmp0 (mode, "recharge") == 0;

  G_OBJECT_CLASS (fest_station_window_parent_class)->constructed (object);

  load_css ();
  gtk_window_set_title (GTK_WINDOW (self), fest_station_mode_title (mode));
  adw_window_title_set_title (self->title, fest_station_mode_title (mode));

  /* The views that work with the context (construct-only): built here, once it is known. */
  self->enroll_view = FEST_STATION_ENROLL_VIEW (fest_station_enroll_view_new (self->context));
  g_signal_connect_object (self->enroll_view, "enrolled", G_CALLBACK (enrolled_cb), self, G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->enroll_view), "enroll");
  self->mode_host = FEST_STATION_MODE_HOST (fest_station_mode_host_new (self->context));
  gtk_box_append (self->station_box, GTK_WIDGET (self->mode_host));
  self->status_bar = FEST_STATION_STATUS_BAR (fest_station_status_bar_new (self->context));
  gtk_box_append (self->station_box, GTK_WIDGET (self->status_bar));
  self->settings_view = FEST_STATION_SETTINGS_VIEW (fest_station_settings_view_new (self->context));
  g_signal_connect_object (self->settings_view, "back", G_CALLBACK (leave_settings), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->settings_view, "unenrolled", G_CALLBACK (unenrolled_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_stack_add_named (self->stack, GTK_WIDGET (self->settings_view), "settings");
  gtk_stack_set_visible_child_name (self->stack, "loading");

  self->lock = fest_station_lock_new (self->context);
  g_signal_connect_object (self->lock, "unlocked", G_CALLBACK (unlocked_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->lock, "refused", G_CALLBACK (pin_refused_cb), self, G_CONNECT_SWAPPED);

  g_signal_connect_object (self->context, "toast", G_CALLBACK (context_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "operation-queued", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "station.charge", sells);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "station.cancel-last", g_strcmp0 (mode, "cashier") == 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "station.shift-report",
                                 g_strcmp0 (mode, "cashier") == 0 || g_strcmp0 (mode, "recharge") == 0);

  self->keyboard = fest_station_keyboard_new (self->context, GTK_WINDOW (self), self->stack, self->enroll_view,
                                              self->mode_host);
  g_signal_connect_object (self->keyboard, "escape", G_CALLBACK (leave_settings), self, G_CONNECT_SWAPPED);

  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
}

static void
fest_station_window_dispose (GObject *object)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->keyboard);
  if (self->lock != NULL)
    fest_station_lock_dismiss (self->lock);
  g_clear_object (&self->lock);
  if (self->context != NULL)
    {
      if (station_engine (self) != NULL)
        fest_sync_engine_stop (station_engine (self));
      fest_station_context_set_engine (self->context, NULL);
      fest_station_context_set_station_client (self->context, NULL);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_STATION_WINDOW);

  G_OBJECT_CLASS (fest_station_window_parent_class)->dispose (object);
}

static void
fest_station_window_finalize (GObject *object)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->last_toast, g_free);
  g_free (self->organiser_token);

  G_OBJECT_CLASS (fest_station_window_parent_class)->finalize (object);
}

static void
fest_station_window_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

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
fest_station_window_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

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
add_shortcut (GtkShortcutController *controller,
              guint                  keyval,
              const char            *action_name)
{
  gtk_shortcut_controller_add_shortcut (controller,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (keyval, GDK_CONTROL_MASK),
                                                          gtk_named_action_new (action_name)));
}

static void
fest_station_window_class_init (FestStationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fest_station_window_constructed;
  object_class->dispose = fest_station_window_dispose;
  object_class->finalize = fest_station_window_finalize;
  object_class->get_property = fest_station_window_get_property;
  object_class->set_property = fest_station_window_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-station-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FestStationWindow, toasts);
  gtk_widget_class_bind_template_child (widget_class, FestStationWindow, title);
  gtk_widget_class_bind_template_child (widget_class, FestStationWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, FestStationWindow, station_box);
  gtk_widget_class_bind_template_child (widget_class, FestStationWindow, revoked_page);

  gtk_widget_class_install_action (widget_class, "station.charge", NULL, charge_action);
  gtk_widget_class_install_action (widget_class, "station.cancel-last", NULL, cancel_last_action);
  gtk_widget_class_install_action (widget_class, "station.shift-report", NULL, shift_report_action);
  gtk_widget_class_install_action (widget_class, "station.settings", NULL, settings_action);
  gtk_widget_class_install_action (widget_class, "station.enroll-again", NULL, enroll_again_action);
  gtk_widget_class_install_action (widget_class, "station.leave", NULL, leave_action);
  gtk_widget_class_install_action (widget_class, "station.sync", NULL, sync_action);
}

static void
fest_station_window_init (FestStationWindow *self)
{
  GtkEventController *shortcuts;

  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* In the CAPTURE phase: before a focused entry takes Ctrl+Z or Ctrl+Return for itself. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_Return, "station.charge");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_KP_Enter, "station.charge");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_z, "station.cancel-last");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_r, "station.shift-report");
  add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts), GDK_KEY_comma, "station.settings");
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);
}

/* Public API */

static FestStationWindow *
station_window_new (GtkApplication   *app,
                    FestClient       *client,
                    const char       *mode,
                    FestStationStore *store)
{
  g_autoptr(FestStationContext) context = fest_station_context_new (mode, fest_client_get_base_url (client),
                                                                      store);

  return g_object_new (FEST_TYPE_STATION_WINDOW, "application", app, "context", context, NULL);
}

GtkWindow *
fest_station_window_new (GtkApplication *app,
                         FestClient     *client,
                         const char     *mode,
                         const char     *organiser_token)
{
  FestStationWindow *self;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestStationStore) store = NULL;
  g_autofree char *secret_key = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);
  g_return_val_if_fail (mode != NULL, NULL);

  /* One store and one device token per server and mode: a laptop may run two stations. */
  secret_key = g_strconcat (fest_client_get_base_url (client), "#", mode, NULL);
  path = fest_station_store_default_path (secret_key);
  store = fest_station_store_open (path, &error);
  if (store == NULL)
    {
      g_warning ("Cannot open the station store %s: %s", path, error->message);
      return NULL;
    }
  self = station_window_new (app, client, mode, store);
  self->organiser_token = g_strdup (organiser_token);
  gtk_window_fullscreen (GTK_WINDOW (self));

  fest_secrets_lookup_async (FEST_SECRET_KIND_DEVICE, secret_key, self->cancellable,
                             token_lookup_cb, g_object_ref (self));
  return GTK_WINDOW (self);
}

GtkWindow *
fest_station_window_new_with_store (GtkApplication   *app,
                                    FestClient       *client,
                                    const char       *mode,
                                    FestStationStore *store,
                                    const char       *device_token)
{
  FestStationWindow *self;

  g_return_val_if_fail (FEST_IS_STATION_STORE (store), NULL);

  self = station_window_new (app, client, mode, store);
  if (fest_station_store_is_enrolled (store))
    show_station (self, device_token);
  else
    gtk_stack_set_visible_child_name (self->stack, "enroll");
  return GTK_WINDOW (self);
}

FestStationContext *
fest_station_window_get_context (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return self->context;
}

FestStationStore *
fest_station_window_get_store (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return station_store (self);
}

FestSyncEngine *
fest_station_window_get_engine (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return station_engine (self);
}

FestClient *
fest_station_window_get_station_client (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return fest_station_context_get_station_client (self->context);
}

gboolean
fest_station_window_is_online (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), FALSE);
  return fest_station_context_is_online (self->context);
}

void
fest_station_window_toast (FestStationWindow *self,
                           const char        *text)
{
  AdwToast *toast;

  g_return_if_fail (FEST_IS_STATION_WINDOW (self));
  g_free (self->last_toast);
  self->last_toast = g_strdup (text);
  /* One message at a time, the newest: a queue of them would show the cashier what happened
   * several sales ago. */
  if (self->toast != NULL)
    adw_toast_dismiss (self->toast);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 4);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  self->toast = toast;
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

char *
fest_station_window_format_money (FestStationWindow *self,
                                  gint64             amount)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return fest_station_context_format_money (self->context, amount);
}

void
fest_station_window_operation_queued (FestStationWindow *self)
{
  g_return_if_fail (FEST_IS_STATION_WINDOW (self));
  fest_station_context_operation_queued (self->context);
}

void
fest_station_window_feed_key (FestStationWindow *self,
                              FestWedgeKey       key,
                              const char        *text,
                              gint64             time_us)
{
  g_return_if_fail (FEST_IS_STATION_WINDOW (self));
  fest_station_keyboard_feed (self->keyboard, key, text, time_us);
}

void
fest_station_window_simulate_scan (FestStationWindow *self,
                                   const char        *text)
{
  g_return_if_fail (FEST_IS_STATION_WINDOW (self));
  fest_station_keyboard_simulate_scan (self->keyboard, text);
}

GtkWidget *
fest_station_window_get_page (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return fest_station_mode_host_get_page (self->mode_host);
}

const char *
fest_station_window_get_last_toast (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return self->last_toast;
}

const char *
fest_station_window_get_view (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

void
fest_station_window_enroll (FestStationWindow *self,
                            const char        *url,
                            const char        *token,
                            const char        *pin)
{
  g_return_if_fail (FEST_IS_STATION_WINDOW (self));

  fest_station_enroll_view_enroll (self->enroll_view, url, token, pin);
}
