/* fest-event-stream.h: live events from /api/v1/events over a WebSocket, with reconnection
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-client.h"

G_BEGIN_DECLS

typedef enum
{
  FEST_EVENT_STREAM_STOPPED,
  FEST_EVENT_STREAM_CONNECTING,
  FEST_EVENT_STREAM_CONNECTED,
  /* The socket dropped or could not be opened; a new attempt is scheduled with backoff. */
  FEST_EVENT_STREAM_WAITING,
} FestEventStreamState;

#define FEST_TYPE_EVENT_STREAM (fest_event_stream_get_type ())
G_DECLARE_FINAL_TYPE (FestEventStream, fest_event_stream, FEST, EVENT_STREAM, GObject)

/* Signals: "event" (const char *name, JsonNode *data) for each {"event","data"} message;
 * notify::state. */
FestEventStream      *fest_event_stream_new            (FestClient      *client);
FestClient           *fest_event_stream_get_client     (FestEventStream *self);
FestEventStreamState  fest_event_stream_get_state      (FestEventStream *self);
gboolean              fest_event_stream_is_connected   (FestEventStream *self);
void                  fest_event_stream_start          (FestEventStream *self);
void                  fest_event_stream_stop           (FestEventStream *self);
/* Skips the backoff wait (e.g. when a poll shows the server is back). */
void                  fest_event_stream_reconnect_now  (FestEventStream *self);

G_END_DECLS
