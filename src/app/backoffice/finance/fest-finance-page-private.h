/* fest-finance-page-private.h: the Finance page's state, shared by its files
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

#include "fest-bar-chart.h"
#include "fest-finance-page.h"

G_BEGIN_DECLS

enum
{
  FETCH_SUMMARY,
  FETCH_SALES,   /* the four tables, in the order of _fest_finance_page_group_keys: per stand, */
  FETCH_SALES_PRODUCT,                                  /* per product, */
  FETCH_HOURS,                                          /* per hour, */
  FETCH_SALES_VAT_RATE,                                 /* per VAT rate */
  FETCH_CLOSURES,
  FETCH_SHIFTS,
  FETCH_STANDS,  /* for the shifts' stand names */
  N_FETCHES
};

/* The period dropdown's fixed entries before the festival's days. */
enum { PERIOD_FESTIVAL, PERIOD_TODAY, PERIOD_CUSTOM, N_FIXED_PERIODS };

struct _FestFinancePage
{
  FestPage       parent_instance;

  GtkStack      *stack;
  GtkSpinner    *spinner;
  AdwStatusPage *error_status;
  GtkDropDown   *period_dropdown;
  GtkStringList *period_names;
  GtkDropDown   *group_dropdown;
  GtkWidget     *custom_box;
  GtkEntry      *from_entry;
  GtkEntry      *to_entry;
  GtkFlowBox    *cards;
  FestBarChart  *chart;
  FestBarChart  *hour_chart;  /* revenue per hour, whatever the table shows */
  GtkColumnView *table;
  GListStore    *rows;
  GtkListBox    *closures_list;
  GtkListBox    *shifts_list;

  GHashTable    *figures;     /* name → GtkLabel (the value) */
  GPtrArray     *period_dates; /* the festival's days, "YYYY-MM-DD", after the fixed entries */
  GCancellable  *cancellable;
  JsonNode      *answers[N_FETCHES];
  guint          pending;
  guint          generation;
  gboolean       failed;
  char          *currency_name;
  char          *from;        /* nullable: open */
  char          *to;
  guint          n_closures;
  char          *refusal;     /* the last closure refused, the server's message */
};

/* fest-finance-page.c */
void        _fest_finance_page_fetch        (FestFinancePage *self);
/* "&from=…&to=…" for the period chosen ("" when open on both sides). */
char       *_fest_finance_page_period_query (FestFinancePage *self);
/* The table's grouping: "stand", "product", "hour" or "vat_rate". */
const char *_fest_finance_page_group        (FestFinancePage *self);
char       *_fest_finance_page_money        (FestFinancePage *self,
                                             gint64           amount);
GTimeZone  *_fest_finance_page_festival_zone (FestFinancePage *self);

/* fest-finance-page-show.c: the figures, the chosen table and the charts, from self->answers. */
void        _fest_finance_page_show_answers (FestFinancePage *self);
void        _fest_finance_page_show_rows    (FestFinancePage *self);

/* fest-finance-page-lists.c: the lists from GET /closures and GET /shifts (nullable). */
void        _fest_finance_page_show_closures (FestFinancePage *self,
                                              JsonArray       *closures);
void        _fest_finance_page_show_shifts   (FestFinancePage *self,
                                              JsonArray       *shifts,
                                              JsonArray       *stands);

/* fest-finance-page-actions.c */
void        _fest_finance_page_export_csv_action (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);
void        _fest_finance_page_export_pdf_action (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);
void        _fest_finance_page_close_day_action  (GtkWidget  *widget,
                                                  const char *action_name,
                                                  GVariant   *parameter);

G_END_DECLS
