/* fest-routes-reports.c: GET /reports/sales, /reports/vat, /reports/summary, /reports/lines
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The finance reports (ORGANISER, FEST_PERM_STATS_READ). The period is ?from=&to=, each optional:
 * an RFC 3339 time, or a date YYYY-MM-DD in the festival's time zone (from: the start of that
 * day; to: the end of that day, so a date range includes both days). Rows count when their
 * created_at is in [from, to). ?format=csv (RFC 4180: ",", "." decimals, CRLF) or
 * ?format=csv-excel-fr (UTF-8 BOM, ";", decimal comma, CRLF) turns sales, vat and lines into a
 * CSV attachment; /reports/lines is CSV only and streamed from a cursor (constant memory).
 */

#include "config.h"

#include <string.h>

#include "fest-core.h"
#include "fest-reports-repo.h"
#include "fest-router.h"
#include "fest-routes.h"
#include "fest-stats.h"

typedef enum
{
  FORMAT_JSON,
  FORMAT_CSV,
  FORMAT_CSV_EXCEL_FR,
} ReportFormat;

typedef struct
{
  char        *from;          /* normalised UTC bounds, nullable */
  char        *to;
  char        *from_text;     /* as given, nullable */
  char        *to_text;
  ReportFormat format;
  gint64       rate_cents;
  char        *currency_name;
} ReportQuery;

static void
report_query_clear (ReportQuery *query)
{
  g_free (query->from);
  g_free (query->to);
  g_free (query->from_text);
  g_free (query->to_text);
  g_free (query->currency_name);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportQuery, report_query_clear)

/* YYYY-MM-DD, a real date. */
static gboolean
parse_date (const char *text,
            int        *year,
            int        *month,
            int        *day)
{
  if (strlen (text) != 10 || text[4] != '-' || text[7] != '-')
    return FALSE;
  for (guint i = 0; i < 10; i++)
    if (i != 4 && i != 7 && !g_ascii_isdigit (text[i]))
      return FALSE;
  *year = atoi (text);
  *month = atoi (text + 5);
  *day = atoi (text + 8);
  return g_date_valid_dmy ((GDateDay) *day, (GDateMonth) *month, (GDateYear) *year);
}

static char *
parse_bound (const char *text,
             GTimeZone  *zone,
             gboolean    is_to)
{
  int year, month, day;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) utc = NULL;

  if (!parse_date (text, &year, &month, &day))
    return fest_time_normalize (text);
  local = g_date_time_new (zone, year, month, day, 0, 0, 0);
  if (local == NULL)
    return NULL;
  if (is_to)
    {
      GDateTime *next = g_date_time_add_days (local, 1);

      g_date_time_unref (local);
      local = next;
    }
  utc = g_date_time_to_utc (local);
  return fest_time_format (utc);
}

/* Reads the period, the format and the festival's currency; on bad input replies 400 naming the
 * parameter and returns FALSE. */
/* A report adds the ledger rows its hourly sums do not hold yet (the ledger folds them every
 * FEST_STATS_FOLD_THRESHOLD rows). More than that (a restart on an imported ledger): fold them
 * now, in the background; this report reads them from the lines. */
static void
fold_if_behind (FestFestivalStore *store)
{
  g_autoptr(GError) error = NULL;
  gint64 unfolded = 0;

  if (!fest_reports_repo_unfolded_rows (store, &unfolded, &error))
    g_warning ("Could not count the unfolded ledger rows: %s", error->message);
  else if (unfolded > FEST_STATS_FOLD_THRESHOLD)
    fest_stats_fold (store);
}

static gboolean
parse_query (FestRequest *req,
             gboolean     csv_allowed,
             ReportQuery *query)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *timezone = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  const char *format = fest_request_get_query (req, "format");
  const char *names[] = { "from", "to" };

  if (format == NULL || g_str_equal (format, "json"))
    query->format = FORMAT_JSON;
  else if (csv_allowed && g_str_equal (format, "csv"))
    query->format = FORMAT_CSV;
  else if (csv_allowed && g_str_equal (format, "csv-excel-fr"))
    query->format = FORMAT_CSV_EXCEL_FR;
  else
    {
      error = fest_error_validation ("format", csv_allowed ? "format must be json, csv or csv-excel-fr"
                                                          : "this report is JSON only");
      fest_request_reply_gerror (req, error);
      return FALSE;
    }

  if (!fest_reports_repo_festival (fest_request_get_store (req), &query->rate_cents, &query->currency_name,
                                   &timezone, &error))
    {
      fest_request_reply_gerror (req, error);
      return FALSE;
    }
  fold_if_behind (fest_request_get_store (req));
  zone = g_time_zone_new_identifier (timezone);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *text = fest_request_get_query (req, names[i]);
      char *bound;

      if (text == NULL)
        continue;
      bound = parse_bound (text, zone, i == 1);
      if (bound == NULL)
        {
          error = fest_error_validation (names[i], "%s must be a date (YYYY-MM-DD) or an RFC 3339 time", names[i]);
          fest_request_reply_gerror (req, error);
          return FALSE;
        }
      if (i == 0)
        {
          query->from = bound;
          query->from_text = g_strdup (text);
        }
      else
        {
          query->to = bound;
          query->to_text = g_strdup (text);
        }
    }
  if (query->from != NULL && query->to != NULL)
    {
      g_autoptr(GDateTime) from_time = fest_time_parse (query->from);
      g_autoptr(GDateTime) to_time = fest_time_parse (query->to);

      /* An empty period is refused too: to=2026-07-10&from=2026-07-11 meets at midnight. */
      if (g_date_time_compare (from_time, to_time) >= 0)
        {
          error = fest_error_validation ("to", "to must be after from");
          fest_request_reply_gerror (req, error);
          return FALSE;
        }
    }
  return TRUE;
}

static gint64
to_eur (const ReportQuery *query,
        gint64             amount)
{
  gint64 eur = 0;

  /* Overflow needs sums beyond 10^16 minor units: report 0 rather than a wrapped figure. */
  if (!fest_money_to_eur_cents (amount, query->rate_cents, &eur))
    return 0;
  return eur;
}

static JsonObject *
period_object (const ReportQuery *query,
               JsonObject        *object)
{
  fest_json_set_nullable_string (object, "from", query->from);
  fest_json_set_nullable_string (object, "to", query->to);
  json_object_set_string_member (object, "currency_name", query->currency_name);
  json_object_set_int_member (object, "exchange_rate_cents", query->rate_cents);
  return object;
}

static void
set_money (JsonObject        *object,
           const ReportQuery *query,
           const char        *member,
           gint64             amount)
{
  g_autofree char *eur = g_strconcat (member, "_eur_cents", NULL);

  json_object_set_int_member (object, member, amount);
  json_object_set_int_member (object, eur, to_eur (query, amount));
}

/* CSV */

typedef struct
{
  GString  *out;
  char      separator;
  char      decimal;
  gboolean  first;
} Csv;

static void
csv_init (Csv          *csv,
          GString      *out,
          ReportFormat  format)
{
  csv->out = out;
  csv->separator = format == FORMAT_CSV_EXCEL_FR ? ';' : ',';
  csv->decimal = format == FORMAT_CSV_EXCEL_FR ? ',' : '.';
  csv->first = TRUE;
}

static void
csv_sep (Csv *csv)
{
  if (!csv->first)
    g_string_append_c (csv->out, csv->separator);
  csv->first = FALSE;
}

/* Quoted when it holds the separator, a quote, CR or LF (quotes doubled). */
static void
csv_text (Csv        *csv,
          const char *text)
{
  csv_sep (csv);
  if (text == NULL)
    return;
  if (strchr (text, csv->separator) == NULL && strpbrk (text, "\"\r\n") == NULL)
    {
      g_string_append (csv->out, text);
      return;
    }
  g_string_append_c (csv->out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (csv->out, '"');
      g_string_append_c (csv->out, *p);
    }
  g_string_append_c (csv->out, '"');
}

static void
csv_int (Csv    *csv,
         gint64  value)
{
  csv_sep (csv);
  g_string_append_printf (csv->out, "%" G_GINT64_FORMAT, value);
}

/* Minor units as units with two decimals: 1250 → 12.50 (12,50). */
static void
csv_money (Csv    *csv,
           gint64  amount)
{
  guint64 magnitude = amount < 0 ? (guint64) 0 - (guint64) amount : (guint64) amount;

  csv_sep (csv);
  g_string_append_printf (csv->out, "%s%" G_GUINT64_FORMAT "%c%02u", amount < 0 ? "-" : "", magnitude / 100,
                          csv->decimal, (guint) (magnitude % 100));
}

/* A VAT rate in basis points as percent: 2000 → 20, 550 → 5.5 (5,5). */
static void
csv_rate (Csv    *csv,
          gint64  rate_bp)
{
  csv_sep (csv);
  g_string_append_printf (csv->out, "%" G_GINT64_FORMAT, rate_bp / 100);
  if (rate_bp % 100 != 0)
    {
      g_autofree char *decimals = g_strdup_printf ("%02d", (int) (rate_bp % 100));

      if (decimals[1] == '0')
        decimals[1] = '\0';
      g_string_append_printf (csv->out, "%c%s", csv->decimal, decimals);
    }
}

static void
csv_end_row (Csv *csv)
{
  g_string_append (csv->out, "\r\n");
  csv->first = TRUE;
}

static GString *
csv_start (ReportFormat format)
{
  GString *out = g_string_new (NULL);

  if (format == FORMAT_CSV_EXCEL_FR)
    g_string_append (out, "\xEF\xBB\xBF");
  return out;
}

/* attachment; filename="<name>-<from>-<to>.csv", the bounds as given (only [0-9A-Za-z-] kept). */
static char *
content_disposition (const ReportQuery *query,
                     const char        *name)
{
  GString *out = g_string_new ("attachment; filename=\"");
  const char *bounds[] = { query->from_text, query->to_text };

  g_string_append (out, name);
  for (guint i = 0; i < G_N_ELEMENTS (bounds); i++)
    {
      g_string_append_c (out, '-');
      if (bounds[i] == NULL)
        g_string_append (out, "all");
      else
        for (const char *p = bounds[i]; *p != '\0'; p++)
          if (g_ascii_isalnum (*p) || *p == '-')
            g_string_append_c (out, *p);
    }
  g_string_append (out, ".csv\"");
  return g_string_free (out, FALSE);
}

static void
reply_csv (FestRequest       *req,
           const ReportQuery *query,
           const char        *name,
           GString           *csv)
{
  g_autofree char *disposition = content_disposition (query, name);
  g_autoptr(GBytes) body = g_string_free_to_bytes (csv);

  soup_message_headers_replace (soup_server_message_get_response_headers (fest_request_get_message (req)),
                                "Content-Disposition", disposition);
  fest_request_reply_bytes (req, SOUP_STATUS_OK, "text/csv; charset=utf-8", body);
}

/* GET /reports/sales?from=&to=&group_by=&format= */

static const struct
{
  const char      *name;
  FestReportGroup  group;
} groups[] = {
  { "stand", FEST_REPORT_GROUP_STAND },
  { "product", FEST_REPORT_GROUP_PRODUCT },
  { "category", FEST_REPORT_GROUP_CATEGORY },
  { "hour", FEST_REPORT_GROUP_HOUR },
  { "operator", FEST_REPORT_GROUP_OPERATOR },
  { "vat_rate", FEST_REPORT_GROUP_VAT_RATE },
};

typedef struct
{
  const ReportQuery *query;
  JsonArray         *rows;
  Csv                csv;
  gint64             quantity;
  gint64             amount;
  gint64             vat_amount;
} SalesState;

static void
add_sales_row (const FestReportRow *row,
               gpointer             user_data)
{
  SalesState *state = user_data;

  state->quantity += row->quantity;
  state->amount += row->amount;
  state->vat_amount += row->vat_amount;
  if (state->rows != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "key", row->key);
      json_object_set_string_member (object, "label", row->label);
      json_object_set_int_member (object, "quantity", row->quantity);
      set_money (object, state->query, "amount", row->amount);
      json_object_set_int_member (object, "vat_amount", row->vat_amount);
      json_array_add_object_element (state->rows, object);
      return;
    }
  csv_text (&state->csv, row->key);
  csv_text (&state->csv, row->label);
  csv_int (&state->csv, row->quantity);
  csv_money (&state->csv, row->amount);
  csv_money (&state->csv, row->vat_amount);
  csv_money (&state->csv, to_eur (state->query, row->amount));
  csv_end_row (&state->csv);
}

static void
get_sales (FestRequest *req)
{
  g_auto(ReportQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  const char *group_by = fest_request_get_query (req, "group_by");
  SalesState state = { 0 };
  FestReportGroup group = FEST_REPORT_GROUP_STAND;
  gboolean known = FALSE;
  GString *csv = NULL;

  if (group_by == NULL)
    group_by = "stand";
  for (guint i = 0; i < G_N_ELEMENTS (groups); i++)
    if (g_str_equal (group_by, groups[i].name))
      {
        group = groups[i].group;
        known = TRUE;
      }
  if (!known)
    {
      error = fest_error_validation ("group_by", "group_by must be stand, product, category, hour, operator or vat_rate");
      return fest_request_reply_gerror (req, error);
    }
  if (!parse_query (req, TRUE, &query))
    return;

  state.query = &query;
  if (query.format == FORMAT_JSON)
    state.rows = json_array_new ();
  else
    {
      csv = csv_start (query.format);
      csv_init (&state.csv, csv, query.format);
      for (const char * const *h = (const char * const[]) { "key", "label", "quantity", "amount", "vat_amount",
                                                             "amount_eur", NULL }; *h != NULL; h++)
        csv_text (&state.csv, *h);
      csv_end_row (&state.csv);
    }

  if (!fest_reports_repo_sales (fest_request_get_store (req), query.from, query.to, group, add_sales_row, &state,
                                &error))
    {
      g_clear_pointer (&state.rows, json_array_unref);
      if (csv != NULL)
        g_string_free (csv, TRUE);
      return fest_request_reply_gerror (req, error);
    }

  if (query.format != FORMAT_JSON)
    return reply_csv (req, &query, "sales", csv);
  {
    JsonObject *data = period_object (&query, json_object_new ());
    JsonObject *totals = json_object_new ();

    json_object_set_string_member (data, "group_by", group_by);
    json_object_set_array_member (data, "rows", state.rows);
    json_object_set_int_member (totals, "quantity", state.quantity);
    set_money (totals, &query, "amount", state.amount);
    json_object_set_int_member (totals, "vat_amount", state.vat_amount);
    json_object_set_object_member (data, "totals", totals);
    fest_request_reply_data (req, SOUP_STATUS_OK, json_node_init_object (json_node_alloc (), data));
    json_object_unref (data);
  }
}

/* GET /reports/vat?from=&to=&format= */

typedef struct
{
  const ReportQuery *query;
  JsonArray         *rates;
  Csv                csv;
  gint64             gross;
  gint64             vat;
} VatState;

static void
add_vat_rate (gint64   rate_bp,
              gint64   gross,
              gint64   vat,
              gpointer user_data)
{
  VatState *state = user_data;

  state->gross += gross;
  state->vat += vat;
  if (state->rates != NULL)
    {
      JsonObject *object = json_object_new ();

      json_object_set_double_member (object, "rate", fest_vat_rate_to_percent ((guint) rate_bp));
      json_object_set_int_member (object, "rate_bp", rate_bp);
      set_money (object, state->query, "gross", gross);
      set_money (object, state->query, "vat", vat);
      set_money (object, state->query, "net", gross - vat);
      json_array_add_object_element (state->rates, object);
      return;
    }
  csv_rate (&state->csv, rate_bp);
  csv_money (&state->csv, gross);
  csv_money (&state->csv, vat);
  csv_money (&state->csv, gross - vat);
  csv_end_row (&state->csv);
}

static void
get_vat (FestRequest *req)
{
  g_auto(ReportQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  VatState state = { 0 };
  GString *csv = NULL;

  if (!parse_query (req, TRUE, &query))
    return;
  state.query = &query;
  if (query.format == FORMAT_JSON)
    state.rates = json_array_new ();
  else
    {
      csv = csv_start (query.format);
      csv_init (&state.csv, csv, query.format);
      for (const char * const *h = (const char * const[]) { "rate", "gross", "vat", "net", NULL }; *h != NULL; h++)
        csv_text (&state.csv, *h);
      csv_end_row (&state.csv);
    }
  if (!fest_reports_repo_vat (fest_request_get_store (req), query.from, query.to, add_vat_rate, &state, &error))
    {
      g_clear_pointer (&state.rates, json_array_unref);
      if (csv != NULL)
        g_string_free (csv, TRUE);
      return fest_request_reply_gerror (req, error);
    }
  if (query.format != FORMAT_JSON)
    return reply_csv (req, &query, "vat", csv);
  {
    JsonObject *data = period_object (&query, json_object_new ());
    JsonObject *totals = json_object_new ();

    json_object_set_array_member (data, "rates", state.rates);
    set_money (totals, &query, "gross", state.gross);
    set_money (totals, &query, "vat", state.vat);
    set_money (totals, &query, "net", state.gross - state.vat);
    json_object_set_object_member (data, "totals", totals);
    fest_request_reply_data (req, SOUP_STATUS_OK, json_node_init_object (json_node_alloc (), data));
    json_object_unref (data);
  }
}

/* GET /reports/summary?from=&to= */

typedef struct
{
  const ReportQuery *query;
  JsonObject        *data;
  JsonArray         *recharges;
  gint64             recharge_count;
  gint64             recharge_amount;
} SummaryState;

static void
set_count_amount (SummaryState *state,
                  const char   *member,
                  gint64        count,
                  gint64        amount)
{
  JsonObject *object = json_object_new ();

  json_object_set_int_member (object, "count", count);
  set_money (object, state->query, "amount", amount);
  json_object_set_object_member (state->data, member, object);
}

static void
add_ledger_sum (const char *type,
                const char *payment_method,
                gint64      count,
                gint64      amount,
                gpointer    user_data)
{
  SummaryState *state = user_data;

  if (g_strcmp0 (type, "RECHARGE") == 0)
    {
      JsonObject *object = json_object_new ();

      json_object_set_string_member (object, "payment_method", payment_method);
      json_object_set_int_member (object, "count", count);
      set_money (object, state->query, "amount", amount);
      json_array_add_object_element (state->recharges, object);
      state->recharge_count += count;
      state->recharge_amount += amount;
    }
  else if (g_strcmp0 (type, "PAYMENT") == 0)
    set_count_amount (state, "payments", count, -amount);
  else if (g_strcmp0 (type, "CANCEL") == 0)
    set_count_amount (state, "cancels", count, amount);
  else if (g_strcmp0 (type, "REFUND") == 0)
    set_count_amount (state, "refunds", count, amount);
  else if (g_strcmp0 (type, "PAYOUT") == 0)
    set_count_amount (state, "payouts", count, -amount);
}

static void
get_summary (FestRequest *req)
{
  g_auto(ReportQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  SummaryState state = { 0 };
  const char *members[] = { "payments", "cancels", "refunds", "payouts" };
  JsonObject *totals, *wallets;
  gint64 outstanding, overdrawn;

  if (!parse_query (req, FALSE, &query))
    return;
  state.query = &query;
  state.data = period_object (&query, json_object_new ());
  state.recharges = json_array_new ();
  if (!fest_reports_repo_ledger (fest_request_get_store (req), query.from, query.to, add_ledger_sum, &state, &error)
      || !fest_reports_repo_wallets (fest_request_get_store (req), &outstanding, &overdrawn, &error))
    {
      json_array_unref (state.recharges);
      json_object_unref (state.data);
      return fest_request_reply_gerror (req, error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (members); i++)
    if (!json_object_has_member (state.data, members[i]))
      set_count_amount (&state, members[i], 0, 0);
  json_object_set_array_member (state.data, "recharges", state.recharges);
  totals = json_object_new ();
  json_object_set_int_member (totals, "count", state.recharge_count);
  set_money (totals, &query, "amount", state.recharge_amount);
  json_object_set_object_member (state.data, "recharges_total", totals);
  wallets = json_object_new ();
  set_money (wallets, &query, "outstanding_float", outstanding);
  json_object_set_int_member (wallets, "overdrawn_wallets", overdrawn);
  json_object_set_object_member (state.data, "wallets", wallets);
  fest_request_reply_data (req, SOUP_STATUS_OK, json_node_init_object (json_node_alloc (), state.data));
  json_object_unref (state.data);
}

/* GET /reports/lines?from=&to=&format=csv|csv-excel-fr (streamed) */

typedef struct
{
  FestReportCursor *cursor;
  ReportFormat      format;
  gboolean          header_done;
} LinesStream;

static void
lines_stream_free (gpointer data)
{
  LinesStream *stream = data;

  g_clear_pointer (&stream->cursor, fest_reports_cursor_free);
  g_free (stream);
}

static gboolean
lines_fill (GString  *piece,
            gpointer  data)
{
  LinesStream *stream = data;
  Csv csv;
  FestReportLine line;
  g_autoptr(GError) error = NULL;

  csv_init (&csv, piece, stream->format);
  if (!stream->header_done)
    {
      if (stream->format == FORMAT_CSV_EXCEL_FR)
        g_string_append (piece, "\xEF\xBB\xBF");
      for (const char * const *h = (const char * const[]) { "time", "transaction_id", "type", "stand_id", "stand",
                                                             "operator_id", "product_id", "product", "quantity",
                                                             "unit_price", "amount", "vat_rate", "vat_amount",
                                                             NULL }; *h != NULL; h++)
        csv_text (&csv, *h);
      csv_end_row (&csv);
      stream->header_done = TRUE;
    }
  while (piece->len < FEST_STREAM_PIECE_SIZE)
    {
      if (!fest_reports_cursor_next (stream->cursor, &line, &error))
        {
          if (error != NULL)
            g_warning ("Line export cut short: %s", error->message);
          return FALSE;
        }
      csv_text (&csv, line.created_at);
      csv_text (&csv, line.transaction_id);
      csv_text (&csv, line.type);
      csv_text (&csv, line.stand_id);
      csv_text (&csv, line.stand_name);
      csv_text (&csv, line.operator_id);
      csv_text (&csv, line.product_id);
      csv_text (&csv, line.product_name);
      csv_int (&csv, line.quantity);
      csv_money (&csv, line.unit_price);
      csv_money (&csv, line.amount);
      csv_rate (&csv, line.vat_rate_bp);
      csv_money (&csv, line.vat_amount);
      csv_end_row (&csv);
    }
  return TRUE;
}

static void
get_lines (FestRequest *req)
{
  g_auto(ReportQuery) query = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *disposition = NULL;
  LinesStream *stream;

  if (!parse_query (req, TRUE, &query))
    return;
  if (query.format == FORMAT_JSON)
    {
      error = fest_error_validation ("format", "format must be csv or csv-excel-fr");
      return fest_request_reply_gerror (req, error);
    }
  stream = g_new0 (LinesStream, 1);
  stream->format = query.format;
  stream->cursor = fest_reports_cursor_open (fest_request_get_store (req), query.from, query.to, &error);
  if (stream->cursor == NULL)
    {
      lines_stream_free (stream);
      return fest_request_reply_gerror (req, error);
    }
  disposition = content_disposition (&query, "lines");
  fest_request_reply_stream (req, SOUP_STATUS_OK, "text/csv; charset=utf-8", disposition, lines_fill, stream,
                             lines_stream_free);
}

void
fest_routes_reports_register (FestRouter *router)
{
  fest_router_add (router, "GET", "/reports/sales", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_sales);
  fest_router_add (router, "GET", "/reports/vat", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_vat);
  fest_router_add (router, "GET", "/reports/summary", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_summary);
  fest_router_add (router, "GET", "/reports/lines", FEST_ROUTE_FESTIVAL, FEST_PERM_STATS_READ, get_lines);
}
