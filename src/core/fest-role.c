/* fest-role.c: roles and the permission table
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-role.h"

#define ORG FEST_ROLE_ORGANISER
#define CAS FEST_ROLE_CASHIER
#define SCA FEST_ROLE_SCANNER
#define SEC FEST_ROLE_SECURITY
#define ART FEST_ROLE_ARTIST
#define FES FEST_ROLE_FESTIVALIER
#define LEAD FEST_ROLE_SECURITY_LEAD
#define MEMBERS (ORG | CAS | SCA | SEC | ART | FES | LEAD)
#define STAFF (ORG | CAS | SCA | SEC | LEAD)

static const struct
{
  FestRole role;
  const char *name;
} role_names[] = {
  { FEST_ROLE_SUPERADMIN, "SUPERADMIN" },
  { FEST_ROLE_ORGANISER, "ORGANISER" },
  { FEST_ROLE_CASHIER, "CASHIER" },
  { FEST_ROLE_SCANNER, "SCANNER" },
  { FEST_ROLE_SECURITY, "SECURITY" },
  { FEST_ROLE_ARTIST, "ARTIST" },
  { FEST_ROLE_FESTIVALIER, "FESTIVALIER" },
  { FEST_ROLE_SECURITY_LEAD, "SECURITY_LEAD" },
};

/* Which roles grant each permission; SUPERADMIN is granted everything in fest_roles_allow. */
static const FestRoles permission_table[FEST_N_PERMS] = {
  [FEST_PERM_NONE] = FEST_ROLE_ALL,
  [FEST_PERM_FESTIVAL_CREATE] = ORG,
  [FEST_PERM_FESTIVAL_READ] = MEMBERS,
  [FEST_PERM_FESTIVAL_MANAGE] = ORG,
  [FEST_PERM_TEAM_READ] = ORG | SEC | LEAD,
  [FEST_PERM_TEAM_MANAGE] = ORG,
  [FEST_PERM_DEVICE_MANAGE] = ORG,
  [FEST_PERM_CATALOG_READ] = STAFF,
  [FEST_PERM_CATALOG_MANAGE] = ORG,
  [FEST_PERM_WALLET_READ] = ORG | CAS,
  [FEST_PERM_WALLET_CREATE] = ORG | CAS,
  [FEST_PERM_WALLET_SELF] = FES,
  [FEST_PERM_TRANSACTION_CREATE] = ORG | CAS,
  [FEST_PERM_TRANSACTION_REFUND] = ORG,
  [FEST_PERM_TRANSACTION_READ] = ORG | CAS,
  [FEST_PERM_TICKET_MANAGE] = ORG,
  [FEST_PERM_TICKET_READ] = ORG | SCA,
  [FEST_PERM_TICKET_SCAN] = ORG | SCA,
  [FEST_PERM_LINEUP_READ] = MEMBERS,
  [FEST_PERM_LINEUP_MANAGE] = ORG,
  [FEST_PERM_INCIDENT_CREATE] = MEMBERS,
  [FEST_PERM_INCIDENT_READ] = ORG | SEC | LEAD,
  [FEST_PERM_INCIDENT_MANAGE] = ORG | SEC | LEAD,
  [FEST_PERM_STATS_READ] = ORG,
  [FEST_PERM_AUDIT_READ] = ORG,
  [FEST_PERM_SYNC] = STAFF,
  [FEST_PERM_EVENTS] = MEMBERS,
  [FEST_PERM_ARTIST_SELF] = ART | ORG,
  [FEST_PERM_INCIDENT_ASSIGN] = ORG | LEAD,
};

const char *
fest_role_to_string (FestRole role)
{
  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (role_names[i].role == role)
      return role_names[i].name;

  return NULL;
}

gboolean
fest_role_from_string (const char *name,
                       FestRole   *role)
{
  g_return_val_if_fail (role != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  /* The seed's schema calls the cashier role BARMAN. */
  if (g_str_equal (name, "BARMAN"))
    {
      *role = FEST_ROLE_CASHIER;
      return TRUE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    {
      if (g_str_equal (role_names[i].name, name))
        {
          *role = role_names[i].role;
          return TRUE;
        }
    }

  return FALSE;
}

gboolean
fest_roles_allow (FestRoles      roles,
                  FestPermission perm)
{
  if ((guint) perm >= FEST_N_PERMS)
    return FALSE;

  /* Any authenticated caller, even one without a role in the current festival. */
  if (perm == FEST_PERM_NONE || (roles & FEST_ROLE_SUPERADMIN))
    return TRUE;

  return (roles & permission_table[perm]) != 0;
}

char **
fest_roles_to_strv (FestRoles roles)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < G_N_ELEMENTS (role_names); i++)
    if (roles & role_names[i].role)
      g_strv_builder_add (builder, role_names[i].name);

  return g_strv_builder_end (builder);
}
