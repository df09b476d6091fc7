/* fest-incident-kinds.h: incident types and statuses as the user sees them (label, icon)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The wire names (DESIGN §11), in the order the filters list them. */
extern const char * const fest_incident_types[];     /* NULL-terminated */
extern const char * const fest_incident_statuses[];  /* OPEN ASSIGNED RESOLVED, NULL-terminated */

/* Translated label of @type ("Lost person"); an unknown type is "Other". */
const char *fest_incident_type_label   (const char *type);
/* The symbolic icon of @type; an unknown type gets OTHER's. */
const char *fest_incident_type_icon    (const char *type);
/* Index of @type in fest_incident_types (OTHER's for an unknown one). */
guint       fest_incident_type_index   (const char *type);
const char *fest_incident_status_label (const char *status);
/* Index of @status in fest_incident_statuses (OPEN's for an unknown one). */
guint       fest_incident_status_index (const char *status);
/* "fest-incident-open", "fest-incident-assigned", "fest-incident-resolved". */
const char *fest_incident_status_css_class (const char *status);

G_END_DECLS
