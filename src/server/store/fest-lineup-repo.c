/* fest-lineup-repo.c: stages, artists and slots in the festival store
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-crud-repo-private.h"
#include "fest-lineup-repo.h"

#define STAGE_COLUMNS "id, name, capacity, lat, lng, created_at, updated_at, changeover_minutes, zone"
#define ARTIST_COLUMNS "id, name, type, user_id, rider, guest_quota, created_at, updated_at, contact_email"
#define SLOT_COLUMNS "id, stage_id, artist_id, start_time, end_time, status, created_at, updated_at"

void
fest_stage_row_clear (FestStageRow *stage)
{
  g_clear_pointer (&stage->id, g_free);
  g_clear_pointer (&stage->name, g_free);
  g_clear_pointer (&stage->zone, g_free);
  g_clear_pointer (&stage->created_at, g_free);
  g_clear_pointer (&stage->updated_at, g_free);
}

void
fest_artist_row_clear (FestArtistRow *artist)
{
  g_clear_pointer (&artist->id, g_free);
  g_clear_pointer (&artist->name, g_free);
  g_clear_pointer (&artist->type, g_free);
  g_clear_pointer (&artist->user_id, g_free);
  g_clear_pointer (&artist->rider, g_free);
  g_clear_pointer (&artist->contact_email, g_free);
  g_clear_pointer (&artist->created_at, g_free);
  g_clear_pointer (&artist->updated_at, g_free);
}

void
fest_slot_row_clear (FestSlotRow *slot)
{
  g_clear_pointer (&slot->id, g_free);
  g_clear_pointer (&slot->stage_id, g_free);
  g_clear_pointer (&slot->artist_id, g_free);
  g_clear_pointer (&slot->start_time, g_free);
  g_clear_pointer (&slot->end_time, g_free);
  g_clear_pointer (&slot->status, g_free);
  g_clear_pointer (&slot->created_at, g_free);
  g_clear_pointer (&slot->updated_at, g_free);
}

static void
stage_read (gpointer    row,
            FestDbStmt *stmt)
{
  FestStageRow *stage = row;

  stage->id = fest_crud_column_dup (stmt, 0);
  stage->name = fest_crud_column_dup (stmt, 1);
  stage->has_capacity = !fest_db_column_is_null (stmt, 2);
  stage->capacity = fest_db_column_int64 (stmt, 2);
  stage->has_location = !fest_db_column_is_null (stmt, 3);
  stage->lat = fest_db_column_double (stmt, 3);
  stage->lng = fest_db_column_double (stmt, 4);
  stage->created_at = fest_crud_column_dup (stmt, 5);
  stage->updated_at = fest_crud_column_dup (stmt, 6);
  stage->changeover_minutes = fest_db_column_int64 (stmt, 7);
  stage->zone = fest_crud_column_dup (stmt, 8);
}

static void
artist_read (gpointer    row,
             FestDbStmt *stmt)
{
  FestArtistRow *artist = row;

  artist->id = fest_crud_column_dup (stmt, 0);
  artist->name = fest_crud_column_dup (stmt, 1);
  artist->type = fest_crud_column_dup (stmt, 2);
  artist->user_id = fest_crud_column_dup (stmt, 3);
  artist->rider = fest_crud_column_dup (stmt, 4);
  artist->guest_quota = fest_db_column_int64 (stmt, 5);
  artist->created_at = fest_crud_column_dup (stmt, 6);
  artist->updated_at = fest_crud_column_dup (stmt, 7);
  artist->contact_email = fest_crud_column_dup (stmt, 8);
}

static void
slot_read (gpointer    row,
           FestDbStmt *stmt)
{
  FestSlotRow *slot = row;

  slot->id = fest_crud_column_dup (stmt, 0);
  slot->stage_id = fest_crud_column_dup (stmt, 1);
  slot->artist_id = fest_crud_column_dup (stmt, 2);
  slot->start_time = fest_crud_column_dup (stmt, 3);
  slot->end_time = fest_crud_column_dup (stmt, 4);
  slot->status = fest_crud_column_dup (stmt, 5);
  slot->created_at = fest_crud_column_dup (stmt, 6);
  slot->updated_at = fest_crud_column_dup (stmt, 7);
}

const FestCrudTable fest_lineup_stages = {
  .select_sql = "SELECT " STAGE_COLUMNS " FROM stages WHERE id = ?1",
  .count_sql = "SELECT COUNT(*) FROM stages",
  .list_sql = "SELECT " STAGE_COLUMNS " FROM stages ORDER BY name COLLATE NOCASE, rowid LIMIT ?2 OFFSET ?3",
  .in_use_sql = "SELECT COUNT(*) FROM slots WHERE stage_id = ?1",
  .delete_sql = "DELETE FROM stages WHERE id = ?1",
  .row_size = sizeof (FestStageRow),
  .read = stage_read,
  .clear = (GDestroyNotify) fest_stage_row_clear,
};

const FestCrudTable fest_lineup_artists = {
  .select_sql = "SELECT " ARTIST_COLUMNS " FROM artists WHERE id = ?1",
  .count_sql = "SELECT COUNT(*) FROM artists",
  .list_sql = "SELECT " ARTIST_COLUMNS " FROM artists ORDER BY name COLLATE NOCASE, rowid LIMIT ?2 OFFSET ?3",
  .in_use_sql = "SELECT COUNT(*) FROM slots WHERE artist_id = ?1",
  .delete_sql = "DELETE FROM artists WHERE id = ?1",
  .row_size = sizeof (FestArtistRow),
  .read = artist_read,
  .clear = (GDestroyNotify) fest_artist_row_clear,
};

const FestCrudTable fest_lineup_slots = {
  .select_sql = "SELECT " SLOT_COLUMNS " FROM slots WHERE id = ?1",
  .count_sql = "SELECT COUNT(*) FROM slots WHERE (CAST(?1 AS TEXT) IS NULL OR stage_id = ?1) AND (CAST(?4 AS TEXT) IS NULL OR artist_id = ?4)",
  .list_sql = "SELECT " SLOT_COLUMNS " FROM slots WHERE (CAST(?1 AS TEXT) IS NULL OR stage_id = ?1) AND (CAST(?4 AS TEXT) IS NULL OR artist_id = ?4) "
              "ORDER BY start_time, rowid LIMIT ?2 OFFSET ?3",
  .delete_sql = "DELETE FROM slots WHERE id = ?1",
  .row_size = sizeof (FestSlotRow),
  .read = slot_read,
  .clear = (GDestroyNotify) fest_slot_row_clear,
};

gboolean
fest_lineup_repo_write_stage (FestWriteCtx *ctx,
                 const FestStageRow  *stage,
                 gboolean      insert,
                 GError      **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO stages (id, name, capacity, lat, lng, created_at, updated_at,"
                                   " changeover_minutes, zone) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE stages SET name = ?2, capacity = ?3, lat = ?4, lng = ?5, updated_at = ?7,"
                                   " changeover_minutes = ?8, zone = ?9 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, stage->id);
  fest_db_bind_text (stmt, 2, stage->name);
  if (stage->has_capacity)
    fest_db_bind_int64 (stmt, 3, stage->capacity);
  if (stage->has_location)
    {
      fest_db_bind_double (stmt, 4, stage->lat);
      fest_db_bind_double (stmt, 5, stage->lng);
    }
  if (insert)
    fest_db_bind_text (stmt, 6, stage->created_at);
  fest_db_bind_text (stmt, 7, stage->updated_at);
  fest_db_bind_int64 (stmt, 8, stage->changeover_minutes);
  fest_crud_bind_nullable_text (stmt, 9, stage->has_location ? stage->zone : NULL);
  return fest_crud_step_done (ctx, stmt, error);
}

gboolean
fest_lineup_repo_write_artist (FestWriteCtx *ctx,
                  const FestArtistRow *artist,
                  gboolean      insert,
                  GError      **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO artists (id, name, type, user_id, rider, guest_quota, created_at,"
                                   " updated_at, contact_email) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
                                   error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE artists SET name = ?2, type = ?3, user_id = ?4, rider = ?5,"
                                   " guest_quota = ?6, updated_at = ?8, contact_email = ?9 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, artist->id);
  fest_db_bind_text (stmt, 2, artist->name);
  fest_crud_bind_nullable_text (stmt, 3, artist->type);
  fest_crud_bind_nullable_text (stmt, 4, artist->user_id);
  fest_db_bind_text (stmt, 5, artist->rider);
  fest_db_bind_int64 (stmt, 6, artist->guest_quota);
  if (insert)
    fest_db_bind_text (stmt, 7, artist->created_at);
  fest_db_bind_text (stmt, 8, artist->updated_at);
  fest_crud_bind_nullable_text (stmt, 9, artist->contact_email);
  return fest_crud_step_done (ctx, stmt, error);
}

gboolean
fest_lineup_repo_write_slot (FestWriteCtx *ctx,
                const FestSlotRow   *slot,
                gboolean      insert,
                GError      **error)
{
  FestDbStmt *stmt;

  if (insert)
    stmt = fest_write_ctx_prepare (ctx,
                                   "INSERT INTO slots (id, stage_id, artist_id, start_time, end_time, status,"
                                   " created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", error);
  else
    stmt = fest_write_ctx_prepare (ctx,
                                   "UPDATE slots SET stage_id = ?2, artist_id = ?3, start_time = ?4, end_time = ?5,"
                                   " status = ?6, updated_at = ?8 WHERE id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, slot->id);
  fest_db_bind_text (stmt, 2, slot->stage_id);
  fest_db_bind_text (stmt, 3, slot->artist_id);
  fest_db_bind_text (stmt, 4, slot->start_time);
  fest_db_bind_text (stmt, 5, slot->end_time);
  fest_db_bind_text (stmt, 6, slot->status);
  if (insert)
    fest_db_bind_text (stmt, 7, slot->created_at);
  fest_db_bind_text (stmt, 8, slot->updated_at);
  return fest_crud_step_done (ctx, stmt, error);
}

gboolean
fest_lineup_repo_find_overlap (FestWriteCtx       *ctx,
                               const FestSlotRow  *slot,
                               gboolean            same_artist,
                               char              **other_id,
                               GError            **error)
{
  const char *column = same_artist ? "artist_id" : "stage_id";
  g_autofree char *sql = NULL;
  FestDbStmt *stmt;
  int rc;

  *other_id = NULL;
  sql = g_strdup_printf ("SELECT id FROM slots WHERE %s = ?1 AND status != 'CANCELLED' AND id != ?2"
                         " AND start_time < ?4 AND end_time > ?3 ORDER BY start_time LIMIT 1", column);
  stmt = fest_write_ctx_prepare (ctx, sql, error);
  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text (stmt, 1, same_artist ? slot->artist_id : slot->stage_id);
  fest_db_bind_text (stmt, 2, slot->id);
  fest_db_bind_text (stmt, 3, slot->start_time);
  fest_db_bind_text (stmt, 4, slot->end_time);
  rc = fest_db_step (stmt);
  if (rc == FEST_DB_ROW)
    *other_id = fest_crud_column_dup (stmt, 0);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_error (fest_write_ctx_get_db (ctx), error);
  return TRUE;
}

/* One artist row of @stmt (bound, not yet stepped) into @artist; resets @stmt. */
static gboolean
step_artist (FestDb         *db,
             FestDbStmt     *stmt,
             FestArtistRow  *artist,
             gboolean       *found,
             GError        **error)
{
  int rc = fest_db_step (stmt);

  *found = rc == FEST_DB_ROW;
  if (*found)
    artist_read (artist, stmt);
  fest_db_reset (stmt);
  if (rc != FEST_DB_ROW && rc != FEST_DB_DONE)
    return fest_db_error (db, error);
  return TRUE;
}

gboolean
fest_lineup_repo_get_artist_by_user (FestFestivalStore  *store,
                                     const char         *user_id,
                                     FestArtistRow      *artist,
                                     gboolean           *found,
                                     GError            **error)
{
  FestDbStmt *stmt = fest_festival_store_prepare_read (store,
                                                         "SELECT " ARTIST_COLUMNS " FROM artists WHERE user_id = ?1"
                                                         " ORDER BY created_at, rowid LIMIT 1", error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_copy (stmt, 1, user_id);
  return step_artist (fest_festival_store_get_read_db (store), stmt, artist, found, error);
}

gboolean
fest_lineup_repo_load_artist_by_user (FestWriteCtx   *ctx,
                                      const char     *user_id,
                                      const char     *except_id,
                                      FestArtistRow  *artist,
                                      gboolean       *found,
                                      GError        **error)
{
  FestDbStmt *stmt = fest_write_ctx_prepare (ctx,
                                               "SELECT " ARTIST_COLUMNS " FROM artists WHERE user_id = ?1"
                                               " AND (CAST(?2 AS TEXT) IS NULL OR id != ?2) ORDER BY created_at, rowid LIMIT 1",
                                               error);

  if (stmt == NULL)
    return FALSE;
  fest_db_bind_text_copy (stmt, 1, user_id);
  fest_crud_bind_nullable_text (stmt, 2, except_id);
  return step_artist (fest_write_ctx_get_db (ctx), stmt, artist, found, error);
}

void
fest_artist_slot_free (FestArtistSlot *slot)
{
  fest_slot_row_clear (&slot->slot);
  g_free (slot->stage_name);
  g_free (slot);
}

GPtrArray *
fest_lineup_repo_list_artist_slots (FestFestivalStore  *store,
                                    const char         *artist_id,
                                    GError            **error)
{
  g_autoptr(GPtrArray) slots = NULL;
  FestDbStmt *stmt;
  int rc;

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT s.id, s.stage_id, s.artist_id, s.start_time, s.end_time, s.status,"
                                           " s.created_at, s.updated_at, t.name "
                                           "FROM slots s JOIN stages t ON t.id = s.stage_id WHERE s.artist_id = ?1 "
                                           "ORDER BY s.start_time, s.rowid", error);
  if (stmt == NULL)
    return NULL;
  fest_db_bind_text_copy (stmt, 1, artist_id);
  slots = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_artist_slot_free);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestArtistSlot *slot = g_new0 (FestArtistSlot, 1);

      slot_read (&slot->slot, stmt);
      slot->stage_name = fest_crud_column_dup (stmt, 8);
      g_ptr_array_add (slots, slot);
    }
  if (rc != FEST_DB_DONE)
    fest_db_error (fest_festival_store_get_read_db (store), error);
  fest_db_reset (stmt);
  return rc == FEST_DB_DONE ? g_steal_pointer (&slots) : NULL;
}

void
fest_lineup_entry_free (FestLineupEntry *entry)
{
  g_free (entry->slot_id);
  g_free (entry->start_time);
  g_free (entry->end_time);
  g_free (entry->status);
  g_free (entry->updated_at);
  g_free (entry->artist_name);
  g_free (entry->artist_type);
  g_free (entry->stage_name);
  g_free (entry);
}

GPtrArray *
fest_lineup_repo_list_entries (FestFestivalStore  *store,
                               char              **festival_name,
                               char              **festival_timezone,
                               GError            **error)
{
  g_autoptr(GPtrArray) entries = NULL;
  FestDbStmt *festival;
  FestDbStmt *stmt;
  int rc;

  *festival_name = NULL;
  *festival_timezone = NULL;
  festival = fest_festival_store_prepare_read (store, "SELECT id, name, timezone FROM festival LIMIT 1", error);
  if (festival == NULL)
    return NULL;
  if (fest_db_step (festival) == FEST_DB_ROW)
    {
      *festival_name = fest_crud_column_dup (festival, 1);
      *festival_timezone = fest_crud_column_dup (festival, 2);
    }

  stmt = fest_festival_store_prepare_read (store,
                                           "SELECT s.id, s.start_time, s.end_time, s.status, s.updated_at,"
                                           " a.name, a.type, t.name, t.lat, t.lng "
                                           "FROM slots s JOIN artists a ON a.id = s.artist_id"
                                           " JOIN stages t ON t.id = s.stage_id "
                                           "ORDER BY s.start_time, s.rowid", error);
  if (stmt == NULL)
    {
      fest_db_reset (festival);
      g_clear_pointer (festival_name, g_free);
      g_clear_pointer (festival_timezone, g_free);
      return NULL;
    }
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) fest_lineup_entry_free);
  while ((rc = fest_db_step (stmt)) == FEST_DB_ROW)
    {
      FestLineupEntry *entry = g_new0 (FestLineupEntry, 1);

      entry->slot_id = fest_crud_column_dup (stmt, 0);
      entry->start_time = fest_crud_column_dup (stmt, 1);
      entry->end_time = fest_crud_column_dup (stmt, 2);
      entry->status = fest_crud_column_dup (stmt, 3);
      entry->updated_at = fest_crud_column_dup (stmt, 4);
      entry->artist_name = fest_crud_column_dup (stmt, 5);
      entry->artist_type = fest_crud_column_dup (stmt, 6);
      entry->stage_name = fest_crud_column_dup (stmt, 7);
      entry->has_location = !fest_db_column_is_null (stmt, 8);
      entry->lat = fest_db_column_double (stmt, 8);
      entry->lng = fest_db_column_double (stmt, 9);
      g_ptr_array_add (entries, entry);
    }
  if (rc != FEST_DB_DONE)
    fest_db_error (fest_festival_store_get_read_db (store), error);
  fest_db_reset (stmt);
  fest_db_reset (festival);   /* one read transaction for both */
  if (rc != FEST_DB_DONE)
    {
      g_clear_pointer (festival_name, g_free);
      g_clear_pointer (festival_timezone, g_free);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
