/* fest-error.h: the API's error codes and their HTTP status
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define FEST_ERROR (fest_error_quark ())

/* GError codes of the FEST_ERROR domain are these values. */
typedef enum
{
  FEST_ERROR_MALFORMED_JSON,          /* 400 */
  FEST_ERROR_VALIDATION_FAILED,       /* 400 */
  FEST_ERROR_UNAUTHENTICATED,         /* 401 */
  FEST_ERROR_FORBIDDEN,               /* 403 */
  FEST_ERROR_NOT_FOUND,               /* 404 */
  FEST_ERROR_CONFLICT,                /* 409 */
  FEST_ERROR_IDEMPOTENCY_KEY_REUSED,  /* 409 */
  FEST_ERROR_TICKET_ALREADY_USED,     /* 409 */
  FEST_ERROR_PAYLOAD_TOO_LARGE,       /* 413 */
  FEST_ERROR_INSUFFICIENT_BALANCE,    /* 422 */
  FEST_ERROR_OUT_OF_STOCK,            /* 422 */
  FEST_ERROR_TICKET_INVALID,          /* 422 */
  FEST_ERROR_RATE_LIMITED,            /* 429 */
  FEST_ERROR_INTERNAL,                /* 500 */
  FEST_ERROR_METHOD_NOT_ALLOWED,      /* 405 */
  FEST_ERROR_STORAGE_UNAVAILABLE,     /* 503: the server's disk is full or failing; retry later */
} FestErrorCode;

typedef FestErrorCode FestError;

GQuark         fest_error_quark          (void);
/* "INSUFFICIENT_BALANCE"; NULL for an unknown value */
const char    *fest_error_code_to_string (FestErrorCode  code);
gboolean       fest_error_code_from_string (const char   *name,
                                            FestErrorCode *code);
guint          fest_error_code_to_status (FestErrorCode  code);

/* A FEST_ERROR GError carrying a JSON details object (transfer full; may be NULL). FEST_ERROR is
 * an extended error domain (G_DEFINE_EXTENDED_ERROR): the details live inside the GError, so they
 * follow g_error_copy, g_propagate_error and g_task_return_error, and g_error_free frees them. */
GError        *fest_error_new_with_details (FestErrorCode  code,
                                            JsonNode      *details,
                                            const char    *format,
                                            ...) G_GNUC_PRINTF (3, 4);
/* Borrowed; NULL if none (or if @error is not a FEST_ERROR). */
JsonNode      *fest_error_get_details    (const GError  *error);
/* The VALIDATION_FAILED error for one field: details {"field": field}. */
GError        *fest_error_validation     (const char    *field,
                                          const char    *format,
                                          ...) G_GNUC_PRINTF (2, 3);

G_END_DECLS
