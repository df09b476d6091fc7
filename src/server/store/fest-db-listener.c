/* fest-db-listener.c: PostgreSQL notifications delivered on a main context (see fest-db.h)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib-unix.h>

#include "fest-store-private.h"

#define RETRY_SECONDS 1

struct _FestDbListener
{
  FestDb           *db;
  GMainContext     *context;
  FestDbNotifyFunc  func;
  gpointer          user_data;
  GSource          *watch;      /* while connected */
  GSource          *retry;      /* while not */
  guint             session;    /* counts the connections the listener made */
};

static void watch_socket (FestDbListener *self);

static gboolean
retry_cb (gpointer user_data)
{
  FestDbListener *self = user_data;

  /* Any statement makes the connection again, and LISTENs again (its session SQL). */
  if (!fest_db_exec (self->db, "SELECT 1", NULL))
    return G_SOURCE_CONTINUE;
  g_message ("Listening to the other processes again");
  g_clear_pointer (&self->retry, g_source_unref);
  self->session++;
  watch_socket (self);
  return G_SOURCE_REMOVE;
}

static gboolean
readable_cb (int           fd,
             GIOCondition  condition,
             gpointer      user_data)
{
  FestDbListener *self = user_data;

  if (fest_db_read_notifications (self->db, self->func, self->user_data))
    return G_SOURCE_CONTINUE;

  g_warning ("Lost the connection that listens to the other processes: trying again every %d s",
             RETRY_SECONDS);
  g_clear_pointer (&self->watch, g_source_unref);
  self->retry = g_timeout_source_new_seconds (RETRY_SECONDS);
  g_source_set_callback (self->retry, retry_cb, self, NULL);
  g_source_attach (self->retry, self->context);
  return G_SOURCE_REMOVE;
}

static void
watch_socket (FestDbListener *self)
{
  self->watch = g_unix_fd_source_new (fest_db_get_socket (self->db), G_IO_IN | G_IO_ERR | G_IO_HUP);
  g_source_set_callback (self->watch, (GSourceFunc) (GCallback) readable_cb, self, NULL);
  g_source_attach (self->watch, self->context);
}

FestDbListener *
fest_db_listener_new (const char        *conninfo,
                      const char        *channel,
                      GMainContext      *context,
                      FestDbNotifyFunc   func,
                      gpointer           user_data,
                      GError           **error)
{
  g_autofree char *sql = g_strdup_printf ("LISTEN \"%s\"", channel);
  FestDbListener *self;
  FestDb *db;

  db = fest_db_new_pg (conninfo, error);
  if (db == NULL)
    return NULL;
  if (!fest_db_set_session (db, sql, error))
    {
      fest_db_free (db);
      return NULL;
    }

  self = g_new0 (FestDbListener, 1);
  self->db = db;
  self->context = context != NULL ? g_main_context_ref (context) : NULL;
  self->func = func;
  self->user_data = user_data;
  self->session = 1;
  watch_socket (self);
  return self;
}

void
fest_db_listener_free (FestDbListener *self)
{
  if (self == NULL)
    return;
  if (self->watch != NULL)
    g_source_destroy (self->watch);
  g_clear_pointer (&self->watch, g_source_unref);
  if (self->retry != NULL)
    g_source_destroy (self->retry);
  g_clear_pointer (&self->retry, g_source_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  fest_db_free (self->db);
  g_free (self);
}

guint
fest_db_listener_get_session (FestDbListener *self)
{
  return self->watch != NULL ? self->session : 0;
}
