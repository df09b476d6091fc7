/* fest-member.c: a member of the festival team, as the Team page lists it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-member.h"
#include "fest-page-util.h"
#include "fest-role.h"

struct _FestMember
{
  GObject parent_instance;

  char *id;
  char *email;
  char *name;
  gint64 roles;
  char *roles_text;
};

G_DEFINE_FINAL_TYPE (FestMember, fest_member, G_TYPE_OBJECT)

enum {
  MEMBER_PROP_0,
  MEMBER_PROP_ID,
  MEMBER_PROP_EMAIL,
  MEMBER_PROP_NAME,
  MEMBER_PROP_ROLES,
  MEMBER_PROP_ROLES_TEXT,
  N_MEMBER_PROPS
};

static GParamSpec *member_properties[N_MEMBER_PROPS];

static void
fest_member_finalize (GObject *object)
{
  FestMember *self = FEST_MEMBER (object);

  g_free (self->id);
  g_free (self->email);
  g_free (self->name);
  g_free (self->roles_text);

  G_OBJECT_CLASS (fest_member_parent_class)->finalize (object);
}

static void
fest_member_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  FestMember *self = FEST_MEMBER (object);

  switch (prop_id)
    {
    case MEMBER_PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case MEMBER_PROP_EMAIL:
      g_value_set_string (value, self->email);
      break;
    case MEMBER_PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case MEMBER_PROP_ROLES:
      g_value_set_int64 (value, self->roles);
      break;
    case MEMBER_PROP_ROLES_TEXT:
      g_value_set_string (value, self->roles_text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_member_class_init (FestMemberClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_member_finalize;
  object_class->get_property = fest_member_get_property;

  member_properties[MEMBER_PROP_ID] =
    g_param_spec_string ("id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_EMAIL] =
    g_param_spec_string ("email", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_ROLES] =
    g_param_spec_int64 ("roles", NULL, NULL, G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  member_properties[MEMBER_PROP_ROLES_TEXT] =
    g_param_spec_string ("roles-text", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_MEMBER_PROPS, member_properties);
}

static void
fest_member_init (FestMember *self)
{
}

static void
fest_member_fill_from_json (FestMember *self,
                           JsonObject *object)
{
  self->id = g_strdup (fest_page_json_string (object, "id"));
  self->email = g_strdup (fest_page_json_string (object, "email"));
  self->name = g_strdup (fest_page_json_string (object, "name"));
}

const char *
fest_member_get_id (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->id;
}

const char *
fest_member_get_email (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->email;
}

const char *
fest_member_get_name (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->name;
}

gint64
fest_member_get_roles (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), 0);

  return self->roles;
}

const char *
fest_member_get_roles_text (FestMember *self)
{
  g_return_val_if_fail (FEST_IS_MEMBER (self), NULL);

  return self->roles_text;
}

static const char *
role_label (FestRole role)
{
  switch (role)
    {
    case FEST_ROLE_SUPERADMIN:
      return _("Platform admin");
    case FEST_ROLE_ORGANISER:
      return _("Organiser");
    case FEST_ROLE_CASHIER:
      return _("Cashier");
    case FEST_ROLE_SCANNER:
      return _("Scanner");
    case FEST_ROLE_SECURITY:
      return _("Security");
    case FEST_ROLE_SECURITY_LEAD:
      return _("Security lead");
    case FEST_ROLE_ARTIST:
      return _("Artist");
    case FEST_ROLE_FESTIVALIER:
      return _("Attendee");
    case FEST_ROLE_NONE:
    default:
      return "";
    }
}

const char *
fest_member_role_label (guint role)
{
  return role_label (role);
}

FestMember *
fest_member_new_from_json (JsonObject *object)
{
  FestMember *self;
  g_autoptr(GString) text = g_string_new (NULL);
  JsonArray *roles = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (FEST_TYPE_MEMBER, NULL);
  fest_member_fill_from_json (self, object);

  if (json_object_has_member (object, "roles")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "roles")))
    roles = json_object_get_array_member (object, "roles");

  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonNode *node = json_array_get_element (roles, i);
      FestRole role;

      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
        continue;
      if (fest_role_from_string (json_node_get_string (node), &role))
        self->roles |= role;
    }

  for (guint bit = 0; bit < 8; bit++)
    {
      if ((self->roles & (1u << bit)) == 0)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, role_label (1u << bit));
    }
  self->roles_text = g_string_free (g_steal_pointer (&text), FALSE);

  return self;
}
