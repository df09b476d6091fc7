/* fest-station-keyboard.c: where the station's keys go (keyboard-wedge scanners and people)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Keys are watched in the CAPTURE phase on the station window: a focused text field gets them
 * untouched; anywhere else a scanner burst is handed to the mode page (or to the enrollment form)
 * and a human's keys go to the page's code field.
 */

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "fest-station-keyboard.h"
#include "fest-wedge.h"

struct _FestStationKeyboard
{
  GObject                parent_instance;

  FestStationContext    *context;
  FestWedge             *wedge;
  guint                  wedge_timeout_id;

  /* The window's: it owns this object and drops it before they go. */
  GtkWidget             *window;
  GtkStack              *stack;
  FestStationEnrollView *enroll_view;
  FestStationModeHost   *mode_host;
};

G_DEFINE_FINAL_TYPE (FestStationKeyboard, fest_station_keyboard, G_TYPE_OBJECT)

enum {
  ESCAPE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where a key goes: into the focused text field untouched when there is one (an entry, the
 * incident description): the user is typing there. Anywhere else, printable keys go through the
 * wedge detector: a scanner burst is handed to the page; a human's keys (held back for at most
 * 50 ms) go to the page's code field, which takes the focus, so a code typed by hand after tapping
 * a product lands where it belongs, and Enter there submits the code instead of pressing the tile. */

/* Does the focused widget take typed text? */
static gboolean
focus_takes_text (GtkWidget *focus)
{
  if (focus == NULL)
    return FALSE;
  if (GTK_IS_EDITABLE (focus))
    return gtk_editable_get_editable (GTK_EDITABLE (focus));
  if (GTK_IS_TEXT_VIEW (focus))
    return gtk_text_view_get_editable (GTK_TEXT_VIEW (focus));
  return FALSE;
}

/* The page's code field: where text typed outside any field goes (NULL: nowhere). */
static GtkEditable *
typing_target (FestStationKeyboard *self)
{
  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "station") != 0)
    return NULL;
  return fest_station_mode_host_get_code_entry (self->mode_host);
}

static void
insert_into (GtkWidget  *widget,
             const char *text)
{
  if (GTK_IS_TEXT_VIEW (widget))
    {
      gtk_text_buffer_insert_interactive_at_cursor (gtk_text_view_get_buffer (GTK_TEXT_VIEW (widget)),
                                                    text, -1, TRUE);
      return;
    }
  if (GTK_IS_EDITABLE (widget))
    {
      int position;

      gtk_editable_delete_selection (GTK_EDITABLE (widget));
      position = gtk_editable_get_position (GTK_EDITABLE (widget));
      gtk_editable_insert_text (GTK_EDITABLE (widget), text, -1, &position);
      gtk_editable_set_position (GTK_EDITABLE (widget), position);
    }
}

/* Held-back keys a human typed: into the focused field, else into the page's code field (which
 * takes the focus, so the next keys go there directly). */
static void
insert_at_focus (FestStationKeyboard *self,
                 const char        *text)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self->window));
  GtkEditable *target;

  if (text == NULL)
    return;
  if (focus_takes_text (focus))
    {
      insert_into (focus, text);
      return;
    }
  target = typing_target (self);
  if (target == NULL)
    return;
  gtk_widget_grab_focus (GTK_WIDGET (target));
  gtk_editable_set_position (target, -1);
  insert_into (GTK_WIDGET (target), text);
}

static void
dispatch_scan (FestStationKeyboard *self,
               const char        *text,
               FestWedgeKey       terminator)
{
  g_autofree char *fixed = NULL;
  const char *code = text;

  g_debug ("Scanner burst of %u characters", (guint) strlen (text));
  if (fest_wedge_detect_us_layout (text, &fixed))
    {
      fest_station_context_toast (self->context, _("Your scanner is set to a US keyboard layout: set it to French (AZERTY)"));
      code = fixed;
    }

  if (g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "enroll") == 0)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self->window));

      /* A form, not a scan target: the burst is typing into the focused field (a scanned token,
       * or a fast typist), and its Enter/Tab does what it does in a form. */
      if (!focus_takes_text (focus))
        {
          fest_station_enroll_view_set_token (self->enroll_view, code);
          return;
        }
      insert_at_focus (self, text);
      if (terminator == FEST_WEDGE_KEY_TAB)
        gtk_widget_child_focus (self->window, GTK_DIR_TAB_FORWARD);
      else
        gtk_widget_activate (focus);
      return;
    }

  fest_station_mode_host_handle_scan (self->mode_host, code);
}

static gboolean
wedge_timeout_cb (gpointer user_data)
{
  FestStationKeyboard *self = user_data;
  g_autofree char *text = NULL;

  self->wedge_timeout_id = 0;
  text = fest_wedge_timeout (self->wedge, G_MAXINT64);
  insert_at_focus (self, text);
  return G_SOURCE_REMOVE;
}

static gboolean
feed_wedge (FestStationKeyboard *self,
            FestWedgeKey       key,
            const char        *text,
            gint64             time_us)
{
  FestWedgeResult result;
  gboolean consume;

  fest_wedge_feed (self->wedge, key, text, time_us, &result);
  insert_at_focus (self, result.flush);
  if (result.scanned != NULL)
    dispatch_scan (self, result.scanned, key);
  consume = result.consume;
  fest_wedge_result_clear (&result);

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  if (fest_wedge_is_holding (self->wedge))
    self->wedge_timeout_id = g_timeout_add (FEST_WEDGE_MAX_GAP_US / 1000 + 10, wedge_timeout_cb,
                                            self);
  return consume;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                gpointer               user_data)
{
  FestStationKeyboard *self = user_data;
  GdkEvent *event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (controller));
  gint64 time_us = (gint64) gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (controller)) * 1000;
  gunichar ch;

  /* Shift and friends come between a scanner's characters: they are not part of the code. */
  if (event != NULL && gdk_key_event_is_modifier (event))
    return FALSE;

  if (keyval == GDK_KEY_Escape && g_strcmp0 (gtk_stack_get_visible_child_name (self->stack), "settings") == 0)
    {
      g_signal_emit (self, signals[ESCAPE], 0);
      return TRUE;
    }

  /* Typing in a field (and no burst under way): the field gets the keys as they come. */
  if (!fest_wedge_is_holding (self->wedge) && focus_takes_text (gtk_root_get_focus (GTK_ROOT (self->window))))
    return FALSE;

  /* A shortcut of the station's actions (Ctrl+Return…): no scanner holds Ctrl. */
  if (!fest_wedge_is_holding (self->wedge) && (state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter)
    {
      GtkEditable *target;
      GtkWidget *focus;

      if (feed_wedge (self, FEST_WEDGE_KEY_ENTER, NULL, time_us))
        return TRUE;
      /* A human's Enter outside a field: with a code typed (now in the code field, which has the
       * focus but was not on this event's path) or on a product tile, it submits the code. */
      target = typing_target (self);
      focus = gtk_root_get_focus (GTK_ROOT (self->window));
      if (target != NULL && focus != NULL &&
          (focus == GTK_WIDGET (target) || gtk_widget_is_ancestor (focus, GTK_WIDGET (target)) ||
           fest_station_mode_host_is_product (self->mode_host, focus)))
        {
          /* The field's own "activate" (gtk_widget_activate() does nothing for a GtkEntry). */
          g_signal_emit_by_name (target, "activate");
          return TRUE;
        }
      return FALSE;
    }
  if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_ISO_Left_Tab)
    return feed_wedge (self, FEST_WEDGE_KEY_TAB, NULL, time_us);

  ch = gdk_keyval_to_unicode (keyval);
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) == 0 && ch != 0 &&
      g_unichar_isprint (ch))
    {
      char utf8[8] = { 0 };

      g_unichar_to_utf8 (ch, utf8);
      return feed_wedge (self, FEST_WEDGE_KEY_CHAR, utf8, time_us);
    }
  return feed_wedge (self, FEST_WEDGE_KEY_OTHER, NULL, time_us);
}

static void
fest_station_keyboard_dispose (GObject *object)
{
  FestStationKeyboard *self = FEST_STATION_KEYBOARD (object);

  g_clear_handle_id (&self->wedge_timeout_id, g_source_remove);
  g_clear_object (&self->context);
  G_OBJECT_CLASS (fest_station_keyboard_parent_class)->dispose (object);
}

static void
fest_station_keyboard_finalize (GObject *object)
{
  FestStationKeyboard *self = FEST_STATION_KEYBOARD (object);

  g_clear_pointer (&self->wedge, fest_wedge_free);
  G_OBJECT_CLASS (fest_station_keyboard_parent_class)->finalize (object);
}

static void
fest_station_keyboard_class_init (FestStationKeyboardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = fest_station_keyboard_dispose;
  object_class->finalize = fest_station_keyboard_finalize;

  /* Escape in the settings view: leave them. */
  signals[ESCAPE] =
    g_signal_new ("escape", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
fest_station_keyboard_init (FestStationKeyboard *self)
{
  self->wedge = fest_wedge_new ();
}

FestStationKeyboard *
fest_station_keyboard_new (FestStationContext    *context,
                           GtkWindow             *window,
                           GtkStack              *stack,
                           FestStationEnrollView *enroll_view,
                           FestStationModeHost   *mode_host)
{
  FestStationKeyboard *self;
  GtkEventController *keys;

  g_return_val_if_fail (FEST_IS_STATION_CONTEXT (context), NULL);
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  self = g_object_new (FEST_TYPE_STATION_KEYBOARD, NULL);
  self->context = g_object_ref (context);
  self->window = GTK_WIDGET (window);
  self->stack = stack;
  self->enroll_view = enroll_view;
  self->mode_host = mode_host;

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self, 0);
  gtk_widget_add_controller (self->window, keys);
  return self;
}

void
fest_station_keyboard_feed (FestStationKeyboard *self,
                            FestWedgeKey         key,
                            const char          *text,
                            gint64               time_us)
{
  g_return_if_fail (FEST_IS_STATION_KEYBOARD (self));
  feed_wedge (self, key, text, time_us);
}

void
fest_station_keyboard_simulate_scan (FestStationKeyboard *self,
                                     const char          *text)
{
  gint64 time = g_get_monotonic_time ();

  g_return_if_fail (FEST_IS_STATION_KEYBOARD (self));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      g_autofree char *ch = g_strndup (p, g_utf8_next_char (p) - p);

      feed_wedge (self, FEST_WEDGE_KEY_CHAR, ch, time);
      time += 5 * G_TIME_SPAN_MILLISECOND;
    }
  feed_wedge (self, FEST_WEDGE_KEY_ENTER, NULL, time);
}
