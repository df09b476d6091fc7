/* fest-cart-row.c: one line of the cashier's cart (product, quantity, line total)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The line's own total is shown, so the cashier can check "2 × Beer" against the price list; its
 * − and + buttons say "quantity-changed" (the cashier page owns the cart).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-cart-row.h"

struct _FestCartRow
{
  GtkBox     parent_instance;

  char      *product_id;

  GtkLabel  *name_label;
  GtkButton *minus_button;
  GtkLabel  *quantity_label;
  GtkButton *plus_button;
  GtkLabel  *total_label;
};

G_DEFINE_FINAL_TYPE (FestCartRow, fest_cart_row, GTK_TYPE_BOX)

enum {
  QUANTITY_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
minus_clicked_cb (FestCartRow *self)
{
  g_signal_emit (self, signals[QUANTITY_CHANGED], 0, -1);
}

static void
plus_clicked_cb (FestCartRow *self)
{
  g_signal_emit (self, signals[QUANTITY_CHANGED], 0, +1);
}

static void
fest_cart_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_CART_ROW);
  G_OBJECT_CLASS (fest_cart_row_parent_class)->dispose (object);
}

static void
fest_cart_row_finalize (GObject *object)
{
  g_free (FEST_CART_ROW (object)->product_id);
  G_OBJECT_CLASS (fest_cart_row_parent_class)->finalize (object);
}

static void
fest_cart_row_class_init (FestCartRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_cart_row_dispose;
  object_class->finalize = fest_cart_row_finalize;

  /* One more (+1) or one less (-1) of the line's product. */
  signals[QUANTITY_CHANGED] =
    g_signal_new ("quantity-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-cart-row.ui");
  gtk_widget_class_bind_template_child (widget_class, FestCartRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, FestCartRow, minus_button);
  gtk_widget_class_bind_template_child (widget_class, FestCartRow, quantity_label);
  gtk_widget_class_bind_template_child (widget_class, FestCartRow, plus_button);
  gtk_widget_class_bind_template_child (widget_class, FestCartRow, total_label);
  gtk_widget_class_bind_template_callback (widget_class, minus_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, plus_clicked_cb);
}

static void
fest_cart_row_init (FestCartRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fest_cart_row_new (const char *product_id,
                   const char *name,
                   gint64      quantity,
                   const char *line_total)
{
  FestCartRow *self = g_object_new (FEST_TYPE_CART_ROW, NULL);
  g_autofree char *quantity_text = g_strdup_printf ("× %" G_GINT64_FORMAT, quantity);
  g_autofree char *minus_tip = g_strdup_printf (_("One %s less"), name);
  g_autofree char *plus_tip = g_strdup_printf (_("One more %s"), name);
  g_autofree char *total_name = g_strdup_printf (_("%s: %s"), name, line_total);

  self->product_id = g_strdup (product_id);
  gtk_label_set_text (self->name_label, name);
  gtk_label_set_text (self->quantity_label, quantity_text);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->minus_button), minus_tip);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->plus_button), plus_tip);
  gtk_label_set_text (self->total_label, line_total);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->total_label), GTK_ACCESSIBLE_PROPERTY_LABEL, total_name, -1);
  return GTK_WIDGET (self);
}

const char *
fest_cart_row_get_product_id (FestCartRow *self)
{
  g_return_val_if_fail (FEST_IS_CART_ROW (self), NULL);
  return self->product_id;
}
