/* fest-security-page.h: the security station page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

typedef struct _FestStationWindow FestStationWindow;

#define FEST_TYPE_SECURITY_PAGE (fest_security_page_get_type ())
G_DECLARE_FINAL_TYPE (FestSecurityPage, fest_security_page, FEST, SECURITY_PAGE, GtkBox)

FestSecurityPage *fest_security_page_new         (FestStationWindow *window);
/* Tests: picks a type, describes and reports (as the Report button does). */
void             fest_security_page_report       (FestSecurityPage  *self,
                                                  const char        *type,
                                                  const char        *description);

G_END_DECLS
