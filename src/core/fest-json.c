/* fest-json.c: the API's JSON envelope and typed field access with validation errors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "fest-id.h"
#include "fest-json.h"

JsonNode *
fest_json_envelope_data (JsonNode *data)
{
  JsonObject *root = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_member (root, "data", data != NULL ? data : json_node_new (JSON_NODE_NULL));
  json_node_take_object (node, root);

  return node;
}

JsonNode *
fest_json_envelope_list (JsonNode *array,
                         gint64    total,
                         guint     page,
                         guint     per_page)
{
  JsonObject *root = json_object_new ();
  JsonObject *meta = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  if (array == NULL)
    {
      array = json_node_new (JSON_NODE_ARRAY);
      json_node_take_array (array, json_array_new ());
    }

  json_object_set_int_member (meta, "total", total);
  json_object_set_int_member (meta, "page", page);
  json_object_set_int_member (meta, "perPage", per_page);

  json_object_set_member (root, "data", array);
  json_object_set_object_member (root, "meta", meta);
  json_node_take_object (node, root);

  return node;
}

JsonNode *
fest_json_envelope_error (FestErrorCode  code,
                          const char    *message,
                          JsonNode      *details)
{
  JsonObject *root = json_object_new ();
  JsonObject *error = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  const char *name = fest_error_code_to_string (code);

  json_object_set_string_member (error, "code", name != NULL ? name : "INTERNAL");
  json_object_set_string_member (error, "message", message != NULL ? message : "");
  if (details != NULL)
    json_object_set_member (error, "details", details);

  json_object_set_object_member (root, "error", error);
  json_node_take_object (node, root);

  return node;
}

gsize
fest_format_int (gint64 value,
                 char   out[FEST_DECIMAL_SIZE])
{
  char digits[20];
  /* -(value + 1) + 1: also right for G_MININT64 */
  guint64 magnitude = value < 0 ? (guint64) -(value + 1) + 1 : (guint64) value;
  gsize len = 0;
  guint n = 0;

  do
    {
      digits[n++] = (char) ('0' + magnitude % 10);
      magnitude /= 10;
    }
  while (magnitude != 0);

  if (value < 0)
    out[len++] = '-';
  while (n > 0)
    out[len++] = digits[--n];
  out[len] = '\0';

  return len;
}

void
fest_string_append_int (GString *out,
                        gint64   value)
{
  char text[FEST_DECIMAL_SIZE];
  gsize len = fest_format_int (value, text);

  g_return_if_fail (out != NULL);

  g_string_append_len (out, text, len);
}

void
fest_json_set_nullable_string (JsonObject *object,
                               const char *member,
                               const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* Looks @member up. Returns FALSE with an error when it is required and missing, or null and
 * !@null_ok. Sets *node to NULL when the reader must leave its output untouched. */
static gboolean
lookup_member (JsonObject  *object,
               const char  *member,
               gboolean     required,
               JsonNode   **node,
               GError     **error)
{
  JsonNode *found;

  *node = NULL;

  found = object != NULL ? json_object_get_member (object, member) : NULL;
  if (found == NULL)
    {
      if (required)
        {
          g_propagate_error (error, fest_error_validation (member, "%s is required", member));
          return FALSE;
        }
      return TRUE;
    }

  if (JSON_NODE_HOLDS_NULL (found))
    {
      if (required)
        {
          g_propagate_error (error, fest_error_validation (member, "%s must not be null", member));
          return FALSE;
        }
      return TRUE;
    }

  *node = found;
  return TRUE;
}

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

gboolean
fest_json_get_string (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      const char **out,
                      GError     **error)
{
  JsonNode *node;
  const char *value;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!node_is_string (node))
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be a string", member));
      return FALSE;
    }

  value = json_node_get_string (node);
  if (!g_utf8_validate (value, -1, NULL))
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be valid UTF-8", member));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

static gboolean
is_trim_space (gunichar c)
{
  return g_unichar_isspace (c) || c == 0xfeff;
}

gboolean
fest_json_get_text (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    guint        max_chars,
                    const char **out,
                    GError     **error)
{
  const char *value = NULL;
  const char *p;
  gboolean has_content = FALSE;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!fest_json_get_string (object, member, required, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  for (p = value; *p != '\0'; p = g_utf8_next_char (p))
    {
      if (!is_trim_space (g_utf8_get_char (p)))
        {
          has_content = TRUE;
          break;
        }
    }

  if (!has_content)
    {
      g_propagate_error (error, fest_error_validation (member, "%s must not be empty", member));
      return FALSE;
    }

  if (max_chars > 0 && (gsize) g_utf8_strlen (value, -1) > max_chars)
    {
      g_propagate_error (error, fest_error_validation (member,
                                                       "%s must be at most %u characters",
                                                       member, max_chars));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
fest_json_get_int (JsonObject  *object,
                   const char  *member,
                   gboolean     required,
                   gint64       min,
                   gint64       max,
                   gint64      *out,
                   GError     **error)
{
  JsonNode *node;
  gint64 value;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  /* json-glib reads 12 as gint64 and 12.0, 1e3 or 1.5 as double: only the first is an integer
   * in the API. Numbers beyond gint64 come out as doubles too, so they are refused here. */
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be an integer", member));
      return FALSE;
    }

  value = json_node_get_int (node);
  if (value < min || value > max)
    {
      g_propagate_error (error, fest_error_validation (member,
                                                       "%s must be between %" G_GINT64_FORMAT
                                                       " and %" G_GINT64_FORMAT,
                                                       member, min, max));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
fest_json_get_double (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      double       min,
                      double       max,
                      double      *out,
                      GError     **error)
{
  JsonNode *node;
  double value;
  GType type;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  type = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  if (type == G_TYPE_INT64)
    value = (double) json_node_get_int (node);
  else if (type == G_TYPE_DOUBLE)
    value = json_node_get_double (node);
  else
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be a number", member));
      return FALSE;
    }

  if (!isfinite (value) || value < min || value > max)
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be between %g and %g",
                                                       member, min, max));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
fest_json_get_bool (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    gboolean    *out,
                    GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be a boolean", member));
      return FALSE;
    }

  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
fest_json_get_uuid (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    const char **out,
                    GError     **error)
{
  const char *value = NULL;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!fest_json_get_string (object, member, required, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  if (!fest_uuid_is_valid (value))
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be a UUID", member));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
fest_json_get_time (JsonObject  *object,
                    const char  *member,
                    gboolean     required,
                    char       **out,
                    GError     **error)
{
  const char *value = NULL;
  char *normalized;

  g_return_val_if_fail (out != NULL, FALSE);

  if (!fest_json_get_string (object, member, required, &value, error))
    return FALSE;
  if (value == NULL)
    return TRUE;

  normalized = fest_time_normalize (value);
  if (normalized == NULL)
    {
      g_propagate_error (error, fest_error_validation (member,
                                                       "%s must be an RFC 3339 time with an offset",
                                                       member));
      return FALSE;
    }

  *out = normalized;
  return TRUE;
}

gboolean
fest_json_get_object (JsonObject  *object,
                      const char  *member,
                      gboolean     required,
                      JsonObject **out,
                      GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be an object", member));
      return FALSE;
    }

  *out = json_node_get_object (node);
  return TRUE;
}

gboolean
fest_json_get_array (JsonObject  *object,
                     const char  *member,
                     gboolean     required,
                     JsonArray  **out,
                     GError     **error)
{
  JsonNode *node;

  g_return_val_if_fail (member != NULL, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!lookup_member (object, member, required, &node, error))
    return FALSE;
  if (node == NULL)
    return TRUE;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_propagate_error (error, fest_error_validation (member, "%s must be an array", member));
      return FALSE;
    }

  *out = json_node_get_array (node);
  return TRUE;
}

static gboolean
get_coordinate (JsonObject  *location,
                const char  *member,
                const char  *coordinate,
                double       limit,
                double      *out,
                GError     **error)
{
  g_autofree char *field = g_strdup_printf ("%s.%s", member, coordinate);
  JsonNode *node = json_object_get_member (location, coordinate);
  double value;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      g_propagate_error (error, fest_error_validation (field, "%s is required", field));
      return FALSE;
    }

  if (!JSON_NODE_HOLDS_VALUE (node) ||
      (json_node_get_value_type (node) != G_TYPE_INT64 &&
       json_node_get_value_type (node) != G_TYPE_DOUBLE))
    {
      g_propagate_error (error, fest_error_validation (field, "%s must be a number", field));
      return FALSE;
    }

  value = json_node_get_double (node);
  if (!isfinite (value) || value < -limit || value > limit)
    {
      g_propagate_error (error, fest_error_validation (field, "%s must be between %g and %g",
                                                       field, -limit, limit));
      return FALSE;
    }

  *out = value;
  return TRUE;
}

gboolean
fest_json_get_location (JsonObject  *object,
                        const char  *member,
                        gboolean     required,
                        double      *lat,
                        double      *lng,
                        GError     **error)
{
  JsonObject *location = NULL;
  double la, ln;

  g_return_val_if_fail (lat != NULL, FALSE);
  g_return_val_if_fail (lng != NULL, FALSE);

  if (!fest_json_get_object (object, member, required, &location, error))
    return FALSE;
  if (location == NULL)
    return TRUE;

  if (!get_coordinate (location, member, "lat", 90, &la, error) ||
      !get_coordinate (location, member, "lng", 180, &ln, error))
    return FALSE;

  *lat = la;
  *lng = ln;
  return TRUE;
}
