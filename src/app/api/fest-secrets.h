/* fest-secrets.h: session and device tokens in the keyring, or in a 0600 file without one
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Secrets are stored with libsecret under the schema "app.festivals.Festivals.Token" with the
 * attributes kind ("session" or "device") and server (the base URL). When no Secret Service (or
 * portal) answers, they go to g_get_user_data_dir()/festivals/tokens.json, mode 0600, and
 * fest_secrets_is_fallback() turns TRUE so that the UI can say so.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FEST_SECRET_KIND_SESSION "session"
#define FEST_SECRET_KIND_DEVICE  "device"

void      fest_secrets_store_async    (const char          *kind,
                                       const char          *server,
                                       const char          *secret,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  fest_secrets_store_finish   (GAsyncResult        *result,
                                       GError             **error);

/* Finishes with the secret (transfer full) or NULL, without error, when there is none. */
void      fest_secrets_lookup_async   (const char          *kind,
                                       const char          *server,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
char     *fest_secrets_lookup_finish  (GAsyncResult        *result,
                                       GError             **error);

/* Clearing a secret that does not exist succeeds. */
void      fest_secrets_clear_async    (const char          *kind,
                                       const char          *server,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data);
gboolean  fest_secrets_clear_finish   (GAsyncResult        *result,
                                       GError             **error);

/* TRUE once a call fell back to the file because no Secret Service answered. */
gboolean  fest_secrets_is_fallback    (void);

/* Tests: TRUE forces the file (no D-Bus at all), FALSE restores normal behaviour. */
void      fest_secrets_set_force_fallback (gboolean force);

G_END_DECLS
