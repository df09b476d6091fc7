/* bench-ticket-verify.c: offline ticket validation throughput on one thread
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "fest-core.h"

/* A gate must validate well above scanning speed; DESIGN target: 15,000/s per core. */
#define TARGET_PER_SECOND 15000.0

int
main (int   argc,
      char *argv[])
{
  guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  guint8 secret_key[FEST_TICKET_SECRET_KEY_BYTES];
  g_autoptr(GPtrArray) codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 7, 15, 20, 0, 0);
  const char *festival_id = "6f1c2d3e-4a5b-4c6d-8e7f-901234567890";
  guint n = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 50000;
  gint64 start, elapsed, crypto_elapsed;
  double per_second, crypto_per_second;
  guint valid = 0;

  fest_core_init ();
  fest_ticket_keypair_new (public_key, secret_key);

  for (guint i = 0; i < MIN (n, 1000); i++)
    {
      g_autofree char *ticket_id = fest_uuid_new ();
      g_autofree char *holder = g_strdup_printf ("Holder %u", i);
      FestTicketPayload payload = {
        .ticket_id = ticket_id,
        .festival_id = (char *) festival_id,
        .type_code = (char *) "PASS3J",
        .holder = holder,
        .valid_from = (char *) "2026-07-14T10:00:00Z",
        .valid_until = (char *) "2026-07-17T04:00:00Z",
      };

      g_ptr_array_add (codes, fest_ticket_code_sign (&payload, secret_key));
    }

  start = g_get_monotonic_time ();
  for (guint i = 0; i < n; i++)
    {
      g_auto(FestTicketPayload) payload = { 0 };

      if (fest_ticket_code_verify (g_ptr_array_index (codes, i % codes->len), public_key,
                                   festival_id, now, &payload) == FEST_TICKET_CODE_VALID)
        valid++;
    }
  elapsed = MAX (g_get_monotonic_time () - start, 1);

  /* The floor set by libsodium's Ed25519 alone, on the same payload bytes, so that the table
   * shows how much of the time is ours (base64, JSON, times) and how much is the signature. */
  {
    const char *code = g_ptr_array_index (codes, 0);
    const char *dot = strchr (code + 4, '.');
    gsize payload_len = 0, signature_len = 0;
    g_autofree guint8 *payload = fest_base64url_decode (code + 4, dot - code - 4, &payload_len);
    g_autofree guint8 *signature = fest_base64url_decode (dot + 1, strlen (dot + 1), &signature_len);

    g_assert (payload != NULL && signature != NULL && signature_len == crypto_sign_BYTES);

    start = g_get_monotonic_time ();
    for (guint i = 0; i < n; i++)
      if (crypto_sign_verify_detached (signature, payload, payload_len, public_key) != 0)
        return EXIT_FAILURE;
    crypto_elapsed = MAX (g_get_monotonic_time () - start, 1);
  }

  per_second = n / (elapsed / (double) G_USEC_PER_SEC);
  crypto_per_second = n / (crypto_elapsed / (double) G_USEC_PER_SEC);
  g_print ("ticket validation: %u verifications in %.1f ms = %.0f/s per core (target %.0f/s)\n",
           n, elapsed / 1000.0, per_second, TARGET_PER_SECOND);
  g_print ("ed25519 alone:     %u verifications in %.1f ms = %.0f/s per core "
           "(%.1f us of %.1f us per code)\n",
           n, crypto_elapsed / 1000.0, crypto_per_second,
           crypto_elapsed / (double) n, elapsed / (double) n);

  if (valid != n)
    {
      g_printerr ("only %u of %u codes verified\n", valid, n);
      return EXIT_FAILURE;
    }

  return per_second >= TARGET_PER_SECOND ? EXIT_SUCCESS : EXIT_FAILURE;
}
