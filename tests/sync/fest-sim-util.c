/* fest-sim-util.c: helpers of the station/server simulation (test-simulation.c)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "fest-core.h"
#include "fest-sim-util.h"

/* Waiting on the main context, bounded */

typedef struct
{
  gboolean           done;
  gboolean           ok;
  FestOnlineOutcome  outcome;
  JsonNode          *entity;
  GError            *error;
} Wait;

static gboolean
deadline_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates until *@done; FALSE if @timeout_s passed first. */
static gboolean
wait_for (gboolean *done,
          guint     timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, deadline_cb, &expired);

  while (!*done && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  return *done;
}

static void
sync_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Wait *wait = user_data;

  wait->ok = fest_sync_engine_sync_finish (FEST_SYNC_ENGINE (source), result, &wait->error);
  wait->done = TRUE;
}

gboolean
fest_sim_run_sync (FestSyncEngine  *engine,
                   guint            timeout_s,
                   gboolean        *timed_out,
                   GError         **error)
{
  /* Heap-allocated: after a timeout the callback still comes, later. */
  Wait *wait = g_new0 (Wait, 1);
  gboolean ok;

  fest_sync_engine_sync_async (engine, NULL, sync_done_cb, wait);
  if (!wait_for (&wait->done, timeout_s))
    {
      if (timed_out != NULL)
        *timed_out = TRUE;
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "the sync did not end within %u s", timeout_s);
      return FALSE;
    }
  ok = wait->ok;
  if (wait->error != NULL)
    g_propagate_error (error, wait->error);
  g_free (wait);
  return ok;
}

static void
online_done_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Wait *wait = user_data;

  wait->entity = fest_sync_engine_post_transaction_finish (FEST_SYNC_ENGINE (source), result, &wait->outcome,
                                                           &wait->error);
  wait->done = TRUE;
}

FestOnlineOutcome
fest_sim_post_online (FestSyncEngine  *engine,
                      const char      *key,
                      JsonNode        *body,
                      guint            timeout_ms,
                      guint            timeout_s,
                      JsonNode       **entity,
                      gboolean        *timed_out)
{
  Wait *wait = g_new0 (Wait, 1);
  FestOnlineOutcome outcome;

  *entity = NULL;
  fest_sync_engine_post_transaction_async (engine, key, body, timeout_ms, NULL, online_done_cb, wait);
  if (!wait_for (&wait->done, timeout_s))
    {
      if (timed_out != NULL)
        *timed_out = TRUE;
      return FEST_ONLINE_UNCERTAIN;
    }
  outcome = wait->outcome;
  *entity = wait->entity;
  g_clear_error (&wait->error);
  g_free (wait);
  return outcome;
}

gboolean
fest_sim_lookup_key (FestSyncServer  *server,
                     const char      *key,
                     gint64           amount,
                     GError         **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *escaped = g_uri_escape_string (key, NULL, TRUE);
  g_autofree char *path = g_strdup_printf ("/transactions?idempotency_key=%s&per_page=10", escaped);
  guint status = fest_sync_server_request (server, "GET", path, server->admin_token, NULL, NULL, &node);
  JsonArray *items;

  if (status != 200 || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET %s answered %u", path, status);
      return FALSE;
    }
  items = json_node_get_array (node);
  if (json_array_get_length (items) != 1)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET %s lists %u transactions, not 1", path,
                 json_array_get_length (items));
  else if (json_object_get_int_member (json_array_get_object_element (items, 0), "amount") != amount)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                 "GET %s: amount %" G_GINT64_FORMAT ", the station has %" G_GINT64_FORMAT, path,
                 json_object_get_int_member (json_array_get_object_element (items, 0), "amount"), amount);
  else
    return TRUE;
  return FALSE;
}

/* The server's state, from its database */

static void
scan_free (gpointer data)
{
  FestSimScan *scan = data;

  g_free (scan->ticket_id);
  g_free (scan->gate);
  g_free (scan->result);
  g_free (scan);
}

void
fest_sim_server_state_clear (FestSimServerState *state)
{
  g_clear_pointer (&state->ledger, g_hash_table_unref);
  g_clear_pointer (&state->doubled_keys, g_ptr_array_unref);
  g_clear_pointer (&state->wrong_balances, g_hash_table_unref);
  g_clear_pointer (&state->balances, g_hash_table_unref);
  g_clear_pointer (&state->scans, g_ptr_array_unref);
  g_clear_pointer (&state->alerted, g_hash_table_unref);
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

static gboolean
read_ledger (sqlite3            *db,
             FestSimServerState *state)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT idempotency_key, amount FROM transactions", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 amount = sqlite3_column_int64 (stmt, 1);
      char *key = column_dup (stmt, 0);

      if (g_hash_table_contains (state->ledger, key))
        g_ptr_array_add (state->doubled_keys, g_strdup (key));
      g_hash_table_insert (state->ledger, key, g_memdup2 (&amount, sizeof amount));
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
read_balances (sqlite3            *db,
               FestSimServerState *state)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT w.id, w.balance, (SELECT COALESCE(SUM(t.amount), 0) FROM transactions t"
                              " WHERE t.wallet_id = w.id) FROM wallets w", -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 balance = sqlite3_column_int64 (stmt, 1);

      g_hash_table_insert (state->balances, column_dup (stmt, 0), g_memdup2 (&balance, sizeof balance));
      if (balance != sqlite3_column_int64 (stmt, 2))
        g_hash_table_insert (state->wrong_balances, column_dup (stmt, 0),
                           g_strdup_printf ("balance %" G_GINT64_FORMAT ", ledger sum %" G_GINT64_FORMAT,
                                            (gint64) sqlite3_column_int64 (stmt, 1),
                                            (gint64) sqlite3_column_int64 (stmt, 2)));
    }
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

static gboolean
read_scans (sqlite3            *db,
            FestSimServerState *state)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, "SELECT ticket_id, gate, result, julianday(scanned_at) FROM scans", -1, &stmt,
                          NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      FestSimScan *scan = g_new0 (FestSimScan, 1);

      scan->ticket_id = column_dup (stmt, 0);
      scan->gate = column_dup (stmt, 1);
      scan->result = column_dup (stmt, 2);
      scan->when = sqlite3_column_double (stmt, 3);
      g_ptr_array_add (state->scans, scan);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return FALSE;

  if (sqlite3_prepare_v2 (db, "SELECT entity_id FROM alerts WHERE type = 'DUPLICATE_ENTRY'", -1, &stmt,
                          NULL) != SQLITE_OK)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_hash_table_add (state->alerted, column_dup (stmt, 0));
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

gboolean
fest_sim_server_state_read (const char          *db_path,
                            FestSimServerState  *state,
                            GError             **error)
{
  sqlite3 *db = NULL;
  gboolean ok;

  state->ledger = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->doubled_keys = g_ptr_array_new_with_free_func (g_free);
  state->wrong_balances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->balances = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->scans = g_ptr_array_new_with_free_func (scan_free);
  state->alerted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  ok = sqlite3_open_v2 (db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK;
  if (ok)
    {
      sqlite3_busy_timeout (db, 10000);
      /* One read transaction: one consistent snapshot of every table. */
      ok = sqlite3_exec (db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
           read_ledger (db, state) && read_balances (db, state) && read_scans (db, state);
    }
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot read %s: %s", db_path,
                 db != NULL ? sqlite3_errmsg (db) : "cannot open");
  sqlite3_close (db);
  return ok;
}

gboolean
fest_sim_skew_op (const char  *store_path,
                  const char  *key,
                  gint         seconds,
                  GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) skewed = g_date_time_add_seconds (now, seconds);
  g_autofree char *text = fest_time_format (skewed);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok;

  ok = sqlite3_open_v2 (store_path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
       sqlite3_busy_timeout (db, 10000) == SQLITE_OK &&
       sqlite3_prepare_v2 (db, "UPDATE outbox SET created_at = ?1, payload = json_set(payload, '$.created_at', ?1)"
                               " WHERE idempotency_key = ?2 AND state = 0", -1, &stmt, NULL) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 1, text, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
       sqlite3_bind_text (stmt, 2, key, -1, SQLITE_TRANSIENT) == SQLITE_OK &&
       sqlite3_step (stmt) == SQLITE_DONE;
  if (!ok)
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "cannot set the clock of %s: %s", store_path,
                 db != NULL ? sqlite3_errmsg (db) : "cannot open");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* Command line and environment */

gboolean
fest_sim_take_option (int         *argc,
                      char       **argv,
                      const char  *name,
                      guint64     *value)
{
  gsize len = strlen (name);

  for (int i = 1; i < *argc; i++)
    {
      const char *text = NULL;
      int used = 0;

      if (g_str_equal (argv[i], name) && i + 1 < *argc)
        text = argv[i + 1], used = 2;
      else if (g_str_has_prefix (argv[i], name) && argv[i][len] == '=')
        text = argv[i] + len + 1, used = 1;
      if (text == NULL)
        continue;
      if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, value, NULL))
        g_error ("%s wants a positive number, not \"%s\"", name, text);
      memmove (&argv[i], &argv[i + used], (*argc - i - used + 1) * sizeof (char *));
      *argc -= used;
      return TRUE;
    }
  return FALSE;
}

gboolean
fest_sim_env_option (const char *name,
                     guint64    *value)
{
  const char *text = g_getenv (name);

  if (text == NULL)
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT32, value, NULL))
    g_error ("%s wants a positive number, not \"%s\"", name, text);
  return TRUE;
}
