/* test-tiles.c: GET /tiles/{z}/{x}/{y}.png from the festival's MBTiles site plan
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * On PostgreSQL (`meson test --setup postgresql`), a festival has no site plan yet (the plan is an
 * MBTiles file beside the SQLite store) and the tile routes answer 404 for it: /fest/tiles/serve
 * checks that, then it, etag, other-festival, broken-plan, latency and demo are skipped as SQLite
 * only. missing-tile, bad-coordinates and unauthenticated run on both.
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *security_token;
} Fixture;

typedef struct
{
  guint               status;
  GBytes             *body;
  SoupMessageHeaders *headers;
} TileReply;

static void
tile_reply_clear (TileReply *reply)
{
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
}

/* A tile that is not a real image: only the signature says PNG. Distinct per tile. */
static GBytes *
fake_png (int z,
          int x,
          int row)
{
  GByteArray *data = g_byte_array_new ();
  static const guint8 signature[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  g_autofree char *text = g_strdup_printf ("tile z=%d x=%d tms-row=%d", z, x, row);

  g_byte_array_append (data, signature, sizeof signature);
  g_byte_array_append (data, (const guint8 *) text, strlen (text));
  /* Binary content, NUL bytes included, must come back unchanged. */
  for (guint i = 0; i < 2048; i++)
    {
      guint8 byte = (guint8) ((i * 31 + z * 7 + x * 3 + row) & 0xff);
      g_byte_array_append (data, &byte, 1);
    }
  return g_byte_array_free_to_bytes (data);
}

static char *
site_plan_path (Fixture    *fixture,
                const char *festival_id)
{
  g_autofree char *name = g_strdup_printf ("festival-%s.site-plan.mbtiles", festival_id);

  return g_build_filename (fest_test_server_get_data_dir (fixture->server), name, NULL);
}

/* An MBTiles file with the tiles of zoom 3 column 4, every row, stored TMS-style. */
static void
write_site_plan (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE metadata (name TEXT, value TEXT);"
                                 "INSERT INTO metadata VALUES ('format', 'png');"
                                 "CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER,"
                                 " tile_row INTEGER, tile_data BLOB);"
                                 "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO tiles VALUES (?, ?, ?, ?)", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  for (int row = 0; row < 8; row++)
    {
      g_autoptr(GBytes) png = fake_png (3, 4, row);

      sqlite3_bind_int (stmt, 1, 3);
      sqlite3_bind_int (stmt, 2, 4);
      sqlite3_bind_int (stmt, 3, row);
      sqlite3_bind_blob (stmt, 4, g_bytes_get_data (png, NULL), (int) g_bytes_get_size (png), SQLITE_TRANSIENT);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = NULL;

  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Tiles fest", &fixture->fest);
  fixture->security_token = fest_test_server_add_member (fixture->server, fixture->fest.organiser_token,
                                                         fixture->fest.festival_id, "security@test.festivals",
                                                         "SECURITY", NULL);
  /* On PostgreSQL a festival has no site plan yet (the server reads no file for it). */
  if (fest_test_backend_is_pg ())
    return;
  path = site_plan_path (fixture, fixture->fest.festival_id);
  write_site_plan (path);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_free (fixture->security_token);
  fest_test_festival_clear (&fixture->fest);
  fest_test_server_free (fixture->server);
}

/* GET /api/v1@path, raw. */
static void
get_tile (FestTestServer *server,
          const char     *path,
          const char     *token,
          const char     *if_none_match,
          TileReply      *reply)
{
  g_autofree char *url = g_strdup_printf ("%s/api/v1%s", fest_test_server_get_url (server), path);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;

  if (token != NULL)
    {
      g_autofree char *bearer = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", bearer);
    }
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", if_none_match);
  reply->body = soup_session_send_and_read (fest_test_server_get_session (server), msg, NULL, &error);
  g_assert_no_error (error);
  reply->status = soup_message_get_status (msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
}

static void
assert_error_reply (TileReply  *reply,
                    guint       status,
                    const char *code,
                    const char *field)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (reply->status, ==, status);
  g_assert_true (json_parser_load_from_data (parser, g_bytes_get_data (reply->body, NULL),
                                             (gssize) g_bytes_get_size (reply->body), &error));
  g_assert_no_error (error);
  fest_test_assert_error (json_parser_get_root (parser), code, field);
}

static void
test_serve (Fixture       *fixture,
            gconstpointer  data)
{
  TileReply reply = { 0 };
  /* XYZ row 2 at zoom 3 is TMS row 8 - 1 - 2 = 5. */
  g_autoptr(GBytes) expected = fake_png (3, 4, 5);
  g_autoptr(GBytes) wrong_row = fake_png (3, 4, 2);

  if (fest_test_backend_is_pg ())
    {
      /* What it answers meanwhile: no plan. */
      get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
      assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
      tile_reply_clear (&reply);
      g_test_skip ("SQLite only: the site plan is an MBTiles file; a festival on PostgreSQL has none yet");
      return;
    }

  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (reply.headers, NULL), ==, "image/png");
  g_assert_true (g_bytes_equal (reply.body, expected));
  g_assert_false (g_bytes_equal (reply.body, wrong_row));
  g_assert_nonnull (soup_message_headers_get_one (reply.headers, "ETag"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (reply.headers, "Cache-Control"), "max-age="));
  tile_reply_clear (&reply);

  /* The organiser (another role) reads the same plan. */
  get_tile (fixture->server, "/tiles/3/4/7.png", fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  {
    g_autoptr(GBytes) row0 = fake_png (3, 4, 0);

    g_assert_true (g_bytes_equal (reply.body, row0));
  }
  tile_reply_clear (&reply);
}

static void
test_etag (Fixture       *fixture,
           gconstpointer  data)
{
  TileReply reply = { 0 };
  g_autofree char *etag = NULL;
  g_autofree char *list = NULL;
  g_autofree char *other_etag = NULL;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the site plan is an MBTiles file; a festival on PostgreSQL has none yet");
      return;
    }

  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  etag = g_strdup (soup_message_headers_get_one (reply.headers, "ETag"));
  g_assert_true (g_str_has_prefix (etag, "\"") && g_str_has_suffix (etag, "\""));
  tile_reply_clear (&reply);

  /* Same tile, same tag: 304 with no body. */
  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, etag, &reply);
  g_assert_cmpuint (reply.status, ==, 304);
  g_assert_cmpuint (g_bytes_get_size (reply.body), ==, 0);
  g_assert_cmpstr (soup_message_headers_get_one (reply.headers, "ETag"), ==, etag);
  tile_reply_clear (&reply);

  /* In a list of tags too. */
  list = g_strdup_printf ("\"nope\", %s", etag);
  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, list, &reply);
  g_assert_cmpuint (reply.status, ==, 304);
  tile_reply_clear (&reply);

  /* Another tile has another tag, and the first tile's tag does not make it 304. */
  get_tile (fixture->server, "/tiles/3/4/3.png", fixture->security_token, etag, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  other_etag = g_strdup (soup_message_headers_get_one (reply.headers, "ETag"));
  g_assert_cmpstr (other_etag, !=, etag);
  tile_reply_clear (&reply);
}

static void
test_missing_tile (Fixture       *fixture,
                   gconstpointer  data)
{
  TileReply reply = { 0 };

  /* A zoom and a column the plan has no tiles for. */
  get_tile (fixture->server, "/tiles/3/5/2.png", fixture->security_token, NULL, &reply);
  assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
  tile_reply_clear (&reply);
  get_tile (fixture->server, "/tiles/12/2100/1400.png", fixture->security_token, NULL, &reply);
  assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
  tile_reply_clear (&reply);
}

static void
test_bad_coordinates (Fixture       *fixture,
                      gconstpointer  data)
{
  static const struct
  {
    const char *path;
    const char *field;
  } cases[] = {
    { "/tiles/25/0/0.png", "z" },
    { "/tiles/a/0/0.png", "z" },
    { "/tiles/-1/0/0.png", "z" },
    { "/tiles/3/8/0.png", "x" },
    { "/tiles/3/x/0.png", "x" },
    { "/tiles/3/%2B1/0.png", "x" },
    { "/tiles/3/0/8.png", "y" },
    { "/tiles/3/0/abc.png", "y" },
    { "/tiles/3/0/1.jpg", "y" },
    { "/tiles/3/0/1", "y" },
    { "/tiles/3/0/.png", "y" },
    { "/tiles/99999999999/0/0.png", "z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      TileReply reply = { 0 };

      g_test_message ("%s", cases[i].path);
      get_tile (fixture->server, cases[i].path, fixture->security_token, NULL, &reply);
      assert_error_reply (&reply, 400, "VALIDATION_FAILED", cases[i].field);
      tile_reply_clear (&reply);
    }
}

static void
test_unauthenticated (Fixture       *fixture,
                      gconstpointer  data)
{
  TileReply reply = { 0 };

  get_tile (fixture->server, "/tiles/3/4/2.png", NULL, NULL, &reply);
  assert_error_reply (&reply, 401, "UNAUTHENTICATED", NULL);
  tile_reply_clear (&reply);
  get_tile (fixture->server, "/tiles/3/4/2.png", "not-a-token", NULL, &reply);
  assert_error_reply (&reply, 401, "UNAUTHENTICATED", NULL);
  tile_reply_clear (&reply);
}

/* A token of festival B reads B's plan: absent (404) while festival A's exists; once B gets a plan
 * (dropped in while serving), B's own tiles and never A's. */
static void
test_other_festival (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *other_id = fest_test_server_create_festival (fixture->server, fixture->fest.superadmin_token,
                                                                "Other fest");
  g_autofree char *other_token = fest_test_server_login (fixture->server, fixture->fest.superadmin_email,
                                                         FEST_TEST_PASSWORD, other_id);
  g_autofree char *other_path = site_plan_path (fixture, other_id);
  g_autoptr(GBytes) a_tile = fake_png (3, 4, 5);
  TileReply reply = { 0 };

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the site plan is an MBTiles file; a festival on PostgreSQL has none yet");
      return;
    }

  get_tile (fixture->server, "/tiles/3/4/2.png", other_token, NULL, &reply);
  assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
  tile_reply_clear (&reply);

  /* B's plan: the same layout but its tiles are at zoom 3 column 4 shifted by one row. */
  {
    sqlite3 *db = NULL;
    g_autoptr(GBytes) b_tile = fake_png (3, 4, 6);

    write_site_plan (other_path);
    g_assert_cmpint (sqlite3_open (other_path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, "DELETE FROM tiles WHERE tile_row = 5", NULL, NULL, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);

    get_tile (fixture->server, "/tiles/3/4/1.png", other_token, NULL, &reply);
    g_assert_cmpuint (reply.status, ==, 200);
    g_assert_true (g_bytes_equal (reply.body, b_tile));
    tile_reply_clear (&reply);
    get_tile (fixture->server, "/tiles/3/4/2.png", other_token, NULL, &reply);
    assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
    tile_reply_clear (&reply);
  }

  /* A's token still reads A's tile. */
  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, a_tile));
  tile_reply_clear (&reply);

  /* Removing the plan makes it absent again. */
  g_assert_cmpint (g_remove (other_path), ==, 0);
  get_tile (fixture->server, "/tiles/3/4/1.png", other_token, NULL, &reply);
  assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
  tile_reply_clear (&reply);
}

/* A file that is not an MBTiles plan is no plan (404, the server keeps serving); replaced by a
 * good one, it is read again without a restart. */
static void
test_broken_plan (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = site_plan_path (fixture, fixture->fest.festival_id);
  g_autoptr(GBytes) expected = fake_png (3, 4, 5);
  g_autoptr(GError) error = NULL;
  TileReply reply = { 0 };

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the site plan is an MBTiles file; a festival on PostgreSQL has none yet");
      return;
    }

  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  tile_reply_clear (&reply);

  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_true (g_file_set_contents (path, "this is not a site plan, just text", -1, &error));
  g_assert_no_error (error);
  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  assert_error_reply (&reply, 404, "NOT_FOUND", NULL);
  tile_reply_clear (&reply);
  g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/health", NULL, NULL, NULL), ==, 200);

  g_assert_cmpint (g_remove (path), ==, 0);
  write_site_plan (path);
  get_tile (fixture->server, "/tiles/3/4/2.png", fixture->security_token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_true (g_bytes_equal (reply.body, expected));
  tile_reply_clear (&reply);
}

/* Tiles are read on the main thread: measure that it stays cheap (the whole round trip). */
static void
test_latency (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 start = g_get_monotonic_time ();
  gint64 elapsed;
  const guint n = 300;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: the site plan is an MBTiles file; a festival on PostgreSQL has none yet");
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      TileReply reply = { 0 };
      g_autofree char *path = g_strdup_printf ("/tiles/3/4/%u.png", i % 8);

      get_tile (fixture->server, path, fixture->security_token, NULL, &reply);
      g_assert_cmpuint (reply.status, ==, 200);
      tile_reply_clear (&reply);
    }
  elapsed = g_get_monotonic_time () - start;
  g_test_message ("%u tiles in %" G_GINT64_FORMAT " ms: %.0f µs per request, round trip included", n,
                  elapsed / 1000, (double) elapsed / n);
  /* Generous bound for slow CI machines and sanitizer builds. */
  g_assert_cmpint (elapsed / n, <, 20000);
}

/* --demo draws a site plan for the demo festival: real PNG tiles over the stands. */
static void
test_demo (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_NO_START);
  g_autofree char *token = NULL;
  g_autoptr(JsonNode) me = NULL;
  g_autofree char *plan = NULL;
  g_autofree char *name = NULL;
  static const guint8 png[] = { 0x89, 'P', 'N', 'G' };
  TileReply reply = { 0 };
  GStatBuf st;

  if (fest_test_backend_is_pg ())
    {
      g_test_skip ("SQLite only: --demo draws the site plan as an MBTiles file");
      return;
    }

  fest_test_server_add_arg (server, "--demo");
  fest_test_server_start (server);
  token = fest_test_server_login (server, "security@demo.festivals", "festivals-demo", NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", token, NULL, &me), ==, 200);
  name = g_strdup_printf ("festival-%s.site-plan.mbtiles", fest_test_json_string (me, "data.festival.id"));
  plan = g_build_filename (fest_test_server_get_data_dir (server), name, NULL);
  g_assert_cmpint (g_stat (plan, &st), ==, 0);
  g_test_message ("demo site plan: %" G_GINT64_FORMAT " bytes", (gint64) st.st_size);
  g_assert_cmpint (st.st_size, <, 2 * 1024 * 1024);

  /* Bar du Lac, 45.7512 N 4.8491 E, is in tile 18/134603/93521; zoom 14 and 19 exist too. */
  get_tile (server, "/tiles/18/134603/93521.png", token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  g_assert_cmpuint (g_bytes_get_size (reply.body), >, 200);
  g_assert_cmpmem (g_bytes_get_data (reply.body, NULL), sizeof png, png, sizeof png);
  tile_reply_clear (&reply);
  get_tile (server, "/tiles/14/8412/5845.png", token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  tile_reply_clear (&reply);
  get_tile (server, "/tiles/19/269206/187042.png", token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 200);
  tile_reply_clear (&reply);
  /* Far away: no tile. */
  get_tile (server, "/tiles/18/0/0.png", token, NULL, &reply);
  g_assert_cmpuint (reply.status, ==, 404);
  tile_reply_clear (&reply);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/fest/tiles/" path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("serve", test_serve);
  ADD ("etag", test_etag);
  ADD ("missing-tile", test_missing_tile);
  ADD ("bad-coordinates", test_bad_coordinates);
  ADD ("unauthenticated", test_unauthenticated);
  ADD ("other-festival", test_other_festival);
  ADD ("broken-plan", test_broken_plan);
  ADD ("latency", test_latency);
#undef ADD
  g_test_add_func ("/fest/tiles/demo", test_demo);

  return g_test_run ();
}
