/* fest-festival-form.c: a festival's settings as controls (name, dates, time zone, money, site)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Times are edited as wall-clock dates and times in the festival's own time zone and sent as
 * RFC 3339 UTC: changing the zone keeps what the organiser reads on the posters ("doors at
 * 18:00") and moves the instants. The exchange rate is parsed exactly into euro cents.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "fest-festival-form.h"
#include "fest-money.h"
#include "fest-page-util.h"
#include "fest-time-zones.h"

#define MAX_RATE_CENTS     1000000000

typedef struct
{
  AdwActionRow  *row;
  GtkMenuButton *button;
  GtkCalendar   *calendar;
  GtkSpinButton *hour;
  GtkSpinButton *minute;
  char          *original;       /* the server's instant, kept to the second when unchanged */
  char          *original_zone;
} DateTimeControls;

struct _FestFestivalForm
{
  GtkWidget           parent_instance;

  AdwEntryRow        *name_row;
  AdwEntryRow        *currency_row;
  AdwEntryRow        *rate_row;
  GtkLabel           *general_error;
  DateTimeControls    starts;
  DateTimeControls    ends;
  AdwActionRow       *zone_row;
  GtkMenuButton      *zone_button;
  GtkPopover         *zone_popover;
  GtkSearchEntry     *zone_search;
  GtkListView        *zone_list;
  GtkLabel           *dates_error;
  FestSiteMap        *map;
  GtkLabel           *location_label;
  GtkLabel           *location_error;

  GtkStringFilter    *zone_filter;
  GtkFilterListModel *filtered_zones;
  char               *timezone;
  gboolean            location_chosen;  /* by the user or the festival: a zone does not move it */
  GHashTable         *errors;           /* field → message */
};

G_DEFINE_FINAL_TYPE (FestFestivalForm, fest_festival_form, GTK_TYPE_WIDGET)

enum
{
  SUBMIT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The fields, the widget that carries each one's error and the label that says it. */
typedef enum
{
  GROUP_GENERAL,
  GROUP_DATES,
  GROUP_LOCATION,
} FieldGroup;

static const struct
{
  const char *field;
  FieldGroup  group;
} fields[] = {
  { "name", GROUP_GENERAL },
  { "currency_name", GROUP_GENERAL },
  { "exchange_rate_cents", GROUP_GENERAL },
  { "starts_at", GROUP_DATES },
  { "ends_at", GROUP_DATES },
  { "timezone", GROUP_DATES },
  { "location", GROUP_LOCATION },
};

/* "0.10", or "0,10" where the decimal separator is a comma (fest_money_parse takes both). */
static char *
format_rate (gint64 cents)
{
  const char *point = localeconv ()->decimal_point;

  return g_strdup_printf ("%" G_GINT64_FORMAT "%s%02d", cents / 100,
                          point != NULL && *point != '\0' ? point : ".", (int) (cents % 100));
}

/* Errors shown inline */

static GtkWidget *
field_widget (FestFestivalForm *self,
              const char       *field)
{
  if (g_str_equal (field, "name"))
    return GTK_WIDGET (self->name_row);
  if (g_str_equal (field, "currency_name"))
    return GTK_WIDGET (self->currency_row);
  if (g_str_equal (field, "exchange_rate_cents"))
    return GTK_WIDGET (self->rate_row);
  if (g_str_equal (field, "starts_at"))
    return GTK_WIDGET (self->starts.row);
  if (g_str_equal (field, "ends_at"))
    return GTK_WIDGET (self->ends.row);
  if (g_str_equal (field, "timezone"))
    return GTK_WIDGET (self->zone_row);
  if (g_str_equal (field, "location"))
    return GTK_WIDGET (self->map);
  return NULL;
}

static GtkLabel *
group_label (FestFestivalForm *self,
             FieldGroup        group)
{
  switch (group)
    {
    case GROUP_GENERAL:
      return self->general_error;
    case GROUP_DATES:
      return self->dates_error;
    case GROUP_LOCATION:
    default:
      return self->location_error;
    }
}

static void
update_error_labels (FestFestivalForm *self)
{
  for (FieldGroup group = GROUP_GENERAL; group <= GROUP_LOCATION; group++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      GtkLabel *label = group_label (self, group);

      for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
        {
          const char *message = g_hash_table_lookup (self->errors, fields[i].field);

          if (fields[i].group != group || message == NULL)
            continue;
          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append (text, message);
        }
      gtk_label_set_text (label, text->str);
      gtk_widget_set_visible (GTK_WIDGET (label), text->len > 0);
    }
}

static void
set_field_error (FestFestivalForm *self,
                 const char       *field,
                 const char       *message)
{
  GtkWidget *widget = field_widget (self, field);

  g_return_if_fail (widget != NULL);

  if (message == NULL && !g_hash_table_contains (self->errors, field))
    return;

  if (message != NULL)
    {
      g_hash_table_replace (self->errors, g_strdup (field), g_strdup (message));
      gtk_widget_add_css_class (widget, "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID,
                                   GTK_ACCESSIBLE_INVALID_TRUE, -1);
    }
  else
    {
      g_hash_table_remove (self->errors, field);
      gtk_widget_remove_css_class (widget, "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_STATE_INVALID);
    }
  update_error_labels (self);
}

/* Dates */

static gboolean
read_date_time (FestFestivalForm *self,
                DateTimeControls *controls,
                GDateTime       **out)
{
  g_autoptr(GTimeZone) zone = fest_time_zone_new (self->timezone);
  g_autoptr(GDateTime) day = gtk_calendar_get_date (controls->calendar);
  int year, month, mday;

  if (zone == NULL || day == NULL)
    return FALSE;
  g_date_time_get_ymd (day, &year, &month, &mday);
  *out = g_date_time_new (zone, year, month, mday,
                          gtk_spin_button_get_value_as_int (controls->hour),
                          gtk_spin_button_get_value_as_int (controls->minute), 0);
  return *out != NULL;
}

/* The instant as RFC 3339 UTC; the server's own string when the controls still show it. */
static char *
date_time_to_wire (FestFestivalForm *self,
                   DateTimeControls *controls,
                   GDateTime        *time)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  if (controls->original != NULL && g_strcmp0 (controls->original_zone, self->timezone) == 0)
    {
      g_autoptr(GDateTime) original = g_date_time_new_from_iso8601 (controls->original, NULL);
      g_autoptr(GDateTime) shown = NULL;

      if (original != NULL)
        shown = g_date_time_to_timezone (original, g_date_time_get_timezone (time));
      if (shown != NULL
          && g_date_time_get_year (shown) == g_date_time_get_year (time)
          && g_date_time_get_day_of_year (shown) == g_date_time_get_day_of_year (time)
          && g_date_time_get_hour (shown) == g_date_time_get_hour (time)
          && g_date_time_get_minute (shown) == g_date_time_get_minute (time))
        return g_strdup (controls->original);
    }

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

static void
show_date_time (FestFestivalForm *self,
                DateTimeControls *controls,
                GDateTime        *local)
{
  g_autoptr(GDateTime) day = g_date_time_new_local (g_date_time_get_year (local),
                                                    g_date_time_get_month (local),
                                                    g_date_time_get_day_of_month (local),
                                                    12, 0, 0);

  gtk_calendar_select_day (controls->calendar, day);
  gtk_spin_button_set_value (controls->hour, g_date_time_get_hour (local));
  gtk_spin_button_set_value (controls->minute, g_date_time_get_minute (local));
}

static void
update_dates (FestFestivalForm *self)
{
  DateTimeControls *all[] = { &self->starts, &self->ends };
  g_autoptr(GDateTime) starts = NULL;
  g_autofree char *offset = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (all); i++)
    {
      g_autoptr(GDateTime) day = gtk_calendar_get_date (all[i]->calendar);
      /* Translators: a date on a button, strftime format: "30 Jun 2026". */
      g_autofree char *label = g_date_time_format (day, _("%-d %b %Y"));

      gtk_menu_button_set_label (all[i]->button, label);
    }

  if (!read_date_time (self, &self->starts, &starts))
    starts = g_date_time_new_now_utc ();
  offset = fest_time_zone_format_utc_offset (self->timezone, starts);
  adw_action_row_set_subtitle (self->zone_row, offset);
}

/* Callbacks */

static void
entry_activated_cb (FestFestivalForm *self)
{
  g_signal_emit (self, signals[SUBMIT], 0);
}

static void
name_changed_cb (FestFestivalForm *self)
{
  set_field_error (self, "name", NULL);
}

static void
currency_changed_cb (FestFestivalForm *self)
{
  set_field_error (self, "currency_name", NULL);
}

static void
rate_changed_cb (FestFestivalForm *self)
{
  set_field_error (self, "exchange_rate_cents", NULL);
}

static void
date_changed_cb (FestFestivalForm *self)
{
  set_field_error (self, "starts_at", NULL);
  set_field_error (self, "ends_at", NULL);
  update_dates (self);
  if (self->filtered_zones != NULL)
    /* The offsets shown in the list are those of the first day. */
    gtk_filter_changed (GTK_FILTER (self->zone_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static gboolean
spin_output_cb (GtkSpinButton *spin,
                gpointer       user_data)
{
  char text[8];

  g_snprintf (text, sizeof text, "%02d", gtk_spin_button_get_value_as_int (spin));
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (spin)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (spin), text);
  return TRUE;
}

static void
update_location_label (FestFestivalForm *self)
{
  char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *text = NULL;
  double lat, lng;

  fest_site_map_get_position (self->map, &lat, &lng);
  g_ascii_formatd (lat_text, sizeof lat_text, "%.5f", lat);
  g_ascii_formatd (lng_text, sizeof lng_text, "%.5f", lng);
  /* Translators: the festival's position in degrees. */
  text = g_strdup_printf (_("Latitude %s, longitude %s"), lat_text, lng_text);
  gtk_label_set_text (self->location_label, text);
}

static void
move_location (FestFestivalForm *self,
               double            latitude,
               double            longitude)
{
  fest_site_map_set_position (self->map, latitude, longitude);
  fest_site_map_center_on (self->map, latitude, longitude);
  update_location_label (self);
}

static void
map_picked_cb (FestFestivalForm *self)
{
  self->location_chosen = TRUE;
  set_field_error (self, "location", NULL);
  update_location_label (self);
}

static void
set_timezone (FestFestivalForm *self,
              const char       *identifier)
{
  g_autoptr(GTimeZone) zone = fest_time_zone_new (identifier);
  const FestZoneInfo *info;

  if (zone == NULL)
    {
      set_field_error (self, "timezone", _("Choose a time zone from the list"));
      return;
    }

  g_free (self->timezone);
  self->timezone = g_strdup (identifier);
  gtk_menu_button_set_label (self->zone_button, identifier);
  set_field_error (self, "timezone", NULL);
  update_dates (self);

  /* A new festival's site starts out at the zone's main city, until the user picks it. */
  info = fest_time_zones_find (identifier);
  if (!self->location_chosen && info != NULL && info->located)
    move_location (self, info->latitude, info->longitude);
}

static void
zone_popover_show_cb (FestFestivalForm *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->zone_search), "");
  gtk_widget_grab_focus (GTK_WIDGET (self->zone_search));
}

static void
zone_search_changed_cb (FestFestivalForm *self)
{
  g_autofree char *search = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_search)));

  /* "new york" finds America/New_York. */
  g_strdelimit (g_strstrip (search), " ", '_');
  gtk_string_filter_set_search (self->zone_filter, search);
}

static void
choose_zone_at (FestFestivalForm *self,
                guint             position)
{
  g_autoptr(GtkStringObject) item = g_list_model_get_item (G_LIST_MODEL (self->filtered_zones),
                                                           position);

  if (item == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "festival-form.set-timezone", "s",
                              gtk_string_object_get_string (item));
  gtk_popover_popdown (self->zone_popover);
}

static void
zone_search_activate_cb (FestFestivalForm *self)
{
  choose_zone_at (self, 0);
}

static void
zone_list_activate_cb (FestFestivalForm *self,
                       guint             position)
{
  choose_zone_at (self, position);
}

static void
zone_item_setup_cb (GtkSignalListItemFactory *factory,
                    GtkListItem              *item,
                    gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *name = gtk_label_new (NULL);
  GtkWidget *offset = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (offset, "dim-label");
  gtk_widget_add_css_class (offset, "numeric");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), offset);
  gtk_list_item_set_child (item, box);
}

static void
zone_item_bind_cb (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   gpointer                  user_data)
{
  FestFestivalForm *self = user_data;
  GtkWidget *box = gtk_list_item_get_child (item);
  GtkWidget *name = gtk_widget_get_first_child (box);
  GtkWidget *offset = gtk_widget_get_next_sibling (name);
  const char *identifier = gtk_string_object_get_string (gtk_list_item_get_item (item));
  g_autoptr(GDateTime) starts = NULL;
  g_autofree char *offset_text = NULL;
  g_autofree char *label = NULL;

  if (!read_date_time (self, &self->starts, &starts))
    starts = g_date_time_new_now_utc ();
  offset_text = fest_time_zone_format_utc_offset (identifier, starts);
  gtk_label_set_text (GTK_LABEL (name), identifier);
  gtk_label_set_text (GTK_LABEL (offset), offset_text);
  label = g_strdup_printf ("%s, %s", identifier, offset_text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (box)),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

/* Actions */

static void
set_timezone_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  set_timezone (FEST_FESTIVAL_FORM (widget), g_variant_get_string (parameter, NULL));
}

/* Overrides */

static gboolean
fest_festival_form_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (FEST_FESTIVAL_FORM (widget)->name_row));
}

static void
fest_festival_form_dispose (GObject *object)
{
  FestFestivalForm *self = FEST_FESTIVAL_FORM (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), FEST_TYPE_FESTIVAL_FORM);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->filtered_zones);
  g_clear_object (&self->zone_filter);
  G_OBJECT_CLASS (fest_festival_form_parent_class)->dispose (object);
}

static void
fest_festival_form_finalize (GObject *object)
{
  FestFestivalForm *self = FEST_FESTIVAL_FORM (object);

  g_free (self->starts.original);
  g_free (self->starts.original_zone);
  g_free (self->ends.original);
  g_free (self->ends.original_zone);
  g_free (self->timezone);
  g_hash_table_unref (self->errors);
  G_OBJECT_CLASS (fest_festival_form_parent_class)->finalize (object);
}

static void
fest_festival_form_class_init (FestFestivalFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_festival_form_dispose;
  object_class->finalize = fest_festival_form_finalize;
  widget_class->grab_focus = fest_festival_form_grab_focus;

  signals[SUBMIT] = g_signal_new ("submit", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (FEST_TYPE_SITE_MAP);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/festival/fest-festival-form.ui");
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, name_row);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, currency_row);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, rate_row);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, general_error);
  gtk_widget_class_bind_template_child_full (widget_class, "starts_row", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, starts.row));
  gtk_widget_class_bind_template_child_full (widget_class, "starts_date_button", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, starts.button));
  gtk_widget_class_bind_template_child_full (widget_class, "starts_calendar", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, starts.calendar));
  gtk_widget_class_bind_template_child_full (widget_class, "starts_hour", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, starts.hour));
  gtk_widget_class_bind_template_child_full (widget_class, "starts_minute", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, starts.minute));
  gtk_widget_class_bind_template_child_full (widget_class, "ends_row", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, ends.row));
  gtk_widget_class_bind_template_child_full (widget_class, "ends_date_button", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, ends.button));
  gtk_widget_class_bind_template_child_full (widget_class, "ends_calendar", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, ends.calendar));
  gtk_widget_class_bind_template_child_full (widget_class, "ends_hour", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, ends.hour));
  gtk_widget_class_bind_template_child_full (widget_class, "ends_minute", FALSE,
                                             G_STRUCT_OFFSET (FestFestivalForm, ends.minute));
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, zone_row);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, zone_button);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, zone_popover);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, zone_search);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, zone_list);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, dates_error);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, map);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, location_label);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalForm, location_error);
  gtk_widget_class_bind_template_callback (widget_class, entry_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, name_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, currency_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, rate_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, date_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, spin_output_cb);
  gtk_widget_class_bind_template_callback (widget_class, map_picked_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_popover_show_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, zone_list_activate_cb);

  gtk_widget_class_install_action (widget_class, "festival-form.set-timezone", "s",
                                   set_timezone_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_festival_form_init (FestFestivalForm *self)
{
  g_autoptr(GtkStringList) zones = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  g_autoptr(GtkNoSelection) selection = NULL;
  g_autoptr(GTimeZone) local_zone = g_time_zone_new_local ();
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) today = NULL;
  g_autofree char *rate_text = NULL;
  const char *local_name = g_time_zone_get_identifier (local_zone);
  GPtrArray *catalogue = fest_time_zones_get ();
  GtkExpression *expression;

  self->errors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (guint i = 0; i < catalogue->len; i++)
    gtk_string_list_append (zones, ((FestZoneInfo *) g_ptr_array_index (catalogue, i))->name);
  expression = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  self->zone_filter = gtk_string_filter_new (expression);
  gtk_string_filter_set_match_mode (self->zone_filter, GTK_STRING_FILTER_MATCH_MODE_SUBSTRING);
  gtk_string_filter_set_ignore_case (self->zone_filter, TRUE);
  self->filtered_zones = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (zones)),
                                                    GTK_FILTER (g_object_ref (self->zone_filter)));
  g_signal_connect (factory, "setup", G_CALLBACK (zone_item_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (zone_item_bind_cb), self);
  gtk_list_view_set_factory (self->zone_list, factory);
  selection = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->filtered_zones)));
  gtk_list_view_set_model (self->zone_list, GTK_SELECTION_MODEL (selection));

  /* No site plan until a client is given (none for a festival not created yet). */
  fest_site_map_set_client (self->map, NULL, NULL);
  fest_site_map_set_marker_title (self->map, _("Festival location"),
                                  _("Arrow keys move the map, plus and minus zoom, Enter places "
                                    "the festival at the centre"));

  /* A new festival: today, in the computer's time zone, at its main city. */
  today = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                 g_date_time_get_day_of_month (now), 0, 0, 0);
  show_date_time (self, &self->starts, today);
  gtk_spin_button_set_value (self->ends.hour, 23);
  gtk_spin_button_set_value (self->ends.minute, 59);
  gtk_calendar_select_day (self->ends.calendar, today);
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row), _("Tokens"));
  rate_text = format_rate (10);
  gtk_editable_set_text (GTK_EDITABLE (self->rate_row), rate_text);
  move_location (self, FEST_TIME_ZONE_FALLBACK_LATITUDE, FEST_TIME_ZONE_FALLBACK_LONGITUDE);
  set_timezone (self, fest_time_zones_find (local_name) != NULL ? local_name
                                                               : FEST_TIME_ZONE_FALLBACK);
}

/* Public API */

GtkWidget *
fest_festival_form_new (void)
{
  return g_object_new (FEST_TYPE_FESTIVAL_FORM, NULL);
}

void
fest_festival_form_set_client (FestFestivalForm *self,
                               FestClient       *client,
                               const char       *festival_id)
{
  g_return_if_fail (FEST_IS_FESTIVAL_FORM (self));

  fest_site_map_set_client (self->map, client, festival_id);
}

static void
set_original (DateTimeControls *controls,
              const char       *rfc3339,
              const char       *zone)
{
  g_free (controls->original);
  controls->original = g_strdup (rfc3339);
  g_free (controls->original_zone);
  controls->original_zone = g_strdup (zone);
}

static void
show_wire_time (FestFestivalForm *self,
                DateTimeControls *controls,
                const char       *rfc3339)
{
  g_autoptr(GDateTime) time = rfc3339 != NULL ? g_date_time_new_from_iso8601 (rfc3339, NULL)
                                              : NULL;
  g_autoptr(GTimeZone) zone = fest_time_zone_new (self->timezone);
  g_autoptr(GDateTime) local = NULL;

  if (time == NULL || zone == NULL)
    return;
  local = g_date_time_to_timezone (time, zone);
  show_date_time (self, controls, local);
  set_original (controls, rfc3339, self->timezone);
}

void
fest_festival_form_set_festival (FestFestivalForm *self,
                                 JsonObject       *festival)
{
  g_autoptr(GTimeZone) known_zone = NULL;
  const char *zone;
  gint64 rate;
  g_autofree char *rate_text = NULL;

  g_return_if_fail (FEST_IS_FESTIVAL_FORM (self));
  g_return_if_fail (festival != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->name_row),
                         fest_page_json_string (festival, "name") ?: "");
  gtk_editable_set_text (GTK_EDITABLE (self->currency_row),
                         fest_page_json_string (festival, "currency_name") ?: "");
  rate = fest_page_json_int (festival, "exchange_rate_cents", 0);
  rate_text = format_rate (rate);
  gtk_editable_set_text (GTK_EDITABLE (self->rate_row), rate_text);

  if (json_object_has_member (festival, "location")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (festival, "location")))
    {
      JsonObject *location = json_object_get_object_member (festival, "location");

      self->location_chosen = TRUE;
      move_location (self,
                     fest_page_json_double (location, "lat", FEST_TIME_ZONE_FALLBACK_LATITUDE),
                     fest_page_json_double (location, "lng", FEST_TIME_ZONE_FALLBACK_LONGITUDE));
    }
  else
    self->location_chosen = FALSE;

  zone = fest_page_json_string (festival, "timezone");
  known_zone = fest_time_zone_new (zone);
  set_timezone (self, known_zone != NULL ? zone : FEST_TIME_ZONE_FALLBACK);
  show_wire_time (self, &self->starts, fest_page_json_string (festival, "starts_at"));
  show_wire_time (self, &self->ends, fest_page_json_string (festival, "ends_at"));
  fest_festival_form_clear_errors (self);
}

JsonNode *
fest_festival_form_build_body (FestFestivalForm *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *name = NULL;
  g_autofree char *currency = NULL;
  g_autofree char *starts_text = NULL;
  g_autofree char *ends_text = NULL;
  g_autoptr(GDateTime) starts = NULL;
  g_autoptr(GDateTime) ends = NULL;
  g_autoptr(GTimeZone) zone = NULL;
  gint64 rate_cents = 0;
  const char *first_bad = NULL;
  double lat, lng;

  g_return_val_if_fail (FEST_IS_FESTIVAL_FORM (self), NULL);

  fest_festival_form_clear_errors (self);
  name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));
  currency = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->currency_row))));

  if (name[0] == '\0')
    {
      set_field_error (self, "name", _("Give the festival a name"));
      first_bad = first_bad ?: "name";
    }
  if (currency[0] == '\0')
    {
      set_field_error (self, "currency_name", _("Name the festival’s currency"));
      first_bad = first_bad ?: "currency_name";
    }
  if (!fest_money_parse (gtk_editable_get_text (GTK_EDITABLE (self->rate_row)), &rate_cents)
      || rate_cents <= 0 || rate_cents > MAX_RATE_CENTS)
    {
      set_field_error (self, "exchange_rate_cents",
                       _("Enter the value of one currency unit in euros, such as 0.10"));
      first_bad = first_bad ?: "exchange_rate_cents";
    }
  zone = fest_time_zone_new (self->timezone);
  if (zone == NULL)
    {
      set_field_error (self, "timezone", _("Choose a time zone from the list"));
      first_bad = first_bad ?: "timezone";
    }
  else if (!read_date_time (self, &self->starts, &starts))
    {
      set_field_error (self, "starts_at", _("Choose when the festival starts"));
      first_bad = first_bad ?: "starts_at";
    }
  else if (!read_date_time (self, &self->ends, &ends))
    {
      set_field_error (self, "ends_at", _("Choose when the festival ends"));
      first_bad = first_bad ?: "ends_at";
    }
  else if (g_date_time_compare (ends, starts) <= 0)
    {
      set_field_error (self, "ends_at", _("The festival must end after it starts"));
      first_bad = first_bad ?: "ends_at";
    }

  if (first_bad != NULL)
    {
      gtk_widget_grab_focus (field_widget (self, first_bad));
      return NULL;
    }

  starts_text = date_time_to_wire (self, &self->starts, starts);
  ends_text = date_time_to_wire (self, &self->ends, ends);
  fest_site_map_get_position (self->map, &lat, &lng);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "starts_at");
  json_builder_add_string_value (builder, starts_text);
  json_builder_set_member_name (builder, "ends_at");
  json_builder_add_string_value (builder, ends_text);
  json_builder_set_member_name (builder, "timezone");
  json_builder_add_string_value (builder, self->timezone);
  json_builder_set_member_name (builder, "currency_name");
  json_builder_add_string_value (builder, currency);
  json_builder_set_member_name (builder, "exchange_rate_cents");
  json_builder_add_int_value (builder, rate_cents);
  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, lat);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, lng);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
fest_festival_form_show_error (FestFestivalForm *self,
                               const GError     *error)
{
  const char *field;
  g_autofree char *message = NULL;

  g_return_val_if_fail (FEST_IS_FESTIVAL_FORM (self), FALSE);

  field = error != NULL ? fest_page_error_field (error) : NULL;
  if (field == NULL || field_widget (self, field) == NULL)
    return FALSE;

  message = fest_page_error_text (error);
  set_field_error (self, field, message);
  gtk_widget_grab_focus (field_widget (self, field));
  return TRUE;
}

void
fest_festival_form_clear_errors (FestFestivalForm *self)
{
  g_return_if_fail (FEST_IS_FESTIVAL_FORM (self));

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    set_field_error (self, fields[i].field, NULL);
}

const char *
fest_festival_form_get_error (FestFestivalForm *self,
                              const char       *field)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_FORM (self), NULL);

  return g_hash_table_lookup (self->errors, field);
}

const char *
fest_festival_form_get_timezone (FestFestivalForm *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_FORM (self), NULL);

  return self->timezone;
}

FestSiteMap *
fest_festival_form_get_map (FestFestivalForm *self)
{
  g_return_val_if_fail (FEST_IS_FESTIVAL_FORM (self), NULL);

  return self->map;
}
