/* fest-product-grid.c: the cashier's product tiles, filtered by category
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One tile per product of the station's stand, with its price and what is left in stock; a tap
 * says "product-activated" (the cashier page adds it to the cart). A product out of stock cannot
 * be tapped online: the server would refuse it; offline the sale is a fact and gets flagged.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-product-grid.h"

struct _FestProductGrid
{
  GtkBox              parent_instance;

  FestStationContext *context;
  char               *category;   /* filter, NULL = all */

  GtkBox             *categories;
  GtkFlowBox         *products;
};

G_DEFINE_FINAL_TYPE (FestProductGrid, fest_product_grid, GTK_TYPE_BOX)

enum {
  PROP_0,
  PROP_CONTEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  PRODUCT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
product_clicked_cb (GtkButton *button,
                    gpointer   user_data)
{
  FestProductGrid *self = user_data;

  g_signal_emit (self, signals[PRODUCT_ACTIVATED], 0, g_object_get_data (G_OBJECT (button), "product-id"));
}

static void
category_toggled_cb (GtkToggleButton *button,
                     gpointer         user_data)
{
  FestProductGrid *self = user_data;

  if (!gtk_toggle_button_get_active (button))
    return;
  g_free (self->category);
  self->category = g_strdup (g_object_get_data (G_OBJECT (button), "category"));
  fest_product_grid_reload (self);
}

static void
rebuild_categories (FestProductGrid *self,
                    GPtrArray       *products)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  GtkWidget *child, *all;
  GtkToggleButton *group;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->categories))) != NULL)
    gtk_box_remove (self->categories, child);

  for (guint i = 0; i < products->len; i++)
    {
      FestStationProduct *product = g_ptr_array_index (products, i);

      if (product->category != NULL && *product->category != '\0' &&
          !g_ptr_array_find_with_equal_func (names, product->category, g_str_equal, NULL))
        g_ptr_array_add (names, product->category);
    }

  all = gtk_toggle_button_new_with_label (_("All"));
  gtk_widget_add_css_class (all, "station-touch");
  group = GTK_TOGGLE_BUTTON (all);
  gtk_toggle_button_set_active (group, self->category == NULL);
  g_signal_connect_object (all, "toggled", G_CALLBACK (category_toggled_cb), self, 0);
  gtk_box_append (self->categories, all);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GtkWidget *button = gtk_toggle_button_new_with_label (name);

      gtk_widget_add_css_class (button, "station-touch");
      gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), group);
      g_object_set_data_full (G_OBJECT (button), "category", g_strdup (name), g_free);
      gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), g_strcmp0 (self->category, name) == 0);
      g_signal_connect_object (button, "toggled", G_CALLBACK (category_toggled_cb), self, 0);
      gtk_box_append (self->categories, button);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->categories), names->len > 0);
}

static GtkWidget *
product_tile (FestProductGrid    *self,
              FestStationProduct *product,
              const char         *currency,
              gboolean            online)
{
  GtkWidget *button, *box, *name, *price;
  g_autofree char *price_text = fest_money_format (product->price, currency ? currency : _("Tokens"));

  button = gtk_button_new ();
  gtk_widget_add_css_class (button, "station-product");
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  name = gtk_label_new (product->name);
  gtk_label_set_wrap (GTK_LABEL (name), TRUE);
  gtk_label_set_justify (GTK_LABEL (name), GTK_JUSTIFY_CENTER);
  gtk_widget_add_css_class (name, "station-product-name");
  price = gtk_label_new (price_text);
  gtk_widget_add_css_class (price, "dim-label");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), price);
  if (product->has_stock)
    {
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, product->stock);
      g_autofree char *stock_text = product->stock > 0
        ? g_strdup_printf (_("%s left"), count)
        : g_strdup (_("Out of stock"));
      GtkWidget *stock = gtk_label_new (stock_text);

      gtk_widget_add_css_class (stock, "caption");
      gtk_box_append (GTK_BOX (box), stock);
      /* Online the server refuses it anyway; offline the sale is a fact and gets flagged. */
      if (product->stock <= 0 && online)
        gtk_widget_set_sensitive (button, FALSE);
    }
  gtk_button_set_child (GTK_BUTTON (button), box);
  gtk_widget_set_tooltip_text (button, product->name);
  {
    /* A screen reader says what the tile sells and for how much (a button with a box inside has
     * no name of its own).
     * Translators: a product tile read aloud: the product's name, then its price. */
    g_autofree char *label = g_strdup_printf (_("%s, %s"), product->name, price_text);

    gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  }
  g_object_set_data_full (G_OBJECT (button), "product-id", g_strdup (product->id), g_free);
  g_signal_connect_object (button, "clicked", G_CALLBACK (product_clicked_cb), self, 0);
  return button;
}

static void
fest_product_grid_finalize (GObject *object)
{
  FestProductGrid *self = FEST_PRODUCT_GRID (object);

  g_clear_object (&self->context);
  g_free (self->category);
  G_OBJECT_CLASS (fest_product_grid_parent_class)->finalize (object);
}

static void
fest_product_grid_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_PRODUCT_GRID);
  G_OBJECT_CLASS (fest_product_grid_parent_class)->dispose (object);
}

static void
fest_product_grid_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  FestProductGrid *self = FEST_PRODUCT_GRID (object);

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
fest_product_grid_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  FestProductGrid *self = FEST_PRODUCT_GRID (object);

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
fest_product_grid_class_init (FestProductGridClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_product_grid_dispose;
  object_class->finalize = fest_product_grid_finalize;
  object_class->get_property = fest_product_grid_get_property;
  object_class->set_property = fest_product_grid_set_property;

  properties[PROP_CONTEXT] =
    g_param_spec_object ("context", NULL, NULL, FEST_TYPE_STATION_CONTEXT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A product tile was tapped: its product id. */
  signals[PRODUCT_ACTIVATED] =
    g_signal_new ("product-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/station/fest-product-grid.ui");
  gtk_widget_class_bind_template_child (widget_class, FestProductGrid, categories);
  gtk_widget_class_bind_template_child (widget_class, FestProductGrid, products);
}

static void
fest_product_grid_init (FestProductGrid *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fest_product_grid_new (FestStationContext *context)
{
  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  return g_object_new (FEST_TYPE_PRODUCT_GRID, "context", context, NULL);
}

void
fest_product_grid_reload (FestProductGrid *self)
{
  FestStationStore *store;
  g_autoptr(GPtrArray) products = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *currency = NULL;
  GtkWidget *child;
  gboolean online;

  g_return_if_fail (FEST_IS_PRODUCT_GRID (self));

  store = fest_station_context_get_store (self->context);
  stand_id = fest_station_store_get_setting (store, FEST_STATION_KEY_STAND_ID);
  products = fest_station_store_list_products (store, stand_id);
  currency = fest_station_store_get_setting (store, FEST_STATION_KEY_CURRENCY_NAME);
  online = fest_station_context_is_online (self->context);
  rebuild_categories (self, products);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->products))) != NULL)
    gtk_flow_box_remove (self->products, child);
  for (guint i = 0; i < products->len; i++)
    {
      FestStationProduct *product = g_ptr_array_index (products, i);

      if (self->category != NULL && g_strcmp0 (product->category, self->category) != 0)
        continue;
      gtk_flow_box_append (self->products, product_tile (self, product, currency, online));
    }
}

gboolean
fest_product_grid_contains (FestProductGrid *self,
                            GtkWidget       *widget)
{
  g_return_val_if_fail (FEST_IS_PRODUCT_GRID (self), FALSE);
  return widget != NULL && gtk_widget_is_ancestor (widget, GTK_WIDGET (self->products));
}
