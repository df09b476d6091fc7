/* fest-audit-format.h: audit log entries in words: actions, entity labels, field changes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* "stand.update" → "Stand changed", translated; an unknown code is returned as it is. */
char *fest_audit_action_text   (const char *action);
/* What the row is about, for a person: "Stand “Bar du lac”", "Ticket “Louise Fournier”",
 * "Wallet “FW1.…”", "Transaction 20.00 Jetons"; else the kind and the end of its id. */
char *fest_audit_entity_label  (const char *entity_type,
                                const char *entity_id,
                                JsonObject *old_values,
                                JsonObject *new_values,
                                const char *currency);
/* One line per field, formatted for the locale (amounts in @currency, times local, 45,7488 not
 * 45.748800000000003): "Price: 5.00 → 6.00 Jetons" for what an update changed, "Name: Bar" for
 * what a creation set or a removal took away. Bookkeeping fields (ids, revisions) are left out. */
char *fest_audit_changes_text  (JsonObject *old_values,
                                JsonObject *new_values,
                                const char *currency);

G_END_DECLS
