/* fest-recharge-page.c: the recharge desk: keypad, presets, cash or card, credit a wallet
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Recharges are credits: always accepted offline. Online first, the server may still refuse one
 * (unknown wallet, revoked station); when the request never reached the server or went unanswered,
 * it is committed to the outbox under the attempt's key before the screen confirms it. That policy
 * is FestCheckout's (offline/fest-checkout.h); this page shows its results.
 *
 * The cashier holds euros: the keypad and the quick buttons take the money received, in whole
 * euros, and the page shows what it becomes in the festival's currency before anything is
 * credited. The conversion is exact, in integers, at the festival's rate (euro-cents per unit): an
 * amount that does not make a whole number of minor units is refused, never rounded.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-cash-shift-dialog.h"
#include "fest-checkout.h"
#include "fest-end-of-shift.h"
#include "fest-feedback.h"
#include "fest-recharge-page.h"
#include "fest-station-context.h"
#include "fest-wedge.h"

/* Whole euros: up to 999 999 € in one recharge. */
#define MAX_DIGITS 6

typedef enum
{
  CONVERSION_EMPTY,
  CONVERSION_OK,
  CONVERSION_INEXACT,
  CONVERSION_NO_RATE,
  CONVERSION_TOO_LARGE,
} Conversion;

struct _FestRechargePage
{
  GtkBox             parent_instance;

  FestStationContext *context;
  FestCheckout      *checkout;
  char              *report_path;
  GCancellable      *cancellable;
  gboolean           crediting;
  GString           *digits;       /* typed on the keypad, in whole euros received */
  char              *message;

  GtkLabel          *amount_label;
  GtkLabel          *conversion_label;
  GtkToggleButton   *cash_button;
  GtkToggleButton   *card_button;
  GtkToggleButton   *comp_button;
  GtkEntry          *wallet_entry;
  GtkButton         *credit_button;
  char              *credit_label;
  GtkLabel          *message_label;
  GtkBox            *presets;
  GtkGrid           *keypad;
};

G_DEFINE_FINAL_TYPE (FestRechargePage, fest_recharge_page, GTK_TYPE_BOX)

static gint64
received_cents (FestRechargePage *self)
{
  gint64 euros = self->digits->len > 0 ? g_ascii_strtoll (self->digits->str, NULL, 10) : 0;

  return euros * 100;
}

static gint64
exchange_rate (FestRechargePage *self)
{
  return fest_station_store_get_setting_int (fest_station_context_get_store (self->context),
                                             FEST_STATION_KEY_EXCHANGE_RATE, 0);
}

/* The minor units the euros received make: cents × 100 / rate, when that is a whole number. */
static Conversion
convert (FestRechargePage *self,
         gint64           *amount)
{
  gint64 cents = received_cents (self);
  gint64 rate = exchange_rate (self);
  gint64 scaled = 0;

  *amount = 0;
  if (cents <= 0)
    return CONVERSION_EMPTY;
  if (rate <= 0)
    return CONVERSION_NO_RATE;
  if (!fest_money_mul (cents, 100, &scaled))
    return CONVERSION_TOO_LARGE;
  if (scaled % rate != 0)
    return CONVERSION_INEXACT;
  if (scaled / rate > FEST_MONEY_MAX_AMOUNT)
    return CONVERSION_TOO_LARGE;
  *amount = scaled / rate;
  return CONVERSION_OK;
}

/* The credit, in minor units; 0 unless the amount received converts exactly. */
static gint64
current_amount (FestRechargePage *self)
{
  gint64 amount;

  return convert (self, &amount) == CONVERSION_OK ? amount : 0;
}

/* What the amount received becomes, or why it cannot be credited. */
static char *
conversion_text (FestRechargePage *self)
{
  g_autofree char *currency = fest_station_store_get_setting (fest_station_context_get_store (self->context),
                                                              FEST_STATION_KEY_CURRENCY_NAME);
  const char *name = currency != NULL ? currency : _("Tokens");
  gint64 amount = 0;

  switch (convert (self, &amount))
    {
    case CONVERSION_OK:
      {
        g_autofree char *units = fest_money_format (amount, name);

        return g_strdup_printf (_("Credits %s"), units);
      }

    case CONVERSION_INEXACT:
      {
        g_autofree char *received = fest_money_format_eur (received_cents (self));
        g_autofree char *unit = fest_money_format_eur (exchange_rate (self));

        return g_strdup_printf (_("%s does not make an exact amount of %s (%s each): type another amount"),
                                received, name, unit);
      }

    case CONVERSION_NO_RATE:
      return g_strdup (_("The exchange rate is not known yet: wait for the first sync"));

    case CONVERSION_TOO_LARGE:
      return g_strdup (_("This amount is too large for one recharge"));

    case CONVERSION_EMPTY:
    default:
      /* The rate from the first screen on: the desk sees what it sells. */
      if (exchange_rate (self) > 0)
        {
          g_autofree char *unit = fest_money_format_eur (exchange_rate (self));

          /* Translators: "Type the euros received, or tap a note: Jetons at €0.10 each" */
          return g_strdup_printf (_("Type the euros received, or tap a note: %s at %s each"), name,
                                  unit);
        }
      return g_strdup (_("Type the euros received, or tap a note"));
    }
}

static void
update_amount (FestRechargePage *self)
{
  g_autofree char *received = fest_money_format_eur (received_cents (self));
  g_autofree char *conversion = conversion_text (self);
  gint64 amount;
  Conversion state = convert (self, &amount);

  gtk_label_set_text (self->amount_label, received);
  gtk_label_set_text (self->conversion_label, conversion);
  if (state == CONVERSION_INEXACT || state == CONVERSION_NO_RATE || state == CONVERSION_TOO_LARGE)
    gtk_widget_add_css_class (GTK_WIDGET (self->conversion_label), "station-refused-text");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->conversion_label), "station-refused-text");
  gtk_widget_set_sensitive (GTK_WIDGET (self->credit_button), state == CONVERSION_OK && !self->crediting);
}

static void
set_message (FestRechargePage *self,
             const char       *text,
             gboolean          refused)
{
  g_free (self->message);
  self->message = g_strdup (text);
  gtk_label_set_text (self->message_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label),
                               refused ? "station-ok-text" : "station-refused-text");
  gtk_widget_add_css_class (GTK_WIDGET (self->message_label),
                            refused ? "station-refused-text" : "station-ok-text");
  fest_feedback_play (fest_feedback_get_default (), refused ? FEST_FEEDBACK_REFUSE : FEST_FEEDBACK_ACCEPT);
}

static void
key_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  FestRechargePage *self = user_data;
  const char *key = g_object_get_data (G_OBJECT (button), "key");

  if (g_str_equal (key, "C"))
    g_string_truncate (self->digits, 0);
  else if (g_str_equal (key, "⌫"))
    {
      if (self->digits->len > 0)
        g_string_truncate (self->digits, self->digits->len - 1);
    }
  else if (self->digits->len + strlen (key) <= MAX_DIGITS &&
           !(self->digits->len == 0 && key[0] == '0'))
    g_string_append (self->digits, key);
  update_amount (self);
}

static void
preset_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestRechargePage *self = user_data;

  g_string_assign (self->digits, g_object_get_data (G_OBJECT (button), "key"));
  update_amount (self);
}

static void
set_crediting (FestRechargePage *self,
               gboolean          crediting)
{
  self->crediting = crediting;
  if (crediting)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Crediting…"), -1);
      gtk_button_set_child (self->credit_button, spinner);
    }
  else
    gtk_button_set_label (self->credit_button, self->credit_label);
  gtk_button_set_use_underline (self->credit_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->credit_button), !crediting && current_amount (self) > 0);
}

static void
credited (FestRechargePage         *self,
          const FestCheckoutResult *result,
          const char               *method)
{
  g_autofree char *amount = fest_station_context_format_money (self->context, result->amount);
  g_autofree char *balance = fest_station_context_format_money (self->context, result->balance);
  g_autofree char *message = g_strdup_printf (g_str_equal (method, "CARD") ? _("Credited %s (card)\nBalance: %s")
                                              : g_str_equal (method, "COMP") ? _("Credited %s (staff credit)\nBalance: %s")
                                              : _("Credited %s (cash)\nBalance: %s"),
                                              amount, balance);
  const char *note = NULL;

  if (result->route == FEST_CHECKOUT_ROUTE_NOT_SENT)
    note = _("Offline: will be sent when the network is back");
  else if (result->route == FEST_CHECKOUT_ROUTE_NO_ANSWER)
    note = _("No answer from the server: will be sent when the network is back");
  if (note != NULL)
    {
      g_autofree char *full = g_strdup_printf ("%s\n%s", message, note);

      set_message (self, full, FALSE);
    }
  else
    set_message (self, message, FALSE);
  g_string_truncate (self->digits, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), "");
  update_amount (self);
  fest_station_context_operation_queued (self->context);
}

/* FestCheckout (offline/fest-checkout.h) decided: online, the offline rules, or a refusal. */
static void
show_credit_result (FestRechargePage         *self,
                    const FestCheckoutResult *result,
                    const char               *method)
{
  g_autofree char *message = NULL;

  set_crediting (self, FALSE);
  if (result->status == FEST_CHECKOUT_ACCEPTED)
    {
      credited (self, result, method);
      return;
    }
  if (result->status == FEST_CHECKOUT_REVOKED)
    message = g_strdup (_("Refused: this station was revoked by the organiser"));
  else if (result->refusal == FEST_CHECKOUT_REFUSAL_LOCAL)
    message = g_strdup_printf (_("Refused: %s"), result->error->message);
  else if (result->refusal == FEST_CHECKOUT_REFUSAL_UNKNOWN_WALLET)
    message = g_strdup (_("Refused: unknown wallet"));
  else
    message = g_strdup_printf (_("Refused by the server: %s"), result->error != NULL ? result->error->message : "");
  set_message (self, message, TRUE);
}

typedef struct
{
  FestRechargePage *self;
  char             *method;
} CreditData;

static void
credit_data_free (CreditData *data)
{
  g_object_unref (data->self);
  g_free (data->method);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CreditData, credit_data_free)

static void
credit_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(CreditData) data = user_data;
  g_autoptr(FestCheckoutResult) result = NULL;

  result = fest_checkout_recharge_finish (FEST_CHECKOUT (source), res, NULL);
  if (result == NULL || data->self->context == NULL)
    return;
  show_credit_result (data->self, result, data->method);
}

static void
credit (FestRechargePage *self,
        const char       *text)
{
  g_autofree char *code = g_strstrip (g_strdup (text != NULL ? text : ""));
  const char *method = gtk_toggle_button_get_active (self->card_button) ? "CARD"
                       : gtk_toggle_button_get_active (self->comp_button) ? "COMP" : "CASH";
  const char *shift_message;
  CreditData *data;

  if (self->crediting)
    return;
  shift_message = fest_cash_shift_dialog_require_open (GTK_WIDGET (self), self->context);
  if (shift_message != NULL)
    {
      set_message (self, shift_message, TRUE);
      return;
    }
  if (fest_code_classify (code) != FEST_CODE_WALLET)
    {
      g_autofree char *fixed = NULL;

      /* A scanner set to a US layout, typing on this AZERTY keyboard into the focused field. */
      if (!fest_wedge_detect_us_layout (code, &fixed) || fest_code_classify (fixed) != FEST_CODE_WALLET)
        {
          set_message (self, _("Refused: this is not a wallet code"), TRUE);
          return;
        }
      fest_station_context_toast (self->context, _("Your scanner is set to a US keyboard layout: set it to French (AZERTY)"));
      g_free (code);
      code = g_steal_pointer (&fixed);
    }
  if (received_cents (self) <= 0)
    {
      set_message (self, _("Type the amount first, then scan the wallet"), TRUE);
      return;
    }
  if (current_amount (self) <= 0)
    {
      g_autofree char *reason = conversion_text (self);

      set_message (self, reason, TRUE);
      return;
    }

  set_crediting (self, TRUE);
  data = g_new0 (CreditData, 1);
  data->self = g_object_ref (self);
  data->method = g_strdup (method);
  fest_checkout_recharge_async (self->checkout, code, current_amount (self), method, self->cancellable,
                                credit_cb, data);
}

static void
credit_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestRechargePage *self = user_data;

  credit (self, gtk_editable_get_text (GTK_EDITABLE (self->wallet_entry)));
}

static GtkWidget *
key_button (FestRechargePage *self,
            const char       *key,
            const char       *tooltip,
            GCallback         callback)
{
  GtkWidget *button = gtk_button_new_with_label (key);

  g_object_set_data_full (G_OBJECT (button), "key", g_strdup (key), g_free);
  if (tooltip != NULL)
    gtk_widget_set_tooltip_text (button, tooltip);
  g_signal_connect_object (button, "clicked", callback, self, 0);
  return button;
}

/* The keypad and the notes a cashier is handed (their labels in the locale's euros). */
static void
add_keys (FestRechargePage *self)
{
  static const char * const keys[] = { "7", "8", "9", "4", "5", "6", "1", "2", "3", "C", "0", "⌫" };
  static const char * const values[] = { "5", "10", "20", "50" };

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      g_autofree char *label = fest_money_format_eur (g_ascii_strtoll (values[i], NULL, 10) * 100);
      g_autofree char *name = g_strdup_printf (_("Received %s"), label);
      GtkWidget *button = key_button (self, values[i], name, G_CALLBACK (preset_clicked_cb));

      gtk_button_set_label (GTK_BUTTON (button), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
      gtk_widget_add_css_class (button, "station-keypad-key");
      gtk_widget_add_css_class (button, "suggested-action");
      gtk_box_append (self->presets, button);
    }
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    {
      const char *tooltip = g_str_equal (keys[i], "C") ? _("Clear the amount")
                          : g_str_equal (keys[i], "⌫") ? _("Delete the last digit") : NULL;
      GtkWidget *button = key_button (self, keys[i], tooltip, G_CALLBACK (key_clicked_cb));

      gtk_widget_add_css_class (button, "station-keypad-key");
      gtk_grid_attach (self->keypad, button, i % 3, i / 3, 1, 1);
    }
}

static void
fest_recharge_page_dispose (GObject *object)
{
  FestRechargePage *self = FEST_RECHARGE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->context);
  g_clear_object (&self->checkout);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_RECHARGE_PAGE);
  G_OBJECT_CLASS (fest_recharge_page_parent_class)->dispose (object);
}

static void
fest_recharge_page_finalize (GObject *object)
{
  FestRechargePage *self = FEST_RECHARGE_PAGE (object);

  g_clear_object (&self->cancellable);
  g_free (self->credit_label);
  g_string_free (self->digits, TRUE);
  g_free (self->message);
  g_free (self->report_path);
  G_OBJECT_CLASS (fest_recharge_page_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_recharge_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  FestRechargePage *self = FEST_RECHARGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      g_value_set_object (value, self->context);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_recharge_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  FestRechargePage *self = FEST_RECHARGE_PAGE (object);

  switch (prop_id)
    {
    case PROP_CONTEXT:
      self->context = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_recharge_page_class_init (FestRechargePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_recharge_page_dispose;
  object_class->finalize = fest_recharge_page_finalize;
  object_class->get_property = fest_recharge_page_get_property;
  object_class->set_property = fest_recharge_page_set_property;

  /* What the page works with, from its station window. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-recharge-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, amount_label);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, conversion_label);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, presets);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, keypad);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, cash_button);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, card_button);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, comp_button);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, wallet_entry);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, credit_button);
  gtk_widget_class_bind_template_child (widget_class, FestRechargePage, message_label);
  gtk_widget_class_bind_template_callback (widget_class, credit_clicked_cb);
}

static void
fest_recharge_page_init (FestRechargePage *self)
{
  self->digits = g_string_new (NULL);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  /* The button's label, back once a credit is answered. */
  self->credit_label = g_strdup (gtk_button_get_label (self->credit_button));
  add_keys (self);
}

FestRechargePage *
fest_recharge_page_new (FestStationContext *context)
{
  FestRechargePage *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_RECHARGE_PAGE, "context", context, NULL);
  self->checkout = fest_checkout_new (fest_station_context_get_store (context),
                                     fest_station_context_get_engine (context));
  update_amount (self);
  return self;
}

GtkEditable *
fest_recharge_page_get_code_entry (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), NULL);
  return GTK_EDITABLE (self->wallet_entry);
}

void
fest_recharge_page_handle_scan (FestRechargePage *self,
                                const char       *code)
{
  g_return_if_fail (FEST_IS_RECHARGE_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), code);
  if (received_cents (self) > 0)
    credit (self, code);
  else
    {
      g_autofree char *balance = fest_station_context_format_money (
        self->context, fest_station_store_get_effective_balance (fest_station_context_get_store (self->context), code));
      g_autofree char *text = g_strdup_printf (_("Wallet balance: %s. Type the amount to credit."), balance);

      set_message (self, text, FALSE);
    }
}

void
fest_recharge_page_set_received (FestRechargePage *self,
                                 gint64            eur_cents)
{
  g_return_if_fail (FEST_IS_RECHARGE_PAGE (self));
  g_string_printf (self->digits, "%" G_GINT64_FORMAT, eur_cents / 100);
  update_amount (self);
}

const char *
fest_recharge_page_get_conversion (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), NULL);
  return gtk_label_get_text (self->conversion_label);
}

gint64
fest_recharge_page_get_amount (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), 0);
  return current_amount (self);
}

const char *
fest_recharge_page_get_message (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), NULL);
  return self->message;
}

gboolean
fest_recharge_page_get_crediting (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), FALSE);
  return self->crediting;
}

static void
save_report (FestRechargePage *self)
{
  g_autoptr(FestEndOfShift) report = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  report = fest_end_of_shift_save (fest_station_context_get_store (self->context), &error);
  if (report == NULL)
    {
      set_message (self, error->message, TRUE);
      return;
    }
  g_free (self->report_path);
  self->report_path = g_strdup (fest_end_of_shift_get_path (report));
  text = g_strdup_printf (_("End-of-shift report saved in %s. A new shift starts."), self->report_path);
  set_message (self, text, FALSE);
}

static void
cash_closed_cb (FestCashShiftDialog *dialog,
                gpointer             user_data)
{
  save_report (user_data);
}

void
fest_recharge_page_shift_report (FestRechargePage *self)
{
  FestCashShiftDialog *dialog;

  g_return_if_fail (FEST_IS_RECHARGE_PAGE (self));

  if (!fest_station_store_has_cash_shift (fest_station_context_get_store (self->context)))
    {
      save_report (self);
      return;
    }
  dialog = fest_cash_shift_dialog_new_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->context);
  g_signal_connect_object (dialog, "done", G_CALLBACK (cash_closed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

const char *
fest_recharge_page_get_report_path (FestRechargePage *self)
{
  g_return_val_if_fail (FEST_IS_RECHARGE_PAGE (self), NULL);
  return self->report_path;
}
