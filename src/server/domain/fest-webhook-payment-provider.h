/* fest-webhook-payment-provider.h: a payment gateway that confirms with signed webhooks
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-payment-provider.h"

G_BEGIN_DECLS

/* The header that carries the signature: "sha256=" and the hex HMAC-SHA256 of the raw body. */
#define FEST_WEBHOOK_SIGNATURE_HEADER "X-Festivals-Signature"
/* Shorter secrets are refused: the signature is the webhook's only authentication. */
#define FEST_WEBHOOK_SECRET_MIN_BYTES 16

#define FEST_TYPE_WEBHOOK_PAYMENT_PROVIDER (fest_webhook_payment_provider_get_type ())
G_DECLARE_FINAL_TYPE (FestWebhookPaymentProvider, fest_webhook_payment_provider, FEST,
                      WEBHOOK_PAYMENT_PROVIDER, GObject)

/* The secret is the file's content without surrounding white space (a file, not an argument:
 * command lines are visible to every local user). */
FestWebhookPaymentProvider *fest_webhook_payment_provider_new_from_file (const char  *path,
                                                                         GError     **error);

G_END_DECLS
