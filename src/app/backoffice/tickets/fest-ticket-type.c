/* fest-ticket-type.c: a ticket type (day pass, weekend pass…), as the Tickets page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-money.h"
#include "fest-page-util.h"
#include "fest-ticket-type.h"

struct _FestTicketType
{
  GObject parent_instance;

  char *id;
  char *name;
  char *code;
  gint64 price;
  gint64 quota;
  gint64 issued;
  char *valid_from;
  char *valid_until;
  gboolean reentry_allowed;
  char *reentry_text;
  char *price_text;
  char *quota_text;
  char *validity_text;
};

G_DEFINE_FINAL_TYPE (FestTicketType, fest_ticket_type, G_TYPE_OBJECT)

enum {
  TICKET_TYPE_PROP_0,
  TICKET_TYPE_PROP_ID,
  TICKET_TYPE_PROP_NAME,
  TICKET_TYPE_PROP_CODE,
  TICKET_TYPE_PROP_PRICE,
  TICKET_TYPE_PROP_QUOTA,
  TICKET_TYPE_PROP_ISSUED,
  TICKET_TYPE_PROP_VALID_FROM,
  TICKET_TYPE_PROP_VALID_UNTIL,
  TICKET_TYPE_PROP_REENTRY_ALLOWED,
  TICKET_TYPE_PROP_REENTRY_TEXT,
  TICKET_TYPE_PROP_PRICE_TEXT,
  TICKET_TYPE_PROP_QUOTA_TEXT,
  TICKET_TYPE_PROP_VALIDITY_TEXT,
  N_TICKET_TYPE_PROPS
};

static GParamSpec *ticket_type_properties[N_TICKET_TYPE_PROPS];

static void
fest_ticket_type_finalize (GObject *object)
{
  FestTicketType *self = FEST_TICKET_TYPE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->code);
  g_free (self->valid_from);
  g_free (self->valid_until);
  g_free (self->reentry_text);
  g_free (self->price_text);
  g_free (self->quota_text);
  g_free (self->validity_text);

  G_OBJECT_CLASS (fest_ticket_type_parent_class)->finalize (object);
}

static void
fest_ticket_type_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FestTicketType *self = FEST_TICKET_TYPE (object);

  switch (prop_id)
    {
    case TICKET_TYPE_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case TICKET_TYPE_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case TICKET_TYPE_PROP_CODE:
      g_value_set_string (value, self->code);
      break;
    case TICKET_TYPE_PROP_PRICE:
      g_value_set_int64 (value, self->price);
      break;
    case TICKET_TYPE_PROP_QUOTA:
      g_value_set_int64 (value, self->quota);
      break;
    case TICKET_TYPE_PROP_ISSUED:
      g_value_set_int64 (value, self->issued);
      break;
    case TICKET_TYPE_PROP_VALID_FROM:
      g_value_set_string (value, self->valid_from);
      break;
    case TICKET_TYPE_PROP_VALID_UNTIL:
      g_value_set_string (value, self->valid_until);
      break;
    case TICKET_TYPE_PROP_REENTRY_ALLOWED:
      g_value_set_boolean (value, self->reentry_allowed);
      break;
    case TICKET_TYPE_PROP_REENTRY_TEXT:
      g_value_set_string (value, self->reentry_text);
      break;
    case TICKET_TYPE_PROP_PRICE_TEXT:
      g_value_set_string (value, self->price_text);
      break;
    case TICKET_TYPE_PROP_QUOTA_TEXT:
      g_value_set_string (value, self->quota_text);
      break;
    case TICKET_TYPE_PROP_VALIDITY_TEXT:
      g_value_set_string (value, self->validity_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_type_class_init (FestTicketTypeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_ticket_type_finalize;
  object_class->get_property = fest_ticket_type_get_property;

  ticket_type_properties[TICKET_TYPE_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_CODE] =
    g_param_spec_string ("code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_PRICE] =
    g_param_spec_int64 ("price", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_QUOTA] =
    g_param_spec_int64 ("quota", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_ISSUED] =
    g_param_spec_int64 ("issued", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALID_FROM] =
    g_param_spec_string ("valid-from", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALID_UNTIL] =
    g_param_spec_string ("valid-until", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_REENTRY_ALLOWED] =
    g_param_spec_boolean ("reentry-allowed", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_REENTRY_TEXT] =
    g_param_spec_string ("reentry-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_PRICE_TEXT] =
    g_param_spec_string ("price-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_QUOTA_TEXT] =
    g_param_spec_string ("quota-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_type_properties[TICKET_TYPE_PROP_VALIDITY_TEXT] =
    g_param_spec_string ("validity-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_TICKET_TYPE_PROPS, ticket_type_properties);
}

static void
fest_ticket_type_init (FestTicketType *self)
{
}

static void
fest_ticket_type_fill_from_json (FestTicketType *self,
                                JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
  self->code = g_strdup (fest_page_json_string (object, "code"));
  self->price = fest_page_json_int (object, "price", 0);
  self->issued = fest_page_json_int (object, "issued", 0);
  self->valid_from = g_strdup (fest_page_json_string (object, "valid_from"));
  self->valid_until = g_strdup (fest_page_json_string (object, "valid_until"));
  self->reentry_allowed = fest_page_json_bool (object, "reentry_allowed", FALSE);
}

const char *
fest_ticket_type_get_id (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->id;
}

const char *
fest_ticket_type_get_name (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->name;
}

const char *
fest_ticket_type_get_code (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->code;
}

gint64
fest_ticket_type_get_price (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->price;
}

gint64
fest_ticket_type_get_quota (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->quota;
}

gint64
fest_ticket_type_get_issued (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), 0);

  return self->issued;
}

const char *
fest_ticket_type_get_valid_from (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->valid_from;
}

const char *
fest_ticket_type_get_valid_until (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->valid_until;
}

gboolean
fest_ticket_type_get_reentry_allowed (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), FALSE);

  return self->reentry_allowed;
}

const char *
fest_ticket_type_get_reentry_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->reentry_text;
}

const char *
fest_ticket_type_get_price_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->price_text;
}

const char *
fest_ticket_type_get_quota_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->quota_text;
}

const char *
fest_ticket_type_get_validity_text (FestTicketType *self)
{
  g_return_val_if_fail (FEST_IS_TICKET_TYPE (self), NULL);

  return self->validity_text;
}

FestTicketType *
fest_ticket_type_new_from_json (JsonObject *object,
                                const char *currency_name)
{
  FestTicketType *self;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *issued = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_TICKET_TYPE, NULL);
  fest_ticket_type_fill_from_json (self, object);
  self->quota = fest_page_json_is_null (object, "quota") ? -1 : fest_page_json_int (object, "quota", 0);

  self->price_text = fest_money_format (self->price, currency_name != NULL ? currency_name : "");
  issued = g_strdup_printf ("%" G_GINT64_FORMAT, self->issued);
  if (self->quota < 0)
    {
      /* Translators: tickets issued of a type without a quota, "12 issued" */
      self->quota_text = g_strdup_printf (_("%s issued"), issued);
    }
  else
    {
      g_autofree char *quota = g_strdup_printf ("%" G_GINT64_FORMAT, self->quota);

      /* Translators: tickets issued / quota of a ticket type, "12 / 100" */
      self->quota_text = g_strdup_printf (_("%s / %s"), issued, quota);
    }

  self->reentry_text = g_strdup (self->reentry_allowed ? _("Yes") : _("No"));

  from = fest_page_format_time (self->valid_from);
  until = fest_page_format_time (self->valid_until);
  /* Translators: a validity window, "from – until" */
  self->validity_text = g_strdup_printf (_("%s – %s"), from, until);

  return self;
}
