/* fest-ledger.c: the cashless ledger: transactions as write jobs, the rules of each type
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The ledger is the append-only `transactions` table of a festival database. Every row is applied
 * on the store's writer thread (fest_ledger_apply) inside the caller's SAVEPOINT, together with the
 * wallet's balance cache, the stock of the products sold, the audit row and the events: either all
 * of it commits or none. The rules live here; the SQL is in store/fest-ledger-repo.c; the row's
 * JSON and hash chain in fest-ledger-row.c.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-ledger-private.h"
#include "fest-stats.h"

/* The member of a CANCEL refusal's details that says the window had passed (and
 * _fest_ledger_note_refusal() remembers it). */
#define CANCEL_WINDOW_DETAIL "cancel_window_s"
/* How far before its payment a CANCEL may claim to be: two clocks (an offline sale's station, the
 * server's or another station's) disagree by that much (POST /sync bounds a station's clock alike). */
#define CANCEL_CLOCK_SKEW_S 300

/* Set once at startup (festivals-server --cancel-window), before any write job runs. */
static gint64 cancel_window_s = FEST_LEDGER_CANCEL_WINDOW_DEFAULT;

void
fest_ledger_set_cancel_window (gint64 seconds)
{
  g_return_if_fail (seconds >= 0);

  cancel_window_s = seconds;
}

gint64
fest_ledger_get_cancel_window (void)
{
  return cancel_window_s;
}

static GError *
not_found (const char *field,
           const char *what)
{
  JsonObject *details = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (details, "field", field);
  json_node_take_object (node, details);
  return fest_error_new_with_details (FEST_ERROR_NOT_FOUND, node, "%s not found", what);
}

static gboolean
load_wallet (FestWriteCtx               *ctx,
             const FestTransactionInput *input,
             const char                 *wallet_id,
             FestLedgerWallet           *wallet,
             GError                    **error)
{
  gboolean found;

  if (!fest_ledger_repo_load_wallet (ctx, wallet_id, input->wallet_code, wallet, &found, error))
    return FALSE;
  if (!found)
    {
      g_propagate_error (error, not_found (wallet_id != NULL ? "wallet_id" : "wallet_code", "wallet"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
insert_alert (FestWriteCtx *ctx,
              const char   *type,
              const char   *entity_type,
              const char   *entity_id,
              JsonNode     *details,
              gint64        rev,
              const char   *now,
              GError      **error)
{
  g_autofree char *id = fest_uuid_new ();
  g_autofree char *details_text = details != NULL ? fest_json_to_string (details, NULL) : NULL;

  return fest_ledger_repo_insert_alert (ctx, id, type, entity_type, entity_id, details_text, rev, now, error);
}

/* Prices the lines of a PAYMENT and checks them (stand, products, overflow, stock online) without
 * writing anything. Returns the (positive) total in *total. */
static gboolean
price_payment_lines (FestWriteCtx               *ctx,
                     const FestTransactionInput *input,
                     gboolean                    offline,
                     GArray                     *lines,
                     gint64                     *total,
                     GError                    **error)
{
  gboolean found, usable;
  gint64 sum = 0;

  if (!fest_ledger_repo_get_stand (ctx, input->stand_id, &found, &usable, error))
    return FALSE;
  if (!found)
    {
      g_propagate_error (error, not_found ("stand_id", "stand"));
      return FALSE;
    }
  if (!offline && !usable)
    {
      g_propagate_error (error, fest_error_validation ("stand_id", "the stand is not active"));
      return FALSE;
    }

  for (guint i = 0; i < input->lines->len; i++)
    {
      const FestTransactionLineInput *in = &g_array_index (input->lines, FestTransactionLineInput, i);
      FestLedgerProduct product = { 0, };
      FestLedgerLine line = { 0, };
      const char *refusal = NULL;
      gint64 line_total;

      if (!fest_ledger_repo_get_product (ctx, in->product_id, input->stand_id, &product, &found, error))
        return FALSE;
      if (!found)
        refusal = "product";
      else if (!product.at_stand)
        refusal = "the product is not sold at this stand";
      else if (!offline && product.deleted)
        refusal = "product";
      else if (!offline && !product.active)
        refusal = "the product is not on sale";
      if (refusal != NULL)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].product_id", i);

          fest_ledger_product_clear (&product);
          if (g_str_equal (refusal, "product"))
            g_propagate_error (error, not_found (field, "product"));
          else
            g_propagate_error (error, fest_error_validation (field, "%s", refusal));
          return FALSE;
        }

      line.product_id = g_strdup (in->product_id);
      line.name = g_steal_pointer (&product.name);
      line.quantity = in->quantity;
      line.unit_price = product.price;
      line.vat_rate_bp = product.vat_rate_bp;
      line.stockless = !product.has_stock;
      g_array_append_val (lines, line);

      if (!fest_money_mul (line.unit_price, line.quantity, &line_total)
          || line_total > FEST_MONEY_MAX_AMOUNT
          || !fest_money_add (sum, line_total, &sum)
          || sum > FEST_MONEY_MAX_AMOUNT)
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].quantity", i);

          g_propagate_error (error, fest_error_validation (field,
                                                           "the amount would exceed the largest amount allowed"));
          return FALSE;
        }
      if (!fest_vat_line_amount (line.unit_price, line.quantity, (guint) line.vat_rate_bp,
                                 &g_array_index (lines, FestLedgerLine, lines->len - 1).vat_amount))
        {
          g_autofree char *field = g_strdup_printf ("lines[%u].quantity", i);

          g_propagate_error (error, fest_error_validation (field, "VAT overflow"));
          return FALSE;
        }

      if (product.has_stock && !offline)
        {
          gint64 taken = 0;

          /* The same product may come on several lines. */
          for (guint j = 0; j + 1 < lines->len; j++)
            if (g_str_equal (g_array_index (lines, FestLedgerLine, j).product_id, in->product_id))
              taken += g_array_index (lines, FestLedgerLine, j).quantity;
          if (product.stock - taken < line.quantity)
            {
              JsonObject *details = json_object_new ();
              JsonNode *node = json_node_new (JSON_NODE_OBJECT);

              json_object_set_string_member (details, "product_id", in->product_id);
              json_object_set_int_member (details, "available", MAX (product.stock - taken, 0));
              json_node_take_object (node, details);
              g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_OUT_OF_STOCK, node,
                                                                     "not enough stock"));
              return FALSE;
            }
        }
    }

  *total = sum;
  return TRUE;
}

/* Moves the stock of priced lines: @sign -1 for a PAYMENT, +1 for a CANCEL. Offline, a sale beyond
 * the stock is a fact: the product is flagged and an alert raised. */
static gboolean
move_stock (FestWriteCtx *ctx,
            GArray       *lines,
            gint64        sign,
            gint64        rev,
            const char   *now,
            GError      **error)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const FestLedgerLine *line = &g_array_index (lines, FestLedgerLine, i);
      gboolean moved;
      gint64 stock;

      if (line->stockless)
        continue;
      if (!fest_ledger_repo_move_stock (ctx, line->product_id, sign * line->quantity, rev, now, &moved, &stock,
                                        error))
        return FALSE;

      if (moved && sign < 0 && stock < 0)
        {
          JsonObject *details = json_object_new ();
          JsonNode *node = json_node_new (JSON_NODE_OBJECT);
          gboolean ok;

          json_object_set_string_member (details, "product_id", line->product_id);
          json_object_set_int_member (details, "stock", stock);
          json_node_take_object (node, details);
          ok = insert_alert (ctx, "STOCK_OVERDRAWN", "product", line->product_id, node, rev, now, error);
          json_node_unref (node);
          if (!ok)
            return FALSE;
        }
    }
  return TRUE;
}

static gboolean
load_payment (FestWriteCtx      *ctx,
              const char        *id,
              FestLedgerPayment *payment,
              GError           **error)
{
  gboolean found;

  if (!fest_ledger_repo_load_payment (ctx, id, payment, &found, error))
    return FALSE;
  if (!found)
    {
      g_propagate_error (error, not_found ("reference", "payment"));
      return FALSE;
    }
  if (!g_str_equal (payment->type, "PAYMENT"))
    {
      g_propagate_error (error, fest_error_validation ("reference", "the reference is not a payment"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_wallet_matches (const FestTransactionInput *input,
                      const char                 *wallet_id,
                      const char                 *wallet_code,
                      GError                    **error)
{
  if (input->wallet_id != NULL && g_strcmp0 (input->wallet_id, wallet_id) != 0)
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "the payment was not made from this wallet"));
      return FALSE;
    }
  if (input->wallet_code != NULL && g_strcmp0 (input->wallet_code, wallet_code) != 0)
    {
      g_propagate_error (error, fest_error_validation ("wallet_code",
                                                       "the payment was not made from this wallet"));
      return FALSE;
    }
  return TRUE;
}

static gint64
seconds_between (const char *earlier,
                 const char *later)
{
  g_autoptr(GDateTime) a = fest_time_parse (earlier);
  g_autoptr(GDateTime) b = fest_time_parse (later);

  if (a == NULL || b == NULL)
    return G_MAXINT64;
  return g_date_time_difference (b, a) / G_TIME_SPAN_SECOND;
}

/* CANCEL: the caller's own last payment, within the window, not yet reversed. */
static gboolean
prepare_cancel (FestWriteCtx               *ctx,
                const FestTransactionInput *input,
                const FestActor            *actor,
                gboolean                    offline,
                const char                 *created_at,
                FestLedgerPayment          *payment,
                GError                    **error)
{
  g_autofree char *last_id = NULL;
  gint64 reversed, count, elapsed;
  gboolean refused;

  if (actor == NULL || (actor->account_id == NULL && actor->device_id == NULL))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "no payment of yours to cancel");
      return FALSE;
    }
  if (!fest_ledger_repo_last_payment (ctx, actor->account_id, actor->account_id == NULL ? actor->device_id : NULL,
                                      &last_id, error))
    return FALSE;
  if (last_id == NULL)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT, "no payment of yours to cancel");
      return FALSE;
    }
  if (input->reference != NULL && !g_str_equal (input->reference, last_id))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                   "only your own last payment can be cancelled");
      return FALSE;
    }
  if (!load_payment (ctx, last_id, payment, error))
    return FALSE;

  /* The window runs from the sale as it happened (the station's time for an offline sale, synced
   * maybe hours later), not from when the server heard of it. */
  elapsed = seconds_between (payment->created_at, created_at);
  if (elapsed > cancel_window_s || elapsed < -CANCEL_CLOCK_SKEW_S)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (details, "reference", payment->id);
      json_object_set_int_member (details, CANCEL_WINDOW_DETAIL, cancel_window_s);
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_CONFLICT, node,
                                                             "a payment can only be cancelled within %"
                                                             G_GINT64_FORMAT " seconds",
                                                             cancel_window_s));
      return FALSE;
    }
  /* Once the server said the window had passed, a CANCEL claiming an earlier time (an offline one,
   * from a station whose clock was set back) is not believed. */
  if (!fest_ledger_repo_cancel_refused (ctx, payment->id, &refused, error))
    return FALSE;
  if (refused)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                   "a cancel of this payment was already refused: its window had passed");
      return FALSE;
    }
  if (!fest_ledger_repo_reversed_amount (ctx, payment->id, &reversed, &count, error))
    return FALSE;
  if (count > 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_CONFLICT,
                   "the payment was already cancelled or refunded");
      return FALSE;
    }
  return TRUE;
}

gboolean
_fest_ledger_note_refusal (FestWriteCtx *ctx,
                           const GError *refusal,
                           GError      **error)
{
  JsonNode *details = refusal->domain == FEST_ERROR ? fest_error_get_details (refusal) : NULL;
  g_autofree char *now = NULL;
  JsonObject *object;

  if (details == NULL || !JSON_NODE_HOLDS_OBJECT (details))
    return TRUE;
  object = json_node_get_object (details);
  if (!json_object_has_member (object, CANCEL_WINDOW_DETAIL) || !json_object_has_member (object, "reference"))
    return TRUE;

  now = fest_time_now ();
  return fest_ledger_repo_add_cancel_refusal (ctx, json_object_get_string_member (object, "reference"), now,
                                              error);
}

/* Appends @row to the ledger, after @wallet_prev_seq in its wallet's chain (0: its first row). */
static gboolean
insert_row (FestWriteCtx  *ctx,
            FestLedgerRow *row,
            const char    *refers_to,
            gint64         wallet_prev_seq,
            GError       **error)
{
  gint64 head_seq;

  if (!fest_ledger_repo_chain_head (ctx, &head_seq, &row->prev_hash, error))
    return FALSE;
  row->seq = head_seq + 1;
  if (row->prev_hash == NULL)
    row->prev_hash = g_strdup (FEST_LEDGER_GENESIS_HASH);

  row->hash = fest_ledger_row_hash (row);
  return fest_ledger_repo_insert_row (ctx, row, refers_to, wallet_prev_seq, error);
}

/* A RECHARGE may not take a wallet beyond the festival's max_wallet_balance, online or from a
 * station's outbox alike: unlike a sale, a recharge refused offline served nothing yet. */
static gboolean
check_balance_ceiling (FestWriteCtx *ctx,
                       gint64        balance,
                       gint64        amount,
                       GError      **error)
{
  gboolean has_max;
  gint64 max;

  if (!fest_ledger_repo_max_wallet_balance (ctx, &has_max, &max, error))
    return FALSE;
  if (!has_max)
    return TRUE;
  if (amount > max - balance)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_string_member (details, "field", "amount");
      json_object_set_int_member (details, "max", max);
      json_object_set_int_member (details, "balance", balance);
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_VALIDATION_FAILED, node,
                                                             "the wallet's balance would exceed %"
                                                             G_GINT64_FORMAT, max));
      return FALSE;
    }
  return TRUE;
}

/* Applies @input and fills @out (cleared by the caller, also on failure). */
static gboolean
ledger_apply (FestWriteCtx               *ctx,
              const FestTransactionInput *input,
              const FestActor            *actor,
              const char                 *idempotency_key,
              gboolean                    offline,
              FestLedgerRow              *out,
              GError                    **error)
{
  FestLedgerRow row = { 0, };
  g_auto(FestLedgerPayment) payment = { 0, };
  g_autofree char *wallet_id = NULL;
  g_autofree char *wallet_code = NULL;
  g_autofree char *now = fest_time_now ();
  FestLedgerWallet wallet = { NULL, 0, 0 };
  gboolean overdrawn;
  JsonNode *event_data;
  JsonObject *object;
  gint64 rev;


  row.id = fest_uuid_new ();
  row.type = g_strdup (input->type);
  row.idempotency_key = g_strdup (idempotency_key);
  row.offline_created = offline;
  row.recorded_at = g_strdup (now);
  row.created_at = g_strdup (offline && input->created_at != NULL ? input->created_at : now);
  row.operator_id = actor != NULL ? g_strdup (actor->account_id) : NULL;
  row.device_id = actor != NULL ? g_strdup (actor->device_id) : NULL;
  row.stand_id = g_strdup (input->stand_id);
  row.lines = fest_ledger_lines_new ();

  if (g_str_equal (input->type, "REFUND") || g_str_equal (input->type, "CANCEL"))
    {
      gboolean is_cancel = g_str_equal (input->type, "CANCEL");

      if (is_cancel)
        {
          if (!prepare_cancel (ctx, input, actor, offline, row.created_at, &payment, error))
            goto fail;
        }
      else if (!load_payment (ctx, input->reference, &payment, error))
        goto fail;

      if (!fest_ledger_repo_wallet_code (ctx, payment.wallet_id, &wallet_code, error))
        goto fail;
      if (!check_wallet_matches (input, payment.wallet_id, wallet_code, error))
        goto fail;
      wallet_id = g_strdup (payment.wallet_id);
      if (!load_wallet (ctx, input, wallet_id, &wallet, error))
        goto fail;

      if (is_cancel)
        {
          /* A CANCEL copies the payment's lines (their stock comes back in move_stock). */
          row.amount = -payment.amount;
          if (!fest_ledger_repo_read_lines (ctx, payment.id, row.lines, error))
            goto fail;
        }
      else
        {
          gint64 reversed, count, refundable;

          if (!fest_ledger_repo_reversed_amount (ctx, payment.id, &reversed, &count, error))
            goto fail;
          refundable = -payment.amount - reversed;
          row.amount = input->amount > 0 ? input->amount : refundable;
          if (refundable <= 0 || row.amount > refundable)
            {
              JsonObject *details = json_object_new ();
              JsonNode *node = json_node_new (JSON_NODE_OBJECT);

              json_object_set_string_member (details, "field", "amount");
              json_object_set_int_member (details, "refundable", MAX (refundable, 0));
              json_node_take_object (node, details);
              g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_VALIDATION_FAILED, node,
                                                                     "refunds cannot exceed the payment"));
              goto fail;
            }
        }
      row.reference = g_strdup (payment.id);
    }
  else
    {
      if (!load_wallet (ctx, input, input->wallet_id, &wallet, error))
        goto fail;
      row.reference = g_strdup (input->reference);

      if (g_str_equal (input->type, "RECHARGE"))
        {
          row.amount = input->amount;
          row.payment_method = g_strdup (input->payment_method);
          if (!check_balance_ceiling (ctx, wallet.balance, row.amount, error))
            goto fail;
        }
      else
        {
          gint64 total = input->amount;

          if (input->lines != NULL
              && !price_payment_lines (ctx, input, offline, row.lines, &total, error))
            goto fail;
          row.amount = -total;
        }
    }

  row.wallet_id = g_strdup (wallet.id);
  if (!fest_money_add (wallet.balance, row.amount, &row.balance_after))
    {
      g_propagate_error (error, fest_error_validation ("amount", "the wallet balance would overflow"));
      goto fail;
    }
  if (row.balance_after < 0 && row.amount < 0 && !offline)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);

      json_object_set_int_member (details, "required", -row.amount);
      json_object_set_int_member (details, "available", wallet.balance);
      json_node_take_object (node, details);
      g_propagate_error (error, fest_error_new_with_details (FEST_ERROR_INSUFFICIENT_BALANCE, node,
                                                             "insufficient balance"));
      goto fail;
    }
  overdrawn = row.balance_after < 0;

  /* Every check passed: from here on only writes, so a refused operation never wrote anything. */
  rev = fest_write_ctx_next_rev (ctx, error);
  if (rev < 0)
    goto fail;
  if (row.lines->len > 0
      && !move_stock (ctx, row.lines, g_str_equal (row.type, "CANCEL") ? 1 : -1, rev, now, error))
    goto fail;
  if (!insert_row (ctx, &row, payment.id, wallet.last_seq, error))
    goto fail;
  if (!fest_ledger_repo_update_wallet (ctx, row.wallet_id, row.balance_after, overdrawn, rev, now, row.seq, error))
    goto fail;

  if (overdrawn && offline)
    {
      JsonObject *details = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      gboolean ok;

      json_object_set_int_member (details, "balance", row.balance_after);
      json_object_set_string_member (details, "transaction_id", row.id);
      json_node_take_object (node, details);
      ok = insert_alert (ctx, "WALLET_OVERDRAWN", "wallet", row.wallet_id, node, rev, now, error);
      json_node_unref (node);
      if (!ok)
        goto fail;
    }

  {
    g_autofree char *action = g_ascii_strdown (row.type, -1);
    g_autofree char *audit_action = g_strconcat ("transaction.", action, NULL);
    g_autoptr(GString) audit = g_string_sized_new (256);

    /* The same text as json-glib would generate for these members, without the tree. */
    g_string_append (audit, "{\"wallet_id\":");
    fest_ledger_append_json_string (audit, row.wallet_id);
    g_string_append (audit, ",\"type\":");
    fest_ledger_append_json_string (audit, row.type);
    g_string_append (audit, ",\"amount\":");
    fest_string_append_int (audit, row.amount);
    g_string_append (audit, ",\"balance_after\":");
    fest_string_append_int (audit, row.balance_after);
    g_string_append (audit, ",\"reference\":");
    fest_ledger_append_json_string (audit, row.reference);
    g_string_append_c (audit, '}');
    if (!fest_write_ctx_audit_text (ctx, actor, audit_action, "transaction", row.id, NULL, audit->str, error))
      goto fail;
  }

  /* Keep the statistics' unfolded tail short (GET /stats adds the rows after the checkpoint). */
  if (row.seq % FEST_STATS_FOLD_THRESHOLD == 0 && !fest_stats_fold_in_job (ctx, error))
    goto fail;

  /* The events only go to the festival's WebSocket clients: with none, do not build them. */
  if (fest_write_ctx_has_event_subscribers (ctx))
    {
      fest_write_ctx_emit (ctx, "transaction:new", fest_ledger_row_to_json (&row));
      event_data = json_node_new (JSON_NODE_OBJECT);
      object = json_object_new ();
      json_object_set_string_member (object, "wallet_id", row.wallet_id);
      json_object_set_int_member (object, "balance", row.balance_after);
      json_object_set_boolean_member (object, "overdrawn", overdrawn);
      json_node_take_object (event_data, object);
      fest_write_ctx_emit (ctx, "wallet:updated", event_data);
    }

  g_free (wallet.id);
  *out = row;
  return TRUE;

fail:
  g_free (wallet.id);
  *out = row;
  return FALSE;
}

void
fest_ledger_prefetch (FestWriteCtx               *ctx,
                      const FestTransactionInput *input)
{
  const char *product_id = NULL;

  if (!g_str_equal (input->type, "PAYMENT"))
    return;
  if (input->lines != NULL && input->lines->len > 0)
    product_id = g_array_index (input->lines, FestTransactionLineInput, 0).product_id;
  fest_ledger_repo_prefetch_payment (ctx, input->wallet_id, input->wallet_code,
                                     product_id != NULL ? input->stand_id : NULL, product_id);
}

JsonNode *
fest_ledger_apply (FestWriteCtx               *ctx,
                   const FestTransactionInput *input,
                   const FestActor            *actor,
                   const char                 *idempotency_key,
                   gboolean                    offline,
                   GError                    **error)
{
  g_auto(FestLedgerRow) row = { 0, };

  g_return_val_if_fail (ctx != NULL, NULL);
  g_return_val_if_fail (input != NULL && input->type != NULL, NULL);
  g_return_val_if_fail (idempotency_key != NULL, NULL);

  if (!ledger_apply (ctx, input, actor, idempotency_key, offline, &row, error))
    return NULL;
  return fest_ledger_row_to_json (&row);
}

gboolean
_fest_ledger_apply_to_text (FestWriteCtx               *ctx,
                            const FestTransactionInput *input,
                            const FestActor            *actor,
                            const char                 *idempotency_key,
                            gboolean                    offline,
                            GString                    *out,
                            char                      **id_out,
                            GError                    **error)
{
  g_auto(FestLedgerRow) row = { 0, };

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (input != NULL && input->type != NULL, FALSE);
  g_return_val_if_fail (idempotency_key != NULL, FALSE);

  if (!ledger_apply (ctx, input, actor, idempotency_key, offline, &row, error))
    return FALSE;
  fest_ledger_row_append_json (&row, out);
  if (id_out != NULL)
    *id_out = g_steal_pointer (&row.id);
  return TRUE;
}

gboolean
_fest_ledger_append_json_by_id (FestWriteCtx *ctx,
                                const char   *id,
                                GString      *out,
                                GError      **error)
{
  g_auto(FestLedgerRow) row = { 0, };
  gboolean found;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  if (!fest_ledger_repo_load_row (ctx, id, &row, &found, error))
    return FALSE;
  if (!found)
    {
      g_propagate_error (error, not_found ("id", "transaction"));
      return FALSE;
    }
  fest_ledger_row_append_json (&row, out);
  return TRUE;
}
