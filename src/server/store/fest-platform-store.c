/* fest-platform-store.c: platform.db: the connection, accounts, passwords and tokens
 *
 * The festivals registry, memberships and devices: fest-platform-members.c.
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "fest-platform-store-private.h"

/* Bound on the token cache; past it the cache starts over (entries are cheap to rebuild). */
#define MAX_CACHED_TOKENS 100000

/* argon2id parameters: OWASP's minimum is m = 19 MiB, t = 2. */
#define PWHASH_OPSLIMIT 2
#define PWHASH_MEMLIMIT (19 * 1024 * 1024)

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

FestDbStmt *
_fest_platform_store_prepare (FestPlatformStore  *self,
                              const char         *sql,
                              GError            **error)
{
  return fest_db_prepare (self->db, sql, error);
}

gboolean
_fest_platform_store_step_done (FestPlatformStore  *self,
                                FestDbStmt         *stmt,
                                GError            **error)
{
  int rc = fest_db_step (stmt);

  if (rc != FEST_DB_DONE)
    {
      if ((rc & 0xff) == FEST_DB_CONSTRAINT)
        g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "Conflicts with existing data");
      else
        fest_db_error (self->db, error);
      fest_db_reset (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  return TRUE;
}

char *
_fest_platform_store_column_dup (FestDbStmt *stmt,
                                 int         column)
{
  return g_strdup (fest_db_column_text (stmt, column));
}

static gboolean listen_for_forgets (FestPlatformStore  *self,
                                    const char         *conninfo,
                                    GError            **error);
static void     forget             (FestPlatformStore  *self,
                                    const char         *what,
                                    const char         *id);

/* Takes @db, migrated. */
static FestPlatformStore *
platform_store_new (FestDb  *db,
                    GError **error)
{
  g_autoptr(FestPlatformStore) self = g_new0 (FestPlatformStore, 1);
  FestDbStmt *stmt;

  self->db = db;
  self->token_cache = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) fest_auth_entry_unref);

  /* Expired sessions are useless: drop them at start. */
  stmt = _fest_platform_store_prepare (self,
                                       "DELETE FROM tokens WHERE expires_at IS NOT NULL AND expires_at < ?1",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return NULL;

  return g_steal_pointer (&self);
}

FestPlatformStore *
fest_platform_store_open (const char  *path,
                          GError     **error)
{
  sqlite3 *db;

  fest_core_init ();

  db = _fest_sqlite_open (path, TRUE, error);
  if (db == NULL)
    return NULL;
  if (!_fest_sqlite_migrate (db, platform_migrations, G_N_ELEMENTS (platform_migrations), error))
    {
      sqlite3_close_v2 (db);
      return NULL;
    }
  return platform_store_new (fest_db_new_sqlite (db), error);
}

FestPlatformStore *
fest_platform_store_open_pg (const char  *conninfo,
                             GError     **error)
{
  FestPlatformStore *self;
  FestDb *db;

  fest_core_init ();

  db = _fest_pg_connect (conninfo, "public", error);
  if (db == NULL)
    return NULL;
  if (!_fest_pg_migrate (db, "public", FALSE, error))
    {
      fest_db_free (db);
      return NULL;
    }
  self = platform_store_new (db, error);
  if (self != NULL && !listen_for_forgets (self, conninfo, error))
    g_clear_pointer (&self, fest_platform_store_free);
  return self;
}

void
fest_platform_store_free (FestPlatformStore *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->token_cache, g_hash_table_unref);
  g_clear_pointer (&self->listener, fest_db_listener_free);
  if (self->db != NULL && fest_db_get_sqlite (self->db) != NULL)
    sqlite3_wal_checkpoint_v2 (fest_db_get_sqlite (self->db), NULL, SQLITE_CHECKPOINT_TRUNCATE,
                               NULL, NULL);
  g_clear_pointer (&self->db, fest_db_free);
  g_free (self);
}

gboolean
fest_platform_store_is_empty (FestPlatformStore *self)
{
  FestDbStmt *stmt;
  gboolean empty = FALSE;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT (SELECT COUNT(*) FROM accounts) + (SELECT COUNT(*) FROM festivals)", NULL);
  if (stmt != NULL && fest_db_step (stmt) == FEST_DB_ROW)
    empty = fest_db_column_int64 (stmt, 0) == 0;
  if (stmt != NULL)
    fest_db_reset (stmt);
  return empty;
}

#define ACCOUNT_COLUMNS "id, email, name, password_hash, is_superadmin, created_at"

static FestAccount *
account_from_row (FestDbStmt *stmt)
{
  FestAccount *account = g_new0 (FestAccount, 1);

  account->id = _fest_platform_store_column_dup (stmt, 0);
  account->email = _fest_platform_store_column_dup (stmt, 1);
  account->name = _fest_platform_store_column_dup (stmt, 2);
  account->password_hash = _fest_platform_store_column_dup (stmt, 3);
  account->is_superadmin = fest_db_column_int (stmt, 4) != 0;
  account->created_at = _fest_platform_store_column_dup (stmt, 5);
  return account;
}

static FestAccount *
query_account (FestPlatformStore  *self,
               const char         *sql,
               const char         *value,
               GError            **error)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self, sql, error);
  FestAccount *account = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;

  fest_db_bind_text (stmt, 1, value);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    account = account_from_row (stmt);
  else if (rc != FEST_DB_DONE)
    fest_db_error (self->db, error);
  fest_db_reset (stmt);
  return account;
}

FestAccount *
fest_platform_store_get_account (FestPlatformStore  *self,
                                 const char         *account_id,
                                 GError            **error)
{
  GError *local_error = NULL;
  FestAccount *account;

  account = query_account (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1",
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
  return query_account (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE email = ?1", email,
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
  FestDbStmt *stmt;

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

  stmt = _fest_platform_store_prepare (self,
                                       "INSERT INTO accounts (id, email, name, password_hash, is_superadmin, created_at)"
                                       " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, id);
  fest_db_bind_text (stmt, 2, email);
  fest_db_bind_text (stmt, 3, name);
  fest_db_bind_text (stmt, 4, password_hash);
  fest_db_bind_int64 (stmt, 5, is_superadmin ? 1 : 0);
  fest_db_bind_text (stmt, 6, now);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return NULL;

  return fest_platform_store_get_account (self, id, error);
}

gboolean
fest_platform_store_set_account_name (FestPlatformStore  *self,
                                      const char         *account_id,
                                      const char         *name,
                                      GError            **error)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self,
                                                     "UPDATE accounts SET name = ?1 WHERE id = ?2",
                                                     error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, name);
  fest_db_bind_text (stmt, 2, account_id);
  if (!_fest_platform_store_step_done (self, stmt, error))
    return FALSE;
  fest_platform_store_forget_account (self, account_id);
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
  FestDbStmt *stmt;

  stmt = _fest_platform_store_prepare (self,
                                       "INSERT INTO tokens (hash, kind, account_id, device_id, festival_id, expires_at,"
                                       " created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, hash);
  fest_db_bind_text (stmt, 2, kind);
  fest_db_bind_text (stmt, 3, account_id);
  fest_db_bind_text (stmt, 4, device_id);
  fest_db_bind_text (stmt, 5, festival_id);
  if (expires_at > 0)
    fest_db_bind_int64 (stmt, 6, expires_at);
  else
    fest_db_bind_null (stmt, 6);
  fest_db_bind_text (stmt, 7, now);
  if (!_fest_platform_store_step_done (self, stmt, error))
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
  FestDbStmt *stmt = _fest_platform_store_prepare (self,
                                                     "DELETE FROM tokens WHERE hash = ?1",
                                                     error);

  forget (self, "token", token_hash);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, token_hash);
  return _fest_platform_store_step_done (self, stmt, error);
}

gboolean
fest_platform_store_set_token_festival (FestPlatformStore  *self,
                                        const char         *token_hash,
                                        const char         *festival_id,
                                        GError            **error)
{
  FestDbStmt *stmt = _fest_platform_store_prepare (self,
                                                     "UPDATE tokens SET festival_id = ?1 WHERE hash = ?2",
                                                     error);

  forget (self, "token", token_hash);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, festival_id);
  fest_db_bind_text (stmt, 2, token_hash);
  return _fest_platform_store_step_done (self, stmt, error);
}

static FestAuthEntry *
load_token (FestPlatformStore  *self,
            const char         *hash,
            GError            **error)
{
  g_autoptr(FestAuthEntry) entry = NULL;
  FestDbStmt *stmt;
  int rc;

  stmt = _fest_platform_store_prepare (self,
                                       "SELECT t.kind, t.account_id, t.device_id, t.festival_id, t.expires_at,"
                                       "       a.email, a.name, a.is_superadmin,"
                                       "       d.festival_id, d.stand_id, d.mode, d.revoked, d.name"
                                       " FROM tokens t"
                                       " LEFT JOIN accounts a ON a.id = t.account_id"
                                       " LEFT JOIN devices d ON d.id = t.device_id"
                                       " WHERE t.hash = ?1",
                                       error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text (stmt, 1, hash);
  rc = fest_db_step (stmt);
  if (rc != FEST_DB_ROW)
    {
      if (rc == FEST_DB_DONE)
        g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid or expired token");
      else
        fest_db_error (self->db, error);
      fest_db_reset (stmt);
      return NULL;
    }

  entry = g_new0 (FestAuthEntry, 1);
  entry->ref_count = 1;
  entry->auth.token_hash = g_strdup (hash);
  entry->expires_at = fest_db_column_int64 (stmt, 4);

  if (g_strcmp0 (fest_db_column_text (stmt, 0), "device") == 0)
    {
      if (fest_db_column_is_null (stmt, 8) || fest_db_column_int (stmt, 11) != 0)
        {
          fest_db_reset (stmt);
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Device revoked");
          return NULL;
        }
      entry->auth.device_id = _fest_platform_store_column_dup (stmt, 2);
      entry->auth.festival_id = _fest_platform_store_column_dup (stmt, 8);
      entry->auth.stand_id = _fest_platform_store_column_dup (stmt, 9);
      entry->auth.mode = _fest_platform_store_column_dup (stmt, 10);
      entry->name = _fest_platform_store_column_dup (stmt, 12);
      entry->auth.roles = fest_device_mode_roles (entry->auth.mode);
    }
  else
    {
      if (fest_db_column_is_null (stmt, 5))
        {
          fest_db_reset (stmt);
          g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid token");
          return NULL;
        }
      entry->auth.account_id = _fest_platform_store_column_dup (stmt, 1);
      entry->auth.festival_id = _fest_platform_store_column_dup (stmt, 3);
      entry->auth.email = _fest_platform_store_column_dup (stmt, 5);
      entry->name = _fest_platform_store_column_dup (stmt, 6);
      entry->is_superadmin = fest_db_column_int (stmt, 7) != 0;
    }
  fest_db_reset (stmt);

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
  /* PostgreSQL: what went stale while the listener was not connected went unheard. */
  if (self->listener != NULL && fest_db_listener_get_session (self->listener) != self->listener_session)
    {
      g_hash_table_remove_all (self->token_cache);
      self->listener_session = fest_db_listener_get_session (self->listener);
    }
  entry = g_hash_table_lookup (self->token_cache, hash);
  if (entry != NULL)
    {
      entry = fest_auth_entry_ref (entry);
    }
  else
    {
      entry = load_token (self, hash, error);
      if (entry == NULL)
        return NULL;
      if (g_hash_table_size (self->token_cache) >= MAX_CACHED_TOKENS)
        g_hash_table_remove_all (self->token_cache);
      /* PostgreSQL: cached only while the other processes can say what went stale. */
      if (fest_db_get_sqlite (self->db) != NULL || fest_db_listener_get_session (self->listener) != 0)
        g_hash_table_insert (self->token_cache, entry->auth.token_hash, fest_auth_entry_ref (entry));
    }

  if (entry->expires_at > 0 && entry->expires_at <= now)
    {
      g_hash_table_remove (self->token_cache, hash);
      fest_auth_entry_unref (entry);
      g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED, "Invalid or expired token");
      return NULL;
    }

  return entry;
}

/* Drops the cached sessions @what ("token", "account", "device" or "all") @id names. */
static void
forget_locally (FestPlatformStore *self,
                const char        *what,
                const char        *id)
{
  GHashTableIter iter;
  FestAuthEntry *entry;

  if (g_str_equal (what, "token"))
    {
      g_hash_table_remove (self->token_cache, id);
      return;
    }
  g_hash_table_iter_init (&iter, self->token_cache);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &entry))
    if (g_str_equal (what, "all")
        || (g_str_equal (what, "account") && g_strcmp0 (entry->auth.account_id, id) == 0)
        || (g_str_equal (what, "device") && g_strcmp0 (entry->auth.device_id, id) == 0))
      g_hash_table_iter_remove (&iter);
}

/* PostgreSQL: the channel on which processes tell each other which cached sessions went stale (a
 * sign-out, a role changed, a device revoked on another process). */
#define FORGET_CHANNEL "festivals_platform"

static void
forget (FestPlatformStore *self,
        const char        *what,
        const char        *id)
{
  forget_locally (self, what, id);
  if (self->listener != NULL)
    {
      g_autofree char *payload = g_strconcat (what, ":", id != NULL ? id : "", NULL);
      FestDbStmt *stmt = _fest_platform_store_prepare (self, "SELECT pg_notify (?1, ?2)", NULL);

      if (stmt == NULL)
        return;
      fest_db_bind_text (stmt, 1, FORGET_CHANNEL);
      fest_db_bind_text (stmt, 2, payload);
      if (fest_db_step (stmt) != FEST_DB_ROW)
        g_warning ("Could not tell the other processes to forget %s: %s", payload, fest_db_errmsg (self->db));
      fest_db_reset (stmt);
    }
}

static void
forget_notification_cb (const char *channel,
                        const char *payload,
                        gpointer    user_data)
{
  g_auto(GStrv) parts = g_strsplit (payload, ":", 2);

  if (parts[0] != NULL && parts[1] != NULL)
    forget_locally (user_data, parts[0], parts[1]);
}

static gboolean
listen_for_forgets (FestPlatformStore  *self,
                    const char         *conninfo,
                    GError            **error)
{
  self->listener = fest_db_listener_new (conninfo, FORGET_CHANNEL, NULL, forget_notification_cb, self, error);
  return self->listener != NULL;
}

void
fest_platform_store_forget_account (FestPlatformStore *self,
                                    const char        *account_id)
{
  forget (self, "account", account_id);
}

void
fest_platform_store_forget_device (FestPlatformStore *self,
                                   const char        *device_id)
{
  forget (self, "device", device_id);
}

void
fest_platform_store_forget_all (FestPlatformStore *self)
{
  forget (self, "all", NULL);
}
