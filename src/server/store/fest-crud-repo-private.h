/* fest-crud-repo-private.h: how a simple festival entity is stored (store/ only)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-crud-repo.h"
#include "fest-store-private.h"

G_BEGIN_DECLS

struct _FestCrudTable
{
  const char     *select_sql;     /* one live row by id (?1) */
  const char     *count_sql;      /* live rows; ?1 and ?4 = the list filters */
  const char     *list_sql;       /* live rows; ?1 and ?4 = filters, ?2 = limit, ?3 = offset */
  const char     *in_use_sql;     /* how many rows still refer to ?1, or NULL */
  const char     *delete_sql;     /* ?1 = id, ?2 = rev, ?3 = updated_at */
  const char     *cascade_sql;    /* what a delete takes along (same parameters), or NULL */
  gsize           row_size;       /* every row struct starts with its char *id */
  void          (*read) (gpointer row, FestDbStmt *stmt);
  GDestroyNotify  clear;
};

char     *fest_crud_column_dup          (FestDbStmt *stmt,
                                         int         column);
void      fest_crud_bind_nullable_text  (FestDbStmt *stmt,
                                         int         index,
                                         const char *value);
/* Steps @stmt to FEST_DB_DONE and resets it. */
gboolean  fest_crud_step_done           (FestWriteCtx  *ctx,
                                         FestDbStmt    *stmt,
                                         GError       **error);

G_END_DECLS
