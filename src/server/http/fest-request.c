/* fest-request.c: one HTTP request as the route handlers see it
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "fest-request-private.h"
#include "fest-server-private.h"

#define DEFAULT_PER_PAGE 50
#define MAX_PER_PAGE     500
/* Retry-After of a write refused because the disk is full or failing. */
#define STORAGE_RETRY_AFTER_S 30

struct _FestRequest
{
  gint               ref_count;
  FestServer        *server;          /* borrowed: the server outlives its requests */
  SoupServerMessage *msg;
  const char        *path;
  GHashTable        *params;
  GHashTable        *query;           /* lazily parsed */
  gboolean           query_parsed;
  FestAuthEntry     *auth;
  FestActor         *actor;           /* lazily built */
  char              *client_address;  /* lazily resolved */
  GBytes            *body;
  JsonNode          *json;
  gulong             finished_id;
  gboolean           finished;        /* the message is gone (answered or disconnected) */
  gboolean           paused;
  gboolean           replied;
};

G_DEFINE_BOXED_TYPE (FestRequest, fest_request, fest_request_ref, fest_request_unref)

static void
message_finished_cb (SoupServerMessage *msg,
                     FestRequest       *req)
{
  req->finished = TRUE;
}

FestRequest *
_fest_request_new (FestServer        *server,
                   SoupServerMessage *msg,
                   const char        *path)
{
  FestRequest *req = g_new0 (FestRequest, 1);

  req->ref_count = 1;
  req->server = server;
  req->msg = g_object_ref (msg);
  req->path = path;
  req->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (message_finished_cb), req);
  return req;
}

FestRequest *
fest_request_ref (FestRequest *req)
{
  g_return_val_if_fail (req != NULL, NULL);

  req->ref_count++;
  return req;
}

void
fest_request_unref (FestRequest *req)
{
  g_return_if_fail (req != NULL);

  if (--req->ref_count > 0)
    return;

  if (req->paused && !req->replied && !req->finished)
    {
      /* A handler lost its request without replying: answer rather than hang the client. */
      g_warning ("Request %s %s dropped without a reply", soup_server_message_get_method (req->msg),
                 req->path);
      fest_request_reply_error (req, FEST_ERROR_INTERNAL, "Internal error", NULL);
    }

  g_clear_signal_handler (&req->finished_id, req->msg);
  g_clear_object (&req->msg);
  g_clear_pointer (&req->params, g_hash_table_unref);
  g_clear_pointer (&req->query, g_hash_table_unref);
  g_clear_pointer (&req->auth, fest_auth_entry_unref);
  g_clear_pointer (&req->actor, fest_actor_free);
  g_free (req->client_address);
  g_clear_pointer (&req->body, g_bytes_unref);
  g_clear_pointer (&req->json, json_node_unref);
  g_free (req);
}

void
_fest_request_set_params (FestRequest *req,
                          GHashTable  *params)
{
  g_clear_pointer (&req->params, g_hash_table_unref);
  req->params = params;
}

void
_fest_request_set_auth (FestRequest   *req,
                        FestAuthEntry *entry)
{
  g_clear_pointer (&req->auth, fest_auth_entry_unref);
  req->auth = entry != NULL ? fest_auth_entry_ref (entry) : NULL;
  g_clear_pointer (&req->actor, fest_actor_free);
}

FestAuthEntry *
_fest_request_get_auth_entry (FestRequest *req)
{
  return req->auth;
}

gboolean
_fest_request_is_paused (FestRequest *req)
{
  return req->paused;
}

/* The right-most X-Forwarded-For entry that is not a trusted proxy: each trusted proxy appends
 * the address it received the request from, so everything to the left of that entry was written
 * by the client and proves nothing. */
static char *
forwarded_client (FestServer *server,
                  const char *forwarded_for)
{
  g_auto(GStrv) hops = g_strsplit (forwarded_for, ",", -1);
  g_autoptr(GInetAddress) nearest = NULL;

  for (guint i = g_strv_length (hops); i > 0; i--)
    {
      g_autoptr(GInetAddress) hop = g_inet_address_new_from_string (g_strstrip (hops[i - 1]));

      /* Not an address ("unknown", a port, garbage): no trusted proxy wrote it. */
      if (hop == NULL)
        break;
      if (!_fest_server_is_trusted_proxy (server, hop))
        return g_inet_address_to_string (hop);
      g_set_object (&nearest, hop);
    }

  return nearest != NULL ? g_inet_address_to_string (nearest) : NULL;
}

const char *
_fest_request_get_ip (FestRequest *req)
{
  if (req->client_address == NULL)
    {
      SoupMessageHeaders *headers = soup_server_message_get_request_headers (req->msg);
      GSocketAddress *peer = soup_server_message_get_remote_address (req->msg);
      GInetAddress *peer_address = NULL;
      const char *forwarded_for;

      if (G_IS_INET_SOCKET_ADDRESS (peer))
        peer_address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (peer));
      forwarded_for = soup_message_headers_get_list (headers, "X-Forwarded-For");
      if (peer_address != NULL && forwarded_for != NULL
          && _fest_server_is_trusted_proxy (req->server, peer_address))
        req->client_address = forwarded_client (req->server, forwarded_for);
      if (req->client_address == NULL)
        req->client_address = g_strdup (soup_server_message_get_remote_host (req->msg));
    }

  return req->client_address;
}

void
_fest_request_reply_rate_limited (FestRequest *req,
                                  guint        retry_after_s)
{
  g_autofree char *seconds = g_strdup_printf ("%u", retry_after_s);
  JsonNode *details = json_node_new (JSON_NODE_OBJECT);
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "retry_after", retry_after_s);
  json_node_take_object (details, object);
  soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After",
                                seconds);
  fest_request_reply_error (req, FEST_ERROR_RATE_LIMITED, "Too many requests: try again later",
                            details);
}

FestServer *
fest_request_get_server (FestRequest *req)
{
  return req->server;
}

SoupServerMessage *
fest_request_get_message (FestRequest *req)
{
  return req->msg;
}

const char *
fest_request_get_method (FestRequest *req)
{
  return soup_server_message_get_method (req->msg);
}

const char *
fest_request_get_path (FestRequest *req)
{
  return req->path;
}

const char *
fest_request_get_param (FestRequest *req,
                        const char  *name)
{
  if (req->params == NULL)
    return NULL;
  return g_hash_table_lookup (req->params, name);
}

const char *
fest_request_get_query (FestRequest *req,
                        const char  *name)
{
  if (!req->query_parsed)
    {
      const char *query = g_uri_get_query (soup_server_message_get_uri (req->msg));

      req->query_parsed = TRUE;
      if (query != NULL && *query != '\0')
        req->query = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
    }

  if (req->query == NULL)
    return NULL;
  return g_hash_table_lookup (req->query, name);
}

const char *
fest_request_get_header (FestRequest *req,
                         const char  *name)
{
  return soup_message_headers_get_one (soup_server_message_get_request_headers (req->msg), name);
}

const FestAuth *
fest_request_get_auth (FestRequest *req)
{
  return req->auth != NULL ? &req->auth->auth : NULL;
}

FestFestivalStore *
fest_request_get_store (FestRequest *req)
{
  return req->auth != NULL ? req->auth->auth.store : NULL;
}

const FestActor *
fest_request_get_actor (FestRequest *req)
{
  if (req->actor == NULL)
    {
      req->actor = g_new0 (FestActor, 1);
      if (req->auth != NULL)
        {
          req->actor->account_id = g_strdup (req->auth->auth.account_id);
          req->actor->device_id = g_strdup (req->auth->auth.device_id);
        }
      req->actor->ip_address = g_strdup (_fest_request_get_ip (req));
      req->actor->user_agent = g_strdup (fest_request_get_header (req, "User-Agent"));
    }

  return req->actor;
}

GBytes *
fest_request_get_body (FestRequest *req)
{
  if (req->body == NULL)
    req->body = soup_message_body_flatten (soup_server_message_get_request_body (req->msg));
  return req->body;
}

/* One open container while looking for an escaped NUL. */
typedef struct
{
  gboolean    is_object;
  gboolean    expect_key;   /* objects: the next string is a member name */
  guint       index;        /* arrays: the current element */
  const char *member;       /* objects: the current member name, raw, not terminated */
  gsize       member_len;
} NulFrame;

/* The path of the value the innermost frame is at: "name", "location.zone", "lines[2].product_id".
 * Member names are given as written (escapes are not decoded: ours are plain ASCII). */
static char *
nul_frame_path (GArray *frames)
{
  GString *path = g_string_new (NULL);

  for (guint i = 0; i < frames->len; i++)
    {
      NulFrame *frame = &g_array_index (frames, NulFrame, i);

      if (!frame->is_object)
        g_string_append_printf (path, "[%u]", frame->index);
      else
        {
          if (path->len > 0)
            g_string_append_c (path, '.');
          g_string_append_len (path, frame->member, frame->member_len);
        }
    }

  return g_string_free (path, FALSE);
}

/* json-glib ends a string at an escaped NUL: "ab\\u0000cd" would silently be stored as "ab".
 * Looks through @data, valid JSON, for a string with one. Returns FALSE when there is none; else
 * TRUE with the path of the value holding it in *field, or NULL when it is in a member name. */
static gboolean
find_escaped_nul (const char  *data,
                  gsize        len,
                  char       **field)
{
  g_autoptr(GArray) frames = g_array_new (FALSE, TRUE, sizeof (NulFrame));
  const char *end = data + len;

  *field = NULL;
  for (const char *p = data; p < end; p++)
    {
      NulFrame *top = frames->len > 0 ? &g_array_index (frames, NulFrame, frames->len - 1) : NULL;

      switch (*p)
        {
        case '{':
        case '[':
          {
            NulFrame frame = { *p == '{', *p == '{', 0, NULL, 0 };

            g_array_append_val (frames, frame);
            break;
          }
        case '}':
        case ']':
          g_array_set_size (frames, frames->len - 1);
          break;
        case ':':
          top->expect_key = FALSE;
          break;
        case ',':
          if (top->is_object)
            top->expect_key = TRUE;
          else
            top->index++;
          break;
        case '"':
          {
            const char *start = ++p;
            gboolean has_nul = FALSE;

            for (; *p != '"'; p++)
              if (*p == '\\')
                {
                  p++;
                  if (*p == 'u' && strncmp (p + 1, "0000", 4) == 0)
                    has_nul = TRUE;
                }

            if (top != NULL && top->is_object && top->expect_key)
              {
                if (has_nul)
                  return TRUE;
                top->member = start;
                top->member_len = p - start;
              }
            else if (has_nul)
              {
                *field = frames->len > 0 ? nul_frame_path (frames) : NULL;
                return TRUE;
              }
            break;
          }
        default:
          break;
        }
    }

  return FALSE;
}

/* TRUE when @data, refused by fest_json_parse(), would be valid JSON but for its escaped NULs;
 * then *field is the path of the value holding the first one (NULL: a member name). */
static gboolean
escaped_nul_is_the_only_fault (const char  *data,
                               gsize        len,
                               char       **field)
{
  g_autofree char *copy = NULL;
  g_autoptr(JsonNode) node = NULL;
  char *p;

  *field = NULL;
  if (g_strstr_len (data, len, "\\u0000") == NULL)
    return FALSE;

  /* The same text with each "\u0000" made a space ("\u0020"): same length, same structure. */
  copy = g_strndup (data, len);
  for (p = copy; (p = g_strstr_len (p, copy + len - p, "\\u0000")) != NULL; p += 6)
    p[4] = '2';
  node = fest_json_parse (copy, len, NULL);
  if (node == NULL)
    return FALSE;

  /* Valid JSON apart from the NULs: the scanner may walk it. */
  return find_escaped_nul (data, len, field);
}

JsonObject *
fest_request_get_json_object (FestRequest *req)
{
  g_autoptr(GError) error = NULL;
  GBytes *body;
  const char *data;
  gsize len;

  if (req->json != NULL)
    return json_node_get_object (req->json);

  body = fest_request_get_body (req);
  data = g_bytes_get_data (body, &len);
  if (len == 0)
    {
      fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is empty", NULL);
      return NULL;
    }

  req->json = fest_json_parse (data, len, &error);
  if (req->json == NULL)
    {
      g_autofree char *field = NULL;

      /* json-glib would cut a string at an escaped NUL, so fest_json_parse() refuses one as
       * malformed. When that is all that is wrong with the body, say which field holds it. */
      if (escaped_nul_is_the_only_fault (data, len, &field))
        {
          if (field != NULL)
            {
              g_autoptr(GError) validation =
                fest_error_validation (field, "%s must not contain a NUL character (\\u0000)",
                                       field);

              fest_request_reply_gerror (req, validation);
            }
          else
            fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON,
                                      "A member name contains a NUL character (\\u0000)", NULL);
          return NULL;
        }
      if (error != NULL)
        fest_request_reply_gerror (req, error);
      else
        fest_request_reply_error (req, FEST_ERROR_MALFORMED_JSON, "The request body is not JSON",
                                  NULL);
      return NULL;
    }

  if (!JSON_NODE_HOLDS_OBJECT (req->json))
    {
      g_autoptr(GError) validation = fest_error_validation ("body", "The request body must be a JSON object");

      g_clear_pointer (&req->json, json_node_unref);
      fest_request_reply_gerror (req, validation);
      return NULL;
    }

  return json_node_get_object (req->json);
}

static gboolean
parse_uint (const char *text,
            guint       min,
            guint       max,
            guint      *out)
{
  guint64 value;

  if (text == NULL || *text == '\0')
    return FALSE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, &value, NULL))
    return FALSE;
  *out = (guint) value;
  return TRUE;
}

gboolean
fest_request_get_paging (FestRequest *req,
                         guint       *page,
                         guint       *per_page)
{
  const char *page_text = fest_request_get_query (req, "page");
  const char *per_page_text = fest_request_get_query (req, "per_page");

  *page = 1;
  *per_page = DEFAULT_PER_PAGE;

  if (page_text != NULL && !parse_uint (page_text, 1, G_MAXINT32, page))
    {
      g_autoptr(GError) error = fest_error_validation ("page", "page must be a positive integer");
      fest_request_reply_gerror (req, error);
      return FALSE;
    }

  if (per_page_text != NULL && !parse_uint (per_page_text, 1, MAX_PER_PAGE, per_page))
    {
      g_autoptr(GError) error = fest_error_validation ("per_page",
                                                       "per_page must be an integer from 1 to %d",
                                                       MAX_PER_PAGE);
      fest_request_reply_gerror (req, error);
      return FALSE;
    }

  return TRUE;
}

void
fest_request_pause (FestRequest *req)
{
  g_return_if_fail (!req->replied);

  if (req->paused)
    return;

  req->paused = TRUE;
  soup_server_message_pause (req->msg);
}

static void
send_reply (FestRequest *req,
            guint        status,
            const char  *content_type,
            char        *body,
            gsize        length,
            gboolean     take)
{
  if (req->replied)
    {
      g_critical ("Request %s %s replied twice", fest_request_get_method (req), req->path);
      if (take)
        g_free (body);
      return;
    }
  req->replied = TRUE;

  if (req->finished)
    {
      /* The client went away while we worked: nothing to send it to. */
      if (take)
        g_free (body);
      return;
    }

  soup_server_message_set_status (req->msg, status, NULL);
  soup_server_message_set_response (req->msg, content_type,
                                    take ? SOUP_MEMORY_TAKE : SOUP_MEMORY_COPY, body, length);
  if (req->paused)
    soup_server_message_unpause (req->msg);
}

static void
reply_envelope (FestRequest *req,
                guint        status,
                JsonNode    *envelope)
{
  gsize length = 0;
  char *text = fest_json_to_string (envelope, &length);

  json_node_unref (envelope);
  send_reply (req, status, "application/json; charset=utf-8", text, length, TRUE);
}

void
fest_request_reply_data (FestRequest *req,
                         guint        status,
                         JsonNode    *data)
{
  if (data == NULL)
    data = json_node_new (JSON_NODE_NULL);
  reply_envelope (req, status, fest_json_envelope_data (data));
}

void
fest_request_reply_list (FestRequest *req,
                         JsonNode    *array,
                         gint64       total,
                         guint        page,
                         guint        per_page)
{
  reply_envelope (req, SOUP_STATUS_OK, fest_json_envelope_list (array, total, page, per_page));
}

void
fest_request_reply_error (FestRequest   *req,
                          FestErrorCode  code,
                          const char    *message,
                          JsonNode      *details)
{
  reply_envelope (req, fest_error_code_to_status (code),
                  fest_json_envelope_error (code, message, details));
}

/* A write that met a full or failing disk (FEST_STORE_ERROR_DISK_FULL, FEST_STORE_ERROR_IO): the
 * store kept nothing of it, and the same request (same Idempotency-Key) succeeds once the disk is
 * back. 503 with Retry-After tells clients so; a station keeps the operation in its outbox. */
static void
reply_storage_unavailable (FestRequest  *req,
                           const GError *error)
{
  g_autofree char *seconds = g_strdup_printf ("%u", STORAGE_RETRY_AFTER_S);
  JsonObject *object = json_object_new ();
  JsonNode *details = json_node_new (JSON_NODE_OBJECT);

  g_warning ("%s %s: storage unavailable: %s", fest_request_get_method (req), req->path, error->message);
  json_object_set_int_member (object, "retry_after", STORAGE_RETRY_AFTER_S);
  json_node_take_object (details, object);
  if (!req->finished)
    soup_message_headers_replace (soup_server_message_get_response_headers (req->msg), "Retry-After",
                                  seconds);
  fest_request_reply_error (req, FEST_ERROR_STORAGE_UNAVAILABLE,
                            error->code == FEST_STORE_ERROR_DISK_FULL
                              ? "The server cannot write to its disk (no space left): try again later"
                              : "The server cannot write to its disk (input/output error): try again later",
                            details);
}

void
fest_request_reply_gerror (FestRequest  *req,
                           const GError *error)
{
  JsonNode *details;

  if (g_error_matches (error, FEST_STORE_ERROR, FEST_STORE_ERROR_DISK_FULL)
      || g_error_matches (error, FEST_STORE_ERROR, FEST_STORE_ERROR_IO))
    {
      reply_storage_unavailable (req, error);
      return;
    }

  if (error->domain != FEST_ERROR || error->code == FEST_ERROR_INTERNAL)
    {
      g_warning ("%s %s failed: %s", fest_request_get_method (req), req->path, error->message);
      fest_request_reply_error (req, FEST_ERROR_INTERNAL, "Internal error", NULL);
      return;
    }

  details = fest_error_get_details (error);
  fest_request_reply_error (req, error->code, error->message,
                            details != NULL ? json_node_copy (details) : NULL);
}

void
fest_request_reply_bytes (FestRequest *req,
                          guint        status,
                          const char  *content_type,
                          GBytes      *body)
{
  if (req->replied)
    {
      g_critical ("Request %s %s replied twice", fest_request_get_method (req), req->path);
      return;
    }
  req->replied = TRUE;
  if (req->finished)
    return;

  /* The body is referenced, not copied. */
  soup_server_message_set_status (req->msg, status, NULL);
  soup_message_headers_set_content_type (soup_server_message_get_response_headers (req->msg),
                                         content_type, NULL);
  soup_message_body_truncate (soup_server_message_get_response_body (req->msg));
  soup_message_body_append_bytes (soup_server_message_get_response_body (req->msg), body);
  soup_message_body_complete (soup_server_message_get_response_body (req->msg));
  if (req->paused)
    soup_server_message_unpause (req->msg);
}

/* Streamed replies: one piece at a time, the next one asked for once the previous one is written,
 * so that memory stays constant whatever the size of the whole. */
typedef struct
{
  SoupServerMessage *msg;
  FestStreamFunc     func;
  gpointer           data;
  GDestroyNotify     destroy;
  gboolean           done;
  GString           *buffer;   /* every piece, in turn */
} StreamState;

static void
stream_state_free (gpointer data,
                   GClosure *closure G_GNUC_UNUSED)
{
  StreamState *state = data;

  if (state->destroy != NULL)
    state->destroy (state->data);
  g_string_free (state->buffer, TRUE);
  g_free (state);
}

static void
stream_next (StreamState *state)
{
  SoupMessageBody *body = soup_server_message_get_response_body (state->msg);
  GString *piece = state->buffer;
  gboolean more;

  if (state->done)
    return;
  do
    {
      g_string_truncate (piece, 0);
      more = state->func (piece, state->data);
    }
  while (piece->len == 0 && more);
  if (piece->len > 0)
    {
      /* The body takes its own reference; once written, it drops the piece (no accumulation). */
      g_autoptr(GBytes) bytes = g_bytes_new (piece->str, piece->len);

      soup_message_body_append_bytes (body, bytes);
    }
  if (!more)
    {
      state->done = TRUE;
      if (state->destroy != NULL)
        state->destroy (state->data);
      state->destroy = NULL;
      state->data = NULL;
      soup_message_body_complete (body);
    }
  /* Called from "wrote-headers" or "wrote-chunk", while libsoup is writing: it finds the new piece
   * (or the end) without being unpaused. Nothing is appended before the headers are out: a body
   * completed that early has its last chunk written before them. */
}

static void
stream_wrote_cb (SoupServerMessage *msg G_GNUC_UNUSED,
                 StreamState       *state)
{
  stream_next (state);
}

void
fest_request_reply_stream (FestRequest    *req,
                           guint           status,
                           const char     *content_type,
                           const char     *content_disposition,
                           FestStreamFunc  func,
                           gpointer        data,
                           GDestroyNotify  destroy)
{
  SoupMessageHeaders *headers;
  StreamState *state;

  if (req->replied)
    {
      g_critical ("Request %s %s replied twice", fest_request_get_method (req), req->path);
      if (destroy != NULL)
        destroy (data);
      return;
    }
  req->replied = TRUE;
  if (req->finished)
    {
      if (destroy != NULL)
        destroy (data);
      return;
    }

  headers = soup_server_message_get_response_headers (req->msg);
  soup_server_message_set_status (req->msg, status, NULL);
  soup_message_headers_set_content_type (headers, content_type, NULL);
  if (content_disposition != NULL)
    soup_message_headers_replace (headers, "Content-Disposition", content_disposition);
  soup_message_headers_set_encoding (headers, SOUP_ENCODING_EOF);
  soup_message_body_truncate (soup_server_message_get_response_body (req->msg));
  soup_message_body_set_accumulate (soup_server_message_get_response_body (req->msg), FALSE);

  state = g_new0 (StreamState, 1);
  state->msg = req->msg;
  state->func = func;
  state->data = data;
  state->destroy = destroy;
  state->buffer = g_string_sized_new (FEST_STREAM_PIECE_SIZE + 4096);
  g_signal_connect (req->msg, "wrote-headers", G_CALLBACK (stream_wrote_cb), state);
  g_signal_connect_data (req->msg, "wrote-chunk", G_CALLBACK (stream_wrote_cb), state, stream_state_free, 0);
  if (req->paused)
    {
      req->paused = FALSE;
      soup_server_message_unpause (req->msg);
    }
}

gboolean
fest_request_has_replied (FestRequest *req)
{
  return req->replied;
}

void
_fest_message_reply_error (SoupServerMessage *msg,
                           FestErrorCode      code,
                           const char        *message,
                           JsonNode          *details)
{
  g_autoptr(JsonNode) envelope = fest_json_envelope_error (code, message, details);
  gsize length = 0;
  char *text = fest_json_to_string (envelope, &length);

  soup_server_message_set_status (msg, fest_error_code_to_status (code), NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE, text,
                                    length);
}
