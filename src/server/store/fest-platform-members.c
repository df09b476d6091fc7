/* fest-platform-members.c: platform.db: the festivals registry, memberships and devices
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Part of FestPlatformStore (fest-platform-store.h); the connection, accounts and tokens are in
 * fest-platform-store.c. Changes to what a token grants drop the affected cached tokens.
 */

#include "config.h"

#include "fest-platform-store-private.h"

gboolean
fest_platform_store_add_festival (FestPlatformStore  *self,
                                  const char         *festival_id,
                                  const char         *name,
                                  const char         *created_by,
                                  GError            **error)
{
  g_autofree char *now = fest_time_now ();
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "INSERT INTO festivals (id, name, created_by, created_at) VALUES (?1, ?2, ?3, ?4)",
                                       error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, name);
  fest_db_bind_text (stmt, 3, created_by);
  fest_db_bind_text (stmt, 4, now);
  return _fest_platform_store_step_done (self, stmt, error);
}

gboolean
fest_platform_store_remove_festival (FestPlatformStore  *self,
                                     const char         *festival_id,
                                     GError            **error)
{
  FestDbStmt *stmt;

  if (!fest_db_exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = _fest_platform_store_prepare (self,
                                       "DELETE FROM memberships WHERE festival_id = ?1",
                                       error);
  if (stmt == NULL)
    goto failed;
  fest_db_bind_text (stmt, 1, festival_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    goto failed;

  stmt = _fest_platform_store_prepare (self, "DELETE FROM festivals WHERE id = ?1", error);
  if (stmt == NULL)
    goto failed;
  fest_db_bind_text (stmt, 1, festival_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    goto failed;

  fest_platform_store_forget_all (self);
  return fest_db_exec (self->db, "COMMIT", error);

failed:
  fest_db_exec (self->db, "ROLLBACK", NULL);
  return FALSE;
}

gboolean
fest_platform_store_rename_festival (FestPlatformStore  *self,
                                     const char         *festival_id,
                                     const char         *name,
                                     GError            **error)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self,
                                                     "UPDATE festivals SET name = ?1 WHERE id = ?2",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, name);
  fest_db_bind_text (stmt, 2, festival_id);
  return _fest_platform_store_step_done (self, stmt, error);
}

gboolean
fest_platform_store_has_festival (FestPlatformStore *self,
                                  const char        *festival_id)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self,
                                                     "SELECT 1 FROM festivals WHERE id = ?1",
                                                     NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, festival_id);
  found = fest_db_step (stmt) == FEST_DB_ROW;
  fest_db_reset (stmt);
  return found;
}

char **
fest_platform_store_list_festivals (FestPlatformStore  *self,
                                    GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  FestDbStmt *stmt;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT id FROM festivals ORDER BY created_at, id",
                                       error);
  if (stmt == NULL)
    return NULL;
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_strv_builder_add (builder, fest_db_column_text (stmt, 0));
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    {
      fest_db_error (self->db, error);
      return NULL;
    }
  return g_strv_builder_end (builder);
}

gboolean
fest_platform_store_get_roles (FestPlatformStore *self,
                               const char        *festival_id,
                               const char        *account_id,
                               FestRoles         *roles)
{
  FestDbStmt *stmt;
  gboolean found = FALSE;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT roles FROM memberships WHERE festival_id = ?1 AND account_id = ?2",
                                       NULL);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, account_id);
  if (fest_db_step (stmt) == FEST_DB_ROW)
    {
      found = TRUE;
      if (roles != NULL)
        *roles = fest_roles_from_text (fest_db_column_text (stmt, 0));
    }
  fest_db_reset (stmt);
  return found;
}

gboolean
fest_platform_store_set_roles (FestPlatformStore  *self,
                               const char         *festival_id,
                               const char         *account_id,
                               FestRoles           roles,
                               gboolean            create,
                               GError            **error)
{
  g_autofree char *text = fest_roles_to_text (roles & ~FEST_ROLE_SUPERADMIN);
  g_autofree char *now = fest_time_now ();
  gboolean exists = fest_platform_store_get_roles (self, festival_id, account_id, NULL);
  FestDbStmt *stmt;

  if (create && exists)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Already a member of this festival");
      return FALSE;
    }
  if (!create && !exists)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
      return FALSE;
    }

  if (create)
    stmt = _fest_platform_store_prepare (self,
                                         "INSERT INTO memberships (roles, festival_id, account_id, created_at)"
                                         " VALUES (?1, ?2, ?3, ?4)",
                                         error);
  else
    stmt = _fest_platform_store_prepare (self,
                                         "UPDATE memberships SET roles = ?1 WHERE festival_id = ?2 AND account_id = ?3",
                                         error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, text);
  fest_db_bind_text (stmt, 2, festival_id);
  fest_db_bind_text (stmt, 3, account_id);
  if (create)
    fest_db_bind_text (stmt, 4, now);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;

  fest_platform_store_forget_account (self, account_id);
  return TRUE;
}

gboolean
fest_platform_store_remove_member (FestPlatformStore  *self,
                                   const char         *festival_id,
                                   const char         *account_id,
                                   GError            **error)
{
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "DELETE FROM memberships WHERE festival_id = ?1 AND account_id = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, account_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;
  if (fest_db_changes (self->db) == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
      return FALSE;
    }

  /* Sessions whose current festival was this one lose it. */
  stmt = _fest_platform_store_prepare (self,
                                       "UPDATE tokens SET festival_id = NULL WHERE account_id = ?1 AND festival_id = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, account_id);
  fest_db_bind_text (stmt, 2, festival_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;

  fest_platform_store_forget_account (self, account_id);
  return TRUE;
}

guint
fest_platform_store_count_role (FestPlatformStore *self,
                                const char        *festival_id,
                                FestRole           role)
{
  FestDbStmt *stmt;
  guint count = 0;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT roles FROM memberships WHERE festival_id = ?1",
                                       NULL);
  if (stmt == NULL)
    return 0;
  fest_db_bind_text (stmt, 1, festival_id);
  while (fest_db_step (stmt) == FEST_DB_ROW)
    if (fest_roles_from_text (fest_db_column_text (stmt, 0)) & role)
      count++;
  fest_db_reset (stmt);
  return count;
}

static gint64
count_rows (FestPlatformStore *self,
            const char        *sql,
            const char        *value)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self, sql, NULL);
  gint64 count = 0;

  if (stmt == NULL)
    return 0;
  if (value != NULL)
    fest_db_bind_text (stmt, 1, value);
  if (fest_db_step (stmt) == FEST_DB_ROW)
    count = fest_db_column_int64 (stmt, 0);
  fest_db_reset (stmt);
  return count;
}

static FestMember *
member_from_row (FestDbStmt *stmt)
{
  FestMember *member = g_new0 (FestMember, 1);

  member->account_id = _fest_platform_store_column_dup (stmt, 0);
  member->email = _fest_platform_store_column_dup (stmt, 1);
  member->name = _fest_platform_store_column_dup (stmt, 2);
  member->roles = fest_roles_from_text (fest_db_column_text (stmt, 3));
  return member;
}

/* The condition on memberships m of a role filter bound to ?2: NULL (every member) or one role
 * name, matched as a whole item of the comma-separated list: the list is shorter without it.
 * replace() is SQLite's and PostgreSQL's (instr() is SQLite's only). */
#define MEMBER_ROLE_SQL \
  "(CAST(?2 AS TEXT) IS NULL" \
  " OR length (replace (',' || m.roles || ',', ',' || ?2 || ',', '')) < length (',' || m.roles || ','))"

GPtrArray *
fest_platform_store_list_members (FestPlatformStore  *self,
                                  const char         *festival_id,
                                  FestRole            role,
                                  guint               offset,
                                  guint               limit,
                                  gint64             *total,
                                  GError            **error)
{
  g_autoptr(GPtrArray) members = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_member_free);
  const char *role_name = role != 0 ? fest_role_to_string (role) : NULL;
  FestDbStmt *stmt;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT a.id, a.email, COALESCE (m.name, a.name), m.roles FROM memberships m"
                                       " JOIN accounts a ON a.id = m.account_id"
                                       " WHERE m.festival_id = ?1 AND " MEMBER_ROLE_SQL
                                       " ORDER BY a.email COLLATE NOCASE, a.id LIMIT ?3 OFFSET ?4",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, role_name);
  fest_db_bind_int64 (stmt, 3, limit);
  fest_db_bind_int64 (stmt, 4, offset);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_ptr_array_add (members, member_from_row (stmt));
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    {
      fest_db_error (self->db, error);
      return NULL;
    }

  if (total != NULL)
    {
      stmt = _fest_platform_store_prepare (self,
                                           "SELECT COUNT(*) FROM memberships m WHERE m.festival_id = ?1 AND " MEMBER_ROLE_SQL,
                                           error);
      if (stmt == NULL)
        return NULL;
      fest_db_bind_text (stmt, 1, festival_id);
      fest_db_bind_text (stmt, 2, role_name);
      rc = fest_db_step (stmt);
      *total = rc == FEST_DB_ROW ? fest_db_column_int64 (stmt, 0) : 0;
      fest_db_reset (stmt);
      if (rc != FEST_DB_ROW)
        {
          fest_db_error (self->db, error);
          return NULL;
        }
    }
  return g_steal_pointer (&members);
}

gboolean
fest_platform_store_set_member_name (FestPlatformStore  *self,
                                     const char         *festival_id,
                                     const char         *account_id,
                                     const char         *name,
                                     GError            **error)
{
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "UPDATE memberships SET name = ?1 WHERE festival_id = ?2 AND account_id = ?3",
                                       error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, name);
  fest_db_bind_text (stmt, 2, festival_id);
  fest_db_bind_text (stmt, 3, account_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;
  if (fest_db_changes (self->db) == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
      return FALSE;
    }
  return TRUE;
}

FestMember *
fest_platform_store_get_member (FestPlatformStore  *self,
                                const char         *festival_id,
                                const char         *account_id,
                                GError            **error)
{
  FestDbStmt *stmt;
  FestMember *member = NULL;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT a.id, a.email, COALESCE (m.name, a.name), m.roles FROM memberships m"
                                       " JOIN accounts a ON a.id = m.account_id"
                                       " WHERE m.festival_id = ?1 AND m.account_id = ?2",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, account_id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    member = member_from_row (stmt);
  else if (rc == FEST_DB_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
  else
    fest_db_error (self->db, error);
  fest_db_reset (stmt);
  return member;
}

GPtrArray *
fest_platform_store_list_memberships (FestPlatformStore  *self,
                                      const char         *account_id,
                                      gboolean            all,
                                      guint               offset,
                                      guint               limit,
                                      gint64             *total,
                                      GError            **error)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_membership_free);
  FestDbStmt *stmt;
  int rc;

  if (all)
    stmt = _fest_platform_store_prepare (self,
                                         "SELECT f.id, f.name, m.roles FROM festivals f"
                                         " LEFT JOIN memberships m ON m.festival_id = f.id AND m.account_id = ?1"
                                         " ORDER BY f.created_at, f.id LIMIT ?2 OFFSET ?3",
                                         error);
  else
    stmt = _fest_platform_store_prepare (self,
                                         "SELECT f.id, f.name, m.roles FROM memberships m"
                                         " JOIN festivals f ON f.id = m.festival_id"
                                         " WHERE m.account_id = ?1 ORDER BY f.created_at, f.id LIMIT ?2 OFFSET ?3",
                                         error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, account_id);
  fest_db_bind_int64 (stmt, 2, limit);
  fest_db_bind_int64 (stmt, 3, offset);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestMembership *membership = g_new0 (FestMembership, 1);

      membership->festival_id = _fest_platform_store_column_dup (stmt, 0);
      membership->festival_name = _fest_platform_store_column_dup (stmt, 1);
      membership->roles = fest_roles_from_text (fest_db_column_text (stmt, 2));
      g_ptr_array_add (list, membership);
    }
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    {
      fest_db_error (self->db, error);
      return NULL;
    }

  if (total != NULL)
    {
      if (all)
        *total = count_rows (self, "SELECT COUNT(*) FROM festivals", NULL);
      else
        *total = count_rows (self, "SELECT COUNT(*) FROM memberships WHERE account_id = ?1",
                             account_id);
    }
  return g_steal_pointer (&list);
}

#define DEVICE_COLUMNS "id, festival_id, name, stand_id, mode, created_at, revoked"

static FestDevice *
device_from_row (FestDbStmt *stmt)
{
  FestDevice *device = g_new0 (FestDevice, 1);

  device->id = _fest_platform_store_column_dup (stmt, 0);
  device->festival_id = _fest_platform_store_column_dup (stmt, 1);
  device->name = _fest_platform_store_column_dup (stmt, 2);
  device->stand_id = _fest_platform_store_column_dup (stmt, 3);
  device->mode = _fest_platform_store_column_dup (stmt, 4);
  device->created_at = _fest_platform_store_column_dup (stmt, 5);
  device->revoked = fest_db_column_int (stmt, 6) != 0;
  return device;
}

FestDevice *
fest_platform_store_create_device (FestPlatformStore  *self,
                                   const char         *festival_id,
                                   const char         *name,
                                   const char         *stand_id,
                                   const char         *mode,
                                   GError            **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "INSERT INTO devices (id, festival_id, name, stand_id, mode, created_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, festival_id);
  fest_db_bind_text (stmt, 3, name);
  fest_db_bind_text (stmt, 4, stand_id);
  fest_db_bind_text (stmt, 5, mode);
  fest_db_bind_text (stmt, 6, now);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return NULL;

  return fest_platform_store_get_device (self, festival_id, id, error);
}

FestDevice *
fest_platform_store_get_device (FestPlatformStore  *self,
                                const char         *festival_id,
                                const char         *device_id,
                                GError            **error)
{
  FestDbStmt *stmt;
  FestDevice *device = NULL;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ?1 AND festival_id = ?2",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, device_id);
  fest_db_bind_text (stmt, 2, festival_id);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    device = device_from_row (stmt);
  else if (rc == FEST_DB_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such device");
  else
    fest_db_error (self->db, error);
  fest_db_reset (stmt);
  return device;
}

GPtrArray *
fest_platform_store_list_devices (FestPlatformStore  *self,
                                  const char         *festival_id,
                                  guint               offset,
                                  guint               limit,
                                  gint64             *total,
                                  GError            **error)
{
  g_autoptr(GPtrArray) devices = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_device_free);
  FestDbStmt *stmt;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT " DEVICE_COLUMNS " FROM devices WHERE festival_id = ?1"
                                       " ORDER BY created_at, id LIMIT ?2 OFFSET ?3",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_int64 (stmt, 2, limit);
  fest_db_bind_int64 (stmt, 3, offset);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    g_ptr_array_add (devices, device_from_row (stmt));
  fest_db_reset (stmt);
  if (rc != FEST_DB_DONE)
    {
      fest_db_error (self->db, error);
      return NULL;
    }
  if (total != NULL)
    *total = count_rows (self, "SELECT COUNT(*) FROM devices WHERE festival_id = ?1", festival_id);
  return g_steal_pointer (&devices);
}

gboolean
fest_platform_store_revoke_device (FestPlatformStore  *self,
                                   const char         *festival_id,
                                   const char         *device_id,
                                   GError            **error)
{
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "UPDATE devices SET revoked = 1 WHERE id = ?1 AND festival_id = ?2",
                                       error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, device_id);
  fest_db_bind_text (stmt, 2, festival_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;
  if (fest_db_changes (self->db) == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such device");
      return FALSE;
    }

  stmt = _fest_platform_store_prepare (self, "DELETE FROM tokens WHERE device_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, device_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;

  fest_platform_store_forget_device (self, device_id);
  return TRUE;
}

