/* fest-routes-idempotency.c: idempotent route handlers: Idempotency-Key header, write job, reply
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-core.h"
#include "fest-routes-idempotency.h"

#define JSON_CONTENT_TYPE "application/json; charset=utf-8"

static void
idempotent_write_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(FestRequest) req = user_data;
  g_autoptr(GError) error = NULL;
  FestIdempotentReply *reply;

  reply = fest_festival_store_write_finish (FEST_FESTIVAL_STORE (source), result, &error);
  if (reply == NULL)
    {
      fest_request_reply_gerror (req, error);
      return;
    }
  fest_request_reply_bytes (req, reply->status, JSON_CONTENT_TYPE, reply->body);
  fest_idempotent_reply_free (reply);
}

gboolean
fest_idempotency_require_key (FestRequest *req)
{
  const char *key = fest_request_get_header (req, "Idempotency-Key");
  g_autoptr(GError) error = NULL;

  if (fest_idempotency_key_is_valid (key))
    return TRUE;

  error = fest_error_validation ("Idempotency-Key",
                                 key == NULL
                                   ? "the Idempotency-Key header is required"
                                   : "the Idempotency-Key header must be 1 to 200 printable ASCII characters");
  fest_request_reply_gerror (req, error);
  return FALSE;
}

static void
handle (FestRequest            *req,
        const char             *request_hash,
        const char             *legacy_hash,
        guint                   entity_status,
        FestIdempotentFunc      func,
        FestIdempotentTextFunc  text_func,
        FestIdempotentPrefetchFunc prefetch,
        gpointer                data,
        GDestroyNotify          data_free)
{
  const char *key = fest_request_get_header (req, "Idempotency-Key");
  FestIdempotentJob *job;

  if (!fest_idempotency_require_key (req))
    {
      if (data_free != NULL && data != NULL)
        data_free (data);
      return;
    }

  if (request_hash != NULL)
    job = fest_idempotent_job_new (key, request_hash, legacy_hash, entity_status, func, text_func, prefetch, data, data_free);
  else
    {
      g_autofree char *hash = fest_idempotency_request_hash (fest_request_get_method (req),
                                                             fest_request_get_path (req),
                                                             fest_request_get_body (req));

      job = fest_idempotent_job_new (key, hash, legacy_hash, entity_status, func, text_func, prefetch, data, data_free);
    }

  fest_request_pause (req);
  fest_festival_store_write_rerunnable_async (fest_request_get_store (req), key, fest_idempotent_job_write, job,
                                              fest_idempotent_job_free, NULL, idempotent_write_cb,
                                              fest_request_ref (req));
}

void
fest_idempotency_handle (FestRequest        *req,
                         FestIdempotentFunc  func,
                         gpointer            data,
                         GDestroyNotify      data_free)
{
  handle (req, NULL, NULL, 0, func, NULL, NULL, data, data_free);
}

void
fest_idempotency_handle_text (FestRequest            *req,
                              FestIdempotentTextFunc  func,
                              gpointer                data,
                              GDestroyNotify          data_free)
{
  handle (req, NULL, NULL, 0, NULL, func, NULL, data, data_free);
}

void
fest_idempotency_handle_text_hashed (FestRequest            *req,
                                     const char             *request_hash,
                                     const char             *legacy_hash,
                                     guint                   entity_status,
                                     FestIdempotentTextFunc  func,
                                     FestIdempotentPrefetchFunc prefetch,
                                     gpointer                data,
                                     GDestroyNotify          data_free)
{
  g_return_if_fail (request_hash != NULL);
  handle (req, request_hash, legacy_hash, entity_status, NULL, func, prefetch, data, data_free);
}
