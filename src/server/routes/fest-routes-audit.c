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

#include "fest-audit-repo.h"
#include "fest-router.h"

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
  g_autoptr(GError) error = NULL;
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
  FestAuditFilter filter;
  JsonNode *rows = NULL;
  guint page, per_page;
  gint64 total;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  for (guint i = 0; i < G_N_ELEMENTS (filters); i++)
    if (!query_filter (req, filters[i].name, filters[i].kind, &values[i]))
      return;
  filter.entity_type = values[0];
  filter.entity_id = values[1];
  filter.actor_id = values[2];
  filter.action = values[3];

  if (!fest_audit_repo_list (fest_request_get_store (req), &filter, per_page, (gint64) (page - 1) * per_page,
                             &rows, &total, &error))
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_list (req, rows, total, page, per_page);
}

void
fest_routes_audit_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/audit", FEST_ROUTE_FESTIVAL, FEST_PERM_AUDIT_READ, audit_list);
}
