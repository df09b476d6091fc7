/* fest-settings.c: the app's few remembered settings, in a keyfile in the user config dir
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>

#include "fest-settings.h"

#define GROUP "connection"

static char *
settings_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "festivals", "settings.ini", NULL);
}

static GKeyFile *
load_settings (void)
{
  g_autofree char *path = settings_path ();
  GKeyFile *key_file = g_key_file_new ();

  /* Missing or unreadable: start from nothing, as on a first run. */
  g_key_file_load_from_file (key_file, path, G_KEY_FILE_KEEP_COMMENTS, NULL);
  return key_file;
}

static gboolean
save_settings (GKeyFile  *key_file,
               GError   **error)
{
  g_autofree char *path = settings_path ();
  g_autofree char *dir = g_path_get_dirname (path);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), "%s: %s", dir,
                   g_strerror (saved_errno));
      return FALSE;
    }

  return g_key_file_save_to_file (key_file, path, error);
}

FestServerMode
fest_settings_get_server (char **url)
{
  g_autoptr(GKeyFile) key_file = load_settings ();
  g_autofree char *mode = g_key_file_get_string (key_file, GROUP, "mode", NULL);
  g_autofree char *server_url = g_key_file_get_string (key_file, GROUP, "server-url", NULL);

  if (url != NULL)
    *url = NULL;

  if (g_strcmp0 (mode, "local") == 0)
    return FEST_SERVER_MODE_LOCAL;

  if (g_strcmp0 (mode, "remote") == 0 && server_url != NULL && server_url[0] != '\0')
    {
      if (url != NULL)
        *url = g_steal_pointer (&server_url);
      return FEST_SERVER_MODE_REMOTE;
    }

  return FEST_SERVER_MODE_NONE;
}

gboolean
fest_settings_set_server (FestServerMode   mode,
                          const char      *url,
                          GError         **error)
{
  g_autoptr(GKeyFile) key_file = load_settings ();

  switch (mode)
    {
    case FEST_SERVER_MODE_LOCAL:
      g_key_file_set_string (key_file, GROUP, "mode", "local");
      g_key_file_remove_key (key_file, GROUP, "server-url", NULL);
      break;
    case FEST_SERVER_MODE_REMOTE:
      g_return_val_if_fail (url != NULL, FALSE);
      g_key_file_set_string (key_file, GROUP, "mode", "remote");
      g_key_file_set_string (key_file, GROUP, "server-url", url);
      break;
    case FEST_SERVER_MODE_NONE:
    default:
      g_key_file_remove_key (key_file, GROUP, "mode", NULL);
      g_key_file_remove_key (key_file, GROUP, "server-url", NULL);
      break;
    }
  g_key_file_remove_key (key_file, GROUP, "festival-id", NULL);

  return save_settings (key_file, error);
}

char *
fest_settings_get_festival_id (void)
{
  g_autoptr(GKeyFile) key_file = load_settings ();

  return g_key_file_get_string (key_file, GROUP, "festival-id", NULL);
}

gboolean
fest_settings_set_festival_id (const char  *festival_id,
                               GError     **error)
{
  g_autoptr(GKeyFile) key_file = load_settings ();

  if (festival_id != NULL)
    g_key_file_set_string (key_file, GROUP, "festival-id", festival_id);
  else
    g_key_file_remove_key (key_file, GROUP, "festival-id", NULL);

  return save_settings (key_file, error);
}
