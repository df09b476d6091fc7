/* fest-dashboard-page.c: the live dashboard (figures from /stats, refreshed by /events)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-bar-chart.h"
#include "fest-dashboard-page.h"
#include "fest-money.h"
#include "fest-page-util.h"

#define POLL_INTERVAL_S 5

typedef struct
{
  GtkLabel *value;
  GtkLabel *detail;
} Card;

struct _FestDashboardPage
{
  FestPage            parent_instance;

  GtkStack           *stack;
  GtkSpinner         *spinner;
  AdwStatusPage      *error_status;
  GtkRevealer        *banner_revealer;
  GtkLabel           *banner_label;
  GtkFlowBox         *cards;
  AdwPreferencesGroup *revenue_group;
  AdwPreferencesGroup *entries_group;
  GtkListBox         *stations_list;
  FestBarChart       *revenue_chart;
  FestBarChart       *entries_chart;

  GHashTable         *figures;     /* name → Card */
  FestEventStream    *stream;
  GCancellable       *cancellable;
  char               *currency_name;
  FestDashboardState  state;
  gboolean            has_data;
  gboolean            in_flight;
  gboolean            dirty;
  gboolean            paused;
  guint               poll_id;
};

G_DEFINE_FINAL_TYPE (FestDashboardPage, fest_dashboard_page, FEST_TYPE_PAGE)

static void set_currency                       (FestDashboardPage *self,
                                                const char        *currency_name);
static void fest_dashboard_page_real_reload    (FestPage          *page);
static void fest_dashboard_page_real_pause     (FestPage          *page);
static void fest_dashboard_page_stream_changed (FestPage          *page,
                                                FestEventStream   *stream);

static void
fest_dashboard_page_festival_changed (FestPage   *page,
                                      JsonObject *festival)
{
  set_currency (FEST_DASHBOARD_PAGE (page), fest_page_json_string (festival, "currency_name"));
}

enum
{
  PROP_0,
  PROP_LIVE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void fetch_stats (FestDashboardPage *self);
static void update_polling (FestDashboardPage *self);

static void
set_state (FestDashboardPage  *self,
           FestDashboardState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  /* The base class's "state": the figures are the page's content. */
  fest_page_set_state (FEST_PAGE (self), state == FEST_DASHBOARD_READY ? FEST_PAGE_STATE_CONTENT
                                         : state == FEST_DASHBOARD_ERROR ? FEST_PAGE_STATE_ERROR
                                         : FEST_PAGE_STATE_LOADING);
}

static char *
format_count (gint64 value)
{
  /* The ' flag groups thousands as the locale does. */
  return g_strdup_printf ("%'" G_GINT64_FORMAT, value);
}

static void
add_card (FestDashboardPage *self,
          const char        *name,
          const char        *title)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  GtkWidget *title_label = gtk_label_new (title);
  GtkWidget *value = gtk_label_new ("—");
  GtkWidget *detail = gtk_label_new (NULL);
  Card *card = g_new0 (Card, 1);

  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "figure-card");
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "caption-heading");
  gtk_widget_add_css_class (title_label, "dim-label");
  gtk_label_set_xalign (GTK_LABEL (value), 0);
  gtk_label_set_selectable (GTK_LABEL (value), FALSE);
  gtk_label_set_ellipsize (GTK_LABEL (value), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (value, "title-2");
  gtk_widget_add_css_class (value, "numeric");
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_wrap (GTK_LABEL (detail), TRUE);
  gtk_widget_add_css_class (detail, "caption");
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_box_append (GTK_BOX (box), title_label);
  gtk_box_append (GTK_BOX (box), value);
  gtk_box_append (GTK_BOX (box), detail);
  gtk_widget_set_name (box, name);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  title_label, NULL, -1);

  card->value = GTK_LABEL (value);
  card->detail = GTK_LABEL (detail);
  g_hash_table_insert (self->figures, g_strdup (name), card);
  gtk_flow_box_append (self->cards, box);
}

static void
set_figure (FestDashboardPage *self,
            const char        *name,
            const char        *value,
            const char        *detail)
{
  Card *card = g_hash_table_lookup (self->figures, name);

  g_return_if_fail (card != NULL);

  gtk_label_set_text (card->value, value);
  gtk_label_set_text (card->detail, detail != NULL ? detail : "");
  gtk_widget_set_visible (GTK_WIDGET (card->detail), detail != NULL && detail[0] != '\0');
}

static gint64
member_int (JsonObject *object,
            const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return 0;
  node = json_object_get_member (object, member);
  if (!JSON_NODE_HOLDS_VALUE (node))
    return 0;

  return json_node_get_int (node);
}

static JsonObject *
member_object (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);

  return JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
member_array (JsonObject *object,
              const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);

  return JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

static const char *
member_string (JsonObject *object,
               const char *member)
{
  JsonNode *node;

  if (object == NULL || !json_object_has_member (object, member))
    return NULL;
  node = json_object_get_member (object, member);

  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
         ? json_node_get_string (node) : NULL;
}

static char *
format_relative (const char *timestamp)
{
  g_autoptr(GDateTime) then = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GTimeSpan elapsed;
  gint64 minutes;

  if (timestamp == NULL)
    return g_strdup (_("Never"));

  then = g_date_time_new_from_iso8601 (timestamp, NULL);
  if (then == NULL)
    return g_strdup (timestamp);

  elapsed = g_date_time_difference (now, then);
  if (elapsed < 60 * G_TIME_SPAN_SECOND)
    return g_strdup (_("Just now"));

  minutes = elapsed / G_TIME_SPAN_MINUTE;
  if (minutes < 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         minutes), (int) minutes);
  if (minutes < 24 * 60)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         minutes / 60), (int) (minutes / 60));

  {
    g_autoptr(GDateTime) local = g_date_time_to_local (then);

    return g_date_time_format (local, "%x %H:%M");
  }
}

static void
update_stations (FestDashboardPage *self,
                 JsonArray         *stations)
{
  GtkWidget *child;
  guint n = stations != NULL ? json_array_get_length (stations) : 0;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->stations_list))) != NULL)
    gtk_list_box_remove (self->stations_list, child);

  if (n == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No stations enrolled yet"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row),
                                   _("Enroll a station from the Team page"));
      gtk_list_box_append (self->stations_list, row);
      return;
    }

  for (guint i = 0; i < n; i++)
    {
      JsonObject *station = json_array_get_object_element (stations, i);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *pending_label;
      g_autofree char *contact = format_relative (member_string (station, "last_contact"));
      g_autofree char *subtitle = g_strdup_printf (_("Last contact: %s"), contact);
      gint64 pending = member_int (station, "pending");
      g_autofree char *pending_text = NULL;
      const char *name = member_string (station, "name");

      /* A station's name is the organiser's text, not markup ("Bar & Grill"). */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     name != NULL ? name : member_string (station, "device_id"));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      pending_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d pending", "%d pending",
                                                   pending), (int) pending);
      pending_label = gtk_label_new (pending_text);
      gtk_widget_add_css_class (pending_label, pending > 0 ? "warning" : "dim-label");
      gtk_widget_add_css_class (pending_label, "numeric");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), pending_label);
      gtk_list_box_append (self->stations_list, row);
    }
}

static void
update_charts (FestDashboardPage *self,
               JsonObject        *stats)
{
  JsonArray *stands = member_array (stats, "revenue_per_stand");
  JsonArray *quarters = member_array (stats, "entries_per_quarter_hour");
  guint n;

  fest_bar_chart_clear (self->revenue_chart);
  n = stands != NULL ? json_array_get_length (stands) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *stand = json_array_get_object_element (stands, i);
      gint64 amount = member_int (stand, "amount");
      g_autofree char *text = fest_money_format (amount, self->currency_name);

      fest_bar_chart_append (self->revenue_chart, member_string (stand, "name"), amount, text);
    }
  fest_bar_chart_commit (self->revenue_chart);

  fest_bar_chart_clear (self->entries_chart);
  n = quarters != NULL ? json_array_get_length (quarters) : 0;
  for (guint i = 0; i < n; i++)
    {
      JsonObject *quarter = json_array_get_object_element (quarters, i);
      const char *start = member_string (quarter, "start");
      g_autoptr(GDateTime) utc = start != NULL ? g_date_time_new_from_iso8601 (start, NULL) : NULL;
      g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
      g_autofree char *label = local != NULL ? g_date_time_format (local, "%H:%M") : NULL;
      gint64 count = member_int (quarter, "count");
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d entry",
                                                            "%d entries", count), (int) count);

      fest_bar_chart_append (self->entries_chart, label, count, text);
    }
  fest_bar_chart_commit (self->entries_chart);
}

static void
apply_stats (FestDashboardPage *self,
             JsonObject        *stats)
{
  JsonObject *entries = member_object (stats, "entries");
  JsonObject *transactions = member_object (stats, "transactions");
  JsonObject *revenue = member_object (stats, "revenue");
  JsonObject *recharges = member_object (stats, "recharges");
  gint64 duplicates = member_int (stats, "duplicate_entries");
  gint64 overdrawn = member_int (stats, "overdrawn_wallets");
  gint64 incidents = member_int (stats, "open_incidents");
  g_autofree char *value = NULL;
  g_autofree char *last_hour = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *recharge_amount = NULL;

  /* Entries and entry rate. */
  value = format_count (member_int (entries, "total"));
  last_hour = format_count (member_int (entries, "last_hour"));
  if (duplicates > 0)
    detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "%s in the last hour · %d duplicate entry",
                                           "%s in the last hour · %d duplicate entries",
                                           duplicates), last_hour, (int) duplicates);
  else
    detail = g_strdup_printf (_("%s in the last hour"), last_hour);
  set_figure (self, "entries", value, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  /* Transactions, with the recharges beside them. */
  value = format_count (member_int (transactions, "count"));
  recharge_amount = fest_money_format (member_int (recharges, "amount"), self->currency_name);
  detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d recharge, %s",
                                         "%d recharges, %s", member_int (recharges, "count")),
                            (int) member_int (recharges, "count"), recharge_amount);
  set_figure (self, "transactions", value, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  /* Revenue in the festival currency and in euros. */
  value = fest_money_format (member_int (revenue, "amount"), self->currency_name);
  detail = fest_money_format_eur (member_int (revenue, "eur_cents"));
  set_figure (self, "revenue", value, detail);
  g_clear_pointer (&value, g_free);
  g_clear_pointer (&detail, g_free);

  /* Float: what attendees still hold in their wallets. */
  value = fest_money_format (member_int (stats, "float"), self->currency_name);
  set_figure (self, "float", value, _("Held in wallets"));
  g_clear_pointer (&value, g_free);

  value = format_count (incidents);
  set_figure (self, "incidents", value, incidents > 0 ? _("Need attention") : _("All clear"));
  g_clear_pointer (&value, g_free);

  value = format_count (overdrawn);
  set_figure (self, "overdrawn", value,
              overdrawn > 0 ? _("Offline sales went below zero") : _("None"));

  update_charts (self, stats);
  update_stations (self, member_array (stats, "stations"));
}

static void
update_banner (FestDashboardPage *self)
{
  const char *text = NULL;

  if (self->state == FEST_DASHBOARD_ERROR && self->has_data)
    text = _("Cannot reach the server — showing the last figures, retrying every 5 s");
  else if (self->stream != NULL && !fest_event_stream_is_connected (self->stream)
           && self->has_data)
    text = _("Live updates interrupted — refreshing every 5 s");

  if (text != NULL)
    gtk_label_set_text (self->banner_label, text);
  gtk_revealer_set_reveal_child (self->banner_revealer, text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_revealer), text != NULL);
}

static void
stats_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  FestClient *client = FEST_CLIENT (source);
  g_autoptr(FestDashboardPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  node = fest_client_request_finish (client, result, NULL, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->in_flight = FALSE;

  if (node == NULL)
    {
      g_autofree char *message = fest_client_describe_error (error);

      g_debug ("Could not load /stats: %s", error->message);
      fest_page_status_show_error_kind (self->error_status, error);
      adw_status_page_set_description (self->error_status, message);
      set_state (self, FEST_DASHBOARD_ERROR);
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, self->has_data ? "data" : "error");
    }
  else
    {
      apply_stats (self, JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL);
      self->has_data = TRUE;
      set_state (self, FEST_DASHBOARD_READY);
      gtk_spinner_stop (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "data");

      /* The server answers again: no need to wait for the stream's backoff. */
      if (self->stream != NULL)
        fest_event_stream_reconnect_now (self->stream);
    }

  update_banner (self);

  if (self->dirty)
    {
      self->dirty = FALSE;
      fetch_stats (self);
    }
}

static void
fetch_stats (FestDashboardPage *self)
{
  if (fest_page_get_client (FEST_PAGE (self)) == NULL)
    return;

  /* Coalesce: a burst of events costs at most one more request. */
  if (self->in_flight)
    {
      self->dirty = TRUE;
      return;
    }

  self->in_flight = TRUE;
  if (!self->has_data && self->state != FEST_DASHBOARD_ERROR)
    {
      gtk_spinner_start (self->spinner);
      gtk_stack_set_visible_child_name (self->stack, "loading");
    }

  fest_client_request_async (fest_page_get_client (FEST_PAGE (self)), "GET", "/stats", NULL, NULL,
                             self->cancellable,
                             stats_cb, g_object_ref (self));
}

static gboolean
poll_cb (gpointer user_data)
{
  FestDashboardPage *self = user_data;

  fetch_stats (self);
  return G_SOURCE_CONTINUE;
}

static void
update_polling (FestDashboardPage *self)
{
  gboolean live = self->stream != NULL && fest_event_stream_is_connected (self->stream);

  if (!self->paused && !live)
    {
      if (self->poll_id == 0)
        self->poll_id = g_timeout_add_seconds (POLL_INTERVAL_S, poll_cb, self);
    }
  else
    g_clear_handle_id (&self->poll_id, g_source_remove);
}

static void
stream_event_cb (FestEventStream   *stream,
                 const char        *name,
                 JsonNode          *data,
                 FestDashboardPage *self)
{
  if (!self->paused)
    fetch_stats (self);
}

static void
stream_state_cb (FestEventStream   *stream,
                 GParamSpec        *pspec,
                 FestDashboardPage *self)
{
  gboolean live = fest_event_stream_is_connected (stream);

  update_polling (self);
  update_banner (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);

  /* Whatever happened while the stream was down is fetched once it is back. */
  if (live && !self->paused)
    fetch_stats (self);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_dashboard_page_reload (FEST_DASHBOARD_PAGE (widget));
}

static void
fest_dashboard_page_dispose (GObject *object)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (object);

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_cancellable_cancel (self->cancellable);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_DASHBOARD_PAGE);
  /* The template's root has no id: unparent whatever is left. */
  {
    GtkWidget *child;

    while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
      gtk_widget_unparent (child);
  }

  G_OBJECT_CLASS (fest_dashboard_page_parent_class)->dispose (object);
}

static void
fest_dashboard_page_finalize (GObject *object)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->figures, g_hash_table_unref);
  g_clear_pointer (&self->currency_name, g_free);

  G_OBJECT_CLASS (fest_dashboard_page_parent_class)->finalize (object);
}

static void
fest_dashboard_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (object);

  switch (prop_id)
    {
    case PROP_LIVE:
      g_value_set_boolean (value, fest_dashboard_page_get_live (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fest_dashboard_page_class_init (FestDashboardPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_dashboard_page_real_reload;
  page_class->pause = fest_dashboard_page_real_pause;
  page_class->festival_changed = fest_dashboard_page_festival_changed;
  page_class->stream_changed = fest_dashboard_page_stream_changed;

  object_class->dispose = fest_dashboard_page_dispose;
  object_class->finalize = fest_dashboard_page_finalize;
  object_class->get_property = fest_dashboard_page_get_property;

  properties[PROP_LIVE] =
    g_param_spec_boolean ("live", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/dashboard/fest-dashboard-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, banner_label);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, cards);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, revenue_group);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, entries_group);
  gtk_widget_class_bind_template_child (widget_class, FestDashboardPage, stations_list);

  gtk_widget_class_install_action (widget_class, "dashboard.reload", NULL, reload_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "dashboard.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "dashboard.reload", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "dashboard");
}

static void
fest_dashboard_page_init (FestDashboardPage *self)
{
  GtkWidget *chart;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->figures = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->currency_name = g_strdup (_("Tokens"));

  add_card (self, "entries", _("Entries"));
  add_card (self, "transactions", _("Transactions"));
  add_card (self, "revenue", _("Revenue"));
  add_card (self, "float", _("Float"));
  add_card (self, "incidents", _("Unresolved Incidents"));
  add_card (self, "overdrawn", _("Overdrawn Wallets"));

  chart = fest_bar_chart_new (GTK_ORIENTATION_HORIZONTAL);
  self->revenue_chart = FEST_BAR_CHART (chart);
  fest_bar_chart_set_title (self->revenue_chart, _("Revenue per stand"));
  fest_bar_chart_set_empty_text (self->revenue_chart, _("No sales yet"));
  adw_preferences_group_add (self->revenue_group, chart);

  chart = fest_bar_chart_new (GTK_ORIENTATION_VERTICAL);
  self->entries_chart = FEST_BAR_CHART (chart);
  fest_bar_chart_set_title (self->entries_chart, _("Entries per 15 minutes"));
  fest_bar_chart_set_empty_text (self->entries_chart, _("No entries yet"));
  adw_preferences_group_add (self->entries_group, chart);

  update_stations (self, NULL);
  update_banner (self);
}

GtkWidget *
fest_dashboard_page_new (FestClient *client)
{
  FestDashboardPage *self;

  g_return_val_if_fail (client == NULL || FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_DASHBOARD_PAGE, "client", client, NULL);

  return GTK_WIDGET (self);
}

void
fest_dashboard_page_set_currency (FestDashboardPage *self,
                                  const char        *currency_name)
{
  g_return_if_fail (FEST_IS_DASHBOARD_PAGE (self));

  set_currency (self, currency_name);
}

void
fest_dashboard_page_set_event_stream (FestDashboardPage *self,
                                      FestEventStream   *stream)
{
  g_return_if_fail (FEST_IS_DASHBOARD_PAGE (self));
  g_return_if_fail (stream == NULL || FEST_IS_EVENT_STREAM (stream));

  fest_page_set_event_stream (FEST_PAGE (self), stream);
}

void
fest_dashboard_page_reload (FestDashboardPage *self)
{
  g_return_if_fail (FEST_IS_DASHBOARD_PAGE (self));

  fest_page_reload (FEST_PAGE (self));
}

void
fest_dashboard_page_pause (FestDashboardPage *self)
{
  g_return_if_fail (FEST_IS_DASHBOARD_PAGE (self));

  fest_page_pause (FEST_PAGE (self));
}

static void
set_currency (FestDashboardPage *self,
              const char        *currency_name)
{
  if (currency_name == NULL || currency_name[0] == '\0')
    return;

  g_free (self->currency_name);
  self->currency_name = g_strdup (currency_name);
}

static void
fest_dashboard_page_stream_changed (FestPage        *page,
                                    FestEventStream *stream)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (page);

  if (self->stream == stream)
    return;

  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_set_object (&self->stream, stream);
  if (stream != NULL)
    {
      g_signal_connect_object (stream, "event", G_CALLBACK (stream_event_cb), self, 0);
      g_signal_connect_object (stream, "notify::state", G_CALLBACK (stream_state_cb), self, 0);
    }

  update_polling (self);
  update_banner (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIVE]);
}

static void
fest_dashboard_page_real_reload (FestPage *page)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (page);

  self->paused = FALSE;
  update_polling (self);
  fetch_stats (self);
}

static void
fest_dashboard_page_real_pause (FestPage *page)
{
  FestDashboardPage *self = FEST_DASHBOARD_PAGE (page);

  self->paused = TRUE;
  update_polling (self);
}

FestDashboardState
fest_dashboard_page_get_state (FestDashboardPage *self)
{
  g_return_val_if_fail (FEST_IS_DASHBOARD_PAGE (self), FEST_DASHBOARD_LOADING);

  return self->state;
}

gboolean
fest_dashboard_page_get_live (FestDashboardPage *self)
{
  g_return_val_if_fail (FEST_IS_DASHBOARD_PAGE (self), FALSE);

  return self->stream != NULL && fest_event_stream_is_connected (self->stream);
}

const char *
fest_dashboard_page_get_figure (FestDashboardPage *self,
                                const char        *name,
                                gboolean           detail)
{
  Card *card;

  g_return_val_if_fail (FEST_IS_DASHBOARD_PAGE (self), NULL);

  card = g_hash_table_lookup (self->figures, name);
  if (card == NULL)
    return NULL;

  return gtk_label_get_text (detail ? card->detail : card->value);
}

const char *
fest_dashboard_page_get_banner (FestDashboardPage *self)
{
  g_return_val_if_fail (FEST_IS_DASHBOARD_PAGE (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->banner_revealer))
    return NULL;

  return gtk_label_get_text (self->banner_label);
}
