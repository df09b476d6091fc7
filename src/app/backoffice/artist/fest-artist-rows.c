/* fest-artist-rows.c: the rows of the artist's view: a slot, a guest, and their labels
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-artist-rows.h"
#include "fest-page-util.h"

const char *
fest_artist_type_label (const char *type)
{
  if (g_strcmp0 (type, "DJ") == 0)
    return _("DJ");
  if (g_strcmp0 (type, "BAND") == 0)
    return _("Band");
  if (g_strcmp0 (type, "SOLO") == 0)
    return _("Solo artist");
  return _("Artist");
}

/* The label and style class of a slot's status. */
static const char *
slot_status_label (const char  *status,
                   const char **css_class)
{
  if (g_strcmp0 (status, "CONFIRMED") == 0)
    {
      *css_class = "confirmed";
      return _("Confirmed");
    }
  if (g_strcmp0 (status, "CANCELLED") == 0)
    {
      *css_class = "cancelled";
      return _("Cancelled");
    }
  *css_class = "pending";
  return _("Pending");
}

static const char *
guest_status_label (const char *status)
{
  if (g_strcmp0 (status, "USED") == 0)
    return _("Arrived");
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return _("Cancelled");
  return _("Invited");
}

/* @rfc3339 in @zone, or NULL if it does not parse (transfer full). */
static GDateTime *
parse_time (const char *rfc3339,
            GTimeZone  *zone)
{
  g_autoptr(GDateTime) utc = NULL;

  if (rfc3339 == NULL)
    return NULL;
  utc = g_date_time_new_from_iso8601 (rfc3339, NULL);
  if (utc == NULL)
    return NULL;
  return g_date_time_to_timezone (utc, zone);
}

/* "Fri 17 Jul, 21:00–22:30" (transfer full). */
static char *
format_slot_time (JsonObject *slot,
                  GTimeZone  *zone)
{
  g_autoptr(GDateTime) start = parse_time (fest_page_json_string (slot, "start_time"), zone);
  g_autoptr(GDateTime) end = parse_time (fest_page_json_string (slot, "end_time"), zone);
  g_autofree char *day = NULL;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;

  if (start == NULL || end == NULL)
    return g_strdup ("");

  /* TRANSLATORS: a slot's day, e.g. "Fri 17 Jul" (strftime format) */
  day = g_date_time_format (start, _("%a %-d %b"));
  from = g_date_time_format (start, "%H:%M");
  to = g_date_time_format (end, "%H:%M");
  g_strstrip (day);
  /* TRANSLATORS: a slot's day, start and end, e.g. "Fri 17 Jul, 21:00–22:30" */
  return g_strdup_printf (_("%s, %s–%s"), day, from, to);
}

gint
fest_artist_compare_slots (gconstpointer a,
                           gconstpointer b)
{
  JsonObject *slot_a = *(JsonObject **) a;
  JsonObject *slot_b = *(JsonObject **) b;

  return g_strcmp0 (fest_page_json_string (slot_a, "start_time"),
                    fest_page_json_string (slot_b, "start_time"));
}

static GtkWidget *
status_pill_new (const char *label,
                 const char *css_class)
{
  GtkWidget *pill = gtk_label_new (label);

  gtk_widget_set_valign (pill, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (pill, "status-pill");
  gtk_widget_add_css_class (pill, css_class);
  return pill;
}

static GtkWidget *
guest_button_new (const char *icon,
                  const char *tooltip,
                  const char *action,
                  const char *guest_id)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", guest_id);
  return button;
}

GtkWidget *
fest_artist_slot_row_new (JsonObject *slot,
                          GTimeZone  *zone)
{
  const char *stage = fest_page_json_string (slot, "stage_name");
  g_autofree char *stage_markup = g_markup_escape_text (stage != NULL ? stage : _("Stage"), -1);
  g_autofree char *when = format_slot_time (slot, zone);
  const char *css_class = NULL;
  const char *status = slot_status_label (fest_page_json_string (slot, "status"), &css_class);
  g_autofree char *description = g_strdup_printf ("%s, %s, %s", stage != NULL ? stage : "", when,
                                                  status);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), stage_markup);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), when);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), status_pill_new (status, css_class));
  gtk_widget_set_name (row, fest_page_json_string (slot, "id"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  description, -1);
  return row;
}

GtkWidget *
fest_artist_guest_row_new (JsonObject *guest)
{
  const char *id = fest_page_json_string (guest, "id");
  const char *name = fest_page_json_string (guest, "name");
  const char *email = fest_page_json_string (guest, "email");
  const char *status = fest_page_json_string (guest, "status");
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  g_autofree char *show_tip = NULL;
  g_autofree char *export_tip = NULL;
  g_autofree char *remove_tip = NULL;
  GtkWidget *row;

  if (id == NULL)
    return NULL;
  if (name == NULL)
    name = "";
  title = g_markup_escape_text (name, -1);
  /* The email is optional: without it, the status alone. */
  if (email != NULL && email[0] != '\0')
    subtitle = g_markup_printf_escaped ("%s · %s", email, guest_status_label (status));
  else
    subtitle = g_markup_escape_text (guest_status_label (status), -1);
  row = adw_action_row_new ();
  gtk_widget_set_name (row, id);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);

  /* A cancelled guest has no ticket left to show. */
  if (g_strcmp0 (status, "CANCELLED") == 0)
    return row;

  /* TRANSLATORS: %s is a guest's name */
  show_tip = g_strdup_printf (_("Show the QR code of %s"), name);
  /* TRANSLATORS: %s is a guest's name */
  export_tip = g_strdup_printf (_("Export the QR code of %s as PNG"), name);
  /* TRANSLATORS: %s is a guest's name */
  remove_tip = g_strdup_printf (_("Remove %s from the guest list"), name);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             guest_button_new ("view-reveal-symbolic", show_tip,
                                               "artist.show-qr", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             guest_button_new ("document-save-symbolic", export_tip,
                                               "artist.export-qr", id));
  adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                             guest_button_new ("user-trash-symbolic", remove_tip,
                                               "artist.remove-guest", id));
  return row;
}
