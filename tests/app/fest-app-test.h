/* fest-app-test.h: helpers for the app's tests: a real festivals-server and main-loop waits
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * fest_app_test_server_new() starts the real binary ($FESTIVALS_SERVER) through the app's own
 * FestLocalServer on a fresh temporary data dir, creates a superadmin and, if asked, a festival
 * with the superadmin as its organiser. Requests go through a sync SoupSession of its own.
 * Every helper asserts on failure.
 */

#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "fest-local-server.h"
#include "fest-station-window.h"

G_BEGIN_DECLS

#define FEST_APP_TEST_EMAIL    "admin@test.festivals"
#define FEST_APP_TEST_PASSWORD "correct horse battery"

typedef struct
{
  FestLocalServer *server;
  char            *data_dir;
  char            *url;
  SoupSession     *session;
  char            *token;        /* the superadmin's, bound to the festival if any */
  char            *festival_id;  /* NULL unless created */
} FestAppTestServer;

FestAppTestServer *fest_app_test_server_new      (gboolean            with_festival);
void               fest_app_test_server_free     (FestAppTestServer  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (FestAppTestServer, fest_app_test_server_free)
/* SIGTERM and wait; the data dir stays. */
void               fest_app_test_server_stop     (FestAppTestServer  *self);
/* Starts again on the same data dir and the same port. */
void               fest_app_test_server_restart  (FestAppTestServer  *self);

/* One request to /api/v1@path with @token (nullable) and a printf-style JSON body (nullable).
 * Returns the status; *reply (nullable) gets the parsed body. */
guint              fest_app_test_request         (FestAppTestServer  *self,
                                                  const char         *method,
                                                  const char         *path,
                                                  const char         *token,
                                                  JsonNode          **reply,
                                                  const char         *body_format,
                                                  ...) G_GNUC_PRINTF (6, 7);
/* The string member at the dotted @path ("data.id"). */
const char        *fest_app_test_json_string     (JsonNode           *node,
                                                  const char         *path);

/* gtk_test_init (with isolated dirs) + adw_init; GTK 4.8's "did not receive a focus-out event"
 * warning on Xvfb (no window manager) is not made fatal, every other warning is. */
void               fest_app_test_init            (int                *argc,
                                                  char             ***argv);

/* rm -r @path (a test's own temporary dir). */
void               fest_app_test_remove_tree     (const char         *path);
/* Deletes the app's files in the (private) user data and config dirs. */
void               fest_app_test_reset_user_dirs (void);

/* Iterates the main loop until @condition returns TRUE or @timeout_ms passes. */
gboolean           fest_app_test_wait            (gboolean          (*condition) (gpointer),
                                                  gpointer            data,
                                                  guint               timeout_ms);
/* Iterates the main loop until *@flag is TRUE or @timeout_ms passes. */
gboolean           fest_app_test_wait_flag       (gboolean           *flag,
                                                  guint               timeout_ms);
/* Destroys @window and asserts that it and @object (a widget inside it, or any object it owned)
 * are finalized once pending callbacks have run (bounded wait): no leaked references. */
void               fest_app_test_destroy_and_check (GtkWindow        *window,
                                                    gpointer          object);
/* Drops the caller's reference to @object and asserts that it is finalized once pending callbacks
 * have run (bounded wait): g_assert_finalize_object() for an object that a request cancelled when
 * its window went away may hold until the request calls back. */
void               fest_app_test_assert_finalized (gpointer           object);
/* Renders @widget (shown in a window of @width × @height) to a PNG in the build dir. */
void               fest_app_test_render_png      (GtkWidget          *widget,
                                                  const char         *name);
/* Loads the app's style.css into the default display once (the app does it through
 * AdwApplication). */
void               fest_app_test_load_style      (void);

/* Conditions for fest_app_test_wait() on a FestStationWindow: it shows its station (enrolled,
 * unlocked), and its sync engine is online with nothing pending and a finished first sync. */
gboolean           fest_app_test_station_shown   (gpointer            window);
gboolean           fest_app_test_station_synced  (gpointer            window);

/* Runs xdotool with the NULL-terminated arguments, the main loop running meanwhile: real keys
 * and clicks through the Xvfb display, as a person or a scanner gives them. */
void               fest_app_test_xdotool          (const char         *first,
                                                   ...) G_GNUC_NULL_TERMINATED;
/* A device of @mode for the stand @stand_id created on @server by its organiser: its token. */
char              *fest_app_test_create_device    (FestAppTestServer  *server,
                                                   const char         *stand_id,
                                                   const char         *mode);
/* A station of @mode (1280 × 800, not fullscreen) enrolled on @server for the stand @stand_id
 * from its form (PIN 1357), shown and synced. */
FestStationWindow *fest_app_test_enrolled_station (FestAppTestServer  *server,
                                                   FestClient         *client,
                                                   const char         *stand_id,
                                                   const char         *mode);

/* The first visible window of @type (a class or an interface) open, or NULL. */
GtkWindow         *fest_app_test_find_toplevel    (GType               type);

/* A real click in the middle of @widget (its window focused first). */
void               fest_app_test_click            (GtkWidget          *widget);

G_END_DECLS
