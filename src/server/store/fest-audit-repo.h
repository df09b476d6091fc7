/* fest-audit-repo.h: reading the audit_log table (rows are written by fest_write_ctx_audit())
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Which rows GET /audit lists; NULL members do not filter. */
typedef struct
{
  const char *entity_type;
  const char *entity_id;
  const char *actor_id;
  const char *action;
} FestAuditFilter;

/* Main thread. A page of audit rows as API JSON, newest first: *rows (transfer full) a JSON array,
 * *total the number of all the rows that match. */
gboolean  fest_audit_repo_list (FestFestivalStore      *store,
                                const FestAuditFilter  *filter,
                                guint                   limit,
                                gint64                  offset,
                                JsonNode              **rows,
                                gint64                 *total,
                                GError                **error);

G_END_DECLS
