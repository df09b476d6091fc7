/* fest-audit-entry.c: one row of the festival's audit log, as the Audit page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-audit-entry.h"
#include "fest-audit-format.h"
#include "fest-page-util.h"

struct _FestAuditEntry
{
  GObject parent_instance;

  char *id;
  char *actor_id;
  char *device_id;
  char *action;
  char *entity_type;
  char *entity_id;
  char *old_values;
  char *new_values;
  char *ip_address;
  char *user_agent;
  char *created_at;
  char *created_at_text;
  char *actor_name;
  char *entity_text;
  char *action_text;
  char *changes;
};

G_DEFINE_FINAL_TYPE (FestAuditEntry, fest_audit_entry, G_TYPE_OBJECT)

enum {
  AUDIT_ENTRY_PROP_0,
  AUDIT_ENTRY_PROP_ID,
  AUDIT_ENTRY_PROP_ACTOR_ID,
  AUDIT_ENTRY_PROP_DEVICE_ID,
  AUDIT_ENTRY_PROP_ACTION,
  AUDIT_ENTRY_PROP_ENTITY_TYPE,
  AUDIT_ENTRY_PROP_ENTITY_ID,
  AUDIT_ENTRY_PROP_OLD_VALUES,
  AUDIT_ENTRY_PROP_NEW_VALUES,
  AUDIT_ENTRY_PROP_IP_ADDRESS,
  AUDIT_ENTRY_PROP_USER_AGENT,
  AUDIT_ENTRY_PROP_CREATED_AT,
  AUDIT_ENTRY_PROP_CREATED_AT_TEXT,
  AUDIT_ENTRY_PROP_ACTOR_NAME,
  AUDIT_ENTRY_PROP_ENTITY_TEXT,
  AUDIT_ENTRY_PROP_ACTION_TEXT,
  AUDIT_ENTRY_PROP_CHANGES,
  N_AUDIT_ENTRY_PROPS
};

static GParamSpec *audit_entry_properties[N_AUDIT_ENTRY_PROPS];

static void
fest_audit_entry_finalize (GObject *object)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  g_free (self->id);
  g_free (self->actor_id);
  g_free (self->device_id);
  g_free (self->action);
  g_free (self->entity_type);
  g_free (self->entity_id);
  g_free (self->old_values);
  g_free (self->new_values);
  g_free (self->ip_address);
  g_free (self->user_agent);
  g_free (self->created_at);
  g_free (self->created_at_text);
  g_free (self->actor_name);
  g_free (self->entity_text);
  g_free (self->action_text);
  g_free (self->changes);

  G_OBJECT_CLASS (fest_audit_entry_parent_class)->finalize (object);
}

static void
fest_audit_entry_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case AUDIT_ENTRY_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case AUDIT_ENTRY_PROP_ACTOR_ID:
      g_value_set_string (value, self->actor_id);
      break;
    case AUDIT_ENTRY_PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    case AUDIT_ENTRY_PROP_ACTION:
      g_value_set_string (value, self->action);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_TYPE:
      g_value_set_string (value, self->entity_type);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_ID:
      g_value_set_string (value, self->entity_id);
      break;
    case AUDIT_ENTRY_PROP_OLD_VALUES:
      g_value_set_string (value, self->old_values);
      break;
    case AUDIT_ENTRY_PROP_NEW_VALUES:
      g_value_set_string (value, self->new_values);
      break;
    case AUDIT_ENTRY_PROP_IP_ADDRESS:
      g_value_set_string (value, self->ip_address);
      break;
    case AUDIT_ENTRY_PROP_USER_AGENT:
      g_value_set_string (value, self->user_agent);
      break;
    case AUDIT_ENTRY_PROP_CREATED_AT:
      g_value_set_string (value, self->created_at);
      break;
    case AUDIT_ENTRY_PROP_CREATED_AT_TEXT:
      g_value_set_string (value, self->created_at_text);
      break;
    case AUDIT_ENTRY_PROP_ACTOR_NAME:
      g_value_set_string (value, self->actor_name);
      break;
    case AUDIT_ENTRY_PROP_ENTITY_TEXT:
      g_value_set_string (value, self->entity_text);
      break;
    case AUDIT_ENTRY_PROP_ACTION_TEXT:
      g_value_set_string (value, self->action_text);
      break;
    case AUDIT_ENTRY_PROP_CHANGES:
      g_value_set_string (value, self->changes);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_audit_entry_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  FestAuditEntry *self = FEST_AUDIT_ENTRY (object);

  switch (prop_id)
    {
    case AUDIT_ENTRY_PROP_ACTOR_NAME:
      fest_audit_entry_set_actor_name (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_audit_entry_class_init (FestAuditEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_audit_entry_finalize;
  object_class->get_property = fest_audit_entry_get_property;
  object_class->set_property = fest_audit_entry_set_property;

  audit_entry_properties[AUDIT_ENTRY_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_ID] =
    g_param_spec_string ("actor-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_DEVICE_ID] =
    g_param_spec_string ("device-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTION] =
    g_param_spec_string ("action", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_TYPE] =
    g_param_spec_string ("entity-type", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_ID] =
    g_param_spec_string ("entity-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_OLD_VALUES] =
    g_param_spec_string ("old-values", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_NEW_VALUES] =
    g_param_spec_string ("new-values", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_IP_ADDRESS] =
    g_param_spec_string ("ip-address", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_USER_AGENT] =
    g_param_spec_string ("user-agent", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CREATED_AT] =
    g_param_spec_string ("created-at", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CREATED_AT_TEXT] =
    g_param_spec_string ("created-at-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_NAME] =
    g_param_spec_string ("actor-name", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ENTITY_TEXT] =
    g_param_spec_string ("entity-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_ACTION_TEXT] =
    g_param_spec_string ("action-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  audit_entry_properties[AUDIT_ENTRY_PROP_CHANGES] =
    g_param_spec_string ("changes", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_AUDIT_ENTRY_PROPS, audit_entry_properties);
}

static void
fest_audit_entry_init (FestAuditEntry *self)
{
}

static void
fest_audit_entry_fill_from_json (FestAuditEntry *self,
                                JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->actor_id = g_strdup (fest_page_json_string (object, "actor_id"));
  self->device_id = g_strdup (fest_page_json_string (object, "device_id"));
  self->action = g_strdup (fest_page_json_string (object, "action"));
  self->entity_type = g_strdup (fest_page_json_string (object, "entity_type"));
  self->entity_id = g_strdup (fest_page_json_string (object, "entity_id"));
  self->ip_address = g_strdup (fest_page_json_string (object, "ip_address"));
  self->user_agent = g_strdup (fest_page_json_string (object, "user_agent"));
  self->created_at = g_strdup (fest_page_json_string (object, "created_at"));
}

const char *
fest_audit_entry_get_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->id;
}

const char *
fest_audit_entry_get_actor_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->actor_id;
}

const char *
fest_audit_entry_get_device_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->device_id;
}

const char *
fest_audit_entry_get_action (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->action;
}

const char *
fest_audit_entry_get_entity_type (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_type;
}

const char *
fest_audit_entry_get_entity_id (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_id;
}

const char *
fest_audit_entry_get_old_values (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->old_values;
}

const char *
fest_audit_entry_get_new_values (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->new_values;
}

const char *
fest_audit_entry_get_ip_address (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->ip_address;
}

const char *
fest_audit_entry_get_user_agent (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->user_agent;
}

const char *
fest_audit_entry_get_created_at (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->created_at;
}

const char *
fest_audit_entry_get_created_at_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->created_at_text;
}

const char *
fest_audit_entry_get_actor_name (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->actor_name;
}

void
fest_audit_entry_set_actor_name (FestAuditEntry *self,
                                const char *value)
{
  g_return_if_fail (FEST_IS_AUDIT_ENTRY (self));

  if (g_strcmp0 (self->actor_name, value) == 0)
    return;

  g_free (self->actor_name);
  self->actor_name = g_strdup (value);
  g_object_notify_by_pspec (G_OBJECT (self), audit_entry_properties[AUDIT_ENTRY_PROP_ACTOR_NAME]);
}

const char *
fest_audit_entry_get_entity_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);

  return self->entity_text;
}

static char *
pretty_json (JsonObject *object,
             const char *member)
{
  g_autoptr(JsonGenerator) generator = NULL;

  if (fest_page_json_is_null (object, member))
    return g_strdup ("—");

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  json_generator_set_root (generator, json_object_get_member (object, member));
  return json_generator_to_data (generator, NULL);
}

FestAuditEntry *
fest_audit_entry_new_from_json (JsonObject *object,
                                const char *currency)
{
  FestAuditEntry *self;
  JsonObject *old_values;
  JsonObject *new_values;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_AUDIT_ENTRY, NULL);
  fest_audit_entry_fill_from_json (self, object);
  self->old_values = pretty_json (object, "old_values");
  self->new_values = pretty_json (object, "new_values");
  self->created_at_text = fest_page_format_time (self->created_at);
  /* Rows without an actor are the server's own (the demo, migrations). */
  self->actor_name = g_strdup (self->actor_id != NULL ? self->actor_id
                               : self->device_id != NULL ? self->device_id : _("the server"));

  old_values = fest_page_json_is_null (object, "old_values")
               || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "old_values"))
               ? NULL : json_object_get_object_member (object, "old_values");
  new_values = fest_page_json_is_null (object, "new_values")
               || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "new_values"))
               ? NULL : json_object_get_object_member (object, "new_values");
  self->action_text = fest_audit_action_text (self->action);
  self->entity_text = fest_audit_entity_label (self->entity_type, self->entity_id, old_values,
                                               new_values, currency);
  self->changes = fest_audit_changes_text (old_values, new_values, currency);

  return self;
}

const char *
fest_audit_entry_get_action_text (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);
  return self->action_text;
}

const char *
fest_audit_entry_get_changes (FestAuditEntry *self)
{
  g_return_val_if_fail (FEST_IS_AUDIT_ENTRY (self), NULL);
  return self->changes;
}
