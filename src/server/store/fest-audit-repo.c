/* fest-audit-repo.c: reading the audit_log table (see fest-audit-repo.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-audit-repo.h"
#include "fest-core.h"
#include "fest-store-page.h"

#define AUDIT_COLUMNS \
  "id, actor_id, device_id, action, entity_type, entity_id, old_values, new_values, ip_address, " \
  "user_agent, created_at"

static void
set_nullable_string (JsonObject *object,
                     const char *member,
                     FestDbStmt *stmt,
                     int         column)
{
  const char *value = fest_db_column_text (stmt, column);

  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

/* old_values/new_values are stored as JSON text and returned as JSON. */
static void
set_json_member (JsonObject *object,
                 const char *member,
                 FestDbStmt *stmt,
                 int         column)
{
  const char *text = fest_db_column_text (stmt, column);
  JsonNode *node;

  if (text == NULL)
    {
      json_object_set_null_member (object, member);
      return;
    }
  node = fest_json_parse (text, fest_db_column_bytes (stmt, column), NULL);
  if (node != NULL)
    json_object_set_member (object, member, node);
  else
    json_object_set_string_member (object, member, text);
}

static JsonNode *
audit_row_to_json (FestDbStmt *stmt)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "id", fest_db_column_text (stmt, 0));
  set_nullable_string (object, "actor_id", stmt, 1);
  set_nullable_string (object, "device_id", stmt, 2);
  json_object_set_string_member (object, "action", fest_db_column_text (stmt, 3));
  set_nullable_string (object, "entity_type", stmt, 4);
  set_nullable_string (object, "entity_id", stmt, 5);
  set_json_member (object, "old_values", stmt, 6);
  set_json_member (object, "new_values", stmt, 7);
  set_nullable_string (object, "ip_address", stmt, 8);
  set_nullable_string (object, "user_agent", stmt, 9);
  json_object_set_string_member (object, "created_at", fest_db_column_text (stmt, 10));
  json_node_take_object (node, object);
  return node;
}

gboolean
fest_audit_repo_list (FestFestivalStore      *store,
                      const FestAuditFilter  *filter,
                      guint                   limit,
                      gint64                  offset,
                      JsonNode              **rows,
                      gint64                 *total,
                      GError                **error)
{
  const struct
  {
    const char *column;
    const char *value;
  } filters[] = {
    { "entity_type", filter->entity_type },
    { "entity_id", filter->entity_id },
    { "actor_id", filter->actor_id },
    { "action", filter->action },
  };
  g_autoptr(GString) where = g_string_new ("TRUE");
  const char *values[G_N_ELEMENTS (filters)];
  FestDbStmt *stmt;
  JsonArray *array;
  JsonNode *node;
  guint n = 0;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    {
      if (filters[i].value == NULL)
        continue;
      values[n++] = filters[i].value;
      g_string_append_printf (where, " AND %s = ?%u", filters[i].column, n);
    }

  stmt = _fest_store_prepare_page (store, "audit_log", AUDIT_COLUMNS, where->str, values, n, limit, offset, total,
                                   error);
  if (stmt == NULL)
    return FALSE;

  array = json_array_new ();
  node = json_node_new (JSON_NODE_ARRAY);
  json_node_take_array (node, array);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    json_array_add_element (array, audit_row_to_json (stmt));
  if (rc != FEST_DB_DONE)
    {
      json_node_unref (node);
      fest_db_error (fest_festival_store_get_read_db (store), error);
      fest_db_reset (stmt);
      return FALSE;
    }
  fest_db_reset (stmt);
  *rows = node;
  return TRUE;
}
