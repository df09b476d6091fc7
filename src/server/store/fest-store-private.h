/* fest-store-private.h: what the store's repositories share: statements, connections, errors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "fest-db.h"
#include "fest-db-util.h"
#include "fest-festival-store.h"

G_BEGIN_DECLS

/* The database side of fest-festival-store.h, for the store's repositories only. */

/* Resets a cached statement when it goes out of scope, so that a read statement never keeps a
 * read transaction (and an old WAL snapshot) open. */
static inline void
_fest_stmt_reset_cleanup (FestDbStmt **stmt)
{
  if (*stmt != NULL)
    fest_db_reset (*stmt);
}
#define FEST_STMT_AUTO_RESET __attribute__ ((cleanup (_fest_stmt_reset_cleanup)))


/* Main thread only. The returned statement is reset with bindings cleared; do not finalize it. */
FestDbStmt        *fest_festival_store_prepare_read  (FestFestivalStore  *self,
                                                      const char         *sql,
                                                      GError            **error);
FestDb            *fest_festival_store_get_read_db   (FestFestivalStore  *self);
/* A new connection to the store's database, for a reader of its own (a long cursor). */
FestDb            *_fest_festival_store_connect      (FestFestivalStore  *self,
                                                      GError            **error);
/* Main thread: the first column of the one row @sql reads, with @text_param (nullable) bound to ?1. */
gboolean           fest_festival_store_read_int64    (FestFestivalStore  *self,
                                                      const char         *sql,
                                                      const char         *text_param,
                                                      gint64             *out,
                                                      GError            **error);
/* The read-only connection of `--check` (fest-ledger-check-repo.h). */
typedef struct _FestLedgerCheckDb FestLedgerCheckDb;
FestDb            *_fest_ledger_check_db_get_db      (FestLedgerCheckDb  *self);

FestDb            *fest_write_ctx_get_db             (FestWriteCtx       *ctx);
/* The ledger's newest row (seq 0, hash NULL: none), as the write connection last read or appended
 * it, or read now when that may be out of date. */
gboolean           fest_write_ctx_get_ledger_head    (FestWriteCtx       *ctx,
                                                      gint64             *seq,
                                                      const char        **hash,
                                                      GError            **error);
void               fest_write_ctx_set_ledger_head    (FestWriteCtx       *ctx,
                                                      gint64              seq,
                                                      const char         *hash);
/* A table whose rows jobs keep (fest_write_ctx_keep_row()); a static description. */
typedef struct
{
  const char     *name;
  GDestroyNotify  row_free;   /* frees a kept row */
  /* PostgreSQL: when another process wrote the festival, the rows kept are brought up to date
   * rather than dropped. @changed_sql reads the rows whose rev is above ?1, at most ?2 of them:
   * the id first, then the columns @row_new makes a kept row of ("… WHERE rev > ?1 ORDER BY rev
   * LIMIT ?2": the ORDER BY keeps PostgreSQL's generic plan on the rev index, even on a small
   * table). Every write of the table moves its rev, as GET /sync/changes needs. NULL: the rows
   * kept are dropped. */
  const char     *changed_sql;
  gpointer      (*row_new)   (FestDbStmt *stmt);
} FestKeptTable;

/* Rows a job read that the next jobs may read again without asking the database: @row, of
 * @table and with id @id, was read just now (no statement ran since); freed with
 * @table->row_free. fest_write_ctx_lookup_row() gives it back until a statement may have changed
 * it: one that may write the table (fest_db_get_table_writes()) drops every kept row of the
 * table, a ROLLBACK (fest_db_get_rollbacks()) or a failed batch every kept row. When another
 * process wrote the festival, the next batch reads again the kept rows it changed
 * (@table->changed_sql), in the round trip that takes the festival's lock. */
void               fest_write_ctx_keep_row           (FestWriteCtx        *ctx,
                                                      const FestKeptTable *table,
                                                      const char          *id,
                                                      gpointer             row);
/* The same for @row as the statement just run, the last to write @table, left it, when that
 * statement wrote no other row of @table: the other rows kept stay. */
void               fest_write_ctx_keep_written_row   (FestWriteCtx        *ctx,
                                                      const FestKeptTable *table,
                                                      const char          *id,
                                                      gpointer             row);
gpointer           fest_write_ctx_lookup_row         (FestWriteCtx        *ctx,
                                                      const FestKeptTable *table,
                                                      const char          *id);
/* PostgreSQL: @key, an Idempotency-Key of one of the batch's jobs, is in no row of `idempotency`, as
 * read just now, while the batch holds the festival's lock (no other process writes the festival
 * until the batch ends): its job need not look it up. Such keys are forgotten at the end of the
 * batch, after a ROLLBACK (fest_db_get_rollbacks()) and after a write to `idempotency` not
 * announced with fest_write_ctx_wrote_key(). */
void               fest_write_ctx_add_absent_key     (FestWriteCtx       *ctx,
                                                      const char         *key);
gboolean           fest_write_ctx_key_is_absent      (FestWriteCtx       *ctx,
                                                      const char         *key);
/* The statement just run wrote the row of @key in `idempotency`, and no other row. */
void               fest_write_ctx_wrote_key          (FestWriteCtx       *ctx,
                                                      const char         *key);
/* Cached on the write connection; reset with bindings cleared; do not finalize it. */
FestDbStmt        *fest_write_ctx_prepare            (FestWriteCtx       *ctx,
                                                      const char         *sql,
                                                      GError            **error);
/* Folds ledger rows into sums kept beside it (the dashboard's, the reports'): the rows after
 * @checkpoint_table's transactions_seq, @max_rows at most, go through each of @inserts (NULL
 * terminated; "?1 < seq <= ?2" binds the rows), then the checkpoint moves past them. @more when
 * rows remain. On SQLite, each insert should add each row to its sum as it reads it (an upsert, no
 * GROUP BY, no subquery in FROM): the writer's temporary storage is memory, where a sorter over an
 * unfolded ledger grew the server by 60 MB for a million rows. PostgreSQL refuses an upsert that
 * meets the same row twice: there, rows are grouped first. */
gboolean           fest_write_ctx_fold_ledger        (FestWriteCtx       *ctx,
                                                      const char         *checkpoint_table,
                                                      const char * const *inserts,
                                                      gint64              max_rows,
                                                      gboolean           *more,
                                                      GError            **error);

/* Sets @error from the connection's last SQLite error; returns FALSE for `return fest_sqlite_error()`. */
gboolean           fest_sqlite_error                 (sqlite3            *db,
                                                      GError            **error);



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

/* PostgreSQL (fest-store-pg.c). A festival's schema: festival_<id>. */
char         *_fest_pg_festival_schema     (const char          *festival_id);
/* A connection whose search_path is @schema alone. */
FestDb       *_fest_pg_connect             (const char          *conninfo,
                                            const char          *schema,
                                            GError             **error);
gboolean      _fest_pg_schema_exists       (FestDb              *db,
                                            const char          *schema,
                                            gboolean            *exists,
                                            GError             **error);
/* Applies the festival's (@festival) or the platform's migrations to @schema in one transaction,
 * under an advisory lock (fest-pg-schema.h says how); creates a festival's schema. */
gboolean      _fest_pg_migrate             (FestDb              *db,
                                            const char          *schema,
                                            gboolean             festival,
                                            GError             **error);

G_END_DECLS
