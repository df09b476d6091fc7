/* fest-ticket-code.c: signed ticket QR codes (Ed25519 over a compact JSON payload)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <sodium.h>

#include "fest-core.h"
#include "fest-id-private.h"
#include "fest-ticket-code.h"

#define TICKET_PREFIX "FT1."
/* A QR code holds at most 4296 alphanumeric characters; anything longer is not a ticket. */
#define TICKET_MAX_LENGTH 4096
#define PAYLOAD_MAX_BYTES (TICKET_MAX_LENGTH * 3 / 4 + 1)
#define SIGNATURE_B64_CHARS 86 /* 64 bytes in unpadded base64 */

void
fest_ticket_payload_clear (FestTicketPayload *payload)
{
  if (payload == NULL)
    return;

  g_clear_pointer (&payload->ticket_id, g_free);
  g_clear_pointer (&payload->festival_id, g_free);
  g_clear_pointer (&payload->type_code, g_free);
  g_clear_pointer (&payload->holder, g_free);
  g_clear_pointer (&payload->valid_from, g_free);
  g_clear_pointer (&payload->valid_until, g_free);
}

void
fest_ticket_keypair_new (guint8 public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                         guint8 secret_key[FEST_TICKET_SECRET_KEY_BYTES])
{
  G_STATIC_ASSERT (FEST_TICKET_PUBLIC_KEY_BYTES == crypto_sign_PUBLICKEYBYTES);
  G_STATIC_ASSERT (FEST_TICKET_SECRET_KEY_BYTES == crypto_sign_SECRETKEYBYTES);

  g_return_if_fail (public_key != NULL);
  g_return_if_fail (secret_key != NULL);

  fest_core_init ();
  crypto_sign_keypair (public_key, secret_key);
}

char *
fest_base64url_encode (const guint8 *data,
                       gsize         len)
{
  gsize size = sodium_base64_ENCODED_LEN (len, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  char *out = g_malloc (size);

  g_return_val_if_fail (data != NULL || len == 0, NULL);

  fest_core_init ();
  sodium_bin2base64 (out, size, len > 0 ? data : (const guint8 *) "", len,
                     sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return out;
}

/* Decodes exactly @text_len characters into @out; FALSE on any invalid or extra character. */
static gboolean
base64url_decode_into (const char *text,
                       gsize       text_len,
                       guint8     *out,
                       gsize       out_size,
                       gsize      *out_len)
{
  const char *end = NULL;
  size_t decoded = 0;

  /* libsodium 1.0.18 reads a byte >= 0x80 as a digit (its sign-extended char compares equal to
   * '_'): the same bytes would have many codes. Only the RFC 4648 §5 alphabet is base64url. */
  for (gsize i = 0; i < text_len; i++)
    if (!g_ascii_isalnum (text[i]) && text[i] != '-' && text[i] != '_')
      return FALSE;

  if (sodium_base642bin (out, out_size, text, text_len, NULL, &decoded, &end,
                         sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0)
    return FALSE;

  if (end != text + text_len)
    return FALSE;

  *out_len = decoded;
  return TRUE;
}

guint8 *
fest_base64url_decode (const char *text,
                       gsize       text_len,
                       gsize      *out_len)
{
  g_autofree guint8 *out = NULL;
  gsize decoded = 0;

  g_return_val_if_fail (text != NULL || text_len == 0, NULL);
  g_return_val_if_fail (out_len != NULL, NULL);

  fest_core_init ();

  /* One spare byte so that an empty input still gets a non-NULL buffer. */
  out = g_malloc (text_len * 3 / 4 + 1);
  if (text_len > 0 && !base64url_decode_into (text, text_len, out, text_len * 3 / 4 + 1, &decoded))
    return NULL;

  *out_len = decoded;
  return g_steal_pointer (&out);
}

static void
append_json_string (GString    *out,
                    const char *value)
{
  g_string_append_c (out, '"');
  for (const char *p = value != NULL ? value : ""; *p != '\0'; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        {
          g_string_append_c (out, '\\');
          g_string_append_c (out, c);
        }
      else if (c < 0x20)
        {
          g_string_append_printf (out, "\\u%04x", c);
        }
      else
        {
          g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

char *
fest_ticket_code_sign (const FestTicketPayload *payload,
                       const guint8             secret_key[FEST_TICKET_SECRET_KEY_BYTES])
{
  g_autoptr(GString) json = g_string_new ("{");
  g_autofree char *payload_b64 = NULL;
  g_autofree char *signature_b64 = NULL;
  guint8 signature[crypto_sign_BYTES];

  g_return_val_if_fail (payload != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);
  g_return_val_if_fail (payload->ticket_id != NULL && payload->festival_id != NULL, NULL);
  g_return_val_if_fail (payload->type_code != NULL, NULL);
  g_return_val_if_fail (payload->valid_from != NULL && payload->valid_until != NULL, NULL);
  g_return_val_if_fail (g_utf8_validate (payload->holder != NULL ? payload->holder : "", -1, NULL),
                        NULL);

  fest_core_init ();

  /* Written by hand so that the key order is fixed (t, f, k, h, nb, na) and the output is the
   * same bytes on every build. */
  g_string_append (json, "\"t\":");
  append_json_string (json, payload->ticket_id);
  g_string_append (json, ",\"f\":");
  append_json_string (json, payload->festival_id);
  g_string_append (json, ",\"k\":");
  append_json_string (json, payload->type_code);
  g_string_append (json, ",\"h\":");
  append_json_string (json, payload->holder);
  g_string_append (json, ",\"nb\":");
  append_json_string (json, payload->valid_from);
  g_string_append (json, ",\"na\":");
  append_json_string (json, payload->valid_until);
  g_string_append_c (json, '}');

  crypto_sign_detached (signature, NULL, (const guint8 *) json->str, json->len, secret_key);

  payload_b64 = fest_base64url_encode ((const guint8 *) json->str, json->len);
  signature_b64 = fest_base64url_encode (signature, sizeof signature);

  return g_strconcat (TICKET_PREFIX, payload_b64, ".", signature_b64, NULL);
}

static char *
dup_string_member (JsonObject *object,
                   const char *member,
                   gboolean    allow_empty)
{
  JsonNode *node = json_object_get_member (object, member);
  const char *value;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  value = json_node_get_string (node);
  if (!allow_empty && value[0] == '\0')
    return NULL;

  return g_strdup (value);
}

static gboolean
parse_payload (const guint8      *data,
               gsize              len,
               FestTicketPayload *payload)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  FestTicketPayload parsed = { 0 };

  /* The strict parser of request bodies: json-glib alone accepts more than JSON, lets escapes
   * make text that is not UTF-8, and leaks on some malformed input (tests/fuzz/fuzz-ticket-code). */
  root = fest_json_parse ((const char *) data, (gssize) len, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);

  parsed.ticket_id = dup_string_member (object, "t", FALSE);
  parsed.festival_id = dup_string_member (object, "f", FALSE);
  parsed.type_code = dup_string_member (object, "k", FALSE);
  parsed.holder = json_object_has_member (object, "h") ? dup_string_member (object, "h", TRUE)
                                                       : g_strdup ("");
  parsed.valid_from = dup_string_member (object, "nb", FALSE);
  parsed.valid_until = dup_string_member (object, "na", FALSE);

  if (parsed.ticket_id == NULL || parsed.festival_id == NULL || parsed.type_code == NULL ||
      parsed.holder == NULL || parsed.valid_from == NULL || parsed.valid_until == NULL)
    {
      fest_ticket_payload_clear (&parsed);
      return FALSE;
    }

  *payload = parsed;
  return TRUE;
}

FestTicketCodeStatus
fest_ticket_code_verify (const char        *qr,
                         const guint8       public_key[FEST_TICKET_PUBLIC_KEY_BYTES],
                         const char        *festival_id,
                         GDateTime         *now,
                         FestTicketPayload *payload)
{
  guint8 payload_bytes[PAYLOAD_MAX_BYTES];
  guint8 signature[crypto_sign_BYTES];
  FestTicketPayload parsed = { 0 };
  const char *payload_b64;
  const char *dot;
  gsize qr_len;
  gsize payload_len = 0;
  gsize signature_len = 0;
  gint64 valid_from, valid_until, now_usec;
  FestTicketCodeStatus status = FEST_TICKET_CODE_VALID;

  g_return_val_if_fail (public_key != NULL, FEST_TICKET_CODE_MALFORMED);

  if (qr == NULL || !g_str_has_prefix (qr, TICKET_PREFIX))
    return FEST_TICKET_CODE_MALFORMED;

  qr_len = strnlen (qr, TICKET_MAX_LENGTH + 1);
  if (qr_len > TICKET_MAX_LENGTH)
    return FEST_TICKET_CODE_MALFORMED;

  payload_b64 = qr + strlen (TICKET_PREFIX);
  dot = strchr (payload_b64, '.');
  if (dot == NULL || dot == payload_b64)
    return FEST_TICKET_CODE_MALFORMED;

  /* The signature part is exactly 86 characters: this also refuses a third dot. */
  if (qr + qr_len - (dot + 1) != SIGNATURE_B64_CHARS)
    return FEST_TICKET_CODE_MALFORMED;

  fest_core_init ();

  if (!base64url_decode_into (dot + 1, SIGNATURE_B64_CHARS, signature, sizeof signature,
                              &signature_len) ||
      signature_len != sizeof signature)
    return FEST_TICKET_CODE_MALFORMED;

  if (!base64url_decode_into (payload_b64, dot - payload_b64, payload_bytes,
                              sizeof payload_bytes, &payload_len) ||
      payload_len == 0)
    return FEST_TICKET_CODE_MALFORMED;

  if (crypto_sign_verify_detached (signature, payload_bytes, payload_len, public_key) != 0)
    return FEST_TICKET_CODE_BAD_SIGNATURE;

  /* Only parsed once signed: an attacker cannot reach the JSON parser with forged input. */
  if (!parse_payload (payload_bytes, payload_len, &parsed))
    return FEST_TICKET_CODE_MALFORMED;

  if (!_fest_time_parse_unix_usec (parsed.valid_from, &valid_from) ||
      !_fest_time_parse_unix_usec (parsed.valid_until, &valid_until))
    {
      fest_ticket_payload_clear (&parsed);
      return FEST_TICKET_CODE_MALFORMED;
    }

  if (festival_id != NULL && !g_str_equal (festival_id, parsed.festival_id))
    {
      status = FEST_TICKET_CODE_WRONG_FESTIVAL;
    }
  else if (now != NULL)
    {
      now_usec = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
      if (now_usec < valid_from)
        status = FEST_TICKET_CODE_NOT_YET_VALID;
      else if (now_usec >= valid_until)
        status = FEST_TICKET_CODE_EXPIRED;
    }

  if (payload != NULL)
    *payload = parsed;
  else
    fest_ticket_payload_clear (&parsed);

  return status;
}

const char *
fest_ticket_code_status_to_string (FestTicketCodeStatus status)
{
  switch (status)
    {
    case FEST_TICKET_CODE_VALID:
      return "VALID";
    case FEST_TICKET_CODE_MALFORMED:
      return "MALFORMED";
    case FEST_TICKET_CODE_BAD_SIGNATURE:
      return "BAD_SIGNATURE";
    case FEST_TICKET_CODE_WRONG_FESTIVAL:
      return "WRONG_FESTIVAL";
    case FEST_TICKET_CODE_NOT_YET_VALID:
      return "NOT_YET_VALID";
    case FEST_TICKET_CODE_EXPIRED:
      return "EXPIRED";
    default:
      return NULL;
    }
}
