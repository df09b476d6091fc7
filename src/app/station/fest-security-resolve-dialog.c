/* fest-security-resolve-dialog.c: the dialog that asks a guard for the notes resolving an incident
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A separate window: the station window's keyboard handler (scanner bursts) never sees what is
 * typed in the notes, so a person types them as in any text field.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-security-resolve-dialog.h"

char *
fest_security_resolve_dialog_get_notes (GtkTextView *notes)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (notes), NULL);

  buffer = gtk_text_view_get_buffer (notes);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static void
notes_changed_cb (GtkTextBuffer    *buffer,
                  AdwMessageDialog *dialog)
{
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
  adw_message_dialog_set_response_enabled (dialog, "resolve", *text != '\0');
}

static gboolean
notes_resolve_cb (GtkWidget *widget,
                  GVariant  *args,
                  gpointer   user_data)
{
  AdwMessageDialog *dialog = user_data;

  if (!adw_message_dialog_get_response_enabled (dialog, "resolve"))
    {
      gtk_widget_error_bell (widget);
      return TRUE;
    }
  adw_message_dialog_response (dialog, "resolve");
  gtk_window_close (GTK_WINDOW (dialog));
  return TRUE;
}

AdwMessageDialog *
fest_security_resolve_dialog_new (GtkWindow    *parent,
                                  const char   *title,
                                  GtkTextView **notes_out)
{
  g_autofree char *heading = g_strdup_printf (_("Resolve: %s"), title != NULL ? title : "");
  GtkEventController *shortcuts;
  GtkWidget *dialog, *frame, *notes;

  dialog = adw_message_dialog_new (parent, heading,
                                   _("Say what was done: the notes go with the incident. Ctrl+Enter resolves."));
  notes = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (notes), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (notes), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (notes), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (notes), 8);
  gtk_accessible_update_property (GTK_ACCESSIBLE (notes), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Resolution notes"), -1);
  frame = gtk_frame_new (NULL);
  gtk_widget_set_size_request (frame, 360, 120);
  gtk_frame_set_child (GTK_FRAME (frame), notes);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), frame);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"), "resolve", _("_Resolve"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "resolve", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (ADW_MESSAGE_DIALOG (dialog), "resolve", FALSE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "resolve");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect_object (gtk_text_view_get_buffer (GTK_TEXT_VIEW (notes)), "changed", G_CALLBACK (notes_changed_cb),
                           dialog, 0);

  /* Enter makes a new line in the notes; Ctrl+Enter resolves (as the Resolve button). */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return"),
                                                          gtk_callback_action_new (notes_resolve_cb, dialog, NULL)));
  gtk_widget_add_controller (notes, shortcuts);

  *notes_out = GTK_TEXT_VIEW (notes);
  return ADW_MESSAGE_DIALOG (dialog);
}
