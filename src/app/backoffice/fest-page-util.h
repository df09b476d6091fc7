/* fest-page-util.h: helpers shared by the back-office pages (toasts, JSON, times, QR codes)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"

G_BEGIN_DECLS

/* Largest page the API serves (DESIGN §5: per_page ≤ 500). */
#define FEST_PAGE_MAX_PER_PAGE 500

/* Shows @message in the nearest AdwToastOverlay above @widget; logs it when there is none. */
void        fest_page_toast                (GtkWidget     *widget,
                                            const char    *message);
/* A toast with the server's message for a FEST_ERROR, a generic sentence for network errors. */
void        fest_page_toast_error          (GtkWidget     *widget,
                                            const GError  *error);
/* User-facing text for @error (transfer full). */
char       *fest_page_error_text           (const GError  *error);
/* The field a VALIDATION_FAILED error names ("price"), or NULL. */
const char *fest_page_error_field          (const GError  *error);

/* Tolerant readers of API objects: missing, null or mistyped members give the default. */
const char *fest_page_json_string          (JsonObject    *object,
                                            const char    *member);
gint64      fest_page_json_int             (JsonObject    *object,
                                            const char    *member,
                                            gint64         default_value);
double      fest_page_json_double          (JsonObject    *object,
                                            const char    *member,
                                            double         default_value);
gboolean    fest_page_json_bool            (JsonObject    *object,
                                            const char    *member,
                                            gboolean       default_value);
gboolean    fest_page_json_is_null         (JsonObject    *object,
                                            const char    *member);

/* "14/07/2026 20:30" in the local time zone and the locale's date order; "" for NULL or
 * invalid input (transfer full). */
char       *fest_page_format_time          (const char    *rfc3339);
/* Parses "2026-07-14 20:30" (also with "T", seconds optional) in the local time zone into an
 * RFC 3339 UTC string (transfer full); NULL if invalid. */
char       *fest_page_parse_local_time     (const char    *text);
/* The inverse of fest_page_parse_local_time for prefilling entries (transfer full). */
char       *fest_page_format_local_input   (const char    *rfc3339);

/* GETs every page of a list route (@path may carry filters) and returns all items. */
void        fest_page_fetch_all_async      (FestClient          *client,
                                            const char          *path,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonArray  *fest_page_fetch_all_finish     (GAsyncResult        *result,
                                            GError             **error);

/* The current festival's object (GET /me for its id, then GET /festivals/{id});
 * an empty object when the token has no current festival (transfer full). */
void        fest_page_fetch_festival_async (FestClient          *client,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
JsonObject *fest_page_fetch_festival_finish (GAsyncResult       *result,
                                             GError            **error);
/* Its currency name ("Jetons"), "" when unknown (transfer full). */
char       *fest_page_festival_currency    (JsonObject    *festival);
/* Finishes fest_page_fetch_festival_async() into a page's @festival and @currency fields
 * (replacing what they held); FALSE with @error otherwise (G_IO_ERROR_CANCELLED included). */
gboolean    fest_page_take_festival        (GAsyncResult  *result,
                                            JsonObject   **festival,
                                            char         **currency,
                                            GError       **error);

/* A black-on-white QR code of @text rendered locally with libqrencode (ECC level M, 4-module
 * quiet zone, @scale pixels per module); NULL if @text cannot be encoded. */
GdkTexture *fest_page_qr_texture_new       (const char    *text,
                                            guint          scale);

/* Puts @text on the clipboard of @widget's display and says so in a toast. */
void        fest_page_copy_text            (GtkWidget     *widget,
                                            const char    *text);

/* A confirmation with a destructive "confirm" response (connect to "response::confirm"),
 * transient for @page's window, already presented. */
AdwMessageDialog *fest_page_confirm        (GtkWidget     *page,
                                            const char    *heading,
                                            const char    *body,
                                            const char    *confirm_label);

typedef void (*FestPageDoneFunc) (GtkWidget *page,
                                  JsonNode  *data);

/* Sends a request for @page: on success toasts @success_message (nullable) and calls @done
 * (nullable) with the answer's data; on failure toasts the server's message. Mutations should
 * pass a NULL @cancellable: a reload of the page must not abandon them half-way. */
void        fest_page_send                 (GtkWidget        *page,
                                            FestClient       *client,
                                            GCancellable     *cancellable,
                                            const char       *method,
                                            const char       *path,
                                            JsonNode         *body,
                                            const char       *success_message,
                                            FestPageDoneFunc  done);

/* The model of a page's column view: @store filtered by @filter, sorted by the view's column
 * sorter, one row selected. The filtered model is returned in @filtered_out (nullable) for
 * counting the visible rows. */
GtkSingleSelection *fest_page_make_selection (GListModel          *store,
                                              GtkFilter           *filter,
                                              GtkColumnView       *view,
                                              GtkFilterListModel **filtered_out);

/* Selects the item of @selection whose "id" property is @id; FALSE when there is none. */
gboolean            fest_page_select_id      (GtkSingleSelection  *selection,
                                              const char          *id);

G_END_DECLS
