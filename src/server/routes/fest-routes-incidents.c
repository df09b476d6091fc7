/* fest-routes-incidents.c: incidents: report, list, assign to security, resolve, flag abuse
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Who may do what (DESIGN §11, issue 18). Security leads are a ROLE, SECURITY_LEAD (a bit of
 * FestRoles, given through the members routes like any role, usually with SECURITY): a role
 * rather than a member flag because every permission check already reads roles, a token carries
 * them, and the Team page lists them.
 *  - ORGANISER, SECURITY_LEAD (and SUPERADMIN): see every incident, assign and reassign
 *    (FEST_PERM_INCIDENT_ASSIGN), resolve, flag abuse, reopen.
 *  - SECURITY (not a lead): GET /incidents and GET /incidents/{id} show only the incidents
 *    assigned to them or that they reported (a guard follows their own reports); a security
 *    station's device token sees those its device reported. PATCH: only on an incident assigned
 *    to them (404 if they cannot see it, 403 if they only reported it), and only status
 *    "RESOLVED" and resolution_notes: assigned_to, is_abuse or another status is 403.
 *  - assigned_to must be a member of the festival with role SECURITY or SECURITY_LEAD (400 on
 *    assigned_to otherwise).
 * GET /incidents filters: status (one or a comma-separated list of OPEN ASSIGNED RESOLVED), type,
 * assigned_to (an account id, or "me"), since (RFC 3339, created_at >= since); newest first;
 * ?page=&per_page= with meta.total. A bad value is 400 VALIDATION_FAILED naming the parameter.
 * The same rules hold for the incident.update op of POST /sync (fest-routes-sync.c).
 */

#include "config.h"

#include "fest-core.h"
#include "fest-incidents-repo.h"
#include "fest-incidents.h"
#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-routes-incidents-private.h"
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

/* Whether the caller sees and manages every incident. */
static gboolean
can_assign (const FestAuth *auth)
{
  return fest_roles_allow (auth->roles, FEST_PERM_INCIDENT_ASSIGN);
}

gboolean
_fest_incidents_check_assignee (FestRequest *req,
                                const char  *account_id,
                                GError     **error)
{
  const FestAuth *auth = fest_request_get_auth (req);
  FestRoles roles = 0;

  if (account_id == NULL)
    return TRUE;
  /* Only a SECURITY member of this festival can take an incident. */
  if (fest_platform_store_get_roles (fest_server_get_platform (fest_request_get_server (req)),
                                     auth->festival_id, account_id, &roles) &&
      (roles & (FEST_ROLE_SECURITY | FEST_ROLE_SECURITY_LEAD)) != 0)
    return TRUE;
  g_propagate_error (error, fest_error_validation ("assigned_to",
                                                   "assigned_to must be a SECURITY member of the festival"));
  return FALSE;
}

void
_fest_incidents_restrict_patch (FestRequest       *req,
                                FestIncidentPatch *patch)
{
  const FestAuth *auth = fest_request_get_auth (req);

  if (can_assign (auth))
    return;
  patch->restricted = TRUE;
  patch->restricted_account = g_strdup (auth->account_id);
  patch->restricted_device = auth->account_id == NULL ? g_strdup (auth->device_id) : NULL;
}

/* Whether every element of the comma-separated @list is a status. */
static gboolean
statuses_are_valid (const char *list)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  if (parts[0] == NULL)
    return FALSE;
  for (guint i = 0; parts[i] != NULL; i++)
    if (!fest_incident_status_is_valid (parts[i]))
      return FALSE;
  return TRUE;
}

/* GET /incidents */

static void
list_incidents (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const FestAuth *auth = fest_request_get_auth (req);
  const char *status = fest_request_get_query (req, "status");
  const char *type = fest_request_get_query (req, "type");
  const char *assigned_to = fest_request_get_query (req, "assigned_to");
  const char *since = fest_request_get_query (req, "since");
  g_autofree char *since_normalized = NULL;
  g_autoptr(GError) error = NULL;
  FestIncidentFilter filter = { 0, };
  JsonNode *array;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  if (status != NULL && !statuses_are_valid (status))
    error = fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED, or a comma-separated list"
                                             " of them");
  else if (type != NULL && !fest_incident_type_is_valid (type))
    error = fest_error_validation ("type", "type must be one of FIGHT, THEFT, MEDICAL, FIRE, LOST_PERSON, SOS,"
                                           " OTHER, DUPLICATE_ENTRY");
  else if (assigned_to != NULL && g_str_equal (assigned_to, "me") && auth->account_id == NULL)
    error = fest_error_validation ("assigned_to", "assigned_to=me needs a member's token: a device is assigned"
                                                  " nothing");
  else if (assigned_to != NULL && !g_str_equal (assigned_to, "me") && !fest_uuid_is_valid (assigned_to))
    error = fest_error_validation ("assigned_to", "assigned_to must be an account id or \"me\"");
  else if (since != NULL && (since_normalized = fest_time_normalize (since)) == NULL)
    error = fest_error_validation ("since", "since must be an RFC 3339 time with an offset");
  if (error != NULL)
    return fest_request_reply_gerror (req, error);

  filter.statuses = status;
  filter.type = type;
  filter.assigned_to = assigned_to != NULL && g_str_equal (assigned_to, "me") ? auth->account_id : assigned_to;
  filter.since = since_normalized;
  if (!can_assign (auth))
    {
      filter.restricted = TRUE;
      filter.visible_account = auth->account_id;
      filter.visible_device = auth->account_id == NULL ? auth->device_id : NULL;
    }
  array = fest_incidents_repo_list (store, &filter, page, per_page, &total, &error);
  if (array == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_list (req, array, total, page, per_page);
}

/* GET /incidents/{id} */

static void
get_incident (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  JsonNode *incident;

  incident = fest_incidents_repo_read (fest_request_get_store (req), id, &error);
  if (incident == NULL)
    return fest_request_reply_gerror (req, error);
  if (!can_assign (auth))
    {
      JsonObject *object = json_node_get_object (incident);
      const char *account = auth->account_id;
      gboolean visible;

      if (account != NULL)
        visible = g_strcmp0 (json_object_get_string_member (object, "assigned_to"), account) == 0 ||
                  g_strcmp0 (json_object_get_string_member (object, "reporter_id"), account) == 0;
      else
        visible = auth->device_id != NULL &&
                  g_strcmp0 (json_object_get_string_member (object, "reporter_device_id"), auth->device_id) == 0;
      if (!visible)
        {
          json_node_unref (incident);
          return fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such incident", NULL);
        }
    }
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
  JsonObject *body;
  g_autoptr(GError) error = NULL;
  PatchJob *job;

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
  if (!fest_incident_patch_parse (body, can_assign (fest_request_get_auth (req)), &job->patch, &error) ||
      !_fest_incidents_check_assignee (req, job->patch.assigned_to, &error))
    {
      patch_job_free (job);
      return fest_request_reply_gerror (req, error);
    }
  _fest_incidents_restrict_patch (req, &job->patch);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, patch_func, job, patch_job_free, SOUP_STATUS_OK);
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
