/* fest-tickets-dialogs.c: the New Ticket Type, Issue Ticket and Gate dialogs of the Tickets page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <string.h>

#include "fest-location-picker.h"
#include "fest-money.h"
#include "fest-page-util.h"
#include "fest-tickets-dialogs.h"

typedef struct
{
  GPtrArray *type_ids;
} IssueData;

static void
issue_data_free (IssueData *data)
{
  g_clear_pointer (&data->type_ids, g_ptr_array_unref);
  g_free (data);
}

static gboolean
looks_like_email (const char *text)
{
  const char *at = strchr (text, '@');

  return at != NULL && at != text && strchr (at + 1, '.') != NULL && strchr (text, ' ') == NULL
         && strchr (at + 1, '@') == NULL;
}

static JsonNode *
build_issue_body (FestFormDialog *dialog,
                  gpointer        user_data)
{
  IssueData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint type = fest_form_dialog_get_selected (dialog, "ticket_type_id");
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "holder_name"));
  g_autofree char *email = g_strdup (fest_form_dialog_get_text (dialog, "holder_email"));

  if (type >= data->type_ids->len)
    {
      fest_form_dialog_set_error (dialog, "ticket_type_id", _("Choose a ticket type."));
      return NULL;
    }
  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "holder_name", _("Enter the holder’s name."));
      return NULL;
    }
  if (*email != '\0' && !looks_like_email (email))
    {
      fest_form_dialog_set_error (dialog, "holder_email", _("This email address is not valid."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket_type_id");
  json_builder_add_string_value (builder, g_ptr_array_index (data->type_ids, type));
  json_builder_set_member_name (builder, "holder_name");
  json_builder_add_string_value (builder, name);
  if (*email != '\0')
    {
      json_builder_set_member_name (builder, "holder_email");
      json_builder_add_string_value (builder, email);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
code_is_valid (const char *code)
{
  if (*code == '\0' || strlen (code) > 32)
    return FALSE;

  for (const char *p = code; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;

  return TRUE;
}

static JsonNode *
build_type_body (FestFormDialog *dialog,
                 gpointer        user_data)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));
  g_autofree char *code = g_strdup (fest_form_dialog_get_text (dialog, "code"));
  g_autofree char *price_text = g_strdup (fest_form_dialog_get_text (dialog, "price"));
  g_autofree char *quota_text = g_strdup (fest_form_dialog_get_text (dialog, "quota"));
  g_autofree char *from = fest_page_parse_local_time (fest_form_dialog_get_text (dialog, "valid_from"));
  g_autofree char *until = fest_page_parse_local_time (fest_form_dialog_get_text (dialog, "valid_until"));
  gint64 price = 0;
  gint64 quota = -1;

  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Give the ticket type a name."));
      return NULL;
    }
  if (!code_is_valid (code))
    {
      fest_form_dialog_set_error (dialog, "code",
                                  _("The code is a short word of letters, digits, - or _, such as WEEKEND."));
      return NULL;
    }
  if (!fest_money_parse (price_text, &price) || price < 0 || price > FEST_MONEY_MAX_AMOUNT)
    {
      fest_form_dialog_set_error (dialog, "price",
                                  _("The price must be a positive amount such as 45 or 45.50."));
      return NULL;
    }
  if (*quota_text != '\0')
    {
      char *end = NULL;
      guint64 value;

      errno = 0;
      value = g_ascii_strtoull (quota_text, &end, 10);
      if (errno != 0 || end == quota_text || *end != '\0' || !g_ascii_isdigit (*quota_text)
          || value < 1 || value > G_MAXINT32)
        {
          fest_form_dialog_set_error (dialog, "quota",
                                      _("The quota must be a whole number above 0, or empty for no limit."));
          return NULL;
        }
      quota = (gint64) value;
    }
  if (from == NULL)
    {
      fest_form_dialog_set_error (dialog, "valid_from",
                                  _("Enter the start as YYYY-MM-DD HH:MM, for example 2026-07-14 10:00."));
      return NULL;
    }
  if (until == NULL)
    {
      fest_form_dialog_set_error (dialog, "valid_until",
                                  _("Enter the end as YYYY-MM-DD HH:MM, for example 2026-07-16 23:59."));
      return NULL;
    }
  if (g_strcmp0 (until, from) <= 0)
    {
      fest_form_dialog_set_error (dialog, "valid_until", _("The end must come after the start."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "price");
  json_builder_add_int_value (builder, price);
  json_builder_set_member_name (builder, "quota");
  if (quota > 0)
    json_builder_add_int_value (builder, quota);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "valid_from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "valid_until");
  json_builder_add_string_value (builder, until);
  json_builder_set_member_name (builder, "reentry_allowed");
  json_builder_add_boolean_value (builder, fest_form_dialog_get_active (dialog, "reentry_allowed"));
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

FestFormDialog *
fest_ticket_type_dialog_new (GtkWidget  *parent,
                             FestClient *client,
                             JsonObject *festival,
                             const char *currency)
{
  FestFormDialog *dialog;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  g_autofree char *description = NULL;

  from = fest_page_format_local_input (fest_page_json_string (festival, "starts_at"));
  until = fest_page_format_local_input (fest_page_json_string (festival, "ends_at"));

  dialog = fest_form_dialog_new (parent, _("New Ticket Type"), _("_Add"));
  description = g_strdup_printf (_("Times are local, written YYYY-MM-DD HH:MM. The price is in %s."),
                                 currency != NULL && *currency != '\0'
                                 ? currency : _("the festival currency"));
  fest_form_dialog_set_description (dialog, description);
  fest_form_dialog_add_entry (dialog, "name", _("Name"), NULL);
  fest_form_dialog_add_entry (dialog, "code", _("Code"), NULL);
  fest_form_dialog_add_entry (dialog, "price", _("Price"), "0");
  fest_form_dialog_add_entry (dialog, "quota", _("Quota (empty for no limit)"), NULL);
  fest_form_dialog_add_entry (dialog, "valid_from", _("Valid from"), from);
  fest_form_dialog_add_entry (dialog, "valid_until", _("Valid until"), until);
  fest_form_dialog_add_check (dialog, "reentry_allowed", _("Re-entry allowed"),
                              _("Holders may leave and come back in"), FALSE);
  fest_form_dialog_set_request (dialog, client,
                                "POST", "/ticket-types", build_type_body,
                                NULL, NULL);

  return dialog;
}

FestFormDialog *
fest_issue_ticket_dialog_new (GtkWidget      *parent,
                              FestClient     *client,
                              GListModel     *types,
                              FestTicketType *selected_type)
{
  FestFormDialog *dialog;
  IssueData *data;
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint n = g_list_model_get_n_items (types);
  guint selected = 0;

  data = g_new0 (IssueData, 1);
  data->type_ids = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(FestTicketType) type = g_list_model_get_item (types, i);

      if (type == selected_type)
        selected = i;
      g_ptr_array_add (data->type_ids, g_strdup (fest_ticket_type_get_id (type)));
      g_ptr_array_add (labels, g_strdup_printf ("%s — %s", fest_ticket_type_get_name (type),
                                                fest_ticket_type_get_price_text (type)));
    }
  g_ptr_array_add (labels, NULL);

  dialog = fest_form_dialog_new (parent, _("Issue Ticket"), _("_Issue"));
  fest_form_dialog_add_combo (dialog, "ticket_type_id", _("Ticket type"),
                              (const char * const *) labels->pdata, selected);
  fest_form_dialog_add_entry (dialog, "holder_name", _("Holder’s name"), NULL);
  fest_form_dialog_add_entry (dialog, "holder_email", _("Holder’s email (optional)"), NULL);
  fest_form_dialog_set_request (dialog, client,
                                "POST", "/tickets", build_issue_body, data,
                                (GDestroyNotify) issue_data_free);

  return dialog;
}

/* Gate */

#define GATE_NAME_MAX 80

static JsonNode *
build_gate_body (FestFormDialog *dialog,
                 gpointer        user_data)
{
  FestLocationPicker *picker = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));

  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", _("Give the gate a name."));
      return NULL;
    }
  if (g_utf8_strlen (name, -1) > GATE_NAME_MAX)
    {
      fest_form_dialog_set_error (dialog, "name", _("The name is too long."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  if (!fest_location_picker_build (picker, builder, FALSE))
    return NULL;
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

FestFormDialog *
fest_gate_dialog_new (GtkWidget  *parent,
                      FestClient *client,
                      JsonObject *gate,
                      JsonObject *festival)
{
  FestFormDialog *dialog;
  FestLocationPicker *picker;
  JsonObject *location = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  if (gate != NULL)
    {
      path = g_strdup_printf ("/gates/%s", fest_page_json_string (gate, "id"));
      if (json_object_has_member (gate, "location")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (gate, "location")))
        location = json_object_get_object_member (gate, "location");
    }

  dialog = fest_form_dialog_new (parent, gate != NULL ? _("Edit Gate") : _("New Gate"),
                                 gate != NULL ? _("_Save") : _("_Add"));
  fest_form_dialog_set_description (dialog, _("Scanner stations choose their gate by name."));
  fest_form_dialog_add_entry (dialog, "name", _("Name"),
                              gate != NULL ? fest_page_json_string (gate, "name") : NULL);
  picker = fest_location_picker_add (dialog, client, festival, location);
  fest_form_dialog_set_request (dialog, client, gate != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/gates", build_gate_body, picker, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (gate != NULL ? _("Gate saved") : _("Gate added")), g_free);
  return dialog;
}
