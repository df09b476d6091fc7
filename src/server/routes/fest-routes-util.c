/* fest-routes-util.c: replying with a write job's result, for the route files
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-routes-util.h"

typedef struct
{
  FestRequest *req;
  guint        status;
  gboolean     raw;
} Pending;

FestRawReply *
fest_raw_reply_new (guint   status,
                    GBytes *body)
{
  FestRawReply *reply = g_new0 (FestRawReply, 1);

  reply->status = status;
  reply->body = body;
  return reply;
}

void
fest_raw_reply_free (FestRawReply *reply)
{
  if (reply == NULL)
    return;
  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

static void
write_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Pending *pending = user_data;
  g_autoptr(GError) error = NULL;
  gpointer data;

  data = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (data == NULL)
    fest_request_reply_gerror (pending->req, error);
  else if (pending->raw)
    {
      FestRawReply *reply = data;

      fest_request_reply_bytes (pending->req, reply->status, "application/json; charset=utf-8", reply->body);
      fest_raw_reply_free (reply);
    }
  else
    fest_request_reply_data (pending->req, pending->status, data);

  fest_request_unref (pending->req);
  g_free (pending);
}

static void
write_reply (FestRequest   *req,
             FestWriteFunc  func,
             gpointer       job_data,
             GDestroyNotify job_data_free,
             guint          status,
             gboolean       raw)
{
  Pending *pending = g_new0 (Pending, 1);

  pending->req = fest_request_ref (req);
  pending->status = status;
  pending->raw = raw;
  fest_request_pause (req);
  fest_festival_store_write_async (fest_request_get_store (req), func, job_data, job_data_free, NULL,
                                   write_done_cb, pending);
}

void
fest_routes_write_reply_data (FestRequest   *req,
                              FestWriteFunc  func,
                              gpointer       job_data,
                              GDestroyNotify job_data_free,
                              guint          status)
{
  write_reply (req, func, job_data, job_data_free, status, FALSE);
}

void
fest_routes_write_reply_raw (FestRequest   *req,
                             FestWriteFunc  func,
                             gpointer       job_data,
                             GDestroyNotify job_data_free)
{
  write_reply (req, func, job_data, job_data_free, 0, TRUE);
}

void
fest_routes_location_clear (FestRoutesLocation *location)
{
  g_clear_pointer (&location->zone, g_free);
}

gboolean
fest_routes_parse_location (JsonObject         *body,
                            FestRoutesLocation *location,
                            GError            **error)
{
  JsonObject *object = NULL;
  JsonNode *member = json_object_get_member (body, "location");
  const char *text = NULL;

  if (member == NULL)
    return TRUE;
  location->set = TRUE;
  if (JSON_NODE_HOLDS_NULL (member))
    return TRUE;
  if (!fest_json_get_object (body, "location", TRUE, &object, error) ||
      !fest_json_get_location (body, "location", TRUE, &location->lat, &location->lng, error))
    return FALSE;
  location->has_position = TRUE;
  member = json_object_get_member (object, "zone");
  if (member != NULL && !JSON_NODE_HOLDS_NULL (member))
    {
      g_autoptr(GError) inner = NULL;

      if (!fest_json_get_text (object, "zone", FALSE, FEST_ROUTES_ZONE_MAX, &text, &inner))
        {
          g_propagate_error (error, fest_error_validation ("location.zone", "%s", inner->message));
          return FALSE;
        }
      text = g_strstrip (g_strdup (text));
      if (*text == '\0')
        g_free ((char *) text);
      else
        location->zone = (char *) text;
    }
  return TRUE;
}

void
fest_routes_set_location (JsonObject *object,
                          gboolean    has_position,
                          double      lat,
                          double      lng,
                          const char *zone)
{
  JsonObject *location;

  if (!has_position)
    {
      json_object_set_null_member (object, "location");
      return;
    }
  location = json_object_new ();
  json_object_set_double_member (location, "lat", lat);
  json_object_set_double_member (location, "lng", lng);
  if (zone != NULL)
    json_object_set_string_member (location, "zone", zone);
  else
    json_object_set_null_member (location, "zone");
  json_object_set_object_member (object, "location", location);
}
