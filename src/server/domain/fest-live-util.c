/* fest-live-util.c: JSON helpers shared by the tickets, sync, incidents and live code
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-live-util.h"

GBytes *
fest_live_data_body (JsonNode *data)
{
  g_autoptr(JsonNode) envelope = fest_json_envelope_data (data);
  gsize length = 0;
  char *text = fest_json_to_string (envelope, &length);

  return g_bytes_new_take (text, length);
}

JsonNode *
fest_live_object_node (JsonObject *object)
{
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, object);
  return node;
}

JsonNode *
fest_live_json_deep_copy (JsonNode *node)
{
  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObject *source = json_node_get_object (node);
        JsonObject *copy = json_object_new ();
        JsonObjectIter iter;
        const char *member;
        JsonNode *value;

        json_object_iter_init (&iter, source);
        while (json_object_iter_next (&iter, &member, &value))
          json_object_set_member (copy, member, fest_live_json_deep_copy (value));
        return fest_live_object_node (copy);
      }

    case JSON_NODE_ARRAY:
      {
        JsonArray *source = json_node_get_array (node);
        JsonArray *copy = json_array_sized_new (json_array_get_length (source));

        for (guint i = 0; i < json_array_get_length (source); i++)
          json_array_add_element (copy, fest_live_json_deep_copy (json_array_get_element (source, i)));
        return json_node_init_array (json_node_alloc (), copy);
      }

    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
    default:
      return json_node_copy (node);
    }
}
