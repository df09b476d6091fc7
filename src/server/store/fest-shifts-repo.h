/* fest-shifts-repo.h: cash shifts of the tills (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-festival-store.h"
#include "fest-write-ctx.h"

G_BEGIN_DECLS

typedef struct
{
  const char *stand_id;   /* filters, nullable */
  const char *status;     /* "open", "closed" */
  const char *from;       /* opened_at >= from */
  const char *to;         /* opened_at < to */
} FestShiftFilter;

/* Writer thread */
gboolean  fest_shifts_repo_stand_exists  (FestWriteCtx          *ctx,
                                          const char            *stand_id,
                                          gboolean              *exists,
                                          GError               **error);
/* The owner's open shift id (NULL when none). */
gboolean  fest_shifts_repo_open_of       (FestWriteCtx          *ctx,
                                          const char            *owner,
                                          char                 **shift_id,
                                          GError               **error);
gboolean  fest_shifts_repo_insert        (FestWriteCtx          *ctx,
                                          const char            *id,
                                          const char            *stand_id,
                                          const char            *owner,
                                          const char            *device_id,
                                          const char            *operator_id,
                                          gint64                 opening_float,
                                          const char            *opened_at,
                                          const char            *now,
                                          GError               **error);
/* The shift as JSON (NULL when there is none), on the writer's connection. */
gboolean  fest_shifts_repo_read          (FestWriteCtx          *ctx,
                                          const char            *id,
                                          JsonNode             **shift,
                                          GError               **error);
/* Cash in and out of the shift's owner in the ledger rows committed after the shift opened: RECHARGE
 * rows paid CASH (or without a method) and cash PAYOUT rows (as a positive sum). */
gboolean  fest_shifts_repo_cash_sums     (FestWriteCtx          *ctx,
                                          const char            *shift_id,
                                          const char            *device_id,
                                          const char            *operator_id,
                                          gint64                *recharges,
                                          gint64                *payouts,
                                          GError               **error);
gboolean  fest_shifts_repo_close         (FestWriteCtx          *ctx,
                                          const char            *id,
                                          const char            *closed_at,
                                          gint64                 counted,
                                          gint64                 recharges,
                                          gint64                 payouts,
                                          gint64                 expected,
                                          const char            *note,
                                          const char            *closed_by,
                                          GError               **error);

/* Main thread */
gboolean  fest_shifts_repo_get           (FestFestivalStore     *store,
                                          const char            *id,
                                          JsonNode             **shift,
                                          GError               **error);
/* Newest first. */
gboolean  fest_shifts_repo_list          (FestFestivalStore     *store,
                                          const FestShiftFilter *filter,
                                          JsonArray             *out,
                                          GError               **error);

G_END_DECLS
