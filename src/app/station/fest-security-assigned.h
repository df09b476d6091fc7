/* fest-security-assigned.h: the security station's "My incidents": the guard's assigned incidents
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-station-context.h"

G_BEGIN_DECLS

#define FEST_TYPE_SECURITY_ASSIGNED (fest_security_assigned_get_type ())
G_DECLARE_FINAL_TYPE (FestSecurityAssigned, fest_security_assigned, FEST, SECURITY_ASSIGNED, GtkBox)

/* Signals: "incident-selected" (const char *title, double lat, double lng) when a row with a
 * position is selected. */
FestSecurityAssigned *fest_security_assigned_new       (FestStationContext   *context);
/* The list from the store; with a guard signed in and the server there, GET /incidents first. */
void                  fest_security_assigned_refresh   (FestSecurityAssigned *self);
/* As the Sign In button with these fields (the guard's account on the server). */
void                  fest_security_assigned_sign_in   (FestSecurityAssigned *self,
                                                        const char           *email,
                                                        const char           *password);
/* One row per incident, newest first; each row's "incident-id" data names its incident. */
GtkListBox           *fest_security_assigned_get_list  (FestSecurityAssigned *self);
/* The resolve dialog open now (NULL if none), and its notes field. */
GtkWindow            *fest_security_assigned_get_dialog (FestSecurityAssigned *self);
GtkTextView          *fest_security_assigned_get_notes  (FestSecurityAssigned *self);

G_END_DECLS
