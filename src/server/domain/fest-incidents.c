/* fest-incidents.c: incidents as write jobs, shared by the incidents routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-incidents-repo.h"
#include "fest-incidents.h"
#include "fest-live-util.h"

static const char * const incident_types[] = {
  "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS", "OTHER", NULL,
};

/* Who reports these may have no time to type (a guard in a fight, a medic kneeling): the type and
 * the position are the report, a description is welcome but not required. */
static const char * const urgent_types[] = { "SOS", "MEDICAL", "FIRE", NULL, };

static const char * const incident_statuses[] = { "OPEN", "ASSIGNED", "RESOLVED", NULL, };

gboolean
fest_incident_type_is_valid (const char *type)
{
  return type != NULL && g_strv_contains (incident_types, type);
}

gboolean
fest_incident_status_is_valid (const char *status)
{
  return status != NULL && g_strv_contains (incident_statuses, status);
}

static gboolean
is_blank (const char *text)
{
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

void
fest_incident_input_clear (FestIncidentInput *input)
{
  g_clear_pointer (&input->type, g_free);
  g_clear_pointer (&input->description, g_free);
  g_clear_pointer (&input->created_at, g_free);
}

gboolean
fest_incident_input_parse (JsonObject        *body,
                           FestIncidentInput *input,
                           GError           **error)
{
  const char *type = NULL;
  const char *description = NULL;

  if (!fest_json_get_string (body, "type", TRUE, &type, error))
    return FALSE;
  if (!g_strv_contains (incident_types, type))
    {
      g_propagate_error (error, fest_error_validation ("type", "type must be one of FIGHT, THEFT, MEDICAL, FIRE,"
                                                               " LOST_PERSON, SOS, OTHER"));
      return FALSE;
    }
  if (!fest_json_get_location (body, "location", TRUE, &input->lat, &input->lng, error) ||
      !fest_json_get_string (body, "description", FALSE, &description, error))
    return FALSE;
  if (description != NULL && g_strv_contains (urgent_types, type) && is_blank (description))
    description = NULL;
  else if (!fest_json_get_text (body, "description", FALSE, 2000, &description, error))
    return FALSE;

  input->type = g_strdup (type);
  input->description = description != NULL ? g_strstrip (g_strdup (description)) : NULL;
  return TRUE;
}

void
fest_incident_patch_clear (FestIncidentPatch *patch)
{
  g_clear_pointer (&patch->id, g_free);
  g_clear_pointer (&patch->assigned_to, g_free);
  g_clear_pointer (&patch->status, g_free);
  g_clear_pointer (&patch->resolution_notes, g_free);
}

JsonNode *
fest_incidents_create (FestWriteCtx            *ctx,
                       const FestIncidentInput *input,
                       const FestActor         *actor,
                       GError                 **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autoptr(JsonNode) incident = NULL;
  FestIncidentRow row = {
    .id = id,
    .type = input->type,
    .lat = input->lat,
    .lng = input->lng,
    .description = input->description,
    .reporter_id = actor ? actor->account_id : NULL,
    .reporter_device_id = actor ? actor->device_id : NULL,
    .created_at = input->created_at != NULL ? input->created_at : now,
    .received_at = now,
  };

  if (!fest_incidents_repo_insert (ctx, &row, error))
    return NULL;

  incident = fest_incidents_repo_get (ctx, id, error);
  if (incident == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "incident.create", "incident", id, NULL, incident, error))
    return NULL;
  fest_write_ctx_emit (ctx, "incident:new", fest_live_json_deep_copy (incident));
  return g_steal_pointer (&incident);
}

JsonNode *
fest_incidents_update (FestWriteCtx            *ctx,
                       const FestIncidentPatch *patch,
                       const FestActor         *actor,
                       GError                 **error)
{
  g_autoptr(JsonNode) old = NULL;
  g_autoptr(JsonNode) incident = NULL;
  g_autofree char *now = fest_time_now ();
  JsonObject *old_object;
  const char *old_status;
  const char *old_assigned;
  const char *assigned_to;
  const char *status;
  const char *notes;
  const char *resolved_at;
  gboolean is_abuse;

  old = fest_incidents_repo_get (ctx, patch->id, error);
  if (old == NULL)
    return NULL;
  old_object = json_node_get_object (old);
  old_status = json_object_get_string_member (old_object, "status");
  old_assigned = json_object_get_string_member (old_object, "assigned_to");

  assigned_to = patch->set_assigned ? patch->assigned_to : old_assigned;
  status = old_status;
  if (patch->status != NULL)
    status = patch->status;
  else if (patch->set_assigned && !g_str_equal (old_status, "RESOLVED"))
    status = assigned_to != NULL ? "ASSIGNED" : "OPEN";
  if (g_str_equal (status, "ASSIGNED") && assigned_to == NULL)
    {
      g_propagate_error (error, fest_error_validation ("assigned_to", "an ASSIGNED incident needs assigned_to"));
      return NULL;
    }
  notes = patch->set_notes ? patch->resolution_notes : json_object_get_string_member (old_object, "resolution_notes");
  is_abuse = patch->set_abuse ? patch->is_abuse : json_object_get_boolean_member (old_object, "is_abuse");
  if (g_str_equal (status, "RESOLVED"))
    {
      resolved_at = json_object_get_string_member (old_object, "resolved_at");
      if (resolved_at == NULL)
        resolved_at = now;
    }
  else
    resolved_at = NULL;

  if (!fest_incidents_repo_update (ctx, patch->id, assigned_to, status, notes, is_abuse, resolved_at, now, error))
    return NULL;

  incident = fest_incidents_repo_get (ctx, patch->id, error);
  if (incident == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "incident.update", "incident", patch->id, old, incident, error))
    return NULL;

  if (assigned_to != NULL && g_strcmp0 (assigned_to, old_assigned) != 0)
    fest_write_ctx_emit (ctx, "incident:assigned", fest_live_json_deep_copy (incident));
  if (g_str_equal (status, "RESOLVED") && !g_str_equal (old_status, "RESOLVED"))
    fest_write_ctx_emit (ctx, "incident:resolved", fest_live_json_deep_copy (incident));
  else if (assigned_to == NULL || g_strcmp0 (assigned_to, old_assigned) == 0)
    fest_write_ctx_emit (ctx, "incident:updated", fest_live_json_deep_copy (incident));

  return g_steal_pointer (&incident);
}
