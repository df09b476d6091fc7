/* fest-site-plan.c: draws the demo festival's site plan into an MBTiles file
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The demo festival (fest-demo.c) sits in Lyon around 45.7503 N, 4.8500 E. Its plan is described
 * here in metres east/north of that point (the stands at the positions fest-demo.c gives them),
 * projected to Web Mercator and drawn with cairo, one 256 px PNG per tile, for zoom levels 14 to
 * 19 over the site. Each tile draws the whole (small) scene translated, so shapes and labels that
 * cross tile borders line up. About 300 tiles, well under a second and 1 MB.
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <cairo.h>

#include "fest-core.h"
#include "fest-demo.h"
#include "fest-tiles-repo.h"

#define TILE_SIZE 256
#define MIN_ZOOM  14
#define MAX_ZOOM  19

/* The scene's origin, and what a metre is in degrees there. */
#define ORIGIN_LAT 45.7503
#define ORIGIN_LNG 4.8500
#define M_PER_DEG_LAT 111132.0

typedef struct
{
  double x, y;   /* metres east, north of the origin */
} Point;

typedef enum
{
  POI_BAR,
  POI_FOOD,
  POI_MERCH,
  POI_RECHARGE,
  POI_FIRST_AID,
  POI_GATE,
  POI_TOILETS,
} PoiKind;

typedef struct
{
  PoiKind     kind;
  double      lat, lng;
  const char *label;
} Poi;

static const Point site_fence[] = {
  { -260, -150 }, { -200, -225 }, { 150, -225 }, { 295, -120 }, { 295, 190 },
  { 150, 205 }, { -120, 205 }, { -260, 125 },
};

/* The stands are where fest-demo.c puts them. */
static const Poi pois[] = {
  { POI_BAR, 45.7512, 4.8491, "Bar du Lac" },
  { POI_BAR, 45.7497, 4.8512, "Bar de la Scène" },
  { POI_FOOD, 45.7503, 4.8478, "Food Truck Lumière" },
  { POI_MERCH, 45.7508, 4.8523, "Merch Officiel" },
  { POI_RECHARGE, 45.7515, 4.8530, "Recharge Entrée" },
  { POI_FIRST_AID, 45.75023, 4.85193, "Poste de secours" },
  { POI_GATE, 45.75138, 4.85378, "Entrée principale" },
  { POI_GATE, 45.74828, 4.84936, "Sortie de secours" },
  { POI_TOILETS, 45.74994, 4.84949, "WC" },
  { POI_TOILETS, 45.74977, 4.85257, "WC" },
};

/* Paths, in metres: the main avenue from the gate, then the branches. */
static const Point avenue[] = { { 300, 120 }, { 180, 100 }, { 60, 40 }, { -60, 40 }, { -180, 15 } };
static const Point to_lake[] = { { -60, 40 }, { -75, 95 } };
static const Point to_stage[] = { { 60, 40 }, { 40, -35 } };
static const Point to_first_aid[] = { { 120, 70 }, { 150, -10 }, { 190, -60 } };
static const Point to_exit[] = { { -60, 40 }, { -40, -40 }, { -50, -232 } };
static const Point to_merch[] = { { 180, 100 }, { 180, 56 } };

typedef struct
{
  const Point *points;
  guint        n_points;
  double       width_m;
} PathDef;

static const PathDef paths[] = {
  { avenue, G_N_ELEMENTS (avenue), 9 },
  { to_lake, G_N_ELEMENTS (to_lake), 5 },
  { to_stage, G_N_ELEMENTS (to_stage), 6 },
  { to_first_aid, G_N_ELEMENTS (to_first_aid), 5 },
  { to_exit, G_N_ELEMENTS (to_exit), 5 },
  { to_merch, G_N_ELEMENTS (to_merch), 4 },
};

typedef struct
{
  double x0, y0, x1, y1;   /* metres */
  const char *label;
} Stage;

static const Stage stages[] = {
  { 5, -150, 75, -120, "Grande scène" },
  { -225, 20, -185, 40, "Scène du Village" },
};

/* Web Mercator world pixels at @zoom. */
static void
project (double  lat,
         double  lng,
         int     zoom,
         double *px,
         double *py)
{
  double scale = TILE_SIZE * (double) (1 << zoom);
  double phi = lat * G_PI / 180.0;

  *px = (lng + 180.0) / 360.0 * scale;
  *py = (1.0 - log (tan (phi) + 1.0 / cos (phi)) / G_PI) / 2.0 * scale;
}

static void
metres_to_lat_lng (Point   p,
                   double *lat,
                   double *lng)
{
  *lat = ORIGIN_LAT + p.y / M_PER_DEG_LAT;
  *lng = ORIGIN_LNG + p.x / (M_PER_DEG_LAT * cos (ORIGIN_LAT * G_PI / 180.0));
}

static void
project_metres (Point   p,
                int     zoom,
                double *px,
                double *py)
{
  double lat, lng;

  metres_to_lat_lng (p, &lat, &lng);
  project (lat, lng, zoom, px, py);
}

static double
pixels_per_metre (int zoom)
{
  double px0, py0, px1, py1;

  project_metres ((Point) { 0, 0 }, zoom, &px0, &py0);
  project_metres ((Point) { 100, 0 }, zoom, &px1, &py1);
  return (px1 - px0) / 100.0;
}

static void
set_rgb (cairo_t *cr,
         guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
}

static void
polyline (cairo_t     *cr,
          const Point *points,
          guint        n_points,
          int          zoom)
{
  for (guint i = 0; i < n_points; i++)
    {
      double px, py;

      project_metres (points[i], zoom, &px, &py);
      if (i == 0)
        cairo_move_to (cr, px, py);
      else
        cairo_line_to (cr, px, py);
    }
}

/* Text centred on (x, y), dark on a white halo so it reads on any background. */
static void
label (cairo_t    *cr,
       const char *text,
       double      x,
       double      y,
       double      size,
       guint32     rgb,
       gboolean    italic)
{
  cairo_text_extents_t extents;

  cairo_select_font_face (cr, "Sans", italic ? CAIRO_FONT_SLANT_ITALIC : CAIRO_FONT_SLANT_NORMAL,
                          CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, size);
  cairo_text_extents (cr, text, &extents);
  cairo_move_to (cr, x - extents.width / 2 - extents.x_bearing, y - extents.height / 2 - extents.y_bearing);
  cairo_text_path (cr, text);
  cairo_set_source_rgba (cr, 1, 1, 1, 0.9);
  cairo_set_line_width (cr, 3.5);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_stroke_preserve (cr);
  set_rgb (cr, rgb);
  cairo_fill (cr);
}

static guint32
poi_colour (PoiKind kind)
{
  switch (kind)
    {
    case POI_BAR: return 0xd9760f;
    case POI_FOOD: return 0xc6412f;
    case POI_MERCH: return 0x3465a4;
    case POI_RECHARGE: return 0x1f8a70;
    case POI_FIRST_AID: return 0xd01f1f;
    case POI_GATE: return 0x2e5c1e;
    case POI_TOILETS: return 0x4a6fa5;
    default: return 0x333333;
    }
}

static void
draw_poi (cairo_t   *cr,
          const Poi *poi,
          int        zoom)
{
  double px, py;
  double r = zoom >= 18 ? 9 : zoom >= 17 ? 7 : 5;

  project (poi->lat, poi->lng, zoom, &px, &py);

  if (poi->kind == POI_FIRST_AID)
    {
      /* A red cross on white. */
      cairo_rectangle (cr, px - r - 1, py - r - 1, 2 * r + 2, 2 * r + 2);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_fill_preserve (cr);
      set_rgb (cr, poi_colour (poi->kind));
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
      cairo_rectangle (cr, px - r * 0.25, py - r * 0.75, r * 0.5, r * 1.5);
      cairo_rectangle (cr, px - r * 0.75, py - r * 0.25, r * 1.5, r * 0.5);
      cairo_fill (cr);
    }
  else if (poi->kind == POI_GATE || poi->kind == POI_TOILETS)
    {
      cairo_rectangle (cr, px - r, py - r, 2 * r, 2 * r);
      set_rgb (cr, poi_colour (poi->kind));
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 1.5);
      cairo_stroke (cr);
    }
  else
    {
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
      set_rgb (cr, poi_colour (poi->kind));
      cairo_fill_preserve (cr);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_set_line_width (cr, 2);
      cairo_stroke (cr);
    }

  /* Gate labels go above their marker, clear of the stands next to them. */
  if (zoom >= 17 && poi->kind == POI_GATE && poi->lat > ORIGIN_LAT)
    label (cr, poi->label, px, py - r - (zoom >= 18 ? 12 : 10), zoom >= 18 ? 13 : 11, 0x202020, FALSE);
  else if (zoom >= 17 && poi->kind != POI_TOILETS)
    label (cr, poi->label, px, py + r + (zoom >= 18 ? 12 : 10), zoom >= 18 ? 13 : 11, 0x202020, FALSE);
  else if (zoom >= 18 && poi->kind == POI_TOILETS)
    {
      cairo_select_font_face (cr, "Sans", CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
      cairo_set_font_size (cr, 9);
      cairo_set_source_rgb (cr, 1, 1, 1);
      cairo_move_to (cr, px - 7, py + 3);
      cairo_show_text (cr, "WC");
    }
}

static void
draw_scene (cairo_t *cr,
            int      zoom)
{
  double ppm = pixels_per_metre (zoom);
  double px, py, px1, py1;

  /* Outside the site: fields and a road to the east with the car park. */
  set_rgb (cr, 0xecebe2);
  cairo_paint (cr);

  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  {
    static const Point road[] = { { 340, -600 }, { 335, 0 }, { 345, 600 } };
    static const Point car_park[] = { { 370, 20 }, { 470, 20 }, { 470, 170 }, { 370, 170 } };

    polyline (cr, car_park, G_N_ELEMENTS (car_park), zoom);
    cairo_close_path (cr);
    set_rgb (cr, 0xd6d6d0);
    cairo_fill (cr);
    polyline (cr, road, G_N_ELEMENTS (road), zoom);
    set_rgb (cr, 0xb8b8b0);
    cairo_set_line_width (cr, MAX (12 * ppm, 2.5));
    cairo_stroke_preserve (cr);
    cairo_set_source_rgb (cr, 1, 1, 1);
    cairo_set_line_width (cr, MAX (10 * ppm, 1.5));
    cairo_stroke (cr);
    if (zoom >= 17)
      {
        project_metres ((Point) { 420, 95 }, zoom, &px, &py);
        label (cr, "Parking", px, py, 13, 0x555555, FALSE);
      }
  }

  /* The site: grass inside the fence. */
  polyline (cr, site_fence, G_N_ELEMENTS (site_fence), zoom);
  cairo_close_path (cr);
  set_rgb (cr, 0xbfdc9c);
  cairo_fill_preserve (cr);
  set_rgb (cr, 0x5d7f3a);
  cairo_set_line_width (cr, zoom >= 17 ? 2.5 : 1.5);
  cairo_stroke (cr);

  /* The lake, north-west. */
  project_metres ((Point) { -165, 152 }, zoom, &px, &py);
  cairo_save (cr);
  cairo_translate (cr, px, py);
  cairo_scale (cr, 80 * ppm, 38 * ppm);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  set_rgb (cr, 0x9fcbeb);
  cairo_fill_preserve (cr);
  set_rgb (cr, 0x5b9bd0);
  cairo_set_line_width (cr, 1.2);
  cairo_stroke (cr);
  if (zoom >= 16)
    label (cr, "Lac", px, py, zoom >= 18 ? 15 : 12, 0x1f5f99, TRUE);

  /* The audience area in front of the main stage. */
  project_metres ((Point) { 40, -80 }, zoom, &px, &py);
  cairo_save (cr);
  cairo_translate (cr, px, py);
  cairo_scale (cr, 85 * ppm, 45 * ppm);
  cairo_arc (cr, 0, 0, 1, 0, 2 * G_PI);
  cairo_restore (cr);
  set_rgb (cr, 0xe2e8c8);
  cairo_fill (cr);

  /* Paths: a sand fill over a darker casing. */
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
      {
        double width = MAX (paths[i].width_m * ppm, 1.5);

        polyline (cr, paths[i].points, paths[i].n_points, zoom);
        set_rgb (cr, pass == 0 ? 0xcdb98a : 0xf4e8c6);
        cairo_set_line_width (cr, pass == 0 ? width + 2 : width);
        cairo_stroke (cr);
      }

  /* Stages. */
  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      project_metres ((Point) { stages[i].x0, stages[i].y1 }, zoom, &px, &py);
      project_metres ((Point) { stages[i].x1, stages[i].y0 }, zoom, &px1, &py1);
      cairo_rectangle (cr, px, py, MAX (px1 - px, 2), MAX (py1 - py, 2));
      set_rgb (cr, 0x5b3f8c);
      cairo_fill (cr);
      if (zoom >= 16)
        label (cr, stages[i].label, (px + px1) / 2, py1 + (zoom >= 18 ? 14 : 10),
               zoom >= 18 ? 15 : zoom >= 17 ? 13 : 11, 0x3d2466, FALSE);
    }

  /* Stands, first aid, gates, toilets. */
  if (zoom >= 16)
    for (guint i = 0; i < G_N_ELEMENTS (pois); i++)
      draw_poi (cr, &pois[i], zoom);

  /* From afar, the festival's name. */
  if (zoom == 15 || zoom == 16)
    {
      project_metres ((Point) { 20, zoom == 15 ? 250 : 235 }, zoom, &px, &py);
      label (cr, "Festival des Lumières", px, py, zoom == 15 ? 11 : 13, 0x2e4a14, FALSE);
    }
}

static cairo_status_t
append_png (void                *closure,
            const unsigned char *data,
            unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
render_tile (int zoom,
             int x,
             int y)
{
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, TILE_SIZE, TILE_SIZE);
  cairo_t *cr = cairo_create (surface);
  GByteArray *png = g_byte_array_new ();
  cairo_status_t status;

  cairo_translate (cr, -x * TILE_SIZE, -y * TILE_SIZE);
  draw_scene (cr, zoom);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  status = cairo_surface_write_to_png_stream (surface, append_png, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_byte_array_unref (png);
      return NULL;
    }
  return g_byte_array_free_to_bytes (png);
}

/* Does the tile hold anything but the plain background? The scene's parts as boxes in metres
 * (fence, road, car park), widened by the labels' reach. */
static gboolean
tile_has_content (int zoom,
                  int x,
                  int y)
{
  static const struct
  {
    Point sw, ne;
  } parts[] = {
    { { -265, -235 }, { 300, 260 } },
    { { 325, -600 }, { 355, 600 } },
    { { 365, 15 }, { 475, 175 } },
  };
  double margin = 80.0 / pixels_per_metre (zoom);   /* labels spill up to ~80 px */

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      double x0, y0, x1, y1;

      project_metres ((Point) { parts[i].sw.x - margin, parts[i].ne.y + margin }, zoom, &x0, &y0);
      project_metres ((Point) { parts[i].ne.x + margin, parts[i].sw.y - margin }, zoom, &x1, &y1);
      if (x1 >= x * TILE_SIZE && x0 <= (x + 1) * TILE_SIZE && y1 >= y * TILE_SIZE && y0 <= (y + 1) * TILE_SIZE)
        return TRUE;
    }
  return FALSE;
}

static gboolean
write_metadata (FestMbtilesWriter  *writer,
                double              west,
                double              south,
                double              east,
                double              north,
                GError            **error)
{
  char bounds[128], center[96], minzoom[8], maxzoom[8];
  char w[G_ASCII_DTOSTR_BUF_SIZE], s[G_ASCII_DTOSTR_BUF_SIZE], e[G_ASCII_DTOSTR_BUF_SIZE], n[G_ASCII_DTOSTR_BUF_SIZE];
  const char *rows[][2] = {
    { "name", "Festival des Lumières — plan du site" },
    { "format", "png" },
    { "type", "baselayer" },
    { "version", "1" },
    { "description", "Demo site plan drawn by festivals-server --demo" },
    { "attribution", "Festivals demo" },
    { "bounds", bounds },
    { "center", center },
    { "minzoom", minzoom },
    { "maxzoom", maxzoom },
  };

  g_snprintf (bounds, sizeof bounds, "%s,%s,%s,%s", g_ascii_dtostr (w, sizeof w, west),
              g_ascii_dtostr (s, sizeof s, south), g_ascii_dtostr (e, sizeof e, east),
              g_ascii_dtostr (n, sizeof n, north));
  g_snprintf (center, sizeof center, "%s,%s,17", g_ascii_dtostr (w, sizeof w, ORIGIN_LNG),
              g_ascii_dtostr (s, sizeof s, ORIGIN_LAT));
  g_snprintf (minzoom, sizeof minzoom, "%d", MIN_ZOOM);
  g_snprintf (maxzoom, sizeof maxzoom, "%d", MAX_ZOOM);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (!fest_mbtiles_writer_add_metadata (writer, rows[i][0], rows[i][1], error))
      return FALSE;
  return TRUE;
}

static gboolean
write_tiles (FestMbtilesWriter  *writer,
             GError            **error)
{
  g_autoptr(GBytes) background = NULL;
  /* The site plus a margin, so that the map around it is not empty. */
  Point south_west = { -420, -380 };
  Point north_east = { 520, 360 };
  double south, west, north, east;

  metres_to_lat_lng (south_west, &south, &west);
  metres_to_lat_lng (north_east, &north, &east);
  if (!write_metadata (writer, west, south, east, north, error))
    return FALSE;

  for (int zoom = MIN_ZOOM; zoom <= MAX_ZOOM; zoom++)
    {
      double x0, y0, x1, y1;
      int n = 1 << zoom;

      project (north, west, zoom, &x0, &y0);
      project (south, east, zoom, &x1, &y1);
      for (int x = (int) floor (x0 / TILE_SIZE); x <= (int) floor (x1 / TILE_SIZE); x++)
        for (int y = (int) floor (y0 / TILE_SIZE); y <= (int) floor (y1 / TILE_SIZE); y++)
          {
            g_autoptr(GBytes) png = NULL;

            /* Half the tiles are plain background: drawn and encoded once. */
            if (tile_has_content (zoom, x, y))
              png = render_tile (zoom, x, y);
            else
              {
                if (background == NULL)
                  background = render_tile (zoom, x, y);
                png = background != NULL ? g_bytes_ref (background) : NULL;
              }

            if (png == NULL)
              {
                g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Cannot encode tile %d/%d/%d", zoom, x, y);
                return FALSE;
              }
            /* TMS rows count from the south */
            if (!fest_mbtiles_writer_add_tile (writer, zoom, x, n - 1 - y, png, error))
              return FALSE;
          }
    }
  return TRUE;
}

gboolean
fest_site_plan_write_demo (const char  *path,
                           GError     **error)
{
  g_autoptr(FestMbtilesWriter) writer = NULL;

  g_return_val_if_fail (path != NULL, FALSE);

  writer = fest_mbtiles_writer_new (path, error);
  return writer != NULL
         && write_tiles (writer, error)
         && fest_mbtiles_writer_finish (writer, error);
}

void
fest_demo_add_site_plan (FestServer        *server,
                         FestFestivalStore *store)
{
  g_autofree char *path = fest_tiles_repo_site_plan_path (store);
  g_autoptr(GError) error = NULL;

  if (path == NULL)
    g_message ("The demo festival gets no site plan: its store has no file to keep it beside");
  else if (!fest_site_plan_write_demo (path, &error))
    g_warning ("The demo festival gets no site plan: %s", error->message);
}
