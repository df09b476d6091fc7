/* fest-qr-dialog.h: shows a QR code with its text, copyable (issued tickets, device tokens)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define FEST_TYPE_QR_DIALOG (fest_qr_dialog_get_type ())
G_DECLARE_FINAL_TYPE (FestQrDialog, fest_qr_dialog, FEST, QR_DIALOG, AdwWindow)

/* Without a texture set, the QR code is rendered locally from @text. */
FestQrDialog *fest_qr_dialog_new            (GtkWidget    *parent,
                                             const char   *title,
                                             const char   *description,
                                             const char   *text);
/* Shows a spinner until fest_qr_dialog_set_texture or fest_qr_dialog_set_error. */
void          fest_qr_dialog_set_loading    (FestQrDialog *self);
void          fest_qr_dialog_set_texture    (FestQrDialog *self,
                                             GdkTexture   *texture);
void          fest_qr_dialog_set_error      (FestQrDialog *self,
                                             const char   *message);
/* Shows @display instead of the text (e.g. grouped with spaces that input strips); the QR code
 * and Copy keep the text. */
void          fest_qr_dialog_set_display_text (FestQrDialog *self,
                                               const char   *display);
const char   *fest_qr_dialog_get_text       (FestQrDialog *self);
/* The QR image shown, or NULL while loading or in error. */
GdkPaintable *fest_qr_dialog_get_paintable  (FestQrDialog *self);

G_END_DECLS
