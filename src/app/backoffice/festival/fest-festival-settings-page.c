/* fest-festival-settings-page.c: the Festival Settings page (name, dates, time zone, money, site)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What was fixed at creation can be corrected here: the form is the New Festival dialog's, filled
 * from GET /festivals/{id} and sent whole with PATCH /festivals/{id}. A refusal stays on the form,
 * on the field the server names, with what the user typed.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-festival-settings-page.h"
#include "fest-page-util.h"

struct _FestFestivalSettingsPage
{
  FestPage          parent_instance;

  GtkStack         *stack;
  GtkSpinner       *spinner;
  AdwStatusPage    *error_status;
  FestFestivalForm *form;

  GCancellable     *cancellable;
  char             *festival_id;
  gboolean          busy;
  gboolean          map_client_set;
};

G_DEFINE_FINAL_TYPE (FestFestivalSettingsPage, fest_festival_settings_page, FEST_TYPE_PAGE)

static void fest_festival_settings_page_real_reload (FestPage *page);

static inline FestClient *
page_client (FestFestivalSettingsPage *self)
{
  return fest_page_get_client (FEST_PAGE (self));
}

static inline FestPageState
page_state (FestFestivalSettingsPage *self)
{
  return fest_page_get_state (FEST_PAGE (self));
}

static void
update_actions (FestFestivalSettingsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "settings.save",
                                 page_state (self) == FEST_PAGE_STATE_CONTENT && !self->busy);
}

static void
set_state (FestFestivalSettingsPage *self,
           FestPageState             state)
{
  fest_page_set_state (FEST_PAGE (self), state);
  update_actions (self);
}

static void
show_festival (FestFestivalSettingsPage *self,
               JsonObject               *festival)
{
  g_free (self->festival_id);
  self->festival_id = g_strdup (fest_page_json_string (festival, "id"));
  /* The site plan's tiles are the festival's: once, when its id is known. */
  if (!self->map_client_set)
    {
      fest_festival_form_set_client (self->form, page_client (self), self->festival_id);
      self->map_client_set = TRUE;
    }
  fest_festival_form_set_festival (self->form, festival);
}

/* Callbacks */

static void
festival_loaded_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FestFestivalSettingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) festival = fest_page_fetch_festival_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (festival != NULL && fest_page_json_string (festival, "id") == NULL)
    g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                         _("This session has no current festival"));
  if (error != NULL)
    {
      fest_page_show_error (FEST_PAGE (self), error);
      update_actions (self);
      return;
    }

  show_festival (self, festival);
  set_state (self, FEST_PAGE_STATE_CONTENT);
}

static void
festival_saved_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(FestFestivalSettingsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_client_request_finish (FEST_CLIENT (source), result, NULL,
                                                         &error);

  self->busy = FALSE;
  update_actions (self);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      if (error == NULL)
        g_set_error_literal (&error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                             _("Unexpected answer from the server"));
      /* What the user typed stays; the field the server names says what is wrong. */
      if (!fest_festival_form_show_error (self->form, error))
        fest_page_toast_error (GTK_WIDGET (self), error);
      return;
    }

  show_festival (self, json_node_get_object (node));
  fest_page_toast (GTK_WIDGET (self), _("Festival settings saved"));
  fest_page_emit_festival_changed (FEST_PAGE (self), json_node_get_object (node));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestFestivalSettingsPage *self = FEST_FESTIVAL_SETTINGS_PAGE (widget);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;

  if (self->busy || page_state (self) != FEST_PAGE_STATE_CONTENT || self->festival_id == NULL)
    return;
  body = fest_festival_form_build_body (self->form);
  if (body == NULL)
    return;

  self->busy = TRUE;
  update_actions (self);
  path = g_strdup_printf ("/festivals/%s", self->festival_id);
  /* Not the page's cancellable: a reload must not abandon a save half-way. */
  fest_client_request_async (page_client (self), "PATCH", path, body, NULL, NULL, festival_saved_cb,
                             g_object_ref (self));
}

static void
form_submit_cb (FestFestivalSettingsPage *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "settings.save", NULL);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_festival_settings_page_reload (FEST_FESTIVAL_SETTINGS_PAGE (widget));
}

/* Overrides */

static void
fest_festival_settings_page_dispose (GObject *object)
{
  FestFestivalSettingsPage *self = FEST_FESTIVAL_SETTINGS_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_FESTIVAL_SETTINGS_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fest_festival_settings_page_parent_class)->dispose (object);
}

static void
fest_festival_settings_page_finalize (GObject *object)
{
  FestFestivalSettingsPage *self = FEST_FESTIVAL_SETTINGS_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->festival_id);

  G_OBJECT_CLASS (fest_festival_settings_page_parent_class)->finalize (object);
}

static void
fest_festival_settings_page_class_init (FestFestivalSettingsPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_festival_settings_page_real_reload;
  object_class->dispose = fest_festival_settings_page_dispose;
  object_class->finalize = fest_festival_settings_page_finalize;

  g_type_ensure (FEST_TYPE_FESTIVAL_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/festival/fest-festival-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestFestivalSettingsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalSettingsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalSettingsPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalSettingsPage, form);
  gtk_widget_class_bind_template_callback (widget_class, form_submit_cb);

  gtk_widget_class_install_action (widget_class, "settings.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "settings.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "settings.save", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_festival_settings_page_init (FestFestivalSettingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);
  set_state (self, FEST_PAGE_STATE_LOADING);
}

/* Public API */

GtkWidget *
fest_festival_settings_page_new (FestClient *client)
{
  FestFestivalSettingsPage *self;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_FESTIVAL_SETTINGS_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

static void
fest_festival_settings_page_real_reload (FestPage *page)
{
  FestFestivalSettingsPage *self = FEST_FESTIVAL_SETTINGS_PAGE (page);

  /* Coming back to the page while a save is on its way: its answer fills the form. */
  if (self->busy)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (page_state (self) != FEST_PAGE_STATE_CONTENT)
    set_state (self, FEST_PAGE_STATE_LOADING);
  fest_page_fetch_festival_async (page_client (self), self->cancellable, festival_loaded_cb,
                                  g_object_ref (self));
}

void
fest_festival_settings_page_reload (FestFestivalSettingsPage *self)
{
  g_return_if_fail (FEST_IS_FESTIVAL_SETTINGS_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

const char *
fest_festival_settings_page_get_state (FestFestivalSettingsPage *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_SETTINGS_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

gboolean
fest_festival_settings_page_get_busy (FestFestivalSettingsPage *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_SETTINGS_PAGE (self), FALSE);

  return self->busy;
}

FestFestivalForm *
fest_festival_settings_page_get_form (FestFestivalSettingsPage *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_SETTINGS_PAGE (self), NULL);

  return self->form;
}
