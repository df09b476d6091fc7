/* fest-id-private.h: time parsing shared inside the core library
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Strict RFC 3339 (offset or Z required) to microseconds since the Unix epoch, without
 * allocating. */
gboolean _fest_time_parse_unix_usec (const char *text,
                                     gint64     *unix_usec);

G_END_DECLS
