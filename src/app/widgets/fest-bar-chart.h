/* fest-bar-chart.h: horizontal bars or vertical columns drawn with GtkSnapshot
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define FEST_TYPE_BAR_CHART (fest_bar_chart_get_type ())
G_DECLARE_FINAL_TYPE (FestBarChart, fest_bar_chart, FEST, BAR_CHART, GtkWidget)

/* HORIZONTAL: one labelled bar per row (revenue per stand). VERTICAL: columns along a time axis
 * (entries per quarter hour), with a few of the labels under them. */
GtkWidget *fest_bar_chart_new          (GtkOrientation  orientation);
/* @title names the chart for screen readers ("Revenue per stand"). */
void       fest_bar_chart_set_title    (FestBarChart   *self,
                                        const char     *title);
/* @empty_text is drawn when there is no data. */
void       fest_bar_chart_set_empty_text (FestBarChart *self,
                                          const char   *empty_text);
/* Removes all bars. */
void       fest_bar_chart_clear        (FestBarChart   *self);
/* @label under/beside the bar, @value_text its formatted value (both copied). */
void       fest_bar_chart_append       (FestBarChart   *self,
                                        const char     *label,
                                        double          value,
                                        const char     *value_text);
guint      fest_bar_chart_get_n_bars   (FestBarChart   *self);
/* Applies the appended bars: redraws and updates the accessible description. */
void       fest_bar_chart_commit       (FestBarChart   *self);

G_END_DECLS
