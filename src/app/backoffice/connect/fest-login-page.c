/* fest-login-page.c: sign-in with email and password
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-login-page.h"

struct _FestLoginPage
{
  GtkWidget           parent_instance;

  GtkLabel           *server_label;
  AdwEntryRow        *email_row;
  AdwPasswordEntryRow *password_row;
  GtkLabel           *error_label;
  GtkButton          *sign_in_button;
  GtkStack           *button_stack;
  GtkSpinner         *spinner;

  FestClient         *client;
  GCancellable       *cancellable;
  gboolean            busy;
};

G_DEFINE_FINAL_TYPE (FestLoginPage, fest_login_page, GTK_TYPE_WIDGET)

enum
{
  SIGNAL_SIGNED_IN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
update_actions (FestLoginPage *self)
{
  const char *email = gtk_editable_get_text (GTK_EDITABLE (self->email_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "login.sign-in",
                                 !self->busy && self->client != NULL
                                 && email[0] != '\0' && password[0] != '\0');
}

static void
set_busy (FestLoginPage *self,
          gboolean       busy)
{
  self->busy = busy;
  gtk_stack_set_visible_child_name (self->button_stack, busy ? "spinner" : "label");
  if (busy)
    gtk_spinner_start (self->spinner);
  else
    gtk_spinner_stop (self->spinner);
  gtk_editable_set_editable (GTK_EDITABLE (self->email_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  update_actions (self);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FestLoginPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  const char *token = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  set_busy (self, FALSE);

  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    token = json_object_get_string_member_with_default (json_node_get_object (node), "token", NULL);

  if (token == NULL)
    {
      g_autofree char *message = NULL;

      if (error == NULL)
        message = g_strdup (_("The server’s answer is missing the sign-in token"));
      else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
        message = g_strdup (_("Wrong email or password"));
      else if (g_error_matches (error, FEST_ERROR, FEST_ERROR_RATE_LIMITED))
        message = g_strdup (_("Too many attempts. Wait a minute and try again."));
      else
        message = fest_client_describe_error (error);

      fest_login_page_show_error (self, message);
      gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
      return;
    }

  fest_client_set_token (self->client, token);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  g_signal_emit (self, signals[SIGNAL_SIGNED_IN], 0, node);
}

static void
sign_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  FestLoginPage *self = FEST_LOGIN_PAGE (widget);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *email = NULL;

  if (self->busy || self->client == NULL)
    return;

  email = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->email_row))));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_busy (self, TRUE);

  /* A token from an earlier session must not go with the login request. */
  fest_client_set_token (self->client, NULL);
  fest_client_request_async (self->client, "POST", "/auth/login", body, NULL, self->cancellable,
                             login_cb, g_object_ref (self));
}

static void
email_activated_cb (FestLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
password_activated_cb (FestLoginPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "login.sign-in", NULL);
}

static void
entry_changed_cb (FestLoginPage *self)
{
  update_actions (self);
}

static void
fest_login_page_dispose (GObject *object)
{
  FestLoginPage *self = FEST_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_LOGIN_PAGE);
  /* The template's root has no id: unparent whatever is left. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (fest_login_page_parent_class)->dispose (object);
}

static void
fest_login_page_finalize (GObject *object)
{
  FestLoginPage *self = FEST_LOGIN_PAGE (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (fest_login_page_parent_class)->finalize (object);
}

static gboolean
fest_login_page_grab_focus (GtkWidget *widget)
{
  FestLoginPage *self = FEST_LOGIN_PAGE (widget);

  if (gtk_editable_get_text (GTK_EDITABLE (self->email_row))[0] == '\0')
    return gtk_widget_grab_focus (GTK_WIDGET (self->email_row));

  return gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
fest_login_page_class_init (FestLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_login_page_dispose;
  object_class->finalize = fest_login_page_finalize;
  widget_class->grab_focus = fest_login_page_grab_focus;

  signals[SIGNAL_SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, JSON_TYPE_NODE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/connect/fest-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, server_label);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, email_row);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, button_stack);
  gtk_widget_class_bind_template_child (widget_class, FestLoginPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, email_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, password_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);

  gtk_widget_class_install_action (widget_class, "login.sign-in", NULL, sign_in_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_login_page_init (FestLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  update_actions (self);
}

GtkWidget *
fest_login_page_new (FestClient *client)
{
  FestLoginPage *self = g_object_new (FEST_TYPE_LOGIN_PAGE, NULL);

  fest_login_page_set_client (self, client);
  return GTK_WIDGET (self);
}

void
fest_login_page_set_client (FestLoginPage *self,
                            FestClient    *client)
{
  g_return_if_fail (FEST_IS_LOGIN_PAGE (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  if (self->busy)
    set_busy (self, FALSE);

  g_set_object (&self->client, client);
  if (client != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("to %s"), fest_client_get_base_url (client));

      gtk_label_set_text (self->server_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_actions (self);
}

void
fest_login_page_set_email (FestLoginPage *self,
                           const char    *email)
{
  g_return_if_fail (FEST_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->email_row), email != NULL ? email : "");
}

void
fest_login_page_set_password (FestLoginPage *self,
                              const char    *password)
{
  g_return_if_fail (FEST_IS_LOGIN_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password != NULL ? password : "");
}

const char *
fest_login_page_get_error (FestLoginPage *self)
{
  g_return_val_if_fail (FEST_IS_LOGIN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;

  return gtk_label_get_text (self->error_label);
}

gboolean
fest_login_page_get_busy (FestLoginPage *self)
{
  g_return_val_if_fail (FEST_IS_LOGIN_PAGE (self), FALSE);

  return self->busy;
}

void
fest_login_page_show_error (FestLoginPage *self,
                            const char    *message)
{
  g_return_if_fail (FEST_IS_LOGIN_PAGE (self));

  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}
