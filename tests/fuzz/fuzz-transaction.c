/* fuzz-transaction.c: libFuzzer harness for the POST /transactions body
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The body goes through the server's JSON parser and fest_transaction_input_parse() (also the
 * parser of a sync batch's transaction.create payload), then the idempotency hash of what it
 * parsed: all that runs before the store is touched. A rejected body must name its field; an
 * accepted one must satisfy the rules the ledger relies on without checking them again.
 */

#include "config.h"

#include "fest-idempotency.h"
#include "fest-ledger.h"
#include "fuzz-common.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_input (const FestTransactionInput *input)
{
  gboolean is_recharge = g_strcmp0 (input->type, "RECHARGE") == 0;
  gboolean is_payment = g_strcmp0 (input->type, "PAYMENT") == 0;
  gboolean is_refund = g_strcmp0 (input->type, "REFUND") == 0;
  gboolean is_cancel = g_strcmp0 (input->type, "CANCEL") == 0;
  g_autofree char *hash = NULL;

  FUZZ_CHECK (is_recharge || is_payment || is_refund || is_cancel);
  FUZZ_CHECK (input->wallet_id == NULL || input->wallet_code == NULL);
  if (is_recharge || is_payment)
    FUZZ_CHECK (input->wallet_id != NULL || input->wallet_code != NULL);
  if (input->wallet_id != NULL)
    FUZZ_CHECK (fest_uuid_is_valid (input->wallet_id));
  if (input->wallet_code != NULL)
    FUZZ_CHECK (fest_wallet_code_is_valid (input->wallet_code));
  if (input->stand_id != NULL)
    FUZZ_CHECK (fest_uuid_is_valid (input->stand_id));
  if (is_refund)
    FUZZ_CHECK (input->reference != NULL);
  if ((is_refund || is_cancel) && input->reference != NULL)
    FUZZ_CHECK (fest_uuid_is_valid (input->reference));
  if (input->reference != NULL)
    FUZZ_CHECK (g_utf8_validate (input->reference, -1, NULL));
  if (input->payment_method != NULL)
    FUZZ_CHECK (is_recharge && (g_str_equal (input->payment_method, "CASH") ||
                                g_str_equal (input->payment_method, "CARD") ||
                                g_str_equal (input->payment_method, "ONLINE")));

  FUZZ_CHECK (input->amount >= 0 && input->amount <= FEST_MONEY_MAX_AMOUNT);
  if (is_recharge)
    FUZZ_CHECK (input->amount > 0);
  if (is_cancel)
    FUZZ_CHECK (input->amount == 0);
  if (input->lines != NULL)
    {
      FUZZ_CHECK (is_payment && input->amount == 0 && input->stand_id != NULL);
      FUZZ_CHECK (input->lines->len > 0);
      for (guint i = 0; i < input->lines->len; i++)
        {
          const FestTransactionLineInput *line =
            &g_array_index (input->lines, FestTransactionLineInput, i);

          FUZZ_CHECK (line->quantity > 0);
          FUZZ_CHECK (fest_uuid_is_valid (line->product_id));
        }
    }
  else if (is_payment)
    {
      FUZZ_CHECK (input->amount > 0);
    }

  if (input->created_at != NULL)
    {
      /* Stored normalised: normalising again changes nothing. */
      g_autofree char *again = fest_time_normalize (input->created_at);

      FUZZ_CHECK (g_strcmp0 (again, input->created_at) == 0);
    }

  hash = fest_idempotency_transaction_hash (input);
  FUZZ_CHECK (hash != NULL && strlen (hash) == 64);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = fuzz_parse_body (data, size);
  g_autoptr(GError) error = NULL;
  FestTransactionInput input;

  if (root == NULL)
    return 0;

  if (fest_transaction_input_parse (json_node_get_object (root), &input, &error))
    {
      FUZZ_CHECK (error == NULL);
      check_input (&input);
      fest_transaction_input_clear (&input);
    }
  else
    {
      fuzz_check_validation_error (error);
      /* A rejected body leaves nothing to free behind. */
      FUZZ_CHECK (input.type == NULL && input.wallet_id == NULL && input.lines == NULL &&
                  input.created_at == NULL);
    }
  return 0;
}
