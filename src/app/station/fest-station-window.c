/* fest-station-window.c: the fullscreen kiosk station (cashier, recharge desk, gate, security)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window owns the station's offline store, its sync engine, the keyboard-wedge detector and
 * the always-visible status bar; the mode page (cashier, recharge, scanner, security) does the
 * work. Keys are watched in the CAPTURE phase on the window: a focused text field gets them
 * untouched; anywhere else a scanner burst is handed to the page (or to the enrollment form) and
 * a human's keys go to the page's code field (see "Keyboard wedge").
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-feedback.h"
#include "fest-secrets.h"
#include "fest-station-context.h"
#include "fest-station-window-private.h"
#include "fest-cashier-page.h"
#include "fest-recharge-page.h"
#include "fest-scanner-page.h"
#include "fest-security-page.h"

#define DEMO_PIN "0000"

struct _FestStationWindow
{
  AdwApplicationWindow  parent_instance;

  FestClient           *client;          /* the app's client (organiser session in demo) */
  char                 *mode;
  char                 *organiser_token;
  char                 *server_url;
  char                 *secret_server;   /* keyring "server" attribute: URL#mode */
  FestStationContext   *context;         /* store, engine, device client: what the page gets */
  FestWedge            *wedge;
  guint                 wedge_timeout_id;
  GCancellable         *cancellable;
  gboolean              unlocked;
  GtkWindow            *pin_dialog;      /* weak */

  AdwToastOverlay      *toasts;
  AdwToast             *toast;           /* the one shown, until dismissed */
  char                 *last_toast;      /* tests: what the last toast said */
  GtkStack             *stack;
  AdwWindowTitle       *title;
  GtkWidget            *page;
  GtkBox               *page_box;

  /* Enrollment */
  GtkEntry             *enroll_url;
  GtkEntry             *enroll_token;
  GtkPasswordEntry     *enroll_pin;
  GtkPasswordEntry     *enroll_pin2;
  GtkButton            *enroll_button;
  GtkLabel             *enroll_error;
  GtkSpinner           *enroll_spinner;

  /* Status bar */
  GtkImage             *status_icon;
  GtkLabel             *status_label;
  GtkLabel             *pending_label;
  GtkLabel             *last_sync_label;
  GtkButton            *rejected_button;
  GtkLabel             *secrets_label;

  /* Revoked device */
  AdwStatusPage        *revoked_page;

  /* Settings (after the organiser PIN) */
  AdwActionRow         *settings_server_row;
  AdwActionRow         *settings_station_row;
  AdwActionRow         *settings_pending_row;
  AdwActionRow         *settings_sounds_row;
  GtkWidget            *settings_back;
  GSettings            *sound_settings;   /* NULL when the schema is not installed */
};

G_DEFINE_FINAL_TYPE (FestStationWindow, fest_station_window, ADW_TYPE_APPLICATION_WINDOW)

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

static const char *
mode_title (const char *mode)
{
  if (g_strcmp0 (mode, "cashier") == 0)
    return _("Cashier");
  if (g_strcmp0 (mode, "recharge") == 0)
    return _("Recharge Desk");
  if (g_strcmp0 (mode, "scanner") == 0)
    return _("Gate Scanner");
  if (g_strcmp0 (mode, "security") == 0)
    return _("Security");
  return _("Station");
}

static void
update_status (FestStationWindow *self)
{
  g_autofree char *pending = NULL;
  g_autofree char *last = NULL;
  g_autoptr(GPtrArray) rejected = NULL;
  GDateTime *last_sync;
  gboolean online;

  if (station_engine (self) == NULL)
    return;

  online = fest_sync_engine_get_online (station_engine (self));
  gtk_image_set_from_icon_name (self->status_icon, online ? "network-wired-symbolic"
                                                          : "network-offline-symbolic");
  gtk_label_set_text (self->status_label, online ? _("Online") : _("Offline"));
  gtk_widget_remove_css_class (GTK_WIDGET (self->status_label),
                               online ? "status-offline" : "status-online");
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label),
                            online ? "status-online" : "status-offline");

  pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u pending operation",
                                          "%u pending operations",
                                          fest_sync_engine_get_pending_count (station_engine (self))),
                             fest_sync_engine_get_pending_count (station_engine (self)));
  gtk_label_set_text (self->pending_label, pending);

  last_sync = fest_sync_engine_get_last_sync (station_engine (self));
  if (last_sync != NULL)
    {
      g_autoptr(GDateTime) local = g_date_time_to_local (last_sync);
      g_autofree char *time = g_date_time_format (local, "%X");

      last = g_strdup_printf (_("Last sync: %s"), time);
    }
  else
    last = g_strdup (_("Never synced"));
  gtk_label_set_text (self->last_sync_label, last);

  rejected = fest_station_store_list_rejected (station_store (self));
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_button), rejected->len > 0);
  if (rejected->len > 0)
    {
      g_autofree char *text = g_strdup_printf (_("Refused by server: %u"), rejected->len);
      gtk_button_set_label (self->rejected_button, text);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->secrets_label), fest_secrets_is_fallback ());
}

/* Keyboard wedge
 *
 * Where a key goes: into the focused text field untouched when there is one (an entry, the
 * incident description): the user is typing there. Anywhere else, printable keys go through the
 * wedge detector: a scanner burst is handed to the page; a human's keys (held back for at most
 * 50 ms) go to the page's code field, which takes the focus, so a code typed by hand after tapping
 * a product lands where it belongs, and Enter there submits the code instead of pressing the tile. */

/* Does the focused widget take typed text? */
static gboolean
focus_takes_text (GtkWidget *focus)
{
  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus))
    return gtk_editable_get_editable (GTK_EDITABLE (focus));
  if (GTK_IS_TEXT_VIEW (focus))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (focus));
  return FALSE;
}

/* The page's code field: where text typed outside any field goes (NULL: nowhere). */
static GtkEditable *
typing_target (FestStationWindow *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "station") != 0)
    return NULL;
  if (FEST_IS_CASHIER_PAGE (self->page))
    return fest_cashier_page_get_code_entry (FEST_CASHIER_PAGE (self->page));
  if (FEST_IS_RECHARGE_PAGE (self->page))
    return fest_recharge_page_get_code_entry (FEST_RECHARGE_PAGE (self->page));
  return NULL;
}

static void
insert_into (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      gtk_text_buffer_insert_interactive_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)),
                                                    text, -1, TRUE);
      return;
    }
  if (GTK_IS_EDITABLE (widget))
    {
      int position;

      gtk_editable_delete_selection (GTK_EDITABLE (widget));
      position = gtk_editable_get_position (GTK_EDITABLE (widget));
      gtk_editable_insert_text (GTK_EDITABLE (widget), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (widget), position);
    }
}

/* Held-back keys a human typed: into the focused field, else into the page's code field (which
 * takes the focus, so the next keys go there directly). */
static void
insert_at_focus (FestStationWindow *self,
                 const char        *text)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));
  GtkEditable *target;

  if (text == NULL)
    return;
  if (focus_takes_text (focus))
    {
      insert_into (focus, text);
      return;
    }
  target = typing_target (self);
  if (target == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (target));
  gtk_editable_set_position (target, -1);
  insert_into (GTK_WIDGET (target), text);
}

static void
dispatch_scan (FestStationWindow *self,
               const char        *text,
               FestWedgeKey       terminator)
{
  g_autofree char *fixed = NULL;
  const char *code = text;

  g_debug ("Scanner burst of %u characters", (guint) strlen (text));
  if (fest_wedge_detect_us_layout (text, &fixed))
    {
      fest_station_window_toast (self, _("Your scanner is set to a US keyboard layout: set it to French (AZERTY)"));
      code = fixed;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "enroll") == 0)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

      /* A form, not a scan target: the burst is typing into the focused field (a scanned token,
       * or a fast typist), and its Enter/Tab does what it does in a form. */
      if (!focus_takes_text (focus))
        {
          gtk_editable_set_text (GTK_EDITABLE (self->enroll_token), code);
          return;
        }
      insert_at_focus (self, text);
      if (terminator == FEST_WEDGE_KEY_TAB)
        gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
      else
        gtk_widget_activate (focus);
      return;
    }

  if (FEST_IS_CASHIER_PAGE (self->page))
    fest_cashier_page_handle_scan (FEST_CASHIER_PAGE (self->page), code);
  else if (FEST_IS_RECHARGE_PAGE (self->page))
    fest_recharge_page_handle_scan (FEST_RECHARGE_PAGE (self->page), code);
  else if (FEST_IS_SCANNER_PAGE (self->page))
    fest_scanner_page_handle_scan (FEST_SCANNER_PAGE (self->page), code);
  else if (FEST_IS_SECURITY_PAGE (self->page))
    fest_station_window_toast (self, _("Nothing to scan here"));
}

static gboolean
wedge_timeout_cb (gpointer user_data)
{
  FestStationWindow *self = user_data;
  g_autofree char *text = NULL;

  self->wedge_timeout_id = 0;
  text = fest_wedge_timeout (self->wedge, G_MAXINT64);
  insert_at_focus (self, text);
  return G_SOURCE_REMOVE;
}

static gboolean
feed_wedge (FestStationWindow *self,
            FestWedgeKey       key,
            const char        *text,
            gint64             time_us)
{
  FestWedgeResult result;
  gboolean consume;

  fest_wedge_feed (self->wedge, key, text, time_us, &result);
  insert_at_focus (self, result.flush);
  if (result.scanned != NULL)
    dispatch_scan (self, result.scanned, key);
  consume = result.consume;
  fest_wedge_result_clear (&result);

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  if (fest_wedge_is_holding (self->wedge))
    self->wedge_timeout_id = g_timeout_add (FEST_WEDGE_MAX_GAP_US / 1000 + 10, wedge_timeout_cb,
                                            self);
  return consume;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  FestStationWindow *self = user_data;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  gint64 time_us = (gint64) gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller)) * 1000;
  gunichar ch;

  /* Shift and friends come between a scanner's characters: they are not part of the code. */
  if (event != NULL && gdk_key_event_is_modifier (event))
    return FALSE;

  if (keyval == GDK_KEY_Escape && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "settings") == 0)
    {
      leave_settings (self);
      return TRUE;
    }

  /* Typing in a field (and no burst under way): the field gets the keys as they come. */
  if (!fest_wedge_is_holding (self->wedge) && focus_takes_text (gtk_root_get_focus (GTK_ROOT (self))))
    return FALSE;

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      GtkEditable *target;
      GtkWidget *focus;

      if (feed_wedge (self, FEST_WEDGE_KEY_ENTER, NULL, time_us))
        return TRUE;
      /* A human's Enter outside a field: with a code typed (now in the code field, which has the
       * focus but was not on this event's path) or on a product tile, it submits the code. */
      target = typing_target (self);
      focus = gtk_root_get_focus (GTK_ROOT (self));
      if (target != NULL && focus != NULL &&
          (focus == GTK_WIDGET (target) || gtk_widget_is_ancestor (focus, GTK_WIDGET (target)) ||
           (FEST_IS_CASHIER_PAGE (self->page) &&
            fest_cashier_page_is_product (FEST_CASHIER_PAGE (self->page), focus))))
        {
          gtk_widget_activate (GTK_WIDGET (target));
          return TRUE;
        }
      return FALSE;
    }
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab)
    return feed_wedge (self, FEST_WEDGE_KEY_TAB, NULL, time_us);

  ch = gdk_keyval_to_unicode (keyval);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0 && ch != 0 &&
      g_unichar_isprint (ch))
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (ch, utf8);
      return feed_wedge (self, FEST_WEDGE_KEY_CHAR, utf8, time_us);
    }
  return feed_wedge (self, FEST_WEDGE_KEY_OTHER, NULL, time_us);
}

/* PIN */

typedef struct
{
  FestStationWindow *self;
  char              *pin;
  int                action;   /* 0 close, 1 settings, 2 enroll again (revoked) */
} PinData;

static void
pin_data_free (PinData *data)
{
  g_object_unref (data->self);
  g_free (data->pin);
  g_free (data);
}

static void
check_pin_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PinData *data = task_data;

  g_task_return_boolean (task, fest_station_store_check_pin (station_store (data->self), data->pin));
}

static void
pin_checked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FestStationWindow *self = FEST_STATION_WINDOW (source);
  PinData *data = g_task_get_task_data (G_TASK (result));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      fest_station_window_toast (self, _("Wrong PIN"));
      return;
    }
  if (data->action == 0)
    {
      self->unlocked = TRUE;
      gtk_window_close (GTK_WINDOW (self));
    }
  else if (data->action == 2)
    {
      /* Revoked: enroll again WITHOUT forgetting anything; the kept outbox goes out with the new
       * token (the store refuses a token of another festival). */
      gtk_editable_set_text (GTK_EDITABLE (self->enroll_url), self->server_url);
      gtk_editable_set_text (GTK_EDITABLE (self->enroll_token), "");
      gtk_stack_set_visible_child_name (self->stack, "enroll");
      gtk_widget_grab_focus (GTK_WIDGET (self->enroll_token));
    }
  else
    show_settings (self);
}

static void
pin_response_cb (AdwMessageDialog *dialog,
                 const char       *response,
                 gpointer          user_data)
{
  FestStationWindow *self = user_data;
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "pin-entry");
  g_autoptr(GTask) task = NULL;
  PinData *data;

  if (g_strcmp0 (response, "unlock") != 0)
    return;
  data = g_new0 (PinData, 1);
  data->self = g_object_ref (self);
  data->pin = g_strdup (gtk_editable_get_text (entry));
  data->action = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pin-action"));
  task = g_task_new (self, self->cancellable, pin_checked_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, check_pin_thread);
}

static void
ask_pin (FestStationWindow *self,
         int                action)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Organiser PIN"),
                                                       action == 0 ? _("Enter the PIN to leave the station.")
                                                       : action == 2 ? _("Enter the PIN to enroll this station again.")
                                                                     : _("Enter the PIN to change the station's settings.")));
  /* A plain hidden GtkEntry: GtkPasswordEntry in a dialog trips GTK 4.8 on teardown. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("PIN"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  if (self->pin_dialog != NULL)
    gtk_window_destroy (self->pin_dialog);
  self->pin_dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->pin_dialog);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "unlock", _("_Unlock"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "unlock");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "pin-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "pin-action", GINT_TO_POINTER (action));
  g_signal_connect_object (dialog, "response", G_CALLBACK (pin_response_cb), self, 0);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (gtk_widget_activate_default), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

static gboolean
close_request_cb (GtkWindow *window,
                  gpointer   user_data)
{
  FestStationWindow *self = FEST_STATION_WINDOW (window);

  /* Not enrolled yet, or unlocked with the PIN: let it close. */
  if (self->unlocked || !fest_station_store_has_pin (station_store (self)))
    return FALSE;
  ask_pin (self, 0);
  return TRUE;
}

static void
rejected_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  FestStationWindow *self = user_data;
  g_autoptr(GPtrArray) rejected = fest_station_store_list_rejected (station_store (self));
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
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Operations refused by the server"),
                                                       body->str));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
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
reenroll_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  ask_pin (FEST_STATION_WINDOW (user_data), 2);
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

  if (FEST_IS_SCANNER_PAGE (self->page))
    fest_scanner_page_show_alerts (FEST_SCANNER_PAGE (self->page));
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
  if (FEST_IS_CASHIER_PAGE (self->page))
    fest_cashier_page_reload (FEST_CASHIER_PAGE (self->page));
  if (FEST_IS_SCANNER_PAGE (self->page))
    fest_scanner_page_show_alerts (FEST_SCANNER_PAGE (self->page));
  if (FEST_IS_SECURITY_PAGE (self->page))
    fest_security_page_reload (FEST_SECURITY_PAGE (self->page));
  update_status (self);
}

static void
show_station (FestStationWindow *self,
              const char        *device_token)
{
  g_autoptr(FestClient) station_client = fest_client_new (self->server_url);
  FestSyncEngine *engine = station_engine (self);

  fest_client_set_token (station_client, device_token);
  fest_station_context_set_station_client (self->context, station_client);
  if (engine == NULL)
    {
      g_autoptr(FestSyncEngine) new_engine = fest_sync_engine_new (station_store (self), self->server_url,
                                                                   device_token);

      fest_station_context_set_engine (self->context, new_engine);
      fest_sync_engine_set_session (new_engine, fest_client_get_session (station_client));
      g_signal_connect_object (station_engine (self), "notify::online", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (station_engine (self), "notify::pending-count", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (station_engine (self), "notify::last-sync", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (station_engine (self), "rejected", G_CALLBACK (engine_rejected_cb), self, 0);
      g_signal_connect_object (station_engine (self), "alerts", G_CALLBACK (engine_alerts_cb), self, 0);
      g_signal_connect_object (station_engine (self), "synced", G_CALLBACK (engine_synced_cb), self, 0);
      g_signal_connect_object (station_engine (self), "notify::revoked", G_CALLBACK (engine_notify_cb), self, 0);
      g_signal_connect_object (station_engine (self), "unconfirmed-resolved", G_CALLBACK (engine_unconfirmed_cb), self, 0);
    }
  else
    {
      /* Enrolled again (after a revocation): the kept outbox goes out with the new token. */
      fest_sync_engine_set_base_url (station_engine (self), self->server_url);
      fest_sync_engine_set_token (station_engine (self), device_token);
    }

  if (self->page != NULL)
    gtk_box_remove (self->page_box, self->page);
  if (g_strcmp0 (self->mode, "cashier") == 0)
    self->page = GTK_WIDGET (fest_cashier_page_new (self->context));
  else if (g_strcmp0 (self->mode, "recharge") == 0)
    self->page = GTK_WIDGET (fest_recharge_page_new (self->context));
  else if (g_strcmp0 (self->mode, "scanner") == 0)
    self->page = GTK_WIDGET (fest_scanner_page_new (self->context));
  else
    self->page = GTK_WIDGET (fest_security_page_new (self->context));
  gtk_widget_set_vexpand (self->page, TRUE);
  gtk_box_append (self->page_box, self->page);

  update_subtitle (self);

  gtk_stack_set_visible_child_name (self->stack, "station");
  fest_sync_engine_start (station_engine (self));
  update_status (self);
  update_revoked (self);
}

/* Enrollment */

typedef struct
{
  char *url;
  char *token;
  char *pin;
  char *device_id;
  char *device_name;
  char *festival_id;
  char *stand_id;
  char *stand_name;
  char *mode;
  char *currency_name;   /* the festival's, from GET /me: shown before the first sync */
  char *exchange_rate;
} EnrollData;

static void
enroll_data_free (EnrollData *data)
{
  g_free (data->url);
  g_free (data->token);
  g_free (data->pin);
  g_free (data->device_id);
  g_free (data->device_name);
  g_free (data->festival_id);
  g_free (data->stand_id);
  g_free (data->stand_name);
  g_free (data->mode);
  g_free (data->currency_name);
  g_free (data->exchange_rate);
  g_free (data);
}

static void
enroll_failed (FestStationWindow *self,
               const char        *message)
{
  /* The window is going away: its widgets may already be gone. */
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_spinner_stop (self->enroll_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enroll_button), TRUE);
  gtk_label_set_text (self->enroll_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->enroll_error), TRUE);
  gtk_widget_error_bell (GTK_WIDGET (self));
}

static void
enroll_store_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  FestStationWindow *self = source_object;
  EnrollData *data = task_data;
  GError *error = NULL;

  if (!fest_station_store_set_pin (station_store (self), data->pin, &error) ||
      !fest_station_store_enroll (station_store (self), data->url, data->device_id, data->device_name,
                                  data->festival_id, data->stand_id, data->mode, &error) ||
      (data->stand_name != NULL &&
       !fest_station_store_set_setting (station_store (self), FEST_STATION_KEY_STAND_NAME, data->stand_name, &error)) ||
      (data->currency_name != NULL &&
       !fest_station_store_set_setting (station_store (self), FEST_STATION_KEY_CURRENCY_NAME, data->currency_name, &error)) ||
      (data->exchange_rate != NULL &&
       !fest_station_store_set_setting (station_store (self), FEST_STATION_KEY_EXCHANGE_RATE, data->exchange_rate, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
enrolled_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  FestStationWindow *self = FEST_STATION_WINDOW (source);
  EnrollData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      enroll_failed (self, error->message);
      return;
    }
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  gtk_spinner_stop (self->enroll_spinner);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enroll_button), TRUE);
  show_station (self, data->token);
}

static void
secret_stored_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FestStationWindow *self = g_task_get_source_object (task);
  g_autoptr(GError) error = NULL;

  if (!fest_secrets_store_finish (result, &error))
    g_warning ("Cannot store the device token: %s", error->message);
  if (g_task_return_error_if_cancelled (task))
    return;
  (void) self;
  g_task_run_in_thread (task, enroll_store_thread);
}

static void
finish_enrollment (FestStationWindow *self,
                   EnrollData        *data)
{
  GTask *task;

  if (g_strcmp0 (data->mode, self->mode) != 0)
    {
      g_autofree char *message = g_strdup_printf (_("This device token is for a %s station, not a %s station"),
                                                  mode_title (data->mode), mode_title (self->mode));
      enroll_failed (self, message);
      enroll_data_free (data);
      return;
    }
  task = g_task_new (self, self->cancellable, enrolled_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) enroll_data_free);
  fest_secrets_store_async (FEST_SECRET_KIND_DEVICE, self->secret_server, data->token,
                            self->cancellable, secret_stored_cb, task);
}

static const char *
object_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonObject *
object_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;
  node = json_object_get_member (object, member);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return json_node_get_object (node);
}

/* The festival's currency, kept at enrollment: the first screen already speaks it. */
static void
set_festival_money (EnrollData *data,
                    JsonObject *festival)
{
  JsonNode *rate = festival != NULL ? json_object_get_member (festival, "exchange_rate_cents") : NULL;

  data->currency_name = g_strdup (object_string (festival, "currency_name"));
  if (rate != NULL && JSON_NODE_HOLDS_VALUE (rate) && json_node_get_value_type (rate) == G_TYPE_INT64)
    data->exchange_rate = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (rate));
}

/* GET /me with the device token: device, stand, mode and festival. */
static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  EnrollData *data = user_data;
  g_autoptr(FestStationWindow) self = g_object_get_data (G_OBJECT (source), "station-window");
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *me, *device, *festival;

  g_object_set_data (G_OBJECT (source), "station-window", NULL);
  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  g_object_unref (source);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (self, message);
      enroll_data_free (data);
      return;
    }
  me = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  device = object_object (me, "device");
  festival = object_object (me, "festival");

  data->device_id = g_strdup (object_string (device, "id"));
  data->device_name = g_strdup (object_string (device, "name"));
  data->stand_id = g_strdup (object_string (device, "stand_id"));
  if (data->stand_id == NULL)
    data->stand_id = g_strdup (object_string (object_object (me, "stand"), "id"));
  data->stand_name = g_strdup (object_string (object_object (me, "stand"), "name"));
  data->mode = g_strdup (object_string (device, "mode") ? object_string (device, "mode")
                                                        : object_string (me, "mode"));
  data->festival_id = g_strdup (object_string (festival, "id") ? object_string (festival, "id")
                                                               : object_string (me, "festival_id"));
  set_festival_money (data, festival);
  if (data->device_id == NULL || data->festival_id == NULL || data->mode == NULL)
    {
      enroll_failed (self, _("This token is not a station device token"));
      enroll_data_free (data);
      return;
    }
  finish_enrollment (self, data);
}

/* A device token as typed or pasted: the Team page shows it in groups split by spaces, someone
 * may type dashes between them or a line break where it wrapped, and the token's alphabet (hex)
 * has none of these. */
static char *
normalize_token (const char *text)
{
  GString *token = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isspace (*p) && *p != '-')
      g_string_append_c (token, *p);
  return g_string_free (token, FALSE);
}

static void
enroll_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestStationWindow *self = user_data;
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->enroll_url));
  const char *token = gtk_editable_get_text (GTK_EDITABLE (self->enroll_token));
  const char *pin = gtk_editable_get_text (GTK_EDITABLE (self->enroll_pin));
  const char *pin2 = gtk_editable_get_text (GTK_EDITABLE (self->enroll_pin2));
  g_autofree char *clean_url = g_strstrip (g_strdup (url));
  g_autofree char *clean_token = normalize_token (token);
  FestClient *probe;
  EnrollData *data;

  if (!gtk_widget_get_sensitive (GTK_WIDGET (self->enroll_button)))
    return;   /* already enrolling */
  gtk_widget_set_visible (GTK_WIDGET (self->enroll_error), FALSE);
  if (!g_str_has_prefix (clean_url, "http://") && !g_str_has_prefix (clean_url, "https://"))
    {
      enroll_failed (self, _("The server address must start with http:// or https://"));
      return;
    }
  if (strlen (clean_token) < 16)
    {
      enroll_failed (self, _("Paste or scan the device token from the Team page"));
      return;
    }
  if (strlen (pin) < 4 || !g_str_equal (pin, pin2))
    {
      enroll_failed (self, _("Choose a PIN of at least 4 digits and type it twice"));
      return;
    }

  if (!g_str_equal (clean_url, self->server_url))
    {
      /* Another server: its own store file. */
      g_autofree char *key = g_strconcat (clean_url, "#", self->mode, NULL);
      g_autofree char *path = fest_station_store_default_path (key);
      g_autoptr(GError) error = NULL;
      FestStationStore *store = fest_station_store_open (path, &error);

      if (store == NULL)
        {
          enroll_failed (self, error->message);
          return;
        }
      fest_station_context_set_store (self->context, store);
      g_object_unref (store);
      g_free (self->server_url);
      self->server_url = g_strdup (clean_url);
      g_free (self->secret_server);
      self->secret_server = g_strdup (key);
    }

  data = g_new0 (EnrollData, 1);
  data->url = g_strdup (clean_url);
  data->token = g_steal_pointer (&clean_token);
  data->pin = g_strdup (pin);

  gtk_widget_set_sensitive (GTK_WIDGET (self->enroll_button), FALSE);
  gtk_spinner_start (self->enroll_spinner);
  probe = fest_client_new (clean_url);
  fest_client_set_token (probe, data->token);
  g_object_set_data_full (G_OBJECT (probe), "station-window", g_object_ref (self), NULL);
  fest_client_request_async (probe, "GET", "/me", NULL, NULL, self->cancellable, me_cb, data);
}

/* Demo: enroll with the organiser token. */

typedef struct
{
  FestStationWindow *self;
  char              *festival_id;
  char              *stand_id;
  char              *stand_name;
  JsonObject        *festival;    /* from GET /me: its currency */
} DemoData;

static void
demo_data_free (DemoData *data)
{
  g_object_unref (data->self);
  g_free (data->festival_id);
  g_free (data->stand_id);
  g_free (data->stand_name);
  g_clear_pointer (&data->festival, json_object_unref);
  g_free (data);
}

static void
demo_device_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DemoData *demo = user_data;
  FestStationWindow *self = demo->self;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  EnrollData *data;
  JsonObject *device;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = error ? fest_client_describe_error (error) : g_strdup ("?");
      enroll_failed (self, message);
      demo_data_free (demo);
      return;
    }
  device = json_node_get_object (node);
  data = g_new0 (EnrollData, 1);
  data->url = g_strdup (self->server_url);
  data->token = g_strdup (object_string (device, "token"));
  data->pin = g_strdup (DEMO_PIN);
  data->device_id = g_strdup (object_string (device, "id"));
  data->device_name = g_strdup (object_string (device, "name"));
  data->festival_id = g_strdup (demo->festival_id);
  data->stand_id = g_strdup (demo->stand_id);
  data->stand_name = g_strdup (demo->stand_name);
  set_festival_money (data, demo->festival);
  data->mode = g_strdup (self->mode);
  if (data->token == NULL || data->device_id == NULL)
    {
      enroll_failed (self, _("The server did not return a device token"));
      enroll_data_free (data);
      demo_data_free (demo);
      return;
    }
  fest_station_window_toast (self, _("Demo station enrolled: the organiser PIN is 0000"));
  finish_enrollment (self, data);
  demo_data_free (demo);
}

static void
demo_stands_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  DemoData *demo = user_data;
  FestStationWindow *self = demo->self;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *name = NULL;
  const char *wanted = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (self, message);
      demo_data_free (demo);
      return;
    }
  if (g_strcmp0 (self->mode, "cashier") == 0)
    wanted = "BAR";
  else if (g_strcmp0 (self->mode, "recharge") == 0)
    wanted = "RECHARGE";
  if (wanted != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *stands = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (stands) && demo->stand_id == NULL; i++)
        {
          JsonObject *stand = json_array_get_object_element (stands, i);

          if (g_strcmp0 (object_string (stand, "type"), wanted) == 0)
            {
              demo->stand_id = g_strdup (object_string (stand, "id"));
              demo->stand_name = g_strdup (object_string (stand, "name"));
            }
        }
      if (demo->stand_id == NULL)
        {
          enroll_failed (self, _("The festival has no stand for this station"));
          demo_data_free (demo);
          return;
        }
    }

  name = g_strdup_printf ("%s (%s)", mode_title (self->mode), g_get_host_name ());
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "stand_id");
  if (demo->stand_id != NULL)
    json_builder_add_string_value (builder, demo->stand_id);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "mode");
  json_builder_add_string_value (builder, self->mode);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  fest_client_request_async (FEST_CLIENT (source), "POST", "/devices", body, NULL,
                             self->cancellable, demo_device_cb, demo);
}

static void
demo_me_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  DemoData *demo = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *me;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);
      enroll_failed (demo->self, message);
      demo_data_free (demo);
      return;
    }
  me = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  demo->festival_id = g_strdup (object_string (object_object (me, "festival"), "id")
                                ? object_string (object_object (me, "festival"), "id")
                                : object_string (me, "festival_id"));
  if (object_object (me, "festival") != NULL)
    demo->festival = json_object_ref (object_object (me, "festival"));
  if (demo->festival_id == NULL)
    {
      enroll_failed (demo->self, _("The organiser account has no current festival"));
      demo_data_free (demo);
      return;
    }
  fest_client_request_async (FEST_CLIENT (source), "GET", "/stands?per_page=500", NULL, NULL,
                             demo->self->cancellable, demo_stands_cb, demo);
}

static void
start_demo_enrollment (FestStationWindow *self)
{
  g_autoptr(FestClient) organiser = fest_client_new (self->server_url);
  DemoData *demo = g_new0 (DemoData, 1);

  demo->self = g_object_ref (self);
  fest_client_set_token (organiser, self->organiser_token);
  gtk_widget_set_sensitive (GTK_WIDGET (self->enroll_button), FALSE);
  gtk_spinner_start (self->enroll_spinner);
  fest_client_request_async (organiser, "GET", "/me", NULL, NULL, self->cancellable, demo_me_cb, demo);
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
  gtk_widget_grab_focus (GTK_WIDGET (self->enroll_token));
  if (self->organiser_token != NULL)
    start_demo_enrollment (self);
}

/* Building the window */

static GtkWidget *
build_enroll_view (FestStationWindow *self)
{
  GtkWidget *clamp, *box, *title, *text, *button_box;

  clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 560);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (box, 24);
  gtk_widget_set_margin_bottom (box, 24);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);

  title = gtk_label_new (_("Enroll this station"));
  gtk_widget_add_css_class (title, "title-1");
  gtk_box_append (GTK_BOX (box), title);
  text = gtk_label_new (_("Create a device on the Team page of the back office, then paste or scan its token here."));
  gtk_label_set_wrap (GTK_LABEL (text), TRUE);
  gtk_label_set_justify (GTK_LABEL (text), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), text);

  {
    GtkWidget *label = gtk_label_new_with_mnemonic (_("_Server address"));
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_box_append (GTK_BOX (box), label);
    self->enroll_url = GTK_ENTRY (gtk_entry_new ());
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->enroll_url));
    gtk_editable_set_text (GTK_EDITABLE (self->enroll_url), self->server_url);
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->enroll_url));

    label = gtk_label_new_with_mnemonic (_("_Device token"));
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_box_append (GTK_BOX (box), label);
    self->enroll_token = GTK_ENTRY (gtk_entry_new ());
    gtk_entry_set_placeholder_text (self->enroll_token, _("Paste or scan the token"));
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->enroll_token));
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->enroll_token));

    label = gtk_label_new_with_mnemonic (_("Organiser _PIN"));
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_box_append (GTK_BOX (box), label);
    self->enroll_pin = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
    gtk_password_entry_set_show_peek_icon (self->enroll_pin, TRUE);
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->enroll_pin));
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->enroll_pin));

    label = gtk_label_new_with_mnemonic (_("_Repeat the PIN"));
    gtk_label_set_xalign (GTK_LABEL (label), 0);
    gtk_box_append (GTK_BOX (box), label);
    self->enroll_pin2 = GTK_PASSWORD_ENTRY (gtk_password_entry_new ());
    gtk_label_set_mnemonic_widget (GTK_LABEL (label), GTK_WIDGET (self->enroll_pin2));
    gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->enroll_pin2));
  }

  g_signal_connect_swapped (self->enroll_pin, "activate", G_CALLBACK (gtk_widget_grab_focus), self->enroll_pin2);
  g_signal_connect_swapped (self->enroll_token, "activate", G_CALLBACK (gtk_widget_grab_focus), self->enroll_pin);

  self->enroll_error = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->enroll_error, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->enroll_error), "station-refused-text");
  gtk_widget_set_visible (GTK_WIDGET (self->enroll_error), FALSE);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->enroll_error));

  button_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (button_box, GTK_ALIGN_CENTER);
  self->enroll_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->enroll_spinner));
  self->enroll_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Enroll")));
  gtk_widget_add_css_class (GTK_WIDGET (self->enroll_button), "suggested-action");
  gtk_widget_add_css_class (GTK_WIDGET (self->enroll_button), "station-big-button");
  g_signal_connect_object (self->enroll_button, "clicked", G_CALLBACK (enroll_clicked_cb), self, 0);
  g_signal_connect_object (self->enroll_pin2, "activate", G_CALLBACK (enroll_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (button_box), GTK_WIDGET (self->enroll_button));
  gtk_box_append (GTK_BOX (box), button_box);

  return clamp;
}

/* Settings: what an organiser checks or changes on a running station, behind the PIN. Nothing
 * here forgets anything: un-enrolling is its own confirmed action, refused while operations are
 * not sent, and it keeps the outbox (the shift's sales) on the device. */

static void
update_settings (FestStationWindow *self)
{
  g_autofree char *stand = fest_station_store_get_setting (station_store (self), FEST_STATION_KEY_STAND_NAME);
  g_autofree char *device = fest_station_store_get_setting (station_store (self), FEST_STATION_KEY_DEVICE_NAME);
  g_autofree char *station = NULL;
  g_autofree char *pending = NULL;
  guint n = fest_station_store_count_pending (station_store (self));

  adw_action_row_set_subtitle (self->settings_server_row, self->server_url);
  if (stand != NULL && device != NULL)
    /* TRANSLATORS: station settings: "<mode> · <stand> · <device name>" */
    station = g_strdup_printf (_("%s · %s · %s"), mode_title (self->mode), stand, device);
  else
    station = g_strdup (mode_title (self->mode));
  adw_action_row_set_subtitle (self->settings_station_row, station);
  if (n == 0)
    pending = g_strdup (_("Everything is sent"));
  else
    pending = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u operation not sent yet",
                                            "%u operations not sent yet", n), n);
  adw_action_row_set_subtitle (self->settings_pending_row, pending);
  gtk_widget_set_visible (GTK_WIDGET (self->settings_sounds_row), self->sound_settings != NULL);
}

static void
show_settings (FestStationWindow *self)
{
  update_settings (self);
  gtk_stack_set_visible_child_name (self->stack, "settings");
  gtk_widget_grab_focus (self->settings_back);
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
  if (self->page != NULL)
    gtk_widget_child_focus (self->page, GTK_DIR_TAB_FORWARD);
}

static void
settings_back_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  leave_settings (FEST_STATION_WINDOW (user_data));
}

static void
settings_sync_clicked_cb (GtkButton *button,
                          gpointer   user_data)
{
  FestStationWindow *self = user_data;

  if (station_engine (self) != NULL)
    fest_sync_engine_sync_now (station_engine (self));
  fest_station_window_toast (self, _("Syncing…"));
}

static void
unenroll_refused (FestStationWindow *self,
                  const char        *message)
{
  AdwMessageDialog *dialog;

  gtk_widget_error_bell (GTK_WIDGET (self));
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Not Un-enrolled"), message));
  adw_message_dialog_add_responses (dialog, "close", _("_OK"), NULL);
  adw_message_dialog_set_default_response (dialog, "close");
  adw_message_dialog_set_close_response (dialog, "close");
  gtk_window_set_destroy_with_parent (GTK_WINDOW (dialog), TRUE);
  gtk_window_present (GTK_WINDOW (dialog));
  update_settings (self);
}

static void
unenroll_response_cb (AdwMessageDialog *dialog,
                      const char       *response,
                      gpointer          user_data)
{
  FestStationWindow *self = user_data;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "unenroll") != 0)
    return;
  /* The store checks again: an operation may have been queued meanwhile. */
  if (!fest_station_store_unenroll (station_store (self), &error))
    {
      unenroll_refused (self, error->message);
      return;
    }
  if (station_engine (self) != NULL)
    fest_sync_engine_stop (station_engine (self));
  fest_station_context_set_engine (self->context, NULL);
  fest_secrets_clear_async (FEST_SECRET_KIND_DEVICE, self->secret_server, NULL, NULL, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->enroll_url), self->server_url);
  gtk_editable_set_text (GTK_EDITABLE (self->enroll_token), "");
  gtk_stack_set_visible_child_name (self->stack, "enroll");
  gtk_widget_grab_focus (GTK_WIDGET (self->enroll_token));
}

static void
unenroll_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  FestStationWindow *self = user_data;
  guint n = fest_station_store_count_pending (station_store (self));
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
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self), _("Un-enroll This Station?"),
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

static AdwActionRow *
settings_row (AdwPreferencesGroup *group,
              const char          *title)
{
  AdwActionRow *row = ADW_ACTION_ROW (adw_action_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_group_add (group, GTK_WIDGET (row));
  return row;
}

static GtkWidget *
build_settings_view (FestStationWindow *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  GtkWidget *page, *box, *button, *sounds, *actions;
  AdwPreferencesGroup *group;

  page = adw_preferences_page_new ();
  adw_preferences_page_set_title (ADW_PREFERENCES_PAGE (page), _("Station Settings"));

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, _("Station Settings"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  self->settings_station_row = settings_row (group, _("Station"));
  self->settings_server_row = settings_row (group, _("Server address"));
  self->settings_pending_row = settings_row (group, _("Operations"));

  /* The same switch as the app's preferences (FestFeedback reads it); uninstalled runs have no
   * schema and keep the sounds on. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, "app.festivals.Festivals", TRUE);
  if (schema != NULL && g_settings_schema_has_key (schema, "station-sounds"))
    self->sound_settings = g_settings_new_full (schema, NULL, NULL);
  self->settings_sounds_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->settings_sounds_row), _("Sounds"));
  adw_action_row_set_subtitle (self->settings_sounds_row, _("A tone for each accepted or refused scan"));
  sounds = gtk_switch_new ();
  gtk_widget_set_valign (sounds, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (sounds), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Sounds"), -1);
  if (self->sound_settings != NULL)
    g_settings_bind (self->sound_settings, "station-sounds", sounds, "active", G_SETTINGS_BIND_DEFAULT);
  adw_action_row_add_suffix (self->settings_sounds_row, sounds);
  adw_action_row_set_activatable_widget (self->settings_sounds_row, sounds);
  adw_preferences_group_add (group, GTK_WIDGET (self->settings_sounds_row));

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (page), group);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  actions = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_halign (actions, GTK_ALIGN_CENTER);
  button = gtk_button_new_with_mnemonic (_("_Back to the Station"));
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "suggested-action");
  gtk_widget_set_tooltip_text (button, _("Leave the settings without changing anything (Escape)"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (settings_back_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (actions), button);
  self->settings_back = button;
  button = gtk_button_new_with_mnemonic (_("_Sync Now"));
  gtk_widget_add_css_class (button, "pill");
  g_signal_connect_object (button, "clicked", G_CALLBACK (settings_sync_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (actions), button);
  gtk_box_append (GTK_BOX (box), actions);
  button = gtk_button_new_with_mnemonic (_("_Un-enroll This Station…"));
  gtk_widget_add_css_class (button, "pill");
  gtk_widget_add_css_class (button, "destructive-action");
  gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (button, 24);
  gtk_widget_set_tooltip_text (button, _("Forget the device token (only once every operation is sent)"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (unenroll_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (box), button);
  adw_preferences_group_add (group, box);

  return page;
}

static void
sync_now_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  FestStationWindow *self = user_data;

  if (station_engine (self) != NULL)
    fest_sync_engine_sync_now (station_engine (self));
}

static void
settings_clicked_cb (GtkButton *button,
                     gpointer   user_data)
{
  ask_pin (FEST_STATION_WINDOW (user_data), 1);
}

static void
exit_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

static GtkWidget *
build_status_bar (FestStationWindow *self)
{
  GtkWidget *bar, *button;

  bar = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  gtk_widget_add_css_class (bar, "station-status");
  gtk_widget_add_css_class (bar, "toolbar");

  self->status_icon = GTK_IMAGE (gtk_image_new_from_icon_name ("network-offline-symbolic"));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status_icon));
  self->status_label = GTK_LABEL (gtk_label_new (_("Offline")));
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "status-offline");
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->status_label));
  self->pending_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->pending_label));
  self->last_sync_label = GTK_LABEL (gtk_label_new (_("Never synced")));
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->last_sync_label));
  self->secrets_label = GTK_LABEL (gtk_label_new (_("No keyring: the device token is in a private file")));
  /* The status bar must not widen the window past the screen (a French warning and the refused
   * operations button did): the warning gives way, whole in its tooltip. */
  gtk_label_set_ellipsize (self->secrets_label, PANGO_ELLIPSIZE_END);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->secrets_label), gtk_label_get_text (self->secrets_label));
  gtk_widget_add_css_class (GTK_WIDGET (self->secrets_label), "warning");
  gtk_widget_set_visible (GTK_WIDGET (self->secrets_label), FALSE);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->secrets_label));

  self->rejected_button = GTK_BUTTON (gtk_button_new_with_label (""));
  gtk_widget_add_css_class (GTK_WIDGET (self->rejected_button), "destructive-action");
  gtk_widget_set_visible (GTK_WIDGET (self->rejected_button), FALSE);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->rejected_button), _("Show the operations the server refused"));
  g_signal_connect_object (self->rejected_button, "clicked", G_CALLBACK (rejected_clicked_cb), self, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->rejected_button), TRUE);
  gtk_widget_set_halign (GTK_WIDGET (self->rejected_button), GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (bar), GTK_WIDGET (self->rejected_button));

  button = gtk_button_new_from_icon_name ("view-refresh-symbolic");
  gtk_widget_set_tooltip_text (button, _("Sync now"));
  gtk_widget_set_hexpand (button, !gtk_widget_get_visible (GTK_WIDGET (self->rejected_button)));
  gtk_widget_set_halign (button, GTK_ALIGN_END);
  g_signal_connect_object (button, "clicked", G_CALLBACK (sync_now_clicked_cb), self, 0);
  gtk_box_append (GTK_BOX (bar), button);

  return bar;
}

static void
fest_station_window_dispose (GObject *object)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  /* Before the window goes: a transient dialog outliving it trips GTK 4.8. */
  if (self->pin_dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->pin_dialog), (gpointer *) &self->pin_dialog);
      gtk_window_destroy (g_steal_pointer (&self->pin_dialog));
    }
  if (self->context != NULL && station_engine (self) != NULL)
    fest_sync_engine_stop (station_engine (self));
  if (self->context != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->context, self);
      fest_station_context_set_engine (self->context, NULL);
      fest_station_context_set_station_client (self->context, NULL);
    }
  g_clear_object (&self->sound_settings);

  G_OBJECT_CLASS (fest_station_window_parent_class)->dispose (object);
}

static void
fest_station_window_finalize (GObject *object)
{
  FestStationWindow *self = FEST_STATION_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->context);
  g_clear_pointer (&self->wedge, fest_wedge_free);
  g_clear_pointer (&self->last_toast, g_free);
  g_free (self->mode);
  g_free (self->organiser_token);
  g_free (self->server_url);
  g_free (self->secret_server);

  G_OBJECT_CLASS (fest_station_window_parent_class)->finalize (object);
}

static void
fest_station_window_class_init (FestStationWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_station_window_dispose;
  object_class->finalize = fest_station_window_finalize;
}

static void
fest_station_window_init (FestStationWindow *self)
{
  self->cancellable = g_cancellable_new ();
  self->wedge = fest_wedge_new ();
}

static void
context_toast_cb (FestStationWindow *self,
                  const char        *text)
{
  fest_station_window_toast (self, text);
}

/* Builds the widgets once mode, URL and store are known. */
static void
construct (FestStationWindow *self)
{
  GtkWidget *toolbar, *header, *button, *station_box;
  GtkEventController *keys;

  load_css ();
  gtk_widget_add_css_class (GTK_WIDGET (self), "station");
  gtk_window_set_title (GTK_WINDOW (self), mode_title (self->mode));
  gtk_window_set_default_size (GTK_WINDOW (self), 1280, 800);

  self->toasts = ADW_TOAST_OVERLAY (adw_toast_overlay_new ());
  toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  adw_toast_overlay_set_child (self->toasts, toolbar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), GTK_WIDGET (self->toasts));

  header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  self->title = ADW_WINDOW_TITLE (adw_window_title_new (mode_title (self->mode), NULL));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), GTK_WIDGET (self->title));
  button = gtk_button_new_from_icon_name ("system-log-out-symbolic");
  gtk_widget_set_tooltip_text (button, _("Leave the station (organiser PIN)"));
  g_signal_connect_object (button, "clicked", G_CALLBACK (exit_clicked_cb), self, 0);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  button = gtk_button_new_from_icon_name ("emblem-system-symbolic");
  gtk_widget_set_tooltip_text (button, _("Station settings (organiser PIN)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Station Settings"), -1);
  g_signal_connect_object (button, "clicked", G_CALLBACK (settings_clicked_cb), self, 0);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), button);
  gtk_box_append (GTK_BOX (toolbar), header);

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  gtk_box_append (GTK_BOX (toolbar), GTK_WIDGET (self->stack));

  {
    GtkWidget *loading = gtk_spinner_new ();
    gtk_spinner_start (GTK_SPINNER (loading));
    gtk_widget_set_halign (loading, GTK_ALIGN_CENTER);
    gtk_widget_set_valign (loading, GTK_ALIGN_CENTER);
    gtk_widget_set_size_request (loading, 48, 48);
    gtk_stack_add_named (self->stack, loading, "loading");
  }
  gtk_stack_add_named (self->stack, build_enroll_view (self), "enroll");

  station_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  self->page_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 0));
  gtk_widget_set_vexpand (GTK_WIDGET (self->page_box), TRUE);
  {
    /* A page taller than the screen (the security page on a 768 or 800 px kiosk) scrolls: the
     * window stays on the screen, with its status bar and its toasts. */
    GtkWidget *scroller = gtk_scrolled_window_new ();

    gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
    gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (self->page_box));
    gtk_widget_set_vexpand (scroller, TRUE);
    gtk_box_append (GTK_BOX (station_box), scroller);
  }
  gtk_box_append (GTK_BOX (station_box), build_status_bar (self));
  gtk_stack_add_named (self->stack, station_box, "station");

  {
    self->revoked_page = ADW_STATUS_PAGE (adw_status_page_new ());
    adw_status_page_set_icon_name (self->revoked_page, "action-unavailable-symbolic");
    adw_status_page_set_title (self->revoked_page, _("This Station Was Revoked"));
    gtk_widget_add_css_class (GTK_WIDGET (self->revoked_page), "station-revoked");
    button = gtk_button_new_with_mnemonic (_("_Enroll Again…"));
    gtk_widget_add_css_class (button, "pill");
    gtk_widget_add_css_class (button, "suggested-action");
    gtk_widget_add_css_class (button, "station-big-button");
    gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
    gtk_widget_set_tooltip_text (button, _("Enroll this station with a new device token (organiser PIN); "
                                           "the operations kept here are then sent"));
    g_signal_connect_object (button, "clicked", G_CALLBACK (reenroll_clicked_cb), self, 0);
    adw_status_page_set_child (self->revoked_page, button);
    gtk_stack_add_named (self->stack, GTK_WIDGET (self->revoked_page), "revoked");
  }
  gtk_stack_add_named (self->stack, build_settings_view (self), "settings");
  gtk_stack_set_visible_child_name (self->stack, "loading");

  g_signal_connect_object (self->context, "toast", G_CALLBACK (context_toast_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->context, "operation-queued", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);

  g_signal_connect (self, "close-request", G_CALLBACK (close_request_cb), NULL);
}

/* Public API */

GtkWindow *
fest_station_window_new (GtkApplication *app,
                         FestClient     *client,
                         const char     *mode,
                         const char     *organiser_token)
{
  FestStationWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr(FestStationStore) store = NULL;
  const char *override;

  g_return_val_if_fail (app == NULL || GTK_IS_APPLICATION (app), NULL);
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);
  g_return_val_if_fail (mode != NULL, NULL);

  self = g_object_new (FEST_TYPE_STATION_WINDOW, "application", app, NULL);
  self->client = g_object_ref (client);
  self->mode = g_strdup (mode);
  self->organiser_token = g_strdup (organiser_token != NULL ? organiser_token
                                                            : fest_client_get_token (client));
  if (organiser_token == NULL)
    g_clear_pointer (&self->organiser_token, g_free);
  self->server_url = g_strdup (fest_client_get_base_url (client));
  /* One store and one device token per server and mode: a laptop may run two stations. */
  self->secret_server = g_strconcat (self->server_url, "#", mode, NULL);
  override = g_getenv ("FESTIVALS_STATION_DB");
  path = override != NULL ? g_strdup (override) : fest_station_store_default_path (self->secret_server);
  store = fest_station_store_open (path, &error);
  if (store == NULL)
    {
      g_warning ("Cannot open the station store %s: %s", path, error->message);
      gtk_window_destroy (GTK_WINDOW (self));
      return NULL;
    }
  self->context = fest_station_context_new (mode, store);
  construct (self);
  if (g_getenv ("FESTIVALS_STATION_WINDOWED") == NULL)
    gtk_window_fullscreen (GTK_WINDOW (self));

  fest_secrets_lookup_async (FEST_SECRET_KIND_DEVICE, self->secret_server, self->cancellable,
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

  self = g_object_new (FEST_TYPE_STATION_WINDOW, "application", app, NULL);
  self->client = g_object_ref (client);
  self->mode = g_strdup (mode);
  self->server_url = g_strdup (fest_client_get_base_url (client));
  self->secret_server = g_strconcat (self->server_url, "#", mode, NULL);
  self->context = fest_station_context_new (mode, store);
  construct (self);
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

static void
toast_dismissed_cb (AdwToast *toast,
                    gpointer  user_data)
{
  FestStationWindow *self = user_data;

  if (self->toast == toast)
    self->toast = NULL;
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
  feed_wedge (self, key, text, time_us);
}

void
fest_station_window_simulate_scan (FestStationWindow *self,
                                   const char        *text)
{
  gint64 time = g_get_monotonic_time ();

  g_return_if_fail (FEST_IS_STATION_WINDOW (self));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *ch = g_strndup (p, g_utf8_next_char (p) - p);

      feed_wedge (self, FEST_WEDGE_KEY_CHAR, ch, time);
      time += 5 * G_TIME_SPAN_MILLISECOND;
    }
  feed_wedge (self, FEST_WEDGE_KEY_ENTER, NULL, time);
}

GtkWidget *
fest_station_window_get_page (FestStationWindow *self)
{
  g_return_val_if_fail (FEST_IS_STATION_WINDOW (self), NULL);
  return self->page;
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

  gtk_editable_set_text (GTK_EDITABLE (self->enroll_url), url);
  gtk_editable_set_text (GTK_EDITABLE (self->enroll_token), token);
  gtk_editable_set_text (GTK_EDITABLE (self->enroll_pin), pin);
  gtk_editable_set_text (GTK_EDITABLE (self->enroll_pin2), pin);
  enroll_clicked_cb (self->enroll_button, self);
}
