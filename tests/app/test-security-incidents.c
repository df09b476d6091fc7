/* test-security-incidents.c: the guard's incidents on the security station, the scanner's gate, under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Against a real server: the guard signs in on a security station with real keys and sees exactly
 * the incidents assigned to them, newest first; selecting one puts the map's marker on it. They
 * resolve one with notes typed in the dialog (real key events): the server has it RESOLVED with
 * those notes. With the server gone they resolve the other: the row says it waits, and once the
 * server is back the sync sends it, once. A scanner station picks its gate from the festival's
 * gates and its scans carry that gate's name. Screenshots: security-incidents-<lang>.png,
 * scanner-gates-<lang>.png.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-app-test.h"
#include "fest-core.h"
#include "fest-scanner-page.h"
#include "fest-security-assigned.h"
#include "fest-security-page.h"
#include "fest-site-map.h"
#include "fest-station-window-private.h"

#define GUARD_EMAIL    "guard@test.festivals"
#define GUARD_PASSWORD "guard password 42"

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
  g_autofree char *file = g_strdup_printf ("%s-%s.png", name, lang ());

  gtk_test_widget_wait_for_draw (window);
  fest_app_test_render_png (window, file);
}

static void
type_text (const char *text)
{
  fest_app_test_xdotool ("type", "--delay", "25", text, NULL);
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type) && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* A station of @mode enrolled on @server (at a new stand), shown and synced. */
static FestStationWindow *
enrolled_station (FestAppTestServer *server,
                  FestClient        *client,
                  const char        *mode)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *stand_id = NULL;
  g_autofree char *token = NULL;
  FestStationWindow *window;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/stands", server->token, &reply,
                                           "{\"name\":\"Poste %s\",\"type\":\"MERCH\","
                                           "\"location\":{\"lat\":45.7512,\"lng\":4.8491}}", mode), ==, 201);
  stand_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/devices", server->token, &reply,
                                           "{\"name\":\"%s station\",\"stand_id\":\"%s\",\"mode\":\"%s\"}",
                                           mode, stand_id, mode), ==, 201);
  token = g_strdup (fest_app_test_json_string (reply, "data.token"));

  window = FEST_STATION_WINDOW (fest_station_window_new (NULL, client, mode, NULL));
  gtk_window_unfullscreen (GTK_WINDOW (window));
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  while (g_strcmp0 (fest_station_window_get_view (window), "loading") == 0)
    g_main_context_iteration (NULL, TRUE);
  fest_station_window_enroll (window, server->url, token, "2468");
  g_assert_true (fest_app_test_wait (fest_app_test_station_shown, window, 20000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  return window;
}

/* A SECURITY member; returns their account id. */
static char *
add_guard (FestAppTestServer *server,
           const char        *email,
           const char        *password)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/members", server->token, &reply,
                                           "{\"email\":\"%s\",\"name\":\"Gaby Garde\",\"password\":\"%s\","
                                           "\"roles\":[\"SECURITY\"]}", email, password), ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

/* An incident at (@lat, @lng), assigned to @assignee (NULL: left open); returns its id. */
static char *
add_incident (FestAppTestServer *server,
              const char        *type,
              const char        *lat,
              const char        *lng,
              const char        *description,
              const char        *assignee)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/incidents", server->token, &reply,
                                           "{\"type\":\"%s\",\"location\":{\"lat\":%s,\"lng\":%s},"
                                           "\"description\":\"%s\"}", type, lat, lng, description), ==, 201);
  id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  if (assignee != NULL)
    {
      g_clear_pointer (&reply, json_node_unref);
      path = g_strdup_printf ("/incidents/%s", id);
      g_assert_cmpuint (fest_app_test_request (server, "PATCH", path, server->token, &reply,
                                               "{\"assigned_to\":\"%s\"}", assignee), ==, 200);
    }
  /* Distinct created_at: the list's order is the server's time order. */
  g_usleep (15000);
  return g_steal_pointer (&id);
}

typedef struct
{
  FestAppTestServer *server;
  const char        *incident_id;
  const char        *notes;
} ServerWait;

static gboolean
server_resolved (gpointer data)
{
  ServerWait *wait = data;
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *path = g_strdup_printf ("/incidents/%s", wait->incident_id);

  g_usleep (20000);
  if (fest_app_test_request (wait->server, "GET", path, wait->server->token, &reply, NULL) != 200)
    return FALSE;
  return g_strcmp0 (fest_app_test_json_string (reply, "data.status"), "RESOLVED") == 0 &&
         g_strcmp0 (fest_app_test_json_string (reply, "data.resolution_notes"), wait->notes) == 0;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static gboolean
two_rows (gpointer data)
{
  return count_rows (data) == 2;
}

static gboolean
list_shown (gpointer data)
{
  return gtk_widget_get_mapped (GTK_WIDGET (data));
}

/* The focus is in @data (an entry's text, or the widget itself). */
static gboolean
has_focus (gpointer data)
{
  GtkRoot *root = gtk_widget_get_root (data);
  GtkWidget *focus = root != NULL ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == data || gtk_widget_is_ancestor (focus, data));
}

static gboolean
has_dialog (gpointer data)
{
  GtkWindow *dialog = fest_security_assigned_get_dialog (data);

  return dialog != NULL && gtk_widget_get_mapped (GTK_WIDGET (dialog)) &&
         fest_security_assigned_get_notes (data) != NULL &&
         gtk_widget_has_focus (GTK_WIDGET (fest_security_assigned_get_notes (data)));
}

static gboolean
dialog_gone (gpointer data)
{
  GtkWindow *dialog = fest_security_assigned_get_dialog (data);

  return dialog == NULL || !gtk_widget_get_visible (GTK_WIDGET (dialog));
}

typedef struct
{
  GtkTextBuffer *buffer;
  const char    *text;
} BufferWait;

static gboolean
buffer_has_text (gpointer data)
{
  BufferWait *wait = data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (wait->buffer, &start, &end);
  text = gtk_text_buffer_get_text (wait->buffer, &start, &end, FALSE);
  return g_strcmp0 (text, wait->text) == 0;
}

static gboolean
is_offline (gpointer data)
{
  return !fest_sync_engine_get_online (fest_station_window_get_engine (data));
}

static GtkListBoxRow *
row_of (GtkListBox *list,
        const char *incident_id)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)) != NULL; i++)
    if (g_strcmp0 (g_object_get_data (G_OBJECT (row), "incident-id"), incident_id) == 0)
      return row;
  return NULL;
}

typedef struct
{
  GtkListBox *list;
  const char *incident_id;
} RowWait;

static gboolean
has_row (gpointer data)
{
  RowWait *wait = data;

  return row_of (wait->list, wait->incident_id) != NULL;
}

/* Opens the row's resolve dialog with a real click, types @notes with real keys, then clicks
 * Resolve or (@ctrl_enter) presses Ctrl+Enter. */
static void
resolve_with_keys (FestSecurityAssigned *assigned,
                   const char           *incident_id,
                   const char           *notes,
                   gboolean              ctrl_enter)
{
  GtkListBoxRow *row = row_of (fest_security_assigned_get_list (assigned), incident_id);
  GtkWidget *button;
  BufferWait wait;

  g_assert_nonnull (row);
  button = find_button (GTK_WIDGET (row), _("Re_solve…"));
  g_assert_nonnull (button);
  g_assert_nonnull (gtk_widget_get_tooltip_text (button));
  fest_app_test_click (button);
  g_assert_true (fest_app_test_wait (has_dialog, assigned, 10000));
  /* Resolve stays off until there are notes. */
  button = find_button (GTK_WIDGET (fest_security_assigned_get_dialog (assigned)), _("_Resolve"));
  g_assert_nonnull (button);
  g_assert_false (gtk_widget_is_sensitive (button));
  wait.buffer = gtk_text_view_get_buffer (fest_security_assigned_get_notes (assigned));
  wait.text = notes;
  type_text (notes);
  g_assert_true (fest_app_test_wait (buffer_has_text, &wait, 10000));
  g_assert_true (gtk_widget_is_sensitive (button));
  if (ctrl_enter)
    {
      g_object_ref (button);
      fest_app_test_xdotool ("key", "ctrl+Return", NULL);
      g_object_unref (button);
    }
  else
    fest_app_test_click (button);
}

static void
test_guard_incidents (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *guard_id = NULL;
  g_autofree char *other_guard = NULL;
  g_autofree char *older = NULL;
  g_autofree char *newer = NULL;
  g_autofree char *not_mine = NULL;
  g_autofree char *open = NULL;
  g_autofree char *audit_path = NULL;
  FestStationWindow *window;
  FestSecurityPage *page;
  FestSecurityAssigned *assigned;
  GtkListBox *list;
  GtkWidget *email;
  ServerWait wait;
  double lat, lng;

  guard_id = add_guard (server, GUARD_EMAIL, GUARD_PASSWORD);
  other_guard = add_guard (server, "other@test.festivals", "other password 42");
  older = add_incident (server, "THEFT", "45.7501", "4.8480", "Bag taken at the food court", guard_id);
  not_mine = add_incident (server, "MEDICAL", "45.7505", "4.8485", "Someone fainted", other_guard);
  open = add_incident (server, "OTHER", "45.7507", "4.8487", "Lost keys", NULL);
  newer = add_incident (server, "FIGHT", "45.7520", "4.8500", "Fight at the main stage", guard_id);

  window = enrolled_station (server, client, "security");
  page = FEST_SECURITY_PAGE (fest_station_window_get_page (window));
  assigned = fest_security_page_get_assigned (page);
  list = fest_security_assigned_get_list (assigned);

  /* The guard signs in with real keys: email, Enter, password, Enter. */
  email = find_type (GTK_WIDGET (assigned), GTK_TYPE_ENTRY);
  g_assert_nonnull (email);
  /* The page may still be settling (the first sync's toast, the map): click until it has the focus. */
  for (guint i = 0; i < 5 && !has_focus (email); i++)
    {
      fest_app_test_click (email);
      fest_app_test_wait (has_focus, email, 1000);
    }
  g_assert_true (fest_app_test_wait (has_focus, email, 1000));
  type_text (GUARD_EMAIL);
  fest_app_test_xdotool ("key", "Return", NULL);
  type_text (GUARD_PASSWORD);
  fest_app_test_xdotool ("key", "Return", NULL);
  if (!fest_app_test_wait (list_shown, list, 20000))
    {
      GtkWidget *password = find_type (GTK_WIDGET (assigned), GTK_TYPE_PASSWORD_ENTRY);

      g_test_message ("Not signed in: email \"%s\", password \"%s\", last toast \"%s\"",
                      gtk_editable_get_text (GTK_EDITABLE (email)),
                      password != NULL ? gtk_editable_get_text (GTK_EDITABLE (password)) : "(none)",
                      fest_station_window_get_last_toast (window));
      g_assert_not_reached ();
    }

  /* Exactly their two incidents, newest first. */
  g_assert_true (fest_app_test_wait (two_rows, list, 20000));
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (list, 0)), "incident-id"), ==, newer);
  g_assert_cmpstr (g_object_get_data (G_OBJECT (gtk_list_box_get_row_at_index (list, 1)), "incident-id"), ==, older);
  g_assert_null (row_of (list, not_mine));
  g_assert_null (row_of (list, open));

  /* Selecting one shows it on the map. */
  gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, 0));
  fest_site_map_get_position (fest_security_page_get_map (page), &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, 45.7520, 1e-6);
  g_assert_cmpfloat_with_epsilon (lng, 4.8500, 1e-6);
  fest_app_test_wait (list_shown, list, 300);
  screenshot (GTK_WIDGET (window), "security-incidents");

  /* A refresh that finds the same incidents keeps their rows and buttons: a click on its way
   * (the list refreshes every few seconds) lands on what the guard aimed at. */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, 1);
    GtkWidget *button = find_button (GTK_WIDGET (row), _("Re_solve…"));

    g_assert_nonnull (button);
    fest_security_assigned_refresh (assigned);
    g_assert_true (gtk_list_box_get_row_at_index (list, 1) == row);
    g_assert_true (find_button (GTK_WIDGET (row), _("Re_solve…")) == button);
    g_assert_true (gtk_widget_get_parent (button) != NULL);
  }

  /* From the keyboard: Enter on the focused row opens its dialog, Escape closes it. */
  gtk_widget_grab_focus (GTK_WIDGET (gtk_list_box_get_row_at_index (list, 1)));
  fest_app_test_xdotool ("key", "Return", NULL);
  g_assert_true (fest_app_test_wait (has_dialog, assigned, 10000));
  fest_app_test_xdotool ("key", "Escape", NULL);
  g_assert_true (fest_app_test_wait (dialog_gone, assigned, 10000));

  /* Online: resolved from the page, the server has it with the typed notes. */
  resolve_with_keys (assigned, newer, "Separated them, no injury", FALSE);
  wait = (ServerWait) { server, newer, "Separated them, no injury" };
  g_assert_true (fest_app_test_wait (server_resolved, &wait, 20000));

  /* Offline: the server goes away; the resolution waits in the outbox and the row says so. */
  fest_app_test_server_stop (server);
  fest_sync_engine_sync_now (fest_station_window_get_engine (window));
  g_assert_true (fest_app_test_wait (is_offline, window, 20000));
  resolve_with_keys (assigned, older, "Bag found and given back", TRUE);
  {
    g_autoptr(GPtrArray) cached = fest_station_store_list_assigned_incidents (fest_station_window_get_store (window),
                                                                              guard_id);
    gboolean waiting = FALSE;

    for (guint i = 0; i < cached->len; i++)
      {
        FestStationIncident *incident = g_ptr_array_index (cached, i);

        if (g_str_equal (incident->id, older))
          waiting = incident->resolution_state == FEST_OUTBOX_PENDING;
      }
    g_assert_true (waiting);
  }
  g_assert_nonnull (row_of (list, older));
  {
    const char *expected = _("Resolved (waiting to sync)");
    GtkWidget *row = GTK_WIDGET (row_of (list, older));
    gboolean found = FALSE;

    /* The row's texts: one of its labels says it waits. */
    for (GtkWidget *w = row; w != NULL && !found;)
      {
        if (GTK_IS_LABEL (w) && g_strcmp0 (gtk_label_get_text (GTK_LABEL (w)), expected) == 0)
          found = TRUE;
        if (gtk_widget_get_first_child (w) != NULL)
          w = gtk_widget_get_first_child (w);
        else
          {
            while (w != row && gtk_widget_get_next_sibling (w) == NULL)
              w = gtk_widget_get_parent (w);
            w = w == row ? NULL : gtk_widget_get_next_sibling (w);
          }
      }
    g_assert_true (found);
  }
  screenshot (GTK_WIDGET (window), "security-incidents-offline");

  /* Back: the sync sends it; the server has it once. */
  fest_app_test_server_restart (server);
  fest_sync_engine_sync_now (fest_station_window_get_engine (window));
  wait = (ServerWait) { server, older, "Bag found and given back" };
  g_assert_true (fest_app_test_wait (server_resolved, &wait, 30000));
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  audit_path = g_strdup_printf ("/audit?entity_type=incident&entity_id=%s&action=incident.update&per_page=500", older);
  g_assert_cmpuint (fest_app_test_request (server, "GET", audit_path, server->token, &reply, NULL), ==, 200);
  /* The assignment and the resolution. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "data")), ==, 2);

  /* A station started again keeps its guard: with the window gone (nothing else fetches), a new
   * "My incidents" on the same store finds their token in the keyring and lists an incident
   * assigned since. */
  {
    g_autoptr(FestStationContext) context = g_object_ref (fest_station_window_get_context (window));
    g_autofree char *later = NULL;
    FestSecurityAssigned *again;
    RowWait row_wait;

    fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
    later = add_incident (server, "LOST_PERSON", "45.7510", "4.8490", "Child looking for parents", guard_id);
    again = g_object_ref_sink (fest_security_assigned_new (context));
    row_wait = (RowWait) { fest_security_assigned_get_list (again), later };
    /* At once: the cached list, without the new one. */
    g_assert_null (row_of (row_wait.list, later));
    g_assert_true (fest_app_test_wait (has_row, &row_wait, 20000));
    g_object_unref (again);
  }
}

static gboolean
picker_has_gates (gpointer data)
{
  GtkDropDown *picker = data;
  GListModel *model = gtk_drop_down_get_model (picker);

  return gtk_widget_get_visible (GTK_WIDGET (picker)) && model != NULL && g_list_model_get_n_items (model) == 2;
}

static gboolean
picker_second (gpointer data)
{
  return gtk_drop_down_get_selected (data) == 1;
}

static void
test_scanner_gate (void)
{
  g_autoptr(FestAppTestServer) server = fest_app_test_server_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (server->url);
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *type_id = NULL;
  g_autofree char *ticket_id = NULL;
  g_autofree char *qr = NULL;
  g_autofree char *path = NULL;
  FestStationWindow *window;
  FestScannerPage *page;
  GtkDropDown *picker;
  GtkWidget *entry;

  g_assert_cmpuint (fest_app_test_request (server, "POST", "/gates", server->token, &reply,
                                           "{\"name\":\"Porte Nord\",\"location\":{\"lat\":45.76,\"lng\":4.84}}"), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/gates", server->token, &reply,
                                           "{\"name\":\"Porte Sud\",\"location\":null}"), ==, 201);
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/ticket-types", server->token, &reply,
                                           "{\"name\":\"Pass\",\"code\":\"PASS\",\"price\":0,\"quota\":null,"
                                           "\"valid_from\":\"2026-01-01T00:00:00Z\","
                                           "\"valid_until\":\"2030-01-01T00:00:00Z\",\"reentry_allowed\":false}"), ==, 201);
  type_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);
  g_assert_cmpuint (fest_app_test_request (server, "POST", "/tickets", server->token, &reply,
                                           "{\"ticket_type_id\":\"%s\",\"holder_name\":\"Ada Lovelace\","
                                           "\"holder_email\":\"ada@example.org\"}", type_id), ==, 201);
  qr = g_strdup (fest_app_test_json_string (reply, "data.qr_code"));
  ticket_id = g_strdup (fest_app_test_json_string (reply, "data.id"));
  g_clear_pointer (&reply, json_node_unref);

  window = enrolled_station (server, client, "scanner");
  page = FEST_SCANNER_PAGE (fest_station_window_get_page (window));
  /* The gates arrive with the page's GET /gates. */
  g_assert_true (fest_app_test_wait (picker_has_gates, fest_scanner_page_get_gate_picker (page), 20000));
  picker = fest_scanner_page_get_gate_picker (page);
  /* The typed name is only a fallback: hidden while the festival has gates. */
  entry = fest_scanner_page_get_gate_entry (page);
  g_assert_false (gtk_widget_get_visible (entry));

  g_assert_cmpuint (gtk_drop_down_get_selected (picker), ==, 0);
  /* The second gate is picked (the picker takes the keyboard focus; its popover list is GTK's own
   * and opening it under Xvfb is not reliable enough for a test). */
  g_assert_true (gtk_widget_grab_focus (GTK_WIDGET (picker)));
  gtk_drop_down_set_selected (picker, 1);
  g_assert_true (picker_second (picker));
  screenshot (GTK_WIDGET (window), "scanner-gates");

  fest_station_window_simulate_scan (window, qr);
  g_assert_cmpstr (fest_scanner_page_get_verdict (page), ==, "accept");
  g_assert_true (fest_app_test_wait (fest_app_test_station_synced, window, 20000));
  path = g_strdup_printf ("/tickets/%s", ticket_id);
  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  g_assert_cmpstr (fest_app_test_json_string (reply, "data.used_gate"), ==, "Porte Sud");

  fest_app_test_destroy_and_check (GTK_WINDOW (window), page);
}

int
main (int argc, char *argv[])
{
  const char *localedir;

  fest_app_test_init (&argc, &argv);
  /* The French run shows the French strings (the application object, not used here, binds them
   * otherwise). */
  localedir = g_getenv ("FESTIVALS_LOCALEDIR");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL && *localedir != '\0' ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_test_add_func ("/fest/app/security/guard-incidents", test_guard_incidents);
  g_test_add_func ("/fest/app/scanner/gate-picker", test_scanner_gate);
  return g_test_run ();
}
