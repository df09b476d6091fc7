/* fest-tickets-page.h: the Tickets page (ticket types, issued tickets, QR codes)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-page.h"
#include "fest-gates-section.h"

G_BEGIN_DECLS

#define FEST_TYPE_TICKETS_PAGE (fest_tickets_page_get_type ())
G_DECLARE_FINAL_TYPE (FestTicketsPage, fest_tickets_page, FEST, TICKETS_PAGE, FestPage)

GtkWidget  *fest_tickets_page_new            (FestClient      *client);
void        fest_tickets_page_reload         (FestTicketsPage *self);

/* For tests: "loading", "error", "empty" or "content". */
const char *fest_tickets_page_get_state      (FestTicketsPage *self);
/* FestTicketType and FestTicket items loaded so far, unfiltered. */
GListModel *fest_tickets_page_get_types      (FestTicketsPage *self);
GListModel *fest_tickets_page_get_tickets    (FestTicketsPage *self);
gboolean    fest_tickets_page_select_ticket  (FestTicketsPage *self,
                                              const char      *ticket_id);
/* The status filter: NULL for all, else "VALID", "USED", "CANCELLED". */
void        fest_tickets_page_set_status_filter (FestTicketsPage *self,
                                                 const char      *status);
/* The Gates list beside the tickets. */
FestGatesSection *fest_tickets_page_get_gates_section (FestTicketsPage *self);

G_END_DECLS
