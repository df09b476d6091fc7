/* fest-station-store.c: a kiosk station's offline store: opening, schema, SQLite helpers
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

G_DEFINE_FINAL_TYPE (FestStationStore, fest_station_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (fest-station-store-error-quark, fest_station_store_error)

/* Each step is applied once, in order, and recorded in PRAGMA user_version. Never edit a step. */
static const char * const station_migrations[] = {
  /* 1 */
  "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID;"
  "CREATE TABLE products ("
  "  id TEXT PRIMARY KEY, stand_id TEXT, name TEXT NOT NULL, price INTEGER NOT NULL,"
  "  vat_rate_bp INTEGER NOT NULL, category TEXT, stock INTEGER,"
  "  is_active INTEGER NOT NULL DEFAULT 1, deleted INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0);"
  "CREATE INDEX products_stand ON products(stand_id);"
  "CREATE TABLE wallets ("
  "  id TEXT PRIMARY KEY, code TEXT NOT NULL UNIQUE, balance INTEGER NOT NULL,"
  "  overdrawn INTEGER NOT NULL DEFAULT 0, rev INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE ticket_types ("
  "  id TEXT PRIMARY KEY, code TEXT, name TEXT, reentry_allowed INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE tickets ("
  "  id TEXT PRIMARY KEY, ticket_type_id TEXT, status TEXT NOT NULL, used_at TEXT,"
  "  used_gate TEXT, rev INTEGER NOT NULL DEFAULT 0);"
  "CREATE TABLE local_scans ("
  "  ticket_id TEXT PRIMARY KEY, scanned_at TEXT NOT NULL, gate TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL) WITHOUT ROWID;"
  /* state: 0 pending, 1 acked, 2 rejected. kind: PAYMENT RECHARGE CANCEL SCAN INCIDENT. */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY, op TEXT NOT NULL, kind TEXT NOT NULL,"
  "  idempotency_key TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL, payload TEXT NOT NULL,"
  "  state INTEGER NOT NULL DEFAULT 0, error_code TEXT, error_message TEXT, entity TEXT,"
  "  wallet_code TEXT, amount_delta INTEGER NOT NULL DEFAULT 0, note TEXT,"
  "  cancelled_by TEXT);"
  "CREATE INDEX outbox_state ON outbox(state, seq);"
  "CREATE INDEX outbox_wallet ON outbox(wallet_code, state);"
  "CREATE INDEX outbox_kind ON outbox(kind, seq);"
  "CREATE TABLE sale_lines ("
  "  op_key TEXT NOT NULL, line_no INTEGER NOT NULL, product_id TEXT NOT NULL,"
  "  name TEXT NOT NULL, quantity INTEGER NOT NULL, unit_price INTEGER NOT NULL,"
  "  vat_rate_bp INTEGER NOT NULL, PRIMARY KEY (op_key, line_no)) WITHOUT ROWID;"
  "CREATE TABLE alerts ("
  "  id TEXT PRIMARY KEY, body TEXT NOT NULL, shown INTEGER NOT NULL DEFAULT 0,"
  "  rev INTEGER NOT NULL DEFAULT 0);",
  /* 2: re-entry: whether a ticket is on site, from the server and from this gate */
  "ALTER TABLE tickets ADD COLUMN inside INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE local_scans ADD COLUMN inside INTEGER NOT NULL DEFAULT 1;"
  "CREATE INDEX ticket_types_code ON ticket_types(code);",
  /* 3: the holder's name, so that an alert about a ticket can say whose it is */
  "ALTER TABLE tickets ADD COLUMN holder TEXT;",
  /* 4: the incidents assigned to the guard on duty (as GET /incidents last listed them, with the
   * key of a resolution queued here), and the festival's gates (GET /gates) */
  "CREATE TABLE assigned_incidents ("
  "  id TEXT PRIMARY KEY, account_id TEXT NOT NULL, type TEXT NOT NULL, description TEXT,"
  "  lat REAL, lng REAL, created_at TEXT NOT NULL, status TEXT NOT NULL,"
  "  resolution_key TEXT, resolution_notes TEXT);"
  "CREATE INDEX assigned_incidents_account ON assigned_incidents(account_id, created_at);"
  "CREATE TABLE gates ("
  "  id TEXT PRIMARY KEY, name TEXT NOT NULL, lat REAL, lng REAL, zone TEXT,"
  "  position INTEGER NOT NULL);",
};

/* Helpers */

static gboolean
set_sqlite_error (FestStationStore  *self,
                  GError           **error,
                  const char        *what)
{
  g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_SQLITE,
               "%s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

gboolean
_fest_station_exec_sql (FestStationStore  *self,
                        const char        *sql,
                        GError           **error)
{
  char *message = NULL;

  if (sqlite3_exec (self->db, sql, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_SQLITE,
                   "%s", message ? message : "SQLite error");
      sqlite3_free (message);
      return FALSE;
    }
  return TRUE;
}

sqlite3_stmt *
_fest_station_prepare (FestStationStore  *self,
                       const char        *sql,
                       GError           **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (self, error, "prepare");
      return NULL;
    }
  return stmt;
}

void
_fest_station_bind_text (sqlite3_stmt *stmt,
                         int           index,
                         const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
_fest_station_column_dup (sqlite3_stmt *stmt,
                          int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Runs a statement that returns no row. */
gboolean
_fest_station_step_done (FestStationStore  *self,
                         sqlite3_stmt      *stmt,
                         GError           **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, error, "step");
  return TRUE;
}

gboolean
_fest_station_begin (FestStationStore  *self,
                     GError           **error)
{
  return _fest_station_exec_sql (self, "BEGIN IMMEDIATE", error);
}

gboolean
_fest_station_commit (FestStationStore  *self,
                      GError           **error)
{
  if (!_fest_station_exec_sql (self, "COMMIT", error))
    {
      _fest_station_exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

void
_fest_station_rollback (FestStationStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    _fest_station_exec_sql (self, "ROLLBACK", NULL);
}

static gboolean
migrate (FestStationStore  *self,
         GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = _fest_station_prepare (self, "PRAGMA user_version", error);
  int version;

  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return set_sqlite_error (self, error, "user_version");
  version = sqlite3_column_int (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > (int) G_N_ELEMENTS (station_migrations))
    {
      g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                   "Station database %s is newer (schema %d) than this program", self->path, version);
      return FALSE;
    }

  for (guint i = version; i < G_N_ELEMENTS (station_migrations); i++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %u", i + 1);

      if (!_fest_station_begin (self, error))
        return FALSE;
      if (!_fest_station_exec_sql (self, station_migrations[i], error) || !_fest_station_exec_sql (self, bump, error))
        {
          _fest_station_rollback (self);
          return FALSE;
        }
      if (!_fest_station_commit (self, error))
        return FALSE;
    }
  return TRUE;
}

/* GObject */

static void
fest_station_store_finalize (GObject *object)
{
  FestStationStore *self = FEST_STATION_STORE (object);

  if (self->db != NULL)
    sqlite3_close (self->db);
  g_free (self->path);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (fest_station_store_parent_class)->finalize (object);
}

static void
fest_station_store_class_init (FestStationStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fest_station_store_finalize;
}

static void
fest_station_store_init (FestStationStore *self)
{
  g_mutex_init (&self->mutex);
}

/* Public API: structures */

void
fest_outbox_op_free (FestOutboxOp *op)
{
  if (op == NULL)
    return;
  g_free (op->op);
  g_free (op->idempotency_key);
  g_free (op->created_at);
  g_free (op->payload);
  g_free (op->error_code);
  g_free (op->error_message);
  g_free (op->entity);
  g_free (op->wallet_code);
  g_free (op);
}

void
fest_station_product_free (FestStationProduct *product)
{
  if (product == NULL)
    return;
  g_free (product->id);
  g_free (product->stand_id);
  g_free (product->name);
  g_free (product->category);
  g_free (product);
}

void
fest_scan_verdict_clear (FestScanVerdict *verdict)
{
  g_clear_pointer (&verdict->ticket_id, g_free);
  g_clear_pointer (&verdict->type_code, g_free);
  g_clear_pointer (&verdict->holder, g_free);
  g_clear_pointer (&verdict->first_scan_at, g_free);
  g_clear_pointer (&verdict->first_gate, g_free);
  g_clear_pointer (&verdict->idempotency_key, g_free);
}

/* Public API: opening */

char *
fest_station_store_default_path (const char *server_url)
{
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (server_url != NULL, NULL);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, server_url, -1);
  hash[16] = '\0';
  name = g_strdup_printf ("station-%s.db", hash);
  return g_build_filename (g_get_user_data_dir (), "festivals", name, NULL);
}

FestStationStore *
fest_station_store_open (const char  *path,
                         GError     **error)
{
  g_autoptr(FestStationStore) self = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  fest_core_init ();
  if (sodium_init () < 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           "libsodium could not be initialised");
      return NULL;
    }

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Cannot create %s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (FEST_TYPE_STATION_STORE, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db,
                       SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_SQLITE,
                   "Cannot open %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 5000);

  /* WAL + FULL: a committed outbox row survives a power cut. */
  if (!_fest_station_exec_sql (self, "PRAGMA journal_mode = WAL", error) ||
      !_fest_station_exec_sql (self, "PRAGMA synchronous = FULL", error) ||
      !_fest_station_exec_sql (self, "PRAGMA foreign_keys = ON", error) ||
      !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
fest_station_store_get_path (FestStationStore *self)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return self->path;
}
