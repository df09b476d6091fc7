/* fest-platform-store.c: platform.db: accounts, tokens, festivals registry, members, devices
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "fest-platform-store.h"
#include "fest-store-private.h"

/* Bound on the token cache; past it the cache starts over (entries are cheap to rebuild). */
#define MAX_CACHED_TOKENS 100000

/* argon2id parameters: OWASP's minimum is m = 19 MiB, t = 2. */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19 * 1024 * 1024)

struct _FestPlatformStore
{
  sqlite3    *db;
  GHashTable *stmts;
  GHashTable *token_cache;   /* token hash → FestAuthEntry */
};

static const char * const platform_migrations[] = {
  /* 1 */
  "CREATE TABLE accounts ("
  "  id TEXT PRIMARY KEY,"
  "  email TEXT NOT NULL UNIQUE COLLATE NOCASE,"
  "  name TEXT NOT NULL,"
  "  password_hash TEXT NOT NULL,"
  "  is_superadmin INTEGER NOT NULL DEFAULT 0,"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE festivals ("
  "  id TEXT PRIMARY KEY,"
  "  name TEXT NOT NULL,"
  "  created_by TEXT REFERENCES accounts(id),"
  "  created_at TEXT NOT NULL"
  ");"
  "CREATE TABLE memberships ("
  "  festival_id TEXT NOT NULL REFERENCES festivals(id),"
  "  account_id TEXT NOT NULL REFERENCES accounts(id),"
  "  roles TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  PRIMARY KEY (festival_id, account_id)"
  ") WITHOUT ROWID;"
  "CREATE INDEX idx_memberships_account ON memberships(account_id);"
  "CREATE TABLE devices ("
  "  id TEXT PRIMARY KEY,"
  "  festival_id TEXT NOT NULL REFERENCES festivals(id),"
  "  name TEXT NOT NULL,"
  "  stand_id TEXT,"
  "  mode TEXT NOT NULL CHECK (mode IN ('cashier','recharge','scanner','security')),"
  "  created_at TEXT NOT NULL,"
  "  revoked INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE INDEX idx_devices_festival ON devices(festival_id);"
  "CREATE TABLE tokens ("
  "  hash TEXT PRIMARY KEY,"                        /* hex SHA-256 of the bearer token */
  "  kind TEXT NOT NULL CHECK (kind IN ('session','device')),"
  "  account_id TEXT REFERENCES accounts(id),"
  "  device_id TEXT REFERENCES devices(id),"
  "  festival_id TEXT,"                             /* current festival */
  "  expires_at INTEGER,"                           /* unix seconds; NULL = never */
  "  created_at TEXT NOT NULL,"
  "  CHECK ((account_id IS NULL) != (device_id IS NULL))"
  ") WITHOUT ROWID;"
  "CREATE INDEX idx_tokens_account ON tokens(account_id);"
  "CREATE INDEX idx_tokens_device ON tokens(device_id);",
  /* 2: a member's name as one festival knows it. An account may belong to several festivals:
   * renaming a member must not rename the person elsewhere. NULL: the account's own name. */
  "ALTER TABLE memberships ADD COLUMN name TEXT;",
};

void
fest_account_free (FestAccount *account)
{
  if (account == NULL)
    return;
  g_free (account->id);
  g_free (account->email);
  g_free (account->name);
  if (account->password_hash != NULL)
    sodium_memzero (account->password_hash, strlen (account->password_hash));
  g_free (account->password_hash);
  g_free (account->created_at);
  g_free (account);
}

void
fest_member_free (FestMember *member)
{
  if (member == NULL)
    return;
  g_free (member->account_id);
  g_free (member->email);
  g_free (member->name);
  g_free (member);
}

void
fest_membership_free (FestMembership *membership)
{
  if (membership == NULL)
    return;
  g_free (membership->festival_id);
  g_free (membership->festival_name);
  g_free (membership);
}

void
fest_device_free (FestDevice *device)
{
  if (device == NULL)
    return;
  g_free (device->id);
  g_free (device->festival_id);
  g_free (device->name);
  g_free (device->stand_id);
  g_free (device->mode);
  g_free (device->created_at);
  g_free (device);
}

FestAuthEntry *
fest_auth_entry_ref (FestAuthEntry *entry)
{
  g_atomic_int_inc (&entry->ref_count);
  return entry;
}

void
fest_auth_entry_unref (FestAuthEntry *entry)
{
  if (entry == NULL || !g_atomic_int_dec_and_test (&entry->ref_count))
    return;

  g_free (entry->auth.account_id);
  g_free (entry->auth.email);
  g_free (entry->auth.device_id);
  g_free (entry->auth.stand_id);
  g_free (entry->auth.mode);
  g_free (entry->auth.festival_id);
  g_free (entry->auth.token_hash);
  g_free (entry->name);
  g_free (entry);
}

char *
fest_password_hash (const char  *password,
                    GError     **error)
{
  char out[crypto_pwhash_STRBYTES];

  fest_core_init ();

  if (crypto_pwhash_str_alg (out, password, strlen (password), PWHASH_OPSLIMIT, PWHASH_MEMLIMIT,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Out of memory hashing a password");
      return NULL;
    }

  return g_strdup (out);
}

gboolean
fest_password_verify (const char *hash,
                      const char *password)
{
  fest_core_init ();

  if (hash == NULL || password == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, password, strlen (password)) == 0;
}

char *
fest_roles_to_text (FestRoles roles)
{
  g_auto(GStrv) names = fest_roles_to_strv (roles);

  return g_strjoinv (",", names);
}

FestRoles
fest_roles_from_text (const char *text)
{
  g_auto(GStrv) names = NULL;
  FestRoles roles = 0;

  if (text == NULL)
    return 0;

  names = g_strsplit (text, ",", -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      FestRole role;

      if (fest_role_from_string (g_strstrip (names[i]), &role))
        roles |= role;
    }

  return roles;
}

gboolean
fest_device_mode_is_valid (const char *mode)
{
  return g_strcmp0 (mode, "cashier") == 0 || g_strcmp0 (mode, "recharge") == 0
         || g_strcmp0 (mode, "scanner") == 0 || g_strcmp0 (mode, "security") == 0;
}

FestRoles
fest_device_mode_roles (const char *mode)
{
  if (g_strcmp0 (mode, "cashier") == 0 || g_strcmp0 (mode, "recharge") == 0)
    return FEST_ROLE_CASHIER;
  if (g_strcmp0 (mode, "scanner") == 0)
    return FEST_ROLE_SCANNER;
  if (g_strcmp0 (mode, "security") == 0)
    return FEST_ROLE_SECURITY;
  return FEST_ROLE_NONE;
}

static sqlite3_stmt *
prepare (FestPlatformStore  *self,
         const char         *sql,
         GError            **error)
{
  return _fest_sqlite_prepare_cached (self->db, self->stmts, sql, error);
}

/* Steps a statement expected to finish without rows; resets it. */
static gboolean
step_done (FestPlatformStore  *self,
           sqlite3_stmt       *stmt,
           GError            **error)
{
  int rc = sqlite3_step (stmt);

  if (rc != SQLITE_DONE)
    {
      if ((rc & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Conflicts with existing data");
      else
        fest_sqlite_error (self->db, error);
      sqlite3_reset (stmt);
      return FALSE;
    }
  sqlite3_reset (stmt);
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

FestPlatformStore *
fest_platform_store_open (const char  *path,
                          GError     **error)
{
  g_autoptr(FestPlatformStore) self = g_new0 (FestPlatformStore, 1);
  sqlite3_stmt *stmt;

  fest_core_init ();

  self->stmts = _fest_sqlite_stmt_cache_new ();
  self->token_cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) fest_auth_entry_unref);
  self->db = _fest_sqlite_open (path, TRUE, error);
  if (self->db == NULL)
    return NULL;

  if (!_fest_sqlite_migrate (self->db, platform_migrations, G_N_ELEMENTS (platform_migrations),
                             error))
    return NULL;

  /* Expired sessions are useless: drop them at start. */
  stmt = prepare (self, "DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at < ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!step_done (self, stmt, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
fest_platform_store_free (FestPlatformStore *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->token_cache, g_hash_table_unref);
  g_clear_pointer (&self->stmts, g_hash_table_unref);
  if (self->db != NULL)
    {
      sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_free (self);
}

gboolean
fest_platform_store_is_empty (FestPlatformStore *self)
{
  sqlite3_stmt *stmt;
  gboolean empty = FALSE;

  stmt = prepare (self,
                  "SELECT (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM festivals)", NULL);
  if (stmt != NULL && sqlite3_step (stmt) == SQLITE_ROW)
    empty = sqlite3_column_int64 (stmt, 0) == 0;
  if (stmt != NULL)
    sqlite3_reset (stmt);
  return empty;
}

#define ACCOUNT_COLUMNS "id, email, name, password_hash, is_superadmin, created_at"

static FestAccount *
account_from_row (sqlite3_stmt *stmt)
{
  FestAccount *account = g_new0 (FestAccount, 1);

  account->id = column_dup (stmt, 0);
  account->email = column_dup (stmt, 1);
  account->name = column_dup (stmt, 2);
  account->password_hash = column_dup (stmt, 3);
  account->is_superadmin = sqlite3_column_int (stmt, 4) != 0;
  account->created_at = column_dup (stmt, 5);
  return account;
}

static FestAccount *
query_account (FestPlatformStore  *self,
               const char         *sql,
               const char         *value,
               GError            **error)
{
  sqlite3_stmt *stmt = prepare (self, sql, error);
  FestAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    account = account_from_row (stmt);
  else if (rc != SQLITE_DONE)
    fest_sqlite_error (self->db, error);
  sqlite3_reset (stmt);
  return account;
}

FestAccount *
fest_platform_store_get_account (FestPlatformStore  *self,
                                 const char         *account_id,
                                 GError            **error)
{
  GError *local_error = NULL;
  FestAccount *account;

  account = query_account (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?",
                           account_id, &local_error);
  if (account == NULL && local_error == NULL)
    g_set_error (&local_error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such account");
  if (local_error != NULL)
    g_propagate_error (error, local_error);
  return account;
}

FestAccount *
fest_platform_store_find_account (FestPlatformStore  *self,
                                  const char         *email,
                                  GError            **error)
{
  return query_account (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE email = ?", email,
                        error);
}

FestAccount *
fest_platform_store_create_account (FestPlatformStore  *self,
                                    const char         *email,
                                    const char         *name,
                                    const char         *password_hash,
                                    gboolean            is_superadmin,
                                    GError            **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *now = fest_time_now ();
  g_autoptr(FestAccount) existing = NULL;
  GError *local_error = NULL;
  sqlite3_stmt *stmt;

  existing = fest_platform_store_find_account (self, email, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (existing != NULL)
    {
      *error = fest_error_validation ("email", "An account with this email already exists");
      (*error)->code = FEST_ERROR_CONFLICT;
      return NULL;
    }

  stmt = prepare (self,
                  "INSERT INTO accounts (id, email, name, password_hash, is_superadmin, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, email, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, password_hash, -1, SQLITE_STATIC);
  sqlite3_bind_int (stmt, 5, is_superadmin ? 1 : 0);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return NULL;

  return fest_platform_store_get_account (self, id, error);
}

gboolean
fest_platform_store_set_account_name (FestPlatformStore  *self,
                                      const char         *account_id,
                                      const char         *name,
                                      GError            **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE accounts SET name = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  fest_platform_store_forget_account (self, account_id);
  return TRUE;
}

gboolean
fest_platform_store_add_festival (FestPlatformStore  *self,
                                  const char         *festival_id,
                                  const char         *name,
                                  const char         *created_by,
                                  GError            **error)
{
  g_autofree char *now = fest_time_now ();
  sqlite3_stmt *stmt;

  stmt = prepare (self, "INSERT INTO festivals (id, name, created_by, created_at) VALUES (?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, created_by, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

gboolean
fest_platform_store_remove_festival (FestPlatformStore  *self,
                                     const char         *festival_id,
                                     GError            **error)
{
  sqlite3_stmt *stmt;

  if (!_fest_sqlite_exec (self->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  stmt = prepare (self, "DELETE FROM memberships WHERE festival_id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    goto failed;

  stmt = prepare (self, "DELETE FROM festivals WHERE id = ?", error);
  if (stmt == NULL)
    goto failed;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    goto failed;

  fest_platform_store_forget_all (self);
  return _fest_sqlite_exec (self->db, "COMMIT", error);

failed:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

gboolean
fest_platform_store_rename_festival (FestPlatformStore  *self,
                                     const char         *festival_id,
                                     const char         *name,
                                     GError            **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE festivals SET name = ? WHERE id = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

gboolean
fest_platform_store_has_festival (FestPlatformStore *self,
                                  const char        *festival_id)
{
  sqlite3_stmt *stmt = prepare (self, "SELECT 1 FROM festivals WHERE id = ?", NULL);
  gboolean found;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_reset (stmt);
  return found;
}

char **
fest_platform_store_list_festivals (FestPlatformStore  *self,
                                    GError            **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self, "SELECT id FROM festivals ORDER BY created_at, id", error);
  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_strv_builder_add (builder, (const char *) sqlite3_column_text (stmt, 0));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (self->db, error);
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
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  stmt = prepare (self, "SELECT roles FROM memberships WHERE festival_id = ? AND account_id = ?",
                  NULL);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      if (roles != NULL)
        *roles = fest_roles_from_text ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;

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
    stmt = prepare (self,
                    "INSERT INTO memberships (roles, festival_id, account_id, created_at)"
                    " VALUES (?, ?, ?, ?)",
                    error);
  else
    stmt = prepare (self,
                    "UPDATE memberships SET roles = ? WHERE festival_id = ? AND account_id = ?",
                    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, text, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account_id, -1, SQLITE_STATIC);
  if (create)
    sqlite3_bind_text (stmt, 4, now, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "DELETE FROM memberships WHERE festival_id = ? AND account_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
      return FALSE;
    }

  /* Sessions whose current festival was this one lose it. */
  stmt = prepare (self,
                  "UPDATE tokens SET festival_id = NULL WHERE account_id = ? AND festival_id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  fest_platform_store_forget_account (self, account_id);
  return TRUE;
}

guint
fest_platform_store_count_role (FestPlatformStore *self,
                                const char        *festival_id,
                                FestRole           role)
{
  sqlite3_stmt *stmt;
  guint count = 0;

  stmt = prepare (self, "SELECT roles FROM memberships WHERE festival_id = ?", NULL);
  if (stmt == NULL)
    return 0;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    if (fest_roles_from_text ((const char *) sqlite3_column_text (stmt, 0)) & role)
      count++;
  sqlite3_reset (stmt);
  return count;
}

static gint64
count_rows (FestPlatformStore *self,
            const char        *sql,
            const char        *value)
{
  sqlite3_stmt *stmt = prepare (self, sql, NULL);
  gint64 count = 0;

  if (stmt == NULL)
    return 0;
  if (value != NULL)
    sqlite3_bind_text (stmt, 1, value, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_reset (stmt);
  return count;
}

static FestMember *
member_from_row (sqlite3_stmt *stmt)
{
  FestMember *member = g_new0 (FestMember, 1);

  member->account_id = column_dup (stmt, 0);
  member->email = column_dup (stmt, 1);
  member->name = column_dup (stmt, 2);
  member->roles = fest_roles_from_text ((const char *) sqlite3_column_text (stmt, 3));
  return member;
}

/* The condition on memberships m of a role filter bound to ?2: NULL (every member) or one role
 * name, matched as a whole item of the comma-separated list. */
#define MEMBER_ROLE_SQL "(?2 IS NULL OR instr (',' || m.roles || ',', ',' || ?2 || ',') > 0)"

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
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT a.id, a.email, COALESCE (m.name, a.name), m.roles FROM memberships m"
                  " JOIN accounts a ON a.id = m.account_id"
                  " WHERE m.festival_id = ?1 AND " MEMBER_ROLE_SQL
                  " ORDER BY a.email COLLATE NOCASE, a.id LIMIT ?3 OFFSET ?4",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, role_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, limit);
  sqlite3_bind_int64 (stmt, 4, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (members, member_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (self->db, error);
      return NULL;
    }

  if (total != NULL)
    {
      stmt = prepare (self, "SELECT COUNT(*) FROM memberships m WHERE m.festival_id = ?1 AND " MEMBER_ROLE_SQL,
                      error);
      if (stmt == NULL)
        return NULL;
      sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, role_name, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      *total = rc == SQLITE_ROW ? sqlite3_column_int64 (stmt, 0) : 0;
      sqlite3_reset (stmt);
      if (rc != SQLITE_ROW)
        {
          fest_sqlite_error (self->db, error);
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
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE memberships SET name = ? WHERE festival_id = ? AND account_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
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
  sqlite3_stmt *stmt;
  FestMember *member = NULL;
  int rc;

  stmt = prepare (self,
                  "SELECT a.id, a.email, COALESCE (m.name, a.name), m.roles FROM memberships m"
                  " JOIN accounts a ON a.id = m.account_id"
                  " WHERE m.festival_id = ? AND m.account_id = ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, account_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    member = member_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such member");
  else
    fest_sqlite_error (self->db, error);
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;
  int rc;

  if (all)
    stmt = prepare (self,
                    "SELECT f.id, f.name, m.roles FROM festivals f"
                    " LEFT JOIN memberships m ON m.festival_id = f.id AND m.account_id = ?"
                    " ORDER BY f.created_at, f.id LIMIT ? OFFSET ?",
                    error);
  else
    stmt = prepare (self,
                    "SELECT f.id, f.name, m.roles FROM memberships m"
                    " JOIN festivals f ON f.id = m.festival_id"
                    " WHERE m.account_id = ? ORDER BY f.created_at, f.id LIMIT ? OFFSET ?",
                    error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, account_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FestMembership *membership = g_new0 (FestMembership, 1);

      membership->festival_id = column_dup (stmt, 0);
      membership->festival_name = column_dup (stmt, 1);
      membership->roles = fest_roles_from_text ((const char *) sqlite3_column_text (stmt, 2));
      g_ptr_array_add (list, membership);
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (self->db, error);
      return NULL;
    }

  if (total != NULL)
    {
      if (all)
        *total = count_rows (self, "SELECT COUNT(*) FROM festivals", NULL);
      else
        *total = count_rows (self, "SELECT COUNT(*) FROM memberships WHERE account_id = ?",
                             account_id);
    }
  return g_steal_pointer (&list);
}

#define DEVICE_COLUMNS "id, festival_id, name, stand_id, mode, created_at, revoked"

static FestDevice *
device_from_row (sqlite3_stmt *stmt)
{
  FestDevice *device = g_new0 (FestDevice, 1);

  device->id = column_dup (stmt, 0);
  device->festival_id = column_dup (stmt, 1);
  device->name = column_dup (stmt, 2);
  device->stand_id = column_dup (stmt, 3);
  device->mode = column_dup (stmt, 4);
  device->created_at = column_dup (stmt, 5);
  device->revoked = sqlite3_column_int (stmt, 6) != 0;
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
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO devices (id, festival_id, name, stand_id, mode, created_at)"
                  " VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, stand_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, mode, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 6, now, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return NULL;

  return fest_platform_store_get_device (self, festival_id, id, error);
}

FestDevice *
fest_platform_store_get_device (FestPlatformStore  *self,
                                const char         *festival_id,
                                const char         *device_id,
                                GError            **error)
{
  sqlite3_stmt *stmt;
  FestDevice *device = NULL;
  int rc;

  stmt = prepare (self, "SELECT " DEVICE_COLUMNS " FROM devices WHERE id = ? AND festival_id = ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    device = device_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such device");
  else
    fest_sqlite_error (self->db, error);
  sqlite3_reset (stmt);
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
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT " DEVICE_COLUMNS " FROM devices WHERE festival_id = ?"
                  " ORDER BY created_at, id LIMIT ? OFFSET ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit);
  sqlite3_bind_int64 (stmt, 3, offset);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (devices, device_from_row (stmt));
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      fest_sqlite_error (self->db, error);
      return NULL;
    }
  if (total != NULL)
    *total = count_rows (self, "SELECT COUNT(*) FROM devices WHERE festival_id = ?", festival_id);
  return g_steal_pointer (&devices);
}

gboolean
fest_platform_store_revoke_device (FestPlatformStore  *self,
                                   const char         *festival_id,
                                   const char         *device_id,
                                   GError            **error)
{
  sqlite3_stmt *stmt;

  stmt = prepare (self, "UPDATE devices SET revoked = 1 WHERE id = ? AND festival_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, festival_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "No such device");
      return FALSE;
    }

  stmt = prepare (self, "DELETE FROM tokens WHERE device_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, device_id, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return FALSE;

  fest_platform_store_forget_device (self, device_id);
  return TRUE;
}

static char *
issue_token (FestPlatformStore  *self,
             const char         *kind,
             const char         *account_id,
             const char         *device_id,
             const char         *festival_id,
             gint64              expires_at,
             GError            **error)
{
  g_autofree char *token = fest_token_new ();
  g_autofree char *hash = fest_sha256_hex (token, strlen (token));
  g_autofree char *now = fest_time_now ();
  sqlite3_stmt *stmt;

  stmt = prepare (self,
                  "INSERT INTO tokens (hash, kind, account_id, device_id, festival_id, expires_at,"
                  " created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, account_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, device_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, festival_id, -1, SQLITE_STATIC);
  if (expires_at > 0)
    sqlite3_bind_int64 (stmt, 6, expires_at);
  else
    sqlite3_bind_null (stmt, 6);
  sqlite3_bind_text (stmt, 7, now, -1, SQLITE_STATIC);
  if (!step_done (self, stmt, error))
    return NULL;

  return g_steal_pointer (&token);
}

char *
fest_platform_store_issue_session (FestPlatformStore  *self,
                                   const char         *account_id,
                                   const char         *festival_id,
                                   guint               lifetime_s,
                                   gint64             *expires_at,
                                   GError            **error)
{
  gint64 expiry = g_get_real_time () / G_USEC_PER_SEC + lifetime_s;

  if (expires_at != NULL)
    *expires_at = expiry;
  return issue_token (self, "session", account_id, NULL, festival_id, expiry, error);
}

char *
fest_platform_store_issue_device_token (FestPlatformStore  *self,
                                        const char         *device_id,
                                        const char         *festival_id,
                                        GError            **error)
{
  return issue_token (self, "device", NULL, device_id, festival_id, 0, error);
}

gboolean
fest_platform_store_revoke_token (FestPlatformStore  *self,
                                  const char         *token_hash,
                                  GError            **error)
{
  sqlite3_stmt *stmt = prepare (self, "DELETE FROM tokens WHERE hash = ?", error);

  g_hash_table_remove (self->token_cache, token_hash);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, token_hash, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

gboolean
fest_platform_store_set_token_festival (FestPlatformStore  *self,
                                        const char         *token_hash,
                                        const char         *festival_id,
                                        GError            **error)
{
  sqlite3_stmt *stmt = prepare (self, "UPDATE tokens SET festival_id = ? WHERE hash = ?", error);

  g_hash_table_remove (self->token_cache, token_hash);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, festival_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, token_hash, -1, SQLITE_STATIC);
  return step_done (self, stmt, error);
}

static FestAuthEntry *
load_token (FestPlatformStore  *self,
            const char         *hash,
            GError            **error)
{
  g_autoptr(FestAuthEntry) entry = NULL;
  sqlite3_stmt *stmt;
  int rc;

  stmt = prepare (self,
                  "SELECT t.kind, t.account_id, t.device_id, t.festival_id, t.expires_at,"
                  "       a.email, a.name, a.is_superadmin,"
                  "       d.festival_id, d.stand_id, d.mode, d.revoked, d.name"
                  " FROM tokens t"
                  " LEFT JOIN accounts a ON a.id = t.account_id"
                  " LEFT JOIN devices d ON d.id = t.device_id"
                  " WHERE t.hash = ?",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid or expired token");
      else
        fest_sqlite_error (self->db, error);
      sqlite3_reset (stmt);
      return NULL;
    }

  entry = g_new0 (FestAuthEntry, 1);
  entry->ref_count = 1;
  entry->auth.token_hash = g_strdup (hash);
  entry->expires_at = sqlite3_column_int64 (stmt, 4);

  if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "device") == 0)
    {
      if (sqlite3_column_type (stmt, 8) == SQLITE_NULL || sqlite3_column_int (stmt, 11) != 0)
        {
          sqlite3_reset (stmt);
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Device revoked");
          return NULL;
        }
      entry->auth.device_id = column_dup (stmt, 2);
      entry->auth.festival_id = column_dup (stmt, 8);
      entry->auth.stand_id = column_dup (stmt, 9);
      entry->auth.mode = column_dup (stmt, 10);
      entry->name = column_dup (stmt, 12);
      entry->auth.roles = fest_device_mode_roles (entry->auth.mode);
    }
  else
    {
      if (sqlite3_column_type (stmt, 5) == SQLITE_NULL)
        {
          sqlite3_reset (stmt);
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid token");
          return NULL;
        }
      entry->auth.account_id = column_dup (stmt, 1);
      entry->auth.festival_id = column_dup (stmt, 3);
      entry->auth.email = column_dup (stmt, 5);
      entry->name = column_dup (stmt, 6);
      entry->is_superadmin = sqlite3_column_int (stmt, 7) != 0;
    }
  sqlite3_reset (stmt);

  if (entry->auth.account_id != NULL && entry->auth.festival_id != NULL)
    {
      FestRoles roles = 0;

      if (fest_platform_store_get_roles (self, entry->auth.festival_id, entry->auth.account_id,
                                         &roles))
        entry->auth.roles = roles;
      else if (!entry->is_superadmin
               || !fest_platform_store_has_festival (self, entry->auth.festival_id))
        g_clear_pointer (&entry->auth.festival_id, g_free);
    }

  if (entry->is_superadmin)
    entry->auth.roles |= FEST_ROLE_SUPERADMIN;

  return g_steal_pointer (&entry);
}

FestAuthEntry *
fest_platform_store_resolve_token (FestPlatformStore  *self,
                                   const char         *token,
                                   GError            **error)
{
  char hash[65];
  FestAuthEntry *entry;
  gint64 now;
  gsize len;

  g_return_val_if_fail (token != NULL, NULL);

  /* Our tokens are 64 hex characters; anything else cannot be one. */
  len = strlen (token);
  if (len == 0 || len > 256)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid or expired token");
      return NULL;
    }

  {
    g_autofree char *hex = fest_sha256_hex (token, len);
    g_strlcpy (hash, hex, sizeof hash);
  }

  now = g_get_real_time () / G_USEC_PER_SEC;
  entry = g_hash_table_lookup (self->token_cache, hash);
  if (entry == NULL)
    {
      entry = load_token (self, hash, error);
      if (entry == NULL)
        return NULL;
      if (g_hash_table_size (self->token_cache) >= MAX_CACHED_TOKENS)
        g_hash_table_remove_all (self->token_cache);
      g_hash_table_insert (self->token_cache, entry->auth.token_hash, entry);
    }

  if (entry->expires_at > 0 && entry->expires_at <= now)
    {
      g_hash_table_remove (self->token_cache, hash);
      g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid or expired token");
      return NULL;
    }

  return fest_auth_entry_ref (entry);
}

void
fest_platform_store_forget_account (FestPlatformStore *self,
                                    const char        *account_id)
{
  GHashTableIter iter;
  FestAuthEntry *entry;

  g_hash_table_iter_init (&iter, self->token_cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (g_strcmp0 (entry->auth.account_id, account_id) == 0)
      g_hash_table_iter_remove (&iter);
}

void
fest_platform_store_forget_device (FestPlatformStore *self,
                                   const char        *device_id)
{
  GHashTableIter iter;
  FestAuthEntry *entry;

  g_hash_table_iter_init (&iter, self->token_cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (g_strcmp0 (entry->auth.device_id, device_id) == 0)
      g_hash_table_iter_remove (&iter);
}

void
fest_platform_store_forget_all (FestPlatformStore *self)
{
  g_hash_table_remove_all (self->token_cache);
}
