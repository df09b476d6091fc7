/* fest-festival-chooser.c: the list of the user's festivals, and New Festival when allowed
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-festival-chooser.h"
#include "fest-page-util.h"

struct _FestFestivalChooser
{
  GtkWidget      parent_instance;

  AdwStatusPage *festivals_status;
  GtkListBox    *festivals_list;
  GtkButton     *new_festival_button;
};

G_DEFINE_FINAL_TYPE (FestFestivalChooser, fest_festival_chooser, GTK_TYPE_WIDGET)

enum
{
  FESTIVAL_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
row_activated_cb (FestFestivalChooser *self,
                  GtkListBoxRow       *row)
{
  g_signal_emit (self, signals[FESTIVAL_ACTIVATED], 0, gtk_widget_get_name (GTK_WIDGET (row)));
}

static void
fest_festival_chooser_dispose (GObject *object)
{
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (object), FEST_TYPE_FESTIVAL_CHOOSER);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (object))) != NULL)
    gtk_widget_unparent (child);

  G_OBJECT_CLASS (fest_festival_chooser_parent_class)->dispose (object);
}

static void
fest_festival_chooser_class_init (FestFestivalChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = fest_festival_chooser_dispose;

  signals[FESTIVAL_ACTIVATED] = g_signal_new ("festival-activated", G_TYPE_FROM_CLASS (klass),
                                              G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                              G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/app/festivals/Festivals/ui/backoffice/fest-festival-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, FestFestivalChooser, festivals_status);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalChooser, festivals_list);
  gtk_widget_class_bind_template_child (widget_class, FestFestivalChooser, new_festival_button);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
fest_festival_chooser_init (FestFestivalChooser *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
fest_festival_chooser_new (void)
{
  return g_object_new (FEST_TYPE_FESTIVAL_CHOOSER, NULL);
}

void
fest_festival_chooser_set_festivals (FestFestivalChooser *self,
                                     JsonArray           *festivals,
                                     gboolean             can_create)
{
  GtkWidget *child;
  guint n = festivals != NULL ? json_array_get_length (festivals) : 0;

  g_return_if_fail (FEST_IS_FESTIVAL_CHOOSER (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->festivals_list))) != NULL)
    gtk_list_box_remove (self->festivals_list, child);

  for (guint i = 0; i < n; i++)
    {
      JsonObject *festival = json_array_get_object_element (festivals, i);
      GtkWidget *row = adw_action_row_new ();
      const char *starts = fest_page_json_string (festival, "starts_at");
      g_autoptr(GDateTime) start = starts != NULL ? g_date_time_new_from_iso8601 (starts, NULL)
                                                  : NULL;
      g_autofree char *subtitle = start != NULL ? g_date_time_format (start, "%x") : NULL;

      /* A festival's name is text ("Rock & Jazz"), not markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     fest_page_json_string (festival, "name"));
      if (subtitle != NULL)
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row),
                                 gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_widget_set_name (row, fest_page_json_string (festival, "id"));
      gtk_list_box_append (self->festivals_list, row);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->festivals_list), n > 0);
  gtk_widget_set_visible (GTK_WIDGET (self->new_festival_button), can_create);
  if (n > 0)
    {
      adw_status_page_set_title (self->festivals_status, _("Choose a Festival"));
      adw_status_page_set_description (self->festivals_status, NULL);
    }
  else
    {
      adw_status_page_set_title (self->festivals_status, _("No Festival Yet"));
      adw_status_page_set_description (self->festivals_status,
                                       can_create
                                       ? _("Create the first festival to set up its stands, tickets and team.")
                                       : _("Ask an organiser to add you to a festival’s team."));
    }
}
