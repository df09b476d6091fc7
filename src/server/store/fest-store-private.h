/* fest-store-private.h: SQLite helpers shared by the festival and platform stores
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "fest-festival-store.h"

G_BEGIN_DECLS

/* The name of the SQLite VFS the stores open their databases with (fest-wal-vfs.c): the default
 * one, with each commit's WAL frames written in a few large writes. */
const char   *_fest_wal_vfs_name           (void);

/* FEST_STORE_ERROR_DISK_FULL for SQLITE_FULL, FEST_STORE_ERROR_IO for SQLITE_IOERR and its extended
 * codes, FEST_STORE_ERROR_SQLITE for the rest: a full or failing disk is a state of the machine
 * that passes (HTTP 503, retry later), not a bug (500). */
FestStoreError _fest_sqlite_error_code     (int                  result_code);
/* TRUE for FEST_STORE_ERROR_DISK_FULL and FEST_STORE_ERROR_IO. */
gboolean      _fest_store_error_is_storage (const GError        *error);

/* Opens with WAL, synchronous=FULL, foreign_keys=ON and a busy timeout. */
sqlite3      *_fest_sqlite_open            (const char          *path,
                                            gboolean             create,
                                            GError             **error);
gboolean      _fest_sqlite_exec            (sqlite3             *db,
                                            const char          *sql,
                                            GError             **error);
/* Applies migrations[user_version..] in one BEGIN IMMEDIATE transaction, bumping user_version. */
gboolean      _fest_sqlite_migrate         (sqlite3             *db,
                                            const char * const  *migrations,
                                            guint                n_migrations,
                                            GError             **error);
GHashTable   *_fest_sqlite_stmt_cache_new  (void);
/* Returns a cached statement, reset with bindings cleared; do not finalize it. */
sqlite3_stmt *_fest_sqlite_prepare_cached  (sqlite3             *db,
                                            GHashTable          *cache,
                                            const char          *sql,
                                            GError             **error);

G_END_DECLS
