/* fest-webhook-payment-provider.c: a payment gateway that confirms with signed webhooks
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The generic provider: an external payment page or gateway, sharing a secret with the server,
 * takes the attendee's money for a top-up and then confirms with
 *
 *   POST /api/v1/payments/webhook
 *   X-Festivals-Signature: sha256=<hex HMAC-SHA256 of the raw body, keyed with the secret>
 *   {"topup_id": "…", "status": "PAID" | "FAILED", "amount": 1000, "reference": "…"}
 *
 * It has no checkout page of its own: the attendee's client hands the top-up id to the gateway.
 */

#include "config.h"

#include <sodium.h>
#include <string.h>

#include "fest-core.h"
#include "fest-webhook-payment-provider.h"

#define SIGNATURE_PREFIX "sha256="
#define MAX_REFERENCE_CHARS 200

struct _FestWebhookPaymentProvider
{
  GObject  parent_instance;

  guint8  *secret;
  gsize    secret_len;
};

static void fest_webhook_payment_provider_iface_init (FestPaymentProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (FestWebhookPaymentProvider, fest_webhook_payment_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (FEST_TYPE_PAYMENT_PROVIDER,
                                                      fest_webhook_payment_provider_iface_init))

static gboolean
signature_is_valid (FestWebhookPaymentProvider *self,
                    const char                 *header,
                    GBytes                     *body)
{
  guint8 expected[crypto_auth_hmacsha256_BYTES];
  guint8 given[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  const char *hex;
  gsize given_len = 0;
  gsize body_len = 0;
  const guint8 *body_data = body != NULL ? g_bytes_get_data (body, &body_len) : NULL;
  gboolean valid;

  if (header == NULL || !g_str_has_prefix (header, SIGNATURE_PREFIX))
    return FALSE;
  hex = header + strlen (SIGNATURE_PREFIX);
  if (strlen (hex) != 2 * sizeof given
      || sodium_hex2bin (given, sizeof given, hex, strlen (hex), NULL, &given_len, NULL) != 0
      || given_len != sizeof given)
    return FALSE;

  crypto_auth_hmacsha256_init (&state, self->secret, self->secret_len);
  crypto_auth_hmacsha256_update (&state, body_data != NULL ? body_data : (const guint8 *) "", body_len);
  crypto_auth_hmacsha256_final (&state, expected);
  /* Constant time: how much of a forged signature matches must not show in the reply's timing. */
  valid = sodium_memcmp (expected, given, sizeof expected) == 0;
  sodium_memzero (&state, sizeof state);
  return valid;
}

static const char *
webhook_get_name (FestPaymentProvider *provider)
{
  return "webhook";
}

static gboolean
webhook_start_checkout (FestPaymentProvider     *provider,
                        const FestTopupRequest  *topup,
                        char                   **checkout_url,
                        GError                 **error)
{
  *checkout_url = NULL;
  return TRUE;
}

static gboolean
webhook_verify_confirmation (FestPaymentProvider      *provider,
                             SoupMessageHeaders       *headers,
                             GBytes                   *body,
                             FestPaymentConfirmation  *out,
                             GError                  **error)
{
  FestWebhookPaymentProvider *self = FEST_WEBHOOK_PAYMENT_PROVIDER (provider);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  const char *topup_id = NULL;
  const char *status = NULL;
  const char *reference = NULL;
  gint64 amount = 0;
  const char *data;
  gsize len = 0;

  if (!signature_is_valid (self, soup_message_headers_get_one (headers, FEST_WEBHOOK_SIGNATURE_HEADER), body))
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_UNAUTHENTICATED,
                   "The webhook needs a valid " FEST_WEBHOOK_SIGNATURE_HEADER " signature");
      return FALSE;
    }

  data = body != NULL ? g_bytes_get_data (body, &len) : NULL;
  if (len == 0)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_MALFORMED_JSON, "The request body is empty");
      return FALSE;
    }
  root = fest_json_parse (data, len, error);
  if (root == NULL)
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_propagate_error (error, fest_error_validation ("body", "The request body must be a JSON object"));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!fest_json_get_uuid (object, "topup_id", TRUE, &topup_id, error)
      || !fest_json_get_string (object, "status", TRUE, &status, error)
      || !fest_json_get_int (object, "amount", TRUE, 1, FEST_MONEY_MAX_AMOUNT, &amount, error)
      || !fest_json_get_text (object, "reference", FALSE, MAX_REFERENCE_CHARS, &reference, error))
    return FALSE;
  if (!g_str_equal (status, "PAID") && !g_str_equal (status, "FAILED"))
    {
      g_propagate_error (error, fest_error_validation ("status", "status must be PAID or FAILED"));
      return FALSE;
    }

  out->topup_id = g_strdup (topup_id);
  out->paid = g_str_equal (status, "PAID");
  out->amount = amount;
  out->reference = g_strdup (reference);
  return TRUE;
}

static void
fest_webhook_payment_provider_iface_init (FestPaymentProviderInterface *iface)
{
  iface->get_name = webhook_get_name;
  iface->start_checkout = webhook_start_checkout;
  iface->verify_confirmation = webhook_verify_confirmation;
}

static void
fest_webhook_payment_provider_finalize (GObject *object)
{
  FestWebhookPaymentProvider *self = FEST_WEBHOOK_PAYMENT_PROVIDER (object);

  if (self->secret != NULL)
    sodium_memzero (self->secret, self->secret_len);
  g_free (self->secret);

  G_OBJECT_CLASS (fest_webhook_payment_provider_parent_class)->finalize (object);
}

static void
fest_webhook_payment_provider_class_init (FestWebhookPaymentProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = fest_webhook_payment_provider_finalize;
}

static void
fest_webhook_payment_provider_init (FestWebhookPaymentProvider *self)
{
}

FestWebhookPaymentProvider *
fest_webhook_payment_provider_new_from_file (const char  *path,
                                             GError     **error)
{
  g_autoptr(FestWebhookPaymentProvider) self = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;
  char *secret;

  g_return_val_if_fail (path != NULL, NULL);

  fest_core_init ();

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  secret = g_strstrip (contents);
  if (strlen (secret) < FEST_WEBHOOK_SECRET_MIN_BYTES)
    {
      sodium_memzero (contents, len);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s: the payment webhook secret needs at least %d characters", path,
                   FEST_WEBHOOK_SECRET_MIN_BYTES);
      return NULL;
    }

  self = g_object_new (FEST_TYPE_WEBHOOK_PAYMENT_PROVIDER, NULL);
  self->secret_len = strlen (secret);
  self->secret = g_memdup2 (secret, self->secret_len);
  sodium_memzero (contents, len);
  return g_steal_pointer (&self);
}
