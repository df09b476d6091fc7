/* fest-store-import.c: moves a festival from its SQLite file into PostgreSQL (see
 * fest-store-import.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-platform-store.h"
#include "fest-store-import.h"
#include "fest-store-private.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* The platform's rows of the festival, parents first; ?1 is the festival's id. Accounts are the
 * members and the festival's creator; sessions do not move (people sign in again), devices keep
 * theirs, so that the stations go on without being enrolled again. */
static const struct
{
  const char *table;
  const char *where;
  gboolean    keep_existing;   /* an account may already be on the platform */
} platform_rows[] = {
  { "accounts", "id IN (SELECT account_id FROM memberships WHERE festival_id = ?1)"
                " OR id = (SELECT created_by FROM festivals WHERE id = ?1)", TRUE },
  { "festivals", "id = ?1", FALSE },
  { "memberships", "festival_id = ?1", FALSE },
  { "devices", "festival_id = ?1", FALSE },
  { "tokens", "kind = 'device' AND device_id IN (SELECT id FROM devices WHERE festival_id = ?1)", FALSE },
};

/* Columns numbered by an identity in PostgreSQL whose SQLite values are copied: the identity
 * must then start past them. */
static const char * const copied_identities[][2] = {
  { "transactions", "seq" },
  { "scans", "seq" },
  { "audit_log", "seq" },
};

/* The figures both sides must agree on. */
#define SUMMARY_SQL \
  "SELECT (SELECT COUNT(*) FROM transactions), (SELECT COALESCE(SUM(amount), 0) FROM transactions)," \
  " (SELECT COALESCE(SUM(balance), 0) FROM wallets), (SELECT COUNT(*) FROM wallets)," \
  " (SELECT COUNT(*) FROM tickets), (SELECT hash FROM transactions ORDER BY seq DESC LIMIT 1)"

static gboolean
sqlite_fail (sqlite3  *db,
             GError  **error)
{
  return fest_sqlite_error (db, error);
}

/* Copies the rows @select_sql reads from @src into @table of @dst, column by column, each value
 * with its own SQLite type. @rows: how many. */
static gboolean
copy_rows (sqlite3     *src,
           const char  *select_sql,
           const char  *festival_id,
           FestDb      *dst,
           const char  *table,
           gboolean     keep_existing,
           gint64      *rows,
           GError     **error)
{
  g_autoptr(sqlite3_stmt) read = NULL;
  g_autoptr(GString) insert = g_string_new (NULL);
  g_autoptr(FestDbStmt) write = NULL;
  int n_columns;
  int rc;

  if (sqlite3_prepare_v2 (src, select_sql, -1, &read, NULL) != SQLITE_OK)
    return sqlite_fail (src, error);
  if (festival_id != NULL)
    sqlite3_bind_text (read, 1, festival_id, -1, SQLITE_STATIC);

  n_columns = sqlite3_column_count (read);
  g_string_append_printf (insert, "INSERT INTO %s (", table);
  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (insert, "%s%s", i > 0 ? ", " : "", sqlite3_column_name (read, i));
  g_string_append (insert, ") VALUES (");
  for (int i = 0; i < n_columns; i++)
    g_string_append_printf (insert, "%s?%d", i > 0 ? ", " : "", i + 1);
  g_string_append (insert, keep_existing ? ") ON CONFLICT DO NOTHING" : ")");
  write = fest_db_prepare_uncached (dst, insert->str, error);
  if (write == NULL)
    return FALSE;

  *rows = 0;
  while ((rc = sqlite3_step (read)) == SQLITE_ROW)
    {
      for (int i = 0; i < n_columns; i++)
        switch (sqlite3_column_type (read, i))
          {
          case SQLITE_INTEGER:
            fest_db_bind_int64 (write, i + 1, sqlite3_column_int64 (read, i));
            break;
          case SQLITE_FLOAT:
            fest_db_bind_double (write, i + 1, sqlite3_column_double (read, i));
            break;
          case SQLITE_BLOB:
            fest_db_bind_blob (write, i + 1, sqlite3_column_blob (read, i), sqlite3_column_bytes (read, i));
            break;
          case SQLITE_NULL:
            fest_db_bind_null (write, i + 1);
            break;
          default:
            fest_db_bind_text (write, i + 1, (const char *) sqlite3_column_text (read, i));
            break;
          }
      if (!fest_db_step_done (write, error))
        {
          g_prefix_error (error, "%s: ", table);
          return FALSE;
        }
      (*rows)++;
    }
  if (rc != SQLITE_DONE)
    return sqlite_fail (src, error);
  return TRUE;
}

/* The festival's tables, each after those it refers to. */
static GPtrArray *
tables_in_order (sqlite3  *src,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) list = NULL;
  g_autoptr(GPtrArray) pending = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) parents = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                         (GDestroyNotify) g_ptr_array_unref);
  g_autoptr(GHashTable) placed = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *order = g_ptr_array_new_with_free_func (g_free);

  if (sqlite3_prepare_v2 (src, "SELECT name FROM sqlite_master WHERE type = 'table'"
                               " AND name NOT LIKE 'sqlite_%' ORDER BY name", -1, &list, NULL) != SQLITE_OK)
    {
      sqlite_fail (src, error);
      g_ptr_array_unref (order);
      return NULL;
    }
  while (sqlite3_step (list) == SQLITE_ROW)
    {
      const char *name = (const char *) sqlite3_column_text (list, 0);
      g_autofree char *sql = g_strdup_printf ("SELECT \"table\" FROM pragma_foreign_key_list('%s')", name);
      g_autoptr(sqlite3_stmt) keys = NULL;
      GPtrArray *refs = g_ptr_array_new_with_free_func (g_free);

      if (sqlite3_prepare_v2 (src, sql, -1, &keys, NULL) == SQLITE_OK)
        while (sqlite3_step (keys) == SQLITE_ROW)
          if (g_strcmp0 ((const char *) sqlite3_column_text (keys, 0), name) != 0)
            g_ptr_array_add (refs, g_strdup ((const char *) sqlite3_column_text (keys, 0)));
      g_ptr_array_add (pending, g_strdup (name));
      g_hash_table_insert (parents, g_strdup (name), refs);
    }

  while (pending->len > 0)
    {
      guint before = pending->len;

      for (guint i = 0; i < pending->len;)
        {
          const char *name = g_ptr_array_index (pending, i);
          GPtrArray *refs = g_hash_table_lookup (parents, name);
          gboolean ready = TRUE;

          for (guint r = 0; r < refs->len && ready; r++)
            ready = g_hash_table_contains (placed, g_ptr_array_index (refs, r))
                    || !g_hash_table_contains (parents, g_ptr_array_index (refs, r));
          if (!ready)
            {
              i++;
              continue;
            }
          g_ptr_array_add (order, g_ptr_array_steal_index (pending, i));
          g_hash_table_add (placed, g_ptr_array_index (order, order->len - 1));
        }
      if (pending->len == before)
        {
          g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                       "The tables' foreign keys form a cycle (%s)", (char *) g_ptr_array_index (pending, 0));
          g_ptr_array_unref (order);
          return NULL;
        }
    }
  return order;
}

/* The figures of SUMMARY_SQL, as one line. */
static char *
summary_sqlite (sqlite3  *db,
                GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, SUMMARY_SQL, -1, &stmt, NULL) != SQLITE_OK || sqlite3_step (stmt) != SQLITE_ROW)
    {
      sqlite_fail (db, error);
      return NULL;
    }
  return g_strdup_printf ("%lld transactions (sum %lld), %lld wallets (sum %lld), %lld tickets, chain head %s",
                          sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
                          sqlite3_column_int64 (stmt, 3), sqlite3_column_int64 (stmt, 2),
                          sqlite3_column_int64 (stmt, 4),
                          sqlite3_column_type (stmt, 5) == SQLITE_NULL ? "(none)"
                                                                      : (const char *) sqlite3_column_text (stmt, 5));
}

static char *
summary_db (FestDb  *db,
            GError **error)
{
  g_autoptr(FestDbStmt) stmt = fest_db_prepare_uncached (db, SUMMARY_SQL, error);

  if (stmt == NULL)
    return NULL;
  if (fest_db_step (stmt) != FEST_DB_ROW)
    {
      fest_db_stmt_set_error (stmt, error);
      return NULL;
    }
  return g_strdup_printf ("%lld transactions (sum %lld), %lld wallets (sum %lld), %lld tickets, chain head %s",
                          (long long) fest_db_column_int64 (stmt, 0), (long long) fest_db_column_int64 (stmt, 1),
                          (long long) fest_db_column_int64 (stmt, 3), (long long) fest_db_column_int64 (stmt, 2),
                          (long long) fest_db_column_int64 (stmt, 4),
                          fest_db_is_pg (db) && fest_db_column_is_null (stmt, 5)
                          ? "(none)" : fest_db_column_text (stmt, 5));
}

static gboolean
import_rows (sqlite3      *festival,
             sqlite3      *platform,
             const char   *festival_id,
             FestDb       *dst,
             GString      *summary,
             GError      **error)
{
  g_autoptr(GPtrArray) tables = tables_in_order (festival, error);

  if (tables == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (platform_rows); i++)
    {
      g_autofree char *select = g_strdup_printf ("SELECT * FROM %s WHERE %s", platform_rows[i].table,
                                                 platform_rows[i].where);
      g_autofree char *target = g_strconcat ("public.", platform_rows[i].table, NULL);
      gint64 rows = 0;

      if (!copy_rows (platform, select, festival_id, dst, target, platform_rows[i].keep_existing, &rows, error))
        return FALSE;
      g_string_append_printf (summary, "  %s: %" G_GINT64_FORMAT "\n", target, rows);
    }

  /* The rows the migrations wrote (the counters) make way for the file's; children go first. */
  for (guint i = tables->len; i > 0; i--)
    {
      g_autofree char *sql = g_strdup_printf ("DELETE FROM %s", (char *) g_ptr_array_index (tables, i - 1));

      if (!fest_db_exec (dst, sql, error))
        return FALSE;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      const char *table = g_ptr_array_index (tables, i);
      /* In SQLite's rowid order where there is one: PostgreSQL numbers its rowid column by it. */
      g_autofree char *ordered = g_strdup_printf ("SELECT * FROM %s ORDER BY rowid", table);
      g_autofree char *plain = g_strdup_printf ("SELECT * FROM %s", table);
      g_autoptr(sqlite3_stmt) probe = NULL;
      gboolean has_rowid;
      gint64 rows = 0;

      has_rowid = sqlite3_prepare_v2 (festival, ordered, -1, &probe, NULL) == SQLITE_OK;
      if (!copy_rows (festival, has_rowid ? ordered : plain, NULL, dst, table, FALSE, &rows, error))
        return FALSE;
      g_string_append_printf (summary, "  %s: %" G_GINT64_FORMAT "\n", table, rows);
    }

  for (guint i = 0; i < G_N_ELEMENTS (copied_identities); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT setval (pg_get_serial_sequence ('%s', '%s'),"
                                              " COALESCE (MAX (%s), 0) + 1, false) FROM %s",
                                              copied_identities[i][0], copied_identities[i][1],
                                              copied_identities[i][1], copied_identities[i][0]);

      if (!fest_db_exec (dst, sql, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fest_store_import_sqlite (const char  *path,
                          const char  *conninfo,
                          GString     *summary,
                          GError     **error)
{
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *platform_path = g_build_filename (dir, "platform.db", NULL);
  g_autofree char *festival_id = NULL;
  g_autofree char *schema = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(FestFestivalStore) store = NULL;
  g_autoptr(FestPlatformStore) platform_store = NULL;
  sqlite3 *festival = NULL;
  sqlite3 *platform = NULL;
  FestDb *dst = NULL;
  gboolean ok = FALSE;

  if (!g_str_has_prefix (base, "festival-") || !g_str_has_suffix (base, ".db"))
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "%s is not a festival's database (festival-<id>.db)", path);
      return FALSE;
    }
  festival_id = g_strndup (base + strlen ("festival-"), strlen (base) - strlen ("festival-") - strlen (".db"));
  if (!fest_uuid_is_valid (festival_id) || !g_file_test (platform_path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "%s: expected festival-<id>.db beside its platform.db", path);
      return FALSE;
    }

  /* The platform's schema, made or brought up to date. */
  platform_store = fest_platform_store_open_pg (conninfo, error);
  if (platform_store == NULL)
    return FALSE;
  g_clear_pointer (&platform_store, fest_platform_store_free);

  /* Bring the file to this program's schema first: the PostgreSQL schema is the latest one. */
  store = fest_festival_store_open (path, error);
  if (store == NULL)
    return FALSE;
  fest_festival_store_close (store);

  /* The schema, created and migrated (committed), then filled in one transaction: on failure it
   * is dropped again, and nothing of the festival is left in the database. */
  g_clear_object (&store);
  store = fest_festival_store_open_pg (conninfo, festival_id, TRUE, error);
  if (store == NULL)
    return FALSE;
  fest_festival_store_close (store);

  schema = _fest_pg_festival_schema (festival_id);
  festival = _fest_sqlite_open (path, FALSE, error);
  platform = festival != NULL ? _fest_sqlite_open (platform_path, FALSE, error) : NULL;
  dst = platform != NULL ? _fest_pg_connect (conninfo, schema, error) : NULL;
  if (dst == NULL)
    goto out;

  before = summary_sqlite (festival, error);
  if (before == NULL || !fest_db_exec (dst, "BEGIN", error))
    goto out;
  g_string_append_printf (summary, "festival %s from %s:\n", festival_id, path);
  if (!import_rows (festival, platform, festival_id, dst, summary, error))
    goto rollback;
  after = summary_db (dst, error);
  if (after == NULL)
    goto rollback;
  if (g_strcmp0 (before, after) != 0)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_MIGRATION,
                   "The copy differs from the file: %s, against %s", after, before);
      goto rollback;
    }
  if (!fest_db_exec (dst, "COMMIT", error))
    goto rollback;
  g_string_append_printf (summary, "both sides: %s\n", after);
  ok = TRUE;
  goto out;

rollback:
  fest_db_exec (dst, "ROLLBACK", NULL);

out:
  g_clear_pointer (&dst, fest_db_free);
  if (platform != NULL)
    sqlite3_close_v2 (platform);
  if (festival != NULL)
    sqlite3_close_v2 (festival);
  if (!ok)
    fest_festival_store_drop_pg (conninfo, festival_id, NULL);
  return ok;
}
