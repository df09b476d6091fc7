/* fest-store-import.h: moves a festival from its SQLite file into PostgreSQL
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Copies the festival of @path (festival-<id>.db, beside its platform.db) into a new schema of the
 * PostgreSQL database @conninfo: every table of the festival, and its platform rows (the festival,
 * its members and their accounts, its devices and their tokens; sessions do not move). The file is
 * first brought to this program's schema; the copy is one transaction, checked against the file
 * (transactions, wallets, tickets and the hash chain's head) before it commits. On failure nothing
 * of the festival is left in the database. Appends what was copied to @summary. */
gboolean  fest_store_import_sqlite (const char  *path,
                                    const char  *conninfo,
                                    GString     *summary,
                                    GError     **error);

G_END_DECLS
