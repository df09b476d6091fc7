/* fest-bar-chart-private.h: what the tests read of a bar chart's drawing
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-bar-chart.h"

G_BEGIN_DECLS

/* Rows only: the layout of bar @index's name as drawn at the chart's current width, and where
 * (@bounds, nullable, in the chart's coordinates). Transfer full. */
PangoLayout *_fest_bar_chart_get_label_layout (FestBarChart    *self,
                                               guint            index,
                                               graphene_rect_t *bounds);

G_END_DECLS
