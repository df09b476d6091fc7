/* fest-demo-lineup.c: the demo festival's lineup: three stages, thirty slots over its days
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The festival runs from yesterday to three days from now (fest-demo.c): each of its five days has
 * two slots on each stage, the afternoon on the Scène du Village, the evening on the Grande scène
 * and under the Chapiteau électro, all over by 22:00 UTC when the festival closes. Past days are
 * CONFIRMED; some later slots are still PENDING; one is CANCELLED. The two stages of the site
 * plan (fest-site-plan.c) sit where the plan draws them. Each stage has a changeover (20, 15 and
 * 10 minutes) that its two sets of a day leave free between them (30 minutes or more). Every
 * artist has a rider {technical, hospitality} (by type, or the headliners' own) and a booking
 * address; Polo & Pan is linked to the demo's artist account (fest-demo-artist.c gives them their
 * guests).
 */

#include "config.h"

#include "fest-demo.h"
#include "fest-lineup-repo.h"

#define DEMO_DAYS 5   /* yesterday .. in three days */

typedef struct
{
  const char *name;
  gint64      capacity;
  double      lat, lng;
  gint64      changeover_minutes;
} DemoStage;

static const DemoStage demo_stages[] = {
  { "Grande scène", 15000, 45.74909, 4.85051, 20 },
  { "Scène du Village", 3000, 45.75057, 4.84736, 15 },
  { "Chapiteau électro", 2500, 45.75165, 4.85322, 10 },
};

typedef struct
{
  const char *name;
  const char *type;
  const char *rider;         /* NULL: the rider of its type */
  gint64      guest_quota;
} DemoArtist;

#define HEADLINER_RIDER \
  "{\"technical\":\"Full backline, 2 wedges per musician, 48-channel FOH desk\"," \
  "\"hospitality\":\"Dressing room for 8, hot meals, still water\"}"

static const struct
{
  const char *type;
  const char *rider;
} type_riders[] = {
  { "DJ", "{\"technical\":\"2 CDJ-3000, 1 DJM-V10 mixer, booth monitors at DJ height\","
          "\"hospitality\":\"Still water, fresh fruit, towels\"}" },
  { "BAND", "{\"technical\":\"Drum kit, 2 guitar amps, 1 bass amp, 4 wedges\","
            "\"hospitality\":\"Dressing room for 5, sandwiches, still and sparkling water\"}" },
  { "SOLO", "{\"technical\":\"1 vocal microphone, 1 DI box, 2 wedges\","
            "\"hospitality\":\"Herbal tea, honey, still water\"}" },
};

/* The artist the demo's artist account is linked to. */
#define LINKED_ARTIST "Polo & Pan"

/* Ten per stage, in the order they play: DEMO_DAYS days of two slots. */
static const DemoArtist demo_artists[] = {
  /* Grande scène */
  { "Clara Luciani", "SOLO", HEADLINER_RIDER, 10 },
  { "Phoenix", "BAND", HEADLINER_RIDER, 10 },
  { "Feu! Chatterton", "BAND", NULL, 6 },
  { "Christine and the Queens", "SOLO", HEADLINER_RIDER, 10 },
  { "L'Impératrice", "BAND", NULL, 6 },
  { "Justice", "BAND", HEADLINER_RIDER, 10 },
  { "Angèle", "SOLO", HEADLINER_RIDER, 10 },
  { "Air", "BAND", HEADLINER_RIDER, 10 },
  { "Orelsan", "SOLO", HEADLINER_RIDER, 10 },
  { "M83", "BAND", HEADLINER_RIDER, 10 },
  /* Scène du Village */
  { "Pomme", "SOLO", NULL, 4 },
  { "Gaël Faye", "SOLO", NULL, 4 },
  { "Jain", "SOLO", NULL, 4 },
  { "Zaho de Sagazan", "SOLO", NULL, 4 },
  { "Ibeyi", "BAND", NULL, 4 },
  { "Juliette Armanet", "SOLO", NULL, 4 },
  { "Hervé", "SOLO", NULL, 4 },
  { "La Femme", "BAND", NULL, 4 },
  { "Jeanne Added", "SOLO", NULL, 4 },
  { "Cœur de pirate", "SOLO", NULL, 4 },
  /* Chapiteau électro */
  { "Agoria", "DJ", NULL, 4 },
  { "Fakear", "DJ", NULL, 4 },
  { "Bon Entendeur", "DJ", NULL, 4 },
  { "Polo & Pan", "DJ", NULL, 4 },
  { "The Blaze", "BAND", NULL, 4 },
  { "Breakbot", "DJ", NULL, 4 },
  { "Vitalic", "DJ", NULL, 4 },
  { "Madeon", "DJ", NULL, 4 },
  { "Kavinsky", "DJ", NULL, 4 },
  { "Laurent Garnier", "DJ", NULL, 4 },
};

/* Each stage's two slots of a day, UTC: hour and minute of start, length in minutes. */
typedef struct
{
  int hour, minute, minutes;
} DemoTime;

static const DemoTime demo_times[G_N_ELEMENTS (demo_stages)][2] = {
  { { 17, 0, 90 }, { 19, 30, 90 } },   /* Grande scène */
  { { 14, 0, 60 }, { 15, 30, 60 } },   /* Scène du Village */
  { { 18, 0, 90 }, { 20, 0, 105 } },   /* Chapiteau électro */
};

G_STATIC_ASSERT (G_N_ELEMENTS (demo_artists) == G_N_ELEMENTS (demo_stages) * DEMO_DAYS * 2);

static const char *
artist_rider (const DemoArtist *artist)
{
  if (artist->rider != NULL)
    return artist->rider;
  for (guint i = 0; i < G_N_ELEMENTS (type_riders); i++)
    if (g_str_equal (type_riders[i].type, artist->type))
      return type_riders[i].rider;
  return "{}";
}

/* "booking.polo-pan@demo.festivals" */
static char *
artist_email (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  g_autoptr(GString) slug = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  return g_strdup_printf ("booking.%s@demo.festivals", slug->str);
}

/* Day (0 = yesterday), stage and slot of the day that is CANCELLED. */
#define CANCELLED_DAY   3
#define CANCELLED_STAGE 2
#define CANCELLED_SLOT  0

static const char *
slot_status (int   day,
             guint stage,
             guint slot)
{
  if (day == CANCELLED_DAY && stage == CANCELLED_STAGE && slot == CANCELLED_SLOT)
    return "CANCELLED";
  /* Yesterday and today are settled; later, the second act of some stages is still open. */
  if (day >= 2 && slot == 1 && (stage != 0 || day == DEMO_DAYS - 1))
    return "PENDING";
  return "CONFIRMED";
}

static char *
slot_time (GDateTime *day,
           int        hour,
           int        minute,
           int        plus_minutes)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (g_date_time_get_year (day), g_date_time_get_month (day),
                                                    g_date_time_get_day_of_month (day), hour, minute, 0);
  g_autoptr(GDateTime) time = g_date_time_add_minutes (start, plus_minutes);

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

static gboolean
demo_lineup_job (FestWriteCtx    *ctx,
                 gpointer         job_data,
                 gpointer        *result,
                 GDestroyNotify  *result_free,
                 GError         **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) yesterday = g_date_time_add_days (now, -1);
  g_autofree char *created_at = fest_time_now ();
  g_autoptr(GPtrArray) stage_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) artist_ids = g_ptr_array_new_with_free_func (g_free);
  const FestDemoIds *ids = job_data;

  for (guint i = 0; i < G_N_ELEMENTS (demo_stages); i++)
    {
      char *id = fest_uuid_new ();
      FestStageRow stage = {
        .id = id,
        .name = (char *) demo_stages[i].name,
        .has_capacity = TRUE,
        .capacity = demo_stages[i].capacity,
        .has_location = TRUE,
        .lat = demo_stages[i].lat,
        .lng = demo_stages[i].lng,
        .changeover_minutes = demo_stages[i].changeover_minutes,
        .created_at = created_at,
        .updated_at = created_at,
      };

      g_ptr_array_add (stage_ids, id);
      if (!fest_lineup_repo_write_stage (ctx, &stage, TRUE, error))
        return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (demo_artists); i++)
    {
      char *id = fest_uuid_new ();
      g_autofree char *email = artist_email (demo_artists[i].name);
      FestArtistRow artist = {
        .id = id,
        .name = (char *) demo_artists[i].name,
        .type = (char *) demo_artists[i].type,
        .user_id = g_str_equal (demo_artists[i].name, LINKED_ARTIST) ? (char *) ids->artist_account_id : NULL,
        .rider = (char *) artist_rider (&demo_artists[i]),
        .guest_quota = demo_artists[i].guest_quota,
        .contact_email = email,
        .created_at = created_at,
        .updated_at = created_at,
      };

      g_ptr_array_add (artist_ids, id);
      if (!fest_lineup_repo_write_artist (ctx, &artist, TRUE, error))
        return FALSE;
    }

  for (int day = 0; day < DEMO_DAYS; day++)
    {
      g_autoptr(GDateTime) date = g_date_time_add_days (yesterday, day);

      for (guint stage = 0; stage < G_N_ELEMENTS (demo_stages); stage++)
        for (guint slot = 0; slot < 2; slot++)
          {
            const DemoTime *time = &demo_times[stage][slot];
            g_autofree char *id = fest_uuid_new ();
            g_autofree char *start_time = slot_time (date, time->hour, time->minute, 0);
            g_autofree char *end_time = slot_time (date, time->hour, time->minute, time->minutes);
            guint artist = stage * DEMO_DAYS * 2 + (guint) day * 2 + slot;
            FestSlotRow row = {
              .id = id,
              .stage_id = g_ptr_array_index (stage_ids, stage),
              .artist_id = g_ptr_array_index (artist_ids, artist),
              .start_time = start_time,
              .end_time = end_time,
              .status = (char *) slot_status (day, stage, slot),
              .created_at = created_at,
              .updated_at = created_at,
            };

            if (!fest_lineup_repo_write_slot (ctx, &row, TRUE, error))
              return FALSE;
          }
    }

  /* write_sync returns the result: non-NULL says it worked. */
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

gboolean
fest_demo_add_lineup (FestServer         *server,
                      FestFestivalStore  *store,
                      const FestDemoIds  *ids,
                      GError            **error)
{
  return fest_festival_store_write_sync (store, demo_lineup_job, (gpointer) ids, error) != NULL;
}
