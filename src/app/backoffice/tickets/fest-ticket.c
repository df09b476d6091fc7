/* fest-ticket.c: an issued ticket, as the Tickets page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-ticket.h"

struct _FestTicket
{
  GObject parent_instance;

  char *id;
  char *ticket_type_id;
  char *holder_name;
  char *holder_email;
  char *qr_code;
  char *status;
  char *used_at;
  char *created_at;
  char *status_label;
  char *used_at_text;
  char *type_name;
};

G_DEFINE_FINAL_TYPE (FestTicket, fest_ticket, G_TYPE_OBJECT)

enum {
  TICKET_PROP_0,
  TICKET_PROP_ID,
  TICKET_PROP_TICKET_TYPE_ID,
  TICKET_PROP_HOLDER_NAME,
  TICKET_PROP_HOLDER_EMAIL,
  TICKET_PROP_QR_CODE,
  TICKET_PROP_STATUS,
  TICKET_PROP_USED_AT,
  TICKET_PROP_CREATED_AT,
  TICKET_PROP_STATUS_LABEL,
  TICKET_PROP_USED_AT_TEXT,
  TICKET_PROP_TYPE_NAME,
  N_TICKET_PROPS
};

static GParamSpec *ticket_properties[N_TICKET_PROPS];

static void
fest_ticket_finalize (GObject *object)
{
  FestTicket *self = FEST_TICKET (object);

  g_free (self->id);
  g_free (self->ticket_type_id);
  g_free (self->holder_name);
  g_free (self->holder_email);
  g_free (self->qr_code);
  g_free (self->status);
  g_free (self->used_at);
  g_free (self->created_at);
  g_free (self->status_label);
  g_free (self->used_at_text);
  g_free (self->type_name);

  G_OBJECT_CLASS (fest_ticket_parent_class)->finalize (object);
}

static void
fest_ticket_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FestTicket *self = FEST_TICKET (object);

  switch (prop_id)
    {
    case TICKET_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case TICKET_PROP_TICKET_TYPE_ID:
      g_value_set_string (value, self->ticket_type_id);
      break;
    case TICKET_PROP_HOLDER_NAME:
      g_value_set_string (value, self->holder_name);
      break;
    case TICKET_PROP_HOLDER_EMAIL:
      g_value_set_string (value, self->holder_email);
      break;
    case TICKET_PROP_QR_CODE:
      g_value_set_string (value, self->qr_code);
      break;
    case TICKET_PROP_STATUS:
      g_value_set_string (value, self->status);
      break;
    case TICKET_PROP_USED_AT:
      g_value_set_string (value, self->used_at);
      break;
    case TICKET_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case TICKET_PROP_STATUS_LABEL:
      g_value_set_string (value, self->status_label);
      break;
    case TICKET_PROP_USED_AT_TEXT:
      g_value_set_string (value, self->used_at_text);
      break;
    case TICKET_PROP_TYPE_NAME:
      g_value_set_string (value, self->type_name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  FestTicket *self = FEST_TICKET (object);

  switch (prop_id)
    {
    case TICKET_PROP_TYPE_NAME:
      fest_ticket_set_type_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_ticket_class_init (FestTicketClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_ticket_finalize;
  object_class->get_property = fest_ticket_get_property;
  object_class->set_property = fest_ticket_set_property;

  ticket_properties[TICKET_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_TICKET_TYPE_ID] =
    g_param_spec_string ("ticket-type-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_HOLDER_NAME] =
    g_param_spec_string ("holder-name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_HOLDER_EMAIL] =
    g_param_spec_string ("holder-email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_QR_CODE] =
    g_param_spec_string ("qr-code", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_USED_AT] =
    g_param_spec_string ("used-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_STATUS_LABEL] =
    g_param_spec_string ("status-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_USED_AT_TEXT] =
    g_param_spec_string ("used-at-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  ticket_properties[TICKET_PROP_TYPE_NAME] =
    g_param_spec_string ("type-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_TICKET_PROPS, ticket_properties);
}

static void
fest_ticket_init (FestTicket *self)
{
}

static void
fest_ticket_fill_from_json (FestTicket *self,
                           JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->ticket_type_id = g_strdup (fest_page_json_string (object, "ticket_type_id"));
  self->holder_name = g_strdup (fest_page_json_string (object, "holder_name"));
  self->holder_email = g_strdup (fest_page_json_string (object, "holder_email"));
  self->qr_code = g_strdup (fest_page_json_string (object, "qr_code"));
  self->status = g_strdup (fest_page_json_string (object, "status"));
  self->used_at = g_strdup (fest_page_json_string (object, "used_at"));
  self->created_at = g_strdup (fest_page_json_string (object, "created_at"));
}

const char *
fest_ticket_get_id (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->id;
}

const char *
fest_ticket_get_ticket_type_id (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->ticket_type_id;
}

const char *
fest_ticket_get_holder_name (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->holder_name;
}

const char *
fest_ticket_get_holder_email (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->holder_email;
}

const char *
fest_ticket_get_qr_code (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->qr_code;
}

const char *
fest_ticket_get_status (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->status;
}

const char *
fest_ticket_get_used_at (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->used_at;
}

const char *
fest_ticket_get_created_at (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->created_at;
}

const char *
fest_ticket_get_status_label (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->status_label;
}

const char *
fest_ticket_get_used_at_text (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->used_at_text;
}

const char *
fest_ticket_get_type_name (FestTicket *self)
{
  g_return_val_if_fail (FEST_IS_TICKET (self), NULL);

  return self->type_name;
}

void
fest_ticket_set_type_name (FestTicket *self,
                          const char *value)
{
  g_return_if_fail (FEST_IS_TICKET (self));

  if (g_strcmp0 (self->type_name, value) == 0)
    return;

  g_free (self->type_name);
  self->type_name = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), ticket_properties[TICKET_PROP_TYPE_NAME]);
}

static const char *
ticket_status_label (const char *status)
{
  if (g_strcmp0 (status, "VALID") == 0)
    return _("Valid");
  if (g_strcmp0 (status, "USED") == 0)
    return _("Used");
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return _("Cancelled");
  return status != NULL ? status : "";
}

FestTicket *
fest_ticket_new_from_json (JsonObject *object)
{
  FestTicket *self;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_TICKET, NULL);
  fest_ticket_fill_from_json (self, object);
  self->status_label = g_strdup (ticket_status_label (self->status));
  self->used_at_text = fest_page_format_time (self->used_at);

  return self;
}
