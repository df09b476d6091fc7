/* fest-id.c: identifiers, wallet codes, tokens and RFC 3339 times
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <time.h>

#include <sodium.h>

#include "fest-core.h"
#include "fest-id.h"
#include "fest-id-private.h"

#define WALLET_PREFIX "FW1."
#define WALLET_RANDOM_BYTES 16
#define WALLET_BASE32_CHARS 26 /* ceil (128 / 5) */

static const char base32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

static char *
format_uuid (const guint8 bytes[16])
{
  static const char hex[] = "0123456789abcdef";
  char *text = g_malloc (37);
  char *p = text;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        *p++ = '-';
      *p++ = hex[bytes[i] >> 4];
      *p++ = hex[bytes[i] & 0xf];
    }
  *p = '\0';

  return text;
}

/* The random half of ids comes from a per-thread pool refilled from libsodium: randombytes_buf
 * asks the kernel (getrandom) on every call, and a payment makes several ids. */
typedef struct
{
  guint8 bytes[4096];
  gsize  used;
} RandomPool;

static void
random_pool_take (guint8 *out,
                  gsize   len)
{
  static GPrivate pool_key = G_PRIVATE_INIT (g_free);
  RandomPool *pool = g_private_get (&pool_key);

  g_assert (len <= sizeof pool->bytes);
  if (pool == NULL)
    {
      pool = g_new (RandomPool, 1);
      pool->used = sizeof pool->bytes;
      g_private_set (&pool_key, pool);
    }
  if (pool->used + len > sizeof pool->bytes)
    {
      randombytes_buf (pool->bytes, sizeof pool->bytes);
      pool->used = 0;
    }
  memcpy (out, pool->bytes + pool->used, len);
  pool->used += len;
}

/* A version 7 UUID (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then 12 bits of
 * sub-millisecond time (§6.2 method 3) and 62 random bits. Ids made one after another sort
 * together, so that every table and index keyed by id grows at its end instead of dirtying a
 * random B-tree page per insert (the ledger's commit cost is the number of pages it writes). */
char *
fest_uuid_new (void)
{
  guint8 bytes[16];
  gint64 now = g_get_real_time ();
  guint64 msec = (guint64) (now / 1000);
  guint sub_msec = (guint) ((now % 1000) * 4096 / 1000);

  random_pool_take (bytes + 8, 8);
  for (guint i = 0; i < 6; i++)
    bytes[i] = (guint8) (msec >> (40 - 8 * i));
  bytes[6] = (guint8) (0x70 | (sub_msec >> 8));
  bytes[7] = (guint8) (sub_msec & 0xff);
  bytes[8] = (guint8) (0x80 | (bytes[8] & 0x3f));

  return format_uuid (bytes);
}

gboolean
fest_uuid_is_valid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

/* RFC 4648 base32 without padding. */
static void
base32_encode (const guint8 *data,
               gsize         len,
               GString      *out)
{
  guint64 buffer = 0;
  guint bits = 0;

  for (gsize i = 0; i < len; i++)
    {
      buffer = (buffer << 8) | data[i];
      bits += 8;
      while (bits >= 5)
        {
          bits -= 5;
          g_string_append_c (out, base32_alphabet[(buffer >> bits) & 0x1f]);
        }
    }

  if (bits > 0)
    g_string_append_c (out, base32_alphabet[(buffer << (5 - bits)) & 0x1f]);
}

char *
fest_wallet_code_new (void)
{
  guint8 bytes[WALLET_RANDOM_BYTES];
  GString *code = g_string_sized_new (sizeof WALLET_PREFIX + WALLET_BASE32_CHARS);

  fest_core_init ();
  randombytes_buf (bytes, sizeof bytes);

  g_string_append (code, WALLET_PREFIX);
  base32_encode (bytes, sizeof bytes, code);
  sodium_memzero (bytes, sizeof bytes);

  g_assert (code->len == strlen (WALLET_PREFIX) + WALLET_BASE32_CHARS);

  return g_string_free (code, FALSE);
}

gboolean
fest_wallet_code_is_valid (const char *text)
{
  const char *p;
  gsize n = 0;

  if (text == NULL || !g_str_has_prefix (text, WALLET_PREFIX))
    return FALSE;

  for (p = text + strlen (WALLET_PREFIX); *p != '\0'; p++, n++)
    {
      if (!((*p >= 'A' && *p <= 'Z') || (*p >= '2' && *p <= '7')))
        return FALSE;
    }

  if (n != WALLET_BASE32_CHARS)
    return FALSE;

  /* 26 characters carry 130 bits: the last character holds 3 data bits and 2 zero pad bits. A
   * canonical encoding has them zero, so each wallet has exactly one valid code. */
  p--;
  return ((strchr (base32_alphabet, *p) - base32_alphabet) & 0x3) == 0;
}

char *
fest_token_new (void)
{
  guint8 bytes[32];
  char hex[sizeof bytes * 2 + 1];

  fest_core_init ();
  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);

  return g_strdup (hex);
}

char *
fest_sha256_hex (const void *data,
                 gsize       len)
{
  guint8 digest[crypto_hash_sha256_BYTES];
  char hex[sizeof digest * 2 + 1];

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  fest_core_init ();
  crypto_hash_sha256 (digest, data != NULL ? data : (const void *) "", len);
  sodium_bin2hex (hex, sizeof hex, digest, sizeof digest);

  return g_strdup (hex);
}

static char *
put_digits (char *p,
            guint value,
            guint width)
{
  for (guint i = width; i > 0; i--)
    {
      p[i - 1] = (char) ('0' + value % 10);
      value /= 10;
    }
  return p + width;
}

/* RFC 3339 in UTC, by hand rather than g_date_time_format or printf: a 4-digit year, no locale,
 * and cheap enough for the ledger's hot path (several stamps per payment). Milliseconds are
 * written only when not zero. */
static char *
format_time (guint year,
             guint month,
             guint day,
             guint hour,
             guint minute,
             guint second,
             guint ms)
{
  char *text = g_malloc (sizeof "YYYY-MM-DDTHH:MM:SS.mmmZ");
  char *p = text;

  p = put_digits (p, year, 4);
  *p++ = '-';
  p = put_digits (p, month, 2);
  *p++ = '-';
  p = put_digits (p, day, 2);
  *p++ = 'T';
  p = put_digits (p, hour, 2);
  *p++ = ':';
  p = put_digits (p, minute, 2);
  *p++ = ':';
  p = put_digits (p, second, 2);
  if (ms != 0)
    {
      *p++ = '.';
      p = put_digits (p, ms, 3);
    }
  *p++ = 'Z';
  *p = '\0';

  return text;
}

char *
fest_time_format (GDateTime *time)
{
  g_autoptr(GDateTime) utc = NULL;
  int year, month, day;

  g_return_val_if_fail (time != NULL, NULL);

  utc = g_date_time_to_utc (time);
  if (utc == NULL)
    return NULL;

  g_date_time_get_ymd (utc, &year, &month, &day);
  return format_time (year, month, day, g_date_time_get_hour (utc), g_date_time_get_minute (utc),
                      g_date_time_get_second (utc), g_date_time_get_microsecond (utc) / 1000);
}

char *
fest_time_now (void)
{
  gint64 now = g_get_real_time ();
  time_t seconds = (time_t) (now / G_USEC_PER_SEC);
  struct tm tm;

  if (gmtime_r (&seconds, &tm) == NULL)
    {
      g_autoptr(GDateTime) fallback = g_date_time_new_now_utc ();
      return fest_time_format (fallback);
    }

  return format_time (tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                      tm.tm_sec, (guint) (now % G_USEC_PER_SEC) / 1000);
}

static gboolean
parse_digits (const char **p,
              guint        n,
              int         *value)
{
  int v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit ((*p)[i]))
        return FALSE;
      v = v * 10 + ((*p)[i] - '0');
    }

  *p += n;
  *value = v;
  return TRUE;
}

static gboolean
is_leap_year (int year)
{
  return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil). */
static gint64
days_from_civil (int year,
                 int month,
                 int day)
{
  gint64 y = month <= 2 ? year - 1 : year;
  gint64 era = (y >= 0 ? y : y - 399) / 400;
  gint64 yoe = y - era * 400;
  gint64 doy = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  gint64 doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

  return era * 146097 + doe - 719468;
}

/* RFC 3339 section 5.6 date-time, strictly: full date, "T" (or "t", or a space as the RFC
 * allows), time with seconds, optional fraction, and a mandatory "Z" or ±hh:mm offset. Returns
 * microseconds since the Unix epoch. No allocation: the ticket verifier calls it per scan. */
gboolean
_fest_time_parse_unix_usec (const char *text,
                            gint64     *unix_usec)
{
  static const int days_in_month[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  const char *p = text;
  int year, month, day, hour, minute, second;
  gint64 usec = 0;
  gint64 offset_seconds = 0;
  int month_days;

  if (text == NULL)
    return FALSE;

  if (!parse_digits (&p, 4, &year) || *p++ != '-' ||
      !parse_digits (&p, 2, &month) || *p++ != '-' ||
      !parse_digits (&p, 2, &day))
    return FALSE;

  if (*p != 'T' && *p != 't' && *p != ' ')
    return FALSE;
  p++;

  if (!parse_digits (&p, 2, &hour) || *p++ != ':' ||
      !parse_digits (&p, 2, &minute) || *p++ != ':' ||
      !parse_digits (&p, 2, &second))
    return FALSE;

  if (*p == '.')
    {
      int scale = 100000;

      p++;
      if (!g_ascii_isdigit (*p))
        return FALSE;
      /* Digits beyond the microsecond are truncated. */
      for (; g_ascii_isdigit (*p); p++)
        {
          usec += (*p - '0') * scale;
          scale /= 10;
        }
    }

  if (*p == 'Z' || *p == 'z')
    {
      p++;
    }
  else if (*p == '+' || *p == '-')
    {
      int sign = *p == '-' ? -1 : 1;
      int oh, om;

      p++;
      if (!parse_digits (&p, 2, &oh) || *p++ != ':' || !parse_digits (&p, 2, &om))
        return FALSE;
      if (oh > 23 || om > 59)
        return FALSE;
      offset_seconds = sign * (oh * 3600 + om * 60);
    }
  else
    {
      return FALSE;
    }

  if (*p != '\0')
    return FALSE;

  if (year < 1 || month < 1 || month > 12 || day < 1)
    return FALSE;
  month_days = days_in_month[month - 1] + (month == 2 && is_leap_year (year) ? 1 : 0);
  /* GLib has no leap seconds; refuse 60 rather than guess. */
  if (day > month_days || hour > 23 || minute > 59 || second > 59)
    return FALSE;

  *unix_usec = ((days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second)
                - offset_seconds) * G_USEC_PER_SEC + usec;
  return TRUE;
}

GDateTime *
fest_time_parse (const char *text)
{
  g_autoptr(GDateTime) seconds = NULL;
  gint64 unix_usec;
  gint64 unix_seconds;

  if (!_fest_time_parse_unix_usec (text, &unix_usec))
    return NULL;

  /* Floor division: times before 1970 have a negative count. */
  unix_seconds = unix_usec / G_USEC_PER_SEC;
  if (unix_usec % G_USEC_PER_SEC < 0)
    unix_seconds--;

  /* NULL when the offset moved the time out of GDateTime's range (years 1 to 9999). */
  seconds = g_date_time_new_from_unix_utc (unix_seconds);
  if (seconds == NULL)
    return NULL;

  return g_date_time_add (seconds, unix_usec - unix_seconds * G_USEC_PER_SEC);
}

char *
fest_time_normalize (const char *text)
{
  g_autoptr(GDateTime) time = fest_time_parse (text);

  if (time == NULL)
    return NULL;

  return fest_time_format (time);
}
