/* fest-core.c: one-time initialisation of the core library
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <sodium.h>

#include "fest-core.h"

void
fest_core_init (void)
{
  static gsize initialized = 0;

  if (g_once_init_enter (&initialized))
    {
      /* sodium_init() returns 1 when already initialised, -1 when the RNG cannot be set up:
       * without randomness we cannot issue wallet codes, tokens or keys. */
      if (sodium_init () < 0)
        g_error ("libsodium could not be initialised");
      g_once_init_leave (&initialized, 1);
    }
}
