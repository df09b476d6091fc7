/* fest-settings.h: the app's few remembered settings, in a keyfile in the user config dir
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * g_get_user_config_dir()/festivals/settings.ini, group [connection]:
 *   mode = remote | local     (local: the bundled server in the user data dir)
 *   server-url = https://…    (remote only)
 *   festival-id = UUID        (the festival last opened)
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  FEST_SERVER_MODE_NONE,
  FEST_SERVER_MODE_REMOTE,
  FEST_SERVER_MODE_LOCAL,
} FestServerMode;

/* The remote URL through @url (transfer full, NULL unless remote). */
FestServerMode  fest_settings_get_server    (char          **url);
gboolean        fest_settings_set_server    (FestServerMode  mode,
                                             const char     *url,
                                             GError        **error);
char           *fest_settings_get_festival_id (void);
gboolean        fest_settings_set_festival_id (const char   *festival_id,
                                               GError      **error);

G_END_DECLS
