/* test-team.c: members and devices, over a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-test-server.h"

#define UNICODE_NAME "Zoë 🎸 Ünïcødé"
#define SQL_NAME     "Robert'); DROP TABLE stands;--"

typedef struct
{
  FestTestServer   *server;
  FestTestFestival  fest;
  char             *cashier_token;
  char             *cashier_id;
  /* A second festival with its own organiser. */
  char             *other_festival_id;
  char             *other_organiser_token;
  char             *other_organiser_id;
} Fixture;

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;

  fixture->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (fixture->server, "Main festival", &fixture->fest);
  fixture->cashier_token = fest_test_server_add_member (fixture->server,
                                                        fixture->fest.organiser_token,
                                                        fixture->fest.festival_id,
                                                        "cashier@test.festivals", "CASHIER",
                                                        &fixture->cashier_id);

  /* The superadmin created the festival, so is one of its organisers: step out, leaving
   * organiser1 as the only one. */
  {
    g_autofree char *path = NULL;

    g_assert_cmpuint (fest_test_server_request (fixture->server, "GET", "/me",
                                                fixture->fest.superadmin_token, NULL, &reply), ==,
                      200);
    path = g_strdup_printf ("/members/%s", fest_test_json_string (reply, "data.user.id"));
    g_assert_cmpuint (fest_test_server_request (fixture->server, "DELETE", path,
                                                fixture->fest.organiser_token, NULL, NULL), ==, 200);
  }

  fixture->other_festival_id = fest_test_server_create_festival (fixture->server,
                                                                 fixture->fest.superadmin_token,
                                                                 "Other festival");
  g_assert_cmpuint (fest_test_server_requestf (fixture->server, "POST", "/auth/festival",
                                               fixture->fest.superadmin_token, NULL,
                                               "{\"festival_id\":\"%s\"}",
                                               fixture->other_festival_id), ==, 200);
  fixture->other_organiser_token = fest_test_server_add_member (fixture->server,
                                                                fixture->fest.superadmin_token,
                                                                fixture->other_festival_id,
                                                                "other@test.festivals", "ORGANISER",
                                                                &fixture->other_organiser_id);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  fest_test_festival_clear (&fixture->fest);
  g_free (fixture->cashier_token);
  g_free (fixture->cashier_id);
  g_free (fixture->other_festival_id);
  g_free (fixture->other_organiser_token);
  g_free (fixture->other_organiser_id);
  g_clear_pointer (&fixture->server, fest_test_server_free);
}

/* Rows of the festival's audit log with @action and @entity_id, read from its store. */
static int
count_audit (Fixture    *fixture,
             const char *festival_id,
             const char *action,
             const char *entity_id)
{
  FestDb *db = fest_test_server_open_db (fixture->server, festival_id, FALSE);
  g_autoptr(GError) error = NULL;
  FestDbStmt *stmt;
  int count;

  stmt = fest_db_prepare_uncached (db,
                                   "SELECT count(*) FROM audit_log WHERE action = ?1"
                                   " AND entity_id = ?2 AND ip_address IS NOT NULL"
                                   " AND user_agent IS NOT NULL AND created_at IS NOT NULL"
                                   " AND (actor_id IS NOT NULL OR device_id IS NOT NULL)",
                                   &error);
  g_assert_no_error (error);
  fest_db_bind_text (stmt, 1, action);
  fest_db_bind_text (stmt, 2, entity_id);
  g_assert_cmpint (fest_db_step (stmt), ==, FEST_DB_ROW);
  count = fest_db_column_int (stmt, 0);
  fest_db_stmt_free (stmt);
  fest_db_free (db);
  return count;
}

static gboolean
list_has (JsonNode   *reply,
          const char *field,
          const char *value)
{
  JsonArray *array = json_node_get_array (fest_test_json_get (reply, "data"));

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      if (g_strcmp0 (json_object_get_string_member (object, field), value) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_members_list (Fixture       *fixture,
                   gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (server, "GET", "/members", fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_true (list_has (reply, "email", "organiser1@test.festivals"));
  g_assert_true (list_has (reply, "email", "cashier@test.festivals"));
  g_assert_false (list_has (reply, "email", "other@test.festivals"));
  /* cashier@ sorts before organiser1@ */
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, fixture->cashier_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.name"), ==,
                   "Member cashier@test.festivals");
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.roles.0"), ==, "CASHIER");
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "GET", "/members?per_page=1&page=2",
                                     fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, fixture->fest.organiser_id);
  g_clear_pointer (&reply, json_node_unref);

  status = fest_test_server_request (server, "GET", "/members", fixture->cashier_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
}

static void
test_members_create (Fixture       *fixture,
                     gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *token = fixture->fest.organiser_token;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *new_token = NULL;
  guint status;
  struct
  {
    const char *body;
    const char *field;
  } invalid[] = {
    { "{\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"CASHIER\"]}", "email" },
    { "{\"email\":\"no-at-sign\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"CASHIER\"]}", "email" },
    { "{\"email\":7,\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"CASHIER\"]}", "email" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\"}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":\"CASHIER\"}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[]}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"KING\"]}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"security_lead\"]}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[1]}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"long enough\",\"roles\":[\"SUPERADMIN\"]}", "roles" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"password\":\"short\",\"roles\":[\"CASHIER\"]}", "password" },
    { "{\"email\":\"a@x.org\",\"name\":\"A\",\"roles\":[\"CASHIER\"]}", "password" },
    { "{\"email\":\"a@x.org\",\"password\":\"long enough\",\"roles\":[\"CASHIER\"]}", "name" },
    { "{\"email\":\"a@x.org\",\"name\":[],\"password\":\"long enough\",\"roles\":[\"CASHIER\"]}", "name" },
  };

  status = fest_test_server_request (server, "POST", "/members", token,
                                     "{\"email\":\"scanner@test.festivals\",\"name\":\"Sam\","
                                     "\"password\":\"scanner-pass\",\"roles\":[\"SCANNER\",\"SECURITY\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_true (g_uuid_string_is_valid (fest_test_json_string (reply, "data.id")));
  g_assert_cmpstr (fest_test_json_string (reply, "data.email"), ==, "scanner@test.festivals");
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Sam");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "SCANNER");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.1"), ==, "SECURITY");
  g_assert_cmpint (count_audit (fixture, fixture->fest.festival_id, "member.create",
                                fest_test_json_string (reply, "data.id")), ==, 1);
  g_clear_pointer (&reply, json_node_unref);

  /* The new account can log in, into this festival. */
  new_token = fest_test_server_login (server, "scanner@test.festivals", "scanner-pass", NULL);
  status = fest_test_server_request (server, "GET", "/me", new_token, NULL, &reply);
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.id"), ==, fixture->fest.festival_id);
  g_clear_pointer (&reply, json_node_unref);

  /* Adding the same person again conflicts, whatever the case of the email. */
  status = fest_test_server_request (server, "POST", "/members", token,
                                     "{\"email\":\"SCANNER@test.festivals\",\"roles\":[\"CASHIER\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* An account of another festival joins like a new one (members-foreign-account), and keeps
   * its own password. */
  status = fest_test_server_request (server, "POST", "/members", token,
                                     "{\"email\":\"other@test.festivals\",\"name\":\"Oscar\","
                                     "\"password\":\"not the real one\",\"roles\":[\"CASHIER\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, fixture->other_organiser_id);
  g_clear_pointer (&reply, json_node_unref);
  g_free (fest_test_server_login (server, "other@test.festivals", FEST_TEST_PASSWORD,
                                  fixture->fest.festival_id));

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      status = fest_test_server_request (server, "POST", "/members", token, invalid[i].body, &reply);
      g_assert_cmpuint (status, ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", invalid[i].field);
      g_clear_pointer (&reply, json_node_unref);
    }

  status = fest_test_server_request (server, "POST", "/members", token, "{\"email\":", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "MALFORMED_JSON", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* A security lead (issue 18): a role of its own, listed with the others and found by the filter. */
  status = fest_test_server_request (server, "POST", "/members", token,
                                     "{\"email\":\"lead@test.festivals\",\"name\":\"Léa\","
                                     "\"password\":\"lead-pass-long\",\"roles\":[\"SECURITY_LEAD\",\"SECURITY\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "SECURITY");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.1"), ==, "SECURITY_LEAD");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/members?role=SECURITY_LEAD", token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.email"), ==, "lead@test.festivals");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/members?role=SECURITY", token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_clear_pointer (&reply, json_node_unref);

  /* A cashier cannot add people. */
  status = fest_test_server_request (server, "POST", "/members", fixture->cashier_token,
                                     "{\"email\":\"x@test.festivals\",\"name\":\"X\","
                                     "\"password\":\"long enough\",\"roles\":[\"ORGANISER\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 403);
  fest_test_assert_error (reply, "FORBIDDEN", NULL);
}

static void
test_members_names (Fixture       *fixture,
                    gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *names[] = { UNICODE_NAME, SQL_NAME };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(JsonNode) reply = NULL;
      g_autofree char *text = NULL;
      g_autofree char *email = g_strdup_printf ("name%u@test.festivals", i);
      g_autofree char *id = NULL;
      g_autofree char *path = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "email");
      json_builder_add_string_value (builder, email);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, names[i]);
      json_builder_set_member_name (builder, "password");
      json_builder_add_string_value (builder, names[i]);
      json_builder_set_member_name (builder, "roles");
      json_builder_begin_array (builder);
      json_builder_add_string_value (builder, "ARTIST");
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      body = json_builder_get_root (builder);
      text = json_to_string (body, FALSE);

      g_assert_cmpuint (fest_test_server_request (server, "POST", "/members",
                                                  fixture->fest.organiser_token, text, &reply),
                        ==, 201);
      g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, names[i]);
      id = g_strdup (fest_test_json_string (reply, "data.id"));
      g_clear_pointer (&reply, json_node_unref);

      /* Read back from the list, and the password (the same odd text) works. */
      g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?per_page=500",
                                                  fixture->fest.organiser_token, NULL, &reply),
                        ==, 200);
      g_assert_true (list_has (reply, "name", names[i]));
      g_clear_pointer (&reply, json_node_unref);
      g_free (fest_test_server_login (server, email, names[i], NULL));

      /* PATCH keeps it verbatim too. */
      path = g_strdup_printf ("/members/%s", id);
      g_assert_cmpuint (fest_test_server_request (server, "PATCH", path,
                                                  fixture->fest.organiser_token, text, &reply),
                        ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, names[i]);
    }

  /* The stands table is still there. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stands",
                                              fixture->fest.organiser_token, NULL, NULL), ==, 200);
}

static void
test_members_patch (Fixture       *fixture,
                    gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *cashier_path = g_strdup_printf ("/members/%s", fixture->cashier_id);
  g_autofree char *organiser_path = g_strdup_printf ("/members/%s", fixture->fest.organiser_id);
  g_autofree char *other_path = g_strdup_printf ("/members/%s", fixture->other_organiser_id);
  guint status;

  /* The cashier cannot read the team... */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", fixture->cashier_token,
                                              NULL, NULL), ==, 403);

  /* ... until made an organiser: the same token gets the new role at once. */
  status = fest_test_server_request (server, "PATCH", cashier_path, fixture->fest.organiser_token,
                                     "{\"roles\":[\"CASHIER\",\"ORGANISER\"],\"name\":\"Chief\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Chief");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "ORGANISER");
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.1"), ==, "CASHIER");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", fixture->cashier_token,
                                              NULL, NULL), ==, 200);
  g_assert_cmpint (count_audit (fixture, fixture->fest.festival_id, "member.update",
                                fixture->cashier_id), ==, 1);

  /* Two organisers: one may step down. Then the last one may not. */
  status = fest_test_server_request (server, "PATCH", cashier_path, fixture->fest.organiser_token,
                                     "{\"roles\":[\"CASHIER\"]}", &reply);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", fixture->cashier_token,
                                              NULL, NULL), ==, 403);
  status = fest_test_server_request (server, "PATCH", organiser_path, fixture->fest.organiser_token,
                                     "{\"roles\":[\"SECURITY\"]}", &reply);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Validation. */
  status = fest_test_server_request (server, "PATCH", cashier_path, fixture->fest.organiser_token,
                                     "{\"roles\":[\"SUPERADMIN\"]}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "roles");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "PATCH", cashier_path, fixture->fest.organiser_token,
                                     "{\"name\":\"   \"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "name");
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival's member is not found here; nor is a random id. */
  status = fest_test_server_request (server, "PATCH", other_path, fixture->fest.organiser_token,
                                     "{\"roles\":[\"CASHIER\"]}", &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "PATCH", "/members/00000000-0000-4000-8000-000000000000",
                                     fixture->fest.organiser_token, "{\"roles\":[\"CASHIER\"]}",
                                     &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* A cashier may not change roles (not even their own). */
  status = fest_test_server_request (server, "PATCH", cashier_path, fixture->cashier_token,
                                     "{\"roles\":[\"ORGANISER\"]}", &reply);
  g_assert_cmpuint (status, ==, 403);
}

/* The member keys of a POST /members reply, sorted and joined: its shape. */
static char *
member_keys (JsonNode *reply)
{
  JsonObject *object = json_node_get_object (fest_test_json_get (reply, "data"));
  g_autoptr(GList) members = json_object_get_members (object);
  g_autoptr(GString) keys = g_string_new (NULL);

  members = g_list_sort (members, (GCompareFunc) g_strcmp0);
  for (GList *l = members; l != NULL; l = l->next)
    g_string_append_printf (keys, "%s,", (const char *) l->data);
  return g_string_free (g_steal_pointer (&keys), FALSE);
}

/* Issue 14: an organiser of this festival adds the other festival's organiser by e-mail. That
 * must neither tell that the account exists, nor let this festival rename or re-password it. */
static void
test_members_foreign_account (Fixture       *fixture,
                              gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  const char *token = fixture->fest.organiser_token;
  g_autoptr(JsonNode) existing = NULL;
  g_autoptr(JsonNode) fresh = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *other_path = g_strdup_printf ("/members/%s", fixture->other_organiser_id);
  g_autofree char *existing_keys = NULL;
  g_autofree char *fresh_keys = NULL;
  g_autofree char *other_name = NULL;
  g_autofree char *other_token = NULL;
  guint status_existing, status_fresh;

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", fixture->other_organiser_token, NULL,
                                              &reply), ==, 200);
  other_name = g_strdup (fest_test_json_string (reply, "data.user.name"));
  g_clear_pointer (&reply, json_node_unref);

  /* The same request for an existing and a new e-mail: the same status and reply shape, each
   * with the name and e-mail as sent. */
  status_existing = fest_test_server_request (server, "POST", "/members", token,
                                              "{\"email\":\"other@test.festivals\",\"name\":\"Mallory\","
                                              "\"password\":\"taken over now\",\"roles\":[\"CASHIER\"]}",
                                              &existing);
  status_fresh = fest_test_server_request (server, "POST", "/members", token,
                                           "{\"email\":\"fresh@test.festivals\",\"name\":\"Mallory\","
                                           "\"password\":\"taken over now\",\"roles\":[\"CASHIER\"]}",
                                           &fresh);
  g_assert_cmpuint (status_existing, ==, 201);
  g_assert_cmpuint (status_fresh, ==, status_existing);
  existing_keys = member_keys (existing);
  fresh_keys = member_keys (fresh);
  g_assert_cmpstr (existing_keys, ==, fresh_keys);
  g_assert_cmpstr (fest_test_json_string (existing, "data.name"), ==, "Mallory");
  g_assert_cmpstr (fest_test_json_string (fresh, "data.name"), ==, "Mallory");
  g_assert_cmpstr (fest_test_json_string (existing, "data.email"), ==, "other@test.festivals");

  /* Name and password are required alike: a bare e-mail does not tell either. */
  for (guint i = 0; i < 2; i++)
    {
      const char *email = i == 0 ? "other2@test.festivals" : "fresh2@test.festivals";

      g_assert_cmpuint (fest_test_server_requestf (server, "POST", "/members", token, &reply,
                                                   "{\"email\":\"%s\",\"roles\":[\"CASHIER\"]}", email), ==, 400);
      fest_test_assert_error (reply, "VALIDATION_FAILED", "name");
      g_clear_pointer (&reply, json_node_unref);
    }

  /* The password sent did not replace the account's. */
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/auth/login", NULL,
                                              "{\"email\":\"other@test.festivals\","
                                              "\"password\":\"taken over now\"}", &reply), ==, 401);
  g_clear_pointer (&reply, json_node_unref);
  other_token = fest_test_server_login (server, "other@test.festivals", FEST_TEST_PASSWORD,
                                        fixture->other_festival_id);

  /* Renaming it here renames this festival's member only. */
  g_assert_cmpuint (fest_test_server_request (server, "PATCH", other_path, token, "{\"name\":\"Renamed\"}",
                                              &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Renamed");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=CASHIER&per_page=500", token, NULL,
                                              &reply), ==, 200);
  g_assert_true (list_has (reply, "name", "Renamed"));
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", other_token, NULL, &reply), ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.user.name"), ==, other_name);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", other_token, NULL, &reply), ==, 200);
  g_assert_true (list_has (reply, "name", other_name));
  g_assert_false (list_has (reply, "name", "Renamed"));
  g_assert_false (list_has (reply, "name", "Mallory"));
  g_clear_pointer (&reply, json_node_unref);

  /* And its roles there are untouched. */
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/stands", other_token,
                                              "{\"name\":\"Still mine\",\"type\":\"BAR\"}", NULL), ==, 201);
}

/* Issue 14: a filter that is not understood is an error, not a list of everyone. */
static void
test_members_role_filter (Fixture       *fixture,
                          gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=CASHIER",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, fixture->cashier_id);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=ORGANISER",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 1);
  g_assert_cmpstr (fest_test_json_string (reply, "data.0.id"), ==, fixture->fest.organiser_id);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=SCANNER",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=KING",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "role");
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members?role=CASH%27%20OR%201",
                                              fixture->fest.organiser_token, NULL, &reply), ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "role");
}

static void
test_members_delete (Fixture       *fixture,
                     gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *cashier_path = g_strdup_printf ("/members/%s", fixture->cashier_id);
  g_autofree char *organiser_path = g_strdup_printf ("/members/%s", fixture->fest.organiser_id);
  g_autofree char *other_path = g_strdup_printf ("/members/%s", fixture->other_organiser_id);
  guint status;

  /* The cashier's token works in the festival before... */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stands", fixture->cashier_token,
                                              NULL, NULL), ==, 200);

  status = fest_test_server_request (server, "DELETE", cashier_path, fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.id"), ==, fixture->cashier_id);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (count_audit (fixture, fixture->fest.festival_id, "member.delete",
                                fixture->cashier_id), ==, 1);

  /* ... and not after: the token is still valid but has no festival any more. */
  status = fest_test_server_request (server, "GET", "/stands", fixture->cashier_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/me", fixture->cashier_token, NULL,
                                              &reply), ==, 200);
  g_assert_null (fest_test_json_string (reply, "data.festival_id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_requestf (server, "POST", "/auth/festival",
                                               fixture->cashier_token, NULL,
                                               "{\"festival_id\":\"%s\"}",
                                               fixture->fest.festival_id), ==, 404);

  /* Twice: gone. */
  status = fest_test_server_request (server, "DELETE", cashier_path, fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* The last organiser stays. */
  status = fest_test_server_request (server, "DELETE", organiser_path,
                                     fixture->fest.organiser_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 409);
  fest_test_assert_error (reply, "CONFLICT", NULL);
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival's member cannot be removed from here. */
  status = fest_test_server_request (server, "DELETE", other_path, fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members",
                                              fixture->other_organiser_token, NULL, NULL), ==, 200);
}

static char *
create_stand (Fixture    *fixture,
              const char *token)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  status = fest_test_server_request (fixture->server, "POST", "/stands", token,
                                     "{\"name\":\"Bar du Lac\",\"type\":\"BAR\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static void
test_devices (Fixture       *fixture,
              gconstpointer  data)
{
  FestTestServer *server = fixture->server;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stand_id = create_stand (fixture, fixture->fest.organiser_token);
  g_autofree char *other_stand_id = create_stand (fixture, fixture->other_organiser_token);
  g_autofree char *device_token = NULL;
  g_autofree char *device_id = NULL;
  g_autofree char *device_path = NULL;
  guint status;

  status = fest_test_server_requestf (server, "POST", "/devices", fixture->fest.organiser_token,
                                      &reply, "{\"name\":\"Caisse 1\",\"stand_id\":\"%s\","
                                      "\"mode\":\"cashier\"}", stand_id);
  g_assert_cmpuint (status, ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.name"), ==, "Caisse 1");
  g_assert_cmpstr (fest_test_json_string (reply, "data.stand_id"), ==, stand_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.mode"), ==, "cashier");
  g_assert_cmpuint (strlen (fest_test_json_string (reply, "data.token")), ==, 64);
  device_token = g_strdup (fest_test_json_string (reply, "data.token"));
  device_id = g_strdup (fest_test_json_string (reply, "data.id"));
  device_path = g_strdup_printf ("/devices/%s", device_id);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpint (count_audit (fixture, fixture->fest.festival_id, "device.create", device_id),
                   ==, 1);

  /* The device token: a cashier of this festival, bound to its stand. */
  status = fest_test_server_request (server, "GET", "/me", device_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_test_json_string (reply, "data.device.id"), ==, device_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.device.mode"), ==, "cashier");
  g_assert_cmpstr (fest_test_json_string (reply, "data.stand.id"), ==, stand_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.stand.name"), ==, "Bar du Lac");
  g_assert_cmpstr (fest_test_json_string (reply, "data.festival.id"), ==, fixture->fest.festival_id);
  g_assert_cmpstr (fest_test_json_string (reply, "data.roles.0"), ==, "CASHIER");
  g_assert_null (fest_test_json_get (reply, "data.roles.1"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/stands", device_token, NULL, NULL),
                    ==, 200);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", device_token, NULL, NULL),
                    ==, 403);
  g_assert_cmpuint (fest_test_server_requestf (server, "POST", "/auth/festival", device_token, NULL,
                                               "{\"festival_id\":\"%s\"}",
                                               fixture->other_festival_id), ==, 403);

  /* Modes map to roles. */
  status = fest_test_server_request (server, "POST", "/devices", fixture->fest.organiser_token,
                                     "{\"name\":\"Porte A\",\"mode\":\"scanner\"}", &reply);
  g_assert_cmpuint (status, ==, 201);
  g_assert_null (fest_test_json_string (reply, "data.stand_id"));
  {
    g_autoptr(JsonNode) me = NULL;
    g_assert_cmpuint (fest_test_server_request (server, "GET", "/me",
                                                fest_test_json_string (reply, "data.token"), NULL,
                                                &me), ==, 200);
    g_assert_cmpstr (fest_test_json_string (me, "data.roles.0"), ==, "SCANNER");
  }
  g_clear_pointer (&reply, json_node_unref);

  /* Validation, and another festival's stand is unknown here. */
  status = fest_test_server_request (server, "POST", "/devices", fixture->fest.organiser_token,
                                     "{\"name\":\"X\",\"mode\":\"barista\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "mode");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "POST", "/devices", fixture->fest.organiser_token,
                                     "{\"mode\":\"cashier\"}", &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "name");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "POST", "/devices", fixture->fest.organiser_token,
                                     "{\"name\":\"X\",\"mode\":\"cashier\",\"stand_id\":\"bar\"}",
                                     &reply);
  g_assert_cmpuint (status, ==, 400);
  fest_test_assert_error (reply, "VALIDATION_FAILED", "stand_id");
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_requestf (server, "POST", "/devices", fixture->fest.organiser_token,
                                      &reply, "{\"name\":\"X\",\"mode\":\"cashier\","
                                      "\"stand_id\":\"%s\"}", other_stand_id);
  g_assert_cmpuint (status, ==, 404);
  fest_test_assert_error (reply, "NOT_FOUND", "stand_id");
  g_clear_pointer (&reply, json_node_unref);

  /* Only organisers manage devices. */
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/devices", fixture->cashier_token,
                                              NULL, NULL), ==, 403);
  g_assert_cmpuint (fest_test_server_request (server, "POST", "/devices", fixture->cashier_token,
                                              "{\"name\":\"X\",\"mode\":\"cashier\"}", NULL), ==, 403);

  /* Listing: this festival's devices only. */
  status = fest_test_server_request (server, "GET", "/devices", fixture->fest.organiser_token, NULL,
                                     &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 2);
  g_assert_null (fest_test_json_get (reply, "data.0.token"));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/devices", fixture->other_organiser_token, NULL,
                                     &reply);
  g_assert_cmpint (fest_test_json_int (reply, "meta.total"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);

  /* Another festival cannot revoke it. */
  status = fest_test_server_request (server, "DELETE", device_path, fixture->other_organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 404);
  g_clear_pointer (&reply, json_node_unref);

  /* Revoked: the token stops working at once. */
  status = fest_test_server_request (server, "DELETE", device_path, fixture->fest.organiser_token,
                                     NULL, &reply);
  g_assert_cmpuint (status, ==, 200);
  g_assert_true (json_node_get_boolean (fest_test_json_get (reply, "data.revoked")));
  g_clear_pointer (&reply, json_node_unref);
  status = fest_test_server_request (server, "GET", "/stands", device_token, NULL, &reply);
  g_assert_cmpuint (status, ==, 401);
  fest_test_assert_error (reply, "UNAUTHENTICATED", NULL);
  g_assert_cmpint (count_audit (fixture, fixture->fest.festival_id, "device.revoke", device_id),
                   ==, 1);
}

static void
test_no_festival (void)
{
  g_autoptr(FestTestServer) server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *token = NULL;

  /* A superadmin without a current festival has no team to look at. */
  fest_test_server_create_superadmin (server, "admin@test.festivals", FEST_TEST_PASSWORD);
  token = fest_test_server_login (server, "admin@test.festivals", FEST_TEST_PASSWORD, NULL);
  g_assert_cmpuint (fest_test_server_request (server, "GET", "/members", token, NULL, &reply), ==,
                    404);
  fest_test_assert_error (reply, "NOT_FOUND", NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/team/members-list", Fixture, NULL, fixture_setup, test_members_list,
              fixture_teardown);
  g_test_add ("/fest/team/members-create", Fixture, NULL, fixture_setup, test_members_create,
              fixture_teardown);
  g_test_add ("/fest/team/members-names", Fixture, NULL, fixture_setup, test_members_names,
              fixture_teardown);
  g_test_add ("/fest/team/members-patch", Fixture, NULL, fixture_setup, test_members_patch,
              fixture_teardown);
  g_test_add ("/fest/team/members-foreign-account", Fixture, NULL, fixture_setup,
              test_members_foreign_account, fixture_teardown);
  g_test_add ("/fest/team/members-role-filter", Fixture, NULL, fixture_setup,
              test_members_role_filter, fixture_teardown);
  g_test_add ("/fest/team/members-delete", Fixture, NULL, fixture_setup, test_members_delete,
              fixture_teardown);
  g_test_add ("/fest/team/devices", Fixture, NULL, fixture_setup, test_devices, fixture_teardown);
  g_test_add_func ("/fest/team/no-festival", test_no_festival);

  return g_test_run ();
}
