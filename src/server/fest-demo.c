/* fest-demo.c: the demo festival of `festivals-server --demo`
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-demo.h"

gboolean
fest_demo_populate (FestServer  *server,
                    GError     **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED, "not written yet");
  return FALSE;
}
