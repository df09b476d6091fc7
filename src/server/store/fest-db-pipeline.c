/* fest-db-pipeline.c: PostgreSQL's pipeline mode for fest-db.c (see fest-db.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * With fest_db_set_unanswered_writes(), a statement that returns no rows is sent without waiting
 * for its answer, and fest_db_prefetch() sends a query ahead of its step (the connection enters
 * pipeline mode). The next statement that needs an answer goes out after them with a Sync, in the
 * same round trip, and _fest_db_pg_sync() reads every answer in order, then leaves pipeline mode.
 * Anything else that talks to the server (PQexec, PQprepare) syncs first.
 */

#include "config.h"

#include "fest-db-private.h"

/* Reads one statement's answer: its last result, or NULL after an error (the first one kept in
 * the connection's error) or when the statement was skipped for an earlier one. */
static PGresult *
pg_read_answer (FestDb   *db,
                gboolean *failed,
                gboolean *broken)
{
  PGresult *answer = NULL;
  PGresult *result;
  gboolean any = FALSE;

  while ((result = PQgetResult (db->pg)) != NULL)
    {
      any = TRUE;
      switch (PQresultStatus (result))
        {
        case PGRES_COMMAND_OK:
        case PGRES_TUPLES_OK:
          g_clear_pointer (&answer, PQclear);
          answer = result;
          break;
        case PGRES_PIPELINE_ABORTED:
          PQclear (result);
          break;
        default:
          if (!*failed)
            _fest_db_pg_set_error (result, db->pg, &db->pg_error, &db->pg_sqlstate);
          *failed = TRUE;
          PQclear (result);
          break;
        }
    }
  /* Every statement has an answer, if only "skipped": none means the connection broke. */
  *broken = !any;
  if (*broken || *failed)
    g_clear_pointer (&answer, PQclear);
  return answer;
}

gboolean
_fest_db_pg_sync (FestDb     *db,
                  FestDbStmt *stmt,
                  gint64     *changes)
{
  gboolean failed = FALSE;
  gboolean broken = FALSE;
  PGresult *result;
  guint i;

  if (PQpipelineStatus (db->pg) == PQ_PIPELINE_OFF)
    return TRUE;

  if (stmt != NULL && !_fest_db_pg_send (stmt->pg, db->pg))
    stmt = NULL, broken = TRUE;
  if (broken || !PQpipelineSync (db->pg))
    broken = TRUE;

  for (i = 0; i < db->pg_flight->len && !broken; i++)
    {
      FestDbStmt *prefetched = g_ptr_array_index (db->pg_flight, i);
      PGresult *answer = pg_read_answer (db, &failed, &broken);

      if (answer != NULL && _fest_db_pg_result_changes (answer) >= 0)
        db->pg_changes = _fest_db_pg_result_changes (answer);
      if (prefetched != NULL)
        _fest_db_pg_deliver (prefetched->pg, g_steal_pointer (&answer));
      g_clear_pointer (&answer, PQclear);
    }
  /* The connection broke: the rest get no answer. */
  for (; i < db->pg_flight->len; i++)
    if (g_ptr_array_index (db->pg_flight, i) != NULL)
      _fest_db_pg_deliver (((FestDbStmt *) g_ptr_array_index (db->pg_flight, i))->pg, NULL);
  g_ptr_array_set_size (db->pg_flight, 0);

  if (stmt != NULL && !broken)
    {
      PGresult *answer = pg_read_answer (db, &failed, &broken);

      if (answer != NULL
          && !_fest_db_pg_take_result (stmt->pg, answer, db->pg, changes, &db->pg_error, &db->pg_sqlstate))
        failed = TRUE;
    }

  if (!broken)
    {
      result = PQgetResult (db->pg);
      broken = result == NULL || PQresultStatus (result) != PGRES_PIPELINE_SYNC;
      g_clear_pointer (&result, PQclear);
    }
  if (broken)
    {
      if (!failed)
        _fest_db_pg_set_error (NULL, db->pg, &db->pg_error, &db->pg_sqlstate);
      return FALSE;
    }
  PQexitPipelineMode (db->pg);
  return !failed;
}

static gboolean
pg_enter_pipeline (FestDb *db)
{
  return PQpipelineStatus (db->pg) != PQ_PIPELINE_OFF || PQenterPipelineMode (db->pg);
}

int
_fest_db_pg_send_unanswered (FestDb     *db,
                             FestDbStmt *stmt)
{
  if (!pg_enter_pipeline (db) || !_fest_db_pg_send (stmt->pg, db->pg))
    {
      _fest_db_pg_set_error (NULL, db->pg, &db->pg_error, &db->pg_sqlstate);
      return FEST_DB_ERROR;
    }
  g_ptr_array_add (db->pg_flight, NULL);
  /* Its count comes with its answer: one change until then (it may change none). */
  if (_fest_db_pg_returns_nothing (stmt->pg))
    db->pg_total_changes++;
  return FEST_DB_DONE;
}

gboolean
fest_db_prefetch (FestDbStmt *stmt)
{
  FestDb *db = stmt->db;

  /* Prefetched before and never stepped (a replayed key's job): that answer is of no use now. */
  if (stmt->pg != NULL && _fest_db_pg_is_prefetched (stmt->pg) && !_fest_db_pg_is_sent (stmt->pg))
    _fest_db_pg_drop_result (stmt->pg);
  if (db->pg == NULL || !db->pg_unanswered_ok || PQstatus (db->pg) != CONNECTION_OK
      || !_fest_db_pg_returns_rows (stmt->pg) || !_fest_db_pg_can_send (stmt->pg, db->pg_session)
      || !pg_enter_pipeline (db) || !_fest_db_pg_send (stmt->pg, db->pg))
    return FALSE;
  _fest_db_pg_set_prefetched (stmt->pg, db->pg_writes);
  g_ptr_array_add (db->pg_flight, stmt);
  return TRUE;
}

void
fest_db_set_unanswered_writes (FestDb   *db,
                               gboolean  unanswered)
{
  if (db->pg != NULL)
    db->pg_unanswered_ok = unanswered;
}

gboolean
fest_db_sync (FestDb  *db,
              GError **error)
{
  if (db->sqlite != NULL)
    return TRUE;
  if (!_fest_db_pg_sync (db, NULL, NULL))
    return fest_db_error (db, error);
  if (PQtransactionStatus (db->pg) == PQTRANS_INERROR)
    {
      g_set_error_literal (error, FEST_STORE_ERROR, FEST_STORE_ERROR_SQLITE,
                           "A statement of the transaction failed");
      return FALSE;
    }
  return TRUE;
}
