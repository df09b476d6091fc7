/* fest-routes-team.c: members and devices of the current festival
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Accounts, memberships and devices live in platform.db; every mutation also writes the
 * festival's audit log through a write job, and the reply waits for that commit.
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fest-catalog-repo.h"
#include "fest-routes-platform-private.h"
#include "fest-router.h"
#include "fest-routes-team-private.h"
#include "fest-server-private.h"

#define MAX_NAME_CHARS 200

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

static JsonNode *
member_json (const char *account_id,
             const char *email,
             const char *name,
             FestRoles   roles)
{
  JsonObject *member = json_object_new ();

  json_object_set_string_member (member, "id", account_id);
  json_object_set_string_member (member, "email", email);
  json_object_set_string_member (member, "name", name);
  json_object_set_member (member, "roles", _fest_strv_node (roles));
  return object_node (member);
}

static JsonNode *
device_json (const FestDevice *device,
             const char       *token)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", device->id);
  json_object_set_string_member (object, "name", device->name);
  if (device->stand_id != NULL)
    json_object_set_string_member (object, "stand_id", device->stand_id);
  else
    json_object_set_null_member (object, "stand_id");
  json_object_set_string_member (object, "mode", device->mode);
  json_object_set_string_member (object, "created_at", device->created_at);
  json_object_set_boolean_member (object, "revoked", device->revoked);
  if (token != NULL)
    json_object_set_string_member (object, "token", token);
  return object_node (object);
}

static JsonNode *
array_node (JsonArray *array)
{
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  json_node_take_array (node, array);
  return node;
}

static guint
paging_offset (guint page,
               guint per_page)
{
  guint64 offset = (guint64) (page - 1) * per_page;

  return offset > G_MAXINT32 ? G_MAXINT32 : (guint) offset;
}

/* Roles a member may be given here: anything but SUPERADMIN. */
static gboolean
parse_roles (JsonObject  *body,
             gboolean     required,
             gboolean    *present,
             FestRoles   *roles,
             GError     **error)
{
  JsonArray *array = NULL;

  *present = FALSE;
  if (!fest_json_get_array (body, "roles", required, &array, error))
    return FALSE;
  if (array == NULL)
    return TRUE;

  *present = TRUE;
  *roles = 0;
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      FestRole role;

      if (!JSON_NODE_HOLDS_VALUE (element) || json_node_get_value_type (element) != G_TYPE_STRING
          || !fest_role_from_string (json_node_get_string (element), &role))
        {
          g_propagate_error (error, fest_error_validation ("roles",
                                                           "roles must be a list of role names"));
          return FALSE;
        }
      if (role == FEST_ROLE_SUPERADMIN)
        {
          g_propagate_error (error, fest_error_validation ("roles",
                                                           "SUPERADMIN cannot be granted to a "
                                                           "festival member"));
          return FALSE;
        }
      *roles |= role;
    }

  if (*roles == 0)
    {
      g_propagate_error (error, fest_error_validation ("roles", "roles must not be empty"));
      return FALSE;
    }

  return TRUE;
}

gboolean
_fest_team_parse_roles (JsonObject  *body,
                        gboolean     required,
                        gboolean    *present,
                        FestRoles   *roles,
                        GError     **error)
{
  return parse_roles (body, required, present, roles, error);
}

/* Writes one audit row, then replies @status with @reply. */

typedef struct
{
  FestRequest *req;
  FestActor   *actor;
  char        *action;
  char        *entity_type;
  char        *entity_id;
  JsonNode    *old_values;
  JsonNode    *new_values;
  JsonNode    *reply;
  guint        status;
} AuditCall;

static void
audit_call_free (gpointer data)
{
  AuditCall *call = data;

  g_clear_pointer (&call->req, fest_request_unref);
  fest_actor_free (call->actor);
  g_free (call->action);
  g_free (call->entity_type);
  g_free (call->entity_id);
  g_clear_pointer (&call->old_values, json_node_unref);
  g_clear_pointer (&call->new_values, json_node_unref);
  g_clear_pointer (&call->reply, json_node_unref);
  g_free (call);
}

static gboolean
audit_job (FestWriteCtx    *ctx,
           gpointer         job_data,
           gpointer        *result,
           GDestroyNotify  *result_free,
           GError         **error)
{
  AuditCall *call = job_data;

  return fest_write_ctx_audit (ctx, call->actor, call->action, call->entity_type, call->entity_id,
                               call->old_values, call->new_values, error);
}

static void
audit_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AuditCall *call = user_data;
  g_autoptr(GError) error = NULL;

  fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (error != NULL)
    {
      /* The change itself is made; only its audit row is missing. Say so loudly. */
      g_warning ("Audit of %s %s failed: %s", call->action, call->entity_id, error->message);
      fest_request_reply_gerror (call->req, error);
    }
  else
    fest_request_reply_data (call->req, call->status, g_steal_pointer (&call->reply));
  audit_call_free (call);
}

static void
audit_and_reply (FestRequest *req,
                 const char  *action,
                 const char  *entity_type,
                 const char  *entity_id,
                 JsonNode    *old_values,
                 JsonNode    *new_values,
                 guint        status,
                 JsonNode    *reply)
{
  AuditCall *call = g_new0 (AuditCall, 1);

  call->req = fest_request_ref (req);
  call->actor = fest_actor_copy (fest_request_get_actor (req));
  call->action = g_strdup (action);
  call->entity_type = g_strdup (entity_type);
  call->entity_id = g_strdup (entity_id);
  call->old_values = old_values;
  call->new_values = new_values;
  call->reply = reply;
  call->status = status;

  fest_request_pause (req);
  /* The job only reads its data: the call is freed by the callback, not by the job. */
  fest_festival_store_write_async (fest_request_get_store (req), audit_job, call, NULL, NULL,
                                   audit_done_cb, call);
}

/* GET /members */

static void
members_list (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) members = NULL;
  JsonArray *array;
  const char *role_text = fest_request_get_query (req, "role");
  FestRole role = 0;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  /* A filter that is not understood must not quietly list everyone. */
  if (role_text != NULL && *role_text != '\0' && !fest_role_from_string (role_text, &role))
    {
      g_autoptr(GError) invalid = fest_error_validation ("role", "role must be a role name such as "
                                                         "ORGANISER or CASHIER");
      fest_request_reply_gerror (req, invalid);
      return;
    }

  members = fest_platform_store_list_members (platform, auth->festival_id, role,
                                              paging_offset (page, per_page), per_page, &total,
                                              &error);
  if (members == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < members->len; i++)
    {
      FestMember *member = g_ptr_array_index (members, i);
      json_array_add_element (array, member_json (member->account_id, member->email, member->name,
                                                  member->roles));
    }
  fest_request_reply_list (req, array_node (array), total, page, per_page);
}

/* POST /members */

typedef struct
{
  FestRequest *req;
  char        *email;
  char        *name;
  char        *password;
  FestRoles    roles;
} NewMember;

static void
new_member_free (gpointer data)
{
  NewMember *member = data;

  if (member->password != NULL)
    sodium_memzero (member->password, strlen (member->password));
  g_free (member->password);
  g_free (member->email);
  g_free (member->name);
  g_clear_pointer (&member->req, fest_request_unref);
  g_free (member);
}

/* Attaches @account_id to the festival with @roles, named @membership_name there when non-NULL,
 * and replies with the member as @email and @name: what the organiser sent, whether the account
 * was new or not. */
static void
add_membership (FestRequest *req,
                const char  *account_id,
                const char  *email,
                const char  *name,
                const char  *membership_name,
                FestRoles    roles)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;

  if (!fest_platform_store_set_roles (platform, auth->festival_id, account_id, roles, TRUE, &error)
      || (membership_name != NULL
          && !fest_platform_store_set_member_name (platform, auth->festival_id, account_id,
                                                   membership_name, &error)))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  audit_and_reply (req, "member.create", "member", account_id, NULL,
                   member_json (account_id, email, name, roles),
                   SOUP_STATUS_CREATED,
                   member_json (account_id, email, name, roles));
}

static void
hash_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  NewMember *member = task_data;
  GError *error = NULL;
  char *hash = fest_password_hash (member->password, &error);

  if (hash == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, hash, g_free);
}

static void
hashed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  NewMember *member = g_task_get_task_data (G_TASK (result));
  FestRequest *req = member->req;
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAccount) account = NULL;
  g_autofree char *hash = NULL;

  hash = g_task_propagate_pointer (G_TASK (result), &error);
  if (hash == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  /* The account may belong to other festivals, whose organisers and the person own its name and
   * password: this festival gets a membership, named here only, and the hash is dropped. */
  account = fest_platform_store_find_account (platform, member->email, &error);
  if (error != NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  if (account != NULL)
    {
      add_membership (req, account->id, member->email, member->name, member->name, member->roles);
      return;
    }

  account = fest_platform_store_create_account (platform, member->email, member->name, hash, FALSE,
                                                &error);
  if (account == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  add_membership (req, account->id, member->email, member->name, NULL, member->roles);
}

/* Whether the e-mail has an account elsewhere must not show: an existing account is attached
 * with the same checks (name, password), the same work (the password is hashed, then dropped) and
 * the same reply as a new one. Only this festival's own members are told apart (409). */
static void
members_create (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAccount) account = NULL;
  g_autoptr(GTask) task = NULL;
  const char *email = NULL;
  const char *name = NULL;
  const char *password = NULL;
  JsonObject *body;
  NewMember *member;
  FestRoles roles = 0;
  gboolean has_roles;

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_string (body, "email", TRUE, &email, &error)
      || !fest_json_get_text (body, "name", FALSE, MAX_NAME_CHARS, &name, &error)
      || !fest_json_get_string (body, "password", FALSE, &password, &error)
      || !parse_roles (body, TRUE, &has_roles, &roles, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  if (!_fest_email_is_valid (email))
    {
      g_autoptr(GError) invalid = fest_error_validation ("email", "email is not a valid address");
      fest_request_reply_gerror (req, invalid);
      return;
    }

  account = fest_platform_store_find_account (platform, email, &error);
  if (error != NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  if (account != NULL && fest_platform_store_get_roles (platform, auth->festival_id, account->id, NULL))
    {
      fest_request_reply_error (req, FEST_ERROR_CONFLICT, "Already a member of this festival", NULL);
      return;
    }

  if (name == NULL)
    {
      g_autoptr(GError) missing = fest_error_validation ("name", "name is required");
      fest_request_reply_gerror (req, missing);
      return;
    }
  if (password == NULL || g_utf8_strlen (password, -1) < FEST_PASSWORD_MIN_CHARS)
    {
      g_autoptr(GError) weak = fest_error_validation ("password",
                                                      "password must have at least %d characters",
                                                      FEST_PASSWORD_MIN_CHARS);
      fest_request_reply_gerror (req, weak);
      return;
    }

  member = g_new0 (NewMember, 1);
  member->req = fest_request_ref (req);
  member->email = g_strstrip (g_strdup (email));
  member->name = g_strstrip (g_strdup (name));
  member->password = g_strdup (password);
  member->roles = roles;

  fest_request_pause (req);
  task = g_task_new (NULL, NULL, hashed_cb, NULL);
  g_task_set_source_tag (task, members_create);
  g_task_set_task_data (task, member, new_member_free);
  g_task_run_in_thread (task, hash_thread);
}

/* PATCH /members/{id} */

static gboolean
is_last_organiser (FestPlatformStore *platform,
                   const char        *festival_id,
                   const FestMember  *member)
{
  return (member->roles & FEST_ROLE_ORGANISER)
         && fest_platform_store_count_role (platform, festival_id, FEST_ROLE_ORGANISER) <= 1;
}

static void
members_patch (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  g_autoptr(FestMember) member = NULL;
  const char *name = NULL;
  JsonObject *body;
  JsonNode *old_values;
  FestRoles roles = 0;
  gboolean has_roles = FALSE;

  if (!fest_uuid_is_valid (id)
      || (member = fest_platform_store_get_member (platform, auth->festival_id, id, &error)) == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such member", NULL);
      return;
    }

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_text (body, "name", FALSE, MAX_NAME_CHARS, &name, &error)
      || !parse_roles (body, FALSE, &has_roles, &roles, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  if (has_roles && !(roles & FEST_ROLE_ORGANISER)
      && is_last_organiser (platform, auth->festival_id, member))
    {
      fest_request_reply_error (req, FEST_ERROR_CONFLICT,
                                "The festival must keep at least one organiser", NULL);
      return;
    }

  old_values = member_json (member->account_id, member->email, member->name, member->roles);

  if (name != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (name));

      /* This festival's name for the member: the account may belong to other festivals too. */
      if (!fest_platform_store_set_member_name (platform, auth->festival_id, id, stripped, &error))
        {
          json_node_unref (old_values);
          fest_request_reply_gerror (req, error);
          return;
        }
      g_free (member->name);
      member->name = g_steal_pointer (&stripped);
    }

  if (has_roles)
    {
      if (!fest_platform_store_set_roles (platform, auth->festival_id, id, roles, FALSE, &error))
        {
          json_node_unref (old_values);
          fest_request_reply_gerror (req, error);
          return;
        }
      member->roles = roles;
    }

  audit_and_reply (req, "member.update", "member", id, old_values,
                   member_json (member->account_id, member->email, member->name, member->roles),
                   SOUP_STATUS_OK,
                   member_json (member->account_id, member->email, member->name, member->roles));
}

/* DELETE /members/{id} */

static void
members_delete (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  g_autoptr(FestMember) member = NULL;

  if (!fest_uuid_is_valid (id)
      || (member = fest_platform_store_get_member (platform, auth->festival_id, id, &error)) == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such member", NULL);
      return;
    }

  if (is_last_organiser (platform, auth->festival_id, member))
    {
      fest_request_reply_error (req, FEST_ERROR_CONFLICT,
                                "The festival must keep at least one organiser", NULL);
      return;
    }

  if (!fest_platform_store_remove_member (platform, auth->festival_id, id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  audit_and_reply (req, "member.delete", "member", id,
                   member_json (member->account_id, member->email, member->name, member->roles),
                   NULL, SOUP_STATUS_OK,
                   member_json (member->account_id, member->email, member->name, member->roles));
}

/* GET /devices */

static void
devices_list (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) devices = NULL;
  JsonArray *array;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;

  devices = fest_platform_store_list_devices (platform, auth->festival_id,
                                              paging_offset (page, per_page), per_page, &total,
                                              &error);
  if (devices == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  array = json_array_new ();
  for (guint i = 0; i < devices->len; i++)
    json_array_add_element (array, device_json (g_ptr_array_index (devices, i), NULL));
  fest_request_reply_list (req, array_node (array), total, page, per_page);
}

/* POST /devices */

static gboolean
stand_exists (FestFestivalStore  *store,
              const char         *stand_id,
              GError            **error)
{
  gboolean found;

  if (!fest_catalog_repo_stand_exists (store, stand_id, &found, error))
    return FALSE;
  if (!found)
    g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_NOT_FOUND,
                                                           json_from_string ("{\"field\":\"stand_id\"}",
                                                                             NULL),
                                                           "No such stand"));
  return found;
}

static void
devices_create (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(FestDevice) device = NULL;
  g_autofree char *token = NULL;
  g_autofree char *stripped = NULL;
  const char *name = NULL;
  const char *stand_id = NULL;
  const char *mode = NULL;
  JsonObject *body;

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_text (body, "name", TRUE, MAX_NAME_CHARS, &name, &error)
      || !fest_json_get_uuid (body, "stand_id", FALSE, &stand_id, &error)
      || !fest_json_get_string (body, "mode", TRUE, &mode, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  if (!fest_device_mode_is_valid (mode))
    {
      g_autoptr(GError) invalid = fest_error_validation ("mode",
                                                         "mode must be cashier, recharge, scanner "
                                                         "or security");
      fest_request_reply_gerror (req, invalid);
      return;
    }

  if (stand_id != NULL && !stand_exists (auth->store, stand_id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  stripped = g_strstrip (g_strdup (name));
  device = fest_platform_store_create_device (platform, auth->festival_id, stripped, stand_id, mode,
                                              &error);
  if (device == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  token = fest_platform_store_issue_device_token (platform, device->id, auth->festival_id, &error);
  if (token == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  audit_and_reply (req, "device.create", "device", device->id, NULL, device_json (device, NULL),
                   SOUP_STATUS_CREATED, device_json (device, token));
}

/* DELETE /devices/{id} */

static void
devices_delete (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  const FestAuth *auth = fest_request_get_auth (req);
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  g_autoptr(FestDevice) device = NULL;
  JsonNode *old_values;

  if (!fest_uuid_is_valid (id)
      || (device = fest_platform_store_get_device (platform, auth->festival_id, id, &error)) == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such device", NULL);
      return;
    }

  if (!fest_platform_store_revoke_device (platform, auth->festival_id, id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  old_values = device_json (device, NULL);
  device->revoked = TRUE;
  audit_and_reply (req, "device.revoke", "device", id, old_values, device_json (device, NULL),
                   SOUP_STATUS_OK, device_json (device, NULL));
}

void
fest_routes_team_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/members", FEST_ROUTE_FESTIVAL, FEST_PERM_TEAM_READ,
                   members_list);
  fest_router_add (router, "POST", "/members", FEST_ROUTE_FESTIVAL, FEST_PERM_TEAM_MANAGE,
                   members_create);
  fest_router_add (router, "PATCH", "/members/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_TEAM_MANAGE,
                   members_patch);
  fest_router_add (router, "DELETE", "/members/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_TEAM_MANAGE,
                   members_delete);
  fest_router_add (router, "GET", "/devices", FEST_ROUTE_FESTIVAL, FEST_PERM_DEVICE_MANAGE,
                   devices_list);
  fest_router_add (router, "POST", "/devices", FEST_ROUTE_FESTIVAL, FEST_PERM_DEVICE_MANAGE,
                   devices_create);
  fest_router_add (router, "DELETE", "/devices/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_DEVICE_MANAGE,
                   devices_delete);
}
