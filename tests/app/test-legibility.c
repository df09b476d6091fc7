/* test-legibility.c: nothing in the back office is cut off or hidden under something else, in the
 * language of the environment ($FEST_RENDER_LANG names the screenshots)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Long stand names on the dashboard's chart, ticket types and roles in the back office's dialogs,
 * the first-account form's password rule, and the site map's zoom buttons against its labels, at
 * the window sizes people use.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>
#include <adwaita.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-bar-chart-private.h"
#include "fest-connect-page.h"
#include "fest-dashboard-page.h"
#include "fest-form-dialog.h"
#include "fest-stands-page.h"
#include "fest-team-page.h"
#include "fest-tickets-page.h"
#include "fest-site-map.h"

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static void
settle (guint ms)
{
  for (guint i = 0; i < ms / 10; i++)
    {
      g_usleep (10000);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
}

static void
render (GtkWidget  *widget,
        const char *name)
{
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, lang ());

  settle (200);
  gtk_test_widget_wait_for_draw (widget);
  fest_app_test_render_png (widget, file);
}

static GtkWidget *
window_with (GtkWidget *child,
             int        width,
             int        height)
{
  GtkWidget *window = adw_window_new ();

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  adw_window_set_content (ADW_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  return window;
}

/* The mapped descendants of @root (itself included) of @type. */
static void
collect_mapped (GtkWidget *root,
                GType      type,
                GPtrArray *out)
{
  if (!gtk_widget_get_mapped (root))
    return;
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (out, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_mapped (child, type, out);
}

/* Dashboard */

static const char *long_stands[] = {
  "Buvette du Grand Chapiteau Nord",
  "Bar",
  "Crêperie de la Scène Découverte",
};

static void
sell_at_stands (FestAppTestServer *server)
{
  g_autoptr(JsonNode) wallet = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &wallet,
                                           "{\"holder_name\":\"Camille\"}"), ==, 201);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                           "{\"type\":\"RECHARGE\",\"wallet_id\":\"%s\","
                                           "\"amount\":20000}",
                                           fest_app_test_json_string (wallet, "data.id")), ==, 201);
  for (guint i = 0; i < G_N_ELEMENTS (long_stands); i++)
    {
      g_autoptr(JsonNode) stand = NULL;
      g_autoptr(JsonNode) product = NULL;

      g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &stand,
                                               "{\"name\":\"%s\",\"type\":\"BAR\"}",
                                               long_stands[i]), ==, 201);
      g_assert_cmpuint (fest_app_test_request (server, "POST", "/products", server->token, &product,
                                               "{\"stand_id\":\"%s\",\"name\":\"Item\","
                                               "\"price\":%u,\"vat_rate\":20,"
                                               "\"category\":\"drink\"}",
                                               fest_app_test_json_string (stand, "data.id"),
                                               400 + 300 * i), ==, 201);
      g_assert_cmpuint (fest_app_test_request (server, "POST", "/transactions", server->token, NULL,
                                               "{\"type\":\"PAYMENT\",\"wallet_id\":\"%s\","
                                               "\"stand_id\":\"%s\",\"lines\":[{\"product_id\":"
                                               "\"%s\",\"quantity\":2}]}",
                                               fest_app_test_json_string (wallet, "data.id"),
                                               fest_app_test_json_string (stand, "data.id"),
                                               fest_app_test_json_string (product, "data.id")),
                        ==, 201);
    }
}

static gboolean
dashboard_ready (gpointer data)
{
  return fest_dashboard_page_get_state (FEST_DASHBOARD_PAGE (data)) == FEST_DASHBOARD_READY;
}

static FestBarChart *
find_rows_chart (GtkWidget *root)
{
  if (FEST_IS_BAR_CHART (root) && gtk_widget_has_css_class (root, "rows"))
    return FEST_BAR_CHART (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      FestBarChart *found = find_rows_chart (child);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Every stand's name is drawn whole (not ellipsized), inside the chart, apart from the other
 * names; *@max_lines gets the most lines a name took. */
static void
assert_names_whole (FestBarChart *chart,
                    int          *max_lines)
{
  int width = gtk_widget_get_width (GTK_WIDGET (chart));
  int height = gtk_widget_get_height (GTK_WIDGET (chart));
  float previous_bottom = 0;
  guint n = fest_bar_chart_get_n_bars (chart);

  g_assert_cmpuint (n, ==, G_N_ELEMENTS (long_stands));
  *max_lines = 0;
  for (guint i = 0; i < n; i++)
    {
      graphene_rect_t bounds;
      g_autoptr(PangoLayout) layout = _fest_bar_chart_get_label_layout (chart, i, &bounds);
      const char *text = pango_layout_get_text (layout);
      gboolean known = FALSE;

      for (guint s = 0; s < G_N_ELEMENTS (long_stands); s++)
        known |= g_strcmp0 (text, long_stands[s]) == 0;
      g_assert_true (known);
      if (pango_layout_is_ellipsized (layout))
        g_error ("“%s” is cut off at %d px", text, width);
      g_assert_cmpfloat (bounds.origin.x, >=, 0);
      g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, width);
      g_assert_cmpfloat (bounds.origin.y, >=, previous_bottom);
      g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, height);
      previous_bottom = bounds.origin.y + bounds.size.height;
      *max_lines = MAX (*max_lines, pango_layout_get_line_count (layout));
    }
}

static void
test_dashboard_long_stand_names (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  GtkWidget *page;
  GtkWidget *window;
  FestBarChart *chart;
  int max_lines;

  sell_at_stands (server);
  fest_client_set_token (client, server->token);
  page = fest_dashboard_page_new (client);
  window = window_with (page, 1200, 860);
  fest_dashboard_page_reload (FEST_DASHBOARD_PAGE (page));
  g_assert_true (fest_app_test_wait (dashboard_ready, page, 15000));
  settle (300);
  chart = find_rows_chart (page);
  g_assert_nonnull (chart);

  /* Wide: each name on one line, at its natural width. */
  assert_names_whole (chart, &max_lines);
  g_assert_cmpint (max_lines, ==, 1);
  render (window, "legibility-dashboard");
  render (GTK_WIDGET (chart), "legibility-dashboard-chart-1200");

  /* Narrow: the long names wrap, the rows grow, nothing is cut. */
  gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
  settle (300);
  assert_names_whole (chart, &max_lines);
  g_assert_cmpint (max_lines, >, 1);
  render (GTK_WIDGET (chart), "legibility-dashboard-chart-360");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Dialogs */

/* What gtk_widget_measure() counts around a widget's content and gtk_widget_get_width() and
 * _height() do not: its margins (properties and CSS), CSS border and padding. Labels drawn over a
 * map (the site map's status, its scale) have some. */
static void
get_extents (GtkWidget *widget,
             int       *horizontal,
             int       *vertical)
{
  GtkStyleContext *style = gtk_widget_get_style_context (widget);
  GtkBorder margin, border, padding;

  gtk_style_context_get_margin (style, &margin);
  gtk_style_context_get_border (style, &border);
  gtk_style_context_get_padding (style, &padding);
  *horizontal = gtk_widget_get_margin_start (widget) + gtk_widget_get_margin_end (widget)
                + margin.left + margin.right + border.left + border.right
                + padding.left + padding.right;
  *vertical = gtk_widget_get_margin_top (widget) + gtk_widget_get_margin_bottom (widget)
              + margin.top + margin.bottom + border.top + border.bottom
              + padding.top + padding.bottom;
}

/* Every label shown under @root has the room its text needs: an ellipsizing label is not
 * ellipsized, any other is not narrower than its minimum width nor shorter than its height for
 * that width. */
static void
assert_labels_whole (GtkWidget  *root,
                     const char *what)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autoptr(GString) cut = g_string_new (NULL);

  collect_mapped (root, GTK_TYPE_LABEL, labels);
  g_assert_cmpuint (labels->len, >, 0);
  for (guint i = 0; i < labels->len; i++)
    {
      GtkLabel *label = labels->pdata[i];
      const char *text = gtk_label_get_text (label);
      int horizontal, vertical;
      int width, height;
      int min_width, min_height;

      if (text[0] == '\0')
        continue;
      get_extents (GTK_WIDGET (label), &horizontal, &vertical);
      width = gtk_widget_get_width (GTK_WIDGET (label)) + horizontal;
      height = gtk_widget_get_height (GTK_WIDGET (label)) + vertical;
      if (gtk_label_get_ellipsize (label) != PANGO_ELLIPSIZE_NONE
          && pango_layout_is_ellipsized (gtk_label_get_layout (label)))
        g_string_append_printf (cut, "\n  “%s” is ellipsized in %d px", text, width);
      gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_HORIZONTAL, -1, &min_width, NULL,
                          NULL, NULL);
      gtk_widget_measure (GTK_WIDGET (label), GTK_ORIENTATION_VERTICAL, width, &min_height, NULL,
                          NULL, NULL);
      if (gtk_label_get_ellipsize (label) == PANGO_ELLIPSIZE_NONE && width < min_width)
        g_string_append_printf (cut, "\n  “%s” has %d px of the %d it needs", text, width,
                                min_width);
      if (height < min_height)
        g_string_append_printf (cut, "\n  “%s” has %d px of height of the %d it needs", text,
                                height, min_height);
    }
  if (cut->len > 0)
    g_error ("%s: text cut off:%s", what, cut->str);
}

static GtkWidget *
find_form_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWidget) window = g_list_model_get_item (toplevels, i);

      if (FEST_IS_FORM_DIALOG (window) && gtk_widget_get_mapped (window))
        return window;
    }
  return NULL;
}

static gboolean
form_dialog_shown (gpointer data)
{
  return find_form_dialog () != NULL;
}

typedef const char *(*PageState) (gpointer page);

typedef struct
{
  GtkWidget *page;
  PageState  get_state;
} PageWait;

static gboolean
page_has_content (gpointer data)
{
  PageWait *wait = data;

  return g_strcmp0 (wait->get_state (wait->page), "content") == 0;
}

/* Opens @action's dialog on @page, checks it and closes it. */
static void
check_dialog (GtkWidget  *page,
              PageState   get_state,
              const char *reload,
              const char *action,
              const char *name)
{
  GtkWidget *window = window_with (page, 1100, 720);
  PageWait wait = { page, get_state };
  GtkWidget *dialog;

  gtk_widget_activate_action (page, reload, NULL);
  g_assert_true (fest_app_test_wait (page_has_content, &wait, 15000));
  gtk_widget_activate_action (page, action, NULL);
  g_assert_true (fest_app_test_wait (form_dialog_shown, NULL, 5000));
  dialog = find_form_dialog ();
  settle (300);
  render (dialog, name);
  assert_labels_whole (dialog, name);

  /* Each drop-down's list too. */
  {
    g_autoptr(GPtrArray) combos = g_ptr_array_new ();

    collect_mapped (dialog, ADW_TYPE_COMBO_ROW, combos);
    for (guint i = 0; i < combos->len; i++)
      {
        g_autoptr(GPtrArray) popovers = g_ptr_array_new ();
        g_autofree char *list_name = g_strdup_printf ("%s-list-%u", name, i);

        /* With one choice there is no list to open. */
        if (g_list_model_get_n_items (adw_combo_row_get_model (combos->pdata[i])) < 2)
          continue;
        adw_action_row_activate (combos->pdata[i]);
        settle (300);
        collect_mapped (combos->pdata[i], GTK_TYPE_POPOVER, popovers);
        g_assert_cmpuint (popovers->len, ==, 1);
        render (popovers->pdata[0], list_name);
        assert_labels_whole (popovers->pdata[0], list_name);
        gtk_popover_popdown (popovers->pdata[0]);
        settle (100);
      }
  }
  gtk_window_destroy (GTK_WINDOW (dialog));
  gtk_window_destroy (GTK_WINDOW (window));
  settle (100);
}

static void
test_dialogs_whole_text (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) type = NULL;

  fest_client_set_token (client, server->token);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/ticket-types", server->token, &type,
                                           "{\"name\":\"Pass Week-end Camping et Parking VIP\","
                                           "\"code\":\"WEVIP\",\"price\":12500,"
                                           "\"valid_from\":\"2026-07-14T08:00:00Z\","
                                           "\"valid_until\":\"2026-07-16T22:00:00Z\"}"), ==, 201);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/tickets", server->token, NULL,
                                           "{\"ticket_type_id\":\"%s\","
                                           "\"holder_name\":\"Zoë Martin\"}",
                                           fest_app_test_json_string (type, "data.id")), ==, 201);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, NULL,
                                           "{\"name\":\"Buvette du Grand Chapiteau Nord\","
                                           "\"type\":\"BAR\"}"), ==, 201);

  check_dialog (fest_tickets_page_new (client), (PageState) fest_tickets_page_get_state,
                "tickets.reload", "tickets.issue", "legibility-issue-ticket");
  check_dialog (fest_tickets_page_new (client), (PageState) fest_tickets_page_get_state,
                "tickets.reload", "tickets.new-type", "legibility-new-ticket-type");
  check_dialog (fest_team_page_new (client), (PageState) fest_team_page_get_state,
                "team.reload", "team.new-member", "legibility-new-member");
  check_dialog (fest_team_page_new (client), (PageState) fest_team_page_get_state,
                "team.reload", "team.enroll-device", "legibility-enroll-device");
  check_dialog (fest_stands_page_new (client), (PageState) fest_stands_page_get_state,
                "stands.reload", "stands.new-stand", "legibility-new-stand");
  check_dialog (fest_stands_page_new (client), (PageState) fest_stands_page_get_state,
                "stands.reload", "stands.new-product", "legibility-new-product");
}

/* First account */

static GtkWidget *
find_label (GtkWidget  *root,
            const char *text)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_mapped (root, GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return labels->pdata[i];
  return NULL;
}

/* The form names its fields and shows the password rule, whole, before anything is typed. */
static void
test_first_account_form (void)
{
  GtkWidget *page = fest_connect_page_new ();
  GtkWidget *window = window_with (page, 900, 640);
  const char *rule;

  gtk_widget_activate_action (page, "connect.show-local", NULL);
  settle (200);
  rule = fest_connect_page_get_password_rule (FEST_CONNECT_PAGE (page));
  g_assert_nonnull (strstr (rule, "8"));
  g_assert_nonnull (find_label (page, rule));
  g_assert_null (fest_connect_page_get_error (FEST_CONNECT_PAGE (page)));
  assert_labels_whole (page, "legibility-first-account");
  render (window, "legibility-first-account");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Site map */

static const char *status_text;

static gboolean
map_status_shown (gpointer data)
{
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();

  collect_mapped (GTK_WIDGET (data), GTK_TYPE_LABEL, labels);
  for (guint i = 0; i < labels->len; i++)
    if (g_strcmp0 (gtk_label_get_text (labels->pdata[i]), status_text) == 0)
      return TRUE;
  return FALSE;
}

/* Offline, the map says so in a label at its top: the zoom buttons, top right, must not cover it
 * (nor any other label of the map), whatever the width. */
static void
test_site_map_zoom_buttons (void)
{
  g_autoptr(FestClient) dead = fest_client_new ("http://127.0.0.1:9");
  FestSiteMap *map = fest_site_map_new ();
  GtkWidget *window = window_with (GTK_WIDGET (map), 577, 460);
  const int widths[] = { 360, 577, 900 };

  status_text = _("Site plan unavailable: the position is still recorded");
  fest_site_map_center_on (map, 45.75, 4.85);
  fest_site_map_set_client (map, dead, NULL);
  g_assert_true (fest_app_test_wait (map_status_shown, map, 15000));

  for (guint w = 0; w < G_N_ELEMENTS (widths); w++)
    {
      g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
      g_autoptr(GPtrArray) labels = g_ptr_array_new ();
      g_autofree char *name = g_strdup_printf ("site-map-offline-%d", widths[w]);
      guint n_zoom = 0;

      gtk_window_set_default_size (GTK_WINDOW (window), widths[w], 460);
      settle (300);
      /* The window's frame takes a few pixels. */
      g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (map)), >, widths[w] - 24);
      g_assert_true (map_status_shown (map));

      collect_mapped (GTK_WIDGET (map), GTK_TYPE_BUTTON, buttons);
      collect_mapped (GTK_WIDGET (map), GTK_TYPE_LABEL, labels);
      for (guint b = 0; b < buttons->len; b++)
        {
          graphene_rect_t button_bounds;
          const char *icon = gtk_button_get_icon_name (buttons->pdata[b]);

          if (g_strcmp0 (icon, "zoom-in-symbolic") == 0 || g_strcmp0 (icon, "zoom-out-symbolic") == 0)
            n_zoom++;
          g_assert_true (gtk_widget_compute_bounds (buttons->pdata[b], GTK_WIDGET (map),
                                                    &button_bounds));
          for (guint l = 0; l < labels->len; l++)
            {
              graphene_rect_t label_bounds;
              const char *text = gtk_label_get_text (labels->pdata[l]);

              if (text[0] == '\0' || gtk_widget_is_ancestor (labels->pdata[l], buttons->pdata[b]))
                continue;
              g_assert_true (gtk_widget_compute_bounds (labels->pdata[l], GTK_WIDGET (map),
                                                        &label_bounds));
              if (graphene_rect_intersection (&button_bounds, &label_bounds, NULL))
                g_error ("At %d px, a button (%s) at %g,%g %gx%g covers “%s” at %g,%g %gx%g",
                         widths[w], icon, button_bounds.origin.x, button_bounds.origin.y,
                         button_bounds.size.width, button_bounds.size.height, text,
                         label_bounds.origin.x, label_bounds.origin.y,
                         label_bounds.size.width, label_bounds.size.height);
            }
        }
      /* Both zoom buttons are there to be checked. */
      g_assert_cmpuint (n_zoom, ==, 2);
      render (window, name);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  fest_application_init_i18n ();
  fest_app_test_init (&argc, &argv);
  fest_app_test_load_style ();

  g_test_add_func ("/fest/app/legibility/dashboard-long-stand-names",
                   test_dashboard_long_stand_names);
  g_test_add_func ("/fest/app/legibility/dialogs-whole-text", test_dialogs_whole_text);
  g_test_add_func ("/fest/app/legibility/first-account-form", test_first_account_form);
  g_test_add_func ("/fest/app/legibility/site-map-zoom-buttons", test_site_map_zoom_buttons);

  return g_test_run ();
}
