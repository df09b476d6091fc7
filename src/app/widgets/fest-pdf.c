/* fest-pdf.c: an A4 PDF file being written with cairo and pango (the reports' common part)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <cairo-pdf.h>

#include "fest-pdf.h"

struct _FestPdf
{
  cairo_surface_t *surface;
  cairo_t         *cr;
  PangoLayout     *layout;
  char            *path;
};

FestPdf *
fest_pdf_new (const char  *path,
              const char  *title,
              GError     **error)
{
  cairo_surface_t *surface;
  FestPdf *self;

  g_return_val_if_fail (path != NULL, NULL);

  surface = cairo_pdf_surface_create (path, FEST_PDF_A4_WIDTH, FEST_PDF_A4_HEIGHT);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), path,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return NULL;
    }
  if (title != NULL)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, title);

  self = g_new0 (FestPdf, 1);
  self->surface = surface;
  self->cr = cairo_create (surface);
  self->layout = pango_cairo_create_layout (self->cr);
  self->path = g_strdup (path);
  return self;
}

cairo_t *
fest_pdf_get_cr (FestPdf *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->cr;
}

PangoLayout *
fest_pdf_get_layout (FestPdf *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->layout;
}

gboolean
fest_pdf_finish (FestPdf  *self,
                 GError  **error)
{
  cairo_status_t status;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);

  g_object_unref (self->layout);
  cairo_destroy (self->cr);
  cairo_surface_finish (self->surface);
  status = cairo_surface_status (self->surface);
  cairo_surface_destroy (self->surface);
  ok = status == CAIRO_STATUS_SUCCESS;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), self->path,
                 cairo_status_to_string (status));
  g_free (self->path);
  g_free (self);
  return ok;
}
