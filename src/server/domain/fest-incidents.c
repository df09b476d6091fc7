/* fest-incidents.c: incidents as write jobs, shared by the incidents routes and /sync
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-gates-repo.h"
#include "fest-incidents-repo.h"
#include "fest-incidents.h"
#include "fest-live-util.h"

/* What a member may report. */
static const char * const incident_types[] = {
  "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS", "OTHER", NULL,
};
/* What the server raises itself. */
#define DUPLICATE_ENTRY "DUPLICATE_ENTRY"

/* Who reports these may have no time to type (a guard in a fight, a medic kneeling): the type and
 * the position are the report, a description is welcome but not required. */
static const char * const urgent_types[] = { "SOS", "MEDICAL", "FIRE", NULL, };

static const char * const incident_statuses[] = { "OPEN", "ASSIGNED", "RESOLVED", NULL, };

gboolean
fest_incident_type_is_valid (const char *type)
{
  return type != NULL && (g_strv_contains (incident_types, type) || g_str_equal (type, DUPLICATE_ENTRY));
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
  g_clear_pointer (&patch->restricted_account, g_free);
  g_clear_pointer (&patch->restricted_device, g_free);
  g_clear_pointer (&patch->station_time, g_free);
  g_clear_pointer (&patch->assigned_to, g_free);
  g_clear_pointer (&patch->status, g_free);
  g_clear_pointer (&patch->resolution_notes, g_free);
}

static GError *
forbidden (const char *what)
{
  return g_error_new (FEST_ERROR, FEST_ERROR_FORBIDDEN,
                      "Only an organiser or a security lead may %s", what);
}

gboolean
fest_incident_patch_parse (JsonObject        *body,
                           gboolean           can_assign,
                           FestIncidentPatch *patch,
                           GError           **error)
{
  const char *text = NULL;

  if (json_object_has_member (body, "assigned_to"))
    {
      if (!can_assign)
        {
          g_propagate_error (error, forbidden ("assign an incident"));
          return FALSE;
        }
      patch->set_assigned = TRUE;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (body, "assigned_to")))
        {
          if (!fest_json_get_uuid (body, "assigned_to", TRUE, &text, error))
            return FALSE;
          patch->assigned_to = g_strdup (text);
        }
    }
  if (json_object_has_member (body, "status"))
    {
      if (!fest_json_get_string (body, "status", TRUE, &text, error))
        return FALSE;
      if (!fest_incident_status_is_valid (text))
        {
          g_propagate_error (error, fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED"));
          return FALSE;
        }
      if (!can_assign && !g_str_equal (text, "RESOLVED"))
        {
          g_propagate_error (error, forbidden ("reopen an incident"));
          return FALSE;
        }
      patch->status = g_strdup (text);
    }
  if (json_object_has_member (body, "resolution_notes"))
    {
      patch->set_notes = TRUE;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (body, "resolution_notes")))
        {
          if (!fest_json_get_text (body, "resolution_notes", TRUE, 4000, &text, error))
            return FALSE;
          patch->resolution_notes = g_strstrip (g_strdup (text));
        }
    }
  if (json_object_has_member (body, "is_abuse"))
    {
      if (!can_assign)
        {
          g_propagate_error (error, forbidden ("flag an incident as abuse"));
          return FALSE;
        }
      patch->set_abuse = TRUE;
      if (!fest_json_get_bool (body, "is_abuse", TRUE, &patch->is_abuse, error))
        return FALSE;
    }
  if (!patch->set_assigned && patch->status == NULL && !patch->set_notes && !patch->set_abuse)
    {
      g_propagate_error (error, fest_error_validation ("status", "nothing to change: give assigned_to, status,"
                                                                 " resolution_notes or is_abuse"));
      return FALSE;
    }
  return TRUE;
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
    .has_position = TRUE,
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

static JsonNode *
scan_json (const FestIncidentScan *scan)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "gate", scan->gate);
  json_object_set_string_member (object, "scanned_at", scan->scanned_at);
  fest_json_set_nullable_string (object, "device_id", scan->device_id);
  return fest_live_object_node (object);
}

gboolean
fest_incidents_raise_duplicate_entry (FestWriteCtx           *ctx,
                                      const char             *ticket_id,
                                      const char             *holder_name,
                                      const FestIncidentScan *first,
                                      const FestIncidentScan *second,
                                      const FestActor        *actor,
                                      JsonNode              **incident,
                                      GError                **error)
{
  g_autofree char *id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *source_key = g_strconcat ("scan:", second->scan_id, NULL);
  g_autofree char *details_text = NULL;
  g_autoptr(JsonNode) details = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gboolean exists = FALSE;
  gboolean has_position = FALSE;
  double lat = 0, lng = 0;
  FestIncidentRow row = { 0, };

  *incident = NULL;
  if (!fest_incidents_repo_has_source (ctx, source_key, &exists, error))
    return FALSE;
  if (exists)
    return TRUE;
  if (!fest_gates_repo_position (ctx, second->gate, &has_position, &lat, &lng, error))
    return FALSE;

  object = json_object_new ();
  json_object_set_string_member (object, "ticket_id", ticket_id);
  fest_json_set_nullable_string (object, "holder_name", holder_name);
  if (first != NULL)
    json_object_set_member (object, "first", scan_json (first));
  else
    json_object_set_null_member (object, "first");
  json_object_set_member (object, "second", scan_json (second));
  details = fest_live_object_node (object);
  details_text = fest_json_to_string (details, NULL);

  id = fest_uuid_new ();
  now = fest_time_now ();
  row.id = id;
  row.type = DUPLICATE_ENTRY;
  row.has_position = has_position;
  row.lat = lat;
  row.lng = lng;
  row.details = details_text;
  row.source_key = source_key;
  row.created_at = now;
  row.received_at = now;
  if (!fest_incidents_repo_insert (ctx, &row, error))
    return FALSE;
  node = fest_incidents_repo_get (ctx, id, error);
  if (node == NULL)
    return FALSE;
  if (!fest_write_ctx_audit (ctx, actor, "incident.create", "incident", id, NULL, node, error))
    return FALSE;
  fest_write_ctx_emit (ctx, "incident:new", fest_live_json_deep_copy (node));
  *incident = g_steal_pointer (&node);
  return TRUE;
}

/* NOT_FOUND when a restricted caller cannot see the incident, FORBIDDEN when it is not theirs. */
static gboolean
check_restricted (const FestIncidentPatch *patch,
                  JsonObject              *old_object,
                  GError                 **error)
{
  const char *assigned = json_object_get_string_member (old_object, "assigned_to");
  const char *reporter = json_object_get_string_member (old_object, "reporter_id");
  const char *device = json_object_get_string_member (old_object, "reporter_device_id");
  const char *account = patch->restricted_account;

  if (account != NULL && g_strcmp0 (assigned, account) == 0)
    return TRUE;
  if ((account != NULL && g_strcmp0 (reporter, account) == 0) ||
      (patch->restricted_device != NULL && g_strcmp0 (device, patch->restricted_device) == 0))
    g_set_error (error, FEST_ERROR, FEST_ERROR_FORBIDDEN,
                 "Only the security member it is assigned to, a security lead or an organiser may change this incident");
  else
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", patch->id);
  return FALSE;
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
  if (patch->restricted && !check_restricted (patch, old_object, error))
    return NULL;
  /* Offline, the world moved on: someone resolved it first, and that resolution stands. */
  if (patch->resolve_once && g_str_equal (old_status, "RESOLVED") && g_strcmp0 (patch->status, "RESOLVED") == 0)
    return g_steal_pointer (&old);

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
