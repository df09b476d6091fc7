/* fest-client.c: the app's one HTTP client for the Festivals API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "fest-client.h"
#include "fest-json.h"

#define FEST_CLIENT_TIMEOUT_S 10

struct _FestClient
{
  GObject              parent_instance;

  char                *base_url;
  char                *token;
  SoupSession         *session;
  FestConnectionState  connection_state;
};

G_DEFINE_FINAL_TYPE (FestClient, fest_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_CONNECTION_STATE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

GType
fest_connection_state_get_type (void)
{
  static gsize type_id = 0;

  if (g_once_init_enter (&type_id))
    {
      static const GEnumValue values[] = {
        { FEST_CONNECTION_ONLINE, "FEST_CONNECTION_ONLINE", "online" },
        { FEST_CONNECTION_OFFLINE, "FEST_CONNECTION_OFFLINE", "offline" },
        { FEST_CONNECTION_RECONNECTING, "FEST_CONNECTION_RECONNECTING", "reconnecting" },
        { 0, NULL, NULL },
      };
      GType id = g_enum_register_static (g_intern_static_string ("FestConnectionState"), values);

      g_once_init_leave (&type_id, id);
    }

  return type_id;
}

static gboolean
is_network_error (const GError *error)
{
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  return error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR
         || error->domain == G_TLS_ERROR || error->domain == SOUP_SESSION_ERROR;
}

/* Turns a non-2xx answer into a FEST_ERROR from its error envelope, or a G_IO_ERROR_INVALID_DATA
 * when the body is not one (not a Festivals server, or a proxy's page). */
static GError *
error_from_response (guint   status,
                     GBytes *body)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error_object;
  FestErrorCode code;
  const char *code_name;
  const char *message;
  JsonNode *details;
  gsize size = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &size) : NULL;

  if (data != NULL && size > 0)
    root = fest_json_parse (data, size, NULL);

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "error")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "error")))
    return g_error_new (G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                        _("The server answered with HTTP status %u"), status);

  error_object = json_object_get_object_member (json_node_get_object (root), "error");
  code_name = json_object_get_string_member_with_default (error_object, "code", "INTERNAL");
  message = json_object_get_string_member_with_default (error_object, "message", code_name);
  if (!fest_error_code_from_string (code_name, &code))
    code = FEST_ERROR_INTERNAL;

  details = json_object_get_member (error_object, "details");
  if (details != NULL && !JSON_NODE_HOLDS_NULL (details))
    return fest_error_new_with_details (code, json_node_copy (details), "%s", message);

  return g_error_new_literal (FEST_ERROR, code, message);
}

static SoupMessage *
build_message (FestClient *self,
               const char *method,
               const char *path,
               JsonNode   *body,
               const char *idempotency_key,
               GError    **error)
{
  g_autofree char *url = fest_client_build_url (self, path);
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SoupMessage) message = NULL;
  SoupMessageHeaders *headers;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, error);
  if (uri == NULL)
    return NULL;

  message = soup_message_new_from_uri (method, uri);
  headers = soup_message_get_request_headers (message);
  soup_message_headers_replace (headers, "Accept", "application/json");
  if (self->token != NULL)
    {
      g_autofree char *authorization = g_strdup_printf ("Bearer %s", self->token);

      soup_message_headers_replace (headers, "Authorization", authorization);
    }
  if (idempotency_key != NULL)
    soup_message_headers_replace (headers, "Idempotency-Key", idempotency_key);

  if (body != NULL)
    {
      gsize length = 0;
      char *text = fest_json_to_string (body, &length);
      g_autoptr(GBytes) bytes = g_bytes_new_take (text, length);

      soup_message_set_request_body_from_bytes (message, "application/json", bytes);
    }

  return g_steal_pointer (&message);
}

/* Finishes the exchange of @task: the body of a successful answer, or NULL once @task has returned
 * the network error or the server's error. Keeps the client's connection state. */
static GBytes *
read_response (GTask        *task,
               SoupSession  *session,
               GAsyncResult *result,
               guint        *status)
{
  FestClient *self = g_task_get_source_object (task);
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  body = soup_session_send_and_read_finish (session, result, &error);
  if (body == NULL)
    {
      if (is_network_error (error))
        fest_client_set_connection_state (self, FEST_CONNECTION_OFFLINE);
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  fest_client_set_connection_state (self, FEST_CONNECTION_ONLINE);

  *status = soup_message_get_status (message);
  if (!SOUP_STATUS_IS_SUCCESSFUL (*status))
    {
      g_task_return_error (task, error_from_response (*status, body));
      return NULL;
    }
  return g_steal_pointer (&body);
}

static void
request_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonNode *data;
  gint64 *meta_total;
  guint status;
  gsize size = 0;
  const char *text;

  body = read_response (task, session, result, &status);
  if (body == NULL)
    return;

  meta_total = g_new (gint64, 1);
  *meta_total = -1;
  g_task_set_task_data (task, meta_total, g_free);

  text = g_bytes_get_data (body, &size);
  if (status == SOUP_STATUS_NO_CONTENT || size == 0)
    {
      g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
      return;
    }

  root = fest_json_parse (text, size, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                               _("The server’s answer is not valid JSON"));
      return;
    }

  object = json_node_get_object (root);
  if (json_object_has_member (object, "meta")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "meta")))
    {
      JsonObject *meta = json_object_get_object_member (object, "meta");

      *meta_total = json_object_get_int_member_with_default (meta, "total", -1);
    }

  data = json_object_get_member (object, "data");
  if (data == NULL)
    g_task_return_pointer (task, json_node_new (JSON_NODE_NULL), (GDestroyNotify) json_node_unref);
  else
    g_task_return_pointer (task, json_node_copy (data), (GDestroyNotify) json_node_unref);
}

static void
bytes_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  SoupSession *session = SOUP_SESSION (source);
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = soup_session_get_async_result_message (session, result);
  g_autoptr(GBytes) body = NULL;
  const char *content_type;
  guint status;

  body = read_response (task, session, result, &status);
  if (body == NULL)
    return;

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (message),
                                                        NULL);
  g_task_set_task_data (task, g_strdup (content_type), g_free);
  g_task_return_pointer (task, g_steal_pointer (&body), (GDestroyNotify) g_bytes_unref);
}

static void
fest_client_finalize (GObject *object)
{
  FestClient *self = FEST_CLIENT (object);

  soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->token, g_free);

  G_OBJECT_CLASS (fest_client_parent_class)->finalize (object);
}

static void
fest_client_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  FestClient *self = FEST_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TOKEN:
      g_value_set_string (value, self->token);
      break;
    case PROP_CONNECTION_STATE:
      g_value_set_enum (value, self->connection_state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_client_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  FestClient *self = FEST_CLIENT (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize length = url != NULL ? strlen (url) : 0;

        /* Keep it without trailing slashes so that paths can be appended. */
        while (length > 0 && url[length - 1] == '/')
          length--;
        self->base_url = g_strndup (url != NULL ? url : "", length);
      }
      break;
    case PROP_TOKEN:
      fest_client_set_token (self, g_value_get_string (value));
      break;
    case PROP_CONNECTION_STATE:
      fest_client_set_connection_state (self, g_value_get_enum (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_client_class_init (FestClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = fest_client_finalize;
  object_class->get_property = fest_client_get_property;
  object_class->set_property = fest_client_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTION_STATE] =
    g_param_spec_enum ("connection-state", NULL, NULL,
                       FEST_TYPE_CONNECTION_STATE, FEST_CONNECTION_ONLINE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
fest_client_init (FestClient *self)
{
  g_autofree char *user_agent = g_strdup_printf ("Festivals/%s ", PACKAGE_VERSION);

  /* A dead server must never hold a request for long: every wait is bounded. */
  self->session = soup_session_new_with_options ("timeout", FEST_CLIENT_TIMEOUT_S,
                                                 "idle-timeout", 60,
                                                 "user-agent", user_agent,
                                                 NULL);
  self->connection_state = FEST_CONNECTION_ONLINE;
}

FestClient *
fest_client_new (const char *base_url)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (FEST_TYPE_CLIENT, "base-url", base_url, NULL);
}

const char *
fest_client_get_base_url (FestClient *self)
{
  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);

  return self->base_url;
}

void
fest_client_set_token (FestClient *self,
                       const char *token)
{
  g_return_if_fail (FEST_IS_CLIENT (self));

  if (g_strcmp0 (self->token, token) == 0)
    return;

  g_free (self->token);
  self->token = g_strdup (token);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TOKEN]);
}

const char *
fest_client_get_token (FestClient *self)
{
  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);

  return self->token;
}

SoupSession *
fest_client_get_session (FestClient *self)
{
  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);

  return self->session;
}

FestConnectionState
fest_client_get_connection_state (FestClient *self)
{
  g_return_val_if_fail (FEST_IS_CLIENT (self), FEST_CONNECTION_OFFLINE);

  return self->connection_state;
}

void
fest_client_set_connection_state (FestClient          *self,
                                  FestConnectionState  state)
{
  g_return_if_fail (FEST_IS_CLIENT (self));

  if (self->connection_state == state)
    return;

  self->connection_state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTION_STATE]);
}

char *
fest_client_build_url (FestClient *self,
                       const char *path)
{
  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);
  g_return_val_if_fail (path != NULL, NULL);

  return g_strconcat (self->base_url, "/api/v1", path[0] == '/' ? "" : "/", path, NULL);
}

void
fest_client_request_async (FestClient          *self,
                           const char          *method,
                           const char          *path,
                           JsonNode            *body,
                           const char          *idempotency_key,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FEST_IS_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_client_request_async);

  message = build_message (self, method, path, body, idempotency_key, &error);
  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    request_cb, g_steal_pointer (&task));
}

JsonNode *
fest_client_request_finish (FestClient    *self,
                            GAsyncResult  *result,
                            gint64        *meta_total,
                            GError       **error)
{
  JsonNode *node;

  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  node = g_task_propagate_pointer (G_TASK (result), error);
  if (meta_total != NULL)
    {
      gint64 *total = g_task_get_task_data (G_TASK (result));

      *meta_total = (node != NULL && total != NULL) ? *total : -1;
    }

  return node;
}

void
fest_client_get_bytes_async (FestClient          *self,
                             const char          *path,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (FEST_IS_CLIENT (self));
  g_return_if_fail (path != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_client_get_bytes_async);

  message = build_message (self, "GET", path, NULL, NULL, &error);
  if (message == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  soup_message_headers_replace (soup_message_get_request_headers (message), "Accept", "*/*");

  soup_session_send_and_read_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                                    bytes_cb, g_steal_pointer (&task));
}

GBytes *
fest_client_get_bytes_finish (FestClient    *self,
                              GAsyncResult  *result,
                              char         **content_type,
                              GError       **error)
{
  GBytes *bytes;

  g_return_val_if_fail (FEST_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  bytes = g_task_propagate_pointer (G_TASK (result), error);
  if (content_type != NULL)
    *content_type = bytes != NULL ? g_strdup (g_task_get_task_data (G_TASK (result))) : NULL;

  return bytes;
}

char *
fest_client_describe_error (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == FEST_ERROR)
    return g_strdup (error->message);

  if (error->domain == G_TLS_ERROR)
    return g_strdup (_("The server’s security certificate is not valid"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_strdup (_("The server did not answer in time"));

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA))
    return g_strdup (_("This is not a Festivals server"));

  if (error->domain == G_IO_ERROR || error->domain == G_RESOLVER_ERROR
      || error->domain == SOUP_SESSION_ERROR)
    return g_strdup (_("The server cannot be reached. Check the address and the network."));

  return g_strdup (error->message);
}
