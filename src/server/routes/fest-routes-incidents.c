/* fest-routes-incidents.c: incidents: report, list, assign to security, resolve, flag abuse
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-demo.h"
#include "fest-incidents.h"
#include "fest-live-util.h"
#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-server.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

static const char * const incident_types[] = {
  "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS", "OTHER", NULL,
};

/* Who reports these may have no time to type (a guard in a fight, a medic kneeling): the type and
 * the position are the report, a description is welcome but not required. */
static const char * const urgent_types[] = { "SOS", "MEDICAL", "FIRE", NULL, };

static const char * const incident_statuses[] = { "OPEN", "ASSIGNED", "RESOLVED", NULL, };

/* Shared with /sync */

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

JsonNode *
fest_incident_json_from_stmt (sqlite3_stmt *stmt,
                              int           c)
{
  JsonObject *object = json_object_new ();
  JsonObject *location = json_object_new ();

  fest_live_set_text_column (object, "id", stmt, c + 0);
  fest_live_set_text_column (object, "type", stmt, c + 1);
  json_object_set_double_member (location, "lat", sqlite3_column_double (stmt, c + 2));
  json_object_set_double_member (location, "lng", sqlite3_column_double (stmt, c + 3));
  json_object_set_object_member (object, "location", location);
  fest_live_set_text_column (object, "description", stmt, c + 4);
  fest_live_set_text_column (object, "status", stmt, c + 5);
  fest_live_set_text_column (object, "reporter_id", stmt, c + 6);
  fest_live_set_text_column (object, "reporter_device_id", stmt, c + 7);
  fest_live_set_text_column (object, "assigned_to", stmt, c + 8);
  fest_live_set_text_column (object, "resolved_at", stmt, c + 9);
  fest_live_set_text_column (object, "resolution_notes", stmt, c + 10);
  json_object_set_boolean_member (object, "is_abuse", sqlite3_column_int (stmt, c + 11) != 0);
  fest_live_set_text_column (object, "created_at", stmt, c + 12);
  fest_live_set_text_column (object, "updated_at", stmt, c + 13);
  /* The server's own time of arrival: created_at may be a station's clock (offline reports). */
  fest_live_set_text_column (object, "received_at", stmt, c + 14);
  return fest_live_object_node (object);
}

static JsonNode *
load_incident (FestWriteCtx *ctx,
               const char   *id,
               GError      **error)
{
  sqlite3_stmt *stmt;
  JsonNode *node = NULL;
  int rc;

  stmt = fest_write_ctx_prepare (ctx, "SELECT " FEST_INCIDENT_COLUMNS " FROM incidents WHERE id = ?1", error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, id))
    return fest_live_stmt_error (stmt, error), NULL;
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    node = fest_incident_json_from_stmt (stmt, 0);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", id);
  else
    fest_sqlite_error (sqlite3_db_handle (stmt), error);
  sqlite3_reset (stmt);
  return node;
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
  sqlite3_stmt *stmt;

  stmt = fest_write_ctx_prepare (ctx,
                                 "INSERT INTO incidents (id, type, lat, lng, description, status, reporter_id,"
                                 " reporter_device_id, is_abuse, created_at, updated_at, received_at)"
                                 " VALUES (?1, ?2, ?3, ?4, ?5, 'OPEN', ?6, ?7, 0, ?8, ?9, ?9)",
                                 error);
  if (stmt == NULL)
    return NULL;
  if (!fest_live_bind_text (stmt, 1, id) || !fest_live_bind_text (stmt, 2, input->type) ||
      sqlite3_bind_double (stmt, 3, input->lat) != SQLITE_OK ||
      sqlite3_bind_double (stmt, 4, input->lng) != SQLITE_OK ||
      !fest_live_bind_text (stmt, 5, input->description) ||
      !fest_live_bind_text (stmt, 6, actor ? actor->account_id : NULL) ||
      !fest_live_bind_text (stmt, 7, actor ? actor->device_id : NULL) ||
      !fest_live_bind_text (stmt, 8, input->created_at != NULL ? input->created_at : now) ||
      !fest_live_bind_text (stmt, 9, now))
    return fest_live_stmt_error (stmt, error), NULL;
  if (!fest_live_step_done (stmt, error))
    return NULL;

  incident = load_incident (ctx, id, error);
  if (incident == NULL)
    return NULL;
  if (!fest_write_ctx_audit (ctx, actor, "incident.create", "incident", id, NULL, incident, error))
    return NULL;
  fest_write_ctx_emit (ctx, "incident:new", fest_live_json_deep_copy (incident));
  return g_steal_pointer (&incident);
}

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
  fest_live_write_reply_data (req, create_func, job, create_job_free, SOUP_STATUS_CREATED);
}

/* GET /incidents */

static void
list_incidents (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const char *status = fest_request_get_query (req, "status");
  const char *type = fest_request_get_query (req, "type");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = json_array_new ();
  sqlite3_stmt *stmt;
  gint64 total;
  guint page, per_page;
  int rc;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  if (status != NULL && !g_strv_contains (incident_statuses, status))
    {
      error = fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED");
      return fest_request_reply_gerror (req, error);
    }
  if (type != NULL && !g_strv_contains (incident_types, type))
    {
      error = fest_error_validation ("type", "unknown incident type");
      return fest_request_reply_gerror (req, error);
    }

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT COUNT(*) FROM incidents"
                                           " WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR type = ?2)",
                                           &error);
  if (stmt == NULL)
    return fest_request_reply_gerror (req, error);
  fest_live_bind_text (stmt, 1, status);
  fest_live_bind_text (stmt, 2, type);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      fest_live_stmt_error (stmt, &error);
      return fest_request_reply_gerror (req, error);
    }
  total = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT " FEST_INCIDENT_COLUMNS " FROM incidents"
                                           " WHERE (?1 IS NULL OR status = ?1) AND (?2 IS NULL OR type = ?2)"
                                           " ORDER BY created_at DESC, id LIMIT ?3 OFFSET ?4",
                                           &error);
  if (stmt == NULL)
    return fest_request_reply_gerror (req, error);
  fest_live_bind_text (stmt, 1, status);
  fest_live_bind_text (stmt, 2, type);
  sqlite3_bind_int64 (stmt, 3, per_page);
  sqlite3_bind_int64 (stmt, 4, (gint64) (page - 1) * per_page);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_element (array, fest_incident_json_from_stmt (stmt, 0));
  if (rc != SQLITE_DONE)
    {
      fest_live_stmt_error (stmt, &error);
      return fest_request_reply_gerror (req, error);
    }
  sqlite3_reset (stmt);

  fest_request_reply_list (req, json_node_init_array (json_node_alloc (), array), total, page, per_page);
}

/* GET /incidents/{id} */

static void
get_incident (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (fest_request_get_store (req),
                                           "SELECT " FEST_INCIDENT_COLUMNS " FROM incidents WHERE id = ?1",
                                           &error);
  if (stmt == NULL)
    return fest_request_reply_gerror (req, error);
  fest_live_bind_text (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      JsonNode *incident = fest_incident_json_from_stmt (stmt, 0);

      sqlite3_reset (stmt);
      return fest_request_reply_data (req, SOUP_STATUS_OK, incident);
    }
  if (rc == SQLITE_DONE)
    {
      sqlite3_reset (stmt);
      error = g_error_new (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No incident %s", id);
      return fest_request_reply_gerror (req, error);
    }
  fest_live_stmt_error (stmt, &error);
  fest_request_reply_gerror (req, error);
}

/* PATCH /incidents/{id} */

typedef struct
{
  char      *id;
  gboolean   set_assigned;
  char      *assigned_to;         /* NULL: unassign */
  char      *status;              /* nullable: unchanged */
  gboolean   set_notes;
  char      *resolution_notes;
  gboolean   set_abuse;
  gboolean   is_abuse;
  FestActor *actor;
} PatchJob;

static void
patch_job_free (gpointer data)
{
  PatchJob *job = data;

  g_free (job->id);
  g_free (job->assigned_to);
  g_free (job->status);
  g_free (job->resolution_notes);
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
  sqlite3_stmt *stmt;

  *result_free = (GDestroyNotify) json_node_unref;

  old = load_incident (ctx, job->id, error);
  if (old == NULL)
    return FALSE;
  old_object = json_node_get_object (old);
  old_status = json_object_get_string_member (old_object, "status");
  old_assigned = json_object_get_string_member (old_object, "assigned_to");

  assigned_to = job->set_assigned ? job->assigned_to : old_assigned;
  status = old_status;
  if (job->status != NULL)
    status = job->status;
  else if (job->set_assigned && !g_str_equal (old_status, "RESOLVED"))
    status = assigned_to != NULL ? "ASSIGNED" : "OPEN";
  if (g_str_equal (status, "ASSIGNED") && assigned_to == NULL)
    {
      g_propagate_error (error, fest_error_validation ("assigned_to", "an ASSIGNED incident needs assigned_to"));
      return FALSE;
    }
  notes = job->set_notes ? job->resolution_notes : json_object_get_string_member (old_object, "resolution_notes");
  is_abuse = job->set_abuse ? job->is_abuse : json_object_get_boolean_member (old_object, "is_abuse");
  if (g_str_equal (status, "RESOLVED"))
    {
      resolved_at = json_object_get_string_member (old_object, "resolved_at");
      if (resolved_at == NULL)
        resolved_at = now;
    }
  else
    resolved_at = NULL;

  stmt = fest_write_ctx_prepare (ctx,
                                 "UPDATE incidents SET assigned_to = ?2, status = ?3, resolution_notes = ?4,"
                                 " is_abuse = ?5, resolved_at = ?6, updated_at = ?7 WHERE id = ?1",
                                 error);
  if (stmt == NULL)
    return FALSE;
  if (!fest_live_bind_text (stmt, 1, job->id) || !fest_live_bind_text (stmt, 2, assigned_to) ||
      !fest_live_bind_text (stmt, 3, status) || !fest_live_bind_text (stmt, 4, notes) ||
      sqlite3_bind_int (stmt, 5, is_abuse ? 1 : 0) != SQLITE_OK || !fest_live_bind_text (stmt, 6, resolved_at) ||
      !fest_live_bind_text (stmt, 7, now))
    return fest_live_stmt_error (stmt, error);
  if (!fest_live_step_done (stmt, error))
    return FALSE;

  incident = load_incident (ctx, job->id, error);
  if (incident == NULL)
    return FALSE;
  if (!fest_write_ctx_audit (ctx, job->actor, "incident.update", "incident", job->id, old, incident, error))
    return FALSE;

  if (assigned_to != NULL && g_strcmp0 (assigned_to, old_assigned) != 0)
    fest_write_ctx_emit (ctx, "incident:assigned", fest_live_json_deep_copy (incident));
  if (g_str_equal (status, "RESOLVED") && !g_str_equal (old_status, "RESOLVED"))
    fest_write_ctx_emit (ctx, "incident:resolved", fest_live_json_deep_copy (incident));
  else if (assigned_to == NULL || g_strcmp0 (assigned_to, old_assigned) == 0)
    fest_write_ctx_emit (ctx, "incident:updated", fest_live_json_deep_copy (incident));

  *result = g_steal_pointer (&incident);
  return TRUE;
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
  job->id = g_strdup (id);

  if (json_object_has_member (body, "assigned_to"))
    {
      job->set_assigned = TRUE;
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
          job->assigned_to = g_strdup (text);
        }
    }
  if (json_object_has_member (body, "status"))
    {
      if (!fest_json_get_string (body, "status", TRUE, &text, &error))
        goto invalid;
      if (!g_strv_contains (incident_statuses, text))
        {
          error = fest_error_validation ("status", "status must be OPEN, ASSIGNED or RESOLVED");
          goto invalid;
        }
      job->status = g_strdup (text);
    }
  if (json_object_has_member (body, "resolution_notes"))
    {
      job->set_notes = TRUE;
      if (!JSON_NODE_HOLDS_NULL (json_object_get_member (body, "resolution_notes")))
        {
          if (!fest_json_get_text (body, "resolution_notes", TRUE, 4000, &text, &error))
            goto invalid;
          job->resolution_notes = g_strstrip (g_strdup (text));
        }
    }
  if (json_object_has_member (body, "is_abuse"))
    {
      job->set_abuse = TRUE;
      if (!fest_json_get_bool (body, "is_abuse", TRUE, &job->is_abuse, &error))
        goto invalid;
    }
  if (!job->set_assigned && job->status == NULL && !job->set_notes && !job->set_abuse)
    {
      error = fest_error_validation ("status", "nothing to change: give assigned_to, status, resolution_notes"
                                               " or is_abuse");
      goto invalid;
    }

  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_live_write_reply_data (req, patch_func, job, patch_job_free, SOUP_STATUS_OK);
  return;

invalid:
  patch_job_free (job);
  fest_request_reply_gerror (req, error);
}

/* Demo */

typedef struct
{
  double      lat;
  double      lng;
  const char *security_id;
} DemoJob;

static gboolean
demo_job (FestWriteCtx   *ctx,
          gpointer        job_data,
          gpointer       *result,
          GDestroyNotify *result_free,
          GError        **error)
{
  static const struct
  {
    const char *type;
    double      dlat;
    double      dlng;
    const char *description;
    gboolean    resolved;
  } demo[] = {
    { "MEDICAL", 0.0008, -0.0011, "Malaise près de la scène principale, secouristes demandés", FALSE },
    { "LOST_PERSON", -0.0006, 0.0009, "Enfant de 8 ans, t-shirt jaune, cherche ses parents", FALSE },
    { "THEFT", 0.0003, 0.0015, "Vol de sac signalé au bar Nord", FALSE },
    { "FIGHT", -0.0012, -0.0004, "Altercation devant le stand restauration", TRUE },
  };
  DemoJob *job = job_data;

  *result_free = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      FestIncidentInput input = {
        .type = (char *) demo[i].type,
        .lat = job->lat + demo[i].dlat,
        .lng = job->lng + demo[i].dlng,
        .description = (char *) demo[i].description,
      };
      g_autoptr(JsonNode) incident = fest_incidents_create (ctx, &input, NULL, error);
      sqlite3_stmt *stmt;

      if (incident == NULL)
        return FALSE;
      if (i == 0 && job->security_id != NULL)
        {
          stmt = fest_write_ctx_prepare (ctx, "UPDATE incidents SET status = 'ASSIGNED', assigned_to = ?2 WHERE id = ?1",
                                         error);
          if (stmt == NULL)
            return FALSE;
          if (!fest_live_bind_text (stmt, 1, json_object_get_string_member (json_node_get_object (incident), "id")) ||
              !fest_live_bind_text (stmt, 2, job->security_id))
            return fest_live_stmt_error (stmt, error);
          if (!fest_live_step_done (stmt, error))
            return FALSE;
        }
      if (!demo[i].resolved)
        continue;
      stmt = fest_write_ctx_prepare (ctx,
                                     "UPDATE incidents SET status = 'RESOLVED', resolved_at = updated_at,"
                                     " resolution_notes = 'Séparés par la sécurité, pas de blessé' WHERE id = ?1",
                                     error);
      if (stmt == NULL)
        return FALSE;
      if (!fest_live_bind_text (stmt, 1, json_object_get_string_member (json_node_get_object (incident), "id")))
        return fest_live_stmt_error (stmt, error);
      if (!fest_live_step_done (stmt, error))
        return FALSE;
    }
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

gboolean
fest_incidents_demo_populate (FestFestivalStore *store,
                              double             lat,
                              double             lng,
                              const char        *security_id,
                              GError           **error)
{
  DemoJob job = { lat, lng, security_id };

  return fest_festival_store_write_sync (store, demo_job, &job, error) != NULL;
}

/* The hook of `festivals-server --demo` (fest-demo.h): incidents around the demo site in Lyon. */
gboolean
fest_demo_add_incidents (FestServer         *server,
                         FestFestivalStore  *store,
                         const FestDemoIds  *ids,
                         GError            **error)
{
  return fest_incidents_demo_populate (store, 45.75, 4.85, ids->security_id, error);
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
