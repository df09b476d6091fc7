/* fest-festival-schema.h: versioned migrations of a festival database
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

const char * const *fest_festival_schema_get_migrations (guint *n_migrations);

G_END_DECLS
