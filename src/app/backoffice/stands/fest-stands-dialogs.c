/* fest-stands-dialogs.c: the New/Edit Stand and New/Edit Product dialogs of the Stands page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <locale.h>

#include "fest-location-picker.h"
#include "fest-money.h"
#include "fest-page-util.h"
#include "fest-stands-dialogs.h"

/* In the order of the type combo; the API's names. */
static const char * const stand_types[] = { "BAR", "FOOD", "MERCH", "RECHARGE", NULL };
/* Basis points, in the order of the VAT combo. */
static const guint vat_rates_bp[] = { 2000, 1000, 550, 210, 0 };

typedef struct
{
  char               *stand_id;     /* editing a stand: its id */
  FestStand          *stand;        /* editing: the stand */
  FestLocationPicker *picker;       /* stand dialog: its place (owned by the dialog) */
  GPtrArray          *stand_ids;    /* product dialog: ids in the stand combo's order */
} DialogData;

static void
dialog_data_free (DialogData *data)
{
  g_free (data->stand_id);
  g_clear_object (&data->stand);
  g_clear_pointer (&data->stand_ids, g_ptr_array_unref);
  g_free (data);
}

static JsonNode *
build_stand_body (FestFormDialog *dialog,
                  gpointer        user_data)
{
  DialogData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const char *name = fest_form_dialog_get_text (dialog, "name");
  g_autofree char *name_copy = g_strdup (name);
  guint type = fest_form_dialog_get_selected (dialog, "type");

  if (*name_copy == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Give the stand a name."));
      return NULL;
    }
  if (g_utf8_strlen (name_copy, -1) > 200)
    {
      fest_form_dialog_set_error (dialog, "name", _("The name is too long."));
      return NULL;
    }
  if (type >= G_N_ELEMENTS (stand_types) - 1)
    {
      fest_form_dialog_set_error (dialog, "type", _("Choose the kind of stand."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name_copy);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, stand_types[type]);

  /* A new stand given only a zone sits at the festival's location until placed on the map. */
  if (!fest_location_picker_build (data->picker, builder, data->stand == NULL))
    return NULL;

  json_builder_set_member_name (builder, "is_active");
  json_builder_add_boolean_value (builder, fest_form_dialog_get_active (dialog, "is_active"));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

FestFormDialog *
fest_stand_dialog_new (GtkWidget  *parent,
                       FestClient *client,
                       FestStand  *stand,
                       JsonObject *festival)
{
  FestFormDialog *dialog;
  DialogData *data;
  const char * const type_labels[] = {
    _("Bar"), _("Food"), _("Merchandise"), _("Recharge desk"), NULL
  };
  guint type = 0;
  g_autofree char *path = NULL;
  g_autoptr(JsonObject) location = NULL;
  FestLocationPicker *picker;

  for (guint i = 0; stand != NULL && stand_types[i] != NULL; i++)
    if (g_strcmp0 (stand_types[i], fest_stand_get_stand_type (stand)) == 0)
      type = i;

  dialog = fest_form_dialog_new (parent,
                                 stand != NULL ? _("Edit Stand") : _("New Stand"),
                                 stand != NULL ? _("_Save") : _("_Add"));
  fest_form_dialog_add_entry (dialog, "name", _("Name"),
                              stand != NULL ? fest_stand_get_name (stand) : NULL);
  fest_form_dialog_add_combo (dialog, "type", _("Kind"), type_labels, type);
  if (stand != NULL && fest_stand_get_has_location (stand))
    {
      location = json_object_new ();
      json_object_set_double_member (location, "lat", fest_stand_get_lat (stand));
      json_object_set_double_member (location, "lng", fest_stand_get_lng (stand));
      if (fest_stand_get_zone (stand) != NULL)
        json_object_set_string_member (location, "zone", fest_stand_get_zone (stand));
    }
  picker = fest_location_picker_add (dialog, client, festival, location);
  fest_form_dialog_add_check (dialog, "is_active", _("Open"),
                              _("Closed stands are hidden from the stations"),
                              stand != NULL ? fest_stand_get_is_active (stand) : TRUE);

  data = g_new0 (DialogData, 1);
  data->picker = picker;
  if (stand != NULL)
    {
      data->stand = g_object_ref (stand);
      data->stand_id = g_strdup (fest_stand_get_id (stand));
      path = g_strdup_printf ("/stands/%s", data->stand_id);
    }

  fest_form_dialog_set_request (dialog, client, stand != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/stands", build_stand_body, data,
                                (GDestroyNotify) dialog_data_free);
  g_object_set_data (G_OBJECT (dialog), "fest-is-stand", GINT_TO_POINTER (1));
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (stand != NULL ? _("Stand saved") : _("Stand added")), g_free);

  return dialog;
}

/* "12.50" with the locale's decimal mark, for an entry that fest_money_parse reads back. */
static char *
format_amount_input (gint64 amount)
{
  const char *point = localeconv ()->decimal_point;
  gint64 units = amount / 100;
  int cents = (int) (amount % 100);

  if (cents == 0)
    return g_strdup_printf ("%" G_GINT64_FORMAT, units);

  return g_strdup_printf ("%" G_GINT64_FORMAT "%s%02d", units,
                          point != NULL && *point != '\0' ? point : ".", cents);
}

static JsonNode *
build_product_body (FestFormDialog *dialog,
                    gpointer        user_data)
{
  DialogData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));
  g_autofree char *category = g_strdup (fest_form_dialog_get_text (dialog, "category"));
  g_autofree char *price_text = g_strdup (fest_form_dialog_get_text (dialog, "price"));
  g_autofree char *stock_text = g_strdup (fest_form_dialog_get_text (dialog, "stock"));
  guint stand = fest_form_dialog_get_selected (dialog, "stand_id");
  guint vat = fest_form_dialog_get_selected (dialog, "vat_rate");
  gint64 price = 0;
  gint64 stock = -1;

  if (stand >= data->stand_ids->len)
    {
      fest_form_dialog_set_error (dialog, "stand_id", _("Choose the stand that sells it."));
      return NULL;
    }
  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Give the product a name."));
      return NULL;
    }
  if (g_utf8_strlen (name, -1) > 200)
    {
      fest_form_dialog_set_error (dialog, "name", _("The name is too long."));
      return NULL;
    }
  if (!fest_money_parse (price_text, &price) || price < 0 || price > FEST_MONEY_MAX_AMOUNT)
    {
      fest_form_dialog_set_error (dialog, "price",
                                  _("The price must be a positive amount such as 4.50."));
      return NULL;
    }
  if (vat >= G_N_ELEMENTS (vat_rates_bp))
    {
      fest_form_dialog_set_error (dialog, "vat_rate", _("Choose a VAT rate."));
      return NULL;
    }
  if (*stock_text != '\0')
    {
      char *end = NULL;
      guint64 value;

      errno = 0;
      value = g_ascii_strtoull (stock_text, &end, 10);
      if (errno != 0 || end == stock_text || *end != '\0' || !g_ascii_isdigit (*stock_text)
          || value > G_MAXINT32)
        {
          fest_form_dialog_set_error (dialog, "stock",
                                      _("The stock must be a whole number, or empty for unlimited."));
          return NULL;
        }
      stock = (gint64) value;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stand_id");
  json_builder_add_string_value (builder, g_ptr_array_index (data->stand_ids, stand));
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "price");
  json_builder_add_int_value (builder, price);
  json_builder_set_member_name (builder, "vat_rate");
  json_builder_add_double_value (builder, fest_vat_rate_to_percent (vat_rates_bp[vat]));
  json_builder_set_member_name (builder, "category");
  if (*category != '\0')
    json_builder_add_string_value (builder, category);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "stock");
  if (stock >= 0)
    json_builder_add_int_value (builder, stock);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "is_active");
  json_builder_add_boolean_value (builder, fest_form_dialog_get_active (dialog, "is_active"));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

FestFormDialog *
fest_product_dialog_new (GtkWidget   *parent,
                         FestClient  *client,
                         FestProduct *product,
                         GListModel  *stands,
                         const char  *stand_id,
                         const char  *currency)
{
  FestFormDialog *dialog;
  DialogData *data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  const char * const vat_labels[] = { _("20 %"), _("10 %"), _("5.5 %"), _("2.1 %"), _("0 %"), NULL };
  guint n_stands = g_list_model_get_n_items (stands);
  guint stand_index = 0;
  guint vat_index = 0;
  g_autofree char *price = NULL;
  g_autofree char *stock = NULL;
  g_autofree char *path = NULL;
  g_autofree char *description = NULL;

  if (product != NULL)
    stand_id = fest_product_get_stand_id (product);

  data = g_new0 (DialogData, 1);
  data->stand_ids = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n_stands; i++)
    {
      g_autoptr(FestStand) stand = g_list_model_get_item (stands, i);

      if (g_strcmp0 (fest_stand_get_id (stand), stand_id) == 0)
        stand_index = i;
      g_ptr_array_add (data->stand_ids, g_strdup (fest_stand_get_id (stand)));
      /* The label strings live as long as the stands store: the combo copies them. */
      g_ptr_array_add (labels, (gpointer) fest_stand_get_name (stand));
    }
  g_ptr_array_add (labels, NULL);

  if (product != NULL)
    {
      guint bp = 0;

      if (fest_vat_rate_from_percent (fest_product_get_vat_rate (product), &bp))
        for (guint i = 0; i < G_N_ELEMENTS (vat_rates_bp); i++)
          if (vat_rates_bp[i] == bp)
            vat_index = i;
      price = format_amount_input (fest_product_get_price (product));
      if (fest_product_get_stock (product) >= 0)
        stock = g_strdup_printf ("%" G_GINT64_FORMAT, fest_product_get_stock (product));
      path = g_strdup_printf ("/products/%s", fest_product_get_id (product));
    }

  dialog = fest_form_dialog_new (parent,
                                 product != NULL ? _("Edit Product") : _("New Product"),
                                 product != NULL ? _("_Save") : _("_Add"));
  if (currency != NULL && *currency != '\0')
    {
      description = g_strdup_printf (_("Prices are in %s and include VAT."), currency);
      fest_form_dialog_set_description (dialog, description);
    }
  fest_form_dialog_add_combo (dialog, "stand_id", _("Stand"),
                              (const char * const *) labels->pdata, stand_index);
  fest_form_dialog_add_entry (dialog, "name", _("Name"),
                              product != NULL ? fest_product_get_name (product) : NULL);
  fest_form_dialog_add_entry (dialog, "category", _("Category (optional)"),
                              product != NULL ? fest_product_get_category (product) : NULL);
  fest_form_dialog_add_entry (dialog, "price", _("Price"), price);
  fest_form_dialog_add_combo (dialog, "vat_rate", _("VAT rate"), vat_labels, vat_index);
  fest_form_dialog_add_entry (dialog, "stock", _("Stock (empty for unlimited)"), stock);
  fest_form_dialog_add_check (dialog, "is_active", _("On sale"), NULL,
                              product != NULL ? fest_product_get_is_active (product) : TRUE);

  fest_form_dialog_set_request (dialog, client, product != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/products", build_product_body, data,
                                (GDestroyNotify) dialog_data_free);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (product != NULL ? _("Product saved") : _("Product added")),
                          g_free);

  return dialog;
}
