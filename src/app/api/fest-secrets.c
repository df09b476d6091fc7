/* fest-secrets.c: session and device tokens in the keyring, or in a 0600 file without one
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>

#include "fest-secrets.h"

/* A keyring that does not answer within this delay (a prompt nobody can see, a hung daemon) is
 * treated as absent: signing in must never hang on it. */
#define KEYRING_TIMEOUT_MS 5000

typedef enum
{
  OP_STORE,
  OP_LOOKUP,
  OP_CLEAR,
} OpKind;

typedef struct
{
  OpKind        op;
  char         *kind;
  char         *server;
  char         *secret;
  GCancellable *keyring_cancellable;
  gulong        cancelled_id;
  GCancellable *outer_cancellable;
  guint         timeout_id;
  gboolean      from_file;
} SecretOp;

static gboolean fallback_active;
static gboolean force_fallback;
static GMutex file_mutex;

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    "app.festivals.Festivals.Token", SECRET_SCHEMA_NONE,
    {
      { "kind", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "server", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
  };

  return &schema;
}

static void
secret_op_free (SecretOp *op)
{
  g_clear_handle_id (&op->timeout_id, g_source_remove);
  if (op->outer_cancellable != NULL && op->cancelled_id != 0)
    g_cancellable_disconnect (op->outer_cancellable, op->cancelled_id);
  g_clear_object (&op->outer_cancellable);
  g_clear_object (&op->keyring_cancellable);
  g_free (op->kind);
  g_free (op->server);
  if (op->secret != NULL)
    memset (op->secret, 0, strlen (op->secret));
  g_free (op->secret);
  g_free (op);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretOp, secret_op_free)

static char *
tokens_file_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "festivals", "tokens.json", NULL);
}

static char *
entry_key (const char *kind,
           const char *server)
{
  return g_strdup_printf ("%s %s", kind, server);
}

/* Reads the file's object, or an empty one. Called with file_mutex held. */
static JsonObject *
read_tokens_file (GError **error)
{
  g_autofree char *path = tokens_file_path ();
  g_autofree char *contents = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  gsize length = 0;
  JsonNode *root;

  if (!g_file_get_contents (path, &contents, &length, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        return json_object_new ();
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  /* A damaged file loses the stored sign-ins, nothing more: start again. */
  if (!json_parser_load_from_data (parser, contents, length, NULL))
    return json_object_new ();
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return json_object_new ();

  return json_object_ref (json_node_get_object (root));
}

static gboolean
write_tokens_file (JsonObject  *object,
                   GError     **error)
{
  g_autofree char *path = tokens_file_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  gsize length = 0;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   _("Could not create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  json_node_set_object (root, object);
  text = json_to_string (root, FALSE);
  length = strlen (text);

  return g_file_set_contents_full (path, text, length, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

static void
file_op_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  SecretOp *op = task_data;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = entry_key (op->kind, op->server);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&file_mutex);

  object = read_tokens_file (&error);
  if (object == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  switch (op->op)
    {
    case OP_LOOKUP:
      if (json_object_has_member (object, key)
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (object, key)))
        {
          op->from_file = TRUE;
          g_task_return_pointer (task, g_strdup (json_object_get_string_member (object, key)),
                                 g_free);
        }
      else
        g_task_return_pointer (task, NULL, NULL);
      return;

    case OP_STORE:
      json_object_set_string_member (object, key, op->secret);
      break;

    case OP_CLEAR:
      {
        g_autofree char *path = tokens_file_path ();

        if (!json_object_has_member (object, key))
          {
            g_task_return_boolean (task, TRUE);
            return;
          }
        json_object_remove_member (object, key);
        if (json_object_get_size (object) == 0)
          {
            if (g_unlink (path) != 0 && errno != ENOENT)
              {
                int saved_errno = errno;

                g_task_return_new_error (task, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                                         "%s", g_strerror (saved_errno));
              }
            else
              g_task_return_boolean (task, TRUE);
            return;
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  if (!write_tokens_file (object, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
run_file_op (GTask *task)
{
  g_task_run_in_thread (task, file_op_thread);
}

static gboolean
keyring_timeout_cb (gpointer user_data)
{
  SecretOp *op = user_data;

  op->timeout_id = 0;
  g_debug ("The keyring did not answer in %d ms", KEYRING_TIMEOUT_MS);
  g_cancellable_cancel (op->keyring_cancellable);

  return G_SOURCE_REMOVE;
}

static void
outer_cancelled_cb (GCancellable *cancellable,
                    GCancellable *keyring_cancellable)
{
  g_cancellable_cancel (keyring_cancellable);
}

/* Whether a keyring failure means "no usable keyring": anything but the caller cancelling. */
static gboolean
should_fall_back (GTask        *task,
                  const GError *error)
{
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (cancellable != NULL && g_cancellable_is_cancelled (cancellable))
    return FALSE;

  g_debug ("No usable keyring (%s); using the file", error->message);
  return TRUE;
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  if (secret_password_store_finish (result, &error))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (!should_fall_back (task, error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  fallback_active = TRUE;
  run_file_op (task);
}

static void
lookup_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  char *secret;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  secret = secret_password_lookup_finish (result, &error);
  if (secret != NULL)
    {
      g_task_return_pointer (task, secret, g_free);
      return;
    }

  if (error != NULL && !should_fall_back (task, error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* No keyring, or nothing in it: a sign-in stored in the file by an earlier run without a
   * keyring still counts. */
  if (error != NULL)
    fallback_active = TRUE;
  run_file_op (task);
}

static void
clear_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SecretOp *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&op->timeout_id, g_source_remove);
  secret_password_clear_finish (result, &error);
  if (error != NULL && !should_fall_back (task, error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (error != NULL)
    fallback_active = TRUE;

  /* Clear the file too: signing out must leave no token behind anywhere. */
  run_file_op (task);
}

static GTask *
start_op (OpKind               kind_op,
          const char          *kind,
          const char          *server,
          const char          *secret,
          GCancellable        *cancellable,
          GAsyncReadyCallback  callback,
          gpointer             user_data,
          gpointer             source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  SecretOp *op = g_new0 (SecretOp, 1);

  g_task_set_source_tag (task, source_tag);
  op->op = kind_op;
  op->kind = g_strdup (kind);
  op->server = g_strdup (server);
  op->secret = g_strdup (secret);
  op->keyring_cancellable = g_cancellable_new ();
  if (cancellable != NULL)
    {
      op->outer_cancellable = g_object_ref (cancellable);
      op->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (outer_cancelled_cb),
                                                op->keyring_cancellable, NULL);
    }
  g_task_set_task_data (task, op, (GDestroyNotify) secret_op_free);

  return task;
}

static gboolean
use_keyring (SecretOp *op)
{
  if (force_fallback || fallback_active)
    return FALSE;

  op->timeout_id = g_timeout_add (KEYRING_TIMEOUT_MS, keyring_timeout_cb, op);
  return TRUE;
}

void
fest_secrets_store_async (const char          *kind,
                          const char          *server,
                          const char          *secret,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  SecretOp *op;

  g_return_if_fail (kind != NULL);
  g_return_if_fail (server != NULL);
  g_return_if_fail (secret != NULL);

  task = start_op (OP_STORE, kind, server, secret, cancellable, callback, user_data,
                   fest_secrets_store_async);
  op = g_task_get_task_data (task);

  if (!use_keyring (op))
    {
      run_file_op (task);
      return;
    }

  if (g_str_equal (kind, FEST_SECRET_KIND_DEVICE))
    label = g_strdup_printf (_("Festivals station token for %s"), server);
  else
    label = g_strdup_printf (_("Festivals sign-in for %s"), server);

  secret_password_store (token_schema (), SECRET_COLLECTION_DEFAULT, label, secret,
                         op->keyring_cancellable, store_cb, g_steal_pointer (&task),
                         "kind", kind, "server", server, NULL);
}

gboolean
fest_secrets_store_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
fest_secrets_lookup_async (const char          *kind,
                           const char          *server,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SecretOp *op;

  g_return_if_fail (kind != NULL);
  g_return_if_fail (server != NULL);

  task = start_op (OP_LOOKUP, kind, server, NULL, cancellable, callback, user_data,
                   fest_secrets_lookup_async);
  op = g_task_get_task_data (task);

  if (!use_keyring (op))
    {
      run_file_op (task);
      return;
    }

  secret_password_lookup (token_schema (), op->keyring_cancellable, lookup_cb,
                          g_steal_pointer (&task), "kind", kind, "server", server, NULL);
}

char *
fest_secrets_lookup_finish (GAsyncResult  *result,
                            GError       **error)
{
  SecretOp *op;
  char *secret;

  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  op = g_task_get_task_data (G_TASK (result));

  secret = g_task_propagate_pointer (G_TASK (result), error);
  /* Found in the file although a keyring answered: that sign-in still lives in a file. */
  if (secret != NULL && op->from_file)
    fallback_active = TRUE;

  return secret;
}

void
fest_secrets_clear_async (const char          *kind,
                          const char          *server,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  SecretOp *op;

  g_return_if_fail (kind != NULL);
  g_return_if_fail (server != NULL);

  task = start_op (OP_CLEAR, kind, server, NULL, cancellable, callback, user_data,
                   fest_secrets_clear_async);
  op = g_task_get_task_data (task);

  if (!use_keyring (op))
    {
      run_file_op (task);
      return;
    }

  secret_password_clear (token_schema (), op->keyring_cancellable, clear_cb,
                         g_steal_pointer (&task), "kind", kind, "server", server, NULL);
}

gboolean
fest_secrets_clear_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
fest_secrets_is_fallback (void)
{
  return force_fallback || fallback_active;
}

void
fest_secrets_set_force_fallback (gboolean force)
{
  force_fallback = !!force;
  if (!force)
    fallback_active = FALSE;
}
