/* fest-routes-tiles.c: GET /tiles/{z}/{x}/{y}.png from the festival's MBTiles site plan
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The site plan is an MBTiles file next to the festival's database (store/fest-tiles-repo.c).
 * The file is stat()ed on each request, so an organiser can drop in or replace a plan without
 * restarting the server.
 *
 * Tiles are read on the main thread: a lookup by primary key of a blob of a few kilobytes through
 * a prepared statement takes tens of microseconds (test-tiles measures it), less than handing the
 * read to a thread and back would.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-router.h"
#include "fest-routes-tiles.h"
#include "fest-tiles-repo.h"

#define MAX_ZOOM        24
#define CACHE_CONTROL   "private, max-age=3600"

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
  gboolean has_plan;

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

  body = fest_tiles_repo_read_tile (fest_request_get_store (req), (guint) z, x, n - 1 - y /* TMS rows */,
                                    &has_plan);
  if (!has_plan)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "This festival has no site plan", NULL);
      return;
    }

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
fest_routes_tiles_register (FestRouter *router)
{
  /* The router's {name} segments are whole segments: the ".png" of the last one is checked here. */
  fest_router_add (router, "GET", "/tiles/{z}/{x}/{y}", FEST_ROUTE_FESTIVAL, FEST_PERM_FESTIVAL_READ, get_tile);
}
