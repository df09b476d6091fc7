/* fest-platform-store-private.h: what the parts of the platform store share (store/ only)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-platform-store.h"
#include "fest-store-private.h"

G_BEGIN_DECLS

struct _FestPlatformStore
{
  FestDb     *db;
  GHashTable *token_cache;   /* token hash → FestAuthEntry */
  FestDbListener *listener;   /* PostgreSQL: hears what other processes made stale */
  guint       listener_session;   /* the listener's connection the cache was filled under */
};

/* A cached statement of the platform connection; reset with bindings cleared. */
FestDbStmt *_fest_platform_store_prepare    (FestPlatformStore  *self,
                                               const char         *sql,
                                               GError            **error);
/* Steps a statement expected to finish without rows (a constraint violation is CONFLICT);
 * resets it. */
gboolean      _fest_platform_store_step_done  (FestPlatformStore  *self,
                                               FestDbStmt         *stmt,
                                               GError            **error);
char         *_fest_platform_store_column_dup (FestDbStmt *stmt,
                                               int         column);

G_END_DECLS
