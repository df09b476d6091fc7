/* fest-window.c: the back-office window, from first run and sign-in to the festival's pages
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-artist-view.h"
#include "fest-connect-page.h"
#include "fest-connection-indicator.h"
#include "fest-event-stream.h"
#include "fest-festival-chooser.h"
#include "fest-local-server.h"
#include "fest-login-page.h"
#include "fest-new-festival-dialog.h"
#include "fest-page-util.h"
#include "fest-role-view.h"
#include "fest-role.h"
#include "fest-secrets.h"
#include "fest-session.h"
#include "fest-settings.h"
#include "fest-window-private.h"


G_DEFINE_FINAL_TYPE (FestWindow, fest_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_VIEW,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SERVER_CHOSEN,
  LOCAL_SERVER_STARTED,
  SERVER_FORGOTTEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void enter_festival      (FestWindow *self,
                                 JsonObject *festival);


static void
set_view (FestWindow *self,
          const char *view)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->main_stack), view) == 0)
    return;

  if (g_strcmp0 (view, "loading") == 0)
    gtk_spinner_start (self->loading_spinner);
  else
    gtk_spinner_stop (self->loading_spinner);

  gtk_stack_set_visible_child_name (self->main_stack, view);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VIEW]);
}

static void
show_loading (FestWindow *self,
              const char *title)
{
  adw_status_page_set_title (self->loading_status, title);
  set_view (self, "loading");
}

static void
update_fallback_notice (FestWindow *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->fallback_label), fest_secrets_is_fallback ());
}

static void
update_account_menu (FestWindow *self)
{
  g_autoptr(GMenuModel) section = NULL;
  g_autoptr(GMenuItem) item = NULL;
  const char *email = fest_page_json_string (fest_session_get_user (self->session), "email");
  const char *name = fest_page_json_string (fest_session_get_user (self->session), "name");
  g_autofree char *label = NULL;

  section = g_menu_model_get_item_link (G_MENU_MODEL (self->account_menu), 0, G_MENU_LINK_SECTION);
  if (section == NULL || !G_IS_MENU (section))
    return;

  if (name != NULL && email != NULL && g_strcmp0 (name, email) != 0)
    label = g_strdup_printf ("%s (%s)", name, email);
  else
    label = g_strdup (email != NULL ? email : _("Signed in"));

  g_menu_remove_all (G_MENU (section));
  item = g_menu_item_new (label, "win.account-email");
  g_menu_append_item (G_MENU (section), item);
}

static void
update_festival_menu (FestWindow *self)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) list = g_menu_new ();
  g_autoptr(GMenu) actions = g_menu_new ();
  JsonArray *festivals = fest_session_get_festivals (self->session);
  guint n = festivals != NULL ? json_array_get_length (festivals) : 0;
  const char *name = fest_page_json_string (fest_session_get_festival (self->session), "name");

  for (guint i = 0; i < n; i++)
    {
      JsonObject *festival = json_array_get_object_element (festivals, i);
      const char *id = fest_page_json_string (festival, "id");
      g_autoptr(GMenuItem) item = NULL;

      if (id == NULL)
        continue;
      item = g_menu_item_new (fest_page_json_string (festival, "name"), NULL);
      g_menu_item_set_action_and_target (item, "win.switch-festival", "s", id);
      g_menu_append_item (list, item);
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (list));
  if (fest_session_can_create_festival (self->session))
    {
      g_menu_append (actions, _("_New Festival…"), "win.new-festival");
      g_menu_append_section (menu, NULL, G_MENU_MODEL (actions));
    }

  gtk_menu_button_set_menu_model (self->festival_button, G_MENU_MODEL (menu));
  gtk_label_set_text (self->festival_label, name != NULL ? name : _("Festival"));
  gtk_window_set_title (GTK_WINDOW (self), name != NULL ? name : _("Festivals"));
}

/* Session */

static void
set_client (FestWindow *self,
            FestClient *client,
            const char *server_key)
{
  if (self->client != client)
    {
      if (self->stream != NULL)
        {
          g_signal_handlers_disconnect_by_data (self->stream, self);
          fest_event_stream_stop (self->stream);
          g_clear_object (&self->stream);
        }
      g_set_object (&self->client, client);
      if (client != NULL)
        self->stream = fest_event_stream_new (client);
      _fest_window_foreach_page (self, _fest_window_set_page_stream, self->stream);
    }

  fest_session_set_client (self->session, client, server_key);
  fest_login_page_set_client (self->login_page, client);
  fest_connection_indicator_set_source (self->connection_indicator, self->client, self->stream);
}

static void
show_login (FestWindow *self,
            const char *error)
{
  if (self->stream != NULL)
    fest_event_stream_stop (self->stream);
  _fest_window_foreach_page (self, _fest_window_pause_page, NULL);

  fest_login_page_show_error (self->login_page, error);
  set_view (self, "login");
  gtk_widget_grab_focus (GTK_WIDGET (self->login_page));
}

static void
festival_activated_cb (FestWindow *self,
                       const char *id)
{
  JsonObject *festival = fest_session_find_festival (self->session, id);

  if (festival != NULL)
    fest_session_select_festival (self->session, festival);
}

/* The user's festivals are known: open the remembered one (or the only one), or let them
 * choose. */
static void
festivals_ready_cb (FestWindow *self)
{
  JsonObject *festival = fest_session_pick_festival (self->session);

  update_account_menu (self);

  if (festival != NULL)
    {
      fest_session_select_festival (self->session, festival);
      return;
    }

  fest_festival_chooser_set_festivals (self->festival_chooser,
                                       fest_session_get_festivals (self->session),
                                       fest_session_can_create_festival (self->session));
  set_view (self, "festivals");
}

static void
switch_failed_cb (FestWindow *self,
                  const char *message)
{
  fest_window_add_toast (self, message);
  set_view (self, fest_session_get_festival (self->session) == NULL ? "festivals" : "backoffice");
}

static void
notice_cb (FestWindow *self,
           const char *message)
{
  if (message != NULL)
    fest_window_add_toast (self, message);
  update_fallback_notice (self);
}

/* A member with no back-office page: what this app holds for their role. */
static void
show_role_view (FestWindow *self,
                FestRoles   roles)
{
  adw_window_title_set_title (self->role_title,
                              fest_page_json_string (fest_session_get_festival (self->session),
                                                     "name"));
  fest_role_view_set_roles (self->role_view, roles);

  /* No live figures for a role that may not read them. */
  fest_event_stream_stop (self->stream);
  set_view (self, "role");
}

/* An artist with no back-office page: their own compact view, built for the session's client. */
static void
show_artist_view (FestWindow *self)
{
  JsonObject *festival = fest_session_get_festival (self->session);
  GtkWidget *old = gtk_widget_get_last_child (GTK_WIDGET (self->artist_box));
  GtkWidget *view = fest_artist_view_new (self->client);

  if (FEST_IS_ARTIST_VIEW (old))
    gtk_box_remove (self->artist_box, old);
  fest_page_set_festival (FEST_PAGE (view), festival);
  gtk_widget_set_vexpand (view, TRUE);
  gtk_box_append (self->artist_box, view);
  adw_window_title_set_title (self->artist_title, fest_page_json_string (festival, "name"));
  fest_event_stream_stop (self->stream);
  if (!gtk_window_is_maximized (GTK_WINDOW (self)))
    gtk_window_set_default_size (GTK_WINDOW (self), 720, 640);
  set_view (self, "artist");
}

/* The session's festival is @festival: its pages, or the view for a role without any. */
static void
enter_festival (FestWindow *self,
                JsonObject *festival)
{
  const char *visible;
  FestRoles roles;
  guint n_pages;

  roles = fest_session_festival_roles (self->session, festival);
  n_pages = _fest_window_ensure_pages (self, roles);
  update_festival_menu (self);
  update_account_menu (self);
  update_fallback_notice (self);

  /* Nothing of the back office is meant for this role: say what is, instead of pages that would
   * only answer "forbidden". */
  if (n_pages == 0)
    {
      if (roles & FEST_ROLE_ARTIST)
        show_artist_view (self);
      else
        show_role_view (self, roles);
      return;
    }

  _fest_window_foreach_page (self, _fest_window_set_page_festival, festival);
  _fest_window_foreach_page (self, _fest_window_set_page_stream, self->stream);

  /* The stream is bound to the token's festival: reconnect with the current one. */
  fest_event_stream_start (self->stream);

  set_view (self, "backoffice");
  visible = gtk_stack_get_visible_child_name (self->content_stack);
  if (visible == NULL)
    visible = gtk_widget_get_name (gtk_widget_get_first_child (GTK_WIDGET (self->sidebar_list)));
  _fest_window_select_page (self, visible, FALSE);
  _fest_window_foreach_page (self, _fest_window_reload_attention_page, gtk_stack_get_visible_child (self->content_stack));
}

/* Saved on the Settings page: the new name and currency wherever the window shows them (title,
 * festival menu, dashboard), without leaving the page. */
void
_fest_window_festival_changed_cb (FestWindow *self,
                     JsonObject *festival)
{
  JsonObject *current;

  if (!fest_session_update_festival (self->session, festival))
    return;

  current = fest_session_get_festival (self->session);
  update_festival_menu (self);
  adw_window_title_set_subtitle (self->content_title, fest_page_json_string (current, "name"));
  _fest_window_foreach_page (self, _fest_window_set_page_festival, current);
}

static void
signed_in_cb (FestWindow *self,
              JsonNode   *login)
{
  fest_session_signed_in (self->session, login);
}

static void
server_connected_cb (FestWindow *self,
                     FestClient *client)
{
  fest_settings_set_server (FEST_SERVER_MODE_REMOTE, fest_client_get_base_url (client), NULL);
  g_signal_emit (self, signals[SERVER_CHOSEN], 0, client);
  fest_window_open_server (self, client, fest_client_get_base_url (client));
}

static void
local_started_cb (FestWindow      *self,
                  FestLocalServer *server,
                  const char      *email,
                  const char      *password)
{
  g_autoptr(FestClient) client = fest_client_new (fest_local_server_get_base_url (server));

  fest_settings_set_server (FEST_SERVER_MODE_LOCAL, NULL, NULL);
  g_signal_emit (self, signals[LOCAL_SERVER_STARTED], 0, server, client);

  if (email != NULL && password != NULL)
    fest_window_sign_in (self, client, "local", email, password);
  else
    fest_window_open_server (self, client, "local");
}

/* New festival dialog */

static void
festival_created_cb (FestWindow *self,
                     JsonObject *festival)
{
  fest_session_add_festival (self->session, festival);
  fest_session_select_festival (self->session, festival);
}

static void
new_festival_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestWindow *self = FEST_WINDOW (widget);
  GtkWidget *dialog;

  if (self->client == NULL)
    return;

  dialog = fest_new_festival_dialog_new (GTK_WINDOW (self), self->client);
  g_signal_connect_object (dialog, "created", G_CALLBACK (festival_created_cb), self,
                           G_CONNECT_SWAPPED);
  fest_new_festival_dialog_present (FEST_NEW_FESTIVAL_DIALOG (dialog));
}

/* Actions */

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestWindow *self = FEST_WINDOW (widget);

  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
}

static void
show_page_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  fest_window_show_page (FEST_WINDOW (widget), g_variant_get_string (parameter, NULL));
}

static void
switch_festival_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  FestWindow *self = FEST_WINDOW (widget);
  const char *id = g_variant_get_string (parameter, NULL);
  JsonObject *festival = fest_session_find_festival (self->session, id);

  if (festival != NULL)
    fest_session_select_festival (self->session, festival);
}

static void
change_server_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  FestWindow *self = FEST_WINDOW (widget);

  fest_settings_set_server (FEST_SERVER_MODE_NONE, NULL, NULL);
  g_signal_emit (self, signals[SERVER_FORGOTTEN], 0);
  fest_window_show_connect (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  FestWindow *self = FEST_WINDOW (widget);
  GtkWidget *page = gtk_stack_get_visible_child (self->content_stack);

  if (FEST_IS_PAGE (page) && g_strcmp0 (fest_window_get_view (self), "backoffice") == 0)
    fest_page_reload (FEST_PAGE (page));
}

static void
fest_window_dispose (GObject *object)
{
  FestWindow *self = FEST_WINDOW (object);

  if (self->session != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      fest_session_restart (self->session);
    }
  if (self->stream != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->stream, self);
      fest_event_stream_stop (self->stream);
    }
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_WINDOW);
  g_clear_object (&self->stream);
  g_clear_object (&self->client);
  g_clear_object (&self->pages_client);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (fest_window_parent_class)->dispose (object);
}

static void
fest_window_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FestWindow *self = FEST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_string (value, fest_window_get_view (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_window_class_init (FestWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_window_dispose;
  object_class->get_property = fest_window_get_property;

  properties[PROP_VIEW] =
    g_param_spec_string ("view", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SERVER_CHOSEN] =
    g_signal_new ("server-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, FEST_TYPE_CLIENT);
  signals[LOCAL_SERVER_STARTED] =
    g_signal_new ("local-server-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 2, FEST_TYPE_LOCAL_SERVER, FEST_TYPE_CLIENT);
  signals[SERVER_FORGOTTEN] =
    g_signal_new ("server-forgotten", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);

  g_type_ensure (FEST_TYPE_CONNECT_PAGE);
  g_type_ensure (FEST_TYPE_CONNECTION_INDICATOR);
  g_type_ensure (FEST_TYPE_FESTIVAL_CHOOSER);
  g_type_ensure (FEST_TYPE_LOGIN_PAGE);
  g_type_ensure (FEST_TYPE_ROLE_VIEW);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-window.ui");
  gtk_widget_class_bind_template_child (widget_class, FestWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, loading_spinner);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, loading_status);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, connect_page);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, festival_chooser);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, festival_button);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, festival_label);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, sidebar_list);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, role_title);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, role_view);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, artist_title);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, artist_box);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, fallback_label);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, content_title);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, connection_indicator);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, FestWindow, account_menu);
  gtk_widget_class_bind_template_callback (widget_class, server_connected_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_started_cb);
  gtk_widget_class_bind_template_callback (widget_class, signed_in_cb);
  gtk_widget_class_bind_template_callback (widget_class, festival_activated_cb);
  gtk_widget_class_bind_template_callback_full (widget_class, "sidebar_row_activated_cb",
                                                G_CALLBACK (_fest_window_sidebar_row_activated_cb));
  gtk_widget_class_bind_template_callback_full (widget_class, "folded_changed_cb",
                                                G_CALLBACK (_fest_window_folded_changed_cb));

  gtk_widget_class_install_action (widget_class, "win.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page_action);
  gtk_widget_class_install_action (widget_class, "win.switch-festival", "s",
                                   switch_festival_action);
  gtk_widget_class_install_action (widget_class, "win.new-festival", NULL, new_festival_action);
  gtk_widget_class_install_action (widget_class, "win.change-server", NULL, change_server_action);
  gtk_widget_class_install_action (widget_class, "win.reload", NULL, reload_action);
  /* The account menu's first line shows who is signed in; it does nothing. */
  gtk_widget_class_install_action (widget_class, "win.account-email", NULL, NULL);

  _fest_window_class_init_pages (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.new-festival", NULL);
}

static void
fest_window_init (FestWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->session = fest_session_new ();
  g_signal_connect_object (self->session, "loading", G_CALLBACK (show_loading), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "sign-in-needed", G_CALLBACK (show_login), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "festivals-ready", G_CALLBACK (festivals_ready_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "festival-ready", G_CALLBACK (enter_festival), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "festivals-changed",
                           G_CALLBACK (update_festival_menu), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "switch-failed", G_CALLBACK (switch_failed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->session, "notice", G_CALLBACK (notice_cb), self,
                           G_CONNECT_SWAPPED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.account-email", FALSE);
}

FestWindow *
fest_window_new (GtkApplication *application)
{
  return g_object_new (FEST_TYPE_WINDOW, "application", application, NULL);
}

const char *
fest_window_get_view (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return gtk_stack_get_visible_child_name (self->main_stack);
}

FestClient *
fest_window_get_client (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return self->client;
}

void
fest_window_show_connect (FestWindow *self)
{
  g_return_if_fail (FEST_IS_WINDOW (self));

  fest_session_restart (self->session);
  if (self->stream != NULL)
    fest_event_stream_stop (self->stream);
  _fest_window_foreach_page (self, _fest_window_pause_page, NULL);
  set_view (self, "connect");
  gtk_widget_grab_focus (GTK_WIDGET (self->connect_page));
}

void
fest_window_open_server (FestWindow *self,
                         FestClient *client,
                         const char *server_key)
{
  g_return_if_fail (FEST_IS_WINDOW (self));
  g_return_if_fail (FEST_IS_CLIENT (client));
  g_return_if_fail (server_key != NULL);

  fest_session_restart (self->session);
  set_client (self, client, server_key);
  show_loading (self, _("Signing In…"));
  fest_session_restore (self->session);
}

void
fest_window_sign_in (FestWindow *self,
                     FestClient *client,
                     const char *server_key,
                     const char *email,
                     const char *password)
{
  g_return_if_fail (FEST_IS_WINDOW (self));
  g_return_if_fail (FEST_IS_CLIENT (client));

  fest_session_restart (self->session);
  set_client (self, client, server_key);
  fest_login_page_set_email (self->login_page, email);
  fest_login_page_set_password (self->login_page, password);
  set_view (self, "login");
  gtk_widget_activate_action (GTK_WIDGET (self->login_page), "login.sign-in", NULL);
}

void
fest_window_sign_out (FestWindow *self)
{
  g_return_if_fail (FEST_IS_WINDOW (self));

  fest_session_sign_out (self->session);
  show_login (self, NULL);
}

gboolean
fest_window_show_page (FestWindow *self,
                       const char *name)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), FALSE);

  const FestWindowPageInfo *info = _fest_window_find_page_info (name);

  if (info == NULL || !_fest_window_page_available (self, info) || self->pages_client == NULL)
    return FALSE;

  _fest_window_select_page (self, name, TRUE);
  return TRUE;
}

JsonObject *
fest_window_get_festival (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return fest_session_get_festival (self->session);
}

GtkWidget *
fest_window_get_dashboard (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return gtk_stack_get_child_by_name (self->content_stack, "dashboard");
}

GtkWidget *
fest_window_get_login_page (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->login_page);
}

GtkWidget *
fest_window_get_connect_page (FestWindow *self)
{
  g_return_val_if_fail (FEST_IS_WINDOW (self), NULL);

  return GTK_WIDGET (self->connect_page);
}

void
fest_window_add_toast (FestWindow *self,
                       const char *message)
{
  g_return_if_fail (FEST_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}
