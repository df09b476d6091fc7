/* fuzz-wallet-code.c: libFuzzer harness for wallet codes, UUIDs and RFC 3339 times
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What a cashier's scanner or a request body hands to fest-id.c. fest_wallet_code_is_valid() is
 * checked against a reference written here from the format ("FW1." + canonical unpadded RFC 4648
 * base32 of 16 bytes): both must agree, and a valid code re-encodes to itself, so that one wallet
 * has exactly one code. A time that parses normalises to a fixed point that parses to the same
 * instant.
 */

#include "config.h"

#include "fest-id-private.h"
#include "fuzz-common.h"

#define ALPHABET "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Decodes the 26 characters after "FW1." into 16 bytes; FALSE if not a canonical code. */
static gboolean
reference_decode (const char *text,
                  guint8      bytes[16])
{
  guint64 buffer = 0;
  guint bits = 0;
  gsize n = 0;

  if (strncmp (text, "FW1.", 4) != 0 || strlen (text) != 4 + 26)
    return FALSE;
  for (const char *p = text + 4; *p != '\0'; p++)
    {
      const char *digit = strchr (ALPHABET, *p);

      if (digit == NULL)
        return FALSE;
      buffer = (buffer << 5) | (guint64) (digit - ALPHABET);
      bits += 5;
      if (bits >= 8)
        {
          bits -= 8;
          bytes[n++] = (guint8) (buffer >> bits);
        }
    }
  /* 130 bits for 128: the 2 left over must be zero. */
  return n == 16 && bits == 2 && (buffer & 0x3) == 0;
}

static char *
reference_encode (const guint8 bytes[16])
{
  GString *out = g_string_new ("FW1.");
  guint64 buffer = 0;
  guint bits = 0;

  for (guint i = 0; i < 16; i++)
    {
      buffer = (buffer << 8) | bytes[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_string_append_c (out, ALPHABET[(buffer >> bits) & 0x1f]);
        }
    }
  g_string_append_c (out, ALPHABET[(buffer << (5 - bits)) & 0x1f]);
  return g_string_free (out, FALSE);
}

static void
check_wallet_code (const char *text)
{
  guint8 bytes[16];
  gboolean valid = fest_wallet_code_is_valid (text);

  FUZZ_CHECK (valid == reference_decode (text, bytes));
  if (valid)
    {
      g_autofree char *again = reference_encode (bytes);

      FUZZ_CHECK (g_str_equal (again, text));
    }
}

static void
check_uuid (const char *text)
{
  if (!fest_uuid_is_valid (text))
    return;
  FUZZ_CHECK (strlen (text) == 36);
  FUZZ_CHECK (text[8] == '-' && text[13] == '-' && text[18] == '-' && text[23] == '-');
}

static void
check_time (const char *text)
{
  g_autoptr(GDateTime) time = fest_time_parse (text);
  g_autoptr(GDateTime) time_again = NULL;
  g_autofree char *normal = NULL;
  g_autofree char *normal_again = NULL;
  gint64 usec = 0;
  gint64 usec_normal = 0;

  normal = fest_time_normalize (text);
  FUZZ_CHECK ((time == NULL) == (normal == NULL));
  if (time == NULL)
    return;

  /* The allocation-free parser the ticket verifier uses reads the same instant. */
  FUZZ_CHECK (_fest_time_parse_unix_usec (text, &usec));
  FUZZ_CHECK (usec == g_date_time_to_unix (time) * G_USEC_PER_SEC +
                      g_date_time_get_microsecond (time));

  /* The normal form is a fixed point, UTC, and the same instant to the millisecond. */
  normal_again = fest_time_normalize (normal);
  FUZZ_CHECK (g_strcmp0 (normal, normal_again) == 0);
  FUZZ_CHECK (g_str_has_suffix (normal, "Z"));
  time_again = fest_time_parse (normal);
  FUZZ_CHECK (time_again != NULL);
  FUZZ_CHECK (_fest_time_parse_unix_usec (normal, &usec_normal));
  FUZZ_CHECK (usec_normal <= usec && usec - usec_normal < 1000);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = fuzz_strndup (data, size);

  check_wallet_code (text);
  check_uuid (text);
  check_time (text);
  return 0;
}
