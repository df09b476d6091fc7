/* fest-ledger-check.c: `festivals-server --check`: every invariant of a festival's ledger
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The rules of each check; store/fest-ledger-check-repo.c reads the rows.
 */

#include "config.h"

#include "fest-core.h"
#include "fest-ledger-check-repo.h"
#include "fest-closures.h"
#include "fest-ledger-check.h"
#include "fest-ledger-row.h"

typedef struct
{
  GString  *report;
  gboolean  ok;
  /* check_balance_chains */
  char     *wallet;
  gboolean  wallet_broken;
  gint64    running;
  gint64    prev_seq;
  /* check_hash_chain */
  char     *prev_hash;
} Check;

/* Appends the error of a check that could not run; FALSE. */
static gboolean
report_error (Check  *check,
              GError *error)
{
  g_string_append_printf (check->report, "%s\n", error->message);
  g_error_free (error);
  check->ok = FALSE;
  return FALSE;
}

static void
integrity_line (const char *line,
                gpointer    user_data)
{
  Check *check = user_data;

  if (g_strcmp0 (line, "ok") != 0)
    {
      g_string_append_printf (check->report, "integrity_check: %s\n", line);
      check->ok = FALSE;
    }
}

static void
check_wallet (const FestCheckWallet *wallet,
              gpointer               user_data)
{
  Check *check = user_data;

  if (wallet->last_seq != wallet->expected_last_seq)
    {
      g_string_append_printf (check->report,
                              "wallet %s: its history starts from transaction seq %" G_GINT64_FORMAT
                              " but its newest transaction is seq %" G_GINT64_FORMAT "\n",
                              wallet->wallet_id, wallet->last_seq, wallet->expected_last_seq);
      check->ok = FALSE;
    }
  if (wallet->balance != wallet->sum)
    {
      g_string_append_printf (check->report,
                              "wallet %s: balance %" G_GINT64_FORMAT " but the sum of its transactions is %"
                              G_GINT64_FORMAT "\n",
                              wallet->wallet_id, wallet->balance, wallet->sum);
      check->ok = FALSE;
    }
  else if ((wallet->balance < 0) != wallet->overdrawn)
    {
      g_string_append_printf (check->report,
                              "wallet %s: overdrawn flag does not match balance %" G_GINT64_FORMAT "\n",
                              wallet->wallet_id, wallet->balance);
      check->ok = FALSE;
    }
}

static void
check_balance_row (const FestCheckBalanceRow *row,
                   gpointer                   user_data)
{
  Check *check = user_data;

  if (g_strcmp0 (check->wallet, row->wallet_id) != 0)
    {
      g_free (check->wallet);
      check->wallet = g_strdup (row->wallet_id);
      check->wallet_broken = FALSE;
      check->running = 0;
      check->prev_seq = 0;
    }
  if (check->wallet_broken)
    return;
  /* The wallet's history (GET /wallets/{id}/transactions) follows these links. */
  if (row->wallet_prev_seq != check->prev_seq)
    {
      g_string_append_printf (check->report,
                              "wallet %s: transaction seq %" G_GINT64_FORMAT " (%s) follows seq %"
                              G_GINT64_FORMAT " in the wallet's history, expected %" G_GINT64_FORMAT "\n",
                              row->wallet_id, row->seq, row->id, row->wallet_prev_seq, check->prev_seq);
      check->wallet_broken = TRUE;
      check->ok = FALSE;
      return;
    }
  check->prev_seq = row->seq;
  if (!fest_money_add (check->running, row->amount, &check->running) || check->running != row->balance_after)
    {
      g_string_append_printf (check->report,
                              "wallet %s: transaction seq %" G_GINT64_FORMAT " (%s) has balance_after %"
                              G_GINT64_FORMAT ", expected %" G_GINT64_FORMAT "\n",
                              row->wallet_id, row->seq, row->id, row->balance_after, check->running);
      check->wallet_broken = TRUE;
      check->ok = FALSE;
    }
}

/* Stops at the first broken link. */
static gboolean
check_hash_row (const FestLedgerRow *row,
                gpointer             user_data)
{
  Check *check = user_data;
  g_autofree char *expected = NULL;

  if (g_strcmp0 (row->prev_hash, check->prev_hash) != 0)
    {
      g_string_append_printf (check->report,
                              "hash chain broken at transaction seq %" G_GINT64_FORMAT " (%s): prev_hash "
                              "does not match the previous row's hash\n", row->seq, row->id);
      check->ok = FALSE;
      return FALSE;
    }
  expected = fest_ledger_row_hash (row);
  if (g_strcmp0 (row->hash, expected) != 0)
    {
      g_string_append_printf (check->report,
                              "hash chain broken at transaction seq %" G_GINT64_FORMAT " (%s) of wallet %s: "
                              "the row does not match its hash\n", row->seq, row->id, row->wallet_id);
      check->ok = FALSE;
      return FALSE;
    }
  g_free (check->prev_hash);
  check->prev_hash = g_strdup (row->hash);
  return TRUE;
}

static void
append_nullable_int (GString  *out,
                     gboolean  has_value,
                     gint64    value)
{
  if (has_value)
    g_string_append_printf (out, "%" G_GINT64_FORMAT, value);
  else
    g_string_append (out, "null");
}

static void
check_stock_row (const FestCheckStock *stock,
                 gpointer              user_data)
{
  Check *check = user_data;

  if (!stock->has_stock || !stock->has_expected || stock->stock != stock->expected)
    {
      g_string_append_printf (check->report, "product %s: stock ", stock->product_id);
      append_nullable_int (check->report, stock->has_stock, stock->stock);
      g_string_append (check->report, " does not match the ledger (expected ");
      append_nullable_int (check->report, stock->has_expected, stock->expected);
      g_string_append (check->report, ")\n");
      check->ok = FALSE;
    }
}

/* Every stored reply that refers to a ledger row finds it. */
static void
check_key (const char *key,
           const char *transaction_id,
           gpointer    user_data)
{
  Check *check = user_data;

  g_string_append_printf (check->report, "idempotency key %s: its reply refers to transaction %s, which is missing\n",
                          key, transaction_id);
  check->ok = FALSE;
}

gboolean
fest_ledger_check (const char *path,
                   GString    *report)
{
  g_autoptr(FestLedgerCheckDb) db = NULL;
  GError *error = NULL;
  Check check = { report, TRUE, NULL, FALSE, 0, 0, NULL };

  g_return_val_if_fail (path != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  db = fest_ledger_check_db_open (path, &error);
  if (db == NULL)
    return report_error (&check, error);
  return fest_ledger_check_db (db, report);
}

gboolean
fest_ledger_check_db (FestLedgerCheckDb *db,
                      GString           *report)
{
  GError *error = NULL;
  Check check = { report, TRUE, NULL, FALSE, 0, 0, NULL };

  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (report != NULL, FALSE);

  /* Integrity first: on a damaged file the other checks may read garbage. */
  if (!fest_ledger_check_db_integrity (db, integrity_line, &check, &error))
    return report_error (&check, error);
  if (!check.ok)
    return FALSE;

  if (!fest_ledger_check_db_wallets (db, check_wallet, &check, &error))
    report_error (&check, error);
  if (!fest_ledger_check_db_balance_rows (db, check_balance_row, &check, &error))
    report_error (&check, error);
  g_clear_pointer (&check.wallet, g_free);
  check.prev_hash = g_strdup (FEST_LEDGER_GENESIS_HASH);
  if (!fest_ledger_check_db_rows (db, check_hash_row, &check, &error))
    report_error (&check, error);
  g_clear_pointer (&check.prev_hash, g_free);
  if (!fest_ledger_check_db_stock (db, check_stock_row, &check, &error))
    report_error (&check, error);
  if (!fest_ledger_check_db_dangling_keys (db, check_key, &check, &error))
    report_error (&check, error);
  if (!fest_closures_check (db, report))
    check.ok = FALSE;
  return check.ok;
}
