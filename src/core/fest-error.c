/* fest-error.c: the API's error codes, their HTTP status and structured details
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "fest-error.h"

/* The details travel inside the GError itself (an extended error domain): they follow
 * g_error_copy, g_propagate_error and g_task_return_error, and are freed by g_error_free. */
typedef struct
{
  JsonNode *details;
} FestErrorPrivate;

/* The NULL checks only quieten -Wnull-dereference: G_DEFINE_EXTENDED_ERROR always passes the
 * private data of an error of this domain. */
static void
fest_error_private_init (FestErrorPrivate *priv)
{
  if (priv != NULL)
    priv->details = NULL;
}

static void
fest_error_private_copy (const FestErrorPrivate *src,
                         FestErrorPrivate       *dest)
{
  if (src != NULL && dest != NULL)
    dest->details = src->details != NULL ? json_node_copy (src->details) : NULL;
}

static void
fest_error_private_clear (FestErrorPrivate *priv)
{
  if (priv != NULL)
    g_clear_pointer (&priv->details, json_node_unref);
}

G_DEFINE_EXTENDED_ERROR (FestError, fest_error)

static const struct
{
  FestErrorCode code;
  const char *name;
  guint status;
} error_table[] = {
  { FEST_ERROR_MALFORMED_JSON, "MALFORMED_JSON", 400 },
  { FEST_ERROR_VALIDATION_FAILED, "VALIDATION_FAILED", 400 },
  { FEST_ERROR_UNAUTHENTICATED, "UNAUTHENTICATED", 401 },
  { FEST_ERROR_FORBIDDEN, "FORBIDDEN", 403 },
  { FEST_ERROR_NOT_FOUND, "NOT_FOUND", 404 },
  { FEST_ERROR_CONFLICT, "CONFLICT", 409 },
  { FEST_ERROR_IDEMPOTENCY_KEY_REUSED, "IDEMPOTENCY_KEY_REUSED", 409 },
  { FEST_ERROR_TICKET_ALREADY_USED, "TICKET_ALREADY_USED", 409 },
  { FEST_ERROR_PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", 413 },
  { FEST_ERROR_INSUFFICIENT_BALANCE, "INSUFFICIENT_BALANCE", 422 },
  { FEST_ERROR_OUT_OF_STOCK, "OUT_OF_STOCK", 422 },
  { FEST_ERROR_TICKET_INVALID, "TICKET_INVALID", 422 },
  { FEST_ERROR_RATE_LIMITED, "RATE_LIMITED", 429 },
  { FEST_ERROR_INTERNAL, "INTERNAL", 500 },
  { FEST_ERROR_METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", 405 },
  { FEST_ERROR_STORAGE_UNAVAILABLE, "STORAGE_UNAVAILABLE", 503 },
};

const char *
fest_error_code_to_string (FestErrorCode code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].code == code)
      return error_table[i].name;

  return NULL;
}

gboolean
fest_error_code_from_string (const char    *name,
                             FestErrorCode *code)
{
  g_return_val_if_fail (code != NULL, FALSE);

  if (name == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    {
      if (g_str_equal (error_table[i].name, name))
        {
          *code = error_table[i].code;
          return TRUE;
        }
    }

  return FALSE;
}

guint
fest_error_code_to_status (FestErrorCode code)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].code == code)
      return error_table[i].status;

  return 500;
}

GError *
fest_error_new_with_details (FestErrorCode  code,
                             JsonNode      *details,
                             const char    *format,
                             ...)
{
  g_autofree char *message = NULL;
  FestErrorPrivate *priv;
  GError *error;
  va_list args;

  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  error = g_error_new_literal (FEST_ERROR, code, message);
  priv = fest_error_get_private (error);
  g_assert (priv != NULL);
  priv->details = details;

  return error;
}

JsonNode *
fest_error_get_details (const GError *error)
{
  FestErrorPrivate *priv;

  if (error == NULL || error->domain != FEST_ERROR)
    return NULL;

  priv = fest_error_get_private (error);
  return priv != NULL ? priv->details : NULL;
}

GError *
fest_error_validation (const char *field,
                       const char *format,
                       ...)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *message = NULL;
  va_list args;

  g_return_val_if_fail (field != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "field");
  json_builder_add_string_value (builder, field);
  json_builder_end_object (builder);

  return fest_error_new_with_details (FEST_ERROR_VALIDATION_FAILED,
                                      json_builder_get_root (builder),
                                      "%s", message);
}
