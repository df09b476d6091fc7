/* test-catalog.c: stands, products and the audit log over a real festivals-server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-test-server.h"

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
  char             *cashier_token;
  char             *cashier_id;
} Fixture;

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Catalog fest", &f->fest);
  f->cashier_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                  "cashier@test.festivals", "CASHIER", &f->cashier_id);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->cashier_token);
  g_free (f->cashier_id);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

static char *
create_stand (Fixture    *f,
              const char *name)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (f->server, "POST", "/stands", f->fest.organiser_token, &reply,
                                      "{\"name\":\"%s\",\"type\":\"BAR\","
                                      "\"location\":{\"lat\":45.75,\"lng\":4.85,\"zone\":\"North\"}}", name);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static char *
create_product (Fixture    *f,
                const char *stand_id,
                const char *name,
                gint64      price,
                const char *extra)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_requestf (f->server, "POST", "/products", f->fest.organiser_token, &reply,
                                      "{\"stand_id\":\"%s\",\"name\":\"%s\",\"price\":%" G_GINT64_FORMAT "%s}",
                                      stand_id, name, price, extra != NULL ? extra : "");
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static void
test_stand_crud (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  guint status;

  status = fest_test_server_request (f->server, "POST", "/stands", f->fest.organiser_token,
                                     "{\"name\":\"Bar Zoë 🎸\",\"type\":\"BAR\","
                                     "\"location\":{\"lat\":45.75,\"lng\":4.85,\"zone\":\"Nord\"}}", &reply);
  g_assert_cmpuint (status, ==, 201);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_nonnull (id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bar Zoë 🎸");
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "BAR");
  g_assert_cmpstr (fest_test_json_string (reply, "data.location.zone"), ==, "Nord");
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.location.lat")),
                                  45.75, 1e-9);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.is_active")));
  g_assert_nonnull (fest_test_json_string (reply, "data.created_at"));
  g_clear_pointer (&reply, json_node_unref);

  path = g_strdup_printf ("/stands/%s", id);
  status = fest_test_server_request (f->server, "GET", path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bar Zoë 🎸");
  g_clear_pointer (&reply, json_node_unref);

  /* SQL metacharacters are data. */
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"name\":\"Robert'); DROP TABLE stands;--\",\"is_active\":false,"
                                     "\"location\":null}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Robert'); DROP TABLE stands;--");
  g_assert_false (json_node_get_boolean (fest_test_json_get (reply, "data.is_active")));
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.location")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "BAR");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/stands", f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Robert'); DROP TABLE stands;--");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "GET", "/stands", f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
}

static void
test_stand_validation (Fixture       *f,
                       gconstpointer  data)
{
  static const struct
  {
    const char *body;
    const char *field;
  } cases[] = {
    { "{\"type\":\"BAR\"}", "name" },
    { "{\"name\":\"   \",\"type\":\"BAR\"}", "name" },
    { "{\"name\":42,\"type\":\"BAR\"}", "name" },
    { "{\"name\":\"Bar\"}", "type" },
    { "{\"name\":\"Bar\",\"type\":\"CASINO\"}", "type" },
    { "{\"name\":\"Bar\",\"type\":\"BAR\",\"location\":{\"lat\":91,\"lng\":4}}", "location.lat" },
    { "{\"name\":\"Bar\",\"type\":\"BAR\",\"location\":{\"lat\":45,\"lng\":\"4\"}}", "location.lng" },
    { "{\"name\":\"Bar\",\"type\":\"BAR\",\"is_active\":\"yes\"}", "is_active" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) reply = NULL;
      guint status;

      status = fest_test_server_request (f->server, "POST", "/stands", f->fest.organiser_token, cases[i].body,
                                         &reply);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", cases[i].field);
    }

  {
    g_autoptr(JsonNode) reply = NULL;
    guint status = fest_test_server_request (f->server, "POST", "/stands", f->fest.organiser_token,
                                             "{\"name\": \"Bar\",", &reply);

    g_assert_cmpuint (status, ==, 400);
    fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  }
}

static void
test_product_crud (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  g_autofree char *other_stand = create_stand (f, "Food");
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autofree char *query = NULL;
  guint status;

  status = fest_test_server_requestf (f->server, "POST", "/products", f->fest.organiser_token, &reply,
                                      "{\"stand_id\":\"%s\",\"name\":\"Bière\",\"price\":450,\"vat_rate\":5.5,"
                                      "\"category\":\"drinks\",\"stock\":10}", stand);
  g_assert_cmpuint (status, ==, 201);
  id = g_strdup (fest_test_json_string (reply, "data.id"));
  g_assert_cmpstr (fest_test_json_string (reply, "data.stand_id"), ==, stand);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bière");
  g_assert_cmpint (fest_test_json_int (reply, "data.price"), ==, 450);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.vat_rate")), 5.5, 1e-9);
  g_assert_cmpint (fest_test_json_int (reply, "data.stock"), ==, 10);
  g_assert_cmpstr (fest_test_json_string (reply, "data.category"), ==, "drinks");
  g_clear_pointer (&reply, json_node_unref);

  /* Default VAT 20 %, unlimited stock. */
  g_free (create_product (f, other_stand, "Frites", 300, NULL));
  status = fest_test_server_request (f->server, "GET", "/products", f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpfloat_with_epsilon (json_node_get_double (fest_test_json_get (reply, "data.1.vat_rate")), 20, 1e-9);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.1.stock")));
  g_clear_pointer (&reply, json_node_unref);

  query = g_strdup_printf ("/products?stand_id=%s", stand);
  status = fest_test_server_request (f->server, "GET", query, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, id);
  g_clear_pointer (&reply, json_node_unref);

  path = g_strdup_printf ("/products/%s", id);
  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token,
                                     "{\"price\":500,\"stock\":null,\"vat_rate\":20}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.price"), ==, 500);
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.stock")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bière");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.price"), ==, 500);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "GET", query, f->cashier_token, NULL, &reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
}

static void
test_product_validation (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  static const struct
  {
    const char *extra;
    const char *field;
  } cases[] = {
    { "\"name\":\"Beer\",\"price\":-1", "price" },
    { "\"name\":\"Beer\",\"price\":1.5", "price" },
    { "\"name\":\"Beer\",\"price\":\"450\"", "price" },
    { "\"name\":\"Beer\",\"price\":10000000000000", "price" },
    { "\"name\":\"Beer\"", "price" },
    { "\"price\":450", "name" },
    { "\"name\":\"Beer\",\"price\":450,\"vat_rate\":7", "vat_rate" },
    { "\"name\":\"Beer\",\"price\":450,\"vat_rate\":\"20\"", "vat_rate" },
    { "\"name\":\"Beer\",\"price\":450,\"stock\":-1", "stock" },
    { "\"name\":\"Beer\",\"price\":450,\"is_active\":1", "is_active" },
  };
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) case_reply = NULL;

      status = fest_test_server_requestf (f->server, "POST", "/products", f->fest.organiser_token, &case_reply,
                                          "{\"stand_id\":\"%s\",%s}", stand, cases[i].extra);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (case_reply, "VALIDATION_FAILED", cases[i].field);
    }

  status = fest_test_server_request (f->server, "POST", "/products", f->fest.organiser_token,
                                     "{\"name\":\"Beer\",\"price\":450}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "stand_id");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "POST", "/products", f->fest.organiser_token,
                                     "{\"stand_id\":\"8d1f8a4e-3f5c-4b7e-9a55-0c4cf0b1c2d3\",\"name\":\"Beer\","
                                     "\"price\":450}", &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", "stand_id");
}

static void
test_wrong_role (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  g_autofree char *path = g_strdup_printf ("/stands/%s", stand);
  g_autofree char *attendee = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (f->server, "POST", "/stands", f->cashier_token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "PATCH", path, f->cashier_token, "{\"name\":\"Mine\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "DELETE", path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/audit", f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  attendee = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                          "attendee@test.festivals", "FESTIVALIER", NULL);
  status = fest_test_server_request (f->server, "GET", "/stands", attendee, NULL, &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/stands", NULL, NULL, &reply);
  g_assert_cmpuint (status, ==, 401);
  g_clear_pointer (&reply, json_node_unref);

  /* Nothing changed. */
  status = fest_test_server_request (f->server, "GET", path, f->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bar");
}

static void
test_other_festival (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  g_autofree char *product = create_product (f, stand, "Beer", 450, NULL);
  g_autofree char *other_festival = NULL;
  g_autofree char *other_token = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  other_festival = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD, other_festival);

  path = g_strdup_printf ("/stands/%s", stand);
  status = fest_test_server_request (f->server, "GET", path, other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "PATCH", path, other_token, "{\"name\":\"Stolen\"}", &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "DELETE", path, other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_free (path);

  path = g_strdup_printf ("/products/%s", product);
  status = fest_test_server_request (f->server, "GET", path, other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* A product cannot be hung on another festival's stand. */
  status = fest_test_server_requestf (f->server, "POST", "/products", other_token, &reply,
                                      "{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":1}", stand);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/stands", other_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* Still intact in its own festival. */
  g_free (path);
  path = g_strdup_printf ("/stands/%s", stand);
  status = fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Bar");
}

static void
test_pagination (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  g_autoptr(JsonNode) reply = NULL;
  JsonNode *items;
  guint status;

  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("Product %u", i);

      g_free (create_product (f, stand, name, 100 + i, NULL));
    }

  status = fest_test_server_request (f->server, "GET", "/products?page=3&per_page=2", f->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 5);
  g_assert_cmpint (fest_test_json_int (reply, "meta.page"), ==, 3);
  g_assert_cmpint (fest_test_json_int (reply, "meta.perPage"), ==, 2);
  items = fest_test_json_get (reply, "data");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (items)), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==, "Product 4");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (f->server, "GET", "/products?per_page=501", f->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", NULL);
}

static void
test_audit (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *stand = create_stand (f, "Bar");
  g_autofree char *path = g_strdup_printf ("/stands/%s", stand);
  g_autofree char *query = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (f->server, "PATCH", path, f->fest.organiser_token, "{\"name\":\"Bar 2\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (f->server, "DELETE", path, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);

  query = g_strdup_printf ("/audit?entity_type=stand&entity_id=%s", stand);
  status = fest_test_server_request (f->server, "GET", query, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 3);

  /* Newest first, old/new values as JSON objects. */
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "stand.delete");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.old_values.name"), ==, "Bar 2");
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.0.new_values")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.action"), ==, "stand.update");
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.old_values.name"), ==, "Bar");
  g_assert_cmpstr (fest_test_json_string (reply, "data.1.new_values.name"), ==, "Bar 2");
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.action"), ==, "stand.create");
  g_assert_true (JSON_NODE_HOLDS_NULL (fest_test_json_get (reply, "data.2.old_values")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.new_values.type"), ==, "BAR");
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.entity_type"), ==, "stand");
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.entity_id"), ==, stand);
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.actor_id"), ==, f->fest.organiser_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.2.ip_address"), ==, "127.0.0.1");
  g_assert_nonnull (fest_test_json_string (reply, "data.2.created_at"));
  g_clear_pointer (&reply, json_node_unref);

  g_free (query);
  query = g_strdup_printf ("/audit?actor_id=%s&per_page=1", f->fest.organiser_id);
  status = fest_test_server_request (f->server, "GET", query, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), >=, 3);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.action"), ==, "stand.delete");
  g_clear_pointer (&reply, json_node_unref);

  /* A refused mutation leaves no audit row. */
  status = fest_test_server_request (f->server, "POST", "/stands", f->cashier_token,
                                     "{\"name\":\"Bar\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 403);
  g_clear_pointer (&reply, json_node_unref);
  g_free (query);
  query = g_strdup_printf ("/audit?actor_id=%s", f->cashier_id);
  status = fest_test_server_request (f->server, "GET", query, f->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)
  ADD ("/fest/catalog/stand-crud", test_stand_crud);
  ADD ("/fest/catalog/stand-validation", test_stand_validation);
  ADD ("/fest/catalog/product-crud", test_product_crud);
  ADD ("/fest/catalog/product-validation", test_product_validation);
  ADD ("/fest/catalog/wrong-role", test_wrong_role);
  ADD ("/fest/catalog/other-festival", test_other_festival);
  ADD ("/fest/catalog/pagination", test_pagination);
  ADD ("/fest/catalog/audit", test_audit);
#undef ADD

  return g_test_run ();
}
