/* fest-lineup-dialogs.c: the Stage, Artist and Slot dialogs of the Lineup page
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>
#include <errno.h>
#include <stdio.h>

#include "fest-location-picker.h"
#include "fest-page-util.h"
#include "fest-lineup-dialogs.h"

#define MAX_CHANGEOVER_MINUTES 240
#define MAX_CAPACITY 10000000
#define MAX_GUEST_QUOTA 100000

/* In the order of the combos; the API's names. */
static const char * const artist_types[] = { "DJ", "BAND", "SOLO", "OTHER", NULL };
static const char * const slot_statuses[] = { "PENDING", "CONFIRMED", "CANCELLED", NULL };

typedef struct
{
  GPtrArray      *ids_a;    /* artist dialog: member ids ("" = None); slot: artist ids */
  GPtrArray      *ids_b;    /* slot dialog: stage ids */
  GTimeZone      *zone;     /* slot dialog */
} DialogData;

static void
dialog_data_free (DialogData *data)
{
  g_clear_pointer (&data->ids_a, g_ptr_array_unref);
  g_clear_pointer (&data->ids_b, g_ptr_array_unref);
  g_clear_pointer (&data->zone, g_time_zone_unref);
  g_free (data);
}

/* A whole number in [0, @max]; an empty text is @empty_ok (and gives -1). */
static gboolean
parse_count (const char *text,
             gint64      max,
             gboolean    empty_ok,
             gint64     *out)
{
  char *end = NULL;
  guint64 value;

  if (*text == '\0')
    {
      *out = -1;
      return empty_ok;
    }
  errno = 0;
  value = g_ascii_strtoull (text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || !g_ascii_isdigit (*text) || value > (guint64) max)
    return FALSE;
  *out = (gint64) value;
  return TRUE;
}

static gboolean
check_name (FestFormDialog *dialog,
            const char     *name,
            const char     *empty_message)
{
  if (*name == '\0')
    {
      fest_form_dialog_set_error (dialog, "name", empty_message);
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > 200)
    {
      fest_form_dialog_set_error (dialog, "name", _("The name is too long."));
      return FALSE;
    }
  return TRUE;
}

/* Stage */

static JsonNode *
build_stage_body (FestFormDialog *dialog,
                  gpointer        user_data)
{
  FestLocationPicker *picker = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));
  g_autofree char *capacity_text = g_strdup (fest_form_dialog_get_text (dialog, "capacity"));
  g_autofree char *changeover_text = g_strdup (fest_form_dialog_get_text (dialog, "changeover_minutes"));
  gint64 capacity, changeover;

  if (!check_name (dialog, name, _("Give the stage a name.")))
    return NULL;
  if (!parse_count (capacity_text, MAX_CAPACITY, TRUE, &capacity))
    {
      fest_form_dialog_set_error (dialog, "capacity",
                                  _("The capacity must be a whole number, or empty."));
      return NULL;
    }
  if (!parse_count (changeover_text, MAX_CHANGEOVER_MINUTES, TRUE, &changeover))
    {
      fest_form_dialog_set_error (dialog, "changeover_minutes",
                                  _("The changeover is a number of minutes from 0 to 240."));
      return NULL;
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "capacity");
  if (capacity >= 0)
    json_builder_add_int_value (builder, capacity);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "changeover_minutes");
  json_builder_add_int_value (builder, MAX (changeover, 0));
  if (!fest_location_picker_build (picker, builder, FALSE))
    return NULL;
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

FestFormDialog *
fest_lineup_stage_dialog_new (GtkWidget             *parent,
                              FestClient            *client,
                              const FestLineupStage *stage,
                              JsonObject            *festival)
{
  FestFormDialog *dialog;
  FestLocationPicker *picker;
  g_autofree char *capacity = NULL;
  g_autofree char *changeover = NULL;
  g_autofree char *path = NULL;

  if (stage != NULL)
    {
      if (stage->capacity >= 0)
        capacity = g_strdup_printf ("%" G_GINT64_FORMAT, stage->capacity);
      changeover = g_strdup_printf ("%d", stage->changeover_minutes);
      path = g_strdup_printf ("/stages/%s", stage->id);
    }

  dialog = fest_form_dialog_new (parent, stage != NULL ? _("Edit Stage") : _("New Stage"),
                                 stage != NULL ? _("_Save") : _("_Add"));
  fest_form_dialog_add_entry (dialog, "name", _("Name"), stage != NULL ? stage->name : NULL);
  fest_form_dialog_add_entry (dialog, "capacity", _("Capacity (optional)"), capacity);
  fest_form_dialog_add_entry (dialog, "changeover_minutes", _("Changeover (minutes)"),
                              changeover != NULL ? changeover : "0");
  picker = fest_location_picker_add (dialog, client, festival, stage != NULL ? stage->location : NULL);
  fest_form_dialog_set_description (dialog, _("The changeover is the time the crew needs on "
                                              "this stage between two sets."));
  fest_form_dialog_set_request (dialog, client, stage != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/stages", build_stage_body, picker, NULL);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (stage != NULL ? _("Stage saved") : _("Stage added")), g_free);
  return dialog;
}

/* Artist */

static GtkTextView *
add_text_view (FestFormDialog *dialog,
               const char     *field,
               const char     *title,
               const char     *text)
{
  GtkWidget *group = gtk_widget_get_ancestor (fest_form_dialog_get_row (dialog, "name"),
                                              ADW_TYPE_PREFERENCES_GROUP);
  /* A preferences row: inside the group's boxed list, with the other fields. */
  GtkWidget *row = adw_preferences_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *label = gtk_label_new (title);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *view = gtk_text_view_new ();

  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text != NULL ? text : "", -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_MULTI_LINE, TRUE, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_size_request (scrolled, -1, 72);
  gtk_scrolled_window_set_has_frame (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 6);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 4);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 4);
  gtk_box_append (GTK_BOX (box), label);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), row);
  g_object_set_data (G_OBJECT (dialog), field, view);
  return GTK_TEXT_VIEW (view);
}

GtkTextView *
fest_lineup_dialog_get_text_view (FestFormDialog *dialog,
                                  const char     *field)
{
  g_return_val_if_fail (FEST_IS_FORM_DIALOG (dialog), NULL);

  return g_object_get_data (G_OBJECT (dialog), field);
}

static char *
text_view_text (FestFormDialog *dialog,
                const char     *field)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (fest_lineup_dialog_get_text_view (dialog, field));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return g_strstrip (gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

static JsonNode *
build_artist_body (FestFormDialog *dialog,
                   gpointer        user_data)
{
  DialogData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = g_strdup (fest_form_dialog_get_text (dialog, "name"));
  g_autofree char *quota_text = g_strdup (fest_form_dialog_get_text (dialog, "guest_quota"));
  g_autofree char *email = g_strdup (fest_form_dialog_get_text (dialog, "contact_email"));
  g_autofree char *technical = text_view_text (dialog, "rider_technical");
  g_autofree char *hospitality = text_view_text (dialog, "rider_hospitality");
  guint type = fest_form_dialog_get_selected (dialog, "type");
  guint account = fest_form_dialog_get_selected (dialog, "user_id");
  gint64 quota;

  if (!check_name (dialog, name, _("Give the artist a name.")))
    return NULL;
  if (type >= G_N_ELEMENTS (artist_types) - 1)
    {
      fest_form_dialog_set_error (dialog, "type", _("Choose the kind of act."));
      return NULL;
    }
  if (!parse_count (quota_text, MAX_GUEST_QUOTA, TRUE, &quota))
    {
      fest_form_dialog_set_error (dialog, "guest_quota",
                                  _("The guest quota must be a whole number."));
      return NULL;
    }
  if (*email != '\0' && (strchr (email, '@') == NULL || strchr (email, ' ') != NULL
                         || email[0] == '@' || g_str_has_suffix (email, "@")))
    {
      fest_form_dialog_set_error (dialog, "contact_email",
                                  _("Enter an e-mail address such as manager@example.com, or nothing."));
      return NULL;
    }
  if (account >= data->ids_a->len)
    account = 0;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, artist_types[type]);
  json_builder_set_member_name (builder, "rider");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "technical");
  json_builder_add_string_value (builder, technical);
  json_builder_set_member_name (builder, "hospitality");
  json_builder_add_string_value (builder, hospitality);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "guest_quota");
  json_builder_add_int_value (builder, MAX (quota, 0));
  json_builder_set_member_name (builder, "contact_email");
  if (*email != '\0')
    json_builder_add_string_value (builder, email);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "user_id");
  if (account > 0)
    json_builder_add_string_value (builder, g_ptr_array_index (data->ids_a, account));
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

static gboolean
member_is_artist (JsonObject *member)
{
  JsonArray *roles = NULL;

  if (json_object_has_member (member, "roles")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (member, "roles")))
    roles = json_object_get_array_member (member, "roles");
  for (guint i = 0; roles != NULL && i < json_array_get_length (roles); i++)
    {
      JsonNode *node = json_array_get_element (roles, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
          && g_strcmp0 (json_node_get_string (node), "ARTIST") == 0)
        return TRUE;
    }
  return FALSE;
}

FestFormDialog *
fest_lineup_artist_dialog_new (GtkWidget              *parent,
                               FestClient             *client,
                               const FestLineupArtist *artist,
                               JsonArray              *members)
{
  FestFormDialog *dialog;
  DialogData *data = g_new0 (DialogData, 1);
  const char * const type_labels[] = { _("DJ"), _("Band"), _("Solo"), _("Other"), NULL };
  g_autoptr(GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *quota = NULL;
  g_autofree char *path = NULL;
  guint type = 0;
  guint account = 0;

  data->ids_a = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (data->ids_a, g_strdup (""));
  g_ptr_array_add (labels, g_strdup (_("None")));
  for (guint i = 0; members != NULL && i < json_array_get_length (members); i++)
    {
      JsonNode *node = json_array_get_element (members, i);
      JsonObject *member;
      const char *id, *name, *email;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        continue;
      member = json_node_get_object (node);
      id = fest_page_json_string (member, "id");
      if (id == NULL)
        continue;
      /* The account already linked stays offered even if its role changed. */
      if (!member_is_artist (member) && (artist == NULL || g_strcmp0 (artist->user_id, id) != 0))
        continue;
      name = fest_page_json_string (member, "name");
      email = fest_page_json_string (member, "email");
      if (artist != NULL && g_strcmp0 (artist->user_id, id) == 0)
        account = data->ids_a->len;
      g_ptr_array_add (data->ids_a, g_strdup (id));
      if (name != NULL && *name != '\0' && email != NULL)
        g_ptr_array_add (labels, g_strdup_printf ("%s <%s>", name, email));
      else
        g_ptr_array_add (labels, g_strdup (email != NULL ? email : id));
    }
  g_ptr_array_add (labels, NULL);

  for (guint i = 0; artist != NULL && artist_types[i] != NULL; i++)
    if (g_strcmp0 (artist_types[i], artist->type) == 0)
      type = i;
  if (artist != NULL)
    {
      quota = g_strdup_printf ("%" G_GINT64_FORMAT, artist->guest_quota);
      path = g_strdup_printf ("/artists/%s", artist->id);
    }

  dialog = fest_form_dialog_new (parent, artist != NULL ? _("Edit Artist") : _("New Artist"),
                                 artist != NULL ? _("_Save") : _("_Add"));
  fest_form_dialog_add_entry (dialog, "name", _("Name"), artist != NULL ? artist->name : NULL);
  fest_form_dialog_add_combo (dialog, "type", _("Kind of act"), type_labels, type);
  fest_form_dialog_add_entry (dialog, "guest_quota", _("Guest quota"), quota != NULL ? quota : "0");
  fest_form_dialog_add_entry (dialog, "contact_email", _("Contact e-mail (optional)"),
                              artist != NULL ? artist->contact_email : NULL);
  fest_form_dialog_add_combo (dialog, "user_id", _("Linked account"),
                              (const char * const *) labels->pdata, account);
  add_text_view (dialog, "rider_technical", _("Technical rider"),
                 artist != NULL ? artist->rider_technical : NULL);
  add_text_view (dialog, "rider_hospitality", _("Hospitality rider"),
                 artist != NULL ? artist->rider_hospitality : NULL);
  fest_form_dialog_set_description (dialog, _("A linked account (a member with the Artist role) "
                                              "lets the artist see their slots, edit the rider "
                                              "and manage their guests."));
  fest_form_dialog_set_request (dialog, client, artist != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/artists", build_artist_body, data,
                                (GDestroyNotify) dialog_data_free);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (artist != NULL ? _("Artist saved") : _("Artist added")), g_free);
  return dialog;
}

/* Slot */

gboolean
fest_lineup_parse_local (const char *date,
                         const char *time,
                         GTimeZone  *zone,
                         gint64     *out)
{
  int year, month, day, hour, minute;
  char extra;
  g_autoptr(GDateTime) value = NULL;

  if (date == NULL || time == NULL
      || sscanf (date, "%4d-%2d-%2d%c", &year, &month, &day, &extra) != 3
      || sscanf (time, "%2d:%2d%c", &hour, &minute, &extra) != 2
      || year < 2000 || year > 9999 || month < 1 || month > 12 || day < 1
      || day > g_date_get_days_in_month (month, year)
      || hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return FALSE;

  value = g_date_time_new (zone, year, month, day, hour, minute, 0);
  if (value == NULL)
    return FALSE;
  *out = g_date_time_to_unix (value);
  return TRUE;
}

static void
format_local (gint64      time,
              GTimeZone  *zone,
              char      **date,
              char      **clock)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (time);
  g_autoptr(GDateTime) local = g_date_time_to_timezone (utc, zone);

  *date = g_date_time_format (local, "%Y-%m-%d");
  *clock = g_date_time_format (local, "%H:%M");
}

static JsonNode *
build_slot_body (FestFormDialog *dialog,
                 gpointer        user_data)
{
  DialogData *data = user_data;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  guint artist = fest_form_dialog_get_selected (dialog, "artist_id");
  guint stage = fest_form_dialog_get_selected (dialog, "stage_id");
  guint status = fest_form_dialog_get_selected (dialog, "status");
  g_autofree char *start_date = g_strdup (fest_form_dialog_get_text (dialog, "start_date"));
  g_autofree char *start_clock = g_strdup (fest_form_dialog_get_text (dialog, "start_time"));
  g_autofree char *end_date = g_strdup (fest_form_dialog_get_text (dialog, "end_date"));
  g_autofree char *end_clock = g_strdup (fest_form_dialog_get_text (dialog, "end_time"));
  g_autofree char *start_text = NULL;
  g_autofree char *end_text = NULL;
  gint64 start, end;

  if (artist >= data->ids_a->len)
    {
      fest_form_dialog_set_error (dialog, "artist_id", _("Choose the artist who plays."));
      return NULL;
    }
  if (stage >= data->ids_b->len)
    {
      fest_form_dialog_set_error (dialog, "stage_id", _("Choose the stage."));
      return NULL;
    }
  if (!fest_lineup_parse_local (start_date, start_clock, data->zone, &start))
    {
      fest_form_dialog_set_error (dialog, "start_time",
                                  _("Enter the start as a date such as 2026-07-10 and a time such as 21:00."));
      return NULL;
    }
  if (!fest_lineup_parse_local (end_date, end_clock, data->zone, &end))
    {
      fest_form_dialog_set_error (dialog, "end_time",
                                  _("Enter the end as a date such as 2026-07-10 and a time such as 22:00."));
      return NULL;
    }
  if (end <= start)
    {
      fest_form_dialog_set_error (dialog, "end_time", _("The set must end after it starts."));
      return NULL;
    }
  if (end - start > 24 * 3600)
    {
      fest_form_dialog_set_error (dialog, "end_time", _("A set lasts at most 24 hours."));
      return NULL;
    }
  if (status >= G_N_ELEMENTS (slot_statuses) - 1)
    status = 0;

  start_text = fest_lineup_format_utc (start);
  end_text = fest_lineup_format_utc (end);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "artist_id");
  json_builder_add_string_value (builder, g_ptr_array_index (data->ids_a, artist));
  json_builder_set_member_name (builder, "stage_id");
  json_builder_add_string_value (builder, g_ptr_array_index (data->ids_b, stage));
  json_builder_set_member_name (builder, "start_time");
  json_builder_add_string_value (builder, start_text);
  json_builder_set_member_name (builder, "end_time");
  json_builder_add_string_value (builder, end_text);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, slot_statuses[status]);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

FestFormDialog *
fest_lineup_slot_dialog_new (GtkWidget            *parent,
                             FestClient           *client,
                             FestLineup           *lineup,
                             FestLineupDays       *days,
                             const FestLineupSlot *slot,
                             const char           *stage_id,
                             gint64                start,
                             gint64                end)
{
  FestFormDialog *dialog;
  DialogData *data = g_new0 (DialogData, 1);
  g_autoptr(GPtrArray) artist_labels = g_ptr_array_new ();
  g_autoptr(GPtrArray) stage_labels = g_ptr_array_new ();
  const char * const status_labels[] = {
    fest_lineup_status_label ("PENDING"), fest_lineup_status_label ("CONFIRMED"),
    fest_lineup_status_label ("CANCELLED"), NULL
  };
  g_autofree char *start_date = NULL, *start_clock = NULL, *end_date = NULL, *end_clock = NULL;
  g_autofree char *path = NULL;
  const char *artist_id = NULL;
  guint artist_index = 0, stage_index = 0, status_index = 0;

  data->zone = g_time_zone_ref (fest_lineup_days_get_zone (days));
  data->ids_a = g_ptr_array_new_with_free_func (g_free);
  data->ids_b = g_ptr_array_new_with_free_func (g_free);

  if (slot != NULL)
    {
      stage_id = slot->stage_id;
      artist_id = slot->artist_id;
      start = slot->start;
      end = slot->end;
      for (guint i = 0; slot_statuses[i] != NULL; i++)
        if (g_strcmp0 (slot_statuses[i], slot->status) == 0)
          status_index = i;
      path = g_strdup_printf ("/slots/%s", slot->id);
    }

  /* The combos copy the labels; the lineup outlives this function. */
  for (guint i = 0; i < fest_lineup_get_n_artists (lineup); i++)
    {
      const FestLineupArtist *artist = fest_lineup_get_artist (lineup, i);

      if (g_strcmp0 (artist->id, artist_id) == 0)
        artist_index = i;
      g_ptr_array_add (data->ids_a, g_strdup (artist->id));
      g_ptr_array_add (artist_labels, artist->name);
    }
  g_ptr_array_add (artist_labels, NULL);
  for (guint i = 0; i < fest_lineup_get_n_stages (lineup); i++)
    {
      const FestLineupStage *stage = fest_lineup_get_stage (lineup, i);

      if (g_strcmp0 (stage->id, stage_id) == 0)
        stage_index = i;
      g_ptr_array_add (data->ids_b, g_strdup (stage->id));
      g_ptr_array_add (stage_labels, stage->name);
    }
  g_ptr_array_add (stage_labels, NULL);

  if (start > 0)
    format_local (start, data->zone, &start_date, &start_clock);
  if (end > 0)
    format_local (end, data->zone, &end_date, &end_clock);

  dialog = fest_form_dialog_new (parent, slot != NULL ? _("Edit Slot") : _("New Slot"),
                                 slot != NULL ? _("_Save") : _("_Add"));
  fest_form_dialog_add_combo (dialog, "artist_id", _("Artist"),
                              (const char * const *) artist_labels->pdata, artist_index);
  fest_form_dialog_add_combo (dialog, "stage_id", _("Stage"),
                              (const char * const *) stage_labels->pdata, stage_index);
  fest_form_dialog_add_entry (dialog, "start_date", _("Start date (YYYY-MM-DD)"), start_date);
  fest_form_dialog_add_entry (dialog, "start_time", _("Start time (HH:MM)"), start_clock);
  fest_form_dialog_add_entry (dialog, "end_date", _("End date (YYYY-MM-DD)"), end_date);
  fest_form_dialog_add_entry (dialog, "end_time", _("End time (HH:MM)"), end_clock);
  fest_form_dialog_add_combo (dialog, "status", _("Status"), status_labels, status_index);
  if (artist_labels->len <= 1)
    fest_form_dialog_set_description (dialog, _("Add an artist first, in the Artists list."));
  else
    fest_form_dialog_set_description (dialog, _("Times are in the festival’s time zone."));

  fest_form_dialog_set_request (dialog, client, slot != NULL ? "PATCH" : "POST",
                                path != NULL ? path : "/slots", build_slot_body, data,
                                (GDestroyNotify) dialog_data_free);
  g_object_set_data_full (G_OBJECT (dialog), "fest-saved-message",
                          g_strdup (slot != NULL ? _("Slot saved") : _("Slot added")), g_free);
  return dialog;
}
