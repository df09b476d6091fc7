/* fest-store-pg.c: PostgreSQL helpers shared by the festival and platform stores: connecting to a
 * schema and applying its migrations
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-pg-schema.h"
#include "fest-store-private.h"

char *
_fest_pg_festival_schema (const char *festival_id)
{
  return g_strconcat ("festival_", festival_id, NULL);
}

/* Quotes @name as an SQL identifier (it holds '-'): "name", inner quotes doubled. */
static char *
quote_identifier (const char *name)
{
  GString *quoted = g_string_new ("\"");

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (quoted, '"');
      g_string_append_c (quoted, *p);
    }
  g_string_append_c (quoted, '"');
  return g_string_free (quoted, FALSE);
}

FestDb *
_fest_pg_connect (const char  *conninfo,
                  const char  *schema,
                  GError     **error)
{
  g_autofree char *quoted = quote_identifier (schema);
  g_autofree char *sql = g_strdup_printf ("SET search_path TO %s", quoted);
  FestDb *db = fest_db_new_pg (conninfo, error);

  if (db == NULL)
    return NULL;
  /* Every statement of a festival's store is unqualified: the festival's tables, and only them. */
  if (!fest_db_set_session (db, sql, error))
    {
      fest_db_free (db);
      return NULL;
    }
  return db;
}

gboolean
_fest_pg_schema_exists (FestDb      *db,
                        const char  *schema,
                        gboolean    *exists,
                        GError     **error)
{
  g_autoptr(FestDbStmt) stmt = NULL;
  int rc;

  stmt = fest_db_prepare_uncached (db, "SELECT 1 FROM pg_namespace WHERE nspname = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, schema);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_stmt_set_error (stmt, error);
  *exists = rc == FEST_DB_ROW;
  return TRUE;
}

static gboolean
migrate (FestDb              *db,
         const char          *schema,
         gboolean             create_schema,
         const char * const  *migrations,
         guint                n_migrations,
         GError             **error)
{
  g_autofree char *quoted = quote_identifier (schema);
  g_autofree char *lock_sql = NULL;
  g_autofree char *path_sql = NULL;
  g_autoptr(FestDbStmt) stmt = NULL;
  gint64 version;

  /* Two processes starting together: the second waits here, then finds the work done. */
  stmt = fest_db_prepare_uncached (db, "SELECT pg_advisory_xact_lock (hashtextextended (?1, 0))", error);
  if (stmt == NULL)
    return FALSE;
  lock_sql = g_strconcat ("festivals-migrate:", schema, NULL);
  fest_db_bind_text (stmt, 1, lock_sql);
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_set_error (stmt, error);
  fest_db_reset (stmt);
  g_clear_pointer (&stmt, fest_db_stmt_free);

  if (create_schema)
    {
      g_autofree char *create_sql = g_strdup_printf ("CREATE SCHEMA IF NOT EXISTS %s", quoted);

      if (!fest_db_exec (db, create_sql, error))
        return FALSE;
    }
  path_sql = g_strdup_printf ("SET LOCAL search_path TO %s", quoted);
  if (!fest_db_exec (db, path_sql, error) || !fest_db_exec (db, FEST_PG_SCHEMA_MIGRATIONS_TABLE_SQL, error))
    return FALSE;

  stmt = fest_db_prepare_uncached (db, "SELECT COALESCE (MAX (version), 0) FROM schema_migrations", error);
  if (stmt == NULL)
    return FALSE;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    return fest_db_stmt_set_error (stmt, error);
  version = fest_db_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, fest_db_stmt_free);

  if (version > n_migrations)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "Schema %s is at version %" G_GINT64_FORMAT ", newer than this program's %u",
                   schema, version, n_migrations);
      return FALSE;
    }

  for (guint i = version; i < n_migrations; i++)
    {
      g_autofree char *record = g_strdup_printf ("INSERT INTO schema_migrations (version) VALUES (%u)", i + 1);
      g_autoptr(GError) local_error = NULL;

      if (!fest_db_exec (db, migrations[i], &local_error) || !fest_db_exec (db, record, &local_error))
        {
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "Migration %u of %s failed: %s", i + 1, schema, local_error->message);
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
_fest_pg_migrate (FestDb      *db,
                  const char  *schema,
                  gboolean     festival,
                  GError     **error)
{
  const char * const *migrations;
  guint n_migrations;

  migrations = festival ? fest_pg_schema_get_festival_migrations (&n_migrations)
                        : fest_pg_schema_get_platform_migrations (&n_migrations);

  /* DDL is transactional in PostgreSQL: a failed step leaves the schema as it was. */
  if (!fest_db_exec (db, "BEGIN", error))
    return FALSE;
  if (!migrate (db, schema, festival, migrations, n_migrations, error))
    {
      fest_db_exec (db, "ROLLBACK", NULL);
      return FALSE;
    }
  return fest_db_exec (db, "COMMIT", error);
}
