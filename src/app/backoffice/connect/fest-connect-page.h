/* fest-connect-page.h: first run: connect to a server, or run a festival on this computer
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-local-server.h"

G_BEGIN_DECLS

#define FEST_TYPE_CONNECT_PAGE (fest_connect_page_get_type ())
G_DECLARE_FINAL_TYPE (FestConnectPage, fest_connect_page, FEST, CONNECT_PAGE, GtkWidget)

/* Signals:
 *   "server-connected" (FestClient *client): a reachable Festivals server answered /health.
 *   "local-started" (FestLocalServer *server, const char *email, const char *password): the
 *     bundled server runs; @email and @password are the account just created (already named with
 *     the name typed, through PATCH /me), or NULL when the server's data already existed (then
 *     the user signs in).
 * Actions: connect.show-remote, connect.show-local, connect.back, connect.connect,
 * connect.create-local. */
GtkWidget  *fest_connect_page_new        (void);
/* "welcome", "remote" or "local". */
const char *fest_connect_page_get_view   (FestConnectPage *self);
void        fest_connect_page_set_url    (FestConnectPage *self,
                                          const char      *url);
void        fest_connect_page_set_account (FestConnectPage *self,
                                           const char      *email,
                                           const char      *password);
/* The first account's name ("local" view). */
void        fest_connect_page_set_name   (FestConnectPage *self,
                                          const char      *name);
/* The password rule shown under the first account's password from the start. */
const char *fest_connect_page_get_password_rule (FestConnectPage *self);
/* The inline error of the current view, NULL when none. */
const char *fest_connect_page_get_error  (FestConnectPage *self);
gboolean    fest_connect_page_get_busy   (FestConnectPage *self);
/* "https://host" for "host", without trailing slashes (transfer full); NULL if not a URL. */
char       *fest_connect_page_normalize_url (const char   *text);

G_END_DECLS
