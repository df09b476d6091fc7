/* fest-station-store-changes.c: GET /sync/changes applied to the station's cache, alerts
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-core.h"
#include "fest-station-store-private.h"

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

/* GET /sync/changes pages hold up to 5,000 rows. Applied in one transaction, such a page would keep
 * the store's mutex (and the cashier waiting for it) for a long time: rows are applied in slices
 * of at most SLICE_MAX_ROWS rows or SLICE_MAX_US, each its own transaction, and the mutex is free
 * between two slices. The page's cursor is stored with its last slice only, so a page cut short
 * (an error, a crash) is pulled again from the old cursor and applied again: every row carries its
 * rev and an older or equal rev never overwrites a newer one, so applying twice changes nothing. */
#define SLICE_MAX_ROWS 128
#define SLICE_MAX_US   4000
/* Between two slices, how long the applying thread leaves the mutex to the threads waiting for it
 * (at most; it goes on as soon as none waits). */
#define SLICE_YIELD_MAX_US 20000

typedef gboolean (*ApplyRowFunc) (FestStationStore  *self,
                                  sqlite3_stmt      *stmt,
                                  JsonObject        *row,
                                  guint             *n_new,
                                  GError           **error);

static gboolean
apply_product (FestStationStore  *self,
               sqlite3_stmt      *stmt,
               JsonObject        *product,
               guint             *n_new,
               GError           **error)
{
  JsonNode *stock, *vat;
  guint rate_bp = 0;

  if (member_string (product, "id") == NULL)
    return TRUE;
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

  _fest_station_bind_text (stmt, 1, member_string (product, "id"));
  _fest_station_bind_text (stmt, 2, member_string (product, "stand_id"));
  _fest_station_bind_text (stmt, 3, member_string (product, "name") ? member_string (product, "name") : "");
  sqlite3_bind_int64 (stmt, 4, member_int (product, "price", 0));
  sqlite3_bind_int (stmt, 5, rate_bp);
  _fest_station_bind_text (stmt, 6, member_string (product, "category"));
  stock = json_object_get_member (product, "stock");
  if (stock != NULL && JSON_NODE_HOLDS_VALUE (stock))
    sqlite3_bind_int64 (stmt, 7, member_int (product, "stock", 0));
  else
    sqlite3_bind_null (stmt, 7);
  sqlite3_bind_int (stmt, 8, member_int (product, "is_active", 1) != 0);
  sqlite3_bind_int (stmt, 9, member_int (product, "deleted", 0) != 0);
  sqlite3_bind_int64 (stmt, 10, member_int (product, "rev", 0));
  return _fest_station_step_done (self, stmt, error);
}

static gboolean
apply_wallet (FestStationStore  *self,
              sqlite3_stmt      *stmt,
              JsonObject        *wallet,
              guint             *n_new,
              GError           **error)
{
  if (member_string (wallet, "id") == NULL || member_string (wallet, "code") == NULL)
    return TRUE;
  _fest_station_bind_wallet (stmt, member_string (wallet, "id"), member_string (wallet, "code"),
                             member_int (wallet, "balance", 0), member_int (wallet, "overdrawn", 0) != 0,
                             MAX (member_int (wallet, "rev", 0), 0));
  return _fest_station_step_done (self, stmt, error);
}

static gboolean
apply_ticket (FestStationStore  *self,
              sqlite3_stmt      *stmt,
              JsonObject        *ticket,
              guint             *n_new,
              GError           **error)
{
  if (member_string (ticket, "id") == NULL)
    return TRUE;
  _fest_station_bind_text (stmt, 1, member_string (ticket, "id"));
  _fest_station_bind_text (stmt, 2, member_string (ticket, "ticket_type_id"));
  _fest_station_bind_text (stmt, 3, member_string (ticket, "status") ? member_string (ticket, "status")
                                                                                   : "VALID");
  _fest_station_bind_text (stmt, 4, member_string (ticket, "used_at"));
  _fest_station_bind_text (stmt, 5, member_string (ticket, "used_gate") ? member_string (ticket, "used_gate")
                                                                                      : member_string (ticket, "gate"));
  sqlite3_bind_int64 (stmt, 6, member_int (ticket, "rev", 0));
  sqlite3_bind_int (stmt, 7, member_int (ticket, "inside", 0) != 0);
  _fest_station_bind_text (stmt, 8, member_string (ticket, "holder_name"));
  return _fest_station_step_done (self, stmt, error);
}

static gboolean
apply_ticket_type (FestStationStore  *self,
                   sqlite3_stmt      *stmt,
                   JsonObject        *type,
                   guint             *n_new,
                   GError           **error)
{
  if (member_string (type, "id") == NULL)
    return TRUE;
  _fest_station_bind_text (stmt, 1, member_string (type, "id"));
  _fest_station_bind_text (stmt, 2, member_string (type, "code"));
  _fest_station_bind_text (stmt, 3, member_string (type, "name"));
  sqlite3_bind_int (stmt, 4, member_int (type, "reentry_allowed", 0) != 0);
  sqlite3_bind_int64 (stmt, 5, member_int (type, "rev", 0));
  return _fest_station_step_done (self, stmt, error);
}

static gboolean
apply_alert (FestStationStore  *self,
             sqlite3_stmt      *stmt,
             JsonObject        *alert,
             guint             *n_new,
             GError           **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *body = NULL;

  if (member_string (alert, "id") == NULL)
    return TRUE;
  node = json_node_init_object (json_node_alloc (), alert);
  body = fest_json_to_string (node, NULL);
  _fest_station_bind_text (stmt, 1, member_string (alert, "id"));
  _fest_station_bind_text (stmt, 2, body);
  sqlite3_bind_int64 (stmt, 3, member_int (alert, "rev", 0));
  if (!_fest_station_step_done (self, stmt, error))
    return FALSE;
  *n_new += sqlite3_changes (self->db);
  return TRUE;
}

/* The rows of a page, in the order they are applied. */
static const struct
{
  const char   *member;
  const char   *sql;
  ApplyRowFunc  apply;
} row_kinds[] = {
  { "products",
    "INSERT INTO products (id, stand_id, name, price, vat_rate_bp, category, "
    "stock, is_active, deleted, rev) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, "
    "?9, ?10) ON CONFLICT(id) DO UPDATE SET stand_id = excluded.stand_id, "
    "name = excluded.name, price = excluded.price, "
    "vat_rate_bp = excluded.vat_rate_bp, category = excluded.category, "
    "stock = excluded.stock, is_active = excluded.is_active, "
    "deleted = excluded.deleted, rev = excluded.rev "
    "WHERE excluded.rev >= products.rev",
    apply_product },
  { "wallets", WALLET_UPSERT_SQL, apply_wallet },
  { "tickets",
    "INSERT INTO tickets (id, ticket_type_id, status, used_at, used_gate, rev, "
    "inside, holder) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT(id) DO UPDATE SET "
    "ticket_type_id = excluded.ticket_type_id, status = excluded.status, "
    "used_at = excluded.used_at, used_gate = excluded.used_gate, "
    "rev = excluded.rev, inside = excluded.inside, holder = excluded.holder "
    "WHERE excluded.rev >= tickets.rev",
    apply_ticket },
  { "ticket_types",
    "INSERT INTO ticket_types (id, code, name, reentry_allowed, rev) "
    "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(id) DO UPDATE SET "
    "code = excluded.code, name = excluded.name, "
    "reentry_allowed = excluded.reentry_allowed, rev = excluded.rev "
    "WHERE excluded.rev >= ticket_types.rev",
    apply_ticket_type },
  { "alerts", "INSERT OR IGNORE INTO alerts (id, body, rev) VALUES (?, ?, ?)", apply_alert },
};

#define N_ROW_KINDS G_N_ELEMENTS (row_kinds)

/* Where a page's application stands: the next row to apply. */
typedef struct
{
  JsonObject *changes;
  JsonArray  *rows[N_ROW_KINDS];
  guint       kind;
  guint       index;
  guint       n_alerts;
} PageProgress;

static gboolean
apply_stands (FestStationStore  *self,
              JsonArray         *stands,
              GError           **error)
{
  g_autofree char *own = NULL;

  if (stands == NULL)
    return TRUE;
  own = _fest_station_get_setting_locked (self, FEST_STATION_KEY_STAND_ID);
  for (guint i = 0; i < json_array_get_length (stands); i++)
    {
      JsonNode *node = json_array_get_element (stands, i);
      JsonObject *stand, *location = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      stand = json_node_get_object (node);
      if (own == NULL || g_strcmp0 (member_string (stand, "id"), own) != 0)
        continue;
      if (!_fest_station_set_setting_locked (self, FEST_STATION_KEY_STAND_NAME, member_string (stand, "name"),
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
          if (!_fest_station_set_setting_locked (self, FEST_STATION_KEY_STAND_LAT, lat, error) ||
              !_fest_station_set_setting_locked (self, FEST_STATION_KEY_STAND_LNG, lng, error))
            return FALSE;
        }
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
      !_fest_station_set_setting_locked (self, FEST_STATION_KEY_CURRENCY_NAME, text, error))
    return FALSE;
  if (json_object_has_member (festival, "exchange_rate_cents"))
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                member_int (festival, "exchange_rate_cents", 10));
      if (!_fest_station_set_setting_locked (self, FEST_STATION_KEY_EXCHANGE_RATE, value, error))
        return FALSE;
    }
  if (json_object_has_member (festival, "offline_allowance"))
    {
      g_autofree char *value = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                member_int (festival, "offline_allowance", 0));
      if (!_fest_station_set_setting_locked (self, FEST_STATION_KEY_OFFLINE_ALLOWANCE, value, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
store_cursor (FestStationStore  *self,
              JsonObject        *changes,
              GError           **error)
{
  const char *cursor = member_string (changes, "cursor");

  if (cursor == NULL && json_object_has_member (changes, "cursor"))
    {
      g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                 member_int (changes, "cursor", 0));
      return _fest_station_set_setting_locked (self, "cursor", number, error);
    }
  if (cursor != NULL)
    return _fest_station_set_setting_locked (self, "cursor", cursor, error);
  return TRUE;
}

/* One transaction: the next rows of the page, within the slice's bounds; with the page's last
 * rows, its stand, festival parameters and cursor. *done tells whether the page is all applied. */
static gboolean
apply_slice (FestStationStore  *self,
             PageProgress      *progress,
             gboolean          *done,
             GError           **error)
{
  g_autoptr(GMutexLocker) locker = _fest_station_lock (self);
  sqlite3_stmt *stmts[N_ROW_KINDS] = { NULL };
  gint64 deadline = g_get_monotonic_time () + SLICE_MAX_US;
  guint n_rows = 0;
  gboolean ok = FALSE;

  if (!_fest_station_begin (self, error))
    return FALSE;

  while (progress->kind < N_ROW_KINDS)
    {
      JsonArray *rows = progress->rows[progress->kind];
      JsonNode *node;

      if (rows == NULL || progress->index >= json_array_get_length (rows))
        {
          progress->kind++;
          progress->index = 0;
          continue;
        }
      if (n_rows >= SLICE_MAX_ROWS || (n_rows > 0 && g_get_monotonic_time () >= deadline))
        break;
      node = json_array_get_element (rows, progress->index++);
      n_rows++;
      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      if (stmts[progress->kind] == NULL)
        {
          stmts[progress->kind] = _fest_station_prepare (self, row_kinds[progress->kind].sql, error);
          if (stmts[progress->kind] == NULL)
            goto out;
        }
      sqlite3_reset (stmts[progress->kind]);
      sqlite3_clear_bindings (stmts[progress->kind]);
      if (!row_kinds[progress->kind].apply (self, stmts[progress->kind], json_node_get_object (node),
                                            &progress->n_alerts, error))
        goto out;
    }

  *done = progress->kind >= N_ROW_KINDS;
  if (*done &&
      (!apply_stands (self, member_array (progress->changes, "stands"), error) ||
       !apply_festival (self, progress->changes, error) ||
       !store_cursor (self, progress->changes, error)))
    goto out;
  ok = TRUE;

out:
  for (guint i = 0; i < N_ROW_KINDS; i++)
    g_clear_pointer (&stmts[i], sqlite3_finalize);
  if (!ok)
    {
      _fest_station_rollback (self);
      return FALSE;
    }
  return _fest_station_commit (self, error);
}

gboolean
fest_station_store_apply_changes (FestStationStore  *self,
                                  JsonObject        *changes,
                                  guint             *n_alerts,
                                  GError           **error)
{
  PageProgress progress = { 0 };
  gboolean done = FALSE;

  g_return_val_if_fail (FEST_IS_STATION_STORE (self), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  progress.changes = changes;
  for (guint i = 0; i < N_ROW_KINDS; i++)
    progress.rows[i] = member_array (changes, row_kinds[i].member);

  while (!done)
    {
      if (!apply_slice (self, &progress, &done, error))
        return FALSE;
      /* A mutex does not queue its waiters: taken again at once, it would starve them. */
      for (gint64 waited = 0; !done && waited < SLICE_YIELD_MAX_US &&
                              g_atomic_int_get (&self->waiters) > 0; waited += 100)
        g_usleep (100);
    }
  if (n_alerts != NULL)
    *n_alerts = progress.n_alerts;
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
  locker = _fest_station_lock (self);
  stmt = _fest_station_prepare (self,
                                "SELECT body FROM alerts WHERE shown = 0 ORDER BY rev, id", NULL);
  if (stmt == NULL)
    return alerts;
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonNode *node = fest_json_parse ((const char *) sqlite3_column_text (stmt, 0), -1, NULL);

      if (node != NULL)
        g_ptr_array_add (alerts, node);
    }
  _fest_station_exec_sql (self, "UPDATE alerts SET shown = 1 WHERE shown = 0", NULL);
  return alerts;
}
