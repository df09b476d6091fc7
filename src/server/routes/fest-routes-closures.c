/* fest-routes-closures.c: POST /closures, GET /closures, GET /closures/{id} (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * ORGANISER (FEST_PERM_STATS_READ). POST {period: DAY|MONTH|YEAR, date} closes a period of the
 * festival's time zone (domain/fest-closures.h says when it may); 201 with the closure. GET
 * /closures lists them newest first (?period= filter), {"data": [...]}.
 */

#include "config.h"

#include "fest-closures-repo.h"
#include "fest-closures.h"
#include "fest-core.h"
#include "fest-reports-repo.h"
#include "fest-router.h"
#include "fest-routes-util.h"
#include "fest-routes.h"

typedef struct
{
  FestClosureInput input;
  FestActor       *actor;
} CloseJob;

static void
close_job_free (gpointer data)
{
  CloseJob *job = data;

  fest_closure_input_clear (&job->input);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
close_func (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  CloseJob *job = job_data;
  JsonNode *node = NULL;

  if (!fest_closures_close (ctx, &job->input, job->actor, &node, error))
    return FALSE;
  *result = node;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
post_closure (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *timezone = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *period = NULL, *date = NULL;
  gint64 rate;
  CloseJob *job;

  if (body == NULL)
    return;
  if (!fest_json_get_string (body, "period", TRUE, &period, &error)
      || !fest_json_get_string (body, "date", TRUE, &date, &error))
    return fest_request_reply_gerror (req, error);
  if (!fest_reports_repo_festival (fest_request_get_store (req), &rate, &currency, &timezone, &error))
    return fest_request_reply_gerror (req, error);
  zone = g_time_zone_new_identifier (timezone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  job = g_new0 (CloseJob, 1);
  if (!fest_closure_input_init (&job->input, period, date, zone, &error))
    {
      close_job_free (job);
      return fest_request_reply_gerror (req, error);
    }
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, close_func, job, close_job_free, SOUP_STATUS_CREATED);
}

static void
add_closure (const FestClosureRow *row,
             gpointer              user_data)
{
  json_array_add_element (user_data, fest_closure_to_json (row));
}

static void
list_closures (FestRequest *req)
{
  const char *period = fest_request_get_query (req, "period");
  g_autoptr(GError) error = NULL;
  JsonArray *array;
  JsonNode *node;

  if (period != NULL && !g_str_equal (period, "DAY") && !g_str_equal (period, "MONTH") && !g_str_equal (period, "YEAR"))
    {
      error = fest_error_validation ("period", "period must be DAY, MONTH or YEAR");
      return fest_request_reply_gerror (req, error);
    }
  array = json_array_new ();
  if (!fest_closures_repo_list (fest_request_get_store (req), period, add_closure, array, &error))
    {
      json_array_unref (array);
      return fest_request_reply_gerror (req, error);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  fest_request_reply_data (req, SOUP_STATUS_OK, node);
}

static void
get_closure (FestRequest *req)
{
  g_auto(FestClosureRow) row = { 0 };
  g_autoptr(GError) error = NULL;

  if (!fest_closures_repo_get (fest_request_get_store (req), fest_request_get_param (req, "id"), &row, &error))
    {
      if (error != NULL)
        return fest_request_reply_gerror (req, error);
      return fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such closure", NULL);
    }
  fest_request_reply_data (req, SOUP_STATUS_OK, fest_closure_to_json (&row));
}

void
fest_routes_closures_register (FestRouter *router)
{
  fest_router_add (router, "POST", "/closures", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, post_closure);
  fest_router_add (router, "GET", "/closures", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, list_closures);
  fest_router_add (router, "GET", "/closures/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_closure);
}
