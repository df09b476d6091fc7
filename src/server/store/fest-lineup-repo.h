/* fest-lineup-repo.h: stages, artists and slots in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Slot times are kept in whole seconds, UTC, in one fixed-width form, so that SQL compares them
 * as text.
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-crud-repo.h"

G_BEGIN_DECLS

typedef struct
{
  char     *id;
  char     *name;
  gboolean  has_capacity;
  gint64    capacity;
  gboolean  has_location;
  double    lat;
  double    lng;
  char     *zone;          /* nullable */
  gint64    changeover_minutes;
  char     *created_at;
  char     *updated_at;
} FestStageRow;

typedef struct
{
  char     *id;
  char     *name;
  char     *type;
  char     *user_id;
  char     *rider;         /* JSON object text */
  gint64    guest_quota;
  char     *contact_email; /* nullable */
  char     *created_at;
  char     *updated_at;
} FestArtistRow;

typedef struct
{
  char     *id;
  char     *stage_id;
  char     *artist_id;
  char     *start_time;
  char     *end_time;
  char     *status;
  char     *created_at;
  char     *updated_at;
} FestSlotRow;

void fest_stage_row_clear  (FestStageRow  *stage);
void fest_artist_row_clear (FestArtistRow *artist);
void fest_slot_row_clear   (FestSlotRow   *slot);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestStageRow, fest_stage_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestArtistRow, fest_artist_row_clear)
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestSlotRow, fest_slot_row_clear)

/* In use while slots refer to it. */
extern const FestCrudTable fest_lineup_stages;
/* In use while slots refer to it. */
extern const FestCrudTable fest_lineup_artists;
/* List filters: stage_id, artist_id; ordered by start time. */
extern const FestCrudTable fest_lineup_slots;

/* Writer thread: every column (INSERT when @insert, else UPDATE). */
gboolean   fest_lineup_repo_write_stage  (FestWriteCtx         *ctx,
                                          const FestStageRow   *stage,
                                          gboolean              insert,
                                          GError              **error);
gboolean   fest_lineup_repo_write_artist (FestWriteCtx         *ctx,
                                          const FestArtistRow  *artist,
                                          gboolean              insert,
                                          GError              **error);
gboolean   fest_lineup_repo_write_slot   (FestWriteCtx         *ctx,
                                          const FestSlotRow    *slot,
                                          gboolean              insert,
                                          GError              **error);
/* Writer thread: the first other slot that is not CANCELLED, of the same stage (or, when
 * @same_artist, of the same artist) and overlapping @slot's time; *@other_id NULL when none. */
gboolean   fest_lineup_repo_find_overlap (FestWriteCtx         *ctx,
                                          const FestSlotRow    *slot,
                                          gboolean              same_artist,
                                          char                **other_id,
                                          GError              **error);

/* Main thread: the artist whose account is @user_id into @artist (*@found FALSE when none). */
gboolean   fest_lineup_repo_get_artist_by_user  (FestFestivalStore    *store,
                                                 const char           *user_id,
                                                 FestArtistRow        *artist,
                                                 gboolean             *found,
                                                 GError              **error);
/* Writer thread: the same, skipping the artist @except_id (nullable). */
gboolean   fest_lineup_repo_load_artist_by_user (FestWriteCtx         *ctx,
                                                 const char           *user_id,
                                                 const char           *except_id,
                                                 FestArtistRow        *artist,
                                                 gboolean             *found,
                                                 GError              **error);

/* A slot with its stage's name (an artist's own slots). */
typedef struct
{
  FestSlotRow  slot;
  char        *stage_name;
} FestArtistSlot;

void       fest_artist_slot_free              (FestArtistSlot       *slot);

/* Main thread: every slot of @artist_id by start time, with its stage's name (of FestArtistSlot). */
GPtrArray *fest_lineup_repo_list_artist_slots (FestFestivalStore    *store,
                                               const char           *artist_id,
                                               GError              **error);

/* One slot of the lineup with its artist and stage (the iCalendar feed). */
typedef struct
{
  char     *slot_id;
  char     *start_time;
  char     *end_time;
  char     *status;
  char     *updated_at;
  char     *artist_name;
  char     *artist_type;   /* nullable */
  char     *stage_name;
  gboolean  has_location;
  double    lat;
  double    lng;
} FestLineupEntry;

void       fest_lineup_entry_free        (FestLineupEntry      *entry);

/* Main thread: every slot by start time (of FestLineupEntry), and the festival's name and time
 * zone (both NULL when the festival row is missing). */
GPtrArray *fest_lineup_repo_list_entries (FestFestivalStore    *store,
                                          char                **festival_name,
                                          char                **festival_timezone,
                                          GError              **error);

G_END_DECLS
