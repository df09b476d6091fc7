/* fest-lineup-model.h: the lineup as the Lineup page holds it (stages, artists, slots)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  char   *id;
  char   *name;
  gint64  capacity;            /* -1: none */
  int     changeover_minutes;  /* 0 when the server does not say */
  JsonObject *location;        /* {lat, lng, zone} or NULL: not placed */
} FestLineupStage;

typedef struct
{
  char   *id;
  char   *name;
  char   *type;                /* DJ, BAND, SOLO, OTHER or NULL */
  char   *user_id;             /* the linked ARTIST account, or NULL */
  char   *contact_email;       /* nullable */
  char   *rider_technical;     /* never NULL */
  char   *rider_hospitality;   /* never NULL */
  gint64  guest_quota;
} FestLineupArtist;

typedef struct
{
  char   *id;
  char   *stage_id;
  char   *artist_id;
  gint64  start;               /* Unix seconds */
  gint64  end;
  char   *status;              /* PENDING, CONFIRMED or CANCELLED */
} FestLineupSlot;

/* The festival's stages, artists and slots, from the API's JSON (DESIGN §10), in the order the
 * server listed them; a slot:updated event replaces one slot. Reference counted. */
typedef struct _FestLineup FestLineup;

FestLineup             *fest_lineup_new              (void);
FestLineup             *fest_lineup_ref              (FestLineup       *self);
void                    fest_lineup_unref            (FestLineup       *self);

/* Replace every stage / artist / slot with the objects of @items (other elements are skipped). */
void                    fest_lineup_set_stages       (FestLineup       *self,
                                                      JsonArray        *items);
void                    fest_lineup_set_artists      (FestLineup       *self,
                                                      JsonArray        *items);
void                    fest_lineup_set_slots        (FestLineup       *self,
                                                      JsonArray        *items);

guint                   fest_lineup_get_n_stages     (FestLineup       *self);
const FestLineupStage  *fest_lineup_get_stage        (FestLineup       *self,
                                                      guint             index);
const FestLineupStage  *fest_lineup_lookup_stage     (FestLineup       *self,
                                                      const char       *id);
guint                   fest_lineup_get_n_artists    (FestLineup       *self);
const FestLineupArtist *fest_lineup_get_artist       (FestLineup       *self,
                                                      guint             index);
const FestLineupArtist *fest_lineup_lookup_artist    (FestLineup       *self,
                                                      const char       *id);
guint                   fest_lineup_get_n_slots      (FestLineup       *self);
const FestLineupSlot   *fest_lineup_get_slot         (FestLineup       *self,
                                                      guint             index);
const FestLineupSlot   *fest_lineup_lookup_slot      (FestLineup       *self,
                                                      const char       *id);

/* Inserts or replaces the slot of @object (a slot's JSON); FALSE if it is not one. */
gboolean                fest_lineup_update_slot      (FestLineup       *self,
                                                      JsonObject       *object);
/* Changes a slot's place and times (an edit the server accepted or is about to). */
void                    fest_lineup_move_slot        (FestLineup       *self,
                                                      const char       *id,
                                                      const char       *stage_id,
                                                      gint64            start,
                                                      gint64            end);
void                    fest_lineup_remove_slot      (FestLineup       *self,
                                                      const char       *id);

/* The slots (every status) of @stage_id or @artist_id (either nullable): what keeps a stage or an
 * artist from being deleted. */
guint                   fest_lineup_count_slots      (FestLineup       *self,
                                                      const char       *stage_id,
                                                      const char       *artist_id);
/* The slots of @stage_id (nullable: all) that start in [@start, @end), sorted by start
 * (transfer container: the slots are borrowed). */
GPtrArray              *fest_lineup_slots_between    (FestLineup       *self,
                                                      const char       *stage_id,
                                                      gint64            start,
                                                      gint64            end);

/* The artist's name of @slot, "" when unknown. */
const char             *fest_lineup_slot_title       (FestLineup       *self,
                                                      const FestLineupSlot *slot);

/* "Pending", "Confirmed", "Cancelled" (translated), the status itself when unknown. */
const char             *fest_lineup_status_label     (const char       *status);
/* "DJ", "Band", "Solo", "Other" (translated), "" for NULL. */
const char             *fest_lineup_artist_type_label (const char      *type);

/* "2026-07-10T19:00:00Z" for Unix seconds (transfer full). */
char                   *fest_lineup_format_utc       (gint64            time);
/* Unix seconds of an RFC 3339 time; FALSE if invalid. */
gboolean                fest_lineup_parse_time       (const char       *text,
                                                      gint64           *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestLineup, fest_lineup_unref)

G_END_DECLS
