/* fest-lineup-page.c: the Lineup page, a day's timeline of stages and slots, edited live
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One festival day at a time (days cut at the lineup-day-start-hour setting, in the festival's
 * time zone): stages as the timeline's lanes, slots as its blocks. An edit shows at once and is
 * sent with PATCH /slots/{id}; a refusal puts the block back and names the slot in the way.
 * slot:updated events from the festival's stream move blocks without a reload. The side lists
 * of stages and artists, the slot edits, the dialogs and the exports are in
 * fest-lineup-page-lists.c, fest-lineup-page-slots.c, fest-lineup-dialogs.c and
 * fest-lineup-page-export.c.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-lineup-page-private.h"
#include "fest-page-util.h"

#define DEFAULT_DAY_START_HOUR 6
#define NOW_INTERVAL_S 60

G_DEFINE_FINAL_TYPE (FestLineupPage, fest_lineup_page, FEST_TYPE_PAGE)

static void fest_lineup_page_real_reload         (FestPage        *page);
static void fest_lineup_page_real_pause          (FestPage        *page);
static void fest_lineup_page_real_stream_changed (FestPage        *page,
                                                  FestEventStream *stream);
static void fest_lineup_page_real_festival_changed (FestPage      *page,
                                                    JsonObject    *festival);

/* Helpers */

void
_fest_lineup_page_toast (FestLineupPage *self,
                         const char     *message)
{
  g_free (self->last_toast);
  self->last_toast = g_strdup (message);
  fest_page_toast (GTK_WIDGET (self), message);
}

void
_fest_lineup_page_toast_error (FestLineupPage *self,
                               const GError   *error)
{
  g_autofree char *text = fest_page_error_text (error);

  _fest_lineup_page_toast (self, text);
}

int
_fest_lineup_page_day_start_hour (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(GSettings) settings = NULL;

  /* Uninstalled runs have no schema: the default. */
  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLICATION_ID, TRUE);
  if (schema == NULL || !g_settings_schema_has_key (schema, "lineup-day-start-hour"))
    return DEFAULT_DAY_START_HOUR;
  settings = g_settings_new_full (schema, NULL, NULL);
  return CLAMP (g_settings_get_int (settings, "lineup-day-start-hour"), 0, 23);
}

static FestTimelineStatus
timeline_status (const char *status)
{
  if (g_strcmp0 (status, "CONFIRMED") == 0)
    return FEST_TIMELINE_STATUS_CONFIRMED;
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return FEST_TIMELINE_STATUS_CANCELLED;
  return FEST_TIMELINE_STATUS_PENDING;
}

gboolean
_fest_lineup_page_day_shown (FestLineupPage *self)
{
  return self->days != NULL && self->day < fest_lineup_days_get_n_days (self->days);
}

static gboolean
in_shown_day (FestLineupPage *self,
              gint64          time)
{
  return _fest_lineup_page_day_shown (self)
         && time >= fest_lineup_days_get_start (self->days, self->day)
         && time < fest_lineup_days_get_end (self->days, self->day);
}

/* "Nova Trio, 21:00–22:00" (transfer full). */
char *
_fest_lineup_page_describe_slot (FestLineupPage       *self,
                                 const FestLineupSlot *slot)
{
  g_autofree char *start = NULL;
  g_autofree char *end = NULL;

  if (self->days == NULL)
    return g_strdup (fest_lineup_slot_title (self->lineup, slot));
  start = fest_lineup_days_format_clock (self->days, slot->start);
  end = fest_lineup_days_format_clock (self->days, slot->end);
  /* TRANSLATORS: an artist's name and the times of their set */
  return g_strdup_printf (_("%s, %s–%s"), fest_lineup_slot_title (self->lineup, slot), start, end);
}

/* Shows @slot's block where the model has it, or takes it off the day shown. */
void
_fest_lineup_page_put_block (FestLineupPage       *self,
           const FestLineupSlot *slot)
{
  FestTimelineBlock block;

  if (!in_shown_day (self, slot->start))
    {
      fest_timeline_remove_block (self->timeline, slot->id);
      return;
    }
  block.id = slot->id;
  block.lane_id = slot->stage_id;
  block.title = fest_lineup_slot_title (self->lineup, slot);
  block.start = slot->start;
  block.end = slot->end;
  block.status = timeline_status (slot->status);
  fest_timeline_update_block (self->timeline, &block);
}

static void
update_now (FestLineupPage *self)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  fest_timeline_set_now (self->timeline, in_shown_day (self, now) ? now : -1);
}

static gboolean
now_tick_cb (gpointer user_data)
{
  update_now (FEST_LINEUP_PAGE (user_data));
  return G_SOURCE_CONTINUE;
}

static void
update_actions (FestLineupPage *self)
{
  FestPageState state = fest_page_get_state (FEST_PAGE (self));
  gboolean loaded = state == FEST_PAGE_STATE_CONTENT || state == FEST_PAGE_STATE_EMPTY;
  gboolean content = state == FEST_PAGE_STATE_CONTENT && _fest_lineup_page_day_shown (self);
  guint n_days = self->days != NULL ? fest_lineup_days_get_n_days (self->days) : 0;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_action_set_enabled (widget, "lineup.previous-day", content && self->day > 0);
  gtk_widget_action_set_enabled (widget, "lineup.next-day", content && self->day + 1 < n_days);
  gtk_widget_action_set_enabled (widget, "lineup.new-slot", content);
  gtk_widget_action_set_enabled (widget, "lineup.move-slot", content);
  gtk_widget_action_set_enabled (widget, "lineup.edit-slot", content);
  gtk_widget_action_set_enabled (widget, "lineup.cancel-slot", content);
  gtk_widget_action_set_enabled (widget, "lineup.export-pdf", content);
  gtk_widget_action_set_enabled (widget, "lineup.export-ical", content);
  gtk_widget_action_set_enabled (widget, "lineup.new-stage", loaded);
  gtk_widget_action_set_enabled (widget, "lineup.new-artist", loaded);
}

/* Once laid out, the day opens on what plays now, or else on the next set to come, or else (the
 * day is over, or not today) on its first set: never on an empty morning. */
static gboolean
scroll_to_first_cb (gpointer user_data)
{
  FestLineupPage *self = user_data;
  GtkAdjustment *adjustment = gtk_scrolled_window_get_hadjustment (self->timeline_scroller);
  g_autoptr(GPtrArray) slots = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 target = -1;
  gboolean playing = FALSE;

  self->scroll_id = 0;
  if (!_fest_lineup_page_day_shown (self))
    return G_SOURCE_REMOVE;
  slots = fest_lineup_slots_between (self->lineup, NULL,
                                     fest_lineup_days_get_start (self->days, self->day),
                                     fest_lineup_days_get_end (self->days, self->day));
  if (in_shown_day (self, now))
    for (guint i = 0; i < slots->len; i++)
      {
        const FestLineupSlot *slot = g_ptr_array_index (slots, i);

        playing |= slot->start <= now && now < slot->end;
        if (slot->start > now && (target < 0 || slot->start < target))
          target = slot->start;
      }
  if (playing)
    target = now;
  else if (target < 0 && slots->len > 0)
    target = ((const FestLineupSlot *) g_ptr_array_index (slots, 0))->start;

  if (target < 0)
    gtk_adjustment_set_value (adjustment, 0);
  else
    {
      /* A little of what came before: two hours before now, one before a set to come. */
      double x = fest_timeline_x_for_time (self->timeline, target - (playing ? 2 : 1) * 3600);

      gtk_adjustment_set_value (adjustment, MAX (0, x - 160));
    }
  return G_SOURCE_REMOVE;
}

/* Lanes, blocks, range and label of the day shown. */
static void
show_day (FestLineupPage *self)
{
  g_autoptr(GArray) lanes = g_array_new (FALSE, FALSE, sizeof (FestTimelineLane));
  g_autoptr(GArray) blocks = g_array_new (FALSE, FALSE, sizeof (FestTimelineBlock));
  g_autoptr(GPtrArray) slots = NULL;
  g_autofree char *label = NULL;
  gint64 start, end;

  if (!_fest_lineup_page_day_shown (self)
      || fest_page_get_state (FEST_PAGE (self)) != FEST_PAGE_STATE_CONTENT)
    {
      gtk_label_set_text (self->day_label, "");
      update_actions (self);
      return;
    }

  start = fest_lineup_days_get_start (self->days, self->day);
  end = fest_lineup_days_get_end (self->days, self->day);
  label = fest_lineup_days_get_label (self->days, self->day);
  gtk_label_set_text (self->day_label, label);

  for (guint i = 0; i < fest_lineup_get_n_stages (self->lineup); i++)
    {
      const FestLineupStage *stage = fest_lineup_get_stage (self->lineup, i);
      FestTimelineLane lane = { stage->id, stage->name, stage->changeover_minutes };

      g_array_append_val (lanes, lane);
    }

  slots = fest_lineup_slots_between (self->lineup, NULL, start, end);
  for (guint i = 0; i < slots->len; i++)
    {
      const FestLineupSlot *slot = g_ptr_array_index (slots, i);
      FestTimelineBlock block = {
        slot->id, slot->stage_id, fest_lineup_slot_title (self->lineup, slot),
        slot->start, slot->end, timeline_status (slot->status)
      };

      g_array_append_val (blocks, block);
    }

  fest_timeline_set_range (self->timeline, start, end, fest_lineup_days_get_zone (self->days));
  fest_timeline_set_lanes (self->timeline, (FestTimelineLane *) (gpointer) lanes->data, lanes->len);
  fest_timeline_set_blocks (self->timeline, (FestTimelineBlock *) (gpointer) blocks->data, blocks->len);
  update_now (self);
  if (self->scroll_id == 0)
    self->scroll_id = g_idle_add_full (G_PRIORITY_LOW, scroll_to_first_cb, self, NULL);
  update_actions (self);
}

/* Requests */

typedef struct
{
  FestLineupPage     *self;
  FestLineupDoneFunc  callback;
  gpointer            user_data;
  GDestroyNotify      user_data_free;
} Send;

static void
send_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) data = fest_client_request_finish (FEST_CLIENT (source), result, NULL, &error);

  send->self->pending--;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && send->callback != NULL)
    send->callback (send->self, data, error, send->user_data);
  if (send->user_data_free != NULL)
    send->user_data_free (send->user_data);
  g_object_unref (send->self);
  g_free (send);
}

void
_fest_lineup_page_send (FestLineupPage     *self,
                        const char         *method,
                        const char         *path,
                        JsonNode           *body,
                        FestLineupDoneFunc  callback,
                        gpointer            user_data,
                        GDestroyNotify      user_data_free)
{
  Send *send = g_new0 (Send, 1);

  send->self = g_object_ref (self);
  send->callback = callback;
  send->user_data = user_data;
  send->user_data_free = user_data_free;
  self->pending++;
  /* Edits are not cancelled by a reload, only when the page goes away. */
  fest_client_request_async (fest_page_get_client (FEST_PAGE (self)), method, path, body, NULL,
                             self->dispose_cancellable, send_cb, send);
}

/* Loading */

typedef struct
{
  FestLineupPage *self;
  GCancellable   *cancellable;
  JsonArray      *lists[4];   /* stages, artists, slots, members */
  GError         *error;
  guint           waiting;
} Load;

typedef struct
{
  Load  *load;
  guint  index;
} ListFetch;

static const char * const load_paths[] = { "/stages", "/artists", "/slots", "/members" };
#define MEMBERS_INDEX 3

static void
load_free (Load *load)
{
  g_object_unref (load->self);
  g_object_unref (load->cancellable);
  for (guint i = 0; i < G_N_ELEMENTS (load->lists); i++)
    g_clear_pointer (&load->lists[i], json_array_unref);
  g_clear_error (&load->error);
  g_free (load);
}

static void
build_days (FestLineupPage *self)
{
  JsonObject *festival = self->festival;
  const char *zone_id = fest_page_json_string (festival, "timezone");
  g_autoptr(GTimeZone) zone = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 starts_at = now, ends_at = now;
  gint64 keep_start = _fest_lineup_page_day_shown (self) ? fest_lineup_days_get_start (self->days, self->day) : -1;

  if (zone_id != NULL && *zone_id != '\0')
    zone = g_time_zone_new_identifier (zone_id);
  if (zone == NULL)
    zone = g_time_zone_new_utc ();
  fest_lineup_parse_time (fest_page_json_string (festival, "starts_at"), &starts_at);
  if (!fest_lineup_parse_time (fest_page_json_string (festival, "ends_at"), &ends_at)
      || ends_at < starts_at)
    ends_at = starts_at;

  g_clear_pointer (&self->days, fest_lineup_days_free);
  self->days = fest_lineup_days_new (starts_at, ends_at, zone, _fest_lineup_page_day_start_hour ());

  /* A reload keeps the day shown; the first load opens today's festival day, or the first. */
  if (keep_start >= 0 && fest_lineup_days_find (self->days, keep_start) >= 0)
    self->day = (guint) fest_lineup_days_find (self->days, keep_start);
  else
    self->day = fest_lineup_days_default_day (self->days, now);
}

static void
load_finish (Load *load)
{
  FestLineupPage *self = load->self;

  if (g_cancellable_is_cancelled (load->cancellable))
    return;
  if (load->error != NULL)
    {
      fest_page_show_error (FEST_PAGE (self), load->error);
      update_actions (self);
      return;
    }

  self->n_loads++;
  fest_lineup_set_stages (self->lineup, load->lists[0]);
  fest_lineup_set_artists (self->lineup, load->lists[1]);
  fest_lineup_set_slots (self->lineup, load->lists[2]);
  g_clear_pointer (&self->members, json_array_unref);
  self->members = g_steal_pointer (&load->lists[MEMBERS_INDEX]);
  build_days (self);

  fest_page_set_state (FEST_PAGE (self), fest_lineup_get_n_stages (self->lineup) > 0
                                         ? FEST_PAGE_STATE_CONTENT : FEST_PAGE_STATE_EMPTY);
  _fest_lineup_page_fill_lists (self);
  show_day (self);
}

static void
list_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  ListFetch *fetch = user_data;
  Load *load = fetch->load;
  g_autoptr(GError) error = NULL;
  JsonArray *items = fest_page_fetch_all_finish (result, &error);

  if (items != NULL)
    load->lists[fetch->index] = items;
  /* Without the Team permission there is no account to link: no reason to fail the page. */
  else if (fetch->index != MEMBERS_INDEX && load->error == NULL)
    load->error = g_steal_pointer (&error);
  g_free (fetch);

  if (--load->waiting == 0)
    {
      load_finish (load);
      load_free (load);
    }
}

static void
festival_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(FestLineupPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) festival = fest_page_fetch_festival_finish (result, &error);
  Load *load;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (festival == NULL)
    {
      fest_page_show_error (FEST_PAGE (self), error);
      update_actions (self);
      return;
    }
  g_clear_pointer (&self->festival, json_object_unref);
  self->festival = json_object_ref (festival);

  /* The four lists in parallel: the page is drawn once all have arrived. */
  load = g_new0 (Load, 1);
  load->self = g_object_ref (self);
  load->cancellable = g_object_ref (self->cancellable);
  load->waiting = G_N_ELEMENTS (load_paths);
  for (guint i = 0; i < G_N_ELEMENTS (load_paths); i++)
    {
      ListFetch *fetch = g_new0 (ListFetch, 1);

      fetch->load = load;
      fetch->index = i;
      fest_page_fetch_all_async (fest_page_get_client (FEST_PAGE (self)), load_paths[i],
                                 load->cancellable, list_loaded_cb, fetch);
    }
}

/* Live updates */

static void
stream_event_cb (FestEventStream *stream,
                 const char      *name,
                 JsonNode        *data,
                 gpointer         user_data)
{
  FestLineupPage *self = user_data;
  JsonObject *object;
  const char *id;

  if (g_strcmp0 (name, "slot:updated") != 0 || data == NULL || !JSON_NODE_HOLDS_OBJECT (data)
      || fest_page_get_state (FEST_PAGE (self)) != FEST_PAGE_STATE_CONTENT)
    return;
  object = json_node_get_object (data);
  id = fest_page_json_string (object, "id");
  if (id == NULL)
    return;

  if (fest_page_json_bool (object, "deleted", FALSE))
    {
      fest_lineup_remove_slot (self->lineup, id);
      fest_timeline_remove_block (self->timeline, id);
      _fest_lineup_page_fill_lists (self);
      return;
    }
  /* A stage or an artist added by someone else meanwhile: the lists are needed too. */
  if (fest_lineup_lookup_stage (self->lineup, fest_page_json_string (object, "stage_id")) == NULL
      || fest_lineup_lookup_artist (self->lineup, fest_page_json_string (object, "artist_id")) == NULL)
    {
      fest_page_reload (FEST_PAGE (self));
      return;
    }
  /* Our own edits come back too: the same values, drawn again. */
  _fest_lineup_page_take_slot (self, data);
}

/* Whatever changed while the stream was down is fetched once it is back. */
static void
stream_state_cb (FestEventStream *stream,
                 GParamSpec      *pspec,
                 gpointer         user_data)
{
  FestLineupPage *self = user_data;

  if (fest_event_stream_get_state (stream) == FEST_EVENT_STREAM_WAITING)
    self->stream_dropped = TRUE;
  if (!fest_event_stream_is_connected (stream))
    return;
  if (self->stream_dropped && self->now_id != 0
      && fest_page_get_state (FEST_PAGE (self)) == FEST_PAGE_STATE_CONTENT)
    fest_page_reload (FEST_PAGE (self));
  self->stream_dropped = FALSE;
}

/* Actions */

static void
change_day_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (widget);

  if (g_str_equal (action_name, "lineup.previous-day") && self->day > 0)
    fest_lineup_page_set_day (self, self->day - 1);
  else if (g_str_equal (action_name, "lineup.next-day"))
    fest_lineup_page_set_day (self, self->day + 1);
}

static void
reload_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  fest_page_reload (FEST_PAGE (widget));
}

/* Overrides */

static void
fest_lineup_page_dispose (GObject *object)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (object);
  GtkWidget *child;

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->dispose_cancellable);
  g_clear_handle_id (&self->now_id, g_source_remove);
  g_clear_handle_id (&self->scroll_id, g_source_remove);
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_clear_object (&self->stream);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_LINEUP_PAGE);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fest_lineup_page_parent_class)->dispose (object);
}

static void
fest_lineup_page_finalize (GObject *object)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->dispose_cancellable);
  g_clear_pointer (&self->lineup, fest_lineup_unref);
  g_clear_pointer (&self->moves, g_hash_table_unref);
  g_clear_pointer (&self->days, fest_lineup_days_free);
  g_clear_pointer (&self->festival, json_object_unref);
  g_clear_pointer (&self->members, json_array_unref);
  g_free (self->last_toast);
  g_free (self->highlight);

  G_OBJECT_CLASS (fest_lineup_page_parent_class)->finalize (object);
}

static void
fest_lineup_page_class_init (FestLineupPageClass *klass)
{
  FestPageClass *page_class = FEST_PAGE_CLASS (klass);
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  page_class->reload = fest_lineup_page_real_reload;
  page_class->pause = fest_lineup_page_real_pause;
  page_class->stream_changed = fest_lineup_page_real_stream_changed;
  page_class->festival_changed = fest_lineup_page_real_festival_changed;
  object_class->dispose = fest_lineup_page_dispose;
  object_class->finalize = fest_lineup_page_finalize;

  g_type_ensure (FEST_TYPE_TIMELINE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/lineup/fest-lineup-page.ui");
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, stack);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, error_status);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, day_label);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, timeline_scroller);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, stages_list);
  gtk_widget_class_bind_template_child (widget_class, FestLineupPage, artists_list);

  _fest_lineup_page_class_init_slots (widget_class);
  gtk_widget_class_install_action (widget_class, "lineup.previous-day", NULL, change_day_action);
  gtk_widget_class_install_action (widget_class, "lineup.next-day", NULL, change_day_action);
  gtk_widget_class_install_action (widget_class, "lineup.reload", NULL, reload_action);
  _fest_lineup_page_class_init_lists (widget_class);
  _fest_lineup_page_class_init_export (widget_class);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "lineup.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "lineup.reload", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_n, GDK_CONTROL_MASK,
                                       "lineup.new-slot", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Up, GDK_ALT_MASK,
                                       "lineup.previous-day", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Page_Down, GDK_ALT_MASK,
                                       "lineup.next-day", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_lineup_page_init (FestLineupPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  fest_page_set_state_widgets (FEST_PAGE (self), self->stack, self->spinner, self->error_status);

  self->cancellable = g_cancellable_new ();
  self->dispose_cancellable = g_cancellable_new ();
  self->lineup = fest_lineup_new ();
  self->moves = _fest_lineup_page_new_moves ();

  self->timeline = FEST_TIMELINE (fest_timeline_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->timeline), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->timeline), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Lineup timeline"), -1);
  gtk_scrolled_window_set_child (self->timeline_scroller, GTK_WIDGET (self->timeline));
  _fest_lineup_page_connect_timeline (self);
  _fest_lineup_page_init_lists (self);

  fest_page_set_state (FEST_PAGE (self), FEST_PAGE_STATE_LOADING);
  update_actions (self);
}

static void
fest_lineup_page_real_reload (FestPage *page)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (page);

  /* A new load replaces one in flight. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  if (fest_page_get_state (page) != FEST_PAGE_STATE_CONTENT)
    fest_page_set_state (page, FEST_PAGE_STATE_LOADING);
  update_actions (self);

  /* The "now" line moves while the page is shown. */
  if (self->now_id == 0)
    self->now_id = g_timeout_add_seconds (NOW_INTERVAL_S, now_tick_cb, self);
  update_now (self);

  fest_page_fetch_festival_async (fest_page_get_client (page), self->cancellable, festival_cb,
                                  g_object_ref (self));
}

static void
fest_lineup_page_real_pause (FestPage *page)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (page);

  g_clear_handle_id (&self->now_id, g_source_remove);
}

static void
fest_lineup_page_real_stream_changed (FestPage        *page,
                                      FestEventStream *stream)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (page);

  if (self->stream == stream)
    return;
  if (self->stream != NULL)
    g_signal_handlers_disconnect_by_data (self->stream, self);
  g_set_object (&self->stream, stream);
  self->stream_dropped = FALSE;
  if (stream != NULL)
    {
      g_signal_connect_object (stream, "event", G_CALLBACK (stream_event_cb), self, 0);
      g_signal_connect_object (stream, "notify::state", G_CALLBACK (stream_state_cb), self, 0);
    }
}

/* The festival's dates or time zone changed (its settings page): the days follow. */
static void
fest_lineup_page_real_festival_changed (FestPage   *page,
                                        JsonObject *festival)
{
  FestLineupPage *self = FEST_LINEUP_PAGE (page);

  if (self->festival == NULL || self->days == NULL
      || g_strcmp0 (fest_page_json_string (festival, "id"),
                    fest_page_json_string (self->festival, "id")) != 0)
    return;
  g_clear_pointer (&self->festival, json_object_unref);
  self->festival = json_object_ref (festival);
  build_days (self);
  show_day (self);
}

/* Public API */

GtkWidget *
fest_lineup_page_new (FestClient *client)
{
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  return g_object_new (FEST_TYPE_LINEUP_PAGE, "client", client, NULL);
}

const char *
fest_lineup_page_get_state (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return fest_page_get_state_name (FEST_PAGE (self));
}

FestLineup *
fest_lineup_page_get_lineup (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return self->lineup;
}

FestLineupDays *
fest_lineup_page_get_days (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return self->days;
}

guint
fest_lineup_page_get_day (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), 0);

  return self->day;
}

void
fest_lineup_page_set_day (FestLineupPage *self,
                          guint           day)
{
  g_return_if_fail (FEST_IS_LINEUP_PAGE (self));

  if (self->days == NULL || day >= fest_lineup_days_get_n_days (self->days) || day == self->day)
    return;
  self->day = day;
  show_day (self);
}

FestTimeline *
fest_lineup_page_get_timeline (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return self->timeline;
}

const char *
fest_lineup_page_get_last_toast (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return self->last_toast;
}

guint
fest_lineup_page_get_pending (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), 0);

  return self->pending;
}

const char *
fest_lineup_page_get_highlight (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), NULL);

  return self->highlight;
}

guint
fest_lineup_page_get_n_loads (FestLineupPage *self)
{
  g_return_val_if_fail (FEST_IS_LINEUP_PAGE (self), 0);

  return self->n_loads;
}
