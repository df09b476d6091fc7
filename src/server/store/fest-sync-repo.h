/* fest-sync-repo.h: the offline stations' protocol in the festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The SQL side of domain/fest-sync.c (POST /sync, writer thread) and of GET /sync/changes (main
 * thread): every row a station caches (wallets, tickets, products, stands, ticket types, alerts)
 * carries the festival's change counter (`rev`), which is the changes feed's cursor.
 */

#pragma once

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* Writer thread, inside a write job. */

/* The festival's starts_at (NULL when it has no row). */
gboolean  fest_sync_repo_festival_start  (FestWriteCtx       *ctx,
                                          char              **starts_at,
                                          GError            **error);
/* A SAVEPOINT around one operation of a batch: open, release, roll back to (it stays open). */
gboolean  fest_sync_repo_savepoint       (FestWriteCtx       *ctx,
                                          GError            **error);
gboolean  fest_sync_repo_release         (FestWriteCtx       *ctx,
                                          GError            **error);
gboolean  fest_sync_repo_rollback        (FestWriteCtx       *ctx,
                                          GError            **error);
/* The number of rows the write connection changed so far: an operation that changed it wrote. */
gint64    fest_sync_repo_total_changes   (FestWriteCtx       *ctx);
/* Records a station's contact and the operations still in its outbox. */
gboolean  fest_sync_repo_station_contact (FestWriteCtx       *ctx,
                                          const char         *device_id,
                                          const char         *last_contact,
                                          gint64              pending,
                                          GError            **error);

/* Main thread, on the read connection. */

/* One page of GET /sync/changes: the rows changed after @since up to the @limit-th change (rows
 * sharing that rev all come with it), as arrays "wallets", "tickets", "products", "stands",
 * "ticket_types" and "alerts" of @into; *@max_rev is the highest rev returned (@since if none),
 * *@has_more whether changes remain after the page. */
gboolean  fest_sync_repo_read_changes    (FestFestivalStore  *store,
                                          gint64              since,
                                          gint64              limit,
                                          JsonObject         *into,
                                          gint64             *max_rev,
                                          gboolean           *has_more,
                                          GError            **error);

G_END_DECLS
