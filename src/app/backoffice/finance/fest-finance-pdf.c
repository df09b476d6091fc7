/* fest-finance-pdf.c: the Finance page's report as PDF (A4, numbered pages)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report is laid out twice: a dry pass counts the pages (for "Page N of M"), the second
 * draws them.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-finance-pdf.h"
#include "fest-money.h"
#include "fest-pdf.h"

#define MARGIN 48.0
#define FOOTER 30.0

typedef struct
{
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;
  guint        page;
  guint        n_pages;
  gboolean     dry;
} Writer;

static double
write_text (Writer     *w,
            const char *font,
            const char *text,
            double      x,
            double      width,
            gboolean    right)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int height = 0;

  pango_layout_set_font_description (w->layout, desc);
  pango_layout_set_width (w->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (w->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment (w->layout, right ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
  pango_layout_set_text (w->layout, text != NULL ? text : "", -1);
  pango_layout_get_pixel_size (w->layout, NULL, &height);
  if (!w->dry)
    {
      cairo_move_to (w->cr, x, w->y);
      pango_cairo_show_layout (w->cr, w->layout);
    }
  return height;
}

static void
end_page (Writer *w)
{
  if (!w->dry)
    {
      g_autofree char *number = g_strdup_printf (_("Page %u of %u"), w->page, w->n_pages);

      w->y = FEST_PDF_A4_HEIGHT - MARGIN + 8;
      write_text (w, "Sans 9", number, MARGIN, FEST_PDF_A4_WIDTH - 2 * MARGIN, TRUE);
      cairo_show_page (w->cr);
    }
}

/* Starts a new page when @height does not fit on this one. */
static void
need (Writer *w,
      double  height)
{
  if (w->y + height <= FEST_PDF_A4_HEIGHT - MARGIN - FOOTER)
    return;
  end_page (w);
  w->page++;
  w->y = MARGIN;
}

static void
write_line (Writer     *w,
            const char *font,
            const char *text)
{
  need (w, 20);
  w->y += write_text (w, font, text, MARGIN, FEST_PDF_A4_WIDTH - 2 * MARGIN, FALSE) + 4;
}

/* Columns: label, quantity, amount, VAT, EUR (fractions of the text width). */
static const double columns[] = { 0, 0.40, 0.52, 0.70, 0.85, 1.0 };

static void
write_row (Writer     *w,
           const char *font,
           const char *cells[5])
{
  double width = FEST_PDF_A4_WIDTH - 2 * MARGIN;
  double height = 0;

  need (w, 16);
  for (guint i = 0; i < 5; i++)
    height = MAX (height, write_text (w, font, cells[i], MARGIN + width * columns[i],
                                      width * (columns[i + 1] - columns[i]) - 6, i > 0));
  w->y += height + 4;
}

static void
rule (Writer *w)
{
  if (!w->dry)
    {
      cairo_set_line_width (w->cr, 0.5);
      cairo_move_to (w->cr, MARGIN, w->y);
      cairo_line_to (w->cr, FEST_PDF_A4_WIDTH - MARGIN, w->y);
      cairo_stroke (w->cr);
    }
  w->y += 4;
}

static void
write_report (Writer                     *w,
              const char                 *festival_name,
              const char                 *period,
              GDateTime                  *generated,
              const char                 *currency_name,
              const FestFinancePdfFigure *figures,
              guint                       n_figures,
              const FestFinancePdfTable  *tables,
              guint                       n_tables)
{
  g_autoptr(GDateTime) local = g_date_time_to_local (generated);
  g_autofree char *when = g_date_time_format (local, "%x %H:%M");
  g_autofree char *generated_text = g_strdup_printf (_("Generated on %s"), when);
  const char *header[5] = { _("Label"), _("Quantity"), _("Amount"), _("VAT"), _("EUR") };

  w->page = 1;
  w->y = MARGIN;
  write_line (w, "Sans Bold 18", festival_name);
  write_line (w, "Sans 12", period);
  write_line (w, "Sans 9", generated_text);
  w->y += 10;

  for (guint i = 0; i < n_figures; i++)
    {
      g_autofree char *line = g_strdup_printf ("%s: %s", figures[i].title, figures[i].value);

      write_line (w, "Sans 10", line);
    }

  for (guint t = 0; t < n_tables; t++)
    {
      guint n = tables[t].rows != NULL ? json_array_get_length (tables[t].rows) : 0;

      w->y += 12;
      need (w, 60);
      write_line (w, "Sans Bold 13", tables[t].title);
      write_row (w, "Sans Bold 9", header);
      rule (w);
      for (guint i = 0; i < n; i++)
        {
          JsonObject *row = json_array_get_object_element (tables[t].rows, i);
          const char *label = json_object_get_string_member_with_default (row, "label", "");
          g_autofree char *quantity = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                       json_object_get_int_member_with_default (
                                                         row, "quantity", 0));
          g_autofree char *amount = fest_money_format (
            json_object_get_int_member_with_default (row, "amount", 0), currency_name);
          g_autofree char *vat = fest_money_format (
            json_object_get_int_member_with_default (row, "vat_amount", 0), currency_name);
          g_autofree char *eur = fest_money_format_eur (
            json_object_get_int_member_with_default (row, "amount_eur_cents", 0));
          const char *cells[5] = { label, quantity, amount, vat, eur };

          if (label[0] == '\0')
            cells[0] = json_object_get_string_member_with_default (row, "key", "");
          write_row (w, "Sans 9", cells);
        }
      if (n == 0)
        write_line (w, "Sans Italic 9", _("No sales in this period"));
    }
  end_page (w);
}

gboolean
fest_finance_pdf_write (const char                 *path,
                        const char                 *festival_name,
                        const char                 *period,
                        GDateTime                  *generated,
                        const char                 *currency_name,
                        const FestFinancePdfFigure *figures,
                        guint                       n_figures,
                        const FestFinancePdfTable  *tables,
                        guint                       n_tables,
                        GError                    **error)
{
  g_autofree char *title = NULL;
  FestPdf *pdf;
  Writer w = { 0 };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (generated != NULL, FALSE);

  title = g_strdup_printf (_("Financial report — %s"),
                           festival_name != NULL ? festival_name : "");
  pdf = fest_pdf_new (path, title, error);
  if (pdf == NULL)
    return FALSE;
  w.cr = fest_pdf_get_cr (pdf);
  w.layout = fest_pdf_get_layout (pdf);

  w.dry = TRUE;
  write_report (&w, festival_name, period, generated, currency_name, figures, n_figures, tables,
                n_tables);
  w.n_pages = w.page;
  w.dry = FALSE;
  write_report (&w, festival_name, period, generated, currency_name, figures, n_figures, tables,
                n_tables);

  return fest_pdf_finish (pdf, error);
}
