/* test-error.c: error codes, HTTP status and details carried inside GErrors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <gio/gio.h>

#include "fest-core.h"

static void
test_codes (void)
{
  static const struct
  {
    FestErrorCode code;
    const char *name;
    guint status;
  } expected[] = {
    { FEST_ERROR_MALFORMED_JSON, "MALFORMED_JSON", 400 },
    { FEST_ERROR_VALIDATION_FAILED, "VALIDATION_FAILED", 400 },
    { FEST_ERROR_UNAUTHENTICATED, "UNAUTHENTICATED", 401 },
    { FEST_ERROR_FORBIDDEN, "FORBIDDEN", 403 },
    { FEST_ERROR_NOT_FOUND, "NOT_FOUND", 404 },
    { FEST_ERROR_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 405 },
    { FEST_ERROR_CONFLICT, "CONFLICT", 409 },
    { FEST_ERROR_IDEMPOTENCY_KEY_REUSED, "IDEMPOTENCY_KEY_REUSED", 409 },
    { FEST_ERROR_TICKET_ALREADY_USED, "TICKET_ALREADY_USED", 409 },
    { FEST_ERROR_PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", 413 },
    { FEST_ERROR_INSUFFICIENT_BALANCE, "INSUFFICIENT_BALANCE", 422 },
    { FEST_ERROR_OUT_OF_STOCK, "OUT_OF_STOCK", 422 },
    { FEST_ERROR_TICKET_INVALID, "TICKET_INVALID", 422 },
    { FEST_ERROR_RATE_LIMITED, "RATE_LIMITED", 429 },
    { FEST_ERROR_INTERNAL, "INTERNAL", 500 },
    { FEST_ERROR_STORAGE_UNAVAILABLE, "STORAGE_UNAVAILABLE", 503 },
  };
  FestErrorCode code;

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_assert_cmpstr (fest_error_code_to_string (expected[i].code), ==, expected[i].name);
      g_assert_cmpuint (fest_error_code_to_status (expected[i].code), ==, expected[i].status);
      code = (FestErrorCode) 999;
      g_assert_true (fest_error_code_from_string (expected[i].name, &code));
      g_assert_cmpint (code, ==, expected[i].code);
    }

  g_assert_null (fest_error_code_to_string ((FestErrorCode) 999));
  g_assert_cmpuint (fest_error_code_to_status ((FestErrorCode) 999), ==, 500);
  g_assert_false (fest_error_code_from_string ("NOPE", &code));
  g_assert_false (fest_error_code_from_string ("not_found", &code));
  g_assert_false (fest_error_code_from_string (NULL, &code));
}

static JsonNode *
balance_details (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "required");
  json_builder_add_int_value (builder, 1250);
  json_builder_set_member_name (builder, "available");
  json_builder_add_int_value (builder, 300);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
fail_async (GTask *task)
{
  g_task_return_error (task, fest_error_new_with_details (FEST_ERROR_INSUFFICIENT_BALANCE,
                                                          balance_details (),
                                                          "Balance too low"));
}

static gboolean
inner (GError **error)
{
  g_set_error_literal (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such wallet");
  return FALSE;
}

static void
test_details (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) copy = NULL;
  g_autoptr(GError) plain = NULL;
  g_autoptr(GError) other_domain = NULL;
  g_autoptr(GError) propagated = NULL;
  g_autoptr(GError) from_task = NULL;
  g_autoptr(GTask) task = NULL;
  JsonNode *details;
  JsonObject *object;

  error = fest_error_new_with_details (FEST_ERROR_INSUFFICIENT_BALANCE, balance_details (),
                                       "Balance too low: %d < %d", 300, 1250);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE);
  g_assert_cmpstr (error->message, ==, "Balance too low: 300 < 1250");
  details = fest_error_get_details (error);
  g_assert_nonnull (details);
  object = json_node_get_object (details);
  g_assert_cmpint (json_object_get_int_member (object, "required"), ==, 1250);
  g_assert_cmpint (json_object_get_int_member (object, "available"), ==, 300);

  /* A copy owns its own details, which survive the original being freed. */
  copy = g_error_copy (error);
  g_assert_true (fest_error_get_details (copy) != details);
  g_clear_error (&error);
  details = fest_error_get_details (copy);
  g_assert_nonnull (details);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (details), "available"), ==, 300);

  /* Propagation moves the same GError, details included. */
  g_propagate_error (&propagated, g_steal_pointer (&copy));
  g_assert_nonnull (fest_error_get_details (propagated));

  /* Through a GTask, as the server's async handlers do. */
  task = g_task_new (NULL, NULL, NULL, NULL);
  fail_async (task);
  g_assert_false (g_task_propagate_boolean (task, &from_task));
  g_assert_error (from_task, FEST_ERROR, FEST_ERROR_INSUFFICIENT_BALANCE);
  g_assert_nonnull (fest_error_get_details (from_task));

  /* Errors without details, or of another domain, have none. */
  g_assert_false (inner (&plain));
  g_assert_error (plain, FEST_ERROR, FEST_ERROR_NOT_FOUND);
  g_assert_null (fest_error_get_details (plain));
  other_domain = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "io");
  g_assert_null (fest_error_get_details (other_domain));
  g_assert_null (fest_error_get_details (NULL));
}

static void
test_validation (void)
{
  g_autoptr(GError) error = fest_error_validation ("price", "%s must be an integer", "price");
  JsonNode *details = fest_error_get_details (error);
  g_autofree char *text = NULL;

  g_assert_error (error, FEST_ERROR, FEST_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (error->message, ==, "price must be an integer");
  g_assert_nonnull (details);
  text = json_to_string (details, FALSE);
  g_assert_cmpstr (text, ==, "{\"field\":\"price\"}");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/error/codes", test_codes);
  g_test_add_func ("/fest/error/details", test_details);
  g_test_add_func ("/fest/error/validation", test_validation);

  return g_test_run ();
}
