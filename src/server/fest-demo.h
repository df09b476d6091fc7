/* fest-demo.h: the demo festival of `festivals-server --demo`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "fest-server.h"

G_BEGIN_DECLS

/* Fills the (empty) server with the demo accounts (password "festivals-demo"), the festival
 * "Festival des Lumières" and its catalog. Blocking: call before serving. */
gboolean fest_demo_populate (FestServer  *server,
                             GError     **error);

G_END_DECLS
