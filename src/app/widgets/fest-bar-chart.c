/* fest-bar-chart.c: horizontal bars or vertical columns drawn with GtkSnapshot
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-bar-chart.h"
#include "fest-bar-chart-private.h"

#define ROW_HEIGHT 28
#define ROW_SPACING 8
#define LABEL_GAP 8
#define VALUE_GAP 8
#define MIN_BAR_AREA 80
#define COLUMN_AREA_HEIGHT 160
#define AXIS_LABEL_HEIGHT 20
#define EMPTY_HEIGHT 72

typedef struct
{
  char   *label;
  char   *value_text;
  double  value;
} Bar;

struct _FestBarChart
{
  GtkWidget       parent_instance;

  GtkOrientation  orientation;
  GArray         *bars;
  char           *title;
  char           *empty_text;
};

G_DEFINE_FINAL_TYPE (FestBarChart, fest_bar_chart, GTK_TYPE_WIDGET)

static void
bar_clear (Bar *bar)
{
  g_clear_pointer (&bar->label, g_free);
  g_clear_pointer (&bar->value_text, g_free);
}

static double
max_value (FestBarChart *self)
{
  double max = 0;

  for (guint i = 0; i < self->bars->len; i++)
    max = MAX (max, g_array_index (self->bars, Bar, i).value);

  return max;
}

static void
get_colors (FestBarChart *self,
            GdkRGBA      *bar,
            GdkRGBA      *text,
            GdkRGBA      *track)
{
  GtkStyleContext *context;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  context = gtk_widget_get_style_context (GTK_WIDGET (self));
  /* The bar colour is the node's CSS colour (style.css sets it to the accent colour); text and
   * track follow the theme's foreground so that the dark style works too. */
  gtk_style_context_get_color (context, bar);
  if (!gtk_style_context_lookup_color (context, "window_fg_color", text))
    *text = (GdkRGBA) { 0, 0, 0, 0.8 };
  G_GNUC_END_IGNORE_DEPRECATIONS

  *track = *text;
  track->alpha = 0.08;
}

static void
append_text (GtkSnapshot *snapshot,
             PangoLayout *layout,
             float        x,
             float        y,
             GdkRGBA     *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
snapshot_empty (FestBarChart *self,
                GtkSnapshot  *snapshot,
                int           width,
                int           height,
                GdkRGBA      *text)
{
  g_autoptr(PangoLayout) layout = NULL;
  GdkRGBA dim = *text;
  int text_width, text_height;

  if (self->empty_text == NULL)
    return;

  dim.alpha = 0.55;
  layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), self->empty_text);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  append_text (snapshot, layout, MAX (0, (width - text_width) / 2.0),
               MAX (0, (height - text_height) / 2.0), &dim);
}

/* Where a row's name, bar and value go. */
typedef struct
{
  int label_width;
  int value_width;
  int bar_x;
  int bar_area;
} RowGeometry;

static PangoLayout *
label_layout (FestBarChart *self,
              const Bar    *bar,
              int           label_width)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), bar->label);

  if (label_width > 0)
    {
      pango_layout_set_width (layout, label_width * PANGO_SCALE);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
    }
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
  return layout;
}

/* The rows' columns at @width: the names get the width of the longest one, up to two fifths of
 * the chart, and wrap beyond it (never cut: a stand's name is how people find their stand); the
 * values get the width of the widest one. */
static void
row_geometry (FestBarChart *self,
              int           width,
              RowGeometry  *geometry)
{
  int widest_label = 0;
  int widest_value = 0;

  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr(PangoLayout) label = label_layout (self, bar, -1);
      g_autoptr(PangoLayout) value = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                     bar->value_text);
      int text_width;

      pango_layout_get_pixel_size (label, &text_width, NULL);
      widest_label = MAX (widest_label, text_width);
      pango_layout_get_pixel_size (value, &text_width, NULL);
      widest_value = MAX (widest_value, text_width);
    }

  geometry->value_width = MIN (widest_value, width / 4);
  geometry->label_width = MAX (1, MIN (widest_label, width * 2 / 5));
  geometry->bar_x = geometry->label_width + LABEL_GAP;
  geometry->bar_area = MAX (1, width - geometry->bar_x - VALUE_GAP - geometry->value_width);
}

static int
row_height (PangoLayout *label)
{
  int text_height;

  pango_layout_get_pixel_size (label, NULL, &text_height);
  return MAX (ROW_HEIGHT, text_height + 8);
}

/* The height of all the rows at @width. */
static int
rows_height (FestBarChart *self,
             int           width)
{
  RowGeometry geometry;
  int height = 0;

  row_geometry (self, width, &geometry);
  for (guint i = 0; i < self->bars->len; i++)
    {
      g_autoptr(PangoLayout) label = label_layout (self, &g_array_index (self->bars, Bar, i),
                                                   geometry.label_width);

      height += row_height (label) + ROW_SPACING;
    }
  return height;
}

static void
snapshot_rows (FestBarChart *self,
               GtkSnapshot  *snapshot,
               int           width,
               GdkRGBA      *bar_color,
               GdkRGBA      *text,
               GdkRGBA      *track)
{
  double max = max_value (self);
  RowGeometry geometry;
  float y = 0;

  row_geometry (self, width, &geometry);
  for (guint i = 0; i < self->bars->len; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      g_autoptr(PangoLayout) label = label_layout (self, bar, geometry.label_width);
      g_autoptr(PangoLayout) value = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                     bar->value_text);
      float bar_width = max > 0 ? geometry.bar_area * (bar->value / max) : 0;
      int height = row_height (label);
      int text_height;
      GskRoundedRect rounded;
      graphene_rect_t track_rect = GRAPHENE_RECT_INIT (geometry.bar_x,
                                                       y + (height - (ROW_HEIGHT - 8)) / 2.0,
                                                       geometry.bar_area, ROW_HEIGHT - 8);

      pango_layout_get_pixel_size (label, NULL, &text_height);
      append_text (snapshot, label, 0, y + (height - text_height) / 2.0, text);

      gsk_rounded_rect_init_from_rect (&rounded, &track_rect, 4);
      gtk_snapshot_push_rounded_clip (snapshot, &rounded);
      gtk_snapshot_append_color (snapshot, track, &track_rect);
      gtk_snapshot_append_color (snapshot, bar_color,
                                 &GRAPHENE_RECT_INIT (track_rect.origin.x, track_rect.origin.y,
                                                      MAX (bar_width, 0),
                                                      track_rect.size.height));
      gtk_snapshot_pop (snapshot);

      pango_layout_get_pixel_size (value, NULL, &text_height);
      append_text (snapshot, value, geometry.bar_x + geometry.bar_area + VALUE_GAP,
                   y + (height - text_height) / 2.0, text);

      y += height + ROW_SPACING;
    }
}

static void
snapshot_columns (FestBarChart *self,
                  GtkSnapshot  *snapshot,
                  int           width,
                  int           height,
                  GdkRGBA      *bar_color,
                  GdkRGBA      *text,
                  GdkRGBA      *track)
{
  double max = max_value (self);
  guint n = self->bars->len;
  float slot = (float) width / n;
  float gap = MIN (4, slot / 4);
  int area = MAX (1, height - AXIS_LABEL_HEIGHT);
  GdkRGBA dim = *text;
  guint label_every;
  g_autoptr(PangoLayout) max_layout = NULL;
  g_autofree char *max_text = NULL;

  dim.alpha = 0.6;
  /* Label about one column in 80 px so that labels never overlap. */
  label_every = MAX (1, (guint) (80 / MAX (slot, 1)) + 1);

  gtk_snapshot_append_color (snapshot, track, &GRAPHENE_RECT_INIT (0, area - 1, width, 1));

  for (guint i = 0; i < n; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);
      float column_height = max > 0 ? (area - 16) * (bar->value / max) : 0;
      float x = i * slot + gap / 2;

      if (column_height > 0)
        gtk_snapshot_append_color (snapshot, bar_color,
                                   &GRAPHENE_RECT_INIT (x, area - 1 - column_height,
                                                        MAX (slot - gap, 1), column_height));

      if (i % label_every == 0 && bar->label != NULL)
        {
          g_autoptr(PangoLayout) label = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                                         bar->label);

          append_text (snapshot, label, x, area + 2, &dim);
        }
    }

  /* The scale: the highest column's value, top left. */
  for (guint i = 0; i < n; i++)
    if (g_array_index (self->bars, Bar, i).value == max && max > 0)
      {
        max_text = g_strdup (g_array_index (self->bars, Bar, i).value_text);
        break;
      }
  if (max_text != NULL)
    {
      max_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), max_text);
      append_text (snapshot, max_layout, 0, 0, &dim);
    }
}

static void
fest_bar_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  FestBarChart *self = FEST_BAR_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  GdkRGBA bar, text, track;

  get_colors (self, &bar, &text, &track);

  /* All zero is no data either: an empty axis says less than the words. */
  if (self->bars->len == 0 || max_value (self) <= 0 || width <= 0)
    snapshot_empty (self, snapshot, width, height, &text);
  else if (self->orientation == GTK_ORIENTATION_HORIZONTAL)
    snapshot_rows (self, snapshot, width, &bar, &text, &track);
  else
    snapshot_columns (self, snapshot, width, height, &bar, &text, &track);
}

static void
fest_bar_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  FestBarChart *self = FEST_BAR_CHART (widget);

  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 200;
      *natural = 400;
      if (self->orientation == GTK_ORIENTATION_HORIZONTAL && self->bars->len > 0)
        {
          RowGeometry geometry;

          /* Room for the longest name on one line, beside a bar of a useful length. */
          row_geometry (self, G_MAXINT / 4, &geometry);
          *natural = MAX (*natural, geometry.label_width + LABEL_GAP + MIN_BAR_AREA + VALUE_GAP
                                    + geometry.value_width);
        }
    }
  else if (self->bars->len == 0 || max_value (self) <= 0)
    {
      /* Only the empty text. */
      *minimum = *natural = EMPTY_HEIGHT;
    }
  else if (self->orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      /* The names wrap: the rows grow with them. */
      int height = rows_height (self, for_size >= 0 ? for_size : 400);

      if (self->bars->len < 2)
        height += (2 - self->bars->len) * (ROW_HEIGHT + ROW_SPACING);
      *minimum = *natural = height;
    }
  else
    {
      *minimum = *natural = COLUMN_AREA_HEIGHT + AXIS_LABEL_HEIGHT;
    }
}

static GtkSizeRequestMode
fest_bar_chart_get_request_mode (GtkWidget *widget)
{
  return GTK_SIZE_REQUEST_HEIGHT_FOR_WIDTH;
}

static gboolean
fest_bar_chart_query_tooltip (GtkWidget  *widget,
                              int         x,
                              int         y,
                              gboolean    keyboard_mode,
                              GtkTooltip *tooltip)
{
  FestBarChart *self = FEST_BAR_CHART (widget);

  for (guint i = 0; i < self->bars->len && self->orientation == GTK_ORIENTATION_HORIZONTAL; i++)
    {
      graphene_rect_t bounds;
      g_autoptr(PangoLayout) layout = _fest_bar_chart_get_label_layout (self, i, &bounds);
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (y >= bounds.origin.y - ROW_SPACING / 2 && y < bounds.origin.y + bounds.size.height
                                                        + ROW_SPACING / 2)
        {
          g_autofree char *text = g_strdup_printf ("%s: %s", bar->label != NULL ? bar->label : "",
                                                   bar->value_text != NULL ? bar->value_text : "");

          gtk_tooltip_set_text (tooltip, text);
          return TRUE;
        }
    }
  return FALSE;
}

static void
fest_bar_chart_finalize (GObject *object)
{
  FestBarChart *self = FEST_BAR_CHART (object);

  g_clear_pointer (&self->bars, g_array_unref);
  g_clear_pointer (&self->title, g_free);
  g_clear_pointer (&self->empty_text, g_free);

  G_OBJECT_CLASS (fest_bar_chart_parent_class)->finalize (object);
}

static void
fest_bar_chart_class_init (FestBarChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = fest_bar_chart_finalize;
  widget_class->snapshot = fest_bar_chart_snapshot;
  widget_class->measure = fest_bar_chart_measure;
  widget_class->get_request_mode = fest_bar_chart_get_request_mode;
  widget_class->query_tooltip = fest_bar_chart_query_tooltip;

  gtk_widget_class_set_css_name (widget_class, "barchart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
fest_bar_chart_init (FestBarChart *self)
{
  self->bars = g_array_new (FALSE, TRUE, sizeof (Bar));
  g_array_set_clear_func (self->bars, (GDestroyNotify) bar_clear);
  self->orientation = GTK_ORIENTATION_HORIZONTAL;
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
}

GtkWidget *
fest_bar_chart_new (GtkOrientation orientation)
{
  FestBarChart *self = g_object_new (FEST_TYPE_BAR_CHART, NULL);

  self->orientation = orientation;
  gtk_widget_add_css_class (GTK_WIDGET (self),
                            orientation == GTK_ORIENTATION_HORIZONTAL ? "rows" : "columns");
  return GTK_WIDGET (self);
}

void
fest_bar_chart_set_title (FestBarChart *self,
                          const char   *title)
{
  g_return_if_fail (FEST_IS_BAR_CHART (self));

  g_free (self->title);
  self->title = g_strdup (title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
}

void
fest_bar_chart_set_empty_text (FestBarChart *self,
                               const char   *empty_text)
{
  g_return_if_fail (FEST_IS_BAR_CHART (self));

  g_free (self->empty_text);
  self->empty_text = g_strdup (empty_text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
fest_bar_chart_clear (FestBarChart *self)
{
  g_return_if_fail (FEST_IS_BAR_CHART (self));

  g_array_set_size (self->bars, 0);
}

void
fest_bar_chart_append (FestBarChart *self,
                       const char   *label,
                       double        value,
                       const char   *value_text)
{
  Bar bar = { g_strdup (label), g_strdup (value_text), MAX (value, 0) };

  g_return_if_fail (FEST_IS_BAR_CHART (self));

  g_array_append_val (self->bars, bar);
}

guint
fest_bar_chart_get_n_bars (FestBarChart *self)
{
  g_return_val_if_fail (FEST_IS_BAR_CHART (self), 0);

  return self->bars->len;
}

void
fest_bar_chart_commit (FestBarChart *self)
{
  g_autoptr(GString) description = g_string_new (NULL);

  g_return_if_fail (FEST_IS_BAR_CHART (self));

  /* Screen readers get the data itself, not a picture of it. */
  if (self->bars->len == 0 || max_value (self) <= 0)
    g_string_append (description, self->empty_text != NULL ? self->empty_text : "");
  for (guint i = 0; i < self->bars->len && max_value (self) > 0; i++)
    {
      Bar *bar = &g_array_index (self->bars, Bar, i);

      if (description->len > 0)
        g_string_append (description, "; ");
      g_string_append_printf (description, "%s: %s", bar->label != NULL ? bar->label : "",
                              bar->value_text != NULL ? bar->value_text : "");
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description->str, -1);
  gtk_widget_queue_resize (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

PangoLayout *
_fest_bar_chart_get_label_layout (FestBarChart    *self,
                                  guint            index,
                                  graphene_rect_t *bounds)
{
  RowGeometry geometry;
  PangoLayout *layout = NULL;
  float y = 0;

  g_return_val_if_fail (FEST_IS_BAR_CHART (self), NULL);
  g_return_val_if_fail (self->orientation == GTK_ORIENTATION_HORIZONTAL, NULL);
  g_return_val_if_fail (index < self->bars->len, NULL);

  row_geometry (self, gtk_widget_get_width (GTK_WIDGET (self)), &geometry);
  for (guint i = 0; i <= index; i++)
    {
      g_clear_object (&layout);
      layout = label_layout (self, &g_array_index (self->bars, Bar, i), geometry.label_width);
      if (i < index)
        y += row_height (layout) + ROW_SPACING;
    }

  if (bounds != NULL)
    {
      int text_width, text_height;

      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      *bounds = GRAPHENE_RECT_INIT (0, y + (row_height (layout) - text_height) / 2.0, text_width,
                                    text_height);
    }
  return layout;
}
