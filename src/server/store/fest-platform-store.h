/* fest-platform-store.h: platform.db: accounts, sessions and device tokens, festivals, members
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One connection, used on the main thread only (every call here is synchronous and short). The
 * expensive part of authentication, argon2id, is not in here: fest_password_hash() and
 * fest_password_verify() are thread-safe and meant for g_task_run_in_thread().
 *
 * Bearer tokens are resolved through an in-memory cache (token hash → FestAuthEntry) so that the
 * common request costs one SHA-256 and one hash lookup. Every mutation that changes what a token
 * grants (logout, festival switch, role change, member removal, device revocation) drops the
 * affected cache entries itself.
 */

#pragma once

#include "fest-core.h"
#include "fest-auth.h"

G_BEGIN_DECLS

typedef struct _FestPlatformStore FestPlatformStore;

/* Lifetime of session tokens unless configured otherwise: 12 hours. */
#define FEST_SESSION_LIFETIME_DEFAULT (12 * 60 * 60)
#define FEST_PASSWORD_MIN_CHARS 8

typedef struct
{
  char     *id;
  char     *email;
  char     *name;
  char     *password_hash;
  gboolean  is_superadmin;
  char     *created_at;
} FestAccount;

void fest_account_free (FestAccount *account);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestAccount, fest_account_free)

typedef struct
{
  char      *account_id;
  char      *email;
  char      *name;
  FestRoles  roles;
} FestMember;

void fest_member_free (FestMember *member);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestMember, fest_member_free)

typedef struct
{
  char      *festival_id;
  char      *festival_name;
  FestRoles  roles;
} FestMembership;

void fest_membership_free (FestMembership *membership);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestMembership, fest_membership_free)

typedef struct
{
  char     *id;
  char     *festival_id;
  char     *name;
  char     *stand_id;    /* nullable */
  char     *mode;        /* cashier recharge scanner security */
  char     *created_at;
  gboolean  revoked;
} FestDevice;

void fest_device_free (FestDevice *device);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestDevice, fest_device_free)

/* A resolved token, shared by the cache and the requests that use it. */
typedef struct
{
  FestAuth  auth;
  char     *name;          /* account or device name */
  gboolean  is_superadmin;
  gint64    expires_at;    /* unix seconds; 0 = never (device tokens) */
  gint      ref_count;
} FestAuthEntry;

FestAuthEntry *fest_auth_entry_ref   (FestAuthEntry *entry);
void           fest_auth_entry_unref (FestAuthEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestAuthEntry, fest_auth_entry_unref)

/* Thread-safe: argon2id (libsodium crypto_pwhash_str, t=2, m=19 MiB). */
char              *fest_password_hash                  (const char         *password,
                                                        GError            **error);
gboolean           fest_password_verify                (const char         *hash,
                                                        const char         *password);
/* The roles column: "ORGANISER,CASHIER". */
char              *fest_roles_to_text                  (FestRoles           roles);
FestRoles          fest_roles_from_text                (const char         *text);
/* Device mode → roles: cashier/recharge → CASHIER, scanner → SCANNER, security → SECURITY. */
FestRoles          fest_device_mode_roles              (const char         *mode);
gboolean           fest_device_mode_is_valid           (const char         *mode);

FestPlatformStore *fest_platform_store_open            (const char         *path,
                                                        GError            **error);
/* The platform's tables in schema public of a PostgreSQL database (@conninfo). */
FestPlatformStore *fest_platform_store_open_pg         (const char         *conninfo,
                                                        GError            **error);
void               fest_platform_store_free            (FestPlatformStore  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestPlatformStore, fest_platform_store_free)

/* Accounts. Emails compare case-insensitively. */
gboolean           fest_platform_store_is_empty        (FestPlatformStore  *self);
FestAccount       *fest_platform_store_get_account     (FestPlatformStore  *self,
                                                        const char         *account_id,
                                                        GError            **error);
/* NULL without error when there is no such account. */
FestAccount       *fest_platform_store_find_account    (FestPlatformStore  *self,
                                                        const char         *email,
                                                        GError            **error);
/* CONFLICT if the email exists. */
FestAccount       *fest_platform_store_create_account  (FestPlatformStore  *self,
                                                        const char         *email,
                                                        const char         *name,
                                                        const char         *password_hash,
                                                        gboolean            is_superadmin,
                                                        GError            **error);
gboolean           fest_platform_store_set_account_name (FestPlatformStore *self,
                                                        const char         *account_id,
                                                        const char         *name,
                                                        GError            **error);

/* Festival registry. */
gboolean           fest_platform_store_add_festival    (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *name,
                                                        const char         *created_by,
                                                        GError            **error);
gboolean           fest_platform_store_remove_festival (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        GError            **error);
gboolean           fest_platform_store_rename_festival (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *name,
                                                        GError            **error);
gboolean           fest_platform_store_has_festival    (FestPlatformStore  *self,
                                                        const char         *festival_id);
/* Every festival id, oldest first (transfer full, NULL-terminated). */
char             **fest_platform_store_list_festivals  (FestPlatformStore  *self,
                                                        GError            **error);

/* Memberships. */
gboolean           fest_platform_store_get_roles       (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *account_id,
                                                        FestRoles          *roles);
/* CONFLICT when @create is TRUE and the membership exists; NOT_FOUND when @create is FALSE and it
 * does not. Drops the account's cached tokens. */
gboolean           fest_platform_store_set_roles       (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *account_id,
                                                        FestRoles           roles,
                                                        gboolean            create,
                                                        GError            **error);
gboolean           fest_platform_store_remove_member   (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *account_id,
                                                        GError            **error);
guint              fest_platform_store_count_role      (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        FestRole            role);
/* Of FestMember, ordered by email; only those with @role unless it is 0. A member's name is the
 * festival's own (fest_platform_store_set_member_name) or else the account's. */
GPtrArray         *fest_platform_store_list_members    (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        FestRole            role,
                                                        guint               offset,
                                                        guint               limit,
                                                        gint64             *total,
                                                        GError            **error);
/* Names the member in @festival_id only; the account keeps its own name. */
gboolean           fest_platform_store_set_member_name (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *account_id,
                                                        const char         *name,
                                                        GError            **error);
FestMember        *fest_platform_store_get_member      (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *account_id,
                                                        GError            **error);
/* Of FestMembership: the account's festivals, or every festival when @all (superadmins). */
GPtrArray         *fest_platform_store_list_memberships (FestPlatformStore *self,
                                                        const char         *account_id,
                                                        gboolean            all,
                                                        guint               offset,
                                                        guint               limit,
                                                        gint64             *total,
                                                        GError            **error);

/* Devices. */
FestDevice        *fest_platform_store_create_device   (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *name,
                                                        const char         *stand_id,
                                                        const char         *mode,
                                                        GError            **error);
/* NOT_FOUND unless the device belongs to @festival_id. */
FestDevice        *fest_platform_store_get_device      (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *device_id,
                                                        GError            **error);
GPtrArray         *fest_platform_store_list_devices    (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        guint               offset,
                                                        guint               limit,
                                                        gint64             *total,
                                                        GError            **error);
/* Marks it revoked and deletes its tokens. */
gboolean           fest_platform_store_revoke_device   (FestPlatformStore  *self,
                                                        const char         *festival_id,
                                                        const char         *device_id,
                                                        GError            **error);

/* Tokens. Return the raw token (shown once); only its SHA-256 is stored. */
char              *fest_platform_store_issue_session   (FestPlatformStore  *self,
                                                        const char         *account_id,
                                                        const char         *festival_id,
                                                        guint               lifetime_s,
                                                        gint64             *expires_at,
                                                        GError            **error);
char              *fest_platform_store_issue_device_token (FestPlatformStore *self,
                                                        const char         *device_id,
                                                        const char         *festival_id,
                                                        GError            **error);
gboolean           fest_platform_store_revoke_token    (FestPlatformStore  *self,
                                                        const char         *token_hash,
                                                        GError            **error);
gboolean           fest_platform_store_set_token_festival (FestPlatformStore *self,
                                                        const char         *token_hash,
                                                        const char         *festival_id,
                                                        GError            **error);
/* Resolves a raw bearer token. NULL with UNAUTHENTICATED when unknown, expired or revoked.
 * auth.store is left NULL: the server fills it. */
FestAuthEntry     *fest_platform_store_resolve_token   (FestPlatformStore  *self,
                                                        const char         *token,
                                                        GError            **error);
/* Drops cached tokens of an account / of a device / all. */
void               fest_platform_store_forget_account  (FestPlatformStore  *self,
                                                        const char         *account_id);
void               fest_platform_store_forget_device   (FestPlatformStore  *self,
                                                        const char         *device_id);
void               fest_platform_store_forget_all      (FestPlatformStore  *self);

G_END_DECLS
