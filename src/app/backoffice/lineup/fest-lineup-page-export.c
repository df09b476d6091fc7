/* fest-lineup-page-export.c: the Lineup page's exports, iCalendar and the day's running order
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each export asks where to save with a GtkFileChooserNative (the portal inside Flatpak), then
 * writes: the iCalendar feed as the server serves it (GET /lineup.ics), the PDF drawn here from
 * the day shown (fest-lineup-pdf.c). A toast says where the file went.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-lineup-page-private.h"
#include "fest-lineup-pdf.h"
#include "fest-page-util.h"

/* A file name from the festival's name: no slashes, no leading dot. */
static char *
file_name (FestLineupPage *self,
           const char     *suffix)
{
  const char *name = fest_page_json_string (self->festival, "name");
  g_autofree char *base = g_strdup (name != NULL && *name != '\0' ? name : "festival");

  g_strdelimit (base, "/\\:", '-');
  if (base[0] == '.')
    base[0] = '_';
  return g_strconcat (base, suffix, NULL);
}

static void
saved_to (FestLineupPage *self,
          GFile          *file)
{
  g_autofree char *where = g_file_get_parse_name (file);
  g_autofree char *message = g_strdup_printf (_("Saved to %s"), where);

  _fest_lineup_page_toast (self, message);
}

typedef struct
{
  FestLineupPage *self;
  GFile          *file;
} Export;

static void
export_free (Export *export)
{
  g_object_unref (export->self);
  g_object_unref (export->file);
  g_free (export);
}

static void
ical_written_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;

  export->self->pending--;
  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Cannot save the file: %s"), error->message);

          _fest_lineup_page_toast (export->self, message);
        }
    }
  else
    {
      saved_to (export->self, export->file);
    }
  export_free (export);
}

static void
ical_fetched_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Export *export = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = fest_client_get_bytes_finish (FEST_CLIENT (source), result, NULL, &error);

  if (bytes == NULL)
    {
      export->self->pending--;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _fest_lineup_page_toast_error (export->self, error);
      export_free (export);
      return;
    }
  g_file_replace_contents_bytes_async (export->file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                       export->self->dispose_cancellable, ical_written_cb, export);
}

void
fest_lineup_page_export_ical_to (FestLineupPage *self,
                                 GFile          *file)
{
  Export *export;

  g_return_if_fail (FEST_IS_LINEUP_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  export = g_new0 (Export, 1);
  export->self = g_object_ref (self);
  export->file = g_object_ref (file);
  self->pending++;
  fest_client_get_bytes_async (fest_page_get_client (FEST_PAGE (self)), "/lineup.ics",
                               self->dispose_cancellable, ical_fetched_cb, export);
}

void
fest_lineup_page_export_pdf_to (FestLineupPage *self,
                                GFile          *file)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (FEST_IS_LINEUP_PAGE (self));
  g_return_if_fail (G_IS_FILE (file));

  path = g_file_get_path (file);
  if (self->days == NULL || path == NULL)
    {
      _fest_lineup_page_toast (self, _("Cannot save the file there."));
      return;
    }
  /* A few pages of text: written at once, no need for a thread. */
  if (!fest_lineup_pdf_write (path, self->lineup, self->days, self->day,
                              fest_page_json_string (self->festival, "name"), &error))
    {
      _fest_lineup_page_toast (self, error->message);
      return;
    }
  saved_to (self, file);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  FestLineupPage *self = user_data;
  gboolean pdf = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), "fest-pdf"));
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (self->chooser == chooser)
    g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  if (pdf)
    fest_lineup_page_export_pdf_to (self, file);
  else
    fest_lineup_page_export_ical_to (self, file);
}

static void
ask_file (FestLineupPage *self,
          const char     *title,
          const char     *name,
          gboolean        pdf)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkFileChooserNative *chooser;

  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);

  chooser = gtk_file_chooser_native_new (title, GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_object_set_data (G_OBJECT (chooser), "fest-pdf", GINT_TO_POINTER (pdf));
  g_signal_connect_object (chooser, "response", G_CALLBACK (chooser_response_cb), self, 0);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  gtk_native_dialog_show (self->chooser);
}

static void
export_ical_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  g_autofree char *name = file_name (self, "-lineup.ics");

  ask_file (self, _("Export the Lineup as iCalendar"), name, FALSE);
}

static void
export_pdf_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);
  g_autofree char *suffix = NULL;
  g_autofree char *name = NULL;

  if (self->days == NULL)
    return;
  {
    g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (fest_lineup_days_get_start (self->days,
                                                                                          self->day));
    g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, fest_lineup_days_get_zone (self->days));
    g_autofree char *date = g_date_time_format (local, "%Y-%m-%d");

    suffix = g_strdup_printf ("-running-order-%s.pdf", date);
  }
  name = file_name (self, suffix);
  ask_file (self, _("Export the Day’s Running Order"), name, TRUE);
}

void
_fest_lineup_page_class_init_export (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "lineup.export-ical", NULL, export_ical_action);
  gtk_widget_class_install_action (widget_class, "lineup.export-pdf", NULL, export_pdf_action);
}
