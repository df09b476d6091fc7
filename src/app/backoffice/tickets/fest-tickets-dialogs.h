/* fest-tickets-dialogs.h: the New Ticket Type, Issue Ticket and Gate dialogs of the Tickets page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "fest-client.h"
#include "fest-form-dialog.h"
#include "fest-ticket-type.h"

G_BEGIN_DECLS

/* POST /ticket-types; the validity prefilled with @festival's dates (nullable), the price in
 * @currency. Not presented yet. */
FestFormDialog *fest_ticket_type_dialog_new  (GtkWidget      *parent,
                                              FestClient     *client,
                                              JsonObject     *festival,
                                              const char     *currency);
/* POST /tickets for one of @types (FestTicketType items, @selected_type preselected, nullable).
 * Not presented yet. */
FestFormDialog *fest_issue_ticket_dialog_new (GtkWidget      *parent,
                                              FestClient     *client,
                                              GListModel     *types,
                                              FestTicketType *selected_type);
/* POST /gates, or PATCH /gates/{id} for @gate (nullable: a gate's JSON): its name and its place
 * on the site map of @festival (nullable) with a zone. Not presented yet. */
FestFormDialog *fest_gate_dialog_new         (GtkWidget      *parent,
                                              FestClient     *client,
                                              JsonObject     *gate,
                                              JsonObject     *festival);

G_END_DECLS
