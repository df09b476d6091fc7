/* fest-server-private.h: server internals used by the platform routes and the command line
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-server.h"
#include "fest-platform-store.h"
#include "fest-rate-limit.h"

G_BEGIN_DECLS

/* data_dir/festival-<id>.db */
char              *_fest_server_festival_path     (FestServer   *self,
                                                   const char   *festival_id);
/* Creates festival-<id>.db (migrated) and keeps it open; the registry row is the caller's. */
FestFestivalStore *_fest_server_create_festival   (FestServer   *self,
                                                   const char   *festival_id,
                                                   GError      **error);
/* Closes and deletes a festival database created by _fest_server_create_festival() whose
 * creation failed half way. */
void               _fest_server_discard_festival  (FestServer   *self,
                                                   const char   *festival_id);

/* NULL when rate limiting is off. */
FestRateLimiter   *_fest_server_get_rate_limiter  (FestServer   *self);
/* Whether @address matches a --trusted-proxy. */
gboolean           _fest_server_is_trusted_proxy  (FestServer   *self,
                                                   GInetAddress *address);

G_END_DECLS
