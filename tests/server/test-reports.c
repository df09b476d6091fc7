/* test-reports.c: GET /reports/sales, /reports/vat, /reports/summary and /reports/lines (issue 19)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real server: the report figures equal the ledger summed here from the rows the server
 * answered with (lines and their stored VAT); the CSV exports parse with a strict RFC 4180 reader;
 * bad input, the wrong role and another festival's ledger.
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-test-server.h"

typedef struct
{
  FestTestServer  *server;
  FestTestFestival fest;
  char            *bar;
  char            *food;
  char            *beer;       /* bar, 5.50, 20 %, drinks */
  char            *shirt;      /* bar, 20.00, 20 %, merch, a name that needs quoting */
  char            *crepe;      /* food, 4.20, 5.5 %, food */
  char            *w1;
  char            *w2;
  char            *cashier_token;
} Fixture;

/* Sums computed from the server's own answers to POST /transactions. */
typedef struct
{
  gint64 quantity, amount, vat;
  gint64 bar_amount, food_amount;
  gint64 vat20_gross, vat20_vat, vat55_gross, vat55_vat;
  gint64 payments, payment_amount, cancels, cancel_amount, refunds, refund_amount;
  gint64 cash, card, comp;
} Expected;

static Expected expected;

static char *
create (Fixture    *f,
        const char *path,
        const char *body)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "POST", path, f->fest.organiser_token, body, &reply), ==, 201);
  return g_strdup (fest_test_json_string (reply, "data.id"));
}

static guint
post_tx (Fixture     *f,
         const char  *token,
         JsonNode   **reply,
         const char  *format,
         ...) G_GNUC_PRINTF (4, 5);

static guint
post_tx (Fixture     *f,
         const char  *token,
         JsonNode   **reply,
         const char  *format,
         ...)
{
  g_autofree char *key = fest_uuid_new ();
  g_autofree char *body = NULL;
  g_autoptr(GBytes) bytes = NULL;
  const char *headers[] = { "Idempotency-Key", key, NULL };
  va_list args;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);
  bytes = g_bytes_new (body, strlen (body));
  return fest_test_server_request_full (f->server, "POST", "/transactions", token, "application/json", bytes, headers,
                                        NULL, reply);
}

/* Adds a PAYMENT's or CANCEL's lines, as the server stored them, to the expected figures. */
static void
account_row (JsonNode *reply)
{
  const char *type = fest_test_json_string (reply, "data.type");
  JsonArray *lines = json_node_get_array (fest_test_json_get (reply, "data.lines"));
  gint64 sign = g_str_equal (type, "CANCEL") ? -1 : 1;

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line = json_array_get_object_element (lines, i);
      gint64 quantity = json_object_get_int_member (line, "quantity");
      gint64 amount = quantity * json_object_get_int_member (line, "unit_price");
      gint64 vat = json_object_get_int_member (line, "vat_amount");
      double rate = json_object_get_double_member (line, "vat_rate");

      expected.quantity += sign * quantity;
      expected.amount += sign * amount;
      expected.vat += sign * vat;
      if (rate == 20.0)
        {
          expected.vat20_gross += sign * amount;
          expected.vat20_vat += sign * vat;
        }
      else
        {
          g_assert_cmpfloat (rate, ==, 5.5);
          expected.vat55_gross += sign * amount;
          expected.vat55_vat += sign * vat;
        }
    }
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *payment3 = NULL;
  g_autofree char *payment2 = NULL;

  memset (&expected, 0, sizeof expected);
  f->server = fest_test_server_new (FEST_TEST_SERVER_DEFAULT);
  fest_test_server_setup_festival (f->server, "Reports fest", &f->fest);
  f->cashier_token = fest_test_server_add_member (f->server, f->fest.organiser_token, f->fest.festival_id,
                                                  "cashier@test.festivals", "CASHIER", NULL);
  f->bar = create (f, "/stands", "{\"name\":\"Bar, \\\"Nord\\\"\",\"type\":\"BAR\"}");
  f->food = create (f, "/stands", "{\"name\":\"Crêpes\",\"type\":\"FOOD\"}");
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Beer\",\"price\":550,\"vat_rate\":20,\"category\":\"drinks\"}",
                          f->bar);
  f->beer = create (f, "/products", body);
  g_free (g_steal_pointer (&body));
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"T-shirt \\\"Logo\\\"; noir\",\"price\":2000,\"vat_rate\":20,"
                          "\"category\":\"merch\"}", f->bar);
  f->shirt = create (f, "/products", body);
  g_free (g_steal_pointer (&body));
  body = g_strdup_printf ("{\"stand_id\":\"%s\",\"name\":\"Crêpe\",\"price\":420,\"vat_rate\":5.5,\"category\":\"food\"}",
                          f->food);
  f->crepe = create (f, "/products", body);
  f->w1 = create (f, "/wallets", "{}");
  f->w2 = create (f, "/wallets", "{}");

  /* Recharges: cash, card, comp. */
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":10000,"
                             "\"payment_method\":\"CASH\"}", f->w1), ==, 201);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":5000,"
                             "\"payment_method\":\"CARD\"}", f->w2), ==, 201);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":700,"
                             "\"payment_method\":\"CASH\"}", f->w2), ==, 201);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":300,"
                             "\"payment_method\":\"COMP\"}", f->w2), ==, 201);
  /* Without a method (as before issue 19): read as CASH. */
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":100}",
                             f->w2), ==, 201);
  expected.cash = 10800;
  expected.card = 5000;
  expected.comp = 300;

  /* Sales: 2 beers + 1 shirt at the bar; 3 crêpes; 1 beer then its CANCEL; a partial REFUND. */
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, &reply, "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                             "\"lines\":[{\"product_id\":\"%s\",\"quantity\":2},{\"product_id\":\"%s\",\"quantity\":1}]}",
                             f->w1, f->bar, f->beer, f->shirt), ==, 201);
  account_row (reply);
  expected.bar_amount += 3100;
  expected.payments++;
  expected.payment_amount += 3100;
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, &reply, "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                             "\"lines\":[{\"product_id\":\"%s\",\"quantity\":3}]}", f->w2, f->food, f->crepe), ==, 201);
  account_row (reply);
  payment2 = g_strdup (fest_test_json_string (reply, "data.id"));
  expected.food_amount += 1260;
  expected.payments++;
  expected.payment_amount += 1260;
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, &reply, "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                             "\"lines\":[{\"product_id\":\"%s\",\"quantity\":1}]}", f->w1, f->bar, f->beer), ==, 201);
  account_row (reply);
  payment3 = g_strdup (fest_test_json_string (reply, "data.id"));
  expected.payments++;
  expected.payment_amount += 550;
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, &reply, "{\"type\":\"CANCEL\",\"reference\":\"%s\"}", payment3),
                    ==, 201);
  g_assert_cmpstr (fest_test_json_string (reply, "data.type"), ==, "CANCEL");
  account_row (reply);
  expected.cancels++;
  expected.cancel_amount += 550;
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, &reply, "{\"type\":\"REFUND\",\"reference\":\"%s\",\"amount\":420}",
                             payment2), ==, 201);
  expected.refunds++;
  expected.refund_amount += 420;
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_free (f->bar);
  g_free (f->food);
  g_free (f->beer);
  g_free (f->shirt);
  g_free (f->crepe);
  g_free (f->w1);
  g_free (f->w2);
  g_free (f->cashier_token);
  fest_test_festival_clear (&f->fest);
  fest_test_server_free (f->server);
}

static JsonNode *
get_json (Fixture    *f,
          const char *path,
          guint       expected_status)
{
  JsonNode *reply = NULL;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", path, f->fest.organiser_token, NULL, &reply), ==,
                    expected_status);
  return reply;
}

static JsonObject *
find_row (JsonNode   *reply,
          const char *array_path,
          const char *member,
          const char *value)
{
  JsonArray *rows = json_node_get_array (fest_test_json_get (reply, array_path));

  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      if (g_strcmp0 (json_object_get_string_member (row, member), value) == 0)
        return row;
    }
  return NULL;
}

static void
test_sales (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(JsonNode) festival = NULL;
  g_autofree char *festival_path = g_strdup_printf ("/festivals/%s", f->fest.festival_id);
  const char *groups[] = { "stand", "product", "category", "hour", "operator", "vat_rate" };
  gint64 rate;
  JsonObject *row;

  g_assert_cmpuint (fest_test_server_request (f->server, "GET", festival_path, f->fest.organiser_token, NULL, &festival),
                    ==, 200);
  rate = fest_test_json_int (festival, "data.exchange_rate_cents");

  /* Every grouping adds up to the same totals: the ledger's lines, the CANCEL negative. */
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    {
      g_autofree char *path = g_strdup_printf ("/reports/sales?group_by=%s", groups[i]);
      JsonArray *rows;
      gint64 quantity = 0, amount = 0, vat = 0;

      g_clear_pointer (&reply, json_node_unref);
      reply = get_json (f, path, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.group_by"), ==, groups[i]);
      g_assert_cmpint (fest_test_json_int (reply, "data.totals.quantity"), ==, expected.quantity);
      g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount"), ==, expected.amount);
      g_assert_cmpint (fest_test_json_int (reply, "data.totals.vat_amount"), ==, expected.vat);
      g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount_eur_cents"), ==, expected.amount * rate / 100);
      rows = json_node_get_array (fest_test_json_get (reply, "data.rows"));
      for (guint j = 0; j < json_array_get_length (rows); j++)
        {
          JsonObject *r = json_array_get_object_element (rows, j);

          quantity += json_object_get_int_member (r, "quantity");
          amount += json_object_get_int_member (r, "amount");
          vat += json_object_get_int_member (r, "vat_amount");
          g_assert_true (json_object_has_member (r, "key"));
          g_assert_true (json_object_has_member (r, "label"));
          g_assert_cmpint (json_object_get_int_member (r, "amount_eur_cents"), ==,
                           json_object_get_int_member (r, "amount") * rate / 100);
        }
      g_assert_cmpint (quantity, ==, expected.quantity);
      g_assert_cmpint (amount, ==, expected.amount);
      g_assert_cmpint (vat, ==, expected.vat);
    }
  /* 2 + 1 shirts/beers + 3 crêpes + 1 beer − 1 beer (cancelled) */
  g_assert_cmpint (expected.quantity, ==, 6);
  g_assert_cmpint (expected.amount, ==, 3100 + 1260);

  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?group_by=stand", 200);
  row = find_row (reply, "data.rows", "key", f->bar);
  g_assert_nonnull (row);
  g_assert_cmpstr (json_object_get_string_member (row, "label"), ==, "Bar, \"Nord\"");
  g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, expected.bar_amount);
  row = find_row (reply, "data.rows", "key", f->food);
  g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, expected.food_amount);

  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?group_by=product", 200);
  row = find_row (reply, "data.rows", "key", f->beer);
  g_assert_cmpint (json_object_get_int_member (row, "quantity"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, 1100);

  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?group_by=category", 200);
  row = find_row (reply, "data.rows", "key", "merch");
  g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, 2000);

  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?group_by=operator", 200);
  row = find_row (reply, "data.rows", "key", f->fest.organiser_id);
  g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, expected.amount);

  /* A period before everything is empty; a date range including today has it all. */
  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?from=2001-01-01&to=2001-12-31", 200);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (fest_test_json_get (reply, "data.rows"))), ==, 0);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  reply = get_json (f, "/reports/sales?from=2001-01-01T00:00:00Z&to=2999-12-31", 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount"), ==, expected.amount);
  g_assert_cmpstr (fest_test_json_string (reply, "data.from"), ==, "2001-01-01T00:00:00Z");
}

static void
test_vat (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(JsonNode) reply = get_json (f, "/reports/vat", 200);
  JsonArray *rates = json_node_get_array (fest_test_json_get (reply, "data.rates"));
  JsonObject *r20, *r55;

  g_assert_cmpuint (json_array_get_length (rates), ==, 2);
  r20 = json_array_get_object_element (rates, 0);
  r55 = json_array_get_object_element (rates, 1);
  g_assert_cmpfloat (json_object_get_double_member (r20, "rate"), ==, 20.0);
  g_assert_cmpfloat (json_object_get_double_member (r55, "rate"), ==, 5.5);
  /* VAT is the sum of the lines' stored VAT, not recomputed from the gross. */
  g_assert_cmpint (json_object_get_int_member (r20, "gross"), ==, expected.vat20_gross);
  g_assert_cmpint (json_object_get_int_member (r20, "vat"), ==, expected.vat20_vat);
  g_assert_cmpint (json_object_get_int_member (r20, "net"), ==, expected.vat20_gross - expected.vat20_vat);
  g_assert_cmpint (json_object_get_int_member (r55, "gross"), ==, expected.vat55_gross);
  g_assert_cmpint (json_object_get_int_member (r55, "vat"), ==, expected.vat55_vat);
  g_assert_cmpint (json_object_get_int_member (r55, "net"), ==, expected.vat55_gross - expected.vat55_vat);
  /* 3 crêpes at 4.20 with 5.5 %: one line, round(1260 × 55 / 1055) = 66 */
  g_assert_cmpint (expected.vat55_vat, ==, 66);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.vat"), ==, expected.vat);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.gross"), ==, expected.amount);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.net"), ==, expected.amount - expected.vat);
}

static void
test_summary (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(JsonNode) reply = get_json (f, "/reports/summary", 200);
  JsonObject *cash = find_row (reply, "data.recharges", "payment_method", "CASH");
  JsonObject *card = find_row (reply, "data.recharges", "payment_method", "CARD");
  gint64 outstanding = expected.cash + expected.card + expected.comp - expected.payment_amount + expected.cancel_amount
                       + expected.refund_amount;

  g_assert_nonnull (cash);
  g_assert_nonnull (card);
  g_assert_cmpint (json_object_get_int_member (cash, "amount"), ==, expected.cash);
  g_assert_cmpint (json_object_get_int_member (cash, "count"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (find_row (reply, "data.recharges", "payment_method", "COMP"), "amount"),
                   ==, expected.comp);
  g_assert_cmpint (json_object_get_int_member (card, "amount"), ==, expected.card);
  g_assert_null (find_row (reply, "data.recharges", "payment_method", "ONLINE"));
  g_assert_cmpint (fest_test_json_int (reply, "data.recharges_total.amount"), ==,
                   expected.cash + expected.card + expected.comp);
  g_assert_cmpint (fest_test_json_int (reply, "data.payments.count"), ==, expected.payments);
  g_assert_cmpint (fest_test_json_int (reply, "data.payments.amount"), ==, expected.payment_amount);
  g_assert_cmpint (fest_test_json_int (reply, "data.cancels.count"), ==, expected.cancels);
  g_assert_cmpint (fest_test_json_int (reply, "data.cancels.amount"), ==, expected.cancel_amount);
  g_assert_cmpint (fest_test_json_int (reply, "data.refunds.count"), ==, expected.refunds);
  g_assert_cmpint (fest_test_json_int (reply, "data.refunds.amount"), ==, expected.refund_amount);
  g_assert_cmpint (fest_test_json_int (reply, "data.payouts.count"), ==, 0);
  g_assert_cmpint (fest_test_json_int (reply, "data.wallets.outstanding_float"), ==, outstanding);
  g_assert_cmpint (fest_test_json_int (reply, "data.wallets.overdrawn_wallets"), ==, 0);
}

/* Strict RFC 4180 reader: fields separated by @sep, records by CRLF, quoted fields with doubled
 * quotes; a bare quote inside an unquoted field, a lone CR or LF, or text after a closing quote
 * fails the test. Returns the records (GPtrArray of GStrv). */
static GPtrArray *
parse_csv (const char *text,
           gsize       len,
           char        sep)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  GPtrArray *fields = g_ptr_array_new ();
  GString *field = g_string_new (NULL);
  gsize i = 0;

  g_assert_true (len >= 2 && text[len - 2] == '\r' && text[len - 1] == '\n');
  while (i < len)
    {
      if (text[i] == '"')
        {
          i++;
          for (;;)
            {
              g_assert_cmpuint (i, <, len);
              if (text[i] == '"')
                {
                  if (i + 1 < len && text[i + 1] == '"')
                    {
                      g_string_append_c (field, '"');
                      i += 2;
                      continue;
                    }
                  i++;
                  break;
                }
              g_string_append_c (field, text[i++]);
            }
          g_assert_true (i < len && (text[i] == sep || text[i] == '\r'));
        }
      else
        while (i < len && text[i] != sep && text[i] != '\r')
          {
            g_assert_true (text[i] != '"' && text[i] != '\n');
            g_string_append_c (field, text[i++]);
          }
      g_ptr_array_add (fields, g_strdup (field->str));
      g_string_truncate (field, 0);
      g_assert_cmpuint (i, <, len);
      if (text[i] == sep)
        i++;
      else
        {
          g_assert_true (i + 1 < len && text[i + 1] == '\n');
          i += 2;
          g_ptr_array_add (fields, NULL);
          g_ptr_array_add (records, g_ptr_array_free (fields, FALSE));
          fields = g_ptr_array_new ();
        }
    }
  g_ptr_array_free (fields, TRUE);
  g_string_free (field, TRUE);
  /* Every record as wide as the header. */
  for (guint r = 1; r < records->len; r++)
    g_assert_cmpuint (g_strv_length (records->pdata[r]), ==, g_strv_length (records->pdata[0]));
  return records;
}

static GBytes *
get_raw (Fixture             *f,
         const char          *path,
         const char          *token,
         guint                expected_status,
         SoupMessageHeaders **headers)
{
  g_autofree char *uri = g_strconcat (fest_test_server_get_url (f->server), "/api/v1", path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);
  g_autoptr(GError) error = NULL;
  GBytes *body;

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  body = soup_session_send_and_read (fest_test_server_get_session (f->server), msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, expected_status);
  if (headers != NULL)
    *headers = soup_message_headers_ref (soup_message_get_response_headers (msg));
  return body;
}

/* "12.50" / "12,50" → 1250 */
static gint64
parse_money (const char *text,
             char        decimal)
{
  const char *point = strchr (text, decimal);
  gint64 units, cents;
  gboolean negative = text[0] == '-';

  g_assert_nonnull (point);
  g_assert_cmpuint (strlen (point), ==, 3);
  units = g_ascii_strtoll (text + (negative ? 1 : 0), NULL, 10);
  cents = g_ascii_strtoll (point + 1, NULL, 10);
  return (negative ? -1 : 1) * (units * 100 + cents);
}

static void
check_csv_sales (Fixture    *f,
                 const char *format,
                 char        sep,
                 char        decimal)
{
  g_autofree char *path = g_strdup_printf ("/reports/sales?group_by=product&format=%s&from=2001-01-01&to=2999-12-31",
                                           format);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = get_raw (f, path, f->fest.organiser_token, 200, &headers);
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  gboolean bom = len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0;
  g_autoptr(GPtrArray) records = NULL;
  gint64 amount = 0, vat = 0;
  gboolean saw_shirt = FALSE;

  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Disposition"), ==,
                   "attachment; filename=\"sales-2001-01-01-2999-12-31.csv\"");
  g_assert_true (g_str_has_prefix (soup_message_headers_get_content_type (headers, NULL), "text/csv"));
  g_assert_true (bom == (sep == ';'));
  records = parse_csv (text + (bom ? 3 : 0), len - (bom ? 3 : 0), sep);
  g_assert_cmpstr (((char **) records->pdata[0])[0], ==, "key");
  g_assert_cmpuint (g_strv_length (records->pdata[0]), ==, 6);
  for (guint r = 1; r < records->len; r++)
    {
      char **rec = records->pdata[r];

      amount += parse_money (rec[3], decimal);
      vat += parse_money (rec[4], decimal);
      if (g_str_equal (rec[0], f->shirt))
        {
          saw_shirt = TRUE;
          g_assert_cmpstr (rec[1], ==, "T-shirt \"Logo\"; noir");
          g_assert_cmpstr (rec[3], ==, sep == ';' ? "20,00" : "20.00");
        }
    }
  g_assert_true (saw_shirt);
  g_assert_cmpint (amount, ==, expected.amount);
  g_assert_cmpint (vat, ==, expected.vat);
  /* The quoting is there in the raw text: the name holds a quote (and ';' for Excel-FR). */
  g_assert_nonnull (g_strstr_len (text, len, "\"T-shirt \"\"Logo\"\"; noir\""));
}

static void
test_csv (Fixture       *f,
          gconstpointer  data)
{
  check_csv_sales (f, "csv", ',', '.');
  check_csv_sales (f, "csv-excel-fr", ';', ',');

  /* VAT in Excel-FR: decimal comma on the rate too. */
  {
    g_autoptr(GBytes) body = get_raw (f, "/reports/vat?format=csv-excel-fr", f->fest.organiser_token, 200, NULL);
    gsize len;
    const char *text = g_bytes_get_data (body, &len);
    g_autoptr(GPtrArray) records = parse_csv (text + 3, len - 3, ';');

    g_assert_cmpuint (records->len, ==, 3);
    g_assert_cmpstr (((char **) records->pdata[2])[0], ==, "5,5");
    g_assert_cmpint (parse_money (((char **) records->pdata[2])[2], ','), ==, expected.vat55_vat);
  }
}

static void
check_lines (Fixture    *f,
             const char *format,
             char        sep,
             char        decimal)
{
  g_autofree char *path = g_strdup_printf ("/reports/lines?format=%s", format);
  g_autoptr(SoupMessageHeaders) headers = NULL;
  g_autoptr(GBytes) body = get_raw (f, path, f->fest.organiser_token, 200, &headers);
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  gboolean bom = len >= 3 && memcmp (text, "\xEF\xBB\xBF", 3) == 0;
  g_autoptr(GPtrArray) records = NULL;
  gint64 quantity = 0, amount = 0, vat = 0;

  g_assert_true (bom == (sep == ';'));
  /* Streamed: no length announced, the body ends with the connection. */
  g_assert_cmpint (soup_message_headers_get_encoding (headers), ==, SOUP_ENCODING_EOF);
  g_assert_null (soup_message_headers_get_one (headers, "Content-Length"));
  g_assert_cmpstr (soup_message_headers_get_one (headers, "Content-Disposition"), ==,
                   "attachment; filename=\"lines-all-all.csv\"");
  records = parse_csv (text + (bom ? 3 : 0), len - (bom ? 3 : 0), sep);
  g_assert_cmpstr (((char **) records->pdata[0])[0], ==, "time");
  g_assert_cmpuint (g_strv_length (records->pdata[0]), ==, 13);
  /* 2 lines + 1 + 1 + the CANCEL's copy of 1 */
  g_assert_cmpuint (records->len, ==, 1 + 5);
  for (guint r = 1; r < records->len; r++)
    {
      char **rec = records->pdata[r];

      quantity += g_ascii_strtoll (rec[8], NULL, 10);
      amount += parse_money (rec[10], decimal);
      vat += parse_money (rec[12], decimal);
    }
  g_assert_cmpint (quantity, ==, expected.quantity);
  g_assert_cmpint (amount, ==, expected.amount);
  g_assert_cmpint (vat, ==, expected.vat);
}

static void
test_lines (Fixture       *f,
            gconstpointer  data)
{
  check_lines (f, "csv", ',', '.');
  check_lines (f, "csv-excel-fr", ';', ',');
}

/* A line export larger than one streamed piece arrives whole. */
static void
test_lines_large (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *wallet = create (f, "/wallets", "{}");
  gsize len;
  const char *text;

  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":9000000,"
                             "\"payment_method\":\"CARD\"}", wallet), ==, 201);
  for (guint i = 0; i < 150; i++)
    {
      GString *lines = g_string_new (NULL);

      for (guint j = 0; j < 20; j++)
        g_string_append_printf (lines, "%s{\"product_id\":\"%s\",\"quantity\":1}", j > 0 ? "," : "", f->beer);
      g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                                 "\"lines\":[%s]}", wallet, f->bar, lines->str), ==, 201);
      g_string_free (lines, TRUE);
    }
  body = get_raw (f, "/reports/lines?format=csv", f->fest.organiser_token, 200, NULL);
  text = g_bytes_get_data (body, &len);
  g_assert_cmpuint (len, >, 3 * 64 * 1024);
  records = parse_csv (text, len, ',');
  g_assert_cmpuint (records->len, ==, 1 + 5 + 150 * 20);
}

/* A line export in progress keeps its snapshot to itself: a payment made meanwhile is in the
 * reports asked meanwhile (the export used to hold the shared read connection's snapshot). */
static void
test_lines_own_snapshot (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *wallet = create (f, "/wallets", "{}");
  g_autofree char *uri = NULL;
  g_autofree char *authorization = g_strconcat ("Bearer ", f->fest.organiser_token, NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) before = NULL;
  g_autoptr(JsonNode) after = NULL;
  char buffer[4096];

  /* 80,000 lines (some 16 MB of CSV: more than the sockets' buffers hold), from two offline
   * batches. */
  for (guint batch = 0; batch < 2; batch++)
    {
      GString *body = g_string_new ("{\"device_id\":\"bar-export\",\"operations\":[");
      g_autoptr(JsonNode) reply = NULL;

      for (guint i = 0; i < 2000; i++)
        {
          g_string_append_printf (body, "%s{\"op\":\"transaction.create\",\"idempotency_key\":\"export-%u-%u\","
                                  "\"created_at\":\"2026-07-10T12:00:00Z\",\"payload\":{\"type\":\"PAYMENT\","
                                  "\"wallet_id\":\"%s\",\"stand_id\":\"%s\",\"lines\":[", i > 0 ? "," : "", batch,
                                  i, wallet, f->bar);
          for (guint j = 0; j < 20; j++)
            g_string_append_printf (body, "%s{\"product_id\":\"%s\",\"quantity\":1}", j > 0 ? "," : "", f->beer);
          g_string_append (body, "]}}");
        }
      g_string_append (body, "]}");
      g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->fest.organiser_token, body->str,
                                                  &reply), ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.1999.status"), ==, "applied");
      g_string_free (body, TRUE);
    }
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\",\"amount\":1000,"
                             "\"payment_method\":\"CARD\"}", f->w2), ==, 201);
  before = get_json (f, "/reports/summary", 200);

  /* The export starts; its client reads a little and stops. */
  uri = g_strconcat (fest_test_server_get_url (f->server), "/api/v1/reports/lines?format=csv", NULL);
  msg = soup_message_new ("GET", uri);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", authorization);
  stream = soup_session_send (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpint (g_input_stream_read (stream, buffer, sizeof buffer, NULL, &error), >, 0);

  /* Meanwhile: one more payment, and the summary has it. */
  g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\",\"stand_id\":\"%s\","
                             "\"lines\":[{\"product_id\":\"%s\",\"quantity\":1}]}", f->w2, f->bar, f->beer), ==, 201);
  after = get_json (f, "/reports/summary", 200);
  g_assert_cmpint (fest_test_json_int (after, "data.payments.count"), ==,
                   fest_test_json_int (before, "data.payments.count") + 1);
  g_input_stream_close (stream, NULL, NULL);
}

/* The sums per key of the lines export for a period: what the sales report must say, read from
 * the ledger's lines rather than from the hourly sums. */
typedef struct
{
  GHashTable *amount;     /* key → gint64 (as GINT_TO_POINTER is too small: boxed) */
  gint64      quantity, total, vat;
  gint64      payments;
} LineSums;

static void
line_sums_add (GHashTable *table,
               const char *key,
               gint64      amount)
{
  gint64 *sum = g_hash_table_lookup (table, key);

  if (sum == NULL)
    {
      sum = g_new0 (gint64, 1);
      g_hash_table_insert (table, g_strdup (key), sum);
    }
  *sum += amount;
}

static void
line_sums (Fixture    *f,
           const char *period,
           const char *group_column,   /* "stand_id", "product_id", "vat_rate", "hour" */
           LineSums   *sums)
{
  g_autofree char *path = g_strdup_printf ("/reports/lines?format=csv%s", period);
  g_autoptr(GBytes) body = get_raw (f, path, f->fest.organiser_token, 200, NULL);
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GHashTable) payments = g_hash_table_new (g_str_hash, g_str_equal);
  gsize len;
  const char *text = g_bytes_get_data (body, &len);
  guint column = 0;
  char **header;

  memset (sums, 0, sizeof *sums);
  sums->amount = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  records = parse_csv (text, len, ',');
  header = records->pdata[0];
  if (!g_str_equal (group_column, "hour"))
    for (column = 0; header[column] != NULL && !g_str_equal (header[column], group_column); column++)
      ;
  g_assert_nonnull (header[column]);
  for (guint r = 1; r < records->len; r++)
    {
      char **record = records->pdata[r];
      g_autofree char *hour = g_strndup (record[0], 13);
      gint64 amount = parse_money (record[10], '.');

      line_sums_add (sums->amount, g_str_equal (group_column, "hour") ? hour : record[column], amount);
      sums->quantity += g_ascii_strtoll (record[8], NULL, 10);
      sums->total += amount;
      sums->vat += parse_money (record[12], '.');
      if (g_str_equal (record[2], "PAYMENT"))
        g_hash_table_add (payments, record[1]);
    }
  sums->payments = g_hash_table_size (payments);
}

/* Past a thousand ledger rows the reports read folded hourly sums (migration 12) plus the rows
 * after the checkpoint plus the partial hours at the period's bounds: whatever the period, they
 * say what the lines say. The rows arrive through /sync, stamped over 21 past hours. */
static void
test_folded_hours (Fixture       *f,
                   gconstpointer  data)
{
  const char *products[3] = { f->beer, f->crepe, f->shirt };
  const char *periods[] = {
    "",
    "&from=2026-07-10T12:30:00Z&to=2026-07-10T20:15:00Z",
    "&from=2026-07-10T13:00:00Z&to=2026-07-10T18:00:00Z",
    "&from=2026-07-10T14:10:00Z&to=2026-07-10T14:20:00Z",
    "&from=2026-07-11T05:00:00Z",
    "&to=2026-07-10T11:45:30Z",
  };
  struct { const char *group; const char *column; } groups[] = {
    { "stand", "stand_id" }, { "product", "product_id" }, { "vat_rate", "vat_rate" }, { "hour", "hour" },
  };
  gint64 base = 1783677600;   /* 2026-07-10T10:00:00Z */
  guint op = 0;

  for (guint i = 0; i < 10; i++)
    g_assert_cmpuint (post_tx (f, f->fest.organiser_token, NULL, "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\","
                               "\"amount\":500000,\"payment_method\":\"CARD\"}", f->w1), ==, 201);
  for (guint batch = 0; batch < 5; batch++)
    {
      GString *body = g_string_new ("{\"device_id\":\"bar-folded\",\"operations\":[");
      g_autoptr(JsonNode) reply = NULL;

      for (guint i = 0; i < 250; i++, op++)
        {
          g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (base + op * 61);
          g_autofree char *stamp = g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
          const char *product = products[op % 3];

          g_string_append_printf (body, "%s{\"op\":\"transaction.create\",\"idempotency_key\":\"folded-%u\","
                                  "\"created_at\":\"%s\",\"payload\":{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\","
                                  "\"stand_id\":\"%s\",\"lines\":[{\"product_id\":\"%s\",\"quantity\":%u}]}}",
                                  i > 0 ? "," : "", op, stamp, f->w1, product == f->crepe ? f->food : f->bar,
                                  product, 1 + op % 3);
        }
      g_string_append (body, "]}");
      g_assert_cmpuint (fest_test_server_request (f->server, "POST", "/sync", f->fest.organiser_token, body->str,
                                                  &reply), ==, 200);
      g_assert_cmpstr (fest_test_json_string (reply, "data.results.249.status"), ==, "applied");
      g_string_free (body, TRUE);
    }

  for (guint p = 0; p < G_N_ELEMENTS (periods); p++)
    for (guint g = 0; g < G_N_ELEMENTS (groups); g++)
      {
        g_autofree char *path = g_strdup_printf ("/reports/sales?group_by=%s%s", groups[g].group, periods[p]);
        g_autoptr(JsonNode) reply = get_json (f, path, 200);
        JsonArray *rows = json_node_get_array (fest_test_json_get (reply, "data.rows"));
        LineSums sums;

        line_sums (f, periods[p], groups[g].column, &sums);
        g_assert_cmpint (fest_test_json_int (reply, "data.totals.quantity"), ==, sums.quantity);
        g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount"), ==, sums.total);
        g_assert_cmpint (fest_test_json_int (reply, "data.totals.vat_amount"), ==, sums.vat);
        g_assert_cmpuint (json_array_get_length (rows), ==, g_hash_table_size (sums.amount));
        for (guint r = 0; r < json_array_get_length (rows); r++)
          {
            JsonObject *row = json_array_get_object_element (rows, r);
            g_autofree char *key = g_strndup (json_object_get_string_member (row, "key"), 13);
            const char *lookup = g_str_equal (groups[g].group, "hour") ? key : json_object_get_string_member (row, "key");
            gint64 *amount = g_hash_table_lookup (sums.amount, lookup);

            if (amount == NULL)
              g_error ("%s: no lines for the row %s", path, lookup);
            g_assert_cmpint (json_object_get_int_member (row, "amount"), ==, *amount);
          }
        if (g == 0)
          {
            g_autofree char *summary_path = g_strdup_printf ("/reports/summary?%s", periods[p] + (periods[p][0] != '\0'));
            g_autofree char *vat_path = g_strdup_printf ("/reports/vat?%s", periods[p] + (periods[p][0] != '\0'));
            g_autoptr(JsonNode) summary = get_json (f, summary_path, 200);
            g_autoptr(JsonNode) vat = get_json (f, vat_path, 200);

            g_assert_cmpint (fest_test_json_int (summary, "data.payments.count"), ==, sums.payments);
            g_assert_cmpint (fest_test_json_int (vat, "data.totals.vat"), ==, sums.vat);
          }
        g_hash_table_unref (sums.amount);
      }
}

static void
test_bad_input (Fixture       *f,
                gconstpointer  data)
{
  static const struct { const char *path; const char *field; } cases[] = {
    { "/reports/sales?group_by=weather", "group_by" },
    { "/reports/sales?from=2026-02-30", "from" },
    { "/reports/sales?from=yesterday", "from" },
    { "/reports/sales?to=", "to" },
    { "/reports/sales?from=2026-07-11&to=2026-07-10", "to" },
    { "/reports/sales?format=xlsx", "format" },
    { "/reports/vat?from=2026-07-11T00:00:00Z&to=2026-07-10T23:59:59Z", "to" },
    { "/reports/summary?format=csv", "format" },
    { "/reports/lines", "format" },
    { "/reports/lines?format=csv&to=13:00", "to" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) reply = NULL;

      g_test_message ("%s", cases[i].path);
      reply = get_json (f, cases[i].path, 400);

      fest_test_assert_error (reply, "VALIDATION_FAILED", cases[i].field);
    }
}

static void
test_roles_and_isolation (Fixture       *f,
                          gconstpointer  data)
{
  const char *paths[] = { "/reports/sales", "/reports/vat", "/reports/summary", "/reports/lines?format=csv" };
  g_autofree char *other_id = NULL;
  g_autofree char *other_token = NULL;
  g_autoptr(JsonNode) reply = NULL;

  /* A cashier sells but does not read the books. */
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(JsonNode) denied = NULL;

      g_assert_cmpuint (fest_test_server_request (f->server, "GET", paths[i], f->cashier_token, NULL, &denied), ==, 403);
      fest_test_assert_error (denied, "FORBIDDEN", NULL);
    }
  /* Another festival's organiser sees their own (empty) books, not these. */
  other_id = fest_test_server_create_festival (f->server, f->fest.superadmin_token, "Other fest");
  other_token = fest_test_server_login (f->server, f->fest.superadmin_email, FEST_TEST_PASSWORD, other_id);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/reports/sales", other_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.totals.amount"), ==, 0);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_test_server_request (f->server, "GET", "/reports/summary", other_token, NULL, &reply), ==, 200);
  g_assert_cmpint (fest_test_json_int (reply, "data.recharges_total.amount"), ==, 0);
  g_assert_cmpint (fest_test_json_int (reply, "data.wallets.outstanding_float"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/fest/reports/sales", Fixture, NULL, fixture_setup, test_sales, fixture_teardown);
  g_test_add ("/fest/reports/vat", Fixture, NULL, fixture_setup, test_vat, fixture_teardown);
  g_test_add ("/fest/reports/summary", Fixture, NULL, fixture_setup, test_summary, fixture_teardown);
  g_test_add ("/fest/reports/csv", Fixture, NULL, fixture_setup, test_csv, fixture_teardown);
  g_test_add ("/fest/reports/lines", Fixture, NULL, fixture_setup, test_lines, fixture_teardown);
  g_test_add ("/fest/reports/lines-own-snapshot", Fixture, NULL, fixture_setup, test_lines_own_snapshot,
              fixture_teardown);
  g_test_add ("/fest/reports/lines-large", Fixture, NULL, fixture_setup, test_lines_large, fixture_teardown);
  g_test_add ("/fest/reports/folded-hours", Fixture, NULL, fixture_setup, test_folded_hours, fixture_teardown);
  g_test_add ("/fest/reports/bad-input", Fixture, NULL, fixture_setup, test_bad_input, fixture_teardown);
  g_test_add ("/fest/reports/roles", Fixture, NULL, fixture_setup, test_roles_and_isolation, fixture_teardown);
  return g_test_run ();
}
