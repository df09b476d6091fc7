/* fest-dashboard-page.h: the live dashboard (figures from /stats, refreshed by /events)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-event-stream.h"
#include "fest-page.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_DASHBOARD_LOADING,
  FEST_DASHBOARD_READY,
  FEST_DASHBOARD_ERROR,
} FestDashboardState;

#define FEST_TYPE_DASHBOARD_PAGE (fest_dashboard_page_get_type ())
G_DECLARE_FINAL_TYPE (FestDashboardPage, fest_dashboard_page, FEST, DASHBOARD_PAGE, FestPage)

GtkWidget          *fest_dashboard_page_new              (FestClient        *client);
/* The festival's currency name for amounts ("Jetons"). */
void                fest_dashboard_page_set_currency     (FestDashboardPage *self,
                                                          const char        *currency_name);
/* Live updates: any event refetches /stats; while the stream is down the page polls every 5 s.
 * Nullable. */
void                fest_dashboard_page_set_event_stream (FestDashboardPage *self,
                                                          FestEventStream   *stream);
/* Fetches /stats now (coalesced: at most one request in flight). */
void                fest_dashboard_page_reload           (FestDashboardPage *self);
/* Stops polling (the page is hidden or the session ended). */
void                fest_dashboard_page_pause            (FestDashboardPage *self);

/* The state (FestPage's "state" is "loading", "content" or "error"). */
FestDashboardState  fest_dashboard_page_get_state        (FestDashboardPage *self);
/* Whether figures arrive live (stream connected) rather than by polling. */
gboolean            fest_dashboard_page_get_live         (FestDashboardPage *self);
/* Shown text of a figure card: "entries", "transactions", "revenue", "float", "incidents",
 * "overdrawn"; the detail line with @detail. For tests and screen readers. */
const char         *fest_dashboard_page_get_figure       (FestDashboardPage *self,
                                                          const char        *name,
                                                          gboolean           detail);
/* The banner text, NULL when hidden. */
const char         *fest_dashboard_page_get_banner       (FestDashboardPage *self);

G_END_DECLS
