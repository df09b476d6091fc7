/* fest-cashier-page.c: the cashier station page: product grid, cart, charge a wallet
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payment policy (online first, the offline rules, "not confirmed, do not serve", cancelling
 * the last sale) is FestCheckout's (offline/fest-checkout.h); this page shows its results.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-cart-row.h"
#include "fest-cash-shift-dialog.h"
#include "fest-cashier-page.h"
#include "fest-checkout.h"
#include "fest-feedback.h"
#include "fest-product-grid.h"
#include "fest-end-of-shift.h"
#include "fest-station-context.h"
#include "fest-wedge.h"

typedef struct
{
  char   *product_id;
  char   *name;
  gint64  price;
  gint64  quantity;
} CartLine;

struct _FestCashierPage
{
  GtkBox             parent_instance;

  FestStationContext *context;
  FestCheckout      *checkout;
  GArray            *cart;           /* CartLine */
  char              *message;
  GCancellable      *cancellable;
  gboolean           charging;
  char              *cancel_key;      /* the cancel sent: its outcome is told once a sync has it */
  guint              cancel_expiry_id;

  FestProductGrid   *grid;
  GtkListBox        *cart_list;
  GtkLabel          *total_label;
  GtkLabel          *total_eur_label;
  GtkEntry          *wallet_entry;
  GtkButton         *charge_button;
  GtkLabel          *message_label;
  GtkButton         *cancel_button;
  GtkButton         *print_button;

  FestEndOfShift    *report;          /* the last report saved, for printing it */
};

G_DEFINE_FINAL_TYPE (FestCashierPage, fest_cashier_page, GTK_TYPE_BOX)

static void rebuild_cart (FestCashierPage *self);

static void
cart_line_clear (CartLine *line)
{
  g_free (line->product_id);
  g_free (line->name);
}

static gint64
cart_total (FestCashierPage *self)
{
  gint64 total = 0;

  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *line = &g_array_index (self->cart, CartLine, i);
      gint64 amount = 0;

      if (!fest_money_mul (line->price, line->quantity, &amount) ||
          !fest_money_add (total, amount, &total))
        return G_MAXINT64;
    }
  return total;
}

static void
set_message (FestCashierPage *self,
             const char      *text,
             gboolean         refused)
{
  g_free (self->message);
  self->message = g_strdup (text);
  gtk_label_set_text (self->message_label, text);
  if (refused)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "station-refused-text");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "station-ok-text");
      fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_REFUSE);
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "station-ok-text");
      gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "station-refused-text");
    }
}

/* A message that is neither a success nor a refusal (yet): waiting for the server. */
static void
set_message_pending (FestCashierPage *self,
                     const char      *text)
{
  g_free (self->message);
  self->message = g_strdup (text);
  gtk_label_set_text (self->message_label, text);
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "station-ok-text");
  gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "station-refused-text");
}

/* "Cancel Last Sale" is offered only for a sale the server would cancel: this station's last,
 * acknowledged (its id is known), not cancelled, within the window, no cancel under way. */
static gboolean
cancel_expired_cb (gpointer user_data)
{
  FestCashierPage *self = user_data;

  self->cancel_expiry_id = 0;
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), FALSE);
  return G_SOURCE_REMOVE;
}

static void
update_cancel_button (FestCashierPage *self)
{
  GTimeSpan left = 0;

  g_clear_handle_id (&self->cancel_expiry_id, g_source_remove);
  if (self->context == NULL || self->cancel_button == NULL)
    return;
  if (self->cancel_key == NULL)
    left = fest_checkout_get_cancel_time_left (self->checkout);
  gtk_widget_set_sensitive (GTK_WIDGET (self->cancel_button), left > 0);
  if (left > 0)
    self->cancel_expiry_id = g_timeout_add_seconds ((guint) (left / G_TIME_SPAN_SECOND) + 1, cancel_expired_cb, self);
}

static void
add_to_cart (FestCashierPage *self,
             const char      *product_id)
{
  g_autoptr(FestStationProduct) product = NULL;
  CartLine line = { 0 };

  /* A new cart: the last sale's "Paid" (or refusal) belongs to the customer who left. A cancel
   * under way keeps its message until the server answers. */
  if (self->cart->len == 0 && self->cancel_key == NULL && self->message != NULL)
    {
      set_message_pending (self, "");
      g_clear_pointer (&self->message, g_free);
    }

  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *existing = &g_array_index (self->cart, CartLine, i);

      if (g_str_equal (existing->product_id, product_id))
        {
          existing->quantity++;
          rebuild_cart (self);
          return;
        }
    }
  product = fest_station_store_get_product (fest_station_context_get_store (self->context), product_id);
  if (product == NULL)
    return;
  line.product_id = g_strdup (product->id);
  line.name = g_strdup (product->name);
  line.price = product->price;
  line.quantity = 1;
  g_array_append_val (self->cart, line);
  rebuild_cart (self);
}

static void
quantity_changed_cb (FestCartRow *row,
                     int          delta,
                     gpointer     user_data)
{
  FestCashierPage *self = user_data;
  const char *product_id = fest_cart_row_get_product_id (row);

  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *line = &g_array_index (self->cart, CartLine, i);

      if (!g_str_equal (line->product_id, product_id))
        continue;
      line->quantity += delta;
      if (line->quantity <= 0)
        g_array_remove_index (self->cart, i);
      break;
    }
  rebuild_cart (self);
}

static void
rebuild_cart (FestCashierPage *self)
{
  GtkWidget *child;
  gint64 total = cart_total (self);
  g_autofree char *total_text = NULL;
  g_autofree char *currency = fest_station_store_get_setting (fest_station_context_get_store (self->context),
                                                              FEST_STATION_KEY_CURRENCY_NAME);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->cart_list))) != NULL)
    gtk_list_box_remove (self->cart_list, child);

  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *line = &g_array_index (self->cart, CartLine, i);
      gint64 line_amount = 0;
      g_autofree char *line_text = NULL;
      GtkWidget *row;

      if (fest_money_mul (line->price, line->quantity, &line_amount))
        line_text = fest_money_format (line_amount, currency ? currency : _("Tokens"));
      else
        line_text = g_strdup ("—");
      row = fest_cart_row_new (line->product_id, line->name, line->quantity, line_text);
      g_signal_connect_object (row, "quantity-changed", G_CALLBACK (quantity_changed_cb), self, 0);
      gtk_list_box_append (self->cart_list, row);
    }

  total_text = fest_station_context_format_money (self->context, total);
  gtk_label_set_text (self->total_label, total_text);
  gtk_widget_set_sensitive (GTK_WIDGET (self->charge_button), self->cart->len > 0 && !self->charging);
  update_cancel_button (self);
}

static void
product_activated_cb (FestCashierPage *self,
                      const char      *product_id)
{
  add_to_cart (self, product_id);
}

/* Charging: FestCheckout (offline/fest-checkout.h) decides, online first, then the offline rules,
 * or "not confirmed, do not serve"; this page shows what it decided. */

static void
set_charging (FestCashierPage *self,
              gboolean         charging)
{
  self->charging = charging;
  if (charging)
    {
      GtkWidget *spinner = gtk_spinner_new ();

      gtk_spinner_start (GTK_SPINNER (spinner));
      gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Charging…"), -1);
      gtk_button_set_child (self->charge_button, spinner);
    }
  else
    gtk_button_set_label (self->charge_button, _("_Charge"));
  gtk_button_set_use_underline (self->charge_button, TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->charge_button), self->cart->len > 0 && !charging);
}

static GArray *
cart_sale_lines (FestCashierPage *self)
{
  GArray *lines = g_array_new (FALSE, FALSE, sizeof (FestSaleLine));

  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *line = &g_array_index (self->cart, CartLine, i);
      FestSaleLine sale = { line->product_id, line->quantity };

      g_array_append_val (lines, sale);
    }
  return lines;
}

static void
refuse_insufficient (FestCashierPage *self,
                     gint64           needed,
                     gint64           available)
{
  g_autofree char *needed_text = fest_station_context_format_money (self->context, needed);
  g_autofree char *has = fest_station_context_format_money (self->context, MAX (available, 0));
  g_autofree char *text = g_strdup_printf (_("Refused: not enough on this wallet.\nNeeded %s, available %s."),
                                           needed_text, has);

  set_message (self, text, TRUE);
}

static void
show_receipt (FestCashierPage          *self,
              const FestCheckoutResult *result)
{
  g_autoptr(GString) receipt = g_string_new (NULL);
  g_autofree char *total_text = fest_station_context_format_money (self->context, result->amount);
  g_autofree char *balance_text = fest_station_context_format_money (self->context, result->balance);

  g_string_append_printf (receipt, _("Paid %s"), total_text);
  g_string_append_c (receipt, '\n');
  for (guint i = 0; i < self->cart->len; i++)
    {
      CartLine *line = &g_array_index (self->cart, CartLine, i);

      g_string_append_printf (receipt, "%" G_GINT64_FORMAT " × %s\n", line->quantity, line->name);
    }
  g_string_append_printf (receipt, _("Balance left: %s"), balance_text);
  if (result->route == FEST_CHECKOUT_ROUTE_OFFLINE || result->route == FEST_CHECKOUT_ROUTE_NOT_SENT)
    g_string_append_printf (receipt, "\n%s", _("Offline: will be sent when the network is back"));
  else if (result->route == FEST_CHECKOUT_ROUTE_NO_ANSWER)
    g_string_append_printf (receipt, "\n%s", _("No answer from the server: will be sent when the network is back"));
  set_message (self, receipt->str, FALSE);
  fest_feedback_play (fest_feedback_get_default (), FEST_FEEDBACK_ACCEPT);

  g_array_set_size (self->cart, 0);
  gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), "");
  rebuild_cart (self);
  fest_station_context_operation_queued (self->context);
}

static void
show_refusal (FestCashierPage          *self,
              const FestCheckoutResult *result)
{
  g_autofree char *text = NULL;

  switch (result->refusal)
    {
    case FEST_CHECKOUT_REFUSAL_INSUFFICIENT_BALANCE:
      refuse_insufficient (self, result->needed, result->available);
      return;

    case FEST_CHECKOUT_REFUSAL_OUT_OF_STOCK:
      if (result->product_name != NULL && result->available > 0)
        {
          g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, result->available);

          /* TRANSLATORS: "Refused: only 2 Beer left" */
          text = g_strdup_printf (_("Refused: only %s %s left"), count, result->product_name);
        }
      else if (result->product_name != NULL)
        text = g_strdup_printf (_("Refused: %s is out of stock"), result->product_name);
      else
        text = g_strdup (_("Refused: a product of the cart is out of stock"));
      break;

    case FEST_CHECKOUT_REFUSAL_UNKNOWN_WALLET:
      text = g_strdup (_("Refused: unknown wallet"));
      break;

    case FEST_CHECKOUT_REFUSAL_FORBIDDEN:
      text = g_strdup (_("Refused: this station may not sell"));
      break;

    case FEST_CHECKOUT_REFUSAL_LOCAL:
      text = g_strdup_printf (_("Refused: %s"), result->error->message);
      break;

    case FEST_CHECKOUT_REFUSAL_SERVER:
    case FEST_CHECKOUT_REFUSAL_NONE:
    default:
      text = g_strdup_printf (_("Refused by the server: %s"), result->error != NULL ? result->error->message : "");
      break;
    }
  set_message (self, text, TRUE);
}

static void
show_charge_result (FestCashierPage          *self,
                    const FestCheckoutResult *result)
{
  set_charging (self, FALSE);
  switch (result->status)
    {
    case FEST_CHECKOUT_ACCEPTED:
      show_receipt (self, result);
      return;

    case FEST_CHECKOUT_REVOKED:
      set_message (self, _("Refused: this station was revoked by the organiser"), TRUE);
      break;

    case FEST_CHECKOUT_UNCONFIRMED:
      set_message (self, _("Not confirmed: the server did not answer and this wallet cannot be charged offline. "
                           "Do not serve. The station will check with the server; if the payment did go "
                           "through, it will show as a sale."), TRUE);
      rebuild_cart (self);
      fest_station_context_operation_queued (self->context);
      return;

    case FEST_CHECKOUT_REFUSED:
    case FEST_CHECKOUT_QUEUED:
    default:
      show_refusal (self, result);
      break;
    }
  rebuild_cart (self);
}

static void
charge_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(FestCashierPage) self = user_data;
  g_autoptr(FestCheckoutResult) result = NULL;

  result = fest_checkout_pay_finish (FEST_CHECKOUT (source), res, NULL);
  if (result == NULL || self->context == NULL)
    return;
  show_charge_result (self, result);
}

/* A wallet scanned with an empty cart: its balance, read off the GTK thread. */
static void
empty_cart_balance_cb (GObject      *source,
                       GAsyncResult *res,
                       gpointer      user_data)
{
  g_autoptr(FestCashierPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *balance = NULL;
  g_autofree char *message = NULL;
  gint64 amount;

  amount = fest_station_store_get_effective_balance_finish (FEST_STATION_STORE (source), res, &error);
  if (error != NULL || self->context == NULL)
    return;
  balance = fest_station_context_format_money (self->context, amount);
  message = g_strdup_printf (_("The cart is empty. Wallet balance: %s"), balance);
  set_message (self, message, FALSE);
}

static void
charge (FestCashierPage *self,
        const char      *text)
{
  g_autofree char *code = g_strstrip (g_strdup (text != NULL ? text : ""));
  g_autoptr(GArray) lines = NULL;
  const char *shift_message;

  if (self->charging)
    return;
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
  if (self->cart->len == 0)
    {
      fest_station_store_get_effective_balance_async (fest_station_context_get_store (self->context), code,
                                                      self->cancellable, empty_cart_balance_cb,
                                                      g_object_ref (self));
      return;
    }
  /* A balance check needs no till; a sale does. */
  shift_message = fest_cash_shift_dialog_require_open (GTK_WIDGET (self), self->context);
  if (shift_message != NULL)
    {
      set_message (self, shift_message, TRUE);
      return;
    }

  set_charging (self, TRUE);
  lines = cart_sale_lines (self);
  fest_checkout_pay_async (self->checkout, code, (FestSaleLine *) lines->data, lines->len, self->cancellable,
                           charge_cb, g_object_ref (self));
}

static void
charge_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestCashierPage *self = user_data;

  charge (self, gtk_editable_get_text (GTK_EDITABLE (self->wallet_entry)));
}

static void
clear_clicked_cb (GtkButton *button,
                  gpointer   user_data)
{
  FestCashierPage *self = user_data;

  g_array_set_size (self->cart, 0);
  set_message (self, "", FALSE);
  rebuild_cart (self);
}

/* The cancel goes through the outbox; it is shown as done only once the server took it. */
static void
cancel_last_clicked_cb (GtkButton *button,
                        gpointer   user_data)
{
  FestCashierPage *self = user_data;
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autofree char *text = NULL;

  if (self->cancel_key != NULL)
    return;
  result = fest_checkout_cancel_last (self->checkout);
  if (result->status != FEST_CHECKOUT_QUEUED)
    {
      text = g_strdup_printf (_("Cannot cancel: %s"), result->error->message);
      set_message (self, text, TRUE);
      update_cancel_button (self);
      return;
    }
  self->cancel_key = g_strdup (result->key);
  set_message_pending (self, result->route == FEST_CHECKOUT_ROUTE_ONLINE
                             ? _("Cancelling the last sale…")
                             : _("Cancel saved: it will be sent when the network is back"));
  update_cancel_button (self);
  fest_station_context_operation_queued (self->context);
}

/* After a sync: has the server taken or refused the cancel? */
static void
check_cancel (FestCashierPage *self)
{
  g_autoptr(FestCheckoutResult) result = NULL;
  g_autofree char *text = NULL;

  if (self->cancel_key == NULL)
    return;
  result = fest_checkout_get_cancel_outcome (self->checkout, self->cancel_key);
  if (result != NULL && result->status == FEST_CHECKOUT_QUEUED)
    return;
  if (result != NULL && result->status == FEST_CHECKOUT_ACCEPTED)
    {
      g_autofree char *amount = fest_station_context_format_money (self->context, result->amount);

      text = g_strdup_printf (_("Last sale cancelled: %s back on the wallet"), amount);
      set_message (self, text, FALSE);
    }
  else if (result != NULL)
    {
      /* The sale stands, and the wallet keeps its balance. */
      text = g_strdup_printf (_("Cancel refused by the server: %s. The sale stands."), result->error->message);
      set_message (self, text, TRUE);
    }
  g_clear_pointer (&self->cancel_key, g_free);
  update_cancel_button (self);
}

/* The end-of-shift report: a kiosk has no file chooser (nobody there should browse the disk), so
 * the PDF goes to a fixed folder under a dated name, the cashier is told where, and offered to
 * print what was saved (the shift restarts once it is saved). */

static void
print_report_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (widget);
  g_autoptr(GError) error = NULL;

  if (self->report == NULL || self->context == NULL)
    return;
  if (!fest_end_of_shift_print (self->report, GTK_WINDOW (gtk_widget_get_root (widget)), &error))
    set_message (self, error->message, TRUE);
}

static void
save_report (FestCashierPage *self)
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
  g_set_object (&self->report, report);
  text = g_strdup_printf (_("End-of-shift report saved in %s. A new shift starts."),
                          fest_end_of_shift_get_path (self->report));
  set_message (self, text, FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.print-report", TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->print_button), TRUE);
}

static void
cash_closed_cb (FestCashShiftDialog *dialog,
                gpointer             user_data)
{
  save_report (user_data);
}

/* With a cash shift open, the till is counted and the shift closed first; the report then has
 * the float, the count, the expected cash and the difference. */
static void
report_clicked_cb (GtkButton *button,
                   gpointer   user_data)
{
  FestCashierPage *self = user_data;
  FestCashShiftDialog *dialog;

  if (!fest_station_store_has_cash_shift (fest_station_context_get_store (self->context)))
    {
      save_report (self);
      return;
    }
  dialog = fest_cash_shift_dialog_new_close (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), self->context);
  g_signal_connect_object (dialog, "done", G_CALLBACK (cash_closed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
wallet_activate_cb (GtkEntry *entry,
                    gpointer  user_data)
{
  charge_clicked_cb (NULL, user_data);
}

/* GObject */

static void
fest_cashier_page_dispose (GObject *object)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->cancel_expiry_id, g_source_remove);
  g_clear_object (&self->context);
  g_clear_object (&self->checkout);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_CASHIER_PAGE);
  G_OBJECT_CLASS (fest_cashier_page_parent_class)->dispose (object);
}

static void
fest_cashier_page_finalize (GObject *object)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (object);

  g_array_unref (self->cart);
  g_clear_object (&self->cancellable);
  g_free (self->message);
  g_free (self->cancel_key);
  g_clear_object (&self->report);
  G_OBJECT_CLASS (fest_cashier_page_parent_class)->finalize (object);
}

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_cashier_page_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (object);

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
fest_cashier_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (object);

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
fest_cashier_page_constructed (GObject *object)
{
  FestCashierPage *self = FEST_CASHIER_PAGE (object);

  G_OBJECT_CLASS (fest_cashier_page_parent_class)->constructed (object);

  /* Left: categories and products (they need the context); right: the cart (template). */
  self->grid = FEST_PRODUCT_GRID (fest_product_grid_new (self->context));
  g_signal_connect_object (self->grid, "product-activated", G_CALLBACK (product_activated_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_prepend (GTK_BOX (self), GTK_WIDGET (self->grid));
}

static void
fest_cashier_page_class_init (FestCashierPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = fest_cashier_page_constructed;
  object_class->dispose = fest_cashier_page_dispose;
  object_class->finalize = fest_cashier_page_finalize;
  object_class->get_property = fest_cashier_page_get_property;
  object_class->set_property = fest_cashier_page_set_property;

  /* What the page works with, from its station window. */
  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-cashier-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, cart_list);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, wallet_entry);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, charge_button);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, message_label);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, FestCashierPage, print_button);
  gtk_widget_class_bind_template_callback (widget_class, wallet_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, charge_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, clear_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, cancel_last_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, report_clicked_cb);

  gtk_widget_class_install_action (widget_class, "cashier.print-report", NULL, print_report_action);
}

static void
fest_cashier_page_init (FestCashierPage *self)
{
  self->cart = g_array_new (FALSE, TRUE, sizeof (CartLine));
  g_array_set_clear_func (self->cart, (GDestroyNotify) cart_line_clear);
  self->cancellable = g_cancellable_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "cashier.print-report", FALSE);
}

/* Public API */

FestCashierPage *
fest_cashier_page_new (FestStationContext *context)
{
  FestCashierPage *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_CASHIER_PAGE, "context", context, NULL);
  self->checkout = fest_checkout_new (fest_station_context_get_store (context),
                                     fest_station_context_get_engine (context));
  fest_cashier_page_reload (self);
  rebuild_cart (self);
  return self;
}

void
fest_cashier_page_reload (FestCashierPage *self)
{
  g_return_if_fail (FEST_IS_CASHIER_PAGE (self));
  if (self->context == NULL)
    return;
  check_cancel (self);
  update_cancel_button (self);
  fest_product_grid_reload (self->grid);
}

void
fest_cashier_page_handle_scan (FestCashierPage *self,
                               const char      *code)
{
  g_return_if_fail (FEST_IS_CASHIER_PAGE (self));

  gtk_editable_set_text (GTK_EDITABLE (self->wallet_entry), code);
  charge (self, code);
}

GtkEditable *
fest_cashier_page_get_code_entry (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), NULL);
  return GTK_EDITABLE (self->wallet_entry);
}

gboolean
fest_cashier_page_is_product (FestCashierPage *self,
                              GtkWidget       *widget)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), FALSE);
  return fest_product_grid_contains (self->grid, widget);
}

void
fest_cashier_page_add_product (FestCashierPage *self,
                               const char      *product_id)
{
  g_return_if_fail (FEST_IS_CASHIER_PAGE (self));
  add_to_cart (self, product_id);
}

gint64
fest_cashier_page_get_total (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), 0);
  return cart_total (self);
}

guint
fest_cashier_page_get_n_items (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), 0);
  return self->cart->len;
}

const char *
fest_cashier_page_get_message (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), NULL);
  return self->message;
}

gboolean
fest_cashier_page_get_charging (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), FALSE);
  return self->charging;
}

gboolean
fest_cashier_page_get_can_cancel (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), FALSE);
  return gtk_widget_get_sensitive (GTK_WIDGET (self->cancel_button));
}

void
fest_cashier_page_cancel_last (FestCashierPage *self)
{
  g_return_if_fail (FEST_IS_CASHIER_PAGE (self));
  cancel_last_clicked_cb (NULL, self);
}

const char *
fest_cashier_page_get_report_path (FestCashierPage *self)
{
  g_return_val_if_fail (FEST_IS_CASHIER_PAGE (self), NULL);
  return self->report != NULL ? fest_end_of_shift_get_path (self->report) : NULL;
}

void
fest_cashier_page_shift_report (FestCashierPage *self)
{
  g_return_if_fail (FEST_IS_CASHIER_PAGE (self));
  report_clicked_cb (NULL, self);
}
