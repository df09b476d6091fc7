/* fest-application.c: the Festivals application: options, actions, the bundled server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "fest-application.h"
#include "fest-gst-util.h"
#include "fest-settings.h"
#include "fest-station-window.h"
#include "fest-window.h"


static const char * const station_modes[] = { "cashier", "recharge", "scanner", "security", NULL };

struct _FestApplication
{
  AdwApplication   parent_instance;

  FestClient      *client;
  FestLocalServer *local_server;
  guint            sigint_id;
  guint            sigterm_id;
};

G_DEFINE_FINAL_TYPE (FestApplication, fest_application, ADW_TYPE_APPLICATION)

typedef struct
{
  FestApplication *app;
  FestWindow      *window;
  char            *station;
  FestLocalServer *server;
} LaunchData;

static void
launch_data_free (LaunchData *data)
{
  g_clear_object (&data->app);
  g_clear_object (&data->window);
  g_clear_object (&data->server);
  g_free (data->station);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LaunchData, launch_data_free)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run the demo festival on this computer and sign in as its organiser"), NULL },
  { "station", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Open a fullscreen station: cashier, recharge, scanner or security"), N_("MODE") },
  { "server", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Connect to the Festivals server at this address"), N_("URL") },
  { NULL }
};

static FestWindow *
get_main_window (FestApplication *self)
{
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (FEST_IS_WINDOW (l->data))
      return FEST_WINDOW (l->data);

  return NULL;
}

static void
window_server_chosen_cb (FestApplication *self,
                         FestClient      *client)
{
  fest_application_set_client (self, client);
}

static void
window_local_server_started_cb (FestApplication *self,
                                FestLocalServer *server,
                                FestClient      *client)
{
  fest_application_adopt_local_server (self, server);
  fest_application_set_client (self, client);
}

static FestWindow *
ensure_main_window (FestApplication *self)
{
  FestWindow *window = get_main_window (self);

  if (window == NULL)
    {
      window = fest_window_new (GTK_APPLICATION (self));
      g_signal_connect_object (window, "server-chosen", G_CALLBACK (window_server_chosen_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (window, "local-server-started",
                               G_CALLBACK (window_local_server_started_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (window, "server-forgotten",
                               G_CALLBACK (fest_application_forget_server), self,
                               G_CONNECT_SWAPPED);
    }

  return window;
}

static gboolean
open_station (FestApplication *self,
              const char      *mode,
              const char      *organiser_token)
{
  GtkWindow *window;

  if (self->client == NULL)
    return FALSE;

  window = fest_station_window_new (GTK_APPLICATION (self), self->client, mode, organiser_token);
  if (window == NULL)
    return FALSE;
  gtk_window_present (window);
  return TRUE;
}

static gboolean
is_station_mode (const char *mode)
{
  return mode != NULL && g_strv_contains (station_modes, mode);
}

/* Restoring a session takes a few round trips on a local network: show the window once it has
 * its real content rather than drawing a spinner first, but never wait longer than a moment. */
#define PRESENT_DELAY_MS 300

static void
present_now (GtkWindow *window)
{
  if (!gtk_widget_get_visible (GTK_WIDGET (window)))
    gtk_window_present (window);
}

static void
view_changed_cb (GtkWindow  *window,
                 GParamSpec *pspec,
                 gpointer    user_data)
{
  if (g_strcmp0 (fest_window_get_view (FEST_WINDOW (window)), "loading") != 0)
    {
      g_signal_handlers_disconnect_by_func (window, view_changed_cb, user_data);
      present_now (window);
    }
}

static gboolean
present_timeout_cb (gpointer user_data)
{
  GtkWindow *window = user_data;

  g_signal_handlers_disconnect_by_func (window, view_changed_cb, NULL);
  present_now (window);
  return G_SOURCE_REMOVE;
}

static void
present_when_ready (FestWindow *window)
{
  if (g_strcmp0 (fest_window_get_view (window), "loading") != 0)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  g_signal_connect (window, "notify::view", G_CALLBACK (view_changed_cb), NULL);
  g_timeout_add_full (G_PRIORITY_DEFAULT, PRESENT_DELAY_MS, present_timeout_cb,
                      g_object_ref (window), g_object_unref);
}

/* Launch steps */

static void
demo_login_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(LaunchData) data = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *token = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    token = json_object_get_string_member_with_default (json_node_get_object (node), "token",
                                                        NULL);
  if (token == NULL)
    g_printerr ("%s: %s\n", _("Could not sign in to the demo festival"),
                error != NULL ? error->message : "no token");
  else
    open_station (data->app, data->station, token);

  g_application_release (G_APPLICATION (data->app));
}

static void
local_server_started_cb (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(LaunchData) data = user_data;
  FestLocalServer *server = FEST_LOCAL_SERVER (source);
  FestApplication *self = data->app;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestClient) client = NULL;
  gboolean demo = g_object_get_data (G_OBJECT (server), "demo") != NULL;

  if (!fest_local_server_start_finish (server, result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("The festival server could not start: %s"),
                                                  error->message);

      g_printerr ("%s\n", message);
      if (data->window != NULL)
        {
          fest_window_show_connect (data->window);
          fest_window_add_toast (data->window, message);
        }
      g_application_release (G_APPLICATION (self));
      return;
    }

  fest_application_adopt_local_server (self, server);
  client = fest_client_new (fest_local_server_get_base_url (server));
  fest_application_set_client (self, client);

  if (data->station != NULL)
    {
      if (demo)
        {
          g_autoptr(JsonBuilder) builder = json_builder_new ();
          g_autoptr(JsonNode) body = NULL;

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "email");
          json_builder_add_string_value (builder, FEST_DEMO_EMAIL);
          json_builder_set_member_name (builder, "password");
          json_builder_add_string_value (builder, FEST_DEMO_PASSWORD);
          json_builder_end_object (builder);
          body = json_builder_get_root (builder);
          fest_client_request_async (client, "POST", "/auth/login", body, NULL, NULL,
                                     demo_login_cb, g_steal_pointer (&data));
          return;
        }
      open_station (self, data->station, NULL);
    }
  else if (demo)
    fest_window_sign_in (data->window, client, "demo", FEST_DEMO_EMAIL, FEST_DEMO_PASSWORD);
  else
    fest_window_open_server (data->window, client, "local");

  g_application_release (G_APPLICATION (self));
}

static void
start_local_server (FestApplication *self,
                    gboolean         demo,
                    FestWindow      *window,
                    const char      *station)
{
  g_autofree char *data_dir = demo ? fest_local_server_demo_data_dir ()
                                   : fest_local_server_default_data_dir ();
  LaunchData *data = g_new0 (LaunchData, 1);

  data->app = g_object_ref (self);
  data->window = window != NULL ? g_object_ref (window) : NULL;
  data->station = g_strdup (station);
  data->server = fest_local_server_new (data_dir);
  if (demo)
    g_object_set_data (G_OBJECT (data->server), "demo", GINT_TO_POINTER (TRUE));

  /* Keep running while the server starts, even before any window exists. */
  g_application_hold (G_APPLICATION (self));
  fest_local_server_start_async (data->server, demo, NULL, NULL, local_server_started_cb, data);
}

/* Actions */

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  FestApplication *self = user_data;
  GList *windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_destroy (GTK_WINDOW (l->data));
  g_list_free (windows);
  g_application_quit (G_APPLICATION (self));
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  FestApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Festivals authors", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "application-name", _("Festivals"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", "The Festivals authors",
                        "developers", developers,
                        "version", PACKAGE_VERSION,
                        "comments", _("Run a festival’s bars, gates, tickets and team, online or offline."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "translator-credits", _("translator-credits"),
                        "transient-for", parent,
                        "modal", parent != NULL,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
shortcuts_action (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  FestApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window != NULL)
    gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
}

static void
sign_out_action (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  FestApplication *self = user_data;
  FestWindow *window = get_main_window (self);

  if (window != NULL)
    fest_window_sign_out (window);
}

static void
open_station_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  FestApplication *self = user_data;
  const char *mode = g_variant_get_string (parameter, NULL);
  FestWindow *window = get_main_window (self);

  if (!is_station_mode (mode))
    return;

  /* The organiser's session lets a computer that is not enrolled enroll itself. */
  if (!open_station (self, mode, self->client != NULL ? fest_client_get_token (self->client) : NULL)
      && window != NULL)
    fest_window_add_toast (window, _("The station could not be opened"));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "about", about_action },
  { "shortcuts", shortcuts_action },
  { "sign-out", sign_out_action },
  { "open-station", open_station_action, "s" },
};

static gboolean
unix_signal_cb (gpointer user_data)
{
  FestApplication *self = user_data;

  /* Quitting stops the bundled server cleanly in shutdown. */
  g_application_quit (G_APPLICATION (self));
  return G_SOURCE_CONTINUE;
}

/* Overrides */

static void
fest_application_startup (GApplication *application)
{
  FestApplication *self = FEST_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *shortcuts_accels[] = { "<Control>question", NULL };

  G_APPLICATION_CLASS (fest_application_parent_class)->startup (application);

  /* AdwApplication loads style.css from the resource base path by itself. */
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-help-overlay",
                                         shortcuts_accels);

  self->sigint_id = g_unix_signal_add (SIGINT, unix_signal_cb, self);
  self->sigterm_id = g_unix_signal_add (SIGTERM, unix_signal_cb, self);
}

static void
fest_application_shutdown (GApplication *application)
{
  FestApplication *self = FEST_APPLICATION (application);

  g_clear_handle_id (&self->sigint_id, g_source_remove);
  g_clear_handle_id (&self->sigterm_id, g_source_remove);
  if (self->local_server != NULL)
    fest_local_server_stop (self->local_server);
  /* A station's camera and sound device close once their pipelines have stopped. */
  fest_gst_flush_state_changes ();

  G_APPLICATION_CLASS (fest_application_parent_class)->shutdown (application);
}

static void
fest_application_activate (GApplication *application)
{
  FestApplication *self = FEST_APPLICATION (application);
  FestWindow *window = get_main_window (self);
  g_autofree char *url = NULL;
  FestServerMode mode;

  if (window != NULL)
    {
      gtk_window_present (GTK_WINDOW (window));
      return;
    }

  window = ensure_main_window (self);

  /* Start the session's requests first: they run while the window is realized and drawn. */
  mode = fest_settings_get_server (&url);
  if (mode == FEST_SERVER_MODE_LOCAL)
    start_local_server (self, FALSE, window, NULL);
  else if (mode == FEST_SERVER_MODE_REMOTE)
    {
      g_autoptr(FestClient) client = fest_client_new (url);

      fest_application_set_client (self, client);
      fest_window_open_server (window, client, url);
    }
  else
    fest_window_show_connect (window);

  present_when_ready (window);
}

static int
fest_application_command_line (GApplication            *application,
                               GApplicationCommandLine *command_line)
{
  FestApplication *self = FEST_APPLICATION (application);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  const char *station = NULL;
  const char *server = NULL;
  gboolean demo = FALSE;
  FestWindow *window;

  g_variant_dict_lookup (options, "demo", "b", &demo);
  g_variant_dict_lookup (options, "station", "&s", &station);
  g_variant_dict_lookup (options, "server", "&s", &server);

  if (station != NULL && !is_station_mode (station))
    {
      g_application_command_line_printerr (command_line,
                                           _("Unknown station “%s”: use cashier, recharge, scanner or security\n"),
                                           station);
      return 1;
    }

  if (demo)
    {
      if (station != NULL)
        {
          start_local_server (self, TRUE, NULL, station);
          return 0;
        }
      window = ensure_main_window (self);
      gtk_window_present (GTK_WINDOW (window));
      if (self->client != NULL && self->local_server != NULL)
        return 0;
      start_local_server (self, TRUE, window, NULL);
      return 0;
    }

  if (server != NULL)
    {
      g_autoptr(FestClient) client = fest_client_new (server);

      fest_application_set_client (self, client);
      fest_settings_set_server (FEST_SERVER_MODE_REMOTE, fest_client_get_base_url (client), NULL);
      if (station != NULL)
        {
          open_station (self, station, NULL);
          return 0;
        }
      window = ensure_main_window (self);
      gtk_window_present (GTK_WINDOW (window));
      fest_window_open_server (window, client, fest_client_get_base_url (client));
      return 0;
    }

  if (station != NULL)
    {
      g_autofree char *url = NULL;
      FestServerMode mode = fest_settings_get_server (&url);

      if (self->client != NULL)
        open_station (self, station, NULL);
      else if (mode == FEST_SERVER_MODE_LOCAL)
        start_local_server (self, FALSE, NULL, station);
      else if (mode == FEST_SERVER_MODE_REMOTE)
        {
          g_autoptr(FestClient) client = fest_client_new (url);

          fest_application_set_client (self, client);
          open_station (self, station, NULL);
        }
      else
        {
          g_application_command_line_printerr (command_line, "%s\n",
                                               _("No server is set up yet: run festivals once to connect to one, or use --server=URL"));
          return 1;
        }
      return 0;
    }

  g_application_activate (application);
  return 0;
}

static void
fest_application_dispose (GObject *object)
{
  FestApplication *self = FEST_APPLICATION (object);

  if (self->local_server != NULL)
    fest_local_server_stop (self->local_server);
  g_clear_object (&self->local_server);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (fest_application_parent_class)->dispose (object);
}

static void
fest_application_class_init (FestApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = fest_application_dispose;
  app_class->startup = fest_application_startup;
  app_class->shutdown = fest_application_shutdown;
  app_class->activate = fest_application_activate;
  app_class->command_line = fest_application_command_line;
}

static void
fest_application_init (FestApplication *self)
{
  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Run a festival: back office and stations"));
}

void
fest_application_init_i18n (void)
{
  const char *localedir = g_getenv ("FESTIVALS_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && localedir[0] != '\0' ? localedir
                                                                            : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
}

FestApplication *
fest_application_new (void)
{
  return g_object_new (FEST_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       "resource-base-path", "/app/festivals/Festivals",
                       NULL);
}

FestClient *
fest_application_get_client (FestApplication *self)
{
  g_return_val_if_fail (FEST_IS_APPLICATION (self), NULL);

  return self->client;
}

void
fest_application_set_client (FestApplication *self,
                             FestClient      *client)
{
  g_return_if_fail (FEST_IS_APPLICATION (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  g_set_object (&self->client, client);
}

void
fest_application_adopt_local_server (FestApplication *self,
                                     FestLocalServer *server)
{
  g_return_if_fail (FEST_IS_APPLICATION (self));
  g_return_if_fail (FEST_IS_LOCAL_SERVER (server));

  if (self->local_server == server)
    return;

  if (self->local_server != NULL)
    fest_local_server_stop (self->local_server);
  g_set_object (&self->local_server, server);
}

FestLocalServer *
fest_application_get_local_server (FestApplication *self)
{
  g_return_val_if_fail (FEST_IS_APPLICATION (self), NULL);

  return self->local_server;
}

void
fest_application_forget_server (FestApplication *self)
{
  g_return_if_fail (FEST_IS_APPLICATION (self));

  if (self->local_server != NULL)
    fest_local_server_stop (self->local_server);
  g_clear_object (&self->local_server);
  g_clear_object (&self->client);
}
