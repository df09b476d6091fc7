/* fest-station-store-gate.c: the gate's ticket scans and this station's used set
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

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
  payload = json_builder_get_root (builder);

  if (!_fest_station_begin (self, error))
    return FALSE;
  op_key = _fest_station_insert_op_locked (self, NULL, "ticket.scan", "SCAN", scanned_at, payload, NULL, 0, direction,
                                           error);
  if (op_key == NULL)
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  /* The first admission's time and gate stay; re-entries and exits only flip "inside". */
  stmt = _fest_station_prepare (self,
                                "INSERT INTO local_scans (ticket_id, scanned_at, gate, idempotency_key, inside) "
                                "VALUES (?1, ?2, ?3, ?4, ?5) "
                                "ON CONFLICT(ticket_id) DO UPDATE SET inside = excluded.inside", error);
  if (stmt == NULL)
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  _fest_station_bind_text (stmt, 1, ticket_id);
  _fest_station_bind_text (stmt, 2, scanned_at);
  _fest_station_bind_text (stmt, 3, gate);
  _fest_station_bind_text (stmt, 4, op_key);
  sqlite3_bind_int (stmt, 5, in ? 1 : 0);
  if (!_fest_station_step_done (self, stmt, error))
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  if (!_fest_station_commit (self, error))
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

  locker = _fest_station_lock (self);
  if (!_fest_station_require_enrolled_locked (self, error))
    return FALSE;

  key_text = _fest_station_get_setting_locked (self, FEST_STATION_KEY_TICKET_KEY);
  if (key_text != NULL)
    raw_key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
  if (raw_key == NULL || key_len != FEST_TICKET_PUBLIC_KEY_BYTES)
    {
      verdict->reason = FEST_SCAN_REASON_NO_KEY;
      return TRUE;
    }

  festival_id = _fest_station_get_setting_locked (self, FEST_STATION_KEY_FESTIVAL_ID);
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
  stmt = _fest_station_prepare (self,
                                "SELECT reentry_allowed FROM ticket_types WHERE code = ?", error);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, verdict->type_code);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    reentry = sqlite3_column_int (stmt, 0) != 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* The cache: cancelled, or used elsewhere (as the server last told us). */
  stmt = _fest_station_prepare (self,
                                "SELECT status, used_at, used_gate, inside FROM tickets WHERE id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, verdict->ticket_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      cached_status = _fest_station_column_dup (stmt, 0);
      cached_inside = sqlite3_column_int (stmt, 3) != 0;
      if (g_strcmp0 (cached_status, "CANCELLED") == 0)
        {
          verdict->reason = FEST_SCAN_REASON_CANCELLED;
          return TRUE;
        }
      if (g_strcmp0 (cached_status, "USED") == 0)
        {
          verdict->first_scan_at = _fest_station_column_dup (stmt, 1);
          verdict->first_gate = _fest_station_column_dup (stmt, 2);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* This station's own used set (covers scans the server has not acknowledged yet). */
  stmt = _fest_station_prepare (self,
                                "SELECT scanned_at, gate, inside FROM local_scans WHERE ticket_id = ?", error);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, verdict->ticket_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      local_seen = TRUE;
      local_inside = sqlite3_column_int (stmt, 2) != 0;
      if (verdict->first_scan_at == NULL)
        {
          verdict->first_scan_at = _fest_station_column_dup (stmt, 0);
          verdict->first_gate = _fest_station_column_dup (stmt, 1);
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
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self, "SELECT COUNT(*) FROM local_scans", NULL);
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
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self,
                                "SELECT t.holder, tt.name FROM tickets t LEFT JOIN ticket_types tt "
                                "ON tt.id = t.ticket_type_id WHERE t.id = ?1", NULL);
  if (stmt == NULL)
    return FALSE;
  _fest_station_bind_text (stmt, 1, ticket_id);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return FALSE;
  *holder = _fest_station_column_dup (stmt, 0);
  *type_name = _fest_station_column_dup (stmt, 1);
  return TRUE;
}
