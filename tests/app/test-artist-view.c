/* test-artist-view.c: an artist signing in gets their own view: slots, rider, guest list, QR codes
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Runs under Xvfb (see meson.build) against a real festivals-server (fest-app-test.h): the
 * organiser creates a stage, an artist with two slots and a guest quota of 2, and a member with
 * role ARTIST linked to it; that member signs in through the window, and everything the view does
 * is checked on the server through the API afterwards. A guest's exported PNG is decoded with
 * zbar (through GStreamer, as the camera scanner reads codes) and its code verified with the
 * festival's public key (GET /ticket-key).
 */

#include "config.h"

#include <adwaita.h>
#include <gst/gst.h>
#include <glib/gstdio.h>

#include "fest-app-test.h"
#include "fest-artist-qr.h"
#include "fest-artist-view.h"
#include "fest-client.h"
#include "fest-page-util.h"
#include "fest-qr-dialog.h"
#include "fest-ticket-code.h"
#include "fest-window.h"

#define ARTIST_EMAIL "artist@test.festivals"
#define TIMEOUT_MS   15000

typedef struct
{
  FestAppTestServer *server;
  char              *artist_id;
  char              *member_id;
  char              *artist_token;
  char              *slot_ids[2];
} Lineup;

static void
lineup_free (Lineup *lineup)
{
  g_free (lineup->artist_id);
  g_free (lineup->member_id);
  g_free (lineup->artist_token);
  g_free (lineup->slot_ids[0]);
  g_free (lineup->slot_ids[1]);
  g_clear_pointer (&lineup->server, fest_app_test_server_free);
  g_free (lineup);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Lineup, lineup_free)

/* Server side */

static char *
create (FestAppTestServer *server,
        const char        *path,
        const char        *body)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = fest_app_test_request (server, "POST", path, server->token, &reply, "%s", body);

  if (status != 201)
    g_error ("POST %s: %u", path, status);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

/* A stage, an artist (quota 2) with two slots, and a member with role ARTIST, linked to the
 * artist when @link. */
static Lineup *
lineup_new (gboolean link)
{
  Lineup *lineup = g_new0 (Lineup, 1);
  FestAppTestServer *server;
  g_autofree char *stage_id = NULL;
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) reply = NULL;
  guint status;

  lineup->server = server = fest_app_test_server_new (TRUE);
  stage_id = create (server, "/stages", "{\"name\":\"Grande Scène\"}");
  lineup->artist_id = create (server, "/artists",
                              "{\"name\":\"Les Moustaches\",\"type\":\"BAND\",\"guest_quota\":2}");
  /* Given out of order: the view lists them by time. Times are UTC; Paris is UTC+2 in July. */
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"status\":\"PENDING\","
                          "\"start_time\":\"2026-07-02T19:30:00Z\","
                          "\"end_time\":\"2026-07-02T20:45:00Z\"}", stage_id, lineup->artist_id);
  lineup->slot_ids[1] = create (server, "/slots", body);
  g_free (body);
  body = g_strdup_printf ("{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"status\":\"CONFIRMED\","
                          "\"start_time\":\"2026-07-01T19:00:00Z\","
                          "\"end_time\":\"2026-07-01T20:00:00Z\"}", stage_id, lineup->artist_id);
  lineup->slot_ids[0] = create (server, "/slots", body);
  g_free (body);
  body = g_strdup_printf ("{\"email\":\"%s\",\"name\":\"Moustache\",\"password\":\"%s\","
                          "\"roles\":[\"ARTIST\"]}", ARTIST_EMAIL, FEST_APP_TEST_PASSWORD);
  lineup->member_id = create (server, "/members", body);

  if (link)
    {
      g_autofree char *path = g_strdup_printf ("/artists/%s", lineup->artist_id);

      status = fest_app_test_request (server, "PATCH", path, server->token, NULL,
                                      "{\"user_id\":\"%s\"}", lineup->member_id);
      g_assert_cmpuint (status, ==, 200);
    }

  status = fest_app_test_request (server, "POST", "/auth/login", NULL, &reply,
                                  "{\"email\":\"%s\",\"password\":\"%s\",\"festival_id\":\"%s\"}",
                                  ARTIST_EMAIL, FEST_APP_TEST_PASSWORD, server->festival_id);
  g_assert_cmpuint (status, ==, 200);
  lineup->artist_token = g_strdup (fest_app_test_json_string (reply, "data.token"));

  return lineup;
}

/* GET @path as the artist (transfer full: the reply's "data"). */
static JsonNode *
artist_get (Lineup     *lineup,
            const char *path)
{
  g_autoptr(JsonNode) reply = NULL;
  guint status = fest_app_test_request (lineup->server, "GET", path, lineup->artist_token, &reply,
                                        NULL);

  g_assert_cmpuint (status, ==, 200);
  return json_node_copy (json_object_get_member (json_node_get_object (reply), "data"));
}

/* The guests on the server that still hold a ticket. */
static guint
server_active_guests (Lineup *lineup)
{
  g_autoptr(JsonNode) guests = artist_get (lineup, "/me/artist/guests");
  JsonArray *array = json_node_get_array (guests);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (array); i++)
    if (g_strcmp0 (fest_page_json_string (json_array_get_object_element (array, i), "status"),
                   "CANCELLED") != 0)
      n++;
  return n;
}

/* Widgets */

static void
collect (GtkWidget *widget,
         GType      type,
         GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect (child, type, found);
}

/* The widgets of @type under @root, in the tree's order. */
static GPtrArray *
find_all (GtkWidget *root,
          GType      type)
{
  GPtrArray *found = g_ptr_array_new ();

  collect (root, type, found);
  return found;
}

static GtkWidget *
find_first (GtkWidget *root,
            GType      type)
{
  g_autoptr(GPtrArray) found = find_all (root, type);

  return found->len > 0 ? g_ptr_array_index (found, 0) : NULL;
}

/* The row named after @id (slots and guests are). */
static GtkWidget *
find_row (GtkWidget  *root,
          const char *id)
{
  g_autoptr(GPtrArray) rows = find_all (root, ADW_TYPE_ACTION_ROW);

  for (guint i = 0; i < rows->len; i++)
    if (g_strcmp0 (gtk_widget_get_name (rows->pdata[i]), id) == 0)
      return rows->pdata[i];
  return NULL;
}

static gboolean
label_shown (GtkWidget  *root,
             const char *text)
{
  g_autoptr(GPtrArray) labels = find_all (root, GTK_TYPE_LABEL);

  for (guint i = 0; i < labels->len; i++)
    if (gtk_widget_get_mapped (labels->pdata[i])
        && g_strcmp0 (gtk_label_get_text (labels->pdata[i]), text) == 0)
      return TRUE;
  return FALSE;
}

static GtkWindow *
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Waits */

typedef struct
{
  FestWindow *window;
  const char *view;
} ViewWait;

static gboolean
view_is (gpointer data)
{
  ViewWait *wait = data;

  return g_strcmp0 (fest_window_get_view (wait->window), wait->view) == 0;
}

typedef struct
{
  FestArtistView *view;
  const char     *state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return g_strcmp0 (fest_artist_view_get_state (wait->view), wait->state) == 0;
}

static gboolean
view_idle (gpointer data)
{
  return !fest_artist_view_get_busy (data)
         && g_strcmp0 (fest_artist_view_get_state (data), "content") == 0;
}

typedef struct
{
  FestArtistView *view;
  guint           n;
} GuestsWait;

static gboolean
guests_shown (gpointer data)
{
  GuestsWait *wait = data;
  JsonArray *guests = fest_artist_view_get_guests (wait->view);
  guint n = 0;

  if (fest_artist_view_get_busy (wait->view) || guests == NULL)
    return FALSE;
  for (guint i = 0; i < json_array_get_length (guests); i++)
    if (g_strcmp0 (fest_page_json_string (json_array_get_object_element (guests, i), "status"),
                   "CANCELLED") != 0)
      n++;
  return n == wait->n;
}

typedef struct
{
  GType      type;
  GtkWindow *found;
} ToplevelWait;

static gboolean
toplevel_shown (gpointer data)
{
  ToplevelWait *wait = data;

  wait->found = find_toplevel (wait->type);
  return wait->found != NULL;
}

static gpointer
wait_toplevel (GType type)
{
  ToplevelWait wait = { type, NULL };

  g_assert_true (fest_app_test_wait (toplevel_shown, &wait, TIMEOUT_MS));
  return wait.found;
}

typedef struct
{
  GtkWidget  *root;
  const char *text;
} LabelWait;

static gboolean
label_wait_cb (gpointer data)
{
  LabelWait *wait = data;

  return label_shown (wait->root, wait->text);
}

static gboolean
file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* Signs the artist in through @window and returns its artist view once loaded. */
static FestArtistView *
sign_in_artist (FestWindow *window,
                FestClient *client,
                Lineup     *lineup,
                const char *state)
{
  ViewWait view_wait = { window, "artist" };
  FestArtistView *view;
  StateWait state_wait;

  gtk_window_present (GTK_WINDOW (window));
  fest_window_sign_in (window, client, lineup->server->url, ARTIST_EMAIL, FEST_APP_TEST_PASSWORD);
  g_assert_true (fest_app_test_wait (view_is, &view_wait, TIMEOUT_MS));

  view = FEST_ARTIST_VIEW (find_first (GTK_WIDGET (window), FEST_TYPE_ARTIST_VIEW));
  g_assert_nonnull (view);
  state_wait = (StateWait) { view, state };
  if (!fest_app_test_wait (state_is, &state_wait, TIMEOUT_MS))
    g_error ("artist view: state %s, expected %s", fest_artist_view_get_state (view), state);
  return view;
}

/* QR decoding */

/* The text of the QR code in the PNG at @path, read by zbar through GStreamer; NULL if none. */
static char *
decode_qr_png (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstBus) bus = NULL;
  char *symbol = NULL;

  if (gst_element_factory_find ("zbar") == NULL)
    g_error ("The GStreamer zbar element is missing: install gstreamer1.0-plugins-bad");

  description = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! videoconvert ! zbar ! "
                                 "fakesink", path);
  pipeline = gst_parse_launch (description, &error);
  g_assert_no_error (error);
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PLAYING);

  while (symbol == NULL)
    {
      g_autoptr(GstMessage) message = NULL;
      const GstStructure *structure;

      message = gst_bus_timed_pop_filtered (bus, 10 * GST_SECOND,
                                            GST_MESSAGE_ELEMENT | GST_MESSAGE_EOS
                                            | GST_MESSAGE_ERROR);
      if (message == NULL || GST_MESSAGE_TYPE (message) != GST_MESSAGE_ELEMENT)
        break;
      structure = gst_message_get_structure (message);
      if (gst_structure_has_name (structure, "barcode"))
        symbol = g_strdup (gst_structure_get_string (structure, "symbol"));
    }

  gst_element_set_state (pipeline, GST_STATE_NULL);
  return symbol;
}

static void
assert_verifies (Lineup     *lineup,
                 const char *qr_code,
                 const char *guest_id)
{
  g_autoptr(JsonNode) reply = NULL;
  g_auto(FestTicketPayload) payload = { 0 };
  g_autofree guint8 *key = NULL;
  const char *key_text;
  gsize key_len = 0;
  guint status;

  status = fest_app_test_request (lineup->server, "GET", "/ticket-key", lineup->server->token,
                                  &reply, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_cmpstr (fest_app_test_json_string (reply, "data.festival_id"), ==,
                   lineup->server->festival_id);
  key_text = fest_app_test_json_string (reply, "data.public_key");
  key = fest_base64url_decode (key_text, strlen (key_text), &key_len);
  g_assert_cmpuint (key_len, ==, FEST_TICKET_PUBLIC_KEY_BYTES);
  /* No clock: the test festival's dates are fixed, the signature and festival are what counts. */
  g_assert_cmpint (fest_ticket_code_verify (qr_code, key, lineup->server->festival_id, NULL,
                                            &payload), ==, FEST_TICKET_CODE_VALID);
  g_assert_cmpstr (payload.ticket_id, ==, guest_id);
}

static void
request_done_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The guest comes in through the North gate (POST /tickets/{id}/scan as the organiser). */
static void
scan_ticket (Lineup     *lineup,
             const char *ticket_id)
{
  g_autoptr(FestClient) client = fest_client_new (lineup->server->url);
  g_autofree char *path = g_strdup_printf ("/tickets/%s/scan", ticket_id);
  g_autoptr(JsonNode) body = json_from_string ("{\"gate\":\"North\",\"direction\":\"IN\"}", NULL);
  g_autoptr(JsonNode) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = g_uuid_string_random ();
  GAsyncResult *result = NULL;

  fest_client_set_token (client, lineup->server->token);
  fest_client_request_async (client, "POST", path, body, key, NULL, request_done_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  reply = fest_client_request_finish (client, result, NULL, &error);
  g_object_unref (result);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
}

/* Moves the festival's dates around now: guest tickets take their validity from them. */
static void
open_festival_now (Lineup *lineup)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_days (now, -1);
  g_autoptr(GDateTime) end = g_date_time_add_days (now, 30);
  g_autofree char *start_text = g_date_time_format (start, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *end_text = g_date_time_format (end, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *path = g_strdup_printf ("/festivals/%s", lineup->server->festival_id);
  guint status;

  status = fest_app_test_request (lineup->server, "PATCH", path, lineup->server->token, NULL,
                                  "{\"starts_at\":\"%s\",\"ends_at\":\"%s\"}", start_text,
                                  end_text);
  g_assert_cmpuint (status, ==, 200);
}

/* Tests */

static void
add_guest (FestArtistView *view,
           const char     *name,
           const char     *email)
{
  g_autoptr(GPtrArray) rows = find_all (GTK_WIDGET (view), ADW_TYPE_ENTRY_ROW);

  g_assert_cmpuint (rows->len, ==, 2);
  gtk_editable_set_text (GTK_EDITABLE (rows->pdata[0]), name);
  gtk_editable_set_text (GTK_EDITABLE (rows->pdata[1]), email);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.add-guest", NULL));
}

static const char *
guest_id (FestArtistView *view,
          const char     *name)
{
  JsonArray *guests = fest_artist_view_get_guests (view);

  for (guint i = 0; guests != NULL && i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);

      if (g_strcmp0 (fest_page_json_string (guest, "name"), name) == 0
          && g_strcmp0 (fest_page_json_string (guest, "status"), "CANCELLED") != 0)
        return fest_page_json_string (guest, "id");
    }
  return NULL;
}

static const char *
guest_qr_code (FestArtistView *view,
               const char     *id)
{
  JsonArray *guests = fest_artist_view_get_guests (view);

  for (guint i = 0; guests != NULL && i < json_array_get_length (guests); i++)
    {
      JsonObject *guest = json_array_get_object_element (guests, i);

      if (g_strcmp0 (fest_page_json_string (guest, "id"), id) == 0)
        return fest_page_json_string (guest, "qr_code");
    }
  return NULL;
}

static void
test_artist_view (void)
{
  g_autoptr(Lineup) lineup = lineup_new (TRUE);
  g_autoptr(FestClient) client = fest_client_new (lineup->server->url);
  FestWindow *window = fest_window_new (NULL);
  g_autoptr(JsonNode) me = NULL;
  g_autoptr(GPtrArray) text_views = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fest-artist-XXXXXX", &error);
  g_autofree char *png_path = NULL;
  g_autofree char *decoded = NULL;
  g_autofree char *id_ana = NULL;
  g_autofree char *id_bruno = NULL;
  g_autoptr(JsonNode) refusal = NULL;
  g_autoptr(GFile) target = NULL;
  FestArtistView *view;
  JsonArray *slots;
  GuestsWait guests_wait;
  LabelWait label_wait;
  AdwMessageDialog *confirm;
  GtkWidget *row;
  GtkWindow *chooser;
  FestQrDialog *qr_dialog;
  const char *message;
  const char *qr_code;
  int width, height;
  guint status;

  g_assert_no_error (error);
  view = sign_in_artist (window, client, lineup, "content");

  /* Their own view, not the organisers' sidebar. */
  g_assert_cmpstr (fest_window_get_view (window), ==, "artist");
  g_assert_false (fest_window_show_page (window, "dashboard"));
  g_assert_null (fest_window_get_dashboard (window));
  gtk_window_get_default_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 720);
  g_assert_cmpint (height, ==, 640);
  g_assert_true (label_shown (GTK_WIDGET (view), "Les Moustaches"));
  g_assert_true (label_shown (GTK_WIDGET (view), "Band"));

  /* The slots listed are the server's, in time order, in the festival's time (Paris). */
  me = artist_get (lineup, "/me/artist");
  slots = json_object_get_array_member (json_node_get_object (me), "slots");
  g_assert_cmpuint (json_array_get_length (slots), ==, 2);
  rows = find_all (GTK_WIDGET (view), ADW_TYPE_ACTION_ROW);
  for (guint i = 0; i < json_array_get_length (slots); i++)
    g_assert_nonnull (find_row (GTK_WIDGET (view),
                                fest_page_json_string (json_array_get_object_element (slots, i),
                                                       "id")));
  g_assert_cmpstr (gtk_widget_get_name (rows->pdata[0]), ==, lineup->slot_ids[0]);
  g_assert_cmpstr (gtk_widget_get_name (rows->pdata[1]), ==, lineup->slot_ids[1]);
  row = find_row (GTK_WIDGET (view), lineup->slot_ids[0]);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Grande Scène");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Wed 1 Jul, 21:00–22:00");
  g_assert_true (label_shown (row, "Confirmed"));
  row = find_row (GTK_WIDGET (view), lineup->slot_ids[1]);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==, "Thu 2 Jul, 21:30–22:45");
  g_assert_true (label_shown (row, "Pending"));

  /* The rider, edited and saved, is on the server. */
  text_views = find_all (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW);
  g_assert_cmpuint (text_views->len, ==, 2);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_views->pdata[0]),
                            "2 DI boxes\nDrum riser 2×2 m", -1);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (text_views->pdata[1]),
                            "Vegetarian meals for 5", -1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.save-rider", NULL));
  g_assert_true (fest_app_test_wait (view_idle, view, TIMEOUT_MS));
  g_clear_pointer (&me, json_node_unref);
  me = artist_get (lineup, "/me/artist");
  g_assert_cmpstr (fest_app_test_json_string (me, "rider.technical"), ==,
                   "2 DI boxes\nDrum riser 2×2 m");
  g_assert_cmpstr (fest_app_test_json_string (me, "rider.hospitality"), ==,
                   "Vegetarian meals for 5");
  label_wait = (LabelWait) { GTK_WIDGET (window), "Rider saved" };
  g_assert_true (fest_app_test_wait (label_wait_cb, &label_wait, TIMEOUT_MS));

  /* The festival runs now, so that a guest's ticket can be scanned at the gate later on. */
  open_festival_now (lineup);

  /* Two guests within the quota: both on the server. */
  add_guest (view, "Ana Lima", "ana@example.org");
  guests_wait = (GuestsWait) { view, 1 };
  g_assert_true (fest_app_test_wait (guests_shown, &guests_wait, TIMEOUT_MS));
  /* From the keyboard: Enter in the name goes to the email, Enter in the email adds. */
  {
    g_autoptr(GPtrArray) entries = find_all (GTK_WIDGET (view), ADW_TYPE_ENTRY_ROW);

    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[0]), "Bruno Diaz");
    g_signal_emit_by_name (entries->pdata[0], "entry-activated");
    g_assert_false (fest_artist_view_get_busy (view));
    gtk_editable_set_text (GTK_EDITABLE (entries->pdata[1]), "bruno@example.org");
    g_signal_emit_by_name (entries->pdata[1], "entry-activated");
    g_assert_true (fest_artist_view_get_busy (view));
  }
  guests_wait.n = 2;
  g_assert_true (fest_app_test_wait (guests_shown, &guests_wait, TIMEOUT_MS));
  g_assert_cmpuint (server_active_guests (lineup), ==, 2);
  id_ana = g_strdup (guest_id (view, "Ana Lima"));
  id_bruno = g_strdup (guest_id (view, "Bruno Diaz"));
  g_assert_nonnull (id_ana);
  g_assert_nonnull (id_bruno);
  row = find_row (GTK_WIDGET (view), id_ana);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "Ana Lima");
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), ==,
                   "ana@example.org · Invited");
  g_assert_true (label_shown (GTK_WIDGET (view), "2 of 2 guest places used · 0 left"));

  /* A third: refused by the server, whose message the view shows; still two on the server. */
  add_guest (view, "Chloé Martin", "chloe@example.org");
  g_assert_true (fest_app_test_wait (view_idle, view, TIMEOUT_MS));
  status = fest_app_test_request (lineup->server, "POST", "/me/artist/guests",
                                  lineup->artist_token, &refusal,
                                  "{\"name\":\"Chloé Martin\",\"email\":\"chloe@example.org\"}");
  g_assert_cmpuint (status, ==, 409);
  message = fest_app_test_json_string (refusal, "error.message");
  g_assert_nonnull (message);
  label_wait = (LabelWait) { GTK_WIDGET (window), message };
  if (!fest_app_test_wait (label_wait_cb, &label_wait, TIMEOUT_MS))
    g_error ("the server's refusal \"%s\" is not shown", message);
  g_assert_cmpuint (server_active_guests (lineup), ==, 2);
  g_assert_null (guest_id (view, "Chloé Martin"));

  /* Show QR: the guest's own code. */
  qr_code = guest_qr_code (view, id_ana);
  g_assert_nonnull (qr_code);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.show-qr", "s", id_ana));
  qr_dialog = wait_toplevel (FEST_TYPE_QR_DIALOG);
  g_assert_cmpstr (fest_qr_dialog_get_text (qr_dialog), ==, qr_code);
  g_assert_nonnull (fest_qr_dialog_get_paintable (qr_dialog));
  gtk_window_destroy (GTK_WINDOW (qr_dialog));

  /* Export PNG through the save dialog: a PNG whose QR code (read by zbar) is the guest's code,
   * which verifies with the festival's public key. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.export-qr", "s", id_ana));
  chooser = wait_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG);
  {
    g_autofree char *suggested = NULL;

    G_GNUC_BEGIN_IGNORE_DEPRECATIONS
    suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));
    G_GNUC_END_IGNORE_DEPRECATIONS
    g_assert_cmpstr (suggested, ==, "Ana Lima.png");
  }
  /* Accepting GTK's own chooser cannot be driven under Xvfb (it checks the name through an
   * asynchronous query that never answers a synthetic Accept), so the test cancels it, which
   * must write nothing, and writes the file as an Accept does, through the view. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_assert_null (find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG));
  png_path = g_build_filename (dir, "Ana Lima.png", NULL);
  g_assert_false (g_file_test (png_path, G_FILE_TEST_EXISTS));
  target = g_file_new_for_path (png_path);
  g_assert_true (fest_artist_view_export_guest_qr (view, id_ana, target, &error));
  g_assert_no_error (error);
  g_assert_true (fest_app_test_wait (file_exists, png_path, TIMEOUT_MS));
  {
    g_autofree char *contents = NULL;
    gsize length = 0;

    g_assert_true (g_file_get_contents (png_path, &contents, &length, NULL));
    g_assert_cmpuint (length, >, 8);
    g_assert_cmpmem (contents, 8, "\x89PNG\r\n\x1a\n", 8);
  }
  decoded = decode_qr_png (png_path);
  g_assert_cmpstr (decoded, ==, qr_code);
  assert_verifies (lineup, decoded, id_ana);

  /* Remove Bruno, confirmed: his ticket is cancelled on the server. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.remove-guest", "s",
                                             id_bruno));
  confirm = wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (confirm, "confirm");
  guests_wait.n = 1;
  g_assert_true (fest_app_test_wait (guests_shown, &guests_wait, TIMEOUT_MS));
  g_assert_cmpuint (server_active_guests (lineup), ==, 1);
  {
    g_autofree char *path = g_strdup_printf ("/tickets/%s", id_bruno);
    g_autoptr(JsonNode) ticket = NULL;

    status = fest_app_test_request (lineup->server, "GET", path, lineup->server->token, &ticket,
                                    NULL);
    g_assert_cmpuint (status, ==, 200);
    g_assert_cmpstr (fest_app_test_json_string (ticket, "data.status"), ==, "CANCELLED");
  }
  g_assert_true (label_shown (GTK_WIDGET (view), "1 of 2 guest places used · 1 left"));

  /* A guest who came in cannot be removed: the server's refusal is shown, the guest stays. */
  {
    g_autofree char *path = NULL;
    g_autoptr(JsonNode) refused = NULL;

    scan_ticket (lineup, id_ana);
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (view), "artist.remove-guest", "s",
                                               id_ana));
    confirm = wait_toplevel (ADW_TYPE_MESSAGE_DIALOG);
    adw_message_dialog_response (confirm, "confirm");
    path = g_strdup_printf ("/me/artist/guests/%s", id_ana);
    status = fest_app_test_request (lineup->server, "DELETE", path, lineup->artist_token,
                                    &refused, NULL);
    g_assert_cmpuint (status, ==, 409);
    label_wait = (LabelWait) { GTK_WIDGET (window),
                               fest_app_test_json_string (refused, "error.message") };
    g_assert_true (fest_app_test_wait (label_wait_cb, &label_wait, TIMEOUT_MS));
    g_assert_cmpuint (server_active_guests (lineup), ==, 1);
  }

  fest_app_test_destroy_and_check (GTK_WINDOW (window), view);
  fest_app_test_remove_tree (dir);
}

/* A member with role ARTIST the organisers have not linked yet is told so. */
static void
test_artist_not_linked (void)
{
  g_autoptr(Lineup) lineup = lineup_new (FALSE);
  g_autoptr(FestClient) client = fest_client_new (lineup->server->url);
  FestWindow *window = fest_window_new (NULL);
  FestArtistView *view;
  guint status;

  status = fest_app_test_request (lineup->server, "GET", "/me/artist", lineup->artist_token, NULL,
                                  NULL);
  g_assert_cmpuint (status, ==, 404);

  view = sign_in_artist (window, client, lineup, "empty");
  g_assert_true (label_shown (GTK_WIDGET (view),
                              "Your account is not linked to an artist yet. Ask the organisers."));
  g_assert_null (fest_artist_view_get_artist (view));
  fest_app_test_destroy_and_check (GTK_WINDOW (window), view);
}

/* The PNG writer on its own: what it is given is what the code says, at the documented scale. */
static void
test_artist_qr_png (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("fest-artist-qr-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "qr.png", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) expected = fest_page_qr_texture_new ("FT1.abc.def", FEST_ARTIST_QR_PNG_SCALE);
  g_autofree char *decoded = NULL;
  g_autofree char *name = NULL;

  g_assert_no_error (error);
  g_assert_true (fest_artist_qr_write_png ("FT1.abc.def", file, &error));
  g_assert_no_error (error);
  texture = gdk_texture_new_from_file (file, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (texture), ==, gdk_texture_get_width (expected));
  decoded = decode_qr_png (path);
  g_assert_cmpstr (decoded, ==, "FT1.abc.def");

  name = fest_artist_qr_file_name ("AC/DC");
  g_assert_cmpstr (name, ==, "AC-DC.png");
  g_clear_pointer (&name, g_free);
  name = fest_artist_qr_file_name ("  ");
  g_assert_cmpstr (name, ==, "guest.png");

  fest_app_test_remove_tree (dir);
}

int
main (int   argc,
      char *argv[])
{
  fest_app_test_init (&argc, &argv);
  gst_init (NULL, NULL);

  g_test_add_func ("/fest/app/artist/qr-png", test_artist_qr_png);
  g_test_add_func ("/fest/app/artist/view", test_artist_view);
  g_test_add_func ("/fest/app/artist/not-linked", test_artist_not_linked);

  return g_test_run ();
}
