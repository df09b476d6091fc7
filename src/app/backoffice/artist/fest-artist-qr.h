/* fest-artist-qr.h: a guest ticket's QR code as a PNG file, and the file's suggested name
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Pixels per QR module in the exported PNG: large enough to print on a badge. */
#define FEST_ARTIST_QR_PNG_SCALE 8

/* Writes the QR code of @text (libqrencode, ECC level M, 4-module quiet zone,
 * FEST_ARTIST_QR_PNG_SCALE pixels per module, black on white) to @file as a PNG, replacing it. */
gboolean  fest_artist_qr_write_png (const char  *text,
                                    GFile       *file,
                                    GError     **error);
/* "<guest name>.png", with the characters a file name cannot hold replaced (transfer full). */
char     *fest_artist_qr_file_name (const char  *guest_name);

G_END_DECLS
