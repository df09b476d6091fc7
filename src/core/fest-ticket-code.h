/* fest-ticket-code.h: signed ticket QR codes, FT1.<base64url(payload)>.<base64url(signature)>
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The payload is compact JSON {"t":ticket_id,"f":festival_id,"k":type_code,"h":holder,
 * "nb":valid_from,"na":valid_until} signed with Ed25519 (libsodium) by the festival's secret key.
 * Stations hold only the public key: they verify offline and cannot forge.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FEST_TICKET_PUBLIC_KEY_BYTES 32
#define FEST_TICKET_SECRET_KEY_BYTES 64

typedef struct
{
  char *ticket_id;
  char *festival_id;
  char *type_code;
  char *holder;       /* may be empty, never NULL after a successful parse */
  char *valid_from;   /* RFC 3339 */
  char *valid_until;  /* RFC 3339 */
} FestTicketPayload;

void      fest_ticket_payload_clear   (FestTicketPayload *payload);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FestTicketPayload, fest_ticket_payload_clear)

void      fest_ticket_keypair_new     (guint8             public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                                       guint8             secret_key[FEST_TICKET_SECRET_KEY_BYTES]);
char     *fest_ticket_code_sign       (const FestTicketPayload *payload,
                                       const guint8       secret_key[FEST_TICKET_SECRET_KEY_BYTES]);

typedef enum
{
  FEST_TICKET_CODE_VALID,
  FEST_TICKET_CODE_MALFORMED,       /* not FT1.x.y, bad base64, bad JSON */
  FEST_TICKET_CODE_BAD_SIGNATURE,
  FEST_TICKET_CODE_WRONG_FESTIVAL,
  FEST_TICKET_CODE_NOT_YET_VALID,
  FEST_TICKET_CODE_EXPIRED,
} FestTicketCodeStatus;

/* Checks the format and the signature, then (when @festival_id is non-NULL) the festival and
 * (when @now is non-NULL) the validity window: valid_from <= now < valid_until. Fills @payload
 * (which must be empty: zero-initialised or cleared; it is overwritten, not freed) whenever the
 * signature is good and the payload well formed, also for WRONG_FESTIVAL, NOT_YET_VALID and
 * EXPIRED; leaves it untouched otherwise. Use g_auto(FestTicketPayload) p = { 0 }.
 * Decoding uses stack buffers and the JSON is parsed only once the signature holds; the time is
 * dominated by libsodium's Ed25519 verification (see tests/bench/bench-ticket-verify.c). */
FestTicketCodeStatus fest_ticket_code_verify (const char        *qr,
                                              const guint8       public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                                              const char        *festival_id,
                                              GDateTime         *now,
                                              FestTicketPayload *payload);
/* "MALFORMED", "BAD_SIGNATURE", "WRONG_FESTIVAL", "NOT_YET_VALID", "EXPIRED" (the reasons in
 * TICKET_INVALID details). */
const char *fest_ticket_code_status_to_string (FestTicketCodeStatus status);

char     *fest_base64url_encode       (const guint8      *data,
                                       gsize              len);
guint8   *fest_base64url_decode       (const char        *text,
                                       gsize              text_len,
                                       gsize             *out_len);

G_END_DECLS
