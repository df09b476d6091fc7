/* fest-routes-sync-changes.c: GET /sync/changes, the feed of what the stations cache
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Pages through every row a station caches (wallets, tickets, products, stands, ticket types,
 * alerts) by the festival's change counter (`rev`): the cursor is a rev, kept in the database, so
 * it survives restarts.
 */

#include "config.h"

#include "fest-core.h"
#include "fest-router.h"
#include "fest-routes-sync-private.h"
#include "fest-sync-repo.h"

#define CHANGES_DEFAULT_LIMIT 500
#define CHANGES_MAX_LIMIT     5000

void
_fest_routes_sync_get_changes (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const char *since_text = fest_request_get_query (req, "since");
  const char *limit_text = fest_request_get_query (req, "limit");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *cursor = NULL;
  guint64 since = 0;
  guint64 limit = CHANGES_DEFAULT_LIMIT;
  gint64 max_rev = 0;
  gboolean has_more = FALSE;

  if (since_text != NULL && since_text[0] != '\0' &&
      !g_ascii_string_to_unsigned (since_text, 10, 0, G_MAXINT64, &since, NULL))
    {
      error = fest_error_validation ("since", "since must be a cursor returned by /sync/changes");
      return fest_request_reply_gerror (req, error);
    }
  if (limit_text != NULL &&
      !g_ascii_string_to_unsigned (limit_text, 10, 1, CHANGES_MAX_LIMIT, &limit, NULL))
    {
      error = fest_error_validation ("limit", "limit must be between 1 and %d", CHANGES_MAX_LIMIT);
      return fest_request_reply_gerror (req, error);
    }

  if (!fest_sync_repo_read_changes (store, (gint64) since, (gint64) limit, object, &max_rev, &has_more, &error))
    return fest_request_reply_gerror (req, error);

  cursor = g_strdup_printf ("%" G_GINT64_FORMAT, max_rev);
  json_object_set_string_member (object, "cursor", cursor);
  json_object_set_boolean_member (object, "has_more", has_more);
  fest_request_reply_data (req, SOUP_STATUS_OK,
                           json_node_init_object (json_node_alloc (), object));
}
