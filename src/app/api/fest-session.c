/* fest-session.c: who is signed in where, and the festival in use: session restore, the stored
 * token, the user's festivals and the switch between them. No GTK.
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-secrets.h"
#include "fest-session.h"
#include "fest-settings.h"

struct _FestSession
{
  GObject       parent_instance;

  FestClient   *client;
  char         *server_key;
  GCancellable *cancellable;
  JsonObject   *user;
  JsonArray    *festivals;
  JsonObject   *festival;
  JsonObject   *pending_festival;  /* asked for with POST /auth/festival */
  char         *bound_festival_id; /* the festival the token is bound to */
};

G_DEFINE_FINAL_TYPE (FestSession, fest_session, G_TYPE_OBJECT)

enum
{
  LOADING,
  SIGN_IN_NEEDED,
  FESTIVALS_READY,
  FESTIVAL_READY,
  FESTIVALS_CHANGED,
  SWITCH_FAILED,
  NOTICE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define FESTIVALS_PATH "/festivals?per_page=500"

static const char *
json_string (JsonObject *object,
             const char *member)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, member) : NULL;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  return json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}

static void
set_bound_festival_id (FestSession *self,
                       const char  *id)
{
  g_free (self->bound_festival_id);
  self->bound_festival_id = g_strdup (id);
}

static void
set_festivals (FestSession *self,
               JsonArray   *festivals)
{
  g_clear_pointer (&self->festivals, json_array_unref);
  if (festivals != NULL)
    self->festivals = json_array_ref (festivals);
}

static void
sign_in_needed (FestSession *self,
                const char  *message)
{
  g_signal_emit (self, signals[SIGN_IN_NEEDED], 0, message);
}

/* The token is bound to @festival: it is the current one (and the one opened next time). */
static void
enter_festival (FestSession *self,
                JsonObject  *festival)
{
  const char *id = json_string (festival, "id");

  json_object_ref (festival);
  g_clear_pointer (&self->festival, json_object_unref);
  self->festival = festival;
  if (id != NULL)
    fest_settings_set_festival_id (id, NULL);

  g_signal_emit (self, signals[FESTIVAL_READY], 0, festival);
}

/* Keyring */

static void
store_token_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!fest_secrets_store_finish (result, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Your sign-in could not be saved: %s"),
                                                  error->message);

      g_signal_emit (self, signals[NOTICE], 0, message);
      return;
    }

  g_signal_emit (self, signals[NOTICE], 0,
                 fest_secrets_is_fallback ()
                 ? _("Your sign-in is stored in a file, not in a keyring") : NULL);
}

static void
store_token (FestSession *self)
{
  const char *token = self->client != NULL ? fest_client_get_token (self->client) : NULL;

  if (token == NULL || self->server_key == NULL)
    return;

  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, self->server_key, token, NULL,
                            store_token_cb, g_object_ref (self));
}

/* Requests */

static void
festivals_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);

      sign_in_needed (self, message);
      return;
    }

  set_festivals (self, JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL);
  g_signal_emit (self, signals[FESTIVALS_READY], 0);
}

static void
festivals_refresh_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return;

  set_festivals (self, json_node_get_array (node));
  g_signal_emit (self, signals[FESTIVALS_CHANGED], 0);
}

static void
me_cb (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  JsonNode *festivals;
  JsonNode *festival;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = NULL;

      fest_client_set_token (self->client, NULL);
      if (error != NULL && g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
        {
          /* The stored token expired or was revoked: forget it. */
          fest_secrets_clear_async (FEST_SECRET_KIND_SESSION, self->server_key, NULL, NULL, NULL);
          message = g_strdup (_("Your session has ended. Sign in again."));
        }
      else if (error != NULL)
        message = fest_client_describe_error (error);
      sign_in_needed (self, message);
      return;
    }

  object = json_node_get_object (node);
  g_clear_pointer (&self->user, json_object_unref);
  if (json_object_has_member (object, "user")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "user")))
    self->user = json_object_ref (json_object_get_object_member (object, "user"));
  else
    self->user = json_object_ref (object);

  festivals = json_object_get_member (object, "festivals");
  if (festivals != NULL && JSON_NODE_HOLDS_ARRAY (festivals))
    {
      set_festivals (self, json_node_get_array (festivals));
      g_signal_emit (self, signals[FESTIVALS_READY], 0);
      return;
    }

  /* The token is still bound to a festival: open it now, list the others in the background
   * (the switcher needs them, the dashboard does not). */
  festival = json_object_get_member (object, "festival");
  set_bound_festival_id (self, json_string (object, "festival_id"));
  if (festival != NULL && JSON_NODE_HOLDS_OBJECT (festival))
    {
      enter_festival (self, json_node_get_object (festival));
      fest_client_request_async (self->client, "GET", FESTIVALS_PATH, NULL, NULL,
                                 self->cancellable, festivals_refresh_cb, g_object_ref (self));
      return;
    }

  fest_client_request_async (self->client, "GET", FESTIVALS_PATH, NULL, NULL,
                             self->cancellable, festivals_cb, g_object_ref (self));
}

static void
lookup_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = NULL;

  token = fest_secrets_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  g_signal_emit (self, signals[NOTICE], 0, NULL);

  if (token == NULL)
    {
      sign_in_needed (self, NULL);
      return;
    }

  fest_client_set_token (self->client, token);
  fest_client_request_async (self->client, "GET", "/me", NULL, NULL, self->cancellable, me_cb,
                             g_object_ref (self));
}

static void
switch_festival_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) festival = g_steal_pointer (&self->pending_festival);
  JsonObject *data;
  const char *token;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);

      if (g_error_matches (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED))
        {
          sign_in_needed (self, _("Your session has ended. Sign in again."));
          return;
        }
      g_signal_emit (self, signals[SWITCH_FAILED], 0, message);
      return;
    }

  set_bound_festival_id (self, json_string (festival, "id"));

  /* The server may hand out a new token bound to the chosen festival. */
  data = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  token = json_string (data, "token");
  if (token != NULL && g_strcmp0 (token, fest_client_get_token (self->client)) != 0)
    {
      fest_client_set_token (self->client, token);
      store_token (self);
    }
  if (data != NULL && json_object_has_member (data, "festival")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (data, "festival")))
    {
      g_clear_pointer (&festival, json_object_unref);
      festival = json_object_ref (json_object_get_object_member (data, "festival"));
    }

  enter_festival (self, festival);
}

static void
festival_details_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(FestSession) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_autofree char *message = error != NULL ? fest_client_describe_error (error) : NULL;

      sign_in_needed (self, message);
      return;
    }

  enter_festival (self, json_node_get_object (node));
}

static gboolean
roles_allow_creation (JsonNode *node)
{
  JsonArray *roles;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;

  roles = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (roles); i++)
    {
      const char *role = json_array_get_string_element (roles, i);

      if (g_strcmp0 (role, "SUPERADMIN") == 0 || g_strcmp0 (role, "ORGANISER") == 0)
        return TRUE;
    }

  return FALSE;
}

static void
update_festival_object (JsonObject *target,
                        JsonObject *source)
{
  JsonObjectIter iter;
  const char *member;
  JsonNode *node;

  json_object_iter_init (&iter, source);
  while (json_object_iter_next (&iter, &member, &node))
    json_object_set_member (target, member, json_node_copy (node));
}

static void
clear_user (FestSession *self)
{
  g_clear_pointer (&self->user, json_object_unref);
  g_clear_pointer (&self->festivals, json_array_unref);
  g_clear_pointer (&self->festival, json_object_unref);
  g_clear_pointer (&self->pending_festival, json_object_unref);
  g_clear_pointer (&self->bound_festival_id, g_free);
}

static void
fest_session_dispose (GObject *object)
{
  FestSession *self = FEST_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (fest_session_parent_class)->dispose (object);
}

static void
fest_session_finalize (GObject *object)
{
  FestSession *self = FEST_SESSION (object);

  clear_user (self);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->server_key, g_free);

  G_OBJECT_CLASS (fest_session_parent_class)->finalize (object);
}

static void
fest_session_class_init (FestSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_session_dispose;
  object_class->finalize = fest_session_finalize;

  signals[LOADING] = g_signal_new ("loading", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[SIGN_IN_NEEDED] = g_signal_new ("sign-in-needed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[FESTIVALS_READY] = g_signal_new ("festivals-ready", G_TYPE_FROM_CLASS (klass),
                                           G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                           G_TYPE_NONE, 0);
  signals[FESTIVAL_READY] = g_signal_new ("festival-ready", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 1, JSON_TYPE_OBJECT);
  signals[FESTIVALS_CHANGED] = g_signal_new ("festivals-changed", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                             G_TYPE_NONE, 0);
  signals[SWITCH_FAILED] = g_signal_new ("switch-failed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 1, G_TYPE_STRING);
  signals[NOTICE] = g_signal_new ("notice", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fest_session_init (FestSession *self)
{
  self->cancellable = g_cancellable_new ();
}

FestSession *
fest_session_new (void)
{
  return g_object_new (FEST_TYPE_SESSION, NULL);
}

FestClient *
fest_session_get_client (FestSession *self)
{
  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  return self->client;
}

void
fest_session_set_client (FestSession *self,
                         FestClient  *client,
                         const char  *server_key)
{
  g_return_if_fail (FEST_IS_SESSION (self));
  g_return_if_fail (client == NULL || FEST_IS_CLIENT (client));

  g_set_object (&self->client, client);
  if (server_key != NULL)
    {
      g_free (self->server_key);
      self->server_key = g_strdup (server_key);
    }
}

void
fest_session_restart (FestSession *self)
{
  g_return_if_fail (FEST_IS_SESSION (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}

void
fest_session_restore (FestSession *self)
{
  g_return_if_fail (FEST_IS_SESSION (self));
  g_return_if_fail (self->client != NULL && self->server_key != NULL);

  fest_secrets_lookup_async (FEST_SECRET_KIND_SESSION, self->server_key, self->cancellable,
                             lookup_token_cb, g_object_ref (self));
}

void
fest_session_signed_in (FestSession *self,
                        JsonNode    *login)
{
  JsonObject *object;
  JsonNode *node;

  g_return_if_fail (FEST_IS_SESSION (self));

  object = login != NULL && JSON_NODE_HOLDS_OBJECT (login) ? json_node_get_object (login) : NULL;
  store_token (self);

  set_bound_festival_id (self, json_string (object, "festival_id"));

  g_clear_pointer (&self->user, json_object_unref);
  node = object != NULL ? json_object_get_member (object, "user") : NULL;
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    self->user = json_object_ref (json_node_get_object (node));

  fest_session_restart (self);
  node = object != NULL ? json_object_get_member (object, "festivals") : NULL;
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      set_festivals (self, json_node_get_array (node));
      g_signal_emit (self, signals[FESTIVALS_READY], 0);
      return;
    }

  g_signal_emit (self, signals[LOADING], 0, _("Opening the Festival…"));
  fest_client_request_async (self->client, "GET", FESTIVALS_PATH, NULL, NULL,
                             self->cancellable, festivals_cb, g_object_ref (self));
}

void
fest_session_sign_out (FestSession *self)
{
  g_return_if_fail (FEST_IS_SESSION (self));

  fest_session_restart (self);

  if (self->client != NULL && fest_client_get_token (self->client) != NULL)
    {
      /* Revoke the token server-side; the answer does not matter, the client forgets it now. */
      fest_client_request_async (self->client, "POST", "/auth/logout", NULL, NULL, NULL, NULL,
                                 NULL);
      fest_client_set_token (self->client, NULL);
    }
  if (self->server_key != NULL)
    fest_secrets_clear_async (FEST_SECRET_KIND_SESSION, self->server_key, NULL, NULL, NULL);

  clear_user (self);
}

JsonObject *
fest_session_get_user (FestSession *self)
{
  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  return self->user;
}

JsonArray *
fest_session_get_festivals (FestSession *self)
{
  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  return self->festivals;
}

JsonObject *
fest_session_get_festival (FestSession *self)
{
  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  return self->festival;
}

JsonObject *
fest_session_find_festival (FestSession *self,
                            const char  *id)
{
  guint n;

  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  n = self->festivals != NULL ? json_array_get_length (self->festivals) : 0;
  for (guint i = 0; i < n && id != NULL; i++)
    {
      JsonObject *festival = json_array_get_object_element (self->festivals, i);

      if (g_strcmp0 (json_string (festival, "id"), id) == 0)
        return festival;
    }

  return NULL;
}

JsonObject *
fest_session_pick_festival (FestSession *self)
{
  g_autofree char *remembered = NULL;
  JsonObject *festival;
  guint n;

  g_return_val_if_fail (FEST_IS_SESSION (self), NULL);

  remembered = fest_settings_get_festival_id ();
  festival = fest_session_find_festival (self, remembered);
  n = self->festivals != NULL ? json_array_get_length (self->festivals) : 0;
  if (festival == NULL && n == 1)
    festival = json_array_get_object_element (self->festivals, 0);

  return festival;
}

void
fest_session_select_festival (FestSession *self,
                              JsonObject  *festival)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  const char *id = json_string (festival, "id");

  g_return_if_fail (FEST_IS_SESSION (self));
  g_return_if_fail (id != NULL);

  /* The token is already bound to it: no need to switch. The login's list carries only ids and
   * names; the dashboard needs the currency. */
  if (g_strcmp0 (id, self->bound_festival_id) == 0)
    {
      g_autofree char *path = NULL;

      if (json_object_has_member (festival, "currency_name"))
        {
          enter_festival (self, festival);
          return;
        }

      g_signal_emit (self, signals[LOADING], 0, _("Opening the Festival…"));
      path = g_strdup_printf ("/festivals/%s", id);
      fest_client_request_async (self->client, "GET", path, NULL, NULL, self->cancellable,
                                 festival_details_cb, g_object_ref (self));
      return;
    }

  g_signal_emit (self, signals[LOADING], 0, _("Opening the Festival…"));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "festival_id");
  json_builder_add_string_value (builder, id);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  json_object_ref (festival);
  g_clear_pointer (&self->pending_festival, json_object_unref);
  self->pending_festival = festival;
  fest_client_request_async (self->client, "POST", "/auth/festival", body, NULL,
                             self->cancellable, switch_festival_cb, g_object_ref (self));
}

void
fest_session_add_festival (FestSession *self,
                           JsonObject  *festival)
{
  g_return_if_fail (FEST_IS_SESSION (self));
  g_return_if_fail (festival != NULL);

  if (self->festivals == NULL)
    self->festivals = json_array_new ();
  json_array_add_object_element (self->festivals, json_object_ref (festival));
}

gboolean
fest_session_update_festival (FestSession *self,
                              JsonObject  *festival)
{
  const char *id = json_string (festival, "id");
  guint n;

  g_return_val_if_fail (FEST_IS_SESSION (self), FALSE);

  if (id == NULL || g_strcmp0 (id, json_string (self->festival, "id")) != 0)
    return FALSE;

  n = self->festivals != NULL ? json_array_get_length (self->festivals) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *listed = json_array_get_object_element (self->festivals, i);

      if (listed != NULL && listed != self->festival
          && g_strcmp0 (json_string (listed, "id"), id) == 0)
        update_festival_object (listed, festival);
    }
  update_festival_object (self->festival, festival);

  return TRUE;
}

FestRoles
fest_session_festival_roles (FestSession *self,
                             JsonObject  *festival)
{
  JsonNode *node = festival != NULL ? json_object_get_member (festival, "roles") : NULL;
  JsonNode *superadmin = self->user != NULL ? json_object_get_member (self->user, "is_superadmin")
                                            : NULL;
  FestRoles roles = FEST_ROLE_NONE;

  g_return_val_if_fail (FEST_IS_SESSION (self), FEST_ROLE_NONE);

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);
          FestRole role;

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING
              && fest_role_from_string (json_node_get_string (element), &role))
            roles |= role;
        }
    }
  if (superadmin != NULL && JSON_NODE_HOLDS_VALUE (superadmin)
      && json_node_get_value_type (superadmin) == G_TYPE_BOOLEAN
      && json_node_get_boolean (superadmin))
    roles |= FEST_ROLE_SUPERADMIN;

  return roles;
}

gboolean
fest_session_can_create_festival (FestSession *self)
{
  JsonNode *node;
  guint n;

  g_return_val_if_fail (FEST_IS_SESSION (self), FALSE);

  if (self->user == NULL)
    return FALSE;

  node = json_object_get_member (self->user, "is_superadmin");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_boolean (node))
    return TRUE;

  n = self->festivals != NULL ? json_array_get_length (self->festivals) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *festival = json_array_get_object_element (self->festivals, i);

      if (festival != NULL && roles_allow_creation (json_object_get_member (festival, "roles")))
        return TRUE;
    }

  return FALSE;
}
