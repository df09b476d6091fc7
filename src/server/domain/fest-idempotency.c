/* fest-idempotency.c: idempotency keys of ledger, scan and sync mutations
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-idempotency-repo.h"
#include "fest-idempotency.h"
#include "fest-ledger-private.h"

/* A stored body is either the reply's bytes (JSON, so it starts with '{') or a reference to a
 * ledger row: REF_MARK, REF_ENVELOPE or REF_ENTITY, then the transaction id. */
#define REF_MARK     '\001'
#define REF_ENVELOPE 'E'
#define REF_ENTITY   'B'

char *
fest_idempotency_request_hash (const char *method,
                               const char *path,
                               GBytes     *body)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);

  g_checksum_update (checksum, (const guchar *) method, strlen (method));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) path, strlen (path));
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  if (body != NULL)
    {
      gsize size;
      const guchar *data = g_bytes_get_data (body, &size);

      if (size > 0)
        g_checksum_update (checksum, data, size);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

static void
hash_field (GChecksum  *checksum,
            const char *value)
{
  /* Unit separators and a presence mark: "absent" and "" differ, no field bleeds into the next. */
  if (value == NULL)
    g_checksum_update (checksum, (const guchar *) "-\x1f", 2);
  else
    {
      g_checksum_update (checksum, (const guchar *) "+", 1);
      g_checksum_update (checksum, (const guchar *) value, strlen (value));
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }
}

char *
fest_idempotency_transaction_hash (const FestTransactionInput *input)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  char number[FEST_DECIMAL_SIZE];

  g_return_val_if_fail (input != NULL, NULL);

  hash_field (checksum, "TX1");
  hash_field (checksum, input->type);
  hash_field (checksum, input->wallet_id);
  hash_field (checksum, input->wallet_code);
  hash_field (checksum, input->stand_id);
  hash_field (checksum, input->reference);
  hash_field (checksum, input->payment_method);
  fest_format_int (input->amount, number);
  hash_field (checksum, number);
  if (input->lines != NULL)
    for (guint i = 0; i < input->lines->len; i++)
      {
        const FestTransactionLineInput *line = &g_array_index (input->lines, FestTransactionLineInput, i);

        hash_field (checksum, line->product_id);
        fest_format_int (line->quantity, number);
        hash_field (checksum, number);
      }
  return g_strdup (g_checksum_get_string (checksum));
}

GBytes *
fest_idempotency_stored_entity (GBytes *body,
                                guint   status)
{
  static const char data_prefix[] = "{\"data\":";
  gsize size = 0;
  const char *text;

  g_return_val_if_fail (body != NULL, NULL);

  if (status >= 300)
    return NULL;
  text = g_bytes_get_data (body, &size);
  /* Route replies are written as {"data":…} exactly (fest_json_envelope_data and handle_text). */
  if (size > sizeof data_prefix && memcmp (text, data_prefix, sizeof data_prefix - 1) == 0
      && text[size - 1] == '}')
    return g_bytes_new_from_bytes (body, sizeof data_prefix - 1, size - sizeof data_prefix);
  if (size > 9 && memcmp (text, "{\"error\":", 9) == 0)
    return NULL;
  return g_bytes_ref (body);
}

gboolean
fest_idempotency_key_is_valid (const char *key)
{
  gsize len;

  if (key == NULL)
    return FALSE;
  len = strlen (key);
  if (len == 0 || len > FEST_IDEMPOTENCY_KEY_MAX)
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if (!g_ascii_isprint (key[i]))
      return FALSE;
  return TRUE;
}

/* The reply bytes of a stored body: @stored itself, or the rendering of the ledger row it refers
 * to (transfer full). */
static GBytes *
resolve_reference (FestWriteCtx *ctx,
                   GBytes       *stored,
                   GError      **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *id = NULL;
  const char *data;
  GString *text;
  gsize size = 0;
  gboolean envelope;

  data = g_bytes_get_data (stored, &size);
  if (size < 3 || data[0] != REF_MARK)
    return g_bytes_ref (stored);

  envelope = data[1] == REF_ENVELOPE;
  id = g_strndup (data + 2, size - 2);
  text = g_string_sized_new (1024);
  if (envelope)
    g_string_append (text, "{\"data\":");
  if (!_fest_ledger_append_json_by_id (ctx, id, text, &local_error))
    {
      g_string_free (text, TRUE);
      /* Ledger rows are never deleted: a dangling reference is a damaged database, not a client's
       * mistake. */
      g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "The stored reply refers to transaction %s: %s",
                   id, local_error->message);
      return NULL;
    }
  if (envelope)
    g_string_append_c (text, '}');
  size = text->len;
  return g_bytes_new_take (g_string_free (text, FALSE), size);
}

gboolean
fest_idempotency_lookup (FestWriteCtx         *ctx,
                         const char           *key,
                         const char           *request_hash,
                         FestIdempotencyState *state,
                         guint                *status,
                         GBytes              **body,
                         GError              **error)
{
  return fest_idempotency_lookup_full (ctx, key, request_hash, NULL, state, status, body, error);
}

gboolean
fest_idempotency_lookup_full (FestWriteCtx         *ctx,
                              const char           *key,
                              const char           *request_hash,
                              const char           *legacy_hash,
                              FestIdempotencyState *state,
                              guint                *status,
                              GBytes              **body,
                              GError              **error)
{
  g_autofree char *stored_hash = NULL;
  GBytes *stored = NULL;
  guint stored_status = 0;
  gboolean found;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (request_hash != NULL, FALSE);
  g_return_val_if_fail (state != NULL, FALSE);

  if (!fest_idempotency_repo_get (ctx, key, &found, &stored_hash, &stored_status,
                                  body != NULL ? &stored : NULL, error))
    return FALSE;
  if (!found)
    {
      *state = FEST_IDEMPOTENCY_NEW;
      return TRUE;
    }

  if (g_strcmp0 (stored_hash, request_hash) != 0
      && (legacy_hash == NULL || g_strcmp0 (stored_hash, legacy_hash) != 0))
    {
      *state = FEST_IDEMPOTENCY_REUSED;
      g_clear_pointer (&stored, g_bytes_unref);
      return TRUE;
    }

  *state = FEST_IDEMPOTENCY_REPLAY;
  if (status != NULL)
    *status = stored_status;
  if (stored != NULL)
    {
      *body = resolve_reference (ctx, stored, error);
      g_bytes_unref (stored);
      if (*body == NULL)
        return FALSE;
    }
  return TRUE;
}

static gboolean
store (FestWriteCtx  *ctx,
       const char    *key,
       const char    *request_hash,
       guint          status,
       gconstpointer  data,
       gsize          size,
       GError       **error)
{
  g_autofree char *now = fest_time_now ();

  return fest_idempotency_repo_insert (ctx, key, request_hash, status, data, size, now, error);
}

gboolean
fest_idempotency_forget (FestWriteCtx  *ctx,
                         const char    *key,
                         GError       **error)
{
  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return fest_idempotency_repo_delete (ctx, key, error);
}

gboolean
fest_idempotency_store (FestWriteCtx *ctx,
                        const char   *key,
                        const char   *request_hash,
                        guint         status,
                        GBytes       *body,
                        GError      **error)
{
  gconstpointer data = NULL;
  gsize size = 0;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (request_hash != NULL, FALSE);

  if (body != NULL)
    data = g_bytes_get_data (body, &size);
  return store (ctx, key, request_hash, status, data, size, error);
}

gboolean
fest_idempotency_store_transaction (FestWriteCtx *ctx,
                                    const char   *key,
                                    const char   *request_hash,
                                    guint         status,
                                    const char   *transaction_id,
                                    gboolean      envelope,
                                    GError      **error)
{
  g_autofree char *reference = NULL;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (request_hash != NULL, FALSE);
  g_return_val_if_fail (transaction_id != NULL && *transaction_id != '\0', FALSE);

  reference = g_strdup_printf ("%c%c%s", REF_MARK, envelope ? REF_ENVELOPE : REF_ENTITY, transaction_id);
  return store (ctx, key, request_hash, status, reference, strlen (reference), error);
}

gboolean
fest_idempotency_created_id (FestFestivalStore  *store,
                             const char         *key,
                             char              **entity_id,
                             GError            **error)
{
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GBytes) entity = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *data;
  guint status = 0;
  gsize size;

  g_return_val_if_fail (FEST_IS_FESTIVAL_STORE (store), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (entity_id != NULL && *entity_id == NULL, FALSE);

  if (!fest_idempotency_repo_read (store, key, &status, &stored, error))
    return FALSE;
  if (stored == NULL)
    return TRUE;

  data = g_bytes_get_data (stored, &size);
  if (size >= 3 && data[0] == REF_MARK)
    {
      *entity_id = g_strndup (data + 2, size - 2);
      return TRUE;
    }

  /* A reply stored whole, by a route other than the ledger's or by an older server. */
  entity = fest_idempotency_stored_entity (stored, status);
  if (entity == NULL)
    return TRUE;
  data = g_bytes_get_data (entity, &size);
  root = fest_json_parse (data, size, NULL);
  if (root != NULL && JSON_NODE_HOLDS_OBJECT (root))
    *entity_id = g_strdup (json_object_get_string_member_with_default (json_node_get_object (root), "id", NULL));
  return TRUE;
}

GBytes *
fest_idempotency_error_body (const GError *error,
                             guint        *status)
{
  JsonNode *details = fest_error_get_details (error);
  g_autoptr(JsonNode) envelope = NULL;
  FestErrorCode code = error->domain == FEST_ERROR ? (FestErrorCode) error->code : FEST_ERROR_INTERNAL;
  char *text;
  gsize len;

  envelope = fest_json_envelope_error (code,
                                       code == FEST_ERROR_INTERNAL ? "internal error" : error->message,
                                       details != NULL ? json_node_copy (details) : NULL);
  text = fest_json_to_string (envelope, &len);
  if (status != NULL)
    *status = fest_error_code_to_status (code);
  return g_bytes_new_take (text, len);
}

static gboolean
is_final_error (const GError *error)
{
  return error->domain == FEST_ERROR && fest_error_code_to_status ((FestErrorCode) error->code) < 500;
}

/* The write job of an idempotent request */

struct _FestIdempotentJob
{
  char               *key;
  char               *request_hash;
  char               *legacy_hash;
  guint               entity_status;   /* 0: replies are stored as sent */
  FestIdempotentFunc  func;
  FestIdempotentTextFunc text_func;
  FestIdempotentPrefetchFunc prefetch;
  gpointer            data;
  GDestroyNotify      data_free;
};

FestIdempotentJob *
fest_idempotent_job_new (const char             *key,
                         const char             *request_hash,
                         const char             *legacy_hash,
                         guint                   entity_status,
                         FestIdempotentFunc      func,
                         FestIdempotentTextFunc  text_func,
                         FestIdempotentPrefetchFunc prefetch,
                         gpointer                data,
                         GDestroyNotify          data_free)
{
  FestIdempotentJob *job = g_new0 (FestIdempotentJob, 1);

  job->key = g_strdup (key);
  job->request_hash = g_strdup (request_hash);
  job->legacy_hash = g_strdup (legacy_hash);
  job->entity_status = entity_status;
  job->func = func;
  job->text_func = text_func;
  job->prefetch = prefetch;
  job->data = data;
  job->data_free = data_free;
  return job;
}

void
fest_idempotent_job_free (gpointer data)
{
  FestIdempotentJob *job = data;

  g_free (job->key);
  g_free (job->request_hash);
  g_free (job->legacy_hash);
  if (job->data_free != NULL && job->data != NULL)
    job->data_free (job->data);
  g_free (job);
}

void
fest_idempotent_reply_free (gpointer data)
{
  FestIdempotentReply *reply = data;

  g_clear_pointer (&reply->body, g_bytes_unref);
  g_free (reply);
}

gboolean
fest_idempotent_job_write (FestWriteCtx   *ctx,
                           gpointer        job_data,
                           gpointer       *result,
                           GDestroyNotify *result_free,
                           GError        **error)
{
  FestIdempotentJob *job = job_data;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) data = NULL;
  g_autofree char *transaction_id = NULL;
  FestIdempotentReply *reply;
  FestIdempotencyState state;
  guint status = 200;
  GBytes *body = NULL;

  if (job->prefetch != NULL)
    job->prefetch (ctx, job->data);
  if (!fest_idempotency_lookup_full (ctx, job->key, job->request_hash, job->legacy_hash, &state, &status,
                                     &body, error))
    return FALSE;

  if (state == FEST_IDEMPOTENCY_REPLAY && job->entity_status != 0 && status < 300)
    {
      gsize size = 0;
      const char *text = g_bytes_get_data (body, &size);

      /* Stored by a sync op: a bare entity. Answer it as this route would have. */
      if (size > 0 && !g_str_has_prefix (text, "{\"data\":"))
        {
          GString *wrapped = g_string_sized_new (size + 16);
          gsize len;

          g_string_append (wrapped, "{\"data\":");
          g_string_append_len (wrapped, text, size);
          g_string_append_c (wrapped, '}');
          len = wrapped->len;
          g_bytes_unref (body);
          body = g_bytes_new_take (g_string_free (wrapped, FALSE), len);
          status = job->entity_status;
        }
    }

  if (state == FEST_IDEMPOTENCY_REUSED)
    {
      g_autoptr(GError) reused = g_error_new (FEST_ERROR, FEST_ERROR_IDEMPOTENCY_KEY_REUSED,
                                              "this Idempotency-Key was used with another request");

      body = fest_idempotency_error_body (reused, &status);
    }
  else if (state == FEST_IDEMPOTENCY_NEW)
    {
      /* A final error must leave nothing behind but the stored error reply. In a job with a
       * SAVEPOINT of its own, the mutation runs in a nested one. Without (the usual, rerunnable
       * run), a mutation that fails before writing needs no rollback, and one that fails after
       * writing fails the job: the store rolls it back and runs it again with savepoints. */
      gboolean nested = fest_write_ctx_has_savepoint (ctx);
      gint64 changes = fest_idempotency_repo_changes (ctx);

      if (nested && !fest_idempotency_repo_savepoint (ctx, error))
        return FALSE;

      status = 200;
      if (job->text_func != NULL)
        {
          GString *text = g_string_sized_new (1024);

          g_string_append (text, "{\"data\":");
          if (job->text_func (ctx, job->key, job->data, &status, text, &transaction_id, &local_error))
            {
              gsize len;

              g_string_append_c (text, '}');
              len = text->len;
              body = g_bytes_new_take (g_string_free (text, FALSE), len);
            }
          else
            g_string_free (text, TRUE);
        }
      else
        {
          data = job->func (ctx, job->key, job->data, &status, &local_error);
          if (data != NULL)
            {
              JsonNode *envelope = fest_json_envelope_data (g_steal_pointer (&data));
              gsize len;
              char *text = fest_json_to_string (envelope, &len);

              json_node_unref (envelope);
              body = g_bytes_new_take (text, len);
            }
        }
      if (body == NULL)
        {
          g_assert (local_error != NULL);
          if (!nested)
            {
              if (!is_final_error (local_error)
                  || fest_idempotency_repo_changes (ctx) != changes)
                {
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
            }
          else
            {
              if (!fest_idempotency_repo_rollback (ctx, error))
                return FALSE;
              if (!is_final_error (local_error))
                {
                  fest_idempotency_repo_release (ctx, NULL);
                  g_propagate_error (error, g_steal_pointer (&local_error));
                  return FALSE;
                }
            }
          body = fest_idempotency_error_body (local_error, &status);
          /* After the rollback: what the refusal established must stay. */
          if (!_fest_ledger_note_refusal (ctx, local_error, error))
            {
              g_bytes_unref (body);
              return FALSE;
            }
        }

      if ((nested && !fest_idempotency_repo_release (ctx, error))
          || !(transaction_id != NULL && status < 300
                 ? fest_idempotency_store_transaction (ctx, job->key, job->request_hash, status, transaction_id,
                                                       TRUE, error)
                 : fest_idempotency_store (ctx, job->key, job->request_hash, status, body, error)))
        {
          g_bytes_unref (body);
          return FALSE;
        }
    }

  reply = g_new0 (FestIdempotentReply, 1);
  reply->status = status;
  reply->body = body;
  *result = reply;
  *result_free = fest_idempotent_reply_free;
  return TRUE;
}
