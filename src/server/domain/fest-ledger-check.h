/* fest-ledger-check.h: `festivals-server --check`: every invariant of a festival's ledger
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "fest-ledger-check-repo.h"

G_BEGIN_DECLS

/* Verifies every ledger invariant of the festival database at @path, opened read-only (Σ amounts =
 * balance per wallet, the balance_after chain, the hash chain, stock against lines, stored replies
 * against the ledger rows they refer to, PRAGMA integrity_check). Appends one line per violation
 * to @report, naming the wallet or the first broken row. TRUE if clean. */
gboolean  fest_ledger_check    (const char        *path,
                                GString           *report);
/* The same on an open database (fest_ledger_check_db_open_pg(): a festival in PostgreSQL). */
gboolean  fest_ledger_check_db (FestLedgerCheckDb *db,
                                GString           *report);

G_END_DECLS
