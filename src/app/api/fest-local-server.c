/* fest-local-server.c: the bundled festivals-server, run as a child process on localhost
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Supervision: once started, the child is watched. When it dies without fest_local_server_stop()
 * (a crash, the OOM killer, a kill by hand), the reason is logged and it is started again on the
 * same address (so that clients keep their URL) after a backoff: RESTART_MIN_MS, doubling on each
 * failed or short-lived run up to RESTART_MAX_MS, back to the minimum once a run has lasted
 * STABLE_RUN_S.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "fest-local-server.h"

#define START_TIMEOUT_S 30
#define STOP_TIMEOUT_MS 5000
#define LISTENING_PREFIX "listening on "
#define RESTART_MIN_MS 250
#define RESTART_MAX_MS 10000
#define STABLE_RUN_S 60

struct _FestLocalServer
{
  GObject           parent_instance;

  char             *data_dir;
  char             *base_url;
  GSubprocess      *process;
  GDataInputStream *stdout_stream;
  GCancellable     *cancellable;

  /* Supervision */
  gboolean          demo;
  char             *listen;           /* what the child was started with; then its real address */
  gboolean          supervised;       /* a start succeeded and stop() was not called since */
  guint             restart_id;
  guint             restart_delay_ms;
  guint             restarts;
  gint64            started_at;       /* monotonic µs of the last successful start */
};

enum
{
  SIGNAL_RESTARTED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (FestLocalServer, fest_local_server, G_TYPE_OBJECT)

typedef struct
{
  guint timeout_id;
  gboolean timed_out;
} StartData;

static void
start_data_free (StartData *data)
{
  g_clear_handle_id (&data->timeout_id, g_source_remove);
  g_free (data);
}

static void read_line_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);
static void stop_child   (FestLocalServer *self);
static void watch_child  (FestLocalServer *self);

/* The server must not outlive the app, even when the app crashes. */
static void
child_setup (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static GSubprocessLauncher *
new_launcher (GSubprocessFlags flags)
{
  GSubprocessLauncher *launcher = g_subprocess_launcher_new (flags);

  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  return launcher;
}

/* Keeps reading the child's stdout after the listening line so that its pipe never fills. */
static void
drain_line_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GCancellable) cancellable = user_data;
  GDataInputStream *stream = G_DATA_INPUT_STREAM (source);
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (stream, result, NULL, NULL);
  if (line == NULL)
    return;

  g_debug ("festivals-server: %s", line);
  g_data_input_stream_read_line_async (stream, G_PRIORITY_LOW, cancellable, drain_line_cb,
                                       g_object_ref (cancellable));
}

static gboolean
start_timeout_cb (gpointer user_data)
{
  GTask *task = user_data;
  FestLocalServer *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);

  data->timeout_id = 0;
  data->timed_out = TRUE;
  /* Unblocks the pending read, which then reports the timeout. */
  g_cancellable_cancel (self->cancellable);

  return G_SOURCE_REMOVE;
}

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  FestLocalServer *self = g_task_get_source_object (task);
  StartData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;

  line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result, NULL,
                                                    &error);
  if (line == NULL)
    {
      g_clear_handle_id (&data->timeout_id, g_source_remove);
      stop_child (self);
      if (data->timed_out)
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                                 _("The festival server did not start within %d seconds"),
                                 START_TIMEOUT_S);
      else if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("The festival server stopped before it was ready"));
      return;
    }

  g_debug ("festivals-server: %s", line);
  if (g_str_has_prefix (line, LISTENING_PREFIX))
    {
      const char *url = line + strlen (LISTENING_PREFIX);

      g_clear_handle_id (&data->timeout_id, g_source_remove);
      g_strstrip ((char *) url);
      g_free (self->base_url);
      self->base_url = g_strdup (url);
      /* A restart must come back on the same port: keep the address actually bound. */
      g_free (self->listen);
      self->listen = g_strdup (g_str_has_prefix (url, "http://") ? url + strlen ("http://")
                               : g_str_has_prefix (url, "https://") ? url + strlen ("https://")
                               : url);
      self->supervised = TRUE;
      self->started_at = g_get_monotonic_time ();
      watch_child (self);
      g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_LOW, self->cancellable,
                                           drain_line_cb, g_object_ref (self->cancellable));
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_line_cb, g_steal_pointer (&task));
}

static void restarted_cb (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data);

static gboolean
restart_cb (gpointer user_data)
{
  FestLocalServer *self = user_data;

  self->restart_id = 0;
  self->restarts++;
  fest_local_server_start_async (self, self->demo, self->listen, NULL, restarted_cb,
                                 g_object_ref (self));
  return G_SOURCE_REMOVE;
}

static void
schedule_restart (FestLocalServer *self)
{
  g_clear_handle_id (&self->restart_id, g_source_remove);
  self->restart_id = g_timeout_add (self->restart_delay_ms, restart_cb, self);
  self->restart_delay_ms = MIN (self->restart_delay_ms * 2, RESTART_MAX_MS);
}

static void
restarted_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(FestLocalServer) self = user_data;
  g_autoptr(GError) error = NULL;

  if (fest_local_server_start_finish (self, result, &error))
    {
      g_message ("The festival server is running again on %s (restart %u)", self->base_url,
                 self->restarts);
      g_signal_emit (self, signals[SIGNAL_RESTARTED], 0);
      return;
    }

  /* stop() was called meanwhile: stay stopped. */
  if (!self->supervised)
    return;
  g_warning ("The festival server could not be restarted: %s; next try in %u ms",
             error->message, self->restart_delay_ms);
  schedule_restart (self);
}

static void
child_exited_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(FestLocalServer) self = user_data;
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GError) error = NULL;
  g_autofree char *why = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    return;   /* cancelled: stop() or a restart owns the child now */
  if (process != self->process || !self->supervised)
    return;

  if (g_subprocess_get_if_signaled (process))
    why = g_strdup_printf ("killed by signal %d (%s)", g_subprocess_get_term_sig (process),
                           g_strsignal (g_subprocess_get_term_sig (process)));
  else
    why = g_strdup_printf ("exited with status %d", g_subprocess_get_exit_status (process));

  /* A run that lasted is not part of a crash loop: start again at once. */
  if (g_get_monotonic_time () - self->started_at >= (gint64) STABLE_RUN_S * G_USEC_PER_SEC)
    self->restart_delay_ms = RESTART_MIN_MS;

  g_warning ("The festival server %s; restarting it in %u ms", why, self->restart_delay_ms);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->stdout_stream);
  g_clear_object (&self->process);
  schedule_restart (self);
}

static void
watch_child (FestLocalServer *self)
{
  g_subprocess_wait_async (self->process, self->cancellable, child_exited_cb,
                           g_object_ref (self));
}

static void
superadmin_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;

  if (!g_subprocess_communicate_utf8_finish (process, result, &output, NULL, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    {
      g_strstrip (output != NULL ? output : (output = g_strdup ("")));
      if (output[0] != '\0')
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "%s", output);
      else
        g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                                 _("Could not create the account"));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
fest_local_server_dispose (GObject *object)
{
  FestLocalServer *self = FEST_LOCAL_SERVER (object);

  fest_local_server_stop (self);

  G_OBJECT_CLASS (fest_local_server_parent_class)->dispose (object);
}

static void
fest_local_server_finalize (GObject *object)
{
  FestLocalServer *self = FEST_LOCAL_SERVER (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->data_dir, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->listen, g_free);

  G_OBJECT_CLASS (fest_local_server_parent_class)->finalize (object);
}

static void
fest_local_server_class_init (FestLocalServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_local_server_dispose;
  object_class->finalize = fest_local_server_finalize;

  /* The child died and was started again on the same address. */
  signals[SIGNAL_RESTARTED] = g_signal_new ("restarted", G_TYPE_FROM_CLASS (klass),
                                            G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                            G_TYPE_NONE, 0);
}

static void
fest_local_server_init (FestLocalServer *self)
{
  self->cancellable = g_cancellable_new ();
  self->restart_delay_ms = RESTART_MIN_MS;
}

char *
fest_local_server_default_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "festivals", "server", NULL);
}

char *
fest_local_server_demo_data_dir (void)
{
  return g_build_filename (g_get_user_data_dir (), "festivals", "demo-server", NULL);
}

char *
fest_local_server_find_binary (void)
{
  const char *env = g_getenv ("FESTIVALS_SERVER");

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

#ifdef FESTIVALS_BUILD_SERVER
  if (g_file_test (FESTIVALS_BUILD_SERVER, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (FESTIVALS_BUILD_SERVER);
#endif

  return g_build_filename (FESTIVALS_BINDIR, "festivals-server", NULL);
}

FestLocalServer *
fest_local_server_new (const char *data_dir)
{
  FestLocalServer *self;

  g_return_val_if_fail (data_dir != NULL, NULL);

  self = g_object_new (FEST_TYPE_LOCAL_SERVER, NULL);
  self->data_dir = g_strdup (data_dir);

  return self;
}

const char *
fest_local_server_get_data_dir (FestLocalServer *self)
{
  g_return_val_if_fail (FEST_IS_LOCAL_SERVER (self), NULL);

  return self->data_dir;
}

const char *
fest_local_server_get_base_url (FestLocalServer *self)
{
  g_return_val_if_fail (FEST_IS_LOCAL_SERVER (self), NULL);

  return self->process != NULL ? self->base_url : NULL;
}

gboolean
fest_local_server_is_running (FestLocalServer *self)
{
  g_return_val_if_fail (FEST_IS_LOCAL_SERVER (self), FALSE);

  return self->process != NULL && self->base_url != NULL;
}

void
fest_local_server_start_async (FestLocalServer     *self,
                               gboolean             demo,
                               const char          *listen,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;
  StartData *data;

  g_return_if_fail (FEST_IS_LOCAL_SERVER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_local_server_start_async);

  if (self->process != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_EXISTS,
                               _("The festival server is already running"));
      return;
    }

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create %s: %s"), self->data_dir,
                               g_strerror (saved_errno));
      return;
    }

  binary = fest_local_server_find_binary ();
  g_ptr_array_add (argv, g_strdup (binary));
  g_ptr_array_add (argv, g_strdup ("--data-dir"));
  g_ptr_array_add (argv, g_strdup (self->data_dir));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup (listen != NULL ? listen : "127.0.0.1:0"));
  self->demo = demo;
  if (demo)
    g_ptr_array_add (argv, g_strdup ("--demo"));
  g_ptr_array_add (argv, NULL);

  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  if (self->process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->stdout_stream = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));

  data = g_new0 (StartData, 1);
  g_task_set_task_data (task, data, (GDestroyNotify) start_data_free);
  data->timeout_id = g_timeout_add_seconds (START_TIMEOUT_S, start_timeout_cb, task);

  g_data_input_stream_read_line_async (self->stdout_stream, G_PRIORITY_DEFAULT, self->cancellable,
                                       read_line_cb, g_steal_pointer (&task));
}

gboolean
fest_local_server_start_finish (FestLocalServer  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (FEST_IS_LOCAL_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fest_local_server_create_superadmin_async (FestLocalServer     *self,
                                           const char          *email,
                                           const char          *password,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *binary = NULL;
  g_autofree char *input = NULL;

  g_return_if_fail (FEST_IS_LOCAL_SERVER (self));
  g_return_if_fail (email != NULL);
  g_return_if_fail (password != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, fest_local_server_create_superadmin_async);

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not create %s: %s"), self->data_dir,
                               g_strerror (saved_errno));
      return;
    }

  binary = fest_local_server_find_binary ();
  launcher = new_launcher (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                           | G_SUBPROCESS_FLAGS_STDERR_MERGE);
  process = g_subprocess_launcher_spawn (launcher, &error, binary, "--data-dir", self->data_dir,
                                         "--create-superadmin", email, NULL);
  if (process == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  input = g_strconcat (password, "\n", NULL);
  g_subprocess_communicate_utf8_async (process, input, cancellable, superadmin_cb,
                                       g_steal_pointer (&task));
  memset (input, 0, strlen (input));
}

gboolean
fest_local_server_create_superadmin_finish (FestLocalServer  *self,
                                            GAsyncResult     *result,
                                            GError          **error)
{
  g_return_val_if_fail (FEST_IS_LOCAL_SERVER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
stop_timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

static void
stop_child (FestLocalServer *self)
{
  g_autoptr(GMainContext) context = NULL;
  g_autoptr(GSource) timeout = NULL;
  g_autoptr(GSubprocess) process = NULL;
  gboolean done = FALSE;
  gboolean timed_out = FALSE;

  if (self->process == NULL)
    return;

  process = g_steal_pointer (&self->process);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->stdout_stream);
  g_clear_pointer (&self->base_url, g_free);

  /* SIGTERM lets the server finish in-flight requests and close its databases cleanly. Wait on a
   * private context so that nothing else of the app runs in the meantime. */
  g_subprocess_send_signal (process, SIGTERM);

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  g_subprocess_wait_async (process, NULL, wait_cb, &done);
  timeout = g_timeout_source_new (STOP_TIMEOUT_MS);
  g_source_set_callback (timeout, stop_timeout_cb, &timed_out, NULL);
  g_source_attach (timeout, context);
  while (!done && !timed_out)
    g_main_context_iteration (context, TRUE);

  if (!done)
    {
      g_warning ("The festival server did not stop within %d ms; killing it", STOP_TIMEOUT_MS);
      g_subprocess_force_exit (process);
      while (!done)
        g_main_context_iteration (context, TRUE);
    }
  g_source_destroy (timeout);
  g_main_context_pop_thread_default (context);
}

void
fest_local_server_stop (FestLocalServer *self)
{
  g_return_if_fail (FEST_IS_LOCAL_SERVER (self));

  self->supervised = FALSE;
  g_clear_handle_id (&self->restart_id, g_source_remove);
  stop_child (self);
}
