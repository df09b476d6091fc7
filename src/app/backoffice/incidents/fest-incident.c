/* fest-incident.c: one incident of the Incidents page, as the server last described it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-incident-kinds.h"
#include "fest-incident.h"
#include "fest-page-util.h"

struct _FestIncident
{
  GObject     parent_instance;

  JsonObject *json;
  char       *place;
  char       *assignee;
  char       *age;
  gint64      created;
};

G_DEFINE_FINAL_TYPE (FestIncident, fest_incident, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_TYPE,
  PROP_STATUS,
  PROP_TYPE_LABEL,
  PROP_STATUS_LABEL,
  PROP_DESCRIPTION,
  PROP_PLACE,
  PROP_ASSIGNEE,
  PROP_AGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **field,
         const char  *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

static gint64
parse_time (const char *text)
{
  g_autoptr(GDateTime) time = text != NULL ? g_date_time_new_from_iso8601 (text, NULL) : NULL;

  return time != NULL ? g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time) : 0;
}

static void
fest_incident_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  FestIncident *self = FEST_INCIDENT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, fest_incident_get_id (self));
      break;
    case PROP_TYPE:
      g_value_set_string (value, fest_incident_get_type_name (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, fest_incident_get_status (self));
      break;
    case PROP_TYPE_LABEL:
      g_value_set_string (value, fest_incident_type_label (fest_incident_get_type_name (self)));
      break;
    case PROP_STATUS_LABEL:
      g_value_set_string (value, fest_incident_status_label (fest_incident_get_status (self)));
      break;
    case PROP_DESCRIPTION:
      g_value_set_string (value, fest_incident_get_description (self));
      break;
    case PROP_PLACE:
      g_value_set_string (value, self->place);
      break;
    case PROP_ASSIGNEE:
      g_value_set_string (value, self->assignee);
      break;
    case PROP_AGE:
      g_value_set_string (value, self->age);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_incident_finalize (GObject *object)
{
  FestIncident *self = FEST_INCIDENT (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_free (self->place);
  g_free (self->assignee);
  g_free (self->age);
  G_OBJECT_CLASS (fest_incident_parent_class)->finalize (object);
}

static void
fest_incident_class_init (FestIncidentClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char * const names[N_PROPS] = {
    NULL, "id", "type", "status", "type-label", "status-label", "description", "place", "assignee", "age",
  };

  object_class->get_property = fest_incident_get_property;
  object_class->finalize = fest_incident_finalize;

  for (guint i = 1; i < N_PROPS; i++)
    properties[i] = g_param_spec_string (names[i], NULL, NULL, NULL,
                                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fest_incident_init (FestIncident *self)
{
}

FestIncident *
fest_incident_new_from_json (JsonObject *object)
{
  FestIncident *self;

  g_return_val_if_fail (object != NULL, NULL);

  if (fest_page_json_string (object, "id") == NULL)
    return NULL;
  self = g_object_new (FEST_TYPE_INCIDENT, NULL);
  self->json = json_object_ref (object);
  self->created = parse_time (fest_page_json_string (object, "created_at"));
  return self;
}

gboolean
fest_incident_update (FestIncident *self,
                      JsonObject   *object)
{
  g_autoptr(JsonObject) old = NULL;
  gboolean changed;

  g_return_val_if_fail (FEST_IS_INCIDENT (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  old = g_steal_pointer (&self->json);
  self->json = json_object_ref (object);
  self->created = parse_time (fest_page_json_string (object, "created_at"));
  changed = g_strcmp0 (fest_page_json_string (old, "status"), fest_incident_get_status (self)) != 0 ||
            g_strcmp0 (fest_page_json_string (old, "type"), fest_incident_get_type_name (self)) != 0 ||
            g_strcmp0 (fest_page_json_string (old, "assigned_to"), fest_incident_get_assigned_to (self)) != 0 ||
            g_strcmp0 (fest_page_json_string (old, "description"), fest_incident_get_description (self)) != 0 ||
            fest_page_json_bool (old, "is_abuse", FALSE) != fest_incident_get_is_abuse (self);
  if (changed)
    {
      g_object_freeze_notify (G_OBJECT (self));
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_LABEL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPE]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPE_LABEL]);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCRIPTION]);
      g_object_thaw_notify (G_OBJECT (self));
    }
  return changed;
}

JsonObject *
fest_incident_get_json (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return self->json;
}

const char *
fest_incident_get_id (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (self->json, "id");
}

const char *
fest_incident_get_type_name (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (self->json, "type");
}

const char *
fest_incident_get_status (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (self->json, "status");
}

const char *
fest_incident_get_assigned_to (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (self->json, "assigned_to");
}

const char *
fest_incident_get_description (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (self->json, "description");
}

gboolean
fest_incident_get_is_abuse (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), FALSE);
  return fest_page_json_bool (self->json, "is_abuse", FALSE);
}

static double
location_member (FestIncident *self,
                 const char   *member)
{
  JsonNode *node = json_object_get_member (self->json, "location");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return 0;
  return fest_page_json_double (json_node_get_object (node), member, 0);
}

gboolean
fest_incident_has_location (FestIncident *self)
{
  JsonNode *node;
  JsonObject *location;

  g_return_val_if_fail (FEST_IS_INCIDENT (self), FALSE);

  node = json_object_get_member (self->json, "location");
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  location = json_node_get_object (node);
  return json_object_has_member (location, "lat") && !fest_page_json_is_null (location, "lat") &&
         json_object_has_member (location, "lng") && !fest_page_json_is_null (location, "lng");
}

static JsonObject *
details_member (FestIncident *self,
                const char   *member)
{
  JsonNode *details = json_object_get_member (self->json, "details");
  JsonNode *node;

  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return NULL;
  if (member == NULL)
    return json_node_get_object (details);
  node = json_object_get_member (json_node_get_object (details), member);
  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

const char *
fest_incident_get_gate (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return fest_page_json_string (details_member (self, "second"), "gate");
}

static char *
describe_scan (JsonObject *scan)
{
  g_autofree char *time = fest_page_format_time (fest_page_json_string (scan, "scanned_at"));

  /* Translators: one of the two scans of a duplicate entry: the gate, then the time */
  return g_strdup_printf (_("%s at %s"), fest_page_json_string (scan, "gate"), time != NULL ? time : "?");
}

char *
fest_incident_describe_details (FestIncident *self)
{
  JsonObject *details, *first, *second;
  const char *holder;
  g_autofree char *first_text = NULL;
  g_autofree char *second_text = NULL;

  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);

  details = details_member (self, NULL);
  second = details_member (self, "second");
  if (details == NULL || second == NULL)
    return NULL;
  first = details_member (self, "first");
  holder = fest_page_json_string (details, "holder_name");
  second_text = describe_scan (second);
  if (first != NULL)
    first_text = describe_scan (first);
  else
    first_text = g_strdup (_("an earlier scan"));
  if (holder == NULL || holder[0] == '\0')
    holder = fest_page_json_string (details, "ticket_id");
  /* Translators: a duplicate entry: the ticket's holder, the first scan ("Porte Nord at 21:02"),
   * the second */
  return g_strdup_printf (_("Ticket of %s admitted twice: %s, then %s"), holder != NULL ? holder : "?",
                          first_text, second_text);
}

double
fest_incident_get_latitude (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), 0);
  return location_member (self, "lat");
}

double
fest_incident_get_longitude (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), 0);
  return location_member (self, "lng");
}

gint64
fest_incident_get_created (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), 0);
  return self->created;
}

const char *
fest_incident_get_place (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return self->place;
}

void
fest_incident_set_place (FestIncident *self,
                         const char   *place)
{
  g_return_if_fail (FEST_IS_INCIDENT (self));
  if (set_str (&self->place, place))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PLACE]);
}

const char *
fest_incident_get_assignee (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return self->assignee;
}

void
fest_incident_set_assignee (FestIncident *self,
                            const char   *assignee)
{
  g_return_if_fail (FEST_IS_INCIDENT (self));
  if (set_str (&self->assignee, assignee))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ASSIGNEE]);
}

char *
fest_incident_format_age (gint64 created_us,
                          gint64 now_us)
{
  gint64 minutes;

  if (created_us <= 0)
    return g_strdup ("");
  minutes = MAX (0, now_us - created_us) / G_USEC_PER_SEC / 60;
  if (minutes < 1)
    return g_strdup (_("just now"));
  if (minutes < 60)
    /* Translators: the age of an incident, in minutes */
    return g_strdup_printf (_("%d min ago"), (int) minutes);
  if (minutes < 48 * 60)
    /* Translators: the age of an incident, in hours */
    return g_strdup_printf (_("%d h ago"), (int) (minutes / 60));
  /* Translators: the age of an incident, in days */
  return g_strdup_printf (ngettext ("%d day ago", "%d days ago", (gulong) (minutes / 1440)),
                          (int) (minutes / 1440));
}

void
fest_incident_refresh_age (FestIncident *self,
                           gint64        now_us)
{
  g_autofree char *age = NULL;

  g_return_if_fail (FEST_IS_INCIDENT (self));

  age = fest_incident_format_age (self->created, now_us);
  if (g_strcmp0 (age, self->age) == 0)
    return;
  g_free (self->age);
  self->age = g_steal_pointer (&age);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AGE]);
}

const char *
fest_incident_get_age (FestIncident *self)
{
  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);
  return self->age;
}

char *
fest_incident_describe (FestIncident *self)
{
  GString *text;

  g_return_val_if_fail (FEST_IS_INCIDENT (self), NULL);

  text = g_string_new (fest_incident_type_label (fest_incident_get_type_name (self)));
  g_string_append (text, ", ");
  g_string_append (text, fest_incident_status_label (fest_incident_get_status (self)));
  if (self->place != NULL && self->place[0] != '\0')
    g_string_append_printf (text, ", %s", self->place);
  if (self->age != NULL && self->age[0] != '\0')
    g_string_append_printf (text, ", %s", self->age);
  return g_string_free (text, FALSE);
}
