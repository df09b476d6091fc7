/* fest-finance-row.c: one row of a sales report (a stand, product, hour or VAT rate)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-finance-row.h"
#include "fest-page-util.h"

struct _FestFinanceRow
{
  GObject  parent_instance;

  char    *label;
  gint64   quantity;
  gint64   amount;
  gint64   vat_amount;
  gint64   amount_eur_cents;
};

G_DEFINE_FINAL_TYPE (FestFinanceRow, fest_finance_row, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_LABEL,
  PROP_QUANTITY,
  PROP_AMOUNT,
  PROP_VAT_AMOUNT,
  PROP_AMOUNT_EUR_CENTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
fest_finance_row_finalize (GObject *object)
{
  g_free (FEST_FINANCE_ROW (object)->label);
  G_OBJECT_CLASS (fest_finance_row_parent_class)->finalize (object);
}

static void
fest_finance_row_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  FestFinanceRow *self = FEST_FINANCE_ROW (object);

  switch (prop_id)
    {
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_QUANTITY:
      g_value_set_int64 (value, self->quantity);
      break;
    case PROP_AMOUNT:
      g_value_set_int64 (value, self->amount);
      break;
    case PROP_VAT_AMOUNT:
      g_value_set_int64 (value, self->vat_amount);
      break;
    case PROP_AMOUNT_EUR_CENTS:
      g_value_set_int64 (value, self->amount_eur_cents);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_finance_row_class_init (FestFinanceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = fest_finance_row_finalize;
  object_class->get_property = fest_finance_row_get_property;

  properties[PROP_LABEL] = g_param_spec_string ("label", NULL, NULL, NULL, flags);
  properties[PROP_QUANTITY] = g_param_spec_int64 ("quantity", NULL, NULL, G_MININT64, G_MAXINT64,
                                                  0, flags);
  properties[PROP_AMOUNT] = g_param_spec_int64 ("amount", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                                                flags);
  properties[PROP_VAT_AMOUNT] = g_param_spec_int64 ("vat-amount", NULL, NULL, G_MININT64,
                                                    G_MAXINT64, 0, flags);
  properties[PROP_AMOUNT_EUR_CENTS] = g_param_spec_int64 ("amount-eur-cents", NULL, NULL,
                                                          G_MININT64, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fest_finance_row_init (FestFinanceRow *self)
{
}

FestFinanceRow *
fest_finance_row_new_from_json (JsonObject *object)
{
  FestFinanceRow *self = g_object_new (FEST_TYPE_FINANCE_ROW, NULL);
  const char *label = fest_page_json_string (object, "label");

  if (label == NULL || label[0] == '\0')
    label = fest_page_json_string (object, "key");
  self->label = g_strdup (label != NULL ? label : "");
  self->quantity = fest_page_json_int (object, "quantity", 0);
  self->amount = fest_page_json_int (object, "amount", 0);
  self->vat_amount = fest_page_json_int (object, "vat_amount", 0);
  self->amount_eur_cents = fest_page_json_int (object, "amount_eur_cents", 0);
  return self;
}

const char *
fest_finance_row_get_label (FestFinanceRow *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_ROW (self), NULL);
  return self->label;
}

gint64
fest_finance_row_get_amount (FestFinanceRow *self)
{
  g_return_val_if_fail (FEST_IS_FINANCE_ROW (self), 0);
  return self->amount;
}
