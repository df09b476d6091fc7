/* fest-routes-incidents.c: incidents: report, list, assign to security, resolve, flag abuse
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-incidents-repo.h"
#include "fest-incidents.h"
#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-routes-util.h"
#include "fest-server.h"

/* POST /incidents */

typedef struct
{
  FestIncidentInput input;
  FestActor        *actor;
} CreateJob;

static void
create_job_free (gpointer data)
{
  CreateJob *job = data;

  fest_incident_input_clear (&job->input);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
create_func (FestWriteCtx   *ctx,
             gpointer        job_data,
             gpointer       *result,
             GDestroyNotify *result_free,
             GError        **error)
{
  CreateJob *job = job_data;

  *result = fest_incidents_create (ctx, &job->input, job->actor, error);
  *result_free = (GDestroyNotify) json_node_unref;
  return *result != NULL;
}

static void
create_incident (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  CreateJob *job;

  if (body == NULL)
    return;
  job = g_new0 (CreateJob, 1);
  if (!fest_incident_input_parse (body, &job->input, &error))
    {
      create_job_free (job);
      return fest_request_reply_gerror (req, error);
    }
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, create_func, job, create_job_free, SOUP_STATUS_CREATED);
}

/* GET /incidents */

static void
list_incidents (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const char *status = fest_request_get_query (req, "status");
  const char *type = fest_request_get_query (req, "type");
  g_autoptr(GError) error = NULL;
  JsonNode *array;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  if (status != NULL && !fest_incident_status_is_valid (status))
    {
      error = fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED");
      return fest_request_reply_gerror (req, error);
    }
  if (type != NULL && !fest_incident_type_is_valid (type))
    {
      error = fest_error_validation ("type", "unknown incident type");
      return fest_request_reply_gerror (req, error);
    }

  array = fest_incidents_repo_list (store, status, type, page, per_page, &total, &error);
  if (array == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_list (req, array, total, page, per_page);
}

/* GET /incidents/{id} */

static void
get_incident (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  JsonNode *incident;

  incident = fest_incidents_repo_read (fest_request_get_store (req), id, &error);
  if (incident == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_data (req, SOUP_STATUS_OK, incident);
}

/* PATCH /incidents/{id} */

typedef struct
{
  FestIncidentPatch patch;
  FestActor        *actor;
} PatchJob;

static void
patch_job_free (gpointer data)
{
  PatchJob *job = data;

  fest_incident_patch_clear (&job->patch);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
patch_func (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  PatchJob *job = job_data;

  *result = fest_incidents_update (ctx, &job->patch, job->actor, error);
  *result_free = (GDestroyNotify) json_node_unref;
  return *result != NULL;
}

static void
patch_incident (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  const FestAuth *auth = fest_request_get_auth (req);
  JsonObject *body;
  g_autoptr(GError) error = NULL;
  PatchJob *job;
  const char *text = NULL;

  if (!fest_uuid_is_valid (id))
    {
      error = g_error_new (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", id);
      return fest_request_reply_gerror (req, error);
    }
  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  job = g_new0 (PatchJob, 1);
  job->patch.id = g_strdup (id);

  if (json_object_has_member (body, "assigned_to"))
    {
      job->patch.set_assigned = TRUE;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (body, "assigned_to")))
        {
          FestRoles roles = 0;

          if (!fest_json_get_uuid (body, "assigned_to", TRUE, &text, &error))
            goto invalid;
          /* Only a SECURITY member of this festival can take an incident. */
          if (!fest_platform_store_get_roles (fest_server_get_platform (fest_request_get_server (req)),
                                              auth->festival_id, text, &roles) ||
              (roles & FEST_ROLE_SECURITY) == 0)
            {
              error = fest_error_validation ("assigned_to", "assigned_to must be a SECURITY member of the festival");
              goto invalid;
            }
          job->patch.assigned_to = g_strdup (text);
        }
    }
  if (json_object_has_member (body, "status"))
    {
      if (!fest_json_get_string (body, "status", TRUE, &text, &error))
        goto invalid;
      if (!fest_incident_status_is_valid (text))
        {
          error = fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED");
          goto invalid;
        }
      job->patch.status = g_strdup (text);
    }
  if (json_object_has_member (body, "resolution_notes"))
    {
      job->patch.set_notes = TRUE;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (body, "resolution_notes")))
        {
          if (!fest_json_get_text (body, "resolution_notes", TRUE, 4000, &text, &error))
            goto invalid;
          job->patch.resolution_notes = g_strstrip (g_strdup (text));
        }
    }
  if (json_object_has_member (body, "is_abuse"))
    {
      job->patch.set_abuse = TRUE;
      if (!fest_json_get_bool (body, "is_abuse", TRUE, &job->patch.is_abuse, &error))
        goto invalid;
    }
  if (!job->patch.set_assigned && job->patch.status == NULL && !job->patch.set_notes && !job->patch.set_abuse)
    {
      error = fest_error_validation ("status", "nothing to change: give assigned_to, status, resolution_notes"
                                               " or is_abuse");
      goto invalid;
    }

  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, patch_func, job, patch_job_free, SOUP_STATUS_OK);
  return;

invalid:
  patch_job_free (job);
  fest_request_reply_gerror (req, error);
}

void
fest_routes_incidents_register (FestRouter *router)
{
  fest_router_add_full (router, "POST", "/incidents", FEST_ROUTE_FESTIVAL, FEST_PERM_INCIDENT_CREATE,
                        FEST_RATE_CLASS_INCIDENT, create_incident);
  fest_router_add (router, "GET", "/incidents", FEST_ROUTE_FESTIVAL, FEST_PERM_INCIDENT_READ, list_incidents);
  fest_router_add (router, "GET", "/incidents/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_INCIDENT_READ, get_incident);
  fest_router_add (router, "PATCH", "/incidents/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_INCIDENT_MANAGE,
                   patch_incident);
}
