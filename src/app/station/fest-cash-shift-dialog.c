/* fest-cash-shift-dialog.c: opening float and closing count of a station's cash shift
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Money in the till is euros; the server's shift figures are in the festival currency's minor
 * units (the recharges' amounts). The dialog converts at the festival's rate (euro-cents per
 * unit) both ways: euros typed → units sent, units answered → euros shown.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-cash-shift-dialog.h"
#include "fest-sync-engine.h"

#define N_DENOMINATIONS 15

static const gint64 denominations[N_DENOMINATIONS] = {
  50000, 20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50, 20, 10, 5, 2, 1
};

struct _FestCashShiftDialog
{
  GtkWindow           parent_instance;

  FestStationContext *context;
  gboolean            closing;
  GtkEntry           *float_entry;
  GtkEntry           *counts[N_DENOMINATIONS];
  GtkLabel           *total_label;
  GtkLabel           *message;
  GtkLabel           *result_label;
  GtkButton          *action_button;
  GtkButton          *done_button;
  char               *close_key;
  gint64              counted_cents;
  gboolean            confirmed;
  GCancellable       *cancellable;
};

G_DEFINE_FINAL_TYPE (FestCashShiftDialog, fest_cash_shift_dialog, GTK_TYPE_WINDOW)

enum { DONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static gint64
rate (FestCashShiftDialog *self)
{
  gint64 value = fest_station_store_get_setting_int (fest_station_context_get_store (self->context),
                                                     FEST_STATION_KEY_EXCHANGE_RATE, 0);

  return value > 0 ? value : 100;
}

/* Euro cents → festival units (rounded down: the till never claims more than it holds). */
static gint64
cents_to_units (FestCashShiftDialog *self,
                gint64               cents)
{
  return cents * 100 / rate (self);
}

static gint64
units_to_cents (FestCashShiftDialog *self,
                gint64               units)
{
  return units * rate (self) / 100;
}

static char *
denomination_label (gint64 cents)
{
  g_autofree char *money = fest_money_format_eur (cents);

  return cents >= 500 ? g_strdup_printf (_("%s notes"), money) : g_strdup_printf (_("%s coins"), money);
}

static gboolean
parse_count (GtkEntry *entry,
             gint64   *count)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (entry));
  guint64 value = 0;

  if (text == NULL || *text == '\0')
    {
      *count = 0;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 0, 100000, &value, NULL))
    return FALSE;
  *count = (gint64) value;
  return TRUE;
}

static void
update_total (FestCashShiftDialog *self)
{
  g_autofree char *money = NULL;
  g_autofree char *text = NULL;
  gboolean valid = TRUE;
  gint64 total = 0;

  for (guint i = 0; i < N_DENOMINATIONS; i++)
    {
      gint64 count = 0;

      if (!parse_count (self->counts[i], &count))
        {
          valid = FALSE;
          gtk_widget_add_css_class (GTK_WIDGET (self->counts[i]), "error");
          continue;
        }
      gtk_widget_remove_css_class (GTK_WIDGET (self->counts[i]), "error");
      total += count * denominations[i];
    }
  self->counted_cents = total;
  money = fest_money_format_eur (total);
  text = g_strdup_printf (_("Counted: %s"), money);
  gtk_label_set_text (self->total_label, text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_button), valid && self->close_key == NULL);
}

static void
count_changed_cb (GtkEditable *editable,
                  gpointer     user_data)
{
  update_total (user_data);
}

static void
show_result (FestCashShiftDialog *self,
             gint64               expected_units,
             gint64               difference_units,
             gboolean             estimate)
{
  g_autofree char *expected = fest_money_format_eur (units_to_cents (self, expected_units));
  g_autofree char *counted = fest_money_format_eur (self->counted_cents);
  g_autofree char *difference = fest_money_format_eur (units_to_cents (self, difference_units));
  g_autofree char *text = NULL;

  if (estimate)
    text = g_strdup_printf (_("Expected: %s (the station's estimate, not yet confirmed by the server)\n"
                              "Counted: %s\nDifference: %s"), expected, counted, difference);
  else
    text = g_strdup_printf (_("Expected: %s\nCounted: %s\nDifference: %s"), expected, counted, difference);
  self->confirmed = !estimate;
  gtk_label_set_text (self->result_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->result_label), TRUE);
}

static void
close_synced_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestCashShiftDialog) self = user_data;
  gint64 expected = 0, difference = 0;

  fest_sync_engine_sync_finish (FEST_SYNC_ENGINE (source), result, NULL);
  if (self->close_key != NULL &&
      fest_station_store_get_close_result (fest_station_context_get_store (self->context), self->close_key,
                                           &expected, &difference))
    show_result (self, expected, difference, FALSE);
}

static void
open_shift (FestCashShiftDialog *self)
{
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  gint64 cents = 0;
  FestSyncEngine *engine;

  if (!fest_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->float_entry)), &cents) || cents < 0)
    {
      gtk_label_set_text (self->message, _("Type the cash in the till, in euros (for example 150 or 150.50)"));
      gtk_widget_grab_focus (GTK_WIDGET (self->float_entry));
      return;
    }
  op = fest_station_store_open_cash_shift (fest_station_context_get_store (self->context),
                                           cents_to_units (self, cents), &error);
  if (op == NULL)
    {
      gtk_label_set_text (self->message, error->message);
      return;
    }
  engine = fest_station_context_get_engine (self->context);
  if (engine != NULL)
    fest_sync_engine_sync_now (engine);
  g_signal_emit (self, signals[DONE], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
close_shift (FestCashShiftDialog *self)
{
  g_autoptr(FestOutboxOp) op = NULL;
  g_autoptr(GError) error = NULL;
  FestSyncEngine *engine;
  gint64 counted, estimate = 0;

  update_total (self);
  counted = cents_to_units (self, self->counted_cents);
  op = fest_station_store_close_cash_shift (fest_station_context_get_store (self->context), counted, NULL,
                                            &estimate, &error);
  if (op == NULL)
    {
      gtk_label_set_text (self->message, error->message);
      return;
    }
  self->close_key = g_strdup (op->idempotency_key);
  for (guint i = 0; i < N_DENOMINATIONS; i++)
    gtk_editable_set_editable (GTK_EDITABLE (self->counts[i]), FALSE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->action_button), FALSE);
  show_result (self, estimate, counted - estimate, TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->done_button));
  engine = fest_station_context_get_engine (self->context);
  if (engine != NULL)
    fest_sync_engine_sync_async (engine, self->cancellable, close_synced_cb, g_object_ref (self));
}

static void
action_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestCashShiftDialog *self = user_data;

  if (self->closing)
    close_shift (self);
  else
    open_shift (self);
}

static void
done_clicked_cb (GtkButton *button,
                 gpointer   user_data)
{
  FestCashShiftDialog *self = user_data;

  g_signal_emit (self, signals[DONE], 0);
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
entry_activate_cb (GtkEntry *entry,
                   gpointer  user_data)
{
  FestCashShiftDialog *self = user_data;

  if (!self->closing)
    open_shift (self);
  else if (self->close_key == NULL)
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

static void
fest_cash_shift_dialog_dispose (GObject *object)
{
  FestCashShiftDialog *self = FEST_CASH_SHIFT_DIALOG (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->context);
  g_clear_pointer (&self->close_key, g_free);
  G_OBJECT_CLASS (fest_cash_shift_dialog_parent_class)->dispose (object);
}

static void
fest_cash_shift_dialog_class_init (FestCashShiftDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_cash_shift_dialog_dispose;
  signals[DONE] = g_signal_new ("done", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
fest_cash_shift_dialog_init (FestCashShiftDialog *self)
{
  self->cancellable = g_cancellable_new ();
}

static GtkLabel *
new_label (const char *text,
           const char *css_class)
{
  GtkLabel *label = GTK_LABEL (gtk_label_new (text));

  gtk_label_set_wrap (label, TRUE);
  gtk_label_set_xalign (label, 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (label), css_class);
  return label;
}

static FestCashShiftDialog *
dialog_new (GtkWindow          *parent,
            FestStationContext *context,
            gboolean            closing)
{
  FestCashShiftDialog *self = g_object_new (FEST_TYPE_CASH_SHIFT_DIALOG, "modal", TRUE, "transient-for", parent,
                                            "destroy-with-parent", TRUE, NULL);
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  GtkBox *buttons = GTK_BOX (gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12));

  self->context = g_object_ref (context);
  self->closing = closing;
  gtk_window_set_title (GTK_WINDOW (self), closing ? _("Close the cash shift") : _("Open the cash shift"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, -1);
  gtk_widget_set_margin_top (GTK_WIDGET (box), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 18);
  gtk_widget_set_margin_start (GTK_WIDGET (box), 18);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 18);

  if (!closing)
    {
      gtk_box_append (box, GTK_WIDGET (new_label (_("Count the cash in the till before the first sale, and type "
                                                    "it in euros."), NULL)));
      self->float_entry = GTK_ENTRY (gtk_entry_new ());
      gtk_entry_set_input_purpose (self->float_entry, GTK_INPUT_PURPOSE_NUMBER);
      /* Translators: an example opening float in euros, written as people of your language do. */
      gtk_entry_set_placeholder_text (self->float_entry, _("150.00"));
      gtk_widget_add_css_class (GTK_WIDGET (self->float_entry), "title-2");
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->float_entry), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Opening float in euros"), -1);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->float_entry), _("Opening float in euros"));
      g_signal_connect_object (self->float_entry, "activate", G_CALLBACK (entry_activate_cb), self, 0);
      gtk_box_append (box, GTK_WIDGET (self->float_entry));
    }
  else
    {
      GtkGrid *grid = GTK_GRID (gtk_grid_new ());

      gtk_box_append (box, GTK_WIDGET (new_label (_("Count the till: how many of each note and coin."), NULL)));
      gtk_grid_set_row_spacing (grid, 6);
      gtk_grid_set_column_spacing (grid, 12);
      for (guint i = 0; i < N_DENOMINATIONS; i++)
        {
          g_autofree char *name = denomination_label (denominations[i]);
          g_autofree char *money = fest_money_format_eur (denominations[i]);
          GtkLabel *label = new_label (money, NULL);

          self->counts[i] = GTK_ENTRY (gtk_entry_new ());
          gtk_entry_set_input_purpose (self->counts[i], GTK_INPUT_PURPOSE_DIGITS);
          gtk_entry_set_max_length (self->counts[i], 6);
          gtk_editable_set_width_chars (GTK_EDITABLE (self->counts[i]), 6);
          gtk_entry_set_placeholder_text (self->counts[i], "0");
          gtk_accessible_update_property (GTK_ACCESSIBLE (self->counts[i]), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
          gtk_widget_set_tooltip_text (GTK_WIDGET (self->counts[i]), name);
          gtk_label_set_mnemonic_widget (label, GTK_WIDGET (self->counts[i]));
          g_signal_connect_object (self->counts[i], "changed", G_CALLBACK (count_changed_cb), self, 0);
          g_signal_connect_object (self->counts[i], "activate", G_CALLBACK (entry_activate_cb), self, 0);
          /* Notes in the left pair of columns, coins in the right one. */
          gtk_grid_attach (grid, GTK_WIDGET (label), i < 7 ? 0 : 2, i < 7 ? i : i - 7, 1, 1);
          gtk_grid_attach (grid, GTK_WIDGET (self->counts[i]), i < 7 ? 1 : 3, i < 7 ? i : i - 7, 1, 1);
        }
      gtk_box_append (box, GTK_WIDGET (grid));
      self->total_label = new_label ("", "title-3");
      gtk_box_append (box, GTK_WIDGET (self->total_label));
      self->result_label = new_label ("", "title-4");
      gtk_label_set_selectable (self->result_label, FALSE);
      /* Its name is its text (the figures); what it is, in its description. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (self->result_label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                      _("Shift result"), -1);
      gtk_widget_set_visible (GTK_WIDGET (self->result_label), FALSE);
      gtk_box_append (box, GTK_WIDGET (self->result_label));
    }

  self->message = new_label ("", "error");
  gtk_box_append (box, GTK_WIDGET (self->message));
  self->action_button = GTK_BUTTON (gtk_button_new_with_label (closing ? _("Close shift") : _("Open shift")));
  gtk_widget_add_css_class (GTK_WIDGET (self->action_button), "suggested-action");
  g_signal_connect_object (self->action_button, "clicked", G_CALLBACK (action_clicked_cb), self, 0);
  gtk_box_append (buttons, GTK_WIDGET (self->action_button));
  self->done_button = GTK_BUTTON (gtk_button_new_with_label (_("Save the report")));
  gtk_widget_set_visible (GTK_WIDGET (self->done_button), FALSE);
  g_signal_connect_object (self->done_button, "clicked", G_CALLBACK (done_clicked_cb), self, 0);
  gtk_box_append (buttons, GTK_WIDGET (self->done_button));
  gtk_widget_set_halign (GTK_WIDGET (buttons), GTK_ALIGN_END);
  gtk_box_append (box, GTK_WIDGET (buttons));
  gtk_window_set_child (GTK_WINDOW (self), GTK_WIDGET (box));
  if (closing)
    update_total (self);
  gtk_window_set_focus (GTK_WINDOW (self), closing ? GTK_WIDGET (self->counts[0]) : GTK_WIDGET (self->float_entry));
  return self;
}

FestCashShiftDialog *
fest_cash_shift_dialog_new_open (GtkWindow          *parent,
                                 FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);
  return dialog_new (parent, context, FALSE);
}

FestCashShiftDialog *
fest_cash_shift_dialog_new_close (GtkWindow          *parent,
                                  FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);
  return dialog_new (parent, context, TRUE);
}

const char *
fest_cash_shift_dialog_require_open (GtkWidget          *page,
                                     FestStationContext *context)
{
  FestCashShiftDialog *dialog;

  g_return_val_if_fail (GTK_IS_WIDGET (page), NULL);
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);
  if (fest_station_store_has_cash_shift (fest_station_context_get_store (context)))
    return NULL;
  /* The day's first sale: the till's opening float first. */
  dialog = fest_cash_shift_dialog_new_open (GTK_WINDOW (gtk_widget_get_root (page)), context);
  gtk_window_present (GTK_WINDOW (dialog));
  return _("Open the cash shift first: type the opening float");
}

gint64
fest_cash_shift_dialog_get_counted_cents (FestCashShiftDialog *self)
{
  g_return_val_if_fail (FEST_IS_CASH_SHIFT_DIALOG (self), 0);
  return self->counted_cents;
}

const char *
fest_cash_shift_dialog_get_result_text (FestCashShiftDialog *self)
{
  g_return_val_if_fail (FEST_IS_CASH_SHIFT_DIALOG (self), NULL);
  if (self->result_label == NULL || !gtk_widget_get_visible (GTK_WIDGET (self->result_label)))
    return NULL;
  return gtk_label_get_text (self->result_label);
}

gboolean
fest_cash_shift_dialog_get_confirmed (FestCashShiftDialog *self)
{
  g_return_val_if_fail (FEST_IS_CASH_SHIFT_DIALOG (self), FALSE);
  return self->confirmed;
}
