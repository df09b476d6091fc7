/* fest-transaction-input.h: a ledger operation as a client sends it (POST /transactions, a sync
 * op `transaction.create`), validated
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 quantity;
  char  *product_id;
} FestTransactionLineInput;

typedef struct
{
  char    *type;              /* RECHARGE PAYMENT REFUND CANCEL */
  char    *wallet_id;         /* one of wallet_id / wallet_code */
  char    *wallet_code;
  char    *stand_id;          /* nullable */
  char    *reference;         /* nullable; REFUND/CANCEL: the payment id */
  char    *payment_method;    /* RECHARGE: CASH CARD ONLINE COMP, nullable (read as CASH) */
  gint64   amount;            /* positive, for bare amounts; 0 when lines are given */
  GArray  *lines;             /* of FestTransactionLineInput, nullable */
  char    *created_at;        /* offline: station time; NULL = now */
} FestTransactionInput;

void     fest_transaction_input_clear (FestTransactionInput *input);

/* Validates a POST /transactions body (or a sync op's payload). VALIDATION_FAILED names the field. */
gboolean fest_transaction_input_parse (JsonObject           *body,
                                       FestTransactionInput *input,
                                       GError              **error);

/* fest_transaction_input_parse() for a device enrolled on a stand: a PAYMENT with lines may omit
 * stand_id when @default_stand_id (nullable) is given. input->stand_id stays as the body has it
 * (the operation's hash is of what the client sent): the caller sets the default. */
gboolean _fest_transaction_input_parse_at_stand (JsonObject           *body,
                                                 const char           *default_stand_id,
                                                 FestTransactionInput *input,
                                                 GError              **error);

G_END_DECLS
