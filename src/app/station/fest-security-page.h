/* fest-security-page.h: the security station page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

typedef struct _FestSiteMap FestSiteMap;
typedef struct _FestSecurityAssigned FestSecurityAssigned;

#define FEST_TYPE_SECURITY_PAGE (fest_security_page_get_type ())
G_DECLARE_FINAL_TYPE (FestSecurityPage, fest_security_page, FEST, SECURITY_PAGE, GtkBox)

FestSecurityPage *fest_security_page_new         (FestStationContext *context);
/* Tests: picks a type, describes and reports (as the Report button does). */
void             fest_security_page_report       (FestSecurityPage  *self,
                                                  const char        *type,
                                                  const char        *description);
/* The map the incident's position is picked on. */
FestSiteMap     *fest_security_page_get_map      (FestSecurityPage  *self);
/* "My incidents": the incidents assigned to the guard signed in here. */
FestSecurityAssigned *fest_security_page_get_assigned (FestSecurityPage *self);
/* "Recent reports": one row per report, newest first, its state as the outbox has it. */
GtkListBox      *fest_security_page_get_reports  (FestSecurityPage  *self);
/* After a sync: the reports it sent now say so; the stand's or the festival's location may have
 * arrived (or changed): the marker goes there unless the user moved it. */
void             fest_security_page_reload       (FestSecurityPage  *self);
/* As the "Use stand position" button. */
void             fest_security_page_use_stand_position (FestSecurityPage *self);

G_END_DECLS
