/* fest-role.h: roles and the permission table
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum /*< flags >*/
{
  FEST_ROLE_NONE        = 0,
  FEST_ROLE_SUPERADMIN  = 1 << 0,
  FEST_ROLE_ORGANISER   = 1 << 1,
  FEST_ROLE_CASHIER     = 1 << 2,
  FEST_ROLE_SCANNER     = 1 << 3,
  FEST_ROLE_SECURITY    = 1 << 4,
  FEST_ROLE_ARTIST      = 1 << 5,
  FEST_ROLE_FESTIVALIER = 1 << 6,
  /* A security member who also assigns incidents (DESIGN §11): granted what SECURITY is, plus
   * FEST_PERM_INCIDENT_ASSIGN and the festival's whole incident list. */
  FEST_ROLE_SECURITY_LEAD = 1 << 7,
} FestRole;

typedef guint FestRoles;

#define FEST_ROLE_ALL ((FestRoles) 0xff)

typedef enum
{
  FEST_PERM_NONE,                 /* any authenticated caller */
  FEST_PERM_FESTIVAL_CREATE,      /* SUPERADMIN, ORGANISER */
  FEST_PERM_FESTIVAL_READ,        /* every member */
  FEST_PERM_FESTIVAL_MANAGE,      /* ORGANISER */
  FEST_PERM_TEAM_READ,            /* ORGANISER, SECURITY, SECURITY_LEAD */
  FEST_PERM_TEAM_MANAGE,          /* ORGANISER */
  FEST_PERM_DEVICE_MANAGE,        /* ORGANISER */
  FEST_PERM_CATALOG_READ,         /* staff: ORGANISER CASHIER SCANNER SECURITY SECURITY_LEAD */
  FEST_PERM_CATALOG_MANAGE,       /* ORGANISER */
  FEST_PERM_WALLET_READ,          /* ORGANISER CASHIER */
  FEST_PERM_WALLET_CREATE,        /* ORGANISER CASHIER */
  FEST_PERM_WALLET_SELF,          /* FESTIVALIER (own wallet) */
  FEST_PERM_TRANSACTION_CREATE,   /* ORGANISER CASHIER (REFUND further needs TRANSACTION_REFUND) */
  FEST_PERM_TRANSACTION_REFUND,   /* ORGANISER */
  FEST_PERM_TRANSACTION_READ,     /* ORGANISER CASHIER */
  FEST_PERM_TICKET_MANAGE,        /* ORGANISER */
  FEST_PERM_TICKET_READ,          /* ORGANISER SCANNER */
  FEST_PERM_TICKET_SCAN,          /* ORGANISER SCANNER */
  FEST_PERM_LINEUP_READ,          /* every member */
  FEST_PERM_LINEUP_MANAGE,        /* ORGANISER */
  FEST_PERM_INCIDENT_CREATE,      /* every member */
  FEST_PERM_INCIDENT_READ,        /* ORGANISER SECURITY SECURITY_LEAD (SECURITY: only their own) */
  FEST_PERM_INCIDENT_MANAGE,      /* ORGANISER SECURITY SECURITY_LEAD (SECURITY: resolve their own) */
  FEST_PERM_STATS_READ,           /* ORGANISER */
  FEST_PERM_AUDIT_READ,           /* ORGANISER */
  FEST_PERM_SYNC,                 /* staff (stations) */
  FEST_PERM_EVENTS,               /* every member */
  FEST_PERM_ARTIST_SELF,          /* ARTIST ORGANISER (the artist linked to the caller's account) */
  FEST_PERM_INCIDENT_ASSIGN,      /* ORGANISER SECURITY_LEAD: assign, flag abuse, see every incident */
  FEST_N_PERMS
} FestPermission;

/* "ORGANISER" ↔ FEST_ROLE_ORGANISER; the seed's BARMAN is read as CASHIER. */
const char *fest_role_to_string   (FestRole     role);
gboolean    fest_role_from_string (const char  *name,
                                   FestRole    *role);
/* Does any of @roles grant @perm? SUPERADMIN is granted everything. */
gboolean    fest_roles_allow      (FestRoles     roles,
                                   FestPermission perm);
/* NULL-terminated array of role names, in the enum's order. */
char      **fest_roles_to_strv    (FestRoles     roles);

G_END_DECLS
