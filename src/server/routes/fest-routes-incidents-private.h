/* fest-routes-incidents-private.h: the incidents' permission rules, shared with POST /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * See fest-routes-incidents.c for who may do what.
 */

#pragma once

#include "fest-incidents.h"
#include "fest-request.h"

G_BEGIN_DECLS

/* TRUE when @account_id (nullable: unassigning) is a SECURITY or SECURITY_LEAD member of the
 * request's festival; 400 VALIDATION_FAILED on assigned_to otherwise. */
gboolean _fest_incidents_check_assignee (FestRequest       *req,
                                         const char        *account_id,
                                         GError           **error);
/* Marks @patch restricted to the caller's own incidents unless the caller is an organiser or a
 * security lead. */
void     _fest_incidents_restrict_patch (FestRequest       *req,
                                         FestIncidentPatch *patch);

G_END_DECLS
