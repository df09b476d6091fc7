/* fest-map-controls.c: what our libshumate maps share (the site map, the incident map)
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "fest-map-controls.h"

#define CONTROLS_KEY "fest-map-controls"

typedef struct
{
  ShumateMap      *map;            /* borrowed: the owner keeps them */
  ShumateViewport *viewport;
  GtkWidget       *zoom_buttons;
  GtkWidget       *status;
} Controls;

static Controls *
controls_of (GtkWidget *owner)
{
  return g_object_get_data (G_OBJECT (owner), CONTROLS_KEY);
}

static void
pan_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  Controls *controls = controls_of (widget);
  int width = gtk_widget_get_width (GTK_WIDGET (controls->map));
  int height = gtk_widget_get_height (GTK_WIDGET (controls->map));
  double step = MAX (MIN (width, height) / 5.0, 32.0);
  double lat, lng;
  int dx, dy;

  g_variant_get (parameter, "(ii)", &dx, &dy);
  if (width <= 0 || height <= 0)
    return;
  shumate_viewport_widget_coords_to_location (controls->viewport, GTK_WIDGET (controls->map),
                                              width / 2.0 + dx * step, height / 2.0 + dy * step, &lat, &lng);
  shumate_map_center_on (controls->map, lat, lng);
}

static void
zoom_in_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  shumate_map_zoom_in (controls_of (widget)->map);
}

static void
zoom_out_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  shumate_map_zoom_out (controls_of (widget)->map);
}

void
fest_map_controls_install_actions (GtkWidgetClass *widget_class,
                                   const char     *prefix)
{
  static const guint zoom_in_keys[] = { GDK_KEY_plus, GDK_KEY_KP_Add, GDK_KEY_equal };
  static const guint zoom_out_keys[] = { GDK_KEY_minus, GDK_KEY_KP_Subtract };
  static const struct
  {
    guint key;
    int   dx, dy;
  } pan_keys[] = {
    { GDK_KEY_Left, -1, 0 }, { GDK_KEY_KP_Left, -1, 0 }, { GDK_KEY_Right, 1, 0 }, { GDK_KEY_KP_Right, 1, 0 },
    { GDK_KEY_Up, 0, -1 }, { GDK_KEY_KP_Up, 0, -1 }, { GDK_KEY_Down, 0, 1 }, { GDK_KEY_KP_Down, 0, 1 },
  };
  g_autofree char *pan = g_strconcat (prefix, ".pan", NULL);
  g_autofree char *zoom_in = g_strconcat (prefix, ".zoom-in", NULL);
  g_autofree char *zoom_out = g_strconcat (prefix, ".zoom-out", NULL);

  gtk_widget_class_install_action (widget_class, pan, "(ii)", pan_action);
  gtk_widget_class_install_action (widget_class, zoom_in, NULL, zoom_in_action);
  gtk_widget_class_install_action (widget_class, zoom_out, NULL, zoom_out_action);
  for (guint i = 0; i < G_N_ELEMENTS (pan_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, pan_keys[i].key, 0, pan, "(ii)", pan_keys[i].dx,
                                         pan_keys[i].dy);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_in_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_in_keys[i], 0, zoom_in, NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_plus, GDK_SHIFT_MASK, zoom_in, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (zoom_out_keys); i++)
    gtk_widget_class_add_binding_action (widget_class, zoom_out_keys[i], 0, zoom_out, NULL);
}

/* The status goes at the top, centred, but never under the zoom buttons in the top right corner:
 * it gets the width left of them and wraps in it. */
static gboolean
get_child_position_cb (GtkOverlay   *overlay,
                       GtkWidget    *child,
                       GdkRectangle *allocation,
                       gpointer      user_data)
{
  Controls *controls = user_data;
  int width = gtk_widget_get_width (GTK_WIDGET (overlay));
  int zoom_width = 0;
  int available, min_width, nat_width, height;

  if (child != controls->status)
    return FALSE;
  if (gtk_widget_get_visible (controls->zoom_buttons))
    gtk_widget_measure (controls->zoom_buttons, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &zoom_width, NULL, NULL);
  available = MAX (0, width - zoom_width);
  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &min_width, &nat_width, NULL, NULL);
  allocation->width = MAX (min_width, MIN (nat_width, available));
  gtk_widget_measure (child, GTK_ORIENTATION_VERTICAL, allocation->width, NULL, &height, NULL, NULL);
  allocation->height = height;
  allocation->x = MAX (0, MIN ((width - allocation->width) / 2, available - allocation->width));
  allocation->y = 0;
  return TRUE;
}

void
fest_map_controls_attach (GtkWidget        *owner,
                          const char       *prefix,
                          ShumateSimpleMap *simple_map,
                          GtkOverlay       *overlay,
                          GtkWidget        *status)
{
  Controls *controls = g_new0 (Controls, 1);

  g_return_if_fail (GTK_IS_WIDGET (owner));
  g_return_if_fail (SHUMATE_IS_SIMPLE_MAP (simple_map));
  g_return_if_fail (GTK_IS_OVERLAY (overlay));
  g_return_if_fail (GTK_IS_WIDGET (status));

  controls->map = shumate_simple_map_get_map (simple_map);
  controls->viewport = shumate_simple_map_get_viewport (simple_map);
  controls->status = status;
  g_object_set_data_full (G_OBJECT (owner), CONTROLS_KEY, controls, g_free);

  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_widget_add_css_class (status, "osd");
  gtk_widget_add_css_class (status, "toolbar");
  gtk_widget_set_can_target (status, FALSE);
  gtk_widget_set_visible (status, FALSE);
  gtk_overlay_add_overlay (overlay, status);

  shumate_simple_map_set_show_zoom_buttons (simple_map, FALSE);
  controls->zoom_buttons = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  gtk_widget_add_css_class (controls->zoom_buttons, "linked");
  gtk_widget_set_halign (controls->zoom_buttons, GTK_ALIGN_END);
  gtk_widget_set_valign (controls->zoom_buttons, GTK_ALIGN_START);
  for (guint i = 0; i < 2; i++)
    {
      GtkWidget *button = gtk_button_new_from_icon_name (i == 0 ? "zoom-in-symbolic" : "zoom-out-symbolic");
      const char *tooltip = i == 0 ? _("Zoom In") : _("Zoom Out");
      g_autofree char *action = g_strconcat (prefix, i == 0 ? ".zoom-in" : ".zoom-out", NULL);

      gtk_actionable_set_action_name (GTK_ACTIONABLE (button), action);
      gtk_widget_set_tooltip_text (button, tooltip);
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      /* The map keeps the focus for its keyboard controls. */
      gtk_widget_set_focus_on_click (button, FALSE);
      gtk_widget_add_css_class (button, "osd");
      gtk_box_append (GTK_BOX (controls->zoom_buttons), button);
    }
  gtk_overlay_add_overlay (overlay, controls->zoom_buttons);
  g_signal_connect (overlay, "get-child-position", G_CALLBACK (get_child_position_cb), controls);
}
