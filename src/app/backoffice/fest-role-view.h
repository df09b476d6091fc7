/* fest-role-view.h: for a member with no back-office page, what this app holds for their role
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-role.h"

G_BEGIN_DECLS

#define FEST_TYPE_ROLE_VIEW (fest_role_view_get_type ())
G_DECLARE_FINAL_TYPE (FestRoleView, fest_role_view, FEST, ROLE_VIEW, GtkWidget)

/* A cashier, scanner or security agent is pointed to their station modes (app.open-station); an
 * artist or attendee is told what this app holds for them. */
GtkWidget *fest_role_view_new       (void);
void       fest_role_view_set_roles (FestRoleView *self,
                                     FestRoles     roles);

G_END_DECLS
