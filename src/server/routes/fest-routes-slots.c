/* fest-routes-slots.c: slots of the lineup, and the lineup as iCalendar
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A slot books an artist on a stage from start_time to end_time. Two slots that are not
 * CANCELLED may not overlap on the same stage, nor for the same artist: the second is a CONFLICT
 * naming the first (details.slot_id). On a stage, the stage's changeover_minutes (c) is kept free
 * between two sets: [s, e) conflicts with a live [s2, e2) of the same stage when
 * s < e2 + c and s2 < e + c; an artist's own slots only may not overlap. Changing a stage's
 * changeover keeps its existing slots as they are. A slot's DELETE removes it. Slot times are kept in whole seconds, UTC, in one
 * fixed-width form, so that SQL compares them as text. Every change of a slot is sent to the
 * festival's WebSocket clients as slot:updated (the slot, with "deleted": true when it was
 * deleted).
 *
 * GET /lineup.ics is the whole lineup as an iCalendar (RFC 5545) feed that calendar apps can
 * subscribe to: one VEVENT per slot, PENDING slots TENTATIVE, CANCELLED ones CANCELLED.
 */

#include "config.h"

#include "fest-lineup-repo.h"
#include "fest-live-util.h"
#include "fest-routes-lineup-private.h"

#define MAX_SLOT_SECONDS (24 * 3600)
#define SLOT_EVENT "slot:updated"

JsonNode *
_fest_slot_to_json (gconstpointer row)
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

typedef struct
{
  FestCrudJobHead head;
  gboolean        set_stage, set_artist, set_start, set_end, set_status;
  FestSlotRow     slot;
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

static const FestCrudKind slot_kind = {
  .name = "slot",
  .table = &fest_lineup_slots,
  .filter_params = { "stage_id", "artist_id" },
  .event = SLOT_EVENT,
  .to_json = _fest_slot_to_json,
  .job_size = sizeof (SlotJob),
  .parse = slot_parse,
  .job_free = slot_job_free,
};

/* Writer thread */

/* @time (a slot time) moved by @seconds, in the same form. */
static char *
shift_time (const char *time,
            gint64      seconds)
{
  g_autoptr(GDateTime) parsed = fest_time_parse (time);
  g_autoptr(GDateTime) shifted = g_date_time_add_seconds (parsed, (gdouble) seconds);

  return g_date_time_format (shifted, "%Y-%m-%dT%H:%M:%SZ");
}

/* CONFLICT when another live slot of the same stage (or artist) overlaps @slot, widened by
 * @buffer_seconds on both sides (the stage's changeover: [s, e) and [s2, e2) conflict when
 * s < e2 + c and s2 < e + c). */
static gboolean
check_overlap (FestWriteCtx       *ctx,
               const FestSlotRow  *slot,
               gboolean            same_artist,
               gint64              buffer_seconds,
               const char         *what,
               GError            **error)
{
  g_autofree char *other = NULL;
  g_autofree char *from = NULL;
  g_autofree char *until = NULL;
  FestSlotRow widened = *slot;
  JsonObject *details;

  if (g_str_equal (slot->status, "CANCELLED"))
    return TRUE;
  if (buffer_seconds > 0)
    {
      widened.start_time = from = shift_time (slot->start_time, -buffer_seconds);
      widened.end_time = until = shift_time (slot->end_time, buffer_seconds);
    }
  if (!fest_lineup_repo_find_overlap (ctx, &widened, same_artist, &other, error))
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
slot_validate (FestWriteCtx       *ctx,
               const FestSlotRow  *slot,
               GError            **error)
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
  return fest_crud_load_row (ctx, &_fest_stage_kind, slot->stage_id, "stage_id", &stage, error)
         && fest_crud_load_row (ctx, &_fest_artist_kind, slot->artist_id, "artist_id", &artist, error)
         && check_overlap (ctx, slot, FALSE, stage.changeover_minutes * 60, "This stage", error)
         && check_overlap (ctx, slot, TRUE, 0, "This artist", error);
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
  return _fest_lineup_finish_write (ctx, "slot.create", "slot", job->slot.id, job->head.actor, NULL,
                       _fest_slot_to_json (&job->slot), SLOT_EVENT, result, result_free, error);
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
  old_node = _fest_slot_to_json (&slot);
  if (!job->set_stage && !job->set_artist && !job->set_start && !job->set_end && !job->set_status)
    return fest_crud_take_result (g_steal_pointer (&old_node), result, result_free);

  if (job->set_stage)
    _fest_lineup_replace_str (&slot.stage_id, job->slot.stage_id);
  if (job->set_artist)
    _fest_lineup_replace_str (&slot.artist_id, job->slot.artist_id);
  if (job->set_start)
    _fest_lineup_replace_str (&slot.start_time, job->slot.start_time);
  if (job->set_end)
    _fest_lineup_replace_str (&slot.end_time, job->slot.end_time);
  if (job->set_status)
    _fest_lineup_replace_str (&slot.status, job->slot.status);
  if (!slot_validate (ctx, &slot, error))
    return FALSE;
  g_free (slot.updated_at);
  slot.updated_at = fest_time_now ();
  if (!fest_lineup_repo_write_slot (ctx, &slot, FALSE, error))
    return FALSE;
  return _fest_lineup_finish_write (ctx, "slot.update", "slot", slot.id, job->head.actor, old_node,
                       _fest_slot_to_json (&slot), SLOT_EVENT, result, result_free, error);
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

void
_fest_lineup_ics (FestRequest *req)
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

void
_fest_slots_list (FestRequest *req)
{
  g_autofree char *own = NULL;
  gboolean scoped;

  if (!_fest_artist_scope (req, &scoped, &own))
    return;
  /* An artist's member lists their own slots only. */
  fest_crud_reply_list_scoped (req, &slot_kind, scoped ? "artist_id" : NULL, own);
}

static gboolean
slot_is_of (gconstpointer row,
            gpointer      artist_id)
{
  return g_strcmp0 (((const FestSlotRow *) row)->artist_id, artist_id) == 0;
}

void
_fest_slots_get (FestRequest *req)
{
  g_autofree char *own = NULL;
  gboolean scoped;

  if (!_fest_artist_scope (req, &scoped, &own))
    return;
  fest_crud_reply_one_visible (req, &slot_kind, scoped ? slot_is_of : NULL, own);
}

void
_fest_slots_create (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 201, slot_create_write, FALSE, TRUE);
}

void
_fest_slots_update (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 200, slot_update_write, TRUE, TRUE);
}

void
_fest_slots_delete (FestRequest *req)
{
  fest_crud_queue_write (req, &slot_kind, 200, slot_delete_write, TRUE, FALSE);
}

