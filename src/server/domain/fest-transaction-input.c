/* fest-transaction-input.c: a ledger operation as a client sends it, validated
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-transaction-input.h"

#define MAX_LINES 200
#define MAX_REFERENCE_CHARS 255

void
fest_transaction_input_clear (FestTransactionInput *input)
{
  g_clear_pointer (&input->type, g_free);
  g_clear_pointer (&input->wallet_id, g_free);
  g_clear_pointer (&input->wallet_code, g_free);
  g_clear_pointer (&input->stand_id, g_free);
  g_clear_pointer (&input->reference, g_free);
  g_clear_pointer (&input->payment_method, g_free);
  g_clear_pointer (&input->lines, g_array_unref);
  g_clear_pointer (&input->created_at, g_free);
  input->amount = 0;
}

static void
line_input_clear (gpointer data)
{
  FestTransactionLineInput *line = data;

  g_clear_pointer (&line->product_id, g_free);
}

static gboolean
member_present (JsonObject *object,
                const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  return node != NULL && !JSON_NODE_HOLDS_NULL (node);
}

/* Re-targets a field error of a line member at "lines[i].member". */
static void
line_field_error (GError    **error,
                  GError     *inner,
                  guint       index,
                  const char *member)
{
  g_autofree char *field = g_strdup_printf ("lines[%u].%s", index, member);

  g_propagate_error (error, fest_error_validation (field, "%s", inner->message));
  g_error_free (inner);
}

static gboolean
parse_lines (JsonArray *array,
             GArray   **out,
             GError   **error)
{
  g_autoptr(GArray) lines = NULL;
  guint n = json_array_get_length (array);

  if (n == 0 || n > MAX_LINES)
    {
      g_propagate_error (error, fest_error_validation ("lines",
                                                       "between 1 and %d lines are required",
                                                       MAX_LINES));
      return FALSE;
    }

  lines = g_array_sized_new (FALSE, TRUE, sizeof (FestTransactionLineInput), n);
  g_array_set_clear_func (lines, line_input_clear);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      FestTransactionLineInput line = { 0, NULL };
      const char *product_id = NULL;
      GError *inner = NULL;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        {
          g_autofree char *field = g_strdup_printf ("lines[%u]", i);

          g_propagate_error (error, fest_error_validation (field, "a line must be an object"));
          return FALSE;
        }
      object = json_node_get_object (node);
      if (!fest_json_get_uuid (object, "product_id", TRUE, &product_id, &inner))
        {
          line_field_error (error, inner, i, "product_id");
          return FALSE;
        }
      if (!fest_json_get_int (object, "quantity", TRUE, 1, G_MAXINT64, &line.quantity, &inner))
        {
          line_field_error (error, inner, i, "quantity");
          return FALSE;
        }
      line.product_id = g_strdup (product_id);
      g_array_append_val (lines, line);
    }

  *out = g_steal_pointer (&lines);
  return TRUE;
}

gboolean
fest_transaction_input_parse (JsonObject           *body,
                              FestTransactionInput *input,
                              GError              **error)
{
  return _fest_transaction_input_parse_at_stand (body, NULL, input, error);
}

gboolean
_fest_transaction_input_parse_at_stand (JsonObject           *body,
                                        const char           *default_stand_id,
                                        FestTransactionInput *input,
                                        GError              **error)
{
  const char *type = NULL;
  const char *wallet_id = NULL;
  const char *wallet_code = NULL;
  const char *stand_id = NULL;
  const char *reference = NULL;
  const char *payment_method = NULL;
  JsonArray *lines = NULL;
  gboolean is_recharge, is_payment, is_refund, is_cancel;
  gboolean has_amount, has_lines;

  g_return_val_if_fail (body != NULL, FALSE);
  g_return_val_if_fail (input != NULL, FALSE);

  memset (input, 0, sizeof *input);

  if (!fest_json_get_string (body, "type", TRUE, &type, error))
    return FALSE;
  is_recharge = g_str_equal (type, "RECHARGE");
  is_payment = g_str_equal (type, "PAYMENT");
  is_refund = g_str_equal (type, "REFUND");
  is_cancel = g_str_equal (type, "CANCEL");
  if (!is_recharge && !is_payment && !is_refund && !is_cancel)
    {
      g_propagate_error (error, fest_error_validation ("type",
                                                       "type must be RECHARGE, PAYMENT, REFUND or CANCEL"));
      return FALSE;
    }
  input->type = g_strdup (type);

  if (member_present (body, "wallet_id")
      && !fest_json_get_uuid (body, "wallet_id", FALSE, &wallet_id, error))
    goto fail;
  if (member_present (body, "wallet_code"))
    {
      if (!fest_json_get_string (body, "wallet_code", FALSE, &wallet_code, error))
        goto fail;
      if (!fest_wallet_code_is_valid (wallet_code))
        {
          g_propagate_error (error, fest_error_validation ("wallet_code", "not a wallet code"));
          goto fail;
        }
    }
  if (wallet_id != NULL && wallet_code != NULL)
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "give wallet_id or wallet_code, not both"));
      goto fail;
    }
  if (wallet_id == NULL && wallet_code == NULL && (is_recharge || is_payment))
    {
      g_propagate_error (error, fest_error_validation ("wallet_id",
                                                       "wallet_id or wallet_code is required"));
      goto fail;
    }
  input->wallet_id = g_strdup (wallet_id);
  input->wallet_code = g_strdup (wallet_code);

  if (member_present (body, "stand_id")
      && !fest_json_get_uuid (body, "stand_id", FALSE, &stand_id, error))
    goto fail;
  input->stand_id = g_strdup (stand_id);

  if (is_refund || is_cancel)
    {
      if (!fest_json_get_uuid (body, "reference", is_refund, &reference, error))
        goto fail;
    }
  else if (member_present (body, "reference")
           && !fest_json_get_text (body, "reference", FALSE, MAX_REFERENCE_CHARS, &reference, error))
    goto fail;
  input->reference = g_strdup (reference);

  if (is_recharge && member_present (body, "payment_method"))
    {
      if (!fest_json_get_string (body, "payment_method", FALSE, &payment_method, error))
        goto fail;
      /* COMP: staff credit, given, not paid (issue 19). */
      if (!g_str_equal (payment_method, "CASH") && !g_str_equal (payment_method, "CARD")
          && !g_str_equal (payment_method, "ONLINE") && !g_str_equal (payment_method, "COMP"))
        {
          g_propagate_error (error, fest_error_validation ("payment_method",
                                                           "payment_method must be CASH, CARD, ONLINE or COMP"));
          goto fail;
        }
      input->payment_method = g_strdup (payment_method);
    }

  has_amount = member_present (body, "amount");
  has_lines = member_present (body, "lines");
  if (has_amount
      && !fest_json_get_int (body, "amount", TRUE, 1, FEST_MONEY_MAX_AMOUNT, &input->amount, error))
    goto fail;
  if (has_lines && !is_payment)
    {
      g_propagate_error (error, fest_error_validation ("lines", "lines are only for a PAYMENT"));
      goto fail;
    }
  if (is_payment)
    {
      if (has_amount == has_lines)
        {
          g_propagate_error (error, fest_error_validation (has_amount ? "lines" : "amount",
                                                           "a PAYMENT takes either lines or an amount"));
          goto fail;
        }
      if (has_lines)
        {
          if (!fest_json_get_array (body, "lines", TRUE, &lines, error))
            goto fail;
          if (!parse_lines (lines, &input->lines, error))
            goto fail;
          if (input->stand_id == NULL && default_stand_id == NULL)
            {
              g_propagate_error (error, fest_error_validation ("stand_id",
                                                               "stand_id is required with lines"));
              goto fail;
            }
        }
    }
  else if (is_recharge && !has_amount)
    {
      g_propagate_error (error, fest_error_validation ("amount", "amount is required"));
      goto fail;
    }
  else if (is_cancel && has_amount)
    {
      g_propagate_error (error, fest_error_validation ("amount",
                                                       "a CANCEL reverses the whole payment: no amount"));
      goto fail;
    }

  if (member_present (body, "created_at")
      && !fest_json_get_time (body, "created_at", FALSE, &input->created_at, error))
    goto fail;

  return TRUE;

fail:
  fest_transaction_input_clear (input);
  return FALSE;
}

