/* fest-local-server.h: the bundled festivals-server, run as a child process on localhost
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define FEST_TYPE_LOCAL_SERVER (fest_local_server_get_type ())
G_DECLARE_FINAL_TYPE (FestLocalServer, fest_local_server, FEST, LOCAL_SERVER, GObject)

/* Where the bundled server keeps a normal festival: <user data dir>/festivals/server. */
char            *fest_local_server_default_data_dir (void);
/* Where `festivals --demo` keeps its demo festival: <user data dir>/festivals/demo-server. */
char            *fest_local_server_demo_data_dir    (void);
/* The festivals-server binary: env FESTIVALS_SERVER, else the build tree's binary if it exists,
 * else FESTIVALS_BINDIR/festivals-server (transfer full). */
char            *fest_local_server_find_binary      (void);

FestLocalServer *fest_local_server_new              (const char          *data_dir);
const char      *fest_local_server_get_data_dir     (FestLocalServer     *self);
/* "http://127.0.0.1:PORT" once started, else NULL. */
const char      *fest_local_server_get_base_url     (FestLocalServer     *self);
gboolean         fest_local_server_is_running       (FestLocalServer     *self);

/* Starts `festivals-server --data-dir DIR --listen LISTEN [--demo]` and finishes when it prints
 * its `listening on URL` line. @listen: NULL for "127.0.0.1:0". From then on the child is
 * supervised: if it dies, the reason is logged and it is started again on the same address with
 * a backoff (a quarter of a second first), and ::restarted is emitted once it listens again. */
void             fest_local_server_start_async      (FestLocalServer     *self,
                                                     gboolean             demo,
                                                     const char          *listen,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         fest_local_server_start_finish     (FestLocalServer     *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* Runs `festivals-server --data-dir DIR --create-superadmin EMAIL` with @password on stdin;
 * fails with the child's message on a non-zero exit. Call it before start (SQLite is shared). */
void             fest_local_server_create_superadmin_async  (FestLocalServer     *self,
                                                             const char          *email,
                                                             const char          *password,
                                                             GCancellable        *cancellable,
                                                             GAsyncReadyCallback  callback,
                                                             gpointer             user_data);
gboolean         fest_local_server_create_superadmin_finish (FestLocalServer     *self,
                                                             GAsyncResult        *result,
                                                             GError             **error);

/* Ends supervision, then SIGTERM and waits for the child to exit (bounded to a few seconds, then
 * SIGKILL). Blocking on purpose: it runs at quit. */
void             fest_local_server_stop             (FestLocalServer     *self);

G_END_DECLS
