/* fest-demo-artist.c: the demo artist account's guest list
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * artist@demo.festivals (fest-demo.c, role ARTIST) is linked to one artist of the lineup
 * (fest-demo-lineup.c); two guests are on that artist's list, issued as the artist would through
 * POST /me/artist/guests (fest_artist_guests_issue: GUEST tickets, signed).
 */

#include "config.h"

#include "fest-artist-guests.h"
#include "fest-demo.h"
#include "fest-lineup-repo.h"

static const struct
{
  const char *name;
  const char *email;
} demo_guests[] = {
  { "Léa Fontaine", "lea.fontaine@example.org" },
  { "Hugo Marchand", NULL },
};

static gboolean
demo_guests_job (FestWriteCtx    *ctx,
                 gpointer         job_data,
                 gpointer        *result,
                 GDestroyNotify  *result_free,
                 GError         **error)
{
  const FestDemoIds *ids = job_data;
  g_auto(FestArtistRow) artist = { 0, };
  FestActor actor = {
    .account_id = (char *) ids->artist_account_id,
    .user_agent = (char *) "festivals-server --demo",
  };
  gboolean found = FALSE;

  if (!fest_lineup_repo_load_artist_by_user (ctx, ids->artist_account_id, NULL, &artist, &found, error))
    return FALSE;
  if (!found)
    {
      g_set_error_literal (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The demo artist account has no artist");
      return FALSE;
    }
  for (guint i = 0; i < G_N_ELEMENTS (demo_guests); i++)
    {
      g_autoptr(JsonNode) guest = fest_artist_guests_issue (ctx, artist.id, artist.guest_quota, demo_guests[i].name,
                                                            demo_guests[i].email, &actor, error);

      if (guest == NULL)
        return FALSE;
    }

  /* write_sync returns the result: non-NULL says it worked. */
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

gboolean
fest_demo_add_artist_guests (FestServer         *server,
                             FestFestivalStore  *store,
                             const FestDemoIds  *ids,
                             GError             **error)
{
  return fest_festival_store_write_sync (store, demo_guests_job, (gpointer) ids, error) != NULL;
}
