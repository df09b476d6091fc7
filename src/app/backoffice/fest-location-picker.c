/* fest-location-picker.c: the site map of a stand, stage or gate dialog, where its place is picked
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-page-util.h"
#include "fest-location-picker.h"

#define ZONE_MAX 100

struct _FestLocationPicker
{
  GtkWidget       parent_instance;

  GtkWidget      *box;
  FestSiteMap    *map;
  GtkLabel       *status;
  GtkWidget      *clear_button;

  /* Both own the picker: not referenced. */
  FestFormDialog *dialog;
  GtkWidget      *zone_row;

  gboolean        placed;
  gboolean        changed;
  char           *initial_zone;
  gboolean        has_festival_location;
  double          festival_lat;
  double          festival_lng;
};

G_DEFINE_FINAL_TYPE (FestLocationPicker, fest_location_picker, GTK_TYPE_WIDGET)

static void
update_status (FestLocationPicker *self)
{
  g_autofree char *text = NULL;

  if (self->placed)
    {
      char lat_text[G_ASCII_DTOSTR_BUF_SIZE], lng_text[G_ASCII_DTOSTR_BUF_SIZE];
      double lat, lng;

      fest_site_map_get_position (self->map, &lat, &lng);
      g_ascii_formatd (lat_text, sizeof lat_text, "%.5f", lat);
      g_ascii_formatd (lng_text, sizeof lng_text, "%.5f", lng);
      /* Translators: latitude, longitude in degrees. */
      text = g_strdup_printf (_("Placed at %s, %s"), lat_text, lng_text);
    }
  else
    text = g_strdup (_("Not placed: click the map, or press Enter on it to place at the centre"));

  gtk_label_set_text (self->status, text);
  gtk_widget_set_sensitive (self->clear_button, self->placed);
}

static void
picked_cb (FestLocationPicker *self)
{
  self->placed = TRUE;
  self->changed = TRUE;
  if (self->dialog != NULL)
    gtk_widget_remove_css_class (fest_form_dialog_get_row (self->dialog, "location"), "error");
  update_status (self);
}

static void
clear_clicked_cb (FestLocationPicker *self)
{
  fest_location_picker_clear (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->map));
}

static void
fest_location_picker_dispose (GObject *object)
{
  FestLocationPicker *self = FEST_LOCATION_PICKER (object);

  g_clear_pointer (&self->box, gtk_widget_unparent);

  G_OBJECT_CLASS (fest_location_picker_parent_class)->dispose (object);
}

static void
fest_location_picker_finalize (GObject *object)
{
  FestLocationPicker *self = FEST_LOCATION_PICKER (object);

  g_free (self->initial_zone);

  G_OBJECT_CLASS (fest_location_picker_parent_class)->finalize (object);
}

static void
fest_location_picker_class_init (FestLocationPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_location_picker_dispose;
  object_class->finalize = fest_location_picker_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
fest_location_picker_init (FestLocationPicker *self)
{
  GtkWidget *line;

  self->box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  gtk_widget_set_parent (self->box, GTK_WIDGET (self));

  self->map = fest_site_map_new ();
  gtk_widget_set_size_request (GTK_WIDGET (self->map), 360, 240);
  gtk_widget_set_hexpand (GTK_WIDGET (self->map), TRUE);
  fest_site_map_set_marker_title (self->map, _("Position"),
                                  _("Arrow keys move the map, plus and minus zoom, Enter places "
                                    "it at the centre"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->map), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Position on the site map"), -1);
  g_signal_connect_object (self->map, "picked", G_CALLBACK (picked_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self->box), GTK_WIDGET (self->map));

  line = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  self->status = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status, 0);
  gtk_label_set_wrap (self->status, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->status), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status), "dim-label");
  gtk_box_append (GTK_BOX (line), GTK_WIDGET (self->status));
  self->clear_button = gtk_button_new_with_mnemonic (_("C_lear Position"));
  gtk_widget_set_valign (self->clear_button, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (self->clear_button, _("Remove the position from the map"));
  g_signal_connect_object (self->clear_button, "clicked", G_CALLBACK (clear_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (line), self->clear_button);
  gtk_box_append (GTK_BOX (self->box), line);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->map), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                  self->status, NULL, -1);

  update_status (self);
}

FestLocationPicker *
fest_location_picker_add (FestFormDialog *dialog,
                          FestClient     *client,
                          JsonObject     *festival,
                          JsonObject     *location)
{
  FestLocationPicker *self;
  JsonObject *festival_location = NULL;
  const char *festival_id = NULL;

  g_return_val_if_fail (FEST_IS_FORM_DIALOG (dialog), NULL);
  g_return_val_if_fail (FEST_IS_CLIENT (client), NULL);

  self = g_object_new (FEST_TYPE_LOCATION_PICKER, NULL);
  self->dialog = dialog;

  if (festival != NULL)
    {
      festival_id = fest_page_json_string (festival, "id");
      if (json_object_has_member (festival, "location")
          && JSON_NODE_HOLDS_OBJECT (json_object_get_member (festival, "location")))
        festival_location = json_object_get_object_member (festival, "location");
    }
  if (festival_location != NULL
      && !fest_page_json_is_null (festival_location, "lat")
      && !fest_page_json_is_null (festival_location, "lng"))
    {
      self->has_festival_location = TRUE;
      self->festival_lat = fest_page_json_double (festival_location, "lat", 0);
      self->festival_lng = fest_page_json_double (festival_location, "lng", 0);
    }
  fest_site_map_set_client (self->map, client, festival_id);

  if (location != NULL
      && !fest_page_json_is_null (location, "lat") && !fest_page_json_is_null (location, "lng"))
    {
      double lat = fest_page_json_double (location, "lat", 0);
      double lng = fest_page_json_double (location, "lng", 0);

      self->placed = TRUE;
      self->initial_zone = g_strdup (fest_page_json_string (location, "zone"));
      fest_site_map_set_position (self->map, lat, lng);
      fest_site_map_center_on (self->map, lat, lng);
    }
  else if (self->has_festival_location)
    {
      /* The marker waits at the centre, where Enter would place it. */
      fest_site_map_set_position (self->map, self->festival_lat, self->festival_lng);
      fest_site_map_center_on (self->map, self->festival_lat, self->festival_lng);
    }
  update_status (self);

  fest_form_dialog_add_widget (dialog, "location", _("Position"), GTK_WIDGET (self));
  self->zone_row = fest_form_dialog_add_entry (dialog, "location.zone", _("Zone (optional)"),
                                               self->initial_zone);
  gtk_widget_set_tooltip_text (self->zone_row, _("A part of the site, such as “North field”"));

  return self;
}

FestSiteMap *
fest_location_picker_get_map (FestLocationPicker *self)
{
  g_return_val_if_fail (FEST_IS_LOCATION_PICKER (self), NULL);

  return self->map;
}

gboolean
fest_location_picker_get_placed (FestLocationPicker *self)
{
  g_return_val_if_fail (FEST_IS_LOCATION_PICKER (self), FALSE);

  return self->placed;
}

void
fest_location_picker_clear (FestLocationPicker *self)
{
  g_return_if_fail (FEST_IS_LOCATION_PICKER (self));

  self->placed = FALSE;
  self->changed = TRUE;
  if (self->zone_row != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->zone_row), "");
  update_status (self);
}

gboolean
fest_location_picker_build (FestLocationPicker *self,
                            JsonBuilder        *builder,
                            gboolean            zone_at_festival)
{
  g_autofree char *zone = NULL;
  double lat, lng;

  g_return_val_if_fail (FEST_IS_LOCATION_PICKER (self), FALSE);
  g_return_val_if_fail (JSON_IS_BUILDER (builder), FALSE);

  zone = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->zone_row))));
  if (g_utf8_strlen (zone, -1) > ZONE_MAX)
    {
      fest_form_dialog_set_error (self->dialog, "location.zone", _("The zone is too long."));
      return FALSE;
    }

  fest_site_map_get_position (self->map, &lat, &lng);
  if (!self->placed)
    {
      if (*zone != '\0' && zone_at_festival && self->has_festival_location)
        {
          /* It sits at the festival's location until it is placed on the map. */
          lat = self->festival_lat;
          lng = self->festival_lng;
        }
      else if (*zone != '\0')
        {
          fest_form_dialog_set_error (self->dialog, "location.zone",
                                      _("Place it on the map before giving it a zone."));
          return FALSE;
        }
      else
        {
          if (self->changed)
            {
              json_builder_set_member_name (builder, "location");
              json_builder_add_null_value (builder);
            }
          return TRUE;
        }
    }
  else if (!self->changed && g_strcmp0 (zone, self->initial_zone != NULL ? self->initial_zone : "") == 0)
    return TRUE;

  json_builder_set_member_name (builder, "location");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "lat");
  json_builder_add_double_value (builder, lat);
  json_builder_set_member_name (builder, "lng");
  json_builder_add_double_value (builder, lng);
  json_builder_set_member_name (builder, "zone");
  if (*zone != '\0')
    json_builder_add_string_value (builder, zone);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
  return TRUE;
}
