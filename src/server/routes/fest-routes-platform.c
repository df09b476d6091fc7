/* fest-routes-platform.c: health, auth and me (the festivals: fest-routes-festivals.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fest-routes-platform-private.h"
#include "fest-request-private.h"
#include "fest-router.h"
#include "fest-server-private.h"
#include "fest-catalog-repo.h"
#include "fest-festival-repo.h" /* fest_festival_repo_read */

#define MAX_NAME_CHARS     200
#define MAX_EMAIL_CHARS    254

/* Helpers shared with the team routes (fest-routes-platform-private.h) */

JsonNode *
_fest_strv_node (FestRoles roles)
{
  g_auto(GStrv) names = fest_roles_to_strv (roles);
  JsonArray *array = json_array_new ();
  JsonNode *node = json_node_new (JSON_NODE_ARRAY);

  for (guint i = 0; names[i] != NULL; i++)
    json_array_add_string_element (array, names[i]);
  json_node_take_array (node, array);
  return node;
}

static JsonNode *
object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
_fest_festival_json_for (FestServer  *server,
                         const char  *festival_id,
                         FestRoles    roles,
                         GError     **error)
{
  FestFestivalStore *store = fest_server_get_festival_store (server, festival_id, error);
  JsonNode *node;

  if (store == NULL)
    return NULL;
  node = fest_festival_repo_read (store, error);
  if (node == NULL)
    return NULL;
  json_object_set_member (json_node_get_object (node), "roles", _fest_strv_node (roles));
  return node;
}

static JsonNode *
user_json (const char *id,
           const char *email,
           const char *name,
           gboolean    is_superadmin)
{
  JsonObject *user = json_object_new ();

  json_object_set_string_member (user, "id", id);
  json_object_set_string_member (user, "email", email);
  json_object_set_string_member (user, "name", name);
  json_object_set_boolean_member (user, "is_superadmin", is_superadmin);
  return object_node (user);
}

gboolean
_fest_email_is_valid (const char *email)
{
  const char *at;

  if (email == NULL || !g_utf8_validate (email, -1, NULL))
    return FALSE;
  if (g_utf8_strlen (email, -1) > MAX_EMAIL_CHARS)
    return FALSE;
  at = strchr (email, '@');
  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;
  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p))
      return FALSE;
  return TRUE;
}

/* GET /health */

static void
health (FestRequest *req)
{
  static const char body[] = "{\"data\":{\"status\":\"ok\"}}";
  static GBytes *bytes;

  if (g_once_init_enter (&bytes))
    g_once_init_leave (&bytes, g_bytes_new_static (body, strlen (body)));
  fest_request_reply_bytes (req, SOUP_STATUS_OK, "application/json; charset=utf-8", bytes);
}

/* POST /auth/login */

typedef struct
{
  FestRequest *req;
  char        *password;
  char        *password_hash;   /* NULL: unknown email, verified against a dummy hash */
  char        *account_id;
  char        *festival_id;     /* requested, nullable */
  char        *throttle_key;    /* the e-mail's throttle key; NULL when rate limiting is off */
  char        *address;         /* the client's address */
} Login;

static void
login_free (gpointer data)
{
  Login *login = data;

  if (login->password != NULL)
    sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->password_hash);
  g_free (login->account_id);
  g_free (login->festival_id);
  g_free (login->throttle_key);
  g_free (login->address);
  g_clear_pointer (&login->req, fest_request_unref);
  g_free (login);
}

static const char *
dummy_hash (void)
{
  static char *hash;

  /* Unknown emails cost as much as wrong passwords: nothing tells them apart. */
  if (g_once_init_enter (&hash))
    g_once_init_leave (&hash, fest_password_hash ("not a password of anyone", NULL));
  return hash;
}

static void
login_verify_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  Login *login = task_data;
  gboolean ok;

  if (login->password_hash != NULL)
    ok = fest_password_verify (login->password_hash, login->password);
  else
    {
      fest_password_verify (dummy_hash (), login->password);
      ok = FALSE;
    }

  g_task_return_boolean (task, ok);
}

static void
login_verified_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  Login *login = g_task_get_task_data (G_TASK (result));
  FestRequest *req = login->req;
  FestServer *server = fest_request_get_server (req);
  FestPlatformStore *platform = fest_server_get_platform (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAccount) account = NULL;
  g_autoptr(GPtrArray) memberships = NULL;
  g_autofree char *token = NULL;
  g_autofree char *expires_text = NULL;
  g_autoptr(GDateTime) expires_time = NULL;
  const char *current = NULL;
  FestRoles current_roles = 0;
  JsonObject *data;
  JsonArray *festivals;
  gint64 expires_at = 0;
  gboolean verified = g_task_propagate_boolean (G_TASK (result), NULL);
  FestRateLimiter *limiter = _fest_server_get_rate_limiter (server);

  if (limiter != NULL && login->throttle_key != NULL)
    fest_rate_limiter_login_end (limiter, login->throttle_key, login->address, verified);

  if (!verified)
    {
      fest_request_reply_error (req, FEST_ERROR_UNAUTHENTICATED, "Invalid email or password", NULL);
      return;
    }

  account = fest_platform_store_get_account (platform, login->account_id, &error);
  if (account == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_UNAUTHENTICATED, "Invalid email or password", NULL);
      return;
    }

  memberships = fest_platform_store_list_memberships (platform, account->id, account->is_superadmin,
                                                      0, G_MAXINT32, NULL, &error);
  if (memberships == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  /* The requested festival if allowed, else the first membership, else none. */
  for (guint i = 0; i < memberships->len; i++)
    {
      FestMembership *membership = g_ptr_array_index (memberships, i);

      if (login->festival_id != NULL && g_str_equal (membership->festival_id, login->festival_id)
          && (membership->roles != 0 || account->is_superadmin))
        {
          current = membership->festival_id;
          current_roles = membership->roles;
          break;
        }
    }
  if (current == NULL)
    for (guint i = 0; i < memberships->len; i++)
      {
        FestMembership *membership = g_ptr_array_index (memberships, i);

        if (membership->roles != 0)
          {
            current = membership->festival_id;
            current_roles = membership->roles;
            break;
          }
      }

  token = fest_platform_store_issue_session (platform, account->id, current,
                                             fest_server_get_config (server)->token_lifetime_s,
                                             &expires_at, &error);
  if (token == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  expires_time = g_date_time_new_from_unix_utc (expires_at);
  expires_text = fest_time_format (expires_time);

  data = json_object_new ();
  json_object_set_string_member (data, "token", token);
  json_object_set_string_member (data, "expires_at", expires_text);
  json_object_set_member (data, "user", user_json (account->id, account->email, account->name,
                                                   account->is_superadmin));
  festivals = json_array_new ();
  for (guint i = 0; i < memberships->len; i++)
    {
      FestMembership *membership = g_ptr_array_index (memberships, i);
      JsonObject *festival = json_object_new ();

      json_object_set_string_member (festival, "id", membership->festival_id);
      json_object_set_string_member (festival, "name", membership->festival_name);
      json_object_set_member (festival, "roles", _fest_strv_node (membership->roles));
      json_array_add_object_element (festivals, festival);
    }
  json_object_set_array_member (data, "festivals", festivals);
  fest_json_set_nullable_string (data, "festival_id", current);
  json_object_set_member (data, "roles",
                          _fest_strv_node (current_roles
                                           | (account->is_superadmin ? FEST_ROLE_SUPERADMIN : 0)));

  fest_request_reply_data (req, SOUP_STATUS_OK, object_node (data));
}

static void
auth_login (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  FestRateLimiter *limiter = _fest_server_get_rate_limiter (fest_request_get_server (req));
  g_autofree char *throttle_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAccount) account = NULL;
  g_autoptr(GTask) task = NULL;
  JsonObject *body;
  const char *email = NULL;
  const char *password = NULL;
  const char *festival_id = NULL;
  Login *login;

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_string (body, "email", TRUE, &email, &error)
      || !fest_json_get_string (body, "password", TRUE, &password, &error)
      || !fest_json_get_uuid (body, "festival_id", FALSE, &festival_id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  account = fest_platform_store_find_account (platform, email, &error);
  if (error != NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  /* Known or not, the e-mail is throttled the same: a 429 says nothing about the account. */
  if (limiter != NULL)
    {
      guint retry_after = 1;

      throttle_key = fest_rate_limiter_login_key (email);
      if (!fest_rate_limiter_login_begin (limiter, throttle_key, _fest_request_get_ip (req),
                                          &retry_after))
        {
          _fest_request_reply_rate_limited (req, retry_after);
          return;
        }
    }

  login = g_new0 (Login, 1);
  login->req = fest_request_ref (req);
  login->password = g_strdup (password);
  login->festival_id = g_strdup (festival_id);
  login->throttle_key = g_steal_pointer (&throttle_key);
  login->address = g_strdup (_fest_request_get_ip (req));
  if (account != NULL)
    {
      login->password_hash = g_strdup (account->password_hash);
      login->account_id = g_strdup (account->id);
    }

  fest_request_pause (req);
  task = g_task_new (NULL, NULL, login_verified_cb, NULL);
  g_task_set_source_tag (task, auth_login);
  g_task_set_task_data (task, login, login_free);
  g_task_run_in_thread (task, login_verify_thread);
}

/* POST /auth/logout */

static void
auth_logout (FestRequest *req)
{
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));
  g_autoptr(GError) error = NULL;

  if (!fest_platform_store_revoke_token (platform, fest_request_get_auth (req)->token_hash, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_data (req, SOUP_STATUS_OK, NULL);
}

/* POST /auth/festival */

gboolean
_fest_festival_roles_of (FestServer     *server,
                         const FestAuth *auth,
                         const char     *festival_id,
                         FestRoles      *roles)
{
  FestPlatformStore *platform = fest_server_get_platform (server);

  *roles = 0;
  if (auth->account_id == NULL)
    {
      /* A device belongs to one festival. */
      if (g_strcmp0 (auth->festival_id, festival_id) != 0)
        return FALSE;
      *roles = auth->roles;
      return TRUE;
    }

  if (fest_platform_store_get_roles (platform, festival_id, auth->account_id, roles))
    return TRUE;

  return (auth->roles & FEST_ROLE_SUPERADMIN) && fest_platform_store_has_festival (platform,
                                                                                     festival_id);
}

static void
auth_festival (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  FestPlatformStore *platform = fest_server_get_platform (server);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) festival = NULL;
  JsonObject *body;
  JsonObject *data;
  const char *festival_id = NULL;
  FestRoles roles = 0;

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;
  if (!fest_json_get_uuid (body, "festival_id", TRUE, &festival_id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  if (auth->device_id != NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN,
                                "A device token is bound to its festival", NULL);
      return;
    }

  if (!_fest_festival_roles_of (server, auth, festival_id, &roles))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No such festival", NULL);
      return;
    }

  festival = _fest_festival_json_for (server, festival_id, roles, &error);
  if (festival == NULL
      || !fest_platform_store_set_token_festival (platform, auth->token_hash, festival_id, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  data = json_object_new ();
  json_object_set_member (data, "festival", g_steal_pointer (&festival));
  json_object_set_string_member (data, "festival_id", festival_id);
  json_object_set_member (data, "roles",
                          _fest_strv_node (roles | (auth->roles & FEST_ROLE_SUPERADMIN)));
  fest_request_reply_data (req, SOUP_STATUS_OK, object_node (data));
}

/* GET /me */

static void
me (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  JsonObject *data = json_object_new ();
  JsonNode *festival = NULL;

  if (auth->account_id != NULL)
    {
      g_autoptr(FestAccount) account = fest_platform_store_get_account (fest_server_get_platform (server),
                                                                        auth->account_id, &error);
      if (account == NULL)
        {
          json_object_unref (data);
          fest_request_reply_gerror (req, error);
          return;
        }
      json_object_set_member (data, "user", user_json (account->id, account->email, account->name,
                                                       account->is_superadmin));
      json_object_set_null_member (data, "device");
    }
  else
    {
      g_autoptr(FestDevice) device = fest_platform_store_get_device (fest_server_get_platform (server),
                                                                     auth->festival_id,
                                                                     auth->device_id, &error);
      JsonObject *object = json_object_new ();

      if (device == NULL)
        {
          json_object_unref (object);
          json_object_unref (data);
          fest_request_reply_gerror (req, error);
          return;
        }
      json_object_set_string_member (object, "id", device->id);
      json_object_set_string_member (object, "name", device->name);
      fest_json_set_nullable_string (object, "stand_id", device->stand_id);
      json_object_set_string_member (object, "mode", device->mode);
      json_object_set_null_member (data, "user");
      json_object_set_object_member (data, "device", object);
      fest_json_set_nullable_string (data, "mode", device->mode);

      /* The stand, for the station's header. */
      if (device->stand_id != NULL && auth->store != NULL)
        {
          JsonObject *stand = fest_catalog_repo_stand_brief (auth->store, device->stand_id);

          if (stand != NULL)
            json_object_set_object_member (data, "stand", stand);
        }
      if (!json_object_has_member (data, "stand"))
        json_object_set_null_member (data, "stand");
    }

  if (auth->festival_id != NULL)
    festival = _fest_festival_json_for (server, auth->festival_id, auth->roles & ~FEST_ROLE_SUPERADMIN,
                                  NULL);
  json_object_set_member (data, "festival", festival != NULL ? festival
                                                             : json_node_new (JSON_NODE_NULL));
  fest_json_set_nullable_string (data, "festival_id", festival != NULL ? auth->festival_id : NULL);
  json_object_set_member (data, "roles", _fest_strv_node (auth->roles));

  fest_request_reply_data (req, SOUP_STATUS_OK, object_node (data));
}

/* PATCH /me {name}: the account's own name (the first account is created from the command line,
 * which knows only its email). */

static void
me_patch (FestRequest *req)
{
  FestServer *server = fest_request_get_server (req);
  const FestAuth *auth = fest_request_get_auth (req);
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  JsonObject *body;

  if (auth->account_id == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "A device has no account to rename",
                                NULL);
      return;
    }

  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;

  if (!fest_json_get_text (body, "name", TRUE, MAX_NAME_CHARS, &name, &error)
      || !fest_platform_store_set_account_name (fest_server_get_platform (server),
                                                auth->account_id, name, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  me (req);
}

void
fest_routes_platform_register (FestRouter *router)
{
  fest_router_add_full (router, "GET", "/health", FEST_ROUTE_PUBLIC, FEST_PERM_NONE,
                        FEST_RATE_CLASS_NONE, health);
  fest_router_add_full (router, "POST", "/auth/login", FEST_ROUTE_PUBLIC, FEST_PERM_NONE,
                        FEST_RATE_CLASS_LOGIN, auth_login);
  fest_router_add (router, "POST", "/auth/logout", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE,
                   auth_logout);
  fest_router_add (router, "POST", "/auth/festival", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE,
                   auth_festival);
  fest_router_add (router, "GET", "/me", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE, me);
  fest_router_add (router, "PATCH", "/me", FEST_ROUTE_AUTHENTICATED, FEST_PERM_NONE, me_patch);
  _fest_routes_festivals_register (router);
}
