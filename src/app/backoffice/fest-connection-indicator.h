/* fest-connection-indicator.h: online, reconnecting or offline, in the back office's header bar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"
#include "fest-event-stream.h"

G_BEGIN_DECLS

#define FEST_TYPE_CONNECTION_INDICATOR (fest_connection_indicator_get_type ())
G_DECLARE_FINAL_TYPE (FestConnectionIndicator, fest_connection_indicator,
                      FEST, CONNECTION_INDICATOR, GtkWidget)

/* An icon (with its tooltip and accessible label) for the client's connection state; reachable
 * but with the event stream down is "reconnecting" (figures are polled). */
GtkWidget *fest_connection_indicator_new        (void);
/* Follows @client and @stream (both nullable: offline). */
void       fest_connection_indicator_set_source (FestConnectionIndicator *self,
                                                 FestClient              *client,
                                                 FestEventStream         *stream);

G_END_DECLS
