/* test-timeline.c: the lineup timeline widget in a real window under Xvfb
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A day of a festival in Europe/Paris from 06:00 to 06:00 the next morning, three stages, a few
 * slots, one of them on another day. Keys go through the widget's own key controller, drags
 * through the functions its drag gesture calls, and once through real pointer and key events from
 * xdotool on the Xvfb display; the picture is rendered and its pixels read.
 */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "fest-app-test.h"
#include "fest-timeline.h"
#include "fest-timeline-private.h"

typedef struct
{
  char   *id;
  char   *lane_id;
  gint64  start;
  gint64  end;
} Change;

typedef struct
{
  GtkWindow    *window;
  FestTimeline *timeline;
  GTimeZone    *zone;
  gint64        day_start;
  GPtrArray    *changes;
  char         *activated;
  char         *deleted;
  guint         n_creates;
  char         *create_lane;
  gint64        create_start;
  gint64        create_end;
  guint         wanted;        /* changes to wait for */
} Fixture;

static void
change_free (gpointer data)
{
  Change *change = data;

  g_free (change->id);
  g_free (change->lane_id);
  g_free (change);
}

/* @hour:@minute local time of the festival day (24 and later: the next morning). */
static gint64
at (Fixture *fixture,
    int      hour,
    int      minute)
{
  return fixture->day_start + (hour - 6) * 3600 + minute * 60;
}

static void
block_changed_cb (FestTimeline *timeline,
                  const char   *id,
                  const char   *lane_id,
                  gint64        start,
                  gint64        end,
                  Fixture      *fixture)
{
  Change *change = g_new0 (Change, 1);
  FestTimelineBlock block;

  /* The widget already shows the block there when it tells. */
  g_assert_true (fest_timeline_lookup_block (timeline, id, &block));
  g_assert_cmpstr (block.lane_id, ==, lane_id);
  g_assert_cmpint (block.start, ==, start);
  g_assert_cmpint (block.end, ==, end);

  change->id = g_strdup (id);
  change->lane_id = g_strdup (lane_id);
  change->start = start;
  change->end = end;
  g_ptr_array_add (fixture->changes, change);
}

static void
block_activated_cb (FestTimeline *timeline,
                    const char   *id,
                    Fixture      *fixture)
{
  g_free (fixture->activated);
  fixture->activated = g_strdup (id);
}

static void
delete_requested_cb (FestTimeline *timeline,
                     const char   *id,
                     Fixture      *fixture)
{
  g_free (fixture->deleted);
  fixture->deleted = g_strdup (id);
}

static void
create_requested_cb (FestTimeline *timeline,
                     const char   *lane_id,
                     gint64        start,
                     gint64        end,
                     Fixture      *fixture)
{
  fixture->n_creates++;
  g_free (fixture->create_lane);
  fixture->create_lane = g_strdup (lane_id);
  fixture->create_start = start;
  fixture->create_end = end;
}

static const FestTimelineLane lanes[] = {
  { "main", "Main Stage", 15 },
  { "tent", "The Tent", 10 },
  { "club", "Club", 0 },
};

static void
set_day (Fixture *fixture)
{
  FestTimelineBlock blocks[] = {
    { "a", "main", "Aurora", at (fixture, 21, 0), at (fixture, 22, 30),
      FEST_TIMELINE_STATUS_CONFIRMED },
    { "b", "tent", "Bruit", at (fixture, 22, 0), at (fixture, 23, 0),
      FEST_TIMELINE_STATUS_PENDING },
    /* Past midnight, still the same festival day. */
    { "c", "main", "Cygne", at (fixture, 23, 30), at (fixture, 25, 0),
      FEST_TIMELINE_STATUS_CANCELLED },
    { "d", "club", "Delta", at (fixture, 19, 0), at (fixture, 20, 0),
      FEST_TIMELINE_STATUS_CONFIRMED },
    /* Two days later: kept, not drawn. */
    { "x", "main", "Xenon", at (fixture, 21, 0) + 2 * 86400, at (fixture, 22, 0) + 2 * 86400,
      FEST_TIMELINE_STATUS_CONFIRMED },
  };

  fest_timeline_set_lanes (fixture->timeline, lanes, G_N_ELEMENTS (lanes));
  fest_timeline_set_blocks (fixture->timeline, blocks, G_N_ELEMENTS (blocks));
  fest_timeline_set_range (fixture->timeline, fixture->day_start, fixture->day_start + 86400,
                           fixture->zone);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GDateTime) start = NULL;
  GtkWidget *scrolled;

  fixture->zone = g_time_zone_new_identifier ("Europe/Paris");
  g_assert_nonnull (fixture->zone);
  start = g_date_time_new (fixture->zone, 2026, 7, 10, 6, 0, 0);
  fixture->day_start = g_date_time_to_unix (start);
  fixture->changes = g_ptr_array_new_with_free_func (change_free);

  fixture->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (fixture->window, 1100, 400);
  scrolled = gtk_scrolled_window_new ();
  fixture->timeline = FEST_TIMELINE (fest_timeline_new ());
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->timeline));
  gtk_window_set_child (fixture->window, scrolled);
  g_signal_connect (fixture->timeline, "block-changed", G_CALLBACK (block_changed_cb), fixture);
  g_signal_connect (fixture->timeline, "block-activated", G_CALLBACK (block_activated_cb),
                    fixture);
  g_signal_connect (fixture->timeline, "delete-requested", G_CALLBACK (delete_requested_cb),
                    fixture);
  g_signal_connect (fixture->timeline, "create-requested", G_CALLBACK (create_requested_cb),
                    fixture);
  set_day (fixture);
  gtk_window_present (fixture->window);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->timeline));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  fest_app_test_destroy_and_check (fixture->window, fixture->timeline);
  g_ptr_array_unref (fixture->changes);
  g_time_zone_unref (fixture->zone);
  g_free (fixture->activated);
  g_free (fixture->deleted);
  g_free (fixture->create_lane);
}

/* A key press through the widget's key controller, as GTK delivers it; TRUE if handled. */
static gboolean
press_key (Fixture         *fixture,
           guint            keyval,
           GdkModifierType  state)
{
  g_autoptr(GListModel) controllers =
    gtk_widget_observe_controllers (GTK_WIDGET (fixture->timeline));

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);
      gboolean handled = FALSE;

      if (!GTK_IS_EVENT_CONTROLLER_KEY (controller))
        continue;
      g_signal_emit_by_name (controller, "key-pressed", keyval, 0, state, &handled);
      return handled;
    }
  g_assert_not_reached ();
}

/* The last "block-changed" is @id in @lane_id from @start to @end, and there were @n in all. */
static void
assert_change (Fixture    *fixture,
               guint       n,
               const char *id,
               const char *lane_id,
               gint64      start,
               gint64      end)
{
  Change *change;

  g_assert_cmpuint (fixture->changes->len, ==, n);
  change = g_ptr_array_index (fixture->changes, n - 1);
  g_assert_cmpstr (change->id, ==, id);
  g_assert_cmpstr (change->lane_id, ==, lane_id);
  g_assert_cmpint (change->start, ==, start);
  g_assert_cmpint (change->end, ==, end);
}

static void
assert_description (Fixture    *fixture,
                    const char *expected)
{
  g_autofree char *mismatch =
    gtk_test_accessible_check_property (GTK_ACCESSIBLE (fixture->timeline),
                                        GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);

  g_assert_null (mismatch);
}

static void
test_keys (Fixture       *fixture,
           gconstpointer  data)
{
  FestTimelineBlock block;
  FestTimelineBlock moved = { "a", "main", "Aurora", 0, 0, FEST_TIMELINE_STATUS_CONFIRMED };

  g_assert_true (gtk_widget_get_focusable (GTK_WIDGET (fixture->timeline)));
  fest_timeline_select (fixture->timeline, "a");
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "a");
  assert_description (fixture, "Aurora, Main Stage, 21:00–22:30, Confirmed");

  g_assert_true (press_key (fixture, GDK_KEY_Right, 0));
  assert_change (fixture, 1, "a", "main", at (fixture, 21, 5), at (fixture, 22, 35));
  g_assert_true (press_key (fixture, GDK_KEY_Left, 0));
  g_assert_true (press_key (fixture, GDK_KEY_Left, 0));
  assert_change (fixture, 3, "a", "main", at (fixture, 20, 55), at (fixture, 22, 25));
  g_assert_true (press_key (fixture, GDK_KEY_Right, GDK_SHIFT_MASK));
  assert_change (fixture, 4, "a", "main", at (fixture, 20, 55), at (fixture, 22, 30));
  g_assert_true (press_key (fixture, GDK_KEY_Left, GDK_SHIFT_MASK));
  g_assert_true (press_key (fixture, GDK_KEY_Left, GDK_SHIFT_MASK));
  assert_change (fixture, 6, "a", "main", at (fixture, 20, 55), at (fixture, 22, 20));

  /* The top lane has nothing above it: the key is taken (focus stays), nothing changes. */
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  g_assert_cmpuint (fixture->changes->len, ==, 6);
  g_assert_true (press_key (fixture, GDK_KEY_Down, 0));
  assert_change (fixture, 7, "a", "tent", at (fixture, 20, 55), at (fixture, 22, 20));
  g_assert_true (press_key (fixture, GDK_KEY_Down, 0));
  assert_change (fixture, 8, "a", "club", at (fixture, 20, 55), at (fixture, 22, 20));
  g_assert_true (press_key (fixture, GDK_KEY_Down, 0));
  g_assert_cmpuint (fixture->changes->len, ==, 8);
  g_assert_true (press_key (fixture, GDK_KEY_Up, 0));
  assert_change (fixture, 9, "a", "tent", at (fixture, 20, 55), at (fixture, 22, 20));
  assert_description (fixture, "Aurora, The Tent, 20:55–22:20, Confirmed");
  g_assert_true (fest_timeline_lookup_block (fixture->timeline, "a", &block));
  g_assert_cmpstr (block.lane_id, ==, "tent");

  /* Off the grid (as another client may have set it), a key puts it back on the grid. */
  moved.start = at (fixture, 21, 2);
  moved.end = at (fixture, 21, 9);
  fest_timeline_update_block (fixture->timeline, &moved);
  g_assert_true (press_key (fixture, GDK_KEY_Right, 0));
  assert_change (fixture, 10, "a", "main", at (fixture, 21, 5), at (fixture, 21, 12));
  /* Shortened to 5 minutes at the least. */
  for (guint i = 0; i < 4; i++)
    g_assert_true (press_key (fixture, GDK_KEY_Left, GDK_SHIFT_MASK));
  assert_change (fixture, 11, "a", "main", at (fixture, 21, 5), at (fixture, 21, 10));

  /* Other keys are not the timeline's. */
  g_assert_false (press_key (fixture, GDK_KEY_a, 0));
  g_assert_false (press_key (fixture, GDK_KEY_Right, GDK_CONTROL_MASK));
  g_assert_cmpuint (fixture->changes->len, ==, 11);
}

static void
test_tab_order (Fixture       *fixture,
                gconstpointer  data)
{
  const char *order[] = { "d", "a", "b", "c" };

  g_assert_null (fest_timeline_get_selected (fixture->timeline));
  /* In time order; the slot of another day is not part of it. */
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_assert_true (press_key (fixture, GDK_KEY_Tab, 0));
      g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, order[i]);
    }
  /* Past the last one, focus may leave the timeline. */
  g_assert_false (press_key (fixture, GDK_KEY_Tab, 0));
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "c");
  assert_description (fixture, "Cygne, Main Stage, 23:30–01:00, Cancelled");
  g_assert_true (press_key (fixture, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "b");
  assert_description (fixture, "Bruit, The Tent, 22:00–23:00, Pending");
  g_assert_true (press_key (fixture, GDK_KEY_Tab, GDK_SHIFT_MASK));
  g_assert_true (press_key (fixture, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "d");
  g_assert_false (press_key (fixture, GDK_KEY_ISO_Left_Tab, GDK_SHIFT_MASK));
  g_assert_cmpuint (fixture->changes->len, ==, 0);

  /* Tab from the widget before lands on the first slot, Shift+Tab from the one after on the last
   * (when none is selected), and leaving keeps the selection. */
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (fixture->timeline),
                                                   GTK_TYPE_SCROLLED_WINDOW);
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
    GtkWidget *before = gtk_button_new_with_label ("Before");
    GtkWidget *after = gtk_button_new_with_label ("After");

    g_object_ref (scrolled);
    gtk_window_set_child (fixture->window, box);
    gtk_box_append (GTK_BOX (box), before);
    gtk_box_append (GTK_BOX (box), scrolled);
    gtk_box_append (GTK_BOX (box), after);
    g_object_unref (scrolled);
    gtk_widget_set_vexpand (scrolled, TRUE);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->timeline));

    fest_timeline_select (fixture->timeline, NULL);
    gtk_widget_grab_focus (before);
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->timeline)));
    g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "d");
    assert_description (fixture, "Delta, Club, 19:00–20:00, Confirmed");
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_FORWARD));
    g_assert_true (gtk_widget_has_focus (after));
    g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "d");

    fest_timeline_select (fixture->timeline, NULL);
    g_assert_true (gtk_widget_child_focus (GTK_WIDGET (fixture->window), GTK_DIR_TAB_BACKWARD));
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->timeline)));
    g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "c");
  }
}

static void
test_activate_delete (Fixture       *fixture,
                      gconstpointer  data)
{
  /* Nothing selected: Return and Delete are not the timeline's. */
  g_assert_false (press_key (fixture, GDK_KEY_Return, 0));
  g_assert_false (press_key (fixture, GDK_KEY_Delete, 0));
  g_assert_null (fixture->activated);
  g_assert_null (fixture->deleted);

  fest_timeline_select (fixture->timeline, "b");
  g_assert_true (press_key (fixture, GDK_KEY_Return, 0));
  g_assert_cmpstr (fixture->activated, ==, "b");
  fest_timeline_select (fixture->timeline, "d");
  g_assert_true (press_key (fixture, GDK_KEY_KP_Enter, 0));
  g_assert_cmpstr (fixture->activated, ==, "d");
  g_assert_true (press_key (fixture, GDK_KEY_Delete, 0));
  g_assert_cmpstr (fixture->deleted, ==, "d");
  /* Deleting is the owner's business: the block stays until it is removed. */
  g_assert_cmpuint (fest_timeline_get_n_blocks (fixture->timeline), ==, 5);

  /* A double-click on a block activates it too. */
  g_clear_pointer (&fixture->activated, g_free);
  _fest_timeline_click (fixture->timeline, 2,
                        fest_timeline_x_for_time (fixture->timeline, at (fixture, 22, 30)),
                        fest_timeline_y_for_lane (fixture->timeline, "tent"));
  g_assert_cmpstr (fixture->activated, ==, "b");
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "b");
  g_assert_cmpuint (fixture->changes->len, ==, 0);
}

static void
drag (Fixture *fixture,
      double   x0,
      double   y0,
      double   x1,
      double   y1)
{
  /* In steps, as the pointer goes. */
  _fest_timeline_drag_begin (fixture->timeline, x0, y0);
  for (guint i = 1; i <= 10; i++)
    _fest_timeline_drag_update (fixture->timeline, x0 + (x1 - x0) * i / 10,
                                y0 + (y1 - y0) * i / 10);
  _fest_timeline_drag_end (fixture->timeline, x1, y1);
}

/* Scrolls the timeline's window so that @time is in sight (the names column stays at its left). */
static void
scroll_to_time (Fixture *fixture,
                gint64   time)
{
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (fixture->timeline),
                                                 GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));

  gtk_adjustment_set_value (adjustment, fest_timeline_x_for_time (fixture->timeline, time)
                                        - gtk_adjustment_get_page_size (adjustment) / 2);
}

static void
test_drag (Fixture       *fixture,
           gconstpointer  data)
{
  FestTimeline *timeline = fixture->timeline;
  double per_minute = 120.0 / 60;
  double x, y;
  FestTimelineBlock block;

  g_assert_cmpfloat (fest_timeline_x_for_time (timeline, at (fixture, 7, 0))
                     - fest_timeline_x_for_time (timeline, at (fixture, 6, 0)), ==, 120);

  /* Move: grabbed in the middle, 31 minutes earlier (snapped to 30) and one lane down, where it
   * ends as Bruit starts. */
  x = fest_timeline_x_for_time (timeline, at (fixture, 21, 45));
  y = fest_timeline_y_for_lane (timeline, "main");
  drag (fixture, x, y, x - 31 * per_minute, fest_timeline_y_for_lane (timeline, "tent") + 10);
  assert_change (fixture, 1, "a", "tent", at (fixture, 20, 30), at (fixture, 22, 0));
  g_assert_cmpstr (fest_timeline_get_selected (timeline), ==, "a");

  /* Resize by the end edge: 2 px inside it, 22 minutes later (snapped to 20). */
  x = fest_timeline_x_for_time (timeline, at (fixture, 22, 0)) - 2;
  y = fest_timeline_y_for_lane (timeline, "tent");
  drag (fixture, x, y, x + 22 * per_minute, y);
  assert_change (fixture, 2, "a", "tent", at (fixture, 20, 30), at (fixture, 22, 20));
  /* ...and by the start edge, never shorter than 5 minutes. */
  x = fest_timeline_x_for_time (timeline, at (fixture, 20, 30)) + 2;
  drag (fixture, x, y, x + 300 * per_minute, y);
  assert_change (fixture, 3, "a", "tent", at (fixture, 22, 15), at (fixture, 22, 20));

  /* A press that does not move is no change. */
  x = fest_timeline_x_for_time (timeline, at (fixture, 19, 30));
  y = fest_timeline_y_for_lane (timeline, "club");
  drag (fixture, x, y, x + 1, y);
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  g_assert_cmpstr (fest_timeline_get_selected (timeline), ==, "d");

  /* Escape during a drag puts the block back and the release changes nothing. */
  _fest_timeline_drag_begin (timeline, x, y);
  _fest_timeline_drag_update (timeline, x + 120, fest_timeline_y_for_lane (timeline, "main"));
  g_assert_true (fest_timeline_lookup_block (timeline, "d", &block));
  g_assert_cmpint (block.start, ==, at (fixture, 20, 0));
  g_assert_cmpstr (block.lane_id, ==, "main");
  g_assert_true (press_key (fixture, GDK_KEY_Escape, 0));
  g_assert_true (fest_timeline_lookup_block (timeline, "d", &block));
  g_assert_cmpint (block.start, ==, at (fixture, 19, 0));
  g_assert_cmpstr (block.lane_id, ==, "club");
  _fest_timeline_drag_update (timeline, x + 240, y);
  _fest_timeline_drag_end (timeline, x + 240, y);
  g_assert_cmpuint (fixture->changes->len, ==, 3);
  g_assert_true (fest_timeline_lookup_block (timeline, "d", &block));
  g_assert_cmpint (block.start, ==, at (fixture, 19, 0));

  /* Empty lane space: a new block asked for, snapped; the selection is dropped. */
  x = fest_timeline_x_for_time (timeline, at (fixture, 22, 1));
  drag (fixture, x, y, fest_timeline_x_for_time (timeline, at (fixture, 23, 12)), y + 30);
  g_assert_cmpuint (fixture->n_creates, ==, 1);
  g_assert_cmpstr (fixture->create_lane, ==, "club");
  g_assert_cmpint (fixture->create_start, ==, at (fixture, 22, 0));
  g_assert_cmpint (fixture->create_end, ==, at (fixture, 23, 10));
  g_assert_null (fest_timeline_get_selected (timeline));
  /* Right to left, shorter than 15 minutes: 15 minutes. */
  scroll_to_time (fixture, at (fixture, 10, 0));
  drag (fixture, fest_timeline_x_for_time (timeline, at (fixture, 10, 10)), y,
        fest_timeline_x_for_time (timeline, at (fixture, 10, 0)), y);
  g_assert_cmpuint (fixture->n_creates, ==, 2);
  g_assert_cmpint (fixture->create_start, ==, at (fixture, 10, 0));
  g_assert_cmpint (fixture->create_end, ==, at (fixture, 10, 15));
  /* A click on empty space asks for nothing; a double-click asks for an hour. */
  scroll_to_time (fixture, at (fixture, 22, 0));
  drag (fixture, x, y, x + 1, y);
  g_assert_cmpuint (fixture->n_creates, ==, 2);
  _fest_timeline_click (timeline, 2, x, y);
  g_assert_cmpuint (fixture->n_creates, ==, 3);
  g_assert_cmpint (fixture->create_start, ==, at (fixture, 22, 0));
  g_assert_cmpint (fixture->create_end, ==, at (fixture, 23, 0));
  g_assert_cmpuint (fixture->changes->len, ==, 3);

  /* Scrolled, the stage names stay in sight at the left and cover the lanes under them: a
   * press there is not on the lanes. */
  g_assert_cmpfloat (fest_timeline_x_for_time (timeline, at (fixture, 18, 0)), >, 200);
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (timeline), GTK_TYPE_SCROLLED_WINDOW);
    graphene_rect_t view;

    /* Delta (club, 19:00–20:00) half scrolled under the names. */
    x = fest_timeline_x_for_time (timeline, at (fixture, 18, 30));
    gtk_adjustment_set_value (gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled)),
                              x);
    _fest_timeline_get_view (timeline, &view);
    g_assert_cmpfloat (view.origin.x, ==, x);
    g_assert_cmpfloat (view.origin.x + _fest_timeline_name_width (timeline), <,
                       fest_timeline_x_for_time (timeline, at (fixture, 19, 50)));
    x = fest_timeline_x_for_time (timeline, at (fixture, 19, 50));
    g_assert_nonnull (_fest_timeline_block_at (timeline, x, y, NULL));
    x = fest_timeline_x_for_time (timeline, at (fixture, 19, 5));
    g_assert_cmpfloat (x, <, view.origin.x + _fest_timeline_name_width (timeline));
  }
  g_assert_null (_fest_timeline_block_at (timeline, x, y, NULL));
  drag (fixture, x, y, x + 100, y);
  g_assert_cmpuint (fixture->n_creates, ==, 3);
  g_assert_cmpuint (fixture->changes->len, ==, 3);

  /* Taking the focus (a click) does not scroll the view back to the start of the day. */
  {
    GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (timeline), GTK_TYPE_SCROLLED_WINDOW);
    GtkAdjustment *adjustment =
      gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
    double value = gtk_adjustment_get_value (adjustment);
    GtkWidget *other = gtk_button_new_with_label ("Other");
    GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);

    g_assert_cmpfloat (value, >, 0);
    g_object_ref (scrolled);
    gtk_window_set_child (fixture->window, box);
    gtk_box_append (GTK_BOX (box), other);
    gtk_box_append (GTK_BOX (box), scrolled);
    g_object_unref (scrolled);
    gtk_widget_set_vexpand (scrolled, TRUE);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (timeline));
    gtk_adjustment_set_value (adjustment, value);
    gtk_widget_grab_focus (other);
    gtk_test_widget_wait_for_draw (GTK_WIDGET (timeline));
    _fest_timeline_click (timeline, 1, x, y);
    g_assert_true (gtk_widget_has_focus (GTK_WIDGET (timeline)));
    gtk_test_widget_wait_for_draw (GTK_WIDGET (timeline));
    g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, value);
  }

  /* The highlight goes with the next edit. */
  fest_timeline_set_highlight (timeline, "b");
  g_assert_cmpstr (timeline->highlight, ==, "b");
  fest_timeline_select (timeline, "c");
  g_assert_true (press_key (fixture, GDK_KEY_Right, 0));
  g_assert_null (timeline->highlight);
}

static gboolean
scrolled_far (gpointer data)
{
  Fixture *fixture = data;

  return fixture->timeline->hadjustment != NULL
         && gtk_adjustment_get_value (fixture->timeline->hadjustment) > fixture->wanted;
}

static void
test_autoscroll (Fixture       *fixture,
                 gconstpointer  data)
{
  FestTimeline *timeline = fixture->timeline;
  GtkWidget *scrolled = gtk_widget_get_ancestor (GTK_WIDGET (timeline), GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (scrolled));
  graphene_rect_t view;
  double x, y, start;
  FestTimelineBlock block;

  /* Delta (club, 19:00–20:00) near the left of the view; dragged to its right edge and held. */
  start = fest_timeline_x_for_time (timeline, at (fixture, 18, 0));
  gtk_adjustment_set_value (adjustment, start);
  _fest_timeline_get_view (timeline, &view);
  g_assert_cmpfloat (view.origin.x, ==, start);
  x = fest_timeline_x_for_time (timeline, at (fixture, 19, 30));
  y = fest_timeline_y_for_lane (timeline, "club");
  _fest_timeline_drag_begin (timeline, x, y);
  _fest_timeline_drag_update (timeline, view.origin.x + view.size.width - 5, y);
  fixture->wanted = (guint) (start + 240);
  g_assert_true (fest_app_test_wait (scrolled_far, fixture, 5000));
  /* The block went along: the pointer is over a later time now. */
  g_assert_true (fest_timeline_lookup_block (timeline, "d", &block));
  g_assert_cmpint (block.start, >, at (fixture, 19, 0) + (view.size.width - 5 - (x - start)) * 30
                                   + 3600);
  _fest_timeline_drag_end (timeline, timeline->drag.x, y);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  g_assert_true (fest_timeline_lookup_block (timeline, "d", &block));
  assert_change (fixture, 1, "d", "club", block.start, block.end);
  g_assert_cmpint (block.end - block.start, ==, 3600);
  /* Released: the view stays. */
  start = gtk_adjustment_get_value (adjustment);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (timeline));
  g_assert_cmpfloat (gtk_adjustment_get_value (adjustment), ==, start);
  g_assert_cmpuint (timeline->autoscroll_tick, ==, 0);
}

static void
test_geometry (Fixture       *fixture,
               gconstpointer  data)
{
  FestTimeline *timeline = fixture->timeline;
  double name_width = fest_timeline_x_for_time (timeline, fixture->day_start);
  int minimum, natural;

  g_assert_cmpfloat (name_width, >, 0);
  for (int minutes = 0; minutes <= 24 * 60; minutes += 35)
    {
      gint64 time = fixture->day_start + minutes * 60;
      double x = fest_timeline_x_for_time (timeline, time);

      g_assert_cmpfloat_with_epsilon (x, name_width + minutes * 2.0, 1e-6);
      g_assert_cmpint (_fest_timeline_time_for_x (timeline, x), ==, time);
    }
  g_assert_cmpfloat (fest_timeline_y_for_lane (timeline, "main"), <,
                     fest_timeline_y_for_lane (timeline, "tent"));
  g_assert_cmpfloat (fest_timeline_y_for_lane (timeline, "tent"), <,
                     fest_timeline_y_for_lane (timeline, "club"));
  g_assert_cmpfloat (fest_timeline_y_for_lane (timeline, "nowhere"), <, 0);
  g_assert_cmpint (_fest_timeline_lane_at_y (timeline, fest_timeline_y_for_lane (timeline, "club"),
                                             FALSE), ==, 2);

  /* The natural size is the whole day at pixels-per-hour, and every lane. */
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                      NULL, NULL);
  g_assert_cmpint (natural, ==, (int) name_width + 24 * 120);
  fest_timeline_set_pixels_per_hour (timeline, 60);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural,
                      NULL, NULL);
  g_assert_cmpint (natural, ==, (int) name_width + 24 * 60);
  g_assert_cmpfloat (fest_timeline_x_for_time (timeline, at (fixture, 8, 0)), ==, name_width + 120);
  gtk_widget_measure (GTK_WIDGET (timeline), GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural,
                      NULL, NULL);
  g_assert_cmpint (natural, ==, FEST_TIMELINE_RULER_HEIGHT + 3 * FEST_TIMELINE_LANE_HEIGHT);

  /* Hours are labelled in the zone: the grid snaps to Paris' 5 minutes. */
  g_assert_cmpint (_fest_timeline_snap (timeline, at (fixture, 21, 2), 0), ==, at (fixture, 21, 0));
  g_assert_cmpint (_fest_timeline_snap (timeline, at (fixture, 21, 3), 0), ==, at (fixture, 21, 5));
  g_assert_cmpint (_fest_timeline_snap (timeline, at (fixture, 21, 3), -1), ==,
                   at (fixture, 21, 0));
  g_assert_cmpint (_fest_timeline_snap (timeline, at (fixture, 21, 0), 1), ==, at (fixture, 21, 0));
}

static void
test_model (Fixture       *fixture,
            gconstpointer  data)
{
  FestTimeline *timeline = fixture->timeline;
  FestTimelineBlock block;
  FestTimelineBlock update = { "b", "club", "Bruit (DJ set)", 0, 0,
                               FEST_TIMELINE_STATUS_CONFIRMED };
  FestTimelineBlock added = { "e", "tent", "Écho", 0, 0, FEST_TIMELINE_STATUS_PENDING };
  graphene_rect_t rect;

  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 5);
  g_assert_true (fest_timeline_lookup_block (timeline, "x", &block));
  g_assert_cmpstr (block.title, ==, "Xenon");
  g_assert_false (fest_timeline_lookup_block (timeline, "nope", &block));
  /* Outside the range: kept, not drawn nor hit. */
  g_assert_false (_fest_timeline_block_rect (timeline, _fest_timeline_find_block (timeline, "x"),
                                             &rect));
  g_assert_true (_fest_timeline_block_rect (timeline, _fest_timeline_find_block (timeline, "c"),
                                            &rect));
  /* ...unless the range moves to its day. */
  fest_timeline_set_range (timeline, fixture->day_start + 2 * 86400,
                           fixture->day_start + 3 * 86400, fixture->zone);
  g_assert_true (_fest_timeline_block_rect (timeline, _fest_timeline_find_block (timeline, "x"),
                                            &rect));
  g_assert_false (_fest_timeline_block_rect (timeline, _fest_timeline_find_block (timeline, "a"),
                                             &rect));
  fest_timeline_set_range (timeline, fixture->day_start, fixture->day_start + 86400, fixture->zone);

  fest_timeline_select (timeline, "b");
  update.start = at (fixture, 1 + 24, 0);
  update.end = at (fixture, 2 + 24, 0);
  fest_timeline_update_block (timeline, &update);
  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 5);
  g_assert_true (fest_timeline_lookup_block (timeline, "b", &block));
  g_assert_cmpstr (block.lane_id, ==, "club");
  g_assert_cmpstr (block.title, ==, "Bruit (DJ set)");
  g_assert_cmpint (block.status, ==, FEST_TIMELINE_STATUS_CONFIRMED);
  assert_description (fixture, "Bruit (DJ set), Club, 01:00–02:00, Confirmed");

  added.start = at (fixture, 18, 0);
  added.end = at (fixture, 19, 0);
  fest_timeline_update_block (timeline, &added);
  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 6);
  g_assert_true (fest_timeline_lookup_block (timeline, "e", &block));
  g_assert_cmpstr (block.title, ==, "Écho");

  /* The selection is kept by set_blocks when its block still exists, and goes with it. */
  fest_timeline_set_blocks (timeline, &update, 1);
  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 1);
  g_assert_cmpstr (fest_timeline_get_selected (timeline), ==, "b");
  fest_timeline_remove_block (timeline, "b");
  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 0);
  g_assert_null (fest_timeline_get_selected (timeline));
  assert_description (fixture, "");
  fest_timeline_remove_block (timeline, "b");
  set_day (fixture);
  fest_timeline_select (timeline, "a");
  set_day (fixture);
  g_assert_cmpstr (fest_timeline_get_selected (timeline), ==, "a");
  fest_timeline_set_blocks (timeline, NULL, 0);
  g_assert_null (fest_timeline_get_selected (timeline));
  /* A block of a lane that is not there is kept and not drawn. */
  fest_timeline_update_block (timeline, &(FestTimelineBlock) { "z", "gone", "Zed",
                                                               at (fixture, 20, 0),
                                                               at (fixture, 21, 0),
                                                               FEST_TIMELINE_STATUS_PENDING });
  g_assert_cmpuint (fest_timeline_get_n_blocks (timeline), ==, 1);
  g_assert_false (_fest_timeline_block_rect (timeline, _fest_timeline_find_block (timeline, "z"),
                                             &rect));
  g_assert_false (press_key (fixture, GDK_KEY_Tab, 0));
}

/* The picture */

static GdkTexture *
render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);

  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  return gsk_renderer_render_texture (gtk_native_get_renderer (gtk_widget_get_native (widget)),
                                      node, &GRAPHENE_RECT_INIT (0, 0, width, height));
}

/* The pixel at (@x, @y) of @texture as 0xAARRGGBB. */
static guint32
pixel_at (GdkTexture *texture,
          double      x,
          double      y)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guint32 *pixels = g_new (guint32, (gsize) width * height);

  g_assert_cmpfloat (x, >=, 0);
  g_assert_cmpfloat (y, >=, 0);
  g_assert_cmpfloat (x, <, width);
  g_assert_cmpfloat (y, <, height);
  gdk_texture_download (texture, (guchar *) pixels, width * 4);
  return pixels[(int) y * width + (int) x];
}

/* A point inside block @id, clear of its text: just under its top edge, halfway along. */
static void
block_point (Fixture    *fixture,
             const char *id,
             double     *x,
             double     *y)
{
  graphene_rect_t rect;

  g_assert_true (_fest_timeline_block_rect (fixture->timeline,
                                            _fest_timeline_find_block (fixture->timeline, id),
                                            &rect));
  *x = rect.origin.x + rect.size.width / 2;
  *y = rect.origin.y + 3;
}

static gboolean
is_blue (guint32 pixel)
{
  int r = (pixel >> 16) & 0xff;
  int b = pixel & 0xff;

  return b > r + 60;
}

static gboolean
is_red (guint32 pixel)
{
  int r = (pixel >> 16) & 0xff;
  int g = (pixel >> 8) & 0xff;
  int b = pixel & 0xff;

  return r > 150 && r > g + 80 && r > b + 80;
}

static gboolean
highlight_gone (gpointer data)
{
  Fixture *fixture = data;

  return fixture->timeline->highlight == NULL;
}

static void
test_render (Fixture       *fixture,
             gconstpointer  data)
{
  GtkWidget *widget = GTK_WIDGET (fixture->timeline);
  g_autoptr(GdkTexture) texture = NULL;
  double x, y;
  guint32 confirmed, cancelled, pending, empty, moved;
  guint n_snapshots;

  /* At the default scale, the evening, Aurora selected, the timeline focused. */
  fest_timeline_select (fixture->timeline, "a");
  gtk_widget_grab_focus (widget);
  scroll_to_time (fixture, at (fixture, 22, 0));
  gtk_test_widget_wait_for_draw (widget);
  fest_app_test_render_png (gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW),
                            "timeline-evening.png");
  fest_timeline_select (fixture->timeline, NULL);

  /* The whole day fits the window at 40 pixels an hour. */
  fest_timeline_set_pixels_per_hour (fixture->timeline, 40);
  fest_timeline_set_now (fixture->timeline, at (fixture, 12, 0));
  gtk_test_widget_wait_for_draw (widget);
  g_assert_cmpint (gtk_widget_get_width (widget), >=,
                   fest_timeline_x_for_time (fixture->timeline, at (fixture, 30, 0)));
  n_snapshots = _fest_timeline_get_n_snapshots (fixture->timeline);
  g_assert_cmpuint (n_snapshots, >, 0);

  texture = render (widget);
  fest_app_test_render_png (widget, "timeline.png");
  block_point (fixture, "a", &x, &y);
  confirmed = pixel_at (texture, x, y);
  block_point (fixture, "c", &x, &y);
  cancelled = pixel_at (texture, x, y);
  block_point (fixture, "b", &x, &y);
  pending = pixel_at (texture, x, y);
  empty = pixel_at (texture, fest_timeline_x_for_time (fixture->timeline, at (fixture, 15, 10)),
                    y);
  g_test_message ("confirmed %08x cancelled %08x pending %08x empty %08x", confirmed, cancelled,
                  pending, empty);
  g_assert_true (is_blue (confirmed));
  g_assert_false (is_blue (cancelled));
  g_assert_cmphex (confirmed, !=, cancelled);
  g_assert_cmphex (pending, !=, cancelled);
  g_assert_cmphex (pending, !=, confirmed);
  g_assert_cmphex (pending, !=, empty);
  g_assert_cmphex (cancelled, !=, empty);

  /* The now line, red, across the lanes. */
  g_assert_true (is_red (pixel_at (texture, fest_timeline_x_for_time (fixture->timeline,
                                                                     at (fixture, 12, 0)),
                                   fest_timeline_y_for_lane (fixture->timeline, "tent"))));
  g_assert_false (is_red (pixel_at (texture, fest_timeline_x_for_time (fixture->timeline,
                                                                      at (fixture, 13, 10)),
                                    fest_timeline_y_for_lane (fixture->timeline, "tent"))));

  /* A conflicting slot is outlined in red, for 4 seconds. */
  {
    graphene_rect_t rect;
    g_autoptr(GdkTexture) highlighted = NULL;

    g_assert_true (_fest_timeline_block_rect (fixture->timeline,
                                              _fest_timeline_find_block (fixture->timeline, "c"),
                                              &rect));
    x = rect.origin.x + rect.size.width / 2;
    y = rect.origin.y - 2;
    g_assert_false (is_red (pixel_at (texture, x, y)));
    fest_timeline_set_highlight (fixture->timeline, "c");
    gtk_test_widget_wait_for_draw (widget);
    highlighted = render (widget);
    g_assert_true (is_red (pixel_at (highlighted, x, y)));
    g_assert_false (fest_app_test_wait (highlight_gone, fixture, 2500));
    g_assert_true (fest_app_test_wait (highlight_gone, fixture, 4000));
    gtk_test_widget_wait_for_draw (widget);
    g_clear_object (&highlighted);
    highlighted = render (widget);
    g_assert_false (is_red (pixel_at (highlighted, x, y)));
  }

  /* A drag redraws the block where the pointer is, before the release. */
  block_point (fixture, "d", &x, &y);
  g_assert_true (is_blue (pixel_at (texture, x, y)));
  empty = pixel_at (texture, x + 40, y);
  g_assert_false (is_blue (empty));
  _fest_timeline_drag_begin (fixture->timeline, x, y + 10);
  _fest_timeline_drag_update (fixture->timeline, x + 40, y + 10);
  gtk_test_widget_wait_for_draw (widget);
  g_assert_cmpuint (_fest_timeline_get_n_snapshots (fixture->timeline), >, n_snapshots);
  g_clear_object (&texture);
  texture = render (widget);
  moved = pixel_at (texture, x + 40, y);
  g_assert_true (is_blue (moved));
  _fest_timeline_drag_end (fixture->timeline, x + 40, y + 10);
  assert_change (fixture, 1, "d", "club", at (fixture, 20, 0), at (fixture, 21, 0));

  /* The dark style: other colours, still told apart. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_FORCE_DARK);
  gtk_test_widget_wait_for_draw (widget);
  g_clear_object (&texture);
  texture = render (widget);
  fest_app_test_render_png (widget, "timeline-dark.png");
  block_point (fixture, "b", &x, &y);
  g_assert_cmphex (pixel_at (texture, x, y), !=, pending);
  pending = pixel_at (texture, x, y);
  block_point (fixture, "a", &x, &y);
  g_assert_true (is_blue (pixel_at (texture, x, y)));
  g_assert_cmphex (pixel_at (texture, x, y), !=, pending);
  block_point (fixture, "c", &x, &y);
  g_assert_cmphex (pixel_at (texture, x, y), !=, pending);
  g_assert_false (is_blue (pixel_at (texture, x, y)));
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (),
                                      ADW_COLOR_SCHEME_DEFAULT);
}

/* Real pointer and key events from the X server, through the widget's own controllers. */

static void
window_point (Fixture *fixture,
              double   x,
              double   y,
              char   **out_x,
              char   **out_y)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (fixture->timeline));
  graphene_point_t point;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (GTK_WIDGET (fixture->timeline), GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (x, y), &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  *out_x = g_strdup_printf ("%d", (int) (point.x + dx));
  *out_y = g_strdup_printf ("%d", (int) (point.y + dy));
}

static gboolean
has_wanted_changes (gpointer data)
{
  Fixture *fixture = data;

  return fixture->changes->len >= fixture->wanted;
}

static void
wait_for_changes (Fixture *fixture,
                  guint    n)
{
  fixture->wanted = n;
  g_assert_true (fest_app_test_wait (has_wanted_changes, fixture, 5000));
}

static gboolean
selected_is_a (gpointer data)
{
  Fixture *fixture = data;

  return g_strcmp0 (fest_timeline_get_selected (fixture->timeline), "a") == 0;
}

static gboolean
activated (gpointer data)
{
  Fixture *fixture = data;

  return fixture->activated != NULL;
}

static void
test_real_events (Fixture       *fixture,
                  gconstpointer  data)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (fixture->timeline));
  g_autofree char *xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                            gtk_native_get_surface (native)));
  g_autofree char *x0 = NULL;
  g_autofree char *y0 = NULL;
  g_autofree char *x1 = NULL;
  g_autofree char *y1 = NULL;
  g_autofree char *x2 = NULL;
  g_autofree char *y2 = NULL;
  double x = 0, y = 0;

  fest_timeline_set_pixels_per_hour (fixture->timeline, 40);
  gtk_test_widget_wait_for_draw (GTK_WIDGET (fixture->timeline));
  block_point (fixture, "d", &x, &y);
  y += 15;
  window_point (fixture, x, y, &x0, &y0);
  /* 30 minutes later and one lane up: via a point halfway, as a hand moves. */
  window_point (fixture, x + 10, y - 20, &x1, &y1);
  window_point (fixture, x + 20, y - FEST_TIMELINE_LANE_HEIGHT, &x2, &y2);

  fest_app_test_xdotool ("windowfocus", "--sync", xid, NULL);
  fest_app_test_xdotool ("mousemove", "--window", xid, x0, y0, "mousedown", "1", NULL);
  fest_app_test_xdotool ("mousemove", "--window", xid, x1, y1, NULL);
  fest_app_test_xdotool ("mousemove", "--window", xid, x2, y2, "mouseup", "1", NULL);
  wait_for_changes (fixture, 1);
  assert_change (fixture, 1, "d", "tent", at (fixture, 19, 30), at (fixture, 20, 30));
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "d");
  /* The click gave the timeline the keyboard focus. */
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->timeline)));

  fest_app_test_xdotool ("key", "--window", xid, "Right", NULL);
  wait_for_changes (fixture, 2);
  assert_change (fixture, 2, "d", "tent", at (fixture, 19, 35), at (fixture, 20, 35));
  fest_app_test_xdotool ("key", "--window", xid, "shift+Left", NULL);
  wait_for_changes (fixture, 3);
  assert_change (fixture, 3, "d", "tent", at (fixture, 19, 35), at (fixture, 20, 30));

  /* Tab goes to the next slot in time (Aurora at 21:00), not to another widget. */
  fest_app_test_xdotool ("key", "--window", xid, "Tab", NULL);
  g_assert_true (fest_app_test_wait (selected_is_a, fixture, 5000));
  g_assert_true (gtk_widget_has_focus (GTK_WIDGET (fixture->timeline)));

  /* A double-click on Bruit opens it. */
  block_point (fixture, "b", &x, &y);
  g_clear_pointer (&x0, g_free);
  g_clear_pointer (&y0, g_free);
  window_point (fixture, x, y + 15, &x0, &y0);
  fest_app_test_xdotool ("mousemove", "--window", xid, x0, y0, "click", "--repeat", "2",
                         "--delay", "60", "1", NULL);
  g_assert_true (fest_app_test_wait (activated, fixture, 5000));
  g_assert_cmpstr (fixture->activated, ==, "b");
  g_assert_cmpstr (fest_timeline_get_selected (fixture->timeline), ==, "b");
  g_assert_cmpuint (fixture->changes->len, ==, 3);
}

int
main (int   argc,
      char *argv[])
{
  /* The test AT context keeps the accessible properties for gtk_test_accessible_*(). */
  g_setenv ("GTK_A11Y", "test", TRUE);
  fest_app_test_init (&argc, &argv);

  g_test_add ("/fest/timeline/keys", Fixture, NULL, fixture_set_up, test_keys, fixture_tear_down);
  g_test_add ("/fest/timeline/tab-order", Fixture, NULL, fixture_set_up, test_tab_order,
              fixture_tear_down);
  g_test_add ("/fest/timeline/activate-delete", Fixture, NULL, fixture_set_up,
              test_activate_delete, fixture_tear_down);
  g_test_add ("/fest/timeline/drag", Fixture, NULL, fixture_set_up, test_drag, fixture_tear_down);
  g_test_add ("/fest/timeline/autoscroll", Fixture, NULL, fixture_set_up, test_autoscroll,
              fixture_tear_down);
  g_test_add ("/fest/timeline/geometry", Fixture, NULL, fixture_set_up, test_geometry,
              fixture_tear_down);
  g_test_add ("/fest/timeline/model", Fixture, NULL, fixture_set_up, test_model,
              fixture_tear_down);
  g_test_add ("/fest/timeline/render", Fixture, NULL, fixture_set_up, test_render,
              fixture_tear_down);
  g_test_add ("/fest/timeline/real-events", Fixture, NULL, fixture_set_up, test_real_events,
              fixture_tear_down);

  return g_test_run ();
}
