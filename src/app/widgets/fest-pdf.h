/* fest-pdf.h: an A4 PDF file being written with cairo and pango (the reports' common part)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <cairo.h>
#include <glib.h>
#include <pango/pangocairo.h>

G_BEGIN_DECLS

#define FEST_PDF_A4_WIDTH  595.0   /* A4 in points */
#define FEST_PDF_A4_HEIGHT 842.0

typedef struct _FestPdf FestPdf;

/* Creates the A4 PDF @path titled @title (its metadata, nullable) with a cairo context and a pango
 * layout to draw with; NULL and @error when the file cannot be created. */
FestPdf     *fest_pdf_new        (const char  *path,
                                  const char  *title,
                                  GError     **error);
cairo_t     *fest_pdf_get_cr     (FestPdf     *self);
PangoLayout *fest_pdf_get_layout (FestPdf     *self);
/* Finishes the file and frees @self: FALSE and @error when writing failed. */
gboolean     fest_pdf_finish     (FestPdf     *self,
                                  GError     **error);

G_END_DECLS
