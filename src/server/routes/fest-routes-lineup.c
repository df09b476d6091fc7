/* fest-routes-lineup.c: stages, artists, slots and the lineup as iCalendar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slot books an artist on a stage from start_time to end_time. Two slots that are not
 * CANCELLED may not overlap on the same stage, nor for the same artist: the second is a CONFLICT
 * naming the first. A stage or an artist that still has slots cannot be deleted (CONFLICT); a
 * slot's DELETE removes it. FestSlotRow times are kept in whole seconds, UTC, in one fixed-width form,
 * so that SQL compares them as text. Every change of a slot is sent to the festival's WebSocket
 * clients as slot:updated (the slot, with "deleted": true when it was deleted).
 *
 * GET /lineup.ics is the whole lineup as an iCalendar (RFC 5545) feed that calendar apps can
 * subscribe to: one VEVENT per slot, PENDING slots TENTATIVE, CANCELLED ones CANCELLED.
 */

#include "config.h"

#include "fest-crud-private.h"
#include "fest-lineup-repo.h"
#include "fest-live-util.h"
#include "fest-platform-store.h"
#include "fest-router.h"
#include "fest-server.h"

#define MAX_NAME_CHARS 200
#define MAX_CAPACITY 10000000
#define MAX_GUEST_QUOTA 100000
#define MAX_SLOT_SECONDS (24 * 3600)
#define SLOT_EVENT "slot:updated"

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
  if (stage->has_location)
    {
      JsonObject *location = json_object_new ();

      json_object_set_double_member (location, "lat", stage->lat);
      json_object_set_double_member (location, "lng", stage->lng);
      json_object_set_object_member (object, "location", location);
    }
  else
    json_object_set_null_member (object, "location");
  json_object_set_string_member (object, "created_at", stage->created_at);
  json_object_set_string_member (object, "updated_at", stage->updated_at);
  return fest_live_object_node (object);
}

static JsonNode *
artist_to_json (gconstpointer row)
{
  const FestArtistRow *artist = row;
  JsonObject *object = json_object_new ();
  g_autoptr(JsonNode) rider = fest_json_parse (artist->rider != NULL ? artist->rider : "{}", -1, NULL);

  json_object_set_string_member (object, "id", artist->id);
  json_object_set_string_member (object, "name", artist->name);
  fest_json_set_nullable_string (object, "type", artist->type);
  fest_json_set_nullable_string (object, "user_id", artist->user_id);
  if (rider != NULL && JSON_NODE_HOLDS_OBJECT (rider))
    json_object_set_member (object, "rider", g_steal_pointer (&rider));
  else
    json_object_set_object_member (object, "rider", json_object_new ());
  json_object_set_int_member (object, "guest_quota", artist->guest_quota);
  json_object_set_string_member (object, "created_at", artist->created_at);
  json_object_set_string_member (object, "updated_at", artist->updated_at);
  return fest_live_object_node (object);
}

static JsonNode *
slot_to_json (gconstpointer row)
{
  const FestSlotRow *slot = row;
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", slot->id);
  json_object_set_string_member (object, "stage_id", slot->stage_id);
  json_object_set_string_member (object, "artist_id", slot->artist_id);
  json_object_set_string_member (object, "start_time", slot->start_time);
  json_object_set_string_member (object, "end_time", slot->end_time);
  json_object_set_string_member (object, "status", slot->status);
  json_object_set_string_member (object, "created_at", slot->created_at);
  json_object_set_string_member (object, "updated_at", slot->updated_at);
  return fest_live_object_node (object);
}

/* Replaces *@field by a copy of @value (nullable). */
static void
replace_str (char       **field,
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
  gboolean        set_name, set_capacity, set_location;
  FestStageRow           stage;
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
  if (json_object_has_member (body, "location"))
    {
      job->set_location = TRUE;
      job->stage.has_location = !fest_crud_member_is_null (body, "location");
      if (job->stage.has_location
          && !fest_json_get_location (body, "location", TRUE, &job->stage.lat, &job->stage.lng, error))
        return FALSE;
    }
  return TRUE;
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_name, set_type, set_user, set_rider, set_quota;
  FestArtistRow          artist;
} ArtistJob;

static void
artist_job_free (gpointer data)
{
  ArtistJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_artist_row_clear (&job->artist);
  g_free (job);
}

static gboolean
valid_artist_type (const char *type)
{
  return g_str_equal (type, "DJ") || g_str_equal (type, "BAND") || g_str_equal (type, "SOLO");
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
              g_propagate_error (error, fest_error_validation ("type", "type must be DJ, BAND or SOLO"));
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

  job->artist.rider = g_strdup ("{}");
  if (json_object_has_member (body, "rider"))
    {
      JsonObject *rider = NULL;
      g_autoptr(JsonNode) node = NULL;

      if (!fest_json_get_object (body, "rider", TRUE, &rider, error))
        return FALSE;
      node = json_node_init_object (json_node_alloc (), rider);
      g_free (job->artist.rider);
      job->artist.rider = fest_json_to_string (node, NULL);
      job->set_rider = TRUE;
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
  JsonObject *details;
  JsonNode *node;

  if (job->artist.user_id == NULL
      || fest_platform_store_get_roles (platform, fest_request_get_auth (req)->festival_id, job->artist.user_id,
                                        NULL))
    return TRUE;
  details = json_object_new ();
  json_object_set_string_member (details, "field", "user_id");
  node = fest_live_object_node (details);
  g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_NOT_FOUND, node,
                                                         "user_id is not a member of this festival"));
  return FALSE;
}

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_stage, set_artist, set_start, set_end, set_status;
  FestSlotRow            slot;
} SlotJob;

static void
slot_job_free (gpointer data)
{
  SlotJob *job = data;

  fest_crud_job_head_clear (&job->head);
  fest_slot_row_clear (&job->slot);
  g_free (job);
}

static gboolean
valid_slot_status (const char *status)
{
  return g_str_equal (status, "PENDING") || g_str_equal (status, "CONFIRMED") || g_str_equal (status, "CANCELLED");
}

/* A slot time: whole seconds, UTC, "YYYY-MM-DDTHH:MM:SSZ" (compared as text in SQL). */
static gboolean
parse_slot_time (JsonObject  *body,
                 const char  *member,
                 gboolean     create,
                 gboolean    *set,
                 char       **out,
                 GError     **error)
{
  g_autofree char *normalized = NULL;
  g_autoptr(GDateTime) time = NULL;

  if (!json_object_has_member (body, member))
    {
      if (create)
        g_propagate_error (error, fest_error_validation (member, "%s is required", member));
      return !create;
    }
  if (!fest_json_get_time (body, member, TRUE, &normalized, error))
    return FALSE;
  time = fest_time_parse (normalized);
  *out = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
  *set = TRUE;
  return TRUE;
}

static gboolean
parse_slot_ref (JsonObject  *body,
                const char  *member,
                gboolean     create,
                gboolean    *set,
                char       **out,
                GError     **error)
{
  const char *text = NULL;

  if (!json_object_has_member (body, member))
    {
      if (create)
        g_propagate_error (error, fest_error_validation (member, "%s is required", member));
      return !create;
    }
  if (!fest_json_get_uuid (body, member, TRUE, &text, error))
    return FALSE;
  *out = g_strdup (text);
  *set = TRUE;
  return TRUE;
}

static gboolean
slot_parse (JsonObject *body,
            gboolean    create,
            gpointer    job_data,
            GError    **error)
{
  SlotJob *job = job_data;
  const char *text = NULL;

  if (!parse_slot_ref (body, "stage_id", create, &job->set_stage, &job->slot.stage_id, error)
      || !parse_slot_ref (body, "artist_id", create, &job->set_artist, &job->slot.artist_id, error)
      || !parse_slot_time (body, "start_time", create, &job->set_start, &job->slot.start_time, error)
      || !parse_slot_time (body, "end_time", create, &job->set_end, &job->slot.end_time, error))
    return FALSE;

  job->slot.status = g_strdup ("PENDING");
  if (json_object_has_member (body, "status"))
    {
      if (!fest_json_get_string (body, "status", TRUE, &text, error))
        return FALSE;
      if (!valid_slot_status (text))
        {
          g_propagate_error (error, fest_error_validation ("status",
                                                           "status must be PENDING, CONFIRMED or CANCELLED"));
          return FALSE;
        }
      g_free (job->slot.status);
      job->slot.status = g_strdup (text);
      job->set_status = TRUE;
    }
  return TRUE;
}

static const FestCrudKind stage_kind = {
  .name = "stage",
  .table = &fest_lineup_stages,
  .to_json = stage_to_json,
  .job_size = sizeof (StageJob),
  .parse = stage_parse,
  .job_free = stage_job_free,
};

static const FestCrudKind artist_kind = {
  .name = "artist",
  .table = &fest_lineup_artists,
  .to_json = artist_to_json,
  .job_size = sizeof (ArtistJob),
  .parse = artist_parse,
  .check = artist_check,
  .job_free = artist_job_free,
};

static const FestCrudKind slot_kind = {
  .name = "slot",
  .table = &fest_lineup_slots,
  .filter_params = { "stage_id", "artist_id" },
  .event = SLOT_EVENT,
  .to_json = slot_to_json,
  .job_size = sizeof (SlotJob),
  .parse = slot_parse,
  .job_free = slot_job_free,
};

/* Writer thread */

/* Audits and answers a created (@old_node NULL) or updated row; emits @event when set. */
static gboolean
finish_write (FestWriteCtx    *ctx,
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
  return finish_write (ctx, "stage.create", "stage", job->stage.id, job->head.actor, NULL,
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

  if (!fest_crud_load_row (ctx, &stage_kind, job->head.id, NULL, &stage, error))
    return FALSE;
  old_node = stage_to_json (&stage);
  if (!job->set_name && !job->set_capacity && !job->set_location)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_name)
    replace_str (&stage.name, job->stage.name);
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
    }
  g_free (stage.updated_at);
  stage.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_stage (ctx, &stage, FALSE, error))
    return FALSE;
  return finish_write (ctx, "stage.update", "stage", stage.id, job->head.actor, old_node,
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
  if (!fest_lineup_repo_write_artist (ctx, &job->artist, TRUE, error))
    return FALSE;
  return finish_write (ctx, "artist.create", "artist", job->artist.id, job->head.actor, NULL,
                       artist_to_json (&job->artist), NULL, result, result_free, error);
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

  if (!fest_crud_load_row (ctx, &artist_kind, job->head.id, NULL, &artist, error))
    return FALSE;
  old_node = artist_to_json (&artist);
  if (!job->set_name && !job->set_type && !job->set_user && !job->set_rider && !job->set_quota)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_name)
    replace_str (&artist.name, job->artist.name);
  if (job->set_type)
    replace_str (&artist.type, job->artist.type);
  if (job->set_user)
    replace_str (&artist.user_id, job->artist.user_id);
  if (job->set_rider)
    replace_str (&artist.rider, job->artist.rider);
  if (job->set_quota)
    artist.guest_quota = job->artist.guest_quota;
  g_free (artist.updated_at);
  artist.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_artist (ctx, &artist, FALSE, error))
    return FALSE;
  return finish_write (ctx, "artist.update", "artist", artist.id, job->head.actor, old_node,
                       artist_to_json (&artist), NULL, result, result_free, error);
}

/* CONFLICT when another live slot of the same stage (or artist) overlaps @slot. */
static gboolean
check_overlap (FestWriteCtx       *ctx,
               const FestSlotRow  *slot,
               gboolean            same_artist,
               const char         *what,
               GError            **error)
{
  g_autofree char *other = NULL;
  JsonObject *details;

  if (g_str_equal (slot->status, "CANCELLED"))
    return TRUE;
  if (!fest_lineup_repo_find_overlap (ctx, slot, same_artist, &other, error))
    return FALSE;
  if (other == NULL)
    return TRUE;
  details = json_object_new ();
  json_object_set_string_member (details, "field", "start_time");
  json_object_set_string_member (details, "slot_id", other);
  g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, fest_live_object_node (details),
                                                         "%s already has slot %s at that time", what, other));
  return FALSE;
}

/* Checks what a slot refers to and when it is, before it is written. */
static gboolean
slot_validate (FestWriteCtx *ctx,
               const FestSlotRow   *slot,
               GError      **error)
{
  g_autoptr(GDateTime) start = fest_time_parse (slot->start_time);
  g_autoptr(GDateTime) end = fest_time_parse (slot->end_time);
  g_auto(FestStageRow) stage = { 0, };
  g_auto(FestArtistRow) artist = { 0, };
  GTimeSpan length = g_date_time_difference (end, start);

  if (length <= 0)
    {
      g_propagate_error (error, fest_error_validation ("end_time", "end_time must be after start_time"));
      return FALSE;
    }
  if (length > (GTimeSpan) MAX_SLOT_SECONDS * G_TIME_SPAN_SECOND)
    {
      g_propagate_error (error, fest_error_validation ("end_time", "a slot lasts at most 24 hours"));
      return FALSE;
    }
  return fest_crud_load_row (ctx, &stage_kind, slot->stage_id, "stage_id", &stage, error)
         && fest_crud_load_row (ctx, &artist_kind, slot->artist_id, "artist_id", &artist, error)
         && check_overlap (ctx, slot, FALSE, "This stage", error)
         && check_overlap (ctx, slot, TRUE, "This artist", error);
}

static gboolean
slot_create_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  SlotJob *job = job_data;

  job->slot.id = fest_uuid_new ();
  if (!slot_validate (ctx, &job->slot, error))
    return FALSE;
  job->slot.created_at = fest_time_now ();
  job->slot.updated_at = g_strdup (job->slot.created_at);
  if (!fest_lineup_repo_write_slot (ctx, &job->slot, TRUE, error))
    return FALSE;
  return finish_write (ctx, "slot.create", "slot", job->slot.id, job->head.actor, NULL,
                       slot_to_json (&job->slot), SLOT_EVENT, result, result_free, error);
}

static gboolean
slot_update_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  SlotJob *job = job_data;
  g_auto(FestSlotRow) slot = { 0, };
  g_autoptr(JsonNode) old_node = NULL;

  if (!fest_crud_load_row (ctx, &slot_kind, job->head.id, NULL, &slot, error))
    return FALSE;
  old_node = slot_to_json (&slot);
  if (!job->set_stage && !job->set_artist && !job->set_start && !job->set_end && !job->set_status)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_stage)
    replace_str (&slot.stage_id, job->slot.stage_id);
  if (job->set_artist)
    replace_str (&slot.artist_id, job->slot.artist_id);
  if (job->set_start)
    replace_str (&slot.start_time, job->slot.start_time);
  if (job->set_end)
    replace_str (&slot.end_time, job->slot.end_time);
  if (job->set_status)
    replace_str (&slot.status, job->slot.status);
  if (!slot_validate (ctx, &slot, error))
    return FALSE;
  g_free (slot.updated_at);
  slot.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_slot (ctx, &slot, FALSE, error))
    return FALSE;
  return finish_write (ctx, "slot.update", "slot", slot.id, job->head.actor, old_node,
                       slot_to_json (&slot), SLOT_EVENT, result, result_free, error);
}

static gboolean
stage_delete_write (FestWriteCtx   *ctx,
                    gpointer        job_data,
                    gpointer       *result,
                    GDestroyNotify *result_free,
                    GError        **error)
{
  return fest_crud_delete_write (ctx, &stage_kind, job_data, result, result_free, error);
}

static gboolean
artist_delete_write (FestWriteCtx   *ctx,
                     gpointer        job_data,
                     gpointer       *result,
                     GDestroyNotify *result_free,
                     GError        **error)
{
  return fest_crud_delete_write (ctx, &artist_kind, job_data, result, result_free, error);
}

static gboolean
slot_delete_write (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  return fest_crud_delete_write (ctx, &slot_kind, job_data, result, result_free, error);
}

/* GET /lineup.ics */

static const char *
ical_status (const char *status)
{
  if (g_str_equal (status, "CONFIRMED"))
    return "CONFIRMED";
  if (g_str_equal (status, "CANCELLED"))
    return "CANCELLED";
  return "TENTATIVE";
}

static void
append_time (GString    *out,
             const char *name,
             const char *rfc3339)
{
  g_autofree char *value = fest_ical_date_time (rfc3339);

  if (value != NULL)
    fest_ical_append_line (out, name, value);
}

static void
lineup_ics (FestRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *now = fest_time_now ();
  g_autofree char *stamp = fest_ical_date_time (now);
  g_autofree char *name = NULL;
  g_autofree char *timezone = NULL;

  entries = fest_lineup_repo_list_entries (fest_request_get_store (req), &name, &timezone, &error);
  if (entries == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }

  fest_ical_append_line (out, "BEGIN", "VCALENDAR");
  fest_ical_append_line (out, "VERSION", "2.0");
  fest_ical_append_line (out, "PRODID", "-//Festivals//Festivals lineup//EN");
  fest_ical_append_line (out, "CALSCALE", "GREGORIAN");
  fest_ical_append_line (out, "METHOD", "PUBLISH");
  if (name != NULL)
    {
      fest_ical_append_text (out, "X-WR-CALNAME", name);
      fest_ical_append_text (out, "X-WR-TIMEZONE", timezone);
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const FestLineupEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *uid = g_strdup_printf ("%s@festivals", entry->slot_id);

      fest_ical_append_line (out, "BEGIN", "VEVENT");
      fest_ical_append_text (out, "UID", uid);
      fest_ical_append_line (out, "DTSTAMP", stamp);
      append_time (out, "DTSTART", entry->start_time);
      append_time (out, "DTEND", entry->end_time);
      append_time (out, "LAST-MODIFIED", entry->updated_at);
      fest_ical_append_text (out, "SUMMARY", entry->artist_name);
      fest_ical_append_text (out, "LOCATION", entry->stage_name);
      if (entry->has_location)
        {
          char lat[G_ASCII_DTOSTR_BUF_SIZE], lng[G_ASCII_DTOSTR_BUF_SIZE];
          g_autofree char *geo = NULL;

          g_ascii_formatd (lat, sizeof lat, "%.6f", entry->lat);
          g_ascii_formatd (lng, sizeof lng, "%.6f", entry->lng);
          geo = g_strconcat (lat, ";", lng, NULL);
          fest_ical_append_line (out, "GEO", geo);
        }
      if (entry->artist_type != NULL)
        fest_ical_append_text (out, "CATEGORIES", entry->artist_type);
      fest_ical_append_line (out, "STATUS", ical_status (entry->status));
      fest_ical_append_line (out, "END", "VEVENT");
    }
  fest_ical_append_line (out, "END", "VCALENDAR");

  body = g_string_free_to_bytes (g_steal_pointer (&out));
  fest_request_reply_bytes (req, 200, "text/calendar; charset=utf-8", body);
}

/* Handlers */

static void
stages_list (FestRequest *req)
{
  fest_crud_reply_list (req, &stage_kind);
}

static void
stages_get (FestRequest *req)
{
  fest_crud_reply_one (req, &stage_kind);
}

static void
stages_create (FestRequest *req)
{
  fest_crud_queue_write (req, &stage_kind, 201, stage_create_write, FALSE, TRUE);
}

static void
stages_update (FestRequest *req)
{
  fest_crud_queue_write (req, &stage_kind, 200, stage_update_write, TRUE, TRUE);
}

static void
stages_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &stage_kind, 200, stage_delete_write, TRUE, FALSE);
}

static void
artists_list (FestRequest *req)
{
  fest_crud_reply_list (req, &artist_kind);
}

static void
artists_get (FestRequest *req)
{
  fest_crud_reply_one (req, &artist_kind);
}

static void
artists_create (FestRequest *req)
{
  fest_crud_queue_write (req, &artist_kind, 201, artist_create_write, FALSE, TRUE);
}

static void
artists_update (FestRequest *req)
{
  fest_crud_queue_write (req, &artist_kind, 200, artist_update_write, TRUE, TRUE);
}

static void
artists_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &artist_kind, 200, artist_delete_write, TRUE, FALSE);
}

static void
slots_list (FestRequest *req)
{
  fest_crud_reply_list (req, &slot_kind);
}

static void
slots_get (FestRequest *req)
{
  fest_crud_reply_one (req, &slot_kind);
}

static void
slots_create (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 201, slot_create_write, FALSE, TRUE);
}

static void
slots_update (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 200, slot_update_write, TRUE, TRUE);
}

static void
slots_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 200, slot_delete_write, TRUE, FALSE);
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
    { "GET", "/slots", FALSE, slots_list },
    { "POST", "/slots", TRUE, slots_create },
    { "GET", "/slots/{id}", FALSE, slots_get },
    { "PATCH", "/slots/{id}", TRUE, slots_update },
    { "DELETE", "/slots/{id}", TRUE, slots_delete },
    { "GET", "/lineup.ics", FALSE, lineup_ics },
  };

  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    fest_router_add (router, routes[i].method, routes[i].pattern, FEST_ROUTE_FESTIVAL,
                     routes[i].manage ? FEST_PERM_LINEUP_MANAGE : FEST_PERM_LINEUP_READ, routes[i].handler);
}
