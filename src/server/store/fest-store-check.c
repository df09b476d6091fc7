/* fest-store-check.c: process-wide SQLite set-up and the platform database's `--check`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>

#include "fest-store-check.h"

void
fest_store_init (void)
{
  sqlite3_config (SQLITE_CONFIG_MEMSTATUS, 0);
}

gboolean
fest_store_check_integrity (const char *path,
                            GString    *lines)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL);
  if (rc != SQLITE_OK)
    {
      g_string_append_printf (lines, "cannot open: %s\n", db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      sqlite3_close_v2 (db);
      return FALSE;
    }

  ok = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK;
  if (!ok)
    g_string_append_printf (lines, "integrity_check cannot run: %s\n", sqlite3_errmsg (db));
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    if (g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
      {
        g_string_append_printf (lines, "integrity: %s\n", sqlite3_column_text (stmt, 0));
        ok = FALSE;
      }
  if (stmt != NULL && rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      g_string_append_printf (lines, "integrity_check failed: %s\n", sqlite3_errmsg (db));
      ok = FALSE;
    }
  sqlite3_finalize (stmt);
  sqlite3_close_v2 (db);
  return ok;
}
