/* fest-ticket.h: an issued ticket, as the Tickets page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* An issued ticket. Built from the API's JSON (DESIGN §5 resource fields), with read-only
 * properties for GtkExpression lookups in the page's column views and ready-to-show "-text"
 * properties formatted for the locale. */
#define FEST_TYPE_TICKET (fest_ticket_get_type ())
G_DECLARE_FINAL_TYPE (FestTicket, fest_ticket, FEST, TICKET, GObject)

FestTicket *fest_ticket_new_from_json      (JsonObject *object);
const char *fest_ticket_get_id             (FestTicket *self);
const char *fest_ticket_get_ticket_type_id (FestTicket *self);
const char *fest_ticket_get_holder_name    (FestTicket *self);
const char *fest_ticket_get_holder_email   (FestTicket *self);
const char *fest_ticket_get_qr_code        (FestTicket *self);
const char *fest_ticket_get_status         (FestTicket *self);
const char *fest_ticket_get_used_at        (FestTicket *self);
const char *fest_ticket_get_created_at     (FestTicket *self);
const char *fest_ticket_get_status_label   (FestTicket *self);
const char *fest_ticket_get_used_at_text   (FestTicket *self);
const char *fest_ticket_get_type_name      (FestTicket *self);
void        fest_ticket_set_type_name      (FestTicket *self,
                                            const char *value);

G_END_DECLS
