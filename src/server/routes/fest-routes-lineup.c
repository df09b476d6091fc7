/* fest-routes-lineup.c: stages and artists of the lineup
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A stage or an artist that still has slots cannot be deleted (CONFLICT). The routes of the whole
 * lineup are registered here; the slots and GET /lineup.ics are in fest-routes-slots.c.
 *
 * A stage's changeover_minutes (0..240, default 0) is the gap it needs between two sets; the slot
 * overlap check adds it (fest-routes-slots.c). Changing it does not move or refuse the slots the
 * stage already has: they are kept as they are, and only later slot writes are checked against
 * the new value.
 *
 * An artist's rider is {technical, hospitality}, two strings of at most 4,000 characters (a PATCH
 * may send one of them: the other is kept); rows written before hold any JSON object and are
 * served with the missing keys as "". contact_email is nullable. user_id links the artist to an
 * account for the artist portal (fest-routes-artist-portal.c): it must be a member of the festival
 * (400 VALIDATION_FAILED on user_id otherwise; it needs the ARTIST role to use the portal, which
 * is not required here so that a member can be linked before their role is set), and an account is
 * linked to at most one artist of the festival (409 CONFLICT on user_id, details.artist_id the
 * other artist).
 *
 * A member whose only role is ARTIST sees only their own artist and its slots (GET /artists,
 * /artists/{id}, /slots, /slots/{id}: the others are 404 or left out of the lists); stages stay
 * readable.
 */

#include "config.h"

#include <string.h>

#include "fest-lineup-repo.h"
#include "fest-live-util.h"
#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-routes-lineup-private.h"
#include "fest-routes-util.h"
#include "fest-server.h"

#define MAX_NAME_CHARS 200
#define MAX_CAPACITY 10000000
#define MAX_GUEST_QUOTA 100000
#define MAX_CHANGEOVER_MINUTES 240
#define MAX_RIDER_CHARS 4000
#define MAX_EMAIL_CHARS 254

static JsonNode *
stage_to_json (gconstpointer row)
{
  const FestStageRow *stage = row;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", stage->id);
  json_object_set_string_member (object, "name", stage->name);
  if (stage->has_capacity)
    json_object_set_int_member (object, "capacity", stage->capacity);
  else
    json_object_set_null_member (object, "capacity");
  fest_routes_set_location (object, stage->has_location, stage->lat, stage->lng, stage->zone);
  json_object_set_int_member (object, "changeover_minutes", stage->changeover_minutes);
  json_object_set_string_member (object, "created_at", stage->created_at);
  json_object_set_string_member (object, "updated_at", stage->updated_at);
  return fest_live_object_node (object);
}

static const char * const rider_keys[] = { "technical", "hospitality" };

/* The rider as served: {technical, hospitality}, "" for what the stored JSON lacks. */
static JsonObject *
rider_object (const char *text)
{
  g_autoptr(JsonNode) stored = fest_json_parse (text != NULL ? text : "{}", -1, NULL);
  JsonObject *stored_object = stored != NULL && JSON_NODE_HOLDS_OBJECT (stored) ? json_node_get_object (stored)
                                                                                 : NULL;
  JsonObject *rider = json_object_new ();

  for (guint i = 0; i < G_N_ELEMENTS (rider_keys); i++)
    {
      JsonNode *value = stored_object != NULL ? json_object_get_member (stored_object, rider_keys[i]) : NULL;

      if (value != NULL && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
        json_object_set_string_member (rider, rider_keys[i], json_node_get_string (value));
      else
        json_object_set_string_member (rider, rider_keys[i], "");
    }
  return rider;
}

char *
_fest_artist_rider_merge (const char *old_text,
                          const char *technical,
                          const char *hospitality)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  JsonObject *rider = rider_object (old_text);

  json_node_take_object (node, rider);

  if (technical != NULL)
    json_object_set_string_member (rider, "technical", technical);
  if (hospitality != NULL)
    json_object_set_string_member (rider, "hospitality", hospitality);
  return fest_json_to_string (node, NULL);
}

gboolean
_fest_artist_parse_rider (JsonObject  *body,
                          char       **technical,
                          char       **hospitality,
                          GError     **error)
{
  JsonObject *rider = NULL;
  g_autoptr(GList) members = NULL;
  char **out[] = { technical, hospitality };

  if (!fest_json_get_object (body, "rider", TRUE, &rider, error))
    return FALSE;
  members = json_object_get_members (rider);
  for (GList *l = members; l != NULL; l = l->next)
    if (!g_str_equal (l->data, "technical") && !g_str_equal (l->data, "hospitality"))
      {
        g_autofree char *field = g_strdup_printf ("rider.%s", (const char *) l->data);

        g_propagate_error (error, fest_error_validation (field, "a rider has only technical and hospitality"));
        return FALSE;
      }
  for (guint i = 0; i < G_N_ELEMENTS (rider_keys); i++)
    {
      g_autofree char *field = g_strdup_printf ("rider.%s", rider_keys[i]);
      JsonNode *value = json_object_get_member (rider, rider_keys[i]);
      const char *text;

      if (value == NULL)
        continue;
      if (!JSON_NODE_HOLDS_VALUE (value) || json_node_get_value_type (value) != G_TYPE_STRING)
        {
          g_propagate_error (error, fest_error_validation (field, "%s must be a string", field));
          return FALSE;
        }
      text = json_node_get_string (value);
      if (!g_utf8_validate (text, -1, NULL) || g_utf8_strlen (text, -1) > MAX_RIDER_CHARS)
        {
          g_propagate_error (error, fest_error_validation (field, "%s is at most %d characters", field,
                                                           MAX_RIDER_CHARS));
          return FALSE;
        }
      g_free (*out[i]);
      *out[i] = g_strdup (text);
    }
  return TRUE;
}

gboolean
_fest_lineup_parse_email (JsonObject  *body,
                          const char  *member,
                          gboolean     required,
                          char       **email,
                          GError     **error)
{
  const char *text = NULL;
  const char *at;

  if (!fest_json_get_text (body, member, required, MAX_EMAIL_CHARS, &text, error))
    return FALSE;
  if (text == NULL)
    return TRUE;
  at = strchr (text, '@');
  if (at == NULL || at == text || at[1] == '\0' || strchr (at + 1, '@') != NULL || strpbrk (text, " \t\r\n<>,;") != NULL)
    {
      g_propagate_error (error, fest_error_validation (member, "%s is not an email address", member));
      return FALSE;
    }
  *email = g_strdup (text);
  return TRUE;
}

JsonNode *
_fest_artist_to_json (gconstpointer row)
{
  const FestArtistRow *artist = row;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", artist->id);
  json_object_set_string_member (object, "name", artist->name);
  fest_json_set_nullable_string (object, "type", artist->type);
  fest_json_set_nullable_string (object, "user_id", artist->user_id);
  json_object_set_object_member (object, "rider", rider_object (artist->rider));
  json_object_set_int_member (object, "guest_quota", artist->guest_quota);
  fest_json_set_nullable_string (object, "contact_email", artist->contact_email);
  json_object_set_string_member (object, "created_at", artist->created_at);
  json_object_set_string_member (object, "updated_at", artist->updated_at);
  return fest_live_object_node (object);
}

void
_fest_lineup_replace_str (char       **field,
                          const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

/* Input parsing (main thread) */

/* A required-on-create, non-empty name of at most MAX_NAME_CHARS characters. */
static gboolean
parse_name (JsonObject  *body,
            gboolean     create,
            gboolean    *set,
            char       **name,
            GError     **error)
{
  const char *text = NULL;

  if (!json_object_has_member (body, "name"))
    {
      if (create)
        g_propagate_error (error, fest_error_validation ("name", "name is required"));
      return !create;
    }
  if (!fest_json_get_text (body, "name", TRUE, MAX_NAME_CHARS, &text, error))
    return FALSE;
  *name = g_strstrip (g_strdup (text));
  *set = TRUE;
  return TRUE;
}

/* An optional integer in [0, @max], null allowed (*@has FALSE). */
static gboolean
parse_nullable_count (JsonObject  *body,
                      const char  *member,
                      gint64       max,
                      gboolean    *set,
                      gboolean    *has,
                      gint64      *value,
                      GError     **error)
{
  if (!json_object_has_member (body, member))
    return TRUE;
  *set = TRUE;
  *has = !fest_crud_member_is_null (body, member);
  return !*has || fest_json_get_int (body, member, TRUE, 0, max, value, error);
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_name, set_capacity, set_location, set_changeover;
  FestStageRow    stage;
} StageJob;

static void
stage_job_free (gpointer data)
{
  StageJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_stage_row_clear (&job->stage);
  g_free (job);
}

static gboolean
stage_parse (JsonObject *body,
             gboolean    create,
             gpointer    job_data,
             GError    **error)
{
  StageJob *job = job_data;

  if (!parse_name (body, create, &job->set_name, &job->stage.name, error)
      || !parse_nullable_count (body, "capacity", MAX_CAPACITY, &job->set_capacity, &job->stage.has_capacity,
                                &job->stage.capacity, error))
    return FALSE;
  if (json_object_has_member (body, "changeover_minutes"))
    {
      if (!fest_json_get_int (body, "changeover_minutes", TRUE, 0, MAX_CHANGEOVER_MINUTES,
                              &job->stage.changeover_minutes, error))
        return FALSE;
      job->set_changeover = TRUE;
    }
  {
    FestRoutesLocation location = { 0, };

    if (!fest_routes_parse_location (body, &location, error))
      {
        fest_routes_location_clear (&location);
        return FALSE;
      }
    job->set_location = location.set;
    job->stage.has_location = location.has_position;
    job->stage.lat = location.lat;
    job->stage.lng = location.lng;
    job->stage.zone = g_steal_pointer (&location.zone);
  }
  return TRUE;
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_name, set_type, set_user, set_rider, set_quota, set_email;
  char           *rider_technical;     /* NULL: kept */
  char           *rider_hospitality;
  FestArtistRow   artist;
} ArtistJob;

static void
artist_job_free (gpointer data)
{
  ArtistJob *job = data;

  fest_crud_job_head_clear (&job->head);
  g_free (job->rider_technical);
  g_free (job->rider_hospitality);
  fest_artist_row_clear (&job->artist);
  g_free (job);
}

static gboolean
valid_artist_type (const char *type)
{
  return g_str_equal (type, "DJ") || g_str_equal (type, "BAND") || g_str_equal (type, "SOLO")
         || g_str_equal (type, "OTHER");
}

static gboolean
artist_parse (JsonObject *body,
              gboolean    create,
              gpointer    job_data,
              GError    **error)
{
  ArtistJob *job = job_data;
  const char *text = NULL;

  if (!parse_name (body, create, &job->set_name, &job->artist.name, error))
    return FALSE;

  if (json_object_has_member (body, "type"))
    {
      job->set_type = TRUE;
      if (!fest_crud_member_is_null (body, "type"))
        {
          if (!fest_json_get_string (body, "type", TRUE, &text, error))
            return FALSE;
          if (!valid_artist_type (text))
            {
              g_propagate_error (error, fest_error_validation ("type", "type must be DJ, BAND, SOLO or OTHER"));
              return FALSE;
            }
          job->artist.type = g_strdup (text);
        }
    }

  if (json_object_has_member (body, "user_id"))
    {
      job->set_user = TRUE;
      if (!fest_crud_member_is_null (body, "user_id"))
        {
          if (!fest_json_get_uuid (body, "user_id", TRUE, &text, error))
            return FALSE;
          job->artist.user_id = g_strdup (text);
        }
    }

  if (json_object_has_member (body, "rider"))
    {
      if (!_fest_artist_parse_rider (body, &job->rider_technical, &job->rider_hospitality, error))
        return FALSE;
      job->set_rider = TRUE;
    }

  if (json_object_has_member (body, "contact_email"))
    {
      job->set_email = TRUE;
      if (!fest_crud_member_is_null (body, "contact_email")
          && !_fest_lineup_parse_email (body, "contact_email", TRUE, &job->artist.contact_email, error))
        return FALSE;
    }

  if (json_object_has_member (body, "guest_quota"))
    {
      if (!fest_json_get_int (body, "guest_quota", TRUE, 0, MAX_GUEST_QUOTA, &job->artist.guest_quota, error))
        return FALSE;
      job->set_quota = TRUE;
    }
  return TRUE;
}

/* An artist's account must be a member of the festival. */
static gboolean
artist_check (FestRequest *req,
              gpointer     job_data,
              GError     **error)
{
  ArtistJob *job = job_data;
  FestPlatformStore *platform = fest_server_get_platform (fest_request_get_server (req));

  if (job->artist.user_id == NULL
      || fest_platform_store_get_roles (platform, fest_request_get_auth (req)->festival_id, job->artist.user_id,
                                        NULL))
    return TRUE;
  g_propagate_error (error, fest_error_validation ("user_id", "user_id is not a member of this festival"));
  return FALSE;
}

/* Writer thread: CONFLICT when another artist is linked to @artist's account. */
static gboolean
check_one_artist_per_account (FestWriteCtx         *ctx,
                              const FestArtistRow  *artist,
                              GError              **error)
{
  g_auto(FestArtistRow) other = { 0, };
  JsonObject *details;
  gboolean found;

  if (artist->user_id == NULL)
    return TRUE;
  if (!fest_lineup_repo_load_artist_by_user (ctx, artist->user_id, artist->id, &other, &found, error))
    return FALSE;
  if (!found)
    return TRUE;
  details = json_object_new ();
  json_object_set_string_member (details, "field", "user_id");
  json_object_set_string_member (details, "artist_id", other.id);
  g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, fest_live_object_node (details),
                                                         "This account is already linked to the artist %s",
                                                         other.name));
  return FALSE;
}

const FestCrudKind _fest_stage_kind = {
  .name = "stage",
  .table = &fest_lineup_stages,
  .to_json = stage_to_json,
  .job_size = sizeof (StageJob),
  .parse = stage_parse,
  .job_free = stage_job_free,
};

const FestCrudKind _fest_artist_kind = {
  .name = "artist",
  .table = &fest_lineup_artists,
  .to_json = _fest_artist_to_json,
  .job_size = sizeof (ArtistJob),
  .parse = artist_parse,
  .check = artist_check,
  .job_free = artist_job_free,
};

/* Writer thread */

gboolean
_fest_lineup_finish_write (FestWriteCtx    *ctx,
                           const char      *action,
                           const char      *entity,
                           const char      *id,
                           const FestActor *actor,
                           JsonNode        *old_node,
                           JsonNode        *new_node,
                           const char      *event,
                           gpointer        *result,
                           GDestroyNotify  *result_free,
                           GError         **error)
{
  if (!fest_write_ctx_audit (ctx, actor, action, entity, id, old_node, new_node, error))
    {
      json_node_unref (new_node);
      return FALSE;
    }
  if (event != NULL)
    fest_write_ctx_emit (ctx, event, json_node_copy (new_node));
  return fest_crud_take_result (new_node, result, result_free);
}

static gboolean
stage_create_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  StageJob *job = job_data;

  job->stage.id = fest_uuid_new ();
  job->stage.created_at = fest_time_now ();
  job->stage.updated_at = g_strdup (job->stage.created_at);
  if (!fest_lineup_repo_write_stage (ctx, &job->stage, TRUE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "stage.create", "stage", job->stage.id, job->head.actor, NULL,
                       stage_to_json (&job->stage), NULL, result, result_free, error);
}

static gboolean
stage_update_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  StageJob *job = job_data;
  g_auto(FestStageRow) stage = { 0, };
  g_autoptr(JsonNode) old_node = NULL;

  if (!fest_crud_load_row (ctx, &_fest_stage_kind, job->head.id, NULL, &stage, error))
    return FALSE;
  old_node = stage_to_json (&stage);
  if (!job->set_name && !job->set_capacity && !job->set_location && !job->set_changeover)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_name)
    _fest_lineup_replace_str (&stage.name, job->stage.name);
  if (job->set_capacity)
    {
      stage.has_capacity = job->stage.has_capacity;
      stage.capacity = job->stage.capacity;
    }
  if (job->set_location)
    {
      stage.has_location = job->stage.has_location;
      stage.lat = job->stage.lat;
      stage.lng = job->stage.lng;
      _fest_lineup_replace_str (&stage.zone, job->stage.zone);
    }
  if (job->set_changeover)
    stage.changeover_minutes = job->stage.changeover_minutes;
  g_free (stage.updated_at);
  stage.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_stage (ctx, &stage, FALSE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "stage.update", "stage", stage.id, job->head.actor, old_node,
                       stage_to_json (&stage), NULL, result, result_free, error);
}

static gboolean
artist_create_write (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  ArtistJob *job = job_data;

  job->artist.id = fest_uuid_new ();
  job->artist.created_at = fest_time_now ();
  job->artist.updated_at = g_strdup (job->artist.created_at);
  job->artist.rider = _fest_artist_rider_merge (NULL, job->rider_technical, job->rider_hospitality);
  if (!check_one_artist_per_account (ctx, &job->artist, error)
      || !fest_lineup_repo_write_artist (ctx, &job->artist, TRUE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "artist.create", "artist", job->artist.id, job->head.actor, NULL,
                       _fest_artist_to_json (&job->artist), NULL, result, result_free, error);
}

static gboolean
artist_update_write (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  ArtistJob *job = job_data;
  g_auto(FestArtistRow) artist = { 0, };
  g_autoptr(JsonNode) old_node = NULL;

  if (!fest_crud_load_row (ctx, &_fest_artist_kind, job->head.id, NULL, &artist, error))
    return FALSE;
  old_node = _fest_artist_to_json (&artist);
  if (!job->set_name && !job->set_type && !job->set_user && !job->set_rider && !job->set_quota && !job->set_email)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_name)
    _fest_lineup_replace_str (&artist.name, job->artist.name);
  if (job->set_type)
    _fest_lineup_replace_str (&artist.type, job->artist.type);
  if (job->set_user)
    _fest_lineup_replace_str (&artist.user_id, job->artist.user_id);
  if (job->set_rider)
    {
      char *rider = _fest_artist_rider_merge (artist.rider, job->rider_technical, job->rider_hospitality);

      g_free (artist.rider);
      artist.rider = rider;
    }
  if (job->set_quota)
    artist.guest_quota = job->artist.guest_quota;
  if (job->set_email)
    _fest_lineup_replace_str (&artist.contact_email, job->artist.contact_email);
  g_free (artist.updated_at);
  artist.updated_at = fest_time_now ();
  if ((job->set_user && !check_one_artist_per_account (ctx, &artist, error))
      || !fest_lineup_repo_write_artist (ctx, &artist, FALSE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "artist.update", "artist", artist.id, job->head.actor, old_node,
                       _fest_artist_to_json (&artist), NULL, result, result_free, error);
}

static gboolean
stage_delete_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  return fest_crud_delete_write (ctx, &_fest_stage_kind, job_data, result, result_free, error);
}

static gboolean
artist_delete_write (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  return fest_crud_delete_write (ctx, &_fest_artist_kind, job_data, result, result_free, error);
}

/* Handlers */

static void
stages_list (FestRequest *req)
{
  fest_crud_reply_list (req, &_fest_stage_kind);
}

static void
stages_get (FestRequest *req)
{
  fest_crud_reply_one (req, &_fest_stage_kind);
}

static void
stages_create (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_stage_kind, 201, stage_create_write, FALSE, TRUE);
}

static void
stages_update (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_stage_kind, 200, stage_update_write, TRUE, TRUE);
}

static void
stages_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_stage_kind, 200, stage_delete_write, TRUE, FALSE);
}

static void
artists_list (FestRequest *req)
{
  g_autofree char *own = NULL;
  gboolean scoped;

  if (!_fest_artist_scope (req, &scoped, &own))
    return;
  /* An artist's member lists their own artist only. */
  fest_crud_reply_list_scoped (req, &_fest_artist_kind, scoped ? "id" : NULL, own);
}

static gboolean
artist_is (gconstpointer row,
           gpointer      artist_id)
{
  return g_strcmp0 (((const FestArtistRow *) row)->id, artist_id) == 0;
}

static void
artists_get (FestRequest *req)
{
  g_autofree char *own = NULL;
  gboolean scoped;

  if (!_fest_artist_scope (req, &scoped, &own))
    return;
  fest_crud_reply_one_visible (req, &_fest_artist_kind, scoped ? artist_is : NULL, own);
}

static void
artists_create (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_artist_kind, 201, artist_create_write, FALSE, TRUE);
}

static void
artists_update (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_artist_kind, 200, artist_update_write, TRUE, TRUE);
}

static void
artists_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &_fest_artist_kind, 200, artist_delete_write, TRUE, FALSE);
}

void
fest_routes_lineup_register (FestRouter *router)
{
  static const struct
  {
    const char  *method;
    const char  *pattern;
    gboolean     manage;
    FestHandler  handler;
  } routes[] = {
    { "GET", "/stages", FALSE, stages_list },
    { "POST", "/stages", TRUE, stages_create },
    { "GET", "/stages/{id}", FALSE, stages_get },
    { "PATCH", "/stages/{id}", TRUE, stages_update },
    { "DELETE", "/stages/{id}", TRUE, stages_delete },
    { "GET", "/artists", FALSE, artists_list },
    { "POST", "/artists", TRUE, artists_create },
    { "GET", "/artists/{id}", FALSE, artists_get },
    { "PATCH", "/artists/{id}", TRUE, artists_update },
    { "DELETE", "/artists/{id}", TRUE, artists_delete },
    { "GET", "/slots", FALSE, _fest_slots_list },
    { "POST", "/slots", TRUE, _fest_slots_create },
    { "GET", "/slots/{id}", FALSE, _fest_slots_get },
    { "PATCH", "/slots/{id}", TRUE, _fest_slots_update },
    { "DELETE", "/slots/{id}", TRUE, _fest_slots_delete },
    { "GET", "/lineup.ics", FALSE, _fest_lineup_ics },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    fest_router_add (router, routes[i].method, routes[i].pattern, FEST_ROUTE_FESTIVAL,
                     routes[i].manage ? FEST_PERM_LINEUP_MANAGE : FEST_PERM_LINEUP_READ, routes[i].handler);
}
