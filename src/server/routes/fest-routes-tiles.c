/* fest-routes-tiles.c: GET /tiles/{z}/{x}/{y}.png from the festival's MBTiles site plan
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The site plan is an MBTiles file (SQLite, table tiles(zoom_level, tile_column, tile_row,
 * tile_data), rows counted TMS-style from the south) next to the festival's database. It is
 * opened read-only on first use and kept open with one prepared statement; the file is stat()ed on
 * each request, so an organiser can drop in or replace a plan without restarting the server.
 *
 * Tiles are read on the main thread: a lookup by primary key of a blob of a few kilobytes through
 * a prepared statement takes tens of microseconds (test-tiles measures it), less than handing the
 * read to a thread and back would.
 */

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "fest-core.h"
#include "fest-router.h"
#include "fest-routes-tiles.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

#define SITE_PLAN_KEY   "fest-site-plan"
#define MAX_ZOOM        24
#define CACHE_CONTROL   "private, max-age=3600"

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
fest_tiles_site_plan_path (FestFestivalStore *store)
{
  const char *db_path;
  g_autofree char *base = NULL;

  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (store), NULL);

  db_path = fest_festival_store_get_path (store);
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
      plan->path = fest_tiles_site_plan_path (store);
      g_object_set_data_full (G_OBJECT (store), SITE_PLAN_KEY, plan, site_plan_free);
    }

  if (stat (plan->path, &st) != 0 || !S_ISREG (st.st_mode))
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

/* Decimal digits only (no sign, no spaces), at most 8 of them. */
static gboolean
parse_coordinate (const char *text,
                  gsize       len,
                  guint64    *value)
{
  guint64 result = 0;

  if (len == 0 || len > 8)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      result = result * 10 + (guint64) (text[i] - '0');
    }
  *value = result;
  return TRUE;
}

static const char *
sniff_content_type (const guint8 *data,
                    gsize         len)
{
  static const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };

  if (len >= sizeof png && memcmp (data, png, sizeof png) == 0)
    return "image/png";
  if (len >= 3 && data[0] == 0xff && data[1] == 0xd8 && data[2] == 0xff)
    return "image/jpeg";
  if (len >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  return "application/octet-stream";
}

/* Does the If-None-Match header (a list of entity tags, or "*") name @etag? */
static gboolean
etag_matches (const char *if_none_match,
              const char *etag)
{
  g_auto(GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;
  tags = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; tags[i] != NULL; i++)
    {
      const char *tag = g_strstrip (tags[i]);

      if (g_str_has_prefix (tag, "W/"))
        tag += 2;
      if (g_str_equal (tag, "*") || g_str_equal (tag, etag))
        return TRUE;
    }
  return FALSE;
}

static void
reply_invalid (FestRequest *req,
               const char  *field,
               const char  *message)
{
  g_autoptr(GError) error = fest_error_validation (field, "%s", message);

  fest_request_reply_gerror (req, error);
}

static void
get_tile (FestRequest *req)
{
  const char *z_text = fest_request_get_param (req, "z");
  const char *x_text = fest_request_get_param (req, "x");
  const char *y_text = fest_request_get_param (req, "y");
  SoupMessageHeaders *headers;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *checksum = NULL;
  g_autofree char *etag = NULL;
  guint64 z, x, y, n;
  SitePlan *plan;
  const void *blob;
  int rc;

  if (!parse_coordinate (z_text, strlen (z_text), &z) || z > MAX_ZOOM)
    {
      reply_invalid (req, "z", "z must be a zoom level from 0 to 24");
      return;
    }
  n = G_GUINT64_CONSTANT (1) << z;
  if (!parse_coordinate (x_text, strlen (x_text), &x) || x >= n)
    {
      reply_invalid (req, "x", "x must be a tile column of the zoom level");
      return;
    }
  if (!g_str_has_suffix (y_text, ".png") || !parse_coordinate (y_text, strlen (y_text) - 4, &y) || y >= n)
    {
      reply_invalid (req, "y", "y must be a tile row of the zoom level followed by .png");
      return;
    }

  plan = site_plan_get (fest_request_get_store (req));
  if (plan == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "This festival has no site plan", NULL);
      return;
    }

  sqlite3_bind_int64 (plan->stmt, 1, (sqlite3_int64) z);
  sqlite3_bind_int64 (plan->stmt, 2, (sqlite3_int64) x);
  sqlite3_bind_int64 (plan->stmt, 3, (sqlite3_int64) (n - 1 - y));  /* TMS rows */
  rc = sqlite3_step (plan->stmt);
  if (rc == SQLITE_ROW && (blob = sqlite3_column_blob (plan->stmt, 0)) != NULL)
    body = g_bytes_new (blob, sqlite3_column_bytes (plan->stmt, 0));
  else if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    g_warning ("Reading the site plan %s: %s", plan->path, sqlite3_errmsg (plan->db));
  sqlite3_reset (plan->stmt);
  sqlite3_clear_bindings (plan->stmt);

  if (body == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "The site plan has no such tile", NULL);
      return;
    }

  checksum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA1, body);
  etag = g_strdup_printf ("\"%s\"", checksum);
  headers = soup_server_message_get_response_headers (fest_request_get_message (req));
  soup_message_headers_replace (headers, "ETag", etag);
  soup_message_headers_replace (headers, "Cache-Control", CACHE_CONTROL);

  /* For a 304 SoupServer sends the headers only (no body, no Content-Length of it); the body is
   * passed because fest_request_reply_bytes() wants a non-empty one. */
  fest_request_reply_bytes (req,
                            etag_matches (fest_request_get_header (req, "If-None-Match"), etag)
                            ? SOUP_STATUS_NOT_MODIFIED : SOUP_STATUS_OK,
                            sniff_content_type (g_bytes_get_data (body, NULL), g_bytes_get_size (body)),
                            body);
}

void
fest_demo_add_site_plan (FestServer        *server,
                         FestFestivalStore *store)
{
  g_autofree char *path = fest_tiles_site_plan_path (store);
  g_autoptr(GError) error = NULL;

  if (!fest_site_plan_write_demo (path, &error))
    g_warning ("The demo festival gets no site plan: %s", error->message);
}

void
fest_routes_tiles_register (FestRouter *router)
{
  /* The router's {name} segments are whole segments: the ".png" of the last one is checked here. */
  fest_router_add (router, "GET", "/tiles/{z}/{x}/{y}", FEST_ROUTE_FESTIVAL, FEST_PERM_FESTIVAL_READ, get_tile);
}
