/* fest-station-store.c: a kiosk station's offline store (SQLite) and its outbox
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <sodium.h>
#include <glib/gstdio.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

struct _FestStationStore
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
  GMutex   mutex;
};

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

static gboolean
exec_sql (FestStationStore  *self,
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

static sqlite3_stmt *
prepare (FestStationStore  *self,
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

static void
bind_text (sqlite3_stmt *stmt,
           int           index,
           const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           index)
{
  const unsigned char *text = sqlite3_column_text (stmt, index);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* Runs a statement that returns no row. */
static gboolean
step_done (FestStationStore  *self,
           sqlite3_stmt      *stmt,
           GError           **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_sqlite_error (self, error, "step");
  return TRUE;
}

static gboolean
begin (FestStationStore  *self,
       GError           **error)
{
  return exec_sql (self, "BEGIN IMMEDIATE", error);
}

static gboolean
commit (FestStationStore  *self,
        GError           **error)
{
  if (!exec_sql (self, "COMMIT", error))
    {
      exec_sql (self, "ROLLBACK", NULL);
      return FALSE;
    }
  return TRUE;
}

static void
rollback (FestStationStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    exec_sql (self, "ROLLBACK", NULL);
}

static char *
get_setting_locked (FestStationStore *self,
                    const char       *key)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "SELECT value FROM settings WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return column_dup (stmt, 0);
  return NULL;
}

static gboolean
set_setting_locked (FestStationStore  *self,
                    const char        *key,
                    const char        *value,
                    GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (value == NULL)
    stmt = prepare (self, "DELETE FROM settings WHERE key = ?", error);
  else
    stmt = prepare (self, "INSERT INTO settings (key, value) VALUES (?, ?) "
                          "ON CONFLICT(key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, key);
  if (value != NULL)
    bind_text (stmt, 2, value);
  return step_done (self, stmt, error);
}

static gint64
get_setting_int_locked (FestStationStore *self,
                        const char       *key,
                        gint64            default_value)
{
  g_autofree char *value = get_setting_locked (self, key);
  gint64 result;
  char *end = NULL;

  if (value == NULL || *value == '\0')
    return default_value;
  result = g_ascii_strtoll (value, &end, 10);
  if (end == NULL || *end != '\0')
    return default_value;
  return result;
}

static gint64
pending_delta_locked (FestStationStore *self,
                      const char       *wallet_code)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT COALESCE(SUM(amount_delta), 0) FROM outbox "
                   "WHERE wallet_code = ? AND state = 0", NULL);

  if (stmt == NULL)
    return 0;
  bind_text (stmt, 1, wallet_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return sqlite3_column_int64 (stmt, 0);
  return 0;
}

static gboolean
get_wallet_locked (FestStationStore  *self,
                   const char        *code,
                   char             **wallet_id,
                   gint64            *balance,
                   gboolean          *overdrawn)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT id, balance, overdrawn FROM wallets WHERE code = ?", NULL);

  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, code);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  if (wallet_id != NULL)
    *wallet_id = column_dup (stmt, 0);
  if (balance != NULL)
    *balance = sqlite3_column_int64 (stmt, 1);
  if (overdrawn != NULL)
    *overdrawn = sqlite3_column_int (stmt, 2) != 0;
  return TRUE;
}

static FestOutboxOp *
op_from_row (sqlite3_stmt *stmt)
{
  FestOutboxOp *op = g_new0 (FestOutboxOp, 1);

  op->seq = sqlite3_column_int64 (stmt, 0);
  op->op = column_dup (stmt, 1);
  op->idempotency_key = column_dup (stmt, 2);
  op->created_at = column_dup (stmt, 3);
  op->payload = column_dup (stmt, 4);
  op->state = sqlite3_column_int (stmt, 5);
  op->error_code = column_dup (stmt, 6);
  op->error_message = column_dup (stmt, 7);
  op->entity = column_dup (stmt, 8);
  op->wallet_code = column_dup (stmt, 9);
  op->amount_delta = sqlite3_column_int64 (stmt, 10);
  return op;
}

#define OP_COLUMNS "seq, op, idempotency_key, created_at, payload, state, error_code, " \
                   "error_message, entity, wallet_code, amount_delta"

static FestOutboxOp *
get_op_by_key_locked (FestStationStore *self,
                      const char       *key)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " OP_COLUMNS " FROM outbox WHERE idempotency_key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return op_from_row (stmt);
}

/* Inserts one op in the current transaction. Returns its idempotency key (transfer full). */
static char *
insert_op_locked (FestStationStore  *self,
                  const char        *idempotency_key,
                  const char        *op,
                  const char        *kind,
                  const char        *created_at,
                  JsonNode          *payload,
                  const char        *wallet_code,
                  gint64             amount_delta,
                  const char        *note,
                  GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key = idempotency_key != NULL ? g_strdup (idempotency_key) : fest_uuid_new ();
  g_autofree char *text = fest_json_to_string (payload, NULL);

  stmt = prepare (self, "INSERT INTO outbox (op, kind, idempotency_key, created_at, payload, "
                        "wallet_code, amount_delta, note) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", error);
  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, op);
  bind_text (stmt, 2, kind);
  bind_text (stmt, 3, key);
  bind_text (stmt, 4, created_at);
  bind_text (stmt, 5, text);
  bind_text (stmt, 6, wallet_code);
  sqlite3_bind_int64 (stmt, 7, amount_delta);
  bind_text (stmt, 8, note);
  if (!step_done (self, stmt, error))
    return NULL;
  return g_steal_pointer (&key);
}

static gboolean
require_enrolled_locked (FestStationStore  *self,
                         GError           **error)
{
  g_autofree char *device = get_setting_locked (self, FEST_STATION_KEY_DEVICE_ID);

  if (device == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_ENROLLED,
                           _("This station is not enrolled"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
migrate (FestStationStore  *self,
         GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = prepare (self, "PRAGMA user_version", error);
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

      if (!begin (self, error))
        return FALSE;
      if (!exec_sql (self, station_migrations[i], error) || !exec_sql (self, bump, error))
        {
          rollback (self);
          return FALSE;
        }
      if (!commit (self, error))
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

static void
shift_product_line_free (FestShiftProductLine *line)
{
  g_free (line->product_id);
  g_free (line->name);
  g_free (line);
}

void
fest_shift_summary_free (FestShiftSummary *summary)
{
  if (summary == NULL)
    return;
  g_free (summary->since);
  g_free (summary->until);
  g_clear_pointer (&summary->products, g_ptr_array_unref);
  g_clear_pointer (&summary->vat, g_ptr_array_unref);
  g_free (summary);
}

/* Public API: opening and settings */

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
  if (!exec_sql (self, "PRAGMA journal_mode = WAL", error) ||
      !exec_sql (self, "PRAGMA synchronous = FULL", error) ||
      !exec_sql (self, "PRAGMA foreign_keys = ON", error) ||
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

char *
fest_station_store_get_setting (FestStationStore *self,
                                const char       *key)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return get_setting_locked (self, key);
}

gint64
fest_station_store_get_setting_int (FestStationStore *self,
                                    const char       *key,
                                    gint64            default_value)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), default_value);
  locker = g_mutex_locker_new (&self->mutex);
  return get_setting_int_locked (self, key, default_value);
}

gboolean
fest_station_store_set_setting (FestStationStore  *self,
                                const char        *key,
                                const char        *value,
                                GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->mutex);
  return set_setting_locked (self, key, value, error);
}

gboolean
fest_station_store_is_enrolled (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *device = NULL;
  g_autofree char *festival = NULL;
  g_autofree char *mode = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->mutex);
  device = get_setting_locked (self, FEST_STATION_KEY_DEVICE_ID);
  festival = get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
  mode = get_setting_locked (self, FEST_STATION_KEY_MODE);
  return device != NULL && festival != NULL && mode != NULL;
}

gboolean
fest_station_store_enroll (FestStationStore  *self,
                           const char        *server_url,
                           const char        *device_id,
                           const char        *device_name,
                           const char        *festival_id,
                           const char        *stand_id,
                           const char        *mode,
                           GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (device_id != NULL && festival_id != NULL && mode != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  {
    /* Enrolling again (e.g. after the device was revoked) keeps the outbox, to push it with the
     * new token: only a token of the same festival may take it over. */
    g_autofree char *current = get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (current != NULL && !g_str_equal (current, festival_id))
      {
        stmt = prepare (self, "SELECT COUNT(*) FROM outbox WHERE state IN (0, 3)", error);
        if (stmt == NULL)
          return FALSE;
        if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0)
          {
            g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, 0));

            g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                         _("This station keeps %s unsent operations of another festival: "
                           "enroll it with a token of that festival"), count);
            return FALSE;
          }
      }
  }
  if (!begin (self, error))
    return FALSE;
  if (!set_setting_locked (self, FEST_STATION_KEY_SERVER_URL, server_url, error) ||
      !set_setting_locked (self, FEST_STATION_KEY_DEVICE_ID, device_id, error) ||
      !set_setting_locked (self, FEST_STATION_KEY_DEVICE_NAME, device_name, error) ||
      !set_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID, festival_id, error) ||
      !set_setting_locked (self, FEST_STATION_KEY_STAND_ID, stand_id, error) ||
      !set_setting_locked (self, FEST_STATION_KEY_MODE, mode, error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

gboolean
fest_station_store_unenroll (FestStationStore  *self,
                             GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->mutex);

  stmt = prepare (self, "SELECT COUNT(*) FROM outbox WHERE state IN (0, 3)", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_int64 (stmt, 0) > 0)
    {
      gint64 n = sqlite3_column_int64 (stmt, 0);
      g_autofree char *count = g_strdup_printf ("%" G_GINT64_FORMAT, n);

      g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%s operation of this station is not sent to the server yet: sync "
                                "the station before un-enrolling it",
                                "%s operations of this station are not sent to the server yet: sync "
                                "the station before un-enrolling it", n), count);
      return FALSE;
    }
  if (!begin (self, error))
    return FALSE;
  /* Only the enrollment goes: the outbox (the shift's sales, scans and reports), the PIN and the
   * cache stay on the device, for the shift report and an enrollment with the same festival. */
  if (!exec_sql (self, "DELETE FROM settings WHERE key IN ('" FEST_STATION_KEY_DEVICE_ID "', '"
                       FEST_STATION_KEY_DEVICE_NAME "', '" FEST_STATION_KEY_STAND_ID "', '"
                       FEST_STATION_KEY_MODE "');", error))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

gboolean
fest_station_store_set_pin (FestStationStore  *self,
                            const char        *pin,
                            GError           **error)
{
  char hash[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (pin != NULL, FALSE);

  if (strlen (pin) < 4)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("The PIN needs at least 4 digits"));
      return FALSE;
    }
  /* Outside the lock: argon2id takes a while and needs no database. */
  if (crypto_pwhash_str (hash, pin, strlen (pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           "Out of memory while hashing the PIN");
      return FALSE;
    }
  return fest_station_store_set_setting (self, "pin_hash", hash, error);
}

gboolean
fest_station_store_has_pin (FestStationStore *self)
{
  g_autofree char *hash = fest_station_store_get_setting (self, "pin_hash");

  return hash != NULL;
}

gboolean
fest_station_store_check_pin (FestStationStore *self,
                              const char       *pin)
{
  g_autofree char *hash = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  if (pin == NULL)
    return FALSE;
  hash = fest_station_store_get_setting (self, "pin_hash");
  if (hash == NULL)
    return FALSE;
  return crypto_pwhash_str_verify (hash, pin, strlen (pin)) == 0;
}

gboolean
fest_station_store_get_ticket_key (FestStationStore *self,
                                   guint8            key[32])
{
  g_autofree char *text = fest_station_store_get_setting (self, FEST_STATION_KEY_TICKET_KEY);
  g_autofree guint8 *raw = NULL;
  gsize len = 0;

  if (text == NULL)
    return FALSE;
  raw = fest_base64url_decode (text, strlen (text), &len);
  if (raw == NULL || len != 32)
    return FALSE;
  memcpy (key, raw, 32);
  return TRUE;
}

/* Public API: catalog and wallets */

static FestStationProduct *
product_from_row (sqlite3_stmt *stmt)
{
  FestStationProduct *product = g_new0 (FestStationProduct, 1);

  product->id = column_dup (stmt, 0);
  product->stand_id = column_dup (stmt, 1);
  product->name = column_dup (stmt, 2);
  product->price = sqlite3_column_int64 (stmt, 3);
  product->vat_rate_bp = sqlite3_column_int (stmt, 4);
  product->category = column_dup (stmt, 5);
  product->has_stock = sqlite3_column_type (stmt, 6) != SQLITE_NULL;
  product->stock = sqlite3_column_int64 (stmt, 6);
  product->is_active = sqlite3_column_int (stmt, 7) != 0;
  return product;
}

#define PRODUCT_COLUMNS "id, stand_id, name, price, vat_rate_bp, category, stock, is_active"

GPtrArray *
fest_station_store_list_products (FestStationStore *self,
                                  const char       *stand_id)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *products = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_product_free);

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), products);
  locker = g_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT " PRODUCT_COLUMNS " FROM products "
                        "WHERE (?1 IS NULL OR stand_id = ?1) AND is_active AND NOT deleted "
                        "ORDER BY COALESCE(category, ''), name", NULL);
  if (stmt == NULL)
    return products;
  bind_text (stmt, 1, stand_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (products, product_from_row (stmt));
  return products;
}

static FestStationProduct *
get_product_locked (FestStationStore *self,
                    const char       *product_id)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " PRODUCT_COLUMNS " FROM products WHERE id = ?", NULL);

  if (stmt == NULL)
    return NULL;
  bind_text (stmt, 1, product_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return product_from_row (stmt);
}

FestStationProduct *
fest_station_store_get_product (FestStationStore *self,
                                const char       *product_id)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return get_product_locked (self, product_id);
}

gboolean
fest_station_store_get_wallet (FestStationStore  *self,
                               const char        *code,
                               char             **wallet_id,
                               gint64            *balance,
                               gboolean          *overdrawn)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = g_mutex_locker_new (&self->mutex);
  return get_wallet_locked (self, code, wallet_id, balance, overdrawn);
}

gint64
fest_station_store_get_pending_delta (FestStationStore *self,
                                      const char       *wallet_code)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  return pending_delta_locked (self, wallet_code);
}

gint64
fest_station_store_get_effective_balance (FestStationStore *self,
                                          const char       *wallet_code)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 balance = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  get_wallet_locked (self, wallet_code, NULL, &balance, NULL);
  return balance + pending_delta_locked (self, wallet_code);
}

static gboolean
upsert_wallet_locked (FestStationStore  *self,
                      const char        *wallet_id,
                      const char        *code,
                      gint64             balance,
                      gboolean           overdrawn,
                      gint64             rev,
                      GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  /* A wallet's code never changes; a newer rev wins. rev < 0 (a direct lookup without rev)
   * always wins over the cache. */
  stmt = prepare (self, "INSERT INTO wallets (id, code, balance, overdrawn, rev) "
                        "VALUES (?1, ?2, ?3, ?4, MAX(?5, 0)) "
                        "ON CONFLICT(id) DO UPDATE SET balance = excluded.balance, "
                        "overdrawn = excluded.overdrawn, rev = MAX(wallets.rev, excluded.rev) "
                        "WHERE ?5 < 0 OR excluded.rev >= wallets.rev", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, wallet_id);
  bind_text (stmt, 2, code);
  sqlite3_bind_int64 (stmt, 3, balance);
  sqlite3_bind_int (stmt, 4, overdrawn ? 1 : 0);
  sqlite3_bind_int64 (stmt, 5, rev);
  return step_done (self, stmt, error);
}

gboolean
fest_station_store_update_wallet (FestStationStore  *self,
                                  const char        *wallet_id,
                                  const char        *code,
                                  gint64             balance,
                                  gboolean           overdrawn,
                                  gint64             rev,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (wallet_id != NULL && code != NULL, FALSE);
  locker = g_mutex_locker_new (&self->mutex);
  return upsert_wallet_locked (self, wallet_id, code, balance, overdrawn, rev, error);
}

/* Public API: operations */

static JsonNode *
build_payload (JsonBuilder *builder)
{
  return json_builder_get_root (builder);
}

/* The body of a PAYMENT, as POST /transactions takes it and as the outbox keeps it (plus
 * created_at there). One builder for both, so that the online attempt and its outbox fallback are
 * the same operation for the server's idempotency check. */
static JsonNode *
payment_payload_locked (FestStationStore   *self,
                        const char         *wallet_code,
                        const FestSaleLine *lines,
                        guint               n_lines,
                        const char         *created_at,
                        GPtrArray          *products_out,
                        gint64             *total_out,
                        GError            **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *stand_id = NULL;
  gint64 total = 0;

  if (n_lines == 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("The cart is empty"));
      return NULL;
    }
  if (!require_enrolled_locked (self, error))
    return NULL;
  stand_id = get_setting_locked (self, FEST_STATION_KEY_STAND_ID);

  for (guint i = 0; i < n_lines; i++)
    {
      FestStationProduct *product = get_product_locked (self, lines[i].product_id);
      gint64 line_total;

      if (product == NULL)
        {
          g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_FOUND,
                       _("Unknown product %s"), lines[i].product_id);
          return NULL;
        }
      if (lines[i].quantity <= 0 ||
          !fest_money_mul (product->price, lines[i].quantity, &line_total) ||
          !fest_money_add (total, line_total, &total))
        {
          fest_station_product_free (product);
          g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                               _("Invalid quantity"));
          return NULL;
        }
      if (products_out != NULL)
        g_ptr_array_add (products_out, product);
      else
        fest_station_product_free (product);
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "PAYMENT");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_lines; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "product_id");
      json_builder_add_string_value (builder, lines[i].product_id);
      json_builder_set_member_name (builder, "quantity");
      json_builder_add_int_value (builder, lines[i].quantity);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  if (created_at != NULL)
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
    }
  json_builder_end_object (builder);
  if (total_out != NULL)
    *total_out = total;
  return build_payload (builder);
}

JsonNode *
fest_station_store_build_payment (FestStationStore   *self,
                                  const char         *wallet_code,
                                  const FestSaleLine *lines,
                                  guint               n_lines,
                                  gint64             *total,
                                  GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return payment_payload_locked (self, wallet_code, lines, n_lines, NULL, NULL, total, error);
}

/* An operation the server already answered: its entity (a transaction) gives the wallet's balance
 * right after it, which the cache takes (the op is not pending, so it is not added on top). */
static gboolean
take_acked_entity_locked (FestStationStore  *self,
                          const char        *wallet_code,
                          const char        *entity,
                          GError           **error)
{
  g_autoptr(JsonNode) node = entity != NULL ? fest_json_parse (entity, -1, NULL) : NULL;
  JsonObject *object;
  const char *wallet_id;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  object = json_node_get_object (node);
  wallet_id = json_object_get_string_member_with_default (object, "wallet_id", NULL);
  if (wallet_id == NULL || !json_object_has_member (object, "balance_after"))
    return TRUE;
  return upsert_wallet_locked (self, wallet_id, wallet_code,
                               json_object_get_int_member (object, "balance_after"),
                               json_object_get_int_member (object, "balance_after") < 0, -1, error);
}

static gboolean
set_op_state_locked (FestStationStore  *self,
                     const char        *key,
                     FestOutboxState    state,
                     const char        *entity,
                     GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "UPDATE outbox SET state = ?, entity = ? WHERE idempotency_key = ?", error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int (stmt, 1, state);
  bind_text (stmt, 2, entity);
  bind_text (stmt, 3, key);
  return step_done (self, stmt, error);
}

FestOutboxOp *
fest_station_store_record_payment (FestStationStore    *self,
                                   const char          *wallet_code,
                                   const FestSaleLine  *lines,
                                   guint                n_lines,
                                   gint64               allowance,
                                   gint64              *total_out,
                                   GError             **error)
{
  return fest_station_store_record_payment_full (self, NULL, wallet_code, lines, n_lines, allowance,
                                                 FEST_OUTBOX_PENDING, NULL, total_out, error);
}

FestOutboxOp *
fest_station_store_record_payment_full (FestStationStore    *self,
                                        const char          *idempotency_key,
                                        const char          *wallet_code,
                                        const FestSaleLine  *lines,
                                        guint                n_lines,
                                        gint64               allowance,
                                        FestOutboxState      state,
                                        const char          *entity,
                                        gint64              *total_out,
                                        GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GPtrArray) products = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  gint64 total = 0;
  gint64 balance = 0;
  gint64 available;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  g_return_val_if_fail (state == FEST_OUTBOX_PENDING || state == FEST_OUTBOX_ACKED ||
                        state == FEST_OUTBOX_UNCONFIRMED, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  now = fest_time_now ();
  products = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_station_product_free);
  payload = payment_payload_locked (self, wallet_code, lines, n_lines, now, products, &total, error);
  if (payload == NULL)
    return NULL;

  if (!begin (self, error))
    return NULL;

  /* Checked inside the transaction, so two sales racing on this station cannot both pass. An op
   * the server already accepted (ACKED) or that is in doubt (UNCONFIRMED) is not checked: it is
   * recorded as what it is. */
  if (state == FEST_OUTBOX_PENDING)
    {
      get_wallet_locked (self, wallet_code, NULL, &balance, NULL);
      available = balance + pending_delta_locked (self, wallet_code) + MAX (allowance, 0);
      if (available < total)
        {
          rollback (self);
          g_set_error (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INSUFFICIENT_BALANCE,
                       "required %" G_GINT64_FORMAT ", available %" G_GINT64_FORMAT,
                       total, MAX (available, 0));
          return NULL;
        }
    }

  key = insert_op_locked (self, idempotency_key, "transaction.create", "PAYMENT", now, payload,
                          wallet_code, -total, NULL, error);
  if (key == NULL)
    {
      rollback (self);
      return NULL;
    }

  for (guint i = 0; i < n_lines; i++)
    {
      FestStationProduct *product = g_ptr_array_index (products, i);
      g_autoptr(sqlite3_stmt) stmt =
        prepare (self, "INSERT INTO sale_lines (op_key, line_no, product_id, name, quantity, "
                       "unit_price, vat_rate_bp) VALUES (?, ?, ?, ?, ?, ?, ?)", error);

      if (stmt == NULL)
        {
          rollback (self);
          return NULL;
        }
      bind_text (stmt, 1, key);
      sqlite3_bind_int (stmt, 2, i);
      bind_text (stmt, 3, product->id);
      bind_text (stmt, 4, product->name);
      sqlite3_bind_int64 (stmt, 5, lines[i].quantity);
      sqlite3_bind_int64 (stmt, 6, product->price);
      sqlite3_bind_int (stmt, 7, product->vat_rate_bp);
      if (!step_done (self, stmt, error))
        {
          rollback (self);
          return NULL;
        }
    }

  if (state != FEST_OUTBOX_PENDING &&
      (!set_op_state_locked (self, key, state, entity, error) ||
       (state == FEST_OUTBOX_ACKED && !take_acked_entity_locked (self, wallet_code, entity, error))))
    {
      rollback (self);
      return NULL;
    }

  if (!commit (self, error))
    return NULL;
  if (total_out != NULL)
    *total_out = total;
  return get_op_by_key_locked (self, key);
}

static JsonNode *
recharge_payload_locked (FestStationStore  *self,
                         const char        *wallet_code,
                         gint64             amount,
                         const char        *method,
                         const char        *created_at,
                         GError           **error)
{
  g_autoptr(JsonBuilder) builder = NULL;
  g_autofree char *stand_id = NULL;

  if (amount <= 0 || amount > FEST_MONEY_MAX_AMOUNT)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid amount"));
      return NULL;
    }
  if (g_strcmp0 (method, "CASH") != 0 && g_strcmp0 (method, "CARD") != 0)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid payment method"));
      return NULL;
    }
  if (!require_enrolled_locked (self, error))
    return NULL;
  stand_id = get_setting_locked (self, FEST_STATION_KEY_STAND_ID);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "RECHARGE");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "amount");
  json_builder_add_int_value (builder, amount);
  json_builder_set_member_name (builder, "payment_method");
  json_builder_add_string_value (builder, method);
  if (created_at != NULL)
    {
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created_at);
    }
  json_builder_end_object (builder);
  return build_payload (builder);
}

JsonNode *
fest_station_store_build_recharge (FestStationStore  *self,
                                   const char        *wallet_code,
                                   gint64             amount,
                                   const char        *method,
                                   GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return recharge_payload_locked (self, wallet_code, amount, method, NULL, error);
}

FestOutboxOp *
fest_station_store_record_recharge (FestStationStore  *self,
                                    const char        *wallet_code,
                                    gint64             amount,
                                    const char        *method,
                                    GError           **error)
{
  return fest_station_store_record_recharge_full (self, NULL, wallet_code, amount, method,
                                                  FEST_OUTBOX_PENDING, NULL, error);
}

FestOutboxOp *
fest_station_store_record_recharge_full (FestStationStore  *self,
                                         const char        *idempotency_key,
                                         const char        *wallet_code,
                                         gint64             amount,
                                         const char        *method,
                                         FestOutboxState    state,
                                         const char        *entity,
                                         GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (wallet_code != NULL, NULL);
  g_return_val_if_fail (state == FEST_OUTBOX_PENDING || state == FEST_OUTBOX_ACKED, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  now = fest_time_now ();
  payload = recharge_payload_locked (self, wallet_code, amount, method, now, error);
  if (payload == NULL)
    return NULL;

  if (!begin (self, error))
    return NULL;
  key = insert_op_locked (self, idempotency_key, "transaction.create", "RECHARGE", now, payload,
                          wallet_code, amount, method, error);
  if (key == NULL ||
      (state != FEST_OUTBOX_PENDING &&
       (!set_op_state_locked (self, key, state, entity, error) ||
        !take_acked_entity_locked (self, wallet_code, entity, error))))
    {
      rollback (self);
      return NULL;
    }
  if (!commit (self, error))
    return NULL;
  return get_op_by_key_locked (self, key);
}

/* The station's last sale, if it can still be cancelled. The server cancels only a device's own
 * last payment: once that one is cancelled, the sale before it can no longer be (the cancel would
 * be refused), so it is not offered. A cancel the server refused does not count as one, but its
 * sale is not offered again: the refusal is final (already refunded, too old). */
static FestOutboxOp *
get_last_sale_locked (FestStationStore *self)
{
  g_autoptr(sqlite3_stmt) stmt =
    prepare (self, "SELECT " OP_COLUMNS " FROM outbox o WHERE kind = 'PAYMENT' "
                   "AND state IN (0, 1) AND (cancelled_by IS NULL OR cancelled_by IN "
                   "(SELECT idempotency_key FROM outbox WHERE state = 2)) "
                   "AND seq = (SELECT MAX(seq) FROM outbox WHERE kind = 'PAYMENT' AND state IN (0, 1)) "
                   "AND NOT EXISTS (SELECT 1 FROM outbox c WHERE c.kind = 'CANCEL' AND c.state = 2 "
                   "AND o.entity IS NOT NULL AND json_valid (o.entity) AND json_valid (c.payload) "
                   "AND json_extract (c.payload, '$.reference') = json_extract (o.entity, '$.id'))", NULL);

  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return NULL;
  return op_from_row (stmt);
}

FestOutboxOp *
fest_station_store_get_last_sale (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);
  return get_last_sale_locked (self);
}

FestOutboxOp *
fest_station_store_record_cancel_last (FestStationStore  *self,
                                       gint64             max_age_seconds,
                                       GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(FestOutboxOp) sale = NULL;
  g_autoptr(JsonNode) entity = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(GDateTime) sold_at = NULL;
  g_autoptr(GDateTime) now_time = NULL;
  g_autoptr(sqlite3_stmt) mark = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;
  const char *payment_id = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = g_mutex_locker_new (&self->mutex);

  sale = get_last_sale_locked (self);
  if (sale == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("There is no sale to cancel"));
      return NULL;
    }
  sold_at = fest_time_parse (sale->created_at);
  now_time = g_date_time_new_now_utc ();
  if (sold_at == NULL ||
      g_date_time_difference (now_time, sold_at) > max_age_seconds * G_TIME_SPAN_SECOND)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The last sale is too old to be cancelled"));
      return NULL;
    }
  if (sale->state != FEST_OUTBOX_ACKED || sale->entity == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The last sale is not confirmed by the server yet"));
      return NULL;
    }
  entity = fest_json_parse (sale->entity, -1, NULL);
  if (entity != NULL && JSON_NODE_HOLDS_OBJECT (entity))
    payment_id = json_object_get_string_member_with_default (json_node_get_object (entity),
                                                            "id", NULL);
  if (payment_id == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_CANNOT_CANCEL,
                           _("The server did not return the sale's id"));
      return NULL;
    }

  stand_id = get_setting_locked (self, FEST_STATION_KEY_STAND_ID);
  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "CANCEL");
  json_builder_set_member_name (builder, "wallet_code");
  json_builder_add_string_value (builder, sale->wallet_code);
  if (stand_id != NULL)
    {
      json_builder_set_member_name (builder, "stand_id");
      json_builder_add_string_value (builder, stand_id);
    }
  json_builder_set_member_name (builder, "reference");
  json_builder_add_string_value (builder, payment_id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_string_value (builder, now);
  json_builder_end_object (builder);
  payload = build_payload (builder);

  if (!begin (self, error))
    return NULL;
  key = insert_op_locked (self, NULL, "transaction.create", "CANCEL", now, payload, sale->wallet_code,
                          -sale->amount_delta, NULL, error);
  if (key == NULL)
    {
      rollback (self);
      return NULL;
    }
  mark = prepare (self, "UPDATE outbox SET cancelled_by = ? WHERE seq = ?", error);
  if (mark == NULL)
    {
      rollback (self);
      return NULL;
    }
  bind_text (mark, 1, key);
  sqlite3_bind_int64 (mark, 2, sale->seq);
  if (!step_done (self, mark, error))
    {
      rollback (self);
      return NULL;
    }
  if (!commit (self, error))
    return NULL;
  return get_op_by_key_locked (self, key);
}

static FestScanReason
reason_from_code_status (FestTicketCodeStatus status)
{
  switch (status)
    {
    case FEST_TICKET_CODE_VALID:
      return FEST_SCAN_REASON_NONE;
    case FEST_TICKET_CODE_MALFORMED:
      return FEST_SCAN_REASON_MALFORMED;
    case FEST_TICKET_CODE_BAD_SIGNATURE:
      return FEST_SCAN_REASON_BAD_SIGNATURE;
    case FEST_TICKET_CODE_WRONG_FESTIVAL:
      return FEST_SCAN_REASON_WRONG_FESTIVAL;
    case FEST_TICKET_CODE_NOT_YET_VALID:
      return FEST_SCAN_REASON_NOT_YET_VALID;
    case FEST_TICKET_CODE_EXPIRED:
      return FEST_SCAN_REASON_EXPIRED;
    default:
      return FEST_SCAN_REASON_MALFORMED;
    }
}

/* Commits one scan (local used set + outbox) in one transaction. */
static gboolean
commit_scan_locked (FestStationStore  *self,
                    const char        *ticket_id,
                    const char        *gate,
                    const char        *direction,
                    const char        *scanned_at,
                    char             **op_key_out,
                    GError           **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *op_key = NULL;
  gboolean in = g_str_equal (direction, "IN");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "ticket_id");
  json_builder_add_string_value (builder, ticket_id);
  json_builder_set_member_name (builder, "gate");
  json_builder_add_string_value (builder, gate);
  json_builder_set_member_name (builder, "direction");
  json_builder_add_string_value (builder, direction);
  json_builder_set_member_name (builder, "scanned_at");
  json_builder_add_string_value (builder, scanned_at);
  json_builder_end_object (builder);
  payload = build_payload (builder);

  if (!begin (self, error))
    return FALSE;
  op_key = insert_op_locked (self, NULL, "ticket.scan", "SCAN", scanned_at, payload, NULL, 0, direction,
                             error);
  if (op_key == NULL)
    {
      rollback (self);
      return FALSE;
    }
  /* The first admission's time and gate stay; re-entries and exits only flip "inside". */
  stmt = prepare (self, "INSERT INTO local_scans (ticket_id, scanned_at, gate, idempotency_key, inside) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) "
                        "ON CONFLICT(ticket_id) DO UPDATE SET inside = excluded.inside", error);
  if (stmt == NULL)
    {
      rollback (self);
      return FALSE;
    }
  bind_text (stmt, 1, ticket_id);
  bind_text (stmt, 2, scanned_at);
  bind_text (stmt, 3, gate);
  bind_text (stmt, 4, op_key);
  sqlite3_bind_int (stmt, 5, in ? 1 : 0);
  if (!step_done (self, stmt, error))
    {
      rollback (self);
      return FALSE;
    }
  if (!commit (self, error))
    return FALSE;
  *op_key_out = g_steal_pointer (&op_key);
  return TRUE;
}

gboolean
fest_station_store_record_scan_direction (FestStationStore  *self,
                                          const char        *qr,
                                          const char        *gate,
                                          const char        *direction,
                                          GDateTime         *now,
                                          FestScanVerdict   *verdict,
                                          GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autofree char *key_text = NULL;
  g_autofree guint8 *raw_key = NULL;
  g_autofree char *festival_id = NULL;
  g_autofree char *scanned_at = NULL;
  g_autofree char *cached_status = NULL;
  FestTicketPayload ticket = { 0 };
  FestTicketCodeStatus status;
  gboolean reentry = FALSE;
  gboolean local_seen = FALSE, local_inside = FALSE, cached_inside = FALSE;
  gboolean out;
  gsize key_len = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (qr != NULL && gate != NULL && now != NULL && verdict != NULL, FALSE);
  g_return_val_if_fail (g_strcmp0 (direction, "IN") == 0 || g_strcmp0 (direction, "OUT") == 0, FALSE);

  memset (verdict, 0, sizeof *verdict);
  verdict->result = FEST_SCAN_REFUSED;
  out = g_str_equal (direction, "OUT");

  locker = g_mutex_locker_new (&self->mutex);
  if (!require_enrolled_locked (self, error))
    return FALSE;

  key_text = get_setting_locked (self, FEST_STATION_KEY_TICKET_KEY);
  if (key_text != NULL)
    raw_key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
  if (raw_key == NULL || key_len != FEST_TICKET_PUBLIC_KEY_BYTES)
    {
      verdict->reason = FEST_SCAN_REASON_NO_KEY;
      return TRUE;
    }

  festival_id = get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
  status = fest_ticket_code_verify (qr, raw_key, festival_id, now, &ticket);
  if (ticket.ticket_id != NULL)
    {
      verdict->ticket_id = g_strdup (ticket.ticket_id);
      verdict->type_code = g_strdup (ticket.type_code);
      verdict->holder = g_strdup (ticket.holder);
    }
  fest_ticket_payload_clear (&ticket);
  if (status != FEST_TICKET_CODE_VALID)
    {
      verdict->reason = reason_from_code_status (status);
      return TRUE;
    }

  /* The ticket's type (signed in the code): does it allow going out and back in? */
  stmt = prepare (self, "SELECT reentry_allowed FROM ticket_types WHERE code = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, verdict->type_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    reentry = sqlite3_column_int (stmt, 0) != 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The cache: cancelled, or used elsewhere (as the server last told us). */
  stmt = prepare (self, "SELECT status, used_at, used_gate, inside FROM tickets WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, verdict->ticket_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cached_status = column_dup (stmt, 0);
      cached_inside = sqlite3_column_int (stmt, 3) != 0;
      if (g_strcmp0 (cached_status, "CANCELLED") == 0)
        {
          verdict->reason = FEST_SCAN_REASON_CANCELLED;
          return TRUE;
        }
      if (g_strcmp0 (cached_status, "USED") == 0)
        {
          verdict->first_scan_at = column_dup (stmt, 1);
          verdict->first_gate = column_dup (stmt, 2);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* This station's own used set (covers scans the server has not acknowledged yet). */
  stmt = prepare (self, "SELECT scanned_at, gate, inside FROM local_scans WHERE ticket_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, verdict->ticket_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      local_seen = TRUE;
      local_inside = sqlite3_column_int (stmt, 2) != 0;
      if (verdict->first_scan_at == NULL)
        {
          verdict->first_scan_at = column_dup (stmt, 0);
          verdict->first_gate = column_dup (stmt, 1);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  {
    gboolean used = local_seen || g_strcmp0 (cached_status, "USED") == 0;
    /* What this gate saw last wins over the (older) cache. */
    gboolean inside = local_seen ? local_inside : (used && cached_inside);

    if (out)
      {
        if (!reentry)
          {
            verdict->reason = FEST_SCAN_REASON_NO_REENTRY;
            return TRUE;
          }
        if (!inside)
          {
            verdict->reason = FEST_SCAN_REASON_NOT_INSIDE;
            return TRUE;
          }
      }
    else if (used && (!reentry || inside))
      {
        verdict->result = FEST_SCAN_ALREADY_USED;
        return TRUE;
      }
  }

  scanned_at = fest_time_format (now);
  if (!commit_scan_locked (self, verdict->ticket_id, gate, direction, scanned_at,
                           &verdict->idempotency_key, error))
    return FALSE;
  verdict->result = out ? FEST_SCAN_EXIT : FEST_SCAN_ACCEPT;
  return TRUE;
}

gboolean
fest_station_store_record_scan (FestStationStore  *self,
                                const char        *qr,
                                const char        *gate,
                                GDateTime         *now,
                                FestScanVerdict   *verdict,
                                GError           **error)
{
  return fest_station_store_record_scan_direction (self, qr, gate, "IN", now, verdict, error);
}

guint
fest_station_store_count_entries (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT COUNT(*) FROM local_scans", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

gboolean
fest_station_store_describe_ticket (FestStationStore  *self,
                                    const char        *ticket_id,
                                    char             **holder,
                                    char             **type_name)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  *holder = NULL;
  *type_name = NULL;
  if (ticket_id == NULL)
    return FALSE;
  locker = g_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT t.holder, tt.name FROM tickets t LEFT JOIN ticket_types tt "
                        "ON tt.id = t.ticket_type_id WHERE t.id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  bind_text (stmt, 1, ticket_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *holder = column_dup (stmt, 0);
  *type_name = column_dup (stmt, 1);
  return TRUE;
}

FestOutboxOp *
fest_station_store_record_incident (FestStationStore  *self,
                                    const char        *type,
                                    double             lat,
                                    double             lng,
                                    const char        *description,
                                    GError           **error)
{
  static const char * const types[] = { "FIGHT", "THEFT", "MEDICAL", "FIRE", "LOST_PERSON", "SOS",
                                        "OTHER", NULL };
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) payload = NULL;
  g_autofree char *now = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  if (type == NULL || !g_strv_contains (types, type))
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid incident type"));
      return NULL;
    }
  if (!(lat >= -90 && lat <= 90 && lng >= -180 && lng <= 180))
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_INVALID,
                           _("Invalid position"));
      return NULL;
    }

  locker = g_mutex_locker_new (&self->mutex);
  if (!require_enrolled_locked (self, error))
    return NULL;
  now = fest_time_now ();
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, type);
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, lat);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, lng);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "description");
  json_builder_add_string_value (builder, description != NULL ? description : "");
  json_builder_end_object (builder);
  payload = build_payload (builder);

  if (!begin (self, error))
    return NULL;
  key = insert_op_locked (self, NULL, "incident.create", "INCIDENT", now, payload, NULL, 0, type, error);
  if (key == NULL)
    {
      rollback (self);
      return NULL;
    }
  if (!commit (self, error))
    return NULL;
  return get_op_by_key_locked (self, key);
}

/* Public API: sync */

static GPtrArray *
list_ops (FestStationStore *self,
          const char       *sql,
          gint64            limit)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->mutex);
  g_autoptr(sqlite3_stmt) stmt = prepare (self, sql, NULL);
  GPtrArray *ops = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_outbox_op_free);

  if (stmt == NULL)
    return ops;
  sqlite3_bind_int64 (stmt, 1, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ops, op_from_row (stmt));
  return ops;
}

GPtrArray *
fest_station_store_list_pending (FestStationStore *self,
                                 guint             limit)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 0 ORDER BY seq LIMIT ?",
                   limit);
}

GPtrArray *
fest_station_store_list_rejected (FestStationStore *self)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 2 ORDER BY seq LIMIT ?",
                   G_MAXINT64);
}

GPtrArray *
fest_station_store_list_all_ops (FestStationStore *self)
{
  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox ORDER BY seq LIMIT ?", G_MAXINT64);
}

GPtrArray *
fest_station_store_list_recent_ops (FestStationStore *self,
                                    const char       *kind,
                                    guint             limit)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *ops;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  ops = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_outbox_op_free);
  locker = g_mutex_locker_new (&self->mutex);
  /* outbox_kind (kind, seq): the last @limit entries of the index, whatever the outbox's size. */
  stmt = prepare (self,
                  "SELECT " OP_COLUMNS " FROM outbox WHERE kind = ? ORDER BY seq DESC LIMIT ?", NULL);
  if (stmt == NULL)
    return ops;
  bind_text (stmt, 1, kind);
  sqlite3_bind_int64 (stmt, 2, limit);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (ops, op_from_row (stmt));
  return ops;
}

GPtrArray *
fest_station_store_list_unconfirmed (FestStationStore *self)
{
  return list_ops (self, "SELECT " OP_COLUMNS " FROM outbox WHERE state = 3 ORDER BY seq LIMIT ?",
                   G_MAXINT);
}

gboolean
fest_station_store_resolve_unconfirmed (FestStationStore  *self,
                                        const char        *idempotency_key,
                                        const char        *entity,
                                        GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(FestOutboxOp) op = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);
  locker = g_mutex_locker_new (&self->mutex);

  op = get_op_by_key_locked (self, idempotency_key);
  if (op == NULL || op->state != FEST_OUTBOX_UNCONFIRMED)
    return TRUE;
  if (!begin (self, error))
    return FALSE;
  if (!set_op_state_locked (self, idempotency_key, entity != NULL ? FEST_OUTBOX_ACKED : FEST_OUTBOX_VOID,
                            entity, error) ||
      (entity != NULL && !take_acked_entity_locked (self, op->wallet_code, entity, error)))
    {
      rollback (self);
      return FALSE;
    }
  return commit (self, error);
}

guint
fest_station_store_count_pending (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), 0);
  locker = g_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT COUNT(*) FROM outbox WHERE state = 0", NULL);
  if (stmt == NULL || sqlite3_step (stmt) != SQLITE_ROW)
    return 0;
  return sqlite3_column_int (stmt, 0);
}

gboolean
fest_station_store_apply_results (FestStationStore  *self,
                                  JsonArray         *results,
                                  guint             *n_acked,
                                  guint             *n_rejected,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) ack = NULL;
  g_autoptr(sqlite3_stmt) reject = NULL;
  g_autoptr(sqlite3_stmt) restore = NULL;
  guint acked = 0, rejected = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (results != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  ack = prepare (self, "UPDATE outbox SET state = 1, entity = ? WHERE idempotency_key = ? "
                       "AND state = 0", error);
  reject = prepare (self, "UPDATE outbox SET state = 2, error_code = ?, error_message = ? "
                          "WHERE idempotency_key = ? AND state = 0", error);
  /* A refused cancel is no cancel: its sale stays a sale. */
  restore = prepare (self, "UPDATE outbox SET cancelled_by = NULL WHERE cancelled_by = ?", error);
  if (ack == NULL || reject == NULL || restore == NULL)
    return FALSE;
  if (!begin (self, error))
    return FALSE;

  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonNode *node = json_array_get_element (results, i);
      JsonObject *result;
      const char *key, *status;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      result = json_node_get_object (node);
      key = json_object_get_string_member_with_default (result, "idempotency_key", NULL);
      status = json_object_get_string_member_with_default (result, "status", NULL);
      if (key == NULL || status == NULL)
        continue;

      if (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"))
        {
          JsonNode *entity = json_object_get_member (result, "entity");
          g_autofree char *entity_text = NULL;

          if (entity != NULL && !JSON_NODE_HOLDS_NULL (entity))
            entity_text = fest_json_to_string (entity, NULL);
          sqlite3_reset (ack);
          bind_text (ack, 1, entity_text);
          bind_text (ack, 2, key);
          if (!step_done (self, ack, error))
            {
              rollback (self);
              return FALSE;
            }
          acked += sqlite3_changes (self->db);
        }
      else if (g_str_equal (status, "rejected"))
        {
          JsonObject *err = NULL;
          const char *code = "INTERNAL";
          const char *message = "";

          if (json_object_has_member (result, "error") &&
              JSON_NODE_HOLDS_OBJECT (json_object_get_member (result, "error")))
            err = json_object_get_object_member (result, "error");
          if (err != NULL)
            {
              code = json_object_get_string_member_with_default (err, "code", code);
              message = json_object_get_string_member_with_default (err, "message", message);
            }
          sqlite3_reset (reject);
          bind_text (reject, 1, code);
          bind_text (reject, 2, message);
          bind_text (reject, 3, key);
          if (!step_done (self, reject, error))
            {
              rollback (self);
              return FALSE;
            }
          rejected += sqlite3_changes (self->db);
          sqlite3_reset (restore);
          bind_text (restore, 1, key);
          if (!step_done (self, restore, error))
            {
              rollback (self);
              return FALSE;
            }
        }
    }

  if (!commit (self, error))
    return FALSE;
  if (n_acked != NULL)
    *n_acked = acked;
  if (n_rejected != NULL)
    *n_rejected = rejected;
  return TRUE;
}

static gint64
member_int (JsonObject *object,
            const char *member,
            gint64      default_value)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return default_value;
  if (json_node_get_value_type (node) == G_TYPE_INT64)
    return json_node_get_int (node);
  if (json_node_get_value_type (node) == G_TYPE_DOUBLE)
    return (gint64) json_node_get_double (node);
  if (json_node_get_value_type (node) == G_TYPE_BOOLEAN)
    return json_node_get_boolean (node) ? 1 : 0;
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return default_value;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  return json_node_get_array (node);
}

static gboolean
apply_products (FestStationStore  *self,
                JsonArray         *products,
                GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (products == NULL)
    return TRUE;
  stmt = prepare (self, "INSERT INTO products (id, stand_id, name, price, vat_rate_bp, category, "
                        "stock, is_active, deleted, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
                        "?9, ?10) ON CONFLICT(id) DO UPDATE SET stand_id = excluded.stand_id, "
                        "name = excluded.name, price = excluded.price, "
                        "vat_rate_bp = excluded.vat_rate_bp, category = excluded.category, "
                        "stock = excluded.stock, is_active = excluded.is_active, "
                        "deleted = excluded.deleted, rev = excluded.rev "
                        "WHERE excluded.rev >= products.rev", error);
  if (stmt == NULL)
    return FALSE;

  for (guint i = 0; i < json_array_get_length (products); i++)
    {
      JsonNode *node = json_array_get_element (products, i);
      JsonObject *product;
      JsonNode *stock, *vat;
      guint rate_bp = 0;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      product = json_node_get_object (node);
      if (member_string (product, "id") == NULL)
        continue;
      vat = json_object_get_member (product, "vat_rate");
      if (vat != NULL && JSON_NODE_HOLDS_VALUE (vat))
        {
          double percent = json_node_get_value_type (vat) == G_TYPE_INT64
                           ? (double) json_node_get_int (vat) : json_node_get_double (vat);

          if (!fest_vat_rate_from_percent (percent, &rate_bp))
            rate_bp = 0;
        }
      else
        rate_bp = member_int (product, "vat_rate_bp", 0);

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      bind_text (stmt, 1, member_string (product, "id"));
      bind_text (stmt, 2, member_string (product, "stand_id"));
      bind_text (stmt, 3, member_string (product, "name") ? member_string (product, "name") : "");
      sqlite3_bind_int64 (stmt, 4, member_int (product, "price", 0));
      sqlite3_bind_int (stmt, 5, rate_bp);
      bind_text (stmt, 6, member_string (product, "category"));
      stock = json_object_get_member (product, "stock");
      if (stock != NULL && JSON_NODE_HOLDS_VALUE (stock))
        sqlite3_bind_int64 (stmt, 7, member_int (product, "stock", 0));
      else
        sqlite3_bind_null (stmt, 7);
      sqlite3_bind_int (stmt, 8, member_int (product, "is_active", 1) != 0);
      sqlite3_bind_int (stmt, 9, member_int (product, "deleted", 0) != 0);
      sqlite3_bind_int64 (stmt, 10, member_int (product, "rev", 0));
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_wallets (FestStationStore  *self,
               JsonArray         *wallets,
               GError           **error)
{
  if (wallets == NULL)
    return TRUE;
  for (guint i = 0; i < json_array_get_length (wallets); i++)
    {
      JsonNode *node = json_array_get_element (wallets, i);
      JsonObject *wallet;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      wallet = json_node_get_object (node);
      if (member_string (wallet, "id") == NULL || member_string (wallet, "code") == NULL)
        continue;
      if (!upsert_wallet_locked (self, member_string (wallet, "id"), member_string (wallet, "code"),
                                 member_int (wallet, "balance", 0),
                                 member_int (wallet, "overdrawn", 0) != 0,
                                 MAX (member_int (wallet, "rev", 0), 0), error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_tickets (FestStationStore  *self,
               JsonArray         *tickets,
               GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (tickets == NULL)
    return TRUE;
  stmt = prepare (self, "INSERT INTO tickets (id, ticket_type_id, status, used_at, used_gate, rev, "
                        "inside, holder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
                        "ticket_type_id = excluded.ticket_type_id, status = excluded.status, "
                        "used_at = excluded.used_at, used_gate = excluded.used_gate, "
                        "rev = excluded.rev, inside = excluded.inside, holder = excluded.holder "
                        "WHERE excluded.rev >= tickets.rev", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (tickets); i++)
    {
      JsonNode *node = json_array_get_element (tickets, i);
      JsonObject *ticket;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      ticket = json_node_get_object (node);
      if (member_string (ticket, "id") == NULL)
        continue;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      bind_text (stmt, 1, member_string (ticket, "id"));
      bind_text (stmt, 2, member_string (ticket, "ticket_type_id"));
      bind_text (stmt, 3, member_string (ticket, "status") ? member_string (ticket, "status")
                                                            : "VALID");
      bind_text (stmt, 4, member_string (ticket, "used_at"));
      bind_text (stmt, 5, member_string (ticket, "used_gate") ? member_string (ticket, "used_gate")
                                                               : member_string (ticket, "gate"));
      sqlite3_bind_int64 (stmt, 6, member_int (ticket, "rev", 0));
      sqlite3_bind_int (stmt, 7, member_int (ticket, "inside", 0) != 0);
      bind_text (stmt, 8, member_string (ticket, "holder_name"));
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_ticket_types (FestStationStore  *self,
                    JsonArray         *types,
                    GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (types == NULL)
    return TRUE;
  stmt = prepare (self, "INSERT INTO ticket_types (id, code, name, reentry_allowed, rev) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
                        "code = excluded.code, name = excluded.name, "
                        "reentry_allowed = excluded.reentry_allowed, rev = excluded.rev "
                        "WHERE excluded.rev >= ticket_types.rev", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (types); i++)
    {
      JsonNode *node = json_array_get_element (types, i);
      JsonObject *type;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      type = json_node_get_object (node);
      if (member_string (type, "id") == NULL)
        continue;
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      bind_text (stmt, 1, member_string (type, "id"));
      bind_text (stmt, 2, member_string (type, "code"));
      bind_text (stmt, 3, member_string (type, "name"));
      sqlite3_bind_int (stmt, 4, member_int (type, "reentry_allowed", 0) != 0);
      sqlite3_bind_int64 (stmt, 5, member_int (type, "rev", 0));
      if (!step_done (self, stmt, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_stands (FestStationStore  *self,
              JsonArray         *stands,
              GError           **error)
{
  g_autofree char *own = NULL;

  if (stands == NULL)
    return TRUE;
  own = get_setting_locked (self, FEST_STATION_KEY_STAND_ID);
  for (guint i = 0; i < json_array_get_length (stands); i++)
    {
      JsonNode *node = json_array_get_element (stands, i);
      JsonObject *stand, *location = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      stand = json_node_get_object (node);
      if (own == NULL || g_strcmp0 (member_string (stand, "id"), own) != 0)
        continue;
      if (!set_setting_locked (self, FEST_STATION_KEY_STAND_NAME, member_string (stand, "name"),
                               error))
        return FALSE;
      if (json_object_has_member (stand, "location") &&
          JSON_NODE_HOLDS_OBJECT (json_object_get_member (stand, "location")))
        location = json_object_get_object_member (stand, "location");
      if (location != NULL && json_object_has_member (location, "lat") &&
          JSON_NODE_HOLDS_VALUE (json_object_get_member (location, "lat")))
        {
          char lat[G_ASCII_DTOSTR_BUF_SIZE], lng[G_ASCII_DTOSTR_BUF_SIZE];

          g_ascii_dtostr (lat, sizeof lat,
                          json_object_get_double_member_with_default (location, "lat", 0));
          g_ascii_dtostr (lng, sizeof lng,
                          json_object_get_double_member_with_default (location, "lng", 0));
          if (!set_setting_locked (self, FEST_STATION_KEY_STAND_LAT, lat, error) ||
              !set_setting_locked (self, FEST_STATION_KEY_STAND_LNG, lng, error))
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
apply_alerts (FestStationStore  *self,
              JsonArray         *alerts,
              guint             *n_new,
              GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (alerts == NULL)
    return TRUE;
  stmt = prepare (self, "INSERT OR IGNORE INTO alerts (id, body, rev) VALUES (?, ?, ?)", error);
  if (stmt == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonNode *node = json_array_get_element (alerts, i);
      g_autofree char *body = NULL;
      JsonObject *alert;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      alert = json_node_get_object (node);
      if (member_string (alert, "id") == NULL)
        continue;
      body = fest_json_to_string (node, NULL);
      sqlite3_reset (stmt);
      bind_text (stmt, 1, member_string (alert, "id"));
      bind_text (stmt, 2, body);
      sqlite3_bind_int64 (stmt, 3, member_int (alert, "rev", 0));
      if (!step_done (self, stmt, error))
        return FALSE;
      *n_new += sqlite3_changes (self->db);
    }
  return TRUE;
}

static gboolean
apply_festival (FestStationStore  *self,
                JsonObject        *changes,
                GError           **error)
{
  JsonNode *node = json_object_get_member (changes, "festival");
  JsonObject *festival;
  const char *text;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return TRUE;
  festival = json_node_get_object (node);
  if ((text = member_string (festival, "currency_name")) != NULL &&
      !set_setting_locked (self, FEST_STATION_KEY_CURRENCY_NAME, text, error))
    return FALSE;
  if (json_object_has_member (festival, "exchange_rate_cents"))
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                member_int (festival, "exchange_rate_cents", 10));
      if (!set_setting_locked (self, FEST_STATION_KEY_EXCHANGE_RATE, value, error))
        return FALSE;
    }
  if (json_object_has_member (festival, "offline_allowance"))
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                member_int (festival, "offline_allowance", 0));
      if (!set_setting_locked (self, FEST_STATION_KEY_OFFLINE_ALLOWANCE, value, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
fest_station_store_apply_changes (FestStationStore  *self,
                                  JsonObject        *changes,
                                  guint             *n_alerts,
                                  GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  const char *cursor;
  guint new_alerts = 0;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!begin (self, error))
    return FALSE;
  if (!apply_products (self, member_array (changes, "products"), error) ||
      !apply_wallets (self, member_array (changes, "wallets"), error) ||
      !apply_tickets (self, member_array (changes, "tickets"), error) ||
      !apply_ticket_types (self, member_array (changes, "ticket_types"), error) ||
      !apply_stands (self, member_array (changes, "stands"), error) ||
      !apply_alerts (self, member_array (changes, "alerts"), &new_alerts, error) ||
      !apply_festival (self, changes, error))
    {
      rollback (self);
      return FALSE;
    }

  cursor = member_string (changes, "cursor");
  if (cursor == NULL && json_object_has_member (changes, "cursor"))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 member_int (changes, "cursor", 0));
      if (!set_setting_locked (self, "cursor", number, error))
        {
          rollback (self);
          return FALSE;
        }
    }
  else if (cursor != NULL && !set_setting_locked (self, "cursor", cursor, error))
    {
      rollback (self);
      return FALSE;
    }

  if (!commit (self, error))
    return FALSE;
  if (n_alerts != NULL)
    *n_alerts = new_alerts;
  return TRUE;
}

char *
fest_station_store_get_cursor (FestStationStore *self)
{
  char *cursor = fest_station_store_get_setting (self, "cursor");

  return cursor != NULL ? cursor : g_strdup ("0");
}

GPtrArray *
fest_station_store_take_new_alerts (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GPtrArray *alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) json_node_unref);

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), alerts);
  locker = g_mutex_locker_new (&self->mutex);
  stmt = prepare (self, "SELECT body FROM alerts WHERE shown = 0 ORDER BY rev, id", NULL);
  if (stmt == NULL)
    return alerts;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonNode *node = fest_json_parse ((const char *) sqlite3_column_text (stmt, 0), -1, NULL);

      if (node != NULL)
        g_ptr_array_add (alerts, node);
    }
  exec_sql (self, "UPDATE alerts SET shown = 1 WHERE shown = 0", NULL);
  return alerts;
}

/* Public API: shift report */

gboolean
fest_station_store_start_shift (FestStationStore  *self,
                                GError           **error)
{
  g_autofree char *now = fest_time_now ();

  return fest_station_store_set_setting (self, FEST_STATION_KEY_SHIFT_START, now, error);
}

static int
compare_product_lines (gconstpointer a,
                       gconstpointer b)
{
  const FestShiftProductLine *la = *(FestShiftProductLine * const *) a;
  const FestShiftProductLine *lb = *(FestShiftProductLine * const *) b;

  return g_utf8_collate (la->name, lb->name);
}

static int
compare_vat_lines (gconstpointer a,
                   gconstpointer b)
{
  const FestShiftVatLine *la = *(FestShiftVatLine * const *) a;
  const FestShiftVatLine *lb = *(FestShiftVatLine * const *) b;

  return (int) lb->vat_rate_bp - (int) la->vat_rate_bp;
}

FestShiftSummary *
fest_station_store_get_shift_summary (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GHashTable) by_product = NULL;
  g_autoptr(GHashTable) by_rate = NULL;
  FestShiftSummary *summary;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);

  summary = g_new0 (FestShiftSummary, 1);
  summary->products = g_ptr_array_new_with_free_func ((GDestroyNotify) shift_product_line_free);
  summary->vat = g_ptr_array_new_with_free_func (g_free);
  summary->until = fest_time_now ();

  locker = g_mutex_locker_new (&self->mutex);
  summary->since = get_setting_locked (self, FEST_STATION_KEY_SHIFT_START);
  if (summary->since == NULL)
    summary->since = g_strdup ("0000-01-01T00:00:00Z");

  by_product = g_hash_table_new (g_str_hash, g_str_equal);
  by_rate = g_hash_table_new (g_direct_hash, g_direct_equal);

  /* Sales not cancelled and not refused by the server, line by line. */
  stmt = prepare (self, "SELECT l.product_id, l.name, l.quantity, l.unit_price, l.vat_rate_bp "
                        "FROM outbox o JOIN sale_lines l ON l.op_key = o.idempotency_key "
                        "WHERE o.kind = 'PAYMENT' AND o.state IN (0, 1) AND (o.cancelled_by IS NULL OR o.cancelled_by IN "
                        "(SELECT idempotency_key FROM outbox WHERE state = 2)) "
                        "AND o.created_at >= ? ORDER BY o.seq, l.line_no", NULL);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, summary->since);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *product_id = (const char *) sqlite3_column_text (stmt, 0);
          gint64 quantity = sqlite3_column_int64 (stmt, 2);
          gint64 unit_price = sqlite3_column_int64 (stmt, 3);
          guint rate = sqlite3_column_int (stmt, 4);
          FestShiftProductLine *line = g_hash_table_lookup (by_product, product_id);
          FestShiftVatLine *vat_line = g_hash_table_lookup (by_rate, GUINT_TO_POINTER (rate + 1));
          gint64 gross = 0, vat = 0;

          fest_money_mul (unit_price, quantity, &gross);
          fest_vat_line_amount (unit_price, quantity, rate, &vat);
          if (line == NULL)
            {
              line = g_new0 (FestShiftProductLine, 1);
              line->product_id = g_strdup (product_id);
              line->name = column_dup (stmt, 1);
              line->vat_rate_bp = rate;
              g_ptr_array_add (summary->products, line);
              g_hash_table_insert (by_product, line->product_id, line);
            }
          if (vat_line == NULL)
            {
              vat_line = g_new0 (FestShiftVatLine, 1);
              vat_line->vat_rate_bp = rate;
              g_ptr_array_add (summary->vat, vat_line);
              g_hash_table_insert (by_rate, GUINT_TO_POINTER (rate + 1), vat_line);
            }
          line->quantity += quantity;
          line->amount += gross;
          vat_line->gross += gross;
          vat_line->vat += vat;
          summary->sales_total += gross;
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  stmt = prepare (self, "SELECT kind, note, amount_delta, cancelled_by IS NOT NULL AND cancelled_by NOT IN "
                        "(SELECT idempotency_key FROM outbox WHERE state = 2) FROM outbox "
                        "WHERE state IN (0, 1) AND created_at >= ? "
                        "AND kind IN ('PAYMENT', 'RECHARGE', 'CANCEL')", NULL);
  if (stmt != NULL)
    {
      bind_text (stmt, 1, summary->since);
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          const char *kind = (const char *) sqlite3_column_text (stmt, 0);
          const char *note = (const char *) sqlite3_column_text (stmt, 1);
          gint64 delta = sqlite3_column_int64 (stmt, 2);

          if (g_strcmp0 (kind, "PAYMENT") == 0 && sqlite3_column_int (stmt, 3) == 0)
            summary->n_sales++;
          else if (g_strcmp0 (kind, "CANCEL") == 0)
            summary->n_cancels++;
          else if (g_strcmp0 (kind, "RECHARGE") == 0)
            {
              summary->n_recharges++;
              if (g_strcmp0 (note, "CARD") == 0)
                summary->recharges_card += delta;
              else
                summary->recharges_cash += delta;
            }
        }
    }

  g_ptr_array_sort (summary->products, compare_product_lines);
  g_ptr_array_sort (summary->vat, compare_vat_lines);
  return summary;
}
