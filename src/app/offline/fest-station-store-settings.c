/* fest-station-store-settings.c: station settings: enrollment, PIN, festival parameters
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

char *
_fest_station_get_setting_locked (FestStationStore *self,
                                  const char       *key)
{
  g_autoptr(sqlite3_stmt) stmt = _fest_station_prepare (self,
                                                        "SELECT value FROM settings WHERE key = ?", NULL);

  if (stmt == NULL)
    return NULL;
  _fest_station_bind_text (stmt, 1, key);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    return _fest_station_column_dup (stmt, 0);
  return NULL;
}

gboolean
_fest_station_set_setting_locked (FestStationStore  *self,
                                  const char        *key,
                                  const char        *value,
                                  GError           **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (value == NULL)
    stmt = _fest_station_prepare (self, "DELETE FROM settings WHERE key = ?", error);
  else
    stmt = _fest_station_prepare (self, "INSERT INTO settings (key, value) VALUES (?, ?) "
                                        "ON CONFLICT(key) DO UPDATE SET value = excluded.value", error);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, key);
  if (value != NULL)
    _fest_station_bind_text (stmt, 2, value);
  return _fest_station_step_done (self, stmt, error);
}

static gint64
get_setting_int_locked (FestStationStore *self,
                        const char       *key,
                        gint64            default_value)
{
  g_autofree char *value = _fest_station_get_setting_locked (self, key);
  gint64 result;
  char *end = NULL;

  if (value == NULL || *value == '\0')
    return default_value;
  result = g_ascii_strtoll (value, &end, 10);
  if (end == NULL || *end != '\0')
    return default_value;
  return result;
}

gboolean
_fest_station_require_enrolled_locked (FestStationStore  *self,
                                       GError           **error)
{
  g_autofree char *device = _fest_station_get_setting_locked (self, FEST_STATION_KEY_DEVICE_ID);

  if (device == NULL)
    {
      g_set_error_literal (error, FEST_STATION_STORE_ERROR, FEST_STATION_STORE_ERROR_NOT_ENROLLED,
                           _("This station is not enrolled"));
      return FALSE;
    }
  return TRUE;
}

char *
fest_station_store_get_setting (FestStationStore *self,
                                const char       *key)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), NULL);
  locker = _fest_station_lock (self);
  return _fest_station_get_setting_locked (self, key);
}

gint64
fest_station_store_get_setting_int (FestStationStore *self,
                                    const char       *key,
                                    gint64            default_value)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), default_value);
  locker = _fest_station_lock (self);
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
  locker = _fest_station_lock (self);
  return _fest_station_set_setting_locked (self, key, value, error);
}

gboolean
fest_station_store_is_enrolled (FestStationStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *device = NULL;
  g_autofree char *festival = NULL;
  g_autofree char *mode = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = _fest_station_lock (self);
  device = _fest_station_get_setting_locked (self, FEST_STATION_KEY_DEVICE_ID);
  festival = _fest_station_get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
  mode = _fest_station_get_setting_locked (self, FEST_STATION_KEY_MODE);
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

  locker = _fest_station_lock (self);
  {
    /* Enrolling again (e.g. after the device was revoked) keeps the outbox, to push it with the
     * new token: only a token of the same festival may take it over. */
    g_autofree char *current = _fest_station_get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
    g_autoptr(sqlite3_stmt) stmt = NULL;

    if (current != NULL && !g_str_equal (current, festival_id))
      {
        stmt = _fest_station_prepare (self,
                                      "SELECT COUNT(*) FROM outbox WHERE state IN (0, 3)", error);
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
  if (!_fest_station_begin (self, error))
    return FALSE;
  if (!_fest_station_set_setting_locked (self, FEST_STATION_KEY_SERVER_URL, server_url, error) ||
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_DEVICE_ID, device_id, error) ||
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_DEVICE_NAME, device_name, error) ||
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID, festival_id, error) ||
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_STAND_ID, stand_id, error) ||
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_MODE, mode, error))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  return _fest_station_commit (self, error);
}

gboolean
fest_station_store_unenroll (FestStationStore  *self,
                             GError           **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  locker = _fest_station_lock (self);

  stmt = _fest_station_prepare (self, "SELECT COUNT(*) FROM outbox WHERE state IN (0, 3)", error);
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
  if (!_fest_station_begin (self, error))
    return FALSE;
  /* Only the enrollment goes: the outbox (the shift's sales, scans and reports), the PIN and the
   * cache stay on the device, for the shift report and an enrollment with the same festival. */
  if (!_fest_station_exec_sql (self, "DELETE FROM settings WHERE key IN ('" FEST_STATION_KEY_DEVICE_ID "', '"
                                     FEST_STATION_KEY_DEVICE_NAME "', '" FEST_STATION_KEY_STAND_ID "', '"
                                     FEST_STATION_KEY_MODE "');", error))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  return _fest_station_commit (self, error);
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
