/* fest-routes-gates.c: the festival's gates: GET/POST /gates, GET/PATCH/DELETE /gates/{id}
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A gate {id, name, location, created_at, updated_at} is an entrance the scanner stations pick from
 * instead of typing a gate name. name: 1..80 characters, unique in the festival whatever its case
 * (409 CONFLICT with details {field: "name", gate_id} otherwise); location: null or
 * {lat, lng, zone?} (zone: short free text, nullable). Organisers manage them (audit rows
 * gate.create, gate.update, gate.delete; event "gate:updated", with "deleted": true for a delete);
 * every staff member reads them. A scan keeps the gate's name as text: renaming or deleting a gate
 * leaves past scans as they were. A DUPLICATE_ENTRY incident is placed at its gate's position
 * (domain/fest-incidents.c).
 */

#include "config.h"

#include "fest-core.h"
#include "fest-crud-private.h"
#include "fest-gates-repo.h"
#include "fest-live-util.h"
#include "fest-router.h"
#include "fest-routes-util.h"
#include "fest-routes.h"

#define MAX_GATE_NAME_CHARS 80

static JsonNode *
gate_to_json (gconstpointer row)
{
  const FestGateRow *gate = row;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", gate->id);
  json_object_set_string_member (object, "name", gate->name);
  fest_routes_set_location (object, gate->has_location, gate->lat, gate->lng, gate->zone);
  json_object_set_string_member (object, "created_at", gate->created_at);
  json_object_set_string_member (object, "updated_at", gate->updated_at);
  return fest_live_object_node (object);
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_name, set_location;
  FestGateRow     gate;
} GateJob;

static void
gate_job_free (gpointer data)
{
  GateJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_gate_row_clear (&job->gate);
  g_free (job);
}

static gboolean
gate_parse (JsonObject *body,
            gboolean    create,
            gpointer    job_data,
            GError    **error)
{
  GateJob *job = job_data;
  FestRoutesLocation location = { 0, };
  const char *text = NULL;

  if (json_object_has_member (body, "name"))
    {
      if (!fest_json_get_text (body, "name", TRUE, MAX_GATE_NAME_CHARS, &text, error))
        return FALSE;
      job->gate.name = g_strstrip (g_strdup (text));
      if (*job->gate.name == '\0')
        {
          g_propagate_error (error, fest_error_validation ("name", "name must not be empty"));
          return FALSE;
        }
      job->set_name = TRUE;
    }
  else if (create)
    {
      g_propagate_error (error, fest_error_validation ("name", "name is required"));
      return FALSE;
    }

  if (!fest_routes_parse_location (body, &location, error))
    {
      fest_routes_location_clear (&location);
      return FALSE;
    }
  job->set_location = location.set;
  job->gate.has_location = location.has_position;
  job->gate.lat = location.lat;
  job->gate.lng = location.lng;
  job->gate.zone = g_steal_pointer (&location.zone);

  if (!create && !job->set_name && !job->set_location)
    {
      g_propagate_error (error, fest_error_validation ("name", "nothing to change: give name or location"));
      return FALSE;
    }
  return TRUE;
}

static const FestCrudKind gate_kind = {
  .name = "gate",
  .table = &fest_gates_table,
  .event = "gate:updated",
  .to_json = gate_to_json,
  .job_size = sizeof (GateJob),
  .parse = gate_parse,
  .job_free = gate_job_free,
};

/* Writer thread */

/* CONFLICT when another gate has @name. */
static gboolean
check_name_free (FestWriteCtx *ctx,
                 const char   *name,
                 const char   *except_id,
                 GError      **error)
{
  g_autofree char *other = NULL;
  JsonObject *object;
  JsonNode *details;

  if (!fest_gates_repo_find_name (ctx, name, except_id, &other, error))
    return FALSE;
  if (other == NULL)
    return TRUE;
  object = json_object_new ();
  json_object_set_string_member (object, "field", "name");
  json_object_set_string_member (object, "gate_id", other);
  details = fest_live_object_node (object);
  g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, details,
                                                         "Another gate is already called %s", name));
  return FALSE;
}

static gboolean
finish_write (FestWriteCtx    *ctx,
              const char      *action,
              const FestGateRow *gate,
              const FestActor *actor,
              JsonNode        *old_node,
              gpointer        *result,
              GDestroyNotify  *result_free,
              GError         **error)
{
  JsonNode *node = gate_to_json (gate);

  if (!fest_write_ctx_audit (ctx, actor, action, "gate", gate->id, old_node, node, error))
    {
      json_node_unref (node);
      return FALSE;
    }
  fest_write_ctx_emit (ctx, "gate:updated", json_node_copy (node));
  return fest_crud_take_result (node, result, result_free);
}

static gboolean
gate_create_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  GateJob *job = job_data;

  if (!check_name_free (ctx, job->gate.name, NULL, error))
    return FALSE;
  job->gate.id = fest_uuid_new ();
  job->gate.created_at = fest_time_now ();
  job->gate.updated_at = g_strdup (job->gate.created_at);
  if (!fest_gates_repo_write (ctx, &job->gate, TRUE, error))
    return FALSE;
  return finish_write (ctx, "gate.create", &job->gate, job->head.actor, NULL, result, result_free, error);
}

static gboolean
gate_update_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  GateJob *job = job_data;
  g_auto(FestGateRow) gate = { 0, };
  g_autoptr(JsonNode) old_node = NULL;

  if (!fest_crud_load_row (ctx, &gate_kind, job->head.id, NULL, &gate, error))
    return FALSE;
  old_node = gate_to_json (&gate);
  if (job->set_name)
    {
      if (!check_name_free (ctx, job->gate.name, gate.id, error))
        return FALSE;
      g_free (gate.name);
      gate.name = g_strdup (job->gate.name);
    }
  if (job->set_location)
    {
      gate.has_location = job->gate.has_location;
      gate.lat = job->gate.lat;
      gate.lng = job->gate.lng;
      g_free (gate.zone);
      gate.zone = g_strdup (job->gate.zone);
    }
  g_free (gate.updated_at);
  gate.updated_at = fest_time_now ();
  if (!fest_gates_repo_write (ctx, &gate, FALSE, error))
    return FALSE;
  return finish_write (ctx, "gate.update", &gate, job->head.actor, old_node, result, result_free, error);
}

static gboolean
gate_delete_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  return fest_crud_delete_write (ctx, &gate_kind, job_data, result, result_free, error);
}

/* Handlers */

static void
gates_list (FestRequest *req)
{
  fest_crud_reply_list (req, &gate_kind);
}

static void
gates_get (FestRequest *req)
{
  fest_crud_reply_one (req, &gate_kind);
}

static void
gates_create (FestRequest *req)
{
  fest_crud_queue_write (req, &gate_kind, 201, gate_create_write, FALSE, TRUE);
}

static void
gates_update (FestRequest *req)
{
  fest_crud_queue_write (req, &gate_kind, 200, gate_update_write, TRUE, TRUE);
}

static void
gates_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &gate_kind, 200, gate_delete_write, TRUE, FALSE);
}

void
fest_routes_gates_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/gates", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, gates_list);
  fest_router_add (router, "POST", "/gates", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, gates_create);
  fest_router_add (router, "GET", "/gates/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_READ, gates_get);
  fest_router_add (router, "PATCH", "/gates/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, gates_update);
  fest_router_add (router, "DELETE", "/gates/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_CATALOG_MANAGE, gates_delete);
}
