/* fest-qr-dialog.c: shows a QR code with its text, copyable (issued tickets, device tokens)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-qr-dialog.h"

struct _FestQrDialog
{
  AdwWindow   parent_instance;

  GtkLabel   *description_label;
  GtkStack   *image_stack;
  GtkPicture *picture;
  GtkLabel   *error_label;
  GtkLabel   *text_label;

  char       *text;
};

G_DEFINE_FINAL_TYPE (FestQrDialog, fest_qr_dialog, ADW_TYPE_WINDOW)

static void
copy_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  FestQrDialog *self = FEST_QR_DIALOG (widget);

  fest_page_copy_text (GTK_WIDGET (self->text_label), self->text);
}

static void
fest_qr_dialog_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_QR_DIALOG);

  G_OBJECT_CLASS (fest_qr_dialog_parent_class)->dispose (object);
}

static void
fest_qr_dialog_finalize (GObject *object)
{
  FestQrDialog *self = FEST_QR_DIALOG (object);

  g_free (self->text);

  G_OBJECT_CLASS (fest_qr_dialog_parent_class)->finalize (object);
}

static void
fest_qr_dialog_class_init (FestQrDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_qr_dialog_dispose;
  object_class->finalize = fest_qr_dialog_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-qr-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, FestQrDialog, description_label);
  gtk_widget_class_bind_template_child (widget_class, FestQrDialog, image_stack);
  gtk_widget_class_bind_template_child (widget_class, FestQrDialog, picture);
  gtk_widget_class_bind_template_child (widget_class, FestQrDialog, error_label);
  gtk_widget_class_bind_template_child (widget_class, FestQrDialog, text_label);

  gtk_widget_class_install_action (widget_class, "qr.copy", NULL, copy_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "qr.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fest_qr_dialog_init (FestQrDialog *self)
{
  g_autoptr(PangoAttrList) attrs = pango_attr_list_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* Codes are typed back as they are read: a long one is wrapped without the hyphen Pango adds
   * where it breaks a word (ticket codes have real hyphens; device tokens have none). */
  pango_attr_list_insert (attrs, pango_attr_insert_hyphens_new (FALSE));
  gtk_label_set_attributes (self->text_label, attrs);
  gtk_label_set_wrap_mode (self->text_label, PANGO_WRAP_WORD_CHAR);
}

FestQrDialog *
fest_qr_dialog_new (GtkWidget  *parent,
                    const char *title,
                    const char *description,
                    const char *text)
{
  FestQrDialog *self;
  g_autoptr(GdkTexture) texture = NULL;
  GtkRoot *root = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (FEST_TYPE_QR_DIALOG, "title", title, NULL);
  self->text = g_strdup (text);
  gtk_label_set_text (self->text_label, text);
  gtk_label_set_text (self->description_label, description != NULL ? description : "");
  gtk_widget_set_visible (GTK_WIDGET (self->description_label), description != NULL);

  texture = fest_page_qr_texture_new (text, 8);
  if (texture != NULL)
    fest_qr_dialog_set_texture (self, texture);
  else
    fest_qr_dialog_set_error (self, _("This text is too long for a QR code."));

  if (parent != NULL)
    root = gtk_widget_get_root (parent);
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (self), GTK_WINDOW (root));

  return self;
}

void
fest_qr_dialog_set_loading (FestQrDialog *self)
{
  g_return_if_fail (FEST_IS_QR_DIALOG (self));

  gtk_picture_set_paintable (self->picture, NULL);
  gtk_stack_set_visible_child_name (self->image_stack, "loading");
}

void
fest_qr_dialog_set_texture (FestQrDialog *self,
                            GdkTexture   *texture)
{
  g_return_if_fail (FEST_IS_QR_DIALOG (self));
  g_return_if_fail (GDK_IS_TEXTURE (texture));

  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->image_stack, "image");
}

void
fest_qr_dialog_set_error (FestQrDialog *self,
                          const char   *message)
{
  g_return_if_fail (FEST_IS_QR_DIALOG (self));

  gtk_picture_set_paintable (self->picture, NULL);
  gtk_label_set_text (self->error_label, message);
  gtk_stack_set_visible_child_name (self->image_stack, "error");
}

void
fest_qr_dialog_set_display_text (FestQrDialog *self,
                                 const char   *display)
{
  g_return_if_fail (FEST_IS_QR_DIALOG (self));
  g_return_if_fail (display != NULL);

  gtk_label_set_text (self->text_label, display);
}

const char *
fest_qr_dialog_get_text (FestQrDialog *self)
{
  g_return_val_if_fail (FEST_IS_QR_DIALOG (self), NULL);

  return self->text;
}

GdkPaintable *
fest_qr_dialog_get_paintable (FestQrDialog *self)
{
  g_return_val_if_fail (FEST_IS_QR_DIALOG (self), NULL);

  return gtk_picture_get_paintable (self->picture);
}
