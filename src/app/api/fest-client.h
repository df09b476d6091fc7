/* fest-client.h: the app's one HTTP client for the Festivals API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fest-error.h"

G_BEGIN_DECLS

/* What the header's connection indicator shows. */
typedef enum
{
  FEST_CONNECTION_ONLINE,
  FEST_CONNECTION_OFFLINE,
  FEST_CONNECTION_RECONNECTING,
} FestConnectionState;

#define FEST_TYPE_CONNECTION_STATE (fest_connection_state_get_type ())
GType fest_connection_state_get_type (void) G_GNUC_CONST;

#define FEST_TYPE_CLIENT (fest_client_get_type ())
G_DECLARE_FINAL_TYPE (FestClient, fest_client, FEST, CLIENT, GObject)

/* @base_url: "http://127.0.0.1:8080" (no /api/v1, no trailing slash needed). */
FestClient          *fest_client_new                  (const char          *base_url);
const char          *fest_client_get_base_url         (FestClient          *self);
/* Nullable: without a token, requests carry no Authorization header. */
void                 fest_client_set_token            (FestClient          *self,
                                                       const char          *token);
const char          *fest_client_get_token            (FestClient          *self);
SoupSession         *fest_client_get_session          (FestClient          *self);

/* The "connection-state" property: ONLINE after any answer from the server (even an error
 * envelope), OFFLINE after a network failure, RECONNECTING while the event stream or a poll is
 * trying again after a failure. */
FestConnectionState  fest_client_get_connection_state (FestClient          *self);
void                 fest_client_set_connection_state (FestClient          *self,
                                                       FestConnectionState  state);

/* @method: "GET", "POST", "PATCH", "DELETE"; @path below /api/v1 ("/stands?page=2");
 * @body nullable (borrowed: serialised before this returns); @idempotency_key nullable (sets
 * the Idempotency-Key header). */
void                 fest_client_request_async        (FestClient          *self,
                                                       const char          *method,
                                                       const char          *path,
                                                       JsonNode            *body,
                                                       const char          *idempotency_key,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* The envelope's "data" (transfer full; a missing or null data is a JSON null node). On an
 * error envelope: a FEST_ERROR GError whose code is the FestErrorCode of "code" and whose
 * message is the server's message (details via fest_error_get_details). Network failures:
 * G_IO_ERROR / SOUP errors. @meta_total may be NULL; it is set to -1 without a meta. */
JsonNode            *fest_client_request_finish       (FestClient          *self,
                                                       GAsyncResult        *result,
                                                       gint64              *meta_total,
                                                       GError             **error);

/* GET raw bytes below /api/v1 (e.g. "/tickets/{id}/qr.png"). Non-2xx: the error envelope's
 * FEST_ERROR as above. @content_type may be NULL. */
void                 fest_client_get_bytes_async      (FestClient          *self,
                                                       const char          *path,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GBytes              *fest_client_get_bytes_finish     (FestClient          *self,
                                                       GAsyncResult        *result,
                                                       char               **content_type,
                                                       GError             **error);

/* The full URL of @path below /api/v1 (transfer full), e.g. for the WebSocket. */
char                *fest_client_build_url            (FestClient          *self,
                                                       const char          *path);

/* A sentence for the user about @error (transfer full): the server's own message for a FEST_ERROR,
 * "The server cannot be reached" for network failures, the certificate problem for TLS errors. */
char                *fest_client_describe_error       (const GError        *error);

G_END_DECLS
