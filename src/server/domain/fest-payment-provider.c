/* fest-payment-provider.c: who takes an attendee's money for an online top-up
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-payment-provider.h"

G_DEFINE_INTERFACE (FestPaymentProvider, fest_payment_provider, G_TYPE_OBJECT)

static void
fest_payment_provider_default_init (FestPaymentProviderInterface *iface)
{
}

void
fest_payment_confirmation_clear (FestPaymentConfirmation *confirmation)
{
  g_clear_pointer (&confirmation->topup_id, g_free);
  g_clear_pointer (&confirmation->reference, g_free);
  confirmation->paid = FALSE;
  confirmation->amount = 0;
}

const char *
fest_payment_provider_get_name (FestPaymentProvider *self)
{
  g_return_val_if_fail (FEST_IS_PAYMENT_PROVIDER (self), NULL);

  return FEST_PAYMENT_PROVIDER_GET_IFACE (self)->get_name (self);
}

gboolean
fest_payment_provider_start_checkout (FestPaymentProvider     *self,
                                      const FestTopupRequest  *topup,
                                      char                   **checkout_url,
                                      GError                 **error)
{
  g_return_val_if_fail (FEST_IS_PAYMENT_PROVIDER (self), FALSE);
  g_return_val_if_fail (topup != NULL && checkout_url != NULL, FALSE);

  *checkout_url = NULL;
  return FEST_PAYMENT_PROVIDER_GET_IFACE (self)->start_checkout (self, topup, checkout_url, error);
}

gboolean
fest_payment_provider_verify_confirmation (FestPaymentProvider      *self,
                                           SoupMessageHeaders       *headers,
                                           GBytes                   *body,
                                           FestPaymentConfirmation  *out,
                                           GError                  **error)
{
  g_return_val_if_fail (FEST_IS_PAYMENT_PROVIDER (self), FALSE);
  g_return_val_if_fail (headers != NULL && out != NULL, FALSE);

  return FEST_PAYMENT_PROVIDER_GET_IFACE (self)->verify_confirmation (self, headers, body, out, error);
}
