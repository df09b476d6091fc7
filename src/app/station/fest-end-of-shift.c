/* fest-end-of-shift.c: a station's end-of-shift report, saved as PDF and printable
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The report is the shift summary of the station store as it is when saved; the same report can
 * be printed afterwards, while a new shift has already started.
 */

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "fest-end-of-shift.h"
#include "fest-shift-report.h"

struct _FestEndOfShift
{
  GObject           parent_instance;

  FestShiftSummary *summary;
  char             *path;
  char             *station;
  char             *currency;
  gint64            rate;
};

G_DEFINE_FINAL_TYPE (FestEndOfShift, fest_end_of_shift, G_TYPE_OBJECT)

static void
begin_print_cb (GtkPrintOperation *operation,
                GtkPrintContext   *context,
                gpointer           user_data)
{
  FestEndOfShift *self = user_data;

  gtk_print_operation_set_n_pages (operation,
                                   fest_shift_report_draw_page (self->summary, self->station, self->currency,
                                                                self->rate,
                                                                gtk_print_context_get_cairo_context (context), -1));
}

static void
draw_page_cb (GtkPrintOperation *operation,
              GtkPrintContext   *context,
              int                page,
              gpointer           user_data)
{
  FestEndOfShift *self = user_data;

  fest_shift_report_draw_page (self->summary, self->station, self->currency, self->rate,
                               gtk_print_context_get_cairo_context (context), page);
}

static void
fest_end_of_shift_finalize (GObject *object)
{
  FestEndOfShift *self = FEST_END_OF_SHIFT (object);

  g_clear_pointer (&self->summary, fest_shift_summary_free);
  g_free (self->path);
  g_free (self->station);
  g_free (self->currency);
  G_OBJECT_CLASS (fest_end_of_shift_parent_class)->finalize (object);
}

static void
fest_end_of_shift_class_init (FestEndOfShiftClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fest_end_of_shift_finalize;
}

static void
fest_end_of_shift_init (FestEndOfShift *self)
{
}

FestEndOfShift *
fest_end_of_shift_save (FestStationStore *store,
                        GError          **error)
{
  g_autoptr(FestEndOfShift) self = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d-%H%M%S");
  g_autofree char *name = g_strdup_printf ("shift-report-%s.pdf", stamp);
  g_autofree char *dir = fest_shift_report_default_dir ();
  g_autofree char *currency = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (store), NULL);

  self = g_object_new (FEST_TYPE_END_OF_SHIFT, NULL);
  self->summary = fest_station_store_get_shift_summary (store);
  currency = fest_station_store_get_setting (store, FEST_STATION_KEY_CURRENCY_NAME);
  self->currency = g_strdup (currency ? currency : _("Tokens"));
  self->station = fest_station_store_get_setting (store, FEST_STATION_KEY_STAND_NAME);
  self->rate = fest_station_store_get_setting_int (store, FEST_STATION_KEY_EXCHANGE_RATE, 0);
  self->path = g_build_filename (dir, name, NULL);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno), _("Cannot write %s: %s"), dir,
                   g_strerror (saved_errno));
      return NULL;
    }
  if (!fest_shift_report_write_pdf (self->summary, self->station, self->currency, self->rate, self->path, error))
    return NULL;
  fest_station_store_start_shift (store, NULL);
  return g_steal_pointer (&self);
}

const char *
fest_end_of_shift_get_path (FestEndOfShift *self)
{
  g_return_val_if_fail (FEST_IS_END_OF_SHIFT (self), NULL);
  return self->path;
}

gboolean
fest_end_of_shift_print (FestEndOfShift *self,
                         GtkWindow      *parent,
                         GError        **error)
{
  g_autoptr(GtkPrintOperation) operation = NULL;
  g_autoptr(GtkPageSetup) setup = gtk_page_setup_new ();
  g_autoptr(GtkPaperSize) a4 = gtk_paper_size_new (GTK_PAPER_NAME_A4);

  g_return_val_if_fail (FEST_IS_END_OF_SHIFT (self), FALSE);

  operation = gtk_print_operation_new ();
  gtk_page_setup_set_paper_size (setup, a4);
  gtk_print_operation_set_default_page_setup (operation, setup);
  gtk_print_operation_set_unit (operation, GTK_UNIT_POINTS);
  gtk_print_operation_set_job_name (operation, _("End-of-shift report"));
  gtk_print_operation_set_allow_async (operation, TRUE);
  g_signal_connect_object (operation, "begin-print", G_CALLBACK (begin_print_cb), self, 0);
  g_signal_connect_object (operation, "draw-page", G_CALLBACK (draw_page_cb), self, 0);
  return gtk_print_operation_run (operation, GTK_PRINT_OPERATION_ACTION_PRINT_DIALOG, parent, error) !=
         GTK_PRINT_OPERATION_RESULT_ERROR;
}
