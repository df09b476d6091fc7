/* test-station-settings.c: a station tried as a new user would, under Xvfb against a real server
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Codes are typed back as they are displayed (the Team page's device token, a ticket code with a
 * real hyphen); the gear button opens settings that Escape leaves, un-enrolling is refused while
 * operations are unsent and keeps them; the incident types have icons the theme resolves; the
 * newest toast is readable; the first screen speaks the festival's currency. Screenshots go to
 * <builddir>/tests/app/screenshots/station-settings-*-<lang>.png.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <gdk/x11/gdkx.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-core.h"
#include "fest-form-dialog.h"
#include "fest-qr-dialog.h"
#include "fest-team-page.h"
#include "fest-station-window-private.h"
#include "fest-recharge-page.h"

static const char *
lang (void)
{
  const char *value = g_getenv ("FEST_RENDER_LANG");

  return value != NULL ? value : "en";
}

static void
screenshot (GtkWidget  *window,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("station-settings-%s-%s.png", name, lang ());

  gtk_test_widget_wait_for_draw (window);
  fest_app_test_render_png (window, file);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}


static void
key (const char *name)
{
  fest_app_test_xdotool ("key", name, NULL);
  fest_app_test_wait (never, NULL, 100);
}

/* The first visible widget of @type under @root whose label or tooltip is @text (any if NULL). */
static GtkWidget *
find_widget (GtkWidget  *root,
             GType       type,
             const char *text)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_is_visible (root) &&
      (text == NULL ||
       (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), text) == 0) ||
       (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (root)), text) == 0) ||
       g_strcmp0 (gtk_widget_get_tooltip_text (root), text) == 0))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type, text);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_toplevel (gpointer data)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, GPOINTER_TO_SIZE (data)) && gtk_widget_get_visible (l->data))
      return TRUE;
  return FALSE;
}

/* The visible toplevel of @type, waited for. */
static gpointer
wait_toplevel (GType type)
{
  g_autoptr(GList) toplevels = NULL;

  g_assert_true (fest_app_test_wait (has_toplevel, GSIZE_TO_POINTER (type), 20000));
  toplevels = gtk_window_list_toplevels ();
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  g_assert_not_reached ();
}

/* What @label shows, character by character as drawn: its text line by line, plus any character
 * Pango draws that is not in the text (the hyphen it adds where it breaks a word). A person reads
 * and types this. */
static char *
displayed_text (PangoLayout *layout)
{
  const char *text = pango_layout_get_text (layout);
  GString *shown = g_string_new (NULL);
  GSList *lines = pango_layout_get_lines_readonly (layout);

  for (GSList *l = lines; l != NULL; l = l->next)
    {
      PangoLayoutLine *line = l->data;
      glong n_chars = g_utf8_strlen (text + line->start_index, line->length);
      int n_glyphs = 0;

      for (GSList *r = line->runs; r != NULL; r = r->next)
        n_glyphs += ((PangoGlyphItem *) r->data)->glyphs->num_glyphs;
      g_string_append_len (shown, text + line->start_index, line->length);
      /* Monospace ASCII: one glyph per character; one more is a drawn hyphen. */
      if (n_glyphs > n_chars)
        g_string_append_c (shown, '-');
    }
  return g_string_free (shown, FALSE);
}

static guint
count_lines (GtkLabel *label)
{
  return pango_layout_get_line_count (gtk_label_get_layout (label));
}

/* The code label of a QR dialog (selectable, monospace). */
static GtkLabel *
qr_text_label (FestQrDialog *qr)
{
  GtkWidget *label = find_widget (GTK_WIDGET (qr), GTK_TYPE_LABEL, NULL);

  while (label != NULL && !gtk_widget_has_css_class (label, "monospace"))
    {
      GtkWidget *next = NULL;

      /* The next label in tree order. */
      for (GtkWidget *w = label; w != NULL && next == NULL; w = gtk_widget_get_parent (w))
        for (GtkWidget *s = gtk_widget_get_next_sibling (w); s != NULL && next == NULL; s = gtk_widget_get_next_sibling (s))
          next = find_widget (s, GTK_TYPE_LABEL, NULL);
      label = next;
    }
  g_assert_nonnull (label);
  return GTK_LABEL (label);
}

static char *
create_stand (FestAppTestServer *server,
              const char        *name,
              const char        *type)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"%s\",\"type\":\"%s\","
                                           "\"location\":{\"lat\":47.2,\"lng\":-1.5,\"zone\":\"A\"}}", name, type), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

static FestStationWindow *
open_station (FestAppTestServer *server,
              FestClient        *client,
              const char        *mode)
{
  FestStationWindow *window = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, mode, NULL));

  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (fest_station_window_get_view (window), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpstr (fest_station_window_get_view (window), ==, "enroll");
  return window;
}

static FestStationWindow *
enrolled_station (FestAppTestServer *server,
                  FestClient        *client,
                  const char        *stand_id,
                  const char        *mode)
{
  g_autofree char *token = fest_app_test_create_device (server, stand_id, mode);
  FestStationWindow *window = open_station (server, client, mode);

  fest_station_window_enroll (window, server->url, token, "1357");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  return window;
}

static gboolean
has_focus (gpointer data)
{
  return gtk_widget_has_focus (data) || gtk_widget_has_focus (gtk_widget_get_first_child (data));
}

typedef struct
{
  GtkEditable *editable;
  const char  *text;
} TextWait;

static gboolean
editable_has_text (gpointer data)
{
  TextWait *wait = data;

  return g_strcmp0 (gtk_editable_get_text (wait->editable), wait->text) == 0;
}

/* The entry with this placeholder. */
static GtkWidget *
find_entry (GtkWidget  *root,
            const char *placeholder)
{
  if (GTK_IS_ENTRY (root) && g_strcmp0 (gtk_entry_get_placeholder_text (GTK_ENTRY (root)), placeholder) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_entry (child, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
team_loaded (gpointer data)
{
  return g_strcmp0 (fest_team_page_get_state (data), "loading") != 0;
}

/* 4. The Team page's device token, typed back as displayed (by a person, through the X server),
 * enrolls the station. */
static void
test_token_typed_as_displayed (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *stand_id = create_stand (server, "Gate A", "BAR");
  g_autofree char *shown = NULL;
  g_autofree char *token = NULL;
  GtkWidget *page, *team;
  FestFormDialog *form;
  FestQrDialog *qr;
  FestStationWindow *gate;
  GtkWidget *entry;

  fest_client_set_token (client, server->token);
  page = fest_team_page_new (client);
  team = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (team), 1024, 700);
  gtk_window_set_child (GTK_WINDOW (team), page);
  gtk_window_present (GTK_WINDOW (team));
  fest_team_page_reload (FEST_TEAM_PAGE (page));
  g_assert_true (fest_app_test_wait (team_loaded, page, 20000));
  g_assert_cmpstr (fest_team_page_get_state (FEST_TEAM_PAGE (page)), ==, "content");
  gtk_widget_activate_action (page, "team.enroll-device", NULL);
  form = wait_toplevel (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (form, "name", "Gate A scanner");
  fest_form_dialog_set_selected (form, "mode", 2);       /* scanner */
  fest_form_dialog_set_selected (form, "stand_id", 0);   /* no stand */
  fest_form_dialog_save (form);
  qr = wait_toplevel (FEST_TYPE_QR_DIALOG);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (qr));
  token = g_strdup (fest_qr_dialog_get_text (qr));
  shown = displayed_text (gtk_label_get_layout (qr_text_label (qr)));
  g_test_message ("token shown on %u lines: %s", count_lines (qr_text_label (qr)), shown);
  /* However wide the dialog, the token shows with its own characters and spaces only; where a
   * width would show another (a hyphen Pango adds), that is what the person types. */
  {
    g_autoptr(PangoLayout) layout = pango_layout_copy (gtk_label_get_layout (qr_text_label (qr)));
    int width, height;

    pango_layout_set_width (layout, -1);
    pango_layout_get_size (layout, &width, &height);
    for (int chars = 6; chars <= 80; chars++)
      {
        g_autofree char *at_width = NULL;

        pango_layout_set_width (layout, width / (int) g_utf8_strlen (pango_layout_get_text (layout), -1) * chars);
        at_width = displayed_text (layout);
        for (const char *p = at_width; *p != '\0'; p++)
          if (*p != ' ' && strchr (token, *p) == NULL)
            {
              g_test_message ("at %d characters wide: %s", chars, at_width);
              g_free (shown);
              shown = g_steal_pointer (&at_width);
              break;
            }
        if (at_width == NULL)
          break;
      }
  }
  screenshot (GTK_WIDGET (qr), "device-token");
  gtk_window_destroy (GTK_WINDOW (qr));
  gtk_window_destroy (GTK_WINDOW (team));

  /* Typed as shown at human speed, then the form's Enroll. */
  gate = open_station (server, client, "scanner");
  entry = find_entry (GTK_WIDGET (gate), _("Paste or scan the token"));
  g_assert_nonnull (entry);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (gate));
  fest_app_test_click (entry);
  g_assert_true (fest_app_test_wait (has_focus, entry, 5000));
  fest_app_test_xdotool ("type", "--delay", "12", shown, NULL);
  {
    TextWait wait = { GTK_EDITABLE (entry), shown };

    fest_app_test_wait (editable_has_text, &wait, 10000);
  }
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, shown);
  {
    g_autofree char *typed = g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry)));

    fest_station_window_enroll (gate, server->url, typed, "1357");
  }
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, gate, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, gate, 20000));
  gtk_window_destroy (GTK_WINDOW (gate));
}

/* 4. A ticket code with a real hyphen is shown with exactly its characters, wrapped or not. */
static void
test_ticket_code_displayed (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *code = NULL;
  g_autofree char *shown = NULL;
  FestQrDialog *qr;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/ticket-types", server->token, &reply,
                                           "{\"name\":\"Pass\",\"code\":\"PASS\",\"price\":0,\"quota\":null,"
                                           "\"valid_from\":\"2026-01-01T00:00:00Z\","
                                           "\"valid_until\":\"2030-01-01T00:00:00Z\",\"reentry_allowed\":false}"), ==, 201);
  type_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  /* Codes are base64url: most have a '-' somewhere. */
  for (guint i = 0; i < 50 && (code == NULL || strchr (code, '-') == NULL); i++)
    {
      g_clear_pointer (&reply, json_node_unref);
      g_clear_pointer (&code, g_free);
      g_assert_cmpuint (fest_app_test_request (server, "POST", "/tickets", server->token, &reply,
                                               "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Grace Hopper\"}",
                                               type_id), ==, 201);
      code = g_strdup (fest_app_test_json_string (reply, "data.qr_code"));
    }
  g_assert_nonnull (strchr (code, '-'));

  /* As the Tickets page shows it. */
  qr = fest_qr_dialog_new (NULL, _("Ticket"), NULL, code);
  gtk_window_present (GTK_WINDOW (qr));
  gtk_test_widget_wait_for_draw (GTK_WIDGET (qr));
  shown = displayed_text (gtk_label_get_layout (qr_text_label (qr)));
  g_assert_cmpuint (count_lines (qr_text_label (qr)), >, 1);
  g_assert_cmpstr (shown, ==, code);
  screenshot (GTK_WIDGET (qr), "ticket-code");
  gtk_window_destroy (GTK_WINDOW (qr));
}

static gboolean
view_is (gpointer data)
{
  FestStationWindow *window = g_object_get_data (data, "window");

  return g_strcmp0 (fest_station_window_get_view (window), g_object_get_data (data, "view")) == 0;
}

static void
wait_view (FestStationWindow *window,
           const char        *view)
{
  g_autoptr(GObject) wait = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_set_data (wait, "window", window);
  g_object_set_data (wait, "view", (gpointer) view);
  if (!fest_app_test_wait (view_is, wait, 20000))
    g_error ("view %s, expected %s", fest_station_window_get_view (window), view);
}

/* @window (asked for 1280 × 800) is on the 1280 × 800 screen: nothing past its edges. */
static void
assert_fits_screen (GtkWindow *window)
{
  GdkMonitor *monitor = gdk_display_get_monitor_at_surface (gtk_widget_get_display (GTK_WIDGET (window)),
                                                            gtk_native_get_surface (GTK_NATIVE (window)));
  GdkRectangle geometry;

  gdk_monitor_get_geometry (monitor, &geometry);
  g_test_message ("window %d×%d on a %d×%d screen", gtk_widget_get_width (GTK_WIDGET (window)),
                  gtk_widget_get_height (GTK_WIDGET (window)), geometry.width, geometry.height);
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (window)), <=, geometry.height);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (window)), <=, geometry.width);
}

static GtkWidget *
find_icon_button (GtkWidget  *root,
                  const char *icon)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_icon_name (GTK_BUTTON (root)), icon) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_icon_button (child, icon);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The gear button, the PIN typed, Return: the settings. */
static void
open_settings (FestStationWindow *window)
{
  GtkWidget *gear = find_icon_button (GTK_WIDGET (window), "emblem-system-symbolic");
  GtkWindow *pin;

  g_assert_nonnull (gear);
  fest_app_test_click (gear);
  pin = wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (pin));
  fest_app_test_xdotool ("type", "--delay", "30", "1357", NULL);
  key ("Return");
  wait_view (window, "settings");
}

static GtkWidget *
unenroll_button (FestStationWindow *window)
{
  GtkWidget *button = find_widget (GTK_WIDGET (window), GTK_TYPE_BUTTON, _("_Un-enroll This Station…"));

  g_assert_nonnull (button);
  return button;
}

/* 5. Settings are settings: Escape leaves them with the enrollment and the unsent operations
 * intact; un-enrolling is refused while operations are unsent, allowed after a sync, and keeps
 * the operations. */
static void
test_settings_keep_station (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *desk_id = create_stand (server, "Cash desk", "RECHARGE");
  g_autofree char *wallet_code = NULL;
  g_autoptr(GError) error = NULL;
  FestStationWindow *desk = enrolled_station (server, client, desk_id, "recharge");
  FestStationStore *store = g_object_ref (fest_station_window_get_store (desk));
  AdwMessageDialog *dialog;
  guint n_ops;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/wallets", server->token, &reply, "{}"), ==, 201);
  wallet_code = g_strdup (fest_app_test_json_string (reply, "data.code"));

  /* A credit queued while the server is away: one unsent operation. */
  fest_app_test_server_stop (server);
  {
    g_autoptr(FestOutboxOp) op = fest_station_store_record_recharge (store, wallet_code, 2000, "CASH", &error);

    g_assert_no_error (error);
  }
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);

  open_settings (desk);
  screenshot (GTK_WIDGET (desk), "view");
  key ("Escape");
  wait_view (desk, "station");
  g_assert_true (fest_station_store_is_enrolled (store));
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);

  /* Un-enroll while that credit is unsent: refused, said why, nothing forgotten. */
  open_settings (desk);
  fest_app_test_click (unenroll_button (desk));
  dialog = wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "1"));
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), _("Not Un-enrolled")));
  screenshot (GTK_WIDGET (dialog), "unenroll-refused");
  key ("Return");
  g_assert_false (has_toplevel (GSIZE_TO_POINTER (ADW_TYPE_MESSAGE_DIALOG)));
  g_assert_true (fest_station_store_is_enrolled (store));
  g_assert_cmpuint (fest_station_store_count_pending (store), ==, 1);
  key ("Escape");
  wait_view (desk, "station");

  /* Once synced, un-enrolling is allowed after a confirmation, and the operations stay. */
  fest_app_test_server_restart (server);
  /* With it goes a report the server refuses (over 2000 characters): the status bar then has its
   * "refused by the server" button, and the window still fits the screen. */
  {
    g_autofree char *long_text = g_strnfill (2001, 'x');
    g_autoptr(FestOutboxOp) op = fest_station_store_record_incident (store, "FIGHT", 47.2, -1.5, long_text, &error);

    g_assert_no_error (error);
  }
  fest_sync_engine_sync_now (fest_station_window_get_engine (desk));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 30000));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    n_ops = ops->len;
    g_assert_cmpuint (n_ops, ==, 2);
  }
  fest_app_test_wait (never, NULL, 300);
  screenshot (GTK_WIDGET (desk), "rejected");
  assert_fits_screen (GTK_WINDOW (desk));
  open_settings (desk);
  fest_app_test_click (unenroll_button (desk));
  dialog = wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Un-enroll This Station?"));
  screenshot (GTK_WIDGET (dialog), "unenroll-confirm");
  adw_message_dialog_response (dialog, "unenroll");
  wait_view (desk, "enroll");
  g_assert_false (fest_station_store_is_enrolled (store));
  {
    g_autoptr(GPtrArray) ops = fest_station_store_list_all_ops (store);

    g_assert_cmpuint (ops->len, ==, n_ops);
  }
  gtk_window_destroy (GTK_WINDOW (desk));
  g_object_unref (store);
}

/* 12. Every incident type's button shows an icon the display's theme has. */
static void
test_incident_icons (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *stand_id = create_stand (server, "Gate A", "BAR");
  FestStationWindow *window = enrolled_station (server, client, stand_id, "security");
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (window)));
  GtkWidget *flow = find_widget (GTK_WIDGET (window), GTK_TYPE_FLOW_BOX, NULL);
  guint n = 0;

  g_assert_nonnull (flow);
  for (GtkWidget *child = gtk_widget_get_first_child (flow); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *content = find_widget (child, ADW_TYPE_BUTTON_CONTENT, NULL);
      const char *icon;

      g_assert_nonnull (content);
      icon = adw_button_content_get_icon_name (ADW_BUTTON_CONTENT (content));
      g_test_message ("%s: %s", adw_button_content_get_label (ADW_BUTTON_CONTENT (content)), icon);
      g_assert_true (gtk_icon_theme_has_icon (theme, icon));
      n++;
    }
  g_assert_cmpuint (n, ==, 7);

  /* 12. Two toasts in a row: the newest is shown, whole, inside the window. */
  fest_station_window_toast (window, "First message");
  fest_station_window_toast (window, _("Incident reported"));
  fest_app_test_wait (never, NULL, 600);
  {
    GtkWidget *toast = NULL;
    GtkWidget *older = NULL;
    graphene_rect_t bounds;

    for (GtkWidget *w = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, _("Incident reported")); w != NULL; w = gtk_widget_get_parent (w))
      if (g_str_equal (G_OBJECT_TYPE_NAME (w), "AdwToastWidget"))
        toast = w;
    for (GtkWidget *w = find_widget (GTK_WIDGET (window), GTK_TYPE_LABEL, "First message"); w != NULL; w = gtk_widget_get_parent (w))
      if (g_str_equal (G_OBJECT_TYPE_NAME (w), "AdwToastWidget"))
        older = w;
    g_assert_null (older);   /* gone, not queued to show later */
    g_assert_nonnull (toast);
    g_assert_true (gtk_widget_compute_bounds (toast, GTK_WIDGET (window), &bounds));
    g_test_message ("toast at %g,%g %gx%g in %dx%d", bounds.origin.x, bounds.origin.y,
                    bounds.size.width, bounds.size.height,
                    gtk_widget_get_width (GTK_WIDGET (window)), gtk_widget_get_height (GTK_WIDGET (window)));
    g_assert_cmpfloat (bounds.origin.x, >=, 0);
    g_assert_cmpfloat (bounds.origin.y, >=, 0);
    g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, gtk_widget_get_width (GTK_WIDGET (window)));
    g_assert_cmpfloat (bounds.origin.y + bounds.size.height, <=, gtk_widget_get_height (GTK_WIDGET (window)));
  }
  /* ... and the window (asked for 1280 × 800) on the 1280 × 800 screen: nothing below its edge. */
  assert_fits_screen (GTK_WINDOW (window));
  screenshot (GTK_WIDGET (window), "security-toast");
  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
label_contains (GtkWidget  *root,
                const char *text)
{
  if (GTK_IS_LABEL (root) && gtk_widget_is_drawable (root) &&
      strstr (gtk_label_get_text (GTK_LABEL (root)), text) != NULL)
    return TRUE;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    if (label_contains (child, text))
      return TRUE;
  return FALSE;
}

static gboolean
station_drawn (gpointer data)
{
  return fest_app_test_station_shown (data) && gtk_widget_get_mapped (fest_station_window_get_page (data));
}

/* 13. The first screen after enrollment speaks the festival's currency, before any sync. */
static void
test_currency_from_start (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autofree char *desk_id = create_stand (server, "Cash desk", "RECHARGE");
  g_autofree char *token = fest_app_test_create_device (server, desk_id, "recharge");
  g_autofree char *path = g_strdup_printf ("/festivals/%s", server->festival_id);
  FestStationWindow *desk;

  /* A name no translation of "Tokens" has. */
  g_assert_cmpuint (fest_app_test_request (server, "PATCH", path, server->token, NULL,
                                           "{\"currency_name\":\"Drachmas\"}"), ==, 200);
  desk = open_station (server, client, "recharge");
  fest_station_window_enroll (desk, server->url, token, "1357");
  g_assert_true (fest_app_test_wait (station_drawn, desk, 20000));
  /* The first sync has not answered yet: what shows came from the enrollment. */
  g_assert_null (fest_sync_engine_get_last_sync (fest_station_window_get_engine (desk)));
  g_assert_true (label_contains (GTK_WIDGET (desk), "Drachmas"));
  g_assert_false (label_contains (GTK_WIDGET (desk), _("Tokens")));
  screenshot (GTK_WIDGET (desk), "currency");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, desk, 20000));
  gtk_window_destroy (GTK_WINDOW (desk));
}

int
main (int argc, char *argv[])
{
  fest_app_test_init (&argc, &argv);
  fest_application_init_i18n ();
  fest_core_init ();

  g_test_add_func ("/fest/station-settings/token-typed-as-displayed", test_token_typed_as_displayed);
  g_test_add_func ("/fest/station-settings/ticket-code-displayed", test_ticket_code_displayed);
  g_test_add_func ("/fest/station-settings/settings-keep-station", test_settings_keep_station);
  g_test_add_func ("/fest/station-settings/incident-icons-and-toasts", test_incident_icons);
  g_test_add_func ("/fest/station-settings/currency-from-start", test_currency_from_start);

  return g_test_run ();
}
