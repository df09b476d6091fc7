/* fest-closures.h: legal closures of a day, a month or a year (issue 19, DESIGN §12)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A closure records, once and for good, what the ledger holds for a period of the festival's time
 * zone: totals per VAT rate and per payment method, the transaction count, the sales and the
 * perpetual grand total (Σ sales of every closed day), the ledger's last row and its hash, and its
 * own hash over a canonical text of all that and the previous closure's hash (a chain, genesis 64
 * zeros). A period is closed once (409 CONFLICT, reason ALREADY_CLOSED), only after it ended
 * (409, PERIOD_NOT_ENDED), a month only when each of its days with ledger rows is closed and a year
 * only when each of its months with rows is (409, PERIOD_NOT_CLOSED, details.missing).
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-closures-repo.h"
#include "fest-ledger-check-repo.h"
#include "fest-write-ctx.h"

G_BEGIN_DECLS

#define FEST_CLOSURE_GENESIS_HASH "0000000000000000000000000000000000000000000000000000000000000000"

typedef struct
{
  char *date;
  char *starts_at;
  char *ends_at;
} FestClosurePart;

typedef struct
{
  char      *period;        /* DAY MONTH YEAR */
  char      *date;
  char      *starts_at;     /* UTC */
  char      *ends_at;
  const char *part_period;  /* DAY for a MONTH, MONTH for a YEAR, NULL for a DAY */
  GPtrArray *parts;         /* FestClosurePart, the days or months that must be closed first */
} FestClosureInput;

void      fest_closure_input_clear  (FestClosureInput     *input);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestClosureInput, fest_closure_input_clear)

/* @period and @date (YYYY-MM-DD, YYYY-MM or YYYY) in @zone; VALIDATION_FAILED naming "period" or
 * "date". */
gboolean  fest_closure_input_init   (FestClosureInput     *input,
                                     const char           *period,
                                     const char           *date,
                                     GTimeZone            *zone,
                                     GError              **error);

/* Writer thread: checks and writes the closure and its audit row; @out is its JSON. */
gboolean  fest_closures_close       (FestWriteCtx         *ctx,
                                     const FestClosureInput *input,
                                     const FestActor      *actor,
                                     JsonNode            **out,
                                     GError              **error);

char     *fest_closure_hash         (const FestClosureRow *row);
JsonNode *fest_closure_to_json      (const FestClosureRow *row);

/* --check: the chain and each closure's figures against the ledger; one line per broken closure
 * appended to @report. FALSE if any. */
gboolean  fest_closures_check       (FestLedgerCheckDb    *db,
                                     GString              *report);

G_END_DECLS
