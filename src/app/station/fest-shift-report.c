/* fest-shift-report.c: the end-of-shift report of a station as PDF (cairo + pango)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <cairo.h>
#include <cairo-pdf.h>
#include <pango/pangocairo.h>

#include "fest-core.h"
#include "fest-shift-report.h"

#define PAGE_WIDTH  595.0   /* A4 in points */
#define PAGE_HEIGHT 842.0
#define MARGIN      48.0

typedef struct
{
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;
  int          page;       /* 0-based, the one being laid out */
  int          only_page;  /* printing: the one page drawn; -1 for a PDF (all pages) */
} Writer;

/* Printing lays the whole report out for each page and draws only that one. */
static gboolean
drawing (Writer *w)
{
  return w->only_page < 0 || w->page == w->only_page;
}

static void
new_page_if_needed (Writer *w,
                    double  height)
{
  if (w->y + height <= PAGE_HEIGHT - MARGIN)
    return;
  if (w->only_page < 0)
    cairo_show_page (w->cr);
  w->page++;
  w->y = MARGIN;
}

static void
write_text (Writer     *w,
            const char *font,
            const char *text,
            double      x,
            double      width,
            PangoAlignment align,
            gboolean    advance)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int height = 0;

  pango_layout_set_font_description (w->layout, desc);
  pango_layout_set_width (w->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_alignment (w->layout, align);
  pango_layout_set_text (w->layout, text, -1);
  pango_layout_get_pixel_size (w->layout, NULL, &height);
  new_page_if_needed (w, height);
  if (drawing (w))
    {
      cairo_move_to (w->cr, x, w->y);
      pango_cairo_show_layout (w->cr, w->layout);
    }
  if (advance)
    w->y += height + 4;
}

/* One table row: a left cell and right-aligned cells at fixed columns. */
static void
write_row (Writer     *w,
           const char *font,
           const char *c1,
           const char *c2,
           const char *c3,
           const char *c4)
{
  double width = PAGE_WIDTH - 2 * MARGIN;

  write_text (w, font, c1, MARGIN, width * 0.34, PANGO_ALIGN_LEFT, FALSE);
  if (c2 != NULL)
    write_text (w, font, c2, MARGIN + width * 0.34, width * 0.22, PANGO_ALIGN_RIGHT, FALSE);
  if (c3 != NULL)
    write_text (w, font, c3, MARGIN + width * 0.56, width * 0.22, PANGO_ALIGN_RIGHT, FALSE);
  write_text (w, font, c4 != NULL ? c4 : "", MARGIN + width * 0.78, width * 0.22,
              PANGO_ALIGN_RIGHT, TRUE);
}

static void
rule (Writer *w)
{
  if (drawing (w))
    {
      cairo_set_line_width (w->cr, 0.5);
      cairo_move_to (w->cr, MARGIN, w->y + 2);
      cairo_line_to (w->cr, PAGE_WIDTH - MARGIN, w->y + 2);
      cairo_stroke (w->cr);
    }
  w->y += 8;
}

static char *
format_local (const char *rfc3339)
{
  g_autoptr(GDateTime) time = fest_time_parse (rfc3339);
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL || g_date_time_get_year (time) < 2000)
    return g_strdup ("—");
  local = g_date_time_to_local (time);
  return g_date_time_format (local, "%x %X");
}

static void
render (Writer                 *w,
        const FestShiftSummary *summary,
        const char             *station_name,
        const char             *currency,
        gint64                  rate_cents)
{
  g_autofree char *since = format_local (summary->since);
  g_autofree char *until = format_local (summary->until);
  g_autofree char *period = g_strdup_printf (_("From %s to %s"), since, until);
  g_autofree char *total = fest_money_format (summary->sales_total, currency);
  g_autofree char *line = NULL;
  double width = PAGE_WIDTH - 2 * MARGIN;

  cairo_set_source_rgb (w->cr, 0, 0, 0);
  write_text (w, "Sans Bold 20", _("End-of-shift report"), MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
  write_text (w, "Sans 12", station_name != NULL ? station_name : "", MARGIN, width,
              PANGO_ALIGN_LEFT, TRUE);
  write_text (w, "Sans 10", period, MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
  w->y += 12;

  write_text (w, "Sans Bold 13", _("Sales per product"), MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
  write_row (w, "Sans Bold 10", _("Product"), _("Quantity"), _("VAT rate"), _("Amount"));
  rule (w);
  for (guint i = 0; i < summary->products->len; i++)
    {
      FestShiftProductLine *product = g_ptr_array_index (summary->products, i);
      g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT, product->quantity);
      g_autofree char *rate = g_strdup_printf ("%g %%", fest_vat_rate_to_percent (product->vat_rate_bp));
      g_autofree char *amount = fest_money_format (product->amount, currency);

      write_row (w, "Sans 10", product->name, quantity, rate, amount);
    }
  rule (w);
  line = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u sale", "%u sales", summary->n_sales),
                          summary->n_sales);
  write_row (w, "Sans Bold 11", _("Total sales"), line, NULL, total);
  g_clear_pointer (&line, g_free);
  if (rate_cents > 0)
    {
      gint64 eur = 0;
      g_autofree char *eur_text = NULL;

      fest_money_to_eur_cents (summary->sales_total, rate_cents, &eur);
      eur_text = fest_money_format_eur (eur);
      write_row (w, "Sans 10", _("In euros"), NULL, NULL, eur_text);
    }
  line = g_strdup_printf ("%u", summary->n_cancels);
  write_row (w, "Sans 10", _("Cancelled sales"), line, NULL, "");
  g_clear_pointer (&line, g_free);
  w->y += 12;

  write_text (w, "Sans Bold 13", _("VAT"), MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
  write_row (w, "Sans Bold 10", _("Rate"), _("Excl. VAT"), _("VAT"), _("Incl. VAT"));
  rule (w);
  for (guint i = 0; i < summary->vat->len; i++)
    {
      FestShiftVatLine *vat = g_ptr_array_index (summary->vat, i);
      g_autofree char *rate = g_strdup_printf ("%g %%", fest_vat_rate_to_percent (vat->vat_rate_bp));
      g_autofree char *net = fest_money_format (vat->gross - vat->vat, currency);
      g_autofree char *tax = fest_money_format (vat->vat, currency);
      g_autofree char *gross = fest_money_format (vat->gross, currency);

      write_row (w, "Sans 10", rate, net, tax, gross);
    }
  w->y += 12;

  if (summary->n_recharges > 0)
    {
      g_autofree char *cash = fest_money_format (summary->recharges_cash, currency);
      g_autofree char *card = fest_money_format (summary->recharges_card, currency);

      write_text (w, "Sans Bold 13", _("Recharges"), MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
      write_row (w, "Sans 10", _("Cash"), NULL, NULL, cash);
      write_row (w, "Sans 10", _("Card"), NULL, NULL, card);
      if (summary->recharges_comp != 0)
        {
          g_autofree char *comp = fest_money_format (summary->recharges_comp, currency);

          write_row (w, "Sans 10", _("Staff credit"), NULL, NULL, comp);
        }
      w->y += 12;
    }

  /* The till: its opening float, and once closed, what was counted against what was expected. */
  if (summary->has_cash_shift)
    {
      g_autofree char *opening = fest_money_format (summary->opening_float, currency);

      write_text (w, "Sans Bold 13", _("Cash in the till"), MARGIN, width, PANGO_ALIGN_LEFT, TRUE);
      write_row (w, "Sans 10", _("Opening float"), NULL, NULL, opening);
      if (summary->cash_closed)
        {
          g_autofree char *counted = fest_money_format (summary->counted_cash, currency);
          g_autofree char *expected = fest_money_format (summary->expected_cash, currency);
          g_autofree char *difference = fest_money_format (summary->difference, currency);

          write_row (w, "Sans 10", _("Cash counted"), NULL, NULL, counted);
          write_row (w, "Sans 10", summary->expected_is_estimate ? _("Cash expected (station's estimate)")
                                                                 : _("Cash expected"), NULL, NULL, expected);
          write_row (w, "Sans 10", _("Difference"), NULL, NULL, difference);
        }
      else
        write_row (w, "Sans 10", _("Cash counted"), NULL, NULL, _("Shift not closed"));
    }
}

gboolean
fest_shift_report_write_pdf (const FestShiftSummary *summary,
                             const char             *station_name,
                             const char             *currency,
                             gint64                  rate_cents,
                             const char             *path,
                             GError                **error)
{
  cairo_surface_t *surface;
  cairo_status_t status;
  Writer w = { 0 };

  surface = cairo_pdf_surface_create (path, PAGE_WIDTH, PAGE_HEIGHT);
  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), path,
                   cairo_status_to_string (cairo_surface_status (surface)));
      cairo_surface_destroy (surface);
      return FALSE;
    }
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, _("End-of-shift report"));
  w.cr = cairo_create (surface);
  w.layout = pango_cairo_create_layout (w.cr);
  w.y = MARGIN;
  w.only_page = -1;
  render (&w, summary, station_name, currency, rate_cents);
  g_object_unref (w.layout);
  cairo_destroy (w.cr);
  cairo_surface_finish (surface);
  status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, _("Cannot write %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  return TRUE;
}

int
fest_shift_report_draw_page (const FestShiftSummary *summary,
                             const char             *station_name,
                             const char             *currency,
                             gint64                  rate_cents,
                             cairo_t                *cr,
                             int                     page)
{
  Writer w = { 0 };

  w.cr = cr;
  w.layout = pango_cairo_create_layout (cr);
  w.y = MARGIN;
  /* A negative page only counts them (-1 means "every page" to the PDF writer). */
  w.only_page = page >= 0 ? page : G_MAXINT;
  render (&w, summary, station_name, currency, rate_cents);
  g_object_unref (w.layout);
  return w.page + 1;
}

char *
fest_shift_report_default_dir (void)
{
  const char *documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);

  if (documents != NULL)
    return g_build_filename (documents, "Festivals", "shift-reports", NULL);
  return g_build_filename (g_get_user_data_dir (), "festivals", "shift-reports", NULL);
}
