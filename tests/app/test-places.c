/* test-places.c: placing gates, stands and stages on the site map, and the Security lead role
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One real server (fest-app-test.h) with one festival located in Lyon. Through the back office's
 * own pages and dialogs, under Xvfb: a gate is created on the Tickets page with a position placed
 * from the map's keyboard (Enter: at the centre), a clashing name is refused in the dialog, the
 * gate is moved, cleared and deleted; a stand (Stands page) and a stage (Lineup page) get their
 * position from a click on the map; a member given Security lead on the Team page has SECURITY and
 * SECURITY_LEAD. The server's state is checked through the API. Screenshots of the dialogs go to
 * <builddir>/tests/app/screenshots/places-*-{en,fr}.png.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <math.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-client.h"
#include "fest-event-stream.h"
#include "fest-form-dialog.h"
#include "fest-gates-section.h"
#include "fest-lineup-page.h"
#include "fest-location-picker.h"
#include "fest-page-util.h"
#include "fest-stands-page.h"
#include "fest-team-page.h"
#include "fest-tickets-page.h"

#define TIMEOUT_MS 15000
#define SITE_LAT 45.7500
#define SITE_LNG 4.8500

static FestAppTestServer *server;

typedef struct
{
  GtkWidget  *window;
  GtkWidget  *page;
  FestClient *client;
} Shown;

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

/* API */

static char *
api_create (const char *path,
            const char *body)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "POST", path, server->token, &reply, "%s", body),
                    ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

/* GET @path's data object (transfer full). */
static JsonObject *
api_get (const char *path)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  return json_object_ref (json_object_get_object_member (json_node_get_object (reply), "data"));
}

static guint
api_count (const char *path)
{
  g_autoptr(JsonNode) reply = NULL;

  g_assert_cmpuint (fest_app_test_request (server, "GET", path, server->token, &reply, NULL), ==, 200);
  return json_array_get_length (json_object_get_array_member (json_node_get_object (reply), "data"));
}

static JsonObject *
location_of (JsonObject *object)
{
  JsonNode *node = json_object_get_member (object, "location");

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* Pages and dialogs */

static gboolean
page_loaded (gpointer data)
{
  return g_strcmp0 (fest_page_get_state_name (data), "loading") != 0;
}

static void
show_page (Shown     *shown,
           GtkWidget *(*page_new) (FestClient *))
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  shown->client = fest_client_new (server->url);
  fest_client_set_token (shown->client, server->token);
  shown->page = page_new (shown->client);
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), shown->page);
  shown->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (shown->window), 1200, 720);
  adw_window_set_content (ADW_WINDOW (shown->window), overlay);
  gtk_window_present (GTK_WINDOW (shown->window));
  /* As the window does: the page knows the festival in use (the dialogs' maps centre on it). */
  {
    g_autofree char *path = g_strdup_printf ("/festivals/%s", server->festival_id);
    g_autoptr(JsonObject) festival = api_get (path);

    fest_page_set_festival (FEST_PAGE (shown->page), festival);
  }
  fest_page_reload (FEST_PAGE (shown->page));
  g_assert_true (fest_app_test_wait (page_loaded, shown->page, TIMEOUT_MS));
}

static void
close_page (Shown *shown)
{
  fest_app_test_destroy_and_check (GTK_WINDOW (shown->window), shown->page);
  g_clear_object (&shown->client);
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *wait = data;
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  wait->found = NULL;
  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, wait->type) && gtk_widget_get_visible (l->data))
      wait->found = l->data;
  return wait->found != NULL;
}

static gpointer
wait_dialog (GType type)
{
  DialogWait wait = { type, NULL };

  g_assert_true (fest_app_test_wait (dialog_shown, &wait, TIMEOUT_MS));
  /* Drawn once: the map has its size, clicks land where they should. */
  settle (200);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (wait.found));
  return wait.found;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
save_and_wait_closed (FestFormDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  if (!fest_app_test_wait (pointer_is_null, &weak, TIMEOUT_MS))
    g_error ("the dialog stayed open: %s", fest_form_dialog_get_error (dialog));
}

static gboolean
not_busy (gpointer data)
{
  return !fest_form_dialog_get_busy (data);
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    return widget;
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_descendant (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static FestLocationPicker *
picker_of (FestFormDialog *dialog)
{
  GtkWidget *row = fest_form_dialog_get_row (dialog, "location");
  GtkWidget *picker;

  g_assert_nonnull (row);
  g_assert_nonnull (fest_form_dialog_get_row (dialog, "location.zone"));
  picker = find_descendant (row, FEST_TYPE_LOCATION_PICKER);
  g_assert_nonnull (picker);
  return FEST_LOCATION_PICKER (picker);
}

/* A click on the map, a quarter of the way from its top left corner; returns where it placed. */
static void
click_map (FestFormDialog *dialog,
           double         *lat,
           double         *lng)
{
  FestSiteMap *map = fest_location_picker_get_map (picker_of (dialog));
  int width = gtk_widget_get_width (GTK_WIDGET (map));
  int height = gtk_widget_get_height (GTK_WIDGET (map));

  g_assert_cmpint (width, >=, 360);
  g_assert_cmpint (height, >=, 240);
  fest_site_map_pick_at (map, width / 4.0, height / 4.0);
  g_assert_true (fest_location_picker_get_placed (picker_of (dialog)));
  fest_site_map_get_position (map, lat, lng);
}

static void
dialog_screenshot (FestFormDialog *dialog,
                   const char     *name)
{
  g_autofree char *file = g_strdup_printf ("places-%s-%s.png", name, lang ());

  settle (300);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (dialog));
  fest_app_test_render_png (GTK_WIDGET (dialog), file);
}

static void
assert_location (JsonObject *object,
                 double      lat,
                 double      lng,
                 const char *zone)
{
  JsonObject *location = location_of (object);

  g_assert_nonnull (location);
  g_assert_cmpfloat_with_epsilon (fest_page_json_double (location, "lat", 0), lat, 1e-6);
  g_assert_cmpfloat_with_epsilon (fest_page_json_double (location, "lng", 0), lng, 1e-6);
  g_assert_cmpstr (fest_page_json_string (location, "zone"), ==, zone);
}

/* Gates */

static gboolean
gates_listed (gpointer data)
{
  gpointer *pair = data;
  JsonArray *gates = fest_gates_section_get_gates (pair[0]);

  return gates != NULL && json_array_get_length (gates) == GPOINTER_TO_UINT (pair[1]);
}

static void
wait_gates (FestGatesSection *section,
            guint             n)
{
  gpointer pair[2] = { section, GUINT_TO_POINTER (n) };

  g_assert_true (fest_app_test_wait (gates_listed, pair, TIMEOUT_MS));
}

static gboolean
gate_zone_listed (gpointer data)
{
  FestGatesSection *section = data;
  JsonArray *gates = fest_gates_section_get_gates (section);
  JsonObject *location;

  if (gates == NULL || json_array_get_length (gates) != 1)
    return FALSE;
  location = location_of (json_array_get_object_element (gates, 0));
  return location != NULL && g_strcmp0 (fest_page_json_string (location, "zone"), "North field") == 0;
}

static void
test_gate (void)
{
  Shown shown = { 0 };
  FestGatesSection *section;
  FestFormDialog *dialog;
  FestSiteMap *map;
  g_autoptr(JsonObject) gate = NULL;
  g_autofree char *gate_id = NULL;
  g_autofree char *gate_path = NULL;
  AdwMessageDialog *confirm;
  double lat, lng, center_lat, center_lng;

  show_page (&shown, fest_tickets_page_new);
  section = fest_tickets_page_get_gates_section (FEST_TICKETS_PAGE (shown.page));
  wait_gates (section, 0);

  /* A new gate, placed from the keyboard: Enter on the focused map puts it at the centre, which is
   * the festival's location. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "gates.new", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_false (fest_location_picker_get_placed (picker_of (dialog)));
  fest_form_dialog_set_text (dialog, "name", "North Gate");
  map = fest_location_picker_get_map (picker_of (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (map));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (map)));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (map), "site-map.place-marker", NULL));
  g_assert_true (fest_location_picker_get_placed (picker_of (dialog)));
  fest_site_map_get_center (map, &center_lat, &center_lng);
  fest_site_map_get_position (map, &lat, &lng);
  g_assert_cmpfloat_with_epsilon (lat, center_lat, 1e-9);
  g_assert_cmpfloat_with_epsilon (lat, SITE_LAT, 1e-4);
  g_assert_cmpfloat_with_epsilon (lng, SITE_LNG, 1e-4);
  fest_form_dialog_set_text (dialog, "location.zone", "North field");
  dialog_screenshot (dialog, "gate-dialog");
  save_and_wait_closed (dialog);

  {
    g_autoptr(JsonNode) reply = NULL;
    JsonArray *items;

    g_assert_cmpuint (fest_app_test_request (server, "GET", "/gates", server->token, &reply, NULL), ==, 200);
    items = json_object_get_array_member (json_node_get_object (reply), "data");
    g_assert_cmpuint (json_array_get_length (items), ==, 1);
    gate = json_object_ref (json_array_get_object_element (items, 0));
  }
  g_assert_cmpstr (fest_page_json_string (gate, "name"), ==, "North Gate");
  assert_location (gate, lat, lng, "North field");
  gate_id = g_strdup (fest_page_json_string (gate, "id"));
  gate_path = g_strdup_printf ("/gates/%s", gate_id);
  g_assert_true (fest_app_test_wait (gate_zone_listed, section, TIMEOUT_MS));
  {
    g_autofree char *file = g_strdup_printf ("places-tickets-page-%s.png", lang ());

    settle (300);
    gtk_test_widget_wait_for_draw (shown.window);
    fest_app_test_render_png (shown.window, file);
  }

  /* The same name, whatever its case: the server's 409 shows in the dialog, which stays. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "gates.new", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", "north gate");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  g_assert_true (fest_app_test_wait (not_busy, dialog, TIMEOUT_MS));
  g_assert_nonnull (fest_form_dialog_get_error (dialog));
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "name"), "error"));
  /* A zone without a position is refused before anything is sent. */
  fest_form_dialog_set_text (dialog, "name", "South Gate");
  fest_form_dialog_set_text (dialog, "location.zone", "South field");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  g_assert_false (fest_form_dialog_get_busy (dialog));
  g_assert_true (gtk_widget_has_css_class (fest_form_dialog_get_row (dialog, "location.zone"), "error"));
  gtk_window_destroy (GTK_WINDOW (dialog));
  g_assert_cmpuint (api_count ("/gates"), ==, 1);

  /* Edit: the dialog shows where it is; a click moves it. */
  g_assert_true (fest_gates_section_select_gate (section, gate_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "gates.edit", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "name"), ==, "North Gate");
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "location.zone"), ==, "North field");
  g_assert_true (fest_location_picker_get_placed (picker_of (dialog)));
  {
    double shown_lat, shown_lng;

    fest_site_map_get_position (fest_location_picker_get_map (picker_of (dialog)), &shown_lat, &shown_lng);
    g_assert_cmpfloat_with_epsilon (shown_lat, lat, 1e-6);
    g_assert_cmpfloat_with_epsilon (shown_lng, lng, 1e-6);
  }
  click_map (dialog, &lat, &lng);
  g_assert_cmpfloat (lat, >, SITE_LAT);    /* above the centre: further north */
  g_assert_cmpfloat (lng, <, SITE_LNG);    /* left of it: further west */
  save_and_wait_closed (dialog);
  g_clear_pointer (&gate, json_object_unref);
  gate = api_get (gate_path);
  assert_location (gate, lat, lng, "North field");

  /* Clear position: the server forgets it. */
  wait_gates (section, 1);
  g_assert_true (fest_gates_section_select_gate (section, gate_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "gates.edit", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_location_picker_clear (picker_of (dialog));
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "location.zone"), ==, "");
  save_and_wait_closed (dialog);
  g_clear_pointer (&gate, json_object_unref);
  gate = api_get (gate_path);
  g_assert_null (location_of (gate));
  g_assert_true (fest_page_json_is_null (gate, "location"));

  /* Delete, after a confirmation. */
  g_assert_true (fest_gates_section_select_gate (section, gate_id));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (section), "gates.delete", NULL));
  confirm = wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (confirm, "confirm");
  wait_gates (section, 0);
  g_assert_cmpuint (api_count ("/gates"), ==, 0);

  close_page (&shown);
}

static gboolean
stream_connected (gpointer data)
{
  return fest_event_stream_is_connected (data);
}

/* Another organiser's gate arrives live (gate:updated), and goes the same way. */
static void
test_gate_live (void)
{
  Shown shown = { 0 };
  g_autoptr(FestEventStream) stream = NULL;
  FestGatesSection *section;
  g_autofree char *gate_id = NULL;
  g_autofree char *path = NULL;

  show_page (&shown, fest_tickets_page_new);
  section = fest_tickets_page_get_gates_section (FEST_TICKETS_PAGE (shown.page));
  wait_gates (section, 0);
  stream = fest_event_stream_new (shown.client);
  fest_page_set_event_stream (FEST_PAGE (shown.page), stream);
  fest_event_stream_start (stream);
  g_assert_true (fest_app_test_wait (stream_connected, stream, TIMEOUT_MS));

  gate_id = api_create ("/gates", "{\"name\":\"East Gate\"}");
  wait_gates (section, 1);
  g_assert_true (fest_gates_section_select_gate (section, gate_id));
  path = g_strdup_printf ("/gates/%s", gate_id);
  g_assert_cmpuint (fest_app_test_request (server, "DELETE", path, server->token, NULL, NULL), ==, 200);
  wait_gates (section, 0);

  fest_event_stream_stop (stream);
  fest_page_set_event_stream (FEST_PAGE (shown.page), NULL);
  close_page (&shown);
}

/* Stands and stages */

static void
test_stand (void)
{
  Shown shown = { 0 };
  FestFormDialog *dialog;
  g_autofree char *stand_id = api_create ("/stands", "{\"name\":\"Crêpes du Nord\",\"type\":\"FOOD\"}");
  g_autofree char *path = g_strdup_printf ("/stands/%s", stand_id);
  g_autoptr(JsonObject) stand = NULL;
  double lat, lng;

  show_page (&shown, fest_stands_page_new);
  g_assert_true (fest_stands_page_select_stand (FEST_STANDS_PAGE (shown.page), stand_id));
  g_assert_true (gtk_widget_activate_action (shown.page, "stands.edit-stand", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_false (fest_location_picker_get_placed (picker_of (dialog)));
  click_map (dialog, &lat, &lng);
  fest_form_dialog_set_text (dialog, "location.zone", "Food court");
  dialog_screenshot (dialog, "stand-dialog");
  save_and_wait_closed (dialog);
  stand = api_get (path);
  assert_location (stand, lat, lng, "Food court");
  g_assert_cmpstr (fest_page_json_string (stand, "name"), ==, "Crêpes du Nord");
  close_page (&shown);
}

static void
test_stage (void)
{
  Shown shown = { 0 };
  FestFormDialog *dialog;
  g_autofree char *stage_id = api_create ("/stages", "{\"name\":\"Chapiteau\"}");
  g_autofree char *path = g_strdup_printf ("/stages/%s", stage_id);
  g_autoptr(JsonObject) stage = NULL;
  double lat, lng;

  show_page (&shown, fest_lineup_page_new);
  g_assert_true (gtk_widget_activate_action (shown.page, "lineup.edit-stage", "s", stage_id));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "name"), ==, "Chapiteau");
  click_map (dialog, &lat, &lng);
  /* Around the festival's location, where the map opened. */
  g_assert_cmpfloat (fabs (lat - SITE_LAT), <, 0.01);
  g_assert_cmpfloat (fabs (lng - SITE_LNG), <, 0.01);
  fest_form_dialog_set_text (dialog, "location.zone", "Big top");
  dialog_screenshot (dialog, "stage-dialog");
  save_and_wait_closed (dialog);
  stage = api_get (path);
  assert_location (stage, lat, lng, "Big top");
  close_page (&shown);
}

/* Team */

static void
test_security_lead (void)
{
  Shown shown = { 0 };
  FestFormDialog *dialog;
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *members;
  JsonArray *roles = NULL;

  show_page (&shown, fest_team_page_new);
  g_assert_true (gtk_widget_activate_action (shown.page, "team.new-member", NULL));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "email", "lead@test.festivals");
  fest_form_dialog_set_text (dialog, "name", "Léa Garde");
  gtk_editable_set_text (GTK_EDITABLE (fest_form_dialog_get_row (dialog, "password")), "long enough pass");
  /* Ticking the lead ticks Security with it. */
  g_assert_false (fest_form_dialog_get_active (dialog, "role-SECURITY"));
  fest_form_dialog_set_active (dialog, "role-SECURITY_LEAD", TRUE);
  g_assert_true (fest_form_dialog_get_active (dialog, "role-SECURITY"));
  /* Unticking Security unticks the lead; ticking the lead again brings it back. */
  fest_form_dialog_set_active (dialog, "role-SECURITY", FALSE);
  g_assert_false (fest_form_dialog_get_active (dialog, "role-SECURITY_LEAD"));
  fest_form_dialog_set_active (dialog, "role-SECURITY_LEAD", TRUE);
  dialog_screenshot (dialog, "member-dialog");
  save_and_wait_closed (dialog);

  g_assert_cmpuint (fest_app_test_request (server, "GET", "/members?per_page=100", server->token,
                                           &reply, NULL), ==, 200);
  members = json_object_get_array_member (json_node_get_object (reply), "data");
  for (guint i = 0; i < json_array_get_length (members); i++)
    {
      JsonObject *member = json_array_get_object_element (members, i);

      if (g_strcmp0 (fest_page_json_string (member, "email"), "lead@test.festivals") == 0)
        roles = json_object_get_array_member (member, "roles");
    }
  g_assert_nonnull (roles);
  g_assert_cmpuint (json_array_get_length (roles), ==, 2);
  {
    gboolean security = FALSE, lead = FALSE;

    for (guint i = 0; i < 2; i++)
      {
        security |= g_strcmp0 (json_array_get_string_element (roles, i), "SECURITY") == 0;
        lead |= g_strcmp0 (json_array_get_string_element (roles, i), "SECURITY_LEAD") == 0;
      }
    g_assert_true (security);
    g_assert_true (lead);
  }
  close_page (&shown);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *path = NULL;
  int status;

  fest_application_init_i18n ();
  fest_app_test_init (&argc, &argv);
  fest_app_test_load_style ();

  server = fest_app_test_server_new (TRUE);
  path = g_strdup_printf ("/festivals/%s", server->festival_id);
  g_assert_cmpuint (fest_app_test_request (server, "PATCH", path, server->token, NULL,
                                           "%s", "{\"location\":{\"lat\":45.75,\"lng\":4.85}}"),
                    ==, 200);

  g_test_add_func ("/fest/places/gate", test_gate);
  g_test_add_func ("/fest/places/gate-live", test_gate_live);
  g_test_add_func ("/fest/places/stand", test_stand);
  g_test_add_func ("/fest/places/stage", test_stage);
  g_test_add_func ("/fest/places/security-lead", test_security_lead);

  status = g_test_run ();

  g_clear_pointer (&server, fest_app_test_server_free);
  return status;
}
