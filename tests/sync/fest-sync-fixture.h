/* fest-sync-fixture.h: a real festivals-server on loopback for the station sync tests
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts the binary named by $FESTIVALS_SERVER in a temp data dir with --listen 127.0.0.1:0
 * --no-rate-limit, reads the "listening on URL" line, and offers blocking JSON requests (its own
 * SoupSession, so they never interleave with the engine's). The server can be stopped (SIGTERM),
 * killed (SIGKILL) and restarted on the same data dir (it then gets a new port).
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct
{
  char        *data_dir;
  char        *url;            /* http://127.0.0.1:PORT */
  GSubprocess *process;
  SoupSession *session;
  char        *admin_token;    /* superadmin/organiser session token, bound to the festival */
  char        *festival_id;
  char        *stand_id;
  char        *product_id;     /* price 500, VAT 20 % */
} FestSyncServer;

FestSyncServer *fest_sync_server_new        (void);
void            fest_sync_server_free       (FestSyncServer *server);
void            fest_sync_server_start      (FestSyncServer *server);
/* Starts it again on the port it had (a restarted server, as the stations know it). */
void            fest_sync_server_start_same_port (FestSyncServer *server);
/* SIGTERM and wait; TRUE if it exited 0. */
gboolean        fest_sync_server_stop       (FestSyncServer *server);
void            fest_sync_server_kill       (FestSyncServer *server);
/* Superadmin, login, a festival, a BAR stand and a product. */
void            fest_sync_server_setup_festival (FestSyncServer *server);

/* Blocking request below /api/v1; returns the HTTP status and the parsed body's "data" (or the
 * whole body on error) in @out (may be NULL). */
guint           fest_sync_server_request    (FestSyncServer *server,
                                             const char     *method,
                                             const char     *path,
                                             const char     *token,
                                             const char     *json_body,
                                             const char     *idempotency_key,
                                             JsonNode      **out);
/* A wallet with @balance recharged; returns its id, code in @code. */
char           *fest_sync_server_new_wallet (FestSyncServer *server,
                                             gint64          balance,
                                             char          **code);
/* A device token (POST /devices), its id in @device_id. */
char           *fest_sync_server_new_device (FestSyncServer *server,
                                             const char     *mode,
                                             const char     *stand_id,
                                             char          **device_id);
/* All of the festival's transactions (every page), as a JSON array (transfer full). */
JsonArray      *fest_sync_server_list_transactions (FestSyncServer *server);
/* Runs festivals-server --check on the data dir; TRUE if it exits 0. */
gboolean        fest_sync_server_check      (FestSyncServer *server);

G_END_DECLS
