/* fest-id.h: identifiers, wallet codes and times
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Time-ordered (version 7) UUID, lower case: 48-bit Unix milliseconds, 12-bit sub-millisecond
 * time, 62 random bits from libsodium. */
char      *fest_uuid_new              (void);
gboolean   fest_uuid_is_valid         (const char  *text);

/* "FW1." + RFC 4648 base32 (upper case, no padding) of 128 random bits from libsodium:
 * 4 + 26 characters. */
char      *fest_wallet_code_new       (void);
gboolean   fest_wallet_code_is_valid  (const char  *text);

/* Hex of 32 random bytes (a bearer token), and hex SHA-256 of a string. */
char      *fest_token_new             (void);
char      *fest_sha256_hex            (const void  *data,
                                       gsize        len);

/* RFC 3339 UTC with second precision, "2026-07-14T20:30:00Z" (milliseconds kept when non-zero:
 * "2026-07-14T20:30:00.123Z"). */
char      *fest_time_format           (GDateTime   *time);
char      *fest_time_now              (void);
/* Accepts any RFC 3339 time with offset or Z; returns it in UTC, NULL if invalid. */
GDateTime *fest_time_parse            (const char  *text);
/* Normalises an RFC 3339 string to the UTC form above; NULL if invalid. */
char      *fest_time_normalize        (const char  *text);

G_END_DECLS
