/* fest-routes-festivals.c: GET/POST /festivals, GET/PATCH /festivals/{id}
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A festival is a row of the platform registry (platform.db) and its own database holding its
 * settings row: creating one writes both, renaming one renames both.
 */

#include "config.h"

#include <string.h>

#include "fest-festival-repo.h"
#include "fest-routes-platform-private.h"
#include "fest-router.h"
#include "fest-server-private.h"

#define MAX_NAME_CHARS     200
#define MAX_CURRENCY_CHARS 50

/* GET /festivals */

static void
festivals_list (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) memberships = NULL;
  JsonArray *array;
  JsonNode *node;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;

  if (auth->account_id == NULL)
    {
      /* A device sees its own festival. */
      g_autoptr(JsonNode) festival = _fest_festival_json_for (server, auth->festival_id,
                                                        auth->roles, &error);

      array = json_array_new ();
      if (festival != NULL && page == 1)
        json_array_add_element (array, g_steal_pointer (&festival));
      node = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (node, array);
      fest_request_reply_list (req, node, 1, page, per_page);
      return;
    }

  memberships = fest_platform_store_list_memberships (fest_server_get_platform (server),
                                                      auth->account_id,
                                                      (auth->roles & FEST_ROLE_SUPERADMIN) != 0,
                                                      (page - 1) * (guint64) per_page > G_MAXINT32
                                                        ? G_MAXINT32 : (page - 1) * per_page,
                                                      per_page, &total, &error);
  if (memberships == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < memberships->len; i++)
    {
      FestMembership *membership = g_ptr_array_index (memberships, i);
      g_autoptr(GError) local_error = NULL;
      JsonNode *festival = _fest_festival_json_for (server, membership->festival_id, membership->roles,
                                              &local_error);

      if (festival == NULL)
        {
          g_warning ("Festival %s is listed but cannot be read: %s", membership->festival_id,
                     local_error->message);
          continue;
        }
      json_array_add_element (array, festival);
    }
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  fest_request_reply_list (req, node, total, page, per_page);
}

/* POST /festivals and PATCH /festivals/{id} */

static gboolean
timezone_is_valid (const char *identifier)
{
  g_autoptr(GTimeZone) zone = NULL;

  if (identifier == NULL || *identifier == '\0' || strlen (identifier) > 64)
    return FALSE;
  zone = g_time_zone_new_identifier (identifier);
  return zone != NULL;
}

static gboolean
festival_input_parse (JsonObject     *body,
                      gboolean        create,
                      FestFestivalInput  *input,
                      GError        **error)
{
  const char *name = NULL;
  const char *timezone = NULL;
  const char *currency = NULL;

  if (!fest_json_get_text (body, "name", create, MAX_NAME_CHARS, &name, error)
      || !fest_json_get_time (body, "starts_at", create, &input->starts_at, error)
      || !fest_json_get_time (body, "ends_at", create, &input->ends_at, error)
      || !fest_json_get_string (body, "timezone", create, &timezone, error)
      || !fest_json_get_text (body, "currency_name", create, MAX_CURRENCY_CHARS, &currency, error))
    return FALSE;

  if (json_object_has_member (body, "exchange_rate_cents") || create)
    {
      if (!fest_json_get_int (body, "exchange_rate_cents", TRUE, 1, 1000000000,
                              &input->exchange_rate_cents, error))
        return FALSE;
      input->has_rate = TRUE;
    }

  if (json_object_has_member (body, "offline_allowance"))
    {
      if (!fest_json_get_int (body, "offline_allowance", TRUE, 0, FEST_MONEY_MAX_AMOUNT,
                              &input->offline_allowance, error))
        return FALSE;
      input->has_offline_allowance = TRUE;
    }

  /* The balance a RECHARGE may take a wallet to (minor units); the schema's default otherwise. */
  if (json_object_has_member (body, "max_wallet_balance"))
    {
      if (!fest_json_get_int (body, "max_wallet_balance", TRUE, 0, FEST_MONEY_MAX_AMOUNT,
                              &input->max_wallet_balance, error))
        return FALSE;
      input->has_max_wallet_balance = TRUE;
    }

  if (json_object_has_member (body, "location"))
    {
      if (JSON_NODE_HOLDS_NULL (json_object_get_member (body, "location")))
        input->clear_location = TRUE;
      else if (!fest_json_get_location (body, "location", TRUE, &input->lat, &input->lng, error))
        return FALSE;
      else
        input->has_location = TRUE;
    }

  if (timezone != NULL && !timezone_is_valid (timezone))
    {
      g_propagate_error (error, fest_error_validation ("timezone",
                                                       "timezone must be an IANA time zone such as "
                                                       "Europe/Paris"));
      return FALSE;
    }

  input->name = name != NULL ? g_strstrip (g_strdup (name)) : NULL;
  input->timezone = g_strdup (timezone);
  input->currency_name = currency != NULL ? g_strstrip (g_strdup (currency)) : NULL;

  if (input->starts_at != NULL && input->ends_at != NULL)
    {
      g_autoptr(GDateTime) starts = fest_time_parse (input->starts_at);
      g_autoptr(GDateTime) ends = fest_time_parse (input->ends_at);

      if (g_date_time_compare (ends, starts) <= 0)
        {
          g_propagate_error (error, fest_error_validation ("ends_at",
                                                           "ends_at must be after starts_at"));
          return FALSE;
        }
    }

  return TRUE;
}

static gboolean
festival_create_job (FestWriteCtx    *ctx,
                     gpointer         job_data,
                     gpointer        *result,
                     GDestroyNotify  *result_free,
                     GError         **error)
{
  FestFestivalInput *input = job_data;
  g_autoptr(JsonNode) festival = NULL;

  if (!fest_festival_repo_insert (ctx, input, error))
    return FALSE;

  festival = fest_festival_repo_read_in (ctx, error);
  if (festival == NULL)
    return FALSE;
  if (!fest_write_ctx_audit (ctx, input->actor, "festival.create", "festival", input->id, NULL,
                             festival, error))
    return FALSE;

  *result = g_steal_pointer (&festival);
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

gboolean
_fest_festival_insert (FestFestivalStore  *store,
                       const char         *festival_id,
                       const char         *name,
                       const char         *starts_at,
                       const char         *ends_at,
                       const char         *timezone,
                       const char         *currency_name,
                       gint64              exchange_rate_cents,
                       double              lat,
                       double              lng,
                       const FestActor    *actor,
                       GError            **error)
{
  FestFestivalInput *input = g_new0 (FestFestivalInput, 1);
  JsonNode *festival;

  input->id = g_strdup (festival_id);
  input->name = g_strdup (name);
  input->starts_at = g_strdup (starts_at);
  input->ends_at = g_strdup (ends_at);
  input->timezone = g_strdup (timezone);
  input->currency_name = g_strdup (currency_name);
  input->exchange_rate_cents = exchange_rate_cents;
  input->has_rate = TRUE;
  input->has_location = TRUE;
  input->lat = lat;
  input->lng = lng;
  input->actor = fest_actor_copy (actor);
  fest_ticket_keypair_new (input->public_key, input->secret_key);

  festival = fest_festival_store_write_sync (store, festival_create_job, input, error);
  fest_festival_input_free (input);
  if (festival == NULL)
    return FALSE;
  json_node_unref (festival);
  return TRUE;
}

typedef struct
{
  FestRequest *req;
  char        *festival_id;
  char        *name;
} FestivalCall;

static void
festival_call_free (FestivalCall *call)
{
  fest_request_unref (call->req);
  g_free (call->festival_id);
  g_free (call->name);
  g_free (call);
}

static void
festival_created_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FestivalCall *call = user_data;
  FestRequest *req = call->req;
  FestServer *server = fest_request_get_server (req);
  FestPlatformStore *platform = fest_server_get_platform (server);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) festival = NULL;

  festival = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (festival == NULL
      || !fest_platform_store_add_festival (platform, call->festival_id, call->name,
                                            auth->account_id, &error)
      || !fest_platform_store_set_roles (platform, call->festival_id, auth->account_id,
                                         FEST_ROLE_ORGANISER, TRUE, &error))
    {
      g_autoptr(GError) cleanup_error = NULL;

      if (festival != NULL
          && !fest_platform_store_remove_festival (platform, call->festival_id, &cleanup_error))
        g_warning ("Cannot remove half-created festival %s: %s", call->festival_id,
                   cleanup_error->message);
      _fest_server_discard_festival (server, call->festival_id);
      fest_request_reply_gerror (req, error);
      festival_call_free (call);
      return;
    }

  /* A token without a festival moves to the new one; otherwise POST /auth/festival switches. */
  if (auth->festival_id == NULL
      && !fest_platform_store_set_token_festival (platform, auth->token_hash, call->festival_id,
                                                  &error))
    g_warning ("Cannot move the creator's token to the new festival: %s", error->message);

  json_object_set_member (json_node_get_object (festival), "roles",
                          _fest_strv_node (FEST_ROLE_ORGANISER));
  fest_request_reply_data (req, SOUP_STATUS_CREATED, g_steal_pointer (&festival));
  festival_call_free (call);
}

static void
festivals_create (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  FestFestivalInput *input;
  FestFestivalStore *store;
  FestivalCall *call;
  JsonObject *body;

  if (auth->account_id == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "Devices cannot create festivals", NULL);
      return;
    }

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  input = g_new0 (FestFestivalInput, 1);
  if (!festival_input_parse (body, TRUE, input, &error))
    {
      fest_festival_input_free (input);
      fest_request_reply_gerror (req, error);
      return;
    }

  input->id = fest_uuid_new ();
  input->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_ticket_keypair_new (input->public_key, input->secret_key);

  store = _fest_server_create_festival (server, input->id, &error);
  if (store == NULL)
    {
      fest_festival_input_free (input);
      fest_request_reply_gerror (req, error);
      return;
    }

  call = g_new0 (FestivalCall, 1);
  call->req = fest_request_ref (req);
  call->festival_id = g_strdup (input->id);
  call->name = g_strdup (input->name);

  fest_request_pause (req);
  fest_festival_store_write_async (store, festival_create_job, input, fest_festival_input_free, NULL,
                                   festival_created_cb, call);
}

static gboolean
festival_patch_job (FestWriteCtx    *ctx,
                    gpointer         job_data,
                    gpointer        *result,
                    GDestroyNotify  *result_free,
                    GError         **error)
{
  FestFestivalInput *input = job_data;
  g_autoptr(JsonNode) old_festival = NULL;
  g_autoptr(JsonNode) new_festival = NULL;
  g_autoptr(GDateTime) starts = NULL;
  g_autoptr(GDateTime) ends = NULL;
  JsonObject *old_object;

  old_festival = fest_festival_repo_read_in (ctx, error);
  if (old_festival == NULL)
    return FALSE;
  old_object = json_node_get_object (old_festival);

  starts = fest_time_parse (input->starts_at != NULL ? input->starts_at
                                                     : json_object_get_string_member (old_object,
                                                                                      "starts_at"));
  ends = fest_time_parse (input->ends_at != NULL ? input->ends_at
                                                 : json_object_get_string_member (old_object,
                                                                                  "ends_at"));
  if (starts != NULL && ends != NULL && g_date_time_compare (ends, starts) <= 0)
    {
      g_propagate_error (error, fest_error_validation (input->ends_at != NULL ? "ends_at"
                                                                              : "starts_at",
                                                       "ends_at must be after starts_at"));
      return FALSE;
    }

  if (!fest_festival_repo_update (ctx, input, error))
    return FALSE;

  new_festival = fest_festival_repo_read_in (ctx, error);
  if (new_festival == NULL)
    return FALSE;
  if (!fest_write_ctx_audit (ctx, input->actor, "festival.update", "festival", input->id,
                             old_festival, new_festival, error))
    return FALSE;

  *result = g_steal_pointer (&new_festival);
  *result_free = (GDestroyNotify) json_node_unref;
  return TRUE;
}

static void
festival_patched_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  FestivalCall *call = user_data;
  FestRequest *req = call->req;
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) festival = NULL;
  FestRoles roles = 0;

  festival = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (festival == NULL)
    {
      fest_request_reply_gerror (req, error);
      festival_call_free (call);
      return;
    }

  if (call->name != NULL
      && !fest_platform_store_rename_festival (fest_server_get_platform (server), call->festival_id,
                                               call->name, &error))
    g_warning ("Cannot rename festival %s in the registry: %s", call->festival_id, error->message);

  _fest_festival_roles_of (server, auth, call->festival_id, &roles);
  json_object_set_member (json_node_get_object (festival), "roles", _fest_strv_node (roles));
  fest_request_reply_data (req, SOUP_STATUS_OK, g_steal_pointer (&festival));
  festival_call_free (call);
}

static void
festivals_get (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  JsonNode *festival;
  FestRoles roles = 0;

  if (!fest_uuid_is_valid (id) || !_fest_festival_roles_of (server, fest_request_get_auth (req), id, &roles))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such festival", NULL);
      return;
    }

  festival = _fest_festival_json_for (server, id, roles, &error);
  if (festival == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_data (req, SOUP_STATUS_OK, festival);
}

static void
festivals_patch (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  FestFestivalStore *store;
  FestFestivalInput *input;
  FestivalCall *call;
  JsonObject *body;
  FestRoles roles = 0;

  if (!fest_uuid_is_valid (id) || !_fest_festival_roles_of (server, auth, id, &roles))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such festival", NULL);
      return;
    }
  if (!fest_roles_allow (roles | (auth->roles & FEST_ROLE_SUPERADMIN), FEST_PERM_FESTIVAL_MANAGE))
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "Only the festival's organisers may change it",
                                NULL);
      return;
    }

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  input = g_new0 (FestFestivalInput, 1);
  if (!festival_input_parse (body, FALSE, input, &error))
    {
      fest_festival_input_free (input);
      fest_request_reply_gerror (req, error);
      return;
    }

  store = fest_server_get_festival_store (server, id, &error);
  if (store == NULL)
    {
      fest_festival_input_free (input);
      fest_request_reply_gerror (req, error);
      return;
    }

  input->id = g_strdup (id);
  input->actor = fest_actor_copy (fest_request_get_actor (req));

  call = g_new0 (FestivalCall, 1);
  call->req = fest_request_ref (req);
  call->festival_id = g_strdup (id);
  call->name = g_strdup (input->name);

  fest_request_pause (req);
  fest_festival_store_write_async (store, festival_patch_job, input, fest_festival_input_free, NULL,
                                   festival_patched_cb, call);
}

void
_fest_routes_festivals_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/festivals", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE,
                   festivals_list);
  fest_router_add (router, "POST", "/festivals", FEST_ROUTE_AUTHENTICATED,
                   FEST_PERM_FESTIVAL_CREATE, festivals_create);
  fest_router_add (router, "GET", "/festivals/{id}", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE,
                   festivals_get);
  fest_router_add (router, "PATCH", "/festivals/{id}", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE,
                   festivals_patch);
}
