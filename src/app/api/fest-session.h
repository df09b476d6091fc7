/* fest-session.h: who is signed in where, and the festival in use: session restore, the stored
 * token, the user's festivals and the switch between them. No GTK.
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-role.h"

G_BEGIN_DECLS

#define FEST_TYPE_SESSION (fest_session_get_type ())
G_DECLARE_FINAL_TYPE (FestSession, fest_session, FEST, SESSION, GObject)

/* The steps of a session say what the window shows next, through signals:
 *   "loading" (const char *title): a request that takes a moment is on its way.
 *   "sign-in-needed" (const char *message): no usable token; @message (nullable) says why.
 *   "festivals-ready" (): the user's festivals are known (fest_session_get_festivals): choose
 *     one (fest_session_pick_festival) or let the user choose.
 *   "festival-ready" (JsonObject *festival): the token is bound to @festival, now the current
 *     one (fest_session_get_festival).
 *   "festivals-changed" (): the list was refreshed in the background.
 *   "switch-failed" (const char *message): switching festival failed; nothing changed.
 *   "notice" (const char *message): about the stored sign-in (@message nullable: none, but the
 *     keyring's state may have changed, see fest_secrets_is_fallback()). */
FestSession *fest_session_new                (void);

FestClient  *fest_session_get_client         (FestSession *self);
/* Uses @client from now on; @server_key (nullable: keep the current one) names the server in the
 * keyring (the base URL, or "local" for the bundled server whose port changes). */
void         fest_session_set_client         (FestSession *self,
                                              FestClient  *client,
                                              const char  *server_key);
/* Cancels the requests of the current step (a new step starts). */
void         fest_session_restart            (FestSession *self);

/* Restores the session stored for the server: the stored token checked with GET /me, then the
 * festival it is bound to or the user's festivals; or "sign-in-needed". */
void         fest_session_restore            (FestSession *self);
/* The data of POST /auth/login (the client already carries its token): stores the token, then
 * "festivals-ready" (or "loading" and GET /festivals first). */
void         fest_session_signed_in          (FestSession *self,
                                              JsonNode    *login);
/* POST /auth/logout, forgets the token here and in the keyring, and the user's data. */
void         fest_session_sign_out           (FestSession *self);

/* The signed-in user (GET /me's "user"), their festivals, the current festival (borrowed, each
 * nullable). */
JsonObject  *fest_session_get_user           (FestSession *self);
JsonArray   *fest_session_get_festivals      (FestSession *self);
JsonObject  *fest_session_get_festival       (FestSession *self);
JsonObject  *fest_session_find_festival      (FestSession *self,
                                              const char  *id);
/* The remembered festival, or the only one; NULL when the user must choose. */
JsonObject  *fest_session_pick_festival      (FestSession *self);
/* Binds the token to @festival (POST /auth/festival) unless it already is, then
 * "festival-ready". */
void         fest_session_select_festival    (FestSession *self,
                                              JsonObject  *festival);
/* A festival just created: added to the list. */
void         fest_session_add_festival       (FestSession *self,
                                              JsonObject  *festival);
/* The server's object of a saved festival: merged into the list and, when it is the current
 * one, into it (then TRUE). */
gboolean     fest_session_update_festival    (FestSession *self,
                                              JsonObject  *festival);

/* The user's roles in @festival (its "roles" member), plus SUPERADMIN. */
FestRoles    fest_session_festival_roles     (FestSession *self,
                                              JsonObject  *festival);
/* Superadmins and organisers create festivals. The server checks anyway; the app only hides
 * what it knows is forbidden. */
gboolean     fest_session_can_create_festival (FestSession *self);

G_END_DECLS
