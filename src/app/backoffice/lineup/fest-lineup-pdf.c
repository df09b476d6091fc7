/* fest-lineup-pdf.c: a festival day's running order as PDF, one A4 page per stage
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include "fest-lineup-pdf.h"
#include "fest-pdf.h"

#define PAGE_WIDTH  FEST_PDF_A4_WIDTH
#define PAGE_HEIGHT FEST_PDF_A4_HEIGHT
#define MARGIN      48.0

typedef struct
{
  cairo_t     *cr;
  PangoLayout *layout;
  double       y;
} Writer;

static double
write_text (Writer        *w,
            const char    *font,
            const char    *text,
            double         x,
            double         width)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (font);
  int height = 0;

  pango_layout_set_font_description (w->layout, desc);
  pango_layout_set_width (w->layout, (int) (width * PANGO_SCALE));
  pango_layout_set_wrap (w->layout, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_text (w->layout, text, -1);
  pango_layout_get_pixel_size (w->layout, NULL, &height);
  cairo_move_to (w->cr, x, w->y);
  pango_cairo_show_layout (w->cr, w->layout);
  return height;
}

static void
write_line (Writer     *w,
            const char *font,
            const char *text)
{
  w->y += write_text (w, font, text, MARGIN, PAGE_WIDTH - 2 * MARGIN) + 4;
}

/* Columns: time, artist, status, notes (fractions of the text width). */
static const double columns[] = { 0, 0.22, 0.55, 0.70, 1.0 };

static void
write_row (Writer     *w,
           const char *font,
           const char *cells[4])
{
  double width = PAGE_WIDTH - 2 * MARGIN;
  double height = 0;

  for (guint i = 0; i < 4; i++)
    height = MAX (height, write_text (w, font, cells[i] != NULL ? cells[i] : "",
                                      MARGIN + width * columns[i],
                                      width * (columns[i + 1] - columns[i]) - 6));
  w->y += height + 6;
}

static void
rule (Writer *w)
{
  cairo_set_line_width (w->cr, 0.5);
  cairo_move_to (w->cr, MARGIN, w->y);
  cairo_line_to (w->cr, PAGE_WIDTH - MARGIN, w->y);
  cairo_stroke (w->cr);
  w->y += 6;
}

static void
write_stage (Writer                *w,
             FestLineup            *lineup,
             FestLineupDays        *days,
             guint                  day,
             const char            *festival_name,
             const FestLineupStage *stage)
{
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *label = fest_lineup_days_get_label (days, day);
  const char *header[4] = { _("Time"), _("Artist"), _("Status"), _("Notes") };

  w->y = MARGIN;
  write_line (w, "Sans 10", festival_name != NULL ? festival_name : "");
  write_line (w, "Sans Bold 20", stage->name);
  write_line (w, "Sans 13", label);
  if (stage->changeover_minutes > 0)
    {
      g_autofree char *changeover = g_strdup_printf (_("Changeover between sets: %d min"),
                                                     stage->changeover_minutes);
      write_line (w, "Sans 10", changeover);
    }
  w->y += 10;
  write_row (w, "Sans Bold 10", header);
  rule (w);

  slots = fest_lineup_slots_between (lineup, stage->id, fest_lineup_days_get_start (days, day),
                                     fest_lineup_days_get_end (days, day));
  if (slots->len == 0)
    write_line (w, "Sans Italic 10", _("No sets on this stage this day."));

  for (guint i = 0; i < slots->len; i++)
    {
      const FestLineupSlot *slot = g_ptr_array_index (slots, i);
      g_autofree char *start = fest_lineup_days_format_clock (days, slot->start);
      g_autofree char *end = fest_lineup_days_format_clock (days, slot->end);
      g_autofree char *time = g_strdup_printf ("%s–%s", start, end);
      g_autofree char *notes = NULL;
      const char *cells[4];

      if (g_strcmp0 (slot->status, "CANCELLED") != 0 && stage->changeover_minutes > 0)
        {
          g_autofree char *until = fest_lineup_days_format_clock (days, slot->end
                                                                  + stage->changeover_minutes * 60);

          notes = g_strdup_printf (_("Changeover until %s"), until);
        }
      cells[0] = time;
      cells[1] = fest_lineup_slot_title (lineup, slot);
      cells[2] = fest_lineup_status_label (slot->status);
      cells[3] = notes;
      if (w->y > PAGE_HEIGHT - MARGIN - 30)
        {
          /* A stage page holds about forty sets; past that the rest is summarised. */
          g_autofree char *more = g_strdup_printf (_("…and %u more sets"), slots->len - i);

          write_line (w, "Sans Italic 10", more);
          break;
        }
      write_row (w, "Sans 10", cells);
    }
}

gboolean
fest_lineup_pdf_write (const char      *path,
                       FestLineup      *lineup,
                       FestLineupDays  *days,
                       guint            day,
                       const char      *festival_name,
                       GError         **error)
{
  FestPdf *pdf;
  g_autofree char *title = NULL;
  Writer w = { 0 };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (lineup != NULL && days != NULL, FALSE);
  g_return_val_if_fail (day < fest_lineup_days_get_n_days (days), FALSE);

  title = g_strdup_printf (_("Running order — %s"), festival_name != NULL ? festival_name : "");
  pdf = fest_pdf_new (path, title, error);
  if (pdf == NULL)
    return FALSE;
  w.cr = fest_pdf_get_cr (pdf);
  w.layout = fest_pdf_get_layout (pdf);

  for (guint i = 0; i < fest_lineup_get_n_stages (lineup); i++)
    {
      write_stage (&w, lineup, days, day, festival_name, fest_lineup_get_stage (lineup, i));
      cairo_show_page (w.cr);
    }

  return fest_pdf_finish (pdf, error);
}
