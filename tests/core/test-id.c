/* test-id.c: UUIDs, wallet codes, tokens, SHA-256 and RFC 3339 times
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"

static void
test_uuid (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *bad[] = {
    "", "not-a-uuid", "123e4567-e89b-12d3-a456-42661417400", "123e4567-e89b-12d3-a456-4266141740000",
    "123e4567e89b12d3a456426614174000", "123e4567-e89b-12d3-a456-42661417400g",
    "{123e4567-e89b-12d3-a456-426614174000}", " 123e4567-e89b-12d3-a456-426614174000",
  };

  g_autofree char *before = NULL;
  gint64 start_msec = g_get_real_time () / 1000;
  gint64 id_msec;

  for (guint i = 0; i < 1000; i++)
    {
      char *uuid = fest_uuid_new ();

      g_assert_true (fest_uuid_is_valid (uuid));
      g_assert_cmpuint (strlen (uuid), ==, 36);
      g_assert_cmpint (uuid[14], ==, '7'); /* version 7: time-ordered */
      g_assert_nonnull (strchr ("89ab", uuid[19])); /* RFC 4122 variant */
      for (const char *p = uuid; *p; p++)
        g_assert_false (g_ascii_isupper (*p));
      g_assert_true (g_hash_table_add (seen, uuid));
    }

  /* The first 48 bits are the Unix time in milliseconds, and a later id sorts after. */
  before = fest_uuid_new ();
  {
    g_autofree char *hex = g_strndup (before, 8);
    id_msec = (gint64) g_ascii_strtoull (hex, NULL, 16) << 16 |
              (gint64) g_ascii_strtoull (before + 9, NULL, 16);
  }
  g_assert_cmpint (id_msec, >=, start_msec);
  g_assert_cmpint (id_msec, <=, g_get_real_time () / 1000);
  g_usleep (2000);
  {
    g_autofree char *after = fest_uuid_new ();
    g_assert_cmpint (strcmp (before, after), <, 0);
  }

  g_assert_true (fest_uuid_is_valid ("123e4567-e89b-12d3-a456-426614174000"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    g_assert_false (fest_uuid_is_valid (bad[i]));
  g_assert_false (fest_uuid_is_valid (NULL));
}

static void
test_wallet_code (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint counts[256] = { 0 };
  const char *bad[] = {
    "", "FW1.", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAA", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAAAA",
    "FW1.aaaaaaaaaaaaaaaaaaaaaaaaaa", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAA1",
    "FW1.AAAAAAAAAAAAAAAAAAAAAAAAA8", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAA=",
    "FW2.AAAAAAAAAAAAAAAAAAAAAAAAAA", "fw1.AAAAAAAAAAAAAAAAAAAAAAAAAA",
    " FW1.AAAAAAAAAAAAAAAAAAAAAAAAAA", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAAA ",
    "AAAAAAAAAAAAAAAAAAAAAAAAAA", "FW1.AAAAAAAAAAAAAAAAAAAAAAAAAB", /* non-zero pad bits */
  };

  for (guint i = 0; i < 2000; i++)
    {
      char *code = fest_wallet_code_new ();

      g_assert_cmpuint (strlen (code), ==, 30);
      g_assert_true (g_str_has_prefix (code, "FW1."));
      for (const char *p = code + 4; *p; p++)
        {
          g_assert_true ((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7'));
          counts[(guchar) *p]++;
        }
      g_assert_true (fest_wallet_code_is_valid (code));
      g_assert_true (g_hash_table_add (seen, code));
    }

  /* 2000 codes × 25 full characters: every one of the 32 symbols shows up (a broken encoder
   * that only emits part of the alphabet fails here). */
  for (const char *p = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"; *p; p++)
    g_assert_cmpuint (counts[(guchar) *p], >, 0);

  g_assert_true (fest_wallet_code_is_valid ("FW1.AAAAAAAAAAAAAAAAAAAAAAAAAA"));
  g_assert_true (fest_wallet_code_is_valid ("FW1.77777777777777777777777774"));
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (fest_wallet_code_is_valid (bad[i]))
      g_error ("\"%s\" accepted as a wallet code", bad[i]);
  g_assert_false (fest_wallet_code_is_valid (NULL));
}

static void
test_token (void)
{
  g_autofree char *a = fest_token_new ();
  g_autofree char *b = fest_token_new ();

  g_assert_cmpuint (strlen (a), ==, 64);
  for (const char *p = a; *p; p++)
    g_assert_true (g_ascii_isxdigit (*p) && !g_ascii_isupper (*p));
  g_assert_cmpstr (a, !=, b);
}

static void
test_sha256 (void)
{
  g_autofree char *empty = fest_sha256_hex ("", 0);
  g_autofree char *abc = fest_sha256_hex ("abc", 3);
  g_autofree char *null_empty = fest_sha256_hex (NULL, 0);

  /* FIPS 180-2 test vectors. */
  g_assert_cmpstr (empty, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  g_assert_cmpstr (null_empty, ==, empty);
}

static void
check_normalize (const char *input,
                 const char *expected)
{
  g_autofree char *normalized = fest_time_normalize (input);

  if (g_strcmp0 (normalized, expected) != 0)
    g_error ("\"%s\" normalised to \"%s\", expected \"%s\"", input, normalized, expected);
}

static void
test_time_format (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("+02:00");
  g_autoptr(GDateTime) summer = g_date_time_new (paris, 2026, 7, 14, 22, 30, 0);
  g_autoptr(GDateTime) ms = g_date_time_new_utc (2026, 7, 14, 20, 30, 0.123);
  g_autoptr(GDateTime) early = g_date_time_new_utc (9, 1, 2, 3, 4, 5);
  g_autofree char *a = fest_time_format (summer);
  g_autofree char *b = NULL;
  g_autofree char *c = fest_time_format (early);
  g_autofree char *now = fest_time_now ();
  g_autoptr(GDateTime) parsed_now = NULL;
  g_autoptr(GDateTime) real_now = g_date_time_new_now_utc ();

  g_assert_nonnull (paris);
  g_assert_cmpstr (a, ==, "2026-07-14T20:30:00Z");
  b = fest_time_format (ms);
  g_assert_true (g_str_has_prefix (b, "2026-07-14T20:30:00."));
  g_assert_true (g_str_has_suffix (b, "Z"));
  g_assert_cmpuint (strlen (b), ==, strlen ("2026-07-14T20:30:00.123Z"));
  g_assert_cmpstr (c, ==, "0009-01-02T03:04:05Z");

  parsed_now = fest_time_parse (now);
  g_assert_nonnull (parsed_now);
  g_assert_cmpint (ABS (g_date_time_difference (real_now, parsed_now)), <, 5 * G_USEC_PER_SEC);
  g_assert_true (g_str_has_suffix (now, "Z"));
}

static void
test_time_parse (void)
{
  const char *bad[] = {
    "", "2026-07-14", "2026-07-14T20:30:00", /* no offset: refused, not taken as UTC */
    "2026-07-14T20:30Z", "2026-07-14T20:30:00+0200", "2026-07-14T20:30:00+02",
    "2026-7-14T20:30:00Z", "2026-07-14X20:30:00Z", "2026-02-30T00:00:00Z",
    "2025-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-00-01T00:00:00Z",
    "2026-07-00T00:00:00Z", "2026-07-14T24:00:00Z", "2026-07-14T23:60:00Z",
    "2026-07-14T23:59:60Z", "2026-07-14T20:30:00.Z", "2026-07-14T20:30:00Z ",
    " 2026-07-14T20:30:00Z", "2026-07-14T20:30:00+24:00", "2026-07-14T20:30:00+02:60",
    "0000-01-01T00:00:00Z", "2026-07-14T20:30:00ZZ", "１２３４-07-14T20:30:00Z",
    "2026-07-14T20:30:00 Z", "now",
  };

  check_normalize ("2026-07-14T20:30:00Z", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14T22:30:00+02:00", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14T15:00:00-05:30", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14t20:30:00z", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14 20:30:00Z", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14T20:30:00.123Z", "2026-07-14T20:30:00.123Z");
  check_normalize ("2026-07-14T20:30:00.1Z", "2026-07-14T20:30:00.100Z");
  check_normalize ("2026-07-14T20:30:00.000Z", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14T20:30:00.0009Z", "2026-07-14T20:30:00Z");
  check_normalize ("2026-07-14T20:30:00.123456789+00:00", "2026-07-14T20:30:00.123Z");
  check_normalize ("2026-07-14T20:30:00-00:00", "2026-07-14T20:30:00Z");
  /* Offsets move the date across midnight, a month and a year. */
  check_normalize ("2027-01-01T01:00:00+02:00", "2026-12-31T23:00:00Z");
  check_normalize ("2024-02-28T23:30:00-01:00", "2024-02-29T00:30:00Z");
  check_normalize ("2024-02-29T12:00:00Z", "2024-02-29T12:00:00Z");
  check_normalize ("2000-02-29T12:00:00Z", "2000-02-29T12:00:00Z");
  check_normalize ("1969-12-31T23:59:59.500Z", "1969-12-31T23:59:59.500Z");
  check_normalize ("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z");
  check_normalize ("9999-12-31T23:59:59Z", "9999-12-31T23:59:59Z");

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GDateTime) time = fest_time_parse (bad[i]);

      if (time != NULL)
        g_error ("\"%s\" accepted as an RFC 3339 time", bad[i]);
    }
  g_assert_null (fest_time_parse (NULL));
  g_assert_null (fest_time_normalize ("1900-02-29T00:00:00Z"));
  /* An offset that moves the time outside years 1..9999 cannot be represented. */
  g_assert_null (fest_time_normalize ("9999-12-31T23:59:59-01:00"));
}

static void
test_time_round_trip (void)
{
  /* parse (format (t)) == t to the millisecond for many times, in every offset. */
  for (guint i = 0; i < 2000; i++)
    {
      gint64 unix_ms = g_random_int_range (0, G_MAXINT32) * G_GINT64_CONSTANT (1000) +
                       g_random_int_range (0, 1000);
      g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (unix_ms / 1000);
      g_autoptr(GDateTime) exact = g_date_time_add (utc, (unix_ms % 1000) * 1000);
      g_autoptr(GTimeZone) tz = g_time_zone_new_offset (g_random_int_range (-23, 24) * 3600 +
                                                        g_random_int_range (0, 2) * 1800);
      g_autoptr(GDateTime) shifted = g_date_time_to_timezone (exact, tz);
      g_autofree char *text = fest_time_format (shifted);
      g_autoptr(GDateTime) parsed = fest_time_parse (text);
      g_autofree char *local_text = g_date_time_format (shifted, "%Y-%m-%dT%H:%M:%S.%f%:z");
      g_autoptr(GDateTime) parsed_local = fest_time_parse (local_text);

      g_assert_nonnull (parsed);
      g_assert_cmpint (g_date_time_difference (parsed, exact), ==, 0);
      g_assert_nonnull (parsed_local);
      g_assert_cmpint (g_date_time_difference (parsed_local, exact), ==, 0);
      g_assert_cmpint (g_date_time_get_utc_offset (parsed), ==, 0);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  fest_core_init ();

  g_test_add_func ("/fest/id/uuid", test_uuid);
  g_test_add_func ("/fest/id/wallet-code", test_wallet_code);
  g_test_add_func ("/fest/id/token", test_token);
  g_test_add_func ("/fest/id/sha256", test_sha256);
  g_test_add_func ("/fest/time/format", test_time_format);
  g_test_add_func ("/fest/time/parse", test_time_parse);
  g_test_add_func ("/fest/time/round-trip", test_time_round_trip);

  return g_test_run ();
}
