/* fest-new-festival-dialog.c: the New Festival dialog (POST /festivals)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-festival-form.h"
#include "fest-new-festival-dialog.h"

struct _FestNewFestivalDialog
{
  AdwWindow         parent_instance;

  GtkWidget        *create_button;
  FestFestivalForm *form;
  GtkLabel         *error_label;

  FestClient       *client;
  gboolean          closed;
};

G_DEFINE_FINAL_TYPE (FestNewFestivalDialog, fest_new_festival_dialog, ADW_TYPE_WINDOW)

enum
{
  CREATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
show_error (FestNewFestivalDialog *self,
            const char            *message)
{
  gtk_label_set_text (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  gtk_widget_set_sensitive (self->create_button, TRUE);
}

static void
create_festival_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FestNewFestivalDialog) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  /* Closed meanwhile: a festival created meanwhile shows up in the list later. */
  if (self->closed)
    return;
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = error != NULL ? fest_client_describe_error (error)
                                               : g_strdup (_("Unexpected answer from the server"));

      /* On the field the server names, when it names one of the form's. */
      gtk_widget_set_sensitive (self->create_button, TRUE);
      if (!fest_festival_form_show_error (self->form, error))
        show_error (self, message);
      return;
    }

  g_signal_emit (self, signals[CREATED], 0, json_node_get_object (node));
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
create_clicked_cb (FestNewFestivalDialog *self)
{
  g_autoptr(JsonNode) body = NULL;

  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  body = fest_festival_form_build_body (self->form);
  if (body == NULL)
    return;

  gtk_widget_set_sensitive (self->create_button, FALSE);
  fest_client_request_async (self->client, "POST", "/festivals", body, NULL, NULL,
                             create_festival_cb, g_object_ref (self));
}

static void
form_submit_cb (FestNewFestivalDialog *self)
{
  gtk_widget_activate_default (self->create_button);
}

static void
fest_new_festival_dialog_dispose (GObject *object)
{
  FestNewFestivalDialog *self = FEST_NEW_FESTIVAL_DIALOG (object);

  self->closed = TRUE;
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_NEW_FESTIVAL_DIALOG);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (fest_new_festival_dialog_parent_class)->dispose (object);
}

static void
fest_new_festival_dialog_class_init (FestNewFestivalDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_new_festival_dialog_dispose;

  signals[CREATED] = g_signal_new ("created", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, JSON_TYPE_OBJECT);

  g_type_ensure (FEST_TYPE_FESTIVAL_FORM);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/festival/fest-new-festival-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FestNewFestivalDialog, create_button);
  gtk_widget_class_bind_template_child (widget_class, FestNewFestivalDialog, form);
  gtk_widget_class_bind_template_child (widget_class, FestNewFestivalDialog, error_label);
  gtk_widget_class_bind_template_callback (widget_class, create_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, form_submit_cb);

  /* Escape cancels. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fest_new_festival_dialog_init (FestNewFestivalDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fest_new_festival_dialog_new (GtkWindow  *parent,
                              FestClient *client)
{
  FestNewFestivalDialog *self;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_NEW_FESTIVAL_DIALOG, "transient-for", parent, NULL);
  self->client = g_object_ref (client);

  return GTK_WIDGET (self);
}

void
fest_new_festival_dialog_present (FestNewFestivalDialog *self)
{
  g_return_if_fail (FEST_IS_NEW_FESTIVAL_DIALOG (self));

  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->form));
}
