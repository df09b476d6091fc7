/* fest-lineup-model.c: the lineup as the Lineup page holds it (stages, artists, slots)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-id.h"
#include "fest-page-util.h"
#include "fest-lineup-model.h"

struct _FestLineup
{
  gatomicrefcount  ref_count;
  GPtrArray       *stages;    /* FestLineupStage */
  GPtrArray       *artists;   /* FestLineupArtist */
  GPtrArray       *slots;     /* FestLineupSlot */
};

static void
stage_free (FestLineupStage *stage)
{
  g_free (stage->id);
  g_free (stage->name);
  g_clear_pointer (&stage->location, json_object_unref);
  g_free (stage);
}

static void
artist_free (FestLineupArtist *artist)
{
  g_free (artist->id);
  g_free (artist->name);
  g_free (artist->type);
  g_free (artist->user_id);
  g_free (artist->contact_email);
  g_free (artist->rider_technical);
  g_free (artist->rider_hospitality);
  g_free (artist);
}

static void
slot_free (FestLineupSlot *slot)
{
  g_free (slot->id);
  g_free (slot->stage_id);
  g_free (slot->artist_id);
  g_free (slot->status);
  g_free (slot);
}

static char *
dup_nonempty (const char *text)
{
  return text != NULL && *text != '\0' ? g_strdup (text) : NULL;
}

char *
fest_lineup_format_utc (gint64 time)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : NULL;
}

gboolean
fest_lineup_parse_time (const char *text,
                        gint64     *out)
{
  g_autoptr(GDateTime) time = NULL;

  if (text == NULL)
    return FALSE;
  time = fest_time_parse (text);
  if (time == NULL)
    return FALSE;
  *out = g_date_time_to_unix (time);
  return TRUE;
}

static FestLineupStage *
stage_from_json (JsonObject *object)
{
  FestLineupStage *stage;

  if (fest_page_json_string (object, "id") == NULL)
    return NULL;

  stage = g_new0 (FestLineupStage, 1);
  stage->id = g_strdup (fest_page_json_string (object, "id"));
  stage->name = g_strdup (fest_page_json_string (object, "name"));
  if (stage->name == NULL)
    stage->name = g_strdup ("");
  stage->capacity = fest_page_json_is_null (object, "capacity")
                    ? -1 : fest_page_json_int (object, "capacity", -1);
  /* Servers from before the changeover buffer send no member: no buffer. */
  stage->changeover_minutes = (int) CLAMP (fest_page_json_int (object, "changeover_minutes", 0),
                                           0, 24 * 60);
  if (json_object_has_member (object, "location")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "location")))
    stage->location = json_object_ref (json_object_get_object_member (object, "location"));
  return stage;
}

static FestLineupArtist *
artist_from_json (JsonObject *object)
{
  FestLineupArtist *artist;
  JsonObject *rider = NULL;

  if (fest_page_json_string (object, "id") == NULL)
    return NULL;

  if (json_object_has_member (object, "rider")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "rider")))
    rider = json_object_get_object_member (object, "rider");

  artist = g_new0 (FestLineupArtist, 1);
  artist->id = g_strdup (fest_page_json_string (object, "id"));
  artist->name = g_strdup (fest_page_json_string (object, "name"));
  if (artist->name == NULL)
    artist->name = g_strdup ("");
  artist->type = dup_nonempty (fest_page_json_string (object, "type"));
  artist->user_id = dup_nonempty (fest_page_json_string (object, "user_id"));
  artist->contact_email = dup_nonempty (fest_page_json_string (object, "contact_email"));
  artist->rider_technical = g_strdup (rider != NULL && fest_page_json_string (rider, "technical") != NULL
                                      ? fest_page_json_string (rider, "technical") : "");
  artist->rider_hospitality = g_strdup (rider != NULL && fest_page_json_string (rider, "hospitality") != NULL
                                        ? fest_page_json_string (rider, "hospitality") : "");
  artist->guest_quota = fest_page_json_int (object, "guest_quota", 0);
  return artist;
}

static FestLineupSlot *
slot_from_json (JsonObject *object)
{
  FestLineupSlot *slot;
  gint64 start, end;

  if (fest_page_json_string (object, "id") == NULL
      || fest_page_json_string (object, "stage_id") == NULL
      || !fest_lineup_parse_time (fest_page_json_string (object, "start_time"), &start)
      || !fest_lineup_parse_time (fest_page_json_string (object, "end_time"), &end))
    return NULL;

  slot = g_new0 (FestLineupSlot, 1);
  slot->id = g_strdup (fest_page_json_string (object, "id"));
  slot->stage_id = g_strdup (fest_page_json_string (object, "stage_id"));
  slot->artist_id = g_strdup (fest_page_json_string (object, "artist_id"));
  slot->start = start;
  slot->end = end;
  slot->status = g_strdup (fest_page_json_string (object, "status") != NULL
                           ? fest_page_json_string (object, "status") : "PENDING");
  return slot;
}

static void
fill (GPtrArray  *array,
      JsonArray  *items,
      gpointer  (*parse) (JsonObject *object))
{
  g_ptr_array_set_size (array, 0);
  for (guint i = 0; items != NULL && i < json_array_get_length (items); i++)
    {
      JsonNode *node = json_array_get_element (items, i);
      gpointer item;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      item = parse (json_node_get_object (node));
      if (item != NULL)
        g_ptr_array_add (array, item);
    }
}

/* Every item struct starts with its id. */
static gpointer
lookup (GPtrArray  *array,
        const char *id,
        guint      *index)
{
  for (guint i = 0; id != NULL && i < array->len; i++)
    {
      char **item_id = g_ptr_array_index (array, i);

      if (g_strcmp0 (*item_id, id) == 0)
        {
          if (index != NULL)
            *index = i;
          return item_id;
        }
    }
  return NULL;
}

FestLineup *
fest_lineup_new (void)
{
  FestLineup *self = g_new0 (FestLineup, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->stages = g_ptr_array_new_with_free_func ((GDestroyNotify) stage_free);
  self->artists = g_ptr_array_new_with_free_func ((GDestroyNotify) artist_free);
  self->slots = g_ptr_array_new_with_free_func ((GDestroyNotify) slot_free);
  return self;
}

FestLineup *
fest_lineup_ref (FestLineup *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
fest_lineup_unref (FestLineup *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;
  g_ptr_array_unref (self->stages);
  g_ptr_array_unref (self->artists);
  g_ptr_array_unref (self->slots);
  g_free (self);
}

void
fest_lineup_set_stages (FestLineup *self,
                        JsonArray  *items)
{
  g_return_if_fail (self != NULL);

  fill (self->stages, items, (gpointer (*) (JsonObject *)) stage_from_json);
}

void
fest_lineup_set_artists (FestLineup *self,
                         JsonArray  *items)
{
  g_return_if_fail (self != NULL);

  fill (self->artists, items, (gpointer (*) (JsonObject *)) artist_from_json);
}

void
fest_lineup_set_slots (FestLineup *self,
                       JsonArray  *items)
{
  g_return_if_fail (self != NULL);

  fill (self->slots, items, (gpointer (*) (JsonObject *)) slot_from_json);
}

guint
fest_lineup_get_n_stages (FestLineup *self)
{
  return self->stages->len;
}

const FestLineupStage *
fest_lineup_get_stage (FestLineup *self,
                       guint       index)
{
  g_return_val_if_fail (index < self->stages->len, NULL);

  return g_ptr_array_index (self->stages, index);
}

const FestLineupStage *
fest_lineup_lookup_stage (FestLineup *self,
                          const char *id)
{
  return lookup (self->stages, id, NULL);
}

guint
fest_lineup_get_n_artists (FestLineup *self)
{
  return self->artists->len;
}

const FestLineupArtist *
fest_lineup_get_artist (FestLineup *self,
                        guint       index)
{
  g_return_val_if_fail (index < self->artists->len, NULL);

  return g_ptr_array_index (self->artists, index);
}

const FestLineupArtist *
fest_lineup_lookup_artist (FestLineup *self,
                           const char *id)
{
  return lookup (self->artists, id, NULL);
}

guint
fest_lineup_get_n_slots (FestLineup *self)
{
  return self->slots->len;
}

const FestLineupSlot *
fest_lineup_get_slot (FestLineup *self,
                      guint       index)
{
  g_return_val_if_fail (index < self->slots->len, NULL);

  return g_ptr_array_index (self->slots, index);
}

const FestLineupSlot *
fest_lineup_lookup_slot (FestLineup *self,
                         const char *id)
{
  return lookup (self->slots, id, NULL);
}

gboolean
fest_lineup_update_slot (FestLineup *self,
                         JsonObject *object)
{
  FestLineupSlot *slot;
  guint index;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  slot = slot_from_json (object);
  if (slot == NULL)
    return FALSE;

  if (lookup (self->slots, slot->id, &index) != NULL)
    {
      slot_free (g_ptr_array_index (self->slots, index));
      g_ptr_array_index (self->slots, index) = slot;
    }
  else
    {
      g_ptr_array_add (self->slots, slot);
    }
  return TRUE;
}

void
fest_lineup_move_slot (FestLineup *self,
                       const char *id,
                       const char *stage_id,
                       gint64      start,
                       gint64      end)
{
  FestLineupSlot *slot = lookup (self->slots, id, NULL);

  if (slot == NULL)
    return;
  if (stage_id != NULL && g_strcmp0 (slot->stage_id, stage_id) != 0)
    {
      g_free (slot->stage_id);
      slot->stage_id = g_strdup (stage_id);
    }
  slot->start = start;
  slot->end = end;
}

void
fest_lineup_remove_slot (FestLineup *self,
                         const char *id)
{
  guint index;

  if (lookup (self->slots, id, &index) != NULL)
    g_ptr_array_remove_index (self->slots, index);
}

guint
fest_lineup_count_slots (FestLineup *self,
                         const char *stage_id,
                         const char *artist_id)
{
  guint n = 0;

  for (guint i = 0; i < self->slots->len; i++)
    {
      const FestLineupSlot *slot = g_ptr_array_index (self->slots, i);

      if ((stage_id == NULL || g_strcmp0 (slot->stage_id, stage_id) == 0)
          && (artist_id == NULL || g_strcmp0 (slot->artist_id, artist_id) == 0))
        n++;
    }
  return n;
}

static int
compare_start (gconstpointer a,
               gconstpointer b)
{
  const FestLineupSlot *sa = *(FestLineupSlot * const *) a;
  const FestLineupSlot *sb = *(FestLineupSlot * const *) b;

  if (sa->start != sb->start)
    return sa->start < sb->start ? -1 : 1;
  return g_strcmp0 (sa->id, sb->id);
}

GPtrArray *
fest_lineup_slots_between (FestLineup *self,
                           const char *stage_id,
                           gint64      start,
                           gint64      end)
{
  GPtrArray *result = g_ptr_array_new ();

  for (guint i = 0; i < self->slots->len; i++)
    {
      FestLineupSlot *slot = g_ptr_array_index (self->slots, i);

      if ((stage_id == NULL || g_strcmp0 (slot->stage_id, stage_id) == 0)
          && slot->start >= start && slot->start < end)
        g_ptr_array_add (result, slot);
    }
  g_ptr_array_sort (result, compare_start);
  return result;
}

const char *
fest_lineup_slot_title (FestLineup           *self,
                        const FestLineupSlot *slot)
{
  const FestLineupArtist *artist = fest_lineup_lookup_artist (self, slot->artist_id);

  return artist != NULL ? artist->name : "";
}

const char *
fest_lineup_status_label (const char *status)
{
  if (g_strcmp0 (status, "PENDING") == 0)
    return _("Pending");
  if (g_strcmp0 (status, "CONFIRMED") == 0)
    return _("Confirmed");
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return _("Cancelled");
  return status != NULL ? status : "";
}

const char *
fest_lineup_artist_type_label (const char *type)
{
  if (g_strcmp0 (type, "DJ") == 0)
    return _("DJ");
  if (g_strcmp0 (type, "BAND") == 0)
    return _("Band");
  if (g_strcmp0 (type, "SOLO") == 0)
    return _("Solo");
  if (g_strcmp0 (type, "OTHER") == 0)
    return _("Other");
  return type != NULL ? type : "";
}
