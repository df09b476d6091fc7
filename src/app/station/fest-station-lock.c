/* fest-station-lock.c: the organiser PIN that guards leaving, settings and enrolling again
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The PIN is checked against the station store's hash in a worker thread (argon2id is slow on
 * purpose: never on the GTK thread).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-station-lock.h"

struct _FestStationLock
{
  GObject             parent_instance;

  FestStationContext *context;
  GCancellable       *cancellable;
  GtkWindow          *dialog;   /* weak */
};

G_DEFINE_FINAL_TYPE (FestStationLock, fest_station_lock, G_TYPE_OBJECT)

enum {
  UNLOCKED,
  REFUSED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

typedef struct
{
  FestStationStore       *store;
  char                   *pin;
  FestStationLockPurpose  purpose;
} PinData;

static void
pin_data_free (PinData *data)
{
  g_object_unref (data->store);
  g_free (data->pin);
  g_free (data);
}

static void
check_pin_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  PinData *data = task_data;

  g_task_return_boolean (task, fest_station_store_check_pin (data->store, data->pin));
}

static void
pin_checked_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  FestStationLock *self = FEST_STATION_LOCK (source);
  PinData *data = g_task_get_task_data (G_TASK (result));

  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    g_signal_emit (self, signals[REFUSED], 0);
  else
    g_signal_emit (self, signals[UNLOCKED], 0, data->purpose);
}

static void
response_cb (AdwMessageDialog *dialog,
             const char       *response,
             gpointer          user_data)
{
  FestStationLock *self = user_data;
  GtkEditable *entry = g_object_get_data (G_OBJECT (dialog), "pin-entry");
  g_autoptr(GTask) task = NULL;
  PinData *data;

  if (g_strcmp0 (response, "unlock") != 0)
    return;
  data = g_new0 (PinData, 1);
  data->store = g_object_ref (fest_station_context_get_store (self->context));
  data->pin = g_strdup (gtk_editable_get_text (entry));
  data->purpose = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (dialog), "pin-purpose"));
  task = g_task_new (self, self->cancellable, pin_checked_cb, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) pin_data_free);
  g_task_run_in_thread (task, check_pin_thread);
}

static void
fest_station_lock_dispose (GObject *object)
{
  FestStationLock *self = FEST_STATION_LOCK (object);

  fest_station_lock_dismiss (self);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_lock_parent_class)->dispose (object);
}

static void
fest_station_lock_finalize (GObject *object)
{
  FestStationLock *self = FEST_STATION_LOCK (object);

  g_clear_object (&self->cancellable);
  G_OBJECT_CLASS (fest_station_lock_parent_class)->finalize (object);
}

static void
fest_station_lock_class_init (FestStationLockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_station_lock_dispose;
  object_class->finalize = fest_station_lock_finalize;

  /* The right PIN was given for this purpose (a FestStationLockPurpose). */
  signals[UNLOCKED] =
    g_signal_new ("unlocked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);
  /* A wrong PIN. */
  signals[REFUSED] =
    g_signal_new ("refused", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
fest_station_lock_init (FestStationLock *self)
{
  self->cancellable = g_cancellable_new ();
}

FestStationLock *
fest_station_lock_new (FestStationContext *context)
{
  FestStationLock *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_STATION_LOCK, NULL);
  self->context = g_object_ref (context);
  return self;
}

void
fest_station_lock_ask (FestStationLock        *self,
                       GtkWindow              *parent,
                       FestStationLockPurpose  purpose)
{
  AdwMessageDialog *dialog;
  GtkWidget *entry;

  g_return_if_fail (FEST_IS_STATION_LOCK (self));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Organiser PIN"),
                                                       purpose == FEST_STATION_LOCK_LEAVE
                                                       ? _("Enter the PIN to leave the station.")
                                                       : purpose == FEST_STATION_LOCK_ENROLL_AGAIN
                                                       ? _("Enter the PIN to enroll this station again.")
                                                       : _("Enter the PIN to change the station's settings.")));
  /* A plain hidden GtkEntry: GtkPasswordEntry in a dialog trips GTK 4.8 on teardown. */
  entry = gtk_entry_new ();
  gtk_entry_set_visibility (GTK_ENTRY (entry), FALSE);
  gtk_entry_set_input_purpose (GTK_ENTRY (entry), GTK_INPUT_PURPOSE_PIN);
  gtk_accessible_update_property (GTK_ACCESSIBLE (entry), GTK_ACCESSIBLE_PROPERTY_LABEL, _("PIN"), -1);
  adw_message_dialog_set_extra_child (dialog, entry);
  if (self->dialog != NULL)
    gtk_window_destroy (self->dialog);
  self->dialog = GTK_WINDOW (dialog);
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) &self->dialog);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "unlock", _("_Unlock"), NULL);
  adw_message_dialog_set_response_appearance (dialog, "unlock", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (dialog, "unlock");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_object_set_data (G_OBJECT (dialog), "pin-entry", entry);
  g_object_set_data (G_OBJECT (dialog), "pin-purpose", GINT_TO_POINTER (purpose));
  g_signal_connect_object (dialog, "response", G_CALLBACK (response_cb), self, 0);
  g_signal_connect_swapped (entry, "activate", G_CALLBACK (gtk_widget_activate_default), dialog);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (entry);
}

void
fest_station_lock_dismiss (FestStationLock *self)
{
  g_return_if_fail (FEST_IS_STATION_LOCK (self));

  g_cancellable_cancel (self->cancellable);
  /* Before the window goes: a transient dialog outliving it trips GTK 4.8. */
  if (self->dialog != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->dialog), (gpointer *) &self->dialog);
      gtk_window_destroy (g_steal_pointer (&self->dialog));
    }
}
