/* fest-json.h: the API's JSON envelope and typed field access with validation errors
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "fest-error.h"

G_BEGIN_DECLS

/* {"data": data} or {"data": data, "meta": {"total","page","perPage"}}. Takes @data. */
JsonNode   *fest_json_envelope_data     (JsonNode     *data);
JsonNode   *fest_json_envelope_list     (JsonNode     *array,
                                         gint64        total,
                                         guint         page,
                                         guint         per_page);
/* {"error": {"code","message","details"?}}. Takes @details (may be NULL). */
JsonNode   *fest_json_envelope_error    (FestErrorCode code,
                                         const char   *message,
                                         JsonNode     *details);
char       *fest_json_to_string         (JsonNode     *node,
                                         gsize        *length);
/* Sets @member to @value, or to null when @value is NULL. */
void        fest_json_set_nullable_string (JsonObject *object,
                                           const char *member,
                                           const char *value);
/* @value in decimal, as "%" G_GINT64_FORMAT would write it, without printf: the ledger writes
 * several numbers per row into hashes and JSON texts. fest_format_int writes it NUL-terminated
 * to @out and returns its length. */
#define FEST_DECIMAL_SIZE 21  /* "-9223372036854775808" and its NUL */
gsize       fest_format_int             (gint64        value,
                                         char          out[FEST_DECIMAL_SIZE]);
void        fest_string_append_int      (GString      *out,
                                         gint64        value);
/* Parses UTF-8 JSON; MALFORMED_JSON on error. */
JsonNode   *fest_json_parse             (const char   *data,
                                         gssize        length,
                                         GError      **error);

/* Typed field readers. Each returns FALSE with a VALIDATION_FAILED error naming @member when the
 * member is missing (if @required), null (unless the type allows null), or of the wrong type.
 * Absent or null optional members leave *out untouched and return TRUE (use
 * json_object_has_member to tell null from absent). Messages name the member: "price must be an
 * integer"; details are {"field": member}. */
gboolean    fest_json_get_string        (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         const char  **out,
                                         GError      **error);
/* Non-empty after trimming, at most @max_chars characters (UTF-8 validated). */
gboolean    fest_json_get_text          (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         guint         max_chars,
                                         const char  **out,
                                         GError      **error);
/* Integer only (no float, no string, no bool), within [min, max]. */
gboolean    fest_json_get_int           (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         gint64        min,
                                         gint64        max,
                                         gint64       *out,
                                         GError      **error);
gboolean    fest_json_get_double        (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         double        min,
                                         double        max,
                                         double       *out,
                                         GError      **error);
gboolean    fest_json_get_bool          (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         gboolean     *out,
                                         GError      **error);
/* A UUID string. */
gboolean    fest_json_get_uuid          (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         const char  **out,
                                         GError      **error);
/* An RFC 3339 time, returned normalised (transfer full). */
gboolean    fest_json_get_time          (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         char        **out,
                                         GError      **error);
/* Borrowed object/array members. */
gboolean    fest_json_get_object        (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         JsonObject  **out,
                                         GError      **error);
gboolean    fest_json_get_array         (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         JsonArray   **out,
                                         GError      **error);
/* {lat, lng} with lat in [-90, 90], lng in [-180, 180]; field named "member.lat" on error. */
gboolean    fest_json_get_location      (JsonObject   *object,
                                         const char   *member,
                                         gboolean      required,
                                         double       *lat,
                                         double       *lng,
                                         GError      **error);

G_END_DECLS
