/* fest-audit-entry.h: one row of the festival's audit log, as the Audit page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* One row of the festival's audit log. Built from the API's JSON (DESIGN §5 resource fields), with
 * read-only properties for GtkExpression lookups in the page's column views and ready-to-show
 * "-text" properties formatted for the locale. */
#define FEST_TYPE_AUDIT_ENTRY (fest_audit_entry_get_type ())
G_DECLARE_FINAL_TYPE (FestAuditEntry, fest_audit_entry, FEST, AUDIT_ENTRY, GObject)

/* @currency: the festival's currency name, for the amounts in the entry's texts. */
FestAuditEntry *fest_audit_entry_new_from_json       (JsonObject *object,
                                                      const char *currency);
const char     *fest_audit_entry_get_id              (FestAuditEntry *self);
const char     *fest_audit_entry_get_actor_id        (FestAuditEntry *self);
const char     *fest_audit_entry_get_device_id       (FestAuditEntry *self);
const char     *fest_audit_entry_get_action          (FestAuditEntry *self);
const char     *fest_audit_entry_get_entity_type     (FestAuditEntry *self);
const char     *fest_audit_entry_get_entity_id       (FestAuditEntry *self);
const char     *fest_audit_entry_get_old_values      (FestAuditEntry *self);
const char     *fest_audit_entry_get_new_values      (FestAuditEntry *self);
const char     *fest_audit_entry_get_ip_address      (FestAuditEntry *self);
const char     *fest_audit_entry_get_user_agent      (FestAuditEntry *self);
const char     *fest_audit_entry_get_created_at      (FestAuditEntry *self);
const char     *fest_audit_entry_get_created_at_text (FestAuditEntry *self);
const char     *fest_audit_entry_get_actor_name      (FestAuditEntry *self);
void            fest_audit_entry_set_actor_name      (FestAuditEntry *self,
                                                      const char *value);
const char     *fest_audit_entry_get_entity_text     (FestAuditEntry *self);
/* The action in words ("Stand changed"), and what changed, one "Field: old → new" a line. */
const char     *fest_audit_entry_get_action_text     (FestAuditEntry *self);
const char     *fest_audit_entry_get_changes         (FestAuditEntry *self);

G_END_DECLS
