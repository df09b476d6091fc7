/* fest-application.h: the Festivals application: options, actions, the bundled server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-client.h"
#include "fest-local-server.h"

G_BEGIN_DECLS

#define FEST_TYPE_APPLICATION (fest_application_get_type ())
G_DECLARE_FINAL_TYPE (FestApplication, fest_application, FEST, APPLICATION, AdwApplication)

/* The demo festival's organiser (the server's --demo data). */
#define FEST_DEMO_EMAIL    "organiser@demo.festivals"
#define FEST_DEMO_PASSWORD "festivals-demo"

/* setlocale + gettext domain, bound to $FESTIVALS_LOCALEDIR when set (uninstalled runs). */
void             fest_application_init_i18n          (void);

FestApplication *fest_application_new                (void);
/* The one client of the app (its SoupSession serves every window); NULL before a server. */
FestClient      *fest_application_get_client         (FestApplication *self);
void             fest_application_set_client         (FestApplication *self,
                                                      FestClient      *client);
/* Takes a running bundled server (a ref) and stops it at quit. */
void             fest_application_adopt_local_server (FestApplication *self,
                                                      FestLocalServer *server);
FestLocalServer *fest_application_get_local_server   (FestApplication *self);
/* "Use another server": stops the bundled server, drops the client. */
void             fest_application_forget_server      (FestApplication *self);

G_END_DECLS
