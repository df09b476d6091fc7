/* fuzz-ticket-code.c: libFuzzer harness for ticket QR codes (FT1.<payload>.<signature>)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The first byte picks the mode. Even: the rest is a scanned code, verified as is (the format,
 * base64url and signature checks an attacker's code meets). Odd: the rest is a payload, signed
 * here with the test key so that the JSON parser and the validity window, which only signed
 * payloads reach, are fuzzed too. A code that verifies re-encodes (fest_ticket_code_sign) to a
 * code that verifies to the same payload, and that encoding is stable. Base64url text that
 * decodes re-encodes to the same text: no two codes for one payload.
 */

#include "config.h"

#include <sodium.h>

#include "fuzz-common.h"

#define FESTIVAL_ID "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"

static guint8 public_key[crypto_sign_PUBLICKEYBYTES];
static guint8 secret_key[crypto_sign_SECRETKEYBYTES];
static GDateTime *now;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  guint8 seed[crypto_sign_SEEDBYTES];

  fuzz_init ();
  /* A fixed key: a crash reproduces from its input alone. */
  memset (seed, 0x5a, sizeof seed);
  crypto_sign_seed_keypair (public_key, secret_key, seed);
  now = g_date_time_new_utc (2026, 7, 14, 20, 30, 0);
  return 0;
}

static gboolean
fills_payload (FestTicketCodeStatus status)
{
  return status == FEST_TICKET_CODE_VALID || status == FEST_TICKET_CODE_WRONG_FESTIVAL ||
         status == FEST_TICKET_CODE_NOT_YET_VALID || status == FEST_TICKET_CODE_EXPIRED;
}

static gboolean
payload_equal (const FestTicketPayload *a,
               const FestTicketPayload *b)
{
  return g_strcmp0 (a->ticket_id, b->ticket_id) == 0 &&
         g_strcmp0 (a->festival_id, b->festival_id) == 0 &&
         g_strcmp0 (a->type_code, b->type_code) == 0 &&
         g_strcmp0 (a->holder, b->holder) == 0 &&
         g_strcmp0 (a->valid_from, b->valid_from) == 0 &&
         g_strcmp0 (a->valid_until, b->valid_until) == 0;
}

static void
check_code (const char *qr)
{
  g_auto(FestTicketPayload) payload = { 0 };
  g_auto(FestTicketPayload) unchecked = { 0 };
  g_auto(FestTicketPayload) again = { 0 };
  g_autofree char *code = NULL;
  g_autofree char *code_again = NULL;
  FestTicketCodeStatus status;
  FestTicketCodeStatus plain;

  status = fest_ticket_code_verify (qr, public_key, FESTIVAL_ID, now, &payload);
  FUZZ_CHECK (fest_ticket_code_status_to_string (status) != NULL);
  /* Without a festival or a time to check, only the format and the signature count. */
  plain = fest_ticket_code_verify (qr, public_key, NULL, NULL, &unchecked);
  FUZZ_CHECK (fills_payload (status) ? plain == FEST_TICKET_CODE_VALID : plain == status);

  if (!fills_payload (status))
    {
      FUZZ_CHECK (payload.ticket_id == NULL && payload.holder == NULL);
      return;
    }
  FUZZ_CHECK (payload_equal (&payload, &unchecked));
  FUZZ_CHECK (payload.ticket_id[0] != '\0' && payload.festival_id[0] != '\0' &&
              payload.type_code[0] != '\0' && payload.holder != NULL &&
              payload.valid_from[0] != '\0' && payload.valid_until[0] != '\0');
  FUZZ_CHECK ((status == FEST_TICKET_CODE_WRONG_FESTIVAL) ==
              !g_str_equal (payload.festival_id, FESTIVAL_ID));

  code = fest_ticket_code_sign (&payload, secret_key);
  FUZZ_CHECK (code != NULL);
  FUZZ_CHECK (fest_ticket_code_verify (code, public_key, FESTIVAL_ID, now, &again) == status);
  FUZZ_CHECK (payload_equal (&payload, &again));
  code_again = fest_ticket_code_sign (&again, secret_key);
  FUZZ_CHECK (g_str_equal (code, code_again));
}

static void
check_base64url (const char *text)
{
  g_autofree guint8 *decoded = NULL;
  g_autofree char *encoded = NULL;
  gsize len = 0;

  decoded = fest_base64url_decode (text, strlen (text), &len);
  if (decoded == NULL)
    return;
  encoded = fest_base64url_encode (decoded, len);
  FUZZ_CHECK (g_str_equal (encoded, text));
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  if (size == 0)
    return 0;

  if ((data[0] & 1) == 0)
    {
      g_autofree char *qr = fuzz_strndup (data + 1, size - 1);

      check_code (qr);
      check_base64url (qr);
    }
  else
    {
      guint8 signature[crypto_sign_BYTES];
      g_autofree char *payload_b64 = fest_base64url_encode (data + 1, size - 1);
      g_autofree char *signature_b64 = NULL;
      g_autofree char *qr = NULL;

      crypto_sign_detached (signature, NULL, data + 1, size - 1, secret_key);
      signature_b64 = fest_base64url_encode (signature, sizeof signature);
      qr = g_strconcat ("FT1.", payload_b64, ".", signature_b64, NULL);
      check_code (qr);
    }
  return 0;
}
