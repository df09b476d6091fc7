/* fest-routes-tickets.c: ticket types, tickets, validation, scans, QR images and the ticket key
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <cairo.h>
#include <qrencode.h>

#include "fest-core.h"
#include "fest-idempotency.h"
#include "fest-live-util.h"
#include "fest-router.h"
#include "fest-routes-util.h"
#include "fest-tickets-repo.h"
#include "fest-tickets.h"

#define QR_MODULE_PX   8
#define QR_QUIET_ZONE  4

/* Helpers */

static GError *
invalid_reason (const char *reason,
                const char *message)
{
  JsonObject *details = json_object_new ();

  json_object_set_string_member (details, "reason", reason);
  return fest_error_new_with_details (FEST_ERROR_TICKET_INVALID, fest_live_object_node (details), "%s", message);
}

/* The festival named in a code's payload, without trusting it: only used to tell a foreign
 * festival's ticket (signed by another key) from a forgery. */
static char *
peek_code_festival (const char *qr)
{
  g_auto(GStrv) parts = NULL;
  g_autofree guint8 *payload = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;
  gsize length = 0;

  parts = g_strsplit (qr, ".", 4);
  if (g_strv_length (parts) != 3 || !g_str_equal (parts[0], "FT1"))
    return NULL;
  payload = fest_base64url_decode (parts[1], strlen (parts[1]), &length);
  if (payload == NULL)
    return NULL;
  node = fest_json_parse ((const char *) payload, length, NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  if (!json_object_has_member (object, "f") ||
      json_node_get_value_type (json_object_get_member (object, "f")) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_object_get_string_member (object, "f"));
}

/* GET /ticket-types */

static void
list_ticket_types (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  g_autoptr(GError) error = NULL;
  JsonNode *array;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  array = fest_tickets_repo_list_types (store, page, per_page, &total, &error);
  if (array == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_list (req, array, total, page, per_page);
}

/* POST /ticket-types */

typedef struct
{
  FestTicketTypeInput input;
  FestActor          *actor;
} CreateTypeJob;

static void
create_type_job_free (gpointer data)
{
  CreateTypeJob *job = data;

  fest_ticket_type_input_clear (&job->input);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
create_type_func (FestWriteCtx   *ctx,
                  gpointer        job_data,
                  gpointer       *result,
                  GDestroyNotify *result_free,
                  GError        **error)
{
  CreateTypeJob *job = job_data;

  *result = fest_tickets_create_type (ctx, &job->input, job->actor, error);
  *result_free = (GDestroyNotify) json_node_unref;
  return *result != NULL;
}

static void
create_ticket_type (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  CreateTypeJob *job;

  if (body == NULL)
    return;
  job = g_new0 (CreateTypeJob, 1);
  if (!fest_ticket_type_input_parse (body, &job->input, &error))
    {
      create_type_job_free (job);
      return fest_request_reply_gerror (req, error);
    }
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, create_type_func, job, create_type_job_free, SOUP_STATUS_CREATED);
}

/* POST /tickets */

typedef struct
{
  char      *ticket_type_id;
  char      *holder_name;
  char      *holder_email;
  FestActor *actor;
} IssueJob;

static void
issue_job_free (gpointer data)
{
  IssueJob *job = data;

  g_free (job->ticket_type_id);
  g_free (job->holder_name);
  g_free (job->holder_email);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
issue_func (FestWriteCtx   *ctx,
            gpointer        job_data,
            gpointer       *result,
            GDestroyNotify *result_free,
            GError        **error)
{
  IssueJob *job = job_data;

  *result = fest_tickets_issue (ctx, job->ticket_type_id, job->holder_name, job->holder_email, job->actor, error);
  *result_free = (GDestroyNotify) json_node_unref;
  return *result != NULL;
}

static void
issue_ticket (FestRequest *req)
{
  JsonObject *body = fest_request_get_json_object (req);
  g_autoptr(GError) error = NULL;
  const char *type_id = NULL;
  const char *holder_name = NULL;
  const char *holder_email = NULL;
  IssueJob *job;

  if (body == NULL)
    return;
  if (!fest_json_get_uuid (body, "ticket_type_id", TRUE, &type_id, &error) ||
      !fest_json_get_text (body, "holder_name", FALSE, 200, &holder_name, &error) ||
      !fest_json_get_text (body, "holder_email", FALSE, 254, &holder_email, &error))
    return fest_request_reply_gerror (req, error);
  if (holder_email != NULL && (strchr (holder_email, '@') == NULL || strchr (holder_email, ' ') != NULL))
    {
      g_autoptr(GError) invalid = fest_error_validation ("holder_email", "holder_email is not an email address");

      return fest_request_reply_gerror (req, invalid);
    }

  job = g_new0 (IssueJob, 1);
  job->ticket_type_id = g_strdup (type_id);
  job->holder_name = holder_name != NULL ? g_strstrip (g_strdup (holder_name)) : NULL;
  job->holder_email = holder_email != NULL ? g_strstrip (g_strdup (holder_email)) : NULL;
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, issue_func, job, issue_job_free, SOUP_STATUS_CREATED);
}

/* GET /tickets */

static void
list_tickets (FestRequest *req)
{
  FestFestivalStore *store = fest_request_get_store (req);
  const char *status = fest_request_get_query (req, "status");
  const char *type_id = fest_request_get_query (req, "ticket_type_id");
  g_autoptr(GError) error = NULL;
  JsonNode *array;
  gint64 total = 0;
  guint page, per_page;

  if (!fest_request_get_paging (req, &page, &per_page))
    return;
  if (status != NULL && !g_str_equal (status, "VALID") && !g_str_equal (status, "USED") &&
      !g_str_equal (status, "CANCELLED"))
    {
      error = fest_error_validation ("status", "status must be VALID, USED or CANCELLED");
      return fest_request_reply_gerror (req, error);
    }
  if (type_id != NULL && !fest_uuid_is_valid (type_id))
    {
      error = fest_error_validation ("ticket_type_id", "ticket_type_id must be a UUID");
      return fest_request_reply_gerror (req, error);
    }

  array = fest_tickets_repo_list_tickets (store, status, type_id, page, per_page, &total, &error);
  if (array == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_list (req, array, total, page, per_page);
}

/* GET /ticket-key */

static void
get_ticket_key (FestRequest *req)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *festival_id = NULL;
  g_autofree char *encoded = NULL;
  guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  JsonObject *object;

  if (!fest_tickets_repo_read_festival_key (fest_request_get_store (req), &festival_id, public_key, &error))
    return fest_request_reply_gerror (req, error);
  encoded = fest_base64url_encode (public_key, sizeof public_key);

  object = json_object_new ();
  json_object_set_string_member (object, "public_key", encoded);
  json_object_set_string_member (object, "algorithm", "Ed25519");
  json_object_set_string_member (object, "festival_id", festival_id);
  fest_request_reply_data (req, SOUP_STATUS_OK, fest_live_object_node (object));
}

/* GET /tickets/{id} and GET /tickets/{qr} */

static void
validate_code (FestRequest *req,
               const char  *qr)
{
  FestFestivalStore *store = fest_request_get_store (req);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(JsonNode) type = NULL;
  g_autofree char *festival_id = NULL;
  guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES];
  FestTicketPayload payload = { NULL, };
  FestTicketCodeStatus status;
  JsonObject *object;
  JsonObject *type_object;
  JsonObject *type_summary;

  if (!fest_tickets_repo_read_festival_key (store, &festival_id, public_key, &error))
    return fest_request_reply_gerror (req, error);

  status = fest_ticket_code_verify (qr, public_key, festival_id, now, &payload);
  if (status == FEST_TICKET_CODE_BAD_SIGNATURE)
    {
      g_autofree char *claimed = peek_code_festival (qr);

      if (claimed != NULL && !g_str_equal (claimed, festival_id))
        status = FEST_TICKET_CODE_WRONG_FESTIVAL;
    }
  if (status != FEST_TICKET_CODE_VALID)
    {
      fest_ticket_payload_clear (&payload);
      error = invalid_reason (fest_ticket_code_status_to_string (status), "The ticket is not valid");
      return fest_request_reply_gerror (req, error);
    }

  ticket = fest_tickets_repo_read_ticket (store, payload.ticket_id, &error);
  fest_ticket_payload_clear (&payload);
  if (ticket == NULL)
    {
      if (!g_error_matches (error, FEST_ERROR, FEST_ERROR_NOT_FOUND))
        return fest_request_reply_gerror (req, error);
      g_clear_error (&error);
      error = invalid_reason ("UNKNOWN", "The ticket is not known to this festival");
      return fest_request_reply_gerror (req, error);
    }
  object = json_node_get_object (ticket);
  if (g_str_equal (json_object_get_string_member (object, "status"), "CANCELLED"))
    {
      error = invalid_reason ("CANCELLED", "The ticket was cancelled");
      return fest_request_reply_gerror (req, error);
    }

  type = fest_tickets_repo_read_type (store, json_object_get_string_member (object, "ticket_type_id"), &error);
  if (type == NULL)
    return fest_request_reply_gerror (req, error);
  type_object = json_node_get_object (type);
  type_summary = json_object_new ();
  json_object_set_string_member (type_summary, "id", json_object_get_string_member (type_object, "id"));
  json_object_set_string_member (type_summary, "name", json_object_get_string_member (type_object, "name"));
  json_object_set_string_member (type_summary, "code", json_object_get_string_member (type_object, "code"));
  json_object_set_boolean_member (type_summary, "reentry_allowed",
                                  json_object_get_boolean_member (type_object, "reentry_allowed"));

  /* The ticket's own fields, plus the verdict; "ticket" repeats them for clients that nest. */
  json_object_set_member (object, "ticket", fest_live_json_deep_copy (ticket));
  json_object_set_boolean_member (object, "valid", TRUE);
  json_object_set_object_member (object, "ticket_type", type_summary);
  fest_request_reply_data (req, SOUP_STATUS_OK, g_steal_pointer (&ticket));
}

static void
get_ticket (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  JsonNode *ticket;

  if (!fest_uuid_is_valid (id))
    return validate_code (req, id);

  ticket = fest_tickets_repo_read_ticket (fest_request_get_store (req), id, &error);
  if (ticket == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_data (req, SOUP_STATUS_OK, ticket);
}

/* POST /tickets/{id}/scan */

typedef struct
{
  char      *key;
  char      *request_hash;
  char      *ticket_id;
  char      *gate;
  char      *direction;
  FestActor *actor;
} ScanJob;

static void
scan_job_free (gpointer data)
{
  ScanJob *job = data;

  g_free (job->key);
  g_free (job->request_hash);
  g_free (job->ticket_id);
  g_free (job->gate);
  g_free (job->direction);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
scan_func (FestWriteCtx   *ctx,
           gpointer        job_data,
           gpointer       *result,
           GDestroyNotify *result_free,
           GError        **error)
{
  ScanJob *job = job_data;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) refusal = NULL;
  JsonNode *entity = NULL;
  FestIdempotencyState state;
  guint status = 0;
  FestScanInput input = {
    .ticket_id = job->ticket_id,
    .gate = job->gate,
    .direction = job->direction,
    .device_id = job->actor->device_id,
  };

  *result_free = (GDestroyNotify) fest_raw_reply_free;

  if (!fest_idempotency_lookup (ctx, job->key, job->request_hash, &state, &status, &body, error))
    return FALSE;
  if (state == FEST_IDEMPOTENCY_REPLAY)
    {
      *result = fest_raw_reply_new (status, g_steal_pointer (&body));
      return TRUE;
    }
  if (state == FEST_IDEMPOTENCY_REUSED)
    {
      g_autoptr(GError) reused = g_error_new_literal (FEST_ERROR, FEST_ERROR_IDEMPOTENCY_KEY_REUSED,
                                                      "This Idempotency-Key was used for another request");

      body = fest_idempotency_error_body (reused, &status);
      *result = fest_raw_reply_new (status, g_steal_pointer (&body));
      return TRUE;
    }

  if (!fest_tickets_scan_online (ctx, &input, job->actor, &entity, &refusal, error))
    return FALSE;
  if (refusal != NULL)
    body = fest_idempotency_error_body (refusal, &status);
  else
    {
      status = SOUP_STATUS_OK;
      body = fest_live_data_body (entity);
    }
  if (!fest_idempotency_store (ctx, job->key, job->request_hash, status, body, error))
    return FALSE;
  *result = fest_raw_reply_new (status, g_steal_pointer (&body));
  return TRUE;
}

static void
scan_ticket (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  const char *key = fest_request_get_header (req, "Idempotency-Key");
  g_autoptr(GError) error = NULL;
  const char *gate = NULL;
  const char *direction = "IN";
  JsonObject *body;
  ScanJob *job;

  if (key == NULL || !fest_idempotency_key_is_valid (key))
    {
      error = fest_error_validation ("Idempotency-Key", "The Idempotency-Key header is required");
      return fest_request_reply_gerror (req, error);
    }
  body = fest_request_get_json_object (req);
  if (body == NULL)
    return;
  if (!fest_json_get_text (body, "gate", TRUE, 100, &gate, &error) ||
      !fest_json_get_string (body, "direction", FALSE, &direction, &error))
    return fest_request_reply_gerror (req, error);
  if (!g_str_equal (direction, "IN") && !g_str_equal (direction, "OUT"))
    {
      error = fest_error_validation ("direction", "direction must be IN or OUT");
      return fest_request_reply_gerror (req, error);
    }
  if (!fest_uuid_is_valid (id))
    {
      error = g_error_new (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No ticket %s", id);
      return fest_request_reply_gerror (req, error);
    }

  job = g_new0 (ScanJob, 1);
  job->key = g_strdup (key);
  job->request_hash = fest_idempotency_request_hash (fest_request_get_method (req), fest_request_get_path (req),
                                                     fest_request_get_body (req));
  job->ticket_id = g_strdup (id);
  job->gate = g_strstrip (g_strdup (gate));
  job->direction = g_strdup (direction);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_raw (req, scan_func, job, scan_job_free);
}

/* POST /tickets/{id}/cancel */

typedef struct
{
  char      *ticket_id;
  FestActor *actor;
} CancelJob;

static void
cancel_job_free (gpointer data)
{
  CancelJob *job = data;

  g_free (job->ticket_id);
  fest_actor_free (job->actor);
  g_free (job);
}

static gboolean
cancel_func (FestWriteCtx   *ctx,
             gpointer        job_data,
             gpointer       *result,
             GDestroyNotify *result_free,
             GError        **error)
{
  CancelJob *job = job_data;

  *result = fest_tickets_cancel (ctx, job->ticket_id, job->actor, error);
  *result_free = (GDestroyNotify) json_node_unref;
  return *result != NULL;
}

static void
cancel_ticket (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  CancelJob *job;

  if (!fest_uuid_is_valid (id))
    {
      g_autoptr(GError) error = g_error_new (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No ticket %s", id);

      return fest_request_reply_gerror (req, error);
    }
  job = g_new0 (CancelJob, 1);
  job->ticket_id = g_strdup (id);
  job->actor = fest_actor_copy (fest_request_get_actor (req));
  fest_routes_write_reply_data (req, cancel_func, job, cancel_job_free, SOUP_STATUS_OK);
}

/* GET /tickets/{id}/qr.png */

static cairo_status_t
png_write_cb (void                *closure,
              const unsigned char *data,
              unsigned int         length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static GBytes *
render_qr_png (const char *text,
               GError    **error)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  cairo_surface_t *surface;
  cairo_status_t status;
  QRcode *code;
  cairo_t *cr;
  int size;

  code = QRcode_encodeString (text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
  if (code == NULL)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Could not encode the QR code");
      return NULL;
    }

  size = (code->width + 2 * QR_QUIET_ZONE) * QR_MODULE_PX;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, size, size);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_paint (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        cairo_rectangle (cr, (x + QR_QUIET_ZONE) * QR_MODULE_PX, (y + QR_QUIET_ZONE) * QR_MODULE_PX,
                         QR_MODULE_PX, QR_MODULE_PX);
  cairo_fill (cr);
  cairo_destroy (cr);
  QRcode_free (code);

  status = cairo_surface_write_to_png_stream (surface, png_write_cb, png);
  cairo_surface_destroy (surface);
  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, FEST_ERROR, FEST_ERROR_INTERNAL, "Could not write the PNG: %s",
                   cairo_status_to_string (status));
      return NULL;
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&png));
}

static void
get_ticket_qr_png (FestRequest *req)
{
  const char *id = fest_request_get_param (req, "id");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) ticket = NULL;
  g_autoptr(GBytes) png = NULL;

  if (!fest_uuid_is_valid (id))
    {
      error = g_error_new (FEST_ERROR, FEST_ERROR_NOT_FOUND, "No ticket %s", id);
      return fest_request_reply_gerror (req, error);
    }
  ticket = fest_tickets_repo_read_ticket (fest_request_get_store (req), id, &error);
  if (ticket == NULL)
    return fest_request_reply_gerror (req, error);
  png = render_qr_png (json_object_get_string_member (json_node_get_object (ticket), "qr_code"), &error);
  if (png == NULL)
    return fest_request_reply_gerror (req, error);
  fest_request_reply_bytes (req, SOUP_STATUS_OK, "image/png", png);
}

void
fest_routes_tickets_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/ticket-types", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_READ,
                   list_ticket_types);
  fest_router_add (router, "POST", "/ticket-types", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_MANAGE,
                   create_ticket_type);
  fest_router_add (router, "GET", "/tickets", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_READ, list_tickets);
  fest_router_add (router, "POST", "/tickets", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_MANAGE, issue_ticket);
  fest_router_add (router, "GET", "/ticket-key", FEST_ROUTE_FESTIVAL, FEST_PERM_NONE, get_ticket_key);
  fest_router_add (router, "GET", "/tickets/{id}", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_READ, get_ticket);
  fest_router_add (router, "POST", "/tickets/{id}/scan", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_SCAN, scan_ticket);
  fest_router_add (router, "POST", "/tickets/{id}/cancel", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_MANAGE,
                   cancel_ticket);
  fest_router_add (router, "GET", "/tickets/{id}/qr.png", FEST_ROUTE_FESTIVAL, FEST_PERM_TICKET_READ,
                   get_ticket_qr_png);
}
