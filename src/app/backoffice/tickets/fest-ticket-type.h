/* fest-ticket-type.h: a ticket type (day pass, weekend pass…), as the Tickets page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A ticket type (day pass, weekend pass…). Built from the API's JSON (DESIGN §5 resource fields),
 * with read-only properties for GtkExpression lookups in the page's column views and ready-to-show
 * "-text" properties formatted for the locale. */
#define FEST_TYPE_TICKET_TYPE (fest_ticket_type_get_type ())
G_DECLARE_FINAL_TYPE (FestTicketType, fest_ticket_type, FEST, TICKET_TYPE, GObject)

FestTicketType *fest_ticket_type_new_from_json       (JsonObject *object,
                                                      const char *currency_name);
const char     *fest_ticket_type_get_id              (FestTicketType *self);
const char     *fest_ticket_type_get_name            (FestTicketType *self);
const char     *fest_ticket_type_get_code            (FestTicketType *self);
gint64          fest_ticket_type_get_price           (FestTicketType *self);
gint64          fest_ticket_type_get_quota           (FestTicketType *self);
gint64          fest_ticket_type_get_issued          (FestTicketType *self);
const char     *fest_ticket_type_get_valid_from      (FestTicketType *self);
const char     *fest_ticket_type_get_valid_until     (FestTicketType *self);
gboolean        fest_ticket_type_get_reentry_allowed (FestTicketType *self);
const char     *fest_ticket_type_get_reentry_text    (FestTicketType *self);
const char     *fest_ticket_type_get_price_text      (FestTicketType *self);
const char     *fest_ticket_type_get_quota_text      (FestTicketType *self);
const char     *fest_ticket_type_get_validity_text   (FestTicketType *self);

G_END_DECLS
