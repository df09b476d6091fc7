/* fest-incident-kinds.c: incident types and statuses as the user sees them (label, icon)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-incident-kinds.h"

#define OTHER_INDEX 6

const char * const fest_incident_types[] = {
  "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS", "OTHER", "DUPLICATE_ENTRY", NULL,
};

const char * const fest_incident_statuses[] = { "OPEN", "ASSIGNED", "RESOLVED", NULL };

static const struct
{
  const char *label;
  const char *icon;
} type_info[] = {
  { N_("Fight"), "fest-incident-fight-symbolic" },
  { N_("Theft"), "fest-incident-theft-symbolic" },
  { N_("Medical"), "fest-incident-medical-symbolic" },
  { N_("Fire"), "fest-incident-fire-symbolic" },
  { N_("Lost person"), "fest-incident-lost-person-symbolic" },
  { N_("SOS"), "fest-incident-sos-symbolic" },
  { N_("Other"), "fest-incident-other-symbolic" },
  /* Two gates admitted the same ticket. */
  { N_("Duplicate entry"), "edit-copy-symbolic" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (type_info) == G_N_ELEMENTS (fest_incident_types) - 1);

static const char * const status_labels[] = { N_("Open"), N_("Assigned"), N_("Resolved") };
static const char * const status_classes[] = {
  "fest-incident-open", "fest-incident-assigned", "fest-incident-resolved",
};

guint
fest_incident_type_index (const char *type)
{
  for (guint i = 0; fest_incident_types[i] != NULL; i++)
    if (g_strcmp0 (fest_incident_types[i], type) == 0)
      return i;
  return OTHER_INDEX;
}

const char *
fest_incident_type_label (const char *type)
{
  return _(type_info[fest_incident_type_index (type)].label);
}

const char *
fest_incident_type_icon (const char *type)
{
  return type_info[fest_incident_type_index (type)].icon;
}

guint
fest_incident_status_index (const char *status)
{
  for (guint i = 0; fest_incident_statuses[i] != NULL; i++)
    if (g_strcmp0 (fest_incident_statuses[i], status) == 0)
      return i;
  return 0;
}

const char *
fest_incident_status_label (const char *status)
{
  return _(status_labels[fest_incident_status_index (status)]);
}

const char *
fest_incident_status_css_class (const char *status)
{
  return status_classes[fest_incident_status_index (status)];
}
