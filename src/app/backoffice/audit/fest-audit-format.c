/* fest-audit-format.c: audit log entries in words: actions, entity labels, field changes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fest-audit-format.h"
#include "fest-money.h"
#include "fest-page-util.h"

typedef struct
{
  const char *code;
  const char *text;
} Label;

static const Label action_labels[] = {
  { "festival.create", N_("Festival created") },
  { "festival.update", N_("Festival settings changed") },
  { "demo.populate", N_("Demo data added") },
  { "stand.create", N_("Stand added") },
  { "stand.update", N_("Stand changed") },
  { "stand.delete", N_("Stand removed") },
  { "product.create", N_("Product added") },
  { "product.update", N_("Product changed") },
  { "product.delete", N_("Product removed") },
  { "ticket_type.create", N_("Ticket type added") },
  { "ticket_type.update", N_("Ticket type changed") },
  { "ticket_type.delete", N_("Ticket type removed") },
  { "ticket.issue", N_("Ticket issued") },
  { "ticket.cancel", N_("Ticket cancelled") },
  { "ticket.scan", N_("Ticket scanned") },
  { "member.create", N_("Member added") },
  { "member.update", N_("Member changed") },
  { "member.delete", N_("Member removed") },
  { "device.create", N_("Station enrolled") },
  { "device.revoke", N_("Station revoked") },
  { "wallet.create", N_("Wallet created") },
  { "wallet.update", N_("Wallet changed") },
  { "transaction.create", N_("Transaction") },
  { "transaction.payment", N_("Payment") },
  { "transaction.recharge", N_("Recharge") },
  { "transaction.refund", N_("Refund") },
  { "transaction.cancel", N_("Sale cancelled") },
  { "incident.create", N_("Incident reported") },
  { "incident.update", N_("Incident updated") },
  { "stage.create", N_("Stage added") },
  { "stage.update", N_("Stage changed") },
  { "stage.delete", N_("Stage removed") },
  { "artist.create", N_("Artist added") },
  { "artist.update", N_("Artist changed") },
  { "artist.delete", N_("Artist removed") },
  { "slot.create", N_("Slot added") },
  { "slot.update", N_("Slot changed") },
  { "slot.delete", N_("Slot removed") },
};

static const Label entity_labels[] = {
  { "festival", N_("Festival") },
  { "stand", N_("Stand") },
  { "product", N_("Product") },
  { "ticket_type", N_("Ticket type") },
  { "ticket", N_("Ticket") },
  { "member", N_("Member") },
  { "device", N_("Station") },
  { "wallet", N_("Wallet") },
  { "transaction", N_("Transaction") },
  { "incident", N_("Incident") },
  { "stage", N_("Stage") },
  { "artist", N_("Artist") },
  { "slot", N_("Slot") },
};

static const Label field_labels[] = {
  { "name", N_("Name") },
  { "type", N_("Type") },
  { "category", N_("Category") },
  { "price", N_("Price") },
  { "vat_rate", N_("VAT rate") },
  { "stock", N_("Stock") },
  { "is_active", N_("Active") },
  { "location", N_("Position") },
  { "stand_id", N_("Stand") },
  { "code", N_("Code") },
  { "quota", N_("Quota") },
  { "valid_from", N_("Valid from") },
  { "valid_until", N_("Valid until") },
  { "reentry_allowed", N_("Re-entry allowed") },
  { "holder_name", N_("Holder") },
  { "holder_email", N_("Holder’s e-mail") },
  { "email", N_("E-mail") },
  { "roles", N_("Roles") },
  { "status", N_("Status") },
  { "amount", N_("Amount") },
  { "balance", N_("Balance") },
  { "balance_after", N_("Balance after") },
  { "reference", N_("Reference") },
  { "overdrawn", N_("Overdrawn") },
  { "gate", N_("Gate") },
  { "direction", N_("Direction") },
  { "result", N_("Result") },
  { "scanned_at", N_("Scanned at") },
  { "offline_created", N_("Recorded offline") },
  { "description", N_("Description") },
  { "assigned_to", N_("Assigned to") },
  { "resolved_at", N_("Resolved at") },
  { "resolution_notes", N_("Resolution notes") },
  { "is_abuse", N_("Abuse") },
  { "starts_at", N_("Starts") },
  { "ends_at", N_("Ends") },
  { "timezone", N_("Time zone") },
  { "currency_name", N_("Currency") },
  { "exchange_rate_cents", N_("Exchange rate") },
  { "offline_allowance", N_("Offline allowance") },
  { "capacity", N_("Capacity") },
  { "start_time", N_("Start") },
  { "end_time", N_("End") },
  { "mode", N_("Mode") },
};

/* Bookkeeping that says nothing to a reader of the log. */
static const char * const hidden_fields[] = {
  "id", "rev", "created_at", "updated_at", "recorded_at", "qr_code", "deleted", "issued",
  "wallet_id", "ticket_id", "ticket_type_id", "reporter_id", "reporter_device_id", "device_id",
  "user_id", NULL,
};

/* Amounts in the festival's currency (minor units). */
static const char * const money_fields[] = {
  "price", "amount", "balance", "balance_after", "unit_price", "opening_float",
  "offline_allowance", NULL,
};

static const char *
lookup (const Label *labels,
        gsize        n_labels,
        const char  *code)
{
  for (gsize i = 0; i < n_labels; i++)
    if (g_strcmp0 (labels[i].code, code) == 0)
      return _(labels[i].text);
  return NULL;
}

char *
fest_audit_action_text (const char *action)
{
  const char *text;

  if (action == NULL)
    return g_strdup ("");
  text = lookup (action_labels, G_N_ELEMENTS (action_labels), action);
  return g_strdup (text != NULL ? text : action);
}

static char *
entity_kind_text (const char *entity_type)
{
  const char *text = lookup (entity_labels, G_N_ELEMENTS (entity_labels), entity_type);

  return g_strdup (text != NULL ? text : entity_type != NULL ? entity_type : "");
}

static char *
field_text (const char *field)
{
  const char *text = lookup (field_labels, G_N_ELEMENTS (field_labels), field);
  g_autofree char *spaced = NULL;

  if (text != NULL)
    return g_strdup (text);
  /* An unknown field: "opening_float" → "Opening float". */
  spaced = g_strdelimit (g_strdup (field), "_", ' ');
  if (spaced[0] != '\0')
    spaced[0] = g_ascii_toupper (spaced[0]);
  return g_steal_pointer (&spaced);
}

static gboolean
is_time_field (const char *field)
{
  return g_str_has_suffix (field, "_at") || g_str_equal (field, "valid_from")
         || g_str_equal (field, "valid_until") || g_str_equal (field, "start_time")
         || g_str_equal (field, "end_time");
}

/* A number as people write it in the current locale: "45,7488", not 45.748800000000003. */
static char *
format_double (double value)
{
  return g_strdup_printf ("%.10g", value);
}

static char *format_value (const char *field,
                           JsonNode   *node,
                           const char *currency);

static char *
format_object (JsonObject *object,
               const char *currency)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GList) members = json_object_get_members (object);

  /* A position: "45,7488, 4,8496 (zone B)". */
  if (json_object_has_member (object, "lat") && json_object_has_member (object, "lng"))
    {
      g_autofree char *lat = format_value ("lat", json_object_get_member (object, "lat"), NULL);
      g_autofree char *lng = format_value ("lng", json_object_get_member (object, "lng"), NULL);
      const char *zone = fest_page_json_string (object, "zone");

      g_string_append_printf (text, "%s, %s", lat, lng);
      if (zone != NULL && zone[0] != '\0')
        g_string_append_printf (text, " (%s)", zone);
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;
      g_autofree char *name = field_text (member);
      g_autofree char *value = format_value (member, json_object_get_member (object, member),
                                             currency);

      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append_printf (text, "%s: %s", name, value);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static char *
format_value (const char *field,
              JsonNode   *node,
              const char *currency)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return g_strdup ("—");

  if (JSON_NODE_HOLDS_OBJECT (node))
    return format_object (json_node_get_object (node), currency);

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);
      g_autoptr(GString) text = g_string_new (NULL);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          g_autofree char *item = format_value (field, json_array_get_element (array, i),
                                                currency);

          if (i > 0)
            g_string_append (text, ", ");
          g_string_append (text, item);
        }
      return g_string_free (g_steal_pointer (&text), FALSE);
    }

  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? _("Yes") : _("No"));

    case G_TYPE_INT64:
      if (g_strv_contains (money_fields, field))
        return fest_money_format (json_node_get_int (node), currency);
      if (g_str_equal (field, "exchange_rate_cents"))
        return fest_money_format_eur (json_node_get_int (node));
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));

    case G_TYPE_DOUBLE:
      if (g_str_equal (field, "vat_rate"))
        {
          g_autofree char *number = format_double (json_node_get_double (node));

          /* Translators: a VAT rate, "20 %" */
          return g_strdup_printf (_("%s %%"), number);
        }
      return format_double (json_node_get_double (node));

    case G_TYPE_STRING:
      if (is_time_field (field))
        {
          g_autofree char *local = fest_page_format_time (json_node_get_string (node));

          if (local != NULL && local[0] != '\0')
            return g_steal_pointer (&local);
        }
      return g_strdup (json_node_get_string (node));

    default:
      return g_strdup ("—");
    }
}

char *
fest_audit_entity_label (const char *entity_type,
                         const char *entity_id,
                         JsonObject *old_values,
                         JsonObject *new_values,
                         const char *currency)
{
  static const char * const naming_fields[] = { "name", "holder_name", "code", "email", NULL };
  g_autofree char *kind = entity_kind_text (entity_type);
  JsonObject *values[] = { new_values, old_values };

  for (guint v = 0; v < G_N_ELEMENTS (values); v++)
    {
      if (values[v] == NULL)
        continue;
      for (guint i = 0; naming_fields[i] != NULL; i++)
        {
          const char *text = fest_page_json_string (values[v], naming_fields[i]);

          if (text != NULL && text[0] != '\0')
            /* Translators: a thing and its name, "Stand “Main Bar”" */
            return g_strdup_printf (_("%s “%s”"), kind, text);
        }
      /* A scan is known by its gate. */
      if (fest_page_json_string (values[v], "gate") != NULL)
        /* Translators: a ticket scan in the audit log, "Ticket, gate North" */
        return g_strdup_printf (_("%s, gate %s"), kind,
                                fest_page_json_string (values[v], "gate"));
      /* A ledger row is known by what it moved. */
      if (json_object_has_member (values[v], "amount"))
        {
          g_autofree char *amount = format_value ("amount",
                                                  json_object_get_member (values[v], "amount"),
                                                  currency);

          return g_strdup_printf ("%s %s", kind, amount);
        }
    }

  /* Time-ordered ids share their first characters: the last ones tell rows apart. */
  if (entity_id != NULL && strlen (entity_id) > 6)
    return g_strdup_printf ("%s …%s", kind, entity_id + strlen (entity_id) - 6);
  return g_steal_pointer (&kind);
}

static gboolean
same_value (JsonNode *a,
            JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

char *
fest_audit_changes_text (JsonObject *old_values,
                         JsonObject *new_values,
                         const char *currency)
{
  g_autoptr(GString) text = g_string_new (NULL);
  JsonObject *shown = new_values != NULL ? new_values : old_values;
  g_autoptr(GList) members = NULL;

  if (shown == NULL)
    return g_strdup ("");

  members = json_object_get_members (shown);
  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *field = l->data;
      JsonNode *before = old_values != NULL ? json_object_get_member (old_values, field) : NULL;
      JsonNode *after = new_values != NULL ? json_object_get_member (new_values, field) : NULL;
      g_autofree char *name = NULL;

      if (g_strv_contains (hidden_fields, field))
        continue;
      name = field_text (field);

      if (old_values != NULL && new_values != NULL)
        {
          g_autofree char *old_text = NULL;
          g_autofree char *new_text = NULL;

          if (same_value (before, after))
            continue;
          old_text = format_value (field, before, currency);
          new_text = format_value (field, after, currency);
          /* Translators: one changed field, "Price: 5.00 → 6.00 Jetons" */
          g_string_append_printf (text, _("%s: %s → %s"), name, old_text, new_text);
        }
      else
        {
          g_autofree char *value = format_value (field, after != NULL ? after : before,
                                                 currency);

          /* Translators: one field of a created or removed thing, "Name: Bar du lac" */
          g_string_append_printf (text, _("%s: %s"), name, value);
        }
      g_string_append_c (text, '\n');
    }

  if (text->len > 0 && text->str[text->len - 1] == '\n')
    g_string_truncate (text, text->len - 1);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
