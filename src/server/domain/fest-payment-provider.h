/* fest-payment-provider.h: who takes an attendee's money for an online top-up
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * An online top-up (POST /me/wallet/recharge) credits nothing by itself: it stores a PENDING
 * top-up and asks the provider to start a checkout for it. Only the provider's confirmation,
 * received on POST /api/v1/payments/webhook and verified by the provider, turns it into a
 * RECHARGE ledger row. Without a provider the server refuses online top-ups (501).
 *
 * Providers: FestWebhookPaymentProvider (a generic gateway that signs its confirmations with a
 * shared secret). Another (e.g. Stripe) implements this interface the same way.
 */

#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* A top-up the attendee is about to pay. Strings borrowed. */
typedef struct
{
  const char *id;            /* UUID, what the confirmation names */
  const char *festival_id;
  const char *wallet_id;
  gint64      amount;        /* minor units of the festival's currency */
} FestTopupRequest;

/* What a verified confirmation says. */
typedef struct
{
  char     *topup_id;
  gboolean  paid;            /* FALSE: the payment failed or was abandoned */
  gint64    amount;          /* what the provider took, in the same units */
  char     *reference;       /* the provider's id of the payment; nullable */
} FestPaymentConfirmation;

void fest_payment_confirmation_clear (FestPaymentConfirmation *confirmation);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestPaymentConfirmation, fest_payment_confirmation_clear)

#define FEST_TYPE_PAYMENT_PROVIDER (fest_payment_provider_get_type ())
G_DECLARE_INTERFACE (FestPaymentProvider, fest_payment_provider, FEST, PAYMENT_PROVIDER, GObject)

struct _FestPaymentProviderInterface
{
  GTypeInterface parent_iface;

  /* Short name stored with each top-up, e.g. "webhook". */
  const char *(*get_name)            (FestPaymentProvider      *self);
  /* Main thread, before the top-up is stored. Sets *checkout_url (transfer full) to the page
   * where the attendee pays, or NULL when the provider has none of its own. */
  gboolean    (*start_checkout)      (FestPaymentProvider      *self,
                                      const FestTopupRequest   *topup,
                                      char                    **checkout_url,
                                      GError                  **error);
  /* Main thread. Checks that a webhook request (@headers, raw @body) comes from the provider and
   * reads it into @out. Errors: FEST_ERROR_UNAUTHENTICATED when it is not the provider's,
   * FEST_ERROR_VALIDATION_FAILED (naming the field) when its body is not understood. */
  gboolean    (*verify_confirmation) (FestPaymentProvider      *self,
                                      SoupMessageHeaders       *headers,
                                      GBytes                   *body,
                                      FestPaymentConfirmation  *out,
                                      GError                  **error);
};

const char *fest_payment_provider_get_name            (FestPaymentProvider      *self);
gboolean    fest_payment_provider_start_checkout      (FestPaymentProvider      *self,
                                                       const FestTopupRequest   *topup,
                                                       char                    **checkout_url,
                                                       GError                  **error);
gboolean    fest_payment_provider_verify_confirmation (FestPaymentProvider      *self,
                                                       SoupMessageHeaders       *headers,
                                                       GBytes                   *body,
                                                       FestPaymentConfirmation  *out,
                                                       GError                  **error);

G_END_DECLS
