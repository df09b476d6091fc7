/* fuzz-common.h: what every libFuzzer harness of tests/fuzz shares
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Header only: each harness is one executable. A failed check aborts, which libFuzzer reports as
 * a crash with the input that caused it; so do GLib criticals and warnings (a g_return_if_fail
 * reached from untrusted input is a bug too).
 */

#pragma once

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "fest-core.h"

G_BEGIN_DECLS

int LLVMFuzzerInitialize   (int            *argc,
                            char         ***argv);
int LLVMFuzzerTestOneInput (const uint8_t  *data,
                            size_t          size);

/* Checks even in builds with G_DISABLE_ASSERT, and says which invariant broke. */
#define FUZZ_CHECK(cond) \
  G_STMT_START { \
    if (G_UNLIKELY (!(cond))) \
      { \
        g_printerr ("%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
        abort (); \
      } \
  } G_STMT_END

static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  fest_core_init ();
}

/* The input as a C string: it stops at the first NUL, as a string from JSON or a scanner would. */
static inline char *
fuzz_strndup (const uint8_t *data,
              size_t         size)
{
  return g_strndup ((const char *) data, size);
}

/* A VALIDATION_FAILED error in the API's shape: a message and {"field": "<non-empty>"}. */
static inline void
fuzz_check_validation_error (const GError *error)
{
  JsonNode *details;
  JsonObject *object;
  const char *field;

  FUZZ_CHECK (error != NULL);
  FUZZ_CHECK (error->domain == FEST_ERROR);
  FUZZ_CHECK (error->code == FEST_ERROR_VALIDATION_FAILED);
  FUZZ_CHECK (error->message != NULL && error->message[0] != '\0');
  details = fest_error_get_details (error);
  FUZZ_CHECK (details != NULL && JSON_NODE_HOLDS_OBJECT (details));
  object = json_node_get_object (details);
  field = json_object_get_string_member_with_default (object, "field", NULL);
  FUZZ_CHECK (field != NULL && field[0] != '\0');
}

/* Every string and member name of a parsed body is valid UTF-8: handlers store them as text. */
static inline void
fuzz_check_utf8_tree (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *member;

      json_object_iter_init (&iter, json_node_get_object (node));
      while (json_object_iter_next (&iter, &name, &member))
        {
          FUZZ_CHECK (g_utf8_validate (name, -1, NULL));
          fuzz_check_utf8_tree (member);
        }
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        fuzz_check_utf8_tree (json_array_get_element (array, i));
    }
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      FUZZ_CHECK (g_utf8_validate (json_node_get_string (node), -1, NULL));
    }
}

/* A request body as fest_request_get_json_object() takes it: the server's own parser
 * (fest_json_parse), then "must be an object". Returns the object's node or NULL. Whatever parses
 * must survive a round trip through the server's serialiser unchanged. */
static inline JsonNode *
fuzz_parse_body (const uint8_t *data,
                 size_t         size)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) again = NULL;
  g_autofree char *text = NULL;
  g_autofree char *text_again = NULL;
  gsize length = 0;
  gsize length_again = 0;

  if (size == 0)
    return NULL;

  root = fest_json_parse ((const char *) data, (gssize) size, &error);
  if (root == NULL)
    {
      FUZZ_CHECK (error != NULL && error->domain == FEST_ERROR);
      /* A number too large for its field is a validation error on that field (named as written
       * in the body, which may be ""). */
      if (error->code == FEST_ERROR_VALIDATION_FAILED)
        {
          JsonNode *details = fest_error_get_details (error);

          FUZZ_CHECK (details != NULL && JSON_NODE_HOLDS_OBJECT (details));
          FUZZ_CHECK (json_object_get_string_member_with_default (json_node_get_object (details),
                                                                  "field", NULL) != NULL);
        }
      else
        FUZZ_CHECK (error->code == FEST_ERROR_MALFORMED_JSON);
      return NULL;
    }
  FUZZ_CHECK (error == NULL);
  fuzz_check_utf8_tree (root);

  text = fest_json_to_string (root, &length);
  FUZZ_CHECK (text != NULL && strlen (text) == length);
  again = fest_json_parse (text, (gssize) length, &error);
  FUZZ_CHECK (again != NULL);
  FUZZ_CHECK (json_node_equal (root, again));
  text_again = fest_json_to_string (again, &length_again);
  FUZZ_CHECK (length == length_again && memcmp (text, text_again, length) == 0);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  return g_steal_pointer (&root);
}

G_END_DECLS
