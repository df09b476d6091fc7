/* fest-demo-tickets.c: the demo festival's ticket type, tickets and first scans
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Goes through fest-tickets.c like the ticket routes and /sync, so the demo's tickets are signed
 * and its scans placed in their timelines.
 */

#include "config.h"

#include "fest-core.h"
#include "fest-demo.h"
#include "fest-tickets.h"

typedef struct
{
  guint n_tickets;
} DemoJob;

static gboolean
demo_populate_job (FestWriteCtx   *ctx,
                   gpointer        job_data,
                   gpointer       *result,
                   GDestroyNotify *result_free,
                   GError        **error)
{
  static const char * const holders[] = {
    "Camille Martin", "Léa Bernard", "Hugo Dubois", "Chloé Thomas", "Lucas Robert", "Manon Richard",
    "Louis Petit", "Inès Durand", "Jules Leroy", "Zoé Moreau", "Gabriel Simon", "Jade Laurent",
    "Arthur Lefebvre", "Lina Michel", "Raphaël Garcia", "Emma David", "Nathan Bertrand", "Alice Roux",
    "Adam Vincent", "Louise Fournier",
  };
  DemoJob *job = job_data;
  FestTicketTypeInput type_input = { NULL, };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) from = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) until = g_date_time_add_days (now, 3);
  g_autoptr(JsonNode) type = NULL;
  const char *type_id;
  gboolean ok = FALSE;

  type_input.name = g_strdup ("Pass 3 jours");
  type_input.code = g_strdup ("PASS3J");
  type_input.price = 12900;
  type_input.quota = 5000;
  type_input.valid_from = fest_time_format (from);
  type_input.valid_until = fest_time_format (until);
  type_input.reentry_allowed = TRUE;

  type = fest_tickets_create_type (ctx, &type_input, NULL, error);
  if (type == NULL)
    goto out;
  type_id = json_object_get_string_member (json_node_get_object (type), "id");

  for (guint i = 0; i < job->n_tickets; i++)
    {
      g_autoptr(JsonNode) ticket = NULL;
      g_autofree char *email = NULL;
      const char *holder = holders[i % G_N_ELEMENTS (holders)];

      email = g_strdup_printf ("festivalier%u@demo.festivals", i + 1);
      ticket = fest_tickets_issue (ctx, type_id, holder, email, NULL, error);
      if (ticket == NULL)
        goto out;

      /* A third of the holders are already on site. */
      if (i % 3 == 0)
        {
          g_autoptr(GDateTime) at = g_date_time_add_minutes (now, -(gint) (10 + 7 * i));
          g_autofree char *scanned_at = fest_time_format (at);
          g_autoptr(JsonNode) entity = NULL;
          FestScanInput scan = {
            .ticket_id = json_object_get_string_member (json_node_get_object (ticket), "id"),
            .gate = i % 2 == 0 ? "Porte Nord" : "Porte Sud",
            .direction = "IN",
            .scanned_at = scanned_at,
          };

          entity = fest_tickets_scan_offline (ctx, &scan, NULL, error);
          if (entity == NULL)
            goto out;

          /* And one ticket that two offline gates both let in: a DUPLICATE_ENTRY alert. */
          if (i == 0)
            {
              g_autoptr(GDateTime) later = g_date_time_add_minutes (at, 4);
              g_autofree char *later_at = fest_time_format (later);
              g_autoptr(JsonNode) duplicate = NULL;

              scan.gate = "Porte Sud";
              scan.scanned_at = later_at;
              duplicate = fest_tickets_scan_offline (ctx, &scan, NULL, error);
              if (duplicate == NULL)
                goto out;
            }
        }
    }
  ok = TRUE;

out:
  fest_ticket_type_input_clear (&type_input);
  *result = GINT_TO_POINTER (ok);
  *result_free = NULL;
  return ok;
}

/* The tickets of `festivals-server --demo` (fest-demo.h): one type, twenty tickets, a few scanned. */
gboolean
fest_demo_add_tickets (FestServer         *server,
                       FestFestivalStore  *store,
                       const FestDemoIds  *ids,
                       GError            **error)
{
  DemoJob job = { 20 };

  return fest_festival_store_write_sync (store, demo_populate_job, &job, error) != NULL;
}
