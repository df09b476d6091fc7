/* fest-security-guard.c: the guard on duty at a security station: their sign-in and token
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The station's device token says which station this is, not who stands at it: the guard signs in
 * with their own account (POST /auth/login, bound to the station's festival). Their token is kept
 * in the keyring beside the device token (its key: the station's, plus "#guard"), so that a
 * restarted station still has it, and is handed to the sync engine, which pushes the guard's own
 * operations (resolutions of their incidents: the server lets only the assignee resolve) with it.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-secrets.h"
#include "fest-security-guard.h"

struct _FestSecurityGuard
{
  GObject             parent_instance;

  FestStationContext *context;
  GCancellable       *cancellable;
  FestClient         *client;   /* the guard's token; NULL before signing in */
};

G_DEFINE_FINAL_TYPE (FestSecurityGuard, fest_security_guard, G_TYPE_OBJECT)

enum {
  CHANGED,
  FAILED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

void
fest_security_guard_share_token (FestSecurityGuard *self)
{
  FestSyncEngine *engine;

  g_return_if_fail (FEST_IS_SECURITY_GUARD (self));
  engine = fest_station_context_get_engine (self->context);
  if (engine != NULL)
    fest_sync_engine_set_operator_token (engine, self->client != NULL ? fest_client_get_token (self->client) : NULL);
}

static char *
secret_key (FestSecurityGuard *self)
{
  g_autofree char *station_key = fest_station_context_dup_secret_key (self->context);

  return g_strconcat (station_key != NULL ? station_key : "", "#guard", NULL);
}

static void
secret_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean ok = GPOINTER_TO_INT (user_data) ? fest_secrets_store_finish (result, &error)
                                            : fest_secrets_clear_finish (result, &error);

  if (!ok)
    g_warning ("The guard's token in the keyring: %s", error->message);
}

FestClient *
fest_security_guard_get_client (FestSecurityGuard *self)
{
  g_return_val_if_fail (FEST_IS_SECURITY_GUARD (self), NULL);
  return self->client;
}

void
fest_security_guard_sign_out (FestSecurityGuard *self,
                              gboolean           logout)
{
  FestStationStore *store;
  g_autofree char *key = NULL;

  g_return_if_fail (FEST_IS_SECURITY_GUARD (self));

  store = fest_station_context_get_store (self->context);
  key = secret_key (self);
  if (logout && self->client != NULL)
    fest_client_request_async (self->client, "POST", "/auth/logout", NULL, NULL, NULL, NULL, NULL);
  g_clear_object (&self->client);
  fest_security_guard_share_token (self);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GUARD_ID, NULL, NULL);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GUARD_NAME, NULL, NULL);
  fest_secrets_clear_async (FEST_SECRET_KIND_SESSION, key, NULL, secret_done_cb, GINT_TO_POINTER (FALSE));
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
login_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(FestSecurityGuard) self = user_data;
  g_autoptr(JsonNode) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  FestStationStore *store;
  JsonObject *object, *user;
  const char *token;

  data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);
  if (g_cancellable_is_cancelled (self->cancellable))
    return;
  if (data == NULL)
    {
      g_autofree char *text = fest_client_describe_error (error);

      g_signal_emit (self, signals[FAILED], 0, text);
      return;
    }
  object = JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;
  user = object != NULL && json_object_has_member (object, "user") &&
         JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "user"))
         ? json_object_get_object_member (object, "user") : NULL;
  token = object != NULL ? json_object_get_string_member_with_default (object, "token", NULL) : NULL;
  if (token == NULL || user == NULL || json_object_get_string_member_with_default (user, "id", NULL) == NULL)
    {
      g_signal_emit (self, signals[FAILED], 0, _("The server did not sign you in"));
      return;
    }

  store = fest_station_context_get_store (self->context);
  fest_client_set_token (FEST_CLIENT (source), token);
  g_set_object (&self->client, FEST_CLIENT (source));
  fest_station_store_set_setting (store, FEST_STATION_KEY_GUARD_ID, json_object_get_string_member (user, "id"), NULL);
  fest_station_store_set_setting (store, FEST_STATION_KEY_GUARD_NAME,
                                  json_object_get_string_member_with_default (user, "name",
                                                                              json_object_get_string_member_with_default (user, "email", "")),
                                  NULL);
  key = secret_key (self);
  fest_secrets_store_async (FEST_SECRET_KIND_SESSION, key, token, NULL, secret_done_cb, GINT_TO_POINTER (TRUE));
  fest_security_guard_share_token (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
fest_security_guard_sign_in (FestSecurityGuard *self,
                             const char        *email,
                             const char        *password)
{
  FestStationStore *store;
  g_autoptr(FestClient) client = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *festival_id = NULL;

  g_return_if_fail (FEST_IS_SECURITY_GUARD (self));

  if (email == NULL || *email == '\0' || password == NULL || *password == '\0')
    {
      g_signal_emit (self, signals[FAILED], 0, _("Type your email and password"));
      return;
    }
  store = fest_station_context_get_store (self->context);
  festival_id = fest_station_store_get_setting (store, FEST_STATION_KEY_FESTIVAL_ID);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "password");
  json_builder_add_string_value (builder, password);
  if (festival_id != NULL)
    {
      json_builder_set_member_name (builder, "festival_id");
      json_builder_add_string_value (builder, festival_id);
    }
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  client = fest_client_new (fest_station_context_get_server_url (self->context));
  fest_client_request_async (client, "POST", "/auth/login", body, NULL, self->cancellable, login_cb,
                             g_object_ref (self));
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(FestSecurityGuard) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *token = fest_secrets_lookup_finish (result, &error);
  g_autofree char *guard_id = NULL;

  if (g_cancellable_is_cancelled (self->cancellable) || self->client != NULL)
    return;
  guard_id = fest_station_store_get_setting (fest_station_context_get_store (self->context), FEST_STATION_KEY_GUARD_ID);
  if (token == NULL || guard_id == NULL)
    {
      if (error != NULL)
        g_warning ("The guard's token in the keyring: %s", error->message);
      return;
    }
  self->client = fest_client_new (fest_station_context_get_server_url (self->context));
  fest_client_set_token (self->client, token);
  fest_security_guard_share_token (self);
  g_signal_emit (self, signals[CHANGED], 0);
}

void
fest_security_guard_restore (FestSecurityGuard *self)
{
  g_autofree char *guard_id = NULL;
  g_autofree char *key = NULL;

  g_return_if_fail (FEST_IS_SECURITY_GUARD (self));

  guard_id = fest_station_store_get_setting (fest_station_context_get_store (self->context), FEST_STATION_KEY_GUARD_ID);
  if (guard_id == NULL)
    return;
  key = secret_key (self);
  fest_secrets_lookup_async (FEST_SECRET_KIND_SESSION, key, self->cancellable, lookup_cb, g_object_ref (self));
}

static void
fest_security_guard_dispose (GObject *object)
{
  FestSecurityGuard *self = FEST_SECURITY_GUARD (object);

  g_cancellable_cancel (self->cancellable);
  G_OBJECT_CLASS (fest_security_guard_parent_class)->dispose (object);
}

static void
fest_security_guard_finalize (GObject *object)
{
  FestSecurityGuard *self = FEST_SECURITY_GUARD (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_security_guard_parent_class)->finalize (object);
}

static void
fest_security_guard_class_init (FestSecurityGuardClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = fest_security_guard_dispose;
  G_OBJECT_CLASS (klass)->finalize = fest_security_guard_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                   G_TYPE_NONE, 0);
  signals[FAILED] = g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
fest_security_guard_init (FestSecurityGuard *self)
{
  self->cancellable = g_cancellable_new ();
}

FestSecurityGuard *
fest_security_guard_new (FestStationContext *context)
{
  FestSecurityGuard *self;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);

  self = g_object_new (FEST_TYPE_SECURITY_GUARD, NULL);
  self->context = g_object_ref (context);
  return self;
}
