/* fuzz-members.c: libFuzzer harness for the POST and PATCH /members bodies
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body goes through the server's JSON parser and the field checks members_create() and
 * members_patch() make before they reach the platform store: email (and its address check), name,
 * password, and the roles list (the route's own parser, _fest_team_parse_roles()). Accepted roles
 * never include SUPERADMIN and survive the trip through the API's role list unchanged.
 */

#include "config.h"

#include "fest-routes-platform-private.h"
#include "fest-routes-team-private.h"
#include "fuzz-common.h"

#define MAX_NAME_CHARS 200   /* as fest-routes-team.c */

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_roles (FestRoles roles)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GError) error = NULL;
  FestRoles again = 0;
  gboolean present = FALSE;

  FUZZ_CHECK (roles != 0);
  FUZZ_CHECK ((roles & FEST_ROLE_SUPERADMIN) == 0);
  FUZZ_CHECK ((roles & ~FEST_ROLE_ALL) == 0);

  /* What GET /members shows is what POST /members accepts back. */
  json_object_set_member (object, "roles", _fest_strv_node (roles));
  FUZZ_CHECK (_fest_team_parse_roles (object, TRUE, &present, &again, &error));
  FUZZ_CHECK (present && again == roles);
}

static void
check_create (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  const char *email = NULL;
  const char *name = NULL;
  const char *password = NULL;
  FestRoles roles = 0;
  gboolean has_roles = FALSE;

  if (!fest_json_get_string (body, "email", TRUE, &email, &error)
      || !fest_json_get_text (body, "name", FALSE, MAX_NAME_CHARS, &name, &error)
      || !fest_json_get_string (body, "password", FALSE, &password, &error)
      || !_fest_team_parse_roles (body, TRUE, &has_roles, &roles, &error))
    {
      fuzz_check_validation_error (error);
      return;
    }
  FUZZ_CHECK (email != NULL && has_roles);
  check_roles (roles);
  if (name != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (name));

      FUZZ_CHECK (stripped[0] != '\0' && g_utf8_strlen (stripped, -1) <= MAX_NAME_CHARS);
    }

  if (_fest_email_is_valid (email))
    {
      g_autofree char *stripped = g_strstrip (g_strdup (email));
      const char *at = strchr (email, '@');

      /* Stored stripped, looked up as given: the two must be the same text. */
      FUZZ_CHECK (g_str_equal (stripped, email));
      FUZZ_CHECK (at != NULL && at != email && at[1] != '\0' && strchr (at + 1, '@') == NULL);
      FUZZ_CHECK (g_utf8_validate (email, -1, NULL));
    }
}

static void
check_patch (JsonObject *body)
{
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  FestRoles roles = 0;
  gboolean has_roles = FALSE;

  if (!fest_json_get_text (body, "name", FALSE, MAX_NAME_CHARS, &name, &error)
      || !_fest_team_parse_roles (body, FALSE, &has_roles, &roles, &error))
    {
      fuzz_check_validation_error (error);
      return;
    }
  if (has_roles)
    check_roles (roles);
  else
    FUZZ_CHECK (!json_object_has_member (body, "roles") ||
                JSON_NODE_HOLDS_NULL (json_object_get_member (body, "roles")));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = fuzz_parse_body (data, size);

  if (root == NULL)
    return 0;

  check_create (json_node_get_object (root));
  check_patch (json_node_get_object (root));
  return 0;
}
