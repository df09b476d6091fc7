/* fest-routes-util.h: replying with a write job's result, for the route files
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-festival-store.h"
#include "fest-request.h"

G_BEGIN_DECLS

/* A stored reply: status and exact body bytes (idempotent routes). */
typedef struct
{
  guint   status;
  GBytes *body;
} FestRawReply;

FestRawReply *fest_raw_reply_new             (guint          status,
                                              GBytes        *body);
void          fest_raw_reply_free            (FestRawReply  *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestRawReply, fest_raw_reply_free)

/* Pauses @req and queues @func on the request's festival store. Once the commit is durable it
 * replies @status with the job's result (a JsonNode, transfer full) as data, or the job's error. */
void          fest_routes_write_reply_data   (FestRequest   *req,
                                              FestWriteFunc  func,
                                              gpointer       job_data,
                                              GDestroyNotify job_data_free,
                                              guint          status);
/* Same, the job's result being a FestRawReply sent as is. */
void          fest_routes_write_reply_raw    (FestRequest   *req,
                                              FestWriteFunc  func,
                                              gpointer       job_data,
                                              GDestroyNotify job_data_free);

/* A place on the site plan, as stands, stages and gates have it: location null or
 * {lat, lng, zone?} (zone: short free text, nullable, at most FEST_ROUTES_ZONE_MAX characters). */
#define FEST_ROUTES_ZONE_MAX 100

typedef struct
{
  gboolean  set;            /* the body has "location" */
  gboolean  has_position;   /* not null */
  double    lat;
  double    lng;
  char     *zone;           /* nullable */
} FestRoutesLocation;

void          fest_routes_location_clear     (FestRoutesLocation *location);
/* Parses @body's "location" into @location (zero-filled); VALIDATION_FAILED naming "location",
 * "location.lat", "location.lng" or "location.zone". */
gboolean      fest_routes_parse_location     (JsonObject         *body,
                                              FestRoutesLocation *location,
                                              GError            **error);
/* Sets @object's "location": null without a position, else {lat, lng, zone}. */
void          fest_routes_set_location       (JsonObject         *object,
                                              gboolean            has_position,
                                              double              lat,
                                              double              lng,
                                              const char         *zone);

G_END_DECLS
