/* test-json.c: envelopes, parsing and the typed field readers' validation errors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"

static char *
to_string_and_free (JsonNode *node)
{
  char *text = fest_json_to_string (node, NULL);

  json_node_unref (node);
  return text;
}

static JsonNode *
parse_or_die (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = fest_json_parse (text, -1, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static void
test_envelopes (void)
{
  g_autofree char *data = NULL;
  g_autofree char *null_data = NULL;
  g_autofree char *list = NULL;
  g_autofree char *empty_list = NULL;
  g_autofree char *error = NULL;
  g_autofree char *error_details = NULL;
  JsonNode *array;
  gsize length = 0;
  g_autofree char *with_length = NULL;

  data = to_string_and_free (fest_json_envelope_data (parse_or_die ("{\"id\":\"x\",\"n\":1}")));
  g_assert_cmpstr (data, ==, "{\"data\":{\"id\":\"x\",\"n\":1}}");

  null_data = to_string_and_free (fest_json_envelope_data (NULL));
  g_assert_cmpstr (null_data, ==, "{\"data\":null}");

  array = parse_or_die ("[1,2,3]");
  list = to_string_and_free (fest_json_envelope_list (array, 57, 2, 3));
  g_assert_cmpstr (list, ==, "{\"data\":[1,2,3],\"meta\":{\"total\":57,\"page\":2,\"perPage\":3}}");

  empty_list = to_string_and_free (fest_json_envelope_list (NULL, 0, 1, 50));
  g_assert_cmpstr (empty_list, ==, "{\"data\":[],\"meta\":{\"total\":0,\"page\":1,\"perPage\":50}}");

  error = to_string_and_free (fest_json_envelope_error (FEST_ERROR_NOT_FOUND, "No such wallet",
                                                        NULL));
  g_assert_cmpstr (error, ==, "{\"error\":{\"code\":\"NOT_FOUND\",\"message\":\"No such wallet\"}}");

  error_details = to_string_and_free (
    fest_json_envelope_error (FEST_ERROR_VALIDATION_FAILED, "price must be an integer",
                              parse_or_die ("{\"field\":\"price\"}")));
  g_assert_cmpstr (error_details, ==,
                   "{\"error\":{\"code\":\"VALIDATION_FAILED\",\"message\":\"price must be an "
                   "integer\",\"details\":{\"field\":\"price\"}}}");

  with_length = to_string_and_free (fest_json_envelope_data (parse_or_die ("\"é\"")));
  g_assert_cmpstr (with_length, ==, "{\"data\":\"é\"}");
  {
    g_autoptr(JsonNode) empty = parse_or_die ("[]");
    g_autofree char *text = fest_json_to_string (empty, &length);

    g_assert_cmpstr (text, ==, "[]");
    g_assert_cmpuint (length, ==, 2);
  }
}

static void
check_malformed (const char *text,
                 gssize      length)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_json_parse (text, length, &error);

  if (node != NULL)
    g_error ("\"%s\" parsed", text);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON);
  g_assert_cmpstr (error->message, !=, "");
}

/* json-glib 1.6 writes 2e-66 as "2e-66.0", not JSON; what we write is JSON and reads back the
 * same (found by tests/fuzz/fuzz-members). */
static void
test_doubles_written_as_json (void)
{
  g_autoptr(JsonObject) location = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(JsonNode) back = NULL;
  g_autoptr(JsonNode) strings = NULL;
  g_autofree char *text = NULL;
  g_autofree char *strings_text = NULL;
  gsize length = 0;

  json_object_set_double_member (location, "lat", 2e-66);
  json_object_set_double_member (location, "lng", -1e20);
  json_object_set_double_member (location, "zone", 5.0);
  json_object_set_double_member (location, "vat", 5.5);
  json_object_set_boolean_member (location, "true", TRUE);
  json_node_set_object (node, location);
  text = fest_json_to_string (node, &length);
  g_assert_cmpstr (text, ==, "{\"lat\":2e-66,\"lng\":-1e+20,\"zone\":5.0,\"vat\":5.5,\"true\":true}");
  g_assert_cmpuint (length, ==, strlen (text));
  back = parse_or_die (text);
  g_assert_true (json_node_equal (node, back));

  /* Text that looks like it inside strings is left alone. */
  strings = parse_or_die ("[\"2e-66.0\", \"a\\\"1e5.0\", \"\\\\\", 1e5, \"1E5.0\"]");
  strings_text = fest_json_to_string (strings, NULL);
  g_assert_cmpstr (strings_text, ==, "[\"2e-66.0\",\"a\\\"1e5.0\",\"\\\\\",100000.0,\"1E5.0\"]");
}

/* json-glib 1.6 writes U+001F raw inside a string (every other control character it escapes):
 * what we write is JSON, in member names and values (found by tests/fuzz/fuzz-transaction). */
static void
test_control_characters_escaped (void)
{
  g_autoptr(JsonNode) node = parse_or_die ("{\"\x7f\\u001f)?\": \"a\\u001fb\\u0001\\n\"}");
  g_autoptr(JsonNode) back = NULL;
  g_autofree char *text = NULL;
  gsize length = 0;

  text = fest_json_to_string (node, &length);
  g_assert_cmpstr (text, ==, "{\"\\u007f\\u001f)?\":\"a\\u001fb\\u0001\\n\"}");
  g_assert_cmpuint (length, ==, strlen (text));
  back = parse_or_die (text);
  g_assert_true (json_node_equal (node, back));
}

static void
test_parse (void)
{
  g_autoptr(JsonNode) object = parse_or_die ("{\"a\": [1, 2.5, \"x\", null, true]}");
  g_autoptr(JsonNode) scalar = parse_or_die ("42");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) prefix = NULL;

  g_assert_true (JSON_NODE_HOLDS_OBJECT (object));
  g_assert_cmpint (json_node_get_int (scalar), ==, 42);

  check_malformed ("", -1);
  check_malformed ("{", -1);
  check_malformed ("{\"a\":}", -1);
  check_malformed ("{'a': 1}", -1);
  check_malformed ("[1,]x", -1);
  check_malformed ("{\"a\": 1} trailing", -1);
  check_malformed ("\"\xc3\x28\"", -1);        /* invalid UTF-8 inside a string */
  check_malformed ("{\"\xff\": 1}", -1);       /* invalid UTF-8 in a member name */
  check_malformed ("{\"a\": \"\xed\xa0\x80\"}", -1); /* an encoded surrogate */
  check_malformed ("{\"a\": 1}\0{", 10);      /* an embedded NUL */

  /* What json-glib 1.6 alone would accept but JSON (RFC 8259) does not. */
  check_malformed ("['a']", -1);
  check_malformed ("/* c */ [1]", -1);
  check_malformed ("[0x10]", -1);
  check_malformed ("[01]", -1);
  check_malformed ("[.5]", -1);
  check_malformed ("[1.]", -1);
  check_malformed ("[1e]", -1);
  check_malformed ("[-]", -1);
  check_malformed ("[\"a\tb\"]", -1);      /* a raw tab inside a string */
  check_malformed ("[\"\\x41\"]", -1);      /* an unknown escape */
  check_malformed ("[\"\\u12\"]", -1);
  check_malformed ("[1,]", -1);
  check_malformed ("{\"a\":1,}", -1);
  check_malformed ("{a:1}", -1);
  check_malformed ("[TRUE]", -1);
  check_malformed ("[nul]", -1);
  check_malformed ("   ", -1);

  /* Escapes json-glib 1.6 would turn into text that is not UTF-8, or cut short (found by
   * tests/fuzz/fuzz-transaction). */
  check_malformed ("{\"reference\": \"\\udf7ax\"}", -1);   /* a lone low surrogate */
  check_malformed ("{\"reference\": \"\\ud83cx\"}", -1);   /* a high one with no low one */
  check_malformed ("{\"reference\": \"\\ud83c\\u0041\"}", -1);
  check_malformed ("{\"reference\": \"\\ud83c\\ud83c\"}", -1);
  check_malformed ("{\"\\udf7a19amount\": 5}", -1);          /* in a member name */
  check_malformed ("{\"password\": \"secret\\u0000ignored\"}", -1);
  {
    g_autoptr(JsonNode) pair = parse_or_die ("[\"\\ud83c\\udf7a \\uD83C\\uDF7A\"]");
    g_autofree char *text = fest_json_to_string (pair, NULL);

    g_assert_cmpstr (text, ==, "[\"\xf0\x9f\x8d\xba \xf0\x9f\x8d\xba\"]");
  }

  /* Valid corner cases still parse. */
  {
    g_autoptr(JsonNode) ok = parse_or_die (" [-0, 1.5e+3, 2E-2, \"\\u00e9\\n\\/\", {}, [], false] ");
    g_autofree char *text = fest_json_to_string (ok, NULL);

    g_assert_cmpstr (text, ==, "[0,1500.0,0.02,\"é\\n/\",{},[],false]");
  }

  /* Nesting is bounded instead of recursing without limit. */
  {
    g_autofree char *open = g_strnfill (100000, '[');
    g_autofree char *deep = g_strconcat (open, "1", NULL);
    g_autofree char *ok_open = g_strnfill (100, '[');
    g_autofree char *ok_close = g_strnfill (100, ']');
    g_autofree char *ok_deep = g_strconcat (ok_open, "1", ok_close, NULL);
    g_autoptr(JsonNode) node = NULL;

    check_malformed (deep, -1);
    node = parse_or_die (ok_deep);
  }

  /* With an explicit length only that prefix is read. */
  prefix = fest_json_parse ("[1]garbage", 3, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (prefix));
}

/* Runs a failing reader and checks the error names @field in its message and details. */
static void
check_validation_error (GError     *error,
                        const char *field,
                        const char *message)
{
  JsonNode *details;

  g_assert_error (error, FEST_ERROR, FEST_ERROR_VALIDATION_FAILED);
  g_assert_cmpstr (error->message, ==, message);
  details = fest_error_get_details (error);
  g_assert_nonnull (details);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (details), "field"), ==,
                   field);
}

static JsonObject *
object_of (JsonNode *node)
{
  return json_node_get_object (node);
}

static void
test_get_int (void)
{
  g_autoptr(JsonNode) node = parse_or_die ("{\"price\": 450, \"neg\": -3, \"float\": 1.5,"
                                           " \"whole\": 12.0, \"exp\": 1e3, \"str\": \"12\","
                                           " \"bool\": true, \"null\": null, \"obj\": {},"
                                           " \"big\": 9223372036854775807,"
                                           " \"small\": -9223372036854775808}");
  JsonObject *o = object_of (node);
  const struct
  {
    const char *member;
    const char *message;
  } wrong[] = {
    { "float", "float must be an integer" },
    { "whole", "whole must be an integer" },
    { "exp", "exp must be an integer" },
    { "str", "str must be an integer" },
    { "bool", "bool must be an integer" },
    { "obj", "obj must be an integer" },
    { "missing", "missing is required" },
    { "null", "null must not be null" },
  };
  gint64 value = 7;

  g_assert_true (fest_json_get_int (o, "price", TRUE, 0, 1000, &value, NULL));
  g_assert_cmpint (value, ==, 450);
  g_assert_true (fest_json_get_int (o, "neg", TRUE, -10, 10, &value, NULL));
  g_assert_cmpint (value, ==, -3);
  g_assert_true (fest_json_get_int (o, "big", TRUE, G_MININT64, G_MAXINT64, &value, NULL));
  g_assert_cmpint (value, ==, G_MAXINT64);
  g_assert_true (fest_json_get_int (o, "small", TRUE, G_MININT64, G_MAXINT64, &value, NULL));
  g_assert_cmpint (value, ==, G_MININT64);

  /* Bounds are inclusive. */
  g_assert_true (fest_json_get_int (o, "price", TRUE, 450, 450, &value, NULL));

  for (guint i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autoptr(GError) error = NULL;

      value = 7;
      g_assert_false (fest_json_get_int (o, wrong[i].member, TRUE, G_MININT64, G_MAXINT64,
                                         &value, &error));
      check_validation_error (error, wrong[i].member, wrong[i].message);
      g_assert_cmpint (value, ==, 7);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_int (o, "price", TRUE, 0, 449, &value, &error));
    check_validation_error (error, "price", "price must be between 0 and 449");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_int (o, "neg", TRUE, 0, 10, &value, &error));
    check_validation_error (error, "neg", "neg must be between 0 and 10");
  }

  /* Optional: absent or null leave the output alone; wrong types still fail. */
  value = 7;
  g_assert_true (fest_json_get_int (o, "missing", FALSE, 0, 10, &value, NULL));
  g_assert_true (fest_json_get_int (o, "null", FALSE, 0, 10, &value, NULL));
  g_assert_cmpint (value, ==, 7);
  g_assert_false (fest_json_get_int (o, "str", FALSE, 0, 100, &value, NULL));
}

static void
check_out_of_range (const char *text,
                    const char *field)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = fest_json_parse (text, -1, &error);
  g_autofree char *message = g_strdup_printf ("%s is out of range", field);

  g_assert_null (node);
  check_validation_error (error, field, message);
}

static void
test_int_out_of_range (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  /* json-glib alone reads 99999999999999999999 as -1 and 2^63 as G_MININT64: an amount would
   * change sign. These are refused while parsing, naming the member. */
  check_out_of_range ("{\"amount\": 99999999999999999999}", "amount");
  check_out_of_range ("{\"amount\": 9223372036854775808}", "amount");
  check_out_of_range ("{\"amount\": -9223372036854775809}", "amount");
  check_out_of_range ("{\"a\": 1, \"lines\": [{\"quantity\": 1}, {\"quantity\": 18446744073709551616}]}",
                      "quantity");
  check_out_of_range ("{\"x\": {\"y\": 1}, \"z\": [1, 99999999999999999999]}", "z");
  /* json-glib reads these as infinity and writes that back as "inf.0" (found by
   * tests/fuzz/fuzz-members). */
  check_out_of_range ("{\"location\": {\"lat\": 1e400, \"lng\": 2}}", "lat");
  check_out_of_range ("{\"vat_rate\": -2E+999}", "vat_rate");

  /* Outside any object there is no field to name. */
  node = fest_json_parse ("[99999999999999999999]", -1, &error);
  g_assert_null (node);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON);
  g_clear_error (&error);
  node = fest_json_parse ("[1.5e309]", -1, &error);
  g_assert_null (node);
  g_assert_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON);
  /* Tiny numbers round to zero, as any JSON reader does. */
  g_clear_pointer (&node, json_node_unref);
  node = parse_or_die ("[1e-400, 1.7976931348623157e308]");
}

static void
test_get_string_text (void)
{
  g_autoptr(JsonNode) node = parse_or_die ("{\"name\": \"  Bar du Lac \", \"empty\": \"\","
                                           " \"blank\": \" \\t\\n\\u00a0\", \"num\": 3,"
                                           " \"null\": null, \"arr\": [\"a\"],"
                                           " \"accent\": \"Éléphant\"}");
  JsonObject *o = object_of (node);
  const char *value = NULL;

  g_assert_true (fest_json_get_string (o, "name", TRUE, &value, NULL));
  g_assert_cmpstr (value, ==, "  Bar du Lac ");
  g_assert_true (fest_json_get_string (o, "empty", TRUE, &value, NULL));
  g_assert_cmpstr (value, ==, "");

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_string (o, "num", TRUE, &value, &error));
    check_validation_error (error, "num", "num must be a string");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_string (o, "arr", TRUE, &value, &error));
    check_validation_error (error, "arr", "arr must be a string");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_string (o, "nope", TRUE, &value, &error));
    check_validation_error (error, "nope", "nope is required");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_string (o, "null", TRUE, &value, &error));
    check_validation_error (error, "null", "null must not be null");
  }

  /* Text: trimmed non-empty, at most N characters (not bytes). */
  g_assert_true (fest_json_get_text (o, "name", TRUE, 100, &value, NULL));
  g_assert_true (fest_json_get_text (o, "accent", TRUE, 8, &value, NULL));
  g_assert_cmpstr (value, ==, "Éléphant");
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_text (o, "accent", TRUE, 7, &value, &error));
    check_validation_error (error, "accent", "accent must be at most 7 characters");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_text (o, "empty", TRUE, 100, &value, &error));
    check_validation_error (error, "empty", "empty must not be empty");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_text (o, "blank", TRUE, 100, &value, &error));
    check_validation_error (error, "blank", "blank must not be empty");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_text (o, "num", FALSE, 100, &value, &error));
    check_validation_error (error, "num", "num must be a string");
  }
  value = "untouched";
  g_assert_true (fest_json_get_text (o, "nope", FALSE, 100, &value, NULL));
  g_assert_cmpstr (value, ==, "untouched");
}

static void
test_get_string_invalid_utf8 (void)
{
  /* fest_json_parse refuses invalid UTF-8, but objects built in code can hold anything. */
  g_autoptr(JsonObject) o = json_object_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) text_error = NULL;
  const char *value = NULL;

  json_object_set_string_member (o, "bad", "caf\xe9");
  g_assert_false (fest_json_get_string (o, "bad", TRUE, &value, &error));
  check_validation_error (error, "bad", "bad must be valid UTF-8");
  g_assert_false (fest_json_get_text (o, "bad", TRUE, 10, &value, &text_error));
  check_validation_error (text_error, "bad", "bad must be valid UTF-8");
  g_assert_null (value);
}

static void
test_get_double_bool (void)
{
  g_autoptr(JsonNode) node = parse_or_die ("{\"rate\": 5.5, \"int\": 20, \"str\": \"5.5\","
                                           " \"yes\": true, \"zero\": 0, \"null\": null}");
  JsonObject *o = object_of (node);
  double d = 0;
  gboolean b = FALSE;

  g_assert_true (fest_json_get_double (o, "rate", TRUE, 0, 100, &d, NULL));
  g_assert_cmpfloat (d, ==, 5.5);
  g_assert_true (fest_json_get_double (o, "int", TRUE, 0, 100, &d, NULL));
  g_assert_cmpfloat (d, ==, 20.0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_double (o, "str", TRUE, 0, 100, &d, &error));
    check_validation_error (error, "str", "str must be a number");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_double (o, "rate", TRUE, 0, 5, &d, &error));
    check_validation_error (error, "rate", "rate must be between 0 and 5");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_double (o, "yes", TRUE, 0, 5, &d, &error));
    check_validation_error (error, "yes", "yes must be a number");
  }

  g_assert_true (fest_json_get_bool (o, "yes", TRUE, &b, NULL));
  g_assert_true (b);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_bool (o, "zero", TRUE, &b, &error));
    check_validation_error (error, "zero", "zero must be a boolean");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_bool (o, "null", TRUE, &b, &error));
    check_validation_error (error, "null", "null must not be null");
  }
  b = TRUE;
  g_assert_true (fest_json_get_bool (o, "missing", FALSE, &b, NULL));
  g_assert_true (b);
}

static void
test_get_uuid_time (void)
{
  g_autoptr(JsonNode) node = parse_or_die ("{\"id\": \"123e4567-e89b-12d3-a456-426614174000\","
                                           " \"bad\": \"123\", \"at\": \"2026-07-14T22:30:00+02:00\","
                                           " \"naive\": \"2026-07-14T22:30:00\", \"num\": 5}");
  JsonObject *o = object_of (node);
  const char *id = NULL;
  g_autofree char *at = NULL;
  char *untouched = NULL;

  g_assert_true (fest_json_get_uuid (o, "id", TRUE, &id, NULL));
  g_assert_cmpstr (id, ==, "123e4567-e89b-12d3-a456-426614174000");
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_uuid (o, "bad", TRUE, &id, &error));
    check_validation_error (error, "bad", "bad must be a UUID");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_uuid (o, "num", TRUE, &id, &error));
    check_validation_error (error, "num", "num must be a string");
  }

  g_assert_true (fest_json_get_time (o, "at", TRUE, &at, NULL));
  g_assert_cmpstr (at, ==, "2026-07-14T20:30:00Z");
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_time (o, "naive", TRUE, &untouched, &error));
    check_validation_error (error, "naive", "naive must be an RFC 3339 time with an offset");
    g_assert_null (untouched);
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_time (o, "missing", TRUE, &untouched, &error));
    check_validation_error (error, "missing", "missing is required");
  }
  g_assert_true (fest_json_get_time (o, "missing", FALSE, &untouched, NULL));
  g_assert_null (untouched);
}

static void
test_get_object_array_location (void)
{
  g_autoptr(JsonNode) node = parse_or_die (
    "{\"lines\": [{\"q\": 1}], \"obj\": {\"a\": 1}, \"loc\": {\"lat\": 45.5, \"lng\": -3},"
    " \"far\": {\"lat\": 91, \"lng\": 0}, \"west\": {\"lat\": 0, \"lng\": -180.5},"
    " \"nolng\": {\"lat\": 1}, \"strlat\": {\"lat\": \"1\", \"lng\": 2}, \"arr\": [1, 2]}");
  JsonObject *o = object_of (node);
  JsonArray *array = NULL;
  JsonObject *object = NULL;
  double lat = 0, lng = 0;

  g_assert_true (fest_json_get_array (o, "lines", TRUE, &array, NULL));
  g_assert_cmpuint (json_array_get_length (array), ==, 1);
  g_assert_true (fest_json_get_object (o, "obj", TRUE, &object, NULL));
  g_assert_true (json_object_has_member (object, "a"));
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_array (o, "obj", TRUE, &array, &error));
    check_validation_error (error, "obj", "obj must be an array");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_object (o, "lines", TRUE, &object, &error));
    check_validation_error (error, "lines", "lines must be an object");
  }

  g_assert_true (fest_json_get_location (o, "loc", TRUE, &lat, &lng, NULL));
  g_assert_cmpfloat (lat, ==, 45.5);
  g_assert_cmpfloat (lng, ==, -3.0);
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_location (o, "far", TRUE, &lat, &lng, &error));
    check_validation_error (error, "far.lat", "far.lat must be between -90 and 90");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_location (o, "west", TRUE, &lat, &lng, &error));
    check_validation_error (error, "west.lng", "west.lng must be between -180 and 180");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_location (o, "nolng", TRUE, &lat, &lng, &error));
    check_validation_error (error, "nolng.lng", "nolng.lng is required");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_location (o, "strlat", TRUE, &lat, &lng, &error));
    check_validation_error (error, "strlat.lat", "strlat.lat must be a number");
  }
  {
    g_autoptr(GError) error = NULL;

    g_assert_false (fest_json_get_location (o, "arr", TRUE, &lat, &lng, &error));
    check_validation_error (error, "arr", "arr must be an object");
  }
  g_assert_cmpfloat (lat, ==, 45.5);
}

/* The ledger's hashes and JSON texts hold these digits: they must be exactly printf's. */
static void
test_format_int (void)
{
  const gint64 values[] = { 0, 1, -1, 9, 10, -10, 1080, 100000000000, G_MAXINT64, G_MININT64,
                            G_MININT64 + 1, G_MAXINT32, G_MININT32 };
  g_autoptr(GString) all = g_string_new (NULL);
  g_autoptr(GString) expected = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      char text[FEST_DECIMAL_SIZE];
      g_autofree char *printed = g_strdup_printf ("%" G_GINT64_FORMAT, values[i]);
      gsize len = fest_format_int (values[i], text);

      g_assert_cmpstr (text, ==, printed);
      g_assert_cmpuint (len, ==, strlen (printed));
      fest_string_append_int (all, values[i]);
      g_string_append_c (all, ',');
      g_string_append_printf (expected, "%s,", printed);
    }
  g_assert_cmpstr (all->str, ==, expected->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/json/format-int", test_format_int);
  g_test_add_func ("/fest/json/envelopes", test_envelopes);
  g_test_add_func ("/fest/json/parse", test_parse);
  g_test_add_func ("/fest/json/doubles-written-as-json", test_doubles_written_as_json);
  g_test_add_func ("/fest/json/control-characters-escaped", test_control_characters_escaped);
  g_test_add_func ("/fest/json/get-int", test_get_int);
  g_test_add_func ("/fest/json/int-out-of-range", test_int_out_of_range);
  g_test_add_func ("/fest/json/get-string-text", test_get_string_text);
  g_test_add_func ("/fest/json/get-string-invalid-utf8", test_get_string_invalid_utf8);
  g_test_add_func ("/fest/json/get-double-bool", test_get_double_bool);
  g_test_add_func ("/fest/json/get-uuid-time", test_get_uuid_time);
  g_test_add_func ("/fest/json/get-object-array-location", test_get_object_array_location);

  return g_test_run ();
}
