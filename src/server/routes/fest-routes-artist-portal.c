/* fest-routes-artist-portal.c: the artist portal, /me/artist and its guest list
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A member with the ARTIST role (or an organiser) whose account an organiser linked to an artist
 * of the festival (artist.user_id, PATCH /artists/{id} {user_id}; one artist per account) works
 * on that artist here. Without a linked artist every route is 404 NOT_FOUND; other roles are 403.
 *
 *   GET    /me/artist               the artist (as GET /artists/{id}) plus "slots" (each slot with
 *                                   "stage_name", by start time) and "guests_used" (guests not
 *                                   CANCELLED)
 *   PATCH  /me/artist {rider}       the rider only ({technical, hospitality}, strings of at most
 *                                   4,000 characters; one may be left out and is kept); any other
 *                                   member is 400 VALIDATION_FAILED naming it. Audited
 *                                   (artist.update).
 *   GET    /me/artist/guests        every guest of the list, CANCELLED ones included (see
 *                                   "status"), by creation, paged: {id (the ticket's), name, email,
 *                                   status, qr_code, created_at}
 *   POST   /me/artist/guests {name, email}
 *                                   201 a new guest: a ticket of the GUEST type issued and signed
 *                                   like any ticket (domain/fest-artist-guests.c). name is required,
 *                                   email optional; no other member. A full list (guest_quota
 *                                   guests not CANCELLED) is 409 CONFLICT with details.quota. No
 *                                   Idempotency-Key, as POST /tickets.
 *   DELETE /me/artist/guests/{id}   200 the guest, its ticket CANCELLED; 404 when it is not on this
 *                                   artist's list (another artist's, another festival's, unknown);
 *                                   409 CONFLICT when the ticket was ever let in or is already
 *                                   cancelled.
 *
 * Guests are audited (guest.create, guest.cancel, besides the tickets' own ticket.issue and
 * ticket.cancel) and sent as ticket:updated like any ticket.
 */

#include "config.h"

#include "fest-artist-guests.h"
#include "fest-guests-repo.h"
#include "fest-lineup-repo.h"
#include "fest-live-util.h"
#include "fest-routes-lineup-private.h"

#define MAX_GUEST_NAME_CHARS 200

static void
reply_no_artist (FestRequest *req)
{
  fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "No artist of this festival is linked to your account",
                            NULL);
}

static GError *
no_artist_error (void)
{
  return g_error_new_literal (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No artist of this festival is linked to your account");
}

/* The caller's account, or NULL after replying 403 (a device token has no artist). */
static const char *
self_account (FestRequest *req)
{
  const FestAuth *auth = fest_request_get_auth (req);

  if (auth == NULL || auth->account_id == NULL)
    {
      fest_request_reply_error (req, FEST_ERROR_FORBIDDEN, "only an artist's account has an artist", NULL);
      return NULL;
    }
  return auth->account_id;
}

/* Main thread: the caller's artist into @artist; FALSE after replying (403, 404 or a storage error). */
static gboolean
get_own_artist (FestRequest   *req,
                FestArtistRow *artist)
{
  const char *account = self_account (req);
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  if (account == NULL)
    return FALSE;
  if (!fest_lineup_repo_get_artist_by_user (fest_request_get_store (req), account, artist, &found, &error))
    {
      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  if (!found)
    reply_no_artist (req);
  return found;
}

/* Writer thread: the artist of @actor's account; NOT_FOUND when none. */
static gboolean
load_own_artist (FestWriteCtx     *ctx,
                 const FestActor  *actor,
                 FestArtistRow    *artist,
                 GError          **error)
{
  gboolean found = FALSE;

  if (actor->account_id == NULL)
    {
      g_propagate_error (error, no_artist_error ());
      return FALSE;
    }
  if (!fest_lineup_repo_load_artist_by_user (ctx, actor->account_id, NULL, artist, &found, error))
    return FALSE;
  if (!found)
    g_propagate_error (error, no_artist_error ());
  return found;
}

/* 400 VALIDATION_FAILED naming the first member of @body not in @allowed (NULL-terminated). */
static gboolean
only_members (JsonObject         *body,
              const char * const *allowed,
              GError            **error)
{
  g_autoptr(GList) members = json_object_get_members (body);

  for (GList *l = members; l != NULL; l = l->next)
    if (!g_strv_contains (allowed, l->data))
      {
        g_propagate_error (error, fest_error_validation (l->data, "%s cannot be set here",
                                                         (const char *) l->data));
        return FALSE;
      }
  return TRUE;
}

gboolean
_fest_artist_scope (FestRequest  *req,
                    gboolean     *scoped,
                    char        **artist_id)
{
  const FestAuth *auth = fest_request_get_auth (req);
  g_auto(FestArtistRow) artist = { 0, };
  g_autoptr(GError) error = NULL;
  gboolean found = FALSE;

  *artist_id = NULL;
  *scoped = auth != NULL && auth->roles == FEST_ROLE_ARTIST;
  if (!*scoped || auth->account_id == NULL)
    return TRUE;
  if (!fest_lineup_repo_get_artist_by_user (fest_request_get_store (req), auth->account_id, &artist, &found,
                                            &error))
    {
      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  if (found)
    *artist_id = g_steal_pointer (&artist.id);
  return TRUE;
}

/* GET /me/artist */

static void
me_artist_get (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  g_auto(FestArtistRow) artist = { 0, };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  JsonNode *node;
  JsonObject *object;
  JsonArray *array;
  gint64 used;

  if (!get_own_artist (req, &artist))
    return;
  slots = fest_lineup_repo_list_artist_slots (store, artist.id, &error);
  used = slots != NULL ? fest_guests_repo_read_count_live (store, artist.id, &error) : -1;
  if (used < 0)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  node = _fest_artist_to_json (&artist);
  object = json_node_get_object (node);
  array = json_array_new ();
  for (guint i = 0; i < slots->len; i++)
    {
      const FestArtistSlot *slot = g_ptr_array_index (slots, i);
      JsonNode *slot_node = _fest_slot_to_json (&slot->slot);

      json_object_set_string_member (json_node_get_object (slot_node), "stage_name", slot->stage_name);
      json_array_add_element (array, slot_node);
    }
  json_object_set_array_member (object, "slots", array);
  json_object_set_int_member (object, "guests_used", used);
  fest_request_reply_data (req, 200, node);
}

/* PATCH /me/artist */

typedef struct
{
  FestActor *actor;
  char      *technical;      /* NULL: kept */
  char      *hospitality;
  gboolean   set_rider;
} RiderJob;

static void
rider_job_free (gpointer data)
{
  RiderJob *job = data;

  fest_actor_free (job->actor);
  g_free (job->technical);
  g_free (job->hospitality);
  g_free (job);
}

static gboolean
rider_write (FestWriteCtx   *ctx,
             gpointer        job_data,
             gpointer       *result,
             GDestroyNotify *result_free,
             GError        **error)
{
  RiderJob *job = job_data;
  g_auto(FestArtistRow) artist = { 0, };
  g_autoptr(JsonNode) old_node = NULL;
  char *rider;

  if (!load_own_artist (ctx, job->actor, &artist, error))
    return FALSE;
  old_node = _fest_artist_to_json (&artist);
  if (!job->set_rider)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  rider = _fest_artist_rider_merge (artist.rider, job->technical, job->hospitality);
  g_free (artist.rider);
  artist.rider = rider;
  g_free (artist.updated_at);
  artist.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_artist (ctx, &artist, FALSE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "artist.update", "artist", artist.id, job->actor, old_node,
                                    _fest_artist_to_json (&artist), NULL, result, result_free, error);
}

static void
me_artist_update (FestRequest *req)
{
  static const char * const allowed[] = { "rider", NULL };
  g_autoptr(GError) error = NULL;
  JsonObject *body;
  RiderJob *job;

  if (self_account (req) == NULL || (body = fest_request_get_json_object (req)) == NULL)
    return;
  job = g_new0 (RiderJob, 1);
  if (!only_members (body, allowed, &error)
      || (json_object_has_member (body, "rider")
          && !_fest_artist_parse_rider (body, &job->technical, &job->hospitality, &error)))
    {
      rider_job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }
  job->set_rider = json_object_has_member (body, "rider");
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, 200, rider_write, job, rider_job_free);
}

/* GET /me/artist/guests */

static void
guests_list (FestRequest *req)
{
  g_auto(FestArtistRow) artist = { 0, };
  g_autoptr(GError) error = NULL;
  JsonNode *array;
  guint page, per_page;
  gint64 total = 0;

  if (!get_own_artist (req, &artist) || !fest_request_get_paging (req, &page, &per_page))
    return;
  array = fest_guests_repo_list (fest_request_get_store (req), artist.id, page, per_page, &total, &error);
  if (array == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_list (req, array, total, page, per_page);
}

/* POST /me/artist/guests and DELETE /me/artist/guests/{id} */

typedef struct
{
  FestActor *actor;
  char      *name;
  char      *email;
  char      *ticket_id;
} GuestJob;

static void
guest_job_free (gpointer data)
{
  GuestJob *job = data;

  fest_actor_free (job->actor);
  g_free (job->name);
  g_free (job->email);
  g_free (job->ticket_id);
  g_free (job);
}

static gboolean
guest_create_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  GuestJob *job = job_data;
  g_auto(FestArtistRow) artist = { 0, };
  JsonNode *guest;

  if (!load_own_artist (ctx, job->actor, &artist, error))
    return FALSE;
  guest = fest_artist_guests_issue (ctx, artist.id, artist.guest_quota, job->name, job->email, job->actor, error);
  return guest != NULL && fest_crud_take_result (guest, result, result_free);
}

static void
guests_create (FestRequest *req)
{
  static const char * const allowed[] = { "name", "email", NULL };
  g_autoptr(GError) error = NULL;
  const char *name = NULL;
  JsonObject *body;
  GuestJob *job;

  if (self_account (req) == NULL || (body = fest_request_get_json_object (req)) == NULL)
    return;
  job = g_new0 (GuestJob, 1);
  if (!only_members (body, allowed, &error)
      || !fest_json_get_text (body, "name", TRUE, MAX_GUEST_NAME_CHARS, &name, &error)
      || (json_object_has_member (body, "email") && !fest_crud_member_is_null (body, "email")
          && !_fest_lineup_parse_email (body, "email", TRUE, &job->email, &error)))
    {
      guest_job_free (job);
      fest_request_reply_gerror (req, error);
      return;
    }
  job->name = g_strstrip (g_strdup (name));
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, 201, guest_create_write, job, guest_job_free);
}

static gboolean
guest_cancel_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  GuestJob *job = job_data;
  g_auto(FestArtistRow) artist = { 0, };
  JsonNode *guest;

  if (!load_own_artist (ctx, job->actor, &artist, error))
    return FALSE;
  guest = fest_artist_guests_cancel (ctx, artist.id, job->ticket_id, job->actor, error);
  return guest != NULL && fest_crud_take_result (guest, result, result_free);
}

static void
guests_delete (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  GuestJob *job;

  if (self_account (req) == NULL)
    return;
  if (!fest_uuid_is_valid (id))
    {
      fest_request_reply_error (req, FEST_ERROR_NOT_FOUND, "guest not found", NULL);
      return;
    }
  job = g_new0 (GuestJob, 1);
  job->ticket_id = g_strdup (id);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  _fest_route_write (req, 200, guest_cancel_write, job, guest_job_free);
}

void
fest_routes_artist_portal_register (FestRouter *router)
{
  static const struct
  {
    const char  *method;
    const char  *pattern;
    FestHandler  handler;
  } routes[] = {
    { "GET", "/me/artist", me_artist_get },
    { "PATCH", "/me/artist", me_artist_update },
    { "GET", "/me/artist/guests", guests_list },
    { "POST", "/me/artist/guests", guests_create },
    { "DELETE", "/me/artist/guests/{id}", guests_delete },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    fest_router_add (router, routes[i].method, routes[i].pattern, FEST_ROUTE_FESTIVAL, FEST_PERM_ARTIST_SELF,
                     routes[i].handler);
}
