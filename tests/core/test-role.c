/* test-role.c: role names and the permission table
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"

static void
test_names (void)
{
  static const struct
  {
    FestRole role;
    const char *name;
  } roles[] = {
    { FEST_ROLE_SUPERADMIN, "SUPERADMIN" },
    { FEST_ROLE_ORGANISER, "ORGANISER" },
    { FEST_ROLE_CASHIER, "CASHIER" },
    { FEST_ROLE_SCANNER, "SCANNER" },
    { FEST_ROLE_SECURITY, "SECURITY" },
    { FEST_ROLE_ARTIST, "ARTIST" },
    { FEST_ROLE_FESTIVALIER, "FESTIVALIER" },
    { FEST_ROLE_SECURITY_LEAD, "SECURITY_LEAD" },
  };
  FestRole role;

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    {
      g_assert_cmpstr (fest_role_to_string (roles[i].role), ==, roles[i].name);
      role = FEST_ROLE_NONE;
      g_assert_true (fest_role_from_string (roles[i].name, &role));
      g_assert_cmpint (role, ==, roles[i].role);
    }

  /* The seed's BARMAN is our CASHIER. */
  g_assert_true (fest_role_from_string ("BARMAN", &role));
  g_assert_cmpint (role, ==, FEST_ROLE_CASHIER);

  role = FEST_ROLE_NONE;
  g_assert_false (fest_role_from_string ("organiser", &role));
  g_assert_false (fest_role_from_string ("ADMIN", &role));
  g_assert_false (fest_role_from_string ("", &role));
  g_assert_false (fest_role_from_string (NULL, &role));
  g_assert_cmpint (role, ==, FEST_ROLE_NONE);
  g_assert_null (fest_role_to_string (FEST_ROLE_NONE));
  g_assert_null (fest_role_to_string (FEST_ROLE_CASHIER | FEST_ROLE_SCANNER));
}

static void
test_strv (void)
{
  g_auto(GStrv) none = fest_roles_to_strv (FEST_ROLE_NONE);
  g_auto(GStrv) some = fest_roles_to_strv (FEST_ROLE_FESTIVALIER | FEST_ROLE_CASHIER |
                                           FEST_ROLE_ORGANISER);
  g_auto(GStrv) all = fest_roles_to_strv (FEST_ROLE_ALL);
  const char *expected_some[] = { "ORGANISER", "CASHIER", "FESTIVALIER", NULL };
  const char *expected_all[] = { "SUPERADMIN", "ORGANISER", "CASHIER", "SCANNER", "SECURITY",
                                 "ARTIST", "FESTIVALIER", "SECURITY_LEAD", NULL };

  g_assert_nonnull (none);
  g_assert_null (none[0]);
  g_assert_true (g_strv_equal ((const char * const *) some, expected_some));
  g_assert_true (g_strv_equal ((const char * const *) all, expected_all));
}

typedef struct
{
  FestPermission perm;
  FestRoles allowed;
} PermCase;

static void
test_table (void)
{
  const FestRoles org = FEST_ROLE_ORGANISER, cas = FEST_ROLE_CASHIER, sca = FEST_ROLE_SCANNER,
                  sec = FEST_ROLE_SECURITY, art = FEST_ROLE_ARTIST, fes = FEST_ROLE_FESTIVALIER,
                  lead = FEST_ROLE_SECURITY_LEAD;
  const FestRoles members = org | cas | sca | sec | art | fes | lead;
  const FestRoles staff = org | cas | sca | sec | lead;
  /* The table from fest-role.h, written out again: every role × every permission. */
  const PermCase cases[] = {
    { FEST_PERM_FESTIVAL_CREATE, org },
    { FEST_PERM_FESTIVAL_READ, members },
    { FEST_PERM_FESTIVAL_MANAGE, org },
    { FEST_PERM_TEAM_READ, org | sec | lead },
    { FEST_PERM_TEAM_MANAGE, org },
    { FEST_PERM_DEVICE_MANAGE, org },
    { FEST_PERM_CATALOG_READ, staff },
    { FEST_PERM_CATALOG_MANAGE, org },
    { FEST_PERM_WALLET_READ, org | cas },
    { FEST_PERM_WALLET_CREATE, org | cas },
    { FEST_PERM_WALLET_SELF, fes },
    { FEST_PERM_TRANSACTION_CREATE, org | cas },
    { FEST_PERM_TRANSACTION_REFUND, org },
    { FEST_PERM_TRANSACTION_READ, org | cas },
    { FEST_PERM_TICKET_MANAGE, org },
    { FEST_PERM_TICKET_READ, org | sca },
    { FEST_PERM_TICKET_SCAN, org | sca },
    { FEST_PERM_LINEUP_READ, members },
    { FEST_PERM_LINEUP_MANAGE, org },
    { FEST_PERM_INCIDENT_CREATE, members },
    { FEST_PERM_INCIDENT_READ, org | sec | lead },
    { FEST_PERM_INCIDENT_MANAGE, org | sec | lead },
    { FEST_PERM_STATS_READ, org },
    { FEST_PERM_AUDIT_READ, org },
    { FEST_PERM_SYNC, staff },
    { FEST_PERM_EVENTS, members },
    { FEST_PERM_ARTIST_SELF, art | org },
    { FEST_PERM_INCIDENT_ASSIGN, org | lead },
  };

  g_assert_cmpuint (G_N_ELEMENTS (cases), ==, FEST_N_PERMS - 1);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      for (guint bit = 1; bit < FEST_ROLE_SUPERADMIN << 8; bit <<= 1)
        {
          gboolean expected = bit == FEST_ROLE_SUPERADMIN || (cases[i].allowed & bit) != 0;

          if (fest_roles_allow (bit, cases[i].perm) != expected)
            g_error ("role %s, permission %d: expected %s", fest_role_to_string (bit),
                     cases[i].perm, expected ? "allowed" : "denied");
        }
      g_assert_false (fest_roles_allow (FEST_ROLE_NONE, cases[i].perm));
    }

  /* Any authenticated caller, even one with no role in the festival. */
  g_assert_true (fest_roles_allow (FEST_ROLE_NONE, FEST_PERM_NONE));
  g_assert_true (fest_roles_allow (FEST_ROLE_ARTIST, FEST_PERM_NONE));

  /* Several roles: the union. */
  g_assert_true (fest_roles_allow (cas | sec, FEST_PERM_INCIDENT_MANAGE));
  g_assert_true (fest_roles_allow (cas | sec, FEST_PERM_WALLET_CREATE));
  g_assert_false (fest_roles_allow (cas | sec, FEST_PERM_TRANSACTION_REFUND));
  g_assert_false (fest_roles_allow (art | fes, FEST_PERM_CATALOG_READ));
  /* A plain SECURITY member resolves but does not assign. */
  g_assert_false (fest_roles_allow (sec, FEST_PERM_INCIDENT_ASSIGN));
  g_assert_true (fest_roles_allow (sec | lead, FEST_PERM_INCIDENT_ASSIGN));

  /* Out-of-range permissions grant nothing, even to SUPERADMIN. */
  g_assert_false (fest_roles_allow (FEST_ROLE_ALL, FEST_N_PERMS));
  g_assert_false (fest_roles_allow (FEST_ROLE_ALL, (FestPermission) 1000));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/fest/role/names", test_names);
  g_test_add_func ("/fest/role/strv", test_strv);
  g_test_add_func ("/fest/role/table", test_table);

  return g_test_run ();
}
