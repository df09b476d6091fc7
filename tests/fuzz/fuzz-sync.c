/* fuzz-sync.c: libFuzzer harness for the POST /sync body (a station's batch)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body goes through the server's JSON parser, the batch fields post_sync() reads, then each
 * operation through the route's own parser (_fest_sync_parse_operation(): transaction.create,
 * ticket.scan, incident.create) as it runs before the batch reaches the store. A rejected
 * operation must carry an error in the API's shape; an accepted one must have its idempotency
 * hash.
 */

#include "config.h"

#include "fest-routes-sync-private.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = fuzz_parse_body (data, size);
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  JsonArray *operations = NULL;
  const char *device_id = NULL;
  gint64 pending = 0;

  if (root == NULL)
    return 0;
  body = json_node_get_object (root);

  /* As post_sync() reads them (a user token must name its device). */
  if (!fest_json_get_text (body, "device_id", TRUE, 100, &device_id, &error) ||
      !fest_json_get_array (body, "operations", TRUE, &operations, &error) ||
      !fest_json_get_int (body, "pending", FALSE, 0, G_MAXINT32, &pending, &error))
    {
      fuzz_check_validation_error (error);
      return 0;
    }
  FUZZ_CHECK (device_id != NULL && operations != NULL);
  FUZZ_CHECK (pending >= 0 && pending <= G_MAXINT32);

  for (guint i = 0; i < json_array_get_length (operations); i++)
    {
      g_autoptr(GError) op_error = NULL;
      g_autofree char *hash = NULL;

      if (_fest_sync_parse_operation (json_array_get_element (operations, i), i, &hash,
                                      &op_error))
        {
          FUZZ_CHECK (op_error == NULL);
          FUZZ_CHECK (hash != NULL && strlen (hash) == 64);
        }
      else
        {
          FUZZ_CHECK (hash == NULL);
          fuzz_check_validation_error (op_error);
        }
    }
  return 0;
}
