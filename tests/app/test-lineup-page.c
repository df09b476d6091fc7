/* test-lineup-page.c: the Lineup page against a real festivals-server, under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One real server (fest-app-test.h) with one festival (1–3 July 2026, Europe/Paris) serves the
 * cases, which run in order and build on each other's lineup: the empty and error states, a
 * stage, an artist and a slot created through the page's dialogs, a move by lineup.move-slot, a
 * refused (overlapping) move, another client's change arriving live, a cancel, the iCalendar and
 * PDF exports, and deletions refused or done. The server's state is checked through the API.
 * Screenshots of the page (content, empty, error) go to <builddir>/tests/app/screenshots/.
 */

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>

#include "fest-app-test.h"
#include "fest-application.h"
#include "fest-client.h"
#include "fest-event-stream.h"
#include "fest-form-dialog.h"
#include "fest-lineup-dialogs.h"
#include "fest-lineup-page.h"
#include "fest-page-util.h"

#define TIMEOUT_MS 15000

/* 1 July 2026 in UTC; Paris is two hours ahead. Days start at 06:00 Paris (04:00 UTC), so
 * 1 July's festival day is the page's second (the first is the night of 30 June). */
#define JULY_1_UTC G_GINT64_CONSTANT (1782864000)
#define AT(day, hour, minute) (JULY_1_UTC + ((day) - 1) * 86400 + (hour) * 3600 + (minute) * 60)

static struct
{
  FestAppTestServer *server;
  char              *stage_id;      /* Main Stage */
  char              *artist_id;     /* Nova Trio */
  char              *slot_id;       /* Nova Trio on Main Stage */
  char              *other_artist;  /* Echo Park */
  char              *other_slot;    /* Echo Park on Main Stage */
} fixture;

typedef struct
{
  GtkWidget       *window;
  FestLineupPage  *page;
  FestClient      *client;
  FestEventStream *stream;
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

static void
screenshot (Shown      *shown,
            const char *name)
{
  g_autofree char *file = g_strdup_printf ("lineup-%s-%s.png", name, lang ());

  settle (300);
  gtk_test_widget_wait_for_draw (shown->window);
  fest_app_test_render_png (shown->window, file);
}

/* API */

static char *
api_create (const char *path,
            const char *format,
            ...) G_GNUC_PRINTF (2, 3);

static char *
api_create (const char *path,
            const char *format,
            ...)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *body = NULL;
  va_list args;
  guint status;

  va_start (args, format);
  body = g_strdup_vprintf (format, args);
  va_end (args);
  status = fest_app_test_request (fixture.server, "POST", path, fixture.server->token, &reply,
                                  "%s", body);
  g_assert_cmpuint (status, ==, 201);
  return g_strdup (fest_app_test_json_string (reply, "data.id"));
}

/* The string member @member of GET @path's data (transfer full), NULL on a non-200 answer. */
static char *
api_get_string (const char *path,
                const char *member)
{
  g_autoptr(JsonNode) reply = NULL;
  g_autofree char *dotted = g_strconcat ("data.", member, NULL);

  if (fest_app_test_request (fixture.server, "GET", path, fixture.server->token, &reply, NULL) != 200)
    return NULL;
  return g_strdup (fest_app_test_json_string (reply, dotted));
}

/* The object of the list @path whose "name" is @name (transfer full), or NULL. */
static JsonObject *
api_find_named (const char *path,
                const char *name)
{
  g_autoptr(JsonNode) reply = NULL;
  JsonArray *items;

  g_assert_cmpuint (fest_app_test_request (fixture.server, "GET", path, fixture.server->token,
                                           &reply, NULL), ==, 200);
  items = json_object_get_array_member (json_node_get_object (reply), "data");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *object = json_array_get_object_element (items, i);

      if (g_strcmp0 (fest_page_json_string (object, "name"), name) == 0)
        return json_object_ref (object);
    }
  return NULL;
}

static char *
utc (gint64 time)
{
  return fest_lineup_format_utc (time);
}

/* The page in a window */

static gboolean
page_loaded (gpointer data)
{
  return g_strcmp0 (fest_lineup_page_get_state (data), "loading") != 0;
}

static gboolean
stream_connected (gpointer data)
{
  return fest_event_stream_is_connected (data);
}

static void
show_page (Shown      *shown,
           const char *token)
{
  GtkWidget *overlay = adw_toast_overlay_new ();

  shown->client = fest_client_new (fixture.server->url);
  fest_client_set_token (shown->client, token);
  shown->page = FEST_LINEUP_PAGE (fest_lineup_page_new (shown->client));
  adw_toast_overlay_set_child (ADW_TOAST_OVERLAY (overlay), GTK_WIDGET (shown->page));
  shown->window = adw_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (shown->window), 1200, 720);
  adw_window_set_content (ADW_WINDOW (shown->window), overlay);
  gtk_window_present (GTK_WINDOW (shown->window));

  shown->stream = fest_event_stream_new (shown->client);
  fest_page_set_event_stream (FEST_PAGE (shown->page), shown->stream);
  fest_page_reload (FEST_PAGE (shown->page));
  g_assert_true (fest_app_test_wait (page_loaded, shown->page, TIMEOUT_MS));
}

static void
start_stream (Shown *shown)
{
  fest_event_stream_start (shown->stream);
  g_assert_true (fest_app_test_wait (stream_connected, shown->stream, TIMEOUT_MS));
}

static void
close_page (Shown *shown)
{
  fest_event_stream_stop (shown->stream);
  g_clear_object (&shown->stream);
  fest_app_test_destroy_and_check (GTK_WINDOW (shown->window), shown->page);
  g_clear_object (&shown->client);
}

static gboolean
loads_above (gpointer data)
{
  gpointer *pair = data;

  return fest_lineup_page_get_n_loads (pair[0]) > GPOINTER_TO_UINT (pair[1]);
}

static void
reload_page (Shown *shown)
{
  gpointer pair[2] = { shown->page, GUINT_TO_POINTER (fest_lineup_page_get_n_loads (shown->page)) };

  fest_page_reload (FEST_PAGE (shown->page));
  g_assert_true (fest_app_test_wait (loads_above, pair, TIMEOUT_MS));
}

static gboolean
nothing_pending (gpointer data)
{
  return fest_lineup_page_get_pending (data) == 0;
}

static void
wait_requests (Shown *shown)
{
  g_assert_true (fest_app_test_wait (nothing_pending, shown->page, TIMEOUT_MS));
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

typedef struct
{
  GType      type;
  GtkWindow *found;
} DialogWait;

static gboolean
dialog_shown (gpointer data)
{
  DialogWait *wait = data;

  wait->found = find_toplevel (wait->type);
  return wait->found != NULL;
}

static gpointer
wait_dialog (GType type)
{
  DialogWait wait = { type, NULL };

  g_assert_true (fest_app_test_wait (dialog_shown, &wait, TIMEOUT_MS));
  return wait.found;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *) data == NULL;
}

/* Presses Save and waits for the dialog to close after the server's answer. */
static void
save_and_wait_closed (FestFormDialog *dialog)
{
  gpointer weak = dialog;

  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  if (!fest_app_test_wait (pointer_is_null, &weak, TIMEOUT_MS))
    g_error ("the dialog stayed open: %s", fest_form_dialog_get_error (dialog));
}

static void
set_text_view (FestFormDialog *dialog,
               const char     *field,
               const char     *text)
{
  GtkTextView *view = fest_lineup_dialog_get_text_view (dialog, field);

  g_assert_nonnull (view);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text, -1);
}

static void
activate (Shown      *shown,
          const char *action,
          GVariant   *parameter)
{
  /* The call does not take a floating parameter: GTK hands it to the page's handler as is. */
  g_autoptr(GVariant) owned = parameter != NULL ? g_variant_ref_sink (parameter) : NULL;

  g_assert_true (gtk_widget_activate_action_variant (GTK_WIDGET (shown->page), action, owned));
}

typedef struct
{
  FestTimeline *timeline;
  const char   *id;
  gint64        start;   /* -1: the block is gone */
} BlockWait;

static gboolean
block_at (gpointer data)
{
  BlockWait *wait = data;
  FestTimelineBlock block;

  if (!fest_timeline_lookup_block (wait->timeline, wait->id, &block))
    return wait->start < 0;
  return block.start == wait->start;
}

static void
assert_block_start (Shown      *shown,
                    const char *id,
                    gint64      start)
{
  BlockWait wait = { fest_lineup_page_get_timeline (shown->page), id, start };

  if (!fest_app_test_wait (block_at, &wait, TIMEOUT_MS))
    g_error ("block %s is not at %" G_GINT64_FORMAT, id, start);
}

/* "Wednesday 1 July" in the language of the run. */
static const char *
expected_july_1 (void)
{
  static char *label;

  if (label == NULL)
    {
      g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
      g_autoptr(GDateTime) day = g_date_time_new (paris, 2026, 7, 1, 6, 0, 0);

      label = g_date_time_format (day, _("%A %-d %B"));
    }
  return label;
}

static void
expect_refusal (Shown      *shown,
                const char *name,
                guint       n_slots)
{
  g_autofree char *expected = NULL;

  expected = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s has %u slot: delete or move it first",
                                           "%s has %u slots: delete or move them first", n_slots),
                              name, n_slots);
  g_assert_cmpstr (fest_lineup_page_get_last_toast (shown->page), ==, expected);
}

/* Cases */

static void
test_empty_and_error (void)
{
  Shown shown = { 0 };
  Shown broken = { 0 };

  show_page (&shown, fixture.server->token);
  g_assert_cmpstr (fest_lineup_page_get_state (shown.page), ==, "empty");
  screenshot (&shown, "empty");
  close_page (&shown);

  /* A token the server does not know: the error page, not an empty lineup. */
  show_page (&broken, "0000000000000000000000000000000000000000000000000000000000000000");
  g_assert_cmpstr (fest_lineup_page_get_state (broken.page), ==, "error");
  screenshot (&broken, "error");
  close_page (&broken);
}

static void
test_create_from_dialogs (void)
{
  Shown shown = { 0 };
  FestFormDialog *dialog;
  g_autoptr(JsonObject) stage = NULL;
  g_autoptr(JsonObject) artist = NULL;
  g_autoptr(JsonNode) slots = NULL;
  JsonObject *slot;
  JsonObject *rider;
  FestTimelineBlock block;
  g_autofree char *label = NULL;

  show_page (&shown, fixture.server->token);
  g_assert_cmpstr (fest_lineup_page_get_state (shown.page), ==, "empty");

  /* A stage, from the empty page's button. */
  activate (&shown, "lineup.new-stage", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", "Main Stage");
  fest_form_dialog_set_text (dialog, "capacity", "5000");
  fest_form_dialog_set_text (dialog, "changeover_minutes", "15");
  save_and_wait_closed (dialog);
  g_assert_true (fest_app_test_wait (page_loaded, shown.page, TIMEOUT_MS));
  stage = api_find_named ("/stages", "Main Stage");
  g_assert_nonnull (stage);
  g_assert_cmpint (fest_page_json_int (stage, "capacity", -1), ==, 5000);
  /* Servers from before issue 17 ignore the changeover; one that knows it keeps what was sent. */
  if (json_object_has_member (stage, "changeover_minutes"))
    g_assert_cmpint (fest_page_json_int (stage, "changeover_minutes", -1), ==, 15);
  fixture.stage_id = g_strdup (fest_page_json_string (stage, "id"));
  reload_page (&shown);
  g_assert_cmpstr (fest_lineup_page_get_state (shown.page), ==, "content");

  /* An artist, with a rider over several lines. */
  activate (&shown, "lineup.new-artist", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  fest_form_dialog_set_text (dialog, "name", "Nova Trio");
  fest_form_dialog_set_selected (dialog, "type", 1);
  fest_form_dialog_set_text (dialog, "guest_quota", "4");
  fest_form_dialog_set_text (dialog, "contact_email", "not an address");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  g_assert_cmpstr (fest_form_dialog_get_error (dialog), ==,
                   _("Enter an e-mail address such as manager@example.com, or nothing."));
  fest_form_dialog_set_text (dialog, "contact_email", "tour@nova-trio.example");
  set_text_view (dialog, "rider_technical", "3 DI boxes\nDrum riser 2×2 m");
  set_text_view (dialog, "rider_hospitality", "Still water");
  {
    g_autofree char *file = g_strdup_printf ("lineup-artist-dialog-%s.png", lang ());

    settle (300);
    fest_app_test_render_png (GTK_WIDGET (dialog), file);
  }
  save_and_wait_closed (dialog);
  artist = api_find_named ("/artists", "Nova Trio");
  g_assert_nonnull (artist);
  g_assert_cmpstr (fest_page_json_string (artist, "type"), ==, "BAND");
  g_assert_cmpint (fest_page_json_int (artist, "guest_quota", -1), ==, 4);
  if (json_object_has_member (artist, "contact_email"))
    g_assert_cmpstr (fest_page_json_string (artist, "contact_email"), ==, "tour@nova-trio.example");
  rider = json_object_get_object_member (artist, "rider");
  g_assert_cmpstr (fest_page_json_string (rider, "technical"), ==, "3 DI boxes\nDrum riser 2×2 m");
  g_assert_cmpstr (fest_page_json_string (rider, "hospitality"), ==, "Still water");
  fixture.artist_id = g_strdup (fest_page_json_string (artist, "id"));
  reload_page (&shown);

  /* The festival's days: the night of 30 June, then 1, 2 and 3 July. */
  g_assert_cmpuint (fest_lineup_days_get_n_days (fest_lineup_page_get_days (shown.page)), ==, 4);
  g_assert_cmpuint (fest_lineup_page_get_day (shown.page), ==, 0);
  activate (&shown, "lineup.next-day", NULL);
  g_assert_cmpuint (fest_lineup_page_get_day (shown.page), ==, 1);
  label = fest_lineup_days_get_label (fest_lineup_page_get_days (shown.page), 1);
  g_assert_cmpstr (label, ==, expected_july_1 ());

  /* A slot, 21:00–22:00 in Paris. */
  activate (&shown, "lineup.new-slot", NULL);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "start_date"), ==, "2026-07-01");
  fest_form_dialog_set_text (dialog, "start_time", "21:00");
  fest_form_dialog_set_text (dialog, "end_date", "2026-07-01");
  fest_form_dialog_set_text (dialog, "end_time", "20:00");
  gtk_widget_activate_action (GTK_WIDGET (dialog), "form.save", NULL);
  /* Ends before it starts: refused here, the dialog stays. */
  g_assert_cmpstr (fest_form_dialog_get_error (dialog), ==, _("The set must end after it starts."));
  fest_form_dialog_set_text (dialog, "end_time", "22:00");
  fest_form_dialog_set_selected (dialog, "status", 1);
  {
    g_autofree char *file = g_strdup_printf ("lineup-slot-dialog-%s.png", lang ());

    settle (300);
    fest_app_test_render_png (GTK_WIDGET (dialog), file);
  }
  save_and_wait_closed (dialog);

  g_assert_cmpuint (fest_app_test_request (fixture.server, "GET", "/slots", fixture.server->token,
                                           &slots, NULL), ==, 200);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (json_node_get_object (slots),
                                                                         "data")), ==, 1);
  slot = json_array_get_object_element (json_object_get_array_member (json_node_get_object (slots),
                                                                      "data"), 0);
  g_assert_cmpstr (fest_page_json_string (slot, "start_time"), ==, "2026-07-01T19:00:00Z");
  g_assert_cmpstr (fest_page_json_string (slot, "end_time"), ==, "2026-07-01T20:00:00Z");
  g_assert_cmpstr (fest_page_json_string (slot, "stage_id"), ==, fixture.stage_id);
  g_assert_cmpstr (fest_page_json_string (slot, "artist_id"), ==, fixture.artist_id);
  g_assert_cmpstr (fest_page_json_string (slot, "status"), ==, "CONFIRMED");
  fixture.slot_id = g_strdup (fest_page_json_string (slot, "id"));

  /* On the timeline without a reload, titled with the artist. */
  assert_block_start (&shown, fixture.slot_id, AT (1, 19, 0));
  g_assert_true (fest_timeline_lookup_block (fest_lineup_page_get_timeline (shown.page),
                                             fixture.slot_id, &block));
  g_assert_cmpstr (block.title, ==, "Nova Trio");
  g_assert_cmpstr (block.lane_id, ==, fixture.stage_id);
  g_assert_cmpint (block.status, ==, FEST_TIMELINE_STATUS_CONFIRMED);

  close_page (&shown);
}

static void
test_move (void)
{
  Shown shown = { 0 };
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  show_page (&shown, fixture.server->token);
  fest_lineup_page_set_day (shown.page, 1);
  assert_block_start (&shown, fixture.slot_id, AT (1, 19, 0));

  activate (&shown, "lineup.move-slot",
            g_variant_new ("(ssxx)", fixture.slot_id, fixture.stage_id, AT (1, 20, 0), AT (1, 21, 0)));
  wait_requests (&shown);
  {
    g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);

    start = api_get_string (path, "start_time");
    end = api_get_string (path, "end_time");
  }
  g_assert_cmpstr (start, ==, "2026-07-01T20:00:00Z");
  g_assert_cmpstr (end, ==, "2026-07-01T21:00:00Z");
  assert_block_start (&shown, fixture.slot_id, AT (1, 20, 0));

  /* Two moves in a row (arrow keys): the second waits for the first; the last one wins. */
  activate (&shown, "lineup.move-slot",
            g_variant_new ("(ssxx)", fixture.slot_id, fixture.stage_id, AT (1, 20, 30), AT (1, 21, 30)));
  activate (&shown, "lineup.move-slot",
            g_variant_new ("(ssxx)", fixture.slot_id, fixture.stage_id, AT (1, 20, 0), AT (1, 21, 0)));
  g_assert_cmpuint (fest_lineup_page_get_pending (shown.page), ==, 1);
  wait_requests (&shown);
  g_clear_pointer (&start, g_free);
  {
    g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);

    start = api_get_string (path, "start_time");
  }
  g_assert_cmpstr (start, ==, "2026-07-01T20:00:00Z");
  assert_block_start (&shown, fixture.slot_id, AT (1, 20, 0));
  close_page (&shown);
}

/* What the timeline asks for (a drag, a double-click, a drag on empty space, Delete) goes
 * through the page: the timeline's signals, emitted as the widget does. */
static void
test_timeline_signals (void)
{
  Shown shown = { 0 };
  g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;
  g_autofree char *status = NULL;
  FestTimeline *timeline;
  FestFormDialog *dialog;
  AdwMessageDialog *message;
  gpointer weak;

  show_page (&shown, fixture.server->token);
  fest_lineup_page_set_day (shown.page, 1);
  timeline = fest_lineup_page_get_timeline (shown.page);

  /* A drag released: sent as it is. */
  g_signal_emit_by_name (timeline, "block-changed", fixture.slot_id, fixture.stage_id,
                         AT (1, 20, 15), AT (1, 21, 15));
  wait_requests (&shown);
  start = api_get_string (path, "start_time");
  g_assert_cmpstr (start, ==, "2026-07-01T20:15:00Z");

  /* A double-click: the slot dialog, in Paris time; saved with PATCH. */
  g_signal_emit_by_name (timeline, "block-activated", fixture.slot_id);
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "start_time"), ==, "22:15");
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "end_time"), ==, "23:15");
  fest_form_dialog_set_text (dialog, "start_time", "22:00");
  fest_form_dialog_set_text (dialog, "end_time", "23:00");
  save_and_wait_closed (dialog);
  g_clear_pointer (&start, g_free);
  start = api_get_string (path, "start_time");
  end = api_get_string (path, "end_time");
  g_assert_cmpstr (start, ==, "2026-07-01T20:00:00Z");
  g_assert_cmpstr (end, ==, "2026-07-01T21:00:00Z");
  assert_block_start (&shown, fixture.slot_id, AT (1, 20, 0));

  /* A drag on empty lane space: a new slot's dialog with that lane and those times. */
  g_signal_emit_by_name (timeline, "create-requested", fixture.stage_id, AT (1, 10, 0), AT (1, 11, 30));
  dialog = wait_dialog (FEST_TYPE_FORM_DIALOG);
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "start_date"), ==, "2026-07-01");
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "start_time"), ==, "12:00");
  g_assert_cmpstr (fest_form_dialog_get_text (dialog, "end_time"), ==, "13:30");
  weak = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), &weak);
  gtk_window_close (GTK_WINDOW (dialog));
  g_assert_true (fest_app_test_wait (pointer_is_null, &weak, TIMEOUT_MS));

  /* Delete: asks first; kept when the answer is no. */
  g_signal_emit_by_name (timeline, "delete-requested", fixture.slot_id);
  message = wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (message), ==, _("Cancel this slot?"));
  adw_message_dialog_response (message, "cancel");
  wait_requests (&shown);
  status = api_get_string (path, "status");
  g_assert_cmpstr (status, ==, "CONFIRMED");
  close_page (&shown);
}

static void
test_conflict (void)
{
  Shown shown = { 0 };
  g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);
  g_autofree char *start = NULL;
  g_autofree char *b_start = utc (AT (1, 22, 0));
  g_autofree char *b_end = utc (AT (1, 23, 0));

  fixture.other_artist = api_create ("/artists", "{\"name\":\"Echo Park\",\"type\":\"DJ\"}");
  fixture.other_slot = api_create ("/slots", "{\"stage_id\":\"%s\",\"artist_id\":\"%s\","
                                   "\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                   fixture.stage_id, fixture.other_artist, b_start, b_end);

  show_page (&shown, fixture.server->token);
  fest_lineup_page_set_day (shown.page, 1);
  assert_block_start (&shown, fixture.other_slot, AT (1, 22, 0));

  /* Over Echo Park's set on the same stage: refused, back at 20:00, Echo Park highlighted. */
  activate (&shown, "lineup.move-slot",
            g_variant_new ("(ssxx)", fixture.slot_id, fixture.stage_id, AT (1, 22, 30), AT (1, 23, 30)));
  wait_requests (&shown);
  start = api_get_string (path, "start_time");
  g_assert_cmpstr (start, ==, "2026-07-01T20:00:00Z");
  assert_block_start (&shown, fixture.slot_id, AT (1, 20, 0));
  {
    g_autofree char *what = g_strdup_printf (_("%s, %s–%s"), "Echo Park", "00:00", "01:00");
    g_autofree char *expected = g_strdup_printf (_("Conflicts with %s"), what);

    g_assert_cmpstr (fest_lineup_page_get_last_toast (shown.page), ==, expected);
  }
  g_assert_cmpstr (fest_lineup_page_get_highlight (shown.page), ==, fixture.other_slot);
  screenshot (&shown, "content");
  close_page (&shown);
}

static void
test_live (void)
{
  Shown shown = { 0 };
  g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);
  g_autofree char *start = utc (AT (1, 18, 0));
  g_autofree char *end = utc (AT (1, 19, 0));
  g_autofree char *next_start = utc (AT (2, 18, 0));
  g_autofree char *next_end = utc (AT (2, 19, 0));
  guint loads;

  show_page (&shown, fixture.server->token);
  start_stream (&shown);
  fest_lineup_page_set_day (shown.page, 1);
  loads = fest_lineup_page_get_n_loads (shown.page);

  /* Another organiser moves the set: the block follows, no reload. */
  g_assert_cmpuint (fest_app_test_request (fixture.server, "PATCH", path, fixture.server->token, NULL,
                                           "{\"start_time\":\"%s\",\"end_time\":\"%s\"}", start, end),
                    ==, 200);
  assert_block_start (&shown, fixture.slot_id, AT (1, 18, 0));
  g_assert_cmpuint (fest_lineup_page_get_n_loads (shown.page), ==, loads);

  /* ...then to the next day: off this day's timeline, on the next one's. */
  g_assert_cmpuint (fest_app_test_request (fixture.server, "PATCH", path, fixture.server->token, NULL,
                                           "{\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                                           next_start, next_end), ==, 200);
  assert_block_start (&shown, fixture.slot_id, -1);
  g_assert_cmpint (fest_lineup_lookup_slot (fest_lineup_page_get_lineup (shown.page),
                                            fixture.slot_id)->start, ==, AT (2, 18, 0));
  activate (&shown, "lineup.next-day", NULL);
  assert_block_start (&shown, fixture.slot_id, AT (2, 18, 0));
  g_assert_cmpuint (fest_lineup_page_get_n_loads (shown.page), ==, loads);

  /* A slot of an artist the page does not know yet: the page loads the lineup again. */
  {
    g_autofree char *guest = api_create ("/artists", "{\"name\":\"Guest Act\",\"type\":\"SOLO\"}");
    g_autofree char *guest_start = utc (AT (2, 10, 0));
    g_autofree char *guest_end = utc (AT (2, 11, 0));
    g_autofree char *guest_slot = NULL;
    g_autofree char *guest_path = NULL;
    FestTimelineBlock block;

    guest_slot = api_create ("/slots", "{\"stage_id\":\"%s\",\"artist_id\":\"%s\","
                             "\"start_time\":\"%s\",\"end_time\":\"%s\"}",
                             fixture.stage_id, guest, guest_start, guest_end);
    assert_block_start (&shown, guest_slot, AT (2, 10, 0));
    g_assert_true (fest_timeline_lookup_block (fest_lineup_page_get_timeline (shown.page),
                                               guest_slot, &block));
    g_assert_cmpstr (block.title, ==, "Guest Act");
    g_assert_cmpuint (fest_lineup_page_get_n_loads (shown.page), ==, loads + 1);
    loads++;

    /* Deleted elsewhere: gone from the timeline. */
    guest_path = g_strdup_printf ("/slots/%s", guest_slot);
    g_assert_cmpuint (fest_app_test_request (fixture.server, "DELETE", guest_path,
                                             fixture.server->token, NULL, NULL), ==, 200);
    assert_block_start (&shown, guest_slot, -1);
    g_assert_null (fest_lineup_lookup_slot (fest_lineup_page_get_lineup (shown.page), guest_slot));
    guest_path = (g_free (guest_path), g_strdup_printf ("/artists/%s", guest));
    g_assert_cmpuint (fest_app_test_request (fixture.server, "DELETE", guest_path,
                                             fixture.server->token, NULL, NULL), ==, 200);
  }

  /* Back to 1 July 20:00 for the next cases. */
  g_clear_pointer (&start, g_free);
  g_clear_pointer (&end, g_free);
  start = utc (AT (1, 20, 0));
  end = utc (AT (1, 21, 0));
  g_assert_cmpuint (fest_app_test_request (fixture.server, "PATCH", path, fixture.server->token, NULL,
                                           "{\"start_time\":\"%s\",\"end_time\":\"%s\"}", start, end),
                    ==, 200);
  assert_block_start (&shown, fixture.slot_id, -1);
  activate (&shown, "lineup.previous-day", NULL);
  assert_block_start (&shown, fixture.slot_id, AT (1, 20, 0));
  close_page (&shown);
}

static void
test_cancel (void)
{
  Shown shown = { 0 };
  g_autofree char *path = g_strdup_printf ("/slots/%s", fixture.slot_id);
  g_autofree char *status = NULL;
  AdwMessageDialog *dialog;
  FestTimelineBlock block;

  show_page (&shown, fixture.server->token);
  fest_lineup_page_set_day (shown.page, 1);
  activate (&shown, "lineup.cancel-slot", g_variant_new_string (fixture.slot_id));
  dialog = wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, _("Cancel this slot?"));
  adw_message_dialog_response (dialog, "confirm");
  wait_requests (&shown);

  status = api_get_string (path, "status");
  g_assert_cmpstr (status, ==, "CANCELLED");
  g_assert_true (fest_timeline_lookup_block (fest_lineup_page_get_timeline (shown.page),
                                             fixture.slot_id, &block));
  g_assert_cmpint (block.status, ==, FEST_TIMELINE_STATUS_CANCELLED);
  g_assert_cmpstr (fest_lineup_page_get_last_toast (shown.page), ==, _("Slot cancelled"));
  close_page (&shown);
}

static gboolean
toast_starts_with (gpointer data)
{
  gpointer *pair = data;
  const char *toast = fest_lineup_page_get_last_toast (pair[0]);

  return toast != NULL && g_str_has_prefix (toast, pair[1]);
}

static char *
run (const char * const *argv)
{
  g_autoptr(GError) error = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL,
                NULL, &out, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return out;
}

static void
test_exports (void)
{
  Shown shown = { 0 };
  g_autofree char *dir = g_dir_make_tmp ("fest-lineup-XXXXXX", NULL);
  g_autofree char *ics_path = g_build_filename (dir, "lineup.ics", NULL);
  g_autofree char *pdf_path = g_build_filename (dir, "running-order.pdf", NULL);
  g_autoptr(GFile) ics = g_file_new_for_path (ics_path);
  g_autoptr(GFile) pdf = g_file_new_for_path (pdf_path);
  g_autofree char *stage2 = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *info = NULL;
  g_autofree char *text = NULL;
  g_autofree char *start = utc (AT (1, 21, 0));
  g_autofree char *end = utc (AT (1, 21, 45));
  g_auto(GStrv) events = NULL;
  GtkWindow *chooser;
  g_autofree char *saved_prefix = g_strndup (_("Saved to %s"), strstr (_("Saved to %s"), "%s") - _("Saved to %s"));
  gpointer pair[2];

  stage2 = api_create ("/stages", "{\"name\":\"Second Stage\"}");
  g_free (api_create ("/slots", "{\"stage_id\":\"%s\",\"artist_id\":\"%s\",\"start_time\":\"%s\","
                      "\"end_time\":\"%s\",\"status\":\"CONFIRMED\"}",
                      stage2, fixture.artist_id, start, end));

  show_page (&shown, fixture.server->token);
  fest_lineup_page_set_day (shown.page, 1);
  screenshot (&shown, "two-stages");

  /* iCalendar: the save dialog suggests the festival's name (the dialog is not driven further:
   * GtkFileChooserDialog checks the folder asynchronously before it answers); the file is the
   * server's feed, one VEVENT per slot (the cancelled one included). */
  pair[0] = shown.page;
  pair[1] = saved_prefix;
  activate (&shown, "lineup.export-ical", NULL);
  chooser = wait_dialog (GTK_TYPE_FILE_CHOOSER_DIALOG);
  {
    g_autofree char *suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

    g_assert_cmpstr (suggested, ==, "Test Fest-lineup.ics");
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  }
  fest_lineup_page_export_ical_to (shown.page, ics);
  g_assert_true (fest_app_test_wait (toast_starts_with, pair, TIMEOUT_MS));
  g_assert_true (g_str_has_suffix (fest_lineup_page_get_last_toast (shown.page), "lineup.ics"));
  g_assert_true (g_file_get_contents (ics_path, &contents, NULL, NULL));
  g_assert_true (g_str_has_prefix (contents, "BEGIN:VCALENDAR\r\n"));
  g_assert_true (g_str_has_suffix (contents, "END:VCALENDAR\r\n"));
  events = g_strsplit (contents, "BEGIN:VEVENT\r\n", -1);
  g_assert_cmpuint (g_strv_length (events) - 1, ==, 3);
  g_assert_nonnull (strstr (contents, "SUMMARY:Nova Trio"));
  g_assert_nonnull (strstr (contents, "SUMMARY:Echo Park"));

  /* PDF: one page per stage, with the artists of the day. */
  activate (&shown, "lineup.export-pdf", NULL);
  chooser = wait_dialog (GTK_TYPE_FILE_CHOOSER_DIALOG);
  {
    g_autofree char *suggested = gtk_file_chooser_get_current_name (GTK_FILE_CHOOSER (chooser));

    g_assert_cmpstr (suggested, ==, "Test Fest-running-order-2026-07-01.pdf");
    gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  }
  fest_lineup_page_export_pdf_to (shown.page, pdf);
  g_assert_true (g_str_has_prefix (fest_lineup_page_get_last_toast (shown.page), saved_prefix));
  g_assert_true (g_str_has_suffix (fest_lineup_page_get_last_toast (shown.page), "running-order.pdf"));
  info = run ((const char *[]) { "pdfinfo", pdf_path, NULL });
  g_assert_nonnull (strstr (info, "Pages:"));
  g_assert_cmpint (atoi (strstr (info, "Pages:") + strlen ("Pages:")), ==, 2);
  text = run ((const char *[]) { "pdftotext", "-layout", pdf_path, "-", NULL });
  g_assert_nonnull (strstr (text, "Main Stage"));
  g_assert_nonnull (strstr (text, "Second Stage"));
  g_assert_nonnull (strstr (text, "Nova Trio"));
  g_assert_nonnull (strstr (text, "Echo Park"));
  g_assert_nonnull (strstr (text, "Test Fest"));
  g_assert_nonnull (strstr (text, expected_july_1 ()));
  /* Times in Paris: Echo Park plays from midnight, Nova Trio at 23:00 on the second stage. */
  g_assert_nonnull (strstr (text, "00:00–01:00"));
  g_assert_nonnull (strstr (text, "23:00–23:45"));

  close_page (&shown);
  fest_app_test_remove_tree (dir);
}

static void
test_delete (void)
{
  Shown shown = { 0 };
  g_autofree char *spare = api_create ("/artists", "{\"name\":\"Spare Act\",\"type\":\"SOLO\"}");
  g_autofree char *spare_path = g_strdup_printf ("/artists/%s", spare);
  g_autofree char *stage_path = g_strdup_printf ("/stages/%s", fixture.stage_id);
  g_autofree char *name = NULL;
  AdwMessageDialog *dialog;

  show_page (&shown, fixture.server->token);

  /* Main Stage has Nova Trio's (cancelled) and Echo Park's slots: refused before asking. */
  activate (&shown, "lineup.delete-stage", g_variant_new_string (fixture.stage_id));
  expect_refusal (&shown, "Main Stage", 2);
  settle (100);
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  name = api_get_string (stage_path, "name");
  g_assert_cmpstr (name, ==, "Main Stage");

  activate (&shown, "lineup.delete-artist", g_variant_new_string (fixture.other_artist));
  expect_refusal (&shown, "Echo Park", 1);

  /* An artist without slots goes, after a confirmation. */
  activate (&shown, "lineup.delete-artist", g_variant_new_string (spare));
  dialog = wait_dialog (ADW_TYPE_MESSAGE_DIALOG);
  adw_message_dialog_response (dialog, "confirm");
  wait_requests (&shown);
  g_assert_cmpuint (fest_app_test_request (fixture.server, "GET", spare_path, fixture.server->token,
                                           NULL, NULL), ==, 404);
  close_page (&shown);
}

/* Festival days: cut at 06:00 in the festival's zone, a night set belongs to the day before, a
 * day is 25 hours when the clocks go back. */
static void
test_days (void)
{
  g_autoptr(GTimeZone) paris = g_time_zone_new_identifier ("Europe/Paris");
  g_autoptr(FestLineupDays) days = NULL;
  g_autoptr(FestLineupDays) autumn = NULL;
  gint64 starts_at, ends_at, set;

  /* Friday 10 July 2026 18:00 to Sunday 12 July 23:00, Paris. */
  g_assert_true (fest_lineup_parse_time ("2026-07-10T16:00:00Z", &starts_at));
  g_assert_true (fest_lineup_parse_time ("2026-07-12T21:00:00Z", &ends_at));
  days = fest_lineup_days_new (starts_at, ends_at, paris, 6);
  g_assert_cmpuint (fest_lineup_days_get_n_days (days), ==, 3);
  g_assert_cmpint (fest_lineup_days_get_start (days, 0), ==, starts_at - 12 * 3600);
  g_assert_cmpint (fest_lineup_days_get_end (days, 0) - fest_lineup_days_get_start (days, 0), ==, 86400);
  /* Sunday 01:30 in Paris is still Saturday's festival day. */
  g_assert_true (fest_lineup_parse_time ("2026-07-11T23:30:00Z", &set));
  g_assert_cmpint (fest_lineup_days_find (days, set), ==, 1);
  g_assert_cmpint (fest_lineup_days_find (days, starts_at - 13 * 3600), ==, -1);
  g_assert_cmpuint (fest_lineup_days_default_day (days, set), ==, 1);
  g_assert_cmpuint (fest_lineup_days_default_day (days, ends_at + 86400 * 30), ==, 0);

  /* The night of 24 to 25 October 2026 has 25 hours in Paris. */
  g_assert_true (fest_lineup_parse_time ("2026-10-24T10:00:00Z", &starts_at));
  g_assert_true (fest_lineup_parse_time ("2026-10-25T20:00:00Z", &ends_at));
  autumn = fest_lineup_days_new (starts_at, ends_at, paris, 6);
  g_assert_cmpuint (fest_lineup_days_get_n_days (autumn), ==, 2);
  g_assert_cmpint (fest_lineup_days_get_end (autumn, 0) - fest_lineup_days_get_start (autumn, 0),
                   ==, 25 * 3600);
}

/* lineup-day-start-hour moves the cut: at 04:00, 1 July's day starts at 02:00 UTC. */
static void
test_day_start_setting (void)
{
  Shown shown = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (APPLICATION_ID);

  g_settings_set_int (settings, "lineup-day-start-hour", 4);
  show_page (&shown, fixture.server->token);
  g_assert_cmpint (fest_lineup_days_get_start (fest_lineup_page_get_days (shown.page), 1), ==,
                   AT (1, 2, 0));

  /* The festival moves to UTC (its settings page saved it): the days follow without a reload. */
  {
    g_autoptr(JsonNode) reply = NULL;
    g_autofree char *path = g_strdup_printf ("/festivals/%s", fixture.server->festival_id);
    JsonObject *festival;

    g_assert_cmpuint (fest_app_test_request (fixture.server, "GET", path, fixture.server->token,
                                             &reply, NULL), ==, 200);
    festival = json_object_get_object_member (json_node_get_object (reply), "data");
    json_object_set_string_member (festival, "timezone", "UTC");
    fest_page_set_festival (FEST_PAGE (shown.page), festival);
    g_assert_cmpint (fest_lineup_days_get_start (fest_lineup_page_get_days (shown.page), 1), ==,
                     AT (1, 4, 0));
  }
  close_page (&shown);
  g_settings_reset (settings, "lineup-day-start-hour");
}

static gboolean
stream_waiting (gpointer data)
{
  return fest_event_stream_get_state (data) == FEST_EVENT_STREAM_WAITING;
}

/* The stream drops (the server restarts): once back, the page loads what it may have missed. */
static void
test_stream_back (void)
{
  Shown shown = { 0 };
  gpointer pair[2];

  show_page (&shown, fixture.server->token);
  start_stream (&shown);
  pair[0] = shown.page;
  pair[1] = GUINT_TO_POINTER (fest_lineup_page_get_n_loads (shown.page));

  fest_app_test_server_stop (fixture.server);
  g_assert_true (fest_app_test_wait (stream_waiting, shown.stream, TIMEOUT_MS));
  fest_app_test_server_restart (fixture.server);
  fest_event_stream_reconnect_now (shown.stream);
  g_assert_true (fest_app_test_wait (stream_connected, shown.stream, TIMEOUT_MS));
  g_assert_true (fest_app_test_wait (loads_above, pair, TIMEOUT_MS));
  g_assert_cmpstr (fest_lineup_page_get_state (shown.page), ==, "content");
  close_page (&shown);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  fest_application_init_i18n ();
  fest_app_test_init (&argc, &argv);
  fest_app_test_load_style ();

  fixture.server = fest_app_test_server_new (TRUE);

  g_test_add_func ("/fest/lineup-page/days", test_days);
  g_test_add_func ("/fest/lineup-page/empty-and-error", test_empty_and_error);
  g_test_add_func ("/fest/lineup-page/create-from-dialogs", test_create_from_dialogs);
  g_test_add_func ("/fest/lineup-page/move", test_move);
  g_test_add_func ("/fest/lineup-page/timeline-signals", test_timeline_signals);
  g_test_add_func ("/fest/lineup-page/conflict", test_conflict);
  g_test_add_func ("/fest/lineup-page/live", test_live);
  g_test_add_func ("/fest/lineup-page/cancel", test_cancel);
  g_test_add_func ("/fest/lineup-page/exports", test_exports);
  g_test_add_func ("/fest/lineup-page/delete", test_delete);
  g_test_add_func ("/fest/lineup-page/day-start-setting", test_day_start_setting);
  g_test_add_func ("/fest/lineup-page/stream-back", test_stream_back);

  status = g_test_run ();

  g_clear_pointer (&fixture.server, fest_app_test_server_free);
  g_free (fixture.stage_id);
  g_free (fixture.artist_id);
  g_free (fixture.slot_id);
  g_free (fixture.other_artist);
  g_free (fixture.other_slot);
  return status;
}
