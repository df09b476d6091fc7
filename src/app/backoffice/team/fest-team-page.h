/* fest-team-page.h: the Team page (members and their roles, station devices)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_TEAM_PAGE (fest_team_page_get_type ())
G_DECLARE_FINAL_TYPE (FestTeamPage, fest_team_page, FEST, TEAM_PAGE, FestPage)

GtkWidget  *fest_team_page_new           (FestClient   *client);
void        fest_team_page_reload        (FestTeamPage *self);

/* For tests: "loading", "error", "empty" or "content". */
const char *fest_team_page_get_state     (FestTeamPage *self);
/* FestMember and FestDevice items, unfiltered. */
GListModel *fest_team_page_get_members   (FestTeamPage *self);
GListModel *fest_team_page_get_devices   (FestTeamPage *self);
gboolean    fest_team_page_select_member (FestTeamPage *self,
                                          const char   *member_id);
gboolean    fest_team_page_select_device (FestTeamPage *self,
                                          const char   *device_id);

G_END_DECLS
