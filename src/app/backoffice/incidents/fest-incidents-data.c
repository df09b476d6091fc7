/* fest-incidents-data.c: the Incidents page's people and places, and its list's cells
 *
 * Copyright 2026 The Festivals authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The members (the SECURITY ones fill the assign drop-down, everyone's name shows as assignee),
 * the stands, stages and gates with a position (the map's places layer, and "near …" for an
 * incident within 300 m of one), and the list's cells: a label per column, refreshed when its
 * incident changes.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "fest-incidents-page-private.h"
#include "fest-page-util.h"

#define NEAR_METRES 300.0

void
_fest_incidents_page_place_clear (gpointer data)
{
  g_free (((FestIncidentsPlace *) data)->name);
}

static double
distance_metres (double lat1,
                 double lng1,
                 double lat2,
                 double lng2)
{
  double x = (lng2 - lng1) * G_PI / 180 * cos ((lat1 + lat2) / 2 * G_PI / 180);
  double y = (lat2 - lat1) * G_PI / 180;

  return sqrt (x * x + y * y) * 6371000.0;
}

void
_fest_incidents_page_describe_place (FestIncidentsPage *self,
                                     FestIncident      *incident)
{
  double lat = fest_incident_get_latitude (incident), lng = fest_incident_get_longitude (incident);
  const FestIncidentsPlace *best = NULL;
  double best_distance = NEAR_METRES;
  g_autofree char *text = NULL;

  if (!fest_incident_has_location (incident))
    {
      const char *gate = fest_incident_get_gate (incident);

      if (gate != NULL)
        /* Translators: where a duplicate entry happened: a gate without a position */
        text = g_strdup_printf (_("at %s"), gate);
      fest_incident_set_place (incident, text != NULL ? text : _("No position"));
      return;
    }

  for (guint i = 0; i < self->places->len; i++)
    {
      const FestIncidentsPlace *place = &g_array_index (self->places, FestIncidentsPlace, i);
      double d = distance_metres (lat, lng, place->latitude, place->longitude);

      if (d <= best_distance)
        {
          best = place;
          best_distance = d;
        }
    }
  if (best != NULL)
    /* Translators: where an incident is: the closest stand, stage or gate */
    text = g_strdup_printf (_("near %s"), best->name);
  else
    text = g_strdup_printf ("%.5f, %.5f", lat, lng);
  fest_incident_set_place (incident, text);
}

void
_fest_incidents_page_describe_assignee (FestIncidentsPage *self,
                                        FestIncident      *incident)
{
  const char *assigned_to = fest_incident_get_assigned_to (incident);
  const char *name = NULL;

  if (assigned_to != NULL)
    {
      name = g_hash_table_lookup (self->member_names, assigned_to);
      if (name == NULL)
        name = _("Security member");
    }
  fest_incident_set_assignee (incident, name != NULL ? name : "");
}

void
_fest_incidents_page_members_cb (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(FestIncidentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = fest_page_fetch_all_finish (result, &error);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  guint n;

  if (array == NULL)
    return;
  g_hash_table_remove_all (self->member_names);
  g_ptr_array_set_size (self->security_ids, 0);
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *member = json_array_get_object_element (array, i);
      const char *id = fest_page_json_string (member, "id");
      const char *name = fest_page_json_string (member, "name");
      JsonNode *roles = member != NULL ? json_object_get_member (member, "roles") : NULL;
      gboolean security = FALSE;

      if (id == NULL)
        continue;
      if (name == NULL || name[0] == '\0')
        name = fest_page_json_string (member, "email");
      g_hash_table_insert (self->member_names, g_strdup (id), g_strdup (name != NULL ? name : id));
      if (roles != NULL && JSON_NODE_HOLDS_ARRAY (roles))
        for (guint r = 0; r < json_array_get_length (json_node_get_array (roles)); r++)
          {
            const char *role = json_array_get_string_element (json_node_get_array (roles), r);

            if (g_strcmp0 (role, "SECURITY") == 0 || g_strcmp0 (role, "SECURITY_LEAD") == 0)
              security = TRUE;
          }
      if (security)
        {
          /* SECURITY and SECURITY_LEAD members can both take an incident. */
          g_ptr_array_add (self->security_ids, g_strdup (id));
          g_ptr_array_add (names, (gpointer) g_hash_table_lookup (self->member_names, id));
        }
    }
  g_ptr_array_add (self->security_ids, NULL);
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->security_names, 0,
                          g_list_model_get_n_items (G_LIST_MODEL (self->security_names)),
                          (const char * const *) names->pdata);
  _fest_incidents_page_refresh_descriptions (self);
}

static void
take_places (FestIncidentsPage *self,
             const char        *kind,
             GAsyncResult      *result)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) array = fest_page_fetch_all_finish (result, &error);
  guint n;

  /* No gates on an older server, or no right to see the stands: the layer has less. */
  if (array == NULL)
    return;
  n = json_array_get_length (array);
  for (guint i = 0; i < n; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      JsonNode *location = object != NULL ? json_object_get_member (object, "location") : NULL;
      JsonObject *where;
      FestIncidentsPlace place;

      if (location == NULL || !JSON_NODE_HOLDS_OBJECT (location))
        continue;
      where = json_node_get_object (location);
      if (fest_page_json_is_null (where, "lat") || fest_page_json_is_null (where, "lng") ||
          fest_page_json_string (object, "name") == NULL)
        continue;
      place.name = g_strdup (fest_page_json_string (object, "name"));
      place.latitude = fest_page_json_double (where, "lat", 0);
      place.longitude = fest_page_json_double (where, "lng", 0);
      g_array_append_val (self->places, place);
      fest_incident_map_add_place (self->map, kind, place.name, place.latitude, place.longitude);
    }
  _fest_incidents_page_refresh_descriptions (self);
}

typedef struct
{
  FestIncidentsPage *self;
  const char        *kind;
  guint              generation;
} PlacesLoad;

static void
places_load_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  PlacesLoad *load = user_data;

  if (load->generation == load->self->places_generation)
    take_places (load->self, load->kind, result);
  else
    {
      /* A newer load is on its way: this one's answer is dropped. */
      JsonArray *stale = fest_page_fetch_all_finish (result, NULL);

      if (stale != NULL)
        json_array_unref (stale);
    }
  g_object_unref (load->self);
  g_free (load);
}

void
_fest_incidents_page_load_places (FestIncidentsPage *self,
                                  const char        *path,
                                  const char        *kind)
{
  PlacesLoad *load = g_new0 (PlacesLoad, 1);

  load->self = g_object_ref (self);
  load->kind = kind;
  load->generation = self->places_generation;
  fest_page_fetch_all_async (fest_page_get_client (FEST_PAGE (self)), path, self->cancellable, places_load_cb,
                             load);
}

/* List cells: a label bound to one property of the FestIncident, refreshed on its notify. */

static void
fill_cell (GtkListItem *list_item)
{
  FestIncident *incident = gtk_list_item_get_item (list_item);
  GtkWidget *child = gtk_list_item_get_child (list_item);
  const char *property = g_object_get_data (G_OBJECT (list_item), "fest-property");
  g_autofree char *text = NULL;
  GtkWidget *label = child;

  if (incident == NULL || child == NULL)
    return;
  g_object_get (incident, property, &text, NULL);
  if (GTK_IS_BOX (child))
    {
      /* The incident column: the type's icon, the type, and below it the place. */
      GtkWidget *icon = gtk_widget_get_first_child (child);
      GtkWidget *lines = gtk_widget_get_next_sibling (icon);
      GtkWidget *place = gtk_widget_get_next_sibling (gtk_widget_get_first_child (lines));

      label = gtk_widget_get_first_child (lines);
      gtk_image_set_from_icon_name (GTK_IMAGE (icon), fest_incident_type_icon (fest_incident_get_type_name (incident)));
      gtk_label_set_text (GTK_LABEL (place), fest_incident_get_place (incident) != NULL
                                             ? fest_incident_get_place (incident) : "");
    }
  gtk_label_set_text (GTK_LABEL (label), text != NULL ? text : "");
  if (g_str_equal (property, "status-label"))
    {
      for (guint i = 0; fest_incident_statuses[i] != NULL; i++)
        gtk_widget_remove_css_class (label, fest_incident_status_css_class (fest_incident_statuses[i]));
      gtk_widget_add_css_class (label, fest_incident_status_css_class (fest_incident_get_status (incident)));
    }
}

static void
cell_setup_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  const char *property = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  g_object_set_data (G_OBJECT (list_item), "fest-property", (gpointer) property);
  if (g_str_equal (property, "type-label"))
    {
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      GtkWidget *lines = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
      GtkWidget *place = gtk_label_new (NULL);

      gtk_label_set_xalign (GTK_LABEL (place), 0);
      gtk_label_set_ellipsize (GTK_LABEL (place), PANGO_ELLIPSIZE_END);
      gtk_widget_add_css_class (place, "caption");
      gtk_widget_add_css_class (place, "dim-label");
      gtk_widget_add_css_class (label, "heading");
      gtk_box_append (GTK_BOX (lines), label);
      gtk_box_append (GTK_BOX (lines), place);
      gtk_box_append (GTK_BOX (box), gtk_image_new ());
      gtk_box_append (GTK_BOX (box), lines);
      gtk_list_item_set_child (list_item, box);
    }
  else
    gtk_list_item_set_child (list_item, label);
}

static void
cell_notify_cb (FestIncident *incident,
                GParamSpec   *pspec,
                GtkListItem  *list_item)
{
  fill_cell (list_item);
}

static void
cell_bind_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              gpointer                  user_data)
{
  FestIncident *incident = gtk_list_item_get_item (list_item);
  gulong id = g_signal_connect_object (incident, "notify", G_CALLBACK (cell_notify_cb), list_item, 0);

  g_object_set_data (G_OBJECT (list_item), "fest-notify-id", GSIZE_TO_POINTER (id));
  fill_cell (list_item);
}

static void
cell_unbind_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  FestIncident *incident = gtk_list_item_get_item (list_item);
  gulong id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (list_item), "fest-notify-id"));

  if (incident != NULL && id != 0)
    g_signal_handler_disconnect (incident, id);
  g_object_set_data (G_OBJECT (list_item), "fest-notify-id", NULL);
}

void
_fest_incidents_page_add_column (FestIncidentsPage *self,
                                 const char        *title,
                                 const char        *property,
                                 gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", G_CALLBACK (cell_setup_cb), (gpointer) property);
  g_signal_connect (factory, "bind", G_CALLBACK (cell_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (cell_unbind_cb), NULL);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  /* A long name must not squeeze the incident column: the assignee's is cut short. */
  if (g_str_equal (property, "assignee"))
    gtk_column_view_column_set_fixed_width (column, 110);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->incidents_view, column);
  g_object_unref (column);
}

