/* fest-window.h: the back-office window, from first run and sign-in to the festival's pages
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_WINDOW (fest_window_get_type ())
G_DECLARE_FINAL_TYPE (FestWindow, fest_window, FEST, WINDOW, AdwApplicationWindow)

/* The window knows nothing of the application above it: it says what the user chose and the
 * application keeps the client and the bundled server.
 * Signals:
 *   "server-chosen" (FestClient *client): the user connected to a remote server.
 *   "local-server-started" (FestLocalServer *server, FestClient *client): the user started a
 *     festival on this computer; the owner of the app keeps @server running until quit.
 *   "server-forgotten" (): "Use another server": stop the bundled server, drop the client.
 *
 * Views of the main stack: "loading", "connect", "login", "festivals", "backoffice".
 * notify::view says when it changes. */
FestWindow *fest_window_new               (GtkApplication *application);
const char *fest_window_get_view          (FestWindow     *self);
FestClient *fest_window_get_client        (FestWindow     *self);

/* First run: the welcome page. */
void        fest_window_show_connect      (FestWindow     *self);
/* Uses @client: restores the session stored for @server_key (a stored token checked with
 * GET /me), or shows the sign-in page. @server_key names the server in the keyring (the base
 * URL, or "local" for the bundled server whose port changes). */
void        fest_window_open_server       (FestWindow     *self,
                                           FestClient     *client,
                                           const char     *server_key);
/* Signs in on @client with these credentials through the sign-in page (demo, first account). */
void        fest_window_sign_in           (FestWindow     *self,
                                           FestClient     *client,
                                           const char     *server_key,
                                           const char     *email,
                                           const char     *password);
/* POST /auth/logout, forget the stored token, back to the sign-in page. */
void        fest_window_sign_out          (FestWindow     *self);
/* Shows a back-office page: "dashboard", "stands", "tickets", "team", "audit", "settings". */
gboolean    fest_window_show_page         (FestWindow     *self,
                                           const char     *name);
/* The festival in use (borrowed JSON object), NULL before one is chosen. */
JsonObject *fest_window_get_festival      (FestWindow     *self);
GtkWidget  *fest_window_get_dashboard     (FestWindow     *self);
GtkWidget  *fest_window_get_login_page    (FestWindow     *self);
GtkWidget  *fest_window_get_connect_page  (FestWindow     *self);
void        fest_window_add_toast         (FestWindow     *self,
                                           const char     *message);

G_END_DECLS
