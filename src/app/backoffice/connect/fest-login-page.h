/* fest-login-page.h: sign-in with email and password
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"

G_BEGIN_DECLS

#define FEST_TYPE_LOGIN_PAGE (fest_login_page_get_type ())
G_DECLARE_FINAL_TYPE (FestLoginPage, fest_login_page, FEST, LOGIN_PAGE, GtkWidget)

/* Signal "signed-in" (JsonNode *login): the data of POST /auth/login, {token, expires_at, user,
 * festivals}; the client already carries the token. Action "login.sign-in". */
GtkWidget  *fest_login_page_new           (FestClient    *client);
void        fest_login_page_set_client    (FestLoginPage *self,
                                           FestClient    *client);
void        fest_login_page_set_email     (FestLoginPage *self,
                                           const char    *email);
void        fest_login_page_set_password  (FestLoginPage *self,
                                           const char    *password);
/* The inline error, NULL when none is shown. */
const char *fest_login_page_get_error     (FestLoginPage *self);
gboolean    fest_login_page_get_busy      (FestLoginPage *self);
/* Shows an error without a request (e.g. "Your session expired"). */
void        fest_login_page_show_error    (FestLoginPage *self,
                                           const char    *message);

G_END_DECLS
