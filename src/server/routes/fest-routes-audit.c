/* fest-routes-audit.c: GET /audit, the festival's audit log
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Filters: entity_type, entity_id, actor_id, action (all ANDed), plus paging. A malformed value is
 * refused with 400, not ignored.
 */

#include "config.h"

#include <string.h>

#include "fest-ledger-private.h"
#include "fest-router.h"
#include "fest-store-private.h" /* transitional: SQL moves into store/ repositories */

#define AUDIT_COLUMNS \
  "id, actor_id, device_id, action, entity_type, entity_id, old_values, new_values, ip_address, " \
  "user_agent, created_at"

static void
set_nullable_string (JsonObject   *object,
                     const char   *member,
                     sqlite3_stmt *stmt,
                     int           column)
{
  const char *value = (const char *) sqlite3_column_text (stmt, column);

  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* old_values/new_values are stored as JSON text and returned as JSON. */
static void
set_json_member (JsonObject   *object,
                 const char   *member,
                 sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  JsonNode *node;

  if (text == NULL)
    {
      json_object_set_null_member (object, member);
      return;
    }
  node = fest_json_parse (text, sqlite3_column_bytes (stmt, column), NULL);
  if (node != NULL)
    json_object_set_member (object, member, node);
  else
    json_object_set_string_member (object, member, text);
}

static JsonNode *
audit_row_to_json (sqlite3_stmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", (const char *) sqlite3_column_text (stmt, 0));
  set_nullable_string (object, "actor_id", stmt, 1);
  set_nullable_string (object, "device_id", stmt, 2);
  json_object_set_string_member (object, "action", (const char *) sqlite3_column_text (stmt, 3));
  set_nullable_string (object, "entity_type", stmt, 4);
  set_nullable_string (object, "entity_id", stmt, 5);
  set_json_member (object, "old_values", stmt, 6);
  set_json_member (object, "new_values", stmt, 7);
  set_nullable_string (object, "ip_address", stmt, 8);
  set_nullable_string (object, "user_agent", stmt, 9);
  json_object_set_string_member (object, "created_at", (const char *) sqlite3_column_text (stmt, 10));
  json_node_take_object (node, object);
  return node;
}

static void
reply_read_error (FestRequest *req)
{
  g_autoptr(GError) error = NULL;

  fest_sqlite_error (fest_festival_store_get_read_db (fest_request_get_store (req)), &error);
  fest_request_reply_gerror (req, error);
}

typedef enum
{
  FILTER_NAME,      /* stand, ticket_type */
  FILTER_ACTION,    /* stand.create */
  FILTER_UUID,
} FilterKind;

static gboolean
is_name (const char *text,
         gsize       len)
{
  if (len == 0 || len > 64)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_islower (text[i]) && text[i] != '_')
      return FALSE;
  return TRUE;
}

/* A filter's value, or NULL when absent. A value given but malformed (empty included) is replied
 * 400 VALIDATION_FAILED naming the filter: silently ignoring it would answer another question. */
static gboolean
query_filter (FestRequest  *req,
              const char   *name,
              FilterKind    kind,
              const char  **out)
{
  const char *value = fest_request_get_query (req, name);
  const char *dot;
  gboolean valid = FALSE;
  const char *expected = NULL;

  *out = value;
  if (value == NULL)
    return TRUE;

  switch (kind)
    {
    case FILTER_NAME:
      valid = is_name (value, strlen (value));
      expected = "an entity type such as stand";
      break;
    case FILTER_ACTION:
      dot = strchr (value, '.');
      valid = dot != NULL && is_name (value, dot - value) && is_name (dot + 1, strlen (dot + 1));
      expected = "an action such as stand.create";
      break;
    case FILTER_UUID:
      valid = fest_uuid_is_valid (value);
      expected = "a UUID";
      break;
    }

  if (!valid)
    {
      g_autoptr(GError) error = fest_error_validation (name, "%s must be %s", name, expected);

      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  return TRUE;
}

static void
audit_list (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) where = g_string_new ("1");
  g_autofree char *count_sql = NULL;
  g_autofree char *page_sql = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *count_stmt = NULL;
  FEST_STMT_AUTO_RESET sqlite3_stmt *stmt = NULL;
  static const struct
  {
    const char *name;
    FilterKind  kind;
  } filters[] = {
    { "entity_type", FILTER_NAME },
    { "entity_id", FILTER_UUID },
    { "actor_id", FILTER_UUID },
    { "action", FILTER_ACTION },
  };
  const char *values[G_N_ELEMENTS (filters)];
  JsonArray *array;
  JsonNode *node;
  guint page, per_page;
  guint n = 0;
  gint64 total;
  int rc;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      const char *value;

      if (!query_filter (req, filters[i].name, filters[i].kind, &value))
        return;
      if (value == NULL)
        continue;
      values[n++] = value;
      g_string_append_printf (where, " AND %s = ?%u", filters[i].name, n);
    }

  count_sql = g_strdup_printf ("SELECT COUNT(*) FROM audit_log WHERE %s", where->str);
  page_sql = g_strdup_printf ("SELECT " AUDIT_COLUMNS " FROM audit_log WHERE %s "
                              "ORDER BY seq DESC LIMIT ?%u OFFSET ?%u", where->str, n + 1, n + 2);

  count_stmt = fest_festival_store_prepare_read (store, count_sql, &error);
  if (count_stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  for (guint i = 0; i < n; i++)
    sqlite3_bind_text (count_stmt, (int) i + 1, values[i], -1, SQLITE_STATIC);
  if (sqlite3_step (count_stmt) != SQLITE_ROW)
    {
      reply_read_error (req);
      return;
    }
  total = sqlite3_column_int64 (count_stmt, 0);

  stmt = fest_festival_store_prepare_read (store, page_sql, &error);
  if (stmt == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  for (guint i = 0; i < n; i++)
    sqlite3_bind_text (stmt, (int) i + 1, values[i], -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, (int) n + 1, per_page);
  sqlite3_bind_int64 (stmt, (int) n + 2, (gint64) (page - 1) * per_page);

  array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    json_array_add_element (array, audit_row_to_json (stmt));
  if (rc != SQLITE_DONE)
    {
      json_node_unref (node);
      reply_read_error (req);
      return;
    }
  fest_request_reply_list (req, node, total, page, per_page);
}

void
fest_routes_audit_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/audit", FEST_ROUTE_FESTIVAL, FEST_PERM_AUDIT_READ, audit_list);
}
