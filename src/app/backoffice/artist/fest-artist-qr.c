/* fest-artist-qr.c: a guest ticket's QR code as a PNG file, and the file's suggested name
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-artist-qr.h"
#include "fest-page-util.h"

gboolean
fest_artist_qr_write_png (const char  *text,
                          GFile       *file,
                          GError     **error)
{
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  texture = fest_page_qr_texture_new (text, FEST_ARTIST_QR_PNG_SCALE);
  if (texture == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           _("This code cannot be drawn as a QR code"));
      return FALSE;
    }

  png = gdk_texture_save_to_png_bytes (texture);
  return g_file_replace_contents (file, g_bytes_get_data (png, NULL), g_bytes_get_size (png),
                                  NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL, NULL,
                                  error);
}

char *
fest_artist_qr_file_name (const char *guest_name)
{
  g_autofree char *base = g_strstrip (g_strdup (guest_name != NULL ? guest_name : ""));

  /* A name like "A/B" must not become a path; a dot first would hide the file. */
  g_strdelimit (base, "/\\:", '-');
  if (base[0] == '\0' || base[0] == '.')
    {
      g_free (base);
      base = g_strdup (_("guest"));
    }

  return g_strconcat (base, ".png", NULL);
}
