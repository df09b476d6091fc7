/* fest-router.c: route table of the /api/v1 API
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-router-private.h"

struct _FestRouter
{
  FestServer *server;
  GPtrArray  *routes;        /* of FestRoute*, owned */
  GHashTable *by_first;      /* first literal segment → GPtrArray of FestRoute* (borrowed) */
  GPtrArray  *param_first;   /* routes whose first segment is a parameter */
};

static void
route_free (gpointer data)
{
  FestRoute *route = data;

  g_free (route->method);
  g_free (route->pattern);
  g_strfreev (route->segments);
  g_free (route);
}

static gboolean
segment_is_param (const char *segment)
{
  gsize len = strlen (segment);

  return len > 2 && segment[0] == '{' && segment[len - 1] == '}';
}

static FestRateClass
default_rate_class (const char *method)
{
  if (g_str_equal (method, "GET") || g_str_equal (method, "HEAD"))
    return FEST_RATE_CLASS_GET;
  return FEST_RATE_CLASS_POST;
}

FestRouter *
_fest_router_new (FestServer *server)
{
  FestRouter *router = g_new0 (FestRouter, 1);

  router->server = server;
  router->routes = g_ptr_array_new_with_free_func (route_free);
  router->by_first = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  router->param_first = g_ptr_array_new ();
  return router;
}

void
_fest_router_free (FestRouter *router)
{
  if (router == NULL)
    return;

  g_hash_table_unref (router->by_first);
  g_ptr_array_unref (router->param_first);
  g_ptr_array_unref (router->routes);
  g_free (router);
}

GPtrArray *
_fest_router_get_routes (FestRouter *router)
{
  return router->routes;
}

FestServer *
fest_router_get_server (FestRouter *router)
{
  g_return_val_if_fail (router != NULL, NULL);

  return router->server;
}

static FestRoute *
add_route (FestRouter     *router,
           const char     *method,
           const char     *pattern,
           FestRouteFlags  flags,
           FestPermission  permission,
           FestRateClass   rate_class)
{
  FestRoute *route;
  GPtrArray *bucket;

  g_return_val_if_fail (router != NULL, NULL);
  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (pattern != NULL && pattern[0] == '/', NULL);

  route = g_new0 (FestRoute, 1);
  route->method = g_strdup (method);
  route->pattern = g_strdup (pattern);
  route->segments = g_strsplit (pattern + 1, "/", -1);
  route->n_segments = g_strv_length (route->segments);
  route->flags = flags;
  route->permission = permission;
  route->rate_class = rate_class;

  for (guint i = 0; i < route->n_segments; i++)
    if (!segment_is_param (route->segments[i]))
      route->n_literals++;

  g_ptr_array_add (router->routes, route);

  if (route->n_segments > 0 && segment_is_param (route->segments[0]))
    g_ptr_array_add (router->param_first, route);
  else
    {
      const char *first = route->n_segments > 0 ? route->segments[0] : "";

      bucket = g_hash_table_lookup (router->by_first, first);
      if (bucket == NULL)
        {
          bucket = g_ptr_array_new ();
          g_hash_table_insert (router->by_first, g_strdup (first), bucket);
        }
      g_ptr_array_add (bucket, route);
    }

  return route;
}

void
fest_router_add (FestRouter     *router,
                 const char     *method,
                 const char     *pattern,
                 FestRouteFlags  flags,
                 FestPermission  permission,
                 FestHandler     handler)
{
  fest_router_add_full (router, method, pattern, flags, permission, default_rate_class (method),
                        handler);
}

void
fest_router_add_full (FestRouter     *router,
                      const char     *method,
                      const char     *pattern,
                      FestRouteFlags  flags,
                      FestPermission  permission,
                      FestRateClass   rate_class,
                      FestHandler     handler)
{
  FestRoute *route;

  g_return_if_fail (handler != NULL);

  route = add_route (router, method, pattern, flags, permission, rate_class);
  if (route != NULL)
    route->handler = handler;
}

void
fest_router_add_websocket (FestRouter           *router,
                           const char           *pattern,
                           FestRouteFlags        flags,
                           FestPermission        permission,
                           FestWebsocketHandler  handler)
{
  FestRoute *route;

  g_return_if_fail (handler != NULL);

  route = add_route (router, "GET", pattern, flags | FEST_ROUTE_WEBSOCKET, permission,
                     FEST_RATE_CLASS_GET);
  if (route != NULL)
    route->ws_handler = handler;
}

void
fest_router_set_max_body (FestRouter *router,
                          const char *method,
                          const char *pattern,
                          gsize       max_body)
{
  g_return_if_fail (router != NULL);

  for (guint i = 0; i < router->routes->len; i++)
    {
      FestRoute *route = g_ptr_array_index (router->routes, i);

      if (g_str_equal (route->method, method) && g_str_equal (route->pattern, pattern))
        {
          route->max_body = max_body;
          return;
        }
    }

  g_critical ("fest_router_set_max_body: no route %s %s", method, pattern);
}

static gboolean
route_matches (const FestRoute  *route,
               char * const     *segments,
               guint             n_segments)
{
  if (route->n_segments != n_segments)
    return FALSE;

  for (guint i = 0; i < n_segments; i++)
    {
      if (segment_is_param (route->segments[i]))
        {
          if (segments[i][0] == '\0')
            return FALSE;
        }
      else if (!g_str_equal (route->segments[i], segments[i]))
        return FALSE;
    }

  return TRUE;
}

static void
consider (GPtrArray         *candidates,
          const char        *method,
          char * const      *segments,
          guint              n_segments,
          const FestRoute  **best,
          gboolean          *path_known,
          GString           *allow)
{
  if (candidates == NULL)
    return;

  for (guint i = 0; i < candidates->len; i++)
    {
      const FestRoute *route = g_ptr_array_index (candidates, i);

      if (!route_matches (route, segments, n_segments))
        continue;

      if (g_str_equal (route->method, method))
        {
          if (*best == NULL || route->n_literals > (*best)->n_literals)
            *best = route;
        }
      else
        {
          *path_known = TRUE;
          if (allow != NULL && strstr (allow->str, route->method) == NULL)
            {
              if (allow->len > 0)
                g_string_append (allow, ", ");
              g_string_append (allow, route->method);
            }
        }
    }
}

const FestRoute *
_fest_router_match (FestRouter   *router,
                    const char   *method,
                    const char   *path,
                    GHashTable  **params,
                    gboolean     *path_known,
                    GString      *allow)
{
  g_auto(GStrv) segments = NULL;
  const FestRoute *best = NULL;
  gboolean known = FALSE;
  guint n_segments;

  if (params != NULL)
    *params = NULL;
  if (path_known != NULL)
    *path_known = FALSE;

  if (path == NULL || path[0] != '/')
    return NULL;

  segments = g_strsplit (path + 1, "/", -1);
  n_segments = g_strv_length (segments);

  consider (g_hash_table_lookup (router->by_first, n_segments > 0 ? segments[0] : ""), method,
            segments, n_segments, &best, &known, allow);
  consider (router->param_first, method, segments, n_segments, &best, &known, allow);

  if (best == NULL)
    {
      if (path_known != NULL)
        *path_known = known;
      return NULL;
    }

  if (params != NULL && best->n_literals < best->n_segments)
    {
      GHashTable *values = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

      for (guint i = 0; i < n_segments; i++)
        {
          const char *name = best->segments[i];
          char *value;

          if (!segment_is_param (name))
            continue;

          value = g_uri_unescape_string (segments[i], NULL);
          if (value == NULL)
            value = g_strdup (segments[i]);
          g_hash_table_insert (values, g_strndup (name + 1, strlen (name) - 2), value);
        }
      *params = values;
    }

  return best;
}
