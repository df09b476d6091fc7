/* fest-audit-page.h: the Audit page (read-only audit log, newest first)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

#include "fest-client.h"
#include "fest-page.h"

G_BEGIN_DECLS

#define FEST_TYPE_AUDIT_PAGE (fest_audit_page_get_type ())
G_DECLARE_FINAL_TYPE (FestAuditPage, fest_audit_page, FEST, AUDIT_PAGE, FestPage)

GtkWidget  *fest_audit_page_new               (FestClient    *client);
void        fest_audit_page_reload            (FestAuditPage *self);

/* For tests: "loading", "error", "empty" or "content". */
const char *fest_audit_page_get_state         (FestAuditPage *self);
/* FestAuditEntry items loaded so far, newest first. */
GListModel *fest_audit_page_get_entries       (FestAuditPage *self);
/* meta.total of the current filter. */
gint64      fest_audit_page_get_total         (FestAuditPage *self);
/* NULL for every entity type, else the API's name ("product"). */
/* The festival's currency name, for the amounts in the entries (NULL: none). */
void        fest_audit_page_set_currency      (FestAuditPage *self,
                                               const char    *currency);
void        fest_audit_page_set_entity_filter (FestAuditPage *self,
                                               const char    *entity_type);

G_END_DECLS
