/* fest-server-auth.c: who is asking: the bearer token, the festival it opens, the permission of
 * the route and the rate limit, before a handler runs
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-server-internal.h"

/* @allow_query_token: whether ?access_token= may stand in for the header. Only the WebSocket
 * upgrade needs it: a token in a URL ends up in proxy logs, browser history and Referer headers. */
static FestAuthEntry *
resolve_bearer (FestServer         *self,
                SoupServerMessage  *msg,
                gboolean            allow_query_token,
                gboolean           *sent,
                GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *authorization = soup_message_headers_get_one (headers, "Authorization");
  g_autofree char *query_token = NULL;
  const char *token = NULL;
  FestAuthEntry *entry;

  *sent = FALSE;

  if (authorization != NULL)
    {
      if (g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
        {
          *sent = TRUE;
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                       "Use an Authorization: Bearer token");
          return NULL;
        }
      token = authorization + 7;
      while (*token == ' ')
        token++;
    }
  else
    {
      /* Browsers cannot set headers on a WebSocket: accept ?access_token= there too. */
      const char *query = g_uri_get_query (soup_server_message_get_uri (msg));

      if (query != NULL && strstr (query, "access_token=") != NULL && !allow_query_token)
        {
          *sent = TRUE;
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                       "Send the token in an Authorization: Bearer header (?access_token= is "
                       "only accepted on the /events WebSocket)");
          return NULL;
        }
      if (query != NULL && strstr (query, "access_token=") != NULL)
        {
          g_autoptr(GHashTable) params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM,
                                                             NULL);
          if (params != NULL)
            query_token = g_strdup (g_hash_table_lookup (params, "access_token"));
          token = query_token;
        }
    }

  if (token == NULL)
    return NULL;

  *sent = TRUE;
  entry = fest_platform_store_resolve_token (self->platform, token, error);
  if (entry == NULL)
    return NULL;

  if (entry->auth.festival_id != NULL && entry->auth.store == NULL)
    {
      g_autoptr(GError) local_error = NULL;

      entry->auth.store = fest_server_get_festival_store (self, entry->auth.festival_id,
                                                          &local_error);
      /* A full or failing disk (opening takes a write, for the WAL index): the client must retry
       * (503), not be told that it has no festival and should log in again. */
      if (entry->auth.store == NULL
          && (g_error_matches (local_error, FEST_STORE_ERROR, FEST_STORE_ERROR_DISK_FULL)
              || g_error_matches (local_error, FEST_STORE_ERROR, FEST_STORE_ERROR_IO)))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          fest_auth_entry_unref (entry);
          return NULL;
        }
      if (entry->auth.store == NULL)
        g_warning ("Festival %s of a token cannot be opened: %s", entry->auth.festival_id,
                   local_error->message);
    }

  return entry;
}

/* Authenticates @req for @route; replies and returns FALSE when it may not go on. */
gboolean
_fest_server_authorize (FestServer      *self,
                        FestRequest     *req,
                        const FestRoute *route)
{
  SoupServerMessage *msg = fest_request_get_message (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(FestAuthEntry) entry = NULL;
  gboolean sent = FALSE;

  entry = resolve_bearer (self, msg, route->ws_handler != NULL, &sent, &error);
  if (entry == NULL && !(route->flags & FEST_ROUTE_PUBLIC))
    {
      if (!sent)
        fest_request_reply_error (req, FEST_ERROR_UNAUTHENTICATED, "Authentication required", NULL);
      else if (error != NULL && (error->domain == FEST_ERROR || error->domain == FEST_STORE_ERROR))
        fest_request_reply_gerror (req, error);
      else
        {
          if (error != NULL)
            g_warning ("Token lookup failed: %s", error->message);
          fest_request_reply_error (req, FEST_ERROR_INTERNAL, "Internal error", NULL);
        }
      return FALSE;
    }

  _fest_request_set_auth (req, entry);

  if ((route->flags & FEST_ROUTE_FESTIVAL)
      && (entry == NULL || entry->auth.festival_id == NULL || entry->auth.store == NULL))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND,
                                "No current festival: log in to one or switch with POST "
                                "/auth/festival", NULL);
      return FALSE;
    }

  if (route->permission != FEST_PERM_NONE
      && !fest_roles_allow (entry != NULL ? entry->auth.roles : 0, route->permission))
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN,
                                "Your role does not allow this action", NULL);
      return FALSE;
    }

  if (self->limiter != NULL)
    {
      const char *client;
      guint retry_after = 1;

      if (entry == NULL)
        client = _fest_request_get_ip (req);
      else
        client = entry->auth.token_hash;

      /* Logins are throttled by their handler, per account and per address. */
      if (route->rate_class != FEST_RATE_CLASS_LOGIN
          && !fest_rate_limiter_check (self->limiter, route->rate_class, client,
                                       entry != NULL && entry->auth.device_id != NULL,
                                       &retry_after))
        {
          _fest_request_reply_rate_limited (req, retry_after);
          return FALSE;
        }
    }

  return TRUE;
}

FestRequest *
fest_server_authenticate (FestServer         *self,
                          SoupServerMessage  *msg,
                          GError            **error)
{
  g_autoptr(FestAuthEntry) entry = NULL;
  const char *path = g_uri_get_path (soup_server_message_get_uri (msg));
  FestRequest *req;
  gboolean sent = FALSE;

  g_return_val_if_fail (FEST_IS_SERVER (self), NULL);

  entry = resolve_bearer (self, msg, FALSE, &sent, error);
  if (entry == NULL)
    {
      if (!sent)
        g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Authentication required");
      return NULL;
    }

  if (g_str_has_prefix (path, API_PREFIX))
    path += strlen (API_PREFIX);
  req = _fest_request_new (self, msg, path);
  _fest_request_set_auth (req, entry);
  return req;
}

