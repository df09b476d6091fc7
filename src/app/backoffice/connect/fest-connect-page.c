/* fest-connect-page.c: first run: connect to a server, or run a festival on this computer
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-connect-page.h"

#define MIN_PASSWORD_LENGTH 8

struct _FestConnectPage
{
  GtkWidget            parent_instance;

  GtkStack            *stack;
  GtkButton           *remote_button;
  AdwEntryRow         *url_row;
  GtkLabel            *remote_error_label;
  GtkStack            *remote_button_stack;
  GtkSpinner          *remote_spinner;
  AdwEntryRow         *local_name_row;
  AdwEntryRow         *local_email_row;
  AdwPasswordEntryRow *local_password_row;
  AdwPasswordEntryRow *local_confirm_row;
  GtkLabel            *local_password_rule_label;
  GtkLabel            *local_error_label;
  GtkStack            *local_button_stack;
  GtkSpinner          *local_spinner;

  GCancellable        *cancellable;
  FestClient          *probe;
  FestLocalServer     *local_server;
  char                *name;
  char                *email;
  char                *password;
  gboolean             busy;
};

G_DEFINE_FINAL_TYPE (FestConnectPage, fest_connect_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SERVER_CONNECTED,
  SIGNAL_LOCAL_STARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (FestConnectPage *self)
{
  const char *url = gtk_editable_get_text (GTK_EDITABLE (self->url_row));
  const char *name = gtk_editable_get_text (GTK_EDITABLE (self->local_name_row));
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->local_email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->local_password_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.connect",
                                 !self->busy && url[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.create-local",
                                 !self->busy && name[0] != '\0' && email[0] != '\0'
                                 && password[0] != '\0');
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "connect.back", !self->busy);
}

static void
set_busy (FestConnectPage *self,
          gboolean         busy)
{
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->remote_button_stack, busy ? "spinner" : "label");
  gtk_stack_set_visible_child_name (self->local_button_stack, busy ? "spinner" : "label");
  if (busy)
    {
      gtk_spinner_start (self->remote_spinner);
      gtk_spinner_start (self->local_spinner);
    }
  else
    {
      gtk_spinner_stop (self->remote_spinner);
      gtk_spinner_stop (self->local_spinner);
    }
  gtk_editable_set_editable (GTK_EDITABLE (self->url_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->local_name_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->local_email_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->local_password_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->local_confirm_row), !busy);
  update_actions (self);
}

static void
show_error (GtkLabel   *label,
            const char *message)
{
  gtk_label_set_text (label, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (label), message != NULL);
}

static char *
password_rule_text (void)
{
  return g_strdup_printf (_("The password needs at least %d characters"), MIN_PASSWORD_LENGTH);
}

/* The rule is shown from the start; a password typed but too short marks the row and the rule
 * (an empty field is not an error yet). */
static void
update_password_rule (FestConnectPage *self)
{
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->local_password_row));
  gboolean too_short = password[0] != '\0' && g_utf8_strlen (password, -1) < MIN_PASSWORD_LENGTH;

  if (too_short)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->local_password_row), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->local_password_rule_label), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->local_password_rule_label), "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->local_password_row), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (self->local_password_rule_label), "error");
      gtk_widget_add_css_class (GTK_WIDGET (self->local_password_rule_label), "dim-label");
    }
  gtk_accessible_update_state (GTK_ACCESSIBLE (self->local_password_row),
                               GTK_ACCESSIBLE_STATE_INVALID,
                               too_short ? GTK_ACCESSIBLE_INVALID_TRUE : GTK_ACCESSIBLE_INVALID_FALSE,
                               -1);
}

static void
health_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FestConnectPage) self = user_data;
  g_autoptr(FestClient) probe = g_object_ref (FEST_CLIENT (source));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *status = NULL;

  node = fest_client_request_finish (probe, result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);
  g_clear_object (&self->probe);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    status = json_object_get_string_member_with_default (json_node_get_object (node), "status",
                                                          NULL);

  if (error != NULL)
    {
      g_autofree char *message = NULL;

      /* Anything that answers HTTP but not with our envelope is someone else's server. */
      if (error->domain == FEST_ERROR)
        message = g_strdup (_("This is not a Festivals server"));
      else
        message = fest_client_describe_error (error);
      show_error (self->remote_error_label, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
      return;
    }

  if (g_strcmp0 (status, "ok") != 0)
    {
      show_error (self->remote_error_label, _("This is not a Festivals server"));
      return;
    }

  g_signal_emit (self, signals[SIGNAL_SERVER_CONNECTED], 0, probe);
}

static void
finish_local (FestConnectPage *self,
              FestLocalServer *server)
{
  g_autofree char *email = g_steal_pointer (&self->email);
  g_autofree char *password = g_steal_pointer (&self->password);

  g_clear_pointer (&self->name, g_free);
  g_clear_object (&self->probe);
  set_busy (self, FALSE);
  g_clear_object (&self->local_server);
  g_signal_emit (self, signals[SIGNAL_LOCAL_STARTED], 0, server, email, password);
  if (password != NULL)
    memset (password, 0, strlen (password));
}

static void
name_set_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestConnectPage) self = user_data;
  g_autoptr(FestLocalServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* The account works without its name (it keeps the email's first part): go on. */
  if (node == NULL)
    g_warning ("Could not name the first account: %s", error->message);

  /* This token was only for naming the account: the window signs in with its own. */
  fest_client_request_async (FEST_CLIENT (source), "POST", "/auth/logout", NULL, NULL, NULL, NULL,
                             NULL);
  server = g_object_ref (self->local_server);
  finish_local (self, server);
}

static void
name_login_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FestConnectPage) self = user_data;
  g_autoptr(FestLocalServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  const char *token = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    token = json_object_get_string_member_with_default (json_node_get_object (node), "token",
                                                        NULL);
  if (token == NULL)
    {
      g_warning ("Could not sign in to name the first account: %s",
                 error != NULL ? error->message : "no token");
      server = g_object_ref (self->local_server);
      finish_local (self, server);
      return;
    }

  fest_client_set_token (FEST_CLIENT (source), token);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, self->name);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  fest_client_request_async (FEST_CLIENT (source), "PATCH", "/me", body, NULL, self->cancellable,
                             name_set_cb, g_object_ref (self));
}

static void
local_start_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FestConnectPage) self = user_data;
  g_autoptr(FestLocalServer) server = g_object_ref (FEST_LOCAL_SERVER (source));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (!fest_local_server_start_finish (server, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      g_clear_object (&self->local_server);
      show_error (self->local_error_label, error->message);
      gtk_stack_set_visible_child_name (self->stack, "local");
      return;
    }

  if (self->name == NULL || self->email == NULL || self->password == NULL)
    {
      finish_local (self, server);
      return;
    }

  /* --create-superadmin knows only the email: name the account through the API it now serves. */
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, self->email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, self->password);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  g_clear_object (&self->probe);
  self->probe = fest_client_new (fest_local_server_get_base_url (server));
  fest_client_request_async (self->probe, "POST", "/auth/login", body, NULL, self->cancellable,
                             name_login_cb, g_object_ref (self));
}

static void
superadmin_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(FestConnectPage) self = user_data;
  FestLocalServer *server = FEST_LOCAL_SERVER (source);
  g_autoptr(GError) error = NULL;

  if (!fest_local_server_create_superadmin_finish (server, result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      g_clear_object (&self->local_server);
      show_error (self->local_error_label, error->message);
      return;
    }

  fest_local_server_start_async (server, FALSE, NULL, self->cancellable, local_start_cb,
                                 g_object_ref (self));
}

static gboolean
local_data_exists (const char *data_dir)
{
  g_autofree char *platform = g_build_filename (data_dir, "platform.db", NULL);

  return g_file_test (platform, G_FILE_TEST_EXISTS);
}

static void
show_remote_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);

  gtk_stack_set_visible_child_name (self->stack, "remote");
  gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
}

static void
show_local_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);
  g_autofree char *data_dir = fest_local_server_default_data_dir ();

  if (self->busy)
    return;

  /* A festival already lives on this computer: start it, the user signs in. */
  if (local_data_exists (data_dir))
    {
      set_busy (self, TRUE);
      gtk_stack_set_visible_child_name (self->stack, "local");
      show_error (self->local_error_label, NULL);
      self->local_server = fest_local_server_new (data_dir);
      fest_local_server_start_async (self->local_server, FALSE, NULL, self->cancellable,
                                     local_start_cb, g_object_ref (self));
      return;
    }

  gtk_stack_set_visible_child_name (self->stack, "local");
  gtk_widget_grab_focus (GTK_WIDGET (self->local_name_row));
}

static void
back_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);

  show_error (self->remote_error_label, NULL);
  show_error (self->local_error_label, NULL);
  gtk_stack_set_visible_child_name (self->stack, "welcome");
  gtk_widget_grab_focus (GTK_WIDGET (self->remote_button));
}

static void
connect_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);
  g_autofree char *url = NULL;

  if (self->busy)
    return;

  url = fest_connect_page_normalize_url (gtk_editable_get_text (GTK_EDITABLE (self->url_row)));
  if (url == NULL)
    {
      show_error (self->remote_error_label,
                  _("Enter an address such as https://festival.example.org"));
      return;
    }

  show_error (self->remote_error_label, NULL);
  set_busy (self, TRUE);
  g_clear_object (&self->probe);
  self->probe = fest_client_new (url);
  fest_client_request_async (self->probe, "GET", "/health", NULL, NULL, self->cancellable,
                             health_cb, g_object_ref (self));
}

static void
create_local_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);
  g_autofree char *name = NULL;
  g_autofree char *email = NULL;
  g_autofree char *data_dir = NULL;
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->local_password_row));
  const char *confirm = gtk_editable_get_text (GTK_EDITABLE (self->local_confirm_row));

  if (self->busy)
    return;

  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->local_name_row))));
  if (name[0] == '\0')
    {
      show_error (self->local_error_label, _("Enter your name"));
      return;
    }
  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->local_email_row))));
  if (strchr (email, '@') == NULL || email[0] == '@')
    {
      show_error (self->local_error_label, _("Enter a valid email address"));
      return;
    }
  if (g_utf8_strlen (password, -1) < MIN_PASSWORD_LENGTH)
    {
      g_autofree char *message = password_rule_text ();

      show_error (self->local_error_label, message);
      return;
    }
  if (g_strcmp0 (password, confirm) != 0)
    {
      show_error (self->local_error_label, _("The passwords do not match"));
      return;
    }

  show_error (self->local_error_label, NULL);
  set_busy (self, TRUE);

  g_free (self->name);
  self->name = g_steal_pointer (&name);
  g_free (self->email);
  self->email = g_steal_pointer (&email);
  g_free (self->password);
  self->password = g_strdup (password);

  data_dir = fest_local_server_default_data_dir ();
  g_clear_object (&self->local_server);
  self->local_server = fest_local_server_new (data_dir);
  fest_local_server_create_superadmin_async (self->local_server, self->email, self->password,
                                             self->cancellable, superadmin_cb,
                                             g_object_ref (self));
}

static void
url_activated_cb (FestConnectPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.connect", NULL);
}

static void
local_name_activated_cb (FestConnectPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->local_email_row));
}

static void
local_email_activated_cb (FestConnectPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->local_password_row));
}

static void
local_password_activated_cb (FestConnectPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->local_confirm_row));
}

static void
confirm_activated_cb (FestConnectPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "connect.create-local", NULL);
}

static void
changed_cb (FestConnectPage *self)
{
  update_actions (self);
  update_password_rule (self);
}

static void
fest_connect_page_dispose (GObject *object)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->probe);
  if (self->local_server != NULL)
    fest_local_server_stop (self->local_server);
  g_clear_object (&self->local_server);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_CONNECT_PAGE);
  /* The template's root has no id: unparent whatever is left. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (fest_connect_page_parent_class)->dispose (object);
}

static void
fest_connect_page_finalize (GObject *object)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->email, g_free);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_clear_pointer (&self->password, g_free);

  G_OBJECT_CLASS (fest_connect_page_parent_class)->finalize (object);
}

static gboolean
fest_connect_page_grab_focus (GtkWidget *widget)
{
  FestConnectPage *self = FEST_CONNECT_PAGE (widget);
  const char *view = gtk_stack_get_visible_child_name (self->stack);

  if (g_strcmp0 (view, "remote") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->url_row));
  if (g_strcmp0 (view, "local") == 0)
    return gtk_widget_grab_focus (GTK_WIDGET (self->local_name_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->remote_button));
}

static void
fest_connect_page_class_init (FestConnectPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  widget_class->grab_focus = fest_connect_page_grab_focus;
  object_class->dispose = fest_connect_page_dispose;
  object_class->finalize = fest_connect_page_finalize;

  signals[SIGNAL_SERVER_CONNECTED] =
    g_signal_new ("server-connected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 1, FEST_TYPE_CLIENT);
  signals[SIGNAL_LOCAL_STARTED] =
    g_signal_new ("local-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 3, FEST_TYPE_LOCAL_SERVER, G_TYPE_STRING, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/connect/fest-connect-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, remote_button);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, url_row);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, remote_error_label);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, remote_button_stack);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, remote_spinner);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_name_row);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_email_row);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_password_row);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_confirm_row);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_password_rule_label);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_error_label);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_button_stack);
  gtk_widget_class_bind_template_child (widget_class, FestConnectPage, local_spinner);
  gtk_widget_class_bind_template_callback (widget_class, url_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, confirm_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_name_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_email_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, local_password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, changed_cb);

  gtk_widget_class_install_action (widget_class, "connect.show-remote", NULL, show_remote_action);
  gtk_widget_class_install_action (widget_class, "connect.show-local", NULL, show_local_action);
  gtk_widget_class_install_action (widget_class, "connect.back", NULL, back_action);
  gtk_widget_class_install_action (widget_class, "connect.connect", NULL, connect_action);
  gtk_widget_class_install_action (widget_class, "connect.create-local", NULL,
                                   create_local_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "connect.back", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_connect_page_init (FestConnectPage *self)
{
  g_autofree char *rule = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  rule = password_rule_text ();
  gtk_label_set_text (self->local_password_rule_label, rule);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->local_password_row),
                                  GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->local_password_rule_label, NULL, -1);
  update_actions (self);
}

GtkWidget *
fest_connect_page_new (void)
{
  return g_object_new (FEST_TYPE_CONNECT_PAGE, NULL);
}

const char *
fest_connect_page_get_view (FestConnectPage *self)
{
  g_return_val_if_fail (FEST_IS_CONNECT_PAGE (self), NULL);

  return gtk_stack_get_visible_child_name (self->stack);
}

void
fest_connect_page_set_url (FestConnectPage *self,
                           const char      *url)
{
  g_return_if_fail (FEST_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->url_row), url != NULL ? url : "");
}

void
fest_connect_page_set_account (FestConnectPage *self,
                               const char      *email,
                               const char      *password)
{
  g_return_if_fail (FEST_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->local_email_row), email != NULL ? email : "");
  gtk_editable_set_text (GTK_EDITABLE (self->local_password_row), password != NULL ? password : "");
  gtk_editable_set_text (GTK_EDITABLE (self->local_confirm_row), password != NULL ? password : "");
}

void
fest_connect_page_set_name (FestConnectPage *self,
                            const char      *name)
{
  g_return_if_fail (FEST_IS_CONNECT_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->local_name_row), name != NULL ? name : "");
}

const char *
fest_connect_page_get_password_rule (FestConnectPage *self)
{
  g_return_val_if_fail (FEST_IS_CONNECT_PAGE (self), NULL);

  return gtk_label_get_text (self->local_password_rule_label);
}

const char *
fest_connect_page_get_error (FestConnectPage *self)
{
  const char *view;
  GtkLabel *label;

  g_return_val_if_fail (FEST_IS_CONNECT_PAGE (self), NULL);

  view = gtk_stack_get_visible_child_name (self->stack);
  if (g_strcmp0 (view, "remote") == 0)
    label = self->remote_error_label;
  else if (g_strcmp0 (view, "local") == 0)
    label = self->local_error_label;
  else
    return NULL;

  return gtk_widget_get_visible (GTK_WIDGET (label)) ? gtk_label_get_text (label) : NULL;
}

gboolean
fest_connect_page_get_busy (FestConnectPage *self)
{
  g_return_val_if_fail (FEST_IS_CONNECT_PAGE (self), FALSE);

  return self->busy;
}

char *
fest_connect_page_normalize_url (const char *text)
{
  g_autofree char *trimmed = NULL;
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  gsize length;

  if (text == NULL)
    return NULL;

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    return NULL;

  /* Without a scheme, a festival LAN server is most likely plain HTTP on an address and port;
   * anything that looks like a public name gets HTTPS. */
  if (strstr (trimmed, "://") == NULL)
    {
      gboolean looks_local = g_hostname_is_ip_address (trimmed) || strchr (trimmed, ':') != NULL
                             || g_str_has_prefix (trimmed, "localhost");

      with_scheme = g_strconcat (looks_local ? "http://" : "https://", trimmed, NULL);
    }
  else
    with_scheme = g_strdup (trimmed);

  uri = g_uri_parse (with_scheme, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;

  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  length = strlen (with_scheme);
  while (length > 0 && with_scheme[length - 1] == '/')
    with_scheme[--length] = '\0';
  /* The user may paste the API's address. */
  if (g_str_has_suffix (with_scheme, "/api/v1"))
    with_scheme[length - strlen ("/api/v1")] = '\0';

  return g_steal_pointer (&with_scheme);
}
