/* fest-ical.h: writing iCalendar (RFC 5545) content lines
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Each line ends with CRLF and is folded so that no physical line is longer than 75 octets: the
 * rest goes on continuation lines that start with one space, and a UTF-8 character is never split
 * across two of them (RFC 5545 §3.1). TEXT values are escaped (§3.3.11): backslash, semicolon,
 * comma and newline. GNOME's runtime ships no iCalendar library (libical comes with
 * evolution-data-server), and writing is all the server needs, so this is done here.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define FEST_ICAL_LINE_OCTETS 75

/* Appends "NAME:VALUE" folded, @value as is (dates, enumerations, already escaped values). */
void  fest_ical_append_line  (GString    *out,
                              const char *name,
                              const char *value);
/* Appends "NAME:VALUE" folded, @text escaped as a TEXT value (CRLF and CR are newlines too). */
void  fest_ical_append_text  (GString    *out,
                              const char *name,
                              const char *text);
/* The UTC DATE-TIME form of an RFC 3339 time ("20260704T213000Z"); NULL if @rfc3339 is not a
 * time. */
char *fest_ical_date_time    (const char *rfc3339);

G_END_DECLS
