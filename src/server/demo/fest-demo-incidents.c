/* fest-demo-incidents.c: the demo festival's incidents around its site
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-demo.h"
#include "fest-incidents-repo.h"
#include "fest-incidents.h"

typedef struct
{
  double      lat;
  double      lng;
  const char *security_id;
} DemoJob;

static gboolean
demo_job (FestWriteCtx   *ctx,
          gpointer        job_data,
          gpointer       *result,
          GDestroyNotify *result_free,
          GError        **error)
{
  static const struct
  {
    const char *type;
    double      dlat;
    double      dlng;
    const char *description;
    gboolean    resolved;
  } demo[] = {
    { "MEDICAL", 0.0008, -0.0011, "Malaise près de la scène principale, secouristes demandés", FALSE },
    { "LOST_PERSON", -0.0006, 0.0009, "Enfant de 8 ans, t-shirt jaune, cherche ses parents", FALSE },
    { "THEFT", 0.0003, 0.0015, "Vol de sac signalé au bar Nord", FALSE },
    { "FIGHT", -0.0012, -0.0004, "Altercation devant le stand restauration", TRUE },
  };
  DemoJob *job = job_data;

  *result_free = NULL;
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      FestIncidentInput input = {
        .type = (char *) demo[i].type,
        .lat = job->lat + demo[i].dlat,
        .lng = job->lng + demo[i].dlng,
        .description = (char *) demo[i].description,
      };
      g_autoptr(JsonNode) incident = fest_incidents_create (ctx, &input, NULL, error);
      const char *id;

      if (incident == NULL)
        return FALSE;
      id = json_object_get_string_member (json_node_get_object (incident), "id");
      if (i == 0 && job->security_id != NULL && !fest_incidents_repo_set_assigned (ctx, id, job->security_id, error))
        return FALSE;
      if (demo[i].resolved && !fest_incidents_repo_set_resolved (ctx, id, "Séparés par la sécurité, pas de blessé", error))
        return FALSE;
    }
  *result = GINT_TO_POINTER (TRUE);
  return TRUE;
}

/* The incidents of `festivals-server --demo` (fest-demo.h): a few around the demo site in Lyon, one
 * assigned to the security account, one resolved. */
gboolean
fest_demo_add_incidents (FestServer         *server,
                         FestFestivalStore  *store,
                         const FestDemoIds  *ids,
                         GError            **error)
{
  DemoJob job = { 45.75, 4.85, ids->security_id };

  return fest_festival_store_write_sync (store, demo_job, &job, error) != NULL;
}
