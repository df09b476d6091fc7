/* fest-routes-shifts.c: POST /shifts, POST /shifts/{id}/close, GET /shifts, GET /shifts/{id}
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Cash shifts (issue 19; the rules in domain/fest-shifts.h). Opening and closing: staff that sell
 * (FEST_PERM_TRANSACTION_CREATE); an organiser may close any shift. Reading:
 * FEST_PERM_TRANSACTION_READ, GET /shifts?stand_id=&status=open|closed&from=&to= (opened_at in
 * [from, to), RFC 3339), newest first, {"data": [...]}.
 */

#include "config.h"

#include "fest-core.h"
#include "fest-router.h"
#include "fest-routes-util.h"
#include "fest-routes.h"
#include "fest-shifts-repo.h"
#include "fest-shifts.h"

#define NOTE_MAX_CHARS 500

typedef struct
{
  char      *shift_id;
  char      *stand_id;
  gint64     amount;       /* opening float or counted cash */
  char      *note;
  gboolean   any_owner;
  FestActor *actor;
} ShiftJob;

static void
shift_job_free (gpointer data)
{
  ShiftJob *job = data;

  g_free (job->shift_id);
  g_free (job->stand_id);
  g_free (job->note);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
open_func (FestWriteCtx   *ctx,
           gpointer        job_data,
           gpointer       *result,
           GDestroyNotify *result_free,
           GError        **error)
{
  ShiftJob *job = job_data;
  JsonNode *node = NULL;

  if (!fest_shifts_open (ctx, job->stand_id, job->amount, NULL, job->actor, &node, error))
    return FALSE;
  *result = node;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static gboolean
close_func (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  ShiftJob *job = job_data;
  JsonNode *node = NULL;

  if (!fest_shifts_close (ctx, job->shift_id, job->amount, job->note, NULL, job->any_owner, job->actor, &node,
                          error))
    return FALSE;
  *result = node;
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
open_shift (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  const char *stand_id = NULL;
  gint64 opening_float = 0;
  ShiftJob *job;

  if (body == NULL)
    return;
  if (!fest_json_get_uuid (body, "stand_id", TRUE, &stand_id, &error)
      || !fest_json_get_int (body, "opening_float", TRUE, 0, FEST_MONEY_MAX_AMOUNT, &opening_float, &error))
    return fest_request_reply_gerror (req, error);
  job = g_new0 (ShiftJob, 1);
  job->stand_id = g_strdup (stand_id);
  job->amount = opening_float;
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, open_func, job, shift_job_free, SOUP_STATUS_CREATED);
}

static void
close_shift (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  const char *note = NULL;
  gint64 counted = 0;
  ShiftJob *job;

  if (body == NULL)
    return;
  if (!fest_json_get_int (body, "counted_cash", TRUE, 0, FEST_MONEY_MAX_AMOUNT, &counted, &error)
      || (json_object_has_member (body, "note") && !json_object_get_null_member (body, "note")
          && !fest_json_get_text (body, "note", FALSE, NOTE_MAX_CHARS, &note, &error)))
    return fest_request_reply_gerror (req, error);
  job = g_new0 (ShiftJob, 1);
  job->shift_id = g_strdup (fest_request_get_param (req, "id"));
  job->amount = counted;
  job->note = g_strdup (note);
  job->any_owner = fest_roles_allow (fest_request_get_auth (req)->roles, FEST_PERM_STATS_READ);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, close_func, job, shift_job_free, SOUP_STATUS_OK);
}

static gboolean
query_time (FestRequest  *req,
            const char   *name,
            char        **out)
{
  const char *text = fest_request_get_query (req, name);

  *out = NULL;
  if (text == NULL)
    return TRUE;
  *out = fest_time_normalize (text);
  if (*out == NULL)
    {
      g_autoptr(GError) error = fest_error_validation (name, "%s must be an RFC 3339 time", name);

      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
list_shifts (FestRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  FestShiftFilter filter = {
    .stand_id = fest_request_get_query (req, "stand_id"),
    .status = fest_request_get_query (req, "status"),
  };
  JsonArray *array;
  JsonNode *node;

  if (filter.status != NULL && !g_str_equal (filter.status, "open") && !g_str_equal (filter.status, "closed"))
    {
      error = fest_error_validation ("status", "status must be open or closed");
      return fest_request_reply_gerror (req, error);
    }
  if (!query_time (req, "from", &from) || !query_time (req, "to", &to))
    return;
  filter.from = from;
  filter.to = to;
  array = json_array_new ();
  if (!fest_shifts_repo_list (fest_request_get_store (req), &filter, array, &error))
    {
      json_array_unref (array);
      return fest_request_reply_gerror (req, error);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  fest_request_reply_data (req, SOUP_STATUS_OK, node);
}

static void
get_shift (FestRequest *req)
{
  g_autoptr(GError) error = NULL;
  JsonNode *shift = NULL;

  if (!fest_shifts_repo_get (fest_request_get_store (req), fest_request_get_param (req, "id"), &shift, &error))
    return fest_request_reply_gerror (req, error);
  if (shift == NULL)
    return fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such shift", NULL);
  fest_request_reply_data (req, SOUP_STATUS_OK, shift);
}

void
fest_routes_shifts_register (FestRouter *router)
{
  fest_router_add (router, "POST", "/shifts", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_CREATE, open_shift);
  fest_router_add (router, "POST", "/shifts/{id}/close", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_CREATE,
                   close_shift);
  fest_router_add (router, "GET", "/shifts", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_READ, list_shifts);
  fest_router_add (router, "GET", "/shifts/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_TRANSACTION_READ, get_shift);
}
