/* fest-tiles-repo.c: the festival's site plan, an MBTiles file next to its database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "fest-store-private.h"
#include "fest-tiles-repo.h"

#define SITE_PLAN_KEY "fest-site-plan"

/* Reading */

typedef struct
{
  char         *path;
  sqlite3      *db;
  sqlite3_stmt *stmt;
  gboolean      broken;   /* the file as identified below is not a usable MBTiles file */
  dev_t         dev;
  ino_t         ino;
  gint64        mtime_ns;
  gint64        size;
} SitePlan;

static void
site_plan_close (SitePlan *plan)
{
  g_clear_pointer (&plan->stmt, sqlite3_finalize);
  g_clear_pointer (&plan->db, sqlite3_close);
  plan->broken = FALSE;
}

static void
site_plan_free (gpointer data)
{
  SitePlan *plan = data;

  site_plan_close (plan);
  g_free (plan->path);
  g_free (plan);
}

char *
fest_tiles_repo_site_plan_path (FestFestivalStore *store)
{
  const char *db_path;
  g_autofree char *base = NULL;

  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (store), NULL);

  db_path = fest_festival_store_get_path (store);
  /* A festival in PostgreSQL has no file beside which to keep its plan. */
  if (db_path == NULL)
    return NULL;
  base = g_str_has_suffix (db_path, ".db") ? g_strndup (db_path, strlen (db_path) - 3) : g_strdup (db_path);
  return g_strconcat (base, ".site-plan.mbtiles", NULL);
}

/* The open plan of @store, or NULL when it has none (or an unusable one). Main thread only. */
static SitePlan *
site_plan_get (FestFestivalStore *store)
{
  SitePlan *plan = g_object_get_data (G_OBJECT (store), SITE_PLAN_KEY);
  struct stat st;
  gint64 mtime_ns;

  if (plan == NULL)
    {
      plan = g_new0 (SitePlan, 1);
      plan->path = fest_tiles_repo_site_plan_path (store);
      g_object_set_data_full (G_OBJECT (store), SITE_PLAN_KEY, plan, site_plan_free);
    }

  if (plan->path == NULL || stat (plan->path, &st) != 0 || !S_ISREG (st.st_mode))
    {
      site_plan_close (plan);
      return NULL;
    }

  mtime_ns = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  if ((plan->db != NULL || plan->broken) &&
      (plan->dev != st.st_dev || plan->ino != st.st_ino || plan->mtime_ns != mtime_ns ||
       plan->size != (gint64) st.st_size))
    site_plan_close (plan);
  plan->dev = st.st_dev;
  plan->ino = st.st_ino;
  plan->mtime_ns = mtime_ns;
  plan->size = st.st_size;

  if (plan->broken)
    return NULL;
  if (plan->db == NULL)
    {
      int rc = sqlite3_open_v2 (plan->path, &plan->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);

      if (rc == SQLITE_OK)
        rc = sqlite3_prepare_v3 (plan->db,
                                 "SELECT tile_data FROM tiles"
                                 " WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                                 -1, SQLITE_PREPARE_PERSISTENT, &plan->stmt, NULL);
      if (rc != SQLITE_OK)
        {
          g_warning ("Site plan %s is not a usable MBTiles file: %s", plan->path,
                     plan->db != NULL ? sqlite3_errmsg (plan->db) : sqlite3_errstr (rc));
          site_plan_close (plan);
          plan->broken = TRUE;
          return NULL;
        }
    }
  return plan;
}

GBytes *
fest_tiles_repo_read_tile (FestFestivalStore *store,
                           guint              z,
                           guint64            x,
                           guint64            tms_row,
                           gboolean          *has_plan)
{
  SitePlan *plan = site_plan_get (store);
  GBytes *body = NULL;
  const void *blob;
  int rc;

  *has_plan = plan != NULL;
  if (plan == NULL)
    return NULL;
  sqlite3_bind_int64 (plan->stmt, 1, (sqlite3_int64) z);
  sqlite3_bind_int64 (plan->stmt, 2, (sqlite3_int64) x);
  sqlite3_bind_int64 (plan->stmt, 3, (sqlite3_int64) tms_row);
  rc = sqlite3_step (plan->stmt);
  if (rc == SQLITE_ROW && (blob = sqlite3_column_blob (plan->stmt, 0)) != NULL)
    body = g_bytes_new (blob, sqlite3_column_bytes (plan->stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_warning ("Reading the site plan %s: %s", plan->path, sqlite3_errmsg (plan->db));
  sqlite3_reset (plan->stmt);
  sqlite3_clear_bindings (plan->stmt);
  return body;
}

/* Writing */

struct _FestMbtilesWriter
{
  char         *path;
  char         *tmp_path;
  sqlite3      *db;
  sqlite3_stmt *metadata;
  sqlite3_stmt *tiles;
};

static gboolean
exec (sqlite3     *db,
      const char  *sql,
      GError     **error)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "%s", message ? message : "SQLite error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

FestMbtilesWriter *
fest_mbtiles_writer_new (const char  *path,
                         GError     **error)
{
  g_autoptr(FestMbtilesWriter) self = g_new0 (FestMbtilesWriter, 1);

  g_return_val_if_fail (path != NULL, NULL);

  self->path = g_strdup (path);
  self->tmp_path = g_strconcat (path, ".tmp", NULL);
  g_unlink (self->tmp_path);
  /* Owner only, as every file of the data dir: SQLite would create it 0644. */
  if (!g_file_set_contents_full (self->tmp_path, "", 0, G_FILE_SET_CONTENTS_NONE, 0600, error))
    return NULL;
  if (sqlite3_open_v2 (self->tmp_path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK)
    {
      fest_sqlite_error (self->db, error);
      return NULL;
    }
  if (!exec (self->db,
             "PRAGMA journal_mode = OFF;"
             "BEGIN;"
             "CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);"
             "CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL,"
             " tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);"
             "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
             error))
    return NULL;
  return g_steal_pointer (&self);
}

gboolean
fest_mbtiles_writer_add_metadata (FestMbtilesWriter  *self,
                                  const char         *name,
                                  const char         *value,
                                  GError            **error)
{
  if (self->metadata == NULL
      && sqlite3_prepare_v2 (self->db, "INSERT INTO metadata (name, value) VALUES (?1, ?2)", -1,
                             &self->metadata, NULL) != SQLITE_OK)
    return fest_sqlite_error (self->db, error);
  sqlite3_bind_text (self->metadata, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->metadata, 2, value, -1, SQLITE_STATIC);
  if (sqlite3_step (self->metadata) != SQLITE_DONE)
    return fest_sqlite_error (self->db, error);
  sqlite3_reset (self->metadata);
  return TRUE;
}

gboolean
fest_mbtiles_writer_add_tile (FestMbtilesWriter  *self,
                              int                 zoom,
                              int                 column,
                              int                 tms_row,
                              GBytes             *data,
                              GError            **error)
{
  if (self->tiles == NULL
      && sqlite3_prepare_v2 (self->db, "INSERT INTO tiles (zoom_level, tile_column, tile_row, tile_data)"
                                       " VALUES (?1, ?2, ?3, ?4)", -1, &self->tiles, NULL) != SQLITE_OK)
    return fest_sqlite_error (self->db, error);
  sqlite3_bind_int (self->tiles, 1, zoom);
  sqlite3_bind_int (self->tiles, 2, column);
  sqlite3_bind_int (self->tiles, 3, tms_row);
  sqlite3_bind_blob (self->tiles, 4, g_bytes_get_data (data, NULL), (int) g_bytes_get_size (data),
                     SQLITE_TRANSIENT);
  if (sqlite3_step (self->tiles) != SQLITE_DONE)
    return fest_sqlite_error (self->db, error);
  sqlite3_reset (self->tiles);
  return TRUE;
}

gboolean
fest_mbtiles_writer_finish (FestMbtilesWriter  *self,
                            GError            **error)
{
  g_clear_pointer (&self->metadata, sqlite3_finalize);
  g_clear_pointer (&self->tiles, sqlite3_finalize);
  if (!exec (self->db, "COMMIT;", error))
    return FALSE;
  if (sqlite3_close (self->db) != SQLITE_OK)
    {
      g_set_error (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE, "Cannot close %s", self->tmp_path);
      return FALSE;
    }
  self->db = NULL;
  if (g_rename (self->tmp_path, self->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno), "Cannot rename %s: %s",
                   self->tmp_path, g_strerror (saved_errno));
      return FALSE;
    }
  g_clear_pointer (&self->tmp_path, g_free);
  return TRUE;
}

void
fest_mbtiles_writer_free (FestMbtilesWriter *self)
{
  g_clear_pointer (&self->metadata, sqlite3_finalize);
  g_clear_pointer (&self->tiles, sqlite3_finalize);
  if (self->db != NULL)
    sqlite3_close (self->db);
  if (self->tmp_path != NULL)
    g_unlink (self->tmp_path);
  g_free (self->tmp_path);
  g_free (self->path);
  g_free (self);
}
