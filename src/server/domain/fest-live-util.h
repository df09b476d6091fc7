/* fest-live-util.h: JSON helpers shared by the tickets, sync, incidents and live code
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The envelope bytes of {"data": data} (takes @data). */
GBytes       *fest_live_data_body          (JsonNode      *data);
/* A copy sharing nothing with @node (json_node_copy shares objects and arrays), safe to hand to
 * another thread or to nest inside the original. */
JsonNode     *fest_live_json_deep_copy     (JsonNode      *node);
/* A JSON object node from key/value pairs built by the caller. */
JsonNode     *fest_live_object_node        (JsonObject    *object);

G_END_DECLS
