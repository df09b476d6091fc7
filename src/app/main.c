/* main.c: the festivals desktop app
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FestApplication) app = NULL;

  fest_application_init_i18n ();

  app = fest_application_new ();
  return g_application_run (G_APPLICATION (app), argc, argv);
}
