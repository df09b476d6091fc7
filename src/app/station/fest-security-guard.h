/* fest-security-guard.h: the guard on duty at a security station: their sign-in and token
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_SECURITY_GUARD (fest_security_guard_get_type ())
G_DECLARE_FINAL_TYPE (FestSecurityGuard, fest_security_guard, FEST, SECURITY_GUARD, GObject)

/* Signals: "changed" once signed in, restored from the keyring or signed out; "failed" (const char
 * *message, in words) when a sign-in did not succeed. Who is signed in (their account id and
 * name) is in the station store's settings (FEST_STATION_KEY_GUARD_ID, _NAME). */
FestSecurityGuard *fest_security_guard_new         (FestStationContext *context);
/* A client carrying the guard's token; NULL until signed in (or restored). */
FestClient        *fest_security_guard_get_client  (FestSecurityGuard  *self);
/* POST /auth/login bound to the station's festival; the token goes to the keyring. */
void               fest_security_guard_sign_in     (FestSecurityGuard  *self,
                                                    const char         *email,
                                                    const char         *password);
/* Forgets the guard here and in the keyring; @logout also ends their session on the server. */
void               fest_security_guard_sign_out    (FestSecurityGuard  *self,
                                                    gboolean            logout);
/* A station started again: the token of the guard signed in before, from the keyring. */
void               fest_security_guard_restore     (FestSecurityGuard  *self);
/* The sync engine pushes the guard's own operations with their token (or holds them without). */
void               fest_security_guard_share_token (FestSecurityGuard  *self);

G_END_DECLS
