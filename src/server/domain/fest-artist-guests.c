/* fest-artist-guests.c: an artist's guest list as write jobs
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-artist-guests.h"
#include "fest-core.h"
#include "fest-guests-repo.h"
#include "fest-live-util.h"
#include "fest-tickets.h"

/* The festival's GUEST ticket type, created when missing. */
static char *
guest_type_id (FestWriteCtx     *ctx,
               const FestActor  *actor,
               GError          **error)
{
  FestTicketTypeInput input = {
    .name = (char *) "Guest list",
    .code = (char *) FEST_GUEST_TICKET_CODE,
    .price = 0,
    .quota = -1,
  };
  g_autoptr(JsonNode) type = NULL;
  char *id = NULL;

  if (!fest_guests_repo_find_type (ctx, FEST_GUEST_TICKET_CODE, &id, error))
    return NULL;
  if (id != NULL)
    return id;
  type = fest_tickets_create_type (ctx, &input, actor, error);
  if (type == NULL)
    return NULL;
  return g_strdup (json_object_get_string_member (json_node_get_object (type), "id"));
}

static JsonNode *
guest_with_artist (JsonNode   *guest,
                   const char *artist_id)
{
  JsonNode *node = json_node_copy (guest);

  json_object_set_string_member (json_node_get_object (node), "artist_id", artist_id);
  return node;
}

JsonNode *
fest_artist_guests_issue (FestWriteCtx     *ctx,
                          const char       *artist_id,
                          gint64            guest_quota,
                          const char       *name,
                          const char       *email,
                          const FestActor  *actor,
                          GError          **error)
{
  g_autofree char *type_id = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) guest = NULL;
  g_autoptr(JsonNode) audited = NULL;
  const char *ticket_id;
  gint64 used;

  /* The writer runs one job at a time: the count and the insert below are atomic. */
  used = fest_guests_repo_count_live (ctx, artist_id, error);
  if (used < 0)
    return NULL;
  if (used >= guest_quota)
    {
      JsonObject *details = json_object_new ();

      json_object_set_int_member (details, "quota", guest_quota);
      json_object_set_int_member (details, "used", used);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, fest_live_object_node (details),
                                                             "The guest list is full (%" G_GINT64_FORMAT
                                                             " guests)", guest_quota));
      return NULL;
    }

  type_id = guest_type_id (ctx, actor, error);
  if (type_id == NULL)
    return NULL;
  ticket = fest_tickets_issue (ctx, type_id, name, email, actor, error);
  if (ticket == NULL)
    return NULL;
  ticket_id = json_object_get_string_member (json_node_get_object (ticket), "id");
  if (!fest_guests_repo_set_artist (ctx, ticket_id, artist_id, error))
    return NULL;

  guest = fest_guest_from_ticket (ticket);
  audited = guest_with_artist (guest, artist_id);
  if (!fest_write_ctx_audit (ctx, actor, "guest.create", "guest", ticket_id, NULL, audited, error))
    return NULL;
  return g_steal_pointer (&guest);
}

JsonNode *
fest_artist_guests_cancel (FestWriteCtx     *ctx,
                           const char       *artist_id,
                           const char       *ticket_id,
                           const FestActor  *actor,
                           GError          **error)
{
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) guest = NULL;
  g_autoptr(JsonNode) audited = NULL;
  gboolean found, admitted;

  if (!fest_guests_repo_lookup (ctx, artist_id, ticket_id, &found, &admitted, error))
    return NULL;
  if (!found)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_NOT_FOUND, "guest not found");
      return NULL;
    }
  if (admitted)
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "reason", "ADMITTED");
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, fest_live_object_node (details),
                                                             "This guest was already let in: the ticket cannot be "
                                                             "cancelled"));
      return NULL;
    }
  ticket = fest_tickets_cancel (ctx, ticket_id, actor, error);
  if (ticket == NULL)
    return NULL;

  guest = fest_guest_from_ticket (ticket);
  audited = guest_with_artist (guest, artist_id);
  if (!fest_write_ctx_audit (ctx, actor, "guest.cancel", "guest", ticket_id, NULL, audited, error))
    return NULL;
  return g_steal_pointer (&guest);
}
